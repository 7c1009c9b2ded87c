/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <elf.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <systemd/sd-event.h>
#include <time.h>

#include "exe-inspector.h"
#include "test-util.h"

static uint64_t now_ms(void) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (uint64_t) ts.tv_sec * 1000 + (uint64_t) ts.tv_nsec / 1000000;
}

/* A slow file: an ELF whose one writable segment covers 4 GiB of a sparse file, so finding (no)
 * build information means reading all of it. */
static int slow_elf(void) {
        int fd = memfd_create("slow-elf", MFD_CLOEXEC);
        ck_assert_int_ge(fd, 0);
        Elf64_Ehdr eh = {
                .e_ident = { ELFMAG0, ELFMAG1, ELFMAG2, ELFMAG3, ELFCLASS64, ELFDATA2LSB, EV_CURRENT },
                .e_type = ET_EXEC,
                .e_machine = EM_X86_64,
                .e_version = EV_CURRENT,
                .e_phoff = sizeof(Elf64_Ehdr),
                .e_ehsize = sizeof(Elf64_Ehdr),
                .e_phentsize = sizeof(Elf64_Phdr),
                .e_phnum = 1,
        };
        Elf64_Phdr ph = {
                .p_type = PT_LOAD,
                .p_flags = PF_R | PF_W,
                .p_offset = 0,
                .p_vaddr = 0x400000,
                .p_filesz = 4ull << 30,
                .p_memsz = 4ull << 30,
        };
        ck_assert_int_eq(ftruncate(fd, (off_t) (4ull << 30)), 0);
        ck_assert_int_eq(pwrite(fd, &eh, sizeof eh, 0), (ssize_t) sizeof eh);
        ck_assert_int_eq(pwrite(fd, &ph, sizeof ph, sizeof eh), (ssize_t) sizeof ph);
        return fd;
}

static unsigned done_calls;

static void on_done(void *userdata) {
        done_calls++;
        sd_event_exit(userdata, 0);
}

static int on_tick(sd_event_source *s, uint64_t usec, void *userdata) {
        unsigned *ticks = userdata;
        (*ticks)++;
        return sd_event_source_set_time_relative(s, 10 * 1000);
}

START_TEST(test_slow_file_does_not_block) {
        _cleanup_(exe_cache_freep) ExeCache *cache = NULL;
        _cleanup_(exe_inspector_freep) ExeInspector *x = NULL;
        sd_event *e = NULL;
        sd_event_source *tick = NULL;
        ExeEntry *entry = NULL;
        unsigned ticks = 0;

        ck_assert_int_eq(sd_event_new(&e), 0);
        ck_assert_int_eq(exe_cache_new(&cache), 0);
        ck_assert_int_eq(exe_inspector_new(cache, e, on_done, e, &x), 0);
        int fd = slow_elf();

        uint64_t t0 = now_ms();
        ck_assert_int_eq(exe_inspector_lookup_fd(x, fd, &entry), -EINPROGRESS);
        ck_assert_uint_lt(now_ms() - t0, 100); /* answered at once */
        ck_assert_uint_eq(exe_inspector_pending(x), 1);
        ck_assert_int_eq(exe_inspector_lookup_fd(x, fd, &entry), -EINPROGRESS); /* queued once */
        ck_assert_uint_eq(exe_inspector_pending(x), 1);

        /* The loop keeps running while the file is read: a 10 ms timer keeps firing. */
        ck_assert_int_eq(
                sd_event_add_time_relative(e, &tick, CLOCK_MONOTONIC, 10 * 1000, 1, on_tick, &ticks), 0);
        ck_assert_int_eq(sd_event_source_set_enabled(tick, SD_EVENT_ON), 0);
        ck_assert_int_eq(sd_event_loop(e), 0);
        uint64_t took = now_ms() - t0;
        ck_assert_uint_eq(done_calls, 1);
        ck_assert_uint_eq(exe_inspector_pending(x), 0);
        /* Only meaningful if reading took a while: then the timer ran meanwhile. */
        if (took > 100)
                ck_assert_uint_ge(ticks, 3);

        ck_assert_int_eq(exe_inspector_lookup_fd(x, fd, &entry), 0);
        ck_assert_ptr_nonnull(entry);
        ck_assert_ptr_nonnull(entry->exe);
        ck_assert(!entry->exe->is_go);
        exe_entry_unref(entry);

        close(fd);
        sd_event_source_disable_unref(tick);
        x = exe_inspector_free(x);
        sd_event_unref(e);
}
END_TEST

