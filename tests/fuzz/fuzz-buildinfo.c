/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <string.h>

#include "fuzz-util.h"
#include "go-buildinfo.h"

/* Bytes -> file -> elf_file_open() -> go_buildinfo_read(). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        _cleanup_close_ int fd = fuzz_memfd(data, size);
        _cleanup_(elf_file_freep) ElfFile *f = NULL;
        GoBuildInfoBlob b = {};
        const char *reason = NULL;

        if (fd < 0 || elf_file_open(fd, NULL, &f) < 0)
                return 0;
        int r = go_buildinfo_read(f, &b, &reason);
        if (r == -ENOMSG) {
                FUZZ_CHECK(reason && *reason);
                FUZZ_CHECK(!b.version && !b.modinfo);
                return 0;
        }
        if (r < 0)
                return 0;

        FUZZ_CHECK(b.modinfo);
        FUZZ_CHECK(b.modinfo[b.modinfo_len] == 0); /* the whole length is allocated */
        if (b.source == GO_BUILDINFO_FROM_SENTINELS)
                FUZZ_CHECK(!b.version);
        else {
                FUZZ_CHECK(b.version && *b.version);
                FUZZ_CHECK(b.inline_strings == !!(b.flags & GO_BUILDINFO_FLAG_INLINE));
                FUZZ_CHECK(b.inline_strings || b.ptr_size == 4 || b.ptr_size == 8);
                FUZZ_CHECK(b.address % 16 == 0);
        }
        go_buildinfo_blob_done(&b);
        return 0;
}
