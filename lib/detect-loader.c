/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The loader family: missing-library, glibc-too-old, interpreter-missing, arch-mismatch,
 * cpu-level, exec-failed. Conditions first: check() judges a unit's executable against the host
 * (or its RootDirectory=) before it starts, from the ELF facts the inspector read and the host
 * facts (lib/host-loader.c, lib/host-cpu.c). Then the failure itself confirms them: the loader's
 * and the Go runtime's words in the unit's output, PID 1's status=203/EXEC. */
#include <elf.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

#include "detector.h"
#include "host-loader.h"
#include "loader-exec.h"
#include "loader-search.h"
#include "security-exec-link.h"
#include "shebang.h"
#include "strbuf.h"

/* The unit-output needles: glibc's loader (elf/dl-load.c, elf/dl-version.c) and the Go runtime's
 * start-up check (src/runtime/asm_amd64.s, asm_386.s, os_linux_arm.go). */
static const char *const unit_needles[] = {
        "error while loading shared libraries: ",
        "' not found (required by ",
        "This program can only be run on ",
        "runtime: this CPU has no ",
        NULL,
};

static const char *const pid1_message_ids[] = {
        MESSAGE_ID_UNIT_PROCESS_EXIT,
        NULL,
};

static const FindingClass classes[] = {
        FINDING_MISSING_LIBRARY, FINDING_GLIBC_TOO_OLD, FINDING_INTERPRETER_MISSING, FINDING_ARCH_MISMATCH,
        FINDING_CPU_LEVEL,       FINDING_EXEC_FAILED,   _FINDING_CLASS_INVALID,
};

/* systemd's EXIT_EXEC: the exec of the unit's program failed (203/EXEC). */
#define EXIT_STATUS_EXEC "203"

typedef struct LoaderDetector {
        Correlator *c;
} LoaderDetector;

static void set_summary(Finding *f, const char *detail) {
        char buf[1024];
        snprintf(buf, sizeof buf, "%s %s: %s", f->unit, finding_class_info(f->class)->title, detail);
        (void) finding_set_summary(f, buf);
}

static void set_exe_evidence(Finding *f, const UnitKnowledge *k, const HostFacts *h) {
        const UnitSettings *s = k->settings;
        if (s->root_image && *s->root_image && s->main_pid > 0) {
                char view[128];
                snprintf(view, sizeof view, "%s/%u/root (RootImage=, the running process's view)",
                         h->proc_root ?: "/proc", s->main_pid);
                (void) finding_set_string(f, "unit_view", view);
        }
        (void) finding_set_string(f, "loader_exe_path", s->exec_start_path);
        if (s->root_directory && *s->root_directory)
                (void) finding_set_string(f, "loader_root_directory", s->root_directory);
        /* What the unit does not see: the files judged are the others. */
        StrBuf t = {};
        for (char **p = s->temporary_filesystem; p && *p; p++)
                strbuf_appendf(&t, "%s%.*s", t.len ? " " : "", (int) strcspn(*p, ":"), *p);
        if (t.len && strbuf_error(&t) >= 0)
                (void) finding_set_string(f, "loader_temporary_filesystem", t.data);
        strbuf_done(&t);
        if (k->exe && k->exe->have_buildinfo && k->exe->buildinfo.version)
                (void) finding_set_string(f, "go_version", k->exe->buildinfo.version);
        (void) finding_set_bool(f, "unit_settings_known", k->known);
}

/* Reports a condition: finds or adds the finding, and when it is new or changed sets what fill()
 * says. Returns 1 when it notified. */
typedef void (*FillFunc)(Finding *f, const UnitKnowledge *k, const HostFacts *h, const void *data);

static int condition(LoaderDetector *d, FindingClass cls, const char *unit, const char *detail_key,
                     const UnitKnowledge *k, const HostFacts *h, FillFunc fill, const void *data) {
        Finding *f;
        bool added;
        int r = correlator_condition(d->c, cls, unit, detail_key, &f, &added);
        if (r <= 0)
                return r;
        set_exe_evidence(f, k, h);
        finding_clear_advice(f);
        fill(f, k, h, data);
        correlator_notify(d->c, f, added);
        return 1;
}

/* ---- exec-failed: what stops execve() before the loader runs (lib/loader-exec.c) ---- */

static void fill_exec(Finding *f, const UnitKnowledge *k, const HostFacts *h, const void *data) {
        char detail[512];
        (void) k, (void) h;
        exec_cause_explain(f, data, detail, sizeof detail);
        set_summary(f, detail);
}

