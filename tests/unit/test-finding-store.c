/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "finding-test-util.h"

/* Adds a finding of (class, unit, key) to the store, in state st changed at `changed`. */
static Finding *add(FindingStore *s, FindingClass c, const char *unit, const char *key, FindingState st,
                    uint64_t changed) {
        Finding *f = new_finding(c, unit, key);
        ck_assert_int_eq(finding_set_state(f, st, changed), 0);
        f->state_changed = changed;
        char id[33];
        memcpy(id, f->id, sizeof id);
        ck_assert_int_eq(finding_store_add(s, f), 0);
        ck_assert_ptr_eq(finding_store_get(s, id), f);
        return f;
}

START_TEST(test_store_basics) {
        FindingStore s;
        ck_assert_int_eq(finding_store_init(&s), 0);
        ck_assert_uint_eq(finding_store_count(&s, NULL, _FINDING_STATE_INVALID), 0);
        ck_assert_ptr_null(finding_store_get(&s, "00000000000000000000000000000000"));
        ck_assert_ptr_null(finding_store_find_active(&s, FINDING_OOM_KILL, "a.service"));

        Finding *a = add(&s, FINDING_OOM_KILL, "a.service", "1", FINDING_OPEN, 0);
        Finding *b = add(&s, FINDING_OOM_KILL, "b.service", "1", FINDING_ACKNOWLEDGED, 5);
        Finding *c = add(&s, FINDING_OOM_KILL, "c.service", "1", FINDING_RESOLVED, 6);
        Finding *d = add(&s, FINDING_GLOBAL_OOM, "a.service", "1", FINDING_OPEN, 0);

        ck_assert_ptr_eq(finding_store_find_active(&s, FINDING_OOM_KILL, "a.service"), a);
        ck_assert_ptr_eq(finding_store_find_active(&s, FINDING_OOM_KILL, "b.service"), b);
        ck_assert_ptr_null(finding_store_find_active(&s, FINDING_OOM_KILL, "c.service")); /* resolved */
        ck_assert_ptr_eq(finding_store_find_active(&s, FINDING_GLOBAL_OOM, "a.service"), d);
        ck_assert_ptr_null(finding_store_find_active(&s, FINDING_GLOBAL_OOM, "b.service"));
        ck_assert_ptr_null(finding_store_find_active(&s, FINDING_OOMD_KILL, "a.service"));
        ck_assert_ptr_null(finding_store_find_active(&s, FINDING_OOM_KILL, "a.servic"));
        ck_assert_ptr_eq(finding_store_get(&s, c->id), c);

        /* A new finding after the resolved one is the active one. */
        Finding *c2 = add(&s, FINDING_OOM_KILL, "c.service", "2", FINDING_OPEN, 0);
        ck_assert_ptr_eq(finding_store_find_active(&s, FINDING_OOM_KILL, "c.service"), c2);

        ck_assert_uint_eq(finding_store_count(&s, NULL, _FINDING_STATE_INVALID), 5);
        ck_assert_uint_eq(finding_store_count(&s, NULL, FINDING_OPEN), 3);
        ck_assert_uint_eq(finding_store_count(&s, NULL, FINDING_ACKNOWLEDGED), 1);
        ck_assert_uint_eq(finding_store_count(&s, NULL, FINDING_RESOLVED), 1);
        ck_assert_uint_eq(finding_store_count(&s, "a.service", _FINDING_STATE_INVALID), 2);
        ck_assert_uint_eq(finding_store_count(&s, "c.service", FINDING_OPEN), 1);
        ck_assert_uint_eq(finding_store_count(&s, "c.service", FINDING_RESOLVED), 1);
        ck_assert_uint_eq(finding_store_count(&s, "x.service", _FINDING_STATE_INVALID), 0);

        /* The same id again: refused, and the new one freed (ASan checks). */
        Finding *dup = new_finding(FINDING_OOM_KILL, "a.service", "1");
        ck_assert_int_eq(finding_store_add(&s, dup), -EEXIST);
        ck_assert_ptr_eq(finding_store_get(&s, a->id), a);
        ck_assert_uint_eq(finding_store_count(&s, NULL, _FINDING_STATE_INVALID), 5);
        ck_assert_uint_eq(s.n_dropped, 0);

        finding_store_done(&s);
        ck_assert_ptr_null(s.by_id);
        finding_store_done(&s); /* twice is fine */
}
END_TEST

