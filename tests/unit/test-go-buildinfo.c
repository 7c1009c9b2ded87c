/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "elf-builder.h"
#include "go-buildinfo.h"
#include "test-util.h"

static const char modtext[] =
        "path\texample.com/hello\n"
        "mod\texample.com/hello\t(devel)\t\n"
        "dep\tgolang.org/x/text\tv0.3.7\th1:olpwvP2KacW1ZWvsR7uQhoyTYvKAupfQrRGBFM352Gk=\n";

/* go_buildinfo_read() on the finished image; frees the builder. */
static int read_info(ElfBuilder *b, GoBuildInfoBlob *ret, const char **ret_reason) {
        int fd = eb_memfd(b);
        ck_assert_int_ge(fd, 0);
        ElfFile *f = NULL;
        ck_assert_int_eq(elf_file_open(fd, NULL, &f), 0);
        *ret = (GoBuildInfoBlob){};
        *ret_reason = NULL;
        int r = go_buildinfo_read(f, ret, ret_reason);
        elf_file_free(f);
        close(fd);
        eb_free(b);
        return r;
}

static void check_not_found_at(ElfBuilder *b, const char *reason, int line) {
        GoBuildInfoBlob blob;
        const char *why;
        int r = read_info(b, &blob, &why);
        ck_assert_msg(r == -ENOMSG, "line %d: expected -ENOMSG, got %d", line, r);
        ck_assert_ptr_nonnull(why);
        ck_assert_msg(strcmp(why, reason) == 0, "line %d: reason '%s', expected '%s'", line, why, reason);
        ck_assert_ptr_null(blob.version);
        ck_assert_ptr_null(blob.modinfo);
}
#define check_not_found(b, reason) check_not_found_at(b, reason, __LINE__)

START_TEST(test_uvarint) {
        uint64_t v = 12345;
        ck_assert_int_eq(go_uvarint((const uint8_t *) "\x00", 1, &v), 1);
        ck_assert_uint_eq(v, 0);
        ck_assert_int_eq(go_uvarint((const uint8_t *) "\x7f", 1, &v), 1);
        ck_assert_uint_eq(v, 127);
        ck_assert_int_eq(go_uvarint((const uint8_t *) "\x80\x01", 2, &v), 2);
        ck_assert_uint_eq(v, 128);
        ck_assert_int_eq(go_uvarint((const uint8_t *) "\xac\x02junk", 6, &v), 2);
        ck_assert_uint_eq(v, 300);
        ck_assert_int_eq(go_uvarint((const uint8_t *) "\xff\xff\x03", 3, &v), 3);
        ck_assert_uint_eq(v, 65535);
        ck_assert_int_eq(go_uvarint((const uint8_t *) "\x80\x80\x80\x80\x80\x80\x80\x80\x80\x01", 10, &v),
                         10);
        ck_assert_uint_eq(v, UINT64_C(1) << 63);
        ck_assert_int_eq(go_uvarint((const uint8_t *) "\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", 10, &v),
                         10);
        ck_assert_uint_eq(v, UINT64_MAX);

        /* The buffer ends first: 0, *ret untouched. */
        v = 42;
        ck_assert_int_eq(go_uvarint((const uint8_t *) "", 0, &v), 0);
        ck_assert_int_eq(go_uvarint((const uint8_t *) "\x80", 1, &v), 0);
        ck_assert_int_eq(go_uvarint((const uint8_t *) "\xff\xff\xff\xff\xff\xff\xff\xff\xff", 9, &v), 0);
        ck_assert_int_eq(go_uvarint((const uint8_t *) "\x80\x01", 1, &v), 0); /* n is honoured */
        ck_assert_uint_eq(v, 42);

        /* Overflow: a tenth byte above 1, or ten continuation bytes. */
        ck_assert_int_eq(go_uvarint((const uint8_t *) "\xff\xff\xff\xff\xff\xff\xff\xff\xff\x02", 10, &v),
                         -1);
        ck_assert_int_eq(go_uvarint((const uint8_t *) "\x80\x80\x80\x80\x80\x80\x80\x80\x80\x7f", 10, &v),
                         -1);
        ck_assert_int_eq(go_uvarint((const uint8_t *) "\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff", 10, &v),
                         -1);
        ck_assert_int_eq(
                go_uvarint((const uint8_t *) "\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", 11, &v), -1);
        ck_assert_uint_eq(v, 42);
}
END_TEST