/* The check_*() return what condition() returns, and *found whether the condition holds. */
static int check_exec(LoaderDetector *d, const char *unit, const UnitKnowledge *k, const HostFacts *h,
                      const LoaderView *v, const char *exe, bool *found) {
        struct stat st;
        ExecCause c = { .path = exe };
        ExecCreds creds;
        if (loader_view_stat(v, exe, &st) < 0) {
                /* There, but a TemporaryFileSystem= hides it from the unit: ENOENT at exec. */
                if (!(c.rule = unit_view_tmpfs_of(&v->view, exe)))
                        return 0; /* gone: the inspector will say so; nothing judged here */
                c.id = "TemporaryFileSystem";
        } else if (S_ISDIR(st.st_mode))
                c.id = "directory";
        else if (!(st.st_mode & (S_IXUSR | S_IXGRP | S_IXOTH)))
                c.id = "mode", c.mode = st.st_mode;
        else if (exec_creds_resolve(k->settings, h->environment, &creds) >= 0 &&
                 !exec_creds_may_exec(&creds, st.st_mode, st.st_uid, st.st_gid)) {
                /* Execute bits, but none for the unit's user: the kernel's EACCES. */
                c.id = "permission", c.mode = st.st_mode, c.creds = &creds;
                c.file_uid = st.st_uid, c.file_gid = st.st_gid;
                exec_owner_string(h->environment, st.st_uid, st.st_gid, c.owner, sizeof c.owner);
        } else if ((c.rule = exec_no_exec_rule(k->settings, exe)))
                c.id = "NoExecPaths";
        else {
                struct statvfs sv;
                _cleanup_close_ int fd = loader_view_open(v, exe, O_PATH);
                if (fd >= 0 && fstatvfs(fd, &sv) >= 0 && (sv.f_flag & ST_NOEXEC))
                        c.id = "noexec";
        }
        if (!c.id)
                return 0;
        char key[64];
        snprintf(key, sizeof key, "exec/%s", c.id);
        *found = true;
        return condition(d, FINDING_EXEC_FAILED, unit, key, k, h, fill_exec, &c);
}

/* A script (its "#!" line) whose interpreter is missing in the unit's view: execve()'s ENOENT.
 * An interpreter that is itself a script, or a relative one (opened from the working
 * directory), is not judged. */
static int check_script(LoaderDetector *d, const char *unit, const UnitKnowledge *k, const HostFacts *h,
                        const LoaderView *v, const char *exe, bool *found) {
        char buf[SHEBANG_BUF_SIZE];
        struct stat st;
        _cleanup_close_ int fd = loader_view_open(v, exe, O_RDONLY | O_NONBLOCK | O_NOCTTY);
        if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
                return 0;
        ssize_t n = pread(fd, buf, sizeof buf, 0);
        _cleanup_(shebang_done) Shebang sb = {};
        int r = n >= 2 ? shebang_parse(buf, (size_t) n, &sb) : -ENOEXEC;
        if (r == -ENOMEM)
                return r;
        if (r < 0 || sb.interpreter[0] != '/')
                return 0;
        /* Missing, also where a TemporaryFileSystem= hides it; any other error is not judged. */
        if (loader_view_stat(v, sb.interpreter, &st) != -ENOENT)
                return 0;
        ExecCause c = { .id = "script-interpreter", .path = exe, .interpreter = sb.interpreter };
        char key[SHEBANG_BUF_SIZE + 32];
        snprintf(key, sizeof key, "exec/script-interpreter/%s", sb.interpreter);
        *found = true;
        return condition(d, FINDING_EXEC_FAILED, unit, key, k, h, fill_exec, &c);
}

/* ---- arch-mismatch ---- */

static void fill_arch(Finding *f, const UnitKnowledge *k, const HostFacts *h, const void *data) {
        const ElfFacts *e = &k->exe->elf;
        char bin[96], host[96], detail[384], text[512], cmd[128];
        (void) data;
        loader_machine_name(e->machine, e->elf_class, e->big_endian, bin, sizeof bin);
        loader_machine_name(h->machine, h->elf_class, h->big_endian, host, sizeof host);
        (void) finding_set_string(f, "loader_elf_machine", bin);
        (void) finding_set_string(f, "loader_host_machine", host);
        const char *goarch = elf_machine_to_goarch(e->machine, e->elf_class, e->big_endian);
        const char *host_goarch = elf_machine_to_goarch(h->machine, h->elf_class, h->big_endian);
        snprintf(detail, sizeof detail, "%s%s%s%s, this host is %s", bin, goarch ? " (GOARCH=" : "",
                 goarch ?: "", goarch ? ")" : "", host);
        set_summary(f, detail);
        snprintf(text, sizeof text,
                 "The kernel refuses the file (\"Exec format error\", status=203/EXEC). Build it for this "
                 "host:");
        snprintf(cmd, sizeof cmd, "GOOS=linux GOARCH=%s go build", host_goarch ?: "<this host's GOARCH>");
        (void) finding_add_advice(f, ADVICE_COMMAND, text, cmd);
        (void) finding_add_advice(f, ADVICE_TEXT,
                                  "Or let the kernel run it emulated: a binfmt_misc handler for its machine "
                                  "(qemu-user-static with binfmt-support) makes it start, slowly.",
                                  NULL);
}

