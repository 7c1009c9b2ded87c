/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The correlator's test harness: a store, units the lookup knows, and journal records made the
 * way journald would write them (each with its cursor and its place in the journal). */
#pragma once

#include <stdio.h>
#include <string.h>

#include "correlate.h"
#include "evidence-key.h"
#include "finding-state.h"
#include "strv.h"
#include "test-util.h"

#include "fixture-oom-v1.h"
#define BOX_SUMMARY_INDEX (ELEMENTSOF(box_v1) - 2)

#define SEC     1000000ull
#define T0      (1700000000ull * SEC)
#define BOOT_ID "b007b007b007b007b007b007b007b007"
#define INV1    "11111111111111111111111111111111"
#define INV2    "22222222222222222222222222222222"
#define INV3    "33333333333333333333333333333333"
#define GOMEM   "gomem.service"

typedef struct TestUnit {
        const char *name;
        bool is_go;
        UnitSettings settings;
        GoExe exe;
        bool have_exe;
        char version[32];
        char **env;
        char **env_files;
        const char *exe_comm;
        uint64_t tasks_current, tasks_sampled_at, kernel_threads_max;
        bool listen_read; /* runs-as-root: its main process's listening sockets */
        uint32_t listen_sockets;
        uint16_t listen_port_min;
} TestUnit;

typedef struct Ctx {
        FindingStore store;
        Correlator *c;
        TestUnit units[4];
        size_t n_units;
        bool include_non_go;
        unsigned n_added, n_updated, n_lookups;
        unsigned cursor;
        /* A record's place in the journal follows from its time, so a record read again is at
         * the same place; otherwise from the order records are fed in. */
        bool positions_from_time;
        /* What the same_user callback answers, when set: the other units of a unit's user. */
        const char *const *same_user_units;
        /* What the network stack answers the network detectors (NULL: offline). */
        NetProbeFunc net_probe;
        /* Security denials: the units walked and pids resolved (live), when set. */
        bool live_units;
        struct {
                uint32_t pid;
                const char *unit;
        } pid_units[4];
        uint32_t pid_via; /* the via_pid of the last pid_unit call */
        const HostFacts *host_facts;
        /* The checks run apart (as goguardd runs them): the checks asked for, the last one's unit. */
        bool checks_apart;
        unsigned n_check_requests;
        char check_requested[64];
} Ctx;

static inline int lookup(void *userdata, const char *unit, UnitKnowledge *ret) {
        Ctx *x = userdata;
        x->n_lookups++;
        for (size_t i = 0; i < x->n_units; i++) {
                TestUnit *u = &x->units[i];
                if (strcmp(u->name, unit) != 0)
                        continue;
                *ret = (UnitKnowledge){
                        .known = true,
                        .is_go = u->is_go,
                        .settings = &u->settings,
                        .exe = u->have_exe ? &u->exe : NULL,
                        .process_environment = u->env,
                        .environment_files = u->env_files,
                        .exe_comm = u->exe_comm,
                        .tasks_current = u->tasks_current,
                        .tasks_sampled_at = u->tasks_sampled_at,
                        .kernel_threads_max = u->kernel_threads_max,
                        .listen_read = u->listen_read,
                        .listen_sockets = u->listen_sockets,
                        .listen_port_min = u->listen_port_min,
                };
                return 0;
        }
        return -ENOENT;
}

static inline void notify(void *userdata, Finding *f, bool added) {
        Ctx *x = userdata;
        ck_assert_ptr_nonnull(f);
        ck_assert_ptr_eq(finding_store_get(&x->store, f->id), f);
        /* Every key a detector sets is declared, with its type (lib/evidence-key.c). */
        const char *bad = NULL;
        ck_assert_msg(finding_check_evidence(f, &bad) == 0,
                      "evidence key %s is undeclared or of another type", bad);
        if (added)
                x->n_added++;
        else
                x->n_updated++;
}

static inline int same_user(void *userdata, const char *unit, char ***ret) {
        Ctx *x = userdata;
        (void) unit;
        char **l = calloc(1, sizeof(char *));
        if (!l)
                return -ENOMEM;
        for (size_t i = 0; x->same_user_units[i]; i++)
                if (strv_extend(&l, x->same_user_units[i]) < 0) {
                        strv_free(l);
                        return -ENOMEM;
                }
        *ret = l;
        return 0;
}

