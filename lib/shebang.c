/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "shebang.h"

static bool spacetab(char c) {
        return c == ' ' || c == '\t';
}

static bool terminator(char c) {
        return spacetab(c) || c == 0;
}

int shebang_parse(const char *buf, size_t n, Shebang *ret) {
        n = MIN(n, (size_t) SHEBANG_BUF_SIZE);
        if (n < 2 || buf[0] != '#' || buf[1] != '!')
                return -ENOEXEC;
        const char *nl = memchr(buf, '\n', n);
        size_t end; /* the line's end, its newline excluded */
        if (nl)
                end = (size_t) (nl - buf);
        else {
                /* No newline within the buffer (the kernel looks at one byte less, its last being
                 * its NUL): the interpreter's path must end inside it. */
                end = n == SHEBANG_BUF_SIZE ? n - 1 : n;
                size_t i = 2;
                while (i < end && spacetab(buf[i]))
                        i++;
                if (i == end)
                        return -ENOEXEC;
                while (i < end && !terminator(buf[i]))
                        i++;
                if (i == end && n == SHEBANG_BUF_SIZE)
                        return -ENOEXEC; /* the path itself is cut */
        }
        while (end > 2 && spacetab(buf[end - 1]))
                end--;
        size_t name = 2;
        while (name < end && spacetab(buf[name]))
                name++;
        if (name >= end || buf[name] == 0)
                return -ENOEXEC;
        size_t sep = name;
        while (sep < end && !terminator(buf[sep]))
                sep++;
        Shebang s = {};
        s.interpreter = strndup(buf + name, sep - name);
        if (!s.interpreter)
                return -ENOMEM;
        /* A NUL ends the line for the kernel: no argument after it. */
        size_t arg = sep;
        if (arg < end && buf[arg] != 0) {
                while (arg < end && spacetab(buf[arg]))
                        arg++;
                size_t arg_end = arg;
                while (arg_end < end && buf[arg_end] != 0)
                        arg_end++;
                if (arg < arg_end && !(s.argument = strndup(buf + arg, arg_end - arg))) {
                        free(s.interpreter);
                        return -ENOMEM;
                }
        }
        *ret = s;
        return 0;
}

void shebang_done(Shebang *s) {
        free(s->interpreter);
        free(s->argument);
        *s = (Shebang){};
}
