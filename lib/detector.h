/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "correlate.h"
#include "host-facts.h"
#include "unit-comm.h"

/* A detector finds one family of the fault catalog (../shared/spec/fault-catalog.md), each in its
 * own lib/detect-<family>.c; `ls lib/detect-*` is the list of families. It declares what it
 * wants, and the correlator feeds it only that: unit-output lines holding one of its needles
 * (matched for all detectors in one pass over the line), PID 1's messages with one of its
 * MESSAGE_IDs, the kernel's lines. The correlator owns the bookkeeping through the calls below
 * (finding lookup, counting an occurrence once whatever re-reads, notification); a detector
 * computes what happened and what to advise. Detectors never call each other. */

typedef struct Detector {
        const char *family;
        const FindingClass *classes;         /* those it reports, ending in _FINDING_CLASS_INVALID */
        const char *const *unit_needles;     /* verbatim text of unit-output lines; NULL-ended */
        const char *const *pid1_message_ids; /* PID 1's MESSAGE_IDs it reads; NULL-ended */
        /* Unit-output lines it wants besides its needles (a shape rather than a text: a Go
         * trace's frames). A detector with one sees every unit-output line the correlator reads,
         * with needle NULL when none of its needles is in it. Cheap: it runs on every line. */
        bool (*unit_line_filter)(const char *msg, size_t len);
        size_t state_size; /* private state, zeroed, one per correlator */

        int (*init)(Correlator *c, void *state);
        void (*done)(void *state);
        /* The journal's clock moved to now (every record read from the journal). */
        int (*advance)(void *state, uint64_t now);
        /* When the earliest record it waits with can be decided (advance past it), or 0. */
        uint64_t (*next_deadline)(void *state);
        /* The kernel's lines, from the journal and /dev/kmsg. */
        int (*on_kernel)(void *state, const JournalRecord *r);
        /* One audit record (JOURNAL_SOURCE_AUDIT), in raw audit.log form. */
        int (*on_audit)(void *state, const JournalRecord *r);
        int (*on_pid1)(void *state, const JournalRecord *r);
        /* needle is the first of its unit_needles (in table order) that the line holds. */
        int (*on_unit_line)(void *state, const JournalRecord *r, const char *needle);
        /* A unit's main process died of SIGKILL, as its live state on the bus says. */
        int (*on_main_process_killed)(void *state, const JournalRecord *r);
        /* A sample of a running unit's main process (only while Go units run). */
        int (*on_sample)(void *state, const char *unit, const UnitSample *s);

        /* Condition classes: what the unit's settings, executable and environment say on this
         * host before it runs (a subset of classes, ending in _FINDING_CLASS_INVALID). check()
         * runs whenever one of those changes, in the daemon and in `goguardctl check`, and
         * reports each condition it finds through correlator_condition(); the correlator then
         * resolves the unit's findings of these classes that it no longer reports. */
        const FindingClass *condition_classes;
        int (*check)(void *state, const char *unit, const UnitKnowledge *k, const HostFacts *h);
        /* The unit's check was applied to the findings (it may have just turned Go): on the
         * correlator that holds them, never on a check's copy, so what a detector kept back for
         * the unit can count now. */
        int (*on_unit_checked)(void *state, const char *unit, const UnitKnowledge *k);
} Detector;

extern const Detector detector_memory;
extern const Detector detector_fd;
extern const Detector detector_threads;
extern const Detector detector_network;
extern const Detector detector_lifecycle;
extern const Detector detector_security;
extern const Detector detector_loader;
extern const Detector detector_environment;

/* ---- what the correlator does for detectors ---- */

