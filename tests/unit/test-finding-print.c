/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "finding-print.h"
#include "test-util.h"

#define T0 UINT64_C(1763778004202500) /* Sat 2025-11-22 02:20:04.2025 UTC */

static void utc(void) {
        setenv("TZ", "UTC", 1);
        tzset();
}

/* A bus that is never connected: enough to build, seal and read messages (test-bus-print.c). */
static sd_bus *test_bus(void) {
        int fds[2];
        sd_bus *bus;
        ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), 0);
        ck_assert_int_ge(sd_bus_new(&bus), 0);
        ck_assert_int_ge(sd_bus_set_fd(bus, fds[0], fds[0]), 0);
        ck_assert_int_ge(sd_bus_start(bus), 0);
        close(fds[1]);
        return bus;
}

static char *evidence(const char *key, char type, uint64_t u, const char *s, bool ts) {
        EvidenceView e = { .key = key, .type = type, .u = u, .s = s, .timestamp = ts };
        char *ret = NULL;
        ck_assert_int_eq(evidence_format(&e, T0 + 5 * 60 * UINT64_C(1000000), &ret), 0);
        return ret;
}

#define ck_evidence(key, type, u, s, ts, want)                                                              \
        do {                                                                                                \
                char *_v = evidence(key, type, u, s, ts);                                                   \
                ck_assert_str_eq(_v, want);                                                                 \
                free(_v);                                                                                   \
        } while (0)

START_TEST(test_evidence_format) {
        utc();
        ck_evidence("anon_rss_kb", 't', 40448, NULL, false, "39.5M");
        ck_evidence("kernel_limit_kb", 't', 40960, NULL, false, "40M");
        ck_evidence("memory_limit_bytes", 't', UINT64_C(41943040), NULL, false, "40M");
        ck_evidence("MemoryMax", 't', UINT64_MAX, NULL, false, "infinity");
        ck_evidence("MemoryHigh", 't', 1536, NULL, false, "1.5K");
        ck_evidence("TasksMax", 't', UINT64_MAX, NULL, false, "infinity");
        ck_evidence("kernel_pid", 't', 10323, NULL, false, "10323");
        ck_evidence("WatchdogUSec", 't', 1500000, NULL, false, "1.5s");
        ck_evidence("NRestarts", 't', 0, NULL, false, "0");
        ck_evidence("killed_at", 't', T0, NULL, true, "Sat 2025-11-22 02:20:04 UTC (5min ago)");
        /* Keys this goguardctl does not know (a newer goguardd's): plain values, no guessing
         * from the name. */
        ck_evidence("FutureUSec", 't', 1500000, NULL, false, "1500000");
        ck_evidence("other_kb", 't', 40960, NULL, false, "40960");
        ck_evidence("Other", 's', 0, "", false, "(empty)");
        ck_evidence("unit_settings_known", 'b', 0, NULL, false, "no");
        ck_evidence("systemd_reported_oom", 'b', 1, NULL, false, "yes");
        ck_evidence("GOMEMLIMIT", 's', 0, "", false, "(not set)");
        ck_evidence("main_process_exit", 's', 0, "", false, "(empty)");
        ck_evidence("comm", 's', 0, "evil\x1b[2J", false, "evil\\x1b[2J");
        /* a _kb value too large for bytes stays below infinity */
        ck_evidence("anon_rss_kb", 't', UINT64_MAX - 1, NULL, false, "15.9E");
}
END_TEST

START_TEST(test_evidence_is_setting) {
        ck_assert(evidence_is_setting("MemoryMax"));
        ck_assert(evidence_is_setting("GOMEMLIMIT"));
        ck_assert(evidence_is_setting("Restart"));
        ck_assert(evidence_is_setting("go_version"));
        ck_assert(evidence_is_setting("unit_settings_known"));
        ck_assert(!evidence_is_setting("UnitResult"));
        ck_assert(!evidence_is_setting("comm"));
        ck_assert(!evidence_is_setting("killed_at"));
}
END_TEST

