/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The memory family: oom-kill, global-oom, oomd-kill, go-runtime-oom, oom-restart-gap. The kernel's
 * OOM records (from the journal and /dev/kmsg), PID 1's account of the kills (cgroup v2 OOM
 * reports, SIGKILL exits, results, systemd-oomd), and the Go runtime's own out-of-memory messages,
 * correlated with the unit's memory settings and GOMEMLIMIT. */
#include <stdio.h>
#include <string.h>

#include "detector.h"
#include "go-env.h"
#include "hex.h"
#include "memory-advice.h"
#include "parse-util.h"
#include "unit-name.h"

/* The Go runtime's own out-of-memory messages on the unit's stderr (runtime/malloc.go,
 * runtime/mem_linux.go), in the order a line is tried for them. */
static const char *const go_oom[] = {
        "fatal error: runtime: out of memory",
        "runtime: out of memory: cannot allocate ",
        "fatal error: runtime: cannot allocate memory",
        "fatal error: out of memory",
        "fatal error: runtime: cannot map pages in arena address space",
        NULL,
};

static const char *const pid1_message_ids[] = {
        MESSAGE_ID_UNIT_OOM,
        MESSAGE_ID_UNIT_OOMD_KILL,
        MESSAGE_ID_UNIT_PROCESS_EXIT,
        MESSAGE_ID_UNIT_FAILURE_RESULT,
        NULL,
};

static const FindingClass classes[] = {
        FINDING_OOM_KILL,       FINDING_GLOBAL_OOM,      FINDING_OOMD_KILL,
        FINDING_GO_RUNTIME_OOM, FINDING_OOM_RESTART_GAP, _FINDING_CLASS_INVALID,
};

/* How far apart the kernel's lines of one kill, and PID 1's report of it, may be. */
#define MERGE_WINDOW_USEC     (5 * 1000000ull)
#define ATTRIBUTE_WINDOW_USEC (3 * 1000000ull)
#define RECENT_MAX            64u
#define PENDING_MAX           32u
#define EXITS_MAX             16u
/* A kill's line may carry a time a little after the exit of the process it killed: the kernel's
 * clock and CLOCK_MONOTONIC drift apart, and journald stamps the line when it reads it. */
#define EXIT_SLACK_USEC       (50 * 1000ull)

/* A kill already turned into an occurrence, to merge the other lines about it. */
typedef struct RecentKill {
        uint32_t pid; /* kernel pid; 0 when PID 1 reported it without one */
        char unit[UNIT_NAME_MAX + 1];
        char finding_id[33];
        char invocation_id[33]; /* of the process killed, "" if not known */
        uint64_t realtime;
        bool claimed; /* PID 1's (or the bus's) word on a main process's SIGKILL exit was this kill */
} RecentKill;

/* A "Killed process" line without a cgroup (its summary was rate-limited away). */
typedef struct PendingKill {
        KernelOomRecord rec;
        char unit[UNIT_NAME_MAX + 1]; /* from the cgroup; "" when only the comm is known */
        bool global;
        uint64_t kernel_limit_kb;
        uint64_t realtime;
        char boot_id[33];
        char cursor[256];
        JournalPosition pos; /* of its line, when that came from the journal */
        bool has_pos;
        /* Only the comm known, and no unit whose executable has that comm died then: the one
         * unit PID 1 said died of SIGKILL right after it (its settings unknown, say it is gone
         * since), to tie it to by time when the window closes. Never when two units fit. */
        char time_unit[UNIT_NAME_MAX + 1];
        char time_invocation[33];
        char time_cursor[256];
        uint64_t time_realtime, time_monotonic;
        bool time_ambiguous;
} PendingKill;

/* A unit's main process that died of SIGKILL (PID 1's message, or the unit's live state on the
 * bus), for a "Killed process" line without a cgroup that is read after it: PID 1's message
 * often reaches the journal before the kernel's line, and the bus before /dev/kmsg. */
typedef struct RecentExit {
        char unit[UNIT_NAME_MAX + 1];
        char invocation_id[33];
        char boot_id[33];
        char cursor[256];
        /* What PID 1 said about it before the kill's line came: evidence for the kill then. */
        char exit_message[512];
        char unit_result[32];
        uint64_t realtime;
        bool live;
        bool attributed; /* a kill was this exit; another word about it adds nothing */
} RecentExit;

/* What the kernel's earlier lines of a kill said, for its later lines: "memory: usage ...,
 * limit ..." precedes the summary; "Task in X killed as a result of limit of Y" (old kernels)
 * precedes "Killed process". One per stream of kernel lines (journal, /dev/kmsg): the daemon
 * reads both, interleaved, and their lines must not mix. */
typedef struct KernelContext {
        uint64_t limit_kb, limit_realtime;
        char *task_in_memcg;
        uint64_t task_in_realtime;
} KernelContext;

typedef struct MemoryDetector {
        Correlator *c;
        FindingStore *store;
        RecentKill recent[RECENT_MAX];
        size_t recent_next;
        PendingKill pending[PENDING_MAX];
        size_t n_pending;
        KernelContext kernel[2]; /* [0] the journal's kernel lines, [1] /dev/kmsg's */
        RecentExit exits[EXITS_MAX];
        size_t exits_next;
} MemoryDetector;

