/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The network family: privileged-port, port-in-use, ephemeral-ports. Go's net.OpError around a
 * failed bind() or connect() in the unit's output, correlated with what the unit runs as and with
 * what the network stack says when the finding is made (lib/net-probe.h: the daemon asks the
 * kernel, offline nobody can). One needle per class; on_unit_line() dispatches to the class's
 * function through the table below, so a class joins with a needle and a line there.
 * dns-resolution (lib/network-dns.c) has its own bookkeeping: its needle is handed over whole. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "detector.h"
#include "format-number.h"
#include "go-net-message.h"
#include "network-dns.h"

/* src/syscall/zerrors_linux_*.go's texts of EACCES, EADDRINUSE and EADDRNOTAVAIL, after the
 * os.SyscallError's name of the call: what a matcher keys on. */
#define NEEDLE_EACCES        "bind: permission denied"
#define NEEDLE_EADDRINUSE    "bind: address already in use"
#define NEEDLE_EADDRNOTAVAIL "connect: cannot assign requested address"

static const char *const unit_needles[] = {
        NEEDLE_EACCES, NEEDLE_EADDRINUSE, NEEDLE_EADDRNOTAVAIL, NETWORK_DNS_NEEDLE, NULL,
};

static const FindingClass classes[] = {
        FINDING_PRIVILEGED_PORT, FINDING_PORT_IN_USE,    FINDING_EPHEMERAL_PORTS,
        FINDING_DNS_RESOLUTION,  _FINDING_CLASS_INVALID,
};

#define CAP_NET_BIND_SERVICE_BIT        10
/* The kernel's default for net.ipv4.ip_unprivileged_port_start (PROT_SOCK). */
#define UNPRIVILEGED_PORT_START_DEFAULT 1024

typedef struct NetworkDetector {
        Correlator *c;
} NetworkDetector;

/* One matched line, as the class functions get it. */
typedef struct NetLine {
        const JournalRecord *r;
        UnitKnowledge k;
        const char *needle;
        GoNetMessage m;
        char op[16], net[16];
        char addr[128];
        bool udp;
        char key[192]; /* the occurrence: per invocation and address */
        FindingClass cls;
        /* Set by the class's function when it counted the occurrence: */
        Finding *f;
        bool added;
        char detail[512]; /* the summary's */
} NetLine;

/* ---- what every class shares ---- */

/* Whether the occurrence was counted already (a repeat, a re-read): then nothing is probed. */
static bool counted_before(NetworkDetector *d, const NetLine *l) {
        Finding *f = finding_store_find_active(correlator_store(d->c), l->cls, l->r->unit);
        JournalPosition posbuf;
        const JournalPosition *pos = journal_record_position(l->r, &posbuf);
        return f && (finding_seen(f, l->key) || (pos && finding_counted(f, pos)));
}

static void probe(NetworkDetector *d, const NetLine *l, NetProbeKind kind, NetProbe *ret) {
        NetProbeQuery q = {
                .kind = kind,
                .unit = l->r->unit,
                .main_pid = l->k.known && l->k.settings ? l->k.settings->main_pid : 0,
                .logged_at = l->r->realtime,
                .udp = l->udp,
                .port = l->m.port > 0 ? (uint16_t) l->m.port : 0,
        };
        *ret = (NetProbe){ .unprivileged_port_start = -1, .port_range_low = -1, .port_range_high = -1 };
        if (correlator_net_probe(d->c, &q, ret) < 0)
                *ret = (NetProbe){ .unprivileged_port_start = -1,
                                   .port_range_low = -1,
                                   .port_range_high = -1 };
}

/* Counts the occurrence and sets the evidence every class has: 1 with l->f when counted. */
static int count(NetworkDetector *d, NetLine *l) {
        JournalPosition posbuf;
        const JournalPosition *pos = journal_record_position(l->r, &posbuf);
        const JournalRecord *r = l->r;
        Finding *f;
        int rr = correlator_count(d->c, l->cls, r->unit, l->key, r->invocation_id, r->realtime, pos, &f,
                                  &l->added);
        if (rr <= 0)
                return rr;
        finding_set_common_evidence(f, r, &l->k);
        (void) finding_set_string_n(f, "go_message", r->message + l->m.start, l->m.end - l->m.start);
        (void) finding_set_usec(f, "logged_at", r->realtime);
        if (l->op[0])
                (void) finding_set_string(f, "net_operation", l->op);
        if (l->net[0])
                (void) finding_set_string(f, "net_network", l->net);
        if (l->addr[0])
                (void) finding_set_string(f, "net_address", l->addr);
        if (l->m.port >= 0)
                (void) finding_set_u64(f, "net_port", (uint64_t) l->m.port);
        finding_clear_advice(f);
        l->f = f;
        return 1;
}

