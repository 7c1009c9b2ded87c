/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "apparmor-record.h"
#include "audit-fields.h"
#include "strbuf.h"

static const char *const event_table[_APPARMOR_EVENT_MAX] = {
        [APPARMOR_EVENT_DENIED] = "DENIED", [APPARMOR_EVENT_ALLOWED] = "ALLOWED",
        [APPARMOR_EVENT_AUDIT] = "AUDIT",   [APPARMOR_EVENT_STATUS] = "STATUS",
        [APPARMOR_EVENT_HINT] = "HINT",     [APPARMOR_EVENT_ERROR] = "ERROR",
};

const char *apparmor_event_to_string(AppArmorEvent e) {
        return e >= 0 && e < _APPARMOR_EVENT_MAX ? event_table[e] : NULL;
}

void apparmor_record_done(AppArmorRecord *r) {
        char **s[] = { &r->operation, &r->profile,   &r->peer,           &r->name,
                       &r->name2,     &r->comm,      &r->requested_mask, &r->denied_mask,
                       &r->class_,    &r->info,      &r->net_family,     &r->net_sock_type,
                       &r->dbus_bus,  &r->dbus_path, &r->dbus_interface, &r->dbus_member,
                       &r->signal };
        for (size_t i = 0; i < ELEMENTSOF(s); i++)
                free(*s[i]);
        *r = (AppArmorRecord){ .event = _APPARMOR_EVENT_INVALID };
}

bool apparmor_record_is(const char *text, size_t len) {
        return memmem(text, len, "apparmor=", 9) != NULL;
}

/* Appends text, dropping its " key=value" field (the value, unquoted, into *ret_value). */
static int append_without(StrBuf *b, const char *p, size_t n, const char *key, char **ret_value) {
        AuditSpan v;
        size_t kn = strlen(key);
        if (!audit_field(p, n, key, &v)) {
                strbuf_append_n(b, p, n);
                return 0;
        }
        bool quoted = v.p > p && (v.p[-1] == '"' || v.p[-1] == '\'') && v.p[-2] == '=';
        const char *start = v.p - quoted - 1 - kn;
        const char *end = v.p + v.n;
        if (quoted && end < p + n)
                end++;
        if (start > p && start[-1] == ' ')
                start--;
        strbuf_append_n(b, p, (size_t) (start - p));
        strbuf_append_n(b, end, (size_t) (p + n - end));
        *ret_value = strndup(v.p, v.n);
        return *ret_value ? 1 : -ENOMEM;
}

#define KEYS_MAX 64u

/* libapparmor 3.0.8's parse_record() leaks the value of a key given twice (its grammar keeps the
 * last): only the first of each key of a segment is kept, the segments being the record's own
 * fields and a USER_AVC's msg='...'. */
static int drop_repeated_keys(const char *s, char **ret) {
        _cleanup_(strbuf_done) StrBuf b = {};
        struct {
                const char *p;
                size_t n;
        } keys[KEYS_MAX];
        size_t n_keys = 0;

        for (size_t i = 0; s[i];) {
                size_t k = i;
                bool boundary = i == 0 || s[i - 1] == ' ' || s[i - 1] == '\'';
                while (boundary && (s[k] == '_' || (s[k] >= 'a' && s[k] <= 'z') ||
                                    (s[k] >= 'A' && s[k] <= 'Z') || (s[k] >= '0' && s[k] <= '9')))
                        k++;
                if (!boundary || k == i || s[k] != '=') {
                        strbuf_append_char(&b, s[i++]);
                        continue;
                }
                size_t kn = k - i, v = k + 1, end;
                if (kn == 3 && memcmp(s + i, "msg", 3) == 0 && s[v] == '\'') {
                        /* the sender's own fields: a segment of their own */
                        strbuf_append_n(&b, s + i, v + 1 - i);
                        n_keys = 0;
                        i = v + 1;
                        continue;
                }
                if (s[v] == '"') {
                        const char *q = strchr(s + v + 1, '"');
                        end = q ? (size_t) (q - s) + 1 : strlen(s);
                } else
                        for (end = v; s[end] && s[end] != ' ' && s[end] != '\''; end++)
                                ;
                bool repeated = false;
                for (size_t j = 0; j < n_keys && !repeated; j++)
                        repeated = keys[j].n == kn && memcmp(keys[j].p, s + i, kn) == 0;
                if (!repeated) {
                        if (n_keys < KEYS_MAX) {
                                keys[n_keys].p = s + i;
                                keys[n_keys++].n = kn;
                        }
                        strbuf_append_n(&b, s + i, end - i);
                } else if (b.len > 0 && b.data[b.len - 1] == ' ')
                        b.data[--b.len] = 0; /* with the space before it */
                i = end;
        }
        return strbuf_steal(&b, ret, NULL);
}

int apparmor_record_normalize(const char *text, size_t len, char **ret, char **ret_class) {
        _cleanup_free_ char *cls = NULL, *a = NULL, *b = NULL;
        _cleanup_(strbuf_done) StrBuf x = {}, y = {};
        int r;

        if (!apparmor_record_is(text, len))
                return -EINVAL;
        len = audit_strip_enriched(text, len);
        if (len >= 5 && memcmp(text, "node=", 5) == 0) {
                const char *sp = memchr(text, ' ', len);
                if (!sp)
                        return -EINVAL;
                len -= (size_t) (sp + 1 - text);
                text = sp + 1;
        }
        r = append_without(&x, text, len, "class", &cls);
        if (r < 0)
                return r;
        r = strbuf_steal(&x, &a, NULL);
        if (r < 0)
                return r;
        /* Newer kernels' requested=/denied= are the masks parse_record() knows by their old names. */
        for (const char *p = a; *p; p++) {
                if ((p == a || p[-1] == ' ') && strncmp(p, "requested=", 10) == 0) {
                        strbuf_append(&y, "requested_mask=");
                        p += 9;
                } else if ((p == a || p[-1] == ' ') && strncmp(p, "denied=", 7) == 0) {
                        strbuf_append(&y, "denied_mask=");
                        p += 6;
                } else
                        strbuf_append_char(&y, *p == '\n' || *p == '\t' ? ' ' : *p);
        }
        r = strbuf_steal(&y, &b, NULL);
        if (r < 0)
                return r;
        r = drop_repeated_keys(b, ret);
        if (r < 0)
                return r;
        if (ret_class)
                *ret_class = TAKE_PTR(cls);
        return 0;
}
