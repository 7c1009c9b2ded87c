/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The threads and tasks family: thread-exhaustion, tasks-near-limit. The Go runtime's messages
 * about a thread it could not create (the kernel refused clone(), pthread_create() failed, or
 * the program went past its own thread limit) in the unit's output, correlated with what limits
 * threads: the unit's TasksMax= (its cgroup's pids.max), LimitNPROC= (RLIMIT_NPROC, counted per
 * user over the whole host), the host's kernel.threads-max, and Go's own limit
 * (debug.SetMaxThreads). Live, a unit whose task count stays near TasksMax=. */
#include <stdio.h>
#include <string.h>

#include "detector.h"
#include "go-fd-message.h"
#include "go-thread-message.h"
#include "strv.h"
#include "unit-slots.h"

/* The unit-output needles, in the order a line is tried for them: the runtime's own message
 * first, its hint and its throw() after it. */
static const char *const unit_needles[] = {
        "runtime: failed to create new OS thread",
        "runtime: program exceeds ",
        "pthread_create failed",
        "runtime: may need to increase max user processes",
        "fatal error: newosproc",
        "fatal error: thread exhaustion",
        NULL,
};

static const FindingClass classes[] = {
        FINDING_THREAD_EXHAUSTION,
        FINDING_TASKS_NEAR_LIMIT,
        _FINDING_CLASS_INVALID,
};

#define EAGAIN_VALUE        11
#define ENOMEM_VALUE        12
/* Samples in a row at 90% of TasksMax= before a unit is called near its limit: one sample may
 * catch a short burst of threads. */
#define NEAR_SAMPLES_MIN    2u
#define HISTORY_UNITS_MAX   128u
/* Other units of the same user named in a finding; the rest are counted. */
#define SAME_USER_NAMED_MAX 8u

typedef struct TasksHistory {
        UnitSlot slot;
        uint64_t last; /* time of the last sample */
        unsigned near; /* samples in a row at 90% of TasksMax= or more */
} TasksHistory;

typedef struct ThreadsDetector {
        Correlator *c;
        TasksHistory history[HISTORY_UNITS_MAX];
        uint64_t clock;
} ThreadsDetector;

/* What stopped the thread from being created, as far as the evidence tells. */
typedef enum ThreadLimit {
        LIMIT_UNKNOWN,
        LIMIT_TASKS_MAX,  /* the unit's cgroup reached pids.max */
        LIMIT_NPROC,      /* the user reached RLIMIT_NPROC */
        LIMIT_HOST,       /* nothing of the unit's: kernel.threads-max, pid_max, a slice */
        LIMIT_GO_PROGRAM, /* debug.SetMaxThreads: the program's own */
        LIMIT_GO_DEFAULT, /* Go's default of 10000 */
        LIMIT_GO,         /* the Go runtime's, of a size not said */
        LIMIT_REFUSED,    /* another errno: a system call filter */
        LIMIT_MEMORY,     /* ENOMEM: no memory for the thread or its stack */
        _THREAD_LIMIT_MAX,
} ThreadLimit;

static const char *const limit_names[_THREAD_LIMIT_MAX] = {
        [LIMIT_UNKNOWN] = NULL,
        [LIMIT_TASKS_MAX] = "TasksMax",
        [LIMIT_NPROC] = "LimitNPROC",
        [LIMIT_HOST] = "host",
        [LIMIT_GO_PROGRAM] = "debug.SetMaxThreads",
        [LIMIT_GO_DEFAULT] = "Go's default thread limit",
        [LIMIT_GO] = "Go's thread limit",
        [LIMIT_REFUSED] = "refused",
        [LIMIT_MEMORY] = "memory",
};

static bool near_limit(uint64_t n, uint64_t limit) {
        /* 90%, in integers; no limit (infinity) is never near. */
        return limit != UINT64_MAX && limit > 0 && n >= limit - limit / 10;
}

/* RLIMIT_NPROC binds neither root nor a process with CAP_SYS_RESOURCE or CAP_SYS_ADMIN
 * (kernel/fork.c); the soft limit is the one checked. */
