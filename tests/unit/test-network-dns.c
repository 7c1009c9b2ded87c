/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* dns-resolution: Go's DNSError texts in every shape the resolvers print them, the resolver the
 * binary uses, the unit's resolv.conf and network, what a probe of the server says, and exact
 * summaries, evidence and advice over the correlator. */
#include "correlate-harness.h"
#include "network-dns.h"

#define DNS    "dns.service"
#define NXLINE "dial tcp: lookup db.example.internal on 127.0.0.53:53: no such host"
#define TMOLINE                                                                                             \
        "lookup db.example.internal on 127.0.0.53:53: read udp 127.0.0.1:41234->127.0.0.53:53: i/o timeout"

/* ---- the message ---- */

#define strv_new_test(...) strv_make((const char *[]){ __VA_ARGS__, NULL })

static char **strv_make(const char **l) {
        char **v = NULL;
        for (; *l; l++)
                ck_assert_int_eq(strv_extend(&v, *l), 0);
        return v;
}

static void check_span(const char *line, size_t start, size_t len, const char *expected) {
        ck_assert_msg(len == strlen(expected) && memcmp(line + start, expected, len) == 0, "'%.*s' != '%s'",
                      (int) len, line + start, expected);
}

static void check_find(const char *line, const char *msg, const char *name, const char *server,
                       const char *error, DnsFailureKind kind) {
        DnsFailure d;
        ck_assert_msg(dns_failure_find(line, strlen(line), &d) == 0, "no DNSError in: %s", line);
        check_span(line, d.start, d.end - d.start, msg);
        check_span(line, d.name_start, d.name_len, name);
        check_span(line, d.server_start, d.server_len, server);
        check_span(line, d.error_start, d.error_len, error);
        ck_assert_int_eq(d.kind, kind);
}

