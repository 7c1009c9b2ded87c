/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* dns-resolution: what only the daemon can add to such a finding, the resolv.conf the unit sees
 * and the answer of the server it names. The file is read on the inspector's thread, never on
 * the loop: a unit's root or bind-mounted file may sit on a file system that hangs. A finding
 * gets the file's contents once the read is done, and then the probe of its server (only a
 * server the file names is ever asked). */
#include <string.h>

#include "dns-probe.h"
#include "log.h"
#include "manager.h"
#include "network-dns.h"
#include "resolv-conf.h"
#include "state-file.h"
#include "watched-unit.h"

typedef struct ResolvRead {
        InspectorTask task;
        Manager *m;
        char *unit;
        char *path;
        const char *basis;
        int error;
        ResolvConf rc;
} ResolvRead;

static void resolv_read_run(InspectorTask *t) {
        ResolvRead *j = (ResolvRead *) t;
        _cleanup_free_ char *text = NULL;
        size_t n;
        j->error = read_file_capped(j->path, 0, RESOLV_CONF_SIZE_MAX, &text, &n);
        if (j->error >= 0)
                j->error = resolv_conf_parse(text, n, &j->rc);
}

/* The probe of the server the finding's resolv.conf names, and the advice from all of it. */
static void dns_probe_and_advise(Manager *m, Finding *f) {
        char server[RESOLV_CONF_SERVER_MAX];
        if (network_dns_probe_target(f, server, sizeof server)) {
                const Evidence *name = finding_get(f, "dns_name");
                DnsProbe p;
                int r = dns_prober_probe(m->dns_prober, server, name && name->s ? name->s : "", &p);
                if (r > 0)
                        network_dns_set_probe(f, &p);
                else if (r < 0)
                        log_debug("Cannot probe DNS server %s for %s, ignoring: %s", server, f->unit,
                                  strerror(-r));
        }
        network_dns_advise(f);
}

static void findings_changed(Manager *m) {
        m->findings_dirty = true;
        manager_schedule_save(m);
}

static void resolv_read_unit(Manager *m, WatchedUnit *u, Finding *f);

static void resolv_read_done(InspectorTask *t, bool ran) {
        _cleanup_free_ ResolvRead *j = (ResolvRead *) t;
        _cleanup_free_ char *unit = j->unit, *path = j->path;
        Manager *m = j->m;
        if (!ran)
                return; /* the inspector is freed with the Manager */
        size_t i = 0;
        void *v;
        bool any = false;
        while (hashmap_iterate(m->findings.by_id, &i, &v, NULL)) {
                Finding *f = v;
                if (f->class != FINDING_DNS_RESOLUTION || f->state == FINDING_RESOLVED ||
                    !streq(f->unit, unit))
                        continue;
                network_dns_set_resolv_conf(f, path, j->basis, j->error, &j->rc);
                dns_probe_and_advise(m, f);
                manager_bus_finding_updated(m, f);
                any = true;
        }
        if (any)
                findings_changed(m);
        WatchedUnit *u = hashmap_get(m->units, unit);
        if (u) {
                u->resolv_reading = false;
                if (u->resolv_reread) /* its findings changed meanwhile: the file may have too */
                        resolv_read_unit(m, u, NULL);
        }
}

/* At most one read per unit at a time; asked again meanwhile, it reads once more after. path:
 * taken. */
static void resolv_read_start(Manager *m, WatchedUnit *u, char *path, const char *basis) {
        _cleanup_free_ char *p = path;
        if (u->resolv_reading) {
                u->resolv_reread = true;
                return;
        }
        u->resolv_reread = false;
        ResolvRead *j = calloc(1, sizeof *j);
        if (!j || !(j->unit = strdup(u->name))) {
                free(j);
                log_warning_errno(ENOMEM, "Failed to read the resolv.conf of %s, ignoring: %m", u->name);
                return;
        }
        j->task = (InspectorTask){ .run = resolv_read_run, .done = resolv_read_done };
        j->m = m;
        j->path = TAKE_PTR(p);
        j->basis = basis;
        u->resolv_reading = true;
        exe_inspector_submit(m->inspector, &j->task);
}

/* The file the unit sees as /etc/resolv.conf, read on the inspector's thread; when there is none
 * goguardd can read (inside RootImage=), f (if any) says so at once. */
static void resolv_read_unit(Manager *m, WatchedUnit *u, Finding *f) {
        char *path = NULL;
        const char *basis;
        if (!u->have_service_props || resolv_conf_unit_path(&u->settings, &path, &basis) < 0)
                return;
        if (path)
                resolv_read_start(m, u, path, basis);
        else if (f)
                network_dns_set_resolv_conf(f, NULL, basis, 0, &(ResolvConf){});
}

void manager_dns_finding(Manager *m, Finding *f) {
        WatchedUnit *u = hashmap_get(m->units, f->unit);
        if (u)
                resolv_read_unit(m, u, f);
        /* With what it has until the read is done: an earlier read's, or nothing (then no probe). */
        dns_probe_and_advise(m, f);
}

/* A probe ended: every open dns-resolution finding that wants that server gets its answer. */
void manager_dns_probed(void *userdata, const DnsProbe *p) {
        Manager *m = userdata;
        size_t i = 0;
        void *v;
        bool any = false;
        while (hashmap_iterate(m->findings.by_id, &i, &v, NULL)) {
                Finding *f = v;
                char server[RESOLV_CONF_SERVER_MAX];
                if (f->class != FINDING_DNS_RESOLUTION || f->state == FINDING_RESOLVED ||
                    !network_dns_probe_target(f, server, sizeof server) || !streq(server, p->server))
                        continue;
                network_dns_set_probe(f, p);
                network_dns_advise(f);
                manager_bus_finding_updated(m, f);
                any = true;
        }
        if (any)
                findings_changed(m);
}
