/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The loader family's host facts under a root path: the kernel's architecture, the loader cache,
 * ld.so.conf, the loader's default directories, glibc's version (from libc.so.6's own version
 * names, not by running anything), the binfmt_misc handlers, and the CPU. */
#include <dirent.h>
#include <elf.h>
#include <fcntl.h>
#include <glob.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>

#include "elf-facts.h"
#include "host-loader.h"
#include "parse-util.h"
#include "strv.h"

#define LIBC_SIZE_MAX   (32u * 1024u * 1024u)
#define CONF_SIZE_MAX   (1024u * 1024u)
#define CONF_DEPTH_MAX  8u
#define CONF_DIRS_MAX   512u
#define BINFMT_MAX      64u
#define BINFMT_TEXT_MAX 4096u

/* ---- pure parsers ---- */

static bool glibc_name_at(const char *s, size_t n) {
        /* "GLIBC_" digits ("." digits)+ */
        if (n < 9 || memcmp(s, "GLIBC_", 6) != 0)
                return false;
        size_t i = 6, groups = 0;
        while (i < n) {
                size_t d = 0;
                while (i < n && s[i] >= '0' && s[i] <= '9')
                        i++, d++;
                if (d == 0 || d > 4)
                        return false;
                groups++;
                if (i == n)
                        break;
                if (s[i] != '.')
                        return false;
                i++;
                if (i == n)
                        return false;
        }
        return groups >= 2 && groups <= 3;
}

int glibc_scan(const void *buf, size_t size, char **ret_version, char **ret_release) {
        const char *p = buf, *end = p + size;
        _cleanup_free_ char *best = NULL, *release = NULL;
        static const char banner[] = "release version ";

        for (const char *s = p; s < end;) {
                const char *z = memchr(s, 0, (size_t) (end - s));
                size_t n = (size_t) ((z ?: end) - s);
                if (glibc_name_at(s, n)) {
                        _cleanup_free_ char *v = strndup(s, n);
                        if (!v)
                                return -ENOMEM;
                        if (!best || glibc_version_compare(v, best) > 0) {
                                free(best);
                                best = TAKE_PTR(v);
                        }
                }
                const char *b = n > (sizeof banner - 1) ? memmem(s, n, banner, (sizeof banner - 1)) : NULL;
                if (b && !release) {
                        const char *v = b + (sizeof banner - 1), *e = v;
                        while (e < s + n && ((*e >= '0' && *e <= '9') || *e == '.'))
                                e++;
                        while (e > v && e[-1] == '.')
                                e--;
                        if (e > v && e - v < 16) {
                                release = strndup(v, (size_t) (e - v));
                                if (!release)
                                        return -ENOMEM;
                        }
                }
                if (!z)
                        break;
                s = z + 1;
        }
        *ret_version = TAKE_PTR(best);
        *ret_release = TAKE_PTR(release);
        return 0;
}

static int hex_bytes(const char *s, uint8_t *out, size_t max, size_t *ret_n) {
        size_t n = 0;
        for (; s[0] && s[0] != '\n'; s += 2) {
                int hi, lo;
                if (!s[1] || n >= max)
                        return -EBADMSG;
                hi = s[0] >= '0' && s[0] <= '9'   ? s[0] - '0'
                     : s[0] >= 'a' && s[0] <= 'f' ? s[0] - 'a' + 10
                                                  : -1;
                lo = s[1] >= '0' && s[1] <= '9'   ? s[1] - '0'
                     : s[1] >= 'a' && s[1] <= 'f' ? s[1] - 'a' + 10
                                                  : -1;
                if (hi < 0 || lo < 0)
                        return -EBADMSG;
                out[n++] = (uint8_t) (hi << 4 | lo);
        }
        *ret_n = n;
        return 0;
}

void binfmt_done(HostBinfmt *b) {
        free(b->name);
        free(b->interpreter);
        *b = (HostBinfmt){};
}

