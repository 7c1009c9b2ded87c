/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"

static bool strbuf_reserve(StrBuf *b, size_t extra) {
        if (b->failed)
                return false;
        if (extra > SIZE_MAX / 2 - b->len - 1) {
                b->failed = true;
                return false;
        }
        size_t need = b->len + extra + 1;
        if (need <= b->allocated)
                return true;
        size_t n = MAX(need, b->allocated * 2);
        n = MAX(n, (size_t) 64);
        char *p = realloc(b->data, n);
        if (!p) {
                b->failed = true;
                return false;
        }
        b->data = p;
        b->allocated = n;
        return true;
}

void strbuf_append_n(StrBuf *b, const char *s, size_t n) {
        if (!strbuf_reserve(b, n))
                return;
        if (n > 0)
                memcpy(b->data + b->len, s, n);
        b->len += n;
        b->data[b->len] = 0;
}

void strbuf_append(StrBuf *b, const char *s) {
        strbuf_append_n(b, s, strlen(s));
}

void strbuf_append_char(StrBuf *b, char c) {
        strbuf_append_n(b, &c, 1);
}

void strbuf_vappendf(StrBuf *b, const char *fmt, va_list ap) {
        va_list aq;
        char small[128];

        va_copy(aq, ap);
        int n = vsnprintf(small, sizeof small, fmt, aq);
        va_end(aq);
        if (n < 0) {
                b->failed = true;
                return;
        }
        if ((size_t) n < sizeof small) {
                strbuf_append_n(b, small, n);
                return;
        }
        if (!strbuf_reserve(b, n))
                return;
        vsnprintf(b->data + b->len, n + 1, fmt, ap);
        b->len += n;
}

void strbuf_appendf(StrBuf *b, const char *fmt, ...) {
        va_list ap;
        va_start(ap, fmt);
        strbuf_vappendf(b, fmt, ap);
        va_end(ap);
}

int strbuf_error(const StrBuf *b) {
        return b->failed ? -ENOMEM : 0;
}

int strbuf_steal(StrBuf *b, char **ret, size_t *ret_len) {
        if (b->failed || !strbuf_reserve(b, 0)) {
                strbuf_done(b);
                return -ENOMEM;
        }
        b->data[b->len] = 0; /* a buffer nothing was appended to was only just allocated */
        *ret = TAKE_PTR(b->data);
        if (ret_len)
                *ret_len = b->len;
        *b = (StrBuf){};
        return 0;
}

void strbuf_done(StrBuf *b) {
        free(b->data);
        *b = (StrBuf){};
}
