/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "go-net-message.h"
#include "macro.h"
#include "test-util.h"

#define EACCES_TEXT "bind: permission denied"
#define INUSE_TEXT  "bind: address already in use"
#define NOTAV_TEXT  "connect: cannot assign requested address"

static void span(const char *line, size_t start, size_t len, char *buf, size_t size) {
        ck_assert_uint_le(start + len, strlen(line));
        snprintf(buf, size, "%.*s", (int) len, line + start);
}

/* What go_net_message_find() takes around the needle of line: the text, op, net, address, host
 * and port. */
static void check(const char *line, const char *needle, const char *want, const char *want_op,
                  const char *want_net, const char *want_addr, const char *want_host, int32_t want_port) {
        const char *at = strstr(line, needle);
        ck_assert_ptr_nonnull(at);
        GoNetMessage m;
        go_net_message_find(line, strlen(line), (size_t) (at - line), strlen(needle), &m);
        char got[512], op[64], net[64], addr[128], host[128];
        ck_assert_uint_le(m.start, (size_t) (at - line));
        ck_assert_uint_le(m.end, strlen(line));
        span(line, m.start, m.end - m.start, got, sizeof got);
        span(line, m.op_start, m.op_len, op, sizeof op);
        span(line, m.net_start, m.net_len, net, sizeof net);
        span(line, m.addr_start, m.addr_len, addr, sizeof addr);
        span(line, m.host_start, m.host_len, host, sizeof host);
        ck_assert_msg(streq(got, want), "line <%s>: got <%s>, want <%s>", line, got, want);
        ck_assert_str_eq(op, want_op);
        ck_assert_str_eq(net, want_net);
        ck_assert_str_eq(addr, want_addr);
        ck_assert_str_eq(host, want_host);
        ck_assert_int_eq(m.port, want_port);
}

START_TEST(test_go_forms) {
        /* net.Listen and net.ListenPacket, every way an address is printed. */
        check("listen tcp :80: bind: permission denied", EACCES_TEXT,
              "listen tcp :80: bind: permission denied", "listen", "tcp", ":80", "", 80);
        check("listen tcp 0.0.0.0:443: bind: permission denied", EACCES_TEXT,
              "listen tcp 0.0.0.0:443: bind: permission denied", "listen", "tcp", "0.0.0.0:443", "0.0.0.0",
              443);
        check("listen tcp6 [::1]:8080: bind: address already in use", INUSE_TEXT,
              "listen tcp6 [::1]:8080: bind: address already in use", "listen", "tcp6", "[::1]:8080", "::1",
              8080);
        check("listen udp :53: bind: permission denied", EACCES_TEXT,
              "listen udp :53: bind: permission denied", "listen", "udp", ":53", "", 53);
        /* net.Dial, with and without a local address. */
        check("dial tcp 10.0.0.1:5432: connect: cannot assign requested address", NOTAV_TEXT,
              "dial tcp 10.0.0.1:5432: connect: cannot assign requested address", "dial", "tcp",
              "10.0.0.1:5432", "10.0.0.1", 5432);
        check("dial tcp 127.0.0.1:0->[fd00::1]:443: connect: cannot assign requested address", NOTAV_TEXT,
              "dial tcp 127.0.0.1:0->[fd00::1]:443: connect: cannot assign requested address", "dial", "tcp",
              "[fd00::1]:443", "fd00::1", 443);
        /* An address without a port, a net without an address. */
        check("listen unix /run/x.sock: bind: address already in use", INUSE_TEXT,
              "listen unix /run/x.sock: bind: address already in use", "listen", "unix", "/run/x.sock", "",
              -1);
        check("listen tcp: bind: permission denied", EACCES_TEXT, "listen tcp: bind: permission denied",
              "listen", "tcp", "", "", -1);
}
END_TEST

START_TEST(test_around) {
        /* Loggers and wrappers around it: only the OpError is kept. */
        check("2026/12/05 04:26:35 listen tcp :80: bind: permission denied", EACCES_TEXT,
              "listen tcp :80: bind: permission denied", "listen", "tcp", ":80", "", 80);
        check("Get \"http://10.0.0.1:5432/\": dial tcp 10.0.0.1:5432: connect: cannot assign requested "
              "address",
              NOTAV_TEXT, "dial tcp 10.0.0.1:5432: connect: cannot assign requested address", "dial", "tcp",
              "10.0.0.1:5432", "10.0.0.1", 5432);
        check("{\"level\":\"error\",\"err\":\"listen tcp 127.0.0.1:9000: bind: address already in use\"}",
              INUSE_TEXT, "listen tcp 127.0.0.1:9000: bind: address already in use", "listen", "tcp",
              "127.0.0.1:9000", "127.0.0.1", 9000);
        check("msg=\"serve failed\" err=\"listen tcp :80: bind: permission denied\" pw=hunter2", EACCES_TEXT,
              "listen tcp :80: bind: permission denied", "listen", "tcp", ":80", "", 80);
        /* The needle alone: the program's own words before it are not taken. */
        check("secret=hunter2 bind: permission denied", EACCES_TEXT, "bind: permission denied", "", "", "",
              "", -1);
        check("listening: bind: address already in use", INUSE_TEXT, "bind: address already in use", "", "",
              "", "", -1);
        check("xlisten tcp :80: bind: permission denied", EACCES_TEXT, "bind: permission denied", "", "", "",
              "", -1);
        /* A port that is not one. */
        check("listen tcp :99999: bind: permission denied", EACCES_TEXT,
              "listen tcp :99999: bind: permission denied", "listen", "tcp", ":99999", "", -1);
        check("listen tcp :http: bind: permission denied", EACCES_TEXT,
              "listen tcp :http: bind: permission denied", "listen", "tcp", ":http", "", -1);
}
END_TEST

START_TEST(test_not_terminated) {
        /* A journal MESSAGE is not NUL-terminated: nothing is read past its length. */
        static const char text[] = "dial tcp 10.0.0.1:5432: connect: cannot assign requested address";
        size_t n = strlen(text);
        char *buf = malloc(n);
        ck_assert_ptr_nonnull(buf);
        memcpy(buf, text, n);
        GoNetMessage m;
        go_net_message_find(buf, n, n - strlen(NOTAV_TEXT), strlen(NOTAV_TEXT), &m);
        ck_assert_uint_eq(m.start, 0);
        ck_assert_uint_eq(m.end, n);
        ck_assert_int_eq(m.port, 5432);
        /* The needle at the very start. */
        go_net_message_find(buf + n - strlen(NOTAV_TEXT), strlen(NOTAV_TEXT), 0, strlen(NOTAV_TEXT), &m);
        ck_assert_uint_eq(m.start, 0);
        ck_assert_uint_eq(m.op_len, 0);
        ck_assert_int_eq(m.port, -1);
        free(buf);
}
END_TEST

static Suite *go_net_message_suite(void) {
        Suite *s = suite_create("go-net-message");
        TCase *tc = tcase_create("core");
        tcase_add_test(tc, test_go_forms);
        tcase_add_test(tc, test_around);
        tcase_add_test(tc, test_not_terminated);
        suite_add_tcase(s, tc);
        return s;
}

DEFINE_TEST_MAIN(go_net_message_suite)
