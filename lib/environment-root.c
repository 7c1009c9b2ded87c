/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The environment family's classes about what the unit's root offers a Go program: TLS roots
 * (tls-roots-missing), the zone database (timezone-missing) and the users the pure Go os/user
 * sees (nss-user-lookup). The root is the host's (HostFacts) or the unit's RootDirectory=; a
 * RootImage= is not looked into. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "environment-check.h"

/* The TemporaryFileSystem= that hides the host's path from a unit without a root of its own, or
 * NULL; said in evidence. */
static const char *hidden_by(Finding *f, const EnvCtx *x, const char *host_path) {
        const UnitSettings *s = x->k->settings;
        if (!host_path || !x->root || (s->root_directory && s->root_directory[0]))
                return NULL;
        const char *t = unit_view_tmpfs_of(&x->root->view, host_path);
        if (t)
                (void) finding_set_string(f, "unit_temporary_filesystem", t);
        return t;
}

/* ---- tls-roots-missing ---- */

/* Whether the root lacks the roots crypto/x509 would load; -1 when that is not known. */
static int tls_missing(const EnvCtx *x) {
        if (!x->root)
                return -1;
        _cleanup_free_ char *found = NULL;
        if (host_environment_tls_roots(x->root, env_var(x, "SSL_CERT_FILE", NULL),
                                       env_var(x, "SSL_CERT_DIR", NULL), &found) < 0)
                return -1;
        return !found;
}

static void tls_cause(const EnvCtx *x, Cause *c) {
        const char *file = env_var(x, "SSL_CERT_FILE", NULL), *dir = env_var(x, "SSL_CERT_DIR", NULL);
        char key[1200], detail[256];
        /* Set SSL_CERT_FILE or SSL_CERT_DIR says the program makes TLS connections; without them
         * only its output does. */
        if (tls_missing(x) != 1 || (!file && !dir && !(x->active && finding_get(x->active, "go_message"))))
                return;
        if (file || dir) {
                snprintf(key, sizeof key, "tls:%s:%s:%s", x->root_path, file ?: "", dir ?: "");
                snprintf(detail, sizeof detail, "%s%s%s%s%s not found in %s", file ? "SSL_CERT_FILE=" : "",
                         file ?: "", file && dir ? ", " : "", dir ? "SSL_CERT_DIR=" : "", dir ?: "",
                         x->root_path);
        } else {
                snprintf(key, sizeof key, "tls:%s", x->root_path);
                snprintf(detail, sizeof detail, "no CA certificates in %s", x->root_path);
        }
        cause_set(c, key, detail);
}

static void tls_explain(Finding *f, const EnvCtx *x, const Cause *c) {
        const char *file = env_var(x, "SSL_CERT_FILE", NULL), *dir = env_var(x, "SSL_CERT_DIR", NULL);
        const UnitSettings *s = x->k->settings;
        char text[768], dropin[512];
        finding_clear_advice(f);
        /* The paths are the finding: where the program was told to look. */
        if (file)
                (void) finding_set_string(f, "SSL_CERT_FILE", file);
        if (dir)
                (void) finding_set_string(f, "SSL_CERT_DIR", dir);
        int missing = tls_missing(x);
        if (missing >= 0)
                (void) finding_set_bool(f, "tls_roots_found", !missing);
        const char *host_roots = x->h && x->h->environment ? x->h->environment->tls_roots : NULL;
        const char *hidden = hidden_by(f, x, host_roots);
        if (!c) {
                (void) finding_add_advice(
                        f, ADVICE_TEXT,
                        "The program does not trust the certificate of a server it connects to. If the "
                        "unit's root has CA certificates, the server's certificate comes from an authority "
                        "they do not hold: add that authority with SSL_CERT_FILE/SSL_CERT_DIR.",
                        NULL);
                return;
        }
        if ((file || dir) && host_roots) {
                snprintf(text, sizeof text,
                         "SSL_CERT_FILE/SSL_CERT_DIR point at nothing readable in %s, so the program finds "
                         "no "
                         "CA certificates and trusts no server. Point it at the CA bundle that is there:",
                         x->root_path);
                bool isdir = host_environment_has(x->h->environment, host_roots, true);
                snprintf(dropin, sizeof dropin, "[Service]\nEnvironment=%s=%s\n",
                         isdir ? "SSL_CERT_DIR" : "SSL_CERT_FILE", host_roots);
                (void) finding_add_advice(f, ADVICE_DROPIN, text, dropin);
        } else if (hidden && !file && !dir) {
                snprintf(text, sizeof text,
                         "The unit's TemporaryFileSystem=%s hides the CA certificates (%s) from it, so the "
                         "program trusts no server. Bind them back in:",
                         hidden, host_roots);
                snprintf(dropin, sizeof dropin, "[Service]\nBindReadOnlyPaths=%s\n", host_roots);
                (void) finding_add_advice(f, ADVICE_DROPIN, text, dropin);
        } else if (s && s->root_directory && s->root_directory[0] && host_roots) {
                snprintf(text, sizeof text,
                         "RootDirectory=%s has none of the CA certificate files Go looks for "
                         "(/etc/ssl/certs/ca-certificates.crt, /etc/pki/tls/certs/ca-bundle.crt, ...). "
                         "Bind the host's in:",
                         s->root_directory);
                snprintf(dropin, sizeof dropin, "[Service]\nBindReadOnlyPaths=/etc/ssl/certs\n");
                (void) finding_add_advice(f, ADVICE_DROPIN, text, dropin);
        } else
                (void) finding_add_advice(f, ADVICE_COMMAND,
                                          "The root has none of the CA certificate files Go looks for. "
                                          "Install them (Debian, Ubuntu):",
                                          "apt-get install ca-certificates");
}

