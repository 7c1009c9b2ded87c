/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The Unit objects on the bus, one per watched Go unit, and their signals. */
#include <string.h>

#include "bus-util.h"
#include "go-env.h"
#include "go-exe-json.h"
#include "go-sizing.h"
#include "loader-exec.h"
#include "log.h"
#include "manager-bus.h"
#include "manager.h"
#include "strv.h"
#include "watched-unit.h"

const char *bus_unit_cgo(const WatchedUnit *u) {
        if (!u->exe || !u->exe->exe || u->exe->exe->cgo < 0)
                return "unknown";
        return u->exe->exe->cgo ? "yes" : "no";
}

static const char *bus_unit_signal_handling(const WatchedUnit *u) {
        const char *h = u->exe && u->exe->exe ? go_exe_signal_handling(u->exe->exe) : NULL;
        return h ?: "unknown";
}

const char *bus_unit_linking(const WatchedUnit *u) {
        if (!u->exe || !u->exe->exe)
                return "unknown";
        return u->exe->exe->elf.dynamic ? "dynamic" : "static";
}

static const GoExe *unit_exe(const WatchedUnit *u) {
        return u->exe ? u->exe->exe : NULL;
}

#define UNIT_STRING_GETTER(fname, expr)                                                                     \
        static int fname(sd_bus *bus, const char *path, const char *interface, const char *property,        \
                         sd_bus_message *reply, void *userdata, sd_bus_error *error) {                      \
                WatchedUnit *u = userdata;                                                                  \
                const GoExe *x = unit_exe(u);                                                               \
                (void) x;                                                                                   \
                return bus_append_safe_string(reply, (expr));                                               \
        }

UNIT_STRING_GETTER(property_get_active_state, u->settings.active_state)
UNIT_STRING_GETTER(property_get_sub_state, u->settings.sub_state)
UNIT_STRING_GETTER(property_get_result, u->settings.result)
UNIT_STRING_GETTER(property_get_exec_start_path, u->settings.exec_start_path)
UNIT_STRING_GETTER(property_get_executable, u->exe_path)
UNIT_STRING_GETTER(property_get_go_version, watched_unit_go_version(u))
UNIT_STRING_GETTER(property_get_main_package, x && x->modinfo ? x->modinfo->path : NULL)
UNIT_STRING_GETTER(property_get_cgo, bus_unit_cgo(u))
UNIT_STRING_GETTER(property_get_signal_handling, bus_unit_signal_handling(u))
UNIT_STRING_GETTER(property_get_goos, x ? x->goos : NULL)
UNIT_STRING_GETTER(property_get_goarch, x ? x->goarch : NULL)
UNIT_STRING_GETTER(property_get_linking, bus_unit_linking(u))
UNIT_STRING_GETTER(property_get_elf_type, x ? elf_kind_to_string(x->elf.kind) : NULL)
UNIT_STRING_GETTER(property_get_interpreter, x ? x->elf.interpreter : NULL)
UNIT_STRING_GETTER(property_get_type, u->settings.type)
UNIT_STRING_GETTER(property_get_restart, u->settings.restart)
UNIT_STRING_GETTER(property_get_oom_policy, u->settings.oom_policy)
UNIT_STRING_GETTER(property_get_user, u->settings.user)
UNIT_STRING_GETTER(property_get_control_group, u->settings.control_group)
UNIT_STRING_GETTER(property_get_invocation_id, u->settings.invocation_id)

static int property_get_arch_level(sd_bus *bus, const char *path, const char *interface,
                                   const char *property, sd_bus_message *reply, void *userdata,
                                   sd_bus_error *error) {
        const GoExe *x = unit_exe(userdata);
        _cleanup_free_ char *s = NULL;
        if (x && x->arch_level && asprintf(&s, "%s=%s", x->arch_level_key, x->arch_level) < 0)
                return -ENOMEM;
        return bus_append_safe_string(reply, s);
}

