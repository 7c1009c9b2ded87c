/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <string.h>

#include "parse-util.h"

int parse_u64_prefix(const char *s, size_t n, uint64_t *ret) {
        uint64_t v = 0;
        size_t i = 0;
        for (; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
                uint64_t d = (uint64_t) (s[i] - '0');
                if (v > (UINT64_MAX - d) / 10)
                        return -ERANGE;
                v = v * 10 + d;
        }
        if (i > 0)
                *ret = v;
        return (int) (i > INT32_MAX ? INT32_MAX : i);
}

int parse_u64(const char *s, uint64_t *ret) {
        size_t n = strlen(s);
        uint64_t v;
        int k = parse_u64_prefix(s, n, &v);
        if (k < 0)
                return k;
        if (k == 0 || (size_t) k != n)
                return -EINVAL;
        *ret = v;
        return 0;
}
