/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The correlator's input at its edges: kernel lines read live and again from the journal,
 * bounded pending state, odd and long records, a full store, and the small parsers. */
#include "correlate-harness.h"

/* ---- the kernel's lines read live from /dev/kmsg, and again from the journal ---- */

START_TEST(test_live_kmsg) {
        Ctx x;
        const char *cg = "/system.slice/gomem.service";

        /* A unit the daemon knows: attributed at once, without waiting for PID 1, to the
         * invocation the unit's live state names; the journal's copy of the lines adds the
         * cursor and nothing else: no second count, no update signal. */
        ctx_init(&x);
        TestUnit *u = add_unit(&x, GOMEM);
        memcpy(u->settings.invocation_id, INV2, 33);
        kill_lines_from(&x, JOURNAL_SOURCE_KMSG, T0 + SEC, 6000, "gofix-cgo", cg, false);
        Finding *f = the_finding(&x, FINDING_OOM_KILL, GOMEM);
        ck_assert_uint_eq(f->count, 1);
        ck_assert_str_eq(f->invocation_id, INV2);
        ck_assert_uint_eq(ev_u64(f, "kernel_pid"), 6000);
        ck_assert_uint_eq(ev_u64(f, "anon_rss_kb"), 40000);
        ck_assert_uint_eq(ev_u64(f, "kernel_limit_kb"), 40960);
        ck_assert_ptr_null(finding_get(f, "journal_cursor"));
        ck_assert_uint_eq(x.n_added, 1);
        unsigned updates = x.n_updated;
        char id[33];
        memcpy(id, f->id, 33);
        kill_lines(&x, T0 + SEC, 6000, "gofix-cgo", cg, false);
        exited_killed(&x, T0 + SEC + 50000, GOMEM, INV2);
        ck_assert_uint_eq(n_findings(&x), 1);
        f = the_finding(&x, FINDING_OOM_KILL, GOMEM);
        ck_assert_str_eq(f->id, id); /* the same id as the journal alone would give */
        ck_assert_uint_eq(f->count, 1);
        ck_assert_uint_eq(x.n_added, 1);
        ck_assert_uint_eq(x.n_updated, updates + 1); /* PID 1's exit message, nothing else */
        ck_assert_ptr_nonnull(ev_str(f, "journal_cursor"));
        ck_assert_str_eq(ev_str(f, "main_process_exit"),
                         "gomem.service: Main process exited, code=killed, status=9/KILL");
        /* The next kill, live: counted. */
        kill_lines_from(&x, JOURNAL_SOURCE_KMSG, T0 + 2 * SEC, 6001, "gofix-cgo", cg, false);
        ck_assert_uint_eq(f->count, 2);
        ctx_done(&x);

        /* The journal is behind: PID 1's last word names INV1 while the unit runs INV2. */
        ctx_init(&x);
        memcpy(add_unit(&x, GOMEM)->settings.invocation_id, INV2, 33);
        started(&x, T0, GOMEM, INV1);
        kill_lines_from(&x, JOURNAL_SOURCE_KMSG, T0 + SEC, 6000, "gofix-cgo", cg, false);
        ck_assert_str_eq(the_finding(&x, FINDING_OOM_KILL, GOMEM)->invocation_id, INV2);
        ctx_done(&x);

        /* The same kill read from the journal alone has the same id. */
        ctx_init(&x);
        add_unit(&x, GOMEM);
        started(&x, T0, GOMEM, INV1);
        kill_lines(&x, T0 + SEC, 6000, "gofix-cgo", cg, false);
        ck_assert_str_eq(the_finding(&x, FINDING_OOM_KILL, GOMEM)->id, id);
        ctx_done(&x);

        /* A unit the daemon does not know waits for PID 1, read live or not, and is counted once
         * when both copies of its lines were read. */
        ctx_init(&x);
        x.include_non_go = true;
        kill_lines_from(&x, JOURNAL_SOURCE_KMSG, T0, 6000, "other", "/system.slice/other.service", false);
        kill_lines(&x, T0, 6000, "other", "/system.slice/other.service", false);
        ck_assert_uint_eq(n_findings(&x), 0);
        exited_killed(&x, T0 + SEC, "other.service", INV1);
        f = the_finding(&x, FINDING_OOM_KILL, "other.service");
        ck_assert_uint_eq(f->count, 1);
        ck_assert_uint_eq(ev_u64(f, "anon_rss_kb"), 40000);
        ck_assert_uint_eq(ev_u64(f, "kernel_limit_kb"), 40960);
        ctx_done(&x);

        /* A rate-limited kill (no summary) read live, then from the journal: one pending kill,
         * confirmed by PID 1 once; the next kill is counted again. */
        ctx_init(&x);
        add_unit(&x, GOMEM);
        started(&x, T0, GOMEM, INV1);
        kill_lines_from(&x, JOURNAL_SOURCE_KMSG, T0 + SEC, 6000, "gofix-cgo", NULL, false);
        kill_lines(&x, T0 + SEC, 6000, "gofix-cgo", NULL, false);
        ck_assert_uint_eq(n_findings(&x), 0);
        exited_killed(&x, T0 + SEC + 100000, GOMEM, INV1);
        ck_assert_uint_eq(the_finding(&x, FINDING_OOM_KILL, GOMEM)->count, 1);
        kill_lines_from(&x, JOURNAL_SOURCE_KMSG, T0 + 2 * SEC, 6001, "gofix-cgo", NULL, false);
        kill_lines(&x, T0 + 2 * SEC, 6001, "gofix-cgo", NULL, false);
        exited_killed(&x, T0 + 2 * SEC + 100000, GOMEM, INV2);
        f = the_finding(&x, FINDING_OOM_KILL, GOMEM);
        ck_assert_uint_eq(f->count, 2);
        ck_assert_uint_eq(ev_u64(f, "kernel_pid"), 6001);
        ctx_done(&x);

        /* The same, but the unit's live state says at once that its main process died of
         * SIGKILL: attributed then, not when PID 1's message comes through the journal. */
        ctx_init(&x);
        add_unit(&x, GOMEM);
        kill_lines_from(&x, JOURNAL_SOURCE_KMSG, T0 + SEC, 6000, "gofix-cgo", NULL, false);
        ck_assert_int_eq(correlator_main_process_killed(x.c, GOMEM, INV2, BOOT_ID, T0 + SEC + 10000), 1);
        f = the_finding(&x, FINDING_OOM_KILL, GOMEM);
        ck_assert_uint_eq(f->count, 1);
        ck_assert_str_eq(f->invocation_id, INV2);
        ck_assert_uint_eq(ev_u64(f, "kernel_pid"), 6000);
        ck_assert_uint_eq(f->first_seen, T0 + SEC + 3000);
        kill_lines(&x, T0 + SEC, 6000, "gofix-cgo", NULL, false);
        ck_assert_int_eq(exited_killed(&x, T0 + SEC + 100000, GOMEM, INV2), 0);
        ck_assert_uint_eq(f->count, 1);
        ck_assert_ptr_nonnull(ev_str(f, "main_process_exit"));
        /* The bus can be first: the line then finds the exit (once). */
        ck_assert_int_eq(correlator_main_process_killed(x.c, GOMEM, INV3, BOOT_ID, T0 + 5 * SEC + 10000), 0);
        kill_lines_from(&x, JOURNAL_SOURCE_KMSG, T0 + 5 * SEC, 6001, "gofix-cgo", NULL, false);
        ck_assert_uint_eq(f->count, 2);
        ck_assert_str_eq(f->invocation_id, INV3);
        kill_lines_from(&x, JOURNAL_SOURCE_KMSG, T0 + 5 * SEC + 5000, 6009, "gofix-cgo", NULL, false);
        ck_assert_uint_eq(f->count, 2);
        /* PID 1's message about that exit (INV3) comes through the journal: that kill is
         * counted, the other line waiting with the same comm is not it. */
        ck_assert_int_eq(exited_killed(&x, T0 + 5 * SEC + 100000, GOMEM, INV3), 0);
        ck_assert_uint_eq(f->count, 2);
        /* Another comm, a kill too long before, a unit the lookup does not know: nothing. */
        kill_lines_from(&x, JOURNAL_SOURCE_KMSG, T0 + 10 * SEC, 6002, "postgres", NULL, false);
        ck_assert_int_eq(correlator_main_process_killed(x.c, GOMEM, INV2, BOOT_ID, T0 + 10 * SEC + 10000),
                         0);
        kill_lines_from(&x, JOURNAL_SOURCE_KMSG, T0 + 20 * SEC, 6003, "gofix-cgo", NULL, false);
        ck_assert_int_eq(correlator_main_process_killed(x.c, GOMEM, INV2, BOOT_ID, T0 + 24 * SEC), 0);
        ck_assert_int_eq(
                correlator_main_process_killed(x.c, "other.service", INV2, BOOT_ID, T0 + 20 * SEC + 1), 0);
        ck_assert_uint_eq(f->count, 2);
        ctx_done(&x);

        /* The two streams do not mix: a journal line of an older kill read between the live
         * lines of a new one does not lend it its limit; and live lines, ahead of the journal,
         * do not expire kills that wait for PID 1's word in the journal. */
        ctx_init(&x);
        add_unit(&x, GOMEM);
        kill_lines(&x, T0, 5000, "gofix-cgo", "/system.slice/other.service", false); /* waits */
        live(&x, T0 + 30 * SEC, "memory: usage 40960kB, limit 40960kB, failcnt 1");
        kernel(&x, T0 + SEC, "memory: usage 1000kB, limit 1000kB, failcnt 1");
        live(&x, T0 + 30 * SEC + 1000,
             "oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,"
             "oom_memcg=/system.slice/gomem.service,task_memcg=/system.slice/gomem.service,"
             "task=gofix-cgo,pid=6000,uid=0");
        ck_assert_uint_eq(ev_u64(the_finding(&x, FINDING_OOM_KILL, GOMEM), "kernel_limit_kb"), 40960);
        x.include_non_go = true;
        ck_assert_int_eq(exited_killed(&x, T0 + 2 * SEC, "other.service", INV1), 1);
        ctx_done(&x);
}
END_TEST

