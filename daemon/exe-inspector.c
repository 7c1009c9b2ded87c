/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <fcntl.h>
#include <pthread.h>
#include <string.h>
#include <sys/eventfd.h>

#include "exe-inspector.h"
#include "hashmap.h"
#include "log.h"
#include "time-util.h"

/* An inspection: a task of its own kind. */
typedef struct Job {
        InspectorTask task;
        ExeInspector *x;
        int fd;
        char key[96];
        GoExe *exe;
        int error;
} Job;

struct ExeInspector {
        ExeCache *cache;
        ExeInspectorDone on_done;
        void *userdata;
        sd_event_source *source;
        int efd;

        pthread_t thread;
        bool thread_started;
        pthread_mutex_t lock;
        pthread_cond_t cond;
        /* Under lock: */
        InspectorTask *todo_head, *todo_tail, *done;
        bool stop;
        /* The loop's own: an inspection finished in this batch of results. */
        bool inspected;

        /* The loop's own: what is queued or running, by file identity. */
        Hashmap *pending;
};

static void job_free(Job *j) {
        if (!j)
                return;
        if (j->fd >= 0)
                close(j->fd);
        go_exe_free(j->exe);
        free(j);
}

static uint64_t monotonic_usec(void) {
        return now_usec(CLOCK_MONOTONIC);
}

static void job_run(InspectorTask *t) {
        /* Bounded whatever the file claims; a file that ran out of budget is cached as failed
         * for its identity, so it is not read again. */
        static const ElfBudget budget = {
                .bytes = ELF_BUDGET_BYTES_DEFAULT,
                .usec = ELF_BUDGET_USEC_DEFAULT,
                .now = monotonic_usec,
        };
        Job *j = (Job *) t;
        /* lib/ is pure and this GoExe is the worker's alone until it is handed back. */
        int r = go_exe_inspect_fd(j->fd, GO_EXE_ALL_FACTS, &budget, &j->exe);
        j->error = r < 0 ? r : 0;
        close(j->fd);
        j->fd = -EBADF;
}

static void job_done(InspectorTask *t, bool ran) {
        Job *j = (Job *) t;
        ExeInspector *x = j->x;
        hashmap_remove(x->pending, j->key);
        if (ran) {
                int r = exe_cache_insert(x->cache, j->key, j->error < 0 ? NULL : TAKE_PTR(j->exe), j->error,
                                         NULL);
                if (r < 0)
                        log_warning_errno(r, "Failed to cache an inspection result, ignoring: %m");
                x->inspected = true;
        }
        job_free(j);
}

static void *worker(void *userdata) {
        ExeInspector *x = userdata;
        for (;;) {
                pthread_mutex_lock(&x->lock);
                while (!x->stop && !x->todo_head)
                        pthread_cond_wait(&x->cond, &x->lock);
                if (x->stop) {
                        pthread_mutex_unlock(&x->lock);
                        return NULL;
                }
                InspectorTask *t = x->todo_head;
                x->todo_head = t->next;
                if (!x->todo_head)
                        x->todo_tail = NULL;
                pthread_mutex_unlock(&x->lock);

                t->run(t);

                pthread_mutex_lock(&x->lock);
                t->next = x->done;
                x->done = t;
                pthread_mutex_unlock(&x->lock);
                uint64_t one = 1;
                (void) !write(x->efd, &one, sizeof one);
        }
}

static int on_results(sd_event_source *s, int fd, uint32_t revents, void *userdata) {
        ExeInspector *x = userdata;
        uint64_t n;
        (void) !read(x->efd, &n, sizeof n);

        pthread_mutex_lock(&x->lock);
        InspectorTask *done = x->done;
        x->done = NULL;
        pthread_mutex_unlock(&x->lock);

        x->inspected = false;
        while (done) {
                InspectorTask *t = done;
                done = t->next;
                t->done(t, true);
        }
        if (x->inspected && x->on_done)
                x->on_done(x->userdata);
        return 0;
}