START_TEST(test_strip_sentinels) {
        size_t n;
        uint8_t *w = eb_go_wrap_modinfo("path\tx\n", 7, &n);
        char *start = NULL;
        ck_assert_uint_eq(n, 39);
        ck_assert_uint_eq(go_modinfo_strip_sentinels((char *) w, n, &start), 7);
        ck_assert_ptr_eq(start, (char *) w + 16);
        ck_assert_mem_eq(start, "path\tx\n", 7);
        free(w);

        /* The smallest text that passes: one newline. */
        w = eb_go_wrap_modinfo("\n", 1, &n);
        ck_assert_uint_eq(go_modinfo_strip_sentinels((char *) w, n, &start), 1);
        ck_assert_ptr_eq(start, (char *) w + 16);
        free(w);

        /* Go only checks the length and the byte before the end sentinel, not the sentinels. */
        char buf[40];
        memset(buf, 'x', sizeof buf);
        buf[sizeof buf - 17] = '\n';
        ck_assert_uint_eq(go_modinfo_strip_sentinels(buf, sizeof buf, &start), 8);
        ck_assert_ptr_eq(start, buf + 16);

        /* Too short, or no newline before the end sentinel: nothing, and start is the input. */
        ck_assert_uint_eq(go_modinfo_strip_sentinels(buf, 32, &start), 0);
        ck_assert_ptr_eq(start, buf);
        ck_assert_uint_eq(go_modinfo_strip_sentinels(buf, 0, &start), 0);
        buf[sizeof buf - 17] = 'x';
        ck_assert_uint_eq(go_modinfo_strip_sentinels(buf, sizeof buf, &start), 0);
        ck_assert_ptr_eq(start, buf);
        w = eb_go_wrap_modinfo("path\tx", 6, &n);
        ck_assert_uint_eq(go_modinfo_strip_sentinels((char *) w, n, &start), 0);
        free(w);
}
END_TEST

/* Go 1.13-1.17: pointers to string headers, in all four class/byte-order combinations, found
 * through the section and through the segment. */
START_TEST(test_pointer_layout) {
        for (unsigned i = 0; i < 8; i++) {
                unsigned bits = i & 1 ? 64 : 32;
                bool be = i & 2, sections = i & 4;
                ElfBuilder *b = eb_build_go(&(EbGo){
                        .bits = bits,
                        .big_endian = be,
                        .layout = EB_GO_POINTER,
                        .version = "go1.16.15",
                        .modinfo = modtext,
                        .sections = sections,
                        .build_id = "abc/def",
                });
                uint64_t addr = b->go_header_vaddr;
                GoBuildInfoBlob blob;
                const char *why;
                ck_assert_msg(read_info(b, &blob, &why) == 0, "case %u: %s", i, why);
                ck_assert_str_eq(blob.version, "go1.16.15");
                ck_assert_str_eq(blob.modinfo, modtext);
                ck_assert_uint_eq(blob.modinfo_len, sizeof modtext - 1);
                ck_assert_uint_eq(blob.address, addr);
                ck_assert_uint_eq(blob.ptr_size, bits / 8);
                ck_assert_uint_eq(blob.flags, be ? 1 : 0);
                ck_assert(!blob.inline_strings);
                ck_assert(!blob.used_relocations);
                ck_assert_int_eq(blob.source,
                                 sections ? GO_BUILDINFO_FROM_SECTION : GO_BUILDINFO_FROM_SEGMENT);
                go_buildinfo_blob_done(&blob);
                ck_assert_ptr_null(blob.version);
        }
}
END_TEST

/* A pre-1.18 PIE: the pointer slots are zero in the file and RELATIVE relocations carry them. */
START_TEST(test_pointer_pie_relocations) {
        static const struct {
                unsigned bits;
                bool be;
                uint16_t machine;
        } cases[] = {
                { 64, false, EM_X86_64 },
                { 64, false, EM_AARCH64 },
                { 64, true, EM_S390 },
        };
        for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
                ElfBuilder *b = eb_build_go(&(EbGo){
                        .bits = cases[i].bits,
                        .big_endian = cases[i].be,
                        .machine = cases[i].machine,
                        .layout = EB_GO_POINTER,
                        .version = "go1.17.13",
                        .modinfo = modtext,
                        .sections = true,
                        .pie = true,
                        .zero_slots = true,
                        .relocs = true,
                        .blob_offset = 16,
                });
                ck_assert_uint_eq(b->base, 0);
                /* The slots really are zero in the file. */
                size_t w = eb_ptr_size(b);
                ck_assert_uint_eq(eb_get_uint(b, b->go_header_offset + 16, w), 0);
                ck_assert_uint_eq(eb_get_uint(b, b->go_header_offset + 16 + w, w), 0);
                uint64_t addr = b->go_header_vaddr;
                GoBuildInfoBlob blob;
                const char *why;
                ck_assert_msg(read_info(b, &blob, &why) == 0, "case %zu: %s", i, why);
                ck_assert_str_eq(blob.version, "go1.17.13");
                ck_assert_str_eq(blob.modinfo, modtext);
                ck_assert_uint_eq(blob.address, addr);
                ck_assert(blob.used_relocations);
                ck_assert(!blob.inline_strings);
                ck_assert_int_eq(blob.source, GO_BUILDINFO_FROM_SECTION);
                go_buildinfo_blob_done(&blob);
        }
}
END_TEST