FindingStore *correlator_store(Correlator *c);
void correlator_lookup(Correlator *c, const char *unit, UnitKnowledge *ret);
/* Whether findings about this unit are wanted (a Go unit, or one the daemon does not know). */
bool correlator_wanted(Correlator *c, const UnitKnowledge *k);
/* Both for a record's unit: false for none (NULL) or one not wanted. */
bool correlator_lookup_wanted(Correlator *c, const char *unit, UnitKnowledge *ret);
/* The comms the unit's own entries carried (JournalRecord.comm), or NULL. */
const UnitComm *correlator_unit_comm(Correlator *c, const char *unit);
/* The one unit whose own entries carried comm (unit_comms_find()), or NULL. */
const char *correlator_unit_by_comm(Correlator *c, const char *comm);
/* The last INVOCATION_ID PID 1 logged for the unit, or NULL. */
const char *correlator_known_invocation(Correlator *c, const char *unit);
/* Finds or adds the finding of (class, unit) and counts the occurrence key at pos (NULL when it
 * came live): 1 when the finding is new or the occurrence counted, 0 when it had been counted
 * (the same key, or a journal position a finding of this class and unit counted: a re-read). */
int correlator_count(Correlator *c, FindingClass cls, const char *unit, const char *key,
                     const char *invocation_id, uint64_t when, const JournalPosition *pos, Finding **ret,
                     bool *ret_added);
/* The same for the finding of (class, unit, discriminator): one of several of the class for the
 * unit, e.g. a crash loop per cause (NULL: correlator_count()). */
int correlator_count_d(Correlator *c, FindingClass cls, const char *unit, const char *discriminator,
                       const char *key, const char *invocation_id, uint64_t when, const JournalPosition *pos,
                       Finding **ret, bool *ret_added);
void correlator_notify(Correlator *c, Finding *f, bool added);
/* From check(): finds or adds the finding of (cls, unit) for the condition detail_key names
 * (e.g. the missing library), and marks it found by this check. Returns 1 when the finding is
 * new or detail_key is a condition it did not have (notify then), 0 when it is the same. */
int correlator_condition(Correlator *c, FindingClass cls, const char *unit, const char *detail_key,
                         Finding **ret, bool *ret_added);
/* The time of the check running now (µs since the epoch). */
uint64_t correlator_check_time(Correlator *c);
/* The other running units of the unit's user (CorrelatorSameUser); -EOPNOTSUPP when not known. */
int correlator_same_user_units(Correlator *c, const char *unit, char ***ret);
/* CorrelatorOptions.for_each_unit and pid_unit; -EOPNOTSUPP when the caller gave none. */
int correlator_for_each_unit(Correlator *c, CorrelatorUnitVisit visit, void *ctx);
int correlator_pid_unit(Correlator *c, uint32_t via_pid, uint32_t pid, char **ret);
/* CorrelatorOptions.host_facts; NULL when the caller gave none. */
const HostFacts *correlator_host_facts(Correlator *c);
/* Whether the caller runs the checks apart (CorrelatorOptions.request_check): a record's
 * callback then reads no file of the unit's own root and asks for a check of the unit, which
 * reads them on the caller's other thread. */
bool correlator_checks_apart(Correlator *c);
void correlator_request_check(Correlator *c, const char *unit);

/* Where r stands in the journal, in buf; NULL for a record that came live. */
const JournalPosition *journal_record_position(const JournalRecord *r, JournalPosition *buf);
/* boot_id, journal_cursor, unit_settings_known, go_version, Restart, OOMPolicy, NRestarts. */
void finding_set_common_evidence(Finding *f, const JournalRecord *r, const UnitKnowledge *k);
/* key = the record's message, at most 512 bytes. */
void finding_set_message_evidence(Finding *f, const char *key, const JournalRecord *r);
/* "<unit> <title>[: detail] [(N times)]". */
void finding_update_summary(Finding *f, const char *detail);
/* The summary finding_update_summary() made, its " (N times)" brought to the count now. */
void finding_update_summary_count(Finding *f);
/* The network stack's answer (lib/net-probe.h): 0, or -EOPNOTSUPP offline, or the probe's error. */
int correlator_net_probe(Correlator *c, const NetProbeQuery *q, NetProbe *ret);
/* A variable of the unit as the process sees it: its live environment, then Environment=, then
 * its EnvironmentFile= files; *ret_source says which. */
const char *unit_knowledge_env(const UnitKnowledge *k, const char *name, const char **ret_source);
