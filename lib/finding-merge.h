/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdint.h>

#include "finding.h"

/* goguardd writes each finding once to the journal (GOGUARD_* fields, goguardd(8)). Read back
 * from a host's journal, such an entry says what that host's goguardd found, including what only
 * it could see (live samples of /proc: fd-near-limit, tasks-near-limit). `goguardctl analyze`
 * merges these into the findings it computes from the same host's raw records, so that one
 * occurrence is counted once: by its finding's id (deterministic from class, unit and first
 * occurrence key) or by the occurrence key goguardd logged. */

/* One GOGUARD_* entry; every string may be NULL. */
typedef struct LoggedFinding {
        const char *id;             /* GOGUARD_FINDING_ID */
        const char *class;          /* GOGUARD_CLASS */
        const char *severity;       /* GOGUARD_SEVERITY */
        const char *unit;           /* GOGUARD_UNIT */
        const char *occurrence_key; /* GOGUARD_OCCURRENCE_KEY; older goguardd: none */
        const char *evidence_cursor;
        const char *dropin;
        const char *summary;       /* MESSAGE */
        const char *invocation_id; /* OBJECT_SYSTEMD_INVOCATION_ID */
        uint64_t count;            /* GOGUARD_COUNT when logged */
        uint64_t realtime;         /* the entry's time */
} LoggedFinding;

/* Merges l into s. Returns 0 when s holds its finding already: one computed from the records
 * (same id, or the same class and unit with l's occurrence key counted; it gets evidence
 * goguardd_finding_id) or one logged before (same id or key: the larger count and the later time
 * are kept). Returns 1 when l is a finding only goguardd saw: added as it was logged (evidence
 * reported_by=goguardd). -EBADMSG for an entry that is not a finding (bad id, class or unit),
 * -ENOSPC when the store's caps refuse it, -ENOMEM. *ret (may be NULL) is the finding. */
int finding_store_merge_logged(FindingStore *s, const LoggedFinding *l, Finding **ret);
