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

/* ---- the kernel's lines read live from /dev/kmsg, and again from the journal ---- */

START_TEST(test_live_kmsg) {
        Ctx x;
        const char *cg = "/system.slice/gomem.service";

        /* A unit the daemon knows: attributed at once, without waiting for PID 1, to the
         * invocation the unit's live state names; the journal's copy of the lines adds the
         * cursor and nothing else: no second count, no update signal. */
        ctx_init(&x);
        TestUnit *u = add_unit(&x, GOMEM);
        memcpy(u->settings.invocation_id, INV2, 33);
        kill_lines_from(&x, JOURNAL_SOURCE_KMSG, T0 + SEC, 6000, "gofix-cgo", cg, false);
        Finding *f = the_finding(&x, FINDING_OOM_KILL, GOMEM);
        ck_assert_uint_eq(f->count, 1);
        ck_assert_str_eq(f->invocation_id, INV2);
        ck_assert_uint_eq(ev_u64(f, "kernel_pid"), 6000);
        ck_assert_uint_eq(ev_u64(f, "anon_rss_kb"), 40000);
        ck_assert_uint_eq(ev_u64(f, "kernel_limit_kb"), 40960);
        ck_assert_ptr_null(finding_get(f, "journal_cursor"));
        ck_assert_uint_eq(x.n_added, 1);
        unsigned updates = x.n_updated;
        char id[33];
        memcpy(id, f->id, 33);
        kill_lines(&x, T0 + SEC, 6000, "gofix-cgo", cg, false);
        exited_killed(&x, T0 + SEC + 50000, GOMEM, INV2);
        ck_assert_uint_eq(n_findings(&x), 1);
        f = the_finding(&x, FINDING_OOM_KILL, GOMEM);
        ck_assert_str_eq(f->id, id); /* the same id as the journal alone would give */
        ck_assert_uint_eq(f->count, 1);
        ck_assert_uint_eq(x.n_added, 1);
        ck_assert_uint_eq(x.n_updated, updates + 1); /* PID 1's exit message, nothing else */
        ck_assert_ptr_nonnull(ev_str(f, "journal_cursor"));
        ck_assert_str_eq(ev_str(f, "main_process_exit"),
                         "gomem.service: Main process exited, code=killed, status=9/KILL");
        /* The next kill, live: counted. */
        kill_lines_from(&x, JOURNAL_SOURCE_KMSG, T0 + 2 * SEC, 6001, "gofix-cgo", cg, false);
        ck_assert_uint_eq(f->count, 2);
        ctx_done(&x);

        /* The journal is behind: PID 1's last word names INV1 while the unit runs INV2. */
        ctx_init(&x);
        memcpy(add_unit(&x, GOMEM)->settings.invocation_id, INV2, 33);
        started(&x, T0, GOMEM, INV1);
        kill_lines_from(&x, JOURNAL_SOURCE_KMSG, T0 + SEC, 6000, "gofix-cgo", cg, false);
        ck_assert_str_eq(the_finding(&x, FINDING_OOM_KILL, GOMEM)->invocation_id, INV2);
        ctx_done(&x);

        /* The same kill read from the journal alone has the same id. */
        ctx_init(&x);
        add_unit(&x, GOMEM);
        started(&x, T0, GOMEM, INV1);
        kill_lines(&x, T0 + SEC, 6000, "gofix-cgo", cg, false);
        ck_assert_str_eq(the_finding(&x, FINDING_OOM_KILL, GOMEM)->id, id);
        ctx_done(&x);

        /* A unit the daemon does not know waits for PID 1, read live or not, and is counted once
         * when both copies of its lines were read. */
        ctx_init(&x);
        x.include_non_go = true;
        kill_lines_from(&x, JOURNAL_SOURCE_KMSG, T0, 6000, "other", "/system.slice/other.service", false);
        kill_lines(&x, T0, 6000, "other", "/system.slice/other.service", false);
        ck_assert_uint_eq(n_findings(&x), 0);
        exited_killed(&x, T0 + SEC, "other.service", INV1);
        f = the_finding(&x, FINDING_OOM_KILL, "other.service");
        ck_assert_uint_eq(f->count, 1);
        ck_assert_uint_eq(ev_u64(f, "anon_rss_kb"), 40000);
        ck_assert_uint_eq(ev_u64(f, "kernel_limit_kb"), 40960);
        ctx_done(&x);

        /* A rate-limited kill (no summary) read live, then from the journal: one pending kill,
         * confirmed by PID 1 once; the next kill is counted again. */
        ctx_init(&x);
        add_unit(&x, GOMEM);
        started(&x, T0, GOMEM, INV1);
        kill_lines_from(&x, JOURNAL_SOURCE_KMSG, T0 + SEC, 6000, "gofix-cgo", NULL, false);
        kill_lines(&x, T0 + SEC, 6000, "gofix-cgo", NULL, false);
        ck_assert_uint_eq(n_findings(&x), 0);
        exited_killed(&x, T0 + SEC + 100000, GOMEM, INV1);
        ck_assert_uint_eq(the_finding(&x, FINDING_OOM_KILL, GOMEM)->count, 1);
        kill_lines_from(&x, JOURNAL_SOURCE_KMSG, T0 + 2 * SEC, 6001, "gofix-cgo", NULL, false);
        kill_lines(&x, T0 + 2 * SEC, 6001, "gofix-cgo", NULL, false);
        exited_killed(&x, T0 + 2 * SEC + 100000, GOMEM, INV2);
        f = the_finding(&x, FINDING_OOM_KILL, GOMEM);
        ck_assert_uint_eq(f->count, 2);
        ck_assert_uint_eq(ev_u64(f, "kernel_pid"), 6001);
        ctx_done(&x);

        /* The same, but the unit's live state says at once that its main process died of
         * SIGKILL: attributed then, not when PID 1's message comes through the journal. */
        ctx_init(&x);
        add_unit(&x, GOMEM);
        kill_lines_from(&x, JOURNAL_SOURCE_KMSG, T0 + SEC, 6000, "gofix-cgo", NULL, false);
        ck_assert_int_eq(correlator_main_process_killed(x.c, GOMEM, INV2, BOOT_ID, T0 + SEC + 10000), 1);
        f = the_finding(&x, FINDING_OOM_KILL, GOMEM);
        ck_assert_uint_eq(f->count, 1);
        ck_assert_str_eq(f->invocation_id, INV2);
        ck_assert_uint_eq(ev_u64(f, "kernel_pid"), 6000);
        ck_assert_uint_eq(f->first_seen, T0 + SEC + 3000);
        kill_lines(&x, T0 + SEC, 6000, "gofix-cgo", NULL, false);
        ck_assert_int_eq(exited_killed(&x, T0 + SEC + 100000, GOMEM, INV2), 0);
        ck_assert_uint_eq(f->count, 1);
        ck_assert_ptr_nonnull(ev_str(f, "main_process_exit"));
        /* The bus can be first: the line then finds the exit (once). */
        ck_assert_int_eq(correlator_main_process_killed(x.c, GOMEM, INV3, BOOT_ID, T0 + 5 * SEC + 10000), 0);
        kill_lines_from(&x, JOURNAL_SOURCE_KMSG, T0 + 5 * SEC, 6001, "gofix-cgo", NULL, false);
        ck_assert_uint_eq(f->count, 2);
        ck_assert_str_eq(f->invocation_id, INV3);
        kill_lines_from(&x, JOURNAL_SOURCE_KMSG, T0 + 5 * SEC + 5000, 6009, "gofix-cgo", NULL, false);
        ck_assert_uint_eq(f->count, 2);
        /* PID 1's message about that exit (INV3) comes through the journal: that kill is
         * counted, the other line waiting with the same comm is not it. */
        ck_assert_int_eq(exited_killed(&x, T0 + 5 * SEC + 100000, GOMEM, INV3), 0);
        ck_assert_uint_eq(f->count, 2);
        /* Another comm, a kill too long before, a unit the lookup does not know: nothing. */
        kill_lines_from(&x, JOURNAL_SOURCE_KMSG, T0 + 10 * SEC, 6002, "postgres", NULL, false);
        ck_assert_int_eq(correlator_main_process_killed(x.c, GOMEM, INV2, BOOT_ID, T0 + 10 * SEC + 10000),
                         0);
        kill_lines_from(&x, JOURNAL_SOURCE_KMSG, T0 + 20 * SEC, 6003, "gofix-cgo", NULL, false);
        ck_assert_int_eq(correlator_main_process_killed(x.c, GOMEM, INV2, BOOT_ID, T0 + 24 * SEC), 0);
        ck_assert_int_eq(
                correlator_main_process_killed(x.c, "other.service", INV2, BOOT_ID, T0 + 20 * SEC + 1), 0);
        ck_assert_uint_eq(f->count, 2);
        ctx_done(&x);

        /* The two streams do not mix: a journal line of an older kill read between the live
         * lines of a new one does not lend it its limit; and live lines, ahead of the journal,
         * do not expire kills that wait for PID 1's word in the journal. */
        ctx_init(&x);
        add_unit(&x, GOMEM);
        kill_lines(&x, T0, 5000, "gofix-cgo", "/system.slice/other.service", false); /* waits */
        live(&x, T0 + 30 * SEC, "memory: usage 40960kB, limit 40960kB, failcnt 1");
        kernel(&x, T0 + SEC, "memory: usage 1000kB, limit 1000kB, failcnt 1");
        live(&x, T0 + 30 * SEC + 1000,
             "oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,"
             "oom_memcg=/system.slice/gomem.service,task_memcg=/system.slice/gomem.service,"
             "task=gofix-cgo,pid=6000,uid=0");
        ck_assert_uint_eq(ev_u64(the_finding(&x, FINDING_OOM_KILL, GOMEM), "kernel_limit_kb"), 40960);
        x.include_non_go = true;
        ck_assert_int_eq(exited_killed(&x, T0 + 2 * SEC, "other.service", INV1), 1);
        ctx_done(&x);
}
END_TEST

