/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hashmap.h"
#include "macro.h"

/* Findings: what goguard tells an operator. One model for every class of the fault catalog
 * (../shared/spec/fault-catalog.md); see docs/findings.md for the lifecycle and the caps.
 *
 * Lifecycle: open → acknowledged (an operator saw it; it still counts repeats) → resolved (by
 * an operator's dismissal, or by itself when the unit ran clean for a while). A new occurrence
 * of a resolved finding's (class, unit, discriminator) opens a new finding. */

typedef enum FindingClass {
        FINDING_OOM_KILL,
        FINDING_GLOBAL_OOM,
        FINDING_OOMD_KILL,
        FINDING_GO_RUNTIME_OOM,
        FINDING_OOM_RESTART_GAP,
        FINDING_FD_EXHAUSTION,
        FINDING_FD_EXHAUSTION_SYSTEM,
        FINDING_NETPOLL_INIT,
        FINDING_THREAD_EXHAUSTION,
        FINDING_TASKS_NEAR_LIMIT,
        FINDING_PRIVILEGED_PORT,
        FINDING_PORT_IN_USE,
        FINDING_EPHEMERAL_PORTS,
        FINDING_DNS_RESOLUTION,
        FINDING_HOME_UNSET,
        FINDING_PATH_UNSAFE,
        FINDING_LD_LIBRARY_PATH_UNSAFE,
        FINDING_GO_TOOLCHAIN_AT_START,
        FINDING_GOMAXPROCS_VS_QUOTA,
        FINDING_GOMEMLIMIT_VS_LIMIT,
        FINDING_TLS_ROOTS_MISSING,
        FINDING_TIMEZONE_MISSING,
        FINDING_NSS_USER_LOOKUP,
        FINDING_MISSING_LIBRARY,
        FINDING_GLIBC_TOO_OLD,
        FINDING_INTERPRETER_MISSING,
        FINDING_ARCH_MISMATCH,
        FINDING_CPU_LEVEL,
        FINDING_EXEC_FAILED,
        FINDING_RUNS_AS_ROOT,
        FINDING_SELINUX_DENIAL,
        FINDING_APPARMOR_DENIAL,
        FINDING_SELINUX_EXEC_LABEL,
        FINDING_PANIC,
        FINDING_FATAL_RUNTIME,
        FINDING_CRASH_LOOP,
        FINDING_STOP_TIMEOUT,
        FINDING_EXITS_AT_START,
        FINDING_WATCHDOG,
        _FINDING_CLASS_MAX,
        _FINDING_CLASS_INVALID = -1,
} FindingClass;

typedef enum FindingSeverity {
        SEVERITY_INFO,
        SEVERITY_WARNING,
        SEVERITY_CRITICAL,
        _SEVERITY_MAX,
        _SEVERITY_INVALID = -1,
} FindingSeverity;

typedef enum FindingState {
        FINDING_OPEN,
        FINDING_ACKNOWLEDGED,
        FINDING_RESOLVED,
        _FINDING_STATE_MAX,
        _FINDING_STATE_INVALID = -1,
} FindingState;

typedef struct FindingClassInfo {
        const char *name;       /* stable id, e.g. "oom-kill" */
        const char *message_id; /* journal MESSAGE_ID, 32 hex digits */
        FindingSeverity severity;
        const char *title; /* "<unit> <title>" reads as a sentence */
} FindingClassInfo;

const FindingClassInfo *finding_class_info(FindingClass c) _pure_;
FindingClass finding_class_from_string(const char *s) _pure_;
const char *finding_severity_to_string(FindingSeverity s) _pure_;
FindingSeverity finding_severity_from_string(const char *s) _pure_;
const char *finding_state_to_string(FindingState s) _pure_;
FindingState finding_state_from_string(const char *s) _pure_;

typedef enum EvidenceType {
        EVIDENCE_STRING,
        EVIDENCE_U64,
        EVIDENCE_I64,
        EVIDENCE_BOOL,
        EVIDENCE_USEC, /* µs since the epoch */
        _EVIDENCE_TYPE_MAX,
} EvidenceType;

typedef struct Evidence {
        char *key;
        EvidenceType type;
        char *s;
        uint64_t u;
        int64_t i;
} Evidence;

typedef enum AdviceKind {
        ADVICE_TEXT,    /* prose */
        ADVICE_DROPIN,  /* a [Service] drop-in for systemctl edit */
        ADVICE_COMMAND, /* a shell command */
        ADVICE_POLICY,  /* a rule for a MAC policy: an SELinux allow rule, an AppArmor profile line */
        _ADVICE_KIND_MAX,
} AdviceKind;

