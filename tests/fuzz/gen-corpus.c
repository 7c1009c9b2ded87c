/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "elf-builder.h"

/* Writes the seed corpus: gen-corpus DIR (normally tests/fuzz/corpus). The files are committed;
 * this program is how they were made, kept so they can be remade when the builder grows. */

static const char *root;
static int failed;

static void put(const char *target, const char *name, ElfBuilder *b) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s/%s", root, target, name);
        int r = eb_write_file(b, path);
        if (r < 0) {
                fprintf(stderr, "%s: %s\n", path, strerror(-r));
                failed = 1;
        } else if (b->size >= 64 * 1024) {
                fprintf(stderr, "%s: too large for the corpus (%zu bytes)\n", path, b->size);
                failed = 1;
        }
        eb_free(b);
}

static void put_text(const char *name, const char *text, size_t len) {
        char path[4096];
        snprintf(path, sizeof path, "%s/fuzz-modinfo/%s", root, name);
        FILE *f = fopen(path, "we");
        if (!f || fwrite(text, 1, len, f) != len || fclose(f) != 0) {
                fprintf(stderr, "%s: %s\n", path, strerror(errno));
                failed = 1;
        }
}
#define PUT_TEXT(name, text) put_text(name, text, sizeof(text) - 1)

static const char modtext[] = "path\texample.com/svc/cmd/svcd\n"
                              "mod\texample.com/svc\tv1.4.0\th1:Zm9vYmFy=\n"
                              "dep\tgolang.org/x/sys\tv0.1.0\th1:c3lz=\n"
                              "dep\texample.com/old\tv1.0.0\n"
                              "=>\t../old\t\t\n"
                              "build\t-buildmode=pie\n"
                              "build\t-ldflags=\"-s -w\"\n"
                              "build\tCGO_ENABLED=1\n"
                              "build\tGOARCH=amd64\n"
                              "build\tGOOS=linux\n"
                              "build\tGOAMD64=v1\n"
                              "build\tvcs=git\n";

static const EbVerneed verneed[] = {
        { "libc.so.6", { "GLIBC_2.2.5", "GLIBC_2.34", "GLIBC_PRIVATE", "GLIBC_2.4", NULL } },
        { "libpthread.so.0", { "GLIBC_2.3.2", NULL } },
};

static const EbDynamic dynamic = {
        .needed = { "libc.so.6", "libpthread.so.0", "libfoo.so.1" },
        .verneed = verneed,
        .n_verneed = 2,
        .runpath = "$ORIGIN/../lib",
};

