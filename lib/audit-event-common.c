/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "audit-event.h"

/* Two tables of 2 × AUDIT_DEDUPE_MAX / 2 slots: at most half full, so probes stay short. A key
 * is a 64-bit FNV-1a of (node, type, sec, msec, serial); a false "seen" needs a 64-bit
 * collision among the keys held. */
#define SLOTS (AUDIT_DEDUPE_MAX)
#define FILL  (AUDIT_DEDUPE_MAX / 2)

static uint64_t fnv(uint64_t h, const void *p, size_t n) {
        for (const uint8_t *b = p; n > 0; n--, b++)
                h = (h ^ *b) * 0x100000001b3ull;
        return h;
}

static uint64_t key_of(const AuditHeader *h) {
        uint64_t k = 0xcbf29ce484222325ull;
        k = fnv(k, h->node.p ?: "", h->node.n);
        k = fnv(k, "\x1f", 1);
        k = fnv(k, h->type_name.p, h->type_name.n);
        uint64_t nums[3] = { h->sec, h->msec, h->serial };
        k = fnv(k, nums, sizeof nums);
        return k ?: 1;
}

static bool table_has(const uint64_t *t, uint64_t k) {
        if (!t)
                return false;
        for (size_t i = k % SLOTS;; i = (i + 1) % SLOTS) {
                if (t[i] == k)
                        return true;
                if (t[i] == 0)
                        return false;
        }
}

static void table_put(uint64_t *t, uint64_t k) {
        size_t i = k % SLOTS;
        while (t[i] != 0 && t[i] != k)
                i = (i + 1) % SLOTS;
        t[i] = k;
}

void audit_dedupe_done(AuditDedupe *d) {
        free(d->current);
        free(d->previous);
        *d = (AuditDedupe){};
}

int audit_dedupe_add(AuditDedupe *d, const AuditHeader *h) {
        uint64_t k = key_of(h);
        if (table_has(d->current, k))
                return 0;
        bool seen = table_has(d->previous, k);
        if (!d->current) {
                d->current = calloc(SLOTS, sizeof *d->current);
                if (!d->current)
                        return -ENOMEM;
        }
        if (d->n_current >= FILL) {
                /* The older generation goes: what it alone held is forgotten. */
                uint64_t *old = d->previous;
                d->previous = d->current;
                d->current = old ?: calloc(SLOTS, sizeof *d->current);
                if (!d->current)
                        return -ENOMEM;
                memset(d->current, 0, SLOTS * sizeof *d->current);
                d->n_current = 0;
        }
        table_put(d->current, k);
        d->n_current++;
        return !seen;
}

int audit_record_take(AuditDedupe *d, uint64_t *duplicates, const char *text, size_t *len,
                      AuditHeader *ret) {
        *len = MIN(audit_strip_enriched(text, *len), (size_t) AUDIT_RECORD_TEXT_MAX);
        if (audit_header_parse(text, *len, ret) < 0)
                return 0;
        int r = audit_dedupe_add(d, ret);
        *duplicates += r == 0;
        return r;
}

void audit_event_of_record(AuditEvent *e, const AuditHeader *h, const char *text, size_t len) {
        *e = (AuditEvent){ .sec = h->sec, .msec = h->msec, .serial = h->serial, .n_records = 1 };
        if (h->node.n > 0)
                memcpy(e->node, h->node.p, MIN(h->node.n, sizeof e->node - 1));
        e->records[0] = (AuditEventRecord){ .type = h->type, .text = text, .len = len, .body = h->body };
}

const AuditEventRecord *audit_event_find(const AuditEvent *e, int type) {
        for (size_t i = 0; i < e->n_records; i++)
                if (e->records[i].type == type)
                        return &e->records[i];
        return NULL;
}
