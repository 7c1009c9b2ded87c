/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdio.h>
#include <string.h>

#include "elf-facts.h"

#define NOTES_MAX_SIZE (1024u * 1024u)
#define INTERP_MAX     4096u

void elf_facts_done(ElfFacts *x) {
        free(x->interpreter);
        for (size_t i = 0; i < x->n_needed; i++) {
                free(x->needed[i].name);
                free(x->needed[i].glibc_version);
        }
        free(x->needed);
        free(x->rpath);
        free(x->runpath);
        free(x->soname);
        free(x->glibc_version);
        free(x->go_build_id);
        free(x->gnu_build_id);
        *x = (ElfFacts){};
}

const char *elf_kind_to_string(ElfKind k) {
        static const char *const table[_ELF_KIND_MAX] = {
                [ELF_KIND_EXEC] = "exec",
                [ELF_KIND_PIE] = "pie",
                [ELF_KIND_STATIC_PIE] = "static-pie",
                [ELF_KIND_SHARED] = "shared",
                [ELF_KIND_RELOCATABLE] = "relocatable",
                [ELF_KIND_CORE] = "core",
                [ELF_KIND_OTHER] = "other",
        };
        return k >= 0 && k < _ELF_KIND_MAX ? table[k] : NULL;
}

const char *elf_machine_to_string(uint16_t m) {
        switch (m) {
        case EM_X86_64: return "x86-64";
        case EM_386: return "i386";
        case EM_AARCH64: return "aarch64";
        case EM_ARM: return "arm";
        case EM_PPC64: return "ppc64";
        case EM_PPC: return "ppc";
        case EM_S390: return "s390";
        case EM_MIPS: return "mips";
        case EM_RISCV: return "riscv";
        case EM_LOONGARCH: return "loongarch";
        case EM_SPARCV9: return "sparc64";
        default: return NULL;
        }
}

const char *elf_machine_to_goarch(uint16_t m, uint8_t elf_class, bool be) {
        switch (m) {
        case EM_X86_64: return "amd64";
        case EM_386: return "386";
        case EM_AARCH64: return "arm64";
        case EM_ARM: return "arm";
        case EM_PPC64: return be ? "ppc64" : "ppc64le";
        case EM_S390: return "s390x";
        case EM_MIPS:
                if (elf_class == 64)
                        return be ? "mips64" : "mips64le";
                return be ? "mips" : "mipsle";
        case EM_RISCV: return elf_class == 64 ? "riscv64" : NULL;
        case EM_LOONGARCH: return "loong64";
        default: return NULL;
        }
}

/* Numeric, component-wise; a non-numeric tail (GLIBC_PRIVATE) sorts below every number. */
int glibc_version_compare(const char *a, const char *b) {
        if (strncmp(a, "GLIBC_", 6) == 0)
                a += 6;
        if (strncmp(b, "GLIBC_", 6) == 0)
                b += 6;
        for (;;) {
                bool da = *a >= '0' && *a <= '9', db = *b >= '0' && *b <= '9';
                if (!da || !db)
                        return (int) da - (int) db;
                unsigned long x = 0, y = 0;
                while (*a >= '0' && *a <= '9' && x < 100000000)
                        x = x * 10 + (unsigned long) (*a++ - '0');
                while (*b >= '0' && *b <= '9' && y < 100000000)
                        y = y * 10 + (unsigned long) (*b++ - '0');
                if (x != y)
                        return x < y ? -1 : 1;
                if (*a == '.')
                        a++;
                if (*b == '.')
                        b++;
        }
}

static bool is_glibc_numbered(const char *v) {
        return strncmp(v, "GLIBC_", 6) == 0 && v[6] >= '0' && v[6] <= '9';
}

/* Keeps the higher of *slot and v in *slot. */
static int keep_higher(char **slot, const char *v) {
        if (*slot && glibc_version_compare(*slot, v) >= 0)
                return 0;
        char *c = strdup(v);
        if (!c)
                return -ENOMEM;
        free(*slot);
        *slot = c;
        return 0;
}

