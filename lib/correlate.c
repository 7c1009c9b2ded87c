/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The correlator: a dispatcher over the detectors (lib/detect-*.c) and the bookkeeping they
 * share. Each record goes to the detectors that asked for its kind; a unit's output line is
 * searched once for every detector's needles. */
#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "correlate-internal.h"
#include "detector.h"
#include "go-env.h"
#include "hex.h"
#include "needle-set.h"
#include "strbuf.h"
#include "unit-comm.h"
#include "unit-name.h"

#define INVOCATIONS_MAX 4096u

/* The table of families: the order is the order a record is offered to them. */
static const Detector *const detectors[] = {
        &detector_memory,   &detector_fd,     &detector_threads,     &detector_network, &detector_lifecycle,
        &detector_security, &detector_loader, &detector_environment, /* and runs-as-root */
};
#define N_DETECTORS ELEMENTSOF(detectors)

/* PID 1's messages the bookkeeping itself reads: a unit's invocation, for every detector. */
static const char *const own_message_ids[] = {
        MESSAGE_ID_UNIT_STARTED,
        MESSAGE_ID_UNIT_RESTART_SCHEDULED,
};

struct Correlator {
        FindingStore *store;
        CorrelatorOptions opts;
        Hashmap *invocations; /* unit → last INVOCATION_ID PID 1 logged for it */
        UnitComms comms;      /* unit → the comm its own entries carry */
        /* The last unit and comm noted: a line of the same noted again changes nothing. */
        char last_note_unit[256];
        char last_note_comm[UNIT_COMM_NAME_MAX];
        void *state[N_DETECTORS];
        CheckRun *run; /* the condition check running now (lib/condition-check.c) */
};

typedef struct InvocationEntry {
        char *unit;
        char id[33];
} InvocationEntry;

/* Every detector's unit-output needles, and which detector and needle each is. Built once: the
 * table is constant. Not thread-safe to build; every caller reads the journal on one thread. */
static NeedleSet unit_needles;
static struct {
        uint8_t detector;
        uint8_t index;
} needle_owner[NEEDLE_SET_MAX];
static bool unit_needles_built;

static void build_unit_needles(void) {
        if (unit_needles_built)
                return;
        for (size_t d = 0; d < N_DETECTORS; d++)
                for (size_t i = 0; detectors[d]->unit_needles && detectors[d]->unit_needles[i]; i++) {
                        int k = needle_set_add(&unit_needles, detectors[d]->unit_needles[i]);
                        /* The table is ours: a needle that does not fit is a bug, caught by the tests. */
                        assert(k >= 0);
                        needle_owner[k].detector = (uint8_t) d;
                        needle_owner[k].index = (uint8_t) i;
                }
        unit_needles_built = true;
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
        build_unit_needles();
        for (size_t d = 0; d < N_DETECTORS; d++) {
                c->state[d] = calloc(1, detectors[d]->state_size ?: 1);
                if (!c->state[d])
                        return -ENOMEM;
                if (detectors[d]->init) {
                        r = detectors[d]->init(c, c->state[d]);
                        if (r < 0)
                                return r;
                }
        }
        *ret = TAKE_PTR(c);
        return 0;
}

Correlator *correlator_free(Correlator *c) {
        if (!c)
                return NULL;
        for (size_t d = 0; d < N_DETECTORS; d++) {
                if (c->state[d] && detectors[d]->done)
                        detectors[d]->done(c->state[d]);
                free(c->state[d]);
        }
        if (c->invocations) {
                size_t i = 0;
                void *v;
                while (hashmap_iterate(c->invocations, &i, &v, NULL)) {
                        free(((InvocationEntry *) v)->unit);
                        free(v);
                }
        }
        hashmap_free(c->invocations);
        unit_comms_done(&c->comms);
        return mfree(c);
}

FindingStore *correlator_store(Correlator *c) {
        return c->store;
}

/* ---- what a build covers, from the table ---- */

