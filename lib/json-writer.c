/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <inttypes.h>
#include <string.h>

#include "json-writer.h"
#include "utf8.h"

void json_escape(StrBuf *out, const char *s, size_t n) {
        const uint8_t *p = (const uint8_t *) s;
        strbuf_append_char(out, '"');
        while (n > 0) {
                int32_t r;
                size_t k = utf8_decode(p, n, &r);
                if (r < 0)
                        /* The bus's form of a byte that is not UTF-8 (utf8.h), so a value reads
                         * the same in JSON as in a property. */
                        strbuf_appendf(out, "\\\\x%02x", *p);
                else if (r == '"')
                        strbuf_append(out, "\\\"");
                else if (r == '\\')
                        strbuf_append(out, "\\\\");
                else if (r == '\n')
                        strbuf_append(out, "\\n");
                else if (r == '\t')
                        strbuf_append(out, "\\t");
                else if (r == '\r')
                        strbuf_append(out, "\\r");
                else if (r < 0x20 || r == 0x7f)
                        strbuf_appendf(out, "\\u%04x", (unsigned) r);
                else
                        strbuf_append_n(out, (const char *) p, k);
                p += k, n -= k;
        }
        strbuf_append_char(out, '"');
}

static void newline(JsonWriter *w) {
        if (!w->pretty)
                return;
        strbuf_append_char(w->out, '\n');
        for (unsigned i = 0; i < w->depth; i++)
                strbuf_append(w->out, "  ");
}

/* Called before every value or key. */
static void separate(JsonWriter *w) {
        if (w->after_key) {
                w->after_key = false;
                return;
        }
        if (w->depth == 0)
                return;
        if (!w->first[w->depth - 1])
                strbuf_append_char(w->out, ',');
        w->first[w->depth - 1] = false;
        newline(w);
}

static void container_open(JsonWriter *w, char c) {
        separate(w);
        strbuf_append_char(w->out, c);
        if (w->depth >= JSON_DEPTH_MAX) {
                /* A bug in the caller; keep the output well-formed-looking but flag it. */
                w->out->failed = true;
                return;
        }
        w->first[w->depth++] = true;
}

static void container_close(JsonWriter *w, char c) {
        if (w->depth == 0) {
                w->out->failed = true;
                return;
        }
        bool empty = w->first[--w->depth];
        if (!empty)
                newline(w);
        strbuf_append_char(w->out, c);
}

void json_begin_object(JsonWriter *w) {
        container_open(w, '{');
}
void json_end_object(JsonWriter *w) {
        container_close(w, '}');
}
void json_begin_array(JsonWriter *w) {
        container_open(w, '[');
}
void json_end_array(JsonWriter *w) {
        container_close(w, ']');
}

void json_key(JsonWriter *w, const char *key) {
        separate(w);
        json_escape(w->out, key, strlen(key));
        strbuf_append(w->out, w->pretty ? ": " : ":");
        w->after_key = true;
}

void json_string_n(JsonWriter *w, const char *s, size_t n) {
        separate(w);
        json_escape(w->out, s, n);
}

void json_string(JsonWriter *w, const char *s) {
        if (!s) {
                json_null(w);
                return;
        }
        json_string_n(w, s, strlen(s));
}

void json_int(JsonWriter *w, int64_t v) {
        separate(w);
        strbuf_appendf(w->out, "%" PRIi64, v);
}

void json_uint(JsonWriter *w, uint64_t v) {
        separate(w);
        strbuf_appendf(w->out, "%" PRIu64, v);
}

void json_bool(JsonWriter *w, bool v) {
        separate(w);
        strbuf_append(w->out, v ? "true" : "false");
}

void json_null(JsonWriter *w) {
        separate(w);
        strbuf_append(w->out, "null");
}