static bool printable_string(const char *s, size_t n) {
        for (size_t i = 0; i < n; i++)
                if ((unsigned char) s[i] < 0x20 || s[i] == 0x7f)
                        return false;
        return true;
}

static int read_interpreter(ElfFile *f, const GElf_Phdr *p, char **ret) {
        if (p->p_filesz == 0 || p->p_filesz > INTERP_MAX)
                return -EBADMSG;
        _cleanup_free_ char *s = malloc(p->p_filesz + 1);
        if (!s)
                return -ENOMEM;
        int r = elf_file_pread(f, p->p_offset, s, p->p_filesz);
        if (r < 0)
                return r;
        s[p->p_filesz] = 0;
        size_t n = strlen(s);
        if (n == 0 || !printable_string(s, n))
                return -EBADMSG;
        *ret = TAKE_PTR(s);
        return 0;
}

typedef struct StrTab {
        const char *data;
        size_t size;
} StrTab;

static const char *strtab_get(const StrTab *t, uint64_t off) {
        if (!t->data || off >= t->size || !memchr(t->data + off, 0, t->size - off))
                return NULL;
        return t->data + off;
}

static int dup_string(const StrTab *t, uint64_t off, char **ret) {
        const char *s = strtab_get(t, off);
        if (!s)
                return -EBADMSG;
        char *c = strdup(s);
        if (!c)
                return -ENOMEM;
        free(*ret);
        *ret = c;
        return 0;
}

static int read_verneed(ElfFile *f, ElfFacts *x, const StrTab *strtab, uint64_t vaddr, uint64_t count) {
        uint64_t off, avail;
        Elf_Data *d;
        GElf_Shdr sh;
        Elf_Scn *scn;
        int r;

        if (count == 0 || count > ELF_FACTS_VERNEED_MAX)
                return count == 0 ? 0 : -EBADMSG;
        r = elf_file_vaddr_to_offset(f, vaddr, &off, &avail);
        if (r < 0)
                return r;
        /* The section gives the exact size; without section headers take what the segment has. */
        if (elf_file_find_section(f, ".gnu.version_r", &sh, &scn) >= 0 && sh.sh_offset == off)
                avail = MIN(avail, sh.sh_size);
        avail = MIN(avail, (uint64_t) NOTES_MAX_SIZE);
        r = elf_file_rawchunk(f, off, avail, ELF_T_VNEED, &d);
        if (r < 0)
                return r;

        size_t vn_off = 0;
        for (uint64_t i = 0; i < count; i++) {
                GElf_Verneed vn;
                if (!gelf_getverneed(d, (int) vn_off, &vn))
                        return -EBADMSG;
                const char *file = strtab_get(strtab, vn.vn_file);
                if (!file)
                        return -EBADMSG;
                ElfNeeded *lib = NULL;
                for (size_t k = 0; k < x->n_needed; k++)
                        if (strcmp(x->needed[k].name, file) == 0)
                                lib = &x->needed[k];

                size_t aux_off = vn_off + vn.vn_aux;
                for (unsigned j = 0; j < vn.vn_cnt; j++) {
                        GElf_Vernaux aux;
                        if (aux_off > INT32_MAX || !gelf_getvernaux(d, (int) aux_off, &aux))
                                return -EBADMSG;
                        const char *v = strtab_get(strtab, aux.vna_name);
                        if (v && is_glibc_numbered(v)) {
                                if (lib && (r = keep_higher(&lib->glibc_version, v)) < 0)
                                        return r;
                                if ((r = keep_higher(&x->glibc_version, v)) < 0)
                                        return r;
                        }
                        if (aux.vna_next == 0)
                                break;
                        aux_off += aux.vna_next;
                }
                if (vn.vn_next == 0)
                        break;
                vn_off += vn.vn_next;
                if (vn_off > INT32_MAX)
                        return -EBADMSG;
        }
        return 0;
}

