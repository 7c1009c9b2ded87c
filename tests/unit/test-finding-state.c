/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "finding-state.h"
#include "test-util.h"
#include "utf8.h"

static const char inv1[] = "0123456789abcdef0123456789abcdef";

/* FNV-1a 64, written out again here: the file's closing sum. */
static uint64_t fnv(const char *p, size_t n) {
        uint64_t h = 0xcbf29ce484222325ull;
        for (size_t i = 0; i < n; i++)
                h = (h ^ (uint8_t) p[i]) * 0x100000001b3ull;
        return h;
}

/* body with its closing sum line. */
static void append_sum(char *buf, size_t size) {
        size_t n = strlen(buf);
        snprintf(buf + n, size - n, "sum %016" PRIx64 "\n", fnv(buf, n));
}

/* The same store as the first version wrote it: no sum. */
static char *to_v1(const char *t) {
        const char *sum = strstr(t, "\nsum ");
        ck_assert_ptr_nonnull(sum);
        char *v1 = strndup(t, (size_t) (sum + 1 - t));
        ck_assert_ptr_nonnull(v1);
        ck_assert(strncmp(v1, "goguard-findings 2\n", 19) == 0);
        v1[17] = '1';
        return v1;
}

static char *write_store(const FindingStore *s) {
        StrBuf b = {};
        char *t;
        finding_state_write(s, &b);
        ck_assert_int_eq(strbuf_steal(&b, &t, NULL), 0);
        return t;
}

static void read_ok(const char *text, size_t n, FindingStore *s) {
        size_t line = 777;
        ck_assert_int_eq(finding_store_init(s), 0);
        int r = finding_state_read(text, n, s, &line);
        ck_assert_msg(r == 0, "read failed (%d) at line %zu:\n%s", r, line, text);
}

static void check_bad_n(const char *text, size_t n, size_t line) {
        FindingStore s;
        size_t l = 777;
        ck_assert_int_eq(finding_store_init(&s), 0);
        int r = finding_state_read(text, n, &s, &l);
        ck_assert_msg(r == -EBADMSG, "read gave %d, not -EBADMSG, for:\n%.*s", r, (int) n, text);
        ck_assert_msg(l == line, "error at line %zu, not %zu, for:\n%.*s", l, line, (int) n, text);
        /* Nothing half-read is left behind, and the store is usable. */
        ck_assert_ptr_nonnull(s.by_id);
        ck_assert_uint_eq(finding_store_count(&s, NULL, _FINDING_STATE_INVALID), 0);
        finding_store_done(&s);
}
#define CHECK_BAD(text, line) check_bad_n(text, strlen(text), line)

static Finding *add(FindingStore *s, FindingClass c, const char *unit, const char *key) {
        Finding *f = NULL;
        ck_assert_int_eq(finding_new(c, unit, key, &f), 0);
        char id[33];
        memcpy(id, f->id, sizeof id);
        ck_assert_int_eq(finding_store_add(s, f), 0);
        return finding_store_get(s, id);
}

static const char *nz(const char *s) {
        return s ?: "";
}

