/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "strbuf.h"

/* Go's strconv.Quote, as runtime/debug uses it to print build settings. unicode.IsPrint is
 * approximated: controls, format characters, separators, surrogates and private use are
 * escaped, every other valid rune is printed as is (unassigned code points included). */
void go_quote(StrBuf *out, const char *s, size_t n);
bool go_rune_is_print(int32_t r);

/* Go's strconv.QuotedPrefix + Unquote for a string starting with '"' or '`'. Appends the unquoted
 * value to out and returns the length of the quoted prefix, or -EBADMSG if s does not start with
 * a valid quoted string. */
int go_unquote_prefix(const char *s, size_t n, StrBuf *out, size_t *ret_consumed);
