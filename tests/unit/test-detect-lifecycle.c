/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The lifecycle family: Go crashes assembled from a unit's output into panic and fatal-runtime
 * findings that name the module and version the program died in, and crash loops tied to their
 * cause; exact summaries, evidence and advice. */
#include "correlate-harness.h"

#define CR "crasher.service"

#define MODINFO                                                                                             \
        "path\tgoguard.test/services/crasher\n"                                                             \
        "mod\tgoguard.test/services\t(devel)\t\n"                                                           \
        "dep\texample.com/crashlib\tv1.4.2\n"                                                               \
        "=>\t./crashlib\t(devel)\t\n"                                                                       \
        "build\tCGO_ENABLED=0\n"

static const char *const panic_lines[] = {
        "panic: crashlib: empty configuration",
        "",
        "goroutine 1 [running]:",
        "example.com/crashlib/config.Parse({0x0?, 0xe?})",
        "\t/build/services/crashlib/config/config.go:13 +0x138",
        "main.main()",
        "\t/build/services/crasher/main.go:65 +0x27e",
};

static const char *const mapwrites_lines[] = {
        "fatal error: concurrent map writes",
        "",
        "goroutine 8 [running]:",
        "main.mapWrites.func1(0x3)",
        "\t/build/services/crasher/main.go:42 +0x5d",
        "created by main.mapWrites",
        "\t/build/services/crasher/main.go:40 +0x34",
        "",
        "goroutine 1 [select (no cases)]:",
        "main.mapWrites()",
        "\t/build/services/crasher/main.go:46 +0xd2",
};

static const char *const fault_lines[] = {
        "unexpected fault address 0xdeadbeef",
        "fatal error: fault",
        "[signal SIGSEGV: segmentation violation code=0x1 addr=0xdeadbeef pc=0x4904ff]",
        "",
        "goroutine 1 [running]:",
        "runtime.throw({0x4aab19?, 0xc000094050?})",
        "\t/usr/lib/go-1.19/src/runtime/panic.go:1047 +0x5d fp=0xc00009ce28 sp=0xc00009cdf8 pc=0x432a5d",
        "runtime.sigpanic()",
        "\t/usr/lib/go-1.19/src/runtime/signal_unix.go:842 +0x2c5 fp=0xc00009ce78 sp=0xc00009ce28 "
        "pc=0x448645",
        "main.fault()",
        "\t/build/services/crasher/main.go:51 +0x1f fp=0xc00009cec0 sp=0xc00009ce78 pc=0x4904ff",
};

static TestUnit *crasher(Ctx *x) {
        TestUnit *u = add_unit(x, CR);
        ck_assert_int_eq(go_modinfo_parse(MODINFO, strlen(MODINFO), &u->exe.modinfo, NULL), 0);
        free(u->settings.restart);
        u->settings.restart = strdup("always");
        u->settings.restart_usec = 100000;
        u->settings.start_limit_interval_usec = 10 * SEC;
        u->settings.start_limit_burst = 5;
        return u;
}

static void done(Ctx *x) {
        for (size_t i = 0; i < x->n_units; i++)
                x->units[i].exe.modinfo = go_modinfo_free(x->units[i].exe.modinfo);
        ctx_done(x);
}

static int exited(Ctx *x, uint64_t t, const char *unit, const char *inv, const char *status) {
        return main_exited(x, t, unit, inv, "exited", status, "INVALIDARGUMENT");
}

static int restart_scheduled(Ctx *x, uint64_t t, const char *unit, const char *inv, unsigned n) {
        char msg[300];
        snprintf(msg, sizeof msg, "%s: Scheduled restart job, restart counter is at %u.", unit, n);
        return pid1(x, t, unit, inv, MESSAGE_ID_UNIT_RESTART_SCHEDULED, msg);
}

static void lines(Ctx *x, uint64_t t, const char *unit, const char *inv, const char *const *l, size_t n) {
        for (size_t i = 0; i < n; i++)
                unit_output(x, t + i, unit, inv, l[i]);
}

/* One invocation of the crasher that panics: start, its line, the trace, the exit. */
static void panic_run(Ctx *x, uint64_t t, const char *inv) {
        started(x, t, CR, inv);
        unit_output(x, t + 1000, CR, inv, "crasher: mode panic, crashing in 300ms");
        lines(x, t + 300000, CR, inv, panic_lines, ELEMENTSOF(panic_lines));
        exited(x, t + 301000, CR, inv, "2");
}

#define PANIC_TRACE_TEXT                                                                                    \
        "panic: crashlib: empty configuration\n\ngoroutine 1 [running]:\n"                                  \
        "example.com/crashlib/config.Parse({0x0?, 0xe?})\n"                                                 \
        "\t/build/services/crashlib/config/config.go:13 +0x138\nmain.main()\n"                              \
        "\t/build/services/crasher/main.go:65 +0x27e\n"

