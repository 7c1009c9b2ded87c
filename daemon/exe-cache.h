/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>

#include "go-exe.h"
#include "macro.h"

/* Inspection results by file identity (device, inode, size, mtime), so a thousand units of one
 * binary cost one parse, and a replaced binary is inspected again. Entries are refcounted; the
 * cache holds one reference and drops unused entries first when it is full. */

#define EXE_CACHE_MAX 4096u

typedef struct ExeEntry {
        char key[96];
        unsigned n_ref;
        int error; /* < 0 when the file is not ELF, could not be read or ran out of its read
                    * budget (go_exe_error_to_string()); exe is NULL then */
        GoExe *exe;
} ExeEntry;

typedef struct ExeCache ExeCache;

int exe_cache_new(ExeCache **ret);
ExeCache *exe_cache_free(ExeCache *c);
DEFINE_TRIVIAL_CLEANUP_FUNC(ExeCache *, exe_cache_free);

size_t exe_cache_size(const ExeCache *c);

/* The cache is filled by exe-inspector.c only, off the loop: nothing here reads a file. The
 * identity of an open file, a lookup (a new reference or NULL), dropping an entry, and adding a
 * result (taking the GoExe). */
int exe_cache_key_fd(int fd, char key[static 96]);
ExeEntry *exe_cache_find(ExeCache *c, const char *key);
void exe_cache_forget(ExeCache *c, const char *key);
int exe_cache_insert(ExeCache *c, const char *key, GoExe *exe, int error, ExeEntry **ret);

ExeEntry *exe_entry_ref(ExeEntry *e);
ExeEntry *exe_entry_unref(ExeEntry *e);
static inline bool exe_entry_is_go(const ExeEntry *e) {
        return e && e->exe && e->exe->is_go;
}
