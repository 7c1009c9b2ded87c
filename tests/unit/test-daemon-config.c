/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>

#include "daemon-config.h"
#include "strv.h"
#include "test-util.h"

static int parse(DaemonConfig *c, const char *text, char ***warnings, char **error) {
        return daemon_config_parse(c, text, strlen(text), warnings, error);
}

START_TEST(test_defaults_and_values) {
        DaemonConfig c;
        _cleanup_(strv_freep) char **w = NULL;
        _cleanup_free_ char *e = NULL;

        daemon_config_init(&c);
        ck_assert_uint_eq(c.sample_interval_usec, 10000000);
        ck_assert_uint_eq(c.resolve_after_usec, 600000000);
        ck_assert_ptr_null(c.prom_directory);
        ck_assert_int_eq(parse(&c,
                               "# comment\n"
                               "; another\n"
                               "\n"
                               "[Daemon]\n"
                               "  SampleIntervalSec = 30  \n"
                               "ResolveAfterSec=1h 30min\n"
                               "Debug=yes\n"
                               "[Prometheus]\n"
                               "TextfileDirectory=/var/lib/prometheus/node-exporter\n"
                               "IntervalSec=2\n"
                               "MaxSeries=50",
                               &w, &e),
                         0);
        ck_assert_ptr_null(w);
        ck_assert_ptr_null(e);
        ck_assert_uint_eq(c.sample_interval_usec, 30000000);
        ck_assert_uint_eq(c.resolve_after_usec, 5400000000);
        ck_assert(c.debug);
        ck_assert_str_eq(c.prom_directory, "/var/lib/prometheus/node-exporter");
        ck_assert_uint_eq(c.prom_interval_usec, 2000000);
        ck_assert_uint_eq(c.prom_series_max, 50);

        /* A later file overrides; an empty value puts the default back. */
        ck_assert_int_eq(parse(&c,
                               "[Daemon]\nSampleIntervalSec=\nDebug=off\n[Prometheus]\nTextfileDirectory=\n",
                               &w, &e),
                         0);
        ck_assert_uint_eq(c.sample_interval_usec, 10000000);
        ck_assert_uint_eq(c.resolve_after_usec, 5400000000);
        ck_assert(!c.debug);
        ck_assert_ptr_null(c.prom_directory);
        daemon_config_done(&c);
}
END_TEST

START_TEST(test_warnings) {
        DaemonConfig c;
        _cleanup_(strv_freep) char **w = NULL;
        _cleanup_free_ char *e = NULL;

        daemon_config_init(&c);
        ck_assert_int_eq(parse(&c,
                               "Early=1\n"
                               "[Daemon]\n"
                               "Colour=blue\n"
                               "SampleIntervalSec=5\n"
                               "[Future]\n"
                               "Anything=at all\n"
                               "[Prometheus]\n"
                               "Port=9100\n",
                               &w, &e),
                         0);
        ck_assert_ptr_null(e);
        ck_assert_uint_eq(strv_length(w), 4);
        ck_assert_str_eq(w[0], "line 1: Early= outside of a section, ignoring it");
        ck_assert_str_eq(w[1], "line 3: unknown key Colour= in [Daemon], ignoring it");
        ck_assert_str_eq(w[2], "line 5: unknown section [Future], ignoring it");
        ck_assert_str_eq(w[3], "line 8: unknown key Port= in [Prometheus], ignoring it");
        ck_assert_uint_eq(c.sample_interval_usec, 5000000);
        daemon_config_done(&c);
}
END_TEST

static void check_error(const char *text, int expected, const char *message) {
        DaemonConfig c;
        _cleanup_(strv_freep) char **w = NULL;
        _cleanup_free_ char *e = NULL;

        daemon_config_init(&c);
        ck_assert_int_eq(parse(&c, text, &w, &e), expected);
        ck_assert_str_eq(e, message);
        daemon_config_done(&c);
}

START_TEST(test_errors) {
        check_error("[Daemon]\nSampleIntervalSec=0\n", -EINVAL, "line 2: SampleIntervalSec=0: out of range");
        check_error("[Daemon]\nSampleIntervalSec=3601\n", -EINVAL,
                    "line 2: SampleIntervalSec=3601: out of range");
        check_error("[Daemon]\nResolveAfterSec=8d\n", -EINVAL, "line 2: ResolveAfterSec=8d: out of range");
        check_error("[Daemon]\nResolveAfterSec=ten\n", -EINVAL, "line 2: ResolveAfterSec=ten: not valid");
        check_error("[Daemon]\nResolveAfterSec=-5\n", -EINVAL, "line 2: ResolveAfterSec=-5: not valid");
        check_error("[Daemon]\nSampleIntervalSec=500ms\n", -EINVAL,
                    "line 2: SampleIntervalSec=500ms: out of range");
        check_error("[Daemon]\nDebug=maybe\n", -EINVAL, "line 2: Debug=maybe: not valid");
        check_error("[Prometheus]\nTextfileDirectory=relative/dir\n", -EINVAL,
                    "line 2: TextfileDirectory=relative/dir: not a normalized absolute path");
        check_error("[Prometheus]\nTextfileDirectory=/var/../etc\n", -EINVAL,
                    "line 2: TextfileDirectory=/var/../etc: not a normalized absolute path");
        check_error("[Prometheus]\nMaxSeries=9\n", -EINVAL, "line 2: MaxSeries=9: out of range");
        check_error("[Prometheus]\nMaxSeries=99999999999999999999999\n", -EINVAL,
                    "line 2: MaxSeries=99999999999999999999999: out of range");
        check_error("[Daemon\n", -EBADMSG, "line 1: a section header must be [Name]");
        check_error("[]\n", -EBADMSG, "line 1: a section header must be [Name]");
        check_error("[Daemon]\nDebug\n", -EBADMSG, "line 2: not Key=value, a [Section] or a comment");
        check_error("[Daemon]\n=5\n", -EBADMSG, "line 2: an assignment without a key");

        DaemonConfig c;
        _cleanup_(strv_freep) char **w = NULL;
        _cleanup_free_ char *e = NULL;
        daemon_config_init(&c);
        ck_assert_int_eq(daemon_config_parse(&c, "[Daemon]\0", 9, &w, &e), -EBADMSG);
        ck_assert_int_eq(daemon_config_parse(&c, "", DAEMON_CONFIG_FILE_MAX + 1, &w, &e), -E2BIG);
        daemon_config_done(&c);
}
END_TEST

static Suite *daemon_config_suite(void) {
        Suite *s = suite_create("daemon-config");
        TCase *tc = tcase_create("core");
        tcase_add_test(tc, test_defaults_and_values);
        tcase_add_test(tc, test_warnings);
        tcase_add_test(tc, test_errors);
        suite_add_tcase(s, tc);
        return s;
}

DEFINE_TEST_MAIN(daemon_config_suite)
