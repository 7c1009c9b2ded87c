/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Security denials: audit records to findings. The assembler (AVC with its SYSCALL, CWD, PATH),
 * each record once whatever brought it, AppArmor records as libapparmor's own test pairs read
 * them, attribution by each rule in order, grouping, the flood, and exact advice. */
#include "apparmor-record.h"
#include "audit-event.h"
#include "audit-log.h"
#include "audit-record.h"
#include "correlate-harness.h"
#include "security-advice.h"
#include "security-harness.h"

#define API "api.service"

/* ../shared/fixtures/denials, verbatim */
#define F01_AVC                                                                                             \
        "type=AVC msg=audit(1170021493.977:293): avc:  denied  { read write } for  pid=13010 "              \
        "comm=\"pickup\" name=\"maildrop\" dev=hda7 ino=14911367 "                                          \
        "scontext=system_u:system_r:postfix_pickup_t:s0 "                                                   \
        "tcontext=system_u:object_r:postfix_spool_maildrop_t:s0 tclass=dir"
#define F01_SYSCALL                                                                                         \
        "type=SYSCALL msg=audit(1170021493.977:293): arch=c000003e syscall=2 success=no exit=-13 "          \
        "a0=5555665d91b0 a1=10800 a2=5555665d91b8 a3=0 items=1 ppid=2013 pid=13010 auid=4294967295 "        \
        "uid=890 gid=890 euid=890 suid=890 fsuid=890 egid=890 sgid=890 fsgid=890 tty=(none) "               \
        "comm=\"pickup\" exe=\"/usr/libexec/postfix/pickup\" "                                              \
        "subj=system_u:system_r:postfix_pickup_t:s0 key=(null)"
#define F01_CWD "type=CWD msg=audit(1170021493.977:293):  cwd=\"/var/spool/postfix\""
#define F01_PATH                                                                                            \
        "type=PATH msg=audit(1170021493.977:293): item=0 name=\"maildrop\" inode=14911367 dev=03:07 "       \
        "mode=040730 ouid=890 ogid=891 rdev=00:00 obj=system_u:object_r:postfix_spool_maildrop_t:s0"
#define F02_SYSCALL                                                                                         \
        "node=james.example.com type=SYSCALL msg=audit(1165963069.244:851): arch=40000003 syscall=102 "     \
        "success=no exit=-13 a0=2 a1=bf96a830 a2=b5b1e8 a3=9e58ac0 items=0 ppid=21133 pid=21134 "           \
        "auid=3267 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=pts10 comm=\"httpd\" "       \
        "exe=\"/usr/sbin/httpd\" subj=system_u:system_r:httpd_t:s0 key=(null)"
#define F02_AVC                                                                                             \
        "node=james.example.com type=AVC msg=audit(1165963069.244:851): avc:  denied  { name_bind } for  "  \
        "pid=21134 comm=\"httpd\" src=81 scontext=system_u:system_r:httpd_t:s0 "                            \
        "tcontext=system_u:object_r:reserved_port_t:s0 tclass=tcp_socket"
#define F03_AVC_PATH                                                                                        \
        "node=dan.example.com type=AVC_PATH msg=audit(1166017682.366:877):  "                               \
        "path=\"/var/www/html/index.html\""
#define F03_AVC                                                                                             \
        "node=dan.example.com type=AVC msg=audit(1166017682.366:877): avc:  denied  { execute_no_trans } "  \
        "for  pid=23768 comm=\"httpd\" name=\"index.html\" dev=dm-0 ino=7996439 "                           \
        "scontext=system_u:system_r:httpd_t:s0 tcontext=system_u:object_r:var_t:s0 tclass=file"
#define F06_DMESG                                                                                           \
        "[   31.625874] audit: type=1400 audit(1656936960.564:16): avc:  denied  { watch_reads } for  "     \
        "pid=319 comm=\"(orelabel)\" path=\"/dev/console\" dev=\"devtmpfs\" ino=11 "                        \
        "scontext=system_u:system_r:kernel_t:s0 tcontext=system_u:object_r:console_device_t:s0 "            \
        "tclass=chr_file permissive=0"
#define F08                                                                                                 \
        "type=USER_AVC msg=audit(1461325861.280:1477): pid=1099 uid=81 auid=4294967295 ses=4294967295 "     \
        "subj=system_u:system_r:system_dbusd_t:s0-s0:c0.c1023 msg='avc:  denied  { send_msg } for "         \
        "msgtype=signal interface=org.freedesktop.NetworkManager.dnsmasq member=Up "                        \
        "dest=org.freedesktop.DBus spid=11580 tpid=11540 scontext=system_u:system_r:dnsmasq_t:s0 "          \
        "tcontext=system_u:system_r:NetworkManager_t:s0 tclass=dbus  exe=\"/usr/bin/dbus-daemon\" "         \
        "sauid=81 hostname=? addr=? terminal=?'"
