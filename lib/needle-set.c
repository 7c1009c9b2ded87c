/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <string.h>

#include "needle-set.h"

static uint16_t bigram(const char *p) {
        return (uint16_t) ((uint8_t) p[0] << 8 | (uint8_t) p[1]);
}

static uint8_t bucket(uint16_t b) {
        return (uint8_t) ((b >> 8) * 31u + (b & 0xff));
}

int needle_set_add(NeedleSet *s, const char *needle) {
        size_t len = strlen(needle);
        if (len < 2 || len > NEEDLE_SET_LEN_MAX)
                return -EINVAL;
        if (s->n >= NEEDLE_SET_MAX)
                return -E2BIG;
        uint16_t b = bigram(needle);
        s->bigrams[b / 64] |= 1ull << (b % 64);
        s->needles[s->n] = needle;
        s->lengths[s->n] = (uint8_t) len;
        s->bigram_of[s->n] = b;
        s->next[s->n] = s->head[bucket(b)];
        s->head[bucket(b)] = (uint16_t) (s->n + 1);
        return (int) s->n++;
}

bool needle_set_search(const NeedleSet *s, const char *text, size_t len, NeedleHits *ret_hits) {
        NeedleHits hits = {};
        bool any = false;
        for (size_t i = 0; i + 1 < len; i++) {
                uint16_t b = bigram(text + i);
                if (!(s->bigrams[b / 64] >> (b % 64) & 1))
                        continue;
                for (size_t k1 = s->head[bucket(b)]; k1 != 0; k1 = s->next[k1 - 1]) {
                        size_t k = k1 - 1;
                        if (s->bigram_of[k] != b || s->lengths[k] > len - i ||
                            memcmp(text + i, s->needles[k], s->lengths[k]) != 0)
                                continue;
                        any = true;
                        if (!ret_hits)
                                return true;
                        hits.bits[k / 64] |= 1ull << (k % 64);
                }
        }
        if (ret_hits)
                *ret_hits = hits;
        return any;
}
