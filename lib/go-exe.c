/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdio.h>
#include <string.h>

#include "go-exe.h"
#include "go-funcnames.h"

GoExe *go_exe_free(GoExe *x) {
        if (!x)
                return NULL;
        elf_facts_done(&x->elf);
        go_buildinfo_blob_done(&x->buildinfo);
        go_modinfo_free(x->modinfo);
        free(x->modinfo_error);
        return mfree(x);
}

const char *go_evidence_to_string(GoEvidence e) {
        switch (e) {
        case GO_EVIDENCE_BUILDINFO: return "buildinfo";
        case GO_EVIDENCE_BUILDID_NOTE: return "buildid-note";
        case GO_EVIDENCE_PCLNTAB: return "pclntab";
        case GO_EVIDENCE_RUNTIME_SYMBOLS: return "runtime-symbols";
        case GO_EVIDENCE_GO_SECTIONS: return "go-sections";
        case GO_EVIDENCE_MODINFO_SENTINELS: return "modinfo-sentinels";
        default: return NULL;
        }
}

static const char *arch_level_key(const char *goarch) {
        static const struct {
                const char *arch, *key;
        } table[] = {
                { "amd64", "GOAMD64" },   { "386", "GO386" },         { "arm", "GOARM" },
                { "arm64", "GOARM64" },   { "mips", "GOMIPS" },       { "mipsle", "GOMIPS" },
                { "mips64", "GOMIPS64" }, { "mips64le", "GOMIPS64" }, { "ppc64", "GOPPC64" },
                { "ppc64le", "GOPPC64" }, { "riscv64", "GORISCV64" }, { "wasm", "GOWASM" },
        };
        for (size_t i = 0; goarch && i < ELEMENTSOF(table); i++)
                if (strcmp(table[i].arch, goarch) == 0)
                        return table[i].key;
        return NULL;
}

static void derive(GoExe *x) {
        x->cgo = -1;
        if (!x->modinfo)
                return;
        const char *v = go_modinfo_setting(x->modinfo, "CGO_ENABLED");
        if (v)
                x->cgo = strcmp(v, "1") == 0;
        x->goos = go_modinfo_setting(x->modinfo, "GOOS");
        x->goarch = go_modinfo_setting(x->modinfo, "GOARCH");
        x->arch_level_key = arch_level_key(x->goarch);
        if (x->arch_level_key)
                x->arch_level = go_modinfo_setting(x->modinfo, x->arch_level_key);
        x->buildmode = go_modinfo_setting(x->modinfo, "-buildmode");
}

const char *go_exe_error_to_string(int error) {
        switch (error) {
        case -ENOEXEC: return "not an ELF file";
        case -EBADMSG: return "corrupt ELF headers";
        case -EBADFD: return "not a regular file";
        case -E2BIG: return "headers exceed size limits";
        default: return elf_budget_error_to_string(error);
        }
}

