/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Lines of audit records through the correlator: deduplicated, assembled into events (with
 * libauparse in a build that has it), read as denials, attributed, grouped, advised. */
#include <string.h>

#include "correlate.h"
#include "finding-state.h"
#include "fuzz-util.h"

static int lookup(void *userdata, const char *unit, UnitKnowledge *ret) {
        *ret = (UnitKnowledge){};
        return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        FindingStore store;
        Correlator *c = NULL;
        FUZZ_CHECK(finding_store_init(&store) == 0);
        FUZZ_CHECK(correlator_new(&store, &(CorrelatorOptions){ .lookup = lookup, .include_non_go = true },
                                  &c) == 0);
        const char *p = (const char *) data, *end = p + size;
        unsigned i = 0;
        while (p < end) {
                const char *nl = memchr(p, '\n', (size_t) (end - p));
                size_t n = nl ? (size_t) (nl - p) : (size_t) (end - p);
                char *line = strndup(p, n);
                FUZZ_CHECK(line);
                /* every other record as if a reader had resolved its pid to a unit */
                JournalRecord r = { .source = JOURNAL_SOURCE_AUDIT,
                                    .realtime = 1700000000000000ull + i,
                                    .journal_monotonic = ++i,
                                    .message = line,
                                    .message_len = strlen(line),
                                    .unit = i % 2 ? "api.service" : NULL };
                FUZZ_CHECK(correlator_feed(c, &r) >= 0);
                free(line);
                p += n + 1;
        }
        FUZZ_CHECK(correlator_advance(c, UINT64_MAX) >= 0);
        /* what was found reads back from the state file */
        StrBuf out = {};
        finding_state_write(&store, &out);
        FUZZ_CHECK(strbuf_error(&out) == 0);
        FindingStore back;
        size_t line_no;
        FUZZ_CHECK(finding_store_init(&back) == 0);
        FUZZ_CHECK(finding_state_read(out.data, out.len, &back, &line_no) == 0);
        FUZZ_CHECK(hashmap_size(back.by_id) == hashmap_size(store.by_id));
        finding_store_done(&back);
        strbuf_done(&out);
        correlator_free(c);
        finding_store_done(&store);
        return 0;
}
