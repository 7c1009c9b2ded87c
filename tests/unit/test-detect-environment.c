/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The environment family and runs-as-root: condition checks over a unit's settings, environment
 * and binary against a fixture root (HostFacts), their confirmation by the Go messages in the
 * unit's output, and their resolution when the configuration is fixed and checked again. Exact
 * summaries, evidence and advice; no environment value where it is not the finding. */
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "correlate-harness.h"
#include "go-sizing.h"
#include "host-facts.h"

#define UNIT   "envsvc.service"
#define SECRET "gg-secret-6a1f"

typedef struct Fixture {
        char root[64], proc[64];
        HostFacts h;
} Fixture;

static void put(const char *dir, const char *name, const char *text, mode_t mode) {
        char path[512], cmd[600];
        snprintf(path, sizeof path, "%s/%s", dir, name);
        snprintf(cmd, sizeof cmd, "mkdir -p \"$(dirname '%s')\"", path);
        ck_assert_int_eq(system(cmd), 0);
        if (!text) {
                ck_assert_int_eq(mkdir(path, mode), 0);
                ck_assert_int_eq(chmod(path, mode), 0);
                return;
        }
        FILE *f = fopen(path, "we");
        ck_assert_ptr_nonnull(f);
        fputs(text, f);
        fclose(f);
}

/* A root with a CA bundle only at /etc/pki/tls/cacert.pem, a zone database with Europe/Berlin,
 * nsswitch.conf with systemd's module, /etc/passwd with root and svc, a world-writable /ww; a
 * kernel with capabilities 0..40 and 2 CPUs. */
static void fixture_init(Fixture *x) {
        snprintf(x->root, sizeof x->root, "/tmp/test-env-root-XXXXXX");
        snprintf(x->proc, sizeof x->proc, "/tmp/test-env-proc-XXXXXX");
        ck_assert_ptr_nonnull(mkdtemp(x->root));
        ck_assert_ptr_nonnull(mkdtemp(x->proc));
        put(x->root, "etc/pki/tls/cacert.pem", "-----BEGIN CERTIFICATE-----\n", 0);
        put(x->root, "usr/share/zoneinfo/Europe/Berlin", "TZif2", 0);
        put(x->root, "etc/nsswitch.conf", "# comment\ngroup: files\npasswd:         files systemd # dyn\n",
            0);
        put(x->root, "etc/passwd",
            "root:x:0:0:root:/root:/bin/bash\nsvc:x:990:990::/:/usr/sbin/nologin\n"
            "app:x:991:991::/var/lib/app:/usr/sbin/nologin\n",
            0);
        put(x->root, "ww", NULL, 0777);
        put(x->proc, "sys/kernel/cap_last_cap", "40\n", 0);
        ck_assert_int_eq(host_facts_init(&x->h, x->root), 0);
        ck_assert_int_eq(host_facts_read_environment(&x->h, x->proc), 0);
        x->h.cpus_online = 2;
}

static void fixture_done(Fixture *x) {
        char cmd[200];
        host_facts_done(&x->h);
        snprintf(cmd, sizeof cmd, "rm -rf '%s' '%s'", x->root, x->proc);
        ck_assert_int_eq(system(cmd), 0);
}

/* A Go unit as add_unit() makes it, without MemoryMax=, running as svc (a static user with the
 * home "/"): nothing to find until a test changes it. */
static TestUnit *env_unit(Ctx *x) {
        TestUnit *u = add_unit(x, UNIT);
        u->settings.memory_max = UINT64_MAX;
        u->settings.user = strdup("svc");
        u->exe.cgo = 1;
        return u;
}

static void set_env(TestUnit *u, const char *a, const char *b) {
        strv_free(u->settings.environment);
        u->settings.environment = NULL;
        if (a)
                ck_assert_int_eq(strv_extend(&u->settings.environment, a), 0);
        if (b)
                ck_assert_int_eq(strv_extend(&u->settings.environment, b), 0);
}

static int check(Ctx *x, Fixture *fx, uint64_t t) {
        int r = correlator_check_unit(x->c, UNIT, &fx->h, t);
        ck_assert_int_ge(r, 0);
        return r;
}

static const Advice *the_advice(const Finding *f, AdviceKind kind) {
        ck_assert_uint_eq(f->n_advice, 1);
        ck_assert_int_eq(f->advice[0].kind, kind);
        return &f->advice[0];
}

/* The finding was resolved by the check at t, because the configuration was fixed. */
static void assert_fixed(Finding *f, uint64_t t) {
        ck_assert_int_eq(f->state, FINDING_RESOLVED);
        ck_assert_str_eq(ev_str(f, "resolved_by"), "configuration-fixed");
        ck_assert_uint_eq(ev(f, "checked_at")->u, t);
}

/* No evidence, summary or advice holds the secret. */
static void assert_no_secret(Ctx *x) {
        size_t i = 0;
        void *v;
        while (hashmap_iterate(x->store.by_id, &i, &v, NULL)) {
                const Finding *f = v;
                ck_assert_ptr_null(strstr(f->summary, SECRET));
                for (size_t e = 0; e < f->n_evidence; e++)
                        ck_assert(!f->evidence[e].s || !strstr(f->evidence[e].s, SECRET));
                for (size_t a = 0; a < f->n_advice; a++)
                        ck_assert(!strstr(f->advice[a].text, SECRET) &&
                                  (!f->advice[a].snippet || !strstr(f->advice[a].snippet, SECRET)));
        }
}

