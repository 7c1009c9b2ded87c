/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config-load.h"
#include "log.h"
#include "state-file.h"
#include "strv.h"

static int load_file(const char *path, DaemonConfig *c) {
        _cleanup_free_ char *text = NULL, *error = NULL;
        _cleanup_(strv_freep) char **warnings = NULL;
        size_t size;

        int r = read_file_capped(path, 0, DAEMON_CONFIG_FILE_MAX, &text, &size);
        if (r == -ENOENT)
                return 0;
        if (r == -EBADFD) {
                /* A link to /dev/null masks a file of the same name, as with systemd's drop-ins. */
                _cleanup_free_ char *target = realpath(path, NULL);
                if (streq(target, "/dev/null"))
                        return 0;
        }
        if (r < 0)
                return log_error_errno(r, "Failed to read configuration file %s: %m", path);
        r = daemon_config_parse(c, text, size, &warnings, &error);
        for (char **w = warnings; w && *w; w++)
                fprintf(stderr, SD_WARNING "%s: %s\n", path, *w);
        if (r < 0) {
                if (error)
                        log_error("%s: %s", path, error);
                return log_error_errno(r, "Failed to parse configuration file %s: %m", path);
        }
        return 0;
}

static int filter_conf(const struct dirent *de) {
        size_t l = strlen(de->d_name);
        return de->d_name[0] != '.' && l > 5 && strcmp(de->d_name + l - 5, ".conf") == 0 &&
               (de->d_type == DT_REG || de->d_type == DT_LNK || de->d_type == DT_UNKNOWN);
}

int config_load(const char *dir, DaemonConfig *c) {
        _cleanup_free_ char *main_path = NULL, *dropins = NULL;
        struct dirent **list = NULL;
        int r;

        if (asprintf(&main_path, "%s/goguardd.conf", dir) < 0 ||
            asprintf(&dropins, "%s/goguardd.conf.d", dir) < 0)
                return log_error_errno(ENOMEM, "Failed to load the configuration: %m");
        r = load_file(main_path, c);
        if (r < 0)
                return r;

        int n = scandir(dropins, &list, filter_conf, alphasort);
        if (n < 0) {
                if (errno == ENOENT)
                        return 0;
                return log_error_errno(errno, "Failed to list %s: %m", dropins);
        }
        r = 0;
        for (int i = 0; i < n; i++) {
                _cleanup_free_ char *p = NULL;
                if (r >= 0) {
                        if (asprintf(&p, "%s/%s", dropins, list[i]->d_name) < 0)
                                r = log_error_errno(ENOMEM, "Failed to load the configuration: %m");
                        else
                                r = load_file(p, c);
                }
                free(list[i]);
        }
        free(list);
        return r;
}