static int check_arch(LoaderDetector *d, const char *unit, const UnitKnowledge *k, const HostFacts *h,
                      bool *found) {
        const ElfFacts *e = &k->exe->elf;
        if (h->machine == 0 || loader_runs_natively(h, e))
                return 0;
        /* A binfmt_misc handler runs foreign binaries through an emulator: no failure then. */
        uint16_t type = e->kind == ELF_KIND_EXEC ? ET_EXEC : ET_DYN;
        if (binfmt_match(h->binfmt, h->n_binfmt, e->elf_class, e->big_endian, type, e->machine))
                return 0;
        char key[64];
        snprintf(key, sizeof key, "arch/%u/%u/%u", e->machine, e->elf_class, e->big_endian);
        *found = true;
        return condition(d, FINDING_ARCH_MISMATCH, unit, key, k, h, fill_arch, NULL);
}

/* ---- interpreter-missing ---- */

/* Which C library (and for which machine) an interpreter path belongs to. */
static const char *interpreter_family(const char *interp) {
        static const struct {
                const char *name, *family;
        } table[] = {
                { "ld-linux-x86-64.so.2", "glibc for x86-64" },
                { "ld-linux.so.2", "glibc for i386 (32-bit)" },
                { "ld-linux-aarch64.so.1", "glibc for aarch64" },
                { "ld-linux-armhf.so.3", "glibc for armhf" },
                { "ld-linux.so.3", "glibc for arm" },
                { "ld64.so.1", "glibc for ppc64/s390x" },
                { "ld64.so.2", "glibc for ppc64le" },
                { "ld-linux-x32.so.2", "glibc for x32" },
                { "ld-linux-riscv64-lp64d.so.1", "glibc for riscv64" },
        };
        const char *base = strrchr(interp, '/');
        base = base ? base + 1 : interp;
        if (strncmp(base, "ld-musl-", 8) == 0)
                return "musl";
        for (size_t i = 0; i < ELEMENTSOF(table); i++)
                if (streq(base, table[i].name))
                        return table[i].family;
        /* A name glibc does not install, in its naming: a build host's own loader. */
        return strncmp(base, "ld-linux", 8) == 0 || strncmp(base, "ld64.so", 7) == 0
                       ? "glibc"
                       : "an unknown C library";
}

static void fill_interp(Finding *f, const UnitKnowledge *k, const HostFacts *h, const void *data) {
        const char *interp = k->exe->elf.interpreter, *family = interpreter_family(interp);
        char detail[512], text[768];
        (void) h, (void) data;
        (void) finding_set_string(f, "loader_elf_interpreter", interp);
        (void) finding_set_string(f, "loader_interpreter_family", family);
        snprintf(detail, sizeof detail, "%s (%s)", interp, family);
        set_summary(f, detail);
        snprintf(text, sizeof text,
                 "The program's ELF interpreter %s (%s) does not exist %s: execve() fails with \"No such "
                 "file or directory\" although the program exists (status=203/EXEC). Build a static "
                 "binary, which needs no interpreter:",
                 interp, family,
                 k->settings->root_directory && *k->settings->root_directory ? "in its RootDirectory="
                                                                             : "on this host");
        (void) finding_add_advice(f, ADVICE_COMMAND, text, "CGO_ENABLED=0 go build");
        if (streq(family, "musl"))
                (void) finding_add_advice(
                        f, ADVICE_COMMAND,
                        "It was built against musl (on Alpine, say). Or build it on a host with "
                        "this host's C library, or install musl here:",
                        "apt install musl");
        else if (strstr(family, "i386"))
                (void) finding_add_advice(
                        f, ADVICE_COMMAND, "Or install the 32-bit C library:",
                        "dpkg --add-architecture i386 && apt update && apt install libc6:i386");
}

static int check_interp(LoaderDetector *d, const char *unit, const UnitKnowledge *k, const HostFacts *h,
                        const LoaderView *v, bool *found) {
        const char *interp = k->exe->elf.interpreter;
        struct stat st;
        if (!interp || !*interp)
                return 0;
        if (loader_view_stat(v, interp, &st) >= 0 && S_ISREG(st.st_mode))
                return 0;
        char key[FINDING_STRING_MAX];
        snprintf(key, sizeof key, "interp/%s", interp);
        *found = true;
        return condition(d, FINDING_INTERPRETER_MISSING, unit, key, k, h, fill_interp, NULL);
}

/* ---- missing-library and glibc-too-old ---- */

