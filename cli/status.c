/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* goguardctl status: a thin client of org.goguard.goguard1. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "bus-print.h"
#include "format.h"
#include "goguardctl.h"
#include "json-writer.h"
#include "strbuf.h"

#define GO_UNITS_MAX 65536u

typedef struct ManagerInfo {
        const char *version;
        uint64_t start_timestamp;
        uint32_t watched_units;
        uint32_t go_units;
        BusEntries open_findings;  /* .first severity, .number count */
        BusEntries sources;        /* .first */
        BusEntries source_details; /* .first source, .second how it is read or why it is not */
        const char *cgroup_version;
        uint64_t journal_entries_read;    /* UINT64_MAX: not reported (an older goguardd) */
        uint64_t journal_entries_skipped; /* likewise */
        uint64_t findings_refused;        /* likewise */
} ManagerInfo;

static const BusField manager_fields[] = {
        { "Version", BUS_FIELD_STRING, offsetof(ManagerInfo, version) },
        { "StartTimestamp", BUS_FIELD_U64, offsetof(ManagerInfo, start_timestamp) },
        { "WatchedUnits", BUS_FIELD_U32, offsetof(ManagerInfo, watched_units) },
        { "GoUnits", BUS_FIELD_U32, offsetof(ManagerInfo, go_units) },
        { "OpenFindingsBySeverity", BUS_FIELD_DICT_STR_U, offsetof(ManagerInfo, open_findings) },
        { "Sources", BUS_FIELD_STRV, offsetof(ManagerInfo, sources) },
        { "SourceDetails", BUS_FIELD_PAIRS, offsetof(ManagerInfo, source_details) },
        { "CGroupVersion", BUS_FIELD_STRING, offsetof(ManagerInfo, cgroup_version) },
        { "JournalEntriesRead", BUS_FIELD_U64, offsetof(ManagerInfo, journal_entries_read) },
        { "JournalEntriesSkipped", BUS_FIELD_U64, offsetof(ManagerInfo, journal_entries_skipped) },
        { "FindingsRefused", BUS_FIELD_U64, offsetof(ManagerInfo, findings_refused) },
};

typedef struct GoUnitRow {
        const char *name;
        const char *object_path;
        const char *go_version;
        const char *active_state;
        const char *cgo;
        const char *linking;
        uint32_t open_findings;
} GoUnitRow;

static int read_go_units(sd_bus_message *reply, GoUnitRow **ret, size_t *ret_n) {
        _cleanup_free_ GoUnitRow *rows = NULL;
        size_t n = 0;
        GoUnitRow row;
        int r;

        r = sd_bus_message_enter_container(reply, 'a', "(sossssu)");
        if (r < 0)
                return r;
        while ((r = sd_bus_message_read(reply, "(sossssu)", &row.name, &row.object_path, &row.go_version,
                                        &row.active_state, &row.cgo, &row.linking, &row.open_findings)) >
               0) {
                if (n >= GO_UNITS_MAX)
                        return -E2BIG;
                GoUnitRow *p = reallocarray(rows, n + 1, sizeof *rows);
                if (!p)
                        return -ENOMEM;
                rows = p;
                rows[n++] = row;
        }
        if (r < 0)
                return r;
        r = sd_bus_message_exit_container(reply);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(rows);
        *ret_n = n;
        return 0;
}

static void status_to_json(const ManagerInfo *mi, const GoUnitRow *rows, size_t n, StrBuf *out) {
        JsonWriter w = { .out = out, .pretty = true };

        json_begin_object(&w);
        json_key(&w, "running");
        json_bool(&w, true);
        json_key(&w, "version");
        json_string(&w, mi->version);
        json_key(&w, "start_timestamp");
        if (mi->start_timestamp == 0 || mi->start_timestamp == UINT64_MAX)
                json_null(&w);
        else
                json_uint(&w, mi->start_timestamp);
        json_key(&w, "sources");
        json_begin_array(&w);
        for (size_t i = 0; i < mi->sources.n; i++)
                json_string(&w, mi->sources.entries[i].first);
        json_end_array(&w);
        json_key(&w, "source_details");
        json_begin_object(&w);
        for (size_t i = 0; i < mi->source_details.n; i++) {
                json_key(&w, mi->source_details.entries[i].first);
                json_string(&w, mi->source_details.entries[i].second);
        }
        json_end_object(&w);
        json_key(&w, "cgroup_version");
        json_string(&w, mi->cgroup_version);
        json_key(&w, "watched_units");
        json_uint(&w, mi->watched_units);
        json_key(&w, "go_units");
        json_uint(&w, mi->go_units);
        json_key(&w, "open_findings");
        json_begin_object(&w);
        for (size_t i = 0; i < mi->open_findings.n; i++) {
                json_key(&w, mi->open_findings.entries[i].first);
                json_uint(&w, mi->open_findings.entries[i].number);
        }
        json_end_object(&w);
        json_key(&w, "journal_entries_read");
        if (mi->journal_entries_read == UINT64_MAX)
                json_null(&w);
        else
                json_uint(&w, mi->journal_entries_read);
        json_key(&w, "journal_entries_skipped");
        if (mi->journal_entries_skipped == UINT64_MAX)
                json_null(&w);
        else
                json_uint(&w, mi->journal_entries_skipped);
        json_key(&w, "findings_refused");
        if (mi->findings_refused == UINT64_MAX)
                json_null(&w);
        else
                json_uint(&w, mi->findings_refused);
        json_key(&w, "units");
        json_begin_array(&w);
        for (size_t i = 0; i < n; i++) {
                json_begin_object(&w);
                json_key(&w, "unit");
                json_string(&w, rows[i].name);
                json_key(&w, "object_path");
                json_string(&w, rows[i].object_path);
                json_key(&w, "go_version");
                json_string(&w, rows[i].go_version);
                json_key(&w, "active_state");
                json_string(&w, rows[i].active_state);
                json_key(&w, "cgo");
                json_string(&w, rows[i].cgo);
                json_key(&w, "linking");
                json_string(&w, rows[i].linking);
                json_key(&w, "open_findings");
                json_uint(&w, rows[i].open_findings);
                json_end_object(&w);
        }
        json_end_array(&w);
        json_end_object(&w);
        strbuf_append_char(out, '\n');
}

