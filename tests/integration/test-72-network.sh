# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
# The network family end to end with a real Go program (netfail): a port below 1024 as
# User=nobody and as DynamicUser=yes, a port another unit of the box holds, and local ports run
# out in a network namespace of the unit's own (PrivateNetwork=yes with a range of 10 ports set
# there: net.ipv4.ip_local_port_range is per namespace, the host's is never touched). goguardd
# finds them, names the port's holder, announces them on the bus and writes them to the journal
# with their catalog text. A healthy unit gets none. The box shares the host's network: the ports
# are ones nothing else here uses, checked free first.
source "$SRC_DIR/tests/integration/goguard-lib.sh"
require_go_services
start=$(cat /proc/sys/net/ipv4/ip_unprivileged_port_start)
[[ $start -gt 845 ]] || skip "net.ipv4.ip_unprivileged_port_start is $start: ports 844 and 845 are not privileged here"
gg_start

priv=${UNIT_PREFIX}priv.service
dyn=${UNIT_PREFIX}dyn.service
fixed=${UNIT_PREFIX}fixed.service
holder=${UNIT_PREFIX}holder.service
inuse=${UNIT_PREFIX}inuse.service
eph=${UNIT_PREFIX}eph.service
ok=${UNIT_PREFIX}healthy.service
trap 'box_exec systemctl stop "$priv" "$dyn" "$fixed" "$holder" "$inuse" "$eph" "$ok" >/dev/null 2>&1 || true' EXIT

# port_free PORT: nothing listens on it (tcp) in the host's namespace.
port_free() {
        [[ -z $(ss -Hltn "sport = :$1") ]]
}
for p in 844 845; do
        port_free "$p" || skip "port $p is in use on this host"
done
port=
for _ in $(seq 20); do
        p=$((47300 + RANDOM % 600))
        if port_free "$p"; then
                port=$p
                break
        fi
done
[[ -n $port ]] || skip "no free port in 47300-47899"

box_exec timeout 120 busctl monitor --json=short \
        --match "type=signal,sender=$GG_DEST,member=FindingAdded" >"$BOX_DIR/net-added.json" 2>/dev/null </dev/null &
monitor=$!
sleep 0.5

# evidence_line UNIT REGEX: the unit's first journal entry matching REGEX, as JSON.
evidence_line() {
        box_journal -q -u "$1" -o json -g "$2" | head -n1
}

# 1. A port below 1024 as User=nobody: Go's net.Listen fails, log.Fatal exits 1.
box_exec systemd-run --quiet --unit="$priv" -p User=nobody "$GO_SERVICES_DIR/netfail" -mode=listen -addr=:844
wait_until 15 eval '[ -n "$(gg_finding_of "$priv" privileged-port)" ]'
id=$(gg_finding_of "$priv" privileged-port)
assert_match '[0-9a-f]{32}' "$id" "one privileged-port finding for $priv"
line=$(evidence_line "$priv" 'bind: permission denied')
assert_match '[0-9/]+ [0-9:]+ listen tcp :844: bind: permission denied' "$(json_get "$line" 'd["MESSAGE"]')" \
        "Go's own text, after the log package's date"
f=$(gg_finding "$id")
assert_json "$f" 'd["Class"] == "privileged-port" and d["Severity"] == "critical" and d["State"] == "open" and d["Count"] == 1' \
        "class, severity, state, count"
assert_json "$f" 'd["Unit"] == "'"$priv"'" and d["MessageID"] == "d5e056205a250ddb72ec813baccd426c"' "unit and MESSAGE_ID"
assert_eq "$(json_get "$line" 'd["_SYSTEMD_INVOCATION_ID"]')" "$(json_get "$f" 'd["InvocationID"]')" "the invocation"
assert_json "$f" 'd["Summary"] == "'"$priv"' is not allowed to bind a privileged port: listen tcp :844 as User=nobody, below 1024"' \
        "the summary"
assert_json "$f" 'd["Evidence"]["go_message"] == "listen tcp :844: bind: permission denied"' \
        "the matched message only, without the log package's date"