/* What the correlator knows of the unit, and whether findings about it are wanted. */
static bool lookup_wanted(MemoryDetector *d, const char *unit, UnitKnowledge *k) {
        correlator_lookup(d->c, unit, k);
        return correlator_wanted(d->c, k);
}

/* Whether an exit at exit_time can be the end of a kill at kill_time. */
static bool exit_follows_kill(uint64_t kill_time, uint64_t exit_time) {
        return exit_time + EXIT_SLACK_USEC >= kill_time && exit_time <= kill_time + ATTRIBUTE_WINDOW_USEC;
}

static void remember_kill(MemoryDetector *d, uint32_t pid, const char *unit, const Finding *f,
                          uint64_t when) {
        RecentKill *k = &d->recent[d->recent_next];
        d->recent_next = (d->recent_next + 1) % RECENT_MAX;
        *k = (RecentKill){ .pid = pid, .realtime = when };
        snprintf(k->unit, sizeof k->unit, "%s", unit);
        memcpy(k->finding_id, f->id, 33);
        memcpy(k->invocation_id, f->invocation_id, 33); /* record_kill() just set it */

        /* PID 1's word on the exit may have come first: the earliest exit of the unit that this
         * kill explains is spoken for, and cannot claim a later kill of the unit. */
        RecentExit *first = NULL;
        for (size_t i = 0; i < EXITS_MAX; i++) {
                RecentExit *e = &d->exits[i];
                if (e->attributed || !streq(e->unit, unit) || !exit_follows_kill(when, e->realtime))
                        continue;
                if (!first || e->realtime < first->realtime)
                        first = e;
        }
        if (first) {
                first->attributed = true;
                k->claimed = true;
        }
}

static RecentKill *find_kill(MemoryDetector *d, uint32_t pid, const char *unit, uint64_t when) {
        for (size_t i = 0; i < RECENT_MAX; i++) {
                RecentKill *k = &d->recent[i];
                if (k->realtime == 0 || (when > k->realtime + MERGE_WINDOW_USEC) ||
                    (k->realtime > when + MERGE_WINDOW_USEC))
                        continue;
                if (pid && k->pid && k->pid == pid)
                        return k;
                if ((!pid || !k->pid) && unit && strcmp(k->unit, unit) == 0)
                        return k;
        }
        return NULL;
}

static void restart_gap(MemoryDetector *d, const char *unit, const UnitKnowledge *k, const JournalRecord *r,
                        const char *key, const JournalPosition *pos, bool unit_result_oom) {
        if (!k->known || !k->settings || !k->settings->restart)
                return;
        const char *restart = k->settings->restart;
        bool gap = strcmp(restart, "no") == 0 ||
                   (strcmp(restart, "on-abort") == 0 && unit_result_oom &&
                    (!k->settings->oom_policy || strcmp(k->settings->oom_policy, "continue") != 0));
        if (!gap)
                return;
        Finding *f;
        bool added;
        if (correlator_count(d->c, FINDING_OOM_RESTART_GAP, unit, key, r->invocation_id, r->realtime, pos,
                             &f, &added) <= 0)
                return;
        finding_set_common_evidence(f, r, k);
        finding_clear_advice(f);
        char buf[512];
        snprintf(buf, sizeof buf,
                 "Restart=%s: after an OOM kill %s. Restart=on-failure restarts after every OOM kill "
                 "(and OOMPolicy=stop, the default, makes the result 'oom-kill').",
                 restart,
                 strcmp(restart, "no") == 0 ? "the service stays down"
                                            : "the result is 'oom-kill', which on-abort does not restart");
        (void) finding_add_advice(f, ADVICE_DROPIN, buf, "[Service]\nRestart=on-failure\n");
        finding_update_summary(f, restart);
        correlator_notify(d->c, f, added);
}

/* One kill of a unit's process by the kernel or by PID 1's account of it. */
/* How a kill was tied to its unit, for the finding's attributed_by. */
#define BY_CGROUP  "cgroup"  /* the kernel named the unit's cgroup */
#define BY_SYSTEMD "systemd" /* PID 1 reported the unit's OOM kill (cgroup v2) */
#define BY_COMM    "comm"    /* the unit's executable's comm, and PID 1's or the bus's SIGKILL exit */
#define BY_TIME    "time"    /* the one unit whose SIGKILL exit PID 1 reported right after */

