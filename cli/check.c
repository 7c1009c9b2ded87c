/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* goguardctl check: the condition checks of goguardd (Detector.check) over units read from
 * files, with no daemon and no bus: for CI before a deploy. The unit files are read by
 * lib/unit-file.c into the UnitSettings the daemon fills from the bus, the executable by the
 * daemon's own lib/go-exe.c, the host facts by lib/host-*.c, all under --root. */
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "correlate.h"
#include "finding-json.h"
#include "format.h"
#include "go-exe.h"
#include "goguardctl.h"
#include "host-facts.h"
#include "json-writer.h"
#include "loader-exec.h"
#include "parse-util.h"
#include "security-label.h"
#include "strbuf.h"
#include "strv.h"
#include "unit-load.h"
#include "unit-name.h"

#define CHECK_ARGS_MAX 65536u

static void check_help(void) {
        printf("goguardctl check [--json] [--root=DIR] UNIT-FILE-OR-NAME...\n\n"
               "Run goguardd's configuration checks on service units before they run: their\n"
               "settings, executable, environment files and the host, read without goguardd.\n"
               "An argument with a '/' is a unit file (its drop-ins from FILE.d/*.conf); any other\n"
               "is a unit name, looked up in systemd's unit search path under the root.\n\n"
               "Options:\n"
               "  -h --help       Show this help\n"
               "     --root=DIR   Read unit names, executables, environment files and host facts\n"
               "                  under DIR (an image or chroot of the target host)\n"
               "     --json       Print a JSON array of findings (docs/findings.md)\n\n"
               "Exit status: 0 nothing found, 1 findings, 2 usage errors or unreadable input.\n");
}

/* ---- what the checks know ---- */

typedef struct CheckUnit {
        const UnitLoad *load;
        const HostFacts *host;
        GoExe *exe;
        char **env_files;
        char comm[16];
} CheckUnit;

static int lookup_checked(void *userdata, const char *unit, UnitKnowledge *ret) {
        CheckUnit *u = userdata;
        if (!streq(unit, u->load->name))
                return -ENOENT;
        *ret = (UnitKnowledge){
                .known = true,
                .is_go = u->exe && u->exe->is_go,
                .settings = &u->load->settings,
                .exe = u->exe,
                .environment_files = u->env_files,
                .exe_comm = u->comm[0] ? u->comm : NULL,
                .kernel_threads_max =
                        u->host->kernel_threads_max != UINT64_MAX ? u->host->kernel_threads_max : 0,
        };
        return 0;
}

static uint64_t now_monotonic(void) {
        struct timespec ts;
        if (clock_gettime(CLOCK_MONOTONIC, &ts) < 0)
                return 0;
        return (uint64_t) ts.tv_sec * 1000000u + (uint64_t) ts.tv_nsec / 1000;
}

/* The first line of a small file under the root, or NULL. */
static char *read_line_under(const UnitRoot *root, const char *path) {
        _cleanup_free_ char *text = NULL;
        size_t n;
        if (unit_root_read_file(root, path, 4096, &text, &n) < 0)
                return NULL;
        text[strcspn(text, "\n")] = 0;
        return *text ? TAKE_PTR(text) : NULL;
}

static uint64_t read_u64_file(const char *path) {
        UnitRoot host = { .fd = -EBADF };
        _cleanup_free_ char *s = read_line_under(&host, path);
        uint64_t v;
        return s && parse_u64(s, &v) >= 0 ? v : 0;
}

typedef struct CheckContext {
        UnitRoot root;
        HostFacts host;
        UnitLoad manager; /* system.conf: the defaults of every unit */
        UnitFileContext ctx;
        char *hostname, *machine_id, *boot_id;
} CheckContext;

static void check_context_done(CheckContext *c) {
        unit_root_done(&c->root);
        host_facts_done(&c->host);
        unit_load_done(&c->manager);
        free(c->hostname);
        free(c->machine_id);
        free(c->boot_id);
}

