/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The loader cache parser over byte images made here the way ldconfig lays them out: the old
 * format, the new one, the old followed by the new; and every way of being corrupt. */
#include <elf.h>
#include <string.h>

#include "loader-fixture.h"

static const Lib libs[] = {
        { 0x0303, "libc.so.6", "/lib/x86_64-linux-gnu/libc.so.6", 0 },
        { 0x0003, "libc.so.6", "/lib/i386-linux-gnu/libc.so.6", 0 },
        { 0x0303, "libz.so.1", "/usr/lib/x86_64-linux-gnu/libz.so.1", 0 },
};

static void new_format(Image *m, size_t base) {
        ld_cache_image_new(m, base, libs, ELEMENTSOF(libs));
}

/* The old format: header, 12-byte entries, strings after them (offsets relative to those);
 * with_new: the new format 8-aligned after the entries, inside the old string table. */
static void old_format(Image *m, bool with_new) {
        size_t strings = 16 + ELEMENTSOF(libs) * 12, s = strings;
        put(m, 0, "ld.so-1.7.0", 11);
        put32(m, 12, ELEMENTSOF(libs));
        if (with_new) {
                size_t next = (strings + 7) & ~(size_t) 7;
                new_format(m, next);
                s = m->n;
        }
        for (size_t i = 0; i < ELEMENTSOF(libs); i++) {
                size_t e = 16 + i * 12;
                /* The old entries say something else than the new ones, so the test sees which part
                 * was read. */
                put32(m, e, libs[i].flags);
                put32(m, e + 4, (uint32_t) (s - strings));
                put(m, s, libs[i].name, strlen(libs[i].name) + 1);
                s += strlen(libs[i].name) + 1;
                put32(m, e + 8, (uint32_t) (s - strings));
                put(m, s, "/old", 5);
                s += 5;
        }
}

static void assert_libs(const LdSoCache *c, const char *old_path) {
        ck_assert_uint_eq(c->n_entries, ELEMENTSOF(libs));
        for (size_t i = 0; i < ELEMENTSOF(libs); i++) {
                ck_assert_str_eq(c->entries[i].name, libs[i].name);
                ck_assert_str_eq(c->entries[i].path, old_path ?: libs[i].path);
                ck_assert_uint_eq(c->entries[i].flags, libs[i].flags);
        }
}

START_TEST(test_new) {
        Image m = {};
        LdSoCache c;
        new_format(&m, 0);
        ck_assert_int_eq(ld_so_cache_parse(m.b, m.n, &c), 0);
        ck_assert_int_eq(c.format, LD_SO_CACHE_NEW);
        assert_libs(&c, NULL);
        ck_assert_str_eq(ld_so_cache_lookup(&c, "libc.so.6", 0x0303), "/lib/x86_64-linux-gnu/libc.so.6");
        ck_assert_str_eq(ld_so_cache_lookup(&c, "libc.so.6", 0x0003), "/lib/i386-linux-gnu/libc.so.6");
        ck_assert_ptr_null(ld_so_cache_lookup(&c, "libz.so.1", 0x0003));
        ck_assert_ptr_null(ld_so_cache_lookup(&c, "libm.so.6", 0x0303));
        ld_so_cache_done(&c);
}
END_TEST

START_TEST(test_old) {
        Image m = {};
        LdSoCache c;
        old_format(&m, false);
        ck_assert_int_eq(ld_so_cache_parse(m.b, m.n, &c), 0);
        ck_assert_int_eq(c.format, LD_SO_CACHE_OLD);
        assert_libs(&c, "/old");
        ck_assert_uint_eq(c.entries[0].hwcap, 0);
        ld_so_cache_done(&c);
}
END_TEST

START_TEST(test_old_and_new) {
        Image m = {};
        LdSoCache c;
        old_format(&m, true);
        ck_assert_int_eq(ld_so_cache_parse(m.b, m.n, &c), 0);
        ck_assert_int_eq(c.format, LD_SO_CACHE_OLD_AND_NEW);
        assert_libs(&c, NULL); /* the loader reads the new part */
        ck_assert_str_eq(ld_so_cache_format_to_string(c.format), "old+new");
        ld_so_cache_done(&c);
}
END_TEST