/* Everything the state file keeps, compared field by field. */
static void check_same(const Finding *a, const Finding *b) {
        ck_assert_str_eq(a->id, b->id);
        ck_assert_int_eq(a->class, b->class);
        ck_assert_int_eq(a->severity, b->severity);
        ck_assert_int_eq(a->state, b->state);
        ck_assert_str_eq(a->unit, b->unit);
        ck_assert(!a->discriminator == !b->discriminator);
        if (a->discriminator)
                ck_assert_str_eq(a->discriminator, b->discriminator);
        ck_assert_str_eq(a->invocation_id, b->invocation_id);
        ck_assert_str_eq(nz(a->summary), nz(b->summary));
        ck_assert_uint_eq(a->first_seen, b->first_seen);
        ck_assert_uint_eq(a->last_seen, b->last_seen);
        ck_assert_uint_eq(a->count, b->count);
        ck_assert_uint_eq(a->state_changed, b->state_changed);
        ck_assert_uint_eq(a->n_evidence, b->n_evidence);
        for (size_t i = 0; i < a->n_evidence; i++) {
                const Evidence *x = &a->evidence[i], *y = &b->evidence[i];
                ck_assert_str_eq(x->key, y->key);
                ck_assert_int_eq(x->type, y->type);
                if (x->type == EVIDENCE_STRING)
                        ck_assert_str_eq(x->s, y->s);
                else if (x->type == EVIDENCE_I64)
                        ck_assert_int_eq(x->i, y->i);
                else
                        ck_assert_uint_eq(x->u, y->u);
        }
        ck_assert_uint_eq(a->n_advice, b->n_advice);
        for (size_t i = 0; i < a->n_advice; i++) {
                ck_assert_int_eq(a->advice[i].kind, b->advice[i].kind);
                ck_assert_str_eq(a->advice[i].text, b->advice[i].text);
                ck_assert(!a->advice[i].snippet == !b->advice[i].snippet);
                if (a->advice[i].snippet)
                        ck_assert_str_eq(a->advice[i].snippet, b->advice[i].snippet);
        }
        ck_assert_str_eq(a->counted_until.boot_id, b->counted_until.boot_id);
        ck_assert_uint_eq(a->counted_until.monotonic, b->counted_until.monotonic);
        ck_assert_uint_eq(a->counted_until.realtime, b->counted_until.realtime);
        ck_assert_uint_eq(a->n_seen_keys, b->n_seen_keys);
        for (size_t i = 0; i < a->n_seen_keys; i++) /* oldest first */
                ck_assert_str_eq(a->seen_keys[(a->seen_next + i) % a->n_seen_keys],
                                 b->seen_keys[(b->seen_next + i) % b->n_seen_keys]);
}

static void check_same_store(const FindingStore *a, const FindingStore *b) {
        ck_assert_uint_eq(finding_store_count(a, NULL, _FINDING_STATE_INVALID),
                          finding_store_count(b, NULL, _FINDING_STATE_INVALID));
        size_t i = 0;
        void *v;
        while (hashmap_iterate(a->by_id, &i, &v, NULL)) {
                const Finding *fa = v, *fb = finding_store_get(b, fa->id);
                ck_assert_msg(fb, "finding %s is missing", fa->id);
                check_same(fa, fb);
        }
}

