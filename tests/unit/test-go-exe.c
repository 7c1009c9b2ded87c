/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "elf-builder.h"
#include "go-exe.h"
#include "test-util.h"

static const char modtext[] =
        "path\texample.com/svc/cmd/svcd\n"
        "mod\texample.com/svc\tv1.4.0\th1:Zm9vYmFy=\n"
        "dep\tgithub.com/coreos/go-systemd/v22\tv22.5.0\th1:RrqgGjYQKalulkV8NGVIfkXQf6YYmOyiJKk8iXXhfZs=\n"
        "dep\tgolang.org/x/sys\tv0.1.0\n"
        "=>\t../sys\t\t\n"
        "build\t-buildmode=pie\n"
        "build\t-compiler=gc\n"
        "build\t-ldflags=\"-s -w\"\n"
        "build\tCGO_ENABLED=1\n"
        "build\tGOARCH=amd64\n"
        "build\tGOOS=linux\n"
        "build\tGOAMD64=v3\n"
        "build\tvcs=git\n";

static const EbVerneed verneed[] = {
        { "libc.so.6", { "GLIBC_2.2.5", "GLIBC_2.34", "GLIBC_PRIVATE", "GLIBC_2.4", NULL } },
};

static ElfBuilder *go_image(EbGoLayout layout, bool sections, bool note, bool dynamic) {
        ElfBuilder *b = eb_build_go(&(EbGo){
                .bits = 64,
                .layout = layout,
                .version = "go1.21.5",
                .modinfo = modtext,
                .sections = sections,
                .build_id = note ? "Abc/Def/Ghi/Jkl" : NULL,
                .pie = dynamic,
                .blob_offset = 0x30,
        });
        if (dynamic) {
                eb_add_interp(b, "/lib64/ld-linux-x86-64.so.2");
                eb_add_dynamic(
                        b, &(EbDynamic){ .needed = { "libc.so.6" }, .verneed = verneed, .n_verneed = 1 });
                b->sections = sections;
        }
        return b;
}

/* go_exe_inspect_fd() on the finished image; frees the builder. */
static int inspect(ElfBuilder *b, GoExeFlags flags, GoExe **ret) {
        int fd = eb_memfd(b);
        ck_assert_int_ge(fd, 0);
        *ret = NULL;
        int r = go_exe_inspect_fd(fd, flags, NULL, ret);
        close(fd);
        eb_free(b);
        if (r >= 0)
                ck_assert_ptr_nonnull(*ret);
        else
                ck_assert_ptr_null(*ret);
        return r;
}

static char *format_modinfo(const GoExe *x) {
        StrBuf b = {};
        char *s;
        go_exe_format_modinfo(x, &b);
        ck_assert_int_eq(strbuf_steal(&b, &s, NULL), 0);
        return s;
}

