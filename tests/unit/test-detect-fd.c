/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The file-descriptor family from the unit's output: EMFILE in every form Go prints it, ENFILE
 * as its own class, the netpoller's start-up failures; the limit in force with the Go version in
 * mind, and exact summaries, evidence and advice. */
#include "correlate-harness.h"

#define FD          "fd.service"
#define ACCEPT_LINE "accept tcp 127.0.0.1:41527: accept4: too many open files"
#define HTTP_LINE                                                                                           \
        "http: Accept error: accept tcp 127.0.0.1:41527: accept4: too many open files; retrying in 5ms"

static TestUnit *fd_unit(Ctx *x, const char *name, uint64_t soft, uint64_t hard, const char *version) {
        TestUnit *u = add_unit(x, name);
        u->settings.limit_nofile_soft = soft;
        u->settings.limit_nofile = hard;
        snprintf(u->version, sizeof u->version, "%s", version);
        return u;
}

static const char *advice_text(const Finding *f, size_t i) {
        ck_assert_uint_lt(i, f->n_advice);
        return f->advice[i].text;
}

static const char *advice_snippet(const Finding *f, size_t i) {
        ck_assert_uint_lt(i, f->n_advice);
        return f->advice[i].snippet;
}

#define HOLDERS(unit)                                                                                       \
        "ls -l /proc/$(systemctl show -P MainPID '" unit                                                    \
        "')/fd | awk 'NR > 1 { sub(/:.*/, \"\", $NF); print "                                               \
        "$NF }' | sort | uniq -c | sort -rn | head"

START_TEST(test_accept) {
        Ctx x;
        ctx_init(&x);
        fd_unit(&x, FD, 64, 64, "go1.19.8");
        started(&x, T0, FD, INV1);
        unit_output(&x, T0 + SEC, FD, INV1, "2026/12/05 04:26:35 fdleak: listening on 127.0.0.1:41527");
        ck_assert_uint_eq(n_findings(&x), 0);
        ck_assert_int_eq(unit_output(&x, T0 + 2 * SEC, FD, INV1, "2026/12/05 04:26:36 " ACCEPT_LINE), 1);
        Finding *f = the_finding(&x, FINDING_FD_EXHAUSTION, FD);
        ck_assert_str_eq(f->summary, FD " ran out of file descriptors: accept4, limit 64");
        ck_assert_uint_eq(f->count, 1);
        ck_assert_str_eq(f->invocation_id, INV1);
        ck_assert_uint_eq(f->first_seen, T0 + 2 * SEC);
        ck_assert_str_eq(ev_str(f, "go_message"), ACCEPT_LINE);
        ck_assert_str_eq(ev_str(f, "fd_operation"), "accept4");
        ck_assert_uint_eq(ev(f, "logged_at")->u, T0 + 2 * SEC);
        ck_assert_str_eq(ev_str(f, "journal_cursor"), "s=abc;i=3");
        ck_assert_str_eq(ev_str(f, "boot_id"), BOOT_ID);
        ck_assert_str_eq(ev_str(f, "go_version"), "go1.19.8");
        ck_assert_uint_eq(ev_u64(f, "LimitNOFILE"), 64);
        ck_assert_uint_eq(ev_u64(f, "LimitNOFILESoft"), 64);
        ck_assert_uint_eq(ev_u64(f, "nofile_limit"), 64);
        ck_assert_str_eq(ev_str(f, "nofile_limit_basis"), "soft and hard limits are equal");
        ck_assert(ev_bool(f, "unit_settings_known"));
        ck_assert_uint_eq(f->n_advice, 2);
        ck_assert_int_eq(f->advice[0].kind, ADVICE_DROPIN);
        ck_assert_str_eq(
                advice_text(f, 0),
                "The service had 64 descriptors open, its limit (soft and hard limits are equal) when "
                "accept4 failed. Raise LimitNOFILE=; the drop-in allows 1024. If the count keeps "
                "growing while the load does not, the service leaks descriptors: raising the limit "
                "only delays the failure.");
        ck_assert_str_eq(advice_snippet(f, 0), "[Service]\nLimitNOFILE=1024\n");
        ck_assert_int_eq(f->advice[1].kind, ADVICE_COMMAND);
        ck_assert_str_eq(advice_snippet(f, 1), HOLDERS(FD));

        /* net/http retries its accept() again and again: one occurrence per invocation. */
        for (int i = 0; i < 5; i++)
                ck_assert_int_eq(unit_output(&x, T0 + 3 * SEC + i, FD, INV1, HTTP_LINE), 0);
        ck_assert_uint_eq(f->count, 1);
        ck_assert_str_eq(ev_str(f, "go_message"), ACCEPT_LINE);
        /* The next invocation is one more. */
        started(&x, T0 + 60 * SEC, FD, INV2);
        ck_assert_int_eq(unit_output(&x, T0 + 61 * SEC, FD, INV2, HTTP_LINE), 1);
        ck_assert_uint_eq(n_findings(&x), 1);
        ck_assert_uint_eq(f->count, 2);
        ck_assert_str_eq(f->invocation_id, INV2);
        ck_assert_str_eq(ev_str(f, "go_message"), HTTP_LINE);
        ck_assert_str_eq(f->summary, FD " ran out of file descriptors: accept4, limit 64 (2 times)");
        ck_assert_uint_eq(f->n_advice, 2);
        ck_assert_uint_eq(x.n_added, 1);
        ctx_done(&x);
}
END_TEST

