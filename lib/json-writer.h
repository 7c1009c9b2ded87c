/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "strbuf.h"

/* A streaming JSON writer. Output is valid JSON for any input bytes: strings are escaped and
 * invalid UTF-8 becomes U+FFFD. Keys and values alternate; commas are placed automatically. */

#define JSON_DEPTH_MAX 32

typedef struct JsonWriter {
        StrBuf *out;
        bool pretty;
        unsigned depth;
        bool first[JSON_DEPTH_MAX];
        bool after_key;
} JsonWriter;

void json_begin_object(JsonWriter *w);
void json_end_object(JsonWriter *w);
void json_begin_array(JsonWriter *w);
void json_end_array(JsonWriter *w);
void json_key(JsonWriter *w, const char *key);
void json_string(JsonWriter *w, const char *s); /* NULL writes null */
void json_string_n(JsonWriter *w, const char *s, size_t n);
void json_int(JsonWriter *w, int64_t v);
void json_uint(JsonWriter *w, uint64_t v);
void json_bool(JsonWriter *w, bool v);
void json_null(JsonWriter *w);
/* Escape s as a JSON string literal (with quotes). */
void json_escape(StrBuf *out, const char *s, size_t n);
