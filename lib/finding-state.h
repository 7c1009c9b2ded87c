/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stddef.h>

#include "finding.h"
#include "strbuf.h"

/* The findings state file: a versioned, line-based text format (docs/findings.md), strict to
 * read. Written whole and replaced atomically by the daemon. */

#define FINDING_STATE_SIZE_MAX (64u * 1024u * 1024u)
#define FINDING_STATE_LINE_MAX (64u * 1024u)

void finding_state_write(const FindingStore *store, StrBuf *out);
/* Loads findings into an empty store. -EBADMSG (with *ret_line) for anything malformed; the
 * store is then left empty: a half-read state is worse than none. */
int finding_state_read(const char *text, size_t size, FindingStore *store, size_t *ret_line);
