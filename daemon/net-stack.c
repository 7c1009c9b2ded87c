/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What the network stack says now, for a network finding. The socket tables of another
 * namespace are read through a process in it (/proc/PID/net/, the unit's main process, else PID
 * 1's: the host's); a sysctl of net.* shows only the reader's own namespace, so those are read
 * only when that is the one wanted (goguardd's unit shares the host's, for its DNS probes, but a
 * unit may have PrivateNetwork=, and goguardd may run in one of its own), and the finding says so
 * otherwise. */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "kernel-oom.h"
#include "log.h"
#include "manager.h"
#include "net-stack.h"
#include "parse-util.h"
#include "proc-cgroup.h"
#include "proc-net.h"
#include "state-file.h"
#include "time-util.h"

/* A message older than this is a re-read of the journal: what the stack says now is no word on
 * then. */
#define PROBE_AGE_MAX_USEC (60u * 1000000u)
/* /proc/net/tcp is ~150 bytes a socket: about 100000 sockets. */
#define NET_FILE_MAX       (16u << 20)
/* The search for a socket's process: a few thousand processes and their descriptors at most, and
 * never more than this long on the loop. */
#define SCAN_PIDS_MAX      8192u
#define SCAN_FDS_MAX       (256u * 1024u)
#define SCAN_BUDGET_USEC   100000u
#define SCAN_CLOCK_EVERY   256u

static bool ns_link(const char *proc_root, const char *who, char *buf, size_t size) {
        char path[96];
        snprintf(path, sizeof path, "%s/%s/ns/net", proc_root, who);
        ssize_t k = readlink(path, buf, size - 1);
        if (k <= 0)
                return false;
        buf[k] = 0;
        return true;
}

static int64_t read_sysctl_u64(const char *name) {
        char path[128];
        _cleanup_free_ char *buf = NULL;
        size_t len;
        uint64_t v;
        snprintf(path, sizeof path, "/proc/sys/net/ipv4/%s", name);
        if (read_virtual_file(path, 64, &buf, &len) < 0)
                return -1;
        while (len > 0 && buf[len - 1] == '\n')
                len--;
        int k = parse_u64_prefix(buf, len, &v);
        return k > 0 && (size_t) k == len && v <= INT64_MAX ? (int64_t) v : -1;
}

/* Whose tables to read (the unit's main process, else PID 1) and whether goguardd's own sysctls
 * are that namespace's. */
static void choose_namespace(Manager *m, const NetProbeQuery *q, char *who, size_t size, NetProbe *p,
                             bool *ret_sysctls) {
        char ns_who[64] = "", ns_self[64] = "", ns_init[64] = "";
        bool have_who = false;
        if (q->main_pid > 0) {
                snprintf(who, size, "%u", q->main_pid);
                have_who = ns_link(m->proc_root, who, ns_who, sizeof ns_who);
        }
        bool have_init = ns_link(m->proc_root, "1", ns_init, sizeof ns_init);
        if (!have_who) {
                snprintf(who, size, "1");
                snprintf(ns_who, sizeof ns_who, "%s", ns_init);
                have_who = have_init;
                snprintf(p->namespace, sizeof p->namespace,
                         "the host's (PID 1's): no process of the unit lives");
        } else if (have_init && streq(ns_who, ns_init))
                snprintf(p->namespace, sizeof p->namespace, "the host's, which the unit shares");
        else
                snprintf(p->namespace, sizeof p->namespace, "the unit's own (PID %u's)", q->main_pid);
        *ret_sysctls =
                have_who && ns_link(m->proc_root, "self", ns_self, sizeof ns_self) && streq(ns_self, ns_who);
        if (!*ret_sysctls)
                snprintf(p->sysctl_note, sizeof p->sysctl_note, "%s",
                         !have_who ? "the network namespace could not be told"
                         : have_init && streq(ns_who, ns_init)
                                 ? "goguardd runs in a network namespace of its own, PrivateNetwork=yes"
                                 : "the unit has a network namespace of its own");
}

