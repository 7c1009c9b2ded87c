/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <getopt.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config-load.h"
#include "config.h"
#include "log.h"
#include "manager.h"

int log_debug_enabled = 0;

/* Set on the command line; UINT64_MAX / -1: not given, the configuration files decide. */
static uint64_t arg_sample_interval_usec = UINT64_MAX;
static uint64_t arg_resolve_after_usec = UINT64_MAX;
static int arg_debug = -1;
static const char *arg_config_dir = SYSCONFDIR "/goguard";

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
               "Settings are read from %s/goguardd.conf and goguardd.conf.d/*.conf first;\n"
               "the command line overrides them. See goguardd(8) and goguardd.conf(5).\n",
               arg_config_dir);
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
                case ARG_DEBUG: arg_debug = 1; break;
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

        DaemonConfig config;
        daemon_config_init(&config);
        r = config_load(arg_config_dir, &config);
        if (r < 0) {
                daemon_config_done(&config);
                return r;
        }
        if (arg_sample_interval_usec != UINT64_MAX)
                config.sample_interval_usec = arg_sample_interval_usec;
        if (arg_resolve_after_usec != UINT64_MAX)
                config.resolve_after_usec = arg_resolve_after_usec;
        if (arg_debug >= 0)
                config.debug = arg_debug;
        log_debug_enabled = config.debug;
        /* What is in force, once: the files, the drop-ins and the command line all feed it. */
        log_info("Settings: SampleIntervalSec=%llu ResolveAfterSec=%llu Debug=%s Prometheus "
                 "TextfileDirectory=%s "
                 "IntervalSec=%llu MaxSeries=%u",
                 (unsigned long long) (config.sample_interval_usec / 1000000),
                 (unsigned long long) (config.resolve_after_usec / 1000000), config.debug ? "yes" : "no",
                 config.prom_directory ?: "(none)",
                 (unsigned long long) (config.prom_interval_usec / 1000000), config.prom_series_max);

        r = manager_new(&m);
        if (r < 0) {
                daemon_config_done(&config);
                return r;
        }
        m->watch_proc.interval_usec = config.sample_interval_usec;
        m->resolve_after_usec = config.resolve_after_usec;
        m->prom_directory = TAKE_PTR(config.prom_directory);
        m->prom_interval_usec = config.prom_interval_usec;
        m->prom_series_max = config.prom_series_max;
        daemon_config_done(&config);
        r = manager_start(m);
        if (r < 0)
                return r;
        manager_prom_changed(m);

        r = sd_event_loop(m->event);
        notifier_stopping(m->notifier, "Shutting down.");
        (void) manager_findings_save(m);
        manager_prom_finish(m);
        if (r < 0)
                return log_error_errno(r, "Event loop failed: %m");
        /* A non-zero exit code from the loop means the bus went away (sd_bus exit-on-disconnect). */
        if (r > 0)
                return log_error_errno(ECONNRESET, "Lost the bus connection, exiting: %m");
        return 0;
}

int main(int argc, char *argv[]) {
        /* One malloc arena for the loop and the inspector's thread: what the thread allocates
         * (an executable's facts, a check's findings) is freed on the loop, and a second arena
         * would keep its own pages resident for little contention saved. */
        (void) mallopt(M_ARENA_MAX, 1);
        int r = run(argc, argv);
        if (r == -EINVAL)
                return 2;
        return r < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
