/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdio.h>
#include <string.h>

#include "correlate.h"
#include "go-env.h"
#include "strbuf.h"
#include "unit-name.h"

/* How far apart the kernel's lines of one kill, and PID 1's report of it, may be. */
#define MERGE_WINDOW_USEC     (5 * 1000000ull)
#define ATTRIBUTE_WINDOW_USEC (3 * 1000000ull)
#define RECENT_MAX            64u
#define PENDING_MAX           32u
#define INVOCATIONS_MAX       4096u
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

struct Correlator {
        FindingStore *store;
        CorrelatorOptions opts;
        RecentKill recent[RECENT_MAX];
        size_t recent_next;
        PendingKill pending[PENDING_MAX];
        size_t n_pending;
        KernelContext kernel[2]; /* [0] the journal's kernel lines, [1] /dev/kmsg's */
        RecentExit exits[EXITS_MAX];
        size_t exits_next;
        Hashmap *invocations; /* unit → last INVOCATION_ID PID 1 logged for it */
};

typedef struct InvocationEntry {
        char *unit;
        char id[33];
} InvocationEntry;

static bool streq(const char *a, const char *b) {
        return a && b && strcmp(a, b) == 0;
}

int correlator_new(FindingStore *store, const CorrelatorOptions *options, Correlator **ret) {
        _cleanup_(correlator_freep) Correlator *c = calloc(1, sizeof *c);
        if (!c)
                return -ENOMEM;
        c->store = store;
        c->opts = *options;
        int r = hashmap_new(&c->invocations);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(c);
        return 0;
}

Correlator *correlator_free(Correlator *c) {
        if (!c)
                return NULL;
        for (size_t i = 0; i < c->n_pending; i++)
                kernel_oom_record_done(&c->pending[i].rec);
        for (size_t i = 0; i < ELEMENTSOF(c->kernel); i++)
                free(c->kernel[i].task_in_memcg);
        if (c->invocations) {
                size_t i = 0;
                void *v;
                while (hashmap_iterate(c->invocations, &i, &v, NULL)) {
                        free(((InvocationEntry *) v)->unit);
                        free(v);
                }
        }
        hashmap_free(c->invocations);
        return mfree(c);
}

/* ---- small parsers ---- */

int go_version_parse(const char *v, unsigned *ret_major, unsigned *ret_minor) {
        if (!v)
                return -EINVAL;
        const char *p = strstr(v, "go1.");
        if (!p)
                return -EINVAL;
        p += 4;
        unsigned minor = 0;
        if (*p < '0' || *p > '9')
                return -EINVAL;
        while (*p >= '0' && *p <= '9' && minor < 10000)
                minor = minor * 10 + (unsigned) (*p++ - '0');
        *ret_major = 1;
        *ret_minor = minor;
        return 0;
}

int gomemlimit_parse(const char *s, uint64_t *ret) {
        static const struct {
                const char *suffix;
                uint64_t mult;
        } units[] = {
                { "TiB", 1ull << 40 },
                { "GiB", 1ull << 30 },
                { "MiB", 1ull << 20 },
                { "KiB", 1ull << 10 },
                { "B", 1 },
        };
        if (!s)
                return -EINVAL;
        if (strcmp(s, "off") == 0 || !*s) { /* the runtime treats GOMEMLIMIT= like "off" */
                *ret = UINT64_MAX;
                return 0;
        }
        size_t n = strlen(s), digits = 0;
        while (digits < n && s[digits] >= '0' && s[digits] <= '9')
                digits++;
        if (digits == 0)
                return -EINVAL;
        uint64_t mult = 1;
        if (digits < n) {
                bool found = false;
                for (size_t i = 0; i < ELEMENTSOF(units); i++)
                        if (strcmp(s + digits, units[i].suffix) == 0) {
                                mult = units[i].mult;
                                found = true;
                                break;
                        }
                if (!found)
                        return -EINVAL;
        }
        uint64_t v = 0;
        for (size_t i = 0; i < digits; i++) {
                if (v > (UINT64_MAX - 9) / 10)
                        return -ERANGE;
                v = v * 10 + (uint64_t) (s[i] - '0');
        }
        if (v > (uint64_t) INT64_MAX / mult)
                return -ERANGE;
        *ret = v * mult;
        return 0;
}

int gomemlimit_format(uint64_t bytes, char **ret) {
        int r;
        if (bytes >= 16ull << 20)
                r = asprintf(ret, "%lluMiB", (unsigned long long) (bytes >> 20));
        else
                r = asprintf(ret, "%lluKiB", (unsigned long long) (bytes >> 10));
        return r < 0 ? -ENOMEM : 0;
}

/* Like systemd prints sizes: 40M, 1.5G. */
static void format_size(char *buf, size_t n, uint64_t bytes) {
        static const char suffixes[] = "KMGTPE";
        if (bytes == UINT64_MAX) {
                snprintf(buf, n, "infinity");
                return;
        }
        if (bytes < 1024) {
                snprintf(buf, n, "%lluB", (unsigned long long) bytes);
                return;
        }
        double v = (double) bytes;
        size_t i = 0;
        v /= 1024;
        while (v >= 1024 && i + 1 < sizeof suffixes - 1) {
                v /= 1024;
                i++;
        }
        if (v == (double) (uint64_t) v)
                snprintf(buf, n, "%llu%c", (unsigned long long) v, suffixes[i]);
        else
                snprintf(buf, n, "%.1f%c", v, suffixes[i]);
}

