/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>

#include "go-strconv.h"
#include "hex.h"
#include "utf8.h"

bool go_rune_is_print(int32_t r) {
        if (r < 0x20 || r == 0x7F)
                return false;
        if (r < 0x7F)
                return true;
        static const struct {
                int32_t lo, hi;
        } not_print[] = {
                { 0x80, 0xA0 }, /* C1 controls, NO-BREAK SPACE */
                { 0xAD, 0xAD }, /* SOFT HYPHEN */
                { 0x600, 0x605 },      { 0x61C, 0x61C },     { 0x6DD, 0x6DD },     { 0x70F, 0x70F },
                { 0x890, 0x891 },      { 0x8E2, 0x8E2 },     { 0x1680, 0x1680 },   { 0x180E, 0x180E },
                { 0x2000, 0x200F },    { 0x2028, 0x202F },   { 0x205F, 0x2064 },   { 0x2066, 0x206F },
                { 0x3000, 0x3000 },    { 0xD800, 0xF8FF },   { 0xFEFF, 0xFEFF },   { 0xFFF9, 0xFFFB },
                { 0xFFFE, 0xFFFF },    { 0x110BD, 0x110BD }, { 0x110CD, 0x110CD }, { 0x13430, 0x1343F },
                { 0x1BCA0, 0x1BCA3 },  { 0x1D173, 0x1D17A }, { 0xE0001, 0xE0001 }, { 0xE0020, 0xE007F },
                { 0xF0000, 0x10FFFF },
        };
        for (size_t i = 0; i < ELEMENTSOF(not_print); i++)
                if (r >= not_print[i].lo && r <= not_print[i].hi)
                        return false;
        return true;
}

void go_quote(StrBuf *out, const char *s, size_t n) {
        static const char hex[] = "0123456789abcdef";
        const uint8_t *p = (const uint8_t *) s;

        strbuf_append_char(out, '"');
        while (n > 0) {
                int32_t r;
                size_t k = utf8_decode(p, n, &r);
                if (r < 0) {
                        strbuf_appendf(out, "\\x%c%c", hex[p[0] >> 4], hex[p[0] & 15]);
                } else if (r == '"' || r == '\\') {
                        strbuf_append_char(out, '\\');
                        strbuf_append_char(out, (char) r);
                } else if (go_rune_is_print(r)) {
                        strbuf_append_n(out, (const char *) p, k);
                } else {
                        switch (r) {
                        case '\a': strbuf_append(out, "\\a"); break;
                        case '\b': strbuf_append(out, "\\b"); break;
                        case '\f': strbuf_append(out, "\\f"); break;
                        case '\n': strbuf_append(out, "\\n"); break;
                        case '\r': strbuf_append(out, "\\r"); break;
                        case '\t': strbuf_append(out, "\\t"); break;
                        case '\v': strbuf_append(out, "\\v"); break;
                        default:
                                if (r < ' ' || r == 0x7F)
                                        strbuf_appendf(out, "\\x%c%c", hex[r >> 4], hex[r & 15]);
                                else if (r < 0x10000)
                                        strbuf_appendf(out, "\\u%04x", (unsigned) r);
                                else
                                        strbuf_appendf(out, "\\U%08x", (unsigned) r);
                        }
                }
                p += k, n -= k;
        }
        strbuf_append_char(out, '"');
}

/* One escape sequence after the backslash at s[0]; returns bytes consumed or -EBADMSG. */
static int unquote_escape(const char *s, size_t n, StrBuf *out) {
        if (n < 2)
                return -EBADMSG;
        switch (s[1]) {
        case 'a': strbuf_append_char(out, '\a'); return 2;
        case 'b': strbuf_append_char(out, '\b'); return 2;
        case 'f': strbuf_append_char(out, '\f'); return 2;
        case 'n': strbuf_append_char(out, '\n'); return 2;
        case 'r': strbuf_append_char(out, '\r'); return 2;
        case 't': strbuf_append_char(out, '\t'); return 2;
        case 'v': strbuf_append_char(out, '\v'); return 2;
        case '\\': strbuf_append_char(out, '\\'); return 2;
        case '"': strbuf_append_char(out, '"'); return 2;
        case 'x':
        case 'u':
        case 'U': {
                size_t digits = s[1] == 'x' ? 2 : s[1] == 'u' ? 4 : 8;
                if (n < 2 + digits)
                        return -EBADMSG;
                uint32_t v = 0;
                for (size_t i = 0; i < digits; i++) {
                        int d = unhexchar(s[2 + i]);
                        if (d < 0)
                                return -EBADMSG;
                        v = v << 4 | (uint32_t) d;
                }
                if (s[1] == 'x') {
                        strbuf_append_char(out, (char) v);
                } else {
                        if (v > 0x10FFFF || !utf8_valid_rune((int32_t) v))
                                return -EBADMSG;
                        char buf[4];
                        strbuf_append_n(out, buf, utf8_encode((int32_t) v, buf));
                }
                return (int) (2 + digits);
        }
        case '0' ... '7': {
                if (n < 4)
                        return -EBADMSG;
                unsigned v = 0;
                for (size_t i = 1; i <= 3; i++) {
                        if (s[i] < '0' || s[i] > '7')
                                return -EBADMSG;
                        v = v * 8 + (unsigned) (s[i] - '0');
                }
                if (v > 255)
                        return -EBADMSG;
                strbuf_append_char(out, (char) v);
                return 4;
        }
        default: return -EBADMSG;
        }
}

int go_unquote_prefix(const char *s, size_t n, StrBuf *out, size_t *ret_consumed) {
        if (n < 2)
                return -EBADMSG;

        if (s[0] == '`') {
                const char *end = memchr(s + 1, '`', n - 1);
                if (!end)
                        return -EBADMSG;
                /* Raw strings drop carriage returns, as Go's Unquote does. */
                for (const char *p = s + 1; p < end; p++)
                        if (*p != '\r')
                                strbuf_append_char(out, *p);
                *ret_consumed = (size_t) (end - s) + 1;
                return 0;
        }
        if (s[0] != '"')
                return -EBADMSG;

        size_t i = 1;
        while (i < n) {
                uint8_t c = (uint8_t) s[i];
                if (c == '"') {
                        *ret_consumed = i + 1;
                        return 0;
                }
                if (c == '\n')
                        return -EBADMSG;
                if (c == '\\') {
                        int k = unquote_escape(s + i, n - i, out);
                        if (k < 0)
                                return k;
                        i += (size_t) k;
                } else if (c >= 0x80) {
                        int32_t r;
                        size_t k = utf8_decode((const uint8_t *) s + i, n - i, &r);
                        if (r < 0)
                                strbuf_append(out, "\xEF\xBF\xBD");
                        else
                                strbuf_append_n(out, s + i, k);
                        i += k;
                } else {
                        strbuf_append_char(out, (char) c);
                        i++;
                }
        }
        return -EBADMSG;
}
