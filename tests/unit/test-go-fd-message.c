/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdio.h>
#include <string.h>

#include "go-fd-message.h"
#include "macro.h"
#include "test-util.h"

#define EMFILE_TEXT "too many open files"

/* The Go text go_fd_message_find() takes around the first errno text of line, and its op. */
static void check(const char *line, const char *errno_text, const char *want, const char *want_op) {
        const char *at = strstr(line, errno_text);
        ck_assert_ptr_nonnull(at);
        GoFdMessage m;
        go_fd_message_find(line, strlen(line), (size_t) (at - line), strlen(errno_text), &m);
        ck_assert_uint_le(m.start, m.end);
        ck_assert_uint_le(m.end, strlen(line));
        char got[512], op[64];
        snprintf(got, sizeof got, "%.*s", (int) (m.end - m.start), line + m.start);
        snprintf(op, sizeof op, "%.*s", (int) m.op_len, line + m.op_start);
        ck_assert_msg(strcmp(got, want) == 0, "line <%s>: got <%s>, want <%s>", line, got, want);
        ck_assert_msg(strcmp(op, want_op) == 0, "line <%s>: op <%s>, want <%s>", line, op, want_op);
}

START_TEST(test_go_forms) {
        /* Every form Go itself builds (../shared/reference/go-facts.md), alone on the line. */
        check("accept tcp [::]:8080: accept4: too many open files", EMFILE_TEXT,
              "accept tcp [::]:8080: accept4: too many open files", "accept4");
        check("open /dev/null: too many open files", EMFILE_TEXT, "open /dev/null: too many open files",
              "open");
        check("socket: too many open files", EMFILE_TEXT, "socket: too many open files", "socket");
        check("dial tcp 10.0.0.1:5432: socket: too many open files", EMFILE_TEXT,
              "dial tcp 10.0.0.1:5432: socket: too many open files", "socket");
        check("dial unix /run/pg/.s.PGSQL.5432: socket: too many open files", EMFILE_TEXT,
              "dial unix /run/pg/.s.PGSQL.5432: socket: too many open files", "socket");
        check("listen tcp: too many open files", EMFILE_TEXT, "listen tcp: too many open files", "listen");
        check("read udp 127.0.0.1:5353->127.0.0.53:53: too many open files", EMFILE_TEXT,
              "read udp 127.0.0.1:5353->127.0.0.53:53: too many open files", "read");
        check("fork/exec /usr/bin/git: too many open files", EMFILE_TEXT,
              "fork/exec /usr/bin/git: too many open files", "fork/exec");
        check("pipe2: too many open files", EMFILE_TEXT, "pipe2: too many open files", "pipe2");
        check("too many open files", EMFILE_TEXT, "too many open files", "");
        check("http: Accept error: accept tcp [::]:8080: accept4: too many open files; retrying in 5ms",
              EMFILE_TEXT,
              "http: Accept error: accept tcp [::]:8080: accept4: too many open files; retrying in 5ms",
              "accept4");
        check("http: Accept error: accept tcp 127.0.0.1:41527: accept4: too many open files; retrying in 1s",
              EMFILE_TEXT,
              "http: Accept error: accept tcp 127.0.0.1:41527: accept4: too many open files; retrying in 1s",
              "accept4");
        check("accept tcp [::]:8080: accept4: too many open files in system",
              "too many open files in system",
              "accept tcp [::]:8080: accept4: too many open files in system", "accept4");
        /* strerror()'s text from C code. */
        check("accept: Too many open files", "Too many open files", "accept: Too many open files", "accept");
}
END_TEST

START_TEST(test_loggers) {
        /* log's date, logrus and slog's key=value, zap's JSON, around the same error. */
        check("2026/12/05 04:26:35 open /dev/null: too many open files", EMFILE_TEXT,
              "open /dev/null: too many open files", "open");
        check("time=\"2024-05-01T10:00:00Z\" level=error msg=\"accept failed\" error=\"accept tcp "
              "[::]:8080: "
              "accept4: too many open files\"",
              EMFILE_TEXT, "accept tcp [::]:8080: accept4: too many open files", "accept4");
        check("time=2024-05-01T10:00:00Z level=ERROR msg=\"query\" err=\"dial tcp 10.1.2.3:5432: socket: "
              "too many "
              "open files\"",
              EMFILE_TEXT, "dial tcp 10.1.2.3:5432: socket: too many open files", "socket");
        check("{\"level\":\"error\",\"ts\":1714557600.1,\"msg\":\"cache\",\"error\":\"open /var/cache/x: "
              "too many open "
              "files\"}",
              EMFILE_TEXT, "open /var/cache/x: too many open files", "open");
        /* The HTTP client's url.Error and a DNSError around the dial: theirs is the program's URL or
         * name (a token in a query string), not kept. */
        check("Get \"https://api.example.com/v1?token=s3cr3t\": dial tcp 93.184.216.34:443: socket: too "
              "many open files",
              EMFILE_TEXT, "dial tcp 93.184.216.34:443: socket: too many open files", "socket");
        check("lookup db.internal on 127.0.0.53:53: dial udp 127.0.0.53:53: socket: too many open files",
              EMFILE_TEXT, "dial udp 127.0.0.53:53: socket: too many open files", "socket");
        /* gRPC's server logs its own "Accept error" (not net/http's): the OpError only. */
        check("grpc: Server.Serve failed to accept: accept tcp [::]:9090: accept4: too many open files; "
              "retrying in 10ms",
              EMFILE_TEXT, "accept tcp [::]:9090: accept4: too many open files; retrying in 10ms",
              "accept4");
}
END_TEST