static int record_kill(MemoryDetector *d, const char *unit, const JournalRecord *r,
                       const KernelOomRecord *rec, const char *key, const JournalPosition *pos, bool global,
                       uint64_t kernel_limit, const char *how) {
        UnitKnowledge k;
        if (!lookup_wanted(d, unit, &k))
                return 0;

        Finding *f;
        bool added;
        /* A live record is ahead of PID 1's messages in the journal: the unit's state is newer. */
        const char *live_inv =
                k.known && k.settings && k.settings->invocation_id[0] ? k.settings->invocation_id : NULL;
        const char *inv = r->invocation_id;
        if (!inv && r->source == JOURNAL_SOURCE_KMSG)
                inv = live_inv;
        if (!inv)
                inv = correlator_known_invocation(d->c, unit) ?: live_inv;
        int rr = correlator_count(d->c, global ? FINDING_GLOBAL_OOM : FINDING_OOM_KILL, unit, key, inv,
                                  r->realtime, pos, &f, &added);
        if (rr <= 0)
                return rr; /* read again: already counted */

        finding_set_common_evidence(f, r, &k);
        if (rec) {
                if (rec->has_pid)
                        (void) finding_set_u64(f, "kernel_pid", rec->pid);
                if (rec->comm[0])
                        (void) finding_set_string(f, "comm", rec->comm);
                if (rec->task_memcg)
                        (void) finding_set_string(f, "task_memcg", rec->task_memcg);
                if (rec->oom_memcg)
                        (void) finding_set_string(f, "oom_memcg", rec->oom_memcg);
                if (rec->constraint)
                        (void) finding_set_string(f, "constraint", rec->constraint);
                if (rec->has_rss) {
                        (void) finding_set_u64(f, "anon_rss_kb", rec->anon_rss_kb);
                        (void) finding_set_u64(f, "total_vm_kb", rec->total_vm_kb);
                }
        }
        (void) finding_set_usec(f, "killed_at", r->realtime);
        (void) finding_set_string(f, "attributed_by", how);
        if (kernel_limit)
                (void) finding_set_u64(f, "kernel_limit_kb", kernel_limit);
        if (global) {
                finding_clear_advice(f);
                (void) finding_add_advice(
                        f, ADVICE_DROPIN,
                        "The whole system ran out of memory and the kernel chose this service. Give it a "
                        "memory limit and a GOMEMLIMIT below it, so it is contained and its garbage "
                        "collector works before the system runs out; or make the kernel prefer others.",
                        "[Service]\nMemoryMax=<limit>\nEnvironment=GOMEMLIMIT=<90% of the limit>\n"
                        "OOMScoreAdjust=-100\n");
                finding_update_summary(f, rec && rec->comm[0] ? rec->comm : NULL);
        } else {
                memory_advice(f, &k, kernel_limit);
                memory_summary(f);
        }
        remember_kill(d, rec && rec->has_pid ? rec->pid : 0, unit, f, r->realtime);
        correlator_notify(d->c, f, added);
        if (!global)
                restart_gap(d, unit, &k, r, key, pos, false);
        return 1;
}

/* The limit the kernel printed for the kill whose line r is, if its "memory: usage" line came
 * just before. */
static uint64_t kernel_limit_at(const KernelContext *kc, const JournalRecord *r) {
        return kc->limit_realtime && r->realtime >= kc->limit_realtime &&
                               r->realtime - kc->limit_realtime < MERGE_WINDOW_USEC
                       ? kc->limit_kb
                       : 0;
}

/* A kill waiting for PID 1: unit is "" when only the comm is known. Takes rec's contents. */
static void queue_pending(MemoryDetector *d, KernelOomRecord *rec, const char *unit, bool global,
                          uint64_t kernel_limit, const JournalRecord *r) {
        if (d->n_pending == PENDING_MAX) {
                kernel_oom_record_done(&d->pending[0].rec);
                memmove(d->pending, d->pending + 1, sizeof d->pending[0] * (PENDING_MAX - 1));
                d->n_pending--;
        }
        PendingKill *p = &d->pending[d->n_pending++];
        *p = (PendingKill){
                .rec = *rec, .global = global, .kernel_limit_kb = kernel_limit, .realtime = r->realtime
        };
        *rec = (KernelOomRecord){};
        snprintf(p->unit, sizeof p->unit, "%s", unit ?: "");
        snprintf(p->boot_id, sizeof p->boot_id, "%s", r->boot_id ?: "");
        snprintf(p->cursor, sizeof p->cursor, "%s", journal_record_cursor(r) ?: "");
        p->has_pos = journal_record_position(r, &p->pos) != NULL;
}

static void drop_pending(MemoryDetector *d, size_t i) {
        kernel_oom_record_done(&d->pending[i].rec);
        memmove(d->pending + i, d->pending + i + 1, sizeof d->pending[0] * (d->n_pending - i - 1));
        d->n_pending--;
}

/* Pending kills whose PID 1 confirmation never came are not this journal's units (the kernel's
 * ring buffer outlives a container's journal, and a cgroup path outlives a unit). */
static int record_pending(MemoryDetector *d, size_t i, const JournalRecord *r, const char *how);

/* Pending kills whose window closed: a kill with only its comm that exactly one unit's SIGKILL
 * exit fits is that unit's (by time); the rest are dropped. Returns the findings updated. */
static int expire_pending(MemoryDetector *d, uint64_t now) {
        int rr = 0;
        for (size_t i = 0; i < d->n_pending;) {
                PendingKill *p = &d->pending[i];
                if (now <= p->realtime + ATTRIBUTE_WINDOW_USEC) {
                        i++;
                        continue;
                }
                if (p->unit[0] || !p->time_unit[0] || p->time_ambiguous) {
                        drop_pending(d, i);
                        continue;
                }
                JournalRecord exit = {
                        .source = JOURNAL_SOURCE_PID1,
                        .realtime = p->time_realtime,
                        .journal_monotonic = p->time_monotonic,
                        .boot_id = p->boot_id[0] ? p->boot_id : NULL,
                        .cursor = p->time_cursor[0] ? p->time_cursor : NULL,
                        .unit = p->time_unit,
                        .invocation_id = p->time_invocation[0] ? p->time_invocation : NULL,
                };
                int k = record_pending(d, i, &exit, BY_TIME); /* drops it */
                if (k > 0)
                        rr += k;
        }
        return rr;
}

