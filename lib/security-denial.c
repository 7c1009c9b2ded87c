/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "audit-record.h"
#include "security-denial.h"

#define TYPE_USER_AVC 1107
#define TYPE_SYSCALL  1300
#define TYPE_PATH     1302
#define TYPE_CWD      1307
#define TYPE_AVC      1400
#define TYPE_AVC_PATH 1402

const char *denial_mac_to_string(DenialMac m) {
        return m == DENIAL_MAC_APPARMOR ? "apparmor" : "selinux";
}

static void copy(char *dst, size_t size, const char *s, size_t n) {
        n = MIN(n, size - 1);
        memcpy(dst, s, n);
        dst[n] = 0;
}

/* a, b and c joined into dst, cut to its size. */
static void cat3(char *dst, size_t size, const char *a, const char *b, const char *c) {
        size_t n = 0;
        const char *parts[] = { a, b, c };
        for (size_t i = 0; i < ELEMENTSOF(parts); i++)
                for (const char *p = parts[i]; *p && n + 1 < size; p++)
                        dst[n++] = *p;
        dst[n] = 0;
}

static void copy_str(char *dst, size_t size, const char *s) {
        if (s)
                copy(dst, size, s, strlen(s));
}

static void field(const char *t, size_t n, const char *key, char *dst, size_t size) {
        AuditSpan v;
        if (!dst[0] && audit_field(t, n, key, &v))
                copy(dst, size, v.p, v.n);
}

/* The facts of the event's other records. */
static void other_records(const AuditEvent *e, Denial *d) {
        const AuditEventRecord *sc = audit_event_find(e, TYPE_SYSCALL);
        if (sc) {
                field(sc->text + sc->body, sc->len - sc->body, "exe", d->exe, sizeof d->exe);
                field(sc->text + sc->body, sc->len - sc->body, "comm", d->comm, sizeof d->comm);
        }
        if (d->target_is_path && d->target[0] == '/')
                return;
        const AuditEventRecord *ap = audit_event_find(e, TYPE_AVC_PATH);
        char buf[DENIAL_PATH_MAX] = "";
        if (ap)
                field(ap->text + ap->body, ap->len - ap->body, "path", buf, sizeof buf);
        if (!buf[0]) {
                /* PATH's name relative to CWD: the file the syscall named. */
                const AuditEventRecord *p = audit_event_find(e, TYPE_PATH),
                                       *cwd = audit_event_find(e, TYPE_CWD);
                char name[DENIAL_PATH_MAX] = "", dir[DENIAL_PATH_MAX] = "";
                if (p)
                        field(p->text + p->body, p->len - p->body, "name", name, sizeof name);
                if (cwd)
                        field(cwd->text + cwd->body, cwd->len - cwd->body, "cwd", dir, sizeof dir);
                if (name[0] == '/')
                        copy_str(buf, sizeof buf, name);
                else if (name[0] && dir[0] == '/')
                        cat3(buf, sizeof buf, dir, dir[strlen(dir) - 1] == '/' ? "" : "/", name);
        }
        if (buf[0] == '/') {
                copy_str(d->target, sizeof d->target, buf);
                d->target_is_path = true;
        }
}

static int selinux_denial(const AuditEvent *e, const AuditEventRecord *rec, Denial *d) {
        const char *t = rec->text + rec->body;
        size_t n = rec->len - rec->body;
        AuditSpan msg;
        AuditAvc avc;
        uint64_t permissive = 0;

        if (rec->type == TYPE_USER_AVC) {
                (void) audit_field_u64(t, n, "pid", &d->header_pid);
                /* The sender's own fields are in msg='...'; exe= follows them inside it. */
                if (audit_field(t, n, "msg", &msg)) {
                        t = msg.p;
                        n = msg.n;
                }
        }
        if (audit_avc_parse(t, n, &avc) < 0)
                return 0; /* "received policyload notice", ... */
        (void) audit_field_u64(t, n, "permissive", &permissive);
        /* A grant is a denial only where policy is permissive; an AVC granted for auditallow
         * rules is no denial. */
        if (!avc.denied)
                return 0;
        d->mac = DENIAL_MAC_SELINUX;
        d->enforced = permissive == 0;
        copy(d->perms, sizeof d->perms, avc.perms.p, avc.perms.n);
        (void) audit_field_u64(t, n, "pid", &d->pid);
        (void) audit_field_u64(t, n, "spid", &d->spid);
        (void) audit_field_u64(t, n, "tpid", &d->tpid);
        if (!d->pid)
                d->pid = d->spid ?: d->header_pid;
        field(t, n, "comm", d->comm, sizeof d->comm);
        field(t, n, "exe", d->exe, sizeof d->exe);
        field(t, n, "scontext", d->scontext, sizeof d->scontext);
        field(t, n, "tcontext", d->tcontext, sizeof d->tcontext);
        field(t, n, "tclass", d->tclass, sizeof d->tclass);
        AuditSpan ty, level;
        if (selinux_context_type((AuditSpan){ d->scontext, strlen(d->scontext) }, &ty, &level))
                copy(d->stype, sizeof d->stype, ty.p, ty.n);
        if (selinux_context_type((AuditSpan){ d->tcontext, strlen(d->tcontext) }, &ty, &level))
                copy(d->ttype, sizeof d->ttype, ty.p, ty.n);
        if (strcmp(d->tclass, "service") == 0) {
                field(t, n, "path", d->unit_file, sizeof d->unit_file);
                field(t, n, "unit", d->unit_file, sizeof d->unit_file);
        }
        if (!d->target[0]) {
                field(t, n, "path", d->target, sizeof d->target);
                d->target_is_path = d->target[0] == '/';
        }
        if (!d->target[0])
                field(t, n, "name", d->target, sizeof d->target);
        if (!d->target[0]) {
                /* a socket's port, a D-Bus message's member */
                if (audit_field_u64(t, n, "src", &d->port) || audit_field_u64(t, n, "dest", &d->port) ||
                    audit_field_u64(t, n, "lport", &d->port))
                        snprintf(d->target, sizeof d->target, "%llu", (unsigned long long) d->port);
                else {
                        char iface[DENIAL_FIELD_MAX] = "", member[DENIAL_FIELD_MAX] = "";
                        field(t, n, "interface", iface, sizeof iface);
                        field(t, n, "member", member, sizeof member);
                        if (iface[0] || member[0])
                                cat3(d->target, sizeof d->target, iface, iface[0] ? "." : "", member);
                }
        }
        other_records(e, d);
        return 1;
}

