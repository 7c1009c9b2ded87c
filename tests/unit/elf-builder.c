/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "elf-builder.h"

const uint8_t eb_go_info_start[16] = { 0x30, 0x77, 0xaf, 0x0c, 0x92, 0x74, 0x08, 0x02,
                                       0x41, 0xe1, 0xc1, 0x07, 0xe6, 0xd6, 0x18, 0xe6 };
const uint8_t eb_go_info_end[16] = { 0xf9, 0x32, 0x43, 0x31, 0x86, 0x18, 0x20, 0x72,
                                     0x00, 0x82, 0x42, 0x10, 0x41, 0x16, 0xd8, 0xf2 };

static const char go_magic[14] = "\xff Go buildinf:";

static void *xrealloc(void *p, size_t n) {
        p = realloc(p, n ? n : 1);
        if (!p) {
                fputs("elf-builder: out of memory\n", stderr);
                abort();
        }
        return p;
}

static void check(bool ok, const char *what) {
        if (!ok) {
                fprintf(stderr, "elf-builder: %s\n", what);
                abort();
        }
}

static size_t ehsize(const ElfBuilder *b) {
        return b->bits == 64 ? 64 : 52;
}
static size_t phentsize(const ElfBuilder *b) {
        return b->bits == 64 ? 56 : 32;
}
static size_t shentsize(const ElfBuilder *b) {
        return b->bits == 64 ? 64 : 40;
}

size_t eb_ptr_size(const ElfBuilder *b) {
        return b->bits / 8;
}

uint64_t eb_vaddr(const ElfBuilder *b, uint64_t offset) {
        return b->base + offset;
}

ElfBuilder *eb_new(unsigned bits, bool big_endian, uint16_t type, uint16_t machine) {
        check(bits == 32 || bits == 64, "bits must be 32 or 64");
        ElfBuilder *b = xrealloc(NULL, sizeof *b);
        *b = (ElfBuilder){
                .bits = bits,
                .big_endian = big_endian,
                .type = type,
                .machine = machine,
                .base = type == ET_EXEC ? (bits == 64 ? 0x400000 : 0x8048000) : 0,
        };
        eb_append_zeros(b, ehsize(b) + EB_PHDR_SLOTS * phentsize(b), 1);
        return b;
}

ElfBuilder *eb_free(ElfBuilder *b) {
        if (b) {
                free(b->data);
                free(b);
        }
        return NULL;
}

static void reserve(ElfBuilder *b, size_t n) {
        check(!b->finished, "builder already finished");
        if (b->size + n <= b->allocated)
                return;
        size_t a = b->allocated ? b->allocated : 4096;
        while (a < b->size + n)
                a *= 2;
        b->data = xrealloc(b->data, a);
        memset(b->data + b->allocated, 0, a - b->allocated);
        b->allocated = a;
}

uint64_t eb_align(ElfBuilder *b, size_t align) {
        if (align > 1 && b->size % align != 0) {
                size_t pad = align - b->size % align;
                reserve(b, pad);
                memset(b->data + b->size, 0, pad);
                b->size += pad;
        }
        return b->size;
}

uint64_t eb_append(ElfBuilder *b, const void *p, size_t n, size_t align) {
        uint64_t off = eb_align(b, align);
        reserve(b, n);
        if (n > 0)
                memcpy(b->data + b->size, p, n);
        b->size += n;
        return off;
}

uint64_t eb_append_zeros(ElfBuilder *b, size_t n, size_t align) {
        uint64_t off = eb_align(b, align);
        reserve(b, n);
        memset(b->data + b->size, 0, n);
        b->size += n;
        return off;
}

static void encode_uint(uint8_t *p, uint64_t v, size_t width, bool big_endian) {
        for (size_t i = 0; i < width; i++) {
                uint8_t byte = (uint8_t) (v >> (8 * i));
                p[big_endian ? width - 1 - i : i] = byte;
        }
}

uint64_t eb_append_uint(ElfBuilder *b, uint64_t v, size_t width) {
        uint8_t buf[8];
        check(width <= 8, "width");
        encode_uint(buf, v, width, b->big_endian);
        return eb_append(b, buf, width, 1);
}

uint64_t eb_append_string(ElfBuilder *b, const char *s) {
        return eb_append(b, s, strlen(s) + 1, 1);
}

