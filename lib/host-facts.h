/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdint.h>

/* What the host is, as the condition classes (environment, loader, runs-as-root, SELinux labels)
 * need it: read under a root path, so that goguardd ("/"), `goguardctl check --root=DIR` and the
 * tests share one code path. Each family reads its own facts (lib/host-*.c) into its own block
 * below; a fact not read is UINT64_MAX, or NULL. */
typedef struct HostFacts {
        char *root; /* "/" for this host */

        /* Sysctls findings cite (from /proc/sys, so the running kernel's, also under --root). */
        uint64_t kernel_threads_max;
        uint64_t fs_file_max;
        uint64_t vm_overcommit_memory;
        uint64_t ip_unprivileged_port_start;

        /* selinux-exec-label: the SELinux policy configured under the root, its mode and file
         * contexts (lib/security-label.h, security_labels_open()); NULL when none is. */
        struct SecurityLabels *security_labels;
} HostFacts;

/* Everything unknown; root "/" when root is NULL. */
int host_facts_init(HostFacts *h, const char *root);
void host_facts_done(HostFacts *h);
/* The sysctls above from proc_root ("/proc" but in tests); one that cannot be read stays
 * unknown. Returns how many were read. */
int host_facts_read_sysctls(HostFacts *h, const char *proc_root);
