/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Security denials as goguardd meets them live: a denial tied at receipt to a unit not yet known
 * as Go waits for it (bounded), and PID 1's for a unit whose settings are not read yet; the system
 * bus daemon's peers resolved at receipt. */
#include "host-facts.h"
#include "security-harness.h"
#include "strv.h"

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

        /* A scope is no service, never Go to goguardd: reported at once, as before. */
        ctx_init_live(&x);
        audit_line(&x, USER_AVC("13", "1700000000", "/srv/d"), "session-1.scope");
        end_of_input(&x);
        ck_assert_str_eq(only(&x, FINDING_SELINUX_DENIAL)->unit, "session-1.scope");
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

#define PID1_BIND_LIVE                                                                                      \
        "type=AVC msg=audit(1700000200.000:30): avc:  denied  { name_bind } for  pid=1 comm=\"systemd\" "   \
        "src=8443 scontext=system_u:system_r:init_t:s0 tcontext=system_u:object_r:unreserved_port_t:s0 "    \
        "tclass=tcp_socket permissive=0"

/* PID 1 binding a .socket unit's port, read live: the reader ties pid 1 to init.scope, which is
 * not what PID 1 acts for; rule 5 names the service the socket starts (its Listen). */
START_TEST(test_pid1_live) {
        Ctx x;
        ctx_init_live(&x);
        TestUnit *u = add_unit(&x, "api.service");
        ck_assert_int_eq(strv_extend(&u->settings.socket_listen, "Stream"), 0);
        ck_assert_int_eq(strv_extend(&u->settings.socket_listen, "127.0.0.1:8443"), 0);
        audit_line(&x, PID1_BIND_LIVE, "init.scope");
        end_of_input(&x);
        Finding *f = only(&x, FINDING_SELINUX_DENIAL);
        ck_assert_str_eq(f->unit, "api.service");
        ck_assert_str_eq(evs(f, "attributed_by"), "socket");
        ctx_done(&x);
}
END_TEST

/* The kernel's end of the event, and a record of the next: libauparse's feed hands an event on when
 * a record of another comes. */
#define PID1_BIND_EOE  "type=EOE msg=audit(1700000200.000:30): "
#define NEXT_EVENT_EOE "type=EOE msg=audit(1700000200.001:31): "

/* The same, with the socket's Listen not read yet when the denial comes (a .socket unit loaded
 * after goguardd started: PID 1 binds it as it starts, goguardd reads its Listen after the service
 * it starts). The denial waits for a unit whose settings name the port, and is that unit's once
 * they do; one no unit names counts without a unit ORPHAN_WAIT_SEC (30 s) later, or at the end. */
