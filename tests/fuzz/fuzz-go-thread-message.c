/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>

#include "fuzz-util.h"
#include "go-thread-message.h"

/* Bytes -> the runtime's thread message at every place a needle starts, in a buffer of exactly
 * their size (a journal MESSAGE is not NUL-terminated): the span holds the place, stays inside
 * the line, and the figures are what the runtime can print. */
static const char *const needles[] = {
        "runtime: failed to create new OS thread",
        "runtime: program exceeds ",
        "pthread_create failed",
        "runtime: may need to increase max user processes",
        "fatal error: ",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        char *buf = malloc(size ? size : 1);
        FUZZ_CHECK(buf);
        memcpy(buf, data, size);
        for (size_t i = 0; i < sizeof needles / sizeof needles[0]; i++) {
                size_t n = strlen(needles[i]);
                for (const char *at = buf; (at = memmem(at, size - (size_t) (at - buf), needles[i], n));
                     at++) {
                        size_t pos = (size_t) (at - buf);
                        GoThreadMessage m;
                        if (go_thread_message_parse(buf, size, pos, &m) < 0)
                                continue;
                        FUZZ_CHECK(m.start <= pos && m.end > pos && m.end <= size);
                        FUZZ_CHECK(m.kind >= 0 && m.kind < _GO_THREAD_MESSAGE_KIND_MAX);
                        FUZZ_CHECK(m.threads >= -1 && m.threads < 10000000000);
                        FUZZ_CHECK(m.errno_value >= -1 && m.errno_value < 10000000000);
                        FUZZ_CHECK(m.limit >= -1 && m.limit < 10000000000);
                        FUZZ_CHECK((m.limit >= 0) == (m.kind == GO_THREAD_LIMIT));
                }
        }
        /* Any place at all, past the end too. */
        for (size_t pos = 0; pos <= size + 1 && pos < 64; pos++) {
                GoThreadMessage m;
                if (go_thread_message_parse(buf, size, pos, &m) >= 0)
                        FUZZ_CHECK(m.start <= pos && m.end <= size);
        }
        free(buf);
        return 0;
}
