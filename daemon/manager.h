/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <systemd/sd-bus.h>
#include <systemd/sd-event.h>
#include <systemd/sd-journal.h>

#include "correlate.h"
#include "dns-probe.h"
#include "exe-cache.h"
#include "exe-inspector.h"
#include "finding.h"
#include "hashmap.h"
#include "macro.h"
#include "notify.h"

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
} ManagerSource;

typedef struct Manager {
        sd_event *event;
        sd_bus *bus;              /* ours: the name, the objects, callers' calls */
        sd_bus *systemd_bus;      /* PID 1's signals and our queries, served after bus */
        Notifier *notifier;       /* READY=1 and the watchdog, never blocking */
        uint64_t start_timestamp; /* µs, CLOCK_REALTIME */
        char boot_id[33];         /* this boot's, for live records; "" if unknown */
        const char *cgroup_version;
        unsigned sources;      /* ManagerSource bits that are live */
        const char *proc_root; /* "/proc" except in tests */

        Hashmap *units;         /* unit name → WatchedUnit */
        Hashmap *units_by_path; /* systemd object path → WatchedUnit */
        unsigned n_go_units;
        ExeCache *exe_cache;
        ExeInspector *inspector;    /* fills exe_cache off the loop */
        InspectCall *inspect_calls; /* InspectUnitExecutable calls waiting for the inspector */
        unsigned n_inspect_calls;

        /* watch-units.c */
        sd_bus_slot *match_slots[8];
        bool enumerating;
        unsigned enumeration_generation;
        unsigned pending_calls;
        unsigned queries_in_flight;
        char **query_queue; /* ring of "S<unit>" / "U<unit>": per-unit queries waiting their turn */
        size_t query_queue_head, query_queue_len, query_queue_alloc;
        bool ready_notified;
        sd_event_source *counts_event;

        /* manager-findings.c */
        char *state_dir;
        FindingStore findings;
        Correlator *correlator;
        DnsProber *dns_prober; /* asks the DNS servers of dns-resolution findings */
        bool findings_dirty;
        sd_event_source *save_timer;
        sd_event_source *findings_counts_event;
        sd_event_source *resolve_timer;
        sd_event_source *decide_timer; /* records the correlator waits with, decided by time */
        uint64_t resolve_after_usec;   /* a new invocation clean this long resolves a finding */

        /* watch-journal.c */
        sd_journal *journal;
        sd_event_source *journal_io;
        sd_event_source *journal_defer;
        sd_event_source *journal_rebuild;
        uint64_t journal_rebuilt_usec; /* CLOCK_MONOTONIC */
        char *journal_cursor;          /* of the last processed entry */
        char *saved_cursor;
        uint64_t journal_realtime;
        uint64_t journal_entries;
        uint64_t journal_corrupt;
        bool journal_caught_up; /* the history is read; the journal was opened again after it */
        bool journal_reading;   /* the units are known: entries are read */
        bool journal_drained;   /* the last batch read everything there was */
        bool journal_from_head; /* the findings are rebuilt: read the whole journal */
        uint64_t journal_entries_at_open;

        /* watch-kmsg.c */
        sd_event_source *kmsg_io;

        /* watch-proc.c */
        sd_event_source *sample_timer;
        size_t sample_state;       /* where the current sweep is in units */
        bool sample_found_running; /* the current sweep met a running Go unit */
        uint64_t sample_interval_usec;
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
void manager_read_environment_files(Manager *m, WatchedUnit *u);
/* The inspector finished some files: units waiting for them are looked at again. */
void manager_on_inspected(void *userdata);
/* Decides which file is the unit's executable and whether it is Go; returns UnitChange bits. */
unsigned manager_evaluate_executable(Manager *m, WatchedUnit *u, bool bypass_cache);
/* The first scan is complete: every unit and its executable is known. */
void manager_units_ready(Manager *m);
/* Starts periodic sampling when u is a running Go unit; a sweep that finds none stops it. */
void manager_update_sampling(Manager *m, WatchedUnit *u);

/* manager-bus.c */
int manager_bus_setup(Manager *m);
void manager_bus_unit_added(Manager *m, WatchedUnit *u);
void manager_bus_unit_removed(Manager *m, WatchedUnit *u);
void manager_bus_unit_properties_changed(Manager *m, WatchedUnit *u, unsigned changes);
void manager_bus_counts_changed(Manager *m);

void manager_bus_finding_added(Manager *m, const Finding *f);
void manager_bus_finding_updated(Manager *m, const Finding *f);
void manager_bus_finding_resolved(Manager *m, const Finding *f);
void manager_bus_findings_counts_changed(Manager *m);

/* manager-inspect.c: InspectUnitExecutable of a watched Go unit, answered now (from the cache,
 * or an error) or, once the inspector delivers, by manager_inspect_done(). */
int manager_inspect_unit_executable(Manager *m, WatchedUnit *u, sd_bus_message *call, sd_bus_error *error);
void manager_inspect_done(Manager *m);
void manager_inspect_calls_free(Manager *m);

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
/* A running Go unit was sampled: its fd count (and near its limit, its descriptors by kind). */
void manager_findings_unit_sampled(Manager *m, WatchedUnit *u);

/* watch-journal.c */
int watch_journal_start(Manager *m);
int watch_journal_rebuild_matches(Manager *m);
int watch_journal_save_cursor(Manager *m);
/* Starts reading: the history waits until the units are known (a kill the kernel printed
 * without its cgroup is tied to its unit by the unit's executable). */
void watch_journal_resume(Manager *m);
/* Whether a saved position exists (then the findings it went with must exist too). */
bool watch_journal_has_cursor(Manager *m);

/* watch-kmsg.c */
int watch_kmsg_start(Manager *m);

/* watch-units.c */
int watch_units_start(Manager *m);
/* Sends READY=1 and takes the bus name once the first scan is complete. */
void watch_units_check_ready(Manager *m);
int watch_units_rescan(Manager *m);

/* watch-proc.c */
int watch_proc_sample_unit(Manager *m, WatchedUnit *u);
/* The main process's descriptors by kind, from the links of /proc/PID/fd: at most
 * FD_KINDS_READ_MAX of them. */
int watch_proc_fd_kinds(Manager *m, WatchedUnit *u, UnitSample *s);
int watch_proc_read_environment(Manager *m, WatchedUnit *u);
int watch_proc_start(Manager *m);
