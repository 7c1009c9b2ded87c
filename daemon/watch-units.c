/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The service manager as a source: every loaded service unit, its settings and state, kept
 * current through PID 1's signals. Order at start (and after PID 1 re-executes): install the
 * matches, Subscribe, then enumerate, so nothing that happens in between is missed. */
#include <signal.h>
#include <stddef.h>
#include <string.h>

#include "bus-map.h"
#include "log.h"
#include "manager.h"
#include "strv.h"
#include "unit-name.h"
#include "watched-unit.h"

#define SYSTEMD_DEST         "org.freedesktop.systemd1"
#define SYSTEMD_PATH         "/org/freedesktop/systemd1"
#define SYSTEMD_MANAGER      "org.freedesktop.systemd1.Manager"
#define SYSTEMD_UNIT_PATH_NS "/org/freedesktop/systemd1/unit"

#define S(field) offsetof(UnitSettings, field)

static const BusPropMap service_map[] = {
        { "ExecStart", BUS_MAP_EXEC_PATH, 0, UNIT_CHANGE_SETTINGS },
        { "Type", BUS_MAP_STRING, S(type), UNIT_CHANGE_SETTINGS },
        { "Restart", BUS_MAP_STRING, S(restart), UNIT_CHANGE_SETTINGS },
        { "OOMPolicy", BUS_MAP_STRING, S(oom_policy), UNIT_CHANGE_SETTINGS },
        { "Result", BUS_MAP_STRING, S(result), UNIT_CHANGE_STATE },
        { "User", BUS_MAP_STRING, S(user), UNIT_CHANGE_SETTINGS },
        { "ControlGroup", BUS_MAP_STRING, S(control_group), UNIT_CHANGE_SETTINGS },
        { "DynamicUser", BUS_MAP_BOOL, S(dynamic_user), UNIT_CHANGE_SETTINGS },
        { "MainPID", BUS_MAP_U32, S(main_pid), UNIT_CHANGE_STATE },
        { "NRestarts", BUS_MAP_U32, S(n_restarts), UNIT_CHANGE_STATE },
        { "ExecMainCode", BUS_MAP_I32, S(exec_main_code), 0 },
        { "ExecMainStatus", BUS_MAP_I32, S(exec_main_status), 0 },
        { "ExecMainExitTimestamp", BUS_MAP_U64, S(exec_main_exit_timestamp), 0 },
        { "LimitNOFILE", BUS_MAP_U64, S(limit_nofile), UNIT_CHANGE_SETTINGS },
        { "LimitNOFILESoft", BUS_MAP_U64, S(limit_nofile_soft), UNIT_CHANGE_SETTINGS },
        { "LimitNPROC", BUS_MAP_U64, S(limit_nproc), UNIT_CHANGE_SETTINGS },
        { "LimitNPROCSoft", BUS_MAP_U64, S(limit_nproc_soft), UNIT_CHANGE_SETTINGS },
        { "TasksMax", BUS_MAP_U64, S(tasks_max), UNIT_CHANGE_SETTINGS },
        { "MemoryMax", BUS_MAP_U64, S(memory_max), UNIT_CHANGE_SETTINGS },
        { "MemoryHigh", BUS_MAP_U64, S(memory_high), UNIT_CHANGE_SETTINGS },
        { "MemoryLimit", BUS_MAP_U64, S(memory_limit), UNIT_CHANGE_SETTINGS },
        { "MemorySwapMax", BUS_MAP_U64, S(memory_swap_max), UNIT_CHANGE_SETTINGS },
        { "CPUQuotaPerSecUSec", BUS_MAP_U64, S(cpu_quota_per_sec_usec), UNIT_CHANGE_SETTINGS },
        { "AmbientCapabilities", BUS_MAP_U64, S(ambient_capabilities), UNIT_CHANGE_SETTINGS },
        { "RestartUSec", BUS_MAP_U64, S(restart_usec), UNIT_CHANGE_SETTINGS },
        { "WatchdogUSec", BUS_MAP_U64, S(watchdog_usec), UNIT_CHANGE_SETTINGS },
        { "TimeoutStartUSec", BUS_MAP_U64, S(timeout_start_usec), UNIT_CHANGE_SETTINGS },
        { "TimeoutStopUSec", BUS_MAP_U64, S(timeout_stop_usec), UNIT_CHANGE_SETTINGS },
        { "KillSignal", BUS_MAP_I32, S(kill_signal), UNIT_CHANGE_SETTINGS },
        { "KillMode", BUS_MAP_STRING, S(kill_mode), UNIT_CHANGE_SETTINGS },
        { "Environment", BUS_MAP_STRV, S(environment), UNIT_CHANGE_ENVIRONMENT },
        { "EnvironmentFiles", BUS_MAP_ENV_FILES, 0, UNIT_CHANGE_ENVIRONMENT },
        /* The unit's view of /etc/resolv.conf and of the network (dns-resolution). */
        { "RootDirectory", BUS_MAP_STRING, S(root_directory), UNIT_CHANGE_SETTINGS },
        { "RootImage", BUS_MAP_STRING, S(root_image), UNIT_CHANGE_SETTINGS },
        { "PrivateNetwork", BUS_MAP_BOOL, S(private_network), UNIT_CHANGE_SETTINGS },
        { "BindPaths", BUS_MAP_BIND_PATHS, S(bind_paths), UNIT_CHANGE_SETTINGS },
        { "BindReadOnlyPaths", BUS_MAP_BIND_PATHS, S(bind_read_only_paths), UNIT_CHANGE_SETTINGS },
        /* The loader family: where the unit may execute files. */
        { "ExecPaths", BUS_MAP_STRV, S(exec_paths), UNIT_CHANGE_SETTINGS },
        { "NoExecPaths", BUS_MAP_STRV, S(no_exec_paths), UNIT_CHANGE_SETTINGS },
        /* runs-as-root: the capabilities the unit leaves its processes. */
        { "CapabilityBoundingSet", BUS_MAP_U64, S(capability_bounding_set), UNIT_CHANGE_SETTINGS },
        /* What ties a security denial to the unit (attribution rules 5 and 6), and what its
         * advice names. */
        { "AppArmorProfile", BUS_MAP_IGNORE_STRING, S(apparmor_profile), UNIT_CHANGE_SETTINGS },
        { "SELinuxContext", BUS_MAP_IGNORE_STRING, S(selinux_context), UNIT_CHANGE_SETTINGS },
        { "ReadWritePaths", BUS_MAP_STRV, S(read_write_paths), UNIT_CHANGE_SETTINGS },
        /* The preflight checks: what the unit sees, and who it runs as. */
        { "TemporaryFileSystem", BUS_MAP_PATH_OPTIONS, S(temporary_filesystem), UNIT_CHANGE_SETTINGS },
        { "Group", BUS_MAP_STRING, S(group), UNIT_CHANGE_SETTINGS },
        { "SupplementaryGroups", BUS_MAP_STRV, S(supplementary_groups), UNIT_CHANGE_SETTINGS },
};