/* Zero slots that nothing resolves: the modinfo is still found by its sentinels. */
START_TEST(test_pointer_sentinel_fallback) {
        for (int sections = 0; sections <= 1; sections++) {
                ElfBuilder *b = eb_build_go(&(EbGo){
                        .bits = 64,
                        .layout = EB_GO_POINTER,
                        .version = "go1.17.13",
                        .modinfo = modtext,
                        .sections = sections,
                        .pie = true,
                        .zero_slots = true,
                });
                GoBuildInfoBlob blob;
                const char *why;
                ck_assert_int_eq(read_info(b, &blob, &why), 0);
                ck_assert_ptr_null(blob.version);
                ck_assert_str_eq(blob.modinfo, modtext);
                ck_assert_uint_eq(blob.modinfo_len, sizeof modtext - 1);
                ck_assert_int_eq(blob.source, GO_BUILDINFO_FROM_SENTINELS);
                go_buildinfo_blob_done(&blob);
        }

        /* No sentinels either: nothing. */
        ElfBuilder *b = eb_build_go(&(EbGo){
                .bits = 64,
                .layout = EB_GO_POINTER,
                .version = "go1.17.13",
                .modinfo = modtext,
                .raw_modinfo = true,
                .pie = true,
                .zero_slots = true,
        });
        check_not_found(b, "Go build information pointers do not resolve");
}
END_TEST

START_TEST(test_pointer_bad_strings) {
        /* A version length past the end of the file: the version is unreadable, so only the
         * sentinels are left. */
        ElfBuilder *b = eb_build_go(
                &(EbGo){ .bits = 64, .layout = EB_GO_POINTER, .version = "go1.16", .modinfo = modtext });
        eb_put_uint(b, b->go_version_hdr - b->base + 8, UINT64_C(1) << 40, 8);
        GoBuildInfoBlob blob;
        const char *why;
        ck_assert_int_eq(read_info(b, &blob, &why), 0);
        ck_assert_ptr_null(blob.version);
        ck_assert_str_eq(blob.modinfo, modtext);
        ck_assert_int_eq(blob.source, GO_BUILDINFO_FROM_SENTINELS);
        go_buildinfo_blob_done(&blob);

        /* A bad modinfo string reads as "", as in Go. */
        b = eb_build_go(&(EbGo){ .bits = 32,
                                 .big_endian = true,
                                 .layout = EB_GO_POINTER,
                                 .version = "go1.16",
                                 .modinfo = modtext });
        eb_put_uint(b, b->go_modinfo_hdr - b->base + 4, 0xfffffff0, 4);
        ck_assert_int_eq(read_info(b, &blob, &why), 0);
        ck_assert_str_eq(blob.version, "go1.16");
        ck_assert_str_eq(blob.modinfo, "");
        ck_assert_uint_eq(blob.modinfo_len, 0);
        go_buildinfo_blob_done(&blob);

        /* A modinfo data pointer into nowhere: likewise. */
        b = eb_build_go(
                &(EbGo){ .bits = 64, .layout = EB_GO_POINTER, .version = "go1.16", .modinfo = modtext });
        eb_put_uint(b, b->go_modinfo_hdr - b->base, 0x7fff0000, 8);
        ck_assert_int_eq(read_info(b, &blob, &why), 0);
        ck_assert_str_eq(blob.version, "go1.16");
        ck_assert_str_eq(blob.modinfo, "");
        go_buildinfo_blob_done(&blob);

        /* A pointer size other than 4 or 8. */
        for (unsigned ps = 0; ps < 256; ps++) {
                if (ps == 4 || ps == 8)
                        continue;
                b = eb_build_go(&(EbGo){
                        .bits = 64, .layout = EB_GO_POINTER, .version = "go1.16", .modinfo = modtext });
                b->data[b->go_header_offset + 14] = (uint8_t) ps;
                check_not_found(b, "invalid pointer size in Go build information header");
        }

        /* A 32-bit header in a 64-bit file still works: the header, not the ELF class, decides. */
        b = eb_build_go(
                &(EbGo){ .bits = 64, .layout = EB_GO_POINTER, .version = "go1.16", .modinfo = modtext });
        uint64_t hdr = b->go_header_offset, vh = b->go_version_hdr, mh = b->go_modinfo_hdr;
        uint64_t va = b->go_version_addr, ma = b->go_modinfo_addr, ml = eb_get_uint(b, mh - b->base + 8, 8);
        b->data[hdr + 14] = 4;
        memset(b->data + hdr + 16, 0, 16);
        eb_put_uint(b, hdr + 16, vh, 4);
        eb_put_uint(b, hdr + 20, mh, 4);
        memset(b->data + vh - b->base, 0, 16);
        eb_put_uint(b, vh - b->base, va, 4);
        eb_put_uint(b, vh - b->base + 4, 6, 4);
        memset(b->data + mh - b->base, 0, 16);
        eb_put_uint(b, mh - b->base, ma, 4);
        eb_put_uint(b, mh - b->base + 4, ml, 4);
        ck_assert_int_eq(read_info(b, &blob, &why), 0);
        ck_assert_str_eq(blob.version, "go1.16");
        ck_assert_uint_eq(blob.ptr_size, 4);
        go_buildinfo_blob_done(&blob);
}
END_TEST

