/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "test-util.h"
#include "unit-slots.h"

typedef struct Entry {
        UnitSlot slot;
        unsigned n;
} Entry;

START_TEST(test_slots) {
        Entry t[2] = {};
        uint64_t clock = 0;
        Entry *a = unit_slot_get(t, 2, sizeof t[0], &clock, "a.service", "11");
        ck_assert_str_eq(a->slot.unit, "a.service");
        ck_assert_str_eq(a->slot.invocation_id, "11");
        a->n = 5;
        /* The same unit and invocation: its state stays. */
        ck_assert_ptr_eq(unit_slot_get(t, 2, sizeof t[0], &clock, "a.service", "11"), a);
        ck_assert_uint_eq(a->n, 5);
        Entry *b = unit_slot_get(t, 2, sizeof t[0], &clock, "b.service", NULL);
        ck_assert_ptr_ne(b, a);
        ck_assert_str_eq(b->slot.invocation_id, "");
        b->n = 7;
        /* A new invocation starts afresh. */
        ck_assert_ptr_eq(unit_slot_get(t, 2, sizeof t[0], &clock, "a.service", "22"), a);
        ck_assert_uint_eq(a->n, 0);
        ck_assert_str_eq(a->slot.invocation_id, "22");
        a->n = 1;
        /* Full: the unit used least recently (b) makes room. */
        Entry *c = unit_slot_get(t, 2, sizeof t[0], &clock, "c.service", "33");
        ck_assert_ptr_eq(c, b);
        ck_assert_str_eq(c->slot.unit, "c.service");
        ck_assert_uint_eq(c->n, 0);
        ck_assert_uint_eq(a->n, 1);
        ck_assert_uint_eq(clock, 5);
}
END_TEST

static Suite *unit_slots_suite(void) {
        Suite *s = suite_create("unit-slots");
        TCase *tc = tcase_create("core");
        tcase_add_test(tc, test_slots);
        suite_add_tcase(s, tc);
        return s;
}

DEFINE_TEST_MAIN(unit_slots_suite)