static int apparmor_denial(const AuditEvent *e, const AuditEventRecord *rec, Denial *d) {
        _cleanup_(apparmor_record_done) AppArmorRecord a = { .event = _APPARMOR_EVENT_INVALID };
        int r = apparmor_record_parse(rec->text, rec->len, &a);
        if (r == -ENOMEM)
                return r;
        if (r < 0 || (a.event != APPARMOR_EVENT_DENIED && a.event != APPARMOR_EVENT_ALLOWED))
                return 0; /* STATUS (policy loads), AUDIT, HINT: no denial */
        d->mac = DENIAL_MAC_APPARMOR;
        d->enforced = a.event == APPARMOR_EVENT_DENIED;
        d->pid = a.pid;
        copy_str(d->stype, sizeof d->stype, a.profile);
        copy_str(d->scontext, sizeof d->scontext, a.profile);
        copy_str(d->aa_peer, sizeof d->aa_peer, a.peer);
        copy_str(d->ttype, sizeof d->ttype, a.peer);
        copy_str(d->operation, sizeof d->operation, a.operation);
        copy_str(d->tclass, sizeof d->tclass, a.class_ ?: a.operation);
        copy_str(d->perms, sizeof d->perms, a.denied_mask ?: a.requested_mask);
        copy_str(d->aa_name2, sizeof d->aa_name2, a.name2);
        copy_str(d->aa_family, sizeof d->aa_family, a.net_family);
        copy_str(d->aa_sock_type, sizeof d->aa_sock_type, a.net_sock_type);
        copy_str(d->aa_signal, sizeof d->aa_signal, a.signal);
        copy_str(d->dbus_bus, sizeof d->dbus_bus, a.dbus_bus);
        copy_str(d->dbus_path, sizeof d->dbus_path, a.dbus_path);
        copy_str(d->dbus_interface, sizeof d->dbus_interface, a.dbus_interface);
        copy_str(d->dbus_member, sizeof d->dbus_member, a.dbus_member);
        const char *t = rec->text + rec->body;
        size_t n = rec->len - rec->body;
        if (rec->type == TYPE_USER_AVC) {
                /* parse_record() gives the exe= path as comm; the header's pid is dbus-daemon's */
                (void) audit_field_u64(t, n, "pid", &d->header_pid);
                copy_str(d->exe, sizeof d->exe, a.comm);
                d->spid = a.pid;
                d->tpid = a.peer_pid;
                if (a.dbus_interface || a.dbus_member)
                        cat3(d->target, sizeof d->target, a.dbus_interface ?: "",
                             a.dbus_interface ? "." : "", a.dbus_member ?: "");
        } else
                copy_str(d->comm, sizeof d->comm, a.comm);
        /* a capability's record has no mask: its operation says what was asked */
        if (!d->perms[0])
                copy_str(d->perms, sizeof d->perms, a.operation);
        if (!d->target[0] && a.name) {
                copy_str(d->target, sizeof d->target, a.name);
                d->target_is_path = a.name[0] == '/';
        }
        other_records(e, d);
        return 1;
}

int denial_from_event(const AuditEvent *e, Denial *ret) {
        const AuditEventRecord *rec = NULL;
        for (size_t i = 0; i < e->n_records && !rec; i++)
                if (e->records[i].type == TYPE_AVC || e->records[i].type == TYPE_USER_AVC ||
                    (e->records[i].type >= 1500 && e->records[i].type <= 1506))
                        rec = &e->records[i];
        if (!rec)
                return 0;
        Denial *d = ret;
        *d = (Denial){ .sec = e->sec, .msec = e->msec, .serial = e->serial };
        copy_str(d->node, sizeof d->node, e->node);
        d->record_type = rec->type;
        copy(d->record, sizeof d->record, rec->text, rec->len);
        if (apparmor_record_is(rec->text, rec->len))
                return apparmor_denial(e, rec, d);
        return selinux_denial(e, rec, d);
}