START_TEST(test_inline_with_sections) {
        ElfBuilder *b = eb_build_go(&(EbGo){
                .bits = 64,
                .layout = EB_GO_INLINE,
                .version = "go1.21.3",
                .modinfo = modtext,
                .sections = true,
                .blob_offset = 0x40,
                .decoy = true,
        });
        uint64_t addr = b->go_header_vaddr;
        GoBuildInfoBlob blob;
        const char *why;
        ck_assert_int_eq(read_info(b, &blob, &why), 0);
        ck_assert_str_eq(blob.version, "go1.21.3");
        ck_assert_str_eq(blob.modinfo, modtext);
        ck_assert_uint_eq(blob.modinfo_len, sizeof modtext - 1);
        ck_assert_uint_eq(blob.address, addr);
        ck_assert_uint_eq(blob.ptr_size, 8);
        ck_assert_uint_eq(blob.flags, 2);
        ck_assert(blob.inline_strings);
        ck_assert(!blob.used_relocations);
        ck_assert_int_eq(blob.source, GO_BUILDINFO_FROM_SECTION);
        go_buildinfo_blob_done(&blob);
}
END_TEST

/* No section headers: the first RW PT_LOAD is scanned for a 16-aligned magic, which need not be
 * at its start; a misaligned copy before it is skipped. */
START_TEST(test_inline_without_sections) {
        static const size_t offsets[] = { 0, 0x40, 0x1230, 0x100000 - 16, 0x100000, 0x100000 + 0x50 };
        for (size_t i = 0; i < sizeof offsets / sizeof offsets[0]; i++)
                for (unsigned k = 0; k < 4; k++) {
                        bool be = k & 1, bits32 = k & 2;
                        ElfBuilder *b = eb_build_go(&(EbGo){
                                .bits = bits32 ? 32 : 64,
                                .big_endian = be,
                                .layout = EB_GO_INLINE,
                                .version = "go1.22.1",
                                .modinfo = modtext,
                                .blob_offset = offsets[i],
                                .decoy = offsets[i] >= 32,
                                .bss = 0x1000,
                        });
                        uint64_t addr = b->go_header_vaddr;
                        ck_assert_uint_eq(addr, b->phdrs[b->go_data_phdr].vaddr + offsets[i]);
                        GoBuildInfoBlob blob;
                        const char *why;
                        ck_assert_msg(read_info(b, &blob, &why) == 0, "offset %zx: %s", offsets[i], why);
                        ck_assert_str_eq(blob.version, "go1.22.1");
                        ck_assert_str_eq(blob.modinfo, modtext);
                        ck_assert_uint_eq(blob.address, addr);
                        ck_assert_uint_eq(blob.ptr_size, bits32 ? 4 : 8);
                        ck_assert_uint_eq(blob.flags, be ? 3 : 2);
                        ck_assert(blob.inline_strings);
                        ck_assert_int_eq(blob.source, GO_BUILDINFO_FROM_SEGMENT);
                        go_buildinfo_blob_done(&blob);
                }
}
END_TEST

