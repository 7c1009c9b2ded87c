/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Condition checks run apart from the correlator that holds the findings (lib/condition-check.c):
 * the copy they read, and what applying their result does when the findings moved meanwhile.
 * The checks themselves are each family's test (they run through the same steps). */
#include <sys/stat.h>
#include <unistd.h>

#include "correlate-harness.h"
#include "detector.h"
#include "host-facts.h"

#define UNIT "path.service"

static void set_path(TestUnit *u, const char *path) {
        char *e;
        ck_assert_int_ge(asprintf(&e, "PATH=%s", path), 0);
        strv_free(u->settings.environment);
        u->settings.environment = NULL;
        ck_assert_int_eq(strv_consume(&u->settings.environment, e), 0);
}

/* A Go unit with nothing to find but what its PATH says. */
static TestUnit *path_unit(Ctx *x, const char *path) {
        TestUnit *u = add_unit(x, UNIT);
        u->settings.memory_max = UINT64_MAX;
        set_path(u, path);
        return u;
}

/* The correlator of x with one such unit, and host facts that say nothing. */
static TestUnit *start(Ctx *x, HostFacts *h, const char *path) {
        ctx_init(x);
        ck_assert_int_eq(host_facts_init(h, "/"), 0);
        return path_unit(x, path);
}

static void finish(Ctx *x, HostFacts *h) {
        host_facts_done(h);
        ctx_done(x);
}

static ConditionCheck *check_apart(Ctx *x, uint64_t t) {
        ConditionCheck *cc;
        UnitKnowledge k;
        ck_assert(correlator_lookup_wanted(x->c, UNIT, &k));
        ck_assert_int_eq(condition_check_new(x->c, UNIT, &k, t, &cc), 0);
        ck_assert_str_eq(condition_check_unit(cc), UNIT);
        return cc;
}

/* The check reads its copy: the unit changing after condition_check_new() changes nothing. */
START_TEST(test_reads_its_copy) {
        Ctx x;
        HostFacts h;
        TestUnit *u = start(&x, &h, "/usr/bin:.");

        ConditionCheck *cc = check_apart(&x, T0);
        set_path(u, "/usr/bin");
        unit_settings_done(&u->settings); /* all of it gone: the copy is the check's own */
        unit_settings_init(&u->settings);
        ck_assert_int_eq(condition_check_run(cc, &h), 1);
        ck_assert_uint_eq(hashmap_size(x.store.by_id), 0); /* nothing reported to x until applied */
        ck_assert_uint_eq(x.n_added, 0);
        ck_assert_int_eq(correlator_apply_check(x.c, cc), 1);
        condition_check_free(cc);

        Finding *f = the_finding(&x, FINDING_PATH_UNSAFE, UNIT);
        ck_assert_str_eq(f->summary, UNIT " has unsafe entries in PATH: . (relative)");
        ck_assert_str_eq(ev_str(f, "unsafe_entries"), ". (relative)");
        ck_assert_uint_eq(ev(f, "checked_at")->u, T0);
        ck_assert_uint_eq(f->n_advice, 1);
        ck_assert_uint_eq(x.n_added, 1);
        finish(&x, &h);
}
END_TEST

/* Findings that moved between the copy and the result: an operator resolved the condition's
 * finding meanwhile; the check still finds it, so it opens again, with all its words. */
START_TEST(test_apply_after_resolved) {
        Ctx x;
        HostFacts h;
        TestUnit *u = start(&x, &h, "/usr/bin:.");
        ck_assert_int_eq(correlator_check_unit(x.c, UNIT, &h, T0), 1);
        Finding *first = the_finding(&x, FINDING_PATH_UNSAFE, UNIT);
        char id[33];
        memcpy(id, first->id, sizeof id);

        /* The same again: no news, nothing notified. */
        ConditionCheck *cc = check_apart(&x, T0 + SEC);
        ck_assert_int_eq(condition_check_run(cc, &h), 0);
        ck_assert_int_eq(correlator_apply_check(x.c, cc), 0);
        condition_check_free(cc);
        ck_assert_uint_eq(x.n_added + x.n_updated, 1);

        cc = check_apart(&x, T0 + 2 * SEC);
        ck_assert_int_eq(condition_check_run(cc, &h), 0); /* its copy had the finding open */
        ck_assert_int_eq(finding_set_state(first, FINDING_RESOLVED, T0 + 2 * SEC), 0);
        ck_assert_int_eq(correlator_apply_check(x.c, cc), 1);
        condition_check_free(cc);

        Finding *f = the_finding(&x, FINDING_PATH_UNSAFE, UNIT);
        ck_assert_str_ne(f->id, id);
        ck_assert_int_eq(f->state, FINDING_OPEN);
        ck_assert_str_eq(f->summary, UNIT " has unsafe entries in PATH: . (relative)");
        ck_assert_str_eq(ev_str(f, "unsafe_entries"), ". (relative)");
        ck_assert_str_eq(ev_str(f, "PATH_source"), "Environment=");
        ck_assert_uint_eq(ev(f, "checked_at")->u, T0 + 2 * SEC);
        ck_assert_uint_eq(f->n_advice, 1);
        ck_assert_uint_eq(x.n_added, 2);

        /* Fixed: the next check resolves it, on the result applied. */
        set_path(u, "/usr/bin");
        cc = check_apart(&x, T0 + 3 * SEC);
        ck_assert_int_eq(condition_check_run(cc, &h), 0);
        ck_assert_int_eq(f->state, FINDING_OPEN);
        ck_assert_int_eq(correlator_apply_check(x.c, cc), 1);
        condition_check_free(cc);
        ck_assert_int_eq(f->state, FINDING_RESOLVED);
        ck_assert_str_eq(ev_str(f, "resolved_by"), "configuration-fixed");
        finish(&x, &h);
}
END_TEST

