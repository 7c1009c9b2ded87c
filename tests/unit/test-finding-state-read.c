/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "finding-state-test-util.h"

static const char valid[] =
        "goguard-findings 1\n" /* 1 */
        "finding 0123456789abcdef0123456789abcdef oom-kill critical open gomem.service "
        "fedcba9876543210fedcba9876543210 100 200 2 0\n"                       /* 2 */
        "summary gomem.service\\skilled\n"                                     /* 3 */
        "evidence u kernel_pid 10323\n"                                        /* 4 */
        "evidence s comm gofix\\x2dcgo\\x20x\n"                                /* 5 */
        "evidence i adj -1000\n"                                               /* 6 */
        "evidence b known 1\n"                                                 /* 7 */
        "evidence t at 1700000000000000\n"                                     /* 8 */
        "advice text read\\sthis\n"                                            /* 9 */
        "advice dropin set\\sit [Service]\\nEnvironment=GOMEMLIMIT=36MiB\\n\n" /* 10 */
        "seen -/kpid/10323\n"                                                  /* 11 */
        "seen -/kpid/10324\n"                                                  /* 12 */
        "end\n"                                                                /* 13 */
        "finding 00000000000000000000000000000001 global-oom critical resolved other.service \\e 5 5 1 9\n"
        "end\n"; /* 14, 15 */

START_TEST(test_read_valid) {
        FindingStore s;
        read_ok(valid, strlen(valid), &s);
        ck_assert_uint_eq(finding_store_count(&s, NULL, _FINDING_STATE_INVALID), 2);
        Finding *f = finding_store_get(&s, "0123456789abcdef0123456789abcdef");
        ck_assert_ptr_nonnull(f);
        ck_assert_int_eq(f->class, FINDING_OOM_KILL);
        ck_assert_int_eq(f->state, FINDING_OPEN);
        ck_assert_str_eq(f->unit, "gomem.service");
        ck_assert_ptr_null(f->discriminator); /* a file of a version without them */
        ck_assert_str_eq(f->invocation_id, "fedcba9876543210fedcba9876543210");
        ck_assert_str_eq(f->summary, "gomem.service killed");
        ck_assert_uint_eq(f->first_seen, 100);
        ck_assert_uint_eq(f->last_seen, 200);
        ck_assert_uint_eq(f->count, 2);
        ck_assert_uint_eq(finding_get(f, "kernel_pid")->u, 10323);
        ck_assert_str_eq(finding_get(f, "comm")->s, "gofix-cgo x"); /* \xHH decoded */
        ck_assert_int_eq(finding_get(f, "adj")->i, -1000);
        ck_assert_int_eq(finding_get(f, "known")->type, EVIDENCE_BOOL);
        ck_assert_int_eq(finding_get(f, "at")->type, EVIDENCE_USEC);
        ck_assert_uint_eq(f->n_advice, 2);
        ck_assert_ptr_null(f->advice[0].snippet);
        ck_assert_str_eq(f->advice[1].snippet, "[Service]\nEnvironment=GOMEMLIMIT=36MiB\n");
        ck_assert(finding_seen(f, "-/kpid/10324"));
        ck_assert_uint_eq(f->n_seen_keys, 2);
        f = finding_store_get(&s, "00000000000000000000000000000001");
        ck_assert_ptr_nonnull(f);
        ck_assert_int_eq(f->state, FINDING_RESOLVED);
        ck_assert_str_eq(f->invocation_id, "");
        ck_assert_ptr_null(f->summary);
        ck_assert_uint_eq(f->state_changed, 9);
        finding_store_done(&s);

        /* Tolerated: leading zeros, a repeated evidence key or summary (the last wins), a text
         * advice with a snippet, seen lines already seen, a count above the seen keys. */
        static const char odd[] =
                "goguard-findings 1\n"
                "finding 0123456789abcdef0123456789abcdef panic critical open u \\e 007 0 9 0\n"
                "summary a\n"
                "summary b\n"
                "evidence u k 1\n"
                "evidence s k two\n"
                "evidence i z -0\n"
                "advice text t snippet\n"
                "seen x\n"
                "seen x\n"
                "end\n";
        read_ok(odd, strlen(odd), &s);
        f = finding_store_get(&s, "0123456789abcdef0123456789abcdef");
        ck_assert_uint_eq(f->first_seen, 7);
        ck_assert_uint_eq(f->count, 9);
        ck_assert_str_eq(f->summary, "b");
        ck_assert_uint_eq(f->n_evidence, 2);
        ck_assert_str_eq(finding_get(f, "k")->s, "two");
        ck_assert_int_eq(finding_get(f, "z")->i, 0);
        ck_assert_str_eq(f->advice[0].snippet, "snippet");
        ck_assert_uint_eq(f->n_seen_keys, 1);
        finding_store_done(&s);
}
END_TEST

