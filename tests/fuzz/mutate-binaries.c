/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "elf-builder.h"
#include "go-exe-json.h"

/* Mutation test: takes Go binaries (real ones: the toolchain's gofmt and go, plus any given on
 * the command line; and small constructed ones in both build-info layouts) and runs the whole
 * inspector over truncated copies and copies with header, size and build-info fields changed.
 * Nothing may crash, leak or read out of bounds: meant to run under ASan+UBSan. The total time
 * is bounded; when the budget runs out the remaining mutations are skipped, not failed. */

#define BUDGET_SECONDS 40.0

static const char *const default_binaries[] = {
        "/usr/lib/go-1.19/bin/gofmt",
        "/usr/lib/go-1.19/bin/go",
};

typedef struct Target {
        char name[256];
        uint8_t *data; /* the original */
        size_t size;
        int fd; /* a memfd holding the current (mutated) image */
} Target;

static double start_time;
static unsigned long n_runs, n_go, n_errors;
static bool out_of_time;

static double now(void) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

static bool time_left(void) {
        if (!out_of_time && now() - start_time > BUDGET_SECONDS) {
                fprintf(stderr, "time budget of %.0f s used up; skipping the remaining mutations\n",
                        BUDGET_SECONDS);
                out_of_time = true;
        }
        return !out_of_time;
}

static void die(const char *what) {
        fprintf(stderr, "mutate-binaries: %s: %s\n", what, strerror(errno));
        exit(EXIT_FAILURE);
}

static void write_all(int fd, const uint8_t *p, size_t n, uint64_t off) {
        while (n > 0) {
                ssize_t k = pwrite(fd, p, n, (off_t) off);
                if (k <= 0)
                        die("pwrite");
                p += k, n -= (size_t) k, off += (uint64_t) k;
        }
}

/* One inspection of whatever the memfd holds now; every output is produced and freed. */
static void inspect(Target *t) {
        GoExe *x = NULL;
        n_runs++;
        int r = go_exe_inspect_fd(t->fd, GO_EXE_ALL_FACTS, NULL, &x);
        if (r < 0) {
                if (x) {
                        fprintf(stderr, "%s: error %d but a result\n", t->name, r);
                        abort();
                }
                n_errors++;
                return;
        }
        if (!x->is_go && !x->not_go_reason) {
                fprintf(stderr, "%s: not Go without a reason\n", t->name);
                abort();
        }
        n_go += x->is_go;
        StrBuf out = {};
        JsonWriter w = { .out = &out };
        json_begin_object(&w);
        go_exe_to_json(x, true, &w);
        json_end_object(&w);
        go_exe_format_modinfo(x, &out);
        if (strbuf_error(&out) < 0 || w.depth != 0) {
                fprintf(stderr, "%s: output failed\n", t->name);
                abort();
        }
        strbuf_done(&out);
        go_exe_free(x);
}

static void truncate_at(Target *t, uint64_t cut) {
        if (cut >= t->size || !time_left())
                return;
        if (ftruncate(t->fd, (off_t) cut) < 0)
                die("ftruncate");
        inspect(t);
        write_all(t->fd, t->data + cut, t->size - cut, cut);
}

/* Overwrites n bytes at off, inspects, restores. */
static void patch(Target *t, uint64_t off, const uint8_t *bytes, size_t n) {
        if (off > t->size || n > t->size - off || !time_left())
                return;
        if (memcmp(t->data + off, bytes, n) == 0)
                return;
        write_all(t->fd, bytes, n, off);
        inspect(t);
        write_all(t->fd, t->data + off, n, off);
}

static bool big_endian;
static unsigned elf_bits;

static uint64_t get_uint(const Target *t, uint64_t off, size_t width) {
        uint64_t v = 0;
        if (off > t->size || width > t->size - off)
                return 0;
        for (size_t i = 0; i < width; i++)
                v = v << 8 | t->data[off + (big_endian ? i : width - 1 - i)];
        return v;
}

static void put_uint(uint8_t *p, uint64_t v, size_t width) {
        for (size_t i = 0; i < width; i++)
                p[big_endian ? width - 1 - i : i] = (uint8_t) (v >> (8 * i));
}

