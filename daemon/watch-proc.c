/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* /proc and the cgroup file system as a source: the live environment of a Go unit's main
 * process, its open fd count and its task count, and the host's kernel.threads-max. Sampling runs only while
 * at least one Go unit runs, so an idle host costs nothing but the watchdog. */
#include <dirent.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>

#include "go-env.h"
#include "log.h"
#include "manager.h"
#include "net-stack.h"
#include "strv.h"
#include "time-util.h"
#include "watched-unit.h"

#define DENTS_BUF         16384u
#define FD_COUNT_MAX      (16u * 1024u * 1024u)
#define SAMPLE_SLICE_USEC 2000u

/* Counts the entries of /proc/PID/fd without stat()ing any of them. */
static int count_fds(const char *proc_root, uint32_t pid, uint32_t *ret) {
        char path[64];
        snprintf(path, sizeof path, "%s/%u/fd", proc_root, pid);
        _cleanup_close_ int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        _cleanup_free_ uint8_t *buf = malloc(DENTS_BUF);
        if (!buf)
                return -ENOMEM;
        uint32_t n = 0;
        for (;;) {
                ssize_t got = syscall(SYS_getdents64, fd, buf, DENTS_BUF);
                if (got < 0)
                        return -errno;
                if (got == 0)
                        break;
                for (ssize_t off = 0; off < got;) {
                        const struct dirent64 *de = (const struct dirent64 *) (buf + off);
                        off += de->d_reclen;
                        if (de->d_name[0] != '.')
                                n++;
                }
                if (n > FD_COUNT_MAX)
                        break;
        }
        *ret = n;
        return 0;
}

/* Enough to tell which kind dominates; a readlink each, so bounded whatever the count. */
#define FD_KINDS_READ_MAX 4096u

int watch_proc_fd_kinds(Manager *m, WatchedUnit *u, UnitSample *s) {
        char path[64], target[64];
        snprintf(path, sizeof path, "%s/%u/fd", m->proc_root, u->settings.main_pid);
        DIR *d = opendir(path);
        if (!d)
                return -errno;
        int dfd = dirfd(d);
        struct dirent *de;
        s->fd_kinds_read = s->fd_sockets = s->fd_pipes = s->fd_anon_inodes = s->fd_files = s->fd_other = 0;
        while (s->fd_kinds_read < FD_KINDS_READ_MAX && (de = readdir(d))) {
                if (de->d_name[0] == '.')
                        continue;
                /* Only the prefix matters: a long path is cut, which is fine. */
                ssize_t n = readlinkat(dfd, de->d_name, target, sizeof target - 1);
                if (n < 0)
                        continue; /* closed meanwhile */
                target[n] = 0;
                s->fd_kinds_read++;
                if (strncmp(target, "socket:", STRLEN("socket:")) == 0)
                        s->fd_sockets++;
                else if (strncmp(target, "pipe:", STRLEN("pipe:")) == 0)
                        s->fd_pipes++;
                else if (strncmp(target, "anon_inode:", STRLEN("anon_inode:")) == 0)
                        s->fd_anon_inodes++;
                else if (target[0] == '/')
                        s->fd_files++;
                else
                        s->fd_other++;
        }
        closedir(d);
        return 0;
}

static int read_u64_file(const char *path, uint64_t *ret) {
        char buf[32];
        _cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        ssize_t n = read(fd, buf, sizeof buf - 1);
        if (n <= 0)
                return n < 0 ? -errno : -EBADMSG;
        buf[n] = 0;
        char *end;
        errno = 0;
        unsigned long long v = strtoull(buf, &end, 10);
        if (errno != 0 || end == buf || (*end != '\n' && *end != 0))
                return -EBADMSG;
        *ret = v;
        return 0;
}

int watch_proc_read_threads_max(Manager *m) {
        char path[128];
        uint64_t v;
        snprintf(path, sizeof path, "%s/sys/kernel/threads-max", m->proc_root);
        int r = read_u64_file(path, &v);
        if (r < 0)
                return r;
        m->watch_proc.kernel_threads_max = v;
        return 0;
}

