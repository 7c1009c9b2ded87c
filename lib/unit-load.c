/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Finding and reading units under a root path, the way systemd's system manager finds them
 * (src/basic/unit-file.c, src/shared/dropin.c). */
#include <dirent.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "env-file.h"
#include "read-file.h"
#include "strbuf.h"
#include "strv.h"
#include "unit-load.h"
#include "unit-name.h"

#define DROPINS_MAX  256u
#define LINK_MAX_LEN 4096u

const char *const unit_search_path[] = {
        "/etc/systemd/system.control", "/run/systemd/system.control",
        "/run/systemd/transient",      "/run/systemd/generator.early",
        "/etc/systemd/system",         "/etc/systemd/system.attached",
        "/run/systemd/system",         "/run/systemd/system.attached",
        "/run/systemd/generator",      "/usr/local/lib/systemd/system",
        "/lib/systemd/system",         "/usr/lib/systemd/system",
        "/run/systemd/generator.late", NULL,
};

/* systemd's search path for a command that is not an absolute path. */
static const char *const exec_search_path[] = {
        "/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin", NULL,
};

int unit_root_open(const char *path, UnitRoot *ret) {
        UnitRoot r = { .fd = -EBADF };
        if (!path || strcmp(path, "/") != 0) {
                r.fd = open(path ?: "/", O_PATH | O_DIRECTORY | O_CLOEXEC);
                if (r.fd < 0)
                        return -errno;
        }
        r.path = strdup(path ?: "/");
        if (!r.path) {
                if (r.fd >= 0)
                        close(r.fd);
                return -ENOMEM;
        }
        *ret = r;
        return 0;
}

void unit_root_done(UnitRoot *r) {
        if (r->fd >= 0)
                close(r->fd);
        free(r->path);
        *r = (UnitRoot){ .fd = -EBADF };
}

/* path inside the directory dirfd as if it were "/" (symlinks cannot leave it). */
static int open_beneath(int dirfd, const char *path, int flags) {
        /* O_NONBLOCK: a FIFO where a file should be must not hang the reader; what is read is
         * checked to be a regular file. */
        if (dirfd < 0) {
                int fd = open(path, flags | O_CLOEXEC | (flags & O_PATH ? 0 : O_NOCTTY | O_NONBLOCK));
                return fd < 0 ? -errno : fd;
        }
        /* openat2() refuses O_PATH with any flag it does not go with. */
        struct open_how how = {
                .flags = (uint64_t) (flags | O_CLOEXEC | (flags & O_PATH ? 0 : O_NOCTTY | O_NONBLOCK)),
                .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
        };
        int fd = (int) syscall(SYS_openat2, dirfd, path, &how, sizeof how);
        return fd < 0 ? -errno : fd;
}

int unit_root_open_path(const UnitRoot *r, const char *path, int flags) {
        return open_beneath(r->fd, path, flags);
}

int unit_root_read_file(const UnitRoot *r, const char *path, size_t max, char **ret, size_t *ret_size) {
        _cleanup_close_ int fd = open_beneath(r->fd, path, O_RDONLY);
        if (fd < 0)
                return fd;
        return read_fd_capped(fd, max, ret, ret_size);
}

void unit_load_done(UnitLoad *u) {
        free(u->name);
        free(u->path);
        strv_free(u->dropins);
        unit_settings_done(&u->settings);
        strv_free(u->warnings);
        *u = (UnitLoad){};
}

/* Reads one file (already open) onto u->settings; the warnings get "PATH:" in front. */
static int apply_fd(UnitLoad *u, int fd, const char *path, const UnitFileContext *ctx, bool manager,
                    char **ret_error) {
        _cleanup_free_ char *text = NULL;
        _cleanup_(strv_freep) char **w = NULL;
        size_t n;
        unsigned line = 0;
        int r = read_fd_capped(fd, UNIT_FILE_SIZE_MAX, &text, &n);
        if (r < 0) {
                if (asprintf(ret_error, "%s: %s", path,
                             r == -EBADFD  ? "not a regular file"
                             : r == -E2BIG ? "larger than systemd reads (4 MiB)"
                                           : strerror(-r)) < 0)
                        return -ENOMEM;
                return r;
        }
        r = manager ? unit_file_parse_manager(&u->settings, ctx, text, n, &w, &line)
                    : unit_file_parse(&u->settings, ctx, text, n, &w, &line);
        if (r == -EBADMSG && asprintf(ret_error, "%s:%u: malformed section header", path, line) < 0)
                return -ENOMEM;
        for (char **e = w; e && *e && strv_length(u->warnings) < UNIT_FILE_WARNINGS_MAX; e++) {
                char *m;
                if (asprintf(&m, "%s:%s", path, *e + STRLEN("line ")) < 0 ||
                    strv_consume(&u->warnings, m) < 0)
                        return -ENOMEM;
        }
        return r;
}

