/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* selinux-exec-label's reading, for real: a policy configured in a root made here, its file
 * contexts looked up by libselinux, labels written and read back through the file's xattr. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "correlate-harness.h"
#include "host-facts.h"
#include "security-label.h"

static char root[64];

static void make_root(void) {
        snprintf(root, sizeof root, "/tmp/test-security-label-XXXXXX");
        ck_assert_ptr_nonnull(mkdtemp(root));
}

static void put(const char *name, const char *text) {
        char path[512], dir[512];
        snprintf(path, sizeof path, "%s/%s", root, name);
        /* Each parent in turn. */
        for (char *p = strchr(path + strlen(root) + 1, '/'); p; p = strchr(p + 1, '/')) {
                snprintf(dir, sizeof dir, "%.*s", (int) (p - path), path);
                (void) mkdir(dir, 0755);
        }
        FILE *f = fopen(path, "we");
        ck_assert_ptr_nonnull(f);
        fputs(text, f);
        fclose(f);
}

static void rm_rf(void) {
        char cmd[600];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
        ck_assert_int_eq(system(cmd), 0);
}

/* Writes the label the way chcon does without SELinux (as root); false where it cannot. */
static bool label(const char *name, const char *context) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s", root, name);
        return setxattr(path, "security.selinux", context, strlen(context) + 1, 0) == 0;
}

START_TEST(test_context_type) {
        char buf[64];
        ck_assert_str_eq(security_context_type("system_u:object_r:bin_t:s0", buf, sizeof buf), "bin_t");
        ck_assert_str_eq(security_context_type("system_u:system_r:svirt_t:s0:c1,c2", buf, sizeof buf),
                         "svirt_t");
        ck_assert_str_eq(security_context_type("u:r:t", buf, sizeof buf), "t");
        ck_assert_ptr_null(security_context_type("u:r", buf, sizeof buf));
        ck_assert_ptr_null(security_context_type("u:r::s0", buf, sizeof buf));
        ck_assert_ptr_null(security_context_type(NULL, buf, sizeof buf));
        ck_assert_ptr_null(security_context_type("u:r:a_very_long_type_t", buf, 8));
}
END_TEST

#if GOGUARD_HAVE_LIBSELINUX
static int check(const char *path, ExecLabelVerdict *v) {
        SecurityLabels *l = NULL;
        ck_assert_int_eq(security_labels_open(root, &l), 0);
        ck_assert_ptr_nonnull(l);
        int r = security_labels_check_exec(l, path, v);
        security_labels_free(l);
        return r;
}

START_TEST(test_no_policy) {
        make_root();
        SecurityLabels *l = (SecurityLabels *) 1;
        /* No /etc/selinux/config: no policy, nothing judged. */
        ck_assert_int_eq(security_labels_open(root, &l), 0);
        ck_assert_ptr_null(l);
        ck_assert_str_eq(selinux_mode_to_string(security_labels_mode(l)), "none");
        /* One that says disabled is none either. */
        put("etc/selinux/config", "SELINUX=disabled\nSELINUXTYPE=targeted\n");
        l = (SecurityLabels *) 1;
        ck_assert_int_eq(security_labels_open(root, &l), 0);
        ck_assert_ptr_null(l);
        /* Configured, but its file contexts are missing: an error, not a silent nothing. */
        put("etc/selinux/config", "# comment\nSELINUX=enforcing\nSELINUXTYPE=targeted\n");
        ck_assert_int_lt(security_labels_open(root, &l), 0);
        rm_rf();
}
END_TEST

