/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What goguardd reads of a service unit from the service manager, and where each value goes:
 * the Service interface into UnitSettings, the Unit interface into UnitSettings and the
 * WatchedUnit. */
#include <stddef.h>
#include <string.h>

#include "manager.h"
#include "unit-props.h"
#include "watched-unit.h"

#define S(field) offsetof(UnitSettings, field)

const BusPropMap service_prop_map[] = {
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

const BusPropMap unit_prop_map[] = {
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
const BusPropMap watched_unit_prop_map[] = {
        { "TriggeredBy", BUS_MAP_STRV, offsetof(WatchedUnit, triggered_by), UNIT_CHANGE_SETTINGS },
};

const size_t service_prop_map_len = ELEMENTSOF(service_prop_map);
const size_t unit_prop_map_len = ELEMENTSOF(unit_prop_map);
const size_t watched_unit_prop_map_len = ELEMENTSOF(watched_unit_prop_map);

const BusPropMap *service_prop_find(const char *name) {
        for (size_t i = 0; i < service_prop_map_len; i++)
                if (strcmp(service_prop_map[i].name, name) == 0)
                        return &service_prop_map[i];
        return NULL;
}
