/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>
#include <sys/stat.h>

#include "elf-file.h"

static int ensure_libelf(void) {
        static int initialized = 0;
        if (initialized == 0)
                initialized = elf_version(EV_CURRENT) == EV_NONE ? -1 : 1;
        return initialized > 0 ? 0 : -ENOTSUP;
}

int elf_file_library_init(void) {
        return ensure_libelf();
}

ElfFile *elf_file_free(ElfFile *f) {
        if (!f)
                return NULL;
        if (f->elf)
                elf_end(f->elf);
        free(f->phdrs);
        return mfree(f);
}

#define STR(x)  #x
#define XSTR(x) STR(x)

const char *elf_budget_error_to_string(int error) {
        switch (error) {
        case -EDQUOT: return "could not determine: read budget of " XSTR(ELF_BUDGET_MIB) " MiB exhausted";
        case -ETIME: return "could not determine: time budget of " XSTR(ELF_BUDGET_SEC) " s exhausted";
        default: return NULL;
        }
}

int elf_file_charge(ElfFile *f, uint64_t n) {
        if (f->budget_error < 0)
                return f->budget_error;
        if (f->deadline > 0 && f->now() >= f->deadline)
                return (f->budget_error = -ETIME);
        if (n > f->budget_bytes)
                return (f->budget_error = -EDQUOT);
        f->budget_bytes -= n;
        return 0;
}

int elf_file_pread(ElfFile *f, uint64_t offset, void *buf, size_t n) {
        if (offset > f->size || n > f->size - offset)
                return -EBADMSG;
        int r = elf_file_charge(f, n);
        if (r < 0)
                return r;
        size_t done = 0;
        while (done < n) {
                ssize_t k = pread(f->fd, (uint8_t *) buf + done, n - done, (off_t) (offset + done));
                if (k < 0) {
                        if (errno == EINTR)
                                continue;
                        return negative_errno();
                }
                if (k == 0)
                        return -EBADMSG; /* shrank under us */
                done += (size_t) k;
        }
        return 0;
}

uint64_t elf_file_u64(const ElfFile *f, const uint8_t *p, size_t ptr_size) {
        uint64_t v = 0;
        if (f->byte_order == ELFDATA2MSB)
                for (size_t i = 0; i < ptr_size; i++)
                        v = v << 8 | p[i];
        else
                for (size_t i = ptr_size; i > 0; i--)
                        v = v << 8 | p[i - 1];
        return v;
}

static uint64_t rd(uint8_t order, const uint8_t *p, size_t n) {
        ElfFile tmp = { .byte_order = order };
        return elf_file_u64(&tmp, p, n);
}

/* Validate the counts libelf would trust before it allocates tables sized by them. */
static int check_header(ElfFile *f, const uint8_t *ident) {
        uint8_t h[64];
        bool is64 = ident[EI_CLASS] == ELFCLASS64;
        size_t ehsize = is64 ? 64 : 52;
        int r = elf_file_pread(f, 0, h, ehsize);
        if (r < 0)
                return r;
        uint8_t o = ident[EI_DATA];
        uint64_t phoff = is64 ? rd(o, h + 32, 8) : rd(o, h + 28, 4);
        uint64_t shoff = is64 ? rd(o, h + 40, 8) : rd(o, h + 32, 4);
        uint64_t phentsize = rd(o, h + (is64 ? 54 : 42), 2);
        uint64_t phnum = rd(o, h + (is64 ? 56 : 44), 2);
        uint64_t shentsize = rd(o, h + (is64 ? 58 : 46), 2);
        uint64_t shnum = rd(o, h + (is64 ? 60 : 48), 2);

        if (phnum > 0) {
                if (phnum == 0xFFFF || phentsize != (is64 ? 56u : 32u))
                        return -EBADMSG; /* PN_XNUM is never used by executables */
                if (phoff > f->size || phnum * phentsize > f->size - phoff)
                        return -EBADMSG;
        }
        if (shoff != 0) {
                if (shentsize != (is64 ? 64u : 40u) || shoff > f->size)
                        return -EBADMSG;
                if (shnum == 0) {
                        /* Extended numbering: the count is in section 0's sh_size. */
                        uint8_t s0[64];
                        r = elf_file_pread(f, shoff, s0, shentsize);
                        if (r < 0)
                                return r;
                        shnum = is64 ? rd(o, s0 + 32, 8) : rd(o, s0 + 20, 4);
                }
                if (shnum > ELF_FILE_SECTIONS_MAX || shnum * shentsize > f->size - shoff)
                        return -EBADMSG;
        }
        return 0;
}

