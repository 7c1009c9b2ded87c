/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "finding-state-test-util.h"

START_TEST(test_round_trip) {
        FindingStore a, b, c;
        ck_assert_int_eq(finding_store_init(&a), 0);
        fill(&a);
        char *t1 = write_store(&a);

        read_ok(t1, strlen(t1), &b);
        check_same_store(&a, &b);
        char *t2 = write_store(&b);
        ck_assert_str_eq(t1, t2);

        /* The seen keys come back without counting again. */
        Finding *f = finding_store_find_active(&b, FINDING_GO_RUNTIME_OOM, "user@1000.service");
        ck_assert_ptr_nonnull(f);
        ck_assert_uint_eq(f->count, 12345);
        ck_assert_uint_eq(f->first_seen, 5);
        ck_assert_uint_eq(f->last_seen, 1000 + FINDING_SEEN_KEYS_MAX + 9);
        ck_assert_str_eq(f->invocation_id, inv1);
        ck_assert_uint_eq(f->n_seen_keys, FINDING_SEEN_KEYS_MAX);
        ck_assert(!finding_seen(f, "boot/inv/10/go-oom"));
        ck_assert(finding_seen(f, "boot/inv/11/go-oom"));
        ck_assert(finding_seen(f, "key with space\\ and \n newline"));
        /* ... and still dedup after the restart. */
        ck_assert_int_eq(finding_record(f, "boot/inv/20/go-oom", NULL, 1), 0);
        ck_assert_uint_eq(f->count, 12345);
        f = finding_store_find_active(&b, FINDING_OOM_KILL, "gomem.service");
        ck_assert_ptr_nonnull(f);
        ck_assert_int_eq(finding_record(f, "-/kpid/10323", NULL, 1), 0);
        ck_assert_uint_eq(f->count, 2);
        ck_assert_int_eq(finding_get(f, "min")->i, INT64_MIN);
        ck_assert_uint_eq(finding_get(f, "max")->u, UINT64_MAX);

        /* Once more, from the second write. */
        read_ok(t2, strlen(t2), &c);
        check_same_store(&a, &c);

        /* An empty store is the header alone. */
        FindingStore e;
        ck_assert_int_eq(finding_store_init(&e), 0);
        char *t3 = write_store(&e);
        char empty[64] = "goguard-findings 2\n";
        append_sum(empty, sizeof empty);
        ck_assert_str_eq(t3, empty);
        finding_store_done(&e);
        read_ok(t3, strlen(t3), &e);
        ck_assert_uint_eq(finding_store_count(&e, NULL, _FINDING_STATE_INVALID), 0);

        free(t1);
        free(t2);
        free(t3);
        finding_store_done(&a);
        finding_store_done(&b);
        finding_store_done(&c);
        finding_store_done(&e);
}
END_TEST

START_TEST(test_exact_format) {
        FindingStore s;
        ck_assert_int_eq(finding_store_init(&s), 0);
        Finding *f = add(&s, FINDING_OOM_KILL, "a b.service", "k");
        ck_assert_int_eq(finding_record_at(f, "boot/kpid/1", inv1, 100,
                                           &(JournalPosition){ .boot_id = "b007b007b007b007b007b007b007b007",
                                                               .monotonic = 12,
                                                               .realtime = 100 }),
                         1);
        ck_assert_int_eq(finding_set_summary(f, "two words"), 0);
        ck_assert_int_eq(finding_set_string(f, "s", "x\\y\nz\tq\x01\x7f"), 0);
        ck_assert_int_eq(finding_set_string(f, "e", ""), 0);
        ck_assert_int_eq(finding_set_u64(f, "u", UINT64_MAX), 0);
        ck_assert_int_eq(finding_set_i64(f, "i", -5), 0);
        ck_assert_int_eq(finding_set_bool(f, "b", true), 0);
        ck_assert_int_eq(finding_set_usec(f, "t", 7), 0);
        ck_assert_int_eq(finding_add_advice(f, ADVICE_TEXT, "t", NULL), 0);
        ck_assert_int_eq(finding_add_advice(f, ADVICE_DROPIN, "d", "[Service]\n"), 0);
        ck_assert_int_eq(finding_set_state(f, FINDING_ACKNOWLEDGED, 9), 0);

        char expect[2048];
        snprintf(expect, sizeof expect,
                 "goguard-findings 2\n"
                 "finding %s oom-kill critical acknowledged a\\sb.service %s 100 100 1 9\n"
                 "summary two\\swords\n"
                 "evidence s s x\\\\y\\nz\\tq\\x01\\x7f\n"
                 "evidence s e \\e\n"
                 "evidence u u 18446744073709551615\n"
                 "evidence i i -5\n"
                 "evidence b b 1\n"
                 "evidence t t 7\n"
                 "advice text t\n"
                 "advice dropin d [Service]\\n\n"
                 "seen boot/kpid/1\n"
                 "counted b007b007b007b007b007b007b007b007 12 100\n"
                 "end\n",
                 f->id, inv1);
        append_sum(expect, sizeof expect);
        char *t = write_store(&s);
        ck_assert_str_eq(t, expect);
        free(t);
        finding_store_done(&s);
}
END_TEST

