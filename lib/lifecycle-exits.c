/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* How a unit's invocations end, from PID 1's messages: crash-loop (restarts tied to the finding of
 * the invocation that exited), stop-timeout, watchdog, exits-at-start. Part of the lifecycle
 * family (detect-lifecycle.c). */
#include <stdio.h>
#include <string.h>

#include "lifecycle.h"
#include "parse-util.h"

/* ---- crash-loop ---- */

/* Restarts in a row before a unit is said to crash-loop: one restart is a recovery. */
#define CRASH_LOOP_RESTARTS_MIN 2u

/* The open finding of the unit that its exited invocation produced: what the restarts repeat.
 * Any family's (an OOM kill, a panic, descriptors run out), with or without a discriminator: the
 * first class in the table's order, then the smallest id. */
static Finding *find_cause(LifecycleDetector *d, const char *unit, const char *invocation_id) {
        FindingStore *st = correlator_store(d->c);
        Finding *best = NULL;
        size_t i = 0;
        void *v;
        if (!invocation_id || !invocation_id[0])
                return NULL;
        while (hashmap_iterate(st->by_id, &i, &v, NULL)) {
                Finding *f = v;
                if (f->class == FINDING_CRASH_LOOP || f->state == FINDING_RESOLVED ||
                    !streq(f->unit, unit) || !streq(f->invocation_id, invocation_id))
                        continue;
                if (!best || f->class < best->class ||
                    (f->class == best->class && strcmp(f->id, best->id) < 0))
                        best = f;
        }
        return best;
}

/* What a crash loop's restarts are told apart by (its findings' discriminator): the class of the
 * cause's finding, else how the exited invocation ended. */
static const char *loop_cause(const Finding *cause, const UnitCrashes *u, const char *inv) {
        if (cause)
                return finding_class_info(cause->class)->name;
        if (u && u->exit[0] && streq(u->invocation_id, inv ?: ""))
                return strncmp(u->exit, "signal=", STRLEN("signal=")) == 0 ? "signal" : "exit-status";
        return "unknown";
}

/* systemd 252 says this without a MESSAGE_ID, in unit_test_start_limit(): the journal's match is
 * its CODE_FUNC (journal-record.c). Its Result stays the cause's, not start-limit-hit. */
#define START_LIMIT_MESSAGE "Start request repeated too quickly."

static bool is_start_limit_message(const JournalRecord *r) {
        size_t n = STRLEN(START_LIMIT_MESSAGE);
        return r->message && r->message_len >= n &&
               memcmp(r->message + r->message_len - n, START_LIMIT_MESSAGE, n) == 0;
}

static void crash_loop_advice(Finding *f, const UnitKnowledge *k, const Finding *cause, bool limit_hit) {
        char text[1024], when[160] = "";
        const UnitSettings *s = k->known ? k->settings : NULL;
        bool limits = s && s->start_limit_burst > 0 && s->start_limit_interval_usec != UINT64_MAX &&
                      s->start_limit_interval_usec > 0;
        if (limits)
                snprintf(
                        when, sizeof when, " (StartLimitBurst=%u starts within StartLimitIntervalSec=%llus)",
                        s->start_limit_burst, (unsigned long long) (s->start_limit_interval_usec / 1000000));
        if (cause)
                snprintf(text, sizeof text,
                         "Every restart ends the same way: fix the cause, finding %s (%s); restarting only "
                         "repeats it. systemd gives up once the unit starts too often%s%s.",
                         cause->id, finding_class_info(cause->class)->name, when,
                         limit_hit ? ", as it did now: reset it with systemctl reset-failed" : "");
        else
                snprintf(text, sizeof text,
                         "The unit's main process keeps exiting and systemd keeps restarting it; goguard "
                         "found no cause in its output, only the exit status. systemd gives up once the "
                         "unit starts too often%s%s.",
                         when, limit_hit ? ", as it did now: reset it with systemctl reset-failed" : "");
        (void) finding_add_advice(f, ADVICE_TEXT, text, NULL);
        char cmd[400];
        snprintf(cmd, sizeof cmd, "journalctl -u '%s' -n 200 -o short-precise", f->unit);
        (void) finding_add_advice(f, ADVICE_COMMAND, "The unit's last starts and exits:", cmd);
        if (!limit_hit)
                return;
        if (limits) {
                /* Restarts further apart than the interval's share of each start never use up the
                 * burst: a short outage then does not leave the unit failed for good. */
                uint64_t sec = s->start_limit_interval_usec / s->start_limit_burst / 1000000 + 1;
                char dropin[128];
                snprintf(text, sizeof text,
                         "Once the cause is fixed, space the restarts out: with RestartSec=%llus or more, "
                         "%u starts never fall within StartLimitIntervalSec=%llus.",
                         (unsigned long long) sec, s->start_limit_burst,
                         (unsigned long long) (s->start_limit_interval_usec / 1000000));
                snprintf(dropin, sizeof dropin, "[Service]\nRestartSec=%llus\n", (unsigned long long) sec);
                (void) finding_add_advice(f, ADVICE_DROPIN, text, dropin);
        }
        snprintf(cmd, sizeof cmd, "systemctl reset-failed '%s' && systemctl start '%s'", f->unit, f->unit);
        (void) finding_add_advice(f, ADVICE_COMMAND, "Start it again after the fix:", cmd);
}

