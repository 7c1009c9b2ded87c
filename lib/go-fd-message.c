/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Go's error texts, as src/io/fs/fs.go (PathError: "op path: err"), src/os/error.go
 * (SyscallError: "syscall: err"), src/net/net.go (OpError: "op net [source->]addr: err") and
 * src/net/http/server.go ("http: Accept error: %v; retrying in %v") build them, read backwards
 * from the errno's text. Only the forms that wrap an errno directly are taken, each from a fixed
 * list of operations: whatever else precedes them is the program's own text. */
#include <string.h>

#include "go-fd-message.h"
#include "parse-util.h"

#define NONE SIZE_MAX

#define HTTP_PREFIX "http: Accept error: "
#define RETRY       "; retrying in "
#define FATAL       "fatal error: "
#define WITH        " with "

/* The system calls whose SyscallError may carry EMFILE or ENFILE: those that make a descriptor. */
static const char *const syscalls[] = {
        "accept",        "accept4",  "socket",      "socketpair",     "pipe",
        "pipe2",         "dup",      "dup2",        "dup3",           "fcntl",
        "open",          "openat",   "epollcreate", "epollcreate1",   "epoll_create",
        "epoll_create1", "eventfd",  "eventfd2",    "inotify_init",   "inotify_init1",
        "memfd_create",  "signalfd", "pidfd_open",  "timerfd_create", NULL,
};
/* net.OpError's Op and Net. */
static const char *const net_ops[] = { "accept", "dial", "listen", "read", "write", "file", NULL };
static const char *const nets[] = {
        "tcp", "tcp4", "tcp6", "udp",      "udp4",       "udp6", "ip",
        "ip4", "ip6",  "unix", "unixgram", "unixpacket", NULL,
};
/* os.PathError's Op for the calls that open something. */
static const char *const path_ops[] = { "open", "openat", "fork/exec", "readdirent", "pipe", NULL };

static bool in_list(const char *s, size_t n, const char *const *list) {
        for (size_t i = 0; list[i]; i++)
                if (strlen(list[i]) == n && memcmp(s, list[i], n) == 0)
                        return true;
        return false;
}

static bool is_lower_word(char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

/* Whether a segment may start at i: at the line's start or after a character that cannot be part
 * of the word before it ("xopen /a" is not "open /a"). */
static bool at_boundary(const char *s, size_t i) {
        if (i == 0)
                return true;
        char c = s[i - 1];
        return !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
                 c == '/' || c == '.' || c == '-');
}

/* A token of an address or a path: no spaces, no quotes, no '=' (a "key=value" is the program's). */
static bool is_token(char c) {
        return (unsigned char) c > ' ' && c != '"' && c != '\'' && c != '`' && c != '=';
}

static bool colon_space_before(const char *s, size_t i) {
        return i >= 2 && s[i - 2] == ':' && s[i - 1] == ' ';
}

/* Where a word of [a-z0-9_] (and '/' when slash) that ends at end starts. */
static size_t word_start(const char *s, size_t end, bool slash) {
        size_t i = end;
        while (i > 0 && (is_lower_word(s[i - 1]) || (slash && s[i - 1] == '/')))
                i--;
        return i;
}

/* The length of the operation's name at i (up to its space, before end). */
static size_t word_len(const char *s, size_t i, size_t end) {
        size_t n = 0;
        while (i + n < end && s[i + n] != ' ')
                n++;
        return n;
}

/* "socket" ending at end: its start, or NONE. */
static size_t syscall_before(const char *s, size_t end) {
        size_t i = word_start(s, end, false);
        if (i == end || !in_list(s + i, end - i, syscalls) || !at_boundary(s, i))
                return NONE;
        return i;
}

size_t go_op_error_start(const char *s, size_t end) {
        size_t net_end = end;
        size_t a = end;
        while (a > 0 && is_token(s[a - 1]))
                a--;
        /* With an address: "accept tcp [::]:8080". */
        if (a < end && a > 0 && s[a - 1] == ' ')
                net_end = a - 1;
        for (int with_addr = net_end != end; with_addr >= 0; with_addr--) {
                size_t ne = with_addr ? net_end : end;
                size_t n = word_start(s, ne, false);
                if (n == ne || !in_list(s + n, ne - n, nets) || n == 0 || s[n - 1] != ' ')
                        continue;
                size_t o = word_start(s, n - 1, false);
                if (o < n - 1 && in_list(s + o, n - 1 - o, net_ops) && at_boundary(s, o))
                        return o;
        }
        return NONE;
}