int net_stack_for_each_socket(Manager *m, const char *who, bool udp,
                              void (*fn)(const ProcNetSocket *s, void *ud), void *ud) {
        static const struct {
                const char *name;
                int family;
        } files[] = { { "tcp", AF_INET }, { "tcp6", AF_INET6 }, { "udp", AF_INET }, { "udp6", AF_INET6 } };
        int r = -ENOENT;
        for (size_t i = udp ? 2 : 0; i < (udp ? 4u : 2u); i++) {
                char path[96];
                _cleanup_free_ char *buf = NULL;
                size_t len, pos = 0;
                snprintf(path, sizeof path, "%s/%s/net/%s", m->proc_root, who, files[i].name);
                int k = read_virtual_file(path, NET_FILE_MAX, &buf, &len);
                if (k < 0) {
                        log_debug("Failed to read %s: %s", path, strerror(-k));
                        continue; /* no IPv6 in the kernel, say */
                }
                r = 0;
                ProcNetSocket s;
                while (proc_net_next(buf, len, &pos, files[i].family, &s) > 0)
                        fn(&s, ud);
        }
        return r;
}

/* ---- the port's holder ---- */

typedef struct HolderSearch {
        bool udp;
        uint16_t port;
        bool found;
        ProcNetSocket s;
} HolderSearch;

static void match_holder(const ProcNetSocket *s, void *ud) {
        HolderSearch *h = ud;
        /* The first one with a process to find wins over a socket of none (inode 0). */
        if (proc_net_holds_port(s, h->udp, h->port) && (!h->found || (h->s.inode == 0 && s->inode != 0))) {
                h->s = *s;
                h->found = true;
        }
}