typedef struct LibraryResult {
        char *missing;  /* "libfoo.so.1, libbar.so.2" */
        char *searched; /* "libfoo.so.1: RUNPATH ..., ld.so.cache, ...; libbar.so.2: ..." */
        char *uncached; /* a path ld.so.conf reaches that the cache does not know */
        const char *ld_library_path, *ld_library_path_source;
} LibraryResult;

static void fill_libs(Finding *f, const UnitKnowledge *k, const HostFacts *h, const void *data) {
        const LibraryResult *lr = data;
        char text[1024], cmd[512];
        (void) h;
        (void) finding_set_string(f, "loader_libraries_missing", lr->missing);
        (void) finding_set_string(f, "loader_library_search", lr->searched);
        if (lr->ld_library_path)
                (void) finding_set_string(f, "loader_ld_library_path", lr->ld_library_path);
        set_summary(f, lr->missing);
        if (lr->uncached) {
                snprintf(
                        text, sizeof text,
                        "%s is in a directory /etc/ld.so.conf names, but the loader cache does not know it: "
                        "ldconfig was not run after it was installed. Rebuild the cache:",
                        lr->uncached);
                (void) finding_set_string(f, "loader_uncached", lr->uncached);
                (void) finding_add_advice(f, ADVICE_COMMAND, text, "ldconfig");
        }
        size_t first = strcspn(lr->missing, ",");
        snprintf(text, sizeof text,
                 "The loader stops the program before it starts (\"error while loading shared libraries: "
                 "%.*s: cannot open shared object file\", exit status 127). Install the package that "
                 "provides it:",
                 (int) first, lr->missing);
        snprintf(cmd, sizeof cmd, "apt-file search '%.*s'  # or: dnf provides '*/%.*s'", (int) first,
                 lr->missing, (int) first, lr->missing);
        (void) finding_add_advice(f, ADVICE_COMMAND, text, cmd);
        if (k->exe && k->exe->cgo != 0)
                (void) finding_add_advice(f, ADVICE_COMMAND,
                                          "Or, if the program does not need C code, build it without cgo: a "
                                          "static Go binary needs no shared library.",
                                          "CGO_ENABLED=0 go build");
}

typedef struct GlibcResult {
        const char *required; /* "GLIBC_2.99" */
        const char *library;  /* the library that needs it */
        /* The glibc the unit gets: the host's, or its RootDirectory='s libc.so.6's. */
        const char *version, *release, *where;
} GlibcResult;

/* The newest Debian release whose glibc the host's is not older than, for a build container. */
static const char *debian_for_glibc(const char *host) {
        if (glibc_version_compare(host, "2.36") >= 0)
                return "bookworm (glibc 2.36)";
        if (glibc_version_compare(host, "2.31") >= 0)
                return "bullseye (glibc 2.31)";
        if (glibc_version_compare(host, "2.28") >= 0)
                return "buster (glibc 2.28)";
        return NULL;
}

static void fill_glibc(Finding *f, const UnitKnowledge *k, const HostFacts *h, const void *data) {
        const GlibcResult *g = data;
        char detail[512], req[256], text[768];
        const char *host = g->release ?: g->version + STRLEN("GLIBC_");
        (void) h;
        snprintf(req, sizeof req, "%s: %s", g->library, g->required);
        (void) finding_set_string(f, "loader_glibc_required", req);
        (void) finding_set_string(f, "loader_glibc_host", g->version);
        if (g->release)
                (void) finding_set_string(f, "loader_glibc_host_release", g->release);
        snprintf(detail, sizeof detail, "%s from %s, %s has glibc %s", g->required, g->library, g->where,
                 host);
        set_summary(f, detail);
        snprintf(text, sizeof text,
                 "The program was linked against a glibc newer than %s's %s: the loader stops it "
                 "(\"version `%s' not found\", exit status 127). Build it without cgo, so it needs no "
                 "glibc at all:",
                 streq(g->where, "the host") ? "this host" : g->where, host, g->required);
        (void) finding_add_advice(f, ADVICE_COMMAND, text, "CGO_ENABLED=0 go build");
        const char *deb = debian_for_glibc(host);
        const char *v = k->exe && k->exe->have_buildinfo ? k->exe->buildinfo.version : NULL;
        char cmd[512];
        if (deb) {
                snprintf(text, sizeof text,
                         "Or build it against the oldest glibc you deploy to (glibc %s here), in a "
                         "container of "
                         "that age, e.g. Debian %s:",
                         host, deb);
                snprintf(cmd, sizeof cmd, "docker run --rm -v \"$PWD\":/src -w /src golang:%s-%.*s go build",
                         v && strncmp(v, "go", 2) == 0 ? v + 2 : "<go version>", (int) strcspn(deb, " "),
                         deb);
                (void) finding_add_advice(f, ADVICE_COMMAND, text, cmd);
        } else {
                snprintf(text, sizeof text,
                         "Or build it against the oldest glibc you deploy to (glibc %s here).", host);
                (void) finding_add_advice(f, ADVICE_TEXT, text, NULL);
        }
}