START_TEST(test_store_per_unit_cap) {
        FindingStore s;
        char key[32];
        ck_assert_int_eq(finding_store_init(&s), 0);

        /* Another unit's resolved findings are not touched by this unit's cap. */
        Finding *other = add(&s, FINDING_OOM_KILL, "other.service", "x", FINDING_RESOLVED, 1);
        char other_id[33];
        memcpy(other_id, other->id, 33);

        Finding *fs[FINDING_STORE_PER_UNIT_MAX];
        for (unsigned i = 0; i < FINDING_STORE_PER_UNIT_MAX; i++) {
                snprintf(key, sizeof key, "%u", i);
                fs[i] = add(&s, FINDING_OOM_KILL, "a.service", key, FINDING_OPEN, 0);
        }
        ck_assert_uint_eq(finding_store_count(&s, "a.service", _FINDING_STATE_INVALID),
                          FINDING_STORE_PER_UNIT_MAX);

        /* Full of open findings: the new one is refused and counted, none is lost. */
        Finding *f = new_finding(FINDING_OOM_KILL, "a.service", "refused");
        ck_assert_int_eq(finding_store_add(&s, f), -ENOSPC);
        ck_assert_uint_eq(s.n_dropped, 1);
        ck_assert_uint_eq(finding_store_count(&s, "a.service", _FINDING_STATE_INVALID),
                          FINDING_STORE_PER_UNIT_MAX);
        ck_assert_ptr_eq(finding_store_get(&s, other_id), other);
        /* Acknowledged ones are kept as well. */
        for (unsigned i = 0; i < FINDING_STORE_PER_UNIT_MAX; i++)
                ck_assert_int_eq(finding_set_state(fs[i], FINDING_ACKNOWLEDGED, 2), 0);
        f = new_finding(FINDING_GLOBAL_OOM, "a.service", "refused");
        ck_assert_int_eq(finding_store_add(&s, f), -ENOSPC);
        ck_assert_uint_eq(s.n_dropped, 2);

        /* Resolve three at different times: the oldest resolved goes first. */
        char id10[33], id20[33], id30[33];
        memcpy(id10, fs[10]->id, 33);
        memcpy(id20, fs[20]->id, 33);
        memcpy(id30, fs[30]->id, 33);
        ck_assert_int_eq(finding_set_state(fs[20], FINDING_RESOLVED, 300), 0);
        ck_assert_int_eq(finding_set_state(fs[10], FINDING_RESOLVED, 200), 0);
        ck_assert_int_eq(finding_set_state(fs[30], FINDING_RESOLVED, 400), 0);

        Finding *n1 = new_finding(FINDING_OOM_KILL, "a.service", "new1");
        char n1_id[33];
        memcpy(n1_id, n1->id, 33);
        ck_assert_int_eq(finding_store_add(&s, n1), 0);
        ck_assert_ptr_null(finding_store_get(&s, id10));
        ck_assert_ptr_nonnull(finding_store_get(&s, id20));
        ck_assert_ptr_nonnull(finding_store_get(&s, id30));
        ck_assert_ptr_nonnull(finding_store_get(&s, n1_id));
        ck_assert_ptr_eq(finding_store_get(&s, other_id), other); /* the other unit's stays */
        ck_assert_uint_eq(finding_store_count(&s, "a.service", _FINDING_STATE_INVALID),
                          FINDING_STORE_PER_UNIT_MAX);

        ck_assert_int_eq(finding_store_add(&s, new_finding(FINDING_OOM_KILL, "a.service", "new2")), 0);
        ck_assert_ptr_null(finding_store_get(&s, id20));
        ck_assert_ptr_nonnull(finding_store_get(&s, id30));
        ck_assert_int_eq(finding_store_add(&s, new_finding(FINDING_OOM_KILL, "a.service", "new3")), 0);
        ck_assert_ptr_null(finding_store_get(&s, id30));
        ck_assert_uint_eq(finding_store_count(&s, "a.service", FINDING_RESOLVED), 0);

        /* Full of active ones again. */
        ck_assert_int_eq(finding_store_add(&s, new_finding(FINDING_OOM_KILL, "a.service", "new4")), -ENOSPC);
        ck_assert_uint_eq(s.n_dropped, 3);
        ck_assert_uint_eq(finding_store_count(&s, "a.service", FINDING_RESOLVED), 0);
        ck_assert_uint_eq(finding_store_count(&s, "a.service", _FINDING_STATE_INVALID),
                          FINDING_STORE_PER_UNIT_MAX);
        /* Other units still have room. */
        add(&s, FINDING_OOM_KILL, "b.service", "x", FINDING_OPEN, 0);
        ck_assert_uint_eq(finding_store_count(&s, NULL, _FINDING_STATE_INVALID),
                          FINDING_STORE_PER_UNIT_MAX + 2);

        finding_store_done(&s);
}
END_TEST