int binfmt_parse(const char *name, const char *text, HostBinfmt *ret) {
        HostBinfmt b = {};
        bool enabled = false, have_magic = false;
        size_t mask_len = 0;
        int r = 0;

        for (const char *l = text; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
                size_t n = strcspn(l, "\n");
                if (n == 7 && memcmp(l, "enabled", 7) == 0)
                        enabled = true;
                else if (n > 12 && memcmp(l, "interpreter ", 12) == 0 && !b.interpreter) {
                        b.interpreter = strndup(l + 12, n - 12);
                        if (!b.interpreter)
                                r = -ENOMEM;
                } else if (n > 7 && memcmp(l, "offset ", 7) == 0) {
                        uint64_t v;
                        _cleanup_free_ char *t = strndup(l + 7, n - 7);
                        if (!t || parse_u64(t, &v) < 0 || v > 4096)
                                r = -EBADMSG;
                        else
                                b.offset = (size_t) v;
                } else if (n > 6 && memcmp(l, "magic ", 6) == 0) {
                        r = hex_bytes(l + 6, b.magic, sizeof b.magic, &b.magic_len);
                        have_magic = true;
                } else if (n > 5 && memcmp(l, "mask ", 5) == 0)
                        r = hex_bytes(l + 5, b.mask, sizeof b.mask, &mask_len);
                if (r < 0)
                        break;
        }
        if (r >= 0 && (!have_magic || !b.interpreter || (mask_len && mask_len != b.magic_len)))
                r = -EBADMSG; /* an extension handler, or garbage: not one an ELF binary hits */
        if (r >= 0 && !enabled)
                r = -ENOENT;
        if (r >= 0 && !mask_len)
                memset(b.mask, 0xff, b.magic_len);
        if (r >= 0 && !(b.name = strdup(name)))
                r = -ENOMEM;
        if (r < 0) {
                binfmt_done(&b);
                return r;
        }
        *ret = b;
        return 0;
}

/* A magic or mask field: bytes, "\\xHH" escapes and "\\\\" as the kernel's string_unescape()
 * reads them. */
static int unescape_bytes(const char *s, size_t n, uint8_t *out, size_t max, size_t *ret_n) {
        size_t k = 0;
        for (size_t i = 0; i < n; k++) {
                if (k >= max)
                        return -E2BIG;
                if (s[i] == '\\' && i + 3 < n && s[i + 1] == 'x') {
                        char hex[3] = { (char) (s[i + 2] | 0x20), (char) (s[i + 3] | 0x20), 0 };
                        size_t got;
                        if (hex_bytes(hex, &out[k], 1, &got) < 0 || got != 1)
                                return -EBADMSG;
                        i += 4;
                } else if (s[i] == '\\' && i + 1 < n && s[i + 1] == '\\') {
                        out[k] = '\\';
                        i += 2;
                } else
                        out[k] = (uint8_t) s[i++];
        }
        *ret_n = k;
        return 0;
}

int binfmt_parse_register(const char *line, HostBinfmt *ret) {
        const char *f[8];
        size_t len[8], nf = 0;
        while (*line == ' ' || *line == '\t')
                line++;
        if (!*line || *line == '#' || *line == ';')
                return -ENOENT;
        /* :name:type:offset:magic:mask:interpreter:flags, the first character the delimiter. */
        char d = line[0];
        for (const char *p = line + 1; nf < 7;) {
                const char *q = strchr(p, d);
                f[nf] = p;
                len[nf++] = q ? (size_t) (q - p) : strlen(p);
                if (!q)
                        break;
                p = q + 1;
        }
        if (nf < 6 || len[0] == 0 || len[0] >= 256 || len[1] != 1 || len[5] == 0)
                return -EBADMSG;
        if (f[1][0] != 'M')
                return -EBADMSG; /* by extension: not one an ELF binary hits */
        HostBinfmt b = {};
        uint64_t off = 0;
        size_t mask_len = 0;
        _cleanup_free_ char *o = strndup(f[2], len[2]);
        if (!o || (len[2] > 0 && (parse_u64(o, &off) < 0 || off > 4096)))
                return o ? -EBADMSG : -ENOMEM;
        b.offset = (size_t) off;
        if (unescape_bytes(f[3], len[3], b.magic, sizeof b.magic, &b.magic_len) < 0 || b.magic_len == 0 ||
            unescape_bytes(f[4], len[4], b.mask, sizeof b.mask, &mask_len) < 0 ||
            (mask_len && mask_len != b.magic_len))
                return -EBADMSG;
        if (!mask_len)
                memset(b.mask, 0xff, b.magic_len);
        b.name = strndup(f[0], len[0]);
        b.interpreter = strndup(f[5], len[5]);
        if (!b.name || !b.interpreter) {
                binfmt_done(&b);
                return -ENOMEM;
        }
        *ret = b;
        return 0;
}