#define F09_SYSLOG                                                                                          \
        "Jan 12 03:38:48 localhost audispd: node=localhost type=USER_AVC "                                  \
        "msg=audit(1578800328.122:1943): pid=1 uid=0 auid=4294967295 ses=4294967295 "                       \
        "subj=system_u:system_r:init_t:s0 msg='avc:  denied  { start } for auid=n/a uid=0 gid=0 "           \
        "path=\"/usr/lib/systemd/system/poweroff.target\" cmdline=\"/sbin/init 0\" "                        \
        "scontext=system_u:system_r:auditd_t:s0 tcontext=system_u:object_r:power_unit_t:s0 "                \
        "tclass=service exe=\"/usr/lib/systemd/systemd\" sauid=0 hostname=? addr=? terminal=?'"
#define F10                                                                                                 \
        "type=USER_AVC msg=audit(1681899125.941:32): pid=748 uid=81 auid=4294967295 ses=4294967295 "        \
        "subj=system_u:system_r:system_dbusd_t:s0-s0:c0.c1023 msg='avc:  received policyload notice "       \
        "(seqno=3)  exe=\"/usr/bin/dbus-daemon\" sauid=81 hostname=? addr=? terminal=?'UID=\"dbus\" "       \
        "AUID=\"unset\" SAUID=\"dbus\""
#define F11_DENIED                                                                                          \
        "type=AVC msg=audit(1691930856.284:29963): apparmor=\"DENIED\" operation=\"open\" class=\"file\" "  \
        "profile=\"ping\" name=\"/proc/21622/cmdline\" pid=9136 comm=\"cat\" requested_mask=\"r\" "         \
        "denied_mask=\"r\" fsuid=1000 ouid=1000"
#define F11_SYSCALL                                                                                         \
        "type=SYSCALL msg=audit(1691930856.284:29963): arch=c000003e syscall=257 success=no exit=-13 "      \
        "a0=ffffff9c a1=7ffc4539abf8 a2=0 a3=0 items=0 ppid=21622 pid=9136 auid=1000 uid=1000 gid=100 "     \
        "euid=1000 suid=1000 fsuid=1000 egid=100 sgid=100 fsgid=100 tty=pts4 ses=2 comm=\"cat\" "           \
        "exe=\"/usr/bin/cat\" subj=ping key=(null)"
#define F11_STATUS                                                                                          \
        "type=AVC msg=audit(1691930881.661:29975): apparmor=\"STATUS\" operation=\"profile_replace\" "      \
        "profile=\"apparmor_parser\" name=\"ping\" pid=10005 comm=\"apparmor_parser\""
#define F12                                                                                                 \
        "[ 1612.746129] audit: type=1400 audit(1284061910.975:672): apparmor=\"DENIED\" "                   \
        "operation=\"capable\" parent=2663 "                                                                \
        "profile=\"/home/ubuntu/bzr/apparmor/tests/regression/apparmor/syscall_setpriority\" pid=7292 "     \
        "comm=\"syscall_setprio\" capability=23  capname=\"sys_nice\""
#define F13                                                                                                 \
        "Sep  2 11:53:23 utopic-amd64 kernel: [182243.243324] audit: type=1400 "                            \
        "audit(1409684003.960:273342): apparmor=\"DENIED\" operation=\"mkdir\" "                            \
        "profile=\"/home/ubuntu/bzr/apparmor/tests/regression/apparmor/mkdir\" "                            \
        "name=\"/tmp/sdtest.7283-14445-r31VAP/tmpdir/\" pid=7314 comm=\"mkdir\" requested_mask=\"c\" "      \
        "denied_mask=\"c\" fsuid=0 ouid=0"
#define F14                                                                                                 \
        "Jul 25 15:02:00 redacted kernel: [  296.524447] audit: type=1400 audit(1437850920.403:64): "       \
        "apparmor=\"ALLOWED\" operation=\"open\" profile=\"/usr/sbin/vsftpd\" name=\"/home/bane/foo\" "     \
        "pid=1811 comm=\"vsftpd\" requested_mask=\"r\" denied_mask=\"r\" fsuid=1000 ouid=1000"
#define F15                                                                                                 \
        "2025-01-27T13:01:36.226987+05:30 sec-plucky-amd64 kernel: audit: type=1400 "                       \
        "audit(1737963096.225:3240): apparmor=\"AUDIT\" operation=\"getattr\" class=\"file\" "              \
        "profile=\"/usr/sbin/mosquitto\" name=\"/etc/mosquitto/pwfile\" pid=8119 comm=\"mosquitto\" "       \
        "requested_mask=\"r\" fsuid=122 ouid=122"
