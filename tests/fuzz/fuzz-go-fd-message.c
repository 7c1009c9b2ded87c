/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>

#include "fuzz-util.h"
#include "go-fd-message.h"

/* Bytes -> the Go text around every errno text and runtime failure in them, in a buffer of exactly
 * their size (a journal MESSAGE is not NUL-terminated): the span holds the needle, stays inside
 * the line, and its operation inside the span. */
static const char *const errno_texts[] = { "too many open files", "Too many open files in system" };
static const char *const failures[] = { "runtime: epollcreate failed", "runtime: pipe failed" };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        char *buf = malloc(size ? size : 1);
        FUZZ_CHECK(buf);
        memcpy(buf, data, size);
        for (size_t i = 0; i < sizeof errno_texts / sizeof errno_texts[0]; i++) {
                size_t n = strlen(errno_texts[i]);
                for (const char *at = buf; (at = memmem(at, size - (size_t) (at - buf), errno_texts[i], n));
                     at++) {
                        size_t pos = (size_t) (at - buf);
                        GoFdMessage m;
                        go_fd_message_find(buf, size, pos, n, &m);
                        FUZZ_CHECK(m.start <= pos && m.end >= pos + n && m.end <= size);
                        FUZZ_CHECK(m.op_len == 0 || (m.op_start >= m.start && m.op_start + m.op_len <= pos));
                }
        }
        for (size_t i = 0; i < sizeof failures / sizeof failures[0]; i++) {
                size_t n = strlen(failures[i]);
                for (const char *at = buf; (at = memmem(at, size - (size_t) (at - buf), failures[i], n));
                     at++) {
                        size_t pos = (size_t) (at - buf);
                        GoRuntimeFailure f;
                        go_runtime_failure_find(buf, size, pos, n, &f);
                        FUZZ_CHECK(f.start <= pos && f.end >= pos + n && f.end <= size);
                        FUZZ_CHECK(f.errno_value >= -1 && f.errno_value < 10000);
                        FUZZ_CHECK(f.fatal == (f.start < pos));
                }
        }
        free(buf);
        return 0;
}