START_TEST(test_go_inline_full) {
        GoExe *x;
        ck_assert_int_eq(inspect(go_image(EB_GO_INLINE, true, true, true), 0, &x), 0);
        ck_assert(x->is_go);
        ck_assert_ptr_null(x->not_go_reason);
        ck_assert_uint_eq(x->evidence,
                          GO_EVIDENCE_BUILDINFO | GO_EVIDENCE_BUILDID_NOTE | GO_EVIDENCE_GO_SECTIONS);
        ck_assert(x->have_buildinfo);
        ck_assert_str_eq(x->buildinfo.version, "go1.21.5");
        ck_assert(x->buildinfo.inline_strings);
        ck_assert_int_eq(x->buildinfo.source, GO_BUILDINFO_FROM_SECTION);
        ck_assert_ptr_null(x->modinfo_error);
        ck_assert_ptr_nonnull(x->modinfo);
        ck_assert_str_eq(x->modinfo->path, "example.com/svc/cmd/svcd");
        ck_assert_str_eq(x->modinfo->main.path, "example.com/svc");
        ck_assert_str_eq(x->modinfo->main.version, "v1.4.0");
        ck_assert_uint_eq(x->modinfo->n_deps, 2);
        ck_assert_str_eq(x->modinfo->deps[1].replace->path, "../sys");
        ck_assert_uint_eq(x->modinfo->n_settings, 8);
        ck_assert_int_eq(x->cgo, 1);
        ck_assert_str_eq(x->goos, "linux");
        ck_assert_str_eq(x->goarch, "amd64");
        ck_assert_str_eq(x->arch_level_key, "GOAMD64");
        ck_assert_str_eq(x->arch_level, "v3");
        ck_assert_str_eq(x->buildmode, "pie");

        ck_assert(x->have_elf_facts);
        ck_assert_int_eq(x->elf.kind, ELF_KIND_PIE);
        ck_assert(x->elf.dynamic);
        ck_assert_str_eq(x->elf.interpreter, "/lib64/ld-linux-x86-64.so.2");
        ck_assert_uint_eq(x->elf.n_needed, 1);
        ck_assert_str_eq(x->elf.needed[0].name, "libc.so.6");
        ck_assert_str_eq(x->elf.needed[0].glibc_version, "GLIBC_2.34");
        ck_assert_str_eq(x->elf.glibc_version, "GLIBC_2.34");
        ck_assert_str_eq(x->elf.go_build_id, "Abc/Def/Ghi/Jkl");
        ck_assert_uint_eq(x->elf.elf_class, 64);
        ck_assert_uint_eq(x->elf.machine, EM_X86_64);
        ck_assert(x->elf.has_section_headers);

        char *s = format_modinfo(x);
        ck_assert_str_eq(s, "\tpath\texample.com/svc/cmd/svcd\n"
                            "\tmod\texample.com/svc\tv1.4.0\th1:Zm9vYmFy=\n"
                            "\tdep\tgithub.com/coreos/go-systemd/"
                            "v22\tv22.5.0\th1:RrqgGjYQKalulkV8NGVIfkXQf6YYmOyiJKk8iXXhfZs=\n"
                            "\tdep\tgolang.org/x/sys\tv0.1.0\n"
                            "\t=>\t../sys\t\t\n"
                            "\t\n"
                            "\tbuild\t-buildmode=pie\n"
                            "\tbuild\t-compiler=gc\n"
                            "\tbuild\t-ldflags=\"-s -w\"\n"
                            "\tbuild\tCGO_ENABLED=1\n"
                            "\tbuild\tGOARCH=amd64\n"
                            "\tbuild\tGOOS=linux\n"
                            "\tbuild\tGOAMD64=v3\n"
                            "\tbuild\tvcs=git\n");
        free(s);
        go_exe_free(x);
}
END_TEST

START_TEST(test_go_layouts) {
        for (unsigned k = 0; k < 16; k++) {
                unsigned bits = k & 1 ? 64 : 32;
                bool be = k & 2, sections = k & 4, inl = k & 8;
                ElfBuilder *b = eb_build_go(&(EbGo){ .bits = bits,
                                                     .big_endian = be,
                                                     .layout = inl ? EB_GO_INLINE : EB_GO_POINTER,
                                                     .version = "go1.16.15",
                                                     .modinfo = modtext,
                                                     .sections = sections,
                                                     .blob_offset = 0x20,
                                                     .decoy = true });
                GoExe *x;
                ck_assert_int_eq(inspect(b, 0, &x), 0);
                ck_assert_msg(x->is_go, "case %u", k);
                ck_assert_uint_eq(x->evidence,
                                  GO_EVIDENCE_BUILDINFO | (sections ? GO_EVIDENCE_GO_SECTIONS : 0));
                ck_assert_str_eq(x->buildinfo.version, "go1.16.15");
                ck_assert(x->buildinfo.inline_strings == inl);
                ck_assert_str_eq(x->buildinfo.modinfo, modtext);
                ck_assert_str_eq(x->modinfo->main.sum, "h1:Zm9vYmFy=");
                ck_assert_uint_eq(x->elf.elf_class, bits);
                ck_assert(x->elf.big_endian == be);
                ck_assert(x->have_elf_facts);
                ck_assert(!x->elf.dynamic);
                ck_assert_int_eq(x->elf.kind, ELF_KIND_EXEC);
                go_exe_free(x);
        }
}
END_TEST