static int kill_key(char *buf, size_t n, const JournalRecord *r, uint32_t pid) {
        return snprintf(buf, n, "%s/kpid/%u", r->boot_id ?: "-", pid) < (int) n ? 0 : -E2BIG;
}

/* Records the waiting kill i as r's unit's, now that r (PID 1, or the unit's live state) says
 * it was; the kill keeps its own time, boot and cursor. Drops it from the waiting list. */
static int record_pending(MemoryDetector *d, size_t i, const JournalRecord *r, const char *how) {
        PendingKill *p = &d->pending[i];
        JournalRecord kr = *r;
        char key[128];
        kr.realtime = p->realtime;
        kr.boot_id = p->boot_id[0] ? p->boot_id : r->boot_id;
        kr.cursor = p->cursor[0] ? p->cursor : journal_record_cursor(r);
        kill_key(key, sizeof key, &kr, p->rec.pid);
        /* Counted where the journal says whose kill it was (PID 1's message comes after the
         * kill's line): read again, the same message finds it counted. */
        JournalPosition buf;
        const JournalPosition *pos = journal_record_position(r, &buf) ?: (p->has_pos ? &p->pos : NULL);
        int rr = record_kill(d, r->unit, &kr, &p->rec, key, pos, p->global, p->kernel_limit_kb, how);
        drop_pending(d, i);
        return rr;
}

/* The unit's main process died of SIGKILL at r's time (PID 1's record r, or the unit's state on
 * the bus): a kill waiting with only a comm, printed up to ATTRIBUTE_WINDOW_USEC before (or
 * EXIT_SLACK_USEC after), whose comm is this unit's executable's, was this one. */
static bool exit_fits(const PendingKill *p, const JournalRecord *r) {
        return !p->unit[0] && r->realtime + EXIT_SLACK_USEC >= p->realtime &&
               r->realtime <= p->realtime + ATTRIBUTE_WINDOW_USEC;
}

/* r's unit, whose executable goguard does not know, died of SIGKILL: a candidate for the kills
 * with only a comm that it fits, tied to it by time if no other unit fits them too. */
static void note_time_candidate(MemoryDetector *d, const JournalRecord *r) {
        for (size_t i = 0; i < d->n_pending; i++) {
                PendingKill *p = &d->pending[i];
                if (!exit_fits(p, r) || streq(p->time_unit, r->unit))
                        continue;
                if (p->time_unit[0]) {
                        p->time_ambiguous = true;
                        continue;
                }
                snprintf(p->time_unit, sizeof p->time_unit, "%s", r->unit);
                snprintf(p->time_invocation, sizeof p->time_invocation, "%s",
                         id128_is_valid(r->invocation_id) ? r->invocation_id : "");
                snprintf(p->time_cursor, sizeof p->time_cursor, "%s", journal_record_cursor(r) ?: "");
                p->time_realtime = r->realtime;
                p->time_monotonic = r->journal_monotonic;
        }
}

static int attribute_by_comm(MemoryDetector *d, const JournalRecord *r) {
        UnitKnowledge k;
        correlator_lookup(d->c, r->unit, &k);
        if (!k.exe_comm) {
                note_time_candidate(d, r);
                return 0;
        }
        for (size_t i = 0; i < d->n_pending; i++) {
                PendingKill *p = &d->pending[i];
                if (!exit_fits(p, r) || strncmp(k.exe_comm, p->rec.comm, KERNEL_OOM_COMM_MAX - 1) != 0)
                        continue;
                return record_pending(d, i, r, BY_COMM);
        }
        return 0;
}

static JournalRecord exit_record(const RecentExit *e) {
        return (JournalRecord){
                /* live: the unit's current state is newer than the journal's */
                .source = e->live ? JOURNAL_SOURCE_KMSG : JOURNAL_SOURCE_PID1,
                .realtime = e->realtime,
                .boot_id = e->boot_id[0] ? e->boot_id : NULL,
                .cursor = e->cursor[0] ? e->cursor : NULL,
                .unit = e->unit,
                .invocation_id = e->invocation_id[0] ? e->invocation_id : NULL,
        };
}

static RecentExit *find_exit(MemoryDetector *d, const char *unit, const char *invocation_id) {
        if (!unit || !id128_is_valid(invocation_id))
                return NULL;
        for (size_t i = 0; i < EXITS_MAX; i++)
                if (streq(d->exits[i].unit, unit) && streq(d->exits[i].invocation_id, invocation_id))
                        return &d->exits[i];
        return NULL;
}

/* Whether a kill of this invocation's process was recorded already (from its cgroup). */
/* The kill a unit's main process's SIGKILL exit at exit_time was, if one was recorded: the latest
 * kill of the unit not yet spoken for that the exit can follow. By time, not by the invocation the
 * kill was recorded with: read from the journal, a kill's line may come after PID 1 started the
 * next invocation. Claims it, and gives it the exit's invocation. */