static void buildinfo_corpus(void) {
        static const char *const t = "fuzz-buildinfo";
        char name[64];

        for (unsigned k = 0; k < 8; k++) {
                unsigned bits = k & 1 ? 64 : 32;
                bool be = k & 2, sections = k & 4;
                snprintf(name, sizeof name, "pointer-%u%s%s.elf", bits, be ? "be" : "le",
                         sections ? "-sections" : "");
                put(t, name,
                    eb_build_go(&(EbGo){ .bits = bits,
                                         .big_endian = be,
                                         .layout = EB_GO_POINTER,
                                         .version = "go1.16.15",
                                         .modinfo = modtext,
                                         .sections = sections }));
                snprintf(name, sizeof name, "inline-%u%s%s.elf", bits, be ? "be" : "le",
                         sections ? "-sections" : "");
                put(t, name,
                    eb_build_go(&(EbGo){ .bits = bits,
                                         .big_endian = be,
                                         .layout = EB_GO_INLINE,
                                         .version = "go1.21.5",
                                         .modinfo = modtext,
                                         .sections = sections,
                                         .blob_offset = 0x40,
                                         .decoy = true,
                                         .build_id = "a/b" }));
        }
        put(t, "pointer-pie-relocs.elf",
            eb_build_go(&(EbGo){ .bits = 64,
                                 .layout = EB_GO_POINTER,
                                 .version = "go1.17.13",
                                 .modinfo = modtext,
                                 .sections = true,
                                 .pie = true,
                                 .zero_slots = true,
                                 .relocs = true }));
        put(t, "pointer-pie-relocs-s390x.elf",
            eb_build_go(&(EbGo){ .bits = 64,
                                 .big_endian = true,
                                 .layout = EB_GO_POINTER,
                                 .version = "go1.17.13",
                                 .modinfo = modtext,
                                 .sections = true,
                                 .pie = true,
                                 .zero_slots = true,
                                 .relocs = true }));
        put(t, "pointer-zero-slots-sentinels.elf",
            eb_build_go(&(EbGo){ .bits = 64,
                                 .layout = EB_GO_POINTER,
                                 .version = "go1.17.13",
                                 .modinfo = modtext,
                                 .pie = true,
                                 .zero_slots = true }));
        put(t, "inline-gopath.elf",
            eb_build_go(&(EbGo){ .bits = 64, .layout = EB_GO_INLINE, .version = "go1.19.8" }));
        put(t, "inline-no-sentinels.elf",
            eb_build_go(&(EbGo){ .bits = 64,
                                 .layout = EB_GO_INLINE,
                                 .version = "go1.19.8",
                                 .modinfo = modtext,
                                 .raw_modinfo = true }));

        ElfBuilder *b = eb_build_go(
                &(EbGo){ .bits = 64, .layout = EB_GO_INLINE, .version = "go1.21.0", .modinfo = modtext });
        memset(b->data + b->go_header_offset + 32, 0xff, 10);
        put(t, "inline-varint-overflow.elf", b);

        b = eb_build_go(
                &(EbGo){ .bits = 64, .layout = EB_GO_INLINE, .version = "go1.21.0", .modinfo = modtext });
        eb_put_uvarint(b->data + b->go_header_offset + 32, 100000);
        put(t, "inline-length-past-end.elf", b);

        b = eb_build_go(
                &(EbGo){ .bits = 64, .layout = EB_GO_INLINE, .version = "go1.21.0", .modinfo = modtext });
        b->phdrs[b->go_data_phdr].filesz = b->phdrs[b->go_data_phdr].memsz = UINT64_C(1) << 32;
        put(t, "inline-segment-4gib.elf", b);

        b = eb_build_go(
                &(EbGo){ .bits = 64, .layout = EB_GO_POINTER, .version = "go1.16", .modinfo = modtext });
        eb_put_uint(b, b->go_modinfo_hdr - b->base + 8, UINT64_MAX, 8);
        put(t, "pointer-huge-length.elf", b);

        /* PIE-like: an empty RW (RELRO) segment first, the build info in the next. */
        size_t n;
        uint8_t *blob = eb_go_inline_blob("go1.22.0", NULL, 0, 8, 2, &n);
        b = eb_new(64, false, ET_DYN, EM_X86_64);
        uint64_t relro = eb_append_zeros(b, 64, 16);
        uint64_t off = eb_append(b, blob, n, 16);
        eb_add_load(b, PF_R | PF_W, relro, 64);
        eb_add_load(b, PF_R | PF_W, off, n);
        put(t, "two-rw-segments.elf", b);
        free(blob);

        /* A hostile-input report's file without its 256 MiB hole: a segment that claims
         * 256 MiB, and build info whose pointers resolve nowhere. */
        put(t, "pointer-unresolvable-256mib.elf", eb_build_unresolvable_buildinfo(UINT64_C(256) << 20, 1));
}

static void facts_corpus(void) {
        static const char *const t = "fuzz-elf-facts";
        char name[64];

        for (unsigned k = 0; k < 8; k++) {
                unsigned bits = k & 1 ? 64 : 32;
                bool be = k & 2, sections = k & 4;
                ElfBuilder *b = eb_new(bits, be, ET_DYN,
                                       bits == 64 ? (be ? EM_S390 : EM_X86_64) : (be ? EM_MIPS : EM_386));
                uint64_t text = eb_append(b, "\xc3", 1, 16);
                eb_add_load(b, PF_R | PF_X, 0, text + 1);
                eb_add_interp(b, "/lib64/ld-linux-x86-64.so.2");
                eb_add_dynamic(b, &dynamic);
                eb_add_note(b, ".note.gnu.build-id", "GNU", NT_GNU_BUILD_ID,
                            "\x01\x02\x03\x04\x05\x06\x07\x08", 8);
                eb_add_go_buildid_note(b, "abc/def/ghi");
                b->sections = sections;
                snprintf(name, sizeof name, "dynamic-%u%s%s.elf", bits, be ? "be" : "le",
                         sections ? "-sections" : "");
                put(t, name, b);
        }

        ElfBuilder *b = eb_new(64, false, ET_DYN, EM_X86_64);
        eb_add_dynamic(b,
                       &(EbDynamic){ .needed = { "libc.so.6" }, .flags_1 = DF_1_PIE, .soname = "libx.so" });
        put(t, "static-pie.elf", b);

        static const char *const syms[] = { "main.main", "runtime.main", "runtime.buildVersion" };
        b = eb_new(64, false, ET_EXEC, EM_X86_64);
        eb_add_symtab(b, syms, 3);
        uint8_t pcln[16] = { 0xf1, 0xff, 0xff, 0xff, 0, 0, 1, 8 };
        uint64_t off = eb_append(b, pcln, sizeof pcln, 16);
        eb_add_section(b, ".gopclntab", SHT_PROGBITS, SHF_ALLOC, eb_vaddr(b, off), off, sizeof pcln);
        eb_add_section(b, ".noptrdata", SHT_PROGBITS, SHF_ALLOC | SHF_WRITE, 0, 0, 0);
        put(t, "symbols-pclntab.elf", b);

        /* A whole Go 1.20 header and its function-name table (go-funcnames.c): a program that
         * catches and ignores signals. */
        static const char names[] = "main.main\0os/signal.Notify\0os/signal.Ignore\0";
        b = eb_new(64, false, ET_EXEC, EM_X86_64);
        eb_add_symtab(b, syms, 3);
        off = eb_append_zeros(b, 8 + 8 * 8, 16);
        eb_put(b, off, pcln, 8);
        eb_put_uint(b, off + 8 + 3 * 8, 8 + 8 * 8, 8);
        eb_put_uint(b, off + 8 + 4 * 8, 8 + 8 * 8 + sizeof names, 8);
        eb_append(b, names, sizeof names, 1);
        eb_add_section(b, ".gopclntab", SHT_PROGBITS, SHF_ALLOC, eb_vaddr(b, off), off,
                       8 + 8 * 8 + sizeof names);
        put(t, "pclntab-funcnames.elf", b);

        b = eb_new(32, true, ET_EXEC, EM_PPC);
        eb_add_note(b, NULL, "Go", 4, "id/x\0\0\0\0", 8);
        eb_add_note(b, NULL, "Go", 1, "pkglist", 7);
        put(t, "notes-32be.elf", b);

        b = eb_new(64, false, ET_EXEC, EM_X86_64);
        eb_add_dynamic(b, &dynamic);
        EbPhdr *p = &b->phdrs[b->n_phdrs - 1];
        eb_finish(b, NULL);
        for (uint64_t o = p->offset; o < p->offset + p->filesz; o += 16)
                if (eb_get_uint(b, o, 8) == DT_VERNEEDNUM)
                        eb_put_uint(b, o + 8, 4000, 8);
        put(t, "verneed-count-lies.elf", b);
}

