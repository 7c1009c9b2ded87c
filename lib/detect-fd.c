/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The file-descriptor family: fd-exhaustion, fd-exhaustion-system, netpoll-init. Go's own error
 * texts for EMFILE and ENFILE in the unit's output (whatever logger printed them around), and the
 * runtime's netpoller start-up failures, correlated with LimitNOFILE= and the Go version: since
 * Go 1.19 a Go program raises its soft limit to the hard one at start. */
#include <stdio.h>
#include <string.h>

#include "detector.h"
#include "go-fd-message.h"
#include "unit-slots.h"

/* The unit-output needles, in the order a line is tried for them. */
static const char *const unit_needles[] = {
        /* ENFILE first: its text holds EMFILE's. C code (cgo) prints strerror()'s capital T. */
        "too many open files in system",
        "Too many open files in system",
        "too many open files",
        "Too many open files",
        /* src/runtime/netpoll_epoll.go: println("runtime: epollcreate failed with", errno), then
         * throw("runtime: netpollinit failed"); before Go 1.21 a pipe wakes the poller, later an
         * eventfd. All happen when the first timer or pollable descriptor appears. */
        "runtime: epollcreate failed",
        "runtime: netpollinit failed",
        "runtime: pipe failed",
        "runtime: eventfd failed",
        "runtime: epollctl failed",
        NULL,
};

static const FindingClass classes[] = {
        FINDING_FD_EXHAUSTION,
        FINDING_FD_EXHAUSTION_SYSTEM,
        FINDING_NETPOLL_INIT,
        _FINDING_CLASS_INVALID,
};

/* fs.nr_open's default: the most LimitNOFILE= may be without raising that sysctl first. */
#define NR_OPEN_DEFAULT 1048576ull
#define EMFILE_VALUE    24
#define ENFILE_VALUE    23

/* The samples of a unit's current invocation, to tell a leak (a count that keeps growing) from a
 * service that simply needs many. Bounded: the units sampled most recently. */
#define HISTORY_UNITS_MAX   128u
#define HISTORY_SAMPLES_MAX 8u
/* Samples that must all grow, and how much, before a count is called a leak. */
#define LEAK_SAMPLES_MIN    3u

typedef struct FdHistory {
        UnitSlot slot;
        uint64_t when[HISTORY_SAMPLES_MAX], count[HISTORY_SAMPLES_MAX]; /* oldest first */
        size_t n;
} FdHistory;

typedef struct FdDetector {
        Correlator *c;
        FdHistory history[HISTORY_UNITS_MAX];
        uint64_t clock;
} FdDetector;

/* ---- the limit in force ---- */

typedef struct NofileLimit {
        uint64_t limit; /* the one the process lives with; UINT64_MAX when not known */
        const char *basis;
        bool soft; /* it is the soft limit, below the hard one */
} NofileLimit;

/* Go 1.19 and later raise RLIMIT_NOFILE's soft limit to the hard one in package os's init (see
 * ../shared/reference/go-facts.md); older Go, and Go built into a C program (c-shared,
 * c-archive: the C program starts the process), live with the soft one. */
static void nofile_limit(const UnitKnowledge *k, NofileLimit *ret) {
        *ret = (NofileLimit){ .limit = UINT64_MAX };
        if (!k->known || !k->settings)
                return;
        uint64_t hard = k->settings->limit_nofile, soft = k->settings->limit_nofile_soft;
        const char *v = k->exe && k->exe->have_buildinfo ? k->exe->buildinfo.version : NULL;
        const char *mode = k->exe ? k->exe->buildmode : NULL;
        unsigned major, minor;
        if (soft >= hard) {
                *ret = (NofileLimit){ .limit = hard, .basis = "soft and hard limits are equal" };
                return;
        }
        if (streq(mode, "c-shared") || streq(mode, "c-archive"))
                *ret = (NofileLimit){ .limit = soft,
                                      .basis = "soft: Go built into a C program does not raise it",
                                      .soft = true };
        else if (go_version_parse(v, &major, &minor) < 0)
                *ret = (NofileLimit){ .limit = soft,
                                      .basis = "soft: the Go version is not known",
                                      .soft = true };
        else if (minor < 19)
                *ret = (NofileLimit){ .limit = soft,
                                      .basis = "soft: Go before 1.19 does not raise it",
                                      .soft = true };
        else
                *ret = (NofileLimit){ .limit = hard,
                                      .basis = "hard: Go 1.19 and later raise the soft limit to it" };
}

