/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "finding.h"
#include "hex.h"
#include "utf8.h"

static const FindingClassInfo class_table[_FINDING_CLASS_MAX] = {
        [FINDING_OOM_KILL] = { "oom-kill", "7f5a04130449b86595aa520b9a11e84d", SEVERITY_CRITICAL,
                               "was killed by the kernel OOM killer at its memory limit" },
        [FINDING_GLOBAL_OOM] = { "global-oom", "9c7f3ad12e8c4bfd1b51efc1db2bd792", SEVERITY_CRITICAL,
                                 "was killed when the system ran out of memory" },
        [FINDING_OOMD_KILL] = { "oomd-kill", "dc52fe1d6043b1e46f99eea02b3f0468", SEVERITY_CRITICAL,
                                "was killed by systemd-oomd" },
        [FINDING_GO_RUNTIME_OOM] = { "go-runtime-oom", "9dbb17ae0f3f5ba98763ac5c0137e5bd", SEVERITY_CRITICAL,
                                     "ran out of memory in the Go runtime's allocator" },
        [FINDING_OOM_RESTART_GAP] = { "oom-restart-gap", "92ab38325c3f178925612c98e8e1ac3c",
                                      SEVERITY_WARNING, "is not restarted after an OOM kill" },
        [FINDING_FD_EXHAUSTION] = { "fd-exhaustion", "b6f0a8205f2e54bb9e6fb857295a1831", SEVERITY_CRITICAL,
                                    "ran out of file descriptors" },
        [FINDING_FD_EXHAUSTION_SYSTEM] = { "fd-exhaustion-system", "63ef0217a7e6be947638fd3f7541af1f",
                                           SEVERITY_CRITICAL, "hit the system-wide limit on open files" },
        [FINDING_NETPOLL_INIT] = { "netpoll-init", "d9a64eb1bf0f35a1b49f702520474b6f", SEVERITY_CRITICAL,
                                   "could not start the Go network poller" },
        [FINDING_THREAD_EXHAUSTION] = { "thread-exhaustion", "0b1c887e2a034bdf8b62417a1c971004",
                                        SEVERITY_CRITICAL, "could not create threads" },
        [FINDING_TASKS_NEAR_LIMIT] = { "tasks-near-limit", "25c60f74684b42ada8467ea47e094ce7",
                                       SEVERITY_WARNING, "is close to its task limit" },
        [FINDING_PRIVILEGED_PORT] = { "privileged-port", "d5e056205a250ddb72ec813baccd426c",
                                      SEVERITY_CRITICAL, "is not allowed to bind a privileged port" },
        [FINDING_PORT_IN_USE] = { "port-in-use", "3cc47f1a7c9c4ed901c79652de688405", SEVERITY_CRITICAL,
                                  "found its port already in use" },
        [FINDING_EPHEMERAL_PORTS] = { "ephemeral-ports", "f7a0640082153169a19e22c29a5fca0f",
                                      SEVERITY_WARNING, "ran out of local ports for outgoing connections" },
        [FINDING_DNS_RESOLUTION] = { "dns-resolution", "bfe1af72b26e4563b8ca1d689cd1c76e", SEVERITY_WARNING,
                                     "cannot resolve host names" },
        [FINDING_HOME_UNSET] = { "home-unset", "06155802a4c7c24b6ed76e05fce4400c", SEVERITY_WARNING,
                                 "needs $HOME, which the unit does not set" },
        [FINDING_PATH_UNSAFE] = { "path-unsafe", "92f74fd37b45a920a49699ee0774941a", SEVERITY_WARNING,
                                  "has unsafe entries in PATH" },
        [FINDING_LD_LIBRARY_PATH_UNSAFE] = { "ld-library-path-unsafe", "1b2da292a11f7a618bd1457aa2fa6994",
                                             SEVERITY_WARNING, "has unsafe entries in LD_LIBRARY_PATH" },
        [FINDING_GO_TOOLCHAIN_AT_START] = { "go-toolchain-at-start", "c20de768d33e11b6bd5cb6ef5f0468e8",
                                            SEVERITY_WARNING, "runs the go tool at every start" },
        [FINDING_GOMAXPROCS_VS_QUOTA] = { "gomaxprocs-vs-quota", "1adc4c7f2d512eb7ce0d904b352f44b6",
                                          SEVERITY_INFO, "runs more Go threads than its CPU quota allows" },
        [FINDING_GOMEMLIMIT_VS_LIMIT] = { "gomemlimit-vs-limit", "ff52d9c04ba59863323decd847c4dd3e",
                                          SEVERITY_INFO,
                                          "has a GOMEMLIMIT that does not fit its memory limit" },
        [FINDING_TLS_ROOTS_MISSING] = { "tls-roots-missing", "f14ab28dd09fa5a9f8341baacbd9e518",
                                        SEVERITY_WARNING, "cannot find TLS root certificates" },
        [FINDING_TIMEZONE_MISSING] = { "timezone-missing", "0472a43868b82b08b3dbeae7c759f8c0",
                                       SEVERITY_WARNING, "cannot find time zone data" },
        [FINDING_NSS_USER_LOOKUP] = { "nss-user-lookup", "9353754c50e4ff1f6756824021486f6b",
                                      SEVERITY_WARNING, "cannot look up users without cgo" },
        [FINDING_MISSING_LIBRARY] = { "missing-library", "8385be41732ca7d9434040a843893e49",
                                      SEVERITY_CRITICAL, "needs a shared library the host does not have" },
        [FINDING_GLIBC_TOO_OLD] = { "glibc-too-old", "662dd906192596d303815ea0a7d6ede6", SEVERITY_CRITICAL,
                                    "needs a newer glibc than the host has" },
        [FINDING_INTERPRETER_MISSING] = { "interpreter-missing", "6f3811e0e0f7113bd82e4ff5d97a86d8",
                                          SEVERITY_CRITICAL,
                                          "needs an ELF interpreter this host does not have" },
        [FINDING_ARCH_MISMATCH] = { "arch-mismatch", "459a9708af056b25351a511593d353e0", SEVERITY_CRITICAL,
                                    "was built for another architecture" },
        [FINDING_CPU_LEVEL] = { "cpu-level", "8874263b94e70bcf02eaa4fcbd434a92", SEVERITY_CRITICAL,
                                "needs CPU features this host lacks" },
        [FINDING_EXEC_FAILED] = { "exec-failed", "d938d224692fb2b9b2fc4454fe6fe4d3", SEVERITY_CRITICAL,
                                  "could not be executed" },
        [FINDING_RUNS_AS_ROOT] = { "runs-as-root", "b5a1cfdd9df57f3b8c8056a0ada696c6", SEVERITY_INFO,
                                   "is a network service running as root with full capabilities" },
        [FINDING_SELINUX_DENIAL] = { "selinux-denial", "9ad3284f72486bd70e2afc9826538370", SEVERITY_WARNING,
                                     "was denied by SELinux" },
        [FINDING_APPARMOR_DENIAL] = { "apparmor-denial", "80ac07bb6a415ece47d7f4f57b9861ec",
                                      SEVERITY_WARNING, "was denied by AppArmor" },
        [FINDING_SELINUX_EXEC_LABEL] = { "selinux-exec-label", "f7fded64d2cc6405cf6e99c13f6d3107",
                                         SEVERITY_WARNING,
                                         "has an executable with an unexpected SELinux label" },
        [FINDING_PANIC] = { "panic", "bcf2bb38418b6aba00b3f80d861173a4", SEVERITY_CRITICAL, "panicked" },
        [FINDING_FATAL_RUNTIME] = { "fatal-runtime", "6ae11a57cc9b283bd5cd526524f671f9", SEVERITY_CRITICAL,
                                    "was stopped by a fatal Go runtime error" },
        [FINDING_CRASH_LOOP] = { "crash-loop", "3e130fd885d716af45d93dbadfad74ed", SEVERITY_CRITICAL,
                                 "restarts again and again" },
        [FINDING_STOP_TIMEOUT] = { "stop-timeout", "ec116a4a422b0e2ce6190b77d25fbd5d", SEVERITY_WARNING,
                                   "does not stop on SIGTERM" },
        [FINDING_EXITS_AT_START] = { "exits-at-start", "08bfbb064b5596135a0f4716ae885810", SEVERITY_WARNING,
                                     "exits right after it starts" },
        [FINDING_WATCHDOG] = { "watchdog", "ac2737a453c314e8fb4f14624fb2d6a9", SEVERITY_CRITICAL,
                               "missed its watchdog deadline" },
};

