/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* goguardd's condition checks off the loop (daemon/check-queue.c), with a real sd-event loop and
 * the real inspector thread and checks. A task that holds the thread stands for a check stuck
 * on a hung file system. */
#include <stdio.h>
#include <string.h>
#include <systemd/sd-event.h>
#include <time.h>
#include <unistd.h>

#include "check-queue.h"
#include "host-facts.h"
#include "strv.h"
#include "test-util.h"

typedef struct TestUnit {
        const char *name;
        UnitSettings settings;
} TestUnit;

typedef struct Fixture {
        sd_event *event;
        ExeCache *cache;
        ExeInspector *inspector;
        FindingStore store;
        Correlator *correlator;
        HostFacts host;
        CheckQueue *queue;
        TestUnit units[3];
        unsigned prepared, applied;
        char prepared_path[3][64]; /* the PATH each prepared check read, by unit */
        /* The task holding the thread: it reads from hold[0] until the test writes. */
        InspectorTask blocker;
        int hold[2];
} Fixture;

static Fixture F;

static uint64_t now_ms(void) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (uint64_t) ts.tv_sec * 1000 + (uint64_t) ts.tv_nsec / 1000000;
}

static TestUnit *find_unit(const char *name) {
        for (size_t i = 0; i < ELEMENTSOF(F.units); i++)
                if (streq(F.units[i].name, name))
                        return &F.units[i];
        return NULL;
}

static int lookup(void *userdata, const char *unit, UnitKnowledge *ret) {
        TestUnit *u = find_unit(unit);
        if (!u)
                return -ENOENT;
        *ret = (UnitKnowledge){ .known = true, .is_go = true, .settings = &u->settings };
        return 0;
}

static void set_path(const char *unit, const char *path) {
        TestUnit *u = find_unit(unit);
        char *e;
        ck_assert_int_ge(asprintf(&e, "PATH=%s", path), 0);
        strv_free(u->settings.environment);
        u->settings.environment = NULL;
        ck_assert_int_eq(strv_consume(&u->settings.environment, e), 0);
}

static int prepare(void *userdata, const char *unit, ConditionCheck **ret, ExeEntry **ret_exe) {
        TestUnit *u = find_unit(unit);
        UnitKnowledge k;
        F.prepared++;
        ck_assert_int_eq(lookup(NULL, unit, &k), 0);
        snprintf(F.prepared_path[u - F.units], sizeof F.prepared_path[0], "%s", u->settings.environment[0]);
        *ret_exe = NULL;
        return condition_check_new(F.correlator, unit, &k, 1700000000000000, ret);
}

static void apply(void *userdata, ConditionCheck *cc, int r) {
        F.applied++;
        ck_assert_int_eq(r, 1); /* one condition found by the checks */
        ck_assert_int_eq(correlator_apply_check(F.correlator, cc), 1);
}

static void blocker_run(InspectorTask *t) {
        char c;
        ck_assert_int_eq(read(F.hold[0], &c, 1), 1);
}

static void blocker_done(InspectorTask *t, bool ran) {
}

static void setup(void) {
        static const char *const names[] = { "a.service", "b.service", "c.service" };
        F = (Fixture){};
        for (size_t i = 0; i < ELEMENTSOF(F.units); i++) {
                F.units[i].name = names[i];
                unit_settings_init(&F.units[i].settings);
        }
        ck_assert_int_eq(sd_event_new(&F.event), 0);
        ck_assert_int_eq(exe_cache_new(&F.cache), 0);
        ck_assert_int_eq(exe_inspector_new(F.cache, F.event, NULL, NULL, &F.inspector), 0);
        ck_assert_int_eq(finding_store_init(&F.store), 0);
        CorrelatorOptions o = { .lookup = lookup };
        ck_assert_int_eq(correlator_new(&F.store, &o, &F.correlator), 0);
        ck_assert_int_eq(host_facts_init(&F.host, "/"), 0);
        ck_assert_int_eq(check_queue_new(F.inspector, &F.host, prepare, apply, NULL, &F.queue), 0);
        ck_assert_int_eq(pipe(F.hold), 0);
        F.blocker = (InspectorTask){ .run = blocker_run, .done = blocker_done };
        exe_inspector_submit(F.inspector, &F.blocker);
}

static void teardown(void) {
        close(F.hold[1]); /* lets a blocker still waiting go */
        F.inspector = exe_inspector_free(F.inspector);
        F.queue = check_queue_free(F.queue);
        close(F.hold[0]);
        correlator_free(F.correlator);
        finding_store_done(&F.store);
        host_facts_done(&F.host);
        exe_cache_free(F.cache);
        for (size_t i = 0; i < ELEMENTSOF(F.units); i++)
                unit_settings_done(&F.units[i].settings);
        sd_event_unref(F.event);
}

static void release_thread(void) {
        ck_assert_int_eq(write(F.hold[1], "x", 1), 1);
}

/* Runs the loop until no check waits or runs, or for at most ms; returns how many times a 10 ms
 * timer fired meanwhile. */
static unsigned ticks;
static bool loop_done;

static int on_tick(sd_event_source *s, uint64_t usec, void *userdata) {
        uint64_t *until = userdata;
        ticks++;
        if (check_queue_waiting(F.queue) == 0 || now_ms() >= *until) {
                loop_done = true;
                return 0;
        }
        return sd_event_source_set_time_relative(s, 10 * 1000);
}