START_TEST(test_inline_only_misaligned_magic) {
        /* Only a misaligned magic: not Go. */
        ElfBuilder *b = eb_build_go(&(EbGo){ .bits = 64,
                                             .layout = EB_GO_INLINE,
                                             .version = "go1.22.1",
                                             .modinfo = modtext,
                                             .blob_offset = 0x40 });
        uint8_t hdr[32];
        memcpy(hdr, b->data + b->go_header_offset, sizeof hdr);
        eb_put(b, b->go_header_offset, "\0\0\0\0", 4);
        eb_put(b, b->go_header_offset + 4, hdr, sizeof hdr);
        check_not_found(b, "no Go build information header");
}
END_TEST

START_TEST(test_inline_large_modinfo) {
        /* Well over the 64 KiB that Go <= 1.21 read: it must come back whole. */
        size_t n_deps = 2000;
        char *text = malloc(128 + n_deps * 128);
        ck_assert_ptr_nonnull(text);
        size_t len = (size_t) sprintf(text, "path\texample.com/big\nmod\texample.com/big\t(devel)\t\n");
        for (size_t i = 0; i < n_deps; i++)
                len += (size_t) sprintf(text + len, "dep\texample.com/module%04zu\tv1.%zu.0\th1:%040zu=\n",
                                        i, i, i);
        ck_assert_uint_gt(len, 128 * 1024);

        for (int sections = 0; sections <= 1; sections++) {
                ElfBuilder *b = eb_build_go(&(EbGo){ .bits = 64,
                                                     .layout = EB_GO_INLINE,
                                                     .version = "go1.20.14",
                                                     .modinfo = text,
                                                     .sections = sections,
                                                     .blob_offset = 0x80 });
                GoBuildInfoBlob blob;
                const char *why;
                ck_assert_int_eq(read_info(b, &blob, &why), 0);
                ck_assert_str_eq(blob.version, "go1.20.14");
                ck_assert_uint_eq(blob.modinfo_len, len);
                ck_assert_uint_eq(strlen(blob.modinfo), len);
                ck_assert_mem_eq(blob.modinfo, text, len);
                go_buildinfo_blob_done(&blob);

                b = eb_build_go(&(EbGo){ .bits = 64,
                                         .layout = EB_GO_POINTER,
                                         .version = "go1.16.1",
                                         .modinfo = text,
                                         .sections = sections });
                ck_assert_int_eq(read_info(b, &blob, &why), 0);
                ck_assert_str_eq(blob.version, "go1.16.1");
                ck_assert_uint_eq(blob.modinfo_len, len);
                ck_assert_mem_eq(blob.modinfo, text, len);
                go_buildinfo_blob_done(&blob);
        }
        free(text);
}
END_TEST

START_TEST(test_inline_modinfo_variants) {
        /* GOPATH build: a version and no modinfo. */
        ElfBuilder *b = eb_build_go(&(EbGo){ .bits = 64, .layout = EB_GO_INLINE, .version = "go1.19.8" });
        GoBuildInfoBlob blob;
        const char *why;
        ck_assert_int_eq(read_info(b, &blob, &why), 0);
        ck_assert_str_eq(blob.version, "go1.19.8");
        ck_assert_str_eq(blob.modinfo, "");
        ck_assert_uint_eq(blob.modinfo_len, 0);
        go_buildinfo_blob_done(&blob);

        /* Modinfo without its sentinels is dropped silently, as Go does. */
        b = eb_build_go(&(EbGo){ .bits = 64,
                                 .layout = EB_GO_INLINE,
                                 .version = "go1.19.8",
                                 .modinfo = modtext,
                                 .raw_modinfo = true });
        ck_assert_int_eq(read_info(b, &blob, &why), 0);
        ck_assert_str_eq(blob.version, "go1.19.8");
        ck_assert_str_eq(blob.modinfo, "");
        go_buildinfo_blob_done(&blob);

        /* A NUL byte inside the modinfo: all of it is kept, modinfo_len is what is stored. */
        b = eb_build_go(&(EbGo){ .bits = 64,
                                 .layout = EB_GO_INLINE,
                                 .version = "go1.19.8",
                                 .modinfo = "path\tx\0y\n",
                                 .modinfo_len = 9 });
        ck_assert_int_eq(read_info(b, &blob, &why), 0);
        ck_assert_uint_eq(blob.modinfo_len, 9);
        ck_assert_mem_eq(blob.modinfo, "path\tx\0y\n", 10);
        go_buildinfo_blob_done(&blob);

        /* A version string of the devel kind, with experiments. */
        const char *devel = "devel go1.23-e44fa1c1a9 Tue Jun 18 17:40:54 2024 +0000 X:loopvar";
        b = eb_build_go(&(EbGo){ .bits = 64, .layout = EB_GO_INLINE, .version = devel, .modinfo = modtext });
        ck_assert_int_eq(read_info(b, &blob, &why), 0);
        ck_assert_str_eq(blob.version, devel);
        go_buildinfo_blob_done(&blob);

        /* An empty version means not Go. */
        b = eb_build_go(&(EbGo){ .bits = 64, .layout = EB_GO_INLINE, .version = "", .modinfo = modtext });
        check_not_found(b, "empty Go version in build information");
        b = eb_build_go(&(EbGo){ .bits = 64, .layout = EB_GO_POINTER, .version = "", .modinfo = modtext });
        check_not_found(b, "empty Go version in build information");
        /* So does a version with a NUL byte in it. */
        b = eb_build_go(
                &(EbGo){ .bits = 64, .layout = EB_GO_INLINE, .version = "go1.2x", .modinfo = modtext });
        b->data[b->go_header_offset + 32 + 1 + 4] = 0;
        check_not_found(b, "empty Go version in build information");
}
END_TEST

