/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "macro.h"

/* What the service manager says about a service unit: the state goguard tracks and the settings
 * the fault catalog checks. Plain data, filled by the daemon from D-Bus, read by the rules.
 * UINT64_MAX means "infinity" or "not set", as systemd reports it. */

typedef struct UnitEnvFile {
        char *path;
        bool optional;
} UnitEnvFile;

typedef struct UnitSettings {
        /* org.freedesktop.systemd1.Unit */
        char *active_state;
        char *sub_state;
        char invocation_id[33];          /* hex, "" when none */
        uint64_t active_enter_timestamp; /* µs, CLOCK_REALTIME; 0 when never active */

        /* org.freedesktop.systemd1.Service */
        char *exec_start_path;
        char *type;
        char *restart;
        char *oom_policy;
        char *result;
        char *user;
        char *control_group;
        bool dynamic_user;
        uint32_t main_pid;
        uint32_t n_restarts;
        /* How the last main process ended: CLD_* code, exit status or signal, and when (µs,
         * CLOCK_REALTIME; 0 when none has ended). */
        int32_t exec_main_code;
        int32_t exec_main_status;
        uint64_t exec_main_exit_timestamp;
        uint64_t limit_nofile;
        uint64_t limit_nofile_soft;
        uint64_t limit_nproc;
        uint64_t limit_nproc_soft;
        uint64_t tasks_max;
        uint64_t memory_max;
        uint64_t memory_high;
        uint64_t memory_limit;
        uint64_t memory_swap_max;
        uint64_t cpu_quota_per_sec_usec;
        uint64_t ambient_capabilities;
        /* How invocations start, stop and restart: the lifecycle family (UINT64_MAX / 0 / NULL
         * when not read). */
        uint64_t restart_usec;
        uint64_t start_limit_interval_usec;
        uint32_t start_limit_burst;
        uint64_t watchdog_usec;
        uint64_t timeout_start_usec;
        uint64_t timeout_stop_usec;
        int32_t kill_signal;
        char *kill_mode;
        char **environment; /* "NAME=value" */
        UnitEnvFile *environment_files;
        size_t n_environment_files;
        /* The unit's view of the file system and the network (dns-resolution). */
        char *root_directory;
        char *root_image;
        bool private_network;
        char **bind_paths;           /* BindPaths=: source, destination, source, ... */
        char **bind_read_only_paths; /* BindReadOnlyPaths=, the same way */

        /* Security denials (selinux-denial, apparmor-denial): what ties a denial to the unit and
         * what its advice names. NULL when unset or not read. */
        char *apparmor_profile;  /* AppArmorProfile=, the name without the "-" (ignore) prefix */
        char *selinux_context;   /* SELinuxContext=, the same way */
        char *fragment_path;     /* FragmentPath: the unit file */
        char **read_write_paths; /* ReadWritePaths= */
        /* The Listen* of the .socket units that trigger this service (their Listen property,
         * a(ss)): type, address, type, address, ... e.g. "Stream", "/run/x.sock". */
        char **socket_listen;
        /* Where the unit may execute files (the loader family's exec-failed): ExecPaths= and
         * NoExecPaths=, as systemd lists them ("-" and "+" prefixes kept). */
        char **exec_paths;
        char **no_exec_paths;
        /* The environment family: ExecStart='s first command line (what the go tool is asked to
         * do; never shown, arguments may hold secrets), and the capability bounding set
         * (runs-as-root; UINT64_MAX: all, systemd's default, and when not read). */
        char **exec_start_argv;
        uint64_t capability_bounding_set;
        /* The preflight checks (loader and environment families): TemporaryFileSystem= as
         * "PATH[:OPTIONS]" (what it hides from the unit), and the groups the unit's processes run
         * with, Group= and SupplementaryGroups= (names or gids; whom execute bits admit). */
        char **temporary_filesystem;
        char *group;
        char **supplementary_groups;
} UnitSettings;

void unit_settings_init(UnitSettings *s);
void unit_settings_done(UnitSettings *s);
/* A deep copy of s into *ret (for a check that runs on another thread); a new pointer field of
 * UnitSettings goes here and in unit_settings_done(). */
int unit_settings_copy(const UnitSettings *s, UnitSettings *ret);
int unit_settings_set_env_files(UnitSettings *s, UnitEnvFile *files, size_t n);
/* The user the unit's processes run as, whose processes RLIMIT_NPROC counts: User=, "root"
 * without one; NULL for DynamicUser= without User= (a user of the unit's own). */
const char *unit_settings_user(const UnitSettings *s);
/* Whether two units' processes run as the same user, and so share one RLIMIT_NPROC count. */
bool unit_settings_same_user(const UnitSettings *a, const UnitSettings *b);
