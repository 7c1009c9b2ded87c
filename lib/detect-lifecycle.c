/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The lifecycle family: panic, fatal-runtime, crash-loop. A Go crash arrives as many lines of
 * the unit's output; the assembler (go-crash.c) turns each (unit, invocation)'s lines into one
 * record, closed by a line that is not part of it, by PID 1's word that the main process exited
 * (a moment later: its last lines may reach the journal after that word), by a new invocation,
 * or when the output went quiet. A record becomes a panic or fatal-runtime finding that names the
 * function the program died in and, from the binary's build info, the module and version it
 * belongs to. PID 1's restarts of a unit become one crash-loop finding tied to their cause. */
#include <stdio.h>
#include <string.h>

#include "crash-advice.h"
#include "detector.h"
#include "go-crash.h"
#include "lifecycle.h"
#include "parse-util.h"
#include "unit-name.h"

static const FindingClass classes[] = {
        FINDING_PANIC,          FINDING_FATAL_RUNTIME, FINDING_CRASH_LOOP,     FINDING_STOP_TIMEOUT,
        FINDING_EXITS_AT_START, FINDING_WATCHDOG,      _FINDING_CLASS_INVALID,
};

static const char *const pid1_message_ids[] = {
        MESSAGE_ID_UNIT_PROCESS_EXIT,
        MESSAGE_ID_UNIT_FAILURE_RESULT,
        MESSAGE_ID_UNIT_SUCCESS,
        MESSAGE_ID_UNIT_STOPPING,
        NULL,
};

/* Fatal errors another family reports: the memory family the runtime's out-of-memory throws,
 * the fd family the netpoller's, the threads family the thread limits' (detect-memory.c,
 * detect-fd.c, detect-threads.c). Matched at the message's start. */
static const char *const other_families[] = {
        "runtime: out of memory",
        "out of memory",
        "runtime: cannot allocate memory",
        "runtime: cannot map pages in arena address space",
        "runtime: netpollinit failed",
        "newosproc",
        "thread exhaustion",
        NULL,
};

/* The runtime's line before a crash that another family reports: cgo's pthread_create failure
 * ends in abort(), SIGABRT (the threads family's). */
static const char *const other_families_detail[] = {
        "runtime/cgo: pthread_create failed",
        NULL,
};

/* Lines of a trace may reach the journal after PID 1's word on the exit. */
#define EXIT_GRACE_USEC (500 * 1000ull)
/* A trace no line was added to for this long is complete (the process hangs, or its exit was
 * not read). */
#define QUIET_USEC      (3 * 1000000ull)

/* ---- the units' last exits, for their crash loops ---- */

UnitCrashes *lifecycle_unit(LifecycleDetector *d, const char *unit, bool create) {
        UnitCrashes *oldest = &d->units[0];
        for (size_t i = 0; i < CRASH_UNITS_MAX; i++) {
                if (streq(d->units[i].unit, unit)) {
                        d->units[i].used = ++d->clock;
                        return &d->units[i];
                }
                if (d->units[i].used < oldest->used)
                        oldest = &d->units[i];
        }
        if (!create)
                return NULL;
        *oldest = (UnitCrashes){ .used = ++d->clock };
        snprintf(oldest->unit, sizeof oldest->unit, "%s", unit);
        return oldest;
}

/* ---- crash records become findings ---- */

static bool other_family(const GoCrash *c) {
        for (size_t i = 0; c->detail && other_families_detail[i]; i++)
                if (strncmp(c->detail, other_families_detail[i], strlen(other_families_detail[i])) == 0)
                        return true;
        if (c->kind != GO_CRASH_FATAL_ERROR)
                return false;
        for (size_t i = 0; other_families[i]; i++)
                if (strncmp(c->message, other_families[i], strlen(other_families[i])) == 0)
                        return true;
        return false;
}

/* The value's shape: digits and hex numbers as N, so "index 7 out of range [7]" and "index 9 out
 * of range [9]" are the same panic, with the function it happened in. */
static void crash_signature(const GoCrash *c, const GoCrashFrame *u, char *buf, size_t size) {
        size_t o = 0;
        for (const char *p = c->message; *p && o + 2 < size && o < 200; p++) {
                if ((*p >= '0' && *p <= '9')) {
                        if (p[0] == '0' && p[1] == 'x')
                                p++;
                        while (p[1] && ((p[1] >= '0' && p[1] <= '9') || (p[1] >= 'a' && p[1] <= 'f')))
                                p++;
                        buf[o++] = 'N';
                } else
                        buf[o++] = *p;
        }
        buf[o] = 0;
        snprintf(buf + o, size - o, " @ %s", u ? u->function : "?");
}

