/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "macro.h"

/* A string-keyed hash map with open addressing. Keys are not copied: a key must live as long as
 * its entry (it is usually a member of the value). Values are not freed. */
typedef struct Hashmap Hashmap;

int hashmap_new(Hashmap **ret);
Hashmap *hashmap_free(Hashmap *h);
DEFINE_TRIVIAL_CLEANUP_FUNC(Hashmap *, hashmap_free);

/* -EEXIST if the key is present. */
int hashmap_put(Hashmap *h, const char *key, void *value);
void *hashmap_get(const Hashmap *h, const char *key);
void *hashmap_remove(Hashmap *h, const char *key);
size_t hashmap_size(const Hashmap *h);
/* Iterate with *state starting at 0; returns false at the end. Do not modify while iterating. */
bool hashmap_iterate(const Hashmap *h, size_t *state, void **ret_value, const char **ret_key);
