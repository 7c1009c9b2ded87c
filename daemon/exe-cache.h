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
        int error; /* < 0 when the file is not ELF or could not be read; exe is NULL then */
        GoExe *exe;
} ExeEntry;

typedef struct ExeCache ExeCache;

int exe_cache_new(ExeCache **ret);
ExeCache *exe_cache_free(ExeCache *c);
DEFINE_TRIVIAL_CLEANUP_FUNC(ExeCache *, exe_cache_free);

/* Inspects an open file, or returns the cached result for the same file identity. With
 * bypass set, inspects again and replaces the cached entry. Returns a new reference. */
int exe_cache_get_fd(ExeCache *c, int fd, bool bypass, ExeEntry **ret);
/* Same for a path, opened without following into FIFOs or devices. */
int exe_cache_get_path(ExeCache *c, const char *path, bool bypass, ExeEntry **ret);
size_t exe_cache_size(const ExeCache *c);

/* The pieces exe-inspector.c uses to inspect off the loop: the identity of an open file, a
 * lookup (a new reference or NULL), dropping an entry, and adding a result (taking the GoExe). */
int exe_cache_key_fd(int fd, char key[static 96]);
ExeEntry *exe_cache_find(ExeCache *c, const char *key);
void exe_cache_forget(ExeCache *c, const char *key);
int exe_cache_insert(ExeCache *c, const char *key, GoExe *exe, int error, ExeEntry **ret);

ExeEntry *exe_entry_ref(ExeEntry *e);
ExeEntry *exe_entry_unref(ExeEntry *e);
static inline bool exe_entry_is_go(const ExeEntry *e) {
        return e && e->exe && e->exe->is_go;
}