/* ---- unit knowledge ---- */

static void lookup(Correlator *c, const char *unit, UnitKnowledge *k) {
        *k = (UnitKnowledge){};
        if (c->opts.lookup && unit)
                (void) c->opts.lookup(c->opts.userdata, unit, k);
}

static bool wanted(Correlator *c, const UnitKnowledge *k) {
        return c->opts.include_non_go || !k->known || k->is_go;
}

static const char *known_invocation(Correlator *c, const char *unit) {
        InvocationEntry *e = hashmap_get(c->invocations, unit);
        return e ? e->id : NULL;
}

static void remember_invocation(Correlator *c, const char *unit, const char *id) {
        if (!unit || !id || strlen(id) != 32)
                return;
        InvocationEntry *e = hashmap_get(c->invocations, unit);
        if (e) {
                memcpy(e->id, id, 33);
                return;
        }
        if (hashmap_size(c->invocations) >= INVOCATIONS_MAX)
                return; /* bounded; the live unit state still knows the current invocation */
        e = calloc(1, sizeof *e);
        if (!e || !(e->unit = strdup(unit))) {
                free(e);
                return;
        }
        memcpy(e->id, id, 33);
        if (hashmap_put(c->invocations, e->unit, e) < 0) {
                free(e->unit);
                free(e);
        }
}

static const char *env_lookup(const UnitKnowledge *k, const char *name, const char **ret_source) {
        const char *v = env_get(k->process_environment, name);
        if (v) {
                *ret_source = "process environment";
                return v;
        }
        v = k->settings ? env_get(k->settings->environment, name) : NULL;
        if (v) {
                *ret_source = "Environment=";
                return v;
        }
        /* The files, for when there is no process to read (it died before goguardd saw it). */
        v = env_get(k->environment_files, name);
        if (v) {
                *ret_source = "EnvironmentFile=";
                return v;
        }
        *ret_source = NULL;
        return NULL;
}

/* ---- findings ---- */

/* The open finding of (class, unit), or a new one; *ret_added says which. */
static int get_finding(Correlator *c, FindingClass cls, const char *unit, const char *first_key,
                       Finding **ret, bool *ret_added) {
        Finding *f = finding_store_find_active(c->store, cls, unit);
        if (f) {
                *ret = f;
                *ret_added = false;
                return 0;
        }
        int r = finding_new(cls, unit, first_key, &f);
        if (r < 0)
                return r;
        /* A resolved finding of the same first event: the event was read again. */
        Finding *old = finding_store_get(c->store, f->id);
        if (old) {
                finding_free(f);
                *ret = old;
                *ret_added = false;
                return 0;
        }
        char *id_copy = strdup(f->id);
        if (!id_copy) {
                finding_free(f);
                return -ENOMEM;
        }
        r = finding_store_add(c->store, f);
        if (r >= 0)
                f = finding_store_get(c->store, id_copy);
        free(id_copy);
        if (r < 0)
                return r;
        *ret = f;
        *ret_added = true;
        return 0;
}

/* Where r stands in the journal, in buf; NULL for a record that came live. */
static const JournalPosition *record_position(const JournalRecord *r, JournalPosition *buf) {
        if (r->journal_monotonic == 0)
                return NULL;
        *buf = (JournalPosition){ .monotonic = r->journal_monotonic, .realtime = r->realtime };
        if (r->boot_id && strlen(r->boot_id) == 32)
                memcpy(buf->boot_id, r->boot_id, 33);
        return buf;
}

/* The one way an occurrence is counted: finds or adds the finding of (class, unit) and records
 * the occurrence key at pos (NULL when it came live). Returns 1 when the finding is new or the
 * occurrence counted, 0 when it had been counted before (the same key, or a journal position a
 * finding of this class and unit counted already: a re-read), or -errno. */
static int count_occurrence(Correlator *c, FindingClass cls, const char *unit, const char *key,
                            const char *invocation_id, uint64_t when, const JournalPosition *pos,
                            Finding **ret, bool *ret_added) {
        Finding *f;
        bool added = false;
        int r;

        /* An old record read again whose finding was resolved since: counted there. */
        if (!finding_store_find_active(c->store, cls, unit) &&
            (f = finding_store_find_counted(c->store, cls, unit, pos))) {
                *ret = f;
                *ret_added = false;
                return 0;
        }
        r = get_finding(c, cls, unit, key, &f, &added);
        if (r < 0)
                return r;
        r = finding_record_at(f, key, invocation_id, when, pos);
        if (r < 0)
                return r;
        *ret = f;
        *ret_added = added;
        return r > 0 || added;
}

static void notify(Correlator *c, Finding *f, bool added) {
        if (c->opts.notify)
                c->opts.notify(c->opts.userdata, f, added);
}

