/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The Manager's findings: the store, the correlator that fills it, what the correlator may
 * know about units, persistence, and telling the world (bus signals, journal entries). */
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <systemd/sd-journal.h>
#include <time.h>

#include "audit-pids.h"
#include "event-util.h"
#include "finding-state.h"
#include "log.h"
#include "manager.h"
#include "net-stack.h"
#include "proc-cgroup.h"
#include "security-label.h"
#include "state-file.h"
#include "strv.h"
#include "time-util.h"
#include "watched-unit.h"

#define FINDINGS_FILE    "findings.state"
#define SAVE_DELAY_USEC  (200 * 1000ull)
/* How long after something happened journald may still be writing PID 1's word on it. */
#define JOURNAL_LAG_USEC (1000 * 1000ull)

static int lookup_unit(void *userdata, const char *unit, UnitKnowledge *ret) {
        Manager *m = userdata;
        WatchedUnit *u = hashmap_get(m->units, unit);
        if (!u)
                return -ENOENT;
        *ret = (UnitKnowledge){
                .known = true,
                .is_go = u->is_go,
                .settings = &u->settings,
                .exe = u->exe ? u->exe->exe : NULL,
                .process_environment = u->process_environment,
                .environment_files = u->environment_files,
                .exe_comm = u->comm[0] ? u->comm : NULL,
                .tasks_current = u->tasks_current,
                .tasks_sampled_at = u->tasks_current > 0 ? u->sample_timestamp : 0,
                .kernel_threads_max = m->watch_proc.kernel_threads_max,
                .listen_read = u->listen_pid != 0 && u->listen_pid == u->settings.main_pid &&
                               watched_unit_is_running(u),
                .listen_sockets = u->listen_sockets,
                .listen_port_min = u->listen_port_min,
        };
        return 0;
}

/* Units that run as the same user share RLIMIT_NPROC: the others running now, at most
 * SAME_USER_MAX (a finding names a few and counts the rest). */
#define SAME_USER_MAX 64u

static int compare_names(const void *a, const void *b) {
        return strcmp(*(char *const *) a, *(char *const *) b);
}

static int same_user_units(void *userdata, const char *unit, char ***ret) {
        Manager *m = userdata;
        WatchedUnit *u = hashmap_get(m->units, unit);
        if (!u || !u->have_service_props)
                return -ENOENT;
        _cleanup_(strv_freep) char **l = calloc(1, sizeof(char *));
        if (!l)
                return -ENOMEM;
        size_t i = 0, n = 0;
        void *v;
        while (n < SAME_USER_MAX && hashmap_iterate(m->units, &i, &v, NULL)) {
                WatchedUnit *o = v;
                if (o == u || !o->have_service_props || !watched_unit_is_running(o) ||
                    !unit_settings_same_user(&o->settings, &u->settings))
                        continue;
                int r = strv_extend(&l, o->name);
                if (r < 0)
                        return r;
                n++;
        }
        qsort(l, n, sizeof(char *), compare_names); /* the hashmap's order is no order */
        *ret = TAKE_PTR(l);
        return 0;
}

static int cgroup_file_unit(const char *path, char **ret) {
        _cleanup_free_ char *text = NULL;
        size_t n;
        int r = read_virtual_file(path, 64 * 1024, &text, &n);
        if (r < 0)
                return r == -ENOENT ? -ESRCH : r;
        r = proc_cgroup_unit(text, n, ret);
        return r == -ENOENT ? -ESRCH : r;
}

int manager_pid_unit(Manager *m, uint32_t pid, bool initial_ns, char **ret) {
        if (initial_ns && !m->init_pid_ns)
                return -EOPNOTSUPP;
        if (pid == 0)
                return -ESRCH;
        char path[64];
        snprintf(path, sizeof path, "%s/%u/cgroup", m->proc_root, pid);
        return cgroup_file_unit(path, ret);
}

