/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "elf-builder.h"
#include "elf-file.h"
#include "test-util.h"

/* A small executable: text segment, a data segment with 0x100 file bytes and 0x1000 of memory,
 * and (if sections) a .data section and a NOBITS .bss. */
static ElfBuilder *small_exe(unsigned bits, bool be, bool sections) {
        ElfBuilder *b = eb_new(bits, be, ET_EXEC, bits == 64 ? EM_X86_64 : EM_386);
        uint64_t text = eb_append(b, "TEXT", 4, 16);
        eb_add_load(b, PF_R | PF_X, 0, text + 4);
        uint8_t data[0x100];
        for (size_t i = 0; i < sizeof data; i++)
                data[i] = (uint8_t) i;
        uint64_t d = eb_append(b, data, sizeof data, 16);
        eb_add_phdr(b, PT_LOAD, PF_R | PF_W, d, eb_vaddr(b, d), sizeof data, 0x1000);
        if (sections) {
                eb_add_section(b, ".text", SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR, eb_vaddr(b, text), text,
                               4);
                eb_add_section(b, ".data", SHT_PROGBITS, SHF_ALLOC | SHF_WRITE, eb_vaddr(b, d), d,
                               sizeof data);
                eb_add_section(b, ".bss", SHT_NOBITS, SHF_ALLOC | SHF_WRITE, eb_vaddr(b, d + sizeof data),
                               d + sizeof data, 0x1000 - sizeof data);
        }
        return b;
}

/* Opens n bytes of p; returns elf_file_open()'s result, the file in *ret (caller frees). */
static int open_bytes(const void *p, size_t n, ElfFile **ret, int *ret_fd) {
        int fd = eb_memfd_from(p, n);
        ck_assert_int_ge(fd, 0);
        *ret = NULL;
        int r = elf_file_open(fd, NULL, ret);
        *ret_fd = fd;
        return r;
}

static int open_builder(ElfBuilder *b, ElfFile **ret, int *ret_fd) {
        size_t n;
        const uint8_t *p = eb_finish(b, &n);
        return open_bytes(p, n, ret, ret_fd);
}

static void close_file(ElfFile *f, int fd) {
        elf_file_free(f);
        close(fd);
}

/* elf_file_open() of the builder's image after patching an ELF header field. */
static int open_patched(ElfBuilder *b, const char *field, uint64_t value) {
        size_t n;
        const uint8_t *p = eb_finish(b, &n);
        size_t off = eb_ehdr_field(b, field);
        size_t width = strcmp(field, "e_phoff") == 0 || strcmp(field, "e_shoff") == 0 ? eb_ptr_size(b) : 2;
        uint64_t saved = eb_get_uint(b, off, width);
        eb_put_uint(b, off, value, width);
        ElfFile *f;
        int fd;
        int r = open_bytes(p, n, &f, &fd);
        if (r >= 0)
                ck_assert_ptr_nonnull(f);
        close_file(f, fd);
        eb_put_uint(b, off, saved, width);
        return r;
}

START_TEST(test_open_classes) {
        for (unsigned k = 0; k < 8; k++) {
                unsigned bits = k & 1 ? 64 : 32;
                bool be = k & 2, sections = k & 4;
                ElfBuilder *b = small_exe(bits, be, sections);
                ElfFile *f;
                int fd;
                ck_assert_int_eq(open_builder(b, &f, &fd), 0);
                ck_assert_uint_eq(f->elf_class, bits == 64 ? ELFCLASS64 : ELFCLASS32);
                ck_assert_uint_eq(f->byte_order, be ? ELFDATA2MSB : ELFDATA2LSB);
                ck_assert_uint_eq(f->type, ET_EXEC);
                ck_assert_uint_eq(f->machine, bits == 64 ? EM_X86_64 : EM_386);
                ck_assert_uint_eq(f->osabi, ELFOSABI_NONE);
                ck_assert_uint_eq(f->size, b->size);
                ck_assert_uint_eq(f->n_phdrs, 2);
                ck_assert_uint_eq(f->phdrs[1].p_type, PT_LOAD);
                ck_assert_uint_eq(f->phdrs[1].p_flags, PF_R | PF_W);
                ck_assert_uint_eq(f->phdrs[1].p_filesz, 0x100);
                ck_assert_uint_eq(f->phdrs[1].p_memsz, 0x1000);
                ck_assert(f->has_sections == sections);
                ck_assert_uint_eq(f->n_sections, sections ? 5 : 0);
                if (sections)
                        ck_assert_uint_eq(f->shstrndx, 4);
                close_file(f, fd);
                eb_free(b);
        }
}
END_TEST