static int check_context_init(CheckContext *c, const char *root) {
        int r = unit_root_open(root, &c->root);
        if (r < 0)
                return r;
        r = host_facts_init(&c->host, root);
        if (r < 0)
                return r;
        /* Each family's facts of the target, as goguardd reads them at start. */
        HostFactsErrors e;
        r = host_facts_read_all(&c->host, "/proc", &e);
        if (r < 0)
                return r;
        if (e.loader < 0)
                fprintf(stderr,
                        "goguardctl check: cannot read the loader's facts under %s, not judging them: %s\n",
                        root, strerror(-e.loader));
        if (e.environment < 0)
                fprintf(stderr,
                        "goguardctl check: cannot read what %s offers a program, not judging it: %s\n", root,
                        strerror(-e.environment));
        if (e.security_labels < 0 && e.security_labels != -EOPNOTSUPP)
                fprintf(stderr,
                        "goguardctl check: cannot read the SELinux file contexts under %s, not judging "
                        "labels: %s\n",
                        root, strerror(-e.security_labels));
        /* The target's names; the running kernel's limits (/proc is this host's, --root or not). */
        c->hostname = read_line_under(&c->root, "/etc/hostname");
        c->machine_id = read_line_under(&c->root, "/etc/machine-id");
        UnitRoot host = { .fd = -EBADF };
        c->boot_id = read_line_under(&host, "/proc/sys/kernel/random/boot_id");
        long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
        /* systemd's system task limit: the lower of kernel.pid_max - 1 and kernel.threads-max. */
        uint64_t pid_max = read_u64_file("/proc/sys/kernel/pid_max");
        uint64_t threads = read_u64_file("/proc/sys/kernel/threads-max");
        uint64_t base = pid_max > 1 ? pid_max - 1 : 0;
        if (threads > 0 && (base == 0 || threads < base))
                base = threads;
        c->ctx = (UnitFileContext){
                .hostname = c->hostname,
                .machine_id = c->machine_id,
                .boot_id = c->boot_id,
                .physical_memory = pages > 0 && page > 0 ? (uint64_t) pages * (uint64_t) page : 0,
                .tasks_max_base = base,
        };
        /* As PID 1 does with its own configuration: what cannot be read is said, and the
         * built-in defaults stay. */
        _cleanup_free_ char *error = NULL;
        r = unit_load_manager(&c->root, &c->ctx, &c->manager, &error);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                fprintf(stderr, "goguardctl check: %s, using systemd's built-in defaults\n",
                        error ?: strerror(-r));
        else {
                for (char **m = c->manager.warnings; m && *m; m++)
                        fprintf(stderr, "%s\n", *m);
                c->ctx.defaults = &c->manager.settings;
        }
        return 0;
}

/* ---- one unit ---- */

/* What the checks say besides findings (lib/loader-exec.c loader_notes()), on standard error. */
static int print_notes(const UnitLoad *load, const GoExe *exe, const HostFacts *host) {
        _cleanup_(strv_freep) char **notes = NULL;
        int r = loader_notes(&load->settings, exe, host, &notes);
        if (r < 0)
                return r;
        for (char **n = notes; n && n[0] && n[1]; n += 2)
                fprintf(stderr, "%s: note: %s\n", load->name, n[1]);
        return 0;
}

static int compare_findings(const void *a, const void *b) {
        const Finding *x = *(Finding *const *) a, *y = *(Finding *const *) b;
        if (x->severity != y->severity)
                return x->severity > y->severity ? -1 : 1;
        return strcmp(finding_class_info(x->class)->name, finding_class_info(y->class)->name);
}

static void print_text(const Finding *f, bool color, StrBuf *out) {
        const char *sev = finding_severity_to_string(f->severity);
        const char *c = !color                             ? ""
                        : f->severity == SEVERITY_CRITICAL ? ANSI_RED
                        : f->severity == SEVERITY_WARNING  ? ANSI_YELLOW
                                                           : "";
        format_append_printable(out, f->unit);
        strbuf_appendf(out, ": %s%s%s: %s: ", c, sev, *c ? ANSI_NORMAL : "",
                       finding_class_info(f->class)->name);
        format_append_printable(out, f->summary ?: "");
        strbuf_append_char(out, '\n');
        for (size_t i = 0; i < f->n_advice; i++) {
                const Advice *a = &f->advice[i];
                /* The advice text on one line, so that a line is a unit of grep. */
                _cleanup_free_ char *text = strdup(a->text ?: "");
                for (char *p = text; p && *p; p++)
                        if (*p == '\n')
                                *p = ' ';
                strbuf_append(out, "  advice: ");
                format_append_printable(out, text ?: "");
                strbuf_append_char(out, '\n');
                if (!a->snippet || !*a->snippet)
                        continue;
                if (a->kind == ADVICE_DROPIN) {
                        strbuf_append(out, "  drop-in: /etc/systemd/system/");
                        format_append_printable(out, f->unit);
                        strbuf_appendf(out, ".d/goguard-%s.conf\n", finding_class_info(f->class)->name);
                } else
                        strbuf_append(out, a->kind == ADVICE_COMMAND ? "  command:\n" : "  example:\n");
                for (const char *p = a->snippet; *p;) {
                        size_t n = strcspn(p, "\n");
                        _cleanup_free_ char *line = strndup(p, n);
                        strbuf_append(out, "    ");
                        format_append_printable(out, line ?: "");
                        strbuf_append_char(out, '\n');
                        p += n + (p[n] == '\n');
                }
        }
}

