/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Condition checks (Detector.check): run in place (correlator_check_unit()), or apart from the
 * correlator that holds the findings (ConditionCheck) so that their file reads can run on
 * another thread. Both go through the same three steps; the checks themselves do not know. */
#include <assert.h>
#include <string.h>

#include "correlate-internal.h"
#include "host-facts.h"
#include "strv.h"
#include "unit-load.h"

struct ConditionCheck {
        char *unit;
        /* The copy of what the check reads, and the knowledge pointing into it. */
        UnitSettings settings;
        char **process_environment;
        char **environment_files;
        char *exe_comm;
        UnitKnowledge k;
        /* The unit's EnvironmentFile= files, read by the run itself (read_env_files) rather than
         * copied: on the check's thread, not its caller's. */
        bool read_env_files, env_files_read;
        char **env_file_errors;
        /* The check's own findings (the unit's open condition findings, copied) and correlator. */
        FindingStore store;
        Correlator *c;
        CheckRun run;
        int result; /* condition_check_run()'s: a check failed, so nothing resolves */
};

bool correlator_is_condition(FindingClass cls) {
        for (size_t d = 0; d < correlator_n_detectors(); d++)
                for (const FindingClass *k = correlator_detector(d)->condition_classes;
                     k && *k != _FINDING_CLASS_INVALID; k++)
                        if (*k == cls)
                                return true;
        return false;
}

int check_run_record(CheckRun *run, FindingClass cls, const char *key) {
        /* At most one per class and detector check: bounded by the table. */
        CheckReport *p = reallocarray(run->reports, run->n_reports + 1, sizeof *p);
        if (!p)
                return -ENOMEM;
        run->reports = p;
        char *k = strdup(key);
        if (!k)
                return -ENOMEM;
        p[run->n_reports++] = (CheckReport){ .cls = cls, .key = k };
        return 0;
}

static void check_run_done(CheckRun *run) {
        for (size_t i = 0; i < run->n_reports; i++)
                free(run->reports[i].key);
        free(run->reports);
}

ConditionCheck *condition_check_free(ConditionCheck *cc) {
        if (!cc)
                return NULL;
        correlator_free(cc->c);
        finding_store_done(&cc->store);
        check_run_done(&cc->run);
        unit_settings_done(&cc->settings);
        strv_free(cc->process_environment);
        strv_free(cc->environment_files);
        strv_free(cc->env_file_errors);
        free(cc->exe_comm);
        free(cc->unit);
        return mfree(cc);
}

const char *condition_check_unit(const ConditionCheck *cc) {
        return cc->unit;
}

bool condition_check_env_files(ConditionCheck *cc, char ***ret_env, char ***ret_errors) {
        if (!cc->env_files_read)
                return false;
        *ret_env = TAKE_PTR(cc->environment_files);
        *ret_errors = TAKE_PTR(cc->env_file_errors);
        cc->k.environment_files = NULL;
        return true;
}

static int lookup_copy(void *userdata, const char *unit, UnitKnowledge *ret) {
        ConditionCheck *cc = userdata;
        if (!streq(unit, cc->unit))
                return -ENOENT;
        *ret = cc->k;
        return 0;
}

static int copy_knowledge(ConditionCheck *cc, const UnitKnowledge *k) {
        int r;
        cc->k = *k;
        if (k->settings) {
                r = unit_settings_copy(k->settings, &cc->settings);
                if (r < 0)
                        return r;
                cc->k.settings = &cc->settings;
        }
        r = strv_copy(k->process_environment, &cc->process_environment);
        if (r < 0)
                return r;
        r = strv_copy(k->environment_files, &cc->environment_files);
        if (r < 0)
                return r;
        if (k->exe_comm && !(cc->exe_comm = strdup(k->exe_comm)))
                return -ENOMEM;
        cc->k.process_environment = cc->process_environment;
        cc->k.environment_files = cc->environment_files;
        cc->k.exe_comm = cc->exe_comm;
        return 0;
}

/* The unit's open condition findings: what its output showed (a check of the environment
 * family reads it), and what a check reports again without news. */
static int copy_findings(ConditionCheck *cc, Correlator *c) {
        FindingStore *s = correlator_store(c);
        size_t i = 0;
        void *v;
        while (hashmap_iterate(s->by_id, &i, &v, NULL)) {
                const Finding *f = v;
                if (f->state == FINDING_RESOLVED || !streq(f->unit, cc->unit) ||
                    !correlator_is_condition(f->class))
                        continue;
                Finding *copy;
                int r = finding_dup(f, &copy);
                if (r < 0)
                        return r;
                r = finding_store_add(&cc->store, copy);
                if (r < 0)
                        return r;
        }
        return 0;
}

int condition_check_new(Correlator *c, const char *unit, const UnitKnowledge *k, uint64_t now,
                        ConditionCheck **ret) {
        _cleanup_(condition_check_freep) ConditionCheck *cc = calloc(1, sizeof *cc);
        int r;

        if (!cc)
                return -ENOMEM;
        unit_settings_init(&cc->settings);
        cc->run = (CheckRun){ .now = now, .record = true };
        if (!(cc->unit = strdup(unit)))
                return -ENOMEM;
        r = copy_knowledge(cc, k);
        if (r < 0)
                return r;
        r = finding_store_init(&cc->store);
        if (r < 0)
                return r;
        r = copy_findings(cc, c);
        if (r < 0)
                return r;
        /* Made here, not on the check's thread: correlator_new() builds shared tables once. */
        CorrelatorOptions o = { .lookup = lookup_copy, .userdata = cc, .include_non_go = true };
        r = correlator_new(&cc->store, &o, &cc->c);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(cc);
        return 0;
}

