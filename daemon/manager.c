/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <fcntl.h>
#include <linux/magic.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <systemd/sd-id128.h>
#include <time.h>

#include "env-file.h"
#include "event-util.h"
#include "log.h"
#include "manager.h"
#include "state-file.h"
#include "strv.h"
#include "time-util.h"
#include "watched-unit.h"

static const uint64_t recheck_delays_usec[] = { 50000, 250000, 1000000 };

static const char *detect_cgroup_version(void) {
        struct statfs fs;
        if (statfs("/sys/fs/cgroup", &fs) < 0)
                return "unknown";
        if (fs.f_type == CGROUP2_SUPER_MAGIC)
                return "unified";
        if (statfs("/sys/fs/cgroup/unified", &fs) >= 0 && fs.f_type == CGROUP2_SUPER_MAGIC)
                return "hybrid";
        return "legacy";
}

/* The kernel's fixed inode number of the initial pid namespace (PROC_PID_INIT_INO). */
#define PROC_PID_INIT_INO 0xEFFFFFFCu

static bool in_initial_pid_namespace(void) {
        struct stat st;
        return stat("/proc/self/ns/pid", &st) >= 0 && st.st_ino == PROC_PID_INIT_INO;
}

int manager_new(Manager **ret) {
        _cleanup_(manager_freep) Manager *m = calloc(1, sizeof *m);
        int r;

        if (!m)
                return -ENOMEM;
        m->start_timestamp = now_usec(CLOCK_REALTIME);
        m->cgroup_version = detect_cgroup_version();
        m->proc_root = "/proc";
        m->init_pid_ns = in_initial_pid_namespace();
        m->watch_proc.interval_usec = 10 * 1000000ull;
        m->resolve_after_usec = 10 * 60 * 1000000ull;
        /* systemd's StateDirectory= says where; outside systemd, the usual place. */
        const char *sd = getenv("STATE_DIRECTORY");
        m->state_dir = strdup(sd && *sd && !strchr(sd, ':') ? sd : "/var/lib/goguard");
        if (!m->state_dir)
                return -ENOMEM;

        r = hashmap_new(&m->units);
        if (r >= 0)
                r = hashmap_new(&m->units_by_path);
        if (r >= 0)
                r = exe_cache_new(&m->exe_cache);
        if (r < 0)
                return r;

        r = sd_event_default(&m->event);
        if (r < 0)
                return log_error_errno(r, "Failed to allocate event loop: %m");
        sigset_t ss;
        sigemptyset(&ss);
        sigaddset(&ss, SIGTERM);
        sigaddset(&ss, SIGINT);
        if (sigprocmask(SIG_BLOCK, &ss, NULL) < 0)
                return log_error_errno(errno, "Failed to block signals: %m");
        r = sd_event_add_signal(m->event, NULL, SIGTERM, NULL, NULL);
        if (r >= 0)
                r = sd_event_add_signal(m->event, NULL, SIGINT, NULL, NULL);
        if (r < 0)
                return log_error_errno(r, "Failed to install signal handlers: %m");
        r = notifier_new(m->event, &m->notifier);
        if (r < 0)
                return log_error_errno(r, "Failed to set up notifications to the service manager: %m");
        r = exe_inspector_new(m->exe_cache, m->event, manager_on_inspected, m, &m->inspector);
        if (r < 0)
                return log_error_errno(r, "Failed to start the executable inspector: %m");

        *ret = TAKE_PTR(m);
        return 0;
}

Manager *manager_free(Manager *m) {
        if (!m)
                return NULL;
        /* First the thread, whose check may read the host facts and the executables' facts. */
        m->inspector = exe_inspector_free(m->inspector);
        m->checks = check_queue_free(m->checks);
        watch_units_done(&m->watch_units);
        watch_proc_done(&m->watch_proc);
        watch_journal_done(&m->watch_journal);
        watch_kmsg_done(&m->watch_kmsg);
        watch_audit_done(&m->watch_audit);
        manager_prom_free(m);
        sd_event_source_disable_unref(m->counts_event);
        sd_event_source_disable_unref(m->findings_counts_event);
        sd_event_source_disable_unref(m->updates_event);
        sd_event_source_disable_unref(m->save_timer);
        sd_event_source_disable_unref(m->resolve_timer);
        sd_event_source_disable_unref(m->decide_timer);
        sd_event_source_disable_unref(m->ld_cache_watch);
        correlator_free(m->correlator);
        dns_prober_free(m->dns_prober);
        finding_store_done(&m->findings);
        host_facts_done(&m->host_facts);
        free(m->state_dir);
        if (m->units) {
                size_t i = 0;
                void *v;
                while (hashmap_iterate(m->units, &i, &v, NULL))
                        watched_unit_free(v);
        }
        hashmap_free(m->units);
        hashmap_free(m->units_by_path);
        manager_inspect_calls_free(m);
        sd_bus_flush_close_unref(m->systemd_bus);
        sd_bus_flush_close_unref(m->bus);
        exe_cache_free(m->exe_cache);
        notifier_free(m->notifier);
        sd_event_unref(m->event);
        return mfree(m);
}

