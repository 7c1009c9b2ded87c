/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "audit-record.h"
#include "journal-record.h"
#include "parse-util.h"

int journal_record_add_matches(sd_journal *j) {
        int r = sd_journal_add_match(j, "_TRANSPORT=kernel", 0);
        if (r >= 0)
                r = sd_journal_add_disjunction(j);
        if (r >= 0)
                r = sd_journal_add_match(j, "_PID=1", 0);
        return r < 0 ? r : 0;
}

/* Whether the correlator reads PID 1's message with this MESSAGE_ID (NULL: none) and CODE_FUNC:
 * those its detectors ask for, from their table, and PID 1's word that a unit hit its start limit,
 * which has no MESSAGE_ID (systemd 252). */
static bool pid1_message_wanted(const char *message_id, const char *code_func) {
        static const char *ids[64];
        static size_t n_ids = SIZE_MAX;
        if (n_ids == SIZE_MAX)
                n_ids = correlator_pid1_message_ids(ids, ELEMENTSOF(ids));
        if (!message_id)
                return code_func && streq(code_func, PID1_START_LIMIT_CODE_FUNC);
        for (size_t i = 0; i < n_ids; i++)
                if (streq(message_id, ids[i]))
                        return true;
        return false;
}

void journal_record_buffer_done(JournalRecordBuffer *b) {
        b->message = mfree(b->message);
        b->cursor = mfree(b->cursor);
        b->audit = mfree(b->audit);
}

/* If data is "NAME=value": the value as a NUL-terminated copy in buf (truncated). */
static const char *copy_value(const void *data, size_t len, size_t name_len, char *buf, size_t size,
                              size_t *ret_len) {
        len -= name_len + 1;
        if (len >= size)
                len = size - 1;
        memcpy(buf, (const char *) data + name_len + 1, len);
        buf[len] = 0;
        if (ret_len)
                *ret_len = len;
        return buf;
}

/* The fields a record is made of. An entry is read in one pass over its fields: a lookup of each
 * by name (sd_journal_get_data()) walks them again, and so does a pass for some of them. */
typedef enum Field {
        FIELD_TRANSPORT,
        FIELD_PID,
        FIELD_MESSAGE,
        FIELD_BOOT_ID,
        FIELD_SYSTEMD_UNIT, /* a unit's output */
        FIELD_COMM,
        FIELD_SYSTEMD_INVOCATION_ID,
        FIELD_STREAM_ID,
        FIELD_SOURCE_MONOTONIC, /* the kernel's */
        FIELD_UNIT,             /* PID 1's */
        FIELD_INVOCATION_ID,
        FIELD_MESSAGE_ID,
        FIELD_EXIT_CODE,
        FIELD_EXIT_STATUS,
        FIELD_UNIT_RESULT,
        FIELD_CODE_FUNC,  /* PID 1's start-limit message, which has no MESSAGE_ID */
        FIELD_AUDIT_TYPE, /* journald's audit transport */
        FIELD_AUDIT_TYPE_NAME,
        FIELD_AUDIT_ID,
        FIELD_SOURCE_REALTIME,
        _FIELD_MAX,
} Field;

#define BIT(f) (1u << (f))
#define F(n, member)                                                                                        \
        { n, STRLEN(n), offsetof(JournalRecordBuffer, member), sizeof(((JournalRecordBuffer *) 0)->member) }