START_TEST(test_id_prefix) {
        char *s = NULL;
        ck_assert_int_eq(finding_id_prefix_parse("F9D4CE21", &s), 0);
        ck_assert_str_eq(s, "f9d4ce21");
        free(s);
        ck_assert_int_eq(finding_id_prefix_parse("f9d4ce216ea1ca348ecc7877fe3d88c5", &s), 0);
        ck_assert(finding_id_is_valid(s));
        free(s);
        ck_assert_int_eq(finding_id_prefix_parse("f9d4ce2", &s), -EINVAL);   /* too short */
        ck_assert_int_eq(finding_id_prefix_parse("f9d4ce21x", &s), -EINVAL); /* not hex */
        ck_assert_int_eq(finding_id_prefix_parse("f9d4ce216ea1ca348ecc7877fe3d88c5a", &s), -EINVAL);
        ck_assert(!finding_id_is_valid("F9D4CE216EA1CA348ECC7877FE3D88C5"));
        ck_assert(!finding_id_is_valid("f9d4"));
        ck_assert(!finding_id_is_valid(NULL));
}
END_TEST

START_TEST(test_parse_since) {
        uint64_t t;
        const uint64_t now = T0;
        utc();
        ck_assert_int_eq(parse_since("now", now, &t), 0);
        ck_assert_uint_eq(t, now);
        ck_assert_int_eq(parse_since("@1763778000", now, &t), 0);
        ck_assert_uint_eq(t, UINT64_C(1763778000000000));
        ck_assert_int_eq(parse_since("2025-11-22", now, &t), 0);
        ck_assert_uint_eq(t, UINT64_C(1763769600000000));
        ck_assert_int_eq(parse_since("2025-11-22 02:20", now, &t), 0);
        ck_assert_uint_eq(t, UINT64_C(1763778000000000));
        ck_assert_int_eq(parse_since("2025-11-22T02:20:04", now, &t), 0);
        ck_assert_uint_eq(t, UINT64_C(1763778004000000));
        ck_assert_int_eq(parse_since("01:00", now, &t), 0);
        ck_assert_uint_eq(t, UINT64_C(1763773200000000));
        ck_assert_int_eq(parse_since("today", now, &t), 0);
        ck_assert_uint_eq(t, UINT64_C(1763769600000000));
        ck_assert_int_eq(parse_since("yesterday", now, &t), 0);
        ck_assert_uint_eq(t, UINT64_C(1763683200000000));
        ck_assert_int_eq(parse_since("-1h", now, &t), 0);
        ck_assert_uint_eq(t, now - UINT64_C(3600000000));
        ck_assert_int_eq(parse_since("1h 30min ago", now, &t), 0);
        ck_assert_uint_eq(t, now - UINT64_C(5400000000));
        ck_assert_int_eq(parse_since("2 days ago", now, &t), 0);
        ck_assert_uint_eq(t, now - UINT64_C(172800000000));
        ck_assert_int_eq(parse_since("-90", now, &t), 0); /* seconds */
        ck_assert_uint_eq(t, now - UINT64_C(90000000));
        ck_assert_int_eq(parse_since("-100000w", now, &t), 0); /* before the epoch: 0 */
        ck_assert_uint_eq(t, 0);

        ck_assert_int_eq(parse_since("", now, &t), -EINVAL);
        ck_assert_int_eq(parse_since("-", now, &t), -EINVAL);
        ck_assert_int_eq(parse_since("-1fortnight", now, &t), -EINVAL);
        ck_assert_int_eq(parse_since("-1h ago", now, &t), -EINVAL);
        ck_assert_int_eq(parse_since("2025-02-30", now, &t), -EINVAL);
        ck_assert_int_eq(parse_since("2025-13-01", now, &t), -EINVAL);
        ck_assert_int_eq(parse_since("2025-11-22 25:00", now, &t), -EINVAL);
        ck_assert_int_eq(parse_since("2025-11-22x", now, &t), -EINVAL);
        ck_assert_int_eq(parse_since("@", now, &t), -EINVAL);
        ck_assert_int_eq(parse_since("@99999999999999999999", now, &t), -EINVAL);
        ck_assert_int_eq(parse_since("-99999999999999999999s", now, &t), -EINVAL);
        ck_assert_int_eq(parse_since("yesterday-ish", now, &t), -EINVAL);
}
END_TEST

