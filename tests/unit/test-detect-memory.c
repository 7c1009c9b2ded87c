/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* How the memory detector ties a kill to its unit, and says how: by the cgroup the kernel named,
 * by PID 1's own OOM report, by the unit's executable's comm, or, for a unit whose executable it
 * does not know (gone before goguard learned it, or read offline), the one unit PID 1 said died
 * of SIGKILL right after the kill: by the comm of that unit's own entries, or by time alone when
 * they said none; never when two fit. */
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

/* A line of the unit's own output that no detector reads: only its comm (_COMM). */
static void own_entry(Ctx *x, uint64_t t, const char *unit, const char *comm) {
        feed(x, (JournalRecord){ .source = JOURNAL_SOURCE_UNIT, .realtime = t, .unit = unit, .comm = comm });
}

#define SVC_A "alpha.service"
#define SVC_B "beta.service"
#define W1    "worker@1.service"
#define W2    "worker@2.service"

START_TEST(test_by_own_comm) {
        /* Offline, two comm-only kills and both units' exits within each one's window: time alone
         * has two candidates for each; the comm of each unit's own entries tells them apart. */
        Ctx x;
        ctx_init(&x);
        own_entry(&x, T0, SVC_A, "alpha");
        own_entry(&x, T0 + 1000, SVC_B, "beta");
        kill_lines(&x, T0 + SEC, 5101, "alpha", NULL, false);
        kill_lines(&x, T0 + SEC + 300000, 5102, "beta", NULL, false);
        exited_killed(&x, T0 + 2 * SEC, SVC_A, INV1);
        exited_killed(&x, T0 + 2 * SEC + 300000, SVC_B, INV2);
        ck_assert_uint_eq(n_findings(&x), 0); /* decided when the window closes */
        later(&x, T0 + 10 * SEC);
        ck_assert_uint_eq(n_findings(&x), 2);
        ck_assert_str_eq(attributed_by(&x, SVC_A), "own-comm");
        ck_assert_str_eq(attributed_by(&x, SVC_B), "own-comm");
        ck_assert_uint_eq(ev_u64(the_finding(&x, FINDING_OOM_KILL, SVC_A), "kernel_pid"), 5101);
        ck_assert_uint_eq(ev_u64(the_finding(&x, FINDING_OOM_KILL, SVC_B), "kernel_pid"), 5102);
        ck_assert_str_eq(the_finding(&x, FINDING_OOM_KILL, SVC_A)->invocation_id, INV1);
        ck_assert_str_eq(the_finding(&x, FINDING_OOM_KILL, SVC_B)->invocation_id, INV2);
        /* What PID 1 said of the exit before the kill was tied to it. */
        ck_assert_str_eq(ev_str(the_finding(&x, FINDING_OOM_KILL, SVC_A), "main_process_exit"),
                         SVC_A ": Main process exited, code=killed, status=9/KILL");
        ctx_done(&x);
}
END_TEST

START_TEST(test_shared_comm) {
        /* Two instances of one program: both fit a kill of their comm, so it is neither's. */
        Ctx x;
        ctx_init(&x);
        own_entry(&x, T0, W1, "worker");
        own_entry(&x, T0, W2, "worker");
        kill_lines(&x, T0 + SEC, 5201, "worker", NULL, false);
        kill_lines(&x, T0 + SEC + 400000, 5202, "worker", NULL, false);
        exited_killed(&x, T0 + 2 * SEC, W1, INV1);
        exited_killed(&x, T0 + 2 * SEC + 400000, W2, INV2);
        later(&x, T0 + 10 * SEC);
        ck_assert_uint_eq(n_findings(&x), 0);

        /* Only one of them died then: it is that one's. */
        exited_killed(&x, T0 + 20 * SEC, W2, INV2);
        kill_lines(&x, T0 + 30 * SEC, 5203, "worker", NULL, false);
        exited_killed(&x, T0 + 31 * SEC, W1, INV3);
        later(&x, T0 + 40 * SEC);
        ck_assert_uint_eq(n_findings(&x), 1);
        ck_assert_str_eq(attributed_by(&x, W1), "own-comm");
        ck_assert_uint_eq(ev_u64(the_finding(&x, FINDING_OOM_KILL, W1), "kernel_pid"), 5203);
        ctx_done(&x);
}
END_TEST