static int open_bus(Manager *m, sd_bus **ret, const char *description, int64_t priority) {
        int r = sd_bus_open_system_with_description(ret, description);
        if (r < 0)
                return log_error_errno(r, "Failed to connect to the system bus: %m");
        /* Losing the bus ends the loop with a failure; systemd restarts us (Restart=on-failure),
         * which also re-subscribes and re-enumerates from a clean slate. */
        r = sd_bus_set_exit_on_disconnect(*ret, true);
        if (r >= 0)
                r = sd_bus_attach_event(*ret, m->event, priority);
        if (r < 0)
                return log_error_errno(r, "Failed to attach the bus to the event loop: %m");
        return 0;
}

int manager_start(Manager *m) {
        sd_id128_t boot;
        int r;

        /* Live records (the kernel's log, units' exits on the bus) carry this boot's id. */
        r = sd_id128_get_boot(&boot);
        if (r >= 0)
                sd_id128_to_string(boot, m->boot_id);
        else
                log_warning_errno(r, "Failed to read the boot id, ignoring: %m");

        /* Two connections. sd-bus dispatches a connection's messages in order, so a caller's on
         * the one that carries PID 1's signals waits behind all of them: thousands of units
         * starting at once queue tens of thousands. Callers get a connection of their own,
         * served first; PID 1's signals and the replies to our queries come on the other. */
        r = open_bus(m, &m->bus, "goguardd", SD_EVENT_PRIORITY_NORMAL);
        if (r >= 0)
                r = open_bus(m, &m->systemd_bus, "goguardd-systemd", SD_EVENT_PRIORITY_NORMAL + 1);
        if (r < 0)
                return r;

        r = manager_findings_start(m);
        if (r < 0)
                return r;
        r = manager_bus_setup(m);
        if (r < 0)
                return r;
        r = watch_units_start(m);
        if (r < 0)
                return r;
        r = watch_proc_start(m);
        if (r < 0)
                return r;
        r = watch_journal_start(m);
        if (r < 0)
                return r;
        r = watch_kmsg_start(m);
        if (r < 0)
                return r;
        r = watch_audit_start(m);
        if (r < 0)
                return r;
        /* The bus name is requested when the first scan is complete (watch-units.c). */
        return 0;
}

static int on_recheck(sd_event_source *s, uint64_t usec, void *userdata);

void manager_units_ready(Manager *m) {
        if (m->ready_notified)
                return;
        m->ready_notified = true;
        /* Own the name only now: a caller that activated us gets the whole picture, never the
         * half of a first scan. */
        int r = sd_bus_request_name_async(m->bus, NULL, "org.goguard.goguard1", 0, NULL, NULL);
        if (r < 0)
                log_error_errno(r, "Failed to request the bus name: %m");
        r = notifier_ready(m->notifier, "Watching service units.");
        if (r < 0)
                log_error_errno(r, "Failed to notify the service manager: %m");
        /* The first scan's thousands of replies are freed: give the heap back. */
        (void) malloc_trim(0);
        log_info("Watching %zu service units, %u of them Go.", hashmap_size(m->units), m->n_go_units);
        watch_journal_resume(m);
}

void manager_counts_changed(Manager *m) {
        manager_bus_counts_changed(m);
}

void manager_source_lost(Manager *m, ManagerSource source) {
        m->sources &= ~(unsigned) source;
        m->sources_changed = true;
        manager_bus_counts_changed(m);
}

int manager_rescan(Manager *m) {
        return watch_units_rescan(m);
}

int manager_sample_unit(Manager *m, WatchedUnit *u) {
        return watch_proc_sample_unit(m, u);
}

void manager_unit_sampled(Manager *m, WatchedUnit *u, bool changed) {
        if (changed && u->exported)
                manager_bus_unit_properties_changed(m, u, UNIT_CHANGE_SAMPLE);
        manager_findings_unit_sampled(m, u);
        /* A root unit that starts listening is a network service (runs-as-root). */
        if (u->exported && watch_proc_read_listening(m, u) > 0)
                manager_findings_check_unit(m, u);
}

