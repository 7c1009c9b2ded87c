/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "macro.h"

/* goguardd's configuration: /etc/goguard/goguardd.conf, then goguardd.conf.d/ (*.conf in name
 * order), each file overriding what the earlier ones set; the command line overrides them all.
 * systemd's syntax: [Section] headers, Key=value lines, '#' and ';' comments. An empty value
 * puts the default back. An unknown section or key is a warning and is ignored (a newer file
 * read by an older goguardd); a value that is not valid is an error. */

#define DAEMON_CONFIG_FILE_MAX (64u * 1024u)

#define SAMPLE_INTERVAL_DEFAULT_USEC (10 * 1000000ull)
#define RESOLVE_AFTER_DEFAULT_USEC   (600 * 1000000ull)
#define PROM_INTERVAL_DEFAULT_USEC   (5 * 1000000ull)
#define PROM_SERIES_DEFAULT          1000u

typedef struct DaemonConfig {
        /* [Daemon] */
        uint64_t sample_interval_usec; /* SampleIntervalSec=, 1 s .. 1 h */
        uint64_t resolve_after_usec;   /* ResolveAfterSec=, 1 s .. 7 d */
        bool debug;                    /* Debug= */
        /* [Prometheus] */
        char *prom_directory;        /* TextfileDirectory=, absolute; NULL: no textfile */
        uint64_t prom_interval_usec; /* IntervalSec=, 1 s .. 1 h: the least time between writes */
        unsigned prom_series_max;    /* MaxSeries=, 10 .. 100000 per metric */
} DaemonConfig;

void daemon_config_init(DaemonConfig *c);
void daemon_config_done(DaemonConfig *c);

/* Applies one file's text (size bytes, no NUL inside) on top of c. Each unknown section or key
 * appends "line N: ..." to *warnings. On error returns -EBADMSG (syntax), -EINVAL (a value),
 * -E2BIG (over DAEMON_CONFIG_FILE_MAX) or -ENOMEM, sets *error to "line N: ..." where there is
 * one, and leaves c with the assignments before that line applied. */
int daemon_config_parse(DaemonConfig *c, const char *text, size_t size, char ***warnings, char **error);
