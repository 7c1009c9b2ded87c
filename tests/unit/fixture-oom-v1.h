/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The kernel's lines of one real OOM kill on cgroup v1 (../shared/fixtures/oom/box-cgroup-v1.txt:
 * a Go program under MemoryMax=40M in the sandboxed systemd), for the tests of the parser and of
 * the correlator. */
static const char *const box_v1[] = {
        "gofix-cgo invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0",
        "memory: usage 40960kB, limit 40960kB, failcnt 63",
        "memory+swap: usage 40960kB, limit 9007199254740988kB, failcnt 0",
        "kmem: usage 336kB, limit 9007199254740988kB, failcnt 0",
        "Memory cgroup stats for /system.slice/gomem.service:",
        "cache 0",
        "rss 41598976",
        "rss_huge 0",
        "shmem 0",
        "mapped_file 0",
        "dirty 0",
        "writeback 0",
        "workingset_refault_anon 0",
        "workingset_refault_file 0",
        "swap 0",
        "swapcached 0",
        "pgpgin 10162",
        "pgpgout 6",
        "pgfault 10319",
        "pgmajfault 0",
        "inactive_anon 41541632",
        "active_anon 4096",
        "inactive_file 0",
        "active_file 0",
        "unevictable 0",
        "hierarchical_memory_limit 41943040",
        "hierarchical_memsw_limit 9223372036854771712",
        "total_cache 0",
        "total_rss 41598976",
        "total_rss_huge 0",
        "total_shmem 0",
        "total_mapped_file 0",
        "total_dirty 0",
        "total_writeback 0",
        "total_workingset_refault_anon 0",
        "total_workingset_refault_file 0",
        "total_swap 0",
        "total_swapcached 0",
        "total_pgpgin 10162",
        "total_pgpgout 6",
        "total_pgfault 10319",
        "total_pgmajfault 0",
        "total_inactive_anon 41541632",
        "total_active_anon 4096",
        "total_inactive_file 0",
        "total_active_file 0",
        "total_unevictable 0",
        "Tasks state (memory values in pages):",
        "[  pid  ]   uid  tgid total_vm      rss rss_anon rss_file rss_shmem pgtables_bytes swapents "
        "oom_score_adj name",
        "[  10323]     0 10323   252290    10800    10112      688         0   217088        0             "
        "0 "
        "gofix-cgo",
        "oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=/"
        "system.slice/"
        "gomem.service,task_memcg=/system.slice/gomem.service,task=gofix-cgo,pid=10323,uid=0",
        "Memory cgroup out of memory: Killed process 10323 (gofix-cgo) total-vm:1009160kB, "
        "anon-rss:40448kB, "
        "file-rss:2752kB, shmem-rss:0kB, UID:0 pgtables:212kB oom_score_adj:0",
};
