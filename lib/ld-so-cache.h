/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "macro.h"

/* /etc/ld.so.cache as ldconfig writes it and the dynamic loader reads it: the old format
 * ("ld.so-1.7.0", 12-byte entries with strings after them), the new one ("glibc-ld.so.cache1.1",
 * 24-byte entries with hwcaps; the only one glibc 2.32 and later write), and the old followed by
 * the new (what older ldconfig wrote by default; the loader then reads the new part). Every offset
 * and count is checked against the buffer: a corrupt cache is -EBADMSG, never a read past it. */

#define LD_SO_CACHE_SIZE_MAX    (64u * 1024u * 1024u)
#define LD_SO_CACHE_ENTRIES_MAX 65536u

/* The entry flags (glibc's ldconfig.h): the low byte is the type, the high one the ABI. */
#define LD_CACHE_FLAG_TYPE_MASK     0x00ffu
#define LD_CACHE_FLAG_ELF_LIBC6     0x0003u
#define LD_CACHE_FLAG_REQUIRED_MASK 0xff00u

typedef enum LdSoCacheFormat {
        LD_SO_CACHE_OLD,
        LD_SO_CACHE_NEW,
        LD_SO_CACHE_OLD_AND_NEW,
} LdSoCacheFormat;

typedef struct LdSoCacheEntry {
        char *name; /* the soname, e.g. "libc.so.6" */
        char *path; /* where ldconfig found it */
        uint32_t flags;
        uint64_t hwcap; /* new format only; 0 otherwise */
} LdSoCacheEntry;

typedef struct LdSoCache {
        LdSoCacheFormat format;
        LdSoCacheEntry *entries;
        size_t n_entries;
} LdSoCache;

/* Parses a cache image. -EBADMSG when it is not one or is corrupt, -E2BIG over the caps above. */
int ld_so_cache_parse(const void *buf, size_t size, LdSoCache *ret);
void ld_so_cache_done(LdSoCache *c);
/* The path of name for a binary whose entries carry these flags (e.g. 0x0303 for x86-64 libc6),
 * the first in the cache's order as the loader takes it, or NULL. */
const char *ld_so_cache_lookup(const LdSoCache *c, const char *name, uint32_t flags);
/* The flags ldconfig gives libraries of this ELF machine, class and byte order (the loader's
 * _DL_CACHE_DEFAULT_ID), or 0 when not known. */
uint32_t ld_so_cache_flags_for(uint16_t machine, uint8_t elf_class, bool big_endian) _pure_;
const char *ld_so_cache_format_to_string(LdSoCacheFormat f) _pure_;
