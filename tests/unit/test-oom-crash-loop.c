/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A unit OOM-killed in a fast crash loop, read back from the journal after it was unloaded (its
 * executable unknown): kills a few hundred ms apart, the kernel's summary lines rate-limited
 * away for some, and journald writing the kernel's lines late (it reads /dev/kmsg on its own), so
 * that a kill's lines may stand after PID 1's word on its exit, or after the next restart. Every
 * SIGKILL exit PID 1 reported was one kill: the finding counts each once. */
#include "correlate-harness.h"

#define LOOP   "loop.service"
#define CGROUP "/system.slice/loop.service"
#define N_KILL 24

typedef struct Entry {
        uint64_t written; /* when journald wrote it: the journal's order */
        uint64_t t;       /* its realtime (the kernel's own time for kernel lines) */
        enum { KERNEL_LINE, STARTED, EXITED, RESULT } kind;
        char inv[33];
        char msg[512];
} Entry;

static uint64_t rnd(uint64_t *s) {
        *s = *s * 6364136223846793005ull + 1442695040888963407ull;
        return *s >> 33;
}

static void add(Entry *e, size_t *n, uint64_t written, uint64_t t, int kind, const char *inv,
                const char *msg) {
        e[*n] = (Entry){ .written = written, .t = t, .kind = kind };
        snprintf(e[*n].inv, sizeof e[*n].inv, "%s", inv);
        snprintf(e[*n].msg, sizeof e[*n].msg, "%s", msg ?: "");
        (*n)++;
}

static int by_written(const void *a, const void *b) {
        const Entry *x = a, *y = b;
        if (x->written != y->written)
                return x->written < y->written ? -1 : 1;
        return x < y ? -1 : x > y;
}

/* One run: the count the finding reached. advance_every: a correlator_advance() (the decide
 * timer) after every so many entries, at the time of the newest entry less a second; 0: none,
 * the journal read in one go. */
static uint64_t crash_loop(uint64_t seed, unsigned advance_every, bool verbose) {
        static Entry e[N_KILL * 8 + 8];
        size_t n = 0;
        uint64_t s = seed, t = T0 + SEC, kmsg_written = 0;
        char inv[33], line[512];

        snprintf(inv, sizeof inv, "%032x", 1);
        add(e, &n, T0, T0, STARTED, inv, NULL);
        for (unsigned i = 0; i < N_KILL; i++) {
                uint32_t pid = 7000 + i;
                bool summary = rnd(&s) % 3 == 0;
                /* journald reads /dev/kmsg in order, each line some time after the kernel printed it */
                uint64_t lag = rnd(&s) % 4 == 0 ? rnd(&s) % 900000 : rnd(&s) % 20000;
                const char *lines[4];
                char l0[256], l2[512], l3[512];
                snprintf(l0, sizeof l0,
                         "memhog invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0");
                snprintf(l2, sizeof l2,
                         "oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,"
                         "oom_memcg=%s,task_memcg=%s,task=memhog,pid=%u,uid=0",
                         CGROUP, CGROUP, pid);
                snprintf(l3, sizeof l3,
                         "Memory cgroup out of memory: Killed process %u (memhog) total-vm:1009160kB, "
                         "anon-rss:40000kB, file-rss:2752kB, shmem-rss:0kB, UID:0 pgtables:212kB "
                         "oom_score_adj:0",
                         pid);
                lines[0] = l0;
                lines[1] = "memory: usage 40960kB, limit 40960kB, failcnt 9";
                lines[2] = summary ? l2 : NULL;
                lines[3] = l3;
                for (unsigned j = 0; j < 4; j++) {
                        if (!lines[j])
                                continue;
                        uint64_t kt = t + j * 100;
                        kmsg_written = MAX(kmsg_written + 1, kt + lag);
                        add(e, &n, kmsg_written, kt, KERNEL_LINE, inv, lines[j]);
                }
                uint64_t exit_at = t + 5000 + rnd(&s) % 45000;
                snprintf(line, sizeof line, "%s: Main process exited, code=killed, status=9/KILL", LOOP);
                add(e, &n, exit_at, exit_at, EXITED, inv, line);
                add(e, &n, exit_at + 300, exit_at + 300, RESULT, inv, NULL);
                snprintf(inv, sizeof inv, "%032x", i + 2);
                uint64_t start_at = exit_at + 200000 + rnd(&s) % 20000;
                add(e, &n, start_at, start_at, STARTED, inv, NULL);
                t = start_at + 80000 + rnd(&s) % 300000;
        }
        qsort(e, n, sizeof e[0], by_written);

        Ctx x;
        ctx_init(&x);
        uint64_t count = 0;
        for (int pass = 0; pass < 2; pass++) {
                x.cursor = 0; /* read again: the same entries at the same places */
                feed(&x, (JournalRecord){ .source = JOURNAL_SOURCE_UNIT,
                                          .realtime = T0 + 1000,
                                          .unit = LOOP,
                                          .comm = "memhog" });
                uint64_t newest = 0;
                for (size_t i = 0; i < n; i++) {
                        if (verbose)
                                fprintf(stderr, "%3zu written %8llu t %8llu %s %.60s\n", i,
                                        (unsigned long long) (e[i].written - T0),
                                        (unsigned long long) (e[i].t - T0), e[i].inv + 28, e[i].msg);
                        switch (e[i].kind) {
                        case KERNEL_LINE: kernel(&x, e[i].t, e[i].msg); break;
                        case STARTED: started(&x, e[i].t, LOOP, e[i].inv); break;
                        case EXITED: exited_killed(&x, e[i].t, LOOP, e[i].inv); break;
                        case RESULT: failed_result(&x, e[i].t, LOOP, e[i].inv, "signal"); break;
                        }
                        newest = MAX(newest, e[i].written);
                        if (advance_every && i % advance_every == 0)
                                ck_assert_int_ge(correlator_advance(x.c, newest - SEC), 0);
                }
                started(&x, newest + 60 * SEC, "unrelated.service", INV3);
                Finding *f = finding_store_find_active(&x.store, FINDING_OOM_KILL, LOOP);
                if (pass == 0)
                        count = f ? f->count : 0;
                else if (!f || f->count != count)
                        count = UINT64_MAX; /* counted again */
        }
        ctx_done(&x);
        return count;
}

START_TEST(test_every_kill_counted) {
        unsigned advance_every = (unsigned) _i;
        for (uint64_t seed = 1; seed <= 200; seed++) {
                uint64_t count = crash_loop(seed, advance_every, false);
                if (count != N_KILL) {
                        fprintf(stderr, "seed %llu, advance every %u: %llu kills counted of %u\n",
                                (unsigned long long) seed, advance_every, (unsigned long long) count,
                                N_KILL);
                        (void) crash_loop(seed, advance_every, true);
                }
                ck_assert_uint_eq(count, N_KILL);
        }
}
END_TEST

static Suite *oom_crash_loop_suite(void) {
        Suite *s = suite_create("oom-crash-loop");
        TCase *tc = tcase_create("rebuild");
        tcase_add_loop_test(tc, test_every_kill_counted, 0, 4);
        suite_add_tcase(s, tc);
        return s;
}

DEFINE_TEST_MAIN(oom_crash_loop_suite)
