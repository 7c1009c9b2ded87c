/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <string.h>

#include "audit-fields.h"
#include "audit-log.h"
#include "audit-record.h"

size_t audit_log_next_line(const char *buf, size_t len, size_t *ret_next) {
        size_t end = 0;
        for (;;) {
                const char *nl = memchr(buf + end, '\n', len - end);
                if (!nl) {
                        *ret_next = len;
                        return len;
                }
                end = (size_t) (nl - buf);
                if (end + 1 < len && (buf[end + 1] == ' ' || buf[end + 1] == '\t') && end > 0) {
                        end++;
                        continue;
                }
                *ret_next = end + 1;
                return end;
        }
}

static bool is_raw(const char *p, size_t n) {
        AuditHeader h;
        return audit_header_parse(p, n, &h) >= 0;
}

/* A header-less record: "NAME body" with NAME a known audit type name. */
static int headerless(const char *p, size_t n, uint64_t sec, uint64_t synth, StrBuf *b, const char **ret,
                      size_t *ret_len) {
        const char *sp = memchr(p, ' ', n);
        if (!sp)
                return 0;
        int type = audit_type_from_name(p, (size_t) (sp - p));
        if (type < 0)
                return 0;
        b->len = 0;
        if (b->data)
                b->data[0] = 0;
        strbuf_appendf(b, "type=%.*s msg=audit(%llu.000:%llu): ", (int) (sp - p), p,
                       (unsigned long long) (sec ?: 1), (unsigned long long) synth);
        strbuf_append_n(b, sp + 1, (size_t) (p + n - sp - 1));
        if (strbuf_error(b) < 0)
                return -ENOMEM;
        *ret = b->data;
        *ret_len = b->len;
        return 1;
}

int audit_log_line(const char *line, size_t len, uint64_t synth_sec, uint64_t synth_serial, StrBuf *b,
                   const char **ret, size_t *ret_len) {
        if (len == 0)
                return 0;
        if (is_raw(line, len)) {
                *ret = line;
                *ret_len = len;
                return 1;
        }
        /* the kernel's form, after a dmesg or syslog prefix */
        const char *k = memmem(line, len, "audit: type=", 12);
        if (k && audit_kernel_line_is_record(k, (size_t) (line + len - k))) {
                _cleanup_free_ char *rec = NULL;
                int r = audit_record_from_kernel_line(k, (size_t) (line + len - k), &rec);
                if (r < 0)
                        return r == -ENOMEM ? r : 0;
                b->len = 0;
                strbuf_append(b, rec);
                if (strbuf_error(b) < 0)
                        return -ENOMEM;
                *ret = b->data;
                *ret_len = b->len;
                return 1;
        }
        /* a raw record after a syslog prefix (audisp-syslog: "... audispd: node=... type=...") */
        for (const char *p = line; (p = memmem(p, (size_t) (line + len - p), " type=", 6)); p++) {
                const char *start = p + 1;
                /* with its node= before it */
                for (const char *q = line; q < p; q++)
                        if ((q == line || q[-1] == ' ') && strncmp(q, "node=", 5) == 0 &&
                            memchr(q, ' ', (size_t) (p - q) + 1) == p)
                                start = q;
                if (is_raw(start, (size_t) (line + len - start))) {
                        *ret = start;
                        *ret_len = (size_t) (line + len - start);
                        return 1;
                }
        }
        /* the journal's short form, "... audit[PID]: NAME body" */
        const char *a = memmem(line, len, " audit[", 7);
        if (a) {
                const char *colon = memmem(a, (size_t) (line + len - a), "]: ", 3);
                if (colon)
                        return headerless(colon + 3, (size_t) (line + len - colon - 3), synth_sec,
                                          synth_serial, b, ret, ret_len);
        }
        /* journald's MESSAGE of the audit transport, "NAME body" */
        return headerless(line, len, synth_sec, synth_serial, b, ret, ret_len);
}
