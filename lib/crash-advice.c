/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdio.h>
#include <string.h>

#include "crash-advice.h"

/* The fix for the runtime's fatal errors that have one (src/runtime/map*.go, proc.go checkdead,
 * stack.go newstack, signal_unix.go sigpanic). */
static const char *fatal_fix(const GoCrash *c) {
        const char *m = c->message;
        if (strstr(m, "concurrent map"))
                return "Goroutines used one map at the same time without a lock: guard the map with a "
                       "sync.Mutex or sync.RWMutex, or use sync.Map. A build with -race (go test -race, "
                       "go build -race) names the goroutines that race.";
        if (strstr(m, "all goroutines are asleep"))
                return "Every goroutine waits for another (a channel nobody sends on, a lock never "
                       "released, a WaitGroup never done): the runtime stops a program that can never "
                       "go on. The trace shows where each goroutine waits.";
        if (strstr(m, "stack overflow"))
                return "A goroutine's stack passed its limit (1 GB on 64-bit): unbounded recursion. The "
                       "trace's first frames repeat the recursive call.";
        if (streq(c->signal, "SIGABRT") || streq(c->signal, "SIGQUIT"))
                return "The process was sent SIGABRT or SIGQUIT (systemd's watchdog, an operator's kill, "
                       "GOTRACEBACK=crash, or C code's abort()): the Go runtime printed its goroutines and "
                       "exited. The unit's journal says who sent it.";
        if (c->signal || c->kind == GO_CRASH_FATAL_SIGNAL)
                return "A memory fault the runtime cannot turn into a panic: an unsafe pointer, C code "
                       "called through cgo, or memory corrupted by a data race. The signal's addr is "
                       "the address read or written, pc the instruction.";
        return "The Go runtime stopped the program: no recover() can catch a fatal error. The trace "
               "shows where.";
}

/* What the setting leaves out of a crash's trace (src/runtime/extern.go, GOTRACEBACK). */
static const char *traceback_hides(const char *tb) {
        if (!tb || streq(tb, "single") || streq(tb, ""))
                return "GOTRACEBACK is Go's default, single: a panic prints only the panicking "
                       "goroutine, and no goroutine's runtime frames.";
        if (streq(tb, "none") || streq(tb, "0"))
                return "GOTRACEBACK=none: a crash prints no goroutine at all, only its message.";
        if (streq(tb, "all") || streq(tb, "1"))
                return "GOTRACEBACK=all: every goroutine is printed, without the runtime's frames.";
        if (streq(tb, "system") || streq(tb, "2"))
                return "GOTRACEBACK=system: every goroutine with the runtime's frames.";
        if (streq(tb, "crash"))
                return "GOTRACEBACK=crash: every goroutine, then SIGABRT for a core dump "
                       "(coredumpctl shows it).";
        return NULL;
}

void crash_advice(Finding *f, const GoCrash *c, const GoCrashFrame *frame, const GoModule *module,
                  const char *unit, const char *invocation_id, const char *gotraceback) {
        char text[1400], where[700] = "";
        if (frame)
                snprintf(where, sizeof where, " in %s (%s:%u)", frame->function, frame->file ?: "?",
                         frame->line);
        if (c->kind == GO_CRASH_PANIC) {
                char mod[400] = "";
                if (module && module->path && module->version && module->version[0] != '(')
                        snprintf(mod, sizeof mod,
                                 " The function belongs to the dependency %s %s: look for a fix in a "
                                 "newer version (go list -m -u %s), or report it there.",
                                 module->path, module->version, module->path);
                snprintf(text, sizeof text,
                         "The program panicked%s and nothing recovered it, so it exited with status 2.%s "
                         "Fix the cause the panic value names, or recover() in the goroutine where "
                         "it can be handled.",
                         where, mod);
        } else
                snprintf(text, sizeof text, "%s%s%s", fatal_fix(c), where[0] ? " It happened" : "", where);
        (void) finding_add_advice(f, ADVICE_TEXT, text, NULL);

        char cmd[512];
        snprintf(cmd, sizeof cmd, "journalctl -u '%s' _SYSTEMD_INVOCATION_ID=%s -o cat", unit,
                 invocation_id && invocation_id[0] ? invocation_id : "<invocation>");
        (void) finding_add_advice(f, ADVICE_COMMAND, "The whole trace, as the program printed it:", cmd);

        const char *hides = traceback_hides(gotraceback);
        if (hides && (!gotraceback || (!streq(gotraceback, "all") && !streq(gotraceback, "system") &&
                                       !streq(gotraceback, "crash") && !streq(gotraceback, "1") &&
                                       !streq(gotraceback, "2")))) {
                snprintf(text, sizeof text, "%s Set it to all to see every goroutine at the next crash.",
                         hides);
                (void) finding_add_advice(f, ADVICE_DROPIN, text,
                                          "[Service]\nEnvironment=GOTRACEBACK=all\n");
        } else if (hides)
                (void) finding_add_advice(f, ADVICE_TEXT, hides, NULL);
}