START_TEST(test_program_text_not_kept) {
        /* Secrets and the program's words on the same line stay out. */
        check("db_password=hunter2 api_token=tok-SECRET accept tcp [::]:8080: accept4: too many open files "
              "after=hunter2",
              EMFILE_TEXT, "accept tcp [::]:8080: accept4: too many open files", "accept4");
        check("password=hunter2: open /x: too many open files", EMFILE_TEXT, "open /x: too many open files",
              "open");
        check("failed to load hunter2: too many open files", EMFILE_TEXT, "too many open files", "");
        check("secret hunter2: socket: too many open files", EMFILE_TEXT, "socket: too many open files",
              "socket");
        check("token=hunter2: too many open files", EMFILE_TEXT, "too many open files", "");
        /* Words that only look like Go's: no known operation, or glued to the word before. */
        check("reopen /x: too many open files", EMFILE_TEXT, "too many open files", "");
        check("xsocket: too many open files", EMFILE_TEXT, "too many open files", "");
        check("connect tcp 1.2.3.4:5: too many open files", EMFILE_TEXT, "too many open files", "");
        check("accept sctp 1.2.3.4:5: too many open files", EMFILE_TEXT, "too many open files", "");
        check("open key=hunter2: too many open files", EMFILE_TEXT, "too many open files", "");
        check("open : too many open files", EMFILE_TEXT, "too many open files", "");
        /* Only a duration after "; retrying in ". */
        check("accept4: too many open files; retrying in hunter2", EMFILE_TEXT,
              "accept4: too many open files", "accept4");
        check("accept4: too many open files; retrying in 5ms hunter2", EMFILE_TEXT,
              "accept4: too many open files; retrying in 5ms", "accept4");
        check("accept4: too many open files; retrying in 5xs", EMFILE_TEXT, "accept4: too many open files",
              "accept4");
        /* At the very start and the very end of the line. */
        check(": too many open files", EMFILE_TEXT, "too many open files", "");
        check("too many open files; retrying in ", EMFILE_TEXT, "too many open files", "");
}
END_TEST

START_TEST(test_not_terminated) {
        /* A journal MESSAGE is not NUL-terminated: nothing past len is read. */
        static const char buf[] = "accept4: too many open files; retrying in 5ms";
        GoFdMessage m;
        go_fd_message_find(buf, STRLEN("accept4: too many open files; retrying in 5"), 9,
                           STRLEN(EMFILE_TEXT), &m);
        ck_assert_uint_eq(m.start, 0);
        ck_assert_uint_eq(m.end, STRLEN("accept4: too many open files"));
}
END_TEST

static void check_runtime(const char *line, const char *needle, const char *want, bool fatal, int64_t e) {
        const char *at = strstr(line, needle);
        ck_assert_ptr_nonnull(at);
        GoRuntimeFailure f;
        go_runtime_failure_find(line, strlen(line), (size_t) (at - line), strlen(needle), &f);
        char got[256];
        snprintf(got, sizeof got, "%.*s", (int) (f.end - f.start), line + f.start);
        ck_assert_str_eq(got, want);
        ck_assert_int_eq(f.fatal, fatal);
        ck_assert_int_eq(f.errno_value, e);
}

START_TEST(test_runtime_failures) {
        check_runtime("runtime: epollcreate failed with 24", "runtime: epollcreate failed",
                      "runtime: epollcreate failed with 24", false, 24);
        check_runtime("fatal error: runtime: netpollinit failed", "runtime: netpollinit failed",
                      "fatal error: runtime: netpollinit failed", true, -1);
        check_runtime("runtime: pipe failed with 24", "runtime: pipe failed", "runtime: pipe failed with 24",
                      false, 24);
        check_runtime("fatal error: runtime: pipe failed", "runtime: pipe failed",
                      "fatal error: runtime: pipe failed", true, -1);
        check_runtime("runtime: eventfd failed with 1", "runtime: eventfd failed",
                      "runtime: eventfd failed with 1", false, 1);
        /* The rest of the line is not the runtime's. */
        check_runtime("pw=hunter2 runtime: epollcreate failed with 24 hunter2",
                      "runtime: epollcreate failed", "runtime: epollcreate failed with 24", false, 24);
        check_runtime("runtime: epollcreate failed with hunter2", "runtime: epollcreate failed",
                      "runtime: epollcreate failed", false, -1);
        check_runtime("runtime: epollcreate failed with 99999", "runtime: epollcreate failed",
                      "runtime: epollcreate failed with 9999", false, 9999);
        ck_assert_str_eq(errno_name(24), "EMFILE");
        ck_assert_str_eq(errno_name(23), "ENFILE");
        ck_assert_ptr_null(errno_name(-1));
        ck_assert_ptr_null(errno_name(4095));
}
END_TEST

static Suite *go_fd_message_suite(void) {
        Suite *s = suite_create("go-fd-message");
        TCase *tc = tcase_create("core");
        tcase_add_test(tc, test_go_forms);
        tcase_add_test(tc, test_loggers);
        tcase_add_test(tc, test_program_text_not_kept);
        tcase_add_test(tc, test_not_terminated);
        tcase_add_test(tc, test_runtime_failures);
        suite_add_tcase(s, tc);
        return s;
}

DEFINE_TEST_MAIN(go_fd_message_suite)