static const BusPropMap unit_map[] = {
        { "ActiveState", BUS_MAP_STRING, S(active_state), UNIT_CHANGE_STATE },
        { "SubState", BUS_MAP_STRING, S(sub_state), UNIT_CHANGE_STATE },
        { "InvocationID", BUS_MAP_ID128, S(invocation_id), UNIT_CHANGE_STATE },
        { "ActiveEnterTimestamp", BUS_MAP_U64, S(active_enter_timestamp), 0 },
        { "StartLimitIntervalUSec", BUS_MAP_U64, S(start_limit_interval_usec), UNIT_CHANGE_SETTINGS },
        { "StartLimitBurst", BUS_MAP_U32, S(start_limit_burst), UNIT_CHANGE_SETTINGS },
        /* The unit file, for a denial of systemd's on it (tclass=service, path=). */
        { "FragmentPath", BUS_MAP_STRING, S(fragment_path), UNIT_CHANGE_SETTINGS },
};

/* The .socket units whose listeners PID 1 binds for it (a denial of that bind): on the
 * WatchedUnit, read from the same reply. */
static const BusPropMap watched_unit_map[] = {
        { "TriggeredBy", BUS_MAP_STRV, offsetof(WatchedUnit, triggered_by), UNIT_CHANGE_SETTINGS },
};

/* Sockets and listeners kept per unit: a service is started by a few sockets at most. */
#define SOCKETS_PER_UNIT_MAX   8u
#define LISTENERS_PER_UNIT_MAX 64u

/* A reply may arrive after its unit is gone or was refreshed again: look the unit up by name
 * and drop replies older than the newest request. */
typedef struct CallContext {
        Manager *manager;
        unsigned generation;
        bool counted; /* part of the initial enumeration */
        bool query;   /* a per-unit query, limited in flight */
        char name[];
} CallContext;

