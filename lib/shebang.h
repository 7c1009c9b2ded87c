/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stddef.h>

#include "macro.h"

/* The "#!" line of a script as the kernel reads it (fs/binfmt_script.c, Linux 5.1 and later):
 * only the first SHEBANG_BUF_SIZE bytes (BINPRM_BUF_SIZE), "#!", blanks, the interpreter's path
 * up to a blank, a NUL or the line's end, then at most one argument: the rest of the line with
 * its blanks trimmed. A line longer than the buffer counts when the interpreter's path ends
 * inside it (the argument is then cut). */
#define SHEBANG_BUF_SIZE 256u

typedef struct Shebang {
        char *interpreter;
        char *argument; /* NULL when there is none */
} Shebang;

/* Parses the first n bytes of a file (at most SHEBANG_BUF_SIZE are read). -ENOEXEC when the
 * kernel would not run it as a script (no "#!", no interpreter, the interpreter's path cut by the
 * buffer's end), -ENOMEM. */
int shebang_parse(const char *buf, size_t n, Shebang *ret);
void shebang_done(Shebang *s);