const HostBinfmt *binfmt_match(const HostBinfmt *b, size_t n, uint8_t elf_class, bool big_endian,
                               uint16_t e_type, uint16_t machine) {
        uint8_t h[20] = { 0x7f, 'E', 'L', 'F', elf_class == 64 ? 2 : 1, big_endian ? 2 : 1, 1 };
        if (big_endian) {
                h[16] = (uint8_t) (e_type >> 8), h[17] = (uint8_t) e_type;
                h[18] = (uint8_t) (machine >> 8), h[19] = (uint8_t) machine;
        } else {
                h[16] = (uint8_t) e_type, h[17] = (uint8_t) (e_type >> 8);
                h[18] = (uint8_t) machine, h[19] = (uint8_t) (machine >> 8);
        }
        for (size_t i = 0; i < n; i++) {
                if (b[i].offset + b[i].magic_len > sizeof h || b[i].magic_len == 0)
                        continue;
                bool ok = true;
                for (size_t k = 0; k < b[i].magic_len && ok; k++)
                        ok = ((h[b[i].offset + k] ^ b[i].magic[k]) & b[i].mask[k]) == 0;
                if (ok)
                        return &b[i];
        }
        return NULL;
}

int ld_so_conf_parse(const char *text, char ***lines) {
        for (const char *l = text; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
                size_t n = strcspn(l, "\n#");
                while (n > 0 && (l[0] == ' ' || l[0] == '\t'))
                        l++, n--;
                while (n > 0 && (l[n - 1] == ' ' || l[n - 1] == '\t' || l[n - 1] == '\r'))
                        n--;
                if (n == 0)
                        continue;
                bool include = false;
                if (n > 8 && memcmp(l, "include", 7) == 0 && (l[7] == ' ' || l[7] == '\t')) {
                        include = true;
                        l += 8, n -= 8;
                        while (n > 0 && (l[0] == ' ' || l[0] == '\t'))
                                l++, n--;
                } else if (n > 6 && memcmp(l, "hwcap", 5) == 0 && (l[5] == ' ' || l[5] == '\t'))
                        continue; /* obsolete */
                if (strv_length(*lines) >= CONF_DIRS_MAX)
                        return -E2BIG;
                /* ldconfig allows "dir=TYPE" of old; keep the directory. */
                size_t m = include ? n : MIN(n, strcspn(l, "="));
                if (m == 0)
                        continue;
                char *e;
                if (asprintf(&e, "%s%.*s", include ? "include " : "", (int) m, l) < 0)
                        return -ENOMEM;
                int r = strv_consume(lines, e);
                if (r < 0)
                        return r;
        }
        return 0;
}

uint16_t machine_from_uname(const char *m, uint8_t *ret_class, bool *ret_big_endian) {
        static const struct {
                const char *name;
                uint16_t machine;
                uint8_t elf_class;
                bool big_endian;
        } table[] = {
                { "x86_64", EM_X86_64, 64, false }, { "aarch64", EM_AARCH64, 64, false },
                { "i386", EM_386, 32, false },      { "i486", EM_386, 32, false },
                { "i586", EM_386, 32, false },      { "i686", EM_386, 32, false },
                { "armv6l", EM_ARM, 32, false },    { "armv7l", EM_ARM, 32, false },
                { "armv8l", EM_ARM, 32, false },    { "s390x", EM_S390, 64, true },
                { "ppc64le", EM_PPC64, 64, false }, { "ppc64", EM_PPC64, 64, true },
                { "riscv64", EM_RISCV, 64, false }, { "loongarch64", 258, 64, false },
                { "mips64", EM_MIPS, 64, true },
        };
        for (size_t i = 0; i < ELEMENTSOF(table); i++)
                if (streq(m, table[i].name)) {
                        *ret_class = table[i].elf_class;
                        *ret_big_endian = table[i].big_endian;
                        return table[i].machine;
                }
        return 0;
}

