/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <dirent.h>
#include <fcntl.h>
#include <getopt.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>

#include "go-exe-json.h"
#include "go-exe.h"
#include "goguardctl.h"

typedef struct InspectOptions {
        bool json;
        bool deps;
        bool modinfo;
} InspectOptions;

typedef struct InspectState {
        InspectOptions opts;
        JsonWriter json;
        StrBuf json_buf;
        size_t json_objects; /* written so far: the next one needs a comma before it */
        int exit_code;
        FILE *out, *err; /* stdout and stderr, or a task's buffers (see scan_parallel) */
} InspectState;

static void raise_exit(InspectState *s, int code) {
        if (code > s->exit_code)
                s->exit_code = code;
}

static void flush_json(InspectState *s) {
        if (s->json_buf.len > 0) {
                fwrite(s->json_buf.data, 1, s->json_buf.len, s->out);
                s->json_buf.len = 0;
                s->json_buf.data[0] = 0;
        }
}

static void print_human(FILE *out, const char *path, const GoExe *x, const InspectOptions *o) {
        const GoModInfo *mi = x->modinfo;
        const ElfFacts *e = &x->elf;

        fprintf(out, "%s: %s\n", path,
                x->have_buildinfo && x->buildinfo.version ? x->buildinfo.version : "unknown Go version");
        if (!x->have_buildinfo || !x->buildinfo.version)
                fprintf(out, "  note      no build information; recognised as Go by its %s\n",
                        x->evidence & GO_EVIDENCE_BUILDID_NOTE ? "build ID note"
                        : x->evidence & GO_EVIDENCE_PCLNTAB    ? "pclntab"
                                                               : "runtime symbols");
        if (x->modinfo_error)
                fprintf(out, "  warning   %s\n", x->modinfo_error);
        if (mi && mi->path && *mi->path)
                fprintf(out, "  package   %s\n", mi->path);
        if (mi && go_module_is_set(&mi->main)) {
                fprintf(out, "  module    %s %s", mi->main.path, mi->main.version);
                if (mi->main.replace)
                        fprintf(out, " => %s %s", mi->main.replace->path, mi->main.replace->version);
                fprintf(out, "\n");
        }
        fprintf(out, "  cgo       %s\n", x->cgo < 0 ? "unknown" : x->cgo ? "yes" : "no");
        fprintf(out, "  signals   %s\n", go_exe_signal_handling(x) ?: "unknown");
        const char *goos = x->goos,
                   *goarch = x->goarch ?: elf_machine_to_goarch(e->machine, e->elf_class, e->big_endian);
        fprintf(out, "  platform  %s/%s", goos ?: "?", goarch ?: "?");
        if (x->arch_level)
                fprintf(out, " %s=%s", x->arch_level_key, x->arch_level);
        fprintf(out, " (ELF %u-bit %s-endian %s)\n", e->elf_class, e->big_endian ? "big" : "little",
                elf_machine_to_string(e->machine) ?: "unknown machine");
        fprintf(out, "  linking   %s %s", e->dynamic ? "dynamic" : "static", elf_kind_to_string(e->kind));
        if (e->interpreter)
                fprintf(out, ", interpreter %s", e->interpreter);
        fprintf(out, "\n");
        for (size_t i = 0; i < e->n_needed; i++)
                fprintf(out, "  %s %s%s%s%s\n", i == 0 ? "needs    " : "         ", e->needed[i].name,
                        e->needed[i].glibc_version ? " (" : "", e->needed[i].glibc_version ?: "",
                        e->needed[i].glibc_version ? ")" : "");
        if (e->rpath)
                fprintf(out, "  rpath     %s\n", e->rpath);
        if (e->runpath)
                fprintf(out, "  runpath   %s\n", e->runpath);
        if (x->buildmode)
                fprintf(out, "  buildmode %s\n", x->buildmode);
        const char *vcs = mi ? go_modinfo_setting(mi, "vcs") : NULL;
        if (vcs) {
                const char *rev = go_modinfo_setting(mi, "vcs.revision");
                const char *t = go_modinfo_setting(mi, "vcs.time");
                const char *mod = go_modinfo_setting(mi, "vcs.modified");
                fprintf(out, "  vcs       %s %s%s%s%s\n", vcs, rev ?: "(no revision)", t ? " " : "", t ?: "",
                        mod && strcmp(mod, "true") == 0 ? " (modified)" : "");
        }
        if (e->go_build_id)
                fprintf(out, "  build id  %s\n", e->go_build_id);
        if (o->deps && mi) {
                for (size_t i = 0; i < mi->n_deps; i++) {
                        const GoModule *d = &mi->deps[i];
                        fprintf(out, "  %s %s %s", i == 0 ? "deps     " : "         ", d->path, d->version);
                        if (d->replace)
                                fprintf(out, " => %s %s", d->replace->path, d->replace->version);
                        fprintf(out, "\n");
                }
        }
}