static void set_probe_evidence(Finding *f, const NetProbe *p) {
        if (p->probed_at == 0)
                return;
        (void) finding_set_usec(f, "net_probed_at", p->probed_at);
        (void) finding_set_string(f, "net_namespace", p->namespace);
}

/* "listen tcp :80" of the message, or the needle's call when Go's text is not there. */
static void what(const NetLine *l, char *buf, size_t size) {
        if (l->op[0] && l->addr[0])
                snprintf(buf, size, "%s %s %s", l->op, l->net, l->addr);
        else
                snprintf(buf, size, "%.*s", (int) strcspn(l->needle, ":"), l->needle);
}

/* ---- privileged-port ---- */

/* Who the unit's processes run as, in words: "User=nobody", "DynamicUser=yes", "root", or NULL
 * when the settings are not known. */
static const char *runs_as(const UnitKnowledge *k, char *buf, size_t size) {
        if (!k->known || !k->settings)
                return NULL;
        const UnitSettings *s = k->settings;
        if (s->dynamic_user)
                return "DynamicUser=yes";
        if (s->user && s->user[0] && !streq(s->user, "root") && !streq(s->user, "0")) {
                snprintf(buf, size, "User=%s", s->user);
                return buf;
        }
        return "root";
}

static void privileged_port_advice(Finding *f, const NetLine *l, const char *who, bool has_cap,
                                   int64_t start) {
        char text[1024], port[16] = "the port";
        if (l->m.port >= 0)
                snprintf(port, sizeof port, "port %d", l->m.port);
        bool root = who && streq(who, "root");
        if (root)
                snprintf(text, sizeof text,
                         "The unit runs as root, which may bind %s only with CAP_NET_BIND_SERVICE: "
                         "CapabilityBoundingSet= removed it, or the program dropped it before listening. "
                         "Keep it in the bounding set (systemctl show -p CapabilityBoundingSet %s).",
                         port, f->unit);
        else if (has_cap)
                snprintf(text, sizeof text,
                         "AmbientCapabilities= has CAP_NET_BIND_SERVICE, yet the bind of %s was refused: "
                         "CapabilityBoundingSet= must hold it too, and the program must not drop it "
                         "(systemctl show -p CapabilityBoundingSet,NoNewPrivileges %s).",
                         port, f->unit);
        if (root || has_cap)
                (void) finding_add_advice(f, ADVICE_TEXT, text, NULL);
        else {
                snprintf(text, sizeof text,
                         "Ports below %lld need CAP_NET_BIND_SERVICE, which a unit running as %s does not "
                         "have. Give it that capability alone:",
                         (long long) start, who ?: "a user other than root");
                (void) finding_add_advice(f, ADVICE_DROPIN, text,
                                          "[Service]\nAmbientCapabilities=CAP_NET_BIND_SERVICE\n");
        }
        char base[UNIT_NAME_MAX + 1];
        const char *dot = strrchr(f->unit, '.');
        snprintf(base, sizeof base, "%.*s", (int) (dot ? (size_t) (dot - f->unit) : strlen(f->unit)),
                 f->unit);
        snprintf(text, sizeof text,
                 "Or let systemd listen: a socket unit of the same name (%s.socket with %s=%s) passes the "
                 "listening socket to the program, which needs no capability then; a Go program takes it "
                 "with os.NewFile(3, ...) and net.FileListener() (LISTEN_FDS, sd_listen_fds(3)).",
                 base, l->udp ? "ListenDatagram" : "ListenStream",
                 l->m.port >= 0 ? port + STRLEN("port ") : "PORT");
        (void) finding_add_advice(f, ADVICE_TEXT, text, NULL);
}