START_TEST(test_exec_label) {
        make_root();
        put("etc/selinux/config", "SELINUX=enforcing\nSELINUXTYPE=mini\n");
        put("etc/selinux/mini/contexts/files/file_contexts",
            "/usr/bin(/.*)?\tsystem_u:object_r:bin_t:s0\n"
            "/usr/local/bin(/.*)?\tsystem_u:object_r:bin_t:s0\n"
            "/root(/.*)?\tsystem_u:object_r:admin_home_t:s0\n"
            "/srv/nolabel\t<<none>>\n");
        put("usr/local/bin/payments", "#!/bin/true\n");
        put("srv/other", "x\n");
        put("srv/nolabel", "x\n");

        SecurityLabels *l = NULL;
        ck_assert_int_eq(security_labels_open(root, &l), 0);
        ck_assert_str_eq(security_labels_policy(l), "mini");
        /* No selinuxfs under the root: configured, the kernel not yet running it. */
        ck_assert_int_eq(security_labels_mode(l), SELINUX_MODE_NOT_ENABLED);
        ck_assert_str_eq(selinux_mode_to_string(security_labels_mode(l)), "not-enabled");
        security_labels_free(l);

        ExecLabelVerdict v = {};
        /* Unlabeled before SELinux runs: the first boot's relabel will label it. */
        ck_assert_int_eq(check("/usr/local/bin/payments", &v), 0);
        /* No rule for the path, or a rule that says not to label it. */
        ck_assert_int_eq(check("/srv/other", &v), 0);
        ck_assert_int_eq(check("/srv/nolabel", &v), 0);
        ck_assert_int_eq(check("/usr/local/bin/missing", &v), -ENOENT);

        put("sys/fs/selinux/enforce", "1");
        ck_assert_int_eq(check("/usr/local/bin/payments", &v), 1);
        ck_assert_ptr_null(v.actual);
        ck_assert_str_eq(v.expected, "system_u:object_r:bin_t:s0");
        exec_label_verdict_done(&v);
        put("sys/fs/selinux/enforce", "0");
        ck_assert_int_eq(security_labels_open(root, &l), 0);
        ck_assert_int_eq(security_labels_mode(l), SELINUX_MODE_PERMISSIVE);
        security_labels_free(l);

        if (!label("usr/local/bin/payments", "unconfined_u:object_r:admin_home_t:s0")) {
                fprintf(stderr, "setxattr security.selinux: %m: not checking labeled files\n");
                rm_rf();
                return;
        }
        /* Copied from root's home with its label: the type differs. */
        ck_assert_int_eq(check("/usr/local/bin/payments", &v), 1);
        ck_assert_str_eq(v.actual, "unconfined_u:object_r:admin_home_t:s0");
        ck_assert_str_eq(v.expected, "system_u:object_r:bin_t:s0");
        ck_assert(v.type_differs);
        exec_label_verdict_done(&v);
        /* The right type with another user: what restorecon leaves alone without -F. */
        ck_assert(label("usr/local/bin/payments", "unconfined_u:object_r:bin_t:s0"));
        ck_assert_int_eq(check("/usr/local/bin/payments", &v), 0);
        ck_assert(label("usr/local/bin/payments", "system_u:object_r:bin_t:s0"));
        ck_assert_int_eq(check("/usr/local/bin/payments", &v), 0);
        rm_rf();
}
END_TEST

