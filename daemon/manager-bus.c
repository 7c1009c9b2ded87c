/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The org.goguard.goguard1 bus API: vtables and their handlers, nothing else. The contract is
 * dbus/org.goguard.goguard1.xml. This file: the Manager object; the findings' methods and
 * signals are in manager-bus-findings.c, the Unit objects in manager-bus-unit.c. */
#include <string.h>

#include "bus-util.h"
#include "config.h"
#include "log.h"
#include "manager-bus.h"
#include "manager.h"
#include "unit-name.h"
#include "watched-unit.h"

static const sd_bus_error_map goguard_errors[] = {
        SD_BUS_ERROR_MAP(ERROR_PREFIX "NoSuchUnit", ENOENT),
        SD_BUS_ERROR_MAP(ERROR_PREFIX "InvalidUnitName", EINVAL),
        SD_BUS_ERROR_MAP(ERROR_PREFIX "ExecutableUnavailable", ENOEXEC),
        SD_BUS_ERROR_MAP(ERROR_PREFIX "AccessDenied", EACCES),
        SD_BUS_ERROR_MAP(ERROR_PREFIX "NoSuchFinding", ENOKEY),
        SD_BUS_ERROR_MAP(ERROR_PREFIX "InvalidArgument", EDOM),
        SD_BUS_ERROR_MAP_END,
};

/* Validates a caller's unit name and finds the watched Go unit. */
static int lookup_go_unit(Manager *m, const char *name, WatchedUnit **ret, sd_bus_error *error) {
        if (!unit_name_is_valid(name))
                return sd_bus_error_setf(
                        error, ERROR_PREFIX "InvalidUnitName",
                        "Not a valid unit name (at most %d characters of [A-Za-z0-9:_.\\-@] "
                        "with a unit type suffix).",
                        UNIT_NAME_MAX);
        WatchedUnit *u = hashmap_get(m->units, name);
        if (!u || !u->exported)
                return sd_bus_error_setf(error, ERROR_PREFIX "NoSuchUnit",
                                         "Unit %s is not a watched Go service unit.", name);
        *ret = u;
        return 0;
}

/* ---- Manager ---- */

static int property_get_version(sd_bus *bus, const char *path, const char *interface, const char *property,
                                sd_bus_message *reply, void *userdata, sd_bus_error *error) {
        return sd_bus_message_append(reply, "s", PACKAGE_VERSION);
}

static int property_get_watched_units(sd_bus *bus, const char *path, const char *interface,
                                      const char *property, sd_bus_message *reply, void *userdata,
                                      sd_bus_error *error) {
        Manager *m = userdata;
        return sd_bus_message_append(reply, "u", (uint32_t) hashmap_size(m->units));
}

static int property_get_open_findings(sd_bus *bus, const char *path, const char *interface,
                                      const char *property, sd_bus_message *reply, void *userdata,
                                      sd_bus_error *error) {
        Manager *m = userdata;
        uint32_t n[_SEVERITY_MAX] = {};
        size_t i = 0;
        void *v;
        while (hashmap_iterate(m->findings.by_id, &i, &v, NULL)) {
                const Finding *f = v;
                if (f->state == FINDING_OPEN)
                        n[f->severity]++;
        }
        return sd_bus_message_append(reply, "a{su}", 3, "critical", n[SEVERITY_CRITICAL], "warning",
                                     n[SEVERITY_WARNING], "info", n[SEVERITY_INFO]);
}

static int property_get_sources(sd_bus *bus, const char *path, const char *interface, const char *property,
                                sd_bus_message *reply, void *userdata, sd_bus_error *error) {
        Manager *m = userdata;
        int r = sd_bus_message_open_container(reply, 'a', "s");
        if (r >= 0 && (m->sources & SOURCE_SYSTEMD))
                r = sd_bus_message_append(reply, "s", "systemd");
        if (r >= 0 && (m->sources & SOURCE_PROC))
                r = sd_bus_message_append(reply, "s", "proc");
        if (r >= 0 && (m->sources & SOURCE_JOURNAL))
                r = sd_bus_message_append(reply, "s", "journal");
        if (r >= 0 && (m->sources & SOURCE_KMSG))
                r = sd_bus_message_append(reply, "s", "kmsg");
        if (r >= 0 && (m->sources & SOURCE_AUDIT))
                r = sd_bus_message_append(reply, "s", "audit");
        if (r >= 0)
                r = sd_bus_message_close_container(reply);
        return r;
}

