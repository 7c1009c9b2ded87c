/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <string.h>

#include "macro.h"
#include "proc-maps.h"

static int parse_hex(const char **p, const char *end, uint64_t *ret) {
        uint64_t v = 0;
        const char *s = *p;
        for (; s < end; s++) {
                int d = *s >= '0' && *s <= '9' ? *s - '0' : *s >= 'a' && *s <= 'f' ? *s - 'a' + 10 : -1;
                if (d < 0)
                        break;
                if (v >> 60)
                        return -EBADMSG;
                v = v << 4 | (uint64_t) d;
        }
        if (s == *p)
                return -EBADMSG;
        *p = s;
        *ret = v;
        return 0;
}

static bool ends_with(const char *s, size_t len, const char *suffix) {
        size_t n = strlen(suffix);
        return len >= n && memcmp(s + len - n, suffix, n) == 0;
}

int proc_maps_journal_mapping(const char *line, size_t len, uint64_t *ret_start, uint64_t *ret_end) {
        const char *p = line, *end = line + len;
        uint64_t start, stop;

        if (parse_hex(&p, end, &start) < 0 || p == end || *p++ != '-' || parse_hex(&p, end, &stop) < 0 ||
            stop <= start || end - p < 6 || *p++ != ' ')
                return -EBADMSG;
        /* "r--s": readable, not writable, shared; how sd-journal maps files it reads. */
        bool journal_like = memcmp(p, "r--s", 4) == 0;
        p += 4;
        /* OFFSET DEV INODE, then spaces up to the path. */
        for (int field = 0; field < 3; field++) {
                if (p == end || *p != ' ')
                        return -EBADMSG;
                while (p < end && *p == ' ')
                        p++;
                const char *f = p;
                while (p < end && *p != ' ')
                        p++;
                if (p == f)
                        return -EBADMSG;
        }
        while (p < end && *p == ' ')
                p++;
        if (!journal_like || p == end || *p != '/')
                return 0;
        size_t n = (size_t) (end - p);
        if (ends_with(p, n, " (deleted)"))
                n -= STRLEN(" (deleted)");
        if (!memmem(p, n, "/journal/", STRLEN("/journal/")) ||
            !(ends_with(p, n, ".journal") || ends_with(p, n, ".journal~")))
                return 0;
        *ret_start = start;
        *ret_end = stop;
        return 1;
}
