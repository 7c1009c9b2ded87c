/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <assert.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "prom-text.h"
#include "strbuf.h"
#include "utf8.h"

#define LABELS_MAX 3

/* Label values in the family's label order; the unused ones are "". */
typedef struct Series {
        const char *v[LABELS_MAX];
        uint64_t value;
} Series;

static int compare_series(const void *a, const void *b) {
        const Series *x = a, *y = b;
        for (size_t i = 0; i < LABELS_MAX; i++) {
                int c = strcmp(x->v[i], y->v[i]);
                if (c != 0)
                        return c;
        }
        return 0;
}

int prom_escape_label_value(const char *s, char **ret) {
        _cleanup_free_ char *valid = NULL;
        StrBuf b = {};

        if (utf8_escape_invalid(s, strlen(s), &valid) < 0)
                return -ENOMEM;
        for (const char *p = valid; *p; p++) {
                if (*p == '\\')
                        strbuf_append(&b, "\\\\");
                else if (*p == '"')
                        strbuf_append(&b, "\\\"");
                else if (*p == '\n')
                        strbuf_append(&b, "\\n");
                else
                        strbuf_append_char(&b, *p);
        }
        strbuf_append(&b, ""); /* an empty value is an empty string, not NULL */
        return strbuf_steal(&b, ret, NULL);
}

/* Sorts and merges equal label sets, then folds what is past the cap into "other". */
static size_t normalize(Series *s, size_t n, size_t n_labels, unsigned series_max) {
        size_t k = 0;

        qsort(s, n, sizeof(Series), compare_series);
        for (size_t i = 0; i < n; i++) {
                if (k > 0 && compare_series(&s[k - 1], &s[i]) == 0)
                        s[k - 1].value += s[i].value;
                else
                        s[k++] = s[i];
        }
        if (k > series_max) {
                Series other = { .v = { "", "", "" } };
                for (size_t j = 0; j < n_labels; j++)
                        other.v[j] = "other";
                for (size_t i = series_max - 1; i < k; i++)
                        other.value += s[i].value;
                s[series_max - 1] = other;
                k = series_max;
        }
        return k;
}

static void render_family(StrBuf *b, const char *name, const char *type, const char *help,
                          const char *const *labels, size_t n_labels, Series *s, size_t n,
                          unsigned series_max) {
        strbuf_appendf(b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
        n = normalize(s, n, n_labels, series_max);
        for (size_t i = 0; i < n; i++) {
                strbuf_append(b, name);
                for (size_t j = 0; j < n_labels; j++) {
                        _cleanup_free_ char *e = NULL;
                        if (prom_escape_label_value(s[i].v[j], &e) < 0) {
                                b->failed = true;
                                return;
                        }
                        strbuf_appendf(b, "%s%s=\"%s\"", j == 0 ? "{" : ",", labels[j], e);
                }
                strbuf_appendf(b, "%s %" PRIu64 "\n", n_labels > 0 ? "}" : "", s[i].value);
        }
}

static void render_scalar(StrBuf *b, const char *name, const char *type, const char *help,
                          const char *value) {
        strbuf_appendf(b, "# HELP %s %s\n# TYPE %s %s\n%s %s\n", name, help, name, type, name, value);
}

static void render_u64(StrBuf *b, const char *name, const char *type, const char *help, uint64_t v) {
        char buf[24];
        snprintf(buf, sizeof buf, "%" PRIu64, v);
        render_scalar(b, name, type, help, buf);
}

int prom_render(const PromInput *in, char **ret, size_t *ret_size) {
        static const char *const finding_labels[] = { "class", "severity", "unit" };
        static const char *const version_labels[] = { "go_version" };
        size_t n_max = MAX(in->n_findings, in->n_go_units);
        _cleanup_free_ Series *s = NULL;
        StrBuf b = {};
        size_t n;

        assert(in->series_max >= 2);
        s = calloc(MAX(n_max, (size_t) 1), sizeof(Series));
        if (!s)
                return -ENOMEM;

        n = 0;
        for (size_t i = 0; i < in->n_findings; i++) {
                const PromFinding *f = &in->findings[i];
                if (f->open)
                        s[n++] = (Series){ .v = { f->class, f->severity, f->unit }, .value = 1 };
        }
        render_family(&b, "goguard_findings_open", "gauge",
                      "Open findings (not acknowledged, not resolved) by class, severity and unit.",
                      finding_labels, 3, s, n, in->series_max);

        n = 0;
        for (size_t i = 0; i < in->n_findings; i++) {
                const PromFinding *f = &in->findings[i];
                s[n++] = (Series){ .v = { f->class, f->unit, "" }, .value = f->count };
        }
        static const char *const occurrence_labels[] = { "class", "unit" };
        render_family(&b, "goguard_findings_occurrences_total", "counter",
                      "Occurrences counted by the findings goguardd keeps, by class and unit.",
                      occurrence_labels, 2, s, n, in->series_max);

        n = 0;
        for (size_t i = 0; i < in->n_go_units; i++) {
                const char *v = in->go_versions[i];
                s[n++] = (Series){ .v = { v && *v ? v : "unknown", "", "" }, .value = 1 };
        }
        render_family(&b, "goguard_go_units", "gauge",
                      "Watched Go service units by the Go version they were built with.", version_labels, 1,
                      s, n, in->series_max);

        render_u64(&b, "goguard_up", "gauge",
                   "Whether goguardd is running (0: it stopped and left this file).", in->up);
        render_u64(&b, "goguard_journal_entries_read_total", "counter",
                   "Journal entries goguardd read since it started.", in->journal_entries_read);
        render_u64(&b, "goguard_journal_entries_skipped_total", "counter",
                   "Journal entries goguardd could not read or parse since it started.",
                   in->journal_entries_skipped);
        render_u64(&b, "goguard_findings_refused_total", "counter",
                   "New findings refused because the caps were full of open ones.", in->findings_refused);
        if (in->have_journal_lag) {
                char buf[32];
                snprintf(buf, sizeof buf, "%" PRIu64 ".%06" PRIu64, in->journal_lag_usec / 1000000,
                         in->journal_lag_usec % 1000000);
                render_scalar(&b, "goguard_journal_lag_seconds", "gauge",
                              "Delay between the newest journal entry read and the moment goguardd read it.",
                              buf);
        }
        return strbuf_steal(&b, ret, ret_size);
}
