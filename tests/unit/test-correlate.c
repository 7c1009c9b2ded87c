/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "correlate-harness.h"

/* ---- (a) the fixture, with PID 1's start record first ---- */

START_TEST(test_box_kill) {
        Ctx x;
        ctx_init(&x);
        add_unit(&x, GOMEM);

        ck_assert_int_eq(started(&x, T0, GOMEM, INV1), 0);
        uint64_t ts = box_kill(&x, T0 + 10 * SEC);

        ck_assert_uint_eq(n_findings(&x), 1);
        Finding *f = the_finding(&x, FINDING_OOM_KILL, GOMEM);
        ck_assert_uint_eq(f->count, 1);
        ck_assert_uint_eq(f->first_seen, ts);
        ck_assert_uint_eq(f->last_seen, ts);
        ck_assert_str_eq(f->invocation_id, INV1);
        ck_assert_int_eq(f->severity, SEVERITY_CRITICAL);
        ck_assert_uint_eq(ev_u64(f, "kernel_pid"), 10323);
        ck_assert_str_eq(ev_str(f, "comm"), "gofix-cgo");
        ck_assert_uint_eq(ev_u64(f, "anon_rss_kb"), 40448);
        ck_assert_uint_eq(ev_u64(f, "total_vm_kb"), 1009160);
        ck_assert_uint_eq(ev_u64(f, "kernel_limit_kb"), 40960);
        ck_assert_uint_eq(ev_u64(f, "memory_limit_bytes"), 41943040);
        ck_assert_uint_eq(ev_u64(f, "MemoryMax"), 41943040);
        ck_assert_str_eq(ev_str(f, "GOMEMLIMIT"), "");
        ck_assert_ptr_null(finding_get(f, "GOMEMLIMIT_source"));
        ck_assert_str_eq(ev_str(f, "task_memcg"), "/system.slice/gomem.service");
        ck_assert_str_eq(ev_str(f, "oom_memcg"), "/system.slice/gomem.service");
        ck_assert_str_eq(ev_str(f, "constraint"), "CONSTRAINT_MEMCG");
        ck_assert_str_eq(ev_str(f, "boot_id"), BOOT_ID);
        ck_assert(ev_bool(f, "unit_settings_known"));
        ck_assert_str_eq(ev_str(f, "go_version"), "go1.19.8");
        ck_assert_str_eq(ev_str(f, "Restart"), "on-failure");
        ck_assert_str_eq(ev_str(f, "OOMPolicy"), "stop");
        ck_assert_int_eq(ev(f, "killed_at")->type, EVIDENCE_USEC);
        ck_assert_uint_eq(ev(f, "killed_at")->u, ts);
        ck_assert_str_eq(gomemlimit_dropin(f), "[Service]\nEnvironment=GOMEMLIMIT=36MiB\n");
        ck_assert_ptr_nonnull(advice_with(f, ADVICE_DROPIN, "MemoryMax=60M"));
        ck_assert_str_eq(f->summary,
                         "gomem.service was killed by the kernel OOM killer at its memory limit: "
                         "limit 40M, no GOMEMLIMIT");
        ck_assert_uint_eq(x.n_added, 1);
        ck_assert_uint_ge(x.n_updated, 1); /* the "Killed process" line added the RSS */
        /* Restart=on-failure restarts: no gap. */
        ck_assert_ptr_null(finding_store_find_active(&x.store, FINDING_OOM_RESTART_GAP, GOMEM));

        /* PID 1's exit record joins the same kill. */
        ck_assert_int_eq(exited_killed(&x, ts + 100000, GOMEM, INV1), 0);
        ck_assert_uint_eq(n_findings(&x), 1);
        ck_assert_uint_eq(f->count, 1);
        ck_assert_str_eq(ev_str(f, "main_process_exit"),
                         "gomem.service: Main process exited, code=killed, status=9/KILL");
        ctx_done(&x);
}
END_TEST

/* ---- (b) no PID 1 record: pending, confirmed or expired ---- */

