/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "elf-builder.h"
#include "elf-facts.h"
#include "test-util.h"

#define ALL_FACTS (ELF_FACTS_GO_MARKERS | ELF_FACTS_DYNAMIC | ELF_FACTS_SYMBOLS)

/* elf_facts_read() on the finished image; frees the builder. */
static int read_facts(ElfBuilder *b, ElfFactsFlags flags, ElfFacts *ret) {
        int fd = eb_memfd(b);
        ck_assert_int_ge(fd, 0);
        ElfFile *f = NULL;
        ck_assert_int_eq(elf_file_open(fd, NULL, &f), 0);
        *ret = (ElfFacts){};
        int r = elf_facts_read(f, flags, ret);
        elf_file_free(f);
        close(fd);
        eb_free(b);
        return r;
}

static ElfBuilder *base_image(unsigned bits, bool be, uint16_t type) {
        ElfBuilder *b =
                eb_new(bits, be, type, bits == 64 ? (be ? EM_S390 : EM_X86_64) : (be ? EM_MIPS : EM_386));
        uint64_t t = eb_append(b, "\xc3", 1, 16);
        eb_add_load(b, PF_R | PF_X, 0, t + 1);
        return b;
}

static const EbVerneed verneed[] = {
        { "libc.so.6", { "GLIBC_2.2.5", "GLIBC_2.34", "GLIBC_PRIVATE", "GLIBC_2.4", NULL } },
        { "libpthread.so.0", { "GLIBC_2.3.2", "GLIBC_2.2.5", NULL } },
        { "libfoo.so.1", { "FOO_1.0", NULL } },
        { "libnotneeded.so.1", { "GLIBC_2.17", NULL } },
};

static const EbDynamic dynamic = {
        .needed = { "libpthread.so.0", "libc.so.6", "libfoo.so.1", "libbar.so.2", NULL },
        .verneed = verneed,
        .n_verneed = 4,
        .rpath = "/opt/rpath",
        .runpath = "$ORIGIN/../lib",
        .soname = "libgoguard-test.so.1",
};

START_TEST(test_dynamic_and_versions) {
        for (unsigned k = 0; k < 8; k++) {
                unsigned bits = k & 1 ? 64 : 32;
                bool be = k & 2, sections = k & 4;
                ElfBuilder *b = base_image(bits, be, ET_DYN);
                eb_add_interp(b, "/lib64/ld-linux-x86-64.so.2");
                eb_add_dynamic(b, &dynamic);
                b->sections = sections;
                ElfFacts x;
                ck_assert_int_eq(read_facts(b, ALL_FACTS, &x), 0);
                ck_assert_uint_eq(x.elf_class, bits);
                ck_assert(x.big_endian == be);
                ck_assert_int_eq(x.kind, ELF_KIND_PIE);
                ck_assert(x.dynamic);
                ck_assert(x.has_section_headers == sections);
                ck_assert_str_eq(x.interpreter, "/lib64/ld-linux-x86-64.so.2");
                ck_assert_uint_eq(x.n_needed, 4);
                ck_assert_str_eq(x.needed[0].name, "libpthread.so.0");
                ck_assert_str_eq(x.needed[0].glibc_version, "GLIBC_2.3.2");
                ck_assert_str_eq(x.needed[1].name, "libc.so.6");
                ck_assert_str_eq(x.needed[1].glibc_version,
                                 "GLIBC_2.34"); /* > 2.4 > 2.2.5; PRIVATE ignored */
                ck_assert_str_eq(x.needed[2].name, "libfoo.so.1");
                ck_assert_ptr_null(x.needed[2].glibc_version);
                ck_assert_str_eq(x.needed[3].name, "libbar.so.2");
                ck_assert_ptr_null(x.needed[3].glibc_version);
                ck_assert_str_eq(x.glibc_version, "GLIBC_2.34");
                ck_assert_str_eq(x.rpath, "/opt/rpath");
                ck_assert_str_eq(x.runpath, "$ORIGIN/../lib");
                ck_assert_str_eq(x.soname, "libgoguard-test.so.1");
                elf_facts_done(&x);
                ck_assert_ptr_null(x.interpreter);
        }
}
END_TEST

