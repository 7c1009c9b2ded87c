/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <systemd/sd-event.h>

#include "exe-cache.h"
#include "macro.h"

/* Inspects executables off the event loop: a file on a slow or hung file system must not stop
 * goguardd from answering the bus. A cache miss queues the open file for a worker thread and
 * answers -EINPROGRESS; the result goes into the cache from the loop, which then calls
 * on_done so the units waiting for it are looked at again. */

#define EXE_INSPECTOR_QUEUE_MAX 1024u

typedef struct ExeInspector ExeInspector;
typedef void (*ExeInspectorDone)(void *userdata);

/* Other file reads for the same thread (the condition checks, check-queue.c), in order with the
 * inspections: run() there, then done() on the loop. A task owns what run() reads, and shares
 * nothing with the loop while it runs. When the inspector is freed first, done() is called with
 * ran false: drop the task. */
typedef struct InspectorTask InspectorTask;
struct InspectorTask {
        void (*run)(InspectorTask *t);
        void (*done)(InspectorTask *t, bool ran);
        InspectorTask *next;
};

int exe_inspector_new(ExeCache *cache, sd_event *event, ExeInspectorDone on_done, void *userdata,
                      ExeInspector **ret);
ExeInspector *exe_inspector_free(ExeInspector *x);
DEFINE_TRIVIAL_CLEANUP_FUNC(ExeInspector *, exe_inspector_free);

/* The cached result for this file (a new reference), or -EINPROGRESS when it is being inspected
 * now, -EAGAIN when the queue is full (try again later), -errno when the file is unusable. */
int exe_inspector_lookup_fd(ExeInspector *x, int fd, ExeEntry **ret);
/* Inspections queued or running; whether the file of this cache key is one of them. */
unsigned exe_inspector_pending(const ExeInspector *x);
bool exe_inspector_is_pending(const ExeInspector *x, const char *key);
/* Queues t for the thread; the caller bounds how many it queues. */
void exe_inspector_submit(ExeInspector *x, InspectorTask *t);
