/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <string.h>

#include "fuzz-util.h"
#include "kmsg-record.h"

/* Bytes -> kmsg_record_parse(), in a buffer of exactly their size (the parser writes in place). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        char *buf = malloc(size ? size : 1);
        FUZZ_CHECK(buf);
        memcpy(buf, data, size);
        KmsgRecord r;
        int k = kmsg_record_parse(buf, size, &r);
        FUZZ_CHECK(k == 0 || k == -EBADMSG);
        if (k == 0) {
                FUZZ_CHECK(r.text > buf && r.text + r.text_len < buf + size);
                FUZZ_CHECK(r.text[r.text_len] == 0);
                FUZZ_CHECK(r.level < 8);
                /* The text never grows, and has no newline left unless one was escaped. */
                FUZZ_CHECK(r.text_len < size);
                FUZZ_CHECK(memchr(buf, ';', (size_t) (r.text - buf)));
        }
        free(buf);
        return 0;
}
