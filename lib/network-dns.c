/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* dns-resolution: Go's DNSError texts (src/net/net.go: "lookup " NAME [" on " SERVER] ": " ERR),
 * the resolver the binary uses (src/net/conf.go), the unit's resolv.conf and network, and what
 * the server said to the host. Every piece of evidence lives in the finding, and the advice is
 * made from the finding alone, so the daemon can add what it reads and probes later. */
#include <stdio.h>
#include <string.h>

#include "detector.h"
#include "dns-packet.h"
#include "go-env.h"
#include "go-modinfo.h"
#include "network-dns.h"
#include "unit-name.h"

#define NAME_MAX_LEN   254u /* 253 and a final dot */
#define SERVER_MAX_LEN 64u
#define ERROR_MAX_LEN  256u

/* The end of the error text: the texts Go's resolvers end their errors with (src/net:
 * dnsclient_unix.go, net.go, and the syscall errnos a socket fails with), libc's gai_strerror()
 * through cgo. More specific first. */
static const struct {
        const char *text;
        DnsFailureKind kind;
} phrases[] = {
        { "no such host", DNS_FAILURE_NO_SUCH_HOST },
        { "server misbehaving", DNS_FAILURE_SERVER_MISBEHAVING },
        { "connection refused", DNS_FAILURE_REFUSED },
        { "network is unreachable", DNS_FAILURE_UNREACHABLE },
        { "no route to host", DNS_FAILURE_UNREACHABLE },
        { "i/o timeout", DNS_FAILURE_TIMEOUT },
        { "no answer from DNS server", DNS_FAILURE_NO_ANSWER },
        { "Temporary failure in name resolution", DNS_FAILURE_TEMPORARY },
        /* The rest of Go's own (dnsclient_unix.go, net.go) and a socket's that a sandbox gives. */
        { "cannot unmarshal DNS message", DNS_FAILURE_OTHER },
        { "cannot marshal DNS message", DNS_FAILURE_OTHER },
        { "invalid DNS response", DNS_FAILURE_OTHER },
        { "lame referral", DNS_FAILURE_OTHER },
        { "no suitable address found", DNS_FAILURE_OTHER },
        { "operation was canceled", DNS_FAILURE_OTHER },
        { "address family not supported by protocol", DNS_FAILURE_OTHER },
        { "operation not permitted", DNS_FAILURE_OTHER },
        { "permission denied", DNS_FAILURE_OTHER },
        { "too many open files", DNS_FAILURE_OTHER },
};

static const char *const kind_names[_DNS_FAILURE_KIND_MAX] = {
        [DNS_FAILURE_NO_SUCH_HOST] = "no-such-host", [DNS_FAILURE_SERVER_MISBEHAVING] = "server-misbehaving",
        [DNS_FAILURE_TIMEOUT] = "timeout",           [DNS_FAILURE_REFUSED] = "refused",
        [DNS_FAILURE_UNREACHABLE] = "unreachable",   [DNS_FAILURE_NO_ANSWER] = "no-answer",
        [DNS_FAILURE_TEMPORARY] = "temporary",       [DNS_FAILURE_OTHER] = "other",
};

const char *dns_failure_kind_to_string(DnsFailureKind k) {
        return k >= 0 && k < _DNS_FAILURE_KIND_MAX ? kind_names[k] : NULL;
}

static const char *const probe_names[_DNS_PROBE_RESULT_MAX] = {
        [DNS_PROBE_ANSWERED] = "answered", [DNS_PROBE_NO_ANSWER] = "no-answer",
        [DNS_PROBE_REFUSED] = "refused",   [DNS_PROBE_UNREACHABLE] = "unreachable",
        [DNS_PROBE_ERROR] = "error",
};

const char *dns_probe_result_to_string(DnsProbeResult r) {
        return r >= 0 && r < _DNS_PROBE_RESULT_MAX ? probe_names[r] : NULL;
}

/* ---- the message ---- */

/* Bytes of a name as Go prints it: DNS names (SRV's "_" and wildcards included), IP addresses
 * for reverse lookups. Nothing a shell or a log viewer would read otherwise. */
static bool name_char(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
               c == '-' || c == '_' || c == ':' || c == '*' || c == '%';
}