static bool nproc_applies(const UnitKnowledge *k) {
        const char *user = k->settings ? unit_settings_user(k->settings) : NULL;
        return k->known && k->settings && k->settings->limit_nproc_soft != UINT64_MAX &&
               !streq(user, "root");
}

static bool tasks_max_set(const UnitKnowledge *k) {
        return k->known && k->settings && k->settings->tasks_max != UINT64_MAX;
}

static ThreadLimit which_limit(const UnitKnowledge *k, const GoThreadMessage *m) {
        if (m->kind == GO_THREAD_LIMIT)
                return m->limit == GO_MAX_THREADS_DEFAULT ? LIMIT_GO_DEFAULT : LIMIT_GO_PROGRAM;
        if (m->kind == GO_THREAD_FATAL_EXHAUSTION)
                return LIMIT_GO;
        if (m->errno_value == ENOMEM_VALUE)
                return LIMIT_MEMORY;
        if (m->errno_value >= 0 && m->errno_value != EAGAIN_VALUE)
                return LIMIT_REFUSED;
        /* EAGAIN: a limit on tasks. The runtime's count is its threads before the new one. */
        uint64_t tasks = m->threads >= 0 ? (uint64_t) m->threads + 1 : 0;
        if (tasks_max_set(k) && (m->threads < 0 || near_limit(tasks, k->settings->tasks_max)))
                return LIMIT_TASKS_MAX;
        if (nproc_applies(k))
                return LIMIT_NPROC;
        /* Other processes of the unit may hold the rest of its tasks. */
        if (tasks_max_set(k))
                return LIMIT_TASKS_MAX;
        return k->known ? LIMIT_HOST : LIMIT_UNKNOWN;
}

/* At least 256 and twice the limit, a power of two, at most kernel.pid_max's greatest value
 * (2^22): no more tasks can exist. */
static uint64_t suggest_limit(uint64_t limit) {
        uint64_t s = 256;
        while (s < 2 * limit && s < (UINT64_C(1) << 22))
                s *= 2;
        return s;
}

/* The other units of the unit's user, "a.service, b.service" ("" for none, and " and N more"
 * past SAME_USER_NAMED_MAX); NULL when not known. */
static char *same_user_text(Correlator *c, const char *unit, size_t *ret_n) {
        _cleanup_(strv_freep) char **units = NULL;
        if (correlator_same_user_units(c, unit, &units) < 0)
                return NULL;
        size_t n = strv_length(units), used = 0;
        char buf[1024] = "";
        for (size_t i = 0; i < n && i < SAME_USER_NAMED_MAX && used < sizeof buf; i++)
                used += (size_t) snprintf(buf + used, sizeof buf - used, "%s%s", i ? ", " : "", units[i]);
        if (n > SAME_USER_NAMED_MAX && used < sizeof buf)
                snprintf(buf + used, sizeof buf - used, " and %zu more", n - SAME_USER_NAMED_MAX);
        *ret_n = n;
        return strdup(buf);
}

/* How many times the runtime tried to create the thread on EAGAIN before it gave up
 * (../shared/reference/go-facts.md): cgo's pthread_create and, since Go 1.20 (retryOnEAGAIN),
 * clone try 20 times over about 210 ms; older Go's clone once. -1 when not known. */
static int64_t create_attempts(const UnitKnowledge *k, const GoThreadMessage *m) {
        unsigned major, minor;
        if (m->kind == GO_THREAD_PTHREAD_CREATE)
                return 20;
        if (m->kind != GO_THREAD_NEWOSPROC || !k->exe || !k->exe->have_buildinfo ||
            go_version_parse(k->exe->buildinfo.version, &major, &minor) < 0)
                return -1;
        return minor >= 20 ? 20 : 1;
}

static const char *const THREAD_USE =
        "Every goroutine blocked in a system call or a cgo call, or locked to its thread with "
        "runtime.LockOSThread, holds an OS thread of its own: if their number grows with the load "
        "without bound, a higher limit only delays the failure.";

