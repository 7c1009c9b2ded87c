/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* What the state file tests (writing, reading) share. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "finding-state.h"
#include "test-util.h"
#include "utf8.h"

static const char inv1[] _unused_ = "0123456789abcdef0123456789abcdef";

/* FNV-1a 64, written out again here: the file's closing sum. */
static _unused_ uint64_t fnv(const char *p, size_t n) {
        uint64_t h = 0xcbf29ce484222325ull;
        for (size_t i = 0; i < n; i++)
                h = (h ^ (uint8_t) p[i]) * 0x100000001b3ull;
        return h;
}

/* body with its closing sum line. */
static _unused_ void append_sum(char *buf, size_t size) {
        size_t n = strlen(buf);
        snprintf(buf + n, size - n, "sum %016" PRIx64 "\n", fnv(buf, n));
}

/* The same store as the first version wrote it: no sum. */
static _unused_ char *to_v1(const char *t) {
        const char *sum = strstr(t, "\nsum ");
        ck_assert_ptr_nonnull(sum);
        char *v1 = strndup(t, (size_t) (sum + 1 - t));
        ck_assert_ptr_nonnull(v1);
        ck_assert(strncmp(v1, "goguard-findings 2\n", 19) == 0);
        v1[17] = '1';
        return v1;
}

static _unused_ char *write_store(const FindingStore *s) {
        StrBuf b = {};
        char *t;
        finding_state_write(s, &b);
        ck_assert_int_eq(strbuf_steal(&b, &t, NULL), 0);
        return t;
}

static _unused_ void read_ok(const char *text, size_t n, FindingStore *s) {
        size_t line = 777;
        ck_assert_int_eq(finding_store_init(s), 0);
        int r = finding_state_read(text, n, s, &line);
        ck_assert_msg(r == 0, "read failed (%d) at line %zu:\n%s", r, line, text);
}

static _unused_ void check_bad_n(const char *text, size_t n, size_t line) {
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

static _unused_ Finding *add(FindingStore *s, FindingClass c, const char *unit, const char *key) {
        Finding *f = NULL;
        ck_assert_int_eq(finding_new(c, unit, key, &f), 0);
        char id[33];
        memcpy(id, f->id, sizeof id);
        ck_assert_int_eq(finding_store_add(s, f), 0);
        return finding_store_get(s, id);
}

static _unused_ const char *nz(const char *s) {
        return s ?: "";
}

/* Everything the state file keeps, compared field by field. */
static _unused_ void check_same(const Finding *a, const Finding *b) {
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

static _unused_ void check_same_store(const FindingStore *a, const FindingStore *b) {
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
static _unused_ void fill(FindingStore *s) {
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
