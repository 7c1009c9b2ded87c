/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>

#include "go-buildinfo.h"
#include "go-modinfo.h"

static const uint8_t modinfo_start[16] = { 0x30, 0x77, 0xaf, 0x0c, 0x92, 0x74, 0x08, 0x02,
                                           0x41, 0xe1, 0xc1, 0x07, 0xe6, 0xd6, 0x18, 0xe6 };
static const uint8_t modinfo_end[16] = { 0xf9, 0x32, 0x43, 0x31, 0x86, 0x18, 0x20, 0x72,
                                         0x00, 0x82, 0x42, 0x10, 0x41, 0x16, 0xd8, 0xf2 };

void go_buildinfo_blob_done(GoBuildInfoBlob *b) {
        free(b->version);
        free(b->modinfo);
        *b = (GoBuildInfoBlob){};
}

int go_uvarint(const uint8_t *p, size_t n, uint64_t *ret) {
        uint64_t x = 0;
        unsigned shift = 0;
        for (size_t i = 0; i < n && i < 10; i++) {
                uint8_t b = p[i];
                if (b < 0x80) {
                        if (i == 9 && b > 1)
                                return -1;
                        *ret = x | (uint64_t) b << shift;
                        return (int) i + 1;
                }
                x |= (uint64_t) (b & 0x7f) << shift;
                shift += 7;
        }
        return n >= 10 ? -1 : 0;
}

size_t go_modinfo_strip_sentinels(char *mod, size_t len, char **ret_start) {
        if (len >= 33 && mod[len - 17] == '\n') {
                *ret_start = mod + 16;
                return len - 32;
        }
        *ret_start = mod;
        return 0;
}

/* The absolute address of the first 16-aligned magic in [start, start+size), as Go's
 * searchMagic finds it, reading the file image in bounded chunks and no further than
 * GO_BUILDINFO_WINDOW into the range. */
static int search_magic(ElfFile *f, uint64_t start, uint64_t size, uint64_t *ret) {
        if (size == 0 || start + size < start)
                return -ENOMSG;
        uint64_t end = start + size;
        uint64_t pos = (start + 15) & ~(uint64_t) 15;
        if (pos >= end || end - pos < GO_BUILDINFO_HEADER_LEN)
                return -ENOMSG;
        uint64_t stop = end - pos > GO_BUILDINFO_WINDOW ? pos + GO_BUILDINFO_WINDOW : end;
        /* No bigger than the range: a .go.buildinfo section is usually a few hundred bytes. */
        _cleanup_free_ uint8_t *buf = malloc((size_t) MIN((uint64_t) GO_BUILDINFO_SCAN_CHUNK, stop - pos));
        if (!buf)
                return -ENOMEM;

        while (pos < stop && end - pos >= GO_BUILDINFO_HEADER_LEN) {
                size_t want = (size_t) MIN((uint64_t) GO_BUILDINFO_SCAN_CHUNK, stop - pos);
                ssize_t got = elf_file_read_vaddr(f, pos, buf, want);
                if (got <= 0)
                        return got < 0 && f->budget_error < 0 ? f->budget_error : -ENOMSG;
                size_t n = (size_t) got;
                for (size_t i = 0; i + GO_BUILDINFO_MAGIC_LEN <= n;) {
                        uint8_t *hit = memmem(buf + i, n - i, GO_BUILDINFO_MAGIC, GO_BUILDINFO_MAGIC_LEN);
                        if (!hit)
                                break;
                        size_t at = (size_t) (hit - buf);
                        if (at % 16 == 0) {
                                if (end - (pos + at) < GO_BUILDINFO_HEADER_LEN)
                                        return -ENOMSG;
                                *ret = pos + at;
                                return 0;
                        }
                        i = (at + 15) & ~(size_t) 15;
                }
                if ((size_t) got < want)
                        return -ENOMSG; /* past the file image (bss): nothing more to find */
                /* Chunks are 16-aligned, so an aligned magic never straddles two of them. */
                pos += n;
        }
        return -ENOMSG;
}

/* The file offset of the first copy of a 16-byte needle in [from, to), read in chunks that
 * overlap by 15 bytes so a copy at any offset is seen whole. */
