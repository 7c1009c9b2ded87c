/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The CPU-level table against Go's runtime start-up check (src/runtime/asm_amd64.s): per level
 * the exact features, named in the runtime's order. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "host-cpu.h"
#include "test-util.h"

/* A CPU with every feature up to a level: the CPUID bits of asm_amd64.s. */
static HostCpu amd64_cpu(unsigned level) {
        HostCpu c = { .x86_known = true, .max_leaf = 0xd, .max_ext_leaf = 0x80000008 };
        c.leaf1_edx = 1u << 23 | 1u << 26;
        if (level >= 2) {
                c.leaf1_ecx |= 1u << 0 | 1u << 9 | 1u << 13 | 1u << 19 | 1u << 20 | 1u << 23;
                c.ext1_ecx |= 1u << 0;
        }
        if (level >= 3) {
                c.leaf1_ecx |= 1u << 12 | 1u << 22 | 1u << 27 | 1u << 28 | 1u << 29;
                c.ext1_ecx |= 1u << 5;
                c.leaf7_ebx |= 1u << 3 | 1u << 5 | 1u << 8;
                c.xcr0 |= 1u << 1 | 1u << 2;
        }
        if (level >= 4) {
                c.leaf7_ebx |= 1u << 16 | 1u << 17 | 1u << 28 | 1u << 30 | 1u << 31;
                c.xcr0 |= 1u << 5 | 1u << 6 | 1u << 7;
        }
        return c;
}

static int missing(const HostCpu *c, const char *goarch, const char *key, const char *level, char *buf) {
        return go_cpu_level_missing(c, goarch, key, level, buf, 512);
}

START_TEST(test_levels) {
        char buf[512];
        static const char *const levels[] = { "v1", "v2", "v3", "v4" };
        /* Each level's CPU runs its own level and those below, and no level above. */
        for (unsigned cpu = 1; cpu <= 4; cpu++) {
                HostCpu c = amd64_cpu(cpu);
                for (unsigned lv = 1; lv <= 4; lv++) {
                        int n = missing(&c, "amd64", "GOAMD64", levels[lv - 1], buf);
                        if (lv <= cpu)
                                ck_assert_int_eq(n, 0);
                        else
                                ck_assert_int_gt(n, 0);
                }
        }
        HostCpu v1 = amd64_cpu(1), v2 = amd64_cpu(2), v3 = amd64_cpu(3);
        ck_assert_int_eq(missing(&v1, "amd64", "GOAMD64", "v2", buf), 7);
        ck_assert_str_eq(buf, "SSE3, SSSE3, CMPXCHG16B, SSE4.1, SSE4.2, POPCNT, LAHF-SAHF");
        ck_assert_int_eq(missing(&v2, "amd64", "GOAMD64", "v3", buf), 11);
        ck_assert_str_eq(
                buf,
                "FMA, MOVBE, OSXSAVE, AVX, F16C, LZCNT, BMI1, AVX2, BMI2, XMM state (OS), YMM state (OS)");
        ck_assert_int_eq(missing(&v3, "amd64", "GOAMD64", "v4", buf), 8);
        ck_assert_str_eq(
                buf,
                "AVX512F, AVX512DQ, AVX512CD, AVX512BW, AVX512VL, opmask state (OS), ZMM_Hi256 state (OS), "
                "Hi16_ZMM state (OS)");
        /* v1 needs nothing the runtime tests. */
        ck_assert_int_eq(missing(&v1, "amd64", "GOAMD64", "v1", buf), 0);
        ck_assert_str_eq(buf, "");
}
END_TEST

