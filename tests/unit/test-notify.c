/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <systemd/sd-event.h>
#include <unistd.h>

#include "notify.h"
#include "test-util.h"

/* The service manager's end: a datagram socket bound at a fresh path (or abstract name). */
static int manager_socket(char address[static 108]) {
        static unsigned serial;
        struct sockaddr_un sa = { .sun_family = AF_UNIX };
        int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        ck_assert_int_ge(fd, 0);
        snprintf(sa.sun_path, sizeof sa.sun_path, "%s/test-notify-%d-%u", P_tmpdir, getpid(), serial++);
        (void) unlink(sa.sun_path);
        ck_assert_int_eq(bind(fd, (struct sockaddr *) &sa, sizeof sa), 0);
        snprintf(address, 108, "%s", sa.sun_path);
        return fd;
}

/* A manager socket named in $NOTIFY_SOCKET, a loop, and a notifier on both. */
static int setup(char address[static 108], sd_event **ret_e, Notifier **ret_n) {
        int fd = manager_socket(address);
        ck_assert_int_eq(setenv("NOTIFY_SOCKET", address, 1), 0);
        ck_assert_int_eq(sd_event_new(ret_e), 0);
        ck_assert_int_eq(notifier_new(*ret_e, ret_n), 0);
        return fd;
}

static char *receive(int fd) {
        static char buf[256];
        ssize_t n = recv(fd, buf, sizeof buf - 1, MSG_DONTWAIT);
        if (n < 0)
                return NULL;
        buf[n] = 0;
        return buf;
}

START_TEST(test_ready) {
        char address[108];
        sd_event *e = NULL;
        Notifier *n = NULL;
        int fd = setup(address, &e, &n);
        ck_assert_int_eq(notifier_ready(n, "Watching."), 0);
        ck_assert(!notifier_pending(n));
        ck_assert_str_eq(receive(fd), "READY=1\nSTATUS=Watching.\n");
        notifier_stopping(n, "Bye.");
        ck_assert_str_eq(receive(fd), "STOPPING=1\nSTATUS=Bye.\n");
        ck_assert_ptr_null(receive(fd));
        notifier_free(n);
        sd_event_unref(e);
        unlink(address);
        close(fd);
}
END_TEST

/* PID 1 does not read its socket for a while: READY=1 waits without blocking the loop, and
 * arrives once there is room. */
START_TEST(test_full_queue) {
        char address[108];
        sd_event *e = NULL;
        Notifier *n = NULL;
        int fd = setup(address, &e, &n);

        /* Filled by other senders until a fresh one cannot send either: each sender's own buffer
         * holds only a few hundred datagrams. */
        int others[16];
        size_t n_others = 0;
        struct sockaddr_un sa = { .sun_family = AF_UNIX };
        snprintf(sa.sun_path, sizeof sa.sun_path, "%s", address);
        unsigned filled = 0, sent;
        do {
                ck_assert_uint_lt(n_others, ELEMENTSOF(others));
                int o = others[n_others++] = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
                for (sent = 0; sendto(o, "X", 1, MSG_DONTWAIT, (struct sockaddr *) &sa, sizeof sa) == 1;
                     sent++)
                        ;
                ck_assert_int_eq(errno, EAGAIN);
                filled += sent;
        } while (sent > 0);
        ck_assert_uint_gt(filled, 0);

        ck_assert_int_eq(notifier_ready(n, "Watching."), 0); /* returns: does not wait */
        ck_assert(notifier_pending(n));
        for (unsigned i = 0; i < filled; i++)
                ck_assert_str_eq(receive(fd), "X");
        ck_assert_ptr_null(receive(fd));
        while (notifier_pending(n))
                ck_assert_int_ge(sd_event_run(e, UINT64_MAX), 0);
        ck_assert_str_eq(receive(fd), "READY=1\nSTATUS=Watching.\n");
        notifier_free(n);
        sd_event_unref(e);
        unlink(address);
        for (size_t i = 0; i < n_others; i++)
                close(others[i]);
        close(fd);
}
END_TEST

START_TEST(test_watchdog) {
        char address[108], pid[16];
        sd_event *e = NULL;
        Notifier *n = NULL;
        snprintf(pid, sizeof pid, "%d", getpid());
        ck_assert_int_eq(setenv("WATCHDOG_PID", pid, 1), 0);
        ck_assert_int_eq(setenv("WATCHDOG_USEC", "100000", 1), 0);
        int fd = setup(address, &e, &n);
        /* Two pings from two turns of the timer, nothing else. */
        for (unsigned pings = 0; pings < 2;) {
                ck_assert_int_ge(sd_event_run(e, UINT64_MAX), 0);
                const char *got = receive(fd);
                if (got) {
                        ck_assert_str_eq(got, "WATCHDOG=1\n");
                        pings++;
                }
        }
        notifier_free(n);
        sd_event_unref(e);
        unsetenv("WATCHDOG_PID");
        unsetenv("WATCHDOG_USEC");
        unlink(address);
        close(fd);
}
END_TEST

START_TEST(test_abstract_and_invalid) {
        sd_event *e = NULL;
        Notifier *n = NULL;
        char name[64];
        snprintf(name, sizeof name, "@test-notify-%d", getpid());
        int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        struct sockaddr_un sa = { .sun_family = AF_UNIX };
        memcpy(sa.sun_path + 1, name + 1, strlen(name) - 1);
        ck_assert_int_eq(bind(fd, (struct sockaddr *) &sa,
                              (socklen_t) (offsetof(struct sockaddr_un, sun_path) + strlen(name))),
                         0);
        ck_assert_int_eq(sd_event_new(&e), 0);

        ck_assert_int_eq(setenv("NOTIFY_SOCKET", name, 1), 0);
        ck_assert_int_eq(notifier_new(e, &n), 0);
        ck_assert_int_eq(notifier_ready(n, NULL), 0);
        ck_assert_str_eq(receive(fd), "READY=1\n");
        n = notifier_free(n);

        ck_assert_int_eq(setenv("NOTIFY_SOCKET", "relative/path", 1), 0);
        ck_assert_int_eq(notifier_new(e, &n), -EINVAL);

        /* Not run by a service manager: nothing to say, nothing pending. */
        ck_assert_int_eq(unsetenv("NOTIFY_SOCKET"), 0);
        ck_assert_int_eq(notifier_new(e, &n), 0);
        ck_assert_int_eq(notifier_ready(n, "Watching."), 0);
        ck_assert(!notifier_pending(n));
        notifier_free(n);
        sd_event_unref(e);
        close(fd);
}
END_TEST

static Suite *notify_suite(void) {
        Suite *s = suite_create("notify");
        TCase *tc = tcase_create("core");
        tcase_add_test(tc, test_ready);
        tcase_add_test(tc, test_full_queue);
        tcase_add_test(tc, test_watchdog);
        tcase_add_test(tc, test_abstract_and_invalid);
        suite_add_tcase(s, tc);
        return s;
}

DEFINE_TEST_MAIN(notify_suite)
