/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>

/* selinux-exec-label: an executable's SELinux label against the one the host's policy gives its
 * path (what restorecon would set). Everything is read under a root path, so goguardd ("/"),
 * `goguardctl check --root=DIR` and the tests share one code path. libselinux does the reading
 * and the file-context lookup behind the `selinux` build feature; security-label-fallback.c,
 * without it, knows no policy and so finds nothing. */

typedef struct SecurityLabels SecurityLabels;

/* What /etc/selinux/config and the running kernel say. */
typedef enum SelinuxMode {
        SELINUX_MODE_NONE,        /* no policy configured (no config, or SELINUX=disabled) */
        SELINUX_MODE_NOT_ENABLED, /* a policy is configured, the running kernel has SELinux off */
        SELINUX_MODE_PERMISSIVE,
        SELINUX_MODE_ENFORCING,
} SelinuxMode;

const char *selinux_mode_to_string(SelinuxMode m);

/* Reads root/etc/selinux/config and root/sys/fs/selinux/enforce and, when a policy is configured,
 * opens its file contexts (root/etc/selinux/TYPE/contexts/files/file_contexts). Returns 0 with
 * *ret NULL when no policy is configured, -EOPNOTSUPP in a build without libselinux, -errno
 * when the configured policy's file contexts cannot be read. */
int security_labels_open(const char *root, SecurityLabels **ret);
SecurityLabels *security_labels_free(SecurityLabels *l);
SelinuxMode security_labels_mode(const SecurityLabels *l);
/* SELINUXTYPE= of the config ("targeted", "default", ...). */
const char *security_labels_policy(const SecurityLabels *l);

typedef struct ExecLabelVerdict {
        char *actual;   /* the file's context; NULL when it has none (unlabeled) */
        char *expected; /* the context the policy's file contexts give its path */
        bool type_differs;
} ExecLabelVerdict;

void exec_label_verdict_done(ExecLabelVerdict *v);

/* Compares the label of the file at path (as the host sees it, read under the root) with the
 * policy's for that path. Returns 1 with *ret filled when they differ in their type (the part
 * that decides what a process may do; user and role differences are restorecon's business only
 * with -F), or when the file has no label on a host where SELinux is on; 0 when they agree or
 * there is nothing to judge: the policy has no context for the path, or the file is unlabeled
 * while SELinux is not enabled yet (the relabel at its first boot labels it). -errno when the
 * file cannot be read. */
int security_labels_check_exec(const SecurityLabels *l, const char *path, ExecLabelVerdict *ret);

/* The type the policy's file contexts give path ("bin_t"), for a denial's advice: *ret_type a
 * string the caller frees. -EOPNOTSUPP when no policy is open (l NULL) or in a build without
 * libselinux, -ENOENT when the policy has no label for the path. */
int security_labels_expected_type(const SecurityLabels *l, const char *path, char **ret_type);

/* The type of a context ("system_u:object_r:bin_t:s0" → "bin_t"), into buf; NULL if none. */
const char *security_context_type(const char *context, char *buf, size_t size);
