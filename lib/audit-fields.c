/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <string.h>

#include "audit-fields.h"
#include "audit-record.h"
#include "macro.h"
#include "parse-util.h"

size_t audit_strip_enriched(const char *text, size_t len) {
        const char *gs = memchr(text, 0x1d, len);
        return gs ? (size_t) (gs - text) : len;
}

static bool skip(const char **p, const char *end, const char *lit) {
        size_t n = strlen(lit);
        if ((size_t) (end - *p) < n || memcmp(*p, lit, n) != 0)
                return false;
        *p += n;
        return true;
}

static bool number(const char **p, const char *end, uint64_t *ret) {
        int k = parse_u64_prefix(*p, (size_t) (end - *p), ret);
        if (k <= 0)
                return false;
        *p += k;
        return true;
}

int audit_header_parse(const char *text, size_t len, AuditHeader *ret) {
        const char *p = text, *end = text + len;
        AuditHeader h = { .type = -1 };

        if (!text)
                return -EINVAL;
        if (skip(&p, end, "node=")) {
                const char *sp = memchr(p, ' ', (size_t) (end - p));
                if (!sp)
                        return -EINVAL;
                h.node = (AuditSpan){ p, (size_t) (sp - p) };
                p = sp + 1;
        }
        if (!skip(&p, end, "type="))
                return -EINVAL;
        const char *sp = memchr(p, ' ', (size_t) (end - p));
        if (!sp || sp == p)
                return -EINVAL;
        h.type_name = (AuditSpan){ p, (size_t) (sp - p) };
        h.type = audit_type_from_name(p, h.type_name.n);
        p = sp + 1;
        uint64_t msec;
        if (!skip(&p, end, "msg=audit(") || !number(&p, end, &h.sec) || !skip(&p, end, ".") ||
            !number(&p, end, &msec) || msec > 999 || !skip(&p, end, ":") || !number(&p, end, &h.serial) ||
            !skip(&p, end, "):"))
                return -EINVAL;
        h.msec = (unsigned) msec;
        while (p < end && *p == ' ')
                p++;
        h.body = (size_t) (p - text);
        *ret = h;
        return 0;
}

/* memmem(), for the short keys of a record: its first byte found with memchr() (a tenth of
 * memmem()'s cost here, where a flood reads a dozen fields of each record). */
static const char *find_key(const char *p, const char *end, const char *key, size_t kn) {
        if (kn == 0)
                return p;
        while (p < end && (size_t) (end - p) >= kn) {
                const char *hit = memchr(p, key[0], (size_t) (end - p) - kn + 1);
                if (!hit)
                        return NULL;
                size_t i = 1;
                while (i < kn && hit[i] == key[i])
                        i++;
                if (i == kn)
                        return hit;
                p = hit + 1;
        }
        return NULL;
}

bool audit_field(const char *text, size_t len, const char *key, AuditSpan *ret) {
        size_t kn = strlen(key);
        const char *p = text, *end = text + len;

        while (p < end) {
                const char *hit = find_key(p, end, key, kn);
                if (!hit)
                        return false;
                const char *v = hit + kn;
                p = hit + 1;
                if (v >= end || *v != '=')
                        continue;
                if (hit != text && hit[-1] != ' ' && hit[-1] != '\'' && hit[-1] != '"' && hit[-1] != '\t')
                        continue;
                v++;
                const char *e;
                if (v < end && (*v == '"' || *v == '\'')) {
                        e = memchr(v + 1, *v, (size_t) (end - v - 1));
                        if (!e)
                                e = end;
                        v++;
                } else {
                        e = v;
                        while (e < end && *e != ' ' && *e != '\'' && *e != '\t' && *e != '\n')
                                e++;
                }
                *ret = (AuditSpan){ v, (size_t) (e - v) };
                return true;
        }
        return false;
}

const char *audit_field_buf(const char *text, size_t len, const char *key, char *buf, size_t size) {
        AuditSpan s;
        if (size == 0 || !audit_field(text, len, key, &s))
                return NULL;
        size_t n = MIN(s.n, size - 1);
        memcpy(buf, s.p, n);
        buf[n] = 0;
        return buf;
}

bool audit_field_u64(const char *text, size_t len, const char *key, uint64_t *ret) {
        AuditSpan s;
        uint64_t v;
        if (!audit_field(text, len, key, &s) || parse_u64_prefix(s.p, s.n, &v) != (int) s.n || s.n == 0)
                return false;
        *ret = v;
        return true;
}

int audit_avc_parse(const char *text, size_t len, AuditAvc *ret) {
        const char *avc = memmem(text, len, "avc:", 4);
        if (!avc)
                return -EINVAL;
        const char *p = avc + 4, *end = text + len;
        while (p < end && *p == ' ')
                p++;
        bool denied;
        if (skip(&p, end, "denied"))
                denied = true;
        else if (skip(&p, end, "granted"))
                denied = false;
        else
                return -EINVAL; /* a policy load notice, ... */
        while (p < end && *p == ' ')
                p++;
        if (!skip(&p, end, "{"))
                return -EINVAL;
        const char *close = memchr(p, '}', (size_t) (end - p));
        if (!close)
                return -EINVAL;
        while (p < close && *p == ' ')
                p++;
        const char *e = close;
        while (e > p && e[-1] == ' ')
                e--;
        *ret = (AuditAvc){ .denied = denied, .perms = { p, (size_t) (e - p) } };
        return 0;
}

bool selinux_context_type(AuditSpan ctx, AuditSpan *ret_type, AuditSpan *ret_level) {
        /* user:role:type[:level] */
        const char *p = ctx.p, *end = ctx.p + ctx.n;
        for (int i = 0; i < 2; i++) {
                p = memchr(p, ':', (size_t) (end - p));
                if (!p)
                        return false;
                p++;
        }
        const char *e = memchr(p, ':', (size_t) (end - p));
        if (!e)
                e = end;
        if (e == p)
                return false;
        *ret_type = (AuditSpan){ p, (size_t) (e - p) };
        *ret_level = (AuditSpan){ e, (size_t) (end - e) };
        return true;
}