const EnvClass env_class_tls = { FINDING_TLS_ROOTS_MISSING, tls_cause, tls_explain };

/* ---- timezone-missing ---- */

/* The zone the program wants: TZ (a name, not a path), else the one its output named. */
static const char *wanted_zone(const EnvCtx *x, const char **ret_source) {
        const char *tz = env_var(x, "TZ", NULL);
        if (tz && tz[0] == ':')
                tz++;
        if (tz && tz[0] && tz[0] != '/' && !streq(tz, "UTC")) {
                *ret_source = "TZ";
                return tz;
        }
        const Evidence *z = x->active ? finding_get(x->active, "zone") : NULL;
        *ret_source = "the program's output";
        return z && z->type == EVIDENCE_STRING ? z->s : NULL;
}

static void timezone_cause(const EnvCtx *x, Cause *c) {
        const char *src;
        const char *zone = wanted_zone(x, &src);
        char key[600], detail[300];
        /* Built with the zone database inside (-tags timetzdata), LoadLocation never misses one;
         * the time/tzdata package alone is not visible in the build info. */
        if (!zone || !x->root || env_go_tag(x->k, "timetzdata") ||
            host_environment_has_zone(x->root, zone, env_var(x, "ZONEINFO", NULL)))
                return;
        snprintf(key, sizeof key, "zone:%s:%s", x->root_path, zone);
        snprintf(detail, sizeof detail, "%s not in %s", zone, x->root_path);
        cause_set(c, key, detail);
}

static void timezone_explain(Finding *f, const EnvCtx *x, const Cause *c) {
        const char *src, *z = wanted_zone(x, &src);
        /* A copy: it may be f's own evidence, which setting it again frees. */
        _cleanup_free_ char *zone = z ? strdup(z) : NULL;
        if (z && !zone)
                return;
        const UnitSettings *s = x->k->settings;
        char text[768], dropin[256];
        finding_clear_advice(f);
        if (zone) {
                /* The zone's name is the finding, not a secret. */
                (void) finding_set_string(f, "zone", zone);
                (void) finding_set_string(f, "zone_source", src);
        }
        if (x->root)
                (void) finding_set_string(f, "zoneinfo_dir", x->root->zoneinfo_dir ?: "");
        if (!c) {
                (void) finding_add_advice(f, ADVICE_TEXT,
                                          "The zone database of the unit's root has this zone: check the "
                                          "name the program was given (timedatectl list-timezones).",
                                          NULL);
                return;
        }
        const char *silent = streq(src, "TZ") ? " With TZ naming a zone it cannot load, a Go program "
                                                "silently runs in UTC."
                                              : "";
        const char *host_zones = x->h && x->h->environment ? x->h->environment->zoneinfo_dir : NULL;
        const char *hidden = x->root && !x->root->zoneinfo_dir ? hidden_by(f, x, host_zones) : NULL;
        if (x->root && x->root->zoneinfo_dir) {
                snprintf(text, sizeof text,
                         "The zone database in %s (%s) has no zone %s.%s Check the name (timedatectl "
                         "list-timezones) and update tzdata.",
                         x->root_path, x->root->zoneinfo_dir, zone, silent);
                (void) finding_add_advice(f, ADVICE_TEXT, text, NULL);
        } else if (hidden) {
                snprintf(
                        text, sizeof text,
                        "The unit's TemporaryFileSystem=%s hides the zone database (%s) from it, so zone %s "
                        "cannot be loaded.%s Bind it back in:",
                        hidden, host_zones, zone, silent);
                size_t n = strlen(host_zones);
                snprintf(dropin, sizeof dropin, "[Service]\nBindReadOnlyPaths=%.*s\n",
                         (int) (n > 1 && host_zones[n - 1] == '/' ? n - 1 : n), host_zones);
                (void) finding_add_advice(f, ADVICE_DROPIN, text, dropin);
        } else if (s && s->root_directory && s->root_directory[0]) {
                snprintf(text, sizeof text,
                         "RootDirectory=%s has no zone database (/usr/share/zoneinfo), so zone %s cannot be "
                         "loaded.%s Bind the host's in (or build with -tags timetzdata):",
                         s->root_directory, zone, silent);
                snprintf(dropin, sizeof dropin, "[Service]\nBindReadOnlyPaths=/usr/share/zoneinfo\n");
                (void) finding_add_advice(f, ADVICE_DROPIN, text, dropin);
        } else {
                snprintf(text, sizeof text,
                         "The host has no zone database (/usr/share/zoneinfo), so zone %s cannot be "
                         "loaded.%s Install tzdata (or build with -tags timetzdata):",
                         zone, silent);
                (void) finding_add_advice(f, ADVICE_COMMAND, text, "apt-get install tzdata");
        }
}

