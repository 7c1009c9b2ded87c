/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>

#include "fuzz-util.h"
#include "network-dns.h"

/* Bytes -> Go's DNSError in them, in a buffer of exactly their size (a journal MESSAGE is not
 * NUL-terminated): every span stays inside the message, in order, and the name holds only what
 * a shell command may quote. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        char *buf = malloc(size ? size : 1);
        FUZZ_CHECK(buf);
        memcpy(buf, data, size);
        DnsFailure d;
        int r = dns_failure_find(buf, size, &d);
        FUZZ_CHECK(r == 0 || r == -ENOENT);
        if (r == 0) {
                FUZZ_CHECK(d.start <= d.name_start && d.end <= size);
                FUZZ_CHECK(d.name_len > 0 && d.name_start + d.name_len < d.error_start);
                FUZZ_CHECK(d.server_len == 0 || (d.server_start > d.name_start + d.name_len &&
                                                 d.server_start + d.server_len < d.error_start));
                FUZZ_CHECK(d.error_len > 0 && d.error_start + d.error_len == d.end);
                FUZZ_CHECK(memmem(buf + d.start, d.end - d.start, "lookup ", 7));
                FUZZ_CHECK(d.kind >= 0 && d.kind < _DNS_FAILURE_KIND_MAX);
                FUZZ_CHECK(dns_failure_kind_to_string(d.kind));
                for (size_t i = 0; i < d.name_len; i++)
                        FUZZ_CHECK(buf[d.name_start + i] != '\'' && buf[d.name_start + i] != ' ' &&
                                   buf[d.name_start + i] != 0);
        }
        free(buf);
        return 0;
}
