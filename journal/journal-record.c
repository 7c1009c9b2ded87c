/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdio.h>
#include <string.h>

#include "audit-record.h"
#include "journal-record.h"
#include "parse-util.h"

int journal_record_add_matches(sd_journal *j) {
        /* PID 1's messages: those the detectors of this build read, from their table. */
        const char *pid1_message_ids[64];
        size_t n = correlator_pid1_message_ids(pid1_message_ids, ELEMENTSOF(pid1_message_ids));
        char buf[256];
        int r;

        r = sd_journal_add_match(j, "_TRANSPORT=kernel", 0);
        if (r < 0)
                return r;
        r = sd_journal_add_disjunction(j);
        if (r < 0)
                return r;
        r = sd_journal_add_match(j, "_PID=1", 0);
        for (size_t i = 0; r >= 0 && i < n; i++) {
                snprintf(buf, sizeof buf, "MESSAGE_ID=%s", pid1_message_ids[i]);
                r = sd_journal_add_match(j, buf, 0);
        }
        return r < 0 ? r : 0;
}

void journal_record_buffer_done(JournalRecordBuffer *b) {
        b->message = mfree(b->message);
        b->cursor = mfree(b->cursor);
        b->audit = mfree(b->audit);
}

/* If data is "NAME=value": the value as a NUL-terminated copy in buf (truncated). */
static const char *copy_value(const void *data, size_t len, const char *name, char *buf, size_t size,
                              size_t *ret_len) {
        size_t n = strlen(name);
        if (len <= n || memcmp(data, name, n) != 0 || ((const char *) data)[n] != '=')
                return NULL;
        len -= n + 1;
        if (len >= size)
                len = size - 1;
        memcpy(buf, (const char *) data + n + 1, len);
        buf[len] = 0;
        if (ret_len)
                *ret_len = len;
        return buf;
}

/* One field's value, without "NAME=", as a NUL-terminated copy in buf (truncated). */
static const char *field(sd_journal *j, const char *name, char *buf, size_t size, size_t *ret_len) {
        const void *data;
        size_t len;
        if (sd_journal_get_data(j, name, &data, &len) < 0)
                return NULL;
        return copy_value(data, len, name, buf, size, ret_len);
}

/* A unit's output line: its MESSAGE, _COMM and (unless *unit is known) _SYSTEMD_UNIT in one pass
 * over the entry's fields. A lookup of each walks them again, and nearly every entry of a
 * journal is such a line. Returns whether there is a MESSAGE. */
static bool output_fields(sd_journal *j, JournalRecordBuffer *b, const char **unit, const char **ret_comm,
                          size_t *ret_mlen) {
        const char *message = NULL, *comm = NULL;
        const void *data;
        size_t len;
        SD_JOURNAL_FOREACH_DATA(j, data, len) {
                /* By the first bytes first: every field of the entry passes here. */
                const char *d = data;
                if (len < 2)
                        continue;
                if (d[0] == 'M' && !message)
                        message =
                                copy_value(data, len, "MESSAGE", b->message, JOURNAL_DATA_MAX + 1, ret_mlen);
                else if (d[0] == '_' && d[1] == 'C' && !comm)
                        comm = copy_value(data, len, "_COMM", b->comm, sizeof b->comm, NULL);
                else if (d[0] == '_' && d[1] == 'S' && !*unit)
                        *unit = copy_value(data, len, "_SYSTEMD_UNIT", b->unit, sizeof b->unit, NULL);
                if (message && comm && *unit)
                        break;
        }
        *ret_comm = comm;
        return message;
}

static const char *buffer_cursor(void *userdata) {
        JournalRecordBuffer *b = userdata;
        if (!b->cursor && sd_journal_get_cursor(b->journal, &b->cursor) < 0)
                b->cursor = NULL;
        return b->cursor;
}

