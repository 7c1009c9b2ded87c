/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* What the finding and finding-store tests share. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "finding.h"
#include "test-util.h"

static inline Finding *new_finding(FindingClass c, const char *unit, const char *key) {
        Finding *f = NULL;
        ck_assert_int_eq(finding_new(c, unit, key, &f), 0);
        ck_assert_ptr_nonnull(f);
        return f;
}

static inline char *repeat(char c, size_t n) {
        char *s = malloc(n + 1);
        ck_assert_ptr_nonnull(s);
        memset(s, c, n);
        s[n] = 0;
        return s;
}

static inline bool is_hex32(const char *s) {
        if (strlen(s) != 32)
                return false;
        for (const char *p = s; *p; p++)
                if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
                        return false;
        return true;
}
