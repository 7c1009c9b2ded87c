/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdint.h>
#include <systemd/sd-event.h>

typedef struct Manager Manager;

/* The kernel's audit records, live from the audit netlink multicast group (security denials). */
typedef struct WatchAudit {
        sd_event_source *io;
        uint64_t records; /* read from the multicast */
        uint64_t lost;    /* times the socket's buffer overflowed: the journal has those records */
        uint64_t serial;  /* the highest serial read from the multicast */
        /* The unit of the pid the last record named, read at cached_usec (CLOCK_MONOTONIC):
         * a flood comes from one process (manager_audit_record_unit()). */
        uint32_t cached_pid;
        char *cached_unit;
        uint64_t cached_usec;
} WatchAudit;

void watch_audit_done(WatchAudit *w);
/* The journal brings a record of this serial: the multicast's copy of every record journald had
 * (it reads the same multicast) is read first, while the process it names still runs. */
void watch_audit_catch_up(Manager *m, uint64_t serial);

int watch_audit_start(Manager *m);