START_TEST(test_box_kill_pending) {
        Ctx x;
        ctx_init(&x);
        add_unit(&x, GOMEM);

        /* Unconfirmed: nothing, and after 3 s of journal time it is forgotten. */
        uint64_t ts = box_kill(&x, T0);
        ck_assert_uint_eq(n_findings(&x), 0);
        ck_assert_uint_eq(x.n_added, 0);
        kernel(&x, ts + 3 * SEC + 1, "unrelated kernel line");
        ck_assert_int_eq(exited_killed(&x, ts + 3 * SEC + 2, GOMEM, INV1), 0);
        ck_assert_uint_eq(n_findings(&x), 0);
        ctx_done(&x);

        /* Confirmed by PID 1's exit record 100 ms later. */
        ctx_init(&x);
        add_unit(&x, GOMEM);
        ts = box_kill(&x, T0);
        ck_assert_uint_eq(n_findings(&x), 0);
        ck_assert_int_eq(exited_killed(&x, ts + 100000, GOMEM, INV1), 1);
        ck_assert_uint_eq(n_findings(&x), 1);
        Finding *f = the_finding(&x, FINDING_OOM_KILL, GOMEM);
        ck_assert_uint_eq(f->count, 1);
        ck_assert_uint_eq(f->first_seen, ts); /* the kernel's time, not PID 1's */
        ck_assert_str_eq(f->invocation_id, INV1);
        ck_assert_uint_eq(ev_u64(f, "kernel_pid"), 10323);
        ck_assert_str_eq(ev_str(f, "comm"), "gofix-cgo");
        ck_assert_uint_eq(ev_u64(f, "anon_rss_kb"), 40448); /* kept with the pending summary */
        ck_assert_uint_eq(ev_u64(f, "kernel_limit_kb"), 40960);
        ck_assert_uint_eq(ev_u64(f, "memory_limit_bytes"), 41943040);
        ck_assert_str_eq(ev_str(f, "main_process_exit"),
                         "gomem.service: Main process exited, code=killed, status=9/KILL");
        ck_assert_str_eq(gomemlimit_dropin(f), "[Service]\nEnvironment=GOMEMLIMIT=36MiB\n");
        ck_assert_uint_eq(x.n_added, 1);
        ctx_done(&x);

        /* Exactly 3 s later still counts; a microsecond more does not. */
        for (int late = 0; late < 2; late++) {
                ctx_init(&x);
                add_unit(&x, GOMEM);
                ts = box_kill(&x, T0);
                exited_killed(&x, ts + 3 * SEC + late, GOMEM, INV1);
                ck_assert_uint_eq(n_findings(&x), late ? 0 : 1);
                ctx_done(&x);
        }

        /* Another unit's PID 1 record does not confirm it. */
        ctx_init(&x);
        add_unit(&x, GOMEM);
        ts = box_kill(&x, T0);
        started(&x, ts + 1000, "other.service", INV2);
        exited_killed(&x, ts + 2000, "other.service", INV2);
        ck_assert_uint_eq(n_findings(&x), 0);
        /* Any PID 1 record of the unit does. */
        started(&x, ts + 5000, GOMEM, INV2);
        ck_assert_uint_eq(n_findings(&x), 1);
        ck_assert_str_eq(the_finding(&x, FINDING_OOM_KILL, GOMEM)->invocation_id, INV2);
        ctx_done(&x);
}
END_TEST

/* ---- (c) the same records twice ---- */

static void feed_a(Ctx *x) {
        started(x, T0, GOMEM, INV1);
        uint64_t ts = box_kill(x, T0 + 10 * SEC);
        exited_killed(x, ts + 100000, GOMEM, INV1);
        failed_result(x, ts + 200000, GOMEM, INV1, "oom-kill");
}

