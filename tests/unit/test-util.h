/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <check.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

/* Each test program defines one suite; main() runs it and fails if any test failed. Check runs
 * every test in a forked child, so a crash fails that test and not the whole program. */
/* Whether this machine stores integers little-endian (fixtures of /proc/net are a little-endian
 * kernel's). */
static inline bool host_is_little_endian(void) {
        uint16_t one = 1;
        return *(uint8_t *) &one == 1;
}

#define DEFINE_TEST_MAIN(suite_func)                                                                        \
        int main(void) {                                                                                    \
                SRunner *sr = srunner_create(suite_func());                                                 \
                srunner_run_all(sr, CK_ENV);                                                                \
                int failed = srunner_ntests_failed(sr);                                                     \
                srunner_free(sr);                                                                           \
                return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;                                           \
        }