static void print_modinfo(FILE *out, FILE *err, const char *path, const GoExe *x) {
        if (!x->have_buildinfo || !x->buildinfo.version) {
                fprintf(err, "%s: could not read Go build info from %s: not a Go executable\n", path, path);
                return;
        }
        if (x->modinfo_error) {
                fprintf(err, "%s: %s\n", path, x->modinfo_error);
                return;
        }
        StrBuf b = {};
        go_exe_format_modinfo(x, &b);
        fprintf(out, "%s: %s\n", path, x->buildinfo.version);
        if (b.len > 0)
                fwrite(b.data, 1, b.len, out);
        strbuf_done(&b);
}

static void json_error_entry(InspectState *s, const char *path, const char *error) {
        json_begin_object(&s->json);
        json_key(&s->json, "path");
        json_string(&s->json, path);
        json_key(&s->json, "go");
        json_bool(&s->json, false);
        json_key(&s->json, "error");
        json_string(&s->json, error);
        json_end_object(&s->json);
        s->json_objects++;
        flush_json(s);
}

static uint64_t monotonic_usec(void) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (uint64_t) ts.tv_sec * 1000000u + (uint64_t) ts.tv_nsec / 1000u;
}

/* goguardd's budget: what one file may cost, whatever it claims (lib/elf-file.h). */
static const ElfBudget inspect_budget = {
        .bytes = ELF_BUDGET_BYTES_DEFAULT,
        .usec = ELF_BUDGET_USEC_DEFAULT,
        .now = monotonic_usec,
};

/* Inspects one file. from_scan: found by a directory walk, so stay quiet about non-Go files, as
 * `go version DIR` does. */
static void inspect_file(InspectState *s, const char *path, bool from_scan) {
        _cleanup_(go_exe_freep) GoExe *x = NULL;
        _cleanup_close_ int fd = -EBADF;
        int r;

        fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
        if (fd < 0) {
                r = -errno;
                fprintf(s->err, "%s: %s\n", path, strerror(-r));
                if (s->opts.json)
                        json_error_entry(s, path, strerror(-r));
                if (!from_scan)
                        raise_exit(s, EXIT_USAGE);
                return;
        }

        /* Named files get every ELF fact even when not Go; a scan only cares about Go ones. */
        r = go_exe_inspect_fd(fd, from_scan ? 0 : GO_EXE_ALL_FACTS, &inspect_budget, &x);
        if (r < 0) {
                const char *why = go_exe_error_to_string(r) ?: strerror(-r);
                /* Out of budget counts as unreadable: whether it is Go is not known. */
                bool io = r != -ENOEXEC && r != -EBADMSG && r != -EBADFD && r != -E2BIG;
                if (from_scan && !io)
                        return;
                if (!(s->opts.modinfo && !io))
                        fprintf(s->err, "%s: %s\n", path, why);
                else
                        fprintf(s->err, "%s: could not read Go build info from %s: not a Go executable\n",
                                path, path);
                if (s->opts.json)
                        json_error_entry(s, path, why);
                raise_exit(s, io ? EXIT_USAGE : EXIT_SOME_NOT_GO);
                return;
        }

        if (!x->is_go) {
                if (from_scan)
                        return;
                if (s->opts.modinfo)
                        fprintf(s->err, "%s: could not read Go build info from %s: not a Go executable\n",
                                path, path);
                else if (!s->opts.json)
                        fprintf(s->err, "%s: not a Go executable: %s\n", path, x->not_go_reason);
                raise_exit(s, EXIT_SOME_NOT_GO);
        }

        if (s->opts.json) {
                json_begin_object(&s->json);
                json_key(&s->json, "path");
                json_string(&s->json, path);
                json_key(&s->json, "error");
                json_null(&s->json);
                /* Read here by the user: they could read the file, so nothing is redacted. */
                go_exe_to_json(x, true, &s->json);
                json_end_object(&s->json);
                s->json_objects++;
                flush_json(s);
        } else if (x->is_go) {
                if (s->opts.modinfo)
                        print_modinfo(s->out, s->err, path, x);
                else
                        print_human(s->out, path, x, &s->opts);
        }
}