static void set_common_evidence(Finding *f, const JournalRecord *r, const UnitKnowledge *k) {
        if (r->boot_id)
                (void) finding_set_string(f, "boot_id", r->boot_id);
        if (journal_record_cursor(r))
                (void) finding_set_string(f, "journal_cursor", journal_record_cursor(r));
        (void) finding_set_bool(f, "unit_settings_known", k->known);
        if (k->exe && k->exe->have_buildinfo && k->exe->buildinfo.version)
                (void) finding_set_string(f, "go_version", k->exe->buildinfo.version);
        if (k->known && k->settings) {
                const UnitSettings *s = k->settings;
                if (s->restart)
                        (void) finding_set_string(f, "Restart", s->restart);
                if (s->oom_policy)
                        (void) finding_set_string(f, "OOMPolicy", s->oom_policy);
                (void) finding_set_u64(f, "NRestarts", s->n_restarts);
        }
}

/* The memory limit in force: MemoryMax=, else MemoryLimit= (cgroup v1), else what the kernel
 * printed for this kill. */
static uint64_t memory_limit(const UnitKnowledge *k, uint64_t kernel_limit_kb, const char **ret_setting) {
        if (k->known && k->settings) {
                if (k->settings->memory_max != UINT64_MAX) {
                        *ret_setting = "MemoryMax";
                        return k->settings->memory_max;
                }
                if (k->settings->memory_limit != UINT64_MAX) {
                        *ret_setting = "MemoryLimit";
                        return k->settings->memory_limit;
                }
        }
        if (kernel_limit_kb > 0 && kernel_limit_kb < (UINT64_MAX >> 10)) {
                *ret_setting = "kernel";
                return kernel_limit_kb << 10;
        }
        *ret_setting = NULL;
        return UINT64_MAX;
}

/* Evidence about the unit's memory settings and GOMEMLIMIT, and advice with numbers. */
static void memory_advice(Finding *f, const UnitKnowledge *k, uint64_t kernel_limit_kb) {
        const char *setting, *src_limit, *src_gc;
        char size[32], buf[768];
        uint64_t limit = memory_limit(k, kernel_limit_kb, &setting);
        const char *gomemlimit = env_lookup(k, "GOMEMLIMIT", &src_limit);
        const char *gogc = env_lookup(k, "GOGC", &src_gc);
        unsigned major = 0, minor = 0;
        bool go_known = k->exe && k->exe->have_buildinfo &&
                        go_version_parse(k->exe->buildinfo.version, &major, &minor) >= 0;
        bool has_gomemlimit = go_known && minor >= 19;

        if (k->known && k->settings) {
                (void) finding_set_u64(f, "MemoryMax", k->settings->memory_max);
                (void) finding_set_u64(f, "MemoryHigh", k->settings->memory_high);
                (void) finding_set_u64(f, "MemoryLimit", k->settings->memory_limit);
                (void) finding_set_u64(f, "MemorySwapMax", k->settings->memory_swap_max);
        }
        if (limit != UINT64_MAX)
                (void) finding_set_u64(f, "memory_limit_bytes", limit);
        (void) finding_set_string(f, "GOMEMLIMIT", gomemlimit ?: "");
        if (gomemlimit)
                (void) finding_set_string(f, "GOMEMLIMIT_source", src_limit);
        if (gogc)
                (void) finding_set_string(f, "GOGC", gogc);

        finding_clear_advice(f);
        if (limit == UINT64_MAX) {
                (void) finding_add_advice(
                        f, ADVICE_TEXT,
                        "The memory limit that was hit is not known (unit settings unknown). "
                        "Set GOMEMLIMIT to about 90% of it so the Go garbage collector works "
                        "harder before the kernel kills the process.",
                        NULL);
                return;
        }
        format_size(size, sizeof size, limit);
        /* "MemoryMax=40M", or, when the unit's settings are unknown, the kernel's figure. */
        char limit_name[64];
        if (strcmp(setting, "kernel") == 0)
                snprintf(limit_name, sizeof limit_name, "its memory limit of %s", size);
        else
                snprintf(limit_name, sizeof limit_name, "%s=%s", setting, size);
        uint64_t target = limit / 10 * 9;
        _cleanup_free_ char *target_s = NULL;
        if (gomemlimit_format(target, &target_s) < 0)
                return;

        uint64_t current;
        bool current_ok = gomemlimit && gomemlimit_parse(gomemlimit, &current) >= 0;
        if (go_known && !has_gomemlimit) {
                snprintf(buf, sizeof buf,
                         "%s predates GOMEMLIMIT (Go 1.19). Lower GOGC so the heap stays well below %s, "
                         "raise the limit, or rebuild with Go 1.19 or newer and set GOMEMLIMIT=%s.",
                         k->exe->buildinfo.version, limit_name, target_s);
                (void) finding_add_advice(f, ADVICE_TEXT, buf, NULL);
        } else if (!gomemlimit || (current_ok && current == UINT64_MAX)) {
                snprintf(buf, sizeof buf,
                         "The Go runtime does not know about %s: it never reads the cgroup limit, so "
                         "the kernel kills the process before the garbage collector tries harder. Set "
                         "GOMEMLIMIT to about 90%% of the limit. It is a soft limit: if the live heap "
                         "itself comes near it, the collector runs almost constantly and the process "
                         "can still outgrow the limit; then raise the limit too.",
                         limit_name);
                _cleanup_free_ char *dropin = NULL;
                if (asprintf(&dropin, "[Service]\nEnvironment=GOMEMLIMIT=%s\n", target_s) >= 0)
                        (void) finding_add_advice(f, ADVICE_DROPIN, buf, dropin);
        } else if (!current_ok) {
                snprintf(buf, sizeof buf,
                         "GOMEMLIMIT=%s is not a value the Go runtime accepts; use a number with a B, "
                         "KiB, MiB, GiB or TiB suffix, about 90%% of %s.",
                         gomemlimit, limit_name);
                _cleanup_free_ char *dropin = NULL;
                if (asprintf(&dropin, "[Service]\nEnvironment=GOMEMLIMIT=%s\n", target_s) >= 0)
                        (void) finding_add_advice(f, ADVICE_DROPIN, buf, dropin);
        } else if (current >= limit / 100 * 95) {
                snprintf(buf, sizeof buf,
                         "GOMEMLIMIT=%s leaves no room below %s for memory the Go runtime does not "
                         "manage (cgo, stacks of C threads, the binary itself). Lower it to about 90%%.",
                         gomemlimit, limit_name);
                _cleanup_free_ char *dropin = NULL;
                if (asprintf(&dropin, "[Service]\nEnvironment=GOMEMLIMIT=%s\n", target_s) >= 0)
                        (void) finding_add_advice(f, ADVICE_DROPIN, buf, dropin);
        } else {
                snprintf(buf, sizeof buf,
                         "GOMEMLIMIT=%s is below %s, and the process still outgrew the limit: its live "
                         "heap needs more memory than the limit allows (GOMEMLIMIT is a soft limit). Raise "
                         "the limit, or find what holds the memory.",
                         gomemlimit, limit_name);
                (void) finding_add_advice(f, ADVICE_TEXT, buf, NULL);
        }
        if (k->known && k->settings && k->settings->memory_max != UINT64_MAX) {
                char bigger[32];
                format_size(bigger, sizeof bigger, k->settings->memory_max / 2 * 3);
                snprintf(buf, sizeof buf, "Or raise the limit if the service needs more memory.");
                _cleanup_free_ char *dropin = NULL;
                if (asprintf(&dropin, "[Service]\nMemoryMax=%s\n", bigger) >= 0)
                        (void) finding_add_advice(f, ADVICE_DROPIN, buf, dropin);
        }
}