const char *multiarch_triplet(uint16_t machine, uint8_t elf_class, bool big_endian) {
        switch (machine) {
        case EM_X86_64: return elf_class == 64 ? "x86_64-linux-gnu" : "x86_64-linux-gnux32";
        case EM_386: return "i386-linux-gnu";
        case EM_AARCH64: return "aarch64-linux-gnu";
        case EM_ARM: return "arm-linux-gnueabihf";
        case EM_S390: return "s390x-linux-gnu";
        case EM_PPC64: return big_endian ? "powerpc64-linux-gnu" : "powerpc64le-linux-gnu";
        case EM_RISCV: return "riscv64-linux-gnu";
        default: return NULL;
        }
}

/* ---- reading under the root ---- */

/* root + path, where path is absolute. */
static char *root_path(const char *root, const char *path) {
        char *p;
        size_t n = strlen(root);
        while (n > 0 && root[n - 1] == '/')
                n--; /* "/" and "/srv/img/" alike */
        if (asprintf(&p, "%.*s%s", (int) n, root, path) < 0)
                return NULL;
        return p;
}

/* A whole regular file open at fd, of at most max bytes (NUL-terminated too). */
static int read_fd_all(int fd, size_t max, char **ret, size_t *ret_size) {
        struct stat st;
        if (fstat(fd, &st) < 0)
                return -errno;
        if (!S_ISREG(st.st_mode))
                return -EBADFD;
        if ((uint64_t) st.st_size > max)
                return -E2BIG;
        size_t size = (size_t) st.st_size, got = 0;
        _cleanup_free_ char *buf = malloc(size + 1);
        if (!buf)
                return -ENOMEM;
        while (got < size) {
                ssize_t n = pread(fd, buf + got, size - got, (off_t) got);
                if (n < 0)
                        return -errno;
                if (n == 0)
                        break;
                got += (size_t) n;
        }
        buf[got] = 0;
        *ret = TAKE_PTR(buf);
        *ret_size = got;
        return 0;
}

