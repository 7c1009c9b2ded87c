/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "macro.h"
#include "security-exec-label.h"
#include "security-label.h"

#define TYPE_MAX 256u

static const char *mode_words(SelinuxMode m) {
        switch (m) {
        case SELINUX_MODE_ENFORCING:
                return "SELinux enforces its policy: the kernel refuses to run the program in the "
                       "unit's domain, and systemd reports 203/EXEC as if the file were missing.";
        case SELINUX_MODE_PERMISSIVE:
                return "SELinux is permissive: today this is only logged; in enforcing mode the kernel "
                       "refuses to run the program and systemd reports 203/EXEC.";
        case SELINUX_MODE_NOT_ENABLED:
                return "SELinux is configured but not enabled yet: once it is, this label makes the "
                       "program fail to start (203/EXEC) unless the first boot's relabel fixes it.";
        case SELINUX_MODE_NONE: break;
        }
        return "";
}

int security_exec_label_check(Correlator *c, const char *unit, const UnitKnowledge *k, const HostFacts *h) {
        const SecurityLabels *l = h ? h->security_labels : NULL;
        const char *path = k && k->settings ? k->settings->exec_start_path : NULL;
        if (!l || !path || path[0] != '/')
                return 0;
        _cleanup_(exec_label_verdict_done) ExecLabelVerdict v = {};
        int r = security_labels_check_exec(l, path, &v);
        /* A missing or unreadable file is not a label's doing. */
        if (r == -ENOENT || r == -EACCES || r == -ENOTDIR)
                return 0;
        if (r <= 0)
                return r;

        char a[TYPE_MAX], b[TYPE_MAX], key[FINDING_STRING_MAX];
        const char *have = v.actual ? security_context_type(v.actual, a, sizeof a) : NULL;
        const char *want = security_context_type(v.expected, b, sizeof b) ?: v.expected;
        have = have ?: v.actual ? v.actual : "unlabeled";
        snprintf(key, sizeof key, "%s|%s|%s", path, have, want);
        Finding *f;
        bool added;
        r = correlator_condition(c, FINDING_SELINUX_EXEC_LABEL, unit, key, &f, &added);
        if (r <= 0)
                return r;

        SelinuxMode mode = security_labels_mode(l);
        (void) finding_set_string(f, "exec_label_path", path);
        (void) finding_set_string(f, "exec_label", v.actual ?: "");
        (void) finding_set_string(f, "exec_label_expected", v.expected);
        (void) finding_set_string(f, "selinux_mode", selinux_mode_to_string(mode));
        (void) finding_set_string(f, "selinux_policy", security_labels_policy(l));
        (void) finding_set_bool(f, "unit_settings_known", k->known);

        char detail[FINDING_STRING_MAX], text[FINDING_STRING_MAX], cmd[FINDING_STRING_MAX];
        snprintf(detail, sizeof detail, "%s is %s, the policy gives %s (%s)", path, have, want,
                 selinux_mode_to_string(mode));
        finding_update_summary(f, detail);
        snprintf(text, sizeof text,
                 "The policy (%s) gives %s the type %s; the file has %s, as a file copied or moved from "
                 "elsewhere keeps its label. %s Restore the policy's label:",
                 security_labels_policy(l), path, want, have, mode_words(mode));
        if (!strchr(path, '\''))
                snprintf(cmd, sizeof cmd, "restorecon -v '%s'", path);
        else
                snprintf(cmd, sizeof cmd, "restorecon -v \"%s\"", path);
        if (f->n_advice == 0)
                (void) finding_add_advice(f, ADVICE_COMMAND, text, cmd);
        correlator_notify(c, f, added);
        return 1;
}
