/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The loader family: each class as a condition a check finds before the unit starts (against a
 * root made here and host facts set here), confirmed by the failure's own words, and resolved
 * when the configuration is fixed; a healthy unit gets nothing. Summaries, evidence and advice
 * exactly. */
#include <elf.h>
#include <sys/stat.h>

#include "correlate-harness.h"
#include "host-loader.h"
#include "loader-exec.h"
#include "loader-fixture.h"
#include "unit-view.h"

#define APP  "app.service"
#define EXE  "/srv/app/bin"
#define LIBC "/lib/x86_64-linux-gnu/libc.so.6"

static char root[64];

static const Lib cache_libs[] = {
        { 0x0303, "libc.so.6", LIBC, 0 },
};

static void setup(void) {
        char p[1024];
        Image m = {};
        /* A new one for each test, also when Check does not fork (CK_FORK=no). */
        snprintf(root, sizeof root, "/tmp/test-detect-loader-XXXXXX");
        ck_assert_ptr_nonnull(mkdtemp(root));
        ld_cache_image_new(&m, 0, cache_libs, ELEMENTSOF(cache_libs));
        fixture_mkdirs(root, "etc");
        snprintf(p, sizeof p, "%s/etc/ld.so.cache", root);
        ld_cache_image_write(&m, p);
        fixture_write_elf(root, "srv/app/bin", 64, EM_X86_64, "", 0);
        snprintf(p, sizeof p, "%s" EXE, root);
        ck_assert_int_eq(chmod(p, 0755), 0);
        fixture_write_elf(root, "lib/x86_64-linux-gnu/libc.so.6", 64, EM_X86_64, "", 0);
        fixture_write_elf(root, "lib64/ld-linux-x86-64.so.2", 64, EM_X86_64, "", 0);
        fixture_mkdirs(root, "usr/lib/x86_64-linux-gnu");
}

static void teardown(void) {
        char cmd[256];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
        ck_assert_int_eq(system(cmd), 0);
}

/* An x86-64 host with glibc 2.36 and a v2 CPU, its cache read from the root. */
static void host_init(HostFacts *h) {
        char p[1024];
        ck_assert_int_eq(host_facts_init(h, root), 0);
        h->loader_read = true;
        h->machine = EM_X86_64;
        h->elf_class = 64;
        h->multiarch = "x86_64-linux-gnu";
        Image m = {};
        ld_cache_image_new(&m, 0, cache_libs, ELEMENTSOF(cache_libs));
        ck_assert_int_eq(ld_so_cache_parse(m.b, m.n, &h->ld_cache), 0);
        h->glibc_version = strdup("GLIBC_2.36");
        h->glibc_release = strdup("2.36");
        snprintf(p, sizeof p, "%s", LIBC);
        h->libc_path = strdup(p);
        h->cpu = (HostCpu){ .x86_known = true,
                            .max_leaf = 0xd,
                            .max_ext_leaf = 0x80000008,
                            .leaf1_ecx = 1u << 0 | 1u << 9 | 1u << 13 | 1u << 19 | 1u << 20 | 1u << 23,
                            .leaf1_edx = 1u << 23 | 1u << 26,
                            .ext1_ecx = 1u << 0 };
}

static ElfNeeded needed[4];

/* A cgo Go binary needing libc.so.6 (GLIBC_2.34) through /lib64/ld-linux-x86-64.so.2. */
static TestUnit *app_unit(Ctx *x) {
        TestUnit *u = add_unit(x, APP);
        /* No memory limit: the environment family's gomemlimit-vs-limit has nothing to say. */
        u->settings.memory_max = UINT64_MAX;
        u->settings.exec_start_path = strdup(EXE);
        u->exe.have_elf_facts = true;
        u->exe.cgo = 1;
        u->exe.goarch = "amd64";
        u->exe.arch_level_key = "GOAMD64";
        u->exe.arch_level = "v1";
        needed[0] = (ElfNeeded){ .name = (char *) "libc.so.6", .glibc_version = (char *) "GLIBC_2.34" };
        u->exe.elf = (ElfFacts){ .elf_class = 64,
                                 .machine = EM_X86_64,
                                 .kind = ELF_KIND_PIE,
                                 .dynamic = true,
                                 .interpreter = (char *) "/lib64/ld-linux-x86-64.so.2",
                                 .needed = needed,
                                 .n_needed = 1 };
        return u;
}

static int check(Ctx *x, const HostFacts *h, uint64_t t) {
        int r = correlator_check_unit(x->c, APP, h, t);
        ck_assert_int_ge(r, 0);
        return r;
}

START_TEST(test_healthy) {
        Ctx x;
        HostFacts h;
        ctx_init(&x);
        host_init(&h);
        app_unit(&x);
        ck_assert_int_eq(check(&x, &h, T0), 0);
        ck_assert_uint_eq(n_findings(&x), 0);
        /* Host facts not read: nothing judged. */
        h.loader_read = false;
        ck_assert_int_eq(check(&x, &h, T0), 0);
        host_facts_done(&h);
        ctx_done(&x);
}
END_TEST

