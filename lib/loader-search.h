/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>

#include "elf-facts.h"
#include "host-facts.h"
#include "strbuf.h"
#include "unit-view.h"

/* The file system as a unit sees it (the host's root, or its RootDirectory= under it), and the
 * dynamic loader's search for a DT_NEEDED library in it: DT_RPATH (when there is no DT_RUNPATH),
 * LD_LIBRARY_PATH, DT_RUNPATH (with $ORIGIN, $LIB, $PLATFORM), the loader cache, the default
 * directories of the binary's class and machine. Paths resolve inside the view (absolute
 * symlinks too), as they do for the process. */

typedef struct LoaderView {
        const HostFacts *h;
        int root_fd;
        char *root;    /* the view's root on this host */
        bool own_root; /* RootDirectory=: its own cache, not the host's */
        LdSoCache cache;
        int cache_error;
        /* Files tried so far: a hostile binary (thousands of DT_NEEDED, long RUNPATHs) must not
         * make a check open files without end. */
        unsigned probes;
        /* BindPaths= and BindReadOnlyPaths= (a path under a destination is its source's on the
         * host) and TemporaryFileSystem= (a path under it is not there); not owned. */
        UnitView view;
        int host_root_fd;
} LoaderView;

#define LOADER_PROBES_MAX 2048u

/* root_directory: the unit's RootDirectory=, or NULL. -errno when that does not exist. */
int loader_view_init(LoaderView *v, const HostFacts *h, const char *root_directory);
/* The view at a path of this host, a root of its own: a running process's /proc/PID/root. */
int loader_view_init_at(LoaderView *v, const HostFacts *h, const char *path);
void loader_view_done(LoaderView *v);
/* The unit's BindPaths=, BindReadOnlyPaths= and TemporaryFileSystem= as UnitSettings keeps them;
 * they must outlive v. */
int loader_view_set_binds(LoaderView *v, char *const *bind_paths, char *const *bind_read_only_paths);
void loader_view_set_tmpfs(LoaderView *v, char *const *tmpfs);
/* How long a prefix of path the directory dir is, component-wise ("-" and "+" marks before dir
 * skipped); 0 when it is none. */
size_t loader_path_prefix_len(const char *dir, const char *path);
const LdSoCache *loader_view_cache(const LoaderView *v);
/* open() inside the view (O_CLOEXEC added). */
int loader_view_open(const LoaderView *v, const char *path, int flags);
int loader_view_stat(const LoaderView *v, const char *path, struct stat *ret);
/* 1 when path is an ELF file of this class, byte order and machine, 0 when it is another file,
 * -errno when it cannot be opened. */
int loader_view_elf_matches(const LoaderView *v, const char *path, uint8_t elf_class, bool big_endian,
                            uint16_t machine);

/* $ORIGIN/${ORIGIN}, $LIB, $PLATFORM in one RPATH/RUNPATH element; -EINVAL for an unknown one
 * or an element that is not absolute after expansion (the loader ignores both). */
int loader_expand(const char *element, const char *origin, const char *lib, const char *platform,
                  char **ret);
/* What $LIB and $PLATFORM stand for for this binary on this root. */
const char *loader_lib_dir(const LoaderView *v, const ElfFacts *e, char *buf, size_t size);
const char *loader_platform(uint16_t machine, uint8_t elf_class);

/* Resolves name for the binary e at exe_path (as the unit sees it) with the unit's
 * LD_LIBRARY_PATH (or NULL): 1 with *ret_path when found, 0 when not found, -E2BIG when the view
 * tried LOADER_PROBES_MAX files already (nothing said then). tried gets where it looked,
 * ", "-separated ("RUNPATH /opt/x/lib, ld.so.cache, /lib/x86_64-linux-gnu"). */
int loader_resolve(LoaderView *v, const ElfFacts *e, const char *exe_path, const char *ld_library_path,
                   const char *name, char **ret_path, StrBuf *tried);
/* The directories ld.so.conf names where name exists (of the binary's kind) while the cache does
 * not know it: ldconfig was not run. The first such path, or NULL. */
char *loader_find_uncached(LoaderView *v, const ElfFacts *e, const char *name);
