/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The probe's query and the reading of its reply. */
#include <string.h>

#include "dns-packet.h"
#include "test-util.h"

START_TEST(test_query) {
        uint8_t buf[DNS_PACKET_QUERY_MAX];
        int n = dns_packet_query("db.gg.invalid.", 0x1234, buf, sizeof buf);
        static const uint8_t expected[] = { 0x12, 0x34, 0x01, 0x00, 0, 1,   0,   0, 0,   0,   0,
                                            0,    2,    'd',  'b',  2, 'g', 'g', 7, 'i', 'n', 'v',
                                            'a',  'l',  'i',  'd',  0, 0,   1,   0, 1 };
        ck_assert_int_eq(n, (int) sizeof expected);
        ck_assert_mem_eq(buf, expected, sizeof expected);
        ck_assert_int_eq(dns_packet_query("db.gg.invalid", 0x1234, buf, sizeof buf), n);
        ck_assert_int_eq(dns_packet_query("db.gg.invalid", 0x1234, buf, (size_t) n - 1), -ENOBUFS);

        char label[70];
        memset(label, 'a', 64);
        label[64] = 0;
        ck_assert_int_eq(dns_packet_query(label, 1, buf, sizeof buf), -EINVAL);
        label[63] = 0;
        ck_assert_int_eq(dns_packet_query(label, 1, buf, sizeof buf), 12 + 1 + 63 + 1 + 4);
        static const char *const bad[] = { "", ".", "a..b", "a.b..", ".a" };
        for (size_t i = 0; i < ELEMENTSOF(bad); i++)
                ck_assert_msg(dns_packet_query(bad[i], 1, buf, sizeof buf) == -EINVAL, "%s", bad[i]);
        char longname[300];
        memset(longname, 'a', sizeof longname - 1);
        longname[sizeof longname - 1] = 0;
        for (size_t i = 50; i < sizeof longname - 1; i += 51)
                longname[i] = '.';
        ck_assert_int_eq(dns_packet_query(longname, 1, buf, sizeof buf), -EINVAL);
}
END_TEST

START_TEST(test_reply) {
        uint8_t r[12] = { 0x12, 0x34, 0x81, 0x83 };
        unsigned rcode = 99;
        ck_assert_int_eq(dns_packet_reply_rcode(r, sizeof r, 0x1234, &rcode), 0);
        ck_assert_uint_eq(rcode, 3);
        ck_assert_str_eq(dns_rcode_to_string(rcode), "NXDOMAIN");
        ck_assert_int_eq(dns_packet_reply_rcode(r, sizeof r, 0x1235, &rcode), -ESRCH);
        ck_assert_int_eq(dns_packet_reply_rcode(r, 11, 0x1234, &rcode), -EBADMSG);
        r[2] = 0x01; /* a query, not a reply */
        ck_assert_int_eq(dns_packet_reply_rcode(r, sizeof r, 0x1234, &rcode), -EBADMSG);
        ck_assert_str_eq(dns_rcode_to_string(0), "NOERROR");
        ck_assert_str_eq(dns_rcode_to_string(5), "REFUSED");
        ck_assert_ptr_null(dns_rcode_to_string(9));
}
END_TEST

static Suite *dns_packet_suite(void) {
        Suite *s = suite_create("dns-packet");
        TCase *tc = tcase_create("dns-packet");
        tcase_add_test(tc, test_query);
        tcase_add_test(tc, test_reply);
        suite_add_tcase(s, tc);
        return s;
}

DEFINE_TEST_MAIN(dns_packet_suite)
