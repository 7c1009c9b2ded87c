/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* goguardctl analyze: the correlator of goguardd, run in-process over journal files. No bus, no
 * goguardd: what would goguardd have found in this journal? The entries go through the daemon's
 * own journal-record.c, so analyze and goguardd read the same records the same way. */
#include <dirent.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <systemd/sd-journal.h>
#include <unistd.h>

#include "analyze-audit.h"
#include "analyze.h"
#include "correlate.h"
#include "finding-json.h"
#include "finding-print.h"
#include "format.h"
#include "goguardctl.h"
#include "journal-record.h"
#include "json-writer.h"
#include "strbuf.h"
#include "strv.h"

/* sd_journal_next() failing this often in a row: the rest of the file is not readable. */
#define CONSECUTIVE_ERRORS_MAX 1000u

/* Offline nothing is known about units: every finding says unit_settings_known=false. */
static int lookup_unknown(void *userdata, const char *unit, UnitKnowledge *ret) {
        *ret = (UnitKnowledge){};
        return 0;
}

typedef struct AnalyzeStats {
        uint64_t entries;    /* entries matched and read */
        uint64_t records;    /* of those, fed to the correlator */
        uint64_t corrupt;    /* entries or positions that could not be read */
        int first_error;     /* the errno of the first of them */
        AuditLogStats audit; /* lines of --audit-log files read */
        bool audit_logs, journal;
        /* Progress on stderr for long runs, only when it is a terminal: of how many entries. */
        bool progress;
        uint64_t progress_total;
} AnalyzeStats;

#define PROGRESS_EVERY 65536u

static void progress_show(const AnalyzeStats *st) {
        if (st->progress_total > 0)
                fprintf(stderr, "\rReading the journal: %" PRIu64 " of %" PRIu64 " entries (%u%%)",
                        st->entries, st->progress_total,
                        (unsigned) MIN(st->entries * 100 / st->progress_total, (uint64_t) 100));
        else
                fprintf(stderr, "\rReading the journal: %" PRIu64 " entries", st->entries);
}

static int read_journal(sd_journal *j, Correlator *c, AnalyzeStats *st) {
        _cleanup_(journal_record_buffer_done) JournalRecordBuffer b = {};
        unsigned consecutive = 0;
        int r;

        r = sd_journal_seek_head(j);
        if (r < 0)
                return r;
        for (;;) {
                r = sd_journal_next(j);
                if (r == 0)
                        break;
                if (r < 0) {
                        /* sd-journal skips what it can; what it reports here it could not. */
                        if (st->first_error == 0)
                                st->first_error = r;
                        if (++consecutive >= CONSECUTIVE_ERRORS_MAX)
                                break;
                        continue;
                }
                consecutive = 0;
                st->entries++;
                if (st->progress && st->entries % PROGRESS_EVERY == 0)
                        progress_show(st);
                JournalRecord rec;
                r = journal_record_read(j, &b, &rec);
                if (r == -ENOMEM)
                        return r;
                if (r < 0) {
                        if (st->first_error == 0)
                                st->first_error = r;
                        continue;
                }
                if (r == 0)
                        continue;
                st->records++;
                r = correlator_feed(c, &rec);
                if (r == -ENOMEM)
                        return r;
        }
        return 0;
}

static void analyze_help(void) {
        printf("goguardctl analyze [--json] [--host=NAME...] [--file=PATH... | --directory=DIR]\n"
               "                   [--audit-log=FILE...]\n\n"
               "Find what goguardd would find in journal files, offline: kernel OOM kills, systemd-oomd\n"
               "kills, PID 1's reports and the Go runtime's own messages, correlated the way goguardd\n"
               "does. Needs neither goguardd nor the bus; nothing is known about the units' settings.\n"
               "The journals of several hosts (systemd-journal-remote's remote-HOST.journal files) are\n"
               "analyzed per host, and the findings goguardd logged there are merged in.\n\n"
               "Options:\n"
               "  -h --help              Show this help\n"
               "     --file=PATH         A journal file (repeatable)\n"
               "  -D --directory=DIR     The journal files in DIR and its machine-ID directories\n"
               "     --host=NAME         Only the entries of this host (_HOSTNAME; repeatable)\n"
               "     --audit-log=FILE    Audit records: audit.log (and its rotated files; .gz%s),\n"
               "                         syslog or dmesg with the kernel's audit lines (repeatable)\n"
               "     --json              Print a JSON array of findings (docs/findings.md)\n\n"
               "Unreadable entries of a corrupt file are reported on stderr and skipped. Exit status:\n"
               "0 when the journal was read (with or without findings), 1 when a file could not be\n"
               "opened, no entry could be read or a --host= is not in the journal, 2 on usage errors.\n",
               HAVE_ZLIB ? "" : " not in this build");
}

