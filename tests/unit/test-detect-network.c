/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The network family from the unit's output: privileged-port, port-in-use and ephemeral-ports,
 * with the network stack's answer as the daemon gives it (or none, offline), and exact summaries,
 * evidence and advice. */
#include "correlate-harness.h"

#define NET "net.service"
#define WEB "web.service"

/* The network stack as the test says it is, and what the detectors asked it. */
static NetProbe answer;
static int answer_r;
static NetProbeQuery asked;
static unsigned n_asked;

static int probe(void *userdata, const NetProbeQuery *q, NetProbe *ret) {
        asked = *q;
        asked.unit = NULL; /* not kept past the call */
        n_asked++;
        if (answer_r < 0)
                return answer_r;
        *ret = answer;
        return 0;
}

static void net_init(Ctx *x, bool online) {
        *x = (Ctx){ .net_probe = online ? probe : NULL };
        ck_assert_int_eq(finding_store_init(&x->store), 0);
        ctx_start(x);
        answer = (NetProbe){ .probed_at = T0 + 5 * SEC,
                             .unprivileged_port_start = 1024,
                             .port_range_low = -1,
                             .port_range_high = -1 };
        snprintf(answer.namespace, sizeof answer.namespace, "goguardd's, the host's");
        answer_r = 0;
        n_asked = 0;
}

static TestUnit *net_unit(Ctx *x, const char *name, const char *user, bool dynamic, uint64_t ambient) {
        TestUnit *u = add_unit(x, name);
        u->settings.user = user ? strdup(user) : NULL;
        u->settings.dynamic_user = dynamic;
        u->settings.ambient_capabilities = ambient;
        u->settings.main_pid = 4711;
        return u;
}

static const char *text(const Finding *f, size_t i) {
        ck_assert_uint_lt(i, f->n_advice);
        return f->advice[i].text;
}

static const char *snippet(const Finding *f, size_t i) {
        ck_assert_uint_lt(i, f->n_advice);
        return f->advice[i].snippet;
}

START_TEST(test_privileged_port) {
        Ctx x;
        net_init(&x, true);
        net_unit(&x, NET, "nobody", false, 0);
        started(&x, T0, NET, INV1);
        ck_assert_int_eq(unit_output(&x, T0 + SEC, NET, INV1,
                                     "2026/12/05 04:26:35 netfail: listen tcp :80: bind: permission denied"),
                         1);
        ck_assert_uint_eq(n_asked, 1);
        ck_assert_int_eq(asked.kind, NET_PROBE_PRIVILEGED_PORT);
        ck_assert_uint_eq(asked.main_pid, 4711);
        ck_assert_uint_eq(asked.port, 80);
        ck_assert(!asked.udp);
        ck_assert_uint_eq(asked.logged_at, T0 + SEC);
        Finding *f = the_finding(&x, FINDING_PRIVILEGED_PORT, NET);
        ck_assert_str_eq(f->summary, NET " is not allowed to bind a privileged port: listen tcp :80 as "
                                         "User=nobody, below 1024");
        ck_assert_str_eq(f->invocation_id, INV1);
        ck_assert_str_eq(ev_str(f, "go_message"), "listen tcp :80: bind: permission denied");
        ck_assert_str_eq(ev_str(f, "net_operation"), "listen");
        ck_assert_str_eq(ev_str(f, "net_network"), "tcp");
        ck_assert_str_eq(ev_str(f, "net_address"), ":80");
        ck_assert_uint_eq(ev_u64(f, "net_port"), 80);
        ck_assert_uint_eq(ev(f, "logged_at")->u, T0 + SEC);
        ck_assert_str_eq(ev_str(f, "journal_cursor"), "s=abc;i=2");
        ck_assert_str_eq(ev_str(f, "User"), "nobody");
        ck_assert(!ev_bool(f, "DynamicUser"));
        ck_assert_str_eq(ev_str(f, "AmbientCapabilities"), "");
        ck_assert_uint_eq(ev_u64(f, "ip_unprivileged_port_start"), 1024);
        ck_assert_str_eq(ev_str(f, "ip_unprivileged_port_start_source"), "read");
        ck_assert_str_eq(ev_str(f, "net_namespace"), "goguardd's, the host's");
        ck_assert_uint_eq(ev(f, "net_probed_at")->u, T0 + 5 * SEC);
        ck_assert_str_eq(ev_str(f, "go_version"), "go1.19.8");
        ck_assert_uint_eq(f->n_advice, 2);
        ck_assert_int_eq(f->advice[0].kind, ADVICE_DROPIN);
        ck_assert_str_eq(text(f, 0), "Ports below 1024 need CAP_NET_BIND_SERVICE, which a unit running as "
                                     "User=nobody does not have. Give it that capability alone:");
        ck_assert_str_eq(snippet(f, 0), "[Service]\nAmbientCapabilities=CAP_NET_BIND_SERVICE\n");
        ck_assert_int_eq(f->advice[1].kind, ADVICE_TEXT);
        ck_assert_str_eq(text(f, 1),
                         "Or let systemd listen: a socket unit of the same name (net.socket with "
                         "ListenStream=80) passes the listening socket to the program, which needs no "
                         "capability then; a Go program takes it with os.NewFile(3, ...) and "
                         "net.FileListener() (LISTEN_FDS, sd_listen_fds(3)).");

        /* Retried: the same occurrence, not asked again. Read again: the same. */
        ck_assert_int_eq(unit_output(&x, T0 + 2 * SEC, NET, INV1, "listen tcp :80: bind: permission denied"),
                         0);
        ck_assert_uint_eq(n_asked, 1);
        ck_assert_uint_eq(f->count, 1);
        /* The next invocation is one more. */
        started(&x, T0 + 10 * SEC, NET, INV2);
        ck_assert_int_eq(
                unit_output(&x, T0 + 11 * SEC, NET, INV2, "listen tcp :80: bind: permission denied"), 1);
        ck_assert_uint_eq(f->count, 2);
        ck_assert_str_eq(f->summary, NET " is not allowed to bind a privileged port: listen tcp :80 as "
                                         "User=nobody, below 1024 (2 times)");
        ck_assert_uint_eq(n_findings(&x), 1);
        ctx_done(&x);
}
END_TEST

