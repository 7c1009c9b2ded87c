/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The CPU as the Go runtime sees it when it starts: the CPUID leaves and XCR0 bits its start-up
 * check tests against the build's GOAMD64 level (src/runtime/asm_amd64.s), AT_HWCAP for GOARM
 * (src/runtime/os_linux_arm.go). Not /proc/cpuinfo's flags: in VMs they omit some (abm while
 * LZCNT is there), which would make a false finding. */
typedef struct HostCpu {
        bool x86_known; /* the CPUID fields below were read */
        uint32_t max_leaf, max_ext_leaf;
        uint32_t leaf1_ecx, leaf1_edx, leaf7_ebx, ext1_ecx;
        uint64_t xcr0; /* 0 without OSXSAVE */
        bool hwcap_known;
        uint64_t hwcap; /* AT_HWCAP, for 32-bit ARM */
} HostCpu;

/* This CPU (CPUID on x86, AT_HWCAP elsewhere). */
void host_cpu_read(HostCpu *ret);

/* The features the Go runtime's start-up check for GOARCH=goarch built with key=level
 * ("GOAMD64", "v3") requires and cpu lacks, as a ", "-joined list of names in buf. Returns how
 * many are missing (0: it starts), -EOPNOTSUPP when the runtime checks nothing for it (GOARM64,
 * another GOARCH) or the CPU's side is not known, -EINVAL for a level Go does not have. */
int go_cpu_level_missing(const HostCpu *cpu, const char *goarch, const char *key, const char *level,
                         char *buf, size_t size);
/* The text the runtime prints when it refuses to start (its first line), or NULL. */
const char *go_cpu_level_message(const char *goarch, const char *level);