START_TEST(test_find) {
        check_find("2026/12/05 06:00:00 " NXLINE, NXLINE, "db.example.internal", "127.0.0.53:53",
                   "no such host", DNS_FAILURE_NO_SUCH_HOST);
        check_find("dial tcp: lookup db.example.internal on 127.0.0.53:53: server misbehaving",
                   "dial tcp: lookup db.example.internal on 127.0.0.53:53: server misbehaving",
                   "db.example.internal", "127.0.0.53:53", "server misbehaving",
                   DNS_FAILURE_SERVER_MISBEHAVING);
        check_find(TMOLINE, TMOLINE, "db.example.internal", "127.0.0.53:53",
                   "read udp 127.0.0.1:41234->127.0.0.53:53: i/o timeout", DNS_FAILURE_TIMEOUT);
        /* libc's resolver (cgo) names no server. */
        check_find("error: lookup db.example.internal: no such host",
                   "lookup db.example.internal: no such host", "db.example.internal", "", "no such host",
                   DNS_FAILURE_NO_SUCH_HOST);
        check_find("lookup db.example.internal: Temporary failure in name resolution",
                   "lookup db.example.internal: Temporary failure in name resolution", "db.example.internal",
                   "", "Temporary failure in name resolution", DNS_FAILURE_TEMPORARY);
        check_find("lookup db on 10.0.0.2:53: dial udp 10.0.0.2:53: connect: network is unreachable",
                   "lookup db on 10.0.0.2:53: dial udp 10.0.0.2:53: connect: network is unreachable", "db",
                   "10.0.0.2:53", "dial udp 10.0.0.2:53: connect: network is unreachable",
                   DNS_FAILURE_UNREACHABLE);
        check_find("lookup x.invalid on 127.83.0.54:53: read udp 127.0.0.1:5000->127.83.0.54:53: read: "
                   "connection refused",
                   "lookup x.invalid on 127.83.0.54:53: read udp 127.0.0.1:5000->127.83.0.54:53: read: "
                   "connection refused",
                   "x.invalid", "127.83.0.54:53",
                   "read udp 127.0.0.1:5000->127.83.0.54:53: read: connection refused", DNS_FAILURE_REFUSED);
        /* IPv6 servers, a JSON log, text after the error, an error Go has no phrase for. */
        check_find("{\"err\":\"lookup _pg._tcp.db on [fd00::53]:53: no such host\",\"msg\":\"retry\"}",
                   "lookup _pg._tcp.db on [fd00::53]:53: no such host", "_pg._tcp.db", "[fd00::53]:53",
                   "no such host", DNS_FAILURE_NO_SUCH_HOST);
        check_find("lookup a.b on 1.2.3.4:53: no such host; retrying in 5s",
                   "lookup a.b on 1.2.3.4:53: no such host", "a.b", "1.2.3.4:53", "no such host",
                   DNS_FAILURE_NO_SUCH_HOST);
        check_find("lookup a.b on 1.2.3.4:53: cannot unmarshal DNS message token=s3cr3t",
                   "lookup a.b on 1.2.3.4:53: cannot unmarshal DNS message", "a.b", "1.2.3.4:53",
                   "cannot unmarshal DNS message", DNS_FAILURE_OTHER);
        /* The first of Go's texts to end ends the error, whatever the program wrote after it. */
        check_find("lookup a on 1.2.3.4:53: lame referral; fallback: no such host",
                   "lookup a on 1.2.3.4:53: lame referral", "a", "1.2.3.4:53", "lame referral",
                   DNS_FAILURE_OTHER);
        /* The second "lookup " of a line, when the first is prose. */
        check_find("cache lookup miss; lookup a on 1.2.3.4:53: no such host",
                   "lookup a on 1.2.3.4:53: no such host", "a", "1.2.3.4:53", "no such host",
                   DNS_FAILURE_NO_SUCH_HOST);

        static const char *const not_dns[] = {
                "cache lookup failed: timeout",
                "lookup table rebuilt",
                "lookup failed: the key is gone",
                "lookup x on 1.2.3.4: no such host",         /* no port */
                "lookup x on 1.2.3.4:53:no such host",       /* not Go's separator */
                "lookup x on host.example:53: no such host", /* Go prints addresses */
                "lookup x: some other text with no such host",
                "lookup x on 1.2.3.4:53: the program's own words token=s3cr3t",
                "lookup : no such host",
                "lookup 'x': no such host",
                "lookup ",
                "",
        };
        for (size_t i = 0; i < ELEMENTSOF(not_dns); i++) {
                DnsFailure d;
                ck_assert_msg(dns_failure_find(not_dns[i], strlen(not_dns[i]), &d) == -ENOENT, "%s",
                              not_dns[i]);
        }
        /* Not NUL-terminated: the length is the end. */
        DnsFailure d;
        const char *cut = "lookup a on 1.2.3.4:53: no such hostXXXX";
        ck_assert_int_eq(dns_failure_find(cut, STRLEN("lookup a on 1.2.3.4:53:"), &d), -ENOENT);
        ck_assert_int_eq(dns_failure_find(cut, strlen(cut) - 4, &d), 0);
        ck_assert_uint_eq(d.end, strlen(cut) - 4);
}
END_TEST

/* ---- the resolver ---- */

static TestUnit *dns_unit(Ctx *x, const char *name, int cgo, const char *modinfo) {
        TestUnit *u = add_unit(x, name);
        u->exe.cgo = cgo;
        if (modinfo)
                ck_assert_int_eq(go_modinfo_parse(modinfo, strlen(modinfo), &u->exe.modinfo, NULL), 0);
        return u;
}

static void free_modinfo(Ctx *x) {
        for (size_t i = 0; i < x->n_units; i++)
                x->units[i].exe.modinfo = go_modinfo_free(x->units[i].exe.modinfo);
}