START_TEST(test_pid1_before_listen) {
        Ctx x;
        ctx_init_live(&x);
        TestUnit *u = add_unit(&x, "api.service");
        audit_line(&x, PID1_BIND_LIVE, "init.scope");
        audit_line(&x, PID1_BIND_EOE, "init.scope");
        audit_line(&x, NEXT_EVENT_EOE, NULL);
        ck_assert_int_eq(correlator_advance(x.c, 1700000200ull * SEC + 29 * SEC), 0);
        ck_assert_uint_eq(n_denials(&x), 0);
        ck_assert_uint_eq(correlator_next_deadline(x.c), 1700000230ull * SEC);
        /* Another unit's check names nothing of it. */
        add_unit(&x, "other.service");
        check(&x, "other.service");
        ck_assert_uint_eq(n_denials(&x), 0);
        ck_assert_int_eq(strv_extend(&u->settings.socket_listen, "Stream"), 0);
        ck_assert_int_eq(strv_extend(&u->settings.socket_listen, "127.0.0.1:8443"), 0);
        check(&x, "api.service");
        Finding *f = only(&x, FINDING_SELINUX_DENIAL);
        ck_assert_str_eq(f->unit, "api.service");
        ck_assert_uint_eq(f->count, 1);
        ck_assert_str_eq(evs(f, "attributed_by"), "socket");
        ck_assert_str_eq(evs(f, "denial_target"), "8443");
        ck_assert_uint_eq(f->first_seen, 1700000200000000ull);
        ck_assert_uint_eq(correlator_next_deadline(x.c), 0);
        /* counted once */
        check(&x, "api.service");
        end_of_input(&x);
        ck_assert_uint_eq(n_denials(&x), 1);
        ctx_done(&x);

        /* A unit not Go yet when its Listen is read: it waits for that, as a denial tied to it
         * at once would. */
        ctx_init_live(&x);
        u = add_unit(&x, "api.service");
        u->is_go = false;
        audit_line(&x, PID1_BIND_LIVE, "init.scope");
        audit_line(&x, PID1_BIND_EOE, "init.scope");
        audit_line(&x, NEXT_EVENT_EOE, NULL);
        ck_assert_int_eq(strv_extend(&u->settings.socket_listen, "Stream"), 0);
        ck_assert_int_eq(strv_extend(&u->settings.socket_listen, "[::]:8443"), 0);
        check(&x, "api.service");
        ck_assert_uint_eq(n_denials(&x), 0);
        u->is_go = true;
        check(&x, "api.service");
        ck_assert_str_eq(only(&x, FINDING_SELINUX_DENIAL)->unit, "api.service");
        ck_assert_str_eq(evs(only(&x, FINDING_SELINUX_DENIAL), "attributed_by"), "socket");
        ctx_done(&x);

        /* No unit names it: without a unit once it waited 30 s of the audit clock. */
        ctx_init_live(&x);
        add_unit(&x, "api.service");
        audit_line(&x, PID1_BIND_LIVE, "init.scope");
        audit_line(&x, PID1_BIND_EOE, "init.scope");
        audit_line(&x, NEXT_EVENT_EOE, NULL);
        ck_assert_int_eq(correlator_advance(x.c, 1700000230ull * SEC - 1), 0);
        ck_assert_uint_eq(n_denials(&x), 0);
        ck_assert_int_eq(correlator_advance(x.c, 1700000230ull * SEC), 1);
        f = only(&x, FINDING_SELINUX_DENIAL);
        ck_assert_str_eq(f->unit, "");
        ck_assert_uint_eq(f->count, 1);
        ck_assert_str_eq(evs(f, "attributed_by"), "none");
        ctx_done(&x);
}
END_TEST

/* At most ORPHANS_MAX (16) wait: the oldest counts without a unit when another comes; none is
 * lost, and the input's end counts the rest. */
START_TEST(test_pid1_orphans_bounded) {
        Ctx x;
        ctx_init_live(&x);
        add_unit(&x, "api.service");
        char line[512];
        for (unsigned i = 0; i < 20; i++) {
                snprintf(line, sizeof line,
                         "type=AVC msg=audit(1700000300.%03u:%u): avc:  denied  { name_bind } for  pid=1 "
                         "comm=\"systemd\" src=%u scontext=system_u:system_r:init_t:s0 "
                         "tcontext=system_u:object_r:unreserved_port_t:s0 tclass=tcp_socket permissive=0",
                         i, 500 + i, 9000 + i);
                audit_line(&x, line, "init.scope");
                snprintf(line, sizeof line, "type=EOE msg=audit(1700000300.%03u:%u): ", i, 500 + i);
                audit_line(&x, line, "init.scope");
        }
        audit_line(&x, NEXT_EVENT_EOE, NULL);
        ck_assert_uint_eq(n_denials(&x), 4);
        ck_assert_ptr_nonnull(
                finding_store_find_active_d(&x.store, FINDING_SELINUX_DENIAL, "",
                                            "selinux|init_t|unreserved_port_t|tcp_socket|name_bind|9003"));
        ck_assert_ptr_null(
                finding_store_find_active_d(&x.store, FINDING_SELINUX_DENIAL, "",
                                            "selinux|init_t|unreserved_port_t|tcp_socket|name_bind|9004"));
        end_of_input(&x);
        ck_assert_uint_eq(n_denials(&x), 20);
        ctx_done(&x);
}
END_TEST

