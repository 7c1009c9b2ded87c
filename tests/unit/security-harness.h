/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The security family's tests' helpers: audit log lines into the correlator, and findings out. */
#pragma once

#include "audit-fields.h"
#include "audit-log.h"
#include "audit-record.h"
#include "correlate-harness.h"

/* A log line as analyze --audit-log reads it, into an audit record fed to the correlator. */
static inline int audit_line(Ctx *x, const char *line, const char *unit) {
        _cleanup_(strbuf_done) StrBuf b = {};
        const char *rec;
        size_t n;
        AuditHeader h;
        ck_assert_int_eq(audit_log_line(line, strlen(line), 1, 1, &b, &rec, &n), 1);
        ck_assert_int_eq(audit_header_parse(rec, n, &h), 0);
        _cleanup_free_ char *copy = strndup(rec, n);
        return feed(x, (JournalRecord){ .source = JOURNAL_SOURCE_AUDIT,
                                        .realtime = h.sec * SEC + h.msec * 1000,
                                        .message = copy,
                                        .unit = unit });
}

/* A correlator as goguardd runs it: the units walked and pids resolved (the harness's). */
static inline void ctx_init_live(Ctx *x) {
        *x = (Ctx){ .live_units = true };
        ck_assert_int_eq(finding_store_init(&x->store), 0);
        ctx_start(x);
}

static inline int end_of_input(Ctx *x) {
        int k = correlator_advance(x->c, UINT64_MAX);
        ck_assert_int_ge(k, 0);
        return k;
}

/* The one finding of the class (there must be exactly one). */
static inline Finding *only(Ctx *x, FindingClass cls) {
        Finding *found = NULL;
        size_t i = 0;
        void *v;
        while (hashmap_iterate(x->store.by_id, &i, &v, NULL))
                if (((Finding *) v)->class == cls) {
                        ck_assert_ptr_null(found);
                        found = v;
                }
        ck_assert_ptr_nonnull(found);
        return found;
}

/* A string evidence, or NULL when it has none. */
static inline const char *evs(const Finding *f, const char *key) {
        const Evidence *e = finding_get(f, key);
        return e && e->type == EVIDENCE_STRING ? e->s : NULL;
}