START_TEST(test_resolver) {
        Ctx x;
        ctx_init(&x);
        DnsResolver r;
        UnitKnowledge k;

        dns_unit(&x, "static.service", 0, "build\tCGO_ENABLED=0\n");
        TestUnit *cgo = dns_unit(&x, "cgo.service", 1, "build\tCGO_ENABLED=1\n");
        dns_unit(&x, "netgo.service", 1, "build\t-tags=foo,netgo\nbuild\tCGO_ENABLED=1\n");
        TestUnit *def = dns_unit(&x, "default.service", 1, "build\tDefaultGODEBUG=netdns=cgo+1\n");

        lookup(&x, "static.service", &k);
        network_dns_resolver(&k, &r);
        ck_assert_str_eq(r.name, "go");
        ck_assert_str_eq(r.basis, "built with CGO_ENABLED=0: Go's own resolver only");
        ck_assert_ptr_null(r.netdns_source);

        lookup(&x, "cgo.service", &k);
        network_dns_resolver(&k, &r);
        ck_assert_str_eq(r.name, "go or cgo");
        cgo->settings.environment = strv_new_test("GODEBUG=x=1,netdns=cgo");
        network_dns_resolver(&k, &r);
        ck_assert_str_eq(r.name, "cgo");
        ck_assert_str_eq(r.netdns, "cgo");
        ck_assert_str_eq(r.netdns_source, "Environment=");
        /* The process's own environment wins over Environment=. */
        cgo->env = strv_new_test("GODEBUG=netdns=go+2");
        lookup(&x, "cgo.service", &k);
        network_dns_resolver(&k, &r);
        ck_assert_str_eq(r.name, "go");
        ck_assert_str_eq(r.netdns, "go+2");
        ck_assert_str_eq(r.netdns_source, "process environment");
        strv_free(cgo->env);
        cgo->env = strv_new_test("RES_OPTIONS=ndots:2");
        strv_free(cgo->settings.environment);
        cgo->settings.environment = NULL;
        lookup(&x, "cgo.service", &k);
        network_dns_resolver(&k, &r);
        ck_assert_str_eq(r.name, "cgo");
        ck_assert_str_eq(r.basis,
                         "LOCALDOMAIN, RES_OPTIONS or HOSTALIASES is set: Go hands lookups to libc");

        lookup(&x, "netgo.service", &k);
        network_dns_resolver(&k, &r);
        ck_assert_str_eq(r.name, "go");
        ck_assert_str_eq(r.basis, "built with -tags netgo");

        lookup(&x, "default.service", &k);
        network_dns_resolver(&k, &r);
        ck_assert_str_eq(r.name, "cgo");
        ck_assert_str_eq(r.netdns, "cgo+1");
        ck_assert_str_eq(r.netdns_source, "DefaultGODEBUG");
        def->exe.cgo = -1;
        go_modinfo_free(def->exe.modinfo);
        def->exe.modinfo = NULL;
        network_dns_resolver(&k, &r);
        ck_assert_ptr_null(r.name);
        ck_assert_str_eq(r.basis, "the build info does not say whether cgo was enabled");

        free_modinfo(&x);
        ctx_done(&x);
}
END_TEST

/* ---- the finding ---- */

#define VIEW_CMD(unit, name)                                                                                \
        "pid=$(systemctl show -P MainPID '" unit "'); nsenter -t \"$pid\" -m -n cat /etc/resolv.conf; "     \
        "nsenter -t \"$pid\" -m -n getent ahosts '" name "'"
#define VIEW_TEXT                                                                                           \
        "What the unit's processes see as /etc/resolv.conf, and what a lookup in their namespaces gets:"