static Finding *sample_finding(void) {
        Finding *f;
        ck_assert_int_eq(finding_new(FINDING_OOM_KILL, "api.service", "b/kpid/1", &f), 0);
        ck_assert_int_eq(finding_record(f, "b/kpid/1", "c0a80001d2e34f5a8b6c7d8e9f001122", T0), 1);
        ck_assert_int_eq(finding_set_summary(f, "api.service killed by the kernel OOM killer"), 0);
        ck_assert_int_eq(finding_set_string(f, "comm", "api"), 0);
        ck_assert_int_eq(finding_set_u64(f, "anon_rss_kb", 40448), 0);
        ck_assert_int_eq(finding_set_usec(f, "killed_at", T0), 0);
        ck_assert_int_eq(finding_set_bool(f, "unit_settings_known", true), 0);
        ck_assert_int_eq(finding_set_u64(f, "MemoryMax", UINT64_C(41943040)), 0);
        ck_assert_int_eq(finding_set_string(f, "GOMEMLIMIT", ""), 0);
        ck_assert_int_eq(finding_add_advice(f, ADVICE_DROPIN, "Set GOMEMLIMIT.",
                                            "[Service]\nEnvironment=GOMEMLIMIT=36MiB\n"),
                         0);
        ck_assert_int_eq(finding_add_advice(f, ADVICE_COMMAND, "Look at it.", "journalctl -u api.service"),
                         0);
        return f;
}

static char *explain(const FindingView *v, bool hint) {
        StrBuf b = {};
        ExplainOptions o = { .journal_hint = hint };
        char *s;
        ck_assert_int_eq(finding_explain(v, T0 + 60 * UINT64_C(1000000), &o, &b), 0);
        ck_assert_int_eq(strbuf_steal(&b, &s, NULL), 0);
        return s;
}

static const char *const explain_want =
        "api.service killed by the kernel OOM killer\n"
        "\n"
        "  Finding:             %s\n"
        "  Class:               oom-kill (was killed by the kernel OOM killer at its memory limit)\n"
        "  Severity:            critical\n"
        "  State:               open\n"
        "  Unit:                api.service\n"
        "  Invocation:          c0a80001d2e34f5a8b6c7d8e9f001122\n"
        "  First seen:          Sat 2025-11-22 02:20:04 UTC (1min ago)\n"
        "  Last seen:           Sat 2025-11-22 02:20:04 UTC (1min ago)\n"
        "  Count:               1\n"
        "\n"
        "Evidence\n"
        "  comm:                api\n"
        "  anon_rss_kb:         39.5M\n"
        "  killed_at:           Sat 2025-11-22 02:20:04 UTC (1min ago)\n"
        "\n"
        "Unit settings in force\n"
        "  unit_settings_known: yes\n"
        "  MemoryMax:           40M\n"
        "  GOMEMLIMIT:          (not set)\n"
        "\n"
        "Advice\n"
        "  Set GOMEMLIMIT.\n"
        "\n"
        "    systemctl edit api.service   (or /etc/systemd/system/api.service.d/goguard-oom-kill.conf)\n"
        "\n"
        "      [Service]\n"
        "      Environment=GOMEMLIMIT=36MiB\n"
        "\n"
        "  Look at it.\n"
        "\n"
        "    journalctl -u api.service\n"
        "%s";

START_TEST(test_explain_finding) {
        utc();
        Finding *f = sample_finding();
        FindingView v;
        char want[4096], hint[256];

        ck_assert_int_eq(finding_view_from_finding(f, &v), 0);
        char *s = explain(&v, false);
        snprintf(want, sizeof want, explain_want, f->id, "");
        ck_assert_str_eq(s, want);
        free(s);

        s = explain(&v, true);
        snprintf(hint, sizeof hint,
                 "\nJournal\n  journalctl -x MESSAGE_ID=7f5a04130449b86595aa520b9a11e84d "
                 "GOGUARD_FINDING_ID=%s\n",
                 f->id);
        snprintf(want, sizeof want, explain_want, f->id, hint);
        ck_assert_str_eq(s, want);
        free(s);
        finding_view_done(&v);
        finding_free(f);
}
END_TEST