/* The condition check through the correlator: found, said, resolved when the label is fixed. */
START_TEST(test_exec_label_finding) {
        make_root();
        put("usr/local/bin/payments", "#!/bin/true\n");
        Ctx x;
        ctx_init(&x);
        TestUnit *u = add_unit(&x, "payments.service");
        u->settings.exec_start_path = strdup("/usr/local/bin/payments");
        HostFacts h;
        ck_assert_int_eq(host_facts_init(&h, root), 0);
        /* No policy configured: nothing, whatever the label. */
        ck_assert_int_eq(security_labels_open(root, &h.security_labels), 0);
        /* (The other families may have their say about this unit: only the label is this test's.) */
        ck_assert_int_ge(correlator_check_unit(x.c, "payments.service", &h, T0), 0);
        ck_assert_ptr_null(
                finding_store_find_active(&x.store, FINDING_SELINUX_EXEC_LABEL, "payments.service"));
        size_t added_before = x.n_added;

        put("etc/selinux/config", "SELINUX=permissive\nSELINUXTYPE=mini\n");
        put("etc/selinux/mini/contexts/files/file_contexts",
            "/usr/local/bin(/.*)?\tsystem_u:object_r:bin_t:s0\n");
        put("sys/fs/selinux/enforce", "0");
        ck_assert_int_eq(security_labels_open(root, &h.security_labels), 0);
        if (!label("usr/local/bin/payments", "unconfined_u:object_r:admin_home_t:s0")) {
                host_facts_done(&h);
                ctx_done(&x);
                rm_rf();
                return;
        }
        ck_assert_int_eq(correlator_check_unit(x.c, "payments.service", &h, T0), 1);
        ck_assert_uint_eq(x.n_added, added_before + 1);
        Finding *f = finding_store_find_active(&x.store, FINDING_SELINUX_EXEC_LABEL, "payments.service");
        ck_assert_ptr_nonnull(f);
        ck_assert_str_eq(f->summary,
                         "payments.service has an executable with an unexpected SELinux label: "
                         "/usr/local/bin/payments is admin_home_t, the policy gives bin_t (permissive)");
        ck_assert_str_eq(finding_get(f, "exec_label")->s, "unconfined_u:object_r:admin_home_t:s0");
        ck_assert_str_eq(finding_get(f, "exec_label_expected")->s, "system_u:object_r:bin_t:s0");
        ck_assert_str_eq(finding_get(f, "selinux_mode")->s, "permissive");
        ck_assert_str_eq(finding_get(f, "selinux_policy")->s, "mini");
        ck_assert_uint_eq(f->n_advice, 1);
        ck_assert_int_eq(f->advice[0].kind, ADVICE_COMMAND);
        ck_assert_str_eq(f->advice[0].snippet, "restorecon -v '/usr/local/bin/payments'");
        /* The same again: no news. */
        ck_assert_int_eq(correlator_check_unit(x.c, "payments.service", &h, T0 + SEC), 0);
        /* Fixed (what restorecon does): resolved. */
        ck_assert(label("usr/local/bin/payments", "system_u:object_r:bin_t:s0"));
        ck_assert_int_eq(correlator_check_unit(x.c, "payments.service", &h, T0 + 2 * SEC), 1);
        ck_assert_int_eq(f->state, FINDING_RESOLVED);
        ck_assert_str_eq(finding_get(f, "resolved_by")->s, "configuration-fixed");
        host_facts_done(&h);
        ctx_done(&x);
        rm_rf();
}
END_TEST

/* A denial's advice asks the same open policy for the type of the denied path. */
START_TEST(test_denial_expected_type) {
        make_root();
        put("etc/selinux/config", "SELINUX=enforcing\nSELINUXTYPE=mini\n");
        put("etc/selinux/mini/contexts/files/file_contexts",
            "/usr/local/bin(/.*)?\tsystem_u:object_r:bin_t:s0\n/srv/none\t<<none>>\n");
        HostFacts h;
        ck_assert_int_eq(host_facts_init(&h, root), 0);
        ck_assert_int_eq(security_labels_open(root, &h.security_labels), 0);
        char *t = NULL;
        ck_assert_int_eq(security_labels_expected_type(h.security_labels, "/usr/local/bin/payments", &t), 0);
        ck_assert_str_eq(t, "bin_t");
        free(t);
        ck_assert_int_eq(security_labels_expected_type(h.security_labels, "/srv/none", &t), -ENOENT);
        ck_assert_int_eq(security_labels_expected_type(h.security_labels, "/etc/x", &t), -ENOENT);
        ck_assert_int_eq(security_labels_expected_type(NULL, "/usr/local/bin/payments", &t), -EOPNOTSUPP);

        Ctx x = { .host_facts = &h };
        ck_assert_int_eq(finding_store_init(&x.store), 0);
        ctx_start(&x);
        add_unit(&x, "payments.service");
        const char *avc =
                "type=AVC msg=audit(1700000000.000:5): avc:  denied  { read } for  pid=5 "
                "comm=\"payments\" path=\"/usr/local/bin/payments\" "
                "scontext=system_u:system_r:pay_t:s0 tcontext=unconfined_u:object_r:admin_home_t:s0 "
                "tclass=file permissive=0";
        feed(&x, (JournalRecord){ .source = JOURNAL_SOURCE_AUDIT,
                                  .realtime = T0,
                                  .message = avc,
                                  .unit = "payments.service" });
        ck_assert_int_ge(correlator_advance(x.c, UINT64_MAX), 0);
        Finding *f =
                finding_store_find_active_d(&x.store, FINDING_SELINUX_DENIAL, "payments.service",
                                            "selinux|pay_t|admin_home_t|file|read|/usr/local/bin/payments");
        ck_assert_ptr_nonnull(f);
        ck_assert_str_eq(finding_get(f, "denial_expected_type")->s, "bin_t");
        ck_assert_str_eq(
                f->advice[0].text,
                "The file is labeled admin_home_t; this host's policy gives its path bin_t: restore it:");
        ck_assert_str_eq(f->advice[0].snippet, "restorecon -v '/usr/local/bin/payments'");
        ctx_done(&x);
        host_facts_done(&h);
        rm_rf();
}
END_TEST

