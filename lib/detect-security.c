/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Security denials (selinux-denial, apparmor-denial): audit records in, each counted once
 * whatever brought it, assembled into events (lib/audit-event.h), read as denials
 * (lib/security-denial.h), tied to a unit by the first rule that names one, and grouped: one
 * finding per (unit, MAC, source type without MCS categories, target type or profile, class,
 * permissions, path or target name). Advice in lib/security-advice.c. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit-event.h"
#include "detector.h"
#include "security-advice.h"
#include "security-denial.h"
#include "security-exec-label.h"
#include "security-exec-link.h"
#include "unit-name.h"
#include "utf8.h"

static const FindingClass classes[] = {
        FINDING_SELINUX_DENIAL,
        FINDING_APPARMOR_DENIAL,
        FINDING_SELINUX_EXEC_LABEL,
        _FINDING_CLASS_INVALID,
};

/* What came with each record, by its header (node, time, serial), until its event is complete:
 * the unit the reader resolved its pid to at receipt, and its place in the journal (an event
 * completes when a later record comes, whose place is another). Direct-mapped: a later record
 * takes the slot of one RECEIVED_SLOTS serials before it, never the other way round: under a
 * flood the journal's copies come that far behind the multicast's, and an event of the multicast
 * may still be assembling in the slot. */
#define RECEIVED_SLOTS 8192u

typedef struct Received {
        uint64_t key;          /* 0: empty */
        uint64_t msec, serial; /* its time (ms) and serial: which of two is the older */
        JournalPosition pos;
        bool have_pos;
        char *unit;
} Received;

/* A denial tied to a unit goguardd knows but not (yet) as Go, or tied at receipt to one it does
 * not know yet: a denial at a unit's very start comes before goguardd has read its settings or
 * inspected its executable. It waits, and is counted when the unit turns out Go (once the check
 * that follows is applied, security_on_unit_checked()); otherwise it is dropped as newer ones
 * push it out: at most PENDING_PER_UNIT per unit, PENDING_MAX in all, none PENDING_AGE_SEC older
 * than the newest. */
#define PENDING_MAX      64u
#define PENDING_PER_UNIT 8u
#define PENDING_AGE_SEC  300u

/* PID 1's denial for a unit (rule 5) that no unit's settings name yet: PID 1 binds a .socket
 * unit's port as the socket starts, before goguardd has read the socket's Listen (asked for once
 * the service it starts is read). It waits for a unit whose settings name its port or path
 * (security_on_unit_checked()), at most ORPHAN_WAIT_SEC of the audit clock, then counts without a
 * unit; at most ORPHANS_MAX wait, and the oldest counts (without a unit) when another comes. */
#define ORPHANS_MAX     16u
#define ORPHAN_WAIT_SEC 30u

typedef struct Attribution {
        char unit[256];
        const char *rule; /* evidence attributed_by */
        bool may_wait;    /* rule 5's, live, and no unit names it yet */
} Attribution;

typedef struct Pending {
        Denial *den; /* NULL: empty */
        Attribution a;
        JournalPosition pos;
        bool have_pos;
} Pending;

typedef struct SecurityDetector {
        Correlator *c;
        Pending pending[PENDING_MAX];
        Pending orphans[ORPHANS_MAX]; /* a.unit "" */
        AuditAssembler *assembler;
        const JournalRecord *current; /* the record being fed, while it is */
        uint64_t current_key;
        Received *received; /* RECEIVED_SLOTS, allocated with the first record */
        uint64_t last_fed;  /* µs, the journal's clock of the last record fed */
        int counted;        /* findings added or updated by the events completed in a call */
} SecurityDetector;

static int on_event(void *userdata, const AuditEvent *e);

static int security_init(Correlator *c, void *state) {
        SecurityDetector *d = state;
        d->c = c;
        return audit_assembler_new(on_event, d, &d->assembler);
}

