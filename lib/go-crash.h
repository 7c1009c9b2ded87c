/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "go-modinfo.h"
#include "macro.h"
#include "strbuf.h"

/* Go crash records assembled from a unit's output. The runtime writes a panic or a fatal error
 * raw to fd 2, one line per write (src/runtime/panic.go, traceback.go), so the journal holds one
 * entry per line, or several lines in one entry when a logger wrote them at once. A
 * GoCrashStream takes one (unit, invocation, stream)'s lines in order and turns each trace into
 * one capped GoCrash: what happened (the panic value, the fatal error, the fatal signal), the
 * panicking goroutine and its first frames, and the trace's text. A trace ends at a line that is
 * not part of one, at the next trace's first line, or when the caller flushes it (the process
 * exited, a new invocation began, the stream went quiet). */

#define GO_CRASH_FRAMES_MAX    16u        /* frames kept of the panicking goroutine */
#define GO_CRASH_TEXT_MAX      3072u      /* bytes of the trace's text kept */
#define GO_CRASH_VALUE_MAX     1024u      /* bytes of a panic value or fatal message */
#define GO_CRASH_FIELD_MAX     512u       /* any other field: a function, a file, a line */
#define GO_CRASH_PREAMBLE_USEC 1000000ull /* "runtime: ..." this close before a fatal error */

typedef enum GoCrashKind {
        GO_CRASH_PANIC,        /* panic: VALUE */
        GO_CRASH_FATAL_ERROR,  /* fatal error: MESSAGE (throw, fatal) */
        GO_CRASH_FATAL_SIGNAL, /* SIGSEGV: segmentation violation (a signal outside Go code) */
        _GO_CRASH_KIND_MAX,
} GoCrashKind;

/* Why a trace was closed. */
typedef enum GoCrashEnd {
        GO_CRASH_END_LINE,       /* a line that is not part of a trace */
        GO_CRASH_END_NEXT,       /* the first line of another trace */
        GO_CRASH_END_EXIT,       /* the process exited (PID 1 said so) */
        GO_CRASH_END_INVOCATION, /* a new invocation of the unit began */
        GO_CRASH_END_QUIET,      /* no line came for a while */
        GO_CRASH_END_EVICTED,    /* the caller needed the room for another stream */
        GO_CRASH_END_INPUT,      /* the input ended */
        _GO_CRASH_END_MAX,
} GoCrashEnd;

typedef struct GoCrashFrame {
        char *function; /* "example.com/lib.(*T).Do", without the arguments */
        char *file;     /* NULL until (unless) its "\tFILE:LINE +0xOFF" line came */
        unsigned line;
} GoCrashFrame;

typedef struct GoCrash {
        GoCrashKind kind;
        char *message;     /* the panic value (the last of a chain), the fatal message, the signal line */
        unsigned n_panics; /* panic: lines: more than one is a chain of panics while panicking */
        bool recovered;    /* a panic of the chain was recovered, then another came */
        char *first_value; /* the chain's first panic value, when there is a chain */
        char *detail;      /* the runtime's line before a fatal error ("unexpected fault address 0x1") */
        char *signal;      /* "SIGSEGV", from "[signal ...]" or a fatal signal's header */
        char *signal_code, *signal_addr, *signal_pc;
        bool have_goroutine;
        uint64_t goroutine; /* the first goroutine printed: the panicking one */
        char *goroutine_state;
        GoCrashFrame frames[GO_CRASH_FRAMES_MAX];
        size_t n_frames;       /* kept */
        uint64_t frames_total; /* of the panicking goroutine, kept or not */
        bool frames_elided;    /* Go itself left frames out ("...additional frames elided...") */
        char *created_by;
        uint64_t n_goroutines;
        StrBuf text; /* the lines, at most GO_CRASH_TEXT_MAX bytes of them */
        uint64_t lines, lines_dropped;
        GoCrashEnd end;
        uint64_t first_at, last_at; /* µs, of the first and the last line */
} GoCrash;

GoCrash *go_crash_free(GoCrash *c);
DEFINE_TRIVIAL_CLEANUP_FUNC(GoCrash *, go_crash_free);

const char *go_crash_kind_to_string(GoCrashKind k) _pure_;
const char *go_crash_end_to_string(GoCrashEnd e) _pure_;
/* Whether the trace came whole: its header, the panicking goroutine and a frame with its file,
 * and it ended as a trace ends (not cut by a new invocation or for room). */
bool go_crash_is_complete(const GoCrash *c) _pure_;
/* The first frame of the panicking goroutine that is not the runtime's, or NULL. */
const GoCrashFrame *go_crash_first_user_frame(const GoCrash *c) _pure_;

/* Whether a function (as a trace names it) belongs to the runtime: the packages runtime,
 * internal/runtime/... and runtime/internal/..., and the builtin panic. */
bool go_function_is_runtime(const char *function) _pure_;
/* The package path of a function name ("example.com/lib/sub.(*T).Do" → "example.com/lib/sub"),
 * with Go's %2e escape of dots in the last element undone; -EINVAL when there is none. */
int go_function_package(const char *function, char **ret);
/* The module a package belongs to: the longest module path among the main module and the
 * dependencies that is the package's path or a prefix of it at a '/'; the package "main" is the
 * main module's. NULL when none is. */
const GoModule *go_modinfo_module_of(const GoModInfo *mi, const char *package);

/* Whether a line of a unit's output may be part of a trace: lets a reader skip the rest. Looks
 * at the first line of a multi-line message only, and at its first bytes and last byte. */
bool go_crash_line_wanted(const char *msg, size_t len) _pure_;

typedef int (*GoCrashDone)(void *userdata, GoCrash *c); /* takes c */

typedef enum GoCrashState {
        GO_CRASH_STATE_HEADER,    /* the header lines, before the first goroutine */
        GO_CRASH_STATE_PANICKING, /* the panicking goroutine's frames */
        GO_CRASH_STATE_OTHERS,    /* the other goroutines, registers, the rest */
} GoCrashState;

typedef struct GoCrashStream {
        GoCrash *open; /* NULL when no trace is open */
        GoCrashState state;
        bool file_for_frame; /* the next "\tFILE:LINE" line is the last kept frame's */
        char *preamble;      /* the last "runtime: ..." line, for the fatal error after it */
        uint64_t preamble_at;
} GoCrashStream;

void go_crash_stream_done(GoCrashStream *s);
/* Feeds one journal entry's message (len bytes, one or more lines) that came at when. Every
 * trace it closes is handed to done, which takes it. Returns the number handed over, or the
 * first -errno (of done, or -ENOMEM). */
int go_crash_stream_feed(GoCrashStream *s, const char *msg, size_t len, uint64_t when, GoCrashDone done,
                         void *userdata);
/* Closes the open trace, if any, for the reason given: 1 when one was handed to done. */
int go_crash_stream_flush(GoCrashStream *s, GoCrashEnd end, GoCrashDone done, void *userdata);
