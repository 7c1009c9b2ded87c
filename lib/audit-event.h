/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "audit-fields.h"
#include "macro.h"

/* Audit records in, events out: the records of one event (an AVC with its SYSCALL, CWD, PATH,
 * PROCTITLE, sharing audit(t:serial)) come out together. Each record is counted once whatever
 * brought it, on (node, time, serial, type), within the last AUDIT_DEDUPE_MAX records or so.
 * With libauparse (meson -Daudit=enabled, lib/audit-event.c) it assembles; without it
 * (lib/audit-event-fallback.c) every record is an event of its own. */

#define AUDIT_DEDUPE_MAX        65536u
#define AUDIT_EVENT_RECORDS_MAX 16u
/* Longer records are cut (a PROCTITLE may be long; the fields read are near the start). */
#define AUDIT_RECORD_TEXT_MAX   8192u

typedef struct AuditEventRecord {
        int type;         /* audit-record.h's number, -1 when not known */
        const char *text; /* the record's text, without an ENRICHED suffix */
        size_t len;
        size_t body; /* offset of the body */
} AuditEventRecord;

typedef struct AuditEvent {
        char node[64]; /* "" for none */
        uint64_t sec;
        unsigned msec;
        uint64_t serial;
        AuditEventRecord records[AUDIT_EVENT_RECORDS_MAX];
        size_t n_records;
} AuditEvent;

/* The event's first record of the type, or NULL. */
const AuditEventRecord *audit_event_find(const AuditEvent *e, int type);

/* Bounded set of record keys seen: two generations of AUDIT_DEDUPE_MAX / 2. */
typedef struct AuditDedupe {
        uint64_t *current, *previous; /* open addressing, 0 = empty */
        size_t n_current;
} AuditDedupe;

void audit_dedupe_done(AuditDedupe *d);
/* 1 when the record's key is new (and now seen), 0 when seen, -ENOMEM. */
int audit_dedupe_add(AuditDedupe *d, const AuditHeader *h);
/* Both assemblers' first step: the record without an ENRICHED suffix, cut to
 * AUDIT_RECORD_TEXT_MAX (*len), its header, and whether it is new: 1, or 0 for no record or one
 * seen (counted in *duplicates), or -ENOMEM. */
int audit_record_take(AuditDedupe *d, uint64_t *duplicates, const char *text, size_t *len, AuditHeader *ret);
/* The event of one record (text, len bytes, its header h). */
void audit_event_of_record(AuditEvent *e, const AuditHeader *h, const char *text, size_t len);

typedef int (*AuditEventFunc)(void *userdata, const AuditEvent *e);
typedef struct AuditAssembler AuditAssembler;

int audit_assembler_new(AuditEventFunc cb, void *userdata, AuditAssembler **ret);
AuditAssembler *audit_assembler_free(AuditAssembler *a);
DEFINE_TRIVIAL_CLEANUP_FUNC(AuditAssembler *, audit_assembler_free);
/* One record in raw form (audit-record.h). Returns 1 when it was taken, 0 when it was seen
 * already or is no record, or the first -errno of the callback (then the events it had are
 * lost). */
int audit_assembler_feed(AuditAssembler *a, const char *text, size_t len);
/* Completes events whose last record came AUDIT_EVENT_TIMEOUT_SEC or more of the audit clock
 * ago (now: seconds since the epoch); returns the callback's first -errno or 0. */
#define AUDIT_EVENT_TIMEOUT_SEC 2u
int audit_assembler_age(AuditAssembler *a, uint64_t now_sec);
/* Completes every event held (the input ended). */
int audit_assembler_flush(AuditAssembler *a);
/* Whether an event is held. */
bool audit_assembler_pending(const AuditAssembler *a);
/* Records refused as seen already. */
uint64_t audit_assembler_duplicates(const AuditAssembler *a);
