/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <string.h>

#include "evidence-key.h"

/* Sorted by key (strcmp order) for bsearch(); test-evidence-key checks the order. */
static const EvidenceKey keys[] = {
        { "AmbientCapabilities", EVIDENCE_KIND_STRING, true },
        { "DynamicUser", EVIDENCE_KIND_FLAG, true },
        { "GOGC", EVIDENCE_KIND_STRING, true },
        { "GOMEMLIMIT", EVIDENCE_KIND_STRING, true },
        { "GOMEMLIMIT_source", EVIDENCE_KIND_STRING, true },
        { "GOTRACEBACK", EVIDENCE_KIND_STRING, true },
        { "GOTRACEBACK_source", EVIDENCE_KIND_STRING, true },
        { "KillMode", EVIDENCE_KIND_STRING, true },
        { "KillSignal", EVIDENCE_KIND_STRING, true },
        { "LimitNOFILE", EVIDENCE_KIND_COUNT, true },
        { "LimitNOFILESoft", EVIDENCE_KIND_COUNT, true },
        { "LimitNPROC", EVIDENCE_KIND_COUNT, true },
        { "LimitNPROCSoft", EVIDENCE_KIND_COUNT, true },
        { "MemoryHigh", EVIDENCE_KIND_BYTES, true },
        { "MemoryLimit", EVIDENCE_KIND_BYTES, true },
        { "MemoryMax", EVIDENCE_KIND_BYTES, true },
        { "MemorySwapMax", EVIDENCE_KIND_BYTES, true },
        { "NRestarts", EVIDENCE_KIND_COUNT, true },
        { "OOMPolicy", EVIDENCE_KIND_STRING, true },
        { "Restart", EVIDENCE_KIND_STRING, true },
        { "RestartUSec", EVIDENCE_KIND_TIMESPAN, true },
        { "StartLimitBurst", EVIDENCE_KIND_COUNT, true },
        { "StartLimitIntervalUSec", EVIDENCE_KIND_TIMESPAN, true },
        { "TasksCurrent", EVIDENCE_KIND_COUNT, false },
        { "TasksMax", EVIDENCE_KIND_COUNT, true },
        { "TimeoutStartUSec", EVIDENCE_KIND_TIMESPAN, true },
        { "TimeoutStopUSec", EVIDENCE_KIND_TIMESPAN, true },
        { "Type", EVIDENCE_KIND_STRING, true },
        { "UnitResult", EVIDENCE_KIND_STRING, false },
        { "User", EVIDENCE_KIND_STRING, true },
        { "WatchdogUSec", EVIDENCE_KIND_TIMESPAN, true },
        { "anon_rss_kb", EVIDENCE_KIND_KIB, false },
        { "attributed_by", EVIDENCE_KIND_STRING, false },
        { "boot_id", EVIDENCE_KIND_STRING, false },
        { "cause_class", EVIDENCE_KIND_STRING, false },
        { "cause_exit", EVIDENCE_KIND_STRING, false },
        { "cause_finding_id", EVIDENCE_KIND_STRING, false },
        { "cause_summary", EVIDENCE_KIND_STRING, false },
        { "checked_at", EVIDENCE_KIND_TIMESTAMP, false },
        { "comm", EVIDENCE_KIND_STRING, false },
        { "constraint", EVIDENCE_KIND_STRING, false },
        { "crash_detail", EVIDENCE_KIND_STRING, false },
        { "crash_file", EVIDENCE_KIND_STRING, false },
        { "crash_frames", EVIDENCE_KIND_COUNT, false },
        { "crash_function", EVIDENCE_KIND_STRING, false },
        { "crash_kind", EVIDENCE_KIND_STRING, false },
        { "crash_signature", EVIDENCE_KIND_STRING, false },
        { "crash_trace", EVIDENCE_KIND_STRING, false },
        { "crash_trace_complete", EVIDENCE_KIND_FLAG, false },
        { "crash_trace_end", EVIDENCE_KIND_STRING, false },
        { "crash_trace_lines", EVIDENCE_KIND_COUNT, false },
        { "crash_trace_lines_dropped", EVIDENCE_KIND_COUNT, false },
        { "denial_boolean", EVIDENCE_KIND_STRING, false },
        { "denial_boolean_source", EVIDENCE_KIND_STRING, false },
        { "denial_class", EVIDENCE_KIND_STRING, false },
        { "denial_comm", EVIDENCE_KIND_STRING, false },
        { "denial_exe", EVIDENCE_KIND_STRING, false },
        { "denial_expected_type", EVIDENCE_KIND_STRING, false },
        { "denial_mac", EVIDENCE_KIND_STRING, false },
        { "denial_mode", EVIDENCE_KIND_STRING, false },
        { "denial_node", EVIDENCE_KIND_STRING, false },
        { "denial_operation", EVIDENCE_KIND_STRING, false },
        { "denial_permissions", EVIDENCE_KIND_STRING, false },
        { "denial_pid", EVIDENCE_KIND_COUNT, false },
        { "denial_record", EVIDENCE_KIND_STRING, false },
        { "denial_record_type", EVIDENCE_KIND_STRING, false },
        { "denial_source_context", EVIDENCE_KIND_STRING, false },
        { "denial_source_type", EVIDENCE_KIND_STRING, false },
        { "denial_target", EVIDENCE_KIND_STRING, false },
        { "denial_target_context", EVIDENCE_KIND_STRING, false },
        { "denial_target_type", EVIDENCE_KIND_STRING, false },
        { "denial_unit_file", EVIDENCE_KIND_STRING, false },
        { "discriminator", EVIDENCE_KIND_STRING, false },
        { "dns_build_tags", EVIDENCE_KIND_STRING, true },
        { "dns_cgo_enabled", EVIDENCE_KIND_FLAG, true },
        { "dns_error", EVIDENCE_KIND_STRING, false },
        { "dns_failure", EVIDENCE_KIND_STRING, false },
        { "dns_godebug_netdns", EVIDENCE_KIND_STRING, true },
        { "dns_godebug_netdns_source", EVIDENCE_KIND_STRING, true },
        { "dns_name", EVIDENCE_KIND_STRING, false },
        { "dns_private_network", EVIDENCE_KIND_FLAG, true },
        { "dns_probe_at", EVIDENCE_KIND_TIMESTAMP, false },
        { "dns_probe_error", EVIDENCE_KIND_STRING, false },
        { "dns_probe_rcode", EVIDENCE_KIND_STRING, false },
        { "dns_probe_result", EVIDENCE_KIND_STRING, false },
        { "dns_probe_rtt_usec", EVIDENCE_KIND_TIMESPAN, false },
        { "dns_probe_server", EVIDENCE_KIND_STRING, false },
        { "dns_probe_timeout_usec", EVIDENCE_KIND_TIMESPAN, false },
        { "dns_resolv_conf", EVIDENCE_KIND_STRING, true },
        { "dns_resolv_conf_basis", EVIDENCE_KIND_STRING, true },
        { "dns_resolv_conf_bind", EVIDENCE_KIND_STRING, true },
        { "dns_resolv_conf_error", EVIDENCE_KIND_STRING, true },
        { "dns_resolv_conf_nameservers", EVIDENCE_KIND_STRING, true },
        { "dns_resolv_conf_options", EVIDENCE_KIND_STRING, true },
        { "dns_resolv_conf_search", EVIDENCE_KIND_STRING, true },
        { "dns_resolver", EVIDENCE_KIND_STRING, true },
        { "dns_resolver_basis", EVIDENCE_KIND_STRING, true },
        { "dns_root_directory", EVIDENCE_KIND_STRING, true },
        { "dns_root_image", EVIDENCE_KIND_STRING, true },
        { "dns_server", EVIDENCE_KIND_STRING, false },
        /* selinux-exec-label */
        { "exec_label", EVIDENCE_KIND_STRING, false },
        { "exec_label_expected", EVIDENCE_KIND_STRING, false },
        { "exec_label_path", EVIDENCE_KIND_STRING, false },
        { "fatal_message", EVIDENCE_KIND_STRING, false },
        { "fd_anon_inodes", EVIDENCE_KIND_COUNT, false },
        { "fd_count", EVIDENCE_KIND_COUNT, false },
        { "fd_files", EVIDENCE_KIND_COUNT, false },
        { "fd_growth_per_min", EVIDENCE_KIND_COUNT, false },
        { "fd_kinds_read", EVIDENCE_KIND_COUNT, false },
        { "fd_operation", EVIDENCE_KIND_STRING, false },
        { "fd_other", EVIDENCE_KIND_COUNT, false },
        { "fd_pipes", EVIDENCE_KIND_COUNT, false },
        { "fd_sampled_at", EVIDENCE_KIND_TIMESTAMP, false },
        { "fd_samples", EVIDENCE_KIND_COUNT, false },
        { "fd_sockets", EVIDENCE_KIND_COUNT, false },
        { "go_create_attempts", EVIDENCE_KIND_COUNT, false },
        { "go_errno", EVIDENCE_KIND_COUNT, false },
        { "go_message", EVIDENCE_KIND_STRING, false },
        { "go_message_detail", EVIDENCE_KIND_STRING, false },
        { "go_module", EVIDENCE_KIND_STRING, false },
        { "go_module_replaced_by", EVIDENCE_KIND_STRING, false },
        { "go_module_version", EVIDENCE_KIND_STRING, false },
        { "go_thread_count", EVIDENCE_KIND_COUNT, false },
        { "go_thread_limit", EVIDENCE_KIND_COUNT, false },
        { "go_version", EVIDENCE_KIND_STRING, true },
        { "goguardd_finding_id", EVIDENCE_KIND_STRING, false }, /* fleet: analyze merged goguardd's entry */
        { "goroutine", EVIDENCE_KIND_COUNT, false },
        { "goroutine_created_by", EVIDENCE_KIND_STRING, false },
        { "goroutine_state", EVIDENCE_KIND_STRING, false },
        { "goroutines_printed", EVIDENCE_KIND_COUNT, false },
        { "ip_local_port_range", EVIDENCE_KIND_STRING, true },
        { "ip_unprivileged_port_start", EVIDENCE_KIND_COUNT, true },
        { "ip_unprivileged_port_start_source", EVIDENCE_KIND_STRING, true },
        { "journal_cursor", EVIDENCE_KIND_STRING, false },
        { "kernel_limit_kb", EVIDENCE_KIND_KIB, false },
        { "kernel_pid", EVIDENCE_KIND_COUNT, false },
        { "kernel_threads_max", EVIDENCE_KIND_COUNT, true },
        { "killed_at", EVIDENCE_KIND_TIMESTAMP, false },
        { "limit_reached", EVIDENCE_KIND_STRING, false },
        { "local_ports_in_use", EVIDENCE_KIND_COUNT, false },
        { "local_ports_seen", EVIDENCE_KIND_STRING, false },
        { "logged_at", EVIDENCE_KIND_TIMESTAMP, false },
        { "main_process_exit", EVIDENCE_KIND_STRING, false },
        { "memory_limit_bytes", EVIDENCE_KIND_BYTES, false },
        { "net_address", EVIDENCE_KIND_STRING, false },
        { "net_namespace", EVIDENCE_KIND_STRING, false },
        { "net_network", EVIDENCE_KIND_STRING, false },
        { "net_operation", EVIDENCE_KIND_STRING, false },
        { "net_port", EVIDENCE_KIND_COUNT, false },
        { "net_probed_at", EVIDENCE_KIND_TIMESTAMP, false },
        { "nofile_limit", EVIDENCE_KIND_COUNT, true },
        { "nofile_limit_basis", EVIDENCE_KIND_STRING, true },
        { "nproc_shared_units", EVIDENCE_KIND_COUNT, false },
        { "nproc_shared_with", EVIDENCE_KIND_STRING, false },
        { "oom_memcg", EVIDENCE_KIND_STRING, false },
        { "panic_first_value", EVIDENCE_KIND_STRING, false },
        { "panic_recovered", EVIDENCE_KIND_FLAG, false },
        { "panic_value", EVIDENCE_KIND_STRING, false },
        { "panics_chained", EVIDENCE_KIND_COUNT, false },
        { "port_holder", EVIDENCE_KIND_STRING, false },
        { "port_holder_address", EVIDENCE_KIND_STRING, false },
        { "port_holder_comm", EVIDENCE_KIND_STRING, false },
        { "port_holder_pid", EVIDENCE_KIND_COUNT, false },
        { "port_holder_state", EVIDENCE_KIND_STRING, false },
        { "port_holder_uid", EVIDENCE_KIND_COUNT, false },
        { "port_holder_unit", EVIDENCE_KIND_STRING, false },
        { "ran_for_usec", EVIDENCE_KIND_TIMESPAN, false },
        { "reported_by", EVIDENCE_KIND_STRING, false }, /* fleet: a finding as goguardd logged it */
        { "resolved_by", EVIDENCE_KIND_STRING, false },
        { "restart_counter", EVIDENCE_KIND_COUNT, false },
        { "restarts_by_cause", EVIDENCE_KIND_STRING, false },
        { "same_cause_restarts", EVIDENCE_KIND_COUNT, false },
        { "same_crash_count", EVIDENCE_KIND_COUNT, false },
        { "sd_notify_module", EVIDENCE_KIND_STRING, false },
        /* selinux-exec-label */
        { "selinux_mode", EVIDENCE_KIND_STRING, false },
        { "selinux_policy", EVIDENCE_KIND_STRING, false },
        { "signal", EVIDENCE_KIND_STRING, false },
        { "signal_addr", EVIDENCE_KIND_STRING, false },
        { "signal_code", EVIDENCE_KIND_STRING, false },
        { "signal_pc", EVIDENCE_KIND_STRING, false },
        { "start_limit_hit", EVIDENCE_KIND_FLAG, false },
        { "systemd_message", EVIDENCE_KIND_STRING, false },
        { "systemd_reported_oom", EVIDENCE_KIND_FLAG, false },
        { "task_memcg", EVIDENCE_KIND_STRING, false },
        { "tasks_near_samples", EVIDENCE_KIND_COUNT, false },
        { "tasks_sampled_at", EVIDENCE_KIND_TIMESTAMP, false },
        { "time_wait_sockets", EVIDENCE_KIND_COUNT, false },
        { "top_destination", EVIDENCE_KIND_STRING, false },
        { "top_destination_sockets", EVIDENCE_KIND_COUNT, false },
        { "top_destination_time_wait", EVIDENCE_KIND_COUNT, false },
        { "total_vm_kb", EVIDENCE_KIND_KIB, false },
        { "unit_settings_known", EVIDENCE_KIND_FLAG, true },
};