assert_json "$f" '[d["Evidence"][k] for k in ("net_operation", "net_network", "net_address", "net_port")] == ["listen", "tcp", ":844", 844]' \
        "the operation, network, address and port"
assert_eq "$(json_get "$line" 'd["__CURSOR"]')" "$(json_get "$f" 'd["Evidence"]["journal_cursor"]')" "the line's cursor"
assert_eq "$(json_get "$line" 'd["__REALTIME_TIMESTAMP"]')" "$(json_get "$f" 'd["Evidence"]["logged_at"]')" "the line's time"
assert_json "$f" 'd["Evidence"]["User"] == "nobody" and d["Evidence"]["DynamicUser"] == False and d["Evidence"]["AmbientCapabilities"] == ""' \
        "the settings in force: User=, DynamicUser=, AmbientCapabilities="
# goguardd shares the host's network namespace (for its DNS probes), as does this unit: the
# sysctl is read, and it is the host's.
assert_json "$f" 'd["Evidence"]["ip_unprivileged_port_start"] == '"$(cat /proc/sys/net/ipv4/ip_unprivileged_port_start)"' and d["Evidence"]["ip_unprivileged_port_start_source"] == "read"' \
        "the sysctl, read from the namespace the unit shares"
assert_json "$f" 'd["Evidence"]["net_namespace"] in ("the host'"'"'s (PID 1'"'"'s): no process of the unit lives", "the host'"'"'s, which the unit shares")' \
        "whose network namespace was looked at"
assert_json "$f" 'd["Evidence"]["go_version"] == "go1.19.8" and d["Evidence"]["unit_settings_known"] == True' "the Go version"
assert_json "$f" 'd["Advice"][0] == ["dropin", "Ports below 1024 need CAP_NET_BIND_SERVICE, which a unit running as User=nobody does not have. Give it that capability alone:", "[Service]\nAmbientCapabilities=CAP_NET_BIND_SERVICE\n"]' \
        "advice: the capability alone, in a drop-in"
assert_json "$f" 'd["Advice"][1][0] == "text" and d["Advice"][1][1].startswith("Or let systemd listen: a socket unit of the same name ('"${priv%.service}"'.socket with ListenStream=844)")' \
        "advice: socket activation"
wait_until 5 grep -qF "$id" "$BOX_DIR/net-added.json"
assert_json "$(grep -F "$id" "$BOX_DIR/net-added.json" | head -n1)" \
        'd["payload"]["data"][:4] == ["'"$id"'", "'"$priv"'", "privileged-port", "critical"]' "FindingAdded was sent"
entries=$(box_journal -q -u "$priv" GOGUARD_FINDING_ID="$id" -o json | python3 -c \
        'import json,sys; print(json.dumps([json.loads(l) for l in sys.stdin if l.strip()]))')
assert_json "$entries" 'len(d) == 1 and d[0]["MESSAGE_ID"] == "d5e056205a250ddb72ec813baccd426c" and d[0]["GOGUARD_CLASS"] == "privileged-port"' \
        "one journal entry with the class's MESSAGE_ID"
assert_json "$entries" 'd[0]["MESSAGE"] == "'"$priv"' is not allowed to bind a privileged port: listen tcp :844 as User=nobody, below 1024" and d[0]["PRIORITY"] == "2"' \
        "the summary, priority crit"
assert_json "$entries" 'd[0]["GOGUARD_DROPIN"] == "[Service]\nAmbientCapabilities=CAP_NET_BIND_SERVICE"' "the drop-in"
x=$(box_journal -x -q -u "$priv" GOGUARD_FINDING_ID="$id")
assert_match '.*Subject: '"$priv"' is not allowed to bind a privileged port.*' "$(tr '\n' ' ' <<<"$x")" \
        "journalctl -x: the catalog's subject"
assert_match '.*AmbientCapabilities=CAP_NET_BIND_SERVICE.*' "$(tr '\n' ' ' <<<"$x")" "journalctl -x: the catalog's text"

# ... and the advice works: the same program with the drop-in's setting listens.
box_exec systemd-run --quiet --unit="$fixed" -p User=nobody -p AmbientCapabilities=CAP_NET_BIND_SERVICE \
        "$GO_SERVICES_DIR/netfail" -mode=listen -addr=127.0.0.1:844