START_TEST(test_go_pie_relocations) {
        ElfBuilder *b = eb_build_go(&(EbGo){ .bits = 64,
                                             .layout = EB_GO_POINTER,
                                             .version = "go1.15.15",
                                             .modinfo = modtext,
                                             .sections = true,
                                             .pie = true,
                                             .zero_slots = true,
                                             .relocs = true });
        GoExe *x;
        ck_assert_int_eq(inspect(b, 0, &x), 0);
        ck_assert(x->is_go);
        ck_assert_str_eq(x->buildinfo.version, "go1.15.15");
        ck_assert(x->buildinfo.used_relocations);
        ck_assert_str_eq(x->modinfo->path, "example.com/svc/cmd/svcd");
        ck_assert_int_eq(x->elf.kind, ELF_KIND_SHARED); /* ET_DYN without PT_INTERP */
        go_exe_free(x);
}
END_TEST

START_TEST(test_go_sentinels_only) {
        ElfBuilder *b = eb_build_go(&(EbGo){ .bits = 64,
                                             .layout = EB_GO_POINTER,
                                             .version = "go1.15.15",
                                             .modinfo = modtext,
                                             .pie = true,
                                             .zero_slots = true });
        GoExe *x;
        ck_assert_int_eq(inspect(b, 0, &x), 0);
        ck_assert(x->is_go);
        ck_assert_uint_eq(x->evidence, GO_EVIDENCE_MODINFO_SENTINELS);
        ck_assert(x->have_buildinfo);
        ck_assert_ptr_null(x->buildinfo.version);
        ck_assert_int_eq(x->buildinfo.source, GO_BUILDINFO_FROM_SENTINELS);
        ck_assert_str_eq(x->modinfo->main.path, "example.com/svc");
        ck_assert_str_eq(x->goos, "linux");
        go_exe_free(x);
}
END_TEST

START_TEST(test_go_gopath_build) {
        ElfBuilder *b = eb_build_go(&(EbGo){ .bits = 64, .layout = EB_GO_INLINE, .version = "go1.19.8" });
        GoExe *x;
        ck_assert_int_eq(inspect(b, 0, &x), 0);
        ck_assert(x->is_go);
        ck_assert_str_eq(x->buildinfo.version, "go1.19.8");
        ck_assert_ptr_nonnull(x->modinfo);
        ck_assert_ptr_null(x->modinfo->path);
        ck_assert_uint_eq(x->modinfo->n_deps, 0);
        ck_assert_ptr_null(x->modinfo_error);
        ck_assert_int_eq(x->cgo, -1);
        ck_assert_ptr_null(x->goos);
        ck_assert_ptr_null(x->arch_level_key);
        char *s = format_modinfo(x);
        ck_assert_str_eq(s, "");
        free(s);
        go_exe_free(x);
}
END_TEST

