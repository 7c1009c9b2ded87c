/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>

#include "correlate.h"
#include "needle-set.h"
#include "test-util.h"

static const char *const needles[] = {
        "fatal error: runtime: out of memory",
        "runtime: out of memory: cannot allocate ",
        "too many open files",
        "bind: address already in use",
        "ab",
        "abc",
        "bc",
};

static NeedleSet *make_set(void) {
        static NeedleSet s;
        s = (NeedleSet){};
        for (size_t i = 0; i < ELEMENTSOF(needles); i++)
                ck_assert_int_eq(needle_set_add(&s, needles[i]), (int) i);
        return &s;
}

START_TEST(test_add_limits) {
        NeedleSet s = {};
        ck_assert_int_eq(needle_set_add(&s, ""), -EINVAL);
        ck_assert_int_eq(needle_set_add(&s, "x"), -EINVAL);
        char big[NEEDLE_SET_LEN_MAX + 2];
        memset(big, 'y', sizeof big - 1);
        big[sizeof big - 1] = 0;
        ck_assert_int_eq(needle_set_add(&s, big), -EINVAL);
        big[NEEDLE_SET_LEN_MAX] = 0;
        ck_assert_int_eq(needle_set_add(&s, big), 0);
        for (size_t i = 1; i < NEEDLE_SET_MAX; i++)
                ck_assert_int_eq(needle_set_add(&s, "zz"), (int) i);
        ck_assert_int_eq(needle_set_add(&s, "zz"), -E2BIG);
}
END_TEST

START_TEST(test_hits) {
        NeedleSet *s = make_set();
        NeedleHits h;
        static const char line[] =
                "cfg x=1 fatal error: runtime: out of memory; open: too many open files abc";
        ck_assert(needle_set_search(s, line, strlen(line), &h));
        ck_assert(needle_hits_has(&h, 0));
        ck_assert(!needle_hits_has(&h, 1));
        ck_assert(needle_hits_has(&h, 2));
        ck_assert(!needle_hits_has(&h, 3));
        ck_assert(needle_hits_has(&h, 4) && needle_hits_has(&h, 5) && needle_hits_has(&h, 6));
        /* A needle cut by the end of the text, and one at its very end. */
        ck_assert(!needle_set_search(s, "too many open file", 18, NULL));
        ck_assert(needle_set_search(s, "xxab", 4, &h) && needle_hits_has(&h, 4) && !needle_hits_has(&h, 5));
        /* Not NUL-terminated, with NULs inside: only len bytes count. */
        static const char nul[] = "a\0bc\0too many open files";
        ck_assert(needle_set_search(s, nul, sizeof nul - 1, &h));
        ck_assert(needle_hits_has(&h, 2) && needle_hits_has(&h, 6) && !needle_hits_has(&h, 4));
        ck_assert(needle_set_search(s, nul, 5, &h) && needle_hits_has(&h, 6) && !needle_hits_has(&h, 2));
        ck_assert(!needle_set_search(s, "", 0, &h));
        ck_assert(!needle_set_search(s, "a", 1, NULL));
}
END_TEST

/* xorshift64*: reproducible texts. */
static uint64_t rnd(uint64_t *st) {
        *st ^= *st >> 12;
        *st ^= *st << 25;
        *st ^= *st >> 27;
        return *st * 0x2545f4914f6cdd1dull;
}