START_TEST(test_pending_cap) {
        /* Many unconfirmed kills: bounded, the oldest dropped first, no leaks (ASan). */
        Ctx x;
        ctx_init(&x);
        add_unit(&x, GOMEM);
        for (unsigned i = 0; i < 100; i++) {
                char cg[64];
                snprintf(cg, sizeof cg, "/system.slice/u%u.service", i);
                kill_lines(&x, T0 + i * 10000, 100 + i, "x", i % 2 ? cg : NULL, false);
        }
        ck_assert_uint_eq(n_findings(&x), 0);
        /* The newest pending summary is still there. */
        started(&x, T0 + 99 * 10000 + 5000, "u99.service", INV1);
        ck_assert_uint_eq(n_findings(&x), 1);
        /* The oldest is gone. */
        started(&x, T0 + 99 * 10000 + 6000, "u1.service", INV1);
        ck_assert_uint_eq(n_findings(&x), 1);
        ctx_done(&x);
}
END_TEST

START_TEST(test_odd_records) {
        Ctx x;
        ctx_init(&x);
        add_unit(&x, GOMEM);
        /* No message: ignored. */
        JournalRecord r = { .source = JOURNAL_SOURCE_PID1,
                            .realtime = T0,
                            .unit = GOMEM,
                            .message_id = MESSAGE_ID_UNIT_OOM };
        ck_assert_int_eq(correlator_feed(x.c, &r), 0);
        /* PID 1 without a unit, or a unit source without one. */
        pid1(&x, T0, NULL, INV1, MESSAGE_ID_UNIT_OOM, "x");
        unit_output(&x, T0, NULL, NULL, "fatal error: out of memory");
        /* An unknown source. */
        r = (JournalRecord){
                .source = (JournalSource) 42, .realtime = T0, .message = "x", .message_len = 1
        };
        ck_assert_int_eq(correlator_feed(x.c, &r), 0);
        /* Malformed and over-long kernel lines are skipped. */
        kernel(&x, T0, "Killed process x (y)");
        char *big = malloc(KERNEL_OOM_LINE_MAX + 100);
        ck_assert_ptr_nonnull(big);
        memset(big, 'a', KERNEL_OOM_LINE_MAX + 99);
        big[KERNEL_OOM_LINE_MAX + 99] = 0;
        memcpy(big, "oom-kill:", 9);
        kernel(&x, T0, big);
        free(big);
        /* A summary outside systemd's tree, or without a pid. */
        started(&x, T0, GOMEM, INV1);
        kernel(&x, T0 + 1, "oom-kill:constraint=CONSTRAINT_MEMCG,task_memcg=/docker/abc,task=x,pid=1,uid=0");
        kernel(&x, T0 + 2,
               "oom-kill:constraint=CONSTRAINT_MEMCG,task_memcg=/system.slice/gomem.service,task=x");
        /* PID 1 records with odd invocation ids, a boot id, no cursor. */
        pid1(&x, T0 + 3, GOMEM, "short", MESSAGE_ID_UNIT_STARTED, "x");
        ck_assert_int_eq(feed(&x, (JournalRecord){ .source = JOURNAL_SOURCE_PID1,
                                                   .realtime = T0 + 4,
                                                   .unit = GOMEM,
                                                   .message_id = MESSAGE_ID_UNIT_FAILURE_RESULT,
                                                   .message = "x" }),
                         0);
        ck_assert_uint_eq(n_findings(&x), 0);
        /* Embedded NULs in a unit's output. */
        static const char nul[] = "prefix\0fatal error: out of memory";
        feed(&x, (JournalRecord){ .source = JOURNAL_SOURCE_UNIT,
                                  .realtime = T0 + 5,
                                  .unit = GOMEM,
                                  .invocation_id = INV1,
                                  .message = nul,
                                  .message_len = sizeof nul - 1 });
        ck_assert_uint_eq(n_findings(&x), 1);
        ck_assert_str_eq(ev_str(the_finding(&x, FINDING_GO_RUNTIME_OOM, GOMEM), "go_message"),
                         "fatal error: out of memory");
        ctx_done(&x);
}
END_TEST

