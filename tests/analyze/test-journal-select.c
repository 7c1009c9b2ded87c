/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* goguardd's journal selection: its matches (the kernel, PID 1 and each Go unit by one term) with
 * the rest decided when an entry is read (JournalRecordBuffer.selective) must give the correlator
 * the very records that the match tree it replaced gave: the kernel, PID 1 with one of the
 * correlator's MESSAGE_IDs or its start-limit CODE_FUNC, and each unit's stdout. Over the
 * journal files given, with every unit that has output in them as a Go unit. Prints the records
 * compared; exits 1 on the first difference. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-journal.h>

#include "correlate.h"
#include "journal-record.h"

#define UNITS_MAX 64

static char *units[UNITS_MAX];
static size_t n_units;
static bool audit; /* journald's audit transport matched too, as goguardd does without the multicast */

static int add(sd_journal *j, const char *field, const char *value) {
        char buf[512];
        snprintf(buf, sizeof buf, "%s=%s", field, value);
        return sd_journal_add_match(j, buf, 0);
}

/* The match tree goguardd used before: a term per MESSAGE_ID, stdout AND each unit. */
static int old_matches(sd_journal *j) {
        const char *ids[64];
        size_t n = correlator_pid1_message_ids(ids, 64);
        int r = add(j, "_TRANSPORT", "kernel");
        if (r >= 0)
                r = sd_journal_add_disjunction(j);
        if (r >= 0)
                r = add(j, "_PID", "1");
        for (size_t i = 0; r >= 0 && i < n; i++)
                r = add(j, "MESSAGE_ID", ids[i]);
        if (r >= 0)
                r = sd_journal_add_disjunction(j);
        if (r >= 0)
                r = add(j, "_PID", "1");
        if (r >= 0)
                r = add(j, "CODE_FUNC", PID1_START_LIMIT_CODE_FUNC);
        if (r >= 0 && audit) {
                r = sd_journal_add_disjunction(j);
                if (r >= 0)
                        r = add(j, "_TRANSPORT", "audit");
        }
        if (r >= 0 && n_units > 0) {
                r = sd_journal_add_disjunction(j);
                if (r >= 0)
                        r = add(j, "_TRANSPORT", "stdout");
                for (size_t i = 0; r >= 0 && i < n_units; i++)
                        r = add(j, "_SYSTEMD_UNIT", units[i]);
        }
        return r;
}

static int new_matches(sd_journal *j) {
        int r = journal_record_add_matches(j);
        if (r >= 0 && audit) {
                r = sd_journal_add_disjunction(j);
                if (r >= 0)
                        r = add(j, "_TRANSPORT", "audit");
        }
        if (r >= 0 && n_units > 0)
                r = sd_journal_add_disjunction(j);
        for (size_t i = 0; r >= 0 && i < n_units; i++)
                r = add(j, "_SYSTEMD_UNIT", units[i]);
        return r;
}

static const char *s(const char *v) {
        return v ?: "(null)";
}

/* One record as text, every field the correlator reads. */
static char *describe(const JournalRecord *r) {
        char *t = NULL;
        if (asprintf(&t, "%d|%llu|%llu|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%.*s", (int) r->source,
                     (unsigned long long) r->realtime, (unsigned long long) r->journal_monotonic,
                     s(r->boot_id), s(r->unit), s(r->invocation_id), s(r->stream_id), s(r->comm),
                     s(r->message_id), s(r->exit_code), s(r->exit_status), s(r->unit_result),
                     r->cursor_fn ? s(r->cursor_fn(r->cursor_userdata)) : "-", (int) r->message_len,
                     r->message ? r->message : "") < 0)
                abort();
        return t;
}

static int read_all(char **files, bool selective, char ***ret, size_t *ret_n) {
        sd_journal *j;
        int r = sd_journal_open_files(&j, (const char **) files, 0);
        if (r < 0)
                return r;
        (void) sd_journal_set_data_threshold(j, JOURNAL_DATA_MAX);
        r = selective ? new_matches(j) : old_matches(j);
        if (r < 0)
                return r;
        JournalRecordBuffer b = { .selective = selective, .skip_audit = !audit };
        char **v = NULL;
        size_t n = 0;
        while (sd_journal_next(j) > 0) {
                JournalRecord rec;
                r = journal_record_read(j, &b, &rec);
                if (r < 0)
                        return r;
                if (r == 0)
                        continue;
                v = realloc(v, (n + 1) * sizeof *v);
                if (!v)
                        abort();
                v[n++] = describe(&rec);
        }
        journal_record_buffer_done(&b);
        sd_journal_close(j);
        *ret = v;
        *ret_n = n;
        return 0;
}

int main(int argc, char *argv[]) {
        if (argc < 2) {
                fprintf(stderr, "usage: %s JOURNAL-FILE...\n", argv[0]);
                return 2;
        }
        sd_journal *j;
        int r = sd_journal_open_files(&j, (const char **) argv + 1, 0);
        if (r < 0) {
                fprintf(stderr, "Failed to open the journal files: %s\n", strerror(-r));
                return 1;
        }
        /* Every unit with output on stdout counts as Go. */
        const void *d;
        size_t len;
        r = sd_journal_add_match(j, "_TRANSPORT=stdout", 0);
        if (r >= 0)
                r = sd_journal_query_unique(j, "_SYSTEMD_UNIT");
        if (r < 0) {
                fprintf(stderr, "Failed to list the units: %s\n", strerror(-r));
                return 1;
        }
        SD_JOURNAL_FOREACH_UNIQUE(j, d, len) {
                if (n_units < UNITS_MAX)
                        units[n_units++] = strndup((const char *) d + STRLEN("_SYSTEMD_UNIT="),
                                                   len - STRLEN("_SYSTEMD_UNIT="));
        }
        sd_journal_close(j);

        /* Without journald's audit transport (the multicast is read), then with it. */
        for (int k = 0; k < 2; k++) {
                char **a, **b;
                size_t na, nb;
                audit = k == 1;
                r = read_all(argv + 1, false, &a, &na);
                if (r >= 0)
                        r = read_all(argv + 1, true, &b, &nb);
                if (r < 0) {
                        fprintf(stderr, "Failed to read the journal files: %s\n", strerror(-r));
                        return 1;
                }
                for (size_t i = 0; i < na || i < nb; i++)
                        if (i >= na || i >= nb || strcmp(a[i], b[i]) != 0) {
                                fprintf(stderr,
                                        "%s audit: record %zu differs:\n  matches then: %s\n  matches now:  "
                                        "%s\n",
                                        audit ? "with" : "without", i, i < na ? a[i] : "(none)",
                                        i < nb ? b[i] : "(none)");
                                return 1;
                        }
                printf("%s%zu records alike (%s audit)", k ? ", " : "", na, audit ? "with" : "without");
        }
        printf(", %zu units\n", n_units);
        return 0;
}