#define F16                                                                                                 \
        "[  176.385388] audit: type=1400 audit(1666891380.570:78): apparmor=\"DENIED\" "                    \
        "operation=\"userns_create\" class=\"namespace\" profile=\"/usr/bin/userns_child_exec\" pid=1785 "  \
        "comm=\"userns_child_ex\" requested=\"userns_create\" denied=\"userns_create\""
#define F17                                                                                                 \
        "Jun 20 17:57:06 ns1 kernel: [4835959.046111] audit: type=1107 audit(1561053426.749:186): pid=640 " \
        "uid=103 auid=4294967295 ses=4294967295 msg='apparmor=\"ALLOWED\" operation=\"dbus_method_call\"  " \
        "bus=\"system\" path=\"/org/freedesktop/systemd1\" interface=\"org.freedesktop.systemd1.Manager\" " \
        "member=\"LookupDynamicUserByName\" mask=\"send\" name=\"org.freedesktop.systemd1\" pid=20596 "     \
        "label=\"/tmp/apparmor-2.8.0/tests/regression/apparmor/dbus_service\" peer_pid=1 "                  \
        "peer_label=\"unconfined\"\n                  exe=\"/usr/bin/dbus-daemon\" sauid=103 hostname=? "   \
        "addr=? terminal=?'"

START_TEST(test_assembled_event) {
        Ctx x;
        ctx_init(&x);
        audit_line(&x, F01_AVC, NULL);
        audit_line(&x, F01_SYSCALL, NULL);
        audit_line(&x, F01_CWD, NULL);
        audit_line(&x, F01_PATH, NULL);
        end_of_input(&x);
        Finding *f = only(&x, FINDING_SELINUX_DENIAL);
        ck_assert_str_eq(f->unit, "");
        ck_assert_uint_eq(f->count, 1);
        ck_assert_str_eq(evs(f, "attributed_by"), "none");
        ck_assert_str_eq(evs(f, "denial_source_type"), "postfix_pickup_t");
        ck_assert_str_eq(evs(f, "denial_target_type"), "postfix_spool_maildrop_t");
        ck_assert_str_eq(evs(f, "denial_permissions"), "read write");
        ck_assert_str_eq(evs(f, "denial_mode"), "enforcing");
        ck_assert_str_eq(evs(f, "denial_record"), F01_AVC);
        ck_assert_uint_eq(f->first_seen, 1170021493977000ull);
#if GOGUARD_HAVE_AUPARSE
        /* The SYSCALL's exe, and the PATH's name in the CWD: the event's other records. */
        ck_assert_str_eq(evs(f, "denial_exe"), "/usr/libexec/postfix/pickup");
        ck_assert_str_eq(evs(f, "denial_target"), "/var/spool/postfix/maildrop");
        ck_assert_str_eq(f->discriminator, "selinux|postfix_pickup_t|postfix_spool_maildrop_t|dir|read "
                                           "write|/var/spool/postfix/maildrop");
        ck_assert_str_eq(f->summary, "(no unit) was denied by SELinux: postfix_pickup_t { read write } on "
                                     "/var/spool/postfix/maildrop (dir)");
#else
        /* Without libauparse the AVC is an event of its own. */
        ck_assert_ptr_null(evs(f, "denial_exe"));
        ck_assert_str_eq(evs(f, "denial_target"), "maildrop");
        ck_assert_str_eq(f->discriminator,
                         "selinux|postfix_pickup_t|postfix_spool_maildrop_t|dir|read write|maildrop");
#endif
        ctx_done(&x);
}
END_TEST

/* The same record through the journal's audit transport and the kernel's printk line, and
 * audit.log: counted once; a record of another node with the same header is another. */
START_TEST(test_dedupe) {
        Ctx x;
        ctx_init(&x);
        _cleanup_free_ char *from_journal = NULL, *from_kernel = NULL;
        const char *body = strstr(F06_DMESG, "avc:");
        char msg[1024];
        snprintf(msg, sizeof msg, "AVC %s", body);
        ck_assert_int_eq(audit_record_from_journal("AVC", 1400, 16, 1656936960564123ull, msg, strlen(msg),
                                                   &from_journal),
                         0);
        ck_assert_str_eq(from_journal,
                         "type=AVC msg=audit(1656936960.564:16): avc:  denied  { watch_reads } for  "
                         "pid=319 comm=\"(orelabel)\" path=\"/dev/console\" dev=\"devtmpfs\" ino=11 "
                         "scontext=system_u:system_r:kernel_t:s0 "
                         "tcontext=system_u:object_r:console_device_t:s0 tclass=chr_file permissive=0");
        const char *kline = strstr(F06_DMESG, "audit: ");
        ck_assert_int_eq(audit_record_from_kernel_line(kline, strlen(kline), &from_kernel), 0);
        ck_assert_str_eq(from_kernel, from_journal);

        audit_line(&x, from_journal, NULL);
        audit_line(&x, F06_DMESG, NULL);
        audit_line(&x, from_kernel, NULL);
        end_of_input(&x);
        ck_assert_uint_eq(only(&x, FINDING_SELINUX_DENIAL)->count, 1);
        /* another node's record of the same time and serial */
        char other[1200];
        snprintf(other, sizeof other, "node=elsewhere %s", from_journal);
        audit_line(&x, other, NULL);
        end_of_input(&x);
        ck_assert_uint_eq(only(&x, FINDING_SELINUX_DENIAL)->count, 2);
        ctx_done(&x);
}
END_TEST

