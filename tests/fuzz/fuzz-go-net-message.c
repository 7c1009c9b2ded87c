/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>

#include "fuzz-util.h"
#include "go-net-message.h"

/* Bytes -> the Go text around every needle of the network detectors, in a buffer of exactly their
 * size (a journal MESSAGE is not NUL-terminated): the span holds the needle and stays inside the
 * line; op, net and address lie before the needle, the host inside the address, the port in range. */
static const char *const needles[] = {
        "bind: permission denied",
        "bind: address already in use",
        "connect: cannot assign requested address",
};

static bool inside(size_t start, size_t len, size_t lo, size_t hi) {
        return len == 0 || (start >= lo && start + len <= hi);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        char *buf = malloc(size ? size : 1);
        FUZZ_CHECK(buf);
        memcpy(buf, data, size);
        for (size_t i = 0; i < sizeof needles / sizeof needles[0]; i++) {
                size_t n = strlen(needles[i]);
                for (const char *at = buf; (at = memmem(at, size - (size_t) (at - buf), needles[i], n));
                     at++) {
                        size_t pos = (size_t) (at - buf);
                        GoNetMessage m;
                        go_net_message_find(buf, size, pos, n, &m);
                        FUZZ_CHECK(m.start <= pos && m.end == pos + n && m.end <= size);
                        FUZZ_CHECK(inside(m.op_start, m.op_len, m.start, pos));
                        FUZZ_CHECK(inside(m.net_start, m.net_len, m.start, pos));
                        FUZZ_CHECK(inside(m.addr_start, m.addr_len, m.start, pos));
                        FUZZ_CHECK(
                                inside(m.host_start, m.host_len, m.addr_start, m.addr_start + m.addr_len));
                        FUZZ_CHECK(m.port >= -1 && m.port <= 65535);
                        FUZZ_CHECK(m.op_len > 0 || m.start == pos);
                }
        }
        free(buf);
        return 0;
}
