/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "macro.h"
#include "unit-file.h"

/* Service units as systemd would load them on a host whose file system is at a root path ("/"
 * for this host, or an image or chroot of another): the unit search path, templates, drop-ins,
 * and the files they name (EnvironmentFile=, the executable) read inside that root, symlinks
 * resolved within it. lib/unit-file.c reads the text. */

/* Where systemd's system manager looks for units, first first (systemd.unit(5), with the
 * distribution's /lib of a split-/usr system). */
extern const char *const unit_search_path[];

typedef struct UnitRoot {
        int fd;     /* O_PATH of the root directory; -EBADF for "/" */
        char *path; /* "/" or the root as given */
} UnitRoot;

int unit_root_open(const char *path, UnitRoot *ret);
void unit_root_done(UnitRoot *r);
/* path (absolute, as the target host sees it) opened inside the root. */
int unit_root_open_path(const UnitRoot *r, const char *path, int flags);
/* The whole file, at most max bytes (-E2BIG beyond), NUL-terminated. */
int unit_root_read_file(const UnitRoot *r, const char *path, size_t max, char **ret, size_t *ret_size);

typedef struct UnitLoad {
        char *name;     /* "foo@bar.service" */
        char *path;     /* the main file read */
        char **dropins; /* the drop-ins read, in the order applied */
        bool masked;    /* linked to /dev/null: nothing to load */
        UnitSettings settings;
        /* "PATH:LINE: ..." for settings skipped as systemd would skip them */
        char **warnings;
} UnitLoad;

void unit_load_done(UnitLoad *u);

/* A unit file given by its path on this host (not under the root), with the drop-ins beside it
 * (FILE.d/ *.conf). ctx supplies the host facts of the specifiers; its unit and path are set
 * here. On -EBADMSG *ret_error says where ("PATH:LINE: malformed section header"). */
int unit_load_file(const char *file, const UnitFileContext *ctx, UnitLoad *ret, char **ret_error);
/* A unit by its name, looked up in unit_search_path under the root: its file (or its template's,
 * foo@.service for foo@bar.service) and its drop-ins from every directory of the path
 * (NAME.d/, TEMPLATE.d/, the dash prefixes' foo-.service.d/, service.d/), same-named ones
 * earlier in the path winning, applied in name order. -ENOENT: no such unit. */
int unit_load_name(const UnitRoot *root, const char *name, const UnitFileContext *ctx, UnitLoad *ret,
                   char **ret_error);

/* The system manager's defaults for every unit: /etc/systemd/system.conf and the drop-ins of
 * system.conf.d/ (in /etc, /run, /usr/local/lib, /lib, /usr/lib) under the root, in its
 * settings (unit_file_parse_manager(); ctx->defaults is not used). */
int unit_load_manager(const UnitRoot *root, const UnitFileContext *ctx, UnitLoad *ret, char **ret_error);

/* The executable ExecStart= names, opened read-only inside the root (and the unit's
 * RootDirectory=): a relative name is looked up in systemd's fixed search path. *ret_path says
 * which file it is, as the target host sees it. -EACCES: no execute bit; -EBADFD: not a regular
 * file; -EOPNOTSUPP: RootImage= (not looked into). */
int unit_load_open_exec(const UnitRoot *root, const UnitSettings *s, char **ret_path);
/* What the EnvironmentFile= files say, read inside the root, in order (each capped, a huge one
 * refused whole). A file that cannot be read is named in *missing ("PATH: reason"); an optional
 * one that does not exist is not. */
int unit_load_env_files(const UnitRoot *root, const UnitSettings *s, char ***ret, char ***missing);