#define SCAN_DEPTH_MAX 256
#define SCAN_DENTS_BUF (64u * 1024u)

typedef struct DirId {
        dev_t dev;
        ino_t ino;
} DirId;

typedef struct DirEntry {
        char *name;
        unsigned char type; /* DT_* from readdir, DT_UNKNOWN when the file system does not say */
} DirEntry;

static int compare_entries(const void *a, const void *b) {
        return strcmp(((const DirEntry *) a)->name, ((const DirEntry *) b)->name);
}

static char *join_path(const char *dir, const char *name) {
        char *p;
        size_t n = strlen(dir);
        bool slash = n > 0 && dir[n - 1] == '/';
        if (asprintf(&p, "%s%s%s", dir, slash ? "" : "/", name) < 0)
                return NULL;
        return p;
}

static void scan_error(InspectState *s, const char *path, int error) {
        fprintf(s->err, "%s: %s, skipping\n", path, strerror(error));
        if (s->opts.json)
                json_error_entry(s, path, strerror(error));
}

static void scan_dir(InspectState *s, int dfd, const char *path, DirId *ancestors, size_t depth);

/* One entry of a directory being scanned. */
static void scan_entry(InspectState *s, int fd, const char *path, const char *name, unsigned char type,
                       DirId *ancestors, size_t depth) {
        struct stat st;
        _cleanup_free_ char *child = join_path(path, name);
        if (!child)
                return;
        if (type == DT_UNKNOWN) {
                if (fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
                        scan_error(s, child, errno);
                        return;
                }
                type = IFTODT(st.st_mode);
        }
        if (type == DT_DIR) {
                int cfd = openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                if (cfd < 0)
                        scan_error(s, child, errno);
                else
                        scan_dir(s, cfd, child, ancestors, depth + 1);
                return;
        }
        if (type != DT_REG && type != DT_LNK)
                return;
        /* Symlinks are followed to regular files only; the mode gives the execute bit. */
        if (fstatat(fd, name, &st, 0) < 0)
                return;
        if (S_ISREG(st.st_mode) && (st.st_mode & 0111))
                inspect_file(s, child, true);
}

/* The entries of a scanned directory's top level, shared out to the processors: a tree walk
 * is one stat() per file, and one core leaves the other idle. Each task writes into its own
 * buffers, which are printed in the entries' order afterwards, so the output is the same as a
 * walk on one thread. */
typedef struct ScanTask {
        const char *name;
        unsigned char type;
        char *out, *err;
        size_t out_len, err_len;
        size_t json_objects;
        int exit_code;
} ScanTask;

typedef struct ScanPool {
        InspectState *parent;
        int dfd;
        const char *path;
        const DirId *root;
        ScanTask *tasks;
        size_t n_tasks;
        size_t next; /* atomically taken */
} ScanPool;

static void run_task(ScanPool *pool, ScanTask *t, DirId *ancestors) {
        InspectState s = {
                .opts = pool->parent->opts,
                .out = open_memstream(&t->out, &t->out_len),
                .err = open_memstream(&t->err, &t->err_len),
        };
        if (!s.out || !s.err) {
                if (s.out)
                        fclose(s.out);
                if (s.err)
                        fclose(s.err);
                t->exit_code = EXIT_USAGE;
                return;
        }
        /* Inside the parent's open array: no comma before this task's first object. */
        s.json = (JsonWriter){ .out = &s.json_buf, .pretty = true, .depth = 1, .first = { true } };
        ancestors[0] = pool->root[0];
        scan_entry(&s, pool->dfd, pool->path, t->name, t->type, ancestors, 0);
        flush_json(&s);
        strbuf_done(&s.json_buf);
        fclose(s.out);
        fclose(s.err);
        t->json_objects = s.json_objects;
        t->exit_code = s.exit_code;
}

