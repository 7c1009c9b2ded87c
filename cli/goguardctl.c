/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "goguardctl.h"

static void help(void) {
        printf("goguardctl [OPTIONS...] COMMAND ...\n\n"
               "Inspect Go executables and query goguardd.\n\n"
               "Commands:\n"
               "  inspect [--json] [--deps] [--modinfo] PATH...\n"
               "                    Show what a Go executable says about itself\n\n"
               "Options:\n"
               "  -h --help         Show this help\n"
               "     --version      Show package version\n\n"
               "See the goguardctl(1) man page for details.\n");
}

int main(int argc, char *argv[]) {
        static const struct {
                const char *name;
                int (*run)(int argc, char *argv[]);
        } verbs[] = {
                { "inspect", verb_inspect },
        };

        /* Global options come before the verb; the verb parses its own. */
        int i = 1;
        for (; i < argc && argv[i][0] == '-'; i++) {
                if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
                        help();
                        return EXIT_OK;
                }
                if (strcmp(argv[i], "--version") == 0) {
                        printf("goguardctl %s\n", PACKAGE_VERSION);
                        return EXIT_OK;
                }
                fprintf(stderr, "goguardctl: unknown option '%s'\n", argv[i]);
                return EXIT_USAGE;
        }
        if (i >= argc) {
                fprintf(stderr, "goguardctl: a command is required; see --help\n");
                return EXIT_USAGE;
        }
        for (size_t v = 0; v < sizeof verbs / sizeof verbs[0]; v++)
                if (strcmp(argv[i], verbs[v].name) == 0)
                        return verbs[v].run(argc - i, argv + i);
        fprintf(stderr, "goguardctl: unknown command '%s'; see --help\n", argv[i]);
        return EXIT_USAGE;
}
