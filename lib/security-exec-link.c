/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdio.h>
#include <string.h>

#include "finding.h"
#include "security-exec-link.h"

static const char *basename_of(const char *path) {
        const char *s = strrchr(path, '/');
        return s ? s + 1 : path;
}

static bool has_word(const char *list, const char *word) {
        size_t n = strlen(word);
        for (const char *p = list; p && (p = strstr(p, word)); p += n)
                if ((p == list || p[-1] == ' ') && (p[n] == 0 || p[n] == ' '))
                        return true;
        return false;
}

static const char *ev(const Finding *f, const char *key) {
        const Evidence *e = finding_get(f, key);
        return e && e->type == EVIDENCE_STRING ? e->s : NULL;
}

/* A denial of the exec itself, on the executable (name= holds only its last component). */
static bool is_exec_denial(const Finding *f, const char *exec_path) {
        const char *perms = ev(f, "denial_permissions"), *target = ev(f, "denial_target");
        const char *op = ev(f, "denial_operation");
        bool exec = f->class == FINDING_APPARMOR_DENIAL
                            ? op && strcmp(op, "exec") == 0
                            : has_word(perms, "execute") || has_word(perms, "entrypoint") ||
                                      has_word(perms, "execute_no_trans");
        if (!exec || !target)
                return false;
        if (!exec_path)
                return true; /* offline the unit's ExecStart= is not known: its exec denial */
        return strcmp(target, exec_path) == 0 ||
               (!strchr(target, '/') && strcmp(target, basename_of(exec_path)) == 0);
}

static bool near(const Finding *a, const Finding *b) {
        uint64_t x = a->last_seen, y = b->last_seen;
        return (x > y ? x - y : y - x) <= SECURITY_EXEC_LINK_WINDOW_USEC;
}

int security_exec_link(Correlator *c, const char *unit, const UnitKnowledge *k) {
        static const FindingClass exec_classes[] = { FINDING_EXEC_FAILED, FINDING_ARCH_MISMATCH,
                                                     FINDING_INTERPRETER_MISSING };
        FindingStore *s = correlator_store(c);
        Finding *x = NULL, *den = NULL;
        if (!unit || !unit[0])
                return 0;
        for (size_t i = 0; i < ELEMENTSOF(exec_classes) && !x; i++) {
                x = finding_store_find_active(s, exec_classes[i], unit);
                /* PID 1's status=203/EXEC confirmed it (not a check's condition alone). */
                if (x && !ev(x, "loader_exit_status"))
                        x = NULL;
        }
        if (!x || ev(x, "exec_denial_finding"))
                return 0;
        const char *exec_path = k && k->settings ? k->settings->exec_start_path : NULL;
        size_t i = 0;
        void *v;
        while (!den && hashmap_iterate(s->by_id, &i, &v, NULL)) {
                Finding *f = v;
                if ((f->class == FINDING_SELINUX_DENIAL || f->class == FINDING_APPARMOR_DENIAL) &&
                    f->state != FINDING_RESOLVED && strcmp(f->unit, unit) == 0 &&
                    is_exec_denial(f, exec_path) && near(f, x))
                        den = f;
        }
        if (!den)
                return 0;

        const char *mac = den->class == FINDING_APPARMOR_DENIAL ? "AppArmor" : "SELinux";
        const char *target = ev(den, "denial_target");
        char text[1024], cmd[128];
        (void) finding_set_string(x, "exec_denied_by",
                                  den->class == FINDING_APPARMOR_DENIAL ? "apparmor" : "selinux");
        (void) finding_set_string(x, "exec_denial_finding", den->id);
        snprintf(cmd, sizeof cmd, "goguardctl explain %s", den->id);
        snprintf(text, sizeof text,
                 "%s refused to execute %s: the file is there and its mode bits allow it; the policy "
                 "does not. The denial's finding says what to change:",
                 mac, target);
        if (!finding_get(x, "checked_at")) {
                char summary[1024];
                snprintf(summary, sizeof summary,
                         "%s could not start: %s denied executing %.600s (status=203/EXEC; not a missing "
                         "file or mode bits)",
                         unit, mac, target);
                (void) finding_set_summary(x, summary);
                finding_clear_advice(x);
        }
        (void) finding_add_advice(x, ADVICE_COMMAND, text, cmd);
        correlator_notify(c, x, false);

        (void) finding_set_string(den, "exec_failed_finding", x->id);
        snprintf(cmd, sizeof cmd, "goguardctl explain %s", x->id);
        snprintf(text, sizeof text, "This denial is why %s failed with status=203/EXEC:", unit);
        (void) finding_add_advice(den, ADVICE_COMMAND, text, cmd);
        correlator_notify(c, den, false);
        return 1;
}
