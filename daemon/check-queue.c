/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>

#include "check-queue.h"
#include "hashmap.h"
#include "log.h"

/* A unit waiting for its check, in the order asked. */
typedef struct Waiting {
        char *unit;
        struct Waiting *prev, *next;
} Waiting;

/* The check on the thread. run() reads only cc, the GoExe exe holds and the host facts. */
typedef struct Running {
        InspectorTask task;
        CheckQueue *q; /* NULL once the queue is gone */
        ConditionCheck *cc;
        ExeEntry *exe;
        const HostFacts *h;
        int result;
        bool dropped; /* its unit was forgotten meanwhile */
} Running;

struct CheckQueue {
        ExeInspector *inspector;
        const HostFacts *h;
        CheckQueuePrepare prepare;
        CheckQueueApply apply;
        void *userdata;
        Hashmap *waiting; /* unit → Waiting */
        Waiting *head, *tail;
        Running *running;
        bool held;
};

static void waiting_unlink(CheckQueue *q, Waiting *w) {
        hashmap_remove(q->waiting, w->unit);
        if (w->prev)
                w->prev->next = w->next;
        else
                q->head = w->next;
        if (w->next)
                w->next->prev = w->prev;
        else
                q->tail = w->prev;
}

static Waiting *waiting_free(Waiting *w) {
        if (w)
                free(w->unit);
        return mfree(w);
}
DEFINE_TRIVIAL_CLEANUP_FUNC(Waiting *, waiting_free);

static void running_free(Running *j) {
        condition_check_free(j->cc);
        exe_entry_unref(j->exe);
        free(j);
}

static void running_run(InspectorTask *t) {
        Running *j = (Running *) t;
        j->result = condition_check_run(j->cc, j->h);
}

static void dispatch(CheckQueue *q);

static void running_done(InspectorTask *t, bool ran) {
        Running *j = (Running *) t;
        CheckQueue *q = j->q;
        if (q) {
                q->running = NULL; /* before apply(), which may ask for checks again */
                /* Not ran: the inspector is being freed, and the queue with it. */
                if (ran && !j->dropped)
                        q->apply(q->userdata, j->cc, j->result);
        }
        running_free(j);
        if (q && ran)
                dispatch(q);
}

/* Starts the first waiting check, if none runs. */
static void dispatch(CheckQueue *q) {
        while (!q->running && !q->held && q->head) {
                _cleanup_(waiting_freep) Waiting *w = q->head;
                const char *name = w->unit;
                ConditionCheck *cc = NULL;
                ExeEntry *exe = NULL;
                waiting_unlink(q, w);

                int r = q->prepare(q->userdata, name, &cc, &exe);
                if (r < 0) {
                        log_warning_errno(r, "Failed to prepare the check of %s, ignoring: %m", name);
                        continue;
                }
                if (!cc)
                        continue;
                Running *j = calloc(1, sizeof *j);
                if (!j) {
                        log_warning_errno(ENOMEM, "Failed to check %s, ignoring: %m", name);
                        condition_check_free(cc);
                        exe_entry_unref(exe);
                        continue;
                }
                *j = (Running){
                        .task = { .run = running_run, .done = running_done },
                        .q = q,
                        .cc = cc,
                        .exe = exe,
                        .h = q->h,
                };
                q->running = j;
                exe_inspector_submit(q->inspector, &j->task);
        }
}

int check_queue_new(ExeInspector *x, const HostFacts *h, CheckQueuePrepare prepare, CheckQueueApply apply,
                    void *userdata, CheckQueue **ret) {
        _cleanup_(check_queue_freep) CheckQueue *q = calloc(1, sizeof *q);
        if (!q)
                return -ENOMEM;
        *q = (CheckQueue){
                .inspector = x,
                .h = h,
                .prepare = prepare,
                .apply = apply,
                .userdata = userdata,
        };
        int r = hashmap_new(&q->waiting);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(q);
        return 0;
}

CheckQueue *check_queue_free(CheckQueue *q) {
        if (!q)
                return NULL;
        while (q->head) {
                Waiting *w = q->head;
                waiting_unlink(q, w);
                waiting_free(w);
        }
        /* The inspector owns a check still queued there; its result finds no queue. */
        if (q->running)
                q->running->q = NULL;
        hashmap_free(q->waiting);
        return mfree(q);
}

int check_queue_add(CheckQueue *q, const char *unit) {
        if (hashmap_get(q->waiting, unit))
                return 0; /* it waits already: its check will read what is known then */
        if (hashmap_size(q->waiting) >= CHECK_QUEUE_MAX)
                return -E2BIG;
        Waiting *w = calloc(1, sizeof *w);
        if (!w)
                return -ENOMEM;
        w->unit = strdup(unit);
        int r = w->unit ? hashmap_put(q->waiting, w->unit, w) : -ENOMEM;
        if (r < 0) {
                free(w->unit);
                free(w);
                return r;
        }
        w->prev = q->tail;
        if (q->tail)
                q->tail->next = w;
        else
                q->head = w;
        q->tail = w;
        dispatch(q);
        return 0;
}

void check_queue_forget(CheckQueue *q, const char *unit) {
        Waiting *w = hashmap_get(q->waiting, unit);
        if (w) {
                waiting_unlink(q, w);
                waiting_free(w);
        }
        if (q->running && streq(condition_check_unit(q->running->cc), unit))
                q->running->dropped = true;
}

void check_queue_hold(CheckQueue *q, bool hold) {
        q->held = hold;
        dispatch(q);
}

bool check_queue_running(const CheckQueue *q) {
        return q->running;
}

unsigned check_queue_waiting(const CheckQueue *q) {
        return (unsigned) hashmap_size(q->waiting) + !!q->running;
}
