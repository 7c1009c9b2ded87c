/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <systemd/sd-event.h>

#include "network-dns.h"

/* Asks a DNS server a unit failed to get an answer from whether it answers the host: one UDP
 * query on the event loop, never blocking, with a short timeout. One probe at a time per server,
 * and at most one per server every DNS_PROBE_INTERVAL_USEC: findings that want a server probed
 * again within that time get the last answer. */

#define DNS_PROBE_TIMEOUT_USEC  (2000 * 1000ull)
#define DNS_PROBE_INTERVAL_USEC (30 * 1000 * 1000ull)
#define DNS_PROBE_SERVERS_MAX   16u

typedef struct DnsProber DnsProber;
/* A probe ended; p is valid for the call only. */
typedef void (*DnsProbeDone)(void *userdata, const DnsProbe *p);

int dns_prober_new(sd_event *e, DnsProbeDone done, void *userdata, DnsProber **ret);
DnsProber *dns_prober_free(DnsProber *p);

/* Probes server ("IP:port") with a query for name. 1 with the last answer in *ret when it is
 * recent (valid until the next call); 0 when a probe runs (done() is called when it ends);
 * -EBUSY when every slot is busy probing, -EINVAL for a server that is not "IP:port". */
int dns_prober_probe(DnsProber *p, const char *server, const char *name, DnsProbe *ret);