START_TEST(test_corrupt) {
        Image m = {};
        LdSoCache c;
        new_format(&m, 0);
        /* Every truncation is refused or parsed within bounds (a cut in the string table cuts a
         * string: refused too). */
        for (size_t n = 0; n < m.n; n++)
                ck_assert_int_eq(ld_so_cache_parse(m.b, n, &c), -EBADMSG);
        /* A string offset past the end. */
        Image bad = m;
        put32(&bad, 48 + 4, 0xfffffff0u);
        ck_assert_int_eq(ld_so_cache_parse(bad.b, bad.n, &c), -EBADMSG);
        /* More entries than fit. */
        bad = m;
        put32(&bad, 20, 1000);
        ck_assert_int_eq(ld_so_cache_parse(bad.b, bad.n, &c), -EBADMSG);
        bad = m;
        put32(&bad, 20, 0xffffffffu);
        ck_assert_int_eq(ld_so_cache_parse(bad.b, bad.n, &c), -E2BIG);
        /* ldconfig's "invalid" byte order, and an unknown one. */
        bad = m;
        bad.b[28] = 1;
        ck_assert_int_eq(ld_so_cache_parse(bad.b, bad.n, &c), -EBADMSG);
        bad.b[28] = 7;
        ck_assert_int_eq(ld_so_cache_parse(bad.b, bad.n, &c), -EBADMSG);
        /* An empty name. */
        bad = m;
        put32(&bad, 48 + 4, bad.n - 1);
        ck_assert_int_eq(ld_so_cache_parse(bad.b, bad.n, &c), -EBADMSG);
        /* Not a cache. */
        ck_assert_int_eq(ld_so_cache_parse("glibc-ld.so.cache1.0", 20, &c), -EBADMSG);
        ck_assert_int_eq(ld_so_cache_parse("", 0, &c), -EBADMSG);
        /* The old format with its count past the end. */
        Image old = {};
        old_format(&old, false);
        put32(&old, 12, 4000);
        ck_assert_int_eq(ld_so_cache_parse(old.b, old.n, &c), -EBADMSG);
}
END_TEST

START_TEST(test_other_byte_order) {
        /* A cache of a big-endian host (under --root) is read in its own order. */
        Image m = {};
        LdSoCache c;
        new_format(&m, 0);
        m.b[28] = host_is_little_endian() ? 3 : 2;
        for (size_t off = 20; off < 28; off += 4) {
                uint32_t v;
                memcpy(&v, m.b + off, 4);
                put32(&m, off, __builtin_bswap32(v));
        }
        for (size_t i = 0; i < ELEMENTSOF(libs); i++)
                for (size_t k = 0; k < 3; k++) {
                        size_t off = 48 + i * 24 + k * 4;
                        uint32_t v;
                        memcpy(&v, m.b + off, 4);
                        put32(&m, off, __builtin_bswap32(v));
                }
        ck_assert_int_eq(ld_so_cache_parse(m.b, m.n, &c), 0);
        assert_libs(&c, NULL);
        ld_so_cache_done(&c);
}
END_TEST

START_TEST(test_flags_for) {
        ck_assert_uint_eq(ld_so_cache_flags_for(EM_X86_64, 64, false), 0x0303);
        ck_assert_uint_eq(ld_so_cache_flags_for(EM_X86_64, 32, false), 0x0803);
        ck_assert_uint_eq(ld_so_cache_flags_for(EM_386, 32, false), 0x0003);
        ck_assert_uint_eq(ld_so_cache_flags_for(EM_AARCH64, 64, false), 0x0a03);
        ck_assert_uint_eq(ld_so_cache_flags_for(EM_ARM, 32, false), 0x0903);
        ck_assert_uint_eq(ld_so_cache_flags_for(EM_MIPS, 32, true), 0);
}
END_TEST

static Suite *suite(void) {
        Suite *s = suite_create("ld-so-cache");
        TCase *tc = tcase_create("core");
        tcase_add_test(tc, test_new);
        tcase_add_test(tc, test_old);
        tcase_add_test(tc, test_old_and_new);
        tcase_add_test(tc, test_corrupt);
        tcase_add_test(tc, test_other_byte_order);
        tcase_add_test(tc, test_flags_for);
        suite_add_tcase(s, tc);
        return s;
}

DEFINE_TEST_MAIN(suite)
