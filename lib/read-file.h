/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stddef.h>

/* The whole of a regular file, read from fd (opened by the caller, with O_NONBLOCK so that a
 * FIFO does not hang it), NUL-terminated: -EISDIR for a directory, -EBADFD for anything else
 * that is not a regular file, -E2BIG beyond max bytes (also when it grows past max while read). */
int read_fd_capped(int fd, size_t max, char **ret, size_t *ret_size);
