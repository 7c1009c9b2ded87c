# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
# File descriptors end to end: real Go programs (fdleak) run out of descriptors under real
# LimitNOFILE= settings, and the Go runtime fails to start its netpoller under tiny ones; goguardd
# finds them in the journal, with the limit in force as Go sees it, announces them on the bus and
# writes them to the journal with their catalog text. A healthy unit gets none. (ENFILE needs the
# host's fs.file-max exhausted: tests/analyze and the Check tests cover it.)
source "$SRC_DIR/tests/integration/goguard-lib.sh"
require_go_services
gg_start

acc=${UNIT_PREFIX}accept.service
web=${UNIT_PREFIX}http.service
opn=${UNIT_PREFIX}open.service
epoll=${UNIT_PREFIX}epoll.service
pipe=${UNIT_PREFIX}pipe.service
ok=${UNIT_PREFIX}healthy.service
trap 'box_exec systemctl stop "$acc" "$web" "$opn" "$epoll" "$pipe" "$ok" >/dev/null 2>&1 || true' EXIT

box_exec timeout 90 busctl monitor --json=short \
        --match "type=signal,sender=$GG_DEST,member=FindingAdded" >"$BOX_DIR/fd-added.json" 2>/dev/null </dev/null &
monitor=$!
sleep 0.5

# 1. accept4 fails under LimitNOFILE=64 (soft and hard); the program keeps running.
box_exec systemd-run --quiet --unit="$acc" -p LimitNOFILE=64 "$GO_SERVICES_DIR/fdleak" -mode=accept
wait_until 15 eval '[ -n "$(gg_finding_of "$acc" fd-exhaustion)" ]'
id=$(gg_finding_of "$acc" fd-exhaustion)
assert_match '[0-9a-f]{32}' "$id" "one fd-exhaustion finding for $acc"
port=$(box_journal -q -u "$acc" -o cat -g 'listening on' | sed -n 's/.*listening on 127\.0\.0\.1:\([0-9]*\)$/\1/p')
assert_match '[0-9]+' "$port" "fdleak's port"
line=$(gg_evidence_line "$acc" 'too many open files')
assert_match '[0-9/]+ [0-9:]+ accept tcp 127\.0\.0\.1:'"$port"': accept4: too many open files' \
        "$(json_get "$line" 'd["MESSAGE"]')" "Go's own text, after the log package's date"
f=$(gg_finding "$id")
assert_json "$f" 'd["Class"] == "fd-exhaustion" and d["Severity"] == "critical" and d["State"] == "open" and d["Count"] == 1' \
        "class, severity, state, count"
assert_json "$f" 'd["Unit"] == "'"$acc"'" and d["MessageID"] == "b6f0a8205f2e54bb9e6fb857295a1831"' "unit and MESSAGE_ID"
assert_eq "$(box_unit_prop "$acc" InvocationID)" "$(json_get "$f" 'd["InvocationID"]')" "the invocation"
assert_json "$f" 'd["Summary"] == "'"$acc"' ran out of file descriptors: accept4, limit 64"' "the summary"
assert_json "$f" 'd["Evidence"]["go_message"] == "accept tcp 127.0.0.1:'"$port"': accept4: too many open files"' \
        "the matched message, without the log package's date"
assert_json "$f" 'd["Evidence"]["fd_operation"] == "accept4"' "the operation that failed"
assert_eq "$(json_get "$line" 'd["__CURSOR"]')" "$(json_get "$f" 'd["Evidence"]["journal_cursor"]')" \
        "the journal cursor of the line"
assert_eq "$(json_get "$line" 'd["__REALTIME_TIMESTAMP"]')" "$(json_get "$f" 'd["Evidence"]["logged_at"]')" \
        "the time of the line"
assert_eq "$(json_get "$line" 'd["__REALTIME_TIMESTAMP"]')" "$(json_get "$f" 'd["FirstSeen"]')" "first seen"
assert_json "$f" 'd["Evidence"]["LimitNOFILE"] == 64 and d["Evidence"]["LimitNOFILESoft"] == 64' "the unit's LimitNOFILE="
assert_json "$f" 'd["Evidence"]["nofile_limit"] == 64 and d["Evidence"]["nofile_limit_basis"] == "soft and hard limits are equal"' \
        "the limit in force"
