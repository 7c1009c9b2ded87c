/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What the verbs share: the clock, the output, options, and saying why a call to goguardd
 * failed. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "bus-print.h"
#include "format.h"
#include "goguardctl.h"
#include "strbuf.h"
#include "unit-name.h"

uint64_t now_realtime(void) {
        struct timespec ts;
        if (clock_gettime(CLOCK_REALTIME, &ts) < 0)
                return 0;
        return (uint64_t) ts.tv_sec * USEC_PER_SEC + (uint64_t) ts.tv_nsec / 1000;
}

const char *active_state_color(const char *state) {
        if (!colors_enabled() || !state)
                return NULL;
        if (strcmp(state, "active") == 0)
                return ANSI_GREEN;
        if (strcmp(state, "failed") == 0)
                return ANSI_RED;
        return NULL;
}

/* Writes the whole buffer to stdout; returns an exit code. */
int flush_output(StrBuf *out) {
        if (strbuf_error(out) < 0) {
                fprintf(stderr, "goguardctl: out of memory\n");
                strbuf_done(out);
                return EXIT_FAILED;
        }
        if (out->len > 0)
                fwrite(out->data, 1, out->len, stdout);
        strbuf_done(out);
        if (fflush(stdout) != 0 || ferror(stdout)) {
                fprintf(stderr, "goguardctl: failed to write output: %s\n", strerror(errno));
                return EXIT_FAILED;
        }
        return EXIT_OK;
}

/* Parses a verb's options (only --help); returns -1 to go on, or an exit code. */
int parse_verb_options(int argc, char *argv[], void (*help)(void)) {
        static const struct option options[] = {
                { "help", no_argument, NULL, 'h' },
                {},
        };
        int c;

        optind = 0;
        while ((c = getopt_long(argc, argv, "+h", options, NULL)) >= 0)
                switch (c) {
                case 'h': help(); return EXIT_OK;
                default: return EXIT_USAGE;
                }
        return -1;
}

/* ---- when goguardd is not there ---- */

/* What the service manager knows about goguardd.service, to say more than "not running".
 * Everything here is best effort: without systemd it says the generic thing. */
void explain_not_running(sd_bus *bus, FILE *f, const sd_bus_error *error) {
        _cleanup_free_ char *load_state = NULL, *active_state = NULL;
        static const char *const unit_path = "/org/freedesktop/systemd1/unit/goguardd_2eservice";

        (void) sd_bus_get_property_string(bus, "org.freedesktop.systemd1", unit_path,
                                          "org.freedesktop.systemd1.Unit", "LoadState", NULL, &load_state);
        (void) sd_bus_get_property_string(bus, "org.freedesktop.systemd1", unit_path,
                                          "org.freedesktop.systemd1.Unit", "ActiveState", NULL,
                                          &active_state);

        if (load_state && strcmp(load_state, "not-found") == 0) {
                fprintf(f,
                        "goguardd is not running: %s is not installed on this host.\n"
                        "Install goguard (see goguardd(8)), then start it with: "
                        "systemctl enable --now %s\n",
                        GOGUARD_SERVICE_UNIT, GOGUARD_SERVICE_UNIT);
                return;
        }
        if (load_state && strcmp(load_state, "masked") == 0) {
                fprintf(f,
                        "goguardd is not running: %s is masked.\n"
                        "Unmask and start it with: systemctl unmask %s && systemctl enable --now %s\n",
                        GOGUARD_SERVICE_UNIT, GOGUARD_SERVICE_UNIT, GOGUARD_SERVICE_UNIT);
                return;
        }
        if (active_state &&
            (strcmp(active_state, "activating") == 0 || strcmp(active_state, "reloading") == 0)) {
                fprintf(f, "goguardd is starting up; try again in a moment.\n");
                return;
        }
        if (active_state && strcmp(active_state, "deactivating") == 0) {
                fprintf(f,
                        "goguardd is stopping.\n"
                        "Start it again with: systemctl start %s\n",
                        GOGUARD_SERVICE_UNIT);
                return;
        }

        /* A failed on-demand start says why; "no owner"/"not activatable" adds nothing. */
        bool activation_failed = error && !sd_bus_error_has_name(error, SD_BUS_ERROR_NAME_HAS_NO_OWNER) &&
                                 !sd_bus_error_has_name(error, SD_BUS_ERROR_SERVICE_UNKNOWN);
        if (activation_failed)
                fprintf(f, "goguardd is not running, and starting it on demand failed: %s\n",
                        error->message ?: error->name);
        else
                fprintf(f, "goguardd is not running.\n");
        if (active_state && strcmp(active_state, "failed") == 0)
                fprintf(f,
                        "%s has failed; see why with: journalctl -u %s\n"
                        "Start it again with: systemctl restart %s\n",
                        GOGUARD_SERVICE_UNIT, GOGUARD_SERVICE_UNIT, GOGUARD_SERVICE_UNIT);
        else
                fprintf(f, "Start it with: systemctl start %s (or enable it: systemctl enable --now %s)\n",
                        GOGUARD_SERVICE_UNIT, GOGUARD_SERVICE_UNIT);
}

/* Says on stderr why a call to goguardd failed; returns the exit code. unit: the unit asked
 * about, or NULL. */
int call_failed(sd_bus *bus, const char *what, const sd_bus_error *error, int r, const char *unit) {
        if (bus_error_is_not_running(error)) {
                explain_not_running(bus, stderr, error);
                return EXIT_NOT_RUNNING;
        }
        /* The object can vanish between GetUnit and GetAll: the unit is gone. */
        if (unit && (bus_error_is_goguard(error, "NoSuchUnit") ||
                     sd_bus_error_has_name(error, SD_BUS_ERROR_UNKNOWN_OBJECT) ||
                     sd_bus_error_has_name(error, SD_BUS_ERROR_UNKNOWN_INTERFACE))) {
                fprintf(stderr, "Unit %s is not a watched Go unit (goguardctl status lists them).\n", unit);
                return EXIT_NO_SUCH_UNIT;
        }
        if (unit && bus_error_is_goguard(error, "InvalidUnitName")) {
                fprintf(stderr, "Invalid unit name '%s': %s\n", unit, error->message ?: error->name);
                return EXIT_USAGE;
        }
        if (sd_bus_error_has_name(error, SD_BUS_ERROR_ACCESS_DENIED))
                fprintf(stderr, "Failed to %s: access denied by the bus policy (%s)\n", what,
                        error->message ?: "no message");
        else if (sd_bus_error_has_name(error, SD_BUS_ERROR_NO_REPLY) ||
                 sd_bus_error_has_name(error, SD_BUS_ERROR_TIMEOUT))
                fprintf(stderr, "Failed to %s: goguardd did not answer in time\n", what);
        else
                fprintf(stderr, "Failed to %s: %s\n", what,
                        sd_bus_error_is_set(error) && error->message ? error->message : strerror(-r));
        return EXIT_FAILED;
}

int reply_malformed(const char *what, int r) {
        fprintf(stderr, "Failed to parse the reply to %s: %s\n", what, strerror(-r));
        return EXIT_FAILED;
}

/* A unit name as systemctl takes one: without a unit type suffix, ".service" is appended.
 * Returns -EINVAL when the result is not a valid unit name. */
int unit_name_mangle(const char *arg, char **ret) {
        char *s;
        if (unit_name_is_valid(arg))
                s = strdup(arg);
        else if (asprintf(&s, "%s.service", arg) < 0)
                s = NULL;
        if (!s)
                return -ENOMEM;
        if (!unit_name_is_valid(s)) {
                free(s);
                return -EINVAL;
        }
        *ret = s;
        return 0;
}
