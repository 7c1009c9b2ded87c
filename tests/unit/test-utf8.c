/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test-util.h"
#include "utf8.h"

static void check_decode(const char *s, size_t n, int32_t rune, size_t len) {
        int32_t r = 12345;
        size_t k = utf8_decode((const uint8_t *) s, n, &r);
        ck_assert_int_eq(r, rune);
        ck_assert_uint_eq(k, len);
}

START_TEST(test_decode_valid) {
        check_decode("A", 1, 'A', 1);
        check_decode("\0", 1, 0, 1);
        check_decode("\x7f", 1, 0x7f, 1);
        check_decode("\xc2\x80", 2, 0x80, 2);
        check_decode("\xc3\xa9xyz", 5, 0xe9, 2);
        check_decode("\xdf\xbf", 2, 0x7ff, 2);
        check_decode("\xe0\xa0\x80", 3, 0x800, 3);
        check_decode("\xe2\x82\xac", 3, 0x20ac, 3);
        check_decode("\xed\x9f\xbf", 3, 0xd7ff, 3);
        check_decode("\xee\x80\x80", 3, 0xe000, 3);
        check_decode("\xef\xbf\xbd", 3, 0xfffd, 3);
        check_decode("\xef\xbf\xbf", 3, 0xffff, 3);
        check_decode("\xf0\x90\x80\x80", 4, 0x10000, 4);
        check_decode("\xf0\x9f\x98\x80", 4, 0x1f600, 4);
        check_decode("\xf4\x8f\xbf\xbf", 4, 0x10ffff, 4);
}
END_TEST

START_TEST(test_decode_invalid) {
        check_decode("", 0, -1, 0);
        check_decode("\x80", 1, -1, 1); /* lone continuation byte */
        check_decode("\xbf", 1, -1, 1);
        check_decode("\xc0\x80", 2, -1, 1);         /* overlong NUL */
        check_decode("\xc1\xbf", 2, -1, 1);         /* overlong */
        check_decode("\xe0\x80\x80", 3, -1, 1);     /* overlong */
        check_decode("\xe0\x9f\xbf", 3, -1, 1);     /* overlong U+07FF */
        check_decode("\xf0\x80\x80\x80", 4, -1, 1); /* overlong */
        check_decode("\xf0\x8f\xbf\xbf", 4, -1, 1); /* overlong U+FFFF */
        check_decode("\xed\xa0\x80", 3, -1, 1);     /* surrogate U+D800 */
        check_decode("\xed\xbf\xbf", 3, -1, 1);     /* surrogate U+DFFF */
        check_decode("\xf4\x90\x80\x80", 4, -1, 1); /* U+110000 */
        check_decode("\xf7\xbf\xbf\xbf", 4, -1, 1);
        check_decode("\xf8\x88\x80\x80\x80", 5, -1, 1); /* 5-byte forms do not exist */
        check_decode("\xfe", 1, -1, 1);
        check_decode("\xff", 1, -1, 1);
        check_decode("\xc3", 1, -1, 1);         /* truncated */
        check_decode("\xe2\x82", 2, -1, 1);     /* truncated */
        check_decode("\xf0\x9f\x98", 3, -1, 1); /* truncated */
        check_decode("\xc3\x41", 2, -1, 1);     /* bad continuation */
        check_decode("\xe2\x82\x41", 3, -1, 1);
        check_decode("\xf0\x9f\x98\xc0", 4, -1, 1);
        /* The length argument is honoured even if more bytes follow in memory. */
        check_decode("\xe2\x82\xac", 2, -1, 1);
}
END_TEST

static void check_encode(int32_t rune, const char *expected, size_t len) {
        char buf[4] = {};
        ck_assert_uint_eq(utf8_encode(rune, buf), len);
        ck_assert_mem_eq(buf, expected, len);
}

START_TEST(test_encode) {
        check_encode(0, "\0", 1);
        check_encode('A', "A", 1);
        check_encode(0x7f, "\x7f", 1);
        check_encode(0x80, "\xc2\x80", 2);
        check_encode(0x7ff, "\xdf\xbf", 2);
        check_encode(0x800, "\xe0\xa0\x80", 3);
        check_encode(0xffff, "\xef\xbf\xbf", 3);
        check_encode(0x10000, "\xf0\x90\x80\x80", 4);
        check_encode(0x10ffff, "\xf4\x8f\xbf\xbf", 4);
        /* Invalid runes become U+FFFD, as in Go. */
        check_encode(0xd800, "\xef\xbf\xbd", 3);
        check_encode(0xdfff, "\xef\xbf\xbd", 3);
        check_encode(0x110000, "\xef\xbf\xbd", 3);
        check_encode(-1, "\xef\xbf\xbd", 3);
}
END_TEST

START_TEST(test_round_trip_all_runes) {
        /* One assertion at the end: Check reports every passing assertion to its parent. */
        int32_t bad = -1;
        size_t valid = 0;
        for (int32_t r = 0; r <= 0x10ffff && bad < 0; r++) {
                if (!utf8_valid_rune(r))
                        continue;
                char buf[4];
                int32_t back;
                size_t n = utf8_encode(r, buf);
                if (utf8_decode((const uint8_t *) buf, n, &back) != n || back != r)
                        bad = r;
                valid++;
        }
        ck_assert_msg(bad < 0, "U+%04X does not round-trip", (unsigned) bad);
        ck_assert_uint_eq(valid, 0x110000 - 0x800);
}
END_TEST