static void security_done(void *state) {
        SecurityDetector *d = state;
        audit_assembler_free(d->assembler);
        for (size_t i = 0; d->received && i < RECEIVED_SLOTS; i++)
                free(d->received[i].unit);
        free(d->received);
        for (size_t i = 0; i < PENDING_MAX; i++)
                free(d->pending[i].den);
        for (size_t i = 0; i < ORPHANS_MAX; i++)
                free(d->orphans[i].den);
}

static uint64_t header_key(const char *node, size_t node_len, uint64_t sec, unsigned msec, uint64_t serial) {
        uint64_t k = 0xcbf29ce484222325ull;
        for (size_t i = 0; i < node_len; i++)
                k = (k ^ (uint8_t) node[i]) * 0x100000001b3ull;
        k ^= sec * 1000 + msec;
        k = k * 0x100000001b3ull ^ serial;
        return k ?: 1;
}

static const Received *received_get(SecurityDetector *d, const Denial *den) {
        if (!d->received)
                return NULL;
        uint64_t k = header_key(den->node, strlen(den->node), den->sec, den->msec, den->serial);
        const Received *r = &d->received[den->serial % RECEIVED_SLOTS];
        return r->key == k ? r : NULL;
}

/* ---- attribution ---- */

static bool set_unit(Attribution *a, const char *unit, const char *rule) {
        if (!unit || !unit_name_is_valid(unit) || strlen(unit) >= sizeof a->unit)
                return false;
        snprintf(a->unit, sizeof a->unit, "%s", unit);
        a->rule = rule;
        return true;
}

static const char *basename_of(const char *path) {
        const char *s = path ? strrchr(path, '/') : NULL;
        return s ? s + 1 : path;
}

typedef struct Visit {
        const Denial *den;
        const char *rule;
        char unit[256];
} Visit;

/* systemd's forked child before exec is "(" + the last 8 bytes of the executable's name + ")". */
static bool pre_exec_comm_matches(const char *comm, const char *exec_path) {
        const char *b = basename_of(exec_path);
        size_t n = b ? strlen(b) : 0, cn = strlen(comm);
        if (n == 0 || cn < 3 || comm[0] != '(' || comm[cn - 1] != ')')
                return false;
        const char *tail = n > 8 ? b + n - 8 : b;
        return strlen(tail) == cn - 2 && memcmp(tail, comm + 1, cn - 2) == 0;
}

static int visit_pre_exec(void *ctx, const char *unit, const UnitKnowledge *k) {
        Visit *v = ctx;
        if (!k->settings || !pre_exec_comm_matches(v->den->comm, k->settings->exec_start_path))
                return 0;
        snprintf(v->unit, sizeof v->unit, "%s", unit);
        return 1;
}

static int visit_exe(void *ctx, const char *unit, const UnitKnowledge *k) {
        Visit *v = ctx;
        const char *exe = k->settings ? k->settings->exec_start_path : NULL;
        if (exe && v->den->exe[0] && strcmp(exe, v->den->exe) == 0)
                v->rule = "exe";
        else if (k->exe_comm && v->den->comm[0] && strncmp(k->exe_comm, v->den->comm, 15) == 0)
                v->rule = "comm";
        else
                return 0;
        snprintf(v->unit, sizeof v->unit, "%s", unit);
        return 1;
}

static bool same_path(const char *a, const char *b) {
        return a && b && a[0] == '/' && strcmp(a, b) == 0;
}

