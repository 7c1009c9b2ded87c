/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What a root file system offers a Go program's environment, read under a root path (see
 * host-environment.h). The lists are Go's own (../shared/reference/go-facts.md). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "host-environment.h"
#include "parse-util.h"
#include "strv.h"

/* src/crypto/x509/root_linux.go: certFiles and certDirectories (without Android's). */
static const char *const cert_files[] = {
        "/etc/ssl/certs/ca-certificates.crt",
        "/etc/pki/tls/certs/ca-bundle.crt",
        "/etc/ssl/ca-bundle.pem",
        "/etc/pki/tls/cacert.pem",
        "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",
        "/etc/ssl/cert.pem",
};
static const char *const cert_dirs[] = { "/etc/ssl/certs", "/etc/pki/tls/certs" };
/* src/time/zoneinfo_unix.go: platformZoneSources. */
static const char *const zone_dirs[] = { "/usr/share/zoneinfo/", "/usr/share/lib/zoneinfo/",
                                         "/usr/lib/locale/TZ/" };

static char *under(const char *root, const char *path) {
        char *p;
        bool top = !root || streq(root, "/");
        if (asprintf(&p, "%s%s", top ? "" : root, path) < 0)
                return NULL;
        return p;
}

/* path as the unit sees it, on this host; NULL when a TemporaryFileSystem= hides it (or -ENOMEM,
 * which reads the same: nothing found). */
static char *in_view(const HostEnvironment *e, const char *path) {
        _cleanup_free_ char *host = NULL;
        int r = unit_view_resolve(&e->view, path, &host);
        if (r == UNIT_VIEW_BIND)
                return under(e->host_root, host);
        return r == UNIT_VIEW_ROOT ? under(e->root, path) : NULL;
}

bool host_environment_has(const HostEnvironment *e, const char *path, bool dir) {
        if (!path || path[0] != '/')
                return false;
        _cleanup_free_ char *p = in_view(e, path);
        struct stat st;
        if (!p || stat(p, &st) < 0)
                return false;
        if (!dir)
                return S_ISREG(st.st_mode) && access(p, R_OK) >= 0;
        if (!S_ISDIR(st.st_mode))
                return false;
        DIR *d = opendir(p);
        if (!d)
                return false;
        bool any = false;
        struct dirent *de;
        while (!any && (de = readdir(d)))
                any = !streq(de->d_name, ".") && !streq(de->d_name, "..");
        closedir(d);
        return any;
}

int host_environment_tls_roots(const HostEnvironment *e, const char *cert_file, const char *cert_dirs_env,
                               char **ret) {
        /* SSL_CERT_FILE replaces the file list, SSL_CERT_DIR (colon-separated) the directories. */
        if (cert_file) {
                if (host_environment_has(e, cert_file, false))
                        return (*ret = strdup(cert_file)) ? 0 : -ENOMEM;
        } else
                for (size_t i = 0; i < ELEMENTSOF(cert_files); i++)
                        if (host_environment_has(e, cert_files[i], false))
                                return (*ret = strdup(cert_files[i])) ? 0 : -ENOMEM;
        if (cert_dirs_env) {
                _cleanup_free_ char *copy = strdup(cert_dirs_env);
                if (!copy)
                        return -ENOMEM;
                char *save = NULL;
                for (char *d = strtok_r(copy, ":", &save); d; d = strtok_r(NULL, ":", &save))
                        if (host_environment_has(e, d, true))
                                return (*ret = strdup(d)) ? 0 : -ENOMEM;
        } else
                for (size_t i = 0; i < ELEMENTSOF(cert_dirs); i++)
                        if (host_environment_has(e, cert_dirs[i], true))
                                return (*ret = strdup(cert_dirs[i])) ? 0 : -ENOMEM;
        *ret = NULL;
        return 0;
}

bool host_environment_has_zone(const HostEnvironment *e, const char *zone, const char *zoneinfo) {
        char path[4096];
        /* Go refuses names with ".." (time: invalid location name) and reads absolute ones as they
         * are only through TZ, not LoadLocation. */
        if (!zone || !*zone || strstr(zone, "..") || zone[0] == '/')
                return false;
        if (streq(zone, "UTC") || streq(zone, "Local"))
                return true; /* LoadLocation knows these without a database */
        if (zoneinfo && zoneinfo[0] == '/') {
                snprintf(path, sizeof path, "%s/%s", zoneinfo, zone);
                if (host_environment_has(e, path, false))
                        return true;
        }
        for (size_t i = 0; i < ELEMENTSOF(zone_dirs); i++) {
                snprintf(path, sizeof path, "%s%s", zone_dirs[i], zone);
                if (host_environment_has(e, path, false))
                        return true;
        }
        return false;
}