/* Four times the limit, a power of two, at least systemd's default soft limit and at most
 * fs.nr_open's default; 0 when that is no raise. */
static uint64_t suggest_limit(uint64_t limit) {
        if (limit >= NR_OPEN_DEFAULT)
                return 0;
        uint64_t s = 1024;
        while (s < 4 * limit && s < NR_OPEN_DEFAULT)
                s *= 2;
        return s > limit ? s : 0;
}

static void set_limit_evidence(Finding *f, const UnitKnowledge *k, const NofileLimit *l) {
        if (!k->known || !k->settings)
                return;
        (void) finding_set_u64(f, "LimitNOFILE", k->settings->limit_nofile);
        (void) finding_set_u64(f, "LimitNOFILESoft", k->settings->limit_nofile_soft);
        (void) finding_set_u64(f, "nofile_limit", l->limit);
        (void) finding_set_string(f, "nofile_limit_basis", l->basis);
}

/* "[Service]\nLimitNOFILE=..." raising the limit in force to n: for a program that lives with
 * its soft limit the soft one, keeping a higher hard one. */
static void limit_dropin(char *buf, size_t size, const UnitKnowledge *k, const NofileLimit *l, uint64_t n) {
        uint64_t hard = k->settings ? k->settings->limit_nofile : UINT64_MAX;
        if (l->soft && hard > n) {
                if (hard == UINT64_MAX)
                        snprintf(buf, size, "[Service]\nLimitNOFILE=%llu:infinity\n",
                                 (unsigned long long) n);
                else
                        snprintf(buf, size, "[Service]\nLimitNOFILE=%llu:%llu\n", (unsigned long long) n,
                                 (unsigned long long) hard);
        } else
                snprintf(buf, size, "[Service]\nLimitNOFILE=%llu\n", (unsigned long long) n);
}

/* What the unit holds, by kind: a command for the operator. */
static void add_holders_advice(Finding *f) {
        char cmd[512];
        snprintf(cmd, sizeof cmd,
                 "ls -l /proc/$(systemctl show -P MainPID '%s')/fd | awk 'NR > 1 { sub(/:.*/, \"\", $NF); "
                 "print $NF }' | sort | uniq -c | sort -rn | head",
                 f->unit);
        (void) finding_add_advice(f, ADVICE_COMMAND,
                                  "What the main process holds now, by kind (socket, pipe, anon_inode, or "
                                  "the file's path):",
                                  cmd);
}

static void add_system_advice(Finding *f) {
        (void) finding_add_advice(
                f, ADVICE_COMMAND,
                "The whole host ran out of file handles (fs.file-max), whatever LimitNOFILE= the unit has. "
                "Find the processes that hold the most descriptors; the culprit may be another one.",
                "sysctl fs.file-nr fs.file-max; for p in /proc/[0-9]*; do echo \"$(ls $p/fd 2>/dev/null | "
                "wc -l) $p $(cat $p/comm 2>/dev/null)\"; done | sort -rn | head");
        (void) finding_add_advice(
                f, ADVICE_COMMAND,
                "systemd raises fs.file-max to its maximum at boot: a lower value comes from a sysctl "
                "setting. Raise it for good with a sysctl.d drop-in:",
                "echo 'fs.file-max = 9223372036854775807' >/etc/sysctl.d/90-file-max.conf && sysctl "
                "--system");
}

/* ---- EMFILE and ENFILE ---- */

static void emfile_advice(Finding *f, const UnitKnowledge *k, const NofileLimit *l, const char *op) {
        char text[1024], dropin[128];
        uint64_t n = suggest_limit(l->limit);
        const char *leak =
                "If the count keeps growing while the load does not, the service leaks descriptors: "
                "raising the limit only delays the failure.";
        char when[96] = "";
        if (op)
                snprintf(when, sizeof when, " when %s failed", op);
        if (l->limit == UINT64_MAX) {
                snprintf(
                        text, sizeof text,
                        "The service ran out of file descriptors%s. The limit in force is not known here "
                        "(systemctl show -p LimitNOFILE,LimitNOFILESoft shows it); raise LimitNOFILE= above "
                        "what the service needs at its peak, 65536 suits most network services. %s",
                        when, leak);
                (void) finding_add_advice(f, ADVICE_DROPIN, text, "[Service]\nLimitNOFILE=65536\n");
        } else if (n == 0) {
                snprintf(text, sizeof text,
                         "The service had %llu descriptors open, its limit (%s)%s. That is more than a "
                         "service "
                         "needs: look for a leak before raising the limit (fs.nr_open first). %s",
                         (unsigned long long) l->limit, l->basis, when, leak);
                (void) finding_add_advice(f, ADVICE_TEXT, text, NULL);
        } else {
                snprintf(text, sizeof text,
                         "The service had %llu descriptors open, its limit (%s)%s. Raise LimitNOFILE=; the "
                         "drop-in allows %llu. %s",
                         (unsigned long long) l->limit, l->basis, when, (unsigned long long) n, leak);
                limit_dropin(dropin, sizeof dropin, k, l, n);
                (void) finding_add_advice(f, ADVICE_DROPIN, text, dropin);
        }
}

