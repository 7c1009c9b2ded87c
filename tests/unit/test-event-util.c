/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <systemd/sd-event.h>
#include <time.h>

#include "event-util.h"
#include "test-util.h"
#include "time-util.h"

static int on_time(sd_event_source *s, uint64_t usec, void *userdata) {
        (*(unsigned *) userdata)++;
        return 0;
}

static uint64_t armed_time(sd_event_source *s) {
        uint64_t usec = 0;
        ck_assert_int_eq(sd_event_source_get_time(s, &usec), 0);
        return usec;
}

/* Asked again and again with later times, the timer keeps its first time; an earlier time
 * moves it; once fired (disarmed), any time arms it. */
START_TEST(test_arm_by) {
        sd_event *e = NULL;
        sd_event_source *s = NULL;
        unsigned fired = 0;
        ck_assert_int_eq(sd_event_new(&e), 0);

        ck_assert_int_eq(event_arm_by(e, &s, CLOCK_MONOTONIC, 5000000, 0, on_time, &fired), 0);
        ck_assert(event_source_armed(s));
        ck_assert_uint_eq(armed_time(s), 5000000);
        ck_assert_int_eq(event_arm_by(e, &s, CLOCK_MONOTONIC, 6000000, 0, on_time, &fired), 0);
        ck_assert_uint_eq(armed_time(s), 5000000);
        ck_assert_int_eq(event_arm_by(e, &s, CLOCK_MONOTONIC, 5000000, 0, on_time, &fired), 0);
        ck_assert_uint_eq(armed_time(s), 5000000);
        ck_assert_int_eq(event_arm_by(e, &s, CLOCK_MONOTONIC, 4000000, 0, on_time, &fired), 0);
        ck_assert_uint_eq(armed_time(s), 4000000);

        /* Long past: it fires on the next iteration, once, and is disarmed. */
        ck_assert_int_eq(sd_event_run(e, 0), 1);
        ck_assert_uint_eq(fired, 1);
        ck_assert(!event_source_armed(s));
        ck_assert_int_eq(sd_event_run(e, 0), 0);
        ck_assert_uint_eq(fired, 1);

        uint64_t later = now_usec(CLOCK_MONOTONIC) + 3600 * 1000000ull;
        ck_assert_int_eq(event_arm_by(e, &s, CLOCK_MONOTONIC, later, 0, on_time, &fired), 0);
        ck_assert(event_source_armed(s));
        ck_assert_uint_eq(armed_time(s), later);
        ck_assert_int_eq(sd_event_run(e, 0), 0);
        ck_assert_uint_eq(fired, 1);

        sd_event_source_disable_unref(s);
        sd_event_unref(e);
}
END_TEST

static Suite *event_util_suite(void) {
        Suite *s = suite_create("event-util");
        TCase *tc = tcase_create("core");
        tcase_add_test(tc, test_arm_by);
        suite_add_tcase(s, tc);
        return s;
}

DEFINE_TEST_MAIN(event_util_suite)
