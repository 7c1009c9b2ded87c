/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* One line of /proc/PID/maps (fs/proc/task_mmu.c show_map_vma(): "START-END PERMS OFFSET DEV
 * INODE PATH"), without its newline: 1 with the range set when it is a shared read-only mapping
 * of a journal file (PATH under a journal directory, named *.journal or *.journal~, " (deleted)"
 * after it once vacuumed), 0 when it is another mapping, -EBADMSG when it does not parse. */
int proc_maps_journal_mapping(const char *line, size_t len, uint64_t *ret_start, uint64_t *ret_end);