void eb_put(ElfBuilder *b, uint64_t offset, const void *p, size_t n) {
        check(offset <= b->size && n <= b->size - offset, "eb_put out of range");
        memcpy(b->data + offset, p, n);
}

void eb_put_uint(ElfBuilder *b, uint64_t offset, uint64_t v, size_t width) {
        uint8_t buf[8];
        check(width <= 8, "width");
        encode_uint(buf, v, width, b->big_endian);
        eb_put(b, offset, buf, width);
}

uint64_t eb_get_uint(const ElfBuilder *b, uint64_t offset, size_t width) {
        check(offset <= b->size && width <= b->size - offset && width <= 8, "eb_get_uint out of range");
        uint64_t v = 0;
        for (size_t i = 0; i < width; i++) {
                size_t k = b->big_endian ? i : width - 1 - i;
                v = v << 8 | b->data[offset + k];
        }
        return v;
}

size_t eb_add_phdr(ElfBuilder *b, uint32_t type, uint32_t flags, uint64_t offset, uint64_t vaddr,
                   uint64_t filesz, uint64_t memsz) {
        check(b->n_phdrs < EB_PHDR_SLOTS, "too many program headers");
        b->phdrs[b->n_phdrs] = (EbPhdr){
                .type = type,
                .flags = flags,
                .offset = offset,
                .vaddr = vaddr,
                .filesz = filesz,
                .memsz = memsz,
                .align = type == PT_LOAD   ? 0x1000
                         : type == PT_NOTE ? 4
                                           : eb_ptr_size(b),
        };
        return b->n_phdrs++;
}

size_t eb_add_section(ElfBuilder *b, const char *name, uint32_t type, uint64_t flags, uint64_t addr,
                      uint64_t offset, uint64_t size) {
        check(b->n_shdrs < EB_SECTIONS_MAX, "too many sections");
        check(strlen(name) < sizeof b->shdrs[0].name, "section name too long");
        EbShdr *s = &b->shdrs[b->n_shdrs++];
        *s = (EbShdr){
                .type = type,
                .flags = flags,
                .addr = addr,
                .offset = offset,
                .size = size,
                .addralign = 1,
        };
        strcpy(s->name, name);
        b->sections = true;
        return b->n_shdrs;
}

size_t eb_ehdr_field(const ElfBuilder *b, const char *field) {
        static const struct {
                const char *name;
                size_t off64, off32;
        } table[] = {
                { "e_type", 16, 16 },     { "e_machine", 18, 18 },   { "e_version", 20, 20 },
                { "e_entry", 24, 24 },    { "e_phoff", 32, 28 },     { "e_shoff", 40, 32 },
                { "e_flags", 48, 36 },    { "e_ehsize", 52, 40 },    { "e_phentsize", 54, 42 },
                { "e_phnum", 56, 44 },    { "e_shentsize", 58, 46 }, { "e_shnum", 60, 48 },
                { "e_shstrndx", 62, 50 },
        };
        for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
                if (strcmp(table[i].name, field) == 0)
                        return b->bits == 64 ? table[i].off64 : table[i].off32;
        check(false, "unknown ELF header field");
        return 0;
}

uint64_t eb_phoff(const ElfBuilder *b) {
        return ehsize(b);
}

uint64_t eb_shoff(const ElfBuilder *b) {
        check(b->finished && b->sections, "no section header table");
        return eb_get_uint(b, eb_ehdr_field(b, "e_shoff"), eb_ptr_size(b));
}

size_t eb_phdr_field(const ElfBuilder *b, size_t i, const char *field) {
        static const struct {
                const char *name;
                size_t off64, off32;
        } table[] = {
                { "p_type", 0, 0 },    { "p_flags", 4, 24 },   { "p_offset", 8, 4 },  { "p_vaddr", 16, 8 },
                { "p_paddr", 24, 12 }, { "p_filesz", 32, 16 }, { "p_memsz", 40, 20 }, { "p_align", 48, 28 },
        };
        for (size_t k = 0; k < sizeof table / sizeof table[0]; k++)
                if (strcmp(table[k].name, field) == 0)
                        return eb_phoff(b) + i * phentsize(b) +
                               (b->bits == 64 ? table[k].off64 : table[k].off32);
        check(false, "unknown program header field");
        return 0;
}

