/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ENVIRON_VARS_MAX 4096u
#define ENVIRON_SIZE_MAX (1024u * 1024u)

/* Environment values are secrets until proven otherwise: only the Go runtime knobs goguard
 * reasons about and the search paths may be shown. */
bool env_value_is_public(const char *name, size_t name_len);

/* Splits a NUL-separated environment block (/proc/PID/environ) into a strv of "NAME=value";
 * entries without '=' are dropped. -E2BIG beyond the caps above. */
int environ_parse(const char *block, size_t size, char ***ret);

/* The value of NAME in a strv of "NAME=value" (the last one wins, as in execve), or NULL. */
const char *env_get(char *const *env, const char *name);

/* Parses a GOMEMLIMIT value as the Go runtime does (B, KiB, MiB, GiB, TiB suffixes; "off"):
 * bytes, UINT64_MAX for off or empty; -EINVAL when the runtime would refuse it. */
int gomemlimit_parse(const char *s, uint64_t *ret);
/* "36MiB": the advice value for a limit, rounded down to whole MiB (KiB below 16 MiB). */
int gomemlimit_format(uint64_t bytes, char **ret);