/* PID 1 acting for a unit: the socket it binds, the files of the unit it reads. */
static int visit_pid1(void *ctx, const char *unit, const UnitKnowledge *k) {
        Visit *v = ctx;
        const UnitSettings *s = k->settings;
        const Denial *den = v->den;
        if (!s)
                return 0;
        for (char *const *l = s->socket_listen; l && l[0] && l[1]; l += 2) {
                const char *addr = l[1];
                const char *colon = strrchr(addr, ':');
                char port[32];
                snprintf(port, sizeof port, "%llu", (unsigned long long) den->port);
                if ((den->port && (strcmp(addr, port) == 0 || (colon && strcmp(colon + 1, port) == 0))) ||
                    same_path(addr, den->target)) {
                        v->rule = "socket";
                        snprintf(v->unit, sizeof v->unit, "%s", unit);
                        return 1;
                }
        }
        bool hit = same_path(s->exec_start_path, den->target) || same_path(s->fragment_path, den->target) ||
                   same_path(s->root_directory, den->target);
        for (size_t i = 0; !hit && i < s->n_environment_files; i++)
                hit = same_path(s->environment_files[i].path, den->target);
        for (char *const *p = s->read_write_paths; !hit && p && *p; p++)
                hit = same_path(*p, den->target);
        if (!hit)
                return 0;
        v->rule = "unit-path";
        snprintf(v->unit, sizeof v->unit, "%s", unit);
        return 1;
}

static int visit_label(void *ctx, const char *unit, const UnitKnowledge *k) {
        Visit *v = ctx;
        const UnitSettings *s = k->settings;
        const Denial *den = v->den;
        if (!s || !den->stype[0])
                return 0;
        if (den->mac == DENIAL_MAC_APPARMOR && s->apparmor_profile &&
            strcmp(s->apparmor_profile, den->stype) == 0)
                v->rule = "apparmor-profile";
        else if (den->mac == DENIAL_MAC_SELINUX && s->selinux_context) {
                AuditSpan t, level;
                if (!selinux_context_type((AuditSpan){ s->selinux_context, strlen(s->selinux_context) }, &t,
                                          &level) ||
                    t.n != strlen(den->stype) || memcmp(t.p, den->stype, t.n) != 0)
                        return 0;
                v->rule = "selinux-context";
        } else
                return 0;
        snprintf(v->unit, sizeof v->unit, "%s", unit);
        return 1;
}

/* 1 when a unit matched (then set in a), 0 when none did, -EOPNOTSUPP offline. */
static int walk(SecurityDetector *d, const Denial *den, CorrelatorUnitVisit fn, const char *rule,
                Attribution *a) {
        Visit v = { .den = den, .rule = rule };
        int r = correlator_for_each_unit(d->c, fn, &v);
        if (r <= 0)
                return r;
        return set_unit(a, v.unit, v.rule);
}

/* A pid the bus daemon wrote (spid=, tpid=), of its own pid namespace: via its pid. */
static bool bus_pid_unit(SecurityDetector *d, const Denial *den, uint64_t pid, Attribution *a) {
        _cleanup_free_ char *unit = NULL;
        if (pid == 0 || pid > UINT32_MAX || den->header_pid > UINT32_MAX ||
            correlator_pid_unit(d->c, (uint32_t) den->header_pid, (uint32_t) pid, &unit) < 0)
                return false;
        return set_unit(a, unit, "dbus-peer");
}

/* The system bus daemon sent it: dbus-daemon, dbus-broker (as lib/audit-pids.c tells them). */
static bool from_bus_daemon(const Denial *den) {
        const char *b = basename_of(den->exe);
        return b && (strcmp(b, "dbus-daemon") == 0 || strcmp(b, "dbus-broker") == 0 ||
                     strcmp(b, "dbus-broker-launch") == 0);
}

static const char *reader_unit(SecurityDetector *d, const Denial *den) {
        const Received *r = received_get(d, den);
        return r ? r->unit : NULL;
}

static bool is_pid1(const Denial *den) {
        return den->pid == 1 || den->header_pid == 1 || strcmp(den->comm, "systemd") == 0 ||
               strcmp(den->stype, "init_t") == 0;
}