/* The limits in force, for both classes. */
static void set_limit_evidence(ThreadsDetector *d, Finding *f, const char *unit, const UnitKnowledge *k,
                               char **ret_shared) {
        *ret_shared = NULL;
        if (k->kernel_threads_max > 0)
                (void) finding_set_u64(f, "kernel_threads_max", k->kernel_threads_max);
        if (k->tasks_sampled_at > 0 && k->tasks_current > 0) {
                (void) finding_set_u64(f, "TasksCurrent", k->tasks_current);
                (void) finding_set_usec(f, "tasks_sampled_at", k->tasks_sampled_at);
        }
        if (!k->known || !k->settings)
                return;
        const char *user = unit_settings_user(k->settings);
        (void) finding_set_u64(f, "TasksMax", k->settings->tasks_max);
        (void) finding_set_u64(f, "LimitNPROC", k->settings->limit_nproc);
        (void) finding_set_u64(f, "LimitNPROCSoft", k->settings->limit_nproc_soft);
        (void) finding_set_string(f, "User", user ?: "(dynamic)");
        if (!nproc_applies(k))
                return;
        size_t n = 0;
        char *shared = same_user_text(d->c, unit, &n);
        if (shared) {
                (void) finding_set_u64(f, "nproc_shared_units", n);
                if (n > 0)
                        (void) finding_set_string(f, "nproc_shared_with", shared);
        }
        *ret_shared = shared;
}

static void tasks_max_dropin(char *buf, size_t size, uint64_t n) {
        snprintf(buf, size, "[Service]\nTasksMax=%llu\n", (unsigned long long) n);
}

/* ---- thread-exhaustion ---- */

static void nproc_advice(Finding *f, const UnitKnowledge *k, const char *shared, const char *why) {
        char text[2048], dropin[64], others[1100] = "";
        uint64_t soft = k->settings->limit_nproc_soft;
        uint64_t n = suggest_limit(soft);
        const char *user = unit_settings_user(k->settings);
        if (shared && shared[0])
                snprintf(others, sizeof others, "; other units that run as %s now: %s", user, shared);
        else if (shared)
                snprintf(others, sizeof others, "; no other unit runs as %s now", user);
        snprintf(text, sizeof text,
                 "%sLimitNPROC=%llu (RLIMIT_NPROC) counts every process and thread of user %s on the "
                 "host, not only this unit's%s. Raise it; the drop-in allows %llu. %s",
                 why, (unsigned long long) soft, user, others, (unsigned long long) n, THREAD_USE);
        snprintf(dropin, sizeof dropin, "[Service]\nLimitNPROC=%llu\n", (unsigned long long) n);
        (void) finding_add_advice(f, ADVICE_DROPIN, text, dropin);
}