int manager_bus_pid_unit(Manager *m, uint32_t via_pid, uint32_t pid, char **ret) {
        if (pid == 0)
                return -ESRCH;
        char path[96];
        if (m->init_pid_ns && via_pid > 1) {
                /* Where the bus daemon runs in a pid namespace of its own (a container's, or
                 * goguardd's box), its pids are read in its own /proc. */
                struct stat ours, theirs;
                snprintf(path, sizeof path, "%s/%u/ns/pid", m->proc_root, via_pid);
                if (stat(path, &theirs) < 0)
                        return -ESRCH; /* gone: its pids cannot be told apart from ours */
                if (stat("/proc/self/ns/pid", &ours) >= 0 && ours.st_ino != theirs.st_ino) {
                        snprintf(path, sizeof path, "%s/%u/root/proc/%u/cgroup", m->proc_root, via_pid, pid);
                        return cgroup_file_unit(path, ret);
                }
        }
        /* The same namespace as goguardd's: a host's, or the box's bus seen from the box. */
        snprintf(path, sizeof path, "%s/%u/cgroup", m->proc_root, pid);
        return cgroup_file_unit(path, ret);
}

/* CorrelatorOptions.pid_unit: a pid the system bus daemon wrote in a denial. */
static int pid_unit(void *userdata, uint32_t via_pid, uint32_t pid, char **ret) {
        return manager_bus_pid_unit(userdata, via_pid, pid, ret);
}

/* CorrelatorOptions.for_each_unit: every service unit goguardd knows. */
static int for_each_unit(void *userdata, CorrelatorUnitVisit visit, void *ctx) {
        Manager *m = userdata;
        size_t i = 0;
        void *v;
        while (hashmap_iterate(m->units, &i, &v, NULL)) {
                WatchedUnit *u = v;
                UnitKnowledge k;
                if (lookup_unit(m, u->name, &k) < 0)
                        continue;
                int r = visit(ctx, u->name, &k);
                if (r != 0)
                        return r;
        }
        return 0;
}

static bool unit_is_go(Manager *m, const char *name) {
        WatchedUnit *u = name ? hashmap_get(m->units, name) : NULL;
        return u && u->exported;
}

/* A flood of 1,000 records a second from one process reads its /proc/PID/cgroup ten times a second,
 * not a thousand. */
#define AUDIT_PID_CACHE_USEC (100 * 1000ull)

void manager_audit_record_unit(Manager *m, const AuditPids *pids, char **ret) {
        _cleanup_free_ char *a = NULL, *b = NULL;
        if (pids->from_bus_daemon) {
                /* The bus daemon's pids are of its own namespace: the sender of the refused
                 * message, else the receiver if that is a Go unit. The bus daemon's own unit
                 * (the header's pid) is never what its denial is about. */
                (void) manager_bus_pid_unit(m, pids->pid, pids->sender_pid, &a);
                (void) manager_bus_pid_unit(m, pids->pid, pids->peer_pid, &b);
                if (!unit_is_go(m, a) && unit_is_go(m, b))
                        *ret = TAKE_PTR(b);
                else if (a)
                        *ret = TAKE_PTR(a);
                return;
        }
        /* The pid's unit read less than AUDIT_PID_CACHE_USEC ago is taken again: a process
         * keeps its cgroup, and no pid comes back that soon. */
        WatchAudit *w = &m->watch_audit;
        uint64_t now = now_usec(CLOCK_MONOTONIC);
        if (w->cached_unit && w->cached_pid == pids->pid && now - w->cached_usec < AUDIT_PID_CACHE_USEC) {
                *ret = strdup(w->cached_unit);
                return;
        }
        int r = manager_pid_unit(m, pids->pid, true, ret);
        if (r < 0) {
                log_debug("The unit of pid %u is not known: %s", pids->pid, strerror(-r));
                return;
        }
        free(w->cached_unit);
        w->cached_unit = *ret ? strdup(*ret) : NULL;
        w->cached_pid = pids->pid;
        w->cached_usec = now;
}

void manager_audit_catch_up(Manager *m, uint64_t serial) {
        watch_audit_catch_up(m, serial);
}

bool manager_audit_wanted(Manager *m) {
        return correlator_covers(FINDING_SELINUX_DENIAL) || correlator_covers(FINDING_APPARMOR_DENIAL);
}

void manager_findings_feed(Manager *m, const JournalRecord *rec) {
        if (correlator_feed(m->correlator, rec) > 0)
                manager_schedule_save(m);
        manager_findings_schedule_decisions(m);
}

static int syslog_priority(FindingSeverity s) {
        return s == SEVERITY_CRITICAL ? LOG_CRIT : s == SEVERITY_WARNING ? LOG_WARNING : LOG_NOTICE;
}