START_TEST(test_panic) {
        Ctx x;
        ctx_init(&x);
        crasher(&x);
        panic_run(&x, T0, INV1);
        /* Its last lines may come after PID 1's word: the record waits a moment. */
        ck_assert_uint_eq(n_findings(&x), 0);
        ck_assert_uint_eq(correlator_next_deadline(x.c), T0 + 301000 + 500000);
        ck_assert_int_eq(correlator_advance(x.c, T0 + 801000), 1);
        Finding *f = the_finding(&x, FINDING_PANIC, CR);
        ck_assert_str_eq(f->summary,
                         CR " panicked: crashlib: empty configuration, in example.com/crashlib v1.4.2, "
                            "config/config.go:13");
        ck_assert_uint_eq(f->count, 1);
        ck_assert_str_eq(f->invocation_id, INV1);
        ck_assert_uint_eq(f->first_seen, T0 + 300000);
        ck_assert_str_eq(ev_str(f, "crash_kind"), "panic");
        ck_assert_str_eq(ev_str(f, "panic_value"), "crashlib: empty configuration");
        ck_assert(!ev_bool(f, "panic_recovered"));
        ck_assert_str_eq(ev_str(f, "crash_function"), "example.com/crashlib/config.Parse");
        ck_assert_str_eq(ev_str(f, "crash_file"), "/build/services/crashlib/config/config.go:13");
        ck_assert_str_eq(ev_str(f, "go_module"), "example.com/crashlib");
        ck_assert_str_eq(ev_str(f, "go_module_version"), "v1.4.2");
        ck_assert_str_eq(ev_str(f, "go_module_replaced_by"), "./crashlib (devel)");
        ck_assert_uint_eq(ev_u64(f, "goroutine"), 1);
        ck_assert_str_eq(ev_str(f, "goroutine_state"), "running");
        ck_assert_uint_eq(ev_u64(f, "crash_frames"), 2);
        ck_assert_str_eq(ev_str(f, "crash_trace"), PANIC_TRACE_TEXT);
        ck_assert_uint_eq(ev_u64(f, "crash_trace_lines"), 7);
        ck_assert_uint_eq(ev_u64(f, "crash_trace_lines_dropped"), 0);
        ck_assert(ev_bool(f, "crash_trace_complete"));
        ck_assert_str_eq(ev_str(f, "crash_trace_end"), "the process's exit");
        ck_assert_str_eq(ev_str(f, "main_process_exit"), "code=exited, status=2");
        ck_assert_str_eq(ev_str(f, "GOTRACEBACK"), "single");
        ck_assert_str_eq(ev_str(f, "GOTRACEBACK_source"), "Go's default");
        ck_assert_uint_eq(ev_u64(f, "same_crash_count"), 1);
        ck_assert_str_eq(ev_str(f, "crash_signature"),
                         "crashlib: empty configuration @ example.com/crashlib/config.Parse");
        ck_assert_str_eq(ev_str(f, "journal_cursor"), "s=abc;i=3");
        ck_assert_str_eq(ev_str(f, "go_version"), "go1.19.8");
        ck_assert_uint_eq(f->n_advice, 3);
        ck_assert_int_eq(f->advice[0].kind, ADVICE_TEXT);
        ck_assert_str_eq(
                f->advice[0].text,
                "The program panicked in example.com/crashlib/config.Parse "
                "(/build/services/crashlib/config/config.go:13) and nothing recovered it, so it "
                "exited with status 2. The function belongs to the dependency example.com/crashlib "
                "v1.4.2: look for a fix in a newer version (go list -m -u example.com/crashlib), or "
                "report it there. Fix the cause the panic value names, or recover() in the "
                "goroutine where it can be handled.");
        ck_assert_int_eq(f->advice[1].kind, ADVICE_COMMAND);
        ck_assert_str_eq(f->advice[1].snippet,
                         "journalctl -u '" CR "' _SYSTEMD_INVOCATION_ID=" INV1 " -o cat");
        ck_assert_int_eq(f->advice[2].kind, ADVICE_DROPIN);
        ck_assert_str_eq(f->advice[2].snippet, "[Service]\nEnvironment=GOTRACEBACK=all\n");
        ck_assert_str_eq(f->advice[2].text,
                         "GOTRACEBACK is Go's default, single: a panic prints only the panicking goroutine, "
                         "and no goroutine's runtime frames. Set it to all to see every goroutine at the "
                         "next crash.");
        ck_assert_uint_eq(x.n_added, 1);
        ck_assert_uint_eq(n_findings(&x), 1);
        done(&x);
}
END_TEST

START_TEST(test_panic_one_entry_and_gotraceback) {
        Ctx x;
        ctx_init(&x);
        TestUnit *u = crasher(&x);
        ck_assert_int_eq(strv_extend(&u->settings.environment, "GOTRACEBACK=crash"), 0);
        started(&x, T0, CR, INV1);
        /* The whole trace in one entry, as a logger writing it at once stores it. */
        unit_output(&x, T0 + 1000, CR, INV1, PANIC_TRACE_TEXT);
        ck_assert_uint_eq(n_findings(&x), 0);
        /* The program's next line closes it. */
        ck_assert_int_eq(unit_output(&x, T0 + 2000, CR, INV1, "crasher: still here"), 1);
        Finding *f = the_finding(&x, FINDING_PANIC, CR);
        ck_assert_str_eq(ev_str(f, "crash_trace_end"), "a line that is not part of the trace");
        ck_assert_str_eq(ev_str(f, "crash_trace"), PANIC_TRACE_TEXT);
        ck_assert_str_eq(ev_str(f, "GOTRACEBACK"), "crash");
        ck_assert_str_eq(ev_str(f, "GOTRACEBACK_source"), "Environment=");
        ck_assert_uint_eq(f->n_advice, 3);
        ck_assert_int_eq(f->advice[2].kind, ADVICE_TEXT);
        ck_assert_str_eq(f->advice[2].text,
                         "GOTRACEBACK=crash: every goroutine, then SIGABRT for a core dump "
                         "(coredumpctl shows it).");
        done(&x);
}
END_TEST