static const struct {
        const char *name;
        uint8_t len;
        uint16_t offset, size; /* the buffer in JournalRecordBuffer */
} fields[_FIELD_MAX] = {
        [FIELD_TRANSPORT] = F("_TRANSPORT", transport),
        [FIELD_PID] = F("_PID", pid),
        [FIELD_MESSAGE] = { "MESSAGE", STRLEN("MESSAGE"), 0, 0 }, /* b->message */
        [FIELD_BOOT_ID] = F("_BOOT_ID", boot_id),
        [FIELD_SYSTEMD_UNIT] = F("_SYSTEMD_UNIT", unit),
        [FIELD_COMM] = F("_COMM", comm),
        [FIELD_SYSTEMD_INVOCATION_ID] = F("_SYSTEMD_INVOCATION_ID", invocation_id),
        [FIELD_STREAM_ID] = F("_STREAM_ID", stream_id),
        [FIELD_SOURCE_MONOTONIC] = F("_SOURCE_MONOTONIC_TIMESTAMP", source_monotonic),
        [FIELD_UNIT] = F("UNIT", pid1_unit),
        [FIELD_INVOCATION_ID] = F("INVOCATION_ID", pid1_invocation_id),
        [FIELD_MESSAGE_ID] = F("MESSAGE_ID", message_id),
        [FIELD_EXIT_CODE] = F("EXIT_CODE", exit_code),
        [FIELD_EXIT_STATUS] = F("EXIT_STATUS", exit_status),
        [FIELD_UNIT_RESULT] = F("UNIT_RESULT", unit_result),
        [FIELD_CODE_FUNC] = F("CODE_FUNC", code_func),
        [FIELD_AUDIT_TYPE] = F("_AUDIT_TYPE", audit_type),
        [FIELD_AUDIT_TYPE_NAME] = F("_AUDIT_TYPE_NAME", audit_type_name),
        [FIELD_AUDIT_ID] = F("_AUDIT_ID", audit_id),
        [FIELD_SOURCE_REALTIME] = F("_SOURCE_REALTIME_TIMESTAMP", source_realtime),
};

/* What each kind of entry is read for: once all of it is found, the pass stops. */
#define NEED_COMMON (BIT(FIELD_TRANSPORT) | BIT(FIELD_MESSAGE) | BIT(FIELD_BOOT_ID))
#define NEED_OUTPUT                                                                                         \
        (NEED_COMMON | BIT(FIELD_SYSTEMD_UNIT) | BIT(FIELD_COMM) | BIT(FIELD_SYSTEMD_INVOCATION_ID) |       \
         BIT(FIELD_STREAM_ID))
#define NEED_KERNEL (NEED_COMMON | BIT(FIELD_SOURCE_MONOTONIC))
/* _AUDIT_TYPE_NAME is not always there (journald writes it for the types it knows). */
#define NEED_AUDIT                                                                                          \
        (NEED_COMMON | BIT(FIELD_AUDIT_TYPE) | BIT(FIELD_AUDIT_TYPE_NAME) | BIT(FIELD_AUDIT_ID) |           \
         BIT(FIELD_SOURCE_REALTIME))
#define NEED_PID1                                                                                           \
        (NEED_COMMON | BIT(FIELD_PID) | BIT(FIELD_UNIT) | BIT(FIELD_INVOCATION_ID) |                        \
         BIT(FIELD_MESSAGE_ID) | BIT(FIELD_EXIT_CODE) | BIT(FIELD_EXIT_STATUS) | BIT(FIELD_UNIT_RESULT))

static bool is_field(const char *d, size_t len, Field f) {
        size_t n = fields[f].len;
        return len > n && d[n] == '=' && memcmp(d, fields[f].name, n) == 0;
}

/* Which of the fields data ("NAME=value") is, or -1. Every field of the entry passes here: told
 * apart by their first two bytes, then compared whole. */