START_TEST(test_inline_hostile_lengths) {
        static const char *const past = "Go build information strings run past the segment";
        GoBuildInfoBlob blob;
        const char *why;

        /* A varint of ten 0xff bytes. */
        ElfBuilder *b = eb_build_go(
                &(EbGo){ .bits = 64, .layout = EB_GO_INLINE, .version = "go1.21.0", .modinfo = modtext });
        memset(b->data + b->go_header_offset + 32, 0xff, 10);
        check_not_found(b, past);

        /* The same for the modinfo length. */
        b = eb_build_go(
                &(EbGo){ .bits = 64, .layout = EB_GO_INLINE, .version = "go1.21.0", .modinfo = modtext });
        memset(b->data + b->go_header_offset + 32 + 1 + 8, 0xff, 10);
        check_not_found(b, past);

        /* A version length past the end of the segment (and of the file). */
        b = eb_build_go(
                &(EbGo){ .bits = 64, .layout = EB_GO_INLINE, .version = "go1.21.0", .modinfo = modtext });
        b->data[b->go_header_offset + 32] = 0x7f;
        check_not_found(b, past);

        /* Lengths beyond every cap, but not backed by the file: malformed, not over-size. */
        static const uint64_t huge[] = { UINT64_C(1) << 26, (UINT64_C(1) << 26) + 1, UINT64_C(1) << 40,
                                         UINT64_MAX };
        for (size_t i = 0; i < sizeof huge / sizeof huge[0]; i++) {
                b = eb_build_go(&(EbGo){
                        .bits = 64, .layout = EB_GO_INLINE, .version = "go1.21.0", .modinfo = modtext });
                eb_put_uvarint(b->data + b->go_header_offset + 32, huge[i]);
                check_not_found(b, past);
        }

        /* The modinfo length runs one byte past the end of the segment's file image. */
        b = eb_build_go(
                &(EbGo){ .bits = 64, .layout = EB_GO_INLINE, .version = "go1.21.0", .modinfo = "x\n" });
        uint64_t seg_end = b->phdrs[b->go_data_phdr].offset + b->phdrs[b->go_data_phdr].filesz;
        uint64_t mod_at = b->go_header_offset + 32 + 1 + 8 + 1;
        b->data[mod_at - 1] = (uint8_t) (seg_end - mod_at + 1);
        check_not_found(b, past);
        /* ... and exactly to the end is fine (the sentinels do not fit, so modinfo is ""). */
        b = eb_build_go(
                &(EbGo){ .bits = 64, .layout = EB_GO_INLINE, .version = "go1.21.0", .modinfo = "x\n" });
        b->data[mod_at - 1] = (uint8_t) (seg_end - mod_at);
        ck_assert_int_eq(read_info(b, &blob, &why), 0);
        ck_assert_str_eq(blob.version, "go1.21.0");
        ck_assert_str_eq(blob.modinfo, "");
        go_buildinfo_blob_done(&blob);
}
END_TEST

