/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <string.h>

#include "go-strconv.h"
#include "test-util.h"

/* Expected outputs were produced with Go 1.19's strconv.Quote / strconv.Unquote. */

static void check_quote(const char *in, size_t n, const char *expected) {
        StrBuf b = {};
        char *s;
        go_quote(&b, in, n);
        ck_assert_int_eq(strbuf_steal(&b, &s, NULL), 0);
        ck_assert_str_eq(s, expected);
        free(s);
}
#define CHECK_QUOTE(in, expected) check_quote(in, sizeof(in) - 1, expected)

START_TEST(test_quote_ascii) {
        CHECK_QUOTE("", "\"\"");
        CHECK_QUOTE("abc", "\"abc\"");
        CHECK_QUOTE("-s -w -X main.v=1", "\"-s -w -X main.v=1\"");
        CHECK_QUOTE("a\"b\\c", "\"a\\\"b\\\\c\"");
        CHECK_QUOTE("'`", "\"'`\"");
        CHECK_QUOTE("~ ", "\"~ \"");
}
END_TEST

START_TEST(test_quote_controls) {
        CHECK_QUOTE("\x00\x01\a\b\f\n\r\t\v\x1b\x7f", "\"\\x00\\x01\\a\\b\\f\\n\\r\\t\\v\\x1b\\x7f\"");
        CHECK_QUOTE("\x1f", "\"\\x1f\"");
        CHECK_QUOTE("a\tb", "\"a\\tb\"");
}
END_TEST

START_TEST(test_quote_invalid_utf8) {
        CHECK_QUOTE("\xff\xfe"
                    "A\xc3",
                    "\"\\xff\\xfeA\\xc3\"");
        CHECK_QUOTE("\xed\xa0\x80", "\"\\xed\\xa0\\x80\"");          /* surrogate */
        CHECK_QUOTE("\xc0\x80", "\"\\xc0\\x80\"");                   /* overlong */
        CHECK_QUOTE("\xe4\xb8", "\"\\xe4\\xb8\"");                   /* truncated */
        CHECK_QUOTE("\xf4\x90\x80\x80", "\"\\xf4\\x90\\x80\\x80\""); /* > U+10FFFF */
        CHECK_QUOTE("\xf0\x80\x80\x80", "\"\\xf0\\x80\\x80\\x80\"");
        CHECK_QUOTE("~ \x7f\x80", "\"~ \\x7f\\x80\"");
}
END_TEST

START_TEST(test_quote_non_printable) {
        /* NBSP, soft hyphen, line separator, BOM, private use, last plane, language tag */
        CHECK_QUOTE("\u00a0\u00ad\u2028\ufeff\ue000\U0010ffff\U000e0001",
                    "\"\\u00a0\\u00ad\\u2028\\ufeff\\ue000\\U0010ffff\\U000e0001\"");
        /* C1 controls, zero-width space, paragraph separator, Arabic letter mark, U+FFFE,
         * ideographic space, Ogham space mark */
        CHECK_QUOTE("\xc2\x85\xc2\x9f\u200b\u2029\u061c\ufffe\u3000\u1680",
                    "\"\\u0085\\u009f\\u200b\\u2029\\u061c\\ufffe\\u3000\\u1680\"");
}
END_TEST

START_TEST(test_quote_printable_unicode) {
        CHECK_QUOTE("h\u00e9llo \u4e16\u754c \U0001F600", "\"h\u00e9llo \u4e16\u754c \U0001F600\"");
        CHECK_QUOTE("\ufffd", "\"\ufffd\"");   /* a real U+FFFD is printable */
        CHECK_QUOTE("a\u0301", "\"a\u0301\""); /* combining marks are printable */
}
END_TEST

START_TEST(test_rune_is_print) {
        ck_assert(go_rune_is_print(' '));
        ck_assert(go_rune_is_print('~'));
        ck_assert(!go_rune_is_print(0));
        ck_assert(!go_rune_is_print(0x1f));
        ck_assert(!go_rune_is_print(0x7f));
        ck_assert(!go_rune_is_print(0x80));
        ck_assert(!go_rune_is_print(0xa0));
        ck_assert(go_rune_is_print(0xa1));
        ck_assert(!go_rune_is_print(0xad));
        ck_assert(go_rune_is_print(0xe9));
        ck_assert(!go_rune_is_print(0x2028));
        ck_assert(go_rune_is_print(0x4e16));
        ck_assert(!go_rune_is_print(0xd800));
        ck_assert(!go_rune_is_print(0xe000));
        ck_assert(go_rune_is_print(0xfffd));
        ck_assert(go_rune_is_print(0x1f600));
        ck_assert(!go_rune_is_print(0xf0000));
        ck_assert(!go_rune_is_print(0x10ffff));
}
END_TEST