START_TEST(test_not_elf) {
        ElfFile *f;
        int fd;
        ck_assert_int_eq(open_bytes("", 0, &f, &fd), -ENOEXEC);
        ck_assert_ptr_null(f);
        close(fd);
        ck_assert_int_eq(open_bytes("#!/bin/sh\necho hello world\n", 27, &f, &fd), -ENOEXEC);
        close(fd);
        ck_assert_int_eq(open_bytes("\x7f"
                                    "ELF",
                                    4, &f, &fd),
                         -ENOEXEC); /* shorter than e_ident */
        close(fd);
        ck_assert_int_eq(open_bytes("\x7f"
                                    "ELG\2\1\1\0\0\0\0\0\0\0\0\0",
                                    16, &f, &fd),
                         -ENOEXEC);
        close(fd);
        /* The ident alone, valid: too short for the header. */
        ck_assert_int_eq(open_bytes("\x7f"
                                    "ELF\2\1\1\0\0\0\0\0\0\0\0\0",
                                    16, &f, &fd),
                         -EBADMSG);
        close(fd);
}
END_TEST

START_TEST(test_bad_ident) {
        ElfBuilder *b = small_exe(64, false, true);
        size_t n;
        const uint8_t *img = eb_finish(b, &n);
        uint8_t *copy = malloc(n);
        ck_assert_ptr_nonnull(copy);
        static const struct {
                size_t index;
                uint8_t value;
        } bad[] = { { EI_CLASS, ELFCLASSNONE }, { EI_CLASS, 3 }, { EI_DATA, ELFDATANONE }, { EI_DATA, 3 } };
        for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
                memcpy(copy, img, n);
                copy[bad[i].index] = bad[i].value;
                ElfFile *f;
                int fd;
                ck_assert_int_eq(open_bytes(copy, n, &f, &fd), -EBADMSG);
                close(fd);
        }
        free(copy);
        eb_free(b);
}
END_TEST

START_TEST(test_hostile_header_fields) {
        for (unsigned bits = 32; bits <= 64; bits += 32) {
                ElfBuilder *b = small_exe(bits, bits == 32, true);
                size_t n;
                eb_finish(b, &n);
                uint64_t phoff = eb_phoff(b), shoff = eb_shoff(b);

                /* Program headers. */
                ck_assert_int_eq(open_patched(b, "e_phoff", n), -EBADMSG);
                ck_assert_int_eq(open_patched(b, "e_phoff", n + 4096), -EBADMSG);
                ck_assert_int_eq(open_patched(b, "e_phoff", n - 8), -EBADMSG);
                ck_assert_int_eq(open_patched(b, "e_phoff", bits == 64 ? UINT64_MAX : UINT32_MAX), -EBADMSG);
                ck_assert_int_eq(open_patched(b, "e_phoff", phoff), 0);
                ck_assert_int_eq(open_patched(b, "e_phnum", 0xffff), -EBADMSG); /* PN_XNUM */
                ck_assert_int_eq(open_patched(b, "e_phnum", 0xfffe), -EBADMSG);
                ck_assert_int_eq(open_patched(b, "e_phnum", 2), 0);
                ck_assert_int_eq(open_patched(b, "e_phentsize", 0), -EBADMSG);
                ck_assert_int_eq(open_patched(b, "e_phentsize", bits == 64 ? 32 : 56), -EBADMSG);
                ck_assert_int_eq(open_patched(b, "e_phentsize", bits == 64 ? 56 : 32), 0);

                /* Section headers. */
                ck_assert_int_eq(open_patched(b, "e_shnum", 0xffff), -EBADMSG);
                ck_assert_int_eq(open_patched(b, "e_shnum", 0x1000), -EBADMSG);
                ck_assert_int_eq(open_patched(b, "e_shnum", 6), -EBADMSG); /* one past the end */
                ck_assert_int_eq(open_patched(b, "e_shoff", n), -EBADMSG);
                ck_assert_int_eq(open_patched(b, "e_shoff", n + 1), -EBADMSG);
                ck_assert_int_eq(open_patched(b, "e_shoff", bits == 64 ? UINT64_MAX : UINT32_MAX), -EBADMSG);
                ck_assert_int_eq(open_patched(b, "e_shoff", shoff), 0);
                ck_assert_int_eq(open_patched(b, "e_shentsize", 0), -EBADMSG);
                ck_assert_int_eq(open_patched(b, "e_shentsize", 1), -EBADMSG);
                ck_assert_int_eq(open_patched(b, "e_shnum", 5), 0);
                eb_free(b);
        }
}
END_TEST

