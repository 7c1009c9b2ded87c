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
} WatchAudit;

void watch_audit_done(WatchAudit *w);

int watch_audit_start(Manager *m);
