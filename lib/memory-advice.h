/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "correlate.h"

/* Evidence about the unit's memory settings and GOMEMLIMIT, and advice with numbers: the limit
 * in force is MemoryMax=, else MemoryLimit= (cgroup v1), else what the kernel printed for the
 * kill (kernel_limit_kb, 0 when unknown). Replaces f's advice. */
void memory_advice(Finding *f, const UnitKnowledge *k, uint64_t kernel_limit_kb);
/* The summary with the limit and whether GOMEMLIMIT was set. */
void memory_summary(Finding *f);