START_TEST(test_pending_cap) {
        /* Many unconfirmed kills: bounded, the oldest dropped first, no leaks (ASan). */
        Ctx x;
        ctx_init(&x);
        add_unit(&x, GOMEM);
        for (unsigned i = 0; i < 100; i++) {
                char cg[64];
                snprintf(cg, sizeof cg, "/system.slice/u%u.service", i);
                kill_lines(&x, T0 + i * 10000, 100 + i, "x", i % 2 ? cg : NULL, false);
        }
        ck_assert_uint_eq(n_findings(&x), 0);
        /* The newest pending summary is still there. */
        started(&x, T0 + 99 * 10000 + 5000, "u99.service", INV1);
        ck_assert_uint_eq(n_findings(&x), 1);
        /* The oldest is gone. */
        started(&x, T0 + 99 * 10000 + 6000, "u1.service", INV1);
        ck_assert_uint_eq(n_findings(&x), 1);
        ctx_done(&x);
}
END_TEST

START_TEST(test_odd_records) {
        Ctx x;
        ctx_init(&x);
        add_unit(&x, GOMEM);
        /* No message: ignored. */
        JournalRecord r = { .source = JOURNAL_SOURCE_PID1,
                            .realtime = T0,
                            .unit = GOMEM,
                            .message_id = MESSAGE_ID_UNIT_OOM };
        ck_assert_int_eq(correlator_feed(x.c, &r), 0);
        /* PID 1 without a unit, or a unit source without one. */
        pid1(&x, T0, NULL, INV1, MESSAGE_ID_UNIT_OOM, "x");
        unit_output(&x, T0, NULL, NULL, "fatal error: out of memory");
        /* An unknown source. */
        r = (JournalRecord){
                .source = (JournalSource) 42, .realtime = T0, .message = "x", .message_len = 1
        };
        ck_assert_int_eq(correlator_feed(x.c, &r), 0);
        /* Malformed and over-long kernel lines are skipped. */
        kernel(&x, T0, "Killed process x (y)");
        char *big = malloc(KERNEL_OOM_LINE_MAX + 100);
        ck_assert_ptr_nonnull(big);
        memset(big, 'a', KERNEL_OOM_LINE_MAX + 99);
        big[KERNEL_OOM_LINE_MAX + 99] = 0;
        memcpy(big, "oom-kill:", 9);
        kernel(&x, T0, big);
        free(big);
        /* A summary outside systemd's tree, or without a pid. */
        started(&x, T0, GOMEM, INV1);
        kernel(&x, T0 + 1, "oom-kill:constraint=CONSTRAINT_MEMCG,task_memcg=/docker/abc,task=x,pid=1,uid=0");
        kernel(&x, T0 + 2,
               "oom-kill:constraint=CONSTRAINT_MEMCG,task_memcg=/system.slice/gomem.service,task=x");
        /* PID 1 records with odd invocation ids, a boot id, no cursor. */
        pid1(&x, T0 + 3, GOMEM, "short", MESSAGE_ID_UNIT_STARTED, "x");
        ck_assert_int_eq(feed(&x, (JournalRecord){ .source = JOURNAL_SOURCE_PID1,
                                                   .realtime = T0 + 4,
                                                   .unit = GOMEM,
                                                   .message_id = MESSAGE_ID_UNIT_FAILURE_RESULT,
                                                   .message = "x" }),
                         0);
        ck_assert_uint_eq(n_findings(&x), 0);
        /* Embedded NULs in a unit's output. */
        static const char nul[] = "prefix\0fatal error: out of memory";
        feed(&x, (JournalRecord){ .source = JOURNAL_SOURCE_UNIT,
                                  .realtime = T0 + 5,
                                  .unit = GOMEM,
                                  .invocation_id = INV1,
                                  .message = nul,
                                  .message_len = sizeof nul - 1 });
        ck_assert_uint_eq(n_findings(&x), 1);
        ck_assert_str_eq(ev_str(the_finding(&x, FINDING_GO_RUNTIME_OOM, GOMEM), "go_message"),
                         "fatal error: out of memory");
        ctx_done(&x);
}
END_TEST