static int property_get_main_module(sd_bus *bus, const char *path, const char *interface,
                                    const char *property, sd_bus_message *reply, void *userdata,
                                    sd_bus_error *error) {
        const GoExe *x = unit_exe(userdata);
        const GoModule *mod = x && x->modinfo ? &x->modinfo->main : NULL;
        return bus_append_safe_pair(reply, mod ? mod->path : NULL, mod ? mod->version : NULL);
}

static int property_get_needed(sd_bus *bus, const char *path, const char *interface, const char *property,
                               sd_bus_message *reply, void *userdata, sd_bus_error *error) {
        const GoExe *x = unit_exe(userdata);
        int r = sd_bus_message_open_container(reply, 'a', "(ss)");
        for (size_t i = 0; r >= 0 && x && i < x->elf.n_needed; i++)
                r = bus_append_safe_pair(reply, x->elf.needed[i].name, x->elf.needed[i].glibc_version);
        return r < 0 ? r : sd_bus_message_close_container(reply);
}

/* (topic, text): what the preflight checks say besides findings (lib/loader-exec.c). */
static int property_get_preflight_notes(sd_bus *bus, const char *path, const char *interface,
                                        const char *property, sd_bus_message *reply, void *userdata,
                                        sd_bus_error *error) {
        WatchedUnit *u = userdata;
        _cleanup_(strv_freep) char **notes = NULL;
        int r = loader_notes(&u->settings, unit_exe(u), &u->manager->host_facts, &notes);
        if (r >= 0)
                r = sd_bus_message_open_container(reply, 'a', "(ss)");
        for (char **n = notes; r >= 0 && n && n[0] && n[1]; n += 2)
                r = bus_append_safe_pair(reply, n[0], n[1]);
        return r < 0 ? r : sd_bus_message_close_container(reply);
}

/* (knob, module): what the program sizes itself at run time, so the environment family does not
 * flag it. */
static int property_get_runtime_sizing(sd_bus *bus, const char *path, const char *interface,
                                       const char *property, sd_bus_message *reply, void *userdata,
                                       sd_bus_error *error) {
        const GoExe *x = unit_exe(userdata);
        const char *procs = x ? go_sizes_gomaxprocs(x) : NULL, *mem = x ? go_sizes_gomemlimit(x) : NULL;
        int r = sd_bus_message_open_container(reply, 'a', "(ss)");
        if (r >= 0 && procs)
                r = bus_append_safe_pair(reply, "GOMAXPROCS", procs);
        if (r >= 0 && mem)
                r = bus_append_safe_pair(reply, "GOMEMLIMIT", mem);
        return r < 0 ? r : sd_bus_message_close_container(reply);
}

/* Read by everyone, and signalled: values that can carry secrets are always redacted here;
 * InspectUnitExecutable shows them to whoever could read the file. */
static int property_get_build_settings(sd_bus *bus, const char *path, const char *interface,
                                       const char *property, sd_bus_message *reply, void *userdata,
                                       sd_bus_error *error) {
        const GoExe *x = unit_exe(userdata);
        int r = sd_bus_message_open_container(reply, 'a', "(ss)");
        for (size_t i = 0; r >= 0 && x && x->modinfo && i < x->modinfo->n_settings; i++)
                r = bus_append_safe_pair(reply, x->modinfo->settings[i].key,
                                         go_setting_value_shown(&x->modinfo->settings[i], false));
        return r < 0 ? r : sd_bus_message_close_container(reply);
}

/* (name, value, redacted): only values goguard reasons about leave the daemon. */
static int append_environment(sd_bus_message *reply, char *const *env) {
        int r = sd_bus_message_open_container(reply, 'a', "(ssb)");
        for (char *const *e = env; r >= 0 && e && *e; e++) {
                const char *eq = strchr(*e, '=');
                if (!eq)
                        continue;
                _cleanup_free_ char *name = strndup(*e, (size_t) (eq - *e));
                if (!name)
                        return -ENOMEM;
                bool public = env_value_is_public(name, strlen(name));
                r = sd_bus_message_open_container(reply, 'r', "ssb");
                if (r >= 0)
                        r = bus_append_safe_string(reply, name);
                if (r >= 0)
                        r = bus_append_safe_string(reply, public ? eq + 1 : "");
                if (r >= 0)
                        r = sd_bus_message_append(reply, "b", !public);
                if (r >= 0)
                        r = sd_bus_message_close_container(reply);
        }
        return r < 0 ? r : sd_bus_message_close_container(reply);
}

