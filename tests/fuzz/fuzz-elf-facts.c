/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>

#include "elf-facts.h"
#include "fuzz-util.h"

static void check_string(const char *s) {
        if (s)
                FUZZ_CHECK(strlen(s) < SIZE_MAX);
}

/* Bytes -> file -> elf_facts_read() with every flag. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        _cleanup_close_ int fd = fuzz_memfd(data, size);
        _cleanup_(elf_file_freep) ElfFile *f = NULL;
        ElfFacts x = {};

        if (fd < 0 || elf_file_open(fd, NULL, &f) < 0)
                return 0;
        if (elf_facts_read(f, ELF_FACTS_GO_MARKERS | ELF_FACTS_DYNAMIC | ELF_FACTS_SYMBOLS, &x) < 0)
                return 0;

        FUZZ_CHECK(x.elf_class == 32 || x.elf_class == 64);
        FUZZ_CHECK(x.kind >= 0 && x.kind < _ELF_KIND_MAX);
        FUZZ_CHECK(elf_kind_to_string(x.kind));
        FUZZ_CHECK(x.n_needed <= ELF_FACTS_NEEDED_MAX);
        for (size_t i = 0; i < x.n_needed; i++) {
                FUZZ_CHECK(x.needed[i].name);
                check_string(x.needed[i].glibc_version);
                if (x.needed[i].glibc_version)
                        FUZZ_CHECK(x.glibc_version &&
                                   glibc_version_compare(x.glibc_version, x.needed[i].glibc_version) >= 0);
        }
        check_string(x.interpreter);
        check_string(x.rpath);
        check_string(x.runpath);
        check_string(x.soname);
        check_string(x.go_build_id);
        if (x.gnu_build_id)
                FUZZ_CHECK(strlen(x.gnu_build_id) % 2 == 0);
        elf_facts_done(&x);
        return 0;
}