typedef struct Advice {
        AdviceKind kind;
        char *text;
        char *snippet; /* the drop-in or the command; NULL for ADVICE_TEXT */
} Advice;

#define FINDING_EVIDENCE_MAX  64u
#define FINDING_ADVICE_MAX    8u
#define FINDING_STRING_MAX    4096u
#define FINDING_SEEN_KEYS_MAX 64u

/* Where an occurrence stands in the journal: the entry's boot and its monotonic time on that
 * boot (journald stamps entries in the order it writes them), and its wall-clock time to order
 * boots. Positions of occurrences that came only live (/dev/kmsg, the bus) are not kept. */
typedef struct JournalPosition {
        char boot_id[33]; /* "" when the entry has none (some exported files) */
        uint64_t monotonic;
        uint64_t realtime;
} JournalPosition;

/* Whether p is at or before pos: the same boot by monotonic time, another by wall-clock time. */
bool journal_position_covers(const JournalPosition *pos, const JournalPosition *p);
/* Whether a and b are the same entry's place. */
bool journal_position_equal(const JournalPosition *a, const JournalPosition *b);

typedef struct Finding {
        char id[33];
        FindingClass class;
        FindingSeverity severity;
        FindingState state;
        char *unit;
        /* Tells findings of one (class, unit) apart, e.g. a crash loop's cause class; NULL: none,
         * one active finding per (class, unit). Part of the id and of the active-finding lookup. */
        char *discriminator;
        char invocation_id[33]; /* of the latest occurrence */
        char *summary;
        uint64_t first_seen, last_seen; /* µs since the epoch, of the evidence */
        uint64_t count;
        uint64_t state_changed;
        Evidence *evidence;
        size_t n_evidence;
        Advice *advice;
        size_t n_advice;
        /* Occurrences already counted, so the same event read twice (a journal re-read after a
         * restart) does not count twice: a ring of the last FINDING_SEEN_KEYS_MAX keys. */
        char *seen_keys[FINDING_SEEN_KEYS_MAX];
        size_t n_seen_keys, seen_next;
        /* The newest occurrence counted from the journal: a record at or before it is read
         * again (a lost or garbage cursor, a rewind, a rebuilt state), however many came since,
         * and is not counted again. The seen keys cover what came live, ahead of the journal. */
        JournalPosition counted_until;
} Finding;

int finding_new(FindingClass c, const char *unit, const char *first_key, Finding **ret);
/* The same with a discriminator (NULL: none, the id is finding_new()'s). */
int finding_new_d(FindingClass c, const char *unit, const char *discriminator, const char *first_key,
                  Finding **ret);
/* For a reader of saved findings, whose id is saved too: sets the discriminator, not the id. */
int finding_set_discriminator(Finding *f, const char *discriminator);
Finding *finding_free(Finding *f);
/* A copy of f, with its id, state, occurrences and seen keys (a check run apart works on it). */
int finding_dup(const Finding *f, Finding **ret);
/* Gives dst src's summary, evidence (src's keys replace dst's, dst's others stay) and advice
 * (replacing dst's). */
int finding_copy_content(Finding *dst, const Finding *src);
DEFINE_TRIVIAL_CLEANUP_FUNC(Finding *, finding_free);

/* Evidence and advice setters replace an existing entry of the same key / kind+text. String
 * values, summaries and advice are stored in the escaped form of utf8.h (bytes that are not UTF-8,
 * and NULs of a length-delimited value, become \xNN), at most FINDING_STRING_MAX bytes of it.
 * Keys and unit names must be valid UTF-8 already. */
int finding_set_string(Finding *f, const char *key, const char *value);
int finding_set_string_n(Finding *f, const char *key, const char *value, size_t n);
int finding_set_u64(Finding *f, const char *key, uint64_t value);
int finding_set_i64(Finding *f, const char *key, int64_t value);
int finding_set_bool(Finding *f, const char *key, bool value);
int finding_set_usec(Finding *f, const char *key, uint64_t value);
const Evidence *finding_get(const Finding *f, const char *key);
/* Drops the key's evidence, if any: what a later occurrence no longer has. */
void finding_unset(Finding *f, const char *key);
int finding_add_advice(Finding *f, AdviceKind kind, const char *text, const char *snippet);
void finding_clear_advice(Finding *f);
int finding_set_summary(Finding *f, const char *summary);

