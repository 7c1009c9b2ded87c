/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The org.goguard.goguard1 bus API: vtables and their handlers, nothing else. The contract is
 * dbus/org.goguard.goguard1.xml. */
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>

#include "bus-util.h"
#include "config.h"
#include "finding-json.h"
#include "go-env.h"
#include "go-exe-json.h"
#include "log.h"
#include "manager.h"
#include "unit-name.h"
#include "watched-unit.h"

#define MANAGER_IFACE "org.goguard.goguard1.Manager"
#define UNIT_IFACE    "org.goguard.goguard1.Unit"
#define ERROR_PREFIX  "org.goguard.goguard1.Error."

static const sd_bus_error_map goguard_errors[] = {
        SD_BUS_ERROR_MAP(ERROR_PREFIX "NoSuchUnit", ENOENT),
        SD_BUS_ERROR_MAP(ERROR_PREFIX "InvalidUnitName", EINVAL),
        SD_BUS_ERROR_MAP(ERROR_PREFIX "ExecutableUnavailable", ENOEXEC),
        SD_BUS_ERROR_MAP(ERROR_PREFIX "AccessDenied", EACCES),
        SD_BUS_ERROR_MAP(ERROR_PREFIX "NoSuchFinding", ENOKEY),
        SD_BUS_ERROR_MAP(ERROR_PREFIX "InvalidArgument", EDOM),
        SD_BUS_ERROR_MAP_END,
};

/* Validates a caller's unit name and finds the watched Go unit. */
static int lookup_go_unit(Manager *m, const char *name, WatchedUnit **ret, sd_bus_error *error) {
        if (!unit_name_is_valid(name))
                return sd_bus_error_setf(
                        error, ERROR_PREFIX "InvalidUnitName",
                        "Not a valid unit name (at most %d characters of [A-Za-z0-9:_.\\-@] "
                        "with a unit type suffix).",
                        UNIT_NAME_MAX);
        WatchedUnit *u = hashmap_get(m->units, name);
        if (!u || !u->exported)
                return sd_bus_error_setf(error, ERROR_PREFIX "NoSuchUnit",
                                         "Unit %s is not a watched Go service unit.", name);
        *ret = u;
        return 0;
}

/* ---- Manager ---- */

static int property_get_version(sd_bus *bus, const char *path, const char *interface, const char *property,
                                sd_bus_message *reply, void *userdata, sd_bus_error *error) {
        return sd_bus_message_append(reply, "s", PACKAGE_VERSION);
}

static int property_get_watched_units(sd_bus *bus, const char *path, const char *interface,
                                      const char *property, sd_bus_message *reply, void *userdata,
                                      sd_bus_error *error) {
        Manager *m = userdata;
        return sd_bus_message_append(reply, "u", (uint32_t) hashmap_size(m->units));
}

static int property_get_open_findings(sd_bus *bus, const char *path, const char *interface,
                                      const char *property, sd_bus_message *reply, void *userdata,
                                      sd_bus_error *error) {
        Manager *m = userdata;
        uint32_t n[_SEVERITY_MAX] = {};
        size_t i = 0;
        void *v;
        while (hashmap_iterate(m->findings.by_id, &i, &v, NULL)) {
                const Finding *f = v;
                if (f->state == FINDING_OPEN)
                        n[f->severity]++;
        }
        return sd_bus_message_append(reply, "a{su}", 3, "critical", n[SEVERITY_CRITICAL], "warning",
                                     n[SEVERITY_WARNING], "info", n[SEVERITY_INFO]);
}

static int property_get_sources(sd_bus *bus, const char *path, const char *interface, const char *property,
                                sd_bus_message *reply, void *userdata, sd_bus_error *error) {
        Manager *m = userdata;
        int r = sd_bus_message_open_container(reply, 'a', "s");
        if (r >= 0 && (m->sources & SOURCE_SYSTEMD))
                r = sd_bus_message_append(reply, "s", "systemd");
        if (r >= 0 && (m->sources & SOURCE_PROC))
                r = sd_bus_message_append(reply, "s", "proc");
        if (r >= 0 && (m->sources & SOURCE_JOURNAL))
                r = sd_bus_message_append(reply, "s", "journal");
        if (r >= 0 && (m->sources & SOURCE_KMSG))
                r = sd_bus_message_append(reply, "s", "kmsg");
        if (r >= 0)
                r = sd_bus_message_close_container(reply);
        return r;
}

static int property_get_findings_refused(sd_bus *bus, const char *path, const char *interface,
                                         const char *property, sd_bus_message *reply, void *userdata,
                                         sd_bus_error *error) {
        Manager *m = userdata;
        return sd_bus_message_append(reply, "t", (uint64_t) m->findings.n_dropped);
}

static int property_get_cgroup_version(sd_bus *bus, const char *path, const char *interface,
                                       const char *property, sd_bus_message *reply, void *userdata,
                                       sd_bus_error *error) {
        Manager *m = userdata;
        return sd_bus_message_append(reply, "s", m->cgroup_version);
}

static const char *unit_cgo(const WatchedUnit *u) {
        if (!u->exe || !u->exe->exe || u->exe->exe->cgo < 0)
                return "unknown";
        return u->exe->exe->cgo ? "yes" : "no";
}

static const char *unit_linking(const WatchedUnit *u) {
        if (!u->exe || !u->exe->exe)
                return "unknown";
        return u->exe->exe->elf.dynamic ? "dynamic" : "static";
}

static int compare_units(const void *a, const void *b) {
        return strcmp((*(WatchedUnit *const *) a)->name, (*(WatchedUnit *const *) b)->name);
}