enum { COL_UNIT, COL_GO, COL_CGO, COL_LINKING, COL_ACTIVE, COL_FINDINGS, N_COLUMNS };

static void free_cells(char *(*cells)[N_COLUMNS], size_t n) {
        for (size_t i = 0; cells && i < n; i++)
                for (size_t c = 0; c < N_COLUMNS; c++)
                        free(cells[i][c]);
        free(cells);
}

/* The table of Go units, columns as wide as their widest cell. */
static int status_table(const GoUnitRow *rows, size_t n, StrBuf *out) {
        static const char *const headers[N_COLUMNS] = {
                "UNIT", "GO", "CGO", "LINKING", "ACTIVE", "FINDINGS"
        };
        char *(*cells)[N_COLUMNS] = calloc(n, sizeof *cells);
        int r = 0;

        if (!cells && n > 0)
                return -ENOMEM;
        for (size_t i = 0; i < n && r >= 0; i++) {
                const char *v[N_COLUMNS] = { rows[i].name, rows[i].go_version, rows[i].cgo, rows[i].linking,
                                             rows[i].active_state };
                for (size_t c = 0; c < COL_FINDINGS && r >= 0; c++)
                        r = format_printable(v[c] && *v[c] ? v[c] : "-", &cells[i][c]);
                if (r >= 0 && asprintf(&cells[i][COL_FINDINGS], "%" PRIu32, rows[i].open_findings) < 0) {
                        cells[i][COL_FINDINGS] = NULL;
                        r = -ENOMEM;
                }
        }
        if (r < 0) {
                free_cells(cells, n);
                return r;
        }

        _cleanup_free_ const char **colors = calloc(n + 1, sizeof(char *));
        if (!colors) {
                free_cells(cells, n);
                return -ENOMEM;
        }
        for (size_t i = 0; i < n; i++)
                colors[i] = active_state_color(rows[i].active_state);
        format_table(out, headers, N_COLUMNS, (char *const *) cells, n, COL_FINDINGS, COL_ACTIVE, colors);
        free_cells(cells, n);
        return 0;
}

