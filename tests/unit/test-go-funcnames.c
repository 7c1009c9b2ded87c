/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The function-name table of a Go binary's pclntab: found by exact name in each format, across
 * the search's chunks, and hostile headers refused without reading past them. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "elf-builder.h"
#include "go-funcnames.h"
#include "test-util.h"

#define MAGIC_1_2  0xfffffffbu
#define MAGIC_1_16 0xfffffffau
#define MAGIC_1_18 0xfffffff0u
#define MAGIC_1_20 0xfffffff1u

typedef struct Table {
        unsigned bits;
        bool big_endian;
        uint32_t magic;
        uint8_t ptr; /* 0: bits / 8 */
        const char *names;
        size_t names_len;
        /* Overrides of the header's offsets, relative to the pclntab (0: as they are). */
        uint64_t funcname_offset, cu_offset;
        uint64_t section_size; /* 0: the table's */
        uint32_t section_type; /* 0: SHT_PROGBITS */
        const char *section;   /* NULL: .gopclntab */
        uint64_t file_size;    /* 0: the image's; more: sparse */
} Table;

static int table_file(const Table *t) {
        ElfBuilder *b = eb_new(t->bits, t->big_endian, ET_EXEC, t->bits == 64 ? EM_X86_64 : EM_386);
        size_t ptr = t->ptr ?: t->bits / 8, words = t->magic == MAGIC_1_16 ? 7 : 8;
        size_t word = t->magic == MAGIC_1_16 ? 2 : 3;
        uint64_t start = eb_append_zeros(b, 8 + words * ptr, 8);
        eb_put_uint(b, start, t->magic, 4);
        uint8_t quantum_ptr[2] = { 1, (uint8_t) ptr };
        eb_put(b, start + 6, quantum_ptr, 2);
        uint64_t names = eb_append(b, t->names, t->names_len, 1) - start;
        eb_append_zeros(b, 16, 1); /* the tables after it */
        uint64_t size = names + t->names_len + 16;
        if (t->magic != MAGIC_1_2 && ptr <= 8) {
                eb_put_uint(b, start + 8 + word * ptr, t->funcname_offset ?: names, ptr);
                eb_put_uint(b, start + 8 + (word + 1) * ptr, t->cu_offset ?: names + t->names_len, ptr);
        }
        eb_add_section(b, t->section ?: ".gopclntab", t->section_type ?: SHT_PROGBITS, SHF_ALLOC, 0x400000,
                       start, t->section_size ?: size);
        int fd = t->file_size ? eb_memfd_sparse(b, t->file_size) : eb_memfd(b);
        ck_assert_int_ge(fd, 0);
        eb_free(b);
        return fd;
}

static const char *const wanted[] = { "os/signal.Notify", "os/signal.Ignore", "signal.Notify",
                                      "os/signal.Notify.func" };

/* go_funcnames_find() over the table, with found[] all true first (untouched on failure). */
static int find(const Table *t, const ElfBudget *budget, bool found[static 4]) {
        int fd = table_file(t);
        ElfFile *f = NULL;
        ck_assert_int_eq(elf_file_open(fd, budget, &f), 0);
        for (size_t i = 0; i < 4; i++)
                found[i] = true;
        int r = go_funcnames_find(f, wanted, ELEMENTSOF(wanted), found);
        elf_file_free(f);
        close(fd);
        return r;
}

#define NAMES(s) .names = (s), .names_len = sizeof(s) - 1

