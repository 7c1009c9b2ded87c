/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdio.h>
#include <string.h>

#include "hashmap.h"
#include "test-util.h"

START_TEST(test_put_get_remove) {
        _cleanup_(hashmap_freep) Hashmap *h = NULL;
        int a = 1, b = 2;

        ck_assert_int_eq(hashmap_new(&h), 0);
        ck_assert_ptr_null(hashmap_get(h, "a"));
        ck_assert_ptr_null(hashmap_remove(h, "a"));
        ck_assert_int_eq(hashmap_put(h, "a", &a), 0);
        ck_assert_int_eq(hashmap_put(h, "b", &b), 0);
        ck_assert_int_eq(hashmap_put(h, "a", &b), -EEXIST);
        ck_assert_uint_eq(hashmap_size(h), 2);
        ck_assert_ptr_eq(hashmap_get(h, "a"), &a);
        ck_assert_ptr_eq(hashmap_get(h, "b"), &b);
        ck_assert_ptr_eq(hashmap_remove(h, "a"), &a);
        ck_assert_ptr_null(hashmap_get(h, "a"));
        ck_assert_ptr_eq(hashmap_get(h, "b"), &b);
        ck_assert_uint_eq(hashmap_size(h), 1);
}
END_TEST

/* Many keys, removal of every third one (exercises backward-shift deletion across collisions and
 * resizes), then every remaining key must still be found, and iteration sees each exactly once. */
START_TEST(test_many) {
        enum { N = 5000 };
        _cleanup_(hashmap_freep) Hashmap *h = NULL;
        static char keys[N][16];
        static int values[N];

        ck_assert_int_eq(hashmap_new(&h), 0);
        for (int i = 0; i < N; i++) {
                snprintf(keys[i], sizeof keys[i], "unit-%d", i);
                values[i] = i;
                ck_assert_int_eq(hashmap_put(h, keys[i], &values[i]), 0);
        }
        for (int i = 0; i < N; i += 3)
                ck_assert_ptr_eq(hashmap_remove(h, keys[i]), &values[i]);
        for (int i = 0; i < N; i++) {
                int *v = hashmap_get(h, keys[i]);
                if (i % 3 == 0)
                        ck_assert_ptr_null(v);
                else {
                        ck_assert_ptr_nonnull(v);
                        ck_assert_int_eq(*v, i);
                }
        }
        static bool seen[N];
        size_t state = 0, count = 0;
        void *v;
        const char *k;
        while (hashmap_iterate(h, &state, &v, &k)) {
                int i = *(int *) v;
                ck_assert_str_eq(k, keys[i]);
                ck_assert(!seen[i]);
                seen[i] = true;
                count++;
        }
        ck_assert_uint_eq(count, hashmap_size(h));
        ck_assert_uint_eq(count, N - (N + 2) / 3);
}
END_TEST

static Suite *hashmap_suite(void) {
        Suite *s = suite_create("hashmap");
        TCase *tc = tcase_create("core");
        tcase_add_test(tc, test_put_get_remove);
        tcase_add_test(tc, test_many);
        suite_add_tcase(s, tc);
        return s;
}

DEFINE_TEST_MAIN(hashmap_suite)
