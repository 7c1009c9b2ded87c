/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>

#include "hashmap.h"

/* Which comm each unit's process has, as the unit's own journal entries say (_COMM with
 * _SYSTEMD_UNIT): how a kill the kernel printed with only "Killed process PID (COMM)" is tied to
 * its unit where nothing else knows the unit's executable (offline, or a unit gone). Bounded: at
 * most UNIT_COMMS_MAX units, the ones heard from most recently; each keeps its newest comms. */

#define UNIT_COMMS_MAX     4096u
#define UNIT_COMM_KEEP     2u  /* a wrapper's comm, then its program's; an upgrade's rename */
#define UNIT_COMM_NAME_MAX 16u /* the kernel's TASK_COMM_LEN: 15 bytes and the NUL */

typedef struct UnitComm {
        char *unit;
        char comm[UNIT_COMM_KEEP][UNIT_COMM_NAME_MAX]; /* newest first; "" unused */
} UnitComm;

/* Two generations: a unit heard from again moves to the current one; when that is full, the
 * older is dropped with the units not heard from since. */
typedef struct UnitComms {
        Hashmap *current, *previous;
} UnitComms;

void unit_comms_done(UnitComms *t);
/* The unit's process had comm (cut to 15 bytes, as the kernel's). 0, or -errno. */
int unit_comms_note(UnitComms *t, const char *unit, const char *comm);
/* What the unit's entries said, or NULL when none was seen (or it was forgotten). */
const UnitComm *unit_comms_get(const UnitComms *t, const char *unit);
/* Whether one of the unit's comms is comm (the kernel's, at most 15 bytes compared). */
bool unit_comm_has(const UnitComm *u, const char *comm);
/* The one unit one of whose comms is comm; NULL when none or more than one. */
const char *unit_comms_find(const UnitComms *t, const char *comm);
