/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <string.h>

#include "kernel-oom.h"
#include "test-util.h"
#include "unit-name.h"

#include "fixture-oom-v1.h"

static KernelOomRecord parse_ok(const char *line) {
        KernelOomRecord r;
        memset(&r, 0xaa, sizeof r);
        int k = kernel_oom_parse(line, strlen(line), &r);
        ck_assert_msg(k == 0, "parse failed (%d): %s", k, line);
        return r;
}

static void check_none(const char *line) {
        KernelOomRecord r = parse_ok(line);
        ck_assert_msg(r.kind == KERNEL_OOM_NONE, "kind %d for: %s", r.kind, line);
        ck_assert_int_eq(r.scope, KERNEL_OOM_SCOPE_UNKNOWN);
        ck_assert_ptr_null(r.constraint);
        ck_assert_ptr_null(r.oom_memcg);
        ck_assert_ptr_null(r.task_memcg);
        ck_assert(!r.has_pid);
        kernel_oom_record_done(&r);
}

static void check_bad(const char *line) {
        KernelOomRecord r = { .kind = KERNEL_OOM_TASK_IN };
        ck_assert_msg(kernel_oom_parse(line, strlen(line), &r) == -EBADMSG, "not refused: %s", line);
        ck_assert_int_eq(r.kind, KERNEL_OOM_TASK_IN); /* untouched on error */
}

START_TEST(test_box_fixture) {
        size_t n_invoked = 0, n_summary = 0, n_killed = 0, n_limit = 0, n_none = 0;
        for (size_t i = 0; i < ELEMENTSOF(box_v1); i++) {
                KernelOomRecord r = parse_ok(box_v1[i]);
                switch (r.kind) {
                case KERNEL_OOM_INVOKED:
                        n_invoked++;
                        ck_assert_str_eq(r.comm, "gofix-cgo");
                        ck_assert(!r.has_pid);
                        break;
                case KERNEL_OOM_LIMIT:
                        n_limit++;
                        ck_assert_uint_eq(r.usage_kb, 40960);
                        ck_assert_uint_eq(r.limit_kb, 40960);
                        break;
                case KERNEL_OOM_SUMMARY:
                        n_summary++;
                        ck_assert_int_eq(r.scope, KERNEL_OOM_SCOPE_MEMCG);
                        ck_assert_str_eq(r.constraint, "CONSTRAINT_MEMCG");
                        ck_assert_str_eq(r.oom_memcg, "/system.slice/gomem.service");
                        ck_assert_str_eq(r.task_memcg, "/system.slice/gomem.service");
                        ck_assert_str_eq(r.comm, "gofix-cgo");
                        ck_assert(r.has_pid && r.has_uid);
                        ck_assert_uint_eq(r.pid, 10323);
                        ck_assert_uint_eq(r.uid, 0);
                        ck_assert(!r.has_rss);
                        break;
                case KERNEL_OOM_KILLED:
                        n_killed++;
                        ck_assert_int_eq(r.scope, KERNEL_OOM_SCOPE_MEMCG);
                        ck_assert_str_eq(r.comm, "gofix-cgo");
                        ck_assert(r.has_pid && r.has_uid && r.has_rss && r.has_oom_score_adj);
                        ck_assert_uint_eq(r.pid, 10323);
                        ck_assert_uint_eq(r.uid, 0);
                        ck_assert_uint_eq(r.total_vm_kb, 1009160);
                        ck_assert_uint_eq(r.anon_rss_kb, 40448);
                        ck_assert_uint_eq(r.file_rss_kb, 2752);
                        ck_assert_uint_eq(r.shmem_rss_kb, 0);
                        ck_assert_int_eq(r.oom_score_adj, 0);
                        ck_assert_ptr_null(r.task_memcg);
                        break;
                case KERNEL_OOM_NONE: n_none++; break;
                default: ck_abort_msg("unexpected kind %d for: %s", r.kind, box_v1[i]);
                }
                kernel_oom_record_done(&r);
        }
        ck_assert_uint_eq(n_invoked, 1);
        ck_assert_uint_eq(n_limit, 1); /* "memory+swap: usage" and "kmem: usage" are not the limit */
        ck_assert_uint_eq(n_summary, 1);
        ck_assert_uint_eq(n_killed, 1);
        ck_assert_uint_eq(n_none, ELEMENTSOF(box_v1) - 4);
}
END_TEST

