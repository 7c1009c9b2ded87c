/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Exit codes shared by every verb, systemctl-style. */
enum {
        EXIT_OK = 0,
        EXIT_SOME_NOT_GO = 1, /* inspect: a path was not a Go binary */
        EXIT_USAGE = 2,       /* bad arguments, or a path that could not be read */
};

int verb_inspect(int argc, char *argv[]);