/* The summary of a finding from the unit's own "too many open files": its operation and limit. */
static void emfile_summary(Finding *f, const char *op, const NofileLimit *l) {
        char detail[128];
        if (l->limit == UINT64_MAX) {
                finding_update_summary(f, op);
                return;
        }
        snprintf(detail, sizeof detail, "%s%s%slimit %llu", op ?: "", op ? ", " : "", l->soft ? "soft " : "",
                 (unsigned long long) l->limit);
        finding_update_summary(f, detail);
}

static int feed_open_files(FdDetector *d, const JournalRecord *r, const UnitKnowledge *kp,
                           const char *needle, bool system) {
        char key[192];
        JournalPosition posbuf;
        const JournalPosition *pos = journal_record_position(r, &posbuf);
        UnitKnowledge k = *kp;

        FindingClass cls = system ? FINDING_FD_EXHAUSTION_SYSTEM : FINDING_FD_EXHAUSTION;
        Finding *f;
        bool added;
        /* A server retries its accept() again and again: one occurrence per invocation. */
        snprintf(key, sizeof key, "%s/inv/%s/%s", r->boot_id ?: "-", r->invocation_id ?: "-",
                 system ? "enfile" : "emfile");
        int rr = correlator_count(d->c, cls, r->unit, key, r->invocation_id, r->realtime, pos, &f, &added);
        if (rr <= 0)
                return rr;

        const char *at = memmem(r->message, r->message_len, needle, strlen(needle));
        if (!at)
                return 0; /* the needle set found it: cannot happen */
        GoFdMessage m;
        go_fd_message_find(r->message, r->message_len, (size_t) (at - r->message), strlen(needle), &m);
        _cleanup_free_ char *op = m.op_len ? strndup(r->message + m.op_start, m.op_len) : NULL;

        finding_set_common_evidence(f, r, &k);
        (void) finding_set_string_n(f, "go_message", r->message + m.start, m.end - m.start);
        (void) finding_set_usec(f, "logged_at", r->realtime);
        if (op)
                (void) finding_set_string(f, "fd_operation", op);
        NofileLimit l;
        nofile_limit(&k, &l);
        set_limit_evidence(f, &k, &l);

        finding_clear_advice(f);
        if (system) {
                add_system_advice(f);
                finding_update_summary(f, op);
        } else {
                emfile_advice(f, &k, &l, op);
                add_holders_advice(f);
                emfile_summary(f, op, &l);
        }
        correlator_notify(d->c, f, added);
        return 1;
}

/* ---- the netpoller ---- */

static void netpoll_advice(Finding *f, const UnitKnowledge *k, const NofileLimit *l, int64_t e) {
        char text[768], dropin[128];
        bool small = l->limit != UINT64_MAX && l->limit <= 64;
        if (e == ENFILE_VALUE) {
                add_system_advice(f);
                return;
        }
        if (e == EMFILE_VALUE || (e < 0 && (small || l->limit == UINT64_MAX))) {
                uint64_t n = l->limit == UINT64_MAX ? 1024 : suggest_limit(l->limit);
                if (l->limit == UINT64_MAX)
                        snprintf(
                                text, sizeof text,
                                "The Go runtime needs descriptors of its own for its network poller (an "
                                "epoll "
                                "instance and a pipe or an eventfd to wake it), besides stdin, stdout and "
                                "stderr. Give the unit a LimitNOFILE= that leaves room for them and for the "
                                "service's own.");
                else
                        snprintf(text, sizeof text,
                                 "The Go runtime needs descriptors of its own for its network poller (an "
                                 "epoll "
                                 "instance and a pipe or an eventfd to wake it), besides stdin, stdout and "
                                 "stderr: a limit of %llu (%s) left none. The drop-in allows %llu.",
                                 (unsigned long long) l->limit, l->basis, (unsigned long long) n);
                limit_dropin(dropin, sizeof dropin, k, l, n);
                (void) finding_add_advice(f, ADVICE_DROPIN, text, dropin);
        }
        if (e != EMFILE_VALUE && !(e < 0 && small)) {
                const char *name = errno_name(e);
                char what[64] = "";
                if (e >= 0)
                        snprintf(what, sizeof what, " (%s)", name ?: "an errno");
                snprintf(text, sizeof text,
                         "A refused system call%s rather than a lack of descriptors: a SystemCallFilter= "
                         "with "
                         "SystemCallErrorNumber= that does not allow epoll, eventfd or pipe stops the Go "
                         "runtime at start. Allow them:",
                         what);
                (void) finding_add_advice(f, ADVICE_DROPIN, text,
                                          "[Service]\nSystemCallFilter=@io-event pipe pipe2\n");
        }
}

