/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* How the memory detector ties a kill to its unit, and says how: by the cgroup the kernel named,
 * by PID 1's own OOM report, by the unit's executable's comm, or, for a unit whose executable it
 * does not know (gone before goguard learned it, or read offline), by time: the one unit PID 1
 * said died of SIGKILL right after the kill, never when two fit. */
#include "correlate-harness.h"

#define GONE   "gone.service"
#define OTHER  "other.service"
#define CGROUP "/system.slice/gomem.service"

static const char *attributed_by(Ctx *x, const char *unit) {
        return ev_str(the_finding(x, FINDING_OOM_KILL, unit), "attributed_by");
}

/* Journal time moves on past the attribution window: the pending kills are decided. */
static void later(Ctx *x, uint64_t t) {
        started(x, t, "unrelated.service", INV3);
}

START_TEST(test_by_cgroup_and_comm) {
        Ctx x;
        ctx_init(&x);
        add_unit(&x, GOMEM);
        started(&x, T0, GOMEM, INV1);
        kill_lines(&x, T0 + SEC, 4001, "gofix-cgo", CGROUP, false);
        ck_assert_str_eq(attributed_by(&x, GOMEM), "cgroup");

        /* The summary rate-limited away: the unit's executable's comm and PID 1's exit. */
        started(&x, T0 + 10 * SEC, GOMEM, INV2);
        kill_lines(&x, T0 + 11 * SEC, 4002, "gofix-cgo", NULL, false);
        exited_killed(&x, T0 + 11 * SEC + 100000, GOMEM, INV2);
        Finding *f = the_finding(&x, FINDING_OOM_KILL, GOMEM);
        ck_assert_uint_eq(f->count, 2);
        ck_assert_str_eq(attributed_by(&x, GOMEM), "comm");
        ck_assert_uint_eq(ev_u64(f, "kernel_pid"), 4002);
        ctx_done(&x);
}
END_TEST

START_TEST(test_by_systemd) {
        Ctx x;
        ctx_init(&x);
        add_unit(&x, GOMEM);
        unit_oom(&x, T0, GOMEM, INV1);
        ck_assert_str_eq(attributed_by(&x, GOMEM), "systemd");
        ctx_done(&x);
}
END_TEST

START_TEST(test_by_time) {
        /* A unit goguard does not know: only its SIGKILL exit right after the comm-only kill. */
        Ctx x;
        ctx_init(&x);
        x.positions_from_time = true;
        started(&x, T0, GONE, INV1);
        kill_lines(&x, T0 + SEC, 5001, "worker", NULL, false);
        exited_killed(&x, T0 + SEC + 200000, GONE, INV1);
        ck_assert_uint_eq(n_findings(&x), 0); /* decided when the window closes */
        later(&x, T0 + 10 * SEC);
        ck_assert_uint_eq(n_findings(&x), 1);
        Finding *f = the_finding(&x, FINDING_OOM_KILL, GONE);
        ck_assert_str_eq(attributed_by(&x, GONE), "time");
        ck_assert_uint_eq(f->count, 1);
        ck_assert_uint_eq(ev_u64(f, "kernel_pid"), 5001);
        ck_assert_str_eq(ev_str(f, "comm"), "worker");
        ck_assert_uint_eq(f->first_seen, T0 + SEC + 3000); /* the kill's own time */
        ck_assert_str_eq(f->invocation_id, INV1);
        ck_assert(!ev_bool(f, "unit_settings_known"));

        /* Read again (a lost cursor): the same decision, counted once. */
        started(&x, T0, GONE, INV1);
        kill_lines(&x, T0 + SEC, 5001, "worker", NULL, false);
        exited_killed(&x, T0 + SEC + 200000, GONE, INV1);
        later(&x, T0 + 10 * SEC);
        ck_assert_uint_eq(n_findings(&x), 1);
        ck_assert_uint_eq(f->count, 1);
        ctx_done(&x);
}
END_TEST

START_TEST(test_two_candidates) {
        /* Two units died of SIGKILL right after the kill: it is neither's. */
        Ctx x;
        ctx_init(&x);
        kill_lines(&x, T0 + SEC, 5002, "worker", NULL, false);
        exited_killed(&x, T0 + SEC + 100000, GONE, INV1);
        exited_killed(&x, T0 + SEC + 200000, OTHER, INV2);
        later(&x, T0 + 10 * SEC);
        ck_assert_uint_eq(n_findings(&x), 0);

        /* One of them known, with another comm: not a candidate, so the other one fits alone. */
        ctx_done(&x);
        ctx_init(&x);
        add_unit(&x, GOMEM); /* comm gofix-cgo */
        kill_lines(&x, T0 + SEC, 5003, "worker", NULL, false);
        exited_killed(&x, T0 + SEC + 100000, GOMEM, INV1);
        exited_killed(&x, T0 + SEC + 200000, GONE, INV2);
        later(&x, T0 + 10 * SEC);
        ck_assert_uint_eq(n_findings(&x), 1);
        ck_assert_str_eq(attributed_by(&x, GONE), "time");
        ctx_done(&x);
}
END_TEST

START_TEST(test_time_window) {
        /* An exit too long after the kill, or before it, is no candidate. */
        Ctx x;
        ctx_init(&x);
        kill_lines(&x, T0 + SEC, 5004, "worker", NULL, false);
        exited_killed(&x, T0 + 5 * SEC, GONE, INV1);
        later(&x, T0 + 20 * SEC);
        exited_killed(&x, T0 + 30 * SEC, OTHER, INV2);
        kill_lines(&x, T0 + 31 * SEC, 5005, "worker", NULL, false);
        later(&x, T0 + 40 * SEC);
        ck_assert_uint_eq(n_findings(&x), 0);
        ctx_done(&x);
}
END_TEST

START_TEST(test_late_kernel_line) {
        /* journald wrote the kernel's lines of kill 1 after PID 1's exit and its start of the next
         * invocation; kill 2 has only its comm. Kill 1 is the first exit's, so the second exit is
         * kill 2's: both count. */
        Ctx x;
        ctx_init(&x);
        add_unit(&x, GOMEM);
        uint64_t t1 = T0 + SEC, t2 = T0 + SEC + 400000;
        started(&x, T0, GOMEM, INV1);
        exited_killed(&x, t1 + 5000, GOMEM, INV1);
        started(&x, t1 + 200000, GOMEM, INV2);
        kill_lines(&x, t1 - 3000, 6101, "gofix-cgo", CGROUP, false);
        kill_lines(&x, t2 - 3000, 6102, "gofix-cgo", NULL, false);
        exited_killed(&x, t2 + 5000, GOMEM, INV2);
        Finding *f = the_finding(&x, FINDING_OOM_KILL, GOMEM);
        ck_assert_uint_eq(f->count, 2);
        ck_assert_uint_eq(ev_u64(f, "kernel_pid"), 6102);
        ck_assert_str_eq(attributed_by(&x, GOMEM), "comm");
        ck_assert_str_eq(f->invocation_id, INV2);
        ctx_done(&x);
}
END_TEST

static Suite *detect_memory_suite(void) {
        Suite *s = suite_create("detect-memory");
        TCase *tc = tcase_create("attribution");
        tcase_add_test(tc, test_by_cgroup_and_comm);
        tcase_add_test(tc, test_by_systemd);
        tcase_add_test(tc, test_by_time);
        tcase_add_test(tc, test_two_candidates);
        tcase_add_test(tc, test_time_window);
        tcase_add_test(tc, test_late_kernel_line);
        suite_add_tcase(s, tc);
        return s;
}

DEFINE_TEST_MAIN(detect_memory_suite)