START_TEST(test_no_such_host) {
        Ctx x;
        ctx_init(&x);
        dns_unit(&x, DNS, 0, "build\tCGO_ENABLED=0\n");
        started(&x, T0, DNS, INV1);
        unit_output(&x, T0 + SEC, DNS, INV1, "2026/12/05 06:00:00 connecting to db.example.internal:5432");
        ck_assert_uint_eq(n_findings(&x), 0);
        ck_assert_int_eq(unit_output(&x, T0 + 2 * SEC, DNS, INV1, "2026/12/05 06:00:01 " NXLINE), 1);
        Finding *f = the_finding(&x, FINDING_DNS_RESOLUTION, DNS);
        ck_assert_str_eq(f->summary, DNS
                         " cannot resolve host names: db.example.internal on 127.0.0.53:53, no such host");
        ck_assert_str_eq(f->invocation_id, INV1);
        ck_assert_uint_eq(f->first_seen, T0 + 2 * SEC);
        ck_assert_str_eq(ev_str(f, "go_message"), NXLINE);
        ck_assert_uint_eq(ev(f, "logged_at")->u, T0 + 2 * SEC);
        ck_assert_str_eq(ev_str(f, "journal_cursor"), "s=abc;i=3");
        ck_assert_str_eq(ev_str(f, "dns_name"), "db.example.internal");
        ck_assert_str_eq(ev_str(f, "dns_server"), "127.0.0.53:53");
        ck_assert_str_eq(ev_str(f, "dns_error"), "no such host");
        ck_assert_str_eq(ev_str(f, "dns_failure"), "no-such-host");
        ck_assert_str_eq(ev_str(f, "dns_resolver"), "go");
        ck_assert(!ev_bool(f, "dns_cgo_enabled"));
        ck_assert(!ev_bool(f, "dns_private_network"));
        ck_assert_str_eq(ev_str(f, "go_version"), "go1.19.8");
        ck_assert_ptr_null(finding_get(f, "dns_root_directory"));
        /* Before the daemon read and probed anything: the view to check by hand. */
        ck_assert_uint_eq(f->n_advice, 1);
        ck_assert_int_eq(f->advice[0].kind, ADVICE_COMMAND);
        ck_assert_str_eq(f->advice[0].text, VIEW_TEXT);
        ck_assert_str_eq(f->advice[0].snippet, VIEW_CMD(DNS, "db.example.internal"));

        /* The server answers the host: NXDOMAIN. */
        ResolvConf rc;
        const char *text = "nameserver 127.0.0.53\nsearch corp.example\noptions edns0 trust-ad\n";
        ck_assert_int_eq(resolv_conf_parse(text, strlen(text), &rc), 0);
        network_dns_set_resolv_conf(f, "/etc/resolv.conf", "the host's", 0, &rc);
        char target[64];
        ck_assert(network_dns_probe_target(f, target, sizeof target));
        ck_assert_str_eq(target, "127.0.0.53:53");
        /* A server the unit's resolv.conf does not name is not probed. */
        ck_assert_int_eq(resolv_conf_parse("nameserver 10.0.0.1\n", 20, &rc), 0);
        network_dns_set_resolv_conf(f, "/etc/resolv.conf", "the host's", 0, &rc);
        ck_assert(!network_dns_probe_target(f, target, sizeof target));
        ck_assert_int_eq(resolv_conf_parse(text, strlen(text), &rc), 0);
        network_dns_set_resolv_conf(f, "/etc/resolv.conf", "the host's", 0, &rc);
        network_dns_set_probe(f, &(DnsProbe){ .server = target,
                                              .result = DNS_PROBE_ANSWERED,
                                              .rcode = 3,
                                              .rtt_usec = 1500,
                                              .timeout_usec = 2 * SEC,
                                              .at = T0 + 3 * SEC });
        network_dns_advise(f);
        const char *bad;
        ck_assert_int_eq(finding_check_evidence(f, &bad), 0);
        ck_assert_str_eq(ev_str(f, "dns_resolv_conf_nameservers"), "127.0.0.53:53");
        ck_assert_str_eq(ev_str(f, "dns_resolv_conf_search"), "corp.example");
        ck_assert_str_eq(ev_str(f, "dns_resolv_conf_options"), "edns0 trust-ad");
        ck_assert_str_eq(ev_str(f, "dns_probe_result"), "answered");
        ck_assert_str_eq(ev_str(f, "dns_probe_rcode"), "NXDOMAIN");
        ck_assert_uint_eq(ev_u64(f, "dns_probe_rtt_usec"), 1500);
        ck_assert_uint_eq(f->n_advice, 2);
        ck_assert_int_eq(f->advice[0].kind, ADVICE_TEXT);
        ck_assert_str_eq(
                f->advice[0].text,
                "127.0.0.53:53 answers (NXDOMAIN to goguardd's query from the host, in 1 ms) and says "
                "db.example.internal does not exist. The name is misspelt, or it lives in a zone this "
                "server does not know (an internal zone served elsewhere: split DNS). Check the name "
                "(and the search domains corp.example), or point the unit at the server that knows the "
                "zone.");
        ck_assert_str_eq(f->advice[1].snippet, VIEW_CMD(DNS, "db.example.internal"));

        /* Retries in the same invocation are the same occurrence; a new invocation is one more. */
        ck_assert_int_eq(unit_output(&x, T0 + 3 * SEC, DNS, INV1, NXLINE), 0);
        ck_assert_uint_eq(f->count, 1);
        started(&x, T0 + 10 * SEC, DNS, INV2);
        ck_assert_int_eq(unit_output(&x, T0 + 11 * SEC, DNS, INV2, TMOLINE), 1);
        ck_assert_uint_eq(f->count, 2);
        ck_assert_str_eq(f->summary,
                         DNS " cannot resolve host names: db.example.internal on 127.0.0.53:53, i/o "
                             "timeout (2 times)");
        ck_assert_str_eq(ev_str(f, "dns_failure"), "timeout");
        /* The probe still stands for that server: it answers the host, not the unit. */
        ck_assert_str_eq(
                f->advice[0].text,
                "127.0.0.53:53 answers the host (NXDOMAIN in 1 ms) but the unit's query failed (i/o "
                "timeout): something between the unit and the server drops it: IPAddressDeny=, "
                "RestrictAddressFamilies= without AF_INET/AF_INET6, NetworkNamespacePath=, or a "
                "firewall rule for the unit's cgroup.");
        free_modinfo(&x);
        ctx_done(&x);
}
END_TEST

