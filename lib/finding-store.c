/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdlib.h>
#include <string.h>

#include "finding.h"
#include "macro.h"

int finding_store_init(FindingStore *s) {
        *s = (FindingStore){};
        return hashmap_new(&s->by_id);
}

void finding_store_done(FindingStore *s) {
        if (s->by_id) {
                size_t i = 0;
                void *v;
                while (hashmap_iterate(s->by_id, &i, &v, NULL))
                        finding_free(v);
        }
        hashmap_free(s->by_id);
        *s = (FindingStore){};
}

Finding *finding_store_get(const FindingStore *s, const char *id) {
        return hashmap_get(s->by_id, id);
}

static bool finding_is(const Finding *f, FindingClass c, const char *unit, const char *discriminator) {
        return f->class == c && streq(f->unit, unit) &&
               (f->discriminator && discriminator ? streq(f->discriminator, discriminator)
                                                  : f->discriminator == discriminator);
}

Finding *finding_store_find_active_d(const FindingStore *s, FindingClass c, const char *unit,
                                     const char *discriminator) {
        size_t i = 0;
        void *v;
        while (hashmap_iterate(s->by_id, &i, &v, NULL)) {
                Finding *f = v;
                if (f->state != FINDING_RESOLVED && finding_is(f, c, unit, discriminator))
                        return f;
        }
        return NULL;
}

Finding *finding_store_find_active(const FindingStore *s, FindingClass c, const char *unit) {
        return finding_store_find_active_d(s, c, unit, NULL);
}

Finding *finding_store_find_counted_d(const FindingStore *s, FindingClass c, const char *unit,
                                      const char *discriminator, const JournalPosition *pos) {
        if (!pos)
                return NULL;
        size_t i = 0;
        void *v;
        while (hashmap_iterate(s->by_id, &i, &v, NULL)) {
                Finding *f = v;
                if (finding_is(f, c, unit, discriminator) && finding_counted(f, pos))
                        return f;
        }
        return NULL;
}

Finding *finding_store_find_counted(const FindingStore *s, FindingClass c, const char *unit,
                                    const JournalPosition *pos) {
        return finding_store_find_counted_d(s, c, unit, NULL, pos);
}

size_t finding_store_count(const FindingStore *s, const char *unit, FindingState state) {
        size_t n = 0, i = 0;
        void *v;
        while (hashmap_iterate(s->by_id, &i, &v, NULL)) {
                Finding *f = v;
                if ((!unit || strcmp(f->unit, unit) == 0) &&
                    (state == _FINDING_STATE_INVALID || f->state == state))
                        n++;
        }
        return n;
}

/* The oldest resolved finding (of unit, or of all when unit is NULL). */
static Finding *oldest_resolved(const FindingStore *s, const char *unit) {
        Finding *best = NULL;
        size_t i = 0;
        void *v;
        while (hashmap_iterate(s->by_id, &i, &v, NULL)) {
                Finding *f = v;
                if (f->state != FINDING_RESOLVED || (unit && strcmp(f->unit, unit) != 0))
                        continue;
                if (!best || f->state_changed < best->state_changed ||
                    (f->state_changed == best->state_changed && strcmp(f->id, best->id) < 0))
                        best = f;
        }
        return best;
}

static void drop(FindingStore *s, Finding *f) {
        hashmap_remove(s->by_id, f->id);
        finding_free(f);
}

int finding_store_add(FindingStore *s, Finding *f) {
        size_t per_unit = FINDING_STORE_PER_UNIT_MAX, total = FINDING_STORE_TOTAL_MAX;
        if (hashmap_get(s->by_id, f->id)) {
                finding_free(f);
                return -EEXIST;
        }
        if (s->keep_newest) {
                per_unit *= 2;
                total *= 2;
        }
        size_t n_unit;
        while ((n_unit = finding_store_count(s, f->unit, _FINDING_STATE_INVALID)) >= per_unit) {
                Finding *victim = oldest_resolved(s, f->unit);
                if (!victim)
                        goto full;
                drop(s, victim);
        }
        while (hashmap_size(s->by_id) >= total) {
                Finding *victim = oldest_resolved(s, NULL);
                if (!victim)
                        goto full;
                drop(s, victim);
        }
        int r = hashmap_put(s->by_id, f->id, f);
        if (r < 0)
                finding_free(f);
        else if (s->keep_newest && (n_unit + 1 >= per_unit - 1 || hashmap_size(s->by_id) >= total - 1))
                s->trim_due = true;
        return r;
full:
        s->n_dropped++;
        finding_free(f);
        return -ENOSPC;
}

/* By unit, then newest first: the first FINDING_STORE_PER_UNIT_MAX of each unit are kept. */
static int compare_unit_newest(const void *a, const void *b) {
        const Finding *x = *(const Finding *const *) a, *y = *(const Finding *const *) b;
        int r = strcmp(x->unit, y->unit);
        return r != 0 ? r : finding_ptr_compare_newest(a, b);
}

int finding_store_trim(FindingStore *s, bool exact) {
        size_t n = hashmap_size(s->by_id), i = 0, k = 0;
        void *v;
        if (!s->keep_newest || (!exact && !s->trim_due))
                return 0;
        s->trim_due = false;
        _cleanup_free_ Finding **all = malloc(MAX(n, (size_t) 1) * sizeof *all);
        if (!all)
                return -ENOMEM;
        while (hashmap_iterate(s->by_id, &i, &v, NULL))
                all[k++] = v;
        /* The per-unit cap first, then the total over what is left; what goes is dropped at the
         * end, after the walks. */
        qsort(all, n, sizeof *all, compare_unit_newest);
        size_t kept = 0, run = 0, out = n;
        const char *unit = NULL;
        _cleanup_free_ Finding **dropped = malloc(MAX(n, (size_t) 1) * sizeof *dropped);
        if (!dropped)
                return -ENOMEM;
        for (i = 0; i < n; i++) {
                run = unit && streq(all[i]->unit, unit) ? run + 1 : 0;
                unit = all[i]->unit;
                if (run >= FINDING_STORE_PER_UNIT_MAX)
                        dropped[--out] = all[i];
                else
                        all[kept++] = all[i];
        }
        qsort(all, kept, sizeof *all, finding_ptr_compare_newest);
        for (i = FINDING_STORE_TOTAL_MAX; i < kept; i++)
                dropped[--out] = all[i];
        for (i = out; i < n; i++) {
                s->n_dropped++;
                drop(s, dropped[i]);
        }
        return 0;
}

int finding_compare_newest(uint64_t a_last_seen, const char *a_id, uint64_t b_last_seen, const char *b_id) {
        if (a_last_seen != b_last_seen)
                return a_last_seen > b_last_seen ? -1 : 1;
        return strcmp(a_id ?: "", b_id ?: "");
}

int finding_ptr_compare_newest(const void *a, const void *b) {
        const Finding *x = *(const Finding *const *) a, *y = *(const Finding *const *) b;
        return finding_compare_newest(x->last_seen, x->id, y->last_seen, y->id);
}