/* Unquotes the whole of in; returns the result or NULL on error, with *ret_r the return code. */
static char *unquote(const char *in, size_t n, size_t *ret_len, size_t *ret_used, int *ret_r) {
        StrBuf b = {};
        size_t used = 9999;
        char *s = NULL;
        int r = go_unquote_prefix(in, n, &b, &used);
        *ret_r = r;
        if (r < 0) {
                strbuf_done(&b);
                return NULL;
        }
        *ret_used = used;
        ck_assert_int_eq(strbuf_steal(&b, &s, ret_len), 0);
        return s;
}

static void check_unquote(const char *in, size_t n, const char *expected, size_t expected_len,
                          size_t expected_used) {
        size_t len = 0, used = 0;
        int r;
        char *s = unquote(in, n, &len, &used, &r);
        ck_assert_msg(r == 0, "unquoting '%s' failed: %d", in, r);
        ck_assert_uint_eq(used, expected_used);
        ck_assert_uint_eq(len, expected_len);
        ck_assert_mem_eq(s, expected, expected_len);
        free(s);
}
#define CHECK_UNQUOTE(in, expected)                                                                         \
        check_unquote(in, sizeof(in) - 1, expected, sizeof(expected) - 1, sizeof(in) - 1)

static void check_unquote_fails(const char *in, size_t n) {
        size_t len, used;
        int r;
        char *s = unquote(in, n, &len, &used, &r);
        ck_assert_msg(r == -EBADMSG, "unquoting '%s' gave %d, expected -EBADMSG", in, r);
        ck_assert_ptr_null(s);
}
#define CHECK_UNQUOTE_FAILS(in) check_unquote_fails(in, sizeof(in) - 1)

START_TEST(test_unquote_plain) {
        CHECK_UNQUOTE("\"\"", "");
        CHECK_UNQUOTE("\"abc\"", "abc");
        CHECK_UNQUOTE("\"-s -w\"", "-s -w");
        CHECK_UNQUOTE("\"h\u00e9llo\"", "h\u00e9llo");
        CHECK_UNQUOTE("\"'`\"", "'`");
        CHECK_UNQUOTE("\"a\tb\"", "a\tb"); /* a literal tab is allowed */
}
END_TEST

START_TEST(test_unquote_escapes) {
        CHECK_UNQUOTE("\"\\a\\b\\f\\n\\r\\t\\v\\\\\\\"\"", "\a\b\f\n\r\t\v\\\"");
        CHECK_UNQUOTE("\"\\x41\\x7a\"", "Az");
        CHECK_UNQUOTE("\"\\xff\\x00\"", "\xff\x00"); /* \x gives raw bytes, NUL included */
        CHECK_UNQUOTE("\"\\101\\000\\377\"", "A\0\xff");
        CHECK_UNQUOTE("\"\\u00e9\\u20AC\"", "\u00e9\u20ac");
        CHECK_UNQUOTE("\"\\U0001F600\\U0010ffff\"", "\U0001F600\U0010ffff");
        CHECK_UNQUOTE("\"\\x41\\101\\u00e9\\U0001F600\\a\\b\\f\\n\\r\\t\\v\\\\\\\"\"",
                      "AA\u00e9\U0001F600\a\b\f\n\r\t\v\\\"");
}
END_TEST

START_TEST(test_unquote_invalid_utf8_becomes_fffd) {
        /* Go decodes bytes one rune at a time and appends RuneError for a bad one. */
        CHECK_UNQUOTE("\"\xff\"", "\ufffd");
        CHECK_UNQUOTE("\"a\xc3\"", "a\ufffd");
        CHECK_UNQUOTE("\"\xed\xa0\x80\"", "\ufffd\ufffd\ufffd");
}
END_TEST

START_TEST(test_unquote_raw) {
        CHECK_UNQUOTE("``", "");
        CHECK_UNQUOTE("`abc`", "abc");
        CHECK_UNQUOTE("`a\\nb\"c`", "a\\nb\"c"); /* no escapes in raw strings */
        CHECK_UNQUOTE("`a\nb`", "a\nb");         /* newlines are allowed */
        CHECK_UNQUOTE("`a\r\nb`", "a\nb");       /* carriage returns are dropped */
        CHECK_UNQUOTE("`\r\r`", "");
        CHECK_UNQUOTE("`b\rc`", "bc");
        CHECK_UNQUOTE("`\xff`", "\xff"); /* raw strings are not UTF-8 checked */
}
END_TEST

START_TEST(test_unquote_prefix) {
        check_unquote("\"abc\"=value", 11, "abc", 3, 5);
        check_unquote("`k`=`v`", 7, "k", 1, 3);
        check_unquote("\"a\\\"b\"rest", 10, "a\"b", 3, 6);
        /* The length bounds the input even if memory continues. */
        check_unquote("\"ab\"cd", 4, "ab", 2, 4);
}
END_TEST

