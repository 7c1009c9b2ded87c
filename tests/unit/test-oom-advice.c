/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The advice an OOM kill gets, and kills whose unit or cgroup is not plainly named: a unit
 * goguard does not know, units that are not Go, the whole system out of memory, a kill line
 * without its cgroup summary. */
#include "correlate-harness.h"

/* ---- (i) advice ---- */

static Finding *advice_run(Ctx *x, const char *version, const char *env, const char *unit_env) {
        ctx_init(x);
        TestUnit *u = add_unit(x, GOMEM);
        if (version)
                snprintf(u->version, sizeof u->version, "%s", version);
        else
                u->have_exe = false;
        if (env)
                ck_assert_int_eq(strv_extend(&u->env, env), 0);
        if (unit_env)
                ck_assert_int_eq(strv_extend(&u->settings.environment, unit_env), 0);
        started(x, T0, GOMEM, INV1);
        box_kill(x, T0 + SEC);
        ck_assert_uint_eq(n_findings(x), 1);
        return the_finding(x, FINDING_OOM_KILL, GOMEM);
}

START_TEST(test_advice) {
        Ctx x;

        /* GOMEMLIMIT well below the limit: the heap is live, lowering it does not help. */
        Finding *f = advice_run(&x, "go1.21.3", "GOMEMLIMIT=30MiB", NULL);
        ck_assert_ptr_null(gomemlimit_dropin(f));
        ck_assert_ptr_nonnull(advice_with(f, ADVICE_TEXT, "GOMEMLIMIT=30MiB is below MemoryMax=40M"));
        ck_assert_str_eq(ev_str(f, "GOMEMLIMIT"), "30MiB");
        ck_assert_str_eq(ev_str(f, "GOMEMLIMIT_source"), "process environment");
        ck_assert(strstr(f->summary, "GOMEMLIMIT set"));
        ctx_done(&x);

        /* At or above 95% of the limit: lower it. */
        static const char *const high[] = { "GOMEMLIMIT=40MiB", "GOMEMLIMIT=38MiB", "GOMEMLIMIT=1GiB",
                                            "GOMEMLIMIT=41943040", "GOMEMLIMIT=41943040B" };
        for (size_t i = 0; i < ELEMENTSOF(high); i++) {
                f = advice_run(&x, "go1.21.3", high[i], NULL);
                ck_assert_str_eq(gomemlimit_dropin(f), "[Service]\nEnvironment=GOMEMLIMIT=36MiB\n");
                ck_assert_ptr_nonnull(advice_with(f, ADVICE_DROPIN, "leaves no room"));
                ctx_done(&x);
        }
        f = advice_run(&x, "go1.21.3", "GOMEMLIMIT=37MiB", NULL); /* just below 95% */
        ck_assert_ptr_null(gomemlimit_dropin(f));
        ctx_done(&x);

        /* Values the runtime refuses. */
        static const char *const bad[] = { "GOMEMLIMIT=lots", "GOMEMLIMIT=1.5GiB", "GOMEMLIMIT=40M",
                                           "GOMEMLIMIT=-1" };
        for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
                f = advice_run(&x, "go1.21.3", bad[i], NULL);
                ck_assert_str_eq(gomemlimit_dropin(f), "[Service]\nEnvironment=GOMEMLIMIT=36MiB\n");
                ck_assert_ptr_nonnull(
                        advice_with(f, ADVICE_DROPIN, "is not a value the Go runtime accepts"));
                ctx_done(&x);
        }

        /* Off, or empty (the runtime reads that as off): as if unset. */
        static const char *const off[] = { "GOMEMLIMIT=off", "GOMEMLIMIT=" };
        for (size_t i = 0; i < ELEMENTSOF(off); i++) {
                f = advice_run(&x, "go1.21.3", off[i], NULL);
                ck_assert_str_eq(gomemlimit_dropin(f), "[Service]\nEnvironment=GOMEMLIMIT=36MiB\n");
                ck_assert_ptr_nonnull(advice_with(f, ADVICE_DROPIN, "does not know about MemoryMax=40M"));
                ck_assert_ptr_nonnull(advice_with(f, ADVICE_DROPIN, "the live heap itself comes near it"));
                ctx_done(&x);
        }

        /* From Environment=, and the process environment wins over it. */
        f = advice_run(&x, "go1.21.3", NULL, "GOMEMLIMIT=30MiB");
        ck_assert_str_eq(ev_str(f, "GOMEMLIMIT_source"), "Environment=");
        ck_assert_ptr_null(gomemlimit_dropin(f));
        ctx_done(&x);
        f = advice_run(&x, "go1.21.3", "GOMEMLIMIT=40MiB", "GOMEMLIMIT=30MiB");
        ck_assert_str_eq(ev_str(f, "GOMEMLIMIT"), "40MiB");
        ck_assert_str_eq(ev_str(f, "GOMEMLIMIT_source"), "process environment");
        ck_assert_ptr_nonnull(gomemlimit_dropin(f));
        ctx_done(&x);
        f = advice_run(&x, "go1.21.3", "GOGC=50", NULL);
        ck_assert_str_eq(ev_str(f, "GOGC"), "50");
        ctx_done(&x);

        /* No process to read (it died before goguardd saw it): the EnvironmentFile= files say
         * it; Environment= still wins over them, as in systemd. */
        ctx_init(&x);
        TestUnit *ef = add_unit(&x, GOMEM);
        ck_assert_int_eq(strv_extend(&ef->env_files, "GOMEMLIMIT=30MiB"), 0);
        started(&x, T0, GOMEM, INV1);
        box_kill(&x, T0 + SEC);
        f = the_finding(&x, FINDING_OOM_KILL, GOMEM);
        ck_assert_str_eq(ev_str(f, "GOMEMLIMIT"), "30MiB");
        ck_assert_str_eq(ev_str(f, "GOMEMLIMIT_source"), "EnvironmentFile=");
        ck_assert_ptr_null(gomemlimit_dropin(f));
        ctx_done(&x);
        ctx_init(&x);
        ef = add_unit(&x, GOMEM);
        ck_assert_int_eq(strv_extend(&ef->env_files, "GOMEMLIMIT=30MiB"), 0);
        ck_assert_int_eq(strv_extend(&ef->settings.environment, "GOMEMLIMIT=40MiB"), 0);
        started(&x, T0, GOMEM, INV1);
        box_kill(&x, T0 + SEC);
        f = the_finding(&x, FINDING_OOM_KILL, GOMEM);
        ck_assert_str_eq(ev_str(f, "GOMEMLIMIT_source"), "Environment=");
        ctx_done(&x);

        /* Go 1.18 has no GOMEMLIMIT: lower GOGC instead. */
        f = advice_run(&x, "go1.18.10", NULL, NULL);
        ck_assert_ptr_null(gomemlimit_dropin(f));
        const Advice *a = advice_with(f, ADVICE_TEXT, "GOGC");
        ck_assert_ptr_nonnull(a);
        ck_assert(strstr(a->text, "go1.18.10 predates GOMEMLIMIT"));
        ck_assert(strstr(a->text, "GOMEMLIMIT=36MiB"));
        ck_assert_str_eq(ev_str(f, "go_version"), "go1.18.10");
        ctx_done(&x);

        /* No build info: advice as for a current Go. */
        f = advice_run(&x, NULL, NULL, NULL);
        ck_assert_str_eq(gomemlimit_dropin(f), "[Service]\nEnvironment=GOMEMLIMIT=36MiB\n");
        ck_assert_ptr_null(finding_get(f, "go_version"));
        ctx_done(&x);

        /* MemoryLimit= (cgroup v1) when there is no MemoryMax=. */
        ctx_init(&x);
        TestUnit *u = add_unit(&x, GOMEM);
        u->settings.memory_max = UINT64_MAX;
        u->settings.memory_limit = 100ull << 20;
        started(&x, T0, GOMEM, INV1);
        box_kill(&x, T0 + SEC);
        f = the_finding(&x, FINDING_OOM_KILL, GOMEM);
        ck_assert_uint_eq(ev_u64(f, "memory_limit_bytes"), 100ull << 20);
        ck_assert_str_eq(gomemlimit_dropin(f), "[Service]\nEnvironment=GOMEMLIMIT=90MiB\n");
        ck_assert_ptr_null(advice_with(f, ADVICE_DROPIN, "MemoryMax="));
        ctx_done(&x);

        /* A small limit: KiB. */
        ctx_init(&x);
        u = add_unit(&x, GOMEM);
        u->settings.memory_max = 10ull << 20;
        started(&x, T0, GOMEM, INV1);
        box_kill(&x, T0 + SEC);
        f = the_finding(&x, FINDING_OOM_KILL, GOMEM);
        ck_assert_str_eq(gomemlimit_dropin(f), "[Service]\nEnvironment=GOMEMLIMIT=9216KiB\n");
        ck_assert_ptr_nonnull(advice_with(f, ADVICE_DROPIN, "MemoryMax=15M"));
        ctx_done(&x);
}
END_TEST

