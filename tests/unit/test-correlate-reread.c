/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Reading the journal again never counts an occurrence twice, however many came since: after a
 * lost or garbage cursor, a rewind, a restart with the state read back, a finding resolved in
 * between; and kills read live first, or older kills read from the journal after newer ones were
 * read live, each count exactly once. */
#include "correlate-harness.h"

#define KILLS  100u /* more than a finding's FINDING_SEEN_KEYS_MAX keys */
#define CGROUP "/system.slice/gomem.service"

static void invocation(char buf[static 33], unsigned i) {
        snprintf(buf, 33, "%032x", i + 1);
}

/* Kill i of a crash loop as the journal has it: PID 1 starts the unit, the kernel kills it (with
 * its oom-kill: summary, or without when the kernel rate-limited that line), PID 1 reports the
 * SIGKILL. Times, and so journal positions, depend on i alone. */
static void journal_kill(Ctx *x, unsigned i, bool with_summary) {
        char inv[33];
        uint64_t t = T0 + i * SEC;
        invocation(inv, i);
        started(x, t, GOMEM, inv);
        kill_lines(x, t + 100000, 1000 + i, "gofix-cgo", with_summary ? CGROUP : NULL, false);
        exited_killed(x, t + 200000, GOMEM, inv);
}

static void journal_crash_loop(Ctx *x, unsigned from, unsigned to) {
        for (unsigned i = from; i < to; i++)
                journal_kill(x, i, i % 3 != 0);
}

/* The daemon restarts: the store goes through the state file, the correlator starts afresh. */
static void restart(Ctx *x) {
        StrBuf b = {};
        char *text;
        size_t line;
        finding_state_write(&x->store, &b);
        ck_assert_int_eq(strbuf_steal(&b, &text, NULL), 0);
        correlator_free(x->c);
        finding_store_done(&x->store);
        ck_assert_int_eq(finding_store_init(&x->store), 0);
        ck_assert_int_eq(finding_state_read(text, strlen(text), &x->store, &line), 0);
        free(text);
        ctx_start(x);
}

static void reread_init(Ctx *x) {
        ctx_init(x);
        x->positions_from_time = true;
        add_unit(x, GOMEM);
}

static uint64_t oom_count(Ctx *x) {
        return the_finding(x, FINDING_OOM_KILL, GOMEM)->count;
}

START_TEST(test_reread_after_cursor_loss) {
        Ctx x;
        reread_init(&x);
        journal_crash_loop(&x, 0, KILLS);
        ck_assert_uint_eq(n_findings(&x), 1);
        ck_assert_uint_eq(oom_count(&x), KILLS);

        /* The same correlator reads it all again (a rewind): nothing counts. */
        unsigned added = x.n_added;
        journal_crash_loop(&x, 0, KILLS);
        ck_assert_uint_eq(oom_count(&x), KILLS);
        ck_assert_uint_eq(x.n_added, added);

        /* A restart whose cursor was lost or garbage: the whole journal again. */
        restart(&x);
        journal_crash_loop(&x, 0, KILLS);
        ck_assert_uint_eq(n_findings(&x), 1);
        ck_assert_uint_eq(oom_count(&x), KILLS);

        /* Part of it again, and what is new after it: only the new ones count. */
        restart(&x);
        journal_crash_loop(&x, KILLS / 2, KILLS + 7);
        ck_assert_uint_eq(oom_count(&x), KILLS + 7);
        ck_assert_uint_eq(n_findings(&x), 1);
        ctx_done(&x);
}
END_TEST

START_TEST(test_reread_after_resolution) {
        Ctx x;
        reread_init(&x);
        journal_crash_loop(&x, 0, KILLS);
        Finding *f = the_finding(&x, FINDING_OOM_KILL, GOMEM);
        ck_assert_int_eq(finding_set_state(f, FINDING_RESOLVED, T0 + 1000 * SEC), 0);

        /* Old kills read again belong to the resolved finding: no new finding for them. */
        restart(&x);
        journal_crash_loop(&x, 0, KILLS);
        ck_assert_uint_eq(n_findings(&x), 1);

        /* A kill after the resolution opens a new finding, which counts only itself. */
        journal_kill(&x, KILLS + 10, true);
        ck_assert_uint_eq(n_findings(&x), 2);
        ck_assert_uint_eq(the_finding(&x, FINDING_OOM_KILL, GOMEM)->count, 1);
        restart(&x);
        journal_crash_loop(&x, 0, KILLS);
        journal_kill(&x, KILLS + 10, true);
        ck_assert_uint_eq(n_findings(&x), 2);
        ck_assert_uint_eq(the_finding(&x, FINDING_OOM_KILL, GOMEM)->count, 1);
        ctx_done(&x);
}
END_TEST

