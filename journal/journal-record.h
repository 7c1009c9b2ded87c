/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <systemd/sd-journal.h>

#include "correlate.h"

/* From sd-journal to the correlator: the one place that knows which journal entries the
 * correlator reads and how an entry becomes a JournalRecord. goguardd (watch-journal.c) and
 * `goguardctl analyze` (offline, over journal files) both go through here, so they see the same
 * records. */

/* The largest field value read; longer MESSAGEs are cut (and the data threshold is set to it). */
#define JOURNAL_DATA_MAX (64u * 1024u)

/* Adds the matches every reader needs: the kernel transport, OR PID 1's messages with one of
 * the MESSAGE_IDs the correlator knows. The caller flushes old matches first and may add more
 * terms after a disjunction (the stdout of units). Returns 0 or -errno. */
int journal_record_add_matches(sd_journal *j);

/* The memory a JournalRecord points into: reused from one entry to the next. */
typedef struct JournalRecordBuffer {
        char transport[16], pid[16], unit[256], invocation_id[40], message_id[40], exit_code[32],
                exit_status[16], unit_result[32], boot_id[40], comm[16], stream_id[40];
        char *message; /* JOURNAL_DATA_MAX + 1 bytes, allocated on first use */
        char *cursor;  /* made on demand, see JournalRecord.cursor_fn */
        /* An audit record rebuilt in raw form (lib/audit-record.h), and its fields. */
        char *audit;
        char audit_type[16], audit_type_name[64], audit_id[32], source_realtime[32];
        sd_journal *journal;
        /* Optional: a unit's output is read further only if this says yes (goguardd: while it
         * reads every unit's output rather than match each of its many Go units). */
        bool (*want_unit)(const char *unit, void *userdata);
        void *want_unit_userdata;
} JournalRecordBuffer;

void journal_record_buffer_done(JournalRecordBuffer *b);

/* Audit records become JOURNAL_SOURCE_AUDIT records in raw audit.log form: the entries of
 * journald's audit transport (_TRANSPORT=audit, header rebuilt from _AUDIT_TYPE,
 * _AUDIT_TYPE_NAME, _AUDIT_ID and _SOURCE_REALTIME_TIMESTAMP) and the kernel's "audit: type=N
 * audit(...)" lines. Their unit is not known (journald writes none): attribution is the
 * correlator's. A unit's pre-exec child's entries (_COMM "(name)", any transport) give its comm.
 * Reads the current entry of j. Returns 1 with *ret filled (pointing into b, valid until the
 * next call with b) when the correlator reads such an entry; 0 when it does not (no MESSAGE, or
 * neither the kernel, nor PID 1, nor a unit's stdout); -errno when the entry cannot be read. A
 * line of a unit's output that no detector reads comes without its message: only its unit, time
 * and _COMM. */
int journal_record_read(sd_journal *j, JournalRecordBuffer *b, JournalRecord *ret);
