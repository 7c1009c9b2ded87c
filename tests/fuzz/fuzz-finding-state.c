/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <string.h>

#include "finding-state.h"
#include "fuzz-util.h"

static char *write_store(const FindingStore *s, size_t *ret_len) {
        StrBuf b = {};
        char *t;
        finding_state_write(s, &b);
        FUZZ_CHECK(strbuf_steal(&b, &t, ret_len) == 0);
        return t;
}

static void check_store(const FindingStore *s) {
        size_t i = 0;
        void *v;
        FUZZ_CHECK(finding_store_count(s, NULL, _FINDING_STATE_INVALID) <= FINDING_STORE_TOTAL_MAX);
        while (hashmap_iterate(s->by_id, &i, &v, NULL)) {
                const Finding *f = v;
                FUZZ_CHECK(finding_class_info(f->class));
                FUZZ_CHECK(f->n_evidence <= FINDING_EVIDENCE_MAX && f->n_advice <= FINDING_ADVICE_MAX);
                FUZZ_CHECK(f->n_seen_keys <= FINDING_SEEN_KEYS_MAX);
                FUZZ_CHECK(finding_store_count(s, f->unit, _FINDING_STATE_INVALID) <=
                           FINDING_STORE_PER_UNIT_MAX);
        }
}

/* Bytes -> finding_state_read(); what reads must write text that reads back and writes the
 * same bytes again: write(read(write(read(x)))) == write(read(x)). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        FindingStore s, again;
        size_t line = SIZE_MAX, len1, len2;

        FUZZ_CHECK(finding_store_init(&s) == 0);
        int r = finding_state_read((const char *) data, size, &s, &line);
        if (r < 0) {
                FUZZ_CHECK(r == -EBADMSG || r == -E2BIG || r == -ENOMEM);
                FUZZ_CHECK(s.by_id && finding_store_count(&s, NULL, _FINDING_STATE_INVALID) == 0);
                if (r == -EBADMSG) {
                        size_t lines = 1;
                        for (size_t i = 0; i < size; i++)
                                lines += data[i] == '\n';
                        FUZZ_CHECK(line <= lines);
                        FUZZ_CHECK((line == 0) == (size == 0 || memchr(data, 0, size) != NULL));
                }
                finding_store_done(&s);
                return 0;
        }
        FUZZ_CHECK(size > 0 && data[size - 1] == '\n');
        check_store(&s);

        char *text = write_store(&s, &len1);
        FUZZ_CHECK(strlen(text) == len1);
        FUZZ_CHECK(finding_store_init(&again) == 0);
        r = finding_state_read(text, len1, &again, &line);
        if (r != 0)
                fprintf(stderr, "written state does not read (%d, line %zu):\n%s\n", r, line, text);
        FUZZ_CHECK(r == 0);
        FUZZ_CHECK(finding_store_count(&s, NULL, _FINDING_STATE_INVALID) ==
                   finding_store_count(&again, NULL, _FINDING_STATE_INVALID));
        char *text2 = write_store(&again, &len2);
        if (len1 != len2 || memcmp(text, text2, len1) != 0)
                fprintf(stderr, "state is not stable:\n--- first\n%s--- second\n%s", text, text2);
        FUZZ_CHECK(len1 == len2 && memcmp(text, text2, len1) == 0);

        free(text);
        free(text2);
        finding_store_done(&s);
        finding_store_done(&again);
        return 0;
}