START_TEST(test_go_version_and_limit) {
        Ctx x;
        ctx_init(&x);
        /* systemd's default 1024:524288. Go before 1.19 lives with the soft limit. */
        fd_unit(&x, "old.service", 1024, 524288, "go1.18.10");
        unit_output(&x, T0, "old.service", INV1, "open /srv/data/0001.db: too many open files");
        Finding *f = the_finding(&x, FINDING_FD_EXHAUSTION, "old.service");
        ck_assert_str_eq(f->summary, "old.service ran out of file descriptors: open, soft limit 1024");
        ck_assert_str_eq(ev_str(f, "go_message"), "open /srv/data/0001.db: too many open files");
        ck_assert_uint_eq(ev_u64(f, "nofile_limit"), 1024);
        ck_assert_str_eq(ev_str(f, "nofile_limit_basis"), "soft: Go before 1.19 does not raise it");
        ck_assert_str_eq(advice_snippet(f, 0), "[Service]\nLimitNOFILE=4096:524288\n");

        /* Go 1.19 and later raise it to the hard one: that is what was reached. */
        fd_unit(&x, "new.service", 1024, 524288, "go1.21.3");
        unit_output(&x, T0, "new.service", INV1, "socket: too many open files");
        f = the_finding(&x, FINDING_FD_EXHAUSTION, "new.service");
        ck_assert_str_eq(f->summary, "new.service ran out of file descriptors: socket, limit 524288");
        ck_assert_uint_eq(ev_u64(f, "nofile_limit"), 524288);
        ck_assert_str_eq(ev_str(f, "nofile_limit_basis"),
                         "hard: Go 1.19 and later raise the soft limit to it");
        ck_assert_str_eq(advice_snippet(f, 0), "[Service]\nLimitNOFILE=1048576\n");

        /* At fs.nr_open's default already: no raise, a leak to look for. */
        fd_unit(&x, "huge.service", 1048576, 1048576, "go1.22.0");
        unit_output(&x, T0, "huge.service", INV1, "pipe2: too many open files");
        f = the_finding(&x, FINDING_FD_EXHAUSTION, "huge.service");
        ck_assert_int_eq(f->advice[0].kind, ADVICE_TEXT);
        ck_assert_str_eq(
                advice_text(f, 0),
                "The service had 1048576 descriptors open, its limit (soft and hard limits are equal) "
                "when pipe2 failed. That is more than a service needs: look for a leak before raising "
                "the limit (fs.nr_open first). If the count keeps growing while the load does not, the "
                "service leaks descriptors: raising the limit only delays the failure.");

        /* A Go version it cannot read, and a soft limit with an infinite hard one. */
        TestUnit *u = fd_unit(&x, "dev.service", 2048, UINT64_MAX, "devel go1.23-abcdef");
        u->exe.buildinfo.version = NULL;
        u->exe.have_buildinfo = false;
        unit_output(&x, T0, "dev.service", INV1, "too many open files");
        f = the_finding(&x, FINDING_FD_EXHAUSTION, "dev.service");
        ck_assert_str_eq(f->summary, "dev.service ran out of file descriptors: soft limit 2048");
        ck_assert_str_eq(ev_str(f, "nofile_limit_basis"), "soft: the Go version is not known");
        ck_assert_uint_eq(ev_u64(f, "LimitNOFILE"), UINT64_MAX);
        ck_assert_ptr_null(finding_get(f, "fd_operation"));
        ck_assert_ptr_null(finding_get(f, "go_version"));
        ck_assert_str_eq(advice_snippet(f, 0), "[Service]\nLimitNOFILE=8192:infinity\n");
        ctx_done(&x);
}
END_TEST