/* valid with line `line` (1-based) replaced by `with` (no newline). */
static char *replace_line(const char *text, size_t line, const char *with) {
        StrBuf b = {};
        const char *p = text;
        for (size_t l = 1; *p; l++) {
                const char *nl = strchr(p, '\n');
                size_t n = nl ? (size_t) (nl - p) + 1 : strlen(p);
                if (l == line) {
                        strbuf_append(&b, with);
                        strbuf_append_char(&b, '\n');
                } else
                        strbuf_append_n(&b, p, n);
                p += n;
        }
        char *t;
        ck_assert_int_eq(strbuf_steal(&b, &t, NULL), 0);
        return t;
}

static void check_bad_line(size_t line, const char *with) {
        char *t = replace_line(valid, line, with);
        CHECK_BAD(t, line);
        free(t);
}

START_TEST(test_not_utf8) {
        FindingStore s, back;
        ck_assert_int_eq(finding_store_init(&s), 0);
        Finding *f = add(&s, FINDING_OOM_KILL, "memhog.service", "k");
        ck_assert_int_eq(finding_set_string(f, "comm", "mem\377\376hog"), 0);
        ck_assert_int_eq(finding_set_string_n(f, "go_message", "out of memory\xff\0", 15), 0);
        ck_assert_int_eq(finding_set_summary(f, "memhog.service: mem\377\376hog killed"), 0);
        ck_assert_int_eq(finding_add_advice(f, ADVICE_TEXT, "\xc3", NULL), 0);
        char big[FINDING_STRING_MAX / 4 + 1];
        memset(big, 0xfe, sizeof big - 1);
        big[sizeof big - 1] = 0;
        ck_assert_int_eq(finding_set_string(f, "big", big), 0);

        /* The file is UTF-8 and holds the escaped form; it reads back to the same values and
         * writes the same bytes again. */
        char *t = write_store(&s);
        ck_assert(utf8_is_valid(t, strlen(t)));
        ck_assert_ptr_nonnull(strstr(t, "\nevidence s comm mem\\\\xff\\\\xfehog\n"));
        read_ok(t, strlen(t), &back);
        Finding *g = finding_store_get(&back, f->id);
        ck_assert_ptr_nonnull(g);
        check_same(f, g);
        ck_assert_str_eq(finding_get(g, "comm")->s, "mem\\xff\\xfehog");
        ck_assert_str_eq(finding_get(g, "go_message")->s, "out of memory\\xff\\x00");
        ck_assert_str_eq(g->summary, "memhog.service: mem\\xff\\xfehog killed");
        ck_assert_str_eq(g->advice[0].text, "\\xc3");
        char *t2 = write_store(&back);
        ck_assert_str_eq(t, t2);
        free(t2);
        free(t);
        finding_store_done(&back);
        finding_store_done(&s);

        /* A file with raw bytes that are not UTF-8 (an older writer's), or \xHH escapes of
         * them: loaded in the escaped form, never as they are. */
        static const char raw[] =
                "goguard-findings 1\n"
                "finding 0123456789abcdef0123456789abcdef oom-kill critical open u.service "
                "\\e 1 1 1 0\n"
                "summary mem\377hog\n"
                "evidence s comm mem\\xff\\xfehog\n"
                "advice command a\xc3 b\\xfe\n"
                "end\n";
        read_ok(raw, strlen(raw), &s);
        f = finding_store_get(&s, "0123456789abcdef0123456789abcdef");
        ck_assert_str_eq(f->summary, "mem\\xffhog");
        ck_assert_str_eq(finding_get(f, "comm")->s, "mem\\xff\\xfehog");
        ck_assert_str_eq(f->advice[0].text, "a\\xc3");
        ck_assert_str_eq(f->advice[0].snippet, "b\\xfe");
        finding_store_done(&s);

        /* Unit names and evidence keys that are not UTF-8 make the file corrupt. */
        check_bad_line(2, "finding 0123456789abcdef0123456789abcdef oom-kill critical open "
                          "gomem\\xff.service fedcba9876543210fedcba9876543210 100 200 2 0");
        check_bad_line(4, "evidence u kernel\\xffpid 10323");
        check_bad_line(5, "evidence s comm\xfe gofix");
}
END_TEST

