/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The file system as a unit's namespace shows it, beyond its root: TemporaryFileSystem= mounts an
 * empty tmpfs over a path, BindPaths= and BindReadOnlyPaths= put a host path at a destination
 * (also inside such a tmpfs). The loader family (lib/loader-search.c) and the environment family
 * (lib/host-environment.c) resolve the unit's paths through it. */

typedef struct UnitView {
        char *const *tmpfs;    /* TemporaryFileSystem=: "PATH[:OPTIONS]", ... (not owned) */
        char *const *binds[2]; /* BindPaths=, BindReadOnlyPaths=: source, destination, ... */
} UnitView;

typedef enum UnitViewWhere {
        UNIT_VIEW_ROOT,   /* the unit's root holds it, at the same path */
        UNIT_VIEW_BIND,   /* a bind's source on the host: *ret_host_path */
        UNIT_VIEW_HIDDEN, /* a TemporaryFileSystem= covers it: nothing there */
} UnitViewWhere;

/* Where path (absolute, as the unit sees it) comes from; the most specific mount wins, a bind
 * over a tmpfs at the same path too. ret_host_path (may be NULL) gets the host path for
 * UNIT_VIEW_BIND. Returns a UnitViewWhere or -errno (-EINVAL: a relative path or source). */
int unit_view_resolve(const UnitView *v, const char *path, char **ret_host_path);
/* The TemporaryFileSystem= entry covering path (the mount point itself too), for evidence, or
 * NULL. */
const char *unit_view_tmpfs_of(const UnitView *v, const char *path);
