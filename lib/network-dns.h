/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "correlate.h"
#include "resolv-conf.h"

/* The dns-resolution class of the network family: Go's name lookup failures in a unit's output,
 * what resolver the binary uses, the resolv.conf the unit sees, and whether the server it asked
 * answers the host. Pure: the detector (lib/detect-network.c) feeds lines, the daemon adds what
 * it reads and probes (network_dns_set_resolv_conf(), network_dns_set_probe()). */

/* How a lookup failed, from the end of Go's error text. */
typedef enum DnsFailureKind {
        DNS_FAILURE_NO_SUCH_HOST,       /* "no such host": NXDOMAIN, or libc's EAI_NONAME */
        DNS_FAILURE_SERVER_MISBEHAVING, /* "server misbehaving": SERVFAIL, REFUSED, ... */
        DNS_FAILURE_TIMEOUT,            /* "i/o timeout" */
        DNS_FAILURE_REFUSED,            /* "connection refused": nothing listens there */
        DNS_FAILURE_UNREACHABLE,        /* "network is unreachable", "no route to host" */
        DNS_FAILURE_NO_ANSWER,          /* "no answer from DNS server" */
        DNS_FAILURE_TEMPORARY,          /* libc's EAI_AGAIN: "Temporary failure in name resolution" */
        DNS_FAILURE_OTHER,              /* another of Go's texts: "cannot unmarshal DNS message", ... */
        _DNS_FAILURE_KIND_MAX,
} DnsFailureKind;

/* One Go DNSError in a line: "lookup NAME[ on SERVER]: ERROR" (src/net/net.go,
 * DNSError.Error()). Offsets into the line. */
typedef struct DnsFailure {
        size_t start, end; /* the whole Go text: [start, end) */
        size_t name_start, name_len;
        size_t server_start, server_len; /* 0 long: no server (libc's resolver through cgo) */
        size_t error_start, error_len;
        DnsFailureKind kind;
} DnsFailure;

/* The class's unit-output needle: every DNSError starts with "lookup ". */
#define NETWORK_DNS_NEEDLE "lookup "

/* 0 with the first DNSError of the line; -ENOENT when it holds none. Lines that merely say
 * "lookup" are not one: a server must be "IP:port", the error must hold one of Go's or libc's
 * texts (and start with it when there is no server); the error ends with that text. */
int dns_failure_find(const char *line, size_t len, DnsFailure *ret);
/* "no-such-host", "timeout", ...: the value of the dns_failure evidence. */
const char *dns_failure_kind_to_string(DnsFailureKind k) _pure_;

/* The resolver the binary uses, from its build info and the unit's GODEBUG. */
typedef struct DnsResolver {
        const char *name;          /* "go", "cgo", "go or cgo": Go's default with cgo; NULL unknown */
        const char *basis;         /* why, in words */
        char netdns[64];           /* GODEBUG netdns value in force, "" when none */
        const char *netdns_source; /* where it comes from */
} DnsResolver;

void network_dns_resolver(const UnitKnowledge *k, DnsResolver *ret);

/* A line of a unit's output holding NETWORK_DNS_NEEDLE: finds the DNSError,
 * counts it (once per invocation) and assembles the finding. Returns 1 when a finding was
 * added or updated, 0 when the line is not one or was counted, -errno. */
int network_dns_on_unit_line(Correlator *c, const JournalRecord *r, const char *needle);

/* The resolv.conf the unit sees, as the daemon read it: path (NULL when it cannot be read from
 * the host), why that file, read_error (-errno, or 0 with rc). */
void network_dns_set_resolv_conf(Finding *f, const char *path, const char *basis, int read_error,
                                 const ResolvConf *rc);

typedef enum DnsProbeResult {
        DNS_PROBE_ANSWERED,
        DNS_PROBE_NO_ANSWER,   /* within the timeout */
        DNS_PROBE_REFUSED,     /* ICMP port unreachable: nothing listens */
        DNS_PROBE_UNREACHABLE, /* no route from the host */
        DNS_PROBE_ERROR,
        _DNS_PROBE_RESULT_MAX,
} DnsProbeResult;

typedef struct DnsProbe {
        const char *server; /* "IP:port" */
        DnsProbeResult result;
        unsigned rcode;    /* ANSWERED */
        uint64_t rtt_usec; /* ANSWERED */
        uint64_t timeout_usec;
        uint64_t at; /* µs since the epoch */
        int error;   /* ERROR: -errno */
} DnsProbe;

const char *dns_probe_result_to_string(DnsProbeResult r) _pure_;
/* The server a finding wants probed, into buf: the one in its message if the unit's resolv.conf
 * names it, or the first the file names (Go's default 127.0.0.1:53 when it names none); false
 * when the resolv.conf is not known (yet) or does not name the message's server. */
bool network_dns_probe_target(const Finding *f, char *buf, size_t size);
void network_dns_set_probe(Finding *f, const DnsProbe *p);

/* Advice and summary from the evidence the finding holds now: called after every change. */
void network_dns_advise(Finding *f);