static bool server_char(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == '.' ||
               c == ':' || c == '[' || c == ']' || c == '%';
}

/* "IP:port" with a port of digits. */
static bool server_valid(const char *s, size_t n) {
        const char *colon = NULL;
        for (size_t i = 0; i < n; i++)
                if (s[i] == ':')
                        colon = s + i;
        if (!colon || colon == s || (size_t) (colon - s) + 1 == n || (size_t) (s + n - colon) > 6)
                return false;
        for (const char *p = colon + 1; p < s + n; p++)
                if (*p < '0' || *p > '9')
                        return false;
        return true;
}

static const char *find(const char *hay, size_t n, const char *needle) {
        return memmem(hay, n, needle, strlen(needle));
}

/* One "lookup " at `at`: 0 with ret filled, -ENOENT when it is not a DNSError. */
static int failure_at(const char *line, size_t len, size_t at, DnsFailure *ret) {
        size_t p = at + STRLEN("lookup ");
        size_t n0 = p;
        while (p < len && p - n0 <= NAME_MAX_LEN + 1 && name_char(line[p]))
                p++;
        DnsFailure d = { .start = at, .name_start = n0 };
        if (p - n0 > NAME_MAX_LEN + 1)
                return -ENOENT;
        if (p + 4 <= len && memcmp(line + p, " on ", 4) == 0) {
                d.name_len = p - n0;
                size_t s0 = p + 4, q = s0;
                while (q < len && q - s0 <= SERVER_MAX_LEN && server_char(line[q]))
                        q++;
                /* "127.0.0.53:53: ": the run took the separator's colon. */
                if (q - s0 < 2 || q >= len || line[q] != ' ' || line[q - 1] != ':' ||
                    !server_valid(line + s0, q - s0 - 1))
                        return -ENOENT;
                d.server_start = s0;
                d.server_len = q - s0 - 1;
                d.error_start = q + 1;
        } else {
                if (p - n0 < 2 || p >= len || line[p] != ' ' || line[p - 1] != ':')
                        return -ENOENT;
                d.name_len = p - n0 - 1;
                d.error_start = p + 1;
        }
        if (d.name_len == 0)
                return -ENOENT;

        /* The error runs to the end of the line or of a quoted field. */
        size_t e = d.error_start;
        while (e < len && line[e] != '"' && line[e] != '\n' && e - d.error_start < ERROR_MAX_LEN)
                e++;
        const char *err = line + d.error_start;
        size_t elen = e - d.error_start;
        /* The error ends with the first of Go's texts to end: what the program printed after it
         * (a key=value, a secret) is not kept. */
        size_t best = SIZE_MAX;
        for (size_t i = 0; i < ELEMENTSOF(phrases); i++) {
                const char *hit = find(err, elen, phrases[i].text);
                /* Without a server only the resolver's own texts, right after the name: "lookup"
                 * alone is common English. */
                if (!hit || (d.server_len == 0 && hit != err))
                        continue;
                size_t end = (size_t) (hit - err) + strlen(phrases[i].text);
                if (end < best) {
                        best = end;
                        d.kind = phrases[i].kind;
                }
        }
        if (best == SIZE_MAX)
                return -ENOENT;
        d.error_len = best;
        d.end = d.error_start + best;
        /* net.Dial's "dial tcp: " around it is Go's too. */
        static const char *const dials[] = { "dial tcp: ", "dial tcp4: ", "dial tcp6: ",
                                             "dial udp: ", "dial udp4: ", "dial udp6: " };
        for (size_t i = 0; i < ELEMENTSOF(dials); i++) {
                size_t l = strlen(dials[i]);
                if (at >= l && memcmp(line + at - l, dials[i], l) == 0) {
                        d.start = at - l;
                        break;
                }
        }
        *ret = d;
        return 0;
}

int dns_failure_find(const char *line, size_t len, DnsFailure *ret) {
        for (size_t at = 0; at < len;) {
                const char *hit = memmem(line + at, len - at, "lookup ", STRLEN("lookup "));
                if (!hit)
                        break;
                size_t pos = (size_t) (hit - line);
                if (failure_at(line, len, pos, ret) >= 0)
                        return 0;
                at = pos + 1;
        }
        return -ENOENT;
}