/* How a source is read, or why it is not live (audit: the multicast, or the journal alone). */
static int property_get_source_details(sd_bus *bus, const char *path, const char *interface,
                                       const char *property, sd_bus_message *reply, void *userdata,
                                       sd_bus_error *error) {
        Manager *m = userdata;
        int r = sd_bus_message_open_container(reply, 'a', "(ss)");
        if (r >= 0 && m->audit_detail)
                r = sd_bus_message_append(reply, "(ss)", "audit", m->audit_detail);
        if (r >= 0)
                r = sd_bus_message_close_container(reply);
        return r;
}

static int property_get_findings_refused(sd_bus *bus, const char *path, const char *interface,
                                         const char *property, sd_bus_message *reply, void *userdata,
                                         sd_bus_error *error) {
        Manager *m = userdata;
        return sd_bus_message_append(reply, "t", (uint64_t) m->findings.n_dropped);
}

static int property_get_cgroup_version(sd_bus *bus, const char *path, const char *interface,
                                       const char *property, sd_bus_message *reply, void *userdata,
                                       sd_bus_error *error) {
        Manager *m = userdata;
        return sd_bus_message_append(reply, "s", m->cgroup_version);
}

static int compare_units(const void *a, const void *b) {
        return strcmp((*(WatchedUnit *const *) a)->name, (*(WatchedUnit *const *) b)->name);
}

static int method_list_go_units(sd_bus_message *call, void *userdata, sd_bus_error *error) {
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        Manager *m = userdata;
        _cleanup_free_ WatchedUnit **list = calloc(m->n_go_units + 1, sizeof(WatchedUnit *));
        size_t n = 0, i = 0;
        void *v;
        int r;

        if (!list)
                return -ENOMEM;
        while (hashmap_iterate(m->units, &i, &v, NULL))
                if (((WatchedUnit *) v)->exported && n < m->n_go_units)
                        list[n++] = v;
        qsort(list, n, sizeof *list, compare_units);

        r = sd_bus_message_new_method_return(call, &reply);
        if (r >= 0)
                r = sd_bus_message_open_container(reply, 'a', "(sossssu)");
        for (size_t k = 0; r >= 0 && k < n; k++) {
                WatchedUnit *u = list[k];
                r = sd_bus_message_open_container(reply, 'r', "sossssu");
                if (r >= 0)
                        r = sd_bus_message_append(reply, "so", u->name, u->bus_path);
                if (r >= 0)
                        r = bus_append_safe_string(reply, watched_unit_go_version(u));
                if (r >= 0)
                        r = bus_append_safe_string(reply, u->settings.active_state);
                if (r >= 0)
                        r = sd_bus_message_append(reply, "ssu", bus_unit_cgo(u), bus_unit_linking(u),
                                                  u->open_findings);
                if (r >= 0)
                        r = sd_bus_message_close_container(reply);
        }
        if (r >= 0)
                r = sd_bus_message_close_container(reply);
        if (r < 0)
                return r;
        return sd_bus_send(NULL, reply, NULL);
}

static int method_get_unit(sd_bus_message *call, void *userdata, sd_bus_error *error) {
        Manager *m = userdata;
        WatchedUnit *u;
        const char *name;
        int r = sd_bus_message_read(call, "s", &name);
        if (r < 0)
                return r;
        r = lookup_go_unit(m, name, &u, error);
        if (r < 0)
                return r;
        return sd_bus_reply_method_return(call, "o", u->bus_path);
}

static int method_inspect_unit_executable(sd_bus_message *call, void *userdata, sd_bus_error *error) {
        Manager *m = userdata;
        WatchedUnit *u;
        const char *name;
        int r;

        r = sd_bus_message_read(call, "s", &name);
        if (r < 0)
                return r;
        r = lookup_go_unit(m, name, &u, error);
        if (r < 0)
                return r;
        return manager_inspect_unit_executable(m, u, call, error);
}

/* Polkit, asynchronously: the loop never waits for an authorization. */
typedef struct PolkitQuery {
        Manager *manager;
        const char *action; /* static string */
        sd_bus_message *call;
        int (*run)(Manager *m, sd_bus_message *call);
} PolkitQuery;

static void polkit_query_free(void *p) {
        PolkitQuery *q = p;
        sd_bus_message_unref(q->call);
        free(q);
}

