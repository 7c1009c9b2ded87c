/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>

#include "unit-name.h"

static bool valid_char(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               strchr(":-_.\\@", c);
}

bool unit_name_is_valid(const char *s) {
        static const char *const suffixes[] = {
                ".service", ".socket", ".target", ".device", ".mount", ".automount",
                ".swap",    ".timer",  ".path",   ".slice",  ".scope",
        };
        if (!s || !*s)
                return false;
        size_t n = strnlen(s, UNIT_NAME_MAX + 1);
        if (n > UNIT_NAME_MAX)
                return false;
        for (size_t i = 0; i < n; i++)
                if (!valid_char(s[i]))
                        return false;
        const char *dot = strrchr(s, '.');
        if (!dot || dot == s)
                return false;
        bool known = false;
        for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++)
                if (strcmp(dot, suffixes[i]) == 0)
                        known = true;
        if (!known)
                return false;
        const char *at = strchr(s, '@');
        if (at) {
                if (at == s || strchr(at + 1, '@'))
                        return false;
                /* "foo@.service" is a template, not a unit that can be watched; still valid. */
        }
        return true;
}

bool unit_name_is_service(const char *s) {
        size_t n = strlen(s);
        return unit_name_is_valid(s) && n > 8 && strcmp(s + n - 8, ".service") == 0;
}