/* ---- the resolver ---- */

/* The netdns value of a GODEBUG list ("netdns=go+1,x=y"): the last one, as Go reads it. */
static bool godebug_netdns(const char *godebug, char *buf, size_t size) {
        bool found = false;
        for (const char *p = godebug; p && *p;) {
                size_t n = strcspn(p, ",");
                if (n > 7 && strncmp(p, "netdns=", 7) == 0) {
                        snprintf(buf, size, "%.*s", (int) (n - 7), p + 7);
                        found = true;
                }
                p += n + (p[n] == ',');
        }
        return found;
}

/* "go" or "cgo" from a netdns value ("go+1", "cgo", "2"); NULL for a debug level alone. */
static const char *netdns_mode(const char *v) {
        size_t n = strcspn(v, "+");
        if (n == 2 && strncmp(v, "go", 2) == 0)
                return "go";
        if (n == 3 && strncmp(v, "cgo", 3) == 0)
                return "cgo";
        return NULL;
}

static bool has_tag(const char *tags, const char *tag) {
        size_t n = strlen(tag);
        for (const char *p = tags; p && *p;) {
                size_t l = strcspn(p, ", ");
                if (l == n && strncmp(p, tag, n) == 0)
                        return true;
                p += l + (p[l] != 0);
        }
        return false;
}

void network_dns_resolver(const UnitKnowledge *k, DnsResolver *ret) {
        const GoModInfo *mi = k->exe ? k->exe->modinfo : NULL;
        const char *tags = mi ? go_modinfo_setting(mi, "-tags") : NULL;
        const char *source = NULL, *mode = NULL;
        DnsResolver r = {};
        const char *godebug = unit_knowledge_env(k, "GODEBUG", &source);
        if (godebug_netdns(godebug, r.netdns, sizeof r.netdns))
                r.netdns_source = source;
        else if (mi && godebug_netdns(go_modinfo_setting(mi, "DefaultGODEBUG"), r.netdns, sizeof r.netdns))
                r.netdns_source = "DefaultGODEBUG";
        if (r.netdns_source)
                mode = netdns_mode(r.netdns);
        int cgo = k->exe ? k->exe->cgo : -1;
        const char *env_source;
        bool libc_env = unit_knowledge_env(k, "LOCALDOMAIN", &env_source) ||
                        (unit_knowledge_env(k, "RES_OPTIONS", &env_source) ?: "")[0] ||
                        (unit_knowledge_env(k, "HOSTALIASES", &env_source) ?: "")[0];

        if (cgo == 0) {
                r.name = "go";
                r.basis = "built with CGO_ENABLED=0: Go's own resolver only";
        } else if (has_tag(tags, "netgo")) {
                r.name = "go";
                r.basis = "built with -tags netgo";
        } else if (streq(mode, "go")) {
                r.name = "go";
                r.basis = "GODEBUG netdns=go";
        } else if (streq(mode, "cgo")) {
                r.name = "cgo";
                r.basis = "GODEBUG netdns=cgo: libc's resolver";
        } else if (has_tag(tags, "netcgo")) {
                r.name = "cgo";
                r.basis = "built with -tags netcgo: libc's resolver";
        } else if (cgo == 1 && libc_env) {
                r.name = "cgo";
                r.basis = "LOCALDOMAIN, RES_OPTIONS or HOSTALIASES is set: Go hands lookups to libc";
        } else if (cgo == 1) {
                r.name = "go or cgo";
                r.basis = "built with cgo: Go's own resolver, unless resolv.conf or nsswitch.conf use what "
                          "it does not support; then libc's";
        } else
                r.basis = "the build info does not say whether cgo was enabled";
        *ret = r;
}

/* ---- the finding ---- */

static const char *ev_string(const Finding *f, const char *key) {
        const Evidence *e = finding_get(f, key);
        return e && e->type == EVIDENCE_STRING ? e->s : NULL;
}

static bool ev_flag(const Finding *f, const char *key) {
        const Evidence *e = finding_get(f, key);
        return e && e->type == EVIDENCE_BOOL && e->u;
}

