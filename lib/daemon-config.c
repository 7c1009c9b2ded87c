/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>

#include "daemon-config.h"
#include "parse-util.h"
#include "strv.h"

void daemon_config_init(DaemonConfig *c) {
        *c = (DaemonConfig){
                .sample_interval_usec = SAMPLE_INTERVAL_DEFAULT_USEC,
                .resolve_after_usec = RESOLVE_AFTER_DEFAULT_USEC,
                .prom_interval_usec = PROM_INTERVAL_DEFAULT_USEC,
                .prom_series_max = PROM_SERIES_DEFAULT,
        };
}

void daemon_config_done(DaemonConfig *c) {
        c->prom_directory = mfree(c->prom_directory);
}

static bool is_space(char c) {
        return c == ' ' || c == '\t' || c == '\r';
}

/* Trims s[0..*n) in place: returns the new start, *n the new length. */
static const char *trim(const char *s, size_t *n) {
        while (*n > 0 && is_space(*s)) {
                s++;
                (*n)--;
        }
        while (*n > 0 && is_space(s[*n - 1]))
                (*n)--;
        return s;
}

typedef enum Section {
        SECTION_NONE,
        SECTION_DAEMON,
        SECTION_PROMETHEUS,
        SECTION_UNKNOWN,
} Section;

static _printf_(2, 3) int set_message(char **msg, const char *fmt, ...) {
        va_list ap;
        char *s;
        va_start(ap, fmt);
        int r = vasprintf(&s, fmt, ap);
        va_end(ap);
        if (r < 0)
                return -ENOMEM;
        free(*msg);
        *msg = s;
        return 0;
}

static int set_sec(const char *value, uint64_t min_sec, uint64_t max_sec, uint64_t def, uint64_t *ret) {
        if (!*value) {
                *ret = def;
                return 0;
        }
        uint64_t usec;
        int r = parse_timespan(value, &usec);
        if (r < 0)
                return r;
        if (usec < min_sec * 1000000ull || usec > max_sec * 1000000ull)
                return -ERANGE;
        *ret = usec;
        return 0;
}

/* A clean absolute path: no "." or ".." component, no "//", no control bytes. */
static bool path_is_clean_absolute(const char *p) {
        if (p[0] != '/' || strlen(p) >= PATH_MAX)
                return false;
        for (const char *s = p; *s; s++)
                if ((unsigned char) *s < 0x20 || *s == 0x7f)
                        return false;
        for (const char *s = p; *s;) {
                s++; /* past the '/' */
                const char *e = strchrnul(s, '/');
                size_t l = (size_t) (e - s);
                if ((l == 0 && *e) || (l == 1 && s[0] == '.') || (l == 2 && s[0] == '.' && s[1] == '.'))
                        return false;
                s = e;
        }
        return true;
}

/* 0 if applied, 1 if the key is unknown, -EINVAL/-ERANGE if its value is not valid. */
static int assign(DaemonConfig *c, Section section, const char *key, const char *value, const char **why) {
        int r;

        *why = NULL;
        if (section == SECTION_DAEMON) {
                if (streq(key, "SampleIntervalSec"))
                        return set_sec(value, 1, 3600, SAMPLE_INTERVAL_DEFAULT_USEC,
                                       &c->sample_interval_usec);
                if (streq(key, "ResolveAfterSec"))
                        return set_sec(value, 1, 604800, RESOLVE_AFTER_DEFAULT_USEC, &c->resolve_after_usec);
                if (streq(key, "Debug")) {
                        if (!*value) {
                                c->debug = false;
                                return 0;
                        }
                        return parse_boolean(value, &c->debug);
                }
        } else if (section == SECTION_PROMETHEUS) {
                if (streq(key, "TextfileDirectory")) {
                        if (!*value) {
                                c->prom_directory = mfree(c->prom_directory);
                                return 0;
                        }
                        if (!path_is_clean_absolute(value)) {
                                *why = "not a normalized absolute path";
                                return -EINVAL;
                        }
                        char *d = strdup(value);
                        if (!d)
                                return -ENOMEM;
                        free(c->prom_directory);
                        c->prom_directory = d;
                        return 0;
                }
                if (streq(key, "IntervalSec"))
                        return set_sec(value, 1, 3600, PROM_INTERVAL_DEFAULT_USEC, &c->prom_interval_usec);
                if (streq(key, "MaxSeries")) {
                        uint64_t v;
                        if (!*value) {
                                c->prom_series_max = PROM_SERIES_DEFAULT;
                                return 0;
                        }
                        r = parse_u64(value, &v);
                        if (r < 0)
                                return r;
                        if (v < 10 || v > 100000)
                                return -ERANGE;
                        c->prom_series_max = (unsigned) v;
                        return 0;
                }
        }
        return 1;
}

