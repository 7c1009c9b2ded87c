# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
# Name resolution end to end, without the internet: a real Go program (dnsfail) dials a name
# under .invalid through the resolv.conf its unit sees (BindReadOnlyPaths=), asking a DNS server
# that answers NXDOMAIN (dnsfail -serve on a loopback address), one where nothing listens, the
# same from behind PrivateNetwork=yes, and through libc (cgo, GODEBUG=netdns=cgo). goguardd finds
# each in the journal with Go's message, the resolver, the resolv.conf the unit sees and what the
# server answered goguardd's own query; announces it on the bus and in the journal with its
# catalog text. goguardd reads the unit's resolv.conf on its inspector thread, never on the loop
# (strace). A healthy unit, and one whose failure is not DNS, get none.
source "$SRC_DIR/tests/integration/goguard-lib.sh"
require_go_services
box_exec test -x /usr/bin/strace || skip "strace is not installed"
gg_start

srv=${UNIT_PREFIX}server.service
nx=${UNIT_PREFIX}nx.service
refused=${UNIT_PREFIX}refused.service
private=${UNIT_PREFIX}private.service
cgo=${UNIT_PREFIX}cgo.service
notdns=${UNIT_PREFIX}notdns.service
ok=${UNIT_PREFIX}healthy.service
trap 'gg_trace_stop; box_exec systemctl stop "$srv" "$nx" "$refused" "$private" "$cgo" "$notdns" "$ok" >/dev/null 2>&1 || true; box_exec rm -f "$trace"' EXIT
trace=/run/${UNIT_PREFIX}strace.log

# A server that answers on 127.83.0.53:53, nothing on 127.83.0.54:53 (loopback: the box shares
# the host's network, and no one else uses these addresses).
server=127.83.0.53
silent=127.83.0.54
conf_ok=/run/${UNIT_PREFIX}resolv-ok.conf
conf_refused=/run/${UNIT_PREFIX}resolv-refused.conf
box_sh 'printf "nameserver %s\noptions timeout:1 attempts:1\n" "$1" >"$2"; printf "nameserver %s\noptions timeout:1 attempts:1\n" "$3" >"$4"' \
        "$server" "$conf_ok" "$silent" "$conf_refused"
name=db.gg-test.invalid

box_exec timeout 120 busctl monitor --json=short \
        --match "type=signal,sender=$GG_DEST,member=FindingAdded" >"$BOX_DIR/dns-added.json" 2>/dev/null </dev/null &
monitor=$!
sleep 0.5

box_exec systemd-run --quiet --unit="$srv" "$GO_SERVICES_DIR/dnsfail" -serve "$server:53"
wait_until 10 box_sh 'journalctl -q -u "$1" -o cat | grep -q "serving DNS"' "$srv"

# evidence_line UNIT REGEX: the unit's first journal entry matching REGEX, as JSON (the unit
# writes many: head ends the pipe in the box, where no pipefail reports it).
evidence_line() {
        box_sh 'journalctl --no-pager -q -u "$1" -o json -g "$2" | head -n1' "$1" "$2"
}
# finding_entries UNIT ID: goguardd's journal entries for the finding, as one JSON list.
finding_entries() {
        box_journal -q -u "$1" GOGUARD_FINDING_ID="$2" -o json | python3 -c \
                'import json,sys; print(json.dumps([json.loads(l) for l in sys.stdin if l.strip()]))'
}
# finding_with UNIT KEY: waits for the unit's dns-resolution finding to have evidence KEY; prints it.
finding_with() {
        fw_unit=$1 fw_key=$2
        wait_until 15 eval '[ -n "$(gg_finding_of "$fw_unit" dns-resolution)" ]'
        fw_id=$(gg_finding_of "$fw_unit" dns-resolution)
        wait_until 10 eval '[ -n "$(json_get "$(gg_finding "$fw_id")" "d[\"Evidence\"].get(\"$fw_key\", \"\")")" ]'
        gg_finding "$fw_id"
}

# 1. NXDOMAIN from a server that answers; it answers goguardd's query too.
gg_trace_start "$trace"
box_exec systemd-run --quiet --unit="$nx" -p BindReadOnlyPaths="$conf_ok:/etc/resolv.conf" \
        "$GO_SERVICES_DIR/dnsfail" -name "$name"
f=$(finding_with "$nx" dns_probe_result)
gg_trace_stop
assert_off_loop "$trace" "\"$conf_ok\"" "the unit's resolv.conf"
id=$(json_get "$f" 'd["Id"]')
line=$(evidence_line "$nx" 'no such host')
assert_match '[0-9/]+ [0-9:]+ dial tcp: lookup db\.gg-test\.invalid on 127\.83\.0\.53:53: no such host' \
        "$(json_get "$line" 'd["MESSAGE"]')" "Go's own text, after the log package's date"