#else
/* A build without libselinux (the fallback): a host with a policy and a mislabeled executable gets
 * a clear "not supported" and no finding, never a guess. */
START_TEST(test_fallback) {
        make_root();
        put("etc/selinux/config", "SELINUX=enforcing\nSELINUXTYPE=mini\n");
        put("etc/selinux/mini/contexts/files/file_contexts",
            "/usr/local/bin(/.*)?\tsystem_u:object_r:bin_t:s0\n");
        put("sys/fs/selinux/enforce", "1");
        put("usr/local/bin/payments", "#!/bin/true\n");
        (void) label("usr/local/bin/payments", "unconfined_u:object_r:admin_home_t:s0");

        SecurityLabels *l = NULL;
        ck_assert_int_eq(security_labels_open(root, &l), -EOPNOTSUPP);
        ck_assert_ptr_null(l);
        ck_assert_str_eq(selinux_mode_to_string(security_labels_mode(l)), "none");
        ck_assert_ptr_null(security_labels_policy(l));
        ExecLabelVerdict v = {};
        ck_assert_int_eq(security_labels_check_exec(l, "/usr/local/bin/payments", &v), 0);
        ck_assert_ptr_null(v.actual);
        ck_assert_ptr_null(v.expected);

        Ctx x;
        ctx_init(&x);
        TestUnit *u = add_unit(&x, "payments.service");
        u->settings.exec_start_path = strdup("/usr/local/bin/payments");
        HostFacts h;
        ck_assert_int_eq(host_facts_init(&h, root), 0);
        ck_assert_int_ge(correlator_check_unit(x.c, "payments.service", &h, T0), 0);
        ck_assert_ptr_null(
                finding_store_find_active(&x.store, FINDING_SELINUX_EXEC_LABEL, "payments.service"));
        host_facts_done(&h);
        ctx_done(&x);
        rm_rf();
}
END_TEST
#endif

static Suite *security_label_suite(void) {
        Suite *s = suite_create("security-label");
        TCase *tc = tcase_create("core");
#if GOGUARD_HAVE_LIBSELINUX
        tcase_add_test(tc, test_no_policy);
        tcase_add_test(tc, test_exec_label);
        tcase_add_test(tc, test_exec_label_finding);
        tcase_add_test(tc, test_denial_expected_type);
#else
        tcase_add_test(tc, test_fallback);
#endif
        tcase_add_test(tc, test_context_type);
        suite_add_tcase(s, tc);
        return s;
}

int main(void) {
        SRunner *sr = srunner_create(security_label_suite());
        srunner_run_all(sr, CK_ENV);
        int failed = srunner_ntests_failed(sr);
        srunner_free(sr);
        return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