static int read_small(const HostEnvironment *e, const char *path, size_t max, char **ret) {
        _cleanup_free_ char *p = e ? in_view(e, path) : strdup(path);
        if (!p)
                return -ENOMEM;
        _cleanup_close_ int fd = open(p, O_RDONLY | O_CLOEXEC | O_NOCTTY);
        if (fd < 0)
                return -errno;
        _cleanup_free_ char *buf = malloc(max + 1);
        if (!buf)
                return -ENOMEM;
        size_t n = 0;
        while (n < max) {
                ssize_t k = read(fd, buf + n, max - n);
                if (k < 0)
                        return -errno;
                if (k == 0)
                        break;
                n += (size_t) k;
        }
        buf[n] = 0;
        *ret = TAKE_PTR(buf);
        return 0;
}

/* "passwd: files systemd" → "files systemd"; comments and other databases skipped. */
static int parse_nsswitch(const char *text, char **ret) {
        for (const char *l = text; l && *l;) {
                const char *end = strchr(l, '\n');
                size_t n = end ? (size_t) (end - l) : strlen(l);
                const char *p = l;
                while (p < l + n && (*p == ' ' || *p == '\t'))
                        p++;
                if ((size_t) (l + n - p) > 7 && strncmp(p, "passwd:", 7) == 0) {
                        p += 7;
                        while (p < l + n && (*p == ' ' || *p == '\t'))
                                p++;
                        size_t m = (size_t) (l + n - p);
                        const char *hash = memchr(p, '#', m);
                        if (hash)
                                m = (size_t) (hash - p);
                        while (m > 0 && (p[m - 1] == ' ' || p[m - 1] == '\t' || p[m - 1] == '\r'))
                                m--;
                        *ret = strndup(p, m);
                        return *ret ? 1 : -ENOMEM;
                }
                l = end ? end + 1 : NULL;
        }
        *ret = NULL;
        return 0;
}

/* A whole field of decimal digits that fits 32 bits. */
static bool field_u32(const char *s, size_t n, uint32_t *ret) {
        uint64_t v;
        if (n == 0 || parse_u64_prefix(s, n, &v) != (int) n || v > UINT32_MAX)
                return false;
        *ret = (uint32_t) v;
        return true;
}

/* The starts of a line's n ":"-separated fields into f: whether it has them all and is an entry
 * (not a comment, nor NIS's "+"/"-" lines, which the files module does not resolve). */
static bool split_fields(const char *l, size_t n, const char **f, size_t n_fields) {
        size_t nf = 0;
        f[nf++] = l;
        for (const char *p = l; p < l + n && nf < n_fields; p++)
                if (*p == ':')
                        f[nf++] = p + 1;
        return nf == n_fields && l[0] != '#' && l[0] != '+' && l[0] != '-';
}

/* name:password:uid:gid:gecos:home:shell, as os/user's pure Go lookup reads it. */
int host_passwd_parse(HostEnvironment *e, const char *text) {
        for (const char *l = text; l && *l;) {
                const char *end = strchr(l, '\n');
                size_t n = end ? (size_t) (end - l) : strlen(l);
                const char *f[7];
                if (split_fields(l, n, f, ELEMENTSOF(f))) {
                        if (e->n_users >= HOST_USERS_MAX) {
                                e->users_truncated = true;
                                return 0;
                        }
                        uint32_t uid, gid;
                        if (field_u32(f[2], (size_t) (f[3] - f[2] - 1), &uid) &&
                            field_u32(f[3], (size_t) (f[4] - f[3] - 1), &gid)) {
                                HostUser *u = reallocarray(e->users, e->n_users + 1, sizeof *u);
                                if (!u)
                                        return -ENOMEM;
                                e->users = u;
                                u = &e->users[e->n_users];
                                u->uid = uid;
                                u->gid = gid;
                                u->name = strndup(l, (size_t) (f[1] - l - 1));
                                u->home = strndup(f[5], (size_t) (f[6] - f[5] - 1));
                                if (!u->name || !u->home) {
                                        free(u->name);
                                        free(u->home);
                                        return -ENOMEM;
                                }
                                e->n_users++;
                        }
                }
                l = end ? end + 1 : NULL;
        }
        return 0;
}