START_TEST(test_message_length) {
        /* MESSAGE is message_len bytes and need not end in a NUL (ASan sees reads past it). */
        static const char oomd[] = "gomem.service: systemd-oomd killed 3 process(es) in this unit.";
        static const char exit_msg[] = "gomem.service: Main process exited, code=killed, status=9/KILL";
        Ctx x;
        ctx_init(&x);
        add_unit(&x, GOMEM);
        char *m = malloc(sizeof oomd - 1);
        ck_assert_ptr_nonnull(m);
        memcpy(m, oomd, sizeof oomd - 1);
        feed(&x, (JournalRecord){ .source = JOURNAL_SOURCE_PID1,
                                  .realtime = T0,
                                  .unit = GOMEM,
                                  .invocation_id = INV1,
                                  .message_id = MESSAGE_ID_UNIT_OOMD_KILL,
                                  .message = m,
                                  .message_len = sizeof oomd - 1 });
        free(m);
        ck_assert_str_eq(ev_str(the_finding(&x, FINDING_OOMD_KILL, GOMEM), "systemd_message"), oomd);

        unit_oom(&x, T0 + 60 * SEC, GOMEM, INV2);
        m = malloc(sizeof exit_msg - 1);
        ck_assert_ptr_nonnull(m);
        memcpy(m, exit_msg, sizeof exit_msg - 1);
        feed(&x, (JournalRecord){ .source = JOURNAL_SOURCE_PID1,
                                  .realtime = T0 + 60 * SEC + 1000,
                                  .unit = GOMEM,
                                  .invocation_id = INV2,
                                  .message_id = MESSAGE_ID_UNIT_PROCESS_EXIT,
                                  .message = m,
                                  .message_len = sizeof exit_msg - 1,
                                  .exit_code = "killed",
                                  .exit_status = "9" });
        free(m);
        ck_assert_str_eq(ev_str(the_finding(&x, FINDING_OOM_KILL, GOMEM), "main_process_exit"), exit_msg);

        /* Only the first 512 bytes are kept. */
        char big[1024];
        memset(big, 'm', sizeof big);
        feed(&x, (JournalRecord){ .source = JOURNAL_SOURCE_PID1,
                                  .realtime = T0 + 120 * SEC,
                                  .unit = GOMEM,
                                  .invocation_id = INV3,
                                  .message_id = MESSAGE_ID_UNIT_OOMD_KILL,
                                  .message = big,
                                  .message_len = sizeof big });
        ck_assert_uint_eq(strlen(ev_str(the_finding(&x, FINDING_OOMD_KILL, GOMEM), "systemd_message")), 512);
        ctx_done(&x);
}
END_TEST