static void *scan_worker(void *userdata) {
        ScanPool *pool = userdata;
        _cleanup_free_ DirId *ancestors = calloc(SCAN_DEPTH_MAX, sizeof(DirId));
        if (!ancestors)
                return NULL;
        for (;;) {
                size_t i = __atomic_fetch_add(&pool->next, 1, __ATOMIC_RELAXED);
                if (i >= pool->n_tasks)
                        return NULL;
                run_task(pool, &pool->tasks[i], ancestors);
        }
}

static void scan_parallel(InspectState *s, int dfd, const char *path, DirEntry *entries, size_t n,
                          const DirId *ancestors) {
        _cleanup_free_ ScanTask *tasks = calloc(n, sizeof(ScanTask));
        long cpus = sysconf(_SC_NPROCESSORS_ONLN);
        size_t n_threads = cpus > 1 ? (size_t) MIN(cpus, 8L) - 1 : 0;
        pthread_t threads[7];
        size_t started = 0;

        if (!tasks) {
                for (size_t i = 0; i < n; i++)
                        scan_entry(s, dfd, path, entries[i].name, entries[i].type, (DirId *) ancestors, 0);
                return;
        }
        for (size_t i = 0; i < n; i++)
                tasks[i] = (ScanTask){ .name = entries[i].name, .type = entries[i].type };
        ScanPool pool = {
                .parent = s, .dfd = dfd, .path = path, .root = ancestors, .tasks = tasks, .n_tasks = n
        };
        for (; started < n_threads; started++)
                if (pthread_create(&threads[started], NULL, scan_worker, &pool) != 0)
                        break;
        scan_worker(&pool); /* this thread works too; with no threads, it does it all */
        for (size_t i = 0; i < started; i++)
                pthread_join(threads[i], NULL);

        for (size_t i = 0; i < n; i++) {
                ScanTask *t = &tasks[i];
                if (s->opts.json && t->json_objects > 0 && s->json_objects > 0)
                        fputc(',', s->out);
                if (t->out_len > 0)
                        fwrite(t->out, 1, t->out_len, s->out);
                if (t->err_len > 0)
                        fwrite(t->err, 1, t->err_len, s->err);
                if (t->json_objects > 0) {
                        s->json_objects += t->json_objects;
                        s->json.first[s->json.depth - 1] = false;
                }
                raise_exit(s, t->exit_code);
                free(t->out);
                free(t->err);
        }
}

/* Walks a directory like Go's filepath.WalkDir: entries in byte order of their names, symlinks
 * to regular files followed, symlinks to directories not; a directory seen again among its own
 * ancestors (a bind-mount loop) is not entered twice. Takes ownership of dfd. The entry types
 * readdir() reports spare a stat() per directory. */
static void scan_dir(InspectState *s, int dfd, const char *path, DirId *ancestors, size_t depth) {
        struct stat st;
        if (fstat(dfd, &st) < 0) {
                scan_error(s, path, errno);
                close(dfd);
                return;
        }
        for (size_t i = 0; i < depth; i++)
                if (ancestors[i].dev == st.st_dev && ancestors[i].ino == st.st_ino) {
                        close(dfd);
                        return;
                }
        if (depth >= SCAN_DEPTH_MAX) {
                scan_error(s, path, ELOOP);
                close(dfd);
                return;
        }
        ancestors[depth] = (DirId){ st.st_dev, st.st_ino };

        /* getdents64 directly: fdopendir() would add two fcntl() calls per directory, which
         * is a tenth of a whole-tree scan. */
        DirEntry *entries = NULL;
        size_t n = 0, allocated = 0;
        _cleanup_free_ uint8_t *buf = malloc(SCAN_DENTS_BUF);
        for (;;) {
                ssize_t got = buf ? syscall(SYS_getdents64, dfd, buf, SCAN_DENTS_BUF) : -1;
                if (got < 0) {
                        scan_error(s, path, buf ? errno : ENOMEM);
                        break;
                }
                if (got == 0)
                        break;
                for (ssize_t off = 0; off < got;) {
                        const struct dirent64 *de = (const struct dirent64 *) (buf + off);
                        off += de->d_reclen;
                        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
                                continue;
                        if (n == allocated) {
                                allocated = allocated ? allocated * 2 : 64;
                                DirEntry *p = reallocarray(entries, allocated, sizeof *entries);
                                if (!p)
                                        goto done_reading;
                                entries = p;
                        }
                        if (!(entries[n].name = strdup(de->d_name)))
                                goto done_reading;
                        entries[n++].type = de->d_type;
                }
        }
done_reading:
        if (n > 0)
                qsort(entries, n, sizeof *entries, compare_entries);

        if (depth == 0 && n > 1)
                scan_parallel(s, dfd, path, entries, n, ancestors);
        else
                for (size_t i = 0; i < n; i++)
                        scan_entry(s, dfd, path, entries[i].name, entries[i].type, ancestors, depth);
        for (size_t i = 0; i < n; i++)
                free(entries[i].name);
        free(entries);
        close(dfd);
}

