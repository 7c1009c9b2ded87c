/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The kernel's OOM kills put together and tied to their units: the kernel's lines of one kill
 * (from the journal and /dev/kmsg), kills waiting for PID 1 to name their unit, and PID 1's (or
 * the bus's) word on a main process's SIGKILL exit. Part of the memory family (detect-memory.c). */
#include <stdio.h>
#include <string.h>

#include "hex.h"
#include "oom-kill.h"
#include "unit-name.h"

/* Whether an exit at exit_time can be the end of a kill at kill_time. */
static bool exit_follows_kill(uint64_t kill_time, uint64_t exit_time) {
        return exit_time + EXIT_SLACK_USEC >= kill_time && exit_time <= kill_time + ATTRIBUTE_WINDOW_USEC;
}

void oom_remember_kill(MemoryDetector *d, uint32_t pid, const char *unit, const Finding *f, uint64_t when) {
        RecentKill *k = &d->recent[d->recent_next];
        d->recent_next = (d->recent_next + 1) % RECENT_MAX;
        *k = (RecentKill){ .pid = pid, .realtime = when };
        snprintf(k->unit, sizeof k->unit, "%s", unit);
        memcpy(k->finding_id, f->id, 33);
        memcpy(k->invocation_id, f->invocation_id, 33); /* memory_record_kill() just set it */

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

RecentKill *oom_find_kill(MemoryDetector *d, uint32_t pid, const char *unit, uint64_t when) {
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

/* The limit the kernel printed for the kill whose line r is, if its "memory: usage" line came
 * just before. Taken by that kill: a kill whose report the kernel rate-limited away has only its
 * "Killed process" line, and the limit before it was another kill's. */
static uint64_t take_kernel_limit(KernelContext *kc, const JournalRecord *r) {
        uint64_t limit = kc->limit_realtime && r->realtime >= kc->limit_realtime &&
                                         r->realtime - kc->limit_realtime < MERGE_WINDOW_USEC
                                 ? kc->limit_kb
                                 : 0;
        kc->limit_realtime = 0;
        return limit;
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

static void add_exit_evidence(MemoryDetector *d, const RecentExit *e);
static int record_pending_at(MemoryDetector *d, size_t i, const JournalRecord *r, const char *how,
                             const JournalPosition *at);

/* Pending kills whose window closed: a kill with only its comm that exactly one unit's SIGKILL
 * exit fits is that unit's (by its own comm, or by time); the rest are dropped. Returns the
 * findings updated. */
int oom_expire_pending(MemoryDetector *d, uint64_t now) {
        int rr = 0;
        for (size_t i = 0; i < d->n_pending;) {
                PendingKill *p = &d->pending[i];
                if (now <= p->realtime + ATTRIBUTE_WINDOW_USEC) {
                        i++;
                        continue;
                }
                if (p->unit[0] || !p->cand_unit[0] || p->cand_ambiguous) {
                        drop_pending(d, i);
                        continue;
                }
                JournalRecord exit = {
                        .source = JOURNAL_SOURCE_PID1,
                        .realtime = p->cand_realtime,
                        .journal_monotonic = p->cand_monotonic,
                        .boot_id = p->boot_id[0] ? p->boot_id : NULL,
                        .cursor = p->cand_cursor[0] ? p->cand_cursor : NULL,
                        .unit = p->cand_unit,
                        .invocation_id = p->cand_invocation[0] ? p->cand_invocation : NULL,
                };
                char unit[UNIT_NAME_MAX + 1], invocation[33];
                memcpy(unit, p->cand_unit, sizeof unit);
                memcpy(invocation, p->cand_invocation, sizeof invocation);
                /* Decided now, not at the exit: a kill of the unit counted since stands after the
                 * exit, and would make this one look read before. Read again, the journal brings
                 * the same decision at the same place. So too when the exit was read before the
                 * kill's line (journald reads the kernel's lines on its own, sometimes late): the
                 * exit kept no place then, and the line's own place is behind those kills. */
                const JournalPosition *at =
                        (p->cand_monotonic || p->has_pos) && d->has_last_pos ? &d->last_pos : NULL;
                int k = record_pending_at(d, i, &exit, p->cand_how, at); /* drops it */
                if (k <= 0)
                        continue;
                rr += k;
                /* What PID 1 said of the exit since: it spoke before the kill was its unit's. */
                RecentExit *e = oom_find_exit(d, unit, invocation);
                if (e) {
                        e->attributed = true;
                        add_exit_evidence(d, e);
                }
        }
        return rr;
}

static int kill_key(char *buf, size_t n, const JournalRecord *r, uint32_t pid) {
        return snprintf(buf, n, "%s/kpid/%u", r->boot_id ?: "-", pid) < (int) n ? 0 : -E2BIG;
}

/* Records the waiting kill i as r's unit's, now that r (PID 1, or the unit's live state) says
 * it was; the kill keeps its own time, boot and cursor. Drops it from the waiting list. */
int oom_record_pending(MemoryDetector *d, size_t i, const JournalRecord *r, const char *how) {
        return record_pending_at(d, i, r, how, NULL);
}

/* at: where it is counted, if not where r stands. */
static int record_pending_at(MemoryDetector *d, size_t i, const JournalRecord *r, const char *how,
                             const JournalPosition *at) {
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
        const JournalPosition *pos = at ?: journal_record_position(r, &buf) ?: (p->has_pos ? &p->pos : NULL);
        /* Decided where the last record stands: a kill of the unit counted or merged there, or
         * another window that closed there too, leaves the finding's place at that very record.
         * This kill was not read before for it; its own key says whether it was. */
        const Finding *f = finding_store_find_active(
                d->store, p->global ? FINDING_GLOBAL_OOM : FINDING_OOM_KILL, r->unit);
        if (at && f && journal_position_equal(&f->counted_until, at))
                pos = NULL;
        int rr = memory_record_kill(d, r->unit, &kr, &p->rec, key, pos, p->global, p->kernel_limit_kb, how);
        drop_pending(d, i);
        return rr;
}

/* The unit's main process died of SIGKILL at r's time (PID 1's record r, or the unit's state on
 * the bus): a kill waiting with only a comm, printed up to ATTRIBUTE_WINDOW_USEC before (or
 * EXIT_SLACK_USEC after), whose comm is this unit's executable's, was this one. Not across boots:
 * a journal copied from several hosts holds the kills and exits of each. */
static bool exit_fits(const PendingKill *p, const JournalRecord *r) {
        return !p->unit[0] && r->realtime + EXIT_SLACK_USEC >= p->realtime &&
               r->realtime <= p->realtime + ATTRIBUTE_WINDOW_USEC &&
               (!p->boot_id[0] || !r->boot_id || streq(p->boot_id, r->boot_id));
}

/* r's unit, whose executable goguard does not know, died of SIGKILL: a candidate for the kills
 * with only a comm that it fits, unless its own entries had another comm; tied to it when the
 * window closes if no other unit fits them too. */
static void note_candidate(MemoryDetector *d, const JournalRecord *r) {
        const UnitComm *own = correlator_unit_comm(d->c, r->unit);
        for (size_t i = 0; i < d->n_pending; i++) {
                PendingKill *p = &d->pending[i];
                if (!exit_fits(p, r) || (own && !unit_comm_has(own, p->rec.comm)) ||
                    streq(p->cand_unit, r->unit))
                        continue;
                if (p->cand_unit[0]) {
                        p->cand_ambiguous = true;
                        continue;
                }
                snprintf(p->cand_unit, sizeof p->cand_unit, "%s", r->unit);
                snprintf(p->cand_invocation, sizeof p->cand_invocation, "%s",
                         id128_is_valid(r->invocation_id) ? r->invocation_id : "");
                snprintf(p->cand_cursor, sizeof p->cand_cursor, "%s", journal_record_cursor(r) ?: "");
                p->cand_realtime = r->realtime;
                p->cand_monotonic = r->journal_monotonic;
                p->cand_how = own ? BY_OWN_COMM : BY_TIME;
        }
}

static int attribute_by_comm(MemoryDetector *d, const JournalRecord *r) {
        UnitKnowledge k;
        correlator_lookup(d->c, r->unit, &k);
        if (!k.exe_comm) {
                note_candidate(d, r);
                return 0;
        }
        for (size_t i = 0; i < d->n_pending; i++) {
                PendingKill *p = &d->pending[i];
                if (!exit_fits(p, r) || strncmp(k.exe_comm, p->rec.comm, KERNEL_OOM_COMM_MAX - 1) != 0)
                        continue;
                return oom_record_pending(d, i, r, BY_COMM);
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

RecentExit *oom_find_exit(MemoryDetector *d, const char *unit, const char *invocation_id) {
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
int oom_note_exit(MemoryDetector *d, const JournalRecord *r, bool live) {
        if (!r->unit || strlen(r->unit) > UNIT_NAME_MAX)
                return 0;
        RecentExit *e = oom_find_exit(d, r->unit, r->invocation_id);
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

int oom_feed_kernel(MemoryDetector *d, const JournalRecord *r) {
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
                RecentKill *seen = oom_find_kill(d, rec.pid, unit, r->realtime);
                if (seen) {
                        (void) take_kernel_limit(kc, r);
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
                        queue_pending(d, &rec, unit, global, take_kernel_limit(kc, r), r);
                        break;
                }
                kill_key(key, sizeof key, r, rec.pid);
                rr = memory_record_kill(d, unit, r, &rec, key, pos, global, take_kernel_limit(kc, r),
                                        BY_CGROUP);
                break;
        }
        case KERNEL_OOM_KILLED: {
                RecentKill *k = oom_find_kill(d, rec.pid, NULL, r->realtime);
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
                                rr = memory_record_kill(d, unit, r, &rec, key, pos,
                                                        rec.scope == KERNEL_OOM_SCOPE_GLOBAL,
                                                        take_kernel_limit(kc, r), BY_CGROUP);
                                break;
                        }
                }
                /* No cgroup: wait for PID 1 or the bus to say whose main process died of
                 * SIGKILL, or find that one of them said so already. */
                queue_pending(d, &rec, NULL, rec.scope == KERNEL_OOM_SCOPE_GLOBAL, take_kernel_limit(kc, r),
                              r);
                rr = attribute_to_recent_exit(d, r->realtime);
                break;
        }
        default: break;
        }
        kernel_oom_record_done(&rec);
        return rr;
}

void oom_note_position(MemoryDetector *d, const JournalRecord *r) {
        JournalPosition buf;
        if (journal_record_position(r, &buf)) {
                d->last_pos = buf;
                d->has_last_pos = true;
        }
}