/* A finding's discriminator: its own line, only where there is one; read back into the lookups. */
START_TEST(test_discriminator) {
        FindingStore s, b;
        ck_assert_int_eq(finding_store_init(&s), 0);
        Finding *f = NULL, *g = add(&s, FINDING_CRASH_LOOP, "l.service", "k");
        ck_assert_int_eq(finding_new_d(FINDING_CRASH_LOOP, "l.service", "fatal runtime", "k", &f), 0);
        char id[33];
        memcpy(id, f->id, sizeof id);
        ck_assert_int_eq(finding_store_add(&s, f), 0);
        char expect[1024], one[512];
        const Finding *first = strcmp(id, g->id) < 0 ? f : g, *second = first == f ? g : f;
        expect[0] = 0;
        for (const Finding *x = first; x; x = x == first ? second : NULL) {
                snprintf(one, sizeof one,
                         "finding %s crash-loop critical open l.service \\e 0 0 0 0\n%ssummary \\e\nend\n",
                         x->id, x == f ? "discriminator fatal\\sruntime\n" : "");
                strcat(expect, one);
        }
        char *t = write_store(&s);
        char full[1200];
        snprintf(full, sizeof full, "goguard-findings 2\n%s", expect);
        append_sum(full, sizeof full);
        ck_assert_str_eq(t, full);
        read_ok(t, strlen(t), &b);
        check_same_store(&s, &b);
        ck_assert_str_eq(
                finding_store_find_active_d(&b, FINDING_CRASH_LOOP, "l.service", "fatal runtime")->id, id);
        ck_assert_str_eq(finding_store_find_active(&b, FINDING_CRASH_LOOP, "l.service")->id, g->id);
        free(t);
        finding_store_done(&s);
        finding_store_done(&b);

        /* Twice, or empty: not what a writer wrote. */
        static const char twice[] =
                "goguard-findings 1\n"
                "finding 0123456789abcdef0123456789abcdef crash-loop warning open u \\e 0 0 0 0\n"
                "discriminator a\n"
                "discriminator b\n"
                "end\n";
        CHECK_BAD(twice, 4);
        static const char empty[] =
                "goguard-findings 1\n"
                "finding 0123456789abcdef0123456789abcdef crash-loop warning open u \\e 0 0 0 0\n"
                "discriminator \\e\n"
                "end\n";
        CHECK_BAD(empty, 3);
        static const char two[] =
                "goguard-findings 1\n"
                "finding 0123456789abcdef0123456789abcdef crash-loop warning open u \\e 0 0 0 0\n"
                "discriminator a b\n"
                "end\n";
        CHECK_BAD(two, 3);
}
END_TEST

/* xorshift64*: reproducible pseudo-random stores. */
static uint64_t rnd(uint64_t *st) {
        *st ^= *st >> 12;
        *st ^= *st << 25;
        *st ^= *st >> 27;
        return *st * 0x2545f4914f6cdd1dull;
}

START_TEST(test_round_trip_many) {
        /* Many stores of many sizes: the output must not depend on how the findings happen to lie
         * in the hash table. */
        uint64_t st = 0x9e3779b97f4a7c15ull;
        for (unsigned round = 0; round < 300; round++) {
                FindingStore a, b;
                ck_assert_int_eq(finding_store_init(&a), 0);
                unsigned n = 1 + (unsigned) (rnd(&st) % (round < 200 ? 20 : 300));
                for (unsigned i = 0; i < n; i++) {
                        char unit[64], key[64];
                        snprintf(unit, sizeof unit, "u%u.service", (unsigned) (rnd(&st) % 50));
                        snprintf(key, sizeof key, "%" PRIu64, rnd(&st));
                        Finding *f = NULL;
                        ck_assert_int_eq(
                                finding_new((FindingClass) (rnd(&st) % _FINDING_CLASS_MAX), unit, key, &f),
                                0);
                        ck_assert_int_eq(finding_record(f, key, NULL, rnd(&st) % 1000), 1);
                        if (rnd(&st) % 3 == 0)
                                ck_assert_int_eq(finding_set_state(f, FINDING_RESOLVED, rnd(&st) % 100), 0);
                        int r = finding_store_add(&a, f);
                        ck_assert(r == 0 || r == -EEXIST || r == -ENOSPC);
                }
                char *t1 = write_store(&a);
                read_ok(t1, strlen(t1), &b);
                check_same_store(&a, &b);
                char *t2 = write_store(&b);
                ck_assert_msg(strcmp(t1, t2) == 0, "round %u (%u findings): the second write differs", round,
                              n);
                free(t1);
                free(t2);
                finding_store_done(&a);
                finding_store_done(&b);
        }
}
END_TEST

static Suite *finding_state_suite(void) {
        Suite *s = suite_create("finding-state");
        TCase *tc = tcase_create("write");
        tcase_add_test(tc, test_round_trip);
        tcase_add_test(tc, test_exact_format);
        tcase_add_test(tc, test_discriminator);
        tcase_add_test(tc, test_round_trip_many);
        tcase_set_timeout(tc, 120);
        suite_add_tcase(s, tc);
        return s;
}

DEFINE_TEST_MAIN(finding_state_suite)