START_TEST(test_invoked) {
        KernelOomRecord r =
                parse_ok("stress-ng-vm invoked oom-killer: gfp_mask=0x100cca(GFP_HIGHUSER_MOVABLE), "
                         "order=0, oom_score_adj=1000");
        ck_assert_int_eq(r.kind, KERNEL_OOM_INVOKED);
        ck_assert_str_eq(r.comm, "stress-ng-vm");
        ck_assert_int_eq(r.scope, KERNEL_OOM_SCOPE_UNKNOWN);
        ck_assert(!r.has_oom_score_adj); /* only the kill line's oom_score_adj is read */
        kernel_oom_record_done(&r);

        /* The 4.x template, with nodemask. */
        r = parse_ok("java invoked oom-killer: gfp_mask=0x14200ca(GFP_HIGHUSER_MOVABLE), nodemask=(null), "
                     "order=0, oom_score_adj=0");
        ck_assert_int_eq(r.kind, KERNEL_OOM_INVOKED);
        ck_assert_str_eq(r.comm, "java");
        kernel_oom_record_done(&r);

        /* A comm of 15 bytes (TASK_COMM_LEN - 1), and one longer than the kernel could print. */
        r = parse_ok(
                "abcdefghijklmno invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0");
        ck_assert_str_eq(r.comm, "abcdefghijklmno");
        r = parse_ok("abcdefghijklmnopqrstu invoked oom-killer: order=0");
        ck_assert_int_eq(r.kind, KERNEL_OOM_INVOKED);
        ck_assert_str_eq(r.comm, "abcdefghijklmno");
        /* A comm with spaces. */
        r = parse_ok("my worker invoked oom-killer: order=0");
        ck_assert_str_eq(r.comm, "my worker");
        /* Trailing newlines (from /dev/kmsg or a text file) are ignored. */
        r = parse_ok("gofix invoked oom-killer: order=0\r\n");
        ck_assert_str_eq(r.comm, "gofix");
}
END_TEST

