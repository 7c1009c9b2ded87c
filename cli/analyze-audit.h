/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdint.h>

#include "correlate.h"

/* goguardctl analyze --audit-log=FILE: the records of a log of audit records (audit.log, its
 * rotated .1, ..., syslog or dmesg with the kernel's audit lines; .gz when built with zlib) fed to
 * the correlator as goguardd feeds what it receives. */
typedef struct AuditLogStats {
        /* Of every file read with these stats: a line's number among them is the serial of a
         * record without a header, unique across the files. */
        uint64_t lines;
        uint64_t records;
} AuditLogStats;

/* 0, or -errno when the file cannot be read (-EPROTONOSUPPORT: .gz without zlib). */
int analyze_audit_log(Correlator *c, const char *path, AuditLogStats *st);