/* pids.current of the unit's cgroup: unified layout first, then the v1 pids hierarchy. */
static int read_tasks(const char *cgroup, uint64_t *ret) {
        char path[4096];
        if (!cgroup || cgroup[0] != '/' || strstr(cgroup, "/.."))
                return -EINVAL;
        snprintf(path, sizeof path, "/sys/fs/cgroup%s/pids.current", cgroup);
        if (read_u64_file(path, ret) >= 0)
                return 0;
        snprintf(path, sizeof path, "/sys/fs/cgroup/pids%s/pids.current", cgroup);
        return read_u64_file(path, ret);
}

int watch_proc_sample_unit(Manager *m, WatchedUnit *u) {
        uint32_t fds = 0;
        uint64_t tasks = 0;

        if (!watched_unit_is_running(u))
                return 0;
        (void) count_fds(m->proc_root, u->settings.main_pid, &fds);
        (void) read_tasks(u->settings.control_group, &tasks);
        u->sample_timestamp = now_usec(CLOCK_REALTIME);
        if (fds == u->fd_count && tasks == u->tasks_current)
                return 0;
        u->fd_count = fds;
        u->tasks_current = tasks;
        return 1;
}

/* Reads /proc/PID/environ of the main process; returns 1 if it changed. */
int watch_proc_read_environment(Manager *m, WatchedUnit *u) {
        char path[64];
        _cleanup_(strv_freep) char **env = NULL;
        int r;

        if (!watched_unit_is_running(u))
                return 0;
        snprintf(path, sizeof path, "%s/%u/environ", m->proc_root, u->settings.main_pid);
        _cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        _cleanup_free_ char *buf = malloc(ENVIRON_SIZE_MAX + 1);
        if (!buf)
                return -ENOMEM;
        size_t n = 0;
        while (n <= ENVIRON_SIZE_MAX) {
                ssize_t k = read(fd, buf + n, ENVIRON_SIZE_MAX + 1 - n);
                if (k < 0)
                        return -errno;
                if (k == 0)
                        break;
                n += (size_t) k;
        }
        r = environ_parse(buf, MIN(n, (size_t) ENVIRON_SIZE_MAX), &env);
        if (r < 0)
                return r;
        u->process_environment_pid = u->settings.main_pid;
        if (strv_equal(env, u->process_environment))
                return 0;
        strv_free(u->process_environment);
        u->process_environment = TAKE_PTR(env);
        return 1;
}

/* ---- the main process's listening sockets (runs-as-root) ---- */

#define LISTENERS_MAX 256u

typedef struct Listeners {
        uint64_t inode[LISTENERS_MAX];
        uint16_t port[LISTENERS_MAX];
        size_t n;
} Listeners;

static void note_listener(const ProcNetSocket *s, void *userdata) {
        Listeners *l = userdata;
        /* A tcp listener, or a udp socket bound to a port and connected to none. */
        bool listening =
                s->state == TCP_STATE_LISTEN || (s->state == 0x07 && s->remote_port == 0 && s->local_port);
        if (listening && s->inode && l->n < LISTENERS_MAX) {
                l->inode[l->n] = s->inode;
                l->port[l->n++] = s->local_port;
        }
}

static bool runs_as_root(const UnitSettings *s) {
        return !s->dynamic_user &&
               (!s->user || !s->user[0] || strcmp(s->user, "root") == 0 || strcmp(s->user, "0") == 0);
}

int watch_proc_read_listening(Manager *m, WatchedUnit *u) {
        char who[16], path[64], target[64];
        Listeners l = {};
        uint32_t n = 0;
        uint16_t min_port = UINT16_MAX;

        /* Only where it matters (a root unit), and once it listens, not again for this process. */
        if (!watched_unit_is_running(u) || !runs_as_root(&u->settings) ||
            (u->listen_pid == u->settings.main_pid && u->listen_sockets > 0))
                return 0;
        snprintf(who, sizeof who, "%u", u->settings.main_pid);
        if (net_stack_for_each_socket(m, who, false, note_listener, &l) < 0)
                return 0;
        (void) net_stack_for_each_socket(m, who, true, note_listener, &l);
        snprintf(path, sizeof path, "%s/%u/fd", m->proc_root, u->settings.main_pid);
        DIR *d = opendir(path);
        if (!d)
                return 0;
        struct dirent *de;
        unsigned read = 0;
        while (l.n > 0 && read < FD_KINDS_READ_MAX && (de = readdir(d))) {
                if (de->d_name[0] == '.')
                        continue;
                ssize_t k = readlinkat(dirfd(d), de->d_name, target, sizeof target - 1);
                read++;
                uint64_t ino;
                if (k < 0)
                        continue;
                target[k] = 0;
                if (sscanf(target, "socket:[%" SCNu64 "]", &ino) != 1)
                        continue;
                for (size_t i = 0; i < l.n; i++)
                        if (l.inode[i] == ino) {
                                n++;
                                min_port = MIN(min_port, l.port[i]);
                                break;
                        }
        }
        closedir(d);
        bool changed = u->listen_pid != u->settings.main_pid || u->listen_sockets != n;
        u->listen_pid = u->settings.main_pid;
        u->listen_sockets = n;
        u->listen_port_min = n ? min_port : 0;
        return changed;
}