static int feed_privileged_port(NetworkDetector *d, NetLine *l) {
        if (l->m.port == 0)
                return 0; /* port 0 is never privileged: EACCES from elsewhere (a MAC policy) */
        NetProbe p;
        probe(d, l, NET_PROBE_PRIVILEGED_PORT, &p);
        int64_t start =
                p.unprivileged_port_start >= 0 ? p.unprivileged_port_start : UNPRIVILEGED_PORT_START_DEFAULT;
        if (l->m.port >= start)
                return 0; /* not a privileged port here: the refusal came from elsewhere */

        int rr = count(d, l);
        if (rr <= 0)
                return rr;
        Finding *f = l->f;
        char whobuf[UNIT_NAME_MAX + 8];
        const char *who = runs_as(&l->k, whobuf, sizeof whobuf);
        bool has_cap = false;
        if (l->k.known && l->k.settings) {
                const UnitSettings *s = l->k.settings;
                (void) finding_set_string(f, "User", s->user ?: "");
                (void) finding_set_bool(f, "DynamicUser", s->dynamic_user);
                _cleanup_free_ char *caps = NULL;
                if (format_capabilities(s->ambient_capabilities, &caps) >= 0)
                        (void) finding_set_string(f, "AmbientCapabilities", caps);
                has_cap = s->ambient_capabilities & (UINT64_C(1) << CAP_NET_BIND_SERVICE_BIT);
        }
        (void) finding_set_u64(f, "ip_unprivileged_port_start", (uint64_t) start);
        if (p.unprivileged_port_start >= 0) {
                (void) finding_set_string(f, "ip_unprivileged_port_start_source", "read");
                set_probe_evidence(f, &p);
        } else {
                char src[192];
                snprintf(src, sizeof src, "not read%s%s%s: the kernel's default",
                         p.sysctl_note[0] ? " (" : "", p.sysctl_note, p.sysctl_note[0] ? ")" : "");
                (void) finding_set_string(f, "ip_unprivileged_port_start_source", src);
                set_probe_evidence(f, &p);
        }
        privileged_port_advice(f, l, who, has_cap, start);

        char w[160];
        what(l, w, sizeof w);
        if (who)
                snprintf(l->detail, sizeof l->detail, "%s as %s, below %lld", w, who, (long long) start);
        else
                snprintf(l->detail, sizeof l->detail, "%s, below %lld", w, (long long) start);
        return 1;
}

/* ---- port-in-use ---- */

static int feed_port_in_use(NetworkDetector *d, NetLine *l) {
        NetProbe p = { .unprivileged_port_start = -1 };
        if (l->m.port > 0)
                probe(d, l, NET_PROBE_PORT_HOLDER, &p);

        int rr = count(d, l);
        if (rr <= 0)
                return rr;
        Finding *f = l->f;
        set_probe_evidence(f, &p);

        char holder[512], text[1024], cmd[160], w[160];
        const char *proto = l->udp ? "udp" : "tcp";
        what(l, w, sizeof w);
        if (p.probed_at == 0)
                snprintf(holder, sizeof holder, "not known: %s",
                         l->m.port > 0 ? "the network stack was not asked (offline, or the message is old)"
                                       : "the message names no port");
        else if (!p.port_held)
                snprintf(holder, sizeof holder, "nothing holds %s port %d now", proto, l->m.port);
        else if (p.holder_pid == 0)
                snprintf(holder, sizeof holder,
                         "a socket on %s%s%s (inode %llu, uid %u), of no process found%s", p.holder_address,
                         p.holder_state[0] ? " in " : "", p.holder_state,
                         (unsigned long long) p.holder_inode, p.holder_uid,
                         p.scan_capped ? " before the search stopped at its cap" : "");
        else
                snprintf(holder, sizeof holder, "PID %u (%s)%s%s, on %s", p.holder_pid, p.holder_comm,
                         p.holder_unit[0] ? " of " : "", p.holder_unit, p.holder_address);
        (void) finding_set_string(f, "port_holder", holder);
        /* An earlier occurrence's holder is not this one's. */
        static const char *const holder_keys[] = { "port_holder_address", "port_holder_state",
                                                   "port_holder_uid",     "port_holder_pid",
                                                   "port_holder_comm",    "port_holder_unit" };
        for (size_t i = 0; i < ELEMENTSOF(holder_keys); i++)
                finding_unset(f, holder_keys[i]);
        if (p.port_held) {
                (void) finding_set_string(f, "port_holder_address", p.holder_address);
                if (p.holder_state[0])
                        (void) finding_set_string(f, "port_holder_state", p.holder_state);
                (void) finding_set_u64(f, "port_holder_uid", p.holder_uid);
                if (p.holder_pid) {
                        (void) finding_set_u64(f, "port_holder_pid", p.holder_pid);
                        (void) finding_set_string(f, "port_holder_comm", p.holder_comm);
                }
                if (p.holder_unit[0])
                        (void) finding_set_string(f, "port_holder_unit", p.holder_unit);
        }

        if (p.holder_unit[0] && streq(p.holder_unit, f->unit))
                snprintf(text, sizeof text,
                         "The unit itself holds the port: the program listens on it twice, or a process of "
                         "an earlier start still runs (PID %u). Stop it, or have the program listen once.",
                         p.holder_pid);
        else if (p.holder_pid)
                snprintf(text, sizeof text,
                         "PID %u (%s)%s%s holds the port now. Stop it, or give one of the two another "
                         "port.",
                         p.holder_pid, p.holder_comm, p.holder_unit[0] ? " of " : "", p.holder_unit);
        else if (p.port_held)
                snprintf(text, sizeof text,
                         "A socket holds the port now, but no process with it was found: it may belong to "
                         "another network namespace's view or be passed between processes. The command "
                         "below shows what the kernel knows.");
        else if (p.probed_at)
                snprintf(text, sizeof text,
                         "Nothing holds the port any more: whatever held it when the service started has "
                         "gone, e.g. a previous instance that was still stopping, or a service that listens "
                         "on it only at times. Order the two (After=, Conflicts=) or give them different "
                         "ports.");
        else
                snprintf(text, sizeof text,
                         "Another process held the port when the service started. Offline, only the journal "
                         "is read: what holds it now is not known here; the command below shows it on the "
                         "host.");
        (void) finding_add_advice(f, ADVICE_TEXT, text, NULL);
        if (l->m.port > 0) {
                snprintf(cmd, sizeof cmd, "ss -Hl%snp 'sport = :%d'", l->udp ? "u" : "t", l->m.port);
                (void) finding_add_advice(f, ADVICE_COMMAND,
                                          "What listens on the port now, with its process:", cmd);
        }

        if (p.holder_pid)
                snprintf(l->detail, sizeof l->detail, "%s, held by PID %u (%s)%s%s", w, p.holder_pid,
                         p.holder_comm, p.holder_unit[0] ? " of " : "", p.holder_unit);
        else if (p.probed_at && !p.port_held)
                snprintf(l->detail, sizeof l->detail, "%s, free now", w);
        else
                snprintf(l->detail, sizeof l->detail, "%s", w);
        return 1;
}

