/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stddef.h>

/* The label the SELinux policy on this host expects for a path (its file_contexts), through
 * libselinux's selabel_lookup (lib/selinux-label.c); -EOPNOTSUPP without libselinux
 * (meson -Dselinux=disabled) or without a policy (ENOENT). ret_type gets the type alone
 * ("bin_t"). root: the policy root (NULL: the host's, /etc/selinux/config). */
int selinux_expected_type(const char *root, const char *path, char **ret_type);