START_TEST(test_read_errors) {
        /* The header. */
        CHECK_BAD("", 0);
        CHECK_BAD("goguard-findings 1", 1);
        CHECK_BAD("goguard-findings 2\n", 1);
        CHECK_BAD("goguard-findings 1 \n", 1);
        CHECK_BAD("goguard-findings 1\r\n", 1);
        CHECK_BAD("\ngoguard-findings 1\n", 1);
        check_bad_line(1, "goguard-findings  1");

        /* A finding's first line. */
        static const char *const bad_headers[] = {
                "finding 0123456789abcdef0123456789abcde oom-kill critical open u \\e 1 1 1 0", /* 31 digits
                                                                                                 */
                "finding 0123456789abcdef0123456789abcdef0 oom-kill critical open u \\e 1 1 1 0", /* 33 */
                "finding 0123456789ABCDEF0123456789abcdef oom-kill critical open u \\e 1 1 1 0",  /* upper
                                                                                                     case */
                "finding 0123456789abcdef0123456789abcdeg oom-kill critical open u \\e 1 1 1 0",
                "finding \\e oom-kill critical open u \\e 1 1 1 0",
                "finding 0123456789abcdef0123456789abcdef oom-kil critical open u \\e 1 1 1 0",
                "finding 0123456789abcdef0123456789abcdef oom-kill severe open u \\e 1 1 1 0",
                "finding 0123456789abcdef0123456789abcdef oom-kill critical closed u \\e 1 1 1 0",
                "finding 0123456789abcdef0123456789abcdef oom-kill critical open u 0123 1 1 1 0",
                "finding 0123456789abcdef0123456789abcdef oom-kill critical open u \\e 1 1 1",
                "finding 0123456789abcdef0123456789abcdef oom-kill critical open u \\e 1 1 1 0 0",
                "finding 0123456789abcdef0123456789abcdef oom-kill critical open u \\e 1 1 "
                "18446744073709551616 0",
                "finding 0123456789abcdef0123456789abcdef oom-kill critical open u \\e -1 1 1 0",
                "finding 0123456789abcdef0123456789abcdef oom-kill critical open u \\e 1 1 1 x",
                "finding 0123456789abcdef0123456789abcdef oom-kill critical open u \\e 1 1 1 "
                "000000000000000000000",
                "findings 0123456789abcdef0123456789abcdef oom-kill critical open u \\e 1 1 1 0",
                "finding 0123456789abcdef0123456789abcdef oom-kill critical open u \\e 1 1 1 0 ",
                " finding 0123456789abcdef0123456789abcdef oom-kill critical open u \\e 1 1 1 0",
                "finding  0123456789abcdef0123456789abcdef oom-kill critical open u \\e 1 1 1 0",
                "summary x",
                "end",
                "",
        };
        for (size_t i = 0; i < ELEMENTSOF(bad_headers); i++)
                check_bad_line(2, bad_headers[i]);
        check_bad_line(14,
                       "finding 00000000000000000000000000000001 global-oom critical resolved x \\e 5 5 1");

        /* Lines inside a finding. */
        static const char *const bad_lines[] = {
                "bogus x",
                "bogus",
                "summary",
                "summary a b",
                "evidence u k",
                "evidence u k 1 2",
                "evidence x k 1",
                "evidence u k -1",
                "evidence u k 18446744073709551616",
                "evidence u k 99999999999999999999",
                "evidence u k 000000000000000000001",
                "evidence u k +1",
                "evidence u k 0x10",
                "evidence u k \\e",
                "evidence t k -5",
                "evidence b k 2",
                "evidence b k true",
                "evidence i k 9223372036854775808",
                "evidence i k -9223372036854775809",
                "evidence i k --1",
                "evidence i k -",
                "advice",
                "advice text",
                "advice prose t",
                "advice text t s x",
                "seen",
                "seen a b",
                "finding 0123456789abcdef0123456789abcdef oom-kill critical open u \\e 1 1 1 0",
                "end x",
                "",
                " ",
                "summary  a",
                "summary a ",
                " summary a",
                /* escapes */
                "summary \\q",
                "summary a\\",
                "summary \\x0",
                "summary \\x0g",
                "summary a\\x0",
                "summary \\x00",
                "summary a\\x00b",
                "summary \\xAB",
                "summary \\X41",
                "summary a\\e",
                "summary \\ea",
                "summary \\e\\e",
                "summary \\S",
                "summary \\N",
                /* raw control characters */
                "summary a\tb",
                "summary a\rb",
                "summary \x01",
                "summary \x1f",
                /* more than TOKENS_MAX tokens */
                "advice text a b c d e f g h i j k l m",
        };
        for (size_t i = 0; i < ELEMENTSOF(bad_lines); i++)
                check_bad_line(9, bad_lines[i]);

        /* Two findings with the same id: the second one's end. */
        static const char dup[] =
                "goguard-findings 1\n"
                "finding 00000000000000000000000000000001 panic critical open a \\e 0 0 0 0\n"
                "end\n"
                "finding 00000000000000000000000000000001 watchdog warning open b \\e 0 0 0 0\n"
                "summary x\n"
                "end\n";
        CHECK_BAD(dup, 6);

        /* The file ends inside a finding. */
        CHECK_BAD("goguard-findings 1\nfinding 00000000000000000000000000000001 panic critical open a \\e 0 "
                  "0 0 0\n",
                  2);
        CHECK_BAD("goguard-findings 1\nfinding 00000000000000000000000000000001 panic critical open a \\e 0 "
                  "0 0 0\n"
                  "summary x\nend",
                  4);

        /* A NUL byte anywhere: refused before any line is read. */
        static const char nul[] =
                "goguard-findings 1\n"
                "finding 00000000000000000000000000000001 panic critical open a \\e 0 0 0 0\n"
                "summary a\0b\n"
                "end\n";
        check_bad_n(nul, sizeof nul - 1, 0);
        check_bad_n("\0", 1, 0);
        check_bad_n("goguard-findings 1\n\0", 20, 0);
}
END_TEST