/* Loads, inspects and checks one argument; its findings go to out (or w). Returns the number
 * of findings, or an exit code's negative errno after saying why on stderr. */
static int check_one(CheckContext *cc, const char *arg, JsonWriter *w, StrBuf *out) {
        _cleanup_free_ char *error = NULL, *exe_path = NULL;
        _cleanup_(strv_freep) char **missing = NULL;
        _cleanup_(correlator_freep) Correlator *c = NULL;
        _cleanup_(unit_load_done) UnitLoad load = {};
        _cleanup_free_ Finding **list = NULL;
        CheckUnit u = { .load = &load, .host = &cc->host };
        FindingStore store = {};
        int r;

        bool is_file = strchr(arg, '/');
        if (is_file)
                r = unit_load_file(arg, &cc->ctx, &load, &error);
        else if (!unit_name_is_valid(arg)) {
                fprintf(stderr,
                        "goguardctl check: '%s' is not a unit name (a unit file needs a '/': ./%s)\n", arg,
                        arg);
                return -EINVAL;
        } else
                r = unit_load_name(&cc->root, arg, &cc->ctx, &load, &error);
        if (r == -ENOENT && !error) {
                fprintf(stderr, "goguardctl check: unit %s not found in the unit search path under %s\n",
                        arg, cc->root.path);
                return r;
        }
        if (r < 0) {
                fprintf(stderr, "goguardctl check: failed to read %s: %s\n", arg, error ?: strerror(-r));
                return r;
        }
        for (char **m = load.warnings; m && *m; m++)
                fprintf(stderr, "%s\n", *m);
        if (load.masked) {
                fprintf(stderr, "%s: masked (%s links to /dev/null), not checked\n", load.name, load.path);
                return 0;
        }
        if (!unit_name_is_service(load.name)) {
                fprintf(stderr, "%s: not a service unit, nothing to check\n", load.name);
                return 0;
        }
        if (!load.settings.exec_start_path) {
                fprintf(stderr, "%s: no ExecStart=, nothing to check\n", load.name);
                return 0;
        }
        if (load.settings.root_image && *load.settings.root_image)
                /* An image to mount: nothing of it is judged, and that is said. */
                return print_notes(&load, NULL, &cc->host);

        _cleanup_close_ int fd = unit_load_open_exec(&cc->root, &load.settings, &exe_path);
        if (fd < 0) {
                fprintf(stderr, "goguardctl check: %s: cannot open its executable %s under %s: %s\n",
                        load.name, load.settings.exec_start_path, cc->root.path,
                        fd == -EOPNOTSUPP ? "RootImage= is not looked into"
                        : fd == -EBADFD   ? "not a regular file"
                        : fd == -EACCES   ? "not executable"
                                          : strerror(-fd));
                return fd;
        }
        ElfBudget budget = { .bytes = ELF_BUDGET_BYTES_DEFAULT,
                             .usec = ELF_BUDGET_USEC_DEFAULT,
                             .now = now_monotonic };
        r = go_exe_inspect_fd(fd, 0, &budget, &u.exe);
        if (r == -ENOMEM)
                return r;
        if (r < 0 && r != -ENOEXEC) {
                /* Corrupt, or not readable within the budget: the unit cannot be judged, and
                 * a corrupt program would not start either. */
                fprintf(stderr, "goguardctl check: %s: cannot read its executable %s: %s\n", load.name, exe_path,
                        r == -EBADMSG ? "not a valid ELF file" : go_exe_error_to_string(r) ?: strerror(-r));
                return r;
        }
        /* A script: whether it can be executed (its interpreter) is judged, not the program it
         * runs, which is not known. */
        char head[2];
        bool script =
                r == -ENOEXEC && pread(fd, head, sizeof head, 0) == 2 && head[0] == '#' && head[1] == '!';
        if (script)
                fprintf(stderr, "%s: %s is a script: only whether it can be executed is checked\n",
                        load.name, exe_path);
        else if (r < 0 || !u.exe->is_go) {
                /* goguard speaks about Go services: a C program is not its business. */
                fprintf(stderr, "%s: %s is not a Go executable (%s), not checked\n", load.name, exe_path,
                        r < 0 ? go_exe_error_to_string(r) ?: strerror(-r) : u.exe->not_go_reason);
                go_exe_free(u.exe);
                return 0;
        }
        /* systemd resolves a relative ExecStart= when it loads the unit: the bus, and so the
         * checks, see the absolute path. */
        if (load.settings.exec_start_path[0] != '/') {
                char *abs = strdup(exe_path);
                if (!abs) {
                        r = -ENOMEM;
                        goto finish;
                }
                free(load.settings.exec_start_path);
                load.settings.exec_start_path = abs;
        }
        const char *base = strrchr(exe_path, '/');
        snprintf(u.comm, sizeof u.comm, "%s", base ? base + 1 : exe_path);

        r = unit_load_env_files(&cc->root, &load.settings, &u.env_files, &missing);
        if (r < 0)
                goto finish;
        for (char **m = missing; m && *m; m++)
                fprintf(stderr, "%s: EnvironmentFile=%s (the unit would fail to start)\n", load.name, *m);

        CorrelatorOptions o = { .lookup = lookup_checked, .userdata = &u, .include_non_go = script };
        r = finding_store_init(&store);
        if (r >= 0)
                r = correlator_new(&store, &o, &c);
        if (r >= 0)
                r = correlator_check_unit(c, load.name, &cc->host, now_realtime());
        if (r < 0) {
                fprintf(stderr, "goguardctl check: %s: the checks failed: %s\n", load.name, strerror(-r));
                goto finish;
        }

        size_t n = 0, i = 0;
        void *v;
        list = calloc(hashmap_size(store.by_id) + 1, sizeof *list);
        if (!list) {
                r = -ENOMEM;
                goto finish;
        }
        while (hashmap_iterate(store.by_id, &i, &v, NULL))
                if (((Finding *) v)->state == FINDING_OPEN &&
                    (!script || ((Finding *) v)->class == FINDING_EXEC_FAILED))
                        list[n++] = v;
        qsort(list, n, sizeof *list, compare_findings);
        for (size_t k = 0; k < n; k++)
                if (w)
                        finding_to_json(list[k], w);
                else
                        print_text(list[k], colors_enabled(), out);
        r = print_notes(&load, u.exe, &cc->host);
        if (r >= 0)
                r = (int) n;
finish:
        c = correlator_free(c);
        finding_store_done(&store);
        go_exe_free(u.exe);
        strv_free(u.env_files);
        return r;
}

