/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "elf-file.h"

/* Finding and decoding the build information blob a Go linker writes (Go 1.13 and later). */

typedef enum GoBuildInfoSource {
        GO_BUILDINFO_FROM_SECTION,   /* the .go.buildinfo section */
        GO_BUILDINFO_FROM_SEGMENT,   /* scanning the first writable PT_LOAD */
        GO_BUILDINFO_FROM_SENTINELS, /* modinfo found by its sentinels only; no version */
} GoBuildInfoSource;

typedef struct GoBuildInfoBlob {
        char *version; /* "go1.21.3"; NULL when only the sentinels were found */
        char *modinfo; /* sentinels stripped; "" when there is none */
        size_t modinfo_len;
        uint64_t address; /* virtual address of the header */
        uint8_t ptr_size;
        uint8_t flags;
        bool inline_strings;   /* the Go 1.18+ layout */
        bool used_relocations; /* pre-1.18 PIE: pointers resolved through RELATIVE relocations */
        GoBuildInfoSource source;
} GoBuildInfoBlob;

#define GO_BUILDINFO_MAGIC           "\xff Go buildinf:"
#define GO_BUILDINFO_MAGIC_LEN       14u
#define GO_BUILDINFO_HEADER_LEN      32u
#define GO_BUILDINFO_FLAG_BIG_ENDIAN 0x1u
#define GO_BUILDINFO_FLAG_INLINE     0x2u

/* Searches read the file in chunks of this size; memory stays at one chunk. */
#define GO_BUILDINFO_SCAN_CHUNK (1024u * 1024u)

/* How far into a writable segment (or a .go.buildinfo section) the header is looked for. Go's
 * own linker puts .go.buildinfo first in the data segment (offset 0); an external linker places
 * it after the RELRO data of the same segment: 0x3140 into it for a cgo executable and 0x51d28
 * (a quarter of a 1.3 MB file) for a c-shared library of our test corpus. 64 MiB keeps that
 * ratio for binaries of 256 MB; Go 1.19's debug/buildinfo itself reads only the first 64 KiB. */
#define GO_BUILDINFO_WINDOW (64u * 1024u * 1024u)

/* Returns 0 and fills *ret when build info was found, -ENOMSG when the file has none (a reason
 * is given in *ret_reason), -EDQUOT / -ETIME when the file's budget ran out first, other
 * negative errno on I/O failure or over-size input. */
int go_buildinfo_read(ElfFile *f, GoBuildInfoBlob *ret, const char **ret_reason);
void go_buildinfo_blob_done(GoBuildInfoBlob *b);

/* Go's uvarint; returns bytes consumed, 0 if the buffer ends first, -1 on overflow. */
int go_uvarint(const uint8_t *p, size_t n, uint64_t *ret);
/* Strips the 16-byte modinfo sentinels the way debug/buildinfo does: in place; returns the new
 * length, or 0 when the text does not carry them. */
size_t go_modinfo_strip_sentinels(char *mod, size_t len, char **ret_start);