START_TEST(test_versions_order_independent) {
        /* The highest version wins whatever the order in the table. */
        static const EbVerneed v[] = {
                { "libc.so.6", { "GLIBC_2.34", "GLIBC_2.4", "GLIBC_2.2.5", "GLIBC_PRIVATE", NULL } },
                { "libm.so.6", { "GLIBC_PRIVATE", "GLIBC_2.29", "GLIBC_2.2.5", NULL } },
                { "libdl.so.2", { "GLIBC_PRIVATE", NULL } },
        };
        ElfBuilder *b = base_image(64, false, ET_EXEC);
        eb_add_dynamic(b, &(EbDynamic){ .needed = { "libm.so.6", "libc.so.6", "libdl.so.2" },
                                        .verneed = v,
                                        .n_verneed = 3 });
        ElfFacts x;
        ck_assert_int_eq(read_facts(b, ELF_FACTS_DYNAMIC, &x), 0);
        ck_assert_int_eq(x.kind, ELF_KIND_EXEC);
        ck_assert_ptr_null(x.interpreter);
        ck_assert_uint_eq(x.n_needed, 3);
        ck_assert_str_eq(x.needed[0].glibc_version, "GLIBC_2.29");
        ck_assert_str_eq(x.needed[1].glibc_version, "GLIBC_2.34");
        ck_assert_ptr_null(x.needed[2].glibc_version);
        ck_assert_str_eq(x.glibc_version, "GLIBC_2.34");
        ck_assert_ptr_null(x.rpath);
        ck_assert_ptr_null(x.runpath);
        ck_assert_ptr_null(x.soname);
        elf_facts_done(&x);
}
END_TEST

START_TEST(test_dynamic_not_requested) {
        ElfBuilder *b = base_image(64, false, ET_DYN);
        eb_add_interp(b, "/lib/ld.so");
        eb_add_dynamic(b, &dynamic);
        ElfFacts x;
        ck_assert_int_eq(read_facts(b, ELF_FACTS_GO_MARKERS, &x), 0);
        ck_assert_int_eq(x.kind, ELF_KIND_PIE); /* the kind is always set */
        ck_assert(x.dynamic);
        ck_assert_ptr_null(x.interpreter);
        ck_assert_uint_eq(x.n_needed, 0);
        ck_assert_ptr_null(x.glibc_version);
        elf_facts_done(&x);
}
END_TEST

START_TEST(test_kinds) {
        static const struct {
                uint16_t type;
                bool interp;
                uint64_t flags_1;
                ElfKind kind;
                const char *name;
        } cases[] = {
                { ET_EXEC, false, 0, ELF_KIND_EXEC, "exec" },
                { ET_EXEC, true, 0, ELF_KIND_EXEC, "exec" },
                { ET_DYN, true, 0, ELF_KIND_PIE, "pie" },
                { ET_DYN, true, DF_1_PIE, ELF_KIND_PIE, "pie" },
                { ET_DYN, false, 0, ELF_KIND_SHARED, "shared" },
                { ET_DYN, false, DF_1_PIE, ELF_KIND_STATIC_PIE, "static-pie" },
                { ET_DYN, false, DF_1_NOW, ELF_KIND_SHARED, "shared" },
                { ET_REL, false, 0, ELF_KIND_RELOCATABLE, "relocatable" },
                { ET_CORE, false, 0, ELF_KIND_CORE, "core" },
                { ET_NONE, false, 0, ELF_KIND_OTHER, "other" },
                { 0xfe00, false, 0, ELF_KIND_OTHER, "other" },
        };
        for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
                ElfBuilder *b = base_image(64, false, cases[i].type);
                if (cases[i].interp)
                        eb_add_interp(b, "/lib/ld.so");
                eb_add_dynamic(b, &(EbDynamic){ .needed = { "libc.so.6" }, .flags_1 = cases[i].flags_1 });
                ElfFacts x;
                ck_assert_int_eq(read_facts(b, ELF_FACTS_DYNAMIC, &x), 0);
                ck_assert_msg(x.kind == cases[i].kind, "case %zu: kind %d", i, x.kind);
                ck_assert_str_eq(elf_kind_to_string(x.kind), cases[i].name);
                elf_facts_done(&x);
        }

        /* Static: no PT_DYNAMIC. */
        ElfBuilder *b = base_image(32, true, ET_EXEC);
        ElfFacts x;
        ck_assert_int_eq(read_facts(b, ALL_FACTS, &x), 0);
        ck_assert(!x.dynamic);
        ck_assert_int_eq(x.kind, ELF_KIND_EXEC);
        ck_assert_uint_eq(x.n_needed, 0);
        ck_assert_ptr_null(x.needed);
        elf_facts_done(&x);
}
END_TEST