/* A store with every kind of value the file has to carry. */
static void fill(FindingStore *s) {
        static const char nasty[] = "a b\\c\\\\d\ne\tf\rg\x01h\x1fi\x7fj\\sk\\el \xc3\xa9\xff end ";
        Finding *f = add(s, FINDING_OOM_KILL, "gomem.service", "-/kpid/10323");
        ck_assert_int_eq(finding_record(f, "-/kpid/10323", inv1, 1700000000000000ull), 1);
        ck_assert_int_eq(finding_record(f, "-/kpid/10400", NULL, 1700000100000000ull), 1);
        f->counted_until = (JournalPosition){ .boot_id = "0123456789abcdef0123456789abcdef",
                                              .monotonic = 98765432,
                                              .realtime = 1700000100000000ull };
        ck_assert_int_eq(finding_set_summary(f, "gomem.service killed by the kernel OOM killer (2 times)"),
                         0);
        ck_assert_int_eq(finding_set_u64(f, "kernel_pid", 10323), 0);
        ck_assert_int_eq(finding_set_u64(f, "max", UINT64_MAX), 0);
        ck_assert_int_eq(finding_set_u64(f, "zero", 0), 0);
        ck_assert_int_eq(finding_set_i64(f, "neg", -1000), 0);
        ck_assert_int_eq(finding_set_i64(f, "min", INT64_MIN), 0);
        ck_assert_int_eq(finding_set_i64(f, "imax", INT64_MAX), 0);
        ck_assert_int_eq(finding_set_bool(f, "yes", true), 0);
        ck_assert_int_eq(finding_set_bool(f, "no", false), 0);
        ck_assert_int_eq(finding_set_usec(f, "killed_at", 1700000000000000ull), 0);
        ck_assert_int_eq(finding_set_string(f, "comm", "gofix-cgo"), 0);
        ck_assert_int_eq(finding_set_string(f, "nasty", nasty), 0);
        ck_assert_int_eq(finding_set_string(f, "empty", ""), 0);
        ck_assert_int_eq(finding_set_string(f, "key with spaces\tand\\tabs", "v"), 0);
        ck_assert_int_eq(finding_set_string(f, "", "empty key"), 0);
        ck_assert_int_eq(finding_set_string(f, "GOMEMLIMIT", ""), 0);
        ck_assert_int_eq(finding_add_advice(f, ADVICE_TEXT, "Plain text, no snippet.", NULL), 0);
        ck_assert_int_eq(finding_add_advice(f, ADVICE_DROPIN, "Set GOMEMLIMIT.",
                                            "[Service]\nEnvironment=GOMEMLIMIT=36MiB\n"),
                         0);
        ck_assert_int_eq(finding_add_advice(f, ADVICE_COMMAND, nasty, nasty), 0);
        ck_assert_int_eq(finding_add_advice(f, ADVICE_TEXT, "", ""), 0);

        /* Resolved, no invocation, no summary, nothing else. */
        f = add(s, FINDING_GLOBAL_OOM, "other.service", "x");
        ck_assert_int_eq(finding_set_state(f, FINDING_RESOLVED, 1700000200000000ull), 0);

        /* Acknowledged, a wrapped ring of seen keys and a count above it. */
        f = add(s, FINDING_GO_RUNTIME_OOM, "user@1000.service", "first");
        char key[64];
        for (unsigned i = 0; i < FINDING_SEEN_KEYS_MAX + 10; i++) {
                snprintf(key, sizeof key, "boot/inv/%u/go-oom", i);
                ck_assert_int_eq(finding_record(f, key, inv1, 1000 + i), 1);
        }
        ck_assert_uint_eq(f->seen_next, 10);
        ck_assert_int_eq(finding_record(f, "key with space\\ and \n newline", NULL, 5), 1);
        f->count = 12345;
        ck_assert_int_eq(finding_set_state(f, FINDING_ACKNOWLEDGED, 77), 0);

        /* Odd unit names survive: escapes, spaces, the empty string. */
        f = add(s, FINDING_OOMD_KILL, "system-foo\\x2dbar.slice/a b.service", "k");
        ck_assert_int_eq(finding_record(f, "k", NULL, 1), 1);
        add(s, FINDING_PANIC, "", "k");
        f = add(s, FINDING_WATCHDOG, "w.service", "k");
        ck_assert_int_eq(finding_set_summary(f, ""), 0);
}

START_TEST(test_round_trip) {
        FindingStore a, b, c;
        ck_assert_int_eq(finding_store_init(&a), 0);
        fill(&a);
        char *t1 = write_store(&a);

        read_ok(t1, strlen(t1), &b);
        check_same_store(&a, &b);
        char *t2 = write_store(&b);
        ck_assert_str_eq(t1, t2);

        /* The seen keys come back without counting again. */
        Finding *f = finding_store_find_active(&b, FINDING_GO_RUNTIME_OOM, "user@1000.service");
        ck_assert_ptr_nonnull(f);
        ck_assert_uint_eq(f->count, 12345);
        ck_assert_uint_eq(f->first_seen, 5);
        ck_assert_uint_eq(f->last_seen, 1000 + FINDING_SEEN_KEYS_MAX + 9);
        ck_assert_str_eq(f->invocation_id, inv1);
        ck_assert_uint_eq(f->n_seen_keys, FINDING_SEEN_KEYS_MAX);
        ck_assert(!finding_seen(f, "boot/inv/10/go-oom"));
        ck_assert(finding_seen(f, "boot/inv/11/go-oom"));
        ck_assert(finding_seen(f, "key with space\\ and \n newline"));
        /* ... and still dedup after the restart. */
        ck_assert_int_eq(finding_record(f, "boot/inv/20/go-oom", NULL, 1), 0);
        ck_assert_uint_eq(f->count, 12345);
        f = finding_store_find_active(&b, FINDING_OOM_KILL, "gomem.service");
        ck_assert_ptr_nonnull(f);
        ck_assert_int_eq(finding_record(f, "-/kpid/10323", NULL, 1), 0);
        ck_assert_uint_eq(f->count, 2);
        ck_assert_int_eq(finding_get(f, "min")->i, INT64_MIN);
        ck_assert_uint_eq(finding_get(f, "max")->u, UINT64_MAX);

        /* Once more, from the second write. */
        read_ok(t2, strlen(t2), &c);
        check_same_store(&a, &c);

        /* An empty store is the header alone. */
        FindingStore e;
        ck_assert_int_eq(finding_store_init(&e), 0);
        char *t3 = write_store(&e);
        char empty[64] = "goguard-findings 2\n";
        append_sum(empty, sizeof empty);
        ck_assert_str_eq(t3, empty);
        finding_store_done(&e);
        read_ok(t3, strlen(t3), &e);
        ck_assert_uint_eq(finding_store_count(&e, NULL, _FINDING_STATE_INVALID), 0);

        free(t1);
        free(t2);
        free(t3);
        finding_store_done(&a);
        finding_store_done(&b);
        finding_store_done(&c);
        finding_store_done(&e);
}
END_TEST