START_TEST(test_formats) {
        static const char names[] = "main.main\0os/signal.Notify.func1\0os/signal.Notify\0runtime.main\0";
        static const Table tables[] = {
                { .bits = 64, .magic = MAGIC_1_18, NAMES(names) },
                { .bits = 64, .magic = MAGIC_1_20, NAMES(names) },
                { .bits = 64, .magic = MAGIC_1_16, NAMES(names) },
                { .bits = 32, .magic = MAGIC_1_20, NAMES(names) },
                { .bits = 32, .big_endian = true, .magic = MAGIC_1_18, NAMES(names) },
                { .bits = 64, .magic = MAGIC_1_20, NAMES(names), .section = ".data.rel.ro.gopclntab" },
        };
        for (size_t i = 0; i < ELEMENTSOF(tables); i++) {
                bool found[4];
                ck_assert_int_eq(find(&tables[i], NULL, found), 0);
                ck_assert_msg(found[0] && !found[1] && !found[2] && !found[3], "table %zu: %d %d %d %d", i,
                              found[0], found[1], found[2], found[3]);
        }

        /* At the table's start and end; a name cut off at the end is not one. */
        bool found[4];
        ck_assert_int_eq(find(&(Table){ .bits = 64,
                                        .magic = MAGIC_1_20,
                                        NAMES("os/signal.Ignore\0os/signal.Notify\0") },
                              NULL, found),
                         0);
        ck_assert(found[0] && found[1] && !found[2] && !found[3]);
        ck_assert_int_eq(
                find(&(Table){ .bits = 64, .magic = MAGIC_1_20, NAMES("a\0os/signal.Notify") }, NULL, found),
                0);
        ck_assert(!found[0] && !found[1]);
        /* Only inside the function-name table: a name in the table after it does not count. */
        ck_assert_int_eq(find(&(Table){ .bits = 64,
                                        .magic = MAGIC_1_20,
                                        NAMES("a\0os/signal.Notify\0"),
                                        .cu_offset = 8 + 8 * 8 + 2 },
                              NULL, found),
                         0);
        ck_assert(!found[0]);
        /* Before Go 1.16 the names lie among the function data: the whole section. */
        ck_assert_int_eq(
                find(&(Table){ .bits = 64, .magic = MAGIC_1_2, NAMES("\x01\x02os/signal.Ignore\0") }, NULL,
                     found),
                0);
        ck_assert(!found[0] && found[1]);
        /* An empty table. */
        ck_assert_int_eq(find(&(Table){ .bits = 64, .magic = MAGIC_1_20, NAMES("") }, NULL, found), 0);
        ck_assert(!found[0] && !found[1] && !found[2] && !found[3]);
}
END_TEST

/* A name across the boundary of two chunks of the search is found, wherever it is cut. */
START_TEST(test_chunks) {
        const size_t chunk = 256 * 1024;
        for (size_t cut = 0; cut <= 18; cut += 3) {
                size_t len = chunk + 64;
                char *names = calloc(1, len);
                ck_assert_ptr_nonnull(names);
                /* One long name, then the one looked for, starting cut bytes before the boundary
                 * (the search counts a NUL before the table's first byte). */
                size_t at = chunk - cut;
                memset(names, 'a', at - 1);
                memcpy(names + at, "os/signal.Notify", 16);
                bool found[4];
                ck_assert_int_eq(
                        find(&(Table){ .bits = 64, .magic = MAGIC_1_20, .names = names, .names_len = len },
                             NULL, found),
                        0);
                ck_assert_msg(found[0] && !found[1], "cut %zu", cut);
                free(names);
        }
}
END_TEST

