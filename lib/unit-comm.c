/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit-comm.h"

static void generation_free(Hashmap *h) {
        size_t i = 0;
        void *v;
        while (h && hashmap_iterate(h, &i, &v, NULL)) {
                free(((UnitComm *) v)->unit);
                free(v);
        }
        hashmap_free(h);
}

void unit_comms_done(UnitComms *t) {
        generation_free(t->current);
        generation_free(t->previous);
        *t = (UnitComms){};
}

static void set_comm(UnitComm *u, const char *comm) {
        size_t n = strnlen(comm, UNIT_COMM_NAME_MAX - 1);
        if (strncmp(u->comm[0], comm, n) == 0 && u->comm[0][n] == 0)
                return; /* the common case: the same as its last entry */
        /* Newest first; an older copy of the same comm moves up rather than taking two places. */
        size_t i = 1;
        while (i < UNIT_COMM_KEEP - 1 && !(strncmp(u->comm[i], comm, n) == 0 && u->comm[i][n] == 0))
                i++;
        memmove(u->comm[1], u->comm[0], i * sizeof u->comm[0]);
        memcpy(u->comm[0], comm, n);
        u->comm[0][n] = 0;
}

int unit_comms_note(UnitComms *t, const char *unit, const char *comm) {
        int r;
        if (!unit || !comm || !comm[0])
                return 0;
        if (!t->current) {
                r = hashmap_new(&t->current);
                if (r < 0)
                        return r;
        }
        UnitComm *u = hashmap_get(t->current, unit);
        if (u) {
                set_comm(u, comm);
                return 0;
        }
        /* Heard from again: into the current generation, so it outlives the previous one. */
        u = t->previous ? hashmap_remove(t->previous, unit) : NULL;
        if (!u) {
                u = calloc(1, sizeof *u);
                if (!u || !(u->unit = strdup(unit))) {
                        free(u);
                        return -ENOMEM;
                }
        }
        if (hashmap_size(t->current) >= UNIT_COMMS_MAX / 2) {
                Hashmap *h;
                r = hashmap_new(&h);
                if (r < 0) {
                        free(u->unit);
                        free(u);
                        return r;
                }
                generation_free(t->previous);
                t->previous = t->current;
                t->current = h;
        }
        r = hashmap_put(t->current, u->unit, u);
        if (r < 0) {
                free(u->unit);
                free(u);
                return r;
        }
        set_comm(u, comm);
        return 0;
}

const UnitComm *unit_comms_get(const UnitComms *t, const char *unit) {
        UnitComm *u = unit && t->current ? hashmap_get(t->current, unit) : NULL;
        return u ?: (unit && t->previous ? hashmap_get(t->previous, unit) : NULL);
}

bool unit_comm_has(const UnitComm *u, const char *comm) {
        for (size_t i = 0; u && comm && i < UNIT_COMM_KEEP; i++)
                if (u->comm[i][0] && strncmp(u->comm[i], comm, UNIT_COMM_NAME_MAX - 1) == 0)
                        return true;
        return false;
}

/* Security denials: the one unit whose process had comm, offline where no unit's executable is
 * known. Ambiguous (two units with that comm) or none: NULL. */
const char *unit_comms_find(const UnitComms *t, const char *comm) {
        const char *found = NULL;
        Hashmap *gens[] = { t->current, t->previous };
        for (size_t g = 0; g < ELEMENTSOF(gens); g++) {
                size_t i = 0;
                void *v;
                while (gens[g] && hashmap_iterate(gens[g], &i, &v, NULL)) {
                        const UnitComm *u = v;
                        if (!unit_comm_has(u, comm))
                                continue;
                        if (found && strcmp(found, u->unit) != 0)
                                return NULL;
                        found = u->unit;
                }
        }
        return found;
}
