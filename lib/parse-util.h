/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The one decimal parser: no sign, no spaces, no base prefixes, overflow refused. */

/* Digits at the start of s (at most n bytes): the number of bytes consumed (>= 1) with the value,
 * 0 when s does not start with a digit, -ERANGE when the value does not fit in 64 bits. */
int parse_u64_prefix(const char *s, size_t n, uint64_t *ret);
/* A NUL-terminated string that is a decimal number and nothing else: 0, -EINVAL, or -ERANGE. */
int parse_u64(const char *s, uint64_t *ret);
/* A time span as systemd writes them: "90" (seconds), "1h 30min", "2 days", "500ms": a sum of
 * numbers, each with an optional unit (us, ms, s, min, h, d, w and their long forms), in µs.
 * -EINVAL when it is not one or overflows. */
int parse_timespan(const char *s, uint64_t *ret_usec);
/* A boolean as systemd's configuration files write it: 1/yes/y/true/t/on, 0/no/n/false/f/off, in
 * any case; -EINVAL otherwise. */
int parse_boolean(const char *s, bool *ret);
