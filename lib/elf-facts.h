/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "elf-file.h"

#define ELF_FACTS_NEEDED_MAX  4096u
#define ELF_FACTS_VERNEED_MAX 4096u

typedef enum ElfKind {
        ELF_KIND_EXEC,        /* ET_EXEC */
        ELF_KIND_PIE,         /* ET_DYN with an interpreter */
        ELF_KIND_STATIC_PIE,  /* ET_DYN, no interpreter, DF_1_PIE */
        ELF_KIND_SHARED,      /* ET_DYN, no interpreter: a shared object (c-shared) */
        ELF_KIND_RELOCATABLE, /* ET_REL */
        ELF_KIND_CORE,
        ELF_KIND_OTHER,
        _ELF_KIND_MAX,
} ElfKind;

typedef struct ElfNeeded {
        char *name;
        char *glibc_version; /* the highest GLIBC_x.y required from this library, or NULL */
} ElfNeeded;

typedef struct ElfFacts {
        uint8_t elf_class; /* 32 or 64 */
        bool big_endian;
        uint8_t osabi;
        uint16_t machine;
        ElfKind kind;
        bool dynamic; /* has PT_DYNAMIC */
        bool has_section_headers;
        char *interpreter;
        ElfNeeded *needed;
        size_t n_needed;
        char *rpath;
        char *runpath;
        char *soname;
        char *glibc_version; /* the highest GLIBC_x.y over all libraries, or NULL */
        char *go_build_id;
        char *gnu_build_id;     /* hex */
        uint32_t pclntab_magic; /* 0 if no valid .gopclntab header */
        bool has_go_sections;
        bool has_runtime_symbols;
} ElfFacts;

/* What elf_facts_read() should collect; the Go markers are cheap, the dynamic section and
 * symbol-version tables less so, the symbol table least. */
typedef enum ElfFactsFlags {
        ELF_FACTS_GO_MARKERS = 1 << 0, /* notes, Go sections, pclntab */
        ELF_FACTS_DYNAMIC = 1 << 1,    /* interpreter, DT_NEEDED, RPATH, versions */
        ELF_FACTS_SYMBOLS = 1 << 2,    /* look for runtime.* in .symtab */
} ElfFactsFlags;

int elf_facts_read(ElfFile *f, ElfFactsFlags flags, ElfFacts *ret);
void elf_facts_done(ElfFacts *facts);

const char *elf_kind_to_string(ElfKind k) _pure_;
/* A short name of the ELF machine ("x86-64", "aarch64", "s390", "riscv"; not uname -m, which
 * also depends on class and byte order: see elf_machine_to_goarch()), or NULL. */
const char *elf_machine_to_string(uint16_t machine) _pure_;
/* The GOARCH a Go toolchain would use for this machine/class/byte order, or NULL. */
const char *elf_machine_to_goarch(uint16_t machine, uint8_t elf_class, bool big_endian) _pure_;

/* Compares "GLIBC_2.34" / "2.34" style dotted versions numerically. */
int glibc_version_compare(const char *a, const char *b) _pure_;
