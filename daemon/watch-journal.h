/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <systemd/sd-event.h>
#include <systemd/sd-journal.h>

#include "journal-record.h"

typedef struct Manager Manager;

/* The journal: read in batches at idle priority, resumable from the saved cursor. */
typedef struct WatchJournal {
        sd_journal *journal;
        sd_event_source *io;
        sd_event_source *defer;
        sd_event_source *rebuild;
        uint64_t rebuilt_usec; /* CLOCK_MONOTONIC */
        char *cursor;          /* of the last processed entry */
        char *saved_cursor;
        uint64_t realtime;
        uint64_t lag_usec; /* of the last batch read: its newest entry's age */
        bool have_lag;
        uint64_t entries;
        uint64_t corrupt;
        bool caught_up; /* the history is read; its pages were dropped after it */
        bool reading;   /* the units are known: entries are read */
        bool drained;   /* the last batch read everything there was */
        bool from_head; /* the findings are rebuilt: read the whole journal */
        uint64_t entries_at_drop;
        JournalRecordBuffer record; /* one for every entry read: its message buffer is allocated once */
} WatchJournal;

void watch_journal_done(WatchJournal *w);

int watch_journal_start(Manager *m);
/* The matches follow the Go units: rebuilt once, however many units came or went meanwhile,
 * right away unless the last rebuild was less than an interval ago. */
void watch_journal_go_units_changed(Manager *m);
int watch_journal_save_cursor(Manager *m);
/* Starts reading: the history waits until the units are known (a kill the kernel printed
 * without its cgroup is tied to its unit by the unit's executable). */
void watch_journal_resume(Manager *m);
/* Whether a saved position exists (then the findings it went with must exist too). */
bool watch_journal_has_cursor(Manager *m);
