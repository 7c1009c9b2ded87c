/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "unit-name.h"

/* A bounded table of state kept per unit for its current invocation (the samples a detector
 * remembers): each entry of the caller's array starts with a UnitSlot. A unit not in the table
 * takes the entry used least recently; a new invocation starts its entry afresh. */

typedef struct UnitSlot {
        char unit[UNIT_NAME_MAX + 1];
        char invocation_id[33];
        uint64_t used;
} UnitSlot;

/* The entry of unit in table (n entries of stride bytes), its state past the UnitSlot zeroed
 * when the unit is new to the table or runs another invocation (NULL: none) than it had. clock
 * orders the uses. */
void *unit_slot_get(void *table, size_t n, size_t stride, uint64_t *clock, const char *unit,
                    const char *invocation_id);
