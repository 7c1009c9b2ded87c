/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>

#include "go-env.h"
#include "strv.h"
#include "test-util.h"

START_TEST(test_public) {
        ck_assert(env_value_is_public("GOMEMLIMIT", 10));
        ck_assert(env_value_is_public("PATH", 4));
        ck_assert(env_value_is_public("HOME", 4));
        ck_assert(env_value_is_public("GODEBUG", 7));
        ck_assert(!env_value_is_public("GOMEMLIMITX", 11));
        ck_assert(!env_value_is_public("GOMEMLIMIT", 9)); /* "GOMEMLIMI" */
        ck_assert(!env_value_is_public("API_TOKEN", 9));
        ck_assert(!env_value_is_public("", 0));
        ck_assert(!env_value_is_public("path", 4));
}
END_TEST

START_TEST(test_environ_parse) {
        static const char block[] = "A=1\0B=\0=nameless\0noequals\0PATH=/bin:/usr/bin\0A=2";
        _cleanup_(strv_freep) char **env = NULL;

        ck_assert_int_eq(environ_parse(block, sizeof block - 1, &env), 0);
        ck_assert_uint_eq(strv_length(env), 4);
        ck_assert_str_eq(env[0], "A=1");
        ck_assert_str_eq(env[1], "B=");
        ck_assert_str_eq(env[2], "PATH=/bin:/usr/bin");
        ck_assert_str_eq(env[3], "A=2"); /* no trailing NUL: the last entry still counts */
        ck_assert_str_eq(env_get(env, "A"), "2");
        ck_assert_str_eq(env_get(env, "B"), "");
        ck_assert_ptr_null(env_get(env, "PAT"));
        ck_assert_ptr_null(env_get(env, "noequals"));
}
END_TEST

START_TEST(test_environ_empty_and_caps) {
        _cleanup_(strv_freep) char **env = NULL;
        ck_assert_int_eq(environ_parse("", 0, &env), 0);
        ck_assert_ptr_nonnull(env);
        ck_assert_uint_eq(strv_length(env), 0);

        char **none = NULL;
        char *big = calloc(1, ENVIRON_SIZE_MAX + 1);
        ck_assert_ptr_nonnull(big);
        ck_assert_int_eq(environ_parse(big, ENVIRON_SIZE_MAX + 1, &none), -E2BIG);
        ck_assert_ptr_null(none);
        /* More variables than the cap, within the size cap. */
        size_t n = 0;
        for (unsigned i = 0; i <= ENVIRON_VARS_MAX; i++) {
                memcpy(big + n, "X=1", 4);
                n += 4;
        }
        ck_assert_int_eq(environ_parse(big, n, &none), -E2BIG);
        ck_assert_ptr_null(none);
        free(big);
}
END_TEST

START_TEST(test_strv) {
        _cleanup_(strv_freep) char **a = NULL, **b = NULL;
        ck_assert(strv_equal(a, b));
        ck_assert_int_eq(strv_extend(&a, "x"), 0);
        ck_assert(!strv_equal(a, b));
        ck_assert_int_eq(strv_extend(&b, "x"), 0);
        ck_assert(strv_equal(a, b));
        ck_assert_int_eq(strv_extend(&b, "y"), 0);
        ck_assert(!strv_equal(a, b));
        ck_assert_uint_eq(strv_length(b), 2);
        ck_assert_int_eq(strv_consume(&a, NULL), -ENOMEM);
}
END_TEST

static Suite *go_env_suite(void) {
        Suite *s = suite_create("go-env");
        TCase *tc = tcase_create("core");
        tcase_add_test(tc, test_public);
        tcase_add_test(tc, test_environ_parse);
        tcase_add_test(tc, test_environ_empty_and_caps);
        tcase_add_test(tc, test_strv);
        suite_add_tcase(s, tc);
        return s;
}

DEFINE_TEST_MAIN(go_env_suite)
