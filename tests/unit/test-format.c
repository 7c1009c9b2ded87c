/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "format.h"
#include "test-util.h"

START_TEST(test_uint64_or_infinity) {
        char buf[FORMAT_UINT64_MAX];
        ck_assert_str_eq(format_uint64_or_infinity(buf, sizeof buf, 0), "0");
        ck_assert_str_eq(format_uint64_or_infinity(buf, sizeof buf, 1024), "1024");
        ck_assert_str_eq(format_uint64_or_infinity(buf, sizeof buf, UINT64_MAX - 1), "18446744073709551614");
        ck_assert_str_eq(format_uint64_or_infinity(buf, sizeof buf, UINT64_MAX), "infinity");
}
END_TEST

START_TEST(test_bytes) {
        char buf[FORMAT_BYTES_MAX];
        ck_assert_str_eq(format_bytes(buf, sizeof buf, 0), "0B");
        ck_assert_str_eq(format_bytes(buf, sizeof buf, 1023), "1023B");
        ck_assert_str_eq(format_bytes(buf, sizeof buf, 1024), "1K");
        ck_assert_str_eq(format_bytes(buf, sizeof buf, 1536), "1.5K");
        ck_assert_str_eq(format_bytes(buf, sizeof buf, 1024 + 1023), "1.9K"); /* truncated, not rounded */
        ck_assert_str_eq(format_bytes(buf, sizeof buf, UINT64_C(40) << 20), "40M");
        ck_assert_str_eq(format_bytes(buf, sizeof buf, UINT64_C(3) << 29), "1.5G");
        ck_assert_str_eq(format_bytes(buf, sizeof buf, UINT64_C(1) << 40), "1T");
        ck_assert_str_eq(format_bytes(buf, sizeof buf, UINT64_C(5) << 50), "5P");
        ck_assert_str_eq(format_bytes(buf, sizeof buf, UINT64_C(1) << 60), "1E");
        ck_assert_str_eq(format_bytes(buf, sizeof buf, UINT64_MAX - 1), "15.9E");
        ck_assert_str_eq(format_bytes(buf, sizeof buf, UINT64_MAX), "infinity");
}
END_TEST

START_TEST(test_small_buffer) {
        char buf[3];
        ck_assert_str_eq(format_bytes(buf, sizeof buf, UINT64_C(400) << 20), "40");
        ck_assert_str_eq(format_timespan(buf, sizeof buf, UINT64_MAX), "in");
}
END_TEST

START_TEST(test_timespan) {
        char buf[FORMAT_TIMESPAN_MAX];
        ck_assert_str_eq(format_timespan(buf, sizeof buf, 0), "0");
        ck_assert_str_eq(format_timespan(buf, sizeof buf, 1), "1us");
        ck_assert_str_eq(format_timespan(buf, sizeof buf, 750), "750us");
        ck_assert_str_eq(format_timespan(buf, sizeof buf, 1000), "1ms");
        ck_assert_str_eq(format_timespan(buf, sizeof buf, 1500), "1.5ms");
        ck_assert_str_eq(format_timespan(buf, sizeof buf, 1001), "1.001ms");
        ck_assert_str_eq(format_timespan(buf, sizeof buf, 200000), "200ms");
        ck_assert_str_eq(format_timespan(buf, sizeof buf, 2000000), "2s");
        ck_assert_str_eq(format_timespan(buf, sizeof buf, 1250000), "1.25s");
        ck_assert_str_eq(format_timespan(buf, sizeof buf, 1000999), "1s"); /* below 1ms dropped */
        ck_assert_str_eq(format_timespan(buf, sizeof buf, 90 * USEC_PER_SEC), "90s");
        ck_assert_str_eq(format_timespan(buf, sizeof buf, UINT64_MAX), "infinity");
}
END_TEST

START_TEST(test_cpu_quota) {
        char buf[FORMAT_PERCENT_MAX];
        ck_assert_str_eq(format_cpu_quota(buf, sizeof buf, 0), "0%");
        ck_assert_str_eq(format_cpu_quota(buf, sizeof buf, 200000), "20%");
        ck_assert_str_eq(format_cpu_quota(buf, sizeof buf, 125000), "12.5%");
        ck_assert_str_eq(format_cpu_quota(buf, sizeof buf, 10100), "1.01%");
        ck_assert_str_eq(format_cpu_quota(buf, sizeof buf, 10099), "1%"); /* below 0.01% dropped */
        ck_assert_str_eq(format_cpu_quota(buf, sizeof buf, 2000000), "200%");
        ck_assert_str_eq(format_cpu_quota(buf, sizeof buf, UINT64_MAX), "infinity");
}
END_TEST

START_TEST(test_timestamp) {
        char buf[FORMAT_TIMESTAMP_MAX];
        ck_assert_int_eq(setenv("TZ", "UTC", 1), 0);
        tzset();
        ck_assert_str_eq(format_timestamp(buf, sizeof buf, UINT64_C(1700000000) * USEC_PER_SEC + 999999),
                         "Tue 2023-11-14 22:13:20 UTC");
        ck_assert_str_eq(format_timestamp(buf, sizeof buf, 0), "n/a");
        ck_assert_str_eq(format_timestamp(buf, sizeof buf, UINT64_MAX), "n/a");
}
END_TEST