START_TEST(test_privileged_port_cases) {
        Ctx x;
        net_init(&x, true);
        net_unit(&x, NET, NULL, true, UINT64_C(1) << 10 | UINT64_C(1) << 13);
        net_unit(&x, WEB, "root", false, 0);
        /* A port at or above the start is not privileged here: EACCES came from elsewhere. */
        answer.unprivileged_port_start = 80;
        ck_assert_int_eq(unit_output(&x, T0, NET, INV1, "listen tcp :80: bind: permission denied"), 0);
        ck_assert_int_eq(unit_output(&x, T0, NET, INV1, "listen tcp :0: bind: permission denied"), 0);
        ck_assert_uint_eq(n_findings(&x), 0);
        answer.unprivileged_port_start = 1024;
        /* DynamicUser= with the capability in its ambient set: the bounding set then. */
        ck_assert_int_eq(unit_output(&x, T0 + SEC, NET, INV1, "listen udp [::]:53: bind: permission denied"),
                         1);
        ck_assert(asked.udp);
        Finding *f = the_finding(&x, FINDING_PRIVILEGED_PORT, NET);
        ck_assert_str_eq(f->summary, NET " is not allowed to bind a privileged port: listen udp [::]:53 as "
                                         "DynamicUser=yes, below 1024");
        ck_assert_str_eq(ev_str(f, "AmbientCapabilities"), "cap_net_bind_service cap_net_raw");
        ck_assert(ev_bool(f, "DynamicUser"));
        ck_assert_str_eq(ev_str(f, "User"), "");
        ck_assert_uint_eq(f->n_advice, 2);
        ck_assert_int_eq(f->advice[0].kind, ADVICE_TEXT);
        ck_assert_str_eq(text(f, 0),
                         "AmbientCapabilities= has CAP_NET_BIND_SERVICE, yet the bind of port 53 "
                         "was refused: CapabilityBoundingSet= must hold it too, and the program "
                         "must not drop it (systemctl show -p CapabilityBoundingSet,NoNewPrivileges "
                         "net.service).");
        ck_assert_str_eq(text(f, 1),
                         "Or let systemd listen: a socket unit of the same name (net.socket with "
                         "ListenDatagram=53) passes the listening socket to the program, which needs no "
                         "capability then; a Go program takes it with os.NewFile(3, ...) and "
                         "net.FileListener() (LISTEN_FDS, sd_listen_fds(3)).");
        /* As root. */
        ck_assert_int_eq(
                unit_output(&x, T0 + SEC, WEB, INV2, "listen tcp 0.0.0.0:443: bind: permission denied"), 1);
        f = the_finding(&x, FINDING_PRIVILEGED_PORT, WEB);
        ck_assert_str_eq(f->summary,
                         WEB " is not allowed to bind a privileged port: listen tcp 0.0.0.0:443 as "
                             "root, below 1024");
        ck_assert_str_eq(text(f, 0),
                         "The unit runs as root, which may bind port 443 only with "
                         "CAP_NET_BIND_SERVICE: CapabilityBoundingSet= removed it, or the program "
                         "dropped it before listening. Keep it in the bounding set (systemctl show "
                         "-p CapabilityBoundingSet web.service).");
        ctx_done(&x);
}
END_TEST