int elf_file_open(int fd, const ElfBudget *budget, ElfFile **ret) {
        _cleanup_(elf_file_freep) ElfFile *f = NULL;
        struct stat st;
        uint8_t ident[EI_NIDENT];
        int r;

        r = ensure_libelf();
        if (r < 0)
                return r;
        if (fstat(fd, &st) < 0)
                return negative_errno();
        if (!S_ISREG(st.st_mode))
                return -EBADFD;

        f = calloc(1, sizeof *f);
        if (!f)
                return -ENOMEM;
        f->fd = fd;
        f->size = (uint64_t) st.st_size;
        f->budget_bytes = budget ? budget->bytes : ELF_BUDGET_BYTES_DEFAULT;
        if (budget && budget->now && budget->usec > 0) {
                f->now = budget->now;
                f->deadline = f->now() + budget->usec;
        }

        r = elf_file_pread(f, 0, ident, sizeof ident);
        if (r == -EBADMSG || (r >= 0 && memcmp(ident, ELFMAG, SELFMAG) != 0))
                return -ENOEXEC;
        if (r < 0)
                return r;
        if ((ident[EI_CLASS] != ELFCLASS32 && ident[EI_CLASS] != ELFCLASS64) ||
            (ident[EI_DATA] != ELFDATA2LSB && ident[EI_DATA] != ELFDATA2MSB))
                return -EBADMSG;
        r = check_header(f, ident);
        if (r < 0)
                return r;

        f->elf = elf_begin(fd, ELF_C_READ, NULL);
        if (!f->elf || elf_kind(f->elf) != ELF_K_ELF)
                return -EBADMSG;

        GElf_Ehdr eh;
        if (!gelf_getehdr(f->elf, &eh))
                return -EBADMSG;
        f->elf_class = ident[EI_CLASS];
        f->byte_order = ident[EI_DATA];
        f->osabi = ident[EI_OSABI];
        f->type = eh.e_type;
        f->machine = eh.e_machine;

        size_t n;
        if (elf_getphdrnum(f->elf, &n) < 0)
                return -EBADMSG;
        if (n > 0) {
                r = elf_file_charge(f, n * (f->elf_class == ELFCLASS64 ? 56u : 32u));
                if (r < 0)
                        return r;
                f->phdrs = calloc(n, sizeof(GElf_Phdr));
                if (!f->phdrs)
                        return -ENOMEM;
                for (size_t i = 0; i < n; i++)
                        if (!gelf_getphdr(f->elf, (int) i, &f->phdrs[i]))
                                return -EBADMSG;
                f->n_phdrs = n;
        }

        if (elf_getshdrnum(f->elf, &f->n_sections) < 0)
                return -EBADMSG;
        if (f->n_sections > 0) {
                /* Treat unusable section headers like none at all: the program still runs, and
                 * the segment-based fallbacks still work. elf_strptr() loads the whole string
                 * table, so its size must be sane first. */
                GElf_Shdr sh = {};
                Elf_Scn *scn;
                if (elf_getshdrstrndx(f->elf, &f->shstrndx) >= 0 &&
                    (scn = elf_getscn(f->elf, f->shstrndx)) && gelf_getshdr(scn, &sh) &&
                    sh.sh_type == SHT_STRTAB && sh.sh_size <= ELF_FILE_CHUNK_MAX &&
                    sh.sh_offset <= f->size && sh.sh_size <= f->size - sh.sh_offset)
                        f->has_sections = true;
                /* libelf reads the section headers and, on first use, the name table. */
                r = elf_file_charge(f, f->n_sections * (f->elf_class == ELFCLASS64 ? 64u : 40u) +
                                               (f->has_sections ? sh.sh_size : 0));
                if (r < 0)
                        return r;
        }

        *ret = TAKE_PTR(f);
        return 0;
}