START_TEST(test_extended_section_count) {
        /* e_shnum == 0 with section headers: the count is section 0's sh_size. */
        ElfBuilder *b = small_exe(64, false, true);
        eb_finish(b, NULL);
        size_t size0 = eb_shdr_field(b, 0, "sh_size");
        eb_put_uint(b, size0, 5, 8);
        ck_assert_int_eq(open_patched(b, "e_shnum", 0), 0);
        eb_put_uint(b, size0, UINT64_C(1) << 40, 8);
        ck_assert_int_eq(open_patched(b, "e_shnum", 0), -EBADMSG);
        eb_put_uint(b, size0, ELF_FILE_SECTIONS_MAX + 1, 8);
        ck_assert_int_eq(open_patched(b, "e_shnum", 0), -EBADMSG);
        eb_put_uint(b, size0, 6, 8);
        ck_assert_int_eq(open_patched(b, "e_shnum", 0), -EBADMSG);
        eb_free(b);
}
END_TEST

/* Opens with one section header field patched and returns has_sections. */
static bool has_sections_after(ElfBuilder *b, size_t section, const char *field, uint64_t value,
                               size_t width) {
        size_t n;
        const uint8_t *img = eb_finish(b, &n);
        uint8_t *copy = malloc(n);
        ck_assert_ptr_nonnull(copy);
        memcpy(copy, img, n);
        size_t off = eb_shdr_field(b, section, field);
        for (size_t i = 0; i < width; i++)
                copy[off + (b->big_endian ? width - 1 - i : i)] = (uint8_t) (value >> (8 * i));
        ElfFile *f;
        int fd;
        ck_assert_int_eq(open_bytes(copy, n, &f, &fd), 0);
        bool has = f->has_sections;
        GElf_Shdr sh;
        if (!has)
                ck_assert_int_eq(elf_file_find_section(f, ".data", &sh, NULL), -ENOENT);
        close_file(f, fd);
        free(copy);
        return has;
}

START_TEST(test_unusable_section_headers) {
        for (unsigned bits = 32; bits <= 64; bits += 32) {
                ElfBuilder *b = small_exe(bits, false, true);
                size_t w = eb_ptr_size(b);
                ck_assert(has_sections_after(b, 4, "sh_type", SHT_STRTAB, 4));
                /* .shstrtab that is not a string table, or runs past the end of the file. */
                ck_assert(!has_sections_after(b, 4, "sh_type", SHT_PROGBITS, 4));
                ck_assert(!has_sections_after(b, 4, "sh_size", b->size, w));
                ck_assert(!has_sections_after(b, 4, "sh_size", bits == 64 ? UINT64_MAX : UINT32_MAX, w));
                ck_assert(!has_sections_after(b, 4, "sh_offset", b->size + 1, w));
                ck_assert(!has_sections_after(b, 4, "sh_size", ELF_FILE_CHUNK_MAX + 1ull, w));
                eb_free(b);
        }

        /* e_shstrndx out of range. */
        ElfBuilder *b = small_exe(64, false, true);
        size_t n;
        const uint8_t *img = eb_finish(b, &n);
        eb_put_uint(b, eb_ehdr_field(b, "e_shstrndx"), 77, 2);
        ElfFile *f;
        int fd;
        ck_assert_int_eq(open_bytes(img, n, &f, &fd), 0);
        ck_assert(!f->has_sections);
        close_file(f, fd);
        eb_free(b);
}
END_TEST