static int property_get_environment(sd_bus *bus, const char *path, const char *interface,
                                    const char *property, sd_bus_message *reply, void *userdata,
                                    sd_bus_error *error) {
        WatchedUnit *u = userdata;
        return append_environment(reply, u->settings.environment);
}

static int property_get_process_environment(sd_bus *bus, const char *path, const char *interface,
                                            const char *property, sd_bus_message *reply, void *userdata,
                                            sd_bus_error *error) {
        WatchedUnit *u = userdata;
        return append_environment(reply, watched_unit_is_running(u) ? u->process_environment : NULL);
}

static int property_get_environment_files(sd_bus *bus, const char *path, const char *interface,
                                          const char *property, sd_bus_message *reply, void *userdata,
                                          sd_bus_error *error) {
        WatchedUnit *u = userdata;
        int r = sd_bus_message_open_container(reply, 'a', "(sb)");
        for (size_t i = 0; r >= 0 && i < u->settings.n_environment_files; i++) {
                r = sd_bus_message_open_container(reply, 'r', "sb");
                if (r >= 0)
                        r = bus_append_safe_string(reply, u->settings.environment_files[i].path);
                if (r >= 0)
                        r = sd_bus_message_append(reply, "b", u->settings.environment_files[i].optional);
                if (r >= 0)
                        r = sd_bus_message_close_container(reply);
        }
        return r < 0 ? r : sd_bus_message_close_container(reply);
}

#define W(field)  offsetof(WatchedUnit, field)
#define WS(field) (offsetof(WatchedUnit, settings) + offsetof(UnitSettings, field))
#define EMITS     SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE

