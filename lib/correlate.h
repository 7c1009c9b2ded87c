/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "finding.h"
#include "go-env.h"
#include "go-exe.h"
#include "kernel-oom.h"
#include "net-probe.h"
#include "unit-settings.h"

/* Turns journal records into findings: kernel OOM records, PID 1's unit messages, the Go
 * runtime's own messages. Pure: records come in as plain structs in journal order, unit
 * knowledge comes from a lookup callback, findings go into a FindingStore, and every added or
 * updated finding is reported through a callback. The daemon feeds it from sd-journal, the
 * offline analyzer from journal files, the tests from fixtures. */

/* PID 1's MESSAGE_IDs (systemd's sd-messages.h). */
#define MESSAGE_ID_UNIT_OOM               "fe6faa94e7774663a0da52717891d8ef"
#define MESSAGE_ID_UNIT_OOMD_KILL         "d989611b15e44c9dbf31e3c81256e4ed"
#define MESSAGE_ID_UNIT_PROCESS_EXIT      "98e322203f7a4ed290d09fe03c09fe15"
#define MESSAGE_ID_UNIT_FAILURE_RESULT    "d9b373ed55a64feb8242e02dbe79a49c"
#define MESSAGE_ID_UNIT_STARTED           "39f53479d3a045ac8e11786248231fbf"
#define MESSAGE_ID_UNIT_RESTART_SCHEDULED "5eb03494b6584870a536b337290809b3"
#define MESSAGE_ID_UNIT_SUCCESS           "7ad2d189f7e94e70a38c781354912448"
#define MESSAGE_ID_UNIT_STOPPING          "de5b426a63be47a7b6ac3eaac82e2f6f"
/* PID 1's "Start request repeated too quickly." has no MESSAGE_ID (systemd 252): the journal
 * matches its CODE_FUNC= instead. */
#define PID1_START_LIMIT_CODE_FUNC        "unit_test_start_limit"

typedef enum JournalSource {
        JOURNAL_SOURCE_KERNEL, /* _TRANSPORT=kernel */
        JOURNAL_SOURCE_PID1,   /* _PID=1 with UNIT= */
        JOURNAL_SOURCE_UNIT,   /* the unit's own stdout/stderr */
        /* The kernel's lines read live from /dev/kmsg, ahead of the journal, which brings the same
         * lines again later (the correlator counts each kill once). Only new lines: the daemon
         * starts reading at the end, so a record's unit is the live one of that cgroup. */
        JOURNAL_SOURCE_KMSG,
        /* One audit record as text (security denials), whatever brought it: the audit netlink
         * multicast, the journal's _TRANSPORT=audit entries and the kernel's "audit:" lines,
         * audit.log. message is the raw audit.log form "type=NAME msg=audit(SEC.MSEC:SERIAL):
         * BODY" (a "node=NAME " prefix allowed; lib/audit-record.h rebuilds it from the other
         * forms); unit is the unit the reader resolved the record's pid to when it received it
         * (NULL when it did not: offline, or a pid of another namespace). The same record
         * brought twice is counted once. */
        JOURNAL_SOURCE_AUDIT,
} JournalSource;

/* The fields of one journal entry the correlator uses; all strings may be NULL. */
typedef struct JournalRecord {
        JournalSource source;
        uint64_t realtime; /* µs since the epoch */
        const char *boot_id;
        /* The entry's own monotonic time (µs, its boot's clock) when it was read from the
         * journal: with boot_id, its place there. 0 for what came live. */
        uint64_t journal_monotonic;
        /* The entry's cursor, or NULL: then cursor_fn(cursor_userdata) makes it on demand.
         * Formatting a cursor costs more than reading the entry, and few entries need one. */
        const char *cursor;
        const char *(*cursor_fn)(void *userdata);
        void *cursor_userdata;
        const char *message;
        size_t message_len;
        const char *unit;          /* UNIT= (PID 1) or _SYSTEMD_UNIT= (unit output) */
        const char *invocation_id; /* INVOCATION_ID= or _SYSTEMD_INVOCATION_ID= */
        /* _STREAM_ID= of a unit's output: which of its stdout/stderr connections (a child
         * process may have its own) printed the line. NULL when not known. */
        const char *stream_id;
        const char *message_id;
        const char *exit_code;   /* EXIT_CODE= */
        const char *exit_status; /* EXIT_STATUS= */
        const char *unit_result; /* UNIT_RESULT= */
        /* _COMM= of a unit's own entry: which comm the unit's process has. An entry of the unit
         * that no detector reads comes with only this (message NULL): see unit-comm.h. */
        const char *comm;
        /* JOURNAL_SOURCE_AUDIT: the node the record came from when the reader knows it apart
         * from the text (NULL: this machine, or the "node=" prefix of message says it). */
        const char *audit_node;
} JournalRecord;