size_t eb_shdr_field(const ElfBuilder *b, size_t i, const char *field) {
        static const struct {
                const char *name;
                size_t off64, off32;
        } table[] = {
                { "sh_name", 0, 0 },      { "sh_type", 4, 4 },     { "sh_flags", 8, 8 },
                { "sh_addr", 16, 12 },    { "sh_offset", 24, 16 }, { "sh_size", 32, 20 },
                { "sh_link", 40, 24 },    { "sh_info", 44, 28 },   { "sh_addralign", 48, 32 },
                { "sh_entsize", 56, 36 },
        };
        for (size_t k = 0; k < sizeof table / sizeof table[0]; k++)
                if (strcmp(table[k].name, field) == 0)
                        return eb_shoff(b) + i * shentsize(b) +
                               (b->bits == 64 ? table[k].off64 : table[k].off32);
        check(false, "unknown section header field");
        return 0;
}

static void put_word(ElfBuilder *b, uint64_t *off, uint64_t v, size_t width) {
        eb_put_uint(b, *off, v, width);
        *off += width;
}

static void write_phdr(ElfBuilder *b, uint64_t off, const EbPhdr *p) {
        if (b->bits == 64) {
                put_word(b, &off, p->type, 4);
                put_word(b, &off, p->flags, 4);
                put_word(b, &off, p->offset, 8);
                put_word(b, &off, p->vaddr, 8);
                put_word(b, &off, p->vaddr, 8);
                put_word(b, &off, p->filesz, 8);
                put_word(b, &off, p->memsz, 8);
                put_word(b, &off, p->align, 8);
        } else {
                put_word(b, &off, p->type, 4);
                put_word(b, &off, p->offset, 4);
                put_word(b, &off, p->vaddr, 4);
                put_word(b, &off, p->vaddr, 4);
                put_word(b, &off, p->filesz, 4);
                put_word(b, &off, p->memsz, 4);
                put_word(b, &off, p->flags, 4);
                put_word(b, &off, p->align, 4);
        }
}

static void append_shdr(ElfBuilder *b, uint32_t name, const EbShdr *s) {
        size_t w = eb_ptr_size(b);
        eb_append_uint(b, name, 4);
        eb_append_uint(b, s->type, 4);
        eb_append_uint(b, s->flags, w);
        eb_append_uint(b, s->addr, w);
        eb_append_uint(b, s->offset, w);
        eb_append_uint(b, s->size, w);
        eb_append_uint(b, s->link, 4);
        eb_append_uint(b, s->info, 4);
        eb_append_uint(b, s->addralign, w);
        eb_append_uint(b, s->entsize, w);
}

const uint8_t *eb_finish(ElfBuilder *b, size_t *ret_size) {
        size_t w = eb_ptr_size(b);
        uint64_t shoff = 0;
        size_t shnum = 0, shstrndx = 0;

        if (b->finished)
                goto done;

        if (b->sections) {
                /* .shstrtab: "\0", the names, ".shstrtab". */
                uint32_t name_off[EB_SECTIONS_MAX];
                uint64_t strtab_off = eb_append(b, "", 1, 1);
                for (size_t i = 0; i < b->n_shdrs; i++)
                        name_off[i] = (uint32_t) (eb_append_string(b, b->shdrs[i].name) - strtab_off);
                uint32_t self_name = (uint32_t) (eb_append_string(b, ".shstrtab") - strtab_off);
                uint64_t strtab_size = b->size - strtab_off;

                shoff = eb_align(b, 8);
                append_shdr(b, 0, &(EbShdr){});
                for (size_t i = 0; i < b->n_shdrs; i++)
                        append_shdr(b, name_off[i], &b->shdrs[i]);
                append_shdr(b, self_name,
                            &(EbShdr){ .type = SHT_STRTAB,
                                       .offset = strtab_off,
                                       .size = strtab_size,
                                       .addralign = 1 });
                shnum = b->n_shdrs + 2;
                shstrndx = b->n_shdrs + 1;
        }

        uint8_t ident[EI_NIDENT] = { ELFMAG0, ELFMAG1, ELFMAG2, ELFMAG3 };
        ident[EI_CLASS] = b->bits == 64 ? ELFCLASS64 : ELFCLASS32;
        ident[EI_DATA] = b->big_endian ? ELFDATA2MSB : ELFDATA2LSB;
        ident[EI_VERSION] = EV_CURRENT;
        ident[EI_OSABI] = ELFOSABI_NONE;
        eb_put(b, 0, ident, sizeof ident);

        uint64_t off = EI_NIDENT;
        put_word(b, &off, b->type, 2);
        put_word(b, &off, b->machine, 2);
        put_word(b, &off, EV_CURRENT, 4);
        put_word(b, &off, b->entry, w);
        put_word(b, &off, b->n_phdrs > 0 ? eb_phoff(b) : 0, w);
        put_word(b, &off, shoff, w);
        put_word(b, &off, 0, 4); /* e_flags */
        put_word(b, &off, ehsize(b), 2);
        put_word(b, &off, phentsize(b), 2);
        put_word(b, &off, b->n_phdrs, 2);
        put_word(b, &off, shentsize(b), 2);
        put_word(b, &off, shnum, 2);
        put_word(b, &off, shstrndx, 2);

        for (size_t i = 0; i < b->n_phdrs; i++)
                write_phdr(b, eb_phoff(b) + i * phentsize(b), &b->phdrs[i]);
        b->finished = true;
done:
        if (ret_size)
                *ret_size = b->size;
        return b->data;
}

