/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "log.h"
#include "manager.h"

int log_debug_enabled = 0;

static uint64_t arg_sample_interval_usec = 10 * 1000000ull;
static uint64_t arg_resolve_after_usec = 10 * 60 * 1000000ull;

static void help(void) {
        printf("goguardd [OPTIONS...]\n\n"
               "Watches the Go service units of this host and serves what it finds on the system bus\n"
               "as org.goguard.goguard1.\n\n"
               "  -h --help                 Show this help\n"
               "     --version              Show package version\n"
               "     --sample-interval=SEC  Sample fd and task counts of running Go units every SEC\n"
               "                            seconds (1..3600, default 10)\n"
               "     --resolve-after=SEC    Resolve a finding once a new invocation of its unit has\n"
               "                            run clean for SEC seconds (1..604800, default 600)\n"
               "     --debug                Log debug messages\n\n"
               "See the goguardd(8) man page for details.\n");
}

/* 0 to run, 1 to exit successfully, -EINVAL on bad arguments. */
static int parse_argv(int argc, char *argv[]) {
        enum { ARG_VERSION = 0x100, ARG_SAMPLE_INTERVAL, ARG_RESOLVE_AFTER, ARG_DEBUG };
        static const struct option options[] = {
                { "help", no_argument, NULL, 'h' },
                { "version", no_argument, NULL, ARG_VERSION },
                { "sample-interval", required_argument, NULL, ARG_SAMPLE_INTERVAL },
                { "resolve-after", required_argument, NULL, ARG_RESOLVE_AFTER },
                { "debug", no_argument, NULL, ARG_DEBUG },
                {},
        };
        int c;

        while ((c = getopt_long(argc, argv, "h", options, NULL)) >= 0)
                switch (c) {
                case 'h': help(); return 1;
                case ARG_VERSION: printf("goguardd %s\n", PACKAGE_VERSION); return 1;
                case ARG_SAMPLE_INTERVAL: {
                        char *end;
                        errno = 0;
                        unsigned long v = strtoul(optarg, &end, 10);
                        if (errno != 0 || end == optarg || *end || v < 1 || v > 3600) {
                                fprintf(stderr, "goguardd: invalid --sample-interval '%s'\n", optarg);
                                return -EINVAL;
                        }
                        arg_sample_interval_usec = v * 1000000ull;
                        break;
                }
                case ARG_RESOLVE_AFTER: {
                        char *end;
                        errno = 0;
                        unsigned long v = strtoul(optarg, &end, 10);
                        if (errno != 0 || end == optarg || *end || v < 1 || v > 604800) {
                                fprintf(stderr, "goguardd: invalid --resolve-after '%s'\n", optarg);
                                return -EINVAL;
                        }
                        arg_resolve_after_usec = v * 1000000ull;
                        break;
                }
                case ARG_DEBUG: log_debug_enabled = 1; break;
                default: return -EINVAL;
                }
        if (optind < argc) {
                fprintf(stderr, "goguardd: takes no positional arguments\n");
                return -EINVAL;
        }
        return 0;
}

static int run(int argc, char *argv[]) {
        _cleanup_(manager_freep) Manager *m = NULL;
        int r;

        r = parse_argv(argc, argv);
        if (r != 0)
                return r;

        r = manager_new(&m);
        if (r < 0)
                return r;
        m->watch_proc.interval_usec = arg_sample_interval_usec;
        m->resolve_after_usec = arg_resolve_after_usec;
        r = manager_start(m);
        if (r < 0)
                return r;

        r = sd_event_loop(m->event);
        notifier_stopping(m->notifier, "Shutting down.");
        (void) manager_findings_save(m);
        if (r < 0)
                return log_error_errno(r, "Event loop failed: %m");
        /* A non-zero exit code from the loop means the bus went away (sd_bus exit-on-disconnect). */
        if (r > 0)
                return log_error_errno(ECONNRESET, "Lost the bus connection, exiting: %m");
        return 0;
}

int main(int argc, char *argv[]) {
        int r = run(argc, argv);
        if (r == -EINVAL)
                return 2;
        return r < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