START_TEST(test_message_length) {
        /* MESSAGE is message_len bytes and need not end in a NUL (ASan sees reads past it). */
        static const char oomd[] = "gomem.service: systemd-oomd killed 3 process(es) in this unit.";
        static const char exit_msg[] = "gomem.service: Main process exited, code=killed, status=9/KILL";
        Ctx x;
        ctx_init(&x);
        add_unit(&x, GOMEM);
        char *m = malloc(sizeof oomd - 1);
        ck_assert_ptr_nonnull(m);
        memcpy(m, oomd, sizeof oomd - 1);
        feed(&x, (JournalRecord){ .source = JOURNAL_SOURCE_PID1,
                                  .realtime = T0,
                                  .unit = GOMEM,
                                  .invocation_id = INV1,
                                  .message_id = MESSAGE_ID_UNIT_OOMD_KILL,
                                  .message = m,
                                  .message_len = sizeof oomd - 1 });
        free(m);
        ck_assert_str_eq(ev_str(the_finding(&x, FINDING_OOMD_KILL, GOMEM), "systemd_message"), oomd);

        unit_oom(&x, T0 + 60 * SEC, GOMEM, INV2);
        m = malloc(sizeof exit_msg - 1);
        ck_assert_ptr_nonnull(m);
        memcpy(m, exit_msg, sizeof exit_msg - 1);
        feed(&x, (JournalRecord){ .source = JOURNAL_SOURCE_PID1,
                                  .realtime = T0 + 60 * SEC + 1000,
                                  .unit = GOMEM,
                                  .invocation_id = INV2,
                                  .message_id = MESSAGE_ID_UNIT_PROCESS_EXIT,
                                  .message = m,
                                  .message_len = sizeof exit_msg - 1,
                                  .exit_code = "killed",
                                  .exit_status = "9" });
        free(m);
        ck_assert_str_eq(ev_str(the_finding(&x, FINDING_OOM_KILL, GOMEM), "main_process_exit"), exit_msg);

        /* Only the first 512 bytes are kept. */
        char big[1024];
        memset(big, 'm', sizeof big);
        feed(&x, (JournalRecord){ .source = JOURNAL_SOURCE_PID1,
                                  .realtime = T0 + 120 * SEC,
                                  .unit = GOMEM,
                                  .invocation_id = INV3,
                                  .message_id = MESSAGE_ID_UNIT_OOMD_KILL,
                                  .message = big,
                                  .message_len = sizeof big });
        ck_assert_uint_eq(strlen(ev_str(the_finding(&x, FINDING_OOMD_KILL, GOMEM), "systemd_message")), 512);
        ctx_done(&x);
}
END_TEST