START_TEST(test_panic_two_streams) {
        /* A child process writes to a stream of its own while the main process panics: its lines
         * fall between the trace's, which is assembled whole all the same. */
        Ctx x;
        ctx_init(&x);
        crasher(&x);
        started(&x, T0, CR, INV1);
        for (size_t i = 0; i < ELEMENTSOF(panic_lines); i++) {
                uint64_t t = T0 + 300000 + 2 * i;
                feed(&x, (JournalRecord){ .source = JOURNAL_SOURCE_UNIT,
                                          .realtime = t,
                                          .unit = CR,
                                          .invocation_id = INV1,
                                          .stream_id = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
                                          .message = panic_lines[i] });
                feed(&x, (JournalRecord){ .source = JOURNAL_SOURCE_UNIT,
                                          .realtime = t + 1,
                                          .unit = CR,
                                          .invocation_id = INV1,
                                          .stream_id = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
                                          .message = "worker: still copying" });
        }
        exited(&x, T0 + 301000, CR, INV1, "2");
        correlator_advance(x.c, UINT64_MAX);
        Finding *f = the_finding(&x, FINDING_PANIC, CR);
        ck_assert_str_eq(ev_str(f, "crash_trace"), PANIC_TRACE_TEXT);
        ck_assert_uint_eq(ev_u64(f, "crash_trace_lines"), 7);
        ck_assert(ev_bool(f, "crash_trace_complete"));
        ck_assert_str_eq(ev_str(f, "crash_function"), "example.com/crashlib/config.Parse");
        ck_assert_uint_eq(n_findings(&x), 1);
        done(&x);
}
END_TEST

START_TEST(test_fatal_runtime) {
        Ctx x;
        ctx_init(&x);
        crasher(&x);
        started(&x, T0, CR, INV1);
        lines(&x, T0 + SEC, CR, INV1, mapwrites_lines, ELEMENTSOF(mapwrites_lines));
        exited(&x, T0 + 2 * SEC, CR, INV1, "2");
        ck_assert_int_eq(correlator_advance(x.c, UINT64_MAX), 1);
        Finding *f = the_finding(&x, FINDING_FATAL_RUNTIME, CR);
        ck_assert_str_eq(f->summary,
                         CR " was stopped by a fatal Go runtime error: concurrent map writes, in "
                            "goguard.test/services (devel), crasher/main.go:42");
        ck_assert_str_eq(ev_str(f, "crash_kind"), "fatal error");
        ck_assert_str_eq(ev_str(f, "fatal_message"), "concurrent map writes");
        ck_assert_str_eq(ev_str(f, "crash_function"), "main.mapWrites.func1");
        ck_assert_str_eq(ev_str(f, "goroutine_created_by"), "main.mapWrites");
        ck_assert_uint_eq(ev_u64(f, "goroutine"), 8);
        ck_assert_uint_eq(ev_u64(f, "goroutines_printed"), 2);
        ck_assert_str_eq(ev_str(f, "go_module"), "goguard.test/services");
        ck_assert_str_eq(ev_str(f, "go_module_version"), "(devel)");
        ck_assert_str_eq(ev_str(f, "crash_trace_end"), "the process's exit");
        ck_assert_str_eq(
                f->advice[0].text,
                "Goroutines used one map at the same time without a lock: guard the map with a "
                "sync.Mutex or sync.RWMutex, or use sync.Map. A build with -race (go test -race, go "
                "build -race) names the goroutines that race. It happened in main.mapWrites.func1 "
                "(/build/services/crasher/main.go:42)");

        /* The next invocation: a fault, with its signal. One finding of the class, counted twice. */
        started(&x, T0 + 10 * SEC, CR, INV2);
        lines(&x, T0 + 11 * SEC, CR, INV2, fault_lines, ELEMENTSOF(fault_lines));
        exited(&x, T0 + 12 * SEC, CR, INV2, "2");
        ck_assert_int_eq(correlator_advance(x.c, T0 + 13 * SEC), 1);
        ck_assert_uint_eq(f->count, 2);
        ck_assert_str_eq(f->summary,
                         CR " was stopped by a fatal Go runtime error: fault (SIGSEGV at 0xdeadbeef), in "
                            "goguard.test/services (devel), crasher/main.go:51 (2 times)");
        ck_assert_str_eq(ev_str(f, "signal"), "SIGSEGV");
        ck_assert_str_eq(ev_str(f, "signal_addr"), "0xdeadbeef");
        ck_assert_str_eq(ev_str(f, "signal_pc"), "0x4904ff");
        ck_assert_str_eq(ev_str(f, "signal_code"), "0x1");
        ck_assert_str_eq(ev_str(f, "crash_detail"), "unexpected fault address 0xdeadbeef");
        ck_assert_str_eq(ev_str(f, "crash_function"), "main.fault");
        ck_assert_uint_eq(ev_u64(f, "same_crash_count"), 1);
        ck_assert_uint_eq(n_findings(&x), 1);
        done(&x);
}
END_TEST