START_TEST(test_store_full) {
        /* The store refuses new findings when a unit's cap is full of open ones: the correlator
         * reports the error and goes on. */
        Ctx x;
        ctx_init(&x);
        add_unit(&x, GOMEM);
        for (unsigned i = 0; i < FINDING_STORE_PER_UNIT_MAX; i++) {
                Finding *f;
                char key[32];
                snprintf(key, sizeof key, "filler-%u", i);
                ck_assert_int_eq(finding_new(FINDING_PANIC, GOMEM, key, &f), 0);
                ck_assert_int_eq(finding_store_add(&x.store, f), 0);
        }
        JournalRecord r = { .source = JOURNAL_SOURCE_PID1,
                            .realtime = T0,
                            .unit = GOMEM,
                            .invocation_id = INV1,
                            .message_id = MESSAGE_ID_UNIT_OOM,
                            .message = "x",
                            .message_len = 1 };
        ck_assert_int_eq(correlator_feed(x.c, &r), -ENOSPC);
        ck_assert_uint_eq(x.store.n_dropped, 1);
        ck_assert_uint_eq(n_findings(&x), FINDING_STORE_PER_UNIT_MAX);
        ck_assert_uint_eq(x.n_added, 0);
        ctx_done(&x);
}
END_TEST

/* ---- the small parsers ---- */

