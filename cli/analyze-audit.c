/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#if HAVE_ZLIB
#include <zlib.h>
#endif

#include "analyze-audit.h"
#include "audit-fields.h"
#include "audit-log.h"
#include "macro.h"

#define CHUNK (1u << 20)

typedef struct Reader {
        int fd;
#if HAVE_ZLIB
        gzFile gz;
#endif
} Reader;

static ssize_t reader_read(Reader *r, char *buf, size_t n) {
#if HAVE_ZLIB
        if (r->gz) {
                int k = gzread(r->gz, buf, (unsigned) n);
                return k < 0 ? -EIO : k;
        }
#endif
        ssize_t k = read(r->fd, buf, n);
        return k < 0 ? -errno : k;
}

static bool ends_with(const char *s, const char *suffix) {
        size_t n = strlen(s), m = strlen(suffix);
        return n >= m && strcmp(s + n - m, suffix) == 0;
}

static int feed_line(Correlator *c, const char *line, size_t len, uint64_t mtime, StrBuf *scratch,
                     AuditLogStats *st) {
        const char *rec;
        size_t rlen;
        AuditHeader h;
        st->lines++;
        int r = audit_log_line(line, len, mtime, st->lines, scratch, &rec, &rlen);
        if (r <= 0)
                return r;
        st->records++;
        JournalRecord jr = { .source = JOURNAL_SOURCE_AUDIT, .message = rec, .message_len = rlen };
        if (audit_header_parse(rec, rlen, &h) >= 0)
                jr.realtime = h.sec * 1000000 + h.msec * 1000;
        r = correlator_feed(c, &jr);
        return r == -ENOMEM ? r : 0;
}

int analyze_audit_log(Correlator *c, const char *path, AuditLogStats *st) {
        _cleanup_(strbuf_done) StrBuf scratch = {};
        Reader rd = { .fd = -1 };
        size_t have = 0, size = CHUNK;
        bool eof = false;
        int r = 0;

        rd.fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
        if (rd.fd < 0)
                return -errno;
        /* the time of records that come without one */
        struct stat sb;
        uint64_t mtime = fstat(rd.fd, &sb) >= 0 && sb.st_mtime > 0 ? (uint64_t) sb.st_mtime : 1;
        if (ends_with(path, ".gz")) {
#if HAVE_ZLIB
                rd.gz = gzdopen(rd.fd, "rb");
                if (!rd.gz) {
                        close(rd.fd);
                        return -ENOMEM;
                }
                rd.fd = -1;
#else
                close(rd.fd);
                return -EPROTONOSUPPORT;
#endif
        }
        char *buf = malloc(size);
        if (!buf) {
                r = -ENOMEM;
                goto finish;
        }
        while (r >= 0 && (!eof || have > 0)) {
                if (!eof && have < size) {
                        ssize_t k = reader_read(&rd, buf + have, size - have);
                        if (k < 0) {
                                r = (int) k;
                                break;
                        }
                        eof = k == 0;
                        have += (size_t) k;
                }
                /* Whole lines only: one is whole when a byte follows its newline (which says
                 * whether the next line continues it), or at the end; a line longer than the
                 * buffer is cut. */
                size_t pos = 0;
                while (r >= 0 && pos < have) {
                        size_t next, n = audit_log_next_line(buf + pos, have - pos, &next);
                        if (pos + next >= have && !eof && !(pos == 0 && have == size))
                                break;
                        r = feed_line(c, buf + pos, n, mtime, &scratch, st);
                        pos += next;
                }
                memmove(buf, buf + pos, have - pos);
                have -= pos;
        }
finish:
        free(buf);
#if HAVE_ZLIB
        if (rd.gz)
                gzclose(rd.gz);
#endif
        if (rd.fd >= 0)
                close(rd.fd);
        return r;
}
