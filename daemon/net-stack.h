/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "net-probe.h"

/* The network detectors' NetProbeFunc (lib/net-probe.h): reads the kernel's socket tables, its
 * sysctls and, for a port's holder, the processes' descriptors under the Manager's proc_root.
 * Bounded in work and time, called on the loop only when such a message arrives. userdata is the
 * Manager. */
int manager_net_probe(void *userdata, const NetProbeQuery *q, NetProbe *ret);