/* Once per finding, for alert pipelines: its own MESSAGE_ID per class, and OBJECT_ fields so
 * that `journalctl -u UNIT` shows it (journald honours them from root). */
static void log_finding(const Finding *f) {
        const FindingClassInfo *info = finding_class_info(f->class);
        char prio[16];
        snprintf(prio, sizeof prio, "PRIORITY=%i", syslog_priority(f->severity));
        const Evidence *cursor = finding_get(f, "journal_cursor");
        const char *dropin = NULL;
        for (size_t i = 0; i < f->n_advice && !dropin; i++)
                if (f->advice[i].kind == ADVICE_DROPIN)
                        dropin = f->advice[i].snippet;
        int r = sd_journal_send(
                "MESSAGE=%s", f->summary ?: info->title, "MESSAGE_ID=%s", info->message_id, "%s", prio,
                "OBJECT_SYSTEMD_UNIT=%s", f->unit, "OBJECT_SYSTEMD_INVOCATION_ID=%s", f->invocation_id,
                "GOGUARD_FINDING_ID=%s", f->id, "GOGUARD_CLASS=%s", info->name, "GOGUARD_SEVERITY=%s",
                finding_severity_to_string(f->severity), "GOGUARD_UNIT=%s", f->unit, "GOGUARD_COUNT=%llu",
                (unsigned long long) f->count, "GOGUARD_EVIDENCE_CURSOR=%s",
                cursor && cursor->s ? cursor->s : "", "GOGUARD_DROPIN=%s", dropin ?: "",
                /* What `goguardctl analyze` matches against its own count of the same records. */
                "GOGUARD_OCCURRENCE_KEY=%s", finding_last_key(f) ?: "", NULL);
        if (r < 0)
                log_warning_errno(r, "Failed to write finding %s to the journal, ignoring: %m", f->id);
}

void manager_findings_recount(Manager *m, const char *unit) {
        WatchedUnit *u = unit ? hashmap_get(m->units, unit) : NULL;
        if (u) {
                unsigned n = (unsigned) finding_store_count(&m->findings, unit, FINDING_OPEN);
                if (n != u->open_findings) {
                        u->open_findings = n;
                        if (u->exported)
                                manager_bus_unit_properties_changed(m, u, UNIT_CHANGE_FINDINGS);
                }
        }
        manager_bus_findings_counts_changed(m);
        manager_prom_changed(m);
}

static int on_resolve_timer(sd_event_source *s, uint64_t usec, void *userdata) {
        Manager *m = userdata;
        uint64_t now = now_usec(CLOCK_REALTIME);
        Finding *resolve[64];
        size_t n = 0, i = 0;
        void *v;

        /* Collect first: resolving changes nothing in the map, but keep iteration simple. */
        while (n < ELEMENTSOF(resolve) && hashmap_iterate(m->findings.by_id, &i, &v, NULL)) {
                Finding *f = v;
                WatchedUnit *u = hashmap_get(m->units, f->unit);
                if (u &&
                    finding_should_resolve(f, u->settings.invocation_id, u->settings.active_state,
                                           u->settings.active_enter_timestamp, now, m->resolve_after_usec))
                        resolve[n++] = f;
        }
        for (size_t k = 0; k < n; k++) {
                log_info("Finding %s of %s resolved: invocation %s ran clean for %llu s.", resolve[k]->id,
                         resolve[k]->unit,
                         ((WatchedUnit *) hashmap_get(m->units, resolve[k]->unit))->settings.invocation_id,
                         (unsigned long long) (m->resolve_after_usec / 1000000));
                (void) finding_set_string(resolve[k], "resolved_by", "clean-invocation");
                (void) manager_finding_set_state(m, resolve[k], FINDING_RESOLVED);
        }
        manager_findings_update_resolve_timer(m);
        return 0;
}

void manager_findings_main_process_killed(Manager *m, WatchedUnit *u) {
        if (!u->is_go)
                return;
        int r = correlator_main_process_killed(m->correlator, u->name, u->settings.invocation_id,
                                               m->boot_id[0] ? m->boot_id : NULL,
                                               u->settings.exec_main_exit_timestamp);
        if (r < 0)
                log_warning_errno(r, "Failed to correlate the exit of %s, ignoring: %m", u->name);
        else if (r > 0)
                manager_schedule_save(m);
}