static int polkit_reply(sd_bus_message *reply, void *userdata, sd_bus_error *ret_error) {
        PolkitQuery *q = userdata;
        int authorized = 0, challenge = 0, r;

        if (sd_bus_message_is_method_error(reply, NULL)) {
                /* No polkit on this host: only root may, and root never gets here. */
                log_debug("Polkit check failed: %s", sd_bus_message_get_error(reply)->message);
        } else {
                r = sd_bus_message_enter_container(reply, 'r', "bba{ss}");
                if (r >= 0)
                        r = sd_bus_message_read(reply, "bb", &authorized, &challenge);
                if (r < 0)
                        authorized = 0;
        }
        if (!authorized)
                r = sd_bus_reply_method_errorf(q->call, ERROR_PREFIX "AccessDenied",
                                               "Not authorized (polkit action %s%s).", q->action,
                                               challenge ? ", authentication required" : "");
        else
                r = q->run(q->manager, q->call);
        if (r < 0)
                log_warning_errno(r, "Failed to reply to a privileged call: %m");
        return 0;
}

int bus_verify_polkit_async(Manager *m, sd_bus_message *call, const char *action,
                            int (*run)(Manager *m, sd_bus_message *call), sd_bus_error *error) {
        _cleanup_(sd_bus_creds_unrefp) sd_bus_creds *creds = NULL;
        uid_t euid;
        sd_bus_slot *slot;
        int r;

        r = sd_bus_query_sender_creds(call, SD_BUS_CREDS_EUID, &creds);
        if (r >= 0)
                r = sd_bus_creds_get_euid(creds, &euid);
        if (r >= 0 && euid == 0)
                return run(m, call);

        PolkitQuery *q = calloc(1, sizeof *q);
        if (!q)
                return -ENOMEM;
        q->manager = m;
        q->action = action;
        q->call = sd_bus_message_ref(call);
        q->run = run;
        r = sd_bus_call_method_async(
                m->bus, &slot, "org.freedesktop.PolicyKit1", "/org/freedesktop/PolicyKit1/Authority",
                "org.freedesktop.PolicyKit1.Authority", "CheckAuthorization", polkit_reply, q,
                "(sa{sv})sa{ss}us", "system-bus-name", 1, "name", "s", sd_bus_message_get_sender(call),
                action, 0, (uint32_t) sd_bus_message_get_allow_interactive_authorization(call), "");
        if (r < 0) {
                polkit_query_free(q);
                return r;
        }
        (void) sd_bus_slot_set_destroy_callback(slot, polkit_query_free);
        (void) sd_bus_slot_set_floating(slot, true);
        return 1; /* replied later */
}

static int run_rescan(Manager *m, sd_bus_message *call) {
        int r = manager_rescan(m);
        if (r < 0)
                return sd_bus_reply_method_errnof(call, r, "Failed to rescan: %m");
        return sd_bus_reply_method_return(call, NULL);
}

static int method_rescan(sd_bus_message *call, void *userdata, sd_bus_error *error) {
        return bus_verify_polkit_async(userdata, call, "org.goguard.goguard1.rescan", run_rescan, error);
}

