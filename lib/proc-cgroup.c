/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kernel-oom.h"
#include "macro.h"
#include "proc-cgroup.h"

int proc_cgroup_unit(const char *text, size_t len, char **ret) {
        static const char v1[] = ":name=systemd:";
        for (size_t i = 0; i < len;) {
                const char *line = text + i, *nl = memchr(line, '\n', len - i);
                size_t n = nl ? (size_t) (nl - line) : len - i;
                i += n + 1;
                const char *path = NULL;
                if (n > 3 && memcmp(line, "0::", 3) == 0)
                        path = line + 3;
                else {
                        const char *p = memmem(line, n, v1, sizeof v1 - 1);
                        if (p)
                                path = p + sizeof v1 - 1;
                }
                if (!path)
                        continue;
                _cleanup_free_ char *cg = strndup(path, n - (size_t) (path - line));
                if (!cg)
                        return -ENOMEM;
                /* In the hybrid layout "0::" may be empty ("/"): the v1 line names the unit. */
                if (cgroup_path_to_unit(cg, ret, NULL) >= 0)
                        return 0;
        }
        return -ENOENT;
}