/* ---- ephemeral-ports ---- */

static int feed_ephemeral_ports(NetworkDetector *d, NetLine *l) {
        NetProbe p;
        probe(d, l, NET_PROBE_EPHEMERAL_PORTS, &p);

        int rr = count(d, l);
        if (rr <= 0)
                return rr;
        Finding *f = l->f;
        set_probe_evidence(f, &p);

        char text[1536], range[48] = "", seen[32] = "", usage[512] = "", head[256], w[160];
        bool have_range = p.port_range_low >= 0 && p.port_range_high >= p.port_range_low;
        long long n_ports = have_range ? (long long) p.port_range_high - p.port_range_low + 1 : 0;
        if (have_range) {
                snprintf(range, sizeof range, "%d %d", p.port_range_low, p.port_range_high);
                (void) finding_set_string(f, "ip_local_port_range", range);
                snprintf(
                        head, sizeof head,
                        "the %lld ports of net.ipv4.ip_local_port_range (%d-%d) were all taken towards that "
                        "destination.",
                        n_ports, p.port_range_low, p.port_range_high);
        } else if (p.sysctl_note[0])
                snprintf(
                        head, sizeof head,
                        "every port of net.ipv4.ip_local_port_range was taken towards that destination (the "
                        "range was not read: %s).",
                        p.sysctl_note);
        else
                snprintf(head, sizeof head,
                         "every port of net.ipv4.ip_local_port_range was taken towards that destination.");
        if (p.sockets_read) {
                (void) finding_set_u64(f, "local_ports_in_use", p.sockets_in_range);
                (void) finding_set_u64(f, "time_wait_sockets", p.time_wait);
                if (p.sockets_in_range > 0) {
                        snprintf(seen, sizeof seen, "%u-%u", p.seen_port_low, p.seen_port_high);
                        (void) finding_set_string(f, "local_ports_seen", seen);
                }
                if (p.top_destination[0]) {
                        (void) finding_set_string(f, "top_destination", p.top_destination);
                        (void) finding_set_u64(f, "top_destination_sockets", p.top_sockets);
                        (void) finding_set_u64(f, "top_destination_time_wait", p.top_time_wait);
                        snprintf(usage, sizeof usage,
                                 " Now %llu connections use local ports %s, %llu of them in TIME_WAIT; most "
                                 "go "
                                 "to %s (%llu, %llu in TIME_WAIT).",
                                 (unsigned long long) p.sockets_in_range, seen,
                                 (unsigned long long) p.time_wait, p.top_destination,
                                 (unsigned long long) p.top_sockets, (unsigned long long) p.top_time_wait);
                } else
                        snprintf(usage, sizeof usage,
                                 " Now no connection uses such a port: the burst has passed.");
        }
        snprintf(
                text, sizeof text,
                "connect() found no free local port: %s%s A Go client that opens a new connection per "
                "request uses ports up faster than TIME_WAIT (60 s) frees them: reuse one http.Client, read "
                "response bodies to the end and close them, and raise http.Transport's MaxIdleConnsPerHost "
                "(2 "
                "by default).",
                head, usage);
        (void) finding_add_advice(f, ADVICE_TEXT, text, NULL);
        (void) finding_add_advice(
                f, ADVICE_COMMAND,
                "Connections in TIME_WAIT by destination (in the unit's network namespace "
                "if it has its own, PrivateNetwork=):",
                "ss -Htn state time-wait | awk '{ print $4 }' | sort | uniq -c | sort -rn | "
                "head");
        (void) finding_add_advice(f, ADVICE_COMMAND,
                                  "Or widen the range for good (it is per network namespace; keep clear of "
                                  "the ports services listen on):",
                                  "echo 'net.ipv4.ip_local_port_range = 15000 65000' "
                                  ">/etc/sysctl.d/90-local-ports.conf && sysctl --system");

        what(l, w, sizeof w);
        if (have_range && p.sockets_read)
                snprintf(l->detail, sizeof l->detail, "%s, %llu connections on the %lld ports of the range",
                         w, (unsigned long long) p.sockets_in_range, n_ports);
        else if (p.sockets_read && p.sockets_in_range > 0)
                snprintf(l->detail, sizeof l->detail, "%s, %llu connections on local ports %s", w,
                         (unsigned long long) p.sockets_in_range, seen);
        else
                snprintf(l->detail, sizeof l->detail, "%s", w);
        return 1;
}