START_TEST(test_read_twice) {
        Ctx x;
        ctx_init(&x);
        add_unit(&x, GOMEM);
        feed_a(&x);
        ck_assert_uint_eq(n_findings(&x), 1);
        Finding *f = the_finding(&x, FINDING_OOM_KILL, GOMEM);
        ck_assert_uint_eq(f->count, 1);
        char id[33];
        memcpy(id, f->id, sizeof id);

        /* The same correlator reads it again. */
        feed_a(&x);
        ck_assert_uint_eq(n_findings(&x), 1);
        ck_assert_uint_eq(f->count, 1);
        ck_assert_uint_eq(x.n_added, 1);

        /* A new correlator (the daemon restarted) over the same store. */
        correlator_free(x.c);
        ctx_start(&x);
        feed_a(&x);
        ck_assert_uint_eq(n_findings(&x), 1);
        ck_assert_uint_eq(f->count, 1);
        ck_assert_uint_eq(x.n_added, 1);

        /* A new correlator over the store read back from the state file. */
        StrBuf b = {};
        char *text;
        size_t line;
        finding_state_write(&x.store, &b);
        ck_assert_int_eq(strbuf_steal(&b, &text, NULL), 0);
        correlator_free(x.c);
        finding_store_done(&x.store);
        ck_assert_int_eq(finding_store_init(&x.store), 0);
        ck_assert_int_eq(finding_state_read(text, strlen(text), &x.store, &line), 0);
        free(text);
        ctx_start(&x);
        feed_a(&x);
        ck_assert_uint_eq(n_findings(&x), 1);
        f = finding_store_get(&x.store, id);
        ck_assert_ptr_nonnull(f);
        ck_assert_uint_eq(f->count, 1);

        /* Resolved, then read again: still the same finding, not a new one. */
        ck_assert_int_eq(finding_set_state(f, FINDING_RESOLVED, T0 + 100 * SEC), 0);
        correlator_free(x.c);
        ctx_start(&x);
        feed_a(&x);
        ck_assert_uint_eq(n_findings(&x), 1);
        ck_assert_uint_eq(f->count, 1);
        ck_assert_int_eq(f->state, FINDING_RESOLVED);

        /* A new kill after it was resolved opens a new finding. */
        started(&x, T0 + 200 * SEC, GOMEM, INV2);
        kill_lines(&x, T0 + 210 * SEC, 20000, "gofix-cgo", "/system.slice/gomem.service", false);
        ck_assert_uint_eq(n_findings(&x), 2);
        Finding *g = the_finding(&x, FINDING_OOM_KILL, GOMEM);
        ck_assert_ptr_ne(f, g);
        ck_assert_uint_eq(g->count, 1);
        ck_assert_uint_eq(ev_u64(g, "kernel_pid"), 20000);
        ctx_done(&x);
}
END_TEST

/* ---- (d) a crash loop ---- */

START_TEST(test_crash_loop) {
        static const char *const invs[] = { INV1, INV2, INV3 };
        Ctx x;
        ctx_init(&x);
        add_unit(&x, GOMEM);
        for (unsigned i = 0; i < 3; i++) {
                uint64_t t = T0 + i * 60 * SEC;
                started(&x, t, GOMEM, invs[i]);
                kill_lines(&x, t + 20 * SEC, 30000 + i, "gofix-cgo", "/system.slice/gomem.service", false);
                exited_killed(&x, t + 20 * SEC + 100000, GOMEM, invs[i]);
                failed_result(&x, t + 20 * SEC + 200000, GOMEM, invs[i], "oom-kill");
        }
        ck_assert_uint_eq(n_findings(&x), 1);
        Finding *f = the_finding(&x, FINDING_OOM_KILL, GOMEM);
        ck_assert_uint_eq(f->count, 3);
        ck_assert_str_eq(f->invocation_id, INV3);
        ck_assert_uint_eq(ev_u64(f, "kernel_pid"), 30002);
        ck_assert_uint_eq(ev_u64(f, "anon_rss_kb"), 40002);
        ck_assert_uint_eq(f->first_seen, T0 + 20 * SEC + 2000);
        ck_assert_uint_eq(f->last_seen, T0 + 140 * SEC + 2000);
        ck_assert(strstr(f->summary, "(3 times)"));
        ck_assert_str_eq(ev_str(f, "UnitResult"), "oom-kill");
        ck_assert_uint_eq(x.n_added, 1);

        /* The same kills confirmed only by the exit records. */
        ctx_done(&x);
        ctx_init(&x);
        add_unit(&x, GOMEM);
        for (unsigned i = 0; i < 3; i++) {
                uint64_t t = T0 + i * 60 * SEC;
                kill_lines(&x, t, 30000 + i, "gofix-cgo", "/system.slice/gomem.service", false);
                exited_killed(&x, t + 500000, GOMEM, invs[i]);
        }
        ck_assert_uint_eq(n_findings(&x), 1);
        f = the_finding(&x, FINDING_OOM_KILL, GOMEM);
        ck_assert_uint_eq(f->count, 3);
        ck_assert_str_eq(f->invocation_id, INV3);
        ctx_done(&x);
}
END_TEST

/* ---- (e) cgroup v2: PID 1's own OOM record ---- */