static int on_decide(sd_event_source *s, uint64_t usec, void *userdata) {
        Manager *m = userdata;
        /* Only a journal read to its end vouches that nothing older is still to come. */
        if (m->watch_journal.drained) {
                uint64_t now = now_usec(CLOCK_REALTIME);
                int r = correlator_advance(m->correlator,
                                           now > JOURNAL_LAG_USEC ? now - JOURNAL_LAG_USEC : 0);
                if (r < 0)
                        log_warning_errno(r, "Failed to decide waiting records, ignoring: %m");
        }
        manager_findings_schedule_decisions(m);
        return 0;
}

void manager_findings_schedule_decisions(Manager *m) {
        uint64_t deadline = correlator_next_deadline(m->correlator);
        if (deadline == 0) {
                if (m->decide_timer)
                        (void) sd_event_source_set_enabled(m->decide_timer, SD_EVENT_OFF);
                return;
        }
        /* Not before the journal could have brought the deciding word, and not in a busy loop
         * while the journal is still being read. Each batch asks again: an armed timer is moved
         * only earlier, or a steady stream of batches would keep pushing it back. */
        uint64_t at = MAX(deadline + JOURNAL_LAG_USEC, now_usec(CLOCK_REALTIME) + 250 * 1000ull);
        int r = event_arm_by(m->event, &m->decide_timer, CLOCK_REALTIME, at, 100 * 1000ull, on_decide, m);
        if (r < 0)
                log_warning_errno(r, "Failed to schedule deciding waiting records, ignoring: %m");
}

void manager_findings_unit_sampled(Manager *m, WatchedUnit *u) {
        if (!u->exported)
                return;
        UnitSample s = {
                .realtime = u->sample_timestamp,
                .boot_id = m->boot_id[0] ? m->boot_id : NULL,
                .invocation_id = u->settings.invocation_id[0] ? u->settings.invocation_id : NULL,
                .fd_count = u->fd_count,
                .tasks_current = u->tasks_current,
        };
        UnitKnowledge k;
        /* The links are read only near the limit: a readlink per descriptor is not for every sample. */
        if (lookup_unit(m, u->name, &k) >= 0 && fd_count_near_limit(&k, u->fd_count))
                (void) watch_proc_fd_kinds(m, u, &s);
        int r = correlator_unit_sample(m->correlator, u->name, &s);
        if (r < 0)
                log_warning_errno(r, "Failed to correlate a sample of %s, ignoring: %m", u->name);
        else if (r > 0)
                manager_schedule_save(m);
}

/* The resolution check runs only while something could resolve, a few times per interval. */
void manager_findings_update_resolve_timer(Manager *m) {
        bool any = finding_store_count(&m->findings, NULL, FINDING_OPEN) > 0 ||
                   finding_store_count(&m->findings, NULL, FINDING_ACKNOWLEDGED) > 0;
        if (!any) {
                if (m->resolve_timer)
                        (void) sd_event_source_set_enabled(m->resolve_timer, SD_EVENT_OFF);
                return;
        }
        if (event_source_armed(m->resolve_timer))
                return;
        uint64_t period = MAX(m->resolve_after_usec / 4, (uint64_t) 1000000);
        period = MIN(period, (uint64_t) 60 * 1000000);
        int r = event_arm_in(m->event, &m->resolve_timer, CLOCK_MONOTONIC, period, 1000000, on_resolve_timer,
                             m);
        if (r < 0)
                log_warning_errno(r, "Failed to schedule finding resolution, ignoring: %m");
}

static void on_finding(void *userdata, Finding *f, bool added) {
        Manager *m = userdata;
        if (f->class == FINDING_DNS_RESOLUTION)
                manager_dns_finding(m, f);
        if (added) {
                log_finding(f);
                manager_bus_finding_added(m, f);
        } else if (f->state == FINDING_RESOLVED)
                manager_bus_finding_resolved(m, f); /* a condition check no longer finds it */
        else
                manager_bus_finding_repeated(m, f);
        manager_findings_recount(m, f->unit);
        m->findings_dirty = true;
        manager_schedule_save(m);
        manager_findings_update_resolve_timer(m);
}

