/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Security denials as goguardd meets them live: a denial tied at receipt to a unit not yet known
 * as Go waits for it (bounded), the system bus daemon's peers resolved at receipt. */
#include "host-facts.h"
#include "security-harness.h"

#define USER_AVC(serial, sec, path)                                                                         \
        "type=USER_AVC msg=audit(" sec ".100:" serial "): pid=4242 uid=0 auid=4294967295 "                  \
        "ses=4294967295 msg='avc:  denied  { read } for  path=\"" path "\" "                                \
        "scontext=system_u:system_r:api_t:s0 tcontext=system_u:object_r:var_t:s0 tclass=file "              \
        "permissive=0  exe=\"/usr/local/bin/api\" sauid=0 hostname=? addr=? terminal=?'"

static size_t n_denials(Ctx *x) {
        size_t n = 0, i = 0;
        void *v;
        while (hashmap_iterate(x->store.by_id, &i, &v, NULL))
                n += ((Finding *) v)->class == FINDING_SELINUX_DENIAL;
        return n;
}

static void check(Ctx *x, const char *unit) {
        HostFacts h;
        ck_assert_int_eq(host_facts_init(&h, "/nonexistent"), 0);
        ck_assert_int_ge(correlator_check_unit(x->c, unit, &h, T0), 0);
        host_facts_done(&h);
}

/* Sent at the unit's start, before goguardd inspected its executable: the unit is known and not
 * Go yet. The denial is not dropped: it counts when the unit turns out Go, tied by its pid. */
START_TEST(test_waits_for_go) {
        Ctx x;
        ctx_init_live(&x);
        TestUnit *u = add_unit(&x, "api.service");
        u->is_go = false;
        audit_line(&x, USER_AVC("10", "1700000000", "/srv/a"), "api.service");
        end_of_input(&x);
        ck_assert_uint_eq(n_denials(&x), 0);
        /* Not Go at its check: still waiting. */
        check(&x, "api.service");
        ck_assert_uint_eq(n_denials(&x), 0);
        u->is_go = true;
        check(&x, "api.service");
        Finding *f = only(&x, FINDING_SELINUX_DENIAL);
        ck_assert_str_eq(f->unit, "api.service");
        ck_assert_uint_eq(f->count, 1);
        ck_assert_str_eq(evs(f, "attributed_by"), "pid");
        ck_assert_str_eq(evs(f, "denial_target"), "/srv/a");
        ck_assert_uint_eq(f->first_seen, 1700000000100000ull);
        /* Counted once: a later check has nothing more. */
        check(&x, "api.service");
        ck_assert_uint_eq(only(&x, FINDING_SELINUX_DENIAL)->count, 1);
        ctx_done(&x);
}
END_TEST

/* A unit goguardd does not know yet (its settings not read) is one about to be: the same. Offline
 * (no unit known, nothing at receipt) a denial is reported at once. */
START_TEST(test_waits_for_unknown) {
        Ctx x;
        ctx_init_live(&x);
        audit_line(&x, USER_AVC("11", "1700000000", "/srv/b"), "new.service");
        end_of_input(&x);
        ck_assert_uint_eq(n_denials(&x), 0);
        add_unit(&x, "new.service");
        check(&x, "new.service");
        ck_assert_str_eq(only(&x, FINDING_SELINUX_DENIAL)->unit, "new.service");
        ctx_done(&x);

        ctx_init(&x);
        audit_line(&x, USER_AVC("12", "1700000000", "/srv/c"), NULL);
        end_of_input(&x);
        ck_assert_str_eq(only(&x, FINDING_SELINUX_DENIAL)->unit, "");
        ctx_done(&x);
}
END_TEST

/* Bounded: a unit's first PENDING_PER_UNIT (8) denials wait; one older than 300 s than the
 * newest is dropped; a unit that never turns Go gets nothing. */
