/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>

#include "daemon-config.h"
#include "fuzz-util.h"
#include "strv.h"

/* Any bytes: the values stay in their ranges, or a clean error with a message. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        DaemonConfig c;
        char **warnings = NULL, *error = NULL;

        daemon_config_init(&c);
        int r = daemon_config_parse(&c, (const char *) data, size, &warnings, &error);
        FUZZ_CHECK(r == 0 || r == -EBADMSG || r == -EINVAL || r == -E2BIG || r == -ENOMEM);
        FUZZ_CHECK(r == 0 || r == -E2BIG || r == -ENOMEM || error);
        FUZZ_CHECK(r != 0 || !error);
        FUZZ_CHECK(c.sample_interval_usec >= 1000000 && c.sample_interval_usec <= 3600000000ull);
        FUZZ_CHECK(c.resolve_after_usec >= 1000000 && c.resolve_after_usec <= 604800000000ull);
        FUZZ_CHECK(c.prom_interval_usec >= 1000000 && c.prom_interval_usec <= 3600000000ull);
        FUZZ_CHECK(c.prom_series_max >= 10 && c.prom_series_max <= 100000);
        FUZZ_CHECK(!c.prom_directory || c.prom_directory[0] == '/');
        daemon_config_done(&c);
        strv_free(warnings);
        free(error);
        return 0;
}