START_TEST(test_unknown_unit) {
        /* Offline (goguardctl analyze): no settings, a common value. */
        Ctx x;
        ctx_init(&x);
        unit_output(&x, T0, "gone.service", INV1,
                    "{\"level\":\"error\",\"msg\":\"accept\",\"error\":\"" ACCEPT_LINE "\"}");
        Finding *f = the_finding(&x, FINDING_FD_EXHAUSTION, "gone.service");
        ck_assert_str_eq(f->summary, "gone.service ran out of file descriptors: accept4");
        ck_assert_str_eq(ev_str(f, "go_message"), ACCEPT_LINE);
        ck_assert(!ev_bool(f, "unit_settings_known"));
        ck_assert_ptr_null(finding_get(f, "LimitNOFILE"));
        ck_assert_ptr_null(finding_get(f, "nofile_limit"));
        ck_assert_str_eq(advice_snippet(f, 0), "[Service]\nLimitNOFILE=65536\n");
        ck_assert_str_eq(
                advice_text(f, 0),
                "The service ran out of file descriptors when accept4 failed. The limit in force is not "
                "known here (systemctl show -p LimitNOFILE,LimitNOFILESoft shows it); raise "
                "LimitNOFILE= above what the service needs at its peak, 65536 suits most network "
                "services. If the count keeps growing while the load does not, the service leaks "
                "descriptors: raising the limit only delays the failure.");
        ck_assert_str_eq(advice_snippet(f, 1), HOLDERS("gone.service"));
        ctx_done(&x);
}
END_TEST

START_TEST(test_secrets_not_kept) {
        Ctx x;
        ctx_init(&x);
        fd_unit(&x, FD, 64, 64, "go1.19.8");
        unit_output(&x, T0, FD, INV1,
                    "cfg db_password=hunter2 api_token=tok-SECRET-123 " ACCEPT_LINE " after=hunter2");
        unit_output(&x, T0, "sys.service", INV1,
                    "pw=hunter2: dial tcp 10.0.0.1:5432: socket: too many open files in system hunter2");
        unit_output(&x, T0, "np.service", INV1, "pw=hunter2 runtime: epollcreate failed with 24 hunter2");
        unit_output(&x, T0 + 1, "np.service", INV1,
                    "hunter2 fatal error: runtime: netpollinit failed hunter2");
        Finding *fs[] = { the_finding(&x, FINDING_FD_EXHAUSTION, FD),
                          the_finding(&x, FINDING_FD_EXHAUSTION_SYSTEM, "sys.service"),
                          the_finding(&x, FINDING_NETPOLL_INIT, "np.service") };
        ck_assert_str_eq(ev_str(fs[0], "go_message"), ACCEPT_LINE);
        ck_assert_str_eq(ev_str(fs[1], "go_message"),
                         "dial tcp 10.0.0.1:5432: socket: too many open files in system");
        ck_assert_str_eq(ev_str(fs[2], "go_message"), "runtime: epollcreate failed with 24");
        ck_assert_str_eq(ev_str(fs[2], "go_message_detail"), "fatal error: runtime: netpollinit failed");
        for (size_t i = 0; i < ELEMENTSOF(fs); i++) {
                const Finding *f = fs[i];
                ck_assert(!strstr(f->summary, "hunter2") && !strstr(f->summary, "SECRET"));
                for (size_t k = 0; k < f->n_evidence; k++)
                        ck_assert_msg(!f->evidence[k].s || (!strstr(f->evidence[k].s, "hunter2") &&
                                                            !strstr(f->evidence[k].s, "SECRET")),
                                      "%s keeps a secret", f->evidence[k].key);
                for (size_t k = 0; k < f->n_advice; k++)
                        ck_assert(!strstr(f->advice[k].text, "hunter2") &&
                                  (!f->advice[k].snippet || !strstr(f->advice[k].snippet, "hunter2")));
        }
        ctx_done(&x);
}
END_TEST

