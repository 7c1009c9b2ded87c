/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* goguardctl ack and dismiss: an operator's action on a finding, over the bus. */
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "bus-print.h"
#include "finding-print.h"
#include "format.h"
#include "goguardctl.h"

#define PKTTYAGENT       "/usr/bin/pkttyagent"
#define AGENT_WAIT_MSEC  10000
#define INTERACTIVE_USEC (UINT64_C(300) * USEC_PER_SEC) /* a human types a password */

/* A polkit agent on our terminal, as systemctl starts one, so that an administrator can type a
 * password when polkit asks for it. Returns its pid, or 0 when there is none to start. */
static pid_t polkit_agent_open(void) {
        int fds[2];

        if (!isatty(STDIN_FILENO) || geteuid() == 0 || access(PKTTYAGENT, X_OK) < 0)
                return 0;
        if (pipe2(fds, O_CLOEXEC) < 0)
                return 0;
        pid_t pid = fork();
        if (pid < 0) {
                close(fds[0]);
                close(fds[1]);
                return 0;
        }
        if (pid == 0) {
                /* pkttyagent registers for its parent process and closes the fd when ready. */
                int fd = fds[1] == 3 ? 3 : dup2(fds[1], 3);
                if (fd < 0 || fcntl(3, F_SETFD, 0) < 0)
                        _exit(127);
                execl(PKTTYAGENT, PKTTYAGENT, "--notify-fd", "3", "--fallback", (char *) NULL);
                _exit(127);
        }
        close(fds[1]);
        struct pollfd p = { .fd = fds[0], .events = POLLIN };
        (void) poll(&p, 1, AGENT_WAIT_MSEC);
        close(fds[0]);
        return pid;
}

static void polkit_agent_close(pid_t pid) {
        if (pid <= 0)
                return;
        (void) kill(pid, SIGTERM);
        while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
                ;
}

static int finding_action(int argc, char *argv[], const char *verb, const char *method,
                          const char *done_state, void (*help)(void)) {
        _cleanup_(sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL, *reply = NULL;
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_free_ char *id = NULL;
        int r;

        r = parse_verb_options(argc, argv, help);
        if (r >= 0)
                return r;
        if (argc - optind != 1) {
                fprintf(stderr, "goguardctl %s: exactly one finding ID is required\n", verb);
                return EXIT_USAGE;
        }
        if (bus_connect_system(&bus) < 0)
                return EXIT_FAILED;
        r = resolve_finding_id(bus, verb, argv[optind], &id);
        if (r >= 0)
                return r;

        bool interactive = isatty(STDIN_FILENO);
        r = sd_bus_message_new_method_call(bus, &m, GOGUARD_BUS_NAME, GOGUARD_MANAGER_PATH,
                                           GOGUARD_MANAGER_IFACE, method);
        if (r >= 0)
                r = sd_bus_message_set_auto_start(m, true);
        if (r >= 0)
                r = sd_bus_message_set_allow_interactive_authorization(m, interactive);
        if (r >= 0)
                r = sd_bus_message_append(m, "s", id);
        if (r < 0) {
                fprintf(stderr, "goguardctl: %s\n", strerror(-r));
                return EXIT_FAILED;
        }
        pid_t agent = interactive ? polkit_agent_open() : 0;
        /* With a password to type, the default 25 s are too short. */
        r = sd_bus_call(bus, m, interactive ? INTERACTIVE_USEC : 0, &error, &reply);
        polkit_agent_close(agent);
        if (r < 0) {
                char what[64];
                snprintf(what, sizeof what, "%s finding %s", strcmp(verb, "ack") == 0 ? "acknowledge" : verb,
                         id);
                /* Acknowledging a resolved finding: not a usage error. */
                if (bus_error_is_goguard(&error, "InvalidArgument")) {
                        fprintf(stderr, "Failed to %s: %s\n", what, error.message ?: error.name);
                        return EXIT_FAILED;
                }
                return findings_call_failed(bus, what, &error, r, id);
        }
        if (arg_json)
                printf("{\n  \"id\": \"%s\",\n  \"state\": \"%s\"\n}\n", id, done_state);
        return fflush(stdout) == 0 ? EXIT_OK : EXIT_FAILED;
}

static void ack_help(void) {
        printf("goguardctl ack ID\n\n"
               "Acknowledge a finding: mark it as seen. It stays listed and keeps counting repeats.\n"
               "ID is a finding id or a unique prefix of at least %d hex digits. Needs root or the\n"
               "polkit action " MANAGE_ACTION "\n"
               "(asked for interactively on a terminal).\n",
               FINDING_PREFIX_MIN);
}

static void dismiss_help(void) {
        printf("goguardctl dismiss ID\n\n"
               "Dismiss a finding: resolve it by hand. A new occurrence opens a new finding.\n"
               "ID is a finding id or a unique prefix of at least %d hex digits. Needs root or the\n"
               "polkit action " MANAGE_ACTION "\n"
               "(asked for interactively on a terminal).\n",
               FINDING_PREFIX_MIN);
}

int verb_ack(int argc, char *argv[]) {
        return finding_action(argc, argv, "ack", "AcknowledgeFinding", "acknowledged", ack_help);
}

int verb_dismiss(int argc, char *argv[]) {
        return finding_action(argc, argv, "dismiss", "DismissFinding", "resolved", dismiss_help);
}