/* One sweep over the running Go units per interval, in slices of at most SAMPLE_SLICE_USEC at
 * idle priority: with thousands of units a whole sweep (an open and a directory read each)
 * takes a good part of a second, and bus callers would wait for it. A sweep that finds no Go
 * unit running stops the timer; a Go unit that runs starts it again. Units added or removed
 * during a sweep may be sampled twice or not at all in it. */
static int on_sample(sd_event_source *s, uint64_t usec, void *userdata) {
        Manager *m = userdata;
        uint64_t deadline = now_usec(CLOCK_MONOTONIC) + SAMPLE_SLICE_USEC;
        void *v;
        int r;

        /* A sweep starts: the host's thread limit once per sweep, for the units' findings. */
        if (m->watch_proc.state == 0)
                (void) watch_proc_read_threads_max(m);
        while (hashmap_iterate(m->units, &m->watch_proc.state, &v, NULL)) {
                WatchedUnit *u = v;
                if (!u->exported || !watched_unit_is_running(u))
                        continue;
                m->watch_proc.found_running = true;
                manager_unit_sampled(m, u, watch_proc_sample_unit(m, u) > 0);
                if (now_usec(CLOCK_MONOTONIC) >= deadline) {
                        /* A time long past: due again as soon as nothing more urgent is. */
                        r = sd_event_source_set_time(s, 1);
                        goto rearm;
                }
        }
        m->watch_proc.state = 0;
        if (!m->watch_proc.found_running)
                return sd_event_source_set_enabled(s, SD_EVENT_OFF);
        m->watch_proc.found_running = false;
        r = sd_event_source_set_time_relative(s, m->watch_proc.interval_usec);
rearm:
        if (r < 0)
                return log_error_errno(r, "Failed to re-arm the sampling timer: %m");
        return 0;
}

void watch_proc_update_sampling(Manager *m, WatchedUnit *u) {
        int enabled = SD_EVENT_OFF, r;

        if (!u->exported || !watched_unit_is_running(u) ||
            (m->watch_proc.timer && sd_event_source_get_enabled(m->watch_proc.timer, &enabled) >= 0 &&
             enabled != SD_EVENT_OFF))
                return;
        if (!m->watch_proc.timer) {
                r = sd_event_add_time_relative(m->event, &m->watch_proc.timer, CLOCK_MONOTONIC,
                                               m->watch_proc.interval_usec, 1000000, on_sample, m);
                if (r >= 0)
                        r = sd_event_source_set_priority(m->watch_proc.timer, SD_EVENT_PRIORITY_IDLE);
        } else {
                m->watch_proc.state = 0;
                m->watch_proc.found_running = false;
                r = sd_event_source_set_time_relative(m->watch_proc.timer, m->watch_proc.interval_usec);
        }
        if (r >= 0)
                r = sd_event_source_set_enabled(m->watch_proc.timer, SD_EVENT_ON);
        if (r < 0)
                log_warning_errno(r, "Failed to start sampling, ignoring: %m");
}

int watch_proc_start(Manager *m) {
        if (access(m->proc_root, R_OK) >= 0)
                m->sources |= SOURCE_PROC;
        (void) watch_proc_read_threads_max(m);
        return 0;
}

void watch_proc_done(WatchProc *w) {
        w->timer = sd_event_source_disable_unref(w->timer);
}
