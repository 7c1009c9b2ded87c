/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "go-thread-message.h"
#include "macro.h"
#include "test-util.h"

/* Parses the message at the first `from` of line and checks its span and figures. */
static void check(const char *line, const char *from, GoThreadMessageKind kind, const char *want,
                  int64_t threads, int64_t err, int64_t limit) {
        const char *at = strstr(line, from);
        ck_assert_ptr_nonnull(at);
        GoThreadMessage m;
        ck_assert_int_eq(go_thread_message_parse(line, strlen(line), (size_t) (at - line), &m), 0);
        ck_assert_int_eq(m.kind, kind);
        ck_assert_uint_le(m.start, m.end);
        ck_assert_uint_le(m.end, strlen(line));
        char got[512];
        snprintf(got, sizeof got, "%.*s", (int) (m.end - m.start), line + m.start);
        ck_assert_msg(strcmp(got, want) == 0, "line <%s>: got <%s>, want <%s>", line, got, want);
        ck_assert_int_eq(m.threads, threads);
        ck_assert_int_eq(m.errno_value, err);
        ck_assert_int_eq(m.limit, limit);
}

static int parse_at(const char *line, size_t at) {
        GoThreadMessage m;
        return go_thread_message_parse(line, strlen(line), at, &m);
}

START_TEST(test_runtime_forms) {
        /* src/runtime/os_linux.go newosproc, and newosproc0's words alone. */
        check("runtime: failed to create new OS thread (have 39 already; errno=11)",
              "runtime:", GO_THREAD_NEWOSPROC,
              "runtime: failed to create new OS thread (have 39 already; errno=11)", 39, 11, -1);
        check("runtime: failed to create new OS thread", "runtime:", GO_THREAD_NEWOSPROC,
              "runtime: failed to create new OS thread", -1, -1, -1);
        check("runtime: failed to create new OS thread (have 2049 already; errno=12)",
              "runtime:", GO_THREAD_NEWOSPROC,
              "runtime: failed to create new OS thread (have 2049 already; errno=12)", 2049, 12, -1);
        check("runtime: may need to increase max user processes (ulimit -u)",
              "runtime:", GO_THREAD_ULIMIT_HINT,
              "runtime: may need to increase max user processes (ulimit -u)", -1, -1, -1);
        /* src/runtime/proc.go checkmcount. */
        check("runtime: program exceeds 10000-thread limit", "runtime:", GO_THREAD_LIMIT,
              "runtime: program exceeds 10000-thread limit", -1, -1, 10000);
        check("runtime: program exceeds 20-thread limit", "runtime:", GO_THREAD_LIMIT,
              "runtime: program exceeds 20-thread limit", -1, -1, 20);
        check("fatal error: thread exhaustion", "fatal", GO_THREAD_FATAL_EXHAUSTION,
              "fatal error: thread exhaustion", -1, -1, -1);
        check("fatal error: newosproc", "fatal", GO_THREAD_FATAL_NEWOSPROC, "fatal error: newosproc", -1, -1,
              -1);
        /* src/runtime/cgo: with its prefix, found at either word, and without it. */
        check("runtime/cgo: pthread_create failed: Resource temporarily unavailable", "pthread_create",
              GO_THREAD_PTHREAD_CREATE,
              "runtime/cgo: pthread_create failed: Resource temporarily unavailable", -1, EAGAIN, -1);
        check("runtime/cgo: pthread_create failed: Resource temporarily unavailable", "runtime/cgo",
              GO_THREAD_PTHREAD_CREATE,
              "runtime/cgo: pthread_create failed: Resource temporarily unavailable", -1, EAGAIN, -1);
        check("runtime/cgo: pthread_create failed: Cannot allocate memory", "pthread_create",
              GO_THREAD_PTHREAD_CREATE, "runtime/cgo: pthread_create failed: Cannot allocate memory", -1,
              ENOMEM, -1);
        /* gcc_libinit.c prints no newline: what abort() prints next joins the line. */
        check("pthread_create failed: Resource temporarily unavailableSIGABRT: abort", "pthread_create",
              GO_THREAD_PTHREAD_CREATE, "pthread_create failed: Resource temporarily unavailable", -1,
              EAGAIN, -1);
}
END_TEST