static const char *section_name(Section s) {
        return s == SECTION_DAEMON ? "Daemon" : "Prometheus";
}

int daemon_config_parse(DaemonConfig *c, const char *text, size_t size, char ***warnings, char **error) {
        Section section = SECTION_NONE;
        unsigned line = 0;
        int r;

        if (size > DAEMON_CONFIG_FILE_MAX)
                return -E2BIG;
        if (memchr(text, 0, size))
                return set_message(error, "contains a NUL byte") < 0 ? -ENOMEM : -EBADMSG;

        for (size_t pos = 0; pos < size;) {
                const char *nl = memchr(text + pos, '\n', size - pos);
                size_t n = nl ? (size_t) (nl - (text + pos)) : size - pos;
                const char *l = trim(text + pos, &n);
                pos += (nl ? (size_t) (nl - (text + pos)) + 1 : size - pos);
                line++;

                if (n == 0 || l[0] == '#' || l[0] == ';')
                        continue;
                if (l[0] == '[') {
                        if (l[n - 1] != ']' || n < 3 || memchr(l + 1, ']', n - 2) ||
                            memchr(l + 1, '[', n - 2))
                                return set_message(error, "line %u: a section header must be [Name]", line) <
                                                       0
                                               ? -ENOMEM
                                               : -EBADMSG;
                        size_t k = n - 2;
                        if (k == 6 && memcmp(l + 1, "Daemon", 6) == 0)
                                section = SECTION_DAEMON;
                        else if (k == 10 && memcmp(l + 1, "Prometheus", 10) == 0)
                                section = SECTION_PROMETHEUS;
                        else {
                                section = SECTION_UNKNOWN;
                                char *w;
                                if (asprintf(&w, "line %u: unknown section [%.*s], ignoring it", line,
                                             (int) k, l + 1) < 0)
                                        return -ENOMEM;
                                if (strv_consume(warnings, w) < 0)
                                        return -ENOMEM;
                        }
                        continue;
                }
                const char *eq = memchr(l, '=', n);
                if (!eq)
                        return set_message(error, "line %u: not Key=value, a [Section] or a comment", line) <
                                               0
                                       ? -ENOMEM
                                       : -EBADMSG;
                size_t kn = (size_t) (eq - l), vn = n - kn - 1;
                const char *k = trim(l, &kn), *v = trim(eq + 1, &vn);
                if (kn == 0)
                        return set_message(error, "line %u: an assignment without a key", line) < 0
                                       ? -ENOMEM
                                       : -EBADMSG;
                _cleanup_free_ char *key = strndup(k, kn), *value = strndup(v, vn);
                if (!key || !value)
                        return -ENOMEM;
                if (section == SECTION_UNKNOWN)
                        continue; /* warned about once, at its header */
                if (section == SECTION_NONE) {
                        char *w;
                        if (asprintf(&w, "line %u: %s= outside of a section, ignoring it", line, key) < 0 ||
                            strv_consume(warnings, w) < 0)
                                return -ENOMEM;
                        continue;
                }
                const char *why;
                r = assign(c, section, key, value, &why);
                if (r == -ENOMEM)
                        return r;
                if (r == 1) {
                        char *w;
                        if (asprintf(&w, "line %u: unknown key %s= in [%s], ignoring it", line, key,
                                     section_name(section)) < 0 ||
                            strv_consume(warnings, w) < 0)
                                return -ENOMEM;
                        continue;
                }
                if (r < 0) {
                        if (!why)
                                why = r == -ERANGE ? "out of range" : "not valid";
                        return set_message(error, "line %u: %s=%s: %s", line, key, value, why) < 0 ? -ENOMEM
                                                                                                   : -EINVAL;
                }
        }
        return 0;
}
