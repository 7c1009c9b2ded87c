/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One record read from /dev/kmsg (Documentation/ABI/testing/dev-kmsg):
 *   "<prefix>,<seq>,<usec>,<flags>[,...];<text>\n[ KEY=value\n]..."
 * where prefix is facility*8+level and the text escapes bytes that are not printable ASCII, and
 * the backslash, as \xNN. */

#define KMSG_RECORD_MAX 8192u /* the kernel's own limit on one record, text and dictionary */

typedef struct KmsgRecord {
        unsigned facility, level;
        uint64_t seq;
        uint64_t usec;     /* the kernel's clock at printk, µs: what journald stores as
                              _SOURCE_MONOTONIC_TIMESTAMP */
        bool continuation; /* flags 'c' or '+': a fragment of a line (old kernels) */
        char *text;        /* unescaped, NUL-terminated, inside the parsed buffer */
        size_t text_len;
} KmsgRecord;

/* Parses the record in buf[0..n) in place (the text is unescaped where it is). -EBADMSG when
 * the header is not the kernel's or the text has no newline; the dictionary is optional. */
int kmsg_record_parse(char *buf, size_t n, KmsgRecord *ret);