/* The same for root + path. */
static int read_file(const char *root, const char *path, size_t max, char **ret, size_t *ret_size) {
        _cleanup_free_ char *p = root_path(root, path);
        if (!p)
                return -ENOMEM;
        _cleanup_close_ int fd = open(p, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
        if (fd < 0)
                return -errno;
        return read_fd_all(fd, max, ret, ret_size);
}

static bool is_dir(const char *root, const char *path) {
        _cleanup_free_ char *p = root_path(root, path);
        struct stat st;
        return p && stat(p, &st) >= 0 && S_ISDIR(st.st_mode);
}

static int read_conf(HostFacts *h, const char *path, unsigned depth) {
        _cleanup_free_ char *text = NULL;
        _cleanup_(strv_freep) char **lines = NULL;
        size_t size;
        if (depth > CONF_DEPTH_MAX)
                return -ELOOP;
        int r = read_file(h->root, path, CONF_SIZE_MAX, &text, &size);
        if (r < 0)
                return r;
        r = ld_so_conf_parse(text, &lines);
        if (r < 0)
                return r;
        /* In the file's order, an include's files where it stands (ldconfig's order). */
        for (size_t i = 0; lines && lines[i]; i++) {
                if (strncmp(lines[i], "include ", 8) != 0) {
                        if (strv_length(h->ld_conf_dirs) >= CONF_DIRS_MAX)
                                return -E2BIG;
                        r = strv_extend(&h->ld_conf_dirs, lines[i]);
                        if (r < 0)
                                return r;
                        continue;
                }
                const char *inc = lines[i] + 8;
                /* Relative patterns are relative to the including file's directory. */
                _cleanup_free_ char *pattern = NULL, *dir = strdup(path);
                if (!dir)
                        return -ENOMEM;
                char *slash = strrchr(dir, '/');
                if (slash)
                        *slash = 0;
                if (asprintf(&pattern, "%s/%s", inc[0] == '/' ? "" : dir, inc) < 0)
                        return -ENOMEM;
                _cleanup_free_ char *rooted = root_path(h->root, pattern);
                glob_t g = {};
                if (!rooted)
                        return -ENOMEM;
                if (glob(rooted, GLOB_NOESCAPE, NULL, &g) == 0) {
                        size_t skip = streq(h->root, "/") ? 0 : strlen(h->root);
                        if (skip && h->root[skip - 1] == '/')
                                skip--;
                        /* In glob()'s sorted order, as ldconfig reads them. */
                        for (size_t k = 0; k < g.gl_pathc && k < CONF_DIRS_MAX; k++)
                                (void) read_conf(h, g.gl_pathv[k] + skip, depth + 1);
                }
                globfree(&g);
        }
        return 0;
}

void host_facts_done_loader(HostFacts *h) {
        ld_so_cache_done(&h->ld_cache);
        h->ld_conf_dirs = strv_free(h->ld_conf_dirs);
        h->default_dirs = strv_free(h->default_dirs);
        h->libc_path = mfree(h->libc_path);
        h->proc_root = mfree(h->proc_root);
        h->glibc_release = mfree(h->glibc_release);
        h->glibc_version = mfree(h->glibc_version);
        for (size_t i = 0; i < h->n_binfmt; i++)
                binfmt_done(&h->binfmt[i]);
        h->binfmt = mfree(h->binfmt);
        h->n_binfmt = 0;
        h->loader_read = false;
}

int glibc_read_fd(int fd, char **ret_version, char **ret_release) {
        _cleanup_free_ char *buf = NULL;
        size_t size;
        int r = read_fd_all(fd, LIBC_SIZE_MAX, &buf, &size);
        return r < 0 ? r : glibc_scan(buf, size, ret_version, ret_release);
}

static int add_binfmt(HostFacts *h, HostBinfmt *b) {
        HostBinfmt *nb = realloc(h->binfmt, (h->n_binfmt + 1) * sizeof *nb);
        if (!nb) {
                binfmt_done(b);
                return -ENOMEM;
        }
        h->binfmt = nb;
        h->binfmt[h->n_binfmt++] = *b;
        return 0;
}

static int read_binfmt(HostFacts *h, const char *proc_root) {
        _cleanup_free_ char *dir = NULL;
        if (asprintf(&dir, "%s/sys/fs/binfmt_misc", proc_root) < 0)
                return -ENOMEM;
        DIR *d = opendir(dir);
        if (!d)
                return -errno;
        struct dirent *de;
        while ((de = readdir(d)) && h->n_binfmt < BINFMT_MAX) {
                if (de->d_name[0] == '.' || streq(de->d_name, "register") || streq(de->d_name, "status"))
                        continue;
                _cleanup_free_ char *p = NULL, *text = NULL;
                size_t size;
                if (asprintf(&p, "%s/%s", dir, de->d_name) < 0)
                        break;
                if (read_file("/", p, BINFMT_TEXT_MAX, &text, &size) < 0)
                        continue;
                HostBinfmt b;
                if (binfmt_parse(de->d_name, text, &b) < 0)
                        continue;
                if (add_binfmt(h, &b) < 0)
                        break;
        }
        closedir(d);
        return 0;
}

/* systemd-binfmt's configuration under the root: *.conf in its directories, a name in an earlier
 * directory masking the same name in a later one, each file's lines in order. */
static int read_binfmt_d(HostFacts *h) {
        static const char *const dirs[] = { "/etc/binfmt.d", "/run/binfmt.d", "/usr/local/lib/binfmt.d",
                                            "/usr/lib/binfmt.d" };
        _cleanup_(strv_freep) char **seen = NULL;
        for (size_t i = 0; i < ELEMENTSOF(dirs); i++) {
                _cleanup_free_ char *pattern = NULL, *rooted = NULL;
                glob_t g = {};
                if (asprintf(&pattern, "%s/*.conf", dirs[i]) < 0 || !(rooted = root_path(h->root, pattern)))
                        return -ENOMEM;
                if (glob(rooted, GLOB_NOESCAPE, NULL, &g) != 0)
                        continue;
                for (size_t k = 0; k < g.gl_pathc && k < CONF_DIRS_MAX; k++) {
                        const char *base = strrchr(g.gl_pathv[k], '/') + 1;
                        _cleanup_free_ char *text = NULL;
                        size_t size;
                        bool masked = false;
                        for (char **s = seen; s && *s && !masked; s++)
                                masked = streq(*s, base);
                        if (masked || strv_extend(&seen, base) < 0 ||
                            read_file("/", g.gl_pathv[k], CONF_SIZE_MAX, &text, &size) < 0)
                                continue;
                        for (const char *l = text; l && *l && h->n_binfmt < BINFMT_MAX;) {
                                const char *end = strchr(l, '\n');
                                _cleanup_free_ char *line = strndup(l, end ? (size_t) (end - l) : strlen(l));
                                HostBinfmt b;
                                if (line && binfmt_parse_register(line, &b) >= 0)
                                        (void) add_binfmt(h, &b);
                                l = end ? end + 1 : NULL;
                        }
                }
                globfree(&g);
        }
        return 0;
}

int host_facts_read_ld_cache(HostFacts *h) {
        _cleanup_free_ char *cache = NULL;
        size_t size;
        ld_so_cache_done(&h->ld_cache);
        h->ld_conf_dirs = strv_free(h->ld_conf_dirs);
        int r = read_file(h->root, "/etc/ld.so.cache", LD_SO_CACHE_SIZE_MAX, &cache, &size);
        if (r >= 0)
                r = ld_so_cache_parse(cache, size, &h->ld_cache);
        h->ld_cache_error = r < 0 ? r : 0;
        (void) read_conf(h, "/etc/ld.so.conf", 0);
        return h->ld_cache_error;
}

int host_facts_read_loader(HostFacts *h, const char *proc_root) {
        struct utsname u;
        size_t size;
        int r;

        host_facts_done_loader(h);
        if (uname(&u) >= 0)
                h->machine = machine_from_uname(u.machine, &h->elf_class, &h->big_endian);
        h->multiarch = multiarch_triplet(h->machine, h->elf_class, h->big_endian);

        (void) host_facts_read_ld_cache(h);

        /* The loader's built-in directories: Debian's multiarch ones when the root has them, else
         * the upstream ones for the word size. */
        char buf[2][128];
        const char *defaults[4] = {};
        size_t n = 0;
        if (h->multiarch) {
                snprintf(buf[0], sizeof buf[0], "/lib/%s", h->multiarch);
                snprintf(buf[1], sizeof buf[1], "/usr/lib/%s", h->multiarch);
        }
        if (h->multiarch && is_dir(h->root, buf[1])) {
                defaults[n++] = buf[0], defaults[n++] = buf[1];
                defaults[n++] = "/lib", defaults[n++] = "/usr/lib";
        } else if (h->elf_class == 64) {
                defaults[n++] = "/lib64", defaults[n++] = "/usr/lib64";
        } else
                defaults[n++] = "/lib", defaults[n++] = "/usr/lib";
        for (size_t i = 0; i < n; i++)
                if (is_dir(h->root, defaults[i]) && (r = strv_extend(&h->default_dirs, defaults[i])) < 0)
                        return r;

        /* libc.so.6 as the loader finds it: the cache, then the default directories. */
        uint32_t flags = ld_so_cache_flags_for(h->machine, h->elf_class, h->big_endian);
        const char *libc = ld_so_cache_lookup(&h->ld_cache, "libc.so.6", flags);
        _cleanup_free_ char *text = NULL;
        if (libc && read_file(h->root, libc, LIBC_SIZE_MAX, &text, &size) >= 0)
                h->libc_path = strdup(libc);
        for (size_t i = 0; !h->libc_path && h->default_dirs && h->default_dirs[i]; i++) {
                _cleanup_free_ char *p = NULL;
                if (asprintf(&p, "%s/libc.so.6", h->default_dirs[i]) < 0)
                        return -ENOMEM;
                if (read_file(h->root, p, LIBC_SIZE_MAX, &text, &size) >= 0)
                        h->libc_path = TAKE_PTR(p);
        }
        if (text && (r = glibc_scan(text, size, &h->glibc_version, &h->glibc_release)) < 0)
                return r;

        /* This host's handlers are the kernel's; another root's are those it registers at boot. */
        if (streq(h->root, "/"))
                (void) read_binfmt(h, proc_root ?: "/proc");
        else
                (void) read_binfmt_d(h);
        if (!(h->proc_root = strdup(proc_root ?: "/proc")))
                return -ENOMEM;
        host_cpu_read(&h->cpu);
        h->loader_read = true;
        return 0;
}