static void pump_queries(Manager *m);
static int call_async(Manager *m, const char *path, const char *interface, const char *member,
                      sd_bus_message_handler_t handler, const char *name, unsigned generation, bool query,
                      const char *types, ...);
static void refresh_socket_listen(Manager *m, WatchedUnit *u);

static void call_done(Manager *m, CallContext *c) {
        if (c->query && m->watch_units.queries_in_flight > 0) {
                m->watch_units.queries_in_flight--;
                pump_queries(m);
        }
        if (c->counted && m->watch_units.pending_calls > 0)
                m->watch_units.pending_calls--;
        watch_units_check_ready(m);
}

void watch_units_check_ready(Manager *m) {
        /* Ready when the first scan has nothing left: no call out, none queued, no executable
         * still being read. */
        if (!m->ready_notified && m->watch_units.pending_calls == 0 && m->watch_units.query_queue_len == 0 &&
            !m->watch_units.enumerating && exe_inspector_pending(m->inspector) == 0)
                manager_units_ready(m);
}

static int call_async(Manager *m, const char *path, const char *interface, const char *member,
                      sd_bus_message_handler_t handler, const char *name, unsigned generation, bool query,
                      const char *types, ...) {
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *msg = NULL;
        sd_bus_slot *slot = NULL;
        va_list ap;
        int r;

        size_t n = name ? strlen(name) : 0;
        CallContext *c = calloc(1, sizeof *c + n + 1);
        if (!c)
                return -ENOMEM;
        c->manager = m;
        c->generation = generation;
        c->counted = !m->ready_notified;
        c->query = query;
        if (name)
                memcpy(c->name, name, n + 1);

        r = sd_bus_message_new_method_call(m->systemd_bus, &msg, SYSTEMD_DEST, path, interface, member);
        if (r < 0)
                goto fail;
        if (types) {
                va_start(ap, types);
                r = sd_bus_message_appendv(msg, types, ap);
                va_end(ap);
                if (r < 0)
                        goto fail;
        }
        r = sd_bus_call_async(m->systemd_bus, &slot, msg, handler, c, 0);
        if (r < 0)
                goto fail;
        /* The bus owns the slot from here; the context goes with it. */
        (void) sd_bus_slot_set_destroy_callback(slot, free);
        (void) sd_bus_slot_set_floating(slot, true);
        if (c->counted)
                m->watch_units.pending_calls++;
        if (query)
                m->watch_units.queries_in_flight++;
        return 0;
fail:
        free(c);
        return r;
}

static int unit_props_reply(sd_bus_message *reply, void *userdata, sd_bus_error *error) {
        CallContext *c = userdata;
        Manager *m = c->manager;
        WatchedUnit *u = hashmap_get(m->units, c->name);

        if (u && c->generation == u->refresh_generation) {
                if (sd_bus_message_is_method_error(reply, NULL))
                        log_debug("Failed to read unit properties of %s: %s", c->name,
                                  sd_bus_message_get_error(reply)->message);
                else {
                        int r = bus_map_properties(reply, unit_map, ELEMENTSOF(unit_map), &u->settings);
                        if (r >= 0 && sd_bus_message_rewind(reply, true) >= 0 &&
                            bus_map_properties(reply, watched_unit_map, ELEMENTSOF(watched_unit_map), u) > 0)
                                refresh_socket_listen(m, u);
                        if (r < 0)
                                log_warning_errno(r, "Failed to parse unit properties of %s, ignoring: %m",
                                                  c->name);
                        else {
                                u->have_unit_props = true;
                                manager_unit_changed(m, u, (unsigned) r);
                        }
                }
        }
        call_done(m, c);
        return 0;
}

/* A socket's Listen, a(ss) of type and address, added to the unit's listeners. */
static int socket_listen_reply(sd_bus_message *reply, void *userdata, sd_bus_error *error) {
        CallContext *c = userdata;
        Manager *m = c->manager;
        WatchedUnit *u = hashmap_get(m->units, c->name);
        const char *type, *address;
        bool changed = false;
        int r;

        if (!u || c->generation != u->refresh_generation || sd_bus_message_is_method_error(reply, NULL))
                goto finish;
        r = sd_bus_message_enter_container(reply, 'v', "a(ss)");
        if (r >= 0)
                r = sd_bus_message_enter_container(reply, 'a', "(ss)");
        while (r >= 0 && (r = sd_bus_message_read(reply, "(ss)", &type, &address)) > 0) {
                if (strv_length(u->settings.socket_listen) >= 2 * LISTENERS_PER_UNIT_MAX)
                        continue;
                bool have = false;
                for (char **l = u->settings.socket_listen; l && l[0] && l[1] && !have; l += 2)
                        have = strcmp(l[0], type) == 0 && strcmp(l[1], address) == 0;
                if (have)
                        continue;
                if (strv_extend(&u->settings.socket_listen, type) < 0 ||
                    strv_extend(&u->settings.socket_listen, address) < 0) {
                        r = -ENOMEM;
                        break;
                }
                changed = true;
        }
        if (r < 0)
                log_debug("Failed to read the listeners of %s's sockets: %s", c->name, strerror(-r));
        if (changed)
                manager_unit_changed(m, u, UNIT_CHANGE_SETTINGS);
finish:
        call_done(m, c);
        return 0;
}