static int crash_loop(LifecycleDetector *d, const JournalRecord *r) {
        bool restart = streq(r->message_id, MESSAGE_ID_UNIT_RESTART_SCHEDULED);
        bool limit = (streq(r->message_id, MESSAGE_ID_UNIT_FAILURE_RESULT) &&
                      streq(r->unit_result, "start-limit-hit")) ||
                     is_start_limit_message(r);
        int n = 0;
        if (!restart && !limit)
                return 0;
        /* The exited invocation's trace first: its finding is the cause. */
        for (size_t i = 0; i < STREAMS_MAX; i++)
                if (streq(d->streams[i].unit, r->unit)) {
                        int k = lifecycle_stream_flush(d, &d->streams[i], GO_CRASH_END_EXIT);
                        if (k < 0)
                                return k;
                        n += k;
                }
        uint64_t counter = 0;
        if (restart) {
                const char *p = r->message ? memmem(r->message, r->message_len, "restart counter is at ",
                                                    STRLEN("restart counter is at "))
                                           : NULL;
                if (!p)
                        return n;
                p += STRLEN("restart counter is at ");
                if (parse_u64_prefix(p, r->message_len - (size_t) (p - r->message), &counter) < 0 ||
                    counter < CRASH_LOOP_RESTARTS_MIN)
                        return n;
        }
        UnitKnowledge k;
        correlator_lookup(d->c, r->unit, &k);
        if (!correlator_wanted(d->c, &k))
                return n;
        UnitCrashes *u = lifecycle_unit(d, r->unit, false);
        const char *inv = r->invocation_id ?: (u ? u->invocation_id : NULL);
        Finding *cause = find_cause(d, r->unit, inv);
        const char *cause_name = loop_cause(cause, u, inv);

        /* One finding per cause: the same restart read again is counted by the same one. */
        char key[192];
        snprintf(key, sizeof key, "%s/inv/%s/%s", r->boot_id ?: "-", inv ?: "-",
                 restart ? "restart" : "start-limit");
        JournalPosition posbuf;
        Finding *f;
        bool added;
        int rr = correlator_count_d(d->c, FINDING_CRASH_LOOP, r->unit, cause_name, key, inv, r->realtime,
                                    journal_record_position(r, &posbuf), &f, &added);
        if (rr <= 0)
                return rr < 0 ? rr : n;

        finding_set_common_evidence(f, r, &k);
        finding_set_message_evidence(f, "systemd_message", r);
        if (restart)
                (void) finding_set_u64(f, "restart_counter", counter);
        if (limit)
                (void) finding_set_bool(f, "start_limit_hit", true);
        if (k.known && k.settings) {
                if (k.settings->restart_usec != UINT64_MAX)
                        (void) finding_set_u64(f, "RestartUSec", k.settings->restart_usec);
                if (k.settings->start_limit_interval_usec != UINT64_MAX)
                        (void) finding_set_u64(f, "StartLimitIntervalUSec",
                                               k.settings->start_limit_interval_usec);
                if (k.settings->start_limit_burst > 0)
                        (void) finding_set_u64(f, "StartLimitBurst", k.settings->start_limit_burst);
        }
        /* The cause: another finding of the exited invocation, else how it exited. */
        char what[96];
        if (cause) {
                snprintf(what, sizeof what, "%s", cause->id);
                (void) finding_set_string(f, "cause_finding_id", cause->id);
                (void) finding_set_string(f, "cause_class", cause_name);
                if (cause->summary)
                        (void) finding_set_string(f, "cause_summary", cause->summary);
        } else if (!streq(cause_name, "unknown")) {
                snprintf(what, sizeof what, "exit %s", u->exit);
                (void) finding_set_string(f, "cause_exit", u->exit);
        } else
                snprintf(what, sizeof what, "unknown");
        /* Restarts in a row of this cause: another cause's restart in between starts it again. */
        if (restart) {
                UnitCrashes *uc = lifecycle_unit(d, r->unit, true);
                uc->loop_same = streq(uc->loop_cause, cause_name) ? uc->loop_same + 1 : 1;
                snprintf(uc->loop_cause, sizeof uc->loop_cause, "%s", cause_name);
                (void) finding_set_u64(f, "same_cause_restarts", uc->loop_same);
        }

        finding_clear_advice(f);
        crash_loop_advice(f, &k, cause, limit);
        char detail[1200];
        const char *cs = cause && cause->summary ? cause->summary : NULL;
        if (cs && strncmp(cs, r->unit, strlen(r->unit)) == 0 && cs[strlen(r->unit)] == ' ')
                cs += strlen(r->unit) + 1;
        char head[64];
        if (limit)
                snprintf(head, sizeof head, "start limit hit");
        else
                snprintf(head, sizeof head, "restart counter at %llu", (unsigned long long) counter);
        /* The cause's own count is its business: "(4 times)" off its summary. */
        size_t cs_len = cs ? strlen(cs) : 0;
        const char *times = cs ? strstr(cs, " times)") : NULL;
        if (times && times[STRLEN(" times)")] == 0) {
                const char *open = times;
                while (open > cs && open[-1] != '(')
                        open--;
                if (open > cs + 1 && open[-2] == ' ')
                        cs_len = (size_t) (open - 2 - cs);
        }
        if (cs)
                snprintf(detail, sizeof detail, "%s, after it %.*s", head, (int) MIN(cs_len, (size_t) 1000),
                         cs);
        else
                snprintf(detail, sizeof detail, "%s, after %s", head, what);
        finding_update_summary(f, detail);
        correlator_notify(d->c, f, added);
        return n + 1;
}

