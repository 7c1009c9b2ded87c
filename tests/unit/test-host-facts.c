/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "host-facts.h"
#include "test-util.h"

static void write_file(const char *dir, const char *name, const char *text) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s", dir, name);
        FILE *f = fopen(path, "we");
        ck_assert_ptr_nonnull(f);
        fputs(text, f);
        fclose(f);
}

START_TEST(test_init) {
        HostFacts h;
        ck_assert_int_eq(host_facts_init(&h, NULL), 0);
        ck_assert_str_eq(h.root, "/");
        ck_assert_uint_eq(h.kernel_threads_max, UINT64_MAX);
        ck_assert_uint_eq(h.ip_unprivileged_port_start, UINT64_MAX);
        host_facts_done(&h);
        ck_assert_int_eq(host_facts_init(&h, "/srv/image"), 0);
        ck_assert_str_eq(h.root, "/srv/image");
        host_facts_done(&h);
}
END_TEST

START_TEST(test_sysctls) {
        char dir[] = "/tmp/test-host-facts-XXXXXX", sub[600];
        ck_assert_ptr_nonnull(mkdtemp(dir));
        const char *const dirs[] = { "sys", "sys/kernel", "sys/fs", "sys/vm", "sys/net", "sys/net/ipv4" };
        for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
                snprintf(sub, sizeof sub, "%s/%s", dir, dirs[i]);
                ck_assert_int_eq(mkdir(sub, 0755), 0);
        }
        write_file(dir, "sys/kernel/threads-max", "127451\n");
        write_file(dir, "sys/fs/file-max", "9223372036854775807\n");
        write_file(dir, "sys/vm/overcommit_memory", "garbage\n"); /* unreadable: stays unknown */
        /* net/ipv4/ip_unprivileged_port_start missing: unknown */

        HostFacts h;
        ck_assert_int_eq(host_facts_init(&h, NULL), 0);
        ck_assert_int_eq(host_facts_read_sysctls(&h, dir), 2);
        ck_assert_uint_eq(h.kernel_threads_max, 127451);
        ck_assert_uint_eq(h.fs_file_max, UINT64_C(9223372036854775807));
        ck_assert_uint_eq(h.vm_overcommit_memory, UINT64_MAX);
        ck_assert_uint_eq(h.ip_unprivileged_port_start, UINT64_MAX);
        host_facts_done(&h);

        char cmd[700];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
        ck_assert_int_eq(system(cmd), 0);
}
END_TEST

static Suite *host_facts_suite(void) {
        Suite *s = suite_create("host-facts");
        TCase *tc = tcase_create("core");
        tcase_add_test(tc, test_init);
        tcase_add_test(tc, test_sysctls);
        suite_add_tcase(s, tc);
        return s;
}

DEFINE_TEST_MAIN(host_facts_suite)
