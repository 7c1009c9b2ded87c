/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The threads and tasks family: the Go runtime's messages about threads it could not create,
 * with the limit that stopped it (TasksMax=, LimitNPROC= and the user's other units, the host,
 * the program's own debug.SetMaxThreads), and live samples near TasksMax=; exact summaries,
 * evidence and advice. */
#include "correlate-harness.h"

#define THR       "thr.service"
#define NEWOSPROC "runtime: failed to create new OS thread (have 39 already; errno=11)"
#define HINT      "runtime: may need to increase max user processes (ulimit -u)"
#define THREAD_USE                                                                                          \
        "Every goroutine blocked in a system call or a cgo call, or locked to its thread with "             \
        "runtime.LockOSThread, holds an OS thread of its own: if their number grows with the load "         \
        "without bound, a higher limit only delays the failure."

static TestUnit *thr_unit(Ctx *x, const char *name, uint64_t tasks_max, uint64_t nproc, const char *user) {
        TestUnit *u = add_unit(x, name);
        u->settings.tasks_max = tasks_max;
        u->settings.limit_nproc = u->settings.limit_nproc_soft = nproc;
        if (user) {
                u->settings.user = strdup(user);
                ck_assert_ptr_nonnull(u->settings.user);
        }
        return u;
}

static const Advice *advice(const Finding *f, size_t i) {
        ck_assert_uint_lt(i, f->n_advice);
        return &f->advice[i];
}

START_TEST(test_tasks_max) {
        Ctx x;
        ctx_init(&x);
        TestUnit *u = thr_unit(&x, THR, 40, UINT64_MAX, NULL);
        u->tasks_current = 37;
        u->tasks_sampled_at = T0 + SEC / 2;
        u->kernel_threads_max = 63172;
        started(&x, T0, THR, INV1);
        ck_assert_int_eq(unit_output(&x, T0 + SEC, THR, INV1, NEWOSPROC), 1);
        ck_assert_int_eq(unit_output(&x, T0 + SEC + 1, THR, INV1, HINT), 0);
        ck_assert_int_eq(unit_output(&x, T0 + SEC + 2, THR, INV1, "fatal error: newosproc"), 0);
        unit_output(&x, T0 + SEC + 3, THR, INV1, "");
        unit_output(&x, T0 + SEC + 4, THR, INV1, "runtime stack:");
        ck_assert_uint_eq(n_findings(&x), 1);
        Finding *f = the_finding(&x, FINDING_THREAD_EXHAUSTION, THR);
        ck_assert_str_eq(f->summary,
                         THR " could not create threads: clone failed with EAGAIN at 39 threads, "
                             "TasksMax=40");
        ck_assert_uint_eq(f->count, 1);
        ck_assert_str_eq(f->invocation_id, INV1);
        ck_assert_uint_eq(f->first_seen, T0 + SEC);
        ck_assert_str_eq(ev_str(f, "go_message"), NEWOSPROC);
        ck_assert_str_eq(ev_str(f, "go_message_detail"), "fatal error: newosproc");
        ck_assert_uint_eq(ev(f, "logged_at")->u, T0 + SEC);
        ck_assert_str_eq(ev_str(f, "journal_cursor"), "s=abc;i=2");
        ck_assert_str_eq(ev_str(f, "go_version"), "go1.19.8");
        ck_assert_uint_eq(ev_u64(f, "go_thread_count"), 39);
        ck_assert_uint_eq(ev_u64(f, "go_errno"), 11);
        ck_assert_ptr_null(finding_get(f, "go_thread_limit"));
        ck_assert_uint_eq(ev_u64(f, "go_create_attempts"), 1); /* go1.19.8 calls clone once */
        ck_assert_uint_eq(ev_u64(f, "TasksMax"), 40);
        ck_assert_uint_eq(ev_u64(f, "TasksCurrent"), 37);
        ck_assert_uint_eq(ev(f, "tasks_sampled_at")->u, T0 + SEC / 2);
        ck_assert_uint_eq(ev_u64(f, "LimitNPROC"), UINT64_MAX);
        ck_assert_uint_eq(ev_u64(f, "LimitNPROCSoft"), UINT64_MAX);
        ck_assert_uint_eq(ev_u64(f, "kernel_threads_max"), 63172);
        ck_assert_str_eq(ev_str(f, "User"), "root");
        ck_assert_str_eq(ev_str(f, "limit_reached"), "TasksMax");
        ck_assert_ptr_null(finding_get(f, "nproc_shared_units")); /* root: RLIMIT_NPROC does not bind */
        ck_assert_uint_eq(f->n_advice, 1);
        ck_assert_int_eq(advice(f, 0)->kind, ADVICE_DROPIN);
        ck_assert_str_eq(advice(f, 0)->text,
                         "The unit's cgroup reached TasksMax=40 (its pids.max: processes and threads "
                         "together), and the kernel refused the Go runtime a new thread when it had 39 "
                         "threads. Raise TasksMax=; the drop-in allows 256. " THREAD_USE);
        ck_assert_str_eq(advice(f, 0)->snippet, "[Service]\nTasksMax=256\n");
        ck_assert_uint_eq(x.n_added, 1);
        ck_assert_uint_eq(x.n_updated, 1); /* the throw() */

        /* The next invocation is one more. */
        started(&x, T0 + 60 * SEC, THR, INV2);
        ck_assert_int_eq(unit_output(&x, T0 + 61 * SEC, THR, INV2,
                                     "runtime: failed to create new OS thread (have 38 already; errno=11)"),
                         1);
        ck_assert_uint_eq(f->count, 2);
        ck_assert_str_eq(f->invocation_id, INV2);
        ck_assert_str_eq(f->summary,
                         THR " could not create threads: clone failed with EAGAIN at 38 threads, "
                             "TasksMax=40 (2 times)");
        ctx_done(&x);
}
END_TEST

START_TEST(test_nproc_shared) {
        Ctx x = {};
        static const char *const others[] = { "worker.service", "cron-app.service", NULL };
        ck_assert_int_eq(finding_store_init(&x.store), 0);
        x.same_user_units = others;
        ctx_start(&x);
        thr_unit(&x, THR, UINT64_MAX, 64, "app");
        ck_assert_int_eq(unit_output(&x, T0, THR, INV1,
                                     "runtime/cgo: pthread_create failed: Resource temporarily unavailable"),
                         1);
        unit_output(&x, T0 + 1, THR, INV1, "SIGABRT: abort");
        Finding *f = the_finding(&x, FINDING_THREAD_EXHAUSTION, THR);
        ck_assert_str_eq(
                f->summary,
                THR " could not create threads: pthread_create failed with EAGAIN, LimitNPROC=64 of app");
        ck_assert_str_eq(ev_str(f, "go_message"),
                         "runtime/cgo: pthread_create failed: Resource temporarily unavailable");
        ck_assert_ptr_null(finding_get(f, "go_message_detail"));
        ck_assert_ptr_null(finding_get(f, "go_thread_count"));
        ck_assert_uint_eq(ev_u64(f, "go_errno"), 11);
        ck_assert_uint_eq(ev_u64(f, "go_create_attempts"), 20); /* cgo retries */
        ck_assert_str_eq(ev_str(f, "User"), "app");
        ck_assert_str_eq(ev_str(f, "limit_reached"), "LimitNPROC");
        ck_assert_uint_eq(ev_u64(f, "nproc_shared_units"), 2);
        ck_assert_str_eq(ev_str(f, "nproc_shared_with"), "worker.service, cron-app.service");
        ck_assert_ptr_null(finding_get(f, "TasksCurrent")); /* never sampled */
        ck_assert_uint_eq(f->n_advice, 1);
        ck_assert_str_eq(
                advice(f, 0)->text,
                "The kernel refused the Go runtime a new thread. LimitNPROC=64 (RLIMIT_NPROC) counts "
                "every process and thread of user app on the host, not only this unit's; other units "
                "that run as app now: worker.service, cron-app.service. Raise it; the drop-in allows "
                "256. " THREAD_USE);
        ck_assert_str_eq(advice(f, 0)->snippet, "[Service]\nLimitNPROC=256\n");

        /* Both limits set, the runtime's count at TasksMax=: that one first, LimitNPROC= second. */
        thr_unit(&x, "both.service", 40, 100, "app");
        static const char *const none[] = { NULL };
        x.same_user_units = none;
        unit_output(&x, T0, "both.service", INV1, NEWOSPROC);
        f = the_finding(&x, FINDING_THREAD_EXHAUSTION, "both.service");
        ck_assert_str_eq(ev_str(f, "limit_reached"), "TasksMax");
        ck_assert_uint_eq(ev_u64(f, "nproc_shared_units"), 0);
        ck_assert_ptr_null(finding_get(f, "nproc_shared_with"));
        ck_assert_uint_eq(f->n_advice, 2);
        ck_assert_str_eq(advice(f, 0)->snippet, "[Service]\nTasksMax=256\n");
        ck_assert_str_eq(advice(f, 1)->text,
                         "If raising TasksMax= does not help: LimitNPROC=100 (RLIMIT_NPROC) counts every "
                         "process and thread of user app on the host, not only this unit's; no other unit "
                         "runs as app now. Raise it; the drop-in allows 256. " THREAD_USE);
        ck_assert_str_eq(advice(f, 1)->snippet, "[Service]\nLimitNPROC=256\n");

        /* The runtime's count far below TasksMax=: LimitNPROC= is what the user ran into. */
        TestUnit *u = thr_unit(&x, "far.service", 4096, 100, "app");
        snprintf(u->version, sizeof u->version, "go1.21.3");
        unit_output(&x, T0, "far.service", INV1, NEWOSPROC);
        f = the_finding(&x, FINDING_THREAD_EXHAUSTION, "far.service");
        ck_assert_uint_eq(ev_u64(f, "go_create_attempts"), 20); /* Go 1.20 and later retry */
        ck_assert_str_eq(f->summary, "far.service could not create threads: clone failed with EAGAIN at 39 "
                                     "threads, LimitNPROC=100 of app");
        ck_assert_uint_eq(f->n_advice, 1);
        ck_assert_str_eq(advice(f, 0)->snippet, "[Service]\nLimitNPROC=256\n");
        ctx_done(&x);
}
END_TEST

START_TEST(test_set_max_threads) {
        Ctx x;
        ctx_init(&x);
        thr_unit(&x, THR, 40, UINT64_MAX, NULL);
        ck_assert_int_eq(unit_output(&x, T0, THR, INV1, "runtime: program exceeds 20-thread limit"), 1);
        ck_assert_int_eq(unit_output(&x, T0 + 1, THR, INV1, "fatal error: thread exhaustion"), 0);
        Finding *f = the_finding(&x, FINDING_THREAD_EXHAUSTION, THR);
        ck_assert_str_eq(
                f->summary,
                THR " could not create threads: past its own limit (debug.SetMaxThreads) of 20 threads");
        ck_assert_str_eq(ev_str(f, "go_message"), "runtime: program exceeds 20-thread limit");
        ck_assert_str_eq(ev_str(f, "go_message_detail"), "fatal error: thread exhaustion");
        ck_assert_uint_eq(ev_u64(f, "go_thread_limit"), 20);
        ck_assert_str_eq(ev_str(f, "limit_reached"), "debug.SetMaxThreads");
        ck_assert_uint_eq(ev_u64(f, "TasksMax"), 40);
        ck_assert_uint_eq(f->n_advice, 1);
        ck_assert_int_eq(advice(f, 0)->kind, ADVICE_TEXT);
        ck_assert_str_eq(
                advice(f, 0)->text,
                "The Go runtime stopped the program itself: it went past 20 threads, the limit the "
                "program set with debug.SetMaxThreads. The system refused nothing: raising TasksMax= "
                "or LimitNPROC= will not help. Raise the program's limit (debug.SetMaxThreads), or "
                "find out why it needs so many threads. " THREAD_USE);

        /* Go's default limit. */
        thr_unit(&x, "many.service", UINT64_MAX, UINT64_MAX, NULL);
        unit_output(&x, T0, "many.service", INV1, "runtime: program exceeds 10000-thread limit");
        f = the_finding(&x, FINDING_THREAD_EXHAUSTION, "many.service");
        ck_assert_str_eq(f->summary,
                         "many.service could not create threads: past Go's default limit of 10000 threads");
        ck_assert_str_eq(ev_str(f, "limit_reached"), "Go's default thread limit");
        ck_assert_str_eq(
                advice(f, 0)->text,
                "The Go runtime stopped the program itself: it went past 10000 threads, the Go "
                "runtime's default limit. The system refused nothing: raising TasksMax= or "
                "LimitNPROC= will not help. Raise the program's limit (debug.SetMaxThreads), or find "
                "out why it needs so many threads. " THREAD_USE);
        ctx_done(&x);
}
END_TEST

START_TEST(test_host_and_memory) {
        Ctx x;
        ctx_init(&x);
        /* No limit of the unit's own (root: LimitNPROC= does not bind it): the host's. */
        TestUnit *u = thr_unit(&x, THR, UINT64_MAX, 100, NULL);
        u->kernel_threads_max = 63172;
        unit_output(&x, T0, THR, INV1, NEWOSPROC);
        Finding *f = the_finding(&x, FINDING_THREAD_EXHAUSTION, THR);
        ck_assert_str_eq(f->summary,
                         THR " could not create threads: clone failed with EAGAIN at 39 threads");
        ck_assert_str_eq(ev_str(f, "limit_reached"), "host");
        ck_assert_uint_eq(ev_u64(f, "kernel_threads_max"), 63172);
        ck_assert_uint_eq(f->n_advice, 2);
        ck_assert_int_eq(advice(f, 0)->kind, ADVICE_COMMAND);
        ck_assert_str_eq(
                advice(f, 0)->text,
                "The kernel refused the Go runtime a new thread when it had 39 threads, and neither "
                "TasksMax= nor LimitNPROC= of the unit limits it: the host's kernel.threads-max "
                "(63172) or kernel.pid_max was reached, or the TasksMax= of a slice above the unit. "
                "Count the host's threads and look at the slice:");
        ck_assert_str_eq(advice(f, 0)->snippet,
                         "sysctl kernel.threads-max kernel.pid_max; ps -eLf --no-headers "
                         "| wc -l; systemctl show -p TasksCurrent,TasksMax system.slice");
        ck_assert_int_eq(advice(f, 1)->kind, ADVICE_TEXT);
        ck_assert_str_eq(advice(f, 1)->text, THREAD_USE);

        /* ENOMEM: memory, not tasks. */
        thr_unit(&x, "mem.service", 40, UINT64_MAX, NULL);
        unit_output(&x, T0, "mem.service", INV1,
                    "runtime/cgo: pthread_create failed: Cannot allocate memory");
        f = the_finding(&x, FINDING_THREAD_EXHAUSTION, "mem.service");
        ck_assert_str_eq(f->summary,
                         "mem.service could not create threads: pthread_create failed with ENOMEM");
        ck_assert_str_eq(ev_str(f, "limit_reached"), "memory");
        ck_assert_str_eq(advice(f, 0)->text,
                         "The kernel had no memory for a new thread or its stack (ENOMEM): the unit's "
                         "MemoryMax= or the host's memory was exhausted, not a limit on tasks. " THREAD_USE);
        ctx_done(&x);
}
END_TEST

START_TEST(test_refused_and_throw_alone) {
        Ctx x;
        ctx_init(&x);
        /* Another errno than EAGAIN or ENOMEM: a seccomp filter, not a limit. */
        thr_unit(&x, THR, 40, UINT64_MAX, NULL);
        unit_output(&x, T0, THR, INV1, "runtime: failed to create new OS thread (have 3 already; errno=1)");
        Finding *f = the_finding(&x, FINDING_THREAD_EXHAUSTION, THR);
        ck_assert_str_eq(f->summary, THR " could not create threads: clone failed with EPERM at 3 threads");
        ck_assert_str_eq(ev_str(f, "limit_reached"), "refused");
        ck_assert_ptr_null(finding_get(f, "go_create_attempts")); /* retried only on EAGAIN */
        ck_assert_uint_eq(f->n_advice, 1);
        ck_assert_str_eq(
                advice(f, 0)->text,
                "The kernel refused the Go runtime a new thread with EPERM (errno 1), not for a limit "
                "on tasks: a SystemCallFilter= with SystemCallErrorNumber= that does not allow clone "
                "or clone3 refuses it so. Allow them:");
        ck_assert_str_eq(advice(f, 0)->snippet, "[Service]\nSystemCallFilter=@process\n");

        /* checkmcount's throw without its message: Go's own limit, of a size not said. */
        thr_unit(&x, "own.service", 40, UINT64_MAX, NULL);
        unit_output(&x, T0, "own.service", INV1, "fatal error: thread exhaustion");
        f = the_finding(&x, FINDING_THREAD_EXHAUSTION, "own.service");
        ck_assert_str_eq(f->summary,
                         "own.service could not create threads: past the Go runtime's thread limit");
        ck_assert_str_eq(ev_str(f, "limit_reached"), "Go's thread limit");
        ck_assert_ptr_null(finding_get(f, "go_message_detail"));
        ck_assert_str_eq(
                advice(f, 0)->text,
                "The Go runtime stopped the program itself: it went past its thread limit (10000, "
                "unless the program set another with debug.SetMaxThreads). The system refused "
                "nothing: raising TasksMax= or LimitNPROC= will not help. Raise the program's limit "
                "(debug.SetMaxThreads), or find out why it needs so many threads. " THREAD_USE);
        ctx_done(&x);
}
END_TEST

START_TEST(test_unknown_unit) {
        /* Offline (goguardctl analyze): no settings; the throw() alone is enough. */
        Ctx x;
        ctx_init(&x);
        unit_output(&x, T0, "gone.service", INV1, "fatal error: newosproc");
        Finding *f = the_finding(&x, FINDING_THREAD_EXHAUSTION, "gone.service");
        ck_assert_str_eq(f->summary, "gone.service could not create threads: newosproc");
        ck_assert(!ev_bool(f, "unit_settings_known"));
        ck_assert_ptr_null(finding_get(f, "TasksMax"));
        ck_assert_ptr_null(finding_get(f, "limit_reached"));
        ck_assert_str_eq(ev_str(f, "go_message"), "fatal error: newosproc");
        ck_assert_uint_eq(f->n_advice, 1);
        ck_assert_str_eq(
                advice(f, 0)->text,
                "The Go runtime could not create a thread. The limits in force are not known here "
                "(systemctl show -p TasksMax,TasksCurrent,LimitNPROC shows them); with EAGAIN it is "
                "TasksMax=, LimitNPROC= or the host's kernel.threads-max. " THREAD_USE);
        ck_assert_str_eq(advice(f, 0)->snippet, "[Service]\nTasksMax=4096\n");
        ctx_done(&x);
}
END_TEST

START_TEST(test_secrets_and_noise) {
        Ctx x;
        ctx_init(&x);
        thr_unit(&x, THR, 40, UINT64_MAX, NULL);
        unit_output(&x, T0, THR, INV1, "pw=hunter2 " NEWOSPROC " token=SECRET");
        unit_output(&x, T0 + 1, THR, INV1, "hunter2 fatal error: newosproc");
        Finding *f = the_finding(&x, FINDING_THREAD_EXHAUSTION, THR);
        ck_assert_str_eq(ev_str(f, "go_message"), NEWOSPROC);
        ck_assert_str_eq(ev_str(f, "go_message_detail"), "fatal error: newosproc");
        for (size_t k = 0; k < f->n_evidence; k++)
                ck_assert(!f->evidence[k].s ||
                          (!strstr(f->evidence[k].s, "hunter2") && !strstr(f->evidence[k].s, "SECRET")));

        thr_unit(&x, "ok.service", 40, UINT64_MAX, NULL);
        static const char *const lines[] = {
                "worker pool: thread exhaustion avoided, 12 threads",
                "runtime: program exceeds the budget",
                "runtime: program exceeds 20 threads",
                "pthread_create",
                "fatal error: newosprocs",
                "calling pthread_create failed to be needed",
                "runtime: failed to create new OS threa",
        };
        for (size_t i = 0; i < ELEMENTSOF(lines); i++)
                unit_output(&x, T0 + i, "ok.service", INV1, lines[i]);
        ck_assert_ptr_null(finding_store_find_active(&x.store, FINDING_THREAD_EXHAUSTION, "ok.service"));
        /* Not the unit's output, or not a Go unit. */
        pid1(&x, T0, "ok.service", INV1, NULL, NEWOSPROC);
        kernel(&x, T0, NEWOSPROC);
        TestUnit *u = thr_unit(&x, "c.service", 40, UINT64_MAX, NULL);
        u->is_go = false;
        unit_output(&x, T0, "c.service", INV1, NEWOSPROC);
        ck_assert_uint_eq(n_findings(&x), 1);
        ctx_done(&x);
}
END_TEST

START_TEST(test_reread) {
        Ctx x;
        ctx_init(&x);
        x.positions_from_time = true;
        thr_unit(&x, THR, 40, UINT64_MAX, NULL);
        for (int pass = 0; pass < 2; pass++) {
                unit_output(&x, T0 + SEC, THR, INV1, NEWOSPROC);
                unit_output(&x, T0 + SEC + 1, THR, INV1, "fatal error: newosproc");
                unit_output(&x, T0 + 2 * SEC, THR, INV2, "runtime: program exceeds 20-thread limit");
        }
        ck_assert_uint_eq(n_findings(&x), 1);
        ck_assert_uint_eq(the_finding(&x, FINDING_THREAD_EXHAUSTION, THR)->count, 2);
        ck_assert_uint_eq(x.n_added, 1);
        ck_assert_uint_eq(x.n_updated, 2); /* the throw(), the second invocation */
        ctx_done(&x);
}
END_TEST

START_TEST(test_covered) {
        ck_assert(correlator_covers(FINDING_THREAD_EXHAUSTION));
        ck_assert(correlator_covers(FINDING_TASKS_NEAR_LIMIT));
        ck_assert(correlator_wants_unit_message(NEWOSPROC, strlen(NEWOSPROC)));
        ck_assert(correlator_wants_unit_message("fatal error: thread exhaustion", 30));
        ck_assert(!correlator_wants_unit_message("thread exhaustion", 17));
}
END_TEST

/* ---- live samples ---- */

static int sample(Ctx *x, const char *unit, const char *inv, uint64_t t, uint64_t tasks) {
        UnitSample s = { .realtime = t, .boot_id = BOOT_ID, .invocation_id = inv, .tasks_current = tasks };
        int k = correlator_unit_sample(x->c, unit, &s);
        ck_assert_int_ge(k, 0);
        return k;
}

START_TEST(test_tasks_near) {
        Ctx x;
        ctx_init(&x);
        thr_unit(&x, THR, 50, UINT64_MAX, NULL);
        ck_assert_int_eq(sample(&x, THR, INV1, T0, 44), 0);            /* below 90% (45) */
        ck_assert_int_eq(sample(&x, THR, INV1, T0 + 10 * SEC, 46), 0); /* one sample: a burst, maybe */
        ck_assert_uint_eq(n_findings(&x), 0);
        ck_assert_int_eq(sample(&x, THR, INV1, T0 + 20 * SEC, 47), 1);
        Finding *f = the_finding(&x, FINDING_TASKS_NEAR_LIMIT, THR);
        ck_assert_str_eq(f->summary, THR " is close to its task limit: 47 of 50 tasks (94%)");
        ck_assert_uint_eq(f->count, 1);
        ck_assert_str_eq(f->invocation_id, INV1);
        ck_assert_uint_eq(ev_u64(f, "TasksCurrent"), 47);
        ck_assert_uint_eq(ev_u64(f, "TasksMax"), 50);
        ck_assert_uint_eq(ev(f, "tasks_sampled_at")->u, T0 + 20 * SEC);
        ck_assert_uint_eq(ev_u64(f, "tasks_near_samples"), 2);
        ck_assert_str_eq(ev_str(f, "go_version"), "go1.19.8");
        ck_assert_ptr_null(finding_get(f, "journal_cursor")); /* seen live */
        ck_assert_uint_eq(f->n_advice, 1);
        ck_assert_str_eq(
                advice(f, 0)->text,
                "The unit's cgroup holds 47 tasks (processes and threads), 94% of TasksMax=50, at 2 "
                "samples in a row. When it reaches the limit the kernel refuses the Go runtime a new "
                "thread and the program dies (\"fatal error: newosproc\"). Raise TasksMax= before it "
                "does; the drop-in allows 256. " THREAD_USE);
        ck_assert_str_eq(advice(f, 0)->snippet, "[Service]\nTasksMax=256\n");
        /* The same figure again: nothing new; another: an update, one occurrence. */
        ck_assert_int_eq(sample(&x, THR, INV1, T0 + 20 * SEC, 48), 0);
        ck_assert_int_eq(sample(&x, THR, INV1, T0 + 30 * SEC, 47), 0);
        ck_assert_int_eq(sample(&x, THR, INV1, T0 + 40 * SEC, 49), 1);
        ck_assert_uint_eq(f->count, 1);
        ck_assert_str_eq(f->summary, THR " is close to its task limit: 49 of 50 tasks (98%)");
        ck_assert_uint_eq(ev_u64(f, "tasks_near_samples"), 4);
        ck_assert_uint_eq(x.n_added, 1);
        ck_assert_uint_eq(x.n_updated, 1);
        /* Below, then near once: not two in a row. */
        sample(&x, THR, INV1, T0 + 50 * SEC, 30);
        ck_assert_int_eq(sample(&x, THR, INV1, T0 + 60 * SEC, 50), 0);
        /* A new invocation starts afresh, and is one more. */
        ck_assert_int_eq(sample(&x, THR, INV2, T0 + 70 * SEC, 46), 0);
        ck_assert_int_eq(sample(&x, THR, INV2, T0 + 80 * SEC, 46), 1);
        ck_assert_uint_eq(f->count, 2);
        ck_assert_str_eq(f->invocation_id, INV2);
        ck_assert_uint_eq(ev_u64(f, "tasks_near_samples"), 2);
        ctx_done(&x);
}
END_TEST

START_TEST(test_tasks_never_near) {
        Ctx x;
        ctx_init(&x);
        thr_unit(&x, "inf.service", UINT64_MAX, UINT64_MAX, NULL);
        TestUnit *u = thr_unit(&x, "c.service", 10, UINT64_MAX, NULL);
        u->is_go = false;
        thr_unit(&x, THR, 10, UINT64_MAX, NULL);
        for (int i = 0; i < 4; i++) {
                ck_assert_int_eq(sample(&x, "inf.service", INV1, T0 + i * SEC, 100000), 0);
                ck_assert_int_eq(sample(&x, "gone.service", INV1, T0 + i * SEC, 100000), 0);
                ck_assert_int_eq(sample(&x, "c.service", INV1, T0 + i * SEC, 10), 0);
                ck_assert_int_eq(sample(&x, THR, INV1, T0 + i * SEC, 0), 0); /* not read */
        }
        ck_assert_uint_eq(n_findings(&x), 0);
        ctx_done(&x);
}
END_TEST

static Suite *detect_threads_suite(void) {
        Suite *s = suite_create("detect-threads");
        TCase *tc = tcase_create("unit output");
        tcase_add_test(tc, test_tasks_max);
        tcase_add_test(tc, test_nproc_shared);
        tcase_add_test(tc, test_set_max_threads);
        tcase_add_test(tc, test_host_and_memory);
        tcase_add_test(tc, test_refused_and_throw_alone);
        tcase_add_test(tc, test_unknown_unit);
        tcase_add_test(tc, test_secrets_and_noise);
        tcase_add_test(tc, test_reread);
        tcase_add_test(tc, test_covered);
        suite_add_tcase(s, tc);
        tc = tcase_create("samples");
        tcase_add_test(tc, test_tasks_near);
        tcase_add_test(tc, test_tasks_never_near);
        suite_add_tcase(s, tc);
        return s;
}

DEFINE_TEST_MAIN(detect_threads_suite)
