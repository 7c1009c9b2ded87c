/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "detector.h"

/* selinux-exec-label, a condition of the security family (Detector.check): the unit's
 * executable (ExecStart=) carries another SELinux type than the host's policy gives its path.
 * Only where a policy is configured (HostFacts.security_labels): enforcing, permissive, or
 * written to /etc/selinux/config and not yet enabled; the finding says which. Reports through
 * correlator_condition(); returns as a check does. */
int security_exec_label_check(Correlator *c, const char *unit, const UnitKnowledge *k, const HostFacts *h);