assert_json "$f" 'd["Class"] == "dns-resolution" and d["Severity"] == "warning" and d["State"] == "open" and d["Count"] == 1' \
        "class, severity, state, count"
assert_json "$f" 'd["Unit"] == "'"$nx"'" and d["MessageID"] == "bfe1af72b26e4563b8ca1d689cd1c76e"' "unit and MESSAGE_ID"
assert_eq "$(box_unit_prop "$nx" InvocationID)" "$(json_get "$f" 'd["InvocationID"]')" "the invocation"
assert_json "$f" 'd["Summary"] == "'"$nx"' cannot resolve host names: db.gg-test.invalid on 127.83.0.53:53, no such host"' \
        "the summary"
assert_json "$f" 'd["Evidence"]["go_message"] == "dial tcp: lookup db.gg-test.invalid on 127.83.0.53:53: no such host"' \
        "the matched message only"
assert_eq "$(json_get "$line" 'd["__CURSOR"]')" "$(json_get "$f" 'd["Evidence"]["journal_cursor"]')" "the line's cursor"
assert_eq "$(json_get "$line" 'd["__REALTIME_TIMESTAMP"]')" "$(json_get "$f" 'd["Evidence"]["logged_at"]')" "the line's time"
assert_json "$f" '[d["Evidence"][k] for k in ("dns_name", "dns_server", "dns_error", "dns_failure")] == ["db.gg-test.invalid", "127.83.0.53:53", "no such host", "no-such-host"]' \
        "name, server, error"
assert_json "$f" 'd["Evidence"]["dns_resolver"] == "go" and d["Evidence"]["dns_resolver_basis"] == "built with CGO_ENABLED=0: Go'"'"'s own resolver only" and d["Evidence"]["dns_cgo_enabled"] == False' \
        "the resolver, from the build info"
assert_json "$f" 'd["Evidence"]["go_version"] == "go1.19.8" and d["Evidence"]["dns_private_network"] == False' \
        "Go version, PrivateNetwork="
assert_json "$f" 'd["Evidence"]["dns_resolv_conf"] == "'"$conf_ok"'" and d["Evidence"]["dns_resolv_conf_bind"] == "'"$conf_ok"'" and d["Evidence"]["dns_resolv_conf_basis"] == "bind-mounted onto /etc/resolv.conf (BindReadOnlyPaths=/BindPaths=)"' \
        "the resolv.conf the unit sees"
assert_json "$f" '[d["Evidence"][k] for k in ("dns_resolv_conf_nameservers", "dns_resolv_conf_search", "dns_resolv_conf_options", "dns_resolv_conf_error")] == ["127.83.0.53:53", "", "timeout:1 attempts:1", ""]' \
        "what it says"
assert_json "$f" 'd["Evidence"]["dns_probe_server"] == "127.83.0.53:53" and d["Evidence"]["dns_probe_result"] == "answered" and d["Evidence"]["dns_probe_rcode"] == "NXDOMAIN" and d["Evidence"]["dns_probe_timeout_usec"] == 2000000' \
        "the server answered goguardd's query: NXDOMAIN"
assert_json "$f" '0 < d["Evidence"]["dns_probe_rtt_usec"] < 2000000 and d["Evidence"]["dns_probe_at"] >= d["Evidence"]["logged_at"]' \
        "within the timeout, after the line"
assert_json "$f" 'd["Advice"][0] == ["text", "127.83.0.53:53 answers (NXDOMAIN to goguardd'"'"'s query from the host, in %d ms) and says db.gg-test.invalid does not exist. The name is misspelt, or it lives in a zone this server does not know (an internal zone served elsewhere: split DNS). Check the name, or point the unit at the server that knows the zone." % (d["Evidence"]["dns_probe_rtt_usec"] // 1000), ""]' \
        "advice: the name does not exist there"
assert_json "$f" 'd["Advice"][1] == ["command", "What the unit'"'"'s processes see as /etc/resolv.conf, and what a lookup in their namespaces gets:", "pid=$(systemctl show -P MainPID '"'$nx'"'); nsenter -t \"$pid\" -m -n cat /etc/resolv.conf; nsenter -t \"$pid\" -m -n getent ahosts '"'$name'"'"] and len(d["Advice"]) == 2' \
        "advice: the unit's view, by hand"

