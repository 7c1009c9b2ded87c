/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>

#include "correlate.h"
#include "exe-cache.h"
#include "exe-inspector.h"
#include "host-facts.h"
#include "macro.h"

/* The condition checks of units, off the event loop: a check stats and opens files of the
 * unit's executable and its root (ld.so.cache lookups, the interpreter, TLS roots, zone files,
 * SELinux labels), and a file on a slow or hung file system must not stop goguardd from
 * answering the bus. One check runs at a time, on the inspector's thread, on a copy of what it
 * reads (ConditionCheck), made on the loop when the unit's turn comes: a unit asked for again
 * while it waits is checked once, with what is known of it then. Its result is applied on the
 * loop; the result of a unit forgotten (gone) meanwhile is dropped. At most one check waits per
 * unit, and at most CHECK_QUEUE_MAX wait. */

#define CHECK_QUEUE_MAX 65536u /* MANAGER_UNITS_MAX: every unit goguardd watches may wait */

typedef struct CheckQueue CheckQueue;

/* On the loop, when the unit's turn comes: the check to run (condition_check_new()) and a
 * reference to the entry whose GoExe it reads (or NULL), or 0 with *ret NULL when there is
 * nothing to check (the unit is no Go unit any more). */
typedef int (*CheckQueuePrepare)(void *userdata, const char *unit, ConditionCheck **ret, ExeEntry **ret_exe);
/* On the loop: the check ran (r: condition_check_run()'s return); apply it to the findings. */
typedef void (*CheckQueueApply)(void *userdata, ConditionCheck *cc, int r);

/* The checks read h: it must not change while one runs (check_queue_hold()). */
int check_queue_new(ExeInspector *x, const HostFacts *h, CheckQueuePrepare prepare, CheckQueueApply apply,
                    void *userdata, CheckQueue **ret);
/* Frees what waits; a check running then must have been dropped by freeing the inspector first. */
CheckQueue *check_queue_free(CheckQueue *q);
DEFINE_TRIVIAL_CLEANUP_FUNC(CheckQueue *, check_queue_free);

/* Asks for a check of the unit; 0, or -E2BIG when the queue is full, -ENOMEM. */
int check_queue_add(CheckQueue *q, const char *unit);
/* The unit is gone: its waiting check is dropped, and so is the result of one running. */
void check_queue_forget(CheckQueue *q, const char *unit);
/* Held, no new check starts (the host facts are about to change); released, they start again. */
void check_queue_hold(CheckQueue *q, bool hold);
bool check_queue_running(const CheckQueue *q);
/* Checks waiting, and running. */
unsigned check_queue_waiting(const CheckQueue *q);