static bool claim_kill(MemoryDetector *d, const char *unit, const char *invocation_id, uint64_t exit_time) {
        RecentKill *best = NULL;
        if (!unit)
                return false;
        for (size_t i = 0; i < RECENT_MAX; i++) {
                RecentKill *k = &d->recent[i];
                if (!k->realtime || k->claimed || !streq(k->unit, unit) ||
                    !exit_follows_kill(k->realtime, exit_time))
                        continue;
                if (!best || k->realtime > best->realtime)
                        best = k;
        }
        if (!best)
                return false;
        best->claimed = true;
        if (id128_is_valid(invocation_id))
                memcpy(best->invocation_id, invocation_id, 33);
        return true;
}

/* r says r->unit's main process died of SIGKILL: a kill waiting with only a comm may be it;
 * otherwise the exit is kept for such a line read later. Once per invocation: PID 1's message
 * and the bus both tell of the same exit. */
static int note_exit(MemoryDetector *d, const JournalRecord *r, bool live) {
        if (!r->unit || strlen(r->unit) > UNIT_NAME_MAX)
                return 0;
        RecentExit *e = find_exit(d, r->unit, r->invocation_id);
        if (e && e->attributed)
                return 0;
        if (!e) {
                e = &d->exits[d->exits_next];
                d->exits_next = (d->exits_next + 1) % EXITS_MAX;
                *e = (RecentExit){ .realtime = r->realtime, .live = live };
                snprintf(e->unit, sizeof e->unit, "%s", r->unit);
                if (id128_is_valid(r->invocation_id))
                        memcpy(e->invocation_id, r->invocation_id, 33);
                if (id128_is_valid(r->boot_id))
                        memcpy(e->boot_id, r->boot_id, 33);
        }
        if (!live && journal_record_cursor(r))
                snprintf(e->cursor, sizeof e->cursor, "%s", journal_record_cursor(r));
        if (!live && r->message)
                snprintf(e->exit_message, sizeof e->exit_message, "%.*s",
                         (int) MIN(r->message_len, sizeof e->exit_message - 1), r->message);
        /* A kill recorded from its cgroup had this exit. */
        e->attributed = claim_kill(d, r->unit, r->invocation_id, r->realtime);
        if (e->attributed)
                return 0;
        int rr = attribute_by_comm(d, r);
        e->attributed = e->attributed || rr > 0;
        return rr;
}

/* The kill just recorded was e's: what PID 1 said about that exit before the line came. */
static void add_exit_evidence(MemoryDetector *d, const RecentExit *e) {
        const RecentKill *k = &d->recent[(d->recent_next + RECENT_MAX - 1) % RECENT_MAX];
        Finding *f = finding_store_get(d->store, k->finding_id);
        if (!f || (!e->exit_message[0] && !e->unit_result[0]))
                return;
        if (e->exit_message[0])
                (void) finding_set_string(f, "main_process_exit", e->exit_message);
        if (e->unit_result[0])
                (void) finding_set_string(f, "UnitResult", e->unit_result);
        correlator_notify(d->c, f, false);
}

/* A "Killed process" line without a cgroup, read after the exit it caused was told. */
static int attribute_to_recent_exit(MemoryDetector *d, uint64_t killed_at) {
        for (size_t i = 0; i < EXITS_MAX; i++) {
                RecentExit *e = &d->exits[i];
                if (!e->unit[0] || e->attributed || e->realtime + EXIT_SLACK_USEC < killed_at ||
                    e->realtime > killed_at + ATTRIBUTE_WINDOW_USEC)
                        continue;
                JournalRecord r = exit_record(e);
                int rr = attribute_by_comm(d, &r);
                if (rr > 0)
                        add_exit_evidence(d, e);
                if (rr != 0) {
                        e->attributed = rr > 0;
                        return rr;
                }
        }
        return 0;
}

static PendingKill *find_pending(MemoryDetector *d, uint32_t pid) {
        for (size_t i = 0; i < d->n_pending; i++)
                if (d->pending[i].rec.has_pid && d->pending[i].rec.pid == pid)
                        return &d->pending[i];
        return NULL;
}

/* A kill recorded from /dev/kmsg has no journal cursor; its line in the journal brings one. */
static void add_cursor(Finding *f, const JournalRecord *r) {
        if (r->source != JOURNAL_SOURCE_KMSG && !finding_get(f, "journal_cursor") &&
            journal_record_cursor(r))
                (void) finding_set_string(f, "journal_cursor", journal_record_cursor(r));
}

/* Sets a number and says whether it changed: a line read twice (live, then from the journal)
 * must not signal an update. */
static bool set_u64_changed(Finding *f, const char *key, uint64_t value) {
        const Evidence *e = finding_get(f, key);
        if (e && e->type == EVIDENCE_U64 && e->u == value)
                return false;
        return finding_set_u64(f, key, value) >= 0;
}