/* The listeners of the sockets that trigger u, asked anew when TriggeredBy= changed. */
static void refresh_socket_listen(Manager *m, WatchedUnit *u) {
        strv_free(u->settings.socket_listen);
        u->settings.socket_listen = NULL;
        size_t n = 0;
        for (char **s = u->triggered_by; s && *s && n < SOCKETS_PER_UNIT_MAX; s++) {
                size_t len = strlen(*s);
                if (len < 8 || strcmp(*s + len - 7, ".socket") != 0)
                        continue;
                _cleanup_free_ char *path = NULL;
                int r = sd_bus_path_encode(SYSTEMD_UNIT_PATH_NS, *s, &path);
                if (r >= 0)
                        r = call_async(m, path, "org.freedesktop.DBus.Properties", "Get",
                                       socket_listen_reply, u->name, u->refresh_generation, false, "ss",
                                       "org.freedesktop.systemd1.Socket", "Listen");
                if (r < 0)
                        log_debug("Failed to ask for the listeners of %s: %s", *s, strerror(-r));
                n++;
        }
}

static int send_unit_props(Manager *m, WatchedUnit *u) {
        return call_async(m, u->systemd_path, "org.freedesktop.DBus.Properties", "GetAll", unit_props_reply,
                          u->name, u->refresh_generation, true, "s", "org.freedesktop.systemd1.Unit");
}

static int enqueue_query(Manager *m, WatchedUnit *u, char kind);

static int refresh_unit_props(Manager *m, WatchedUnit *u) {
        return enqueue_query(m, u, 'U');
}

int watch_units_read_unit(Manager *m, WatchedUnit *u) {
        return refresh_unit_props(m, u);
}

static int service_props_reply(sd_bus_message *reply, void *userdata, sd_bus_error *error) {
        CallContext *c = userdata;
        Manager *m = c->manager;
        WatchedUnit *u = hashmap_get(m->units, c->name);

        if (u && c->generation == u->refresh_generation) {
                if (sd_bus_message_is_method_error(reply, NULL))
                        /* Gone between the listing and the call: UnitRemoved follows. */
                        log_debug("Failed to read service properties of %s: %s", c->name,
                                  sd_bus_message_get_error(reply)->message);
                else {
                        int r = bus_map_properties(reply, service_map, ELEMENTSOF(service_map),
                                                   &u->settings);
                        if (r < 0)
                                log_warning_errno(r, "Failed to parse properties of %s, ignoring: %m",
                                                  c->name);
                        else {
                                unsigned changes = (unsigned) r;
                                u->have_service_props = true;
                                changes |= (unsigned) manager_evaluate_executable(m, u, false);
                                /* ControlGroup= is known now, and with it the task count. */
                                if (u->is_go && manager_sample_unit(m, u) > 0)
                                        changes |= UNIT_CHANGE_SAMPLE;
                                /* Only Go units need the Unit interface beyond what the listing and
                                 * PropertiesChanged give; fetch it while the reply context counts. */
                                if (u->is_go) {
                                        r = refresh_unit_props(m, u);
                                        if (r < 0)
                                                log_warning_errno(r, "Failed to query %s: %m", u->name);
                                }
                                manager_unit_changed(m, u, changes);
                                /* The EnvironmentFile= files again at every start and reload:
                                 * their contents change without their names. The check reads
                                 * them, on the inspector's thread. */
                                if (u->settings.n_environment_files > 0 || u->environment_files)
                                        manager_findings_check_unit(m, u);
                        }
                }
        }
        call_done(m, c);
        return 0;
}