static const char *bind_of_resolv_conf(const UnitSettings *s) {
        for (char *const *l = s->bind_read_only_paths; l && l[0] && l[1]; l += 2)
                if (streq(l[1], "/etc/resolv.conf") || streq(l[1], "/etc"))
                        return l[0];
        for (char *const *l = s->bind_paths; l && l[0] && l[1]; l += 2)
                if (streq(l[1], "/etc/resolv.conf") || streq(l[1], "/etc"))
                        return l[0];
        return NULL;
}

static void set_settings_evidence(Finding *f, const UnitKnowledge *k) {
        DnsResolver res;
        network_dns_resolver(k, &res);
        if (res.name)
                (void) finding_set_string(f, "dns_resolver", res.name);
        (void) finding_set_string(f, "dns_resolver_basis", res.basis);
        if (res.netdns_source) {
                (void) finding_set_string(f, "dns_godebug_netdns", res.netdns);
                (void) finding_set_string(f, "dns_godebug_netdns_source", res.netdns_source);
        }
        if (k->exe && k->exe->cgo >= 0)
                (void) finding_set_bool(f, "dns_cgo_enabled", k->exe->cgo == 1);
        const char *tags = k->exe && k->exe->modinfo ? go_modinfo_setting(k->exe->modinfo, "-tags") : NULL;
        if (tags)
                (void) finding_set_string(f, "dns_build_tags", tags);
        if (!k->known || !k->settings)
                return;
        const UnitSettings *s = k->settings;
        (void) finding_set_bool(f, "dns_private_network", s->private_network);
        if (s->root_directory && s->root_directory[0])
                (void) finding_set_string(f, "dns_root_directory", s->root_directory);
        if (s->root_image && s->root_image[0])
                (void) finding_set_string(f, "dns_root_image", s->root_image);
        const char *bind = bind_of_resolv_conf(s);
        if (bind)
                (void) finding_set_string(f, "dns_resolv_conf_bind", bind);
}

int network_dns_on_unit_line(Correlator *c, const JournalRecord *r, const char *needle) {
        DnsFailure d;
        if (!r->unit || !r->message || dns_failure_find(r->message, r->message_len, &d) < 0)
                return 0;
        UnitKnowledge k;
        correlator_lookup(c, r->unit, &k);
        if (!correlator_wanted(c, &k))
                return 0;

        char key[192];
        JournalPosition posbuf;
        const JournalPosition *pos = journal_record_position(r, &posbuf);
        Finding *f;
        bool added;
        /* A service retries its lookups again and again: one occurrence per invocation. */
        snprintf(key, sizeof key, "%s/inv/%s/dns", r->boot_id ?: "-", r->invocation_id ?: "-");
        int rr = correlator_count(c, FINDING_DNS_RESOLUTION, r->unit, key, r->invocation_id, r->realtime,
                                  pos, &f, &added);
        if (rr <= 0)
                return rr;

        const char *m = r->message;
        finding_set_common_evidence(f, r, &k);
        (void) finding_set_string_n(f, "go_message", m + d.start, d.end - d.start);
        (void) finding_set_usec(f, "logged_at", r->realtime);
        (void) finding_set_string_n(f, "dns_name", m + d.name_start, d.name_len);
        /* "" when the message names none: libc's resolver (cgo) made the lookup. */
        (void) finding_set_string_n(f, "dns_server", m + d.server_start, d.server_len);
        (void) finding_set_string_n(f, "dns_error", m + d.error_start, d.error_len);
        (void) finding_set_string(f, "dns_failure", dns_failure_kind_to_string(d.kind));
        set_settings_evidence(f, &k);
        network_dns_advise(f);
        correlator_notify(c, f, added);
        return 1;
}

