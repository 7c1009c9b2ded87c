/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The environment family's runtime knobs against the unit's limits: gomaxprocs-vs-quota and
 * gomemlimit-vs-limit, aware of the Go version (../shared/reference/go-facts.md §2). A program
 * that sizes itself at run time (automaxprocs, automemlimit) is not flagged. */
#include <stdio.h>
#include <string.h>

#include "environment-check.h"
#include "format-number.h"
#include "go-env.h"
#include "go-sizing.h"

static const char *const automaxprocs[] = { "go.uber.org/automaxprocs", NULL };
static const char *const automemlimit[] = { "github.com/KimMachineGun/automemlimit", NULL };

const char *go_sizes_gomaxprocs(const GoExe *x) {
        return env_go_dep(&(UnitKnowledge){ .exe = x }, automaxprocs);
}

const char *go_sizes_gomemlimit(const GoExe *x) {
        return env_go_dep(&(UnitKnowledge){ .exe = x }, automemlimit);
}

/* Whether a GODEBUG-style list ("a=1,b=0") holds item. */
static bool godebug_has(const char *list, const char *item) {
        size_t n = strlen(item);
        for (const char *p = list; p && *p;) {
                size_t m = strcspn(p, ",");
                if (m == n && strncmp(p, item, n) == 0)
                        return true;
                p += m + (p[m] == ',');
        }
        return false;
}

/* ---- gomaxprocs-vs-quota ---- */

/* Why the Go runtime does not size GOMAXPROCS from the quota, or NULL when it does (or the Go
 * version is not known). Go 1.25 reads the cgroup's CPU limit unless containermaxprocs=0: the
 * environment's GODEBUG first, then the build's DefaultGODEBUG. */
static const char *gomaxprocs_basis(const EnvCtx *x) {
        int minor = env_go_minor(x->k);
        if (minor < 0 || go_sizes_gomaxprocs(x->k->exe))
                return NULL;
        if (minor < 25)
                return "Go before 1.25 does not size GOMAXPROCS from the CPU quota";
        const char *gd = env_var(x, "GODEBUG", NULL);
        if (godebug_has(gd, "containermaxprocs=0"))
                return "GODEBUG=containermaxprocs=0 in its environment";
        if (godebug_has(gd, "containermaxprocs=1"))
                return NULL;
        const char *def =
                x->k->exe->modinfo ? go_modinfo_setting(x->k->exe->modinfo, "DefaultGODEBUG") : NULL;
        if (godebug_has(def, "containermaxprocs=0"))
                return "its build's DefaultGODEBUG says containermaxprocs=0 (go.mod's go line is before "
                       "1.25)";
        return NULL;
}

static uint64_t quota_cpus(uint64_t usec_per_sec) {
        uint64_t n = (usec_per_sec + 999999) / 1000000;
        return n ?: 1;
}

static void gomaxprocs_cause(const EnvCtx *x, Cause *c) {
        uint64_t quota = x->k->settings->cpu_quota_per_sec_usec;
        if (quota == UINT64_MAX || env_var(x, "GOMAXPROCS", NULL))
                return;
        const char *basis = gomaxprocs_basis(x);
        uint64_t n = quota_cpus(quota), cpus = x->h ? x->h->cpus_online : UINT64_MAX;
        if (!basis || (cpus != UINT64_MAX && cpus <= n))
                return; /* its scheduler runs no more threads than the quota allows */
        char key[256], detail[128], ncpus[32] = "all";
        if (cpus != UINT64_MAX)
                snprintf(ncpus, sizeof ncpus, "%llu", (unsigned long long) cpus);
        snprintf(key, sizeof key, "quota:%llu:%s", (unsigned long long) quota, basis);
        snprintf(detail, sizeof detail, "CPUQuota=%llu%%, GOMAXPROCS unset (%s CPUs)",
                 (unsigned long long) (quota / 10000), ncpus);
        cause_set(c, key, detail);
}

static void gomaxprocs_explain(Finding *f, const EnvCtx *x, const Cause *c) {
        uint64_t quota = x->k->settings->cpu_quota_per_sec_usec;
        const char *basis = gomaxprocs_basis(x);
        char text[768], dropin[128];
        finding_clear_advice(f);
        if (quota == UINT64_MAX || !c)
                return;
        uint64_t n = quota_cpus(quota), cpus = x->h ? x->h->cpus_online : UINT64_MAX;
        (void) finding_set_u64(f, "CPUQuotaPerSecUSec", quota);
        if (cpus != UINT64_MAX)
                (void) finding_set_u64(f, "host_cpus", cpus);
        (void) finding_set_u64(f, "gomaxprocs_suggested", n);
        if (basis)
                (void) finding_set_string(f, "gomaxprocs_basis", basis);
        snprintf(
                text, sizeof text,
                "CPUQuota=%llu%% gives the unit %llu CPU's worth of time, and the Go scheduler runs as many "
                "threads at once as the host has CPUs (%s): the program spends its quota early in each "
                "period and is throttled for the rest, which shows as latency. Set GOMAXPROCS to the quota, "
                "rounded up:",
                (unsigned long long) (quota / 10000), (unsigned long long) n, basis ?: "");
        snprintf(dropin, sizeof dropin, "[Service]\nEnvironment=GOMAXPROCS=%llu\n", (unsigned long long) n);
        (void) finding_add_advice(f, ADVICE_DROPIN, text, dropin);
}