START_TEST(test_cgroup_v2) {
        Ctx x;
        ctx_init(&x);
        add_unit(&x, GOMEM);
        started(&x, T0, GOMEM, INV1);
        kill_lines(&x, T0 + 10 * SEC, 4242, "gofix-cgo", "/system.slice/gomem.service", false);
        ck_assert_uint_eq(n_findings(&x), 1);
        Finding *f = the_finding(&x, FINDING_OOM_KILL, GOMEM);
        ck_assert_ptr_null(finding_get(f, "systemd_reported_oom"));

        ck_assert_int_eq(unit_oom(&x, T0 + 14 * SEC, GOMEM, INV1), 0);
        ck_assert_uint_eq(n_findings(&x), 1);
        ck_assert_uint_eq(f->count, 1);
        ck_assert(ev_bool(f, "systemd_reported_oom"));
        exited_killed(&x, T0 + 14 * SEC + 1000, GOMEM, INV1);
        failed_result(&x, T0 + 14 * SEC + 2000, GOMEM, INV1, "oom-kill");
        ck_assert_uint_eq(n_findings(&x), 1); /* Restart=on-failure: no gap */
        ck_assert_uint_eq(f->count, 1);
        ck_assert_str_eq(ev_str(f, "UnitResult"), "oom-kill");
        ctx_done(&x);

        /* PID 1's report first, the kernel's lines of the same kill after it: one occurrence,
         * which gains the kernel's details. */
        ctx_init(&x);
        add_unit(&x, GOMEM);
        started(&x, T0, GOMEM, INV1);
        ck_assert_int_eq(unit_oom(&x, T0 + 10 * SEC, GOMEM, INV1), 1);
        kill_lines(&x, T0 + 10 * SEC + 1000, 4242, "gofix-cgo", "/system.slice/gomem.service", false);
        ck_assert_uint_eq(n_findings(&x), 1);
        f = the_finding(&x, FINDING_OOM_KILL, GOMEM);
        ck_assert_uint_eq(f->count, 1);
        ck_assert(ev_bool(f, "systemd_reported_oom"));
        ck_assert_uint_eq(ev_u64(f, "kernel_pid"), 4242);
        ck_assert_str_eq(ev_str(f, "comm"), "gofix-cgo");
        ctx_done(&x);

        /* PID 1's record alone (kmsg is not in this journal). */
        ctx_init(&x);
        add_unit(&x, GOMEM);
        ck_assert_int_eq(unit_oom(&x, T0, GOMEM, INV1), 1);
        ck_assert_uint_eq(n_findings(&x), 1);
        f = the_finding(&x, FINDING_OOM_KILL, GOMEM);
        ck_assert_uint_eq(f->count, 1);
        ck_assert(ev_bool(f, "systemd_reported_oom"));
        ck_assert_str_eq(f->invocation_id, INV1);
        ck_assert_ptr_null(finding_get(f, "kernel_pid"));
        ck_assert_ptr_null(finding_get(f, "kernel_limit_kb"));
        ck_assert_uint_eq(ev_u64(f, "memory_limit_bytes"), 41943040);
        ck_assert_str_eq(gomemlimit_dropin(f), "[Service]\nEnvironment=GOMEMLIMIT=36MiB\n");
        exited_killed(&x, T0 + 1000, GOMEM, INV1);
        failed_result(&x, T0 + 2000, GOMEM, INV1, "oom-kill");
        ck_assert_uint_eq(n_findings(&x), 1);
        ck_assert_uint_eq(f->count, 1);
        ck_assert_str_eq(ev_str(f, "UnitResult"), "oom-kill");
        /* The same record read again is not counted again... */
        unit_oom(&x, T0, GOMEM, INV1);
        ck_assert_uint_eq(f->count, 1);
        /* ... the next invocation's is. */
        unit_oom(&x, T0 + 60 * SEC, GOMEM, INV2);
        ck_assert_uint_eq(f->count, 2);
        ck_assert_str_eq(f->invocation_id, INV2);
        ctx_done(&x);

        /* The kernel lines without a start record, then PID 1's OOM record: one occurrence. */
        ctx_init(&x);
        add_unit(&x, GOMEM);
        kill_lines(&x, T0, 4242, "gofix-cgo", "/system.slice/gomem.service", false);
        ck_assert_uint_eq(n_findings(&x), 0);
        unit_oom(&x, T0 + SEC, GOMEM, INV1);
        ck_assert_uint_eq(n_findings(&x), 1);
        f = the_finding(&x, FINDING_OOM_KILL, GOMEM);
        ck_assert_uint_eq(f->count, 1);
        ck_assert_uint_eq(ev_u64(f, "kernel_pid"), 4242);
        ck_assert(ev_bool(f, "systemd_reported_oom"));
        ctx_done(&x);
}
END_TEST

