/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A script's "#!" line as the kernel reads it (fs/binfmt_script.c). */
#include <errno.h>
#include <string.h>

#include "shebang.h"
#include "test-util.h"

static void parse(const char *text, size_t n, const char *interp, const char *arg) {
        Shebang s;
        ck_assert_int_eq(shebang_parse(text, n, &s), 0);
        ck_assert_str_eq(s.interpreter, interp);
        if (arg)
                ck_assert_str_eq(s.argument, arg);
        else
                ck_assert_ptr_null(s.argument);
        shebang_done(&s);
}

static void refused(const char *text, size_t n) {
        Shebang s;
        ck_assert_int_eq(shebang_parse(text, n, &s), -ENOEXEC);
}

START_TEST(test_lines) {
        parse("#!/bin/sh\necho hi\n", 18, "/bin/sh", NULL);
        parse("#!/bin/sh", 9, "/bin/sh", NULL); /* no newline, the file ends */
        parse("#! /usr/bin/env  python3 -u \t\nprint(1)\n", 39, "/usr/bin/env", "python3 -u");
        parse("#!\t/opt/app/bin/node\t--harmony\r\n", 32, "/opt/app/bin/node", "--harmony\r");
        parse("#!bash\n", 7, "bash", NULL);            /* relative: the kernel opens it from the cwd */
        parse("#!/bin/sh\0-x\n", 13, "/bin/sh", NULL); /* a NUL ends it */
        parse("#!/bin/sh \n", 11, "/bin/sh", NULL);
}
END_TEST

START_TEST(test_not_scripts) {
        refused("", 0);
        refused("#", 1);
        refused("\x7f"
                "ELF\x02\x01\x01",
                7);
        refused("# !/bin/sh\n", 11);
        refused("#!\n/bin/sh\n", 11);
        refused("#! \t \n", 6);
        refused("#!\0/bin/sh\n", 11);
}
END_TEST

/* Only the first 256 bytes: a line longer than them counts when the interpreter's path ends inside
 * them, its argument cut; a path cut by them does not. */
START_TEST(test_long_lines) {
        char buf[600], want[300];
        memset(buf, 0, sizeof buf);
        memcpy(buf, "#!/bin/sh ", 10);
        memset(buf + 10, 'x', 400);
        buf[410] = '\n';
        memset(want, 'x', 255 - 10);
        want[255 - 10] = 0;
        parse(buf, 411, "/bin/sh", want);

        memcpy(buf, "#!/", 3);
        memset(buf + 3, 'a', 400);
        refused(buf, 411);
        /* A path that ends at the file's end, in fewer than 256 bytes: a script. */
        memset(want, 'a', sizeof want);
        want[0] = '/';
        want[198] = 0;
        parse(buf, 200, want, NULL);
}
END_TEST

static Suite *shebang_suite(void) {
        Suite *s = suite_create("shebang");
        TCase *tc = tcase_create("core");
        tcase_add_test(tc, test_lines);
        tcase_add_test(tc, test_not_scripts);
        tcase_add_test(tc, test_long_lines);
        suite_add_tcase(s, tc);
        return s;
}

DEFINE_TEST_MAIN(shebang_suite)
