/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* goguardctl watch: goguardd's finding signals as they come. */
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <systemd/sd-event.h>
#include <time.h>

#include "bus-print.h"
#include "finding-print.h"
#include "format.h"
#include "goguardctl.h"
#include "hashmap.h"
#include "json-writer.h"
#include "strbuf.h"

#define WATCH_CACHE_MAX 8192u

/* What the signals do not carry (class, severity, summary), remembered from FindingAdded and
 * asked for with GetFinding otherwise. */
typedef struct CachedFinding {
        char id[FINDING_ID_LEN + 1];
        char *unit, *class, *severity, *summary;
} CachedFinding;

typedef struct Watch {
        sd_bus *bus;
        sd_event *event;
        Hashmap *cache;
        bool color;
        int failed; /* output could not be written */
} Watch;

static void cached_free(CachedFinding *c) {
        if (!c)
                return;
        free(c->unit);
        free(c->class);
        free(c->severity);
        free(c->summary);
        free(c);
}

static void cache_clear(Hashmap *h) {
        size_t i = 0;
        void *v;
        while (hashmap_iterate(h, &i, &v, NULL))
                cached_free(v);
        hashmap_free(h);
}

static void set_str(char **p, const char *s) {
        if (!s)
                return;
        char *c = strdup(s);
        if (!c)
                return;
        free(*p);
        *p = c;
}

static CachedFinding *cache_get(Watch *w, const char *id) {
        if (!finding_id_is_valid(id))
                return NULL;
        CachedFinding *c = hashmap_get(w->cache, id);
        if (c)
                return c;
        if (hashmap_size(w->cache) >= WATCH_CACHE_MAX) {
                cache_clear(w->cache);
                w->cache = NULL;
                if (hashmap_new(&w->cache) < 0)
                        return NULL;
        }
        c = calloc(1, sizeof *c);
        if (!c)
                return NULL;
        memcpy(c->id, id, sizeof c->id);
        if (hashmap_put(w->cache, c->id, c) < 0) {
                free(c);
                return NULL;
        }
        return c;
}

/* Fills the cache from GetFinding; never starts goguardd. */
static void cache_refresh(Watch *w, CachedFinding *c) {
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        FindingView v;
        if (bus_call_goguard(w->bus, GOGUARD_MANAGER_PATH, GOGUARD_MANAGER_IFACE, "GetFinding", false,
                             &error, &reply, "s", c->id) < 0)
                return;
        if (finding_view_from_bus(reply, &v) < 0)
                return;
        set_str(&c->unit, v.row.unit);
        set_str(&c->class, v.row.class);
        set_str(&c->severity, v.row.severity);
        set_str(&c->summary, v.row.summary);
        finding_view_done(&v);
}

typedef struct WatchEvent {
        const char *event;
        const char *id, *unit, *class, *severity, *state, *summary;
        uint64_t count, last_seen;
        bool have_count;
} WatchEvent;