/* ---- (f) systemd-oomd ---- */

START_TEST(test_oomd) {
        Ctx x;
        ctx_init(&x);
        add_unit(&x, GOMEM);
        ck_assert_int_eq(pid1(&x, T0, GOMEM, INV1, MESSAGE_ID_UNIT_OOMD_KILL,
                              "gomem.service: systemd-oomd killed 3 process(es) in this unit."),
                         1);
        ck_assert_uint_eq(n_findings(&x), 1);
        Finding *f = the_finding(&x, FINDING_OOMD_KILL, GOMEM);
        ck_assert_uint_eq(f->count, 1);
        ck_assert_str_eq(f->invocation_id, INV1);
        ck_assert_str_eq(ev_str(f, "systemd_message"),
                         "gomem.service: systemd-oomd killed 3 process(es) in this unit.");
        ck_assert(ev_bool(f, "unit_settings_known"));
        ck_assert_ptr_nonnull(advice_with(f, ADVICE_TEXT, "ManagedOOMPreference=avoid"));
        ck_assert_uint_eq(f->n_advice, 1);
        ck_assert_ptr_null(finding_store_find_active(&x.store, FINDING_OOM_KILL, GOMEM));

        /* Read again: not counted; the next kill is. */
        ck_assert_int_eq(pid1(&x, T0, GOMEM, INV1, MESSAGE_ID_UNIT_OOMD_KILL, "again"), 0);
        ck_assert_uint_eq(f->count, 1);
        ck_assert_int_eq(pid1(&x, T0 + 30 * SEC, GOMEM, INV2, MESSAGE_ID_UNIT_OOMD_KILL,
                              "gomem.service: systemd-oomd killed some process(es) in this unit."),
                         1);
        ck_assert_uint_eq(f->count, 2);
        ck_assert_uint_eq(f->n_advice, 1);
        ck_assert_uint_eq(n_findings(&x), 1);
        ck_assert(strstr(f->summary, "was killed by systemd-oomd (2 times)"));
        ctx_done(&x);
}
END_TEST

/* ---- (g) the Go runtime's own messages ---- */