int eb_memfd_from(const void *p, size_t n) {
        int fd = memfd_create("elf-builder", MFD_CLOEXEC);
        if (fd < 0)
                return -errno;
        const uint8_t *q = p;
        while (n > 0) {
                ssize_t k = write(fd, q, n);
                if (k < 0) {
                        int r = -errno;
                        close(fd);
                        return r;
                }
                q += k, n -= (size_t) k;
        }
        if (lseek(fd, 0, SEEK_SET) < 0) {
                int r = -errno;
                close(fd);
                return r;
        }
        return fd;
}

int eb_memfd(ElfBuilder *b) {
        size_t n;
        const uint8_t *p = eb_finish(b, &n);
        return eb_memfd_from(p, n);
}

int eb_write_file(ElfBuilder *b, const char *path) {
        size_t n;
        const uint8_t *p = eb_finish(b, &n);
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (fd < 0)
                return -errno;
        while (n > 0) {
                ssize_t k = write(fd, p, n);
                if (k < 0) {
                        int r = -errno;
                        close(fd);
                        return r;
                }
                p += k, n -= (size_t) k;
        }
        return close(fd) < 0 ? -errno : 0;
}

size_t eb_add_load(ElfBuilder *b, uint32_t flags, uint64_t offset, uint64_t size) {
        return eb_add_phdr(b, PT_LOAD, flags, offset, eb_vaddr(b, offset), size, size);
}

void eb_add_interp(ElfBuilder *b, const char *path) {
        uint64_t off = eb_append_string(b, path);
        size_t n = strlen(path) + 1;
        eb_add_phdr(b, PT_INTERP, PF_R, off, eb_vaddr(b, off), n, n);
        eb_add_section(b, ".interp", SHT_PROGBITS, SHF_ALLOC, eb_vaddr(b, off), off, n);
}

static void add_note(ElfBuilder *b, const char *section, const void *name, size_t namesz, uint32_t type,
                     const void *desc, size_t descsz) {
        uint64_t off = eb_align(b, 4);
        eb_append_uint(b, namesz, 4);
        eb_append_uint(b, descsz, 4);
        eb_append_uint(b, type, 4);
        eb_append(b, name, namesz, 1);
        eb_align(b, 4);
        eb_append(b, desc, descsz, 1);
        eb_align(b, 4);
        uint64_t size = b->size - off;
        eb_add_phdr(b, PT_NOTE, PF_R, off, eb_vaddr(b, off), size, size);
        if (section) {
                size_t i = eb_add_section(b, section, SHT_NOTE, SHF_ALLOC, eb_vaddr(b, off), off, size);
                eb_section(b, i)->addralign = 4;
        }
}

void eb_add_note(ElfBuilder *b, const char *section, const char *owner, uint32_t type, const void *desc,
                 size_t descsz) {
        add_note(b, section, owner, strlen(owner) + 1, type, desc, descsz);
}

void eb_add_go_buildid_note(ElfBuilder *b, const char *build_id) {
        /* cmd/link writes namesz 4, "Go\0\0", type 4 (ELF_NOTE_GOBUILDID_TAG). */
        add_note(b, ".note.go.buildid", "Go\0\0", 4, 4, build_id, strlen(build_id));
}

