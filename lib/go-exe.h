/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>

#include "elf-facts.h"
#include "go-buildinfo.h"
#include "go-modinfo.h"

/* Everything the binary alone says about a Go executable: the top of lib/'s inspector. */

typedef enum GoEvidence {
        GO_EVIDENCE_BUILDINFO = 1 << 0,
        GO_EVIDENCE_BUILDID_NOTE = 1 << 1,
        GO_EVIDENCE_PCLNTAB = 1 << 2,
        GO_EVIDENCE_RUNTIME_SYMBOLS = 1 << 3,
        GO_EVIDENCE_GO_SECTIONS = 1 << 4,
        GO_EVIDENCE_MODINFO_SENTINELS = 1 << 5,
} GoEvidence;

typedef enum GoExeFlags {
        GO_EXE_ALL_FACTS = 1 << 0, /* ELF facts even when the file turns out not to be Go */
} GoExeFlags;

typedef struct GoExe {
        bool is_go;
        unsigned evidence;         /* GoEvidence bits */
        const char *not_go_reason; /* static string, when !is_go */
        ElfFacts elf;
        bool have_elf_facts; /* dynamic facts were read */

        bool have_buildinfo;
        GoBuildInfoBlob buildinfo;
        GoModInfo *modinfo;  /* NULL when the modinfo text did not parse */
        char *modinfo_error; /* "line N: reason" when it did not */

        /* Derived, NULL/-1 when unknown. */
        int cgo;                                                 /* -1 unknown, 0, 1 */
        const char *goos, *goarch, *arch_level_key, *arch_level; /* point into modinfo */
        const char *buildmode;

        /* Whether os/signal.Notify (signal.Notify, signal.NotifyContext) and os/signal.Ignore are
         * in the binary's function-name table: whether it can catch or ignore SIGTERM. -1 when
         * that could not be read (no section headers, or no pclntab section of its own: a
         * c-shared library an external linker made), 0, 1. */
        int signal_notify, signal_ignore;
} GoExe;

/* 0 with a GoExe for any ELF file (is_go tells), -ENOEXEC for a non-ELF file, -EBADMSG for a
 * corrupt ELF header, -EBADFD for something that is not a regular file, -EDQUOT / -ETIME when
 * the budget ran out before the answer was known (NULL: ELF_BUDGET_BYTES_DEFAULT, no time
 * limit), -errno for I/O. */
int go_exe_inspect_fd(int fd, GoExeFlags flags, const ElfBudget *budget, GoExe **ret);
/* The reason for one of the errors above that is about the file ("not an ELF file", "could not
 * determine: read budget of 128 MiB exhausted", ...), NULL for the others (use strerror()). */
const char *go_exe_error_to_string(int error) _pure_;
GoExe *go_exe_free(GoExe *x);
DEFINE_TRIVIAL_CLEANUP_FUNC(GoExe *, go_exe_free);

/* Lines of `go version -m` for this file, without the "FILE: version" line, each starting with
 * a tab; empty when there is no module information. */
void go_exe_format_modinfo(const GoExe *x, StrBuf *out);
const char *go_evidence_to_string(GoEvidence e) _pure_;
/* The signal_notify and signal_ignore facts in a word: "notify", "ignore", "notify+ignore" or
 * "none"; NULL when not known. */
const char *go_exe_signal_handling(const GoExe *x) _pure_;