/* Under a flood the journal's copies come thousands of records behind the multicast's: the
 * journal's copy of record N (seen already: not counted again) comes while the multicast's event
 * RECEIVED_SLOTS (8192) serials later, whose slot it would share, is still assembling (a kernel AVC
 * waits for its EOE and the next record). That event keeps the unit its reader resolved. */
#define WORKER_AVC(serial)                                                                                  \
        "type=AVC msg=audit(1700000500.000:" serial "): avc:  denied  { read } for  pid=4343 "              \
        "comm=\"worker\" path=\"/srv/w\" dev=\"vda1\" ino=9 scontext=system_u:system_r:api_t:s0 "           \
        "tcontext=system_u:object_r:var_t:s0 tclass=file permissive=0"

START_TEST(test_late_copy_keeps_slot) {
        Ctx x;
        ctx_init_live(&x);
        add_unit(&x, "api.service");
        audit_line(&x, USER_AVC("100", "1700000400", "/srv/first"), "api.service"); /* multicast */
        audit_line(&x, WORKER_AVC("8292"), "api.service");                          /* multicast */
        audit_line(&x, USER_AVC("100", "1700000400", "/srv/first"), NULL);          /* journal */
        audit_line(&x, "type=EOE msg=audit(1700000500.000:8292): ", NULL);          /* no pid= */
        audit_line(&x, USER_AVC("8293", "1700000500", "/srv/next"), "api.service");
        ck_assert_uint_eq(n_denials(&x), 3);
        Finding *f = finding_store_find_active_d(&x.store, FINDING_SELINUX_DENIAL, "api.service",
                                                 "selinux|api_t|var_t|file|read|/srv/w");
        ck_assert_ptr_nonnull(f);
        ck_assert_uint_eq(f->count, 1);
        ck_assert_str_eq(evs(f, "attributed_by"), "pid");
        f = finding_store_find_active_d(&x.store, FINDING_SELINUX_DENIAL, "api.service",
                                        "selinux|api_t|var_t|file|read|/srv/first");
        ck_assert_ptr_nonnull(f);
        ck_assert_uint_eq(f->count, 1);
        ctx_done(&x);
}
END_TEST

/* systemd's child before exec, "(ents-api)", may not enter its domain through the executable's
 * label: the exec fails, PID 1 says status=203/EXEC. */
#define ENTRYPOINT_AVC                                                                                      \
        "type=AVC msg=audit(1700000000.500:60): avc:  denied  { entrypoint } for  pid=319 "                 \
        "comm=\"(ents-api)\" path=\"/usr/local/bin/payments-api\" dev=\"vda1\" ino=11 "                     \
        "scontext=system_u:system_r:payments_t:s0 tcontext=unconfined_u:object_r:user_home_t:s0 "           \
        "tclass=file permissive=0"
#define PAY "payments.service"

static void check_linked(Ctx *x) {
        Finding *e = only(x, FINDING_EXEC_FAILED), *den = only(x, FINDING_SELINUX_DENIAL);
        ck_assert_str_eq(e->unit, PAY);
        ck_assert_str_eq(den->unit, PAY);
        ck_assert_str_eq(evs(den, "attributed_by"), "pre-exec-comm");
        ck_assert_str_eq(evs(e, "exec_denied_by"), "selinux");
        ck_assert_str_eq(evs(e, "exec_denial_finding"), den->id);
        ck_assert_str_eq(evs(den, "exec_failed_finding"), e->id);
        ck_assert_str_eq(e->summary,
                         PAY " could not start: SELinux denied executing "
                             "/usr/local/bin/payments-api (status=203/EXEC; not a missing file or "
                             "mode bits)");
        /* Only the denial as the cause: no advice about the file or its mode bits. */
        ck_assert_uint_eq(e->n_advice, 1);
        ck_assert_int_eq(e->advice[0].kind, ADVICE_COMMAND);
        ck_assert_str_eq(e->advice[0].text,
                         "SELinux refused to execute /usr/local/bin/payments-api: the file "
                         "is there and its mode bits allow it; the policy does not. The "
                         "denial's finding says what to change:");
        char cmd[128];
        snprintf(cmd, sizeof cmd, "goguardctl explain %s", den->id);
        ck_assert_str_eq(e->advice[0].snippet, cmd);
        const Advice *last = &den->advice[den->n_advice - 1];
        ck_assert_str_eq(last->text, "This denial is why " PAY " failed with status=203/EXEC:");
        snprintf(cmd, sizeof cmd, "goguardctl explain %s", e->id);
        ck_assert_str_eq(last->snippet, cmd);
}

