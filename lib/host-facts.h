/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdint.h>

#include "host-environment.h"

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

        /* The environment family (lib/host-environment.c): what root offers a Go program (TLS
         * roots, zone database, users), NULL until read; the kernel's highest capability (its
         * full bounding set) and the CPUs online, UINT64_MAX when not read. */
        HostEnvironment *environment;
        uint64_t cap_last_cap;
        uint64_t cpus_online; /* what the Go scheduler sizes GOMAXPROCS by, without a quota */
} HostFacts;

/* Everything unknown; root "/" when root is NULL. */
int host_facts_init(HostFacts *h, const char *root);
void host_facts_done(HostFacts *h);
/* The sysctls above from proc_root ("/proc" but in tests); one that cannot be read stays
 * unknown. Returns how many were read. */
int host_facts_read_sysctls(HostFacts *h, const char *proc_root);
/* The environment family's facts: h->environment under h->root, cap_last_cap from proc_root.
 * Replaces what was read before; 0 or -ENOMEM. */
int host_facts_read_environment(HostFacts *h, const char *proc_root);
