/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <elf.h>
#include <endian.h>
#include <string.h>

#include "ld-so-cache.h"

/* glibc's sysdeps/generic/dl-cache.h. */
#define OLD_MAGIC        "ld.so-1.7.0"
#define OLD_HEADER_SIZE  16u /* magic[11], padding, uint32 nlibs */
#define OLD_ENTRY_SIZE   12u /* int32 flags, uint32 key, uint32 value */
#define NEW_MAGIC        "glibc-ld.so.cache1.1"
#define NEW_HEADER_SIZE  48u /* magic+version[20], nlibs, len_strings, flags, pad[3], ext, unused[3] */
#define NEW_ENTRY_SIZE   24u /* flags, key, value, osversion, uint64 hwcap */
#define NEW_FLAGS_LITTLE 2u
#define NEW_FLAGS_BIG    3u

typedef struct Reader {
        const uint8_t *buf;
        size_t size;
        bool swap; /* the cache's byte order is not ours */
} Reader;

static uint32_t get_u32(const Reader *r, size_t off) {
        uint32_t v;
        memcpy(&v, r->buf + off, sizeof v);
        return r->swap ? __builtin_bswap32(v) : v;
}

static uint64_t get_u64(const Reader *r, size_t off) {
        uint64_t v;
        memcpy(&v, r->buf + off, sizeof v);
        return r->swap ? __builtin_bswap64(v) : v;
}

/* The NUL-terminated string at base+off, inside the buffer. */
static int get_string(const Reader *r, size_t base, uint32_t off, char **ret) {
        if (base > r->size || off >= r->size - base)
                return -EBADMSG;
        const char *s = (const char *) r->buf + base + off;
        const char *end = memchr(s, 0, r->size - base - off);
        if (!end || end == s)
                return -EBADMSG;
        char *copy = strndup(s, (size_t) (end - s));
        if (!copy)
                return -ENOMEM;
        *ret = copy;
        return 0;
}

void ld_so_cache_done(LdSoCache *c) {
        for (size_t i = 0; i < c->n_entries; i++) {
                free(c->entries[i].name);
                free(c->entries[i].path);
        }
        free(c->entries);
        *c = (LdSoCache){};
}

/* Entries at entries_off (each entry_size bytes), strings relative to strings_base. */
static int read_entries(const Reader *r, size_t entries_off, uint32_t n, size_t entry_size,
                        size_t strings_base, LdSoCache *c) {
        if (n > LD_SO_CACHE_ENTRIES_MAX)
                return -E2BIG;
        if (entries_off > r->size || (r->size - entries_off) / entry_size < n)
                return -EBADMSG;
        c->entries = calloc(n ?: 1, sizeof c->entries[0]);
        if (!c->entries)
                return -ENOMEM;
        for (uint32_t i = 0; i < n; i++) {
                size_t e = entries_off + (size_t) i * entry_size;
                LdSoCacheEntry *x = &c->entries[c->n_entries];
                x->flags = get_u32(r, e);
                int k = get_string(r, strings_base, get_u32(r, e + 4), &x->name);
                if (k < 0)
                        return k;
                c->n_entries++; /* owns name now, for ld_so_cache_done() */
                k = get_string(r, strings_base, get_u32(r, e + 8), &x->path);
                if (k < 0)
                        return k;
                if (entry_size == NEW_ENTRY_SIZE)
                        x->hwcap = get_u64(r, e + 16);
        }
        return 0;
}

static int parse_new(const Reader *r, size_t at, LdSoCache *c) {
        Reader rr = *r;
        if (at > r->size || r->size - at < NEW_HEADER_SIZE ||
            memcmp(r->buf + at, NEW_MAGIC, STRLEN(NEW_MAGIC)) != 0)
                return -EBADMSG;
        uint8_t flags = r->buf[at + 28];
#if __BYTE_ORDER == __LITTLE_ENDIAN
        rr.swap = flags == NEW_FLAGS_BIG;
#else
        rr.swap = flags == NEW_FLAGS_LITTLE;
#endif
        if (flags > NEW_FLAGS_BIG || flags == 1)
                return -EBADMSG; /* 1: ldconfig's "invalid" */
        uint32_t n = get_u32(&rr, at + 20);
        return read_entries(&rr, at + NEW_HEADER_SIZE, n, NEW_ENTRY_SIZE, at, c);
}

int ld_so_cache_parse(const void *buf, size_t size, LdSoCache *ret) {
        Reader r = { .buf = buf, .size = size };
        LdSoCache c = {};
        int k;

        if (size > LD_SO_CACHE_SIZE_MAX)
                return -E2BIG;
        if (size >= NEW_HEADER_SIZE && memcmp(buf, NEW_MAGIC, STRLEN(NEW_MAGIC)) == 0) {
                c.format = LD_SO_CACHE_NEW;
                k = parse_new(&r, 0, &c);
        } else if (size >= OLD_HEADER_SIZE && memcmp(buf, OLD_MAGIC, STRLEN(OLD_MAGIC)) == 0) {
                uint32_t n = get_u32(&r, 12);
                if (n > LD_SO_CACHE_ENTRIES_MAX) {
                        k = -E2BIG;
                        goto fail;
                }
                size_t strings = OLD_HEADER_SIZE + (size_t) n * OLD_ENTRY_SIZE;
                /* The new format follows the old entries, 8-aligned, when ldconfig wrote both: the
                 * loader then reads only the new part. */
                size_t next = (strings + 7) & ~(size_t) 7;
                if (next <= size && size - next >= NEW_HEADER_SIZE &&
                    memcmp(r.buf + next, NEW_MAGIC, STRLEN(NEW_MAGIC)) == 0) {
                        c.format = LD_SO_CACHE_OLD_AND_NEW;
                        k = parse_new(&r, next, &c);
                } else {
                        c.format = LD_SO_CACHE_OLD;
                        k = read_entries(&r, OLD_HEADER_SIZE, n, OLD_ENTRY_SIZE, strings, &c);
                }
        } else
                return -EBADMSG;
        if (k < 0)
                goto fail;
        *ret = c;
        return 0;
fail:
        ld_so_cache_done(&c);
        return k;
}

const char *ld_so_cache_lookup(const LdSoCache *c, const char *name, uint32_t flags) {
        if (!c || !name)
                return NULL;
        for (size_t i = 0; i < c->n_entries; i++)
                if (c->entries[i].flags == flags && strcmp(c->entries[i].name, name) == 0)
                        return c->entries[i].path;
        return NULL;
}

uint32_t ld_so_cache_flags_for(uint16_t machine, uint8_t elf_class, bool big_endian) {
        /* glibc's sysdeps/.../dl-cache.h _DL_CACHE_DEFAULT_ID, with ldconfig.h's FLAG_* values. */
        switch (machine) {
        case EM_X86_64: return elf_class == 64 ? 0x0303 : 0x0803; /* x86-64; x32 */
        case EM_386: return 0x0003;
        case EM_AARCH64: return elf_class == 64 ? 0x0a03 : 0;
        case EM_ARM: return 0x0903; /* hard-float, as Debian's armhf */
        case EM_S390: return elf_class == 64 ? 0x0403 : 0x0003;
        case EM_PPC64: return 0x0503;
        case EM_RISCV: return elf_class == 64 ? 0x1003 : 0;
        default: return 0;
        }
}

const char *ld_so_cache_format_to_string(LdSoCacheFormat f) {
        switch (f) {
        case LD_SO_CACHE_OLD: return "old";
        case LD_SO_CACHE_NEW: return "new";
        case LD_SO_CACHE_OLD_AND_NEW: return "old+new";
        }
        return NULL;
}
