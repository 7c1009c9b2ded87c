/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* goguardd's answer to the network detectors over a /proc of our own making (the Manager's
 * proc_root): whose namespace it reads, the holder of a port found by its socket's inode with its
 * unit, the connections on ephemeral ports by destination, and messages too old to probe. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "manager.h"
#include "net-stack.h"
#include "test-util.h"
#include "time-util.h"

/* goguardd.c defines it; this test has no main() of the daemon. */
int log_debug_enabled = 0;

static char root[] = "/tmp/test-net-stack.XXXXXX";

static void put(const char *rel, const char *content) {
        char path[512], dir[512];
        snprintf(path, sizeof path, "%s/%s", root, rel);
        snprintf(dir, sizeof dir, "%s", path);
        for (char *p = dir + strlen(root) + 1; (p = strchr(p, '/')); p++) {
                *p = 0;
                (void) mkdir(dir, 0755);
                *p = '/';
        }
        FILE *f = fopen(path, "we");
        ck_assert_ptr_nonnull(f);
        fputs(content, f);
        fclose(f);
}

static void link_to(const char *rel, const char *target) {
        char path[512];
        put(rel, "");
        snprintf(path, sizeof path, "%s/%s", root, rel);
        ck_assert_int_eq(unlink(path), 0);
        ck_assert_int_eq(symlink(target, path), 0);
}

#define HEADER                                                                                              \
        "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout "       \
        "inode\n"
#define SOCK(sl, local, remote, st, uid, inode)                                                             \
        "   " sl ": " local " " remote " " st " 00000000:00000000 00:00000000 00000000 " uid " 0 " inode    \
        " 1\n"

static void setup(void) {
        ck_assert_ptr_nonnull(mkdtemp(root));
        /* The host, seen through PID 1: a listener on 127.0.0.1:47271 (inode 4242) of PID 300. */
        link_to("1/ns/net", "net:[4026531840]");
        put("1/net/tcp", HEADER SOCK("0", "0100007F:B8A7", "00000000:0000", "0A", "0", "4242"));
        put("1/net/tcp6", HEADER);
        link_to("self/ns/net", "net:[4026532999]"); /* goguardd's own, PrivateNetwork=yes */
        link_to("299/fd/0", "/dev/null");
        link_to("300/fd/0", "/dev/null");
        link_to("300/fd/3", "socket:[4242]");
        put("300/comm", "netfail\n");
        put("300/cgroup", "0::/system.slice/holder.service\n");
        /* A unit in a namespace of its own: a listener on 40100, three connections to it on
         * 40000-40002 and one in TIME_WAIT on 40003, the accepted ends on 40100. */
        link_to("500/ns/net", "net:[4026533000]");
        put("500/net/tcp",
            HEADER SOCK("0", "0100007F:9CA4", "00000000:0000", "0A", "0",
                        "1") SOCK("1", "0100007F:9C40", "0100007F:9CA4", "01", "0",
                                  "2") SOCK("2", "0100007F:9C41", "0100007F:9CA4", "01", "0", "3")
                    SOCK("3", "0100007F:9C42", "0100007F:9CA4", "01", "0", "4")
                            SOCK("4", "0100007F:9C43", "0100007F:9CA4", "06", "0", "0")
                                    SOCK("5", "0100007F:9CA4", "0100007F:9C40", "01", "0", "5")
                                            SOCK("6", "0100007F:9CA4", "0100007F:9C41", "01", "0", "6"));
}

static void teardown(void) {
        char cmd[128];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
        ck_assert_int_eq(system(cmd), 0);
        snprintf(root, sizeof root, "/tmp/test-net-stack.XXXXXX");
}