static inline int for_each_unit(void *userdata, CorrelatorUnitVisit visit, void *ctx) {
        Ctx *x = userdata;
        for (size_t i = 0; i < x->n_units; i++) {
                UnitKnowledge k;
                ck_assert_int_eq(lookup(x, x->units[i].name, &k), 0);
                int r = visit(ctx, x->units[i].name, &k);
                if (r != 0)
                        return r;
        }
        return 0;
}

static inline int pid_unit(void *userdata, uint32_t via_pid, uint32_t pid, char **ret) {
        Ctx *x = userdata;
        x->pid_via = via_pid;
        for (size_t i = 0; i < ELEMENTSOF(x->pid_units); i++)
                if (x->pid_units[i].pid == pid && x->pid_units[i].unit) {
                        *ret = strdup(x->pid_units[i].unit);
                        return *ret ? 0 : -ENOMEM;
                }
        return -ESRCH;
}

static inline void request_check(void *userdata, const char *unit) {
        Ctx *x = userdata;
        x->n_check_requests++;
        snprintf(x->check_requested, sizeof x->check_requested, "%s", unit);
}

static inline void ctx_start(Ctx *x) {
        ck_assert_int_eq(correlator_new(&x->store,
                                        &(CorrelatorOptions){
                                                .lookup = lookup,
                                                .notify = notify,
                                                .same_user = x->same_user_units ? same_user : NULL,
                                                .userdata = x,
                                                .include_non_go = x->include_non_go,
                                                .net_probe = x->net_probe,
                                                .for_each_unit = x->live_units ? for_each_unit : NULL,
                                                .pid_unit = x->live_units ? pid_unit : NULL,
                                                .host_facts = x->host_facts,
                                                .request_check = x->checks_apart ? request_check : NULL },
                                        &x->c),
                         0);
}

static inline void ctx_init(Ctx *x) {
        *x = (Ctx){};
        ck_assert_int_eq(finding_store_init(&x->store), 0);
        ctx_start(x);
}

/* A Go unit under MemoryMax=40M, Restart=on-failure, OOMPolicy=stop, built with go1.19.8. */
static inline TestUnit *add_unit(Ctx *x, const char *name) {
        ck_assert_uint_lt(x->n_units, ELEMENTSOF(x->units));
        TestUnit *u = &x->units[x->n_units++];
        *u = (TestUnit){ .name = name, .is_go = true, .have_exe = true, .exe_comm = "gofix-cgo" };
        u->exe.signal_notify = u->exe.signal_ignore = -1; /* not known, as without section headers */
        unit_settings_init(&u->settings);
        u->settings.memory_max = 40ull << 20;
        u->settings.restart = strdup("on-failure");
        u->settings.oom_policy = strdup("stop");
        ck_assert_ptr_nonnull(u->settings.restart);
        ck_assert_ptr_nonnull(u->settings.oom_policy);
        snprintf(u->version, sizeof u->version, "go1.19.8");
        u->exe.is_go = true;
        u->exe.have_buildinfo = true;
        u->exe.buildinfo.version = u->version;
        return u;
}

static inline void set_restart(TestUnit *u, const char *restart, const char *policy) {
        free(u->settings.restart);
        free(u->settings.oom_policy);
        u->settings.restart = restart ? strdup(restart) : NULL;
        u->settings.oom_policy = policy ? strdup(policy) : NULL;
}

static inline void ctx_done(Ctx *x) {
        correlator_free(x->c);
        finding_store_done(&x->store);
        for (size_t i = 0; i < x->n_units; i++) {
                unit_settings_done(&x->units[i].settings);
                strv_free(x->units[i].env);
                strv_free(x->units[i].env_files);
        }
}

static inline int feed(Ctx *x, JournalRecord r) {
        char cursor[64];
        snprintf(cursor, sizeof cursor, "s=abc;i=%x", ++x->cursor);
        if (!r.boot_id)
                r.boot_id = BOOT_ID;
        if (r.source != JOURNAL_SOURCE_KMSG) { /* /dev/kmsg has no cursors, nor journal positions */
                r.cursor = cursor;
                /* journald stamps entries in the order it writes them. */
                if (!r.journal_monotonic)
                        r.journal_monotonic = x->positions_from_time ? r.realtime - T0 + 1 : x->cursor;
        }
        if (r.message && !r.message_len)
                r.message_len = strlen(r.message);
        int k = correlator_feed(x->c, &r);
        ck_assert_int_ge(k, 0);
        return k;
}