START_TEST(test_host_environment) {
        Fixture fx;
        fixture_init(&fx);
        const HostEnvironment *e = fx.h.environment;
        ck_assert_ptr_nonnull(e);
        ck_assert_str_eq(e->tls_roots, "/etc/pki/tls/cacert.pem");
        ck_assert_str_eq(e->zoneinfo_dir, "/usr/share/zoneinfo/");
        ck_assert_str_eq(e->nss_passwd, "files systemd");
        ck_assert_uint_eq(e->n_users, 3);
        ck_assert_str_eq(host_environment_user(e, "991")->name, "app");
        ck_assert_str_eq(host_environment_user(e, "svc")->home, "/");
        ck_assert_ptr_null(host_environment_user(e, "nobody"));
        ck_assert(host_environment_has_zone(e, "Europe/Berlin", NULL));
        ck_assert(host_environment_has_zone(e, "UTC", NULL));
        ck_assert(!host_environment_has_zone(e, "Europe/Nowhere", NULL));
        ck_assert(!host_environment_has_zone(e, "../../etc/passwd", NULL));
        ck_assert_uint_eq(fx.h.cap_last_cap, 40);
        fixture_done(&fx);

        /* A root without any of it. */
        HostEnvironment *empty;
        ck_assert_int_eq(host_environment_read("/nonexistent-root", &empty), 0);
        ck_assert_ptr_null(empty->tls_roots);
        ck_assert_ptr_null(empty->zoneinfo_dir);
        ck_assert_ptr_null(empty->nss_passwd);
        ck_assert(!empty->users_read);
        host_environment_free(empty);
}
END_TEST

START_TEST(test_healthy) {
        Ctx x;
        Fixture fx;
        fixture_init(&fx);
        ctx_init(&x);
        TestUnit *u = env_unit(&x);
        set_env(u, "PATH=/usr/bin:/bin", "DB_PASSWORD=" SECRET);
        u->settings.memory_max = 40ull << 20;
        set_env(u, "GOMEMLIMIT=36MiB", "PATH=/usr/bin");
        u->settings.cpu_quota_per_sec_usec = 2000000; /* 200%: the host's 2 CPUs */
        ck_assert_int_eq(check(&x, &fx, T0), 0);
        ck_assert_uint_eq(n_findings(&x), 0);
        /* A private authority's certificate with roots present is not this class. */
        ck_assert_int_eq(unit_output(&x, T0 + SEC, UNIT, INV1,
                                     "Get \"https://db/\": tls: failed to verify certificate: x509: "
                                     "certificate signed by unknown authority"),
                         0);
        ck_assert_uint_eq(n_findings(&x), 0);
        ctx_done(&x);
        fixture_done(&fx);
}
END_TEST

START_TEST(test_gomaxprocs) {
        Ctx x;
        Fixture fx;
        fixture_init(&fx);
        ctx_init(&x);
        TestUnit *u = env_unit(&x);
        u->settings.cpu_quota_per_sec_usec = 500000; /* CPUQuota=50% */
        set_env(u, "DB_PASSWORD=" SECRET, NULL);
        ck_assert_int_eq(check(&x, &fx, T0), 1);
        Finding *f = the_finding(&x, FINDING_GOMAXPROCS_VS_QUOTA, UNIT);
        ck_assert_str_eq(f->summary, UNIT
                         " runs more Go threads than its CPU quota allows: CPUQuota=50%, GOMAXPROCS unset "
                         "(2 CPUs)");
        ck_assert_uint_eq(ev_u64(f, "CPUQuotaPerSecUSec"), 500000);
        ck_assert_uint_eq(ev_u64(f, "host_cpus"), 2);
        ck_assert_uint_eq(ev_u64(f, "gomaxprocs_suggested"), 1);
        ck_assert_str_eq(ev_str(f, "gomaxprocs_basis"),
                         "Go before 1.25 does not size GOMAXPROCS from the CPU quota");
        ck_assert_str_eq(ev_str(f, "go_version"), "go1.19.8");
        ck_assert_str_eq(ev_str(f, "unit_root"), "/");
        ck_assert_uint_eq(ev(f, "checked_at")->u, T0);
        const Advice *a = the_advice(f, ADVICE_DROPIN);
        ck_assert_str_eq(
                a->text,
                "CPUQuota=50% gives the unit 1 CPU's worth of time, and the Go scheduler runs as many "
                "threads at once as the host has CPUs (Go before 1.25 does not size GOMAXPROCS from "
                "the CPU quota): the program spends its quota early in each period and is throttled "
                "for the rest, which shows as latency. Set GOMAXPROCS to the quota, rounded up:");
        ck_assert_str_eq(a->snippet, "[Service]\nEnvironment=GOMAXPROCS=1\n");
        /* The same configuration checked again: nothing new. */
        ck_assert_int_eq(check(&x, &fx, T0 + SEC), 0);
        ck_assert_uint_eq(f->count, 1);
        assert_no_secret(&x);

        /* Fixed: GOMAXPROCS set, a daemon-reload, a check. */
        set_env(u, "DB_PASSWORD=" SECRET, "GOMAXPROCS=1");
        ck_assert_int_eq(check(&x, &fx, T0 + 2 * SEC), 1);
        assert_fixed(f, T0 + 2 * SEC);
        ck_assert_uint_eq(n_findings(&x), 1);

        /* Go 1.25 sizes itself from the quota, unless its build says containermaxprocs=0. */
        set_env(u, NULL, NULL);
        snprintf(u->version, sizeof u->version, "go1.25.1");
        ck_assert_int_eq(check(&x, &fx, T0 + 3 * SEC), 0);
        const char *mi_text = "path\texample.com/svc\nmod\texample.com/svc\t(devel)\t\n"
                              "build\tDefaultGODEBUG=containermaxprocs=0,updatemaxprocs=0\n";
        ck_assert_int_eq(go_modinfo_parse(mi_text, strlen(mi_text), &u->exe.modinfo, NULL), 0);
        ck_assert_int_eq(check(&x, &fx, T0 + 4 * SEC), 1);
        f = the_finding(&x, FINDING_GOMAXPROCS_VS_QUOTA, UNIT);
        ck_assert_str_eq(
                ev_str(f, "gomaxprocs_basis"),
                "its build's DefaultGODEBUG says containermaxprocs=0 (go.mod's go line is before 1.25)");
        go_modinfo_free(u->exe.modinfo);

        /* A program that sizes itself (automaxprocs) is not flagged: fixed again. */
        mi_text = "path\texample.com/svc\nmod\texample.com/svc\t(devel)\t\n"
                  "dep\tgo.uber.org/automaxprocs\tv1.5.3\th1:x=\n"
                  "build\tDefaultGODEBUG=containermaxprocs=0\n";
        ck_assert_int_eq(go_modinfo_parse(mi_text, strlen(mi_text), &u->exe.modinfo, NULL), 0);
        ck_assert_int_eq(check(&x, &fx, T0 + 5 * SEC), 1);
        assert_fixed(f, T0 + 5 * SEC);
        ck_assert_str_eq(go_sizes_gomaxprocs(&u->exe), "go.uber.org/automaxprocs");
        ck_assert_ptr_null(go_sizes_gomemlimit(&u->exe));
        go_modinfo_free(u->exe.modinfo);
        u->exe.modinfo = NULL;
        ctx_done(&x);
        fixture_done(&fx);
}
END_TEST