START_TEST(test_interpreter_checks) {
        /* Not NUL-terminated within the segment: still read. */
        ElfBuilder *b = base_image(64, false, ET_DYN);
        uint64_t off = eb_append(b, "/lib/ld.so", 10, 1);
        eb_add_phdr(b, PT_INTERP, PF_R, off, 0, 10, 10);
        ElfFacts x;
        ck_assert_int_eq(read_facts(b, ELF_FACTS_DYNAMIC, &x), 0);
        ck_assert_str_eq(x.interpreter, "/lib/ld.so");
        elf_facts_done(&x);

        /* Control characters, empty, too long, past the end of the file. */
        b = base_image(64, false, ET_DYN);
        eb_add_interp(b, "/lib/ld\n.so");
        ck_assert_int_eq(read_facts(b, ELF_FACTS_DYNAMIC, &x), -EBADMSG);
        b = base_image(64, false, ET_DYN);
        eb_add_interp(b, "");
        ck_assert_int_eq(read_facts(b, ELF_FACTS_DYNAMIC, &x), -EBADMSG);
        b = base_image(64, false, ET_DYN);
        off = eb_append_zeros(b, 5000, 1);
        memset(b->data + off, 'a', 5000);
        eb_add_phdr(b, PT_INTERP, PF_R, off, 0, 5000, 5000);
        ck_assert_int_eq(read_facts(b, ELF_FACTS_DYNAMIC, &x), -EBADMSG);
        b = base_image(64, false, ET_DYN);
        eb_add_phdr(b, PT_INTERP, PF_R, 1 << 20, 0, 16, 16);
        ck_assert_int_eq(read_facts(b, ELF_FACTS_DYNAMIC, &x), -EBADMSG);
        b = base_image(64, false, ET_DYN);
        eb_add_phdr(b, PT_INTERP, PF_R, 0, 0, 0, 0);
        ck_assert_int_eq(read_facts(b, ELF_FACTS_DYNAMIC, &x), -EBADMSG);
        /* The interpreter is only read when asked for. */
        b = base_image(64, false, ET_DYN);
        eb_add_interp(b, "/lib/ld\n.so");
        ck_assert_int_eq(read_facts(b, ELF_FACTS_GO_MARKERS, &x), 0);
        ck_assert_int_eq(x.kind, ELF_KIND_PIE);
        elf_facts_done(&x);
}
END_TEST

