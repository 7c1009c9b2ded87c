/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>

#include "net-probe.h"
#include "proc-net.h"

typedef struct Manager Manager;

/* The network detectors' NetProbeFunc (lib/net-probe.h): reads the kernel's socket tables, its
 * sysctls and, for a port's holder, the processes' descriptors under the Manager's proc_root.
 * Bounded in work and time, called on the loop only when such a message arrives. userdata is the
 * Manager. */
int manager_net_probe(void *userdata, const NetProbeQuery *q, NetProbe *ret);

/* The socket tables of who ("self", a pid) under proc_root: calls fn for every socket of tcp and
 * tcp6 (udp and udp6 with udp). 0 if one table was read, else -errno. */
int net_stack_for_each_socket(Manager *m, const char *who, bool udp,
                              void (*fn)(const ProcNetSocket *s, void *ud), void *ud);