START_TEST(test_go_modinfo_error) {
        ElfBuilder *b = eb_build_go(&(EbGo){ .bits = 64,
                                             .layout = EB_GO_INLINE,
                                             .version = "go1.21.0",
                                             .modinfo = "path\tp\nmod\tbroken\nbuild\tGOOS=linux\n" });
        GoExe *x;
        ck_assert_int_eq(inspect(b, 0, &x), 0);
        ck_assert(x->is_go);
        ck_assert_ptr_null(x->modinfo);
        ck_assert_str_eq(x->modinfo_error, "could not parse Go build info: line 2: expected 2 or 3 columns");
        ck_assert_int_eq(x->cgo, -1);
        char *s = format_modinfo(x);
        ck_assert_str_eq(s, "");
        free(s);
        go_exe_free(x);

        /* A NUL byte in the module text. */
        b = eb_build_go(&(EbGo){ .bits = 64,
                                 .layout = EB_GO_INLINE,
                                 .version = "go1.21.0",
                                 .modinfo = "path\tp\nmod\tm\0\tv\n",
                                 .modinfo_len = 16 });
        ck_assert_int_eq(inspect(b, 0, &x), 0);
        ck_assert(x->is_go);
        ck_assert_ptr_null(x->modinfo);
        ck_assert_str_eq(x->modinfo_error, "could not parse Go build info: line 2: NUL byte in build info");
        go_exe_free(x);

        b = eb_build_go(
                &(EbGo){ .bits = 64,
                         .layout = EB_GO_INLINE,
                         .version = "go1.21.0",
                         .modinfo = "build\tCGO_ENABLED=0\nbuild\tGOARCH=arm64\nbuild\tGOARM64=v8.0\n" });
        ck_assert_int_eq(inspect(b, 0, &x), 0);
        ck_assert_int_eq(x->cgo, 0);
        ck_assert_str_eq(x->goarch, "arm64");
        ck_assert_str_eq(x->arch_level_key, "GOARM64");
        ck_assert_str_eq(x->arch_level, "v8.0");
        ck_assert_ptr_null(x->buildmode);
        go_exe_free(x);
}
END_TEST

static ElfBuilder *c_image(bool sections) {
        ElfBuilder *b = eb_new(64, false, ET_DYN, EM_X86_64);
        uint64_t t = eb_append(b, "\xc3", 1, 16);
        eb_add_load(b, PF_R | PF_X, 0, t + 1);
        uint64_t d = eb_append_zeros(b, 256, 16);
        eb_add_load(b, PF_R | PF_W, d, 256);
        eb_add_interp(b, "/lib64/ld-linux-x86-64.so.2");
        eb_add_dynamic(b, &(EbDynamic){ .needed = { "libc.so.6" }, .verneed = verneed, .n_verneed = 1 });
        if (sections) {
                eb_add_section(b, ".text", SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR, eb_vaddr(b, t), t, 1);
                eb_add_section(b, ".data", SHT_PROGBITS, SHF_ALLOC | SHF_WRITE, eb_vaddr(b, d), d, 256);
        }
        b->sections = sections;
        return b;
}

START_TEST(test_not_go) {
        GoExe *x;
        ck_assert_int_eq(inspect(c_image(true), 0, &x), 0);
        ck_assert(!x->is_go);
        ck_assert_uint_eq(x->evidence, 0);
        ck_assert_str_eq(x->not_go_reason, "no Go build information, build ID note or pclntab");
        ck_assert(!x->have_buildinfo);
        ck_assert(!x->have_elf_facts);
        ck_assert_ptr_null(x->elf.interpreter);
        ck_assert_ptr_null(x->modinfo);
        ck_assert_int_eq(x->cgo, -1);
        go_exe_free(x);

        /* With GO_EXE_ALL_FACTS the dynamic facts are there anyway. */
        ck_assert_int_eq(inspect(c_image(true), GO_EXE_ALL_FACTS, &x), 0);
        ck_assert(!x->is_go);
        ck_assert(x->have_elf_facts);
        ck_assert_int_eq(x->elf.kind, ELF_KIND_PIE);
        ck_assert_str_eq(x->elf.interpreter, "/lib64/ld-linux-x86-64.so.2");
        ck_assert_str_eq(x->elf.glibc_version, "GLIBC_2.34");
        go_exe_free(x);

        /* Without section headers the data segment is searched. */
        ck_assert_int_eq(inspect(c_image(false), 0, &x), 0);
        ck_assert(!x->is_go);
        ck_assert_str_eq(x->not_go_reason, "no Go build information header");
        go_exe_free(x);

        ElfBuilder *b = eb_new(32, true, ET_EXEC, EM_MIPS);
        eb_add_load(b, PF_R | PF_X, 0, eb_append(b, "x", 1, 1) + 1);
        ck_assert_int_eq(inspect(b, 0, &x), 0);
        ck_assert(!x->is_go);
        ck_assert_str_eq(x->not_go_reason, "no .go.buildinfo section and no writable segment");
        go_exe_free(x);

        /* An ELF file with nothing in it at all. */
        b = eb_new(64, false, ET_REL, EM_X86_64);
        ck_assert_int_eq(inspect(b, GO_EXE_ALL_FACTS, &x), 0);
        ck_assert(!x->is_go);
        ck_assert_int_eq(x->elf.kind, ELF_KIND_RELOCATABLE);
        go_exe_free(x);
}
END_TEST

