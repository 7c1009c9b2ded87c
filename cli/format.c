/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <assert.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "format.h"
#include "utf8.h"

#define USEC_PER_WEEK  (UINT64_C(7) * USEC_PER_DAY)
#define USEC_PER_MONTH (UINT64_C(2629800) * USEC_PER_SEC)  /* 30.44 days, as systemd */
#define USEC_PER_YEAR  (UINT64_C(31557600) * USEC_PER_SEC) /* 365.25 days */

const char *format_timestamp(char *buf, size_t size, uint64_t usec) {
        struct tm tm;
        time_t t;

        if (usec == 0 || usec == UINT64_MAX || usec / USEC_PER_SEC > (uint64_t) INT64_MAX)
                goto na;
        t = (time_t) (usec / USEC_PER_SEC);
        if (!localtime_r(&t, &tm))
                goto na;
        if (strftime(buf, size, "%a %Y-%m-%d %H:%M:%S %Z", &tm) == 0)
                goto na;
        return buf;
na:
        snprintf(buf, size, "n/a");
        return buf;
}

static const char *plural(uint64_t n, const char *one, const char *many) {
        return n == 1 ? one : many;
}

const char *format_timestamp_relative(char *buf, size_t size, uint64_t usec, uint64_t now) {
        const char *dir;
        uint64_t d;

        if (usec == 0 || usec == UINT64_MAX) {
                snprintf(buf, size, "n/a");
                return buf;
        }
        if (now >= usec) {
                d = now - usec;
                dir = "ago";
        } else {
                d = usec - now;
                dir = "left";
        }

        /* The larger unit, then the next one down unless it is zero. */
        uint64_t a, b = 0;
        const char *ua, *ub = NULL;
        if (d >= USEC_PER_YEAR) {
                a = d / USEC_PER_YEAR, b = d % USEC_PER_YEAR / USEC_PER_MONTH;
                ua = plural(a, " year", " years"), ub = plural(b, " month", " months");
        } else if (d >= USEC_PER_MONTH) {
                a = d / USEC_PER_MONTH, b = d % USEC_PER_MONTH / USEC_PER_DAY;
                ua = plural(a, " month", " months"), ub = plural(b, " day", " days");
        } else if (d >= USEC_PER_WEEK) {
                a = d / USEC_PER_WEEK, b = d % USEC_PER_WEEK / USEC_PER_DAY;
                ua = plural(a, " week", " weeks"), ub = plural(b, " day", " days");
        } else if (d >= 2 * USEC_PER_DAY) {
                a = d / USEC_PER_DAY, ua = " days";
        } else if (d >= 25 * USEC_PER_HOUR) {
                a = 1, ua = " day", b = (d - USEC_PER_DAY) / USEC_PER_HOUR, ub = "h";
        } else if (d >= 6 * USEC_PER_HOUR) {
                a = d / USEC_PER_HOUR, ua = "h";
        } else if (d >= USEC_PER_HOUR) {
                a = d / USEC_PER_HOUR, ua = "h", b = d % USEC_PER_HOUR / USEC_PER_MIN, ub = "min";
        } else if (d >= 5 * USEC_PER_MIN) {
                a = d / USEC_PER_MIN, ua = "min";
        } else if (d >= USEC_PER_MIN) {
                a = d / USEC_PER_MIN, ua = "min", b = d % USEC_PER_MIN / USEC_PER_SEC, ub = "s";
        } else if (d >= USEC_PER_SEC) {
                a = d / USEC_PER_SEC, ua = "s";
        } else if (d >= USEC_PER_MSEC) {
                a = d / USEC_PER_MSEC, ua = "ms";
        } else if (d > 0) {
                a = d, ua = "us";
        } else {
                snprintf(buf, size, "now");
                return buf;
        }
        if (ub && b > 0)
                snprintf(buf, size, "%" PRIu64 "%s %" PRIu64 "%s %s", a, ua, b, ub, dir);
        else
                snprintf(buf, size, "%" PRIu64 "%s %s", a, ua, dir);
        return buf;
}

void format_append_printable(StrBuf *b, const char *s) {
        const uint8_t *p = (const uint8_t *) s;
        size_t n = strlen(s);

        while (n > 0) {
                int32_t rune;
                size_t k = utf8_decode(p, n, &rune);
                /* C0 and C1 controls and DEL could move the cursor or change colours. */
                if (rune < 0x20 || rune == 0x7f || (rune >= 0x80 && rune < 0xa0))
                        for (size_t i = 0; i < k; i++)
                                strbuf_appendf(b, "\\x%02x", p[i]);
                else
                        strbuf_append_n(b, (const char *) p, k);
                p += k, n -= k;
        }
}

int format_printable(const char *s, char **ret) {
        StrBuf b = {};
        char *out;

        format_append_printable(&b, s);
        int r = strbuf_steal(&b, &out, NULL);
        if (r < 0)
                return r;
        *ret = out;
        return 0;
}

size_t format_width(const char *s) {
        size_t w = 0;
        for (const unsigned char *p = (const unsigned char *) s; *p; p++)
                if ((*p & 0xc0) != 0x80)
                        w++;
        return w;
}

void format_table(StrBuf *out, const char *const *headers, size_t n_cols, char *const *cells, size_t n_rows,
                  size_t right_col, size_t color_col, const char *const *colors) {
        size_t width[16] = {};
        assert(n_cols <= ELEMENTSOF(width));
        for (size_t c = 0; c < n_cols; c++) {
                width[c] = format_width(headers[c]);
                for (size_t i = 0; i < n_rows; i++)
                        width[c] = MAX(width[c], format_width(cells[i * n_cols + c]));
        }
        for (size_t i = 0; i <= n_rows; i++) {
                for (size_t c = 0; c < n_cols; c++) {
                        const char *s = i == 0 ? headers[c] : cells[(i - 1) * n_cols + c];
                        size_t pad = width[c] - format_width(s);
                        const char *color = i > 0 && c == color_col && colors ? colors[i - 1] : NULL;
                        if (c > 0)
                                strbuf_append(out, "  ");
                        if (c == right_col) /* numbers to the right */
                                strbuf_appendf(out, "%*s%s", (int) pad, "", s);
                        else {
                                strbuf_appendf(out, "%s%s%s", color ?: "", s, color ? ANSI_NORMAL : "");
                                if (c + 1 < n_cols)
                                        strbuf_appendf(out, "%*s", (int) pad, "");
                        }
                }
                strbuf_append_char(out, '\n');
        }
}
