/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <sys/stat.h>
#include <systemd/sd-bus.h>

/* Appends s (NULL as "") as a string in the escaped form of utf8.h: every string goguardd puts on
 * the bus that came from outside goes through here, so no file name, process name or build info
 * can make a reply invalid (sd-bus refuses such a message whole, and one unit would break
 * GetManagedObjects for all). */
int bus_append_safe_string(sd_bus_message *m, const char *s);
/* A (ss) struct of two such strings. */
int bus_append_safe_pair(sd_bus_message *m, const char *a, const char *b);

/* Whether the sender of call could read a file with this stat data itself, judged by what cannot
 * be raced, the uid the bus daemon recorded at connect time: 0, or the owner with the owner read
 * bit, or anyone with the other read bit. The group bit and ACLs are not considered: a caller
 * only they would admit is refused. 1 if it could, 0 if not or if its uid cannot be had. */
int bus_caller_may_read(sd_bus_message *call, const struct stat *st);
