/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <selinux/label.h>
#include <selinux/selinux.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit-fields.h"
#include "macro.h"
#include "selinux-label.h"

int selinux_expected_type(const char *root, const char *path, char **ret_type) {
        struct selinux_opt opt = { SELABEL_OPT_PATH, NULL };
        _cleanup_free_ char *fc = NULL;
        char *con = NULL;

        if (!path || path[0] != '/')
                return -EINVAL;
        if (root) {
                if (asprintf(&fc, "%s/contexts/files/file_contexts", root) < 0)
                        return -ENOMEM;
                opt.value = fc;
        }
        struct selabel_handle *h = selabel_open(SELABEL_CTX_FILE, root ? &opt : NULL, root ? 1 : 0);
        if (!h)
                return errno == ENOENT ? -EOPNOTSUPP : -(errno ?: EINVAL);
        int r = selabel_lookup(h, &con, path, 0);
        int e = errno;
        selabel_close(h);
        if (r < 0)
                return -(e ?: ENOENT);
        AuditSpan t, level;
        bool ok = selinux_context_type((AuditSpan){ con, strlen(con) }, &t, &level);
        char *type = ok ? strndup(t.p, t.n) : NULL;
        freecon(con);
        if (!ok)
                return -EINVAL;
        if (!type)
                return -ENOMEM;
        *ret_type = type;
        return 0;
}