START_TEST(test_enfile) {
        Ctx x;
        ctx_init(&x);
        fd_unit(&x, FD, 64, 64, "go1.19.8");
        ck_assert_int_eq(unit_output(&x, T0, FD, INV1,
                                     "accept tcp [::]:8080: accept4: too many open files in system"),
                         1);
        /* Its own class, not EMFILE. */
        ck_assert_uint_eq(n_findings(&x), 1);
        Finding *f = the_finding(&x, FINDING_FD_EXHAUSTION_SYSTEM, FD);
        ck_assert_str_eq(f->summary, FD " hit the system-wide limit on open files: accept4");
        ck_assert_str_eq(ev_str(f, "go_message"),
                         "accept tcp [::]:8080: accept4: too many open files in system");
        ck_assert_str_eq(ev_str(f, "fd_operation"), "accept4");
        ck_assert_uint_eq(ev_u64(f, "nofile_limit"), 64);
        ck_assert_uint_eq(f->n_advice, 2);
        ck_assert_int_eq(f->advice[0].kind, ADVICE_COMMAND);
        ck_assert_str_eq(
                advice_text(f, 0),
                "The whole host ran out of file handles (fs.file-max), whatever LimitNOFILE= the unit "
                "has. Find the processes that hold the most descriptors; the culprit may be another one.");
        ck_assert_str_eq(
                advice_snippet(f, 0),
                "sysctl fs.file-nr fs.file-max; for p in /proc/[0-9]*; do echo \"$(ls $p/fd 2>/dev/null | "
                "wc -l) $p $(cat $p/comm 2>/dev/null)\"; done | sort -rn | head");
        ck_assert_str_eq(advice_snippet(f, 1), "echo 'fs.file-max = 9223372036854775807' "
                                               ">/etc/sysctl.d/90-file-max.conf && sysctl --system");
        /* C's strerror() text too. */
        unit_output(&x, T0, "c.service", INV1, "open(/var/lib/x): Too many open files in system");
        ck_assert_str_eq(the_finding(&x, FINDING_FD_EXHAUSTION_SYSTEM, "c.service")->summary,
                         "c.service hit the system-wide limit on open files");
        ck_assert_ptr_null(finding_store_find_active(&x.store, FINDING_FD_EXHAUSTION, "c.service"));
        ctx_done(&x);
}
END_TEST

