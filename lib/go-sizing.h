/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "go-exe.h"

/* A module in the build info that sizes a Go runtime knob from the cgroup at run time: the
 * environment family does not flag such a program (gomaxprocs-vs-quota, gomemlimit-vs-limit),
 * and goguardd says so in the unit's facts (RuntimeSizing). NULL when there is none. */
const char *go_sizes_gomaxprocs(const GoExe *x); /* go.uber.org/automaxprocs */
const char *go_sizes_gomemlimit(const GoExe *x); /* github.com/KimMachineGun/automemlimit */
