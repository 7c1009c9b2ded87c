/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Many verbatim needles searched for in one pass over a line: the cost of a line of noise does
 * not grow with the number of classes. A 64 Ki-bit table of the needles' first two bytes is
 * checked at every position; only where it hits are the needles of that pair compared. */

#define NEEDLE_SET_MAX     256u
#define NEEDLE_SET_LEN_MAX 255u

typedef struct NeedleSet {
        uint64_t bigrams[65536 / 64];
        const char *needles[NEEDLE_SET_MAX];
        uint8_t lengths[NEEDLE_SET_MAX];
        uint16_t bigram_of[NEEDLE_SET_MAX];
        /* The needles of a pair, chained by a hash of it (index + 1, 0 ends): a pair common in
         * text compares its own few needles, not all of them. */
        uint16_t head[256];
        uint16_t next[NEEDLE_SET_MAX];
        size_t n;
} NeedleSet;

/* Which needles a line holds, by index (bit i of word i / 64). */
typedef struct NeedleHits {
        uint64_t bits[NEEDLE_SET_MAX / 64];
} NeedleHits;

/* Adds a needle (2 to NEEDLE_SET_LEN_MAX bytes; not copied: a string literal); returns its index,
 * -E2BIG when the set is full, -EINVAL for a needle too short or too long. */
int needle_set_add(NeedleSet *s, const char *needle);
/* Whether text holds any needle; ret_hits (may be NULL) gets all that it holds. */
bool needle_set_search(const NeedleSet *s, const char *text, size_t len, NeedleHits *ret_hits);

static inline bool needle_hits_has(const NeedleHits *h, size_t i) {
        return i < NEEDLE_SET_MAX && (h->bits[i / 64] >> (i % 64) & 1);
}