START_TEST(test_gomemlimit) {
        Ctx x;
        Fixture fx;
        fixture_init(&fx);
        ctx_init(&x);
        TestUnit *u = env_unit(&x);
        u->settings.memory_max = 40ull << 20;
        ck_assert_int_eq(check(&x, &fx, T0), 1);
        Finding *f = the_finding(&x, FINDING_GOMEMLIMIT_VS_LIMIT, UNIT);
        ck_assert_str_eq(f->summary,
                         UNIT " has a GOMEMLIMIT that does not fit its memory limit: MemoryMax=40M, "
                              "no GOMEMLIMIT");
        ck_assert_uint_eq(ev_u64(f, "MemoryMax"), 40ull << 20);
        ck_assert_str_eq(ev_str(f, "GOMEMLIMIT"), "");
        ck_assert_str_eq(ev_str(f, "gomemlimit_problem"), "unset");
        const Advice *a = the_advice(f, ADVICE_DROPIN);
        ck_assert_str_eq(a->text,
                         "The Go runtime never reads MemoryMax=40M: without GOMEMLIMIT its garbage "
                         "collector does not work harder near the limit, and the kernel OOM-kills the "
                         "process instead. Set GOMEMLIMIT to about 90% of the limit:");
        ck_assert_str_eq(a->snippet, "[Service]\nEnvironment=GOMEMLIMIT=36MiB\n");

        /* Set, but above the limit: another condition of the same finding. */
        set_env(u, "GOMEMLIMIT=64MiB", NULL);
        ck_assert_int_eq(check(&x, &fx, T0 + SEC), 1);
        ck_assert_uint_eq(f->count, 2);
        ck_assert_str_eq(f->summary, UNIT " has a GOMEMLIMIT that does not fit its memory limit: "
                                          "GOMEMLIMIT=64MiB, not below MemoryMax=40M (2 times)");
        ck_assert_str_eq(ev_str(f, "GOMEMLIMIT"), "64MiB");
        ck_assert_str_eq(ev_str(f, "GOMEMLIMIT_source"), "Environment=");
        ck_assert_str_eq(ev_str(f, "gomemlimit_problem"), "at or above the limit");
        set_env(u, "GOMEMLIMIT=36MiB", NULL);
        ck_assert_int_eq(check(&x, &fx, T0 + 2 * SEC), 1);
        assert_fixed(f, T0 + 2 * SEC);

        /* Go before 1.19 has no GOMEMLIMIT: the memory family speaks at an OOM kill. */
        set_env(u, NULL, NULL);
        snprintf(u->version, sizeof u->version, "go1.18.10");
        ck_assert_int_eq(check(&x, &fx, T0 + 3 * SEC), 0);

        /* Malformed, seen first in the output of a run that stopped at once. */
        snprintf(u->version, sizeof u->version, "go1.21.0");
        set_env(u, "GOMEMLIMIT=36M", NULL);
        ck_assert_int_eq(
                unit_output(&x, T0 + 4 * SEC, UNIT, INV1,
                            "fatal error: malformed GOMEMLIMIT; see `go doc runtime/debug.SetMemoryLimit`"),
                1);
        f = the_finding(&x, FINDING_GOMEMLIMIT_VS_LIMIT, UNIT);
        ck_assert_str_eq(
                f->summary,
                UNIT " has a GOMEMLIMIT that does not fit its memory limit: GOMEMLIMIT=36M is malformed");
        ck_assert_str_eq(ev_str(f, "go_message"), "malformed GOMEMLIMIT");
        ck_assert_uint_eq(ev(f, "checked_at")->u, T0 + 4 * SEC);
        ck_assert_str_eq(the_advice(f, ADVICE_DROPIN)->snippet, "[Service]\nEnvironment=GOMEMLIMIT=36MiB\n");
        /* The check after it finds the same condition: no second occurrence. */
        ck_assert_int_eq(check(&x, &fx, T0 + 5 * SEC), 0);
        ck_assert_uint_eq(f->count, 1);
        set_env(u, "GOMEMLIMIT=36MiB", NULL);
        ck_assert_int_eq(check(&x, &fx, T0 + 6 * SEC), 1);
        assert_fixed(f, T0 + 6 * SEC);
        ctx_done(&x);
        fixture_done(&fx);
}
END_TEST