static int method_list_go_units(sd_bus_message *call, void *userdata, sd_bus_error *error) {
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        Manager *m = userdata;
        _cleanup_free_ WatchedUnit **list = calloc(m->n_go_units + 1, sizeof(WatchedUnit *));
        size_t n = 0, i = 0;
        void *v;
        int r;

        if (!list)
                return -ENOMEM;
        while (hashmap_iterate(m->units, &i, &v, NULL))
                if (((WatchedUnit *) v)->exported && n < m->n_go_units)
                        list[n++] = v;
        qsort(list, n, sizeof *list, compare_units);

        r = sd_bus_message_new_method_return(call, &reply);
        if (r >= 0)
                r = sd_bus_message_open_container(reply, 'a', "(sossssu)");
        for (size_t k = 0; r >= 0 && k < n; k++) {
                WatchedUnit *u = list[k];
                r = sd_bus_message_open_container(reply, 'r', "sossssu");
                if (r >= 0)
                        r = sd_bus_message_append(reply, "so", u->name, u->bus_path);
                if (r >= 0)
                        r = bus_append_safe_string(reply, watched_unit_go_version(u));
                if (r >= 0)
                        r = bus_append_safe_string(reply, u->settings.active_state);
                if (r >= 0)
                        r = sd_bus_message_append(reply, "ssu", unit_cgo(u), unit_linking(u),
                                                  u->open_findings);
                if (r >= 0)
                        r = sd_bus_message_close_container(reply);
        }
        if (r >= 0)
                r = sd_bus_message_close_container(reply);
        if (r < 0)
                return r;
        return sd_bus_send(NULL, reply, NULL);
}

static int method_get_unit(sd_bus_message *call, void *userdata, sd_bus_error *error) {
        Manager *m = userdata;
        WatchedUnit *u;
        const char *name;
        int r = sd_bus_message_read(call, "s", &name);
        if (r < 0)
                return r;
        r = lookup_go_unit(m, name, &u, error);
        if (r < 0)
                return r;
        return sd_bus_reply_method_return(call, "o", u->bus_path);
}

static int method_inspect_unit_executable(sd_bus_message *call, void *userdata, sd_bus_error *error) {
        Manager *m = userdata;
        WatchedUnit *u;
        const char *name;
        int r;

        r = sd_bus_message_read(call, "s", &name);
        if (r < 0)
                return r;
        r = lookup_go_unit(m, name, &u, error);
        if (r < 0)
                return r;
        return manager_inspect_unit_executable(m, u, call, error);
}

/* Polkit, asynchronously: the loop never waits for an authorization. */
typedef struct PolkitQuery {
        Manager *manager;
        const char *action; /* static string */
        sd_bus_message *call;
        int (*run)(Manager *m, sd_bus_message *call);
} PolkitQuery;

static void polkit_query_free(void *p) {
        PolkitQuery *q = p;
        sd_bus_message_unref(q->call);
        free(q);
}

static int polkit_reply(sd_bus_message *reply, void *userdata, sd_bus_error *ret_error) {
        PolkitQuery *q = userdata;
        int authorized = 0, challenge = 0, r;

        if (sd_bus_message_is_method_error(reply, NULL)) {
                /* No polkit on this host: only root may, and root never gets here. */
                log_debug("Polkit check failed: %s", sd_bus_message_get_error(reply)->message);
        } else {
                r = sd_bus_message_enter_container(reply, 'r', "bba{ss}");
                if (r >= 0)
                        r = sd_bus_message_read(reply, "bb", &authorized, &challenge);
                if (r < 0)
                        authorized = 0;
        }
        if (!authorized)
                r = sd_bus_reply_method_errorf(q->call, ERROR_PREFIX "AccessDenied",
                                               "Not authorized (polkit action %s%s).", q->action,
                                               challenge ? ", authentication required" : "");
        else
                r = q->run(q->manager, q->call);
        if (r < 0)
                log_warning_errno(r, "Failed to reply to a privileged call: %m");
        return 0;
}

static int verify_polkit_async(Manager *m, sd_bus_message *call, const char *action,
                               int (*run)(Manager *m, sd_bus_message *call), sd_bus_error *error) {
        _cleanup_(sd_bus_creds_unrefp) sd_bus_creds *creds = NULL;
        uid_t euid;
        sd_bus_slot *slot;
        int r;

        r = sd_bus_query_sender_creds(call, SD_BUS_CREDS_EUID, &creds);
        if (r >= 0)
                r = sd_bus_creds_get_euid(creds, &euid);
        if (r >= 0 && euid == 0)
                return run(m, call);

        PolkitQuery *q = calloc(1, sizeof *q);
        if (!q)
                return -ENOMEM;
        q->manager = m;
        q->action = action;
        q->call = sd_bus_message_ref(call);
        q->run = run;
        r = sd_bus_call_method_async(
                m->bus, &slot, "org.freedesktop.PolicyKit1", "/org/freedesktop/PolicyKit1/Authority",
                "org.freedesktop.PolicyKit1.Authority", "CheckAuthorization", polkit_reply, q,
                "(sa{sv})sa{ss}us", "system-bus-name", 1, "name", "s", sd_bus_message_get_sender(call),
                action, 0, (uint32_t) sd_bus_message_get_allow_interactive_authorization(call), "");
        if (r < 0) {
                polkit_query_free(q);
                return r;
        }
        (void) sd_bus_slot_set_destroy_callback(slot, polkit_query_free);
        (void) sd_bus_slot_set_floating(slot, true);
        return 1; /* replied later */
}

static int run_rescan(Manager *m, sd_bus_message *call) {
        int r = watch_units_rescan(m);
        if (r < 0)
                return sd_bus_reply_method_errnof(call, r, "Failed to rescan: %m");
        return sd_bus_reply_method_return(call, NULL);
}

static int method_rescan(sd_bus_message *call, void *userdata, sd_bus_error *error) {
        return verify_polkit_async(userdata, call, "org.goguard.goguard1.rescan", run_rescan, error);
}

static int verify_polkit_async(Manager *m, sd_bus_message *call, const char *action,
                               int (*run)(Manager *m, sd_bus_message *call), sd_bus_error *error);

/* ---- findings ---- */

#define LIST_LIMIT_DEFAULT 100u
#define LIST_LIMIT_MAX     1000u

typedef struct FindingFilter {
        const char *unit;
        FindingClass class;
        FindingSeverity severity;
        FindingState state;
        uint64_t since;
} FindingFilter;

