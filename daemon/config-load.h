/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "daemon-config.h"

/* Reads dir/goguardd.conf, then dir/goguardd.conf.d/<name>.conf in name order, into c. Missing
 * files and directories are fine. Warnings are logged with the file's name; an invalid file is
 * logged and fails the load (-EINVAL or -errno). */
int config_load(const char *dir, DaemonConfig *c);