START_TEST(test_summary) {
        /* Every field, as in 5.x/6.x. */
        KernelOomRecord r = parse_ok("oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,"
                                     "mems_allowed=0,oom_memcg=/system.slice/a.service,"
                                     "task_memcg=/system.slice/a.service/sub,task=a,pid=42,uid=1000");
        ck_assert_int_eq(r.kind, KERNEL_OOM_SUMMARY);
        ck_assert_int_eq(r.scope, KERNEL_OOM_SCOPE_MEMCG);
        ck_assert_str_eq(r.constraint, "CONSTRAINT_MEMCG");
        ck_assert_str_eq(r.oom_memcg, "/system.slice/a.service");
        ck_assert_str_eq(r.task_memcg, "/system.slice/a.service/sub");
        ck_assert_str_eq(r.comm, "a");
        ck_assert(r.has_pid && r.has_uid);
        ck_assert_uint_eq(r.pid, 42);
        ck_assert_uint_eq(r.uid, 1000);
        kernel_oom_record_done(&r);
        ck_assert_ptr_null(r.constraint);
        ck_assert_int_eq(r.kind, KERNEL_OOM_NONE);

        /* Bitmap lists hold commas: "nodemask=0,2", "mems_allowed=0-1,3"; a comma in a cgroup path
         * stays in the path. */
        r = parse_ok(
                "oom-kill:constraint=CONSTRAINT_MEMORY_POLICY,nodemask=0,2,cpuset=/x,y,mems_allowed=0-1,3,"
                "global_oom,task_memcg=/system.slice/a,b.service,task=worker,pid=7,uid=0");
        ck_assert_int_eq(r.kind, KERNEL_OOM_SUMMARY);
        ck_assert_int_eq(r.scope, KERNEL_OOM_SCOPE_GLOBAL);
        ck_assert_str_eq(r.constraint, "CONSTRAINT_MEMORY_POLICY");
        ck_assert_ptr_null(r.oom_memcg);
        ck_assert_str_eq(r.task_memcg, "/system.slice/a,b.service");
        ck_assert_str_eq(r.comm, "worker");
        ck_assert_uint_eq(r.pid, 7);
        kernel_oom_record_done(&r);

        /* The global_oom flag, without a memcg. */
        r = parse_ok(
                "oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,"
                "task_memcg=/system.slice/gomem.service,task=gofix-cgo,pid=10323,uid=0");
        ck_assert_int_eq(r.scope, KERNEL_OOM_SCOPE_GLOBAL);
        ck_assert_str_eq(r.constraint, "CONSTRAINT_NONE");
        ck_assert_ptr_null(r.oom_memcg);
        ck_assert_str_eq(r.task_memcg, "/system.slice/gomem.service");
        kernel_oom_record_done(&r);

        /* Flag last, and a cpuset constraint. */
        r = parse_ok("oom-kill:constraint=CONSTRAINT_CPUSET,nodemask=(null),cpuset=/pinned,mems_allowed=1,"
                     "task=x,pid=1,uid=2,global_oom");
        ck_assert_int_eq(r.scope, KERNEL_OOM_SCOPE_GLOBAL);
        ck_assert_str_eq(r.constraint, "CONSTRAINT_CPUSET");
        ck_assert_uint_eq(r.uid, 2);
        kernel_oom_record_done(&r);

        /* An early variant padded the numbers: pid=%5d,uid=%5d. */
        r = parse_ok("oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),oom_memcg=/a.slice,"
                     "task_memcg=/a.slice/b.service,task=b,pid=  123,uid=    0");
        ck_assert(r.has_pid && r.has_uid);
        ck_assert_uint_eq(r.pid, 123);
        ck_assert_uint_eq(r.uid, 0);
        ck_assert_int_eq(r.scope, KERNEL_OOM_SCOPE_MEMCG);
        kernel_oom_record_done(&r);

        /* A 15-byte comm; a longer task= is cut like the kernel cuts it. */
        r = parse_ok("oom-kill:task=abcdefghijklmno,pid=1");
        ck_assert_str_eq(r.comm, "abcdefghijklmno");
        r = parse_ok("oom-kill:task=abcdefghijklmnopqrstuvwxyz,pid=1");
        ck_assert_str_eq(r.comm, "abcdefghijklmno");

        /* Every field is optional. */
        r = parse_ok("oom-kill:");
        ck_assert_int_eq(r.kind, KERNEL_OOM_SUMMARY);
        ck_assert_int_eq(r.scope, KERNEL_OOM_SCOPE_UNKNOWN);
        ck_assert(!r.has_pid && !r.has_uid);
        ck_assert_str_eq(r.comm, "");
        ck_assert_ptr_null(r.constraint);
        ck_assert_ptr_null(r.task_memcg);
        r = parse_ok("oom-kill:task=foo");
        ck_assert_str_eq(r.comm, "foo");
        ck_assert(!r.has_pid);
        r = parse_ok("oom-kill:constraint=CONSTRAINT_MEMCG");
        ck_assert_int_eq(r.scope, KERNEL_OOM_SCOPE_MEMCG); /* from the constraint alone */
        kernel_oom_record_done(&r);
        /* Unreadable numbers are left out rather than failing the line. */
        r = parse_ok("oom-kill:task=t,pid=x1,uid=-1");
        ck_assert_int_eq(r.kind, KERNEL_OOM_SUMMARY);
        ck_assert(!r.has_pid && !r.has_uid);
        r = parse_ok("oom-kill:pid=4294967296,uid=4294967295");
        ck_assert(!r.has_pid);
        ck_assert(r.has_uid);
        ck_assert_uint_eq(r.uid, 4294967295u);
        r = parse_ok("oom-kill:pid=99999999999999999999999");
        ck_assert(!r.has_pid);
        r = parse_ok("oom-kill:pid=12 ");
        ck_assert(!r.has_pid);
        r = parse_ok("oom-kill:pid=");
        ck_assert(!r.has_pid);

        /* A later key wins; empty values are kept. */
        r = parse_ok("oom-kill:task_memcg=/a,task_memcg=,oom_memcg=");
        ck_assert_str_eq(r.task_memcg, "");
        ck_assert_str_eq(r.oom_memcg, "");
        ck_assert_int_eq(r.scope, KERNEL_OOM_SCOPE_MEMCG);
        kernel_oom_record_done(&r);

        /* Not at the start of the line: not a summary. */
        check_none(" oom-kill:constraint=CONSTRAINT_MEMCG,task=x,pid=1");
        check_none("oom-kill constraint=CONSTRAINT_MEMCG");
}
END_TEST

