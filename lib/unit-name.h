/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>

#define UNIT_NAME_MAX 255

/* Whether s is a syntactically valid systemd unit name ("foo.service", "getty@tty1.service"):
 * at most 255 bytes, systemd's character set, a known unit type suffix, a non-empty prefix, and
 * for templates a valid instance. Callers' input is checked with this before any lookup. */
bool unit_name_is_valid(const char *s);
bool unit_name_is_service(const char *s);