/* "config/config.go": the file under its module's root, from the package's path below the
 * module's and the file's name; the file's last two elements when the module is not known. */
static void module_relative(const char *package, const GoModule *m, const GoModInfo *mi, const char *file,
                            char *buf, size_t size) {
        const char *base = strrchr(file, '/') ? strrchr(file, '/') + 1 : file;
        const char *pkg = streq(package, "main") && mi && mi->path ? mi->path : package;
        if (m && m->path && strlen(pkg) > strlen(m->path))
                snprintf(buf, size, "%s/%s", pkg + strlen(m->path) + 1, base);
        else if (m)
                snprintf(buf, size, "%s", base);
        else {
                const char *p = base;
                if (base > file + 1) {
                        p = base - 2;
                        while (p > file && *p != '/')
                                p--;
                        if (*p == '/')
                                p++;
                }
                snprintf(buf, size, "%s", p);
        }
}

typedef struct Where {
        const GoCrashFrame *frame;
        const GoModule *module;
        char rel[256];
        char text[512]; /* "in example.com/lib v1.4.2, pkg/x.go:42" */
} Where;

static void where_of(const GoCrash *c, const UnitKnowledge *k, Where *w) {
        *w = (Where){ .frame = go_crash_first_user_frame(c) };
        if (!w->frame)
                return;
        const GoModInfo *mi = k->exe ? k->exe->modinfo : NULL;
        _cleanup_free_ char *pkg = NULL;
        if (go_function_package(w->frame->function, &pkg) >= 0)
                w->module = go_modinfo_module_of(mi, pkg);
        if (w->frame->file)
                module_relative(pkg ?: "", w->module, mi, w->frame->file, w->rel, sizeof w->rel);
        char loc[300] = "";
        if (w->frame->file)
                snprintf(loc, sizeof loc, ", %s:%u", w->rel, w->frame->line);
        if (w->module)
                snprintf(w->text, sizeof w->text, "in %s %s%s", w->module->path, w->module->version ?: "",
                         loc);
        else
                snprintf(w->text, sizeof w->text, "in %s%s", w->frame->function, loc);
}

static void set_crash_evidence(Finding *f, const GoCrash *c, const Where *w) {
        (void) finding_set_string(f, "crash_kind", go_crash_kind_to_string(c->kind));
        (void) finding_set_string(f, c->kind == GO_CRASH_PANIC ? "panic_value" : "fatal_message",
                                  c->message);
        if (c->first_value)
                (void) finding_set_string(f, "panic_first_value", c->first_value);
        if (c->n_panics > 1)
                (void) finding_set_u64(f, "panics_chained", c->n_panics);
        (void) finding_set_bool(f, "panic_recovered", c->recovered);
        if (c->detail)
                (void) finding_set_string(f, "crash_detail", c->detail);
        if (c->signal)
                (void) finding_set_string(f, "signal", c->signal);
        if (c->signal_code)
                (void) finding_set_string(f, "signal_code", c->signal_code);
        if (c->signal_addr)
                (void) finding_set_string(f, "signal_addr", c->signal_addr);
        if (c->signal_pc)
                (void) finding_set_string(f, "signal_pc", c->signal_pc);
        if (c->have_goroutine) {
                (void) finding_set_u64(f, "goroutine", c->goroutine);
                (void) finding_set_string(f, "goroutine_state", c->goroutine_state);
        }
        (void) finding_set_u64(f, "goroutines_printed", c->n_goroutines);
        if (c->created_by)
                (void) finding_set_string(f, "goroutine_created_by", c->created_by);
        if (w->frame) {
                (void) finding_set_string(f, "crash_function", w->frame->function);
                if (w->frame->file) {
                        char fl[600];
                        snprintf(fl, sizeof fl, "%s:%u", w->frame->file, w->frame->line);
                        (void) finding_set_string(f, "crash_file", fl);
                }
        }
        if (w->module) {
                (void) finding_set_string(f, "go_module", w->module->path);
                if (w->module->version)
                        (void) finding_set_string(f, "go_module_version", w->module->version);
                if (w->module->replace && w->module->replace->path) {
                        char rep[600];
                        snprintf(rep, sizeof rep, "%s%s%s", w->module->replace->path,
                                 w->module->replace->version ? " " : "", w->module->replace->version ?: "");
                        (void) finding_set_string(f, "go_module_replaced_by", rep);
                }
        }
        (void) finding_set_u64(f, "crash_frames", c->frames_total);
        (void) finding_set_string(f, "crash_trace", c->text.data ?: "");
        (void) finding_set_u64(f, "crash_trace_lines", c->lines);
        (void) finding_set_u64(f, "crash_trace_lines_dropped", c->lines_dropped);
        (void) finding_set_bool(f, "crash_trace_complete", go_crash_is_complete(c));
        (void) finding_set_string(f, "crash_trace_end", go_crash_end_to_string(c->end));
}

