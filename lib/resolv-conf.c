/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "resolv-conf.h"

static const char *const go_default_servers[] = { "127.0.0.1:53", "[::1]:53" };

static bool is_space(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

/* "IP:53" for an address Go's netip.ParseAddr takes (a v6 zone included), or false. */
static bool server_of(const char *word, size_t n, char *buf, size_t size) {
        char ip[INET6_ADDRSTRLEN + 32];
        unsigned char bin[sizeof(struct in6_addr)];
        if (n == 0 || n >= sizeof ip || memchr(word, 0, n))
                return false;
        memcpy(ip, word, n);
        ip[n] = 0;
        if (inet_pton(AF_INET, ip, bin) == 1)
                return (size_t) snprintf(buf, size, "%s:53", ip) < size;
        char *zone = strchr(ip, '%');
        if (zone) {
                if (!zone[1])
                        return false;
                *zone = 0;
        }
        if (inet_pton(AF_INET6, ip, bin) != 1)
                return false;
        if (zone)
                *zone = '%';
        return (size_t) snprintf(buf, size, "[%s]:53", ip) < size;
}

/* Appends a word to a space-separated list; false when it does not fit. */
static bool list_add(char *list, size_t size, const char *word, size_t n) {
        size_t l = strlen(list);
        if (l + (l > 0) + n + 1 > size)
                return false;
        if (l > 0)
                list[l++] = ' ';
        memcpy(list + l, word, n);
        list[l + n] = 0;
        return true;
}

/* dtoi() as Go's resolver reads "timeout:N": digits only, at least 1, at most a bound. */
static unsigned option_number(const char *s, size_t n, unsigned max) {
        unsigned v = 0;
        if (n == 0)
                return 1;
        for (size_t i = 0; i < n; i++) {
                if (s[i] < '0' || s[i] > '9')
                        return 1; /* Go's dtoi fails: n < 1 becomes 1 */
                v = MIN(v * 10 + (unsigned) (s[i] - '0'), max);
        }
        return MAX(v, 1u);
}

static void parse_options(ResolvConf *rc, const char *p, const char *end) {
        while (p < end) {
                while (p < end && is_space(*p))
                        p++;
                const char *w = p;
                while (p < end && !is_space(*p))
                        p++;
                size_t n = (size_t) (p - w);
                if (n == 0)
                        break;
                bool known = true;
                if (n > 8 && strncmp(w, "timeout:", 8) == 0)
                        rc->timeout_sec = option_number(w + 8, n - 8, 30); /* Go caps it at 30 s */
                else if (n > 9 && strncmp(w, "attempts:", 9) == 0)
                        rc->attempts = option_number(w + 9, n - 9, 5); /* and this at 5 */
                else if (n > 6 && strncmp(w, "ndots:", 6) == 0)
                        ;
                else if ((n == 6 && strncmp(w, "rotate", 6) == 0) ||
                         (n == 20 && strncmp(w, "single-request-reopen", 20) == 0) ||
                         (n == 14 && strncmp(w, "single-request", 14) == 0) ||
                         (n == 6 && strncmp(w, "use-vc", 6) == 0) ||
                         (n == 5 && strncmp(w, "usevc", 5) == 0) || (n == 3 && strncmp(w, "tcp", 3) == 0) ||
                         (n == 5 && strncmp(w, "edns0", 5) == 0) ||
                         (n == 8 && strncmp(w, "trust-ad", 8) == 0) ||
                         (n == 9 && strncmp(w, "no-reload", 9) == 0))
                        ;
                else
                        known = false;
                if (known && !list_add(rc->options, sizeof rc->options, w, n))
                        rc->truncated = true;
        }
}

int resolv_conf_parse(const char *text, size_t size, ResolvConf *ret) {
        if (size > RESOLV_CONF_SIZE_MAX)
                return -E2BIG;
        ResolvConf rc = { .timeout_sec = 5, .attempts = 2 };
        const char *p = text, *end = text + size;
        while (p < end) {
                const char *eol = memchr(p, '\n', (size_t) (end - p));
                if (!eol)
                        eol = end;
                const char *w = p;
                while (w < eol && is_space(*w))
                        w++;
                const char *k = w;
                while (w < eol && !is_space(*w))
                        w++;
                size_t kn = (size_t) (w - k);
                /* The arguments, up to a comment. */
                const char *a = w, *aend = eol;
                const char *hash = memchr(a, '#', (size_t) (aend - a));
                if (hash)
                        aend = hash;
                const char *semi = memchr(a, ';', (size_t) (aend - a));
                if (semi)
                        aend = semi;
                while (a < aend && is_space(*a))
                        a++;

                if (kn == 10 && strncmp(k, "nameserver", 10) == 0) {
                        const char *e = a;
                        while (e < aend && !is_space(*e))
                                e++;
                        char server[RESOLV_CONF_SERVER_MAX];
                        if (rc.n_servers < RESOLV_CONF_NAMESERVERS_MAX &&
                            server_of(a, (size_t) (e - a), server, sizeof server))
                                memcpy(rc.servers[rc.n_servers++], server, sizeof server);
                        else
                                rc.n_servers_ignored++;
                } else if ((kn == 6 && strncmp(k, "search", 6) == 0) ||
                           (kn == 6 && strncmp(k, "domain", 6) == 0)) {
                        /* The last line wins; "domain" takes one name. */
                        rc.search[0] = 0;
                        bool one = k[0] == 'd';
                        while (a < aend) {
                                const char *e = a;
                                while (e < aend && !is_space(*e))
                                        e++;
                                if (e > a && !list_add(rc.search, sizeof rc.search, a, (size_t) (e - a)))
                                        rc.truncated = true;
                                if (one)
                                        break;
                                a = e;
                                while (a < aend && is_space(*a))
                                        a++;
                        }
                } else if (kn == 7 && strncmp(k, "options", 7) == 0)
                        parse_options(&rc, a, aend);
                p = eol < end ? eol + 1 : end;
        }
        *ret = rc;
        return 0;
}

size_t resolv_conf_servers(const ResolvConf *rc, const char *const **ret_defaults) {
        if (rc->n_servers > 0) {
                *ret_defaults = NULL;
                return rc->n_servers;
        }
        *ret_defaults = go_default_servers;
        return ELEMENTSOF(go_default_servers);
}

/* The source of a bind onto dest in pairs (source, destination, ...), the last one winning as
 * the last mount does; a "-" (ignore a missing source) is not part of the path. */
static const char *bind_source(char *const *pairs, const char *dest) {
        const char *found = NULL;
        for (size_t i = 0; pairs && pairs[i] && pairs[i + 1]; i += 2)
                if (streq(pairs[i + 1], dest))
                        found = pairs[i][0] == '-' ? pairs[i] + 1 : pairs[i];
        return found;
}

int resolv_conf_unit_path(const UnitSettings *s, char **ret_path, const char **ret_basis) {
        const char *src, *basis;
        char *path = NULL;
        if ((src = bind_source(s->bind_read_only_paths, "/etc/resolv.conf")) ||
            (src = bind_source(s->bind_paths, "/etc/resolv.conf"))) {
                path = strdup(src);
                basis = "bind-mounted onto /etc/resolv.conf (BindReadOnlyPaths=/BindPaths=)";
        } else if ((src = bind_source(s->bind_read_only_paths, "/etc")) ||
                   (src = bind_source(s->bind_paths, "/etc"))) {
                if (asprintf(&path, "%s/resolv.conf", src) < 0)
                        path = NULL;
                basis = "in the directory bind-mounted onto /etc (BindReadOnlyPaths=/BindPaths=)";
        } else if (s->root_image && s->root_image[0]) {
                *ret_path = NULL;
                *ret_basis = "inside RootImage=, which goguardd does not mount";
                return 0;
        } else if (s->root_directory && s->root_directory[0] && !streq(s->root_directory, "/")) {
                size_t n = strlen(s->root_directory);
                while (n > 1 && s->root_directory[n - 1] == '/')
                        n--;
                if (asprintf(&path, "%.*s/etc/resolv.conf", (int) n, s->root_directory) < 0)
                        path = NULL;
                basis = "inside RootDirectory=";
        } else {
                path = strdup("/etc/resolv.conf");
                basis = "the host's";
        }
        if (!path)
                return -ENOMEM;
        *ret_path = path;
        *ret_basis = basis;
        return 0;
}
