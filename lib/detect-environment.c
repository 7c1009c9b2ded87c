/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The environment family: home-unset, path-unsafe, ld-library-path-unsafe, go-toolchain-at-start,
 * gomaxprocs-vs-quota, gomemlimit-vs-limit, tls-roots-missing, timezone-missing, nss-user-lookup,
 * and runs-as-root (env-runs-as-root.c: a posture of the same unit settings). Condition classes:
 * check() judges the unit's environment (Environment=, EnvironmentFile=, the live process), its
 * user, its limits, its binary and the root it sees, before it runs; the Go messages of each in
 * the unit's output confirm them. Environment values are secrets: evidence holds a value only
 * where it is the finding (PATH's unsafe entries, a GOMEMLIMIT, a time zone). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "environment-check.h"

typedef enum Token {
        TOKEN_NONE,
        TOKEN_WORD, /* the word after the needle: a zone, a uid */
        TOKEN_REST, /* up to the end of the line: "go: downloading MODULE VERSION" */
        TOKEN_SET,  /* up to "set in environment" */
} Token;

static const struct {
        const char *text;
        const EnvClass *cls;
        Token token;
} needles[] = {
        /* src/os/file.go UserHomeDir/UserCacheDir/UserConfigDir; the go tool's first, as its
         * text holds UserCacheDir's (cmd/go/internal/cache/default.go). */
        { "GOCACHE is not defined and neither $XDG_CACHE_HOME nor $HOME are defined", &env_class_home },
        { "neither $XDG_CACHE_HOME nor $HOME are defined", &env_class_home },
        { "neither $XDG_CONFIG_HOME nor $HOME are defined", &env_class_home },
        { "$HOME is not defined", &env_class_home },
        /* src/os/exec/lp_unix.go, Go 1.19's ErrDot: a PATH entry that is not absolute. */
        { "cannot run executable found relative to current directory", &env_class_path },
        /* cmd/go fetching modules at start. */
        { "go: downloading ", &env_class_go_toolchain, TOKEN_REST },
        /* src/runtime/mgcpacer.go readGOMEMLIMIT. */
        { "malformed GOMEMLIMIT", &env_class_gomemlimit },
        /* src/crypto/x509/verify.go. */
        { "x509: failed to load system roots and no roots provided", &env_class_tls },
        { "x509: certificate signed by unknown authority", &env_class_tls },
        /* src/time/zoneinfo_read.go LoadLocation. */
        { "unknown time zone ", &env_class_timezone, TOKEN_WORD },
        /* src/os/user/user.go, lookup_stubs.go. */
        { "user: unknown userid ", &env_class_nss, TOKEN_WORD },
        { "user: unknown user ", &env_class_nss, TOKEN_WORD },
        { "group: unknown groupid ", &env_class_nss, TOKEN_WORD },
        { "user: Current requires cgo or $", &env_class_nss, TOKEN_SET },
};

static const char *const unit_needles[] = {
        "GOCACHE is not defined and neither $XDG_CACHE_HOME nor $HOME are defined",
        "neither $XDG_CACHE_HOME nor $HOME are defined",
        "neither $XDG_CONFIG_HOME nor $HOME are defined",
        "$HOME is not defined",
        "cannot run executable found relative to current directory",
        "go: downloading ",
        "malformed GOMEMLIMIT",
        "x509: failed to load system roots and no roots provided",
        "x509: certificate signed by unknown authority",
        "unknown time zone ",
        "user: unknown userid ",
        "user: unknown user ",
        "group: unknown groupid ",
        "user: Current requires cgo or $",
        NULL,
};

/* The order check() reports them in. */
static const EnvClass *const env_classes[] = {
        &env_class_home,         &env_class_path,       &env_class_ld_library_path,
        &env_class_go_toolchain, &env_class_gomaxprocs, &env_class_gomemlimit,
        &env_class_tls,          &env_class_timezone,   &env_class_nss,
        &env_class_runs_as_root,
};

static const FindingClass classes[] = {
        FINDING_HOME_UNSET,
        FINDING_PATH_UNSAFE,
        FINDING_LD_LIBRARY_PATH_UNSAFE,
        FINDING_GO_TOOLCHAIN_AT_START,
        FINDING_GOMAXPROCS_VS_QUOTA,
        FINDING_GOMEMLIMIT_VS_LIMIT,
        FINDING_TLS_ROOTS_MISSING,
        FINDING_TIMEZONE_MISSING,
        FINDING_NSS_USER_LOOKUP,
        FINDING_RUNS_AS_ROOT,
        _FINDING_CLASS_INVALID,
};

typedef struct EnvDetector {
        Correlator *c;
} EnvDetector;

/* ---- shared helpers ---- */

void cause_set(Cause *c, const char *key, const char *detail) {
        c->holds = true;
        snprintf(c->key, sizeof c->key, "%s", key);
        snprintf(c->detail, sizeof c->detail, "%s", detail);
}

const char *env_var(const EnvCtx *x, const char *name, const char **ret_source) {
        const char *src = NULL;
        const char *v = unit_knowledge_env(x->k, name, &src);
        if (ret_source)
                *ret_source = src;
        return v;
}

bool env_is_go_tool(const UnitKnowledge *k) {
        if (k->exe && k->exe->modinfo && streq(k->exe->modinfo->path, "cmd/go"))
                return true;
        const char *p = k->settings ? k->settings->exec_start_path : NULL;
        const char *base = p ? strrchr(p, '/') : NULL;
        return base && streq(base + 1, "go") && !(k->exe && k->exe->have_buildinfo);
}

const char *env_go_tool_verb(const UnitKnowledge *k) {
        static const char *const compiling[] = { "run", "build", "install", "test", "generate" };
        if (!env_is_go_tool(k))
                return NULL;
        char *const *argv = k->settings ? k->settings->exec_start_argv : NULL;
        if (!argv || !argv[0])
                return "";
        for (size_t i = 0; argv[1] && i < ELEMENTSOF(compiling); i++)
                if (streq(argv[1], compiling[i]))
                        return compiling[i];
        return NULL;
}

int env_go_minor(const UnitKnowledge *k) {
        unsigned major, minor;
        if (!k->exe || !k->exe->have_buildinfo ||
            go_version_parse(k->exe->buildinfo.version, &major, &minor) < 0)
                return -1;
        return (int) minor;
}

const char *env_go_dep(const UnitKnowledge *k, const char *const *prefixes) {
        const GoModInfo *mi = k->exe ? k->exe->modinfo : NULL;
        for (size_t i = 0; mi && i < mi->n_deps; i++)
                for (const char *const *p = prefixes; *p; p++)
                        if (mi->deps[i].path && strncmp(mi->deps[i].path, *p, strlen(*p)) == 0)
                                return mi->deps[i].path;
        return NULL;
}

bool env_list_has(const char *list, const char *item) {
        size_t n = strlen(item);
        for (const char *p = list; p && *p;) {
                size_t m = strcspn(p, ",");
                if (m == n && strncmp(p, item, n) == 0)
                        return true;
                p += m + (p[m] == ',');
        }
        return false;
}

bool env_go_tag(const UnitKnowledge *k, const char *tag) {
        return env_list_has(k->exe && k->exe->modinfo ? go_modinfo_setting(k->exe->modinfo, "-tags") : NULL,
                            tag);
}

void env_set_user_evidence(Finding *f, const UnitKnowledge *k) {
        if (!k->known || !k->settings)
                return;
        (void) finding_set_string(f, "User", k->settings->user ?: "");
        (void) finding_set_bool(f, "DynamicUser", k->settings->dynamic_user);
}

/* Whether the output showed the program needs what the cause is about. */
static bool needed(const EnvCtx *x) {
        return x->active && finding_get(x->active, "go_message");
}

/* ---- home-unset ---- */

/* Whether systemd gives the process a HOME: with User= (root's too) of a user whose home is
 * neither empty nor "/"; DynamicUser= users have "/" (systemd's exec_context build_environment).
 * Returns the reason there is none, or NULL. */
static const char *home_missing(const EnvCtx *x) {
        if (env_var(x, "HOME", NULL))
                return NULL;
        /* Why, from the settings first: the same whether the process was read or not. */
        const UnitSettings *s = x->k->settings;
        const HostUser *u =
                s && s->user && s->user[0] && x->root ? host_environment_user(x->root, s->user) : NULL;
        if (s && s->dynamic_user)
                return "DynamicUser= users have no home directory";
        if (s && (!s->user || !s->user[0]))
                return "no User=: systemd sets HOME only for a User=";
        if (u && (!u->home[0] || streq(u->home, "/")))
                return "User='s home directory is /";
        return x->k->process_environment ? "not in the process environment" : NULL;
}

static void home_cause(const EnvCtx *x, Cause *c) {
        const char *why = home_missing(x);
        if (!why)
                return;
        /* The go tool always needs a build cache: HOME, GOCACHE or XDG_CACHE_HOME. */
        bool go_tool = env_go_tool_verb(x->k) && !env_var(x, "GOCACHE", NULL) &&
                       !env_var(x, "XDG_CACHE_HOME", NULL);
        if (!go_tool && !needed(x))
                return;
        char key[256];
        snprintf(key, sizeof key, "HOME:%s", why);
        cause_set(c, key, go_tool ? "the go tool's build cache" : why);
}

static void home_explain(Finding *f, const EnvCtx *x, const Cause *c) {
        const Evidence *m = finding_get(f, "go_message");
        const char *msg = m ? m->s : "";
        char text[1024], dropin[1024];
        env_set_user_evidence(f, x->k);
        const char *why = home_missing(x);
        if (why)
                (void) finding_set_string(f, "home_reason", why);
        finding_clear_advice(f);
        if (strstr(msg, "GOCACHE") || (!m && c)) {
                snprintf(text, sizeof text,
                         "The go tool needs a build cache and finds none: it has neither GOCACHE nor "
                         "XDG_CACHE_HOME nor HOME. Give it one in a directory of the unit's own:");
                snprintf(dropin, sizeof dropin,
                         "[Service]\nCacheDirectory=%s\nEnvironment=GOCACHE=/var/cache/%s/go-build\n",
                         x->name, x->name);
        } else if (strstr(msg, "XDG_CACHE_HOME")) {
                snprintf(text, sizeof text,
                         "The program looks for its cache directory (os.UserCacheDir) and the unit sets "
                         "neither XDG_CACHE_HOME nor HOME (%s). Give it a cache directory of its own:",
                         why ?: "not set");
                snprintf(dropin, sizeof dropin,
                         "[Service]\nCacheDirectory=%s\nEnvironment=XDG_CACHE_HOME=/var/cache/%s\n", x->name,
                         x->name);
        } else if (strstr(msg, "XDG_CONFIG_HOME")) {
                snprintf(text, sizeof text,
                         "The program looks for its configuration directory (os.UserConfigDir) and the unit "
                         "sets neither XDG_CONFIG_HOME nor HOME (%s). Give it one:",
                         why ?: "not set");
                snprintf(dropin, sizeof dropin,
                         "[Service]\nConfigurationDirectory=%s\nEnvironment=XDG_CONFIG_HOME=/etc/%s\n",
                         x->name, x->name);
        } else {
                snprintf(text, sizeof text,
                         "The program looks for its home directory (os.UserHomeDir) and the unit's "
                         "environment has no HOME (%s). Give it a state directory of its own as HOME:",
                         why ?: "not set");
                snprintf(dropin, sizeof dropin,
                         "[Service]\nStateDirectory=%s\nEnvironment=HOME=/var/lib/%s\n", x->name, x->name);
        }
        (void) finding_add_advice(f, ADVICE_DROPIN, text, dropin);
}

const EnvClass env_class_home = { FINDING_HOME_UNSET, home_cause, home_explain };

/* ---- path-unsafe, ld-library-path-unsafe ---- */

/* The entries of a search path someone else than root could plant a file in: "", ".", relative
 * directories, and directories (under the unit's root) writable by a user or group other than
 * root. Into buf as "ENTRY (why), ..."; the entries that are safe into safe (":"-joined). */
static size_t unsafe_entries(const EnvCtx *x, const char *value, char *buf, size_t size, char *safe,
                             size_t safe_size) {
        size_t n = 0, used = 0, safe_used = 0;
        buf[0] = safe[0] = 0;
        for (const char *p = value;; p++) {
                size_t len = strcspn(p, ":");
                char entry[1024];
                snprintf(entry, sizeof entry, "%.*s", (int) MIN(len, sizeof entry - 1), p);
                const char *why = NULL;
                struct stat st;
                if (!entry[0])
                        why = "empty: the current directory";
                else if (entry[0] != '/')
                        why = "relative";
                else if (x->root) {
                        char full[2048];
                        int k = snprintf(full, sizeof full, "%s%s",
                                         streq(x->root->root, "/") ? "" : x->root->root, entry);
                        size_t top = streq(x->root->root, "/") ? 0 : strlen(x->root->root);
                        bool missing = false;
                        /* A directory that is not there can be made by whoever may write its
                         * parent (goguardd's own /tmp is private: such entries end up here). The
                         * root itself is not judged: --root=DIR is the operator's. */
                        while (k > 0 && stat(full, &st) < 0) {
                                char *slash = strrchr(full, '/');
                                missing = true;
                                if (!slash || (size_t) (slash - full) <= top)
                                        k = 0;
                                else
                                        *slash = 0;
                        }
                        bool ok = k > 0;
                        if (ok && (st.st_mode & S_IWOTH))
                                why = missing ? "missing, in a directory writable by everyone"
                                              : "writable by everyone";
                        else if (ok && (st.st_mode & S_IWGRP) && st.st_gid != 0)
                                why = missing ? "missing, in a directory writable by a group other than root"
                                              : "writable by a group other than root";
                        else if (ok && st.st_uid != 0)
                                why = missing ? "missing, in a directory of a user other than root"
                                              : "owned by a user other than root";
                }
                if (why) {
                        int k = snprintf(buf + used, size - used, "%s%s (%s)", n ? ", " : "",
                                         entry[0] ? entry : "\"\"", why);
                        if (k > 0 && (size_t) k < size - used)
                                used += (size_t) k;
                        n++;
                } else {
                        int k = snprintf(safe + safe_used, safe_size - safe_used, "%s%s",
                                         safe_used ? ":" : "", entry);
                        if (k > 0 && (size_t) k < safe_size - safe_used)
                                safe_used += (size_t) k;
                }
                p += len;
                if (!*p)
                        break;
        }
        return n;
}

static void search_path_cause(const EnvCtx *x, const char *var, Cause *c) {
        const char *v = env_var(x, var, NULL);
        char list[1024], safe[1024], key[1200];
        if (!v || unsafe_entries(x, v, list, sizeof list, safe, sizeof safe) == 0)
                return;
        snprintf(key, sizeof key, "%s:%s", var, list);
        cause_set(c, key, list);
}

static void search_path_explain(Finding *f, const EnvCtx *x, const char *var, const char *advice_what,
                                const char *fallback) {
        const char *src = NULL;
        const char *v = env_var(x, var, &src);
        char list[1024], safe[1024], key[64], text[2560], dropin[1100];
        finding_clear_advice(f);
        if (!v)
                return;
        unsafe_entries(x, v, list, sizeof list, safe, sizeof safe);
        (void) finding_set_string(f, "unsafe_entries", list);
        snprintf(key, sizeof key, "%s_source", var);
        (void) finding_set_string(f, key, src);
        const char *where = streq(src, "EnvironmentFile=") ? " (it comes from an EnvironmentFile=, which "
                                                             "overrides Environment=: change it there)"
                                                           : "";
        snprintf(text, sizeof text,
                 "%s %s: %s. Keep only absolute directories that only root can write%s:", var, advice_what,
                 list, where);
        if (safe[0])
                snprintf(dropin, sizeof dropin, "[Service]\nEnvironment=%s=%s\n", var, safe);
        else
                snprintf(dropin, sizeof dropin, "[Service]\n%s\n", fallback);
        (void) finding_add_advice(f, ADVICE_DROPIN, text, dropin);
}

static void path_cause(const EnvCtx *x, Cause *c) {
        search_path_cause(x, "PATH", c);
}

static void path_explain(Finding *f, const EnvCtx *x, const Cause *c) {
        (void) c;
        search_path_explain(f, x, "PATH",
                            "lets others plant the commands the program runs by name (os/exec looks them up "
                            "there)",
                            "Environment=PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin");
}

const EnvClass env_class_path = { FINDING_PATH_UNSAFE, path_cause, path_explain };

static void ld_cause(const EnvCtx *x, Cause *c) {
        search_path_cause(x, "LD_LIBRARY_PATH", c);
}

static void ld_explain(Finding *f, const EnvCtx *x, const Cause *c) {
        (void) c;
        search_path_explain(f, x, "LD_LIBRARY_PATH",
                            "lets others plant the shared libraries a cgo program (and every program it "
                            "runs) loads",
                            "UnsetEnvironment=LD_LIBRARY_PATH");
}

const EnvClass env_class_ld_library_path = { FINDING_LD_LIBRARY_PATH_UNSAFE, ld_cause, ld_explain };

/* ---- go-toolchain-at-start ---- */

static void toolchain_cause(const EnvCtx *x, Cause *c) {
        const char *verb = env_go_tool_verb(x->k);
        char key[64], detail[64];
        if (!verb)
                return;
        snprintf(key, sizeof key, "go:%s", verb);
        snprintf(detail, sizeof detail, "go%s%s", verb[0] ? " " : "", verb);
        cause_set(c, key, detail);
}

static void toolchain_explain(Finding *f, const EnvCtx *x, const Cause *c) {
        const char *verb = env_go_tool_verb(x->k);
        char text[768], dropin[512], cmd[64];
        snprintf(cmd, sizeof cmd, "go%s%s", verb && verb[0] ? " " : "", verb ?: "");
        (void) finding_set_string(f, "go_tool_command", cmd);
        if (x->k->settings && x->k->settings->exec_start_path)
                (void) finding_set_string(f, "go_tool_path", x->k->settings->exec_start_path);
        finding_clear_advice(f);
        snprintf(text, sizeof text,
                 "ExecStart= runs \"%s\": every start compiles the program, needs a build cache (HOME or "
                 "GOCACHE) and module downloads over the network, and fails when either is missing. Build "
                 "the binary once (go build -o /usr/local/bin/%s) and run that:",
                 c || verb ? cmd : "go", x->name);
        snprintf(dropin, sizeof dropin, "[Service]\nExecStart=\nExecStart=/usr/local/bin/%s\n", x->name);
        (void) finding_add_advice(f, ADVICE_DROPIN, text, dropin);
}

const EnvClass env_class_go_toolchain = { FINDING_GO_TOOLCHAIN_AT_START, toolchain_cause,
                                          toolchain_explain };

/* ---- the detector ---- */

/* The unit's context; with own_root_later, a root of the unit's own is not read (x->root NULL)
 * and 1 is returned when it has one. */
static int make_ctx(const char *unit, const UnitKnowledge *k, const HostFacts *h, bool own_root_later,
                    EnvCtx *x, HostEnvironment **ret_own) {
        *x = (EnvCtx){ .unit = unit, .k = k, .h = h, .root_path = "/" };
        *ret_own = NULL;
        snprintf(x->name, sizeof x->name, "%s", unit);
        char *dot = strrchr(x->name, '.');
        if (dot && streq(dot, ".service"))
                *dot = 0;
        const UnitSettings *s = k->settings;
        if (!h)
                return 0;
        if (s && s->root_image && s->root_image[0]) {
                x->root_path = s->root_image;
                if (s->main_pid == 0)
                        return 0; /* an image goguard does not mount: not looked into */
                if (own_root_later)
                        return 1;
                /* While it runs, its process's root is the image mounted, binds and all. */
                char p[64];
                snprintf(p, sizeof p, "%s/%u/root", h->proc_root ?: "/proc", s->main_pid);
                struct stat st;
                if (stat(p, &st) < 0 || !S_ISDIR(st.st_mode))
                        return 0; /* gone: not judged rather than judged empty */
                int r = host_environment_read(p, ret_own);
                if (r < 0)
                        return r;
                x->root = *ret_own;
                snprintf(x->view, sizeof x->view, "%s (RootImage=, the running process's view)", p);
                return 0;
        }
        bool own_root = s && s->root_directory && s->root_directory[0] && !streq(s->root_directory, "/");
        if (own_root || (s && s->temporary_filesystem)) {
                if (own_root)
                        x->root_path = s->root_directory;
                if (own_root_later)
                        return 1;
                /* Its own root, or the host's with what TemporaryFileSystem= hides (and the binds
                 * put back). */
                _cleanup_free_ char *p = NULL;
                if (asprintf(&p, "%s%s", streq(h->root, "/") ? "" : h->root,
                             own_root ? s->root_directory : "") < 0)
                        return -ENOMEM;
                UnitView view = { .tmpfs = s->temporary_filesystem,
                                  .binds = { s->bind_paths, s->bind_read_only_paths } };
                int r = host_environment_read_view(*p ? p : "/", h->root, &view, ret_own);
                if (r < 0)
                        return r;
                x->root = *ret_own;
                return 0;
        }
        x->root = h->environment;
        return 0;
}

static int env_check(void *state, const char *unit, const UnitKnowledge *k, const HostFacts *h) {
        EnvDetector *d = state;
        EnvCtx x;
        _cleanup_(host_environment_freep) HostEnvironment *own = NULL;
        int n = 0;

        if (!k->known || !k->settings)
                return 0;
        int r = make_ctx(unit, k, h, false, &x, &own);
        if (r < 0)
                return r;
        for (size_t i = 0; i < ELEMENTSOF(env_classes); i++) {
                const EnvClass *ec = env_classes[i];
                Cause c = {};
                Finding *f;
                bool added;
                x.active = finding_store_find_active(correlator_store(d->c), ec->cls, unit);
                ec->cause(&x, &c);
                if (!c.holds)
                        continue;
                r = correlator_condition(d->c, ec->cls, unit, c.key, &f, &added);
                if (r < 0)
                        return r;
                if (r == 0)
                        continue;
                (void) finding_set_bool(f, "unit_settings_known", k->known);
                if (k->exe && k->exe->have_buildinfo && k->exe->buildinfo.version)
                        (void) finding_set_string(f, "go_version", k->exe->buildinfo.version);
                (void) finding_set_string(f, "unit_root", x.root_path);
                if (x.view[0])
                        (void) finding_set_string(f, "unit_view", x.view);
                ec->explain(f, &x, &c);
                finding_update_summary(f, c.detail);
                correlator_notify(d->c, f, added);
                n++;
        }
        return n;
}

/* The message alone: the needle and its word, never the rest of the line (which may carry the
 * program's configuration). */
static void message_of(const JournalRecord *r, const char *needle, Token token, char *buf, size_t size) {
        const char *at = memmem(r->message, r->message_len, needle, strlen(needle));
        size_t start = at ? (size_t) (at - r->message) : 0, end = start + strlen(needle);
        const char *e = r->message + r->message_len;
        if (at && token == TOKEN_WORD) {
                if (end < r->message_len && r->message[end] == '"')
                        end++;
                while (end < r->message_len && !strchr(" \t\"',;", r->message[end]))
                        end++;
        } else if (at && token == TOKEN_REST)
                end = r->message_len;
        else if (at && token == TOKEN_SET) {
                const char *s = memmem(r->message + end, (size_t) (e - (r->message + end)),
                                       "set in environment", STRLEN("set in environment"));
                if (s && s - r->message < 200)
                        end = (size_t) (s - r->message) + STRLEN("set in environment");
        }
        end = MIN(end, start + 200);
        snprintf(buf, size, "%.*s", (int) (end - start), r->message + start);
}

static int env_on_unit_line(void *state, const JournalRecord *r, const char *needle) {
        EnvDetector *d = state;
        UnitKnowledge k;
        size_t i;
        for (i = 0; i < ELEMENTSOF(needles) && !streq(needles[i].text, needle); i++)
                ;
        if (i == ELEMENTSOF(needles) || !correlator_lookup_wanted(d->c, r->unit, &k))
                return 0;
        const EnvClass *ec = needles[i].cls;
        char msg[256], key[192];
        /* A unit goguard does not know (offline, gone): judged by systemd's defaults. */
        UnitSettings none;
        unit_settings_init(&none);
        if (!k.settings)
                k.settings = &none;
        message_of(r, needle, needles[i].token, msg, sizeof msg);

        EnvCtx x;
        _cleanup_(host_environment_freep) HostEnvironment *own = NULL;
        /* What the unit's output is judged against: the host facts the daemon (and goguardctl
         * check) gave the correlator; NULL offline. */
        int rr = make_ctx(r->unit, &k, correlator_host_facts(d->c), correlator_checks_apart(d->c), &x, &own);
        if (rr < 0)
                return rr;
        /* Its own root is looked into by a check, on the caller's other thread: until then the
         * line is judged as if its root were not known. */
        bool root_later = rr > 0;
        /* A server's certificate from a private authority is not this class: only without roots
         * (or when the root is not known). */
        if (ec == &env_class_tls && strstr(needle, "unknown authority") && x.root) {
                char *found = NULL;
                if (host_environment_tls_roots(x.root, env_var(&x, "SSL_CERT_FILE", NULL),
                                               env_var(&x, "SSL_CERT_DIR", NULL), &found) < 0)
                        return -ENOMEM;
                bool have = found;
                free(found);
                if (have)
                        return 0;
        }

        JournalPosition posbuf;
        Finding *f;
        bool added;
        /* A program that fails at start fails the same way at every restart: one per invocation. */
        snprintf(key, sizeof key, "%s/inv/%s/%s", r->boot_id ?: "-", r->invocation_id ?: "-",
                 finding_class_info(ec->cls)->name);
        rr = correlator_count(d->c, ec->cls, r->unit, key, r->invocation_id, r->realtime,
                              journal_record_position(r, &posbuf), &f, &added);
        if (rr <= 0)
                return rr;
        finding_set_common_evidence(f, r, &k);
        (void) finding_set_string(f, "go_message", msg);
        (void) finding_set_usec(f, "logged_at", r->realtime);
        (void) finding_set_string(f, "unit_root", x.root_path);
        if (ec == &env_class_timezone && strlen(msg) > strlen(needle))
                (void) finding_set_string(f, "zone", msg + strlen(needle));
        x.active = f;
        if (root_later && finding_get(f, "checked_at")) {
                /* A check judged it already, with the root: its words stand. */
                finding_update_summary_count(f);
                correlator_notify(d->c, f, added);
                return 1;
        }
        Cause c = {};
        /* A unit whose settings are not known has no cause a check could see. */
        if (k.known && !root_later)
                ec->cause(&x, &c);
        if (c.holds) {
                /* The check sees its cause: a condition, resolved when the configuration is fixed. */
                (void) finding_set_usec(f, "checked_at", r->realtime);
                (void) finding_mark_seen(f, c.key);
        }
        ec->explain(f, &x, c.holds ? &c : NULL);
        finding_update_summary(f, c.holds ? c.detail : msg);
        correlator_notify(d->c, f, added);
        if (root_later && k.known)
                correlator_request_check(d->c, r->unit);
        return 1;
}

static int env_init(Correlator *c, void *state) {
        EnvDetector *d = state;
        d->c = c;
        return 0;
}

const Detector detector_environment = {
        .family = "environment",
        .classes = classes,
        .unit_needles = unit_needles,
        .state_size = sizeof(EnvDetector),
        .init = env_init,
        .on_unit_line = env_on_unit_line,
        .condition_classes = classes,
        .check = env_check,
};