static int read_dynamic(ElfFile *f, ElfFacts *x, const GElf_Phdr *p) {
        uint64_t strtab_addr = 0, strsz = 0, verneed = 0, verneednum = 0, flags_1 = 0;
        uint64_t rpath = UINT64_MAX, runpath = UINT64_MAX, soname = UINT64_MAX;
        _cleanup_free_ uint64_t *needed = NULL;
        size_t n_needed = 0;
        Elf_Data *d;
        int r;

        if (p->p_filesz == 0)
                return 0;
        r = elf_file_rawchunk(f, p->p_offset, p->p_filesz, ELF_T_DYN, &d);
        if (r < 0)
                return r;
        size_t entsize = gelf_fsize(f->elf, ELF_T_DYN, 1, EV_CURRENT);
        size_t n = entsize ? d->d_size / entsize : 0;
        for (size_t i = 0; i < n; i++) {
                GElf_Dyn dyn;
                if (!gelf_getdyn(d, (int) i, &dyn))
                        return -EBADMSG;
                if (dyn.d_tag == DT_NULL)
                        break;
                switch (dyn.d_tag) {
                case DT_NEEDED:
                        if (n_needed >= ELF_FACTS_NEEDED_MAX)
                                return -E2BIG;
                        if (!needed) {
                                needed = calloc(MIN(n, (size_t) ELF_FACTS_NEEDED_MAX), sizeof *needed);
                                if (!needed)
                                        return -ENOMEM;
                        }
                        needed[n_needed++] = dyn.d_un.d_val;
                        break;
                case DT_STRTAB: strtab_addr = dyn.d_un.d_ptr; break;
                case DT_STRSZ: strsz = dyn.d_un.d_val; break;
                case DT_RPATH: rpath = dyn.d_un.d_val; break;
                case DT_RUNPATH: runpath = dyn.d_un.d_val; break;
                case DT_SONAME: soname = dyn.d_un.d_val; break;
                case DT_VERNEED: verneed = dyn.d_un.d_ptr; break;
                case DT_VERNEEDNUM: verneednum = dyn.d_un.d_val; break;
                case DT_FLAGS_1: flags_1 = dyn.d_un.d_val; break;
                }
        }

        if (x->kind == ELF_KIND_SHARED && (flags_1 & DF_1_PIE))
                x->kind = ELF_KIND_STATIC_PIE;

        StrTab strtab = {};
        if (strtab_addr != 0 && strsz > 0) {
                uint64_t off, avail;
                r = elf_file_vaddr_to_offset(f, strtab_addr, &off, &avail);
                if (r < 0)
                        return r;
                r = elf_file_rawchunk(f, off, MIN(strsz, avail), ELF_T_BYTE, &d);
                if (r < 0)
                        return r;
                strtab = (StrTab){ d->d_buf, d->d_size };
        } else if (n_needed > 0)
                return -EBADMSG;

        if (n_needed > 0) {
                x->needed = calloc(n_needed, sizeof(ElfNeeded));
                if (!x->needed)
                        return -ENOMEM;
                for (size_t i = 0; i < n_needed; i++) {
                        r = dup_string(&strtab, needed[i], &x->needed[i].name);
                        if (r < 0)
                                return r;
                        x->n_needed++;
                }
        }
        if (rpath != UINT64_MAX && (r = dup_string(&strtab, rpath, &x->rpath)) < 0)
                return r;
        if (runpath != UINT64_MAX && (r = dup_string(&strtab, runpath, &x->runpath)) < 0)
                return r;
        if (soname != UINT64_MAX && (r = dup_string(&strtab, soname, &x->soname)) < 0)
                return r;
        if (verneed != 0)
                return read_verneed(f, x, &strtab, verneed, verneednum);
        return 0;
}