START_TEST(test_store_full) {
        /* The store refuses new findings when a unit's cap is full of open ones: the correlator
         * reports the error and goes on. */
        Ctx x;
        ctx_init(&x);
        add_unit(&x, GOMEM);
        for (unsigned i = 0; i < FINDING_STORE_PER_UNIT_MAX; i++) {
                Finding *f;
                char key[32];
                snprintf(key, sizeof key, "filler-%u", i);
                ck_assert_int_eq(finding_new(FINDING_PANIC, GOMEM, key, &f), 0);
                ck_assert_int_eq(finding_store_add(&x.store, f), 0);
        }
        JournalRecord r = { .source = JOURNAL_SOURCE_PID1,
                            .realtime = T0,
                            .unit = GOMEM,
                            .invocation_id = INV1,
                            .message_id = MESSAGE_ID_UNIT_OOM,
                            .message = "x",
                            .message_len = 1 };
        ck_assert_int_eq(correlator_feed(x.c, &r), -ENOSPC);
        ck_assert_uint_eq(x.store.n_dropped, 1);
        ck_assert_uint_eq(n_findings(&x), FINDING_STORE_PER_UNIT_MAX);
        ck_assert_uint_eq(x.n_added, 0);
        ctx_done(&x);
}
END_TEST

/* ---- the small parsers ---- */

