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
