/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The journal as a source: the kernel's OOM records, PID 1's messages about units, and the
 * output of watched Go units, fed in journal order to the correlator. Resumable from the last
 * processed entry's cursor, which is saved after the findings it produced. */
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <systemd/sd-journal.h>
#include <time.h>

#include "audit-pids.h"
#include "correlate.h"
#include "event-util.h"
#include "journal-record.h"
#include "log.h"
#include "manager.h"
#include "proc-maps.h"
#include "state-file.h"
#include "time-util.h"
#include "watched-unit.h"

#define JOURNAL_BATCH            1000u
#define JOURNAL_BATCH_USEC       5000u /* nor longer than this: bus callers wait meanwhile */
#define CURSOR_FILE              "journal.cursor"
#define CURSOR_MAX               4096u
/* After the set of Go units changes, re-read this far back: a unit's first lines may predate
 * the moment goguardd learned it is Go. Occurrences read twice are not counted twice. */
#define REWIND_USEC              (10 * 1000000ull)
/* The journal pages goguardd touched are dropped from its RSS after this many entries (see
 * drop_journal_pages()): under a flood of 50,000 lines/s, every 0.1 s. */
#define JOURNAL_DROP_ENTRIES     5000u
/* Up to this many Go units the journal is asked for each one's output. sd-journal pays for a
 * term per unit on every entry it steps to (a lookup in each file), which at thousands of Go
 * units made reading a batch take seconds; beyond this, goguardd asks for every unit's output
 * and keeps its Go units' with one hash lookup per line. */
#define JOURNAL_UNIT_MATCHES_MAX 16u