static int send_service_props(Manager *m, WatchedUnit *u) {
        return call_async(m, u->systemd_path, "org.freedesktop.DBus.Properties", "GetAll",
                          service_props_reply, u->name, u->refresh_generation, true, "s",
                          "org.freedesktop.systemd1.Service");
}

/* The bus limits the replies one connection may wait for (128 on the system bus by default):
 * 1000 units queried at once would see most calls refused. So at most QUERIES_IN_FLIGHT_MAX
 * per-unit queries are out at a time; the rest wait here, once per unit and kind. */
static int enqueue_query(Manager *m, WatchedUnit *u, char kind) {
        bool *queued = kind == 'S' ? &u->service_query_queued : &u->unit_query_queued;
        if (*queued)
                return 0;
        if (m->watch_units.queries_in_flight < QUERIES_IN_FLIGHT_MAX && m->watch_units.query_queue_len == 0)
                return kind == 'S' ? send_service_props(m, u) : send_unit_props(m, u);
        if (m->watch_units.query_queue_len == m->watch_units.query_queue_alloc) {
                size_t n = m->watch_units.query_queue_alloc ? m->watch_units.query_queue_alloc * 2 : 64;
                char **q = calloc(n, sizeof(char *));
                if (!q)
                        return -ENOMEM;
                for (size_t i = 0; i < m->watch_units.query_queue_len; i++)
                        q[i] = m->watch_units.query_queue[(m->watch_units.query_queue_head + i) %
                                                          m->watch_units.query_queue_alloc];
                free(m->watch_units.query_queue);
                m->watch_units.query_queue = q;
                m->watch_units.query_queue_alloc = n;
                m->watch_units.query_queue_head = 0;
        }
        char *entry;
        if (asprintf(&entry, "%c%s", kind, u->name) < 0)
                return -ENOMEM;
        m->watch_units.query_queue[(m->watch_units.query_queue_head + m->watch_units.query_queue_len) %
                                   m->watch_units.query_queue_alloc] = entry;
        m->watch_units.query_queue_len++;
        *queued = true;
        return 0;
}

static void pump_queries(Manager *m) {
        while (m->watch_units.queries_in_flight < QUERIES_IN_FLIGHT_MAX &&
               m->watch_units.query_queue_len > 0) {
                _cleanup_free_ char *entry = m->watch_units.query_queue[m->watch_units.query_queue_head];
                m->watch_units.query_queue_head =
                        (m->watch_units.query_queue_head + 1) % m->watch_units.query_queue_alloc;
                m->watch_units.query_queue_len--;
                WatchedUnit *u = hashmap_get(m->units, entry + 1);
                if (!u)
                        continue; /* gone meanwhile */
                int r;
                if (entry[0] == 'S') {
                        u->service_query_queued = false;
                        r = send_service_props(m, u);
                } else {
                        u->unit_query_queued = false;
                        r = send_unit_props(m, u);
                }
                if (r < 0)
                        log_warning_errno(r, "Failed to query %s, ignoring: %m", u->name);
        }
}

static int refresh_service(Manager *m, WatchedUnit *u) {
        u->refresh_generation++;
        return enqueue_query(m, u, 'S');
}

/* Querying a unit's object makes PID 1 load it: a query that arrives after an inactive unit
 * was garbage-collected brings it back (UnitNew), and answering that with another query loops
 * forever. So units are queried only while something keeps them loaded: they run, start, stop
 * or reload. Inactive units are read once, in the listing, and from their signals after. */
static bool unit_is_live(const WatchedUnit *u) {
        const char *s = u->settings.active_state;
        return s &&
               (strcmp(s, "active") == 0 || strcmp(s, "activating") == 0 || strcmp(s, "reloading") == 0 ||
                strcmp(s, "deactivating") == 0 || strcmp(s, "refreshing") == 0);
}

static WatchedUnit *add_unit(Manager *m, const char *name, const char *path) {
        WatchedUnit *u = hashmap_get(m->units, name);
        if (u)
                return u;
        if (hashmap_size(m->units) >= MANAGER_UNITS_MAX) {
                log_warning_errno(E2BIG, "Watching %u units already, ignoring %s.", MANAGER_UNITS_MAX, name);
                return NULL;
        }
        int r = watched_unit_new(name, path, &u);
        if (r >= 0) {
                u->manager = m;
                r = hashmap_put(m->units, u->name, u);
                if (r >= 0) {
                        r = hashmap_put(m->units_by_path, u->systemd_path, u);
                        if (r < 0)
                                hashmap_remove(m->units, u->name);
                }
                if (r < 0)
                        u = watched_unit_free(u);
        }
        if (r < 0) {
                log_error_errno(r, "Failed to track %s, ignoring: %m", name);
                return NULL;
        }
        return u;
}

