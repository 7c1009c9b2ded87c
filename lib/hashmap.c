/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdint.h>
#include <string.h>

#include "hashmap.h"

typedef struct Entry {
        const char *key; /* NULL: empty slot */
        void *value;
        uint64_t hash;
} Entry;

struct Hashmap {
        Entry *entries;
        size_t n_buckets; /* a power of two */
        size_t n_entries;
};

static uint64_t hash_string(const char *s) {
        /* FNV-1a; keys come from the service manager and our own code, not from attackers. */
        uint64_t h = 0xcbf29ce484222325ull;
        for (; *s; s++)
                h = (h ^ (uint8_t) *s) * 0x100000001b3ull;
        return h;
}

int hashmap_new(Hashmap **ret) {
        Hashmap *h = calloc(1, sizeof *h);
        if (!h)
                return -ENOMEM;
        *ret = h;
        return 0;
}

Hashmap *hashmap_free(Hashmap *h) {
        if (!h)
                return NULL;
        free(h->entries);
        return mfree(h);
}

static size_t find_slot(const Hashmap *h, const char *key, uint64_t hash) {
        size_t mask = h->n_buckets - 1;
        for (size_t i = hash & mask;; i = (i + 1) & mask) {
                const Entry *e = &h->entries[i];
                if (!e->key || (e->hash == hash && strcmp(e->key, key) == 0))
                        return i;
        }
}

static int resize(Hashmap *h, size_t n_buckets) {
        Entry *old = h->entries;
        size_t old_n = h->n_buckets;
        Entry *new = calloc(n_buckets, sizeof(Entry));
        if (!new)
                return -ENOMEM;
        h->entries = new;
        h->n_buckets = n_buckets;
        for (size_t i = 0; i < old_n; i++)
                if (old[i].key)
                        h->entries[find_slot(h, old[i].key, old[i].hash)] = old[i];
        free(old);
        return 0;
}

int hashmap_put(Hashmap *h, const char *key, void *value) {
        /* Keep the load factor below 3/4 so probe sequences stay short. */
        if ((h->n_entries + 1) * 4 > h->n_buckets * 3) {
                int r = resize(h, h->n_buckets ? h->n_buckets * 2 : 16);
                if (r < 0)
                        return r;
        }
        uint64_t hash = hash_string(key);
        Entry *e = &h->entries[find_slot(h, key, hash)];
        if (e->key)
                return -EEXIST;
        *e = (Entry){ key, value, hash };
        h->n_entries++;
        return 0;
}

void *hashmap_get(const Hashmap *h, const char *key) {
        if (h->n_entries == 0)
                return NULL;
        const Entry *e = &h->entries[find_slot(h, key, hash_string(key))];
        return e->key ? e->value : NULL;
}

void *hashmap_remove(Hashmap *h, const char *key) {
        if (h->n_entries == 0)
                return NULL;
        size_t mask = h->n_buckets - 1;
        size_t i = find_slot(h, key, hash_string(key));
        if (!h->entries[i].key)
                return NULL;
        void *value = h->entries[i].value;
        /* Backward-shift deletion: no tombstones, lookups stay exact. */
        size_t j = i;
        for (;;) {
                j = (j + 1) & mask;
                if (!h->entries[j].key)
                        break;
                size_t home = h->entries[j].hash & mask;
                if ((j > i && (home <= i || home > j)) || (j < i && home <= i && home > j)) {
                        h->entries[i] = h->entries[j];
                        i = j;
                }
        }
        h->entries[i] = (Entry){};
        h->n_entries--;
        return value;
}

size_t hashmap_size(const Hashmap *h) {
        return h->n_entries;
}

bool hashmap_iterate(const Hashmap *h, size_t *state, void **ret_value, const char **ret_key) {
        for (; *state < h->n_buckets; (*state)++)
                if (h->entries[*state].key) {
                        if (ret_value)
                                *ret_value = h->entries[*state].value;
                        if (ret_key)
                                *ret_key = h->entries[*state].key;
                        (*state)++;
                        return true;
                }
        return false;
}
