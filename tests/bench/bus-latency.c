/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* One bus client of tests/bench/burst.sh: calls a list method over and over on one connection,
 * timing each call (and when it was made), until the list holds all N units whose name starts
 * with PREFIX as active, and SETTLE seconds more. Prints JSON: the calls' latencies (ms), when
 * they were made and when the list was first complete (s after START, a CLOCK_REALTIME epoch).
 * In C on sd-bus, as goguardctl is: the figure is the bus's and the daemon's, not the time a
 * client takes to unpack 5000 entries.
 * With --no-auto-start a call does not start the service: started beside a daemon that is
 * starting, its calls fail until the daemon owns its name, and the first complete list is when
 * the daemon answered it (tests/bench/daemon.sh).
 *   usage: bus-latency [--no-auto-start] goguard|systemd N PREFIX START [SETTLE] [TIMEOUT] */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-bus.h>
#include <time.h>

static double now(clockid_t clock) {
        struct timespec ts;
        clock_gettime(clock, &ts);
        return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

/* Counts the active units named PREFIX... in a ListGoUnits or ListUnits reply. */
static int count(sd_bus_message *reply, bool goguard, const char *prefix) {
        const char *name, *state;
        uint32_t u;
        int n = 0, r;
        r = sd_bus_message_enter_container(reply, 'a', goguard ? "(sossssu)" : "(ssssssouso)");
        if (r < 0)
                return r;
        for (;;) {
                r = goguard ? sd_bus_message_read(reply, "(sossssu)", &name, NULL, NULL, &state, NULL, NULL,
                                                  &u)
                            : sd_bus_message_read(reply, "(ssssssouso)", &name, NULL, NULL, &state, NULL,
                                                  NULL, NULL, &u, NULL, NULL);
                if (r <= 0)
                        return r < 0 ? r : n;
                if (strncmp(name, prefix, strlen(prefix)) == 0 && strcmp(state, "active") == 0)
                        n++;
        }
}

/* The list method of goguardd or PID 1, auto-start as asked. */
static int call_list(sd_bus *bus, bool goguard, bool auto_start, sd_bus_error *error,
                     sd_bus_message **reply) {
        sd_bus_message *m = NULL;
        int r = goguard ? sd_bus_message_new_method_call(bus, &m, "org.goguard.goguard1",
                                                         "/org/goguard/goguard1",
                                                         "org.goguard.goguard1.Manager", "ListGoUnits")
                        : sd_bus_message_new_method_call(bus, &m, "org.freedesktop.systemd1",
                                                         "/org/freedesktop/systemd1",
                                                         "org.freedesktop.systemd1.Manager", "ListUnits");
        if (r >= 0)
                r = sd_bus_message_set_auto_start(m, auto_start);
        if (r >= 0)
                r = sd_bus_call(bus, m, 0, error, reply);
        sd_bus_message_unref(m);
        return r;
}

int main(int argc, char *argv[]) {
        bool auto_start = true;
        if (argc > 1 && strcmp(argv[1], "--no-auto-start") == 0) {
                auto_start = false;
                argv++;
                argc--;
        }
        if (argc < 5) {
                fprintf(stderr,
                        "usage: %s [--no-auto-start] goguard|systemd N PREFIX START [SETTLE] [TIMEOUT]\n",
                        argv[0]);
                return 2;
        }
        bool goguard = strcmp(argv[1], "goguard") == 0;
        int want = (int) strtol(argv[2], NULL, 10);
        const char *prefix = argv[3];
        double start = strtod(argv[4], NULL);
        double settle = argc > 5 ? strtod(argv[5], NULL) : 2.0;
        double timeout = argc > 6 ? strtod(argv[6], NULL) : 600.0;
        sd_bus *bus = NULL;
        int r = sd_bus_open_system(&bus);
        if (r < 0) {
                fprintf(stderr, "Failed to connect to the system bus: %s\n", strerror(-r));
                return 1;
        }

        /* PID 1 leaves calls unanswered for tens of seconds in a burst: see how long. */
        (void) sd_bus_set_method_call_timeout(bus, 120 * 1000000ull);
        size_t n = 0, alloc = 1024;
        double *lat = malloc(alloc * sizeof *lat), *at = malloc(alloc * sizeof *at);
        double complete = -1;
        int last = 0;
        for (;;) {
                if (n == alloc) {
                        alloc *= 2;
                        lat = realloc(lat, alloc * sizeof *lat);
                        at = realloc(at, alloc * sizeof *at);
                }
                if (!lat || !at)
                        return 1;
                at[n] = now(CLOCK_REALTIME) - start;
                double t0 = now(CLOCK_MONOTONIC);
                sd_bus_error error = SD_BUS_ERROR_NULL;
                sd_bus_message *reply = NULL;
                r = call_list(bus, goguard, auto_start, &error, &reply);
                lat[n++] = (now(CLOCK_MONOTONIC) - t0) * 1000;
                if (r < 0 && auto_start)
                        fprintf(stderr, "%s: call failed: %s\n", argv[1], error.message ?: strerror(-r));
                else {
                        r = count(reply, goguard, prefix);
                        if (r >= 0)
                                last = r;
                }
                sd_bus_error_free(&error);
                sd_bus_message_unref(reply);
                double t = now(CLOCK_REALTIME) - start;
                if (complete < 0 && last >= want)
                        complete = t;
                if ((complete >= 0 && t - complete >= settle) || t > timeout)
                        break;
                nanosleep(&(struct timespec){ .tv_nsec = 20 * 1000 * 1000 }, NULL);
        }

        printf("{\"latencies_ms\": [");
        for (size_t i = 0; i < n; i++)
                printf("%s%.3f", i ? ", " : "", lat[i]);
        printf("], \"at_s\": [");
        for (size_t i = 0; i < n; i++)
                printf("%s%.3f", i ? ", " : "", at[i]);
        if (complete >= 0)
                printf("], \"complete_s\": %.3f, \"last_count\": %d}\n", complete, last);
        else
                printf("], \"complete_s\": null, \"last_count\": %d}\n", last);
        free(lat);
        free(at);
        sd_bus_flush_close_unref(bus);
        return 0;
}
