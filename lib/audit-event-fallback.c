/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Without libauparse (meson -Daudit=disabled): every record is an event of its own, so an AVC
 * comes without its SYSCALL's exe, CWD and PATH. Dedupe is the same. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "audit-event.h"

struct AuditAssembler {
        AuditEventFunc cb;
        void *userdata;
        AuditDedupe dedupe;
        uint64_t duplicates;
};

int audit_assembler_new(AuditEventFunc cb, void *userdata, AuditAssembler **ret) {
        AuditAssembler *a = calloc(1, sizeof *a);
        if (!a)
                return -ENOMEM;
        a->cb = cb;
        a->userdata = userdata;
        *ret = a;
        return 0;
}

AuditAssembler *audit_assembler_free(AuditAssembler *a) {
        if (a) {
                audit_dedupe_done(&a->dedupe);
                free(a);
        }
        return NULL;
}

int audit_assembler_feed(AuditAssembler *a, const char *text, size_t len) {
        AuditHeader h;

        int r = audit_record_take(&a->dedupe, &a->duplicates, text, &len, &h);
        if (r <= 0)
                return r;
        AuditEvent e;
        audit_event_of_record(&e, &h, text, len);
        r = a->cb(a->userdata, &e);
        return r < 0 ? r : 1;
}

int audit_assembler_age(AuditAssembler *a, uint64_t now_sec) {
        (void) a;
        (void) now_sec;
        return 0;
}

int audit_assembler_flush(AuditAssembler *a) {
        (void) a;
        return 0;
}

bool audit_assembler_pending(const AuditAssembler *a) {
        (void) a;
        return false;
}

uint64_t audit_assembler_duplicates(const AuditAssembler *a) {
        return a->duplicates;
}