/* ---- stop-timeout, watchdog, exits-at-start ---- */

/* An invocation that ends within this of its start (main() returned) exits at start. */
#define EXITS_AT_START_USEC (5 * 1000000ull)

/* Modules that send sd_notify() messages (READY=1, WATCHDOG=1): whether the build info lists
 * one says whether the program can ping at all. */
static const char *const sd_notify_modules[] = {
        "github.com/coreos/go-systemd/v22",
        "github.com/coreos/go-systemd",
        "github.com/okzk/sdnotify",
        "github.com/iguanesolutions/go-systemd/v5",
        "github.com/mdlayher/sdnotify",
        "github.com/ssgreg/journald",
        NULL,
};

static const char *sd_notify_module(const UnitKnowledge *k) {
        const GoModInfo *mi = k->exe ? k->exe->modinfo : NULL;
        for (size_t i = 0; mi && i < mi->n_deps; i++)
                for (size_t j = 0; sd_notify_modules[j]; j++)
                        if (streq(mi->deps[i].path, sd_notify_modules[j]))
                                return sd_notify_modules[j];
        return NULL;
}

static void set_notify_evidence(Finding *f, const UnitKnowledge *k) {
        if (k->exe && k->exe->modinfo)
                (void) finding_set_string(f, "sd_notify_module",
                                          sd_notify_module(k) ?: "none in the build info");
}

