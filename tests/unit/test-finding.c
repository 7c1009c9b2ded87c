/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "finding-test-util.h"

START_TEST(test_class_table) {
        for (int i = 0; i < _FINDING_CLASS_MAX; i++) {
                const FindingClassInfo *a = finding_class_info((FindingClass) i);
                ck_assert_ptr_nonnull(a);
                ck_assert_msg(a->name && *a->name, "class %d has no name", i);
                ck_assert_msg(a->title && *a->title, "class %s has no title", a->name);
                ck_assert_msg(a->message_id && is_hex32(a->message_id), "class %s: bad MESSAGE_ID", a->name);
                ck_assert(a->severity >= 0 && a->severity < _SEVERITY_MAX);
                for (const char *p = a->name; *p; p++)
                        ck_assert_msg((*p >= 'a' && *p <= 'z') || *p == '-', "class name %s", a->name);
                ck_assert_int_eq(finding_class_from_string(a->name), i);
                for (int j = 0; j < i; j++) {
                        const FindingClassInfo *b = finding_class_info((FindingClass) j);
                        ck_assert_str_ne(a->name, b->name);
                        ck_assert_str_ne(a->message_id, b->message_id);
                }
        }
        ck_assert_str_eq(finding_class_info(FINDING_OOM_KILL)->name, "oom-kill");
        ck_assert_int_eq(finding_class_info(FINDING_OOM_KILL)->severity, SEVERITY_CRITICAL);
        ck_assert_str_eq(finding_class_info(FINDING_OOM_RESTART_GAP)->name, "oom-restart-gap");
        ck_assert_str_eq(finding_class_info(FINDING_WATCHDOG)->name, "watchdog");
        ck_assert_ptr_null(finding_class_info(_FINDING_CLASS_MAX));
        ck_assert_ptr_null(finding_class_info(_FINDING_CLASS_INVALID));
        ck_assert_int_eq(finding_class_from_string("OOM-KILL"), _FINDING_CLASS_INVALID);
        ck_assert_int_eq(finding_class_from_string("oom-kill "), _FINDING_CLASS_INVALID);
        ck_assert_int_eq(finding_class_from_string(""), _FINDING_CLASS_INVALID);
        ck_assert_int_eq(finding_class_from_string(NULL), _FINDING_CLASS_INVALID);
}
END_TEST

START_TEST(test_unset) {
        Finding *f = new_finding(FINDING_PORT_IN_USE, "a.service", "k");
        ck_assert_int_eq(finding_set_u64(f, "port_holder_pid", 7), 0);
        ck_assert_int_eq(finding_set_string(f, "port_holder", "x"), 0);
        ck_assert_int_eq(finding_set_string(f, "go_message", "y"), 0);
        finding_unset(f, "port_holder");
        finding_unset(f, "no_such_key");
        ck_assert_uint_eq(f->n_evidence, 2);
        ck_assert_ptr_null(finding_get(f, "port_holder"));
        ck_assert_uint_eq(finding_get(f, "port_holder_pid")->u, 7);
        ck_assert_str_eq(finding_get(f, "go_message")->s, "y");
        finding_unset(f, "go_message");
        finding_unset(f, "port_holder_pid");
        ck_assert_uint_eq(f->n_evidence, 0);
        ck_assert_int_eq(finding_set_string(f, "port_holder", "z"), 0);
        ck_assert_str_eq(finding_get(f, "port_holder")->s, "z");
        finding_free(f);
}
END_TEST

START_TEST(test_severity_and_state_strings) {
        for (int i = 0; i < _SEVERITY_MAX; i++) {
                const char *s = finding_severity_to_string((FindingSeverity) i);
                ck_assert_ptr_nonnull(s);
                ck_assert_int_eq(finding_severity_from_string(s), i);
        }
        ck_assert_str_eq(finding_severity_to_string(SEVERITY_INFO), "info");
        ck_assert_str_eq(finding_severity_to_string(SEVERITY_WARNING), "warning");
        ck_assert_str_eq(finding_severity_to_string(SEVERITY_CRITICAL), "critical");
        ck_assert_ptr_null(finding_severity_to_string(_SEVERITY_MAX));
        ck_assert_ptr_null(finding_severity_to_string(_SEVERITY_INVALID));
        ck_assert_int_eq(finding_severity_from_string("Critical"), _SEVERITY_INVALID);
        ck_assert_int_eq(finding_severity_from_string(NULL), _SEVERITY_INVALID);

        for (int i = 0; i < _FINDING_STATE_MAX; i++) {
                const char *s = finding_state_to_string((FindingState) i);
                ck_assert_ptr_nonnull(s);
                ck_assert_int_eq(finding_state_from_string(s), i);
        }
        ck_assert_str_eq(finding_state_to_string(FINDING_OPEN), "open");
        ck_assert_str_eq(finding_state_to_string(FINDING_ACKNOWLEDGED), "acknowledged");
        ck_assert_str_eq(finding_state_to_string(FINDING_RESOLVED), "resolved");
        ck_assert_ptr_null(finding_state_to_string(_FINDING_STATE_MAX));
        ck_assert_ptr_null(finding_state_to_string(_FINDING_STATE_INVALID));
        ck_assert_int_eq(finding_state_from_string("closed"), _FINDING_STATE_INVALID);
        ck_assert_int_eq(finding_state_from_string(""), _FINDING_STATE_INVALID);
        ck_assert_int_eq(finding_state_from_string(NULL), _FINDING_STATE_INVALID);
}
END_TEST