typedef struct FlushCtx {
        LifecycleDetector *d;
        CrashStream *e;
        int n; /* findings added or updated */
} FlushCtx;

static int crash_done(void *userdata, GoCrash *c) {
        _cleanup_(go_crash_freep) GoCrash *crash = c;
        FlushCtx *x = userdata;
        CrashStream *e = x->e;
        UnitKnowledge k;
        correlator_lookup(x->d->c, e->unit, &k);
        if (!correlator_wanted(x->d->c, &k) || other_family(c))
                return 0;

        FindingClass cls = c->kind == GO_CRASH_PANIC ? FINDING_PANIC : FINDING_FATAL_RUNTIME;
        char key[192];
        /* A process crashes once: one occurrence per invocation, whatever re-reads. */
        snprintf(key, sizeof key, "%s/inv/%s/crash", e->boot_id[0] ? e->boot_id : "-",
                 e->invocation_id[0] ? e->invocation_id : "-");
        Finding *f;
        bool added;
        int r = correlator_count(x->d->c, cls, e->unit, key, e->invocation_id[0] ? e->invocation_id : NULL,
                                 c->first_at, e->has_pos ? &e->pos : NULL, &f, &added);
        if (r <= 0)
                return r;

        JournalRecord jr = { .source = JOURNAL_SOURCE_UNIT,
                             .realtime = c->first_at,
                             .boot_id = e->boot_id[0] ? e->boot_id : NULL,
                             .cursor = e->cursor,
                             .unit = e->unit };
        finding_set_common_evidence(f, &jr, &k);
        (void) finding_set_usec(f, "logged_at", c->first_at);
        if (e->exit_code[0]) {
                char ex[64];
                snprintf(ex, sizeof ex, "code=%s, status=%s", e->exit_code, e->exit_status);
                (void) finding_set_string(f, "main_process_exit", ex);
        }
        Where w;
        where_of(c, &k, &w);
        set_crash_evidence(f, c, &w);

        /* The same panic again (the same value's shape in the same function): a crash loop of
         * one bug, not many. */
        char sig[300];
        crash_signature(c, w.frame, sig, sizeof sig);
        const Evidence *prev = finding_get(f, "crash_signature");
        const Evidence *same = finding_get(f, "same_crash_count");
        uint64_t n_same = prev && streq(prev->s, sig) && same ? same->u + 1 : 1;
        (void) finding_set_string(f, "crash_signature", sig);
        (void) finding_set_u64(f, "same_crash_count", n_same);

        const char *tb_source = NULL;
        const char *tb = unit_knowledge_env(&k, "GOTRACEBACK", &tb_source);
        (void) finding_set_string(f, "GOTRACEBACK", tb ?: "single");
        (void) finding_set_string(f, "GOTRACEBACK_source", tb_source ?: "Go's default");

        finding_clear_advice(f);
        crash_advice(f, c, w.frame, w.module, e->unit, e->invocation_id, tb);
        char detail[1400];
        if (c->kind == GO_CRASH_FATAL_SIGNAL || (c->signal && c->kind != GO_CRASH_PANIC))
                snprintf(detail, sizeof detail, "%.512s (%s%s%s)%s%s", c->message, c->signal ?: "signal",
                         c->signal_addr ? " at " : "", c->signal_addr ?: "", w.text[0] ? ", " : "", w.text);
        else
                snprintf(detail, sizeof detail, "%.512s%s%s", c->message, w.text[0] ? ", " : "", w.text);
        finding_update_summary(f, detail);

        UnitCrashes *u = lifecycle_unit(x->d, e->unit, true);
        snprintf(u->invocation_id, sizeof u->invocation_id, "%s", e->invocation_id);
        snprintf(u->cause_id, sizeof u->cause_id, "%s", f->id);
        snprintf(u->cause_class, sizeof u->cause_class, "%s", finding_class_info(cls)->name);

        correlator_notify(x->d->c, f, added);
        x->n++;
        return 0;
}