static int read_filter(sd_bus_message *call, FindingFilter *flt, sd_bus_error *error) {
        *flt = (FindingFilter){ .class = _FINDING_CLASS_INVALID,
                                .severity = _SEVERITY_INVALID,
                                .state = _FINDING_STATE_INVALID };
        int r = sd_bus_message_enter_container(call, 'a', "{sv}");
        if (r < 0)
                return r;
        while ((r = sd_bus_message_enter_container(call, 'e', "sv")) > 0) {
                const char *key, *contents, *s;
                r = sd_bus_message_read(call, "s", &key);
                if (r < 0)
                        return r;
                r = sd_bus_message_peek_type(call, NULL, &contents);
                if (r < 0)
                        return r;
                bool is_string = strcmp(contents, "s") == 0;
                if (strcmp(key, "since") == 0) {
                        if (strcmp(contents, "t") != 0)
                                goto bad_type;
                        r = sd_bus_message_read(call, "v", "t", &flt->since);
                } else if (!is_string)
                        goto bad_type;
                else {
                        r = sd_bus_message_read(call, "v", "s", &s);
                        if (r < 0)
                                return r;
                        if (strcmp(key, "unit") == 0) {
                                if (!unit_name_is_valid(s))
                                        return sd_bus_error_setf(error, ERROR_PREFIX "InvalidUnitName",
                                                                 "Filter 'unit' is not a valid unit name.");
                                flt->unit = s;
                        } else if (strcmp(key, "class") == 0) {
                                if ((flt->class = finding_class_from_string(s)) < 0)
                                        return sd_bus_error_setf(error, ERROR_PREFIX "InvalidArgument",
                                                                 "Unknown finding class.");
                        } else if (strcmp(key, "severity") == 0) {
                                if ((flt->severity = finding_severity_from_string(s)) < 0)
                                        return sd_bus_error_setf(
                                                error, ERROR_PREFIX "InvalidArgument",
                                                "Severity must be critical, warning or info.");
                        } else if (strcmp(key, "state") == 0) {
                                if ((flt->state = finding_state_from_string(s)) < 0)
                                        return sd_bus_error_setf(
                                                error, ERROR_PREFIX "InvalidArgument",
                                                "State must be open, acknowledged or resolved.");
                        } else
                                return sd_bus_error_setf(
                                        error, ERROR_PREFIX "InvalidArgument",
                                        "Unknown filter key (known: unit, class, severity, state, since).");
                }
                if (r < 0)
                        return r;
                r = sd_bus_message_exit_container(call);
                if (r < 0)
                        return r;
        }
        if (r < 0)
                return r;
        return sd_bus_message_exit_container(call);
bad_type:
        return sd_bus_error_setf(error, ERROR_PREFIX "InvalidArgument",
                                 "Filter values: 'since' is a t, the others are s.");
}

static bool filter_match(const FindingFilter *flt, const Finding *f) {
        return (!flt->unit || strcmp(flt->unit, f->unit) == 0) &&
               (flt->class < 0 || flt->class == f->class) &&
               (flt->severity < 0 || flt->severity == f->severity) &&
               (flt->state < 0 || flt->state == f->state) && f->last_seen >= flt->since;
}

static int method_list_findings(sd_bus_message *call, void *userdata, sd_bus_error *error) {
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        Manager *m = userdata;
        FindingFilter flt;
        uint32_t offset, limit;
        int r;

        r = read_filter(call, &flt, error);
        if (r < 0)
                return r;
        r = sd_bus_message_read(call, "uu", &offset, &limit);
        if (r < 0)
                return r;
        if (limit > LIST_LIMIT_MAX)
                return sd_bus_error_setf(error, ERROR_PREFIX "InvalidArgument",
                                         "At most %u findings per call.", LIST_LIMIT_MAX);
        if (limit == 0)
                limit = LIST_LIMIT_DEFAULT;

        size_t n = 0, i = 0;
        void *v;
        _cleanup_free_ const Finding **list = calloc(hashmap_size(m->findings.by_id) + 1, sizeof(Finding *));
        if (!list)
                return -ENOMEM;
        while (hashmap_iterate(m->findings.by_id, &i, &v, NULL))
                if (filter_match(&flt, v))
                        list[n++] = v;
        qsort(list, n, sizeof *list, finding_ptr_compare_newest);

        r = sd_bus_message_new_method_return(call, &reply);
        if (r >= 0)
                r = sd_bus_message_open_container(reply, 'a', "(ssssssttt)");
        for (size_t k = offset; r >= 0 && k < n && k < (size_t) offset + limit; k++) {
                const Finding *f = list[k];
                r = sd_bus_message_append(
                        reply, "(ssssssttt)", f->id, f->unit, finding_class_info(f->class)->name,
                        finding_severity_to_string(f->severity), finding_state_to_string(f->state),
                        f->summary ?: "", f->first_seen, f->last_seen, f->count);
        }
        if (r >= 0)
                r = sd_bus_message_close_container(reply);
        if (r >= 0)
                r = sd_bus_message_append(reply, "u", (uint32_t) n);
        if (r < 0)
                return r;
        return sd_bus_send(NULL, reply, NULL);
}

static int lookup_finding(Manager *m, const char *id, Finding **ret, sd_bus_error *error) {
        size_t n = strlen(id);
        bool hex = n == 32;
        for (size_t i = 0; hex && i < n; i++)
                hex = (id[i] >= '0' && id[i] <= '9') || (id[i] >= 'a' && id[i] <= 'f');
        if (!hex)
                return sd_bus_error_setf(error, ERROR_PREFIX "InvalidArgument",
                                         "A finding id is 32 lowercase hex digits.");
        Finding *f = finding_store_get(&m->findings, id);
        if (!f)
                return sd_bus_error_setf(error, ERROR_PREFIX "NoSuchFinding", "No finding %s.", id);
        *ret = f;
        return 0;
}

