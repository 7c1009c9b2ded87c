/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A unit file's syntax (systemd's src/shared/conf-parser.c) and the settings goguard checks
 * (src/core/load-fragment.c), applied onto UnitSettings. */
#include <stdio.h>
#include <string.h>

#include "parse-util.h"
#include "strbuf.h"
#include "strv.h"
#include "unit-file.h"

#define USEC_PER_SEC 1000000ull

int unit_file_settings_init(UnitSettings *s, uint64_t tasks_max_base) {
        unit_settings_init(s);
        s->type = strdup("simple");
        s->restart = strdup("no");
        s->oom_policy = strdup("stop");
        s->kill_mode = strdup("control-group");
        if (!s->type || !s->restart || !s->oom_policy || !s->kill_mode) {
                unit_settings_done(s);
                return -ENOMEM;
        }
        /* systemd's built-in defaults (system.conf's Default*=), as the bus reports them. */
        s->limit_nofile = 524288;
        s->limit_nofile_soft = 1024;
        s->tasks_max = tasks_max_base > 0 ? tasks_max_base * 15 / 100 : UINT64_MAX;
        s->restart_usec = 100 * 1000;
        s->timeout_start_usec = 90 * USEC_PER_SEC;
        s->timeout_stop_usec = 90 * USEC_PER_SEC;
        s->watchdog_usec = 0;
        s->kill_signal = 15;
        s->start_limit_interval_usec = 10 * USEC_PER_SEC;
        s->start_limit_burst = 5;
        s->ambient_capabilities = 0;
        return 0;
}

int unit_file_settings_init_ctx(UnitSettings *s, const UnitFileContext *ctx) {
        int r = unit_file_settings_init(s, ctx->tasks_max_base);
        const UnitSettings *d = ctx->defaults;
        if (r < 0 || !d)
                return r;
        /* What [Manager] may set (the table below), no more. */
        s->limit_nofile = d->limit_nofile;
        s->limit_nofile_soft = d->limit_nofile_soft;
        s->limit_nproc = d->limit_nproc;
        s->limit_nproc_soft = d->limit_nproc_soft;
        s->tasks_max = d->tasks_max;
        s->timeout_start_usec = d->timeout_start_usec;
        s->timeout_stop_usec = d->timeout_stop_usec;
        s->restart_usec = d->restart_usec;
        s->start_limit_interval_usec = d->start_limit_interval_usec;
        s->start_limit_burst = d->start_limit_burst;
        if (d->oom_policy) {
                char *o = strdup(d->oom_policy);
                if (!o) {
                        unit_settings_done(s);
                        return -ENOMEM;
                }
                free(s->oom_policy);
                s->oom_policy = o;
        }
        return 0;
}

typedef enum Kind {
        KIND_STRING, /* with specifiers */
        KIND_ENUM,   /* one of a list, no specifiers */
        KIND_BOOL,
        KIND_RLIMIT, /* offset: hard; offset2: soft */
        KIND_TASKS,
        KIND_MEMORY,
        KIND_CPU_QUOTA,
        KIND_TIMESPAN, /* "infinity" too */
        KIND_TIMEOUT,  /* 0 and "infinity": no timeout; offset2: a second field set alike */
        KIND_U32,
        KIND_SIGNAL,
        KIND_EXEC,
        KIND_ENVIRONMENT,
        KIND_ENV_FILE,
        KIND_BIND_PATHS,
        KIND_CAPS,          /* starts empty */
        KIND_CAPS_BOUNDING, /* starts full (UINT64_MAX) */
        KIND_PATHS,         /* words with specifiers, "-" and "+" prefixes kept */
        KIND_WORDS,         /* words with specifiers */
} Kind;

typedef struct Setting {
        const char *section;
        const char *key;
        Kind kind;
        size_t offset, offset2;
        const char *const *values; /* KIND_ENUM */
} Setting;

#define S(f) offsetof(UnitSettings, f)
static const char *const types[] = { "simple", "exec",          "forking", "oneshot", "dbus",
                                     "notify", "notify-reload", "idle",    NULL };
static const char *const restarts[] = { "no",          "on-success", "on-failure", "on-abnormal",
                                        "on-watchdog", "on-abort",   "always",     NULL };
static const char *const oom_policies[] = { "continue", "stop", "kill", NULL };
static const char *const kill_modes[] = { "control-group", "process", "mixed", "none", NULL };