START_TEST(test_go_runtime_oom) {
        Ctx x;
        ctx_init(&x);
        add_unit(&x, GOMEM);
        ck_assert_int_eq(unit_output(&x, T0, GOMEM, INV1, "fatal error: runtime: out of memory"), 1);
        ck_assert_int_eq(
                unit_output(&x, T0 + 1, GOMEM, INV1,
                            "runtime: out of memory: cannot allocate 4194304-byte block (3997696 in use)"),
                0);
        unit_output(&x, T0 + 2, GOMEM, INV1, "goroutine 1 [running]:");
        unit_output(&x, T0 + 3, GOMEM, INV1, "fatal error: out of memory");
        ck_assert_uint_eq(n_findings(&x), 1);
        Finding *f = the_finding(&x, FINDING_GO_RUNTIME_OOM, GOMEM);
        ck_assert_uint_eq(f->count, 1);
        ck_assert_uint_eq(f->first_seen, T0);
        ck_assert_str_eq(f->invocation_id, INV1);
        ck_assert_str_eq(ev_str(f, "go_message"), "fatal error: runtime: out of memory");
        ck_assert_str_eq(ev_str(f, "go_message_detail"),
                         "runtime: out of memory: cannot allocate 4194304-byte block (3997696 in use)");
        ck_assert_uint_eq(ev_u64(f, "MemoryMax"), 41943040);
        ck_assert_ptr_nonnull(advice_with(f, ADVICE_TEXT, "LimitAS="));
        ck_assert_uint_eq(x.n_added, 1);

        /* The next invocation: one more. */
        ck_assert_int_eq(unit_output(&x, T0 + 60 * SEC, GOMEM, INV2,
                                     "runtime: out of memory: cannot allocate 8192-byte block (1 in use)"),
                         1);
        unit_output(&x, T0 + 60 * SEC + 1, GOMEM, INV2, "fatal error: out of memory");
        ck_assert_uint_eq(n_findings(&x), 1);
        ck_assert_uint_eq(f->count, 2);
        ck_assert_str_eq(f->invocation_id, INV2);
        ck_assert(strstr(f->summary, "(2 times)"));
        ck_assert_uint_eq(f->n_advice, 1);

        /* Other output, another source, no unit: nothing. */
        unit_output(&x, T0 + 70 * SEC, GOMEM, "44444444444444444444444444444444", "out of memory? not me");
        unit_output(&x, T0 + 70 * SEC, NULL, INV3, "fatal error: runtime: out of memory");
        kernel(&x, T0 + 70 * SEC, "fatal error: runtime: out of memory");
        pid1(&x, T0 + 70 * SEC, GOMEM, INV3, NULL, "fatal error: runtime: out of memory");
        ck_assert_uint_eq(f->count, 2);
        ck_assert_uint_eq(n_findings(&x), 1);

        /* Every runtime message starts one. */
        static const char *const msgs[] = {
                "fatal error: runtime: cannot allocate memory",
                "fatal error: out of memory",
                "fatal error: runtime: cannot map pages in arena address space",
        };
        for (size_t i = 0; i < ELEMENTSOF(msgs); i++) {
                char unit[32];
                snprintf(unit, sizeof unit, "u%zu.service", i);
                unit_output(&x, T0 + 80 * SEC, unit, INV1, msgs[i]);
                ck_assert_str_eq(ev_str(the_finding(&x, FINDING_GO_RUNTIME_OOM, unit), "go_message"),
                                 msgs[i]);
                ck_assert(!ev_bool(the_finding(&x, FINDING_GO_RUNTIME_OOM, unit), "unit_settings_known"));
        }
        ck_assert_uint_eq(n_findings(&x), 1 + ELEMENTSOF(msgs));

        /* Only the runtime's message is kept, not the rest of a long line. */
        char big[2048];
        memset(big, 'x', sizeof big - 1);
        big[sizeof big - 1] = 0;
        memcpy(big, "fatal error: out of memory", strlen("fatal error: out of memory"));
        unit_output(&x, T0 + 90 * SEC, "big.service", INV1, big);
        ck_assert_str_eq(ev_str(the_finding(&x, FINDING_GO_RUNTIME_OOM, "big.service"), "go_message"),
                         "fatal error: out of memory");

        /* A service that prints its configuration on the line: none of it is kept. */
        unit_output(&x, T0 + 91 * SEC, "cfg.service", INV1,
                    "cfg db_password=hunter2 api_token=tok-SECRET-123 fatal error: runtime: out of memory "
                    "after=hunter2");
        unit_output(
                &x, T0 + 91 * SEC + 1, "cfg.service", INV1,
                "pw=hunter2 runtime: out of memory: cannot allocate 8192-byte block (77 in use) hunter2");
        Finding *cfg = the_finding(&x, FINDING_GO_RUNTIME_OOM, "cfg.service");
        ck_assert_str_eq(ev_str(cfg, "go_message"), "fatal error: runtime: out of memory");
        ck_assert_str_eq(ev_str(cfg, "go_message_detail"),
                         "runtime: out of memory: cannot allocate 8192-byte block (77 in use)");
        /* A tail that is not the runtime's form is not kept either. */
        unit_output(&x, T0 + 92 * SEC, "tail.service", INV1,
                    "runtime: out of memory: cannot allocate 99-byte hunter2 (1 in use)");
        ck_assert_str_eq(ev_str(the_finding(&x, FINDING_GO_RUNTIME_OOM, "tail.service"), "go_message"),
                         "runtime: out of memory: cannot allocate ");
        unit_output(&x, T0 + 93 * SEC, "tail2.service", INV1,
                    "runtime: out of memory: cannot allocate hunter2");
        ck_assert_str_eq(ev_str(the_finding(&x, FINDING_GO_RUNTIME_OOM, "tail2.service"), "go_message"),
                         "runtime: out of memory: cannot allocate ");
        ctx_done(&x);
}
END_TEST

/* ---- (h) restart gaps ---- */