static bool pid_holds_inode(int proc_fd, const char *pid, const char *want, unsigned *fds,
                            bool *ret_capped) {
        char path[64], target[64];
        snprintf(path, sizeof path, "%.20s/fd", pid);
        int fd = openat(proc_fd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return false;
        DIR *d = fdopendir(fd);
        if (!d) {
                close(fd);
                return false;
        }
        bool hit = false;
        struct dirent *de;
        while (!hit && (de = readdir(d))) {
                if (de->d_name[0] == '.')
                        continue;
                if (++*fds > SCAN_FDS_MAX) {
                        *ret_capped = true;
                        break;
                }
                ssize_t k = readlinkat(dirfd(d), de->d_name, target, sizeof target - 1);
                if (k <= 0)
                        continue;
                target[k] = 0;
                hit = streq(target, want);
        }
        closedir(d);
        return hit;
}

static void describe_process(Manager *m, uint32_t pid, NetProbe *p) {
        char path[96];
        _cleanup_free_ char *buf = NULL;
        size_t len;
        p->holder_pid = pid;
        snprintf(path, sizeof path, "%s/%u/comm", m->proc_root, pid);
        if (read_virtual_file(path, sizeof p->holder_comm, &buf, &len) >= 0) {
                while (len > 0 && buf[len - 1] == '\n')
                        len--;
                snprintf(p->holder_comm, sizeof p->holder_comm, "%.*s", (int) len, buf);
        }
        buf = mfree(buf);
        snprintf(path, sizeof path, "%s/%u/cgroup", m->proc_root, pid);
        if (read_virtual_file(path, 65536, &buf, &len) < 0)
                return;
        _cleanup_free_ char *unit = NULL;
        if (proc_cgroup_unit(buf, len, &unit) >= 0)
                snprintf(p->holder_unit, sizeof p->holder_unit, "%s", unit);
}

/* The process with socket:[inode] among its descriptors: bounded by SCAN_* . */
static void find_process(Manager *m, uint64_t inode, NetProbe *p) {
        char want[48];
        snprintf(want, sizeof want, "socket:[%llu]", (unsigned long long) inode);
        DIR *d = opendir(m->proc_root);
        if (!d)
                return;
        uint64_t start = now_usec(CLOCK_MONOTONIC);
        unsigned pids = 0, fds = 0;
        struct dirent *de;
        while ((de = readdir(d))) {
                uint64_t pid;
                if (parse_u64(de->d_name, &pid) < 0 || pid == 0 || pid > UINT32_MAX)
                        continue;
                if (++pids > SCAN_PIDS_MAX ||
                    (pids % SCAN_CLOCK_EVERY == 0 && now_usec(CLOCK_MONOTONIC) - start > SCAN_BUDGET_USEC)) {
                        p->scan_capped = true;
                        break;
                }
                if (pid_holds_inode(dirfd(d), de->d_name, want, &fds, &p->scan_capped)) {
                        describe_process(m, (uint32_t) pid, p);
                        break;
                }
                if (p->scan_capped)
                        break;
        }
        closedir(d);
        log_debug("Searched %u processes and %u descriptors for %s in %llu µs.", pids, fds, want,
                  (unsigned long long) (now_usec(CLOCK_MONOTONIC) - start));
}

static void probe_holder(Manager *m, const NetProbeQuery *q, const char *who, NetProbe *p) {
        HolderSearch h = { .udp = q->udp, .port = q->port };
        if (q->port == 0 || net_stack_for_each_socket(m, who, q->udp, match_holder, &h) < 0)
                return;
        p->port_held = h.found;
        if (!h.found)
                return;
        proc_net_format(h.s.family, h.s.local, h.s.local_port, p->holder_address, sizeof p->holder_address);
        if (!q->udp)
                snprintf(p->holder_state, sizeof p->holder_state, "%s", tcp_state_name(h.s.state));
        p->holder_inode = h.s.inode;
        p->holder_uid = h.s.uid;
        if (h.s.inode != 0)
                find_process(m, h.s.inode, p);
}

/* ---- the ephemeral ports ---- */

typedef struct PortUse {
        uint8_t listening[65536 / 8];
        PortTally tally;
} PortUse;

static void mark_listener(const ProcNetSocket *s, void *ud) {
        PortUse *u = ud;
        if (s->state == TCP_STATE_LISTEN)
                u->listening[s->local_port / 8] |= (uint8_t) (1u << (s->local_port % 8));
}

/* A connection accepted by a listener uses the listener's port, not one of the range. */
static void tally_socket(const ProcNetSocket *s, void *ud) {
        PortUse *u = ud;
        if (!(u->listening[s->local_port / 8] & (1u << (s->local_port % 8))))
                port_tally_add(&u->tally, s);
}

static void probe_ephemeral(Manager *m, const char *who, bool sysctls, NetProbe *p) {
        if (sysctls) {
                _cleanup_free_ char *buf = NULL;
                size_t len;
                uint16_t lo, hi;
                if (read_virtual_file("/proc/sys/net/ipv4/ip_local_port_range", 64, &buf, &len) >= 0 &&
                    port_range_parse(buf, len, &lo, &hi) >= 0) {
                        p->port_range_low = lo;
                        p->port_range_high = hi;
                }
        }
        _cleanup_free_ PortUse *u = calloc(1, sizeof *u);
        if (!u)
                return;
        if (net_stack_for_each_socket(m, who, false, mark_listener, u) < 0)
                return;
        port_tally_init(&u->tally, p->port_range_low >= 0 ? (uint16_t) p->port_range_low : 1,
                        p->port_range_high >= 0 ? (uint16_t) p->port_range_high : 65535);
        (void) net_stack_for_each_socket(m, who, false, tally_socket, u);
        p->sockets_read = true;
        p->sockets_in_range = u->tally.sockets;
        p->time_wait = u->tally.time_wait;
        p->seen_port_low = u->tally.seen_low;
        p->seen_port_high = u->tally.seen_high;
        const PortTallyDest *top = port_tally_top(&u->tally);
        if (top) {
                proc_net_format(top->family, top->addr, top->port, p->top_destination,
                                sizeof p->top_destination);
                p->top_sockets = top->sockets;
                p->top_time_wait = top->time_wait;
        }
}

int manager_net_probe(void *userdata, const NetProbeQuery *q, NetProbe *ret) {
        Manager *m = userdata;
        uint64_t now = now_usec(CLOCK_REALTIME);
        if (q->logged_at + PROBE_AGE_MAX_USEC < now)
                return -ESTALE;

        NetProbe p = {
                .probed_at = now, .unprivileged_port_start = -1, .port_range_low = -1, .port_range_high = -1
        };
        char who[16];
        bool sysctls;
        choose_namespace(m, q, who, sizeof who, &p, &sysctls);
        switch (q->kind) {
        case NET_PROBE_PRIVILEGED_PORT:
                if (sysctls)
                        p.unprivileged_port_start = read_sysctl_u64("ip_unprivileged_port_start");
                break;
        case NET_PROBE_PORT_HOLDER: probe_holder(m, q, who, &p); break;
        case NET_PROBE_EPHEMERAL_PORTS: probe_ephemeral(m, who, sysctls, &p); break;
        }
        log_debug("Asked the network stack for %s: %s.", q->unit, p.namespace);
        *ret = p;
        return 0;
}
