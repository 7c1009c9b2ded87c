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

int unit_settings_copy(const UnitSettings *s, UnitSettings *ret) {
#if __SIZEOF_POINTER__ == 8
        /* A field added to UnitSettings: if it is a pointer, copy it below and free it in
         * unit_settings_done(); then update the size here. */
        _Static_assert(sizeof(UnitSettings) == 464, "unit_settings_copy() knows every pointer field");
#endif
        UnitSettings c = *s;
        char **str[] = { &c.active_state,     &c.sub_state,       &c.exec_start_path, &c.type,
                         &c.restart,          &c.oom_policy,      &c.result,          &c.user,
                         &c.control_group,    &c.kill_mode,       &c.root_directory,  &c.root_image,
                         &c.apparmor_profile, &c.selinux_context, &c.fragment_path,   &c.group };
        char ***strv[] = { &c.environment,         &c.bind_paths,      &c.bind_read_only_paths,
                           &c.read_write_paths,    &c.socket_listen,   &c.exec_paths,
                           &c.no_exec_paths,       &c.exec_start_argv, &c.temporary_filesystem,
                           &c.supplementary_groups };
        int r = 0;

        /* What is not copied (after a failure) is NULL, so that unit_settings_done() frees only
         * the copies. */
        for (size_t i = 0; i < ELEMENTSOF(str); i++)
                if (*str[i] && (r < 0 || !(*str[i] = strdup(*str[i])))) {
                        *str[i] = NULL;
                        r = -ENOMEM;
                }
        for (size_t i = 0; i < ELEMENTSOF(strv); i++) {
                char **v = *strv[i];
                *strv[i] = NULL;
                if (r >= 0)
                        r = strv_copy(v, strv[i]);
        }
        c.environment_files = NULL;
        c.n_environment_files = 0;
        if (r >= 0 && s->n_environment_files > 0) {
                c.environment_files = calloc(s->n_environment_files, sizeof *c.environment_files);
                if (!c.environment_files)
                        r = -ENOMEM;
                for (size_t i = 0; r >= 0 && i < s->n_environment_files; i++) {
                        c.environment_files[i].optional = s->environment_files[i].optional;
                        c.environment_files[i].path = strdup(s->environment_files[i].path);
                        c.n_environment_files = i + 1;
                        if (!c.environment_files[i].path)
                                r = -ENOMEM;
                }
        }
        if (r < 0) {
                unit_settings_done(&c);
                return r;
        }
        *ret = c;
        return 0;
}