int elf_file_vaddr_to_offset(ElfFile *f, uint64_t addr, uint64_t *ret_offset, uint64_t *ret_avail) {
        for (size_t i = 0; i < f->n_phdrs; i++) {
                const GElf_Phdr *p = &f->phdrs[i];
                if (p->p_type != PT_LOAD || p->p_filesz == 0)
                        continue;
                if (addr < p->p_vaddr || addr - p->p_vaddr >= p->p_filesz)
                        continue;
                uint64_t delta = addr - p->p_vaddr;
                if (p->p_offset > f->size || delta >= f->size - p->p_offset)
                        return -EBADMSG; /* segment claims bytes past the end of the file */
                uint64_t off = p->p_offset + delta;
                *ret_offset = off;
                *ret_avail = MIN(p->p_filesz - delta, f->size - off);
                return 0;
        }
        return -EBADMSG;
}

ssize_t elf_file_read_vaddr(ElfFile *f, uint64_t addr, void *buf, size_t n) {
        uint64_t off, avail;
        int r = elf_file_vaddr_to_offset(f, addr, &off, &avail);
        if (r < 0)
                return r;
        size_t k = (size_t) MIN((uint64_t) n, avail);
        r = elf_file_pread(f, off, buf, k);
        if (r < 0)
                return r;
        return (ssize_t) k;
}

int elf_file_find_section(ElfFile *f, const char *name, GElf_Shdr *ret_shdr, Elf_Scn **ret_scn) {
        if (!f->has_sections)
                return -ENOENT;
        for (Elf_Scn *scn = elf_nextscn(f->elf, NULL); scn; scn = elf_nextscn(f->elf, scn)) {
                GElf_Shdr sh;
                if (!gelf_getshdr(scn, &sh))
                        return -EBADMSG;
                const char *n = elf_strptr(f->elf, f->shstrndx, sh.sh_name);
                if (n && strcmp(n, name) == 0) {
                        if (ret_shdr)
                                *ret_shdr = sh;
                        if (ret_scn)
                                *ret_scn = scn;
                        return 0;
                }
        }
        return -ENOENT;
}

int elf_file_section_data(ElfFile *f, Elf_Scn *scn, Elf_Data **ret) {
        GElf_Shdr sh;
        if (!gelf_getshdr(scn, &sh))
                return -EBADMSG;
        if (sh.sh_type == SHT_NOBITS)
                return -ENODATA;
        if (sh.sh_size > ELF_FILE_CHUNK_MAX)
                return -E2BIG;
        if (sh.sh_offset > f->size || sh.sh_size > f->size - sh.sh_offset)
                return -EBADMSG;
        int r = elf_file_charge(f, sh.sh_size);
        if (r < 0)
                return r;
        Elf_Data *d = elf_getdata(scn, NULL);
        if (!d)
                return -EBADMSG;
        *ret = d;
        return 0;
}

int elf_file_rawchunk(ElfFile *f, uint64_t offset, uint64_t size, Elf_Type type, Elf_Data **ret) {
        if (size > ELF_FILE_CHUNK_MAX)
                return -E2BIG;
        if (offset > f->size || size > f->size - offset || size == 0)
                return -EBADMSG;
        int r = elf_file_charge(f, size);
        if (r < 0)
                return r;
        Elf_Data *d = elf_getdata_rawchunk(f->elf, (int64_t) offset, (size_t) size, type);
        if (!d)
                return -EBADMSG;
        *ret = d;
        return 0;
}

const GElf_Phdr *elf_file_first_rw_load(const ElfFile *f) {
        for (size_t i = 0; i < f->n_phdrs; i++)
                if (f->phdrs[i].p_type == PT_LOAD && (f->phdrs[i].p_flags & (PF_X | PF_W)) == PF_W)
                        return &f->phdrs[i];
        return NULL;
}
