/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* goguardctl findings, explain, watch, ack and dismiss: goguardd's findings over the bus. */
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <systemd/sd-event.h>
#include <time.h>

#include "bus-print.h"
#include "finding-print.h"
#include "format.h"
#include "goguardctl.h"
#include "hashmap.h"
#include "json-writer.h"
#include "strbuf.h"
#include "unit-name.h"

#define LIST_PAGE        1000u  /* ListFindings' maximum per call */
#define LIST_ROWS_MAX    65536u /* goguardd keeps at most 4096 */
#define WATCH_CACHE_MAX  8192u
#define PKTTYAGENT       "/usr/bin/pkttyagent"
#define AGENT_WAIT_MSEC  10000
#define MANAGE_ACTION    "org.goguard.goguard1.manage-findings"
#define INTERACTIVE_USEC (UINT64_C(300) * USEC_PER_SEC) /* a human types a password */

/* ---- errors ---- */

/* call_failed() plus the findings' own errors. what: "list findings", ... */
static int findings_call_failed(sd_bus *bus, const char *what, const sd_bus_error *error, int r,
                                const char *id) {
        if (bus_error_is_goguard(error, "NoSuchFinding")) {
                fprintf(stderr, "No finding %s (goguardctl findings --state=all lists them).\n", id ?: "");
                return EXIT_NO_SUCH_FINDING;
        }
        if (bus_error_is_goguard(error, "InvalidArgument") ||
            bus_error_is_goguard(error, "InvalidUnitName")) {
                fprintf(stderr, "Failed to %s: %s\n", what, error->message ?: error->name);
                return EXIT_USAGE;
        }
        if (bus_error_is_goguard(error, "AccessDenied")) {
                fprintf(stderr,
                        "Failed to %s: access denied (%s)\n"
                        "This needs root, or authorization for the polkit action " MANAGE_ACTION ".\n",
                        what, error->message ?: "not authorized");
                return EXIT_FAILED;
        }
        return call_failed(bus, what, error, r, NULL);
}

/* ---- listing ---- */

typedef struct FindingFilter {
        const char *unit;
        const char *class;
        const char *severity;
        const char *state; /* sent to goguardd; NULL: any */
        uint64_t since;
        bool have_since;
} FindingFilter;

/* Every row of every page; the rows point into the replies. */
typedef struct FindingList {
        sd_bus_message **replies;
        size_t n_replies;
        FindingRow *rows;
        size_t n;
} FindingList;

static void finding_list_done(FindingList *l) {
        for (size_t i = 0; i < l->n_replies; i++)
                sd_bus_message_unref(l->replies[i]);
        free(l->replies);
        free(l->rows);
        *l = (FindingList){};
}

static int append_filter(sd_bus_message *m, const FindingFilter *f) {
        int r = sd_bus_message_open_container(m, 'a', "{sv}");
        if (r >= 0 && f->unit)
                r = sd_bus_message_append(m, "{sv}", "unit", "s", f->unit);
        if (r >= 0 && f->class)
                r = sd_bus_message_append(m, "{sv}", "class", "s", f->class);
        if (r >= 0 && f->severity)
                r = sd_bus_message_append(m, "{sv}", "severity", "s", f->severity);
        if (r >= 0 && f->state)
                r = sd_bus_message_append(m, "{sv}", "state", "s", f->state);
        if (r >= 0 && f->have_since)
                r = sd_bus_message_append(m, "{sv}", "since", "t", f->since);
        if (r >= 0)
                r = sd_bus_message_close_container(m);
        return r;
}

static int read_page(sd_bus_message *reply, FindingList *l, Hashmap *seen, uint32_t *ret_total,
                     size_t *ret_n) {
        FindingRow row;
        size_t n = 0;
        int r;

        r = sd_bus_message_enter_container(reply, 'a', "(ssssssttt)");
        if (r < 0)
                return r;
        while ((r = sd_bus_message_read(reply, "(ssssssttt)", &row.id, &row.unit, &row.class, &row.severity,
                                        &row.state, &row.summary, &row.first_seen, &row.last_seen,
                                        &row.count)) > 0) {
                n++;
                /* A finding added while paging shifts the rows: skip what came already. */
                if (hashmap_get(seen, row.id))
                        continue;
                if (l->n >= LIST_ROWS_MAX)
                        return -E2BIG;
                FindingRow *p = reallocarray(l->rows, l->n + 1, sizeof *p);
                if (!p)
                        return -ENOMEM;
                l->rows = p;
                l->rows[l->n++] = row;
                r = hashmap_put(seen, row.id, &l->rows); /* any non-NULL value */
                if (r < 0)
                        return r;
        }
        if (r < 0)
                return r;
        r = sd_bus_message_exit_container(reply);
        if (r >= 0)
                r = sd_bus_message_read(reply, "u", ret_total);
        if (r < 0)
                return r;
        *ret_n = n;
        return 0;
}