static void inspect_path(InspectState *s, const char *path) {
        struct stat st;
        if (stat(path, &st) < 0) {
                fprintf(s->err, "%s: %s\n", path, strerror(errno));
                if (s->opts.json)
                        json_error_entry(s, path, strerror(errno));
                raise_exit(s, EXIT_USAGE);
                return;
        }
        if (!S_ISDIR(st.st_mode)) {
                inspect_file(s, path, false);
                return;
        }
        int dfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd < 0) {
                fprintf(s->err, "%s: %s\n", path, strerror(errno));
                raise_exit(s, EXIT_USAGE);
                return;
        }
        _cleanup_free_ DirId *ancestors = calloc(SCAN_DEPTH_MAX, sizeof(DirId));
        if (!ancestors) {
                raise_exit(s, EXIT_USAGE);
                return;
        }
        scan_dir(s, dfd, path, ancestors, 0);
}

static void inspect_help(void) {
        printf("goguardctl inspect [--json] [--deps] [--modinfo] PATH...\n\n"
               "Show what Go executables say about themselves: Go version, main module, cgo,\n"
               "platform, linking, needed libraries. Directories are scanned recursively.\n\n"
               "  --json      One JSON array, an object per file (docs/goguardctl-inspect-json.md)\n"
               "  --deps      Also list the module dependencies\n"
               "  --modinfo   Print exactly what `go version -m` prints\n");
}

int verb_inspect(int argc, char *argv[]) {
        enum { ARG_JSON = 0x100, ARG_DEPS, ARG_MODINFO };
        static const struct option options[] = {
                { "help", no_argument, NULL, 'h' },
                { "json", no_argument, NULL, ARG_JSON },
                { "deps", no_argument, NULL, ARG_DEPS },
                { "modinfo", no_argument, NULL, ARG_MODINFO },
                {},
        };
        InspectState s = { .opts.json = arg_json, .out = stdout, .err = stderr };
        int c;

        optind = 0;
        while ((c = getopt_long(argc, argv, "+h", options, NULL)) >= 0)
                switch (c) {
                case 'h': inspect_help(); return EXIT_OK;
                case ARG_JSON: s.opts.json = true; break;
                case ARG_DEPS: s.opts.deps = true; break;
                case ARG_MODINFO: s.opts.modinfo = true; break;
                default: return EXIT_USAGE;
                }
        if (optind >= argc) {
                fprintf(stderr, "goguardctl inspect: at least one PATH is required\n");
                return EXIT_USAGE;
        }
        if (s.opts.json && s.opts.modinfo) {
                fprintf(stderr, "goguardctl inspect: --json and --modinfo cannot be combined\n");
                return EXIT_USAGE;
        }

        s.json = (JsonWriter){ .out = &s.json_buf, .pretty = true };
        /* libelf's global state, once, before any scan thread uses it. */
        if (elf_file_library_init() < 0) {
                fprintf(stderr, "goguardctl: libelf cannot be initialized\n");
                return EXIT_USAGE;
        }
        if (s.opts.json) {
                json_begin_array(&s.json);
                flush_json(&s);
        }
        for (int i = optind; i < argc; i++)
                inspect_path(&s, argv[i]);
        if (s.opts.json) {
                json_end_array(&s.json);
                strbuf_append_char(&s.json_buf, '\n');
                flush_json(&s);
        }
        strbuf_done(&s.json_buf);
        if (fflush(stdout) != 0 || ferror(stdout)) {
                fprintf(stderr, "goguardctl: failed to write output: %s\n", strerror(errno));
                return EXIT_USAGE;
        }
        return s.exit_code;
}
