/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

#include "host-cpu.h"
#include "macro.h"

typedef enum CpuReg {
        REG_LEAF1_ECX,
        REG_LEAF1_EDX,
        REG_LEAF7_EBX,
        REG_EXT1_ECX,
        REG_XCR0,
        REG_HWCAP,
} CpuReg;

typedef struct CpuFeature {
        unsigned level; /* the lowest level that needs it */
        CpuReg reg;
        unsigned bit;
        const char *name;
} CpuFeature;

/* GOAMD64: src/runtime/asm_amd64.s, V2_FEATURES_CX ... V4_OS_SUPPORT_AX, in its order. */
static const CpuFeature amd64_features[] = {
        { 2, REG_LEAF1_ECX, 0, "SSE3" },
        { 2, REG_LEAF1_ECX, 9, "SSSE3" },
        { 2, REG_LEAF1_ECX, 13, "CMPXCHG16B" },
        { 2, REG_LEAF1_ECX, 19, "SSE4.1" },
        { 2, REG_LEAF1_ECX, 20, "SSE4.2" },
        { 2, REG_LEAF1_ECX, 23, "POPCNT" },
        { 2, REG_EXT1_ECX, 0, "LAHF-SAHF" },
        { 3, REG_LEAF1_ECX, 12, "FMA" },
        { 3, REG_LEAF1_ECX, 22, "MOVBE" },
        { 3, REG_LEAF1_ECX, 27, "OSXSAVE" },
        { 3, REG_LEAF1_ECX, 28, "AVX" },
        { 3, REG_LEAF1_ECX, 29, "F16C" },
        { 3, REG_EXT1_ECX, 5, "LZCNT" },
        { 3, REG_LEAF7_EBX, 3, "BMI1" },
        { 3, REG_LEAF7_EBX, 5, "AVX2" },
        { 3, REG_LEAF7_EBX, 8, "BMI2" },
        { 3, REG_XCR0, 1, "XMM state (OS)" },
        { 3, REG_XCR0, 2, "YMM state (OS)" },
        { 4, REG_LEAF7_EBX, 16, "AVX512F" },
        { 4, REG_LEAF7_EBX, 17, "AVX512DQ" },
        { 4, REG_LEAF7_EBX, 28, "AVX512CD" },
        { 4, REG_LEAF7_EBX, 30, "AVX512BW" },
        { 4, REG_LEAF7_EBX, 31, "AVX512VL" },
        { 4, REG_XCR0, 5, "opmask state (OS)" },
        { 4, REG_XCR0, 6, "ZMM_Hi256 state (OS)" },
        { 4, REG_XCR0, 7, "Hi16_ZMM state (OS)" },
};

/* GO386: src/runtime/asm_386.s refuses a CPU without MMX; sse2 code needs SSE2 (SIGILL without,
 * no message). Levels: softfloat 1, sse2 2. */
static const CpuFeature i386_features[] = {
        { 1, REG_LEAF1_EDX, 23, "MMX" },
        { 2, REG_LEAF1_EDX, 26, "SSE2" },
};

/* GOARM: src/runtime/os_linux_arm.go checkgoarm(), AT_HWCAP's HWCAP_VFP and HWCAP_VFPv3. */
static const CpuFeature arm_features[] = {
        { 6, REG_HWCAP, 6, "VFP" },
        { 7, REG_HWCAP, 13, "VFPv3" },
};

void host_cpu_read(HostCpu *ret) {
        HostCpu c = {};
#if defined(__x86_64__) || defined(__i386__)
        unsigned a, b, cx, d;
        c.max_leaf = __get_cpuid_max(0, NULL);
        if (c.max_leaf >= 1 && __get_cpuid(1, &a, &b, &cx, &d)) {
                c.leaf1_ecx = cx;
                c.leaf1_edx = d;
        }
        if (c.max_leaf >= 7) {
                __cpuid_count(7, 0, a, b, cx, d);
                c.leaf7_ebx = b;
        }
        c.max_ext_leaf = __get_cpuid_max(0x80000000, NULL);
        if (c.max_ext_leaf >= 0x80000001 && __get_cpuid(0x80000001, &a, &b, &cx, &d))
                c.ext1_ecx = cx;
        if (c.leaf1_ecx & (1u << 27)) { /* OSXSAVE: XGETBV is allowed */
                uint32_t lo, hi;
                __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
                c.xcr0 = ((uint64_t) hi << 32) | lo;
        }
        c.x86_known = true;
#endif
        c.hwcap = getauxval(AT_HWCAP);
        c.hwcap_known = true;
        *ret = c;
}