/* Every byte of the field flipped in a few ways, and the field set to interesting values. */
static void mutate_field(Target *t, uint64_t off, size_t width) {
        static const uint8_t byte_ops[][2] = {
                { 0xff, 1 }, { 0x80, 1 }, { 0x01, 1 }, { 0x00, 0 }, { 0xff, 0 }
        };
        if (off > t->size || width > t->size - off)
                return;
        for (size_t i = 0; i < width; i++)
                for (size_t k = 0; k < sizeof byte_ops / sizeof byte_ops[0]; k++) {
                        uint8_t b = byte_ops[k][1] ? t->data[off + i] ^ byte_ops[k][0] : byte_ops[k][0];
                        patch(t, off + i, &b, 1);
                }
        uint64_t orig = get_uint(t, off, width);
        uint64_t values[] = {
                0,
                1,
                orig + 1,
                orig - 1,
                orig * 2,
                orig / 2,
                t->size,
                t->size + 1,
                t->size - 1,
                UINT64_C(1) << 31,
                UINT64_C(1) << 32,
                UINT64_MAX,
                UINT64_MAX / 2 + 1,
                0x7f,
                0xffff,
        };
        for (size_t k = 0; k < sizeof values / sizeof values[0]; k++) {
                uint8_t buf[8];
                put_uint(buf, values[k], width);
                patch(t, off, buf, width);
        }
}

typedef struct Layout {
        uint64_t phoff, shoff;
        unsigned phnum, shnum, phentsize, shentsize;
        bool have_buildinfo;
        uint64_t buildinfo_off; /* file offset of the 32-byte header */
        bool inline_strings;
} Layout;

static Layout read_layout(Target *t) {
        Layout l = {};
        bool is64 = t->data[EI_CLASS] == ELFCLASS64;
        elf_bits = is64 ? 64 : 32;
        big_endian = t->data[EI_DATA] == ELFDATA2MSB;
        l.phoff = get_uint(t, is64 ? 32 : 28, is64 ? 8 : 4);
        l.shoff = get_uint(t, is64 ? 40 : 32, is64 ? 8 : 4);
        l.phentsize = (unsigned) get_uint(t, is64 ? 54 : 42, 2);
        l.phnum = (unsigned) get_uint(t, is64 ? 56 : 44, 2);
        l.shentsize = (unsigned) get_uint(t, is64 ? 58 : 46, 2);
        l.shnum = (unsigned) get_uint(t, is64 ? 60 : 48, 2);

        /* Where the build info header is in the file, through the library itself. */
        ElfFile *f = NULL;
        if (elf_file_open(t->fd, NULL, &f) >= 0) {
                GoBuildInfoBlob b = {};
                const char *reason;
                uint64_t off, avail;
                if (go_buildinfo_read(f, &b, &reason) >= 0 && b.source != GO_BUILDINFO_FROM_SENTINELS &&
                    elf_file_vaddr_to_offset(f, b.address, &off, &avail) >= 0) {
                        l.have_buildinfo = true;
                        l.buildinfo_off = off;
                        l.inline_strings = b.inline_strings;
                }
                go_buildinfo_blob_done(&b);
                elf_file_free(f);
        }
        return l;
}

static int cmp_u64(const void *a, const void *b) {
        uint64_t x = *(const uint64_t *) a, y = *(const uint64_t *) b;
        return x < y ? -1 : x > y;
}

typedef struct Cuts {
        uint64_t *v;
        size_t n, allocated;
} Cuts;

static void add_cut(Cuts *c, uint64_t at, int64_t delta) {
        if (delta < 0 && at < (uint64_t) -delta)
                return;
        if (c->n == c->allocated) {
                c->allocated = c->allocated ? c->allocated * 2 : 256;
                c->v = realloc(c->v, c->allocated * sizeof *c->v);
                if (!c->v)
                        die("realloc");
        }
        c->v[c->n++] = at + (uint64_t) delta;
}

static void add_cuts_around(Cuts *c, uint64_t at) {
        static const int64_t deltas[] = { -16, -1, 0, 1, 16 };
        for (size_t i = 0; i < sizeof deltas / sizeof deltas[0]; i++)
                add_cut(c, at, deltas[i]);
}