static int field_of(const char *d, size_t len) {
        static const Field by_letter[] = { FIELD_MESSAGE,     FIELD_MESSAGE_ID,    FIELD_UNIT,
                                           FIELD_UNIT_RESULT, FIELD_INVOCATION_ID, FIELD_EXIT_CODE,
                                           FIELD_EXIT_STATUS, FIELD_CODE_FUNC };
        if (len < 2)
                return -1;
        if (d[0] == '_') {
                /* A unit's output line has a dozen of these: one switch, not a loop over them. */
                static const Field by_s[] = { FIELD_SYSTEMD_UNIT, FIELD_SYSTEMD_INVOCATION_ID,
                                              FIELD_STREAM_ID, FIELD_SOURCE_MONOTONIC,
                                              FIELD_SOURCE_REALTIME };
                static const Field by_a[] = { FIELD_AUDIT_TYPE, FIELD_AUDIT_TYPE_NAME, FIELD_AUDIT_ID };
                Field f;
                switch (d[1]) {
                case 'A':
                        for (size_t i = 0; i < ELEMENTSOF(by_a); i++)
                                if (is_field(d, len, by_a[i]))
                                        return (int) by_a[i];
                        return -1;
                case 'T': f = FIELD_TRANSPORT; break;
                case 'P': f = FIELD_PID; break;
                case 'B': f = FIELD_BOOT_ID; break;
                case 'C': f = FIELD_COMM; break;
                case 'S':
                        for (size_t i = 0; i < ELEMENTSOF(by_s); i++)
                                if (is_field(d, len, by_s[i]))
                                        return (int) by_s[i];
                        return -1;
                default: return -1;
                }
                return is_field(d, len, f) ? (int) f : -1;
        }
        if (d[0] != 'M' && d[0] != 'U' && d[0] != 'I' && d[0] != 'E' && d[0] != 'C')
                return -1;
        for (size_t i = 0; i < ELEMENTSOF(by_letter); i++)
                if (fields[by_letter[i]].name[0] == d[0] && is_field(d, len, by_letter[i]))
                        return (int) by_letter[i];
        return -1;
}

typedef enum EntryKind {
        ENTRY_UNKNOWN, /* no _TRANSPORT yet */
        ENTRY_KERNEL,
        ENTRY_OUTPUT,
        ENTRY_AUDIT, /* journald's audit transport: read further by read_audit() */
        ENTRY_OTHER, /* PID 1's when _PID=1 */
} EntryKind;

typedef struct EntryFields {
        const char *v[_FIELD_MAX];
        unsigned found; /* BIT(f) for each v[f] set */
        size_t message_len;
        EntryKind kind;
        int wanted_unit; /* b->want_unit's answer: -1 not asked yet */
} EntryFields;

/* After field f was found: 1 when the entry is not read (neither the kernel's, nor a unit's
 * output that is wanted, nor PID 1's), 2 when all that its kind needs is found, 0 to go on. */
static int entry_decided(EntryFields *e, Field f, JournalRecordBuffer *b) {
        if (f == FIELD_TRANSPORT)
                e->kind = streq(e->v[f], "kernel")   ? ENTRY_KERNEL
                          : streq(e->v[f], "stdout") ? ENTRY_OUTPUT
                          : streq(e->v[f], "audit")  ? ENTRY_AUDIT
                                                     : ENTRY_OTHER;
        switch (e->kind) {
        case ENTRY_UNKNOWN: return 0; /* the transport may come later */
        case ENTRY_KERNEL: return (e->found & NEED_KERNEL) == NEED_KERNEL ? 2 : 0;
        case ENTRY_OUTPUT:
                if (b->want_unit && e->wanted_unit < 0 && e->v[FIELD_SYSTEMD_UNIT])
                        e->wanted_unit = b->want_unit(e->v[FIELD_SYSTEMD_UNIT], b->want_unit_userdata);
                if (e->wanted_unit == 0)
                        return 1;
                return (e->found & NEED_OUTPUT) == NEED_OUTPUT ? 2 : 0;
        case ENTRY_AUDIT:
                if (b->selective && b->skip_audit)
                        return 1;
                return (e->found & NEED_AUDIT) == NEED_AUDIT ? 2 : 0;
        case ENTRY_OTHER:
                if (e->v[FIELD_PID] && !streq(e->v[FIELD_PID], "1")) {
                        /* Only a unit's child before exec ("(name)" as its comm, e.g. saying why
                         * it failed at 226/NAMESPACE): the comm its denials carry. */
                        if (b->selective)
                                return 1;
                        if (!e->v[FIELD_COMM])
                                return 0;
                        if (e->v[FIELD_COMM][0] != '(')
                                return 1;
                        return e->v[FIELD_SYSTEMD_UNIT] ? 2 : 0;
                }
                return (e->found & NEED_PID1) == NEED_PID1 ? 2 : 0;
        }
        return 0;
}