START_TEST(test_store_equal_times) {
        FindingStore s;
        ck_assert_int_eq(finding_store_init(&s), 0);
        char key[32], ids[FINDING_STORE_PER_UNIT_MAX][33];
        for (unsigned i = 0; i < FINDING_STORE_PER_UNIT_MAX; i++) {
                snprintf(key, sizeof key, "%u", i);
                Finding *f = add(&s, FINDING_OOM_KILL, "a.service", key, FINDING_RESOLVED, 7);
                memcpy(ids[i], f->id, 33);
        }
        for (unsigned round = 0; round < 3; round++) {
                /* The smallest remaining id. */
                const char *min = NULL;
                for (unsigned i = 0; i < FINDING_STORE_PER_UNIT_MAX; i++)
                        if (finding_store_get(&s, ids[i]) && (!min || strcmp(ids[i], min) < 0))
                                min = ids[i];
                snprintf(key, sizeof key, "new%u", round);
                ck_assert_int_eq(finding_store_add(&s, new_finding(FINDING_OOM_KILL, "a.service", key)), 0);
                ck_assert_ptr_null(finding_store_get(&s, min));
                ck_assert_uint_eq(finding_store_count(&s, "a.service", _FINDING_STATE_INVALID),
                                  FINDING_STORE_PER_UNIT_MAX);
        }
        ck_assert_uint_eq(s.n_dropped, 0);
        finding_store_done(&s);
}
END_TEST