/* Rule 1: the unit the reader resolved the record's pid to at receipt. */
START_TEST(test_rule_pid) {
        Ctx x;
        ctx_init(&x);
        add_unit(&x, API);
        audit_line(&x, F02_SYSCALL, API);
        audit_line(&x, F02_AVC, API);
        end_of_input(&x);
        Finding *f = only(&x, FINDING_SELINUX_DENIAL);
        ck_assert_str_eq(f->unit, API);
        ck_assert_str_eq(evs(f, "attributed_by"), "pid");
        ck_assert_str_eq(evs(f, "denial_node"), "james.example.com");
        ck_assert_str_eq(f->discriminator, "selinux|httpd_t|reserved_port_t|tcp_socket|name_bind|81");
        ck_assert_str_eq(f->summary,
                         "api.service was denied by SELinux: httpd_t { name_bind } on 81 (tcp_socket)");
        /* a port httpd_t may not bind: the port type, and no allow rule */
        ck_assert_uint_eq(f->n_advice, 1);
        ck_assert_int_eq(f->advice[0].kind, ADVICE_COMMAND);
        ck_assert_str_eq(f->advice[0].snippet, "semanage port -a -t http_port_t -p tcp 81");
        ctx_done(&x);
}
END_TEST

/* Rule 1 for dbus-daemon's USER_AVC: its spid (then tpid) names the unit, not the sender; a
 * record from the journal (no unit at receipt) asks for the pid as the bus daemon (the header's
 * pid) sees it. */
START_TEST(test_rule_dbus_peer) {
        Ctx x;
        ctx_init_live(&x);
        x.pid_units[0].pid = 11540; /* read at each call */
        x.pid_units[0].unit = "nm.service";
        add_unit(&x, "nm.service");
        audit_line(&x, F08, NULL);
        end_of_input(&x);
        Finding *f = only(&x, FINDING_SELINUX_DENIAL);
        ck_assert_uint_eq(x.pid_via, 1099);
        ck_assert_str_eq(f->unit, "nm.service");
        ck_assert_str_eq(evs(f, "attributed_by"), "dbus-peer");
        ck_assert_str_eq(evs(f, "denial_record_type"), "USER_AVC");
        ck_assert_str_eq(evs(f, "denial_target"), "org.freedesktop.NetworkManager.dnsmasq.Up");
        ck_assert_str_eq(evs(f, "denial_exe"), "/usr/bin/dbus-daemon");
        ck_assert_uint_eq(f->n_advice, 1);
        ck_assert_int_eq(f->advice[0].kind, ADVICE_POLICY);
        ck_assert_str_eq(f->advice[0].snippet, "allow dnsmasq_t NetworkManager_t:dbus { send_msg };");
        ctx_done(&x);
}
END_TEST

#define PREEXEC_AVC                                                                                         \
        "type=AVC msg=audit(1700000001.000:40): avc:  denied  { read } for  pid=319 comm=\"(ents-api)\" "   \
        "path=\"/etc/payments/env\" dev=\"vda1\" ino=11 scontext=system_u:system_r:init_t:s0 "              \
        "tcontext=system_u:object_r:user_home_t:s0 tclass=file permissive=0"

/* Rule 2: systemd's child before exec, "(" + the last 8 bytes of the executable's name + ")":
 * against the units' ExecStart live, against the comm of the unit's own entries offline. */
START_TEST(test_rule_pre_exec) {
        Ctx x;
        ctx_init_live(&x);
        add_unit(&x, API);
        TestUnit *u = add_unit(&x, "payments.service");
        u->settings.exec_start_path = strdup("/usr/local/bin/payments-api");
        audit_line(&x, PREEXEC_AVC, NULL);
        end_of_input(&x);
        Finding *f = only(&x, FINDING_SELINUX_DENIAL);
        ck_assert_str_eq(f->unit, "payments.service");
        ck_assert_str_eq(evs(f, "attributed_by"), "pre-exec-comm");
        /* a home directory's label: restorecon (no policy here to say which label is right) */
        ck_assert_int_eq(f->advice[0].kind, ADVICE_COMMAND);
        ck_assert_str_eq(f->advice[0].snippet, "restorecon -v '/etc/payments/env'");
        ctx_done(&x);

        /* offline: the unit's pre-exec child logged with that comm (226/NAMESPACE) */
        ctx_init(&x);
        feed(&x, (JournalRecord){ .source = JOURNAL_SOURCE_UNIT,
                                  .realtime = T0,
                                  .unit = "payments.service",
                                  .comm = "(ents-api)" });
        audit_line(&x, PREEXEC_AVC, NULL);
        end_of_input(&x);
        f = only(&x, FINDING_SELINUX_DENIAL);
        ck_assert_str_eq(f->unit, "payments.service");
        ck_assert_str_eq(evs(f, "attributed_by"), "pre-exec-comm");
        ctx_done(&x);
}
END_TEST