static void mutate_target(Target *t, bool every_byte) {
        unsigned long runs0 = n_runs;
        double t0 = now();
        if (t->size < EI_NIDENT)
                return;
        write_all(t->fd, t->data, t->size, 0);
        Layout l = read_layout(t);
        bool is64 = elf_bits == 64;
        size_t w = is64 ? 8 : 4;

        /* Truncations. */
        Cuts cuts = {};
        for (uint64_t at = 0; at <= 64 * 1024; at += 4096)
                add_cuts_around(&cuts, at);
        add_cuts_around(&cuts, is64 ? 64 : 52);
        add_cuts_around(&cuts, l.phoff + (uint64_t) l.phnum * l.phentsize);
        add_cuts_around(&cuts, l.shoff);
        add_cuts_around(&cuts, l.shoff + (uint64_t) l.shnum * l.shentsize);
        for (unsigned i = 0; i < l.phnum && l.phentsize > 0; i++) {
                uint64_t ph = l.phoff + (uint64_t) i * l.phentsize;
                uint64_t off = get_uint(t, ph + (is64 ? 8 : 4), w),
                         filesz = get_uint(t, ph + (is64 ? 32 : 16), w);
                add_cuts_around(&cuts, off);
                add_cuts_around(&cuts, off + filesz);
        }
        for (unsigned i = 0; i < l.shnum && l.shentsize > 0; i++) {
                uint64_t sh = l.shoff + (uint64_t) i * l.shentsize;
                uint64_t off = get_uint(t, sh + (is64 ? 24 : 16), w),
                         size = get_uint(t, sh + (is64 ? 32 : 20), w);
                add_cuts_around(&cuts, off);
                add_cuts_around(&cuts, off + size);
        }
        if (l.have_buildinfo)
                for (int64_t d = -1; d <= 64; d++)
                        add_cut(&cuts, l.buildinfo_off, d);
        if (every_byte)
                for (uint64_t at = 0; at < t->size; at++)
                        add_cut(&cuts, at, 0);
        qsort(cuts.v, cuts.n, sizeof *cuts.v, cmp_u64);
        for (size_t i = 0; i < cuts.n; i++)
                if (i == 0 || cuts.v[i] != cuts.v[i - 1])
                        truncate_at(t, cuts.v[i]);
        free(cuts.v);

        /* The ELF header's counts, offsets and sizes. */
        mutate_field(t, EI_CLASS, 1);
        mutate_field(t, EI_DATA, 1);
        mutate_field(t, 16, 2);             /* e_type */
        mutate_field(t, is64 ? 32 : 28, w); /* e_phoff */
        mutate_field(t, is64 ? 40 : 32, w); /* e_shoff */
        for (size_t off = is64 ? 54 : 42; off < (is64 ? 64u : 52u); off += 2)
                mutate_field(t, off, 2); /* e_phentsize, e_phnum, e_shentsize, e_shnum, e_shstrndx */

        /* Every program header's type, flags, offset, address and sizes. */
        for (unsigned i = 0; i < l.phnum && l.phentsize > 0; i++) {
                uint64_t ph = l.phoff + (uint64_t) i * l.phentsize;
                mutate_field(t, ph, 4);                    /* p_type */
                mutate_field(t, ph + (is64 ? 4 : 24), 4);  /* p_flags */
                mutate_field(t, ph + (is64 ? 8 : 4), w);   /* p_offset */
                mutate_field(t, ph + (is64 ? 16 : 8), w);  /* p_vaddr */
                mutate_field(t, ph + (is64 ? 32 : 16), w); /* p_filesz */
                mutate_field(t, ph + (is64 ? 40 : 20), w); /* p_memsz */
        }

        /* Every section header's name, type, address, offset, size, link and entry size. */
        for (unsigned i = 0; i < l.shnum && l.shentsize > 0; i++) {
                uint64_t sh = l.shoff + (uint64_t) i * l.shentsize;
                mutate_field(t, sh, 4);                    /* sh_name */
                mutate_field(t, sh + 4, 4);                /* sh_type */
                mutate_field(t, sh + (is64 ? 16 : 12), w); /* sh_addr */
                mutate_field(t, sh + (is64 ? 24 : 16), w); /* sh_offset */
                mutate_field(t, sh + (is64 ? 32 : 20), w); /* sh_size */
                mutate_field(t, sh + (is64 ? 40 : 24), 4); /* sh_link */
                mutate_field(t, sh + (is64 ? 56 : 36), w); /* sh_entsize */
        }

        /* The build info header: magic, pointer size, flags, and the varint lengths (inline) or
         * the pointers (pre-1.18). */
        if (l.have_buildinfo) {
                uint64_t h = l.buildinfo_off;
                for (uint64_t i = 0; i < 32; i++)
                        mutate_field(t, h + i, 1);
                if (l.inline_strings) {
                        uint64_t v = 0;
                        size_t n = 0;
                        while (n < 10 && h + 32 + n < t->size && (t->data[h + 32 + n] & 0x80))
                                n++;
                        for (size_t i = 0; i <= n && i < 10; i++)
                                mutate_field(t, h + 32 + i, 1);
                        for (size_t i = 0; i <= n && i < 10; i++)
                                v |= (uint64_t) (t->data[h + 32 + i] & 0x7f) << (7 * i);
                        uint64_t m = h + 32 + n + 1 + v; /* the modinfo varint */
                        for (size_t i = 0; i < 4; i++)
                                mutate_field(t, m + i, 1);
                } else
                        for (uint64_t i = 16; i < 32; i += w)
                                mutate_field(t, h + i, w);
        }

        /* Small images: every byte. */
        if (every_byte)
                for (uint64_t off = 0; off < t->size; off++)
                        mutate_field(t, off, 1);

        fprintf(stderr, "%s: %zu bytes, %lu inspections in %.1f s\n", t->name, t->size, n_runs - runs0,
                now() - t0);
}

