/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <gelf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "macro.h"

/* Bounded, untrusting access to an ELF file through libelf in its lazy (pread, no mmap) mode, so
 * a file truncated under us gives an error instead of SIGBUS, and nothing reads more than the
 * caps below no matter what the headers claim. */

#define ELF_FILE_SECTIONS_MAX 65536u
#define ELF_FILE_CHUNK_MAX    (64u * 1024u * 1024u) /* any single table or section we load */

/* What one inspection may cost, whatever the file says. A real Go executable needs well under
 * 1 MiB of reads (headers, notes, .go.buildinfo, the dynamic tables); without section headers
 * add the data segment up to the build info (near its start); a pre-1.18 PIE stripped of them
 * needs its modinfo sentinels, found 20-40% into the file (2 MB into the 10.7 MB go command,
 * 4 MB into the 10.3 MB trace tool); a non-Go file with section headers may add its symbol
 * table. 128 MiB covers that for executables of 300 MB, and since libelf keeps what it reads
 * until the file is closed, it also bounds what one inspection holds (goguardd runs under
 * MemoryMax=256M). 128 MiB take well under a second from the page cache and a few from a slow
 * disk; 5 s stops a file on a hung or very slow file system. A sparse file claiming terabytes
 * of segment uses up the byte budget in milliseconds. */
#define ELF_BUDGET_MIB           128
#define ELF_BUDGET_SEC           5
#define ELF_BUDGET_BYTES_DEFAULT ((uint64_t) ELF_BUDGET_MIB * 1024u * 1024u)
#define ELF_BUDGET_USEC_DEFAULT  ((uint64_t) ELF_BUDGET_SEC * 1000000u)

typedef struct ElfBudget {
        uint64_t bytes;        /* read from the file through ElfFile, all told */
        uint64_t usec;         /* from elf_file_open(), by now(); 0 or no now: no time limit */
        uint64_t (*now)(void); /* a monotonic clock in µs (lib/ reads no clock itself) */
} ElfBudget;

typedef struct ElfFile {
        int fd; /* borrowed */
        uint64_t size;
        Elf *elf;
        uint8_t elf_class;  /* ELFCLASS32 or ELFCLASS64 */
        uint8_t byte_order; /* ELFDATA2LSB or ELFDATA2MSB */
        uint8_t osabi;
        uint16_t type;
        uint16_t machine;
        GElf_Phdr *phdrs;
        size_t n_phdrs;
        size_t n_sections;
        size_t shstrndx;
        bool has_sections;

        /* The budget left, and its first exhaustion: sticky, because many callers treat a
         * failed read as "not there" and carry on; the top level reports it. */
        uint64_t budget_bytes;
        uint64_t deadline; /* in now()'s µs; 0: none */
        uint64_t (*now)(void);
        int budget_error; /* 0, -EDQUOT (bytes) or -ETIME (time) */
} ElfFile;

/* Initializes libelf's global state; elf_file_open() does it on first use, but a program that
 * inspects from several threads calls this once before starting them. */
int elf_file_library_init(void);

/* -ENOEXEC: not an ELF file (first bytes); -EBADMSG: ELF but the headers are corrupt;
 * -EBADFD: not a regular file; -EDQUOT/-ETIME: budget exhausted. budget NULL: the default bytes,
 * no time limit. */
int elf_file_open(int fd, const ElfBudget *budget, ElfFile **ret);
ElfFile *elf_file_free(ElfFile *f);
DEFINE_TRIVIAL_CLEANUP_FUNC(ElfFile *, elf_file_free);

/* Takes n bytes from the budget: 0, or -EDQUOT / -ETIME (also on every call after that). */
int elf_file_charge(ElfFile *f, uint64_t n);
/* "could not determine: read budget of 128 MiB exhausted" and the like for -EDQUOT and -ETIME
 * (the default budget's figures), NULL for anything else. */
const char *elf_budget_error_to_string(int error) _pure_;

/* Exactly n bytes at offset, or -EBADMSG if they are not all inside the file; charged. */
int elf_file_pread(ElfFile *f, uint64_t offset, void *buf, size_t n);

/* Go's ReadData: bytes at a virtual address from the first PT_LOAD whose file image contains
 * it; returns how many were read (at most n, fewer at the end of the segment's file image),
 * or -EBADMSG when the address is not backed by the file. */
ssize_t elf_file_read_vaddr(ElfFile *f, uint64_t addr, void *buf, size_t n);
/* File offset of a virtual address, and how many bytes from there the segment holds. */
int elf_file_vaddr_to_offset(ElfFile *f, uint64_t addr, uint64_t *ret_offset, uint64_t *ret_avail);

/* The first section of that name; -ENOENT if none (or no section headers). */
int elf_file_find_section(ElfFile *f, const char *name, GElf_Shdr *ret_shdr, Elf_Scn **ret_scn);
/* Section data, bounds-checked against the file and ELF_FILE_CHUNK_MAX. */
int elf_file_section_data(ElfFile *f, Elf_Scn *scn, Elf_Data **ret);
/* A raw chunk of the file converted to type (libelf owns the result). */
int elf_file_rawchunk(ElfFile *f, uint64_t offset, uint64_t size, Elf_Type type, Elf_Data **ret);

uint64_t elf_file_u64(const ElfFile *f, const uint8_t *p, size_t ptr_size);

/* The first PT_LOAD that is writable and not executable, as Go's DataStart picks it. */
const GElf_Phdr *elf_file_first_rw_load(const ElfFile *f);
