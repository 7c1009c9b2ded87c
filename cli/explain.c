/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* goguardctl explain: one finding, over the bus. */
#include <stdio.h>
#include <string.h>

#include "bus-print.h"
#include "finding-print.h"
#include "goguardctl.h"
#include "json-writer.h"
#include "strbuf.h"

static const char *const members_advice[] = { "kind", "text", "snippet", NULL };
static const BusJsonMembers finding_json_members[] = {
        { "Advice", members_advice },
};

static void explain_help(void) {
        printf("goguardctl explain [--json] ID\n\n"
               "Explain one finding: what happened, the evidence, the unit settings in force, and\n"
               "what to do about it, with the drop-ins to apply with systemctl edit. ID is a finding\n"
               "id or a unique prefix of at least %d hex digits. Starts goguardd by D-Bus activation\n"
               "if it is not running. --json prints GetFinding's dictionary.\n",
               FINDING_PREFIX_MIN);
}

int verb_explain(int argc, char *argv[]) {
        _cleanup_(sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_free_ char *id = NULL;
        StrBuf out = {};
        int r;

        r = parse_verb_options(argc, argv, explain_help);
        if (r >= 0)
                return r;
        if (argc - optind != 1) {
                fprintf(stderr, "goguardctl explain: exactly one finding ID is required\n");
                return EXIT_USAGE;
        }
        if (bus_connect_system(&bus) < 0)
                return EXIT_FAILED;
        r = resolve_finding_id(bus, "explain", argv[optind], &id);
        if (r >= 0)
                return r;

        r = bus_call_goguard(bus, GOGUARD_MANAGER_PATH, GOGUARD_MANAGER_IFACE, "GetFinding", true, &error,
                             &reply, "s", id);
        if (r < 0)
                return findings_call_failed(bus, "get the finding", &error, r, id);

        if (arg_json) {
                JsonWriter w = { .out = &out, .pretty = true };
                r = bus_properties_to_json(reply, &w, finding_json_members,
                                           ELEMENTSOF(finding_json_members));
                strbuf_append_char(&out, '\n');
                if (r < 0) {
                        strbuf_done(&out);
                        return reply_malformed("GetFinding", r);
                }
                return flush_output(&out);
        }

        FindingView v;
        r = finding_view_from_bus(reply, &v);
        if (r < 0)
                return reply_malformed("GetFinding", r);
        ExplainOptions o = { .color = colors_enabled(), .journal_hint = true };
        r = finding_explain(&v, now_realtime(), &o, &out);
        finding_view_done(&v);
        if (r < 0) {
                strbuf_done(&out);
                fprintf(stderr, "goguardctl: %s\n", strerror(-r));
                return EXIT_FAILED;
        }
        return flush_output(&out);
}
