/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The kernel's audit records read live from the audit netlink multicast group
 * (AUDIT_NLGRP_READLOG), as journald reads them: every record, SELinux's AVCs, AppArmor's and
 * the USER_AVCs of dbus-daemon and systemd, with or without auditd. It needs CAP_AUDIT_READ and
 * the host's network namespace (a listener in another namespace binds but hears nothing).
 * Each record is tied to its process's unit on arrival, while the process still runs
 * (attribution rule 1): later, from the journal, its pid may name another process or none. The
 * journal brings the same records again (_TRANSPORT=audit, and the kernel's "audit:" lines when
 * no auditd reads them), and from there the history while goguardd was down: the correlator
 * counts a record once, by its header. Without the multicast, the journal alone serves. */
#include <limits.h>
#include <linux/audit.h>
#include <linux/netlink.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "audit-pids.h"
#include "audit-record.h"
#include "log.h"
#include "manager.h"
#include "time-util.h"

/* Records read per wake-up: a flood waits in the socket's buffer (the bounded queue; what
 * overflows it, the journal still has) while bus callers get their turn. */
#define AUDIT_BATCH  256u
/* The kernel's largest record (MAX_AUDIT_MESSAGE_LENGTH) fits with room to spare. */
#define AUDIT_BUFFER (16u * 1024u)
/* Asked for, capped by net.core.rmem_max: a burst of a few thousand records. */
#define AUDIT_RCVBUF (8 * 1024 * 1024)

/* What a build without the security libraries lacks, said with the source (SourceDetails). */
#if !GOGUARD_HAVE_AUPARSE || !GOGUARD_HAVE_LIBAPPARMOR || !GOGUARD_HAVE_LIBSELINUX
#define BUILT_WITHOUT "; built without" MISSING_AUPARSE MISSING_LIBAPPARMOR MISSING_LIBSELINUX
#else
#define BUILT_WITHOUT ""
#endif
#if GOGUARD_HAVE_AUPARSE
#define MISSING_AUPARSE ""
#else
#define MISSING_AUPARSE " libauparse (each record its own event)"
#endif
#if GOGUARD_HAVE_LIBAPPARMOR
#define MISSING_LIBAPPARMOR ""
#else
#define MISSING_LIBAPPARMOR " libapparmor"
#endif
#if GOGUARD_HAVE_LIBSELINUX
#define MISSING_LIBSELINUX ""
#else
#define MISSING_LIBSELINUX " libselinux"
#endif

static void feed_record(Manager *m, int type, const char *payload, size_t len) {
        _cleanup_free_ char *text = NULL;
        /* The payload may end in NULs and a newline: the record is what comes before. */
        const char *nul = memchr(payload, 0, len);
        if (nul)
                len = (size_t) (nul - payload);
        while (len > 0 && payload[len - 1] == '\n')
                len--;
        if (audit_record_from_netlink(type, payload, len, &text) < 0)
                return;
        size_t n = strlen(text);
        uint64_t usec, serial;
        if (audit_record_time(text, n, &usec, &serial) < 0)
                return;
        m->watch_audit.serial = MAX(m->watch_audit.serial, serial);
        AuditPids pids = {};
        (void) audit_pids_parse(text, n, &pids);
        _cleanup_free_ char *unit = NULL;
        manager_audit_record_unit(m, &pids, &unit);
        log_debug("Audit record %llu (type %d, pid %u): unit %s", (unsigned long long) serial, type,
                  pids.pid, unit ?: "not known");

        JournalRecord rec = {
                .source = JOURNAL_SOURCE_AUDIT,
                .realtime = usec,
                .boot_id = m->boot_id[0] ? m->boot_id : NULL,
                .message = text,
                .message_len = n,
                .unit = unit,
        };
        manager_findings_feed(m, &rec);
}