/* Records one occurrence with its dedup key (e.g. "boot/invocation/pid"). Returns 1 if it was
 * new and counted, 0 if it had been seen already. */
int finding_record(Finding *f, const char *key, const char *invocation_id, uint64_t when);
/* The same with the occurrence's journal position (NULL when it came live): 0 without counting
 * when the position is at or before counted_until; moves counted_until forward otherwise, also
 * when the key had been counted live before. */
int finding_record_at(Finding *f, const char *key, const char *invocation_id, uint64_t when,
                      const JournalPosition *pos);
/* Whether the occurrence at pos was counted (by this finding) already. */
bool finding_counted(const Finding *f, const JournalPosition *pos);
/* A record already counted live (or merged into an occurrence) was read from the journal. */
void finding_advance_position(Finding *f, const JournalPosition *pos);
bool finding_seen(const Finding *f, const char *key);
/* The key of the newest occurrence counted, or NULL. */
const char *finding_last_key(const Finding *f);
/* Remembers key as seen without counting an occurrence: a condition the unit's output confirmed
 * first, which a later check then reports under this key. 1 if new, 0 if seen already. */
int finding_mark_seen(Finding *f, const char *key);

/* Whether an unresolved finding resolves by itself: its unit runs a newer invocation than the
 * one of the finding's latest occurrence, which became active after that occurrence and has
 * stayed active for clean_usec. A condition a check found (evidence checked_at) resolves only
 * when a check no longer finds it. */
bool finding_should_resolve(const Finding *f, const char *invocation_id, const char *active_state,
                            uint64_t active_enter_usec, uint64_t now, uint64_t clean_usec);

/* The store: every finding by id, with caps. */
#define FINDING_STORE_PER_UNIT_MAX 64u
#define FINDING_STORE_TOTAL_MAX    4096u

typedef struct FindingStore {
        Hashmap *by_id;
        size_t n_dropped; /* findings refused (caps full of open ones) or, keep_newest, trimmed */
        /* Offline (goguardctl analyze): a journal read from its start ends with the findings that
         * matter most now, so the caps keep the newest by last_seen, and the oldest go. Findings
         * are added while a record is being correlated, with pointers held to others: such a
         * store holds up to twice the caps, and finding_store_trim() makes them hold again
         * between records. */
        bool keep_newest;
        bool trim_due;
} FindingStore;

int finding_store_init(FindingStore *s);
void finding_store_done(FindingStore *s);
Finding *finding_store_get(const FindingStore *s, const char *id);
/* The open or acknowledged finding of this class for this unit without a discriminator, if any. */
Finding *finding_store_find_active(const FindingStore *s, FindingClass c, const char *unit);
/* The same for the discriminator (NULL: none). */
Finding *finding_store_find_active_d(const FindingStore *s, FindingClass c, const char *unit,
                                     const char *discriminator);
/* Takes ownership. Makes room within the caps by dropping the oldest resolved findings (of the
 * unit, then of all units); if only open or acknowledged ones are left, the new finding is
 * refused (-ENOSPC, counted in n_dropped) rather than silently losing one the operator has
 * not seen. keep_newest: the same with twice the caps, and trim_due set when they come near. */
int finding_store_add(FindingStore *s, Finding *f);
/* keep_newest only, at a point where nobody holds a pointer to a finding of s: drops the oldest
 * findings (counted in n_dropped) so that at most FINDING_STORE_PER_UNIT_MAX per unit and
 * FINDING_STORE_TOTAL_MAX in all are left. Unless exact, only when twice the caps came near:
 * the cost of a sort is then shared by as many additions as the caps hold. -ENOMEM. */
int finding_store_trim(FindingStore *s, bool exact);
size_t finding_store_count(const FindingStore *s, const char *unit, FindingState state);
/* A finding of this class for this unit, resolved or not, that counted the occurrence at pos. */
Finding *finding_store_find_counted(const FindingStore *s, FindingClass c, const char *unit,
                                    const JournalPosition *pos);
/* The same among those with the discriminator (NULL: none). */
Finding *finding_store_find_counted_d(const FindingStore *s, FindingClass c, const char *unit,
                                      const char *discriminator, const JournalPosition *pos);
int finding_set_state(Finding *f, FindingState state, uint64_t now);

/* Newest first: by last_seen, then by id, so that equal times sort the same every time. */
int finding_compare_newest(uint64_t a_last_seen, const char *a_id, uint64_t b_last_seen, const char *b_id);
/* The same for qsort() over an array of Finding pointers. */
int finding_ptr_compare_newest(const void *a, const void *b);