const FindingClassInfo *finding_class_info(FindingClass c) {
        return c >= 0 && c < _FINDING_CLASS_MAX ? &class_table[c] : NULL;
}

FindingClass finding_class_from_string(const char *s) {
        for (int i = 0; s && i < _FINDING_CLASS_MAX; i++)
                if (strcmp(class_table[i].name, s) == 0)
                        return (FindingClass) i;
        return _FINDING_CLASS_INVALID;
}

static const char *const severity_table[_SEVERITY_MAX] = {
        [SEVERITY_INFO] = "info",
        [SEVERITY_WARNING] = "warning",
        [SEVERITY_CRITICAL] = "critical",
};

static const char *const state_table[_FINDING_STATE_MAX] = {
        [FINDING_OPEN] = "open",
        [FINDING_ACKNOWLEDGED] = "acknowledged",
        [FINDING_RESOLVED] = "resolved",
};

const char *finding_severity_to_string(FindingSeverity s) {
        return s >= 0 && s < _SEVERITY_MAX ? severity_table[s] : NULL;
}

FindingSeverity finding_severity_from_string(const char *s) {
        for (int i = 0; s && i < _SEVERITY_MAX; i++)
                if (strcmp(severity_table[i], s) == 0)
                        return (FindingSeverity) i;
        return _SEVERITY_INVALID;
}