/* Rule 3: the SYSCALL's exe against the units' ExecStart, else the comm. */
START_TEST(test_rule_exe_comm) {
        Ctx x;
        ctx_init_live(&x);
        add_unit(&x, "other.service")->settings.exec_start_path = strdup("/usr/bin/other");
        TestUnit *web = add_unit(&x, "web.service");
        web->settings.exec_start_path = strdup("/usr/sbin/httpd");
        web->exe_comm = "httpd";
        audit_line(&x, F02_SYSCALL, NULL);
        audit_line(&x, F02_AVC, NULL);
        end_of_input(&x);
        Finding *f = only(&x, FINDING_SELINUX_DENIAL);
        ck_assert_str_eq(f->unit, "web.service");
#if GOGUARD_HAVE_AUPARSE
        ck_assert_str_eq(evs(f, "attributed_by"), "exe");
#else
        ck_assert_str_eq(evs(f, "attributed_by"), "comm"); /* no SYSCALL in the event: the AVC's comm */
#endif
        ctx_done(&x);

        /* offline: the unit's own entries carried the comm */
        ctx_init(&x);
        feed(&x, (JournalRecord){ .source = JOURNAL_SOURCE_UNIT,
                                  .realtime = T0,
                                  .unit = "mail.service",
                                  .comm = "pickup" });
        audit_line(&x, F01_AVC, NULL);
        end_of_input(&x);
        f = only(&x, FINDING_SELINUX_DENIAL);
        ck_assert_str_eq(f->unit, "mail.service");
        ck_assert_str_eq(evs(f, "attributed_by"), "comm");
        ctx_done(&x);
}
END_TEST

/* Rule 4: PID 1's USER_AVC on a unit file (tclass=service). */
START_TEST(test_rule_unit_file) {
        Ctx x;
        ctx_init(&x);
        audit_line(&x, F09_SYSLOG, NULL);
        end_of_input(&x);
        Finding *f = only(&x, FINDING_SELINUX_DENIAL);
        ck_assert_str_eq(f->unit, "poweroff.target");
        ck_assert_str_eq(evs(f, "attributed_by"), "unit-file");
        ck_assert_str_eq(evs(f, "denial_unit_file"), "/usr/lib/systemd/system/poweroff.target");
        ck_assert_str_eq(evs(f, "denial_node"), "localhost");
        ctx_done(&x);
}
END_TEST

#define PID1_BIND                                                                                           \
        "type=AVC msg=audit(1700000002.000:41): avc:  denied  { name_bind } for  pid=1 comm=\"systemd\" "   \
        "src=8443 scontext=system_u:system_r:init_t:s0 tcontext=system_u:object_r:unreserved_port_t:s0 "    \
        "tclass=tcp_socket permissive=0"
#define PID1_READ                                                                                           \
        "type=AVC msg=audit(1700000003.000:42): avc:  denied  { read } for  pid=1 comm=\"systemd\" "        \
        "path=\"/etc/api/env\" dev=\"vda1\" ino=12 scontext=system_u:system_r:init_t:s0 "                   \
        "tcontext=system_u:object_r:shadow_t:s0 tclass=file permissive=0"

/* Rule 5: PID 1's own denials for a unit: the socket it binds, a file of the unit's settings. */
START_TEST(test_rule_pid1) {
        Ctx x;
        ctx_init_live(&x);
        TestUnit *u = add_unit(&x, API);
        ck_assert_int_eq(strv_extend(&u->settings.socket_listen, "Stream"), 0);
        ck_assert_int_eq(strv_extend(&u->settings.socket_listen, "[::]:8443"), 0);
        TestUnit *w = add_unit(&x, "worker.service");
        UnitEnvFile *files = calloc(1, sizeof *files);
        files[0].path = strdup("/etc/api/env");
        unit_settings_set_env_files(&w->settings, files, 1);
        audit_line(&x, PID1_BIND, NULL);
        audit_line(&x, PID1_READ, NULL);
        end_of_input(&x);
        ck_assert_uint_eq(n_findings(&x), 2);
        Finding *f =
                finding_store_find_active_d(&x.store, FINDING_SELINUX_DENIAL, API,
                                            "selinux|init_t|unreserved_port_t|tcp_socket|name_bind|8443");
        ck_assert_ptr_nonnull(f);
        ck_assert_str_eq(evs(f, "attributed_by"), "socket");
        f = finding_store_find_active_d(&x.store, FINDING_SELINUX_DENIAL, "worker.service",
                                        "selinux|init_t|shadow_t|file|read|/etc/api/env");
        ck_assert_ptr_nonnull(f);
        ck_assert_str_eq(evs(f, "attributed_by"), "unit-path");
        ctx_done(&x);
}
END_TEST