START_TEST(test_missing_library) {
        Ctx x;
        HostFacts h;
        ctx_init(&x);
        host_init(&h);
        TestUnit *u = app_unit(&x);
        needed[1] = (ElfNeeded){ .name = (char *) "libgone.so.1" };
        u->exe.elf.n_needed = 2;
        u->exe.elf.runpath = (char *) "$ORIGIN/lib";
        ck_assert_int_eq(strv_extend(&u->env, "LD_LIBRARY_PATH=/opt/x"), 0);
        ck_assert_int_eq(check(&x, &h, T0), 1);
        Finding *f = the_finding(&x, FINDING_MISSING_LIBRARY, APP);
        ck_assert_str_eq(f->summary, APP " needs a shared library the host does not have: libgone.so.1");
        ck_assert_str_eq(ev_str(f, "loader_libraries_missing"), "libgone.so.1");
        ck_assert_str_eq(ev_str(f, "loader_library_search"),
                         "libgone.so.1: LD_LIBRARY_PATH /opt/x, RUNPATH $ORIGIN/lib, ld.so.cache, "
                         "/lib/x86_64-linux-gnu, /usr/lib/x86_64-linux-gnu, /lib, /usr/lib");
        ck_assert_str_eq(ev_str(f, "loader_ld_library_path"), "/opt/x");
        ck_assert_str_eq(ev_str(f, "loader_exe_path"), EXE);
        ck_assert_str_eq(ev_str(f, "go_version"), "go1.19.8");
        ck_assert_uint_eq(f->n_advice, 2);
        ck_assert_str_eq(
                advice_text_at(f, 0),
                "The loader stops the program before it starts (\"error while loading shared libraries: "
                "libgone.so.1: cannot open shared object file\", exit status 127). Install the package "
                "that provides it:");
        ck_assert_str_eq(advice_snippet_at(f, 0),
                         "apt-file search 'libgone.so.1'  # or: dnf provides '*/libgone.so.1'");
        ck_assert_str_eq(advice_snippet_at(f, 1), "CGO_ENABLED=0 go build");
        ck_assert_uint_eq(x.n_added, 1);

        /* The same check again: nothing new. */
        ck_assert_int_eq(check(&x, &h, T0 + SEC), 0);
        ck_assert_uint_eq(x.n_updated, 0);

        /* It fails as said: the loader's line confirms the finding. */
        unit_output(&x, T0 + 2 * SEC, APP, INV1,
                    EXE
                    ": error while loading shared libraries: libgone.so.1: cannot open shared object file: "
                    "No such file or directory");
        ck_assert_ptr_eq(the_finding(&x, FINDING_MISSING_LIBRARY, APP), f);
        ck_assert_uint_eq(f->count, 2);
        ck_assert_str_eq(
                ev_str(f, "loader_confirmed_by"),
                EXE ": error while loading shared libraries: libgone.so.1: cannot open shared object file: "
                    "No such file or directory");
        ck_assert_uint_eq(ev(f, "loader_confirmed_at")->u, T0 + 2 * SEC);
        ck_assert_str_eq(f->summary, APP " needs a shared library the host does not have: libgone.so.1");
        ck_assert_uint_eq(n_findings(&x), 1);

        /* A new binary needs it no more: resolved by the configuration. */
        u->exe.elf.n_needed = 1;
        ck_assert_int_eq(check(&x, &h, T0 + 3 * SEC), 1);
        ck_assert_int_eq(f->state, FINDING_RESOLVED);
        ck_assert_str_eq(ev_str(f, "resolved_by"), "configuration-fixed");
        host_facts_done(&h);
        ctx_done(&x);
}
END_TEST

START_TEST(test_hostile_needed) {
        /* Thousands of DT_NEEDED: the check tries a bounded number of files, names 16 libraries
         * and counts the others it looked at. */
        Ctx x;
        HostFacts h;
        static ElfNeeded many[3000];
        static char names[3000][32];
        ctx_init(&x);
        host_init(&h);
        TestUnit *u = app_unit(&x);
        for (size_t i = 0; i < ELEMENTSOF(many); i++) {
                snprintf(names[i], sizeof names[i], i == 0 ? "libc.so.6" : "libn%zu.so", i);
                many[i] = (ElfNeeded){ .name = names[i] };
        }
        u->exe.elf.needed = many;
        u->exe.elf.n_needed = ELEMENTSOF(many);
        ck_assert_int_eq(check(&x, &h, T0), 1);
        Finding *f = the_finding(&x, FINDING_MISSING_LIBRARY, APP);
        /* libc.so.6 from the cache (1 file), then 4 default directories a library: 511 judged. */
        ck_assert_str_eq(ev_str(f, "loader_libraries_missing"),
                         "libn1.so, libn2.so, libn3.so, libn4.so, libn5.so, libn6.so, libn7.so, libn8.so, "
                         "libn9.so, libn10.so, libn11.so, libn12.so, libn13.so, libn14.so, libn15.so, "
                         "libn16.so, and 495 more");
        host_facts_done(&h);
        ctx_done(&x);
}
END_TEST

START_TEST(test_missing_library_message_only) {
        /* Failed before goguard checked it: the loader's line alone. */
        Ctx x;
        ctx_init(&x);
        app_unit(&x);
        unit_output(&x, T0, APP, INV1,
                    EXE
                    ": error while loading shared libraries: libfoo.so.9: cannot open shared object file: "
                    "No such file or directory");
        Finding *f = the_finding(&x, FINDING_MISSING_LIBRARY, APP);
        ck_assert_str_eq(f->summary, APP " needs a shared library the host does not have: libfoo.so.9");
        ck_assert_str_eq(ev_str(f, "loader_libraries_missing"), "libfoo.so.9");
        ck_assert_str_eq(advice_snippet_at(f, 0),
                         "apt-file search 'libfoo.so.9'  # or: dnf provides '*/libfoo.so.9'");
        /* The Go runtime's refusal alone names the level. */
        unit_output(&x, T0, APP, INV1,
                    "This program can only be run on AMD64 processors with v4 microarchitecture support.");
        f = the_finding(&x, FINDING_CPU_LEVEL, APP);
        ck_assert_str_eq(f->summary, APP " needs CPU features this host lacks: GOAMD64=v4");
        ck_assert_str_eq(ev_str(f, "loader_cpu_level"), "GOAMD64=v4");
        ck_assert_str_eq(advice_snippet_at(f, 0), "GOAMD64=v1 go build");
        /* Another loader error is not this class. */
        unit_output(&x, T0 + SEC, "other.service", INV2,
                    "/x: error while loading shared libraries: libbar.so: wrong ELF class: ELFCLASS32");
        ck_assert_uint_eq(n_findings(&x), 2);
        ctx_done(&x);
}
END_TEST

