/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <string.h>

#include "audit-pids.h"
#include "macro.h"
#include "parse-util.h"

/* The body after "msg=audit(...): ", and the header's start. */
static const char *find_body(const char *rec, size_t len, const char **ret_header) {
        const char *h = memmem(rec, len, "msg=audit(", 10);
        if (!h)
                return NULL;
        const char *end = memmem(h, len - (size_t) (h - rec), "):", 2);
        if (!end)
                return NULL;
        *ret_header = h + 10;
        return end + 2;
}

/* The value of key= where key starts the body, or follows a space or the quote of msg='. */
static const char *find_key(const char *body, const char *end, const char *key, size_t *ret_len) {
        size_t k = strlen(key);
        for (const char *p = body; p && p + k < end; p = memmem(p + 1, (size_t) (end - p - 1), key, k)) {
                if (memcmp(p, key, k) != 0 || p[k] != '=')
                        continue;
                if (p != body && p[-1] != ' ' && p[-1] != '\'')
                        continue;
                const char *v = p + k + 1;
                size_t n = 0;
                while (v + n < end && v[n] != ' ' && v[n] != '\'')
                        n++;
                *ret_len = n;
                return v;
        }
        return NULL;
}

static uint32_t pid_value(const char *body, const char *end, const char *key) {
        size_t n;
        const char *v = find_key(body, end, key, &n);
        uint64_t pid;
        if (!v || n == 0 || n > 10 || parse_u64_prefix(v, n, &pid) != (int) n || pid > INT32_MAX)
                return 0;
        return (uint32_t) pid;
}

/* exe="/usr/bin/dbus-daemon", dbus-broker's "/usr/bin/dbus-broker" (or -launch). */
static bool exe_is_bus_daemon(const char *body, const char *end) {
        size_t n;
        const char *v = find_key(body, end, "exe", &n);
        if (!v || n < 2 || v[0] != '"' || v[n - 1] != '"')
                return false;
        const char *base = v + 1;
        for (const char *p = v + 1; p < v + n - 1; p++)
                if (*p == '/')
                        base = p + 1;
        size_t b = (size_t) (v + n - 1 - base);
        return (b == 11 && memcmp(base, "dbus-daemon", 11) == 0) ||
               (b == 11 && memcmp(base, "dbus-broker", 11) == 0) ||
               (b == 18 && memcmp(base, "dbus-broker-launch", 18) == 0);
}

int audit_pids_parse(const char *record, size_t len, AuditPids *ret) {
        if (len > AUDIT_PIDS_RECORD_MAX)
                return -E2BIG;
        const char *header, *body = record ? find_body(record, len, &header) : NULL;
        if (!body)
                return -EBADMSG;
        const char *end = record + len;
        AuditPids p = { .pid = pid_value(body, end, "pid") };
        p.from_bus_daemon = exe_is_bus_daemon(body, end);
        if (p.from_bus_daemon) {
                /* The bus daemon's own text in msg='...': after the header's pid=. */
                const char *msg = memmem(body, (size_t) (end - body), "msg='", 5);
                if (msg) {
                        msg += 5;
                        p.sender_pid = pid_value(msg, end, "spid") ?: pid_value(msg, end, "pid");
                        p.peer_pid = pid_value(msg, end, "tpid") ?: pid_value(msg, end, "peer_pid");
                }
        }
        *ret = p;
        return 0;
}

int audit_record_time(const char *record, size_t len, uint64_t *ret_usec, uint64_t *ret_serial) {
        const char *header, *body = record ? find_body(record, len, &header) : NULL;
        if (!body)
                return -EBADMSG;
        size_t left = (size_t) (body - header);
        uint64_t sec, ms, serial;
        int n = parse_u64_prefix(header, left, &sec);
        if (n <= 0 || (size_t) n >= left || header[n] != '.' || sec > UINT64_MAX / 1000000 - 1)
                return -EBADMSG;
        header += n + 1;
        left -= (size_t) n + 1;
        n = parse_u64_prefix(header, left, &ms);
        if (n <= 0 || (size_t) n >= left || header[n] != ':' || ms > 999)
                return -EBADMSG;
        header += n + 1;
        left -= (size_t) n + 1;
        n = parse_u64_prefix(header, left, &serial);
        if (n <= 0 || header[n] != ')')
                return -EBADMSG;
        *ret_usec = sec * 1000000 + ms * 1000;
        *ret_serial = serial;
        return 0;
}
