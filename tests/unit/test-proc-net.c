/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>

#include "macro.h"
#include "proc-net.h"
#include "test-util.h"

/* As the kernel prints them on a little-endian machine (the addresses are host-order words). */
#define TCP_HEADER                                                                                          \
        "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout "       \
        "inode\n"
#define TCP_LISTEN                                                                                          \
        "   0: 0100007F:B8A7 00000000:0000 0A 00000000:00000000 00:00000000 00000000   998        0 4242 "  \
        "1 "                                                                                                \
        "0000000000000000 100 0 0 10 0\n"
#define TCP_TW                                                                                              \
        "   1: 0100007F:9C41 0100000A:1538 06 00000000:00000000 03:00000F9B 00000000     0        0 0 3 "   \
        "0000000000000000\n"
#define TCP_EST                                                                                             \
        "   2: 0100007F:9C42 0100000A:1538 01 00000000:00000000 00:00000000 00000000  1000        0 777 1 " \
        "0000000000000000 20 4 30 10 -1\n"
#define TCP6_LISTEN                                                                                         \
        "   0: 00000000000000000000000001000000:0050 00000000000000000000000000000000:0000 0A "             \
        "00000000:00000000 00:00000000 00000000     0        0 26001 1 0000000000000000 100 0 0 10 0\n"

START_TEST(test_parse) {
        if (!host_is_little_endian())
                return; /* the fixture is a little-endian kernel's */
        static const char buf[] = TCP_HEADER TCP_LISTEN "garbage\n" TCP_TW TCP_EST;
        size_t pos = 0;
        ProcNetSocket s;
        char a[64];
        ck_assert_int_eq(proc_net_next(buf, strlen(buf), &pos, AF_INET, &s), 1);
        ck_assert_int_eq(s.family, AF_INET);
        proc_net_format(s.family, s.local, s.local_port, a, sizeof a);
        ck_assert_str_eq(a, "127.0.0.1:47271");
        ck_assert_uint_eq(s.state, TCP_STATE_LISTEN);
        ck_assert_str_eq(tcp_state_name(s.state), "LISTEN");
        ck_assert_uint_eq(s.uid, 998);
        ck_assert_uint_eq(s.inode, 4242);
        ck_assert(proc_net_holds_port(&s, false, 47271));
        ck_assert(!proc_net_holds_port(&s, false, 47272));
        ck_assert_int_eq(proc_net_next(buf, strlen(buf), &pos, AF_INET, &s), 1);
        ck_assert_str_eq(tcp_state_name(s.state), "TIME_WAIT");
        proc_net_format(s.family, s.remote, s.remote_port, a, sizeof a);
        ck_assert_str_eq(a, "10.0.0.1:5432");
        ck_assert_uint_eq(s.local_port, 40001);
        ck_assert_uint_eq(s.inode, 0);
        ck_assert(!proc_net_holds_port(&s, false, 40001));
        ck_assert(proc_net_holds_port(&s, true, 40001));
        ck_assert_int_eq(proc_net_next(buf, strlen(buf), &pos, AF_INET, &s), 1);
        ck_assert_uint_eq(s.state, TCP_STATE_ESTABLISHED);
        ck_assert_uint_eq(s.uid, 1000);
        ck_assert_int_eq(proc_net_next(buf, strlen(buf), &pos, AF_INET, &s), 0);
        ck_assert_uint_eq(pos, strlen(buf));

        static const char buf6[] = TCP_HEADER TCP6_LISTEN;
        pos = 0;
        ck_assert_int_eq(proc_net_next(buf6, strlen(buf6), &pos, AF_INET6, &s), 1);
        proc_net_format(s.family, s.local, s.local_port, a, sizeof a);
        ck_assert_str_eq(a, "[::1]:80");
        ck_assert_uint_eq(s.inode, 26001);
        /* The wrong family's lines do not parse. */
        pos = 0;
        ck_assert_int_eq(proc_net_next(buf6, strlen(buf6), &pos, AF_INET, &s), 0);
}
END_TEST

