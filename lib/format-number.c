/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <inttypes.h>
#include <stdio.h>

#include "format-number.h"
#include "strbuf.h"

const char *format_uint64_or_infinity(char *buf, size_t size, uint64_t v) {
        if (v == UINT64_MAX)
                snprintf(buf, size, "infinity");
        else
                snprintf(buf, size, "%" PRIu64, v);
        return buf;
}

/* "int.frac<suffix>" with frac written in `digits` digits and its trailing zeros dropped. */
static const char *format_decimal(char *buf, size_t size, uint64_t integer, uint64_t frac, unsigned digits,
                                  const char *suffix) {
        while (digits > 0 && frac % 10 == 0) {
                frac /= 10;
                digits--;
        }
        if (digits == 0)
                snprintf(buf, size, "%" PRIu64 "%s", integer, suffix);
        else
                snprintf(buf, size, "%" PRIu64 ".%0*" PRIu64 "%s", integer, (int) digits, frac, suffix);
        return buf;
}

const char *format_bytes(char *buf, size_t size, uint64_t v) {
        static const struct {
                const char *suffix;
                uint64_t factor;
        } table[] = {
                { "E", UINT64_C(1) << 60 }, { "P", UINT64_C(1) << 50 }, { "T", UINT64_C(1) << 40 },
                { "G", UINT64_C(1) << 30 }, { "M", UINT64_C(1) << 20 }, { "K", UINT64_C(1) << 10 },
        };

        if (v == UINT64_MAX)
                return format_uint64_or_infinity(buf, size, v);
        for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
                if (v >= table[i].factor) {
                        /* v % factor < 2^60, so the product cannot overflow. */
                        uint64_t tenth = (v % table[i].factor) * 10 / table[i].factor;
                        return format_decimal(buf, size, v / table[i].factor, tenth, 1, table[i].suffix);
                }
        snprintf(buf, size, "%" PRIu64 "B", v);
        return buf;
}

const char *format_timespan(char *buf, size_t size, uint64_t usec) {
        if (usec == UINT64_MAX)
                return format_uint64_or_infinity(buf, size, usec);
        if (usec == 0)
                snprintf(buf, size, "0");
        else if (usec < USEC_PER_MSEC)
                snprintf(buf, size, "%" PRIu64 "us", usec);
        else if (usec < USEC_PER_SEC)
                format_decimal(buf, size, usec / USEC_PER_MSEC, usec % USEC_PER_MSEC, 3, "ms");
        else
                format_decimal(buf, size, usec / USEC_PER_SEC, usec % USEC_PER_SEC / USEC_PER_MSEC, 3, "s");
        return buf;
}

const char *format_cpu_quota(char *buf, size_t size, uint64_t usec_per_sec) {
        if (usec_per_sec == UINT64_MAX)
                return format_uint64_or_infinity(buf, size, usec_per_sec);
        /* 1% of a second is 10000µs; two decimals are whole 100µs steps. */
        return format_decimal(buf, size, usec_per_sec / 10000, usec_per_sec % 10000 / 100, 2, "%");
}

int format_capabilities(uint64_t mask, char **ret) {
        /* linux/capability.h, by bit number. */
        static const char *const names[] = {
                "cap_chown",
                "cap_dac_override",
                "cap_dac_read_search",
                "cap_fowner",
                "cap_fsetid",
                "cap_kill",
                "cap_setgid",
                "cap_setuid",
                "cap_setpcap",
                "cap_linux_immutable",
                "cap_net_bind_service",
                "cap_net_broadcast",
                "cap_net_admin",
                "cap_net_raw",
                "cap_ipc_lock",
                "cap_ipc_owner",
                "cap_sys_module",
                "cap_sys_rawio",
                "cap_sys_chroot",
                "cap_sys_ptrace",
                "cap_sys_pacct",
                "cap_sys_admin",
                "cap_sys_boot",
                "cap_sys_nice",
                "cap_sys_resource",
                "cap_sys_time",
                "cap_sys_tty_config",
                "cap_mknod",
                "cap_lease",
                "cap_audit_write",
                "cap_audit_control",
                "cap_setfcap",
                "cap_mac_override",
                "cap_mac_admin",
                "cap_syslog",
                "cap_wake_alarm",
                "cap_block_suspend",
                "cap_audit_read",
                "cap_perfmon",
                "cap_bpf",
                "cap_checkpoint_restore",
        };
        StrBuf b = {};
        char *s;

        for (unsigned bit = 0; bit < 64; bit++) {
                if (!(mask & (UINT64_C(1) << bit)))
                        continue;
                if (b.len > 0)
                        strbuf_append_char(&b, ' ');
                if (bit < sizeof names / sizeof names[0])
                        strbuf_append(&b, names[bit]);
                else
                        strbuf_appendf(&b, "0x%x", bit);
        }
        int r = strbuf_steal(&b, &s, NULL);
        if (r < 0)
                return r;
        *ret = s;
        return 0;
}