static void print_event(Watch *w, const WatchEvent *e) {
        StrBuf out = {};
        uint64_t now = now_realtime();

        if (arg_json) {
                JsonWriter j = { .out = &out };
                json_begin_object(&j);
                json_key(&j, "timestamp");
                json_uint(&j, now);
                json_key(&j, "event");
                json_string(&j, e->event);
                json_key(&j, "id");
                json_string(&j, e->id);
                json_key(&j, "unit");
                json_string(&j, e->unit);
                json_key(&j, "class");
                json_string(&j, e->class);
                json_key(&j, "severity");
                json_string(&j, e->severity);
                json_key(&j, "state");
                json_string(&j, e->state);
                json_key(&j, "count");
                if (e->have_count)
                        json_uint(&j, e->count);
                else
                        json_null(&j);
                json_key(&j, "last_seen");
                if (e->have_count)
                        json_uint(&j, e->last_seen);
                else
                        json_null(&j);
                json_key(&j, "summary");
                json_string(&j, e->summary);
                json_end_object(&j);
        } else {
                char ts[32] = "-", id[FINDING_ID_SHORT + 1];
                time_t t = (time_t) (now / USEC_PER_SEC);
                struct tm tm;
                if (localtime_r(&t, &tm))
                        strftime(ts, sizeof ts, "%Y-%m-%d %H:%M:%S", &tm);
                snprintf(id, sizeof id, "%s", e->id ?: "-");
                strbuf_appendf(&out, "%s  %-8s  ", ts, e->event);
                format_append_printable(&out, id);
                strbuf_append(&out, "  ");
                format_append_printable(&out, e->unit && *e->unit ? e->unit : "-");
                strbuf_append(&out, "  ");
                format_append_printable(&out, e->class ?: "-");
                strbuf_append(&out, "  ");
                const char *sev = e->severity;
                const char *col = w->color && sev && strcmp(sev, "critical") == 0  ? "\x1b[0;1;31m"
                                  : w->color && sev && strcmp(sev, "warning") == 0 ? "\x1b[0;1;33m"
                                                                                   : NULL;
                strbuf_append(&out, col ?: "");
                format_append_printable(&out, sev ?: "-");
                strbuf_append(&out, col ? "\x1b[0m" : "");
                strbuf_append(&out, "  ");
                format_append_printable(&out, e->state ?: "-");
                if (e->have_count)
                        strbuf_appendf(&out, " count=%" PRIu64, e->count);
                strbuf_append(&out, "  ");
                format_append_printable(&out, e->summary && *e->summary ? e->summary : "-");
        }
        strbuf_append_char(&out, '\n');
        if (strbuf_error(&out) >= 0) {
                fwrite(out.data, 1, out.len, stdout);
                if (fflush(stdout) != 0 || ferror(stdout)) {
                        /* The reader went away (a closed pipe): stop. */
                        w->failed = 1;
                        sd_event_exit(w->event, EXIT_FAILED);
                }
        }
        strbuf_done(&out);
}

static int on_finding_signal(sd_bus_message *m, void *userdata, sd_bus_error *ret_error) {
        Watch *w = userdata;
        const char *member = sd_bus_message_get_member(m);
        WatchEvent e = {};
        const char *id = NULL, *unit = NULL, *a = NULL, *b = NULL, *c = NULL;
        uint64_t count = 0, last_seen = 0;
        int r;

        if (!member)
                return 0;
        if (strcmp(member, "FindingAdded") == 0) {
                r = sd_bus_message_read(m, "sssss", &id, &unit, &a, &b, &c);
                e = (WatchEvent){
                        .event = "added", .class = a, .severity = b, .state = "open", .summary = c
                };
        } else if (strcmp(member, "FindingUpdated") == 0) {
                r = sd_bus_message_read(m, "ssstt", &id, &unit, &a, &count, &last_seen);
                e = (WatchEvent){ .event = "updated",
                                  .state = a,
                                  .count = count,
                                  .last_seen = last_seen,
                                  .have_count = true };
        } else if (strcmp(member, "FindingResolved") == 0) {
                r = sd_bus_message_read(m, "ss", &id, &unit);
                e = (WatchEvent){ .event = "resolved", .state = "resolved" };
        } else
                return 0;
        if (r < 0) {
                fprintf(stderr, "Ignoring a malformed %s signal: %s\n", member, strerror(-r));
                return 0;
        }
        e.id = id;
        e.unit = unit;

        CachedFinding *cf = cache_get(w, id);
        if (cf) {
                if (e.class) { /* FindingAdded carries all */
                        set_str(&cf->unit, unit);
                        set_str(&cf->class, e.class);
                        set_str(&cf->severity, e.severity);
                        set_str(&cf->summary, e.summary);
                } else {
                        /* The summary changes with the count: ask for it fresh. */
                        cache_refresh(w, cf);
                        e.class = cf->class;
                        e.severity = cf->severity;
                        e.summary = cf->summary;
                }
        }
        print_event(w, &e);
        return 0;
}

static int on_owner_changed(sd_bus_message *m, void *userdata, sd_bus_error *ret_error) {
        const char *name, *old_owner, *new_owner;
        if (sd_bus_message_read(m, "sss", &name, &old_owner, &new_owner) < 0 ||
            strcmp(name, GOGUARD_BUS_NAME) != 0)
                return 0;
        /* Notes for a human, never in the stream of events on stdout. */
        if (*new_owner)
                fprintf(stderr, "goguardd %s, watching on.\n", *old_owner ? "restarted" : "started");
        else
                fprintf(stderr, "goguardd stopped; waiting for it to come back.\n");
        return 0;
}

