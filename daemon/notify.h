/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <systemd/sd-event.h>

#include "macro.h"

/* The service manager's notification protocol (READY=1, WATCHDOG=1, STATUS=), never blocking
 * the loop. sd_notify() and sd-event's own watchdog send on a blocking socket: while PID 1 is
 * too busy to read its notification socket (thousands of units starting at once: journald
 * hands it every new stream's fd there), the send waits for it, and every bus caller with it.
 * Here a full queue leaves the message pending and a timer tries again. Without
 * $NOTIFY_SOCKET every call does nothing. */

typedef struct Notifier Notifier;

/* Also keeps the watchdog fed when $WATCHDOG_USEC asks for it, from a timer on e. */
int notifier_new(sd_event *e, Notifier **ret);
Notifier *notifier_free(Notifier *n);
DEFINE_TRIVIAL_CLEANUP_FUNC(Notifier *, notifier_free);

/* READY=1 with a status line: sent now, or as soon as the manager takes it. */
int notifier_ready(Notifier *n, const char *status);
/* STOPPING=1 with a status line, now or never: the loop has ended. */
void notifier_stopping(Notifier *n, const char *status);
/* Whether a message is still waiting for the manager (for the tests). */
bool notifier_pending(const Notifier *n);
