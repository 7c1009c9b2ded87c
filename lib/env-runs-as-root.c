/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* runs-as-root: a network-facing Go service with no User=/DynamicUser= and a capability bounding
 * set the unit does not narrow. Its own file behind the environment detector: it judges the same
 * unit settings at the same moments (a condition check), but the user and the capabilities
 * rather than the environment. The network evidence is the main process's listening sockets
 * (the daemon reads /proc/PID/net/tcp and the like, and the process's socket inodes); while it does not run,
 * a server module in its build info is a weaker hint, and the finding says which it rests on. */
#include <stdio.h>
#include <string.h>

#include "environment-check.h"

/* Modules that make a program a server (net/http itself is in the standard library, which the
 * build info does not list). */
static const char *const server_modules[] = {
        "google.golang.org/grpc",
        "github.com/gin-gonic/gin",
        "github.com/labstack/echo",
        "github.com/gorilla/mux",
        "github.com/go-chi/chi",
        "github.com/gofiber/fiber",
        "github.com/valyala/fasthttp",
        "github.com/julienschmidt/httprouter",
        NULL,
};

static bool as_root(const UnitSettings *s) {
        if (s->dynamic_user)
                return false;
        return !s->user || !s->user[0] || streq(s->user, "root") || streq(s->user, "0");
}

/* The host's full set: a VM's kernel may know fewer capabilities than the bits systemd sets. */
static uint64_t full_caps(const EnvCtx *x) {
        uint64_t last = x->h ? x->h->cap_last_cap : UINT64_MAX;
        return last < 63 ? (UINT64_C(1) << (last + 1)) - 1 : UINT64_MAX;
}

/* What says it is on the network: "socket", "module", or NULL. */
static const char *network(const EnvCtx *x, const char **ret_module) {
        *ret_module = NULL;
        if (x->k->listen_read)
                return x->k->listen_sockets > 0 ? "socket" : NULL;
        *ret_module = env_go_dep(x->k, server_modules);
        return *ret_module ? "module" : NULL;
}

static void root_cause(const EnvCtx *x, Cause *c) {
        const UnitSettings *s = x->k->settings;
        const char *module;
        uint64_t full = full_caps(x);
        if (!as_root(s) || (s->capability_bounding_set & full) != full)
                return;
        const char *net = network(x, &module);
        char key[256], detail[256];
        if (!net)
                return;
        snprintf(key, sizeof key, "root:%s:%s", net, module ?: "");
        if (module)
                snprintf(detail, sizeof detail, "%s in its build, all capabilities", module);
        else
                snprintf(detail, sizeof detail, "listens on port %u, all capabilities",
                         (unsigned) x->k->listen_port_min);
        cause_set(c, key, detail);
}

static void root_explain(Finding *f, const EnvCtx *x, const Cause *c) {
        const UnitSettings *s = x->k->settings;
        const char *module;
        const char *net = network(x, &module);
        char text[768], ev[256], caps[32] = "all";
        env_set_user_evidence(f, x->k);
        if (s->capability_bounding_set != UINT64_MAX &&
            (s->capability_bounding_set & full_caps(x)) != full_caps(x))
                snprintf(caps, sizeof caps, "0x%llx", (unsigned long long) s->capability_bounding_set);
        (void) finding_set_string(f, "CapabilityBoundingSet", caps);
        if (x->h && x->h->cap_last_cap != UINT64_MAX)
                (void) finding_set_u64(f, "cap_last_cap", x->h->cap_last_cap);
        finding_clear_advice(f);
        if (!c || !net)
                return;
        if (module)
                snprintf(ev, sizeof ev, "%s in its build info: a hint, it does not run now", module);
        else {
                snprintf(ev, sizeof ev, "listening sockets of its main process");
                (void) finding_set_u64(f, "listen_sockets", x->k->listen_sockets);
                (void) finding_set_u64(f, "listen_port_min", x->k->listen_port_min);
        }
        (void) finding_set_string(f, "network_evidence", ev);
        uint64_t unpriv = x->h ? x->h->ip_unprivileged_port_start : UINT64_MAX;
        bool privileged = !module && x->k->listen_port_min < (unpriv != UINT64_MAX ? unpriv : 1024);
        snprintf(text, sizeof text,
                 "The service is on the network (%s) and runs as root with every capability: a flaw in "
                 "it hands over the host. Run it as a user of its own with %s (DynamicUser=yes; add "
                 "StateDirectory= for files it keeps):",
                 ev, privileged ? "only the capability to bind its privileged port" : "no capabilities");
        (void) finding_add_advice(f, ADVICE_DROPIN, text,
                                  privileged
                                          ? "[Service]\nDynamicUser=yes\nCapabilityBoundingSet=CAP_NET_BIND_"
                                            "SERVICE\nAmbientCapabilities=CAP_NET_BIND_SERVICE\n"
                                          : "[Service]\nDynamicUser=yes\nCapabilityBoundingSet=\n");
}

const EnvClass env_class_runs_as_root = { FINDING_RUNS_AS_ROOT, root_cause, root_explain };
