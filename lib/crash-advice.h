/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "finding.h"
#include "go-crash.h"

/* What to do about a Go crash (panic, fatal-runtime): the fix for the kind of crash, where the
 * whole trace is, and what GOTRACEBACK (NULL: unset, Go's default "single") hides of it. */
void crash_advice(Finding *f, const GoCrash *c, const GoCrashFrame *frame, const GoModule *module,
                  const char *unit, const char *invocation_id, const char *gotraceback);
