/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>

#include "finding-merge.h"
#include "test-util.h"

#define T0 UINT64_C(1763778000000000)

/* A finding computed from records: first key keys[0], each key one occurrence. */
static Finding *computed(FindingStore *s, FindingClass c, const char *unit, const char *const *keys) {
        Finding *f = NULL;
        ck_assert_int_eq(finding_new(c, unit, keys[0], &f), 0);
        for (size_t i = 0; keys[i]; i++)
                ck_assert_int_eq(finding_record(f, keys[i], "0123456789abcdef0123456789abcdef", T0 + i), 1);
        char id[33];
        memcpy(id, f->id, sizeof id);
        ck_assert_int_eq(finding_store_add(s, f), 0);
        return finding_store_get(s, id);
}

static uint64_t total_count(const FindingStore *s) {
        uint64_t n = 0;
        size_t i = 0;
        void *v;
        while (hashmap_iterate(s->by_id, &i, &v, NULL))
                n += ((Finding *) v)->count;
        return n;
}

START_TEST(test_same_id) {
        FindingStore s;
        ck_assert_int_eq(finding_store_init(&s), 0);
        Finding *f =
                computed(&s, FINDING_OOM_KILL, "api.service", (const char *const[]){ "b/kpid/7", NULL });
        LoggedFinding l = { .id = f->id,
                            .class = "oom-kill",
                            .severity = "critical",
                            .unit = "api.service",
                            .occurrence_key = "b/kpid/7",
                            .count = 1,
                            .realtime = T0 + 100 };
        Finding *m = NULL;
        ck_assert_int_eq(finding_store_merge_logged(&s, &l, &m), 0);
        ck_assert_ptr_eq(m, f);
        ck_assert_uint_eq(hashmap_size(s.by_id), 1);
        ck_assert_uint_eq(f->count, 1);
        ck_assert_uint_eq(f->last_seen, T0); /* the record's time, not the log entry's */
        ck_assert_str_eq(finding_get(f, "goguardd_finding_id")->s, f->id);
        ck_assert_ptr_null(finding_get(f, "reported_by"));
        /* Logged again (a goguardd that rebuilt its findings): still one occurrence. */
        l.count = 2;
        ck_assert_int_eq(finding_store_merge_logged(&s, &l, NULL), 0);
        ck_assert_uint_eq(total_count(&s), 1);
        finding_store_done(&s);
}
END_TEST

/* goguardd opened its finding at the second kill (it had not seen the first: an older boot's
 * ring buffer); analyze counts all three from the records. The occurrence key ties them. */
START_TEST(test_same_key) {
        FindingStore s;
        ck_assert_int_eq(finding_store_init(&s), 0);
        Finding *f = computed(&s, FINDING_OOM_KILL, "api.service",
                              (const char *const[]){ "b/kpid/5", "b/kpid/6", "b/kpid/7", NULL });
        LoggedFinding l = { .id = "00112233445566778899aabbccddeeff",
                            .class = "oom-kill",
                            .unit = "api.service",
                            .occurrence_key = "b/kpid/6",
                            .count = 1,
                            .realtime = T0 };
        ck_assert_int_eq(finding_store_merge_logged(&s, &l, NULL), 0);
        ck_assert_uint_eq(hashmap_size(s.by_id), 1);
        ck_assert_uint_eq(total_count(&s), 3);
        ck_assert_str_eq(finding_get(f, "goguardd_finding_id")->s, "00112233445566778899aabbccddeeff");

        /* The same key in another unit or class is another finding. */
        l.unit = "web.service";
        ck_assert_int_eq(finding_store_merge_logged(&s, &l, NULL), 1);
        l.unit = "api.service";
        l.class = "crash-loop";
        l.id = "ffeeddccbbaa99887766554433221100";
        ck_assert_int_eq(finding_store_merge_logged(&s, &l, NULL), 1);
        ck_assert_uint_eq(hashmap_size(s.by_id), 3);
        ck_assert_uint_eq(total_count(&s), 5);
        finding_store_done(&s);
}
END_TEST

