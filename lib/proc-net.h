/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "macro.h"

/* The kernel's socket tables, /proc/net/{tcp,tcp6,udp,udp6} (net/ipv4/tcp_ipv4.c get_tcp4_sock(),
 * net/ipv6/tcp_ipv6.c get_tcp6_sock(), the udp equivalents), parsed from a buffer: the daemon
 * reads the files, the tests feed text. Addresses are printed as the kernel's 32-bit words in
 * host byte order, so they parse back to network byte order on the machine that printed them. */

#define TCP_STATE_ESTABLISHED 0x01
#define TCP_STATE_TIME_WAIT   0x06
#define TCP_STATE_LISTEN      0x0A

typedef struct ProcNetSocket {
        int family; /* AF_INET or AF_INET6 */
        uint8_t local[16], remote[16];
        uint16_t local_port, remote_port;
        uint8_t state;
        uint32_t uid;
        uint64_t inode; /* 0 for TIME_WAIT sockets: they belong to no process any more */
} ProcNetSocket;

/* One line of such a file, without its newline: 0, or -EBADMSG (the header line too). */
int proc_net_parse_line(const char *line, size_t len, int family, ProcNetSocket *ret);
/* The next socket of buf from *pos on, skipping lines that do not parse: 1 with *ret set and *pos
 * past its line, 0 at the end. */
int proc_net_next(const char *buf, size_t len, size_t *pos, int family, ProcNetSocket *ret);

/* "TIME_WAIT" for 6, ...; "UNKNOWN" for what the kernel does not use. */
const char *tcp_state_name(uint8_t state) _pure_;
/* "10.0.0.1:5432", "[::1]:80" into buf (at least 64 bytes). */
void proc_net_format(int family, const uint8_t addr[16], uint16_t port, char *buf, size_t size);

/* net.ipv4.ip_local_port_range's "32768\t60999" (with or without its newline): 0 or -EBADMSG. */
int port_range_parse(const char *s, size_t len, uint16_t *ret_low, uint16_t *ret_high);

/* Whether s holds the port a bind() of a udp (or tcp) socket to it collides with: a tcp listener,
 * or any udp socket bound to it. */
bool proc_net_holds_port(const ProcNetSocket *s, bool udp, uint16_t port);

/* The connected tcp sockets whose local port is in an ephemeral range, by destination: what a
 * connect() that found no free local port competed with. Bounded: destinations past the first
 * PORT_TALLY_DESTINATIONS are counted in the totals only. */
#define PORT_TALLY_DESTINATIONS 64u

typedef struct PortTallyDest {
        int family;
        uint8_t addr[16];
        uint16_t port;
        uint64_t sockets, time_wait;
} PortTallyDest;

typedef struct PortTally {
        uint16_t low, high;
        uint64_t sockets, time_wait;  /* in the range, in all */
        uint16_t seen_low, seen_high; /* the local ports they use, when sockets > 0 */
        PortTallyDest dest[PORT_TALLY_DESTINATIONS];
        size_t n_dest;
} PortTally;

void port_tally_init(PortTally *t, uint16_t low, uint16_t high);
void port_tally_add(PortTally *t, const ProcNetSocket *s);
/* The destination with the most sockets (the first of equals), or NULL. */
const PortTallyDest *port_tally_top(const PortTally *t);