static uint32_t elf_hash(const char *s) {
        uint32_t h = 0;
        for (const uint8_t *p = (const uint8_t *) s; *p; p++) {
                h = (h << 4) + *p;
                uint32_t g = h & 0xf0000000u;
                if (g)
                        h ^= g >> 24;
                h &= ~g;
        }
        return h;
}

typedef struct StrTab {
        char *data;
        size_t size;
} StrTab;

static uint32_t strtab_add(StrTab *t, const char *s) {
        if (t->size == 0) {
                t->data = xrealloc(NULL, 1);
                t->data[0] = 0;
                t->size = 1;
        }
        size_t n = strlen(s) + 1;
        uint32_t off = (uint32_t) t->size;
        t->data = xrealloc(t->data, t->size + n);
        memcpy(t->data + t->size, s, n);
        t->size += n;
        return off;
}

void eb_add_dynamic(ElfBuilder *b, const EbDynamic *d) {
        size_t w = eb_ptr_size(b);
        StrTab st = {};
        uint32_t needed[8], vn_file[16], vn_name[16][8];
        size_t n_needed = 0;
        uint32_t rpath = 0, runpath = 0, soname = 0;

        strtab_add(&st, "");
        for (; n_needed < 8 && d->needed[n_needed]; n_needed++)
                needed[n_needed] = strtab_add(&st, d->needed[n_needed]);
        check(d->n_verneed <= 16, "too many verneed entries");
        for (size_t i = 0; i < d->n_verneed; i++) {
                vn_file[i] = strtab_add(&st, d->verneed[i].file);
                for (size_t j = 0; j < 8 && d->verneed[i].versions[j]; j++)
                        vn_name[i][j] = strtab_add(&st, d->verneed[i].versions[j]);
        }
        if (d->rpath)
                rpath = strtab_add(&st, d->rpath);
        if (d->runpath)
                runpath = strtab_add(&st, d->runpath);
        if (d->soname)
                soname = strtab_add(&st, d->soname);

        uint64_t start = eb_align(b, 8);
        uint64_t str_off = eb_append(b, st.data, st.size, 1);

        uint64_t vn_off = eb_align(b, 4);
        uint16_t other = 2;
        for (size_t i = 0; i < d->n_verneed; i++) {
                size_t cnt = 0;
                while (cnt < 8 && d->verneed[i].versions[cnt])
                        cnt++;
                eb_append_uint(b, 1, 2);   /* vn_version */
                eb_append_uint(b, cnt, 2); /* vn_cnt */
                eb_append_uint(b, vn_file[i], 4);
                eb_append_uint(b, 16, 4); /* vn_aux */
                eb_append_uint(b, i + 1 < d->n_verneed ? 16 + 16 * cnt : 0, 4);
                for (size_t j = 0; j < cnt; j++) {
                        eb_append_uint(b, elf_hash(d->verneed[i].versions[j]), 4);
                        eb_append_uint(b, 0, 2); /* vna_flags */
                        eb_append_uint(b, other++, 2);
                        eb_append_uint(b, vn_name[i][j], 4);
                        eb_append_uint(b, j + 1 < cnt ? 16 : 0, 4);
                }
        }
        uint64_t vn_size = b->size - vn_off;

        uint64_t dyn_off = eb_align(b, 8);
#define DYN(tag, val)                                                                                       \
        do {                                                                                                \
                eb_append_uint(b, (uint64_t) (tag), w);                                                     \
                eb_append_uint(b, (val), w);                                                                \
        } while (0)
        for (size_t i = 0; i < n_needed; i++)
                DYN(DT_NEEDED, needed[i]);
        if (rpath)
                DYN(DT_RPATH, rpath);
        if (runpath)
                DYN(DT_RUNPATH, runpath);
        if (soname)
                DYN(DT_SONAME, soname);
        if (!d->no_strtab)
                DYN(DT_STRTAB, eb_vaddr(b, str_off));
        DYN(DT_STRSZ, st.size);
        if (d->n_verneed > 0) {
                DYN(DT_VERNEED, eb_vaddr(b, vn_off));
                DYN(DT_VERNEEDNUM, d->n_verneed);
        }
        if (d->flags_1)
                DYN(DT_FLAGS_1, d->flags_1);
        DYN(DT_NULL, 0);
#undef DYN
        uint64_t dyn_size = b->size - dyn_off;

        eb_add_load(b, PF_R, start, b->size - start);
        eb_add_phdr(b, PT_DYNAMIC, PF_R | PF_W, dyn_off, eb_vaddr(b, dyn_off), dyn_size, dyn_size);

        size_t s_str =
                eb_add_section(b, ".dynstr", SHT_STRTAB, SHF_ALLOC, eb_vaddr(b, str_off), str_off, st.size);
        if (d->n_verneed > 0) {
                size_t s = eb_add_section(b, ".gnu.version_r", SHT_GNU_verneed, SHF_ALLOC,
                                          eb_vaddr(b, vn_off), vn_off, vn_size);
                eb_section(b, s)->link = (uint32_t) s_str;
                eb_section(b, s)->info = (uint32_t) d->n_verneed;
                eb_section(b, s)->addralign = 4;
        }
        size_t s_dyn = eb_add_section(b, ".dynamic", SHT_DYNAMIC, SHF_ALLOC | SHF_WRITE,
                                      eb_vaddr(b, dyn_off), dyn_off, dyn_size);
        eb_section(b, s_dyn)->link = (uint32_t) s_str;
        eb_section(b, s_dyn)->entsize = 2 * w;
        eb_section(b, s_dyn)->addralign = w;
        free(st.data);
}