#define LABELED_AVC(serial, level)                                                                          \
        "type=AVC msg=audit(1700000004.000:" serial "): avc:  denied  { connectto } for  pid=77 "           \
        "comm=\"worker\" path=\"/run/db.sock\" scontext=system_u:system_r:api_t:s0:" level " "              \
        "tcontext=system_u:system_r:db_t:s0 tclass=unix_stream_socket permissive=0"
#define AA_PROFILE_DENIED                                                                                   \
        "type=AVC msg=audit(1700000005.000:50): apparmor=\"DENIED\" operation=\"connect\" "                 \
        "profile=\"api-profile\" name=\"/run/systemd/notify\" pid=78 comm=\"worker\" "                      \
        "requested_mask=\"w\" denied_mask=\"w\" fsuid=0 ouid=0"

/* Rule 6: the profile and the SELinux context the unit sets; MCS categories dropped for grouping,
 * kept in evidence. */
START_TEST(test_rule_label) {
        Ctx x;
        ctx_init_live(&x);
        TestUnit *u = add_unit(&x, API);
        u->settings.selinux_context = strdup("system_u:system_r:api_t:s0");
        u->settings.apparmor_profile = strdup("api-profile");
        audit_line(&x, LABELED_AVC("43", "c1,c2"), NULL);
        audit_line(&x, LABELED_AVC("44", "c3,c4"), NULL);
        audit_line(&x, AA_PROFILE_DENIED, NULL);
        end_of_input(&x);
        Finding *f = only(&x, FINDING_SELINUX_DENIAL);
        ck_assert_str_eq(f->unit, API);
        ck_assert_str_eq(evs(f, "attributed_by"), "selinux-context");
        ck_assert_uint_eq(f->count, 2);
        ck_assert_str_eq(f->discriminator, "selinux|api_t|db_t|unix_stream_socket|connectto|/run/db.sock");
        ck_assert_str_eq(evs(f, "denial_source_context"), "system_u:system_r:api_t:s0:c1,c2");
        /* the unit chose the context: a drop-in changes it */
        ck_assert_uint_eq(f->n_advice, 2);
        ck_assert_int_eq(f->advice[0].kind, ADVICE_POLICY);
        ck_assert_str_eq(f->advice[0].snippet, "allow api_t db_t:unix_stream_socket { connectto };");
        ck_assert_int_eq(f->advice[1].kind, ADVICE_DROPIN);
        ck_assert_str_eq(f->advice[1].snippet, "[Service]\nSELinuxContext=\n");
        f = only(&x, FINDING_APPARMOR_DENIAL);
        ck_assert_str_eq(f->unit, API);
        ck_assert_str_eq(evs(f, "attributed_by"), "apparmor-profile");
        ck_assert_uint_eq(f->n_advice, 2);
        ck_assert_int_eq(f->advice[0].kind, ADVICE_POLICY);
        ck_assert_str_eq(f->advice[0].snippet, "/run/systemd/notify w,");
        ck_assert_int_eq(f->advice[1].kind, ADVICE_DROPIN);
        ck_assert_str_eq(f->advice[1].snippet, "[Service]\nAppArmorProfile=\n");
        ck_assert_str_eq(f->advice[1].text,
                         "The unit itself puts its processes under api-profile with "
                         "AppArmorProfile=api-profile: to run "
                         "it under another one (or, to see whether this is the cause, without: an empty "
                         "AppArmorProfile=), set it in a drop-in:");
        ctx_done(&x);
}
END_TEST

/* Unattributed denials are findings (unit ""), grouped the same way. */
START_TEST(test_grouping) {
        Ctx x;
        ctx_init(&x);
        audit_line(&x, LABELED_AVC("45", "c1"), NULL);
        audit_line(&x, LABELED_AVC("46", "c9"), NULL);
        /* other permissions: another group */
        audit_line(
                &x,
                "type=AVC msg=audit(1700000004.000:47): avc:  denied  { write } for  pid=77 comm=\"worker\" "
                "path=\"/run/db.sock\" scontext=system_u:system_r:api_t:s0 "
                "tcontext=system_u:system_r:db_t:s0 "
                "tclass=unix_stream_socket permissive=0",
                NULL);
        end_of_input(&x);
        ck_assert_uint_eq(n_findings(&x), 2);
        Finding *f =
                finding_store_find_active_d(&x.store, FINDING_SELINUX_DENIAL, "",
                                            "selinux|api_t|db_t|unix_stream_socket|connectto|/run/db.sock");
        ck_assert_ptr_nonnull(f);
        ck_assert_uint_eq(f->count, 2);
        ck_assert_str_eq(f->summary, "(no unit) was denied by SELinux: api_t { connectto } on /run/db.sock "
                                     "(unix_stream_socket) (2 times)");
        ck_assert_ptr_null(finding_store_find_active(&x.store, FINDING_SELINUX_DENIAL, ""));
        ctx_done(&x);
}
END_TEST

