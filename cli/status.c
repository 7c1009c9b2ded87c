/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* goguardctl status and goguardctl show: thin clients of org.goguard.goguard1. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "bus-print.h"
#include "format.h"
#include "goguardctl.h"
#include "json-writer.h"
#include "strbuf.h"
#include "unit-name.h"

#define GO_UNITS_MAX 65536u
#define LABEL_WIDTH  21

uint64_t now_realtime(void) {
        struct timespec ts;
        if (clock_gettime(CLOCK_REALTIME, &ts) < 0)
                return 0;
        return (uint64_t) ts.tv_sec * USEC_PER_SEC + (uint64_t) ts.tv_nsec / 1000;
}

static const char *active_state_color(const char *state) {
        if (!colors_enabled() || !state)
                return NULL;
        if (strcmp(state, "active") == 0)
                return ANSI_GREEN;
        if (strcmp(state, "failed") == 0)
                return ANSI_RED;
        return NULL;
}

/* Writes the whole buffer to stdout; returns an exit code. */
int flush_output(StrBuf *out) {
        if (strbuf_error(out) < 0) {
                fprintf(stderr, "goguardctl: out of memory\n");
                strbuf_done(out);
                return EXIT_FAILED;
        }
        if (out->len > 0)
                fwrite(out->data, 1, out->len, stdout);
        strbuf_done(out);
        if (fflush(stdout) != 0 || ferror(stdout)) {
                fprintf(stderr, "goguardctl: failed to write output: %s\n", strerror(errno));
                return EXIT_FAILED;
        }
        return EXIT_OK;
}

/* Parses a verb's options (only --help); returns -1 to go on, or an exit code. */
int parse_verb_options(int argc, char *argv[], void (*help)(void)) {
        static const struct option options[] = {
                { "help", no_argument, NULL, 'h' },
                {},
        };
        int c;

        optind = 0;
        while ((c = getopt_long(argc, argv, "+h", options, NULL)) >= 0)
                switch (c) {
                case 'h': help(); return EXIT_OK;
                default: return EXIT_USAGE;
                }
        return -1;
}

/* ---- when goguardd is not there ---- */

/* What the service manager knows about goguardd.service, to say more than "not running".
 * Everything here is best effort: without systemd it says the generic thing. */
static void explain_not_running(sd_bus *bus, FILE *f, const sd_bus_error *error) {
        _cleanup_free_ char *load_state = NULL, *active_state = NULL;
        static const char *const unit_path = "/org/freedesktop/systemd1/unit/goguardd_2eservice";

        (void) sd_bus_get_property_string(bus, "org.freedesktop.systemd1", unit_path,
                                          "org.freedesktop.systemd1.Unit", "LoadState", NULL, &load_state);
        (void) sd_bus_get_property_string(bus, "org.freedesktop.systemd1", unit_path,
                                          "org.freedesktop.systemd1.Unit", "ActiveState", NULL,
                                          &active_state);

        if (load_state && strcmp(load_state, "not-found") == 0) {
                fprintf(f,
                        "goguardd is not running: %s is not installed on this host.\n"
                        "Install goguard (see goguardd(8)), then start it with: "
                        "systemctl enable --now %s\n",
                        GOGUARD_SERVICE_UNIT, GOGUARD_SERVICE_UNIT);
                return;
        }
        if (load_state && strcmp(load_state, "masked") == 0) {
                fprintf(f,
                        "goguardd is not running: %s is masked.\n"
                        "Unmask and start it with: systemctl unmask %s && systemctl enable --now %s\n",
                        GOGUARD_SERVICE_UNIT, GOGUARD_SERVICE_UNIT, GOGUARD_SERVICE_UNIT);
                return;
        }
        if (active_state &&
            (strcmp(active_state, "activating") == 0 || strcmp(active_state, "reloading") == 0)) {
                fprintf(f, "goguardd is starting up; try again in a moment.\n");
                return;
        }
        if (active_state && strcmp(active_state, "deactivating") == 0) {
                fprintf(f,
                        "goguardd is stopping.\n"
                        "Start it again with: systemctl start %s\n",
                        GOGUARD_SERVICE_UNIT);
                return;
        }

        /* A failed on-demand start says why; "no owner"/"not activatable" adds nothing. */
        bool activation_failed = error && !sd_bus_error_has_name(error, SD_BUS_ERROR_NAME_HAS_NO_OWNER) &&
                                 !sd_bus_error_has_name(error, SD_BUS_ERROR_SERVICE_UNKNOWN);
        if (activation_failed)
                fprintf(f, "goguardd is not running, and starting it on demand failed: %s\n",
                        error->message ?: error->name);
        else
                fprintf(f, "goguardd is not running.\n");
        if (active_state && strcmp(active_state, "failed") == 0)
                fprintf(f,
                        "%s has failed; see why with: journalctl -u %s\n"
                        "Start it again with: systemctl restart %s\n",
                        GOGUARD_SERVICE_UNIT, GOGUARD_SERVICE_UNIT, GOGUARD_SERVICE_UNIT);
        else
                fprintf(f, "Start it with: systemctl start %s (or enable it: systemctl enable --now %s)\n",
                        GOGUARD_SERVICE_UNIT, GOGUARD_SERVICE_UNIT);
}