/* The missing libraries a finding names; the others it counts. */
#define MISSING_NAMED_MAX 16u

/* The glibc of the unit's RootDirectory=: that of the libc.so.6 its loader would load there. */
static int view_glibc(LoaderView *v, const ElfFacts *e, const char *exe, const char *ld_library_path,
                      char **ret_version, char **ret_release) {
        _cleanup_free_ char *path = NULL;
        StrBuf tried = {};
        int r = loader_resolve(v, e, exe, ld_library_path, "libc.so.6", &path, &tried);
        strbuf_done(&tried);
        if (r <= 0)
                return r;
        _cleanup_close_ int fd = loader_view_open(v, path, O_RDONLY | O_NONBLOCK | O_NOCTTY);
        if (fd < 0)
                return fd;
        return glibc_read_fd(fd, ret_version, ret_release);
}

static int check_libraries(LoaderDetector *d, const char *unit, const UnitKnowledge *k, const HostFacts *h,
                           LoaderView *v) {
        const ElfFacts *e = &k->exe->elf;
        StrBuf missing = {}, searched = {};
        _cleanup_free_ char *uncached = NULL, *own_version = NULL, *own_release = NULL, *where = NULL;
        const char *glibc_lib = NULL, *glibc_need = NULL;
        LibraryResult lr = {};
        size_t n_missing = 0;
        int r = 0, n = 0;

        lr.ld_library_path = unit_knowledge_env(k, "LD_LIBRARY_PATH", &lr.ld_library_path_source);
        /* Inside a RootDirectory= the loader is that root's, and so is its glibc. */
        const char *glibc = h->glibc_version, *release = h->glibc_release;
        if (v->own_root) {
                r = view_glibc(v, e, k->settings->exec_start_path, lr.ld_library_path, &own_version,
                               &own_release);
                if (r == -ENOMEM)
                        return r;
                glibc = own_version, release = own_release, r = 0;
                bool image = k->settings->root_image && *k->settings->root_image;
                if (asprintf(&where, "%s=%s", image ? "RootImage" : "RootDirectory",
                             image ? k->settings->root_image : k->settings->root_directory) < 0)
                        return -ENOMEM;
        }
        for (size_t i = 0; i < e->n_needed && r >= 0; i++) {
                const ElfNeeded *need = &e->needed[i];
                StrBuf tried = {};
                _cleanup_free_ char *path = NULL;
                r = loader_resolve(v, e, k->settings->exec_start_path, lr.ld_library_path, need->name, &path,
                                   &tried);
                if (r == -E2BIG) {
                        /* Tried enough files: judge by the libraries looked at so far. */
                        strbuf_done(&tried);
                        r = 0;
                        break;
                }
                if (r == 0 && n_missing++ < MISSING_NAMED_MAX) {
                        strbuf_appendf(&missing, "%s%s", missing.len ? ", " : "", need->name);
                        strbuf_appendf(&searched, "%s%s: %s", searched.len ? "; " : "", need->name,
                                       tried.data ?: "");
                        if (!uncached)
                                uncached = loader_find_uncached(v, e, need->name);
                } else if (r > 0 && need->glibc_version && glibc &&
                           glibc_version_compare(need->glibc_version, glibc) > 0 &&
                           (!glibc_need || glibc_version_compare(need->glibc_version, glibc_need) > 0)) {
                        glibc_lib = need->name;
                        glibc_need = need->glibc_version;
                }
                strbuf_done(&tried);
        }
        if (n_missing > MISSING_NAMED_MAX)
                strbuf_appendf(&missing, ", and %zu more", n_missing - MISSING_NAMED_MAX);
        if (r >= 0 && (r = strbuf_error(&missing)) >= 0)
                r = strbuf_error(&searched);
        if (r >= 0 && missing.len) {
                lr.missing = missing.data, lr.searched = searched.data, lr.uncached = uncached;
                r = condition(d, FINDING_MISSING_LIBRARY, unit, missing.data, k, h, fill_libs, &lr);
                n += r > 0;
        }
        if (r >= 0 && glibc_need) {
                GlibcResult g = { .required = glibc_need,
                                  .library = glibc_lib,
                                  .version = glibc,
                                  .release = release,
                                  .where = where ?: "the host" };
                char key[256];
                snprintf(key, sizeof key, "%s/%s", glibc_lib, glibc_need);
                r = condition(d, FINDING_GLIBC_TOO_OLD, unit, key, k, h, fill_glibc, &g);
                n += r > 0;
        }
        strbuf_done(&missing);
        strbuf_done(&searched);
        return r < 0 ? r : n;
}

