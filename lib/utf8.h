/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Decodes one rune the way Go's utf8.DecodeRune does: overlong forms, surrogates and values above
 * U+10FFFF are invalid. Returns the number of bytes consumed (>= 1 when n >= 1); on invalid input
 * *ret_rune is set to -1 and 1 is returned, so callers can step over bad bytes one at a time. */
size_t utf8_decode(const uint8_t *s, size_t n, int32_t *ret_rune);
size_t utf8_encode(int32_t rune, char out[static 4]);
bool utf8_is_valid(const char *s, size_t n);
bool utf8_valid_rune(int32_t rune);

/* The one form in which goguard hands out bytes that are not valid UTF-8 (on the bus, in findings):
 * each byte that is not part of a valid UTF-8 sequence, each NUL byte, and each byte of a Unicode
 * noncharacter (U+FDD0..U+FDEF, U+nFFFE, U+nFFFF: sd-bus refuses those) becomes the four
 * characters \xNN (lowercase hex); everything else is copied unchanged. The result is valid UTF-8
 * that sd-bus accepts, without NULs; any other input comes back byte-identical. The form is for
 * display: a value that held those four characters literally reads the same.
 * Returns the number of bytes escaped (0 when the copy is identical), or -ENOMEM. */
int utf8_escape_invalid(const char *s, size_t n, char **ret);
/* Whether utf8_escape_invalid() would change the first n bytes of s. */
bool utf8_needs_escape(const char *s, size_t n);
