/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>

#include "dns-packet.h"
#include "dns-probe.h"
#include "time-util.h"

typedef struct ProbeSlot {
        char server[RESOLV_CONF_SERVER_MAX];
        sd_event_source *io, *timer; /* while a probe runs */
        int fd;
        uint16_t id;
        uint64_t sent; /* CLOCK_MONOTONIC */
        bool have_result;
        uint64_t done_mono; /* CLOCK_MONOTONIC, when the last probe ended */
        DnsProbe result;
} ProbeSlot;

struct DnsProber {
        sd_event *event;
        DnsProbeDone done;
        void *userdata;
        ProbeSlot slots[DNS_PROBE_SERVERS_MAX];
};

static void slot_stop(ProbeSlot *s) {
        s->io = sd_event_source_disable_unref(s->io);
        s->timer = sd_event_source_disable_unref(s->timer);
        if (s->fd >= 0)
                close(s->fd);
        s->fd = -EBADF;
}

int dns_prober_new(sd_event *e, DnsProbeDone done, void *userdata, DnsProber **ret) {
        DnsProber *p = calloc(1, sizeof *p);
        if (!p)
                return -ENOMEM;
        p->event = sd_event_ref(e);
        p->done = done;
        p->userdata = userdata;
        for (size_t i = 0; i < DNS_PROBE_SERVERS_MAX; i++)
                p->slots[i].fd = -EBADF;
        *ret = p;
        return 0;
}

DnsProber *dns_prober_free(DnsProber *p) {
        if (!p)
                return NULL;
        for (size_t i = 0; i < DNS_PROBE_SERVERS_MAX; i++)
                slot_stop(&p->slots[i]);
        sd_event_unref(p->event);
        return mfree(p);
}

/* The slot's probe ended: its result is kept for the next DNS_PROBE_INTERVAL_USEC. */
static void record(ProbeSlot *s, DnsProbeResult result, unsigned rcode, int error) {
        uint64_t now = now_usec(CLOCK_MONOTONIC);
        slot_stop(s);
        s->have_result = true;
        s->done_mono = now;
        s->result = (DnsProbe){
                .server = s->server,
                .result = result,
                .rcode = rcode,
                .rtt_usec = result == DNS_PROBE_ANSWERED ? now - s->sent : 0,
                .timeout_usec = DNS_PROBE_TIMEOUT_USEC,
                .at = now_usec(CLOCK_REALTIME),
                .error = error,
        };
}

static void finish(DnsProber *p, ProbeSlot *s, DnsProbeResult result, unsigned rcode, int error) {
        record(s, result, rcode, error);
        p->done(p->userdata, &s->result);
}

static DnsProbeResult result_of_errno(int e) {
        switch (e) {
        case ECONNREFUSED: return DNS_PROBE_REFUSED;
        case ENETUNREACH:
        case EHOSTUNREACH: return DNS_PROBE_UNREACHABLE;
        default: return DNS_PROBE_ERROR;
        }
}

static int on_io(sd_event_source *source, int fd, uint32_t revents, void *userdata) {
        DnsProber *p = userdata;
        ProbeSlot *s = NULL;
        for (size_t i = 0; i < DNS_PROBE_SERVERS_MAX && !s; i++)
                if (p->slots[i].io == source)
                        s = &p->slots[i];
        if (!s)
                return 0;
        /* Drain what came: a reply to another query (an old one's late answer) is skipped. */
        for (;;) {
                uint8_t buf[512];
                ssize_t n = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
                if (n < 0) {
                        if (errno == EAGAIN || errno == EINTR)
                                return 0;
                        finish(p, s, result_of_errno(errno), 0, -errno);
                        return 0;
                }
                unsigned rcode;
                if (dns_packet_reply_rcode(buf, (size_t) n, s->id, &rcode) == 0) {
                        finish(p, s, DNS_PROBE_ANSWERED, rcode, 0);
                        return 0;
                }
        }
}

static int on_timeout(sd_event_source *source, uint64_t usec, void *userdata) {
        DnsProber *p = userdata;
        for (size_t i = 0; i < DNS_PROBE_SERVERS_MAX; i++)
                if (p->slots[i].timer == source) {
                        finish(p, &p->slots[i], DNS_PROBE_NO_ANSWER, 0, 0);
                        break;
                }
        return 0;
}