START_TEST(test_privileged_port_offline) {
        Ctx x;
        net_init(&x, false);
        x.include_non_go = true;
        /* A unit nobody knows, the sysctl not read: the kernel's default. */
        ck_assert_int_eq(
                unit_output(&x, T0, "gone.service", INV1, "listen tcp :81: bind: permission denied"), 1);
        Finding *f = the_finding(&x, FINDING_PRIVILEGED_PORT, "gone.service");
        ck_assert_str_eq(f->summary,
                         "gone.service is not allowed to bind a privileged port: listen tcp :81, "
                         "below 1024");
        ck_assert_uint_eq(ev_u64(f, "ip_unprivileged_port_start"), 1024);
        ck_assert_str_eq(ev_str(f, "ip_unprivileged_port_start_source"), "not read: the kernel's default");
        ck_assert(!ev_bool(f, "unit_settings_known"));
        ck_assert_ptr_null(finding_get(f, "User"));
        ck_assert_ptr_null(finding_get(f, "net_namespace"));
        ck_assert_str_eq(text(f, 0), "Ports below 1024 need CAP_NET_BIND_SERVICE, which a unit running as a "
                                     "user other than root does not have. Give it that capability alone:");
        ck_assert_uint_eq(n_asked, 0);
        ctx_done(&x);
}
END_TEST