static int save_now(Manager *m) {
        int r;
        if (m->findings_dirty) {
                StrBuf b = {};
                finding_state_write(&m->findings, &b);
                r = strbuf_error(&b);
                if (r >= 0)
                        r = state_file_write(m->state_dir, FINDINGS_FILE, b.data, b.len);
                strbuf_done(&b);
                if (r < 0)
                        return log_error_errno(r, "Failed to save findings to %s/%s: %m", m->state_dir,
                                               FINDINGS_FILE);
                m->findings_dirty = false;
        }
        /* Only after the findings it produced are safe. */
        r = watch_journal_save_cursor(m);
        if (r < 0)
                return log_error_errno(r, "Failed to save the journal cursor: %m");
        return 0;
}

static int on_save(sd_event_source *s, uint64_t usec, void *userdata) {
        (void) save_now(userdata);
        return 0;
}

void manager_schedule_save(Manager *m) {
        if (event_source_armed(m->save_timer))
                return;
        int r = event_arm_in(m->event, &m->save_timer, CLOCK_MONOTONIC, SAVE_DELAY_USEC, 0, on_save, m);
        if (r < 0)
                log_warning_errno(r, "Failed to schedule saving state, ignoring: %m");
}

int manager_findings_save(Manager *m) {
        return save_now(m);
}

/* What of the host facts to read again (Manager.host_reread). */
typedef enum HostReread {
        HOST_REREAD_LD_CACHE = 1 << 0,
        HOST_REREAD_ENVIRONMENT = 1 << 1,
} HostReread;

static void check_all_units(Manager *m) {
        size_t i = 0;
        void *v;
        while (hashmap_iterate(m->units, &i, &v, NULL))
                if (((WatchedUnit *) v)->exported)
                        manager_findings_check_unit(m, v);
}

/* Host facts read again on the inspector's thread, into facts of their own: the checks read
 * Manager.host_facts there, so they are swapped in on the loop, while no check runs. */
typedef struct HostRereadTask {
        InspectorTask task;
        Manager *m;
        unsigned what;
        const char *proc_root;
        HostFacts facts;
        int ld_cache_error, environment_error;
} HostRereadTask;

static void host_reread_step(Manager *m);

static void host_reread_run(InspectorTask *t) {
        HostRereadTask *j = (HostRereadTask *) t;
        if (j->what & HOST_REREAD_LD_CACHE)
                j->ld_cache_error = host_facts_read_ld_cache(&j->facts);
        if (j->what & HOST_REREAD_ENVIRONMENT)
                j->environment_error = host_facts_read_environment(&j->facts, j->proc_root);
}

static void host_reread_done(InspectorTask *t, bool ran) {
        HostRereadTask *j = (HostRereadTask *) t;
        Manager *m = j->m;
        if (ran) {
                /* Not ran: the inspector is freed with the Manager. */
                m->host_rereading = false;
                if (j->what & HOST_REREAD_LD_CACHE) {
                        if (j->ld_cache_error < 0)
                                log_warning_errno(j->ld_cache_error,
                                                  "Failed to read /etc/ld.so.cache again, ignoring: %m");
                        host_facts_swap_ld_cache(&m->host_facts, &j->facts);
                }
                if (j->what & HOST_REREAD_ENVIRONMENT) {
                        if (j->environment_error < 0)
                                log_warning_errno(
                                        j->environment_error,
                                        "Failed to read the host's environment facts, ignoring: %m");
                        else
                                host_facts_swap_environment(&m->host_facts, &j->facts);
                }
        }
        host_facts_done(&j->facts);
        free(j);
        if (!ran)
                return;
        if (m->host_reread)
                host_reread_step(m); /* asked for again meanwhile */
        else {
                check_queue_hold(m->checks, false);
                check_all_units(m);
        }
}

/* Starts reading what m->host_reread names, once no check runs. */
static void host_reread_step(Manager *m) {
        if (!m->host_reread || m->host_rereading || check_queue_running(m->checks))
                return;
        HostRereadTask *j = calloc(1, sizeof *j);
        int r = j ? host_facts_init(&j->facts, m->host_facts.root) : -ENOMEM;
        if (r < 0) {
                free(j);
                log_warning_errno(r, "Failed to read the host facts again, ignoring: %m");
                m->host_reread = 0;
                check_queue_hold(m->checks, false);
                return;
        }
        j->task = (InspectorTask){ .run = host_reread_run, .done = host_reread_done };
        j->m = m;
        j->what = m->host_reread;
        j->proc_root = m->proc_root;
        m->host_reread = 0;
        m->host_rereading = true;
        exe_inspector_submit(m->inspector, &j->task);
}

