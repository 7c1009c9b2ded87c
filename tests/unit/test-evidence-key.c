/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>

#include "evidence-key.h"
#include "test-util.h"

START_TEST(test_table) {
        size_t n;
        const EvidenceKey *t = evidence_key_table(&n);
        ck_assert_uint_gt(n, 0);
        for (size_t i = 0; i < n; i++) {
                if (i > 0)
                        ck_assert_msg(strcmp(t[i - 1].key, t[i].key) < 0, "%s before %s", t[i - 1].key,
                                      t[i].key);
                ck_assert_ptr_eq(evidence_key_lookup(t[i].key), &t[i]);
                ck_assert_ptr_nonnull(evidence_kind_to_string(t[i].kind));
        }
        ck_assert_ptr_null(evidence_key_lookup("no_such_key"));
        ck_assert_ptr_null(evidence_key_lookup(""));
        ck_assert_ptr_null(evidence_key_lookup(NULL));
        ck_assert_int_eq(evidence_key_lookup("anon_rss_kb")->kind, EVIDENCE_KIND_KIB);
        ck_assert_int_eq(evidence_key_lookup("MemoryMax")->kind, EVIDENCE_KIND_BYTES);
        ck_assert(evidence_key_lookup("MemoryMax")->setting);
        ck_assert(!evidence_key_lookup("UnitResult")->setting);
        ck_assert_int_eq(evidence_key_lookup("killed_at")->kind, EVIDENCE_KIND_TIMESTAMP);
        ck_assert_int_eq(evidence_kind_type(EVIDENCE_KIND_TIMESTAMP), EVIDENCE_USEC);
        ck_assert_int_eq(evidence_kind_type(EVIDENCE_KIND_KIB), EVIDENCE_U64);
        ck_assert_str_eq(evidence_kind_to_string(EVIDENCE_KIND_KIB), "KiB");
        ck_assert_ptr_null(evidence_kind_to_string(_EVIDENCE_KIND_MAX));
}
END_TEST

START_TEST(test_check) {
        Finding *f;
        const char *bad = NULL;
        ck_assert_int_eq(finding_new(FINDING_OOM_KILL, "a.service", "k", &f), 0);
        ck_assert_int_eq(finding_set_u64(f, "MemoryMax", 1), 0);
        ck_assert_int_eq(finding_set_string(f, "comm", "x"), 0);
        ck_assert_int_eq(finding_check_evidence(f, &bad), 0);
        /* An undeclared key is refused by name. */
        ck_assert_int_eq(finding_set_u64(f, "memory_max", 1), 0);
        ck_assert_int_eq(finding_check_evidence(f, &bad), -ENOKEY);
        ck_assert_str_eq(bad, "memory_max");
        finding_free(f);
        /* A declared key of another type. */
        ck_assert_int_eq(finding_new(FINDING_OOM_KILL, "a.service", "k", &f), 0);
        ck_assert_int_eq(finding_set_string(f, "killed_at", "yesterday"), 0);
        ck_assert_int_eq(finding_check_evidence(f, &bad), -EINVAL);
        ck_assert_str_eq(bad, "killed_at");
        finding_free(f);
}
END_TEST

static Suite *evidence_key_suite(void) {
        Suite *s = suite_create("evidence-key");
        TCase *tc = tcase_create("evidence-key");
        tcase_add_test(tc, test_table);
        tcase_add_test(tc, test_check);
        suite_add_tcase(s, tc);
        return s;
}

DEFINE_TEST_MAIN(evidence_key_suite)