START_TEST(test_hostile) {
        static const char names[] = "os/signal.Notify\0";
        bool found[4];
        /* The offsets out of order, or past the section. */
        ck_assert_int_eq(find(&(Table){ .bits = 64,
                                        .magic = MAGIC_1_20,
                                        NAMES(names),
                                        .funcname_offset = 100,
                                        .cu_offset = 90 },
                              NULL, found),
                         -EBADMSG);
        ck_assert_int_eq(find(&(Table){ .bits = 64,
                                        .magic = MAGIC_1_20,
                                        NAMES(names),
                                        .cu_offset = UINT64_C(1) << 40 },
                              NULL, found),
                         -EBADMSG);
        ck_assert_int_eq(find(&(Table){ .bits = 64,
                                        .magic = MAGIC_1_20,
                                        NAMES(names),
                                        .funcname_offset = UINT64_MAX,
                                        .cu_offset = UINT64_MAX },
                              NULL, found),
                         -EBADMSG);
        ck_assert(found[3]); /* untouched: "os/signal.Notify.func" is not there */
        /* A section past the end of the file, too small for a header, or without bytes. */
        ck_assert_int_eq(
                find(&(Table){ .bits = 64, .magic = MAGIC_1_20, NAMES(names), .section_size = 1u << 30 },
                     NULL, found),
                -EBADMSG);
        ck_assert_int_eq(find(&(Table){ .bits = 64, .magic = MAGIC_1_20, NAMES(names), .section_size = 7 },
                              NULL, found),
                         -EBADMSG);
        ck_assert_int_eq(find(&(Table){ .bits = 64, .magic = MAGIC_1_20, NAMES(names), .section_size = 12 },
                              NULL, found),
                         -EBADMSG);
        ck_assert_int_eq(
                find(&(Table){ .bits = 64, .magic = MAGIC_1_20, NAMES(names), .section_type = SHT_NOBITS },
                     NULL, found),
                -EBADMSG);
        /* Not a format known: an unknown magic, a pointer size that is neither 4 nor 8. */
        ck_assert_int_eq(find(&(Table){ .bits = 64, .magic = 0xfffffff2u, NAMES(names) }, NULL, found),
                         -ENOENT);
        ck_assert_int_eq(
                find(&(Table){ .bits = 64, .magic = MAGIC_1_20, .ptr = 5, NAMES(names) }, NULL, found),
                -ENOENT);
        /* No pclntab section at all. */
        ck_assert_int_eq(find(&(Table){ .bits = 64, .magic = MAGIC_1_20, NAMES(names), .section = ".text" },
                              NULL, found),
                         -ENOENT);
        /* A table larger than the search reads: refused before reading (a sparse file). */
        uint64_t big = GO_FUNCNAMES_SEARCH_MAX + 1;
        ck_assert_int_eq(find(&(Table){ .bits = 64,
                                        .magic = MAGIC_1_20,
                                        NAMES(names),
                                        .cu_offset = 8 + 8 * 8 + big,
                                        .section_size = 8 + 8 * 8 + big,
                                        .file_size = 2 * big },
                              NULL, found),
                         -E2BIG);
        /* The read budget: a table of 1 MiB under a budget of 256 KiB. */
        size_t len = 1024 * 1024;
        char *many = calloc(1, len);
        ck_assert_ptr_nonnull(many);
        ck_assert_int_eq(find(&(Table){ .bits = 64, .magic = MAGIC_1_20, .names = many, .names_len = len },
                              &(ElfBudget){ .bytes = 256 * 1024 }, found),
                         -EDQUOT);
        free(many);

        /* The names asked for: none empty or longer than GO_FUNCNAME_MAX. */
        int fd = table_file(&(Table){ .bits = 64, .magic = MAGIC_1_20, NAMES(names) });
        ElfFile *f = NULL;
        ck_assert_int_eq(elf_file_open(fd, NULL, &f), 0);
        char longname[GO_FUNCNAME_MAX + 2];
        memset(longname, 'x', sizeof longname - 1);
        longname[sizeof longname - 1] = 0;
        ck_assert_int_eq(go_funcnames_find(f, (const char *const[]){ "" }, 1, found), -EINVAL);
        ck_assert_int_eq(go_funcnames_find(f, (const char *const[]){ longname }, 1, found), -EINVAL);
        longname[GO_FUNCNAME_MAX] = 0;
        ck_assert_int_eq(go_funcnames_find(f, (const char *const[]){ longname }, 1, found), 0);
        ck_assert(!found[0]);
        elf_file_free(f);
        close(fd);
}
END_TEST

static Suite *go_funcnames_suite(void) {
        Suite *s = suite_create("go-funcnames");
        TCase *tc = tcase_create("core");
        tcase_add_test(tc, test_formats);
        tcase_add_test(tc, test_chunks);
        tcase_add_test(tc, test_hostile);
        suite_add_tcase(s, tc);
        return s;
}

DEFINE_TEST_MAIN(go_funcnames_suite)