static void stream_free(CrashStream *e) {
        go_crash_stream_done(&e->s);
        free(e->cursor);
        *e = (CrashStream){};
}

int lifecycle_stream_flush(LifecycleDetector *d, CrashStream *e, GoCrashEnd end) {
        FlushCtx x = { .d = d, .e = e };
        int r = go_crash_stream_flush(&e->s, end, crash_done, &x);
        stream_free(e);
        return r < 0 ? r : x.n;
}

/* A child process's output has a stream of its own: its lines do not go into the trace of the
 * main process's stream, nor the other way round. */
static CrashStream *stream_find(LifecycleDetector *d, const JournalRecord *r) {
        for (size_t i = 0; i < STREAMS_MAX; i++)
                if (streq(d->streams[i].unit, r->unit) &&
                    streq(d->streams[i].invocation_id, r->invocation_id ?: "") &&
                    streq(d->streams[i].stream_id, r->stream_id ?: ""))
                        return &d->streams[i];
        return NULL;
}

/* Closes the unit's traces of other invocations than this one: a new one began. */
static int flush_other_invocations(LifecycleDetector *d, const char *unit, const char *invocation_id) {
        int n = 0;
        for (size_t i = 0; i < STREAMS_MAX && n >= 0; i++)
                if (streq(d->streams[i].unit, unit) &&
                    !streq(d->streams[i].invocation_id, invocation_id ?: "")) {
                        int r = lifecycle_stream_flush(d, &d->streams[i], GO_CRASH_END_INVOCATION);
                        n = r < 0 ? r : n + r;
                }
        return n;
}

static int lifecycle_on_unit_line(void *state, const JournalRecord *r, const char *needle) {
        LifecycleDetector *d = state;
        /* A journal file from elsewhere may name anything: no finding can be about that. */
        if (!unit_name_is_valid(r->unit))
                return 0;
        int n = flush_other_invocations(d, r->unit, r->invocation_id);
        if (n < 0)
                return n;
        CrashStream *e = stream_find(d, r);
        if (!e) {
                /* Only a trace's first line opens a stream: the rest of the output costs a lookup. */
                if (!go_crash_line_wanted(r->message, r->message_len))
                        return n;
                CrashStream *oldest = &d->streams[0];
                for (size_t i = 0; i < STREAMS_MAX && !e; i++) {
                        if (!d->streams[i].unit[0])
                                e = &d->streams[i];
                        else if (d->streams[i].used < oldest->used)
                                oldest = &d->streams[i];
                }
                if (!e) {
                        int k = lifecycle_stream_flush(d, oldest, GO_CRASH_END_EVICTED);
                        if (k < 0)
                                return k;
                        n += k;
                        e = oldest;
                }
                snprintf(e->unit, sizeof e->unit, "%s", r->unit);
                snprintf(e->invocation_id, sizeof e->invocation_id, "%s", r->invocation_id ?: "");
                snprintf(e->stream_id, sizeof e->stream_id, "%s", r->stream_id ?: "");
                snprintf(e->boot_id, sizeof e->boot_id, "%s", r->boot_id ?: "");
        }
        e->used = ++d->clock;
        bool was_open = e->s.open != NULL;
        FlushCtx x = { .d = d, .e = e };
        int k = go_crash_stream_feed(&e->s, r->message, r->message_len, r->realtime, crash_done, &x);
        if (k < 0)
                return k;
        n += x.n;
        if (e->s.open && (!was_open || k > 0)) {
                /* A trace began with this line: where it stands in the journal. */
                JournalPosition buf;
                const JournalPosition *pos = journal_record_position(r, &buf);
                e->has_pos = pos != NULL;
                if (pos)
                        e->pos = *pos;
                free(e->cursor);
                e->cursor = journal_record_cursor(r) ? strdup(journal_record_cursor(r)) : NULL;
                e->exit_at = 0;
        }
        e->last_at = r->realtime;
        if (!e->s.open && !e->s.preamble)
                stream_free(e); /* nothing open: the slot is free again */
        return n;
}

