/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <elf.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>

#include "host-loader.h"
#include "loader-search.h"

#define PATH_ELEMENTS_MAX 64u
#define LOADER_PATH_MAX   4096u

static int view_open_root(LoaderView *v, bool own);

int loader_view_init(LoaderView *v, const HostFacts *h, const char *root_directory) {
        *v = (LoaderView){ .h = h, .root_fd = -EBADF, .host_root_fd = -EBADF, .cache_error = -ENODATA };
        bool own = root_directory && *root_directory && !streq(root_directory, "/");
        if (own) {
                if (asprintf(&v->root, "%s%s", streq(h->root, "/") ? "" : h->root, root_directory) < 0) {
                        v->root = NULL;
                        return -ENOMEM;
                }
        } else if (!(v->root = strdup(h->root)))
                return -ENOMEM;
        return view_open_root(v, own);
}

int loader_view_init_at(LoaderView *v, const HostFacts *h, const char *path) {
        *v = (LoaderView){ .h = h, .root_fd = -EBADF, .host_root_fd = -EBADF, .cache_error = -ENODATA };
        if (!(v->root = strdup(path)))
                return -ENOMEM;
        return view_open_root(v, true);
}

static int view_open_root(LoaderView *v, bool own) {
        v->root_fd = open(v->root, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (v->root_fd < 0) {
                int r = -errno;
                loader_view_done(v);
                return r;
        }
        v->own_root = own;
        if (own) {
                /* The unit's own root has its own cache. */
                _cleanup_close_ int fd = loader_view_open(v, "/etc/ld.so.cache", O_RDONLY | O_NONBLOCK);
                struct stat st;
                v->cache_error = fd < 0 ? fd : 0;
                if (fd >= 0 &&
                    (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size > LD_SO_CACHE_SIZE_MAX))
                        v->cache_error = -EBADMSG;
                if (v->cache_error == 0) {
                        _cleanup_free_ char *buf = malloc((size_t) st.st_size ?: 1);
                        ssize_t n = buf ? pread(fd, buf, (size_t) st.st_size, 0) : -1;
                        v->cache_error =
                                n != st.st_size ? -EIO : ld_so_cache_parse(buf, (size_t) n, &v->cache);
                }
        }
        return 0;
}

void loader_view_done(LoaderView *v) {
        if (v->root_fd >= 0)
                close(v->root_fd);
        if (v->host_root_fd >= 0)
                close(v->host_root_fd);
        free(v->root);
        ld_so_cache_done(&v->cache);
        *v = (LoaderView){ .root_fd = -EBADF, .host_root_fd = -EBADF };
}

const LdSoCache *loader_view_cache(const LoaderView *v) {
        if (v->own_root)
                return v->cache_error == 0 ? &v->cache : NULL;
        return v->h->ld_cache_error == 0 ? &v->h->ld_cache : NULL;
}

size_t loader_path_prefix_len(const char *dir, const char *path) {
        while (*dir == '-' || *dir == '+')
                dir++;
        size_t n = strlen(dir);
        while (n > 1 && dir[n - 1] == '/')
                n--;
        if (n == 1 && dir[0] == '/')
                return 1;
        if (n == 0 || strncmp(dir, path, n) != 0 || (path[n] != '/' && path[n] != 0))
                return 0;
        return n;
}

int loader_view_set_binds(LoaderView *v, char *const *bind_paths, char *const *bind_read_only_paths) {
        v->view.binds[0] = bind_paths;
        v->view.binds[1] = bind_read_only_paths;
        if ((bind_paths || bind_read_only_paths) && v->host_root_fd < 0) {
                v->host_root_fd = open(v->h->root, O_PATH | O_DIRECTORY | O_CLOEXEC);
                if (v->host_root_fd < 0)
                        return -errno;
        }
        return 0;
}

void loader_view_set_tmpfs(LoaderView *v, char *const *tmpfs) {
        v->view.tmpfs = tmpfs;
}

static int open_in(int dir_fd, const char *path, int flags) {
        struct open_how how = { .flags = (uint64_t) (flags | O_CLOEXEC), .resolve = RESOLVE_IN_ROOT };
        int fd = (int) syscall(SYS_openat2, dir_fd, path + 1, &how, sizeof how);
        if (fd >= 0)
                return fd;
        if (errno != ENOSYS)
                return -errno;
        /* Before Linux 5.6: symlinks leave the root, a lesser answer but an answer. */
        fd = openat(dir_fd, path + 1, flags | O_CLOEXEC);
        return fd < 0 ? -errno : fd;
}

int loader_view_open(const LoaderView *v, const char *path, int flags) {
        _cleanup_free_ char *host = NULL;
        /* Under a bind's destination: its source, on the host; under a TemporaryFileSystem=:
         * nothing (the most specific mount wins). */
        int r = unit_view_resolve(&v->view, path, &host);
        if (r < 0)
                return r;
        if (r == UNIT_VIEW_HIDDEN)
                return -ENOENT;
        if (r == UNIT_VIEW_BIND)
                return v->host_root_fd >= 0 ? open_in(v->host_root_fd, host, flags) : -EBADF;
        return open_in(v->root_fd, path, flags);
}

int loader_view_stat(const LoaderView *v, const char *path, struct stat *ret) {
        _cleanup_close_ int fd = loader_view_open(v, path, O_PATH);
        if (fd < 0)
                return fd;
        return fstat(fd, ret) < 0 ? -errno : 0;
}

int loader_view_elf_matches(const LoaderView *v, const char *path, uint8_t elf_class, bool big_endian,
                            uint16_t machine) {
        _cleanup_close_ int fd = loader_view_open(v, path, O_RDONLY | O_NONBLOCK | O_NOCTTY);
        uint8_t h[20];
        struct stat st;
        if (fd < 0)
                return fd;
        if (fstat(fd, &st) < 0)
                return -errno;
        if (!S_ISREG(st.st_mode))
                return 0;
        if (pread(fd, h, sizeof h, 0) != (ssize_t) sizeof h || memcmp(h, ELFMAG, SELFMAG) != 0)
                return 0;
        uint16_t m = big_endian ? (uint16_t) (h[18] << 8 | h[19]) : (uint16_t) (h[19] << 8 | h[18]);
        return h[EI_CLASS] == (elf_class == 64 ? ELFCLASS64 : ELFCLASS32) &&
               h[EI_DATA] == (big_endian ? ELFDATA2MSB : ELFDATA2LSB) && m == machine;
}

int loader_expand(const char *element, const char *origin, const char *lib, const char *platform,
                  char **ret) {
        StrBuf b = {};
        for (const char *p = element; *p;) {
                if (*p != '$') {
                        strbuf_append_char(&b, *p++);
                        continue;
                }
                static const char *const names[] = { "ORIGIN", "LIB", "PLATFORM" };
                const char *values[] = { origin, lib, platform };
                bool brace = p[1] == '{', done = false;
                for (size_t i = 0; i < ELEMENTSOF(names) && !done; i++) {
                        size_t n = strlen(names[i]);
                        const char *q = p + 1 + brace;
                        if (strncmp(q, names[i], n) != 0)
                                continue;
                        q += n;
                        if (brace ? *q != '}'
                                  : (*q == '_' || (*q >= 'A' && *q <= 'Z') || (*q >= 'a' && *q <= 'z')))
                                continue;
                        if (!values[i]) {
                                strbuf_done(&b);
                                return -EINVAL;
                        }
                        strbuf_append(&b, values[i]);
                        p = q + brace;
                        done = true;
                }
                if (!done) {
                        strbuf_done(&b);
                        return -EINVAL;
                }
        }
        char *s;
        int r = strbuf_steal(&b, &s, NULL);
        if (r < 0)
                return r;
        if (s[0] != '/' || strlen(s) >= LOADER_PATH_MAX) {
                free(s);
                return -EINVAL;
        }
        *ret = s;
        return 0;
}

const char *loader_platform(uint16_t machine, uint8_t elf_class) {
        switch (machine) {
        case EM_X86_64: return elf_class == 64 ? "x86_64" : NULL;
        case EM_386: return "i686";
        case EM_AARCH64: return "aarch64";
        case EM_S390: return "s390x";
        case EM_RISCV: return "riscv64";
        default: return NULL;
        }
}

const char *loader_lib_dir(const LoaderView *v, const ElfFacts *e, char *buf, size_t size) {
        const char *t = multiarch_triplet(e->machine, e->elf_class, e->big_endian);
        struct stat st;
        if (t) {
                snprintf(buf, size, "/usr/lib/%s", t);
                if (loader_view_stat(v, buf, &st) >= 0 && S_ISDIR(st.st_mode)) {
                        snprintf(buf, size, "lib/%s", t);
                        return buf;
                }
        }
        return e->elf_class == 64 ? "lib64" : "lib";
}

/* Tries dir/name; 1 with *ret_path when it is an ELF file of the binary's kind. */
static int try_dir(LoaderView *v, const ElfFacts *e, const char *dir, const char *name, char **ret_path) {
        _cleanup_free_ char *p = NULL;
        if (v->probes >= LOADER_PROBES_MAX)
                return -E2BIG;
        v->probes++;
        if (asprintf(&p, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", name) < 0)
                return -ENOMEM;
        if (loader_view_elf_matches(v, p, e->elf_class, e->big_endian, e->machine) <= 0)
                return 0;
        *ret_path = TAKE_PTR(p);
        return 1;
}

/* A colon- (or for LD_LIBRARY_PATH also semicolon-) separated list, each element expanded. */
static int try_list(LoaderView *v, const ElfFacts *e, const char *what, const char *list, const char *origin,
                    const char *name, char **ret_path, StrBuf *tried) {
        char libbuf[128];
        const char *lib = loader_lib_dir(v, e, libbuf, sizeof libbuf);
        const char *platform = loader_platform(e->machine, e->elf_class);
        size_t count = 0;
        for (const char *p = list; p && *p && count < PATH_ELEMENTS_MAX; count++) {
                size_t n = strcspn(p, ":;");
                _cleanup_free_ char *el = strndup(p, n), *dir = NULL;
                if (!el)
                        return -ENOMEM;
                p += n + (p[n] != 0);
                if (n == 0)
                        continue; /* the current directory: no unit runs there meaningfully */
                if (tried->len)
                        strbuf_append(tried, ", ");
                strbuf_appendf(tried, "%s %s", what, el);
                if (loader_expand(el, origin, lib, platform, &dir) < 0)
                        continue;
                int r = try_dir(v, e, dir, name, ret_path);
                if (r != 0)
                        return r;
        }
        return 0;
}

char *loader_find_uncached(LoaderView *v, const ElfFacts *e, const char *name) {
        char *path = NULL;
        if (v->own_root)
                return NULL;
        for (size_t i = 0; v->h->ld_conf_dirs && v->h->ld_conf_dirs[i]; i++)
                if (v->h->ld_conf_dirs[i][0] == '/' && try_dir(v, e, v->h->ld_conf_dirs[i], name, &path) > 0)
                        return path;
        return NULL;
}

int loader_resolve(LoaderView *v, const ElfFacts *e, const char *exe_path, const char *ld_library_path,
                   const char *name, char **ret_path, StrBuf *tried) {
        _cleanup_free_ char *origin = NULL;
        int r;

        if (strchr(name, '/')) {
                /* A path: taken as it is (relative ones against the working directory). */
                strbuf_append(tried, name);
                return name[0] == '/' ? try_dir(v, e, "/", name + 1, ret_path) : 0;
        }
        if (exe_path && exe_path[0] == '/') {
                const char *slash = strrchr(exe_path, '/');
                origin = strndup(exe_path, slash == exe_path ? 1 : (size_t) (slash - exe_path));
                if (!origin)
                        return -ENOMEM;
        }
        if (e->rpath && !e->runpath &&
            (r = try_list(v, e, "RPATH", e->rpath, origin, name, ret_path, tried)) != 0)
                return r;
        if ((r = try_list(v, e, "LD_LIBRARY_PATH", ld_library_path, origin, name, ret_path, tried)) != 0)
                return r;
        if ((r = try_list(v, e, "RUNPATH", e->runpath, origin, name, ret_path, tried)) != 0)
                return r;

        const LdSoCache *c = loader_view_cache(v);
        if (tried->len)
                strbuf_append(tried, ", ");
        strbuf_append(tried, c ? "ld.so.cache" : "no ld.so.cache");
        const char *cached =
                ld_so_cache_lookup(c, name, ld_so_cache_flags_for(e->machine, e->elf_class, e->big_endian));
        if (cached && cached[0] == '/' && (r = try_dir(v, e, "/", cached + 1, ret_path)) != 0)
                return r;

        /* The default directories of the binary's class and machine. */
        const char *t = multiarch_triplet(e->machine, e->elf_class, e->big_endian);
        char a[128] = "", b[128] = "", libbuf[128];
        const char *lib = loader_lib_dir(v, e, libbuf, sizeof libbuf);
        const char *dirs[4] = {};
        size_t n = 0;
        if (t && strchr(lib, '/')) {
                snprintf(a, sizeof a, "/lib/%s", t);
                snprintf(b, sizeof b, "/usr/lib/%s", t);
                dirs[n++] = a, dirs[n++] = b, dirs[n++] = "/lib", dirs[n++] = "/usr/lib";
        } else if (e->elf_class == 64)
                dirs[n++] = "/lib64", dirs[n++] = "/usr/lib64";
        else
                dirs[n++] = "/lib", dirs[n++] = "/usr/lib";
        for (size_t i = 0; i < n; i++) {
                strbuf_appendf(tried, ", %s", dirs[i]);
                if ((r = try_dir(v, e, dirs[i], name, ret_path)) != 0)
                        return r;
        }
        return strbuf_error(tried) < 0 ? -ENOMEM : 0;
}