/* The denial first, then PID 1's 203/EXEC; and the other way round (the denial's event completed
 * after PID 1's word): linked either way. */
START_TEST(test_exec_denied_203) {
        for (int order = 0; order < 2; order++) {
                Ctx x;
                ctx_init_live(&x);
                TestUnit *u = add_unit(&x, PAY);
                u->settings.exec_start_path = strdup("/usr/local/bin/payments-api");
                if (order == 0) {
                        audit_line(&x, ENTRYPOINT_AVC, NULL);
                        end_of_input(&x);
                        main_exited(&x, T0 + SEC, PAY, "a1b2c3d4e5f60718293a4b5c6d7e8f90", "exited", "203",
                                    "EXEC");
                } else {
                        main_exited(&x, T0 + SEC, PAY, "a1b2c3d4e5f60718293a4b5c6d7e8f90", "exited", "203",
                                    "EXEC");
                        audit_line(&x, ENTRYPOINT_AVC, NULL);
                        end_of_input(&x);
                }
                check_linked(&x);
                ctx_done(&x);
        }
}
END_TEST

/* A denial of something else, or an exec denial of another file, is not the 203/EXEC's cause. */
#define OTHER_EXEC_AVC                                                                                      \
        "type=AVC msg=audit(1700000000.600:61): avc:  denied  { execute } for  pid=319 "                    \
        "comm=\"(ents-api)\" path=\"/usr/local/lib/helper\" dev=\"vda1\" ino=12 "                           \
        "scontext=system_u:system_r:init_t:s0 tcontext=unconfined_u:object_r:user_home_t:s0 "               \
        "tclass=file permissive=0"
#define READ_AVC                                                                                            \
        "type=AVC msg=audit(1700000000.700:62): avc:  denied  { read } for  pid=319 "                       \
        "comm=\"(ents-api)\" path=\"/usr/local/bin/payments-api\" dev=\"vda1\" ino=11 "                     \
        "scontext=system_u:system_r:init_t:s0 tcontext=unconfined_u:object_r:user_home_t:s0 "               \
        "tclass=file permissive=0"

START_TEST(test_exec_not_linked) {
        Ctx x;
        ctx_init_live(&x);
        TestUnit *u = add_unit(&x, PAY);
        u->settings.exec_start_path = strdup("/usr/local/bin/payments-api");
        audit_line(&x, OTHER_EXEC_AVC, NULL);
        audit_line(&x, READ_AVC, NULL);
        end_of_input(&x);
        main_exited(&x, T0 + SEC, PAY, "a1b2c3d4e5f60718293a4b5c6d7e8f90", "exited", "203", "EXEC");
        ck_assert_uint_eq(n_denials(&x), 2);
        Finding *e = only(&x, FINDING_EXEC_FAILED);
        ck_assert_ptr_null(evs(e, "exec_denied_by"));
        ck_assert_uint_eq(e->n_advice, 1);
        ck_assert_str_eq(e->advice[0].snippet,
                         "journalctl -b -u '" PAY "' -g 'Failed (to execute|to locate|at step EXEC)'");
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
        tcase_add_test(tc, test_pid1_live);
        tcase_add_test(tc, test_pid1_before_listen);
        tcase_add_test(tc, test_pid1_orphans_bounded);
        tcase_add_test(tc, test_late_copy_keeps_slot);
        tcase_add_test(tc, test_exec_denied_203);
        tcase_add_test(tc, test_exec_not_linked);
        suite_add_tcase(s, tc);
        return s;
}

DEFINE_TEST_MAIN(security_live_suite)