START_TEST(test_glibc_too_old) {
        Ctx x;
        HostFacts h;
        ctx_init(&x);
        host_init(&h);
        TestUnit *u = app_unit(&x);
        needed[0].glibc_version = (char *) "GLIBC_2.39";
        ck_assert_int_eq(check(&x, &h, T0), 1);
        Finding *f = the_finding(&x, FINDING_GLIBC_TOO_OLD, APP);
        ck_assert_str_eq(f->summary, APP " needs a newer glibc than the host has: GLIBC_2.39 from "
                                         "libc.so.6, the host has glibc 2.36");
        ck_assert_str_eq(ev_str(f, "loader_glibc_required"), "libc.so.6: GLIBC_2.39");
        ck_assert_str_eq(ev_str(f, "loader_glibc_host"), "GLIBC_2.36");
        ck_assert_str_eq(ev_str(f, "loader_glibc_host_release"), "2.36");
        ck_assert_uint_eq(f->n_advice, 2);
        ck_assert_str_eq(advice_snippet_at(f, 0), "CGO_ENABLED=0 go build");
        ck_assert_str_eq(
                advice_text_at(f, 1),
                "Or build it against the oldest glibc you deploy to (glibc 2.36 here), in a container of "
                "that age, e.g. Debian bookworm (glibc 2.36):");
        ck_assert_str_eq(advice_snippet_at(f, 1),
                         "docker run --rm -v \"$PWD\":/src -w /src golang:1.19.8-bookworm go build");
        unit_output(&x, T0 + SEC, APP, INV1,
                    EXE ": " LIBC ": version `GLIBC_2.39' not found (required by " EXE ")");
        ck_assert_uint_eq(f->count, 2);
        ck_assert_str_eq(ev_str(f, "loader_confirmed_by"),
                         EXE ": " LIBC ": version `GLIBC_2.39' not found (required by " EXE ")");
        /* Rebuilt against the host's glibc. */
        needed[0].glibc_version = (char *) "GLIBC_2.34";
        ck_assert_int_eq(check(&x, &h, T0 + 2 * SEC), 1);
        ck_assert_int_eq(f->state, FINDING_RESOLVED);
        (void) u;
        host_facts_done(&h);
        ctx_done(&x);
}
END_TEST

START_TEST(test_interpreter_missing) {
        Ctx x;
        HostFacts h;
        ctx_init(&x);
        host_init(&h);
        TestUnit *u = app_unit(&x);
        u->exe.elf.interpreter = (char *) "/lib/ld-musl-x86_64.so.1";
        needed[0] = (ElfNeeded){ .name = (char *) "libc.musl-x86_64.so.1" };
        ck_assert_int_eq(check(&x, &h, T0), 1);
        /* The libraries of a loader that is not there are not judged. */
        ck_assert_uint_eq(n_findings(&x), 1);
        Finding *f = the_finding(&x, FINDING_INTERPRETER_MISSING, APP);
        ck_assert_str_eq(f->summary, APP " needs an ELF interpreter this host does not have: "
                                         "/lib/ld-musl-x86_64.so.1 (musl)");
        ck_assert_str_eq(ev_str(f, "loader_elf_interpreter"), "/lib/ld-musl-x86_64.so.1");
        ck_assert_str_eq(ev_str(f, "loader_interpreter_family"), "musl");
        ck_assert_uint_eq(f->n_advice, 2);
        ck_assert_str_eq(
                advice_text_at(f, 0),
                "The program's ELF interpreter /lib/ld-musl-x86_64.so.1 (musl) does not exist on this "
                "host: execve() fails with \"No such file or directory\" although the program exists "
                "(status=203/EXEC). Build a static binary, which needs no interpreter:");
        ck_assert_str_eq(advice_snippet_at(f, 0), "CGO_ENABLED=0 go build");
        ck_assert_str_eq(advice_snippet_at(f, 1), "apt install musl");
        /* PID 1's 203/EXEC confirms it. */
        main_exited(&x, T0 + SEC, APP, INV1, "exited", "203", "EXEC");
        ck_assert_uint_eq(f->count, 2);
        ck_assert_str_eq(ev_str(f, "loader_exit_status"), "203/EXEC");
        ck_assert_str_eq(ev_str(f, "loader_confirmed_by"),
                         APP ": Main process exited, code=exited, status=203/EXEC");
        ck_assert_uint_eq(n_findings(&x), 1);
        host_facts_done(&h);
        ctx_done(&x);
}
END_TEST

START_TEST(test_arch_mismatch) {
        Ctx x;
        HostFacts h;
        ctx_init(&x);
        host_init(&h);
        TestUnit *u = app_unit(&x);
        u->exe.elf = (ElfFacts){ .elf_class = 64, .machine = EM_AARCH64, .kind = ELF_KIND_EXEC };
        u->exe.goarch = "arm64";
        u->exe.arch_level_key = u->exe.arch_level = NULL;
        ck_assert_int_eq(check(&x, &h, T0), 1);
        Finding *f = the_finding(&x, FINDING_ARCH_MISMATCH, APP);
        ck_assert_str_eq(f->summary, APP " was built for another architecture: aarch64 64-bit little-endian "
                                         "(GOARCH=arm64), this host is x86-64 64-bit little-endian");
        ck_assert_str_eq(ev_str(f, "loader_elf_machine"), "aarch64 64-bit little-endian");
        ck_assert_str_eq(ev_str(f, "loader_host_machine"), "x86-64 64-bit little-endian");
        ck_assert_str_eq(advice_snippet_at(f, 0), "GOOS=linux GOARCH=amd64 go build");
        main_exited(&x, T0 + SEC, APP, INV1, "exited", "203", "EXEC");
        ck_assert_uint_eq(f->count, 2);
        ck_assert_uint_eq(n_findings(&x), 1);

        /* With a binfmt_misc handler for it (qemu-user), it runs: no finding, and the open one resolves. */
        h.binfmt = calloc(1, sizeof *h.binfmt);
        ck_assert_int_eq(binfmt_parse("qemu-aarch64",
                                      "enabled\ninterpreter /usr/bin/qemu-aarch64-static\noffset 0\n"
                                      "magic 7f454c460201010000000000000000000200b700\n"
                                      "mask ffffffffffffff00fffffffffffffffffeffffff\n",
                                      &h.binfmt[0]),
                         0);
        h.n_binfmt = 1;
        ck_assert_int_eq(check(&x, &h, T0 + 2 * SEC), 1);
        ck_assert_int_eq(f->state, FINDING_RESOLVED);
        /* A 32-bit x86 binary runs on this 64-bit kernel. */
        u->exe.elf.machine = EM_386;
        u->exe.elf.elf_class = 32;
        h.n_binfmt = 0;
        ck_assert_int_eq(check(&x, &h, T0 + 3 * SEC), 0);
        h.n_binfmt = 1;
        host_facts_done(&h);
        ctx_done(&x);
}
END_TEST