const sd_bus_vtable bus_unit_vtable[] = {
        SD_BUS_VTABLE_START(0),
        SD_BUS_PROPERTY("Name", "s", NULL, W(name), SD_BUS_VTABLE_PROPERTY_CONST),
        SD_BUS_PROPERTY("ActiveState", "s", property_get_active_state, 0, EMITS),
        SD_BUS_PROPERTY("SubState", "s", property_get_sub_state, 0, EMITS),
        SD_BUS_PROPERTY("InvocationID", "s", property_get_invocation_id, 0, EMITS),
        SD_BUS_PROPERTY("MainPID", "u", NULL, WS(main_pid), EMITS),
        SD_BUS_PROPERTY("NRestarts", "u", NULL, WS(n_restarts), EMITS),
        SD_BUS_PROPERTY("Result", "s", property_get_result, 0, EMITS),
        SD_BUS_PROPERTY("ExecStartPath", "s", property_get_exec_start_path, 0, EMITS),
        SD_BUS_PROPERTY("Executable", "s", property_get_executable, 0, EMITS),
        SD_BUS_PROPERTY("GoVersion", "s", property_get_go_version, 0, EMITS),
        SD_BUS_PROPERTY("MainPackage", "s", property_get_main_package, 0, EMITS),
        SD_BUS_PROPERTY("MainModule", "(ss)", property_get_main_module, 0, EMITS),
        SD_BUS_PROPERTY("Cgo", "s", property_get_cgo, 0, EMITS),
        SD_BUS_PROPERTY("SignalHandling", "s", property_get_signal_handling, 0, EMITS),
        SD_BUS_PROPERTY("GOOS", "s", property_get_goos, 0, EMITS),
        SD_BUS_PROPERTY("GOARCH", "s", property_get_goarch, 0, EMITS),
        SD_BUS_PROPERTY("ArchLevel", "s", property_get_arch_level, 0, EMITS),
        SD_BUS_PROPERTY("Linking", "s", property_get_linking, 0, EMITS),
        SD_BUS_PROPERTY("ElfType", "s", property_get_elf_type, 0, EMITS),
        SD_BUS_PROPERTY("Interpreter", "s", property_get_interpreter, 0, EMITS),
        SD_BUS_PROPERTY("NeededLibraries", "a(ss)", property_get_needed, 0, EMITS),
        SD_BUS_PROPERTY("BuildSettings", "a(ss)", property_get_build_settings, 0, EMITS),
        SD_BUS_PROPERTY("RuntimeSizing", "a(ss)", property_get_runtime_sizing, 0, EMITS),
        SD_BUS_PROPERTY("Type", "s", property_get_type, 0, EMITS),
        SD_BUS_PROPERTY("Restart", "s", property_get_restart, 0, EMITS),
        SD_BUS_PROPERTY("OOMPolicy", "s", property_get_oom_policy, 0, EMITS),
        SD_BUS_PROPERTY("User", "s", property_get_user, 0, EMITS),
        SD_BUS_PROPERTY("DynamicUser", "b", NULL, WS(dynamic_user), EMITS),
        SD_BUS_PROPERTY("LimitNOFILE", "t", NULL, WS(limit_nofile), EMITS),
        SD_BUS_PROPERTY("LimitNOFILESoft", "t", NULL, WS(limit_nofile_soft), EMITS),
        SD_BUS_PROPERTY("LimitNPROC", "t", NULL, WS(limit_nproc), EMITS),
        SD_BUS_PROPERTY("LimitNPROCSoft", "t", NULL, WS(limit_nproc_soft), EMITS),
        SD_BUS_PROPERTY("TasksMax", "t", NULL, WS(tasks_max), EMITS),
        SD_BUS_PROPERTY("MemoryMax", "t", NULL, WS(memory_max), EMITS),
        SD_BUS_PROPERTY("MemoryHigh", "t", NULL, WS(memory_high), EMITS),
        SD_BUS_PROPERTY("MemoryLimit", "t", NULL, WS(memory_limit), EMITS),
        SD_BUS_PROPERTY("MemorySwapMax", "t", NULL, WS(memory_swap_max), EMITS),
        SD_BUS_PROPERTY("CPUQuotaPerSecUSec", "t", NULL, WS(cpu_quota_per_sec_usec), EMITS),
        SD_BUS_PROPERTY("AmbientCapabilities", "t", NULL, WS(ambient_capabilities), EMITS),
        SD_BUS_PROPERTY("ControlGroup", "s", property_get_control_group, 0, EMITS),
        SD_BUS_PROPERTY("Environment", "a(ssb)", property_get_environment, 0, EMITS),
        SD_BUS_PROPERTY("EnvironmentFiles", "a(sb)", property_get_environment_files, 0, EMITS),
        SD_BUS_PROPERTY("ProcessEnvironment", "a(ssb)", property_get_process_environment, 0, EMITS),
        SD_BUS_PROPERTY("FDCount", "u", NULL, W(fd_count), EMITS),
        SD_BUS_PROPERTY("TasksCurrent", "t", NULL, W(tasks_current), EMITS),
        SD_BUS_PROPERTY("SampleTimestamp", "t", NULL, W(sample_timestamp), 0),
        SD_BUS_PROPERTY("OpenFindings", "u", NULL, W(open_findings), EMITS),
        SD_BUS_PROPERTY("PreflightNotes", "a(ss)", property_get_preflight_notes, 0, EMITS),
        SD_BUS_VTABLE_END,
};

int bus_unit_find(sd_bus *bus, const char *path, const char *interface, void *userdata, void **ret_found,
                  sd_bus_error *error) {
        Manager *m = userdata;
        _cleanup_free_ char *name = NULL;
        if (sd_bus_path_decode(path, MANAGER_UNIT_PATH_PREFIX, &name) <= 0 || !name)
                return 0;
        WatchedUnit *u = hashmap_get(m->units, name);
        if (!u || !u->exported)
                return 0;
        *ret_found = u;
        return 1;
}