static inline int kernel(Ctx *x, uint64_t t, const char *msg) {
        return feed(x, (JournalRecord){ .source = JOURNAL_SOURCE_KERNEL, .realtime = t, .message = msg });
}

/* The same line read live from /dev/kmsg. */
static inline int live(Ctx *x, uint64_t t, const char *msg) {
        return feed(x, (JournalRecord){ .source = JOURNAL_SOURCE_KMSG, .realtime = t, .message = msg });
}

static inline int pid1(Ctx *x, uint64_t t, const char *unit, const char *inv, const char *message_id,
                       const char *msg) {
        return feed(x, (JournalRecord){ .source = JOURNAL_SOURCE_PID1,
                                        .realtime = t,
                                        .unit = unit,
                                        .invocation_id = inv,
                                        .message_id = message_id,
                                        .message = msg });
}

static inline int started(Ctx *x, uint64_t t, const char *unit, const char *inv) {
        char msg[300];
        snprintf(msg, sizeof msg, "Started %s.", unit);
        return pid1(x, t, unit, inv, MESSAGE_ID_UNIT_STARTED, msg);
}

/* PID 1's "Main process exited, code=CODE, status=STATUS/NAME". */
static inline int main_exited(Ctx *x, uint64_t t, const char *unit, const char *inv, const char *code,
                              const char *status, const char *name) {
        char msg[300];
        snprintf(msg, sizeof msg, "%s: Main process exited, code=%s, status=%s/%s", unit, code, status,
                 name);
        return feed(x, (JournalRecord){ .source = JOURNAL_SOURCE_PID1,
                                        .realtime = t,
                                        .unit = unit,
                                        .invocation_id = inv,
                                        .message_id = MESSAGE_ID_UNIT_PROCESS_EXIT,
                                        .message = msg,
                                        .exit_code = code,
                                        .exit_status = status });
}

static inline int exited_killed(Ctx *x, uint64_t t, const char *unit, const char *inv) {
        return main_exited(x, t, unit, inv, "killed", "9", "KILL");
}

static inline int failed_result(Ctx *x, uint64_t t, const char *unit, const char *inv, const char *result) {
        char msg[300];
        snprintf(msg, sizeof msg, "%s: Failed with result '%s'.", unit, result);
        return feed(x, (JournalRecord){ .source = JOURNAL_SOURCE_PID1,
                                        .realtime = t,
                                        .unit = unit,
                                        .invocation_id = inv,
                                        .message_id = MESSAGE_ID_UNIT_FAILURE_RESULT,
                                        .message = msg,
                                        .unit_result = result });
}

static inline int unit_oom(Ctx *x, uint64_t t, const char *unit, const char *inv) {
        char msg[300];
        snprintf(msg, sizeof msg, "%s: A process of this unit has been killed by the OOM killer.", unit);
        return pid1(x, t, unit, inv, MESSAGE_ID_UNIT_OOM, msg);
}

static inline int unit_output(Ctx *x, uint64_t t, const char *unit, const char *inv, const char *msg) {
        return feed(x, (JournalRecord){ .source = JOURNAL_SOURCE_UNIT,
                                        .realtime = t,
                                        .unit = unit,
                                        .invocation_id = inv,
                                        .message = msg });
}

/* The fixture's kernel lines, 1 ms apart from t; returns the time of the summary line. */
static inline uint64_t box_kill(Ctx *x, uint64_t t) {
        for (size_t i = 0; i < ELEMENTSOF(box_v1); i++)
                kernel(x, t + i * 1000, box_v1[i]);
        return t + BOX_SUMMARY_INDEX * 1000;
}

/* The lines of one kill of pid in cgroup (NULL: no summary line, as when it is rate-limited),
 * from the journal or read live. */