/* The rules in order (docs/findings.md): the first that names a unit. */
static void attribute(SecurityDetector *d, const Denial *den, Attribution *a) {
        *a = (Attribution){ .rule = "none" };
        bool relayed = den->spid || den->tpid || den->dbus_member[0] || den->dbus_interface[0];

        /* 1: the reader's pid at receipt; a message bus's denial names its peers' pids, which the
         * reader resolved at receipt too (in the bus daemon's pid namespace), else now. */
        if (relayed && from_bus_daemon(den) && set_unit(a, reader_unit(d, den), "dbus-peer"))
                return;
        if (relayed && (bus_pid_unit(d, den, den->spid, a) || bus_pid_unit(d, den, den->tpid, a)))
                return;
        /* (PID 1's own: its cgroup is init.scope; rules 4 and 5 name the unit it acts for.) */
        if (!relayed && den->header_pid != 1 && den->pid != 1 && set_unit(a, reader_unit(d, den), "pid"))
                return;
        /* 2: systemd's child before exec, "(name)"; offline the unit's own entries' _COMM. */
        if (den->comm[0] == '(' && (walk(d, den, visit_pre_exec, "pre-exec-comm", a) > 0 ||
                                    set_unit(a, correlator_unit_by_comm(d->c, den->comm), "pre-exec-comm")))
                return;
        /* 3: its executable or comm; offline the comm of the unit's entries. */
        if (!is_pid1(den) && (den->exe[0] || den->comm[0])) {
                if (walk(d, den, visit_exe, "exe", a) > 0)
                        return;
                if (set_unit(a, correlator_unit_by_comm(d->c, den->comm), "comm"))
                        return;
                char comm[16];
                snprintf(comm, sizeof comm, "%.15s", basename_of(den->exe) ?: "");
                if (den->exe[0] && !relayed && set_unit(a, correlator_unit_by_comm(d->c, comm), "comm"))
                        return;
        }
        /* 4: PID 1 checking access to a unit: the unit file. */
        if (den->unit_file[0]) {
                const char *b = basename_of(den->unit_file);
                if (set_unit(a, b, "unit-file"))
                        return;
        }
        /* 5: PID 1 acting for a unit; live, one whose settings goguardd has not read yet. */
        if (is_pid1(den) && (den->port || den->target_is_path)) {
                int r = walk(d, den, visit_pid1, "unit-path", a);
                if (r > 0)
                        return;
                a->may_wait = r == 0;
        }
        /* 6: the profile or SELinux context the unit sets. */
        (void) walk(d, den, visit_label, "label", a);
}

/* ---- grouping and counting ---- */

/* At most max bytes of s after the n bytes of buf, cut at its size, as snprintf()'s "%.*s" (a
 * flood builds the group and the summary for each record: snprintf() was a quarter of it). */
static void append(char *buf, size_t size, size_t *n, const char *s, size_t max) {
        size_t k = 0, room = MIN(max, size - 1 - *n);
        while (k < room && s[k])
                k++;
        memcpy(buf + *n, s, k);
        *n += k;
        buf[*n] = 0;
}

/* The group: MAC, source type without MCS categories, target type or profile, class,
 * permissions, path or target name (/proc/PID/ as /proc/<pid>/: one group for every process). */
static void group_of(const Denial *den, char *buf, size_t size) {
        const char *t = den->target;
        size_t n = 0;
        const char *parts[] = { denial_mac_to_string(den->mac), den->stype, den->ttype, den->tclass,
                                den->perms };
        buf[0] = 0;
        for (size_t i = 0; i < ELEMENTSOF(parts); i++) {
                append(buf, size, &n, parts[i], size);
                append(buf, size, &n, "|", 1);
        }
        if (strncmp(t, "/proc/", 6) == 0 && t[6] >= '0' && t[6] <= '9') {
                const char *rest = t + 6;
                while (*rest >= '0' && *rest <= '9')
                        rest++;
                append(buf, size, &n, "/proc/<pid>", size);
                append(buf, size, &n, rest, 480);
        } else
                append(buf, size, &n, t, 500);
}