START_TEST(test_netpoll) {
        Ctx x;
        ctx_init(&x);
        fd_unit(&x, FD, 3, 3, "go1.19.8");
        started(&x, T0, FD, INV1);
        ck_assert_int_eq(unit_output(&x, T0 + 1, FD, INV1, "runtime: epollcreate failed with 24"), 1);
        ck_assert_int_eq(unit_output(&x, T0 + 2, FD, INV1, "fatal error: runtime: netpollinit failed"), 0);
        unit_output(&x, T0 + 3, FD, INV1, "");
        unit_output(&x, T0 + 4, FD, INV1, "goroutine 1 [running]:");
        ck_assert_uint_eq(n_findings(&x), 1);
        Finding *f = the_finding(&x, FINDING_NETPOLL_INIT, FD);
        ck_assert_str_eq(f->summary, FD
                         " could not start the Go network poller: epollcreate failed with EMFILE, limit 3");
        ck_assert_uint_eq(f->count, 1);
        ck_assert_str_eq(ev_str(f, "go_message"), "runtime: epollcreate failed with 24");
        ck_assert_str_eq(ev_str(f, "go_message_detail"), "fatal error: runtime: netpollinit failed");
        ck_assert_uint_eq(ev_u64(f, "go_errno"), 24);
        ck_assert_uint_eq(ev_u64(f, "nofile_limit"), 3);
        ck_assert_uint_eq(ev(f, "logged_at")->u, T0 + 1);
        ck_assert_uint_eq(f->n_advice, 1);
        ck_assert_str_eq(
                advice_text(f, 0),
                "The Go runtime needs descriptors of its own for its network poller (an epoll instance "
                "and a pipe or an eventfd to wake it), besides stdin, stdout and stderr: a limit of 3 "
                "(soft and hard limits are equal) left none. The drop-in allows 1024.");
        ck_assert_str_eq(advice_snippet(f, 0), "[Service]\nLimitNOFILE=1024\n");
        ck_assert_uint_eq(x.n_added, 1);
        ck_assert_uint_eq(x.n_updated, 1);

        /* Go before 1.21 wakes the poller with a pipe: a limit of 4 or 5 fails there. */
        fd_unit(&x, "pipe.service", 5, 5, "go1.19.8");
        unit_output(&x, T0, "pipe.service", INV2, "runtime: pipe failed with 24");
        unit_output(&x, T0, "pipe.service", INV2, "fatal error: runtime: pipe failed");
        f = the_finding(&x, FINDING_NETPOLL_INIT, "pipe.service");
        ck_assert_str_eq(
                f->summary,
                "pipe.service could not start the Go network poller: pipe failed with EMFILE, limit 5");
        ck_assert_str_eq(ev_str(f, "go_message_detail"), "fatal error: runtime: pipe failed");

        /* Refused by a seccomp filter, not for lack of descriptors. */
        fd_unit(&x, "seccomp.service", 1024, 524288, "go1.22.1");
        unit_output(&x, T0, "seccomp.service", INV3, "runtime: eventfd failed with 1");
        f = the_finding(&x, FINDING_NETPOLL_INIT, "seccomp.service");
        ck_assert_str_eq(
                f->summary,
                "seccomp.service could not start the Go network poller: eventfd failed with EPERM, limit "
                "524288");
        ck_assert_uint_eq(f->n_advice, 1);
        ck_assert_str_eq(
                advice_text(f, 0),
                "A refused system call (EPERM) rather than a lack of descriptors: a SystemCallFilter= "
                "with SystemCallErrorNumber= that does not allow epoll, eventfd or pipe stops the Go "
                "runtime at start. Allow them:");
        ck_assert_str_eq(advice_snippet(f, 0), "[Service]\nSystemCallFilter=@io-event pipe pipe2\n");

        /* Only the throw() line, and nothing known of the unit: both causes. */
        unit_output(&x, T0, "bare.service", INV1, "fatal error: runtime: netpollinit failed");
        f = the_finding(&x, FINDING_NETPOLL_INIT, "bare.service");
        ck_assert_str_eq(f->summary,
                         "bare.service could not start the Go network poller: netpollinit failed");
        ck_assert_ptr_null(finding_get(f, "go_errno"));
        ck_assert_uint_eq(f->n_advice, 2);
        ck_assert_str_eq(advice_snippet(f, 0), "[Service]\nLimitNOFILE=1024\n");
        ck_assert_str_eq(advice_snippet(f, 1), "[Service]\nSystemCallFilter=@io-event pipe pipe2\n");
        ctx_done(&x);
}
END_TEST

START_TEST(test_healthy_lines) {
        Ctx x;
        ctx_init(&x);
        fd_unit(&x, FD, 64, 64, "go1.19.8");
        static const char *const lines[] = {
                "2026/12/05 04:26:35 fdleak: listening on 127.0.0.1:41527",
                "opened 12 files, max open files 1024",
                "too many open connections",
                "runtime: epollwait on fd 4 failed with 9",
                "fatal error: runtime: out of memory",
                "too many open file",
                "TOO MANY OPEN FILES",
                "runtime: pipe",
        };
        for (size_t i = 0; i < ELEMENTSOF(lines); i++)
                unit_output(&x, T0 + i, FD, INV1, lines[i]);
        ck_assert_ptr_null(finding_store_find_active(&x.store, FINDING_FD_EXHAUSTION, FD));
        ck_assert_ptr_null(finding_store_find_active(&x.store, FINDING_FD_EXHAUSTION_SYSTEM, FD));
        ck_assert_ptr_null(finding_store_find_active(&x.store, FINDING_NETPOLL_INIT, FD));
        /* PID 1 and the kernel saying the words: not the unit's output. */
        pid1(&x, T0, FD, INV1, NULL, ACCEPT_LINE);
        kernel(&x, T0, "VFS: file-max limit 1000 reached: too many open files in system");
        ck_assert_uint_eq(n_findings(&x), 1); /* the out-of-memory line above */
        /* A known unit that is not Go: not goguard's to speak about. */
        TestUnit *u = fd_unit(&x, "nginx.service", 64, 64, "go1.19.8");
        u->is_go = false;
        unit_output(&x, T0, "nginx.service", INV1, "accept4() failed (24: Too many open files)");
        ck_assert_uint_eq(n_findings(&x), 1);
        ctx_done(&x);
}
END_TEST