START_TEST(test_other_evidence) {
        GoExe *x;
        /* Only the build ID note. */
        ElfBuilder *b = c_image(true);
        eb_add_go_buildid_note(b, "only/the/note");
        ck_assert_int_eq(inspect(b, 0, &x), 0);
        ck_assert(x->is_go);
        ck_assert_uint_eq(x->evidence, GO_EVIDENCE_BUILDID_NOTE | GO_EVIDENCE_GO_SECTIONS);
        ck_assert(!x->have_buildinfo);
        ck_assert_ptr_null(x->modinfo);
        ck_assert(x->have_elf_facts); /* Go, so the dynamic facts are read */
        ck_assert_str_eq(x->elf.go_build_id, "only/the/note");
        go_exe_free(x);

        /* Only runtime symbols. */
        static const char *const syms[] = { "runtime.main" };
        b = c_image(true);
        eb_add_symtab(b, syms, 1);
        ck_assert_int_eq(inspect(b, 0, &x), 0);
        ck_assert(x->is_go);
        ck_assert_uint_eq(x->evidence, GO_EVIDENCE_RUNTIME_SYMBOLS);
        go_exe_free(x);

        /* A Go-looking section name alone is not enough. */
        b = c_image(true);
        eb_add_section(b, ".noptrdata", SHT_PROGBITS, SHF_ALLOC, 0, 0, 0);
        ck_assert_int_eq(inspect(b, 0, &x), 0);
        ck_assert(!x->is_go);
        ck_assert_uint_eq(x->evidence, GO_EVIDENCE_GO_SECTIONS);
        ck_assert_str_eq(x->not_go_reason, "no Go build information header");
        go_exe_free(x);

        /* A pclntab header is. */
        b = c_image(true);
        uint64_t off = eb_append(b, "\xf1\xff\xff\xff\0\0\1\x08", 8, 16);
        eb_add_section(b, ".gopclntab", SHT_PROGBITS, SHF_ALLOC, eb_vaddr(b, off), off, 8);
        ck_assert_int_eq(inspect(b, 0, &x), 0);
        ck_assert(x->is_go);
        ck_assert_uint_eq(x->evidence, GO_EVIDENCE_PCLNTAB | GO_EVIDENCE_GO_SECTIONS);
        ck_assert_uint_eq(x->elf.pclntab_magic, 0xfffffff1);
        go_exe_free(x);
}
END_TEST

START_TEST(test_evidence_names) {
        ck_assert_str_eq(go_evidence_to_string(GO_EVIDENCE_BUILDINFO), "buildinfo");
        ck_assert_str_eq(go_evidence_to_string(GO_EVIDENCE_BUILDID_NOTE), "buildid-note");
        ck_assert_str_eq(go_evidence_to_string(GO_EVIDENCE_PCLNTAB), "pclntab");
        ck_assert_str_eq(go_evidence_to_string(GO_EVIDENCE_RUNTIME_SYMBOLS), "runtime-symbols");
        ck_assert_str_eq(go_evidence_to_string(GO_EVIDENCE_GO_SECTIONS), "go-sections");
        ck_assert_str_eq(go_evidence_to_string(GO_EVIDENCE_MODINFO_SENTINELS), "modinfo-sentinels");
        ck_assert_ptr_null(go_evidence_to_string(0));
        ck_assert_ptr_null(go_evidence_to_string(GO_EVIDENCE_BUILDINFO | GO_EVIDENCE_PCLNTAB));
        ck_assert_ptr_null(go_exe_free(NULL));
}
END_TEST