START_TEST(test_timestamp_relative) {
        char buf[FORMAT_TIMESTAMP_RELATIVE_MAX];
        const uint64_t now = UINT64_C(1700000000) * USEC_PER_SEC;
#define REL(ago) format_timestamp_relative(buf, sizeof buf, now - (ago), now)
        ck_assert_str_eq(REL(0), "now");
        ck_assert_str_eq(REL(500), "500us ago");
        ck_assert_str_eq(REL(20 * USEC_PER_MSEC), "20ms ago");
        ck_assert_str_eq(REL(3 * USEC_PER_SEC), "3s ago");
        ck_assert_str_eq(REL(60 * USEC_PER_SEC), "1min ago");
        ck_assert_str_eq(REL(61 * USEC_PER_SEC), "1min 1s ago");
        ck_assert_str_eq(REL(5 * USEC_PER_MIN + 59 * USEC_PER_SEC), "5min ago");
        ck_assert_str_eq(REL(USEC_PER_HOUR + 3 * USEC_PER_MIN), "1h 3min ago");
        ck_assert_str_eq(REL(7 * USEC_PER_HOUR + 3 * USEC_PER_MIN), "7h ago");
        ck_assert_str_eq(REL(26 * USEC_PER_HOUR), "1 day 2h ago");
        ck_assert_str_eq(REL(2 * USEC_PER_DAY + USEC_PER_HOUR), "2 days ago");
        ck_assert_str_eq(REL(8 * USEC_PER_DAY), "1 week 1 day ago");
        ck_assert_str_eq(REL(14 * USEC_PER_DAY), "2 weeks ago");
        ck_assert_str_eq(REL(61 * USEC_PER_DAY), "2 months ago");
        ck_assert_str_eq(REL(400 * USEC_PER_DAY), "1 year 1 month ago");
#undef REL
        ck_assert_str_eq(format_timestamp_relative(buf, sizeof buf, now + 3 * USEC_PER_SEC, now), "3s left");
        ck_assert_str_eq(format_timestamp_relative(buf, sizeof buf, 0, now), "n/a");
        ck_assert_str_eq(format_timestamp_relative(buf, sizeof buf, UINT64_MAX, now), "n/a");
}
END_TEST

START_TEST(test_capabilities) {
        char *s;
        ck_assert_int_eq(format_capabilities(0, &s), 0);
        ck_assert_str_eq(s, "");
        free(s);
        ck_assert_int_eq(format_capabilities((UINT64_C(1) << 10) | (UINT64_C(1) << 19), &s), 0);
        ck_assert_str_eq(s, "cap_net_bind_service cap_sys_ptrace");
        free(s);
        ck_assert_int_eq(format_capabilities(UINT64_C(1) << 0 | UINT64_C(1) << 40, &s), 0);
        ck_assert_str_eq(s, "cap_chown cap_checkpoint_restore");
        free(s);
        ck_assert_int_eq(format_capabilities(UINT64_C(1) << 41 | UINT64_C(1) << 63, &s), 0);
        ck_assert_str_eq(s, "0x29 0x3f");
        free(s);
}
END_TEST

START_TEST(test_printable) {
        char *s;
        ck_assert_int_eq(format_printable("", &s), 0);
        ck_assert_str_eq(s, "");
        free(s);
        ck_assert_int_eq(format_printable("plain /usr/bin:\\x", &s), 0);
        ck_assert_str_eq(s, "plain /usr/bin:\\x");
        free(s);
        ck_assert_int_eq(format_printable("a\x1b[31mb\n\t\x7f", &s), 0);
        ck_assert_str_eq(s, "a\\x1b[31mb\\x0a\\x09\\x7f");
        free(s);
        /* U+009B (CSI as a C1 control) is escaped, U+00E9 and U+4E16 are not. */
        ck_assert_int_eq(format_printable("\xc2\x9b|\xc3\xa9|\xe4\xb8\x96", &s), 0);
        ck_assert_str_eq(s, "\\xc2\\x9b|\xc3\xa9|\xe4\xb8\x96");
        free(s);
        /* Invalid UTF-8, byte by byte. */
        ck_assert_int_eq(format_printable("\xff\xc3(", &s), 0);
        ck_assert_str_eq(s, "\\xff\\xc3(");
        free(s);
}
END_TEST

START_TEST(test_width) {
        ck_assert_uint_eq(format_width(""), 0);
        ck_assert_uint_eq(format_width("active"), 6);
        ck_assert_uint_eq(format_width("caf\xc3\xa9"), 4);
        ck_assert_uint_eq(format_width("\xe4\xb8\x96"), 1);
}
END_TEST

static Suite *format_suite(void) {
        Suite *s = suite_create("format");
        TCase *tc = tcase_create("core");
        tcase_add_test(tc, test_uint64_or_infinity);
        tcase_add_test(tc, test_bytes);
        tcase_add_test(tc, test_small_buffer);
        tcase_add_test(tc, test_timespan);
        tcase_add_test(tc, test_cpu_quota);
        tcase_add_test(tc, test_timestamp);
        tcase_add_test(tc, test_timestamp_relative);
        tcase_add_test(tc, test_capabilities);
        tcase_add_test(tc, test_printable);
        tcase_add_test(tc, test_width);
        suite_add_tcase(s, tc);
        return s;
}

DEFINE_TEST_MAIN(format_suite)