START_TEST(test_not_a_file) {
        _cleanup_(exe_cache_freep) ExeCache *cache = NULL;
        _cleanup_(exe_inspector_freep) ExeInspector *x = NULL;
        sd_event *e = NULL;
        ExeEntry *entry = NULL;
        ck_assert_int_eq(sd_event_new(&e), 0);
        ck_assert_int_eq(exe_cache_new(&cache), 0);
        ck_assert_int_eq(exe_inspector_new(cache, e, NULL, NULL, &x), 0);
        int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
        ck_assert_int_eq(exe_inspector_lookup_fd(x, fd, &entry), -EBADFD);
        ck_assert_uint_eq(exe_inspector_pending(x), 0);
        close(fd);
        x = exe_inspector_free(x);
        sd_event_unref(e);
}
END_TEST

/* The report's file, with a 4 GiB sparse segment: build info whose pointers resolve nowhere. */
static int unresolvable_elf(void) {
        int fd = slow_elf();
        uint8_t h[32] = { 0xff, ' ', 'G', 'o', ' ', 'b', 'u', 'i', 'l', 'd', 'i', 'n', 'f', ':', 8, 0 };
        uint64_t p[2] = { UINT64_C(0x7f0000000000), UINT64_C(0x7f0000001000) };
        memcpy(h + 16, p, sizeof p);
        ck_assert_int_eq(pwrite(fd, h, sizeof h, 0x1000), (ssize_t) sizeof h);
        return fd;
}

/* A file that runs out of budget is cached as failed, with the reason, and not read again. */
START_TEST(test_budget_failure_cached) {
        _cleanup_(exe_cache_freep) ExeCache *cache = NULL;
        _cleanup_(exe_inspector_freep) ExeInspector *x = NULL;
        sd_event *e = NULL;
        ExeEntry *entry = NULL;
        char key[96];

        done_calls = 0;
        ck_assert_int_eq(sd_event_new(&e), 0);
        ck_assert_int_eq(exe_cache_new(&cache), 0);
        ck_assert_int_eq(exe_inspector_new(cache, e, on_done, e, &x), 0);
        int fd = unresolvable_elf();
        ck_assert_int_eq(exe_cache_key_fd(fd, key), 0);

        ck_assert_int_eq(exe_inspector_lookup_fd(x, fd, &entry), -EINPROGRESS);
        ck_assert(exe_inspector_is_pending(x, key));
        ck_assert_int_eq(sd_event_loop(e), 0);
        ck_assert_uint_eq(done_calls, 1);
        ck_assert(!exe_inspector_is_pending(x, key));

        ck_assert_int_eq(exe_inspector_lookup_fd(x, fd, &entry), 0);
        ck_assert_ptr_null(entry->exe);
        ck_assert_int_eq(entry->error, -EDQUOT);
        ck_assert_str_eq(go_exe_error_to_string(entry->error),
                         "could not determine: read budget of 128 MiB exhausted");
        exe_entry_unref(entry);
        /* Asked again: the cached failure, nothing queued. */
        ck_assert_int_eq(exe_inspector_lookup_fd(x, fd, &entry), 0);
        ck_assert_int_eq(entry->error, -EDQUOT);
        ck_assert_uint_eq(exe_inspector_pending(x), 0);
        exe_entry_unref(entry);

        close(fd);
        x = exe_inspector_free(x);
        sd_event_unref(e);
}
END_TEST

static Suite *exe_inspector_suite(void) {
        Suite *s = suite_create("exe-inspector");
        TCase *tc = tcase_create("core");
        tcase_set_timeout(tc, 120);
        tcase_add_test(tc, test_slow_file_does_not_block);
        tcase_add_test(tc, test_not_a_file);
        tcase_add_test(tc, test_budget_failure_cached);
        suite_add_tcase(s, tc);
        return s;
}

DEFINE_TEST_MAIN(exe_inspector_suite)