wait_until 10 eval '[ -n "$(box_journal -q -u "$fixed" -o cat -g "listening on")" ]'
assert_eq active "$(box_unit_prop "$fixed" ActiveState)" "with CAP_NET_BIND_SERVICE it listens on port 844"
box_exec systemctl stop "$fixed"

# 2. The same as DynamicUser=yes.
box_exec systemd-run --quiet --unit="$dyn" -p DynamicUser=yes "$GO_SERVICES_DIR/netfail" -mode=listen -addr=:845
wait_until 15 eval '[ -n "$(gg_finding_of "$dyn" privileged-port)" ]'
f=$(gg_finding "$(gg_finding_of "$dyn" privileged-port)")
assert_json "$f" 'd["Summary"] == "'"$dyn"' is not allowed to bind a privileged port: listen tcp :845 as DynamicUser=yes, below 1024"' \
        "the summary names DynamicUser="
assert_json "$f" 'd["Evidence"]["DynamicUser"] == True and d["Evidence"]["User"] == "'"${dyn%.service}"'"' \
        "DynamicUser=yes, User= the unit's name as systemd reports it"

# 3. A port another unit holds: the holder is named, with its unit.
box_exec systemd-run --quiet --unit="$holder" "$GO_SERVICES_DIR/netfail" -mode=listen -addr="127.0.0.1:$port"
wait_until 10 eval '[ -n "$(box_journal -q -u "$holder" -o cat -g "listening on")" ]'
hpid=$(box_unit_prop "$holder" MainPID)
box_exec systemd-run --quiet --unit="$inuse" "$GO_SERVICES_DIR/netfail" -mode=listen -addr="127.0.0.1:$port"
wait_until 15 eval '[ -n "$(gg_finding_of "$inuse" port-in-use)" ]'
id=$(gg_finding_of "$inuse" port-in-use)
line=$(evidence_line "$inuse" 'address already in use')
f=$(gg_finding "$id")
assert_json "$f" 'd["Class"] == "port-in-use" and d["MessageID"] == "3cc47f1a7c9c4ed901c79652de688405" and d["Count"] == 1' \
        "port-in-use, once"
assert_json "$f" 'd["Summary"] == "'"$inuse"' found its port already in use: listen tcp 127.0.0.1:'"$port"', held by PID '"$hpid"' (netfail) of '"$holder"'"' \
        "the summary names the holder"
assert_json "$f" 'd["Evidence"]["go_message"] == "listen tcp 127.0.0.1:'"$port"': bind: address already in use"' "the matched message"
assert_eq "$(json_get "$line" 'd["__CURSOR"]')" "$(json_get "$f" 'd["Evidence"]["journal_cursor"]')" "the line's cursor"
assert_json "$f" 'd["Evidence"]["port_holder"] == "PID '"$hpid"' (netfail) of '"$holder"', on 127.0.0.1:'"$port"'"' "the holder"
assert_json "$f" '[d["Evidence"][k] for k in ("port_holder_pid", "port_holder_comm", "port_holder_unit", "port_holder_state", "port_holder_address", "port_holder_uid")] == ['"$hpid"', "netfail", "'"$holder"'", "LISTEN", "127.0.0.1:'"$port"'", 0]' \
        "the holder's process, unit, socket state, address and owner"
assert_json "$f" 'd["Advice"] == [["text", "PID '"$hpid"' (netfail) of '"$holder"' holds the port now. Stop it, or give one of the two another port.", ""], ["command", "What listens on the port now, with its process:", "ss -Hltnp '"'"'sport = :'"$port"''"'"'"]]' \
        "advice: who to stop, and how to see it"
wait_until 5 grep -qF "$id" "$BOX_DIR/net-added.json"
entries=$(box_journal -q -u "$inuse" GOGUARD_FINDING_ID="$id" -o json | python3 -c \
        'import json,sys; print(json.dumps([json.loads(l) for l in sys.stdin if l.strip()]))')