/* A finding and the host whose entries it came from. */
typedef struct HostFinding {
        Finding *f;
        const char *host;
} HostFinding;

static int host_finding_compare(const void *a, const void *b) {
        const HostFinding *x = a, *y = b;
        int r = finding_ptr_compare_newest(&x->f, &y->f);
        return r != 0 ? r : strcmp(x->host ?: "", y->host ?: "");
}

/* hosts: how many hosts were read, 0 when the output names no host (one host's journal). */
static int print_findings(const HostFinding *list, size_t n, const AnalyzeStats *st, size_t hosts,
                          StrBuf *out) {
        uint64_t now = now_realtime();
        int r;

        if (arg_json) {
                JsonWriter w = { .out = out, .pretty = true };
                json_begin_array(&w);
                for (size_t i = 0; i < n; i++)
                        finding_to_json_host(list[i].f, hosts > 0, list[i].host, &w);
                json_end_array(&w);
                strbuf_append_char(out, '\n');
                return 0;
        }

        char of_hosts[64] = "", in[192];
        if (hosts > 0)
                snprintf(of_hosts, sizeof of_hosts, " of %zu host%s", hosts, hosts == 1 ? "" : "s");
        if (st->audit_logs && !st->journal)
                snprintf(in, sizeof in, "%" PRIu64 " audit log lines", st->audit.lines);
        else if (st->audit_logs)
                snprintf(in, sizeof in, "%" PRIu64 " journal entries%s and %" PRIu64 " audit log lines",
                         st->entries, of_hosts, st->audit.lines);
        else
                snprintf(in, sizeof in, "%" PRIu64 " journal entries%s", st->entries, of_hosts);
        if (n == 0) {
                strbuf_appendf(out, "No findings in %s.\n", in);
                return 0;
        }
        strbuf_appendf(out, "%zu finding%s in %s.\n\n", n, n == 1 ? "" : "s", in);
        _cleanup_free_ FindingRow *rows = calloc(n, sizeof *rows);
        if (!rows)
                return -ENOMEM;
        for (size_t i = 0; i < n; i++) {
                finding_row_from_finding(list[i].f, &rows[i]);
                if (hosts > 0)
                        rows[i].host = list[i].host ?: "-";
        }
        r = findings_table(rows, n, now, colors_enabled(), out);
        if (r < 0)
                return r;
        ExplainOptions o = { .color = colors_enabled(), .journal_hint = false };
        for (size_t i = 0; i < n; i++) {
                FindingView v;
                r = finding_view_from_finding(list[i].f, &v);
                if (r < 0)
                        return r;
                v.row.host = rows[i].host;
                strbuf_append_char(out, '\n');
                r = finding_explain(&v, now, &o, out);
                finding_view_done(&v);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* ---- the files ---- */

static bool is_machine_id(const char *s) {
        if (strlen(s) != 32)
                return false;
        for (const char *p = s; *p; p++)
                if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
                        return false;
        return true;
}

static bool is_journal_file_name(const char *s) {
        size_t n = strlen(s);
        return (n > 8 && strcmp(s + n - 8, ".journal") == 0) ||
               (n > 9 && strcmp(s + n - 9, ".journal~") == 0);
}

static int compare_strings(const void *a, const void *b) {
        return strcmp(*(char *const *) a, *(char *const *) b);
}

/* The journal files in dir and, one level down, in its machine-ID directories: what journalctl
 * -D and sd_journal_open_directory() read. */
static int scan_directory(const char *dir, bool top, JournalFiles *f) {
        DIR *d = opendir(dir);
        struct dirent *de;
        int r = 0;

        if (!d)
                return -errno;
        while (r >= 0 && (errno = 0, de = readdir(d))) {
                if (de->d_name[0] == '.')
                        continue;
                char *path;
                if (asprintf(&path, "%s/%s", dir, de->d_name) < 0) {
                        r = -ENOMEM;
                        break;
                }
                struct stat st;
                if (stat(path, &st) < 0) {
                        free(path);
                        continue;
                }
                if (S_ISREG(st.st_mode) && is_journal_file_name(de->d_name))
                        r = journal_files_add(f, path);
                else {
                        if (top && S_ISDIR(st.st_mode) && is_machine_id(de->d_name))
                                r = scan_directory(path, false, f);
                        free(path);
                }
        }
        if (r >= 0 && errno > 0)
                r = -errno;
        closedir(d);
        return r;
}

static uint64_t le64(const uint8_t *p) {
        uint64_t v = 0;
        for (int i = 7; i >= 0; i--)
                v = v << 8 | p[i];
        return v;
}

/* How many entries the file's header says it holds (the on-disk format is documented and stable:
 * systemd's docs/JOURNAL_FILE_FORMAT.md, n_entries at offset 152). */
static int header_entries(const char *path, uint64_t *ret) {
        uint8_t h[160];
        _cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
        if (fd < 0)
                return -errno;
        ssize_t n = pread(fd, h, sizeof h, 0);
        if (n < 0)
                return -errno;
        if ((size_t) n < sizeof h || memcmp(h, "LPKSHHRH", 8) != 0 || le64(h + 88) < sizeof h)
                return -EBADMSG;
        *ret = le64(h + 152);
        return 0;
}

/* Opens one file on its own, so a file that cannot be opened is named, and reads how many
 * entries its header promises. The main pass counts what it can read against the sum: sd-journal
 * skips what it cannot read without a word, so this is how corruption shows. */
static int check_file(const char *path, uint64_t *ret_expected) {
        const char *paths[] = { path, NULL };
        uint64_t expected = 0;
        sd_journal *j = NULL;

        /* The header first: a live file only grows, and journald counts an entry in the header
         * after linking it, so what the header says now is readable later. */
        if (header_entries(path, &expected) < 0)
                expected = 0; /* nothing to compare with; sd-journal says why it cannot open it */
        int r = sd_journal_open_files(&j, paths, 0);
        if (r < 0)
                return r;
        sd_journal_close(j);
        *ret_expected = expected;
        return 0;
}

static const char *open_error_hint(int r) {
        switch (-r) {
        case EBADMSG:
        case ENODATA:
        case EPROTONOSUPPORT:
        case EBADFD:
        case EUCLEAN:
        case EIO: return " (the file is corrupt, truncated, or not a journal file)";
        default: return "";
        }
}

/* ---- the verb ---- */

/* Whether --host= chose the group (no --host=: every group). */
static bool group_chosen(const HostGroup *g, char *const *hosts) {
        if (!g || !hosts)
                return true;
        for (char *const *h = hosts; *h; h++)
                if (g->name && streq(g->name, *h))
                        return true;
        return false;
}

/* The records of the audit logs, into the correlator of a journal (a record in both is one) or
 * of their own. */
static int read_audit_logs(const JournalFiles *audit_logs, Correlator *c, AnalyzeStats *st) {
        for (size_t k = 0; audit_logs && k < audit_logs->n; k++) {
                int r = analyze_audit_log(c, audit_logs->paths[k], &st->audit);
                if (r == -ENOMEM)
                        return r;
                if (r < 0) {
                        fprintf(stderr, "Failed to read audit log %s: %s\n", audit_logs->paths[k],
                                r == -EPROTONOSUPPORT ? "compressed files are not supported by this build"
                                                      : strerror(-r));
                        return r;
                }
        }
        return 0;
}

/* The audit logs alone, into store. */
static int analyze_audit_logs(const JournalFiles *audit_logs, FindingStore *store, AnalyzeStats *st) {
        _cleanup_(correlator_freep) Correlator *c = NULL;
        CorrelatorOptions co = { .lookup = lookup_unknown, .include_non_go = true };
        store->keep_newest = true;
        int r = correlator_new(store, &co, &c);
        if (r >= 0)
                r = read_audit_logs(audit_logs, c, st);
        if (r >= 0)
                r = correlator_advance(c, UINT64_MAX);
        if (r >= 0)
                r = finding_store_trim(store, true);
        return r;
}

/* Correlates the entries of files (of host only, when given) and the records of audit_logs
 * (NULL: none) into store, then merges the findings goguardd logged in them. */
/* name_host: the host the findings are of, when analyze speaks per host (their evidence names
 * it and its machine ID). */
static int analyze_files(const JournalFiles *files, const JournalFiles *audit_logs, const char *host,
                         const char *name_host, const char *what, FindingStore *store, AnalyzeStats *st) {
        _cleanup_(correlator_freep) Correlator *c = NULL;
        sd_journal *j = NULL;
        int r;

        store->keep_newest = true; /* a journal from its start: what matters now comes last */
        r = sd_journal_open_files(&j, (const char **) files->paths, 0);
        if (r < 0) {
                fprintf(stderr, "Failed to open %s: %s%s\n", what, strerror(-r), open_error_hint(r));
                return r;
        }
        /* No matches beyond the host: offline nobody knows which units are Go, so nearly every
         * entry is a candidate anyway, and one pass over all of them also counts what is
         * readable. */
        (void) sd_journal_set_data_threshold(j, JOURNAL_DATA_MAX);
        if (host) {
                char m[300]; /* analyze-fleet.c takes no host name longer than 255 bytes */
                snprintf(m, sizeof m, "_HOSTNAME=%s", host);
                r = sd_journal_add_match(j, m, 0);
        }
        CorrelatorOptions co = { .lookup = lookup_unknown, .include_non_go = true };
        if (r >= 0)
                r = correlator_new(store, &co, &c);
        if (r >= 0)
                r = read_journal(j, c, st);
        if (r >= 0 && audit_logs) {
                r = read_audit_logs(audit_logs, c, st);
                if (r < 0 && r != -ENOMEM) {
                        sd_journal_close(j);
                        return r; /* said */
                }
        }
        if (r >= 0) /* the end of the input: nothing more will come for what waits */
                r = correlator_advance(c, UINT64_MAX);
        if (r >= 0)
                r = analyze_merge_logged(j, host, store);
        if (r >= 0)
                r = finding_store_trim(store, true);
        if (r >= 0 && name_host)
                r = analyze_host_evidence(j, name_host, store);
        if (r < 0)
                fprintf(stderr, "Failed to read %s: %s\n", what, strerror(-r));
        sd_journal_close(j);
        return r;
}

int verb_analyze(int argc, char *argv[]) {
        enum { ARG_FILE = 0x100, ARG_HOST, ARG_AUDIT_LOG };
        static const struct option options[] = {
                { "help", no_argument, NULL, 'h' },
                { "file", required_argument, NULL, ARG_FILE },
                { "directory", required_argument, NULL, 'D' },
                { "host", required_argument, NULL, ARG_HOST },
                { "audit-log", required_argument, NULL, ARG_AUDIT_LOG },
                {},
        };
        _cleanup_free_ HostFinding *list = NULL;
        _cleanup_free_ uint64_t *expected = NULL;
        _cleanup_(strv_freep) char **hosts = NULL;
        _cleanup_(host_groups_done) HostGroups groups = {};
        JournalFiles files = {}, audit_logs = {};
        const char *directory = NULL;
        bool any_file = false;
        FindingStore *stores = NULL;
        size_t n_stores = 0;
        AnalyzeStats st = {};
        StrBuf out = {};
        int opt, r, ret;

        optind = 0;
        while ((opt = getopt_long(argc, argv, "+hD:", options, NULL)) >= 0)
                switch (opt) {
                case 'h': analyze_help(); return EXIT_OK;
                case ARG_FILE: {
                        char *p = strdup(optarg);
                        r = p ? journal_files_add(&files, p) : -ENOMEM;
                        if (r == -E2BIG) {
                                fprintf(stderr, "goguardctl analyze: at most %u journal files\n", FILES_MAX);
                                journal_files_done(&files);
                                return EXIT_USAGE;
                        }
                        if (r < 0) {
                                journal_files_done(&files);
                                return EXIT_FAILED;
                        }
                        any_file = true;
                        break;
                }
                case 'D': directory = optarg; break;
                case ARG_HOST:
                        if (!*optarg || strv_length(hosts) >= HOSTS_MAX) {
                                fprintf(stderr,
                                        "goguardctl analyze: --host= wants a host name (at most %u)\n",
                                        HOSTS_MAX);
                                journal_files_done(&files);
                                return EXIT_USAGE;
                        }
                        if (strv_extend(&hosts, optarg) < 0) {
                                journal_files_done(&files);
                                return EXIT_FAILED;
                        }
                        break;
                case ARG_AUDIT_LOG: {
                        char *p = strdup(optarg);
                        r = p ? journal_files_add(&audit_logs, p) : -ENOMEM;
                        if (r < 0) {
                                journal_files_done(&files);
                                journal_files_done(&audit_logs);
                                return r == -E2BIG ? EXIT_USAGE : EXIT_FAILED;
                        }
                        break;
                }
                default:
                        journal_files_done(&files);
                        journal_files_done(&audit_logs);
                        return EXIT_USAGE;
                }
        if (optind < argc) {
                fprintf(stderr,
                        "goguardctl analyze: unexpected argument '%s'; journal files are given with "
                        "--file=PATH\n",
                        argv[optind]);
                journal_files_done(&files);
                return EXIT_USAGE;
        }
        if ((any_file && directory) || (!any_file && !directory && audit_logs.n == 0)) {
                fprintf(stderr,
                        "goguardctl analyze: give either --file=PATH (one or more) or --directory=DIR, "
                        "and/or --audit-log=FILE\n");
                journal_files_done(&files);
                journal_files_done(&audit_logs);
                return EXIT_USAGE;
        }
        bool journal = any_file || directory;
        st.journal = journal;
        st.audit_logs = audit_logs.n > 0;

        if (directory) {
                r = scan_directory(directory, true, &files);
                if (r < 0) {
                        fprintf(stderr, "Failed to read directory %s: %s\n", directory, strerror(-r));
                        ret = EXIT_FAILED;
                        goto finish;
                }
                if (files.n == 0) {
                        fprintf(stderr, "No journal files in %s.\n", directory);
                        ret = EXIT_FAILED;
                        goto finish;
                }
                qsort(files.paths, files.n, sizeof *files.paths, compare_strings);
        }

        /* Each file on its own first: which one cannot be opened, and how much of each is
         * readable. */
        uint64_t expected_total = 0;
        expected = calloc(files.n ?: 1, sizeof *expected);
        if (!expected) {
                ret = EXIT_FAILED;
                goto finish;
        }
        for (size_t i = 0; i < files.n; i++) {
                r = check_file(files.paths[i], &expected[i]);
                if (r < 0) {
                        fprintf(stderr, "Failed to open journal file %s: %s%s\n", files.paths[i],
                                strerror(-r), open_error_hint(r));
                        ret = EXIT_FAILED;
                        goto finish;
                }
                expected_total += expected[i];
        }

        const char *what = files.n == 1 ? files.paths[0] : directory ?: "the journal files";
        r = journal ? host_groups_build(files.paths, expected, files.n, &groups) : 0;
        if (r < 0) {
                fprintf(stderr, "Failed to tell the hosts of %s apart: %s\n", what, strerror(-r));
                ret = EXIT_FAILED;
                goto finish;
        }
        /* One host's journal reads as it always did; several hosts (or journal-remote's files, or
         * a choice of hosts) are read and shown per host. */
        bool per_host = journal && (groups.n > 1 || groups.remote || hosts);
        for (char **h = hosts; h && *h; h++) {
                bool found = false;
                for (size_t k = 0; k < groups.n && !found; k++)
                        found = groups.groups[k].name && streq(groups.groups[k].name, *h);
                if (!found) {
                        fprintf(stderr, "No entries of host %s in %s.\n", *h, what);
                        ret = EXIT_FAILED;
                        goto finish;
                }
        }
        size_t n_groups = !journal ? 0 : per_host ? groups.n : 1;
        /* and one for the audit logs when they are not one host's journal's */
        stores = calloc(n_groups + 1, sizeof *stores);
        if (!stores) {
                ret = EXIT_FAILED;
                goto finish;
        }
        size_t hosts_read = 0;
        st.progress = isatty(STDERR_FILENO);
        st.progress_total = hosts ? 0 : expected_total;
        /* What the headers promise: of every file, or of the chosen hosts' own files (unknown for
         * a file of several hosts: then what was read). */
        uint64_t expected_read = hosts ? 0 : expected_total;
        bool expected_known = true;
        for (size_t k = 0; k < n_groups; k++) {
                const HostGroup *g = per_host ? &groups.groups[k] : NULL;
                if (!group_chosen(g, hosts))
                        continue;
                r = finding_store_init(&stores[n_stores]);
                if (r < 0) {
                        ret = EXIT_FAILED;
                        goto finish;
                }
                n_stores++;
                r = analyze_files(g ? &g->files : &files, per_host ? NULL : &audit_logs,
                                  g && g->match ? g->name : NULL, g ? g->name : NULL,
                                  g && g->files.n == 1 ? g->files.paths[0] : what, &stores[n_stores - 1],
                                  &st);
                if (r < 0) {
                        ret = EXIT_FAILED;
                        goto finish;
                }
                hosts_read++;
                if (hosts) {
                        expected_read += g->expected;
                        expected_known = expected_known && !g->match;
                }
        }
        if (st.progress && st.entries >= PROGRESS_EVERY)
                fputs("\r\033[K", stderr); /* the progress line goes before the results come */
        if (!expected_known)
                expected_read = st.entries;
        /* Audit logs of no host: several hosts' journals do not say whose they are. */
        bool audit_apart = audit_logs.n > 0 && (!journal || per_host);
        if (audit_apart) {
                r = finding_store_init(&stores[n_stores]);
                if (r >= 0) {
                        n_stores++;
                        r = analyze_audit_logs(&audit_logs, &stores[n_stores - 1], &st);
                }
                if (r < 0) {
                        ret = EXIT_FAILED;
                        goto finish;
                }
        }

        if (st.first_error < 0)
                fprintf(stderr, "Warning: %s: some entries cannot be read (%s), skipped.\n", what,
                        strerror(-st.first_error));
        if (st.entries < expected_read) {
                st.corrupt += expected_read - st.entries;
                fprintf(stderr,
                        "Warning: %s: %" PRIu64 " of %" PRIu64
                        " entries cannot be read (%s corrupt), skipped.\n",
                        what, expected_read - st.entries, expected_read,
                        files.n == 1 ? "the file is" : "a file is");
        }
        if (st.corrupt > 0 && expected_read > 0 && expected_read == st.corrupt) {
                fprintf(stderr, "Failed to read any entry of %s.\n", what);
                ret = EXIT_FAILED;
                goto finish;
        }

        size_t n = 0, n_dropped = 0;
        for (size_t k = 0; k < n_stores; k++) {
                n += hashmap_size(stores[k].by_id);
                n_dropped += stores[k].n_dropped;
        }
        if (n_dropped > 0)
                fprintf(stderr,
                        "Warning: the %zu oldest findings were left out: the newest %u per unit and "
                        "%u in all%s are kept.\n",
                        n_dropped, FINDING_STORE_PER_UNIT_MAX, FINDING_STORE_TOTAL_MAX,
                        per_host ? " per host" : "");
        list = calloc(n + 1, sizeof *list);
        if (!list) {
                ret = EXIT_FAILED;
                goto finish;
        }
        n = 0;
        for (size_t k = 0, s = 0; k < n_groups && s < n_stores; k++) {
                const HostGroup *g = per_host ? &groups.groups[k] : NULL;
                if (!group_chosen(g, hosts))
                        continue;
                size_t i = 0;
                void *v;
                while (hashmap_iterate(stores[s].by_id, &i, &v, NULL))
                        list[n++] = (HostFinding){ .f = v, .host = g ? g->name : NULL };
                s++;
        }
        if (audit_apart) {
                size_t i = 0;
                void *v;
                while (hashmap_iterate(stores[n_stores - 1].by_id, &i, &v, NULL))
                        list[n++] = (HostFinding){ .f = v };
        }
        if (n > 1)
                qsort(list, n, sizeof *list, host_finding_compare);
        r = print_findings(list, n, &st, per_host ? hosts_read : 0, &out);
        if (r < 0) {
                strbuf_done(&out);
                fprintf(stderr, "goguardctl: %s\n", strerror(-r));
                ret = EXIT_FAILED;
                goto finish;
        }
        ret = flush_output(&out);
finish:
        for (size_t k = 0; k < n_stores; k++)
                finding_store_done(&stores[k]);
        free(stores);
        journal_files_done(&files);
        journal_files_done(&audit_logs);
        return ret;
}