START_TEST(test_new_and_ids) {
        Finding *a = new_finding(FINDING_OOM_KILL, "a.service", "boot/kpid/1");
        ck_assert(is_hex32(a->id));
        ck_assert_int_eq(a->class, FINDING_OOM_KILL);
        ck_assert_int_eq(a->severity, SEVERITY_CRITICAL);
        ck_assert_int_eq(a->state, FINDING_OPEN);
        ck_assert_str_eq(a->unit, "a.service");
        ck_assert_str_eq(a->invocation_id, "");
        ck_assert_ptr_null(a->summary);
        ck_assert_uint_eq(a->count, 0);
        ck_assert_uint_eq(a->first_seen, 0);
        ck_assert_uint_eq(a->last_seen, 0);
        ck_assert_uint_eq(a->n_evidence, 0);
        ck_assert_uint_eq(a->n_advice, 0);
        ck_assert_uint_eq(a->n_seen_keys, 0);

        /* Stable for the same (class, unit, key)... */
        Finding *b = new_finding(FINDING_OOM_KILL, "a.service", "boot/kpid/1");
        ck_assert_str_eq(a->id, b->id);
        finding_free(b);
        /* ... and different when any of them differs. */
        static const struct {
                FindingClass c;
                const char *unit, *key;
        } other[] = {
                { FINDING_GLOBAL_OOM, "a.service", "boot/kpid/1" },
                { FINDING_OOM_KILL, "b.service", "boot/kpid/1" },
                { FINDING_OOM_KILL, "a.service", "boot/kpid/2" },
                { FINDING_OOM_KILL, "a.service", "" },
                { FINDING_OOM_KILL, "a.servic", "eboot/kpid/1" }, /* the parts are separated */
                { FINDING_OOM_KILL, "", "a.serviceboot/kpid/1" },
        };
        char ids[ELEMENTSOF(other)][33];
        for (size_t i = 0; i < ELEMENTSOF(other); i++) {
                b = new_finding(other[i].c, other[i].unit, other[i].key);
                ck_assert(is_hex32(b->id));
                ck_assert_str_ne(a->id, b->id);
                memcpy(ids[i], b->id, 33);
                for (size_t j = 0; j < i; j++)
                        ck_assert_str_ne(ids[i], ids[j]);
                finding_free(b);
        }
        /* A known value, so ids stay stable across releases (state files and journal entries keep
         * them). */
        b = new_finding(FINDING_OOM_KILL, "gomem.service", "-/kpid/10323");
        ck_assert_str_eq(b->id, "efedb70eb5628625d09723888da9355a");
        ck_assert_ptr_null(b->discriminator);
        finding_free(b);

        /* The severity comes from the class. */
        b = new_finding(FINDING_GOMAXPROCS_VS_QUOTA, "x.service", "k");
        ck_assert_int_eq(b->severity, SEVERITY_INFO);
        finding_free(b);
        b = new_finding(FINDING_OOM_RESTART_GAP, "x.service", "k");
        ck_assert_int_eq(b->severity, SEVERITY_WARNING);
        finding_free(b);

        Finding *none = (Finding *) 1;
        ck_assert_int_eq(finding_new(_FINDING_CLASS_MAX, "a.service", "k", &none), -EINVAL);
        ck_assert_int_eq(finding_new(_FINDING_CLASS_INVALID, "a.service", "k", &none), -EINVAL);
        ck_assert_int_eq(finding_new(FINDING_OOM_KILL, NULL, "k", &none), -EINVAL);
        ck_assert_int_eq(finding_new(FINDING_OOM_KILL, "a.service", NULL, &none), -EINVAL);
        char *big = repeat('u', FINDING_STRING_MAX + 1);
        ck_assert_int_eq(finding_new(FINDING_OOM_KILL, big, "k", &none), -EINVAL);
        ck_assert_int_eq(finding_new(FINDING_OOM_KILL, "a.service", big, &none), -EINVAL);
        ck_assert_ptr_eq(none, (Finding *) 1);
        big[FINDING_STRING_MAX] = 0;
        b = new_finding(FINDING_OOM_KILL, big, big);
        ck_assert_str_eq(b->unit, big);
        finding_free(b);
        free(big);

        ck_assert_ptr_null(finding_free(a));
        ck_assert_ptr_null(finding_free(NULL));
}
END_TEST