START_TEST(test_own_comm_and_time) {
        /* A unit whose own entries had another comm is no candidate: the unit that logged
         * nothing is the one left, tied by time. */
        Ctx x;
        ctx_init(&x);
        own_entry(&x, T0, SVC_A, "alpha");
        kill_lines(&x, T0 + SEC, 5301, "worker", NULL, false);
        exited_killed(&x, T0 + SEC + 100000, SVC_A, INV1);
        exited_killed(&x, T0 + SEC + 200000, GONE, INV2);
        later(&x, T0 + 10 * SEC);
        ck_assert_uint_eq(n_findings(&x), 1);
        ck_assert_str_eq(attributed_by(&x, GONE), "time");

        /* One unit whose entries had the comm, and one whose comm nothing says: both fit. */
        kill_lines(&x, T0 + 20 * SEC, 5302, "alpha", NULL, false);
        exited_killed(&x, T0 + 20 * SEC + 100000, SVC_A, INV3);
        exited_killed(&x, T0 + 20 * SEC + 200000, OTHER, INV1);
        later(&x, T0 + 30 * SEC);
        ck_assert_uint_eq(n_findings(&x), 1);

        /* The unit's newest comms: a wrapper's, then its program's. */
        own_entry(&x, T0 + 40 * SEC, SVC_B, "sh");
        own_entry(&x, T0 + 40 * SEC, SVC_B, "beta");
        kill_lines(&x, T0 + 41 * SEC, 5303, "sh", NULL, false);
        exited_killed(&x, T0 + 41 * SEC + 100000, SVC_B, INV2);
        later(&x, T0 + 50 * SEC);
        ck_assert_str_eq(attributed_by(&x, SVC_B), "own-comm");
        ctx_done(&x);
}
END_TEST

START_TEST(test_other_boot) {
        /* A journal copied from two hosts: an exit on the other boot does not fit the kill. */
        Ctx x;
        ctx_init(&x);
        own_entry(&x, T0, SVC_A, "alpha");
        own_entry(&x, T0, SVC_B, "alpha");
        kill_lines(&x, T0 + SEC, 5401, "alpha", NULL, false);
        feed(&x, (JournalRecord){ .source = JOURNAL_SOURCE_PID1,
                                  .realtime = T0 + SEC + 100000,
                                  .boot_id = "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b",
                                  .unit = SVC_B,
                                  .invocation_id = INV2,
                                  .message_id = MESSAGE_ID_UNIT_PROCESS_EXIT,
                                  .message = SVC_B ": Main process exited, code=killed, status=9/KILL",
                                  .exit_code = "killed",
                                  .exit_status = "9" });
        exited_killed(&x, T0 + SEC + 200000, SVC_A, INV1);
        later(&x, T0 + 10 * SEC);
        ck_assert_uint_eq(n_findings(&x), 1);
        ck_assert_str_eq(attributed_by(&x, SVC_A), "own-comm");
        ctx_done(&x);
}
END_TEST

START_TEST(test_limit_of_its_own_kill) {
        /* The rate limit left the second kill only its "Killed process" line: the "memory: usage"
         * line before it was the first kill's, and says nothing of this one's limit. */
        Ctx x;
        ctx_init(&x);
        own_entry(&x, T0, SVC_A, "alpha");
        started(&x, T0, SVC_B, INV2);
        kill_lines(&x, T0 + SEC, 5501, "beta", "/system.slice/" SVC_B, false);
        kernel(&x, T0 + SEC + 500000,
               "Memory cgroup out of memory: Killed process 5502 (alpha) total-vm:1009160kB, "
               "anon-rss:40400kB, file-rss:2752kB, shmem-rss:0kB, UID:0 pgtables:212kB oom_score_adj:0");
        exited_killed(&x, T0 + 2 * SEC, SVC_A, INV1);
        later(&x, T0 + 10 * SEC);
        ck_assert_uint_eq(n_findings(&x), 2);
        ck_assert_uint_eq(ev_u64(the_finding(&x, FINDING_OOM_KILL, SVC_B), "kernel_limit_kb"), 40960);
        Finding *f = the_finding(&x, FINDING_OOM_KILL, SVC_A);
        ck_assert_str_eq(attributed_by(&x, SVC_A), "own-comm");
        ck_assert_ptr_null(finding_get(f, "kernel_limit_kb"));
        ck_assert_ptr_null(finding_get(f, "memory_limit_bytes"));
        ctx_done(&x);
}
END_TEST

