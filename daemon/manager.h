/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <systemd/sd-bus.h>
#include <systemd/sd-event.h>
#include <systemd/sd-journal.h>

#include "check-queue.h"
#include "correlate.h"
#include "dns-probe.h"
#include "exe-cache.h"
#include "exe-inspector.h"
#include "finding.h"
#include "hashmap.h"
#include "host-facts.h"
#include "macro.h"
#include "notify.h"
#include "watch-audit.h"
#include "watch-journal.h"
#include "watch-kmsg.h"
#include "watch-proc.h"
#include "watch-units.h"

typedef struct WatchedUnit WatchedUnit;
typedef struct InspectCall InspectCall;

#define MANAGER_UNITS_MAX        65536u
#define QUERIES_IN_FLIGHT_MAX    96u /* below the system bus's 128 pending replies */
#define MANAGER_BUS_PATH         "/org/goguard/goguard1"
#define MANAGER_UNIT_PATH_PREFIX "/org/goguard/goguard1/unit"

typedef enum ManagerSource {
        SOURCE_SYSTEMD = 1 << 0,
        SOURCE_PROC = 1 << 1,
        SOURCE_JOURNAL = 1 << 2,
        SOURCE_KMSG = 1 << 3,
        SOURCE_AUDIT = 1 << 4,
} ManagerSource;

typedef struct Manager {
        sd_event *event;
        sd_bus *bus;              /* ours: the name, the objects, callers' calls */
        sd_bus *systemd_bus;      /* PID 1's signals and our queries, served after bus */
        Notifier *notifier;       /* READY=1 and the watchdog, never blocking */
        uint64_t start_timestamp; /* µs, CLOCK_REALTIME */
        char boot_id[33];         /* this boot's, for live records; "" if unknown */
        const char *cgroup_version;
        unsigned sources;     /* ManagerSource bits that are live */
        bool sources_changed; /* since the last PropertiesChanged */
        /* How audit records are read, or why not live (SourceDetails): set by watch-audit.c. */
        const char *audit_detail;
        const char *proc_root; /* "/proc" except in tests */
        /* goguardd runs in the initial pid namespace: the pids of audit records are its own. */
        bool init_pid_ns;

        Hashmap *units;         /* unit name → WatchedUnit */
        Hashmap *units_by_path; /* systemd object path → WatchedUnit */
        unsigned n_go_units;
        ExeCache *exe_cache;
        ExeInspector *inspector;    /* fills exe_cache off the loop */
        InspectCall *inspect_calls; /* InspectUnitExecutable calls waiting for the inspector */
        unsigned n_inspect_calls;

        bool ready_notified; /* the first scan is complete: READY=1 sent, the bus name requested */
        sd_event_source *counts_event;

        /* manager-findings.c */
        char *state_dir;
        FindingStore findings;
        Correlator *correlator;
        DnsProber *dns_prober; /* asks the DNS servers of dns-resolution findings */
        bool findings_dirty;
        sd_event_source *save_timer;
        sd_event_source *findings_counts_event;
        /* FindingUpdated of repeats, sent once per finding and event-loop turn (manager-bus-findings.c) */
        char updates[16][33];
        size_t n_updates;
        sd_event_source *updates_event;
        sd_event_source *resolve_timer;
        sd_event_source *decide_timer;   /* records the correlator waits with, decided by time */
        uint64_t resolve_after_usec;     /* a new invocation clean this long resolves a finding */
        HostFacts host_facts;            /* what the condition checks judge units against */
        CheckQueue *checks;              /* the condition checks, on the inspector's thread */
        unsigned host_reread;            /* HostReread bits: to read when no check runs */
        bool host_rereading;             /* they are read now, on the inspector's thread */
        sd_event_source *ld_cache_watch; /* /etc, for a new /etc/ld.so.cache (ldconfig) */

        /* The watchers' own state (watch-*.h). */
        WatchUnits watch_units;
        WatchJournal watch_journal;
        WatchKmsg watch_kmsg;
        WatchProc watch_proc;
        WatchAudit watch_audit;

        /* prom-writer.c: the Prometheus textfile, when configured */
        char *prom_directory;
        uint64_t prom_interval_usec; /* the least time between two writes */
        unsigned prom_series_max;
        sd_event_source *prom_timer;
        uint64_t prom_written_usec; /* CLOCK_MONOTONIC */
        char *prom_text;            /* what the file holds, to skip writing the same again */
        int prom_error;             /* the last write's error, logged once until it changes */
} Manager;

int manager_new(Manager **ret);
Manager *manager_free(Manager *m);
DEFINE_TRIVIAL_CLEANUP_FUNC(Manager *, manager_free);
int manager_start(Manager *m);

/* Called by watchers when a unit changed; groups say which D-Bus properties to signal. */
typedef enum UnitChange {
        UNIT_CHANGE_STATE = 1 << 0,
        UNIT_CHANGE_EXECUTABLE = 1 << 1,
        UNIT_CHANGE_SETTINGS = 1 << 2,
        UNIT_CHANGE_ENVIRONMENT = 1 << 3,
        UNIT_CHANGE_SAMPLE = 1 << 4,
        UNIT_CHANGE_FINDINGS = 1 << 5,
        UNIT_CHANGE_ALL = 0x3f,
} UnitChange;

/* A unit became Go, stopped being Go, changed, or went away: keep the bus objects and the
 * counters in step. */