START_TEST(test_pid_continuation) {
        /* "pid=5,junk": the token without '=' continues pid's value, which is then not a number. */
        KernelOomRecord r = parse_ok("oom-kill:uid=9,pid=5,junk");
        ck_assert(r.has_uid);
        ck_assert(!r.has_pid);
        kernel_oom_record_done(&r);
}
END_TEST

START_TEST(test_killed) {
        static const struct {
                const char *line;
                KernelOomScope scope;
        } prefixes[] = {
                { "Out of memory: Killed process 77 (svc) total-vm:1000kB, anon-rss:500kB, file-rss:20kB, "
                  "shmem-rss:3kB, UID:1000 pgtables:10kB oom_score_adj:-900",
                  KERNEL_OOM_SCOPE_GLOBAL },
                { "Memory cgroup out of memory: Killed process 77 (svc) total-vm:1000kB, anon-rss:500kB, "
                  "file-rss:20kB, shmem-rss:3kB, UID:1000 pgtables:10kB oom_score_adj:-900",
                  KERNEL_OOM_SCOPE_MEMCG },
                { "Out of memory (oom_kill_allocating_task): Killed process 77 (svc) total-vm:1000kB, "
                  "anon-rss:500kB, file-rss:20kB, shmem-rss:3kB, UID:1000 pgtables:10kB oom_score_adj:-900",
                  KERNEL_OOM_SCOPE_GLOBAL },
                /* 4.x: no reason, no UID, no oom_score_adj */
                { "Killed process 77 (svc) total-vm:1000kB, anon-rss:500kB, file-rss:20kB, shmem-rss:3kB, "
                  "UID:1000 oom_score_adj:-900",
                  KERNEL_OOM_SCOPE_UNKNOWN },
                { "Something else: Killed process 77 (svc) total-vm:1000kB, anon-rss:500kB, file-rss:20kB, "
                  "shmem-rss:3kB, UID:1000 pgtables:10kB oom_score_adj:-900",
                  KERNEL_OOM_SCOPE_UNKNOWN },
        };
        for (size_t i = 0; i < ELEMENTSOF(prefixes); i++) {
                KernelOomRecord r = parse_ok(prefixes[i].line);
                ck_assert_int_eq(r.kind, KERNEL_OOM_KILLED);
                ck_assert_msg(r.scope == prefixes[i].scope, "scope %d for %s", r.scope, prefixes[i].line);
                ck_assert(r.has_pid);
                ck_assert_uint_eq(r.pid, 77);
                ck_assert_str_eq(r.comm, "svc");
                ck_assert(r.has_rss);
                ck_assert_uint_eq(r.total_vm_kb, 1000);
                ck_assert_uint_eq(r.anon_rss_kb, 500);
                ck_assert_uint_eq(r.file_rss_kb, 20);
                ck_assert_uint_eq(r.shmem_rss_kb, 3);
                ck_assert(r.has_uid);
                ck_assert_uint_eq(r.uid, 1000);
                ck_assert(r.has_oom_score_adj);
                ck_assert_int_eq(r.oom_score_adj, -900);
                ck_assert_ptr_null(r.constraint);
                kernel_oom_record_done(&r);
        }

        /* The oldest format: nothing after the comm. */
        KernelOomRecord r = parse_ok("Killed process 8 (old)");
        ck_assert_int_eq(r.kind, KERNEL_OOM_KILLED);
        ck_assert_str_eq(r.comm, "old");
        ck_assert(!r.has_rss && !r.has_uid && !r.has_oom_score_adj);
        r = parse_ok("Out of memory: Killed process 8 (old) total-vm:1kB");
        ck_assert(r.has_rss);
        ck_assert_uint_eq(r.total_vm_kb, 1);
        ck_assert_uint_eq(r.anon_rss_kb, 0);

        /* A comm that holds ") ": the last ") " before "total-vm:" ends it. */
        r = parse_ok("Memory cgroup out of memory: Killed process 9 (a) (b) c) total-vm:10kB, anon-rss:2kB, "
                     "file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:1kB oom_score_adj:1000");
        ck_assert_str_eq(r.comm, "a) (b) c");
        ck_assert_uint_eq(r.anon_rss_kb, 2);
        ck_assert_int_eq(r.oom_score_adj, 1000);
        /* ... and without total-vm the first ')'. */
        r = parse_ok("Killed process 9 (a) b)");
        ck_assert_str_eq(r.comm, "a");
        /* An empty comm, a 15-byte one and a longer one. */
        r = parse_ok("Killed process 9 () total-vm:1kB");
        ck_assert_str_eq(r.comm, "");
        r = parse_ok("Killed process 9 (abcdefghijklmno) total-vm:1kB");
        ck_assert_str_eq(r.comm, "abcdefghijklmno");
        r = parse_ok("Killed process 9 (abcdefghijklmnopqrst) total-vm:1kB");
        ck_assert_str_eq(r.comm, "abcdefghijklmno");

        /* Negative and extreme oom_score_adj; large pids and uids. */
        r = parse_ok("Out of memory: Killed process 4294967295 (x) total-vm:0kB, "
                     "anon-rss:18446744073709551615kB, "
                     "file-rss:0kB, shmem-rss:0kB, UID:4294967295 pgtables:0kB oom_score_adj:-1000");
        ck_assert_uint_eq(r.pid, 4294967295u);
        ck_assert_uint_eq(r.uid, 4294967295u);
        ck_assert_uint_eq(r.anon_rss_kb, UINT64_MAX);
        ck_assert_int_eq(r.oom_score_adj, -1000);
        r = parse_ok("Killed process 1 (x) total-vm:0kB, UID:4294967296 oom_score_adj:-2147483648");
        ck_assert(!r.has_uid);
        ck_assert(!r.has_oom_score_adj);
        r = parse_ok("Killed process 1 (x) total-vm:0kB, oom_score_adj:2147483647");
        ck_assert(r.has_oom_score_adj);
        ck_assert_int_eq(r.oom_score_adj, 2147483647);
        r = parse_ok("Killed process 1 (x) total-vm:0kB, oom_score_adj:-");
        ck_assert(!r.has_oom_score_adj);
        r = parse_ok("Killed process 1 (x) anon-rss:99999999999999999999kB");
        ck_assert(!r.has_rss);

        /* Malformed kill lines. */
        check_bad("Killed process ");
        check_bad("Killed process x (y)");
        check_bad("Killed process 12(y)");
        check_bad("Killed process 12 y");
        check_bad("Killed process 12 (unterminated");
        check_bad("Killed process 12");
        check_bad("Out of memory: Killed process 4294967296 (x) total-vm:1kB");
        check_bad("Out of memory: Killed process 99999999999999999999999 (x)");

        /* Other lines that mention processes. */
        check_none("Out of memory: Kill process 77 (svc) score 900 or sacrifice child");
        check_none("oom_reaper: reaped process 77 (svc), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB");
        check_none("oom_reaper: unable to reap pid:77 (svc)");
        check_none("killed process 77 (svc)");
}
END_TEST