/* name:password:gid:member,member,... */
int host_group_parse(HostEnvironment *e, const char *text) {
        for (const char *l = text; l && *l;) {
                const char *end = strchr(l, '\n');
                size_t n = end ? (size_t) (end - l) : strlen(l);
                const char *f[4];
                uint32_t gid;
                if (split_fields(l, n, f, ELEMENTSOF(f)) &&
                    field_u32(f[2], (size_t) (f[3] - f[2] - 1), &gid)) {
                        if (e->n_groups >= HOST_USERS_MAX) {
                                e->groups_truncated = true;
                                return 0;
                        }
                        HostGroup *g = reallocarray(e->groups, e->n_groups + 1, sizeof *g);
                        if (!g)
                                return -ENOMEM;
                        e->groups = g;
                        g = &e->groups[e->n_groups];
                        *g = (HostGroup){ .gid = gid, .name = strndup(l, (size_t) (f[1] - l - 1)) };
                        if (!g->name)
                                return -ENOMEM;
                        e->n_groups++;
                        size_t count = 0;
                        for (const char *m = f[3]; m < l + n && count < HOST_GROUP_MEMBERS_MAX;) {
                                size_t k = strcspn(m, ",\n");
                                if (m + k > l + n)
                                        k = (size_t) (l + n - m);
                                if (k > 0) {
                                        char *name = strndup(m, k);
                                        if (!name || strv_consume(&g->members, name) < 0)
                                                return -ENOMEM;
                                        count++;
                                }
                                m += k + 1;
                        }
                }
                l = end ? end + 1 : NULL;
        }
        return 0;
}

/* /etc/passwd or /etc/group under the root into e; *ret_read says it was there. */
static int read_db(HostEnvironment *e, const char *path, int (*parse)(HostEnvironment *e, const char *text),
                   bool *ret_read) {
        _cleanup_free_ char *text = NULL;
        int r = read_small(e, path, HOST_PASSWD_SIZE_MAX, &text);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                return 0; /* absent: not known */
        *ret_read = true;
        return parse(e, text);
}

int host_environment_read(const char *root, HostEnvironment **ret) {
        return host_environment_read_view(root, NULL, NULL, ret);
}

int host_environment_read_view(const char *root, const char *host_root, const UnitView *view,
                               HostEnvironment **ret) {
        _cleanup_(host_environment_freep) HostEnvironment *e = calloc(1, sizeof *e);
        int r;
        if (!e || !(e->root = strdup(root ?: "/")) || !(e->host_root = strdup(host_root ?: "/")))
                return -ENOMEM;
        if (view)
                e->view = *view;
        r = host_environment_tls_roots(e, NULL, NULL, &e->tls_roots);
        if (r < 0)
                return r;
        for (size_t i = 0; i < ELEMENTSOF(zone_dirs) && !e->zoneinfo_dir; i++)
                if (host_environment_has(e, zone_dirs[i], true) && !(e->zoneinfo_dir = strdup(zone_dirs[i])))
                        return -ENOMEM;
        _cleanup_free_ char *text = NULL;
        if (read_small(e, "/etc/nsswitch.conf", 64 * 1024, &text) >= 0) {
                r = parse_nsswitch(text, &e->nss_passwd);
                if (r < 0)
                        return r;
        }
        r = read_db(e, "/etc/passwd", host_passwd_parse, &e->users_read);
        if (r < 0)
                return r;
        r = read_db(e, "/etc/group", host_group_parse, &e->groups_read);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(e);
        return 0;
}

HostEnvironment *host_environment_free(HostEnvironment *e) {
        if (!e)
                return NULL;
        for (size_t i = 0; i < e->n_users; i++) {
                free(e->users[i].name);
                free(e->users[i].home);
        }
        free(e->users);
        for (size_t i = 0; i < e->n_groups; i++) {
                free(e->groups[i].name);
                strv_free(e->groups[i].members);
        }
        free(e->groups);
        free(e->root);
        free(e->host_root);
        free(e->tls_roots);
        free(e->zoneinfo_dir);
        free(e->nss_passwd);
        return mfree(e);
}

const HostUser *host_environment_user(const HostEnvironment *e, const char *name_or_uid) {
        uint64_t uid;
        bool numeric = name_or_uid && parse_u64(name_or_uid, &uid) >= 0;
        for (size_t i = 0; e && name_or_uid && i < e->n_users; i++)
                if (numeric ? e->users[i].uid == uid : streq(e->users[i].name, name_or_uid))
                        return &e->users[i];
        return NULL;
}

const HostGroup *host_environment_group(const HostEnvironment *e, const char *name_or_gid) {
        uint64_t gid;
        bool numeric = name_or_gid && parse_u64(name_or_gid, &gid) >= 0;
        for (size_t i = 0; e && name_or_gid && i < e->n_groups; i++)
                if (numeric ? e->groups[i].gid == gid : streq(e->groups[i].name, name_or_gid))
                        return &e->groups[i];
        return NULL;
}

int host_read_cap_last_cap(const char *proc_root, uint64_t *ret) {
        _cleanup_free_ char *text = NULL;
        char path[256];
        snprintf(path, sizeof path, "%s/sys/kernel/cap_last_cap", proc_root ?: "/proc");
        int r = read_small(NULL, path, 64, &text);
        if (r < 0)
                return r;
        text[strcspn(text, "\n")] = 0;
        uint64_t v;
        r = parse_u64(text, &v);
        if (r < 0)
                return r;
        if (v > 63)
                return -ERANGE;
        *ret = v;
        return 0;
}