START_TEST(test_cpu_level) {
        Ctx x;
        HostFacts h;
        ctx_init(&x);
        host_init(&h);
        TestUnit *u = app_unit(&x);
        u->exe.arch_level = "v3";
        ck_assert_int_eq(check(&x, &h, T0), 1);
        Finding *f = the_finding(&x, FINDING_CPU_LEVEL, APP);
        ck_assert_str_eq(f->summary,
                         APP " needs CPU features this host lacks: GOAMD64=v3 (missing FMA, MOVBE, "
                             "OSXSAVE, AVX, F16C, LZCNT, BMI1, AVX2, BMI2, XMM state (OS), YMM state "
                             "(OS))");
        ck_assert_str_eq(ev_str(f, "loader_cpu_level"), "GOAMD64=v3");
        ck_assert_str_eq(
                advice_text_at(f, 0),
                "The Go runtime checks the CPU before anything else and exits (\"This program can only "
                "be run on AMD64 processors with v3 microarchitecture support.\"). Build for a level "
                "this CPU has:");
        ck_assert_str_eq(advice_snippet_at(f, 0), "GOAMD64=v2 go build");
        unit_output(&x, T0 + SEC, APP, INV1,
                    "This program can only be run on AMD64 processors with v3 microarchitecture support.");
        ck_assert_uint_eq(f->count, 2);
        ck_assert_str_eq(
                ev_str(f, "loader_confirmed_by"),
                "This program can only be run on AMD64 processors with v3 microarchitecture support.");
        /* Rebuilt with v2. */
        u->exe.arch_level = "v2";
        ck_assert_int_eq(check(&x, &h, T0 + 2 * SEC), 1);
        ck_assert_int_eq(f->state, FINDING_RESOLVED);
        host_facts_done(&h);
        ctx_done(&x);
}
END_TEST

START_TEST(test_exec_failed) {
        Ctx x;
        HostFacts h;
        char p[1024];
        ctx_init(&x);
        host_init(&h);
        app_unit(&x);
        snprintf(p, sizeof p, "%s" EXE, root);
        ck_assert_int_eq(chmod(p, 0644), 0);
        ck_assert_int_eq(check(&x, &h, T0), 1);
        Finding *f = the_finding(&x, FINDING_EXEC_FAILED, APP);
        ck_assert_str_eq(f->summary, APP " could not be executed: " EXE " is not executable (mode 0644)");
        ck_assert_str_eq(ev_str(f, "loader_exec_cause"), "mode");
        ck_assert_str_eq(ev_str(f, "loader_exe_mode"), "0644");
        ck_assert_str_eq(
                advice_text_at(f, 0),
                "The file has no execute permission; systemd says \"Failed to locate executable " EXE
                ": Permission denied\" and the unit fails with status=203/EXEC. Make it executable:");
        ck_assert_str_eq(advice_snippet_at(f, 0), "chmod 0755 '" EXE "'");
        main_exited(&x, T0 + SEC, APP, INV1, "exited", "203", "EXEC");
        ck_assert_uint_eq(f->count, 2);
        ck_assert_uint_eq(n_findings(&x), 1);
        /* chmod'ed: resolved at the next check. */
        ck_assert_int_eq(chmod(p, 0755), 0);
        ck_assert_int_eq(check(&x, &h, T0 + 2 * SEC), 1);
        ck_assert_int_eq(f->state, FINDING_RESOLVED);
        /* NoExecPaths= covering it, ExecPaths= more specific allowing it again. */
        ck_assert_int_eq(strv_extend(&x.units[0].settings.no_exec_paths, "-/srv"), 0);
        ck_assert_int_eq(check(&x, &h, T0 + 3 * SEC), 1);
        f = the_finding(&x, FINDING_EXEC_FAILED, APP);
        ck_assert_str_eq(f->summary, APP " could not be executed: " EXE " is under NoExecPaths=-/srv");
        ck_assert_str_eq(ev_str(f, "loader_exec_cause"), "NoExecPaths");
        ck_assert_str_eq(ev_str(f, "loader_exec_rule"), "-/srv");
        ck_assert_int_eq(f->advice[0].kind, ADVICE_DROPIN);
        ck_assert_str_eq(advice_snippet_at(f, 0), "[Service]\nExecPaths=/srv/app\n");
        ck_assert_int_eq(strv_extend(&x.units[0].settings.exec_paths, "/srv/app/"), 0);
        ck_assert_int_eq(check(&x, &h, T0 + 4 * SEC), 1);
        ck_assert_int_eq(f->state, FINDING_RESOLVED);
        /* A path that only starts like it is not under it. */
        strv_free(x.units[0].settings.exec_paths);
        x.units[0].settings.exec_paths = NULL;
        strv_free(x.units[0].settings.no_exec_paths);
        x.units[0].settings.no_exec_paths = NULL;
        ck_assert_int_eq(strv_extend(&x.units[0].settings.no_exec_paths, "/srv/ap"), 0);
        ck_assert_int_eq(check(&x, &h, T0 + 5 * SEC), 0);
        /* ExecStart= naming a directory. */
        free(x.units[0].settings.exec_start_path);
        x.units[0].settings.exec_start_path = strdup("/srv/app");
        ck_assert_int_eq(check(&x, &h, T0 + 6 * SEC), 1);
        f = the_finding(&x, FINDING_EXEC_FAILED, APP);
        ck_assert_str_eq(f->summary, APP " could not be executed: /srv/app is a directory");
        host_facts_done(&h);
        ctx_done(&x);
}
END_TEST

/* An executable file under the root (path without its leading "/"). */
static void write_script(const char *path, const char *text) {
        char p[1024];
        fixture_write(root, path, text, strlen(text));
        snprintf(p, sizeof p, "%s/%s", root, path);
        ck_assert_int_eq(chmod(p, 0755), 0);
}

/* ExecStart= a wrapper script (the Go program it runs is the unit's executable, as goguardd knows
 * it from the main process), whose "#!" names an interpreter missing in the unit's root: execve()
 * fails; PID 1's 203/EXEC confirms it. An interpreter that is there, or a relative one, is not
 * judged; a script read alone (goguardctl check: no executable facts) is judged the same. */