static const Setting settings[] = {
        { "Unit", "StartLimitIntervalSec", KIND_TIMESPAN, S(start_limit_interval_usec) },
        { "Unit", "StartLimitInterval", KIND_TIMESPAN, S(start_limit_interval_usec) },
        { "Unit", "StartLimitBurst", KIND_U32, S(start_limit_burst) },
        { "Service", "StartLimitInterval", KIND_TIMESPAN, S(start_limit_interval_usec) },
        { "Service", "StartLimitBurst", KIND_U32, S(start_limit_burst) },
        { "Service", "ExecStart", KIND_EXEC, S(exec_start_path) },
        { "Service", "Type", KIND_ENUM, S(type), 0, types },
        { "Service", "Restart", KIND_ENUM, S(restart), 0, restarts },
        { "Service", "OOMPolicy", KIND_ENUM, S(oom_policy), 0, oom_policies },
        { "Service", "KillMode", KIND_ENUM, S(kill_mode), 0, kill_modes },
        { "Service", "User", KIND_STRING, S(user) },
        { "Service", "DynamicUser", KIND_BOOL, S(dynamic_user) },
        { "Service", "LimitNOFILE", KIND_RLIMIT, S(limit_nofile), S(limit_nofile_soft) },
        { "Service", "LimitNPROC", KIND_RLIMIT, S(limit_nproc), S(limit_nproc_soft) },
        { "Service", "TasksMax", KIND_TASKS, S(tasks_max) },
        { "Service", "MemoryMax", KIND_MEMORY, S(memory_max) },
        { "Service", "MemoryHigh", KIND_MEMORY, S(memory_high) },
        { "Service", "MemoryLimit", KIND_MEMORY, S(memory_limit) },
        { "Service", "MemorySwapMax", KIND_MEMORY, S(memory_swap_max) },
        { "Service", "CPUQuota", KIND_CPU_QUOTA, S(cpu_quota_per_sec_usec) },
        { "Service", "AmbientCapabilities", KIND_CAPS, S(ambient_capabilities) },
        { "Service", "CapabilityBoundingSet", KIND_CAPS_BOUNDING, S(capability_bounding_set) },
        { "Service", "RestartSec", KIND_TIMESPAN, S(restart_usec) },
        { "Service", "WatchdogSec", KIND_TIMESPAN, S(watchdog_usec) },
        { "Service", "TimeoutStartSec", KIND_TIMEOUT, S(timeout_start_usec) },
        { "Service", "TimeoutStopSec", KIND_TIMEOUT, S(timeout_stop_usec) },
        { "Service", "TimeoutSec", KIND_TIMEOUT, S(timeout_start_usec), S(timeout_stop_usec) },
        { "Service", "KillSignal", KIND_SIGNAL, S(kill_signal) },
        { "Service", "Environment", KIND_ENVIRONMENT, S(environment) },
        { "Service", "EnvironmentFile", KIND_ENV_FILE },
        { "Service", "RootDirectory", KIND_STRING, S(root_directory) },
        { "Service", "RootImage", KIND_STRING, S(root_image) },
        { "Service", "PrivateNetwork", KIND_BOOL, S(private_network) },
        { "Service", "BindPaths", KIND_BIND_PATHS, S(bind_paths) },
        { "Service", "BindReadOnlyPaths", KIND_BIND_PATHS, S(bind_read_only_paths) },
        { "Service", "NoExecPaths", KIND_PATHS, S(no_exec_paths) },
        { "Service", "ExecPaths", KIND_PATHS, S(exec_paths) },
        /* The preflight checks: what the unit sees, and who it runs as. */
        { "Service", "TemporaryFileSystem", KIND_PATHS, S(temporary_filesystem) },
        { "Service", "Group", KIND_STRING, S(group) },
        { "Service", "SupplementaryGroups", KIND_WORDS, S(supplementary_groups) },
        /* system.conf: the defaults of every unit. */
        { "Manager", "DefaultLimitNOFILE", KIND_RLIMIT, S(limit_nofile), S(limit_nofile_soft) },
        { "Manager", "DefaultLimitNPROC", KIND_RLIMIT, S(limit_nproc), S(limit_nproc_soft) },
        { "Manager", "DefaultTasksMax", KIND_TASKS, S(tasks_max) },
        { "Manager", "DefaultTimeoutStartSec", KIND_TIMEOUT, S(timeout_start_usec) },
        { "Manager", "DefaultTimeoutStopSec", KIND_TIMEOUT, S(timeout_stop_usec) },
        { "Manager", "DefaultRestartSec", KIND_TIMESPAN, S(restart_usec) },
        { "Manager", "DefaultStartLimitIntervalSec", KIND_TIMESPAN, S(start_limit_interval_usec) },
        { "Manager", "DefaultStartLimitBurst", KIND_U32, S(start_limit_burst) },
        { "Manager", "DefaultOOMPolicy", KIND_ENUM, S(oom_policy), 0, oom_policies },
};
#undef S

