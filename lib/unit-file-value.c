/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The values of unit file settings: words, escapes, specifiers, sizes, limits, signals. Each
 * follows what systemd's parser for the setting accepts (src/basic/extract-word.c, escape.c,
 * parse-util.c, src/shared/specifier.c), so that a setting systemd would skip is skipped here. */
#include <ctype.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "hex.h"
#include "parse-util.h"
#include "strbuf.h"
#include "unit-file.h"

static bool is_ws(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static void append_utf8(StrBuf *b, uint32_t c) {
        if (c < 0x80)
                strbuf_append_char(b, (char) c);
        else if (c < 0x800) {
                strbuf_append_char(b, (char) (0xc0 | (c >> 6)));
                strbuf_append_char(b, (char) (0x80 | (c & 0x3f)));
        } else if (c < 0x10000) {
                strbuf_append_char(b, (char) (0xe0 | (c >> 12)));
                strbuf_append_char(b, (char) (0x80 | ((c >> 6) & 0x3f)));
                strbuf_append_char(b, (char) (0x80 | (c & 0x3f)));
        } else {
                strbuf_append_char(b, (char) (0xf0 | (c >> 18)));
                strbuf_append_char(b, (char) (0x80 | ((c >> 12) & 0x3f)));
                strbuf_append_char(b, (char) (0x80 | ((c >> 6) & 0x3f)));
                strbuf_append_char(b, (char) (0x80 | (c & 0x3f)));
        }
}

/* One C escape after the backslash at p (systemd's cunescape_one): the bytes consumed, or -EINVAL.
 * A NUL byte is refused, as systemd refuses it. */
static int cunescape_one(const char *p, StrBuf *b) {
        static const char simple[] = "a\ab\bf\fn\nr\rt\tv\v\\\\\"\"''s ";
        for (size_t i = 0; simple[i]; i += 2)
                if (*p == simple[i]) {
                        strbuf_append_char(b, simple[i + 1]);
                        return 1;
                }
        if (*p == 'x') {
                int a = unhexchar(p[1]), c = a >= 0 ? unhexchar(p[2]) : -1;
                if (a < 0 || c < 0 || (a == 0 && c == 0))
                        return -EINVAL;
                strbuf_append_char(b, (char) (a << 4 | c));
                return 3;
        }
        if (*p == 'u' || *p == 'U') {
                int n = *p == 'u' ? 4 : 8;
                uint32_t c = 0;
                for (int i = 1; i <= n; i++) {
                        int d = unhexchar(p[i]);
                        if (d < 0)
                                return -EINVAL;
                        c = c << 4 | (uint32_t) d;
                }
                if (c == 0 || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
                        return -EINVAL;
                append_utf8(b, c);
                return n + 1;
        }
        if (*p >= '0' && *p <= '7') {
                if (!(p[1] >= '0' && p[1] <= '7' && p[2] >= '0' && p[2] <= '7'))
                        return -EINVAL;
                int c = (p[0] - '0') << 6 | (p[1] - '0') << 3 | (p[2] - '0');
                if (c == 0 || c > 255)
                        return -EINVAL;
                strbuf_append_char(b, (char) c);
                return 3;
        }
        return -EINVAL;
}

int unit_file_next_word(const char **p, bool cunescape, char **ret) {
        const char *s = *p;
        StrBuf b = {};
        char quote = 0;
        bool any = false;

        while (is_ws(*s))
                s++;
        if (!*s) {
                *p = s;
                return 0;
        }
        for (; *s; s++) {
                if (!quote && is_ws(*s))
                        break;
                if (*s == '\\') {
                        s++;
                        if (!*s) { /* a lone backslash at the end */
                                strbuf_done(&b);
                                return -EINVAL;
                        }
                        if (cunescape) {
                                int k = cunescape_one(s, &b);
                                if (k < 0) {
                                        strbuf_done(&b);
                                        return -EINVAL;
                                }
                                s += k - 1;
                        } else
                                strbuf_append_char(&b, *s);
                } else if (quote && *s == quote)
                        quote = 0;
                else if (!quote && (*s == '"' || *s == '\''))
                        quote = *s;
                else
                        strbuf_append_char(&b, *s);
                any = true;
        }
        if (quote) {
                strbuf_done(&b);
                return -EINVAL;
        }
        if (!any)
                strbuf_append(&b, "");
        int r = strbuf_steal(&b, ret, NULL);
        if (r < 0)
                return r;
        *p = s;
        return 1;
}

int unit_name_unescape_path(const char *s, size_t n, bool path, char **ret) {
        StrBuf b = {};
        for (size_t i = 0; i < n; i++) {
                if (path && s[i] == '-')
                        strbuf_append_char(&b, '/');
                else if (s[i] == '\\' && i + 3 < n && s[i + 1] == 'x' && unhexchar(s[i + 2]) >= 0 &&
                         unhexchar(s[i + 3]) >= 0) {
                        strbuf_append_char(&b, (char) (unhexchar(s[i + 2]) << 4 | unhexchar(s[i + 3])));
                        i += 3;
                } else
                        strbuf_append_char(&b, s[i]);
        }
        if (!b.data)
                strbuf_append(&b, "");
        return strbuf_steal(&b, ret, NULL);
}

/* The parts of a unit name: prefix ("foo" of foo@bar.service), instance ("bar", or NULL). */
static void unit_name_parts(const char *unit, size_t *ret_prefix, const char **ret_instance,
                            size_t *ret_instance_len) {
        const char *dot = strrchr(unit, '.');
        size_t end = dot ? (size_t) (dot - unit) : strlen(unit);
        const char *at = memchr(unit, '@', end);
        *ret_prefix = at ? (size_t) (at - unit) : end;
        *ret_instance = at ? at + 1 : NULL;
        *ret_instance_len = at ? end - (size_t) (at - unit) - 1 : 0;
}

/* One specifier's value into b: 0, -ENOENT when not known, -EBADMSG when not a specifier. */
static int specifier(const UnitFileContext *ctx, char c, StrBuf *b) {
        const char *unit = ctx->unit ?: "";
        size_t prefix, ilen;
        const char *inst;
        unit_name_parts(unit, &prefix, &inst, &ilen);
        _cleanup_free_ char *tmp = NULL;
        const char *v = NULL;
        int r;

        switch (c) {
        case '%': v = "%"; break;
        case 'n': v = unit; break;
        case 'N': /* the name without its type suffix */
                strbuf_append_n(b, unit, inst ? (size_t) (inst - unit) + ilen : prefix);
                return 0;
        case 'p': strbuf_append_n(b, unit, prefix); return 0;
        case 'P':
        case 'I':
        case 'i':
        case 'j':
        case 'J':
        case 'f': {
                const char *s = unit;
                size_t n = prefix;
                if (c == 'i' || c == 'I') {
                        s = inst ?: "";
                        n = ilen;
                } else if (c == 'j' || c == 'J') { /* the prefix's last dash-separated part */
                        const char *dash = memrchr(unit, '-', prefix);
                        s = dash ? dash + 1 : unit;
                        n = prefix - (size_t) (s - unit);
                } else if (c == 'f' && inst) {
                        s = inst;
                        n = ilen;
                }
                if (c == 'i' || c == 'j') {
                        strbuf_append_n(b, s, n);
                        return 0;
                }
                r = unit_name_unescape_path(s, n, true, &tmp);
                if (r < 0)
                        return r;
                if (c == 'f' && tmp[0] != '/')
                        strbuf_append_char(b, '/');
                v = tmp;
                break;
        }
        /* The system manager's: it runs as root. */
        case 'h': v = "/root"; break;
        case 'u':
        case 'g': v = "root"; break;
        case 'U':
        case 'G': v = "0"; break;
        case 's': v = "/bin/sh"; break;
        case 't': v = "/run"; break;
        case 'S': v = "/var/lib"; break;
        case 'C': v = "/var/cache"; break;
        case 'L': v = "/var/log"; break;
        case 'E': v = "/etc"; break;
        case 'T': v = "/tmp"; break;
        case 'V': v = "/var/tmp"; break;
        case 'H':
        case 'l':
                if (!ctx->hostname)
                        return -ENOENT;
                if (c == 'l') {
                        strbuf_append_n(b, ctx->hostname, strcspn(ctx->hostname, "."));
                        return 0;
                }
                v = ctx->hostname;
                break;
        case 'm': v = ctx->machine_id; break;
        case 'b': v = ctx->boot_id; break;
        case 'y':
        case 'Y':
                if (!ctx->path)
                        return -ENOENT;
                if (c == 'Y') {
                        const char *slash = strrchr(ctx->path, '/');
                        strbuf_append_n(b, ctx->path, slash ? (size_t) (slash - ctx->path) : 0);
                        return 0;
                }
                v = ctx->path;
                break;
        /* Known to systemd, not to an offline reader (the architecture, the OS release, the
         * kernel, credentials): the setting is skipped with a warning. */
        case 'a':
        case 'A':
        case 'B':
        case 'd':
        case 'M':
        case 'o':
        case 'q':
        case 'v':
        case 'w':
        case 'W': return -ENOENT;
        default: return -EBADMSG;
        }
        if (!v)
                return -ENOENT;
        strbuf_append(b, v);
        return 0;
}

int unit_file_specifiers(const UnitFileContext *ctx, const char *s, char **ret) {
        StrBuf b = {};
        for (const char *p = s; *p; p++) {
                if (*p != '%') {
                        strbuf_append_char(&b, *p);
                        continue;
                }
                p++;
                int r = *p ? specifier(ctx, *p, &b) : -EBADMSG;
                if (r < 0) {
                        strbuf_done(&b);
                        return r;
                }
        }
        if (!b.data)
                strbuf_append(&b, "");
        return strbuf_steal(&b, ret, NULL);
}

/* "N", "N.", "N.D", "N.DD": in hundredths; -EINVAL otherwise. */
static int parse_hundredths(const char *s, size_t n, uint64_t *ret) {
        uint64_t whole, frac = 0;
        int k = parse_u64_prefix(s, n, &whole);
        if (k <= 0)
                return k < 0 ? k : -EINVAL;
        if ((size_t) k < n) {
                if (s[k] != '.' || n - (size_t) k > 3)
                        return -EINVAL;
                for (size_t i = (size_t) k + 1, m = 10; i < n; i++, m /= 10) {
                        if (!isdigit((unsigned char) s[i]))
                                return -EINVAL;
                        frac += (uint64_t) (s[i] - '0') * m;
                }
        }
        if (whole > UINT64_MAX / 100)
                return -ERANGE;
        *ret = whole * 100 + frac;
        return 0;
}

int unit_file_parse_permyriad(const char *s, uint64_t *ret) {
        size_t n = strlen(s);
        uint64_t v;
        if (n < 2 || s[n - 1] != '%')
                return -EINVAL;
        int r = parse_hundredths(s, n - 1, &v);
        if (r < 0)
                return r;
        *ret = v;
        return 0;
}

int unit_file_parse_size(const char *s, uint64_t percent_base, uint64_t *ret) {
        static const struct {
                char suffix;
                unsigned shift;
        } units[] = { { 'B', 0 },  { 'K', 10 }, { 'M', 20 }, { 'G', 30 },
                      { 'T', 40 }, { 'P', 50 }, { 'E', 60 } };
        size_t n = strlen(s);
        uint64_t v;
        int r;

        if (strcmp(s, "infinity") == 0) {
                *ret = UINT64_MAX;
                return 0;
        }
        if (n > 0 && s[n - 1] == '%') {
                if (percent_base == 0)
                        return -ENOENT;
                r = unit_file_parse_permyriad(s, &v);
                if (r < 0)
                        return r;
                if (v > 10000)
                        return -ERANGE;
                /* As systemd scales: base * permyriad / 10000, without overflowing. */
                *ret = percent_base / 10000 * v + percent_base % 10000 * v / 10000;
                return 0;
        }
        unsigned shift = 0;
        if (n > 0 && !isdigit((unsigned char) s[n - 1])) {
                size_t i;
                for (i = 0; i < ELEMENTSOF(units); i++)
                        if (s[n - 1] == units[i].suffix)
                                break;
                if (i == ELEMENTSOF(units))
                        return -EINVAL;
                shift = units[i].shift;
                n--;
        }
        r = parse_hundredths(s, n, &v);
        if (r < 0)
                return r;
        if (shift == 0 && v % 100 != 0)
                return -EINVAL; /* no fractions of a byte */
        uint64_t whole = v / 100, frac = v % 100;
        if (shift >= 64 || whole > (UINT64_MAX >> shift))
                return -ERANGE;
        *ret = (whole << shift) + ((frac << shift) / 100);
        return 0;
}

static int parse_rlimit_value(const char *s, size_t n, uint64_t *ret) {
        char buf[32];
        if (n == 0 || n >= sizeof buf)
                return -EINVAL;
        memcpy(buf, s, n);
        buf[n] = 0;
        if (strcmp(buf, "infinity") == 0) {
                *ret = UINT64_MAX;
                return 0;
        }
        return parse_u64(buf, ret);
}

int unit_file_parse_rlimit(const char *s, uint64_t *ret_soft, uint64_t *ret_hard) {
        const char *colon = strchr(s, ':');
        uint64_t soft, hard;
        int r = parse_rlimit_value(s, colon ? (size_t) (colon - s) : strlen(s), &soft);
        if (r < 0)
                return r;
        if (colon) {
                r = parse_rlimit_value(colon + 1, strlen(colon + 1), &hard);
                if (r < 0)
                        return r;
                if (soft > hard)
                        return -EINVAL;
        } else
                hard = soft;
        *ret_soft = soft;
        *ret_hard = hard;
        return 0;
}

int unit_file_parse_signal(const char *s, int32_t *ret) {
        uint64_t v;
        if (parse_u64(s, &v) >= 0) {
                if (v < 1 || v > 64)
                        return -ERANGE;
                *ret = (int32_t) v;
                return 0;
        }
        const char *name = strncmp(s, "SIG", 3) == 0 ? s + 3 : s;
        for (int sig = 1; sig < 32; sig++) {
                const char *abbrev = sigabbrev_np(sig);
                if (abbrev && strcmp(abbrev, name) == 0) {
                        *ret = sig;
                        return 0;
                }
        }
        return -EINVAL;
}

int unit_file_capability_from_name(const char *s) {
        /* linux/capability.h, in number order. */
        static const char *const names[] = {
                "chown",
                "dac_override",
                "dac_read_search",
                "fowner",
                "fsetid",
                "kill",
                "setgid",
                "setuid",
                "setpcap",
                "linux_immutable",
                "net_bind_service",
                "net_broadcast",
                "net_admin",
                "net_raw",
                "ipc_lock",
                "ipc_owner",
                "sys_module",
                "sys_rawio",
                "sys_chroot",
                "sys_ptrace",
                "sys_pacct",
                "sys_admin",
                "sys_boot",
                "sys_nice",
                "sys_resource",
                "sys_time",
                "sys_tty_config",
                "mknod",
                "lease",
                "audit_write",
                "audit_control",
                "setfcap",
                "mac_override",
                "mac_admin",
                "syslog",
                "wake_alarm",
                "block_suspend",
                "audit_read",
                "perfmon",
                "bpf",
                "checkpoint_restore",
        };
        if (strncasecmp(s, "cap_", 4) != 0)
                return -EINVAL;
        for (size_t i = 0; i < ELEMENTSOF(names); i++)
                if (strcasecmp(s + 4, names[i]) == 0)
                        return (int) i;
        return -EINVAL;
}