const EvidenceKey *evidence_key_table(size_t *ret_n) {
        *ret_n = ELEMENTSOF(keys);
        return keys;
}

static int compare_key(const void *a, const void *b) {
        return strcmp(a, ((const EvidenceKey *) b)->key);
}

const EvidenceKey *evidence_key_lookup(const char *key) {
        return key ? bsearch(key, keys, ELEMENTSOF(keys), sizeof keys[0], compare_key) : NULL;
}

EvidenceType evidence_kind_type(EvidenceKind k) {
        switch (k) {
        case EVIDENCE_KIND_STRING: return EVIDENCE_STRING;
        case EVIDENCE_KIND_FLAG: return EVIDENCE_BOOL;
        case EVIDENCE_KIND_TIMESTAMP: return EVIDENCE_USEC;
        default: return EVIDENCE_U64;
        }
}

const char *evidence_kind_to_string(EvidenceKind k) {
        static const char *const names[_EVIDENCE_KIND_MAX] = {
                [EVIDENCE_KIND_STRING] = "string",     [EVIDENCE_KIND_FLAG] = "flag",
                [EVIDENCE_KIND_COUNT] = "count",       [EVIDENCE_KIND_BYTES] = "bytes",
                [EVIDENCE_KIND_KIB] = "KiB",           [EVIDENCE_KIND_TIMESTAMP] = "timestamp",
                [EVIDENCE_KIND_TIMESPAN] = "timespan",
        };
        return k >= 0 && k < _EVIDENCE_KIND_MAX ? names[k] : NULL;
}

int finding_check_evidence(const Finding *f, const char **ret_key) {
        for (size_t i = 0; i < f->n_evidence; i++) {
                const EvidenceKey *k = evidence_key_lookup(f->evidence[i].key);
                if (!k || evidence_kind_type(k->kind) != f->evidence[i].type) {
                        *ret_key = f->evidence[i].key;
                        return k ? -EINVAL : -ENOKEY;
                }
        }
        return 0;
}