const char *finding_state_to_string(FindingState s) {
        return s >= 0 && s < _FINDING_STATE_MAX ? state_table[s] : NULL;
}

FindingState finding_state_from_string(const char *s) {
        for (int i = 0; s && i < _FINDING_STATE_MAX; i++)
                if (strcmp(state_table[i], s) == 0)
                        return (FindingState) i;
        return _FINDING_STATE_INVALID;
}

/* FNV-1a over the parts, twice with different seeds: 128 stable bits, as hex. Stable across
 * restarts and hosts, so the same event read twice gets the same id. */
/* Without a discriminator (d NULL) the id is what it always was: saved state stays valid. */
static void make_id(char out[static 33], const char *a, const char *b, const char *d, const char *c) {
        uint64_t h[2] = { 0xcbf29ce484222325ull, 0x84222325cbf29ce4ull };
        const char *parts[] = { a, "\x1f", b, d ? "\x1e" : NULL, d, "\x1f", c };
        for (int k = 0; k < 2; k++)
                for (size_t i = 0; i < ELEMENTSOF(parts); i++)
                        for (const char *p = parts[i]; p && *p; p++)
                                h[k] = (h[k] ^ (uint8_t) *p) * 0x100000001b3ull;
        snprintf(out, 33, "%016llx%016llx", (unsigned long long) h[0], (unsigned long long) h[1]);
}

static bool string_ok(const char *s) {
        return s && strnlen(s, FINDING_STRING_MAX + 1) <= FINDING_STRING_MAX;
}

/* Unit names and evidence keys are looked up and compared: they must be UTF-8 as they are. */
static bool name_ok(const char *s) {
        return string_ok(s) && !utf8_needs_escape(s, strlen(s));
}

/* Values come from outside (a unit's output, a process name, a path): stored in the escaped form
 * of utf8.h, so everything that reads a finding (the bus, JSON, the state file) gets valid UTF-8.
 * The cap applies to the stored form, so a value read back from the state file fits again. */
static int value_copy(const char *s, size_t n, char **ret) {
        if (!s || n > FINDING_STRING_MAX)
                return -E2BIG;
        char *v;
        int r = utf8_escape_invalid(s, n, &v);
        if (r < 0)
                return r;
        if (strlen(v) > FINDING_STRING_MAX) {
                free(v);
                return -E2BIG;
        }
        *ret = v;
        return 0;
}

int finding_new(FindingClass c, const char *unit, const char *first_key, Finding **ret) {
        return finding_new_d(c, unit, NULL, first_key, ret);
}

int finding_set_discriminator(Finding *f, const char *discriminator) {
        char *d = NULL;
        if (discriminator && (!name_ok(discriminator) || !*discriminator))
                return -EINVAL;
        if (discriminator && !(d = strdup(discriminator)))
                return -ENOMEM;
        free(f->discriminator);
        f->discriminator = d;
        return 0;
}