size_t correlator_pid1_message_ids(const char **ret, size_t max) {
        size_t n = 0;
        for (size_t i = 0; i < ELEMENTSOF(own_message_ids) && n < max; i++)
                ret[n++] = own_message_ids[i];
        for (size_t d = 0; d < N_DETECTORS; d++)
                for (size_t i = 0; detectors[d]->pid1_message_ids && detectors[d]->pid1_message_ids[i];
                     i++) {
                        const char *id = detectors[d]->pid1_message_ids[i];
                        bool dup = false;
                        for (size_t k = 0; k < n && !dup; k++)
                                dup = strcmp(ret[k], id) == 0;
                        if (!dup && n < max)
                                ret[n++] = id;
                }
        return n;
}

bool correlator_covers(FindingClass cls) {
        for (size_t d = 0; d < N_DETECTORS; d++)
                for (const FindingClass *c = detectors[d]->classes; c && *c != _FINDING_CLASS_INVALID; c++)
                        if (*c == cls)
                                return true;
        return false;
}

bool correlator_wants_unit_message(const char *message, size_t len) {
        build_unit_needles();
        if (!message)
                return false;
        if (needle_set_search(&unit_needles, message, len, NULL))
                return true;
        for (size_t d = 0; d < N_DETECTORS; d++)
                if (detectors[d]->unit_line_filter && detectors[d]->unit_line_filter(message, len))
                        return true;
        return false;
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

/* ---- unit knowledge ---- */

void correlator_lookup(Correlator *c, const char *unit, UnitKnowledge *k) {
        *k = (UnitKnowledge){};
        if (c->opts.lookup && unit)
                (void) c->opts.lookup(c->opts.userdata, unit, k);
}

int correlator_net_probe(Correlator *c, const NetProbeQuery *q, NetProbe *ret) {
        if (!c->opts.net_probe)
                return -EOPNOTSUPP;
        return c->opts.net_probe(c->opts.userdata, q, ret);
}

bool correlator_wanted(Correlator *c, const UnitKnowledge *k) {
        return c->opts.include_non_go || !k->known || k->is_go;
}

bool correlator_lookup_wanted(Correlator *c, const char *unit, UnitKnowledge *k) {
        if (!unit)
                return false;
        correlator_lookup(c, unit, k);
        return correlator_wanted(c, k);
}

const UnitComm *correlator_unit_comm(Correlator *c, const char *unit) {
        return unit_comms_get(&c->comms, unit);
}

const char *correlator_unit_by_comm(Correlator *c, const char *comm) {
        return comm && comm[0] ? unit_comms_find(&c->comms, comm) : NULL;
}

const char *correlator_known_invocation(Correlator *c, const char *unit) {
        InvocationEntry *e = unit ? hashmap_get(c->invocations, unit) : NULL;
        return e ? e->id : NULL;
}

static void remember_invocation(Correlator *c, const char *unit, const char *id) {
        if (!unit || !id128_is_valid(id))
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

const char *unit_knowledge_env(const UnitKnowledge *k, const char *name, const char **ret_source) {
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

/* The open finding of (class, unit, discriminator), or a new one; *ret_added says which. */
static int get_finding(Correlator *c, FindingClass cls, const char *unit, const char *discriminator,
                       const char *first_key, Finding **ret, bool *ret_added) {
        Finding *f = finding_store_find_active_d(c->store, cls, unit, discriminator);
        if (f) {
                *ret = f;
                *ret_added = false;
                return 0;
        }
        int r = finding_new_d(cls, unit, discriminator, first_key, &f);
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

int correlator_same_user_units(Correlator *c, const char *unit, char ***ret) {
        if (!c->opts.same_user || !unit)
                return -EOPNOTSUPP;
        return c->opts.same_user(c->opts.userdata, unit, ret);
}

int correlator_for_each_unit(Correlator *c, CorrelatorUnitVisit visit, void *ctx) {
        if (!c->opts.for_each_unit)
                return -EOPNOTSUPP;
        return c->opts.for_each_unit(c->opts.userdata, visit, ctx);
}

int correlator_pid_unit(Correlator *c, uint32_t via_pid, uint32_t pid, char **ret) {
        if (!c->opts.pid_unit || pid == 0)
                return -EOPNOTSUPP;
        return c->opts.pid_unit(c->opts.userdata, via_pid, pid, ret);
}

const struct HostFacts *correlator_host_facts(Correlator *c) {
        return c->opts.host_facts;
}

bool correlator_checks_apart(Correlator *c) {
        return c->opts.request_check;
}

void correlator_request_check(Correlator *c, const char *unit) {
        if (c->opts.request_check)
                c->opts.request_check(c->opts.userdata, unit);
}

const JournalPosition *journal_record_position(const JournalRecord *r, JournalPosition *buf) {
        if (r->journal_monotonic == 0)
                return NULL;
        *buf = (JournalPosition){ .monotonic = r->journal_monotonic, .realtime = r->realtime };
        if (id128_is_valid(r->boot_id))
                memcpy(buf->boot_id, r->boot_id, 33);
        return buf;
}

/* The one way an occurrence is counted (detector.h). */
int correlator_count(Correlator *c, FindingClass cls, const char *unit, const char *key,
                     const char *invocation_id, uint64_t when, const JournalPosition *pos, Finding **ret,
                     bool *ret_added) {
        return correlator_count_d(c, cls, unit, NULL, key, invocation_id, when, pos, ret, ret_added);
}

int correlator_count_d(Correlator *c, FindingClass cls, const char *unit, const char *discriminator,
                       const char *key, const char *invocation_id, uint64_t when, const JournalPosition *pos,
                       Finding **ret, bool *ret_added) {
        Finding *f;
        bool added = false;
        int r;

        /* An old record read again whose finding was resolved since: counted there. */
        if (!finding_store_find_active_d(c->store, cls, unit, discriminator) &&
            (f = finding_store_find_counted_d(c->store, cls, unit, discriminator, pos))) {
                *ret = f;
                *ret_added = false;
                return 0;
        }
        r = get_finding(c, cls, unit, discriminator, key, &f, &added);
        if (r < 0)
                return r;
        r = finding_record_at(f, key, invocation_id, when, pos);
        if (r < 0)
                return r;
        *ret = f;
        *ret_added = added;
        return r > 0 || added;
}

void correlator_notify(Correlator *c, Finding *f, bool added) {
        if (c->opts.notify)
                c->opts.notify(c->opts.userdata, f, added);
}

void finding_set_common_evidence(Finding *f, const JournalRecord *r, const UnitKnowledge *k) {
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

/* MESSAGE is message_len bytes, not necessarily NUL-terminated. */
void finding_set_message_evidence(Finding *f, const char *key, const JournalRecord *r) {
        _cleanup_free_ char *m = r->message ? strndup(r->message, MIN(r->message_len, (size_t) 512)) : NULL;
        if (m)
                (void) finding_set_string(f, key, m);
}

void finding_update_summary_count(Finding *f) {
        size_t lead = strlen(f->unit) + 1 + strlen(finding_class_info(f->class)->title);
        if (!f->summary || strlen(f->summary) < lead || strncmp(f->summary, f->unit, strlen(f->unit)) != 0)
                return;
        /* Only its " (N times)" is replaced: the rest is what finding_update_summary() wrote. */
        size_t n = strlen(f->summary);
        const char *times = strrchr(f->summary + lead, '(');
        if (times && times[-1] == ' ' && strlen(times) > 7 && streq(times + strlen(times) - 7, " times)"))
                n = (size_t) (times - 1 - f->summary);
        char buf[1024];
        if (f->count > 1)
                snprintf(buf, sizeof buf, "%.*s (%llu times)", (int) n, f->summary,
                         (unsigned long long) f->count);
        else
                snprintf(buf, sizeof buf, "%.*s", (int) n, f->summary);
        (void) finding_set_summary(f, buf);
}

void finding_update_summary(Finding *f, const char *detail) {
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

const char *journal_record_cursor(const JournalRecord *r) {
        if (r->cursor)
                return r->cursor;
        return r->cursor_fn ? r->cursor_fn(r->cursor_userdata) : NULL;
}

/* ---- dispatch ---- */

/* Offers a record to every detector with that hook: the sum of the findings they added or
 * updated, or the first -errno. */
#define DISPATCH(c, hook, ...)                                                                              \
        ({                                                                                                  \
                int _sum = 0;                                                                               \
                for (size_t _d = 0; _d < N_DETECTORS && _sum >= 0; _d++)                                    \
                        if (detectors[_d]->hook) {                                                          \
                                int _k = detectors[_d]->hook((c)->state[_d], __VA_ARGS__);                  \
                                _sum = _k < 0 ? _k : _sum + _k;                                             \
                        }                                                                                   \
                _sum;                                                                                       \
        })

static int feed_unit(Correlator *c, const JournalRecord *r) {
        NeedleHits hits;
        int rr = 0;
        bool any = needle_set_search(&unit_needles, r->message, r->message_len, &hits);
        /* Each detector once, with the first of its needles (in its table's order) the line holds. */
        const char *first[N_DETECTORS] = {};
        uint8_t first_index[N_DETECTORS] = {};
        for (size_t k = 0; any && k < unit_needles.n; k++) {
                if (!needle_hits_has(&hits, k))
                        continue;
                size_t d = needle_owner[k].detector;
                if (!first[d] || needle_owner[k].index < first_index[d]) {
                        first[d] = unit_needles.needles[k];
                        first_index[d] = needle_owner[k].index;
                }
        }
        for (size_t d = 0; d < N_DETECTORS; d++) {
                if ((!first[d] && !detectors[d]->unit_line_filter) || !detectors[d]->on_unit_line)
                        continue;
                int k = detectors[d]->on_unit_line(c->state[d], r, first[d]);
                if (k < 0)
                        return k;
                rr += k;
        }
        return rr;
}

/* Whether r's unit and comm are those noted last: noted again, nothing would change. */
static bool noted_last(Correlator *c, const JournalRecord *r) {
        return c->last_note_unit[0] && streq(r->unit, c->last_note_unit) &&
               strncmp(r->comm, c->last_note_comm, UNIT_COMM_NAME_MAX - 1) == 0;
}

static int note_comm(Correlator *c, const JournalRecord *r) {
        c->last_note_unit[0] = 0;
        int k = unit_comms_note(&c->comms, r->unit, r->comm);
        if (k < 0 || strlen(r->unit) >= sizeof c->last_note_unit)
                return k;
        strcpy(c->last_note_unit, r->unit);
        snprintf(c->last_note_comm, sizeof c->last_note_comm, "%s", r->comm);
        return 0;
}

/* Between records no detector holds a finding: an offline store (keep_newest) drops its oldest
 * here when its caps came near. r: what the caller returns unless the trim fails. */
static int trim_store(Correlator *c, int r) {
        if (r < 0)
                return r;
        int t = finding_store_trim(c->store, false);
        return t < 0 ? t : r;
}

int correlator_feed(Correlator *c, const JournalRecord *r) {
        bool note = r->source == JOURNAL_SOURCE_UNIT && r->unit && r->comm;
        /* The common case first: a line no detector reads, of the unit whose line came last. */
        if (note && !r->message && noted_last(c, r))
                return 0;
        /* A unit field that names no unit (forged, or bytes that are not UTF-8) is about nothing
         * goguard can name: the record is ignored, it is no error. */
        if (r->unit && !unit_name_is_valid(r->unit))
                return 0;
        if (note && !noted_last(c, r)) {
                int k = note_comm(c, r);
                if (k < 0)
                        return k;
        }
        if (!r->message)
                return 0;
        int rr = 0;
        /* Audit records carry their own clock (the audit header), not the journal's. */
        if (r->source != JOURNAL_SOURCE_KMSG && r->source != JOURNAL_SOURCE_AUDIT) {
                rr = DISPATCH(c, advance, r->realtime);
                if (rr < 0)
                        return rr;
        }
        int k = 0;
        switch (r->source) {
        case JOURNAL_SOURCE_KMSG:
        case JOURNAL_SOURCE_KERNEL: k = DISPATCH(c, on_kernel, r); break;
        case JOURNAL_SOURCE_PID1:
                if (!r->unit)
                        break;
                remember_invocation(c, r->unit, r->invocation_id);
                /* Every one goes to every detector: the journal matches PID 1's messages by the
                 * union of their MESSAGE_IDs, and any message about a unit may settle a detector's
                 * waiting record (a kill waiting for PID 1 to name its unit). */
                k = DISPATCH(c, on_pid1, r);
                break;
        case JOURNAL_SOURCE_UNIT:
                if (r->unit)
                        k = feed_unit(c, r);
                break;
        case JOURNAL_SOURCE_AUDIT: k = DISPATCH(c, on_audit, r); break;
        }
        return k < 0 ? k : trim_store(c, rr + k);
}

int correlator_advance(Correlator *c, uint64_t now) {
        return trim_store(c, DISPATCH(c, advance, now));
}

uint64_t correlator_next_deadline(Correlator *c) {
        uint64_t next = 0;
        for (size_t d = 0; d < N_DETECTORS; d++) {
                uint64_t t = detectors[d]->next_deadline ? detectors[d]->next_deadline(c->state[d]) : 0;
                if (t && (!next || t < next))
                        next = t;
        }
        return next;
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
        return DISPATCH(c, on_main_process_killed, &r);
}

int correlator_unit_sample(Correlator *c, const char *unit, const UnitSample *s) {
        return unit && s ? DISPATCH(c, on_sample, unit, s) : 0;
}

/* ---- what lib/condition-check.c needs ---- */

size_t correlator_n_detectors(void) {
        return N_DETECTORS;
}

const Detector *correlator_detector(size_t i) {
        return i < N_DETECTORS ? detectors[i] : NULL;
}

void *correlator_detector_state(Correlator *c, size_t i) {
        return i < N_DETECTORS ? c->state[i] : NULL;
}

void correlator_set_check_run(Correlator *c, CheckRun *run) {
        c->run = run;
}

void correlator_set_host_facts(Correlator *c, const HostFacts *h) {
        c->opts.host_facts = h;
}

uint64_t correlator_check_time(Correlator *c) {
        return c->run ? c->run->now : 0;
}

int correlator_condition(Correlator *c, FindingClass cls, const char *unit, const char *detail_key,
                         Finding **ret, bool *ret_added) {
        CheckRun *run = c->run;
        Finding *f = finding_store_find_active(c->store, cls, unit);
        bool added = false;
        int r;

        assert(run);
        if (!f) {
                /* Each episode is its own finding: a condition fixed and back later is news, not
                 * the resolved finding read again, so its first key holds the time. */
                char first[FINDING_STRING_MAX];
                snprintf(first, sizeof first, "%s@%llu", detail_key, (unsigned long long) run->now);
                r = get_finding(c, cls, unit, NULL, first, &f, &added);
                if (r < 0)
                        return r;
        }
        run->found |= UINT64_C(1) << cls;
        /* Opened by the unit's output and judged by no check yet (its root was to be looked into
         * apart): the cause found now is what the output showed, not another occurrence. */
        bool unjudged = !added && !finding_get(f, "checked_at") && finding_get(f, "go_message");
        (void) finding_set_usec(f, "checked_at", run->now);
        r = unjudged ? finding_mark_seen(f, detail_key) : finding_record(f, detail_key, NULL, run->now);
        if (r < 0)
                return r;
        if (run->record) {
                int k = check_run_record(run, cls, detail_key);
                if (k < 0)
                        return k;
        }
        *ret = f;
        *ret_added = added;
        return r > 0 || added;
}
