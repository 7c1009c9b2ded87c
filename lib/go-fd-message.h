/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "macro.h"

/* The Go messages about file descriptors inside a line of a unit's output: the span of Go's own
 * error text around an errno's text ("accept tcp [::]:8080: accept4: too many open files"), and
 * the runtime's netpoller start-up failures ("runtime: epollcreate failed with 24"). Only that
 * span is kept of a line, never the rest: a service may print its configuration, secrets
 * included, on the same line (see runtime_message() in detect-memory.c). */

typedef struct GoFdMessage {
        size_t start, end; /* the Go text in the line: [start, end) */
        /* The innermost operation Go names, e.g. "accept4", "open", "socket", "fork/exec"; 0 long
         * when the errno's text stands alone. */
        size_t op_start, op_len;
} GoFdMessage;

/* The Go error text around the errno's text found at `at` (errno_len bytes) of line: the error
 * values that wrap an errno directly (os.PathError, os.SyscallError, net.OpError, the latter
 * two nested), net/http's "http: Accept error: ...; retrying in <duration>" around them, and
 * nothing that is the program's own. At least the errno's text. */
void go_fd_message_find(const char *line, size_t len, size_t at, size_t errno_len, GoFdMessage *ret);

typedef struct GoRuntimeFailure {
        size_t start, end;   /* the runtime's text in the line: [start, end) */
        bool fatal;          /* "fatal error: runtime: ... failed", the throw() after the println() */
        int64_t errno_value; /* "... failed with <errno>", -1 when the line has none */
} GoRuntimeFailure;

/* The runtime's "runtime: <what> failed" found at `at` (needle_len bytes, ending in "failed"),
 * with the "fatal error: " before it and the " with <errno>" after it when they are there. */
void go_runtime_failure_find(const char *line, size_t len, size_t at, size_t needle_len,
                             GoRuntimeFailure *ret);

/* A net.OpError's "op net addr" (or "op net") that ends at end of s: where its op starts, or
 * SIZE_MAX. Ops: accept, dial, listen, read, write, file; nets: tcp[46], udp[46], ip[46], unix*. */
size_t go_op_error_start(const char *s, size_t end);

/* "EMFILE" for 24 and the other errnos a descriptor's or a thread's creation fails with; NULL for
 * others. */
const char *errno_name(int64_t e) _pure_;