START_TEST(test_limit) {
        KernelOomRecord r = parse_ok("memory: usage 40960kB, limit 40960kB, failcnt 63");
        ck_assert_int_eq(r.kind, KERNEL_OOM_LIMIT);
        ck_assert_uint_eq(r.usage_kb, 40960);
        ck_assert_uint_eq(r.limit_kb, 40960);
        r = parse_ok("memory: usage 1 kB, limit 2 kB, failcnt 0");
        ck_assert_int_eq(r.kind, KERNEL_OOM_LIMIT);
        ck_assert_uint_eq(r.usage_kb, 1);
        ck_assert_uint_eq(r.limit_kb, 2);
        r = parse_ok("memory: usage 5kB, limit 9007199254740988kB, failcnt 0");
        ck_assert_uint_eq(r.limit_kb, 9007199254740988ull);

        check_none("memory+swap: usage 40960kB, limit 9007199254740988kB, failcnt 0");
        check_none("swap: usage 0kB, limit 9007199254740988kB, failcnt 0");
        check_none("kmem: usage 336kB, limit 9007199254740988kB, failcnt 0");
        check_none(" memory: usage 1kB, limit 2kB, failcnt 0");

        check_bad("memory: usage 40960kB");
        check_bad("memory: usage kB, limit 1kB");
        check_bad("memory: usage 1kB, limit kB");
        check_bad("memory: usage ");
        check_bad("memory: usage 99999999999999999999kB, limit 1kB");
}
END_TEST