#define FIELD(s, off, type) ((type *) ((char *) (s) + (off)))

typedef struct Parse {
        UnitSettings *s;
        const UnitFileContext *ctx;
        const UnitSettings *defaults;
        char ***warnings;
        unsigned line;
        bool manager; /* system.conf: only [Manager] */
} Parse;

_printf_(2, 3) static int add_warning(Parse *p, const char *fmt, ...) {
        if (!p->warnings || strv_length(*p->warnings) >= UNIT_FILE_WARNINGS_MAX)
                return 0;
        StrBuf b = {};
        va_list ap;
        strbuf_appendf(&b, "line %u: ", p->line);
        va_start(ap, fmt);
        strbuf_vappendf(&b, fmt, ap);
        va_end(ap);
        char *m;
        int r = strbuf_steal(&b, &m, NULL);
        return r < 0 ? r : strv_consume(p->warnings, m);
}

static const char *specifier_error(int r) {
        return r == -ENOENT ? "a specifier not known offline" : r == -EBADMSG ? "an unknown specifier" : "";
}

static bool path_is_absolute_normal(const char *p) {
        if (p[0] != '/')
                return false;
        for (const char *c = p; *c; c++)
                if (c[0] == '/' && (c[1] == '/' || (c[1] == '.' && (c[2] == '/' || !c[2])) ||
                                    (c[1] == '.' && c[2] == '.' && (c[3] == '/' || !c[3]))))
                        return false;
        return true;
}

int unit_file_exec_command(const char *rvalue, char **ret_path, char ***ret_argv) {
        const char *p = rvalue;
        _cleanup_free_ char *word = NULL, *argv0 = NULL;
        _cleanup_(strv_freep) char **argv = NULL;
        int r = unit_file_next_word(&p, true, &word);
        if (r <= 0)
                return r < 0 ? r : -EINVAL;
        /* Each prefix at most once, "!!" as one; "@" makes the next word argv[0]. */
        const char *path = word;
        bool seen[128] = {};
        for (;; path++) {
                char c = *path;
                if (c == '!' && path[1] == '!')
                        path++;
                else if (!(c == '-' || c == '@' || c == ':' || c == '+' || c == '!'))
                        break;
                if (seen[(unsigned char) c])
                        return -EINVAL;
                seen[(unsigned char) c] = true;
        }
        if (!*path)
                return -EINVAL;
        if (seen['@']) { /* argv[0] must be there */
                r = unit_file_next_word(&p, true, &argv0);
                if (r <= 0)
                        return r < 0 ? r : -EINVAL;
        }
        /* A relative name is looked up in systemd's fixed search path; that is the reader's job
         * (it knows the root). An absolute one must be normalized. */
        if (path[0] == '/' ? !path_is_absolute_normal(path) : strchr(path, '/') != NULL)
                return -EINVAL;
        if (ret_argv) {
                /* The command line as the bus shows it: up to a ";" that would start another
                 * command, $VARIABLES as written (they are expanded when it runs). */
                r = strv_extend(&argv, argv0 ?: path);
                for (size_t n = 1; r >= 0; n++) {
                        _cleanup_free_ char *w = NULL;
                        bool literal = false;
                        p += strspn(p, " \t\n\r");
                        if (p[0] == '\\' && p[1] == ';' && (!p[2] || strchr(" \t\n\r", p[2]))) {
                                w = strdup(";"); /* "\;": a ";" of the command's own */
                                p += 2;
                                r = w ? 1 : -ENOMEM;
                                literal = true;
                        } else
                                r = unit_file_next_word(&p, true, &w);
                        if (r <= 0 || (!literal && streq(w, ";")))
                                break;
                        r = n < UNIT_FILE_LIST_MAX ? strv_consume(&argv, TAKE_PTR(w)) : -E2BIG;
                }
                if (r < 0)
                        return r;
        }
        char *c = strdup(path);
        if (!c)
                return -ENOMEM;
        *ret_path = c;
        if (ret_argv)
                *ret_argv = TAKE_PTR(argv);
        return 0;
}

