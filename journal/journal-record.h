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

/* Adds the matches every reader needs: the kernel transport OR PID 1. Which of PID 1's messages
 * the correlator reads is decided when an entry is read (JournalRecordBuffer.selective): sd-journal
 * evaluates every term of its matches again for every entry it steps to (a keyed hash and a hash
 * table lookup each), so a term per MESSAGE_ID cost every line of a noisy unit more than all of
 * PID 1's messages cost to read. The caller flushes old matches first and may add more terms after
 * a disjunction (the units' output). Returns 0 or -errno. */
int journal_record_add_matches(sd_journal *j);

/* The memory a JournalRecord points into: reused from one entry to the next (keep one buffer
 * for all entries: the message buffer is allocated once). */
typedef struct JournalRecordBuffer {
        /* One per field read, as the entry's single pass finds them: _SYSTEMD_UNIT and UNIT,
         * _SYSTEMD_INVOCATION_ID and INVOCATION_ID each have their own. */
        char transport[16], pid[16], unit[256], invocation_id[40], message_id[40], exit_code[32],
                exit_status[16], unit_result[32], boot_id[40], comm[16], stream_id[40], pid1_unit[256],
                pid1_invocation_id[40], source_monotonic[32], code_func[32];
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
        /* goguardd's selection, for the terms its matches leave out: of PID 1's messages only those
         * with a MESSAGE_ID the correlator knows or the start-limit message (by its CODE_FUNC), of
         * the other processes' entries only the units' stdout/stderr (and the kernel's, and
         * audit's). Off (goguardctl analyze) every entry the correlator can read is read. */
        bool selective;
        /* With selective: journald's audit transport is not matched (goguardd reads the kernel's
         * audit multicast), so its entries that PID 1's term brings (PID 1's USER_AVC) are skipped. */
        bool skip_audit;
} JournalRecordBuffer;

void journal_record_buffer_done(JournalRecordBuffer *b);

/* Audit records become JOURNAL_SOURCE_AUDIT records in raw audit.log form: the entries of
 * journald's audit transport (_TRANSPORT=audit, header rebuilt from _AUDIT_TYPE,
 * _AUDIT_TYPE_NAME, _AUDIT_ID and _SOURCE_REALTIME_TIMESTAMP) and the kernel's "audit: type=N
 * audit(...)" lines. Their unit is not known (journald writes none): attribution is the
 * correlator's. A unit's pre-exec child's entries (_COMM "(name)", any transport) give its comm.
 * Reads the current entry of j, in one pass over its fields (each field is the first of its
 * name, as sd_journal_get_data() finds it). Returns 1 with *ret filled (pointing into b, valid
 * until the next call with b) when the correlator reads such an entry; 0 when it does not (no
 * MESSAGE, or neither the kernel, nor PID 1, nor a unit's stdout); -errno when the entry cannot
 * be read. A line of a unit's output that no detector reads comes without its message: only its
 * unit, time and _COMM. */
int journal_record_read(sd_journal *j, JournalRecordBuffer *b, JournalRecord *ret);
