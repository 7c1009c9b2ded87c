/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "macro.h"

/* A growable byte buffer that is always NUL-terminated. An allocation failure is sticky: every
 * later append is a no-op and strbuf_steal()/strbuf_error() report -ENOMEM, so callers check once
 * at the end instead of after every append. */
typedef struct StrBuf {
        char *data;
        size_t len;
        size_t allocated;
        bool failed;
} StrBuf;

void strbuf_append_n(StrBuf *b, const char *s, size_t n);
void strbuf_append(StrBuf *b, const char *s);
void strbuf_append_char(StrBuf *b, char c);
_printf_(2, 3) void strbuf_appendf(StrBuf *b, const char *fmt, ...);
_printf_(2, 0) void strbuf_vappendf(StrBuf *b, const char *fmt, va_list ap);
int strbuf_error(const StrBuf *b);
/* Returns the string (never NULL on success) and resets the buffer. */
int strbuf_steal(StrBuf *b, char **ret, size_t *ret_len);
void strbuf_done(StrBuf *b);
