/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <string.h>

#include "kmsg-record.h"
#include "macro.h"
#include "test-util.h"

/* Parses a copy (the parser works in place) and returns the record; the copy stays alive in buf. */
static int parse(const char *in, char *buf, size_t size, KmsgRecord *ret) {
        size_t n = strlen(in);
        ck_assert_uint_lt(n, size);
        memcpy(buf, in, n + 1);
        memset(ret, 0xaa, sizeof *ret);
        return kmsg_record_parse(buf, n, ret);
}

START_TEST(test_records) {
        char buf[1024];
        KmsgRecord r;

        /* As read on this machine's kernel (6.1): an OOM summary, with a caller id field. */
        ck_assert_int_eq(parse("6,4417,2051343122,-,caller=T6119;oom-kill:constraint=CONSTRAINT_MEMCG,"
                               "nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=/system.slice/"
                               "gomem.service,task_memcg=/system.slice/gomem.service,task=memhog,pid=6119,"
                               "uid=0\n",
                               buf, sizeof buf, &r),
                         0);
        ck_assert_uint_eq(r.facility, 0);
        ck_assert_uint_eq(r.level, 6);
        ck_assert_uint_eq(r.seq, 4417);
        ck_assert_uint_eq(r.usec, 2051343122);
        ck_assert(!r.continuation);
        ck_assert_str_eq(r.text,
                         "oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,"
                         "oom_memcg=/system.slice/gomem.service,task_memcg=/system.slice/gomem.service,"
                         "task=memhog,pid=6119,uid=0");
        ck_assert_uint_eq(r.text_len, strlen(r.text));

        /* The dictionary that follows is not text; escapes are undone. */
        ck_assert_int_eq(
                parse("3,17,5000,-;usb 1-1: caf\\xc3\\xa9 \\x5c end\n SUBSYSTEM=usb\n DEVICE=c189:1\n", buf,
                      sizeof buf, &r),
                0);
        ck_assert_uint_eq(r.level, 3);
        ck_assert_str_eq(r.text, "usb 1-1: caf\xc3\xa9 \\ end");
        /* A line with a newline inside, as the kernel escapes it. */
        ck_assert_int_eq(parse("4,1,2,-;a\\x0ab\n", buf, sizeof buf, &r), 0);
        ck_assert_uint_eq(r.text_len, 3);
        ck_assert(memcmp(r.text, "a\nb", 4) == 0);
        /* A NUL escaped: the length tells. */
        ck_assert_int_eq(parse("4,1,2,-;a\\x00b\n", buf, sizeof buf, &r), 0);
        ck_assert_uint_eq(r.text_len, 3);
        /* Bad escapes stay as they are. */
        ck_assert_int_eq(parse("4,1,2,-;\\x4 \\xzz \\\n", buf, sizeof buf, &r), 0);
        ck_assert_str_eq(r.text, "\\x4 \\xzz \\");

        /* A message written to /dev/kmsg by user space: facility 3 (daemon), level 6. */
        ck_assert_int_eq(parse("30,99,100,-;systemd[1]: Started foo.\n", buf, sizeof buf, &r), 0);
        ck_assert_uint_eq(r.facility, 3);
        ck_assert_uint_eq(r.level, 6);
        /* Continuation fragments of old kernels. */
        ck_assert_int_eq(parse("6,5,6,c;part\n", buf, sizeof buf, &r), 0);
        ck_assert(r.continuation);
        ck_assert_int_eq(parse("6,5,6,+;part\n", buf, sizeof buf, &r), 0);
        ck_assert(r.continuation);
        /* An empty text. */
        ck_assert_int_eq(parse("6,5,6,-;\n", buf, sizeof buf, &r), 0);
        ck_assert_str_eq(r.text, "");
        ck_assert_uint_eq(r.text_len, 0);
}
END_TEST

START_TEST(test_bad_records) {
        static const char *const bad[] = {
                "",
                "\n",
                "6,1,2;no flags\n",
                "6,1,2,\n",
                "6,1,2,-\n",          /* no ';' */
                "6,1,2,-;no newline", /* truncated */
                "x,1,2,-;text\n",
                "6,,2,-;text\n",
                "6,1,,-;text\n",
                "6,1,2x,-;text\n",
                "-6,1,2,-;text\n",
                "16777216,1,2,-;text\n",             /* not a syslog prefix */
                "6,99999999999999999999,2,-;text\n", /* overflows */
                "6,1,99999999999999999999,-;text\n",
        };
        char buf[256];
        KmsgRecord r;
        for (size_t i = 0; i < ELEMENTSOF(bad); i++)
                ck_assert_msg(parse(bad[i], buf, sizeof buf, &r) == -EBADMSG, "accepted: %s", bad[i]);
}
END_TEST

/* The parser never reads or writes outside buf[0..n): n bytes exactly, in their own allocation
 * (ASan sees a byte past them). */
START_TEST(test_exact_buffer) {
        static const char *const inputs[] = { "6,1,2,-;abc\n", "6,1,2,-;abc", "6,1,2,-;\\x41\\x4",
                                              "6,1,2,-;" };
        for (size_t i = 0; i < ELEMENTSOF(inputs); i++) {
                size_t n = strlen(inputs[i]);
                char *b = malloc(n);
                ck_assert_ptr_nonnull(b);
                memcpy(b, inputs[i], n);
                KmsgRecord r;
                int k = kmsg_record_parse(b, n, &r);
                if (k == 0)
                        ck_assert(r.text >= b && r.text + r.text_len < b + n);
                free(b);
        }
}
END_TEST

static Suite *kmsg_record_suite(void) {
        Suite *s = suite_create("kmsg-record");
        TCase *tc = tcase_create("parse");
        tcase_add_test(tc, test_records);
        tcase_add_test(tc, test_bad_records);
        tcase_add_test(tc, test_exact_buffer);
        suite_add_tcase(s, tc);
        return s;
}

DEFINE_TEST_MAIN(kmsg_record_suite)
