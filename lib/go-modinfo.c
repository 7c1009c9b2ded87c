/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>

#include "go-modinfo.h"
#include "go-strconv.h"

static void go_module_done(GoModule *m) {
        free(m->path);
        free(m->version);
        free(m->sum);
        if (m->replace) {
                go_module_done(m->replace);
                free(m->replace);
        }
        *m = (GoModule){};
}

GoModInfo *go_modinfo_free(GoModInfo *mi) {
        if (!mi)
                return NULL;
        free(mi->path);
        go_module_done(&mi->main);
        for (size_t i = 0; i < mi->n_deps; i++)
                go_module_done(&mi->deps[i]);
        free(mi->deps);
        for (size_t i = 0; i < mi->n_settings; i++) {
                free(mi->settings[i].key);
                free(mi->settings[i].value);
        }
        free(mi->settings);
        return mfree(mi);
}

bool go_module_is_set(const GoModule *m) {
        return (m->path && *m->path) || (m->version && *m->version) || (m->sum && *m->sum) || m->replace;
}

static bool has_prefix(const char *s, size_t n, const char *prefix) {
        size_t k = strlen(prefix);
        return n >= k && memcmp(s, prefix, k) == 0;
}

/* Splits a line on tabs into at most max fields; returns the number of fields found, which may
 * exceed max (the extra ones are not stored). */
static size_t split_tabs(const char *s, size_t n, const char **f, size_t *flen, size_t max) {
        size_t count = 0, start = 0;
        for (size_t i = 0; i <= n; i++) {
                if (i == n || s[i] == '\t') {
                        if (count < max) {
                                f[count] = s + start;
                                flen[count] = i - start;
                        }
                        count++;
                        start = i + 1;
                }
        }
        return count;
}

static int read_module_line(const char *s, size_t n, GoModule *ret, const char **reason) {
        const char *f[3];
        size_t fl[3];
        size_t k = split_tabs(s, n, f, fl, 3);
        if (k != 2 && k != 3) {
                *reason = "expected 2 or 3 columns";
                return -EBADMSG;
        }
        GoModule m = {
                .path = strndup(f[0], fl[0]),
                .version = strndup(f[1], fl[1]),
                .sum = k == 3 ? strndup(f[2], fl[2]) : strdup(""),
        };
        if (!m.path || !m.version || !m.sum) {
                go_module_done(&m);
                return -ENOMEM;
        }
        *ret = m;
        return 0;
}

static bool quote_key(const char *s, size_t n) {
        return n == 0 || memchr(s, '=', n) || memchr(s, ' ', n) || memchr(s, '\t', n) ||
               memchr(s, '\r', n) || memchr(s, '\n', n) || memchr(s, '"', n) || memchr(s, '`', n);
}

static bool quote_value(const char *s, size_t n) {
        return memchr(s, ' ', n) || memchr(s, '\t', n) || memchr(s, '\r', n) || memchr(s, '\n', n) ||
               memchr(s, '"', n) || memchr(s, '`', n);
}

static int unquote_whole(const char *s, size_t n, char **ret) {
        StrBuf b = {};
        size_t used;
        int r = go_unquote_prefix(s, n, &b, &used);
        if (r >= 0 && used != n)
                r = -EBADMSG;
        if (r < 0) {
                strbuf_done(&b);
                return r;
        }
        if (b.len > 0 && memchr(b.data, 0, b.len)) {
                strbuf_done(&b);
                return -EBADMSG;
        }
        return strbuf_steal(&b, ret, NULL);
}

