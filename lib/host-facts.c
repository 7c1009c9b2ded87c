/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "host-facts.h"
#include "macro.h"
#include "parse-util.h"
#include "security-label.h"

int host_facts_init(HostFacts *h, const char *root) {
        *h = (HostFacts){
                .kernel_threads_max = UINT64_MAX,
                .fs_file_max = UINT64_MAX,
                .vm_overcommit_memory = UINT64_MAX,
                .ip_unprivileged_port_start = UINT64_MAX,
                .cap_last_cap = UINT64_MAX,
                .cpus_online = UINT64_MAX,
        };
        h->root = strdup(root ?: "/");
        return h->root ? 0 : -ENOMEM;
}

int host_facts_read_all(HostFacts *h, const char *proc_root, HostFactsErrors *ret_errors) {
        HostFactsErrors e = {};
        (void) host_facts_read_sysctls(h, proc_root);
        e.loader = host_facts_read_loader(h, proc_root);
        e.environment = host_facts_read_environment(h, proc_root);
        e.security_labels = security_labels_open(h->root, &h->security_labels);
        if (e.loader == -ENOMEM || e.environment == -ENOMEM || e.security_labels == -ENOMEM)
                return -ENOMEM;
        *ret_errors = e;
        return 0;
}

void host_facts_done(HostFacts *h) {
        host_facts_done_loader(h);
        host_environment_free(h->environment);
        security_labels_free(h->security_labels);
        free(h->root);
        *h = (HostFacts){};
}

static int read_u64(const char *proc_root, const char *name, uint64_t *ret) {
        char path[256], buf[64];
        snprintf(path, sizeof path, "%s/sys/%s", proc_root, name);
        _cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
        if (fd < 0)
                return -errno;
        ssize_t n = read(fd, buf, sizeof buf - 1);
        if (n < 0)
                return -errno;
        buf[n] = 0;
        buf[strcspn(buf, "\n")] = 0;
        return parse_u64(buf, ret);
}

int host_facts_read_sysctls(HostFacts *h, const char *proc_root) {
        static const struct {
                const char *name;
                size_t offset;
        } table[] = {
                { "kernel/threads-max", offsetof(HostFacts, kernel_threads_max) },
                { "fs/file-max", offsetof(HostFacts, fs_file_max) },
                { "vm/overcommit_memory", offsetof(HostFacts, vm_overcommit_memory) },
                { "net/ipv4/ip_unprivileged_port_start", offsetof(HostFacts, ip_unprivileged_port_start) },
        };
        int n = 0;
        for (size_t i = 0; i < ELEMENTSOF(table); i++) {
                uint64_t v;
                if (read_u64(proc_root ?: "/proc", table[i].name, &v) >= 0) {
                        *(uint64_t *) ((char *) h + table[i].offset) = v;
                        n++;
                }
        }
        return n;
}

int host_facts_read_environment(HostFacts *h, const char *proc_root) {
        HostEnvironment *e;
        int r = host_environment_read(h->root, &e);
        if (r < 0)
                return r;
        host_environment_free(h->environment);
        h->environment = e;
        if (host_read_cap_last_cap(proc_root, &h->cap_last_cap) < 0)
                h->cap_last_cap = UINT64_MAX;
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        h->cpus_online = n > 0 ? (uint64_t) n : UINT64_MAX;
        return 0;
}

void host_facts_swap_ld_cache(HostFacts *a, HostFacts *b) {
        SWAP(a->ld_cache, b->ld_cache);
        SWAP(a->ld_cache_error, b->ld_cache_error);
        SWAP(a->ld_conf_dirs, b->ld_conf_dirs);
}

void host_facts_swap_environment(HostFacts *a, HostFacts *b) {
        SWAP(a->environment, b->environment);
        SWAP(a->cap_last_cap, b->cap_last_cap);
        SWAP(a->cpus_online, b->cpus_online);
}
