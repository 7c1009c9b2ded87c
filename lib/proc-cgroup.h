/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stddef.h>

/* The unit a process runs in, from the text of its /proc/PID/cgroup: the unified hierarchy's
 * "0::/path", or cgroup v1's name=systemd line, through cgroup_path_to_unit(). -ENOENT when
 * neither names a unit, -ENOMEM. */
int proc_cgroup_unit(const char *text, size_t len, char **ret);