assert_json "$f" 'd["Evidence"]["go_version"] == "go1.19.8" and d["Evidence"]["unit_settings_known"] == True' \
        "the Go version, settings known"
assert_json "$f" 'd["Advice"][0] == ["dropin", "The service had 64 descriptors open, its limit (soft and hard limits are equal) when accept4 failed. Raise LimitNOFILE=; the drop-in allows 1024. If the count keeps growing while the load does not, the service leaks descriptors: raising the limit only delays the failure.", "[Service]\nLimitNOFILE=1024\n"]' \
        "advice: a drop-in with LimitNOFILE=1024, and that a leak is only delayed"
assert_json "$f" 'd["Advice"][1][0] == "command" and d["Advice"][1][2].startswith("ls -l /proc/$(systemctl show -P MainPID '"'$acc'"')/fd")' \
        "advice: what the process holds"
assert_eq active "$(box_unit_prop "$acc" ActiveState)" "fdleak keeps running"

# ... announced on the bus, and in the journal once with its MESSAGE_ID and catalog text.
wait_until 5 grep -qF "$id" "$BOX_DIR/fd-added.json"
signal=$(grep -F "$id" "$BOX_DIR/fd-added.json" | head -n1)
assert_json "$signal" 'd["payload"]["data"][:4] == ["'"$id"'", "'"$acc"'", "fd-exhaustion", "critical"]' "FindingAdded was sent"
entries=$(gg_journal_entries "$acc" "$id")
assert_json "$entries" 'len(d) == 1 and d[0]["MESSAGE_ID"] == "b6f0a8205f2e54bb9e6fb857295a1831" and d[0]["GOGUARD_CLASS"] == "fd-exhaustion"' \
        "one journal entry with the class's MESSAGE_ID"
assert_json "$entries" 'd[0]["MESSAGE"] == "'"$acc"' ran out of file descriptors: accept4, limit 64" and d[0]["PRIORITY"] == "2"' \
        "the summary, priority crit"
assert_json "$entries" 'd[0]["GOGUARD_DROPIN"] == "[Service]\nLimitNOFILE=1024" and d[0]["GOGUARD_EVIDENCE_CURSOR"] == "'"$(json_get "$line" 'd["__CURSOR"]')"'"' \
        "the drop-in and the evidence's cursor"
x=$(box_journal -x -q -u "$acc" GOGUARD_FINDING_ID="$id")
assert_match '.*Subject: '"$acc"' ran out of file descriptors.*' "$(tr '\n' ' ' <<<"$x")" "journalctl -x: the catalog's subject"
assert_match '.*Since Go 1\.19 a Go program raises its soft limit to.*' "$(tr '\n' ' ' <<<"$x")" "journalctl -x: the catalog's text"

# 2. net/http retries its accept again and again: one occurrence per invocation. LimitNOFILE=32:64:
#    Go 1.19 raises the soft limit to the hard one, so 64 is what the program ran into.
box_exec systemd-run --quiet --unit="$web" -p LimitNOFILE=32:64 "$GO_SERVICES_DIR/fdleak" -mode=http
wait_until 15 eval '[ -n "$(gg_finding_of "$web" fd-exhaustion)" ]'
wait_until 10 eval '[ "$(box_journal -q -u "$web" -o cat -g "http: Accept error" | wc -l)" -ge 3 ]'
port=$(box_journal -q -u "$web" -o cat -g 'listening on' | sed -n 's/.*listening on 127\.0\.0\.1:\([0-9]*\)$/\1/p')
f=$(gg_finding "$(gg_finding_of "$web" fd-exhaustion)")
assert_json "$f" 'd["Evidence"]["go_message"] == "http: Accept error: accept tcp 127.0.0.1:'"$port"': accept4: too many open files; retrying in 5ms"' \
        "net/http's message, with its first delay"
assert_json "$f" 'd["Count"] == 1' "three retries are one occurrence"
assert_json "$f" 'd["Evidence"]["LimitNOFILE"] == 64 and d["Evidence"]["LimitNOFILESoft"] == 32 and d["Evidence"]["nofile_limit"] == 64' \
        "the hard limit is the one in force"
