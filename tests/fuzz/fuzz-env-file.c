/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <string.h>

#include "env-file.h"
#include "fuzz-util.h"
#include "strv.h"

/* Any bytes: a strv of KEY=VALUE with valid keys, or a clean error. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        char **l = NULL;
        int r = env_file_parse((const char *) data, size, &l);
        FUZZ_CHECK(r == 0 || r == -EBADMSG || r == -E2BIG || r == -ENOMEM);
        if (r < 0) {
                FUZZ_CHECK(!l);
                return 0;
        }
        FUZZ_CHECK(l);
        for (char **e = l; *e; e++) {
                const char *eq = strchr(*e, '=');
                FUZZ_CHECK(eq && eq != *e);
                FUZZ_CHECK(!(**e >= '0' && **e <= '9'));
        }
        FUZZ_CHECK(strv_length(l) <= ENV_FILE_VARS_MAX);
        strv_free(l);
        return 0;
}