static void exhaustion_advice(Finding *f, const UnitKnowledge *k, const GoThreadMessage *m, ThreadLimit l,
                              const char *shared) {
        char text[1536], dropin[64], had[64] = "";
        if (m->threads >= 0)
                snprintf(had, sizeof had, " when it had %lld threads", (long long) m->threads);
        switch (l) {
        case LIMIT_GO_PROGRAM:
        case LIMIT_GO_DEFAULT:
        case LIMIT_GO: {
                char past[128];
                if (l == LIMIT_GO)
                        snprintf(past, sizeof past,
                                 "its thread limit (10000, unless the program set another with "
                                 "debug.SetMaxThreads)");
                else
                        snprintf(past, sizeof past, "%lld threads, %s", (long long) m->limit,
                                 l == LIMIT_GO_PROGRAM ? "the limit the program set with debug.SetMaxThreads"
                                                       : "the Go runtime's default limit");
                snprintf(text, sizeof text,
                         "The Go runtime stopped the program itself: it went past %s. The system refused "
                         "nothing: raising TasksMax= or LimitNPROC= will not help. Raise the program's "
                         "limit (debug.SetMaxThreads), or find out why it needs so many threads. %s",
                         past, THREAD_USE);
                (void) finding_add_advice(f, ADVICE_TEXT, text, NULL);
                return;
        }
        case LIMIT_REFUSED: {
                char with[48];
                snprintf(with, sizeof with, "%s (errno %lld)", errno_name(m->errno_value) ?: "an error",
                         (long long) m->errno_value);
                snprintf(text, sizeof text,
                         "The kernel refused the Go runtime a new thread with %s, not for a limit on "
                         "tasks: a SystemCallFilter= with SystemCallErrorNumber= that does not allow clone "
                         "or clone3 refuses it so. Allow them:",
                         with);
                (void) finding_add_advice(f, ADVICE_DROPIN, text, "[Service]\nSystemCallFilter=@process\n");
                return;
        }
        case LIMIT_TASKS_MAX: {
                uint64_t max = k->settings->tasks_max, n = suggest_limit(max);
                snprintf(text, sizeof text,
                         "The unit's cgroup reached TasksMax=%llu (its pids.max: processes and threads "
                         "together), and the kernel refused the Go runtime a new thread%s. Raise "
                         "TasksMax=; the drop-in allows %llu. %s",
                         (unsigned long long) max, had, (unsigned long long) n, THREAD_USE);
                tasks_max_dropin(dropin, sizeof dropin, n);
                (void) finding_add_advice(f, ADVICE_DROPIN, text, dropin);
                if (nproc_applies(k))
                        nproc_advice(f, k, shared, "If raising TasksMax= does not help: ");
                return;
        }
        case LIMIT_NPROC:
                nproc_advice(f, k, shared, "The kernel refused the Go runtime a new thread. ");
                return;
        case LIMIT_HOST: {
                char tmax[64] = "";
                if (k->kernel_threads_max > 0)
                        snprintf(tmax, sizeof tmax, " (%llu)", (unsigned long long) k->kernel_threads_max);
                snprintf(text, sizeof text,
                         "The kernel refused the Go runtime a new thread%s, and neither TasksMax= nor "
                         "LimitNPROC= of the unit limits it: the host's kernel.threads-max%s or "
                         "kernel.pid_max was reached, or the TasksMax= of a slice above the unit. Count "
                         "the host's threads and look at the slice:",
                         had, tmax);
                (void) finding_add_advice(f, ADVICE_COMMAND, text,
                                          "sysctl kernel.threads-max kernel.pid_max; ps -eLf --no-headers | "
                                          "wc -l; systemctl show -p TasksCurrent,TasksMax system.slice");
                (void) finding_add_advice(f, ADVICE_TEXT, THREAD_USE, NULL);
                return;
        }
        case LIMIT_MEMORY:
                snprintf(text, sizeof text,
                         "The kernel had no memory for a new thread or its stack (ENOMEM)%s: the unit's "
                         "MemoryMax= or the host's memory was exhausted, not a limit on tasks. %s",
                         had, THREAD_USE);
                (void) finding_add_advice(f, ADVICE_TEXT, text, NULL);
                return;
        default:
                /* Offline, or an errno we do not explain: the limits to look at, and a default. */
                snprintf(text, sizeof text,
                         "The Go runtime could not create a thread. The limits in force are not known here "
                         "(systemctl show -p TasksMax,TasksCurrent,LimitNPROC shows them); with EAGAIN it "
                         "is TasksMax=, LimitNPROC= or the host's kernel.threads-max. %s",
                         THREAD_USE);
                (void) finding_add_advice(f, ADVICE_DROPIN, text, "[Service]\nTasksMax=4096\n");
                return;
        }
}