/* Bytes past p_filesz (bss) cannot be read. */
START_TEST(test_blob_in_bss) {
        ElfBuilder *b = eb_build_go(&(EbGo){ .bits = 64,
                                             .layout = EB_GO_INLINE,
                                             .version = "go1.21.0",
                                             .modinfo = modtext,
                                             .blob_offset = 0x100 });
        EbPhdr *p = &b->phdrs[b->go_data_phdr];
        p->memsz = p->filesz;
        p->filesz = 0x100 + 16; /* the header straddles the end of the file image */
        check_not_found(b, "truncated Go build information header");

        b = eb_build_go(&(EbGo){ .bits = 64,
                                 .layout = EB_GO_INLINE,
                                 .version = "go1.21.0",
                                 .modinfo = modtext,
                                 .blob_offset = 0x100 });
        p = &b->phdrs[b->go_data_phdr];
        p->filesz = 0x100 + 32; /* the header fits, the strings are in bss */
        check_not_found(b, "Go build information strings run past the segment");
}
END_TEST

START_TEST(test_segment_claims_4gib) {
        /* The segment claims 4 GiB of a small file: what the file holds is still read, nothing
         * past it, and no allocation follows the claim. */
        for (int layout = 0; layout <= 1; layout++) {
                ElfBuilder *b = eb_build_go(&(EbGo){ .bits = 64,
                                                     .layout = layout ? EB_GO_POINTER : EB_GO_INLINE,
                                                     .version = "go1.21.0",
                                                     .modinfo = modtext,
                                                     .blob_offset = 0x20 });
                b->phdrs[b->go_data_phdr].filesz = b->phdrs[b->go_data_phdr].memsz = UINT64_C(1) << 32;
                GoBuildInfoBlob blob;
                const char *why;
                ck_assert_int_eq(read_info(b, &blob, &why), 0);
                ck_assert_str_eq(blob.version, "go1.21.0");
                ck_assert_str_eq(blob.modinfo, modtext);
                go_buildinfo_blob_done(&blob);
        }

        ElfBuilder *b = eb_new(64, false, ET_EXEC, EM_X86_64);
        uint64_t off = eb_append_zeros(b, 4096, 16);
        eb_add_phdr(b, PT_LOAD, PF_R | PF_W, off, 0x600000, UINT64_C(1) << 32, UINT64_C(1) << 32);
        check_not_found(b, "no Go build information header");

        /* A segment whose address range wraps around. */
        b = eb_new(64, false, ET_EXEC, EM_X86_64);
        off = eb_append_zeros(b, 4096, 16);
        eb_add_phdr(b, PT_LOAD, PF_R | PF_W, off, UINT64_MAX - 100, 4096, 4096);
        check_not_found(b, "no Go build information header");
}
END_TEST