/* The entry's fields, each the first of its name (as sd_journal_get_data() finds it). Returns
 * false when the entry is not read. */
static bool read_fields(sd_journal *j, JournalRecordBuffer *b, EntryFields *e) {
        const void *data;
        size_t len;
        *e = (EntryFields){ .wanted_unit = -1 };
        SD_JOURNAL_FOREACH_DATA(j, data, len) {
                int f = field_of(data, len);
                if (f < 0 || e->v[f])
                        continue;
                if (f == FIELD_MESSAGE)
                        e->v[f] = copy_value(data, len, fields[f].len, b->message, JOURNAL_DATA_MAX + 1,
                                             &e->message_len);
                else
                        e->v[f] = copy_value(data, len, fields[f].len, (char *) b + fields[f].offset,
                                             fields[f].size, NULL);
                e->found |= BIT(f);
                int d = entry_decided(e, (Field) f, b);
                if (d == 1)
                        return false;
                if (d == 2)
                        break;
        }
        return true;
}

static const char *buffer_cursor(void *userdata) {
        JournalRecordBuffer *b = userdata;
        if (!b->cursor && sd_journal_get_cursor(b->journal, &b->cursor) < 0)
                b->cursor = NULL;
        return b->cursor;
}

/* The entry's place in its boot's journal, its time, boot (boot_id: _BOOT_ID as the pass found
 * it) and cursor. */
static void entry_place(sd_journal *j, JournalRecordBuffer *b, const char *boot_id, JournalRecord *rec) {
        uint64_t mono;
        sd_id128_t boot;
        b->journal = j;
        rec->boot_id = boot_id;
        rec->cursor_fn = buffer_cursor;
        rec->cursor_userdata = b;
        if (sd_journal_get_monotonic_usec(j, &mono, &boot) >= 0 && mono > 0)
                rec->journal_monotonic = mono;
}

/* journald's audit transport: MESSAGE is "NAME body", the header in fields, all read in the
 * entry's single pass (a flood's every record comes this way too). */
static int read_audit(sd_journal *j, JournalRecordBuffer *b, const EntryFields *e, JournalRecord *ret) {
        uint64_t realtime, type = 0, serial = 0, usec = 0;
        int r;

        const char *ty = e->v[FIELD_AUDIT_TYPE], *id = e->v[FIELD_AUDIT_ID],
                   *src = e->v[FIELD_SOURCE_REALTIME], *name = e->v[FIELD_AUDIT_TYPE_NAME];
        if (!ty || !id || parse_u64(ty, &type) < 0 || type > INT32_MAX || parse_u64(id, &serial) < 0)
                return 0;
        if (!src || parse_u64(src, &usec) < 0) {
                r = sd_journal_get_realtime_usec(j, &realtime);
                if (r < 0)
                        return r;
                usec = realtime;
        }
        if (!e->v[FIELD_MESSAGE])
                return 0;
        b->audit = mfree(b->audit);
        r = audit_record_from_journal(name, (int) type, serial, usec, b->message, e->message_len, &b->audit);
        if (r < 0)
                return r == -ENOMEM ? r : 0;
        JournalRecord rec = {
                .source = JOURNAL_SOURCE_AUDIT,
                .realtime = usec,
                .message = b->audit,
                .message_len = strlen(b->audit),
        };
        entry_place(j, b, e->v[FIELD_BOOT_ID], &rec);
        *ret = rec;
        return 1;
}