/* All pages of ListFindings. Returns 0, -EBADMSG-ish for a malformed reply (error unset), or
 * -errno with error set for a failed call. */
static int list_findings(sd_bus *bus, const FindingFilter *f, sd_bus_error *error, FindingList *ret) {
        _cleanup_(hashmap_freep) Hashmap *seen = NULL;
        FindingList l = {};
        uint32_t offset = 0, total = 0;
        int r;

        r = hashmap_new(&seen);
        if (r < 0)
                return r;
        for (;;) {
                _cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL, *reply = NULL;
                r = sd_bus_message_new_method_call(bus, &m, GOGUARD_BUS_NAME, GOGUARD_MANAGER_PATH,
                                                   GOGUARD_MANAGER_IFACE, "ListFindings");
                if (r >= 0)
                        r = sd_bus_message_set_auto_start(m, true);
                if (r >= 0)
                        r = append_filter(m, f);
                if (r >= 0)
                        r = sd_bus_message_append(m, "uu", offset, LIST_PAGE);
                if (r < 0) {
                        finding_list_done(&l);
                        return sd_bus_error_set_errno(error, r);
                }
                r = sd_bus_call(bus, m, 0, error, &reply);
                if (r < 0) {
                        finding_list_done(&l);
                        return r;
                }
                sd_bus_message **p = reallocarray(l.replies, l.n_replies + 1, sizeof *p);
                if (!p) {
                        finding_list_done(&l);
                        return -ENOMEM;
                }
                l.replies = p;
                l.replies[l.n_replies++] = sd_bus_message_ref(reply);
                size_t n;
                r = read_page(reply, &l, seen, &total, &n);
                if (r < 0) {
                        finding_list_done(&l);
                        return r;
                }
                if (n == 0 || (uint64_t) offset + n >= total || l.n >= LIST_ROWS_MAX)
                        break;
                offset += (uint32_t) n;
        }
        *ret = l;
        return 0;
}

/* ---- findings ---- */

static void findings_help(void) {
        printf("goguardctl findings [OPTIONS...] [UNIT]\n\n"
               "List goguardd's findings, newest first: by default the open and acknowledged ones.\n\n"
               "Options:\n"
               "  -h --help              Show this help\n"
               "     --class=CLASS       Only this class (oom-kill, fd-exhaustion, ...)\n"
               "     --severity=SEVERITY Only critical, warning or info\n"
               "     --state=STATE       open, acknowledged, resolved, or all\n"
               "     --since=TIME        Last seen at or after TIME (\"2025-11-22 10:00\", \"-1h\",\n"
               "                         \"yesterday\", \"@EPOCH\")\n"
               "     --json              Print a JSON array\n\n"
               "UNIT without a suffix means UNIT.service. Starts goguardd by D-Bus activation if it\n"
               "is not running.\n");
}