START_TEST(test_dynamic_hostile) {
        ElfFacts x;
        /* DT_NEEDED without a string table. */
        ElfBuilder *b = base_image(64, false, ET_EXEC);
        eb_add_dynamic(b, &(EbDynamic){ .needed = { "libc.so.6" }, .no_strtab = true });
        ck_assert_int_eq(read_facts(b, ELF_FACTS_DYNAMIC, &x), -EBADMSG);

        /* PT_DYNAMIC bigger than the file, or than any chunk we load. */
        b = base_image(64, false, ET_EXEC);
        eb_add_dynamic(b, &dynamic);
        b->phdrs[b->n_phdrs - 1].filesz = 1 << 20;
        ck_assert_int_eq(read_facts(b, ELF_FACTS_DYNAMIC, &x), -EBADMSG);
        b = base_image(64, false, ET_EXEC);
        eb_add_dynamic(b, &dynamic);
        b->phdrs[b->n_phdrs - 1].filesz = UINT64_C(1) << 32;
        ck_assert_int_eq(read_facts(b, ELF_FACTS_DYNAMIC, &x), -E2BIG);

        /* An empty PT_DYNAMIC is no dynamic section. */
        b = base_image(64, false, ET_EXEC);
        eb_add_dynamic(b, &dynamic);
        b->phdrs[b->n_phdrs - 1].filesz = 0;
        ck_assert_int_eq(read_facts(b, ELF_FACTS_DYNAMIC, &x), 0);
        ck_assert(x.dynamic);
        ck_assert_uint_eq(x.n_needed, 0);
        elf_facts_done(&x);

        /* A truncated PT_DYNAMIC without DT_NULL: the entries that are there. */
        b = base_image(64, false, ET_EXEC);
        eb_add_dynamic(b, &(EbDynamic){ .needed = { "libc.so.6", "libm.so.6" } });
        EbPhdr *p = &b->phdrs[b->n_phdrs - 1];
        p->filesz -= 16; /* drop DT_NULL */
        ck_assert_int_eq(read_facts(b, ELF_FACTS_DYNAMIC, &x), 0);
        ck_assert_uint_eq(x.n_needed, 2);
        elf_facts_done(&x);

        /* A verneed count over the cap. */
        b = base_image(64, false, ET_EXEC);
        eb_add_dynamic(b, &dynamic);
        eb_finish(b, NULL);
        p = &b->phdrs[b->n_phdrs - 1];
        for (uint64_t o = p->offset; o < p->offset + p->filesz; o += 16)
                if (eb_get_uint(b, o, 8) == DT_VERNEEDNUM)
                        eb_put_uint(b, o + 8, ELF_FACTS_VERNEED_MAX + 1, 8);
        ck_assert_int_eq(read_facts(b, ELF_FACTS_DYNAMIC, &x), -EBADMSG);

        /* A verneed count larger than the table: reading stops at the end of the chain. */
        b = base_image(64, false, ET_EXEC);
        eb_add_dynamic(b, &dynamic);
        eb_finish(b, NULL);
        p = &b->phdrs[b->n_phdrs - 1];
        for (uint64_t o = p->offset; o < p->offset + p->filesz; o += 16)
                if (eb_get_uint(b, o, 8) == DT_VERNEEDNUM)
                        eb_put_uint(b, o + 8, 4000, 8);
        ck_assert_int_eq(read_facts(b, ELF_FACTS_DYNAMIC, &x), 0);
        ck_assert_str_eq(x.glibc_version, "GLIBC_2.34");
        elf_facts_done(&x);

        /* DT_STRTAB pointing nowhere. */
        b = base_image(64, false, ET_EXEC);
        eb_add_dynamic(b, &dynamic);
        eb_finish(b, NULL);
        p = &b->phdrs[b->n_phdrs - 1];
        for (uint64_t o = p->offset; o < p->offset + p->filesz; o += 16)
                if (eb_get_uint(b, o, 8) == DT_STRTAB)
                        eb_put_uint(b, o + 8, 0x7fff0000, 8);
        ck_assert_int_eq(read_facts(b, ELF_FACTS_DYNAMIC, &x), -EBADMSG);

        /* A DT_NEEDED offset outside the string table. */
        b = base_image(64, false, ET_EXEC);
        eb_add_dynamic(b, &(EbDynamic){ .needed = { "libc.so.6" } });
        eb_finish(b, NULL);
        p = &b->phdrs[b->n_phdrs - 1];
        eb_put_uint(b, p->offset + 8, 1 << 20, 8);
        ck_assert_int_eq(read_facts(b, ELF_FACTS_DYNAMIC, &x), -EBADMSG);

        /* DT_STRSZ running past the file: cut to what the segment has, so names still resolve. */
        b = base_image(64, false, ET_EXEC);
        eb_add_dynamic(b, &(EbDynamic){ .needed = { "libc.so.6" } });
        eb_finish(b, NULL);
        p = &b->phdrs[b->n_phdrs - 1];
        for (uint64_t o = p->offset; o < p->offset + p->filesz; o += 16)
                if (eb_get_uint(b, o, 8) == DT_STRSZ)
                        eb_put_uint(b, o + 8, UINT64_MAX, 8);
        ck_assert_int_eq(read_facts(b, ELF_FACTS_DYNAMIC, &x), 0);
        ck_assert_str_eq(x.needed[0].name, "libc.so.6");
        elf_facts_done(&x);
}
END_TEST

START_TEST(test_verneed_hostile) {
        ElfFacts x;
        for (unsigned k = 0; k < 4; k++) {
                ElfBuilder *b = base_image(64, false, ET_EXEC);
                eb_add_dynamic(b, &dynamic);
                b->sections = k & 2;
                eb_finish(b, NULL);
                /* Find .gnu.version_r through DT_VERNEED. */
                EbPhdr *p = &b->phdrs[b->n_phdrs - 1];
                uint64_t vn = 0;
                for (uint64_t o = p->offset; o < p->offset + p->filesz; o += 16)
                        if (eb_get_uint(b, o, 8) == DT_VERNEED)
                                vn = eb_get_uint(b, o + 8, 8) - b->base;
                ck_assert_uint_ne(vn, 0);
                if (k & 1)
                        eb_put_uint(b, vn + 4, 1 << 24, 4); /* vn_file outside the string table */
                else
                        eb_put_uint(b, vn + 2, 0xffff, 2); /* vn_cnt far beyond the aux entries */
                int r = read_facts(b, ELF_FACTS_DYNAMIC, &x);
                if (k & 1)
                        ck_assert_int_eq(r, -EBADMSG);
                else {
                        /* The aux chain ends with vna_next == 0 long before the count. */
                        ck_assert_int_eq(r, 0);
                        ck_assert_str_eq(x.glibc_version, "GLIBC_2.34");
                        elf_facts_done(&x);
                }
        }
}
END_TEST

static const uint8_t gnu_id[20] = { 0xde, 0xad, 0xbe, 0xef, 0x00, 0x01, 0x02, 0x03, 0x04, 0x05,
                                    0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0xff };

