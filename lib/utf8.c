/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

bool utf8_valid_rune(int32_t r) {
        return r >= 0 && r <= 0x10FFFF && !(r >= 0xD800 && r <= 0xDFFF);
}

size_t utf8_decode(const uint8_t *s, size_t n, int32_t *ret_rune) {
        if (n == 0) {
                *ret_rune = -1;
                return 0;
        }
        uint8_t c = s[0];
        if (c < 0x80) {
                *ret_rune = c;
                return 1;
        }

        size_t len;
        int32_t r, min;
        if ((c & 0xE0) == 0xC0) {
                len = 2, r = c & 0x1F, min = 0x80;
        } else if ((c & 0xF0) == 0xE0) {
                len = 3, r = c & 0x0F, min = 0x800;
        } else if ((c & 0xF8) == 0xF0) {
                len = 4, r = c & 0x07, min = 0x10000;
        } else {
                *ret_rune = -1;
                return 1;
        }
        if (n < len) {
                *ret_rune = -1;
                return 1;
        }
        for (size_t i = 1; i < len; i++) {
                if ((s[i] & 0xC0) != 0x80) {
                        *ret_rune = -1;
                        return 1;
                }
                r = (r << 6) | (s[i] & 0x3F);
        }
        if (r < min || !utf8_valid_rune(r)) {
                *ret_rune = -1;
                return 1;
        }
        *ret_rune = r;
        return len;
}

size_t utf8_encode(int32_t r, char out[static 4]) {
        if (!utf8_valid_rune(r))
                r = 0xFFFD;
        if (r < 0x80) {
                out[0] = (char) r;
                return 1;
        }
        if (r < 0x800) {
                out[0] = (char) (0xC0 | (r >> 6));
                out[1] = (char) (0x80 | (r & 0x3F));
                return 2;
        }
        if (r < 0x10000) {
                out[0] = (char) (0xE0 | (r >> 12));
                out[1] = (char) (0x80 | ((r >> 6) & 0x3F));
                out[2] = (char) (0x80 | (r & 0x3F));
                return 3;
        }
        out[0] = (char) (0xF0 | (r >> 18));
        out[1] = (char) (0x80 | ((r >> 12) & 0x3F));
        out[2] = (char) (0x80 | ((r >> 6) & 0x3F));
        out[3] = (char) (0x80 | (r & 0x3F));
        return 4;
}

bool utf8_is_valid(const char *s, size_t n) {
        const uint8_t *p = (const uint8_t *) s;
        while (n > 0) {
                int32_t r;
                size_t k = utf8_decode(p, n, &r);
                if (r < 0)
                        return false;
                p += k, n -= k;
        }
        return true;
}

/* sd-bus (libsystemd) refuses strings with Unicode noncharacters, although the D-Bus spec allows
 * them since 0.21: one in a property would fail the whole GetManagedObjects reply. */
static bool rune_is_noncharacter(int32_t r) {
        return (r >= 0xFDD0 && r <= 0xFDEF) || (r & 0xFFFE) == 0xFFFE;
}

bool utf8_needs_escape(const char *s, size_t n) {
        const uint8_t *p = (const uint8_t *) s;
        while (n > 0) {
                /* ASCII but NUL, most of what comes, is itself */
                if (*p != 0 && *p < 0x80) {
                        p++, n--;
                        continue;
                }
                int32_t r;
                size_t k = utf8_decode(p, n, &r);
                if (r <= 0 || rune_is_noncharacter(r))
                        return true;
                p += k, n -= k;
        }
        return false;
}

int utf8_escape_invalid(const char *s, size_t n, char **ret) {
        static const char hex[] = "0123456789abcdef";
        const uint8_t *p = (const uint8_t *) s;
        size_t escaped = 0;

        /* At most four bytes out per byte in; n is bounded by the caller's own buffer. */
        if (n > (SIZE_MAX - 1) / 4)
                return -ENOMEM;
        char *out = malloc(n * 4 + 1), *q = out;
        if (!out)
                return -ENOMEM;
        while (n > 0) {
                if (*p != 0 && *p < 0x80) {
                        *q++ = (char) *p++;
                        n--;
                        continue;
                }
                int32_t r;
                size_t k = utf8_decode(p, n, &r);
                if (r <= 0 || rune_is_noncharacter(r))
                        for (size_t i = 0; i < k; i++, escaped++) {
                                *q++ = '\\', *q++ = 'x', *q++ = hex[p[i] >> 4], *q++ = hex[p[i] & 15];
                        }
                else {
                        memcpy(q, p, k);
                        q += k;
                }
                p += k, n -= k;
        }
        *q = 0;
        *ret = out;
        return (int) (escaped > INT32_MAX ? INT32_MAX : escaped);
}