/* A discriminator tells findings of one (class, unit) apart: in the id and in the lookups. */
START_TEST(test_discriminator) {
        Finding *plain = NULL, *a = NULL, *b = NULL, *none = (Finding *) 1;
        ck_assert_int_eq(finding_new_d(FINDING_CRASH_LOOP, "loop.service", NULL, "b/inv/i/restart", &plain),
                         0);
        ck_assert_ptr_null(plain->discriminator);
        ck_assert_int_eq(finding_new_d(FINDING_CRASH_LOOP, "loop.service", "panic", "b/inv/i/restart", &a),
                         0);
        ck_assert_str_eq(a->discriminator, "panic");
        ck_assert_str_eq(a->id, "04eb70a3f2d1d6d985d1fa3379b80012");
        ck_assert_str_ne(a->id, plain->id);
        ck_assert_int_eq(finding_new_d(FINDING_CRASH_LOOP, "loop.service", "signal", "b/inv/i/restart", &b),
                         0);
        ck_assert_str_ne(a->id, b->id);
        /* Without one, the id is finding_new()'s. */
        Finding *c = new_finding(FINDING_CRASH_LOOP, "loop.service", "b/inv/i/restart");
        ck_assert_str_eq(c->id, plain->id);
        finding_free(c);
        /* The parts are separated: "loop.service" + "panic" is not "loop.servicepanic". */
        c = new_finding(FINDING_CRASH_LOOP, "loop.servicepanic", "b/inv/i/restart");
        ck_assert_str_ne(c->id, a->id);
        finding_free(c);
        ck_assert_int_eq(finding_new_d(FINDING_CRASH_LOOP, "loop.service", "", "k", &none), -EINVAL);
        ck_assert_int_eq(finding_new_d(FINDING_CRASH_LOOP, "loop.service", "\xff", "k", &none), -EINVAL);
        ck_assert_ptr_eq(none, (Finding *) 1);

        FindingStore s;
        ck_assert_int_eq(finding_store_init(&s), 0);
        ck_assert_int_eq(finding_store_add(&s, plain), 0);
        ck_assert_int_eq(finding_store_add(&s, a), 0);
        ck_assert_int_eq(finding_store_add(&s, b), 0);
        ck_assert_ptr_eq(finding_store_find_active(&s, FINDING_CRASH_LOOP, "loop.service"), plain);
        ck_assert_ptr_eq(finding_store_find_active_d(&s, FINDING_CRASH_LOOP, "loop.service", NULL), plain);
        ck_assert_ptr_eq(finding_store_find_active_d(&s, FINDING_CRASH_LOOP, "loop.service", "panic"), a);
        ck_assert_ptr_eq(finding_store_find_active_d(&s, FINDING_CRASH_LOOP, "loop.service", "signal"), b);
        ck_assert_ptr_null(finding_store_find_active_d(&s, FINDING_CRASH_LOOP, "loop.service", "status=1"));
        ck_assert_ptr_null(finding_store_find_active_d(&s, FINDING_PANIC, "loop.service", "panic"));
        ck_assert_int_eq(finding_set_state(plain, FINDING_RESOLVED, 1), 0);
        ck_assert_ptr_null(finding_store_find_active(&s, FINDING_CRASH_LOOP, "loop.service"));
        ck_assert_ptr_eq(finding_store_find_active_d(&s, FINDING_CRASH_LOOP, "loop.service", "panic"), a);

        /* What a finding counted is its own, not its siblings'. */
        JournalPosition p1 = { .monotonic = 10, .realtime = 10 }, p2 = { .monotonic = 5, .realtime = 5 };
        ck_assert_int_eq(finding_record_at(a, "k1", NULL, 10, &p1), 1);
        ck_assert_ptr_eq(finding_store_find_counted_d(&s, FINDING_CRASH_LOOP, "loop.service", "panic", &p2),
                         a);
        ck_assert_ptr_null(
                finding_store_find_counted_d(&s, FINDING_CRASH_LOOP, "loop.service", "signal", &p2));
        ck_assert_ptr_null(finding_store_find_counted(&s, FINDING_CRASH_LOOP, "loop.service", &p2));

        ck_assert_int_eq(finding_set_discriminator(b, NULL), 0);
        ck_assert_ptr_null(b->discriminator);
        ck_assert_int_eq(finding_set_discriminator(b, "exit"), 0);
        ck_assert_str_eq(b->discriminator, "exit");
        ck_assert_int_eq(finding_set_discriminator(b, ""), -EINVAL);
        ck_assert_str_eq(b->discriminator, "exit");
        finding_store_done(&s);
}
END_TEST