START_TEST(test_notes) {
        for (unsigned k = 0; k < 8; k++) {
                unsigned bits = k & 1 ? 64 : 32;
                bool be = k & 2, segments = !(k & 4);
                ElfBuilder *b = base_image(bits, be, ET_EXEC);
                eb_add_note(b, ".note.gnu.build-id", "GNU", NT_GNU_BUILD_ID, gnu_id, sizeof gnu_id);
                if (!segments)
                        b->phdrs[b->n_phdrs - 1].type = PT_NULL;
                eb_add_go_buildid_note(b, "aBcD/eFgH/iJkL/mNoP");
                if (!segments)
                        b->phdrs[b->n_phdrs - 1].type = PT_NULL;
                ElfFacts x;
                ck_assert_int_eq(read_facts(b, ELF_FACTS_GO_MARKERS, &x), 0);
                ck_assert_str_eq(x.go_build_id, "aBcD/eFgH/iJkL/mNoP");
                ck_assert_str_eq(x.gnu_build_id, "deadbeef000102030405060708090a0b0c0d0eff");
                ck_assert(x.has_go_sections); /* .note.go.buildid is a Go section */
                elf_facts_done(&x);
        }
}
END_TEST

START_TEST(test_note_variants) {
        ElfFacts x;
        /* namesz 3 ("Go\0") is accepted too; the desc stops at a NUL. */
        ElfBuilder *b = base_image(64, false, ET_EXEC);
        eb_add_note(b, NULL, "Go", 4, "id/x\0\0\0\0", 8);
        ck_assert_int_eq(read_facts(b, ELF_FACTS_GO_MARKERS, &x), 0);
        ck_assert_str_eq(x.go_build_id, "id/x");
        elf_facts_done(&x);

        /* Other Go note types, other owners, non-printable IDs: no build ID. */
        b = base_image(64, false, ET_EXEC);
        eb_add_note(b, NULL, "Go", 1, "pkglist", 7);
        eb_add_note(b, NULL, "Goo", 4, "nope", 4);
        eb_add_note(b, NULL, "Go", 4, "bad\x01id", 6);
        eb_add_note(b, NULL, "GNU", NT_GNU_ABI_TAG, "\0\0\0\0\3\0\0\0\2\0\0\0\0\0\0\0", 16);
        ck_assert_int_eq(read_facts(b, ELF_FACTS_GO_MARKERS, &x), 0);
        ck_assert_ptr_null(x.go_build_id);
        ck_assert_ptr_null(x.gnu_build_id);
        elf_facts_done(&x);

        /* The first build ID wins. */
        b = base_image(64, false, ET_EXEC);
        eb_add_go_buildid_note(b, "first");
        eb_add_go_buildid_note(b, "second");
        ck_assert_int_eq(read_facts(b, ELF_FACTS_GO_MARKERS, &x), 0);
        ck_assert_str_eq(x.go_build_id, "first");
        elf_facts_done(&x);

        /* Notes that lie about their sizes, or sit past the end of the file: ignored. */
        b = base_image(64, false, ET_EXEC);
        eb_add_go_buildid_note(b, "abc");
        uint64_t note = b->phdrs[b->n_phdrs - 1].offset;
        eb_put_uint(b, note + 4, 0xfffffff0, 4); /* descsz */
        eb_add_go_buildid_note(b, "def");
        b->phdrs[b->n_phdrs - 1].offset = UINT64_C(1) << 40;
        eb_add_go_buildid_note(b, "ghi");
        b->phdrs[b->n_phdrs - 1].filesz = 2 << 20; /* over the notes cap */
        eb_add_go_buildid_note(b, "jkl");
        b->phdrs[b->n_phdrs - 1].filesz = 7; /* cut inside the header */
        ck_assert_int_eq(read_facts(b, ELF_FACTS_GO_MARKERS, &x), 0);
        ck_assert_ptr_null(x.go_build_id);
        elf_facts_done(&x);

        /* Not asked for: not read. */
        b = base_image(64, false, ET_EXEC);
        eb_add_go_buildid_note(b, "abc");
        ck_assert_int_eq(read_facts(b, ELF_FACTS_DYNAMIC, &x), 0);
        ck_assert_ptr_null(x.go_build_id);
        elf_facts_done(&x);
}
END_TEST

static ElfBuilder *with_pclntab(bool be, uint32_t magic, uint8_t quantum, uint8_t ptrsize) {
        ElfBuilder *b = base_image(64, be, ET_EXEC);
        uint8_t h[16] = {};
        for (int i = 0; i < 4; i++)
                h[be ? 3 - i : i] = (uint8_t) (magic >> (8 * i));
        h[6] = quantum;
        h[7] = ptrsize;
        uint64_t off = eb_append(b, h, sizeof h, 16);
        eb_add_section(b, ".gopclntab", SHT_PROGBITS, SHF_ALLOC, eb_vaddr(b, off), off, sizeof h);
        return b;
}