void manager_unit_changed(Manager *m, WatchedUnit *u, unsigned changes);
void manager_remove_unit(Manager *m, WatchedUnit *u);
/* The inspector finished some files: units waiting for them are looked at again. */
void manager_on_inspected(void *userdata);
/* Decides which file is the unit's executable and whether it is Go; returns UnitChange bits. */
unsigned manager_evaluate_executable(Manager *m, WatchedUnit *u, bool bypass_cache);
/* The first scan is complete: every unit and its executable is known. READY=1, the bus
 * name, and the journal's history. */
void manager_units_ready(Manager *m);
/* A watcher sampled u (changed: its counts differ from the last sample). */
void manager_unit_sampled(Manager *m, WatchedUnit *u, bool changed);
/* Samples u now rather than at the next sweep; returns 1 if its counts changed. */
int manager_sample_unit(Manager *m, WatchedUnit *u);
/* The number of units or the live sources changed. */
void manager_counts_changed(Manager *m);
/* A source stopped working: goguardd goes on without it. */
void manager_source_lost(Manager *m, ManagerSource source);
/* The Rescan() call: every executable read again, the units listed again. */
int manager_rescan(Manager *m);

/* manager-bus*.c: the bus objects, and the signals the Manager sends */
int manager_bus_setup(Manager *m);
void manager_bus_unit_added(Manager *m, WatchedUnit *u);
void manager_bus_unit_removed(Manager *m, WatchedUnit *u);
void manager_bus_unit_properties_changed(Manager *m, WatchedUnit *u, unsigned changes);
void manager_bus_counts_changed(Manager *m);

void manager_bus_finding_added(Manager *m, const Finding *f);
void manager_bus_finding_updated(Manager *m, const Finding *f);
/* The same for a repeat (count, last seen), sent once this turn of the event loop is done. */
void manager_bus_finding_repeated(Manager *m, const Finding *f);
void manager_bus_finding_resolved(Manager *m, const Finding *f);
void manager_bus_findings_counts_changed(Manager *m);

/* manager-inspect.c: InspectUnitExecutable of a watched Go unit, answered now (from the cache,
 * or an error) or, once the inspector delivers, by manager_inspect_done(). */
int manager_inspect_unit_executable(Manager *m, WatchedUnit *u, sd_bus_message *call, sd_bus_error *error);
void manager_inspect_done(Manager *m);
void manager_inspect_calls_free(Manager *m);

/* manager-dns.c: a dns-resolution finding added or counted again gets the unit's resolv.conf
 * (read on the inspector's thread) and the answer of its server; manager_dns_probed() is the
 * prober's callback. */
void manager_dns_finding(Manager *m, Finding *f);
void manager_dns_probed(void *userdata, const DnsProbe *p);

/* manager-findings.c */
int manager_findings_start(Manager *m);
int manager_findings_save(Manager *m);
void manager_schedule_save(Manager *m);
void manager_findings_recount(Manager *m, const char *unit);
int manager_finding_set_state(Manager *m, Finding *f, FindingState state);
void manager_findings_update_resolve_timer(Manager *m);
void manager_findings_main_process_killed(Manager *m, WatchedUnit *u);
/* The correlator may be waiting for time to pass (a kill waiting for its unit): a timer wakes
 * it once the journal has had time to bring every word that could still decide it. */
void manager_findings_schedule_decisions(Manager *m);
/* A record a live source read (the audit multicast, /dev/kmsg) for the correlator. */
void manager_findings_feed(Manager *m, const JournalRecord *rec);
/* Whether a detector of this build reads audit records (security denials). */
bool manager_audit_wanted(Manager *m);
/* The unit a live process runs in, from its cgroup; pid is of the initial pid namespace when
 * initial_ns (-EOPNOTSUPP when goguardd runs in another), else of goguardd's own. -ESRCH when
 * the process is gone or in no unit. */
int manager_pid_unit(Manager *m, uint32_t pid, bool initial_ns, char **ret);
/* The same for a pid the system bus daemon wrote in a denial (spid=, tpid=): of the bus daemon's
 * pid namespace; via_pid is the bus daemon's, of the initial namespace (the audit header's). */
int manager_bus_pid_unit(Manager *m, uint32_t via_pid, uint32_t pid, char **ret);
typedef struct AuditPids AuditPids;
/* The unit a live audit record is about, resolved on arrival; *ret stays NULL when none. */
void manager_audit_record_unit(Manager *m, const AuditPids *pids, char **ret);
/* The journal brings an audit record of this serial: the multicast's copies first. */
void manager_audit_catch_up(Manager *m, uint64_t serial);
/* A running Go unit was sampled: its fd count (and near its limit, its descriptors by kind). */
void manager_findings_unit_sampled(Manager *m, WatchedUnit *u);
/* The condition checks for u (its settings, executable or environment changed): queued for the
 * inspector's thread (check-queue.h), applied to the findings when they ran. */
void manager_findings_check_unit(Manager *m, WatchedUnit *u);
/* u is gone or no Go unit any more: its check waiting is dropped, and the result of one running. */
void manager_findings_forget_unit(Manager *m, WatchedUnit *u);
/* What the host offers (TLS roots, zones, users) may have changed (a daemon-reload): read it again
 * once no check runs, and check every Go unit. */
void manager_findings_host_changed(Manager *m);

/* prom-writer.c: something the metrics show changed; the file is written again once at least
 * prom_interval_usec passed since the last write. At exit, the final file says goguard_up 0. */
void manager_prom_changed(Manager *m);
void manager_prom_finish(Manager *m);
void manager_prom_free(Manager *m);