void network_dns_set_resolv_conf(Finding *f, const char *path, const char *basis, int read_error,
                                 const ResolvConf *rc) {
        (void) finding_set_string(f, "dns_resolv_conf", path ?: "");
        (void) finding_set_string(f, "dns_resolv_conf_basis", basis);
        if (!path)
                return;
        if (read_error < 0) {
                (void) finding_set_string(f, "dns_resolv_conf_error", strerror(-read_error));
                return;
        }
        (void) finding_set_string(f, "dns_resolv_conf_error", "");
        char servers[RESOLV_CONF_NAMESERVERS_MAX * (RESOLV_CONF_SERVER_MAX + 1)] = "";
        for (size_t i = 0; i < rc->n_servers; i++)
                snprintf(servers + strlen(servers), sizeof servers - strlen(servers), "%s%s", i ? " " : "",
                         rc->servers[i]);
        (void) finding_set_string(f, "dns_resolv_conf_nameservers", servers);
        (void) finding_set_string(f, "dns_resolv_conf_search", rc->search);
        (void) finding_set_string(f, "dns_resolv_conf_options", rc->options);
}

static bool word_in(const char *list, const char *word) {
        size_t n = strlen(word);
        for (const char *p = list; p && *p;) {
                size_t l = strcspn(p, " ");
                if (l == n && strncmp(p, word, n) == 0)
                        return true;
                p += l + (p[l] == ' ');
        }
        return false;
}

bool network_dns_probe_target(const Finding *f, char *buf, size_t size) {
        /* Only a server the unit's resolv.conf names (or Go's and glibc's default when it names
         * none), as goguardd read it: a line of output alone never makes goguardd send a packet
         * where the unit says. */
        const char *list = ev_string(f, "dns_resolv_conf_nameservers");
        const char *s = ev_string(f, "dns_server");
        if (!list)
                return false;
        if (!list[0])
                list = "127.0.0.1:53 [::1]:53";
        if (s && s[0])
                return word_in(list, s) && (size_t) snprintf(buf, size, "%s", s) < size;
        /* libc asked, and does not say which: the first. */
        return (size_t) snprintf(buf, size, "%.*s", (int) strcspn(list, " "), list) < size;
}

void network_dns_set_probe(Finding *f, const DnsProbe *p) {
        (void) finding_set_string(f, "dns_probe_server", p->server);
        (void) finding_set_string(f, "dns_probe_result", dns_probe_result_to_string(p->result));
        (void) finding_set_usec(f, "dns_probe_at", p->at);
        (void) finding_set_u64(f, "dns_probe_timeout_usec", p->timeout_usec);
        if (p->result == DNS_PROBE_ANSWERED) {
                char rc[16];
                const char *name = dns_rcode_to_string(p->rcode);
                if (!name)
                        snprintf(rc, sizeof rc, "RCODE%u", p->rcode);
                (void) finding_set_string(f, "dns_probe_rcode", name ?: rc);
                (void) finding_set_u64(f, "dns_probe_rtt_usec", p->rtt_usec);
        } else
                (void) finding_set_string(f, "dns_probe_rcode", "");
        (void) finding_set_string(f, "dns_probe_error",
                                  p->result == DNS_PROBE_ERROR ? strerror(-p->error) : "");
}

/* ---- advice ---- */

/* The words Go ended its error with: the summary's detail. */
static const char *failure_words(const Finding *f) {
        const char *kind = ev_string(f, "dns_failure");
        for (size_t i = 0; i < ELEMENTSOF(phrases); i++)
                if (streq(kind, kind_names[phrases[i].kind]))
                        return phrases[i].text;
        return ev_string(f, "dns_error") ?: "failed";
}

static void advise_private_network(Finding *f, const char *server, const char *probe) {
        char text[1024];
        snprintf(text, sizeof text,
                 "PrivateNetwork=yes gives the unit a network namespace of its own with nothing but a "
                 "loopback device: it cannot reach any DNS server%s%s%s. Let the unit use the host's "
                 "network; if it must stay apart, restrict it with IPAddressDeny=/IPAddressAllow= instead, "
                 "which leave DNS reachable.",
                 server[0] ? " (it asked " : "", server, server[0] ? ")" : "");
        if (streq(probe, "answered")) {
                size_t l = strlen(text);
                snprintf(text + l, sizeof text - l, " %s answers the host.", server);
        }
        (void) finding_add_advice(f, ADVICE_DROPIN, text, "[Service]\nPrivateNetwork=no\n");
}