static inline void kill_lines_from(Ctx *x, JournalSource source, uint64_t t, uint32_t pid, const char *comm,
                                   const char *cgroup, bool global) {
        int (*line_at)(Ctx *, uint64_t, const char *) = source == JOURNAL_SOURCE_KMSG ? live : kernel;
        char line[512];
        snprintf(line, sizeof line,
                 "%s invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0", comm);
        line_at(x, t, line);
        if (!global)
                line_at(x, t + 1000, "memory: usage 40960kB, limit 40960kB, failcnt 9");
        if (cgroup) {
                snprintf(line, sizeof line,
                         "oom-kill:constraint=%s,nodemask=(null),cpuset=/,mems_allowed=0,%s%s,"
                         "task_memcg=%s,task=%s,pid=%u,uid=0",
                         global ? "CONSTRAINT_NONE" : "CONSTRAINT_MEMCG",
                         global ? "global_oom" : "oom_memcg=", global ? "" : cgroup, cgroup, comm, pid);
                line_at(x, t + 2000, line);
        }
        snprintf(line, sizeof line,
                 "%s: Killed process %u (%s) total-vm:1009160kB, anon-rss:%ukB, file-rss:2752kB, "
                 "shmem-rss:0kB, UID:0 pgtables:212kB oom_score_adj:0",
                 global ? "Out of memory" : "Memory cgroup out of memory", pid, comm, 40000 + pid % 1000);
        line_at(x, t + 3000, line);
}

static inline void kill_lines(Ctx *x, uint64_t t, uint32_t pid, const char *comm, const char *cgroup,
                              bool global) {
        kill_lines_from(x, JOURNAL_SOURCE_KERNEL, t, pid, comm, cgroup, global);
}

static inline const Evidence *ev(const Finding *f, const char *key) {
        const Evidence *e = finding_get(f, key);
        ck_assert_msg(e, "finding %s has no evidence %s", finding_class_info(f->class)->name, key);
        return e;
}

static inline uint64_t ev_u64(const Finding *f, const char *key) {
        const Evidence *e = ev(f, key);
        ck_assert_int_eq(e->type, EVIDENCE_U64);
        return e->u;
}

static inline const char *ev_str(const Finding *f, const char *key) {
        const Evidence *e = ev(f, key);
        ck_assert_int_eq(e->type, EVIDENCE_STRING);
        return e->s;
}

static inline bool ev_bool(const Finding *f, const char *key) {
        const Evidence *e = ev(f, key);
        ck_assert_int_eq(e->type, EVIDENCE_BOOL);
        return e->u;
}

static inline size_t n_findings(Ctx *x) {
        return finding_store_count(&x->store, NULL, _FINDING_STATE_INVALID);
}

/* The open finding of (c, unit, discriminator d: NULL for none). */
static inline Finding *the_finding_d(Ctx *x, FindingClass c, const char *unit, const char *d) {
        Finding *f = finding_store_find_active_d(&x->store, c, unit, d);
        ck_assert_msg(f, "no %s finding (%s) for %s", finding_class_info(c)->name, d ?: "-", unit);
        ck_assert_int_eq(f->state, FINDING_OPEN);
        ck_assert_str_eq(f->unit, unit);
        ck_assert_ptr_nonnull(f->summary);
        ck_assert_uint_ge(f->count, 1);
        ck_assert_uint_le(f->first_seen, f->last_seen);
        return f;
}

static inline Finding *the_finding(Ctx *x, FindingClass c, const char *unit) {
        return the_finding_d(x, c, unit, NULL);
}

static inline const Advice *advice_with(const Finding *f, AdviceKind kind, const char *needle) {
        for (size_t i = 0; i < f->n_advice; i++)
                if (f->advice[i].kind == kind &&
                    (!needle || strstr(f->advice[i].text, needle) ||
                     (f->advice[i].snippet && strstr(f->advice[i].snippet, needle))))
                        return &f->advice[i];
        return NULL;
}

/* The text and the snippet of the finding's advice number i. */
static inline const char *advice_text_at(const Finding *f, size_t i) {
        ck_assert_uint_lt(i, f->n_advice);
        return f->advice[i].text;
}

static inline const char *advice_snippet_at(const Finding *f, size_t i) {
        ck_assert_uint_lt(i, f->n_advice);
        return f->advice[i].snippet;
}

/* The drop-in that sets GOMEMLIMIT, if any. */
static inline const char *gomemlimit_dropin(const Finding *f) {
        for (size_t i = 0; i < f->n_advice; i++)
                if (f->advice[i].kind == ADVICE_DROPIN && f->advice[i].snippet &&
                    strstr(f->advice[i].snippet, "GOMEMLIMIT="))
                        return f->advice[i].snippet;
        return NULL;
}