START_TEST(test_pclntab) {
        static const uint32_t valid[] = { 0xfffffffb, 0xfffffffa, 0xfffffff0, 0xfffffff1 };
        ElfFacts x;
        for (size_t i = 0; i < 4; i++)
                for (int be = 0; be <= 1; be++) {
                        ck_assert_int_eq(
                                read_facts(with_pclntab(be, valid[i], 1, 8), ELF_FACTS_GO_MARKERS, &x), 0);
                        ck_assert_uint_eq(x.pclntab_magic, valid[i]);
                        ck_assert(x.has_go_sections);
                        elf_facts_done(&x);
                }
        static const struct {
                uint32_t magic;
                uint8_t quantum, ptrsize;
        } invalid[] = { { 0xfffffff2, 1, 8 },
                        { 0xfbffffff, 1, 8 },
                        { 0xfffffff1, 3, 8 },
                        { 0xfffffff1, 1, 2 },
                        { 0, 0, 0 } };
        for (size_t i = 0; i < sizeof invalid / sizeof invalid[0]; i++) {
                ElfBuilder *b =
                        with_pclntab(false, invalid[i].magic, invalid[i].quantum, invalid[i].ptrsize);
                ck_assert_int_eq(read_facts(b, ELF_FACTS_GO_MARKERS, &x), 0);
                ck_assert_uint_eq(x.pclntab_magic, 0);
                ck_assert(x.has_go_sections); /* the name alone is a Go section */
                elf_facts_done(&x);
        }
        /* The relro name, arm (quantum 4), 32-bit pointers. */
        ElfBuilder *b = with_pclntab(false, 0xfffffff0, 4, 4);
        strcpy(eb_section(b, 1)->name, ".data.rel.ro.gopclntab");
        ck_assert_int_eq(read_facts(b, ELF_FACTS_GO_MARKERS, &x), 0);
        ck_assert_uint_eq(x.pclntab_magic, 0xfffffff0);
        elf_facts_done(&x);
        /* A header past the end of the file. */
        b = with_pclntab(false, 0xfffffff1, 1, 8);
        eb_section(b, 1)->offset = 1 << 20;
        ck_assert_int_eq(read_facts(b, ELF_FACTS_GO_MARKERS, &x), 0);
        ck_assert_uint_eq(x.pclntab_magic, 0);
        elf_facts_done(&x);
}
END_TEST

START_TEST(test_go_sections) {
        static const char *const names[] = { ".go.buildinfo", ".gopclntab", ".noptrdata",      ".typelink",
                                             ".itablink",     ".gosymtab",  ".note.go.buildid" };
        ElfFacts x;
        for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
                ElfBuilder *b = base_image(64, false, ET_EXEC);
                uint64_t off = eb_append_zeros(b, 16, 16);
                eb_add_section(b, ".data", SHT_PROGBITS, SHF_ALLOC, eb_vaddr(b, off), off, 16);
                eb_add_section(b, names[i], SHT_PROGBITS, SHF_ALLOC, eb_vaddr(b, off), off, 16);
                ck_assert_int_eq(read_facts(b, ELF_FACTS_GO_MARKERS, &x), 0);
                ck_assert_msg(x.has_go_sections, "%s", names[i]);
                elf_facts_done(&x);
        }
        ElfBuilder *b = base_image(64, false, ET_EXEC);
        uint64_t off = eb_append_zeros(b, 16, 16);
        eb_add_section(b, ".data", SHT_PROGBITS, SHF_ALLOC, eb_vaddr(b, off), off, 16);
        eb_add_section(b, ".gopclntabx", SHT_PROGBITS, SHF_ALLOC, eb_vaddr(b, off), off, 16);
        eb_add_section(b, ".noptr", SHT_PROGBITS, SHF_ALLOC, eb_vaddr(b, off), off, 16);
        ck_assert_int_eq(read_facts(b, ELF_FACTS_GO_MARKERS, &x), 0);
        ck_assert(!x.has_go_sections);
        ck_assert(x.has_section_headers);
        elf_facts_done(&x);
}
END_TEST