/* The unit's own resolv.conf is the cause: give it the host's. */
static void advise_host_resolv_conf(Finding *f, const char *why) {
        char text[2048];
        snprintf(text, sizeof text,
                 "%s Give the unit the host's /etc/resolv.conf. The empty BindReadOnlyPaths= line resets "
                 "the unit's list (two binds onto one path do not stack): repeat the other paths it binds.",
                 why);
        (void) finding_add_advice(f, ADVICE_DROPIN, text,
                                  "[Service]\nBindReadOnlyPaths=\nBindReadOnlyPaths=/etc/resolv.conf\n");
}

static void advise_probe(Finding *f, const char *name, const char *server, const char *probe,
                         const char *kind, bool own_resolv_conf) {
        char text[1024], why[512];
        const char *rcode = ev_string(f, "dns_probe_rcode") ?: "";
        const Evidence *rtt = finding_get(f, "dns_probe_rtt_usec"),
                       *tmo = finding_get(f, "dns_probe_timeout_usec");
        const char *where = ev_string(f, "dns_resolv_conf") ?: "";
        const char *basis = ev_string(f, "dns_resolv_conf_basis") ?: "";

        if (streq(probe, "refused") || streq(probe, "unreachable") || streq(probe, "no-answer")) {
                if (streq(probe, "refused"))
                        snprintf(why, sizeof why,
                                 "Nothing answers DNS at %s: goguardd's query from the host was refused "
                                 "too (nothing listens on that port).",
                                 server);
                else if (streq(probe, "unreachable"))
                        snprintf(why, sizeof why, "The host has no route to %s either.", server);
                else
                        snprintf(why, sizeof why,
                                 "%s did not answer goguardd's query from the host either, within %llu ms: "
                                 "the server is down, or the path to it is blocked.",
                                 server, tmo ? (unsigned long long) (tmo->u / 1000) : 0ull);
                if (own_resolv_conf) {
                        size_t l = strlen(why);
                        snprintf(why + l, sizeof why - l, " The unit's resolv.conf (%s, %s) names it.",
                                 where, basis);
                        advise_host_resolv_conf(f, why);
                } else if (strncmp(server, "127.0.0.53:", 11) == 0) {
                        snprintf(text, sizeof text,
                                 "%s 127.0.0.53 is systemd-resolved's stub listener: start the resolver.",
                                 why);
                        (void) finding_add_advice(f, ADVICE_COMMAND, text,
                                                  "systemctl enable --now systemd-resolved.service");
                } else {
                        snprintf(text, sizeof text,
                                 "%s Start the DNS server there, or point %s at one that runs.", why,
                                 where[0] ? where : "/etc/resolv.conf");
                        (void) finding_add_advice(f, ADVICE_TEXT, text, NULL);
                }
                return;
        }
        if (!streq(probe, "answered"))
                return;
        unsigned long long ms = rtt ? (unsigned long long) (rtt->u / 1000) : 0;
        if (streq(kind, "no-such-host")) {
                const char *search = ev_string(f, "dns_resolv_conf_search") ?: "";
                char s[320] = "";
                if (search[0])
                        snprintf(s, sizeof s, " (and the search domains %s)", search);
                snprintf(
                        text, sizeof text,
                        "%s answers (%s to goguardd's query from the host, in %llu ms) and says %s does not "
                        "exist. The name is misspelt, or it lives in a zone this server does not know (an "
                        "internal zone served elsewhere: split DNS). Check the name%s, or point the unit at "
                        "the server that knows the zone.",
                        server, rcode, ms, name, s);
                (void) finding_add_advice(f, ADVICE_TEXT, text, NULL);
        } else if (streq(kind, "server-misbehaving")) {
                snprintf(text, sizeof text,
                         "%s answered the unit with an error (SERVFAIL, REFUSED or NOTIMP: Go says \"server "
                         "misbehaving\"); to goguardd's query from the host it answered %s. A server that "
                         "refuses recursion to the unit's address, or a broken upstream, does this: see the "
                         "server's log.",
                         server, rcode);
                (void) finding_add_advice(f, ADVICE_TEXT, text, NULL);
        } else {
                snprintf(text, sizeof text,
                         "%s answers the host (%s in %llu ms) but the unit's query failed (%s): something "
                         "between the unit and the server drops it: IPAddressDeny=, "
                         "RestrictAddressFamilies= without AF_INET/AF_INET6, NetworkNamespacePath=, or a "
                         "firewall rule for the unit's cgroup.",
                         server, rcode, ms, failure_words(f));
                (void) finding_add_advice(f, ADVICE_TEXT, text, NULL);
        }
}