static int find_in_file(ElfFile *f, uint8_t *buf, uint64_t from, uint64_t to,
                        const uint8_t needle[static 16], uint64_t *ret) {
        size_t have = 0; /* bytes of buf, starting at file offset from */
        while (to - from > have) {
                size_t want = (size_t) MIN((uint64_t) GO_BUILDINFO_SCAN_CHUNK, to - from - have);
                int r = elf_file_pread(f, from + have, buf + have, want);
                if (r < 0)
                        return r;
                have += want;
                uint8_t *hit = memmem(buf, have, needle, 16);
                if (hit) {
                        *ret = from + (uint64_t) (hit - buf);
                        return 0;
                }
                if (have > 15) {
                        memmove(buf, buf + have - 15, 15);
                        from += have - 15;
                        have = 15;
                }
        }
        return -ENOENT;
}

static int read_exact_vaddr(ElfFile *f, uint64_t addr, void *buf, size_t n) {
        ssize_t k = elf_file_read_vaddr(f, addr, buf, n);
        if (k < 0)
                return (int) k;
        return (size_t) k == n ? 0 : -EBADMSG;
}

static int read_alloc_vaddr(ElfFile *f, uint64_t addr, uint64_t len, char **ret) {
        uint64_t off, avail;
        /* A length the file cannot back is malformed (Go: "not a Go executable"), not over-size;
         * check it before allocating, so a tiny hostile file cannot make us allocate the cap. */
        if (len > 0 && (elf_file_vaddr_to_offset(f, addr, &off, &avail) < 0 || avail < len))
                return -EBADMSG;
        if (len > GO_MODINFO_SIZE_MAX)
                return -E2BIG;
        _cleanup_free_ char *s = malloc((size_t) len + 1);
        if (!s)
                return -ENOMEM;
        int r = read_exact_vaddr(f, addr, s, (size_t) len);
        if (r < 0)
                return r;
        s[len] = 0;
        *ret = TAKE_PTR(s);
        return 0;
}

/* Go 1.18+: uvarint length, then the bytes. */
static int decode_inline_string(ElfFile *f, uint64_t addr, char **ret, size_t *ret_len, uint64_t *ret_next) {
        uint8_t b[10];
        ssize_t k = elf_file_read_vaddr(f, addr, b, sizeof b);
        if (k <= 0)
                return -EBADMSG;
        uint64_t len;
        int n = go_uvarint(b, (size_t) k, &len);
        if (n <= 0)
                return -EBADMSG;
        int r = read_alloc_vaddr(f, addr + (uint64_t) n, len, ret);
        if (r < 0)
                return r;
        *ret_len = (size_t) len;
        *ret_next = addr + (uint64_t) n + len;
        return 0;
}

static uint32_t relative_reloc_type(uint16_t machine) {
        switch (machine) {
        case EM_X86_64: return R_X86_64_RELATIVE;
        case EM_386: return R_386_RELATIVE;
        case EM_AARCH64: return R_AARCH64_RELATIVE;
        case EM_ARM: return R_ARM_RELATIVE;
        case EM_PPC64: return R_PPC64_RELATIVE;
        case EM_S390: return R_390_RELATIVE;
        case EM_RISCV: return R_RISCV_RELATIVE;
        case EM_MIPS: return R_MIPS_REL32;
        default: return UINT32_MAX;
        }
}

/* A pre-1.18 PIE leaves pointer slots zero in the file; the loader fills them from a RELATIVE
 * relocation whose addend is the value. Looks the slot up in every SHT_RELA section. */
static int resolve_relocated_slot(ElfFile *f, uint64_t slot, uint64_t *ret) {
        if (!f->has_sections)
                return -ENOENT;
        uint32_t want = relative_reloc_type(f->machine);
        for (Elf_Scn *scn = elf_nextscn(f->elf, NULL); scn; scn = elf_nextscn(f->elf, scn)) {
                GElf_Shdr sh;
                Elf_Data *d;
                if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_RELA || sh.sh_entsize == 0)
                        continue;
                if (elf_file_section_data(f, scn, &d) < 0)
                        continue;
                size_t n = sh.sh_size / sh.sh_entsize;
                for (size_t i = 0; i < n; i++) {
                        GElf_Rela rela;
                        if (!gelf_getrela(d, (int) i, &rela))
                                break;
                        if (rela.r_offset != slot)
                                continue;
                        uint32_t type = f->elf_class == ELFCLASS64 ? GELF_R_TYPE(rela.r_info)
                                                                   : ELF32_R_TYPE(rela.r_info);
                        if (type != want)
                                continue;
                        *ret = (uint64_t) rela.r_addend;
                        return 0;
                }
        }
        return -ENOENT;
}

