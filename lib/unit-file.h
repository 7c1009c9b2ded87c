/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "unit-settings.h"

/* A service unit file read the way systemd reads the settings goguard checks, into the same
 * UnitSettings the daemon fills from the bus (`goguardctl check`). The syntax is systemd's
 * (systemd.syntax(7)): [Section] headers, Key=value, '#'/';' comment lines, a trailing backslash
 * continuing a line (comment lines inside a continuation are skipped), specifiers (%n, %i, %h,
 * ...) in the settings that take them, quoting and C escapes in ExecStart=, Environment= and the
 * other lists, `-`/`@`/`+`/`!`/`:` ExecStart= prefixes, `-` on EnvironmentFile=. An empty
 * assignment resets a list (or puts a setting's default back). The main file comes first, then
 * the drop-ins in order, each applied on top with unit_file_parse(). Pure: text in, settings out. */

#define UNIT_FILE_SIZE_MAX     (4u * 1024u * 1024u) /* per file, as systemd refuses larger */
#define UNIT_FILE_WARNINGS_MAX 64u
#define UNIT_FILE_LIST_MAX     1024u /* entries kept per list setting (Environment= ...) */

/* What specifiers resolve to; NULL (0) for what is not known: a setting whose value needs it is
 * ignored with a warning, as systemd ignores one whose specifier fails. */
typedef struct UnitFileContext {
        const char *unit;       /* the unit's name, "foo@bar.service" (%n %N %p %P %i %I %j %J %f) */
        const char *path;       /* the unit's main file (%y %Y); NULL: unknown */
        const char *hostname;   /* %H %l */
        const char *machine_id; /* %m */
        const char *boot_id;    /* %b */
        /* MemoryMax=N% is N% of physical memory; TasksMax=N% of the system's task limit. */
        uint64_t physical_memory;
        uint64_t tasks_max_base;
        /* The manager's Default*= (unit_file_parse_manager()); NULL: systemd's built-in ones. */
        const UnitSettings *defaults;
} UnitFileContext;

/* The settings of a unit no file has touched yet: what systemd reports over the bus for a unit
 * that sets none of them (its built-in defaults: Type=simple, Restart=no, TimeoutStartSec=90s,
 * LimitNOFILE=1024:524288, ...). tasks_max_base as for UnitFileContext (0: TasksMax= stays
 * infinity). */
int unit_file_settings_init(UnitSettings *s, uint64_t tasks_max_base);
/* The same, with ctx->defaults in force where set. */
int unit_file_settings_init_ctx(UnitSettings *s, const UnitFileContext *ctx);
/* Applies one file of the system manager's configuration (system.conf and its drop-ins) on top of
 * defaults: [Manager] DefaultLimitNOFILE=, DefaultLimitNPROC=, DefaultTasksMax=,
 * DefaultTimeoutStartSec=, DefaultTimeoutStopSec=, DefaultRestartSec=,
 * DefaultStartLimitIntervalSec=, DefaultStartLimitBurst=, DefaultOOMPolicy=. Returns as
 * unit_file_parse(). */
int unit_file_parse_manager(UnitSettings *defaults, const UnitFileContext *ctx, const char *text,
                            size_t size, char ***warnings, unsigned *ret_error_line);

/* Applies one file's text (size bytes) on top of s. A value that is not valid is skipped with a
 * warning, as systemd skips it; each warning ("line N: ...") is appended to *warnings (at most
 * UNIT_FILE_WARNINGS_MAX). Returns 0; -EBADMSG for a malformed section header (systemd refuses
 * to load such a unit), with *ret_error_line; -E2BIG over UNIT_FILE_SIZE_MAX; -ENOMEM. */
int unit_file_parse(UnitSettings *s, const UnitFileContext *ctx, const char *text, size_t size,
                    char ***warnings, unsigned *ret_error_line);

/* A command line (ExecStart=, specifiers resolved): the program (the first word with its
 * prefixes taken off) and, when ret_argv is not NULL, its argv as the bus shows it (argv[0] the
 * word after an "@" prefix, or the program as written). -EINVAL when systemd would refuse it. */
int unit_file_exec_command(const char *rvalue, char **ret_path, char ***ret_argv);

/* ---- words, escapes and specifiers (unit-file-value.c) ---- */

/* Takes the next whitespace-separated word off *p, with quotes ('...' and "..." anywhere in the
 * word) removed and, with cunescape, C escapes (\n, \t, \xNN, \NNN, \uNNNN, \s, ...) resolved:
 * systemd's extract_first_word(EXTRACT_UNQUOTE|EXTRACT_CUNESCAPE). 1 with a word, 0 at the end,
 * -EINVAL for an unterminated quote or a bad escape. */
int unit_file_next_word(const char **p, bool cunescape, char **ret);
/* s with its specifiers resolved; -ENOENT for a specifier whose value is unknown, -EBADMSG for
 * an unknown specifier or a lone '%' at the end. */
int unit_file_specifiers(const UnitFileContext *ctx, const char *s, char **ret);
/* A unit name's escaping undone ("\x2d" → "-", "-" → "/" with path), as %I, %P, %f show it. */
int unit_name_unescape_path(const char *s, size_t n, bool path, char **ret);

/* "1024", "1K", "1.5G", "infinity" (UINT64_MAX); base 1024. With percent_base, "N%" of it. */
int unit_file_parse_size(const char *s, uint64_t percent_base, uint64_t *ret);
/* "N" or "N.NN%": -ERANGE outside 0..max_permyriad (in 1/10000). */
int unit_file_parse_permyriad(const char *s, uint64_t *ret);
/* LimitNOFILE=-style: "N", "soft:hard", "infinity". */
int unit_file_parse_rlimit(const char *s, uint64_t *ret_soft, uint64_t *ret_hard);
/* "SIGTERM", "TERM" or "15". */
int unit_file_parse_signal(const char *s, int32_t *ret);
/* A capability name ("cap_net_bind_service", any case): its number, or -EINVAL. */
int unit_file_capability_from_name(const char *s);