START_TEST(test_port_in_use) {
        Ctx x;
        net_init(&x, true);
        net_unit(&x, NET, "nobody", false, 0);
        answer.port_held = true;
        snprintf(answer.holder_address, sizeof answer.holder_address, "127.0.0.1:47311");
        snprintf(answer.holder_state, sizeof answer.holder_state, "LISTEN");
        answer.holder_inode = 4242;
        answer.holder_uid = 0;
        answer.holder_pid = 815;
        snprintf(answer.holder_comm, sizeof answer.holder_comm, "netfail");
        snprintf(answer.holder_unit, sizeof answer.holder_unit, WEB);
        ck_assert_int_eq(
                unit_output(&x, T0 + SEC, NET, INV1,
                            "{\"level\":\"fatal\",\"err\":\"listen tcp 127.0.0.1:47311: bind: address "
                            "already in use\"}"),
                1);
        ck_assert_int_eq(asked.kind, NET_PROBE_PORT_HOLDER);
        ck_assert_uint_eq(asked.port, 47311);
        Finding *f = the_finding(&x, FINDING_PORT_IN_USE, NET);
        ck_assert_str_eq(f->summary,
                         NET " found its port already in use: listen tcp 127.0.0.1:47311, held by "
                             "PID 815 (netfail) of web.service");
        ck_assert_str_eq(ev_str(f, "go_message"),
                         "listen tcp 127.0.0.1:47311: bind: address already in use");
        ck_assert_str_eq(ev_str(f, "port_holder"), "PID 815 (netfail) of web.service, on 127.0.0.1:47311");
        ck_assert_uint_eq(ev_u64(f, "port_holder_pid"), 815);
        ck_assert_str_eq(ev_str(f, "port_holder_comm"), "netfail");
        ck_assert_str_eq(ev_str(f, "port_holder_unit"), WEB);
        ck_assert_str_eq(ev_str(f, "port_holder_state"), "LISTEN");
        ck_assert_str_eq(ev_str(f, "port_holder_address"), "127.0.0.1:47311");
        ck_assert_uint_eq(ev_u64(f, "port_holder_uid"), 0);
        ck_assert_uint_eq(f->n_advice, 2);
        ck_assert_str_eq(
                text(f, 0),
                "PID 815 (netfail) of web.service holds the port now. Stop it, or give one of the two "
                "another port.");
        ck_assert_int_eq(f->advice[1].kind, ADVICE_COMMAND);
        ck_assert_str_eq(snippet(f, 1), "ss -Hltnp 'sport = :47311'");

        /* Its own earlier process. */
        snprintf(answer.holder_unit, sizeof answer.holder_unit, NET);
        started(&x, T0 + 10 * SEC, NET, INV2);
        ck_assert_int_eq(unit_output(&x, T0 + 11 * SEC, NET, INV2,
                                     "listen tcp 127.0.0.1:47311: bind: address already in use"),
                         1);
        ck_assert_str_eq(text(f, 0),
                         "The unit itself holds the port: the program listens on it twice, or a "
                         "process of an earlier start still runs (PID 815). Stop it, or have the "
                         "program listen once.");

        /* Its next start finds the port taken, and the holder gone by the time the finding is
         * made: the earlier holder's evidence goes. */
        answer = (NetProbe){ .probed_at = T0 + 25 * SEC, .unprivileged_port_start = -1 };
        started(&x, T0 + 20 * SEC, NET, INV3);
        ck_assert_int_eq(unit_output(&x, T0 + 21 * SEC, NET, INV3,
                                     "listen tcp 127.0.0.1:47311: bind: address already in use"),
                         1);
        ck_assert_uint_eq(f->count, 3);
        ck_assert_str_eq(ev_str(f, "port_holder"), "nothing holds tcp port 47311 now");
        ck_assert_ptr_null(finding_get(f, "port_holder_pid"));
        ck_assert_ptr_null(finding_get(f, "port_holder_unit"));
        ck_assert_ptr_null(finding_get(f, "port_holder_address"));
        ck_assert_str_eq(f->summary, NET
                         " found its port already in use: listen tcp 127.0.0.1:47311, free now (3 times)");

        /* Gone by the time the finding is made. */
        answer = (NetProbe){ .probed_at = T0 + 30 * SEC, .unprivileged_port_start = -1 };
        snprintf(answer.namespace, sizeof answer.namespace, "goguardd's, the host's");
        ck_assert_int_eq(
                unit_output(&x, T0 + 21 * SEC, WEB, INV3, "listen udp :47312: bind: address already in use"),
                1);
        ck_assert(asked.udp);
        f = the_finding(&x, FINDING_PORT_IN_USE, WEB);
        ck_assert_str_eq(f->summary, WEB " found its port already in use: listen udp :47312, free now");
        ck_assert_str_eq(ev_str(f, "port_holder"), "nothing holds udp port 47312 now");
        ck_assert_ptr_null(finding_get(f, "port_holder_pid"));
        ck_assert_str_eq(
                text(f, 0),
                "Nothing holds the port any more: whatever held it when the service started has gone, "
                "e.g. a previous instance that was still stopping, or a service that listens on it "
                "only at times. Order the two (After=, Conflicts=) or give them different ports.");
        ck_assert_str_eq(snippet(f, 1), "ss -Hlunp 'sport = :47312'");
        ctx_done(&x);
}
END_TEST

START_TEST(test_port_in_use_offline) {
        Ctx x;
        net_init(&x, false);
        net_unit(&x, NET, NULL, false, 0);
        ck_assert_int_eq(unit_output(&x, T0, NET, INV1, "listen tcp :47313: bind: address already in use"),
                         1);
        Finding *f = the_finding(&x, FINDING_PORT_IN_USE, NET);
        ck_assert_str_eq(f->summary, NET " found its port already in use: listen tcp :47313");
        ck_assert_str_eq(ev_str(f, "port_holder"),
                         "not known: the network stack was not asked (offline, or the message is old)");
        ck_assert_str_eq(text(f, 0),
                         "Another process held the port when the service started. Offline, only the "
                         "journal is read: what holds it now is not known here; the command below "
                         "shows it on the host.");
        ck_assert_str_eq(snippet(f, 1), "ss -Hltnp 'sport = :47313'");
        ctx_done(&x);
}
END_TEST

