/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The memory family: oom-kill, global-oom, oomd-kill, go-runtime-oom, oom-restart-gap. The kernel's
 * OOM records (from the journal and /dev/kmsg), PID 1's account of the kills (cgroup v2 OOM
 * reports, SIGKILL exits, results, systemd-oomd), and the Go runtime's own out-of-memory messages,
 * correlated with the unit's memory settings and GOMEMLIMIT. */
#include <stdio.h>
#include <string.h>

#include "go-env.h"
#include "hex.h"
#include "memory-advice.h"
#include "oom-kill.h"
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

/* What the correlator knows of the unit, and whether findings about it are wanted. */
static bool lookup_wanted(MemoryDetector *d, const char *unit, UnitKnowledge *k) {
        correlator_lookup(d->c, unit, k);
        return correlator_wanted(d->c, k);
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

int memory_record_kill(MemoryDetector *d, const char *unit, const JournalRecord *r,
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
        oom_remember_kill(d, rec && rec->has_pid ? rec->pid : 0, unit, f, r->realtime);
        correlator_notify(d->c, f, added);
        if (!global)
                restart_gap(d, unit, &k, r, key, pos, false);
        return 1;
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
                int k = oom_record_pending(d, i, r, BY_CGROUP);
                if (k < 0)
                        return k;
                rr += k;
        }

        if (streq(r->message_id, MESSAGE_ID_UNIT_OOM)) {
                /* cgroup v2: PID 1 saw memory.events oom_kill rise. The kernel said so first. */
                RecentKill *k = oom_find_kill(d, 0, r->unit, r->realtime);
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
                rr = memory_record_kill(d, r->unit, r, NULL, key, pos, false, 0, BY_SYSTEMD);
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
                int k = oom_note_exit(d, r, false);
                if (k < 0)
                        return k;
                rr += k;
                RecentKill *kill = oom_find_kill(d, 0, r->unit, r->realtime);
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
                RecentKill *kill = oom_find_kill(d, 0, r->unit, r->realtime);
                RecentExit *e = kill ? NULL : oom_find_exit(d, r->unit, r->invocation_id);
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
                                /* memory_record_kill() already counted Restart=no for this memcg kill. */
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
        return oom_expire_pending(state, now);
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
        oom_note_position(state, r);
        return oom_feed_kernel(state, r);
}

static int memory_on_pid1(void *state, const JournalRecord *r) {
        oom_note_position(state, r);
        return feed_pid1(state, r);
}

static int memory_on_unit_line(void *state, const JournalRecord *r, const char *needle) {
        oom_note_position(state, r);
        return feed_unit(state, r, needle);
}

static int memory_on_main_process_killed(void *state, const JournalRecord *r) {
        return oom_note_exit(state, r, true);
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