typedef struct Dropin {
        char *name; /* the file's name: the order, and what masks what */
        char *path;
        bool masked;
} Dropin;

typedef struct Dropins {
        Dropin *d;
        size_t n;
} Dropins;

static void dropins_done(Dropins *l) {
        for (size_t i = 0; i < l->n; i++) {
                free(l->d[i].name);
                free(l->d[i].path);
        }
        free(l->d);
        *l = (Dropins){};
}

static bool link_is_dev_null(int dirfd, const char *name) {
        char buf[16];
        ssize_t k = readlinkat(dirfd, name, buf, sizeof buf - 1);
        if (k < 0)
                return false;
        buf[k] = 0;
        return strcmp(buf, "/dev/null") == 0;
}

static bool is_conf(const char *name) {
        size_t n = strlen(name);
        return n > 5 && strcmp(name + n - 5, ".conf") == 0 && name[0] != '.';
}

/* The *.conf files of dir (inside the root) not already named by an earlier directory. */
static int collect_dropins(int rootfd, const char *dir, Dropins *l) {
        int fd = open_beneath(rootfd, dir, O_RDONLY | O_DIRECTORY);
        if (fd < 0)
                return fd == -ENOENT || fd == -ENOTDIR ? 0 : fd;
        DIR *d = fdopendir(fd);
        if (!d) {
                close(fd);
                return -errno;
        }
        struct dirent *de;
        int r = 0;
        while (r >= 0 && (de = readdir(d))) {
                if (!is_conf(de->d_name))
                        continue;
                bool dup = false;
                for (size_t i = 0; i < l->n && !dup; i++)
                        dup = strcmp(l->d[i].name, de->d_name) == 0;
                if (dup)
                        continue;
                if (l->n >= DROPINS_MAX) {
                        r = -E2BIG;
                        break;
                }
                Dropin *p = reallocarray(l->d, l->n + 1, sizeof *p);
                if (!p) {
                        r = -ENOMEM;
                        break;
                }
                l->d = p;
                Dropin *e = &l->d[l->n];
                *e = (Dropin){ .masked = link_is_dev_null(dirfd(d), de->d_name) };
                e->name = strdup(de->d_name);
                if (!e->name || asprintf(&e->path, "%s/%s", dir, de->d_name) < 0) {
                        free(e->name);
                        r = -ENOMEM;
                        break;
                }
                l->n++;
        }
        closedir(d);
        return r;
}

static int compare_dropins(const void *a, const void *b) {
        return strcmp(((const Dropin *) a)->name, ((const Dropin *) b)->name);
}

static int apply_dropins(UnitLoad *u, int rootfd, Dropins *l, const UnitFileContext *ctx, bool manager,
                         char **ret_error) {
        if (l->n > 1)
                qsort(l->d, l->n, sizeof *l->d, compare_dropins);
        for (size_t i = 0; i < l->n; i++) {
                if (l->d[i].masked)
                        continue;
                _cleanup_close_ int fd = open_beneath(rootfd, l->d[i].path, O_RDONLY);
                if (fd < 0) {
                        if (fd == -ENOENT) /* a dangling link: systemd skips it too */
                                continue;
                        if (asprintf(ret_error, "%s: %s", l->d[i].path, strerror(-fd)) < 0)
                                return -ENOMEM;
                        return fd;
                }
                int r = apply_fd(u, fd, l->d[i].path, ctx, manager, ret_error);
                if (r < 0)
                        return r;
                r = strv_extend(&u->dropins, l->d[i].path);
                if (r < 0)
                        return r;
        }
        return 0;
}

static int init_load(UnitLoad *u, const char *name, const UnitFileContext *ctx) {
        *u = (UnitLoad){};
        int r = unit_file_settings_init_ctx(&u->settings, ctx);
        if (r < 0)
                return r;
        u->name = strdup(name);
        return u->name ? 0 : -ENOMEM;
}

