/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Hostile executables: huge sparse segments, many segments, slow files. Whatever the headers
 * claim, an inspection reads at most its budget, holds about one scan chunk, and says "could
 * not determine" when the budget runs out. */
#include <errno.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "elf-builder.h"
#include "go-exe.h"
#include "test-util.h"

#define MIB UINT64_C(1048576)
#define GIB (1024 * MIB)

/* Check runs each test in its own process, so this high-water mark is the test's own. */
static long maxrss_kib(void) {
        struct rusage ru;
        ck_assert_int_eq(getrusage(RUSAGE_SELF, &ru), 0);
        return ru.ru_maxrss;
}

/* The 8 KiB file of the report, its one RW segment and its size segment_size. */
static int unresolvable_file(uint64_t segment_size, size_t n_loads) {
        ElfBuilder *b = eb_build_unresolvable_buildinfo(segment_size, n_loads);
        int fd = eb_memfd_sparse(b, segment_size);
        ck_assert_int_ge(fd, 0);
        eb_free(b);
        return fd;
}

/* One RW segment of size bytes from offset 0 of a sparse file, and nothing else. */
static int empty_segment_file(uint64_t size, size_t n_loads) {
        ElfBuilder *b = eb_new(64, false, ET_EXEC, EM_X86_64);
        for (size_t i = 0; i < n_loads; i++)
                eb_add_phdr(b, PT_LOAD, PF_R | PF_W, 0, 0x400000, size, size);
        int fd = eb_memfd_sparse(b, size);
        ck_assert_int_ge(fd, 0);
        eb_free(b);
        return fd;
}

START_TEST(test_error_strings) {
        ck_assert_str_eq(go_exe_error_to_string(-EDQUOT),
                         "could not determine: read budget of 128 MiB exhausted");
        ck_assert_str_eq(go_exe_error_to_string(-ETIME),
                         "could not determine: time budget of 5 s exhausted");
        ck_assert_str_eq(go_exe_error_to_string(-ENOEXEC), "not an ELF file");
        ck_assert_str_eq(go_exe_error_to_string(-EBADMSG), "corrupt ELF headers");
        ck_assert_str_eq(go_exe_error_to_string(-EBADFD), "not a regular file");
        ck_assert_str_eq(go_exe_error_to_string(-E2BIG), "headers exceed size limits");
        ck_assert_ptr_null(go_exe_error_to_string(-EIO));
        ck_assert_uint_eq(ELF_BUDGET_BYTES_DEFAULT, 128 * MIB);
        ck_assert_uint_eq(ELF_BUDGET_USEC_DEFAULT, 5000000);
}
END_TEST

/* The report's file: 256 MiB of segment, 8 KiB on disk, build info at 0x1000 whose pointers
 * resolve nowhere. The sentinel search used to allocate and read the whole segment; now it reads
 * in chunks until the budget is spent, and that is the answer. */
START_TEST(test_unresolvable_256mib) {
        int fd = unresolvable_file(256 * MIB, 1);
        long rss0 = maxrss_kib();
        GoExe *x = NULL;
        ck_assert_int_eq(go_exe_inspect_fd(fd, GO_EXE_ALL_FACTS, NULL, &x), -EDQUOT);
        ck_assert_ptr_null(x);
        long grown = maxrss_kib() - rss0;
        ck_assert_msg(grown < 8 * 1024, "memory grew by %ld KiB", grown);

        /* With room for all of it, the same search ends in "not Go", still in bounded memory. */
        ElfBudget big = { .bytes = GIB };
        ck_assert_int_eq(go_exe_inspect_fd(fd, GO_EXE_ALL_FACTS, &big, &x), 0);
        ck_assert(!x->is_go);
        ck_assert_str_eq(x->not_go_reason, "Go build information pointers do not resolve");
        go_exe_free(x);
        grown = maxrss_kib() - rss0;
        ck_assert_msg(grown < 8 * 1024, "memory grew by %ld KiB", grown);
        close(fd);
}
END_TEST

/* 512 GiB of segment: the same answer as for 256 MiB, after the same 128 MiB; and without build
 * info, only the window is searched. */
START_TEST(test_sparse_512gib) {
        int fd = unresolvable_file(512 * GIB, 1);
        GoExe *x = NULL;
        ck_assert_int_eq(go_exe_inspect_fd(fd, GO_EXE_ALL_FACTS, NULL, &x), -EDQUOT);
        close(fd);

        fd = empty_segment_file(512 * GIB, 1);
        ck_assert_int_eq(go_exe_inspect_fd(fd, GO_EXE_ALL_FACTS, NULL, &x), 0);
        ck_assert(!x->is_go);
        ck_assert_str_eq(x->not_go_reason, "no Go build information header");
        go_exe_free(x);
        close(fd);
}
END_TEST