static void update_summary(Finding *f, const char *detail) {
        const FindingClassInfo *info = finding_class_info(f->class);
        char buf[1024];
        if (f->count > 1)
                snprintf(buf, sizeof buf, "%s %s%s%s (%llu times)", f->unit, info->title, detail ? ": " : "",
                         detail ?: "", (unsigned long long) f->count);
        else
                snprintf(buf, sizeof buf, "%s %s%s%s", f->unit, info->title, detail ? ": " : "",
                         detail ?: "");
        (void) finding_set_summary(f, buf);
}

static void memory_summary(Finding *f) {
        const Evidence *limit = finding_get(f, "memory_limit_bytes");
        const Evidence *gml = finding_get(f, "GOMEMLIMIT");
        char size[32], detail[256];
        if (limit && limit->type == EVIDENCE_U64) {
                format_size(size, sizeof size, limit->u);
                snprintf(detail, sizeof detail, "limit %s, %s", size,
                         gml && gml->s && *gml->s ? "GOMEMLIMIT set" : "no GOMEMLIMIT");
                update_summary(f, detail);
        } else
                update_summary(f, NULL);
}

static void remember_kill(Correlator *c, uint32_t pid, const char *unit, const Finding *f, uint64_t when) {
        RecentKill *k = &c->recent[c->recent_next];
        c->recent_next = (c->recent_next + 1) % RECENT_MAX;
        *k = (RecentKill){ .pid = pid, .realtime = when };
        snprintf(k->unit, sizeof k->unit, "%s", unit);
        memcpy(k->finding_id, f->id, 33);
        memcpy(k->invocation_id, f->invocation_id, 33); /* record_kill() just set it */
}

