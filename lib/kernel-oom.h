/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "macro.h"

/* One line of the kernel's OOM killer output (mm/oom_kill.c, mm/memcontrol.c), every version
 * in ../shared/fixtures/oom/kernel-formats.txt. Tolerant: anchored on the summary and the
 * "Killed process" line, every key:value optional. Pids are the kernel's (init namespace). */

#define KERNEL_OOM_LINE_MAX 4096u
#define KERNEL_OOM_COMM_MAX 16u /* TASK_COMM_LEN: 15 bytes and the NUL */

typedef enum KernelOomKind {
        KERNEL_OOM_NONE,
        KERNEL_OOM_INVOKED, /* "<comm> invoked oom-killer: ..." */
        KERNEL_OOM_SUMMARY, /* "oom-kill:constraint=...,task=...,pid=...,uid=..." */
        KERNEL_OOM_KILLED,  /* "<reason>: Killed process <pid> (<comm>) ..." */
        KERNEL_OOM_LIMIT,   /* "memory: usage <N>kB, limit <N>kB, failcnt <N>" */
        KERNEL_OOM_TASK_IN, /* old kernels: "Task in <cg> killed as a result of limit of <cg>" */
} KernelOomKind;

typedef enum KernelOomScope {
        KERNEL_OOM_SCOPE_UNKNOWN,
        KERNEL_OOM_SCOPE_MEMCG,  /* a memory cgroup limit */
        KERNEL_OOM_SCOPE_GLOBAL, /* the whole system */
} KernelOomScope;

typedef struct KernelOomRecord {
        KernelOomKind kind;
        KernelOomScope scope;
        char comm[KERNEL_OOM_COMM_MAX];
        bool has_pid, has_uid;
        uint32_t pid, uid;
        char *constraint; /* CONSTRAINT_MEMCG, ... */
        char *oom_memcg;  /* the cgroup whose limit was hit */
        char *task_memcg; /* the victim's cgroup */
        /* KILLED */
        bool has_rss;
        uint64_t total_vm_kb, anon_rss_kb, file_rss_kb, shmem_rss_kb;
        bool has_oom_score_adj;
        int32_t oom_score_adj;
        /* LIMIT */
        uint64_t usage_kb, limit_kb;
} KernelOomRecord;

/* Parses one kernel log line (MESSAGE of a _TRANSPORT=kernel entry). Returns 0 and sets kind
 * (KERNEL_OOM_NONE for unrelated lines), -EBADMSG for a line that starts like an OOM record
 * but cannot be read, -E2BIG for lines longer than KERNEL_OOM_LINE_MAX. */
int kernel_oom_parse(const char *line, size_t n, KernelOomRecord *ret);
void kernel_oom_record_done(KernelOomRecord *r);

/* The service or scope unit a cgroup path belongs to: the first path component that is not a
 * slice ("/system.slice/foo.service/sub" → "foo.service"; in a user manager's tree the user@
 * unit). ret_inner, if given, gets the innermost unit ("/user.slice/user-1000.slice/
 * user@1000.service/app.slice/x.service" → "x.service"). -ENOENT if there is none. */
int cgroup_path_to_unit(const char *path, char **ret_unit, char **ret_inner);