static void schedule_recheck(Manager *m, WatchedUnit *u) {
        if (u->recheck_attempt >= ELEMENTSOF(recheck_delays_usec)) {
                /* Done looking: thousands of units would otherwise each keep an idle timer. */
                u->recheck_timer = sd_event_source_disable_unref(u->recheck_timer);
                return;
        }
        uint64_t delay = recheck_delays_usec[u->recheck_attempt++];
        int r = event_arm_in(m->event, &u->recheck_timer, CLOCK_MONOTONIC, delay, 10000, on_recheck, u);
        if (r < 0)
                log_warning_errno(r, "Failed to schedule a check of %s, ignoring: %m", u->name);
}

static int on_recheck(sd_event_source *s, uint64_t usec, void *userdata) {
        WatchedUnit *u = userdata;
        Manager *m = u->manager;
        unsigned changes = manager_evaluate_executable(m, u, false);
        /* Right after the fork, /proc shows systemd's child before the exec: look again at
         * what it runs, its environment and its counts. */
        if (u->is_go && watched_unit_is_running(u)) {
                if (watch_proc_read_environment(m, u) > 0)
                        changes |= UNIT_CHANGE_ENVIRONMENT;
                if (watch_proc_sample_unit(m, u) > 0)
                        changes |= UNIT_CHANGE_SAMPLE;
        }
        if (watched_unit_is_running(u))
                schedule_recheck(m, u);
        if (changes)
                manager_unit_changed(m, u, changes);
        return 0;
}

/* A cache hit, or a queued inspection (-EINPROGRESS); with bypass a cached result is dropped
 * first, so the file is read again, unless reading it failed: a file that failed (a hostile one
 * that ran out of budget, say) stays failed for its identity and is not read again. */
static int lookup(Manager *m, const char *path, int fd, bool bypass, ExeEntry **ret) {
        _cleanup_close_ int own = -EBADF;
        if (path) {
                own = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
                if (own < 0)
                        return -errno;
                fd = own;
        }
        if (bypass) {
                char key[96];
                ExeEntry *e = exe_cache_key_fd(fd, key) >= 0 ? exe_cache_find(m->exe_cache, key) : NULL;
                if (e && e->exe)
                        exe_cache_forget(m->exe_cache, key);
                exe_entry_unref(e);
        }
        return exe_inspector_lookup_fd(m->inspector, fd, ret);
}

void manager_on_inspected(void *userdata) {
        Manager *m = userdata;
        size_t i = 0;
        void *v;
        manager_inspect_done(m);
        /* Collect first: manager_unit_changed() does not remove units, but keep it simple. */
        while (hashmap_iterate(m->units, &i, &v, NULL)) {
                WatchedUnit *u = v;
                if (!u->exe_pending)
                        continue;
                unsigned changes = manager_evaluate_executable(m, u, false);
                if (changes)
                        manager_unit_changed(m, u, changes);
                watch_units_unit_judged(m, u);
        }
        watch_units_check_ready(m);
}

/* Prefers the ExecStart= file when it is Go (stable, no /proc race); otherwise, while the unit
 * runs, what its main process actually executes. */
