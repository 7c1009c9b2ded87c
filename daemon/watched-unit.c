/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>
#include <systemd/sd-bus.h>

#include "manager.h"
#include "strv.h"
#include "watched-unit.h"

int watched_unit_new(const char *name, const char *systemd_path, WatchedUnit **ret) {
        _cleanup_(watched_unit_freep) WatchedUnit *u = calloc(1, sizeof *u);
        int r;

        if (!u)
                return -ENOMEM;
        unit_settings_init(&u->settings);
        u->name = strdup(name);
        u->systemd_path = strdup(systemd_path);
        if (!u->name || !u->systemd_path)
                return -ENOMEM;
        r = sd_bus_path_encode(MANAGER_UNIT_PATH_PREFIX, name, &u->bus_path);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(u);
        return 0;
}

WatchedUnit *watched_unit_free(WatchedUnit *u) {
        if (!u)
                return NULL;
        sd_event_source_disable_unref(u->recheck_timer);
        free(u->name);
        free(u->systemd_path);
        free(u->bus_path);
        unit_settings_done(&u->settings);
        exe_entry_unref(u->exe);
        free(u->exe_path);
        strv_free(u->process_environment);
        strv_free(u->environment_files);
        strv_free(u->triggered_by);
        return mfree(u);
}

bool watched_unit_is_running(const WatchedUnit *u) {
        return u->settings.main_pid > 0;
}

const char *watched_unit_go_version(const WatchedUnit *u) {
        const GoExe *x = u->exe ? u->exe->exe : NULL;
        return x && x->have_buildinfo && x->buildinfo.version ? x->buildinfo.version : "";
}