# ... announced on the bus, and in the journal once with its MESSAGE_ID and catalog text.
wait_until 5 grep -qF "$id" "$BOX_DIR/dns-added.json"
assert_json "$(grep -F "$id" "$BOX_DIR/dns-added.json" | head -n1)" \
        'd["payload"]["data"][:4] == ["'"$id"'", "'"$nx"'", "dns-resolution", "warning"]' "FindingAdded was sent"
entries=$(finding_entries "$nx" "$id")
assert_json "$entries" 'len(d) == 1 and d[0]["MESSAGE_ID"] == "bfe1af72b26e4563b8ca1d689cd1c76e" and d[0]["GOGUARD_CLASS"] == "dns-resolution"' \
        "one journal entry with the class's MESSAGE_ID"
assert_json "$entries" 'd[0]["MESSAGE"] == "'"$nx"' cannot resolve host names: db.gg-test.invalid on 127.83.0.53:53, no such host" and d[0]["PRIORITY"] == "4" and d[0]["GOGUARD_EVIDENCE_CURSOR"] == "'"$(json_get "$line" 'd["__CURSOR"]')"'"' \
        "the summary, priority warning, the evidence's cursor"
x=$(box_journal -x -q -u "$nx" GOGUARD_FINDING_ID="$id")
assert_match '.*Subject: '"$nx"' cannot resolve host names.*' "$(tr '\n' ' ' <<<"$x")" "journalctl -x: the catalog's subject"
assert_match '.*goguardd asks that server itself.*' "$(tr '\n' ' ' <<<"$x")" "journalctl -x: the catalog's text"
# Retries of the same invocation are one occurrence.
wait_until 10 eval '[ "$(box_journal -q -u "$nx" -o cat -g "no such host" | wc -l)" -ge 3 ]'
assert_json "$(gg_finding "$id")" 'd["Count"] == 1' "three retries, one occurrence"

# 2. Nothing listens where the unit's resolv.conf points: refused to the unit and to goguardd.
box_exec systemd-run --quiet --unit="$refused" -p BindReadOnlyPaths="$conf_refused:/etc/resolv.conf" \
        "$GO_SERVICES_DIR/dnsfail" -name "$name"
f=$(finding_with "$refused" dns_probe_result)
assert_match 'dial tcp: lookup db\.gg-test\.invalid on 127\.83\.0\.54:53: read udp 127\.0\.0\.1:[0-9]+->127\.83\.0\.54:53: read: connection refused' \
        "$(json_get "$f" 'd["Evidence"]["go_message"]')" "Go's message"
assert_json "$f" 'd["Summary"] == "'"$refused"' cannot resolve host names: db.gg-test.invalid on 127.83.0.54:53, connection refused" and d["Evidence"]["dns_failure"] == "refused"' \
        "the summary"
assert_json "$f" 'd["Evidence"]["dns_probe_result"] == "refused" and d["Evidence"]["dns_probe_rcode"] == "" and "dns_probe_rtt_usec" not in d["Evidence"]' \
        "goguardd's query was refused too"
assert_json "$f" 'd["Advice"][0] == ["dropin", "Nothing answers DNS at 127.83.0.54:53: goguardd'"'"'s query from the host was refused too (nothing listens on that port). The unit'"'"'s resolv.conf ('"$conf_refused"', bind-mounted onto /etc/resolv.conf (BindReadOnlyPaths=/BindPaths=)) names it. Give the unit the host'"'"'s /etc/resolv.conf. The empty BindReadOnlyPaths= line resets the unit'"'"'s list (two binds onto one path do not stack): repeat the other paths it binds.", "[Service]\nBindReadOnlyPaths=\nBindReadOnlyPaths=/etc/resolv.conf\n"]' \
        "advice: the host's resolv.conf, as a drop-in"
id=$(json_get "$f" 'd["Id"]')
entries=$(finding_entries "$refused" "$id")
# The journal entry is written once, when the finding is added: before the probe's answer, which
# comes with FindingUpdated.
assert_json "$entries" 'len(d) == 1 and d[0]["MESSAGE"] == "'"$refused"' cannot resolve host names: db.gg-test.invalid on 127.83.0.54:53, connection refused" and d[0]["GOGUARD_DROPIN"] == ""' \
        "one journal entry, written before the probe's answer"

# 3. PrivateNetwork=yes: the server answers the host, the unit's own loopback has none.
box_exec systemd-run --quiet --unit="$private" -p PrivateNetwork=yes -p BindReadOnlyPaths="$conf_ok:/etc/resolv.conf" \
        "$GO_SERVICES_DIR/dnsfail" -name "$name"