int verb_check(int argc, char *argv[]) {
        enum { ARG_ROOT = 0x100 };
        static const struct option options[] = {
                { "help", no_argument, NULL, 'h' },
                { "root", required_argument, NULL, ARG_ROOT },
                {},
        };
        _cleanup_(check_context_done) CheckContext cc = { .root.fd = -EBADF };
        const char *root = "/";
        StrBuf out = {};
        int opt, r;

        optind = 0;
        while ((opt = getopt_long(argc, argv, "+h", options, NULL)) >= 0)
                switch (opt) {
                case 'h': check_help(); return EXIT_OK;
                case ARG_ROOT: root = optarg; break;
                default: return EXIT_USAGE;
                }
        if (optind >= argc) {
                fprintf(stderr, "goguardctl check: give one or more unit files or names; see --help\n");
                return EXIT_USAGE;
        }
        if ((unsigned) (argc - optind) > CHECK_ARGS_MAX) {
                fprintf(stderr, "goguardctl check: at most %u units at once\n", CHECK_ARGS_MAX);
                return EXIT_USAGE;
        }
        if (!*root || root[0] != '/') {
                fprintf(stderr, "goguardctl check: --root= needs an absolute path\n");
                return EXIT_USAGE;
        }
        r = check_context_init(&cc, root);
        if (r < 0) {
                fprintf(stderr, "goguardctl check: cannot open the root %s: %s\n", root, strerror(-r));
                return EXIT_USAGE;
        }

        JsonWriter w = { .out = &out, .pretty = true };
        if (arg_json)
                json_begin_array(&w);
        bool unreadable = false;
        uint64_t found = 0;
        for (int i = optind; i < argc; i++) {
                r = check_one(&cc, argv[i], arg_json ? &w : NULL, &out);
                if (r == -ENOMEM) {
                        strbuf_done(&out);
                        fprintf(stderr, "goguardctl check: out of memory\n");
                        return EXIT_FAILED;
                }
                if (r < 0)
                        unreadable = true;
                else
                        found += (uint64_t) r;
        }
        if (arg_json) {
                json_end_array(&w);
                strbuf_append_char(&out, '\n');
        }
        r = flush_output(&out);
        if (r != EXIT_OK)
                return r;
        return unreadable ? EXIT_USAGE : found > 0 ? 1 : EXIT_OK;
}