START_TEST(test_home) {
        Ctx x;
        Fixture fx;
        fixture_init(&fx);
        ctx_init(&x);
        TestUnit *u = env_unit(&x);
        free(u->settings.user);
        u->settings.user = NULL;
        /* No User=, no HOME: nothing yet, the program may not need one. */
        ck_assert_int_eq(check(&x, &fx, T0), 0);
        started(&x, T0 + SEC, UNIT, INV1);
        ck_assert_int_eq(
                unit_output(&x, T0 + 2 * SEC, UNIT, INV1,
                            "2026/12/05 09:00:00 nohome: cannot find the home directory: $HOME is not "
                            "defined"),
                1);
        Finding *f = the_finding(&x, FINDING_HOME_UNSET, UNIT);
        ck_assert_str_eq(f->summary,
                         UNIT " needs $HOME, which the unit does not set: no User=: systemd sets HOME "
                              "only for a User=");
        ck_assert_str_eq(ev_str(f, "go_message"), "$HOME is not defined");
        ck_assert_str_eq(ev_str(f, "home_reason"), "no User=: systemd sets HOME only for a User=");
        ck_assert_str_eq(ev_str(f, "User"), "");
        ck_assert(!ev_bool(f, "DynamicUser"));
        ck_assert_uint_eq(ev(f, "checked_at")->u, T0 + 2 * SEC);
        const Advice *a = the_advice(f, ADVICE_DROPIN);
        ck_assert_str_eq(a->text,
                         "The program looks for its home directory (os.UserHomeDir) and the unit's "
                         "environment has no HOME (no User=: systemd sets HOME only for a User=). Give "
                         "it a state directory of its own as HOME:");
        ck_assert_str_eq(a->snippet, "[Service]\nStateDirectory=envsvc\nEnvironment=HOME=/var/lib/envsvc\n");
        /* Restarted, the same failure: one more occurrence; checked again, still there. */
        started(&x, T0 + 10 * SEC, UNIT, INV2);
        ck_assert_int_eq(unit_output(&x, T0 + 11 * SEC, UNIT, INV2, "$HOME is not defined"), 1);
        ck_assert_uint_eq(f->count, 2);
        ck_assert_int_eq(check(&x, &fx, T0 + 12 * SEC), 0);
        ck_assert_int_eq(f->state, FINDING_OPEN);
        /* User=app has a home: systemd sets HOME. Fixed. */
        u->settings.user = strdup("app");
        ck_assert_int_eq(check(&x, &fx, T0 + 13 * SEC), 1);
        assert_fixed(f, T0 + 13 * SEC);

        /* User=svc's home is "/": systemd sets no HOME. */
        free(u->settings.user);
        u->settings.user = strdup("svc");
        ck_assert_int_eq(unit_output(&x, T0 + 20 * SEC, UNIT, INV3,
                                     "open config: neither $XDG_CONFIG_HOME nor $HOME are defined"),
                         1);
        f = the_finding(&x, FINDING_HOME_UNSET, UNIT);
        ck_assert_str_eq(ev_str(f, "home_reason"), "User='s home directory is /");
        ck_assert_str_eq(
                the_advice(f, ADVICE_DROPIN)->snippet,
                "[Service]\nConfigurationDirectory=envsvc\nEnvironment=XDG_CONFIG_HOME=/etc/envsvc\n");
        /* HOME set in the environment: fixed. */
        set_env(u, "HOME=/var/lib/envsvc", NULL);
        ck_assert_int_eq(check(&x, &fx, T0 + 21 * SEC), 1);
        assert_fixed(f, T0 + 21 * SEC);
        ctx_done(&x);
        fixture_done(&fx);
}
END_TEST

START_TEST(test_search_paths) {
        Ctx x;
        Fixture fx;
        fixture_init(&fx);
        ctx_init(&x);
        TestUnit *u = env_unit(&x);
        set_env(u, "PATH=/usr/bin:.:/ww::/usr/sbin", "LD_LIBRARY_PATH=lib");
        ck_assert_int_eq(check(&x, &fx, T0), 2);
        Finding *f = the_finding(&x, FINDING_PATH_UNSAFE, UNIT);
        ck_assert_str_eq(f->summary,
                         UNIT " has unsafe entries in PATH: . (relative), /ww (writable by everyone), "
                              "\"\" (empty: the current directory)");
        ck_assert_str_eq(ev_str(f, "unsafe_entries"),
                         ". (relative), /ww (writable by everyone), \"\" (empty: the current directory)");
        ck_assert_str_eq(ev_str(f, "PATH_source"), "Environment=");
        const Advice *a = the_advice(f, ADVICE_DROPIN);
        ck_assert_str_eq(a->snippet, "[Service]\nEnvironment=PATH=/usr/bin:/usr/sbin\n");
        ck_assert_str_eq(a->text,
                         "PATH lets others plant the commands the program runs by name (os/exec looks "
                         "them up there): . (relative), /ww (writable by everyone), \"\" (empty: the "
                         "current directory). Keep only absolute directories that only root can write:");
        /* Confirmed by Go's ErrDot. */
        ck_assert_int_eq(unit_output(&x, T0 + SEC, UNIT, INV1,
                                     "exec: \"helper\": cannot run executable found relative to current "
                                     "directory"),
                         1);
        ck_assert_uint_eq(f->count, 2);
        ck_assert_str_eq(ev_str(f, "go_message"),
                         "cannot run executable found relative to current directory");

        Finding *l = the_finding(&x, FINDING_LD_LIBRARY_PATH_UNSAFE, UNIT);
        ck_assert_str_eq(l->summary, UNIT " has unsafe entries in LD_LIBRARY_PATH: lib (relative)");
        ck_assert_str_eq(the_advice(l, ADVICE_DROPIN)->snippet,
                         "[Service]\nUnsetEnvironment=LD_LIBRARY_PATH\n");

        /* A directory that is missing where everyone may make it. */
        set_env(u, "PATH=/usr/bin:/ww/bin", NULL);
        ck_assert_int_eq(check(&x, &fx, T0 + 2 * SEC), 2);
        ck_assert_str_eq(ev_str(f, "unsafe_entries"),
                         "/ww/bin (missing, in a directory writable by everyone)");
        ck_assert_str_eq(the_advice(f, ADVICE_DROPIN)->snippet, "[Service]\nEnvironment=PATH=/usr/bin\n");
        assert_fixed(l, T0 + 2 * SEC);

        set_env(u, "PATH=/usr/bin:/usr/sbin", NULL);
        ck_assert_int_eq(check(&x, &fx, T0 + 3 * SEC), 1);
        assert_fixed(f, T0 + 3 * SEC);
        ctx_done(&x);
        fixture_done(&fx);
}
END_TEST