/* Says on stderr why a call to goguardd failed; returns the exit code. unit: the unit asked
 * about, or NULL. */
int call_failed(sd_bus *bus, const char *what, const sd_bus_error *error, int r, const char *unit) {
        if (bus_error_is_not_running(error)) {
                explain_not_running(bus, stderr, error);
                return EXIT_NOT_RUNNING;
        }
        /* The object can vanish between GetUnit and GetAll: the unit is gone. */
        if (unit && (bus_error_is_goguard(error, "NoSuchUnit") ||
                     sd_bus_error_has_name(error, SD_BUS_ERROR_UNKNOWN_OBJECT) ||
                     sd_bus_error_has_name(error, SD_BUS_ERROR_UNKNOWN_INTERFACE))) {
                fprintf(stderr, "Unit %s is not a watched Go unit (goguardctl status lists them).\n", unit);
                return EXIT_NO_SUCH_UNIT;
        }
        if (unit && bus_error_is_goguard(error, "InvalidUnitName")) {
                fprintf(stderr, "Invalid unit name '%s': %s\n", unit, error->message ?: error->name);
                return EXIT_USAGE;
        }
        if (sd_bus_error_has_name(error, SD_BUS_ERROR_ACCESS_DENIED))
                fprintf(stderr, "Failed to %s: access denied by the bus policy (%s)\n", what,
                        error->message ?: "no message");
        else if (sd_bus_error_has_name(error, SD_BUS_ERROR_NO_REPLY) ||
                 sd_bus_error_has_name(error, SD_BUS_ERROR_TIMEOUT))
                fprintf(stderr, "Failed to %s: goguardd did not answer in time\n", what);
        else
                fprintf(stderr, "Failed to %s: %s\n", what,
                        sd_bus_error_is_set(error) && error->message ? error->message : strerror(-r));
        return EXIT_FAILED;
}

int reply_malformed(const char *what, int r) {
        fprintf(stderr, "Failed to parse the reply to %s: %s\n", what, strerror(-r));
        return EXIT_FAILED;
}

/* ---- status ---- */

