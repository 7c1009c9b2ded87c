/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdlib.h>
#include <string.h>

#include "fuzz-util.h"
#include "utf8.h"

/* Any bytes: the escaped form is valid UTF-8 without NULs, at most four bytes per byte in;
 * valid input without NULs comes back unchanged, and escaping is idempotent. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        char *out = NULL, *again = NULL;
        int r = utf8_escape_invalid((const char *) data, size, &out);
        FUZZ_CHECK(r >= 0);
        size_t n = strlen(out);
        FUZZ_CHECK(n <= size * 4);
        FUZZ_CHECK(utf8_is_valid(out, n));
        FUZZ_CHECK(!utf8_needs_escape(out, n));
        FUZZ_CHECK((r == 0) == !utf8_needs_escape((const char *) data, size));
        if (r == 0)
                FUZZ_CHECK(n == size && memcmp(out, data, size) == 0);
        else
                FUZZ_CHECK(n == size + 3 * (size_t) r);
        FUZZ_CHECK(utf8_escape_invalid(out, n, &again) == 0 && strcmp(again, out) == 0);
        free(again);
        free(out);
        return 0;
}