/* "IP:port", "[IPv6%zone]:port" → a socket address; numeric only, so getaddrinfo() does not block. */
static int parse_server(const char *server, struct sockaddr_storage *ret, socklen_t *ret_len) {
        char host[RESOLV_CONF_SERVER_MAX];
        const char *colon = strrchr(server, ':');
        if (!colon || colon == server || strlen(server) >= sizeof host)
                return -EINVAL;
        size_t hl = (size_t) (colon - server);
        const char *h = server;
        if (server[0] == '[') {
                if (hl < 3 || server[hl - 1] != ']')
                        return -EINVAL;
                h++;
                hl -= 2;
        }
        memcpy(host, h, hl);
        host[hl] = 0;
        struct addrinfo hints = { .ai_flags = AI_NUMERICHOST | AI_NUMERICSERV, .ai_socktype = SOCK_DGRAM },
                        *ai = NULL;
        if (getaddrinfo(host, colon + 1, &hints, &ai) != 0 || !ai)
                return -EINVAL;
        memcpy(ret, ai->ai_addr, ai->ai_addrlen);
        *ret_len = ai->ai_addrlen;
        freeaddrinfo(ai);
        return 0;
}

int dns_prober_probe(DnsProber *p, const char *server, const char *name, DnsProbe *ret) {
        uint64_t now = now_usec(CLOCK_MONOTONIC);
        ProbeSlot *s = NULL, *free_slot = NULL;
        for (size_t i = 0; i < DNS_PROBE_SERVERS_MAX; i++) {
                ProbeSlot *c = &p->slots[i];
                if (streq(c->server, server))
                        s = c;
                else if (!c->io && (!free_slot || c->done_mono < free_slot->done_mono))
                        free_slot = c; /* the one that ended longest ago makes room */
        }
        if (s && s->io)
                return 0; /* one at a time: its answer comes */
        if (s && s->have_result && now - s->done_mono < DNS_PROBE_INTERVAL_USEC) {
                *ret = s->result;
                return 1;
        }
        if (!s) {
                if (!free_slot)
                        return -EBUSY;
                s = free_slot;
                slot_stop(s);
                *s = (ProbeSlot){ .fd = -EBADF };
                if ((size_t) snprintf(s->server, sizeof s->server, "%s", server) >= sizeof s->server)
                        return -EINVAL;
        }

        struct sockaddr_storage sa;
        socklen_t salen;
        int r = parse_server(server, &sa, &salen);
        if (r < 0) {
                s->server[0] = 0;
                return r;
        }
        uint8_t q[DNS_PACKET_QUERY_MAX];
        uint16_t id;
        if (getrandom(&id, sizeof id, GRND_NONBLOCK) != sizeof id)
                id = (uint16_t) now;
        /* A name that is not one to query (an address of a reverse lookup): any answer will do. */
        int n = dns_packet_query(name, id, q, sizeof q);
        if (n < 0)
                n = dns_packet_query("localhost", id, q, sizeof q);
        if (n < 0)
                return n;

        s->id = id;
        s->sent = now;
        s->fd = socket(sa.ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        /* Connected: an ICMP port unreachable comes back as ECONNREFUSED on recv(). No socket (an
         * administrator took goguardd's network away: RestrictAddressFamilies=AF_UNIX) is an
         * answer too, "error", kept like the others. */
        if (s->fd < 0 || connect(s->fd, (struct sockaddr *) &sa, salen) < 0 ||
            send(s->fd, q, (size_t) n, MSG_NOSIGNAL) < 0) {
                int e = errno;
                record(s, result_of_errno(e), 0, -e);
                *ret = s->result;
                return 1;
        }
        r = sd_event_add_io(p->event, &s->io, s->fd, EPOLLIN, on_io, p);
        if (r >= 0)
                r = sd_event_add_time_relative(p->event, &s->timer, CLOCK_MONOTONIC, DNS_PROBE_TIMEOUT_USEC,
                                               10 * 1000ull, on_timeout, p);
        if (r < 0) {
                slot_stop(s);
                return r;
        }
        return 0;
}