assert_json "$f" 'd["Evidence"]["nofile_limit_basis"] == "hard: Go 1.19 and later raise the soft limit to it"' "and why"
assert_match 'Max open files +64 +64 +files *' "$(box_sh 'grep "^Max open files" /proc/$1/limits' "$(box_unit_prop "$web" MainPID)")" \
        "the program did raise its soft limit"
assert_json "$f" 'd["Summary"] == "'"$web"' ran out of file descriptors: accept4, limit 64"' "the summary"
box_exec systemctl restart "$web"
wait_until 15 eval 'json_get "$(gg_finding "$(gg_finding_of "$web" fd-exhaustion)")" "d[\"Count\"]" | grep -qx 2'
f=$(gg_finding "$(gg_finding_of "$web" fd-exhaustion)")
assert_json "$f" 'd["Count"] == 2 and d["Summary"].endswith(" (2 times)")' "a new invocation is one more"
assert_eq "$(box_unit_prop "$web" InvocationID)" "$(json_get "$f" 'd["InvocationID"]')" "of the new invocation"

# 3. open(2) under LimitNOFILE=64.
box_exec systemd-run --quiet --unit="$opn" -p LimitNOFILE=64 "$GO_SERVICES_DIR/fdleak" -mode=open
wait_until 15 eval '[ -n "$(gg_finding_of "$opn" fd-exhaustion)" ]'
f=$(gg_finding "$(gg_finding_of "$opn" fd-exhaustion)")
assert_json "$f" 'd["Evidence"]["go_message"] == "open /dev/null: too many open files" and d["Evidence"]["fd_operation"] == "open"' \
        "os.Open's PathError"
assert_json "$f" 'd["Summary"] == "'"$opn"' ran out of file descriptors: open, limit 64"' "the summary"
# ... and goguardd's sampling (every 10 s) sees it hold all 64, by kind: stdin and 58 more
# /dev/null (files), stdout and stderr (sockets to journald), the netpoller's epoll and pipe.
wait_until 25 eval 'json_get "$(gg_finding "$(gg_finding_of "$opn" fd-exhaustion)")" "d[\"Evidence\"].get(\"fd_count\", 0)" | grep -qx 64'
f=$(gg_finding "$(gg_finding_of "$opn" fd-exhaustion)")
assert_json "$f" 'd["Evidence"]["fd_count"] == 64 and d["Evidence"]["fd_kinds_read"] == 64 and d["Count"] == 1' \
        "the sample: all 64 held, one occurrence with the message"
assert_json "$f" '[d["Evidence"][k] for k in ("fd_files", "fd_sockets", "fd_pipes", "fd_anon_inodes", "fd_other")] == [59, 2, 2, 1, 0]' \
        "by kind: 59 files, 2 sockets, 2 pipes, 1 anon inode"
assert_json "$f" 'd["Evidence"]["fd_growth_per_min"] == 0' "not growing"

# 4. The netpoller cannot start: with LimitNOFILE=4 the first descriptor fdleak opens takes the
#    last one, and the runtime's epoll_create1() fails; with 5, the pipe Go 1.19 wakes it with.
box_exec systemd-run --quiet --unit="$epoll" -p LimitNOFILE=4 "$GO_SERVICES_DIR/fdleak" -mode=open
box_exec systemd-run --quiet --unit="$pipe" -p LimitNOFILE=5 "$GO_SERVICES_DIR/fdleak" -mode=open
wait_until 15 eval '[ -n "$(gg_finding_of "$epoll" netpoll-init)" ] && [ -n "$(gg_finding_of "$pipe" netpoll-init)" ]'
id=$(gg_finding_of "$epoll" netpoll-init)
line=$(gg_evidence_line "$epoll" 'epollcreate failed')
wait_until 5 eval 'json_get "$(gg_finding "$id")" "d[\"Evidence\"].get(\"go_message_detail\", \"\")" | grep -q .'
f=$(gg_finding "$id")
assert_json "$f" 'd["Class"] == "netpoll-init" and d["MessageID"] == "d9a64eb1bf0f35a1b49f702520474b6f" and d["Count"] == 1' \
        "netpoll-init, once"