static int feed_kernel(MemoryDetector *d, const JournalRecord *r) {
        KernelContext *kc = &d->kernel[r->source == JOURNAL_SOURCE_KMSG];
        bool live = r->source == JOURNAL_SOURCE_KMSG;
        KernelOomRecord rec;
        char key[128];
        JournalPosition posbuf;
        const JournalPosition *pos = journal_record_position(r, &posbuf);
        int rr = kernel_oom_parse(r->message, r->message_len, &rec);
        if (rr < 0)
                return rr == -EBADMSG || rr == -E2BIG ? 0 : rr;

        switch (rec.kind) {
        case KERNEL_OOM_LIMIT:
                kc->limit_kb = rec.limit_kb;
                kc->limit_realtime = r->realtime;
                break;
        case KERNEL_OOM_TASK_IN:
                free(kc->task_in_memcg);
                kc->task_in_memcg = TAKE_PTR(rec.task_memcg);
                kc->task_in_realtime = r->realtime;
                break;
        case KERNEL_OOM_SUMMARY: {
                _cleanup_free_ char *unit = NULL;
                if (!rec.has_pid || !rec.task_memcg || cgroup_path_to_unit(rec.task_memcg, &unit, NULL) < 0)
                        break;
                bool global = rec.scope == KERNEL_OOM_SCOPE_GLOBAL;
                RecentKill *seen = find_kill(d, rec.pid, unit, r->realtime);
                if (seen) {
                        /* Read before: live, then from the journal; or PID 1 (cgroup v2) reported
                         * it before the kernel's lines reached the journal. The same occurrence,
                         * now with the kernel's details. */
                        Finding *f = finding_store_get(d->store, seen->finding_id);
                        if (f) {
                                add_cursor(f, r);
                                finding_advance_position(f, pos);
                        }
                        if (seen->pid == 0) {
                                seen->pid = rec.pid;
                                if (f) {
                                        (void) finding_set_u64(f, "kernel_pid", rec.pid);
                                        if (rec.comm[0])
                                                (void) finding_set_string(f, "comm", rec.comm);
                                        (void) finding_set_string(f, "task_memcg", rec.task_memcg);
                                        if (rec.oom_memcg)
                                                (void) finding_set_string(f, "oom_memcg", rec.oom_memcg);
                                        correlator_notify(d->c, f, false);
                                }
                        }
                        break;
                }
                if (find_pending(d, rec.pid))
                        break; /* read live already, waiting for PID 1 */
                UnitKnowledge k;
                correlator_lookup(d->c, unit, &k);
                if (!correlator_known_invocation(d->c, unit) && !(live && k.known)) {
                        /* Nothing from PID 1 about this unit yet: it must confirm the unit's
                         * process died, or this is an old record of another unit's cgroup. A
                         * live line of a unit the daemon knows needs no confirmation. */
                        queue_pending(d, &rec, unit, global, kernel_limit_at(kc, r), r);
                        break;
                }
                kill_key(key, sizeof key, r, rec.pid);
                rr = record_kill(d, unit, r, &rec, key, pos, global, kernel_limit_at(kc, r), BY_CGROUP);
                break;
        }
        case KERNEL_OOM_KILLED: {
                RecentKill *k = find_kill(d, rec.pid, NULL, r->realtime);
                PendingKill *p = k ? NULL : find_pending(d, rec.pid);
                if (p) {
                        /* Waiting for PID 1 already (its summary, or this very line read live):
                         * keep the RSS with it. */
                        if (rec.has_rss) {
                                p->rec.has_rss = true;
                                p->rec.anon_rss_kb = rec.anon_rss_kb;
                                p->rec.total_vm_kb = rec.total_vm_kb;
                        }
                        break;
                }
                if (k) {
                        /* The summary came first: add what this line knows (the RSS). */
                        Finding *f = finding_store_get(d->store, k->finding_id);
                        if (f)
                                finding_advance_position(f, pos);
                        if (f && rec.has_rss) {
                                bool changed = set_u64_changed(f, "anon_rss_kb", rec.anon_rss_kb);
                                changed |= set_u64_changed(f, "total_vm_kb", rec.total_vm_kb);
                                if (changed)
                                        correlator_notify(d->c, f, false);
                        }
                        break;
                }
                if (kc->task_in_memcg && r->realtime - kc->task_in_realtime < MERGE_WINDOW_USEC) {
                        _cleanup_free_ char *unit = NULL;
                        if (cgroup_path_to_unit(kc->task_in_memcg, &unit, NULL) >= 0) {
                                rec.task_memcg = TAKE_PTR(kc->task_in_memcg);
                                kill_key(key, sizeof key, r, rec.pid);
                                rr = record_kill(d, unit, r, &rec, key, pos,
                                                 rec.scope == KERNEL_OOM_SCOPE_GLOBAL,
                                                 kernel_limit_at(kc, r), BY_CGROUP);
                                break;
                        }
                }
                /* No cgroup: wait for PID 1 or the bus to say whose main process died of
                 * SIGKILL, or find that one of them said so already. */
                queue_pending(d, &rec, NULL, rec.scope == KERNEL_OOM_SCOPE_GLOBAL, kernel_limit_at(kc, r),
                              r);
                rr = attribute_to_recent_exit(d, r->realtime);
                break;
        }
        default: break;
        }
        kernel_oom_record_done(&rec);
        return rr;
}