/* Two kills of SVC_A in a crash loop, fed by feed_kills after its start and its own entry, read
 * from the journal and then all again: both count, once. */
static void two_kills_read_twice(void (*feed_kills)(Ctx *x)) {
        Ctx x;
        ctx_init(&x);
        for (int pass = 0; pass < 2; pass++) {
                started(&x, T0, SVC_A, INV1);
                own_entry(&x, T0 + 1000, SVC_A, "alpha");
                feed_kills(&x);
                later(&x, T0 + 10 * SEC);
                ck_assert_uint_eq(the_finding(&x, FINDING_OOM_KILL, SVC_A)->count, 2);
                ck_assert_str_eq(attributed_by(&x, SVC_A), "own-comm");
                x.cursor = 0; /* the same entries at the same places */
        }
        ctx_done(&x);
}

/* A comm-only kill waits for its window to close while the unit's next kill, with its summary,
 * is counted. The wait is no re-read. */
static void kills_later_summary(Ctx *x) {
        kill_lines(x, T0 + SEC, 5601, "alpha", NULL, false);
        exited_killed(x, T0 + SEC + 7000, SVC_A, INV1);
        started(x, T0 + SEC + 200000, SVC_A, INV2);
        kill_lines(x, T0 + SEC + 500000, 5602, "alpha", "/system.slice/" SVC_A, false);
        exited_killed(x, T0 + SEC + 510000, SVC_A, INV2);
}

/* The same, with journald writing the comm-only kill's lines after PID 1's exit: the kill is
 * tied where its window closes, not at its own line, which stands behind the second kill's. */
static void kills_exit_read_first(Ctx *x) {
        exited_killed(x, T0 + SEC + 20000, SVC_A, INV1);
        kill_lines(x, T0 + SEC, 5701, "alpha", NULL, false);
        started(x, T0 + SEC + 250000, SVC_A, INV2);
        kill_lines(x, T0 + SEC + 500000, 5702, "alpha", "/system.slice/" SVC_A, false);
        exited_killed(x, T0 + SEC + 510000, SVC_A, INV2);
}

/* Two comm-only kills whose windows both close before the next record: decided at one place. */
static void kills_windows_closing_together(Ctx *x) {
        kill_lines(x, T0 + SEC, 5801, "alpha", NULL, false);
        exited_killed(x, T0 + SEC + 7000, SVC_A, INV1);
        started(x, T0 + SEC + 200000, SVC_A, INV2);
        kill_lines(x, T0 + SEC + 400000, 5802, "alpha", NULL, false);
        exited_killed(x, T0 + SEC + 407000, SVC_A, INV2);
}

/* The unit's next kill is counted at the last record before the first kill's window closes: the
 * first is decided at that same place. */
static void kills_window_closing_after_a_count(Ctx *x) {
        kill_lines(x, T0 + SEC, 5901, "alpha", NULL, false);
        exited_killed(x, T0 + SEC + 7000, SVC_A, INV1);
        started(x, T0 + SEC + 200000, SVC_A, INV2);
        exited_killed(x, T0 + 3 * SEC + 900000, SVC_A, INV2);
        kill_lines(x, T0 + 3 * SEC + 890000, 5902, "alpha", "/system.slice/" SVC_A, false);
}

static void (*const crash_loops[])(Ctx *x) = {
        kills_later_summary,
        kills_exit_read_first,
        kills_windows_closing_together,
        kills_window_closing_after_a_count,
};

START_TEST(test_crash_loop_ties) {
        two_kills_read_twice(crash_loops[_i]);
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
        tcase_add_test(tc, test_by_own_comm);
        tcase_add_test(tc, test_shared_comm);
        tcase_add_test(tc, test_own_comm_and_time);
        tcase_add_test(tc, test_other_boot);
        tcase_add_test(tc, test_limit_of_its_own_kill);
        tcase_add_loop_test(tc, test_crash_loop_ties, 0, ELEMENTSOF(crash_loops));
        suite_add_tcase(s, tc);
        return s;
}

DEFINE_TEST_MAIN(detect_memory_suite)