START_TEST(test_same_as_memmem) {
        /* Random texts made of pieces of the needles: the set finds exactly what memmem() finds. */
        NeedleSet *s = make_set();
        uint64_t st = 0x9e3779b97f4a7c15ull;
        char text[512];
        for (unsigned round = 0; round < 20000; round++) {
                size_t n = 0, want = rnd(&st) % sizeof text;
                while (n < want) {
                        const char *src = needles[rnd(&st) % ELEMENTSOF(needles)];
                        size_t from = rnd(&st) % strlen(src), k = 1 + rnd(&st) % (strlen(src) - from);
                        if (rnd(&st) % 4 == 0)
                                text[n++] = (char) (rnd(&st) & 0xff);
                        for (size_t i = 0; i < k && n < want; i++)
                                text[n++] = src[from + i];
                }
                NeedleHits h;
                bool any = needle_set_search(s, text, n, &h), expect_any = false;
                for (size_t i = 0; i < ELEMENTSOF(needles); i++) {
                        bool expect = memmem(text, n, needles[i], strlen(needles[i])) != NULL;
                        ck_assert_msg(needle_hits_has(&h, i) == expect, "round %u needle %zu", round, i);
                        expect_any |= expect;
                }
                ck_assert(any == expect_any);
        }
}
END_TEST

START_TEST(test_detector_table) {
        /* What the journal reader skips and matches comes from the detectors' table. */
        static const char *const memory_lines[] = {
                "fatal error: runtime: out of memory",
                "runtime: out of memory: cannot allocate 8192-byte block (1 in use)",
                "fatal error: runtime: cannot allocate memory",
                "fatal error: out of memory",
                "fatal error: runtime: cannot map pages in arena address space",
        };
        for (size_t i = 0; i < ELEMENTSOF(memory_lines); i++)
                ck_assert_msg(correlator_wants_unit_message(memory_lines[i], strlen(memory_lines[i])), "%s",
                              memory_lines[i]);
        ck_assert(!correlator_wants_unit_message("GET /healthz 200 memory ok", 26));

        const char *ids[64];
        size_t n = correlator_pid1_message_ids(ids, ELEMENTSOF(ids));
        static const char *const want[] = {
                MESSAGE_ID_UNIT_STARTED,   MESSAGE_ID_UNIT_RESTART_SCHEDULED, MESSAGE_ID_UNIT_OOM,
                MESSAGE_ID_UNIT_OOMD_KILL, MESSAGE_ID_UNIT_PROCESS_EXIT,      MESSAGE_ID_UNIT_FAILURE_RESULT,
                MESSAGE_ID_UNIT_SUCCESS,   MESSAGE_ID_UNIT_STOPPING,
        };
        ck_assert_uint_eq(n, ELEMENTSOF(want));
        for (size_t i = 0; i < n; i++)
                ck_assert_str_eq(ids[i], want[i]);
        ck_assert_uint_eq(correlator_pid1_message_ids(ids, 2), 2);

        ck_assert(correlator_covers(FINDING_OOM_KILL));
        ck_assert(correlator_covers(FINDING_GO_RUNTIME_OOM));
        ck_assert(correlator_covers(FINDING_PANIC));
        ck_assert(correlator_covers(FINDING_CRASH_LOOP));
        ck_assert(correlator_covers(FINDING_WATCHDOG));
        ck_assert(correlator_covers(FINDING_RUNS_AS_ROOT));
        ck_assert(correlator_covers(FINDING_HOME_UNSET));
        ck_assert(!correlator_covers(_FINDING_CLASS_INVALID));
        /* A Go trace's lines by their shape, not a needle: its frames name the program's own. */
        ck_assert(correlator_wants_unit_message("main.main()", 11));
        ck_assert(correlator_wants_unit_message("\t/src/main.go:9 +0x1d", 21));
        ck_assert(!correlator_wants_unit_message("2026/12/05 06:00:00 handled (3 items)", 37));
}
END_TEST

static Suite *needle_set_suite(void) {
        Suite *s = suite_create("needle-set");
        TCase *tc = tcase_create("needle-set");
        tcase_add_test(tc, test_add_limits);
        tcase_add_test(tc, test_hits);
        tcase_add_test(tc, test_same_as_memmem);
        tcase_add_test(tc, test_detector_table);
        tcase_set_timeout(tc, 120);
        suite_add_tcase(s, tc);
        return s;
}

DEFINE_TEST_MAIN(needle_set_suite)