START_TEST(test_go_version_parse) {
        unsigned major = 7, minor = 7;
        ck_assert_int_eq(go_version_parse("go1.21.3", &major, &minor), 0);
        ck_assert_uint_eq(major, 1);
        ck_assert_uint_eq(minor, 21);
        ck_assert_int_eq(go_version_parse("go1.19", &major, &minor), 0);
        ck_assert_uint_eq(minor, 19);
        ck_assert_int_eq(go_version_parse("go1.18.10", &major, &minor), 0);
        ck_assert_uint_eq(minor, 18);
        ck_assert_int_eq(go_version_parse("go1.22rc1", &major, &minor), 0);
        ck_assert_uint_eq(minor, 22);
        ck_assert_int_eq(go_version_parse("devel go1.23-abcdef Mon Jan 1", &major, &minor), 0);
        ck_assert_uint_eq(minor, 23);
        ck_assert_int_eq(go_version_parse("go1.0", &major, &minor), 0);
        ck_assert_uint_eq(minor, 0);
        ck_assert_int_eq(go_version_parse("go1.99999999999999999999", &major, &minor), 0);
        ck_assert_uint_ge(minor, 10000); /* bounded, no overflow */

        major = minor = 7;
        ck_assert_int_eq(go_version_parse(NULL, &major, &minor), -EINVAL);
        ck_assert_int_eq(go_version_parse("", &major, &minor), -EINVAL);
        ck_assert_int_eq(go_version_parse("go1.", &major, &minor), -EINVAL);
        ck_assert_int_eq(go_version_parse("go1.x", &major, &minor), -EINVAL);
        ck_assert_int_eq(go_version_parse("go2.0", &major, &minor), -EINVAL);
        ck_assert_int_eq(go_version_parse("1.21.3", &major, &minor), -EINVAL);
        ck_assert_int_eq(go_version_parse("devel", &major, &minor), -EINVAL);
        ck_assert_uint_eq(major, 7);
        ck_assert_uint_eq(minor, 7);
}
END_TEST

START_TEST(test_gomemlimit_parse) {
        static const struct {
                const char *s;
                uint64_t v;
        } ok[] = {
                { "0", 0 },
                { "1", 1 },
                { "1B", 1 },
                { "0B", 0 },
                { "1KiB", 1024 },
                { "36MiB", 36ull << 20 },
                { "2GiB", 2ull << 30 },
                { "1TiB", 1ull << 40 },
                { "007MiB", 7ull << 20 },
                { "41943040", 41943040 },
                { "9223372036854775807", 9223372036854775807ull },
                { "9223372036854775807B", 9223372036854775807ull },
                { "9007199254740991KiB", 9007199254740991ull << 10 },
                { "8388607TiB", 8388607ull << 40 },
                { "off", UINT64_MAX },
                { "", UINT64_MAX }, /* the runtime treats an empty GOMEMLIMIT as unset */
        };
        for (size_t i = 0; i < ELEMENTSOF(ok); i++) {
                uint64_t v = 7;
                ck_assert_msg(gomemlimit_parse(ok[i].s, &v) == 0, "%s refused", ok[i].s);
                ck_assert_msg(v == ok[i].v, "%s: %llu", ok[i].s, (unsigned long long) v);
        }

        static const char *const refused[] = {
                "1 MiB", "MiB",  "1.5GiB", "-1",   "+1",    "1MB", "1M",    "1K",   "1G",
                "1kib",  "1mib", "1KB",    "1 ",   " 1",    "OFF", "Off",   "off ", "1PiB",
                "1EiB",  "1iB",  "1Bi",    "0x10", "1_000", "B",   "1KiBB",
        };
        for (size_t i = 0; i < ELEMENTSOF(refused); i++) {
                uint64_t v = 7;
                ck_assert_msg(gomemlimit_parse(refused[i], &v) == -EINVAL, "%s accepted", refused[i]);
                ck_assert_uint_eq(v, 7);
        }
        /* Past what an int64 holds: the runtime refuses these too. */
        static const char *const overflow[] = {
                "9223372036854775808",     "9223372036854775808B", "18446744073709551616",
                "99999999999999999999999", "9007199254740992KiB",  "8796093022208MiB",
                "8589934592GiB",           "8388608TiB",
        };
        for (size_t i = 0; i < ELEMENTSOF(overflow); i++) {
                uint64_t v = 7;
                ck_assert_msg(gomemlimit_parse(overflow[i], &v) == -ERANGE, "%s accepted", overflow[i]);
                ck_assert_uint_eq(v, 7);
        }
        uint64_t v;
        ck_assert_int_eq(gomemlimit_parse(NULL, &v), -EINVAL);
}
END_TEST