f=$(finding_with "$private" dns_probe_result)
assert_match 'dial tcp: lookup db\.gg-test\.invalid on 127\.83\.0\.53:53: read udp 127\.0\.0\.1:[0-9]+->127\.83\.0\.53:53: read: connection refused' \
        "$(json_get "$f" 'd["Evidence"]["go_message"]')" "Go's message from inside the private network"
assert_json "$f" 'd["Summary"] == "'"$private"' cannot resolve host names: db.gg-test.invalid on 127.83.0.53:53, connection refused (PrivateNetwork=yes)"' \
        "the summary names PrivateNetwork="
assert_json "$f" 'd["Evidence"]["dns_private_network"] == True and d["Evidence"]["dns_probe_result"] == "answered" and d["Evidence"]["dns_probe_rcode"] == "NXDOMAIN"' \
        "PrivateNetwork=yes, and the server answers the host"
assert_json "$f" 'd["Advice"][0] == ["dropin", "PrivateNetwork=yes gives the unit a network namespace of its own with nothing but a loopback device: it cannot reach any DNS server (it asked 127.83.0.53:53). Let the unit use the host'"'"'s network; if it must stay apart, restrict it with IPAddressDeny=/IPAddressAllow= instead, which leave DNS reachable. 127.83.0.53:53 answers the host.", "[Service]\nPrivateNetwork=no\n"] and len(d["Advice"]) == 2' \
        "advice: PrivateNetwork=no is the cause"

# 4. libc's resolver (cgo, GODEBUG=netdns=cgo) names no server: the unit's resolv.conf does.
box_exec systemd-run --quiet --unit="$cgo" -p BindReadOnlyPaths="$conf_refused:/etc/resolv.conf" \
        -E GODEBUG=netdns=cgo "$GO_SERVICES_DIR/dnsfail-cgo" -name "$name"
f=$(finding_with "$cgo" dns_probe_result)
assert_json "$f" 'd["Evidence"]["go_message"] == "dial tcp: lookup db.gg-test.invalid: Temporary failure in name resolution"' \
        "libc's gai_strerror() through cgo"
assert_json "$f" 'd["Summary"] == "'"$cgo"' cannot resolve host names: db.gg-test.invalid, Temporary failure in name resolution"' "the summary"
assert_json "$f" 'd["Evidence"]["dns_server"] == "" and d["Evidence"]["dns_failure"] == "temporary" and d["Evidence"]["dns_cgo_enabled"] == True' \
        "no server in the message; cgo"
assert_json "$f" 'd["Evidence"]["dns_resolver"] == "cgo" and d["Evidence"]["dns_resolver_basis"] == "GODEBUG netdns=cgo: libc'"'"'s resolver" and d["Evidence"]["dns_godebug_netdns"] == "cgo"' \
        "the resolver: GODEBUG"
assert_match '(process environment|Environment=)' "$(json_get "$f" 'd["Evidence"]["dns_godebug_netdns_source"]')" \
        "GODEBUG from the unit's environment"
assert_json "$f" 'd["Evidence"]["dns_probe_server"] == "127.83.0.54:53" and d["Evidence"]["dns_probe_result"] == "refused"' \
        "the resolv.conf's server was probed"
assert_json "$f" '[a[0] for a in d["Advice"]] == ["dropin", "dropin", "command"] and d["Advice"][1][2] == "[Service]\nEnvironment=GODEBUG=netdns=go\n"' \
        "advice: the resolv.conf, then Go's own resolver to see the server"
assert_json "$f" 'd["Advice"][1][1].endswith("The drop-in replaces the unit'"'"'s GODEBUG: keep its other settings.")' \
        "advice: GODEBUG is set already"

# 5. A connection refused that is not DNS, and a healthy Go service: no dns-resolution finding.
box_exec systemd-run --quiet --unit="$notdns" "$GO_SERVICES_DIR/dnsfail" -name 127.0.0.1 -port 1
box_exec systemd-run --quiet --unit="$ok" -p DynamicUser=yes -E HEALTHY_ADDR=127.0.0.1:0 "$GO_SERVICES_DIR/healthy"
wait_until 10 gg_has_unit "$ok"
wait_until 10 eval '[ "$(box_journal -q -u "$notdns" -o cat -g "connection refused" | wc -l)" -ge 2 ]'
sleep 2
assert_eq "" "$(gg_finding_of "$notdns" dns-resolution)" "no dns-resolution for a refused connection to an address"
assert_eq "" "$(gg_finding_of "$ok" dns-resolution)" "no dns-resolution for a healthy unit"
assert_json "$(gg_call ListFindings 'a{sv}uu' 1 unit s "$ok" 0 0)" 'd["data"][1] == 0' "no finding at all for it"
kill "$monitor" 2>/dev/null || true
wait "$monitor" 2>/dev/null || true
