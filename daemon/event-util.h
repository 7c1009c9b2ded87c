/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <systemd/sd-event.h>
#include <time.h>

/* One-shot timers that are created on first use and re-armed after: the one way goguardd
 * schedules something later. */

/* Arms *s to fire once at usec (absolute, on clock). */
int event_arm_at(sd_event *e, sd_event_source **s, clockid_t clock, uint64_t usec, uint64_t accuracy,
                 sd_event_time_handler_t callback, void *userdata);
/* Arms *s to fire once at usec, unless it is armed to fire at or before usec already: a caller
 * asking again and again does not push the time back. */
int event_arm_by(sd_event *e, sd_event_source **s, clockid_t clock, uint64_t usec, uint64_t accuracy,
                 sd_event_time_handler_t callback, void *userdata);
/* Arms *s to fire once usec from now. */
int event_arm_in(sd_event *e, sd_event_source **s, clockid_t clock, uint64_t usec, uint64_t accuracy,
                 sd_event_time_handler_t callback, void *userdata);
/* Whether *s exists and is armed. */
bool event_source_armed(sd_event_source *s);