static int feed_netpoll(FdDetector *d, const JournalRecord *r, const UnitKnowledge *kp, const char *needle) {
        char key[192];
        JournalPosition posbuf;
        const JournalPosition *pos = journal_record_position(r, &posbuf);
        UnitKnowledge k = *kp;

        const char *at = memmem(r->message, r->message_len, needle, strlen(needle));
        if (!at)
                return 0;
        GoRuntimeFailure rf;
        go_runtime_failure_find(r->message, r->message_len, (size_t) (at - r->message), strlen(needle), &rf);

        Finding *f;
        bool added;
        /* The runtime prints its println() and its throw(): one occurrence per invocation. */
        snprintf(key, sizeof key, "%s/inv/%s/netpoll", r->boot_id ?: "-", r->invocation_id ?: "-");
        int rr = correlator_count(d->c, FINDING_NETPOLL_INIT, r->unit, key, r->invocation_id, r->realtime,
                                  pos, &f, &added);
        if (rr < 0)
                return rr;
        if (rr == 0) {
                /* The throw() after the println() that was counted: the detail. */
                const Evidence *first = finding_get(f, "go_message");
                _cleanup_free_ char *m = strndup(r->message + rf.start, rf.end - rf.start);
                if (!m || finding_get(f, "go_message_detail") ||
                    !streq(f->invocation_id, r->invocation_id ?: "") || (first && streq(first->s, m)))
                        return 0; /* read again, or a third line */
                (void) finding_set_string(f, "go_message_detail", m);
                correlator_notify(d->c, f, false);
                return 0;
        }

        finding_set_common_evidence(f, r, &k);
        (void) finding_set_string_n(f, "go_message", r->message + rf.start, rf.end - rf.start);
        (void) finding_set_usec(f, "logged_at", r->realtime);
        if (rf.errno_value >= 0)
                (void) finding_set_u64(f, "go_errno", (uint64_t) rf.errno_value);
        NofileLimit l;
        nofile_limit(&k, &l);
        set_limit_evidence(f, &k, &l);
        finding_clear_advice(f);
        netpoll_advice(f, &k, &l, rf.errno_value);

        /* "epollcreate failed with EMFILE, limit 3": the call is the needle's word after "runtime: ". */
        char detail[160], call[32], err[32] = "", lim[40] = "";
        const char *w = needle + STRLEN("runtime: ");
        snprintf(call, sizeof call, "%.*s", (int) strcspn(w, " "), w);
        if (rf.errno_value >= 0)
                snprintf(err, sizeof err, " with %s", errno_name(rf.errno_value) ?: "an error");
        if (l.limit != UINT64_MAX)
                snprintf(lim, sizeof lim, ", %slimit %llu", l.soft ? "soft " : "",
                         (unsigned long long) l.limit);
        snprintf(detail, sizeof detail, "%s failed%s%s", call, err, lim);
        finding_update_summary(f, detail);
        correlator_notify(d->c, f, added);
        return 1;
}

/* ---- live samples ---- */

bool fd_count_near_limit(const UnitKnowledge *k, uint64_t fd_count) {
        NofileLimit l;
        nofile_limit(k, &l);
        /* 90%, in integers: no limit (infinity) is never near. */
        return l.limit != UINT64_MAX && l.limit > 0 && fd_count >= l.limit - l.limit / 10;
}