static int list_units_reply(sd_bus_message *reply, void *userdata, sd_bus_error *error) {
        CallContext *c = userdata;
        Manager *m = c->manager;
        const char *name, *active, *sub, *path;
        int r;

        m->watch_units.enumerating = false;
        if (sd_bus_message_is_method_error(reply, NULL)) {
                log_error_errno(EIO, "Failed to list units: %s", sd_bus_message_get_error(reply)->message);
                goto finish;
        }
        m->watch_units.enumeration_generation++;
        r = sd_bus_message_enter_container(reply, 'a', "(ssssssouso)");
        if (r < 0)
                goto parse_error;
        while ((r = sd_bus_message_read(reply, "(ssssssouso)", &name, NULL, NULL, &active, &sub, NULL, &path,
                                        NULL, NULL, NULL)) > 0) {
                if (!unit_name_is_service(name))
                        continue;
                WatchedUnit *u = add_unit(m, name, path);
                if (!u)
                        continue;
                if (!u->settings.active_state || strcmp(u->settings.active_state, active) != 0) {
                        free(u->settings.active_state);
                        u->settings.active_state = strdup(active);
                }
                if (!u->settings.sub_state || strcmp(u->settings.sub_state, sub) != 0) {
                        free(u->settings.sub_state);
                        u->settings.sub_state = strdup(sub);
                }
                /* Mark as seen: the sweep below removes what the manager no longer has. */
                u->seen_generation = m->watch_units.enumeration_generation;
                r = refresh_service(m, u);
                if (r < 0)
                        log_warning_errno(r, "Failed to query %s, ignoring: %m", name);
        }
        if (r < 0)
                goto parse_error;

        /* Sweep units the manager no longer lists (collected while we were not looking). */
        for (;;) {
                size_t i = 0;
                void *v;
                WatchedUnit *gone = NULL;
                /* A live unit cannot be unloaded without UnitRemoved: one missing from a listing
                 * taken while PID 1 re-executes stays. */
                while (hashmap_iterate(m->units, &i, &v, NULL))
                        if (((WatchedUnit *) v)->seen_generation != m->watch_units.enumeration_generation &&
                            !unit_is_live(v)) {
                                gone = v;
                                break;
                        }
                if (!gone)
                        break;
                manager_remove_unit(m, gone);
        }
        manager_counts_changed(m);
        goto finish;

parse_error:
        log_error_errno(r, "Failed to parse unit list: %m");
finish:
        call_done(m, c);
        return 0;
}

static int enumerate(Manager *m) {
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *msg = NULL;
        if (m->watch_units.enumerating)
                return 0;
        m->watch_units.enumerating = true;
        int r = call_async(m, SYSTEMD_PATH, SYSTEMD_MANAGER, "ListUnitsByPatterns", list_units_reply, NULL,
                           0, false, "asas", 0, 1, "*.service");
        if (r < 0)
                m->watch_units.enumerating = false;
        return r;
}

static int subscribe_reply(sd_bus_message *reply, void *userdata, sd_bus_error *error) {
        CallContext *c = userdata;
        if (sd_bus_message_is_method_error(reply, NULL))
                log_warning_errno(EIO, "Failed to subscribe to the service manager, ignoring: %s",
                                  sd_bus_message_get_error(reply)->message);
        call_done(c->manager, c);
        return 0;
}

static int subscribe_and_enumerate(Manager *m) {
        int r = call_async(m, SYSTEMD_PATH, SYSTEMD_MANAGER, "Subscribe", subscribe_reply, NULL, 0, false,
                           NULL);
        if (r < 0)
                return log_error_errno(r, "Failed to subscribe to the service manager: %m");
        r = enumerate(m);
        if (r < 0)
                return log_error_errno(r, "Failed to enumerate units: %m");
        return 0;
}

static int on_unit_new(sd_bus_message *msg, void *userdata, sd_bus_error *error) {
        Manager *m = userdata;
        const char *name, *path;
        if (sd_bus_message_read(msg, "so", &name, &path) < 0 || !unit_name_is_service(name))
                return 0;
        if (hashmap_get(m->units, name))
                return 0;
        WatchedUnit *u = add_unit(m, name, path);
        if (u) {
                /* Just loaded, not yet started: its state signals will say when to look. */
                u->seen_generation = m->watch_units.enumeration_generation;
                manager_counts_changed(m);
        }
        return 0;
}

