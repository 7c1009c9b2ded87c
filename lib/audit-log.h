/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "strbuf.h"

/* One line of a log that holds audit records, as `goguardctl analyze --audit-log` reads them:
 * raw audit.log ("[node=N ]type=NAME msg=audit(...)"), an audisp/syslog line with such a record
 * after its prefix, the kernel's "audit: type=N audit(...)" in dmesg or syslog, and the
 * journal's header-less forms ("audit[PID]: AVC avc: ...", journald's MESSAGE "AVC ..."), which
 * get the header audit(synth_sec.000:synth_serial) — a time and a serial of the reader's own (the
 * file's modification time and line number: their copies cannot be recognised as the same
 * record). Pure. */

/* The line as a record in raw form: *ret points into line (raw already) or into scratch.
 * 1 when it is one, 0 when not, -ENOMEM. */
int audit_log_line(const char *line, size_t len, uint64_t synth_sec, uint64_t synth_serial, StrBuf *scratch,
                   const char **ret, size_t *ret_len);
/* The length of the next logical line at buf (up to len), joining the physical lines that
 * continue it (starting with a space or tab: a record wrapped across lines). *ret_next: where
 * the following one starts. */
size_t audit_log_next_line(const char *buf, size_t len, size_t *ret_next);