int verb_findings(int argc, char *argv[]) {
        enum { ARG_CLASS = 0x100, ARG_SEVERITY, ARG_STATE, ARG_SINCE };
        static const struct option options[] = {
                { "help", no_argument, NULL, 'h' },
                { "class", required_argument, NULL, ARG_CLASS },
                { "severity", required_argument, NULL, ARG_SEVERITY },
                { "state", required_argument, NULL, ARG_STATE },
                { "since", required_argument, NULL, ARG_SINCE },
                {},
        };
        _cleanup_(sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_free_ char *unit = NULL;
        FindingFilter flt = {};
        bool all = false;
        FindingList l = {};
        StrBuf out = {};
        int c, r;

        optind = 0;
        while ((c = getopt_long(argc, argv, "+h", options, NULL)) >= 0)
                switch (c) {
                case 'h': findings_help(); return EXIT_OK;
                case ARG_CLASS: flt.class = optarg; break;
                case ARG_SEVERITY: flt.severity = optarg; break;
                case ARG_STATE:
                        if (strcmp(optarg, "all") == 0) {
                                all = true;
                                flt.state = NULL;
                        } else if (finding_state_from_string(optarg) >= 0) {
                                all = false;
                                flt.state = optarg;
                        } else {
                                fprintf(stderr, "goguardctl findings: --state= takes open, acknowledged, "
                                                "resolved or all\n");
                                return EXIT_USAGE;
                        }
                        break;
                case ARG_SINCE:
                        if (parse_since(optarg, now_realtime(), &flt.since) < 0) {
                                fprintf(stderr,
                                        "goguardctl findings: cannot parse --since='%s' (try \"2025-11-22 "
                                        "10:00\", \"-1h\", \"yesterday\" or \"@EPOCH\")\n",
                                        optarg);
                                return EXIT_USAGE;
                        }
                        flt.have_since = true;
                        break;
                default: return EXIT_USAGE;
                }
        if (argc - optind > 1) {
                fprintf(stderr, "goguardctl findings: at most one UNIT\n");
                return EXIT_USAGE;
        }
        if (optind < argc) {
                r = unit_name_mangle(argv[optind], &unit);
                if (r == -EINVAL) {
                        fprintf(stderr,
                                "Invalid unit name: at most %d characters of [A-Za-z0-9:_.\\-@], with a "
                                "unit "
                                "type suffix.\n",
                                UNIT_NAME_MAX);
                        return EXIT_USAGE;
                }
                if (r < 0)
                        return EXIT_FAILED;
                flt.unit = unit;
        }

        if (bus_connect_system(&bus) < 0)
                return EXIT_FAILED;
        r = list_findings(bus, &flt, &error, &l);
        if (r < 0 && sd_bus_error_is_set(&error))
                return findings_call_failed(bus, "list findings", &error, r, NULL);
        if (r < 0)
                return reply_malformed("ListFindings", r);

        /* By default: what still needs attention. Filtered here, so one listing (in goguardd's
         * order) covers both states. */
        size_t n = 0;
        for (size_t i = 0; i < l.n; i++)
                if (all || flt.state || strcmp(l.rows[i].state, "resolved") != 0)
                        l.rows[n++] = l.rows[i];

        if (arg_json) {
                JsonWriter w = { .out = &out, .pretty = true };
                json_begin_array(&w);
                for (size_t i = 0; i < n; i++)
                        finding_row_to_json(&l.rows[i], &w);
                json_end_array(&w);
                strbuf_append_char(&out, '\n');
        } else if (n == 0)
                strbuf_append(&out, all || flt.state ? "No findings.\n" : "No open findings.\n");
        else {
                r = findings_table(l.rows, n, now_realtime(), colors_enabled(), &out);
                if (r < 0) {
                        finding_list_done(&l);
                        strbuf_done(&out);
                        fprintf(stderr, "goguardctl: %s\n", strerror(-r));
                        return EXIT_FAILED;
                }
        }
        r = flush_output(&out);
        finding_list_done(&l);
        return r;
}

/* ---- ids and prefixes ---- */

/* The full id for an id or a unique prefix; returns -1 and *ret_id, or an exit code. */
static int resolve_id(sd_bus *bus, const char *verb, const char *arg, char **ret_id) {
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_free_ char *prefix = NULL;
        FindingList l = {};
        int r;

        r = finding_id_prefix_parse(arg, &prefix);
        if (r == -EINVAL) {
                _cleanup_free_ char *shown = NULL;
                (void) format_printable(arg, &shown);
                fprintf(stderr,
                        "goguardctl %s: '%s' is not a finding id: %d to %d hex digits (the ID column of "
                        "goguardctl findings)\n",
                        verb, shown ?: "?", FINDING_PREFIX_MIN, FINDING_ID_LEN);
                return EXIT_USAGE;
        }
        if (r < 0)
                return EXIT_FAILED;
        if (strlen(prefix) == FINDING_ID_LEN) {
                *ret_id = TAKE_PTR(prefix);
                return -1;
        }

        FindingFilter all = {};
        r = list_findings(bus, &all, &error, &l);
        if (r < 0 && sd_bus_error_is_set(&error))
                return findings_call_failed(bus, "list findings", &error, r, NULL);
        if (r < 0)
                return reply_malformed("ListFindings", r);
        const FindingRow *match = NULL;
        size_t n = 0;
        for (size_t i = 0; i < l.n; i++)
                if (strncmp(l.rows[i].id, prefix, strlen(prefix)) == 0) {
                        match = &l.rows[i];
                        n++;
                }
        if (n == 1) {
                *ret_id = strdup(match->id);
                finding_list_done(&l);
                if (!*ret_id)
                        return EXIT_FAILED;
                return -1;
        }
        if (n == 0) {
                fprintf(stderr,
                        "No finding id starts with %s (goguardctl findings --state=all lists them).\n",
                        prefix);
                finding_list_done(&l);
                return EXIT_NO_SUCH_FINDING;
        }
        StrBuf b = {};
        strbuf_appendf(&b, "Finding id prefix %s is ambiguous; it matches:\n", prefix);
        for (size_t i = 0; i < l.n; i++)
                if (strncmp(l.rows[i].id, prefix, strlen(prefix)) == 0) {
                        strbuf_appendf(&b, "  %s  ", l.rows[i].id);
                        format_append_printable(&b, l.rows[i].unit);
                        strbuf_append(&b, "  ");
                        format_append_printable(&b, l.rows[i].class);
                        strbuf_append(&b, "  ");
                        format_append_printable(&b, l.rows[i].state);
                        strbuf_append_char(&b, '\n');
                }
        fputs(b.data ?: "", stderr);
        strbuf_done(&b);
        finding_list_done(&l);
        return EXIT_USAGE;
}

/* ---- explain ---- */

static const char *const members_advice[] = { "kind", "text", "snippet", NULL };
static const BusJsonMembers finding_json_members[] = {
        { "Advice", members_advice },
};

static void explain_help(void) {
        printf("goguardctl explain [--json] ID\n\n"
               "Explain one finding: what happened, the evidence, the unit settings in force, and\n"
               "what to do about it, with the drop-ins to apply with systemctl edit. ID is a finding\n"
               "id or a unique prefix of at least %d hex digits. Starts goguardd by D-Bus activation\n"
               "if it is not running. --json prints GetFinding's dictionary.\n",
               FINDING_PREFIX_MIN);
}

int verb_explain(int argc, char *argv[]) {
        _cleanup_(sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_free_ char *id = NULL;
        StrBuf out = {};
        int r;

        r = parse_verb_options(argc, argv, explain_help);
        if (r >= 0)
                return r;
        if (argc - optind != 1) {
                fprintf(stderr, "goguardctl explain: exactly one finding ID is required\n");
                return EXIT_USAGE;
        }
        if (bus_connect_system(&bus) < 0)
                return EXIT_FAILED;
        r = resolve_id(bus, "explain", argv[optind], &id);
        if (r >= 0)
                return r;

        r = bus_call_goguard(bus, GOGUARD_MANAGER_PATH, GOGUARD_MANAGER_IFACE, "GetFinding", true, &error,
                             &reply, "s", id);
        if (r < 0)
                return findings_call_failed(bus, "get the finding", &error, r, id);

        if (arg_json) {
                JsonWriter w = { .out = &out, .pretty = true };
                r = bus_properties_to_json(reply, &w, finding_json_members,
                                           ELEMENTSOF(finding_json_members));
                strbuf_append_char(&out, '\n');
                if (r < 0) {
                        strbuf_done(&out);
                        return reply_malformed("GetFinding", r);
                }
                return flush_output(&out);
        }

        FindingView v;
        r = finding_view_from_bus(reply, &v);
        if (r < 0)
                return reply_malformed("GetFinding", r);
        ExplainOptions o = { .color = colors_enabled(), .journal_hint = true };
        r = finding_explain(&v, now_realtime(), &o, &out);
        finding_view_done(&v);
        if (r < 0) {
                strbuf_done(&out);
                fprintf(stderr, "goguardctl: %s\n", strerror(-r));
                return EXIT_FAILED;
        }
        return flush_output(&out);
}

/* ---- ack, dismiss ---- */

/* A polkit agent on our terminal, as systemctl starts one, so that an administrator can type a
 * password when polkit asks for it. Returns its pid, or 0 when there is none to start. */
static pid_t polkit_agent_open(void) {
        int fds[2];

        if (!isatty(STDIN_FILENO) || geteuid() == 0 || access(PKTTYAGENT, X_OK) < 0)
                return 0;
        if (pipe2(fds, O_CLOEXEC) < 0)
                return 0;
        pid_t pid = fork();
        if (pid < 0) {
                close(fds[0]);
                close(fds[1]);
                return 0;
        }
        if (pid == 0) {
                /* pkttyagent registers for its parent process and closes the fd when ready. */
                int fd = fds[1] == 3 ? 3 : dup2(fds[1], 3);
                if (fd < 0 || fcntl(3, F_SETFD, 0) < 0)
                        _exit(127);
                execl(PKTTYAGENT, PKTTYAGENT, "--notify-fd", "3", "--fallback", (char *) NULL);
                _exit(127);
        }
        close(fds[1]);
        struct pollfd p = { .fd = fds[0], .events = POLLIN };
        (void) poll(&p, 1, AGENT_WAIT_MSEC);
        close(fds[0]);
        return pid;
}

static void polkit_agent_close(pid_t pid) {
        if (pid <= 0)
                return;
        (void) kill(pid, SIGTERM);
        while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
                ;
}

static int finding_action(int argc, char *argv[], const char *verb, const char *method,
                          const char *done_state, void (*help)(void)) {
        _cleanup_(sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL, *reply = NULL;
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_free_ char *id = NULL;
        int r;

        r = parse_verb_options(argc, argv, help);
        if (r >= 0)
                return r;
        if (argc - optind != 1) {
                fprintf(stderr, "goguardctl %s: exactly one finding ID is required\n", verb);
                return EXIT_USAGE;
        }
        if (bus_connect_system(&bus) < 0)
                return EXIT_FAILED;
        r = resolve_id(bus, verb, argv[optind], &id);
        if (r >= 0)
                return r;

        bool interactive = isatty(STDIN_FILENO);
        r = sd_bus_message_new_method_call(bus, &m, GOGUARD_BUS_NAME, GOGUARD_MANAGER_PATH,
                                           GOGUARD_MANAGER_IFACE, method);
        if (r >= 0)
                r = sd_bus_message_set_auto_start(m, true);
        if (r >= 0)
                r = sd_bus_message_set_allow_interactive_authorization(m, interactive);
        if (r >= 0)
                r = sd_bus_message_append(m, "s", id);
        if (r < 0) {
                fprintf(stderr, "goguardctl: %s\n", strerror(-r));
                return EXIT_FAILED;
        }
        pid_t agent = interactive ? polkit_agent_open() : 0;
        /* With a password to type, the default 25 s are too short. */
        r = sd_bus_call(bus, m, interactive ? INTERACTIVE_USEC : 0, &error, &reply);
        polkit_agent_close(agent);
        if (r < 0) {
                char what[64];
                snprintf(what, sizeof what, "%s finding %s", strcmp(verb, "ack") == 0 ? "acknowledge" : verb,
                         id);
                /* Acknowledging a resolved finding: not a usage error. */
                if (bus_error_is_goguard(&error, "InvalidArgument")) {
                        fprintf(stderr, "Failed to %s: %s\n", what, error.message ?: error.name);
                        return EXIT_FAILED;
                }
                return findings_call_failed(bus, what, &error, r, id);
        }
        if (arg_json)
                printf("{\n  \"id\": \"%s\",\n  \"state\": \"%s\"\n}\n", id, done_state);
        return fflush(stdout) == 0 ? EXIT_OK : EXIT_FAILED;
}

static void ack_help(void) {
        printf("goguardctl ack ID\n\n"
               "Acknowledge a finding: mark it as seen. It stays listed and keeps counting repeats.\n"
               "ID is a finding id or a unique prefix of at least %d hex digits. Needs root or the\n"
               "polkit action " MANAGE_ACTION "\n"
               "(asked for interactively on a terminal).\n",
               FINDING_PREFIX_MIN);
}

static void dismiss_help(void) {
        printf("goguardctl dismiss ID\n\n"
               "Dismiss a finding: resolve it by hand. A new occurrence opens a new finding.\n"
               "ID is a finding id or a unique prefix of at least %d hex digits. Needs root or the\n"
               "polkit action " MANAGE_ACTION "\n"
               "(asked for interactively on a terminal).\n",
               FINDING_PREFIX_MIN);
}

int verb_ack(int argc, char *argv[]) {
        return finding_action(argc, argv, "ack", "AcknowledgeFinding", "acknowledged", ack_help);
}

int verb_dismiss(int argc, char *argv[]) {
        return finding_action(argc, argv, "dismiss", "DismissFinding", "resolved", dismiss_help);
}

/* ---- watch ---- */

/* What the signals do not carry (class, severity, summary), remembered from FindingAdded and
 * asked for with GetFinding otherwise. */
typedef struct CachedFinding {
        char id[FINDING_ID_LEN + 1];
        char *unit, *class, *severity, *summary;
} CachedFinding;

typedef struct Watch {
        sd_bus *bus;
        sd_event *event;
        Hashmap *cache;
        bool color;
        int failed; /* output could not be written */
} Watch;

static void cached_free(CachedFinding *c) {
        if (!c)
                return;
        free(c->unit);
        free(c->class);
        free(c->severity);
        free(c->summary);
        free(c);
}

static void cache_clear(Hashmap *h) {
        size_t i = 0;
        void *v;
        while (hashmap_iterate(h, &i, &v, NULL))
                cached_free(v);
        hashmap_free(h);
}

static void set_str(char **p, const char *s) {
        if (!s)
                return;
        char *c = strdup(s);
        if (!c)
                return;
        free(*p);
        *p = c;
}

static CachedFinding *cache_get(Watch *w, const char *id) {
        if (!finding_id_is_valid(id))
                return NULL;
        CachedFinding *c = hashmap_get(w->cache, id);
        if (c)
                return c;
        if (hashmap_size(w->cache) >= WATCH_CACHE_MAX) {
                cache_clear(w->cache);
                w->cache = NULL;
                if (hashmap_new(&w->cache) < 0)
                        return NULL;
        }
        c = calloc(1, sizeof *c);
        if (!c)
                return NULL;
        memcpy(c->id, id, sizeof c->id);
        if (hashmap_put(w->cache, c->id, c) < 0) {
                free(c);
                return NULL;
        }
        return c;
}

/* Fills the cache from GetFinding; never starts goguardd. */
static void cache_refresh(Watch *w, CachedFinding *c) {
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        FindingView v;
        if (bus_call_goguard(w->bus, GOGUARD_MANAGER_PATH, GOGUARD_MANAGER_IFACE, "GetFinding", false,
                             &error, &reply, "s", c->id) < 0)
                return;
        if (finding_view_from_bus(reply, &v) < 0)
                return;
        set_str(&c->unit, v.row.unit);
        set_str(&c->class, v.row.class);
        set_str(&c->severity, v.row.severity);
        set_str(&c->summary, v.row.summary);
        finding_view_done(&v);
}

typedef struct WatchEvent {
        const char *event;
        const char *id, *unit, *class, *severity, *state, *summary;
        uint64_t count, last_seen;
        bool have_count;
} WatchEvent;

static void print_event(Watch *w, const WatchEvent *e) {
        StrBuf out = {};
        uint64_t now = now_realtime();

        if (arg_json) {
                JsonWriter j = { .out = &out };
                json_begin_object(&j);
                json_key(&j, "timestamp");
                json_uint(&j, now);
                json_key(&j, "event");
                json_string(&j, e->event);
                json_key(&j, "id");
                json_string(&j, e->id);
                json_key(&j, "unit");
                json_string(&j, e->unit);
                json_key(&j, "class");
                json_string(&j, e->class);
                json_key(&j, "severity");
                json_string(&j, e->severity);
                json_key(&j, "state");
                json_string(&j, e->state);
                json_key(&j, "count");
                if (e->have_count)
                        json_uint(&j, e->count);
                else
                        json_null(&j);
                json_key(&j, "last_seen");
                if (e->have_count)
                        json_uint(&j, e->last_seen);
                else
                        json_null(&j);
                json_key(&j, "summary");
                json_string(&j, e->summary);
                json_end_object(&j);
        } else {
                char ts[32] = "-", id[FINDING_ID_SHORT + 1];
                time_t t = (time_t) (now / USEC_PER_SEC);
                struct tm tm;
                if (localtime_r(&t, &tm))
                        strftime(ts, sizeof ts, "%Y-%m-%d %H:%M:%S", &tm);
                snprintf(id, sizeof id, "%s", e->id ?: "-");
                strbuf_appendf(&out, "%s  %-8s  ", ts, e->event);
                format_append_printable(&out, id);
                strbuf_append(&out, "  ");
                format_append_printable(&out, e->unit && *e->unit ? e->unit : "-");
                strbuf_append(&out, "  ");
                format_append_printable(&out, e->class ?: "-");
                strbuf_append(&out, "  ");
                const char *sev = e->severity;
                const char *col = w->color && sev && strcmp(sev, "critical") == 0  ? "\x1b[0;1;31m"
                                  : w->color && sev && strcmp(sev, "warning") == 0 ? "\x1b[0;1;33m"
                                                                                   : NULL;
                strbuf_append(&out, col ?: "");
                format_append_printable(&out, sev ?: "-");
                strbuf_append(&out, col ? "\x1b[0m" : "");
                strbuf_append(&out, "  ");
                format_append_printable(&out, e->state ?: "-");
                if (e->have_count)
                        strbuf_appendf(&out, " count=%" PRIu64, e->count);
                strbuf_append(&out, "  ");
                format_append_printable(&out, e->summary && *e->summary ? e->summary : "-");
        }
        strbuf_append_char(&out, '\n');
        if (strbuf_error(&out) >= 0) {
                fwrite(out.data, 1, out.len, stdout);
                if (fflush(stdout) != 0 || ferror(stdout)) {
                        /* The reader went away (a closed pipe): stop. */
                        w->failed = 1;
                        sd_event_exit(w->event, EXIT_FAILED);
                }
        }
        strbuf_done(&out);
}

static int on_finding_signal(sd_bus_message *m, void *userdata, sd_bus_error *ret_error) {
        Watch *w = userdata;
        const char *member = sd_bus_message_get_member(m);
        WatchEvent e = {};
        const char *id = NULL, *unit = NULL, *a = NULL, *b = NULL, *c = NULL;
        uint64_t count = 0, last_seen = 0;
        int r;

        if (!member)
                return 0;
        if (strcmp(member, "FindingAdded") == 0) {
                r = sd_bus_message_read(m, "sssss", &id, &unit, &a, &b, &c);
                e = (WatchEvent){
                        .event = "added", .class = a, .severity = b, .state = "open", .summary = c
                };
        } else if (strcmp(member, "FindingUpdated") == 0) {
                r = sd_bus_message_read(m, "ssstt", &id, &unit, &a, &count, &last_seen);
                e = (WatchEvent){ .event = "updated",
                                  .state = a,
                                  .count = count,
                                  .last_seen = last_seen,
                                  .have_count = true };
        } else if (strcmp(member, "FindingResolved") == 0) {
                r = sd_bus_message_read(m, "ss", &id, &unit);
                e = (WatchEvent){ .event = "resolved", .state = "resolved" };
        } else
                return 0;
        if (r < 0) {
                fprintf(stderr, "Ignoring a malformed %s signal: %s\n", member, strerror(-r));
                return 0;
        }
        e.id = id;
        e.unit = unit;

        CachedFinding *cf = cache_get(w, id);
        if (cf) {
                if (e.class) { /* FindingAdded carries all */
                        set_str(&cf->unit, unit);
                        set_str(&cf->class, e.class);
                        set_str(&cf->severity, e.severity);
                        set_str(&cf->summary, e.summary);
                } else {
                        /* The summary changes with the count: ask for it fresh. */
                        cache_refresh(w, cf);
                        e.class = cf->class;
                        e.severity = cf->severity;
                        e.summary = cf->summary;
                }
        }
        print_event(w, &e);
        return 0;
}

static int on_owner_changed(sd_bus_message *m, void *userdata, sd_bus_error *ret_error) {
        const char *name, *old_owner, *new_owner;
        if (sd_bus_message_read(m, "sss", &name, &old_owner, &new_owner) < 0 ||
            strcmp(name, GOGUARD_BUS_NAME) != 0)
                return 0;
        /* Notes for a human, never in the stream of events on stdout. */
        if (*new_owner)
                fprintf(stderr, "goguardd %s, watching on.\n", *old_owner ? "restarted" : "started");
        else
                fprintf(stderr, "goguardd stopped; waiting for it to come back.\n");
        return 0;
}

static int on_exit_signal(sd_event_source *s, const struct signalfd_siginfo *si, void *userdata) {
        return sd_event_exit(sd_event_source_get_event(s), EXIT_OK);
}

static void watch_help(void) {
        printf("goguardctl watch [--json]\n\n"
               "Print goguardd's findings as they are added, updated (repeats, acknowledged) and\n"
               "resolved, one line each, until interrupted. --json prints one JSON object per line.\n"
               "Starts goguardd by D-Bus activation if it is not running, and keeps watching when it\n"
               "restarts.\n");
}

int verb_watch(int argc, char *argv[]) {
        _cleanup_(sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        sd_event *event = NULL;
        Watch w = { .color = colors_enabled() };
        sigset_t mask;
        int r, ret;

        r = parse_verb_options(argc, argv, watch_help);
        if (r >= 0)
                return r;
        if (optind < argc) {
                fprintf(stderr, "goguardctl watch: takes no arguments\n");
                return EXIT_USAGE;
        }
        if (bus_connect_system(&bus) < 0)
                return EXIT_FAILED;
        w.bus = bus;
        r = hashmap_new(&w.cache);
        if (r < 0)
                return EXIT_FAILED;

        sigemptyset(&mask);
        sigaddset(&mask, SIGINT);
        sigaddset(&mask, SIGTERM);
        r = sigprocmask(SIG_BLOCK, &mask, NULL) < 0 ? -errno : sd_event_default(&event);
        if (r >= 0)
                r = sd_event_add_signal(event, NULL, SIGINT, on_exit_signal, NULL);
        if (r >= 0)
                r = sd_event_add_signal(event, NULL, SIGTERM, on_exit_signal, NULL);
        if (r >= 0)
                r = sd_bus_attach_event(bus, event, SD_EVENT_PRIORITY_NORMAL);
        if (r >= 0) /* a lost bus ends the loop with EXIT_FAILURE */
                r = sd_bus_set_exit_on_disconnect(bus, true);
        w.event = event;
        /* Subscribe before goguardd is started, so that nothing it says at start is missed. The
         * sender is the well-known name: the bus delivers signals of whoever owns it, so a
         * restarted goguardd is heard too. */
        if (r >= 0)
                r = sd_bus_add_match(bus, NULL,
                                     "type='signal',sender='" GOGUARD_BUS_NAME
                                     "',path='" GOGUARD_MANAGER_PATH "',interface='" GOGUARD_MANAGER_IFACE
                                     "'",
                                     on_finding_signal, &w);
        if (r >= 0)
                r = sd_bus_add_match(
                        bus, NULL,
                        "type='signal',sender='org.freedesktop.DBus',path='/org/freedesktop/DBus',"
                        "interface='org.freedesktop.DBus',member='NameOwnerChanged',arg0='" GOGUARD_BUS_NAME
                        "'",
                        on_owner_changed, &w);
        if (r < 0) {
                fprintf(stderr, "Failed to subscribe to goguardd's signals: %s\n", strerror(-r));
                ret = EXIT_FAILED;
                goto finish;
        }

        r = bus_call_goguard(bus, GOGUARD_MANAGER_PATH, "org.freedesktop.DBus.Properties", "Get", true,
                             &error, &reply, "ss", GOGUARD_MANAGER_IFACE, "Version");
        if (r < 0) {
                ret = findings_call_failed(bus, "reach goguardd", &error, r, NULL);
                goto finish;
        }

        r = sd_event_loop(event);
        if (r < 0) {
                fprintf(stderr, "Failed to run the event loop: %s\n", strerror(-r));
                ret = EXIT_FAILED;
        } else if (r != EXIT_OK && !w.failed) {
                fprintf(stderr, "Disconnected from the system bus.\n");
                ret = EXIT_FAILED;
        } else
                ret = r;
finish:
        sd_bus_detach_event(bus);
        sd_event_unref(event);
        cache_clear(w.cache);
        return ret;
}
