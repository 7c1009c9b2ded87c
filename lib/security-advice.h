/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "correlate.h"
#include "security-denial.h"

/* Typed advice for a security denial: restorecon for a file whose label is not the one the
 * policy gives its path (labels: the host's policy, lib/security-label.h, the same lookup as
 * selinux-exec-label's; NULL when none is open, as offline), setsebool where a boolean
 * of a built-in table of well-known ones allows the access, semanage port for a port of a
 * known service type, the AppArmor profile line, and an SELinux allow rule as the last resort;
 * where the unit itself chose the profile or context (AppArmorProfile=, SELinuxContext=), a
 * drop-in that changes it. */
typedef struct SecurityLabels SecurityLabels;
void security_denial_advise(Finding *f, const Denial *den, const UnitKnowledge *k, const char *attributed_by,
                            const SecurityLabels *labels);

/* The boolean of the built-in table that allows the access, or NULL. */
const char *selinux_boolean_for(const char *stype, const char *ttype, const char *tclass, const char *perms);