/* Reads up to max records, or what the socket holds. */
static void read_records(Manager *m, unsigned max) {
        static char buf[AUDIT_BUFFER] __attribute__((aligned(8)));
        int fd = sd_event_source_get_io_fd(m->watch_audit.io);

        for (unsigned i = 0; i < max; i++) {
                struct sockaddr_nl from = {};
                struct iovec iov = { .iov_base = buf, .iov_len = sizeof buf };
                struct msghdr mh = {
                        .msg_name = &from, .msg_namelen = sizeof from, .msg_iov = &iov, .msg_iovlen = 1
                };
                ssize_t n = recvmsg(fd, &mh, MSG_DONTWAIT);
                if (n < 0) {
                        if (errno == EAGAIN)
                                break;
                        if (errno == EINTR)
                                continue;
                        if (errno == ENOBUFS) {
                                /* A flood overflowed the buffer: those records come from the
                                 * journal, later. */
                                if (m->watch_audit.lost++ % 1000 == 0)
                                        log_warning_errno(
                                                ENOBUFS,
                                                "Audit records were lost from the multicast buffer, "
                                                "the journal brings them later: %m");
                                continue;
                        }
                        log_warning_errno(
                                errno,
                                "Failed to read the audit multicast, the journal alone from now on: %m");
                        m->watch_audit.io = sd_event_source_disable_unref(m->watch_audit.io);
                        m->audit_detail =
                                "reading the journal's audit entries (the multicast failed)" BUILT_WITHOUT;
                        manager_source_lost(m, SOURCE_AUDIT);
                        return;
                }
                /* Only the kernel sends to the group; a whole message or nothing. */
                if (from.nl_pid != 0 || (mh.msg_flags & MSG_TRUNC) || (size_t) n < NLMSG_HDRLEN)
                        continue;
                const struct nlmsghdr *h = (const struct nlmsghdr *) buf;
                if (h->nlmsg_len < NLMSG_HDRLEN || h->nlmsg_len > (size_t) n)
                        continue;
                /* Records, not the control messages of the audit protocol. */
                if (h->nlmsg_type < AUDIT_FIRST_USER_MSG || h->nlmsg_type > AUDIT_LAST_USER_MSG2)
                        continue;
                m->watch_audit.records++;
                feed_record(m, h->nlmsg_type, (const char *) NLMSG_DATA(h), h->nlmsg_len - NLMSG_HDRLEN);
        }
}

static int on_audit_io(sd_event_source *s, int fd, uint32_t revents, void *userdata) {
        read_records(userdata, AUDIT_BATCH);
        return 0;
}

void watch_audit_catch_up(Manager *m, uint64_t serial) {
        /* The kernel sent the record to journald's socket and goguardd's at once: when the
         * journal has it, the multicast's copy waits in goguardd's socket (or overflowed it).
         * The first copy counts and the journal's has no unit, so the multicast's is read
         * first; all of what the socket holds, since the kernel's serials are not strictly in
         * order across CPUs. */
        if (m->watch_audit.io && serial > m->watch_audit.serial)
                read_records(m, UINT_MAX);
}

int watch_audit_start(Manager *m) {
        WatchAudit *w = &m->watch_audit;
        if (!manager_audit_wanted(m)) {
                m->audit_detail = "disabled at build time";
                return 0;
        }
        _cleanup_close_ int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_AUDIT);
        if (fd < 0) {
                log_info_errno(errno,
                               "No audit netlink socket (%m): audit records come from the journal alone.");
                m->audit_detail =
                        "no audit netlink socket, reading the journal's audit entries" BUILT_WITHOUT;
                return 0;
        }
        int size = AUDIT_RCVBUF;
        (void) setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
        struct sockaddr_nl sa = {
                .nl_family = AF_NETLINK,
                .nl_groups = 1u << (AUDIT_NLGRP_READLOG - 1),
        };
        if (bind(fd, (struct sockaddr *) &sa, sizeof sa) < 0) {
                if (errno == EPERM) {
                        log_info("No CAP_AUDIT_READ: audit records come from the journal alone.");
                        m->audit_detail =
                                "no CAP_AUDIT_READ, reading the journal's audit entries" BUILT_WITHOUT;
                } else {
                        log_info_errno(errno, "Cannot join the audit multicast (%m): audit records come "
                                              "from the journal alone.");
                        m->audit_detail =
                                "no audit multicast, reading the journal's audit entries" BUILT_WITHOUT;
                }
                return 0;
        }
        int r = sd_event_add_io(m->event, &w->io, fd, EPOLLIN, on_audit_io, m);
        if (r < 0)
                return log_error_errno(r, "Failed to watch the audit multicast: %m");
        r = sd_event_source_set_io_fd_own(w->io, true);
        if (r < 0)
                return log_error_errno(r, "Failed to watch the audit multicast: %m");
        TAKE_FD(fd);
        /* After the bus connections: a flood waits for callers, not the other way round. */
        (void) sd_event_source_set_priority(w->io, SD_EVENT_PRIORITY_NORMAL + 2);
        m->audit_detail = "netlink multicast (CAP_AUDIT_READ)" BUILT_WITHOUT;
        m->sources |= SOURCE_AUDIT;
        return 0;
}

void watch_audit_done(WatchAudit *w) {
        w->io = sd_event_source_disable_unref(w->io);
        w->cached_unit = mfree(w->cached_unit);
}