START_TEST(test_unknown_unit) {
        Ctx x;

        /* PID 1's OOM record of a unit the lookup does not know: the generic advice. */
        ctx_init(&x);
        ck_assert_int_eq(unit_oom(&x, T0, GOMEM, INV1), 1);
        Finding *f = the_finding(&x, FINDING_OOM_KILL, GOMEM);
        ck_assert(!ev_bool(f, "unit_settings_known"));
        ck_assert_ptr_null(finding_get(f, "memory_limit_bytes"));
        ck_assert_ptr_null(finding_get(f, "Restart"));
        ck_assert_ptr_null(finding_get(f, "go_version"));
        ck_assert_uint_eq(f->n_advice, 1);
        ck_assert_int_eq(f->advice[0].kind, ADVICE_TEXT);
        ck_assert(strstr(f->advice[0].text, "is not known"));
        ck_assert_str_eq(f->summary,
                         "gomem.service was killed by the kernel OOM killer at its memory limit");
        ck_assert_ptr_null(finding_store_find_active(&x.store, FINDING_OOM_RESTART_GAP, GOMEM));
        ck_assert_uint_gt(x.n_lookups, 0);
        ctx_done(&x);

        /* The kernel's lines still tell the limit. */
        ctx_init(&x);
        started(&x, T0, GOMEM, INV1);
        box_kill(&x, T0 + SEC);
        f = the_finding(&x, FINDING_OOM_KILL, GOMEM);
        ck_assert(!ev_bool(f, "unit_settings_known"));
        ck_assert_uint_eq(ev_u64(f, "memory_limit_bytes"), 41943040);
        ck_assert_str_eq(gomemlimit_dropin(f), "[Service]\nEnvironment=GOMEMLIMIT=36MiB\n");
        /* Worded without a unit setting: "kernel=40M" read like one. */
        ck_assert_ptr_nonnull(advice_with(f, ADVICE_DROPIN, "its memory limit of 40M"));
        ck_assert_ptr_null(advice_with(f, ADVICE_DROPIN, "MemoryMax="));
        ctx_done(&x);

        /* Without a lookup at all. */
        FindingStore s;
        Correlator *c;
        ck_assert_int_eq(finding_store_init(&s), 0);
        ck_assert_int_eq(correlator_new(&s, &(CorrelatorOptions){}, &c), 0);
        JournalRecord r = { .source = JOURNAL_SOURCE_PID1,
                            .realtime = T0,
                            .unit = GOMEM,
                            .invocation_id = INV1,
                            .message_id = MESSAGE_ID_UNIT_OOM,
                            .message = "x",
                            .message_len = 1 };
        ck_assert_int_eq(correlator_feed(c, &r), 1);
        ck_assert_uint_eq(finding_store_count(&s, NULL, _FINDING_STATE_INVALID), 1);
        correlator_free(c);
        finding_store_done(&s);
        ck_assert_ptr_null(correlator_free(NULL));
}
END_TEST