static int parse_notes(ElfFile *f, ElfFacts *x, uint64_t offset, uint64_t size, bool align8) {
        Elf_Data *d;
        int r;

        if (size == 0)
                return 0;
        if (size > NOTES_MAX_SIZE)
                return -E2BIG;
        r = elf_file_rawchunk(f, offset, size, align8 ? ELF_T_NHDR8 : ELF_T_NHDR, &d);
        if (r < 0)
                return r;
        size_t pos = 0;
        while (pos < d->d_size) {
                GElf_Nhdr nh;
                size_t name_off, desc_off;
                size_t next = gelf_getnote(d, pos, &nh, &name_off, &desc_off);
                if (next == 0 || next <= pos)
                        break;
                const char *name = (const char *) d->d_buf + name_off;
                const char *desc = (const char *) d->d_buf + desc_off;
                if ((nh.n_namesz == 3 || nh.n_namesz == 4) && memcmp(name, "Go", 3) == 0 && nh.n_type == 4 &&
                    !x->go_build_id) {
                        size_t len = strnlen(desc, nh.n_descsz);
                        if (printable_string(desc, len)) {
                                x->go_build_id = strndup(desc, len);
                                if (!x->go_build_id)
                                        return -ENOMEM;
                        }
                } else if (nh.n_namesz == 4 && memcmp(name, "GNU", 4) == 0 && nh.n_type == NT_GNU_BUILD_ID &&
                           nh.n_descsz > 0 && nh.n_descsz <= 64 && !x->gnu_build_id) {
                        x->gnu_build_id = malloc(nh.n_descsz * 2 + 1);
                        if (!x->gnu_build_id)
                                return -ENOMEM;
                        for (size_t i = 0; i < nh.n_descsz; i++)
                                sprintf(x->gnu_build_id + 2 * i, "%02x", (uint8_t) desc[i]);
                }
                pos = next;
        }
        return 0;
}

static bool pclntab_magic_valid(uint32_t m) {
        return m == 0xfffffffbu || m == 0xfffffffau || m == 0xfffffff0u || m == 0xfffffff1u;
}

static int scan_sections(ElfFile *f, ElfFacts *x, ElfFactsFlags flags) {
        static const char *const go_sections[] = {
                ".go.buildinfo", ".gopclntab", ".data.rel.ro.gopclntab", ".noptrdata", ".typelink",
                ".itablink",     ".gosymtab",  ".note.go.buildid",
        };
        bool notes_from_segments = false;
        int r;

        for (size_t i = 0; i < f->n_phdrs; i++)
                if (f->phdrs[i].p_type == PT_NOTE) {
                        notes_from_segments = true;
                        r = parse_notes(f, x, f->phdrs[i].p_offset, f->phdrs[i].p_filesz,
                                        f->phdrs[i].p_align == 8);
                        if (r < 0 && r != -EBADMSG && r != -E2BIG)
                                return r;
                }

        if (!f->has_sections)
                return 0;
        for (Elf_Scn *scn = elf_nextscn(f->elf, NULL); scn; scn = elf_nextscn(f->elf, scn)) {
                GElf_Shdr sh;
                if (!gelf_getshdr(scn, &sh))
                        return -EBADMSG;
                const char *name = elf_strptr(f->elf, f->shstrndx, sh.sh_name);
                if (!name)
                        continue;
                for (size_t k = 0; k < ELEMENTSOF(go_sections); k++)
                        if (strcmp(name, go_sections[k]) == 0)
                                x->has_go_sections = true;
                if (sh.sh_type == SHT_NOTE && !notes_from_segments) {
                        r = parse_notes(f, x, sh.sh_offset, sh.sh_size, sh.sh_addralign == 8);
                        if (r < 0 && r != -EBADMSG && r != -E2BIG)
                                return r;
                }
                if ((strcmp(name, ".gopclntab") == 0 || strcmp(name, ".data.rel.ro.gopclntab") == 0) &&
                    sh.sh_type != SHT_NOBITS && sh.sh_size >= 8) {
                        uint8_t h[8];
                        if (elf_file_pread(f, sh.sh_offset, h, sizeof h) >= 0) {
                                uint32_t m = (uint32_t) elf_file_u64(f, h, 4);
                                if (pclntab_magic_valid(m) && h[4] == 0 && h[5] == 0 &&
                                    (h[6] == 1 || h[6] == 2 || h[6] == 4) && (h[7] == 4 || h[7] == 8))
                                        x->pclntab_magic = m;
                        }
                }
                if ((flags & ELF_FACTS_SYMBOLS) && sh.sh_type == SHT_SYMTAB && sh.sh_entsize > 0 &&
                    !x->has_runtime_symbols) {
                        Elf_Data *d;
                        if (elf_file_section_data(f, scn, &d) < 0)
                                continue;
                        Elf_Scn *strscn = elf_getscn(f->elf, sh.sh_link);
                        GElf_Shdr strsh;
                        if (!strscn || !gelf_getshdr(strscn, &strsh) || strsh.sh_size > ELF_FILE_CHUNK_MAX ||
                            strsh.sh_offset > f->size || strsh.sh_size > f->size - strsh.sh_offset)
                                continue;
                        /* elf_strptr() below loads the whole string table. */
                        if (elf_file_charge(f, strsh.sh_size) < 0)
                                return f->budget_error;
                        size_t n = sh.sh_size / sh.sh_entsize;
                        for (size_t k = 0; k < n; k++) {
                                GElf_Sym sym;
                                if (!gelf_getsym(d, (int) k, &sym))
                                        break;
                                const char *s = elf_strptr(f->elf, sh.sh_link, sym.st_name);
                                if (s && (strcmp(s, "runtime.buildVersion") == 0 ||
                                          strcmp(s, "runtime.main") == 0)) {
                                        x->has_runtime_symbols = true;
                                        break;
                                }
                        }
                }
        }
        return 0;
}

