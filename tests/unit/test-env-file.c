/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdio.h>
#include <string.h>

#include "env-file.h"
#include "go-env.h"
#include "strv.h"
#include "test-util.h"

static char **parse_ok(const char *text) {
        char **l = NULL;
        ck_assert_int_eq(env_file_parse(text, strlen(text), &l), 0);
        ck_assert_ptr_nonnull(l);
        return l;
}

START_TEST(test_syntax) {
        _cleanup_(strv_freep) char **l = parse_ok("# a comment\n"
                                                  "; another\n"
                                                  "\n"
                                                  "GOMEMLIMIT=36MiB\n"
                                                  "  GOGC = 50  \n"
                                                  "export PATH=/usr/bin:/bin\n"
                                                  "SINGLE='a b  $c \\n'\n"
                                                  "DOUBLE=\"x \\\"y\\\" \\\\z\"\n"
                                                  "CONT=one\\\n"
                                                  "two\n"
                                                  "not an assignment\n"
                                                  "9BAD=x\n"
                                                  "EMPTY=\n"
                                                  "MIXED=a'b c'\"d e\"\n");
        ck_assert_str_eq(env_get(l, "GOMEMLIMIT"), "36MiB");
        ck_assert_str_eq(env_get(l, "GOGC"), "50");
        ck_assert_str_eq(env_get(l, "PATH"), "/usr/bin:/bin");
        ck_assert_str_eq(env_get(l, "SINGLE"), "a b  $c \\n");
        ck_assert_str_eq(env_get(l, "DOUBLE"), "x \"y\" \\z");
        ck_assert_str_eq(env_get(l, "CONT"), "onetwo");
        ck_assert_ptr_null(env_get(l, "9BAD"));
        ck_assert_str_eq(env_get(l, "EMPTY"), "");
        ck_assert_str_eq(env_get(l, "MIXED"), "ab cd e");
        ck_assert_uint_eq(strv_length(l), 8);
}
END_TEST

START_TEST(test_last_wins_and_no_newline) {
        _cleanup_(strv_freep) char **l = parse_ok("A=1\nA=2");
        ck_assert_str_eq(env_get(l, "A"), "2");
}
END_TEST

START_TEST(test_errors) {
        char **l = NULL;
        ck_assert_int_eq(env_file_parse("A='open\n", 8, &l), -EBADMSG);
        ck_assert_ptr_null(l);
        char *huge = calloc(1, ENV_FILE_SIZE_MAX + 1);
        ck_assert_int_eq(env_file_parse(huge, ENV_FILE_SIZE_MAX + 1, &l), -E2BIG);
        ck_assert_ptr_null(l);
        /* Many variables within the size cap. */
        size_t n = 0;
        for (unsigned i = 0; i <= ENV_FILE_VARS_MAX; i++)
                n += (size_t) sprintf(huge + n, "V%u=1\n", i);
        ck_assert_int_eq(env_file_parse(huge, n, &l), -E2BIG);
        ck_assert_ptr_null(l);
        free(huge);
        _cleanup_(strv_freep) char **empty = parse_ok("");
        ck_assert_uint_eq(strv_length(empty), 0);
}
END_TEST

static Suite *env_file_suite(void) {
        Suite *s = suite_create("env-file");
        TCase *tc = tcase_create("core");
        tcase_add_test(tc, test_syntax);
        tcase_add_test(tc, test_last_wins_and_no_newline);
        tcase_add_test(tc, test_errors);
        suite_add_tcase(s, tc);
        return s;
}

DEFINE_TEST_MAIN(env_file_suite)