START_TEST(test_go_toolchain) {
        Ctx x;
        Fixture fx;
        fixture_init(&fx);
        ctx_init(&x);
        TestUnit *u = env_unit(&x);
        free(u->settings.user);
        u->settings.user = NULL;
        u->settings.exec_start_path = strdup("/usr/bin/go");
        ck_assert_int_eq(strv_extend(&u->settings.exec_start_argv, "/usr/bin/go"), 0);
        ck_assert_int_eq(strv_extend(&u->settings.exec_start_argv, "run"), 0);
        ck_assert_int_eq(strv_extend(&u->settings.exec_start_argv, "-ldflags=-X main.key=" SECRET), 0);
        const char *mi_text = "path\tcmd/go\nbuild\tCGO_ENABLED=1\n";
        ck_assert_int_eq(go_modinfo_parse(mi_text, strlen(mi_text), &u->exe.modinfo, NULL), 0);
        /* The go tool needs a build cache at every start: home-unset before it runs, too. */
        ck_assert_int_eq(check(&x, &fx, T0), 2);
        Finding *f = the_finding(&x, FINDING_GO_TOOLCHAIN_AT_START, UNIT);
        ck_assert_str_eq(f->summary, UNIT " runs the go tool at every start: go run");
        ck_assert_str_eq(ev_str(f, "go_tool_command"), "go run");
        ck_assert_str_eq(ev_str(f, "go_tool_path"), "/usr/bin/go");
        const Advice *a = the_advice(f, ADVICE_DROPIN);
        ck_assert_str_eq(a->snippet, "[Service]\nExecStart=\nExecStart=/usr/local/bin/envsvc\n");
        Finding *h = the_finding(&x, FINDING_HOME_UNSET, UNIT);
        ck_assert_str_eq(h->summary,
                         UNIT " needs $HOME, which the unit does not set: the go tool's build cache");
        ck_assert_str_eq(
                the_advice(h, ADVICE_DROPIN)->snippet,
                "[Service]\nCacheDirectory=envsvc\nEnvironment=GOCACHE=/var/cache/envsvc/go-build\n");
        /* "go: downloading" confirms the network at start. */
        ck_assert_int_eq(unit_output(&x, T0 + SEC, UNIT, INV1, "go: downloading golang.org/x/text v0.3.8"),
                         1);
        ck_assert_str_eq(ev_str(f, "go_message"), "go: downloading golang.org/x/text v0.3.8");
        assert_no_secret(&x);
        /* GOCACHE set: home-unset fixed, the go tool still runs. */
        set_env(u, "GOCACHE=/var/cache/envsvc/go-build", NULL);
        ck_assert_int_eq(check(&x, &fx, T0 + 2 * SEC), 1);
        assert_fixed(h, T0 + 2 * SEC);
        ck_assert_int_eq(f->state, FINDING_OPEN);
        go_modinfo_free(u->exe.modinfo);
        u->exe.modinfo = NULL;
        ctx_done(&x);
        fixture_done(&fx);
}
END_TEST

START_TEST(test_tls) {
        Ctx x;
        Fixture fx;
        fixture_init(&fx);
        ctx_init(&x);
        TestUnit *u = env_unit(&x);
        set_env(u, "SSL_CERT_FILE=/etc/ssl/nowhere.pem", NULL);
        ck_assert_int_eq(check(&x, &fx, T0), 1);
        Finding *f = the_finding(&x, FINDING_TLS_ROOTS_MISSING, UNIT);
        ck_assert_str_eq(
                f->summary, UNIT
                " cannot find TLS root certificates: SSL_CERT_FILE=/etc/ssl/nowhere.pem not found in /");
        ck_assert_str_eq(ev_str(f, "SSL_CERT_FILE"), "/etc/ssl/nowhere.pem");
        ck_assert(!ev_bool(f, "tls_roots_found"));
        ck_assert_str_eq(the_advice(f, ADVICE_DROPIN)->snippet,
                         "[Service]\nEnvironment=SSL_CERT_FILE=/etc/pki/tls/cacert.pem\n");
        ck_assert_int_eq(unit_output(&x, T0 + SEC, UNIT, INV1,
                                     "Get \"https://api/\": x509: certificate signed by unknown authority"),
                         1);
        ck_assert_uint_eq(f->count, 2);
        set_env(u, "SSL_CERT_FILE=/etc/pki/tls/cacert.pem", NULL);
        ck_assert_int_eq(check(&x, &fx, T0 + 2 * SEC), 1);
        assert_fixed(f, T0 + 2 * SEC);

        /* A RootDirectory= without certificates: found from the output, fixed by a bind mount. */
        set_env(u, NULL, NULL);
        char image[96];
        snprintf(image, sizeof image, "%s/image", fx.root);
        put(fx.root, "image/etc/passwd", "root:x:0:0::/root:/bin/sh\n", 0);
        u->settings.root_directory = strdup("/image");
        ck_assert_int_eq(check(&x, &fx, T0 + 3 * SEC), 0);
        ck_assert_int_eq(unit_output(&x, T0 + 4 * SEC, UNIT, INV2,
                                     "x509: failed to load system roots and no roots provided"),
                         1);
        f = the_finding(&x, FINDING_TLS_ROOTS_MISSING, UNIT);
        ck_assert_str_eq(f->summary,
                         UNIT " cannot find TLS root certificates: no CA certificates in /image");
        ck_assert_str_eq(ev_str(f, "unit_root"), "/image");
        ck_assert_str_eq(the_advice(f, ADVICE_DROPIN)->snippet,
                         "[Service]\nBindReadOnlyPaths=/etc/ssl/certs\n");
        put(fx.root, "image/etc/ssl/certs/ca-certificates.crt", "-----BEGIN CERTIFICATE-----\n", 0);
        ck_assert_int_eq(check(&x, &fx, T0 + 5 * SEC), 1);
        assert_fixed(f, T0 + 5 * SEC);
        ctx_done(&x);
        fixture_done(&fx);
}
END_TEST

