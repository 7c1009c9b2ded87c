/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <systemd/sd-bus.h>

typedef struct Manager Manager;

/* The units over sd-bus: PID 1's signals, the enumeration and the per-unit queries. */
typedef struct QueryRing {
        char **entries;
        size_t head, len, alloc;
} QueryRing;

typedef struct WatchUnits {
        sd_bus_slot *match_slots[8];
        bool enumerating;
        unsigned enumeration_generation;
        unsigned pending_calls;
        unsigned queries_in_flight;
        /* Per-unit queries waiting their turn, "<kind><unit>": S (Service GetAll), U (Unit
         * GetAll), L (the light query of a listed unit); and B, Service GetAll in the background. */
        QueryRing queue, background;
} WatchUnits;

void watch_units_done(WatchUnits *w);

int watch_units_start(Manager *m);
/* Tells the Manager once the first scan is complete. */
void watch_units_check_ready(Manager *m);
int watch_units_rescan(Manager *m);
/* Reads the Unit interface of u (TriggeredBy=, and with it its sockets' listeners), for a unit
 * just found to be Go whose service properties came while its executable was still being read. */
int watch_units_read_unit(Manager *m, WatchedUnit *u);
/* For a unit listed but read only by what it runs: its executable was judged (now, or after the
 * inspector read it). Go, it is read whole now; else in the background. */
void watch_units_unit_judged(Manager *m, WatchedUnit *u);