assert_json "$f" 'd["Summary"] == "'"$epoll"' could not start the Go network poller: epollcreate failed with EMFILE, limit 4"' \
        "the summary"
assert_json "$f" 'd["Evidence"]["go_message"] == "runtime: epollcreate failed with 24" and d["Evidence"]["go_errno"] == 24' \
        "the runtime's message and errno"
assert_json "$f" 'd["Evidence"]["go_message_detail"] == "fatal error: runtime: netpollinit failed"' "and its throw"
assert_eq "$(json_get "$line" 'd["__CURSOR"]')" "$(json_get "$f" 'd["Evidence"]["journal_cursor"]')" "the line's cursor"
assert_eq "$(json_get "$line" 'd["__REALTIME_TIMESTAMP"]')" "$(json_get "$f" 'd["Evidence"]["logged_at"]')" "the line's time"
assert_json "$f" 'd["Evidence"]["LimitNOFILE"] == 4 and d["Evidence"]["nofile_limit"] == 4 and d["Evidence"]["go_version"] == "go1.19.8"' \
        "the limit and the Go version"
assert_json "$f" 'd["Advice"] == [["dropin", "The Go runtime needs descriptors of its own for its network poller (an epoll instance and a pipe or an eventfd to wake it), besides stdin, stdout and stderr: a limit of 4 (soft and hard limits are equal) left none. The drop-in allows 1024.", "[Service]\nLimitNOFILE=1024\n"]]' \
        "advice: LimitNOFILE=1024"
assert_eq "" "$(gg_finding_of "$epoll" fd-exhaustion)" "no fd-exhaustion: the program's own open() never failed"
wait_until 5 grep -qF "$id" "$BOX_DIR/fd-added.json"
assert_json "$(grep -F "$id" "$BOX_DIR/fd-added.json" | head -n1)" \
        'd["payload"]["data"][:4] == ["'"$id"'", "'"$epoll"'", "netpoll-init", "critical"]' "FindingAdded was sent"
entries=$(gg_journal_entries "$epoll" "$id")
assert_json "$entries" 'len(d) == 1 and d[0]["MESSAGE_ID"] == "d9a64eb1bf0f35a1b49f702520474b6f" and d[0]["GOGUARD_CLASS"] == "netpoll-init"' \
        "one journal entry with the class's MESSAGE_ID"
x=$(box_journal -x -q -u "$epoll" GOGUARD_FINDING_ID="$id")
assert_match '.*Subject: The Go network poller of '"$epoll"' could not start.*' "$(tr '\n' ' ' <<<"$x")" \
        "journalctl -x: the catalog's subject"
f=$(gg_finding "$(gg_finding_of "$pipe" netpoll-init)")
assert_json "$f" 'd["Summary"] == "'"$pipe"' could not start the Go network poller: pipe failed with EMFILE, limit 5"' \
        "Go 1.19's pipe"
assert_json "$f" 'd["Evidence"]["go_message"] == "runtime: pipe failed with 24"' "the runtime's message"

# 5. A healthy Go service under a normal limit: nothing of this family, once its descriptors were
# sampled. A user of its own: a root service listening on a port rightly gets runs-as-root.
box_exec systemd-run --quiet --unit="$ok" -p DynamicUser=yes -p LimitNOFILE=1024 -E HEALTHY_ADDR=127.0.0.1:0 \
        "$GO_SERVICES_DIR/healthy"
wait_until 10 gg_has_unit "$ok"
wait_until 10 eval 'box_journal -q -u "$ok" -g "listening on" | grep -q .'
# A sampler pass after it listens: the unit's first samples, in its first 1.3 s, come before.
sleep 1.5
wait_until 15 gg_sampled "$ok" "$(date +%s%6N)"
for class in fd-exhaustion fd-exhaustion-system netpoll-init; do
        assert_eq "" "$(gg_finding_of "$ok" "$class")" "no $class finding for a healthy unit"
done
assert_json "$(gg_call ListFindings 'a{sv}uu' 1 unit s "$ok" 0 0)" 'd["data"][1] == 0' "no finding at all for it"
kill "$monitor" 2>/dev/null || true
wait "$monitor" 2>/dev/null || true