START_TEST(test_read_caps) {
        StrBuf b = {};
        char *t;

        /* FINDING_EVIDENCE_MAX evidence lines, then one more. */
        strbuf_append(&b, "goguard-findings 1\nfinding 00000000000000000000000000000001 panic critical open "
                          "a \\e 0 0 0 0\n");
        for (unsigned i = 0; i < FINDING_EVIDENCE_MAX; i++)
                strbuf_appendf(&b, "evidence u k%u %u\n", i, i);
        strbuf_append(&b, "evidence u k0 7\n"); /* replacing is fine */
        strbuf_append(&b, "end\n");
        ck_assert_int_eq(strbuf_steal(&b, &t, NULL), 0);
        FindingStore s;
        read_ok(t, strlen(t), &s);
        finding_store_done(&s);
        char *t2 = replace_line(t, 3 + FINDING_EVIDENCE_MAX, "evidence u one-more 1");
        CHECK_BAD(t2, 3 + FINDING_EVIDENCE_MAX);
        free(t);
        free(t2);

        /* FINDING_ADVICE_MAX advice lines, then one more. */
        strbuf_append(&b, "goguard-findings 1\nfinding 00000000000000000000000000000001 panic critical open "
                          "a \\e 0 0 0 0\n");
        for (unsigned i = 0; i <= FINDING_ADVICE_MAX; i++)
                strbuf_appendf(&b, "advice text a%u\n", i);
        strbuf_append(&b, "end\n");
        ck_assert_int_eq(strbuf_steal(&b, &t, NULL), 0);
        CHECK_BAD(t, 3 + FINDING_ADVICE_MAX);
        free(t);

        /* Strings over FINDING_STRING_MAX. */
        strbuf_append(&b, "goguard-findings 1\nfinding 00000000000000000000000000000001 panic critical open "
                          "a \\e 0 0 0 0\n"
                          "summary ");
        for (unsigned i = 0; i <= FINDING_STRING_MAX; i++)
                strbuf_append_char(&b, 'x');
        strbuf_append(&b, "\nend\n");
        ck_assert_int_eq(strbuf_steal(&b, &t, NULL), 0);
        CHECK_BAD(t, 3);
        t[strlen("goguard-findings 1\nfinding 00000000000000000000000000000001 panic critical open a \\e 0 "
                 "0 0 0\n"
                 "summary ") +
          FINDING_STRING_MAX] = '\n';
        CHECK_BAD(t, 4); /* now the next line is the bad one */
        free(t);

        /* A unit name over FINDING_STRING_MAX. */
        strbuf_append(&b,
                      "goguard-findings 1\nfinding 00000000000000000000000000000001 panic critical open ");
        for (unsigned i = 0; i <= FINDING_STRING_MAX; i++)
                strbuf_append_char(&b, 'u');
        strbuf_append(&b, " \\e 0 0 0 0\nend\n");
        ck_assert_int_eq(strbuf_steal(&b, &t, NULL), 0);
        CHECK_BAD(t, 2);
        free(t);

        /* A line over FINDING_STATE_LINE_MAX. */
        strbuf_append(&b, "goguard-findings 1\nfinding 00000000000000000000000000000001 panic critical open "
                          "a \\e 0 0 0 0\n"
                          "seen ");
        for (unsigned i = 0; i < FINDING_STATE_LINE_MAX; i++)
                strbuf_append_char(&b, 'k');
        strbuf_append(&b, "\nend\n");
        ck_assert_int_eq(strbuf_steal(&b, &t, NULL), 0);
        CHECK_BAD(t, 3);
        free(t);

        /* More findings of one unit than a writer keeps: open ones cannot be dropped... */
        for (int resolved = 0; resolved < 2; resolved++) {
                strbuf_append(&b, "goguard-findings 1\n");
                for (unsigned i = 0; i <= FINDING_STORE_PER_UNIT_MAX; i++)
                        strbuf_appendf(&b, "finding %032x panic critical %s a \\e 0 0 0 %u\nend\n", i,
                                       resolved ? "resolved" : "open", i + 1);
                ck_assert_int_eq(strbuf_steal(&b, &t, NULL), 0);
                if (!resolved)
                        CHECK_BAD(t, 3 + 2 * FINDING_STORE_PER_UNIT_MAX);
                else {
                        /* ... resolved ones are, the oldest first. */
                        read_ok(t, strlen(t), &s);
                        ck_assert_uint_eq(finding_store_count(&s, NULL, _FINDING_STATE_INVALID),
                                          FINDING_STORE_PER_UNIT_MAX);
                        ck_assert_ptr_null(finding_store_get(&s, "00000000000000000000000000000000"));
                        ck_assert_ptr_nonnull(finding_store_get(&s, "00000000000000000000000000000001"));
                        finding_store_done(&s);
                }
                free(t);
        }

        /* Over FINDING_STATE_SIZE_MAX: refused before reading. */
        char *huge = calloc(1, FINDING_STATE_SIZE_MAX + 1);
        ck_assert_ptr_nonnull(huge);
        memcpy(huge, "goguard-findings 1\n", 19);
        ck_assert_int_eq(finding_store_init(&s), 0);
        size_t line = 777;
        ck_assert_int_eq(finding_state_read(huge, FINDING_STATE_SIZE_MAX + 1, &s, &line), -E2BIG);
        ck_assert_uint_eq(finding_store_count(&s, NULL, _FINDING_STATE_INVALID), 0);
        finding_store_done(&s);
        free(huge);
}
END_TEST