static bool has(const HostCpu *c, const CpuFeature *f) {
        uint64_t v = 0;
        switch (f->reg) {
        case REG_LEAF1_ECX: v = c->leaf1_ecx; break;
        case REG_LEAF1_EDX: v = c->leaf1_edx; break;
        case REG_LEAF7_EBX: v = c->max_leaf >= 7 ? c->leaf7_ebx : 0; break;
        case REG_EXT1_ECX: v = c->max_ext_leaf >= 0x80000001 ? c->ext1_ecx : 0; break;
        case REG_XCR0: v = c->xcr0; break;
        case REG_HWCAP: v = c->hwcap; break;
        }
        return (v >> f->bit) & 1;
}

/* The level's number for the table, 0 for none (nothing checked), -EINVAL when Go has no such. */
static int level_number(const char *key, const char *level) {
        if (streq(key, "GOAMD64")) {
                if (!level || strlen(level) != 2 || level[0] != 'v' || level[1] < '1' || level[1] > '4')
                        return -EINVAL;
                return level[1] - '0';
        }
        if (streq(key, "GO386"))
                return streq(level, "softfloat") ? 1 : streq(level, "sse2") ? 2 : -EINVAL;
        if (streq(key, "GOARM")) {
                /* "7", or since Go 1.22 "7,softfloat"/"7,hardfloat". */
                if (!level || level[0] < '5' || level[0] > '7' || (level[1] && level[1] != ','))
                        return -EINVAL;
                return level[0] - '0';
        }
        return 0;
}

int go_cpu_level_missing(const HostCpu *cpu, const char *goarch, const char *key, const char *level,
                         char *buf, size_t size) {
        const CpuFeature *table;
        size_t n;
        bool known;
        if (streq(goarch, "amd64") && streq(key, "GOAMD64")) {
                table = amd64_features, n = ELEMENTSOF(amd64_features), known = cpu->x86_known;
                if (known && (cpu->max_leaf == 0 || cpu->max_ext_leaf < 0x80000001) &&
                    level_number(key, level) >= 2) {
                        /* The runtime's first tests: no CPUID leaf 1, no extended leaf 0x80000001. */
                        snprintf(buf, size, "CPUID leaves 1 and 0x80000001");
                        return 1;
                }
        } else if (streq(goarch, "386") && streq(key, "GO386"))
                table = i386_features, n = ELEMENTSOF(i386_features), known = cpu->x86_known;
        else if (streq(goarch, "arm") && streq(key, "GOARM"))
                table = arm_features, n = ELEMENTSOF(arm_features), known = cpu->hwcap_known;
        else
                return -EOPNOTSUPP;
        int lv = level_number(key, level);
        if (lv < 0)
                return lv;
        if (!known)
                return -EOPNOTSUPP;
        int missing = 0;
        size_t used = 0;
        if (size > 0)
                buf[0] = 0;
        for (size_t i = 0; i < n; i++) {
                if ((int) table[i].level > lv || has(cpu, &table[i]))
                        continue;
                if (used < size) {
                        int w = snprintf(buf + used, size - used, "%s%s", missing ? ", " : "",
                                         table[i].name);
                        used += w > 0 ? (size_t) w : 0;
                }
                missing++;
        }
        return missing;
}

const char *go_cpu_level_message(const char *goarch, const char *level) {
        if (streq(goarch, "amd64")) {
                if (streq(level, "v2"))
                        return "This program can only be run on AMD64 processors with v2 microarchitecture "
                               "support.";
                if (streq(level, "v3"))
                        return "This program can only be run on AMD64 processors with v3 microarchitecture "
                               "support.";
                if (streq(level, "v4"))
                        return "This program can only be run on AMD64 processors with v4 microarchitecture "
                               "support.";
        }
        if (streq(goarch, "386"))
                return "This program can only be run on processors with MMX support.";
        if (streq(goarch, "arm"))
                return "runtime: this CPU has no floating point hardware, so it cannot run";
        return NULL;
}