/* Hostile headers: an error or a verdict, never a crash; exact outcomes where they are defined. */
START_TEST(test_hostile_headers) {
        GoExe *x;
        ElfBuilder *b;

        b = go_image(EB_GO_INLINE, true, false, false);
        eb_finish(b, NULL);
        eb_put_uint(b, eb_ehdr_field(b, "e_shnum"), 0xffff, 2);
        ck_assert_int_eq(inspect(b, 0, &x), -EBADMSG);

        b = go_image(EB_GO_INLINE, true, false, false);
        eb_finish(b, NULL);
        eb_put_uint(b, eb_ehdr_field(b, "e_phoff"), UINT64_C(1) << 40, 8);
        ck_assert_int_eq(inspect(b, 0, &x), -EBADMSG);

        b = go_image(EB_GO_INLINE, true, false, false);
        eb_finish(b, NULL);
        eb_put_uint(b, eb_ehdr_field(b, "e_phoff"), b->size - 10, 8);
        ck_assert_int_eq(inspect(b, 0, &x), -EBADMSG);

        /* Every section claims sizes past the end of the file. The .go.buildinfo search reads
         * only what the segment has, and finds the header where the section starts. */
        b = go_image(EB_GO_INLINE, true, true, false);
        for (size_t i = 1; i <= b->n_shdrs; i++)
                eb_section(b, i)->size = UINT64_C(1) << 40;
        ck_assert_int_eq(inspect(b, 0, &x), 0);
        ck_assert(x->is_go);
        ck_assert_str_eq(x->buildinfo.version, "go1.21.5");
        go_exe_free(x);

        /* A .shstrtab past the end: treated as no section headers; the segment scan finds it. */
        b = go_image(EB_GO_INLINE, true, false, false);
        eb_finish(b, NULL);
        eb_put_uint(b, eb_shdr_field(b, b->n_shdrs + 1, "sh_size"), UINT64_C(1) << 40, 8);
        ck_assert_int_eq(inspect(b, 0, &x), 0);
        ck_assert(x->is_go);
        ck_assert(!x->elf.has_section_headers);
        ck_assert_int_eq(x->buildinfo.source, GO_BUILDINFO_FROM_SEGMENT);
        go_exe_free(x);

        /* A segment claiming 4 GiB of a small file. */
        for (int layout = 0; layout <= 1; layout++) {
                b = go_image(layout ? EB_GO_POINTER : EB_GO_INLINE, false, false, false);
                b->phdrs[b->go_data_phdr].filesz = b->phdrs[b->go_data_phdr].memsz = UINT64_C(1) << 32;
                ck_assert_int_eq(inspect(b, 0, &x), 0);
                ck_assert(x->is_go);
                ck_assert_str_eq(x->buildinfo.version, "go1.21.5");
                go_exe_free(x);
        }

        /* Build info varints: ten 0xff bytes; a length past the end; a length over every cap. */
        static const char *const past = "Go build information strings run past the segment";
        for (int k = 0; k < 5; k++) {
                b = go_image(EB_GO_INLINE, k & 1, false, false);
                uint8_t *v = b->data + b->go_header_offset + 32;
                if (k < 2)
                        memset(v, 0xff, 10);
                else if (k == 2)
                        eb_put_uvarint(v, 100000);
                else
                        eb_put_uvarint(v, k == 3 ? UINT64_C(1) << 40 : GO_MODINFO_SIZE_MAX + 1ull);
                ck_assert_int_eq(inspect(b, 0, &x), 0);
                ck_assert_msg(!x->is_go, "case %d", k);
                ck_assert_str_eq(x->not_go_reason, past);
                ck_assert(!x->have_buildinfo);
                go_exe_free(x);
        }
        /* The same with a build ID note: Go, without build info. */
        b = go_image(EB_GO_INLINE, true, true, false);
        memset(b->data + b->go_header_offset + 32, 0xff, 10);
        ck_assert_int_eq(inspect(b, 0, &x), 0);
        ck_assert(x->is_go);
        ck_assert(!x->have_buildinfo);
        ck_assert_uint_eq(x->evidence, GO_EVIDENCE_BUILDID_NOTE | GO_EVIDENCE_GO_SECTIONS);
        go_exe_free(x);

        /* Pre-1.18 pointers into nowhere, string lengths over the cap. */
        b = go_image(EB_GO_POINTER, false, false, false);
        eb_put_uint(b, b->go_header_offset + 16, 0xdead0000, 8);
        eb_put_uint(b, b->go_modinfo_hdr - b->base + 8, UINT64_MAX, 8);
        ck_assert_int_eq(inspect(b, 0, &x), 0);
        ck_assert(x->is_go); /* the modinfo sentinels are still there */
        ck_assert_uint_eq(x->evidence, GO_EVIDENCE_MODINFO_SENTINELS);
        go_exe_free(x);
}
END_TEST