int journal_record_read(sd_journal *j, JournalRecordBuffer *b, JournalRecord *ret) {
        uint64_t realtime;
        EntryFields e;
        int r;

        if (!b->message) {
                b->message = malloc(JOURNAL_DATA_MAX + 1);
                if (!b->message)
                        return -ENOMEM;
        }
        b->cursor = mfree(b->cursor);

        if (!read_fields(j, b, &e))
                return 0;
        if (e.kind == ENTRY_AUDIT)
                return read_audit(j, b, &e, ret);
        /* Most entries are neither the kernel's, nor PID 1's, nor output that can matter. */
        const char *unit = e.v[FIELD_SYSTEMD_UNIT];
        bool kernel = e.kind == ENTRY_KERNEL, output = e.kind == ENTRY_OUTPUT;
        bool pid1 = !kernel && !output && streq(e.v[FIELD_PID] ?: "", "1");
        if (!kernel && !output && !pid1) {
                /* A unit's child before exec: which comm it had, for attribution offline. */
                const char *comm = e.v[FIELD_COMM];
                if (b->selective || !comm || comm[0] != '(' || !unit ||
                    sd_journal_get_realtime_usec(j, &realtime) < 0)
                        return 0;
                *ret = (JournalRecord){
                        .source = JOURNAL_SOURCE_UNIT, .realtime = realtime, .unit = unit, .comm = comm
                };
                return 1;
        }
        if (output && b->want_unit && (!unit || e.wanted_unit == 0))
                return 0;
        if (pid1 && b->selective && !pid1_message_wanted(e.v[FIELD_MESSAGE_ID], e.v[FIELD_CODE_FUNC]))
                return 0;
        if (!e.v[FIELD_MESSAGE])
                return 0;

        /* Most of a journal is services' output: what no rule can use says only which comm the
         * unit's process has (for kills the kernel printed without their cgroup). */
        if (output && !correlator_wants_unit_message(b->message, e.message_len)) {
                if (!unit || !e.v[FIELD_COMM])
                        return 0;
                r = sd_journal_get_realtime_usec(j, &realtime);
                if (r < 0)
                        return r;
                *ret = (JournalRecord){
                        .source = JOURNAL_SOURCE_UNIT,
                        .realtime = realtime,
                        .unit = unit,
                        .comm = e.v[FIELD_COMM],
                };
                return 1;
        }
        r = sd_journal_get_realtime_usec(j, &realtime);
        if (r < 0)
                return r;
        b->journal = j;
        JournalRecord rec = {
                .realtime = realtime,
                .message = b->message,
                .message_len = e.message_len,
                .boot_id = e.v[FIELD_BOOT_ID],
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
        if (kernel && audit_kernel_line_is_record(b->message, e.message_len)) {
                b->audit = mfree(b->audit);
                r = audit_record_from_kernel_line(b->message, e.message_len, &b->audit);
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
                const char *src = e.v[FIELD_SOURCE_MONOTONIC];
                uint64_t source_mono;
                if (have_mono && src && parse_u64(src, &source_mono) >= 0 && source_mono <= mono &&
                    mono - source_mono <= realtime)
                        rec.realtime = realtime - (mono - source_mono);
        } else if (output) {
                rec.source = JOURNAL_SOURCE_UNIT;
                rec.unit = unit;
                rec.invocation_id = e.v[FIELD_SYSTEMD_INVOCATION_ID];
                rec.stream_id = e.v[FIELD_STREAM_ID];
                rec.comm = e.v[FIELD_COMM];
        } else {
                rec.source = JOURNAL_SOURCE_PID1;
                rec.unit = e.v[FIELD_UNIT];
                rec.invocation_id = e.v[FIELD_INVOCATION_ID];
                rec.message_id = e.v[FIELD_MESSAGE_ID];
                rec.exit_code = e.v[FIELD_EXIT_CODE];
                rec.exit_status = e.v[FIELD_EXIT_STATUS];
                rec.unit_result = e.v[FIELD_UNIT_RESULT];
        }
        *ret = rec;
        return 1;
}
