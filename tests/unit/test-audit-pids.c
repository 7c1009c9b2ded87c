/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <string.h>

#include "audit-pids.h"
#include "test-util.h"

static AuditPids parse(const char *rec) {
        AuditPids p;
        ck_assert_int_eq(audit_pids_parse(rec, strlen(rec), &p), 0);
        return p;
}

START_TEST(test_kernel_avc) {
        /* F01: the subject's pid inside the avc text; SYSCALL's ppid= is not its pid=. */
        AuditPids p = parse("type=AVC msg=audit(1170021493.977:293): avc:  denied  { read write } for  "
                            "pid=13010 comm=\"pickup\" name=\"maildrop\" dev=hda7 ino=14911367 "
                            "scontext=system_u:system_r:postfix_pickup_t:s0 "
                            "tcontext=system_u:object_r:postfix_spool_maildrop_t:s0 tclass=dir");
        ck_assert_uint_eq(p.pid, 13010);
        ck_assert(!p.from_bus_daemon);
        ck_assert_uint_eq(p.sender_pid, 0);
        p = parse("type=SYSCALL msg=audit(1170021493.977:293): arch=c000003e syscall=2 success=no "
                  "exit=-13 items=1 ppid=2013 pid=13010 auid=4294967295 comm=\"pickup\"");
        ck_assert_uint_eq(p.pid, 13010);
        p = parse("type=CWD msg=audit(1170021493.977:293):  cwd=\"/var/spool/postfix\"");
        ck_assert_uint_eq(p.pid, 0);
}
END_TEST

START_TEST(test_user_avc) {
        /* As libaudit sends it from a unit's process: the kernel's pid= first. */
        AuditPids p = parse("type=USER_AVC msg=audit(1764921600.123:4567): pid=4242 uid=0 auid=4294967295 "
                            "ses=4294967295 msg='avc:  denied  { read } for  scontext=a:b:c_t:s0 "
                            "tcontext=a:b:d_t:s0 tclass=file permissive=0  exe=\"/usr/local/bin/x\" "
                            "sauid=0 hostname=? addr=? terminal=?'");
        ck_assert_uint_eq(p.pid, 4242);
        ck_assert(!p.from_bus_daemon);
        /* F08: dbus-daemon's, with the sender and the receiver of the refused message. */
        p = parse(
                "type=USER_AVC msg=audit(1461325861.280:1477): pid=1099 uid=81 auid=4294967295 "
                "ses=4294967295 subj=system_u:system_r:system_dbusd_t:s0-s0:c0.c1023 msg='avc:  denied  "
                "{ send_msg } for msgtype=signal interface=org.freedesktop.NetworkManager.dnsmasq member=Up "
                "dest=org.freedesktop.DBus spid=11580 tpid=11540 scontext=system_u:system_r:dnsmasq_t:s0 "
                "tcontext=system_u:system_r:NetworkManager_t:s0 tclass=dbus  exe=\"/usr/bin/dbus-daemon\" "
                "sauid=81 hostname=? addr=? terminal=?'");
        ck_assert_uint_eq(p.pid, 1099);
        ck_assert(p.from_bus_daemon);
        ck_assert_uint_eq(p.sender_pid, 11580);
        ck_assert_uint_eq(p.peer_pid, 11540);
        /* AppArmor's from dbus-broker: pid= and peer_pid= inside msg. */
        p = parse("type=USER_AVC msg=audit(1561053426.749:186): pid=640 uid=103 auid=4294967295 "
                  "ses=4294967295 msg='apparmor=\"DENIED\" operation=\"dbus_method_call\"  bus=\"system\" "
                  "mask=\"send\" name=\"org.freedesktop.systemd1\" pid=20596 label=\"x\" peer_pid=1 "
                  "peer_label=\"unconfined\" exe=\"/usr/bin/dbus-broker\" sauid=103 hostname=? addr=? "
                  "terminal=?'");
        ck_assert_uint_eq(p.pid, 640);
        ck_assert(p.from_bus_daemon);
        ck_assert_uint_eq(p.sender_pid, 20596);
        ck_assert_uint_eq(p.peer_pid, 1);
        /* Another program's exe named like it is not the bus daemon. */
        p = parse("type=USER_AVC msg=audit(1.000:1): pid=7 msg='spid=3 exe=\"/tmp/dbus-daemon-x\"'");
        ck_assert(!p.from_bus_daemon);
        ck_assert_uint_eq(p.sender_pid, 0);
}
END_TEST

START_TEST(test_bad) {
        AuditPids p;
        ck_assert_int_eq(audit_pids_parse("pid=5", 5, &p), -EBADMSG);
        ck_assert_int_eq(audit_pids_parse("type=AVC msg=audit(1.0:2", 24, &p), -EBADMSG);
        /* Too long or not a number: no pid rather than a wrong one. */
        p = parse("type=AVC msg=audit(1.000:2): pid=99999999999 comm=x");
        ck_assert_uint_eq(p.pid, 0);
        p = parse("type=AVC msg=audit(1.000:2): pid=12x comm=x");
        ck_assert_uint_eq(p.pid, 0);
        p = parse("type=AVC msg=audit(1.000:2): pid=");
        ck_assert_uint_eq(p.pid, 0);
}
END_TEST

START_TEST(test_time) {
        uint64_t usec, serial;
        const char *r = "type=USER_AVC msg=audit(1764921600.123:4567): pid=1";
        ck_assert_int_eq(audit_record_time(r, strlen(r), &usec, &serial), 0);
        ck_assert_uint_eq(usec, 1764921600123000ull);
        ck_assert_uint_eq(serial, 4567);
        r = "node=n type=AVC msg=audit(5.007:8): x";
        ck_assert_int_eq(audit_record_time(r, strlen(r), &usec, &serial), 0);
        ck_assert_uint_eq(usec, 5007000);
        ck_assert_uint_eq(serial, 8);
        r = "type=AVC msg=audit(5.1000:8): x";
        ck_assert_int_eq(audit_record_time(r, strlen(r), &usec, &serial), -EBADMSG);
        r = "type=AVC msg=audit(5:8): x";
        ck_assert_int_eq(audit_record_time(r, strlen(r), &usec, &serial), -EBADMSG);
        r = "type=AVC msg=audit(5.1:): x";
        ck_assert_int_eq(audit_record_time(r, strlen(r), &usec, &serial), -EBADMSG);
}
END_TEST

static Suite *audit_pids_suite(void) {
        Suite *s = suite_create("audit-pids");
        TCase *tc = tcase_create("core");
        tcase_add_test(tc, test_kernel_avc);
        tcase_add_test(tc, test_user_avc);
        tcase_add_test(tc, test_bad);
        tcase_add_test(tc, test_time);
        suite_add_tcase(s, tc);
        return s;
}

DEFINE_TEST_MAIN(audit_pids_suite)
