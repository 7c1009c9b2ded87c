/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Without libapparmor (meson -Dapparmor=disabled): the same fields read as key=value pairs, the
 * way parse_record() reports them (a capability's name in name, a USER_AVC's exe in comm, its
 * msg's pid). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "apparmor-record.h"
#include "audit-fields.h"

static int field(const char *t, size_t n, const char *key, char **ret) {
        AuditSpan v;
        if (*ret || !audit_field(t, n, key, &v))
                return 0;
        *ret = strndup(v.p, v.n);
        return *ret ? 0 : -ENOMEM;
}

int apparmor_record_parse(const char *text, size_t len, AppArmorRecord *ret) {
        _cleanup_free_ char *line = NULL, *cls = NULL;
        AppArmorRecord a = { .event = _APPARMOR_EVENT_INVALID };
        AuditSpan v, msg;
        AuditHeader h;
        int r;

        r = apparmor_record_normalize(text, len, &line, &cls);
        if (r < 0)
                return r;
        size_t n = strlen(line);
        if (audit_header_parse(line, n, &h) < 0)
                return -EINVAL;
        const char *t = line + h.body;
        n -= h.body;
        /* A USER_AVC's own fields are in its msg='...'; its exe= follows them. */
        bool user = audit_field(t, n, "msg", &msg);
        const char *ft = user ? msg.p : t;
        size_t fn = user ? msg.n : n;
        if (!audit_field(ft, fn, "apparmor", &v))
                return -EINVAL;
        for (AppArmorEvent e = 0; e < _APPARMOR_EVENT_MAX; e++)
                if (strlen(apparmor_event_to_string(e)) == v.n &&
                    memcmp(apparmor_event_to_string(e), v.p, v.n) == 0)
                        a.event = e;
        if (a.event < 0)
                return -EINVAL;
        a.class_ = TAKE_PTR(cls);
        (void) audit_field_u64(ft, fn, "pid", &a.pid);
        (void) audit_field_u64(ft, fn, "peer_pid", &a.peer_pid);
        struct {
                const char *key;
                char **to;
        } s[] = {
                { "operation", &a.operation },
                { "profile", &a.profile },
                { "label", &a.profile },
                { "peer", &a.peer },
                { "peer_label", &a.peer },
                { "capname", &a.name },
                { "name", &a.name },
                { "name2", &a.name2 },
                { "target", &a.name2 },
                { "requested_mask", &a.requested_mask },
                { "denied_mask", &a.denied_mask },
                { "mask", &a.denied_mask }, /* a D-Bus rule's, where parse_record() puts it */
                { "info", &a.info },
                { "family", &a.net_family },
                { "sock_type", &a.net_sock_type },
                { "bus", &a.dbus_bus },
                { "path", &a.dbus_path },
                { "interface", &a.dbus_interface },
                { "member", &a.dbus_member },
                { "signal", &a.signal },
        };
        for (size_t i = 0; i < ELEMENTSOF(s) && r >= 0; i++)
                r = field(ft, fn, s[i].key, s[i].to);
        if (r >= 0)
                r = user ? field(t, n, "exe", &a.comm) : field(ft, fn, "comm", &a.comm);
        if (r < 0) {
                apparmor_record_done(&a);
                return r;
        }
        *ret = a;
        return 0;
}