/* The entry's place in its boot's journal, its time, boot and cursor. */
static void entry_place(sd_journal *j, JournalRecordBuffer *b, JournalRecord *rec) {
        uint64_t mono;
        sd_id128_t boot;
        b->journal = j;
        rec->boot_id = field(j, "_BOOT_ID", b->boot_id, sizeof b->boot_id, NULL);
        rec->cursor_fn = buffer_cursor;
        rec->cursor_userdata = b;
        if (sd_journal_get_monotonic_usec(j, &mono, &boot) >= 0 && mono > 0)
                rec->journal_monotonic = mono;
}

/* journald's audit transport: MESSAGE is "NAME body", the header in fields. */
static int read_audit(sd_journal *j, JournalRecordBuffer *b, JournalRecord *ret) {
        uint64_t realtime, type = 0, serial = 0, usec = 0;
        size_t mlen = 0;
        int r;

        const char *ty = field(j, "_AUDIT_TYPE", b->audit_type, sizeof b->audit_type, NULL);
        const char *id = field(j, "_AUDIT_ID", b->audit_id, sizeof b->audit_id, NULL);
        const char *src =
                field(j, "_SOURCE_REALTIME_TIMESTAMP", b->source_realtime, sizeof b->source_realtime, NULL);
        const char *name = field(j, "_AUDIT_TYPE_NAME", b->audit_type_name, sizeof b->audit_type_name, NULL);
        if (!ty || !id || parse_u64(ty, &type) < 0 || type > INT32_MAX || parse_u64(id, &serial) < 0)
                return 0;
        r = sd_journal_get_realtime_usec(j, &realtime);
        if (r < 0)
                return r;
        if (!src || parse_u64(src, &usec) < 0)
                usec = realtime;
        if (!field(j, "MESSAGE", b->message, JOURNAL_DATA_MAX + 1, &mlen))
                return 0;
        b->audit = mfree(b->audit);
        r = audit_record_from_journal(name, (int) type, serial, usec, b->message, mlen, &b->audit);
        if (r < 0)
                return r == -ENOMEM ? r : 0;
        JournalRecord rec = {
                .source = JOURNAL_SOURCE_AUDIT,
                .realtime = usec,
                .message = b->audit,
                .message_len = strlen(b->audit),
        };
        entry_place(j, b, &rec);
        *ret = rec;
        return 1;
}

/* A unit's child before exec ("(name)" as its comm) that logged, e.g. why it failed at
 * 226/NAMESPACE: the comm its denials carry, for attribution offline. */
static int read_pre_exec(sd_journal *j, JournalRecordBuffer *b, JournalRecord *ret) {
        uint64_t realtime;
        const char *comm = field(j, "_COMM", b->comm, sizeof b->comm, NULL);
        if (!comm || comm[0] != '(')
                return 0;
        const char *unit = field(j, "_SYSTEMD_UNIT", b->unit, sizeof b->unit, NULL);
        if (!unit || sd_journal_get_realtime_usec(j, &realtime) < 0)
                return 0;
        *ret = (JournalRecord){
                .source = JOURNAL_SOURCE_UNIT, .realtime = realtime, .unit = unit, .comm = comm
        };
        return 1;
}