START_TEST(test_reread) {
        /* The same records read again (a lost cursor): counted once. */
        Ctx x;
        ctx_init(&x);
        x.positions_from_time = true;
        fd_unit(&x, FD, 64, 64, "go1.19.8");
        for (int pass = 0; pass < 2; pass++) {
                unit_output(&x, T0 + SEC, FD, INV1, ACCEPT_LINE);
                unit_output(&x, T0 + 2 * SEC, FD, INV2, "runtime: epollcreate failed with 24");
                unit_output(&x, T0 + 3 * SEC, FD, INV3, "socket: too many open files in system");
        }
        ck_assert_uint_eq(n_findings(&x), 3);
        ck_assert_uint_eq(the_finding(&x, FINDING_FD_EXHAUSTION, FD)->count, 1);
        ck_assert_uint_eq(the_finding(&x, FINDING_NETPOLL_INIT, FD)->count, 1);
        ck_assert_uint_eq(the_finding(&x, FINDING_FD_EXHAUSTION_SYSTEM, FD)->count, 1);
        ck_assert_uint_eq(x.n_added, 3);
        ck_assert_uint_eq(x.n_updated, 0);
        ctx_done(&x);
}
END_TEST

START_TEST(test_covered) {
        ck_assert(correlator_covers(FINDING_FD_EXHAUSTION));
        ck_assert(correlator_covers(FINDING_FD_EXHAUSTION_SYSTEM));
        ck_assert(correlator_covers(FINDING_NETPOLL_INIT));
        ck_assert(correlator_wants_unit_message(HTTP_LINE, strlen(HTTP_LINE)));
        ck_assert(correlator_wants_unit_message("runtime: pipe failed with 24", 28));
        ck_assert(!correlator_wants_unit_message("listening on :8080", 18));
}
END_TEST

/* ---- live samples ---- */

static int sample(Ctx *x, const char *unit, const char *inv, uint64_t t, uint64_t count, uint64_t sockets) {
        UnitSample s = { .realtime = t, .boot_id = BOOT_ID, .invocation_id = inv, .fd_count = count };
        if (sockets) {
                s.fd_kinds_read = count;
                s.fd_sockets = sockets;
                s.fd_pipes = 2;
                s.fd_anon_inodes = 8;
                s.fd_files = count - sockets - 10;
        }
        int k = correlator_unit_sample(x->c, unit, &s);
        ck_assert_int_ge(k, 0);
        return k;
}