static void host_reread(Manager *m, HostReread what) {
        if (!m->checks)
                return; /* not started: manager_findings_start() reads them */
        m->host_reread |= what;
        check_queue_hold(m->checks, true);
        host_reread_step(m);
}

/* ldconfig wrote a new /etc/ld.so.cache (it renames ld.so.cache~ over it): read the cache and
 * ld.so.conf again, about 50 KiB of /etc, and check every Go unit against them. */
static int on_etc_changed(sd_event_source *s, const struct inotify_event *ev, void *userdata) {
        Manager *m = userdata;
        if (ev->len == 0 || strcmp(ev->name, "ld.so.cache") != 0 || !m->host_facts.loader_read)
                return 0;
        host_reread(m, HOST_REREAD_LD_CACHE);
        return 0;
}

/* CheckQueuePrepare: the unit's turn came; what is known of it now. */
static int prepare_check(void *userdata, const char *unit, ConditionCheck **ret, ExeEntry **ret_exe) {
        Manager *m = userdata;
        WatchedUnit *u = hashmap_get(m->units, unit);
        UnitKnowledge k;
        *ret = NULL;
        if (!u || !u->is_go || !u->have_service_props || lookup_unit(m, unit, &k) < 0)
                return 0;
        int r = condition_check_new(m->correlator, unit, &k, now_usec(CLOCK_REALTIME), ret);
        if (r < 0)
                return r;
        /* Its EnvironmentFile= files too: a FIFO or a hung file system must not stop the loop. */
        condition_check_read_env_files(*ret);
        /* The check reads the executable's facts: they stay while it runs. */
        *ret_exe = exe_entry_ref(u->exe);
        return 0;
}

/* CheckQueueApply: a check ran on the inspector's thread. */
static void apply_check(void *userdata, ConditionCheck *cc, int result) {
        Manager *m = userdata;
        WatchedUnit *u = hashmap_get(m->units, condition_check_unit(cc));
        _cleanup_(strv_freep) char **env = NULL, **errors = NULL;
        /* What the unit's EnvironmentFile= files say, for what its output is judged against. */
        if (u && condition_check_env_files(cc, &env, &errors)) {
                for (char **e = errors; e && *e; e++)
                        log_debug("Cannot read EnvironmentFile=%s of %s, ignoring.", *e, u->name);
                strv_free(u->environment_files);
                u->environment_files = TAKE_PTR(env);
        }
        int r = correlator_apply_check(m->correlator, cc);
        if (r < 0)
                log_warning_errno(r, "Failed to check the configuration of %s: %m",
                                  condition_check_unit(cc));
        host_reread_step(m);
}

/* CorrelatorOptions.request_check: the unit's output needs its root looked into. */
static void request_check(void *userdata, const char *unit) {
        Manager *m = userdata;
        WatchedUnit *u = hashmap_get(m->units, unit);
        if (u)
                manager_findings_check_unit(m, u);
}