START_TEST(test_pread) {
        ElfBuilder *b = small_exe(64, false, false);
        ElfFile *f;
        int fd;
        ck_assert_int_eq(open_builder(b, &f, &fd), 0);
        uint8_t buf[16];
        ck_assert_int_eq(elf_file_pread(f, 0, buf, 4), 0);
        ck_assert_mem_eq(buf,
                         "\x7f"
                         "ELF",
                         4);
        ck_assert_int_eq(elf_file_pread(f, f->size - 4, buf, 4), 0);
        ck_assert_int_eq(elf_file_pread(f, f->size, buf, 0), 0);
        ck_assert_int_eq(elf_file_pread(f, f->size - 3, buf, 4), -EBADMSG);
        ck_assert_int_eq(elf_file_pread(f, f->size + 1, buf, 0), -EBADMSG);
        ck_assert_int_eq(elf_file_pread(f, UINT64_MAX, buf, 1), -EBADMSG);
        ck_assert_int_eq(elf_file_pread(f, 1, buf, SIZE_MAX), -EBADMSG);
        close_file(f, fd);
        eb_free(b);
}
END_TEST

START_TEST(test_pread_file_shrinks) {
        /* A file truncated after opening gives an error, not a crash. */
        ElfBuilder *b = small_exe(64, false, true);
        ElfFile *f;
        int fd;
        ck_assert_int_eq(open_builder(b, &f, &fd), 0);
        ck_assert_int_eq(ftruncate(fd, 64), 0);
        uint8_t buf[16];
        ck_assert_int_eq(elf_file_pread(f, 100, buf, 16), -EBADMSG);
        uint64_t vaddr = f->phdrs[1].p_vaddr;
        ck_assert_int_eq(elf_file_read_vaddr(f, vaddr, buf, 16), -EBADMSG);
        GElf_Shdr sh;
        Elf_Scn *scn = NULL;
        /* The section table was read lazily; either answer is fine, as long as nothing breaks. */
        if (elf_file_find_section(f, ".data", &sh, &scn) == 0) {
                Elf_Data *d;
                (void) elf_file_section_data(f, scn, &d);
        }
        close_file(f, fd);
        eb_free(b);
}
END_TEST