static int read_build_line(const char *kv, size_t n, GoBuildSetting *ret, const char **reason) {
        _cleanup_free_ char *key = NULL, *value = NULL;
        const char *raw_value;
        size_t raw_len;
        int r;

        if (n < 1) {
                *reason = "build line missing '='";
                return -EBADMSG;
        }
        if (kv[0] == '=') {
                *reason = "build line with missing key";
                return -EBADMSG;
        }
        if (kv[0] == '`' || kv[0] == '"') {
                StrBuf b = {};
                size_t used;
                r = go_unquote_prefix(kv, n, &b, &used);
                if (r < 0) {
                        strbuf_done(&b);
                        *reason = "invalid quoted key in build line";
                        return -EBADMSG;
                }
                if (b.len > 0 && memchr(b.data, 0, b.len)) {
                        strbuf_done(&b);
                        *reason = "NUL byte in build setting";
                        return -EBADMSG;
                }
                r = strbuf_steal(&b, &key, NULL);
                if (r < 0)
                        return r;
                if (used == n) {
                        *reason = "build line missing '=' after quoted key";
                        return -EBADMSG;
                }
                if (kv[used] != '=') {
                        *reason = "unexpected character after quoted key";
                        return -EBADMSG;
                }
                raw_value = kv + used + 1;
                raw_len = n - used - 1;
        } else {
                const char *eq = memchr(kv, '=', n);
                if (!eq) {
                        *reason = "build line missing '=' after key";
                        return -EBADMSG;
                }
                if (quote_key(kv, (size_t) (eq - kv))) {
                        *reason = "unquoted key must be quoted";
                        return -EBADMSG;
                }
                key = strndup(kv, (size_t) (eq - kv));
                if (!key)
                        return -ENOMEM;
                raw_value = eq + 1;
                raw_len = n - (size_t) (eq - kv) - 1;
        }

        if (raw_len > 0 && (raw_value[0] == '`' || raw_value[0] == '"')) {
                r = unquote_whole(raw_value, raw_len, &value);
                if (r == -EBADMSG) {
                        *reason = "invalid quoted value in build line";
                        return r;
                }
                if (r < 0)
                        return r;
        } else {
                if (quote_value(raw_value, raw_len)) {
                        *reason = "unquoted value must be quoted";
                        return -EBADMSG;
                }
                value = strndup(raw_value, raw_len);
                if (!value)
                        return -ENOMEM;
        }

        *ret = (GoBuildSetting){ .key = TAKE_PTR(key), .value = TAKE_PTR(value) };
        return 0;
}

static int grow(void **array, size_t count, size_t elem, size_t cap) {
        if (count >= cap)
                return -E2BIG;
        /* Grow in powers of two so appending n elements costs O(n). */
        if (count == 0 || (count & (count - 1)) == 0) {
                size_t n = count == 0 ? 8 : count * 2;
                void *p = reallocarray(*array, n, elem);
                if (!p)
                        return -ENOMEM;
                *array = p;
        }
        return 0;
}

int go_modinfo_parse(const char *text, size_t size, GoModInfo **ret, GoModInfoError *error) {
        _cleanup_(go_modinfo_freep) GoModInfo *mi = NULL;
        GoModule *last = NULL;
        const char *reason = NULL;
        size_t line = 1;
        int r = 0;

        if (size > GO_MODINFO_SIZE_MAX)
                return -E2BIG;
        if (memchr(text, 0, size)) {
                /* Go would accept it, but no linker writes one, and C strings cannot carry it. */
                const char *nul = memchr(text, 0, size);
                for (const char *p = text; p < nul; p++)
                        line += *p == '\n';
                if (error)
                        *error = (GoModInfoError){ line, "NUL byte in build info" };
                return -EBADMSG;
        }

        mi = calloc(1, sizeof *mi);
        if (!mi)
                return -ENOMEM;

        const char *p = text, *end = text + size;
        while (p < end) {
                const char *nl = memchr(p, '\n', (size_t) (end - p));
                if (!nl)
                        break; /* a final line without newline is ignored, as in Go */
                size_t n = (size_t) (nl - p);

                if (has_prefix(p, n, "path\t")) {
                        free(mi->path);
                        mi->path = strndup(p + 5, n - 5);
                        if (!mi->path)
                                return -ENOMEM;
                } else if (has_prefix(p, n, "mod\t")) {
                        GoModule m;
                        r = read_module_line(p + 4, n - 4, &m, &reason);
                        if (r < 0)
                                goto fail;
                        go_module_done(&mi->main);
                        mi->main = m;
                        last = &mi->main;
                } else if (has_prefix(p, n, "dep\t")) {
                        r = grow((void **) &mi->deps, mi->n_deps, sizeof(GoModule), GO_MODINFO_DEPS_MAX);
                        if (r < 0)
                                return r;
                        r = read_module_line(p + 4, n - 4, &mi->deps[mi->n_deps], &reason);
                        if (r < 0)
                                goto fail;
                        last = &mi->deps[mi->n_deps++];
                } else if (has_prefix(p, n, "=>\t")) {
                        const char *f[3];
                        size_t fl[3];
                        if (split_tabs(p + 3, n - 3, f, fl, 3) != 3) {
                                reason = "expected 3 columns for replacement";
                                r = -EBADMSG;
                                goto fail;
                        }
                        if (!last) {
                                reason = "replacement with no module on previous line";
                                r = -EBADMSG;
                                goto fail;
                        }
                        GoModule *rep = calloc(1, sizeof *rep);
                        if (!rep)
                                return -ENOMEM;
                        rep->path = strndup(f[0], fl[0]);
                        rep->version = strndup(f[1], fl[1]);
                        rep->sum = strndup(f[2], fl[2]);
                        if (!rep->path || !rep->version || !rep->sum) {
                                go_module_done(rep);
                                free(rep);
                                return -ENOMEM;
                        }
                        last->replace = rep;
                        last = NULL;
                } else if (has_prefix(p, n, "build\t")) {
                        r = grow((void **) &mi->settings, mi->n_settings, sizeof(GoBuildSetting),
                                 GO_MODINFO_SETTINGS_MAX);
                        if (r < 0)
                                return r;
                        r = read_build_line(p + 6, n - 6, &mi->settings[mi->n_settings], &reason);
                        if (r < 0)
                                goto fail;
                        mi->n_settings++;
                }
                line++;
                p = nl + 1;
        }

        *ret = TAKE_PTR(mi);
        return 0;

fail:
        if (r == -EBADMSG && error)
                *error = (GoModInfoError){ line, reason };
        return r;
}

