/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The memory family's state and what its two files (detect-memory.c: the Detector and the
 * findings; oom-kill.c: kills put together and tied to their units) share. */

#include "detector.h"
#include "unit-name.h"

/* How far apart the kernel's lines of one kill, and PID 1's report of it, may be. */
#define MERGE_WINDOW_USEC     (5 * 1000000ull)
#define ATTRIBUTE_WINDOW_USEC (3 * 1000000ull)
#define RECENT_MAX            64u
#define PENDING_MAX           32u
#define EXITS_MAX             16u
/* A kill's line may carry a time a little after the exit of the process it killed: the kernel's
 * clock and CLOCK_MONOTONIC drift apart, and journald stamps the line when it reads it. */
#define EXIT_SLACK_USEC       (50 * 1000ull)

/* A kill already turned into an occurrence, to merge the other lines about it. */
typedef struct RecentKill {
        uint32_t pid; /* kernel pid; 0 when PID 1 reported it without one */
        char unit[UNIT_NAME_MAX + 1];
        char finding_id[33];
        char invocation_id[33]; /* of the process killed, "" if not known */
        uint64_t realtime;
        bool claimed; /* PID 1's (or the bus's) word on a main process's SIGKILL exit was this kill */
} RecentKill;

/* A "Killed process" line without a cgroup (its summary was rate-limited away). */
typedef struct PendingKill {
        KernelOomRecord rec;
        char unit[UNIT_NAME_MAX + 1]; /* from the cgroup; "" when only the comm is known */
        bool global;
        uint64_t kernel_limit_kb;
        uint64_t realtime;
        char boot_id[33];
        char cursor[256];
        JournalPosition pos; /* of its line, when that came from the journal */
        bool has_pos;
        /* Only the comm known, and no unit whose executable has that comm died then: the one
         * unit PID 1 said died of SIGKILL right after it (its executable unknown, say it is gone
         * since, or read offline) whose own entries had that comm (how: BY_OWN_COMM), or that
         * logged no comm (BY_TIME), to tie it to when the window closes. Never when two units
         * fit. */
        char cand_unit[UNIT_NAME_MAX + 1];
        char cand_invocation[33];
        char cand_cursor[256];
        uint64_t cand_realtime, cand_monotonic;
        const char *cand_how;
        bool cand_ambiguous;
} PendingKill;

/* A unit's main process that died of SIGKILL (PID 1's message, or the unit's live state on the
 * bus), for a "Killed process" line without a cgroup that is read after it: PID 1's message
 * often reaches the journal before the kernel's line, and the bus before /dev/kmsg. */
typedef struct RecentExit {
        char unit[UNIT_NAME_MAX + 1];
        char invocation_id[33];
        char boot_id[33];
        char cursor[256];
        /* What PID 1 said about it before the kill's line came: evidence for the kill then. */
        char exit_message[512];
        char unit_result[32];
        uint64_t realtime;
        bool live;
        bool attributed; /* a kill was this exit; another word about it adds nothing */
} RecentExit;

/* What the kernel's earlier lines of a kill said, for its later lines: "memory: usage ...,
 * limit ..." precedes the summary; "Task in X killed as a result of limit of Y" (old kernels)
 * precedes "Killed process". One per stream of kernel lines (journal, /dev/kmsg): the daemon
 * reads both, interleaved, and their lines must not mix. */
typedef struct KernelContext {
        uint64_t limit_kb, limit_realtime;
        char *task_in_memcg;
        uint64_t task_in_realtime;
} KernelContext;

typedef struct MemoryDetector {
        Correlator *c;
        FindingStore *store;
        RecentKill recent[RECENT_MAX];
        size_t recent_next;
        PendingKill pending[PENDING_MAX];
        size_t n_pending;
        KernelContext kernel[2]; /* [0] the journal's kernel lines, [1] /dev/kmsg's */
        RecentExit exits[EXITS_MAX];
        size_t exits_next;
        /* Where the last journal record this detector read stands: a kill tied when its window
         * closes is counted there, after the unit's kills counted while it waited. */
        JournalPosition last_pos;
        bool has_last_pos;
} MemoryDetector;

/* How a kill was tied to its unit, for the finding's attributed_by. */
#define BY_CGROUP   "cgroup"  /* the kernel named the unit's cgroup */
#define BY_SYSTEMD  "systemd" /* PID 1 reported the unit's OOM kill (cgroup v2) */
#define BY_COMM     "comm"    /* the unit's executable's comm, and PID 1's or the bus's SIGKILL exit */
#define BY_TIME     "time"    /* the one unit whose SIGKILL exit PID 1 reported right after */
/* That one unit's own journal entries (its output) had the kill's comm (_COMM). */
#define BY_OWN_COMM "own-comm"

/* detect-memory.c: one kill of a unit's process by the kernel or by PID 1's account of it. */
int memory_record_kill(MemoryDetector *d, const char *unit, const JournalRecord *r,
                       const KernelOomRecord *rec, const char *key, const JournalPosition *pos, bool global,
                       uint64_t kernel_limit, const char *how);

/* oom-kill.c */
/* The kill memory_record_kill() just counted, for the lines and the exit that come after. */
void oom_remember_kill(MemoryDetector *d, uint32_t pid, const char *unit, const Finding *f, uint64_t when);
/* A kill counted within MERGE_WINDOW_USEC of when: by kernel pid, else by unit. */
RecentKill *oom_find_kill(MemoryDetector *d, uint32_t pid, const char *unit, uint64_t when);
/* The waiting kill i is r's unit's (r: PID 1's message, or the unit's live state). */
int oom_record_pending(MemoryDetector *d, size_t i, const JournalRecord *r, const char *how);
/* Kills whose window closed by now: tied to their one candidate, or dropped. Pending kills whose
 * PID 1 confirmation never came are not this journal's units (the kernel's ring buffer outlives
 * a container's journal, and a cgroup path outlives a unit). */
int oom_expire_pending(MemoryDetector *d, uint64_t now);
RecentExit *oom_find_exit(MemoryDetector *d, const char *unit, const char *invocation_id);
/* A unit's main process died of SIGKILL (PID 1's message, or live: the bus). */
int oom_note_exit(MemoryDetector *d, const JournalRecord *r, bool live);
/* One of the kernel's lines, from the journal or /dev/kmsg. */
int oom_feed_kernel(MemoryDetector *d, const JournalRecord *r);
/* r was read: remembers where it stands in the journal. */
void oom_note_position(MemoryDetector *d, const JournalRecord *r);