static void set_denial_evidence(Finding *f, const Denial *den, const Attribution *a, const UnitKnowledge *k,
                                const JournalRecord *r) {
        (void) finding_set_string(f, "attributed_by", a->rule);
        (void) finding_set_string(f, "denial_mac", denial_mac_to_string(den->mac));
        if (den->stype[0])
                (void) finding_set_string(f, "denial_source_type", den->stype);
        if (den->scontext[0])
                (void) finding_set_string(f, "denial_source_context", den->scontext);
        if (den->ttype[0])
                (void) finding_set_string(f, "denial_target_type", den->ttype);
        if (den->tcontext[0])
                (void) finding_set_string(f, "denial_target_context", den->tcontext);
        if (den->tclass[0])
                (void) finding_set_string(f, "denial_class", den->tclass);
        if (den->operation[0])
                (void) finding_set_string(f, "denial_operation", den->operation);
        if (den->perms[0])
                (void) finding_set_string(f, "denial_permissions", den->perms);
        if (den->target[0])
                (void) finding_set_string(f, "denial_target", den->target);
        if (den->unit_file[0])
                (void) finding_set_string(f, "denial_unit_file", den->unit_file);
        if (den->node[0])
                (void) finding_set_string(f, "denial_node", den->node);
        (void) finding_set_string(f, "denial_record_type", den->record_type == 1107 ? "USER_AVC" : "AVC");
        (void) finding_set_string(f, "denial_record", den->record);
        if (r)
                finding_set_common_evidence(f, r, k);
}

/* ---- waiting for a unit to turn out Go ---- */

/* A copy of den, waiting in an empty slot p with its attribution so far and its place. */
static int pending_set(Pending *p, const Denial *den, const Attribution *a, const JournalPosition *pos) {
        Denial *copy = malloc(sizeof *copy);
        if (!copy)
                return -ENOMEM;
        *copy = *den;
        *p = (Pending){ .den = copy, .a = *a, .pos = pos ? *pos : (JournalPosition){}, .have_pos = pos };
        return 0;
}

static int pending_add(SecurityDetector *d, const Denial *den, const Attribution *a,
                       const JournalPosition *pos) {
        size_t same = 0, slot = PENDING_MAX, oldest = 0;
        for (size_t i = 0; i < PENDING_MAX; i++) {
                Pending *p = &d->pending[i];
                if (p->den && p->den->sec + PENDING_AGE_SEC < den->sec)
                        p->den = mfree(p->den);
                if (!p->den) {
                        slot = slot < PENDING_MAX ? slot : i;
                        continue;
                }
                if (strcmp(p->a.unit, a->unit) == 0)
                        same++;
                if (!d->pending[oldest].den || p->den->sec < d->pending[oldest].den->sec)
                        oldest = i;
        }
        if (same >= PENDING_PER_UNIT)
                return 0; /* a unit's first denials are what its start says */
        if (slot == PENDING_MAX) {
                slot = oldest;
                d->pending[slot].den = mfree(d->pending[slot].den);
        }
        return pending_set(&d->pending[slot], den, a, pos);
}

static int count_denial(SecurityDetector *d, const Denial *den, const Attribution *a, const UnitKnowledge *k,
                        const JournalRecord *r, const JournalPosition *pos);

/* The unit is Go now: what waited for it counts. */
static int pending_replay(SecurityDetector *d, const char *unit, const UnitKnowledge *k) {
        int n = 0;
        if (!k->is_go)
                return 0;
        for (size_t i = 0; i < PENDING_MAX; i++) {
                Pending *p = &d->pending[i];
                if (!p->den || strcmp(p->a.unit, unit) != 0)
                        continue;
                _cleanup_free_ Denial *den = TAKE_PTR(p->den);
                int r = count_denial(d, den, &p->a, k, NULL, p->have_pos ? &p->pos : NULL);
                if (r < 0)
                        return r;
                n += r;
        }
        return n;
}

/* ---- waiting for a unit's settings to name what PID 1 acted on ---- */

static uint64_t denial_usec(const Denial *den) {
        return den->sec * 1000000 + den->msec * 1000;
}

/* Counted without a unit: it waited long enough, or room was needed. */
static int orphan_count(SecurityDetector *d, Pending *o) {
        _cleanup_free_ Denial *den = TAKE_PTR(o->den);
        Attribution a = { .rule = "none" };
        UnitKnowledge k = {};
        return count_denial(d, den, &a, &k, NULL, o->have_pos ? &o->pos : NULL);
}

