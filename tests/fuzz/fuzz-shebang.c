/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>

#include "fuzz-util.h"
#include "shebang.h"

/* Bytes -> a script's "#!" line, in a buffer of exactly their size: an interpreter is never empty
 * nor holds a blank, a NUL or a newline; neither does the argument start or end with a blank; and
 * both come from the first SHEBANG_BUF_SIZE bytes. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        char *buf = malloc(size ? size : 1);
        FUZZ_CHECK(buf);
        memcpy(buf, data, size);
        Shebang s;
        int r = shebang_parse(buf, size, &s);
        FUZZ_CHECK(r == 0 || r == -ENOEXEC || r == -ENOMEM);
        if (r == 0) {
                size_t n = strlen(s.interpreter);
                FUZZ_CHECK(n > 0 && n < SHEBANG_BUF_SIZE);
                FUZZ_CHECK(!strpbrk(s.interpreter, " \t\n"));
                FUZZ_CHECK(size >= 2 && buf[0] == '#' && buf[1] == '!');
                if (s.argument) {
                        size_t a = strlen(s.argument);
                        FUZZ_CHECK(a > 0 && n + a < SHEBANG_BUF_SIZE);
                        FUZZ_CHECK(!strchr(s.argument, '\n'));
                        FUZZ_CHECK(!strchr(" \t", s.argument[0]) && !strchr(" \t", s.argument[a - 1]));
                }
                shebang_done(&s);
        }
        free(buf);
        return 0;
}