/* ---- PID 1 ---- */

static int lifecycle_on_pid1(void *state, const JournalRecord *r) {
        LifecycleDetector *d = state;
        int n = 0;
        if (!unit_name_is_valid(r->unit))
                return 0;
        if (streq(r->message_id, MESSAGE_ID_UNIT_STARTED))
                n = flush_other_invocations(d, r->unit, r->invocation_id);
        else if (streq(r->message_id, MESSAGE_ID_UNIT_PROCESS_EXIT) &&
                 memmem(r->message, r->message_len, "Main process exited", STRLEN("Main process exited"))) {
                /* The trace, if any, ends a moment later (lifecycle_advance). */
                for (size_t i = 0; i < STREAMS_MAX; i++) {
                        CrashStream *e = &d->streams[i];
                        if (!streq(e->unit, r->unit) ||
                            (r->invocation_id && !streq(e->invocation_id, r->invocation_id)))
                                continue;
                        e->exit_at = r->realtime ?: 1;
                        snprintf(e->exit_code, sizeof e->exit_code, "%s", r->exit_code ?: "");
                        snprintf(e->exit_status, sizeof e->exit_status, "%s", r->exit_status ?: "");
                }
                UnitCrashes *u = lifecycle_unit(d, r->unit, true);
                if (!streq(u->invocation_id, r->invocation_id ?: "")) {
                        /* An exit with no crash record of its own (yet): its status is the cause. */
                        snprintf(u->invocation_id, sizeof u->invocation_id, "%s", r->invocation_id ?: "");
                        u->cause_id[0] = u->cause_class[0] = 0;
                }
                snprintf(u->exit, sizeof u->exit, "%s=%s",
                         streq(r->exit_code, "exited") ? "status" : "signal", r->exit_status ?: "?");
                u->exit_killed = streq(r->exit_code, "killed") && streq(r->exit_status, "9");
        }
        if (n < 0)
                return n;
        int k = lifecycle_exits_on_pid1(d, r);
        return k < 0 ? k : n + k;
}

/* ---- time ---- */

static uint64_t stream_deadline(const CrashStream *e) {
        if (!e->unit[0] || !e->s.open)
                return 0;
        uint64_t t = e->last_at + QUIET_USEC;
        if (e->exit_at && e->exit_at + EXIT_GRACE_USEC < t)
                t = e->exit_at + EXIT_GRACE_USEC;
        return t;
}

static int lifecycle_advance(void *state, uint64_t now) {
        LifecycleDetector *d = state;
        int n = 0;
        for (size_t i = 0; i < STREAMS_MAX; i++) {
                CrashStream *e = &d->streams[i];
                uint64_t t = stream_deadline(e);
                if (!e->unit[0] || (t && now < t) || (!t && !e->s.open && now - e->last_at < QUIET_USEC))
                        continue;
                int r = lifecycle_stream_flush(d, e,
                                               e->exit_at          ? GO_CRASH_END_EXIT
                                               : now == UINT64_MAX ? GO_CRASH_END_INPUT
                                                                   : GO_CRASH_END_QUIET);
                if (r < 0)
                        return r;
                n += r;
        }
        return n;
}

static uint64_t lifecycle_next_deadline(void *state) {
        LifecycleDetector *d = state;
        uint64_t next = 0;
        for (size_t i = 0; i < STREAMS_MAX; i++) {
                uint64_t t = stream_deadline(&d->streams[i]);
                if (t && (!next || t < next))
                        next = t;
        }
        return next;
}

/* ---- the Detector ---- */

static int lifecycle_init(Correlator *c, void *state) {
        LifecycleDetector *d = state;
        d->c = c;
        return 0;
}

static void lifecycle_done(void *state) {
        LifecycleDetector *d = state;
        for (size_t i = 0; i < STREAMS_MAX; i++)
                stream_free(&d->streams[i]);
}

const Detector detector_lifecycle = {
        .family = "lifecycle",
        .classes = classes,
        .pid1_message_ids = pid1_message_ids,
        .unit_line_filter = go_crash_line_wanted,
        .state_size = sizeof(LifecycleDetector),
        .init = lifecycle_init,
        .done = lifecycle_done,
        .advance = lifecycle_advance,
        .next_deadline = lifecycle_next_deadline,
        .on_pid1 = lifecycle_on_pid1,
        .on_unit_line = lifecycle_on_unit_line,
};
