/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <systemd/sd-event.h>

#include "correlate.h"

typedef struct Manager Manager;
typedef struct WatchedUnit WatchedUnit;

/* /proc and the cgroup file system: sweeps over the running Go units. */
typedef struct WatchProc {
        sd_event_source *timer;
        size_t state;       /* where the current sweep is in units */
        bool found_running; /* the current sweep met a running Go unit */
        uint64_t interval_usec;
        uint64_t kernel_threads_max; /* kernel.threads-max at the last sweep; 0: not read */
} WatchProc;

void watch_proc_done(WatchProc *w);

int watch_proc_sample_unit(Manager *m, WatchedUnit *u);
/* The main process's descriptors by kind, from the links of /proc/PID/fd: at most
 * FD_KINDS_READ_MAX of them. */
int watch_proc_fd_kinds(Manager *m, WatchedUnit *u, UnitSample *s);
int watch_proc_read_environment(Manager *m, WatchedUnit *u);
/* The listening sockets of a root unit's main process (runs-as-root), until it has some;
 * returns 1 if what is known changed. */
int watch_proc_read_listening(Manager *m, WatchedUnit *u);
/* The host's kernel.threads-max into m->watch_proc.kernel_threads_max. */
int watch_proc_read_threads_max(Manager *m);
int watch_proc_start(Manager *m);
/* Starts periodic sampling when u is a running Go unit; a sweep that finds none stops it. */
void watch_proc_update_sampling(Manager *m, WatchedUnit *u);
