/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <systemd/sd-daemon.h>
#include <time.h>

#include "log.h"
#include "notify.h"

/* How soon a message the manager's full queue refused is offered again. */
#define RETRY_USEC (100 * 1000ull)

struct Notifier {
        int fd;
        struct sockaddr_un addr;
        socklen_t addr_len;
        sd_event_source *retry_timer;
        sd_event_source *watchdog_timer;
        uint64_t watchdog_usec;
        bool ready_pending, watchdog_pending;
        char *status_line; /* "STATUS=...\n" to go with READY=1 */
};

static int on_retry(sd_event_source *s, uint64_t usec, void *userdata);
static int on_watchdog(sd_event_source *s, uint64_t usec, void *userdata);

/* $NOTIFY_SOCKET: a path, or "@name" in the abstract namespace. */
static int parse_address(const char *e, struct sockaddr_un *ret, socklen_t *ret_len) {
        size_t n = strlen(e);
        if ((e[0] != '/' && e[0] != '@') || n < 2 || n >= sizeof ret->sun_path)
                return -EINVAL;
        *ret = (struct sockaddr_un){ .sun_family = AF_UNIX };
        memcpy(ret->sun_path, e, n);
        if (e[0] == '@')
                ret->sun_path[0] = 0;
        *ret_len = (socklen_t) (offsetof(struct sockaddr_un, sun_path) + n + (e[0] == '/'));
        return 0;
}

int notifier_new(sd_event *e, Notifier **ret) {
        _cleanup_(notifier_freep) Notifier *n = calloc(1, sizeof *n);
        int r;

        if (!n)
                return -ENOMEM;
        n->fd = -EBADF;
        const char *address = getenv("NOTIFY_SOCKET");
        if (address) {
                r = parse_address(address, &n->addr, &n->addr_len);
                if (r < 0)
                        return log_error_errno(r, "Invalid $NOTIFY_SOCKET '%s': %m", address);
                n->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
                if (n->fd < 0)
                        return -errno;
        }
        r = sd_event_add_time_relative(e, &n->retry_timer, CLOCK_MONOTONIC, RETRY_USEC, RETRY_USEC / 10,
                                       on_retry, n);
        if (r >= 0)
                r = sd_event_source_set_enabled(n->retry_timer, SD_EVENT_OFF);
        if (r < 0)
                return r;
        /* As sd-event does it: a ping between half and three quarters of the period, while the
         * loop turns. */
        if (n->fd >= 0 && sd_watchdog_enabled(false, &n->watchdog_usec) > 0) {
                r = sd_event_add_time_relative(e, &n->watchdog_timer, CLOCK_MONOTONIC, n->watchdog_usec / 2,
                                               n->watchdog_usec / 4, on_watchdog, n);
                if (r >= 0)
                        r = sd_event_source_set_enabled(n->watchdog_timer, SD_EVENT_ON);
                if (r < 0)
                        return r;
        }
        *ret = TAKE_PTR(n);
        return 0;
}

Notifier *notifier_free(Notifier *n) {
        if (!n)
                return NULL;
        sd_event_source_disable_unref(n->retry_timer);
        sd_event_source_disable_unref(n->watchdog_timer);
        if (n->fd >= 0)
                close(n->fd);
        free(n->status_line);
        return mfree(n);
}

static int send_text(Notifier *n, const char *text) {
        if (sendto(n->fd, text, strlen(text), MSG_DONTWAIT | MSG_NOSIGNAL, (struct sockaddr *) &n->addr,
                   n->addr_len) < 0)
                return -errno;
        return 0;
}

/* Sends what is pending in one message; on a full queue it stays pending for the retry. */
static void flush(Notifier *n) {
        if (n->fd < 0 || !(n->ready_pending || n->watchdog_pending))
                return;
        _cleanup_free_ char *text = NULL;
        if (asprintf(&text, "%s%s%s", n->ready_pending ? "READY=1\n" : "",
                     n->ready_pending && n->status_line ? n->status_line : "",
                     n->watchdog_pending ? "WATCHDOG=1\n" : "") < 0)
                return;
        int r = send_text(n, text);
        if (r == -EAGAIN) {
                r = sd_event_source_set_time_relative(n->retry_timer, RETRY_USEC);
                if (r >= 0)
                        r = sd_event_source_set_enabled(n->retry_timer, SD_EVENT_ONESHOT);
                if (r < 0)
                        log_warning_errno(r, "Failed to schedule a notification, ignoring: %m");
                return;
        }
        if (r < 0)
                log_warning_errno(r, "Failed to notify the service manager, ignoring: %m");
        n->ready_pending = n->watchdog_pending = false;
}

static int on_retry(sd_event_source *s, uint64_t usec, void *userdata) {
        flush(userdata);
        return 0;
}

static int on_watchdog(sd_event_source *s, uint64_t usec, void *userdata) {
        Notifier *n = userdata;
        n->watchdog_pending = true;
        flush(n);
        int r = sd_event_source_set_time_relative(s, n->watchdog_usec / 2);
        if (r < 0)
                return log_error_errno(r, "Failed to re-arm the watchdog timer: %m");
        return 0;
}

int notifier_ready(Notifier *n, const char *status) {
        if (n->fd < 0)
                return 0;
        char *line = NULL;
        if (status && asprintf(&line, "STATUS=%s\n", status) < 0)
                return -ENOMEM;
        free(n->status_line);
        n->status_line = line;
        n->ready_pending = true;
        flush(n);
        return 0;
}

void notifier_stopping(Notifier *n, const char *status) {
        if (!n || n->fd < 0)
                return;
        _cleanup_free_ char *text = NULL;
        if (asprintf(&text, "STOPPING=1\nSTATUS=%s\n", status) >= 0)
                (void) send_text(n, text);
}

bool notifier_pending(const Notifier *n) {
        return n->ready_pending || n->watchdog_pending;
}
