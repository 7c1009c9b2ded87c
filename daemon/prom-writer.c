/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "event-util.h"
#include "log.h"
#include "manager.h"
#include "prom-text.h"
#include "time-util.h"
#include "watched-unit.h"

#define PROM_FILE "goguard.prom"

static int render(Manager *m, bool up, char **ret, size_t *ret_size) {
        size_t n_findings = hashmap_size(m->findings.by_id), n_units = 0, i = 0;
        _cleanup_free_ PromFinding *findings = calloc(MAX(n_findings, (size_t) 1), sizeof(PromFinding));
        _cleanup_free_ const char **versions =
                calloc(MAX((size_t) m->n_go_units, (size_t) 1), sizeof(char *));
        void *v;

        if (!findings || !versions)
                return -ENOMEM;
        n_findings = 0;
        while (hashmap_iterate(m->findings.by_id, &i, &v, NULL)) {
                const Finding *f = v;
                findings[n_findings++] = (PromFinding){
                        .unit = f->unit,
                        .class = finding_class_info(f->class)->name,
                        .severity = finding_severity_to_string(f->severity),
                        .open = f->state == FINDING_OPEN,
                        .count = f->count,
                };
        }
        i = 0;
        while (hashmap_iterate(m->units, &i, &v, NULL)) {
                const WatchedUnit *u = v;
                if (u->exported && n_units < m->n_go_units)
                        versions[n_units++] = watched_unit_go_version(u);
        }
        PromInput in = {
                .findings = findings,
                .n_findings = n_findings,
                .go_versions = versions,
                .n_go_units = n_units,
                .up = up,
                .journal_entries_read = m->watch_journal.entries,
                .journal_entries_skipped = m->watch_journal.corrupt,
                .findings_refused = m->findings.n_dropped,
                .have_journal_lag = m->watch_journal.have_lag,
                .journal_lag_usec = m->watch_journal.lag_usec,
                .series_max = m->prom_series_max,
        };
        return prom_render(&in, ret, ret_size);
}

/* A temporary file in the directory (node-exporter reads only *.prom), mode 0644 whatever the
 * umask (the unit's UMask=0077 would hide it from node-exporter's user), renamed over the old
 * one: a scrape sees the old file or the new one. No fsync: the file is rewritten from memory
 * at the next change, and an fsync could hold the loop for long on a busy disk. */
static int write_file(const char *dir, const char *text, size_t size) {
        _cleanup_close_ int dfd = -EBADF, fd = -EBADF;
        const char *tmp = "." PROM_FILE ".tmp";
        int r = 0;

        dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd < 0)
                return -errno;
        fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0644);
        if (fd < 0)
                return -errno;
        if (fchmod(fd, 0644) < 0)
                r = -errno;
        for (size_t done = 0; r == 0 && done < size;) {
                ssize_t k = write(fd, text + done, size - done);
                if (k < 0 && errno != EINTR)
                        r = -errno;
                else if (k > 0)
                        done += (size_t) k;
        }
        if (r == 0 && renameat(dfd, tmp, dfd, PROM_FILE) < 0)
                r = -errno;
        if (r < 0)
                (void) unlinkat(dfd, tmp, 0);
        return r;
}

static void prom_write(Manager *m, bool up) {
        _cleanup_free_ char *text = NULL;
        size_t size;

        int r = render(m, up, &text, &size);
        if (r < 0) {
                log_warning_errno(r, "Failed to render the Prometheus metrics, ignoring: %m");
                return;
        }
        m->prom_written_usec = now_usec(CLOCK_MONOTONIC);
        if (streq(text, m->prom_text) && m->prom_error == 0)
                return; /* the same as the file has */
        r = write_file(m->prom_directory, text, size);
        if (r < 0) {
                if (r != m->prom_error)
                        log_warning_errno(r, "Failed to write %s/%s, trying again at the next change: %m",
                                          m->prom_directory, PROM_FILE);
                m->prom_error = r;
                return;
        }
        if (m->prom_error != 0)
                log_info("Wrote %s/%s again.", m->prom_directory, PROM_FILE);
        m->prom_error = 0;
        free(m->prom_text);
        m->prom_text = TAKE_PTR(text);
}

static int on_prom_timer(sd_event_source *s, uint64_t usec, void *userdata) {
        prom_write(userdata, true);
        return 0;
}

void manager_prom_changed(Manager *m) {
        if (!m->prom_directory || !m->event || event_source_armed(m->prom_timer))
                return;
        uint64_t at = MAX(now_usec(CLOCK_MONOTONIC),
                          m->prom_written_usec ? m->prom_written_usec + m->prom_interval_usec : 0);
        int r = event_arm_at(m->event, &m->prom_timer, CLOCK_MONOTONIC, at, 100000, on_prom_timer, m);
        if (r < 0)
                log_warning_errno(r, "Failed to schedule the Prometheus textfile, ignoring: %m");
}

void manager_prom_finish(Manager *m) {
        if (m->prom_directory)
                prom_write(m, false);
}

void manager_prom_free(Manager *m) {
        m->prom_timer = sd_event_source_disable_unref(m->prom_timer);
        m->prom_text = mfree(m->prom_text);
        m->prom_directory = mfree(m->prom_directory);
}