static int append_finding(sd_bus_message *reply, const Finding *f) {
        static const char *const advice_kinds[_ADVICE_KIND_MAX] = { "text", "dropin", "command" };
        const FindingClassInfo *info = finding_class_info(f->class);
        int r = sd_bus_message_open_container(reply, 'a', "{sv}");
        if (r >= 0)
                r = sd_bus_message_append(reply, "{sv}{sv}{sv}{sv}{sv}{sv}{sv}{sv}{sv}{sv}{sv}", "Id", "s",
                                          f->id, "Unit", "s", f->unit, "InvocationID", "s", f->invocation_id,
                                          "Class", "s", info->name, "MessageID", "s", info->message_id,
                                          "Severity", "s", finding_severity_to_string(f->severity), "State",
                                          "s", finding_state_to_string(f->state), "Summary", "s",
                                          f->summary ?: "", "FirstSeen", "t", f->first_seen, "LastSeen", "t",
                                          f->last_seen, "Count", "t", f->count);
        if (r >= 0)
                r = sd_bus_message_open_container(reply, 'e', "sv");
        if (r >= 0)
                r = sd_bus_message_append(reply, "s", "Evidence");
        if (r >= 0)
                r = sd_bus_message_open_container(reply, 'v', "a{sv}");
        if (r >= 0)
                r = sd_bus_message_open_container(reply, 'a', "{sv}");
        for (size_t i = 0; r >= 0 && i < f->n_evidence; i++) {
                const Evidence *e = &f->evidence[i];
                switch (e->type) {
                case EVIDENCE_STRING:
                        r = sd_bus_message_append(reply, "{sv}", e->key, "s", e->s ?: "");
                        break;
                case EVIDENCE_I64: r = sd_bus_message_append(reply, "{sv}", e->key, "x", e->i); break;
                case EVIDENCE_BOOL:
                        r = sd_bus_message_append(reply, "{sv}", e->key, "b", (int) (e->u != 0));
                        break;
                default: r = sd_bus_message_append(reply, "{sv}", e->key, "t", e->u);
                }
        }
        if (r >= 0)
                r = sd_bus_message_close_container(reply);
        if (r >= 0)
                r = sd_bus_message_close_container(reply);
        if (r >= 0)
                r = sd_bus_message_close_container(reply);
        if (r >= 0)
                r = sd_bus_message_open_container(reply, 'e', "sv");
        if (r >= 0)
                r = sd_bus_message_append(reply, "s", "Advice");
        if (r >= 0)
                r = sd_bus_message_open_container(reply, 'v', "a(sss)");
        if (r >= 0)
                r = sd_bus_message_open_container(reply, 'a', "(sss)");
        for (size_t i = 0; r >= 0 && i < f->n_advice; i++)
                r = sd_bus_message_append(reply, "(sss)", advice_kinds[f->advice[i].kind], f->advice[i].text,
                                          f->advice[i].snippet ?: "");
        if (r >= 0)
                r = sd_bus_message_close_container(reply);
        if (r >= 0)
                r = sd_bus_message_close_container(reply);
        if (r >= 0)
                r = sd_bus_message_close_container(reply);
        if (r >= 0)
                r = sd_bus_message_close_container(reply);
        return r;
}

static int method_get_finding(sd_bus_message *call, void *userdata, sd_bus_error *error) {
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        const char *id;
        Finding *f;
        int r = sd_bus_message_read(call, "s", &id);
        if (r < 0)
                return r;
        r = lookup_finding(userdata, id, &f, error);
        if (r < 0)
                return r;
        r = sd_bus_message_new_method_return(call, &reply);
        if (r >= 0)
                r = append_finding(reply, f);
        if (r < 0)
                return r;
        return sd_bus_send(NULL, reply, NULL);
}

static int reply_memfd(sd_bus_message *call, const char *name, StrBuf *b) {
        _cleanup_close_ int fd = memfd_create(name, MFD_CLOEXEC | MFD_ALLOW_SEALING);
        if (fd < 0 || write(fd, b->data, b->len) != (ssize_t) b->len ||
            fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL) < 0 ||
            lseek(fd, 0, SEEK_SET) < 0)
                return -errno;
        return sd_bus_reply_method_return(call, "h", fd);
}

static int method_dump_findings(sd_bus_message *call, void *userdata, sd_bus_error *error) {
        Manager *m = userdata;
        StrBuf b = {};
        JsonWriter w = { .out = &b, .pretty = true };
        size_t i = 0;
        void *v;
        json_begin_array(&w);
        while (hashmap_iterate(m->findings.by_id, &i, &v, NULL))
                finding_to_json(v, &w);
        json_end_array(&w);
        strbuf_append_char(&b, '\n');
        int r = strbuf_error(&b);
        if (r >= 0)
                r = reply_memfd(call, "goguard-findings", &b);
        strbuf_done(&b);
        return r;
}

static int run_finding_action(Manager *m, sd_bus_message *call, FindingState state) {
        const char *id;
        Finding *f;
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        int r = sd_bus_message_rewind(call, true);
        if (r >= 0)
                r = sd_bus_message_read(call, "s", &id);
        if (r < 0)
                return sd_bus_reply_method_errnof(call, r, "Failed to read arguments: %m");
        r = lookup_finding(m, id, &f, &error);
        if (r < 0)
                return sd_bus_reply_method_error(call, &error);
        r = manager_finding_set_state(m, f, state);
        if (r == -ESTALE)
                return sd_bus_reply_method_errorf(call, ERROR_PREFIX "InvalidArgument",
                                                  "Finding %s is resolved already.", id);
        if (r < 0)
                return sd_bus_reply_method_errnof(call, r, "Failed to change finding %s: %m", id);
        return sd_bus_reply_method_return(call, NULL);
}

static int run_acknowledge(Manager *m, sd_bus_message *call) {
        return run_finding_action(m, call, FINDING_ACKNOWLEDGED);
}

static int run_dismiss(Manager *m, sd_bus_message *call) {
        return run_finding_action(m, call, FINDING_RESOLVED);
}

static int method_finding_action(sd_bus_message *call, void *userdata, sd_bus_error *error,
                                 int (*run)(Manager *m, sd_bus_message *call)) {
        const char *id;
        Finding *f;
        /* Validate before asking polkit, so bad input fails fast for everyone. */
        int r = sd_bus_message_read(call, "s", &id);
        if (r < 0)
                return r;
        r = lookup_finding(userdata, id, &f, error);
        if (r < 0)
                return r;
        return verify_polkit_async(userdata, call, "org.goguard.goguard1.manage-findings", run, error);
}

