/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The runtime's texts as src/runtime/os_linux.go (newosproc), src/runtime/proc.go (checkmcount)
 * and src/runtime/cgo (gcc_linux*.c, gcc_libinit.c, gcc_fatalf.c) print them. The numbers are
 * the runtime's own print of an int32: decimal, no sign for the counts. */
#include <errno.h>
#include <string.h>

#include "go-thread-message.h"
#include "parse-util.h"

#define NEWOSPROC   "runtime: failed to create new OS thread"
#define HAVE        " (have "
#define ALREADY     " already; errno="
#define ULIMIT_HINT "runtime: may need to increase max user processes (ulimit -u)"
#define EXCEEDS     "runtime: program exceeds "
#define THREAD_LIM  "-thread limit"
#define CGO_PREFIX  "runtime/cgo: "
#define PTHREAD     "pthread_create failed"
#define FATAL       "fatal error: "

/* The strerror() texts pthread_create's errors print as in glibc; any other text is not kept. */
static const struct {
        const char *text;
        int64_t value;
} pthread_errors[] = {
        { "Resource temporarily unavailable", EAGAIN },
        { "Cannot allocate memory", ENOMEM },
        { "Operation not permitted", EPERM },
        { "Invalid argument", EINVAL },
};

static const struct {
        const char *text;
        GoThreadMessageKind kind;
} fatal_texts[] = {
        { "newosproc", GO_THREAD_FATAL_NEWOSPROC },
        { "thread exhaustion", GO_THREAD_FATAL_EXHAUSTION },
};

static bool has(const char *s, size_t len, size_t at, const char *word, size_t n) {
        return at <= len && len - at >= n && memcmp(s + at, word, n) == 0;
}
#define HAS(s, len, at, lit) has(s, len, at, lit, STRLEN(lit))

/* A count the runtime printed, at most 10 digits: the bytes it took, or 0. */
static size_t count_at(const char *s, size_t len, size_t at, int64_t *ret) {
        uint64_t v;
        int k = parse_u64_prefix(s + at, MIN(len - at, (size_t) 10), &v);
        if (k <= 0)
                return 0;
        *ret = (int64_t) v;
        return (size_t) k;
}

static void parse_newosproc(const char *s, size_t len, size_t at, GoThreadMessage *m) {
        size_t p = at + STRLEN(NEWOSPROC), k;
        int64_t have, e;
        m->kind = GO_THREAD_NEWOSPROC;
        m->end = p;
        /* "(have N already; errno=E)" whole, or not at all. */
        if (!HAS(s, len, p, HAVE))
                return;
        p += STRLEN(HAVE);
        if (p > len || (k = count_at(s, len, p, &have)) == 0)
                return;
        p += k;
        if (!HAS(s, len, p, ALREADY))
                return;
        p += STRLEN(ALREADY);
        if (p > len || (k = count_at(s, len, p, &e)) == 0)
                return;
        p += k;
        if (!HAS(s, len, p, ")"))
                return;
        m->end = p + 1;
        m->threads = have;
        m->errno_value = e;
}

static int parse_pthread(const char *s, size_t len, size_t at, GoThreadMessage *m) {
        size_t p = at + STRLEN(PTHREAD);
        m->kind = GO_THREAD_PTHREAD_CREATE;
        if (at >= STRLEN(CGO_PREFIX) && HAS(s, len, at - STRLEN(CGO_PREFIX), CGO_PREFIX))
                m->start = at - STRLEN(CGO_PREFIX);
        m->end = p;
        /* Always followed by the error's text: without it, these are someone else's words. */
        if (!HAS(s, len, p, ": "))
                return -EBADMSG;
        p += 2;
        for (size_t i = 0; i < ELEMENTSOF(pthread_errors); i++)
                if (has(s, len, p, pthread_errors[i].text, strlen(pthread_errors[i].text))) {
                        m->end = p + strlen(pthread_errors[i].text);
                        m->errno_value = pthread_errors[i].value;
                        break;
                }
        return 0;
}

int go_thread_message_parse(const char *s, size_t len, size_t at, GoThreadMessage *ret) {
        GoThreadMessage m = { .kind = _GO_THREAD_MESSAGE_KIND_INVALID,
                              .start = at,
                              .end = at,
                              .threads = -1,
                              .errno_value = -1,
                              .limit = -1 };
        if (at > len)
                return -EBADMSG;
        if (HAS(s, len, at, NEWOSPROC))
                parse_newosproc(s, len, at, &m);
        else if (HAS(s, len, at, ULIMIT_HINT)) {
                m.kind = GO_THREAD_ULIMIT_HINT;
                m.end = at + STRLEN(ULIMIT_HINT);
        } else if (HAS(s, len, at, EXCEEDS)) {
                size_t p = at + STRLEN(EXCEEDS), k = count_at(s, len, p, &m.limit);
                if (k == 0 || !HAS(s, len, p + k, THREAD_LIM))
                        return -EBADMSG;
                m.kind = GO_THREAD_LIMIT;
                m.end = p + k + STRLEN(THREAD_LIM);
        } else if (HAS(s, len, at, CGO_PREFIX PTHREAD) || HAS(s, len, at, PTHREAD)) {
                if (parse_pthread(s, len, HAS(s, len, at, PTHREAD) ? at : at + STRLEN(CGO_PREFIX), &m) < 0)
                        return -EBADMSG;
        } else if (HAS(s, len, at, FATAL)) {
                size_t p = at + STRLEN(FATAL);
                for (size_t i = 0; i < ELEMENTSOF(fatal_texts) && m.kind < 0; i++) {
                        size_t n = strlen(fatal_texts[i].text);
                        /* The whole text: "fatal error: newosprocX" is something else. */
                        if (has(s, len, p, fatal_texts[i].text, n) &&
                            (p + n == len || s[p + n] == '\n' || s[p + n] == ' ' || s[p + n] == '\r')) {
                                m.kind = fatal_texts[i].kind;
                                m.end = p + n;
                        }
                }
                if (m.kind < 0)
                        return -EBADMSG;
        } else
                return -EBADMSG;
        *ret = m;
        return 0;
}
