/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <systemd/sd-bus.h>

#include "finding.h"
#include "json-writer.h"
#include "strbuf.h"

/* Findings as goguardctl shows them, whether they come from goguardd (ListFindings rows and
 * GetFinding dictionaries) or from the correlator run in-process (goguardctl analyze): one view,
 * one table, one explanation. Strings in a view point into its source (the reply message or the
 * Finding), which must outlive it. Nothing here talks to the bus or reads the clock: `now` is a
 * parameter. */

#define FINDING_ID_LEN            32
#define FINDING_ID_SHORT          12 /* the ID column */
#define FINDING_PREFIX_MIN        8  /* the shortest id prefix goguardctl accepts */
#define FINDING_EVIDENCE_MAX_VIEW 1024u

/* One ListFindings row: (ssssssttt). */
typedef struct FindingRow {
        const char *id;
        const char *unit;
        const char *class;
        const char *severity;
        const char *state;
        const char *summary;
        uint64_t first_seen, last_seen, count;
        const char *host; /* goguardctl analyze over several hosts; NULL: no HOST column */
} FindingRow;

typedef struct EvidenceView {
        const char *key;
        char type;      /* 's', 't' (u64, UINT64_MAX = infinity), 'x' (i64), 'b' */
        bool timestamp; /* a 't' known to be µs since the epoch */
        const char *s;
        uint64_t u;
        int64_t i;
} EvidenceView;

typedef struct AdviceView {
        const char *kind; /* "text", "dropin", "command" */
        const char *text;
        const char *snippet; /* "" or NULL for text */
} AdviceView;

typedef struct FindingView {
        FindingRow row;
        const char *invocation_id;
        const char *message_id;
        EvidenceView *evidence;
        size_t n_evidence;
        AdviceView *advice;
        size_t n_advice;
} FindingView;

/* m is positioned at GetFinding's a{sv}; reads it whole. Members a newer goguardd adds are
 * skipped; evidence of a type other than s, t, x, b is skipped. Returns 0 or -errno. */
int finding_view_from_bus(sd_bus_message *m, FindingView *ret);
int finding_view_from_finding(const Finding *f, FindingView *ret);
void finding_view_done(FindingView *v);
void finding_row_from_finding(const Finding *f, FindingRow *ret);

/* Sorts like goguardd's ListFindings: newest last seen first, then by id. */
void finding_rows_sort(FindingRow *rows, size_t n);

/* The table of `goguardctl findings`: ID (first 12 hex digits), HOST (only when a row has one),
 * UNIT, CLASS, SEVERITY, STATE, COUNT, LAST SEEN (relative to now), SUMMARY. color: critical in
 * red, warning in yellow. */
int findings_table(const FindingRow *rows, size_t n, uint64_t now, bool color, StrBuf *out);
void finding_row_to_json(const FindingRow *r, JsonWriter *w);

typedef struct ExplainOptions {
        bool color;
        bool journal_hint; /* the journalctl -x line: for findings goguardd wrote to the journal */
} ExplainOptions;

/* The full explanation of `goguardctl explain`: summary, identity, times, evidence, the unit
 * settings in force, advice with the systemctl edit command for each drop-in. */
int finding_explain(const FindingView *v, uint64_t now, const ExplainOptions *o, StrBuf *out);

/* An evidence value for humans: sizes for *_bytes, *_kb and Memory* keys, "infinity" for
 * UINT64_MAX, local time for timestamps (µs keys like killed_at), durations for *USec keys,
 * yes/no for booleans. Returns 0 or -ENOMEM; *ret is set on success. */
int evidence_format(const EvidenceView *e, uint64_t now, char **ret);
/* Whether the key is one of the unit settings in force (MemoryMax, GOMEMLIMIT, Restart, ...,
 * go_version) rather than evidence of the event. */
bool evidence_is_setting(const char *key);

/* 32 lowercase hex digits. */
bool finding_id_is_valid(const char *s);
/* FINDING_PREFIX_MIN to 32 hex digits, either case: 0 with a lowercase copy in *ret; -EINVAL
 * otherwise. */
int finding_id_prefix_parse(const char *s, char **ret);

/* A point in time as --since= takes it, in µs since the epoch: "now", "today", "yesterday",
 * "YYYY-MM-DD", "YYYY-MM-DD HH:MM[:SS]" (also with "T"), "HH:MM[:SS]" (today), "@SECONDS",
 * and relative "-1h", "1h 30min ago", "2 days ago" (units us, ms, s, sec, min, m, h, hour, d,
 * day, w, week, with plurals). Local time. Returns 0 or -EINVAL. */
int parse_since(const char *s, uint64_t now, uint64_t *ret);