static int method_acknowledge_finding(sd_bus_message *call, void *userdata, sd_bus_error *error) {
        return method_finding_action(call, userdata, error, run_acknowledge);
}

static int method_dismiss_finding(sd_bus_message *call, void *userdata, sd_bus_error *error) {
        return method_finding_action(call, userdata, error, run_dismiss);
}

void manager_bus_finding_added(Manager *m, const Finding *f) {
        int r = sd_bus_emit_signal(m->bus, MANAGER_BUS_PATH, MANAGER_IFACE, "FindingAdded", "sssss", f->id,
                                   f->unit, finding_class_info(f->class)->name,
                                   finding_severity_to_string(f->severity), f->summary ?: "");
        if (r < 0)
                log_debug("Failed to emit FindingAdded: %s", strerror(-r));
}

void manager_bus_finding_updated(Manager *m, const Finding *f) {
        int r = sd_bus_emit_signal(m->bus, MANAGER_BUS_PATH, MANAGER_IFACE, "FindingUpdated", "ssstt", f->id,
                                   f->unit, finding_state_to_string(f->state), f->count, f->last_seen);
        if (r < 0)
                log_debug("Failed to emit FindingUpdated: %s", strerror(-r));
}

void manager_bus_finding_resolved(Manager *m, const Finding *f) {
        int r = sd_bus_emit_signal(m->bus, MANAGER_BUS_PATH, MANAGER_IFACE, "FindingResolved", "ss", f->id,
                                   f->unit);
        if (r < 0)
                log_debug("Failed to emit FindingResolved: %s", strerror(-r));
}

static int emit_findings_counts(sd_event_source *s, void *userdata) {
        Manager *m = userdata;
        (void) sd_bus_emit_properties_changed(m->bus, MANAGER_BUS_PATH, MANAGER_IFACE,
                                              "OpenFindingsBySeverity", NULL);
        return sd_event_source_set_enabled(s, SD_EVENT_OFF);
}

void manager_bus_findings_counts_changed(Manager *m) {
        if (!m->findings_counts_event) {
                if (sd_event_add_defer(m->event, &m->findings_counts_event, emit_findings_counts, m) < 0)
                        log_debug("Failed to schedule a findings counts signal.");
                return;
        }
        (void) sd_event_source_set_enabled(m->findings_counts_event, SD_EVENT_ONESHOT);
}