int finding_new_d(FindingClass c, const char *unit, const char *discriminator, const char *first_key,
                  Finding **ret) {
        const FindingClassInfo *info = finding_class_info(c);
        if (!info || !name_ok(unit) || !string_ok(first_key))
                return -EINVAL;
        _cleanup_(finding_freep) Finding *f = calloc(1, sizeof *f);
        if (!f)
                return -ENOMEM;
        f->class = c;
        f->severity = info->severity;
        f->state = FINDING_OPEN;
        f->unit = strdup(unit);
        if (!f->unit)
                return -ENOMEM;
        int r = finding_set_discriminator(f, discriminator);
        if (r < 0)
                return r;
        make_id(f->id, info->name, unit, discriminator, first_key);
        *ret = TAKE_PTR(f);
        return 0;
}

static void evidence_done(Evidence *e) {
        free(e->key);
        free(e->s);
}

static void advice_done(Advice *a) {
        free(a->text);
        free(a->snippet);
}

Finding *finding_free(Finding *f) {
        if (!f)
                return NULL;
        free(f->unit);
        free(f->discriminator);
        free(f->summary);
        for (size_t i = 0; i < f->n_evidence; i++)
                evidence_done(&f->evidence[i]);
        free(f->evidence);
        finding_clear_advice(f);
        for (size_t i = 0; i < f->n_seen_keys; i++)
                free(f->seen_keys[i]);
        return mfree(f);
}

/* The slot for key: the existing one (its old value freed) or a new one at the end. */
static Evidence *evidence_slot(Finding *f, const char *key) {
        if (!name_ok(key))
                return NULL;
        for (size_t i = 0; i < f->n_evidence; i++)
                if (strcmp(f->evidence[i].key, key) == 0) {
                        free(f->evidence[i].s);
                        f->evidence[i].s = NULL;
                        return &f->evidence[i];
                }
        if (f->n_evidence >= FINDING_EVIDENCE_MAX)
                return NULL;
        Evidence *p = reallocarray(f->evidence, f->n_evidence + 1, sizeof *p);
        if (!p)
                return NULL;
        f->evidence = p;
        Evidence *e = &f->evidence[f->n_evidence];
        *e = (Evidence){ .key = strdup(key) };
        if (!e->key)
                return NULL;
        f->n_evidence++;
        return e;
}

/* The string evidence of key, if it is one. */
static const Evidence *string_evidence(const Finding *f, const char *key) {
        for (size_t i = 0; i < f->n_evidence; i++)
                if (strcmp(f->evidence[i].key, key) == 0)
                        return f->evidence[i].type == EVIDENCE_STRING ? &f->evidence[i] : NULL;
        return NULL;
}

int finding_set_string_n(Finding *f, const char *key, const char *value, size_t n) {
        /* A repeat sets the same values again (a flood, thousands a second): kept as they are. */
        const Evidence *same = value ? string_evidence(f, key) : NULL;
        if (same && same->s && strncmp(same->s, value, n) == 0 && same->s[n] == 0 && !memchr(value, 0, n))
                return 0;
        char *v;
        int r = value_copy(value, n, &v);
        if (r < 0)
                return r;
        Evidence *e = evidence_slot(f, key);
        if (!e) {
                free(v);
                return -E2BIG;
        }
        e->type = EVIDENCE_STRING;
        e->s = v;
        return 0;
}

int finding_set_string(Finding *f, const char *key, const char *value) {
        if (!string_ok(value))
                return -E2BIG;
        return finding_set_string_n(f, key, value, strlen(value));
}

static int set_number(Finding *f, const char *key, EvidenceType type, uint64_t u, int64_t i) {
        Evidence *e = evidence_slot(f, key);
        if (!e)
                return -E2BIG;
        e->type = type;
        e->u = u;
        e->i = i;
        return 0;
}

int finding_set_u64(Finding *f, const char *key, uint64_t value) {
        return set_number(f, key, EVIDENCE_U64, value, 0);
}

int finding_set_i64(Finding *f, const char *key, int64_t value) {
        return set_number(f, key, EVIDENCE_I64, 0, value);
}

int finding_set_bool(Finding *f, const char *key, bool value) {
        return set_number(f, key, EVIDENCE_BOOL, value, 0);
}

int finding_set_usec(Finding *f, const char *key, uint64_t value) {
        return set_number(f, key, EVIDENCE_USEC, value, 0);
}

