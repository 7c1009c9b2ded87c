/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdio.h>
#include <string.h>

#include "macro.h"
#include "prom-text.h"
#include "test-util.h"

static const char health_tail[] =
        "# HELP goguard_up Whether goguardd is running (0: it stopped and left this file).\n"
        "# TYPE goguard_up gauge\n"
        "goguard_up 1\n"
        "# HELP goguard_journal_entries_read_total Journal entries goguardd read since it started.\n"
        "# TYPE goguard_journal_entries_read_total counter\n"
        "goguard_journal_entries_read_total 1234\n"
        "# HELP goguard_journal_entries_skipped_total Journal entries goguardd could not read or parse "
        "since it "
        "started.\n"
        "# TYPE goguard_journal_entries_skipped_total counter\n"
        "goguard_journal_entries_skipped_total 2\n"
        "# HELP goguard_findings_refused_total New findings refused because the caps were full of open "
        "ones.\n"
        "# TYPE goguard_findings_refused_total counter\n"
        "goguard_findings_refused_total 3\n";

START_TEST(test_render) {
        const PromFinding findings[] = {
                { "report-job.service", "oom-kill", "critical", true, 2 },
                { "report-job.service", "oom-restart-gap", "warning", true, 1 },
                { "api.service", "oom-kill", "critical", false, 5 }, /* resolved: counted, not open */
                { "api.service", "oom-kill", "critical", true, 1 },  /* reopened */
        };
        const char *const versions[] = { "go1.19.8", "go1.21.0", "go1.19.8", "" };
        PromInput in = {
                .findings = findings,
                .n_findings = ELEMENTSOF(findings),
                .go_versions = versions,
                .n_go_units = ELEMENTSOF(versions),
                .up = true,
                .journal_entries_read = 1234,
                .journal_entries_skipped = 2,
                .findings_refused = 3,
                .have_journal_lag = true,
                .journal_lag_usec = 1500042,
                .series_max = 1000,
        };
        _cleanup_free_ char *text = NULL;
        size_t size;

        ck_assert_int_eq(prom_render(&in, &text, &size), 0);
        _cleanup_free_ char *expected = NULL;
        ck_assert_int_ge(
                asprintf(&expected,
                         "# HELP goguard_findings_open Open findings (not acknowledged, not resolved) by "
                         "class, "
                         "severity and unit.\n"
                         "# TYPE goguard_findings_open gauge\n"
                         "goguard_findings_open{class=\"oom-kill\",severity=\"critical\",unit=\"api."
                         "service\"} 1\n"
                         "goguard_findings_open{class=\"oom-kill\",severity=\"critical\",unit=\"report-job."
                         "service\"} "
                         "1\n"
                         "goguard_findings_open{class=\"oom-restart-gap\",severity=\"warning\",unit="
                         "\"report-job."
                         "service\"} 1\n"
                         "# HELP goguard_findings_occurrences_total Occurrences counted by the findings "
                         "goguardd "
                         "keeps, by class and unit.\n"
                         "# TYPE goguard_findings_occurrences_total counter\n"
                         "goguard_findings_occurrences_total{class=\"oom-kill\",unit=\"api.service\"} 6\n"
                         "goguard_findings_occurrences_total{class=\"oom-kill\",unit=\"report-job.service\"}"
                         " 2\n"
                         "goguard_findings_occurrences_total{class=\"oom-restart-gap\",unit=\"report-job."
                         "service\"} "
                         "1\n"
                         "# HELP goguard_go_units Watched Go service units by the Go version they were "
                         "built with.\n"
                         "# TYPE goguard_go_units gauge\n"
                         "goguard_go_units{go_version=\"go1.19.8\"} 2\n"
                         "goguard_go_units{go_version=\"go1.21.0\"} 1\n"
                         "goguard_go_units{go_version=\"unknown\"} 1\n"
                         "%s"
                         "# HELP goguard_journal_lag_seconds Delay between the newest journal entry read "
                         "and the "
                         "moment goguardd read it.\n"
                         "# TYPE goguard_journal_lag_seconds gauge\n"
                         "goguard_journal_lag_seconds 1.500042\n",
                         health_tail),
                0);
        ck_assert_str_eq(text, expected);
        ck_assert_uint_eq(size, strlen(expected));
}
END_TEST

