/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "format-number.h"
#include "macro.h"
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

int parse_timespan(const char *s, uint64_t *ret_usec) {
        static const struct {
                const char *name;
                uint64_t usec;
        } units[] = {
                { "us", 1 },
                { "usec", 1 },
                { "ms", USEC_PER_MSEC },
                { "msec", USEC_PER_MSEC },
                { "s", USEC_PER_SEC },
                { "sec", USEC_PER_SEC },
                { "second", USEC_PER_SEC },
                { "seconds", USEC_PER_SEC },
                { "m", USEC_PER_MIN },
                { "min", USEC_PER_MIN },
                { "minute", USEC_PER_MIN },
                { "minutes", USEC_PER_MIN },
                { "h", USEC_PER_HOUR },
                { "hr", USEC_PER_HOUR },
                { "hour", USEC_PER_HOUR },
                { "hours", USEC_PER_HOUR },
                { "d", USEC_PER_DAY },
                { "day", USEC_PER_DAY },
                { "days", USEC_PER_DAY },
                { "w", 7 * USEC_PER_DAY },
                { "week", 7 * USEC_PER_DAY },
                { "weeks", 7 * USEC_PER_DAY },
        };
        uint64_t total = 0;
        bool any = false;
        const char *p = s;

        for (;;) {
                while (*p == ' ')
                        p++;
                if (!*p)
                        break;
                uint64_t n;
                int k = parse_u64_prefix(p, strlen(p), &n);
                if (k <= 0)
                        return -EINVAL;
                p += k;
                while (*p == ' ')
                        p++;
                size_t len = 0;
                while ((p[len] >= 'a' && p[len] <= 'z'))
                        len++;
                uint64_t mult = USEC_PER_SEC;
                if (len > 0) {
                        bool found = false;
                        for (size_t i = 0; i < ELEMENTSOF(units) && !found; i++)
                                if (strlen(units[i].name) == len && strncmp(p, units[i].name, len) == 0) {
                                        mult = units[i].usec;
                                        found = true;
                                }
                        if (!found)
                                return -EINVAL;
                        p += len;
                }
                if (n > UINT64_MAX / mult || total > UINT64_MAX - n * mult)
                        return -EINVAL;
                total += n * mult;
                any = true;
        }
        if (!any)
                return -EINVAL;
        *ret_usec = total;
        return 0;
}

int parse_boolean(const char *s, bool *ret) {
        static const char *const yes[] = { "1", "yes", "y", "true", "t", "on" };
        static const char *const no[] = { "0", "no", "n", "false", "f", "off" };
        for (size_t i = 0; i < ELEMENTSOF(yes); i++) {
                if (strcasecmp(s, yes[i]) == 0) {
                        *ret = true;
                        return 0;
                }
                if (strcasecmp(s, no[i]) == 0) {
                        *ret = false;
                        return 0;
                }
        }
        return -EINVAL;
}