/* Every detector's check of unit on c, reporting to run. Returns the number of findings the
 * checks reported news of, or the first check's error. */
static int run_checks(Correlator *c, CheckRun *run, const char *unit, const UnitKnowledge *k,
                      const HostFacts *h) {
        int n = 0, ret = 0;
        correlator_set_check_run(c, run);
        for (size_t d = 0; d < correlator_n_detectors(); d++) {
                const Detector *det = correlator_detector(d);
                if (!det->check)
                        continue;
                int r = det->check(correlator_detector_state(c, d), unit, k, h);
                if (r < 0 && ret == 0)
                        ret = r;
                else if (r > 0)
                        n += r;
        }
        correlator_set_check_run(c, NULL);
        return ret < 0 ? ret : n;
}

void condition_check_read_env_files(ConditionCheck *cc) {
        cc->read_env_files = true;
}

/* The files as systemd reads them when it starts the unit: from the host's root (not the unit's
 * RootDirectory=), each capped; one that cannot be read is passed over, as systemd would refuse
 * to start the unit (or, optional, ignore it). */
static int read_env_files(ConditionCheck *cc, const HostFacts *h) {
        _cleanup_(unit_root_done) UnitRoot root = { .fd = -EBADF };
        _cleanup_(strv_freep) char **env = NULL, **errors = NULL;
        if (cc->settings.n_environment_files == 0) {
                strv_free(cc->environment_files);
                cc->environment_files = NULL;
                return 0;
        }
        int r = unit_root_open(h && h->root ? h->root : "/", &root);
        if (r < 0)
                return r;
        r = unit_load_env_files(&root, &cc->settings, &env, &errors);
        if (r < 0)
                return r;
        strv_free(cc->environment_files);
        cc->environment_files = TAKE_PTR(env);
        cc->env_file_errors = TAKE_PTR(errors);
        return 0;
}

int condition_check_run(ConditionCheck *cc, const HostFacts *h) {
        if (cc->read_env_files) {
                int r = read_env_files(cc, h);
                if (r < 0)
                        return (cc->result = r);
                cc->env_files_read = true;
                cc->k.environment_files = cc->environment_files;
        }
        cc->result = run_checks(cc->c, &cc->run, cc->unit, &cc->k, h);
        return cc->result;
}

int correlator_apply_check(Correlator *c, ConditionCheck *cc) {
        CheckRun run = { .now = cc->run.now };
        const char *unit = cc->unit;
        int n = 0, ret = 0;

        /* Reported again here: what is news to c's findings gets the check's words. */
        correlator_set_check_run(c, &run);
        for (size_t i = 0; i < cc->run.n_reports && ret >= 0; i++) {
                const CheckReport *rep = &cc->run.reports[i];
                const Finding *p = finding_store_find_active(&cc->store, rep->cls, unit);
                Finding *f;
                bool added;
                if (!p)
                        continue;
                int r = correlator_condition(c, rep->cls, unit, rep->key, &f, &added);
                if (r > 0)
                        r = finding_copy_content(f, p) ?: 1;
                if (r < 0)
                        ret = r;
                if (r <= 0)
                        continue;
                correlator_notify(c, f, added);
                n++;
        }
        correlator_set_check_run(c, NULL);
        UnitKnowledge k;
        bool wanted = correlator_lookup_wanted(c, unit, &k);
        for (size_t d = 0; wanted && d < correlator_n_detectors() && ret >= 0; d++) {
                const Detector *det = correlator_detector(d);
                if (!det->on_unit_checked)
                        continue;
                int r = det->on_unit_checked(correlator_detector_state(c, d), unit, &k);
                if (r < 0)
                        ret = r;
                else
                        n += r;
        }
        /* A check that failed saw only part of the unit: resolve nothing on its word. */
        if (ret < 0)
                return ret;
        if (cc->result < 0)
                return cc->result;
        for (size_t d = 0; d < correlator_n_detectors(); d++)
                for (const FindingClass *cls = correlator_detector(d)->condition_classes;
                     cls && *cls != _FINDING_CLASS_INVALID; cls++) {
                        Finding *f = finding_store_find_active(correlator_store(c), *cls, unit);
                        /* Only what a check found: a failure the unit's output confirmed without a
                         * check seeing its cause resolves with a clean run, as other findings do. */
                        if (!f || (run.found & (UINT64_C(1) << *cls)) || !finding_get(f, "checked_at"))
                                continue;
                        (void) finding_set_string(f, "resolved_by", "configuration-fixed");
                        (void) finding_set_usec(f, "checked_at", run.now);
                        if (finding_set_state(f, FINDING_RESOLVED, run.now) >= 0) {
                                correlator_notify(c, f, false);
                                n++;
                        }
                }
        return n;
}

int correlator_check_unit(Correlator *c, const char *unit, const HostFacts *h, uint64_t now) {
        _cleanup_(condition_check_freep) ConditionCheck *cc = NULL;
        UnitKnowledge k;

        correlator_set_host_facts(c, h);
        if (!correlator_lookup_wanted(c, unit, &k))
                return 0;
        int r = condition_check_new(c, unit, &k, now, &cc);
        if (r < 0)
                return r;
        (void) condition_check_run(cc, h);
        return correlator_apply_check(c, cc);
}
