/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* goguardctl show: a thin client of org.goguard.goguard1. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "bus-print.h"
#include "format.h"
#include "goguardctl.h"
#include "json-writer.h"
#include "strbuf.h"
#include "unit-name.h"

#define LABEL_WIDTH 21

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
        const char *signal_handling;
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
        BusEntries preflight_notes;
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
        { "SignalHandling", BUS_FIELD_STRING, U(signal_handling) },
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
        { "PreflightNotes", BUS_FIELD_PAIRS, U(preflight_notes) },
};

/* Struct members of the Unit properties, named in --json output. */
static const char *const members_module[] = { "path", "version", NULL };
static const char *const members_library[] = { "library", "glibc_version", NULL };
static const char *const members_setting[] = { "key", "value", NULL };
static const char *const members_env[] = { "name", "value", "redacted", NULL };
static const char *const members_env_file[] = { "path", "optional", NULL };
static const char *const members_note[] = { "topic", "text", NULL };

static const BusJsonMembers unit_json_members[] = {
        { "MainModule", members_module },      { "NeededLibraries", members_library },
        { "BuildSettings", members_setting },  { "Environment", members_env },
        { "ProcessEnvironment", members_env }, { "EnvironmentFiles", members_env_file },
        { "PreflightNotes", members_note },
};

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
        field(o, "Signals:", u->signal_handling);
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
        /* What the preflight checks did not judge, or judged fine but worth saying. */
        for (size_t i = 0; i < u->preflight_notes.n; i++) {
                label(o, i == 0 ? "Notes:" : NULL);
                format_append_printable(o, u->preflight_notes.entries[i].second ?: "");
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