START_TEST(test_go_version_parse) {
        unsigned major = 7, minor = 7;
        ck_assert_int_eq(go_version_parse("go1.21.3", &major, &minor), 0);
        ck_assert_uint_eq(major, 1);
        ck_assert_uint_eq(minor, 21);
        ck_assert_int_eq(go_version_parse("go1.19", &major, &minor), 0);
        ck_assert_uint_eq(minor, 19);
        ck_assert_int_eq(go_version_parse("go1.18.10", &major, &minor), 0);
        ck_assert_uint_eq(minor, 18);
        ck_assert_int_eq(go_version_parse("go1.22rc1", &major, &minor), 0);
        ck_assert_uint_eq(minor, 22);
        ck_assert_int_eq(go_version_parse("devel go1.23-abcdef Mon Jan 1", &major, &minor), 0);
        ck_assert_uint_eq(minor, 23);
        ck_assert_int_eq(go_version_parse("go1.0", &major, &minor), 0);
        ck_assert_uint_eq(minor, 0);
        ck_assert_int_eq(go_version_parse("go1.99999999999999999999", &major, &minor), 0);
        ck_assert_uint_ge(minor, 10000); /* bounded, no overflow */

        major = minor = 7;
        ck_assert_int_eq(go_version_parse(NULL, &major, &minor), -EINVAL);
        ck_assert_int_eq(go_version_parse("", &major, &minor), -EINVAL);
        ck_assert_int_eq(go_version_parse("go1.", &major, &minor), -EINVAL);
        ck_assert_int_eq(go_version_parse("go1.x", &major, &minor), -EINVAL);
        ck_assert_int_eq(go_version_parse("go2.0", &major, &minor), -EINVAL);
        ck_assert_int_eq(go_version_parse("1.21.3", &major, &minor), -EINVAL);
        ck_assert_int_eq(go_version_parse("devel", &major, &minor), -EINVAL);
        ck_assert_uint_eq(major, 7);
        ck_assert_uint_eq(minor, 7);
}
END_TEST

START_TEST(test_gomemlimit_parse) {
        static const struct {
                const char *s;
                uint64_t v;
        } ok[] = {
                { "0", 0 },
                { "1", 1 },
                { "1B", 1 },
                { "0B", 0 },
                { "1KiB", 1024 },
                { "36MiB", 36ull << 20 },
                { "2GiB", 2ull << 30 },
                { "1TiB", 1ull << 40 },
                { "007MiB", 7ull << 20 },
                { "41943040", 41943040 },
                { "9223372036854775807", 9223372036854775807ull },
                { "9223372036854775807B", 9223372036854775807ull },
                { "9007199254740991KiB", 9007199254740991ull << 10 },
                { "8388607TiB", 8388607ull << 40 },
                { "off", UINT64_MAX },
                { "", UINT64_MAX }, /* the runtime treats an empty GOMEMLIMIT as unset */
        };
        for (size_t i = 0; i < ELEMENTSOF(ok); i++) {
                uint64_t v = 7;
                ck_assert_msg(gomemlimit_parse(ok[i].s, &v) == 0, "%s refused", ok[i].s);
                ck_assert_msg(v == ok[i].v, "%s: %llu", ok[i].s, (unsigned long long) v);
        }

        static const char *const refused[] = {
                "1 MiB", "MiB",  "1.5GiB", "-1",   "+1",    "1MB", "1M",    "1K",   "1G",
                "1kib",  "1mib", "1KB",    "1 ",   " 1",    "OFF", "Off",   "off ", "1PiB",
                "1EiB",  "1iB",  "1Bi",    "0x10", "1_000", "B",   "1KiBB",
        };
        for (size_t i = 0; i < ELEMENTSOF(refused); i++) {
                uint64_t v = 7;
                ck_assert_msg(gomemlimit_parse(refused[i], &v) == -EINVAL, "%s accepted", refused[i]);
                ck_assert_uint_eq(v, 7);
        }
        /* Past what an int64 holds: the runtime refuses these too. */
        static const char *const overflow[] = {
                "9223372036854775808",     "9223372036854775808B", "18446744073709551616",
                "99999999999999999999999", "9007199254740992KiB",  "8796093022208MiB",
                "8589934592GiB",           "8388608TiB",
        };
        for (size_t i = 0; i < ELEMENTSOF(overflow); i++) {
                uint64_t v = 7;
                ck_assert_msg(gomemlimit_parse(overflow[i], &v) == -ERANGE, "%s accepted", overflow[i]);
                ck_assert_uint_eq(v, 7);
        }
        uint64_t v;
        ck_assert_int_eq(gomemlimit_parse(NULL, &v), -EINVAL);
}
END_TEST

