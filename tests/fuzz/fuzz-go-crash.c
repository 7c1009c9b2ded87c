/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>

#include "fuzz-util.h"
#include "go-crash.h"

/* Bytes -> journal entries of one stream: a NUL byte separates entries (a journal MESSAGE may
 * hold newlines, so an entry may hold several lines), a 0x01 byte flushes as an exit would. Each
 * record stays within its caps, and its first non-runtime frame is one of its frames. */
static int check(void *userdata, GoCrash *c) {
        size_t *n = userdata;
        FUZZ_CHECK(c->n_frames <= GO_CRASH_FRAMES_MAX);
        FUZZ_CHECK(c->frames_total >= c->n_frames);
        FUZZ_CHECK(c->text.len <= GO_CRASH_TEXT_MAX);
        FUZZ_CHECK(c->lines_dropped <= c->lines && c->lines >= 1);
        FUZZ_CHECK(c->message && strlen(c->message) <= GO_CRASH_VALUE_MAX);
        FUZZ_CHECK(c->kind >= 0 && c->kind < _GO_CRASH_KIND_MAX);
        FUZZ_CHECK(go_crash_end_to_string(c->end));
        for (size_t i = 0; i < c->n_frames; i++) {
                FUZZ_CHECK(c->frames[i].function && strlen(c->frames[i].function) <= GO_CRASH_FIELD_MAX);
                char *p = NULL;
                if (go_function_package(c->frames[i].function, &p) == 0)
                        FUZZ_CHECK(strlen(p) <= strlen(c->frames[i].function));
                free(p);
        }
        const GoCrashFrame *u = go_crash_first_user_frame(c);
        FUZZ_CHECK(!u || (u >= c->frames && u < c->frames + c->n_frames));
        FUZZ_CHECK(!go_crash_is_complete(c) || c->have_goroutine);
        (*n)++;
        go_crash_free(c);
        return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        GoCrashStream s = {};
        size_t n = 0, at = 0;
        uint64_t when = 0;
        while (at <= size) {
                size_t e = at;
                while (e < size && data[e] != 0 && data[e] != 1)
                        e++;
                /* An exact copy: the MESSAGE is not NUL-terminated. */
                char *m = malloc(e - at + 1);
                FUZZ_CHECK(m);
                memcpy(m, data + at, e - at);
                (void) go_crash_line_wanted(m, e - at);
                FUZZ_CHECK(go_crash_stream_feed(&s, m, e - at, when++, check, &n) >= 0);
                free(m);
                if (e < size && data[e] == 1)
                        FUZZ_CHECK(go_crash_stream_flush(&s, GO_CRASH_END_EXIT, check, &n) >= 0);
                at = e + 1;
        }
        FUZZ_CHECK(go_crash_stream_flush(&s, GO_CRASH_END_INPUT, check, &n) >= 0);
        go_crash_stream_done(&s);
        return 0;
}
