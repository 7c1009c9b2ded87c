/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* Numbers as systemd prints them, for findings' texts and goguardctl alike. */

#define USEC_PER_MSEC UINT64_C(1000)
#define USEC_PER_SEC  UINT64_C(1000000)
#define USEC_PER_MIN  (UINT64_C(60) * USEC_PER_SEC)
#define USEC_PER_HOUR (UINT64_C(60) * USEC_PER_MIN)
#define USEC_PER_DAY  (UINT64_C(24) * USEC_PER_HOUR)

#define FORMAT_UINT64_MAX 24
/* "infinity" or the decimal number. */
const char *format_uint64_or_infinity(char *buf, size_t size, uint64_t v);

#define FORMAT_BYTES_MAX 24
/* Bytes in powers of 1024 like systemd: "512B", "40M", "1.5G" (one truncated decimal, shown
 * only when not zero), "infinity". */
const char *format_bytes(char *buf, size_t size, uint64_t v);

#define FORMAT_TIMESPAN_MAX 32
/* A duration in µs: "0", "750us", "200ms", "1.5ms", "2s", "1.25s", "90s" (seconds, never
 * minutes, up to three decimals without trailing zeros), "infinity". */
const char *format_timespan(char *buf, size_t size, uint64_t usec);

#define FORMAT_PERCENT_MAX 32
/* CPUQuotaPerSecUSec as the CPUQuota= percentage: 200000 → "20%", 125000 → "12.5%",
 * 2000000 → "200%", UINT64_MAX → "infinity". Up to two decimals, without trailing zeros. */
const char *format_cpu_quota(char *buf, size_t size, uint64_t usec_per_sec);

/* The names of the bits in a capability mask, space-separated: "cap_net_bind_service
 * cap_sys_ptrace"; unknown bits as "0x" and the bit number, as systemd writes them; "" for 0.
 * Returns 0 or -ENOMEM; *ret is set on success. */
int format_capabilities(uint64_t mask, char **ret);
