/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Shared by the bus API's files (manager-bus*.c) only. */

#include <systemd/sd-bus.h>

typedef struct Manager Manager;

#define MANAGER_IFACE "org.goguard.goguard1.Manager"
#define UNIT_IFACE    "org.goguard.goguard1.Unit"
#define ERROR_PREFIX  "org.goguard.goguard1.Error."

/* Runs run(m, call) once polkit allows action to the caller (root: right away); returns 1 when
 * the reply comes later. */
int bus_verify_polkit_async(Manager *m, sd_bus_message *call, const char *action,
                            int (*run)(Manager *m, sd_bus_message *call), sd_bus_error *error);

/* manager-bus-findings.c: the Manager object's finding methods. */
int bus_method_list_findings(sd_bus_message *call, void *userdata, sd_bus_error *error);
int bus_method_get_finding(sd_bus_message *call, void *userdata, sd_bus_error *error);
int bus_method_dump_findings(sd_bus_message *call, void *userdata, sd_bus_error *error);
int bus_method_acknowledge_finding(sd_bus_message *call, void *userdata, sd_bus_error *error);
int bus_method_dismiss_finding(sd_bus_message *call, void *userdata, sd_bus_error *error);

/* manager-bus-unit.c: the Unit objects. */
typedef struct WatchedUnit WatchedUnit;
const char *bus_unit_cgo(const WatchedUnit *u);
const char *bus_unit_linking(const WatchedUnit *u);
extern const sd_bus_vtable bus_unit_vtable[];
int bus_unit_find(sd_bus *bus, const char *path, const char *interface, void *userdata, void **ret_found,
                  sd_bus_error *error);
int bus_unit_enumerate(sd_bus *bus, const char *path, void *userdata, char ***ret_nodes,
                       sd_bus_error *error);
