/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>

/* Exit codes shared by every verb, systemctl-style (LSB "status" codes for 3 and 4). */
enum {
        EXIT_OK = 0,
        EXIT_SOME_NOT_GO = 1,  /* inspect: a path was not a Go binary */
        EXIT_FAILED = 1,       /* status, show: any other failure (no bus, access denied, ...) */
        EXIT_USAGE = 2,        /* bad arguments, or a path that could not be read */
        EXIT_NOT_RUNNING = 3,  /* goguardd is not running (and, for show, could not be started) */
        EXIT_NO_SUCH_UNIT = 4, /* show: the unit is not a watched Go unit */
};

/* Global options, parsed by main() wherever they appear on the command line. */
extern bool arg_json;
extern bool arg_no_pager;

/* Whether to colour standard output: only on a terminal, unless $NO_COLOR or $SYSTEMD_COLORS
 * say otherwise. */
bool colors_enabled(void);

int verb_inspect(int argc, char *argv[]);
int verb_status(int argc, char *argv[]);
int verb_show(int argc, char *argv[]);
