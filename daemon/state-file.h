/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stddef.h>

/* Replaces dir/name with data atomically and durably: a temporary file in the same directory,
 * fsync, rename over the old one, fsync of the directory. A crash at any point leaves either
 * the old file or the new one, never a mix. */
int state_file_write(const char *dir, const char *name, const void *data, size_t size);
/* Reads a regular file whole, at most max bytes (-E2BIG beyond, -EBADFD if not a regular file);
 * open_flags are added to O_RDONLY|O_CLOEXEC|O_NOCTTY|O_NONBLOCK. */
int read_file_capped(const char *path, int open_flags, size_t max, char **ret, size_t *ret_size);
/* Reads a file whose size stat() does not tell (/proc, /sys): up to max bytes, the rest left
 * unread (a bounded view). */
int read_virtual_file(const char *path, size_t max, char **ret, size_t *ret_len);
/* Reads dir/name whole, at most max bytes (-E2BIG beyond); -ENOENT if there is none. */
int state_file_read(const char *dir, const char *name, size_t max, char **ret, size_t *ret_size);
/* Moves a corrupt dir/name aside as name.corrupt-<µs> so the evidence is kept. */
int state_file_move_aside(const char *dir, const char *name, char **ret_new_name);
/* Removes dir/name; 0 if there was none. */
int state_file_remove(const char *dir, const char *name);