START_TEST(test_sample_leak) {
        Ctx x;
        ctx_init(&x);
        fd_unit(&x, FD, 1024, 1024, "go1.19.8");
        ck_assert_int_eq(sample(&x, FD, INV1, T0, 900, 0), 0); /* below 90% (922) */
        ck_assert_uint_eq(n_findings(&x), 0);
        ck_assert_int_eq(sample(&x, FD, INV1, T0 + 10 * SEC, 930, 880), 1);
        Finding *f = the_finding(&x, FINDING_FD_EXHAUSTION, FD);
        ck_assert_str_eq(f->summary,
                         FD " ran out of file descriptors: 930 of 1024 open (90%), mostly sockets");
        ck_assert_uint_eq(ev_u64(f, "fd_growth_per_min"), 0); /* two samples: not yet a leak */
        ck_assert_int_eq(sample(&x, FD, INV1, T0 + 20 * SEC, 960, 910), 1);
        ck_assert_int_eq(sample(&x, FD, INV1, T0 + 30 * SEC, 990, 940), 1);
        ck_assert_uint_eq(f->count, 1);
        ck_assert_str_eq(f->invocation_id, INV1);
        ck_assert_str_eq(
                f->summary,
                FD " ran out of file descriptors: 990 of 1024 open (96%), growing 180/min, mostly sockets");
        ck_assert_uint_eq(ev_u64(f, "fd_count"), 990);
        ck_assert_uint_eq(ev(f, "fd_sampled_at")->u, T0 + 30 * SEC);
        ck_assert_uint_eq(ev_u64(f, "fd_samples"), 4);
        ck_assert_uint_eq(ev_u64(f, "fd_growth_per_min"), 180);
        ck_assert_uint_eq(ev_u64(f, "fd_kinds_read"), 990);
        ck_assert_uint_eq(ev_u64(f, "fd_sockets"), 940);
        ck_assert_uint_eq(ev_u64(f, "fd_pipes"), 2);
        ck_assert_uint_eq(ev_u64(f, "fd_anon_inodes"), 8);
        ck_assert_uint_eq(ev_u64(f, "fd_files"), 40);
        ck_assert_uint_eq(ev_u64(f, "fd_other"), 0);
        ck_assert_uint_eq(ev_u64(f, "nofile_limit"), 1024);
        ck_assert_ptr_null(finding_get(f, "journal_cursor")); /* seen live, not in the journal */
        ck_assert_uint_eq(f->n_advice, 2);
        ck_assert_str_eq(
                advice_text(f, 0),
                "The main process holds 990 descriptors, 96% of its limit of 1024 (soft and hard limits "
                "are equal), and the count grew at every sample, by about 180 a minute: the limit is "
                "reached within a minute. That looks like a leak: raising the limit only delays the "
                "failure (the drop-in's limit lasts about 17 minutes more). Most are sockets: 940 of the "
                "990 read.");
        ck_assert_str_eq(advice_snippet(f, 0), "[Service]\nLimitNOFILE=4096\n");
        ck_assert_str_eq(advice_snippet(f, 1), HOLDERS(FD));
        ck_assert_uint_eq(x.n_added, 1);
        ck_assert_uint_eq(x.n_updated, 2);

        /* A sample that shrank: no longer a leak. */
        sample(&x, FD, INV1, T0 + 40 * SEC, 950, 0);
        ck_assert_str_eq(f->summary, FD " ran out of file descriptors: 950 of 1024 open (92%)");
        ck_assert_uint_eq(ev_u64(f, "fd_growth_per_min"), 0);
        /* The next invocation starts afresh, and is one more. */
        sample(&x, FD, INV2, T0 + 60 * SEC, 1000, 0);
        ck_assert_uint_eq(f->count, 2);
        ck_assert_str_eq(f->invocation_id, INV2);
        ck_assert_uint_eq(ev_u64(f, "fd_samples"), 1);
        ctx_done(&x);
}
END_TEST

START_TEST(test_sample_steady) {
        Ctx x;
        ctx_init(&x);
        fd_unit(&x, FD, 1024, 1024, "go1.19.8");
        ck_assert_int_eq(sample(&x, FD, INV1, T0, 950, 0), 1);
        for (int i = 1; i < 5; i++)
                ck_assert_int_eq(sample(&x, FD, INV1, T0 + i * 10 * SEC, 950, 0), 0);
        Finding *f = the_finding(&x, FINDING_FD_EXHAUSTION, FD);
        ck_assert_str_eq(f->summary, FD " ran out of file descriptors: 950 of 1024 open (92%)");
        ck_assert_str_eq(
                advice_text(f, 0),
                "The main process holds 950 descriptors, 92% of its limit of 1024 (soft and hard limits "
                "are equal). Raise LimitNOFILE= before it runs out; the drop-in allows 4096. If the count "
                "keeps growing while the load does not, the service leaks descriptors: raising the limit "
                "only delays the failure.");
        ck_assert_uint_eq(x.n_added, 1);
        ck_assert_uint_eq(x.n_updated, 0);

        /* The Go version decides the limit: 950 is near 1024 for Go 1.18, not near 524288 for 1.21. */
        fd_unit(&x, "old.service", 1024, 524288, "go1.18.10");
        fd_unit(&x, "new.service", 1024, 524288, "go1.21.3");
        ck_assert_int_eq(sample(&x, "old.service", INV1, T0, 950, 0), 1);
        ck_assert_int_eq(sample(&x, "new.service", INV1, T0, 950, 0), 0);
        f = the_finding(&x, FINDING_FD_EXHAUSTION, "old.service");
        ck_assert_str_eq(ev_str(f, "nofile_limit_basis"), "soft: Go before 1.19 does not raise it");
        ck_assert_str_eq(advice_snippet(f, 0), "[Service]\nLimitNOFILE=4096:524288\n");
        ck_assert_ptr_null(finding_store_find_active(&x.store, FINDING_FD_EXHAUSTION, "new.service"));
        /* A unit it knows nothing of, or with no limit: never near. */
        ck_assert_int_eq(sample(&x, "gone.service", INV1, T0, 1000000, 0), 0);
        TestUnit *u = fd_unit(&x, "inf.service", UINT64_MAX, UINT64_MAX, "go1.21.3");
        ck_assert_int_eq(sample(&x, "inf.service", INV1, T0, 1000000, 0), 0);
        UnitKnowledge k = { .known = true, .is_go = true, .settings = &u->settings };
        ck_assert(!fd_count_near_limit(&k, UINT64_MAX - 1));
        ck_assert(!fd_count_near_limit(&(UnitKnowledge){}, 5));
        ctx_done(&x);
}
END_TEST