START_TEST(test_program_text_not_kept) {
        /* Only the runtime's words: what a logger or the program put around them stays out. */
        check("level=error pw=hunter2 runtime: failed to create new OS thread (have 7 already; errno=11) "
              "hunter2",
              "runtime: failed", GO_THREAD_NEWOSPROC,
              "runtime: failed to create new OS thread (have 7 already; errno=11)", 7, 11, -1);
        check("x runtime/cgo: pthread_create failed: token=SECRET", "pthread_create",
              GO_THREAD_PTHREAD_CREATE, "runtime/cgo: pthread_create failed", -1, -1, -1);
        check("pthread_create failed: Some other error", "pthread_create", GO_THREAD_PTHREAD_CREATE,
              "pthread_create failed", -1, -1, -1);
        /* A half-printed count is not read: the words alone. */
        check("runtime: failed to create new OS thread (have 7 already; errno=", "runtime:",
              GO_THREAD_NEWOSPROC, "runtime: failed to create new OS thread", -1, -1, -1);
        check("runtime: failed to create new OS thread (have x already; errno=11)",
              "runtime:", GO_THREAD_NEWOSPROC, "runtime: failed to create new OS thread", -1, -1, -1);
        check("runtime: failed to create new OS thread (have 7 already; errno=11",
              "runtime:", GO_THREAD_NEWOSPROC, "runtime: failed to create new OS thread", -1, -1, -1);
}
END_TEST

START_TEST(test_not_messages) {
        ck_assert_int_eq(parse_at("runtime: program exceeds the limit", 0), -EBADMSG);
        ck_assert_int_eq(parse_at("runtime: program exceeds 20 threads", 0), -EBADMSG);
        ck_assert_int_eq(parse_at("runtime: program exceeds 99999999999-thread limit", 0), -EBADMSG);
        ck_assert_int_eq(parse_at("fatal error: newosprocs", 0), -EBADMSG);
        ck_assert_int_eq(parse_at("fatal error: thread exhaustion!", 0), -EBADMSG);
        ck_assert_int_eq(parse_at("fatal error: out of memory", 0), -EBADMSG);
        ck_assert_int_eq(parse_at("pthread_create", 0), -EBADMSG);
        ck_assert_int_eq(parse_at("pthread_create failed", 0), -EBADMSG);
        ck_assert_int_eq(parse_at("runtime/cgo: pthread_create failed to start", 0), -EBADMSG);
        ck_assert_int_eq(parse_at("runtime: failed to create new OS threa", 0), -EBADMSG);
        ck_assert_int_eq(parse_at("abc", 4), -EBADMSG);
        /* The throw() followed by more of the same line is still the throw(). */
        GoThreadMessage m;
        const char *l = "fatal error: newosproc\n";
        ck_assert_int_eq(go_thread_message_parse(l, strlen(l), 0, &m), 0);
        ck_assert_uint_eq(m.end, strlen(l) - 1);
}
END_TEST

START_TEST(test_not_terminated) {
        /* A journal MESSAGE is not NUL-terminated: nothing past len is read. */
        const char *full = "runtime: failed to create new OS thread (have 39 already; errno=11)";
        for (size_t len = 0; len <= strlen(full); len++) {
                char *buf = malloc(len ? len : 1);
                ck_assert_ptr_nonnull(buf);
                memcpy(buf, full, len);
                GoThreadMessage m;
                int r = go_thread_message_parse(buf, len, 0, &m);
                if (len < strlen("runtime: failed to create new OS thread"))
                        ck_assert_int_eq(r, -EBADMSG);
                else {
                        ck_assert_int_eq(r, 0);
                        ck_assert_uint_le(m.end, len);
                        ck_assert_int_eq(m.threads, len == strlen(full) ? 39 : -1);
                }
                free(buf);
        }
}
END_TEST

static Suite *go_thread_message_suite(void) {
        Suite *s = suite_create("go-thread-message");
        TCase *tc = tcase_create("core");
        tcase_add_test(tc, test_runtime_forms);
        tcase_add_test(tc, test_program_text_not_kept);
        tcase_add_test(tc, test_not_messages);
        tcase_add_test(tc, test_not_terminated);
        suite_add_tcase(s, tc);
        return s;
}

DEFINE_TEST_MAIN(go_thread_message_suite)