/* ---- cpu-level ---- */

typedef struct CpuResult {
        const char *key, *level, *missing;
        const char *goarch;
        const HostCpu *cpu;
} CpuResult;

static void fill_cpu(Finding *f, const UnitKnowledge *k, const HostFacts *h, const void *data) {
        const CpuResult *c = data;
        char detail[640], level[64], text[768], cmd[128];
        (void) k, (void) h;
        snprintf(level, sizeof level, "%s=%s", c->key, c->level);
        (void) finding_set_string(f, "loader_cpu_level", level);
        (void) finding_set_string(f, "loader_cpu_features_missing", c->missing);
        snprintf(detail, sizeof detail, "%s (missing %s)", level, c->missing);
        set_summary(f, detail);
        /* The highest level this CPU passes, for the rebuild. */
        const char *best = NULL;
        static const char *const amd64[] = { "v4", "v3", "v2" };
        char buf[8];
        for (size_t i = 0; streq(c->key, "GOAMD64") && i < ELEMENTSOF(amd64) && !best; i++)
                if (go_cpu_level_missing(c->cpu, c->goarch, c->key, amd64[i], buf, sizeof buf) == 0)
                        best = amd64[i];
        if (streq(c->key, "GOAMD64"))
                best = best ?: "v1";
        else if (streq(c->key, "GO386"))
                best = "softfloat";
        else
                best = "5";
        const char *msg = go_cpu_level_message(c->goarch, c->level);
        snprintf(text, sizeof text,
                 "The Go runtime checks the CPU before anything else and exits (\"%s\"). Build for a level "
                 "this CPU has:",
                 msg ?: "");
        snprintf(cmd, sizeof cmd, "%s=%s go build", c->key, best);
        (void) finding_add_advice(f, ADVICE_COMMAND, text, cmd);
}

static int check_cpu(LoaderDetector *d, const char *unit, const UnitKnowledge *k, const HostFacts *h) {
        const GoExe *x = k->exe;
        char missing[512];
        if (!x->arch_level_key || !x->arch_level || !x->goarch || !loader_runs_natively(h, &x->elf))
                return 0;
        if (go_cpu_level_missing(&h->cpu, x->goarch, x->arch_level_key, x->arch_level, missing,
                                 sizeof missing) <= 0)
                return 0;
        CpuResult c = { .key = x->arch_level_key,
                        .level = x->arch_level,
                        .missing = missing,
                        .goarch = x->goarch,
                        .cpu = &h->cpu };
        char key[128];
        snprintf(key, sizeof key, "cpu/%s=%s", x->arch_level_key, x->arch_level);
        return condition(d, FINDING_CPU_LEVEL, unit, key, k, h, fill_cpu, &c);
}

static int loader_check(void *state, const char *unit, const UnitKnowledge *k, const HostFacts *h) {
        LoaderDetector *d = state;
        LoaderView v;
        bool found = false;
        int r, n;

        if (!h->loader_read || !k->known || !k->settings || !k->settings->exec_start_path ||
            k->settings->exec_start_path[0] != '/')
                return 0;
        /* The executable's facts are those of ExecStart= when it is the program; of the program
         * it runs when ExecStart= is a wrapper script; none when goguardctl check reads a script. */
        bool elf = k->exe && k->exe->have_elf_facts;
        /* In the order execve() and the loader fail: a cause found stops the checks after it. */
        r = elf ? check_arch(d, unit, k, h, &found) : 0;
        if (r < 0 || found)
                return r;
        n = r = elf ? check_cpu(d, unit, k, h) : 0;
        if (r < 0)
                return r;
        if (k->settings->root_image && *k->settings->root_image) {
                /* An image goguard does not mount: its files are judged only while the unit runs,
                 * in its process's view, binds and all (loader_notes() says so). */
                char view[64];
                snprintf(view, sizeof view, "%s/%u/root", h->proc_root ?: "/proc", k->settings->main_pid);
                if (k->settings->main_pid == 0 || loader_view_init_at(&v, h, view) < 0)
                        return n;
        } else {
                if (loader_view_init(&v, h, k->settings->root_directory) < 0)
                        return n; /* a RootDirectory= that is not there: systemd's own 200/CHROOT */
                if (loader_view_set_binds(&v, k->settings->bind_paths, k->settings->bind_read_only_paths) <
                    0) {
                        loader_view_done(&v);
                        return n;
                }
                loader_view_set_tmpfs(&v, k->settings->temporary_filesystem);
        }
        r = check_exec(d, unit, k, h, &v, k->settings->exec_start_path, &found);
        if (r >= 0 && !found)
                r = check_script(d, unit, k, h, &v, k->settings->exec_start_path, &found);
        if (elf && r >= 0 && !found)
                r = check_interp(d, unit, k, h, &v, &found);
        if (elf && r >= 0 && !found)
                r = check_libraries(d, unit, k, h, &v);
        loader_view_done(&v);
        return r < 0 ? r : n + r;
}

