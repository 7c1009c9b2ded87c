/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Sends USER_AVC records through libaudit the way dbus-daemon and systemd send theirs, for the
 * denial tests (the kernel can make no other MAC record on a host without SELinux or AppArmor).
 *   usage: audit-send COUNT TEXT [PER_SECOND [LINGER_SECONDS]]
 * "%n" in TEXT becomes the record's number (0 .. COUNT-1); PER_SECOND paces them (0: at once);
 * LINGER_SECONDS keeps the process alive after the last one, as a denied service goes on running
 * (a reader ties a record to the unit of the live process its pid names).
 * Exits 1 when the kernel refuses one (without CAP_AUDIT_WRITE libaudit drops them silently:
 * then nothing is sent and the tests' assertions fail). */
#include <errno.h>
#include <libaudit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv) {
        if (argc < 3) {
                fprintf(stderr, "usage: %s COUNT TEXT [PER_SECOND [LINGER_SECONDS]]\n", argv[0]);
                return 2;
        }
        char *end;
        unsigned long count = strtoul(argv[1], &end, 10);
        unsigned long rate = argc > 3 ? strtoul(argv[3], NULL, 10) : 0;
        unsigned long linger = argc > 4 ? strtoul(argv[4], NULL, 10) : 0;
        if (*end || count == 0 || count > 1000000 || strlen(argv[2]) > 4000)
                return 2;
        int fd = audit_open();
        if (fd < 0) {
                perror("audit_open");
                return 1;
        }
        struct timespec t0;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        char text[4200];
        for (unsigned long i = 0; i < count; i++) {
                const char *mark = strstr(argv[2], "%n");
                if (mark)
                        snprintf(text, sizeof text, "%.*s%lu%s", (int) (mark - argv[2]), argv[2], i,
                                 mark + 2);
                else
                        snprintf(text, sizeof text, "%s", argv[2]);
                if (audit_log_user_avc_message(fd, AUDIT_USER_AVC, text, NULL, NULL, NULL, getuid()) <= 0) {
                        fprintf(stderr, "audit_log_user_avc_message: record %lu refused\n", i);
                        return 1;
                }
                if (rate > 0) {
                        /* Paced against the start: record i goes out at i/rate seconds. */
                        unsigned long long due = (unsigned long long) (i + 1) * 1000000000ull / rate;
                        struct timespec now;
                        clock_gettime(CLOCK_MONOTONIC, &now);
                        long long spent =
                                (now.tv_sec - t0.tv_sec) * 1000000000ll + (now.tv_nsec - t0.tv_nsec);
                        if ((long long) due > spent) {
                                struct timespec d = { .tv_sec = (due - spent) / 1000000000ll,
                                                      .tv_nsec = (due - spent) % 1000000000ll };
                                nanosleep(&d, NULL);
                        }
                }
        }
        audit_close(fd);
        if (linger > 0)
                sleep((unsigned) linger);
        return 0;
}