/* Asked to, the check reads the unit's EnvironmentFile= files itself, under the host facts' root:
 * a FIFO nobody writes to is refused at once (not waited on), the other files are read, and
 * what they say is checked and handed back. */
START_TEST(test_reads_env_files) {
        Ctx x;
        HostFacts h;
        char root[] = "/tmp/test-cc-root-XXXXXX", path[128];
        ck_assert_ptr_nonnull(mkdtemp(root));
        snprintf(path, sizeof path, "%s/etc", root);
        ck_assert_int_eq(mkdir(path, 0755), 0);
        snprintf(path, sizeof path, "%s/etc/fifo", root);
        ck_assert_int_eq(mkfifo(path, 0600), 0);
        snprintf(path, sizeof path, "%s/etc/svc.env", root);
        FILE *fp = fopen(path, "we");
        ck_assert_ptr_nonnull(fp);
        fputs("# the unit's\nPATH=/usr/bin:.\nLANG=C\n", fp);
        fclose(fp);

        ctx_init(&x);
        ck_assert_int_eq(host_facts_init(&h, root), 0);
        TestUnit *u = add_unit(&x, UNIT);
        u->settings.memory_max = UINT64_MAX;
        UnitEnvFile *files = calloc(3, sizeof *files);
        ck_assert_ptr_nonnull(files);
        files[0] = (UnitEnvFile){ .path = strdup("/etc/fifo") };
        files[1] = (UnitEnvFile){ .path = strdup("/etc/missing"), .optional = true };
        files[2] = (UnitEnvFile){ .path = strdup("/etc/svc.env") };
        u->settings.environment_files = files;
        u->settings.n_environment_files = 3;
        ck_assert_int_eq(strv_extend(&u->env_files, "PATH=/usr/bin"), 0); /* what was known before */

        ConditionCheck *cc = check_apart(&x, T0);
        char **env = NULL, **errors = NULL;
        ck_assert(!condition_check_env_files(cc, &env, &errors)); /* not asked to: not read */
        condition_check_read_env_files(cc);
        ck_assert_int_eq(condition_check_run(cc, &h), 1);
        ck_assert(condition_check_env_files(cc, &env, &errors));
        ck_assert_uint_eq(strv_length(env), 2);
        ck_assert_str_eq(env[0], "PATH=/usr/bin:.");
        ck_assert_str_eq(env[1], "LANG=C");
        ck_assert_uint_eq(strv_length(errors), 1);
        ck_assert_str_eq(errors[0], "/etc/fifo: File descriptor in bad state");
        ck_assert_int_eq(correlator_apply_check(x.c, cc), 1);
        condition_check_free(cc);
        Finding *f = the_finding(&x, FINDING_PATH_UNSAFE, UNIT);
        ck_assert_str_eq(ev_str(f, "unsafe_entries"), ". (relative)");
        ck_assert_str_eq(ev_str(f, "PATH_source"), "EnvironmentFile=");
        strv_free(env);
        strv_free(errors);

        /* None any more: nothing read, nothing found. */
        unit_settings_done(&u->settings);
        unit_settings_init(&u->settings);
        u->settings.memory_max = UINT64_MAX;
        cc = check_apart(&x, T0 + SEC);
        condition_check_read_env_files(cc);
        ck_assert_int_eq(condition_check_run(cc, &h), 0);
        ck_assert(condition_check_env_files(cc, &env, &errors));
        ck_assert_ptr_null(env);
        ck_assert_ptr_null(errors);
        ck_assert_int_eq(correlator_apply_check(x.c, cc), 1);
        condition_check_free(cc);
        ck_assert_int_eq(f->state, FINDING_RESOLVED);

        host_facts_done(&h);
        ctx_done(&x);
        char cmd[64];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
        ck_assert_int_eq(system(cmd), 0);
}
END_TEST