int exe_inspector_new(ExeCache *cache, sd_event *event, ExeInspectorDone on_done, void *userdata,
                      ExeInspector **ret) {
        _cleanup_(exe_inspector_freep) ExeInspector *x = calloc(1, sizeof *x);
        int r;

        if (!x)
                return -ENOMEM;
        x->cache = cache;
        x->on_done = on_done;
        x->userdata = userdata;
        x->efd = -EBADF;
        pthread_mutex_init(&x->lock, NULL);
        pthread_cond_init(&x->cond, NULL);
        r = hashmap_new(&x->pending);
        if (r < 0)
                return r;
        x->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
        if (x->efd < 0)
                return -errno;
        r = sd_event_add_io(event, &x->source, x->efd, EPOLLIN, on_results, x);
        if (r < 0)
                return r;
        /* libelf's global state before the thread uses it. */
        r = elf_file_library_init();
        if (r < 0)
                return r;
        r = -pthread_create(&x->thread, NULL, worker, x);
        if (r < 0)
                return r;
        x->thread_started = true;
        *ret = TAKE_PTR(x);
        return 0;
}

ExeInspector *exe_inspector_free(ExeInspector *x) {
        if (!x)
                return NULL;
        if (x->thread_started) {
                pthread_mutex_lock(&x->lock);
                x->stop = true;
                pthread_cond_signal(&x->cond);
                pthread_mutex_unlock(&x->lock);
                /* A worker stuck on a hung file system would hold up the exit; it has nothing of
                 * ours that matters then. */
                pthread_join(x->thread, NULL);
        }
        for (InspectorTask *t = x->todo_head, *next; t; t = next) {
                next = t->next;
                t->done(t, false);
        }
        for (InspectorTask *t = x->done, *next; t; t = next) {
                next = t->next;
                t->done(t, false);
        }
        hashmap_free(x->pending);
        sd_event_source_disable_unref(x->source);
        if (x->efd >= 0)
                close(x->efd);
        pthread_cond_destroy(&x->cond);
        pthread_mutex_destroy(&x->lock);
        return mfree(x);
}

unsigned exe_inspector_pending(const ExeInspector *x) {
        return (unsigned) hashmap_size(x->pending);
}

bool exe_inspector_is_pending(const ExeInspector *x, const char *key) {
        return hashmap_get(x->pending, key) != NULL;
}

int exe_inspector_lookup_fd(ExeInspector *x, int fd, ExeEntry **ret) {
        char key[96];
        int r = exe_cache_key_fd(fd, key);
        if (r < 0)
                return r;
        ExeEntry *e = exe_cache_find(x->cache, key);
        if (e) {
                *ret = e;
                return 0;
        }
        if (hashmap_get(x->pending, key))
                return -EINPROGRESS;
        if (hashmap_size(x->pending) >= EXE_INSPECTOR_QUEUE_MAX)
                return -EAGAIN;

        Job *j = calloc(1, sizeof *j);
        if (!j)
                return -ENOMEM;
        j->task = (InspectorTask){ .run = job_run, .done = job_done };
        j->x = x;
        memcpy(j->key, key, sizeof key);
        j->fd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
        if (j->fd < 0) {
                r = -errno;
                free(j);
                return r;
        }
        r = hashmap_put(x->pending, j->key, j);
        if (r < 0) {
                job_free(j);
                return r;
        }
        exe_inspector_submit(x, &j->task);
        return -EINPROGRESS;
}

void exe_inspector_submit(ExeInspector *x, InspectorTask *t) {
        t->next = NULL;
        pthread_mutex_lock(&x->lock);
        if (x->todo_tail)
                x->todo_tail->next = t;
        else
                x->todo_head = t;
        x->todo_tail = t;
        pthread_cond_signal(&x->cond);
        pthread_mutex_unlock(&x->lock);
}