/* "open /path" ending at end: its start, or NONE. */
static size_t path_error_before(const char *s, size_t end) {
        size_t p = end;
        while (p > 0 && is_token(s[p - 1]))
                p--;
        if (p == end || p == 0 || s[p - 1] != ' ')
                return NONE;
        size_t o = word_start(s, p - 1, true);
        if (o == p - 1 || !in_list(s + o, p - 1 - o, path_ops) || !at_boundary(s, o))
                return NONE;
        return o;
}

/* A Go time.Duration as String() prints it ("5ms", "1s", "1.28s", "1m0s"): its length, or 0. */
static size_t duration_len(const char *s, size_t n) {
        static const char *const units[] = {
                "ns", "us", "\xc2\xb5s", "\xce\xbcs", "ms", "s", "m", "h", NULL
        };
        size_t i = 0;
        bool any = false;
        while (i < n && i < 32) {
                size_t d = i;
                while (i < n && ((s[i] >= '0' && s[i] <= '9') || s[i] == '.'))
                        i++;
                if (i == d)
                        break;
                size_t u = 0;
                for (size_t k = 0; units[k] && !u; k++) {
                        size_t l = strlen(units[k]);
                        if (l <= n - i && memcmp(s + i, units[k], l) == 0)
                                u = l;
                }
                if (!u)
                        return 0;
                i += u;
                any = true;
        }
        return any ? i : 0;
}

void go_fd_message_find(const char *s, size_t len, size_t at, size_t errno_len, GoFdMessage *ret) {
        GoFdMessage m = { .start = at, .end = at + errno_len };
        size_t k;

        if (colon_space_before(s, at)) {
                size_t seg_end = at - 2;
                if ((k = syscall_before(s, seg_end)) != NONE) {
                        /* "accept tcp [::]:8080: accept4": an OpError around the SyscallError. */
                        m = (GoFdMessage){ .start = k, .end = m.end, .op_start = k, .op_len = seg_end - k };
                        size_t o;
                        if (colon_space_before(s, k) && (o = go_op_error_start(s, k - 2)) != NONE)
                                m.start = o;
                } else if ((k = go_op_error_start(s, seg_end)) != NONE) {
                        m = (GoFdMessage){
                                .start = k, .end = m.end, .op_start = k, .op_len = word_len(s, k, at)
                        };
                } else if ((k = path_error_before(s, seg_end)) != NONE)
                        m = (GoFdMessage){
                                .start = k, .end = m.end, .op_start = k, .op_len = word_len(s, k, at)
                        };
        }
        if (m.start < at && m.start >= STRLEN(HTTP_PREFIX) &&
            memcmp(s + m.start - STRLEN(HTTP_PREFIX), HTTP_PREFIX, STRLEN(HTTP_PREFIX)) == 0 &&
            at_boundary(s, m.start - STRLEN(HTTP_PREFIX)))
                m.start -= STRLEN(HTTP_PREFIX);
        if (len - m.end > STRLEN(RETRY) && memcmp(s + m.end, RETRY, STRLEN(RETRY)) == 0 &&
            (k = duration_len(s + m.end + STRLEN(RETRY), len - m.end - STRLEN(RETRY))) > 0)
                m.end += STRLEN(RETRY) + k;
        *ret = m;
}

void go_runtime_failure_find(const char *s, size_t len, size_t at, size_t needle_len,
                             GoRuntimeFailure *ret) {
        GoRuntimeFailure f = { .start = at, .end = at + needle_len, .errno_value = -1 };
        if (at >= STRLEN(FATAL) && memcmp(s + at - STRLEN(FATAL), FATAL, STRLEN(FATAL)) == 0) {
                f.start -= STRLEN(FATAL);
                f.fatal = true;
        }
        uint64_t v;
        int k;
        if (len - f.end > STRLEN(WITH) && memcmp(s + f.end, WITH, STRLEN(WITH)) == 0 &&
            (k = parse_u64_prefix(s + f.end + STRLEN(WITH), MIN(len - f.end - STRLEN(WITH), (size_t) 4),
                                  &v)) > 0) {
                f.end += STRLEN(WITH) + (size_t) k;
                f.errno_value = (int64_t) v;
        }
        *ret = f;
}

const char *errno_name(int64_t e) {
        switch (e) {
        case 1: return "EPERM";
        case 11: return "EAGAIN";
        case 12: return "ENOMEM";
        case 22: return "EINVAL";
        case 23: return "ENFILE";
        case 24: return "EMFILE";
        case 28: return "ENOSPC";
        case 38: return "ENOSYS";
        default: return NULL;
        }
}