START_TEST(test_exact_format) {
        FindingStore s;
        ck_assert_int_eq(finding_store_init(&s), 0);
        Finding *f = add(&s, FINDING_OOM_KILL, "a b.service", "k");
        ck_assert_int_eq(finding_record_at(f, "boot/kpid/1", inv1, 100,
                                           &(JournalPosition){ .boot_id = "b007b007b007b007b007b007b007b007",
                                                               .monotonic = 12,
                                                               .realtime = 100 }),
                         1);
        ck_assert_int_eq(finding_set_summary(f, "two words"), 0);
        ck_assert_int_eq(finding_set_string(f, "s", "x\\y\nz\tq\x01\x7f"), 0);
        ck_assert_int_eq(finding_set_string(f, "e", ""), 0);
        ck_assert_int_eq(finding_set_u64(f, "u", UINT64_MAX), 0);
        ck_assert_int_eq(finding_set_i64(f, "i", -5), 0);
        ck_assert_int_eq(finding_set_bool(f, "b", true), 0);
        ck_assert_int_eq(finding_set_usec(f, "t", 7), 0);
        ck_assert_int_eq(finding_add_advice(f, ADVICE_TEXT, "t", NULL), 0);
        ck_assert_int_eq(finding_add_advice(f, ADVICE_DROPIN, "d", "[Service]\n"), 0);
        ck_assert_int_eq(finding_set_state(f, FINDING_ACKNOWLEDGED, 9), 0);

        char expect[2048];
        snprintf(expect, sizeof expect,
                 "goguard-findings 2\n"
                 "finding %s oom-kill critical acknowledged a\\sb.service %s 100 100 1 9\n"
                 "summary two\\swords\n"
                 "evidence s s x\\\\y\\nz\\tq\\x01\\x7f\n"
                 "evidence s e \\e\n"
                 "evidence u u 18446744073709551615\n"
                 "evidence i i -5\n"
                 "evidence b b 1\n"
                 "evidence t t 7\n"
                 "advice text t\n"
                 "advice dropin d [Service]\\n\n"
                 "seen boot/kpid/1\n"
                 "counted b007b007b007b007b007b007b007b007 12 100\n"
                 "end\n",
                 f->id, inv1);
        append_sum(expect, sizeof expect);
        char *t = write_store(&s);
        ck_assert_str_eq(t, expect);
        free(t);
        finding_store_done(&s);
}
END_TEST