/* The header is found anywhere in the first GO_BUILDINFO_WINDOW bytes of a segment, and not
 * past them, in bounded memory. */
START_TEST(test_window) {
        static const struct {
                uint64_t at;
                bool found;
        } cases[] = {
                { GO_BUILDINFO_WINDOW - 4096, true },
                { GO_BUILDINFO_WINDOW - 32, true }, /* the header's last byte is the window's */
                { GO_BUILDINFO_WINDOW, false },
        };
        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                int fd = empty_segment_file(4 * GIB, 1);
                size_t n;
                uint8_t *blob = eb_go_inline_blob("go1.22.0", NULL, 0, 8, 2, &n);
                ck_assert_int_eq(pwrite(fd, blob, n, (off_t) cases[i].at), (ssize_t) n);
                free(blob);

                long rss0 = maxrss_kib();
                GoExe *x = NULL;
                ck_assert_int_eq(go_exe_inspect_fd(fd, GO_EXE_ALL_FACTS, NULL, &x), 0);
                ck_assert_int_eq(x->is_go, cases[i].found);
                if (cases[i].found) {
                        ck_assert_str_eq(x->buildinfo.version, "go1.22.0");
                        ck_assert_uint_eq(x->buildinfo.address, 0x400000 + cases[i].at);
                } else
                        ck_assert_str_eq(x->not_go_reason, "no Go build information header");
                go_exe_free(x);
                long grown = maxrss_kib() - rss0;
                ck_assert_msg(grown < 8 * 1024, "memory grew by %ld KiB", grown);
                close(fd);
        }
}
END_TEST

/* Sixteen RW segments over the same 256 MiB: the windows add up to 1 GiB, the budget stops it. */
START_TEST(test_many_segments) {
        int fd = empty_segment_file(256 * MIB, 16);
        GoExe *x = NULL;
        ck_assert_int_eq(go_exe_inspect_fd(fd, GO_EXE_ALL_FACTS, NULL, &x), -EDQUOT);
        close(fd);

        /* A RELRO-like segment searched whole and the next one are within budget. */
        fd = empty_segment_file(48 * MIB, 2);
        ck_assert_int_eq(go_exe_inspect_fd(fd, GO_EXE_ALL_FACTS, NULL, &x), 0);
        ck_assert(!x->is_go);
        go_exe_free(x);
        close(fd);
}
END_TEST

static uint64_t fake_usec;
static uint64_t fake_step;

/* A clock that moves fake_step µs each time it is read. */
static uint64_t fake_now(void) {
        return fake_usec += fake_step;
}

/* The time budget: a clock that says 10 ms pass per read stops the report's file after 1 s, long
 * before its 128 MiB; a clock that stands still stops nothing. */
START_TEST(test_time_budget) {
        int fd = unresolvable_file(256 * MIB, 1);
        ElfBudget slow = { .bytes = ELF_BUDGET_BYTES_DEFAULT, .usec = 1000000, .now = fake_now };
        GoExe *x = NULL;
        fake_usec = 0, fake_step = 10000;
        ck_assert_int_eq(go_exe_inspect_fd(fd, GO_EXE_ALL_FACTS, &slow, &x), -ETIME);
        /* Checked before each read: about 100 reads of at most one chunk. */
        ck_assert_uint_le(fake_usec, 1000000 + 2 * fake_step);
        close(fd);

        ElfBuilder *b = eb_build_go(&(EbGo){ .bits = 64, .layout = EB_GO_INLINE, .version = "go1.22.1" });
        fd = eb_memfd(b);
        eb_free(b);
        fake_step = 0;
        ck_assert_int_eq(go_exe_inspect_fd(fd, GO_EXE_ALL_FACTS, &slow, &x), 0);
        ck_assert(x->is_go);
        go_exe_free(x);
        /* And one whose clock runs out while it is opened. */
        fake_step = 400000;
        ck_assert_int_eq(go_exe_inspect_fd(fd, GO_EXE_ALL_FACTS, &slow, &x), -ETIME);
        close(fd);
}
END_TEST

/* An exhausted budget is sticky: every read after it fails the same way, and it is the answer
 * whatever the reads that failed looked like to their callers. */
