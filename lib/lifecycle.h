/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The lifecycle family's state, shared by its two files: detect-lifecycle.c (the Detector, Go
 * crash records) and lifecycle-exits.c (how invocations end: crash loops, stop timeouts, the
 * watchdog, exits at start). */

#include "detector.h"
#include "go-crash.h"
#include "unit-name.h"

/* Traces assembled at once: one per (unit, invocation, output stream) that printed one. More at the same
 * time is a host where everything crashes; the oldest is closed as it is to make room. */
#define STREAMS_MAX     32u
#define CRASH_UNITS_MAX 64u

typedef struct CrashStream {
        char unit[UNIT_NAME_MAX + 1]; /* "" when the slot is free */
        char invocation_id[33];
        char stream_id[33]; /* _STREAM_ID, "" when not known */
        char boot_id[33];
        char *cursor; /* of the trace's first line */
        JournalPosition pos;
        bool has_pos;
        uint64_t last_at; /* the journal's time of the last line fed */
        uint64_t exit_at; /* of PID 1's word on the exit, 0 before */
        char exit_code[16], exit_status[16];
        uint64_t used;
        GoCrashStream s;
} CrashStream;

/* What a unit's last invocations died of, for its crash loop. */
typedef struct UnitCrashes {
        char unit[UNIT_NAME_MAX + 1];
        char invocation_id[33]; /* of the last crash or exit */
        char cause_id[33];      /* the finding that says why, "" if none */
        char cause_class[32];
        char exit[48];    /* "status=2", "signal=9", "" */
        bool exit_killed; /* that exit was SIGKILL's */
        char started_invocation[33];
        uint64_t started_at; /* PID 1's "Started" of that invocation */
        bool stopping;       /* PID 1 said "Stopping" since */
        char loop_cause[32]; /* the discriminator of the last restart's crash-loop finding */
        uint64_t loop_same;  /* restarts in a row with that cause */
        uint64_t used;
} UnitCrashes;

typedef struct LifecycleDetector {
        Correlator *c;
        CrashStream streams[STREAMS_MAX];
        UnitCrashes units[CRASH_UNITS_MAX];
        uint64_t clock;
} LifecycleDetector;

UnitCrashes *lifecycle_unit(LifecycleDetector *d, const char *unit, bool create);
/* Closes the stream's trace (its finding, if any, is reported) and frees the slot. */
int lifecycle_stream_flush(LifecycleDetector *d, CrashStream *e, GoCrashEnd end);

/* lifecycle-exits.c: PID 1's messages about how a unit's invocations end. */
int lifecycle_exits_on_pid1(LifecycleDetector *d, const JournalRecord *r);