static void history_add(FdHistory *h, uint64_t when, uint64_t count) {
        if (h->n > 0 && when <= h->when[h->n - 1])
                return; /* the same sample again, or time went back */
        if (h->n == HISTORY_SAMPLES_MAX) {
                memmove(h->when, h->when + 1, sizeof h->when[0] * (HISTORY_SAMPLES_MAX - 1));
                memmove(h->count, h->count + 1, sizeof h->count[0] * (HISTORY_SAMPLES_MAX - 1));
                h->n--;
        }
        h->when[h->n] = when;
        h->count[h->n] = count;
        h->n++;
}

/* Descriptors a minute when every sample of the history grew on the one before it (a leak),
 * else 0. */
static uint64_t history_growth_per_min(const FdHistory *h) {
        if (h->n < LEAK_SAMPLES_MIN)
                return 0;
        for (size_t i = 1; i < h->n; i++)
                if (h->count[i] <= h->count[i - 1])
                        return 0;
        uint64_t dt = h->when[h->n - 1] - h->when[0];
        uint64_t dn = h->count[h->n - 1] - h->count[0];
        if (dt == 0)
                return 0;
        uint64_t g = dn > UINT64_MAX / 60000000u ? UINT64_MAX / dt : dn * 60000000u / dt;
        return g ?: 1;
}

/* The kind most of the descriptors read are, or NULL. */
static const char *dominant_kind(const UnitSample *s, uint64_t *ret_n) {
        const struct {
                const char *name;
                uint64_t n;
        } kinds[] = {
                { "sockets", s->fd_sockets },         { "pipes", s->fd_pipes },  { "files", s->fd_files },
                { "anon inodes", s->fd_anon_inodes }, { "others", s->fd_other },
        };
        size_t best = 0;
        for (size_t i = 1; i < ELEMENTSOF(kinds); i++)
                if (kinds[i].n > kinds[best].n)
                        best = i;
        if (s->fd_kinds_read == 0 || kinds[best].n == 0)
                return NULL;
        *ret_n = kinds[best].n;
        return kinds[best].name;
}

static void sample_advice(Finding *f, const UnitKnowledge *k, const NofileLimit *l, const UnitSample *s,
                          uint64_t growth) {
        char text[1024], dropin[128], kinds[160] = "";
        uint64_t n = suggest_limit(l->limit), most = 0;
        const char *kind = dominant_kind(s, &most);
        if (kind)
                snprintf(kinds, sizeof kinds, " Most are %s: %llu of the %llu read.", kind,
                         (unsigned long long) most, (unsigned long long) s->fd_kinds_read);
        unsigned long long pct = (unsigned long long) (s->fd_count * 100 / l->limit);
        if (growth > 0) {
                uint64_t left = l->limit > s->fd_count ? l->limit - s->fd_count : 0;
                char delay[96] = "";
                if (n)
                        snprintf(delay, sizeof delay, " (the drop-in's limit lasts about %llu minutes more)",
                                 (unsigned long long) ((n - l->limit) / growth));
                char when[48] = "within a minute";
                if (left / growth > 0)
                        snprintf(when, sizeof when, "in about %llu minutes",
                                 (unsigned long long) (left / growth));
                snprintf(
                        text, sizeof text,
                        "The main process holds %llu descriptors, %llu%% of its limit of %llu (%s), and the "
                        "count grew at every sample, by about %llu a minute: the limit is reached %s. That "
                        "looks like a leak: raising the limit only delays the failure%s.%s",
                        (unsigned long long) s->fd_count, pct, (unsigned long long) l->limit, l->basis,
                        (unsigned long long) growth, when, delay, kinds);
        } else
                snprintf(text, sizeof text,
                         "The main process holds %llu descriptors, %llu%% of its limit of %llu (%s). Raise "
                         "LimitNOFILE= before it runs out%s%llu. If the count keeps growing while the load "
                         "does "
                         "not, the service leaks descriptors: raising the limit only delays the failure.%s",
                         (unsigned long long) s->fd_count, pct, (unsigned long long) l->limit, l->basis,
                         n ? "; the drop-in allows " : "", (unsigned long long) n, kinds);
        if (n) {
                limit_dropin(dropin, sizeof dropin, k, l, n);
                (void) finding_add_advice(f, ADVICE_DROPIN, text, dropin);
        } else
                (void) finding_add_advice(f, ADVICE_TEXT, text, NULL);
}