START_TEST(test_read_vaddr) {
        for (unsigned bits = 32; bits <= 64; bits += 32) {
                ElfBuilder *b = small_exe(bits, bits == 64, false);
                ElfFile *f;
                int fd;
                ck_assert_int_eq(open_builder(b, &f, &fd), 0);
                uint64_t v = f->phdrs[1].p_vaddr, off, avail;
                uint8_t buf[0x200];

                ck_assert_int_eq(elf_file_read_vaddr(f, v, buf, 4), 4);
                ck_assert_mem_eq(buf, "\x00\x01\x02\x03", 4);
                ck_assert_int_eq(elf_file_read_vaddr(f, v + 0x10, buf, 2), 2);
                ck_assert_mem_eq(buf, "\x10\x11", 2);
                /* Short at the end of the file image. */
                ck_assert_int_eq(elf_file_read_vaddr(f, v + 0xfe, buf, 16), 2);
                ck_assert_mem_eq(buf, "\xfe\xff", 2);
                ck_assert_int_eq(elf_file_read_vaddr(f, v, buf, sizeof buf), 0x100);
                /* bss and unmapped addresses. */
                ck_assert_int_eq(elf_file_read_vaddr(f, v + 0x100, buf, 1), -EBADMSG);
                ck_assert_int_eq(elf_file_read_vaddr(f, v + 0xfff, buf, 1), -EBADMSG);
                ck_assert_int_eq(elf_file_read_vaddr(f, v + 0x100000, buf, 1), -EBADMSG);
                ck_assert_int_eq(elf_file_read_vaddr(f, 0, buf, 1), -EBADMSG);
                ck_assert_int_eq(elf_file_read_vaddr(f, UINT64_MAX, buf, 1), -EBADMSG);

                ck_assert_int_eq(elf_file_vaddr_to_offset(f, v + 0x20, &off, &avail), 0);
                ck_assert_uint_eq(off, f->phdrs[1].p_offset + 0x20);
                ck_assert_uint_eq(avail, 0xe0);
                /* The text segment starts at file offset 0. */
                ck_assert_int_eq(elf_file_vaddr_to_offset(f, f->phdrs[0].p_vaddr + 1, &off, &avail), 0);
                ck_assert_uint_eq(off, 1);
                ck_assert_uint_eq(avail, f->phdrs[0].p_filesz - 1);
                close_file(f, fd);
                eb_free(b);
        }
}
END_TEST

START_TEST(test_read_vaddr_lying_segments) {
        /* A segment claiming more than the file has: only what the file has. */
        ElfBuilder *b = eb_new(64, false, ET_EXEC, EM_X86_64);
        uint64_t d = eb_append(b, "0123456789abcdef", 16, 16);
        eb_add_phdr(b, PT_LOAD, PF_R | PF_W, d, 0x600000, UINT64_C(1) << 32, UINT64_C(1) << 32);
        /* A segment starting past the end of the file. */
        eb_add_phdr(b, PT_LOAD, PF_R | PF_W, UINT64_C(1) << 40, 0x800000, 0x1000, 0x1000);
        /* A segment whose vaddr range wraps. */
        eb_add_phdr(b, PT_LOAD, PF_R, d, UINT64_MAX - 4, 0x1000, 0x1000);
        ElfFile *f;
        int fd;
        ck_assert_int_eq(open_builder(b, &f, &fd), 0);
        uint8_t buf[64];
        uint64_t off, avail;
        ck_assert_int_eq(elf_file_vaddr_to_offset(f, 0x600000, &off, &avail), 0);
        ck_assert_uint_eq(off, d);
        ck_assert_uint_eq(avail, f->size - d);
        ck_assert_int_eq(elf_file_read_vaddr(f, 0x600000 + 4, buf, sizeof buf), (ssize_t) (f->size - d - 4));
        ck_assert_mem_eq(buf, "456789abcdef", 12);
        ck_assert_int_eq(elf_file_read_vaddr(f, 0x600000 + (UINT64_C(1) << 31), buf, 1), -EBADMSG);
        ck_assert_int_eq(elf_file_read_vaddr(f, 0x800000, buf, 1), -EBADMSG);
        ck_assert_int_eq(elf_file_read_vaddr(f, UINT64_MAX - 2, buf, 2), 2);
        ck_assert_mem_eq(buf, "23", 2);
        close_file(f, fd);
        eb_free(b);
}
END_TEST

