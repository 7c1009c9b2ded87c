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
#include "unit-props.h"
#include "watched-unit.h"

#define SYSTEMD_DEST         "org.freedesktop.systemd1"
#define SYSTEMD_PATH         "/org/freedesktop/systemd1"
#define SYSTEMD_MANAGER      "org.freedesktop.systemd1.Manager"
#define SYSTEMD_UNIT_PATH_NS "/org/freedesktop/systemd1/unit"
#define SYSTEMD_SERVICE      "org.freedesktop.systemd1.Service"

/* Per-unit queries out at once after READY for the background reads (QUERIES_IN_FLIGHT_MAX for
 * the rest): they leave PID 1 room for everyone else. */
#define BACKGROUND_IN_FLIGHT_MAX 8u

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
static int send_light(Manager *m, WatchedUnit *u);

static void call_done(Manager *m, CallContext *c) {
        if (c->query && m->watch_units.queries_in_flight > 0) {
                m->watch_units.queries_in_flight--;
                pump_queries(m);
        }
        if (c->counted && m->watch_units.pending_calls > 0)
                m->watch_units.pending_calls--;
        watch_units_check_ready(m);
}

/* The unit a reply is for, if the reply is to its newest request. */
static WatchedUnit *reply_unit(CallContext *c) {
        WatchedUnit *u = hashmap_get(c->manager->units, c->name);
        return u && c->generation == u->refresh_generation ? u : NULL;
}