/* What the correlator may know about a unit. Everything may be NULL/false: offline, a unit
 * that is gone, a unit goguard never saw. */
typedef struct UnitKnowledge {
        bool known; /* settings are valid */
        bool is_go; /* the executable is known to be Go */
        const UnitSettings *settings;
        const GoExe *exe;
        char *const *process_environment;
        char *const *environment_files; /* what the unit's EnvironmentFile= files say */
        const char *exe_comm;           /* the executable's name as the kernel's comm shows it (15 bytes) */
        /* The unit's tasks (pids.current of its cgroup) at its last sample, and when (0: never). */
        uint64_t tasks_current;
        uint64_t tasks_sampled_at;
        /* The host's kernel.threads-max as the daemon read it last; 0 when not known. */
        uint64_t kernel_threads_max;
        /* runs-as-root: the main process's listening sockets (tcp listeners, bound udp sockets)
         * and the lowest port among them, when listen_read (it runs and was looked at). */
        bool listen_read;
        uint32_t listen_sockets;
        uint16_t listen_port_min;
} UnitKnowledge;

typedef struct Correlator Correlator;
typedef int (*CorrelatorLookup)(void *userdata, const char *unit, UnitKnowledge *ret);
typedef void (*CorrelatorNotify)(void *userdata, Finding *f, bool added);
/* The other units that run now as the same user as unit (unit_settings_same_user()), as a
 * NULL-ended list the caller frees. */
typedef int (*CorrelatorSameUser)(void *userdata, const char *unit, char ***ret);
/* Security denials: every unit the caller knows (running or not, also failed ones), one visit
 * each with its knowledge; a visit returning > 0 stops the walk and its value is returned.
 * Returns 0 when all were visited, or -errno. */
typedef int (*CorrelatorUnitVisit)(void *ctx, const char *unit, const UnitKnowledge *k);
typedef int (*CorrelatorForEachUnit)(void *userdata, CorrelatorUnitVisit visit, void *ctx);
/* The unit a live process runs in, as a string the caller frees; -ESRCH when the process is gone
 * or in no unit. pid is as the process via_pid sees it: the system bus daemon that wrote it in a
 * denial (spid=, tpid=), via_pid being of the initial pid namespace, as every pid of an audit
 * header. */
typedef int (*CorrelatorPidUnit)(void *userdata, uint32_t via_pid, uint32_t pid, char **ret);

typedef struct CorrelatorOptions {
        CorrelatorLookup lookup;
        CorrelatorNotify notify;
        CorrelatorSameUser same_user; /* NULL: not known (offline) */
        void *userdata;
        /* Report units that are known and not Go? The daemon says no: goguard speaks about Go
         * services. Units it does not know (offline, or gone) are reported either way. */
        bool include_non_go;
        /* Asks the network stack for the network detectors; NULL offline. */
        NetProbeFunc net_probe;
        /* Security denials' attribution (lib/detect-security.c); NULL offline. */
        CorrelatorForEachUnit for_each_unit;
        CorrelatorPidUnit pid_unit;
        /* The host's facts the checks read, for the findings of records too (the security
         * denials' advice names the type the host's SELinux policy gives a path); NULL offline. */
        const struct HostFacts *host_facts;
        /* Set by a caller that runs the condition checks on another thread (goguardd, whose loop
         * never waits for a file): the unit's output is then judged without reading the unit's
         * own root (RootDirectory=, RootImage=, TemporaryFileSystem=), and a check of the unit is
         * asked for instead, whose result gives the finding its cause. NULL: read in place. */
        void (*request_check)(void *userdata, const char *unit);
} CorrelatorOptions;

int correlator_new(FindingStore *store, const CorrelatorOptions *options, Correlator **ret);
Correlator *correlator_free(Correlator *c);
DEFINE_TRIVIAL_CLEANUP_FUNC(Correlator *, correlator_free);

/* The record's cursor, made on demand; NULL if there is none. */
const char *journal_record_cursor(const JournalRecord *r);
/* Whether a line of a unit's output can matter to the correlator at all: lets a reader skip the
 * rest of an entry's fields for the noise. */
bool correlator_wants_unit_message(const char *message, size_t len);

/* PID 1's MESSAGE_IDs the detectors read (for the journal's matches), at most max into ret;
 * returns how many. */
size_t correlator_pid1_message_ids(const char **ret, size_t max);
/* Whether a detector of this build reports the class. */
bool correlator_covers(FindingClass cls);

/* The journal holds nothing more before now (its reader is caught up, or the input ended:
 * UINT64_MAX): records waiting for a word that would have come by now are decided. Returns the
 * number of findings added or updated, or -errno. */