int manager_findings_start(Manager *m) {
        _cleanup_free_ char *text = NULL;
        size_t size, line = 0;
        int r;

        r = finding_store_init(&m->findings);
        if (r < 0)
                return r;
        r = state_file_read(m->state_dir, FINDINGS_FILE, FINDING_STATE_SIZE_MAX, &text, &size);
        if (r >= 0)
                r = finding_state_read(text, size, &m->findings, &line);
        if (r == -ENOMEM)
                return log_error_errno(r, "Failed to load the findings: %m");
        if (r >= 0)
                log_info("Loaded %zu findings.", hashmap_size(m->findings.by_id));
        else if (r == -ENOENT) {
                /* A first start, or the state file was removed: then the saved cursor would skip
                 * the evidence of the findings it held. */
                m->watch_journal.from_head = watch_journal_has_cursor(m);
                if (m->watch_journal.from_head)
                        log_error("Findings state %s/%s is missing; rebuilding the findings from the "
                                  "journal.",
                                  m->state_dir, FINDINGS_FILE);
        } else {
                /* Keep the file for a post-mortem, and rebuild what it held from the journal,
                 * which still has the evidence: the cursor saved with the lost findings would skip
                 * it. Nothing is half-loaded. */
                _cleanup_free_ char *aside = NULL;
                (void) state_file_move_aside(m->state_dir, FINDINGS_FILE, &aside);
                m->watch_journal.from_head = true;
                log_error_errno(r,
                                "Findings state %s/%s cannot be read (line %zu: %m), moved it to %s; "
                                "rebuilding the findings from the journal.",
                                m->state_dir, FINDINGS_FILE, line, aside ?: "(failed)");
        }

        manager_findings_update_resolve_timer(m);

        r = dns_prober_new(m->event, manager_dns_probed, m, &m->dns_prober);
        if (r < 0)
                return log_error_errno(r, "Failed to set up the DNS prober: %m");

        r = host_facts_init(&m->host_facts, "/");
        if (r < 0)
                return log_error_errno(r, "Failed to set up the host facts: %m");
        /* Every family's host facts: read once, here, before the loop runs. */
        HostFactsErrors e;
        r = host_facts_read_all(&m->host_facts, m->proc_root, &e);
        if (r < 0)
                return log_error_errno(r, "Failed to read the host facts: %m");
        if (e.loader < 0)
                log_warning_errno(e.loader, "Failed to read the loader's host facts, ignoring: %m");
        else if (m->host_facts.ld_cache_error < 0)
                log_full_errno(SD_DEBUG, m->host_facts.ld_cache_error,
                               "No usable /etc/ld.so.cache, ignoring: %m");
        if (e.environment < 0)
                log_warning_errno(e.environment,
                                  "Failed to read the host's environment facts, ignoring: %m");
        if (e.security_labels < 0 && e.security_labels != -EOPNOTSUPP)
                log_warning_errno(e.security_labels,
                                  "Failed to read the SELinux policy's file contexts, not checking "
                                  "executables' labels: %m");
        /* The loader cache again when ldconfig writes it, which is cheap; the environment again
         * after a daemon-reload (manager_findings_host_changed()). */
        if (streq(m->host_facts.root, "/")) {
                r = sd_event_add_inotify(m->event, &m->ld_cache_watch, "/etc", IN_MOVED_TO | IN_CLOSE_WRITE,
                                         on_etc_changed, m);
                if (r < 0)
                        log_warning_errno(r, "Failed to watch /etc for /etc/ld.so.cache, ignoring: %m");
        }

        CorrelatorOptions o = {
                .lookup = lookup_unit,
                .notify = on_finding,
                .same_user = same_user_units,
                .userdata = m,
                .net_probe = manager_net_probe,
                .for_each_unit = for_each_unit,
                .pid_unit = pid_unit,
                .host_facts = &m->host_facts,
                .request_check = request_check,
        };
        r = correlator_new(&m->findings, &o, &m->correlator);
        if (r < 0)
                return log_error_errno(r, "Failed to set up the correlator: %m");
        correlator_set_host_facts(m->correlator, &m->host_facts);
        r = check_queue_new(m->inspector, &m->host_facts, prepare_check, apply_check, m, &m->checks);
        if (r < 0)
                return log_error_errno(r, "Failed to set up the condition checks: %m");
        return 0;
}

void manager_findings_check_unit(Manager *m, WatchedUnit *u) {
        if (!m->checks || !u->is_go || !u->have_service_props)
                return;
        int r = check_queue_add(m->checks, u->name);
        if (r < 0)
                log_warning_errno(r, "Failed to queue the check of %s, ignoring: %m", u->name);
}

void manager_findings_forget_unit(Manager *m, WatchedUnit *u) {
        if (m->checks)
                check_queue_forget(m->checks, u->name);
}

void manager_findings_host_changed(Manager *m) {
        host_reread(m, HOST_REREAD_ENVIRONMENT);
}

/* Operator actions. */
int manager_finding_set_state(Manager *m, Finding *f, FindingState state) {
        if (f->state == state)
                return 0; /* idempotent: nothing changed, nothing to announce */
        int r = finding_set_state(f, state, now_usec(CLOCK_REALTIME));
        if (r < 0)
                return r;
        if (state == FINDING_RESOLVED)
                manager_bus_finding_resolved(m, f);
        else
                manager_bus_finding_updated(m, f);
        manager_findings_recount(m, f->unit);
        m->findings_dirty = true;
        manager_schedule_save(m);
        return 0;
}
