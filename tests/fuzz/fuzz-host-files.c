/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdlib.h>
#include <string.h>

#include "fuzz-util.h"
#include "host-environment.h"
#include "host-loader.h"

/* The files of a root the preflight checks read as text, the first byte choosing which:
 * 'p' /etc/passwd, 'g' /etc/group, anything else a binfmt.d line. Every user and group has a
 * name; a binfmt handler a magic within its buffer, a mask as long, an interpreter. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        if (size == 0)
                return 0;
        char *text = malloc(size);
        if (!text)
                return 0;
        memcpy(text, data + 1, size - 1);
        text[size - 1] = 0;
        if (data[0] == 'p' || data[0] == 'g') {
                HostEnvironment *e = calloc(1, sizeof *e);
                FUZZ_CHECK(e);
                int r = data[0] == 'p' ? host_passwd_parse(e, text) : host_group_parse(e, text);
                FUZZ_CHECK(r == 0 || r == -ENOMEM);
                for (size_t i = 0; i < e->n_users; i++)
                        FUZZ_CHECK(e->users[i].name && e->users[i].home && !strchr(e->users[i].name, '\n'));
                for (size_t i = 0; i < e->n_groups; i++) {
                        FUZZ_CHECK(e->groups[i].name && !strchr(e->groups[i].name, ':'));
                        for (char **m = e->groups[i].members; m && *m; m++)
                                FUZZ_CHECK(**m && !strchr(*m, ',') && !strchr(*m, '\n'));
                        FUZZ_CHECK(host_environment_group(e, e->groups[i].name));
                }
                host_environment_free(e);
        } else {
                HostBinfmt b;
                int r = binfmt_parse_register(text, &b);
                FUZZ_CHECK(r == 0 || r == -ENOENT || r == -EBADMSG || r == -E2BIG || r == -ENOMEM);
                if (r == 0) {
                        FUZZ_CHECK(b.magic_len > 0 && b.magic_len <= sizeof b.magic);
                        FUZZ_CHECK(b.name && *b.name && b.interpreter && *b.interpreter);
                        FUZZ_CHECK(b.offset <= 4096);
                        (void) binfmt_match(&b, 1, 64, false, 2, 183);
                        binfmt_done(&b);
                }
        }
        free(text);
        return 0;
}
