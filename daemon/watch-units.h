/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <systemd/sd-bus.h>

typedef struct Manager Manager;

/* The units over sd-bus: PID 1's signals, the enumeration and the per-unit queries. */
typedef struct WatchUnits {
        sd_bus_slot *match_slots[8];
        bool enumerating;
        unsigned enumeration_generation;
        unsigned pending_calls;
        unsigned queries_in_flight;
        char **query_queue; /* ring of "S<unit>" / "U<unit>": per-unit queries waiting their turn */
        size_t query_queue_head, query_queue_len, query_queue_alloc;
} WatchUnits;

void watch_units_done(WatchUnits *w);

int watch_units_start(Manager *m);
/* Tells the Manager once the first scan is complete. */
void watch_units_check_ready(Manager *m);
int watch_units_rescan(Manager *m);
/* Reads the Unit interface of u (TriggeredBy=, and with it its sockets' listeners), for a unit
 * just found to be Go whose service properties came while its executable was still being read. */
int watch_units_read_unit(Manager *m, WatchedUnit *u);
