/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>

#include "fuzz-util.h"
#include "resolv-conf.h"

/* Bytes -> resolv.conf as Go reads it: at most three servers, each "IP:53" or "[IP]:53", lists
 * NUL-terminated within their size, the numbers within Go's bounds. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        ResolvConf rc;
        int r = resolv_conf_parse((const char *) data, size, &rc);
        FUZZ_CHECK(r == 0 || (r == -E2BIG && size > RESOLV_CONF_SIZE_MAX));
        if (r < 0)
                return 0;
        FUZZ_CHECK(rc.n_servers <= RESOLV_CONF_NAMESERVERS_MAX);
        for (size_t i = 0; i < rc.n_servers; i++) {
                size_t n = strnlen(rc.servers[i], RESOLV_CONF_SERVER_MAX);
                FUZZ_CHECK(n < RESOLV_CONF_SERVER_MAX && n > 3);
                FUZZ_CHECK(strcmp(rc.servers[i] + n - 3, ":53") == 0);
        }
        FUZZ_CHECK(strnlen(rc.search, RESOLV_CONF_LIST_MAX) < RESOLV_CONF_LIST_MAX);
        FUZZ_CHECK(strnlen(rc.options, RESOLV_CONF_LIST_MAX) < RESOLV_CONF_LIST_MAX);
        FUZZ_CHECK(rc.timeout_sec >= 1 && rc.timeout_sec <= 30);
        FUZZ_CHECK(rc.attempts >= 1 && rc.attempts <= 5);
        const char *const *defaults;
        size_t n = resolv_conf_servers(&rc, &defaults);
        FUZZ_CHECK(n > 0 && (rc.n_servers > 0) == (defaults == NULL));
        return 0;
}
