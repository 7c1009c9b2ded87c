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

int bus_caller_may_read(sd_bus_message *call, const struct stat *st) {
        _cleanup_(sd_bus_creds_unrefp) sd_bus_creds *creds = NULL;
        uid_t uid;

        /* Only what the bus daemon recorded when the caller connected can be trusted: its peer
         * credentials' effective uid, which sd-bus reports as the EUID. Ids read from
         * /proc/PID/status (SD_BUS_CREDS_AUGMENT) are what the process is now, and a caller can
         * send the call, hand its connection to a child, and exec a set-user-ID program that is
         * root by the time goguardd looks. Groups are not among the trusted facts, so group read
         * access counts for nothing here. */
        int r = sd_bus_query_sender_creds(call, SD_BUS_CREDS_EUID, &creds);
        if (r < 0 || sd_bus_creds_get_euid(creds, &uid) < 0)
                return 0;
        if (uid == 0)
                return 1;
        /* The first class that matches counts: an owner without the owner bit cannot read. */
        if (uid == st->st_uid)
                return !!(st->st_mode & S_IRUSR);
        return !!(st->st_mode & S_IROTH);
}
