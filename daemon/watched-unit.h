/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include <systemd/sd-event.h>

#include "exe-cache.h"
#include "macro.h"
#include "unit-settings.h"

/* A service unit of the service manager as goguardd sees it. Every loaded service unit has one
 * (so a unit whose main process later turns out to be Go is noticed); only Go units get a bus
 * object. */
typedef struct Manager Manager;

typedef struct WatchedUnit {
        Manager *manager;
        char *name;
        char *systemd_path; /* /org/freedesktop/systemd1/unit/... */
        char *bus_path;     /* ours: /org/goguard/goguard1/unit/... */
        UnitSettings settings;

        ExeEntry *exe;  /* what was inspected; NULL if nothing could be */
        char *exe_path; /* the path it was inspected as */
        char comm[16];  /* its name as the kernel's comm shows it: 15 bytes at most */
        bool is_go;
        bool exe_pending; /* its executable is being inspected; looked at again when done */
        bool exported;    /* has a bus object */
        bool have_unit_props;
        /* The Service interface was read (ExecStart=, the limits, Restart=...): only then is the
         * unit exported and its output read, so that nothing is judged by defaults. */
        bool have_service_props;

        char **process_environment; /* live, from /proc/MainPID/environ */
        char **environment_files;   /* read from its EnvironmentFile= files */
        uint32_t process_environment_pid;

        uint32_t fd_count;
        uint64_t tasks_current;
        uint64_t sample_timestamp;
        /* runs-as-root: the listening sockets of main process listen_pid (0: none read). */
        uint32_t listen_pid, listen_sockets;
        uint16_t listen_port_min;

        /* Its resolv.conf is being read for its dns-resolution findings (manager-dns.c), and
         * is to be read again after. */
        bool resolv_reading, resolv_reread;

        unsigned open_findings;
        unsigned refresh_generation; /* guards against replies to superseded GetAll calls */
        unsigned seen_generation;    /* last enumeration that listed it */
        bool service_query_queued, unit_query_queued, light_query_queued, background_queued;
        /* Listed and read by its ExecStart= and MainPID only (watch-units.c): read whole once its
         * executable is judged. */
        bool light_pending;

        /* A started process may exec its Go program a moment later (a shell wrapper): look at
         * /proc/PID/exe again a few times after the main PID changes. */
        sd_event_source *recheck_timer;
        unsigned recheck_attempt;
        uint32_t checked_pid;

        /* TriggeredBy=: the .socket units that start it, whose listeners (PID 1 binds them)
         * settings.socket_listen gathers. */
        char **triggered_by;
} WatchedUnit;

int watched_unit_new(const char *name, const char *systemd_path, WatchedUnit **ret);
WatchedUnit *watched_unit_free(WatchedUnit *u);
DEFINE_TRIVIAL_CLEANUP_FUNC(WatchedUnit *, watched_unit_free);
bool watched_unit_is_running(const WatchedUnit *u);
/* The Go version its executable was built with, "" if not known. */
const char *watched_unit_go_version(const WatchedUnit *u);