int elf_facts_read(ElfFile *f, ElfFactsFlags flags, ElfFacts *ret) {
        _cleanup_(elf_facts_done) ElfFacts x = {
                .elf_class = f->elf_class == ELFCLASS64 ? 64 : 32,
                .big_endian = f->byte_order == ELFDATA2MSB,
                .osabi = f->osabi,
                .machine = f->machine,
                .has_section_headers = f->has_sections,
        };
        const GElf_Phdr *interp = NULL, *dynamic = NULL;
        int r;

        for (size_t i = 0; i < f->n_phdrs; i++) {
                if (f->phdrs[i].p_type == PT_INTERP && !interp)
                        interp = &f->phdrs[i];
                else if (f->phdrs[i].p_type == PT_DYNAMIC && !dynamic)
                        dynamic = &f->phdrs[i];
        }
        x.dynamic = dynamic != NULL;
        switch (f->type) {
        case ET_EXEC: x.kind = ELF_KIND_EXEC; break;
        case ET_DYN: x.kind = interp ? ELF_KIND_PIE : ELF_KIND_SHARED; break;
        case ET_REL: x.kind = ELF_KIND_RELOCATABLE; break;
        case ET_CORE: x.kind = ELF_KIND_CORE; break;
        default: x.kind = ELF_KIND_OTHER;
        }

        if (flags & (ELF_FACTS_GO_MARKERS | ELF_FACTS_SYMBOLS)) {
                r = scan_sections(f, &x, flags);
                if (f->budget_error < 0)
                        return f->budget_error;
                if (r < 0)
                        return r;
        }
        if (flags & ELF_FACTS_DYNAMIC) {
                if (interp) {
                        r = read_interpreter(f, interp, &x.interpreter);
                        if (r < 0)
                                return r;
                }
                if (dynamic) {
                        r = read_dynamic(f, &x, dynamic);
                        if (r < 0)
                                return r;
                }
                if (f->budget_error < 0)
                        return f->budget_error;
        }

        *ret = TAKE_PTR_STRUCT(x);
        return 0;
}