static int feed_pid1(MemoryDetector *d, const JournalRecord *r) {
        char key[192];
        int rr = 0;
        JournalPosition posbuf;
        const JournalPosition *pos = journal_record_position(r, &posbuf);

        if (!r->unit)
                return 0;

        /* PID 1 speaks about a unit whose kill was waiting for it. */
        for (size_t i = 0; i < d->n_pending;) {
                PendingKill *p = &d->pending[i];
                if (!p->unit[0] || strcmp(p->unit, r->unit) != 0 || r->realtime < p->realtime) {
                        i++;
                        continue;
                }
                int k = record_pending(d, i, r, BY_CGROUP);
                if (k < 0)
                        return k;
                rr += k;
        }

        if (streq(r->message_id, MESSAGE_ID_UNIT_OOM)) {
                /* cgroup v2: PID 1 saw memory.events oom_kill rise. The kernel said so first. */
                RecentKill *k = find_kill(d, 0, r->unit, r->realtime);
                if (k) {
                        Finding *f = finding_store_get(d->store, k->finding_id);
                        if (f) {
                                finding_advance_position(f, pos);
                                (void) finding_set_bool(f, "systemd_reported_oom", true);
                                correlator_notify(d->c, f, false);
                        }
                        return 0;
                }
                snprintf(key, sizeof key, "%s/inv/%s/oom/%llu", r->boot_id ?: "-", r->invocation_id ?: "-",
                         (unsigned long long) (r->realtime / 1000000));
                rr = record_kill(d, r->unit, r, NULL, key, pos, false, 0, BY_SYSTEMD);
                Finding *f = finding_store_find_active(d->store, FINDING_OOM_KILL, r->unit);
                if (f)
                        (void) finding_set_bool(f, "systemd_reported_oom", true);
                return rr;
        }
        if (streq(r->message_id, MESSAGE_ID_UNIT_OOMD_KILL)) {
                UnitKnowledge k;
                if (!lookup_wanted(d, r->unit, &k))
                        return 0;
                Finding *f;
                bool added;
                snprintf(key, sizeof key, "%s/inv/%s/oomd/%llu", r->boot_id ?: "-", r->invocation_id ?: "-",
                         (unsigned long long) (r->realtime / 1000000));
                rr = correlator_count(d->c, FINDING_OOMD_KILL, r->unit, key, r->invocation_id, r->realtime,
                                      pos, &f, &added);
                if (rr <= 0)
                        return rr;
                finding_set_common_evidence(f, r, &k);
                finding_set_message_evidence(f, "systemd_message", r);
                finding_clear_advice(f);
                (void) finding_add_advice(
                        f, ADVICE_TEXT,
                        "systemd-oomd killed the unit's processes under memory pressure or swap use. "
                        "Set GOMEMLIMIT so the Go heap stays smaller, give the unit MemoryHigh= so it is "
                        "throttled before oomd acts, or exempt it with ManagedOOMPreference=avoid.",
                        NULL);
                finding_update_summary(f, NULL);
                correlator_notify(d->c, f, added);
                return 1;
        }
        if (streq(r->message_id, MESSAGE_ID_UNIT_PROCESS_EXIT) && streq(r->exit_code, "killed") &&
            streq(r->exit_status, "9")) {
                int k = note_exit(d, r, false);
                if (k < 0)
                        return k;
                rr += k;
                RecentKill *kill = find_kill(d, 0, r->unit, r->realtime);
                if (kill) {
                        Finding *f = finding_store_get(d->store, kill->finding_id);
                        if (f && r->message) {
                                finding_set_message_evidence(f, "main_process_exit", r);
                                if (id128_is_valid(r->invocation_id))
                                        memcpy(f->invocation_id, r->invocation_id, 33);
                                correlator_notify(d->c, f, false);
                        }
                }
                return rr;
        }
        if (streq(r->message_id, MESSAGE_ID_UNIT_FAILURE_RESULT) && r->unit_result) {
                RecentKill *kill = find_kill(d, 0, r->unit, r->realtime);
                RecentExit *e = kill ? NULL : find_exit(d, r->unit, r->invocation_id);
                if (e) /* the kill's line is still to come */
                        snprintf(e->unit_result, sizeof e->unit_result, "%s", r->unit_result);
                if (kill) {
                        Finding *f = finding_store_get(d->store, kill->finding_id);
                        if (f) {
                                (void) finding_set_string(f, "UnitResult", r->unit_result);
                                correlator_notify(d->c, f, false);
                        }
                        if (streq(r->unit_result, "oom-kill")) {
                                UnitKnowledge k;
                                correlator_lookup(d->c, r->unit, &k);
                                snprintf(key, sizeof key, "%s/inv/%s/result", r->boot_id ?: "-",
                                         r->invocation_id ?: "-");
                                /* record_kill() already counted Restart=no for this memcg kill. */
                                bool counted = f && f->class == FINDING_OOM_KILL && k.known && k.settings &&
                                               streq(k.settings->restart, "no");
                                if (!counted)
                                        restart_gap(d, r->unit, &k, r, key, pos, true);
                        }
                }
        }
        return 0;
}

/* How many digits p starts with (a number that fits in 64 bits), else 0. */
static size_t digits_at(const char *p, const char *end) {
        uint64_t v;
        int k = parse_u64_prefix(p, (size_t) (end - p), &v);
        return k > 0 ? (size_t) k : 0;
}

