/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "format-number.h"
#include "strbuf.h"

#define ANSI_GREEN  "\x1b[0;1;32m"
#define ANSI_RED    "\x1b[0;1;31m"
#define ANSI_YELLOW "\x1b[0;1;33m"
#define ANSI_NORMAL "\x1b[0m"

/* Pure formatting of the values goguardd reports, for goguardctl's human output. No bus, no
 * terminal, no clock: the current time is a parameter. Every function writes into the caller's
 * buffer (at least the size given by the matching _MAX; truncated, never overrun, when smaller)
 * and returns it. UINT64_MAX means "infinity", as systemd reports it. The numbers alone (sizes,
 * time spans) are lib/format-number.h's, shared with goguardd. */

#define FORMAT_TIMESTAMP_MAX 64
/* A µs-since-epoch timestamp in local time, "Sat 2025-11-22 02:32:10 UTC"; "n/a" for 0 and
 * UINT64_MAX and for times localtime cannot represent. */
const char *format_timestamp(char *buf, size_t size, uint64_t usec);

#define FORMAT_TIMESTAMP_RELATIVE_MAX 64
/* How long before (or after) now: "5min ago", "1h 3min ago", "2 days ago", "3s left", "now";
 * "n/a" for 0 and UINT64_MAX. Two units at most, like systemd. */
const char *format_timestamp_relative(char *buf, size_t size, uint64_t usec, uint64_t now);

/* s made safe to print on a terminal: control characters (C0, DEL, C1) and invalid UTF-8 bytes
 * become \xNN; everything else, a backslash included, stays as it is. */
void format_append_printable(StrBuf *b, const char *s);
/* The same as a new string. Returns 0 or -ENOMEM. */
int format_printable(const char *s, char **ret);

/* The number of columns s takes when printed: one per code point (goguardctl's cells are names,
 * versions and states, not wide CJK text). */
size_t format_width(const char *s);

/* Renders a table: the headers, then n_rows rows of cells (row-major, n_cols each, already made
 * printable), each column as wide as its widest cell, two spaces apart, the last column not
 * padded. Column right_col (SIZE_MAX: none) is right-aligned; colors[row] (NULL: none), when
 * given, wraps that row's cell in column color_col. */
void format_table(StrBuf *out, const char *const *headers, size_t n_cols, char *const *cells, size_t n_rows,
                  size_t right_col, size_t color_col, const char *const *colors);