START_TEST(test_evidence) {
        _cleanup_(finding_freep) Finding *f = new_finding(FINDING_OOM_KILL, "a.service", "k");

        ck_assert_int_eq(finding_set_string(f, "comm", "gofix"), 0);
        ck_assert_int_eq(finding_set_u64(f, "pid", 10323), 0);
        ck_assert_int_eq(finding_set_i64(f, "adj", -1000), 0);
        ck_assert_int_eq(finding_set_bool(f, "known", true), 0);
        ck_assert_int_eq(finding_set_usec(f, "at", 1700000000000000ull), 0);
        ck_assert_int_eq(finding_set_string(f, "empty", ""), 0);
        ck_assert_uint_eq(f->n_evidence, 6);

        const Evidence *e = finding_get(f, "comm");
        ck_assert_int_eq(e->type, EVIDENCE_STRING);
        ck_assert_str_eq(e->s, "gofix");
        e = finding_get(f, "pid");
        ck_assert_int_eq(e->type, EVIDENCE_U64);
        ck_assert_uint_eq(e->u, 10323);
        e = finding_get(f, "adj");
        ck_assert_int_eq(e->type, EVIDENCE_I64);
        ck_assert_int_eq(e->i, -1000);
        e = finding_get(f, "known");
        ck_assert_int_eq(e->type, EVIDENCE_BOOL);
        ck_assert_uint_eq(e->u, 1);
        e = finding_get(f, "at");
        ck_assert_int_eq(e->type, EVIDENCE_USEC);
        ck_assert_uint_eq(e->u, 1700000000000000ull);
        ck_assert_str_eq(finding_get(f, "empty")->s, "");
        ck_assert_ptr_null(finding_get(f, "missing"));
        ck_assert_ptr_null(finding_get(f, "Comm"));

        /* Same key: replaced in place, whatever the type. */
        ck_assert_int_eq(finding_set_string(f, "comm", "other"), 0);
        ck_assert_int_eq(finding_set_u64(f, "pid", UINT64_MAX), 0);
        ck_assert_int_eq(finding_set_bool(f, "known", false), 0);
        ck_assert_int_eq(finding_set_u64(f, "empty", 7), 0);
        ck_assert_int_eq(finding_set_string(f, "adj", "now a string"), 0);
        ck_assert_int_eq(finding_set_i64(f, "at", INT64_MIN), 0);
        ck_assert_uint_eq(f->n_evidence, 6);
        ck_assert_str_eq(f->evidence[0].key, "comm");
        ck_assert_str_eq(f->evidence[0].s, "other");
        ck_assert_str_eq(f->evidence[1].key, "pid");
        ck_assert_uint_eq(f->evidence[1].u, UINT64_MAX);
        ck_assert_int_eq(f->evidence[2].type, EVIDENCE_STRING);
        ck_assert_str_eq(f->evidence[2].s, "now a string");
        ck_assert_int_eq(f->evidence[3].type, EVIDENCE_BOOL);
        ck_assert_uint_eq(f->evidence[3].u, 0);
        ck_assert_int_eq(f->evidence[4].type, EVIDENCE_I64);
        ck_assert_int_eq(f->evidence[4].i, INT64_MIN);
        ck_assert_int_eq(f->evidence[5].type, EVIDENCE_U64);
        ck_assert_ptr_null(f->evidence[5].s); /* the old string is gone */
        ck_assert_uint_eq(f->evidence[5].u, 7);

        /* Strings are capped at FINDING_STRING_MAX bytes, keys too. */
        char *big = repeat('v', FINDING_STRING_MAX + 1);
        ck_assert_int_eq(finding_set_string(f, "big", big), -E2BIG);
        ck_assert_int_eq(finding_set_string(f, big, "v"), -E2BIG);
        ck_assert_int_eq(finding_set_u64(f, big, 1), -E2BIG);
        ck_assert_int_eq(finding_set_string(f, "comm", big), -E2BIG);
        ck_assert_str_eq(finding_get(f, "comm")->s, "other"); /* unchanged */
        ck_assert_uint_eq(f->n_evidence, 6);
        big[FINDING_STRING_MAX] = 0;
        ck_assert_int_eq(finding_set_string(f, big, big), 0);
        ck_assert_str_eq(finding_get(f, big)->s, big);
        free(big);
        ck_assert_int_eq(finding_set_string(f, "", "empty key"), 0);
        ck_assert_str_eq(finding_get(f, "")->s, "empty key");
        ck_assert_uint_eq(f->n_evidence, 8);
}
END_TEST