START_TEST(test_script_interpreter) {
        Ctx x;
        HostFacts h;
        ctx_init(&x);
        host_init(&h);
        TestUnit *u = app_unit(&x);
        write_script("srv/app/run", "#!/usr/bin/python9 -u\nimport os\n");
        free(u->settings.exec_start_path);
        u->settings.exec_start_path = strdup("/srv/app/run");
        ck_assert_int_eq(check(&x, &h, T0), 1);
        Finding *f = the_finding(&x, FINDING_EXEC_FAILED, APP);
        ck_assert_str_eq(f->summary,
                         APP " could not be executed: /srv/app/run is a script whose interpreter "
                             "/usr/bin/python9 does not exist");
        ck_assert_str_eq(ev_str(f, "loader_exec_cause"), "script-interpreter");
        ck_assert_str_eq(ev_str(f, "loader_script_interpreter"), "/usr/bin/python9");
        ck_assert_str_eq(ev_str(f, "loader_exe_path"), "/srv/app/run");
        ck_assert_uint_eq(f->n_advice, 1);
        ck_assert_str_eq(
                advice_text_at(f, 0),
                "ExecStart= names a script whose first line (#!/usr/bin/python9) names an interpreter "
                "that is not there: execve() fails with \"No such file or directory\" although the "
                "script exists (status=203/EXEC). Install the interpreter, or make the script's first "
                "line name one that exists; find the package that ships it:");
        ck_assert_str_eq(advice_snippet_at(f, 0),
                         "apt-file search '/usr/bin/python9'  # or: dnf provides '/usr/bin/python9'");
        main_exited(&x, T0 + SEC, APP, INV1, "exited", "203", "EXEC");
        ck_assert_uint_eq(f->count, 2);
        ck_assert_str_eq(ev_str(f, "loader_exit_status"), "203/EXEC");
        ck_assert_uint_eq(n_findings(&x), 1);

        /* The interpreter installed: resolved. */
        write_script("srv/app/python9", "");
        write_script("srv/app/run", "#!/srv/app/python9 -u\n");
        ck_assert_int_eq(check(&x, &h, T0 + 2 * SEC), 1);
        ck_assert_int_eq(f->state, FINDING_RESOLVED);
        /* Relative: opened from the working directory, not judged. */
        write_script("srv/app/run", "#!python9\n");
        ck_assert_int_eq(check(&x, &h, T0 + 3 * SEC), 0);

        /* A script alone, no executable facts: judged the same. */
        write_script("srv/app/run", "#! /opt/node/bin/node\n");
        u->have_exe = false;
        ck_assert_int_eq(check(&x, &h, T0 + 4 * SEC), 1);
        f = the_finding(&x, FINDING_EXEC_FAILED, APP);
        ck_assert_str_eq(f->summary,
                         APP " could not be executed: /srv/app/run is a script whose interpreter "
                             "/opt/node/bin/node does not exist");
        host_facts_done(&h);
        ctx_done(&x);
}
END_TEST

START_TEST(test_exec_failed_unexplained) {
        /* A 203/EXEC no check explained: exec-failed on PID 1's word. */
        Ctx x;
        ctx_init(&x);
        app_unit(&x);
        main_exited(&x, T0, APP, INV1, "exited", "203", "EXEC");
        Finding *f = the_finding(&x, FINDING_EXEC_FAILED, APP);
        ck_assert_str_eq(f->summary, APP " could not be executed: status=203/EXEC");
        ck_assert_str_eq(advice_snippet_at(f, 0),
                         "journalctl -b -u '" APP "' -g 'Failed (to execute|to locate|at step EXEC)'");
        /* The same invocation's exit again: counted once. */
        main_exited(&x, T0, APP, INV1, "exited", "203", "EXEC");
        ck_assert_uint_eq(f->count, 1);
        /* Other exits are not this family's. */
        main_exited(&x, T0 + SEC, APP, INV2, "exited", "1", "FAILURE");
        ck_assert_uint_eq(n_findings(&x), 1);
        ctx_done(&x);
}
END_TEST

START_TEST(test_root_directory) {
        /* RootDirectory=: the interpreter is looked for in the unit's root, which lacks it. */
        Ctx x;
        HostFacts h;
        ctx_init(&x);
        host_init(&h);
        TestUnit *u = app_unit(&x);
        fixture_write_elf(root, "jail/srv/app/bin", 64, EM_X86_64, "", 0);
        char p[1024];
        snprintf(p, sizeof p, "%s/jail" EXE, root);
        ck_assert_int_eq(chmod(p, 0755), 0);
        u->settings.root_directory = strdup("/jail");
        ck_assert_int_eq(check(&x, &h, T0), 1);
        Finding *f = the_finding(&x, FINDING_INTERPRETER_MISSING, APP);
        ck_assert_str_eq(ev_str(f, "loader_root_directory"), "/jail");
        ck_assert(strstr(advice_text_at(f, 0), "does not exist in its RootDirectory=: execve()"));
        host_facts_done(&h);
        ctx_done(&x);
}
END_TEST

