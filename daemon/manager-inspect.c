/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* InspectUnitExecutable past its argument checks. It never reads the file on the loop: it
 * answers from the cache, or queues the file on the inspector thread and answers when its
 * result arrives, so other callers are answered meanwhile. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "bus-util.h"
#include "go-exe-json.h"
#include "log.h"
#include "manager.h"
#include "watched-unit.h"

#define EXECUTABLE_UNAVAILABLE "org.goguard.goguard1.Error.ExecutableUnavailable"
#define INSPECT_JSON_MAX       (16u * 1024u * 1024u)
#define INSPECT_CALLS_MAX      64u /* calls waiting for the inspector; more are refused at once */

struct InspectCall {
        sd_bus_message *call;
        char *unit;
        char *path; /* the unit's executable path when asked, for the document; may be NULL */
        char key[96];
        /* Build settings can carry secrets (go-modinfo.h): in full only for a caller who could
         * read the file itself, decided when it asked, on the file opened for it. */
        bool show_secrets;
        InspectCall *next;
};

static InspectCall *inspect_call_free(InspectCall *c) {
        sd_bus_message_unref(c->call);
        free(c->unit);
        free(c->path);
        return mfree(c);
}

/* Sends the answer for a cached result: the document, or why there is none. */
static int reply_inspection(sd_bus_message *call, const char *unit, const char *path, const ExeEntry *e,
                            bool show_secrets) {
        if (!e || !e->exe) {
                const char *why = !e ? "the inspection result was dropped, try again"
                                     : go_exe_error_to_string(e->error) ?: strerror(-e->error);
                return sd_bus_reply_method_errorf(call, EXECUTABLE_UNAVAILABLE,
                                                  "The executable of %s cannot be inspected: %s.", unit,
                                                  why);
        }

        StrBuf b = {};
        JsonWriter w = { .out = &b, .pretty = true };
        json_begin_object(&w);
        json_key(&w, "path");
        json_string(&w, path);
        json_key(&w, "error");
        json_null(&w);
        go_exe_to_json(e->exe, show_secrets, &w);
        json_end_object(&w);
        strbuf_append_char(&b, '\n');
        if (strbuf_error(&b) < 0 || b.len > INSPECT_JSON_MAX) {
                strbuf_done(&b);
                return -ENOMEM;
        }

        /* A sealed memfd: the caller reads the whole document, and nobody can change it. */
        _cleanup_close_ int fd = memfd_create("goguard-inspect", MFD_CLOEXEC | MFD_ALLOW_SEALING);
        if (fd < 0 || write(fd, b.data, b.len) != (ssize_t) b.len ||
            fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL) < 0 ||
            lseek(fd, 0, SEEK_SET) < 0) {
                int r = -errno;
                strbuf_done(&b);
                return r;
        }
        strbuf_done(&b);
        return sd_bus_reply_method_return(call, "h", fd);
}

/* Opens the file to inspect: the unit's executable, or while it runs its main process's (the
 * ExecStart= file may be gone, or a FIFO now). Opening and fstat() read nothing of the file. */
static int open_unit_executable(Manager *m, WatchedUnit *u, char key[static 96]) {
        if (u->exe_path) {
                _cleanup_close_ int fd = open(u->exe_path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
                if (fd >= 0 && exe_cache_key_fd(fd, key) >= 0)
                        return TAKE_FD(fd);
        }
        if (!watched_unit_is_running(u))
                return -ENOENT;
        char link[64];
        snprintf(link, sizeof link, "%s/%u/exe", m->proc_root, u->settings.main_pid);
        _cleanup_close_ int fd = open(link, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
        if (fd < 0)
                return -errno;
        int r = exe_cache_key_fd(fd, key);
        if (r < 0)
                return r;
        return TAKE_FD(fd);
}

int manager_inspect_unit_executable(Manager *m, WatchedUnit *u, sd_bus_message *call, sd_bus_error *error) {
        const char *name = u->name;
        ExeEntry *e = NULL;
        char key[96];
        int r;

        _cleanup_close_ int fd = open_unit_executable(m, u, key);
        struct stat st;
        if (fd < 0 || fstat(fd, &st) < 0)
                return sd_bus_error_setf(error, EXECUTABLE_UNAVAILABLE,
                                         "The executable of %s cannot be read now.", name);
        bool show_secrets = bus_caller_may_read(call, &st) > 0;

        /* A result for this file identity, good or failed, is the answer: a file that failed is
         * not read again. */
        r = exe_inspector_lookup_fd(m->inspector, fd, &e);
        if (r >= 0) {
                r = reply_inspection(call, name, u->exe_path, e, show_secrets);
                exe_entry_unref(e);
                return r;
        }
        if (r == -EINPROGRESS && m->n_inspect_calls < INSPECT_CALLS_MAX) {
                InspectCall *c = calloc(1, sizeof *c);
                if (!c)
                        return -ENOMEM;
                c->call = sd_bus_message_ref(call);
                c->unit = strdup(name);
                c->path = u->exe_path ? strdup(u->exe_path) : NULL;
                memcpy(c->key, key, sizeof key);
                c->show_secrets = show_secrets;
                if (!c->unit || (u->exe_path && !c->path)) {
                        inspect_call_free(c);
                        return -ENOMEM;
                }
                c->next = m->inspect_calls;
                m->inspect_calls = c;
                m->n_inspect_calls++;
                return 1; /* answered by manager_inspect_done() */
        }
        return sd_bus_error_setf(
                error, EXECUTABLE_UNAVAILABLE, "The executable of %s cannot be inspected now: %s.", name,
                r == -EINPROGRESS || r == -EAGAIN ? "too many inspections pending, try again"
                                                  : strerror(-r));
}

void manager_inspect_done(Manager *m) {
        for (InspectCall **p = &m->inspect_calls; *p;) {
                InspectCall *c = *p;
                ExeEntry *e = exe_cache_find(m->exe_cache, c->key);
                /* Not cached and no longer queued: the cache dropped it; say so rather than wait. */
                if (!e && exe_inspector_is_pending(m->inspector, c->key)) {
                        p = &c->next;
                        continue;
                }
                int r = reply_inspection(c->call, c->unit, c->path, e, c->show_secrets);
                if (r < 0)
                        log_warning_errno(r, "Failed to answer InspectUnitExecutable of %s, ignoring: %m",
                                          c->unit);
                exe_entry_unref(e);
                *p = c->next;
                m->n_inspect_calls--;
                inspect_call_free(c);
        }
}

void manager_inspect_calls_free(Manager *m) {
        while (m->inspect_calls) {
                InspectCall *c = m->inspect_calls;
                m->inspect_calls = c->next;
                inspect_call_free(c);
        }
        m->n_inspect_calls = 0;
}