int finding_dup(const Finding *f, Finding **ret) {
        _cleanup_(finding_freep) Finding *c = calloc(1, sizeof *c);
        if (!c)
                return -ENOMEM;
        *c = (Finding){
                .class = f->class,
                .severity = f->severity,
                .state = f->state,
                .first_seen = f->first_seen,
                .last_seen = f->last_seen,
                .count = f->count,
                .state_changed = f->state_changed,
                .seen_next = f->seen_next,
                .counted_until = f->counted_until,
        };
        memcpy(c->id, f->id, sizeof c->id);
        memcpy(c->invocation_id, f->invocation_id, sizeof c->invocation_id);
        if (!(c->unit = strdup(f->unit)) ||
            (f->discriminator && !(c->discriminator = strdup(f->discriminator))) ||
            (f->summary && !(c->summary = strdup(f->summary))))
                return -ENOMEM;
        for (; c->n_seen_keys < f->n_seen_keys; c->n_seen_keys++)
                if (!(c->seen_keys[c->n_seen_keys] = strdup(f->seen_keys[c->n_seen_keys])))
                        return -ENOMEM;
        int r = finding_copy_content(c, f);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(c);
        return 0;
}

int finding_copy_content(Finding *dst, const Finding *src) {
        int r = 0;
        /* The stored forms are valid UTF-8 already: the setters keep them as they are. */
        if (src->summary)
                r = finding_set_summary(dst, src->summary);
        for (size_t i = 0; r >= 0 && i < src->n_evidence; i++) {
                const Evidence *e = &src->evidence[i];
                r = e->type == EVIDENCE_STRING ? finding_set_string(dst, e->key, e->s)
                                               : set_number(dst, e->key, e->type, e->u, e->i);
        }
        if (r < 0)
                return r;
        finding_clear_advice(dst);
        for (size_t i = 0; r >= 0 && i < src->n_advice; i++)
                r = finding_add_advice(dst, src->advice[i].kind, src->advice[i].text,
                                       src->advice[i].snippet);
        return r;
}

const Evidence *finding_get(const Finding *f, const char *key) {
        for (size_t i = 0; i < f->n_evidence; i++)
                if (strcmp(f->evidence[i].key, key) == 0)
                        return &f->evidence[i];
        return NULL;
}

void finding_unset(Finding *f, const char *key) {
        for (size_t i = 0; i < f->n_evidence; i++)
                if (strcmp(f->evidence[i].key, key) == 0) {
                        evidence_done(&f->evidence[i]);
                        memmove(f->evidence + i, f->evidence + i + 1,
                                (f->n_evidence - i - 1) * sizeof *f->evidence);
                        f->n_evidence--;
                        return;
                }
}

int finding_add_advice(Finding *f, AdviceKind kind, const char *text, const char *snippet) {
        _cleanup_free_ char *t = NULL, *sn = NULL;
        if (kind < 0 || kind >= _ADVICE_KIND_MAX || !string_ok(text) || (snippet && !string_ok(snippet)))
                return -EINVAL;
        int r = value_copy(text, strlen(text), &t);
        if (r >= 0 && snippet)
                r = value_copy(snippet, strlen(snippet), &sn);
        if (r < 0)
                return r == -E2BIG ? -EINVAL : r;
        for (size_t i = 0; i < f->n_advice; i++)
                if (f->advice[i].kind == kind && strcmp(f->advice[i].text, t) == 0) {
                        /* The same advice again: replace its snippet, as the header promises. */
                        free(f->advice[i].snippet);
                        f->advice[i].snippet = TAKE_PTR(sn);
                        return 0;
                }
        if (f->n_advice >= FINDING_ADVICE_MAX)
                return -E2BIG;
        Advice *p = reallocarray(f->advice, f->n_advice + 1, sizeof *p);
        if (!p)
                return -ENOMEM;
        f->advice = p;
        f->advice[f->n_advice++] = (Advice){ .kind = kind, .text = TAKE_PTR(t), .snippet = TAKE_PTR(sn) };
        return 0;
}

void finding_clear_advice(Finding *f) {
        for (size_t i = 0; i < f->n_advice; i++)
                advice_done(&f->advice[i]);
        free(f->advice);
        f->advice = NULL;
        f->n_advice = 0;
}

int finding_set_summary(Finding *f, const char *summary) {
        char *s;
        if (!string_ok(summary))
                return -E2BIG;
        int r = value_copy(summary, strlen(summary), &s);
        if (r < 0)
                return r;
        free(f->summary);
        f->summary = s;
        return 0;
}

