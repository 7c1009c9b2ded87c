/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <string.h>

#include "strbuf.h"
#include "test-util.h"

START_TEST(test_append) {
        StrBuf b = {};
        strbuf_append(&b, "abc");
        strbuf_append_char(&b, '-');
        strbuf_append_n(&b, "xyz", 2);
        strbuf_append_n(&b, NULL, 0);
        ck_assert_uint_eq(b.len, 6);
        ck_assert_str_eq(b.data, "abc-xy");
        ck_assert_int_eq(strbuf_error(&b), 0);
        strbuf_done(&b);
        ck_assert_ptr_null(b.data);
        ck_assert_uint_eq(b.len, 0);
}
END_TEST

START_TEST(test_append_embedded_nul) {
        StrBuf b = {};
        strbuf_append_n(&b, "a\0b", 3);
        ck_assert_uint_eq(b.len, 3);
        ck_assert_mem_eq(b.data, "a\0b\0", 4);
        strbuf_done(&b);
}
END_TEST

START_TEST(test_appendf) {
        StrBuf b = {};
        strbuf_appendf(&b, "%d-%s", 42, "x");
        ck_assert_str_eq(b.data, "42-x");
        /* Longer than the 128-byte fast path. */
        char big[301];
        memset(big, 'q', 300);
        big[300] = 0;
        strbuf_appendf(&b, "[%s]", big);
        ck_assert_uint_eq(b.len, 4 + 302);
        ck_assert_int_eq(b.data[4], '[');
        ck_assert_int_eq(b.data[5], 'q');
        ck_assert_int_eq(b.data[304], 'q');
        ck_assert_int_eq(b.data[305], ']');
        ck_assert_int_eq(b.data[306], 0);
        strbuf_done(&b);
}
END_TEST

START_TEST(test_steal) {
        StrBuf b = {};
        char *s;
        size_t n;
        ck_assert_int_eq(strbuf_steal(&b, &s, &n), 0); /* an empty buffer gives "" */
        ck_assert_str_eq(s, "");
        ck_assert_uint_eq(n, 0);
        free(s);

        strbuf_append(&b, "hello");
        ck_assert_int_eq(strbuf_steal(&b, &s, &n), 0);
        ck_assert_str_eq(s, "hello");
        ck_assert_uint_eq(n, 5);
        ck_assert_ptr_null(b.data);
        ck_assert_uint_eq(b.len, 0);
        free(s);
}
END_TEST

START_TEST(test_failure_is_sticky) {
        StrBuf b = {};
        char *s = NULL;
        strbuf_append(&b, "x");
        b.failed = true;
        strbuf_append(&b, "y");
        strbuf_appendf(&b, "%s", "z");
        ck_assert_str_eq(b.data, "x");
        ck_assert_int_eq(strbuf_error(&b), -ENOMEM);
        ck_assert_int_eq(strbuf_steal(&b, &s, NULL), -ENOMEM);
        ck_assert_ptr_null(s);
        ck_assert_ptr_null(b.data); /* steal frees on failure */
}
END_TEST

START_TEST(test_huge_reservation_fails) {
        StrBuf b = {};
        strbuf_append(&b, "x");
        strbuf_append_n(&b, "", SIZE_MAX - 1); /* never dereferenced: the reservation fails first */
        ck_assert_int_eq(strbuf_error(&b), -ENOMEM);
        strbuf_done(&b);
}
END_TEST

static Suite *strbuf_suite(void) {
        Suite *s = suite_create("strbuf");
        TCase *tc = tcase_create("core");
        tcase_add_test(tc, test_append);
        tcase_add_test(tc, test_append_embedded_nul);
        tcase_add_test(tc, test_appendf);
        tcase_add_test(tc, test_steal);
        tcase_add_test(tc, test_failure_is_sticky);
        tcase_add_test(tc, test_huge_reservation_fails);
        suite_add_tcase(s, tc);
        return s;
}

DEFINE_TEST_MAIN(strbuf_suite)