assert_json "$entries" 'len(d) == 1 and d[0]["MESSAGE_ID"] == "3cc47f1a7c9c4ed901c79652de688405"' "its journal entry"
x=$(box_journal -x -q -u "$inuse" GOGUARD_FINDING_ID="$id")
assert_match '.*Subject: The port of '"$inuse"' is already in use.*' "$(tr '\n' ' ' <<<"$x")" "journalctl -x: the subject"
assert_eq "" "$(gg_finding_of "$holder" port-in-use)" "nothing about the holder"

# 4. Local ports run out, in the unit's own network namespace with a range of 10 ports there.
box_exec systemd-run --quiet --unit="$eph" -p PrivateNetwork=yes "$GO_SERVICES_DIR/netfail" -mode=ephemeral \
        -range="40000 40009" -addr=127.0.0.1:40100
wait_until 15 eval '[ -n "$(gg_finding_of "$eph" ephemeral-ports)" ]'
id=$(gg_finding_of "$eph" ephemeral-ports)
line=$(evidence_line "$eph" 'cannot assign requested address')
f=$(gg_finding "$id")
assert_json "$f" 'd["Class"] == "ephemeral-ports" and d["Severity"] == "warning" and d["MessageID"] == "f7a0640082153169a19e22c29a5fca0f"' \
        "ephemeral-ports"
assert_json "$f" 'd["Summary"] == "'"$eph"' ran out of local ports for outgoing connections: dial tcp 127.0.0.1:40100, 10 connections on local ports 40000-40009"' \
        "the summary"
assert_json "$f" 'd["Evidence"]["go_message"] == "dial tcp 127.0.0.1:40100: connect: cannot assign requested address"' "the matched message"
assert_eq "$(json_get "$line" 'd["__CURSOR"]')" "$(json_get "$f" 'd["Evidence"]["journal_cursor"]')" "the line's cursor"
epid=$(box_unit_prop "$eph" MainPID)
assert_json "$f" 'd["Evidence"]["net_namespace"] == "the unit'"'"'s own (PID '"$epid"''"'"'s)"' "the unit's own namespace was read"
assert_json "$f" '[d["Evidence"][k] for k in ("local_ports_in_use", "local_ports_seen", "time_wait_sockets", "top_destination", "top_destination_sockets", "top_destination_time_wait")] == [10, "40000-40009", 0, "127.0.0.1:40100", 10, 0]' \
        "its sockets: 10 connections on the 10 ports, all to the listener"
assert_json "$f" '"ip_local_port_range" not in d["Evidence"]' "the range itself is not readable from goguardd's namespace"
assert_json "$f" 'd["Advice"][0][1].startswith("connect() found no free local port: every port of net.ipv4.ip_local_port_range was taken towards that destination (the range was not read: the unit has a network namespace of its own). Now 10 connections use local ports 40000-40009, 0 of them in TIME_WAIT; most go to 127.0.0.1:40100 (10, 0 in TIME_WAIT).")' \
        "advice: what took the ports"
assert_eq "32768	60999" "$(cat /proc/sys/net/ipv4/ip_local_port_range)" "the host's range is untouched"
wait_until 5 grep -qF "$id" "$BOX_DIR/net-added.json"
x=$(box_journal -x -q -u "$eph" GOGUARD_FINDING_ID="$id")
assert_match '.*Subject: '"$eph"' is out of local ports for outgoing connections.*' "$(tr '\n' ' ' <<<"$x")" \
        "journalctl -x: the subject"

# 5. A healthy Go service: nothing of this family.
box_exec systemd-run --quiet --unit="$ok" -p User=nobody -E HEALTHY_ADDR=127.0.0.1:0 "$GO_SERVICES_DIR/healthy"
wait_until 10 gg_has_unit "$ok"
sleep 3
for class in privileged-port port-in-use ephemeral-ports; do
        assert_eq "" "$(gg_finding_of "$ok" "$class")" "no $class finding for a healthy unit"
done
assert_json "$(gg_call ListFindings 'a{sv}uu' 1 unit s "$ok" 0 0)" 'd["data"][1] == 0' "no finding at all for it"
kill "$monitor" 2>/dev/null || true
wait "$monitor" 2>/dev/null || true