void watch_units_check_ready(Manager *m) {
        /* Ready when the first scan has nothing left: no call out, none queued, no executable
         * still being read. */
        if (!m->ready_notified && m->watch_units.pending_calls == 0 && m->watch_units.queue.len == 0 &&
            !m->watch_units.enumerating && exe_inspector_pending(m->inspector) == 0) {
                manager_units_ready(m);
                pump_queries(m); /* the background reads wait for this */
        }
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
        WatchedUnit *u = reply_unit(c);

        if (u) {
                if (sd_bus_message_is_method_error(reply, NULL))
                        log_debug("Failed to read unit properties of %s: %s", c->name,
                                  sd_bus_message_get_error(reply)->message);
                else {
                        int r = bus_map_properties(reply, unit_prop_map, unit_prop_map_len, &u->settings);
                        if (r >= 0 && sd_bus_message_rewind(reply, true) >= 0 &&
                            bus_map_properties(reply, watched_unit_prop_map, watched_unit_prop_map_len, u) >
                                    0)
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
        WatchedUnit *u = reply_unit(c);
        const char *type, *address;
        bool changed = false;
        int r;

        if (!u || sd_bus_message_is_method_error(reply, NULL))
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
        WatchedUnit *u = reply_unit(c);

        if (u) {
                if (sd_bus_message_is_method_error(reply, NULL))
                        /* Gone between the listing and the call: UnitRemoved follows. */
                        log_debug("Failed to read service properties of %s: %s", c->name,
                                  sd_bus_message_get_error(reply)->message);
                else {
                        int r = bus_map_properties(reply, service_prop_map, service_prop_map_len,
                                                   &u->settings);
                        if (r < 0)
                                log_warning_errno(r, "Failed to parse properties of %s, ignoring: %m",
                                                  c->name);
                        else {
                                unsigned changes = (unsigned) r;
                                u->have_service_props = true;
                                u->light_pending = false;
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
 * per-unit queries are out at a time; the rest wait in a ring, once per unit and kind. */
static int ring_push(QueryRing *q, char kind, const char *name) {
        if (q->len == q->alloc) {
                size_t n = q->alloc ? q->alloc * 2 : 64;
                char **v = calloc(n, sizeof(char *));
                if (!v)
                        return -ENOMEM;
                for (size_t i = 0; i < q->len; i++)
                        v[i] = q->entries[(q->head + i) % q->alloc];
                free(q->entries);
                q->entries = v;
                q->alloc = n;
                q->head = 0;
        }
        char *entry;
        if (asprintf(&entry, "%c%s", kind, name) < 0)
                return -ENOMEM;
        q->entries[(q->head + q->len++) % q->alloc] = entry;
        return 0;
}

/* The oldest entry, "<kind><unit>", to be freed; NULL when empty. */
static char *ring_pop(QueryRing *q) {
        if (q->len == 0)
                return NULL;
        char *entry = q->entries[q->head];
        q->head = (q->head + 1) % q->alloc;
        q->len--;
        return entry;
}

static void ring_clear(QueryRing *q) {
        for (char *e; (e = ring_pop(q));)
                free(e);
        q->entries = mfree(q->entries);
        q->alloc = q->head = 0;
}

static bool *queued_flag(WatchedUnit *u, char kind) {
        return kind == 'S'   ? &u->service_query_queued
               : kind == 'U' ? &u->unit_query_queued
               : kind == 'L' ? &u->light_query_queued
                             : &u->background_queued;
}

static int send_query(Manager *m, WatchedUnit *u, char kind) {
        switch (kind) {
        case 'S': return send_service_props(m, u);
        case 'U': return send_unit_props(m, u);
        case 'L': return send_light(m, u);
        default:
                /* In the background: a whole read, newer than any before it. */
                u->refresh_generation++;
                return send_service_props(m, u);
        }
}

static int enqueue_query(Manager *m, WatchedUnit *u, char kind) {
        bool *queued = queued_flag(u, kind);
        if (*queued)
                return 0;
        if (kind != 'B' && m->watch_units.queries_in_flight < QUERIES_IN_FLIGHT_MAX &&
            m->watch_units.queue.len == 0)
                return send_query(m, u, kind);
        int r = ring_push(kind == 'B' ? &m->watch_units.background : &m->watch_units.queue, kind, u->name);
        if (r < 0)
                return r;
        *queued = true;
        if (kind == 'B')
                pump_queries(m);
        return 0;
}

static void pump_queries(Manager *m) {
        WatchUnits *w = &m->watch_units;
        for (;;) {
                QueryRing *q;
                if (w->queue.len > 0 && w->queries_in_flight < QUERIES_IN_FLIGHT_MAX)
                        q = &w->queue;
                else if (m->ready_notified && w->queue.len == 0 && w->background.len > 0 &&
                         w->queries_in_flight < BACKGROUND_IN_FLIGHT_MAX)
                        q = &w->background;
                else
                        break;
                _cleanup_free_ char *entry = ring_pop(q);
                WatchedUnit *u = hashmap_get(m->units, entry + 1);
                if (!u)
                        continue; /* gone meanwhile */
                *queued_flag(u, entry[0]) = false;
                int r = send_query(m, u, entry[0]);
                if (r < 0)
                        log_warning_errno(r, "Failed to query %s, ignoring: %m", u->name);
        }
}

static int refresh_service(Manager *m, WatchedUnit *u) {
        u->refresh_generation++;
        return enqueue_query(m, u, 'S');
}

/* ---- the light query of a listed unit: is it Go? ----
 * A Service GetAll makes PID 1 compute every property, its cgroup's memory, CPU, tasks, IO and
 * IP accounting among them: on a host of a thousand services that was most of goguardd's start.
 * So a listed unit not known to be Go is asked for ExecStart= and, while it is live, MainPID;
 * found Go, it is read whole before READY; any other is read whole after READY, in the
 * background (denial attribution and the same-user count read it). */
static int refresh_listed(Manager *m, WatchedUnit *u) {
        if (u->is_go)
                return refresh_service(m, u);
        u->refresh_generation++;
        u->light_pending = true;
        return enqueue_query(m, u, 'L');
}

void watch_units_unit_judged(Manager *m, WatchedUnit *u) {
        if (!u->light_pending || u->exe_pending)
                return;
        u->light_pending = false;
        int r = u->is_go ? refresh_service(m, u) : enqueue_query(m, u, 'B');
        if (r < 0)
                log_warning_errno(r, "Failed to query %s, ignoring: %m", u->name);
}

static void light_done(Manager *m, WatchedUnit *u, int r) {
        if (r < 0) {
                /* Whatever went wrong, the whole read says more. */
                log_debug("Failed to read what %s runs, reading it whole: %s", u->name, strerror(-r));
                u->light_pending = false;
                (void) refresh_service(m, u);
                return;
        }
        unsigned changes = manager_evaluate_executable(m, u, false);
        if (changes)
                manager_unit_changed(m, u, changes);
        watch_units_unit_judged(m, u);
}

static int get_reply_value(sd_bus_message *reply, const char *property, WatchedUnit *u) {
        if (sd_bus_message_is_method_error(reply, NULL))
                return -sd_bus_message_get_errno(reply) ?: -EIO;
        const BusPropMap *p = service_prop_find(property);
        return p ? bus_map_variant(reply, p, &u->settings) : -EINVAL;
}

static int main_pid_reply(sd_bus_message *reply, void *userdata, sd_bus_error *error) {
        CallContext *c = userdata;
        Manager *m = c->manager;
        WatchedUnit *u = reply_unit(c);
        if (u && u->light_pending)
                light_done(m, u, get_reply_value(reply, "MainPID", u));
        call_done(m, c);
        return 0;
}

static int exec_start_reply(sd_bus_message *reply, void *userdata, sd_bus_error *error) {
        CallContext *c = userdata;
        Manager *m = c->manager;
        WatchedUnit *u = reply_unit(c);
        if (u && u->light_pending) {
                int r = get_reply_value(reply, "ExecStart", u);
                bool asked = false;
                if (r >= 0 && unit_is_live(u)) {
                        /* Asked while this reply still counts: READY cannot come in between. */
                        r = call_async(m, u->systemd_path, "org.freedesktop.DBus.Properties", "Get",
                                       main_pid_reply, u->name, u->refresh_generation, true, "ss",
                                       SYSTEMD_SERVICE, "MainPID");
                        asked = r >= 0;
                }
                if (!asked)
                        light_done(m, u, r);
        }
        call_done(m, c);
        return 0;
}

static int send_light(Manager *m, WatchedUnit *u) {
        return call_async(m, u->systemd_path, "org.freedesktop.DBus.Properties", "Get", exec_start_reply,
                          u->name, u->refresh_generation, true, "ss", SYSTEMD_SERVICE, "ExecStart");
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
                r = refresh_listed(m, u);
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
        int r = is_unit ? bus_map_properties(msg, unit_prop_map, unit_prop_map_len, &u->settings)
                        : bus_map_properties(msg, service_prop_map, service_prop_map_len, &u->settings);
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
        ring_clear(&w->queue);
        ring_clear(&w->background);
}