START_TEST(test_other_families_and_healthy) {
        Ctx x;
        ctx_init(&x);
        crasher(&x);
        add_unit(&x, "healthy.service");
        /* The runtime's out-of-memory throw is the memory family's, not one more finding here. */
        started(&x, T0, CR, INV1);
        unit_output(&x, T0 + SEC, CR, INV1, "fatal error: runtime: out of memory");
        unit_output(&x, T0 + SEC + 1, CR, INV1, "");
        unit_output(&x, T0 + SEC + 2, CR, INV1, "goroutine 1 [running]:");
        unit_output(&x, T0 + SEC + 3, CR, INV1, "runtime.throw({0x4aab19?, 0xc000094050?})");
        exited(&x, T0 + 2 * SEC, CR, INV1, "2");
        correlator_advance(x.c, UINT64_MAX);
        ck_assert_ptr_nonnull(finding_store_find_active(&x.store, FINDING_GO_RUNTIME_OOM, CR));
        ck_assert_ptr_null(finding_store_find_active(&x.store, FINDING_FATAL_RUNTIME, CR));
        /* The threads family's: the runtime's thread limits, and cgo's pthread_create abort(). */
        started(&x, T0 + 3 * SEC, CR, INV3);
        unit_output(&x, T0 + 4 * SEC, CR, INV3, "runtime: program exceeds 20-thread limit");
        unit_output(&x, T0 + 4 * SEC + 1, CR, INV3, "fatal error: thread exhaustion");
        unit_output(&x, T0 + 4 * SEC + 2, CR, INV3, "runtime stack:");
        exited(&x, T0 + 5 * SEC, CR, INV3, "2");
        started(&x, T0 + 6 * SEC, CR, "44444444444444444444444444444444");
        unit_output(&x, T0 + 7 * SEC, CR, "44444444444444444444444444444444",
                    "runtime/cgo: pthread_create failed: Resource temporarily unavailable");
        unit_output(&x, T0 + 7 * SEC + 1, CR, "44444444444444444444444444444444", "SIGABRT: abort");
        unit_output(&x, T0 + 7 * SEC + 2, CR, "44444444444444444444444444444444",
                    "PC=0x46c2e1 m=3 sigcode=18446744073709551610");
        main_exited(&x, T0 + 8 * SEC, CR, "44444444444444444444444444444444", "dumped", "6", "ABRT");
        correlator_advance(x.c, UINT64_MAX);
        ck_assert_ptr_null(finding_store_find_active(&x.store, FINDING_FATAL_RUNTIME, CR));

        /* A healthy unit's output, frames-like lines included, and a clean exit: nothing. */
        started(&x, T0 + 10 * SEC, "healthy.service", INV2);
        unit_output(&x, T0 + 11 * SEC, "healthy.service", INV2, "healthy: listening on 127.0.0.1:8080");
        unit_output(&x, T0 + 11 * SEC, "healthy.service", INV2, "handler.Serve(ok)");
        unit_output(&x, T0 + 11 * SEC, "healthy.service", INV2, "\tindented detail");
        unit_output(&x, T0 + 11 * SEC, "healthy.service", INV2, "goroutine 5 [running]: is a fine name");
        exited(&x, T0 + 12 * SEC, "healthy.service", INV2, "0");
        correlator_advance(x.c, UINT64_MAX);
        ck_assert_uint_eq(finding_store_count(&x.store, "healthy.service", _FINDING_STATE_INVALID), 0);
        /* The memory family's go-runtime-oom and the threads family's thread-exhaustion. */
        ck_assert_ptr_nonnull(finding_store_find_active(&x.store, FINDING_THREAD_EXHAUSTION, CR));
        ck_assert_uint_eq(n_findings(&x), 2);
        done(&x);
}
END_TEST