START_TEST(test_not_utf8) {
        _cleanup_(finding_freep) Finding *f = new_finding(FINDING_OOM_KILL, "a.service", "k");

        /* Values are stored escaped: an OOM-killed "mem\xff\xfehog", a line with a NUL. */
        ck_assert_int_eq(finding_set_string(f, "comm", "mem\377\376hog"), 0);
        ck_assert_str_eq(finding_get(f, "comm")->s, "mem\\xff\\xfehog");
        ck_assert_int_eq(finding_set_string_n(f, "line", "out of memory\xff\0tail", 19), 0);
        ck_assert_str_eq(finding_get(f, "line")->s, "out of memory\\xff\\x00tail");
        ck_assert_int_eq(finding_set_string(f, "ok", "h\xc3\xa9"), 0);
        ck_assert_str_eq(finding_get(f, "ok")->s, "h\xc3\xa9");
        ck_assert_int_eq(finding_set_summary(f, "a.service: mem\xfehog killed"), 0);
        ck_assert_str_eq(f->summary, "a.service: mem\\xfehog killed");
        ck_assert_int_eq(finding_add_advice(f, ADVICE_COMMAND, "t\xc3", "kill \xff"), 0);
        ck_assert_str_eq(f->advice[0].text, "t\\xc3");
        ck_assert_str_eq(f->advice[0].snippet, "kill \\xff");
        /* The same advice, given raw again, is recognised by its stored form. */
        ck_assert_int_eq(finding_add_advice(f, ADVICE_COMMAND, "t\xc3", "kill 2"), 0);
        ck_assert_uint_eq(f->n_advice, 1);
        ck_assert_str_eq(f->advice[0].snippet, "kill 2");

        /* The cap applies to the stored form. */
        char *big = repeat('\xff', FINDING_STRING_MAX / 4);
        ck_assert_int_eq(finding_set_string(f, "big", big), 0);
        ck_assert_uint_eq(strlen(finding_get(f, "big")->s), FINDING_STRING_MAX);
        free(big);
        big = repeat('\xff', FINDING_STRING_MAX / 4 + 1);
        ck_assert_int_eq(finding_set_string(f, "big", big), -E2BIG);
        ck_assert_int_eq(finding_set_summary(f, big), -E2BIG);
        free(big);

        /* Keys and unit names are compared, so they must be UTF-8 as they are. */
        ck_assert_int_eq(finding_set_string(f, "k\xff", "v"), -E2BIG);
        ck_assert_int_eq(finding_set_u64(f, "k\xff", 1), -E2BIG);
        Finding *g = NULL;
        ck_assert_int_eq(finding_new(FINDING_OOM_KILL, "a\xff.service", "k", &g), -EINVAL);
        ck_assert_ptr_null(g);
}
END_TEST

START_TEST(test_evidence_cap) {
        _cleanup_(finding_freep) Finding *f = new_finding(FINDING_OOM_KILL, "a.service", "k");
        char key[32];
        for (unsigned i = 0; i < FINDING_EVIDENCE_MAX; i++) {
                snprintf(key, sizeof key, "k%u", i);
                ck_assert_int_eq(i % 2 ? finding_set_u64(f, key, i) : finding_set_string(f, key, key), 0);
        }
        ck_assert_uint_eq(f->n_evidence, FINDING_EVIDENCE_MAX);
        ck_assert_int_eq(finding_set_string(f, "one-more", "x"), -E2BIG);
        ck_assert_int_eq(finding_set_u64(f, "one-more", 1), -E2BIG);
        ck_assert_int_eq(finding_set_i64(f, "one-more", 1), -E2BIG);
        ck_assert_int_eq(finding_set_bool(f, "one-more", true), -E2BIG);
        ck_assert_int_eq(finding_set_usec(f, "one-more", 1), -E2BIG);
        ck_assert_ptr_null(finding_get(f, "one-more"));
        ck_assert_uint_eq(f->n_evidence, FINDING_EVIDENCE_MAX);
        /* Replacing still works at the cap. */
        ck_assert_int_eq(finding_set_string(f, "k1", "replaced"), 0);
        ck_assert_int_eq(finding_set_u64(f, "k0", 5), 0);
        ck_assert_str_eq(finding_get(f, "k1")->s, "replaced");
        ck_assert_uint_eq(finding_get(f, "k0")->u, 5);
        ck_assert_uint_eq(f->n_evidence, FINDING_EVIDENCE_MAX);
}
END_TEST