int correlator_advance(Correlator *c, uint64_t now);
/* When (µs since the epoch, the journal's clock) the earliest waiting record can be decided by
 * correlator_advance(); 0 when none waits. */
uint64_t correlator_next_deadline(Correlator *c);

/* Feeds one record; returns the number of findings added or updated, or -errno. */
int correlator_feed(Correlator *c, const JournalRecord *r);
/* The unit's main process died of SIGKILL at realtime, as the unit's live state says (PID 1's
 * message about it reaches the journal later): a kill the kernel printed without its cgroup
 * (rate-limited summary), with this unit's executable's comm, just before, was this one.
 * Returns the number of findings added or updated, or -errno. */
int correlator_main_process_killed(Correlator *c, const char *unit, const char *invocation_id,
                                   const char *boot_id, uint64_t realtime);

/* One sample of a running unit's main process, from the daemon's /proc sampling. */
typedef struct UnitSample {
        uint64_t realtime; /* µs since the epoch */
        const char *boot_id;
        const char *invocation_id;
        uint64_t fd_count; /* entries of /proc/PID/fd */
        /* Its descriptors by kind, from their links, read only near the limit (see
         * fd_count_near_limit()) and at most a bounded number of them: fd_kinds_read. */
        uint64_t fd_kinds_read;
        uint64_t fd_sockets, fd_pipes, fd_anon_inodes, fd_files, fd_other;
        uint64_t tasks_current; /* pids.current of the unit's cgroup; 0 when not read */
} UnitSample;

/* Feeds one sample of a unit; returns the number of findings added or updated, or -errno. */
int correlator_unit_sample(Correlator *c, const char *unit, const UnitSample *s);
/* Whether fd_count is at 90% or more of the limit the unit's program lives with (the hard
 * LimitNOFILE= for Go 1.19 and later, the soft one for older Go): the daemon reads the kinds
 * of its descriptors then. */
bool fd_count_near_limit(const UnitKnowledge *k, uint64_t fd_count);

typedef struct HostFacts HostFacts;
/* Runs the condition checks of every detector for the unit (Detector.check) at now, and resolves
 * its condition findings that no check reports any more (resolved_by=configuration-fixed); the
 * unit's output is judged against h from then on (correlator_set_host_facts()). Returns the
 * number of findings added, updated or resolved, or -errno. The three steps below, in a row. */
int correlator_check_unit(Correlator *c, const char *unit, const HostFacts *h, uint64_t now);
/* Whether the class is one a detector's check() reports. */
bool correlator_is_condition(FindingClass cls);
/* What the unit's output is judged against (the environment family reads the unit's root); NULL
 * offline. h must stay as it is while the correlator uses it. */
void correlator_set_host_facts(Correlator *c, const HostFacts *h);
const HostFacts *correlator_host_facts(Correlator *c);

/* A condition check run apart from the correlator that holds the findings, so that its file
 * reads (the unit's executable and RootDirectory=, the root's files) can run on another thread
 * (goguardd's loop never waits for a file):
 *   condition_check_new(), on c's thread: copies what the check needs: k (but k->exe, which
 *     must stay as it is until the check is freed) and the unit's open condition findings (the
 *     unit's output some checks read);
 *   condition_check_run(), on any thread: every detector's check() on that copy, with a
 *     correlator and findings of its own; it touches nothing of c. h is read only, and must
 *     not change while it runs;
 *   correlator_apply_check(), on c's thread: reports what the check found to c, as
 *     correlator_check_unit() does, and returns what it returns. */
typedef struct ConditionCheck ConditionCheck;
int condition_check_new(Correlator *c, const char *unit, const UnitKnowledge *k, uint64_t now,
                        ConditionCheck **ret);
int condition_check_run(ConditionCheck *cc, const HostFacts *h);
int correlator_apply_check(Correlator *c, ConditionCheck *cc);
ConditionCheck *condition_check_free(ConditionCheck *cc);
DEFINE_TRIVIAL_CLEANUP_FUNC(ConditionCheck *, condition_check_free);
const char *condition_check_unit(const ConditionCheck *cc);
/* Before the run: it reads the unit's EnvironmentFile= files itself (under h's root, each capped
 * at ENV_FILE_SIZE_MAX; a FIFO or other non-regular file is refused, not waited on), and checks
 * what they say in place of k->environment_files. */
void condition_check_read_env_files(ConditionCheck *cc);
/* After the run, on c's thread: whether it read them, and if so hands over what they set
 * (NULL-ended, or NULL) and "PATH: error" for each that could not be read (or NULL). */
bool condition_check_env_files(ConditionCheck *cc, char ***ret_env, char ***ret_errors);

/* A Go version string's (major, minor), e.g. "go1.21.3" → 1, 21; -EINVAL if unreadable. */
int go_version_parse(const char *v, unsigned *ret_major, unsigned *ret_minor);
