/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <systemd/sd-bus.h>

#include "strbuf.h"

/* Exit codes shared by every verb, systemctl-style (LSB "status" codes for 3 and 4). */
enum {
        EXIT_OK = 0,
        EXIT_SOME_NOT_GO = 1,     /* inspect: a path was not a Go binary */
        EXIT_FAILED = 1,          /* status, show: any other failure (no bus, access denied, ...) */
        EXIT_USAGE = 2,           /* bad arguments, or a path that could not be read */
        EXIT_NOT_RUNNING = 3,     /* goguardd is not running (and, for show, could not be started) */
        EXIT_NO_SUCH_UNIT = 4,    /* show: the unit is not a watched Go unit */
        EXIT_NO_SUCH_FINDING = 4, /* explain, ack, dismiss: no finding has this id (prefix) */
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
int verb_findings(int argc, char *argv[]);
int verb_explain(int argc, char *argv[]);
int verb_watch(int argc, char *argv[]);
int verb_ack(int argc, char *argv[]);
int verb_dismiss(int argc, char *argv[]);
int verb_analyze(int argc, char *argv[]);
int verb_check(int argc, char *argv[]);

/* Helpers shared by the verbs (verb-util.c). */
uint64_t now_realtime(void);
/* Writes the whole buffer to stdout and frees it; returns an exit code. */
int flush_output(StrBuf *out);
/* Parses a verb's options when --help is its only one; returns -1 to go on, or an exit code. */
int parse_verb_options(int argc, char *argv[], void (*help)(void));
/* What the service manager knows about goguardd.service, to say more than "not running". */
void explain_not_running(sd_bus *bus, FILE *f, const sd_bus_error *error);
/* Says on stderr why a call to goguardd failed; returns the exit code (3 not running, 4 no such
 * unit when unit is given, 2 invalid unit name, 1 otherwise). */
int call_failed(sd_bus *bus, const char *what, const sd_bus_error *error, int r, const char *unit);
int reply_malformed(const char *what, int r);
/* A unit name as systemctl takes one: ".service" appended when there is no type suffix.
 * -EINVAL when the result is not a valid unit name. */
int unit_name_mangle(const char *arg, char **ret);
/* The color status and show give a unit's ActiveState, NULL for none. */
const char *active_state_color(const char *state);

/* Helpers shared by the findings verbs (findings.c). */
#define MANAGE_ACTION "org.goguard.goguard1.manage-findings"
/* call_failed() plus the findings' own errors. what: "list findings", ... */
int findings_call_failed(sd_bus *bus, const char *what, const sd_bus_error *error, int r, const char *id);
/* The full id for an id or a unique prefix; returns -1 and *ret_id, or an exit code. */
int resolve_finding_id(sd_bus *bus, const char *verb, const char *arg, char **ret_id);
