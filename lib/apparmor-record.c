/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* AppArmor records read by libapparmor's own parser (aalogparse). */
#include <aalogparse/aalogparse.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "apparmor-record.h"

static int dup_or_null(const char *s, char **ret) {
        if (!s) {
                *ret = NULL;
                return 0;
        }
        *ret = strdup(s);
        return *ret ? 0 : -ENOMEM;
}

int apparmor_record_parse(const char *text, size_t len, AppArmorRecord *ret) {
        _cleanup_free_ char *line = NULL, *cls = NULL;
        AppArmorRecord a = { .event = _APPARMOR_EVENT_INVALID };
        int r;

        r = apparmor_record_normalize(text, len, &line, &cls);
        if (r < 0)
                return r;
        aa_log_record *rec = parse_record(line);
        if (!rec)
                return -ENOMEM;
        switch (rec->event) {
        case AA_RECORD_DENIED: a.event = APPARMOR_EVENT_DENIED; break;
        case AA_RECORD_ALLOWED: a.event = APPARMOR_EVENT_ALLOWED; break;
        case AA_RECORD_AUDIT: a.event = APPARMOR_EVENT_AUDIT; break;
        case AA_RECORD_STATUS: a.event = APPARMOR_EVENT_STATUS; break;
        case AA_RECORD_HINT: a.event = APPARMOR_EVENT_HINT; break;
        case AA_RECORD_ERROR: a.event = APPARMOR_EVENT_ERROR; break;
        default: free_record(rec); return -EINVAL;
        }
        a.pid = rec->pid;
        a.peer_pid = rec->peer_pid;
        a.class_ = TAKE_PTR(cls);
        struct {
                const char *from;
                char **to;
        } s[] = {
                { rec->operation, &a.operation },
                { rec->profile, &a.profile },
                { rec->peer_profile ?: rec->peer, &a.peer },
                { rec->name, &a.name },
                { rec->name2, &a.name2 },
                { rec->comm, &a.comm },
                { rec->requested_mask, &a.requested_mask },
                { rec->denied_mask, &a.denied_mask },
                { rec->info, &a.info },
                { rec->net_family, &a.net_family },
                { rec->net_sock_type, &a.net_sock_type },
                { rec->dbus_bus, &a.dbus_bus },
                { rec->dbus_path, &a.dbus_path },
                { rec->dbus_interface, &a.dbus_interface },
                { rec->dbus_member, &a.dbus_member },
                { rec->signal, &a.signal },
        };
        for (size_t i = 0; i < ELEMENTSOF(s) && r >= 0; i++)
                r = dup_or_null(s[i].from, s[i].to);
        free_record(rec);
        if (r < 0) {
                apparmor_record_done(&a);
                return r;
        }
        *ret = a;
        return 0;
}