START_TEST(test_budget_sticky) {
        ElfBuilder *b = eb_build_go(&(EbGo){ .bits = 64, .layout = EB_GO_INLINE, .version = "go1.22.1" });
        int fd = eb_memfd(b);
        eb_free(b);

        ElfFile *f = NULL;
        ck_assert_int_eq(elf_file_open(fd, NULL, &f), 0);
        uint64_t used = ELF_BUDGET_BYTES_DEFAULT - f->budget_bytes;
        ck_assert_uint_gt(used, 64);
        elf_file_free(f);

        /* Exactly what opening takes: opened, and nothing more can be read. */
        ElfBudget tight = { .bytes = used };
        ck_assert_int_eq(elf_file_open(fd, &tight, &f), 0);
        ck_assert_uint_eq(f->budget_bytes, 0);
        GoBuildInfoBlob blob = {};
        const char *reason = NULL;
        ck_assert_int_eq(go_buildinfo_read(f, &blob, &reason), -EDQUOT);
        ck_assert_ptr_null(reason);
        ck_assert_int_eq(f->budget_error, -EDQUOT);
        uint8_t c;
        ck_assert_int_eq(elf_file_pread(f, 0, &c, 1), -EDQUOT);
        ck_assert_int_eq(elf_file_charge(f, 0), -EDQUOT);
        elf_file_free(f);

        tight.bytes = used - 1;
        ck_assert_int_eq(elf_file_open(fd, &tight, &f), -EDQUOT);
        GoExe *x = NULL;
        ck_assert_int_eq(go_exe_inspect_fd(fd, GO_EXE_ALL_FACTS, &tight, &x), -EDQUOT);
        close(fd);
}
END_TEST

/* The sentinel search reads in chunks that overlap: a sentinel across a chunk boundary is still
 * found, for the start and for the end. */
START_TEST(test_sentinels_across_chunks) {
        const uint64_t chunk = GO_BUILDINFO_SCAN_CHUNK;
        static const char text[] = "path\texample.com/x\nmod\texample.com/x\t(devel)\t\n";
        static const struct {
                uint64_t start;  /* file offset of the start sentinel */
                uint64_t filler; /* bytes of text before the real one */
        } cases[] = {
                { GO_BUILDINFO_SCAN_CHUNK - 7, 0 },
                { 3 * 4096, GO_BUILDINFO_SCAN_CHUNK - 9 - (sizeof text - 1) },
        };
        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                int fd = unresolvable_file(8 * MIB, 1);
                size_t n = 16 + cases[i].filler + sizeof text - 1 + 16;
                uint8_t *w = malloc(n);
                ck_assert_ptr_nonnull(w);
                memcpy(w, eb_go_info_start, 16);
                memset(w + 16, 'x', cases[i].filler);
                memcpy(w + 16 + cases[i].filler, text, sizeof text - 1);
                memcpy(w + n - 16, eb_go_info_end, 16);
                ck_assert_int_eq(pwrite(fd, w, n, (off_t) cases[i].start), (ssize_t) n);
                free(w);
                /* The end search starts after the start sentinel; in the second case the end
                 * sentinel straddles the end of its first chunk. */
                uint64_t end_at = n - 32;
                if (cases[i].filler > 0)
                        ck_assert(end_at < chunk && end_at + 16 > chunk);

                ElfFile *f = NULL;
                GoBuildInfoBlob blob = {};
                const char *reason = NULL;
                ck_assert_int_eq(elf_file_open(fd, NULL, &f), 0);
                ck_assert_int_eq(go_buildinfo_read(f, &blob, &reason), 0);
                ck_assert_int_eq(blob.source, GO_BUILDINFO_FROM_SENTINELS);
                ck_assert_ptr_null(blob.version);
                ck_assert_uint_eq(blob.modinfo_len, cases[i].filler + sizeof text - 1);
                ck_assert_mem_eq(blob.modinfo + cases[i].filler, text, sizeof text - 1);
                go_buildinfo_blob_done(&blob);
                elf_file_free(f);
                close(fd);
        }
}
END_TEST

static Suite *go_exe_hostile_suite(void) {
        Suite *s = suite_create("go-exe-hostile");
        TCase *tc = tcase_create("budget");
        tcase_add_test(tc, test_error_strings);
        tcase_add_test(tc, test_unresolvable_256mib);
        tcase_add_test(tc, test_sparse_512gib);
        tcase_add_test(tc, test_window);
        tcase_add_test(tc, test_many_segments);
        tcase_add_test(tc, test_time_budget);
        tcase_add_test(tc, test_budget_sticky);
        tcase_add_test(tc, test_sentinels_across_chunks);
        tcase_set_timeout(tc, 120);
        suite_add_tcase(s, tc);
        return s;
}

DEFINE_TEST_MAIN(go_exe_hostile_suite)