static RecentKill *find_kill(Correlator *c, uint32_t pid, const char *unit, uint64_t when) {
        for (size_t i = 0; i < RECENT_MAX; i++) {
                RecentKill *k = &c->recent[i];
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

static void restart_gap(Correlator *c, const char *unit, const UnitKnowledge *k, const JournalRecord *r,
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
        if (count_occurrence(c, FINDING_OOM_RESTART_GAP, unit, key, r->invocation_id, r->realtime, pos, &f,
                             &added) <= 0)
                return;
        set_common_evidence(f, r, k);
        finding_clear_advice(f);
        char buf[512];
        snprintf(buf, sizeof buf,
                 "Restart=%s: after an OOM kill %s. Restart=on-failure restarts after every OOM kill "
                 "(and OOMPolicy=stop, the default, makes the result 'oom-kill').",
                 restart,
                 strcmp(restart, "no") == 0 ? "the service stays down"
                                            : "the result is 'oom-kill', which on-abort does not restart");
        (void) finding_add_advice(f, ADVICE_DROPIN, buf, "[Service]\nRestart=on-failure\n");
        update_summary(f, restart);
        notify(c, f, added);
}

/* One kill of a unit's process by the kernel or by PID 1's account of it. */
static int record_kill(Correlator *c, const char *unit, const JournalRecord *r, const KernelOomRecord *rec,
                       const char *key, const JournalPosition *pos, bool global, uint64_t kernel_limit) {
        UnitKnowledge k;
        lookup(c, unit, &k);
        if (!wanted(c, &k))
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
                inv = known_invocation(c, unit) ?: live_inv;
        int rr = count_occurrence(c, global ? FINDING_GLOBAL_OOM : FINDING_OOM_KILL, unit, key, inv,
                                  r->realtime, pos, &f, &added);
        if (rr <= 0)
                return rr; /* read again: already counted */

        set_common_evidence(f, r, &k);
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
                update_summary(f, rec && rec->comm[0] ? rec->comm : NULL);
        } else {
                memory_advice(f, &k, kernel_limit);
                memory_summary(f);
        }
        remember_kill(c, rec && rec->has_pid ? rec->pid : 0, unit, f, r->realtime);
        notify(c, f, added);
        if (!global)
                restart_gap(c, unit, &k, r, key, pos, false);
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
static void queue_pending(Correlator *c, KernelOomRecord *rec, const char *unit, bool global,
                          uint64_t kernel_limit, const JournalRecord *r) {
        if (c->n_pending == PENDING_MAX) {
                kernel_oom_record_done(&c->pending[0].rec);
                memmove(c->pending, c->pending + 1, sizeof c->pending[0] * (PENDING_MAX - 1));
                c->n_pending--;
        }
        PendingKill *p = &c->pending[c->n_pending++];
        *p = (PendingKill){
                .rec = *rec, .global = global, .kernel_limit_kb = kernel_limit, .realtime = r->realtime
        };
        *rec = (KernelOomRecord){};
        snprintf(p->unit, sizeof p->unit, "%s", unit ?: "");
        snprintf(p->boot_id, sizeof p->boot_id, "%s", r->boot_id ?: "");
        snprintf(p->cursor, sizeof p->cursor, "%s", journal_record_cursor(r) ?: "");
        p->has_pos = record_position(r, &p->pos) != NULL;
}

static void drop_pending(Correlator *c, size_t i) {
        kernel_oom_record_done(&c->pending[i].rec);
        memmove(c->pending + i, c->pending + i + 1, sizeof c->pending[0] * (c->n_pending - i - 1));
        c->n_pending--;
}

/* Pending kills whose PID 1 confirmation never came are not this journal's units (the kernel's
 * ring buffer outlives a container's journal, and a cgroup path outlives a unit). */
static void expire_pending(Correlator *c, uint64_t now) {
        for (size_t i = 0; i < c->n_pending;)
                if (now > c->pending[i].realtime + ATTRIBUTE_WINDOW_USEC)
                        drop_pending(c, i);
                else
                        i++;
}

static int kill_key(char *buf, size_t n, const JournalRecord *r, uint32_t pid) {
        return snprintf(buf, n, "%s/kpid/%u", r->boot_id ?: "-", pid) < (int) n ? 0 : -E2BIG;
}

/* Records the waiting kill i as r's unit's, now that r (PID 1, or the unit's live state) says
 * it was; the kill keeps its own time, boot and cursor. Drops it from the waiting list. */
static int record_pending(Correlator *c, size_t i, const JournalRecord *r) {
        PendingKill *p = &c->pending[i];
        JournalRecord kr = *r;
        char key[128];
        kr.realtime = p->realtime;
        kr.boot_id = p->boot_id[0] ? p->boot_id : r->boot_id;
        kr.cursor = p->cursor[0] ? p->cursor : journal_record_cursor(r);
        kill_key(key, sizeof key, &kr, p->rec.pid);
        /* Counted where the journal says whose kill it was (PID 1's message comes after the
         * kill's line): read again, the same message finds it counted. */
        JournalPosition buf;
        const JournalPosition *pos = record_position(r, &buf) ?: (p->has_pos ? &p->pos : NULL);
        int rr = record_kill(c, r->unit, &kr, &p->rec, key, pos, p->global, p->kernel_limit_kb);
        drop_pending(c, i);
        return rr;
}

/* The unit's main process died of SIGKILL at r's time (PID 1's record r, or the unit's state on
 * the bus): a kill waiting with only a comm, printed up to ATTRIBUTE_WINDOW_USEC before (or
 * EXIT_SLACK_USEC after), whose comm is this unit's executable's, was this one. */
static int attribute_by_comm(Correlator *c, const JournalRecord *r) {
        UnitKnowledge k;
        lookup(c, r->unit, &k);
        if (!k.exe_comm)
                return 0;
        for (size_t i = 0; i < c->n_pending; i++) {
                PendingKill *p = &c->pending[i];
                if (p->unit[0] || r->realtime + EXIT_SLACK_USEC < p->realtime ||
                    r->realtime > p->realtime + ATTRIBUTE_WINDOW_USEC ||
                    strncmp(k.exe_comm, p->rec.comm, KERNEL_OOM_COMM_MAX - 1) != 0)
                        continue;
                return record_pending(c, i, r);
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

static RecentExit *find_exit(Correlator *c, const char *unit, const char *invocation_id) {
        if (!unit || !invocation_id || strlen(invocation_id) != 32)
                return NULL;
        for (size_t i = 0; i < EXITS_MAX; i++)
                if (streq(c->exits[i].unit, unit) && streq(c->exits[i].invocation_id, invocation_id))
                        return &c->exits[i];
        return NULL;
}

/* Whether a kill of this invocation's process was recorded already (from its cgroup). */
static bool kill_of_invocation(Correlator *c, const char *unit, const char *invocation_id) {
        if (!unit || !invocation_id || strlen(invocation_id) != 32)
                return false;
        for (size_t i = 0; i < RECENT_MAX; i++)
                if (c->recent[i].realtime && streq(c->recent[i].unit, unit) &&
                    streq(c->recent[i].invocation_id, invocation_id))
                        return true;
        return false;
}

/* r says r->unit's main process died of SIGKILL: a kill waiting with only a comm may be it;
 * otherwise the exit is kept for such a line read later. Once per invocation: PID 1's message
 * and the bus both tell of the same exit. */
static int note_exit(Correlator *c, const JournalRecord *r, bool live) {
        if (!r->unit || strlen(r->unit) > UNIT_NAME_MAX)
                return 0;
        RecentExit *e = find_exit(c, r->unit, r->invocation_id);
        if (e && e->attributed)
                return 0;
        if (!e) {
                e = &c->exits[c->exits_next];
                c->exits_next = (c->exits_next + 1) % EXITS_MAX;
                *e = (RecentExit){ .realtime = r->realtime, .live = live };
                snprintf(e->unit, sizeof e->unit, "%s", r->unit);
                if (r->invocation_id && strlen(r->invocation_id) == 32)
                        memcpy(e->invocation_id, r->invocation_id, 33);
                if (r->boot_id && strlen(r->boot_id) == 32)
                        memcpy(e->boot_id, r->boot_id, 33);
        }
        if (!live && journal_record_cursor(r))
                snprintf(e->cursor, sizeof e->cursor, "%s", journal_record_cursor(r));
        if (!live && r->message)
                snprintf(e->exit_message, sizeof e->exit_message, "%.*s",
                         (int) MIN(r->message_len, sizeof e->exit_message - 1), r->message);
        /* A kill recorded from its cgroup had this exit. */
        e->attributed = kill_of_invocation(c, r->unit, r->invocation_id);
        if (e->attributed)
                return 0;
        int rr = attribute_by_comm(c, r);
        e->attributed = rr > 0;
        return rr;
}

int correlator_main_process_killed(Correlator *c, const char *unit, const char *invocation_id,
                                   const char *boot_id, uint64_t realtime) {
        JournalRecord r = {
                .source = JOURNAL_SOURCE_KMSG, /* live: the unit's current state is the newer */
                .realtime = realtime,
                .boot_id = boot_id,
                .unit = unit,
                .invocation_id = invocation_id,
        };
        return note_exit(c, &r, true);
}

/* The kill just recorded was e's: what PID 1 said about that exit before the line came. */
static void add_exit_evidence(Correlator *c, const RecentExit *e) {
        const RecentKill *k = &c->recent[(c->recent_next + RECENT_MAX - 1) % RECENT_MAX];
        Finding *f = finding_store_get(c->store, k->finding_id);
        if (!f || (!e->exit_message[0] && !e->unit_result[0]))
                return;
        if (e->exit_message[0])
                (void) finding_set_string(f, "main_process_exit", e->exit_message);
        if (e->unit_result[0])
                (void) finding_set_string(f, "UnitResult", e->unit_result);
        notify(c, f, false);
}

/* A "Killed process" line without a cgroup, read after the exit it caused was told. */
static int attribute_to_recent_exit(Correlator *c, uint64_t killed_at) {
        for (size_t i = 0; i < EXITS_MAX; i++) {
                RecentExit *e = &c->exits[i];
                if (!e->unit[0] || e->attributed || e->realtime + EXIT_SLACK_USEC < killed_at ||
                    e->realtime > killed_at + ATTRIBUTE_WINDOW_USEC)
                        continue;
                JournalRecord r = exit_record(e);
                int rr = attribute_by_comm(c, &r);
                if (rr > 0)
                        add_exit_evidence(c, e);
                if (rr != 0) {
                        e->attributed = rr > 0;
                        return rr;
                }
        }
        return 0;
}

static PendingKill *find_pending(Correlator *c, uint32_t pid) {
        for (size_t i = 0; i < c->n_pending; i++)
                if (c->pending[i].rec.has_pid && c->pending[i].rec.pid == pid)
                        return &c->pending[i];
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

static int feed_kernel(Correlator *c, const JournalRecord *r) {
        KernelContext *kc = &c->kernel[r->source == JOURNAL_SOURCE_KMSG];
        bool live = r->source == JOURNAL_SOURCE_KMSG;
        KernelOomRecord rec;
        char key[128];
        JournalPosition posbuf;
        const JournalPosition *pos = record_position(r, &posbuf);
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
                RecentKill *seen = find_kill(c, rec.pid, unit, r->realtime);
                if (seen) {
                        /* Read before: live, then from the journal; or PID 1 (cgroup v2) reported
                         * it before the kernel's lines reached the journal. The same occurrence,
                         * now with the kernel's details. */
                        Finding *f = finding_store_get(c->store, seen->finding_id);
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
                                        notify(c, f, false);
                                }
                        }
                        break;
                }
                if (find_pending(c, rec.pid))
                        break; /* read live already, waiting for PID 1 */
                UnitKnowledge k;
                lookup(c, unit, &k);
                if (!known_invocation(c, unit) && !(live && k.known)) {
                        /* Nothing from PID 1 about this unit yet: it must confirm the unit's
                         * process died, or this is an old record of another unit's cgroup. A
                         * live line of a unit the daemon knows needs no confirmation. */
                        queue_pending(c, &rec, unit, global, kernel_limit_at(kc, r), r);
                        break;
                }
                kill_key(key, sizeof key, r, rec.pid);
                rr = record_kill(c, unit, r, &rec, key, pos, global, kernel_limit_at(kc, r));
                break;
        }
        case KERNEL_OOM_KILLED: {
                RecentKill *k = find_kill(c, rec.pid, NULL, r->realtime);
                PendingKill *p = k ? NULL : find_pending(c, rec.pid);
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
                        Finding *f = finding_store_get(c->store, k->finding_id);
                        if (f)
                                finding_advance_position(f, pos);
                        if (f && rec.has_rss) {
                                bool changed = set_u64_changed(f, "anon_rss_kb", rec.anon_rss_kb);
                                changed |= set_u64_changed(f, "total_vm_kb", rec.total_vm_kb);
                                if (changed)
                                        notify(c, f, false);
                        }
                        break;
                }
                if (kc->task_in_memcg && r->realtime - kc->task_in_realtime < MERGE_WINDOW_USEC) {
                        _cleanup_free_ char *unit = NULL;
                        if (cgroup_path_to_unit(kc->task_in_memcg, &unit, NULL) >= 0) {
                                rec.task_memcg = TAKE_PTR(kc->task_in_memcg);
                                kill_key(key, sizeof key, r, rec.pid);
                                rr = record_kill(c, unit, r, &rec, key, pos,
                                                 rec.scope == KERNEL_OOM_SCOPE_GLOBAL,
                                                 kernel_limit_at(kc, r));
                                break;
                        }
                }
                /* No cgroup: wait for PID 1 or the bus to say whose main process died of
                 * SIGKILL, or find that one of them said so already. */
                queue_pending(c, &rec, NULL, rec.scope == KERNEL_OOM_SCOPE_GLOBAL, kernel_limit_at(kc, r),
                              r);
                rr = attribute_to_recent_exit(c, r->realtime);
                break;
        }
        default: break;
        }
        kernel_oom_record_done(&rec);
        return rr;
}