START_TEST(test_holder) {
        if (!host_is_little_endian())
                return; /* the tables are a little-endian kernel's */
        Manager m = { .proc_root = root };
        NetProbe p;
        NetProbeQuery q = { .kind = NET_PROBE_PORT_HOLDER,
                            .unit = "inuse.service",
                            .logged_at = now_usec(CLOCK_REALTIME),
                            .port = 47271 };
        ck_assert_int_eq(manager_net_probe(&m, &q, &p), 0);
        ck_assert_uint_ge(p.probed_at, q.logged_at);
        ck_assert_str_eq(p.namespace, "the host's (PID 1's): no process of the unit lives");
        ck_assert_str_eq(p.sysctl_note,
                         "goguardd runs in a network namespace of its own, PrivateNetwork=yes");
        ck_assert(p.port_held);
        ck_assert_str_eq(p.holder_address, "127.0.0.1:47271");
        ck_assert_str_eq(p.holder_state, "LISTEN");
        ck_assert_uint_eq(p.holder_inode, 4242);
        ck_assert_uint_eq(p.holder_pid, 300);
        ck_assert_str_eq(p.holder_comm, "netfail");
        ck_assert_str_eq(p.holder_unit, "holder.service");
        ck_assert(!p.scan_capped);
        /* A port nobody holds; a udp port (no udp tables here: nothing known). */
        q.port = 47272;
        ck_assert_int_eq(manager_net_probe(&m, &q, &p), 0);
        ck_assert(!p.port_held);
        ck_assert_uint_eq(p.holder_pid, 0);
        /* A unit whose process lives and shares the host's namespace. */
        link_to("700/ns/net", "net:[4026531840]");
        put("700/net/tcp", HEADER SOCK("0", "0100007F:B8A7", "00000000:0000", "0A", "0", "4242"));
        q.main_pid = 700;
        q.port = 47271;
        ck_assert_int_eq(manager_net_probe(&m, &q, &p), 0);
        ck_assert_str_eq(p.namespace, "the host's, which the unit shares");
        ck_assert_uint_eq(p.holder_pid, 300);
        /* An old message (a journal read again): what holds the port now says nothing about then. */
        q.logged_at = now_usec(CLOCK_REALTIME) - 61 * 1000000ull;
        ck_assert_int_eq(manager_net_probe(&m, &q, &p), -ESTALE);
}
END_TEST

START_TEST(test_ephemeral) {
        if (!host_is_little_endian())
                return;
        Manager m = { .proc_root = root };
        NetProbe p;
        NetProbeQuery q = { .kind = NET_PROBE_EPHEMERAL_PORTS,
                            .unit = "eph.service",
                            .main_pid = 500,
                            .logged_at = now_usec(CLOCK_REALTIME) };
        ck_assert_int_eq(manager_net_probe(&m, &q, &p), 0);
        ck_assert_str_eq(p.namespace, "the unit's own (PID 500's)");
        ck_assert_str_eq(p.sysctl_note, "the unit has a network namespace of its own");
        ck_assert_int_eq(p.port_range_low, -1);
        ck_assert(p.sockets_read);
        /* The listener's accepted ends are not on ephemeral ports. */
        ck_assert_uint_eq(p.sockets_in_range, 4);
        ck_assert_uint_eq(p.time_wait, 1);
        ck_assert_uint_eq(p.seen_port_low, 40000);
        ck_assert_uint_eq(p.seen_port_high, 40003);
        ck_assert_str_eq(p.top_destination, "127.0.0.1:40100");
        ck_assert_uint_eq(p.top_sockets, 4);
        ck_assert_uint_eq(p.top_time_wait, 1);
}
END_TEST

START_TEST(test_sysctls_read_in_own_namespace) {
        /* goguardd in the host's namespace (without PrivateNetwork=): the sysctls are its own
         * /proc/sys's, the real ones. */
        Manager m = { .proc_root = root };
        link_to("self/ns/net", "net:[4026531840]");
        NetProbe p;
        NetProbeQuery q = { .kind = NET_PROBE_PRIVILEGED_PORT,
                            .unit = "priv.service",
                            .logged_at = now_usec(CLOCK_REALTIME),
                            .port = 80 };
        ck_assert_int_eq(manager_net_probe(&m, &q, &p), 0);
        ck_assert_str_eq(p.sysctl_note, "");
        FILE *f = fopen("/proc/sys/net/ipv4/ip_unprivileged_port_start", "re");
        if (!f)
                return;
        long long v = -2;
        ck_assert_int_eq(fscanf(f, "%lld", &v), 1);
        fclose(f);
        ck_assert_int_eq(p.unprivileged_port_start, v);
}
END_TEST

static Suite *net_stack_suite(void) {
        Suite *s = suite_create("net-stack");
        TCase *tc = tcase_create("core");
        tcase_add_checked_fixture(tc, setup, teardown);
        tcase_add_test(tc, test_holder);
        tcase_add_test(tc, test_ephemeral);
        tcase_add_test(tc, test_sysctls_read_in_own_namespace);
        suite_add_tcase(s, tc);
        return s;
}

DEFINE_TEST_MAIN(net_stack_suite)
