/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <string.h>

#include "parse-util.h"
#include "test-util.h"

START_TEST(test_prefix) {
        uint64_t v = 7;
        ck_assert_int_eq(parse_u64_prefix("123abc", 6, &v), 3);
        ck_assert_uint_eq(v, 123);
        ck_assert_int_eq(parse_u64_prefix("123abc", 2, &v), 2); /* only n bytes count */
        ck_assert_uint_eq(v, 12);
        v = 7;
        ck_assert_int_eq(parse_u64_prefix("x1", 2, &v), 0);
        ck_assert_int_eq(parse_u64_prefix(" 1", 2, &v), 0);
        ck_assert_int_eq(parse_u64_prefix("-1", 2, &v), 0);
        ck_assert_int_eq(parse_u64_prefix("", 0, &v), 0);
        ck_assert_uint_eq(v, 7); /* untouched when nothing was parsed */
        ck_assert_int_eq(parse_u64_prefix("18446744073709551615,", 21, &v), 20);
        ck_assert_uint_eq(v, UINT64_MAX);
        ck_assert_int_eq(parse_u64_prefix("18446744073709551616", 20, &v), -ERANGE);
        ck_assert_int_eq(parse_u64_prefix("000000000000000000000000001", 27, &v), 27);
        ck_assert_uint_eq(v, 1);
}
END_TEST

START_TEST(test_whole) {
        uint64_t v = 7;
        ck_assert_int_eq(parse_u64("0", &v), 0);
        ck_assert_uint_eq(v, 0);
        ck_assert_int_eq(parse_u64("42", &v), 0);
        ck_assert_uint_eq(v, 42);
        ck_assert_int_eq(parse_u64("18446744073709551615", &v), 0);
        ck_assert_uint_eq(v, UINT64_MAX);
        ck_assert_int_eq(parse_u64("18446744073709551616", &v), -ERANGE);
        ck_assert_int_eq(parse_u64("", &v), -EINVAL);
        ck_assert_int_eq(parse_u64("12 ", &v), -EINVAL);
        ck_assert_int_eq(parse_u64("+1", &v), -EINVAL);
        ck_assert_int_eq(parse_u64("0x10", &v), -EINVAL);
        ck_assert_uint_eq(v, UINT64_MAX);
}
END_TEST

START_TEST(test_timespan) {
        uint64_t u = 7;
        ck_assert_int_eq(parse_timespan("45", &u), 0);
        ck_assert_uint_eq(u, 45000000);
        ck_assert_int_eq(parse_timespan("2min", &u), 0);
        ck_assert_uint_eq(u, 120000000);
        ck_assert_int_eq(parse_timespan("1d 2h 3m 4s", &u), 0);
        ck_assert_uint_eq(u, (86400ull + 7200 + 180 + 4) * 1000000);
        ck_assert_int_eq(parse_timespan("1h30min", &u), 0);
        ck_assert_uint_eq(u, 5400000000);
        ck_assert_int_eq(parse_timespan("1500ms", &u), 0);
        ck_assert_uint_eq(u, 1500000);
        ck_assert_int_eq(parse_timespan("", &u), -EINVAL);
        ck_assert_int_eq(parse_timespan("5 fortnights", &u), -EINVAL);
        ck_assert_int_eq(parse_timespan("min", &u), -EINVAL);
        ck_assert_int_eq(parse_timespan("-5", &u), -EINVAL);
        ck_assert_int_eq(parse_timespan("99999999999999999999", &u), -EINVAL);
        ck_assert_int_eq(parse_timespan("99999999999999w", &u), -EINVAL);
        ck_assert_uint_eq(u, 1500000);
}
END_TEST

static Suite *parse_util_suite(void) {
        Suite *s = suite_create("parse-util");
        TCase *tc = tcase_create("parse-util");
        tcase_add_test(tc, test_prefix);
        tcase_add_test(tc, test_whole);
        tcase_add_test(tc, test_timespan);
        suite_add_tcase(s, tc);
        return s;
}

DEFINE_TEST_MAIN(parse_util_suite)