static int read_pointer(ElfFile *f, uint64_t slot, size_t ptr_size, uint64_t *ret, bool *relocated) {
        uint8_t b[8];
        int r = read_exact_vaddr(f, slot, b, ptr_size);
        if (r < 0)
                return r;
        uint64_t v = elf_file_u64(f, b, ptr_size);
        if (v == 0) {
                r = resolve_relocated_slot(f, slot, &v);
                if (r < 0)
                        return -EBADMSG;
                *relocated = true;
        }
        *ret = v;
        return 0;
}

/* Pre-1.18: a pointer to a Go string header {data, len} in the target's layout. */
static int decode_indirect_string(ElfFile *f, uint64_t slot, size_t ptr_size, char **ret, size_t *ret_len,
                                  bool *relocated) {
        uint64_t hdr, data;
        uint8_t b[8];
        int r = read_pointer(f, slot, ptr_size, &hdr, relocated);
        if (r < 0)
                return r;
        r = read_pointer(f, hdr, ptr_size, &data, relocated);
        if (r < 0)
                return r;
        r = read_exact_vaddr(f, hdr + ptr_size, b, ptr_size);
        if (r < 0)
                return r;
        uint64_t len = elf_file_u64(f, b, ptr_size);
        r = read_alloc_vaddr(f, data, len, ret);
        if (r < 0)
                return r;
        *ret_len = (size_t) len;
        return 0;
}

static int finish_modinfo(GoBuildInfoBlob *b, char *raw, size_t len) {
        char *start;
        size_t n = go_modinfo_strip_sentinels(raw, len, &start);
        /* All n bytes, NULs included: strndup() would stop at a NUL and leave modinfo_len
         * larger than the allocation. The parser reports a NUL byte as an error. */
        b->modinfo = malloc(n + 1);
        if (b->modinfo) {
                memcpy(b->modinfo, start, n);
                b->modinfo[n] = 0;
        }
        free(raw);
        if (!b->modinfo)
                return -ENOMEM;
        b->modinfo_len = n;
        return 0;
}

/* Last resort when the header's strings cannot be resolved: the modinfo text between its
 * sentinels anywhere in the file's loaded segments (Go leaves it in read-only data, anywhere in
 * there). Read in chunks, so memory stays at one chunk plus the text; the read budget bounds
 * how much of a large or sparse file this goes through. */
static int scan_sentinels(ElfFile *f, GoBuildInfoBlob *b) {
        _cleanup_free_ uint8_t *buf = malloc(GO_BUILDINFO_SCAN_CHUNK + 15);
        if (!buf)
                return -ENOMEM;
        for (size_t i = 0; i < f->n_phdrs; i++) {
                const GElf_Phdr *p = &f->phdrs[i];
                if (p->p_type != PT_LOAD || p->p_offset >= f->size)
                        continue;
                uint64_t end = p->p_offset + MIN(p->p_filesz, f->size - p->p_offset), s, e;
                int r = find_in_file(f, buf, p->p_offset, end, modinfo_start, &s);
                if (r == -ENOENT)
                        continue;
                if (r < 0)
                        return f->budget_error < 0 ? f->budget_error : -ENOMSG;
                /* The text is at most GO_MODINFO_SIZE_MAX: look no further for its end. */
                uint64_t text = s + 16, limit = end - text > GO_MODINFO_SIZE_MAX + 16ull
                                                        ? text + GO_MODINFO_SIZE_MAX + 16ull
                                                        : end;
                r = find_in_file(f, buf, text, limit, modinfo_end, &e);
                if (r == -ENOENT)
                        continue;
                if (r < 0)
                        return f->budget_error < 0 ? f->budget_error : -ENOMSG;
                /* Up to the first NUL, as the C string it was always taken as. */
                _cleanup_free_ char *t = malloc((size_t) (e - text) + 1);
                if (!t)
                        return -ENOMEM;
                r = elf_file_pread(f, text, t, (size_t) (e - text));
                if (r < 0)
                        return f->budget_error < 0 ? f->budget_error : -ENOMSG;
                t[e - text] = 0;
                b->modinfo_len = strlen(t);
                b->modinfo = TAKE_PTR(t);
                b->source = GO_BUILDINFO_FROM_SENTINELS;
                return 0;
        }
        return -ENOMSG;
}