START_TEST(test_truncated) {
        /* Cut a valid file at every byte: only cuts at the end of the header line or right after a
         * finding's "end" line read; anything else is -EBADMSG at the line where it was cut, and
         * leaves the store empty. */
        FindingStore a;
        ck_assert_int_eq(finding_store_init(&a), 0);
        fill(&a);
        char *t2 = write_store(&a);
        char *t = to_v1(t2);
        size_t n = strlen(t), ends = 0, lines = 0;
        finding_store_done(&a);

        /* The current version closes with the sum of all before it: no cut reads. */
        for (size_t cut = 0; cut < strlen(t2); cut++) {
                FindingStore s;
                size_t l;
                ck_assert_int_eq(finding_store_init(&s), 0);
                ck_assert_int_eq(finding_state_read(t2, cut, &s, &l), -EBADMSG);
                ck_assert_uint_eq(finding_store_count(&s, NULL, _FINDING_STATE_INVALID), 0);
                finding_store_done(&s);
        }
        free(t2);

        for (size_t cut = 0; cut <= n; cut++) {
                bool at_line_end = cut > 0 && t[cut - 1] == '\n';
                bool after_end = at_line_end && cut >= 4 && memcmp(t + cut - 4, "end\n", 4) == 0 &&
                                 (cut == 4 || t[cut - 5] == '\n');
                bool after_header = cut == strlen("goguard-findings 1\n");

                /* A private copy of exactly cut bytes, so ASan sees reads past it. */
                char *copy = malloc(cut ? cut : 1);
                ck_assert_ptr_nonnull(copy);
                memcpy(copy, t, cut);
                if (after_end || after_header) {
                        FindingStore s;
                        read_ok(copy, cut, &s);
                        ck_assert_uint_eq(finding_store_count(&s, NULL, _FINDING_STATE_INVALID), ends);
                        finding_store_done(&s);
                } else
                        check_bad_n(copy, cut, cut == 0 ? 0 : lines + !at_line_end);
                free(copy);
                if (cut < n && t[cut] == '\n') {
                        lines++;
                        if (cut >= 3 && memcmp(t + cut - 3, "end", 3) == 0 &&
                            (cut == 3 || t[cut - 4] == '\n'))
                                ends++;
                }
        }
        ck_assert_uint_eq(ends, 6);
        free(t);
}
END_TEST