static int orphan_add(SecurityDetector *d, const Denial *den, const JournalPosition *pos) {
        size_t slot = 0;
        for (size_t i = 0; i < ORPHANS_MAX; i++) {
                if (!d->orphans[i].den) {
                        slot = i;
                        break;
                }
                if (denial_usec(d->orphans[i].den) < denial_usec(d->orphans[slot].den))
                        slot = i;
        }
        int n = 0;
        if (d->orphans[slot].den) {
                n = orphan_count(d, &d->orphans[slot]);
                if (n < 0)
                        return n;
        }
        int r = pending_set(&d->orphans[slot], den, &(Attribution){}, pos);
        return r < 0 ? r : n;
}

/* The unit's settings were read: what waited for them and names them is the unit's (as for a
 * denial tied to it at once: counted if it is Go, else waiting for that). */
static int orphans_replay(SecurityDetector *d, const char *unit, const UnitKnowledge *k) {
        int n = 0;
        for (size_t i = 0; i < ORPHANS_MAX; i++) {
                Pending *o = &d->orphans[i];
                Visit v = { .den = o->den, .rule = "unit-path" };
                Attribution a = {};
                if (!o->den || visit_pid1(&v, unit, k) <= 0 || !set_unit(&a, v.unit, v.rule))
                        continue;
                _cleanup_free_ Denial *den = TAKE_PTR(o->den);
                int r = k->is_go ? count_denial(d, den, &a, k, NULL, o->have_pos ? &o->pos : NULL)
                                 : pending_add(d, den, &a, o->have_pos ? &o->pos : NULL);
                if (r < 0)
                        return r;
                n += r;
        }
        return n;
}

/* Those that waited ORPHAN_WAIT_SEC by now (UINT64_MAX: the input ended) count without a unit. */
static int orphans_age(SecurityDetector *d, uint64_t now) {
        int n = 0;
        for (size_t i = 0; i < ORPHANS_MAX; i++) {
                Pending *o = &d->orphans[i];
                if (!o->den ||
                    (now != UINT64_MAX && denial_usec(o->den) + ORPHAN_WAIT_SEC * 1000000ull > now))
                        continue;
                int r = orphan_count(d, o);
                if (r < 0)
                        return r;
                n += r;
        }
        return n;
}

static uint64_t orphans_deadline(const SecurityDetector *d) {
        uint64_t next = 0;
        for (size_t i = 0; i < ORPHANS_MAX; i++) {
                const Denial *den = d->orphans[i].den;
                uint64_t t = den ? denial_usec(den) + ORPHAN_WAIT_SEC * 1000000ull : 0;
                if (t && (!next || t < next))
                        next = t;
        }
        return next;
}

static int on_denial(SecurityDetector *d, const Denial *den) {
        /* the record this event completed with, only if it is the event's own */
        const JournalRecord *r = d->current && d->current_key == header_key(den->node, strlen(den->node),
                                                                            den->sec, den->msec, den->serial)
                                         ? d->current
                                         : NULL;
        const Received *rc = received_get(d, den);
        const JournalPosition *pos = rc && rc->have_pos ? &rc->pos : NULL;
        Attribution a;
        UnitKnowledge k = {};

        attribute(d, den, &a);
        if (!a.unit[0] && a.may_wait)
                return orphan_add(d, den, pos);
        if (a.unit[0]) {
                bool wanted = correlator_lookup_wanted(d->c, a.unit, &k);
                /* Tied while it ran (rule 1): a service goguardd does not know yet is a live
                 * one it is about to read; offline, units are not known and are reported. */
                bool at_receipt = strcmp(a.rule, "pid") == 0 || strcmp(a.rule, "dbus-peer") == 0;
                if ((k.known && !wanted) || (!k.known && at_receipt && unit_name_is_service(a.unit)))
                        return pending_add(d, den, &a, pos);
        }
        return count_denial(d, den, &a, &k, r, pos);
}

