/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <systemd/sd-event.h>

typedef struct Manager Manager;

/* The kernel's log, live from /dev/kmsg. */
typedef struct WatchKmsg {
        sd_event_source *io;
} WatchKmsg;

void watch_kmsg_done(WatchKmsg *w);

int watch_kmsg_start(Manager *m);