START_TEST(test_ephemeral_ports) {
        Ctx x;
        net_init(&x, true);
        net_unit(&x, NET, NULL, false, 0);
        answer.port_range_low = 40000;
        answer.port_range_high = 40009;
        answer.sockets_read = true;
        answer.sockets_in_range = 10;
        answer.seen_port_low = 40000;
        answer.seen_port_high = 40009;
        answer.time_wait = 0;
        snprintf(answer.top_destination, sizeof answer.top_destination, "127.0.0.1:47314");
        answer.top_sockets = 10;
        snprintf(answer.namespace, sizeof answer.namespace, "the unit's (PID 4711)");
        for (int i = 0; i < 3; i++)
                unit_output(&x, T0 + SEC + (uint64_t) i, NET, INV1,
                            "2026/12/05 04:26:35 Get \"http://127.0.0.1:47314/\": dial tcp 127.0.0.1:47314: "
                            "connect: cannot assign requested address");
        ck_assert_uint_eq(n_asked, 1);
        ck_assert_int_eq(asked.kind, NET_PROBE_EPHEMERAL_PORTS);
        Finding *f = the_finding(&x, FINDING_EPHEMERAL_PORTS, NET);
        ck_assert_uint_eq(f->count, 1);
        ck_assert_str_eq(f->summary, NET " ran out of local ports for outgoing connections: dial tcp "
                                         "127.0.0.1:47314, 10 connections on the 10 ports of the range");
        ck_assert_str_eq(ev_str(f, "go_message"),
                         "dial tcp 127.0.0.1:47314: connect: cannot assign requested address");
        ck_assert_str_eq(ev_str(f, "ip_local_port_range"), "40000 40009");
        ck_assert_uint_eq(ev_u64(f, "local_ports_in_use"), 10);
        ck_assert_uint_eq(ev_u64(f, "time_wait_sockets"), 0);
        ck_assert_str_eq(ev_str(f, "top_destination"), "127.0.0.1:47314");
        ck_assert_uint_eq(ev_u64(f, "top_destination_sockets"), 10);
        ck_assert_uint_eq(ev_u64(f, "top_destination_time_wait"), 0);
        ck_assert_str_eq(ev_str(f, "net_namespace"), "the unit's (PID 4711)");
        ck_assert_uint_eq(f->n_advice, 3);
        ck_assert_str_eq(
                text(f, 0),
                "connect() found no free local port: the 10 ports of net.ipv4.ip_local_port_range "
                "(40000-40009) were all taken towards that destination. Now 10 connections use local "
                "ports 40000-40009, 0 of them in TIME_WAIT; most go to 127.0.0.1:47314 (10, 0 in "
                "TIME_WAIT). A Go client that opens a new connection per request uses ports up faster "
                "than TIME_WAIT (60 s) frees them: reuse one http.Client, read response bodies to the "
                "end and close them, and raise http.Transport's MaxIdleConnsPerHost (2 by default).");
        ck_assert_str_eq(ev_str(f, "local_ports_seen"), "40000-40009");
        ck_assert_str_eq(snippet(f, 1),
                         "ss -Htn state time-wait | awk '{ print $4 }' | sort | uniq -c | sort -rn | head");
        ck_assert_str_eq(snippet(f, 2), "echo 'net.ipv4.ip_local_port_range = 15000 65000' "
                                        ">/etc/sysctl.d/90-local-ports.conf && sysctl --system");
        /* A bind() that cannot assign an address is no lack of ports. */
        ck_assert_int_eq(unit_output(&x, T0 + 5 * SEC, WEB, INV2,
                                     "listen tcp 10.9.9.9:80: bind: cannot assign requested address"),
                         0);
        ctx_done(&x);
}
END_TEST

