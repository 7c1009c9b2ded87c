/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Between the correlator (correlate.c) and its condition checks (condition-check.c); nothing
 * else includes this. */

#include "detector.h"

/* A condition check being run: its time, the classes a check reported, by bit, and when it
 * runs apart from the findings' correlator (record), every (class, detail key) reported, in
 * order, for correlator_apply_check() to report again. */
typedef struct CheckReport {
        FindingClass cls;
        char *key;
} CheckReport;

typedef struct CheckRun {
        uint64_t now;
        uint64_t found;
        bool record;
        CheckReport *reports;
        size_t n_reports;
} CheckRun;
_Static_assert(_FINDING_CLASS_MAX <= 64, "CheckRun.found holds a bit per class");

size_t correlator_n_detectors(void);
const Detector *correlator_detector(size_t i);
void *correlator_detector_state(Correlator *c, size_t i);
/* correlator_condition() reports to run (NULL: no check runs). */
void correlator_set_check_run(Correlator *c, CheckRun *run);
int check_run_record(CheckRun *run, FindingClass cls, const char *key);
