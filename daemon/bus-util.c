/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>

#include "bus-util.h"
#include "macro.h"
#include "utf8.h"

int bus_append_safe_string(sd_bus_message *m, const char *s) {
        _cleanup_free_ char *e = NULL;
        s = s ?: "";
        size_t n = strlen(s);
        if (utf8_needs_escape(s, n)) {
                int r = utf8_escape_invalid(s, n, &e);
                if (r < 0)
                        return r;
                s = e;
        }
        return sd_bus_message_append_basic(m, 's', s);
}

int bus_append_safe_pair(sd_bus_message *m, const char *a, const char *b) {
        int r = sd_bus_message_open_container(m, 'r', "ss");
        if (r >= 0)
                r = bus_append_safe_string(m, a);
        if (r >= 0)
                r = bus_append_safe_string(m, b);
        if (r >= 0)
                r = sd_bus_message_close_container(m);
        return r;
}

static bool in_groups(gid_t gid, gid_t egid, const gid_t *groups, int n) {
        if (gid == egid)
                return true;
        for (int i = 0; i < n; i++)
                if (groups[i] == gid)
                        return true;
        return false;
}

int bus_caller_may_read(sd_bus_message *call, const struct stat *st) {
        _cleanup_(sd_bus_creds_unrefp) sd_bus_creds *creds = NULL;
        const gid_t *groups = NULL;
        uid_t uid;
        gid_t gid;
        int n_groups;

        /* dbus-daemon reports the uid and pid; the effective ids and the groups sd-bus reads from
         * /proc/PID/status of the sender, which waits for our reply. Whatever is missing makes the
         * answer no. */
        int r = sd_bus_query_sender_creds(call,
                                          SD_BUS_CREDS_UID | SD_BUS_CREDS_EUID | SD_BUS_CREDS_GID |
                                                  SD_BUS_CREDS_EGID | SD_BUS_CREDS_SUPPLEMENTARY_GIDS |
                                                  SD_BUS_CREDS_AUGMENT,
                                          &creds);
        if (r < 0)
                return 0;
        if (sd_bus_creds_get_euid(creds, &uid) < 0 && sd_bus_creds_get_uid(creds, &uid) < 0)
                return 0;
        if (uid == 0)
                return 1;
        if (sd_bus_creds_get_egid(creds, &gid) < 0 && sd_bus_creds_get_gid(creds, &gid) < 0)
                return 0;
        n_groups = sd_bus_creds_get_supplementary_gids(creds, &groups);
        if (n_groups < 0)
                n_groups = 0;

        /* Only the first class that matches counts: an owner without the owner bit cannot read
         * through the group or other bits. */
        if (uid == st->st_uid)
                return !!(st->st_mode & S_IRUSR);
        if (in_groups(st->st_gid, gid, groups, n_groups))
                return !!(st->st_mode & S_IRGRP);
        return !!(st->st_mode & S_IROTH);
}