static Ctx *gap_run(Ctx *x, const char *restart, const char *policy, bool with_result) {
        ctx_init(x);
        TestUnit *u = add_unit(x, GOMEM);
        set_restart(u, restart, policy);
        started(x, T0, GOMEM, INV1);
        kill_lines(x, T0 + 10 * SEC, 5555, "gofix-cgo", "/system.slice/gomem.service", false);
        exited_killed(x, T0 + 10 * SEC + 100000, GOMEM, INV1);
        if (with_result)
                failed_result(x, T0 + 10 * SEC + 200000, GOMEM, INV1, "oom-kill");
        the_finding(x, FINDING_OOM_KILL, GOMEM);
        return x;
}

START_TEST(test_restart_gap) {
        Ctx x;

        gap_run(&x, "no", "stop", true);
        ck_assert_uint_eq(n_findings(&x), 2);
        Finding *g = the_finding(&x, FINDING_OOM_RESTART_GAP, GOMEM);
        ck_assert_uint_eq(g->count, 1);
        ck_assert_int_eq(g->severity, SEVERITY_WARNING);
        ck_assert_str_eq(ev_str(g, "Restart"), "no");
        const Advice *a = advice_with(g, ADVICE_DROPIN, NULL);
        ck_assert_ptr_nonnull(a);
        ck_assert_str_eq(a->snippet, "[Service]\nRestart=on-failure\n");
        ck_assert(strstr(a->text, "stays down"));
        ctx_done(&x);

        gap_run(&x, "no", "stop", false);
        ck_assert_ptr_nonnull(finding_store_find_active(&x.store, FINDING_OOM_RESTART_GAP, GOMEM));
        ctx_done(&x);

        static const struct {
                const char *restart, *policy;
                bool result, gap;
        } cases[] = {
                { "on-failure", "stop", true, false }, { "on-failure", "stop", false, false },
                { "always", "stop", true, false },     { "on-abnormal", "stop", true, false },
                { "on-abort", "stop", true, true },    { "on-abort", NULL, true, true },
                { "on-abort", "stop", false, false },  { "on-abort", "continue", true, false },
                { "on-abort", "kill", true, true },    { NULL, "stop", true, false },
        };
        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                gap_run(&x, cases[i].restart, cases[i].policy, cases[i].result);
                Finding *f = finding_store_find_active(&x.store, FINDING_OOM_RESTART_GAP, GOMEM);
                ck_assert_msg(!f == !cases[i].gap, "Restart=%s OOMPolicy=%s result=%d: gap %d",
                              cases[i].restart, cases[i].policy, cases[i].result, !!f);
                if (f) {
                        ck_assert_uint_eq(f->count, 1);
                        ck_assert(strstr(advice_with(f, ADVICE_DROPIN, NULL)->text,
                                         "on-abort does not restart"));
                }
                ck_assert_uint_eq(n_findings(&x), 1 + cases[i].gap);
                ctx_done(&x);
        }

        /* A failure result long after the kill is another story. */
        ctx_init(&x);
        set_restart(add_unit(&x, GOMEM), "on-abort", "stop");
        started(&x, T0, GOMEM, INV1);
        kill_lines(&x, T0 + 10 * SEC, 5555, "gofix-cgo", "/system.slice/gomem.service", false);
        failed_result(&x, T0 + 30 * SEC, GOMEM, INV1, "oom-kill");
        ck_assert_ptr_null(finding_store_find_active(&x.store, FINDING_OOM_RESTART_GAP, GOMEM));
        ck_assert_ptr_null(finding_get(the_finding(&x, FINDING_OOM_KILL, GOMEM), "UnitResult"));
        ctx_done(&x);
}
END_TEST

static Suite *correlate_suite(void) {
        Suite *s = suite_create("correlate");
        TCase *tc = tcase_create("oom");
        tcase_add_test(tc, test_box_kill);
        tcase_add_test(tc, test_box_kill_pending);
        tcase_add_test(tc, test_read_twice);
        tcase_add_test(tc, test_crash_loop);
        tcase_add_test(tc, test_cgroup_v2);
        tcase_add_test(tc, test_oomd);
        tcase_add_test(tc, test_go_runtime_oom);
        tcase_add_test(tc, test_restart_gap);
        suite_add_tcase(s, tc);
        return s;
}

DEFINE_TEST_MAIN(correlate_suite)