START_TEST(test_ephemeral_ports_range_unread) {
        Ctx x;
        net_init(&x, true);
        net_unit(&x, NET, NULL, false, 0);
        answer.sockets_read = true;
        answer.sockets_in_range = 12;
        answer.time_wait = 2;
        answer.seen_port_low = 40000;
        answer.seen_port_high = 40009;
        snprintf(answer.top_destination, sizeof answer.top_destination, "[::1]:47314");
        answer.top_sockets = 11;
        answer.top_time_wait = 2;
        snprintf(answer.sysctl_note, sizeof answer.sysctl_note,
                 "the unit has a network namespace of its own");
        ck_assert_int_eq(unit_output(&x, T0, NET, INV1,
                                     "dial tcp [::1]:47314: connect: cannot assign requested address"),
                         1);
        Finding *f = the_finding(&x, FINDING_EPHEMERAL_PORTS, NET);
        ck_assert_str_eq(f->summary, NET " ran out of local ports for outgoing connections: dial tcp "
                                         "[::1]:47314, 12 connections on local ports 40000-40009");
        ck_assert_ptr_null(finding_get(f, "ip_local_port_range"));
        ck_assert_str_eq(ev_str(f, "local_ports_seen"), "40000-40009");
        ck_assert_uint_eq(ev_u64(f, "time_wait_sockets"), 2);
        ck_assert_str_eq(
                text(f, 0),
                "connect() found no free local port: every port of net.ipv4.ip_local_port_range was "
                "taken towards that destination (the range was not read: the unit has a network "
                "namespace of its own). Now 12 connections use local ports 40000-40009, 2 of them in "
                "TIME_WAIT; most go to [::1]:47314 (11, 2 in TIME_WAIT). A Go client that opens a new "
                "connection per request uses ports up faster than TIME_WAIT (60 s) frees them: reuse "
                "one http.Client, read response bodies to the end and close them, and raise "
                "http.Transport's MaxIdleConnsPerHost (2 by default).");
        ctx_done(&x);
}
END_TEST

START_TEST(test_ephemeral_ports_offline) {
        Ctx x;
        net_init(&x, false);
        net_unit(&x, NET, NULL, false, 0);
        ck_assert_int_eq(unit_output(&x, T0, NET, INV1,
                                     "dial tcp 10.0.0.1:5432: connect: cannot assign requested address"),
                         1);
        Finding *f = the_finding(&x, FINDING_EPHEMERAL_PORTS, NET);
        ck_assert_str_eq(f->summary,
                         NET " ran out of local ports for outgoing connections: dial tcp 10.0.0.1:5432");
        ck_assert_ptr_null(finding_get(f, "ip_local_port_range"));
        ck_assert_ptr_null(finding_get(f, "time_wait_sockets"));
        ck_assert_str_eq(
                text(f, 0),
                "connect() found no free local port: every port of net.ipv4.ip_local_port_range was "
                "taken towards that destination. A Go client that opens a new connection per request "
                "uses ports up faster than TIME_WAIT (60 s) frees them: reuse one http.Client, read "
                "response bodies to the end and close them, and raise http.Transport's "
                "MaxIdleConnsPerHost (2 by default).");
        ctx_done(&x);
}
END_TEST

START_TEST(test_not_ours) {
        Ctx x;
        net_init(&x, true);
        TestUnit *u = net_unit(&x, NET, "nobody", false, 0);
        u->is_go = false;
        net_unit(&x, WEB, "nobody", false, 0);
        /* A unit known not to be Go: the daemon does not speak about it. */
        ck_assert_int_eq(unit_output(&x, T0, NET, INV1, "listen tcp :80: bind: permission denied"), 0);
        /* Healthy lines, and lines that only look alike. */
        ck_assert_int_eq(unit_output(&x, T0, WEB, INV2, "listening on :80, permission denied for nobody"),
                         0);
        ck_assert_int_eq(unit_output(&x, T0, WEB, INV2, "rebind: address already in use"), 0);
        ck_assert_uint_eq(n_findings(&x), 0);
        ck_assert_uint_eq(n_asked, 0);
        /* The probe failing is the same as offline. */
        answer_r = -EIO;
        ck_assert_int_eq(unit_output(&x, T0, WEB, INV2, "listen tcp :80: bind: permission denied"), 1);
        Finding *f = the_finding(&x, FINDING_PRIVILEGED_PORT, WEB);
        ck_assert_str_eq(ev_str(f, "ip_unprivileged_port_start_source"), "not read: the kernel's default");
        ctx_done(&x);
}
END_TEST

static Suite *detect_network_suite(void) {
        Suite *s = suite_create("detect-network");
        TCase *tc = tcase_create("core");
        tcase_add_test(tc, test_privileged_port);
        tcase_add_test(tc, test_privileged_port_cases);
        tcase_add_test(tc, test_privileged_port_offline);
        tcase_add_test(tc, test_port_in_use);
        tcase_add_test(tc, test_port_in_use_offline);
        tcase_add_test(tc, test_ephemeral_ports);
        tcase_add_test(tc, test_ephemeral_ports_range_unread);
        tcase_add_test(tc, test_ephemeral_ports_offline);
        tcase_add_test(tc, test_not_ours);
        suite_add_tcase(s, tc);
        return s;
}

DEFINE_TEST_MAIN(detect_network_suite)
