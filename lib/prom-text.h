/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* goguard's metrics in Prometheus's text exposition format (version 0.0.4), for node-exporter's
 * textfile collector: every metric with HELP and TYPE, no timestamps (node-exporter skips a file
 * that has them), labels in name order, series sorted.
 *
 * Cardinality is bounded: a metric has at most series_max series. Past that, the series after
 * the first series_max - 1 (in label order) are summed into one series whose every label is
 * "other". */

typedef struct PromFinding {
        const char *unit;
        const char *class;
        const char *severity;
        bool open; /* state open: counted in goguard_findings_open */
        uint64_t count;
} PromFinding;

typedef struct PromInput {
        const PromFinding *findings;
        size_t n_findings;
        const char *const *go_versions; /* one per Go unit; "" or NULL when it is not known */
        size_t n_go_units;
        bool up; /* false in the file goguardd leaves behind when it stops */
        uint64_t journal_entries_read;
        uint64_t journal_entries_skipped;
        uint64_t findings_refused;
        bool have_journal_lag;
        uint64_t journal_lag_usec;
        unsigned series_max; /* >= 2 */
} PromInput;

/* The file's text into *ret (NUL-terminated, ending in '\n') and its length; -ENOMEM. */
int prom_render(const PromInput *in, char **ret, size_t *ret_size);

/* A label value as the format wants it between the quotes: \ " and newline escaped; bytes that
 * are not UTF-8 first become \xNN (utf8_escape_invalid()). */
int prom_escape_label_value(const char *s, char **ret);