bool finding_seen(const Finding *f, const char *key) {
        for (size_t i = 0; i < f->n_seen_keys; i++)
                if (strcmp(f->seen_keys[i], key) == 0)
                        return true;
        return false;
}

bool journal_position_covers(const JournalPosition *pos, const JournalPosition *p) {
        if (!pos || !p || (pos->monotonic == 0 && pos->realtime == 0))
                return false;
        if (pos->boot_id[0] && p->boot_id[0] && strcmp(pos->boot_id, p->boot_id) != 0)
                return p->realtime < pos->realtime;
        /* One boot (or no boot ids at all, where the wall clock is all there is). */
        if (pos->boot_id[0] && p->boot_id[0])
                return p->monotonic <= pos->monotonic;
        return p->realtime <= pos->realtime;
}

bool journal_position_equal(const JournalPosition *a, const JournalPosition *b) {
        return streq(a->boot_id, b->boot_id) && a->monotonic == b->monotonic && a->realtime == b->realtime;
}

bool finding_counted(const Finding *f, const JournalPosition *pos) {
        return journal_position_covers(&f->counted_until, pos);
}

void finding_advance_position(Finding *f, const JournalPosition *pos) {
        if (pos && !finding_counted(f, pos))
                f->counted_until = *pos;
}

const char *finding_last_key(const Finding *f) {
        if (f->n_seen_keys == 0)
                return NULL;
        if (f->n_seen_keys < FINDING_SEEN_KEYS_MAX)
                return f->seen_keys[f->n_seen_keys - 1];
        return f->seen_keys[(f->seen_next + FINDING_SEEN_KEYS_MAX - 1) % FINDING_SEEN_KEYS_MAX];
}

static void remember_key(Finding *f, char *k) {
        if (f->n_seen_keys < FINDING_SEEN_KEYS_MAX)
                f->seen_keys[f->n_seen_keys++] = k;
        else {
                free(f->seen_keys[f->seen_next]);
                f->seen_keys[f->seen_next] = k;
                f->seen_next = (f->seen_next + 1) % FINDING_SEEN_KEYS_MAX;
        }
}

int finding_mark_seen(Finding *f, const char *key) {
        if (!string_ok(key))
                return -E2BIG;
        if (finding_seen(f, key))
                return 0;
        char *k = strdup(key);
        if (!k)
                return -ENOMEM;
        remember_key(f, k);
        return 1;
}

int finding_record(Finding *f, const char *key, const char *invocation_id, uint64_t when) {
        return finding_record_at(f, key, invocation_id, when, NULL);
}

int finding_record_at(Finding *f, const char *key, const char *invocation_id, uint64_t when,
                      const JournalPosition *pos) {
        if (!string_ok(key))
                return -E2BIG;
        if (finding_counted(f, pos))
                return 0;
        if (finding_seen(f, key)) {
                finding_advance_position(f, pos);
                return 0;
        }
        finding_advance_position(f, pos);
        char *k = strdup(key);
        if (!k)
                return -ENOMEM;
        remember_key(f, k);
        f->count++;
        if (f->first_seen == 0 || when < f->first_seen)
                f->first_seen = when;
        if (when > f->last_seen)
                f->last_seen = when;
        if (id128_is_valid(invocation_id))
                memcpy(f->invocation_id, invocation_id, 33);
        return 1;
}

int finding_set_state(Finding *f, FindingState state, uint64_t now) {
        if (state < 0 || state >= _FINDING_STATE_MAX)
                return -EINVAL;
        if (f->state == FINDING_RESOLVED && state != FINDING_RESOLVED)
                return -ESTALE; /* a resolved finding stays resolved; a new one opens instead */
        if (f->state != state) {
                f->state = state;
                f->state_changed = now;
        }
        return 0;
}

bool finding_should_resolve(const Finding *f, const char *invocation_id, const char *active_state,
                            uint64_t active_enter_usec, uint64_t now, uint64_t clean_usec) {
        if (f->state == FINDING_RESOLVED || !id128_is_valid(invocation_id) || !active_state ||
            strcmp(active_state, "active") != 0)
                return false;
        if (strcmp(invocation_id, f->invocation_id) == 0)
                return false; /* the invocation the finding is about */
        if (finding_get(f, "checked_at"))
                return false; /* a condition: it holds until a check no longer finds it */
        if (active_enter_usec == 0 || active_enter_usec <= f->last_seen || now < active_enter_usec)
                return false;
        return now - active_enter_usec >= clean_usec;
}