START_TEST(test_task_in) {
        KernelOomRecord r = parse_ok("Task in /system.slice/gomem.service killed as a result of limit of "
                                     "/system.slice");
        ck_assert_int_eq(r.kind, KERNEL_OOM_TASK_IN);
        ck_assert_int_eq(r.scope, KERNEL_OOM_SCOPE_MEMCG);
        ck_assert_str_eq(r.task_memcg, "/system.slice/gomem.service");
        ck_assert_str_eq(r.oom_memcg, "/system.slice");
        ck_assert(!r.has_pid);
        kernel_oom_record_done(&r);

        /* An empty cgroup; and the prefix's space is not the separator's. */
        r = parse_ok("Task in  killed as a result of limit of /x");
        ck_assert_int_eq(r.kind, KERNEL_OOM_TASK_IN);
        ck_assert_str_eq(r.task_memcg, "");
        ck_assert_str_eq(r.oom_memcg, "/x");
        kernel_oom_record_done(&r);
        check_none("Task in killed as a result of limit of /syse");
        check_none("Task in /system.slice/gomem.service was killed");
        check_none("Memory limit reached of cgroup /system.slice/gomem.service");
}
END_TEST

START_TEST(test_unrelated_and_sizes) {
        check_none("");
        check_none("\n");
        check_none("Memory cgroup stats for /system.slice/gomem.service:");
        check_none("[  10323]     0 10323   252290    10800    10112      688         0   217088        0   "
                   "  0 x");
        check_none("audit: type=1400 audit(1.2:3): apparmor=\"DENIED\"");
        check_none("oom-kil");
        check_none("invoked oom-killer:");

        KernelOomRecord r;
        /* A NUL-free buffer without a terminator: n is all that counts. */
        char buf[] = { 'o', 'o', 'm', '-', 'k', 'i', 'l', 'l', ':', 'p', 'i', 'd', '=', '4', '2', '9' };
        ck_assert_int_eq(kernel_oom_parse(buf, 15, &r), 0);
        ck_assert_int_eq(r.kind, KERNEL_OOM_SUMMARY);
        ck_assert_uint_eq(r.pid, 42);

        /* Up to KERNEL_OOM_LINE_MAX bytes, then -E2BIG. */
        char *big = malloc(KERNEL_OOM_LINE_MAX + 2);
        ck_assert_ptr_nonnull(big);
        static const char head[] = "oom-kill:pid=1,task_memcg=/";
        memcpy(big, head, strlen(head));
        memset(big + strlen(head), 'a', KERNEL_OOM_LINE_MAX + 2 - strlen(head));
        ck_assert_int_eq(kernel_oom_parse(big, KERNEL_OOM_LINE_MAX, &r), 0);
        ck_assert_int_eq(r.kind, KERNEL_OOM_SUMMARY);
        ck_assert_uint_eq(strlen(r.task_memcg), KERNEL_OOM_LINE_MAX - strlen("oom-kill:pid=1,task_memcg="));
        kernel_oom_record_done(&r);
        r = (KernelOomRecord){ .kind = KERNEL_OOM_LIMIT };
        ck_assert_int_eq(kernel_oom_parse(big, KERNEL_OOM_LINE_MAX + 1, &r), -E2BIG);
        ck_assert_int_eq(r.kind, KERNEL_OOM_LIMIT);
        memset(big, 'x', KERNEL_OOM_LINE_MAX + 2);
        ck_assert_int_eq(kernel_oom_parse(big, KERNEL_OOM_LINE_MAX + 2, &r), -E2BIG);
        /* The cap counts the line as given, newline included. */
        memcpy(big, "oom-kill:", 9);
        big[KERNEL_OOM_LINE_MAX] = '\n';
        ck_assert_int_eq(kernel_oom_parse(big, KERNEL_OOM_LINE_MAX + 1, &r), -E2BIG);
        free(big);

        /* Embedded NULs do not end the line early. */
        static const char nul[] = "Killed process 12 (a\0b) total-vm:7kB";
        ck_assert_int_eq(kernel_oom_parse(nul, sizeof nul - 1, &r), 0);
        ck_assert_int_eq(r.kind, KERNEL_OOM_KILLED);
        ck_assert_uint_eq(r.total_vm_kb, 7);
        ck_assert_mem_eq(r.comm, "a\0b", 4);
}
END_TEST