static void format_module(StrBuf *out, const char *word, const GoModule *m) {
        strbuf_appendf(out, "%s\t%s\t%s", word, m->path ?: "", m->version ?: "");
        if (!m->replace) {
                strbuf_append_char(out, '\t');
                strbuf_append(out, m->sum ?: "");
        } else {
                strbuf_append_char(out, '\n');
                format_module(out, "=>", m->replace);
        }
        strbuf_append_char(out, '\n');
}

void go_modinfo_format(const GoModInfo *mi, StrBuf *out) {
        if (mi->path && *mi->path)
                strbuf_appendf(out, "path\t%s\n", mi->path);
        if (go_module_is_set(&mi->main))
                format_module(out, "mod", &mi->main);
        for (size_t i = 0; i < mi->n_deps; i++)
                format_module(out, "dep", &mi->deps[i]);
        for (size_t i = 0; i < mi->n_settings; i++) {
                const char *k = mi->settings[i].key, *v = mi->settings[i].value;
                strbuf_append(out, "build\t");
                if (quote_key(k, strlen(k)))
                        go_quote(out, k, strlen(k));
                else
                        strbuf_append(out, k);
                strbuf_append_char(out, '=');
                if (quote_value(v, strlen(v)))
                        go_quote(out, v, strlen(v));
                else
                        strbuf_append(out, v);
                strbuf_append_char(out, '\n');
        }
}

const char *go_modinfo_setting(const GoModInfo *mi, const char *key) {
        /* Go keeps the last occurrence when a key repeats; so do we. */
        for (size_t i = mi->n_settings; i > 0; i--)
                if (strcmp(mi->settings[i - 1].key, key) == 0)
                        return mi->settings[i - 1].value;
        return NULL;
}

bool go_setting_is_secret(const char *key) {
        static const char *const secret[] = {
                "-ldflags",     "-gcflags",     "-asmflags",   "CGO_CFLAGS",
                "CGO_CPPFLAGS", "CGO_CXXFLAGS", "CGO_LDFLAGS", "CGO_FFLAGS",
        };
        for (size_t i = 0; i < ELEMENTSOF(secret); i++)
                if (strcmp(key, secret[i]) == 0)
                        return true;
        return false;
}

const char *go_setting_value_shown(const GoBuildSetting *s, bool show_secrets) {
        return show_secrets || !go_setting_is_secret(s->key) ? s->value : GO_SETTING_REDACTED;
}