START_TEST(test_store_total_cap) {
        FindingStore s;
        char unit[32], key[32];
        ck_assert_int_eq(finding_store_init(&s), 0);

        unsigned units = FINDING_STORE_TOTAL_MAX / FINDING_STORE_PER_UNIT_MAX;
        for (unsigned u = 0; u < units; u++)
                for (unsigned i = 0; i < FINDING_STORE_PER_UNIT_MAX; i++) {
                        snprintf(unit, sizeof unit, "u%u.service", u);
                        snprintf(key, sizeof key, "%u", i);
                        /* Unit u5's finding 3 resolved at 50, unit u9's finding 0 at 40, u1's 2 at 60. */
                        uint64_t changed = (u == 5 && i == 3)   ? 50
                                           : (u == 9 && i == 0) ? 40
                                           : (u == 1 && i == 2) ? 60
                                                                : 0;
                        add(&s, FINDING_OOM_KILL, unit, key, changed ? FINDING_RESOLVED : FINDING_OPEN,
                            changed);
                }
        ck_assert_uint_eq(finding_store_count(&s, NULL, _FINDING_STATE_INVALID), FINDING_STORE_TOTAL_MAX);

        /* A new unit: the oldest resolved finding of any unit makes room. */
        ck_assert_int_eq(finding_store_add(&s, new_finding(FINDING_OOM_KILL, "new.service", "a")), 0);
        ck_assert_uint_eq(finding_store_count(&s, NULL, _FINDING_STATE_INVALID), FINDING_STORE_TOTAL_MAX);
        ck_assert_uint_eq(finding_store_count(&s, "u9.service", _FINDING_STATE_INVALID),
                          FINDING_STORE_PER_UNIT_MAX - 1);
        ck_assert_uint_eq(finding_store_count(&s, "u5.service", _FINDING_STATE_INVALID),
                          FINDING_STORE_PER_UNIT_MAX);

        /* A unit with a resolved finding of its own: its per-unit cap is full, so its own goes. */
        ck_assert_int_eq(finding_store_add(&s, new_finding(FINDING_GLOBAL_OOM, "u1.service", "a")), 0);
        ck_assert_uint_eq(finding_store_count(&s, "u1.service", FINDING_RESOLVED), 0);
        ck_assert_uint_eq(finding_store_count(&s, "u5.service", FINDING_RESOLVED), 1);
        ck_assert_uint_eq(finding_store_count(&s, NULL, _FINDING_STATE_INVALID), FINDING_STORE_TOTAL_MAX);

        /* A unit with room under its own cap, while the total is full: the oldest of any unit. */
        ck_assert_int_eq(finding_store_add(&s, new_finding(FINDING_OOM_KILL, "new.service", "b")), 0);
        ck_assert_uint_eq(finding_store_count(&s, "u5.service", FINDING_RESOLVED), 0);
        ck_assert_uint_eq(finding_store_count(&s, NULL, FINDING_RESOLVED), 0);
        ck_assert_uint_eq(finding_store_count(&s, "new.service", _FINDING_STATE_INVALID), 2);

        /* Only open ones left: refused, counted, nothing lost. */
        ck_assert_uint_eq(s.n_dropped, 0);
        ck_assert_int_eq(finding_store_add(&s, new_finding(FINDING_OOM_KILL, "new.service", "c")), -ENOSPC);
        ck_assert_int_eq(finding_store_add(&s, new_finding(FINDING_OOM_KILL, "newer.service", "c")),
                         -ENOSPC);
        ck_assert_uint_eq(s.n_dropped, 2);
        ck_assert_uint_eq(finding_store_count(&s, NULL, _FINDING_STATE_INVALID), FINDING_STORE_TOTAL_MAX);
        ck_assert_uint_eq(finding_store_count(&s, NULL, FINDING_OPEN), FINDING_STORE_TOTAL_MAX);
        finding_store_done(&s);
}
END_TEST

/* Offline: the newest findings are kept, whatever order they were added in, and the store never
 * holds more than twice the caps between trims. */
static void add_seen(FindingStore *s, const char *unit, unsigned key, uint64_t last_seen) {
        char k[32];
        snprintf(k, sizeof k, "%u", key);
        Finding *f = new_finding(FINDING_OOM_KILL, unit, k);
        f->last_seen = last_seen;
        ck_assert_int_eq(finding_store_add(s, f), 0);
}