/* "clone failed with EAGAIN at 39 threads, TasksMax=40" and the like. */
static void exhaustion_summary(Finding *f, const UnitKnowledge *k, const GoThreadMessage *m, ThreadLimit l) {
        char detail[192] = "", what[96] = "", lim[64] = "";
        const char *e = m->errno_value >= 0 ? errno_name(m->errno_value) : NULL;
        switch (m->kind) {
        case GO_THREAD_LIMIT:
                snprintf(detail, sizeof detail, "past %s of %lld threads",
                         l == LIMIT_GO_PROGRAM ? "its own limit (debug.SetMaxThreads)"
                                               : "Go's default limit",
                         (long long) m->limit);
                finding_update_summary(f, detail);
                return;
        case GO_THREAD_FATAL_EXHAUSTION:
                finding_update_summary(f, "past the Go runtime's thread limit");
                return;
        case GO_THREAD_PTHREAD_CREATE: snprintf(what, sizeof what, "pthread_create failed"); break;
        case GO_THREAD_NEWOSPROC: snprintf(what, sizeof what, "clone failed"); break;
        default: snprintf(what, sizeof what, "newosproc"); break;
        }
        if (e)
                snprintf(what + strlen(what), sizeof what - strlen(what), " with %s", e);
        else if (m->errno_value >= 0)
                snprintf(what + strlen(what), sizeof what - strlen(what), " with errno %lld",
                         (long long) m->errno_value);
        if (m->threads >= 0)
                snprintf(what + strlen(what), sizeof what - strlen(what), " at %lld threads",
                         (long long) m->threads);
        if (l == LIMIT_TASKS_MAX)
                snprintf(lim, sizeof lim, ", TasksMax=%llu", (unsigned long long) k->settings->tasks_max);
        else if (l == LIMIT_NPROC)
                snprintf(lim, sizeof lim, ", LimitNPROC=%llu of %s",
                         (unsigned long long) k->settings->limit_nproc_soft,
                         unit_settings_user(k->settings));
        snprintf(detail, sizeof detail, "%s%s", what, lim);
        finding_update_summary(f, detail);
}

static int feed_thread_line(ThreadsDetector *d, const JournalRecord *r, const UnitKnowledge *k,
                            const char *needle) {
        char key[192];
        JournalPosition posbuf;
        const JournalPosition *pos = journal_record_position(r, &posbuf);

        const char *at = memmem(r->message, r->message_len, needle, strlen(needle));
        GoThreadMessage m;
        if (!at || go_thread_message_parse(r->message, r->message_len, (size_t) (at - r->message), &m) < 0)
                return 0;
        /* The runtime's message, its hint and its throw(): one occurrence per invocation. */
        snprintf(key, sizeof key, "%s/inv/%s/threads", r->boot_id ?: "-", r->invocation_id ?: "-");
        Finding *f;
        bool added;
        int rr = correlator_count(d->c, FINDING_THREAD_EXHAUSTION, r->unit, key, r->invocation_id,
                                  r->realtime, pos, &f, &added);
        if (rr < 0)
                return rr;
        if (rr == 0) {
                /* The throw() after the message that was counted: the detail. */
                if ((m.kind != GO_THREAD_FATAL_NEWOSPROC && m.kind != GO_THREAD_FATAL_EXHAUSTION) ||
                    finding_get(f, "go_message_detail") ||
                    !streq(f->invocation_id, r->invocation_id ?: "") || !finding_get(f, "go_message"))
                        return 0; /* read again, the hint, or a third line */
                (void) finding_set_string_n(f, "go_message_detail", r->message + m.start, m.end - m.start);
                correlator_notify(d->c, f, false);
                return 0;
        }

        finding_set_common_evidence(f, r, k);
        (void) finding_set_string_n(f, "go_message", r->message + m.start, m.end - m.start);
        (void) finding_set_usec(f, "logged_at", r->realtime);
        if (m.threads >= 0)
                (void) finding_set_u64(f, "go_thread_count", (uint64_t) m.threads);
        if (m.errno_value >= 0)
                (void) finding_set_u64(f, "go_errno", (uint64_t) m.errno_value);
        if (m.limit >= 0)
                (void) finding_set_u64(f, "go_thread_limit", (uint64_t) m.limit);
        int64_t attempts = create_attempts(k, &m);
        if (attempts > 0 && m.errno_value == EAGAIN_VALUE)
                (void) finding_set_u64(f, "go_create_attempts", (uint64_t) attempts);
        _cleanup_free_ char *shared = NULL;
        set_limit_evidence(d, f, r->unit, k, &shared);
        ThreadLimit l = which_limit(k, &m);
        if (limit_names[l])
                (void) finding_set_string(f, "limit_reached", limit_names[l]);
        finding_clear_advice(f);
        exhaustion_advice(f, k, &m, l, shared);
        exhaustion_summary(f, k, &m, l);
        correlator_notify(d->c, f, added);
        return 1;
}

/* ---- tasks-near-limit ---- */