static int on_unit_removed(sd_bus_message *msg, void *userdata, sd_bus_error *error) {
        Manager *m = userdata;
        const char *name, *path;
        if (sd_bus_message_read(msg, "so", &name, &path) < 0)
                return 0;
        WatchedUnit *u = hashmap_get(m->units, name);
        if (u)
                manager_remove_unit(m, u);
        return 0;
}

/* A .socket unit's Triggers: the services it starts. One loaded after the listing and not
 * started yet was never read: read now, so that a Go service's listeners, which PID 1 binds for
 * it, are known before PID 1 binds them again (attribution rule 5 of the security denials). */
static int socket_triggers_reply(sd_bus_message *reply, void *userdata, sd_bus_error *error) {
        CallContext *c = userdata;
        Manager *m = c->manager;
        const char *name;
        size_t n = 0;
        int r = sd_bus_message_is_method_error(reply, NULL) ? -EIO : 0;
        if (r >= 0)
                r = sd_bus_message_enter_container(reply, 'v', "as");
        if (r >= 0)
                r = sd_bus_message_enter_container(reply, 'a', "s");
        while (r >= 0 && n++ < SOCKETS_PER_UNIT_MAX && (r = sd_bus_message_read(reply, "s", &name)) > 0) {
                WatchedUnit *u = hashmap_get(m->units, name);
                if (u && !u->have_service_props)
                        (void) refresh_service(m, u);
        }
        call_done(m, c);
        return 0;
}

static void read_socket_triggers(Manager *m, const char *socket) {
        _cleanup_free_ char *path = NULL;
        int r = sd_bus_path_encode(SYSTEMD_UNIT_PATH_NS, socket, &path);
        if (r >= 0)
                r = call_async(m, path, "org.freedesktop.DBus.Properties", "Get", socket_triggers_reply,
                               NULL, 0, false, "ss", "org.freedesktop.systemd1.Unit", "Triggers");
        if (r < 0)
                log_debug("Failed to ask what %s starts: %s", socket, strerror(-r));
}

static int on_job_removed(sd_bus_message *msg, void *userdata, sd_bus_error *error) {
        Manager *m = userdata;
        const char *job, *name, *result;
        uint32_t id;
        if (sd_bus_message_read(msg, "uoss", &id, &job, &name, &result) < 0)
                return 0;
        size_t len = strlen(name);
        if (len > 7 && strcmp(name + len - 7, ".socket") == 0) {
                read_socket_triggers(m, name);
                return 0;
        }
        WatchedUnit *u = hashmap_get(m->units, name);
        if (u && unit_is_live(u))
                (void) refresh_service(m, u);
        return 0;
}

static int on_reloading(sd_bus_message *msg, void *userdata, sd_bus_error *error) {
        Manager *m = userdata;
        int active;
        if (sd_bus_message_read(msg, "b", &active) < 0)
                return 0;
        /* "const" properties (Environment=, limits, User=) change only across a reload; so may
         * what the host offers its programs. */
        if (!active) {
                (void) enumerate(m);
                manager_findings_host_changed(m);
        }
        return 0;
}

static int on_properties_changed(sd_bus_message *msg, void *userdata, sd_bus_error *error) {
        Manager *m = userdata;
        const char *interface;
        WatchedUnit *u = hashmap_get(m->units_by_path, sd_bus_message_get_path(msg));
        if (!u || sd_bus_message_read(msg, "s", &interface) < 0)
                return 0;

        bool is_unit = strcmp(interface, "org.freedesktop.systemd1.Unit") == 0;
        bool is_service = strcmp(interface, "org.freedesktop.systemd1.Service") == 0;
        if (!is_unit && !is_service)
                return 0;

        bool was_live = unit_is_live(u);
        uint64_t last_exit = u->settings.exec_main_exit_timestamp;
        int r = is_unit ? bus_map_properties(msg, unit_map, ELEMENTSOF(unit_map), &u->settings)
                        : bus_map_properties(msg, service_map, ELEMENTSOF(service_map), &u->settings);
        if (r < 0) {
                log_debug("Failed to parse PropertiesChanged of %s: %s", u->name, strerror(-r));
                return 0;
        }
        unsigned changes = (unsigned) r;
        /* The main process just died of SIGKILL: tell the correlator now, PID 1's message
         * about it reaches the journal's readers a third of a second later. */
        if (is_service && u->settings.exec_main_exit_timestamp != last_exit &&
            u->settings.exec_main_code == CLD_KILLED && u->settings.exec_main_status == SIGKILL)
                manager_findings_main_process_killed(m, u);
        /* Properties systemd only invalidates (ExecStart=) need a query: only while it is live. */
        char **invalidated = NULL;
        bool need_query = is_unit ? (!was_live && unit_is_live(u))
                                  : (sd_bus_message_read_strv(msg, &invalidated) >= 0 && invalidated &&
                                     invalidated[0]);
        strv_free(invalidated);
        if (need_query && unit_is_live(u))
                (void) refresh_service(m, u);
        if (changes & UNIT_CHANGE_STATE)
                changes |= manager_evaluate_executable(m, u, false);
        if (changes)
                manager_unit_changed(m, u, changes);
        return 0;
}