START_TEST(test_sections) {
        ElfBuilder *b = small_exe(64, true, true);
        ElfFile *f;
        int fd;
        ck_assert_int_eq(open_builder(b, &f, &fd), 0);
        GElf_Shdr sh;
        Elf_Scn *scn;
        Elf_Data *d;
        ck_assert_int_eq(elf_file_find_section(f, ".data", &sh, &scn), 0);
        ck_assert_uint_eq(sh.sh_type, SHT_PROGBITS);
        ck_assert_uint_eq(sh.sh_size, 0x100);
        ck_assert_int_eq(elf_file_section_data(f, scn, &d), 0);
        ck_assert_uint_eq(d->d_size, 0x100);
        ck_assert_int_eq(((uint8_t *) d->d_buf)[0x42], 0x42);
        ck_assert_int_eq(elf_file_find_section(f, ".bss", &sh, &scn), 0);
        ck_assert_int_eq(elf_file_section_data(f, scn, &d), -ENODATA);
        ck_assert_int_eq(elf_file_find_section(f, ".text", NULL, NULL), 0);
        ck_assert_int_eq(elf_file_find_section(f, ".nothing", &sh, &scn), -ENOENT);
        ck_assert_int_eq(elf_file_find_section(f, "", &sh, &scn), -ENOENT); /* section 0 is not searched */
        close_file(f, fd);
        eb_free(b);

        /* No section headers at all. */
        b = small_exe(64, false, false);
        ck_assert_int_eq(open_builder(b, &f, &fd), 0);
        ck_assert_int_eq(elf_file_find_section(f, ".data", &sh, &scn), -ENOENT);
        close_file(f, fd);
        eb_free(b);
}
END_TEST

START_TEST(test_section_data_bounds) {
        ElfBuilder *b = small_exe(64, false, true);
        size_t n;
        const uint8_t *img = eb_finish(b, &n);
        size_t size_field = eb_shdr_field(b, 2, "sh_size"), off_field = eb_shdr_field(b, 2, "sh_offset");
        static const struct {
                bool size;
                uint64_t value;
                int expected;
        } cases[] = {
                { true, 0x100, 0 },
                { true, UINT64_C(1) << 32, -E2BIG },
                { true, ELF_FILE_CHUNK_MAX + 1ull, -E2BIG },
                { true, 0x10000, -EBADMSG },
                { false, UINT64_C(1) << 40, -EBADMSG },
                { false, 0, 0 },
        };
        for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
                eb_put_uint(b, size_field, 0x100, 8);
                eb_put_uint(b, off_field, b->phdrs[1].offset, 8);
                eb_put_uint(b, cases[i].size ? size_field : off_field, cases[i].value, 8);
                ElfFile *f;
                int fd;
                ck_assert_int_eq(open_bytes(img, n, &f, &fd), 0);
                Elf_Scn *scn;
                Elf_Data *d;
                ck_assert_int_eq(elf_file_find_section(f, ".data", NULL, &scn), 0);
                ck_assert_msg(elf_file_section_data(f, scn, &d) == cases[i].expected, "case %zu", i);
                close_file(f, fd);
        }
        eb_free(b);
}
END_TEST

START_TEST(test_rawchunk) {
        ElfBuilder *b = small_exe(64, false, false);
        ElfFile *f;
        int fd;
        ck_assert_int_eq(open_builder(b, &f, &fd), 0);
        Elf_Data *d;
        uint64_t off = f->phdrs[1].p_offset;
        ck_assert_int_eq(elf_file_rawchunk(f, off, 0x100, ELF_T_BYTE, &d), 0);
        ck_assert_uint_eq(d->d_size, 0x100);
        ck_assert_int_eq(((uint8_t *) d->d_buf)[0xff], 0xff);
        ck_assert_int_eq(elf_file_rawchunk(f, off, 0, ELF_T_BYTE, &d), -EBADMSG);
        ck_assert_int_eq(elf_file_rawchunk(f, off, 0x101, ELF_T_BYTE, &d), -EBADMSG);
        ck_assert_int_eq(elf_file_rawchunk(f, f->size + 1, 1, ELF_T_BYTE, &d), -EBADMSG);
        ck_assert_int_eq(elf_file_rawchunk(f, 0, ELF_FILE_CHUNK_MAX + 1ull, ELF_T_BYTE, &d), -E2BIG);
        ck_assert_int_eq(elf_file_rawchunk(f, 1, UINT64_MAX, ELF_T_BYTE, &d), -E2BIG);
        close_file(f, fd);
        eb_free(b);
}
END_TEST