void eb_add_rela(ElfBuilder *b, const char *section, const EbRela *r, size_t n) {
        size_t w = eb_ptr_size(b);
        uint64_t off = eb_align(b, w);
        for (size_t i = 0; i < n; i++) {
                eb_append_uint(b, r[i].offset, w);
                if (b->bits == 64)
                        eb_append_uint(b, (uint64_t) r[i].sym << 32 | r[i].type, 8);
                else
                        eb_append_uint(b, (uint64_t) (r[i].sym << 8 | (r[i].type & 0xff)), 4);
                eb_append_uint(b, (uint64_t) r[i].addend, w);
        }
        size_t s = eb_add_section(b, section, SHT_RELA, SHF_ALLOC, eb_vaddr(b, off), off, b->size - off);
        eb_section(b, s)->entsize = 3 * w;
        eb_section(b, s)->addralign = w;
}

void eb_add_symtab(ElfBuilder *b, const char *const *names, size_t n) {
        StrTab st = {};
        strtab_add(&st, "");
        uint32_t *name_off = xrealloc(NULL, n * sizeof *name_off);
        for (size_t i = 0; i < n; i++)
                name_off[i] = strtab_add(&st, names[i]);
        uint64_t str_off = eb_append(b, st.data, st.size, 1);
        size_t s_str = eb_add_section(b, ".strtab", SHT_STRTAB, 0, 0, str_off, st.size);

        size_t w = eb_ptr_size(b);
        uint64_t sym_off = eb_align(b, w);
        for (size_t i = 0; i <= n; i++) {
                uint32_t name = i == 0 ? 0 : name_off[i - 1];
                uint8_t info = i == 0 ? 0 : ELF64_ST_INFO(STB_GLOBAL, STT_FUNC);
                if (b->bits == 64) {
                        eb_append_uint(b, name, 4);
                        eb_append_uint(b, info, 1);
                        eb_append_uint(b, 0, 1);
                        eb_append_uint(b, 0, 2);
                        eb_append_uint(b, 0, 8);
                        eb_append_uint(b, 0, 8);
                } else {
                        eb_append_uint(b, name, 4);
                        eb_append_uint(b, 0, 4);
                        eb_append_uint(b, 0, 4);
                        eb_append_uint(b, info, 1);
                        eb_append_uint(b, 0, 1);
                        eb_append_uint(b, 0, 2);
                }
        }
        size_t s = eb_add_section(b, ".symtab", SHT_SYMTAB, 0, 0, sym_off, b->size - sym_off);
        eb_section(b, s)->link = (uint32_t) s_str;
        eb_section(b, s)->info = 1;
        eb_section(b, s)->entsize = b->bits == 64 ? 24 : 16;
        eb_section(b, s)->addralign = w;
        free(name_off);
        free(st.data);
}

uint8_t *eb_go_wrap_modinfo(const char *text, size_t len, size_t *ret_len) {
        uint8_t *p = xrealloc(NULL, len + 32);
        memcpy(p, eb_go_info_start, 16);
        if (len > 0)
                memcpy(p + 16, text, len);
        memcpy(p + 16 + len, eb_go_info_end, 16);
        *ret_len = len + 32;
        return p;
}