/* Steps *p over word if the text there starts with it. */
static bool skip_word(const char **p, const char *end, const char *word) {
        size_t n = strlen(word);
        if ((size_t) (end - *p) < n || memcmp(*p, word, n) != 0)
                return false;
        *p += n;
        return true;
}

/* The runtime's own message at its needle, and nothing else of the line: a service may print its
 * configuration, secrets included, on the same line, and the journal shows whole lines only to
 * those who may read it, while goguard's findings are every local user's. The variable tail of
 * "cannot allocate N-byte block (M in use)" is kept when it is exactly that. */
static char *runtime_message(const JournalRecord *r, const char *needle) {
        const char *end = r->message + r->message_len;
        const char *at = memmem(r->message, r->message_len, needle, strlen(needle));
        if (!at)
                return NULL;
        const char *p = at + strlen(needle), *q;
        size_t d;
        if (p[-1] == ' ' && (d = digits_at(p, end)) > 0) {
                q = p + d;
                if (skip_word(&q, end, "-byte block (") && (d = digits_at(q, end)) > 0 &&
                    (q += d, skip_word(&q, end, " in use)")))
                        p = q;
        }
        return strndup(at, (size_t) (p - at));
}

static int feed_unit(MemoryDetector *d, const JournalRecord *r, const char *hit) {
        char key[192];
        JournalPosition posbuf;
        const JournalPosition *pos = journal_record_position(r, &posbuf);

        if (!r->unit)
                return 0;

        UnitKnowledge k;
        if (!lookup_wanted(d, r->unit, &k))
                return 0;
        Finding *f;
        bool added;
        /* One crash prints several of these lines: one occurrence per invocation. */
        snprintf(key, sizeof key, "%s/inv/%s/go-oom", r->boot_id ?: "-", r->invocation_id ?: "-");
        int rr = correlator_count(d->c, FINDING_GO_RUNTIME_OOM, r->unit, key, r->invocation_id, r->realtime,
                                  pos, &f, &added);
        if (rr < 0)
                return rr;
        _cleanup_free_ char *m = runtime_message(r, hit);
        if (rr == 0) {
                /* The detailed "cannot allocate N-byte block" line may follow the first one. */
                if (m && strncmp(hit, "runtime: out of memory: cannot", 30) == 0)
                        (void) finding_set_string(f, "go_message_detail", m);
                return 0;
        }
        finding_set_common_evidence(f, r, &k);
        if (m)
                (void) finding_set_string(f, "go_message", m);
        finding_clear_advice(f);
        (void) finding_add_advice(
                f, ADVICE_TEXT,
                "The Go runtime's own allocation failed (mmap returned ENOMEM). Check "
                "LimitAS= and LimitDATA= of the unit and vm.overcommit_memory of the host; "
                "with a cgroup limit, set GOMEMLIMIT below it.",
                NULL);
        if (k.known && k.settings)
                (void) finding_set_u64(f, "MemoryMax", k.settings->memory_max);
        finding_update_summary(f, NULL);
        correlator_notify(d->c, f, added);
        return 1;
}

/* ---- the Detector ---- */

static int memory_init(Correlator *c, void *state) {
        MemoryDetector *d = state;
        d->c = c;
        d->store = correlator_store(c);
        return 0;
}

static void memory_done(void *state) {
        MemoryDetector *d = state;
        for (size_t i = 0; i < d->n_pending; i++)
                kernel_oom_record_done(&d->pending[i].rec);
        for (size_t i = 0; i < ELEMENTSOF(d->kernel); i++)
                free(d->kernel[i].task_in_memcg);
}

/* The journal's time is the clock pending kills wait by: PID 1's word on them comes from the
 * journal. Live lines are ahead of it. */
static int memory_advance(void *state, uint64_t now) {
        return expire_pending(state, now);
}

static uint64_t memory_next_deadline(void *state) {
        MemoryDetector *d = state;
        uint64_t next = 0;
        for (size_t i = 0; i < d->n_pending; i++) {
                uint64_t t = d->pending[i].realtime + ATTRIBUTE_WINDOW_USEC + 1;
                if (!next || t < next)
                        next = t;
        }
        return next;
}

static int memory_on_kernel(void *state, const JournalRecord *r) {
        return feed_kernel(state, r);
}

static int memory_on_pid1(void *state, const JournalRecord *r) {
        return feed_pid1(state, r);
}

static int memory_on_unit_line(void *state, const JournalRecord *r, const char *needle) {
        return feed_unit(state, r, needle);
}

static int memory_on_main_process_killed(void *state, const JournalRecord *r) {
        return note_exit(state, r, true);
}

const Detector detector_memory = {
        .family = "memory",
        .classes = classes,
        .unit_needles = go_oom,
        .pid1_message_ids = pid1_message_ids,
        .state_size = sizeof(MemoryDetector),
        .init = memory_init,
        .done = memory_done,
        .advance = memory_advance,
        .next_deadline = memory_next_deadline,
        .on_kernel = memory_on_kernel,
        .on_pid1 = memory_on_pid1,
        .on_unit_line = memory_on_unit_line,
        .on_main_process_killed = memory_on_main_process_killed,
};