START_TEST(test_crash_loop) {
        Ctx x;
        ctx_init(&x);
        crasher(&x);
        const char *inv[] = { INV1, INV2, INV3, "44444444444444444444444444444444" };
        for (unsigned i = 0; i < ELEMENTSOF(inv); i++) {
                uint64_t t = T0 + i * SEC;
                panic_run(&x, t, inv[i]);
                /* RestartSec=100ms: the restart comes before the record's wait is over. */
                restart_scheduled(&x, t + 401000, CR, inv[i], i + 1);
                if (i == 0)
                        ck_assert_ptr_null(finding_store_find_active(&x.store, FINDING_CRASH_LOOP, CR));
        }
        Finding *p = the_finding(&x, FINDING_PANIC, CR);
        ck_assert_uint_eq(p->count, 4);
        ck_assert_uint_eq(ev_u64(p, "same_crash_count"), 4);
        Finding *f = the_finding_d(&x, FINDING_CRASH_LOOP, CR, "panic");
        ck_assert_ptr_null(finding_store_find_active(&x.store, FINDING_CRASH_LOOP, CR));
        ck_assert_uint_eq(f->count, 3); /* the restarts at 2, 3 and 4 */
        ck_assert_str_eq(f->invocation_id, inv[3]);
        ck_assert_str_eq(ev_str(f, "cause_finding_id"), p->id);
        ck_assert_str_eq(ev_str(f, "cause_class"), "panic");
        ck_assert_str_eq(ev_str(f, "cause_summary"), p->summary);
        ck_assert_uint_eq(ev_u64(f, "restart_counter"), 4);
        ck_assert_uint_eq(ev_u64(f, "same_cause_restarts"), 3);
        ck_assert_uint_eq(ev_u64(f, "RestartUSec"), 100000);
        ck_assert_uint_eq(ev_u64(f, "StartLimitIntervalUSec"), 10 * SEC);
        ck_assert_uint_eq(ev_u64(f, "StartLimitBurst"), 5);
        ck_assert_str_eq(ev_str(f, "Restart"), "always");
        ck_assert_ptr_null(finding_get(f, "start_limit_hit"));
        ck_assert_str_eq(f->summary,
                         CR " restarts again and again: restart counter at 4, after it panicked: "
                            "crashlib: empty configuration, in example.com/crashlib v1.4.2, "
                            "config/config.go:13 (3 times)");
        char want[600];
        snprintf(want, sizeof want,
                 "Every restart ends the same way: fix the cause, finding %s (panic); restarting only "
                 "repeats "
                 "it. systemd gives up once the unit starts too often (StartLimitBurst=5 starts within "
                 "StartLimitIntervalSec=10s).",
                 p->id);
        ck_assert_uint_eq(f->n_advice, 2);
        ck_assert_str_eq(f->advice[0].text, want);
        ck_assert_str_eq(f->advice[1].snippet, "journalctl -u '" CR "' -n 200 -o short-precise");

        /* The start limit (systemd 253 and later say start-limit-hit): the same finding, counted
         * once more, and how to start again. */
        failed_result(&x, T0 + 5 * SEC, CR, inv[3], "start-limit-hit");
        ck_assert_uint_eq(f->count, 4);
        ck_assert(ev_bool(f, "start_limit_hit"));
        ck_assert_str_eq(f->summary, CR " restarts again and again: start limit hit, after it panicked: "
                                        "crashlib: empty configuration, in example.com/crashlib v1.4.2, "
                                        "config/config.go:13 (4 times)");
        ck_assert_uint_eq(f->n_advice, 4);
        snprintf(want, sizeof want,
                 "Every restart ends the same way: fix the cause, finding %s (panic); restarting only "
                 "repeats it. systemd gives up once the unit starts too often (StartLimitBurst=5 starts "
                 "within StartLimitIntervalSec=10s), as it did now: reset it with systemctl reset-failed.",
                 p->id);
        ck_assert_str_eq(f->advice[0].text, want);
        ck_assert_int_eq(f->advice[2].kind, ADVICE_DROPIN);
        ck_assert_str_eq(f->advice[2].text,
                         "Once the cause is fixed, space the restarts out: with RestartSec=3s or more, 5 "
                         "starts never fall within StartLimitIntervalSec=10s.");
        ck_assert_str_eq(f->advice[2].snippet, "[Service]\nRestartSec=3s\n");
        ck_assert_int_eq(f->advice[3].kind, ADVICE_COMMAND);
        ck_assert_str_eq(f->advice[3].text, "Start it again after the fix:");
        ck_assert_str_eq(f->advice[3].snippet,
                         "systemctl reset-failed '" CR "' && systemctl start '" CR "'");
        ck_assert_uint_eq(n_findings(&x), 2);
        done(&x);
}
END_TEST

/* systemd 252: "Start request repeated too quickly." without a MESSAGE_ID, and the Result stays the
 * cause's. */
START_TEST(test_crash_loop_start_limit_252) {
        for (int with_inv = 0; with_inv < 2; with_inv++) {
                Ctx x;
                ctx_init(&x);
                crasher(&x);
                const char *inv[] = { INV1, INV2, INV3 };
                for (unsigned i = 0; i < ELEMENTSOF(inv); i++) {
                        panic_run(&x, T0 + i * SEC, inv[i]);
                        restart_scheduled(&x, T0 + i * SEC + 401000, CR, inv[i], i + 1);
                }
                Finding *f = the_finding_d(&x, FINDING_CRASH_LOOP, CR, "panic");
                ck_assert_uint_eq(f->count, 2);
                /* A message of PID 1 about something else without a MESSAGE_ID: nothing. */
                ck_assert_int_eq(pid1(&x, T0 + 4 * SEC, CR, with_inv ? inv[2] : NULL, NULL,
                                      CR ": Start request repeated too quickly, or so."),
                                 0);
                ck_assert_int_eq(pid1(&x, T0 + 4 * SEC, CR, with_inv ? inv[2] : NULL, NULL,
                                      CR ": Start request repeated too quickly."),
                                 1);
                ck_assert_int_eq(
                        failed_result(&x, T0 + 4 * SEC + 1, CR, with_inv ? inv[2] : NULL, "exit-code"), 0);
                ck_assert_uint_eq(f->count, 3);
                ck_assert(ev_bool(f, "start_limit_hit"));
                ck_assert_str_eq(ev_str(f, "systemd_message"), CR ": Start request repeated too quickly.");
                ck_assert_str_eq(ev_str(f, "cause_finding_id"), the_finding(&x, FINDING_PANIC, CR)->id);
                ck_assert_str_eq(f->summary,
                                 CR " restarts again and again: start limit hit, after it panicked: "
                                    "crashlib: empty configuration, in example.com/crashlib v1.4.2, "
                                    "config/config.go:13 (3 times)");
                ck_assert_str_eq(f->advice[2].snippet, "[Service]\nRestartSec=3s\n");
                ck_assert_uint_eq(n_findings(&x), 2);
                done(&x);
        }
}
END_TEST