const EnvClass env_class_timezone = { FINDING_TIMEZONE_MISSING, timezone_cause, timezone_explain };

/* ---- nss-user-lookup ---- */

/* Whether the program looks users up in /etc/passwd alone: built without cgo, or with osusergo. */
static bool pure_go_user(const UnitKnowledge *k) {
        return k->exe && (k->exe->cgo == 0 || env_go_tag(k, "osusergo"));
}

/* Why the unit's user is not in the root's /etc/passwd, or NULL (it is, or that is not known). */
static const char *user_not_in_passwd(const EnvCtx *x) {
        const UnitSettings *s = x->k->settings;
        if (!x->root || !x->root->users_read || x->root->users_truncated)
                return NULL;
        const char *user = s->user && s->user[0] ? s->user : NULL;
        if (user && host_environment_user(x->root, user))
                return NULL; /* a static user, also with DynamicUser= (systemd then uses it) */
        if (s->dynamic_user)
                return "a DynamicUser= user";
        if (user)
                return "a user from NSS only";
        return NULL; /* root */
}

static void nss_cause(const EnvCtx *x, Cause *c) {
        const Evidence *m = x->active ? finding_get(x->active, "go_message") : NULL;
        const char *why = user_not_in_passwd(x);
        char key[256], detail[256];
        if (!m || !why || !pure_go_user(x->k))
                return;
        /* Current() falls back to $USER and $HOME when /etc/passwd lacks the user. */
        if (strstr(m->s, "Current requires") && env_var(x, "USER", NULL) && env_var(x, "HOME", NULL))
                return;
        snprintf(key, sizeof key, "nss:%s:%s", x->k->settings->user ?: "", why);
        snprintf(detail, sizeof detail, "%s, built without cgo", why);
        cause_set(c, key, detail);
}

static void nss_explain(Finding *f, const EnvCtx *x, const Cause *c) {
        char text[768], dropin[1024];
        env_set_user_evidence(f, x->k);
        if (x->k->exe && x->k->exe->cgo >= 0)
                (void) finding_set_bool(f, "cgo", x->k->exe->cgo == 1);
        if (x->root)
                (void) finding_set_string(f, "nss_passwd", x->root->nss_passwd ?: "files");
        const char *why = user_not_in_passwd(x);
        if (x->root && x->root->users_read)
                (void) finding_set_bool(f, "user_in_passwd", !why);
        finding_clear_advice(f);
        if (!c) {
                (void) finding_add_advice(f, ADVICE_TEXT,
                                          "The program looked up a user or group that does not exist: check "
                                          "the name or id it was given.",
                                          NULL);
                return;
        }
        snprintf(text, sizeof text,
                 "The program was built without cgo, so os/user reads only /etc/passwd and /etc/group, and "
                 "the unit runs as %s, which is not there (nsswitch.conf: passwd: %s). Build it with cgo "
                 "(CGO_ENABLED=1, and without -tags osusergo) so lookups go through NSS, or give it the "
                 "USER and HOME that user.Current() falls back to:",
                 why, x->root && x->root->nss_passwd ? x->root->nss_passwd : "files");
        snprintf(dropin, sizeof dropin,
                 "[Service]\nStateDirectory=%s\nEnvironment=USER=%s HOME=/var/lib/%s\n", x->name,
                 x->k->settings->user && x->k->settings->user[0] ? x->k->settings->user : x->name, x->name);
        (void) finding_add_advice(f, ADVICE_DROPIN, text, dropin);
}

const EnvClass env_class_nss = { FINDING_NSS_USER_LOOKUP, nss_cause, nss_explain };
