/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>

#include "strv.h"
#include "unit-settings.h"

void unit_settings_init(UnitSettings *s) {
        *s = (UnitSettings){
                .limit_nofile = UINT64_MAX,
                .limit_nofile_soft = UINT64_MAX,
                .limit_nproc = UINT64_MAX,
                .limit_nproc_soft = UINT64_MAX,
                .tasks_max = UINT64_MAX,
                .memory_max = UINT64_MAX,
                .memory_high = UINT64_MAX,
                .memory_limit = UINT64_MAX,
                .memory_swap_max = UINT64_MAX,
                .cpu_quota_per_sec_usec = UINT64_MAX,
                .restart_usec = UINT64_MAX,
                .start_limit_interval_usec = UINT64_MAX,
                .timeout_start_usec = UINT64_MAX,
                .timeout_stop_usec = UINT64_MAX,
                .capability_bounding_set = UINT64_MAX,
        };
}

static void free_env_files(UnitSettings *s) {
        for (size_t i = 0; i < s->n_environment_files; i++)
                free(s->environment_files[i].path);
        free(s->environment_files);
        s->environment_files = NULL;
        s->n_environment_files = 0;
}

void unit_settings_done(UnitSettings *s) {
        free(s->active_state);
        free(s->sub_state);
        free(s->exec_start_path);
        free(s->type);
        free(s->restart);
        free(s->oom_policy);
        free(s->result);
        free(s->user);
        free(s->control_group);
        free(s->kill_mode);
        strv_free(s->environment);
        free_env_files(s);
        free(s->root_directory);
        free(s->root_image);
        strv_free(s->bind_paths);
        strv_free(s->bind_read_only_paths);
        free(s->apparmor_profile);
        free(s->selinux_context);
        free(s->fragment_path);
        strv_free(s->read_write_paths);
        strv_free(s->socket_listen);
        strv_free(s->exec_paths);
        strv_free(s->no_exec_paths);
        strv_free(s->exec_start_argv);
        strv_free(s->temporary_filesystem);
        free(s->group);
        strv_free(s->supplementary_groups);
        unit_settings_init(s);
}

int unit_settings_set_env_files(UnitSettings *s, UnitEnvFile *files, size_t n) {
        free_env_files(s);
        s->environment_files = files;
        s->n_environment_files = n;
        return 0;
}

const char *unit_settings_user(const UnitSettings *s) {
        if (s->user && s->user[0])
                return s->user;
        return s->dynamic_user ? NULL : "root";
}

bool unit_settings_same_user(const UnitSettings *a, const UnitSettings *b) {
        const char *x = unit_settings_user(a), *y = unit_settings_user(b);
        return x && y && a->dynamic_user == b->dynamic_user && strcmp(x, y) == 0;
}