START_TEST(test_private_network) {
        Ctx x;
        ctx_init(&x);
        TestUnit *u = dns_unit(&x, DNS, 0, NULL);
        u->settings.private_network = true;
        const char *line =
                "lookup db.gg.invalid on 10.255.255.53:53: dial udp 10.255.255.53:53: connect: network "
                "is unreachable";
        ck_assert_int_eq(unit_output(&x, T0, DNS, INV1, line), 1);
        Finding *f = the_finding(&x, FINDING_DNS_RESOLUTION, DNS);
        ck_assert_str_eq(f->summary,
                         DNS " cannot resolve host names: db.gg.invalid on 10.255.255.53:53, network is "
                             "unreachable (PrivateNetwork=yes)");
        ck_assert(ev_bool(f, "dns_private_network"));
        ck_assert_str_eq(ev_str(f, "dns_failure"), "unreachable");
        ck_assert_uint_eq(f->n_advice, 2);
        ck_assert_int_eq(f->advice[0].kind, ADVICE_DROPIN);
        ck_assert_str_eq(f->advice[0].snippet, "[Service]\nPrivateNetwork=no\n");
        ck_assert_str_eq(
                f->advice[0].text,
                "PrivateNetwork=yes gives the unit a network namespace of its own with nothing but a "
                "loopback device: it cannot reach any DNS server (it asked 10.255.255.53:53). Let the "
                "unit use the host's network; if it must stay apart, restrict it with "
                "IPAddressDeny=/IPAddressAllow= instead, which leave DNS reachable.");
        network_dns_set_probe(f, &(DnsProbe){ .server = "10.255.255.53:53",
                                              .result = DNS_PROBE_ANSWERED,
                                              .rcode = 0,
                                              .rtt_usec = 2000,
                                              .timeout_usec = 2 * SEC,
                                              .at = T0 });
        network_dns_advise(f);
        ck_assert_str_eq(
                f->advice[0].text,
                "PrivateNetwork=yes gives the unit a network namespace of its own with nothing but a "
                "loopback device: it cannot reach any DNS server (it asked 10.255.255.53:53). Let the "
                "unit use the host's network; if it must stay apart, restrict it with "
                "IPAddressDeny=/IPAddressAllow= instead, which leave DNS reachable. 10.255.255.53:53 "
                "answers the host.");
        ck_assert_uint_eq(f->n_advice, 2);
        ctx_done(&x);
}
END_TEST