typedef struct ManagerInfo {
        const char *version;
        uint64_t start_timestamp;
        uint32_t watched_units;
        uint32_t go_units;
        BusEntries open_findings; /* .first severity, .number count */
        BusEntries sources;       /* .first */
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

/* ---- show ---- */

typedef struct UnitInfo {
        const char *name;
        const char *active_state;
        const char *sub_state;
        const char *invocation_id;
        uint32_t main_pid;
        uint32_t n_restarts;
        const char *result;

        const char *exec_start_path;
        const char *executable;
        const char *go_version;
        const char *main_package;
        BusEntry main_module;
        const char *cgo;
        const char *goos;
        const char *goarch;
        const char *arch_level;
        const char *linking;
        const char *elf_type;
        const char *interpreter;
        BusEntries needed_libraries;
        BusEntries build_settings;

        const char *type;
        const char *restart;
        const char *oom_policy;
        const char *user;
        bool dynamic_user;
        uint64_t limit_nofile;
        uint64_t limit_nofile_soft;
        uint64_t limit_nproc;
        uint64_t limit_nproc_soft;
        uint64_t tasks_max;
        uint64_t memory_max;
        uint64_t memory_high;
        uint64_t memory_limit;
        uint64_t memory_swap_max;
        uint64_t cpu_quota_per_sec_usec;
        uint64_t ambient_capabilities;
        const char *control_group;
        BusEntries environment;
        BusEntries environment_files;
        BusEntries process_environment;

        uint32_t fd_count;
        uint64_t tasks_current;
        uint64_t sample_timestamp;
        uint32_t open_findings;
} UnitInfo;

#define U(field) offsetof(UnitInfo, field)

static const BusField unit_fields[] = {
        { "Name", BUS_FIELD_STRING, U(name) },
        { "ActiveState", BUS_FIELD_STRING, U(active_state) },
        { "SubState", BUS_FIELD_STRING, U(sub_state) },
        { "InvocationID", BUS_FIELD_STRING, U(invocation_id) },
        { "MainPID", BUS_FIELD_U32, U(main_pid) },
        { "NRestarts", BUS_FIELD_U32, U(n_restarts) },
        { "Result", BUS_FIELD_STRING, U(result) },
        { "ExecStartPath", BUS_FIELD_STRING, U(exec_start_path) },
        { "Executable", BUS_FIELD_STRING, U(executable) },
        { "GoVersion", BUS_FIELD_STRING, U(go_version) },
        { "MainPackage", BUS_FIELD_STRING, U(main_package) },
        { "MainModule", BUS_FIELD_PAIR, U(main_module) },
        { "Cgo", BUS_FIELD_STRING, U(cgo) },
        { "GOOS", BUS_FIELD_STRING, U(goos) },
        { "GOARCH", BUS_FIELD_STRING, U(goarch) },
        { "ArchLevel", BUS_FIELD_STRING, U(arch_level) },
        { "Linking", BUS_FIELD_STRING, U(linking) },
        { "ElfType", BUS_FIELD_STRING, U(elf_type) },
        { "Interpreter", BUS_FIELD_STRING, U(interpreter) },
        { "NeededLibraries", BUS_FIELD_PAIRS, U(needed_libraries) },
        { "BuildSettings", BUS_FIELD_PAIRS, U(build_settings) },
        { "Type", BUS_FIELD_STRING, U(type) },
        { "Restart", BUS_FIELD_STRING, U(restart) },
        { "OOMPolicy", BUS_FIELD_STRING, U(oom_policy) },
        { "User", BUS_FIELD_STRING, U(user) },
        { "DynamicUser", BUS_FIELD_BOOL, U(dynamic_user) },
        { "LimitNOFILE", BUS_FIELD_U64, U(limit_nofile) },
        { "LimitNOFILESoft", BUS_FIELD_U64, U(limit_nofile_soft) },
        { "LimitNPROC", BUS_FIELD_U64, U(limit_nproc) },
        { "LimitNPROCSoft", BUS_FIELD_U64, U(limit_nproc_soft) },
        { "TasksMax", BUS_FIELD_U64, U(tasks_max) },
        { "MemoryMax", BUS_FIELD_U64, U(memory_max) },
        { "MemoryHigh", BUS_FIELD_U64, U(memory_high) },
        { "MemoryLimit", BUS_FIELD_U64, U(memory_limit) },
        { "MemorySwapMax", BUS_FIELD_U64, U(memory_swap_max) },
        { "CPUQuotaPerSecUSec", BUS_FIELD_U64, U(cpu_quota_per_sec_usec) },
        { "AmbientCapabilities", BUS_FIELD_U64, U(ambient_capabilities) },
        { "ControlGroup", BUS_FIELD_STRING, U(control_group) },
        { "Environment", BUS_FIELD_TRIPLES, U(environment) },
        { "EnvironmentFiles", BUS_FIELD_FLAGGED, U(environment_files) },
        { "ProcessEnvironment", BUS_FIELD_TRIPLES, U(process_environment) },
        { "FDCount", BUS_FIELD_U32, U(fd_count) },
        { "TasksCurrent", BUS_FIELD_U64, U(tasks_current) },
        { "SampleTimestamp", BUS_FIELD_U64, U(sample_timestamp) },
        { "OpenFindings", BUS_FIELD_U32, U(open_findings) },
};

/* Struct members of the Unit properties, named in --json output. */
static const char *const members_module[] = { "path", "version", NULL };
static const char *const members_library[] = { "library", "glibc_version", NULL };
static const char *const members_setting[] = { "key", "value", NULL };
static const char *const members_env[] = { "name", "value", "redacted", NULL };
static const char *const members_env_file[] = { "path", "optional", NULL };

static const BusJsonMembers unit_json_members[] = {
        { "MainModule", members_module },      { "NeededLibraries", members_library },
        { "BuildSettings", members_setting },  { "Environment", members_env },
        { "ProcessEnvironment", members_env }, { "EnvironmentFiles", members_env_file },
};

/* A unit name as systemctl takes one: without a unit type suffix, ".service" is appended.
 * Returns -EINVAL when the result is not a valid unit name. */
int unit_name_mangle(const char *arg, char **ret) {
        char *s;
        if (unit_name_is_valid(arg))
                s = strdup(arg);
        else if (asprintf(&s, "%s.service", arg) < 0)
                s = NULL;
        if (!s)
                return -ENOMEM;
        if (!unit_name_is_valid(s)) {
                free(s);
                return -EINVAL;
        }
        *ret = s;
        return 0;
}

/* "  Label:               " */
static void label(StrBuf *o, const char *l) {
        strbuf_appendf(o, "  %-*s", LABEL_WIDTH, l ?: "");
}

/* A line with a value from the daemon; "-" when empty. */
static void field(StrBuf *o, const char *l, const char *value) {
        label(o, l);
        format_append_printable(o, value && *value ? value : "-");
        strbuf_append_char(o, '\n');
}

/* A line with a value goguardctl formatted itself. */
static void field_raw(StrBuf *o, const char *l, const char *value) {
        label(o, l);
        strbuf_append(o, value);
        strbuf_append_char(o, '\n');
}

static void field_bytes(StrBuf *o, const char *l, uint64_t v) {
        char buf[FORMAT_BYTES_MAX];
        field_raw(o, l, format_bytes(buf, sizeof buf, v));
}

static void field_limit(StrBuf *o, const char *l, uint64_t soft, uint64_t hard) {
        char a[FORMAT_UINT64_MAX], b[FORMAT_UINT64_MAX];
        label(o, l);
        strbuf_appendf(o, "%s soft, %s hard\n", format_uint64_or_infinity(a, sizeof a, soft),
                       format_uint64_or_infinity(b, sizeof b, hard));
}

static void field_environment(StrBuf *o, const char *l, const BusEntries *env, const char *none) {
        if (env->n == 0) {
                field_raw(o, l, none);
                return;
        }
        for (size_t i = 0; i < env->n; i++) {
                label(o, i == 0 ? l : NULL);
                format_append_printable(o, env->entries[i].first);
                strbuf_append_char(o, '=');
                if (env->entries[i].flag)
                        strbuf_append(o, "(redacted)");
                else
                        format_append_printable(o, env->entries[i].second);
                strbuf_append_char(o, '\n');
        }
}

static void section(StrBuf *o, const char *title) {
        strbuf_appendf(o, "\n%s\n", title);
}

static int unit_to_text(const UnitInfo *u, StrBuf *o) {
        char buf[FORMAT_TIMESPAN_MAX], pct[FORMAT_PERCENT_MAX], ts[FORMAT_TIMESTAMP_MAX],
                rel[FORMAT_TIMESTAMP_RELATIVE_MAX];
        const char *color = active_state_color(u->active_state);
        int r;

        format_append_printable(o, u->name ?: "(unnamed unit)");
        strbuf_append_char(o, '\n');

        section(o, "Unit");
        label(o, "State:");
        strbuf_append(o, color ?: "");
        format_append_printable(o, u->active_state && *u->active_state ? u->active_state : "unknown");
        if (u->sub_state && *u->sub_state &&
            !(u->active_state && strcmp(u->sub_state, u->active_state) == 0)) {
                strbuf_append(o, " (");
                format_append_printable(o, u->sub_state);
                strbuf_append(o, ")");
        }
        strbuf_appendf(o, "%s\n", color ? ANSI_NORMAL : "");
        field(o, "Result:", u->result);
        field(o, "Invocation:", u->invocation_id);
        label(o, "Main PID:");
        if (u->main_pid > 0)
                strbuf_appendf(o, "%" PRIu32 "\n", u->main_pid);
        else
                strbuf_append(o, "-\n");
        label(o, "Restarts:");
        strbuf_appendf(o, "%" PRIu32 "\n", u->n_restarts);
        field(o, "Control group:", u->control_group);
        label(o, "Open findings:");
        strbuf_appendf(o, "%" PRIu32 "\n", u->open_findings);

        section(o, "Executable");
        field(o, "ExecStart:", u->exec_start_path);
        field(o, "Executable:", u->executable);
        field(o, "Go version:", u->go_version);
        if (u->main_package && *u->main_package)
                field(o, "Main package:", u->main_package);
        if (u->main_module.first && *u->main_module.first) {
                label(o, "Main module:");
                format_append_printable(o, u->main_module.first);
                if (u->main_module.second && *u->main_module.second) {
                        strbuf_append_char(o, ' ');
                        format_append_printable(o, u->main_module.second);
                }
                strbuf_append_char(o, '\n');
        }
        field(o, "Cgo:", u->cgo);
        label(o, "Platform:");
        if ((u->goos && *u->goos) || (u->goarch && *u->goarch)) {
                format_append_printable(o, u->goos && *u->goos ? u->goos : "?");
                strbuf_append_char(o, '/');
                format_append_printable(o, u->goarch && *u->goarch ? u->goarch : "?");
        } else
                strbuf_append_char(o, '-');
        if (u->arch_level && *u->arch_level) {
                strbuf_append(o, " (");
                format_append_printable(o, u->arch_level);
                strbuf_append_char(o, ')');
        }
        strbuf_append_char(o, '\n');
        label(o, "Linking:");
        format_append_printable(o, u->linking && *u->linking ? u->linking : "unknown");
        if (u->elf_type && *u->elf_type) {
                strbuf_append(o, ", ELF ");
                format_append_printable(o, u->elf_type);
        }
        strbuf_append_char(o, '\n');
        if (u->interpreter && *u->interpreter)
                field(o, "Interpreter:", u->interpreter);
        for (size_t i = 0; i < u->needed_libraries.n; i++) {
                const BusEntry *e = &u->needed_libraries.entries[i];
                label(o, i == 0 ? "Needed libraries:" : NULL);
                format_append_printable(o, e->first);
                if (e->second && *e->second) {
                        strbuf_append(o, " (needs ");
                        format_append_printable(o, e->second);
                        strbuf_append_char(o, ')');
                }
                strbuf_append_char(o, '\n');
        }
        for (size_t i = 0; i < u->build_settings.n; i++) {
                const BusEntry *e = &u->build_settings.entries[i];
                label(o, i == 0 ? "Build settings:" : NULL);
                format_append_printable(o, e->first);
                strbuf_append_char(o, '=');
                format_append_printable(o, e->second ?: "");
                strbuf_append_char(o, '\n');
        }

        section(o, "Settings");
        field(o, "Type:", u->type);
        field(o, "Restart:", u->restart);
        field(o, "OOMPolicy:", u->oom_policy);
        label(o, "User:");
        if (u->user && *u->user) {
                format_append_printable(o, u->user);
                strbuf_append(o, u->dynamic_user ? " (DynamicUser=yes)\n" : "\n");
        } else
                strbuf_append(o, u->dynamic_user ? "DynamicUser=yes\n" : "root (no User=)\n");
        field_limit(o, "LimitNOFILE:", u->limit_nofile_soft, u->limit_nofile);
        field_limit(o, "LimitNPROC:", u->limit_nproc_soft, u->limit_nproc);
        field_raw(o, "TasksMax:", format_uint64_or_infinity(buf, sizeof buf, u->tasks_max));
        field_bytes(o, "MemoryMax:", u->memory_max);
        field_bytes(o, "MemoryHigh:", u->memory_high);
        field_bytes(o, "MemoryLimit:", u->memory_limit);
        field_bytes(o, "MemorySwapMax:", u->memory_swap_max);
        label(o, "CPUQuota:");
        if (u->cpu_quota_per_sec_usec == UINT64_MAX)
                strbuf_append(o, "infinity\n");
        else
                strbuf_appendf(o, "%s (%s per second)\n",
                               format_cpu_quota(pct, sizeof pct, u->cpu_quota_per_sec_usec),
                               format_timespan(buf, sizeof buf, u->cpu_quota_per_sec_usec));
        if (u->ambient_capabilities == 0)
                field_raw(o, "AmbientCapabilities:", "none");
        else {
                _cleanup_free_ char *caps = NULL;
                r = format_capabilities(u->ambient_capabilities, &caps);
                if (r < 0)
                        return r;
                label(o, "AmbientCapabilities:");
                strbuf_appendf(o, "%s (0x%" PRIx64 ")\n", caps, u->ambient_capabilities);
        }

        section(o, "Environment");
        field_environment(o, "Environment=:", &u->environment, "none");
        if (u->environment_files.n == 0)
                field_raw(o, "EnvironmentFile=:", "none");
        for (size_t i = 0; i < u->environment_files.n; i++) {
                const BusEntry *e = &u->environment_files.entries[i];
                label(o, i == 0 ? "EnvironmentFile=:" : NULL);
                format_append_printable(o, e->first);
                strbuf_append(o, e->flag ? " (optional)\n" : "\n");
        }
        field_environment(o, "Process:", &u->process_environment,
                          u->main_pid > 0 ? "none" : "none (no main process)");

        section(o, "Live");
        if (u->sample_timestamp == 0 || u->sample_timestamp == UINT64_MAX) {
                field_raw(o, "Sampled:", "never (sampled only while the unit runs)");
                return 0;
        }
        char soft[FORMAT_UINT64_MAX], hard[FORMAT_UINT64_MAX];
        label(o, "FDs:");
        strbuf_appendf(o, "%" PRIu32 " (LimitNOFILE %s soft, %s hard)\n", u->fd_count,
                       format_uint64_or_infinity(soft, sizeof soft, u->limit_nofile_soft),
                       format_uint64_or_infinity(hard, sizeof hard, u->limit_nofile));
        label(o, "Tasks:");
        if (u->tasks_current == UINT64_MAX)
                strbuf_append(o, "n/a");
        else
                strbuf_appendf(o, "%" PRIu64, u->tasks_current);
        strbuf_appendf(o, " (TasksMax %s)\n", format_uint64_or_infinity(buf, sizeof buf, u->tasks_max));
        label(o, "Sampled:");
        strbuf_appendf(o, "%s (%s)\n", format_timestamp(ts, sizeof ts, u->sample_timestamp),
                       format_timestamp_relative(rel, sizeof rel, u->sample_timestamp, now_realtime()));
        return 0;
}

static void show_help(void) {
        printf("goguardctl show [--json] UNIT\n\n"
               "Show everything goguardd knows about one watched Go unit: its state, its executable,\n"
               "the unit settings goguardd checks, its environment (values redacted except the Go\n"
               "runtime knobs, PATH, LD_LIBRARY_PATH and HOME) and the live figures it samples.\n"
               "UNIT without a suffix means UNIT.service. Starts goguardd by D-Bus activation if it\n"
               "is not running. --json prints every property of the unit.\n");
}

int verb_show(int argc, char *argv[]) {
        _cleanup_(sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL, *props = NULL;
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_free_ char *name = NULL, *path = NULL;
        UnitInfo u = {};
        StrBuf out = {};
        const char *p;
        int r, ret;

        r = parse_verb_options(argc, argv, show_help);
        if (r >= 0)
                return r;
        if (argc - optind != 1) {
                fprintf(stderr, "goguardctl show: exactly one UNIT is required\n");
                return EXIT_USAGE;
        }
        r = unit_name_mangle(argv[optind], &name);
        if (r == -EINVAL) {
                _cleanup_free_ char *shown = NULL;
                if (format_printable(argv[optind], &shown) < 0)
                        return EXIT_FAILED;
                fprintf(stderr,
                        "Invalid unit name '%s': at most %d characters of [A-Za-z0-9:_.\\-@], with a unit "
                        "type suffix.\n",
                        shown, UNIT_NAME_MAX);
                return EXIT_USAGE;
        }
        if (r < 0) {
                fprintf(stderr, "goguardctl: %s\n", strerror(-r));
                return EXIT_FAILED;
        }

        if (bus_connect_system(&bus) < 0)
                return EXIT_FAILED;

        /* With auto-start: a show is worth starting goguardd for. */
        r = bus_call_goguard(bus, GOGUARD_MANAGER_PATH, GOGUARD_MANAGER_IFACE, "GetUnit", true, &error,
                             &reply, "s", name);
        if (r < 0)
                return call_failed(bus, "look up the unit", &error, r, name);
        r = sd_bus_message_read(reply, "o", &p);
        if (r < 0)
                return reply_malformed("GetUnit", r);
        path = strdup(p);
        if (!path)
                return EXIT_FAILED;

        r = bus_call_goguard(bus, path, "org.freedesktop.DBus.Properties", "GetAll", true, &error, &props,
                             "s", GOGUARD_UNIT_IFACE);
        if (r < 0)
                return call_failed(bus, "read the unit's properties", &error, r, name);

        if (arg_json) {
                JsonWriter w = { .out = &out, .pretty = true };
                r = bus_properties_to_json(props, &w, unit_json_members, ELEMENTSOF(unit_json_members));
                strbuf_append_char(&out, '\n');
                if (r < 0) {
                        strbuf_done(&out);
                        return reply_malformed("GetAll", r);
                }
                return flush_output(&out);
        }

        /* What an older goguardd does not export is unknown, not zero. */
        u.limit_nofile = u.limit_nofile_soft = u.limit_nproc = u.limit_nproc_soft = UINT64_MAX;
        u.tasks_max = u.memory_max = u.memory_high = u.memory_limit = u.memory_swap_max = UINT64_MAX;
        u.cpu_quota_per_sec_usec = u.tasks_current = UINT64_MAX;
        r = bus_read_properties(props, unit_fields, ELEMENTSOF(unit_fields), &u);
        if (r < 0)
                ret = reply_malformed("GetAll", r);
        else {
                r = unit_to_text(&u, &out);
                if (r < 0) {
                        fprintf(stderr, "goguardctl: %s\n", strerror(-r));
                        strbuf_done(&out);
                        ret = EXIT_FAILED;
                } else
                        ret = flush_output(&out);
        }
        bus_free_properties(unit_fields, ELEMENTSOF(unit_fields), &u);
        return ret;
}