START_TEST(test_data_start_choice) {
        size_t n;
        uint8_t *blob = eb_go_inline_blob("go1.21.0", NULL, 0, 8, 2, &n);

        /* No writable segment, no section: nothing to search. */
        ElfBuilder *b = eb_new(64, false, ET_EXEC, EM_X86_64);
        uint64_t off = eb_append(b, blob, n, 16);
        eb_add_load(b, PF_R | PF_X, 0, off + n);
        check_not_found(b, "no .go.buildinfo section and no writable segment");

        /* A writable and executable segment is not the data segment. */
        b = eb_new(64, false, ET_EXEC, EM_X86_64);
        off = eb_append(b, blob, n, 16);
        eb_add_load(b, PF_R | PF_W | PF_X, off, n);
        check_not_found(b, "no .go.buildinfo section and no writable segment");

        b = eb_new(64, false, ET_EXEC, EM_X86_64);
        off = eb_append(b, blob, n, 16);
        eb_add_load(b, PF_R | PF_W, off, n);
        uint64_t want = eb_vaddr(b, off);
        GoBuildInfoBlob info;
        const char *why;
        ck_assert_int_eq(read_info(b, &info, &why), 0);
        ck_assert_str_eq(info.version, "go1.21.0");
        ck_assert_uint_eq(info.address, want);
        ck_assert_int_eq(info.source, GO_BUILDINFO_FROM_SEGMENT);
        go_buildinfo_blob_done(&info);

        /* Without sections every RW segment is searched in order: in a PIE the first one is
         * RELRO and the blob starts the next (Go itself reads only the first). */
        b = eb_new(64, false, ET_DYN, EM_X86_64);
        uint64_t empty = eb_append_zeros(b, 64, 16);
        off = eb_append(b, blob, n, 16);
        eb_add_load(b, PF_R | PF_W, empty, 64);
        eb_add_load(b, PF_R | PF_W | PF_X, off, n); /* not a data segment */
        eb_add_load(b, PF_R | PF_W, off, n);
        want = eb_vaddr(b, off);
        ck_assert_int_eq(read_info(b, &info, &why), 0);
        ck_assert_str_eq(info.version, "go1.21.0");
        ck_assert_uint_eq(info.address, want);
        ck_assert_int_eq(info.source, GO_BUILDINFO_FROM_SEGMENT);
        go_buildinfo_blob_done(&info);

        /* ... and the first one that has a header wins. */
        size_t n2;
        uint8_t *blob2 = eb_go_inline_blob("go1.99.0", NULL, 0, 8, 2, &n2);
        b = eb_new(64, false, ET_DYN, EM_X86_64);
        uint64_t off2 = eb_append(b, blob2, n2, 16);
        off = eb_append(b, blob, n, 16);
        eb_add_load(b, PF_R | PF_W, off, n);
        eb_add_load(b, PF_R | PF_W, off2, n2);
        ck_assert_int_eq(read_info(b, &info, &why), 0);
        ck_assert_str_eq(info.version, "go1.21.0");
        go_buildinfo_blob_done(&info);
        free(blob2);

        /* The header must have 32 bytes before the end of the searched range. */
        b = eb_new(64, false, ET_EXEC, EM_X86_64);
        off = eb_append(b, blob, n, 16);
        eb_add_load(b, PF_R | PF_W, off, 31);
        check_not_found(b, "no Go build information header");

        /* A .go.buildinfo section wins over the segment, even if it has nothing. */
        b = eb_new(64, false, ET_EXEC, EM_X86_64);
        empty = eb_append_zeros(b, 64, 16);
        off = eb_append(b, blob, n, 16);
        eb_add_load(b, PF_R | PF_W, empty, off + n - empty);
        eb_add_section(b, ".go.buildinfo", SHT_PROGBITS, SHF_ALLOC | SHF_WRITE, eb_vaddr(b, empty), empty,
                       64);
        check_not_found(b, "no Go build information header");

        /* A section whose start is not 16-aligned is searched from the next aligned address. */
        b = eb_new(64, false, ET_EXEC, EM_X86_64);
        off = eb_append(b, blob, n, 16);
        eb_add_load(b, PF_R | PF_W, off - 16, n + 16);
        eb_add_section(b, ".go.buildinfo", SHT_PROGBITS, SHF_ALLOC | SHF_WRITE, eb_vaddr(b, off - 7),
                       off - 7, n + 7);
        ck_assert_int_eq(read_info(b, &info, &why), 0);
        ck_assert_str_eq(info.version, "go1.21.0");
        ck_assert_int_eq(info.source, GO_BUILDINFO_FROM_SECTION);
        go_buildinfo_blob_done(&info);

        /* An empty .go.buildinfo section. */
        b = eb_new(64, false, ET_EXEC, EM_X86_64);
        off = eb_append(b, blob, n, 16);
        eb_add_load(b, PF_R | PF_W, off, n);
        eb_add_section(b, ".go.buildinfo", SHT_PROGBITS, SHF_ALLOC | SHF_WRITE, eb_vaddr(b, off), off, 0);
        check_not_found(b, "no .go.buildinfo section and no writable segment");
        free(blob);
}
END_TEST

static Suite *go_buildinfo_suite(void) {
        Suite *s = suite_create("go-buildinfo");
        TCase *tc = tcase_create("helpers");
        tcase_add_test(tc, test_uvarint);
        tcase_add_test(tc, test_strip_sentinels);
        suite_add_tcase(s, tc);
        tc = tcase_create("pointer");
        tcase_add_test(tc, test_pointer_layout);
        tcase_add_test(tc, test_pointer_pie_relocations);
        tcase_add_test(tc, test_pointer_sentinel_fallback);
        tcase_add_test(tc, test_pointer_bad_strings);
        suite_add_tcase(s, tc);
        tc = tcase_create("inline");
        tcase_add_test(tc, test_inline_with_sections);
        tcase_add_test(tc, test_inline_without_sections);
        tcase_add_test(tc, test_inline_only_misaligned_magic);
        tcase_add_test(tc, test_inline_large_modinfo);
        tcase_add_test(tc, test_inline_modinfo_variants);
        tcase_add_test(tc, test_inline_hostile_lengths);
        tcase_add_test(tc, test_blob_in_bss);
        tcase_add_test(tc, test_segment_claims_4gib);
        tcase_add_test(tc, test_data_start_choice);
        tcase_set_timeout(tc, 60);
        suite_add_tcase(s, tc);
        return s;
}

DEFINE_TEST_MAIN(go_buildinfo_suite)