/* A finding's discriminator: its own line, only where there is one; read back into the lookups. */
START_TEST(test_discriminator) {
        FindingStore s, b;
        ck_assert_int_eq(finding_store_init(&s), 0);
        Finding *f = NULL, *g = add(&s, FINDING_CRASH_LOOP, "l.service", "k");
        ck_assert_int_eq(finding_new_d(FINDING_CRASH_LOOP, "l.service", "fatal runtime", "k", &f), 0);
        char id[33];
        memcpy(id, f->id, sizeof id);
        ck_assert_int_eq(finding_store_add(&s, f), 0);
        char expect[1024], one[512];
        const Finding *first = strcmp(id, g->id) < 0 ? f : g, *second = first == f ? g : f;
        expect[0] = 0;
        for (const Finding *x = first; x; x = x == first ? second : NULL) {
                snprintf(one, sizeof one,
                         "finding %s crash-loop critical open l.service \\e 0 0 0 0\n%ssummary \\e\nend\n",
                         x->id, x == f ? "discriminator fatal\\sruntime\n" : "");
                strcat(expect, one);
        }
        char *t = write_store(&s);
        char full[1200];
        snprintf(full, sizeof full, "goguard-findings 2\n%s", expect);
        append_sum(full, sizeof full);
        ck_assert_str_eq(t, full);
        read_ok(t, strlen(t), &b);
        check_same_store(&s, &b);
        ck_assert_str_eq(
                finding_store_find_active_d(&b, FINDING_CRASH_LOOP, "l.service", "fatal runtime")->id, id);
        ck_assert_str_eq(finding_store_find_active(&b, FINDING_CRASH_LOOP, "l.service")->id, g->id);
        free(t);
        finding_store_done(&s);
        finding_store_done(&b);

        /* Twice, or empty: not what a writer wrote. */
        static const char twice[] =
                "goguard-findings 1\n"
                "finding 0123456789abcdef0123456789abcdef crash-loop warning open u \\e 0 0 0 0\n"
                "discriminator a\n"
                "discriminator b\n"
                "end\n";
        CHECK_BAD(twice, 4);
        static const char empty[] =
                "goguard-findings 1\n"
                "finding 0123456789abcdef0123456789abcdef crash-loop warning open u \\e 0 0 0 0\n"
                "discriminator \\e\n"
                "end\n";
        CHECK_BAD(empty, 3);
        static const char two[] =
                "goguard-findings 1\n"
                "finding 0123456789abcdef0123456789abcdef crash-loop warning open u \\e 0 0 0 0\n"
                "discriminator a b\n"
                "end\n";
        CHECK_BAD(two, 3);
}
END_TEST

/* xorshift64*: reproducible pseudo-random stores. */
static uint64_t rnd(uint64_t *st) {
        *st ^= *st >> 12;
        *st ^= *st << 25;
        *st ^= *st >> 27;
        return *st * 0x2545f4914f6cdd1dull;
}

START_TEST(test_round_trip_many) {
        /* Many stores of many sizes: the output must not depend on how the findings happen to lie
         * in the hash table. */
        uint64_t st = 0x9e3779b97f4a7c15ull;
        for (unsigned round = 0; round < 300; round++) {
                FindingStore a, b;
                ck_assert_int_eq(finding_store_init(&a), 0);
                unsigned n = 1 + (unsigned) (rnd(&st) % (round < 200 ? 20 : 300));
                for (unsigned i = 0; i < n; i++) {
                        char unit[64], key[64];
                        snprintf(unit, sizeof unit, "u%u.service", (unsigned) (rnd(&st) % 50));
                        snprintf(key, sizeof key, "%" PRIu64, rnd(&st));
                        Finding *f = NULL;
                        ck_assert_int_eq(
                                finding_new((FindingClass) (rnd(&st) % _FINDING_CLASS_MAX), unit, key, &f),
                                0);
                        ck_assert_int_eq(finding_record(f, key, NULL, rnd(&st) % 1000), 1);
                        if (rnd(&st) % 3 == 0)
                                ck_assert_int_eq(finding_set_state(f, FINDING_RESOLVED, rnd(&st) % 100), 0);
                        int r = finding_store_add(&a, f);
                        ck_assert(r == 0 || r == -EEXIST || r == -ENOSPC);
                }
                char *t1 = write_store(&a);
                read_ok(t1, strlen(t1), &b);
                check_same_store(&a, &b);
                char *t2 = write_store(&b);
                ck_assert_msg(strcmp(t1, t2) == 0, "round %u (%u findings): the second write differs", round,
                              n);
                free(t1);
                free(t2);
                finding_store_done(&a);
                finding_store_done(&b);
        }
}
END_TEST

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

static Suite *finding_state_suite(void) {
        Suite *s = suite_create("finding-state");
        TCase *tc = tcase_create("write");
        tcase_add_test(tc, test_round_trip);
        tcase_add_test(tc, test_exact_format);
        tcase_add_test(tc, test_discriminator);
        tcase_add_test(tc, test_round_trip_many);
        tcase_set_timeout(tc, 120);
        suite_add_tcase(s, tc);
        tc = tcase_create("read");
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

DEFINE_TEST_MAIN(finding_state_suite)