START_TEST(test_advice_and_summary) {
        _cleanup_(finding_freep) Finding *f = new_finding(FINDING_OOM_KILL, "a.service", "k");

        ck_assert_int_eq(finding_add_advice(f, ADVICE_TEXT, "read this", NULL), 0);
        ck_assert_int_eq(finding_add_advice(f, ADVICE_DROPIN, "set it", "[Service]\nX=1\n"), 0);
        ck_assert_int_eq(finding_add_advice(f, ADVICE_COMMAND, "run it", "systemctl restart a"), 0);
        ck_assert_uint_eq(f->n_advice, 3);
        ck_assert_int_eq(f->advice[0].kind, ADVICE_TEXT);
        ck_assert_str_eq(f->advice[0].text, "read this");
        ck_assert_ptr_null(f->advice[0].snippet);
        ck_assert_int_eq(f->advice[1].kind, ADVICE_DROPIN);
        ck_assert_str_eq(f->advice[1].snippet, "[Service]\nX=1\n");
        ck_assert_str_eq(f->advice[2].snippet, "systemctl restart a");

        /* The same kind and text replaces the snippet instead of adding a second entry. */
        ck_assert_int_eq(finding_add_advice(f, ADVICE_DROPIN, "set it", "[Service]\nX=2\n"), 0);
        ck_assert_uint_eq(f->n_advice, 3);
        ck_assert_str_eq(f->advice[1].snippet, "[Service]\nX=2\n");
        ck_assert_int_eq(finding_add_advice(f, ADVICE_TEXT, "read this", NULL), 0);
        ck_assert_uint_eq(f->n_advice, 3);
        /* The same text with another kind is another entry. */
        ck_assert_int_eq(finding_add_advice(f, ADVICE_COMMAND, "set it", "true"), 0);
        ck_assert_uint_eq(f->n_advice, 4);

        ck_assert_int_eq(finding_add_advice(f, _ADVICE_KIND_MAX, "x", NULL), -EINVAL);
        ck_assert_int_eq(finding_add_advice(f, (AdviceKind) -1, "x", NULL), -EINVAL);
        ck_assert_int_eq(finding_add_advice(f, ADVICE_TEXT, NULL, NULL), -EINVAL);
        char *big = repeat('a', FINDING_STRING_MAX + 1);
        ck_assert_int_eq(finding_add_advice(f, ADVICE_TEXT, big, NULL), -EINVAL);
        ck_assert_int_eq(finding_add_advice(f, ADVICE_DROPIN, "x", big), -EINVAL);
        ck_assert_uint_eq(f->n_advice, 4);

        char text[32];
        for (unsigned i = f->n_advice; i < FINDING_ADVICE_MAX; i++) {
                snprintf(text, sizeof text, "advice %u", i);
                ck_assert_int_eq(finding_add_advice(f, ADVICE_TEXT, text, NULL), 0);
        }
        ck_assert_uint_eq(f->n_advice, FINDING_ADVICE_MAX);
        ck_assert_int_eq(finding_add_advice(f, ADVICE_TEXT, "one more", NULL), -E2BIG);
        ck_assert_uint_eq(f->n_advice, FINDING_ADVICE_MAX);

        finding_clear_advice(f);
        ck_assert_uint_eq(f->n_advice, 0);
        ck_assert_ptr_null(f->advice);
        finding_clear_advice(f);
        ck_assert_int_eq(finding_add_advice(f, ADVICE_TEXT, "", ""), 0);
        ck_assert_str_eq(f->advice[0].snippet, "");

        ck_assert_int_eq(finding_set_summary(f, "first"), 0);
        ck_assert_str_eq(f->summary, "first");
        ck_assert_int_eq(finding_set_summary(f, "second"), 0);
        ck_assert_str_eq(f->summary, "second");
        ck_assert_int_eq(finding_set_summary(f, big), -E2BIG);
        ck_assert_int_eq(finding_set_summary(f, NULL), -E2BIG);
        ck_assert_str_eq(f->summary, "second");
        big[FINDING_STRING_MAX] = 0;
        ck_assert_int_eq(finding_set_summary(f, big), 0);
        ck_assert_int_eq(finding_add_advice(f, ADVICE_DROPIN, big, big), 0);
        free(big);
}
END_TEST