int unit_load_file(const char *file, const UnitFileContext *ctx, UnitLoad *ret, char **ret_error) {
        _cleanup_(unit_load_done) UnitLoad u = {};
        _cleanup_(dropins_done) Dropins l = {};
        const char *slash = strrchr(file, '/');
        int r;

        r = init_load(&u, slash ? slash + 1 : file, ctx);
        if (r < 0)
                return r;
        u.path = strdup(file);
        if (!u.path)
                return -ENOMEM;
        UnitFileContext c = *ctx;
        c.unit = u.name;
        c.path = u.path;
        char target[16];
        ssize_t k = readlink(file, target, sizeof target - 1);
        if (k > 0 && (target[k] = 0, strcmp(target, "/dev/null") == 0)) {
                u.masked = true;
                *ret = TAKE_PTR_STRUCT(u);
                return 0;
        }
        _cleanup_close_ int fd = open_beneath(-EBADF, file, O_RDONLY);
        if (fd < 0) {
                r = fd;
                if (asprintf(ret_error, "%s: %s", file, strerror(-r)) < 0)
                        return -ENOMEM;
                return r;
        }
        r = apply_fd(&u, fd, file, &c, false, ret_error);
        if (r < 0)
                return r;
        _cleanup_free_ char *dir = NULL;
        if (asprintf(&dir, "%s.d", file) < 0)
                return -ENOMEM;
        r = collect_dropins(-EBADF, dir, &l);
        if (r >= 0)
                r = apply_dropins(&u, -EBADF, &l, &c, false, ret_error);
        if (r < 0)
                return r;
        *ret = TAKE_PTR_STRUCT(u);
        return 0;
}

/* The names whose NAME.d/ directories hold the unit's drop-ins, most specific first: the name,
 * its template, its dash prefixes ("a-b-.service", "a-.service"), its type ("service"). */
static int dropin_names(const char *name, char ***ret) {
        _cleanup_(strv_freep) char **l = NULL;
        const char *dot = strrchr(name, '.');
        const char *at = strchr(name, '@');
        size_t prefix = at ? (size_t) (at - name) : (size_t) (dot - name);
        int r = strv_extend(&l, name);
        if (r >= 0 && at && at + 1 != dot) {
                char *t;
                r = asprintf(&t, "%.*s@%s", (int) prefix, name, dot) < 0 ? -ENOMEM : strv_consume(&l, t);
        }
        for (size_t i = prefix; r >= 0 && i > 0; i--)
                if (name[i - 1] == '-' && i - 1 > 0) {
                        char *t;
                        r = asprintf(&t, "%.*s%s", (int) i, name, dot) < 0 ? -ENOMEM : strv_consume(&l, t);
                }
        if (r >= 0)
                r = strv_extend(&l, dot + 1);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(l);
        return 0;
}

int unit_load_name(const UnitRoot *root, const char *name, const UnitFileContext *ctx, UnitLoad *ret,
                   char **ret_error) {
        _cleanup_(unit_load_done) UnitLoad u = {};
        _cleanup_(dropins_done) Dropins l = {};
        _cleanup_(strv_freep) char **names = NULL;
        _cleanup_close_ int fd = -EBADF;
        int r;

        if (!unit_name_is_valid(name))
                return -EINVAL;
        r = init_load(&u, name, ctx);
        if (r < 0)
                return r;
        r = dropin_names(name, &names);
        if (r < 0)
                return r;
        /* The unit's own file anywhere in the path beats its template's. */
        for (size_t k = 0; k < 2 && fd < 0 && !u.masked && names[k] && (k == 0 || strchr(names[k], '@'));
             k++)
                for (size_t i = 0; unit_search_path[i] && fd < 0; i++) {
                        _cleanup_free_ char *p = NULL;
                        if (asprintf(&p, "%s/%s", unit_search_path[i], names[k]) < 0)
                                return -ENOMEM;
                        _cleanup_close_ int dfd =
                                open_beneath(root->fd, unit_search_path[i], O_PATH | O_DIRECTORY);
                        if (dfd >= 0 && link_is_dev_null(dfd, names[k])) {
                                u.masked = true;
                                u.path = TAKE_PTR(p);
                                break;
                        }
                        fd = open_beneath(root->fd, p, O_RDONLY);
                        if (fd >= 0)
                                u.path = TAKE_PTR(p);
                        else if (fd != -ENOENT && fd != -ENOTDIR) {
                                if (asprintf(ret_error, "%s: %s", p, strerror(-fd)) < 0)
                                        return -ENOMEM;
                                return fd;
                        }
                }
        if (u.masked) {
                *ret = TAKE_PTR_STRUCT(u);
                return 0;
        }
        if (fd < 0)
                return -ENOENT;
        UnitFileContext c = *ctx;
        c.unit = u.name;
        c.path = u.path;
        r = apply_fd(&u, fd, u.path, &c, false, ret_error);
        if (r < 0)
                return r;
        for (char **n = names; *n; n++)
                for (size_t i = 0; unit_search_path[i]; i++) {
                        _cleanup_free_ char *dir = NULL;
                        if (asprintf(&dir, "%s/%s.d", unit_search_path[i], *n) < 0)
                                return -ENOMEM;
                        r = collect_dropins(root->fd, dir, &l);
                        if (r < 0) {
                                if (r != -ENOMEM && asprintf(ret_error, "%s: %s", dir, strerror(-r)) < 0)
                                        return -ENOMEM;
                                return r;
                        }
                }
        r = apply_dropins(&u, root->fd, &l, &c, false, ret_error);
        if (r < 0)
                return r;
        *ret = TAKE_PTR_STRUCT(u);
        return 0;
}

