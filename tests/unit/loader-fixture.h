/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Roots for the loader tests: loader cache images laid out as ldconfig writes them, ELF headers,
 * directories and files under a root. */
#pragma once

#include <elf.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "ld-so-cache.h"
#include "test-util.h"

typedef struct Image {
        uint8_t b[4096];
        size_t n;
} Image;

static inline void put(Image *m, size_t off, const void *p, size_t n) {
        ck_assert_uint_le(off + n, sizeof m->b);
        memcpy(m->b + off, p, n);
        if (off + n > m->n)
                m->n = off + n;
}

static inline void put32(Image *m, size_t off, uint32_t v) {
        put(m, off, &v, 4);
}

static inline void put64(Image *m, size_t off, uint64_t v) {
        put(m, off, &v, 8);
}

typedef struct Lib {
        uint32_t flags;
        const char *name, *path;
        uint64_t hwcap;
} Lib;

/* The new format at base: header, entries, strings (offsets relative to base). */
static inline void ld_cache_image_new(Image *m, size_t base, const Lib *libs, size_t n_libs) {
        size_t strings = base + 48 + n_libs * 24, s = strings;
        put(m, base, "glibc-ld.so.cache1.1", 20);
        put32(m, base + 20, (uint32_t) n_libs);
        uint8_t flags = host_is_little_endian() ? 2 : 3;
        put(m, base + 28, &flags, 1);
        for (size_t i = 0; i < n_libs; i++) {
                size_t e = base + 48 + i * 24;
                put32(m, e, libs[i].flags);
                put32(m, e + 4, (uint32_t) (s - base));
                put(m, s, libs[i].name, strlen(libs[i].name) + 1);
                s += strlen(libs[i].name) + 1;
                put32(m, e + 8, (uint32_t) (s - base));
                put(m, s, libs[i].path, strlen(libs[i].path) + 1);
                s += strlen(libs[i].path) + 1;
                put64(m, e + 16, libs[i].hwcap);
        }
        put32(m, base + 24, (uint32_t) (s - strings));
}

/* Writes the image as path. */
static inline void ld_cache_image_write(const Image *m, const char *path) {
        FILE *f = fopen(path, "we");
        ck_assert_ptr_nonnull(f);
        ck_assert_uint_eq(fwrite(m->b, 1, m->n, f), m->n);
        ck_assert_int_eq(fclose(f), 0);
}

/* base/path and its parents. */
static inline void fixture_mkdirs(const char *base, const char *path) {
        char p[1024];
        snprintf(p, sizeof p, "%s/%s", base, path);
        for (char *s = p + strlen(base) + 1; (s = strchr(s, '/')); s++) {
                *s = 0;
                (void) mkdir(p, 0755);
                *s = '/';
        }
        (void) mkdir(p, 0755);
}

static inline void fixture_write(const char *base, const char *path, const void *data, size_t n) {
        char p[1024];
        snprintf(p, sizeof p, "%s/%s", base, path);
        char *slash = strrchr(p, '/');
        *slash = 0;
        fixture_mkdirs(base, p + strlen(base) + 1);
        *slash = '/';
        FILE *f = fopen(p, "we");
        ck_assert_ptr_nonnull(f);
        ck_assert_uint_eq(fwrite(data, 1, n, f), n);
        ck_assert_int_eq(fclose(f), 0);
}

/* An ELF header of this class and machine (little-endian, ET_DYN), then tail. */
static inline void fixture_write_elf(const char *base, const char *path, uint8_t elf_class, uint16_t machine,
                                     const void *tail, size_t n) {
        uint8_t b[4096] = { 0x7f, 'E', 'L', 'F', elf_class == 64 ? 2 : 1, 1, 1 };
        b[16] = ET_DYN;
        b[18] = (uint8_t) machine, b[19] = (uint8_t) (machine >> 8);
        ck_assert_uint_le(64 + n, sizeof b);
        memcpy(b + 64, tail, n);
        fixture_write(base, path, b, 64 + n);
}