/* The same finding as GetFinding sends it reads back to the same explanation. */
START_TEST(test_view_from_bus) {
        utc();
        sd_bus *bus = test_bus();
        sd_bus_message *m;
        Finding *f = sample_finding();
        FindingView v, w;

        ck_assert_int_ge(sd_bus_message_new_method_call(bus, &m, "org.example", "/", "org.example", "M"), 0);
        ck_assert_int_ge(sd_bus_message_open_container(m, 'a', "{sv}"), 0);
        ck_assert_int_ge(sd_bus_message_append(m, "{sv}{sv}{sv}{sv}{sv}{sv}{sv}{sv}{sv}{sv}{sv}{sv}", "Id",
                                               "s", f->id, "Unit", "s", f->unit, "InvocationID", "s",
                                               f->invocation_id, "Class", "s", "oom-kill", "MessageID", "s",
                                               "7f5a04130449b86595aa520b9a11e84d", "Severity", "s",
                                               "critical", "State", "s", "open", "Summary", "s", f->summary,
                                               "FirstSeen", "t", T0, "LastSeen", "t", T0, "Count", "t",
                                               UINT64_C(1), "FromTheFuture", "as", 1, "x"),
                         0);
        ck_assert_int_ge(sd_bus_message_append(m, "{sv}", "Evidence", "a{sv}", 7, "comm", "s", "api",
                                               "anon_rss_kb", "t", UINT64_C(40448), "killed_at", "t", T0,
                                               "unit_settings_known", "b", 1, "MemoryMax", "t",
                                               UINT64_C(41943040), "GOMEMLIMIT", "s", "", "weird", "d", 1.5),
                         0);
        ck_assert_int_ge(sd_bus_message_append(m, "{sv}", "Advice", "a(sss)", 2, "dropin", "Set GOMEMLIMIT.",
                                               "[Service]\nEnvironment=GOMEMLIMIT=36MiB\n", "command",
                                               "Look at it.", "journalctl -u api.service"),
                         0);
        ck_assert_int_ge(sd_bus_message_close_container(m), 0);
        ck_assert_int_ge(sd_bus_message_seal(m, 1, 0), 0);
        ck_assert_int_ge(sd_bus_message_rewind(m, true), 0);

        ck_assert_int_eq(finding_view_from_bus(m, &v), 0);
        ck_assert_uint_eq(v.n_evidence, 6); /* the double is skipped */
        ck_assert_uint_eq(v.n_advice, 2);
        ck_assert_int_eq(finding_view_from_finding(f, &w), 0);
        char *a = explain(&v, true), *b = explain(&w, true);
        ck_assert_str_eq(a, b);
        free(a);
        free(b);
        finding_view_done(&v);
        finding_view_done(&w);
        finding_free(f);
        sd_bus_message_unref(m);
        sd_bus_flush_close_unref(bus);
}
END_TEST

START_TEST(test_table) {
        utc();
        FindingRow rows[] = {
                { "f9d4ce216ea1ca348ecc7877fe3d88c5", "api.service", "oom-kill", "critical", "open",
                  "api.service killed", T0, T0, 12 },
                { "0123456789abcdef0123456789abcdef", "w\x1b.service", "oomd-kill", "critical",
                  "acknowledged", "", T0 - 7200 * UINT64_C(1000000), T0 - 7200 * UINT64_C(1000000), 1 },
        };
        StrBuf b = {};
        char *s;
        finding_rows_sort(rows, 2);
        ck_assert_int_eq(findings_table(rows, 2, T0 + 60 * UINT64_C(1000000), false, &b), 0);
        ck_assert_int_eq(strbuf_steal(&b, &s, NULL), 0);
        ck_assert_str_eq(
                s,
                "ID            UNIT           CLASS      SEVERITY  STATE         COUNT  LAST SEEN    "
                "SUMMARY\n"
                "f9d4ce216ea1  api.service    oom-kill   critical  open             12  1min ago     "
                "api.service killed\n"
                "0123456789ab  w\\x1b.service  oomd-kill  critical  acknowledged      1  2h 1min ago  -\n");
        free(s);

        /* goguardctl analyze over several hosts: the HOST column after the ID. */
        rows[0].host = "web-1";
        rows[1].host = "db";
        ck_assert_int_eq(findings_table(rows, 2, T0 + 60 * UINT64_C(1000000), false, &b), 0);
        ck_assert_int_eq(strbuf_steal(&b, &s, NULL), 0);
        ck_assert_str_eq(
                s,
                "ID            HOST   UNIT           CLASS      SEVERITY  STATE         COUNT  LAST SEEN    "
                "SUMMARY\n"
                "f9d4ce216ea1  web-1  api.service    oom-kill   critical  open             12  1min ago     "
                "api.service killed\n"
                "0123456789ab  db     w\\x1b.service  oomd-kill  critical  acknowledged      1  2h 1min ago "
                " -\n");
        free(s);
}
END_TEST

static Suite *finding_print_suite(void) {
        Suite *s = suite_create("finding-print");
        TCase *tc = tcase_create("core");
        tcase_add_test(tc, test_evidence_format);
        tcase_add_test(tc, test_evidence_is_setting);
        tcase_add_test(tc, test_id_prefix);
        tcase_add_test(tc, test_parse_since);
        tcase_add_test(tc, test_explain_finding);
        tcase_add_test(tc, test_view_from_bus);
        tcase_add_test(tc, test_table);
        suite_add_tcase(s, tc);
        return s;
}

DEFINE_TEST_MAIN(finding_print_suite)