START_TEST(test_gomemlimit_format) {
        static const struct {
                uint64_t bytes;
                const char *s;
        } cases[] = {
                { (40ull << 20) / 10 * 9, "36MiB" },   /* 40M * 0.9 */
                { (10ull << 20) / 10 * 9, "9216KiB" }, /* 10 MiB * 0.9: below 16 MiB */
                { 16ull << 20, "16MiB" },
                { (16ull << 20) - 1, "16383KiB" },
                { (36ull << 20) + 1048575, "36MiB" }, /* rounded down */
                { 1ull << 40, "1048576MiB" },
                { 1023, "0KiB" },
                { 0, "0KiB" },
                { UINT64_MAX, "17592186044415MiB" },
        };
        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                char *s = NULL;
                ck_assert_int_eq(gomemlimit_format(cases[i].bytes, &s), 0);
                ck_assert_str_eq(s, cases[i].s);
                /* What it writes, the runtime reads back, at most the value it came from. */
                uint64_t v;
                if (cases[i].bytes <= INT64_MAX) {
                        ck_assert_int_eq(gomemlimit_parse(s, &v), 0);
                        ck_assert_uint_le(v, cases[i].bytes);
                }
                free(s);
        }
}
END_TEST

START_TEST(test_invalid_unit_name) {
        /* A record whose unit is no unit name (a forged UNIT= field, bytes that are not UTF-8) is
         * not about a unit goguardd can name: ignored, not an error. */
        Ctx x;
        ctx_init(&x);
        static const char *const bad[] = { "bad\xff.service", "no suffix",     "a b.service",
                                           ".service",        "x@y@z.service", "" };
        for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
                ck_assert_int_eq(unit_oom(&x, T0 + i, bad[i], INV1), 0);
                ck_assert_int_eq(pid1(&x, T0 + i, bad[i], INV1, MESSAGE_ID_UNIT_OOMD_KILL,
                                      "systemd-oomd killed 3 process(es) in this unit."),
                                 0);
                ck_assert_int_eq(
                        unit_output(&x, T0 + i, bad[i], INV1, "fatal error: runtime: out of memory"), 0);
        }
        ck_assert_int_eq(correlator_advance(x.c, UINT64_MAX), 0);
        ck_assert_uint_eq(n_findings(&x), 0);
        ctx_done(&x);
}
END_TEST

static Suite *correlate_input_suite(void) {
        Suite *s = suite_create("correlate-input");
        TCase *tc = tcase_create("input");
        tcase_add_test(tc, test_invalid_unit_name);
        tcase_add_test(tc, test_live_kmsg);
        tcase_add_test(tc, test_pending_cap);
        tcase_add_test(tc, test_odd_records);
        tcase_add_test(tc, test_message_length);
        tcase_add_test(tc, test_store_full);
        suite_add_tcase(s, tc);
        tc = tcase_create("parsers");
        tcase_add_test(tc, test_go_version_parse);
        tcase_add_test(tc, test_gomemlimit_parse);
        tcase_add_test(tc, test_gomemlimit_format);
        suite_add_tcase(s, tc);
        return s;
}

DEFINE_TEST_MAIN(correlate_input_suite)