START_TEST(test_sample_after_message) {
        /* The invocation's "too many open files" and its samples are one occurrence; the message's
         * summary and advice stay, the sample adds what it saw. */
        Ctx x;
        ctx_init(&x);
        fd_unit(&x, FD, 64, 64, "go1.19.8");
        unit_output(&x, T0, FD, INV1, ACCEPT_LINE);
        ck_assert_int_eq(sample(&x, FD, INV1, T0 + SEC, 64, 60), 1);
        Finding *f = the_finding(&x, FINDING_FD_EXHAUSTION, FD);
        ck_assert_uint_eq(f->count, 1);
        ck_assert_str_eq(f->summary, FD " ran out of file descriptors: accept4, limit 64");
        ck_assert_str_eq(advice_snippet(f, 0), "[Service]\nLimitNOFILE=1024\n");
        ck_assert_uint_eq(ev_u64(f, "fd_count"), 64);
        ck_assert_uint_eq(ev_u64(f, "fd_sockets"), 60);
        ck_assert_str_eq(ev_str(f, "journal_cursor"), "s=abc;i=1");
        ctx_done(&x);
}
END_TEST

START_TEST(test_sample_before_message) {
        /* A restarted unit's sample can come before its "too many open files" line: the sample
         * counts the new invocation, and the summary says so although it keeps the message's words. */
        Ctx x;
        ctx_init(&x);
        fd_unit(&x, FD, 64, 64, "go1.19.8");
        unit_output(&x, T0, FD, INV1, ACCEPT_LINE);
        ck_assert_int_eq(sample(&x, FD, INV2, T0 + 20 * SEC, 64, 60), 1);
        Finding *f = the_finding(&x, FINDING_FD_EXHAUSTION, FD);
        ck_assert_uint_eq(f->count, 2);
        ck_assert_str_eq(f->summary, FD " ran out of file descriptors: accept4, limit 64 (2 times)");
        unit_output(&x, T0 + 21 * SEC, FD, INV2, ACCEPT_LINE);
        ck_assert_uint_eq(f->count, 2);
        ck_assert_str_eq(f->summary, FD " ran out of file descriptors: accept4, limit 64 (2 times)");
        ctx_done(&x);
}
END_TEST

static Suite *detect_fd_suite(void) {
        Suite *s = suite_create("detect-fd");
        TCase *tc = tcase_create("unit output");
        tcase_add_test(tc, test_accept);
        tcase_add_test(tc, test_go_version_and_limit);
        tcase_add_test(tc, test_unknown_unit);
        tcase_add_test(tc, test_secrets_not_kept);
        tcase_add_test(tc, test_enfile);
        tcase_add_test(tc, test_netpoll);
        tcase_add_test(tc, test_healthy_lines);
        tcase_add_test(tc, test_reread);
        tcase_add_test(tc, test_covered);
        suite_add_tcase(s, tc);
        tc = tcase_create("samples");
        tcase_add_test(tc, test_sample_leak);
        tcase_add_test(tc, test_sample_steady);
        tcase_add_test(tc, test_sample_after_message);
        tcase_add_test(tc, test_sample_before_message);
        suite_add_tcase(s, tc);
        return s;
}

DEFINE_TEST_MAIN(detect_fd_suite)