START_TEST(test_timezone) {
        Ctx x;
        Fixture fx;
        fixture_init(&fx);
        ctx_init(&x);
        TestUnit *u = env_unit(&x);
        set_env(u, "TZ=Mars/Olympus_Mons", NULL);
        ck_assert_int_eq(check(&x, &fx, T0), 1);
        Finding *f = the_finding(&x, FINDING_TIMEZONE_MISSING, UNIT);
        ck_assert_str_eq(f->summary, UNIT " cannot find time zone data: Mars/Olympus_Mons not in /");
        ck_assert_str_eq(ev_str(f, "zone"), "Mars/Olympus_Mons");
        ck_assert_str_eq(ev_str(f, "zone_source"), "TZ");
        ck_assert_str_eq(ev_str(f, "zoneinfo_dir"), "/usr/share/zoneinfo/");
        const Advice *a = the_advice(f, ADVICE_TEXT);
        ck_assert_str_eq(a->text,
                         "The zone database in / (/usr/share/zoneinfo/) has no zone Mars/Olympus_Mons. "
                         "With TZ naming a zone it cannot load, a Go program silently runs in UTC. Check "
                         "the name (timedatectl list-timezones) and update tzdata.");
        set_env(u, "TZ=Europe/Berlin", NULL);
        ck_assert_int_eq(check(&x, &fx, T0 + SEC), 1);
        assert_fixed(f, T0 + SEC);

        /* A zone the program loads itself, named in its output; a root without zone database. */
        set_env(u, NULL, NULL);
        put(fx.root, "jail/etc/passwd", "root:x:0:0::/root:/bin/sh\n", 0);
        u->settings.root_directory = strdup("/jail");
        ck_assert_int_eq(unit_output(&x, T0 + 2 * SEC, UNIT, INV1,
                                     "2026/12/05 09:00:00 tz: unknown time zone Europe/Berlin"),
                         1);
        f = the_finding(&x, FINDING_TIMEZONE_MISSING, UNIT);
        ck_assert_str_eq(f->summary, UNIT " cannot find time zone data: Europe/Berlin not in /jail");
        ck_assert_str_eq(ev_str(f, "go_message"), "unknown time zone Europe/Berlin");
        ck_assert_str_eq(ev_str(f, "zone_source"), "the program's output");
        ck_assert_str_eq(the_advice(f, ADVICE_DROPIN)->snippet,
                         "[Service]\nBindReadOnlyPaths=/usr/share/zoneinfo\n");
        free(u->settings.root_directory);
        u->settings.root_directory = NULL;
        ck_assert_int_eq(check(&x, &fx, T0 + 3 * SEC), 1);
        assert_fixed(f, T0 + 3 * SEC);
        ctx_done(&x);
        fixture_done(&fx);
}
END_TEST

/* With the checks run apart (goguardd: on its inspector's thread), the unit's output is judged
 * without looking into its own root, and a check is asked for, which gives the finding its cause. */
START_TEST(test_own_root_checked_apart) {
        Ctx x;
        Fixture fx;
        fixture_init(&fx);
        ctx_init(&x);
        correlator_free(x.c);
        x.checks_apart = true;
        x.host_facts = &fx.h;
        ctx_start(&x);
        TestUnit *u = env_unit(&x);
        put(fx.root, "jail/etc/passwd", "root:x:0:0::/root:/bin/sh\n", 0);
        u->settings.root_directory = strdup("/jail");
        ck_assert_int_eq(
                unit_output(&x, T0, UNIT, INV1, "2026/12/05 09:00:00 tz: unknown time zone Europe/Berlin"),
                1);
        Finding *f = the_finding(&x, FINDING_TIMEZONE_MISSING, UNIT);
        ck_assert_str_eq(f->summary, UNIT " cannot find time zone data: unknown time zone Europe/Berlin");
        ck_assert_str_eq(ev_str(f, "unit_root"), "/jail");
        ck_assert_ptr_null(finding_get(f, "checked_at"));
        ck_assert_uint_eq(x.n_check_requests, 1);
        ck_assert_str_eq(x.check_requested, UNIT);

        /* The check, apart: the root has no zone database. */
        UnitKnowledge k;
        ConditionCheck *cc;
        ck_assert_int_eq(lookup(&x, UNIT, &k), 0);
        ck_assert_int_eq(condition_check_new(x.c, UNIT, &k, T0 + SEC, &cc), 0);
        ck_assert_int_eq(condition_check_run(cc, &fx.h), 1);
        ck_assert_int_eq(correlator_apply_check(x.c, cc), 1);
        condition_check_free(cc);
        ck_assert_ptr_eq(the_finding(&x, FINDING_TIMEZONE_MISSING, UNIT), f);
        ck_assert_str_eq(f->summary, UNIT " cannot find time zone data: Europe/Berlin not in /jail");
        ck_assert_uint_eq(ev(f, "checked_at")->u, T0 + SEC);
        ck_assert_str_eq(ev_str(f, "zone_source"), "the program's output");
        ck_assert_str_eq(the_advice(f, ADVICE_DROPIN)->snippet,
                         "[Service]\nBindReadOnlyPaths=/usr/share/zoneinfo\n");

        /* At the next start again: the cause is known, no check asked for. */
        ck_assert_int_eq(unit_output(&x, T0 + 2 * SEC, UNIT, INV2, "tz: unknown time zone Europe/Berlin"),
                         1);
        ck_assert_uint_eq(x.n_check_requests, 1);
        ck_assert_str_eq(f->summary,
                         UNIT " cannot find time zone data: Europe/Berlin not in /jail (2 times)");
        ctx_done(&x);
        fixture_done(&fx);
}
END_TEST

START_TEST(test_temporary_filesystem) {
        /* TemporaryFileSystem= hides the zone database from the unit; a bind puts it back. */
        Ctx x;
        Fixture fx;
        fixture_init(&fx);
        ctx_init(&x);
        TestUnit *u = env_unit(&x);
        set_env(u, "TZ=Europe/Berlin", NULL);
        ck_assert_int_eq(strv_extend(&u->settings.temporary_filesystem, "/usr/share:ro"), 0);
        ck_assert_int_eq(check(&x, &fx, T0), 1);
        Finding *f = the_finding(&x, FINDING_TIMEZONE_MISSING, UNIT);
        ck_assert_str_eq(f->summary, UNIT " cannot find time zone data: Europe/Berlin not in /");
        ck_assert_str_eq(ev_str(f, "unit_temporary_filesystem"), "/usr/share:ro");
        ck_assert_str_eq(ev_str(f, "zoneinfo_dir"), "");
        const Advice *a = the_advice(f, ADVICE_DROPIN);
        ck_assert_str_eq(a->text,
                         "The unit's TemporaryFileSystem=/usr/share:ro hides the zone database "
                         "(/usr/share/zoneinfo/) from it, so zone Europe/Berlin cannot be loaded. With "
                         "TZ naming a zone it cannot load, a Go program silently runs in UTC. Bind it "
                         "back in:");
        ck_assert_str_eq(a->snippet, "[Service]\nBindReadOnlyPaths=/usr/share/zoneinfo\n");
        ck_assert_int_eq(strv_extend(&u->settings.bind_read_only_paths, "/usr/share/zoneinfo"), 0);
        ck_assert_int_eq(strv_extend(&u->settings.bind_read_only_paths, "/usr/share/zoneinfo"), 0);
        ck_assert_int_eq(check(&x, &fx, T0 + SEC), 1);
        assert_fixed(f, T0 + SEC);

        /* Over /etc/pki: no CA certificates for a program told where they are. */
        set_env(u, "SSL_CERT_DIR=/etc/pki/tls", NULL);
        ck_assert_int_eq(strv_extend(&u->settings.temporary_filesystem, "/etc/pki"), 0);
        ck_assert_int_eq(check(&x, &fx, T0 + 2 * SEC), 1);
        f = the_finding(&x, FINDING_TLS_ROOTS_MISSING, UNIT);
        ck_assert_str_eq(f->summary, UNIT
                         " cannot find TLS root certificates: SSL_CERT_DIR=/etc/pki/tls not found in /");
        ck_assert_str_eq(ev_str(f, "unit_temporary_filesystem"), "/etc/pki");
        ctx_done(&x);
        fixture_done(&fx);
}
END_TEST