size_t eb_put_uvarint(uint8_t *p, uint64_t v) {
        size_t i = 0;
        while (v >= 0x80) {
                p[i++] = (uint8_t) (v | 0x80);
                v >>= 7;
        }
        p[i++] = (uint8_t) v;
        return i;
}

uint8_t *eb_go_inline_blob(const char *version, const void *mod, size_t mod_len, uint8_t ptr_size,
                           uint8_t flags, size_t *ret_len) {
        size_t vlen = strlen(version);
        size_t cap = 32 + 10 + vlen + 10 + mod_len + 16;
        uint8_t *p = xrealloc(NULL, cap);
        memset(p, 0, cap);
        memcpy(p, go_magic, sizeof go_magic);
        p[14] = ptr_size;
        p[15] = flags;
        size_t n = 32;
        n += eb_put_uvarint(p + n, vlen);
        memcpy(p + n, version, vlen);
        n += vlen;
        n += eb_put_uvarint(p + n, mod_len);
        if (mod_len > 0)
                memcpy(p + n, mod, mod_len);
        n += mod_len;
        n = (n + 15) & ~(size_t) 15;
        *ret_len = n;
        return p;
}

static uint16_t default_machine(unsigned bits, bool big_endian) {
        if (bits == 64)
                return big_endian ? EM_S390 : EM_X86_64;
        return big_endian ? EM_MIPS : EM_386;
}

static uint32_t relative_type(uint16_t machine) {
        switch (machine) {
        case EM_X86_64: return R_X86_64_RELATIVE;
        case EM_386: return R_386_RELATIVE;
        case EM_AARCH64: return R_AARCH64_RELATIVE;
        case EM_ARM: return R_ARM_RELATIVE;
        case EM_PPC64: return R_PPC64_RELATIVE;
        case EM_S390: return R_390_RELATIVE;
        case EM_RISCV: return R_RISCV_RELATIVE;
        case EM_MIPS: return R_MIPS_REL32;
        default: return 0;
        }
}

