/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The layout is cmd/link's (src/debug/gosym/pclntab.go reads it): a header of magic, two zero
 * bytes, the instruction size quantum, the pointer size, then pointer-sized words; from Go 1.16
 * on, the words give the offset of the function-name table, NUL-terminated names one after the
 * other, and of the table after it. Before 1.16 the names lie among the function data. */
#include <stdlib.h>
#include <string.h>

#include "go-funcnames.h"

#define MAGIC_1_2  0xfffffffbu
#define MAGIC_1_16 0xfffffffau
#define MAGIC_1_18 0xfffffff0u
#define MAGIC_1_20 0xfffffff1u

#define CHUNK (256u * 1024u)

/* Where the names are, relative to the file: [*ret_offset, + *ret_size), and whether each name
 * there follows a NUL (1.16 and later). */
static int names_region(ElfFile *f, uint64_t *ret_offset, uint64_t *ret_size, bool *ret_nul_before) {
        GElf_Shdr sh;
        int r = elf_file_find_section(f, ".gopclntab", &sh, NULL);
        if (r == -ENOENT)
                r = elf_file_find_section(f, ".data.rel.ro.gopclntab", &sh, NULL);
        if (r < 0)
                return r;
        if (sh.sh_type == SHT_NOBITS || sh.sh_offset > f->size || sh.sh_size > f->size - sh.sh_offset)
                return -EBADMSG;
        uint8_t h[8 + 8 * 8];
        if (sh.sh_size < 8)
                return -EBADMSG;
        r = elf_file_pread(f, sh.sh_offset, h, MIN(sizeof h, (size_t) sh.sh_size));
        if (r < 0)
                return r;
        uint32_t magic = (uint32_t) elf_file_u64(f, h, 4);
        size_t ptr = h[7];
        if (h[4] != 0 || h[5] != 0 || (ptr != 4 && ptr != 8))
                return -ENOENT;
        if (magic == MAGIC_1_2) {
                *ret_offset = sh.sh_offset;
                *ret_size = sh.sh_size;
                *ret_nul_before = false;
                return 0;
        }
        size_t word; /* of funcnameOffset; cuOffset is the next one */
        if (magic == MAGIC_1_16)
                word = 2;
        else if (magic == MAGIC_1_18 || magic == MAGIC_1_20)
                word = 3; /* textStart comes before it */
        else
                return -ENOENT;
        if (8 + (word + 2) * ptr > sh.sh_size)
                return -EBADMSG;
        uint64_t start = elf_file_u64(f, h + 8 + word * ptr, ptr),
                 end = elf_file_u64(f, h + 8 + (word + 1) * ptr, ptr);
        if (start > end || end > sh.sh_size)
                return -EBADMSG;
        *ret_offset = sh.sh_offset + start;
        *ret_size = end - start;
        *ret_nul_before = true;
        return 0;
}

int go_funcnames_find(ElfFile *f, const char *const *names, size_t n, bool *ret_found) {
        uint64_t offset, size;
        bool nul_before;
        int r;

        r = names_region(f, &offset, &size, &nul_before);
        if (r < 0)
                return r;
        if (size > GO_FUNCNAMES_SEARCH_MAX)
                return -E2BIG;

        /* Each needle: [NUL] name NUL, so that a name is not found inside a longer one. */
        char(*needles)[GO_FUNCNAME_MAX + 2] = calloc(n ?: 1, sizeof *needles);
        size_t *lens = calloc(n ?: 1, sizeof *lens);
        bool *found = calloc(n ?: 1, sizeof *found);
        uint8_t *buf = malloc(CHUNK + GO_FUNCNAME_MAX + 2);
        if (!needles || !lens || !found || !buf) {
                r = -ENOMEM;
                goto finish;
        }
        for (size_t i = 0; i < n; i++) {
                size_t len = strlen(names[i]);
                if (len == 0 || len > GO_FUNCNAME_MAX) {
                        r = -EINVAL;
                        goto finish;
                }
                size_t k = 0;
                if (nul_before)
                        needles[i][k++] = 0;
                memcpy(needles[i] + k, names[i], len);
                lens[i] = k + len + 1; /* the closing NUL is calloc's */
        }

        /* In chunks, each with the end of the one before, so that a name across two is found. The
         * table's start counts as following a NUL. */
        size_t keep = 0;
        if (nul_before)
                buf[keep++] = 0;
        for (uint64_t pos = 0; pos < size;) {
                size_t len = (size_t) MIN((uint64_t) CHUNK, size - pos);
                r = elf_file_pread(f, offset + pos, buf + keep, len);
                if (r < 0)
                        goto finish;
                size_t total = keep + len;
                for (size_t i = 0; i < n; i++)
                        if (!found[i] && memmem(buf, total, needles[i], lens[i]))
                                found[i] = true;
                pos += len;
                keep = MIN(total, (size_t) GO_FUNCNAME_MAX + 1);
                memmove(buf, buf + total - keep, keep);
        }
        memcpy(ret_found, found, n * sizeof *found);
        r = 0;
finish:
        free(needles);
        free(lens);
        free(found);
        free(buf);
        return r;
}
