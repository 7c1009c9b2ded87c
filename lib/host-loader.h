/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "host-facts.h"

/* Pure parts of reading the loader's host facts, exposed for the tests and the fuzz target. */

/* The newest "GLIBC_x.y[.z]" version name in a libc image (its .gnu.version_d names, found as
 * NUL-delimited strings) into ret_version, and the release its "release version x.y" banner
 * names into ret_release; each NULL when absent. */
int glibc_scan(const void *buf, size_t size, char **ret_version, char **ret_release);
/* glibc_scan() over a whole libc.so.6 open at fd (at most 32 MiB): a RootDirectory='s own. */
int glibc_read_fd(int fd, char **ret_version, char **ret_release);
/* One binfmt_misc handler file's text; -ENOENT when it is disabled, -EBADMSG when unreadable. */
int binfmt_parse(const char *name, const char *text, HostBinfmt *ret);
void binfmt_done(HostBinfmt *b);
/* One line of a binfmt.d file (what is written to /proc/sys/fs/binfmt_misc/register); -ENOENT
 * for a comment or an empty line, -EBADMSG for an extension handler or garbage. */
int binfmt_parse_register(const char *line, HostBinfmt *ret);
/* Whether an enabled handler matches an ELF binary of this class, byte order, type and machine
 * (the first 20 bytes of its header, which is what qemu-user's handlers match). */
const HostBinfmt *binfmt_match(const HostBinfmt *b, size_t n, uint8_t elf_class, bool big_endian,
                               uint16_t e_type, uint16_t machine);
/* Appends the lines of an ld.so.conf text to *lines, in order: directories, and "include PATTERN"
 * (whitespace made one space); comments, "hwcap" lines and "=TYPE" suffixes dropped. */
int ld_so_conf_parse(const char *text, char ***lines);
/* The ELF machine, class and byte order of a uname -m string; 0 when not known. */
uint16_t machine_from_uname(const char *m, uint8_t *ret_class, bool *ret_big_endian);
/* The Debian multiarch triplet of a machine ("x86_64-linux-gnu"), or NULL. */
const char *multiarch_triplet(uint16_t machine, uint8_t elf_class, bool big_endian);
