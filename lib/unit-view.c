/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loader-search.h"
#include "macro.h"
#include "unit-view.h"

/* The prefix length of a TemporaryFileSystem= entry ("PATH[:OPTIONS]") over path, 0 when none. */
static size_t tmpfs_prefix_len(const char *entry, const char *path) {
        size_t n = strcspn(entry, ":");
        char dir[4096];
        if (n == 0 || n >= sizeof dir)
                return 0;
        memcpy(dir, entry, n);
        dir[n] = 0;
        return loader_path_prefix_len(dir, path);
}

/* The TemporaryFileSystem= entry with the longest prefix over path (its length in *ret_len), or
 * NULL and 0. */
static const char *longest_tmpfs(const UnitView *v, const char *path, size_t *ret_len) {
        const char *best = NULL;
        size_t len = 0;
        for (char *const *t = v ? v->tmpfs : NULL; t && *t; t++) {
                size_t n = tmpfs_prefix_len(*t, path);
                if (n > len)
                        len = n, best = *t;
        }
        *ret_len = len;
        return best;
}

const char *unit_view_tmpfs_of(const UnitView *v, const char *path) {
        size_t len;
        return longest_tmpfs(v, path, &len);
}

int unit_view_resolve(const UnitView *v, const char *path, char **ret_host_path) {
        if (!path || path[0] != '/')
                return -EINVAL;
        size_t tmpfs, bind = 0;
        const char *source = NULL;
        (void) longest_tmpfs(v, path, &tmpfs);
        for (size_t k = 0; v && k < ELEMENTSOF(v->binds); k++)
                for (char *const *b = v->binds[k]; b && b[0] && b[1]; b += 2) {
                        size_t n = loader_path_prefix_len(b[1], path);
                        if (n > bind)
                                bind = n, source = b[0];
                }
        if (source && bind >= tmpfs) {
                while (*source == '-')
                        source++;
                if (source[0] != '/')
                        return -EINVAL;
                if (ret_host_path) {
                        const char *rest = path + bind;
                        if (asprintf(ret_host_path, "%s%s%s", source, rest[0] == '/' || !rest[0] ? "" : "/",
                                     rest) < 0) {
                                *ret_host_path = NULL;
                                return -ENOMEM;
                        }
                }
                return UNIT_VIEW_BIND;
        }
        return tmpfs > 0 ? UNIT_VIEW_HIDDEN : UNIT_VIEW_ROOT;
}