/* What only goguardd saw (a live sample): kept as it was logged, once. */
START_TEST(test_only_goguardd) {
        FindingStore s;
        ck_assert_int_eq(finding_store_init(&s), 0);
        LoggedFinding l = {
                .id = "0a1b2c3d4e5f60718293a4b5c6d7e8f9",
                .class = "tasks-near-limit",
                .severity = "warning",
                .unit = "pool.service",
                .occurrence_key = "tasks/inv/1",
                .evidence_cursor = "s=1;i=2",
                .dropin = "[Service]\nTasksMax=4096\n",
                .summary = "pool.service runs near its TasksMax=",
                .invocation_id = "99999999999999999999999999999999",
                .count = 3,
                .realtime = T0 + 5,
        };
        Finding *f = NULL;
        ck_assert_int_eq(finding_store_merge_logged(&s, &l, &f), 1);
        ck_assert_ptr_nonnull(f);
        ck_assert_str_eq(f->id, l.id);
        ck_assert_int_eq(f->class, FINDING_TASKS_NEAR_LIMIT);
        ck_assert_int_eq(f->severity, SEVERITY_WARNING);
        ck_assert_int_eq(f->state, FINDING_OPEN);
        ck_assert_uint_eq(f->count, 3);
        ck_assert_uint_eq(f->first_seen, T0 + 5);
        ck_assert_uint_eq(f->last_seen, T0 + 5);
        ck_assert_str_eq(f->invocation_id, "99999999999999999999999999999999");
        ck_assert_str_eq(f->summary, "pool.service runs near its TasksMax=");
        ck_assert_str_eq(finding_get(f, "reported_by")->s, "goguardd");
        ck_assert_str_eq(finding_get(f, "journal_cursor")->s, "s=1;i=2");
        ck_assert_uint_eq(f->n_advice, 1);
        ck_assert_int_eq(f->advice[0].kind, ADVICE_DROPIN);
        ck_assert_str_eq(f->advice[0].snippet, "[Service]\nTasksMax=4096\n");

        /* Logged again later with a higher count: the most it counted, not the sum. */
        l.count = 4;
        l.realtime = T0 + 9;
        ck_assert_int_eq(finding_store_merge_logged(&s, &l, NULL), 0);
        /* Another id with the same occurrence key: the same occurrence. */
        l.id = "1a1b2c3d4e5f60718293a4b5c6d7e8f9";
        l.count = 1;
        ck_assert_int_eq(finding_store_merge_logged(&s, &l, NULL), 0);
        ck_assert_uint_eq(hashmap_size(s.by_id), 1);
        ck_assert_uint_eq(f->count, 4);
        ck_assert_uint_eq(f->first_seen, T0 + 5);
        ck_assert_uint_eq(f->last_seen, T0 + 9);
        finding_store_done(&s);
}
END_TEST

START_TEST(test_not_findings) {
        FindingStore s;
        ck_assert_int_eq(finding_store_init(&s), 0);
        LoggedFinding l = { .id = "0a1b2c3d4e5f60718293a4b5c6d7e8f9",
                            .class = "oom-kill",
                            .unit = "a.service" };
        l.class = "no-such-class";
        ck_assert_int_eq(finding_store_merge_logged(&s, &l, NULL), -EBADMSG);
        l.class = "oom-kill";
        l.id = "0A1B2C3D4E5F60718293A4B5C6D7E8F9";
        ck_assert_int_eq(finding_store_merge_logged(&s, &l, NULL), -EBADMSG);
        l.id = "0a1b";
        ck_assert_int_eq(finding_store_merge_logged(&s, &l, NULL), -EBADMSG);
        l.id = "0a1b2c3d4e5f60718293a4b5c6d7e8f9";
        l.unit = NULL;
        ck_assert_int_eq(finding_store_merge_logged(&s, &l, NULL), -EBADMSG);
        l.unit = "a.service";
        l.count = 0; /* an entry without GOGUARD_COUNT: one */
        ck_assert_int_eq(finding_store_merge_logged(&s, &l, NULL), 1);
        ck_assert_uint_eq(total_count(&s), 1);
        finding_store_done(&s);
}
END_TEST

static Suite *finding_merge_suite(void) {
        Suite *s = suite_create("finding-merge");
        TCase *tc = tcase_create("merge");
        tcase_add_test(tc, test_same_id);
        tcase_add_test(tc, test_same_key);
        tcase_add_test(tc, test_only_goguardd);
        tcase_add_test(tc, test_not_findings);
        suite_add_tcase(s, tc);
        return s;
}

DEFINE_TEST_MAIN(finding_merge_suite)