START_TEST(test_crash_loop_exit_only_and_reread) {
        Ctx x;
        x = (Ctx){ .positions_from_time = true };
        ck_assert_int_eq(finding_store_init(&x.store), 0);
        ctx_start(&x);
        crasher(&x);
        for (int pass = 0; pass < 2; pass++) {
                const char *inv[] = { INV1, INV2, INV3 };
                for (unsigned i = 0; i < ELEMENTSOF(inv); i++) {
                        uint64_t t = T0 + i * SEC;
                        started(&x, t, CR, inv[i]);
                        unit_output(&x, t + 1000, CR, inv[i], "crasher: unknown mode \"x\"");
                        exited(&x, t + 2000, CR, inv[i], "1");
                        restart_scheduled(&x, t + 102000, CR, inv[i], i + 1);
                }
                correlator_advance(x.c, UINT64_MAX);
                /* Read again (a rewind): nothing counts twice. */
                Finding *f = the_finding_d(&x, FINDING_CRASH_LOOP, CR, "exit-status");
                ck_assert_uint_eq(f->count, 2);
                ck_assert_str_eq(ev_str(f, "cause_exit"), "status=1");
                ck_assert_ptr_null(finding_get(f, "cause_finding_id"));
                ck_assert_str_eq(f->summary,
                                 CR " restarts again and again: restart counter at 3, after exit "
                                    "status=1 (2 times)");
                ck_assert_uint_eq(n_findings(&x), 1);
        }
        done(&x);
}
END_TEST

START_TEST(test_crash_loop_cause_changes) {
        /* Panics, then exits with status 1, then killed by a signal, then a panic again: one
         * finding per cause, each with its own count and cause. */
        Ctx x;
        ctx_init(&x);
        crasher(&x);
        const char *inv[] = { INV1,
                              INV2,
                              INV3,
                              "44444444444444444444444444444444",
                              "55555555555555555555555555555555",
                              "66666666666666666666666666666666" };
        for (unsigned i = 0; i < ELEMENTSOF(inv); i++) {
                uint64_t t = T0 + i * SEC;
                if (i < 3)
                        panic_run(&x, t, inv[i]);
                else {
                        started(&x, t, CR, inv[i]);
                        unit_output(&x, t + 1000, CR, inv[i], "crasher: unknown mode \"x\"");
                        if (i < 5)
                                exited(&x, t + 2000, CR, inv[i], "1");
                        else
                                main_exited(&x, t + 2000, CR, inv[i], "killed", "15", "TERM");
                }
                restart_scheduled(&x, t + 401000, CR, inv[i], i + 1);
        }
        Finding *p = the_finding_d(&x, FINDING_CRASH_LOOP, CR, "panic");
        ck_assert_uint_eq(p->count, 2); /* the restarts at 2 and 3 */
        ck_assert_uint_eq(ev_u64(p, "same_cause_restarts"), 2);
        ck_assert_str_eq(ev_str(p, "cause_class"), "panic");
        ck_assert_str_eq(ev_str(p, "cause_finding_id"), the_finding(&x, FINDING_PANIC, CR)->id);
        Finding *e = the_finding_d(&x, FINDING_CRASH_LOOP, CR, "exit-status");
        ck_assert_uint_eq(e->count, 2); /* 4 and 5 */
        ck_assert_str_eq(ev_str(e, "cause_exit"), "status=1");
        ck_assert_ptr_null(finding_get(e, "cause_class"));
        ck_assert_uint_eq(ev_u64(e, "same_cause_restarts"), 2);
        ck_assert_uint_eq(ev_u64(e, "restart_counter"), 5);
        Finding *s = the_finding_d(&x, FINDING_CRASH_LOOP, CR, "signal");
        ck_assert_uint_eq(s->count, 1);
        ck_assert_str_eq(ev_str(s, "cause_exit"), "signal=15");
        ck_assert_uint_eq(ev_u64(s, "same_cause_restarts"), 1);
        ck_assert_str_eq(s->summary,
                         CR " restarts again and again: restart counter at 6, after exit signal=15");
        ck_assert_str_ne(p->id, e->id);
        ck_assert_str_ne(e->id, s->id);

        /* A panic again: its finding's count goes on where it was, the run of the same cause
         * starts again. */
        panic_run(&x, T0 + 6 * SEC, "77777777777777777777777777777777");
        restart_scheduled(&x, T0 + 6 * SEC + 401000, CR, "77777777777777777777777777777777", 7);
        ck_assert_uint_eq(p->count, 3);
        ck_assert_uint_eq(ev_u64(p, "same_cause_restarts"), 1);
        ck_assert_uint_eq(e->count, 2);
        ck_assert_uint_eq(n_findings(&x), 4);
        done(&x);
}
END_TEST