static int on_exit_signal(sd_event_source *s, const struct signalfd_siginfo *si, void *userdata) {
        return sd_event_exit(sd_event_source_get_event(s), EXIT_OK);
}

static void watch_help(void) {
        printf("goguardctl watch [--json]\n\n"
               "Print goguardd's findings as they are added, updated (repeats, acknowledged) and\n"
               "resolved, one line each, until interrupted. --json prints one JSON object per line.\n"
               "Starts goguardd by D-Bus activation if it is not running, and keeps watching when it\n"
               "restarts.\n");
}

int verb_watch(int argc, char *argv[]) {
        _cleanup_(sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        sd_event *event = NULL;
        Watch w = { .color = colors_enabled() };
        sigset_t mask;
        int r, ret;

        r = parse_verb_options(argc, argv, watch_help);
        if (r >= 0)
                return r;
        if (optind < argc) {
                fprintf(stderr, "goguardctl watch: takes no arguments\n");
                return EXIT_USAGE;
        }
        if (bus_connect_system(&bus) < 0)
                return EXIT_FAILED;
        w.bus = bus;
        r = hashmap_new(&w.cache);
        if (r < 0)
                return EXIT_FAILED;

        sigemptyset(&mask);
        sigaddset(&mask, SIGINT);
        sigaddset(&mask, SIGTERM);
        r = sigprocmask(SIG_BLOCK, &mask, NULL) < 0 ? -errno : sd_event_default(&event);
        if (r >= 0)
                r = sd_event_add_signal(event, NULL, SIGINT, on_exit_signal, NULL);
        if (r >= 0)
                r = sd_event_add_signal(event, NULL, SIGTERM, on_exit_signal, NULL);
        if (r >= 0)
                r = sd_bus_attach_event(bus, event, SD_EVENT_PRIORITY_NORMAL);
        if (r >= 0) /* a lost bus ends the loop with EXIT_FAILURE */
                r = sd_bus_set_exit_on_disconnect(bus, true);
        w.event = event;
        /* Subscribe before goguardd is started, so that nothing it says at start is missed. The
         * sender is the well-known name: the bus delivers signals of whoever owns it, so a
         * restarted goguardd is heard too. */
        if (r >= 0)
                r = sd_bus_add_match(bus, NULL,
                                     "type='signal',sender='" GOGUARD_BUS_NAME
                                     "',path='" GOGUARD_MANAGER_PATH "',interface='" GOGUARD_MANAGER_IFACE
                                     "'",
                                     on_finding_signal, &w);
        if (r >= 0)
                r = sd_bus_add_match(
                        bus, NULL,
                        "type='signal',sender='org.freedesktop.DBus',path='/org/freedesktop/DBus',"
                        "interface='org.freedesktop.DBus',member='NameOwnerChanged',arg0='" GOGUARD_BUS_NAME
                        "'",
                        on_owner_changed, &w);
        if (r < 0) {
                fprintf(stderr, "Failed to subscribe to goguardd's signals: %s\n", strerror(-r));
                ret = EXIT_FAILED;
                goto finish;
        }

        r = bus_call_goguard(bus, GOGUARD_MANAGER_PATH, "org.freedesktop.DBus.Properties", "Get", true,
                             &error, &reply, "ss", GOGUARD_MANAGER_IFACE, "Version");
        if (r < 0) {
                ret = findings_call_failed(bus, "reach goguardd", &error, r, NULL);
                goto finish;
        }

        r = sd_event_loop(event);
        if (r < 0) {
                fprintf(stderr, "Failed to run the event loop: %s\n", strerror(-r));
                ret = EXIT_FAILED;
        } else if (r != EXIT_OK && !w.failed) {
                fprintf(stderr, "Disconnected from the system bus.\n");
                ret = EXIT_FAILED;
        } else
                ret = r;
finish:
        sd_bus_detach_event(bus);
        sd_event_unref(event);
        cache_clear(w.cache);
        return ret;
}
