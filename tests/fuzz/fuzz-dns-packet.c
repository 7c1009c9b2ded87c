/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>

#include "dns-packet.h"
#include "fuzz-util.h"

/* Bytes -> a reply to read (a server's answer is outside input) and a name to query: an RCODE is
 * four bits; a query is well-formed and within its buffer. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        unsigned rcode;
        int r = dns_packet_reply_rcode(data, size, 0x4242, &rcode);
        FUZZ_CHECK(r == 0 || r == -EBADMSG || r == -ESRCH);
        if (r == 0)
                FUZZ_CHECK(rcode < 16);

        char *name = malloc(size + 1);
        FUZZ_CHECK(name);
        memcpy(name, data, size);
        name[size] = 0;
        uint8_t q[DNS_PACKET_QUERY_MAX];
        int n = dns_packet_query(name, 0x4242, q, sizeof q);
        FUZZ_CHECK(n == -EINVAL || (n >= 12 + 2 + 4 && (size_t) n <= sizeof q));
        if (n > 0) {
                FUZZ_CHECK(q[0] == 0x42 && q[1] == 0x42 && q[5] == 1);
                /* the labels end at the root label, followed by QTYPE A, QCLASS IN */
                size_t o = 12;
                while (q[o] != 0) {
                        FUZZ_CHECK(q[o] <= 63);
                        o += 1 + q[o];
                        FUZZ_CHECK(o < (size_t) n);
                }
                FUZZ_CHECK(o + 5 == (size_t) n);
        }
        free(name);
        return 0;
}