/* ALLOWED (complain mode) is what enforce mode would deny (info); STATUS, AUDIT and policy loads
 * are no denials. */
START_TEST(test_allowed_status) {
        Ctx x;
        ctx_init(&x);
        audit_line(&x, F11_STATUS, NULL);
        audit_line(&x, F15, NULL);
        audit_line(&x, F10, NULL);
        end_of_input(&x);
        ck_assert_uint_eq(n_findings(&x), 0);
        audit_line(&x, F14, NULL);
        end_of_input(&x);
        Finding *f = only(&x, FINDING_APPARMOR_DENIAL);
        ck_assert_int_eq(f->severity, SEVERITY_INFO);
        ck_assert_str_eq(evs(f, "denial_mode"), "complain");
        ck_assert_str_eq(f->advice[0].snippet, "/home/bane/foo r,");
        ck_assert_str_eq(f->advice[0].text,
                         "Complain mode allowed it; enforce mode would deny it. Add this line to "
                         "the profile /usr/sbin/vsftpd, then reload it (apparmor_parser -r):");
        ctx_done(&x);
}
END_TEST

/* A flood of permissive denials: one finding whose count rises, with bounded memory. */
START_TEST(test_flood) {
        Ctx x;
        ctx_init(&x);
        char rec[512];
        for (unsigned i = 0; i < 20000; i++) {
                snprintf(rec, sizeof rec,
                         "type=AVC msg=audit(%u.%03u:%u): avc:  denied  { search } for  pid=%u "
                         "comm=\"admin\" "
                         "name=\"13419\" dev=\"proc\" ino=67936 "
                         "scontext=system_u:system_r:httpd_sys_script_t:s0 "
                         "tcontext=unconfined_u:unconfined_r:gnome_atspi_t:s0-s0:c0.c1023 tclass=dir "
                         "permissive=1",
                         1700000000 + i / 1000, i % 1000, 100 + i, 711160 + i % 7);
                audit_line(&x, rec, NULL);
        }
        end_of_input(&x);
        Finding *f = only(&x, FINDING_SELINUX_DENIAL);
        ck_assert_uint_eq(f->count, 20000);
        ck_assert_uint_le(f->n_seen_keys, FINDING_SEEN_KEYS_MAX);
        ck_assert_int_eq(f->severity, SEVERITY_INFO);
        ck_assert_str_eq(evs(f, "denial_mode"), "permissive");
        ctx_done(&x);
}
END_TEST

typedef struct AaCase {
        const char *line;
        AppArmorEvent event;
        const char *operation, *profile, *name, *comm, *requested, *denied, *class_;
        uint64_t pid;
} AaCase;

/* libapparmor's test pairs (testsuite/test_multi/<name>.in and .out) for F12-F17, in every build:
 * with parse_record() and with the fallback reader. */
START_TEST(test_apparmor_pairs) {
        static const AaCase cases[] = {
                { F12, APPARMOR_EVENT_DENIED, "capable",
                  "/home/ubuntu/bzr/apparmor/tests/regression/apparmor/syscall_setpriority", "sys_nice",
                  "syscall_setprio", NULL, NULL, NULL, 7292 },
                { F13, APPARMOR_EVENT_DENIED, "mkdir",
                  "/home/ubuntu/bzr/apparmor/tests/regression/apparmor/mkdir",
                  "/tmp/sdtest.7283-14445-r31VAP/tmpdir/", "mkdir", "c", "c", NULL, 7314 },
                { F14, APPARMOR_EVENT_ALLOWED, "open", "/usr/sbin/vsftpd", "/home/bane/foo", "vsftpd", "r",
                  "r", NULL, 1811 },
                { F15, APPARMOR_EVENT_AUDIT, "getattr", "/usr/sbin/mosquitto", "/etc/mosquitto/pwfile",
                  "mosquitto", "r", NULL, "file", 8119 },
                { F16, APPARMOR_EVENT_DENIED, "userns_create", "/usr/bin/userns_child_exec", NULL,
                  "userns_child_ex", "userns_create", "userns_create", "namespace", 1785 },
                { F17, APPARMOR_EVENT_ALLOWED, "dbus_method_call",
                  "/tmp/apparmor-2.8.0/tests/regression/apparmor/dbus_service", "org.freedesktop.systemd1",
                  "/usr/bin/dbus-daemon", NULL, "send", NULL, 20596 },
                { F11_STATUS, APPARMOR_EVENT_STATUS, "profile_replace", "apparmor_parser", "ping",
                  "apparmor_parser", NULL, NULL, NULL, 10005 },
        };
        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                const AaCase *c = &cases[i];
                _cleanup_(strbuf_done) StrBuf b = {};
                const char *rec;
                size_t n;
                ck_assert_int_eq(audit_log_line(c->line, strlen(c->line), 1, 1, &b, &rec, &n), 1);
                AppArmorRecord a;
                ck_assert_int_eq(apparmor_record_parse(rec, n, &a), 0);
                ck_assert_int_eq(a.event, c->event);
                ck_assert_str_eq(a.operation, c->operation);
                ck_assert_str_eq(a.profile, c->profile);
                ck_assert_pstr_eq(a.name, c->name);
                ck_assert_str_eq(a.comm, c->comm);
                ck_assert_pstr_eq(a.requested_mask, c->requested);
                ck_assert_pstr_eq(a.denied_mask, c->denied);
                ck_assert_pstr_eq(a.class_, c->class_);
                ck_assert_uint_eq(a.pid, c->pid);
                apparmor_record_done(&a);
        }
        AppArmorRecord a;
        ck_assert_int_eq(apparmor_record_parse(F01_AVC, strlen(F01_AVC), &a), -EINVAL);
}
END_TEST

