/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "unit-name.h"

/* What the network stack says now, asked for by the network detectors when they make a finding:
 * the daemon reads the kernel (in the unit's network namespace while its main process lives, else
 * in its own, which is the host's), offline analysis has nothing to ask. The detectors never read
 * the host themselves: lib/ stays pure and the tests answer for the kernel. */

typedef enum NetProbeKind {
        NET_PROBE_PRIVILEGED_PORT, /* net.ipv4.ip_unprivileged_port_start */
        NET_PROBE_PORT_HOLDER,     /* who holds (udp, port) now */
        NET_PROBE_EPHEMERAL_PORTS, /* net.ipv4.ip_local_port_range and the sockets using it */
} NetProbeKind;

typedef struct NetProbeQuery {
        NetProbeKind kind;
        const char *unit;
        uint32_t main_pid;  /* the unit's, whose network namespace to read; 0: none lives */
        uint64_t logged_at; /* when the message was logged (µs since the epoch): an old one is
                             * not probed, what holds a port now says nothing about then */
        bool udp;
        uint16_t port;
} NetProbeQuery;

typedef struct NetProbe {
        uint64_t probed_at;                      /* µs since the epoch */
        char namespace[96];                      /* whose network namespace was read, in words */
        int64_t unprivileged_port_start;         /* -1 when not read */
        int32_t port_range_low, port_range_high; /* -1 when not read */
        char sysctl_note[128];                   /* why the sysctls were not read, or "" */

        /* NET_PROBE_PORT_HOLDER */
        bool port_held;          /* a socket holds the port */
        char holder_address[64]; /* its local address */
        char holder_state[16];   /* its tcp state, "" for udp */
        uint64_t holder_inode;
        uint32_t holder_uid;
        uint32_t holder_pid; /* 0 when no process was found with it */
        char holder_comm[16];
        char holder_unit[UNIT_NAME_MAX + 1]; /* "" when not in a unit's cgroup */
        bool scan_capped;                    /* the search of processes stopped at its cap */

        /* NET_PROBE_EPHEMERAL_PORTS: connected tcp sockets with a local port in the range (any
         * but a listener's when the range was not read) */
        bool sockets_read;
        uint64_t sockets_in_range, time_wait;
        uint16_t seen_port_low, seen_port_high; /* the local ports they use, when any */
        char top_destination[64];               /* "" when none */
        uint64_t top_sockets, top_time_wait;
} NetProbe;

typedef int (*NetProbeFunc)(void *userdata, const NetProbeQuery *q, NetProbe *ret);