START_TEST(test_symbols) {
        static const char *const go[] = { "main.main", "runtime.main", "runtime.goexit" };
        static const char *const go_old[] = { "runtime.buildVersion" };
        static const char *const c[] = { "main", "runtime.mainx", "xruntime.main", "_start" };
        ElfFacts x;
        for (unsigned bits = 32; bits <= 64; bits += 32) {
                ElfBuilder *b = base_image(bits, bits == 32, ET_EXEC);
                eb_add_symtab(b, go, 3);
                ck_assert_int_eq(read_facts(b, ELF_FACTS_SYMBOLS, &x), 0);
                ck_assert(x.has_runtime_symbols);
                ck_assert(!x.has_go_sections); /* symbols alone do not scan the Go markers */
                elf_facts_done(&x);

                b = base_image(bits, false, ET_EXEC);
                eb_add_symtab(b, go_old, 1);
                ck_assert_int_eq(read_facts(b, ELF_FACTS_SYMBOLS, &x), 0);
                ck_assert(x.has_runtime_symbols);
                elf_facts_done(&x);

                b = base_image(bits, false, ET_EXEC);
                eb_add_symtab(b, c, 4);
                ck_assert_int_eq(read_facts(b, ALL_FACTS, &x), 0);
                ck_assert(!x.has_runtime_symbols);
                elf_facts_done(&x);

                b = base_image(bits, false, ET_EXEC);
                eb_add_symtab(b, go, 3);
                ck_assert_int_eq(read_facts(b, ELF_FACTS_GO_MARKERS, &x), 0);
                ck_assert(!x.has_runtime_symbols); /* not asked for */
                elf_facts_done(&x);
        }

        /* A symbol table whose string table link is bogus, or whose size lies. */
        ElfBuilder *b = base_image(64, false, ET_EXEC);
        eb_add_symtab(b, go, 3);
        eb_section(b, b->n_shdrs)->link = 999;
        ck_assert_int_eq(read_facts(b, ELF_FACTS_SYMBOLS, &x), 0);
        ck_assert(!x.has_runtime_symbols);
        elf_facts_done(&x);
        b = base_image(64, false, ET_EXEC);
        eb_add_symtab(b, go, 3);
        eb_section(b, b->n_shdrs)->size = UINT64_C(1) << 33;
        ck_assert_int_eq(read_facts(b, ELF_FACTS_SYMBOLS, &x), 0);
        ck_assert(!x.has_runtime_symbols);
        elf_facts_done(&x);
        b = base_image(64, false, ET_EXEC);
        eb_add_symtab(b, go, 3);
        eb_section(b, b->n_shdrs - 1)->size = UINT64_C(1) << 20; /* .strtab past the end */
        ck_assert_int_eq(read_facts(b, ELF_FACTS_SYMBOLS, &x), 0);
        ck_assert(!x.has_runtime_symbols);
        elf_facts_done(&x);
        b = base_image(64, false, ET_EXEC);
        eb_add_symtab(b, go, 3);
        eb_section(b, b->n_shdrs)->entsize = 0;
        ck_assert_int_eq(read_facts(b, ELF_FACTS_SYMBOLS, &x), 0);
        ck_assert(!x.has_runtime_symbols);
        elf_facts_done(&x);
}
END_TEST

START_TEST(test_glibc_version_compare) {
        ck_assert_int_gt(glibc_version_compare("GLIBC_2.34", "GLIBC_2.4"), 0);
        ck_assert_int_gt(glibc_version_compare("GLIBC_2.4", "GLIBC_2.2.5"), 0);
        ck_assert_int_lt(glibc_version_compare("GLIBC_2.2.5", "GLIBC_2.34"), 0);
        ck_assert_int_gt(glibc_version_compare("GLIBC_2.10", "GLIBC_2.9"), 0);
        ck_assert_int_gt(glibc_version_compare("GLIBC_2.2.5", "GLIBC_2.2"), 0);
        ck_assert_int_lt(glibc_version_compare("GLIBC_2.2", "GLIBC_2.2.5"), 0);
        ck_assert_int_eq(glibc_version_compare("GLIBC_2.17", "GLIBC_2.17"), 0);
        ck_assert_int_eq(glibc_version_compare("GLIBC_2.17", "2.17"), 0);
        ck_assert_int_gt(glibc_version_compare("3.0", "GLIBC_2.99"), 0);
        ck_assert_int_lt(glibc_version_compare("GLIBC_PRIVATE", "GLIBC_2.0"), 0);
        ck_assert_int_gt(glibc_version_compare("GLIBC_2.0", "GLIBC_PRIVATE"), 0);
        ck_assert_int_eq(glibc_version_compare("GLIBC_PRIVATE", "GLIBC_PRIVATE"), 0);
        ck_assert_int_eq(glibc_version_compare("", ""), 0);
        /* Absurdly long numbers do not overflow. */
        ck_assert_int_eq(
                glibc_version_compare("GLIBC_99999999999999999999999.1", "GLIBC_99999999999999999999999.1"),
                0);
}
END_TEST

