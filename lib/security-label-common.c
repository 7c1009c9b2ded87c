/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What security-label.c and its fallback share: names and the context's parts. */
#include <stdlib.h>
#include <string.h>

#include "security-label.h"

const char *selinux_mode_to_string(SelinuxMode m) {
        switch (m) {
        case SELINUX_MODE_NONE: return "none";
        case SELINUX_MODE_NOT_ENABLED: return "not-enabled";
        case SELINUX_MODE_PERMISSIVE: return "permissive";
        case SELINUX_MODE_ENFORCING: return "enforcing";
        }
        return "none";
}

void exec_label_verdict_done(ExecLabelVerdict *v) {
        free(v->actual);
        free(v->expected);
        *v = (ExecLabelVerdict){};
}

const char *security_context_type(const char *context, char *buf, size_t size) {
        /* user:role:type[:level]; the level may itself hold colons. */
        const char *p = context ? strchr(context, ':') : NULL;
        p = p ? strchr(p + 1, ':') : NULL;
        if (!p)
                return NULL;
        p++;
        size_t n = strcspn(p, ":");
        if (n == 0 || n >= size)
                return NULL;
        memcpy(buf, p, n);
        buf[n] = 0;
        return buf;
}
