/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>
#include <sys/socket.h>

#include "fuzz-util.h"
#include "proc-net.h"

/* Bytes -> sockets of /proc/net/tcp and tcp6 read from them, tallied, and the first line as a port
 * range: every socket read moves forward, the tally stays bounded, and formatting never
 * overflows. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        char *buf = malloc(size ? size : 1);
        FUZZ_CHECK(buf);
        memcpy(buf, data, size);
        static const int families[] = { AF_INET, AF_INET6 };
        for (size_t i = 0; i < 2; i++) {
                PortTally t;
                port_tally_init(&t, 1024, 65535);
                size_t pos = 0, last = 0, n = 0;
                ProcNetSocket s;
                while (proc_net_next(buf, size, &pos, families[i], &s) > 0) {
                        FUZZ_CHECK(pos > last && pos <= size);
                        FUZZ_CHECK(s.family == families[i]);
                        last = pos;
                        n++;
                        port_tally_add(&t, &s);
                        char a[64];
                        proc_net_format(s.family, s.remote, s.remote_port, a, sizeof a);
                        FUZZ_CHECK(strlen(a) < sizeof a);
                        FUZZ_CHECK(tcp_state_name(s.state) != NULL);
                }
                FUZZ_CHECK(pos == size || size == 0);
                FUZZ_CHECK(t.sockets <= n && t.time_wait <= t.sockets &&
                           t.n_dest <= PORT_TALLY_DESTINATIONS);
                const PortTallyDest *top = port_tally_top(&t);
                FUZZ_CHECK(!top == (t.n_dest == 0));
        }
        uint16_t lo, hi;
        const char *nl = memchr(buf, '\n', size);
        if (port_range_parse(buf, nl ? (size_t) (nl - buf) : size, &lo, &hi) == 0)
                FUZZ_CHECK(lo <= hi);
        free(buf);
        return 0;
}