/* MESSAGE is message_len bytes, not necessarily NUL-terminated. */
static void set_message_evidence(Finding *f, const char *key, const JournalRecord *r) {
        _cleanup_free_ char *m = r->message ? strndup(r->message, MIN(r->message_len, (size_t) 512)) : NULL;
        if (m)
                (void) finding_set_string(f, key, m);
}

static int feed_pid1(Correlator *c, const JournalRecord *r) {
        char key[192];
        int rr = 0;
        JournalPosition posbuf;
        const JournalPosition *pos = record_position(r, &posbuf);

        if (!r->unit)
                return 0;
        remember_invocation(c, r->unit, r->invocation_id);

        /* PID 1 speaks about a unit whose kill was waiting for it. */
        for (size_t i = 0; i < c->n_pending;) {
                PendingKill *p = &c->pending[i];
                if (!p->unit[0] || strcmp(p->unit, r->unit) != 0 || r->realtime < p->realtime) {
                        i++;
                        continue;
                }
                int k = record_pending(c, i, r);
                if (k < 0)
                        return k;
                rr += k;
        }

        if (streq(r->message_id, MESSAGE_ID_UNIT_OOM)) {
                /* cgroup v2: PID 1 saw memory.events oom_kill rise. The kernel said so first. */
                RecentKill *k = find_kill(c, 0, r->unit, r->realtime);
                if (k) {
                        Finding *f = finding_store_get(c->store, k->finding_id);
                        if (f) {
                                finding_advance_position(f, pos);
                                (void) finding_set_bool(f, "systemd_reported_oom", true);
                                notify(c, f, false);
                        }
                        return 0;
                }
                snprintf(key, sizeof key, "%s/inv/%s/oom/%llu", r->boot_id ?: "-", r->invocation_id ?: "-",
                         (unsigned long long) (r->realtime / 1000000));
                rr = record_kill(c, r->unit, r, NULL, key, pos, false, 0);
                Finding *f = finding_store_find_active(c->store, FINDING_OOM_KILL, r->unit);
                if (f)
                        (void) finding_set_bool(f, "systemd_reported_oom", true);
                return rr;
        }
        if (streq(r->message_id, MESSAGE_ID_UNIT_OOMD_KILL)) {
                UnitKnowledge k;
                lookup(c, r->unit, &k);
                if (!wanted(c, &k))
                        return 0;
                Finding *f;
                bool added;
                snprintf(key, sizeof key, "%s/inv/%s/oomd/%llu", r->boot_id ?: "-", r->invocation_id ?: "-",
                         (unsigned long long) (r->realtime / 1000000));
                rr = count_occurrence(c, FINDING_OOMD_KILL, r->unit, key, r->invocation_id, r->realtime, pos,
                                      &f, &added);
                if (rr <= 0)
                        return rr;
                set_common_evidence(f, r, &k);
                set_message_evidence(f, "systemd_message", r);
                finding_clear_advice(f);
                (void) finding_add_advice(
                        f, ADVICE_TEXT,
                        "systemd-oomd killed the unit's processes under memory pressure or swap use. "
                        "Set GOMEMLIMIT so the Go heap stays smaller, give the unit MemoryHigh= so it is "
                        "throttled before oomd acts, or exempt it with ManagedOOMPreference=avoid.",
                        NULL);
                update_summary(f, NULL);
                notify(c, f, added);
                return 1;
        }
        if (streq(r->message_id, MESSAGE_ID_UNIT_PROCESS_EXIT) && streq(r->exit_code, "killed") &&
            streq(r->exit_status, "9")) {
                int k = note_exit(c, r, false);
                if (k < 0)
                        return k;
                rr += k;
                RecentKill *kill = find_kill(c, 0, r->unit, r->realtime);
                if (kill) {
                        Finding *f = finding_store_get(c->store, kill->finding_id);
                        if (f && r->message) {
                                set_message_evidence(f, "main_process_exit", r);
                                if (r->invocation_id && strlen(r->invocation_id) == 32)
                                        memcpy(f->invocation_id, r->invocation_id, 33);
                                notify(c, f, false);
                        }
                }
                return rr;
        }
        if (streq(r->message_id, MESSAGE_ID_UNIT_FAILURE_RESULT) && r->unit_result) {
                RecentKill *kill = find_kill(c, 0, r->unit, r->realtime);
                RecentExit *e = kill ? NULL : find_exit(c, r->unit, r->invocation_id);
                if (e) /* the kill's line is still to come */
                        snprintf(e->unit_result, sizeof e->unit_result, "%s", r->unit_result);
                if (kill) {
                        Finding *f = finding_store_get(c->store, kill->finding_id);
                        if (f) {
                                (void) finding_set_string(f, "UnitResult", r->unit_result);
                                notify(c, f, false);
                        }
                        if (streq(r->unit_result, "oom-kill")) {
                                UnitKnowledge k;
                                lookup(c, r->unit, &k);
                                snprintf(key, sizeof key, "%s/inv/%s/result", r->boot_id ?: "-",
                                         r->invocation_id ?: "-");
                                /* record_kill() already counted Restart=no for this memcg kill. */
                                bool counted = f && f->class == FINDING_OOM_KILL && k.known && k.settings &&
                                               streq(k.settings->restart, "no");
                                if (!counted)
                                        restart_gap(c, r->unit, &k, r, key, pos, true);
                        }
                }
        }
        return 0;
}

