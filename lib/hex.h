/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/* A hexadecimal digit's value, or -1. */
static inline int unhexchar(char c) {
        if (c >= '0' && c <= '9')
                return c - '0';
        if (c >= 'a' && c <= 'f')
                return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
                return c - 'A' + 10;
        return -1;
}

/* A 128-bit id as the journal and systemd write it (boot, invocation, finding ids): 32 lowercase
 * hex digits and nothing else. */
static inline bool id128_is_valid(const char *s) {
        size_t i = 0;
        for (; s && i < 32; i++)
                if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
                        return false;
        return s && s[i] == 0;
}