static int add_matches(Manager *m) {
        sd_journal *j = m->watch_journal.journal;
        int r;

        sd_journal_flush_matches(j);
        r = journal_record_add_matches(j);
        if (r < 0)
                return r;
        /* Audit records (security denials) as journald's audit transport stores them: the
         * history, and every record when the multicast is not read. The kernel's "audit:"
         * lines, written when no auditd reads them, come with the kernel transport. */
        if (manager_audit_wanted(m)) {
                r = sd_journal_add_disjunction(j);
                if (r >= 0)
                        r = sd_journal_add_match(j, "_TRANSPORT=audit", 0);
                if (r < 0)
                        return r;
        }

        /* The stdout/stderr of every watched Go unit: its unit's term alone (the transport is
         * told when the entry is read), which costs each entry one term, not two. */
        if (m->n_go_units == 0)
                return 0;
        r = sd_journal_add_disjunction(j);
        if (r < 0)
                return r;
        if (m->n_go_units > JOURNAL_UNIT_MATCHES_MAX)
                /* all units' output: process_entry() keeps the Go units' */
                return sd_journal_add_match(j, "_TRANSPORT=stdout", 0);
        size_t i = 0;
        void *v;
        while (hashmap_iterate(m->units, &i, &v, NULL)) {
                WatchedUnit *u = v;
                if (!u->exported)
                        continue;
                _cleanup_free_ char *match = NULL;
                if (asprintf(&match, "_SYSTEMD_UNIT=%s", u->name) < 0)
                        return -ENOMEM;
                r = sd_journal_add_match(j, match, 0);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* With every unit's output matched: a line of a unit known not to be Go is not read further. A
 * unit not known (any more) is left to the correlator, as when its own match picked it. */
static bool want_unit(const char *unit, void *userdata) {
        Manager *m = userdata;
        WatchedUnit *u = hashmap_get(m->units, unit);
        return !u || u->exported;
}

static int process_entry(Manager *m) {
        JournalRecordBuffer *b = &m->watch_journal.record;
        bool all_units = m->n_go_units > JOURNAL_UNIT_MATCHES_MAX;
        b->want_unit = all_units ? want_unit : NULL;
        b->want_unit_userdata = all_units ? m : NULL;
        b->selective = true;
        b->skip_audit = !manager_audit_wanted(m);
        JournalRecord rec;
        int r = journal_record_read(m->watch_journal.journal, b, &rec);
        if (r <= 0)
                return r;
        m->watch_journal.realtime = rec.realtime;
        uint64_t usec, serial;
        if (rec.source == JOURNAL_SOURCE_AUDIT &&
            audit_record_time(rec.message, rec.message_len, &usec, &serial) >= 0)
                manager_audit_catch_up(m, serial);
        return correlator_feed(m->correlator, &rec);
}

/* sd-journal (systemd 252's mmap cache) keeps up to 64 windows of 8 MiB of the journal files
 * mapped, and every page goguardd read in them stays in its RSS: page cache that journald maps too,
 * but counted as goguardd's, hundreds of MiB after a flood. Closing and opening the journal again
 * dropped them at a price (the files opened again, their headers, hash tables and the cursor's place
 * looked up and faulted in: 13% of goguardd's CPU at 50,000 lines/s). Dropping the pages of its
 * mappings keeps the mappings, and sd-journal's pointers into them, valid: a page touched again comes
 * back from the page cache. Only the main thread maps journal files, so the ranges read here stay
 * journal files until madvise() is done with them. */
static void drop_journal_pages(void) {
        FILE *f = fopen("/proc/self/maps", "re");
        char *line = NULL;
        size_t size = 0;
        ssize_t n;
        if (!f)
                return;
        while ((n = getline(&line, &size, f)) > 0) {
                uint64_t start, end;
                if (line[n - 1] == '\n')
                        n--;
                if (proc_maps_journal_mapping(line, (size_t) n, &start, &end) > 0)
                        (void) madvise((void *) (uintptr_t) start, end - start, MADV_DONTNEED);
        }
        free(line);
        fclose(f);
}

static int process_batch(Manager *m) {
        uint64_t deadline = now_usec(CLOCK_MONOTONIC) + JOURNAL_BATCH_USEC;
        unsigned n = 0;
        bool more = false;
        int r;

        for (;;) {
                if (n == JOURNAL_BATCH || now_usec(CLOCK_MONOTONIC) >= deadline) {
                        more = true;
                        break;
                }
                r = sd_journal_next(m->watch_journal.journal);
                if (r == 0)
                        break;
                if (r < 0) {
                        /* A corrupt file or entry: count it and go on with the next one. */
                        m->watch_journal.corrupt++;
                        if (m->watch_journal.corrupt % 1000 == 1)
                                log_warning_errno(r, "Failed to read the next journal entry, skipping: %m");
                        break;
                }
                n++;
                m->watch_journal.entries++;
                r = process_entry(m);
                if (r == -ENOMEM)
                        return r;
                /* Refused by the findings caps (FindingsRefused counts it): the entry was read. */
                if (r < 0 && r != -ENOSPC) {
                        m->watch_journal.corrupt++;
                        continue;
                }
        }
        /* The position to resume from: the last entry read, once per batch. */
        _cleanup_free_ char *cursor = NULL;
        if (n > 0 && sd_journal_get_cursor(m->watch_journal.journal, &cursor) >= 0) {
                free(m->watch_journal.cursor);
                m->watch_journal.cursor = TAKE_PTR(cursor);
        }
        if (n > 0) {
                manager_schedule_save(m);
                uint64_t now = now_usec(CLOCK_REALTIME);
                m->watch_journal.lag_usec =
                        now > m->watch_journal.realtime ? now - m->watch_journal.realtime : 0;
                m->watch_journal.have_lag = m->watch_journal.realtime > 0;
                manager_prom_changed(m);
        }
        m->watch_journal.drained = !more;
        manager_findings_schedule_decisions(m);
        /* More to read: continue after the bus had its turn. */
        (void) sd_event_source_set_enabled(m->watch_journal.defer, more ? SD_EVENT_ONESHOT : SD_EVENT_OFF);
        /* Reading leaves the pages read in goguardd's RSS: drop them once the history is read,
         * and after every JOURNAL_DROP_ENTRIES entries of a flood. */
        if ((!more && !m->watch_journal.caught_up) ||
            m->watch_journal.entries - m->watch_journal.entries_at_drop >= JOURNAL_DROP_ENTRIES) {
                m->watch_journal.caught_up = true;
                m->watch_journal.entries_at_drop = m->watch_journal.entries;
                drop_journal_pages();
        }
        return 0;
}

static int on_journal_defer(sd_event_source *s, void *userdata) {
        Manager *m = userdata;
        if (!m->watch_journal.reading)
                return 0;
        int r = process_batch(m);
        if (r < 0)
                log_error_errno(r, "Failed to process the journal: %m");
        return 0;
}

static int on_journal_io(sd_event_source *s, int fd, uint32_t revents, void *userdata) {
        Manager *m = userdata;
        int r = sd_journal_process(m->watch_journal.journal);
        if (r < 0)
                log_warning_errno(r, "Failed to process journal changes, ignoring: %m");
        return on_journal_defer(NULL, m);
}

/* Positions j right after the entry at cursor (which was processed), or where it would be if
 * the entry is gone. */
static int seek_after_cursor(sd_journal *j, const char *cursor) {
        int r = sd_journal_seek_cursor(j, cursor);
        if (r < 0)
                return r;
        /* Not on the processed entry (it is gone, say its file was vacuumed, or it is not matched
         * now): the entry found is the first to read. Seek again so that the next
         * sd_journal_next() returns it; stepping back with sd_journal_previous() does not move
         * when no matched entry precedes it, and it would be skipped. */
        if (sd_journal_next(j) > 0 && sd_journal_test_cursor(j, cursor) <= 0)
                return sd_journal_seek_cursor(j, cursor);
        return 0;
}

/* Positions the journal: after the saved cursor, or at the start of this boot. */
static int seek_start(Manager *m) {
        _cleanup_free_ char *cursor = NULL;
        size_t size;
        int r;

        if (m->watch_journal.from_head) {
                /* The findings are rebuilt from what the journal still has: all of it, with
                 * the cursor that went with the lost findings forgotten. */
                (void) state_file_remove(m->state_dir, CURSOR_FILE);
                return sd_journal_seek_head(m->watch_journal.journal);
        }
        r = state_file_read(m->state_dir, CURSOR_FILE, CURSOR_MAX, &cursor, &size);
        if (r >= 0 && size > 0) {
                cursor[strcspn(cursor, "\n")] = 0;
                r = seek_after_cursor(m->watch_journal.journal, cursor);
                if (r >= 0) {
                        m->watch_journal.cursor = TAKE_PTR(cursor);
                        m->watch_journal.saved_cursor = strdup(m->watch_journal.cursor);
                        log_info("Continuing the journal after the saved cursor.");
                        return 0;
                }
                log_warning_errno(
                        r, "Failed to seek to the saved journal cursor, reading this boot instead: %m");
        } else if (r < 0 && r != -ENOENT)
                log_warning_errno(r,
                                  "Failed to read the saved journal cursor, reading this boot instead: %m");

        /* First start: this boot's entries. The box's journal holds the host kernel's whole ring
         * buffer, so older boots' records may be there too: the correlator only attributes kills
         * to units PID 1 speaks of in this journal. */
        uint64_t now = now_usec(CLOCK_REALTIME), up = now_usec(CLOCK_BOOTTIME);
        return sd_journal_seek_realtime_usec(m->watch_journal.journal, now > up ? now - up : 0);
}

static int rebuild_matches(Manager *m) {
        int r;
        if (!m->watch_journal.journal)
                return 0;
        r = add_matches(m);
        if (r < 0)
                return log_error_errno(r, "Failed to set journal matches: %m");
        /* New matches apply from the current position only; step back a little for output the
         * unit wrote before it was known to be Go. */
        uint64_t back =
                m->watch_journal.realtime > REWIND_USEC ? m->watch_journal.realtime - REWIND_USEC : 0;
        if (back > 0) {
                r = sd_journal_seek_realtime_usec(m->watch_journal.journal, back);
                if (r < 0)
                        return log_error_errno(r, "Failed to seek the journal: %m");
        }
        return sd_event_source_set_enabled(m->watch_journal.defer, SD_EVENT_ONESHOT);
}

/* The matches are rebuilt at most this often: each rebuild reads the last seconds of the journal
 * again, and thousands of units turning Go one by one would do it thousands of times. Far below
 * the rewind, so no line is missed for the wait. */
#define REBUILD_INTERVAL_USEC (250 * 1000ull)

static int on_rebuild(sd_event_source *s, uint64_t usec, void *userdata) {
        Manager *m = userdata;
        m->watch_journal.rebuilt_usec = now_usec(CLOCK_MONOTONIC);
        (void) rebuild_matches(m);
        return 0;
}

void watch_journal_go_units_changed(Manager *m) {
        WatchJournal *w = &m->watch_journal;
        if (!w->journal || event_source_armed(w->rebuild))
                return;
        uint64_t at = MAX(now_usec(CLOCK_MONOTONIC), w->rebuilt_usec + REBUILD_INTERVAL_USEC);
        int r = event_arm_at(m->event, &w->rebuild, CLOCK_MONOTONIC, at, 0, on_rebuild, m);
        if (r < 0)
                log_warning_errno(r, "Failed to schedule a journal match update, ignoring: %m");
}

/* Opens the system journal with goguardd's matches and watches its fd at idle priority: a flood
 * of log lines must not make D-Bus callers wait. */
static int open_journal(Manager *m) {
        int r = sd_journal_open(&m->watch_journal.journal, SD_JOURNAL_SYSTEM | SD_JOURNAL_LOCAL_ONLY);
        if (r < 0)
                return log_error_errno(r, "Failed to open the journal: %m");
        (void) sd_journal_set_data_threshold(m->watch_journal.journal, JOURNAL_DATA_MAX);
        r = add_matches(m);
        if (r < 0)
                return log_error_errno(r, "Failed to set journal matches: %m");
        int fd = sd_journal_get_fd(m->watch_journal.journal);
        if (fd < 0)
                return log_error_errno(fd, "Failed to get the journal's fd: %m");
        r = sd_event_add_io(m->event, &m->watch_journal.io, fd,
                            (uint32_t) sd_journal_get_events(m->watch_journal.journal), on_journal_io, m);
        if (r < 0)
                return log_error_errno(r, "Failed to watch the journal: %m");
        (void) sd_event_source_set_priority(m->watch_journal.io, SD_EVENT_PRIORITY_IDLE);
        return 0;
}

int watch_journal_start(Manager *m) {
        int r = open_journal(m);
        if (r < 0)
                return r;
        r = seek_start(m);
        if (r < 0)
                return log_error_errno(r, "Failed to position the journal: %m");
        r = sd_event_add_defer(m->event, &m->watch_journal.defer, on_journal_defer, m);
        if (r < 0)
                return log_error_errno(r, "Failed to watch the journal: %m");
        (void) sd_event_source_set_priority(m->watch_journal.defer, SD_EVENT_PRIORITY_IDLE);
        m->sources |= SOURCE_JOURNAL;
        return 0;
}

bool watch_journal_has_cursor(Manager *m) {
        _cleanup_free_ char *cursor = NULL;
        size_t size;
        return state_file_read(m->state_dir, CURSOR_FILE, CURSOR_MAX, &cursor, &size) != -ENOENT;
}

void watch_journal_resume(Manager *m) {
        if (m->watch_journal.reading || !m->watch_journal.defer)
                return;
        m->watch_journal.reading = true;
        (void) sd_event_source_set_enabled(m->watch_journal.defer, SD_EVENT_ONESHOT);
}

int watch_journal_save_cursor(Manager *m) {
        if (!m->watch_journal.cursor ||
            (m->watch_journal.saved_cursor &&
             strcmp(m->watch_journal.saved_cursor, m->watch_journal.cursor) == 0))
                return 0;
        _cleanup_free_ char *line = NULL;
        if (asprintf(&line, "%s\n", m->watch_journal.cursor) < 0)
                return -ENOMEM;
        int r = state_file_write(m->state_dir, CURSOR_FILE, line, strlen(line));
        if (r < 0)
                return r;
        free(m->watch_journal.saved_cursor);
        m->watch_journal.saved_cursor = strdup(m->watch_journal.cursor);
        return 0;
}

void watch_journal_done(WatchJournal *w) {
        w->io = sd_event_source_disable_unref(w->io);
        w->defer = sd_event_source_disable_unref(w->defer);
        w->rebuild = sd_event_source_disable_unref(w->rebuild);
        sd_journal_close(w->journal);
        w->journal = NULL;
        w->cursor = mfree(w->cursor);
        w->saved_cursor = mfree(w->saved_cursor);
        journal_record_buffer_done(&w->record);
}