static int target_init(Target *t, const char *name, const uint8_t *data, size_t size) {
        snprintf(t->name, sizeof t->name, "%s", name);
        t->data = malloc(size ? size : 1);
        if (!t->data)
                return -ENOMEM;
        memcpy(t->data, data, size);
        t->size = size;
        t->fd = memfd_create("mutate-binaries", MFD_CLOEXEC);
        if (t->fd < 0)
                return -errno;
        return 0;
}

static void target_done(Target *t) {
        free(t->data);
        if (t->fd >= 0)
                close(t->fd);
}

static int load_file(const char *path, Target *t) {
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        struct stat st;
        if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size > 512 * 1024 * 1024) {
                close(fd);
                return -EINVAL;
        }
        void *p = mmap(NULL, (size_t) st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
        close(fd);
        if (p == MAP_FAILED)
                return -errno;
        int r = target_init(t, path, p, (size_t) st.st_size);
        munmap(p, (size_t) st.st_size);
        return r;
}

static void run_builder(const char *name, ElfBuilder *b) {
        Target t;
        size_t n;
        const uint8_t *p = eb_finish(b, &n);
        if (target_init(&t, name, p, n) < 0)
                die("target");
        mutate_target(&t, true);
        target_done(&t);
        eb_free(b);
}

static const char modtext[] = "path\texample.com/svc\n"
                              "mod\texample.com/svc\tv1.0.0\th1:abc=\n"
                              "dep\tgolang.org/x/sys\tv0.1.0\n"
                              "=>\t../sys\t\t\n"
                              "build\tCGO_ENABLED=0\n"
                              "build\tGOARCH=amd64\n";

int main(int argc, char **argv) {
        start_time = now();
        size_t n_real = 0;

        /* Constructed images first: small, so every byte is flipped and every length cut. */
        for (unsigned k = 0; k < 4; k++) {
                char name[64];
                snprintf(name, sizeof name, "constructed pointer layout, %u-bit %s", k & 1 ? 64 : 32,
                         k & 2 ? "big-endian" : "little-endian");
                run_builder(name, eb_build_go(&(EbGo){ .bits = k & 1 ? 64 : 32,
                                                       .big_endian = k & 2,
                                                       .layout = EB_GO_POINTER,
                                                       .version = "go1.16.15",
                                                       .modinfo = modtext,
                                                       .sections = true }));
        }
        run_builder("constructed pre-1.18 PIE with relocations",
                    eb_build_go(&(EbGo){ .bits = 64,
                                         .layout = EB_GO_POINTER,
                                         .version = "go1.17.13",
                                         .modinfo = modtext,
                                         .sections = true,
                                         .pie = true,
                                         .zero_slots = true,
                                         .relocs = true }));
        run_builder("constructed inline layout, no sections", eb_build_go(&(EbGo){ .bits = 64,
                                                                                   .layout = EB_GO_INLINE,
                                                                                   .version = "go1.21.5",
                                                                                   .modinfo = modtext,
                                                                                   .blob_offset = 0x20,
                                                                                   .decoy = true,
                                                                                   .build_id = "a/b/c/d" }));
        static const EbVerneed verneed[] = { { "libc.so.6",
                                               { "GLIBC_2.2.5", "GLIBC_2.34", "GLIBC_PRIVATE", NULL } } };
        ElfBuilder *b = eb_build_go(&(EbGo){ .bits = 64,
                                             .layout = EB_GO_INLINE,
                                             .version = "go1.21.5",
                                             .modinfo = modtext,
                                             .sections = true,
                                             .pie = true });
        eb_add_interp(b, "/lib64/ld-linux-x86-64.so.2");
        eb_add_dynamic(b, &(EbDynamic){ .needed = { "libc.so.6" }, .verneed = verneed, .n_verneed = 1 });
        run_builder("constructed inline layout, dynamic", b);

        /* Real binaries: the defaults that exist, then those on the command line (which must). */
        for (int i = 0; i < (int) (sizeof default_binaries / sizeof default_binaries[0]) + argc - 1; i++) {
                bool given = i >= (int) (sizeof default_binaries / sizeof default_binaries[0]);
                const char *path =
                        given ? argv[i - (int) (sizeof default_binaries / sizeof default_binaries[0]) + 1]
                              : default_binaries[i];
                Target t;
                int r = load_file(path, &t);
                if (r < 0) {
                        fprintf(stderr, "%s: %s%s\n", path, strerror(-r), given ? "" : ", skipping");
                        if (given)
                                return EXIT_FAILURE;
                        continue;
                }
                mutate_target(&t, false);
                target_done(&t);
                n_real++;
        }

        fprintf(stderr,
                "%lu inspections (%lu Go, %lu errors) of %zu real and 6 constructed binaries in %.1f s%s\n",
                n_runs, n_go, n_errors, n_real, now() - start_time, out_of_time ? " (budget used up)" : "");
        return EXIT_SUCCESS;
}
