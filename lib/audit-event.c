/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Events assembled by libauparse's feed interface: records in, a callback per event complete
 * (its EOE record, a record of a later event AUDIT_EVENT_TIMEOUT_SEC on, or the flush). */
#include <auparse.h>
#include <errno.h>
#include <linux/audit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit-event.h"
#include "strbuf.h"

struct AuditAssembler {
        auparse_state_t *au;
        AuditEventFunc cb;
        void *userdata;
        AuditDedupe dedupe;
        uint64_t duplicates;
        int error;
        bool pending;
        char line[AUDIT_RECORD_TEXT_MAX + 1];
};

static void event_ready(auparse_state_t *au, auparse_cb_event_t type, void *userdata) {
        AuditAssembler *a = userdata;
        AuditEvent e = {};

        if (type != AUPARSE_CB_EVENT_READY || a->error < 0)
                return;
        const au_event_t *ts = auparse_get_timestamp(au);
        if (!ts)
                return;
        e.sec = (uint64_t) ts->sec;
        e.msec = ts->milli;
        e.serial = ts->serial;
        if (ts->host)
                snprintf(e.node, sizeof e.node, "%s", ts->host);
        if (auparse_first_record(au) <= 0)
                return;
        do {
                const char *text = auparse_get_record_text(au);
                AuditHeader h;
                if (!text || e.n_records >= AUDIT_EVENT_RECORDS_MAX)
                        continue;
                size_t len = audit_strip_enriched(text, strlen(text));
                if (audit_header_parse(text, len, &h) < 0)
                        continue;
                e.records[e.n_records++] = (AuditEventRecord){
                        .type = auparse_get_type(au), .text = text, .len = len, .body = h.body
                };
        } while (auparse_next_record(au) > 0);
        if (e.n_records > 0) {
                int r = a->cb(a->userdata, &e);
                if (r < 0)
                        a->error = r;
        }
}

int audit_assembler_new(AuditEventFunc cb, void *userdata, AuditAssembler **ret) {
        AuditAssembler *a = calloc(1, sizeof *a);
        if (!a)
                return -ENOMEM;
        a->au = auparse_init(AUSOURCE_FEED, NULL);
        if (!a->au) {
                free(a);
                return -ENOMEM;
        }
        a->cb = cb;
        a->userdata = userdata;
        auparse_set_eoe_timeout(AUDIT_EVENT_TIMEOUT_SEC);
        auparse_add_callback(a->au, event_ready, a, NULL);
        *ret = a;
        return 0;
}

AuditAssembler *audit_assembler_free(AuditAssembler *a) {
        if (!a)
                return NULL;
        /* The events it still holds are dropped: flush first to have them. */
        a->error = -ECANCELED;
        auparse_destroy(a->au);
        audit_dedupe_done(&a->dedupe);
        free(a);
        return NULL;
}

static int take_error(AuditAssembler *a) {
        int r = a->error;
        a->error = 0;
        return r;
}

int audit_assembler_feed(AuditAssembler *a, const char *text, size_t len) {
        AuditHeader h;

        int r = audit_record_take(&a->dedupe, &a->duplicates, text, &len, &h);
        if (r <= 0)
                return r;
        /* One line per record: a record wrapped across lines is one line again. */
        memcpy(a->line, text, len);
        char *end = a->line + len;
        for (char *p = a->line; (p = memchr(p, '\n', (size_t) (end - p))); p++)
                *p = ' ';
        for (char *p = a->line; (p = memchr(p, '\0', (size_t) (end - p))); p++)
                *p = ' ';
        /* A userspace record (USER_AVC, USER_ACCT, ...) is an event of its own, complete as it
         * comes (libauparse's audit_is_last_record()): with no event held, libauparse would hand
         * it on at once, alone; it costs more than the rest of a denial's reading. */
        if (!a->pending && h.type >= AUDIT_FIRST_USER_MSG && h.type <= AUDIT_LAST_USER_MSG) {
                AuditEvent e;
                a->line[len] = '\0';
                audit_event_of_record(&e, &h, a->line, len);
                r = a->cb(a->userdata, &e);
                return r < 0 ? r : 1;
        }
        a->line[len] = '\n';
        if (auparse_feed(a->au, a->line, len + 1) < 0)
                return -errno ?: -EINVAL;
        a->pending = auparse_feed_has_data(a->au) > 0;
        r = take_error(a);
        return r < 0 ? r : 1;
}

int audit_assembler_age(AuditAssembler *a, uint64_t now_sec) {
        (void) now_sec; /* libauparse ages by its own clock (time(2)) */
        auparse_feed_age_events(a->au);
        a->pending = auparse_feed_has_data(a->au) > 0;
        return take_error(a);
}

int audit_assembler_flush(AuditAssembler *a) {
        (void) auparse_flush_feed(a->au);
        a->pending = false;
        return take_error(a);
}

bool audit_assembler_pending(const AuditAssembler *a) {
        return a->pending;
}

uint64_t audit_assembler_duplicates(const AuditAssembler *a) {
        return a->duplicates;
}