START_TEST(test_record) {
        _cleanup_(finding_freep) Finding *f = new_finding(FINDING_OOM_KILL, "a.service", "k");
        static const char inv1[] = "0123456789abcdef0123456789abcdef",
                          inv2[] = "fedcba9876543210fedcba9876543210";

        ck_assert(!finding_seen(f, "k1"));
        ck_assert_int_eq(finding_record(f, "k1", inv1, 1000), 1);
        ck_assert(finding_seen(f, "k1"));
        ck_assert_uint_eq(f->count, 1);
        ck_assert_uint_eq(f->first_seen, 1000);
        ck_assert_uint_eq(f->last_seen, 1000);
        ck_assert_str_eq(f->invocation_id, inv1);

        /* The same key again: not counted, nothing changes. */
        ck_assert_int_eq(finding_record(f, "k1", inv2, 5000), 0);
        ck_assert_uint_eq(f->count, 1);
        ck_assert_uint_eq(f->last_seen, 1000);
        ck_assert_str_eq(f->invocation_id, inv1);

        /* Later and earlier occurrences (journals are read out of order after a restart). */
        ck_assert_int_eq(finding_record(f, "k2", inv2, 3000), 1);
        ck_assert_int_eq(finding_record(f, "k3", NULL, 500), 1);
        ck_assert_uint_eq(f->count, 3);
        ck_assert_uint_eq(f->first_seen, 500);
        ck_assert_uint_eq(f->last_seen, 3000);
        ck_assert_str_eq(f->invocation_id, inv2); /* NULL keeps the last one */
        ck_assert_int_eq(finding_record(f, "k4", "short", 3000), 1);
        ck_assert_str_eq(f->invocation_id, inv2); /* so does something that is not an id */
        ck_assert_int_eq(finding_record(f, "", NULL, 3000), 1);
        ck_assert(finding_seen(f, ""));

        char *big = repeat('k', FINDING_STRING_MAX + 1);
        ck_assert_int_eq(finding_record(f, big, NULL, 1), -E2BIG);
        ck_assert_int_eq(finding_record(f, NULL, NULL, 1), -E2BIG);
        free(big);
        ck_assert_uint_eq(f->count, 5);
        ck_assert_uint_eq(f->first_seen, 500);
}
END_TEST

START_TEST(test_record_ring) {
        _cleanup_(finding_freep) Finding *f = new_finding(FINDING_OOM_KILL, "a.service", "k");
        char key[32];

        for (unsigned i = 0; i < FINDING_SEEN_KEYS_MAX; i++) {
                snprintf(key, sizeof key, "key%u", i);
                ck_assert_int_eq(finding_record(f, key, NULL, 100 + i), 1);
        }
        ck_assert_uint_eq(f->n_seen_keys, FINDING_SEEN_KEYS_MAX);
        ck_assert_uint_eq(f->count, FINDING_SEEN_KEYS_MAX);
        for (unsigned i = 0; i < FINDING_SEEN_KEYS_MAX; i++) {
                snprintf(key, sizeof key, "key%u", i);
                ck_assert(finding_seen(f, key));
                ck_assert_int_eq(finding_record(f, key, NULL, 1), 0);
        }
        ck_assert_uint_eq(f->count, FINDING_SEEN_KEYS_MAX);

        /* One more: the oldest key is forgotten, the rest still remembered. */
        ck_assert_int_eq(finding_record(f, "new", NULL, 1), 1);
        ck_assert_uint_eq(f->n_seen_keys, FINDING_SEEN_KEYS_MAX);
        ck_assert(finding_seen(f, "new"));
        ck_assert(!finding_seen(f, "key0"));
        ck_assert(finding_seen(f, "key1"));
        snprintf(key, sizeof key, "key%u", FINDING_SEEN_KEYS_MAX - 1);
        ck_assert(finding_seen(f, key));
        /* The forgotten key counts again, and pushes out the next oldest. */
        ck_assert_int_eq(finding_record(f, "key0", NULL, 1), 1);
        ck_assert(!finding_seen(f, "key1"));
        ck_assert(finding_seen(f, "key2"));
        ck_assert(finding_seen(f, "new"));
        ck_assert_uint_eq(f->count, FINDING_SEEN_KEYS_MAX + 2);

        /* A full turn of the ring forgets every old key. */
        for (unsigned i = 0; i < FINDING_SEEN_KEYS_MAX; i++) {
                snprintf(key, sizeof key, "round2-%u", i);
                ck_assert_int_eq(finding_record(f, key, NULL, 1), 1);
        }
        ck_assert(!finding_seen(f, "new"));
        ck_assert(!finding_seen(f, "key0"));
        ck_assert(finding_seen(f, "round2-0"));
        ck_assert_uint_eq(f->n_seen_keys, FINDING_SEEN_KEYS_MAX);
        ck_assert_uint_eq(f->count, 2 * FINDING_SEEN_KEYS_MAX + 2);
        ck_assert_uint_eq(f->first_seen, 1);
        ck_assert_uint_eq(f->last_seen, 100 + FINDING_SEEN_KEYS_MAX - 1);
}
END_TEST