START_TEST(test_flipped_byte) {
        /* Any one byte changed anywhere, even where the text would still parse (a digit of a
         * count, a letter of a summary), makes the file unreadable as a whole. */
        FindingStore a;
        ck_assert_int_eq(finding_store_init(&a), 0);
        fill(&a);
        char *t = write_store(&a);
        finding_store_done(&a);
        size_t n = strlen(t);
        for (size_t i = 0; i < n; i++)
                for (unsigned bit = 0; bit < 8; bit += 3) {
                        t[i] ^= (char) (1u << bit);
                        FindingStore s;
                        size_t l;
                        ck_assert_int_eq(finding_store_init(&s), 0);
                        ck_assert_msg(finding_state_read(t, n, &s, &l) == -EBADMSG, "byte %zu bit %u", i,
                                      bit);
                        ck_assert_uint_eq(finding_store_count(&s, NULL, _FINDING_STATE_INVALID), 0);
                        finding_store_done(&s);
                        t[i] ^= (char) (1u << bit);
                }
        /* Unchanged, it reads. */
        read_ok(t, n, &a);
        finding_store_done(&a);
        free(t);
}
END_TEST

static Suite *finding_state_read_suite(void) {
        Suite *s = suite_create("finding-state-read");
        TCase *tc = tcase_create("read");
        tcase_add_test(tc, test_read_valid);
        tcase_add_test(tc, test_not_utf8);
        tcase_add_test(tc, test_read_errors);
        tcase_add_test(tc, test_read_caps);
        tcase_add_test(tc, test_truncated);
        tcase_add_test(tc, test_flipped_byte);
        tcase_set_timeout(tc, 120);
        suite_add_tcase(s, tc);
        return s;
}

DEFINE_TEST_MAIN(finding_state_read_suite)