START_TEST(test_glibc_root_directory) {
        /* RootDirectory=: judged against the glibc of its own libc.so.6 (2.28), not the host's. */
        static const char libc[] = "\0GLIBC_2.2.5\0GLIBC_2.28\0GNU C Library (Debian GLIBC 2.28-10) stable "
                                   "release version 2.28.\0";
        Ctx x;
        HostFacts h;
        char p[1024];
        ctx_init(&x);
        host_init(&h);
        TestUnit *u = app_unit(&x);
        fixture_write_elf(root, "jail/srv/app/bin", 64, EM_X86_64, "", 0);
        snprintf(p, sizeof p, "%s/jail" EXE, root);
        ck_assert_int_eq(chmod(p, 0755), 0);
        fixture_write_elf(root, "jail/lib64/ld-linux-x86-64.so.2", 64, EM_X86_64, "", 0);
        fixture_write_elf(root, "jail/lib/x86_64-linux-gnu/libc.so.6", 64, EM_X86_64, libc, sizeof libc);
        fixture_mkdirs(root, "jail/usr/lib/x86_64-linux-gnu");
        u->settings.root_directory = strdup("/jail");
        ck_assert_int_eq(check(&x, &h, T0), 1);
        Finding *f = the_finding(&x, FINDING_GLIBC_TOO_OLD, APP);
        ck_assert_str_eq(f->summary,
                         APP " needs a newer glibc than the host has: GLIBC_2.34 from libc.so.6, "
                             "RootDirectory=/jail has glibc 2.28");
        ck_assert_str_eq(ev_str(f, "loader_glibc_required"), "libc.so.6: GLIBC_2.34");
        ck_assert_str_eq(ev_str(f, "loader_glibc_host"), "GLIBC_2.28");
        ck_assert_str_eq(ev_str(f, "loader_glibc_host_release"), "2.28");
        ck_assert_str_eq(ev_str(f, "loader_root_directory"), "/jail");
        ck_assert_str_eq(advice_text_at(f, 0),
                         "The program was linked against a glibc newer than RootDirectory=/jail's 2.28: the "
                         "loader stops it (\"version `GLIBC_2.34' not found\", exit status 127). Build it "
                         "without cgo, so it needs no glibc at all:");
        ck_assert_str_eq(
                advice_text_at(f, 1),
                "Or build it against the oldest glibc you deploy to (glibc 2.28 here), in a container "
                "of that age, e.g. Debian buster (glibc 2.28):");
        ck_assert_uint_eq(n_findings(&x), 1);
        /* The same binary on the host (glibc 2.36): nothing. */
        free(u->settings.root_directory);
        u->settings.root_directory = NULL;
        ck_assert_int_eq(check(&x, &h, T0 + SEC), 1);
        ck_assert_int_eq(f->state, FINDING_RESOLVED);
        host_facts_done(&h);
        ctx_done(&x);
}
END_TEST

/* The file's owner and group: 1234:1234 (chown'ed when the test runs as root), else the test's. */
static void exec_users(HostFacts *h, uint32_t *ret_uid, uint32_t *ret_gid) {
        char p[1024], passwd[512], group[512];
        struct stat st;
        snprintf(p, sizeof p, "%s" EXE, root);
        if (geteuid() == 0)
                ck_assert_int_eq(chown(p, 1234, 1234), 0);
        ck_assert_int_eq(stat(p, &st), 0);
        ck_assert_uint_ne(st.st_uid, 0);
        snprintf(passwd, sizeof passwd,
                 "root:x:0:0::/root:/bin/sh\nowner:x:%u:%u::/home/owner:/bin/sh\n"
                 "member:x:2000:2000::/:/bin/sh\nnobody:x:65534:65534::/nonexistent:/usr/sbin/nologin\n",
                 (unsigned) st.st_uid, (unsigned) st.st_gid);
        snprintf(group, sizeof group, "root:x:0:\nownergrp:x:%u:member,other\nnogroup:x:65534:\n",
                 (unsigned) st.st_gid);
        HostEnvironment *e = calloc(1, sizeof *e);
        ck_assert_ptr_nonnull(e);
        e->root = strdup(root);
        e->users_read = e->groups_read = true;
        ck_assert_int_eq(host_passwd_parse(e, passwd), 0);
        ck_assert_int_eq(host_group_parse(e, group), 0);
        h->environment = e;
        *ret_uid = st.st_uid;
        *ret_gid = st.st_gid;
}

START_TEST(test_exec_permission) {
        /* Execute bits, but not for the unit's user: the kernel's choice of owner, group or other
         * bits, as systemd's User=, Group=, SupplementaryGroups= and DynamicUser= make the user. */
        Ctx x;
        HostFacts h;
        char p[1024];
        uint32_t uid, gid;
        ctx_init(&x);
        host_init(&h);
        TestUnit *u = app_unit(&x);
        exec_users(&h, &uid, &gid);
        snprintf(p, sizeof p, "%s" EXE, root);
        ck_assert_int_eq(chmod(p, 0750), 0);
        u->settings.user = strdup("nobody");
        ck_assert_int_eq(check(&x, &h, T0), 1);
        Finding *f = the_finding(&x, FINDING_EXEC_FAILED, APP);
        ck_assert_str_eq(f->summary, APP " could not be executed: " EXE " is not executable by User=nobody "
                                         "(uid 65534, gid 65534) (mode 0750, owner owner:ownergrp)");
        ck_assert_str_eq(ev_str(f, "loader_exec_cause"), "permission");
        ck_assert_str_eq(ev_str(f, "loader_exe_mode"), "0750");
        ck_assert_str_eq(ev_str(f, "loader_exe_owner"), "owner:ownergrp");
        ck_assert_str_eq(ev_str(f, "loader_exec_user"), "User=nobody (uid 65534, gid 65534)");
        ck_assert_str_eq(
                advice_text_at(f, 0),
                "The unit runs as User=nobody (uid 65534, gid 65534), and for it the kernel looks at "
                "the others' execute bit of the file, which mode 0750 does not set: execve() fails "
                "with \"Permission denied\" (status=203/EXEC). Let others execute it:");
        ck_assert_str_eq(advice_snippet_at(f, 0), "chmod 0755 '" EXE "'");
        main_exited(&x, T0 + SEC, APP, INV1, "exited", "203", "EXEC");
        ck_assert_uint_eq(f->count, 2);
        ck_assert_uint_eq(n_findings(&x), 1);
        /* SupplementaryGroups= with the file's group: its group bit lets it. */
        ck_assert_int_eq(strv_extend(&u->settings.supplementary_groups, "ownergrp"), 0);
        ck_assert_int_eq(check(&x, &h, T0 + 2 * SEC), 1);
        ck_assert_int_eq(f->state, FINDING_RESOLVED);

        ExecCreds c;
        /* A member of the group in /etc/group; Group= naming it. */
        u->settings.supplementary_groups = strv_free(u->settings.supplementary_groups);
        free(u->settings.user);
        u->settings.user = strdup("member");
        ck_assert_int_eq(exec_creds_resolve(&u->settings, h.environment, &c), 0);
        ck_assert(exec_creds_may_exec(&c, 0750, uid, gid));
        ck_assert(!exec_creds_may_exec(&c, 0705, uid, gid)); /* the group's bits, not the others' */
        free(u->settings.user);
        u->settings.user = strdup("nobody");
        u->settings.group = strdup("ownergrp");
        ck_assert_int_eq(exec_creds_resolve(&u->settings, h.environment, &c), 0);
        ck_assert(exec_creds_may_exec(&c, 0750, uid, gid));
        /* The owner gets the owner's bits only, whatever the group's say. */
        free(u->settings.user);
        u->settings.user = strdup("owner");
        u->settings.group = mfree(u->settings.group);
        ck_assert_int_eq(exec_creds_resolve(&u->settings, h.environment, &c), 0);
        ck_assert(!exec_creds_may_exec(&c, 0071, uid, gid));
        ck_assert(exec_creds_may_exec(&c, 0100, uid, gid));
        /* root: any execute bit. */
        u->settings.user = mfree(u->settings.user);
        ck_assert_int_eq(exec_creds_resolve(&u->settings, h.environment, &c), 0);
        ck_assert(exec_creds_may_exec(&c, 0001, uid, gid));
        ck_assert(!exec_creds_may_exec(&c, 0644, uid, gid));
        /* A user /etc/passwd lacks (NSS may know it), a group /etc/group lacks: not judged. */
        u->settings.user = strdup("ghost");
        ck_assert_int_eq(exec_creds_resolve(&u->settings, h.environment, &c), -ENOENT);
        free(u->settings.user);
        u->settings.user = strdup("nobody");
        ck_assert_int_eq(strv_extend(&u->settings.supplementary_groups, "nosuchgroup"), 0);
        ck_assert_int_eq(exec_creds_resolve(&u->settings, h.environment, &c), -ENOENT);
        u->settings.supplementary_groups = strv_free(u->settings.supplementary_groups);

        /* DynamicUser=: a uid of its own, the others' bits. */
        u->settings.user = mfree(u->settings.user);
        u->settings.dynamic_user = true;
        ck_assert_int_eq(check(&x, &h, T0 + 3 * SEC), 1);
        f = the_finding(&x, FINDING_EXEC_FAILED, APP);
        ck_assert_str_eq(ev_str(f, "loader_exec_user"), "DynamicUser=yes (a uid of its own)");
        ck_assert_str_eq(f->summary,
                         APP " could not be executed: " EXE " is not executable by DynamicUser=yes "
                             "(a uid of its own) (mode 0750, owner owner:ownergrp)");
        ck_assert_int_eq(chmod(p, 0751), 0);
        ck_assert_int_eq(check(&x, &h, T0 + 4 * SEC), 1);
        ck_assert_int_eq(f->state, FINDING_RESOLVED);
        host_facts_done(&h);
        ctx_done(&x);
}
END_TEST

