/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A line of /proc/net/tcp6 (tcp, udp and udp6 alike, with 8 hex digits for an IPv4 address):
 *   "  0: 00000000000000000000000001000000:0050 00000000000000000000000000000000:0000 0A
 *    00000000:00000000 00:00000000 00000000     0        0 26001 1 ..."
 * sl, local, remote, st, tx:rx queues, tr:tm->when, retrnsmt, uid, timeout, inode, then more. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "hex.h"
#include "parse-util.h"
#include "proc-net.h"

static void skip_spaces(const char *s, size_t len, size_t *i) {
        while (*i < len && s[*i] == ' ')
                (*i)++;
}

/* The token at *i (up to a space or the end): its start and length, *i past it. */
static size_t token(const char *s, size_t len, size_t *i, size_t *ret_start) {
        skip_spaces(s, len, i);
        *ret_start = *i;
        while (*i < len && s[*i] != ' ')
                (*i)++;
        return *i - *ret_start;
}

/* n hex digits at s: their value. */
static bool hex_value(const char *s, size_t n, uint64_t *ret) {
        uint64_t v = 0;
        if (n == 0 || n > 16)
                return false;
        for (size_t i = 0; i < n; i++) {
                int d = unhexchar(s[i]);
                if (d < 0)
                        return false;
                v = v << 4 | (uint64_t) d;
        }
        *ret = v;
        return true;
}

/* "ADDR:PORT" with 8 (IPv4) or 32 (IPv6) hex digits of address, as 32-bit words in host order. */
static bool address(const char *s, size_t n, int family, uint8_t addr[16], uint16_t *ret_port) {
        size_t words = family == AF_INET6 ? 4 : 1;
        uint64_t v;
        if (n != words * 8 + 5 || s[words * 8] != ':' || !hex_value(s + words * 8 + 1, 4, &v))
                return false;
        *ret_port = (uint16_t) v;
        memset(addr, 0, 16);
        for (size_t w = 0; w < words; w++) {
                uint64_t word;
                if (!hex_value(s + w * 8, 8, &word))
                        return false;
                uint32_t u = (uint32_t) word;
                memcpy(addr + w * 4, &u, 4);
        }
        return true;
}

int proc_net_parse_line(const char *s, size_t len, int family, ProcNetSocket *ret) {
        ProcNetSocket k = { .family = family };
        size_t i = 0, a, n;
        uint64_t v;

        if (family != AF_INET && family != AF_INET6)
                return -EINVAL;
        /* "sl:" */
        n = token(s, len, &i, &a);
        if (n < 2 || s[a + n - 1] != ':' || parse_u64_prefix(s + a, n - 1, &v) != (int) (n - 1))
                return -EBADMSG;
        n = token(s, len, &i, &a);
        if (!address(s + a, n, family, k.local, &k.local_port))
                return -EBADMSG;
        n = token(s, len, &i, &a);
        if (!address(s + a, n, family, k.remote, &k.remote_port))
                return -EBADMSG;
        n = token(s, len, &i, &a);
        if (n != 2 || !hex_value(s + a, 2, &v))
                return -EBADMSG;
        k.state = (uint8_t) v;
        /* tx_queue:rx_queue, tr:tm->when, retrnsmt */
        for (int skip = 0; skip < 3; skip++)
                if (token(s, len, &i, &a) == 0)
                        return -EBADMSG;
        n = token(s, len, &i, &a);
        if (n == 0 || parse_u64_prefix(s + a, n, &v) != (int) n || v > UINT32_MAX)
                return -EBADMSG;
        k.uid = (uint32_t) v;
        if (token(s, len, &i, &a) == 0) /* timeout */
                return -EBADMSG;
        n = token(s, len, &i, &a);
        if (n == 0 || parse_u64_prefix(s + a, n, &v) != (int) n)
                return -EBADMSG;
        k.inode = v;
        *ret = k;
        return 0;
}