static const sd_bus_vtable manager_vtable[] = {
        SD_BUS_VTABLE_START(0),
        SD_BUS_PROPERTY("Version", "s", property_get_version, 0, SD_BUS_VTABLE_PROPERTY_CONST),
        SD_BUS_PROPERTY("StartTimestamp", "t", NULL, offsetof(Manager, start_timestamp),
                        SD_BUS_VTABLE_PROPERTY_CONST),
        SD_BUS_PROPERTY("WatchedUnits", "u", property_get_watched_units, 0,
                        SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
        SD_BUS_PROPERTY("GoUnits", "u", NULL, offsetof(Manager, n_go_units),
                        SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
        SD_BUS_PROPERTY("OpenFindingsBySeverity", "a{su}", property_get_open_findings, 0,
                        SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
        SD_BUS_PROPERTY("Sources", "as", property_get_sources, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
        SD_BUS_PROPERTY("SourceDetails", "a(ss)", property_get_source_details, 0,
                        SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
        SD_BUS_PROPERTY("CGroupVersion", "s", property_get_cgroup_version, 0, SD_BUS_VTABLE_PROPERTY_CONST),
        /* Counters that change with every journal entry: read on demand, never signalled. */
        SD_BUS_PROPERTY("JournalEntriesRead", "t", NULL, offsetof(Manager, watch_journal.entries), 0),
        SD_BUS_PROPERTY("JournalEntriesSkipped", "t", NULL, offsetof(Manager, watch_journal.corrupt), 0),
        SD_BUS_PROPERTY("FindingsRefused", "t", property_get_findings_refused, 0, 0),
        SD_BUS_METHOD_WITH_ARGS("ListGoUnits", SD_BUS_NO_ARGS, SD_BUS_RESULT("a(sossssu)", units),
                                method_list_go_units, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("GetUnit", SD_BUS_ARGS("s", name), SD_BUS_RESULT("o", unit), method_get_unit,
                                SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("InspectUnitExecutable", SD_BUS_ARGS("s", name), SD_BUS_RESULT("h", json),
                                method_inspect_unit_executable, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("Rescan", SD_BUS_NO_ARGS, SD_BUS_NO_RESULT, method_rescan,
                                SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("ListFindings", SD_BUS_ARGS("a{sv}", filter, "u", offset, "u", limit),
                                SD_BUS_RESULT("a(ssssssttt)", findings, "u", total),
                                bus_method_list_findings, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("GetFinding", SD_BUS_ARGS("s", id), SD_BUS_RESULT("a{sv}", finding),
                                bus_method_get_finding, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("DumpFindings", SD_BUS_NO_ARGS, SD_BUS_RESULT("h", json),
                                bus_method_dump_findings, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("AcknowledgeFinding", SD_BUS_ARGS("s", id), SD_BUS_NO_RESULT,
                                bus_method_acknowledge_finding, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("DismissFinding", SD_BUS_ARGS("s", id), SD_BUS_NO_RESULT,
                                bus_method_dismiss_finding, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_SIGNAL_WITH_ARGS("FindingAdded",
                                SD_BUS_ARGS("s", id, "s", unit, "s", class, "s", severity, "s", summary), 0),
        SD_BUS_SIGNAL_WITH_ARGS("FindingUpdated",
                                SD_BUS_ARGS("s", id, "s", unit, "s", state, "t", count, "t", last_seen), 0),
        SD_BUS_SIGNAL_WITH_ARGS("FindingResolved", SD_BUS_ARGS("s", id, "s", unit), 0),
        SD_BUS_VTABLE_END,
};

static int emit_counts(sd_event_source *s, void *userdata) {
        Manager *m = userdata;
        int r = sd_bus_emit_properties_changed(m->bus, MANAGER_BUS_PATH, MANAGER_IFACE, "WatchedUnits",
                                               "GoUnits", NULL);
        if (r >= 0 && m->sources_changed)
                r = sd_bus_emit_properties_changed(m->bus, MANAGER_BUS_PATH, MANAGER_IFACE, "Sources",
                                                   "SourceDetails", NULL);
        m->sources_changed = false;
        if (r < 0)
                log_debug("Failed to emit PropertiesChanged for the manager: %s", strerror(-r));
        return sd_event_source_set_enabled(s, SD_EVENT_OFF);
}

/* Coalesced: one signal per loop iteration however many units came or went. */
void manager_bus_counts_changed(Manager *m) {
        if (!m->counts_event) {
                int r = sd_event_add_defer(m->event, &m->counts_event, emit_counts, m);
                if (r < 0)
                        log_debug("Failed to schedule a counts signal: %s", strerror(-r));
                return;
        }
        (void) sd_event_source_set_enabled(m->counts_event, SD_EVENT_ONESHOT);
}

int manager_bus_setup(Manager *m) {
        int r;

        r = sd_bus_add_object_vtable(m->bus, NULL, MANAGER_BUS_PATH, MANAGER_IFACE, manager_vtable, m);
        if (r >= 0)
                r = sd_bus_add_fallback_vtable(m->bus, NULL, MANAGER_UNIT_PATH_PREFIX, UNIT_IFACE,
                                               bus_unit_vtable, bus_unit_find, m);
        if (r >= 0)
                r = sd_bus_add_node_enumerator(m->bus, NULL, MANAGER_UNIT_PATH_PREFIX, bus_unit_enumerate,
                                               m);
        if (r >= 0)
                r = sd_bus_add_object_manager(m->bus, NULL, MANAGER_BUS_PATH);
        if (r >= 0)
                r = sd_bus_error_add_map(goguard_errors);
        if (r < 0)
                return log_error_errno(r, "Failed to register bus objects: %m");
        return 0;
}