START_TEST(test_unquote_errors) {
        CHECK_UNQUOTE_FAILS("");
        CHECK_UNQUOTE_FAILS("\"");
        CHECK_UNQUOTE_FAILS("`");
        CHECK_UNQUOTE_FAILS("abc");
        CHECK_UNQUOTE_FAILS("'a'");      /* rune literals are not strings */
        CHECK_UNQUOTE_FAILS("\"abc");    /* unterminated */
        CHECK_UNQUOTE_FAILS("`abc");     /* unterminated raw */
        CHECK_UNQUOTE_FAILS("\"a\nb\""); /* newline inside */
        CHECK_UNQUOTE_FAILS("\"\\'\"");  /* \' only in rune literals */
        CHECK_UNQUOTE_FAILS("\"\\q\"");
        CHECK_UNQUOTE_FAILS("\"\\\""); /* escaped closing quote */
        CHECK_UNQUOTE_FAILS("\"\\");
        CHECK_UNQUOTE_FAILS("\"\\x4\"");
        CHECK_UNQUOTE_FAILS("\"\\x4g\"");
        CHECK_UNQUOTE_FAILS("\"\\x");
        CHECK_UNQUOTE_FAILS("\"\\0\""); /* octal needs three digits */
        CHECK_UNQUOTE_FAILS("\"\\12\"");
        CHECK_UNQUOTE_FAILS("\"\\400\""); /* > 255 */
        CHECK_UNQUOTE_FAILS("\"\\18a\"");
        CHECK_UNQUOTE_FAILS("\"\\u00e\"");
        CHECK_UNQUOTE_FAILS("\"\\u00eg\"");
        CHECK_UNQUOTE_FAILS("\"\\ud800\""); /* surrogate */
        CHECK_UNQUOTE_FAILS("\"\\udfff\"");
        CHECK_UNQUOTE_FAILS("\"\\U00110000\"");
        CHECK_UNQUOTE_FAILS("\"\\UFFFFFFFF\"");
        CHECK_UNQUOTE_FAILS("\"\\U0001F60\"");
        /* Cut short by the length. */
        check_unquote_fails("\"abc\"", 4);
        check_unquote_fails("\"\\u00e9\"", 6);
}
END_TEST

START_TEST(test_quote_unquote_round_trip) {
        static const char *const inputs[] = {
                "",
                "plain",
                "with space",
                "tab\there",
                "nl\nand\rcr",
                "q\"uote\\",
                "\x01\x7f",
                "\u00a0\u2028\ufeff",
                "\U0010ffff\U000e0001",
                "h\u00e9llo \u4e16\u754c",
        };
        for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
                StrBuf q = {}, u = {};
                size_t used;
                go_quote(&q, inputs[i], strlen(inputs[i]));
                ck_assert_int_eq(strbuf_error(&q), 0);
                ck_assert_int_eq(go_unquote_prefix(q.data, q.len, &u, &used), 0);
                ck_assert_uint_eq(used, q.len);
                ck_assert_uint_eq(u.len, strlen(inputs[i]));
                ck_assert_mem_eq(u.data ?: "", inputs[i], u.len);
                strbuf_done(&q);
                strbuf_done(&u);
        }
        /* Invalid bytes quote as \x escapes, which unquote back to the same bytes. */
        StrBuf q = {}, u = {};
        size_t used;
        go_quote(&q, "\xff\xc3(", 3);
        ck_assert_int_eq(go_unquote_prefix(q.data, q.len, &u, &used), 0);
        ck_assert_uint_eq(u.len, 3);
        ck_assert_mem_eq(u.data, "\xff\xc3(", 3);
        strbuf_done(&q);
        strbuf_done(&u);
}
END_TEST

static Suite *go_strconv_suite(void) {
        Suite *s = suite_create("go-strconv");
        TCase *tc = tcase_create("quote");
        tcase_add_test(tc, test_quote_ascii);
        tcase_add_test(tc, test_quote_controls);
        tcase_add_test(tc, test_quote_invalid_utf8);
        tcase_add_test(tc, test_quote_non_printable);
        tcase_add_test(tc, test_quote_printable_unicode);
        tcase_add_test(tc, test_rune_is_print);
        suite_add_tcase(s, tc);
        tc = tcase_create("unquote");
        tcase_add_test(tc, test_unquote_plain);
        tcase_add_test(tc, test_unquote_escapes);
        tcase_add_test(tc, test_unquote_invalid_utf8_becomes_fffd);
        tcase_add_test(tc, test_unquote_raw);
        tcase_add_test(tc, test_unquote_prefix);
        tcase_add_test(tc, test_unquote_errors);
        tcase_add_test(tc, test_quote_unquote_round_trip);
        suite_add_tcase(s, tc);
        return s;
}

DEFINE_TEST_MAIN(go_strconv_suite)