START_TEST(test_store_keep_newest) {
        FindingStore s;
        char unit[32];
        const unsigned n = 3 * FINDING_STORE_TOTAL_MAX + 17;

        /* Without keep_newest, trimming does nothing. */
        ck_assert_int_eq(finding_store_init(&s), 0);
        for (unsigned i = 0; i < FINDING_STORE_PER_UNIT_MAX; i++)
                add_seen(&s, "a.service", i, i);
        ck_assert_int_eq(finding_store_trim(&s, true), 0);
        ck_assert_uint_eq(finding_store_count(&s, NULL, _FINDING_STATE_INVALID), FINDING_STORE_PER_UNIT_MAX);
        finding_store_done(&s);

        /* One finding per unit, last_seen a permutation of 0..n-1 (7919 is prime to n). */
        ck_assert_int_eq(finding_store_init(&s), 0);
        s.keep_newest = true;
        for (unsigned i = 0; i < n; i++) {
                snprintf(unit, sizeof unit, "u%u.service", i);
                add_seen(&s, unit, 0, (uint64_t) i * 7919 % n);
                ck_assert_uint_le(hashmap_size(s.by_id), 2 * FINDING_STORE_TOTAL_MAX);
                ck_assert_int_eq(finding_store_trim(&s, false), 0);
        }
        ck_assert_uint_gt(hashmap_size(s.by_id), FINDING_STORE_TOTAL_MAX); /* not due: not trimmed */
        ck_assert_int_eq(finding_store_trim(&s, true), 0);
        ck_assert_uint_eq(hashmap_size(s.by_id), FINDING_STORE_TOTAL_MAX);
        ck_assert_uint_eq(s.n_dropped, n - FINDING_STORE_TOTAL_MAX);
        size_t i = 0;
        void *v;
        while (hashmap_iterate(s.by_id, &i, &v, NULL))
                ck_assert_uint_ge(((Finding *) v)->last_seen, n - FINDING_STORE_TOTAL_MAX);
        finding_store_done(&s);

        /* One unit: its newest FINDING_STORE_PER_UNIT_MAX; another unit's are not touched. */
        ck_assert_int_eq(finding_store_init(&s), 0);
        s.keep_newest = true;
        add_seen(&s, "other.service", 0, 1);
        for (unsigned k = 0; k < 2 * FINDING_STORE_PER_UNIT_MAX; k++)
                add_seen(&s, "a.service", k, 1000 + (k * 37) % (2 * FINDING_STORE_PER_UNIT_MAX));
        /* Twice the cap: refused until trimmed. */
        Finding *f = new_finding(FINDING_OOM_KILL, "a.service", "more");
        f->last_seen = 5000;
        ck_assert_int_eq(finding_store_add(&s, f), -ENOSPC);
        ck_assert_uint_eq(s.n_dropped, 1);
        ck_assert(s.trim_due);
        ck_assert_int_eq(finding_store_trim(&s, false), 0);
        ck_assert(!s.trim_due);
        ck_assert_uint_eq(finding_store_count(&s, "a.service", _FINDING_STATE_INVALID),
                          FINDING_STORE_PER_UNIT_MAX);
        ck_assert_uint_eq(finding_store_count(&s, "other.service", _FINDING_STATE_INVALID), 1);
        ck_assert_uint_eq(s.n_dropped, 1 + FINDING_STORE_PER_UNIT_MAX);
        i = 0;
        while (hashmap_iterate(s.by_id, &i, &v, NULL))
                if (streq(((Finding *) v)->unit, "a.service"))
                        ck_assert_uint_ge(((Finding *) v)->last_seen, 1000 + FINDING_STORE_PER_UNIT_MAX);
        finding_store_done(&s);
}
END_TEST

static Suite *finding_store_suite(void) {
        Suite *s = suite_create("finding-store");
        TCase *tc = tcase_create("store");
        tcase_add_test(tc, test_store_basics);
        tcase_add_test(tc, test_store_per_unit_cap);
        tcase_add_test(tc, test_store_equal_times);
        tcase_add_test(tc, test_store_total_cap);
        tcase_add_test(tc, test_store_keep_newest);
        tcase_set_timeout(tc, 120);
        suite_add_tcase(s, tc);
        return s;
}

DEFINE_TEST_MAIN(finding_store_suite)
