/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "host-cpu.h"
#include "ld-so-cache.h"

/* An enabled binfmt_misc handler (/proc/sys/fs/binfmt_misc/NAME): a foreign binary it matches
 * runs through its interpreter (qemu-user) after all. */
typedef struct HostBinfmt {
        char *name;
        char *interpreter;
        uint8_t magic[128], mask[128];
        size_t magic_len;
        size_t offset;
} HostBinfmt;
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

        /* The loader family (lib/host-loader.c, lib/host-cpu.c): what runs here and how the
         * dynamic loader finds libraries. Read by host_facts_read_loader(). */
        bool loader_read;
        uint16_t machine; /* the kernel's (uname -m) as an ELF machine, 0 when not known */
        uint8_t elf_class;
        bool big_endian;
        const char *multiarch; /* "x86_64-linux-gnu", or NULL (static) */
        LdSoCache ld_cache;    /* root's /etc/ld.so.cache */
        int ld_cache_error;    /* 0 when read, else -errno (-ENOENT: no cache) */
        char **ld_conf_dirs;   /* the directories /etc/ld.so.conf (and its includes) name */
        char **default_dirs;   /* the loader's built-in directories that exist under root */
        char *libc_path;       /* root's libc.so.6, as the loader finds it */
        char *glibc_release;   /* "2.36", its release string, or NULL */
        char *glibc_version;   /* the newest GLIBC_x.y it defines ("GLIBC_2.36"), or NULL */
        HostBinfmt *binfmt;    /* enabled binfmt_misc handlers (under --root: its binfmt.d files) */
        size_t n_binfmt;
        char *proc_root; /* "/proc": a running unit's view is proc_root/PID/root */
        HostCpu cpu;
        /* The environment family (lib/host-environment.c): what root offers a Go program (TLS
         * roots, zone database, users), NULL until read; the kernel's highest capability (its
         * full bounding set) and the CPUs online, UINT64_MAX when not read. */
        HostEnvironment *environment;
        uint64_t cap_last_cap;
        uint64_t cpus_online; /* what the Go scheduler sizes GOMAXPROCS by, without a quota */
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
/* The loader block above, from h->root (and binfmt_misc from proc_root, "/proc" but in tests);
 * what cannot be read stays unknown. lib/host-loader.c. */
int host_facts_read_loader(HostFacts *h, const char *proc_root);
void host_facts_done_loader(HostFacts *h);
/* Only /etc/ld.so.cache and /etc/ld.so.conf again (ldconfig ran): small files, cheap. Returns
 * ld_cache_error. */
int host_facts_read_ld_cache(HostFacts *h);
/* The environment family's facts: h->environment under h->root, cap_last_cap from proc_root.
 * Replaces what was read before; 0 or -ENOMEM. */
int host_facts_read_environment(HostFacts *h, const char *proc_root);
/* What host_facts_read_all() could not read: each family then judges nothing of it. */
typedef struct HostFactsErrors {
        int loader;          /* host_facts_read_loader() */
        int environment;     /* host_facts_read_environment() */
        int security_labels; /* security_labels_open(); -EOPNOTSUPP in a build without libselinux */
} HostFactsErrors;
/* Every family's facts in turn, as goguardd reads them at start and `goguardctl check` for its
 * root: sysctls, loader, environment, the SELinux policy's file contexts. Returns -ENOMEM, else 0
 * with what failed in *ret_errors, for the caller to say in its own way. */
int host_facts_read_all(HostFacts *h, const char *proc_root, HostFactsErrors *ret_errors);
/* Swap what host_facts_read_ld_cache(), and host_facts_read_environment(), read: the daemon reads
 * them again into facts of their own, off its loop, and swaps them in there (the old ones then
 * go with host_facts_done()). */
void host_facts_swap_ld_cache(HostFacts *a, HostFacts *b);
void host_facts_swap_environment(HostFacts *a, HostFacts *b);