/* ---- (j) units that are not Go ---- */

static void feed_everything(Ctx *x) {
        started(x, T0, GOMEM, INV1);
        box_kill(x, T0 + SEC);
        unit_oom(x, T0 + 60 * SEC, GOMEM, INV2);
        pid1(x, T0 + 120 * SEC, GOMEM, INV3, MESSAGE_ID_UNIT_OOMD_KILL, "oomd");
        unit_output(x, T0 + 180 * SEC, GOMEM, INV3, "fatal error: runtime: out of memory");
}

START_TEST(test_non_go) {
        Ctx x;
        ctx_init(&x);
        TestUnit *u = add_unit(&x, GOMEM);
        u->is_go = false;
        u->have_exe = false;
        feed_everything(&x);
        ck_assert_uint_eq(n_findings(&x), 0);
        ck_assert_uint_eq(x.n_added, 0);
        ctx_done(&x);

        x = (Ctx){ .include_non_go = true };
        ck_assert_int_eq(finding_store_init(&x.store), 0);
        ctx_start(&x);
        u = add_unit(&x, GOMEM);
        u->is_go = false;
        u->have_exe = false;
        feed_everything(&x);
        ck_assert_uint_eq(n_findings(&x), 3);
        ck_assert_uint_eq(the_finding(&x, FINDING_OOM_KILL, GOMEM)->count, 2);
        the_finding(&x, FINDING_OOMD_KILL, GOMEM);
        the_finding(&x, FINDING_GO_RUNTIME_OOM, GOMEM);
        ctx_done(&x);
}
END_TEST