int go_exe_inspect_fd(int fd, GoExeFlags flags, const ElfBudget *budget, GoExe **ret) {
        _cleanup_(elf_file_freep) ElfFile *f = NULL;
        _cleanup_(go_exe_freep) GoExe *x = NULL;
        const char *reason = NULL;
        int r;

        r = elf_file_open(fd, budget, &f);
        if (r < 0)
                return r;
        x = calloc(1, sizeof *x);
        if (!x)
                return -ENOMEM;
        x->cgo = -1;
        x->signal_notify = x->signal_ignore = -1;

        r = elf_facts_read(f, ELF_FACTS_GO_MARKERS, &x->elf);
        if (r < 0)
                return r;
        if (x->elf.go_build_id)
                x->evidence |= GO_EVIDENCE_BUILDID_NOTE;
        if (x->elf.pclntab_magic)
                x->evidence |= GO_EVIDENCE_PCLNTAB;
        if (x->elf.has_go_sections)
                x->evidence |= GO_EVIDENCE_GO_SECTIONS;

        /* With section headers and not a trace of Go in them, skip the segment scan: it is the
         * expensive part for large C programs, and no Go linker output looks like that. */
        if (!f->has_sections || x->evidence != 0) {
                r = go_buildinfo_read(f, &x->buildinfo, &reason);
                if (r >= 0) {
                        x->have_buildinfo = true;
                        x->evidence |=
                                x->buildinfo.version ? GO_EVIDENCE_BUILDINFO : GO_EVIDENCE_MODINFO_SENTINELS;
                } else if (r != -ENOMSG)
                        return r;
        } else
                reason = "no Go build information, build ID note or pclntab";

        if (x->evidence == 0 && f->has_sections) {
                ElfFacts sym = {};
                r = elf_facts_read(f, ELF_FACTS_SYMBOLS, &sym);
                if (r >= 0 && sym.has_runtime_symbols)
                        x->evidence |= GO_EVIDENCE_RUNTIME_SYMBOLS;
                elf_facts_done(&sym);
        }

        x->is_go = (x->evidence & ~(unsigned) GO_EVIDENCE_GO_SECTIONS) != 0;
        if (!x->is_go)
                x->not_go_reason = reason ?: "no Go build information";

        if (x->have_buildinfo && x->buildinfo.modinfo_len > 0) {
                GoModInfoError e = {};
                r = go_modinfo_parse(x->buildinfo.modinfo, x->buildinfo.modinfo_len, &x->modinfo, &e);
                if (r == -EBADMSG) {
                        if (asprintf(&x->modinfo_error, "could not parse Go build info: line %zu: %s",
                                     e.line, e.reason) < 0)
                                return -ENOMEM;
                } else if (r == -E2BIG) {
                        x->modinfo_error = strdup("Go build info too large");
                        if (!x->modinfo_error)
                                return -ENOMEM;
                } else if (r < 0)
                        return r;
        } else if (x->have_buildinfo) {
                /* GOPATH-mode builds carry a version and no module information. */
                r = go_modinfo_parse("", 0, &x->modinfo, NULL);
                if (r < 0)
                        return r;
        }

        if (x->is_go || (flags & GO_EXE_ALL_FACTS)) {
                ElfFacts dyn;
                r = elf_facts_read(f, ELF_FACTS_DYNAMIC, &dyn);
                if (r >= 0) {
                        x->elf.kind = dyn.kind;
                        x->elf.dynamic = dyn.dynamic;
                        x->elf.interpreter = TAKE_PTR(dyn.interpreter);
                        x->elf.needed = TAKE_PTR(dyn.needed);
                        x->elf.n_needed = dyn.n_needed;
                        dyn.n_needed = 0;
                        x->elf.rpath = TAKE_PTR(dyn.rpath);
                        x->elf.runpath = TAKE_PTR(dyn.runpath);
                        x->elf.soname = TAKE_PTR(dyn.soname);
                        x->elf.glibc_version = TAKE_PTR(dyn.glibc_version);
                        x->have_elf_facts = true;
                        elf_facts_done(&dyn);
                } else if (r == -ENOMEM)
                        return r;
        }

        if (x->is_go) {
                /* Whether the program can catch signals: what a stop timeout means depends on it. */
                static const char *const signal_functions[] = { "os/signal.Notify", "os/signal.Ignore" };
                bool found[ELEMENTSOF(signal_functions)];
                r = go_funcnames_find(f, signal_functions, ELEMENTSOF(signal_functions), found);
                if (r >= 0) {
                        x->signal_notify = found[0];
                        x->signal_ignore = found[1];
                } else if (r == -ENOMEM)
                        return r;
        }

        /* Whatever swallowed a read that ran out of budget, the answer is "could not tell". */
        if (f->budget_error < 0)
                return f->budget_error;
        derive(x);
        *ret = TAKE_PTR(x);
        return 0;
}

const char *go_exe_signal_handling(const GoExe *x) {
        if (x->signal_notify < 0 || x->signal_ignore < 0)
                return NULL;
        return x->signal_notify && x->signal_ignore ? "notify+ignore"
               : x->signal_notify                   ? "notify"
               : x->signal_ignore                   ? "ignore"
                                                    : "none";
}

void go_exe_format_modinfo(const GoExe *x, StrBuf *out) {
        if (!x->modinfo)
                return;
        StrBuf b = {};
        go_modinfo_format(x->modinfo, &b);
        if (strbuf_error(&b) < 0) {
                out->failed = true;
                strbuf_done(&b);
                return;
        }
        const char *p = b.data;
        while (p && *p) {
                const char *nl = strchr(p, '\n');
                size_t n = nl ? (size_t) (nl - p) : strlen(p);
                strbuf_append_char(out, '\t');
                strbuf_append_n(out, p, n);
                strbuf_append_char(out, '\n');
                p = nl ? nl + 1 : p + n;
        }
        strbuf_done(&b);
}