START_TEST(test_lifecycle) {
        _cleanup_(finding_freep) Finding *f = new_finding(FINDING_OOM_KILL, "a.service", "k");
        ck_assert_int_eq(f->state, FINDING_OPEN);
        ck_assert_uint_eq(f->state_changed, 0);

        ck_assert_int_eq(finding_set_state(f, FINDING_OPEN, 10), 0);
        ck_assert_uint_eq(f->state_changed, 0); /* no change, no time */
        ck_assert_int_eq(finding_set_state(f, FINDING_ACKNOWLEDGED, 20), 0);
        ck_assert_int_eq(f->state, FINDING_ACKNOWLEDGED);
        ck_assert_uint_eq(f->state_changed, 20);
        ck_assert_int_eq(finding_set_state(f, FINDING_ACKNOWLEDGED, 25), 0);
        ck_assert_uint_eq(f->state_changed, 20);
        /* Acknowledged still counts repeats. */
        ck_assert_int_eq(finding_record(f, "again", NULL, 22), 1);
        ck_assert_uint_eq(f->count, 1);
        ck_assert_int_eq(finding_set_state(f, FINDING_OPEN, 27), 0); /* un-acknowledge */
        ck_assert_int_eq(f->state, FINDING_OPEN);
        ck_assert_int_eq(finding_set_state(f, FINDING_ACKNOWLEDGED, 28), 0);
        ck_assert_int_eq(finding_set_state(f, FINDING_RESOLVED, 30), 0);
        ck_assert_int_eq(f->state, FINDING_RESOLVED);
        ck_assert_uint_eq(f->state_changed, 30);

        /* Resolved stays resolved. */
        ck_assert_int_eq(finding_set_state(f, FINDING_OPEN, 40), -ESTALE);
        ck_assert_int_eq(finding_set_state(f, FINDING_ACKNOWLEDGED, 40), -ESTALE);
        ck_assert_int_eq(f->state, FINDING_RESOLVED);
        ck_assert_uint_eq(f->state_changed, 30);
        ck_assert_int_eq(finding_set_state(f, FINDING_RESOLVED, 50), 0);
        ck_assert_uint_eq(f->state_changed, 30);

        ck_assert_int_eq(finding_set_state(f, _FINDING_STATE_MAX, 1), -EINVAL);
        ck_assert_int_eq(finding_set_state(f, _FINDING_STATE_INVALID, 1), -EINVAL);

        /* Open straight to resolved. */
        _cleanup_(finding_freep) Finding *g = new_finding(FINDING_OOM_KILL, "a.service", "k2");
        ck_assert_int_eq(finding_set_state(g, FINDING_RESOLVED, 5), 0);
        ck_assert_int_eq(g->state, FINDING_RESOLVED);
}
END_TEST

static Suite *finding_suite(void) {
        Suite *s = suite_create("finding");
        TCase *tc = tcase_create("finding");
        tcase_add_test(tc, test_class_table);
        tcase_add_test(tc, test_unset);
        tcase_add_test(tc, test_severity_and_state_strings);
        tcase_add_test(tc, test_new_and_ids);
        tcase_add_test(tc, test_discriminator);
        tcase_add_test(tc, test_evidence);
        tcase_add_test(tc, test_not_utf8);
        tcase_add_test(tc, test_evidence_cap);
        tcase_add_test(tc, test_advice_and_summary);
        tcase_add_test(tc, test_record);
        tcase_add_test(tc, test_record_ring);
        tcase_add_test(tc, test_lifecycle);
        suite_add_tcase(s, tc);
        return s;
}

DEFINE_TEST_MAIN(finding_suite)