/* ---- confirmations: the failure's own words ---- */

/* Counts the failure on the finding of cls (the check's, or a new one) and keeps its message. */
static int confirm(LoaderDetector *d, FindingClass cls, const JournalRecord *r, const UnitKnowledge *k,
                   const char *msg, size_t msg_len, Finding **ret, bool *ret_added) {
        char key[192];
        JournalPosition posbuf;
        const JournalPosition *pos = journal_record_position(r, &posbuf);
        /* A process that dies at once may leave its output line without _SYSTEMD_INVOCATION_ID
         * (journald looks it up when the stream connects): then the invocation PID 1 started. */
        const char *inv = r->invocation_id ?: correlator_known_invocation(d->c, r->unit);
        snprintf(key, sizeof key, "%s/inv/%s/%s", r->boot_id ?: "-", inv ?: "-",
                 finding_class_info(cls)->name);
        int rr = correlator_count(d->c, cls, r->unit, key, inv, r->realtime, pos, ret, ret_added);
        if (rr <= 0)
                return rr;
        finding_set_common_evidence(*ret, r, k);
        (void) finding_set_string_n(*ret, "loader_confirmed_by", msg, MIN(msg_len, (size_t) 512));
        (void) finding_set_usec(*ret, "loader_confirmed_at", r->realtime);
        if (k->known && k->settings && k->settings->exec_start_path)
                (void) finding_set_string(*ret, "loader_exe_path", k->settings->exec_start_path);
        return 1;
}

/* The text between start and the first of stop, as a new string. */
static char *between(const char *s, size_t n, const char *start, const char *stop) {
        const char *a = memmem(s, n, start, strlen(start));
        if (!a)
                return NULL;
        a += strlen(start);
        const char *b = memmem(a, n - (size_t) (a - s), stop, strlen(stop));
        return b && b > a ? strndup(a, (size_t) (b - a)) : NULL;
}

static int on_library_line(LoaderDetector *d, const JournalRecord *r, const UnitKnowledge *k) {
        Finding *f;
        bool added;
        _cleanup_free_ char *lib =
                between(r->message, r->message_len,
                        "error while loading shared libraries: ", ": cannot open shared object file");
        if (!lib)
                return 0; /* another loader error (a wrong ELF class, say): not this class */
        int rr = confirm(d, FINDING_MISSING_LIBRARY, r, k, r->message, r->message_len, &f, &added);
        if (rr <= 0)
                return rr;
        if (!finding_get(f, "checked_at")) {
                /* No check saw it first: the loader's word is all there is. */
                (void) finding_set_string(f, "loader_libraries_missing", lib);
                set_summary(f, lib);
                char cmd[512];
                snprintf(cmd, sizeof cmd, "apt-file search '%s'  # or: dnf provides '*/%s'", lib, lib);
                finding_clear_advice(f);
                (void) finding_add_advice(
                        f, ADVICE_COMMAND,
                        "The loader did not find the library (exit status 127). Install the "
                        "package that provides it:",
                        cmd);
        }
        correlator_notify(d->c, f, added);
        return 1;
}

static int on_version_line(LoaderDetector *d, const JournalRecord *r, const UnitKnowledge *k) {
        Finding *f;
        bool added;
        _cleanup_free_ char *version = between(r->message, r->message_len, "version `", "' not found");
        if (!version)
                return 0;
        int rr = confirm(d, FINDING_GLIBC_TOO_OLD, r, k, r->message, r->message_len, &f, &added);
        if (rr <= 0)
                return rr;
        if (!finding_get(f, "checked_at")) {
                (void) finding_set_string(f, "loader_glibc_required", version);
                set_summary(f, version);
                finding_clear_advice(f);
                (void) finding_add_advice(
                        f, ADVICE_COMMAND,
                        "The program was linked against a newer glibc than this host's. Build "
                        "it without cgo, or against the oldest glibc you deploy to:",
                        "CGO_ENABLED=0 go build");
        }
        correlator_notify(d->c, f, added);
        return 1;
}

