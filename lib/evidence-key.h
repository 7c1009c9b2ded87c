/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>

#include "finding.h"

/* Every evidence key a finding may carry, declared once with its kind: the detectors set them,
 * and the JSON, the bus and goguardctl format them from this table (docs/findings.md lists them
 * with their meaning). A key not declared here is a bug the tests catch. */

typedef enum EvidenceKind {
        EVIDENCE_KIND_STRING,
        EVIDENCE_KIND_FLAG,
        EVIDENCE_KIND_COUNT, /* a number of things, or a number that names one (a pid) */
        EVIDENCE_KIND_BYTES, /* UINT64_MAX: infinity */
        EVIDENCE_KIND_KIB,
        EVIDENCE_KIND_TIMESTAMP, /* µs since the epoch */
        EVIDENCE_KIND_TIMESPAN,  /* µs */
        _EVIDENCE_KIND_MAX,
        _EVIDENCE_KIND_INVALID = -1,
} EvidenceKind;

typedef struct EvidenceKey {
        const char *key;
        EvidenceKind kind;
        /* The unit's configuration, its environment or its binary: what was in force, not what
         * happened. goguardctl explain shows these apart. */
        bool setting;
} EvidenceKey;

const EvidenceKey *evidence_key_lookup(const char *key) _pure_;
/* How a value of this kind is stored in a finding. */
EvidenceType evidence_kind_type(EvidenceKind k) _pure_;
const char *evidence_kind_to_string(EvidenceKind k) _pure_;
/* 0 when every evidence entry of f is declared with the type it has; -ENOKEY naming the first
 * undeclared key in *ret_key, -EINVAL for a declared key of another type. */
int finding_check_evidence(const Finding *f, const char **ret_key);
/* The whole table, sorted by key. */
const EvidenceKey *evidence_key_table(size_t *ret_n);