START_TEST(test_stop_timeout_and_watchdog) {
        Ctx x;
        ctx_init(&x);
        TestUnit *u = crasher(&x);
        u->settings.timeout_stop_usec = 5 * SEC;
        u->settings.kill_signal = 15;
        u->settings.kill_mode = strdup("control-group");
        u->settings.watchdog_usec = 2 * SEC;
        /* Stopped, it does not exit on SIGTERM: SIGKILL after TimeoutStopSec=. */
        started(&x, T0, CR, INV1);
        pid1(&x, T0 + 10 * SEC, CR, INV1, MESSAGE_ID_UNIT_STOPPING, "Stopping " CR "...");
        main_exited(&x, T0 + 15 * SEC, CR, INV1, "killed", "9", "KILL");
        ck_assert_int_eq(failed_result(&x, T0 + 15 * SEC + 1, CR, INV1, "timeout"), 1);
        Finding *f = the_finding(&x, FINDING_STOP_TIMEOUT, CR);
        ck_assert_str_eq(f->summary, CR " does not stop on SIGTERM: killed after TimeoutStopSec=5s");
        ck_assert_uint_eq(ev_u64(f, "TimeoutStopUSec"), 5 * SEC);
        ck_assert_str_eq(ev_str(f, "KillSignal"), "SIGTERM");
        ck_assert_str_eq(ev_str(f, "KillMode"), "control-group");
        ck_assert_str_eq(ev_str(f, "main_process_exit"), "signal=9");
        ck_assert_str_eq(ev_str(f, "systemd_message"), CR ": Failed with result 'timeout'.");
        ck_assert_str_eq(
                f->advice[0].text,
                "systemd asked the program to stop with SIGTERM and killed it with SIGKILL when it "
                "had not exited after TimeoutStopSec=5s: whatever it had not written or flushed was "
                "lost. A Go program exits on SIGTERM unless it catches it (os/signal: signal.Notify, "
                "signal.NotifyContext); one that does must finish its shutdown in time, e.g. "
                "http.Server.Shutdown with a context shorter than TimeoutStopSec=. Make it do so, or "
                "raise TimeoutStopSec=.");
        ck_assert_ptr_null(finding_get(f, "signal_handling"));
        ck_assert_ptr_null(finding_store_find_active(&x.store, FINDING_EXITS_AT_START, CR));

        /* What the binary's function names say about its signals changes what the timeout means. */
        static const struct {
                int notify, ignore;
                const char *handling, *hint;
        } cases[] = {
                { 0, 0, "none",
                  "The binary does not link os/signal, so Go's default for SIGTERM applied: exit at once. "
                  "The program did not hold the stop up by its own handling; look elsewhere: SIGTERM "
                  "blocked or ignored before the program started (a wrapper or parent that masks it), a C "
                  "library linked through cgo that installs its own handler, or a process stuck in the "
                  "kernel (state D) that no signal reaches." },
                { 1, 0, "notify",
                  "The binary links os/signal.Notify (signal.Notify, signal.NotifyContext): it catches "
                  "signals, and its shutdown after SIGTERM took longer than TimeoutStopSec=5s. Bound it, "
                  "e.g. http.Server.Shutdown with a context shorter than TimeoutStopSec=, or raise "
                  "TimeoutStopSec=." },
                { 1, 1, "notify+ignore",
                  "The binary links os/signal.Ignore and os/signal.Notify: a program that ignores SIGTERM "
                  "is ended only by SIGKILL. Catch it instead (signal.Notify) and shut down within "
                  "TimeoutStopSec=5s." },
                { 0, 1, "ignore",
                  "The binary links os/signal.Ignore: a program that ignores SIGTERM is ended only by "
                  "SIGKILL. Catch it instead (signal.Notify) and shut down within TimeoutStopSec=5s." },
        };
        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                char inv[33], want[1280];
                snprintf(inv, sizeof inv, "a%031zu", i);
                u->exe.signal_notify = cases[i].notify;
                u->exe.signal_ignore = cases[i].ignore;
                uint64_t t = T0 + (100 + 20 * i) * SEC;
                started(&x, t, CR, inv);
                pid1(&x, t + SEC, CR, inv, MESSAGE_ID_UNIT_STOPPING, "Stopping " CR "...");
                main_exited(&x, t + 6 * SEC, CR, inv, "killed", "9", "KILL");
                ck_assert_int_eq(failed_result(&x, t + 6 * SEC + 1, CR, inv, "timeout"), 1);
                ck_assert_ptr_eq(the_finding(&x, FINDING_STOP_TIMEOUT, CR), f);
                ck_assert_uint_eq(f->count, i + 2);
                ck_assert_str_eq(ev_str(f, "signal_handling"), cases[i].handling);
                snprintf(want, sizeof want,
                         "systemd asked the program to stop with SIGTERM and killed it with SIGKILL when it "
                         "had not exited after TimeoutStopSec=5s: whatever it had not written or flushed "
                         "was lost. %s",
                         cases[i].hint);
                ck_assert_uint_eq(f->n_advice, 1);
                ck_assert_str_eq(f->advice[0].text, want);
        }
        u->exe.signal_notify = u->exe.signal_ignore = -1;

        /* The watchdog: SIGABRT, result watchdog. Its build info has no sd_notify package. */
        started(&x, T0 + 20 * SEC, CR, INV2);
        main_exited(&x, T0 + 30 * SEC, CR, INV2, "dumped", "6", "ABRT");
        ck_assert_int_eq(failed_result(&x, T0 + 30 * SEC + 1, CR, INV2, "watchdog"), 1);
        f = the_finding(&x, FINDING_WATCHDOG, CR);
        ck_assert_str_eq(f->summary,
                         CR " missed its watchdog deadline: no WATCHDOG=1 within WatchdogSec=2s");
        ck_assert_uint_eq(ev_u64(f, "WatchdogUSec"), 2 * SEC);
        ck_assert_str_eq(ev_str(f, "sd_notify_module"), "none in the build info");
        ck_assert_str_eq(ev_str(f, "main_process_exit"), "signal=6");
        ck_assert_ptr_nonnull(
                strstr(f->advice[0].text, "lists no sd_notify package: it may not ping at all."));
        ck_assert_uint_eq(n_findings(&x), 2);
        done(&x);
}
END_TEST

