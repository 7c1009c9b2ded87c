/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <elf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Builds small ELF files in memory for the tests and the fuzz seed corpus: 32/64-bit, either byte
 * order, program headers, optional section headers, and the pieces goguard looks at (PT_INTERP,
 * PT_DYNAMIC with DT_NEEDED and .gnu.version_r, notes, RELA relocations, .symtab, and the Go build
 * information blob in both layouts). Everything is written in the target's byte order. Allocation
 * failures abort: this is test code. */

#define EB_PHDR_SLOTS   16u /* room reserved for the program header table after the ELF header */
#define EB_SECTIONS_MAX 32u

typedef struct EbPhdr {
        uint32_t type, flags;
        uint64_t offset, vaddr, filesz, memsz, align;
} EbPhdr;

typedef struct EbShdr {
        char name[40];
        uint32_t type;
        uint64_t flags, addr, offset, size;
        uint32_t link, info;
        uint64_t addralign, entsize;
} EbShdr;

typedef struct ElfBuilder {
        unsigned bits; /* 32 or 64 */
        bool big_endian;
        uint16_t type, machine;
        uint64_t entry;
        uint64_t base; /* vaddr = base + file offset, for everything the composite helpers map */

        uint8_t *data;
        size_t size, allocated;

        EbPhdr phdrs[EB_PHDR_SLOTS];
        size_t n_phdrs;
        EbShdr shdrs[EB_SECTIONS_MAX]; /* without the null section; index i is section i + 1 */
        size_t n_shdrs;
        bool sections; /* write section headers (and .shstrtab) when finishing */
        bool finished;

        /* Filled by eb_build_go(): where the pieces went. */
        uint64_t go_header_offset, go_header_vaddr; /* the 32-byte build info header */
        uint64_t go_blob_size;                      /* header + inline strings + padding */
        size_t go_data_phdr;                        /* index of the RW PT_LOAD */
        size_t go_section;                          /* section index of .go.buildinfo, or 0 */
        uint64_t go_version_addr, go_modinfo_addr;  /* the string bytes */
        uint64_t go_version_hdr, go_modinfo_hdr;    /* pointer layout: string headers */
} ElfBuilder;

ElfBuilder *eb_new(unsigned bits, bool big_endian, uint16_t type, uint16_t machine);
ElfBuilder *eb_free(ElfBuilder *b);
static inline void eb_freep(ElfBuilder **b) {
        if (*b)
                *b = eb_free(*b);
}

size_t eb_ptr_size(const ElfBuilder *b);
uint64_t eb_vaddr(const ElfBuilder *b, uint64_t offset); /* base + offset */

/* Pads the image to a multiple of align and returns the new end. */
uint64_t eb_align(ElfBuilder *b, size_t align);
/* Appends at the next multiple of align; returns the file offset. */
uint64_t eb_append(ElfBuilder *b, const void *p, size_t n, size_t align);
uint64_t eb_append_zeros(ElfBuilder *b, size_t n, size_t align);
uint64_t eb_append_uint(ElfBuilder *b, uint64_t v, size_t width);
uint64_t eb_append_string(ElfBuilder *b, const char *s); /* with its NUL */
void eb_put(ElfBuilder *b, uint64_t offset, const void *p, size_t n);
void eb_put_uint(ElfBuilder *b, uint64_t offset, uint64_t v, size_t width);
uint64_t eb_get_uint(const ElfBuilder *b, uint64_t offset, size_t width);

size_t eb_add_phdr(ElfBuilder *b, uint32_t type, uint32_t flags, uint64_t offset, uint64_t vaddr,
                   uint64_t filesz, uint64_t memsz);
/* Returns the section index (>= 1). Turns on section headers. */
size_t eb_add_section(ElfBuilder *b, const char *name, uint32_t type, uint64_t flags, uint64_t addr,
                      uint64_t offset, uint64_t size);
static inline EbShdr *eb_section(ElfBuilder *b, size_t index) {
        return &b->shdrs[index - 1];
}

/* Writes the ELF header, program headers and (if any) .shstrtab plus the section header table
 * at the end of the image. Returns the finished image, owned by the builder. */
const uint8_t *eb_finish(ElfBuilder *b, size_t *ret_size);
/* Finishes and returns a memfd (O_CLOEXEC) holding the image, positioned at 0. */
int eb_memfd(ElfBuilder *b);
/* A memfd holding n bytes of p. Returns the fd or -errno. */
int eb_memfd_from(const void *p, size_t n);