static unsigned run_loop(uint64_t ms) {
        sd_event_source *tick = NULL;
        uint64_t until = now_ms() + ms;
        ticks = 0;
        loop_done = false;
        ck_assert_int_eq(
                sd_event_add_time_relative(F.event, &tick, CLOCK_MONOTONIC, 10 * 1000, 1, on_tick, &until),
                0);
        ck_assert_int_eq(sd_event_source_set_enabled(tick, SD_EVENT_ON), 0);
        while (!loop_done)
                ck_assert_int_ge(sd_event_run(F.event, UINT64_MAX), 0);
        sd_event_source_disable_unref(tick);
        return ticks;
}

static const Finding *path_finding(const char *unit) {
        return finding_store_find_active(&F.store, FINDING_PATH_UNSAFE, unit);
}

START_TEST(test_check_does_not_block) {
        set_path("a.service", "/usr/bin:.");
        uint64_t t0 = now_ms();
        ck_assert_int_eq(check_queue_add(F.queue, "a.service"), 0);
        ck_assert_uint_lt(now_ms() - t0, 100); /* answered at once */
        ck_assert_uint_eq(F.prepared, 1);      /* its copy made now, on the loop */
        ck_assert_uint_eq(check_queue_waiting(F.queue), 1);

        /* The thread is held: the loop runs on (a 10 ms timer fires), and no result comes. */
        ck_assert_uint_ge(run_loop(200), 10);
        ck_assert_uint_eq(F.applied, 0);
        ck_assert_ptr_null(path_finding("a.service"));

        release_thread();
        run_loop(10000);
        ck_assert_uint_eq(check_queue_waiting(F.queue), 0);
        ck_assert_uint_eq(F.applied, 1);
        const Finding *f = path_finding("a.service");
        ck_assert_ptr_nonnull(f);
        ck_assert_str_eq(f->summary, "a.service has unsafe entries in PATH: . (relative)");
        ck_assert_ptr_nonnull(finding_get(f, "checked_at"));
}
END_TEST

/* A unit changed several times while its check waits is checked once, with what it has then. */
START_TEST(test_waiting_checks_coalesce) {
        set_path("a.service", "/usr/bin:.");
        ck_assert_int_eq(check_queue_add(F.queue, "a.service"), 0); /* runs (held) */
        set_path("b.service", "/usr/bin:one");
        ck_assert_int_eq(check_queue_add(F.queue, "b.service"), 0);
        set_path("b.service", "/usr/bin:two");
        ck_assert_int_eq(check_queue_add(F.queue, "b.service"), 0);
        set_path("b.service", "/usr/bin:three");
        ck_assert_int_eq(check_queue_add(F.queue, "b.service"), 0);
        ck_assert_uint_eq(check_queue_waiting(F.queue), 2);
        ck_assert_uint_eq(F.prepared, 1);

        release_thread();
        run_loop(10000);
        ck_assert_uint_eq(check_queue_waiting(F.queue), 0);
        ck_assert_uint_eq(F.prepared, 2);
        ck_assert_uint_eq(F.applied, 2);
        ck_assert_str_eq(F.prepared_path[1], "PATH=/usr/bin:three");
        const Finding *f = path_finding("b.service");
        ck_assert_ptr_nonnull(f);
        ck_assert_str_eq(f->summary, "b.service has unsafe entries in PATH: three (relative)");
        ck_assert_uint_eq(f->count, 1);
}
END_TEST

/* A unit gone while its check runs or waits: nothing of it reaches the findings. */
START_TEST(test_forgotten_unit_dropped) {
        set_path("a.service", "/usr/bin:.");
        set_path("c.service", "/usr/bin:.");
        ck_assert_int_eq(check_queue_add(F.queue, "a.service"), 0); /* runs (held) */
        ck_assert_int_eq(check_queue_add(F.queue, "c.service"), 0); /* waits */
        check_queue_forget(F.queue, "a.service");
        check_queue_forget(F.queue, "c.service");
        ck_assert_uint_eq(check_queue_waiting(F.queue), 1); /* a's, running still */

        release_thread();
        run_loop(10000);
        ck_assert_uint_eq(check_queue_waiting(F.queue), 0);
        ck_assert_uint_eq(F.prepared, 1); /* c's never started */
        ck_assert_uint_eq(F.applied, 0);
        ck_assert_uint_eq(hashmap_size(F.store.by_id), 0);

        /* Asked for again, a forgotten unit is checked as any. */
        ck_assert_int_eq(check_queue_add(F.queue, "c.service"), 0);
        run_loop(10000);
        ck_assert_uint_eq(F.applied, 1);
        ck_assert_ptr_nonnull(path_finding("c.service"));
}
END_TEST

/* Held (the host facts change), no check starts; released, the waiting ones do. */
START_TEST(test_hold) {
        set_path("a.service", "/usr/bin:.");
        release_thread();
        check_queue_hold(F.queue, true);
        ck_assert_int_eq(check_queue_add(F.queue, "a.service"), 0);
        ck_assert_uint_eq(F.prepared, 0);
        ck_assert(!check_queue_running(F.queue));
        check_queue_hold(F.queue, false);
        ck_assert_uint_eq(F.prepared, 1);
        ck_assert(check_queue_running(F.queue));
        run_loop(10000);
        ck_assert_uint_eq(F.applied, 1);
}
END_TEST

static Suite *check_queue_suite(void) {
        Suite *s = suite_create("check-queue");
        TCase *tc = tcase_create("core");
        tcase_add_checked_fixture(tc, setup, teardown);
        tcase_set_timeout(tc, 60);
        tcase_add_test(tc, test_check_does_not_block);
        tcase_add_test(tc, test_waiting_checks_coalesce);
        tcase_add_test(tc, test_forgotten_unit_dropped);
        tcase_add_test(tc, test_hold);
        suite_add_tcase(s, tc);
        return s;
}

DEFINE_TEST_MAIN(check_queue_suite)