static int fd_on_sample(void *state, const char *unit, const UnitSample *s) {
        FdDetector *d = state;
        /* The unit's history for this invocation. */
        FdHistory *h = unit_slot_get(d->history, HISTORY_UNITS_MAX, sizeof d->history[0], &d->clock, unit,
                                     s->invocation_id);
        history_add(h, s->realtime, s->fd_count);

        UnitKnowledge k;
        correlator_lookup(d->c, unit, &k);
        if (!k.known || !correlator_wanted(d->c, &k) || !fd_count_near_limit(&k, s->fd_count))
                return 0;
        NofileLimit l;
        nofile_limit(&k, &l);

        Finding *f;
        bool added;
        char key[192];
        /* The same occurrence as the invocation's "too many open files": one per invocation. */
        snprintf(key, sizeof key, "%s/inv/%s/emfile", s->boot_id ?: "-", s->invocation_id ?: "-");
        int rr = correlator_count(d->c, FINDING_FD_EXHAUSTION, unit, key, s->invocation_id, s->realtime,
                                  NULL, &f, &added);
        if (rr < 0)
                return rr;
        const Evidence *prev = finding_get(f, "fd_count");
        if (rr == 0 && prev && prev->u == s->fd_count)
                return 0; /* nothing new */

        uint64_t growth = history_growth_per_min(h);
        if (rr > 0) {
                JournalRecord r = { .source = JOURNAL_SOURCE_KMSG,
                                    .realtime = s->realtime,
                                    .boot_id = s->boot_id };
                finding_set_common_evidence(f, &r, &k);
        }
        (void) finding_set_u64(f, "fd_count", s->fd_count);
        (void) finding_set_usec(f, "fd_sampled_at", s->realtime);
        (void) finding_set_u64(f, "fd_samples", h->n);
        (void) finding_set_u64(f, "fd_growth_per_min", growth);
        if (s->fd_kinds_read > 0) {
                (void) finding_set_u64(f, "fd_kinds_read", s->fd_kinds_read);
                (void) finding_set_u64(f, "fd_sockets", s->fd_sockets);
                (void) finding_set_u64(f, "fd_pipes", s->fd_pipes);
                (void) finding_set_u64(f, "fd_files", s->fd_files);
                (void) finding_set_u64(f, "fd_anon_inodes", s->fd_anon_inodes);
                (void) finding_set_u64(f, "fd_other", s->fd_other);
        }
        set_limit_evidence(f, &k, &l);
        /* A finding from the unit's own "too many open files" keeps its advice and summary; a sample
         * that counts a new invocation first only brings its count up to date. */
        const Evidence *op = finding_get(f, "fd_operation");
        if (finding_get(f, "go_message")) {
                if (rr > 0)
                        emfile_summary(f, op ? op->s : NULL, &l);
        } else {
                char detail[192], grows[48] = "", kinds[64] = "";
                uint64_t most = 0;
                const char *kind = dominant_kind(s, &most);
                if (growth)
                        snprintf(grows, sizeof grows, ", growing %llu/min", (unsigned long long) growth);
                if (kind)
                        snprintf(kinds, sizeof kinds, ", mostly %s", kind);
                snprintf(detail, sizeof detail, "%llu of %llu open (%llu%%)%s%s",
                         (unsigned long long) s->fd_count, (unsigned long long) l.limit,
                         (unsigned long long) (s->fd_count * 100 / l.limit), grows, kinds);
                finding_clear_advice(f);
                sample_advice(f, &k, &l, s, growth);
                add_holders_advice(f);
                finding_update_summary(f, detail);
        }
        correlator_notify(d->c, f, added);
        return 1;
}

/* ---- the Detector ---- */

static int fd_init(Correlator *c, void *state) {
        FdDetector *d = state;
        d->c = c;
        return 0;
}

static int fd_on_unit_line(void *state, const JournalRecord *r, const char *needle) {
        FdDetector *d = state;
        UnitKnowledge k;
        if (!correlator_lookup_wanted(d->c, r->unit, &k))
                return 0;
        if (strstr(needle, "open files"))
                return feed_open_files(d, r, &k, needle, strstr(needle, "in system") != NULL);
        return feed_netpoll(d, r, &k, needle);
}

const Detector detector_fd = {
        .family = "fd",
        .classes = classes,
        .unit_needles = unit_needles,
        .state_size = sizeof(FdDetector),
        .init = fd_init,
        .on_unit_line = fd_on_unit_line,
        .on_sample = fd_on_sample,
};