START_TEST(test_gomemlimit_format) {
        static const struct {
                uint64_t bytes;
                const char *s;
        } cases[] = {
                { (40ull << 20) / 10 * 9, "36MiB" },   /* 40M * 0.9 */
                { (10ull << 20) / 10 * 9, "9216KiB" }, /* 10 MiB * 0.9: below 16 MiB */
                { 16ull << 20, "16MiB" },
                { (16ull << 20) - 1, "16383KiB" },
                { (36ull << 20) + 1048575, "36MiB" }, /* rounded down */
                { 1ull << 40, "1048576MiB" },
                { 1023, "0KiB" },
                { 0, "0KiB" },
                { UINT64_MAX, "17592186044415MiB" },
        };
        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                char *s = NULL;
                ck_assert_int_eq(gomemlimit_format(cases[i].bytes, &s), 0);
                ck_assert_str_eq(s, cases[i].s);
                /* What it writes, the runtime reads back, at most the value it came from. */
                uint64_t v;
                if (cases[i].bytes <= INT64_MAX) {
                        ck_assert_int_eq(gomemlimit_parse(s, &v), 0);
                        ck_assert_uint_le(v, cases[i].bytes);
                }
                free(s);
        }
}
END_TEST

START_TEST(test_invalid_unit_name) {
        /* A record whose unit is no unit name (a forged UNIT= field, bytes that are not UTF-8) is
         * not about a unit goguardd can name: ignored, not an error. */
        Ctx x;
        ctx_init(&x);
        static const char *const bad[] = { "bad\xff.service", "no suffix",     "a b.service",
                                           ".service",        "x@y@z.service", "" };
        for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
                ck_assert_int_eq(unit_oom(&x, T0 + i, bad[i], INV1), 0);
                ck_assert_int_eq(pid1(&x, T0 + i, bad[i], INV1, MESSAGE_ID_UNIT_OOMD_KILL,
                                      "systemd-oomd killed 3 process(es) in this unit."),
                                 0);
                ck_assert_int_eq(
                        unit_output(&x, T0 + i, bad[i], INV1, "fatal error: runtime: out of memory"), 0);
        }
        ck_assert_int_eq(correlator_advance(x.c, UINT64_MAX), 0);
        ck_assert_uint_eq(n_findings(&x), 0);
        ctx_done(&x);
}
END_TEST

static Suite *correlate_suite(void) {
        Suite *s = suite_create("correlate");
        TCase *tc = tcase_create("oom");
        tcase_add_test(tc, test_box_kill);
        tcase_add_test(tc, test_invalid_unit_name);
        tcase_add_test(tc, test_box_kill_pending);
        tcase_add_test(tc, test_read_twice);
        tcase_add_test(tc, test_crash_loop);
        tcase_add_test(tc, test_cgroup_v2);
        tcase_add_test(tc, test_oomd);
        tcase_add_test(tc, test_go_runtime_oom);
        tcase_add_test(tc, test_restart_gap);
        tcase_add_test(tc, test_advice);
        tcase_add_test(tc, test_unknown_unit);
        tcase_add_test(tc, test_non_go);
        tcase_add_test(tc, test_global_oom);
        tcase_add_test(tc, test_kill_without_summary);
        tcase_add_test(tc, test_live_kmsg);
        tcase_add_test(tc, test_pending_cap);
        tcase_add_test(tc, test_odd_records);
        tcase_add_test(tc, test_message_length);
        tcase_add_test(tc, test_store_full);
        suite_add_tcase(s, tc);
        tc = tcase_create("parsers");
        tcase_add_test(tc, test_go_version_parse);
        tcase_add_test(tc, test_gomemlimit_parse);
        tcase_add_test(tc, test_gomemlimit_format);
        suite_add_tcase(s, tc);
        return s;
}

DEFINE_TEST_MAIN(correlate_suite)
