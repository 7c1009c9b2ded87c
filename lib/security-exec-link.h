/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "detector.h"

/* SELinux or AppArmor refusing a unit's exec (an execute, entrypoint or execute_no_trans
 * denial, AppArmor's exec, on the unit's executable) makes the unit fail with status=203/EXEC,
 * as a missing file or one without the x bit would. The loader family's finding of that 203/EXEC
 * (exec-failed, or arch-mismatch, interpreter-missing) and the security family's denial are
 * the same failure: when both are open for unit, within SECURITY_EXEC_LINK_WINDOW_USEC of each
 * other, each names the other (exec_denial_finding, exec_denied_by; exec_failed_finding), and
 * the 203/EXEC's summary and advice name the denial as the cause, not paths and mode bits
 * (unless a check of the unit found a condition of its own: that advice stays, the denial is
 * added). Called by either family when its finding is counted, whichever comes second links.
 * Returns 1 when it linked them now, 0 when not (or already), -errno. */
#define SECURITY_EXEC_LINK_WINDOW_USEC (60 * 1000000ull)
int security_exec_link(Correlator *c, const char *unit, const UnitKnowledge *k);