START_TEST(test_temporary_filesystem) {
        /* What TemporaryFileSystem= hides is not there for the unit, unless a bind puts it back. */
        Ctx x;
        HostFacts h;
        ctx_init(&x);
        host_init(&h);
        TestUnit *u = app_unit(&x);
        ck_assert_int_eq(strv_extend(&u->settings.temporary_filesystem, "/srv:ro"), 0);
        ck_assert_int_eq(check(&x, &h, T0), 1);
        Finding *f = the_finding(&x, FINDING_EXEC_FAILED, APP);
        ck_assert_str_eq(f->summary,
                         APP " could not be executed: " EXE " is under TemporaryFileSystem=/srv:ro");
        ck_assert_str_eq(ev_str(f, "loader_exec_cause"), "TemporaryFileSystem");
        ck_assert_str_eq(ev_str(f, "loader_temporary_filesystem"), "/srv");
        ck_assert_str_eq(advice_text_at(f, 0),
                         "The unit's TemporaryFileSystem=/srv:ro mounts an empty file system over its own "
                         "program: systemd finds no file to execute (\"No such file or directory\", "
                         "status=203/EXEC). Bind the program's directory back in:");
        ck_assert_str_eq(advice_snippet_at(f, 0), "[Service]\nBindReadOnlyPaths=/srv/app\n");
        main_exited(&x, T0 + SEC, APP, INV1, "exited", "203", "EXEC");
        ck_assert_uint_eq(f->count, 2);
        /* Bound back in: resolved. */
        ck_assert_int_eq(strv_extend(&u->settings.bind_read_only_paths, "/srv/app"), 0);
        ck_assert_int_eq(strv_extend(&u->settings.bind_read_only_paths, "/srv/app"), 0);
        ck_assert_int_eq(check(&x, &h, T0 + 2 * SEC), 1);
        ck_assert_int_eq(f->state, FINDING_RESOLVED);
        /* Over the libraries: libc.so.6 is missing for the unit, wherever the cache says it is. */
        ck_assert_int_eq(strv_extend(&u->settings.temporary_filesystem, "/lib/x86_64-linux-gnu"), 0);
        ck_assert_int_eq(check(&x, &h, T0 + 3 * SEC), 1);
        f = the_finding(&x, FINDING_MISSING_LIBRARY, APP);
        ck_assert_str_eq(f->summary, APP " needs a shared library the host does not have: libc.so.6");
        ck_assert_str_eq(ev_str(f, "loader_library_search"),
                         "libc.so.6: ld.so.cache, /lib/x86_64-linux-gnu, /usr/lib/x86_64-linux-gnu, /lib, "
                         "/usr/lib");
        ck_assert_str_eq(ev_str(f, "loader_temporary_filesystem"), "/srv /lib/x86_64-linux-gnu");
        /* Over the interpreter: it is missing first, and the loader never looks for libraries. */
        ck_assert_int_eq(strv_extend(&u->settings.temporary_filesystem, "/lib64"), 0);
        ck_assert_int_eq(check(&x, &h, T0 + 4 * SEC), 2);
        ck_assert_int_eq(f->state, FINDING_RESOLVED);
        ck_assert_str_eq(the_finding(&x, FINDING_INTERPRETER_MISSING, APP)->summary, APP
                         " needs an ELF interpreter this host does not have: /lib64/ld-linux-x86-64.so.2 "
                         "(glibc for x86-64)");
        host_facts_done(&h);
        ctx_done(&x);
}
END_TEST