int unit_load_manager(const UnitRoot *root, const UnitFileContext *ctx, UnitLoad *ret, char **ret_error) {
        static const char *const dirs[] = {
                "/etc/systemd/system.conf.d",           "/run/systemd/system.conf.d",
                "/usr/local/lib/systemd/system.conf.d", "/lib/systemd/system.conf.d",
                "/usr/lib/systemd/system.conf.d",
        };
        _cleanup_(unit_load_done) UnitLoad u = {};
        _cleanup_(dropins_done) Dropins l = {};
        UnitFileContext c = *ctx;
        c.defaults = NULL;
        int r = unit_file_settings_init(&u.settings, ctx->tasks_max_base);
        if (r < 0)
                return r;
        u.name = strdup("system.conf");
        u.path = strdup("/etc/systemd/system.conf");
        if (!u.name || !u.path)
                return -ENOMEM;
        _cleanup_close_ int fd = open_beneath(root->fd, u.path, O_RDONLY);
        if (fd >= 0)
                r = apply_fd(&u, fd, u.path, &c, true, ret_error);
        else if (fd != -ENOENT)
                r = asprintf(ret_error, "%s: %s", u.path, strerror(-fd)) < 0 ? -ENOMEM : fd;
        for (size_t i = 0; r >= 0 && i < ELEMENTSOF(dirs); i++)
                r = collect_dropins(root->fd, dirs[i], &l);
        if (r >= 0)
                r = apply_dropins(&u, root->fd, &l, &c, true, ret_error);
        if (r < 0)
                return r;
        *ret = TAKE_PTR_STRUCT(u);
        return 0;
}

static int open_exec_in(int dirfd, const char *path, char **ret_path) {
        _cleanup_close_ int fd = open_beneath(dirfd, path, O_RDONLY);
        if (fd < 0)
                return fd;
        struct stat st;
        if (fstat(fd, &st) < 0)
                return -errno;
        if (!S_ISREG(st.st_mode))
                return -EBADFD;
        if (!(st.st_mode & 0111))
                return -EACCES;
        char *p = strdup(path);
        if (!p)
                return -ENOMEM;
        *ret_path = p;
        return TAKE_FD(fd);
}

int unit_load_open_exec(const UnitRoot *root, const UnitSettings *s, char **ret_path) {
        _cleanup_close_ int inner = -EBADF;
        int dirfd = root->fd;

        if (!s->exec_start_path || !*s->exec_start_path)
                return -ENOENT;
        if (s->root_image && *s->root_image)
                return -EOPNOTSUPP; /* an image to mount: not looked into */
        if (s->root_directory && *s->root_directory && strcmp(s->root_directory, "/") != 0) {
                inner = open_beneath(root->fd, s->root_directory, O_PATH | O_DIRECTORY);
                if (inner < 0)
                        return inner;
                dirfd = inner;
        }
        if (s->exec_start_path[0] == '/')
                return open_exec_in(dirfd, s->exec_start_path, ret_path);
        int last = -ENOENT;
        for (size_t i = 0; exec_search_path[i]; i++) {
                _cleanup_free_ char *p = NULL;
                if (asprintf(&p, "%s/%s", exec_search_path[i], s->exec_start_path) < 0)
                        return -ENOMEM;
                int r = open_exec_in(dirfd, p, ret_path);
                if (r >= 0 || r == -ENOMEM)
                        return r;
                if (r != -EACCES && r != -EBADFD) /* as systemd: what it may not run is passed over */
                        last = r;
        }
        return last;
}

int unit_load_env_files(const UnitRoot *root, const UnitSettings *s, char ***ret, char ***missing) {
        _cleanup_(strv_freep) char **all = NULL;
        for (size_t i = 0; i < s->n_environment_files; i++) {
                const UnitEnvFile *ef = &s->environment_files[i];
                _cleanup_free_ char *text = NULL;
                _cleanup_(strv_freep) char **env = NULL;
                size_t n;
                int r = unit_root_read_file(root, ef->path, ENV_FILE_SIZE_MAX, &text, &n);
                if (r >= 0)
                        r = env_file_parse(text, n, &env);
                if (r == -ENOMEM)
                        return r;
                if (r < 0) {
                        if (!(r == -ENOENT && ef->optional)) {
                                char *m;
                                if (asprintf(&m, "%s: %s", ef->path, strerror(-r)) < 0 ||
                                    strv_consume(missing, m) < 0)
                                        return -ENOMEM;
                        }
                        continue;
                }
                for (char **e = env; *e; e++)
                        if (strv_extend(&all, *e) < 0)
                                return -ENOMEM;
        }
        *ret = TAKE_PTR(all);
        return 0;
}