/* A copy of the settings shares nothing with them. */
START_TEST(test_unit_settings_copy) {
        UnitSettings s, c;
        unit_settings_init(&s);
        s.exec_start_path = strdup("/usr/bin/app");
        s.root_directory = strdup("/srv/root");
        s.group = strdup("app");
        ck_assert_int_eq(strv_extend(&s.temporary_filesystem, "/var"), 0);
        s.memory_max = 1 << 20;
        ck_assert_int_eq(strv_extend(&s.environment, "A=1"), 0);
        ck_assert_int_eq(strv_extend(&s.no_exec_paths, "/tmp"), 0);
        ck_assert_int_eq(strv_extend(&s.exec_start_argv, "app"), 0);
        UnitEnvFile *files = calloc(2, sizeof *files);
        files[0] = (UnitEnvFile){ .path = strdup("/etc/a"), .optional = true };
        files[1] = (UnitEnvFile){ .path = strdup("/etc/b") };
        ck_assert_int_eq(unit_settings_set_env_files(&s, files, 2), 0);

        ck_assert_int_eq(unit_settings_copy(&s, &c), 0);
        ck_assert_ptr_ne(c.exec_start_path, s.exec_start_path);
        ck_assert_ptr_ne(c.environment, s.environment);
        ck_assert_ptr_ne(c.environment_files, s.environment_files);
        unit_settings_done(&s); /* under ASan, a shared pointer would be read after this */
        ck_assert_str_eq(c.exec_start_path, "/usr/bin/app");
        ck_assert_str_eq(c.root_directory, "/srv/root");
        ck_assert_str_eq(c.group, "app");
        ck_assert_str_eq(c.temporary_filesystem[0], "/var");
        ck_assert_ptr_null(c.user);
        ck_assert_uint_eq(c.memory_max, 1 << 20);
        ck_assert_uint_eq(c.memory_high, UINT64_MAX);
        ck_assert_str_eq(c.environment[0], "A=1");
        ck_assert_ptr_null(c.environment[1]);
        ck_assert_str_eq(c.no_exec_paths[0], "/tmp");
        ck_assert_str_eq(c.exec_start_argv[0], "app");
        ck_assert_ptr_null(c.bind_paths);
        ck_assert_uint_eq(c.n_environment_files, 2);
        ck_assert_str_eq(c.environment_files[0].path, "/etc/a");
        ck_assert(c.environment_files[0].optional);
        ck_assert_str_eq(c.environment_files[1].path, "/etc/b");
        ck_assert(!c.environment_files[1].optional);
        unit_settings_done(&c);
}
END_TEST

/* A finding's copy: its id, state, occurrences, seen keys and words. */
START_TEST(test_finding_dup) {
        Finding *f, *c;
        ck_assert_int_eq(finding_new_d(FINDING_PATH_UNSAFE, UNIT, "d", "k1", &f), 0);
        ck_assert_int_eq(finding_record(f, "k1", "inv", T0), 1);
        ck_assert_int_eq(finding_record(f, "k2", "inv", T0 + SEC), 1);
        ck_assert_int_eq(finding_set_string(f, "unsafe_entries", ". (relative)"), 0);
        ck_assert_int_eq(finding_set_usec(f, "checked_at", T0), 0);
        ck_assert_int_eq(finding_add_advice(f, ADVICE_DROPIN, "Fix it:", "[Service]\n"), 0);
        ck_assert_int_eq(finding_set_summary(f, "the summary"), 0);
        ck_assert_int_eq(finding_set_state(f, FINDING_ACKNOWLEDGED, T0 + 2 * SEC), 0);

        ck_assert_int_eq(finding_dup(f, &c), 0);
        ck_assert_str_eq(c->id, f->id);
        ck_assert_str_eq(c->unit, UNIT);
        ck_assert_str_eq(c->discriminator, "d");
        ck_assert_int_eq(c->state, FINDING_ACKNOWLEDGED);
        ck_assert_uint_eq(c->count, 2);
        ck_assert_uint_eq(c->first_seen, T0);
        ck_assert_uint_eq(c->last_seen, T0 + SEC);
        ck_assert_str_eq(c->invocation_id, f->invocation_id);
        ck_assert(finding_seen(c, "k1") && finding_seen(c, "k2"));
        ck_assert_str_eq(finding_last_key(c), "k2");
        ck_assert_str_eq(c->summary, "the summary");
        ck_assert_uint_eq(c->n_evidence, 2);
        ck_assert_str_eq(finding_get(c, "unsafe_entries")->s, ". (relative)");
        ck_assert_uint_eq(finding_get(c, "checked_at")->u, T0);
        ck_assert_uint_eq(c->n_advice, 1);
        ck_assert_str_eq(c->advice[0].snippet, "[Service]\n");
        finding_free(f);
        /* Recorded once more, the copy is what the original would be. */
        ck_assert_int_eq(finding_record(c, "k2", "inv", T0 + 3 * SEC), 0);
        ck_assert_int_eq(finding_record(c, "k3", "inv", T0 + 3 * SEC), 1);
        ck_assert_uint_eq(c->count, 3);
        finding_free(c);
}
END_TEST

static Suite *condition_check_suite(void) {
        Suite *s = suite_create("condition-check");
        TCase *tc = tcase_create("core");
        tcase_add_test(tc, test_reads_its_copy);
        tcase_add_test(tc, test_apply_after_resolved);
        tcase_add_test(tc, test_reads_env_files);
        tcase_add_test(tc, test_unit_settings_copy);
        tcase_add_test(tc, test_finding_dup);
        suite_add_tcase(s, tc);
        return s;
}

DEFINE_TEST_MAIN(condition_check_suite)