int bus_unit_enumerate(sd_bus *bus, const char *path, void *userdata, char ***ret_nodes,
                       sd_bus_error *error) {
        Manager *m = userdata;
        char **nodes = calloc(m->n_go_units + 1, sizeof(char *));
        size_t n = 0, i = 0;
        void *v;
        if (!nodes)
                return -ENOMEM;
        while (hashmap_iterate(m->units, &i, &v, NULL)) {
                WatchedUnit *u = v;
                if (!u->exported || n >= m->n_go_units)
                        continue;
                nodes[n] = strdup(u->bus_path);
                if (!nodes[n]) {
                        for (size_t k = 0; k < n; k++)
                                free(nodes[k]);
                        free(nodes);
                        return -ENOMEM;
                }
                n++;
        }
        *ret_nodes = nodes;
        return 0;
}

void manager_bus_unit_added(Manager *m, WatchedUnit *u) {
        int r = sd_bus_emit_object_added(m->bus, u->bus_path);
        if (r < 0)
                log_warning_errno(r, "Failed to announce %s on the bus, ignoring: %m", u->name);
}

void manager_bus_unit_removed(Manager *m, WatchedUnit *u) {
        int r = sd_bus_emit_object_removed(m->bus, u->bus_path);
        if (r < 0)
                log_warning_errno(r, "Failed to announce removal of %s, ignoring: %m", u->name);
}

void manager_bus_unit_properties_changed(Manager *m, WatchedUnit *u, unsigned changes) {
        static const char *const state[] = { "ActiveState", "SubState",  "InvocationID",
                                             "MainPID",     "NRestarts", "Result",
                                             NULL };
        static const char *const exe[] = {
                "Executable",    "GoVersion",      "MainPackage",   "MainModule",
                "Cgo",           "GOOS",           "GOARCH",        "ArchLevel",
                "Linking",       "ElfType",        "Interpreter",   "NeededLibraries",
                "BuildSettings", "SignalHandling", "RuntimeSizing", NULL
        };
        static const char *const settings[] = { "ExecStartPath",
                                                "Type",
                                                "Restart",
                                                "OOMPolicy",
                                                "User",
                                                "DynamicUser",
                                                "LimitNOFILE",
                                                "LimitNOFILESoft",
                                                "LimitNPROC",
                                                "LimitNPROCSoft",
                                                "TasksMax",
                                                "MemoryMax",
                                                "MemoryHigh",
                                                "MemoryLimit",
                                                "MemorySwapMax",
                                                "CPUQuotaPerSecUSec",
                                                "AmbientCapabilities",
                                                "ControlGroup",
                                                NULL };
        static const char *const environment[] = { "Environment", "EnvironmentFiles", "ProcessEnvironment",
                                                   NULL };
        static const char *const sample[] = { "FDCount", "TasksCurrent", NULL };
        static const char *const findings[] = { "OpenFindings", NULL };
        /* From the settings, the executable and whether it runs. */
        static const char *const notes[] = { "PreflightNotes", NULL };
        const struct {
                unsigned bit;
                const char *const *names;
        } groups[] = {
                { UNIT_CHANGE_STATE, state },
                { UNIT_CHANGE_EXECUTABLE, exe },
                { UNIT_CHANGE_SETTINGS, settings },
                { UNIT_CHANGE_ENVIRONMENT, environment },
                { UNIT_CHANGE_SAMPLE, sample },
                { UNIT_CHANGE_FINDINGS, findings },
                { UNIT_CHANGE_STATE | UNIT_CHANGE_EXECUTABLE | UNIT_CHANGE_SETTINGS, notes },
        };
        for (size_t i = 0; i < ELEMENTSOF(groups); i++) {
                if (!(changes & groups[i].bit))
                        continue;
                int r = sd_bus_emit_properties_changed_strv(m->bus, u->bus_path, UNIT_IFACE,
                                                            (char **) groups[i].names);
                if (r < 0)
                        log_debug("Failed to emit PropertiesChanged for %s: %s", u->name, strerror(-r));
        }
}