int journal_record_read(sd_journal *j, JournalRecordBuffer *b, JournalRecord *ret) {
        uint64_t realtime;
        size_t mlen = 0;
        int r;

        if (!b->message) {
                b->message = malloc(JOURNAL_DATA_MAX + 1);
                if (!b->message)
                        return -ENOMEM;
        }
        b->cursor = mfree(b->cursor);

        /* The cheapest test first: most entries are neither the kernel's, nor PID 1's, nor
         * output that can matter. */
        const char *t = field(j, "_TRANSPORT", b->transport, sizeof b->transport, NULL);
        bool kernel = t && strcmp(t, "kernel") == 0, output = t && strcmp(t, "stdout") == 0;
        if (t && strcmp(t, "audit") == 0)
                return read_audit(j, b, ret);
        if (!kernel && !output) {
                const char *p = field(j, "_PID", b->pid, sizeof b->pid, NULL);
                if (!p || strcmp(p, "1") != 0)
                        return read_pre_exec(j, b, ret);
        }
        const char *unit = NULL;
        if (output && b->want_unit) {
                unit = field(j, "_SYSTEMD_UNIT", b->unit, sizeof b->unit, NULL);
                if (!unit || !b->want_unit(unit, b->want_unit_userdata))
                        return 0;
        }
        r = sd_journal_get_realtime_usec(j, &realtime);
        if (r < 0)
                return r;
        const char *comm = NULL;
        if (output ? !output_fields(j, b, &unit, &comm, &mlen)
                   : !field(j, "MESSAGE", b->message, JOURNAL_DATA_MAX + 1, &mlen))
                return 0;

        /* Most of a journal is services' output: what no rule can use says only which comm the
         * unit's process has (for kills the kernel printed without their cgroup). */
        if (output && !correlator_wants_unit_message(b->message, mlen)) {
                if (!unit || !comm)
                        return 0;
                *ret = (JournalRecord){
                        .source = JOURNAL_SOURCE_UNIT,
                        .realtime = realtime,
                        .unit = unit,
                        .comm = comm,
                };
                return 1;
        }
        b->journal = j;
        JournalRecord rec = {
                .realtime = realtime,
                .message = b->message,
                .message_len = mlen,
                .boot_id = field(j, "_BOOT_ID", b->boot_id, sizeof b->boot_id, NULL),
                .cursor_fn = buffer_cursor,
                .cursor_userdata = b,
        };
        /* Where the entry stands in its boot's journal: what a finding remembers of the newest
         * occurrence it counted, so that reading it again does not count it again. */
        uint64_t mono;
        sd_id128_t boot;
        bool have_mono = sd_journal_get_monotonic_usec(j, &mono, &boot) >= 0 && mono > 0;
        if (have_mono)
                rec.journal_monotonic = mono;
        if (kernel && audit_kernel_line_is_record(b->message, mlen)) {
                b->audit = mfree(b->audit);
                r = audit_record_from_kernel_line(b->message, mlen, &b->audit);
                if (r < 0)
                        return r == -ENOMEM ? r : 0;
                rec.source = JOURNAL_SOURCE_AUDIT;
                rec.message = b->audit;
                rec.message_len = strlen(b->audit);
        } else if (kernel) {
                rec.source = JOURNAL_SOURCE_KERNEL;
                /* The kernel's own time of the line, not when journald read it: a journald that
                 * starts reads the whole ring buffer, old kills included, and would stamp them
                 * all with its start time. */
                char src[32];
                uint64_t source_mono;
                if (have_mono && field(j, "_SOURCE_MONOTONIC_TIMESTAMP", src, sizeof src, NULL) &&
                    parse_u64(src, &source_mono) >= 0 && source_mono <= mono &&
                    mono - source_mono <= realtime)
                        rec.realtime = realtime - (mono - source_mono);
        } else if (output) {
                rec.source = JOURNAL_SOURCE_UNIT;
                rec.unit = unit;
                rec.invocation_id =
                        field(j, "_SYSTEMD_INVOCATION_ID", b->invocation_id, sizeof b->invocation_id, NULL);
                /* Looked up only for lines a detector reads, not in output_fields' pass. */
                rec.stream_id = field(j, "_STREAM_ID", b->stream_id, sizeof b->stream_id, NULL);
                rec.comm = comm;
        } else {
                rec.source = JOURNAL_SOURCE_PID1;
                rec.unit = field(j, "UNIT", b->unit, sizeof b->unit, NULL);
                rec.invocation_id =
                        field(j, "INVOCATION_ID", b->invocation_id, sizeof b->invocation_id, NULL);
                rec.message_id = field(j, "MESSAGE_ID", b->message_id, sizeof b->message_id, NULL);
                rec.exit_code = field(j, "EXIT_CODE", b->exit_code, sizeof b->exit_code, NULL);
                rec.exit_status = field(j, "EXIT_STATUS", b->exit_status, sizeof b->exit_status, NULL);
                rec.unit_result = field(j, "UNIT_RESULT", b->unit_result, sizeof b->unit_result, NULL);
        }
        *ret = rec;
        return 1;
}