START_TEST(test_empty) {
        PromInput in = { .series_max = 10,
                         .up = true,
                         .journal_entries_read = 1234,
                         .journal_entries_skipped = 2,
                         .findings_refused = 3 };
        _cleanup_free_ char *text = NULL, *expected = NULL;
        size_t size;

        ck_assert_int_eq(prom_render(&in, &text, &size), 0);
        ck_assert_int_ge(asprintf(&expected,
                                  "# HELP goguard_findings_open Open findings (not acknowledged, not "
                                  "resolved) by class, "
                                  "severity and unit.\n"
                                  "# TYPE goguard_findings_open gauge\n"
                                  "# HELP goguard_findings_occurrences_total Occurrences counted by the "
                                  "findings goguardd "
                                  "keeps, by class and unit.\n"
                                  "# TYPE goguard_findings_occurrences_total counter\n"
                                  "# HELP goguard_go_units Watched Go service units by the Go version they "
                                  "were built with.\n"
                                  "# TYPE goguard_go_units gauge\n"
                                  "%s",
                                  health_tail),
                         0);
        ck_assert_str_eq(text, expected);
}
END_TEST

START_TEST(test_cap) {
        /* Four versions, at most three series: the first two, then "other" with the rest. */
        const char *const versions[] = { "go1.22.1", "go1.20.1", "go1.21.1", "go1.23.1", "go1.23.1" };
        PromInput in = { .go_versions = versions, .n_go_units = ELEMENTSOF(versions), .series_max = 3 };
        _cleanup_free_ char *text = NULL;
        size_t size;

        ck_assert_int_eq(prom_render(&in, &text, &size), 0);
        const char *p = strstr(text, "# TYPE goguard_go_units gauge\n");
        ck_assert_ptr_nonnull(p);
        p += strlen("# TYPE goguard_go_units gauge\n");
        const char *end = strstr(p, "# HELP goguard_up");
        ck_assert_ptr_nonnull(end);
        _cleanup_free_ char *block = strndup(p, (size_t) (end - p));
        ck_assert_str_eq(block, "goguard_go_units{go_version=\"go1.20.1\"} 1\n"
                                "goguard_go_units{go_version=\"go1.21.1\"} 1\n"
                                "goguard_go_units{go_version=\"other\"} 3\n");
}
END_TEST

START_TEST(test_escape) {
        _cleanup_free_ char *a = NULL, *b = NULL, *c = NULL;
        ck_assert_int_eq(prom_escape_label_value("a\\b\"c\nd", &a), 0);
        ck_assert_str_eq(a, "a\\\\b\\\"c\\nd");
        ck_assert_int_eq(prom_escape_label_value("go\xff"
                                                 "1",
                                                 &b),
                         0);
        ck_assert_str_eq(b, "go\\\\xff1");
        ck_assert_int_eq(prom_escape_label_value("", &c), 0);
        ck_assert_str_eq(c, "");

        const char *const versions[] = { "devel \"x\"\\" };
        PromInput in = { .go_versions = versions, .n_go_units = 1, .series_max = 10 };
        _cleanup_free_ char *text = NULL;
        size_t size;
        ck_assert_int_eq(prom_render(&in, &text, &size), 0);
        ck_assert_ptr_nonnull(strstr(text, "\ngoguard_go_units{go_version=\"devel \\\"x\\\"\\\\\"} 1\n"));
}
END_TEST

static Suite *prom_text_suite(void) {
        Suite *s = suite_create("prom-text");
        TCase *tc = tcase_create("core");
        tcase_add_test(tc, test_render);
        tcase_add_test(tc, test_empty);
        tcase_add_test(tc, test_cap);
        tcase_add_test(tc, test_escape);
        suite_add_tcase(s, tc);
        return s;
}

DEFINE_TEST_MAIN(prom_text_suite)