void network_dns_advise(Finding *f) {
        const char *name = ev_string(f, "dns_name") ?: "";
        const char *server = ev_string(f, "dns_server") ?: "";
        const char *kind = ev_string(f, "dns_failure") ?: "";
        const char *probe = ev_string(f, "dns_probe_result");
        const char *probe_server = ev_string(f, "dns_probe_server");
        const char *resolver = ev_string(f, "dns_resolver");
        const char *basis = ev_string(f, "dns_resolv_conf_basis") ?: "";
        const char *rc_error = ev_string(f, "dns_resolv_conf_error");
        const char *rc_servers = ev_string(f, "dns_resolv_conf_nameservers");
        bool private_network = ev_flag(f, "dns_private_network");
        bool own_resolv_conf =
                finding_get(f, "dns_resolv_conf_bind") || finding_get(f, "dns_root_directory");
        char text[1024], detail[512];

        /* A probe of another server than this occurrence's is not evidence about it. */
        if (probe && !streq(probe_server, server[0] ? server : probe_server))
                probe = NULL;

        finding_clear_advice(f);
        if (private_network)
                advise_private_network(f, server, probe);
        else if (probe)
                advise_probe(f, name, probe_server, probe, kind, own_resolv_conf);

        /* A root without resolv.conf: Go and glibc both ask localhost then. */
        if (!private_network && rc_error && rc_error[0] && strcmp(basis, "the host's") != 0) {
                snprintf(text, sizeof text,
                         "The unit sees no readable /etc/resolv.conf (%s: %s): Go's resolver then asks "
                         "127.0.0.1:53 and [::1]:53, where usually no server runs.",
                         ev_string(f, "dns_resolv_conf") ?: "", rc_error);
                advise_host_resolv_conf(f, text);
        } else if (!private_network && rc_servers && !rc_servers[0] && !probe) {
                snprintf(text, sizeof text,
                         "The unit's resolv.conf (%s) names no nameserver: Go's resolver asks 127.0.0.1:53 "
                         "and "
                         "[::1]:53.",
                         basis);
                (void) finding_add_advice(f, ADVICE_TEXT, text, NULL);
        }

        /* libc hides which server it asked and why: Go's own resolver says. */
        if (!server[0] && resolver && strcmp(resolver, "go") != 0) {
                const char *godebug = ev_string(f, "dns_godebug_netdns_source");
                char dropin[256];
                snprintf(dropin, sizeof dropin, "[Service]\nEnvironment=GODEBUG=netdns=go\n");
                snprintf(text, sizeof text,
                         "The message names no server: libc's resolver (cgo) made the lookup, and why it "
                         "failed stays inside libc. With GODEBUG=netdns=go Go's own resolver makes it and "
                         "names the server it asked (netdns=go+1 also logs the choice at start).%s",
                         godebug ? " The drop-in replaces the unit's GODEBUG: keep its other settings."
                                 : "");
                (void) finding_add_advice(f, ADVICE_DROPIN, text, dropin);
        }

        /* The unit's own view, to check by hand. */
        char cmd[768];
        snprintf(cmd, sizeof cmd,
                 "pid=$(systemctl show -P MainPID '%s'); nsenter -t \"$pid\" -m -n cat /etc/resolv.conf; "
                 "nsenter -t \"$pid\" -m -n getent ahosts '%s'",
                 f->unit, name);
        (void) finding_add_advice(
                f, ADVICE_COMMAND,
                "What the unit's processes see as /etc/resolv.conf, and what a lookup in their "
                "namespaces gets:",
                cmd);

        if (server[0])
                snprintf(detail, sizeof detail, "%s on %s, %s", name, server, failure_words(f));
        else
                snprintf(detail, sizeof detail, "%s, %s", name, failure_words(f));
        if (private_network) {
                size_t l = strlen(detail);
                snprintf(detail + l, sizeof detail - l, " (PrivateNetwork=yes)");
        }
        finding_update_summary(f, detail);
}