static void modinfo_corpus(void) {
        PUT_TEXT("empty.txt", "");
        PUT_TEXT("full.txt", "path\texample.com/cmd/tool\n"
                             "mod\texample.com/cmd\tv1.2.3\th1:abc=\n"
                             "dep\tgolang.org/x/sys\tv0.1.0\th1:def=\n"
                             "dep\texample.com/old\tv1.0.0\n"
                             "=>\texample.com/new\tv1.1.0\th1:ghi=\n"
                             "\n"
                             "dep\texample.com/local\tv0.0.0\n"
                             "=>\t../local\t\t\n"
                             "\n"
                             "build\t-compiler=gc\n"
                             "build\t-ldflags=\"-s -w -X main.version=1.2.3\"\n"
                             "build\tCGO_ENABLED=1\n"
                             "build\tvcs.time=2024-01-02T03:04:05Z\n");
        PUT_TEXT("quoting.txt", "build\t\"key with space\"=value\n"
                                "build\t\"a=b\"=\"x\\ty\"\n"
                                "build\t`raw key`=`raw\rvalue`\n"
                                "build\t\"\"=v\n"
                                "build\tq=\"\\\"`\\u00a0\\x01\\U0010ffff\\377\"\n"
                                "build\tempty=\n");
        PUT_TEXT("go-line-and-unknown.txt", "go\tgo1.21.0\npath\tp\nunknown\tx\n\nmod\tm\t(devel)\t\n");
        PUT_TEXT("no-final-newline.txt", "path\tp\nmod\tm\tv1");
        PUT_TEXT("error-columns.txt", "path\tp\ndep\ta\tb\tc\td\n");
        PUT_TEXT("error-replacement.txt", "path\tp\n=>\tb\tv\t\n");
        PUT_TEXT("error-quoted-key.txt", "build\t\"abc\"x=1\n");
        PUT_TEXT("error-quoted-value.txt", "build\tk=\"a\"b\n");
        PUT_TEXT("error-unquoted.txt", "build\tk=a b\n");
        PUT_TEXT("nul.txt", "path\tp\nmod\ta\0\tb\n");
        PUT_TEXT("invalid-utf8.txt",
                 "path\t\xff\xfe\nbuild\tk\xc3=v\xed\xa0\x80\nbuild\t\"\\xff\"=\"\\xc3(\"\n");
}

int main(int argc, char **argv) {
        if (argc != 2) {
                fprintf(stderr, "usage: %s CORPUS-DIR\n", argv[0]);
                return 2;
        }
        root = argv[1];
        static const char *const dirs[] = { "fuzz-buildinfo", "fuzz-elf-facts", "fuzz-modinfo" };
        for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
                char path[4096];
                snprintf(path, sizeof path, "%s/%s", root, dirs[i]);
                if (mkdir(path, 0755) < 0 && errno != EEXIST) {
                        fprintf(stderr, "%s: %s\n", path, strerror(errno));
                        return 1;
                }
        }
        buildinfo_corpus();
        facts_corpus();
        modinfo_corpus();
        return failed;
}