/* "90s", "1min 30s"-free: whole seconds, or milliseconds below one. */
static void format_span(char *buf, size_t size, uint64_t usec) {
        if (usec == UINT64_MAX)
                snprintf(buf, size, "infinity");
        else if (usec % 1000000 == 0 || usec >= 10000000)
                snprintf(buf, size, "%llus", (unsigned long long) (usec / 1000000));
        else
                snprintf(buf, size, "%llums", (unsigned long long) (usec / 1000));
}

/* Finds or adds the class's finding for r's unit and counts r's invocation once: 1 with *ret,
 * 0 when it was counted already or the unit is not wanted, or -errno. */
static int exits_count(LifecycleDetector *d, const JournalRecord *r, FindingClass cls, const char *tag,
                       UnitKnowledge *k, Finding **ret, bool *ret_added) {
        correlator_lookup(d->c, r->unit, k);
        if (!correlator_wanted(d->c, k))
                return 0;
        char key[192];
        snprintf(key, sizeof key, "%s/inv/%s/%s", r->boot_id ?: "-", r->invocation_id ?: "-", tag);
        JournalPosition posbuf;
        int rr = correlator_count(d->c, cls, r->unit, key, r->invocation_id, r->realtime,
                                  journal_record_position(r, &posbuf), ret, ret_added);
        if (rr <= 0)
                return rr;
        finding_set_common_evidence(*ret, r, k);
        finding_set_message_evidence(*ret, "systemd_message", r);
        finding_clear_advice(*ret);
        return 1;
}

static const UnitSettings *settings_of(const UnitKnowledge *k) {
        return k->known ? k->settings : NULL;
}

/* The finding's advice (text) and summary (detail), then the word that it changed. */
static int exits_done(LifecycleDetector *d, Finding *f, bool added, const char *text, const char *detail) {
        (void) finding_add_advice(f, ADVICE_TEXT, text, NULL);
        finding_update_summary(f, detail);
        correlator_notify(d->c, f, added);
        return 1;
}

static int stop_timeout(LifecycleDetector *d, const JournalRecord *r, const UnitCrashes *u) {
        UnitKnowledge k;
        Finding *f;
        bool added;
        int rr = exits_count(d, r, FINDING_STOP_TIMEOUT, "stop-timeout", &k, &f, &added);
        if (rr <= 0)
                return rr;
        const UnitSettings *s = settings_of(&k);
        char span[32] = "", sig[32] = "SIGTERM", text[1280], detail[128];
        if (s && s->timeout_stop_usec != UINT64_MAX) {
                (void) finding_set_u64(f, "TimeoutStopUSec", s->timeout_stop_usec);
                format_span(span, sizeof span, s->timeout_stop_usec);
        }
        if (s && s->kill_signal > 0 && sigabbrev_np(s->kill_signal)) {
                snprintf(sig, sizeof sig, "SIG%s", sigabbrev_np(s->kill_signal));
                (void) finding_set_string(f, "KillSignal", sig);
        }
        if (s && s->kill_mode)
                (void) finding_set_string(f, "KillMode", s->kill_mode);
        (void) finding_set_string(f, "main_process_exit", u->exit);
        const char *handling = k.exe ? go_exe_signal_handling(k.exe) : NULL;
        if (handling)
                (void) finding_set_string(f, "signal_handling", handling);
        char head[256], hint[768];
        snprintf(head, sizeof head,
                 "systemd asked the program to stop with %s and killed it with SIGKILL when it had not "
                 "exited %s%s: whatever it had not written or flushed was lost.",
                 sig, span[0] ? "after TimeoutStopSec=" : "in time", span);
        /* Go's default for SIGTERM (and SIGINT, SIGHUP) is to exit at once: only a program that
         * catches or ignores it (os/signal) can outlast it by itself. */
        if (!handling)
                snprintf(hint, sizeof hint,
                         "A Go program exits on %s unless it catches it (os/signal: signal.Notify, "
                         "signal.NotifyContext); one that does must finish its shutdown in time, e.g. "
                         "http.Server.Shutdown with a context shorter than TimeoutStopSec=. Make it do so, "
                         "or raise TimeoutStopSec=.",
                         sig);
        else if (streq(handling, "none"))
                snprintf(hint, sizeof hint,
                         "The binary does not link os/signal, so Go's default for %s applied: exit at "
                         "once. The program did not hold the stop up by its own handling; look elsewhere: "
                         "%s blocked or ignored before the program started (a wrapper or parent that "
                         "masks it), a C library linked through cgo that installs its own handler, or a "
                         "process stuck in the kernel (state D) that no signal reaches.",
                         sig, sig);
        else if (streq(handling, "notify"))
                snprintf(hint, sizeof hint,
                         "The binary links os/signal.Notify (signal.Notify, signal.NotifyContext): it "
                         "catches signals, and its shutdown after %s took longer than TimeoutStopSec=%s. "
                         "Bound it, e.g. http.Server.Shutdown with a context shorter than TimeoutStopSec=, "
                         "or raise TimeoutStopSec=.",
                         sig, span[0] ? span : "");
        else
                snprintf(hint, sizeof hint,
                         "The binary links os/signal.Ignore%s: a program that ignores %s is ended only by "
                         "SIGKILL. Catch it instead (signal.Notify) and shut down within "
                         "TimeoutStopSec=%s.",
                         streq(handling, "notify+ignore") ? " and os/signal.Notify" : "", sig,
                         span[0] ? span : "");
        snprintf(text, sizeof text, "%s %s", head, hint);
        if (span[0])
                snprintf(detail, sizeof detail, "killed after TimeoutStopSec=%s", span);
        else
                snprintf(detail, sizeof detail, "killed after the stop timeout");
        return exits_done(d, f, added, text, detail);
}