static int count_denial(SecurityDetector *d, const Denial *den, const Attribution *a, const UnitKnowledge *k,
                        const JournalRecord *r, const JournalPosition *pos) {
        char group[1536], key[128], summary[1024];
        Finding *f;
        bool added;

        group_of(den, group, sizeof group);
        /* The group names the finding (as its unit does): valid UTF-8, bytes of others escaped. */
        _cleanup_free_ char *escaped = NULL;
        if (utf8_needs_escape(group, strlen(group))) {
                int e = utf8_escape_invalid(group, strlen(group), &escaped);
                if (e < 0)
                        return e;
        }
        snprintf(key, sizeof key, "%s/%llu.%03u:%llu", den->node[0] ? den->node : "-",
                 (unsigned long long) den->sec, den->msec, (unsigned long long) den->serial);
        FindingClass cls =
                den->mac == DENIAL_MAC_APPARMOR ? FINDING_APPARMOR_DENIAL : FINDING_SELINUX_DENIAL;
        uint64_t when = den->sec * 1000000 + den->msec * 1000;
        int rr = correlator_count_d(d->c, cls, a->unit, escaped ?: group, key,
                                    correlator_known_invocation(d->c, a->unit), when, pos, &f, &added);
        if (rr <= 0)
                return rr;
        if (added) {
                set_denial_evidence(f, den, a, k, r);
                const HostFacts *h = correlator_host_facts(d->c);
                security_denial_advise(f, den, k, a->rule, h ? h->security_labels : NULL);
                /* Allowed now (complain mode, permissive): what enforce mode would deny. */
                f->severity = den->enforced ? finding_class_info(cls)->severity : SEVERITY_INFO;
        } else if (den->enforced)
                f->severity = finding_class_info(cls)->severity;
        if (den->pid)
                (void) finding_set_u64(f, "denial_pid", den->pid);
        if (den->comm[0])
                (void) finding_set_string(f, "denial_comm", den->comm);
        if (den->exe[0])
                (void) finding_set_string(f, "denial_exe", den->exe);
        (void) finding_set_string(f, "denial_mode",
                                  den->enforced                     ? "enforcing"
                                  : den->mac == DENIAL_MAC_APPARMOR ? "complain"
                                                                    : "permissive");
        char times[32] = "";
        if (f->count > 1)
                snprintf(times, sizeof times, " (%llu times)", (unsigned long long) f->count);
        /* "UNIT TITLE: STYPE { PERMS } on TARGET (TCLASS) (N times)" */
        const char *on = den->target[0] ? den->target : den->ttype;
        size_t n = 0;
        summary[0] = 0;
        append(summary, sizeof summary, &n, a->unit[0] ? a->unit : "(no unit)", sizeof summary);
        append(summary, sizeof summary, &n, " ", 1);
        append(summary, sizeof summary, &n, finding_class_info(cls)->title, sizeof summary);
        append(summary, sizeof summary, &n, ": ", 2);
        append(summary, sizeof summary, &n, den->stype[0] ? den->stype : "?", 100);
        append(summary, sizeof summary, &n, " { ", 3);
        append(summary, sizeof summary, &n, den->perms, 200);
        append(summary, sizeof summary, &n, " }", 2);
        if (on[0]) {
                append(summary, sizeof summary, &n, " on ", 4);
                append(summary, sizeof summary, &n, on, 300);
        }
        if (den->tclass[0]) {
                append(summary, sizeof summary, &n, " (", 2);
                append(summary, sizeof summary, &n, den->tclass, 60);
                append(summary, sizeof summary, &n, ")", 1);
        }
        append(summary, sizeof summary, &n, times, sizeof summary);
        (void) finding_set_summary(f, summary);
        correlator_notify(d->c, f, added);
        /* A denied exec: the unit's status=203/EXEC, if PID 1 said it, is this. */
        int l = security_exec_link(d->c, a->unit, k);
        return l < 0 ? l : 1;
}