/* ---- (k) the whole system out of memory ---- */

START_TEST(test_global_oom) {
        Ctx x;
        ctx_init(&x);
        set_restart(add_unit(&x, GOMEM), "no", "stop");
        started(&x, T0, GOMEM, INV1);
        kill_lines(&x, T0 + SEC, 10323, "gofix-cgo", "/system.slice/gomem.service", true);
        exited_killed(&x, T0 + SEC + 100000, GOMEM, INV1);
        ck_assert_ptr_null(finding_store_find_active(&x.store, FINDING_OOM_KILL, GOMEM));
        Finding *f = the_finding(&x, FINDING_GLOBAL_OOM, GOMEM);
        ck_assert_uint_eq(f->count, 1);
        ck_assert_uint_eq(ev_u64(f, "kernel_pid"), 10323);
        ck_assert_str_eq(ev_str(f, "comm"), "gofix-cgo");
        ck_assert_str_eq(ev_str(f, "constraint"), "CONSTRAINT_NONE");
        ck_assert_ptr_null(finding_get(f, "oom_memcg"));
        ck_assert_uint_eq(ev_u64(f, "anon_rss_kb"), 40323);
        ck_assert_uint_eq(f->n_advice, 1);
        ck_assert_int_eq(f->advice[0].kind, ADVICE_DROPIN);
        ck_assert(strstr(f->advice[0].snippet, "MemoryMax=<limit>"));
        ck_assert_str_eq(f->summary,
                         "gomem.service was killed when the system ran out of memory: gofix-cgo");
        ck_assert_uint_eq(n_findings(&x), 1);
        /* Restart=no: PID 1's oom-kill result tells that the service stays down. */
        failed_result(&x, T0 + SEC + 200000, GOMEM, INV1, "oom-kill");
        ck_assert_str_eq(ev_str(f, "UnitResult"), "oom-kill");
        ck_assert_uint_eq(n_findings(&x), 2);
        ck_assert_uint_eq(the_finding(&x, FINDING_OOM_RESTART_GAP, GOMEM)->count, 1);
        ctx_done(&x);

        /* A global kill line without its summary, attributed by PID 1's exit record. */
        ctx_init(&x);
        add_unit(&x, GOMEM);
        kill_lines(&x, T0, 777, "gofix-cgo", NULL, true);
        exited_killed(&x, T0 + SEC, GOMEM, INV1);
        f = the_finding(&x, FINDING_GLOBAL_OOM, GOMEM);
        ck_assert_uint_eq(ev_u64(f, "kernel_pid"), 777);
        ctx_done(&x);
}
END_TEST

/* ---- (l) a kill line without a cgroup ---- */