static int watchdog(LifecycleDetector *d, const JournalRecord *r, const UnitCrashes *u) {
        UnitKnowledge k;
        Finding *f;
        bool added;
        int rr = exits_count(d, r, FINDING_WATCHDOG, "watchdog", &k, &f, &added);
        if (rr <= 0)
                return rr;
        const UnitSettings *s = settings_of(&k);
        char span[32] = "", text[1024], detail[128];
        if (s && s->watchdog_usec > 0 && s->watchdog_usec != UINT64_MAX) {
                (void) finding_set_u64(f, "WatchdogUSec", s->watchdog_usec);
                format_span(span, sizeof span, s->watchdog_usec);
        }
        if (u && u->exit[0] && streq(u->invocation_id, r->invocation_id ?: ""))
                (void) finding_set_string(f, "main_process_exit", u->exit);
        set_notify_evidence(f, &k);
        bool none = k.exe && k.exe->modinfo && !sd_notify_module(&k);
        snprintf(text, sizeof text,
                 "systemd killed the program (SIGABRT) because it did not send WATCHDOG=1 within "
                 "WatchdogSec=%s. Send it every WatchdogSec=/2 (the interval is in $WATCHDOG_USEC) from a "
                 "goroutine that stops when the program hangs, e.g. with "
                 "github.com/coreos/go-systemd/v22/daemon: SdNotify(false, daemon.SdNotifyWatchdog).%s",
                 span[0] ? span : "",
                 none ? " The binary's build info lists no sd_notify package: it may not ping at all." : "");
        if (span[0])
                snprintf(detail, sizeof detail, "no WATCHDOG=1 within WatchdogSec=%s", span);
        else
                snprintf(detail, sizeof detail, "no WATCHDOG=1 in time");
        return exits_done(d, f, added, text, detail);
}