START_TEST(test_passwd_group) {
        /* The users and groups a unit's credentials come from, as glibc's files module reads them. */
        HostEnvironment e = {};
        ck_assert_int_eq(host_passwd_parse(&e, "root:x:0:0::/root:/bin/sh\nbad:x:1:nogid::/:/bin/sh\n"
                                               "#c:x:2:2::/:/bin/sh\nshort:x:3\napp:x:991:992::/var/lib/app:"
                                               "/usr/sbin/nologin"),
                         0);
        ck_assert_uint_eq(e.n_users, 2);
        ck_assert_uint_eq(host_environment_user(&e, "app")->gid, 992);
        ck_assert_int_eq(host_group_parse(&e,
                                          "root:x:0:\nstaff:x:50:app,,other\n+nis\nweb:x:33:app\nbad:x:y:\n"
                                          "last:x:7:z"),
                         0);
        ck_assert_uint_eq(e.n_groups, 4);
        const HostGroup *g = host_environment_group(&e, "staff");
        ck_assert_uint_eq(g->gid, 50);
        ck_assert_uint_eq(strv_length(g->members), 2);
        ck_assert_str_eq(g->members[0], "app");
        ck_assert_str_eq(g->members[1], "other");
        ck_assert_str_eq(host_environment_group(&e, "33")->name, "web");
        ck_assert_str_eq(host_environment_group(&e, "last")->members[0], "z");
        ck_assert_ptr_null(host_environment_group(&e, "root")->members);
        ck_assert_ptr_null(host_environment_group(&e, "bad"));
        free(e.users[0].name), free(e.users[0].home), free(e.users[1].name), free(e.users[1].home);
        free(e.users);
        for (size_t i = 0; i < e.n_groups; i++) {
                free(e.groups[i].name);
                strv_free(e.groups[i].members);
        }
        free(e.groups);
}
END_TEST

START_TEST(test_nss) {
        Ctx x;
        Fixture fx;
        fixture_init(&fx);
        ctx_init(&x);
        TestUnit *u = env_unit(&x);
        free(u->settings.user);
        u->settings.user = NULL;
        u->settings.dynamic_user = true;
        u->exe.cgo = 0;
        ck_assert_int_eq(check(&x, &fx, T0), 0); /* it may never look a user up */
        ck_assert_int_eq(unit_output(&x, T0 + SEC, UNIT, INV1, "lookup: user: unknown userid 61234"), 1);
        Finding *f = the_finding(&x, FINDING_NSS_USER_LOOKUP, UNIT);
        ck_assert_str_eq(f->summary,
                         UNIT " cannot look up users without cgo: a DynamicUser= user, built without cgo");
        ck_assert_str_eq(ev_str(f, "go_message"), "user: unknown userid 61234");
        ck_assert_str_eq(ev_str(f, "nss_passwd"), "files systemd");
        ck_assert(!ev_bool(f, "cgo"));
        ck_assert(!ev_bool(f, "user_in_passwd"));
        ck_assert(ev_bool(f, "DynamicUser"));
        ck_assert_str_eq(the_advice(f, ADVICE_DROPIN)->snippet,
                         "[Service]\nStateDirectory=envsvc\nEnvironment=USER=envsvc HOME=/var/lib/envsvc\n");
        /* Rebuilt with cgo: a new binary, checked, fixed. */
        u->exe.cgo = 1;
        ck_assert_int_eq(check(&x, &fx, T0 + 2 * SEC), 1);
        assert_fixed(f, T0 + 2 * SEC);
        /* A cgo binary that looks up a user that does not exist: not this class's cause, and
         * resolved by a clean run rather than a check. */
        ck_assert_int_eq(unit_output(&x, T0 + 3 * SEC, UNIT, INV2, "user: unknown user nobody2"), 1);
        f = the_finding(&x, FINDING_NSS_USER_LOOKUP, UNIT);
        ck_assert_ptr_null(finding_get(f, "checked_at"));
        ck_assert_int_eq(check(&x, &fx, T0 + 4 * SEC), 0);
        ck_assert_int_eq(f->state, FINDING_OPEN);
        ctx_done(&x);
        fixture_done(&fx);
}
END_TEST