static int on_event(void *userdata, const AuditEvent *e) {
        SecurityDetector *d = userdata;
        Denial den;
        int r = denial_from_event(e, &den);
        if (r <= 0)
                return r;
        r = on_denial(d, &den);
        if (r > 0)
                d->counted += r;
        return r < 0 ? r : 0;
}

/* ---- the hooks ---- */

static int take_count(SecurityDetector *d, int r) {
        int n = d->counted;
        d->counted = 0;
        return r < 0 ? r : n;
}

static int security_on_audit(void *state, const JournalRecord *r) {
        SecurityDetector *d = state;
        AuditHeader h;

        if (audit_header_parse(r->message, r->message_len, &h) < 0)
                return 0;
        if (!d->received) {
                d->received = calloc(RECEIVED_SLOTS, sizeof *d->received);
                if (!d->received)
                        return -ENOMEM;
        }
        /* Its event's slot: a record of the same header keeps the unit an earlier one brought. */
        uint64_t key = header_key(h.node.p, h.node.n, h.sec, h.msec, h.serial);
        Received *rc = &d->received[h.serial % RECEIVED_SLOTS], none = {};
        uint64_t msec = h.sec * 1000 + h.msec;
        if (rc->key != key && rc->key != 0 &&
            (rc->msec > msec || (rc->msec == msec && rc->serial > h.serial)))
                rc = &none; /* an older record (by time: serials start again at boot) */
        else if (rc->key != key) {
                rc->unit = mfree(rc->unit);
                *rc = (Received){ .key = key, .msec = msec, .serial = h.serial };
        }
        JournalPosition buf;
        const JournalPosition *pos = journal_record_position(r, &buf);
        if (pos && rc != &none) {
                rc->pos = *pos;
                rc->have_pos = true;
        }
        if (r->unit && !rc->unit && rc != &none) {
                rc->unit = strdup(r->unit);
                if (!rc->unit)
                        return -ENOMEM;
        }
        d->current_key = key;
        d->current = r;
        d->last_fed = r->realtime;
        int k = audit_assembler_feed(d->assembler, r->message, r->message_len);
        d->current = NULL;
        return take_count(d, k);
}

static int security_advance(void *state, uint64_t now) {
        SecurityDetector *d = state;
        int k = now == UINT64_MAX ? audit_assembler_flush(d->assembler)
                                  : audit_assembler_age(d->assembler, now / 1000000);
        k = take_count(d, k);
        if (k < 0)
                return k;
        int o = orphans_age(d, now);
        return o < 0 ? o : k + o;
}

static uint64_t security_next_deadline(void *state) {
        SecurityDetector *d = state;
        uint64_t a = audit_assembler_pending(d->assembler)
                             ? d->last_fed + AUDIT_EVENT_TIMEOUT_SEC * 1000000ull
                             : 0,
                 o = orphans_deadline(d);
        return a && o ? MIN(a, o) : a ?: o;
}

/* selinux-exec-label (lib/security-exec-label.c). */
static const FindingClass condition_classes[] = { FINDING_SELINUX_EXEC_LABEL, _FINDING_CLASS_INVALID };

static int security_check(void *state, const char *unit, const UnitKnowledge *k, const HostFacts *h) {
        SecurityDetector *d = state;
        return security_exec_label_check(d->c, unit, k, h);
}

/* The unit is wanted (Go) once its check is applied: the denials that waited for it count, and
 * those that waited for a unit whose settings name what PID 1 acted on. */
static int security_on_unit_checked(void *state, const char *unit, const UnitKnowledge *k) {
        int n = orphans_replay(state, unit, k);
        if (n < 0)
                return n;
        int p = pending_replay(state, unit, k);
        return p < 0 ? p : n + p;
}

const Detector detector_security = {
        .family = "security",
        .classes = classes,
        .state_size = sizeof(SecurityDetector),
        .init = security_init,
        .done = security_done,
        .advance = security_advance,
        .next_deadline = security_next_deadline,
        .on_audit = security_on_audit,
        .condition_classes = condition_classes,
        .check = security_check,
        .on_unit_checked = security_on_unit_checked,
};
