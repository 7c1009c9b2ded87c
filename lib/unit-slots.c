/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "macro.h"
#include "unit-slots.h"

static UnitSlot *slot_at(void *table, size_t stride, size_t i) {
        return (UnitSlot *) ((uint8_t *) table + i * stride);
}

void *unit_slot_get(void *table, size_t n, size_t stride, uint64_t *clock, const char *unit,
                    const char *invocation_id) {
        assert(n > 0 && stride >= sizeof(UnitSlot));
        UnitSlot *s = NULL, *oldest = slot_at(table, stride, 0);
        for (size_t i = 0; i < n && !s; i++) {
                UnitSlot *e = slot_at(table, stride, i);
                if (streq(e->unit, unit))
                        s = e;
                else if (e->used < oldest->used)
                        oldest = e;
        }
        if (!s) {
                s = oldest;
                memset(s, 0, stride);
                snprintf(s->unit, sizeof s->unit, "%s", unit);
        }
        if (!streq(s->invocation_id, invocation_id ?: "")) {
                memset((uint8_t *) s + sizeof(UnitSlot), 0, stride - sizeof(UnitSlot));
                snprintf(s->invocation_id, sizeof s->invocation_id, "%s", invocation_id ?: "");
        }
        s->used = ++*clock;
        return s;
}