START_TEST(test_not_regular_files) {
        GoExe *x = NULL;
        char dir[] = "/tmp/test-go-exe-XXXXXX";
        ck_assert_ptr_nonnull(mkdtemp(dir));
        char path[sizeof dir + 16];
        snprintf(path, sizeof path, "%s/fifo", dir);
        ck_assert_int_eq(mkfifo(path, 0600), 0);
        /* O_RDWR opens a FIFO without waiting for a writer; inspecting must not read it. */
        int fd = open(path, O_RDWR | O_CLOEXEC);
        ck_assert_int_ge(fd, 0);
        ck_assert_int_eq(go_exe_inspect_fd(fd, 0, NULL, &x), -EBADFD);
        ck_assert_ptr_null(x);
        close(fd);
        fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
        ck_assert_int_ge(fd, 0);
        ck_assert_int_eq(go_exe_inspect_fd(fd, GO_EXE_ALL_FACTS, NULL, &x), -EBADFD);
        close(fd);
        unlink(path);
        rmdir(dir);

        fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
        ck_assert_int_ge(fd, 0);
        ck_assert_int_eq(go_exe_inspect_fd(fd, 0, NULL, &x), -EBADFD);
        ck_assert_ptr_null(x);
        close(fd);

        fd = eb_memfd_from("#!/bin/sh\n", 10);
        ck_assert_int_eq(go_exe_inspect_fd(fd, 0, NULL, &x), -ENOEXEC);
        close(fd);
        fd = eb_memfd_from("", 0);
        ck_assert_int_eq(go_exe_inspect_fd(fd, 0, NULL, &x), -ENOEXEC);
        close(fd);
        ck_assert_ptr_null(x);
}
END_TEST

START_TEST(test_real_ls) {
        int fd = open("/usr/bin/ls", O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
                fprintf(stderr, "/usr/bin/ls not found, skipping\n");
                return;
        }
        GoExe *x = NULL;
        ck_assert_int_eq(go_exe_inspect_fd(fd, 0, NULL, &x), 0);
        ck_assert(!x->is_go);
        ck_assert_uint_eq(x->evidence, 0);
        ck_assert(!x->have_buildinfo);
        ck_assert_str_eq(x->not_go_reason, "no Go build information, build ID note or pclntab");
        go_exe_free(x);
        close(fd);
}
END_TEST