static int status_to_text(const ManagerInfo *mi, const GoUnitRow *rows, size_t n, StrBuf *out) {
        char ts[FORMAT_TIMESTAMP_MAX], rel[FORMAT_TIMESTAMP_RELATIVE_MAX];
        bool color = colors_enabled();

        strbuf_append(out, "goguardd ");
        format_append_printable(out, mi->version ?: "(unknown version)");
        strbuf_appendf(out, " is %srunning%s", color ? ANSI_GREEN : "", color ? ANSI_NORMAL : "");
        if (mi->start_timestamp != 0 && mi->start_timestamp != UINT64_MAX)
                strbuf_appendf(
                        out, " since %s (%s)", format_timestamp(ts, sizeof ts, mi->start_timestamp),
                        format_timestamp_relative(rel, sizeof rel, mi->start_timestamp, now_realtime()));
        strbuf_append(out, "\n");

        strbuf_append(out, "        Sources: ");
        for (size_t i = 0; i < mi->sources.n; i++) {
                if (i > 0)
                        strbuf_append(out, ", ");
                format_append_printable(out, mi->sources.entries[i].first);
        }
        strbuf_append(out, mi->sources.n == 0 ? "none\n" : "\n");
        /* "audit: netlink multicast (CAP_AUDIT_READ)", or why it is not live. */
        for (size_t i = 0; i < mi->source_details.n; i++) {
                strbuf_append(out, "                 ");
                format_append_printable(out, mi->source_details.entries[i].first);
                strbuf_append(out, ": ");
                format_append_printable(out, mi->source_details.entries[i].second);
                strbuf_append(out, "\n");
        }
        strbuf_append(out, "  Cgroup layout: ");
        format_append_printable(out,
                                mi->cgroup_version && *mi->cgroup_version ? mi->cgroup_version : "unknown");
        strbuf_appendf(out, "\n          Units: %" PRIu32 " watched, %" PRIu32 " Go\n", mi->watched_units,
                       mi->go_units);
        strbuf_append(out, "  Open findings: ");
        for (size_t i = 0; i < mi->open_findings.n; i++) {
                if (i > 0)
                        strbuf_append(out, ", ");
                strbuf_appendf(out, "%" PRIu32 " ", mi->open_findings.entries[i].number);
                format_append_printable(out, mi->open_findings.entries[i].first);
        }
        strbuf_append(out, mi->open_findings.n == 0 ? "none\n" : "\n");
        if (mi->journal_entries_read != UINT64_MAX && mi->journal_entries_skipped != UINT64_MAX)
                strbuf_appendf(out, "        Journal: %" PRIu64 " entries read, %" PRIu64 " skipped\n",
                               mi->journal_entries_read, mi->journal_entries_skipped);
        if (mi->findings_refused != UINT64_MAX && mi->findings_refused > 0)
                strbuf_appendf(out,
                               "       Refused: %" PRIu64
                               " occurrences, the findings caps being full of open "
                               "findings\n",
                               mi->findings_refused);

        strbuf_append_char(out, '\n');
        if (n == 0) {
                strbuf_appendf(out, "No Go units among the %" PRIu32 " watched service units.\n",
                               mi->watched_units);
                return 0;
        }
        return status_table(rows, n, out);
}

static void status_help(void) {
        printf("goguardctl status [--json]\n\n"
               "Show whether goguardd runs and since when, the evidence sources it has, and a table\n"
               "of the Go units it watches. Never starts goguardd. Exit status 3 when it is not\n"
               "running.\n");
}

int verb_status(int argc, char *argv[]) {
        _cleanup_(sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *props = NULL, *units = NULL;
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_free_ GoUnitRow *rows = NULL;
        ManagerInfo mi = { .journal_entries_read = UINT64_MAX,
                           .journal_entries_skipped = UINT64_MAX,
                           .findings_refused = UINT64_MAX };
        StrBuf out = {};
        size_t n = 0;
        int r, ret;

        r = parse_verb_options(argc, argv, status_help);
        if (r >= 0)
                return r;
        if (optind < argc) {
                fprintf(stderr, "goguardctl status: takes no arguments\n");
                return EXIT_USAGE;
        }

        if (bus_connect_system(&bus) < 0)
                return EXIT_FAILED;

        /* Never with auto-start: asking whether goguardd runs must not start it. */
        r = bus_call_goguard(bus, GOGUARD_MANAGER_PATH, "org.freedesktop.DBus.Properties", "GetAll", false,
                             &error, &props, "s", GOGUARD_MANAGER_IFACE);
        if (r >= 0) {
                r = bus_read_properties(props, manager_fields, ELEMENTSOF(manager_fields), &mi);
                if (r < 0) {
                        ret = reply_malformed("GetAll", r);
                        goto finish;
                }
                r = bus_call_goguard(bus, GOGUARD_MANAGER_PATH, GOGUARD_MANAGER_IFACE, "ListGoUnits", false,
                                     &error, &units, NULL);
        }
        if (r < 0) {
                if (bus_error_is_not_running(&error)) {
                        /* The answer to "status", not a failure of the command: on stdout. */
                        if (arg_json)
                                printf("{\n  \"running\": false\n}\n");
                        else
                                explain_not_running(bus, stdout, NULL);
                        ret = EXIT_NOT_RUNNING;
                } else
                        ret = call_failed(bus, "ask goguardd for its status", &error, r, NULL);
                goto finish;
        }
        r = read_go_units(units, &rows, &n);
        if (r < 0) {
                ret = reply_malformed("ListGoUnits", r);
                goto finish;
        }

        if (arg_json)
                status_to_json(&mi, rows, n, &out);
        else {
                r = status_to_text(&mi, rows, n, &out);
                if (r < 0) {
                        fprintf(stderr, "goguardctl: %s\n", strerror(-r));
                        strbuf_done(&out);
                        ret = EXIT_FAILED;
                        goto finish;
                }
        }
        ret = flush_output(&out);
finish:
        bus_free_properties(manager_fields, ELEMENTSOF(manager_fields), &mi);
        return ret;
}
