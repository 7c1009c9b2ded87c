/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdio.h>
#include <string.h>

#include "test-util.h"
#include "unit-comm.h"

START_TEST(test_newest_comms) {
        UnitComms t = {};
        ck_assert_ptr_null(unit_comms_get(&t, "a.service"));
        ck_assert_int_eq(unit_comms_note(&t, "a.service", "sh"), 0);
        ck_assert_int_eq(unit_comms_note(&t, "a.service", "sh"), 0);
        const UnitComm *u = unit_comms_get(&t, "a.service");
        ck_assert_ptr_nonnull(u);
        ck_assert_str_eq(u->comm[0], "sh");
        ck_assert_str_eq(u->comm[1], "");

        /* The newest first; the same comm again moves up rather than taking two places. */
        ck_assert_int_eq(unit_comms_note(&t, "a.service", "server"), 0);
        ck_assert_str_eq(u->comm[0], "server");
        ck_assert_str_eq(u->comm[1], "sh");
        ck_assert_int_eq(unit_comms_note(&t, "a.service", "sh"), 0);
        ck_assert_str_eq(u->comm[0], "sh");
        ck_assert_str_eq(u->comm[1], "server");
        ck_assert_int_eq(unit_comms_note(&t, "a.service", "v2"), 0);
        ck_assert_str_eq(u->comm[0], "v2");
        ck_assert_str_eq(u->comm[1], "sh");
        ck_assert(unit_comm_has(u, "sh"));
        ck_assert(!unit_comm_has(u, "server"));
        ck_assert(!unit_comm_has(NULL, "sh"));

        /* The kernel's comm is 15 bytes: a longer name is cut, as journald's _COMM is. */
        ck_assert_int_eq(unit_comms_note(&t, "b.service", "inventory-synchronizer"), 0);
        ck_assert_str_eq(unit_comms_get(&t, "b.service")->comm[0], "inventory-synch");
        ck_assert(unit_comm_has(unit_comms_get(&t, "b.service"), "inventory-synch"));
        ck_assert(!unit_comm_has(unit_comms_get(&t, "b.service"), "inventory"));

        /* Nothing to learn from an entry without its unit or comm. */
        ck_assert_int_eq(unit_comms_note(&t, NULL, "x"), 0);
        ck_assert_int_eq(unit_comms_note(&t, "c.service", ""), 0);
        ck_assert_ptr_null(unit_comms_get(&t, "c.service"));
        unit_comms_done(&t);
}
END_TEST

START_TEST(test_cap) {
        /* At most UNIT_COMMS_MAX units: those heard from most recently. */
        UnitComms t = {};
        char name[64];
        ck_assert_int_eq(unit_comms_note(&t, "kept.service", "kept"), 0);
        for (unsigned i = 0; i < 3 * UNIT_COMMS_MAX; i++) {
                snprintf(name, sizeof name, "u%u.service", i);
                ck_assert_int_eq(unit_comms_note(&t, name, "c"), 0);
                if (i % 1000 == 0) /* heard from again now and then */
                        ck_assert_int_eq(unit_comms_note(&t, "kept.service", "kept"), 0);
                ck_assert_uint_le(hashmap_size(t.current) + (t.previous ? hashmap_size(t.previous) : 0),
                                  UNIT_COMMS_MAX);
        }
        ck_assert_ptr_nonnull(unit_comms_get(&t, "kept.service"));
        ck_assert_ptr_null(unit_comms_get(&t, "u0.service"));
        snprintf(name, sizeof name, "u%u.service", 3 * UNIT_COMMS_MAX - 1);
        ck_assert_str_eq(unit_comms_get(&t, name)->comm[0], "c");
        snprintf(name, sizeof name, "u%u.service", 3 * UNIT_COMMS_MAX - UNIT_COMMS_MAX / 2);
        ck_assert_ptr_nonnull(unit_comms_get(&t, name));
        unit_comms_done(&t);
        unit_comms_done(&t); /* twice is harmless */
}
END_TEST

static Suite *unit_comm_suite(void) {
        Suite *s = suite_create("unit-comm");
        TCase *tc = tcase_create("unit-comm");
        tcase_add_test(tc, test_newest_comms);
        tcase_add_test(tc, test_cap);
        suite_add_tcase(s, tc);
        return s;
}

DEFINE_TEST_MAIN(unit_comm_suite)