START_TEST(test_wait_bounded) {
        Ctx x;
        ctx_init_live(&x);
        TestUnit *u = add_unit(&x, "api.service");
        TestUnit *other = add_unit(&x, "other.service");
        u->is_go = other->is_go = false;
        audit_line(&x, USER_AVC("1", "1700000000", "/srv/old"), "api.service");
        char line[512];
        for (unsigned i = 0; i < 10; i++) {
                snprintf(line, sizeof line, USER_AVC("%u", "1700000400", "/srv/%u"), 100 + i, i);
                audit_line(&x, line, i < 9 ? "api.service" : "other.service");
        }
        end_of_input(&x);
        u->is_go = true;
        check(&x, "api.service");
        /* /srv/old aged out when /srv/0 came; /srv/0../srv/7 waited, /srv/8 did not. */
        ck_assert_uint_eq(n_denials(&x), 8);
        ck_assert_ptr_null(finding_store_find_active_d(&x.store, FINDING_SELINUX_DENIAL, "api.service",
                                                       "selinux|api_t|var_t|file|read|/srv/old"));
        ck_assert_ptr_nonnull(finding_store_find_active_d(&x.store, FINDING_SELINUX_DENIAL, "api.service",
                                                          "selinux|api_t|var_t|file|read|/srv/7"));
        ck_assert_ptr_null(finding_store_find_active_d(&x.store, FINDING_SELINUX_DENIAL, "api.service",
                                                       "selinux|api_t|var_t|file|read|/srv/8"));
        check(&x, "other.service");
        ck_assert_uint_eq(n_denials(&x), 8);
        ctx_done(&x);
}
END_TEST

#define BUS_AVC                                                                                             \
        "type=USER_AVC msg=audit(1700000100.000:20): pid=777 uid=81 auid=4294967295 ses=4294967295 "        \
        "msg='avc:  denied  { send_msg } for msgtype=method_call interface=org.example.Api member=Get "     \
        "dest=:1.5 spid=33 tpid=44 scontext=system_u:system_r:api_t:s0 "                                    \
        "tcontext=system_u:system_r:db_t:s0 tclass=dbus  exe=\"/usr/bin/dbus-daemon\" sauid=81 "            \
        "hostname=? addr=? terminal=?'"

/* The multicast's reader resolved the bus daemon's spid/tpid at receipt: that unit, by the
 * dbus-peer rule; no pid is asked again. */
START_TEST(test_dbus_peer_at_receipt) {
        Ctx x;
        ctx_init_live(&x);
        add_unit(&x, "api.service");
        audit_line(&x, BUS_AVC, "api.service");
        end_of_input(&x);
        Finding *f = only(&x, FINDING_SELINUX_DENIAL);
        ck_assert_str_eq(f->unit, "api.service");
        ck_assert_str_eq(evs(f, "attributed_by"), "dbus-peer");
        ck_assert_uint_eq(x.pid_via, 0);
        ctx_done(&x);

        /* From the journal: asked, as the bus daemon (pid 777) sees its pids; tpid when spid
         * names no unit. */
        ctx_init_live(&x);
        add_unit(&x, "db.service");
        x.pid_units[0].pid = 44;
        x.pid_units[0].unit = "db.service";
        audit_line(&x, BUS_AVC, NULL);
        end_of_input(&x);
        f = only(&x, FINDING_SELINUX_DENIAL);
        ck_assert_str_eq(f->unit, "db.service");
        ck_assert_str_eq(evs(f, "attributed_by"), "dbus-peer");
        ck_assert_uint_eq(x.pid_via, 777);
        ctx_done(&x);
}
END_TEST

static Suite *security_live_suite(void) {
        Suite *s = suite_create("detect-security-live");
        TCase *tc = tcase_create("core");
        tcase_add_test(tc, test_waits_for_go);
        tcase_add_test(tc, test_waits_for_unknown);
        tcase_add_test(tc, test_wait_bounded);
        tcase_add_test(tc, test_dbus_peer_at_receipt);
        suite_add_tcase(s, tc);
        return s;
}

DEFINE_TEST_MAIN(security_live_suite)