/* A Type=notify program that never sent READY=1: the start timed out. */
static int start_timeout(LifecycleDetector *d, const JournalRecord *r) {
        UnitKnowledge k;
        Finding *f;
        bool added;
        correlator_lookup(d->c, r->unit, &k);
        const UnitSettings *s = settings_of(&k);
        /* Only where Type= says the program must report: other types time out in ExecStartPre=
         * and the like, not in the program. */
        if (!s || !s->type || strncmp(s->type, "notify", STRLEN("notify")) != 0)
                return 0;
        int rr = exits_count(d, r, FINDING_EXITS_AT_START, "start-timeout", &k, &f, &added);
        if (rr <= 0)
                return rr;
        char span[32] = "", text[1024], detail[128];
        (void) finding_set_string(f, "Type", s->type);
        if (s->timeout_start_usec != UINT64_MAX) {
                (void) finding_set_u64(f, "TimeoutStartUSec", s->timeout_start_usec);
                format_span(span, sizeof span, s->timeout_start_usec);
        }
        set_notify_evidence(f, &k);
        bool none = k.exe && k.exe->modinfo && !sd_notify_module(&k);
        snprintf(text, sizeof text,
                 "With Type=%s systemd waits for the program to send READY=1 (sd_notify) and gives up "
                 "after TimeoutStartSec=%s. Send it once the service is ready (e.g. "
                 "github.com/coreos/go-systemd/v22/daemon: SdNotify(false, daemon.SdNotifyReady)), or "
                 "use Type=exec if it never will.%s",
                 s->type, span, none ? " The binary's build info lists no sd_notify package." : "");
        snprintf(detail, sizeof detail, "no READY=1 within TimeoutStartSec=%s", span[0] ? span : "?");
        return exits_done(d, f, added, text, detail);
}

/* A Type=simple/exec unit that deactivated successfully right after it started: main() returned. */
static int exits_at_start(LifecycleDetector *d, const JournalRecord *r, const UnitCrashes *u) {
        UnitKnowledge k;
        Finding *f;
        bool added;
        correlator_lookup(d->c, r->unit, &k);
        const UnitSettings *s = settings_of(&k);
        if (s && s->type && !streq(s->type, "simple") && !streq(s->type, "exec"))
                return 0; /* oneshot, forking, notify: exiting is their way */
        uint64_t ran = r->realtime - u->started_at;
        int rr = exits_count(d, r, FINDING_EXITS_AT_START, "exit-at-start", &k, &f, &added);
        if (rr <= 0)
                return rr;
        char span[32], text[768], detail[128];
        format_span(span, sizeof span, ran);
        if (s && s->type)
                (void) finding_set_string(f, "Type", s->type);
        (void) finding_set_u64(f, "ran_for_usec", ran);
        snprintf(text, sizeof text,
                 "The main process exited with status 0 %s after it started, and with Type=%s the "
                 "service is then over: main() returned. A service must keep running (serve, or block "
                 "until it is told to stop); a job that is meant to end belongs in Type=oneshot.",
                 span, s && s->type ? s->type : "simple");
        snprintf(detail, sizeof detail, "its main process exited with status 0 after %s", span);
        return exits_done(d, f, added, text, detail);
}

int lifecycle_exits_on_pid1(LifecycleDetector *d, const JournalRecord *r) {
        if (streq(r->message_id, MESSAGE_ID_UNIT_STARTED)) {
                UnitCrashes *u = lifecycle_unit(d, r->unit, true);
                snprintf(u->started_invocation, sizeof u->started_invocation, "%s", r->invocation_id ?: "");
                u->started_at = r->realtime;
                u->stopping = false;
                return 0;
        }
        if (streq(r->message_id, MESSAGE_ID_UNIT_STOPPING)) {
                UnitCrashes *u = lifecycle_unit(d, r->unit, false);
                if (u)
                        u->stopping = true;
                return 0;
        }
        if (streq(r->message_id, MESSAGE_ID_UNIT_SUCCESS)) {
                UnitCrashes *u = lifecycle_unit(d, r->unit, false);
                if (!u || u->stopping || !u->started_at ||
                    !streq(u->started_invocation, r->invocation_id ?: "") || r->realtime < u->started_at ||
                    r->realtime - u->started_at > EXITS_AT_START_USEC)
                        return 0;
                return exits_at_start(d, r, u);
        }
        if (streq(r->message_id, MESSAGE_ID_UNIT_FAILURE_RESULT)) {
                UnitCrashes *u = lifecycle_unit(d, r->unit, false);
                bool same = u && streq(u->invocation_id, r->invocation_id ?: "");
                if (streq(r->unit_result, "watchdog"))
                        return watchdog(d, r, u);
                if (streq(r->unit_result, "timeout"))
                        /* SIGKILL ended it: the stop timed out; otherwise the start did. */
                        return same && u->exit_killed ? stop_timeout(d, r, u) : start_timeout(d, r);
        }
        return crash_loop(d, r);
}