int proc_net_next(const char *buf, size_t len, size_t *pos, int family, ProcNetSocket *ret) {
        while (*pos < len) {
                const char *line = buf + *pos;
                const char *nl = memchr(line, '\n', len - *pos);
                size_t n = nl ? (size_t) (nl - line) : len - *pos;
                *pos += n + (nl ? 1 : 0);
                if (proc_net_parse_line(line, n, family, ret) >= 0)
                        return 1;
        }
        return 0;
}

const char *tcp_state_name(uint8_t state) {
        /* include/net/tcp_states.h */
        static const char *const names[] = {
                [1] = "ESTABLISHED", [2] = "SYN_SENT",  [3] = "SYN_RECV", [4] = "FIN_WAIT1",
                [5] = "FIN_WAIT2",   [6] = "TIME_WAIT", [7] = "CLOSE",    [8] = "CLOSE_WAIT",
                [9] = "LAST_ACK",    [10] = "LISTEN",   [11] = "CLOSING", [12] = "NEW_SYN_RECV",
        };
        return state < ELEMENTSOF(names) && names[state] ? names[state] : "UNKNOWN";
}

void proc_net_format(int family, const uint8_t addr[16], uint16_t port, char *buf, size_t size) {
        char a[INET6_ADDRSTRLEN];
        if (!inet_ntop(family == AF_INET6 ? AF_INET6 : AF_INET, addr, a, sizeof a))
                snprintf(a, sizeof a, "?");
        if (family == AF_INET6)
                snprintf(buf, size, "[%s]:%u", a, (unsigned) port);
        else
                snprintf(buf, size, "%s:%u", a, (unsigned) port);
}

int port_range_parse(const char *s, size_t len, uint16_t *ret_low, uint16_t *ret_high) {
        uint64_t lo, hi;
        size_t i = 0;
        int k = parse_u64_prefix(s, len, &lo);
        if (k <= 0)
                return -EBADMSG;
        i = (size_t) k;
        if (i >= len || (s[i] != '\t' && s[i] != ' '))
                return -EBADMSG;
        while (i < len && (s[i] == '\t' || s[i] == ' '))
                i++;
        k = parse_u64_prefix(s + i, len - i, &hi);
        if (k <= 0)
                return -EBADMSG;
        i += (size_t) k;
        if (i < len && s[i] == '\n')
                i++;
        if (i != len || lo > hi || hi > 65535)
                return -EBADMSG;
        *ret_low = (uint16_t) lo;
        *ret_high = (uint16_t) hi;
        return 0;
}

bool proc_net_holds_port(const ProcNetSocket *s, bool udp, uint16_t port) {
        return s->local_port == port && (udp || s->state == TCP_STATE_LISTEN);
}

void port_tally_init(PortTally *t, uint16_t low, uint16_t high) {
        *t = (PortTally){ .low = low, .high = high };
}

void port_tally_add(PortTally *t, const ProcNetSocket *s) {
        if (s->remote_port == 0 || s->state == TCP_STATE_LISTEN || s->local_port < t->low ||
            s->local_port > t->high)
                return;
        bool tw = s->state == TCP_STATE_TIME_WAIT;
        if (t->sockets == 0 || s->local_port < t->seen_low)
                t->seen_low = s->local_port;
        if (t->sockets == 0 || s->local_port > t->seen_high)
                t->seen_high = s->local_port;
        t->sockets++;
        t->time_wait += tw;
        for (size_t i = 0; i < t->n_dest; i++) {
                PortTallyDest *d = &t->dest[i];
                if (d->family == s->family && d->port == s->remote_port &&
                    memcmp(d->addr, s->remote, 16) == 0) {
                        d->sockets++;
                        d->time_wait += tw;
                        return;
                }
        }
        if (t->n_dest == PORT_TALLY_DESTINATIONS)
                return;
        PortTallyDest *d = &t->dest[t->n_dest++];
        *d = (PortTallyDest){ .family = s->family, .port = s->remote_port, .sockets = 1, .time_wait = tw };
        memcpy(d->addr, s->remote, 16);
}

const PortTallyDest *port_tally_top(const PortTally *t) {
        const PortTallyDest *best = NULL;
        for (size_t i = 0; i < t->n_dest; i++)
                if (!best || t->dest[i].sockets > best->sockets)
                        best = &t->dest[i];
        return best;
}