static int on_name_owner_changed(sd_bus_message *msg, void *userdata, sd_bus_error *error) {
        Manager *m = userdata;
        const char *name, *old_owner, *new_owner;
        if (sd_bus_message_read(msg, "sss", &name, &old_owner, &new_owner) < 0)
                return 0;
        /* PID 1 re-executed (daemon-reexec) or came back: our subscription is gone with it. */
        if (strcmp(name, SYSTEMD_DEST) == 0 && new_owner[0]) {
                log_info("The service manager reconnected to the bus; subscribing again.");
                (void) subscribe_and_enumerate(m);
        }
        return 0;
}

int watch_units_rescan(Manager *m) {
        size_t i = 0;
        void *v;
        while (hashmap_iterate(m->units, &i, &v, NULL))
                (void) manager_evaluate_executable(m, v, true);
        return enumerate(m);
}

int watch_units_start(Manager *m) {
        sd_bus *bus = m->systemd_bus;
        size_t k = 0;
        int r;

        r = sd_bus_match_signal_async(bus, &m->watch_units.match_slots[k++], SYSTEMD_DEST, SYSTEMD_PATH,
                                      SYSTEMD_MANAGER, "UnitNew", on_unit_new, NULL, m);
        if (r >= 0)
                r = sd_bus_match_signal_async(bus, &m->watch_units.match_slots[k++], SYSTEMD_DEST,
                                              SYSTEMD_PATH, SYSTEMD_MANAGER, "UnitRemoved", on_unit_removed,
                                              NULL, m);
        if (r >= 0)
                r = sd_bus_match_signal_async(bus, &m->watch_units.match_slots[k++], SYSTEMD_DEST,
                                              SYSTEMD_PATH, SYSTEMD_MANAGER, "JobRemoved", on_job_removed,
                                              NULL, m);
        if (r >= 0)
                r = sd_bus_match_signal_async(bus, &m->watch_units.match_slots[k++], SYSTEMD_DEST,
                                              SYSTEMD_PATH, SYSTEMD_MANAGER, "Reloading", on_reloading, NULL,
                                              m);
        if (r >= 0)
                r = sd_bus_add_match_async(bus, &m->watch_units.match_slots[k++],
                                           "type='signal',sender='" SYSTEMD_DEST "',"
                                           "interface='org.freedesktop.DBus.Properties',"
                                           "member='PropertiesChanged',"
                                           "path_namespace='" SYSTEMD_UNIT_PATH_NS "'",
                                           on_properties_changed, NULL, m);
        if (r >= 0)
                r = sd_bus_add_match_async(bus, &m->watch_units.match_slots[k++],
                                           "type='signal',sender='org.freedesktop.DBus',"
                                           "interface='org.freedesktop.DBus',member='NameOwnerChanged',"
                                           "arg0='" SYSTEMD_DEST "'",
                                           on_name_owner_changed, NULL, m);
        if (r < 0)
                return log_error_errno(r, "Failed to install matches for the service manager: %m");

        r = subscribe_and_enumerate(m);
        if (r < 0)
                return r;
        m->sources |= SOURCE_SYSTEMD;
        return 0;
}

void watch_units_done(WatchUnits *w) {
        for (size_t i = 0; i < ELEMENTSOF(w->match_slots); i++)
                w->match_slots[i] = sd_bus_slot_unref(w->match_slots[i]);
        for (size_t i = 0; i < w->query_queue_len; i++)
                free(w->query_queue[(w->query_queue_head + i) % w->query_queue_alloc]);
        w->query_queue = mfree(w->query_queue);
        w->query_queue_len = 0;
}