/* Kill i read live from /dev/kmsg, its exit told by the bus, then the journal's copies. */
static void live_then_journal_kill(Ctx *x, unsigned i) {
        char inv[33];
        uint64_t t = T0 + i * SEC;
        invocation(inv, i);
        started(x, t, GOMEM, inv);
        kill_lines_from(x, JOURNAL_SOURCE_KMSG, t + 100000, 1000 + i, "gofix-cgo", i % 3 ? CGROUP : NULL,
                        false);
        ck_assert_int_ge(correlator_main_process_killed(x->c, GOMEM, inv, BOOT_ID, t + 150000), 0);
        journal_kill(x, i, i % 3 != 0);
}

START_TEST(test_live_then_journal) {
        Ctx x;
        reread_init(&x);
        for (unsigned i = 0; i < KILLS; i++)
                live_then_journal_kill(&x, i);
        ck_assert_uint_eq(oom_count(&x), KILLS);

        /* After a restart the journal is read again from the start: the kills first counted live
         * were read from the journal since, and count no more. */
        restart(&x);
        journal_crash_loop(&x, 0, KILLS);
        ck_assert_uint_eq(oom_count(&x), KILLS);
        ctx_done(&x);
}
END_TEST

START_TEST(test_history_after_live) {
        /* goguardd starts while the unit crash-loops: a new kill is read live before the journal
         * brings the older kills that happened while it was down. Each counts. */
        Ctx x;
        reread_init(&x);
        char inv[33];
        invocation(inv, 20);
        kill_lines_from(&x, JOURNAL_SOURCE_KMSG, T0 + 20 * SEC + 100000, 1020, "gofix-cgo", CGROUP, false);
        ck_assert_uint_eq(oom_count(&x), 1);
        journal_crash_loop(&x, 0, 21);
        ck_assert_uint_eq(oom_count(&x), 21);
        restart(&x);
        journal_crash_loop(&x, 0, 21);
        ck_assert_uint_eq(oom_count(&x), 21);
        ctx_done(&x);
}
END_TEST

START_TEST(test_position_order) {
        JournalPosition a = { .boot_id = BOOT_ID, .monotonic = 100, .realtime = T0 };
        JournalPosition same = a, later = a, other_boot = { .boot_id = "c007c007c007c007c007c007c007c007" };
        later.monotonic = 101;
        /* Another boot is ordered by the wall clock. */
        other_boot.monotonic = 5;
        other_boot.realtime = T0 - SEC;
        ck_assert(journal_position_covers(&a, &same));
        ck_assert(!journal_position_covers(&a, &later));
        ck_assert(journal_position_covers(&later, &a));
        ck_assert(journal_position_covers(&a, &other_boot));
        other_boot.realtime = T0 + SEC;
        ck_assert(!journal_position_covers(&a, &other_boot));
        /* Nothing counted yet covers nothing; a live record (no position) is never covered. */
        ck_assert(!journal_position_covers(&(JournalPosition){}, &a));
        ck_assert(!journal_position_covers(&a, NULL));
}
END_TEST

START_TEST(test_position_persists) {
        Ctx x;
        reread_init(&x);
        journal_crash_loop(&x, 0, 3);
        JournalPosition before = the_finding(&x, FINDING_OOM_KILL, GOMEM)->counted_until;
        ck_assert_uint_gt(before.monotonic, 0);
        ck_assert_str_eq(before.boot_id, BOOT_ID);
        restart(&x);
        JournalPosition after = the_finding(&x, FINDING_OOM_KILL, GOMEM)->counted_until;
        ck_assert_str_eq(after.boot_id, before.boot_id);
        ck_assert_uint_eq(after.monotonic, before.monotonic);
        ck_assert_uint_eq(after.realtime, before.realtime);
        ctx_done(&x);
}
END_TEST

static Suite *reread_suite(void) {
        Suite *s = suite_create("correlate-reread");
        TCase *tc = tcase_create("reread");
        tcase_add_test(tc, test_reread_after_cursor_loss);
        tcase_add_test(tc, test_reread_after_resolution);
        tcase_add_test(tc, test_live_then_journal);
        tcase_add_test(tc, test_history_after_live);
        tcase_add_test(tc, test_position_order);
        tcase_add_test(tc, test_position_persists);
        suite_add_tcase(s, tc);
        return s;
}

DEFINE_TEST_MAIN(reread_suite)