static const sd_bus_vtable manager_vtable[] = {
        SD_BUS_VTABLE_START(0),
        SD_BUS_PROPERTY("Version", "s", property_get_version, 0, SD_BUS_VTABLE_PROPERTY_CONST),
        SD_BUS_PROPERTY("StartTimestamp", "t", NULL, offsetof(Manager, start_timestamp),
                        SD_BUS_VTABLE_PROPERTY_CONST),
        SD_BUS_PROPERTY("WatchedUnits", "u", property_get_watched_units, 0,
                        SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
        SD_BUS_PROPERTY("GoUnits", "u", NULL, offsetof(Manager, n_go_units),
                        SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
        SD_BUS_PROPERTY("OpenFindingsBySeverity", "a{su}", property_get_open_findings, 0,
                        SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
        SD_BUS_PROPERTY("Sources", "as", property_get_sources, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
        SD_BUS_PROPERTY("CGroupVersion", "s", property_get_cgroup_version, 0, SD_BUS_VTABLE_PROPERTY_CONST),
        /* Counters that change with every journal entry: read on demand, never signalled. */
        SD_BUS_PROPERTY("JournalEntriesRead", "t", NULL, offsetof(Manager, journal_entries), 0),
        SD_BUS_PROPERTY("JournalEntriesSkipped", "t", NULL, offsetof(Manager, journal_corrupt), 0),
        SD_BUS_PROPERTY("FindingsRefused", "t", property_get_findings_refused, 0, 0),
        SD_BUS_METHOD_WITH_ARGS("ListGoUnits", SD_BUS_NO_ARGS, SD_BUS_RESULT("a(sossssu)", units),
                                method_list_go_units, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("GetUnit", SD_BUS_ARGS("s", name), SD_BUS_RESULT("o", unit), method_get_unit,
                                SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("InspectUnitExecutable", SD_BUS_ARGS("s", name), SD_BUS_RESULT("h", json),
                                method_inspect_unit_executable, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("Rescan", SD_BUS_NO_ARGS, SD_BUS_NO_RESULT, method_rescan,
                                SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("ListFindings", SD_BUS_ARGS("a{sv}", filter, "u", offset, "u", limit),
                                SD_BUS_RESULT("a(ssssssttt)", findings, "u", total), method_list_findings,
                                SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("GetFinding", SD_BUS_ARGS("s", id), SD_BUS_RESULT("a{sv}", finding),
                                method_get_finding, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("DumpFindings", SD_BUS_NO_ARGS, SD_BUS_RESULT("h", json),
                                method_dump_findings, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("AcknowledgeFinding", SD_BUS_ARGS("s", id), SD_BUS_NO_RESULT,
                                method_acknowledge_finding, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("DismissFinding", SD_BUS_ARGS("s", id), SD_BUS_NO_RESULT,
                                method_dismiss_finding, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_SIGNAL_WITH_ARGS("FindingAdded",
                                SD_BUS_ARGS("s", id, "s", unit, "s", class, "s", severity, "s", summary), 0),
        SD_BUS_SIGNAL_WITH_ARGS("FindingUpdated",
                                SD_BUS_ARGS("s", id, "s", unit, "s", state, "t", count, "t", last_seen), 0),
        SD_BUS_SIGNAL_WITH_ARGS("FindingResolved", SD_BUS_ARGS("s", id, "s", unit), 0),
        SD_BUS_VTABLE_END,
};

/* ---- Unit ---- */

static const GoExe *unit_exe(const WatchedUnit *u) {
        return u->exe ? u->exe->exe : NULL;
}

#define UNIT_STRING_GETTER(fname, expr)                                                                     \
        static int fname(sd_bus *bus, const char *path, const char *interface, const char *property,        \
                         sd_bus_message *reply, void *userdata, sd_bus_error *error) {                      \
                WatchedUnit *u = userdata;                                                                  \
                const GoExe *x = unit_exe(u);                                                               \
                (void) x;                                                                                   \
                return bus_append_safe_string(reply, (expr));                                               \
        }

UNIT_STRING_GETTER(property_get_active_state, u->settings.active_state)
UNIT_STRING_GETTER(property_get_sub_state, u->settings.sub_state)
UNIT_STRING_GETTER(property_get_result, u->settings.result)
UNIT_STRING_GETTER(property_get_exec_start_path, u->settings.exec_start_path)
UNIT_STRING_GETTER(property_get_executable, u->exe_path)
UNIT_STRING_GETTER(property_get_go_version, watched_unit_go_version(u))
UNIT_STRING_GETTER(property_get_main_package, x && x->modinfo ? x->modinfo->path : NULL)
UNIT_STRING_GETTER(property_get_cgo, unit_cgo(u))
UNIT_STRING_GETTER(property_get_goos, x ? x->goos : NULL)
UNIT_STRING_GETTER(property_get_goarch, x ? x->goarch : NULL)
UNIT_STRING_GETTER(property_get_linking, unit_linking(u))
UNIT_STRING_GETTER(property_get_elf_type, x ? elf_kind_to_string(x->elf.kind) : NULL)
UNIT_STRING_GETTER(property_get_interpreter, x ? x->elf.interpreter : NULL)
UNIT_STRING_GETTER(property_get_type, u->settings.type)
UNIT_STRING_GETTER(property_get_restart, u->settings.restart)
UNIT_STRING_GETTER(property_get_oom_policy, u->settings.oom_policy)
UNIT_STRING_GETTER(property_get_user, u->settings.user)
UNIT_STRING_GETTER(property_get_control_group, u->settings.control_group)
UNIT_STRING_GETTER(property_get_invocation_id, u->settings.invocation_id)

static int property_get_arch_level(sd_bus *bus, const char *path, const char *interface,
                                   const char *property, sd_bus_message *reply, void *userdata,
                                   sd_bus_error *error) {
        const GoExe *x = unit_exe(userdata);
        _cleanup_free_ char *s = NULL;
        if (x && x->arch_level && asprintf(&s, "%s=%s", x->arch_level_key, x->arch_level) < 0)
                return -ENOMEM;
        return bus_append_safe_string(reply, s);
}

static int property_get_main_module(sd_bus *bus, const char *path, const char *interface,
                                    const char *property, sd_bus_message *reply, void *userdata,
                                    sd_bus_error *error) {
        const GoExe *x = unit_exe(userdata);
        const GoModule *mod = x && x->modinfo ? &x->modinfo->main : NULL;
        return bus_append_safe_pair(reply, mod ? mod->path : NULL, mod ? mod->version : NULL);
}

static int property_get_needed(sd_bus *bus, const char *path, const char *interface, const char *property,
                               sd_bus_message *reply, void *userdata, sd_bus_error *error) {
        const GoExe *x = unit_exe(userdata);
        int r = sd_bus_message_open_container(reply, 'a', "(ss)");
        for (size_t i = 0; r >= 0 && x && i < x->elf.n_needed; i++)
                r = bus_append_safe_pair(reply, x->elf.needed[i].name, x->elf.needed[i].glibc_version);
        return r < 0 ? r : sd_bus_message_close_container(reply);
}

/* Read by everyone, and signalled: values that can carry secrets are always redacted here;
 * InspectUnitExecutable shows them to whoever could read the file. */
static int property_get_build_settings(sd_bus *bus, const char *path, const char *interface,
                                       const char *property, sd_bus_message *reply, void *userdata,
                                       sd_bus_error *error) {
        const GoExe *x = unit_exe(userdata);
        int r = sd_bus_message_open_container(reply, 'a', "(ss)");
        for (size_t i = 0; r >= 0 && x && x->modinfo && i < x->modinfo->n_settings; i++)
                r = bus_append_safe_pair(reply, x->modinfo->settings[i].key,
                                         go_setting_value_shown(&x->modinfo->settings[i], false));
        return r < 0 ? r : sd_bus_message_close_container(reply);
}

/* (name, value, redacted): only values goguard reasons about leave the daemon. */
static int append_environment(sd_bus_message *reply, char *const *env) {
        int r = sd_bus_message_open_container(reply, 'a', "(ssb)");
        for (char *const *e = env; r >= 0 && e && *e; e++) {
                const char *eq = strchr(*e, '=');
                if (!eq)
                        continue;
                _cleanup_free_ char *name = strndup(*e, (size_t) (eq - *e));
                if (!name)
                        return -ENOMEM;
                bool public = env_value_is_public(name, strlen(name));
                r = sd_bus_message_open_container(reply, 'r', "ssb");
                if (r >= 0)
                        r = bus_append_safe_string(reply, name);
                if (r >= 0)
                        r = bus_append_safe_string(reply, public ? eq + 1 : "");
                if (r >= 0)
                        r = sd_bus_message_append(reply, "b", !public);
                if (r >= 0)
                        r = sd_bus_message_close_container(reply);
        }
        return r < 0 ? r : sd_bus_message_close_container(reply);
}

static int property_get_environment(sd_bus *bus, const char *path, const char *interface,
                                    const char *property, sd_bus_message *reply, void *userdata,
                                    sd_bus_error *error) {
        WatchedUnit *u = userdata;
        return append_environment(reply, u->settings.environment);
}

static int property_get_process_environment(sd_bus *bus, const char *path, const char *interface,
                                            const char *property, sd_bus_message *reply, void *userdata,
                                            sd_bus_error *error) {
        WatchedUnit *u = userdata;
        return append_environment(reply, watched_unit_is_running(u) ? u->process_environment : NULL);
}

static int property_get_environment_files(sd_bus *bus, const char *path, const char *interface,
                                          const char *property, sd_bus_message *reply, void *userdata,
                                          sd_bus_error *error) {
        WatchedUnit *u = userdata;
        int r = sd_bus_message_open_container(reply, 'a', "(sb)");
        for (size_t i = 0; r >= 0 && i < u->settings.n_environment_files; i++) {
                r = sd_bus_message_open_container(reply, 'r', "sb");
                if (r >= 0)
                        r = bus_append_safe_string(reply, u->settings.environment_files[i].path);
                if (r >= 0)
                        r = sd_bus_message_append(reply, "b", u->settings.environment_files[i].optional);
                if (r >= 0)
                        r = sd_bus_message_close_container(reply);
        }
        return r < 0 ? r : sd_bus_message_close_container(reply);
}

#define W(field)  offsetof(WatchedUnit, field)
#define WS(field) (offsetof(WatchedUnit, settings) + offsetof(UnitSettings, field))
#define EMITS     SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE

static const sd_bus_vtable unit_vtable[] = {
        SD_BUS_VTABLE_START(0),
        SD_BUS_PROPERTY("Name", "s", NULL, W(name), SD_BUS_VTABLE_PROPERTY_CONST),
        SD_BUS_PROPERTY("ActiveState", "s", property_get_active_state, 0, EMITS),
        SD_BUS_PROPERTY("SubState", "s", property_get_sub_state, 0, EMITS),
        SD_BUS_PROPERTY("InvocationID", "s", property_get_invocation_id, 0, EMITS),
        SD_BUS_PROPERTY("MainPID", "u", NULL, WS(main_pid), EMITS),
        SD_BUS_PROPERTY("NRestarts", "u", NULL, WS(n_restarts), EMITS),
        SD_BUS_PROPERTY("Result", "s", property_get_result, 0, EMITS),
        SD_BUS_PROPERTY("ExecStartPath", "s", property_get_exec_start_path, 0, EMITS),
        SD_BUS_PROPERTY("Executable", "s", property_get_executable, 0, EMITS),
        SD_BUS_PROPERTY("GoVersion", "s", property_get_go_version, 0, EMITS),
        SD_BUS_PROPERTY("MainPackage", "s", property_get_main_package, 0, EMITS),
        SD_BUS_PROPERTY("MainModule", "(ss)", property_get_main_module, 0, EMITS),
        SD_BUS_PROPERTY("Cgo", "s", property_get_cgo, 0, EMITS),
        SD_BUS_PROPERTY("GOOS", "s", property_get_goos, 0, EMITS),
        SD_BUS_PROPERTY("GOARCH", "s", property_get_goarch, 0, EMITS),
        SD_BUS_PROPERTY("ArchLevel", "s", property_get_arch_level, 0, EMITS),
        SD_BUS_PROPERTY("Linking", "s", property_get_linking, 0, EMITS),
        SD_BUS_PROPERTY("ElfType", "s", property_get_elf_type, 0, EMITS),
        SD_BUS_PROPERTY("Interpreter", "s", property_get_interpreter, 0, EMITS),
        SD_BUS_PROPERTY("NeededLibraries", "a(ss)", property_get_needed, 0, EMITS),
        SD_BUS_PROPERTY("BuildSettings", "a(ss)", property_get_build_settings, 0, EMITS),
        SD_BUS_PROPERTY("Type", "s", property_get_type, 0, EMITS),
        SD_BUS_PROPERTY("Restart", "s", property_get_restart, 0, EMITS),
        SD_BUS_PROPERTY("OOMPolicy", "s", property_get_oom_policy, 0, EMITS),
        SD_BUS_PROPERTY("User", "s", property_get_user, 0, EMITS),
        SD_BUS_PROPERTY("DynamicUser", "b", NULL, WS(dynamic_user), EMITS),
        SD_BUS_PROPERTY("LimitNOFILE", "t", NULL, WS(limit_nofile), EMITS),
        SD_BUS_PROPERTY("LimitNOFILESoft", "t", NULL, WS(limit_nofile_soft), EMITS),
        SD_BUS_PROPERTY("LimitNPROC", "t", NULL, WS(limit_nproc), EMITS),
        SD_BUS_PROPERTY("LimitNPROCSoft", "t", NULL, WS(limit_nproc_soft), EMITS),
        SD_BUS_PROPERTY("TasksMax", "t", NULL, WS(tasks_max), EMITS),
        SD_BUS_PROPERTY("MemoryMax", "t", NULL, WS(memory_max), EMITS),
        SD_BUS_PROPERTY("MemoryHigh", "t", NULL, WS(memory_high), EMITS),
        SD_BUS_PROPERTY("MemoryLimit", "t", NULL, WS(memory_limit), EMITS),
        SD_BUS_PROPERTY("MemorySwapMax", "t", NULL, WS(memory_swap_max), EMITS),
        SD_BUS_PROPERTY("CPUQuotaPerSecUSec", "t", NULL, WS(cpu_quota_per_sec_usec), EMITS),
        SD_BUS_PROPERTY("AmbientCapabilities", "t", NULL, WS(ambient_capabilities), EMITS),
        SD_BUS_PROPERTY("ControlGroup", "s", property_get_control_group, 0, EMITS),
        SD_BUS_PROPERTY("Environment", "a(ssb)", property_get_environment, 0, EMITS),
        SD_BUS_PROPERTY("EnvironmentFiles", "a(sb)", property_get_environment_files, 0, EMITS),
        SD_BUS_PROPERTY("ProcessEnvironment", "a(ssb)", property_get_process_environment, 0, EMITS),
        SD_BUS_PROPERTY("FDCount", "u", NULL, W(fd_count), EMITS),
        SD_BUS_PROPERTY("TasksCurrent", "t", NULL, W(tasks_current), EMITS),
        SD_BUS_PROPERTY("SampleTimestamp", "t", NULL, W(sample_timestamp), 0),
        SD_BUS_PROPERTY("OpenFindings", "u", NULL, W(open_findings), EMITS),
        SD_BUS_VTABLE_END,
};

static int unit_find(sd_bus *bus, const char *path, const char *interface, void *userdata, void **ret_found,
                     sd_bus_error *error) {
        Manager *m = userdata;
        _cleanup_free_ char *name = NULL;
        if (sd_bus_path_decode(path, MANAGER_UNIT_PATH_PREFIX, &name) <= 0 || !name)
                return 0;
        WatchedUnit *u = hashmap_get(m->units, name);
        if (!u || !u->exported)
                return 0;
        *ret_found = u;
        return 1;
}

static int unit_enumerate(sd_bus *bus, const char *path, void *userdata, char ***ret_nodes,
                          sd_bus_error *error) {
        Manager *m = userdata;
        char **nodes = calloc(m->n_go_units + 1, sizeof(char *));
        size_t n = 0, i = 0;
        void *v;
        if (!nodes)
                return -ENOMEM;
        while (hashmap_iterate(m->units, &i, &v, NULL)) {
                WatchedUnit *u = v;
                if (!u->exported || n >= m->n_go_units)
                        continue;
                nodes[n] = strdup(u->bus_path);
                if (!nodes[n]) {
                        for (size_t k = 0; k < n; k++)
                                free(nodes[k]);
                        free(nodes);
                        return -ENOMEM;
                }
                n++;
        }
        *ret_nodes = nodes;
        return 0;
}

/* ---- signals ---- */

void manager_bus_unit_added(Manager *m, WatchedUnit *u) {
        int r = sd_bus_emit_object_added(m->bus, u->bus_path);
        if (r < 0)
                log_warning_errno(r, "Failed to announce %s on the bus, ignoring: %m", u->name);
}

void manager_bus_unit_removed(Manager *m, WatchedUnit *u) {
        int r = sd_bus_emit_object_removed(m->bus, u->bus_path);
        if (r < 0)
                log_warning_errno(r, "Failed to announce removal of %s, ignoring: %m", u->name);
}

void manager_bus_unit_properties_changed(Manager *m, WatchedUnit *u, unsigned changes) {
        static const char *const state[] = { "ActiveState", "SubState",  "InvocationID",
                                             "MainPID",     "NRestarts", "Result",
                                             NULL };
        static const char *const exe[] = { "Executable",    "GoVersion", "MainPackage", "MainModule",
                                           "Cgo",           "GOOS",      "GOARCH",      "ArchLevel",
                                           "Linking",       "ElfType",   "Interpreter", "NeededLibraries",
                                           "BuildSettings", NULL };
        static const char *const settings[] = { "ExecStartPath",
                                                "Type",
                                                "Restart",
                                                "OOMPolicy",
                                                "User",
                                                "DynamicUser",
                                                "LimitNOFILE",
                                                "LimitNOFILESoft",
                                                "LimitNPROC",
                                                "LimitNPROCSoft",
                                                "TasksMax",
                                                "MemoryMax",
                                                "MemoryHigh",
                                                "MemoryLimit",
                                                "MemorySwapMax",
                                                "CPUQuotaPerSecUSec",
                                                "AmbientCapabilities",
                                                "ControlGroup",
                                                NULL };
        static const char *const environment[] = { "Environment", "EnvironmentFiles", "ProcessEnvironment",
                                                   NULL };
        static const char *const sample[] = { "FDCount", "TasksCurrent", NULL };
        static const char *const findings[] = { "OpenFindings", NULL };
        const struct {
                unsigned bit;
                const char *const *names;
        } groups[] = {
                { UNIT_CHANGE_STATE, state },       { UNIT_CHANGE_EXECUTABLE, exe },
                { UNIT_CHANGE_SETTINGS, settings }, { UNIT_CHANGE_ENVIRONMENT, environment },
                { UNIT_CHANGE_SAMPLE, sample },     { UNIT_CHANGE_FINDINGS, findings },
        };
        for (size_t i = 0; i < ELEMENTSOF(groups); i++) {
                if (!(changes & groups[i].bit))
                        continue;
                int r = sd_bus_emit_properties_changed_strv(m->bus, u->bus_path, UNIT_IFACE,
                                                            (char **) groups[i].names);
                if (r < 0)
                        log_debug("Failed to emit PropertiesChanged for %s: %s", u->name, strerror(-r));
        }
}

static int emit_counts(sd_event_source *s, void *userdata) {
        Manager *m = userdata;
        int r = sd_bus_emit_properties_changed(m->bus, MANAGER_BUS_PATH, MANAGER_IFACE, "WatchedUnits",
                                               "GoUnits", NULL);
        if (r < 0)
                log_debug("Failed to emit PropertiesChanged for the manager: %s", strerror(-r));
        return sd_event_source_set_enabled(s, SD_EVENT_OFF);
}

/* Coalesced: one signal per loop iteration however many units came or went. */
void manager_bus_counts_changed(Manager *m) {
        if (!m->counts_event) {
                int r = sd_event_add_defer(m->event, &m->counts_event, emit_counts, m);
                if (r < 0)
                        log_debug("Failed to schedule a counts signal: %s", strerror(-r));
                return;
        }
        (void) sd_event_source_set_enabled(m->counts_event, SD_EVENT_ONESHOT);
}

int manager_bus_setup(Manager *m) {
        int r;

        r = sd_bus_add_object_vtable(m->bus, NULL, MANAGER_BUS_PATH, MANAGER_IFACE, manager_vtable, m);
        if (r >= 0)
                r = sd_bus_add_fallback_vtable(m->bus, NULL, MANAGER_UNIT_PATH_PREFIX, UNIT_IFACE,
                                               unit_vtable, unit_find, m);
        if (r >= 0)
                r = sd_bus_add_node_enumerator(m->bus, NULL, MANAGER_UNIT_PATH_PREFIX, unit_enumerate, m);
        if (r >= 0)
                r = sd_bus_add_object_manager(m->bus, NULL, MANAGER_BUS_PATH);
        if (r >= 0)
                r = sd_bus_error_add_map(goguard_errors);
        if (r < 0)
                return log_error_errno(r, "Failed to register bus objects: %m");
        return 0;
}
