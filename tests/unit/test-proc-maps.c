/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <string.h>

#include "proc-maps.h"
#include "test-util.h"

static int parse(const char *line, uint64_t *start, uint64_t *end) {
        *start = *end = 0;
        return proc_maps_journal_mapping(line, strlen(line), start, end);
}

START_TEST(test_journal_mappings) {
        uint64_t s, e;
        /* As sd-journal maps the files it reads, active, archived, and vacuumed while mapped. */
        ck_assert_int_eq(parse("7f7cad000000-7f7cad800000 r--s 01000000 00:2a 14884867                   "
                               "/var/log/journal/0585bf16bdfa4250b73a59a751cbd8a3/system.journal",
                               &s, &e),
                         1);
        ck_assert_uint_eq(s, 0x7f7cad000000ull);
        ck_assert_uint_eq(e, 0x7f7cad800000ull);
        ck_assert_int_eq(
                parse("7f00aa001000-7f00aa002000 r--s 00000000 fd:01 77 "
                      "/run/log/journal/abc/system@0585bf16-0000000000000001-000661e26f6f7108.journal",
                      &s, &e),
                1);
        ck_assert_uint_eq(s, 0x7f00aa001000ull);
        ck_assert_uint_eq(e, 0x7f00aa002000ull);
        ck_assert_int_eq(
                parse("1000-2000 r--s 00000000 fd:01 77 /var/log/journal/abc/user-1000@x.journal~", &s, &e),
                1);
        ck_assert_int_eq(
                parse("1000-3000 r--s 00000000 fd:01 77 /var/log/journal/abc/system.journal (deleted)", &s,
                      &e),
                1);
        ck_assert_uint_eq(e - s, 0x2000);
}
END_TEST

START_TEST(test_other_mappings) {
        uint64_t s = 1, e = 2;
        /* Writable, private, anonymous, other files: never a journal mapping to drop. */
        ck_assert_int_eq(
                parse("1000-2000 rw-s 00000000 fd:01 77 /var/log/journal/abc/system.journal", &s, &e), 0);
        ck_assert_int_eq(
                parse("1000-2000 r--p 00000000 fd:01 77 /var/log/journal/abc/system.journal", &s, &e), 0);
        ck_assert_int_eq(parse("1000-2000 rw-p 00000000 00:00 0 ", &s, &e), 0);
        ck_assert_int_eq(parse("1000-2000 rw-p 00000000 00:00 0", &s, &e), 0);
        ck_assert_int_eq(parse("1000-2000 r--s 00000000 00:00 0 [heap]", &s, &e), 0);
        ck_assert_int_eq(parse("1000-2000 r--s 00000000 fd:01 77 /usr/lib/libsystemd.so.0", &s, &e), 0);
        ck_assert_int_eq(parse("1000-2000 r--s 00000000 fd:01 77 /tmp/system.journal", &s, &e), 0);
        ck_assert_int_eq(parse("1000-2000 r--s 00000000 fd:01 77 /var/log/journal/abc/notes.txt", &s, &e),
                         0);
        /* Not set when it is not one. */
        ck_assert_uint_eq(s, 0);
        ck_assert_uint_eq(e, 0);
}
END_TEST

START_TEST(test_malformed) {
        uint64_t s, e;
        ck_assert_int_eq(parse("", &s, &e), -EBADMSG);
        ck_assert_int_eq(parse("1000", &s, &e), -EBADMSG);
        ck_assert_int_eq(parse("1000-", &s, &e), -EBADMSG);
        ck_assert_int_eq(parse("2000-1000 r--s 0 0 0 /var/log/journal/a/b.journal", &s, &e), -EBADMSG);
        ck_assert_int_eq(parse("1000-2000 r--s", &s, &e), -EBADMSG);
        ck_assert_int_eq(parse("1000-2000 r--s 0 0", &s, &e), -EBADMSG);
        ck_assert_int_eq(parse("1000-2000r--s 0 0 0 /var/log/journal/a/b.journal", &s, &e), -EBADMSG);
        ck_assert_int_eq(parse("x000-2000 r--s 0 0 0 /var/log/journal/a/b.journal", &s, &e), -EBADMSG);
        ck_assert_int_eq(
                parse("10000000000000000-20000000000000000 r--s 0 0 0 /var/log/journal/a/b.journal", &s, &e),
                -EBADMSG);
}
END_TEST

static Suite *proc_maps_suite(void) {
        Suite *s = suite_create("proc-maps");
        TCase *tc = tcase_create("core");
        tcase_add_test(tc, test_journal_mappings);
        tcase_add_test(tc, test_other_mappings);
        tcase_add_test(tc, test_malformed);
        suite_add_tcase(s, tc);
        return s;
}

DEFINE_TEST_MAIN(proc_maps_suite)