START_TEST(test_unit_view) {
        /* The most specific mount wins; a bind at a tmpfs's own path wins too. */
        char *tmpfs[] = { (char *) "/etc:mode=0755", (char *) "/var/lib/x", NULL };
        char *binds[] = { (char *) "-/srv/certs", (char *) "/etc/ssl", (char *) "/data",
                          (char *) "/var/lib/x", NULL };
        UnitView v = { .tmpfs = tmpfs, .binds = { binds, NULL } };
        char *host = NULL;
        ck_assert_int_eq(unit_view_resolve(&v, "/usr/bin/x", &host), UNIT_VIEW_ROOT);
        ck_assert_int_eq(unit_view_resolve(&v, "/etc/passwd", &host), UNIT_VIEW_HIDDEN);
        ck_assert_int_eq(unit_view_resolve(&v, "/etc", &host), UNIT_VIEW_HIDDEN);
        ck_assert_int_eq(unit_view_resolve(&v, "/etcetera", &host), UNIT_VIEW_ROOT);
        ck_assert_int_eq(unit_view_resolve(&v, "/etc/ssl/certs/ca.pem", &host), UNIT_VIEW_BIND);
        ck_assert_str_eq(host, "/srv/certs/certs/ca.pem");
        host = mfree(host);
        ck_assert_int_eq(unit_view_resolve(&v, "/var/lib/x/state", &host), UNIT_VIEW_BIND);
        ck_assert_str_eq(host, "/data/state");
        host = mfree(host);
        ck_assert_str_eq(unit_view_tmpfs_of(&v, "/etc/ssl/x"), "/etc:mode=0755");
        ck_assert_ptr_null(unit_view_tmpfs_of(&v, "/usr"));
        ck_assert_int_eq(unit_view_resolve(&v, "relative", &host), -EINVAL);
}
END_TEST

START_TEST(test_notes) {
        /* What is said besides findings: a RootImage= not looked into, a foreign binary run emulated. */
        Ctx x;
        HostFacts h;
        char **notes = NULL;
        ctx_init(&x);
        host_init(&h);
        TestUnit *u = app_unit(&x);
        ck_assert_int_eq(loader_notes(&u->settings, &u->exe, &h, &notes), 0);
        ck_assert_ptr_null(notes);
        u->settings.root_image = strdup("/srv/app.raw");
        ck_assert_int_eq(loader_notes(&u->settings, &u->exe, &h, &notes), 0);
        ck_assert_uint_eq(strv_length(notes), 2);
        ck_assert_str_eq(notes[0], "RootImage");
        ck_assert_str_eq(notes[1], "RootImage=/srv/app.raw not looked into before start: its executable, "
                                   "libraries, TLS roots, zone database and users are not judged");
        notes = strv_free(notes);
        /* Nothing of the image is judged: no finding, whatever its files would say. */
        char p[1024];
        snprintf(p, sizeof p, "%s" EXE, root);
        ck_assert_int_eq(chmod(p, 0644), 0);
        ck_assert_int_eq(check(&x, &h, T0), 0);
        ck_assert_uint_eq(n_findings(&x), 0);
        ck_assert_int_eq(chmod(p, 0755), 0);
        /* Running: its process's view, said in evidence. */
        u->settings.main_pid = 4242;
        h.proc_root = strdup("/proc");
        ck_assert_int_eq(loader_notes(&u->settings, &u->exe, &h, &notes), 0);
        ck_assert_str_eq(notes[1], "RootImage=/srv/app.raw: the files inside it are judged in the running "
                                   "process's view, /proc/4242/root");
        notes = strv_free(notes);
        u->settings.root_image = mfree(u->settings.root_image);
        u->settings.main_pid = 0;
        /* An arm64 binary that qemu-user runs: no arch-mismatch, a note naming the handler. */
        u->exe.elf = (ElfFacts){ .elf_class = 64, .machine = EM_AARCH64, .kind = ELF_KIND_EXEC };
        u->exe.goarch = "arm64";
        u->exe.arch_level_key = u->exe.arch_level = NULL;
        h.binfmt = calloc(1, sizeof *h.binfmt);
        ck_assert_int_eq(
                binfmt_parse_register(":qemu-aarch64:M::\\x7fELF\\x02\\x01\\x01:\\xff\\xff\\xff\\xff\\xff"
                                      "\\xff\\xff:/usr/bin/qemu-aarch64-static:F",
                                      &h.binfmt[0]),
                0);
        h.n_binfmt = 1;
        ck_assert_int_eq(check(&x, &h, T0 + SEC), 0);
        ck_assert_uint_eq(n_findings(&x), 0);
        ck_assert_int_eq(loader_notes(&u->settings, &u->exe, &h, &notes), 0);
        ck_assert_uint_eq(strv_length(notes), 2);
        ck_assert_str_eq(notes[0], "binfmt_misc");
        ck_assert_str_eq(notes[1], "built for aarch64 64-bit little-endian: runs emulated through the "
                                   "binfmt_misc handler qemu-aarch64 (/usr/bin/qemu-aarch64-static)");
        notes = strv_free(notes);
        host_facts_done(&h);
        ctx_done(&x);
}
END_TEST

static Suite *suite(void) {
        Suite *s = suite_create("detect-loader");
        TCase *tc = tcase_create("core");
        tcase_add_checked_fixture(tc, setup, teardown);
        tcase_add_test(tc, test_healthy);
        tcase_add_test(tc, test_missing_library);
        tcase_add_test(tc, test_missing_library_message_only);
        tcase_add_test(tc, test_hostile_needed);
        tcase_add_test(tc, test_glibc_too_old);
        tcase_add_test(tc, test_interpreter_missing);
        tcase_add_test(tc, test_arch_mismatch);
        tcase_add_test(tc, test_cpu_level);
        tcase_add_test(tc, test_exec_failed);
        tcase_add_test(tc, test_exec_failed_unexplained);
        tcase_add_test(tc, test_script_interpreter);
        tcase_add_test(tc, test_root_directory);
        tcase_add_test(tc, test_glibc_root_directory);
        tcase_add_test(tc, test_exec_permission);
        tcase_add_test(tc, test_temporary_filesystem);
        tcase_add_test(tc, test_unit_view);
        tcase_add_test(tc, test_notes);
        suite_add_tcase(s, tc);
        return s;
}

DEFINE_TEST_MAIN(suite)