static int threads_on_sample(void *state, const char *unit, const UnitSample *s) {
        ThreadsDetector *d = state;
        if (s->tasks_current == 0)
                return 0; /* not read */
        UnitKnowledge k;
        correlator_lookup(d->c, unit, &k);
        if (!k.known || !correlator_wanted(d->c, &k) || !tasks_max_set(&k))
                return 0;
        /* The unit's history for this invocation. */
        TasksHistory *h = unit_slot_get(d->history, HISTORY_UNITS_MAX, sizeof d->history[0], &d->clock, unit,
                                        s->invocation_id);
        if (h->last && s->realtime <= h->last)
                return 0; /* the same sample again, or time went back */
        h->last = s->realtime;
        uint64_t max = k.settings->tasks_max;
        if (!near_limit(s->tasks_current, max)) {
                h->near = 0;
                return 0;
        }
        if (++h->near < NEAR_SAMPLES_MIN)
                return 0;

        Finding *f;
        bool added;
        char key[192];
        snprintf(key, sizeof key, "%s/inv/%s/tasks", s->boot_id ?: "-", s->invocation_id ?: "-");
        int rr = correlator_count(d->c, FINDING_TASKS_NEAR_LIMIT, unit, key, s->invocation_id, s->realtime,
                                  NULL, &f, &added);
        if (rr < 0)
                return rr;
        const Evidence *prev = finding_get(f, "TasksCurrent");
        if (rr == 0 && prev && prev->u == s->tasks_current && finding_get(f, "TasksMax") &&
            finding_get(f, "TasksMax")->u == max)
                return 0; /* nothing new */
        if (rr > 0) {
                JournalRecord r = { .source = JOURNAL_SOURCE_KMSG,
                                    .realtime = s->realtime,
                                    .boot_id = s->boot_id };
                finding_set_common_evidence(f, &r, &k);
        }
        /* This sample's figures, not the last ones the lookup knows. */
        k.tasks_current = s->tasks_current;
        k.tasks_sampled_at = s->realtime;
        _cleanup_free_ char *shared = NULL;
        set_limit_evidence(d, f, unit, &k, &shared);
        (void) finding_set_u64(f, "tasks_near_samples", h->near);

        char text[1536], dropin[64], detail[128];
        uint64_t pct = s->tasks_current * 100 / max, n = suggest_limit(max);
        snprintf(text, sizeof text,
                 "The unit's cgroup holds %llu tasks (processes and threads), %llu%% of TasksMax=%llu, at "
                 "%u samples in a row. When it reaches the limit the kernel refuses the Go runtime a new "
                 "thread and the program dies (\"fatal error: newosproc\"). Raise TasksMax= before it "
                 "does; the drop-in allows %llu. %s",
                 (unsigned long long) s->tasks_current, (unsigned long long) pct, (unsigned long long) max,
                 h->near, (unsigned long long) n, THREAD_USE);
        tasks_max_dropin(dropin, sizeof dropin, n);
        finding_clear_advice(f);
        (void) finding_add_advice(f, ADVICE_DROPIN, text, dropin);
        snprintf(detail, sizeof detail, "%llu of %llu tasks (%llu%%)", (unsigned long long) s->tasks_current,
                 (unsigned long long) max, (unsigned long long) pct);
        finding_update_summary(f, detail);
        correlator_notify(d->c, f, added);
        return 1;
}

/* ---- the Detector ---- */

static int threads_init(Correlator *c, void *state) {
        ThreadsDetector *d = state;
        d->c = c;
        return 0;
}

static int threads_on_unit_line(void *state, const JournalRecord *r, const char *needle) {
        ThreadsDetector *d = state;
        UnitKnowledge k;
        if (!correlator_lookup_wanted(d->c, r->unit, &k))
                return 0;
        return feed_thread_line(d, r, &k, needle);
}

const Detector detector_threads = {
        .family = "threads",
        .classes = classes,
        .unit_needles = unit_needles,
        .state_size = sizeof(ThreadsDetector),
        .init = threads_init,
        .on_unit_line = threads_on_unit_line,
        .on_sample = threads_on_sample,
};