START_TEST(test_runs_as_root) {
        Ctx x;
        Fixture fx;
        fixture_init(&fx);
        ctx_init(&x);
        TestUnit *u = env_unit(&x);
        free(u->settings.user);
        u->settings.user = NULL;
        /* Not running, nothing in its build says server: nothing. */
        ck_assert_int_eq(check(&x, &fx, T0), 0);
        u->listen_read = true;
        u->listen_sockets = 1;
        u->listen_port_min = 8080;
        /* The host's full set is 0..40; systemd's "all" sets every bit. */
        u->settings.capability_bounding_set = UINT64_MAX;
        ck_assert_int_eq(check(&x, &fx, T0 + SEC), 1);
        Finding *f = the_finding(&x, FINDING_RUNS_AS_ROOT, UNIT);
        ck_assert_str_eq(f->summary,
                         UNIT " is a network service running as root with full capabilities: listens "
                              "on port 8080, all capabilities");
        ck_assert_str_eq(ev_str(f, "network_evidence"), "listening sockets of its main process");
        ck_assert_uint_eq(ev_u64(f, "listen_sockets"), 1);
        ck_assert_uint_eq(ev_u64(f, "listen_port_min"), 8080);
        ck_assert_str_eq(ev_str(f, "CapabilityBoundingSet"), "all");
        ck_assert_uint_eq(ev_u64(f, "cap_last_cap"), 40);
        const Advice *a = the_advice(f, ADVICE_DROPIN);
        ck_assert_str_eq(a->snippet, "[Service]\nDynamicUser=yes\nCapabilityBoundingSet=\n");
        /* A VM's kernel knows capabilities 0..40 only: a set of exactly those is still all. */
        u->settings.capability_bounding_set = (UINT64_C(1) << 41) - 1;
        ck_assert_int_eq(check(&x, &fx, T0 + 2 * SEC), 0);
        ck_assert_int_eq(f->state, FINDING_OPEN);
        /* Narrowed to CAP_NET_BIND_SERVICE: fixed. */
        u->settings.capability_bounding_set = UINT64_C(1) << 10;
        ck_assert_int_eq(check(&x, &fx, T0 + 3 * SEC), 1);
        assert_fixed(f, T0 + 3 * SEC);

        /* Port 80 wants the one capability; DynamicUser= is not root. */
        u->settings.capability_bounding_set = UINT64_MAX;
        u->listen_port_min = 80;
        ck_assert_int_eq(check(&x, &fx, T0 + 4 * SEC), 1);
        f = the_finding(&x, FINDING_RUNS_AS_ROOT, UNIT);
        ck_assert_str_eq(the_advice(f, ADVICE_DROPIN)->snippet,
                         "[Service]\nDynamicUser=yes\nCapabilityBoundingSet=CAP_NET_BIND_SERVICE\n"
                         "AmbientCapabilities=CAP_NET_BIND_SERVICE\n");
        u->settings.dynamic_user = true;
        ck_assert_int_eq(check(&x, &fx, T0 + 5 * SEC), 1);
        assert_fixed(f, T0 + 5 * SEC);

        /* Not running: a server module in the build is the weaker hint, and it says so. */
        u->settings.dynamic_user = false;
        u->listen_read = false;
        const char *mi_text = "path\texample.com/svc\nmod\texample.com/svc\t(devel)\t\n"
                              "dep\tgoogle.golang.org/grpc\tv1.60.0\th1:x=\n";
        ck_assert_int_eq(go_modinfo_parse(mi_text, strlen(mi_text), &u->exe.modinfo, NULL), 0);
        ck_assert_int_eq(check(&x, &fx, T0 + 6 * SEC), 1);
        f = the_finding(&x, FINDING_RUNS_AS_ROOT, UNIT);
        ck_assert_str_eq(ev_str(f, "network_evidence"),
                         "google.golang.org/grpc in its build info: a hint, it does not run now");
        go_modinfo_free(u->exe.modinfo);
        u->exe.modinfo = NULL;
        ctx_done(&x);
        fixture_done(&fx);
}
END_TEST

/* Offline (goguardctl analyze): no host facts, a unit nobody knows; every message still makes
 * its finding, none of them a condition. */
START_TEST(test_offline) {
        static const char *const lines[] = {
                "$HOME is not defined",
                "exec: \"x\": cannot run executable found relative to current directory",
                "go: downloading golang.org/x/text v0.3.8",
                "fatal error: malformed GOMEMLIMIT; see `go doc runtime/debug.SetMemoryLimit`",
                "x509: certificate signed by unknown authority",
                "unknown time zone Europe/Nowhere",
                "user: unknown userid 61234",
        };
        static const FindingClass found[] = {
                FINDING_HOME_UNSET,          FINDING_PATH_UNSAFE,       FINDING_GO_TOOLCHAIN_AT_START,
                FINDING_GOMEMLIMIT_VS_LIMIT, FINDING_TLS_ROOTS_MISSING, FINDING_TIMEZONE_MISSING,
                FINDING_NSS_USER_LOOKUP,
        };
        Ctx x;
        ctx_init(&x);
        /* The fatal error is the lifecycle family's too. */
        for (size_t i = 0; i < ELEMENTSOF(lines); i++)
                ck_assert_int_ge(unit_output(&x, T0 + i * SEC, "gone.service", INV1, lines[i]), 1);
        for (size_t i = 0; i < ELEMENTSOF(found); i++)
                ck_assert_ptr_null(finding_get(the_finding(&x, found[i], "gone.service"), "checked_at"));
        Finding *f = the_finding(&x, FINDING_TIMEZONE_MISSING, "gone.service");
        ck_assert_str_eq(f->summary,
                         "gone.service cannot find time zone data: unknown time zone Europe/Nowhere");
        ck_assert_ptr_null(finding_get(f, "checked_at"));
        ck_assert(!ev_bool(f, "unit_settings_known"));
        ctx_done(&x);
}
END_TEST

static Suite *detect_environment_suite(void) {
        Suite *s = suite_create("detect-environment");
        TCase *tc = tcase_create("core");
        tcase_add_test(tc, test_host_environment);
        tcase_add_test(tc, test_healthy);
        tcase_add_test(tc, test_gomaxprocs);
        tcase_add_test(tc, test_gomemlimit);
        tcase_add_test(tc, test_home);
        tcase_add_test(tc, test_search_paths);
        tcase_add_test(tc, test_go_toolchain);
        tcase_add_test(tc, test_tls);
        tcase_add_test(tc, test_timezone);
        tcase_add_test(tc, test_temporary_filesystem);
        tcase_add_test(tc, test_own_root_checked_apart);
        tcase_add_test(tc, test_passwd_group);
        tcase_add_test(tc, test_nss);
        tcase_add_test(tc, test_runs_as_root);
        tcase_add_test(tc, test_offline);
        suite_add_tcase(s, tc);
        return s;
}

DEFINE_TEST_MAIN(detect_environment_suite)
