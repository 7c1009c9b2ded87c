/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "macro.h"

/* The Go runtime's messages about threads it could not create, inside a line of a unit's output
 * (../shared/reference/go-facts.md, "Threads"). Only the message's own span is kept of a line,
 * never the rest: a service may print anything, secrets included, on the same line. */

typedef enum GoThreadMessageKind {
        /* src/runtime/os_linux.go newosproc: "runtime: failed to create new OS thread (have <N>
         * already; errno=<E>)"; newosproc0 prints the words alone. */
        GO_THREAD_NEWOSPROC,
        /* The same function's hint after EAGAIN: "runtime: may need to increase max user
         * processes (ulimit -u)". */
        GO_THREAD_ULIMIT_HINT,
        /* src/runtime/proc.go checkmcount: "runtime: program exceeds <N>-thread limit". */
        GO_THREAD_LIMIT,
        /* src/runtime/cgo: "runtime/cgo: pthread_create failed: <strerror>", or without the
         * prefix (the init thread of c-archive and c-shared builds). */
        GO_THREAD_PTHREAD_CREATE,
        /* The throw() after them: "fatal error: newosproc" (the kernel refused), "fatal error:
         * thread exhaustion" (the runtime's own limit). */
        GO_THREAD_FATAL_NEWOSPROC,
        GO_THREAD_FATAL_EXHAUSTION,
        _GO_THREAD_MESSAGE_KIND_MAX,
        _GO_THREAD_MESSAGE_KIND_INVALID = -1,
} GoThreadMessageKind;

/* Go's default thread limit (sched.maxmcount): debug.SetMaxThreads changes it. */
#define GO_MAX_THREADS_DEFAULT 10000u

typedef struct GoThreadMessage {
        GoThreadMessageKind kind;
        size_t start, end;   /* the message in the line: [start, end) */
        int64_t threads;     /* "have <N> already": the threads the runtime had; -1 if not said */
        int64_t errno_value; /* errno=<E>, or the errno of pthread_create's strerror text; -1 */
        int64_t limit;       /* "<N>-thread limit"; -1 */
} GoThreadMessage;

/* The message that starts at `at` of line (len bytes, not NUL-terminated): 0 and *ret, or
 * -EBADMSG when none of the forms above starts there. For pthread_create, `at` may point at
 * "pthread_create", and a "runtime/cgo: " before it is part of the message. */
int go_thread_message_parse(const char *line, size_t len, size_t at, GoThreadMessage *ret);