static void check_real_go(const char *path, const char *pkg, const char *signals) {
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
                fprintf(stderr, "%s not found, skipping\n", path);
                return;
        }
        GoExe *x = NULL;
        ck_assert_int_eq(go_exe_inspect_fd(fd, 0, NULL, &x), 0);
        ck_assert(x->is_go);
        ck_assert(x->have_buildinfo);
        ck_assert_str_eq(x->buildinfo.version, "go1.19.8");
        ck_assert(x->buildinfo.inline_strings);
        ck_assert_int_eq(x->buildinfo.source, GO_BUILDINFO_FROM_SECTION);
        ck_assert(x->evidence & GO_EVIDENCE_BUILDINFO);
        ck_assert(x->evidence & GO_EVIDENCE_BUILDID_NOTE);
        ck_assert(x->evidence & GO_EVIDENCE_PCLNTAB);
        ck_assert(x->evidence & GO_EVIDENCE_GO_SECTIONS);
        ck_assert_uint_eq(x->elf.pclntab_magic, 0xfffffff0); /* the Go 1.18 format */
        /* Debian strips them: the function names are still there. */
        ck_assert_str_eq(go_exe_signal_handling(x), signals);
        ck_assert_ptr_null(x->modinfo_error);
        ck_assert_str_eq(x->modinfo->path, pkg);
        ck_assert(!go_module_is_set(&x->modinfo->main));
        ck_assert_str_eq(x->goos, "linux");
        ck_assert_str_eq(x->goarch, "amd64");
        ck_assert_str_eq(x->arch_level_key, "GOAMD64");
        ck_assert_str_eq(x->arch_level, "v1");
        ck_assert_str_eq(go_modinfo_setting(x->modinfo, "-compiler"), "gc");
        ck_assert_ptr_null(x->buildmode); /* not recorded before Go 1.20 */
        ck_assert(x->have_elf_facts);
        go_exe_free(x);
        close(fd);
}

START_TEST(test_signal_handling) {
        GoExe x = { .signal_notify = -1, .signal_ignore = -1 };
        ck_assert_ptr_null(go_exe_signal_handling(&x));
        x.signal_notify = 1;
        ck_assert_ptr_null(go_exe_signal_handling(&x)); /* both or nothing */
        x.signal_ignore = 0;
        ck_assert_str_eq(go_exe_signal_handling(&x), "notify");
        x.signal_ignore = 1;
        ck_assert_str_eq(go_exe_signal_handling(&x), "notify+ignore");
        x.signal_notify = 0;
        ck_assert_str_eq(go_exe_signal_handling(&x), "ignore");
        x.signal_ignore = 0;
        ck_assert_str_eq(go_exe_signal_handling(&x), "none");
}
END_TEST

START_TEST(test_real_go) {
        check_real_go("/usr/lib/go-1.19/bin/go", "cmd/go", "notify"); /* cmd/go/internal/base */
        check_real_go("/usr/lib/go-1.19/bin/gofmt", "cmd/gofmt", "none");
}
END_TEST

static Suite *go_exe_suite(void) {
        Suite *s = suite_create("go-exe");
        TCase *tc = tcase_create("constructed");
        tcase_add_test(tc, test_go_inline_full);
        tcase_add_test(tc, test_go_layouts);
        tcase_add_test(tc, test_go_pie_relocations);
        tcase_add_test(tc, test_go_sentinels_only);
        tcase_add_test(tc, test_go_gopath_build);
        tcase_add_test(tc, test_go_modinfo_error);
        tcase_add_test(tc, test_not_go);
        tcase_add_test(tc, test_signal_handling);
        tcase_add_test(tc, test_other_evidence);
        tcase_add_test(tc, test_evidence_names);
        suite_add_tcase(s, tc);
        tc = tcase_create("hostile");
        tcase_add_test(tc, test_hostile_headers);
        tcase_add_test(tc, test_not_regular_files);
        tcase_set_timeout(tc, 120);
        suite_add_tcase(s, tc);
        tc = tcase_create("real");
        tcase_add_test(tc, test_real_ls);
        tcase_add_test(tc, test_real_go);
        tcase_set_timeout(tc, 60);
        suite_add_tcase(s, tc);
        return s;
}

DEFINE_TEST_MAIN(go_exe_suite)