START_TEST(test_malformed) {
        ProcNetSocket s;
        static const char *const bad[] = {
                "",
                "   0:",
                "   0: 0100007F:B8A7",
                "   0: 0100007F:B8A7 00000000:0000",
                "   0: 0100007F:B8A7 00000000:0000 0A 00000000:00000000 00:00000000 00000000   998        0",
                "   0: 0100007F:B8A7 00000000:0000 0A 00000000:00000000 00:00000000 00000000   998        0 "
                "x",
                "   0: 0100007G:B8A7 00000000:0000 0A 00000000:00000000 00:00000000 00000000   998        0 "
                "1",
                "   0: 0100007F:B8A 00000000:0000 0A 00000000:00000000 00:00000000 00000000   998        0 "
                "1",
                "   0: 0100007F:B8A7 00000000:0000 0A 00000000:00000000 00:00000000 00000000 99999999999 0 "
                "1",
                "   x: 0100007F:B8A7 00000000:0000 0A 00000000:00000000 00:00000000 00000000   998        0 "
                "1",
                "   0: 0100007F:B8A7 00000000:0000 A 00000000:00000000 00:00000000 00000000   998        0 "
                "1",
        };
        for (size_t i = 0; i < ELEMENTSOF(bad); i++)
                ck_assert_msg(proc_net_parse_line(bad[i], strlen(bad[i]), AF_INET, &s) == -EBADMSG, "%s",
                              bad[i]);
        ck_assert_int_eq(proc_net_parse_line("", 0, AF_UNIX, &s), -EINVAL);
        /* Not NUL-terminated: the length is the end. */
        const char *line = TCP_LISTEN;
        ck_assert_int_eq(proc_net_parse_line(line, strlen(line) - 1, AF_INET, &s), 0);
        ck_assert_int_eq(proc_net_parse_line(line, 60, AF_INET, &s), -EBADMSG);
}
END_TEST

START_TEST(test_port_range) {
        uint16_t lo, hi;
        ck_assert_int_eq(port_range_parse("32768\t60999\n", 12, &lo, &hi), 0);
        ck_assert_uint_eq(lo, 32768);
        ck_assert_uint_eq(hi, 60999);
        ck_assert_int_eq(port_range_parse("40000 40009", 11, &lo, &hi), 0);
        ck_assert_uint_eq(hi, 40009);
        static const char *const bad[] = { "",      "1",   "1\t",     "2 1", "1 65536",
                                           "1 2 3", "a 2", "1 2\n\n", "-1 2" };
        for (size_t i = 0; i < ELEMENTSOF(bad); i++)
                ck_assert_msg(port_range_parse(bad[i], strlen(bad[i]), &lo, &hi) == -EBADMSG, "%s", bad[i]);
}
END_TEST

static ProcNetSocket sock(const char *remote, uint16_t rport, uint16_t lport, uint8_t state) {
        ProcNetSocket s = { .family = AF_INET, .local_port = lport, .remote_port = rport, .state = state };
        ck_assert_int_eq(inet_pton(AF_INET, remote, s.remote), 1);
        return s;
}

START_TEST(test_tally) {
        PortTally t;
        port_tally_init(&t, 40000, 40009);
        ProcNetSocket s;
        for (uint16_t p = 40000; p < 40004; p++) {
                s = sock("10.0.0.1", 5432, p, TCP_STATE_TIME_WAIT);
                port_tally_add(&t, &s);
        }
        s = sock("10.0.0.1", 5432, 40004, TCP_STATE_ESTABLISHED);
        port_tally_add(&t, &s);
        s = sock("10.0.0.2", 80, 40005, TCP_STATE_ESTABLISHED);
        port_tally_add(&t, &s);
        /* Outside the range, a listener, an unconnected socket: not counted. */
        s = sock("10.0.0.2", 80, 39999, TCP_STATE_ESTABLISHED);
        port_tally_add(&t, &s);
        s = sock("0.0.0.0", 0, 40006, TCP_STATE_LISTEN);
        port_tally_add(&t, &s);
        ck_assert_uint_eq(t.sockets, 6);
        ck_assert_uint_eq(t.time_wait, 4);
        ck_assert_uint_eq(t.seen_low, 40000);
        ck_assert_uint_eq(t.seen_high, 40005);
        ck_assert_uint_eq(t.n_dest, 2);
        const PortTallyDest *top = port_tally_top(&t);
        ck_assert_ptr_nonnull(top);
        char a[64];
        proc_net_format(top->family, top->addr, top->port, a, sizeof a);
        ck_assert_str_eq(a, "10.0.0.1:5432");
        ck_assert_uint_eq(top->sockets, 5);
        ck_assert_uint_eq(top->time_wait, 4);

        /* Bounded: destinations past the cap count in the totals only. */
        port_tally_init(&t, 1, 65535);
        for (unsigned i = 0; i < PORT_TALLY_DESTINATIONS + 10; i++) {
                s = sock("10.0.0.3", (uint16_t) (1000 + i), 50000, TCP_STATE_ESTABLISHED);
                port_tally_add(&t, &s);
        }
        ck_assert_uint_eq(t.n_dest, PORT_TALLY_DESTINATIONS);
        ck_assert_uint_eq(t.sockets, PORT_TALLY_DESTINATIONS + 10);
        port_tally_init(&t, 1, 2);
        ck_assert_ptr_null(port_tally_top(&t));
}
END_TEST

static Suite *proc_net_suite(void) {
        Suite *s = suite_create("proc-net");
        TCase *tc = tcase_create("core");
        tcase_add_test(tc, test_parse);
        tcase_add_test(tc, test_malformed);
        tcase_add_test(tc, test_port_range);
        tcase_add_test(tc, test_tally);
        suite_add_tcase(s, tc);
        return s;
}

DEFINE_TEST_MAIN(proc_net_suite)
