/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "config.h"
#include "goguardctl.h"

bool arg_json = false;
bool arg_no_pager = false;

static void help(void) {
        printf("goguardctl [OPTIONS...] COMMAND ...\n\n"
               "Inspect Go executables and query goguardd.\n\n"
               "Commands:\n"
               "  status            Show whether goguardd runs, and the Go units it watches\n"
               "  show UNIT         Show everything goguardd knows about one Go unit\n"
               "  findings [UNIT] [--class=C] [--severity=S] [--state=S] [--since=TIME]\n"
               "                    List findings (open and acknowledged ones by default)\n"
               "  explain ID        Explain one finding, with the advice and drop-ins to apply\n"
               "  watch             Print findings as they are added, updated and resolved\n"
               "  ack ID            Acknowledge a finding (privileged)\n"
               "  dismiss ID        Dismiss (resolve) a finding (privileged)\n"
               "  analyze --file=PATH... | --directory=DIR\n"
               "                    Find what goguardd would find in journal files (offline)\n"
               "  inspect [--deps] [--modinfo] PATH...\n"
               "                    Show what a Go executable says about itself (offline)\n\n"
               "Options:\n"
               "  -h --help         Show this help\n"
               "     --version      Show package version\n"
               "     --json         Print JSON\n"
               "     --no-pager     Accepted for systemctl compatibility (goguardctl never pages)\n\n"
               "Exit status: 0 ok, 1 failure, 2 usage, 3 goguardd not running, 4 no such unit or\n"
               "finding.\n"
               "See the goguardctl(1) man page for details.\n");
}

static int parse_bool(const char *s) {
        static const char *const yes[] = { "1", "yes", "y", "true", "t", "on", "16", "256", "24bit" };
        static const char *const no[] = { "0", "no", "n", "false", "f", "off" };
        for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
                if (strcasecmp(s, yes[i]) == 0)
                        return 1;
        for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
                if (strcasecmp(s, no[i]) == 0)
                        return 0;
        return -EINVAL;
}

bool colors_enabled(void) {
        static int cached = -1;
        if (cached >= 0)
                return cached;

        const char *term = getenv("TERM");
        const char *sc = getenv("SYSTEMD_COLORS");
        const char *nc = getenv("NO_COLOR");
        int b = sc ? parse_bool(sc) : -EINVAL;
        if (b >= 0) /* systemd's switch, both ways: SYSTEMD_COLORS=1 colours a pipe too */
                cached = b;
        else if (nc && *nc) /* https://no-color.org */
                cached = 0;
        else
                cached = isatty(STDOUT_FILENO) && !(term && strcmp(term, "dumb") == 0);
        return cached;
}

int main(int argc, char *argv[]) {
        static const struct {
                const char *name;
                int (*run)(int argc, char *argv[]);
        } verbs[] = {
                { "status", verb_status },   { "show", verb_show },       { "findings", verb_findings },
                { "explain", verb_explain }, { "watch", verb_watch },     { "ack", verb_ack },
                { "dismiss", verb_dismiss }, { "analyze", verb_analyze }, { "inspect", verb_inspect },
        };
        int verb = 0, n = 1;

        /* Global options may come before or after the verb: take them out wherever they are, up
         * to a "--". -h/--help after the verb is the verb's own; unknown options after the verb
         * are the verb's to reject. */
        for (int i = 1; i < argc; i++) {
                const char *a = argv[i];
                bool dashdash = strcmp(a, "--") == 0;
                if (dashdash && verb > 0) {
                        while (i < argc)
                                argv[n++] = argv[i++];
                        break;
                }
                if (strcmp(a, "--json") == 0) {
                        arg_json = true;
                        continue;
                }
                if (strcmp(a, "--no-pager") == 0) {
                        arg_no_pager = true;
                        continue;
                }
                if (strcmp(a, "--version") == 0) {
                        /* and the optional libraries, as systemd's tools list theirs */
                        printf("goguardctl %s\n%caudit %capparmor %cselinux %czlib\n", PACKAGE_VERSION,
                               GOGUARD_HAVE_AUPARSE ? '+' : '-', GOGUARD_HAVE_LIBAPPARMOR ? '+' : '-',
                               GOGUARD_HAVE_LIBSELINUX ? '+' : '-', HAVE_ZLIB ? '+' : '-');
                        return EXIT_OK;
                }
                if (verb == 0) {
                        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
                                help();
                                return EXIT_OK;
                        }
                        if (dashdash)
                                continue; /* "goguardctl -- status" */
                        if (a[0] == '-') {
                                fprintf(stderr, "goguardctl: unknown option '%s'; see --help\n", a);
                                return EXIT_USAGE;
                        }
                        verb = n;
                }
                argv[n++] = argv[i];
        }
        argv[n] = NULL;

        if (verb == 0) {
                fprintf(stderr, "goguardctl: a command is required; see --help\n");
                return EXIT_USAGE;
        }
        for (size_t v = 0; v < sizeof verbs / sizeof verbs[0]; v++)
                if (strcmp(argv[verb], verbs[v].name) == 0)
                        return verbs[v].run(n - verb, argv + verb);
        fprintf(stderr, "goguardctl: unknown command '%s'; see --help\n", argv[verb]);
        return EXIT_USAGE;
}