unsigned manager_evaluate_executable(Manager *m, WatchedUnit *u, bool bypass_cache) {
        ExeEntry *found = NULL;
        char *found_path = NULL;
        unsigned changes = 0;
        int r;

        bool pending = false;
        if (u->settings.exec_start_path && u->settings.exec_start_path[0] == '/') {
                r = lookup(m, u->settings.exec_start_path, -EBADF, bypass_cache, &found);
                if (r == -EINPROGRESS || r == -EAGAIN)
                        pending = true;
                else if (r < 0 && r != -ENOENT && r != -EACCES)
                        log_debug("Cannot inspect %s of %s: %s", u->settings.exec_start_path, u->name,
                                  strerror(-r));
                if (found)
                        found_path = strdup(u->settings.exec_start_path);
        }
        if (!exe_entry_is_go(found) && watched_unit_is_running(u)) {
                char link[64], target[4096];
                snprintf(link, sizeof link, "%s/%u/exe", m->proc_root, u->settings.main_pid);
                _cleanup_close_ int fd = open(link, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
                ExeEntry *proc_entry = NULL;
                r = -ENOENT;
                if (fd >= 0 && (r = lookup(m, NULL, fd, bypass_cache, &proc_entry)) == -EINPROGRESS)
                        pending = true;
                if (fd >= 0 && r >= 0) {
                        if (exe_entry_is_go(proc_entry) || !found) {
                                exe_entry_unref(found);
                                free(found_path);
                                found = proc_entry;
                                ssize_t n = readlink(link, target, sizeof target - 1);
                                found_path = n > 0 ? strndup(target, (size_t) n) : strdup(link);
                        } else
                                exe_entry_unref(proc_entry);
                }
        }

        /* Still being read: keep what we knew, and look again when the inspector is done. */
        u->exe_pending = pending;
        if (pending && !found)
                return changes;
        bool is_go = exe_entry_is_go(found);
        if (found != u->exe || is_go != u->is_go ||
            (found_path && (!u->exe_path || strcmp(found_path, u->exe_path) != 0))) {
                changes |= UNIT_CHANGE_EXECUTABLE;
                exe_entry_unref(u->exe);
                u->exe = found;
                free(u->exe_path);
                u->exe_path = found_path;
                u->is_go = is_go;
                const char *base = u->exe_path ? strrchr(u->exe_path, '/') : NULL;
                snprintf(u->comm, sizeof u->comm, "%s", base ? base + 1 : "");
        } else {
                exe_entry_unref(found);
                free(found_path);
        }

        /* A new main process: its environment, and maybe a Go program exec'd by a wrapper. */
        if (u->checked_pid != u->settings.main_pid) {
                u->checked_pid = u->settings.main_pid;
                u->recheck_attempt = 0;
                /* Processes found running by the first scan exec'd long ago; only new ones may
                 * still be systemd's child or a wrapper about to exec. */
                if (watched_unit_is_running(u) && m->ready_notified)
                        schedule_recheck(m, u);
                if (u->is_go && watch_proc_read_environment(m, u) > 0)
                        changes |= UNIT_CHANGE_ENVIRONMENT;
                /* The first sample right away, not at the next tick of the sampling timer. */
                if (u->is_go && watch_proc_sample_unit(m, u) > 0)
                        changes |= UNIT_CHANGE_SAMPLE;
        }
        return changes;
}

void manager_unit_changed(Manager *m, WatchedUnit *u, unsigned changes) {
        /* A unit that just started may be seen to run Go (its MainPID's executable) before its
         * settings arrive: it waits for them, or a failure at start would be judged by defaults. */
        bool exported_now = false;
        if (u->is_go && u->have_service_props && !u->exported) {
                u->exported = true;
                exported_now = true;
                m->n_go_units++;
                if (watched_unit_is_running(u)) {
                        (void) watch_proc_read_environment(m, u);
                        (void) watch_proc_sample_unit(m, u);
                }
                u->open_findings = (unsigned) finding_store_count(&m->findings, u->name, FINDING_OPEN);
                /* Found Go after its service properties came (its executable was being read):
                 * the Unit interface was not asked for then. */
                int q = u->have_unit_props ? 0 : watch_units_read_unit(m, u);
                if (q < 0)
                        log_warning_errno(q, "Failed to query %s, ignoring: %m", u->name);
                manager_bus_unit_added(m, u);
                manager_bus_counts_changed(m);
                watch_journal_go_units_changed(m);
        } else if (!u->is_go && u->exported) {
                manager_findings_forget_unit(m, u);
                manager_bus_unit_removed(m, u);
                u->exported = false;
                m->n_go_units--;
                manager_bus_counts_changed(m);
                watch_journal_go_units_changed(m);
        } else if (u->exported && changes)
                manager_bus_unit_properties_changed(m, u, changes);
        /* Checked when first known as Go, whatever change made it so, and whenever what the
         * checks read changes. */
        if (u->exported && (exported_now || (changes & (UNIT_CHANGE_EXECUTABLE | UNIT_CHANGE_SETTINGS |
                                                        UNIT_CHANGE_ENVIRONMENT))))
                manager_findings_check_unit(m, u);
        watch_proc_update_sampling(m, u);
        manager_prom_changed(m);
}

void manager_remove_unit(Manager *m, WatchedUnit *u) {
        manager_findings_forget_unit(m, u);
        if (u->exported) {
                manager_bus_unit_removed(m, u);
                u->exported = false;
                m->n_go_units--;
        }
        hashmap_remove(m->units, u->name);
        hashmap_remove(m->units_by_path, u->systemd_path);
        watched_unit_free(u);
        manager_bus_counts_changed(m);
        manager_prom_changed(m);
}
