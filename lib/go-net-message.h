/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "macro.h"

/* Go's network errors inside a line of a unit's output: the net.OpError around a failed bind()
 * or connect() ("listen tcp :80: bind: permission denied", "dial tcp 10.0.0.1:5432: connect:
 * cannot assign requested address"), read backwards from the "<syscall>: <errno text>" a
 * detector matched. Only that span is kept of a line (see go-fd-message.h for why). */

typedef struct GoNetMessage {
        size_t start, end; /* the Go text in the line: [start, end) */
        /* Spans of the line, 0 long when the OpError is not there ("bind: permission denied"
         * alone, from a program that formats its own errors). */
        size_t op_start, op_len;     /* "listen", "dial" */
        size_t net_start, net_len;   /* "tcp", "udp6" */
        size_t addr_start, addr_len; /* the address dialed or listened on: "10.0.0.1:5432", ":80" */
        size_t host_start, host_len; /* its host, without brackets: "10.0.0.1", "::1", "" */
        int32_t port;                /* its port, -1 when it has none */
} GoNetMessage;

/* The Go error text around "<syscall>: <errno text>" found at `at` (needle_len bytes) of line.
 * At least the needle. */
void go_net_message_find(const char *line, size_t len, size_t at, size_t needle_len, GoNetMessage *ret);