START_TEST(test_own_resolv_conf_refused) {
        Ctx x;
        ctx_init(&x);
        TestUnit *u = dns_unit(&x, DNS, 0, NULL);
        u->settings.bind_read_only_paths = strv_new_test("/srv/dns/resolv.conf", "/etc/resolv.conf");
        const char *line =
                "lookup db.gg.invalid on 127.83.0.54:53: read udp 127.0.0.1:39000->127.83.0.54:53: "
                "read: connection refused";
        ck_assert_int_eq(unit_output(&x, T0, DNS, INV1, line), 1);
        Finding *f = the_finding(&x, FINDING_DNS_RESOLUTION, DNS);
        ck_assert_str_eq(ev_str(f, "dns_resolv_conf_bind"), "/srv/dns/resolv.conf");
        ResolvConf rc;
        ck_assert_int_eq(resolv_conf_parse("nameserver 127.83.0.54\n", 23, &rc), 0);
        network_dns_set_resolv_conf(f, "/srv/dns/resolv.conf",
                                    "bind-mounted onto /etc/resolv.conf (BindReadOnlyPaths=/BindPaths=)", 0,
                                    &rc);
        network_dns_set_probe(f, &(DnsProbe){ .server = "127.83.0.54:53",
                                              .result = DNS_PROBE_REFUSED,
                                              .timeout_usec = 2 * SEC,
                                              .at = T0 });
        network_dns_advise(f);
        ck_assert_str_eq(ev_str(f, "dns_probe_result"), "refused");
        ck_assert_str_eq(ev_str(f, "dns_probe_rcode"), "");
        ck_assert_uint_eq(f->n_advice, 2);
        ck_assert_int_eq(f->advice[0].kind, ADVICE_DROPIN);
        ck_assert_str_eq(f->advice[0].snippet,
                         "[Service]\nBindReadOnlyPaths=\nBindReadOnlyPaths=/etc/resolv.conf\n");
        ck_assert_str_eq(
                f->advice[0].text,
                "Nothing answers DNS at 127.83.0.54:53: goguardd's query from the host was refused too "
                "(nothing listens on that port). The unit's resolv.conf (/srv/dns/resolv.conf, "
                "bind-mounted onto /etc/resolv.conf (BindReadOnlyPaths=/BindPaths=)) names it. Give the "
                "unit the host's /etc/resolv.conf. The empty BindReadOnlyPaths= line resets the unit's "
                "list (two binds onto one path do not stack): repeat the other paths it binds.");
        ck_assert_str_eq(f->summary,
                         DNS " cannot resolve host names: db.gg.invalid on 127.83.0.54:53, connection "
                             "refused");
        ctx_done(&x);
}
END_TEST

START_TEST(test_cgo_and_root) {
        /* libc's resolver names no server: the daemon's resolv.conf gives the one to probe; a root
         * without resolv.conf is the cause. */
        Ctx x;
        ctx_init(&x);
        TestUnit *u = dns_unit(&x, DNS, 1, "build\tCGO_ENABLED=1\n");
        u->settings.root_directory = strdup("/srv/root");
        ck_assert_int_eq(unit_output(&x, T0, DNS, INV1,
                                     "lookup db.example.internal: Temporary failure in name resolution"),
                         1);
        Finding *f = the_finding(&x, FINDING_DNS_RESOLUTION, DNS);
        ck_assert_str_eq(
                f->summary,
                DNS " cannot resolve host names: db.example.internal, Temporary failure in name resolution");
        ck_assert_str_eq(ev_str(f, "dns_server"), "");
        ck_assert_str_eq(ev_str(f, "dns_resolver"), "go or cgo");
        ck_assert(ev_bool(f, "dns_cgo_enabled"));
        ck_assert_str_eq(ev_str(f, "dns_root_directory"), "/srv/root");
        char target[64];
        ck_assert(!network_dns_probe_target(f, target, sizeof target)); /* nothing read yet */
        network_dns_set_resolv_conf(f, "/srv/root/etc/resolv.conf", "inside RootDirectory=", -ENOENT, NULL);
        ck_assert(!network_dns_probe_target(f, target, sizeof target));
        network_dns_advise(f);
        ck_assert_str_eq(ev_str(f, "dns_resolv_conf_error"), "No such file or directory");
        ck_assert_uint_eq(f->n_advice, 3);
        ck_assert_str_eq(
                f->advice[0].text,
                "The unit sees no readable /etc/resolv.conf (/srv/root/etc/resolv.conf: No such file or "
                "directory): Go's resolver then asks 127.0.0.1:53 and [::1]:53, where usually no server "
                "runs. Give the unit the host's /etc/resolv.conf. The empty BindReadOnlyPaths= line "
                "resets the unit's list (two binds onto one path do not stack): repeat the other paths "
                "it binds.");
        ck_assert_str_eq(f->advice[1].snippet, "[Service]\nEnvironment=GODEBUG=netdns=go\n");
        ck_assert_str_eq(
                f->advice[1].text,
                "The message names no server: libc's resolver (cgo) made the lookup, and why it failed "
                "stays inside libc. With GODEBUG=netdns=go Go's own resolver makes it and names the "
                "server it asked (netdns=go+1 also logs the choice at start).");
        ck_assert_int_eq(f->advice[2].kind, ADVICE_COMMAND);
        /* Read well, it names the server libc asked. */
        ResolvConf rc;
        ck_assert_int_eq(resolv_conf_parse("nameserver 10.0.0.2\nnameserver 10.0.0.3\n", 40, &rc), 0);
        network_dns_set_resolv_conf(f, "/srv/root/etc/resolv.conf", "inside RootDirectory=", 0, &rc);
        ck_assert(network_dns_probe_target(f, target, sizeof target));
        ck_assert_str_eq(target, "10.0.0.2:53");
        ck_assert_int_eq(resolv_conf_parse("search x\n", 9, &rc), 0);
        network_dns_set_resolv_conf(f, "/srv/root/etc/resolv.conf", "inside RootDirectory=", 0, &rc);
        ck_assert(network_dns_probe_target(f, target, sizeof target));
        ck_assert_str_eq(target, "127.0.0.1:53");
        free_modinfo(&x);
        ctx_done(&x);
}
END_TEST

