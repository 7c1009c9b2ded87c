/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "go-env.h"
#include "parse-util.h"
#include "strv.h"

bool env_value_is_public(const char *name, size_t n) {
        static const char *const public_names[] = {
                "GOMEMLIMIT", "GOMAXPROCS",      "GOGC", "GODEBUG", "GOTRACEBACK",
                "PATH",       "LD_LIBRARY_PATH", "HOME",
        };
        for (size_t i = 0; i < sizeof public_names / sizeof public_names[0]; i++)
                if (strlen(public_names[i]) == n && memcmp(public_names[i], name, n) == 0)
                        return true;
        return false;
}

int environ_parse(const char *block, size_t size, char ***ret) {
        _cleanup_(strv_freep) char **l = NULL;
        size_t count = 0;

        if (size > ENVIRON_SIZE_MAX)
                return -E2BIG;
        for (const char *p = block, *end = block + size; p < end;) {
                const char *nul = memchr(p, 0, (size_t) (end - p));
                size_t n = nul ? (size_t) (nul - p) : (size_t) (end - p);
                const char *eq = memchr(p, '=', n);
                if (eq && eq != p) {
                        if (++count > ENVIRON_VARS_MAX)
                                return -E2BIG;
                        int r = strv_consume(&l, strndup(p, n));
                        if (r < 0)
                                return r;
                }
                p += n + 1;
        }
        if (!l) {
                l = calloc(1, sizeof(char *));
                if (!l)
                        return -ENOMEM;
        }
        *ret = TAKE_PTR(l);
        return 0;
}

const char *env_get(char *const *env, const char *name) {
        size_t n = strlen(name);
        const char *found = NULL;
        for (char *const *e = env; e && *e; e++)
                if (strncmp(*e, name, n) == 0 && (*e)[n] == '=')
                        found = *e + n + 1;
        return found;
}

int gomemlimit_parse(const char *s, uint64_t *ret) {
        static const struct {
                const char *suffix;
                uint64_t mult;
        } units[] = {
                { "TiB", 1ull << 40 },
                { "GiB", 1ull << 30 },
                { "MiB", 1ull << 20 },
                { "KiB", 1ull << 10 },
                { "B", 1 },
        };
        if (!s)
                return -EINVAL;
        if (strcmp(s, "off") == 0 || !*s) { /* the runtime treats GOMEMLIMIT= like "off" */
                *ret = UINT64_MAX;
                return 0;
        }
        size_t n = strlen(s), digits = 0;
        while (digits < n && s[digits] >= '0' && s[digits] <= '9')
                digits++;
        if (digits == 0)
                return -EINVAL;
        uint64_t mult = 1;
        if (digits < n) {
                bool found = false;
                for (size_t i = 0; i < ELEMENTSOF(units); i++)
                        if (strcmp(s + digits, units[i].suffix) == 0) {
                                mult = units[i].mult;
                                found = true;
                                break;
                        }
                if (!found)
                        return -EINVAL;
        }
        uint64_t v;
        int k = parse_u64_prefix(s, digits, &v);
        if (k < 0)
                return k;
        if (v > (uint64_t) INT64_MAX / mult)
                return -ERANGE;
        *ret = v * mult;
        return 0;
}

int gomemlimit_format(uint64_t bytes, char **ret) {
        int r;
        if (bytes >= 16ull << 20)
                r = asprintf(ret, "%lluMiB", (unsigned long long) (bytes >> 20));
        else
                r = asprintf(ret, "%lluKiB", (unsigned long long) (bytes >> 10));
        return r < 0 ? -ENOMEM : 0;
}
