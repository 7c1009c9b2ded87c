/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <string.h>

#include "hex.h"
#include "kmsg-record.h"
#include "parse-util.h"

static bool parse_number(const char *s, const char *end, const char **ret_end, uint64_t *ret) {
        int k = parse_u64_prefix(s, (size_t) (end - s), ret);
        if (k <= 0)
                return false;
        *ret_end = s + k;
        return true;
}

int kmsg_record_parse(char *buf, size_t n, KmsgRecord *ret) {
        const char *end = buf + n, *p;
        uint64_t prefix, seq, usec;

        if (!parse_number(buf, end, &p, &prefix) || p == end || *p != ',' || prefix > 0xffffffu)
                return -EBADMSG;
        if (!parse_number(p + 1, end, &p, &seq) || p == end || *p != ',')
                return -EBADMSG;
        if (!parse_number(p + 1, end, &p, &usec) || p == end || *p != ',')
                return -EBADMSG;
        p++;
        if (p == end)
                return -EBADMSG;
        char flags = *p;
        /* Further comma-separated fields may follow (the caller id on some kernels). */
        char *text = memchr(p, ';', (size_t) (end - p));
        if (!text)
                return -EBADMSG;
        text++;
        /* The text ends at the first newline; the dictionary lines follow it. */
        char *text_end = memchr(text, '\n', (size_t) (end - text));
        if (!text_end)
                return -EBADMSG; /* the kernel ends every text with one */

        /* Unescape in place: the output never outgrows the input. */
        char *out = text;
        for (const char *q = text; q < text_end; q++) {
                if (*q == '\\' && text_end - q >= 4 && q[1] == 'x' && unhexchar(q[2]) >= 0 &&
                    unhexchar(q[3]) >= 0) {
                        *out++ = (char) (unhexchar(q[2]) * 16 + unhexchar(q[3]));
                        q += 3;
                } else
                        *out++ = *q;
        }
        *out = 0; /* where the newline was, or before it */

        *ret = (KmsgRecord){
                .facility = (unsigned) (prefix >> 3),
                .level = (unsigned) (prefix & 7),
                .seq = seq,
                .usec = usec,
                .continuation = flags == 'c' || flags == '+',
                .text = text,
                .text_len = (size_t) (out - text),
        };
        return 0;
}
