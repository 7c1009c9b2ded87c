/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The findings on the bus: the Manager object's finding methods and signals. */
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>

#include "finding-json.h"
#include "log.h"
#include "manager-bus.h"
#include "manager.h"
#include "unit-name.h"

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

int bus_method_list_findings(sd_bus_message *call, void *userdata, sd_bus_error *error) {
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

/* An a{sv} dictionary entry KEY whose value is an array: opened down to the array. */
static int open_array_entry(sd_bus_message *m, const char *key, const char *variant, const char *element) {
        int r = sd_bus_message_open_container(m, 'e', "sv");
        if (r >= 0)
                r = sd_bus_message_append(m, "s", key);
        if (r >= 0)
                r = sd_bus_message_open_container(m, 'v', variant);
        if (r >= 0)
                r = sd_bus_message_open_container(m, 'a', element);
        return r;
}

static int close_containers(sd_bus_message *m, unsigned n) {
        int r = 0;
        while (r >= 0 && n-- > 0)
                r = sd_bus_message_close_container(m);
        return r;
}

static int append_finding(sd_bus_message *reply, const Finding *f) {
        static const char *const advice_kinds[_ADVICE_KIND_MAX] = { "text", "dropin", "command", "policy" };
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
                r = open_array_entry(reply, "Evidence", "a{sv}", "{sv}");
        /* What tells the finding apart from others of its (class, unit): an evidence key, so the
         * finding's dictionary keeps its shape (docs/org.goguard.goguard1.5). */
        if (r >= 0 && f->discriminator)
                r = sd_bus_message_append(reply, "{sv}", "discriminator", "s", f->discriminator);
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
                r = close_containers(reply, 3);
        if (r >= 0)
                r = open_array_entry(reply, "Advice", "a(sss)", "(sss)");
        for (size_t i = 0; r >= 0 && i < f->n_advice; i++)
                r = sd_bus_message_append(reply, "(sss)", advice_kinds[f->advice[i].kind], f->advice[i].text,
                                          f->advice[i].snippet ?: "");
        if (r >= 0)
                r = close_containers(reply, 4); /* the advice's three, and the finding's a{sv} */
        return r;
}

int bus_method_get_finding(sd_bus_message *call, void *userdata, sd_bus_error *error) {
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

int bus_method_dump_findings(sd_bus_message *call, void *userdata, sd_bus_error *error) {
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
        return bus_verify_polkit_async(userdata, call, "org.goguard.goguard1.manage-findings", run, error);
}

int bus_method_acknowledge_finding(sd_bus_message *call, void *userdata, sd_bus_error *error) {
        return method_finding_action(call, userdata, error, run_acknowledge);
}

int bus_method_dismiss_finding(sd_bus_message *call, void *userdata, sd_bus_error *error) {
        return method_finding_action(call, userdata, error, run_dismiss);
}

static void emit_updated(Manager *m, const Finding *f) {
        int r = sd_bus_emit_signal(m->bus, MANAGER_BUS_PATH, MANAGER_IFACE, "FindingUpdated", "ssstt", f->id,
                                   f->unit, finding_state_to_string(f->state), f->count, f->last_seen);
        if (r < 0)
                log_debug("Failed to emit FindingUpdated: %s", strerror(-r));
}

/* A flood repeats one finding thousands of times a second: one FindingUpdated with the count
 * when the loop's turn is done (the multicast's batch, the journal's) says as much. Those waiting
 * go out before any other finding signal, so that signals keep their order. */
static void flush_updates(Manager *m) {
        size_t n = m->n_updates;
        m->n_updates = 0;
        for (size_t i = 0; i < n; i++) {
                const Finding *f = finding_store_get(&m->findings, m->updates[i]);
                if (f)
                        emit_updated(m, f);
        }
}

static int on_updates(sd_event_source *s, void *userdata) {
        flush_updates(userdata);
        return sd_event_source_set_enabled(s, SD_EVENT_OFF);
}

void manager_bus_finding_repeated(Manager *m, const Finding *f) {
        for (size_t i = 0; i < m->n_updates; i++)
                if (streq(m->updates[i], f->id))
                        return;
        if (m->n_updates == ELEMENTSOF(m->updates))
                flush_updates(m);
        if (!m->updates_event && sd_event_add_defer(m->event, &m->updates_event, on_updates, m) < 0) {
                emit_updated(m, f);
                return;
        }
        memcpy(m->updates[m->n_updates++], f->id, sizeof m->updates[0]);
        (void) sd_event_source_set_enabled(m->updates_event, SD_EVENT_ONESHOT);
}

void manager_bus_finding_added(Manager *m, const Finding *f) {
        flush_updates(m);
        int r = sd_bus_emit_signal(m->bus, MANAGER_BUS_PATH, MANAGER_IFACE, "FindingAdded", "sssss", f->id,
                                   f->unit, finding_class_info(f->class)->name,
                                   finding_severity_to_string(f->severity), f->summary ?: "");
        if (r < 0)
                log_debug("Failed to emit FindingAdded: %s", strerror(-r));
}

void manager_bus_finding_updated(Manager *m, const Finding *f) {
        flush_updates(m);
        emit_updated(m, f);
}

void manager_bus_finding_resolved(Manager *m, const Finding *f) {
        flush_updates(m);
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