static int read_buildinfo(ElfFile *f, GoBuildInfoBlob *ret, const char **ret_reason) {
        _cleanup_(go_buildinfo_blob_done) GoBuildInfoBlob b = {};
        uint64_t start = 0, size = 0, addr;
        uint8_t h[GO_BUILDINFO_HEADER_LEN];
        GElf_Shdr sh;
        int r;

        if (elf_file_find_section(f, ".go.buildinfo", &sh, NULL) >= 0) {
                start = sh.sh_addr, size = sh.sh_size;
                b.source = GO_BUILDINFO_FROM_SECTION;
                r = size == 0 ? -ENOMSG : search_magic(f, start, size, &addr);
        } else {
                /* Go reads only the first RW PT_LOAD. In a PIE without section headers that is
                 * the RELRO segment (.data.rel.ro...), and the blob starts the next one: try
                 * every RW PT_LOAD in order. */
                b.source = GO_BUILDINFO_FROM_SEGMENT;
                r = -ENOMSG;
                for (size_t i = 0; i < f->n_phdrs && r == -ENOMSG; i++) {
                        const GElf_Phdr *p = &f->phdrs[i];
                        if (p->p_type != PT_LOAD || (p->p_flags & (PF_X | PF_W)) != PF_W || p->p_memsz == 0)
                                continue;
                        size = p->p_memsz;
                        r = search_magic(f, p->p_vaddr, p->p_memsz, &addr);
                }
        }
        if (size == 0) {
                *ret_reason = "no .go.buildinfo section and no writable segment";
                return -ENOMSG;
        }

        if (r == -ENOMSG) {
                *ret_reason = "no Go build information header";
                return r;
        }
        if (r < 0)
                return r;
        r = read_exact_vaddr(f, addr, h, sizeof h);
        if (r < 0) {
                *ret_reason = "truncated Go build information header";
                return -ENOMSG;
        }
        b.address = addr;
        b.ptr_size = h[14];
        b.flags = h[15];

        char *raw = NULL;
        size_t raw_len = 0, vlen;
        if (b.flags & GO_BUILDINFO_FLAG_INLINE) {
                uint64_t next;
                b.inline_strings = true;
                r = decode_inline_string(f, addr + 32, &b.version, &vlen, &next);
                if (r >= 0)
                        r = decode_inline_string(f, next, &raw, &raw_len, &next);
                if (r == -E2BIG || r == -ENOMEM)
                        return r;
                if (r < 0) {
                        *ret_reason = "Go build information strings run past the segment";
                        return -ENOMSG;
                }
        } else {
                if (b.ptr_size != 4 && b.ptr_size != 8) {
                        *ret_reason = "invalid pointer size in Go build information header";
                        return -ENOMSG;
                }
                /* The header's flag, not the ELF header, says how the pointers are stored. */
                uint8_t saved = f->byte_order;
                f->byte_order = (b.flags & GO_BUILDINFO_FLAG_BIG_ENDIAN) ? ELFDATA2MSB : ELFDATA2LSB;
                r = decode_indirect_string(f, addr + 16, b.ptr_size, &b.version, &vlen, &b.used_relocations);
                if (r >= 0) {
                        r = decode_indirect_string(f, addr + 16 + b.ptr_size, b.ptr_size, &raw, &raw_len,
                                                   &b.used_relocations);
                        if (r < 0 && r != -E2BIG && r != -ENOMEM) {
                                /* Go reads a failed modinfo string as "". */
                                raw = strdup("");
                                raw_len = 0;
                                r = raw ? 0 : -ENOMEM;
                        }
                }
                f->byte_order = saved;
                if (r == -E2BIG || r == -ENOMEM)
                        return r;
                if (r < 0) {
                        free(b.version);
                        b.version = NULL;
                        r = scan_sentinels(f, &b);
                        if (r == -ENOMSG)
                                *ret_reason = "Go build information pointers do not resolve";
                        if (r < 0)
                                return r;
                        *ret = TAKE_PTR_STRUCT(b);
                        return 0;
                }
        }

        if (vlen == 0 || memchr(b.version, 0, vlen)) {
                free(raw); /* finish_modinfo() did not take it */
                *ret_reason = "empty Go version in build information";
                return -ENOMSG;
        }
        r = finish_modinfo(&b, raw, raw_len);
        if (r < 0)
                return r;
        *ret = TAKE_PTR_STRUCT(b);
        return 0;
}

int go_buildinfo_read(ElfFile *f, GoBuildInfoBlob *ret, const char **ret_reason) {
        GoBuildInfoBlob b = {};
        const char *reason = NULL;
        int r = read_buildinfo(f, &b, &reason);
        /* A read that ran out of budget may have looked like a missing piece on the way. */
        if (f->budget_error < 0) {
                go_buildinfo_blob_done(&b);
                return f->budget_error;
        }
        if (r == -ENOMSG)
                *ret_reason = reason;
        if (r < 0)
                return r;
        *ret = b;
        return 0;
}
