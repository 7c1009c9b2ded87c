/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* goguardctl findings: goguardd's findings over the bus; and what the findings verbs share
 * (errors, the listing, ids and their prefixes). */
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "bus-print.h"
#include "finding-print.h"
#include "format.h"
#include "goguardctl.h"
#include "hashmap.h"
#include "json-writer.h"
#include "strbuf.h"
#include "unit-name.h"

#define LIST_PAGE     1000u  /* ListFindings' maximum per call */
#define LIST_ROWS_MAX 65536u /* goguardd keeps at most 4096 */

/* ---- errors ---- */

/* call_failed() plus the findings' own errors. what: "list findings", ... */
int findings_call_failed(sd_bus *bus, const char *what, const sd_bus_error *error, int r, const char *id) {
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
        FindingRow row = {}; /* host stays NULL: goguardd speaks for one host */
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
int resolve_finding_id(sd_bus *bus, const char *verb, const char *arg, char **ret_id) {
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