/* Offsets of ELF header fields for the builder's class. */
size_t eb_ehdr_field(const ElfBuilder *b, const char *field);
/* File offset of field of program header i / section header i (after eb_finish). */
size_t eb_phdr_field(const ElfBuilder *b, size_t i, const char *field);
size_t eb_shdr_field(const ElfBuilder *b, size_t i, const char *field);
uint64_t eb_phoff(const ElfBuilder *b);
uint64_t eb_shoff(const ElfBuilder *b); /* after eb_finish */

/* Composite pieces. Each appends its bytes and adds its program header and section. */
size_t eb_add_load(ElfBuilder *b, uint32_t flags, uint64_t offset, uint64_t size); /* vaddr base+offset */
void eb_add_interp(ElfBuilder *b, const char *path);
void eb_add_note(ElfBuilder *b, const char *section, const char *owner, uint32_t type, const void *desc,
                 size_t descsz);
void eb_add_go_buildid_note(ElfBuilder *b, const char *build_id);

typedef struct EbVerneed {
        const char *file;
        const char *versions[8]; /* NULL-terminated */
} EbVerneed;

typedef struct EbDynamic {
        const char *needed[8]; /* NULL-terminated */
        const EbVerneed *verneed;
        size_t n_verneed;
        const char *rpath, *runpath, *soname;
        uint64_t flags_1;
        bool no_strtab; /* leave out DT_STRTAB */
} EbDynamic;

/* .dynstr, .gnu.version_r and .dynamic in a read-only PT_LOAD, plus PT_DYNAMIC. */
void eb_add_dynamic(ElfBuilder *b, const EbDynamic *d);

typedef struct EbRela {
        uint64_t offset;
        uint32_t type, sym;
        int64_t addend;
} EbRela;

void eb_add_rela(ElfBuilder *b, const char *section, const EbRela *r, size_t n);
/* .symtab + .strtab with these (undefined, zero-valued) symbol names. */
void eb_add_symtab(ElfBuilder *b, const char *const *names, size_t n);

/* Go build information. */
extern const uint8_t eb_go_info_start[16], eb_go_info_end[16];
/* infoStart + text + infoEnd, as cmd/go embeds modinfo. Caller frees. */
uint8_t *eb_go_wrap_modinfo(const char *text, size_t len, size_t *ret_len);
/* The Go 1.18+ blob: header, uvarint-prefixed version and modinfo, zero padding to 16. */
uint8_t *eb_go_inline_blob(const char *version, const void *mod, size_t mod_len, uint8_t ptr_size,
                           uint8_t flags, size_t *ret_len);
size_t eb_put_uvarint(uint8_t *p, uint64_t v); /* returns bytes written (<= 10) */

typedef enum EbGoLayout {
        EB_GO_INLINE,  /* Go 1.18+ */
        EB_GO_POINTER, /* Go 1.13-1.17 */
} EbGoLayout;

typedef struct EbGo {
        unsigned bits; /* 32 or 64 */
        bool big_endian;
        uint16_t machine; /* 0: x86-64, 386, s390x, mips by class and byte order */
        EbGoLayout layout;
        const char *version;
        const char *modinfo; /* the text, wrapped in the sentinels unless raw_modinfo; NULL: none */
        size_t modinfo_len;  /* 0: strlen(modinfo) */
        bool raw_modinfo;
        bool sections;        /* section headers, with .go.buildinfo */
        bool pie;             /* ET_DYN at base 0 */
        bool zero_slots;      /* pointer layout: pointer slots left zero in the file ... */
        bool relocs;          /* ... and resolved by RELATIVE entries in .rela.dyn */
        size_t blob_offset;   /* offset of the header in the RW segment (multiple of 16) */
        bool decoy;           /* a misaligned copy of the magic before the header */
        const char *build_id; /* Go build ID note */
        uint64_t bss;         /* memsz beyond filesz of the RW segment */
} EbGo;

/* A complete Go-looking executable; not finished, so callers may add or patch before eb_finish. */
ElfBuilder *eb_build_go(const EbGo *g);

/* The file of a hostile-input report: no section headers, n_loads RW PT_LOADs that each map
 * segment_size bytes from offset 0, and at 0x1000 a build info header of the pointer layout
 * (ptr_size 8) whose two pointers resolve nowhere, so a reader falls back to searching the
 * segments for the modinfo sentinels. Not finished. */
ElfBuilder *eb_build_unresolvable_buildinfo(uint64_t segment_size, size_t n_loads);
/* eb_memfd(), then extended to size bytes with a hole (sparse: costs no memory). */
int eb_memfd_sparse(ElfBuilder *b, uint64_t size);

/* Writes the finished image to path (for the seed corpus). Returns 0 or -errno. */
int eb_write_file(ElfBuilder *b, const char *path);