START_TEST(test_valid_rune) {
        ck_assert(utf8_valid_rune(0));
        ck_assert(utf8_valid_rune(0xd7ff));
        ck_assert(!utf8_valid_rune(0xd800));
        ck_assert(!utf8_valid_rune(0xdfff));
        ck_assert(utf8_valid_rune(0xe000));
        ck_assert(utf8_valid_rune(0x10ffff));
        ck_assert(!utf8_valid_rune(0x110000));
        ck_assert(!utf8_valid_rune(-1));
        ck_assert(!utf8_valid_rune(INT32_MIN));
}
END_TEST

START_TEST(test_is_valid) {
        ck_assert(utf8_is_valid("", 0));
        ck_assert(utf8_is_valid("plain ascii", 11));
        ck_assert(utf8_is_valid("h\xc3\xa9llo \xe4\xb8\x96 \xf0\x9f\x98\x80", 15));
        ck_assert(utf8_is_valid("a\0b", 3));
        ck_assert(!utf8_is_valid("abc\xff", 4));
        ck_assert(!utf8_is_valid("\xed\xa0\x80", 3));
        ck_assert(!utf8_is_valid("\xe4\xb8\x96", 2));
}
END_TEST

static void check_escape(const char *s, size_t n, const char *expected, int n_escaped) {
        char *out = NULL;
        ck_assert_int_eq(utf8_escape_invalid(s, n, &out), n_escaped);
        ck_assert_str_eq(out, expected);
        ck_assert(utf8_is_valid(out, strlen(out)));
        ck_assert(utf8_needs_escape(s, n) == (n_escaped > 0));
        free(out);
}

START_TEST(test_escape_invalid) {
        /* Valid input comes back unchanged. */
        check_escape("", 0, "", 0);
        check_escape("memhog", 6, "memhog", 0);
        check_escape("h\xc3\xa9 \xe4\xb8\x96 \xf0\x9f\x98\x80", 12,
                     "h\xc3\xa9 \xe4\xb8\x96 \xf0\x9f\x98\x80", 0);
        check_escape("a\\xffb", 6, "a\\xffb", 0); /* a literal backslash is not escaped */
        /* Each invalid byte becomes \xNN, lowercase. */
        check_escape("mem\377\376hog", 8, "mem\\xff\\xfehog", 2);
        check_escape("\xc3", 1, "\\xc3", 1);
        check_escape("\xc3(", 2, "\\xc3(", 1);
        check_escape("\xe2\x82\xac\xe2\x82", 5, "\xe2\x82\xac\\xe2\\x82", 2);
        check_escape("\xed\xa0\x80", 3, "\\xed\\xa0\\x80", 3);          /* a surrogate */
        check_escape("\xc0\x80", 2, "\\xc0\\x80", 2);                   /* overlong NUL */
        check_escape("\xf4\x90\x80\x80", 4, "\\xf4\\x90\\x80\\x80", 4); /* above U+10FFFF */
        /* NUL inside a length-delimited value, too. */
        check_escape("a\0b\xff\0", 5, "a\\x00b\\xff\\x00", 3);
        /* Noncharacters, which sd-bus refuses, byte by byte; their neighbours stay. */
        check_escape("\xef\xbf\xbf", 3, "\\xef\\xbf\\xbf", 3);          /* U+FFFF */
        check_escape("\xef\xbf\xbe", 3, "\\xef\\xbf\\xbe", 3);          /* U+FFFE */
        check_escape("\xef\xb7\x90", 3, "\\xef\\xb7\\x90", 3);          /* U+FDD0 */
        check_escape("\xef\xb7\xaf", 3, "\\xef\\xb7\\xaf", 3);          /* U+FDEF */
        check_escape("\xf4\x8f\xbf\xbf", 4, "\\xf4\\x8f\\xbf\\xbf", 4); /* U+10FFFF */
        check_escape("\xef\xb7\x8f\xef\xb7\xb0\xef\xbf\xbd", 9, "\xef\xb7\x8f\xef\xb7\xb0\xef\xbf\xbd", 0);
        /* The length is honoured. */
        check_escape("ab\xff", 2, "ab", 0);
}
END_TEST

START_TEST(test_escape_all_bytes) {
        /* Every single byte: below 0x80 (but NUL) unchanged, the rest escaped. */
        for (unsigned c = 0; c < 256; c++) {
                char in = (char) c, want[5], *out = NULL;
                bool esc = c == 0 || c >= 0x80;
                if (esc)
                        snprintf(want, sizeof want, "\\x%02x", c);
                else
                        snprintf(want, sizeof want, "%c", (char) c);
                int r = utf8_escape_invalid(&in, 1, &out);
                if (r != (int) esc || strcmp(out, want) != 0)
                        ck_abort_msg("byte 0x%02x: %d '%s'", c, r, out);
                free(out);
        }
}
END_TEST

static Suite *utf8_suite(void) {
        Suite *s = suite_create("utf8");
        TCase *tc = tcase_create("core");
        tcase_add_test(tc, test_decode_valid);
        tcase_add_test(tc, test_decode_invalid);
        tcase_add_test(tc, test_encode);
        tcase_add_test(tc, test_round_trip_all_runes);
        tcase_add_test(tc, test_valid_rune);
        tcase_add_test(tc, test_is_valid);
        tcase_add_test(tc, test_escape_invalid);
        tcase_add_test(tc, test_escape_all_bytes);
        tcase_set_timeout(tc, 60);
        suite_add_tcase(s, tc);
        return s;
}

DEFINE_TEST_MAIN(utf8_suite)