START_TEST(test_one_missing) {
        char buf[512];
        /* A VM that hides one bit: /proc/cpuinfo's "abm" is LZCNT's CPUID bit; a v3 CPU without it
         * is not v3 for Go. */
        HostCpu c = amd64_cpu(4);
        c.ext1_ecx &= ~(1u << 5);
        ck_assert_int_eq(missing(&c, "amd64", "GOAMD64", "v3", buf), 1);
        ck_assert_str_eq(buf, "LZCNT");
        /* The OS did not enable AVX state: the CPU has AVX, Go refuses it all the same. */
        c = amd64_cpu(3);
        c.xcr0 = 0;
        ck_assert_int_eq(missing(&c, "amd64", "GOAMD64", "v3", buf), 2);
        ck_assert_str_eq(buf, "XMM state (OS), YMM state (OS)");
        /* Leaf 7 beyond the CPU's maximum leaf reads as nothing. */
        c = amd64_cpu(3);
        c.max_leaf = 6;
        ck_assert_int_eq(missing(&c, "amd64", "GOAMD64", "v3", buf), 3);
        ck_assert_str_eq(buf, "BMI1, AVX2, BMI2");
        /* No extended leaf 0x80000001: the runtime's first test. */
        c = amd64_cpu(4);
        c.max_ext_leaf = 0x80000000;
        ck_assert_int_eq(missing(&c, "amd64", "GOAMD64", "v2", buf), 1);
        ck_assert_str_eq(buf, "CPUID leaves 1 and 0x80000001");
        /* A short buffer still counts them all. */
        c = amd64_cpu(1);
        ck_assert_int_eq(go_cpu_level_missing(&c, "amd64", "GOAMD64", "v4", buf, 8), 26);
        ck_assert_uint_lt(strlen(buf), 8);
}
END_TEST

START_TEST(test_other_arches) {
        char buf[512];
        HostCpu c = amd64_cpu(1);
        ck_assert_int_eq(missing(&c, "386", "GO386", "sse2", buf), 0);
        c.leaf1_edx = 1u << 23;
        ck_assert_int_eq(missing(&c, "386", "GO386", "sse2", buf), 1);
        ck_assert_str_eq(buf, "SSE2");
        ck_assert_int_eq(missing(&c, "386", "GO386", "softfloat", buf), 0);
        HostCpu arm = { .hwcap_known = true, .hwcap = 1u << 6 };
        ck_assert_int_eq(missing(&arm, "arm", "GOARM", "6", buf), 0);
        ck_assert_int_eq(missing(&arm, "arm", "GOARM", "7", buf), 1);
        ck_assert_str_eq(buf, "VFPv3");
        ck_assert_int_eq(missing(&arm, "arm", "GOARM", "7,hardfloat", buf), 1);
        ck_assert_int_eq(missing(&arm, "arm", "GOARM", "5", buf), 0);
        /* What the runtime does not check, and levels Go does not have. */
        ck_assert_int_eq(missing(&arm, "arm64", "GOARM64", "v8.2", buf), -EOPNOTSUPP);
        ck_assert_int_eq(missing(&c, "amd64", "GOAMD64", "v5", buf), -EINVAL);
        ck_assert_int_eq(missing(&c, "amd64", "GOAMD64", "3", buf), -EINVAL);
        HostCpu unknown = {};
        ck_assert_int_eq(missing(&unknown, "amd64", "GOAMD64", "v3", buf), -EOPNOTSUPP);
}
END_TEST

START_TEST(test_messages) {
        ck_assert_str_eq(
                go_cpu_level_message("amd64", "v3"),
                "This program can only be run on AMD64 processors with v3 microarchitecture support.");
        ck_assert_ptr_null(go_cpu_level_message("amd64", "v1"));
        ck_assert_ptr_null(go_cpu_level_message("arm64", "v8.0"));
}
END_TEST

START_TEST(test_this_cpu) {
        /* This CPU passes the level it reports, whatever it is: a sanity check of the reader. */
        HostCpu c;
        char buf[512];
        host_cpu_read(&c);
#if defined(__x86_64__)
        ck_assert(c.x86_known);
        ck_assert_int_eq(missing(&c, "amd64", "GOAMD64", "v1", buf), 0);
        /* Every x86-64 CPU a Go test runs on today is at least v2. */
        ck_assert_int_eq(missing(&c, "amd64", "GOAMD64", "v2", buf), 0);
#else
        (void) buf;
        ck_assert(c.hwcap_known);
#endif
}
END_TEST

static Suite *suite(void) {
        Suite *s = suite_create("host-cpu");
        TCase *tc = tcase_create("core");
        tcase_add_test(tc, test_levels);
        tcase_add_test(tc, test_one_missing);
        tcase_add_test(tc, test_other_arches);
        tcase_add_test(tc, test_messages);
        tcase_add_test(tc, test_this_cpu);
        suite_add_tcase(s, tc);
        return s;
}

DEFINE_TEST_MAIN(suite)