START_TEST(test_names) {
        ck_assert_str_eq(elf_kind_to_string(ELF_KIND_STATIC_PIE), "static-pie");
        ck_assert_ptr_null(elf_kind_to_string(_ELF_KIND_MAX));
        ck_assert_ptr_null(elf_kind_to_string((ElfKind) -1));
        ck_assert_str_eq(elf_machine_to_string(EM_X86_64), "x86-64");
        ck_assert_str_eq(elf_machine_to_string(EM_AARCH64), "aarch64");
        ck_assert_ptr_null(elf_machine_to_string(EM_NONE));
        ck_assert_str_eq(elf_machine_to_goarch(EM_X86_64, 64, false), "amd64");
        ck_assert_str_eq(elf_machine_to_goarch(EM_386, 32, false), "386");
        ck_assert_str_eq(elf_machine_to_goarch(EM_AARCH64, 64, false), "arm64");
        ck_assert_str_eq(elf_machine_to_goarch(EM_ARM, 32, false), "arm");
        ck_assert_str_eq(elf_machine_to_goarch(EM_PPC64, 64, true), "ppc64");
        ck_assert_str_eq(elf_machine_to_goarch(EM_PPC64, 64, false), "ppc64le");
        ck_assert_str_eq(elf_machine_to_goarch(EM_S390, 64, true), "s390x");
        ck_assert_str_eq(elf_machine_to_goarch(EM_MIPS, 32, true), "mips");
        ck_assert_str_eq(elf_machine_to_goarch(EM_MIPS, 32, false), "mipsle");
        ck_assert_str_eq(elf_machine_to_goarch(EM_MIPS, 64, true), "mips64");
        ck_assert_str_eq(elf_machine_to_goarch(EM_MIPS, 64, false), "mips64le");
        ck_assert_str_eq(elf_machine_to_goarch(EM_RISCV, 64, false), "riscv64");
        ck_assert_ptr_null(elf_machine_to_goarch(EM_RISCV, 32, false));
        ck_assert_str_eq(elf_machine_to_goarch(EM_LOONGARCH, 64, false), "loong64");
        ck_assert_ptr_null(elf_machine_to_goarch(EM_SPARCV9, 64, true));
}
END_TEST

START_TEST(test_real_ls) {
        int fd = open("/usr/bin/ls", O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return; /* nothing to check on this system */
        ElfFile *f;
        ck_assert_int_eq(elf_file_open(fd, NULL, &f), 0);
        ElfFacts x;
        ck_assert_int_eq(elf_facts_read(f, ALL_FACTS, &x), 0);
        ck_assert(x.dynamic);
        ck_assert_ptr_nonnull(x.interpreter);
        ck_assert_ptr_null(x.go_build_id);
        ck_assert(!x.has_go_sections);
        ck_assert(!x.has_runtime_symbols);
        ck_assert_uint_eq(x.pclntab_magic, 0);
        ck_assert_ptr_nonnull(x.glibc_version);
        ck_assert_int_eq(strncmp(x.glibc_version, "GLIBC_2.", 8), 0);
        bool libc = false;
        for (size_t i = 0; i < x.n_needed; i++)
                if (strcmp(x.needed[i].name, "libc.so.6") == 0) {
                        libc = true;
                        ck_assert_str_eq(x.needed[i].glibc_version, x.glibc_version);
                }
        ck_assert(libc);
        elf_facts_done(&x);
        elf_file_free(f);
        close(fd);
}
END_TEST

static Suite *elf_facts_suite(void) {
        Suite *s = suite_create("elf-facts");
        TCase *tc = tcase_create("dynamic");
        tcase_add_test(tc, test_dynamic_and_versions);
        tcase_add_test(tc, test_versions_order_independent);
        tcase_add_test(tc, test_dynamic_not_requested);
        tcase_add_test(tc, test_kinds);
        tcase_add_test(tc, test_interpreter_checks);
        tcase_add_test(tc, test_dynamic_hostile);
        tcase_add_test(tc, test_verneed_hostile);
        suite_add_tcase(s, tc);
        tc = tcase_create("go-markers");
        tcase_add_test(tc, test_notes);
        tcase_add_test(tc, test_note_variants);
        tcase_add_test(tc, test_pclntab);
        tcase_add_test(tc, test_go_sections);
        tcase_add_test(tc, test_symbols);
        suite_add_tcase(s, tc);
        tc = tcase_create("helpers");
        tcase_add_test(tc, test_glibc_version_compare);
        tcase_add_test(tc, test_names);
        tcase_add_test(tc, test_real_ls);
        suite_add_tcase(s, tc);
        return s;
}

DEFINE_TEST_MAIN(elf_facts_suite)
