/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stddef.h>

/* systemd's EnvironmentFile= syntax: KEY=VALUE lines; blank lines and lines starting with # or ;
 * are comments; values may be in single quotes (literal) or double quotes (\ escapes); a
 * backslash at the end of a line continues it; "export " before a key is allowed. Returns a strv
 * of "KEY=VALUE"; -E2BIG beyond the caps (a huge file is refused whole, not read in part),
 * -EBADMSG for an unterminated quote. Lines that are not assignments are skipped, as systemd
 * skips them. */

#define ENV_FILE_SIZE_MAX (1024u * 1024u)
#define ENV_FILE_VARS_MAX 4096u

int env_file_parse(const char *text, size_t size, char ***ret);