START_TEST(test_exits_at_start) {
        Ctx x;
        ctx_init(&x);
        TestUnit *u = crasher(&x);
        u->settings.type = strdup("simple");
        /* main() returns 300 ms after the start. */
        started(&x, T0, CR, INV1);
        ck_assert_int_eq(
                pid1(&x, T0 + 300000, CR, INV1, MESSAGE_ID_UNIT_SUCCESS, CR ": Deactivated successfully."),
                1);
        Finding *f = the_finding(&x, FINDING_EXITS_AT_START, CR);
        ck_assert_str_eq(f->summary, CR
                         " exits right after it starts: its main process exited with status 0 after 300ms");
        ck_assert_uint_eq(ev_u64(f, "ran_for_usec"), 300000);
        ck_assert_str_eq(ev_str(f, "Type"), "simple");
        ck_assert_str_eq(
                f->advice[0].text,
                "The main process exited with status 0 300ms after it started, and with Type=simple the "
                "service is then over: main() returned. A service must keep running (serve, or block "
                "until it is told to stop); a job that is meant to end belongs in Type=oneshot.");
        /* Stopped by the operator, or after a long run: not at start. */
        started(&x, T0 + 10 * SEC, CR, INV2);
        pid1(&x, T0 + 11 * SEC, CR, INV2, MESSAGE_ID_UNIT_STOPPING, "Stopping " CR "...");
        ck_assert_int_eq(pid1(&x, T0 + 11 * SEC + 1, CR, INV2, MESSAGE_ID_UNIT_SUCCESS,
                              CR ": Deactivated successfully."),
                         0);
        started(&x, T0 + 20 * SEC, CR, INV3);
        ck_assert_int_eq(
                pid1(&x, T0 + 60 * SEC, CR, INV3, MESSAGE_ID_UNIT_SUCCESS, CR ": Deactivated successfully."),
                0);
        ck_assert_uint_eq(f->count, 1);

        /* Type=notify without READY=1: the start times out, SIGTERM ends it. */
        free(u->settings.type);
        u->settings.type = strdup("notify");
        u->settings.timeout_start_usec = 3 * SEC;
        started(&x, T0 + 100 * SEC, CR, "44444444444444444444444444444444");
        main_exited(&x, T0 + 103 * SEC, CR, "44444444444444444444444444444444", "killed", "15", "TERM");
        ck_assert_int_eq(
                failed_result(&x, T0 + 103 * SEC + 1, CR, "44444444444444444444444444444444", "timeout"), 1);
        ck_assert_uint_eq(f->count, 2);
        ck_assert_str_eq(f->summary,
                         CR " exits right after it starts: no READY=1 within TimeoutStartSec=3s (2 times)");
        ck_assert_uint_eq(ev_u64(f, "TimeoutStartUSec"), 3 * SEC);
        ck_assert_str_eq(ev_str(f, "Type"), "notify");
        ck_assert_ptr_null(finding_store_find_active(&x.store, FINDING_STOP_TIMEOUT, CR));
        ck_assert_uint_eq(n_findings(&x), 1);
        done(&x);
}
END_TEST

static Suite *detect_lifecycle_suite(void) {
        Suite *s = suite_create("detect-lifecycle");
        TCase *tc = tcase_create("core");
        tcase_add_test(tc, test_panic);
        tcase_add_test(tc, test_panic_one_entry_and_gotraceback);
        tcase_add_test(tc, test_panic_two_streams);
        tcase_add_test(tc, test_fatal_runtime);
        tcase_add_test(tc, test_other_families_and_healthy);
        tcase_add_test(tc, test_crash_loop);
        tcase_add_test(tc, test_crash_loop_start_limit_252);
        tcase_add_test(tc, test_crash_loop_exit_only_and_reread);
        tcase_add_test(tc, test_crash_loop_cause_changes);
        tcase_add_test(tc, test_stop_timeout_and_watchdog);
        tcase_add_test(tc, test_exits_at_start);
        suite_add_tcase(s, tc);
        return s;
}

DEFINE_TEST_MAIN(detect_lifecycle_suite)