/* The Go runtime's own out-of-memory messages on the unit's stderr. */
static const char *const go_oom[] = {
        "fatal error: runtime: out of memory",
        "runtime: out of memory: cannot allocate ",
        "fatal error: runtime: cannot allocate memory",
        "fatal error: out of memory",
        "fatal error: runtime: cannot map pages in arena address space",
};

const char *journal_record_cursor(const JournalRecord *r) {
        if (r->cursor)
                return r->cursor;
        return r->cursor_fn ? r->cursor_fn(r->cursor_userdata) : NULL;
}

bool correlator_wants_unit_message(const char *message, size_t len) {
        /* Every message the unit-output rules match has "memory" in it; one memmem() is the
         * whole cost of a line of noise. */
        return message && memmem(message, len, "memory", 6);
}

/* How many digits p starts with (at most 20: a 64-bit number). */
static size_t digits_at(const char *p, const char *end) {
        size_t n = 0;
        while (p + n < end && p[n] >= '0' && p[n] <= '9' && n < 20)
                n++;
        return n;
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

static int feed_unit(Correlator *c, const JournalRecord *r) {
        const char *hit = NULL;
        char key[192];
        JournalPosition posbuf;
        const JournalPosition *pos = record_position(r, &posbuf);

        if (!r->unit || !r->message)
                return 0;
        for (size_t i = 0; i < ELEMENTSOF(go_oom) && !hit; i++)
                if (memmem(r->message, r->message_len, go_oom[i], strlen(go_oom[i])))
                        hit = go_oom[i];
        if (!hit)
                return 0;

        UnitKnowledge k;
        lookup(c, r->unit, &k);
        if (!wanted(c, &k))
                return 0;
        Finding *f;
        bool added;
        /* One crash prints several of these lines: one occurrence per invocation. */
        snprintf(key, sizeof key, "%s/inv/%s/go-oom", r->boot_id ?: "-", r->invocation_id ?: "-");
        int rr = count_occurrence(c, FINDING_GO_RUNTIME_OOM, r->unit, key, r->invocation_id, r->realtime,
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
        set_common_evidence(f, r, &k);
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
        update_summary(f, NULL);
        notify(c, f, added);
        return 1;
}

int correlator_feed(Correlator *c, const JournalRecord *r) {
        if (!r->message)
                return 0;
        /* The journal's time is the clock pending kills wait by: PID 1's word on them comes
         * from the journal. Live lines are ahead of it. */
        if (r->source != JOURNAL_SOURCE_KMSG)
                expire_pending(c, r->realtime);
        switch (r->source) {
        case JOURNAL_SOURCE_KMSG:
        case JOURNAL_SOURCE_KERNEL: return feed_kernel(c, r);
        case JOURNAL_SOURCE_PID1: return feed_pid1(c, r);
        case JOURNAL_SOURCE_UNIT: return feed_unit(c, r);
        }
        return 0;
}