const EnvClass env_class_gomaxprocs = { FINDING_GOMAXPROCS_VS_QUOTA, gomaxprocs_cause, gomaxprocs_explain };

/* ---- gomemlimit-vs-limit ---- */

typedef enum MemProblem { MEM_NONE, MEM_UNSET, MEM_MALFORMED, MEM_ABOVE } MemProblem;

static MemProblem gomemlimit_problem(const EnvCtx *x, const char **ret_value, const char **ret_source) {
        uint64_t limit = x->k->settings->memory_max, v;
        *ret_value = env_var(x, "GOMEMLIMIT", ret_source);
        /* GOMEMLIMIT exists from Go 1.19; older ones are the memory family's word at an OOM kill. */
        if (limit == UINT64_MAX || env_go_minor(x->k) < 19 || go_sizes_gomemlimit(x->k->exe))
                return MEM_NONE;
        if (!*ret_value)
                return MEM_UNSET;
        if (gomemlimit_parse(*ret_value, &v) < 0)
                return MEM_MALFORMED;
        if (v == UINT64_MAX)
                return MEM_UNSET; /* "off" */
        return v >= limit ? MEM_ABOVE : MEM_NONE;
}

static void gomemlimit_cause(const EnvCtx *x, Cause *c) {
        const char *v, *src;
        MemProblem p = gomemlimit_problem(x, &v, &src);
        char key[256], detail[160], size[32];
        if (p == MEM_NONE)
                return;
        format_bytes(size, sizeof size, x->k->settings->memory_max);
        if (p == MEM_UNSET)
                snprintf(detail, sizeof detail, "MemoryMax=%s, no GOMEMLIMIT", size);
        else if (p == MEM_MALFORMED)
                snprintf(detail, sizeof detail, "GOMEMLIMIT=%s is malformed", v);
        else
                snprintf(detail, sizeof detail, "GOMEMLIMIT=%s, not below MemoryMax=%s", v, size);
        snprintf(key, sizeof key, "gomemlimit:%d:%llu:%s", (int) p,
                 (unsigned long long) x->k->settings->memory_max, v ?: "");
        cause_set(c, key, detail);
}

static void gomemlimit_explain(Finding *f, const EnvCtx *x, const Cause *c) {
        const char *v, *src;
        MemProblem p = gomemlimit_problem(x, &v, &src);
        uint64_t limit = x->k->settings->memory_max;
        char text[768], size[32];
        finding_clear_advice(f);
        if (limit != UINT64_MAX)
                (void) finding_set_u64(f, "MemoryMax", limit);
        (void) finding_set_string(f, "GOMEMLIMIT", v ?: "");
        if (v)
                (void) finding_set_string(f, "GOMEMLIMIT_source", src);
        if (!c || p == MEM_NONE || limit == UINT64_MAX)
                return;
        static const char *const names[] = {
                [MEM_UNSET] = "unset", [MEM_MALFORMED] = "malformed", [MEM_ABOVE] = "at or above the limit"
        };
        (void) finding_set_string(f, "gomemlimit_problem", names[p]);
        _cleanup_free_ char *target = NULL, *dropin = NULL;
        if (gomemlimit_format(limit / 10 * 9, &target) < 0)
                return;
        format_bytes(size, sizeof size, limit);
        if (p == MEM_UNSET)
                snprintf(
                        text, sizeof text,
                        "The Go runtime never reads MemoryMax=%s: without GOMEMLIMIT its garbage collector "
                        "does not work harder near the limit, and the kernel OOM-kills the process instead. "
                        "Set GOMEMLIMIT to about 90%% of the limit:",
                        size);
        else if (p == MEM_MALFORMED)
                snprintf(text, sizeof text,
                         "GOMEMLIMIT=%s is not a value the Go runtime accepts: it stops at start with "
                         "\"malformed GOMEMLIMIT\". Use a number with a B, KiB, MiB, GiB or TiB suffix, "
                         "about "
                         "90%% of MemoryMax=%s:",
                         v, size);
        else
                snprintf(text, sizeof text,
                         "GOMEMLIMIT=%s is not below MemoryMax=%s: the kernel kills the process before the "
                         "soft limit makes the collector work harder. Lower it to about 90%%:",
                         v, size);
        if (asprintf(&dropin, "[Service]\nEnvironment=GOMEMLIMIT=%s\n", target) >= 0)
                (void) finding_add_advice(f, ADVICE_DROPIN, text, dropin);
}

const EnvClass env_class_gomemlimit = { FINDING_GOMEMLIMIT_VS_LIMIT, gomemlimit_cause, gomemlimit_explain };
