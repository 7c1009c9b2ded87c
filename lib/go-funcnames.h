/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "elf-file.h"

/* Whether functions are in a Go binary, by name, from its pclntab's function-name table. Go keeps
 * that table in every binary, stripped (-ldflags=-s -w) or not, and the standard library's
 * functions are there too, which the build info does not list. Inlined functions are there as
 * well (the inline tree names them). */

#define GO_FUNCNAME_MAX         64u /* the longest name looked for */
/* The most of the table searched: the go command's (a 15 MB binary) is under 2 MB. */
#define GO_FUNCNAMES_SEARCH_MAX (32u * 1024u * 1024u)

/* For each of the n names (at most GO_FUNCNAME_MAX bytes each), ret_found[i] says whether a
 * function of exactly that name is there (before Go 1.16, whose names lie among other data: a
 * name that ends the same way counts too). 0 when the table was searched; -ENOENT without a
 * .gopclntab section (no section headers) or one of a format not known; -EBADMSG when its header
 * points outside it; -E2BIG when the table is larger than GO_FUNCNAMES_SEARCH_MAX; -EDQUOT/-ETIME
 * when the read budget ran out; -errno for I/O. ret_found is written only on success. */
int go_funcnames_find(ElfFile *f, const char *const *names, size_t n, bool *ret_found);
