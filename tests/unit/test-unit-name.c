/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>

#include "test-util.h"
#include "unit-name.h"

START_TEST(test_valid) {
        ck_assert(unit_name_is_valid("foo.service"));
        ck_assert(unit_name_is_valid("getty@tty1.service"));
        ck_assert(unit_name_is_valid("foo@.service"));
        ck_assert(unit_name_is_valid("sys-devices-x\\x2dy.device"));
        ck_assert(unit_name_is_valid("a:b_c.d-e.socket"));
        ck_assert(unit_name_is_valid("-.mount"));
}
END_TEST

START_TEST(test_invalid) {
        char long_name[300];
        ck_assert(!unit_name_is_valid(NULL));
        ck_assert(!unit_name_is_valid(""));
        ck_assert(!unit_name_is_valid("foo"));
        ck_assert(!unit_name_is_valid(".service"));
        ck_assert(!unit_name_is_valid("foo.bar"));
        ck_assert(!unit_name_is_valid("a/b.service"));
        ck_assert(!unit_name_is_valid("a b.service"));
        ck_assert(!unit_name_is_valid("@foo.service"));
        ck_assert(!unit_name_is_valid("a@b@c.service"));
        ck_assert(!unit_name_is_valid("\xc3\xa9.service"));
        memset(long_name, 'x', sizeof long_name);
        strcpy(long_name + 247, ".service"); /* 255 bytes: the longest valid name */
        ck_assert(unit_name_is_valid(long_name));
        memset(long_name, 'x', sizeof long_name);
        strcpy(long_name + 248, ".service"); /* 256 bytes */
        ck_assert(!unit_name_is_valid(long_name));
}
END_TEST

START_TEST(test_service) {
        ck_assert(unit_name_is_service("foo.service"));
        ck_assert(!unit_name_is_service("foo.socket"));
        ck_assert(!unit_name_is_service("foo"));
        ck_assert(!unit_name_is_service("x.service.socket"));
}
END_TEST

static Suite *unit_name_suite(void) {
        Suite *s = suite_create("unit-name");
        TCase *tc = tcase_create("core");
        tcase_add_test(tc, test_valid);
        tcase_add_test(tc, test_invalid);
        tcase_add_test(tc, test_service);
        suite_add_tcase(s, tc);
        return s;
}

DEFINE_TEST_MAIN(unit_name_suite)
