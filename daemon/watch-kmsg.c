/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The kernel's log read live from /dev/kmsg. journald batches the notifications that tell its
 * readers about new entries, so a journal reader learns of an OOM kill a third of a second late
 * (measured: tests/bench/oom-latency.sh); /dev/kmsg has the line when the kernel prints it.
 * Only new lines are read (from the end at start): the journal remains the source of history,
 * of PID 1's messages, and of every line while goguardd was down, and brings these same lines
 * again later, which the correlator counts once. Without /dev/kmsg (no CAP_SYSLOG, a container),
 * goguardd works from the journal alone. */
#include <fcntl.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "kmsg-record.h"
#include "log.h"
#include "manager.h"
#include "time-util.h"

#define KMSG_PATH  "/dev/kmsg"
#define KMSG_BATCH 256u

/* The kernel's time of a line as wall-clock time, the way the journal path computes it from
 * _SOURCE_MONOTONIC_TIMESTAMP, so both copies of a line get (nearly) the same time. */
static uint64_t kmsg_realtime(uint64_t usec) {
        uint64_t rt = now_usec(CLOCK_REALTIME), mono = now_usec(CLOCK_MONOTONIC);
        return usec <= mono && mono - usec <= rt ? rt - (mono - usec) : rt;
}

static void feed_record(Manager *m, char *buf, size_t n) {
        KmsgRecord k;
        /* Not a kernel record, or written to /dev/kmsg by user space: nothing for the correlator.
         * The journal has the same lines, read its own way. */
        if (kmsg_record_parse(buf, n, &k) < 0 || k.facility != 0)
                return;
        JournalRecord rec = {
                .source = JOURNAL_SOURCE_KMSG,
                .realtime = kmsg_realtime(k.usec),
                .boot_id = m->boot_id,
                .message = k.text,
                .message_len = k.text_len,
        };
        manager_findings_feed(m, &rec);
}

static int on_kmsg_io(sd_event_source *s, int fd, uint32_t revents, void *userdata) {
        Manager *m = userdata;
        char buf[KMSG_RECORD_MAX + 1];

        /* Bounded per wake-up: a flood of kernel lines must not starve the bus. The fd stays
         * readable, so the loop comes back. */
        for (unsigned i = 0; i < KMSG_BATCH; i++) {
                ssize_t n = read(fd, buf, sizeof buf - 1);
                if (n < 0) {
                        if (errno == EAGAIN)
                                break;
                        /* EPIPE: lines were overwritten before they were read; the journal
                         * has what journald read of them. */
                        if (errno == EINTR || errno == EPIPE)
                                continue;
                        log_warning_errno(errno, "Failed to read %s, the journal alone from now on: %m",
                                          KMSG_PATH);
                        m->watch_kmsg.io = sd_event_source_disable_unref(m->watch_kmsg.io);
                        manager_source_lost(m, SOURCE_KMSG);
                        return 0;
                }
                if (n == 0)
                        break;
                feed_record(m, buf, (size_t) n);
        }
        return 0;
}

int watch_kmsg_start(Manager *m) {
        _cleanup_close_ int fd = open(KMSG_PATH, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
        if (fd < 0) {
                log_info_errno(errno, "Not reading %s (%m): kernel records come from the journal alone.",
                               KMSG_PATH);
                return 0;
        }
        /* History is the journal's: start at the end. */
        if (lseek(fd, 0, SEEK_END) < 0) {
                log_info_errno(errno, "Failed to seek %s (%m): kernel records come from the journal alone.",
                               KMSG_PATH);
                return 0;
        }
        if (!m->boot_id[0]) {
                log_info("The boot id is not known: kernel records come from the journal alone.");
                return 0;
        }
        int r = sd_event_add_io(m->event, &m->watch_kmsg.io, fd, EPOLLIN, on_kmsg_io, m);
        if (r < 0)
                return log_error_errno(r, "Failed to watch %s: %m", KMSG_PATH);
        r = sd_event_source_set_io_fd_own(m->watch_kmsg.io, true);
        if (r < 0)
                return log_error_errno(r, "Failed to watch %s: %m", KMSG_PATH);
        TAKE_FD(fd);
        m->sources |= SOURCE_KMSG;
        return 0;
}

void watch_kmsg_done(WatchKmsg *w) {
        w->io = sd_event_source_disable_unref(w->io);
}
