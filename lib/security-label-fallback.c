/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* security-label.h without libselinux (the `selinux` feature disabled): no policy can be read,
 * so no label is judged. */
#include <errno.h>
#include <stddef.h>

#include "security-label.h"

int security_labels_open(const char *root, SecurityLabels **ret) {
        return -EOPNOTSUPP;
}

SecurityLabels *security_labels_free(SecurityLabels *l) {
        return NULL;
}

SelinuxMode security_labels_mode(const SecurityLabels *l) {
        return SELINUX_MODE_NONE;
}

const char *security_labels_policy(const SecurityLabels *l) {
        return NULL;
}

int security_labels_expected_type(const SecurityLabels *l, const char *path, char **ret_type) {
        return -EOPNOTSUPP;
}

int security_labels_check_exec(const SecurityLabels *l, const char *path, ExecLabelVerdict *ret) {
        return 0;
}