static bool env_name_ok(const char *s, size_t n) {
        if (n == 0 || (s[0] >= '0' && s[0] <= '9'))
                return false;
        for (size_t i = 0; i < n; i++)
                if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
                      (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
                        return false;
        return true;
}

/* Replaces NAME= in *l in place or appends it (systemd's strv_env_replace). Takes a. */
static int env_replace(char ***l, char *a) {
        size_t n = strcspn(a, "=");
        for (char **e = *l; e && *e; e++)
                if (strncmp(*e, a, n + 1) == 0) {
                        free(*e);
                        *e = a;
                        return 0;
                }
        if (strv_length(*l) >= UNIT_FILE_LIST_MAX) {
                free(a);
                return -E2BIG;
        }
        return strv_consume(l, a);
}

static int apply_list(Parse *p, const Setting *st, const char *v) {
        char ***slot = FIELD(p->s, st->offset, char **);
        int r;

        if (!*v) {
                *slot = strv_free(*slot);
                return 0;
        }
        for (const char *q = v;;) {
                _cleanup_free_ char *word = NULL, *w = NULL;
                r = unit_file_next_word(&q, st->kind == KIND_ENVIRONMENT, &word);
                if (r == 0)
                        return 0;
                if (r < 0)
                        return add_warning(p, "Invalid quoting or escape in %s=, ignoring the rest",
                                           st->key);
                r = unit_file_specifiers(p->ctx, word, &w);
                if (r == -ENOMEM)
                        return r;
                if (r < 0) {
                        add_warning(p, "%s= with %s, ignoring", st->key, specifier_error(r));
                        continue;
                }
                if (st->kind == KIND_ENVIRONMENT) {
                        /* Values stay unquoted here: they may be secrets, not for warnings. */
                        if (!env_name_ok(w, strcspn(w, "=")) || !strchr(w, '=')) {
                                add_warning(p, "Invalid environment assignment in Environment=, ignoring");
                                continue;
                        }
                        r = env_replace(slot, TAKE_PTR(w));
                } else if (strv_length(*slot) >= UNIT_FILE_LIST_MAX)
                        r = -E2BIG;
                else if (st->kind == KIND_BIND_PATHS) {
                        /* [-]SOURCE[:DESTINATION[:OPTIONS]]: kept as the bus shows it, source
                         * then destination. */
                        char *colon = strchr(w, ':');
                        if (colon)
                                *colon = 0;
                        const char *src = w[0] == '-' ? w + 1 : w;
                        const char *dst = colon ? colon + 1 : src;
                        char *end = colon ? strchr(colon + 1, ':') : NULL;
                        if (end)
                                *end = 0;
                        if (!path_is_absolute_normal(src) || !path_is_absolute_normal(dst)) {
                                add_warning(p, "%s= with a path that is not absolute, ignoring", st->key);
                                continue;
                        }
                        r = strv_extend(slot, w);
                        if (r >= 0)
                                r = strv_extend(slot, dst);
                } else {
                        const char *path = w + strspn(w, "-+");
                        if (st->kind != KIND_WORDS && !path_is_absolute_normal(path)) {
                                add_warning(p, "%s= with a path that is not absolute, ignoring", st->key);
                                continue;
                        }
                        r = strv_consume(slot, TAKE_PTR(w));
                }
                if (r == -E2BIG)
                        return add_warning(p, "More than %u entries in %s=, ignoring the rest",
                                           UNIT_FILE_LIST_MAX, st->key);
                if (r < 0)
                        return r;
        }
}

static int apply_env_file(Parse *p, const char *v) {
        UnitSettings *s = p->s;
        if (!*v)
                return unit_settings_set_env_files(s, NULL, 0);
        _cleanup_free_ char *w = NULL;
        int r = unit_file_specifiers(p->ctx, v, &w);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                return add_warning(p, "EnvironmentFile= with %s, ignoring", specifier_error(r));
        bool optional = w[0] == '-';
        if (!path_is_absolute_normal(w + optional))
                return add_warning(p, "EnvironmentFile= with a path that is not absolute, ignoring");
        if (s->n_environment_files >= UNIT_FILE_LIST_MAX)
                return add_warning(p, "More than %u EnvironmentFile= files, ignoring", UNIT_FILE_LIST_MAX);
        UnitEnvFile *f = reallocarray(s->environment_files, s->n_environment_files + 1, sizeof *f);
        if (!f)
                return -ENOMEM;
        s->environment_files = f;
        f[s->n_environment_files].path = strdup(w + optional);
        if (!f[s->n_environment_files].path)
                return -ENOMEM;
        f[s->n_environment_files++].optional = optional;
        return 0;
}

static int apply_caps(Parse *p, const Setting *st, const char *v) {
        uint64_t *slot = FIELD(p->s, st->offset, uint64_t);
        uint64_t set = 0;
        bool invert = v[0] == '~';
        for (const char *q = v + invert;;) {
                _cleanup_free_ char *word = NULL;
                int r = unit_file_next_word(&q, false, &word);
                if (r == 0)
                        break;
                if (r < 0)
                        return add_warning(p, "Invalid quoting in %s=, ignoring", st->key);
                int cap = unit_file_capability_from_name(word);
                if (cap < 0) {
                        add_warning(p, "Unknown capability in %s=, ignoring it", st->key);
                        continue;
                }
                set |= UINT64_C(1) << cap;
        }
        /* As systemd merges them: the first assignment (or an empty one) replaces the default,
         * later ones add to the set, or take away with "~". */
        uint64_t initial = st->kind == KIND_CAPS_BOUNDING ? UINT64_MAX : 0;
        if (set == 0 || *slot == initial)
                *slot = invert ? ~set : set;
        else
                *slot = invert ? *slot & ~set : *slot | set;
        return 0;
}

static int apply(Parse *p, const Setting *st, const char *v) {
        UnitSettings *s = p->s;
        const UnitSettings *d = p->defaults;
        uint64_t u, soft;
        int r;

        switch (st->kind) {
        case KIND_STRING:
        case KIND_ENUM: {
                char **slot = FIELD(s, st->offset, char *);
                _cleanup_free_ char *w = NULL;
                if (!*v) {
                        const char *def = *FIELD(d, st->offset, char *);
                        w = def ? strdup(def) : NULL;
                        if (def && !w)
                                return -ENOMEM;
                } else if (st->kind == KIND_ENUM) {
                        size_t i = 0;
                        while (st->values[i] && strcmp(st->values[i], v) != 0)
                                i++;
                        if (!st->values[i])
                                return add_warning(p, "Unknown %s= value '%s', ignoring", st->key, v);
                        w = strdup(v);
                        if (!w)
                                return -ENOMEM;
                } else {
                        r = unit_file_specifiers(p->ctx, v, &w);
                        if (r == -ENOMEM)
                                return r;
                        if (r < 0)
                                return add_warning(p, "%s= with %s, ignoring", st->key, specifier_error(r));
                }
                free(*slot);
                *slot = TAKE_PTR(w);
                return 0;
        }
        case KIND_BOOL: {
                bool b = *FIELD(d, st->offset, bool);
                if (*v && parse_boolean(v, &b) < 0)
                        return add_warning(p, "Invalid %s= value '%s', ignoring", st->key, v);
                *FIELD(s, st->offset, bool) = b;
                return 0;
        }
        case KIND_RLIMIT:
                u = *FIELD(d, st->offset, uint64_t);
                soft = *FIELD(d, st->offset2, uint64_t);
                if (*v && unit_file_parse_rlimit(v, &soft, &u) < 0)
                        return add_warning(p, "Invalid %s= value '%s', ignoring", st->key, v);
                *FIELD(s, st->offset, uint64_t) = u;
                *FIELD(s, st->offset2, uint64_t) = soft;
                return 0;
        case KIND_TASKS:
        case KIND_MEMORY:
                u = *FIELD(d, st->offset, uint64_t);
                if (*v) {
                        uint64_t base =
                                st->kind == KIND_TASKS ? p->ctx->tasks_max_base : p->ctx->physical_memory;
                        if (st->kind == KIND_TASKS && v[strlen(v) - 1] != '%' && strcmp(v, "infinity") != 0)
                                r = parse_u64(v, &u); /* a count has no unit suffix */
                        else
                                r = unit_file_parse_size(v, base, &u);
                        if (r == -ENOENT)
                                return add_warning(
                                        p, "%s=%s: a share of what this reader does not know, ignoring",
                                        st->key, v);
                        if (r < 0 || (st->kind == KIND_TASKS && u == 0))
                                return add_warning(p, "Invalid %s= value '%s', ignoring", st->key, v);
                }
                *FIELD(s, st->offset, uint64_t) = u;
                return 0;
        case KIND_CPU_QUOTA:
                u = UINT64_MAX;
                if (*v) {
                        if (unit_file_parse_permyriad(v, &u) < 0 || u == 0)
                                return add_warning(p, "Invalid %s= value '%s', ignoring", st->key, v);
                        u = u * (USEC_PER_SEC / 10000);
                }
                *FIELD(s, st->offset, uint64_t) = u;
                return 0;
        case KIND_TIMESPAN:
        case KIND_TIMEOUT:
                u = *FIELD(d, st->offset, uint64_t);
                if (strcmp(v, "infinity") == 0)
                        u = UINT64_MAX;
                else if (*v && parse_timespan(v, &u) < 0)
                        return add_warning(p, "Invalid %s= value '%s', ignoring", st->key, v);
                if (st->kind == KIND_TIMEOUT && u == 0)
                        u = UINT64_MAX;
                *FIELD(s, st->offset, uint64_t) = u;
                if (st->offset2)
                        *FIELD(s, st->offset2, uint64_t) = u;
                return 0;
        case KIND_U32:
                u = *FIELD(d, st->offset, uint32_t);
                if (*v && (parse_u64(v, &u) < 0 || u > UINT32_MAX))
                        return add_warning(p, "Invalid %s= value '%s', ignoring", st->key, v);
                *FIELD(s, st->offset, uint32_t) = (uint32_t) u;
                return 0;
        case KIND_SIGNAL: {
                int32_t sig = *FIELD(d, st->offset, int32_t);
                if (*v && unit_file_parse_signal(v, &sig) < 0)
                        return add_warning(p, "Invalid %s= value '%s', ignoring", st->key, v);
                *FIELD(s, st->offset, int32_t) = sig;
                return 0;
        }
        case KIND_EXEC: {
                if (!*v) {
                        s->exec_start_path = mfree(s->exec_start_path);
                        s->exec_start_argv = strv_free(s->exec_start_argv);
                        return 0;
                }
                _cleanup_free_ char *w = NULL, *path = NULL;
                _cleanup_(strv_freep) char **argv = NULL;
                /* Specifiers first, on the whole line, as systemd resolves them. */
                r = unit_file_specifiers(p->ctx, v, &w);
                if (r == -ENOMEM)
                        return r;
                if (r < 0)
                        return add_warning(p, "%s= with %s, ignoring", st->key, specifier_error(r));
                r = unit_file_exec_command(w, &path, &argv);
                if (r == -ENOMEM)
                        return r;
                if (r < 0)
                        return add_warning(p, "Invalid command line in %s=, ignoring", st->key);
                /* The first command is the service's program; a later one (Type=oneshot) runs
                 * after it. */
                if (!s->exec_start_path) {
                        s->exec_start_path = TAKE_PTR(path);
                        strv_free(s->exec_start_argv);
                        s->exec_start_argv = TAKE_PTR(argv);
                }
                return 0;
        }
        case KIND_ENVIRONMENT:
        case KIND_BIND_PATHS:
        case KIND_PATHS:
        case KIND_WORDS: return apply_list(p, st, v);
        case KIND_ENV_FILE: return apply_env_file(p, v);
        case KIND_CAPS:
        case KIND_CAPS_BOUNDING: return apply_caps(p, st, v);
        }
        return 0;
}

static bool is_blank(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static char *strip(char *s) {
        while (is_blank(*s))
                s++;
        size_t n = strlen(s);
        while (n > 0 && is_blank(s[n - 1]))
                s[--n] = 0;
        return s;
}

/* One logical line (continuations joined): systemd's parse_line(). */
static int parse_line(Parse *p, char *l, char **section) {
        l = strip(l);
        if (!*l || *l == '#' || *l == ';')
                return 0;
        if (*l == '[') {
                size_t n = strlen(l);
                if (l[n - 1] != ']')
                        return -EBADMSG;
                char *name = strndup(l + 1, n - 2);
                if (!name)
                        return -ENOMEM;
                free(*section);
                *section = name;
                return 0;
        }
        if (!*section)
                return add_warning(p, "Assignment outside of a section, ignoring");
        char *eq = strchr(l, '=');
        if (!eq)
                return add_warning(p, "Missing '=', ignoring the line");
        if (eq == l)
                return add_warning(p, "Missing key name before '=', ignoring the line");
        *eq = 0;
        const char *key = strip(l), *value = strip(eq + 1);
        if (streq(*section, "Manager") != p->manager)
                return 0;
        for (size_t i = 0; i < ELEMENTSOF(settings); i++)
                if (strcmp(settings[i].key, key) == 0 && strcmp(settings[i].section, *section) == 0)
                        return apply(p, &settings[i], value);
        return 0; /* a setting goguard does not check */
}

static int parse_text(UnitSettings *s, const UnitFileContext *ctx, bool manager, const char *text,
                      size_t size, char ***warnings, unsigned *ret_error_line) {
        _cleanup_(unit_settings_done) UnitSettings defaults = {};
        _cleanup_free_ char *section = NULL;
        StrBuf cont = {};
        /* An empty assignment puts back the default: the manager's for a unit, systemd's built-in
         * one for the manager. */
        Parse p = { .s = s, .ctx = ctx, .defaults = &defaults, .warnings = warnings, .manager = manager };
        int r = 0;

        if (size > UNIT_FILE_SIZE_MAX)
                return -E2BIG;
        r = manager ? unit_file_settings_init(&defaults, ctx->tasks_max_base)
                    : unit_file_settings_init_ctx(&defaults, ctx);
        if (r < 0)
                return r;
        const char *end = text + size;
        unsigned line = 0, first = 0;
        /* A UTF-8 byte order mark at the very start is skipped, as systemd skips it. */
        if (size >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
                text += 3;
        for (const char *q = text; q < end && r >= 0;) {
                const char *nl = memchr(q, '\n', (size_t) (end - q));
                size_t n = nl ? (size_t) (nl - q) : (size_t) (end - q);
                const char *l = q;
                q += n + (nl != NULL);
                line++;
                n = strnlen(l, n); /* systemd reads no further than a NUL byte */
                if (cont.len > 0 || cont.failed) {
                        /* Comment lines inside a continuation are skipped. */
                        size_t k = 0;
                        while (k < n && is_blank(l[k]))
                                k++;
                        if (k < n && (l[k] == '#' || l[k] == ';'))
                                continue;
                } else
                        first = line;
                size_t start = cont.len;
                strbuf_append_n(&cont, l, n);
                if (strbuf_error(&cont) < 0) {
                        r = -ENOMEM;
                        break;
                }
                /* A line ending in an unescaped backslash goes on: the backslash becomes a
                 * space. What came before ended in one, so only the new part is scanned. */
                bool escaped = false;
                for (size_t i = start; i < cont.len; i++)
                        escaped = escaped ? false : cont.data[i] == '\\';
                if (escaped) {
                        cont.data[cont.len - 1] = ' ';
                        if (q < end)
                                continue;
                }
                p.line = first;
                r = parse_line(&p, cont.data, &section);
                cont.len = 0;
                if (cont.data)
                        cont.data[0] = 0;
        }
        /* The last line continued to the end of the file. */
        if (r >= 0 && cont.len > 0) {
                p.line = first;
                r = parse_line(&p, cont.data, &section);
        }
        strbuf_done(&cont);
        if (r == -EBADMSG && ret_error_line)
                *ret_error_line = p.line;
        return r < 0 ? r : 0;
}

int unit_file_parse(UnitSettings *s, const UnitFileContext *ctx, const char *text, size_t size,
                    char ***warnings, unsigned *ret_error_line) {
        return parse_text(s, ctx, false, text, size, warnings, ret_error_line);
}

int unit_file_parse_manager(UnitSettings *defaults, const UnitFileContext *ctx, const char *text,
                            size_t size, char ***warnings, unsigned *ret_error_line) {
        return parse_text(defaults, ctx, true, text, size, warnings, ret_error_line);
}