/* ---- the Detector ---- */

/* Which class a needle finds, and its function. */
static const struct {
        const char *needle;
        FindingClass cls;
        int (*feed)(NetworkDetector *d, NetLine *l);
} lines[] = {
        { NEEDLE_EACCES, FINDING_PRIVILEGED_PORT, feed_privileged_port },
        { NEEDLE_EADDRINUSE, FINDING_PORT_IN_USE, feed_port_in_use },
        { NEEDLE_EADDRNOTAVAIL, FINDING_EPHEMERAL_PORTS, feed_ephemeral_ports },
};

static void span(const char *s, size_t start, size_t len, char *buf, size_t size) {
        snprintf(buf, size, "%.*s", (int) MIN(len, size - 1), s + start);
}

static int network_init(Correlator *c, void *state) {
        NetworkDetector *d = state;
        d->c = c;
        return 0;
}

static int network_on_unit_line(void *state, const JournalRecord *r, const char *needle) {
        NetworkDetector *d = state;
        if (!r->unit)
                return 0;
        if (streq(needle, NETWORK_DNS_NEEDLE))
                return network_dns_on_unit_line(d->c, r, needle);
        for (size_t i = 0; i < ELEMENTSOF(lines); i++) {
                if (!streq(needle, lines[i].needle))
                        continue;
                const char *at = memmem(r->message, r->message_len, needle, strlen(needle));
                /* "rebind: ..." is not the system call's name. */
                if (!at || (at > r->message && (isalnum((unsigned char) at[-1]) || at[-1] == '_')))
                        return 0;
                NetLine l = { .r = r, .needle = needle, .cls = lines[i].cls };
                correlator_lookup(d->c, r->unit, &l.k);
                if (!correlator_wanted(d->c, &l.k))
                        return 0;
                go_net_message_find(r->message, r->message_len, (size_t) (at - r->message), strlen(needle),
                                    &l.m);
                span(r->message, l.m.op_start, l.m.op_len, l.op, sizeof l.op);
                span(r->message, l.m.net_start, l.m.net_len, l.net, sizeof l.net);
                span(r->message, l.m.addr_start, l.m.addr_len, l.addr, sizeof l.addr);
                l.udp = strncmp(l.net, "udp", 3) == 0;
                /* A program that retries: one occurrence per invocation and address. */
                snprintf(l.key, sizeof l.key, "%s/inv/%s/%s/%s", r->boot_id ?: "-", r->invocation_id ?: "-",
                         finding_class_info(lines[i].cls)->name, l.addr[0] ? l.addr : "-");
                if (counted_before(d, &l))
                        return 0; /* a repeat, or read again: nothing is asked of the network stack */
                int k = lines[i].feed(d, &l);
                if (k <= 0)
                        return k;
                finding_update_summary(l.f, l.detail);
                correlator_notify(d->c, l.f, l.added);
                return 1;
        }
        return 0;
}

const Detector detector_network = {
        .family = "network",
        .classes = classes,
        .unit_needles = unit_needles,
        .state_size = sizeof(NetworkDetector),
        .init = network_init,
        .on_unit_line = network_on_unit_line,
};