/* The group is part of the finding's identity, and survives the state file. */
START_TEST(test_discriminator_state) {
        FindingStore s, t;
        Finding *f, *g;
        ck_assert_int_eq(finding_store_init(&s), 0);
        ck_assert_int_eq(finding_new_d(FINDING_SELINUX_DENIAL, "", "selinux|a_t|b_t|file|read|/x", "k", &f),
                         0);
        ck_assert_int_eq(finding_new_d(FINDING_SELINUX_DENIAL, "", "selinux|a_t|b_t|file|write|/x", "k", &g),
                         0);
        ck_assert_str_ne(f->id, g->id);
        ck_assert_str_eq(f->discriminator, "selinux|a_t|b_t|file|read|/x");
        ck_assert_int_eq(finding_store_add(&s, f), 0);
        ck_assert_int_eq(finding_store_add(&s, g), 0);
        _cleanup_(strbuf_done) StrBuf text = {};
        size_t line;
        finding_state_write(&s, &text);
        ck_assert_int_eq(strbuf_error(&text), 0);
        ck_assert_int_eq(finding_store_init(&t), 0);
        ck_assert_int_eq(finding_state_read(text.data, text.len, &t, &line), 0);
        Finding *r =
                finding_store_find_active_d(&t, FINDING_SELINUX_DENIAL, "", "selinux|a_t|b_t|file|write|/x");
        ck_assert_ptr_nonnull(r);
        ck_assert_str_eq(r->id, g->id);
        ck_assert_ptr_null(finding_store_find_active(&t, FINDING_SELINUX_DENIAL, ""));
        finding_store_done(&s);
        finding_store_done(&t);
}
END_TEST

START_TEST(test_booleans) {
        ck_assert_str_eq(selinux_boolean_for("httpd_t", "http_cache_port_t", "tcp_socket", "name_connect"),
                         "httpd_can_network_connect");
        ck_assert_str_eq(selinux_boolean_for("httpd_t", "postgresql_port_t", "tcp_socket", "name_connect"),
                         "httpd_can_network_connect_db");
        ck_assert_ptr_null(selinux_boolean_for("httpd_t", "reserved_port_t", "tcp_socket", "name_bind"));
        ck_assert_str_eq(selinux_boolean_for("api_t", "var_t", "file", "read map"), "domain_can_mmap_files");
}
END_TEST

static Suite *security_suite(void) {
        Suite *s = suite_create("detect-security");
        TCase *tc = tcase_create("core");
        tcase_set_timeout(tc, 120);
        tcase_add_test(tc, test_assembled_event);
        tcase_add_test(tc, test_dedupe);
        tcase_add_test(tc, test_rule_pid);
        tcase_add_test(tc, test_rule_dbus_peer);
        tcase_add_test(tc, test_rule_pre_exec);
        tcase_add_test(tc, test_rule_exe_comm);
        tcase_add_test(tc, test_rule_unit_file);
        tcase_add_test(tc, test_rule_pid1);
        tcase_add_test(tc, test_rule_label);
        tcase_add_test(tc, test_grouping);
        tcase_add_test(tc, test_allowed_status);
        tcase_add_test(tc, test_flood);
        tcase_add_test(tc, test_apparmor_pairs);
        tcase_add_test(tc, test_discriminator_state);
        tcase_add_test(tc, test_booleans);
        suite_add_tcase(s, tc);
        return s;
}

DEFINE_TEST_MAIN(security_suite)