static void check_unit(const char *path, const char *unit, const char *inner) {
        char *u = (char *) 1, *in = (char *) 1;
        int r = cgroup_path_to_unit(path, &u, &in);
        ck_assert_msg(r == 0, "cgroup_path_to_unit(%s) = %d", path, r);
        ck_assert_str_eq(u, unit);
        ck_assert_str_eq(in, inner);
        free(u);
        free(in);
        /* ret_inner is optional. */
        ck_assert_int_eq(cgroup_path_to_unit(path, &u, NULL), 0);
        ck_assert_str_eq(u, unit);
        free(u);
}

static void check_no_unit(const char *path) {
        char *u = (char *) 1, *in = (char *) 2;
        ck_assert_msg(cgroup_path_to_unit(path, &u, &in) == -ENOENT, "found a unit in %s", path ?: "(null)");
        ck_assert_ptr_eq(u, (char *) 1); /* untouched */
        ck_assert_ptr_eq(in, (char *) 2);
}

START_TEST(test_cgroup_path_to_unit) {
        check_unit("/system.slice/foo.service", "foo.service", "foo.service");
        check_unit("/system.slice/foo.service/", "foo.service", "foo.service");
        check_unit("//system.slice//foo.service", "foo.service", "foo.service");
        check_unit("/system.slice/foo.service/sub/cg", "foo.service", "foo.service");
        check_unit("/foo.service", "foo.service", "foo.service");
        check_unit("/system.slice/system-getty.slice/getty@tty1.service", "getty@tty1.service",
                   "getty@tty1.service");
        check_unit("/user.slice/user-1000.slice/user@1000.service/app.slice/x.service", "user@1000.service",
                   "x.service");
        check_unit("/user.slice/user-1000.slice/user@1000.service/app.slice/app-gnome-x-1.scope/sub",
                   "user@1000.service", "app-gnome-x-1.scope");
        check_unit("/user.slice/user-1000.slice/session-3.scope", "session-3.scope", "session-3.scope");
        check_unit("/init.scope", "init.scope", "init.scope");
        check_unit("/system.slice/docker-0123abcd.scope", "docker-0123abcd.scope", "docker-0123abcd.scope");
        /* systemd's escapes are kept verbatim. */
        check_unit("/system.slice/system-foo\\x2dbar.slice/foo\\x2dbar@a\\x2db.service",
                   "foo\\x2dbar@a\\x2db.service", "foo\\x2dbar@a\\x2db.service");
        check_unit("/machine.slice/machine-qemu\\x2d1\\x2dvm.scope", "machine-qemu\\x2d1\\x2dvm.scope",
                   "machine-qemu\\x2d1\\x2dvm.scope");
        /* Other unit types are not where processes run; past the unit anything goes. */
        check_unit("/system.slice/foo.service/docker/abc", "foo.service", "foo.service");

        /* Outside systemd's tree. */
        check_no_unit("/docker/abc");
        check_no_unit("/docker/abc/system.slice/foo.service");
        check_no_unit("/kubepods/burstable/pod1/abc");
        check_no_unit("/system.slice/foo.mount");
        check_no_unit("/system.slice");
        check_no_unit("/user.slice/user-1000.slice");
        check_no_unit("/.slice/foo.service");
        check_no_unit("/system.slice/.service");
        check_no_unit("/system.slice/foo bar.service");
        check_no_unit("/");
        check_no_unit("//");
        check_no_unit("");
        check_no_unit(NULL);
        check_no_unit("system.slice/foo.service");
        check_no_unit("foo.service");

        /* Unit names are at most UNIT_NAME_MAX bytes. */
        char name[UNIT_NAME_MAX + 2 + 16];
        memset(name, 'a', sizeof name);
        name[0] = '/';
        strcpy(name + UNIT_NAME_MAX + 1 - strlen(".service"), ".service");
        ck_assert_uint_eq(strlen(name + 1), UNIT_NAME_MAX);
        check_unit(name, name + 1, name + 1);
        memset(name, 'a', sizeof name);
        name[0] = '/';
        strcpy(name + UNIT_NAME_MAX + 2 - strlen(".service"), ".service");
        check_no_unit(name);
        /* A component too long for a slice is outside systemd's tree; past the unit it is not. */
        memset(name, 'a', sizeof name);
        name[0] = '/';
        strcpy(name + UNIT_NAME_MAX + 2, "/x.service");
        check_no_unit(name);
        check_unit("/system.slice/x.service/"
                   "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                   "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                   "aaaaaaa"
                   "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                   "aaaaaaa/y",
                   "x.service", "x.service");
}
END_TEST

static Suite *kernel_oom_suite(void) {
        Suite *s = suite_create("kernel-oom");
        TCase *tc = tcase_create("parse");
        tcase_add_test(tc, test_box_fixture);
        tcase_add_test(tc, test_invoked);
        tcase_add_test(tc, test_summary);
        tcase_add_test(tc, test_pid_continuation);
        tcase_add_test(tc, test_killed);
        tcase_add_test(tc, test_limit);
        tcase_add_test(tc, test_task_in);
        tcase_add_test(tc, test_unrelated_and_sizes);
        suite_add_tcase(s, tc);
        tc = tcase_create("cgroup");
        tcase_add_test(tc, test_cgroup_path_to_unit);
        suite_add_tcase(s, tc);
        return s;
}

DEFINE_TEST_MAIN(kernel_oom_suite)