START_TEST(test_healthy_and_unknown) {
        Ctx x;
        ctx_init(&x);
        dns_unit(&x, DNS, 0, NULL);
        static const char *const lines[] = {
                "2026/12/05 06:00:00 lookup table loaded: 12 entries",
                "cache lookup miss for key db",
                "dial tcp 10.0.0.2:5432: connect: connection refused",
                "resolved db.example.internal to 10.0.0.2",
        };
        for (size_t i = 0; i < ELEMENTSOF(lines); i++)
                ck_assert_int_eq(unit_output(&x, T0 + i, DNS, INV1, lines[i]), 0);
        ck_assert_uint_eq(n_findings(&x), 0);
        /* A unit the lookup does not know (offline) is reported, without settings. */
        ck_assert_int_eq(unit_output(&x, T0 + SEC, "gone.service", INV2, NXLINE), 1);
        Finding *f = the_finding(&x, FINDING_DNS_RESOLUTION, "gone.service");
        ck_assert(!ev_bool(f, "unit_settings_known"));
        ck_assert_ptr_null(finding_get(f, "dns_private_network"));
        ck_assert_ptr_null(finding_get(f, "dns_resolver"));
        ck_assert(correlator_covers(FINDING_DNS_RESOLUTION));
        ck_assert(correlator_wants_unit_message(NXLINE, strlen(NXLINE)));
        ctx_done(&x);
}
END_TEST

START_TEST(test_reread) {
        /* The journal read again (a restart of goguardd) counts nothing twice. */
        Ctx x;
        ctx_init(&x);
        x.positions_from_time = true;
        dns_unit(&x, DNS, 0, NULL);
        ck_assert_int_eq(unit_output(&x, T0 + SEC, DNS, INV1, NXLINE), 1);
        ck_assert_int_eq(unit_output(&x, T0 + SEC, DNS, INV1, NXLINE), 0);
        Finding *f = the_finding(&x, FINDING_DNS_RESOLUTION, DNS);
        ck_assert_uint_eq(f->count, 1);
        ctx_done(&x);
}
END_TEST

static Suite *network_dns_suite(void) {
        Suite *s = suite_create("network-dns");
        TCase *tc = tcase_create("message");
        tcase_add_test(tc, test_find);
        suite_add_tcase(s, tc);
        tc = tcase_create("resolver");
        tcase_add_test(tc, test_resolver);
        suite_add_tcase(s, tc);
        tc = tcase_create("finding");
        tcase_add_test(tc, test_no_such_host);
        tcase_add_test(tc, test_private_network);
        tcase_add_test(tc, test_own_resolv_conf_refused);
        tcase_add_test(tc, test_cgo_and_root);
        tcase_add_test(tc, test_healthy_and_unknown);
        tcase_add_test(tc, test_reread);
        suite_add_tcase(s, tc);
        return s;
}

DEFINE_TEST_MAIN(network_dns_suite)