ElfBuilder *eb_build_go(const EbGo *g) {
        uint16_t machine = g->machine ? g->machine : default_machine(g->bits, g->big_endian);
        ElfBuilder *b = eb_new(g->bits, g->big_endian, g->pie ? ET_DYN : ET_EXEC, machine);
        size_t w = eb_ptr_size(b);
        uint8_t *mod = NULL;
        size_t mod_len = 0;

        if (g->modinfo) {
                size_t len = g->modinfo_len ? g->modinfo_len : strlen(g->modinfo);
                if (g->raw_modinfo) {
                        mod = xrealloc(NULL, len);
                        memcpy(mod, g->modinfo, len);
                        mod_len = len;
                } else
                        mod = eb_go_wrap_modinfo(g->modinfo, len, &mod_len);
        }

        /* Text: headers, the build ID note and (pointer layout) the string bytes, like rodata. */
        if (g->build_id)
                eb_add_go_buildid_note(b, g->build_id);
        if (g->layout == EB_GO_POINTER) {
                uint64_t v = eb_append(b, g->version, strlen(g->version), 16);
                uint64_t m = eb_append(b, mod, mod_len, 16);
                b->go_version_addr = eb_vaddr(b, v);
                b->go_modinfo_addr = eb_vaddr(b, m);
                if (g->sections)
                        eb_add_section(b, ".rodata", SHT_PROGBITS, SHF_ALLOC, eb_vaddr(b, v), v,
                                       b->size - v);
        }
        uint64_t text_end = eb_align(b, 16);
        eb_add_load(b, PF_R | PF_X, 0, text_end);

        /* Data: optional decoy, then the header at blob_offset. */
        check(g->blob_offset % 16 == 0, "blob_offset must be a multiple of 16");
        check(!g->decoy || g->blob_offset >= 32, "a decoy needs blob_offset >= 32");
        uint64_t data_off = eb_append_zeros(b, g->blob_offset, 16);
        if (g->decoy)
                eb_put(b, data_off + 5, go_magic, sizeof go_magic);
        uint64_t hdr = data_off + g->blob_offset;
        b->go_header_offset = hdr;
        b->go_header_vaddr = eb_vaddr(b, hdr);

        EbRela rel[4];
        size_t n_rel = 0;
        if (g->layout == EB_GO_INLINE) {
                size_t n;
                uint8_t flags = 0x2 | (g->big_endian ? 0x1 : 0);
                uint8_t *blob = eb_go_inline_blob(g->version, mod, mod_len, (uint8_t) w, flags, &n);
                eb_append(b, blob, n, 16);
                free(blob);
                b->go_blob_size = n;
                b->go_version_addr = b->go_header_vaddr + 32 + 1;
                b->go_modinfo_addr = 0;
        } else {
                uint8_t h[32] = {};
                memcpy(h, go_magic, sizeof go_magic);
                h[14] = (uint8_t) w;
                h[15] = g->big_endian ? 0x1 : 0;
                eb_append(b, h, sizeof h, 16);
                b->go_blob_size = 32;
                /* The string headers {data, len} follow, as runtime.buildVersion/modinfo would. */
                uint64_t vh = eb_append_zeros(b, 2 * w, w);
                uint64_t mh = eb_append_zeros(b, 2 * w, w);
                b->go_version_hdr = eb_vaddr(b, vh);
                b->go_modinfo_hdr = eb_vaddr(b, mh);
                eb_put_uint(b, vh + w, strlen(g->version), w);
                eb_put_uint(b, mh + w, mod_len, w);
                struct {
                        uint64_t slot, value;
                } ptrs[4] = {
                        { hdr + 16, b->go_version_hdr },
                        { hdr + 16 + w, b->go_modinfo_hdr },
                        { vh, b->go_version_addr },
                        { mh, b->go_modinfo_addr },
                };
                for (size_t i = 0; i < 4; i++) {
                        if (!g->zero_slots)
                                eb_put_uint(b, ptrs[i].slot, ptrs[i].value, w);
                        else if (g->relocs)
                                rel[n_rel++] = (EbRela){ .offset = eb_vaddr(b, ptrs[i].slot),
                                                         .type = relative_type(machine),
                                                         .addend = (int64_t) ptrs[i].value };
                }
        }
        uint64_t data_end = eb_align(b, 16);
        b->go_data_phdr = eb_add_phdr(b, PT_LOAD, PF_R | PF_W, data_off, eb_vaddr(b, data_off),
                                      data_end - data_off, data_end - data_off + g->bss);
        if (g->sections) {
                b->go_section = eb_add_section(b, ".go.buildinfo", SHT_PROGBITS, SHF_ALLOC | SHF_WRITE,
                                               b->go_header_vaddr, hdr, b->go_blob_size);
                eb_section(b, b->go_section)->addralign = 16;
                if (data_end > hdr + b->go_blob_size)
                        eb_add_section(b, ".data", SHT_PROGBITS, SHF_ALLOC | SHF_WRITE,
                                       eb_vaddr(b, hdr + b->go_blob_size), hdr + b->go_blob_size,
                                       data_end - hdr - b->go_blob_size);
        }
        if (n_rel > 0) {
                check(g->sections, "relocations need section headers");
                eb_add_rela(b, ".rela.dyn", rel, n_rel);
        }
        free(mod);
        return b;
}

ElfBuilder *eb_build_unresolvable_buildinfo(uint64_t segment_size, size_t n_loads) {
        ElfBuilder *b = eb_new(64, false, ET_EXEC, EM_X86_64);
        uint8_t h[32] = {};
        memcpy(h, "\xff Go buildinf:", 14);
        h[14] = 8; /* ptr_size; flags 0: the pointer layout, little-endian */
        eb_align(b, 0x1000);
        uint64_t off = eb_append(b, h, sizeof h, 16);
        eb_put_uint(b, off + 16, UINT64_C(0x7f0000000000), 8);
        eb_put_uint(b, off + 24, UINT64_C(0x7f0000001000), 8);
        for (size_t i = 0; i < n_loads; i++)
                eb_add_phdr(b, PT_LOAD, PF_R | PF_W, 0, 0x400000, segment_size, segment_size);
        return b;
}

int eb_memfd_sparse(ElfBuilder *b, uint64_t size) {
        int fd = eb_memfd(b);
        if (fd < 0)
                return fd;
        if (ftruncate(fd, (off_t) size) < 0) {
                int r = -errno;
                close(fd);
                return r;
        }
        return fd;
}