START_TEST(test_kill_without_summary) {
        Ctx x;

        /* The comm matches the unit's executable, and PID 1 says its main process died of
         * SIGKILL within 3 s. */
        ctx_init(&x);
        add_unit(&x, GOMEM);
        started(&x, T0, GOMEM, INV1);
        kill_lines(&x, T0 + SEC, 6000, "gofix-cgo", NULL, false);
        ck_assert_uint_eq(n_findings(&x), 0);
        ck_assert_int_eq(exited_killed(&x, T0 + 3 * SEC, GOMEM, INV1), 1);
        Finding *f = the_finding(&x, FINDING_OOM_KILL, GOMEM);
        ck_assert_uint_eq(f->count, 1);
        ck_assert_uint_eq(ev_u64(f, "kernel_pid"), 6000);
        ck_assert_uint_eq(ev_u64(f, "anon_rss_kb"), 40000);
        ck_assert_str_eq(ev_str(f, "comm"), "gofix-cgo");
        ck_assert_ptr_null(finding_get(f, "task_memcg"));
        ck_assert_uint_eq(f->first_seen, T0 + SEC + 3000);
        ck_assert_str_eq(ev_str(f, "main_process_exit"),
                         "gomem.service: Main process exited, code=killed, status=9/KILL");
        ctx_done(&x);

        /* Another comm: not this unit's. */
        ctx_init(&x);
        add_unit(&x, GOMEM);
        kill_lines(&x, T0, 6000, "postgres", NULL, false);
        exited_killed(&x, T0 + SEC, GOMEM, INV1);
        ck_assert_uint_eq(n_findings(&x), 0);
        ctx_done(&x);

        /* A unit whose comm is unknown, or that the lookup does not know. */
        ctx_init(&x);
        add_unit(&x, GOMEM)->exe_comm = NULL;
        kill_lines(&x, T0, 6000, "gofix-cgo", NULL, false);
        exited_killed(&x, T0 + SEC, GOMEM, INV1);
        exited_killed(&x, T0 + SEC, "unknown.service", INV1);
        ck_assert_uint_eq(n_findings(&x), 0);
        ctx_done(&x);

        /* Too late, or not a SIGKILL. */
        ctx_init(&x);
        add_unit(&x, GOMEM);
        kill_lines(&x, T0, 6000, "gofix-cgo", NULL, false);
        feed(&x,
             (JournalRecord){ .source = JOURNAL_SOURCE_PID1,
                              .realtime = T0 + SEC,
                              .unit = GOMEM,
                              .invocation_id = INV1,
                              .message_id = MESSAGE_ID_UNIT_PROCESS_EXIT,
                              .message = "gomem.service: Main process exited, code=killed, status=15/TERM",
                              .exit_code = "killed",
                              .exit_status = "15" });
        feed(&x, (JournalRecord){ .source = JOURNAL_SOURCE_PID1,
                                  .realtime = T0 + SEC,
                                  .unit = GOMEM,
                                  .invocation_id = INV1,
                                  .message_id = MESSAGE_ID_UNIT_PROCESS_EXIT,
                                  .message = "gomem.service: Main process exited, code=exited, status=9/n/a",
                                  .exit_code = "exited",
                                  .exit_status = "9" });
        ck_assert_uint_eq(n_findings(&x), 0);
        exited_killed(&x, T0 + 3 * SEC + 3001, GOMEM, INV1);
        ck_assert_uint_eq(n_findings(&x), 0);
        ctx_done(&x);

        /* A 15-byte comm matches an executable name cut the same way. */
        ctx_init(&x);
        add_unit(&x, GOMEM)->exe_comm = "averyveryverylo";
        kill_lines(&x, T0, 6001, "averyveryverylongname", NULL, false);
        exited_killed(&x, T0 + SEC, GOMEM, INV1);
        ck_assert_uint_eq(ev_u64(the_finding(&x, FINDING_OOM_KILL, GOMEM), "kernel_pid"), 6001);
        ctx_done(&x);

        /* PID 1's message reaches the journal before the kernel's line, whose time may even be
         * a little later (seen in the box: 0.6 ms): the line finds the exit. */
        ctx_init(&x);
        add_unit(&x, GOMEM);
        started(&x, T0, GOMEM, INV1);
        ck_assert_int_eq(exited_killed(&x, T0 + SEC, GOMEM, INV1), 0);
        ck_assert_int_eq(failed_result(&x, T0 + SEC + 200, GOMEM, INV1, "signal"), 0);
        kill_lines(&x, T0 + SEC - 2400, 6000, "gofix-cgo", NULL, false); /* "Killed" at +600 µs */
        f = the_finding(&x, FINDING_OOM_KILL, GOMEM);
        ck_assert_uint_eq(f->count, 1);
        ck_assert_uint_eq(ev_u64(f, "kernel_pid"), 6000);
        ck_assert_str_eq(f->invocation_id, INV1);
        /* What PID 1 said before the line came is the kill's evidence all the same. */
        ck_assert_str_eq(ev_str(f, "UnitResult"), "signal");
        ck_assert_str_eq(ev_str(f, "main_process_exit"),
                         "gomem.service: Main process exited, code=killed, status=9/KILL");
        /* A crash loop: a kill with its cgroup, its exit, then a kill without one. The first
         * exit is the first kill's; the second kill waits for its own exit. */
        started(&x, T0 + 2 * SEC, GOMEM, INV2);
        kill_lines(&x, T0 + 2 * SEC + 10000, 6001, "gofix-cgo", "/system.slice/gomem.service", false);
        ck_assert_uint_eq(f->count, 2);
        exited_killed(&x, T0 + 2 * SEC + 50000, GOMEM, INV2);
        started(&x, T0 + 2 * SEC + 200000, GOMEM, INV3);
        kill_lines(&x, T0 + 2 * SEC + 230000, 6002, "gofix-cgo", NULL, false);
        ck_assert_uint_eq(f->count, 2);
        exited_killed(&x, T0 + 2 * SEC + 240000, GOMEM, INV3);
        ck_assert_uint_eq(f->count, 3);
        ck_assert_uint_eq(ev_u64(f, "kernel_pid"), 6002);
        /* A kill recorded from its cgroup was its invocation's exit: another process of the
         * same name killed without a cgroup at the same moment is not this unit's. */
        started(&x, T0 + 3 * SEC, GOMEM, "55555555555555555555555555555555");
        kill_lines(&x, T0 + 3 * SEC + 10000, 6010, "gofix-cgo", "/system.slice/gomem.service", false);
        kill_lines(&x, T0 + 3 * SEC + 11000, 7000, "gofix-cgo", NULL, false);
        ck_assert_uint_eq(f->count, 4);
        exited_killed(&x, T0 + 3 * SEC + 20000, GOMEM, "55555555555555555555555555555555");
        ck_assert_uint_eq(f->count, 4);
        ck_assert_uint_eq(ev_u64(f, "kernel_pid"), 6010);
        /* A line more than 50 ms after an exit is not that exit's kill. */
        started(&x, T0 + 9 * SEC, GOMEM, "44444444444444444444444444444444");
        exited_killed(&x, T0 + 9 * SEC, GOMEM, "44444444444444444444444444444444");
        kill_lines(&x, T0 + 9 * SEC + 60000, 6003, "gofix-cgo", NULL, false);
        ck_assert_uint_eq(f->count, 4);
        ctx_done(&x);

        /* Old kernels: "Task in <cgroup> killed as a result of limit of <cgroup>" names the unit. */
        ctx_init(&x);
        add_unit(&x, GOMEM);
        kernel(&x, T0, "memory: usage 40960kB, limit 40960kB, failcnt 1");
        kernel(&x, T0 + 1000,
               "Task in /system.slice/gomem.service killed as a result of limit of "
               "/system.slice/gomem.service");
        kernel(&x, T0 + 2000,
               "Killed process 7000 (gofix-cgo) total-vm:1000kB, anon-rss:900kB, file-rss:0kB, "
               "shmem-rss:0kB");
        f = the_finding(&x, FINDING_OOM_KILL, GOMEM);
        ck_assert_uint_eq(ev_u64(f, "kernel_pid"), 7000);
        ck_assert_uint_eq(ev_u64(f, "anon_rss_kb"), 900);
        ck_assert_str_eq(ev_str(f, "task_memcg"), "/system.slice/gomem.service");
        ck_assert_uint_eq(ev_u64(f, "kernel_limit_kb"), 40960);
        ctx_done(&x);
}
END_TEST

static Suite *oom_advice_suite(void) {
        Suite *s = suite_create("oom-advice");
        TCase *tc = tcase_create("oom");
        tcase_add_test(tc, test_advice);
        tcase_add_test(tc, test_unknown_unit);
        tcase_add_test(tc, test_non_go);
        tcase_add_test(tc, test_global_oom);
        tcase_add_test(tc, test_kill_without_summary);
        suite_add_tcase(s, tc);
        return s;
}

DEFINE_TEST_MAIN(oom_advice_suite)
