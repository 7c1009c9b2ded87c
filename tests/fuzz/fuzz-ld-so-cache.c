/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>

#include "fuzz-util.h"
#include "host-loader.h"
#include "ld-so-cache.h"

/* Bytes -> the loader cache parser, and the other parsers of the loader's host facts (libc's
 * version names, a binfmt_misc handler, ld.so.conf) over the same bytes. A parsed cache's every
 * entry has a non-empty name and path inside what was read; nothing reads past the input (the
 * copy is exactly its size, so ASan sees any overread). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        uint8_t *buf = malloc(size ? size : 1);
        FUZZ_CHECK(buf);
        memcpy(buf, data, size);

        LdSoCache c;
        int r = ld_so_cache_parse(buf, size, &c);
        FUZZ_CHECK(r == 0 || r == -EBADMSG || r == -E2BIG || r == -ENOMEM);
        if (r == 0) {
                FUZZ_CHECK(c.n_entries <= LD_SO_CACHE_ENTRIES_MAX);
                for (size_t i = 0; i < c.n_entries; i++) {
                        size_t n = strlen(c.entries[i].name), p = strlen(c.entries[i].path);
                        FUZZ_CHECK(n > 0 && n < size && p > 0 && p < size);
                        FUZZ_CHECK(ld_so_cache_lookup(&c, c.entries[i].name, c.entries[i].flags));
                }
                FUZZ_CHECK(ld_so_cache_format_to_string(c.format));
                ld_so_cache_done(&c);
        }

        char *version = NULL, *release = NULL;
        FUZZ_CHECK(glibc_scan(buf, size, &version, &release) >= 0);
        FUZZ_CHECK(!version || strncmp(version, "GLIBC_", 6) == 0);
        FUZZ_CHECK(!release || (strlen(release) > 0 && strlen(release) < 16));
        free(version);
        free(release);

        char *text = malloc(size + 1);
        FUZZ_CHECK(text);
        memcpy(text, data, size);
        text[size] = 0;
        HostBinfmt b;
        if (binfmt_parse("fuzz", text, &b) == 0) {
                FUZZ_CHECK(b.magic_len > 0 && b.magic_len <= sizeof b.magic && b.interpreter);
                (void) binfmt_match(&b, 1, 64, false, 2, 62);
                binfmt_done(&b);
        }
        char **lines = NULL;
        r = ld_so_conf_parse(text, &lines);
        FUZZ_CHECK(r == 0 || r == -E2BIG || r == -ENOMEM);
        for (size_t i = 0; lines && lines[i]; i++) {
                FUZZ_CHECK(lines[i][0] && !strchr(lines[i], '\n') && !strchr(lines[i], '#'));
                free(lines[i]);
        }
        free(lines);
        free(text);
        free(buf);
        return 0;
}
