/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* src/net/net.go: OpError.Error() is "op net [source->]addr: err", where err is the
 * os.SyscallError "syscall: errno text" of a failed bind() or connect(). The address is what
 * net.JoinHostPort made: "host:port", "[v6]:port", ":port" for a listener on every address. */
#include <assert.h>
#include <string.h>

#include "go-fd-message.h"
#include "go-net-message.h"
#include "parse-util.h"

#define ARROW "->"

/* The port after the last ':' of [a, a + n) and the host before it, brackets dropped. */
static void split_host_port(const char *s, size_t a, size_t n, GoNetMessage *m) {
        size_t c = n;
        while (c > 0 && s[a + c - 1] != ':')
                c--;
        if (c == 0)
                return; /* no ':': a unix socket's path, or not an address */
        uint64_t v;
        size_t digits = n - c;
        if (digits == 0 || digits > 5 || parse_u64_prefix(s + a + c, digits, &v) != (int) digits ||
            v > 65535)
                return;
        m->port = (int32_t) v;
        size_t h = a, hl = c - 1;
        if (hl >= 2 && s[h] == '[' && s[h + hl - 1] == ']') {
                h++;
                hl -= 2;
        }
        m->host_start = h;
        m->host_len = hl;
}

void go_net_message_find(const char *s, size_t len, size_t at, size_t needle_len, GoNetMessage *ret) {
        GoNetMessage m = { .start = at, .end = at + needle_len, .port = -1 };
        assert(at + needle_len <= len);

        size_t k;
        if (at < 2 || s[at - 2] != ':' || s[at - 1] != ' ' ||
            (k = go_op_error_start(s, at - 2)) == SIZE_MAX) {
                *ret = m;
                return;
        }
        size_t end = at - 2; /* of "op net addr" */
        m.start = k;
        m.op_start = k;
        m.op_len = (size_t) ((const char *) memchr(s + k, ' ', end - k) - (s + k));
        m.net_start = k + m.op_len + 1;
        const char *sp = memchr(s + m.net_start, ' ', end - m.net_start);
        m.net_len = sp ? (size_t) (sp - (s + m.net_start)) : end - m.net_start;
        if (sp) {
                size_t a = (size_t) (sp - s) + 1, n = end - a;
                /* "source->addr": the address is the remote one. */
                for (size_t i = n; i >= STRLEN(ARROW) && i > 0; i--)
                        if (memcmp(s + a + i - STRLEN(ARROW), ARROW, STRLEN(ARROW)) == 0) {
                                n -= i;
                                a += i;
                                break;
                        }
                m.addr_start = a;
                m.addr_len = n;
                split_host_port(s, a, n, &m);
        }
        *ret = m;
}
