/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "event-util.h"

int event_arm_at(sd_event *e, sd_event_source **s, clockid_t clock, uint64_t usec, uint64_t accuracy,
                 sd_event_time_handler_t callback, void *userdata) {
        if (!*s)
                return sd_event_add_time(e, s, clock, usec, accuracy, callback, userdata);
        int r = sd_event_source_set_time(*s, usec);
        return r < 0 ? r : sd_event_source_set_enabled(*s, SD_EVENT_ONESHOT);
}

int event_arm_by(sd_event *e, sd_event_source **s, clockid_t clock, uint64_t usec, uint64_t accuracy,
                 sd_event_time_handler_t callback, void *userdata) {
        uint64_t armed;
        if (event_source_armed(*s) && sd_event_source_get_time(*s, &armed) >= 0 && armed <= usec)
                return 0;
        return event_arm_at(e, s, clock, usec, accuracy, callback, userdata);
}

int event_arm_in(sd_event *e, sd_event_source **s, clockid_t clock, uint64_t usec, uint64_t accuracy,
                 sd_event_time_handler_t callback, void *userdata) {
        if (!*s)
                return sd_event_add_time_relative(e, s, clock, usec, accuracy, callback, userdata);
        int r = sd_event_source_set_time_relative(*s, usec);
        return r < 0 ? r : sd_event_source_set_enabled(*s, SD_EVENT_ONESHOT);
}

bool event_source_armed(sd_event_source *s) {
        int enabled = SD_EVENT_OFF;
        return s && sd_event_source_get_enabled(s, &enabled) >= 0 && enabled != SD_EVENT_OFF;
}
