/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit-record.h"
#include "macro.h"
#include "strbuf.h"

/* The types a denial's event is made of and their neighbours, named as libaudit's table names
 * them (lib/msg_typetab.h of audit-userspace). Others are "UNKNOWN[N]", as auditd writes them
 * when it does not know the type: dedupe and grouping need only the same name for the same type
 * on every path. */
static const struct {
        int type;
        const char *name;
} type_names[] = {
        { 1100, "USER_AUTH" },
        { 1101, "USER_ACCT" },
        { 1104, "CRED_ACQ" },
        { 1105, "USER_START" },
        { 1106, "USER_END" },
        { 1107, "USER_AVC" },
        { 1130, "SERVICE_START" },
        { 1131, "SERVICE_STOP" },
        { 1300, "SYSCALL" },
        { 1302, "PATH" },
        { 1303, "IPC" },
        { 1304, "SOCKETCALL" },
        { 1305, "CONFIG_CHANGE" },
        { 1306, "SOCKADDR" },
        { 1307, "CWD" },
        { 1309, "EXECVE" },
        { 1318, "OBJ_PID" },
        { 1320, "EOE" },
        { 1321, "BPRM_FCAPS" },
        { 1322, "CAPSET" },
        { 1326, "SECCOMP" },
        { 1327, "PROCTITLE" },
        { 1400, "AVC" },
        { 1401, "SELINUX_ERR" },
        { 1402, "AVC_PATH" },
        { 1403, "MAC_POLICY_LOAD" },
        { 1404, "MAC_STATUS" },
        { 1405, "MAC_CONFIG_CHANGE" },
        { 1420, "MAC_UNLBL_ALLOW" },
        { 1500, "AA" },
        { 1501, "APPARMOR_AUDIT" },
        { 1502, "APPARMOR_ALLOWED" },
        { 1503, "APPARMOR_DENIED" },
        { 1504, "APPARMOR_HINT" },
        { 1505, "APPARMOR_STATUS" },
        { 1506, "APPARMOR_ERROR" },
};

const char *audit_type_to_name(int type) {
        for (size_t i = 0; i < ELEMENTSOF(type_names); i++)
                if (type_names[i].type == type)
                        return type_names[i].name;
        return NULL;
}

int audit_type_from_name(const char *name, size_t len) {
        if (!name)
                return -EINVAL;
        if (len > 8 && memcmp(name, "UNKNOWN[", 8) == 0 && name[len - 1] == ']') {
                int t = 0;
                for (size_t i = 8; i < len - 1; i++) {
                        if (name[i] < '0' || name[i] > '9' || t > 100000)
                                return -EINVAL;
                        t = t * 10 + (name[i] - '0');
                }
                return len > 9 ? t : -EINVAL;
        }
        for (size_t i = 0; i < ELEMENTSOF(type_names); i++)
                if (strlen(type_names[i].name) == len && memcmp(type_names[i].name, name, len) == 0)
                        return type_names[i].type;
        return -EINVAL;
}

static void append_type(StrBuf *b, int type) {
        const char *name = audit_type_to_name(type);
        if (name)
                strbuf_appendf(b, "type=%s msg=", name);
        else
                strbuf_appendf(b, "type=UNKNOWN[%d] msg=", type);
}

/* Digits at *i (at most max), then the byte c. */
static bool digits_then(const char *p, size_t len, size_t *i, size_t max, char c) {
        size_t start = *i;
        while (*i < len && *i - start < max && p[*i] >= '0' && p[*i] <= '9')
                (*i)++;
        if (*i == start || *i >= len || p[*i] != c)
                return false;
        (*i)++;
        return true;
}

/* Whether p (len bytes) starts with the header "audit(SEC.MSEC:SERIAL):". */
static bool starts_with_header(const char *p, size_t len) {
        size_t i = 6;
        /* as audit_header_parse() reads it: numbers of 64 bits, milliseconds of three digits */
        return len >= 6 && memcmp(p, "audit(", 6) == 0 && digits_then(p, len, &i, 19, '.') &&
               digits_then(p, len, &i, 3, ':') && digits_then(p, len, &i, 19, ')') && i < len && p[i] == ':';
}

int audit_record_from_netlink(int type, const char *payload, size_t len, char **ret) {
        if (!payload || type <= 0 || !starts_with_header(payload, len))
                return -EINVAL;
        _cleanup_(strbuf_done) StrBuf b = {};
        append_type(&b, type);
        strbuf_append_n(&b, payload, len);
        return strbuf_steal(&b, ret, NULL);
}

/* "audit: type=N " then the header; *ret_type and the header's offset. */
static bool kernel_line_parse(const char *msg, size_t len, int *ret_type, size_t *ret_header) {
        static const char prefix[] = "audit: type=";
        if (!msg || len < sizeof prefix - 1 || memcmp(msg, prefix, sizeof prefix - 1) != 0)
                return false;
        size_t i = sizeof prefix - 1;
        int type = 0;
        size_t digits = 0;
        while (i < len && msg[i] >= '0' && msg[i] <= '9' && digits < 6) {
                type = type * 10 + (msg[i++] - '0');
                digits++;
        }
        if (digits == 0 || type == 0 || i >= len || msg[i] != ' ')
                return false;
        i++;
        if (!starts_with_header(msg + i, len - i))
                return false;
        *ret_type = type;
        *ret_header = i;
        return true;
}

bool audit_kernel_line_is_record(const char *msg, size_t len) {
        int type;
        size_t h;
        return kernel_line_parse(msg, len, &type, &h);
}

int audit_record_from_kernel_line(const char *msg, size_t len, char **ret) {
        int type;
        size_t h;
        if (!kernel_line_parse(msg, len, &type, &h))
                return -EINVAL;
        return audit_record_from_netlink(type, msg + h, len - h, ret);
}

int audit_record_from_journal(const char *type_name, int type, uint64_t serial, uint64_t usec,
                              const char *msg, size_t len, char **ret) {
        if (!msg || serial == 0 || (type <= 0 && !type_name))
                return -EINVAL;
        if (type <= 0) {
                type = audit_type_from_name(type_name, strlen(type_name));
                if (type < 0)
                        return type;
        }
        /* journald writes "NAME body", NAME being its own table's name or the number: drop it. */
        const char *sp = memchr(msg, ' ', len);
        size_t word = sp ? (size_t) (sp - msg) : len;
        bool named = (type_name && strlen(type_name) == word && memcmp(msg, type_name, word) == 0);
        if (!named) {
                const char *own = audit_type_to_name(type);
                char num[16];
                int n = snprintf(num, sizeof num, "%d", type);
                named = (own && strlen(own) == word && memcmp(msg, own, word) == 0) ||
                        ((size_t) n == word && memcmp(msg, num, word) == 0);
        }
        if (named) {
                msg += word;
                len -= word;
                while (len > 0 && *msg == ' ') {
                        msg++;
                        len--;
                }
        }
        _cleanup_(strbuf_done) StrBuf b = {};
        append_type(&b, type);
        strbuf_appendf(&b, "audit(%llu.%03llu:%llu): ", (unsigned long long) (usec / 1000000),
                       (unsigned long long) (usec / 1000 % 1000), (unsigned long long) serial);
        strbuf_append_n(&b, msg, len);
        return strbuf_steal(&b, ret, NULL);
}