START_TEST(test_u64_and_first_rw) {
        ElfFile le = { .byte_order = ELFDATA2LSB }, be = { .byte_order = ELFDATA2MSB };
        const uint8_t p[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
        ck_assert_uint_eq(elf_file_u64(&le, p, 4), 0x04030201);
        ck_assert_uint_eq(elf_file_u64(&be, p, 4), 0x01020304);
        ck_assert_uint_eq(elf_file_u64(&le, p, 8), UINT64_C(0x0807060504030201));
        ck_assert_uint_eq(elf_file_u64(&be, p, 8), UINT64_C(0x0102030405060708));
        ck_assert_uint_eq(elf_file_u64(&be, p, 2), 0x0102);

        GElf_Phdr ph[4] = {
                { .p_type = PT_LOAD, .p_flags = PF_R | PF_X },
                { .p_type = PT_LOAD, .p_flags = PF_R | PF_W | PF_X },
                { .p_type = PT_DYNAMIC, .p_flags = PF_R | PF_W },
                { .p_type = PT_LOAD, .p_flags = PF_R | PF_W, .p_vaddr = 42 },
        };
        ElfFile f = { .phdrs = ph, .n_phdrs = 4 };
        ck_assert_ptr_eq(elf_file_first_rw_load(&f), &ph[3]);
        f.n_phdrs = 3;
        ck_assert_ptr_null(elf_file_first_rw_load(&f));
}
END_TEST

START_TEST(test_not_regular_files) {
        /* A FIFO must not block and is not a file we read. */
        char dir[] = "/tmp/test-elf-file-XXXXXX";
        ck_assert_ptr_nonnull(mkdtemp(dir));
        char path[sizeof dir + 16];
        snprintf(path, sizeof path, "%s/fifo", dir);
        ck_assert_int_eq(mkfifo(path, 0600), 0);
        int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
        ck_assert_int_ge(fd, 0);
        ElfFile *f = NULL;
        ck_assert_int_eq(elf_file_open(fd, NULL, &f), -EBADFD);
        ck_assert_ptr_null(f);
        close(fd);
        unlink(path);

        fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        ck_assert_int_ge(fd, 0);
        ck_assert_int_eq(elf_file_open(fd, NULL, &f), -EBADFD);
        close(fd);
        rmdir(dir);

        fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
        ck_assert_int_ge(fd, 0);
        ck_assert_int_eq(elf_file_open(fd, NULL, &f), -EBADFD);
        close(fd);

        int pipefd[2];
        ck_assert_int_eq(pipe2(pipefd, O_CLOEXEC), 0);
        ck_assert_int_eq(elf_file_open(pipefd[0], NULL, &f), -EBADFD);
        close(pipefd[0]);
        close(pipefd[1]);

        ck_assert_int_eq(elf_file_open(-1, NULL, &f), -EBADF);
        ck_assert_ptr_null(f);
        ck_assert_ptr_null(elf_file_free(NULL));
}
END_TEST

static Suite *elf_file_suite(void) {
        Suite *s = suite_create("elf-file");
        TCase *tc = tcase_create("open");
        tcase_add_test(tc, test_open_classes);
        tcase_add_test(tc, test_not_elf);
        tcase_add_test(tc, test_bad_ident);
        tcase_add_test(tc, test_hostile_header_fields);
        tcase_add_test(tc, test_extended_section_count);
        tcase_add_test(tc, test_unusable_section_headers);
        tcase_add_test(tc, test_not_regular_files);
        suite_add_tcase(s, tc);
        tc = tcase_create("access");
        tcase_add_test(tc, test_pread);
        tcase_add_test(tc, test_pread_file_shrinks);
        tcase_add_test(tc, test_read_vaddr);
        tcase_add_test(tc, test_read_vaddr_lying_segments);
        tcase_add_test(tc, test_sections);
        tcase_add_test(tc, test_section_data_bounds);
        tcase_add_test(tc, test_rawchunk);
        tcase_add_test(tc, test_u64_and_first_rw);
        suite_add_tcase(s, tc);
        return s;
}

DEFINE_TEST_MAIN(elf_file_suite)