static int on_cpu_line(LoaderDetector *d, const JournalRecord *r, const UnitKnowledge *k) {
        Finding *f;
        bool added;
        /* Only the line; the runtime writes it raw, a logger may have framed it. */
        const char *at = memmem(r->message, r->message_len, "This program can only be run on ", 32);
        if (!at)
                at = memmem(r->message, r->message_len, "runtime: this CPU has no ", 25);
        size_t len = r->message_len - (size_t) (at - r->message);
        int rr = confirm(d, FINDING_CPU_LEVEL, r, k, at, len, &f, &added);
        if (rr <= 0)
                return rr;
        if (!finding_get(f, "checked_at")) {
                /* "... AMD64 processors with v3 microarchitecture support.": the level it names. */
                _cleanup_free_ char *lv = between(at, len, "AMD64 processors with ", " microarchitecture");
                char detail[64];
                finding_clear_advice(f);
                if (lv && strlen(lv) == 2 && lv[0] == 'v' && lv[1] >= '2' && lv[1] <= '4') {
                        snprintf(detail, sizeof detail, "GOAMD64=%s", lv);
                        (void) finding_set_string(f, "loader_cpu_level", detail);
                        (void) finding_add_advice(f, ADVICE_COMMAND,
                                                  "The Go runtime refused this CPU. Build for a lower level "
                                                  "(v1 runs on every x86-64 CPU):",
                                                  "GOAMD64=v1 go build");
                } else if (memmem(at, len, "MMX", 3)) {
                        snprintf(detail, sizeof detail, "MMX");
                        (void) finding_add_advice(
                                f, ADVICE_TEXT,
                                "Go's 386 port needs MMX whatever GO386 is: this CPU cannot run "
                                "it. Build for another GOARCH this host runs.",
                                NULL);
                } else {
                        snprintf(detail, sizeof detail, "GOARM");
                        (void) finding_add_advice(
                                f, ADVICE_COMMAND,
                                "The Go runtime refused this CPU's floating point. Build with "
                                "GOARM=5, which needs none:",
                                "GOARM=5 go build");
                }
                set_summary(f, detail);
        }
        correlator_notify(d->c, f, added);
        return 1;
}

static int loader_on_unit_line(void *state, const JournalRecord *r, const char *needle) {
        LoaderDetector *d = state;
        UnitKnowledge k;
        if (!needle || !correlator_lookup_wanted(d->c, r->unit, &k))
                return 0;
        if (streq(needle, unit_needles[0]))
                return on_library_line(d, r, &k);
        if (streq(needle, unit_needles[1]))
                return on_version_line(d, r, &k);
        return on_cpu_line(d, r, &k);
}

/* PID 1's status=203/EXEC: the condition a check found for the exec is confirmed; without one,
 * an exec-failed of its own. */
static int loader_on_pid1(void *state, const JournalRecord *r) {
        LoaderDetector *d = state;
        UnitKnowledge k;
        if (!streq(r->message_id, MESSAGE_ID_UNIT_PROCESS_EXIT) || !streq(r->exit_code, "exited") ||
            !streq(r->exit_status, EXIT_STATUS_EXEC) || !correlator_lookup_wanted(d->c, r->unit, &k))
                return 0;
        static const FindingClass exec_classes[] = { FINDING_ARCH_MISMATCH, FINDING_INTERPRETER_MISSING,
                                                     FINDING_EXEC_FAILED };
        FindingClass cls = FINDING_EXEC_FAILED;
        for (size_t i = 0; i < ELEMENTSOF(exec_classes); i++)
                if (finding_store_find_active(correlator_store(d->c), exec_classes[i], r->unit)) {
                        cls = exec_classes[i];
                        break;
                }
        Finding *f;
        bool added;
        int rr = confirm(d, cls, r, &k, r->message, r->message_len, &f, &added);
        if (rr <= 0)
                return rr;
        (void) finding_set_string(f, "loader_exit_status", "203/EXEC");
        if (!finding_get(f, "checked_at")) {
                char cmd[512];
                set_summary(f, "status=203/EXEC");
                finding_clear_advice(f);
                snprintf(cmd, sizeof cmd,
                         "journalctl -b -u '%s' -g 'Failed (to execute|to locate|at step EXEC)'", r->unit);
                (void) finding_add_advice(f, ADVICE_COMMAND,
                                          "systemd could not execute the program; its own message names the "
                                          "errno:",
                                          cmd);
        }
        correlator_notify(d->c, f, added);
        /* SELinux or AppArmor refused the exec: the denial is the cause. */
        int l = security_exec_link(d->c, r->unit, &k);
        return l < 0 ? l : 1;
}

static int loader_init(Correlator *c, void *state) {
        LoaderDetector *d = state;
        d->c = c;
        return 0;
}

const Detector detector_loader = {
        .family = "loader",
        .classes = classes,
        .condition_classes = classes,
        .unit_needles = unit_needles,
        .pid1_message_ids = pid1_message_ids,
        .state_size = sizeof(LoaderDetector),
        .init = loader_init,
        .on_unit_line = loader_on_unit_line,
        .on_pid1 = loader_on_pid1,
        .check = loader_check,
};
