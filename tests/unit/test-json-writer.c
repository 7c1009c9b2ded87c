/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>

#include "json-writer.h"
#include "test-util.h"

static void check_escape(const char *in, size_t n, const char *expected) {
        StrBuf b = {};
        json_escape(&b, in, n);
        ck_assert_int_eq(strbuf_error(&b), 0);
        ck_assert_str_eq(b.data, expected);
        strbuf_done(&b);
}
#define CHECK_ESCAPE(in, expected) check_escape(in, sizeof(in) - 1, expected)

START_TEST(test_escape_ascii) {
        CHECK_ESCAPE("", "\"\"");
        CHECK_ESCAPE("plain text", "\"plain text\"");
        CHECK_ESCAPE("a\"b\\c/d", "\"a\\\"b\\\\c/d\"");
        CHECK_ESCAPE("\n\t\r", "\"\\n\\t\\r\"");
        CHECK_ESCAPE("\x00\x01\b\f\x1f\x7f", "\"\\u0000\\u0001\\u0008\\u000c\\u001f\\u007f\"");
}
END_TEST

START_TEST(test_escape_utf8) {
        /* Valid UTF-8 passes through unchanged, including U+2028 and a real U+FFFD. */
        CHECK_ESCAPE("h\u00e9llo \u4e16\u754c \U0001F600", "\"h\u00e9llo \u4e16\u754c \U0001F600\"");
        CHECK_ESCAPE("\u2028\ufffd", "\"\u2028\ufffd\"");
}
END_TEST

START_TEST(test_escape_invalid_utf8) {
        /* Every byte that does not start a valid sequence becomes \xNN, as on the bus. */
        CHECK_ESCAPE("a\xff"
                     "b",
                     "\"a\\\\xffb\"");
        CHECK_ESCAPE("\xc3", "\"\\\\xc3\"");
        CHECK_ESCAPE("\xc3(", "\"\\\\xc3(\"");
        CHECK_ESCAPE("\xed\xa0\x80", "\"\\\\xed\\\\xa0\\\\x80\"");
        CHECK_ESCAPE("\xc0\x80", "\"\\\\xc0\\\\x80\"");
        CHECK_ESCAPE("\xf4\x90\x80\x80", "\"\\\\xf4\\\\x90\\\\x80\\\\x80\"");
        CHECK_ESCAPE("\xe2\x82\xac\xe2\x82", "\"\u20ac\\\\xe2\\\\x82\"");
}
END_TEST

START_TEST(test_compact_nesting) {
        StrBuf out = {};
        JsonWriter w = { .out = &out };
        json_begin_object(&w);
        json_key(&w, "a");
        json_int(&w, 1);
        json_key(&w, "b");
        json_begin_array(&w);
        json_bool(&w, true);
        json_bool(&w, false);
        json_null(&w);
        json_string(&w, "x");
        json_string(&w, NULL);
        json_int(&w, INT64_MIN);
        json_uint(&w, UINT64_MAX);
        json_string_n(&w, "a\0b", 3);
        json_end_array(&w);
        json_key(&w, "c");
        json_begin_object(&w);
        json_end_object(&w);
        json_key(&w, "d");
        json_begin_array(&w);
        json_end_array(&w);
        json_key(&w, "k\"\xff");
        json_begin_object(&w);
        json_key(&w, "inner");
        json_begin_array(&w);
        json_begin_array(&w);
        json_end_array(&w);
        json_begin_object(&w);
        json_end_object(&w);
        json_end_array(&w);
        json_end_object(&w);
        json_end_object(&w);
        ck_assert_int_eq(strbuf_error(&out), 0);
        ck_assert_str_eq(out.data, "{\"a\":1,\"b\":[true,false,null,\"x\",null,-9223372036854775808,"
                                   "18446744073709551615,\"a\\u0000b\"],\"c\":{},\"d\":[],"
                                   "\"k\\\"\\\\xff\":{\"inner\":[[],{}]}}");
        ck_assert_uint_eq(w.depth, 0);
        strbuf_done(&out);
}
END_TEST

START_TEST(test_pretty) {
        StrBuf out = {};
        JsonWriter w = { .out = &out, .pretty = true };
        json_begin_object(&w);
        json_key(&w, "a");
        json_int(&w, 1);
        json_key(&w, "b");
        json_begin_array(&w);
        json_bool(&w, true);
        json_null(&w);
        json_end_array(&w);
        json_key(&w, "c");
        json_begin_object(&w);
        json_end_object(&w);
        json_key(&w, "d");
        json_begin_object(&w);
        json_key(&w, "e");
        json_string(&w, "f");
        json_end_object(&w);
        json_end_object(&w);
        ck_assert_int_eq(strbuf_error(&out), 0);
        ck_assert_str_eq(out.data, "{\n"
                                   "  \"a\": 1,\n"
                                   "  \"b\": [\n"
                                   "    true,\n"
                                   "    null\n"
                                   "  ],\n"
                                   "  \"c\": {},\n"
                                   "  \"d\": {\n"
                                   "    \"e\": \"f\"\n"
                                   "  }\n"
                                   "}");
        strbuf_done(&out);
}
END_TEST

START_TEST(test_depth_limit) {
        StrBuf out = {};
        JsonWriter w = { .out = &out };
        for (unsigned i = 0; i < JSON_DEPTH_MAX; i++)
                json_begin_array(&w);
        ck_assert_int_eq(strbuf_error(&out), 0);
        ck_assert_uint_eq(w.depth, JSON_DEPTH_MAX);
        json_begin_array(&w); /* one too deep: flagged, not a crash */
        ck_assert_int_eq(strbuf_error(&out), -ENOMEM);
        ck_assert_uint_eq(w.depth, JSON_DEPTH_MAX);
        strbuf_done(&out);
}
END_TEST

START_TEST(test_unbalanced_close) {
        StrBuf out = {};
        JsonWriter w = { .out = &out };
        json_end_object(&w);
        ck_assert_int_eq(strbuf_error(&out), -ENOMEM);
        ck_assert_uint_eq(w.depth, 0);
        strbuf_done(&out);
}
END_TEST

static Suite *json_writer_suite(void) {
        Suite *s = suite_create("json-writer");
        TCase *tc = tcase_create("core");
        tcase_add_test(tc, test_escape_ascii);
        tcase_add_test(tc, test_escape_utf8);
        tcase_add_test(tc, test_escape_invalid_utf8);
        tcase_add_test(tc, test_compact_nesting);
        tcase_add_test(tc, test_pretty);
        tcase_add_test(tc, test_depth_limit);
        tcase_add_test(tc, test_unbalanced_close);
        suite_add_tcase(s, tc);
        return s;
}

DEFINE_TEST_MAIN(json_writer_suite)
