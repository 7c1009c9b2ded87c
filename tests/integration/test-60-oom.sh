# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
# OOM kills end to end: real Go programs under MemoryMax=40M, killed by the real kernel OOM
# killer (this host is cgroup v1: systemd says only "status=9/KILL", Result=signal), found by
# goguardd in the journal, on the bus, in the journal again, with their settings and advice.
source "$SRC_DIR/tests/integration/goguard-lib.sh"
require_go_services
gg_start

hog=${UNIT_PREFIX}memhog.service
loop=${UNIT_PREFIX}loop.service
sane=${UNIT_PREFIX}sane.service
churn=${UNIT_PREFIX}churn.service
ok=${UNIT_PREFIX}healthy.service
nongo=${UNIT_PREFIX}tail.service
trap 'box_exec systemctl stop "$hog" "$loop" "$sane" "$churn" "$ok" "$nongo" >/dev/null 2>&1 || true' EXIT

# 1. A Go program allocating until the kernel kills it; Restart=no.
box_exec timeout 30 busctl monitor --json=short \
        --match "type=signal,sender=$GG_DEST,member=FindingAdded" >"$BOX_DIR/added.json" 2>/dev/null </dev/null &
monitor=$!
sleep 0.5
box_exec systemd-run --quiet --unit="$hog" -p MemoryMax=40M -p MemorySwapMax=0 "$GO_SERVICES_DIR/memhog"
wait_until 20 eval '[ -n "$(gg_finding_of "$hog" oom-kill)" ]'
id=$(gg_finding_of "$hog" oom-kill)
assert_match '[0-9a-f]{32}' "$id" "one oom-kill finding for $hog"
# The kernel's lines come first (live from /dev/kmsg), PID 1's account through the journal after.
wait_until 5 eval 'json_get "$(gg_finding "$id")" "d[\"Evidence\"].get(\"UnitResult\", \"\")" | grep -q signal'
f=$(gg_finding "$id")
assert_json "$f" 'd["Class"] == "oom-kill" and d["Severity"] == "critical" and d["State"] == "open" and d["Count"] == 1' \
        "class, severity, state, count"
assert_json "$f" 'd["Unit"] == "'"$hog"'" and d["MessageID"] == "7f5a04130449b86595aa520b9a11e84d"' "unit and MESSAGE_ID"
assert_eq "$(box_unit_prop "$hog" InvocationID)" "$(json_get "$f" 'd["InvocationID"]')" "the invocation that was killed"
assert_json "$f" 'd["Evidence"]["MemoryMax"] == 41943040 and d["Evidence"]["memory_limit_bytes"] == 41943040' \
        "the MemoryMax= in force"
assert_json "$f" 'd["Evidence"]["go_version"] == "go1.19.8" and d["Evidence"]["GOMEMLIMIT"] == ""' \
        "the Go version and no GOMEMLIMIT"
assert_json "$f" 'd["Evidence"]["comm"] == "memhog" and d["Evidence"]["task_memcg"] == "/system.slice/'"$hog"'"' \
        "the kernel's record: comm and cgroup"
assert_json "$f" 'd["Evidence"]["kernel_limit_kb"] == 40960 and d["Evidence"]["anon_rss_kb"] > 30000' \
        "the kernel's limit and the process's anon-rss at the kill"
assert_json "$f" 'd["Evidence"]["UnitResult"] == "signal" and "status=9/KILL" in d["Evidence"]["main_process_exit"]' \
        "systemd's cgroup v1 view: status=9/KILL, Result=signal"
assert_json "$f" '["dropin", d["Advice"][0][1], "[Service]\nEnvironment=GOMEMLIMIT=36MiB\n"] == d["Advice"][0]' \
        "advice: a drop-in with GOMEMLIMIT=36MiB"
assert_json "$f" 'd["Summary"] == "'"$hog"' was killed by the kernel OOM killer at its memory limit: limit 40M, no GOMEMLIMIT"' \
        "the one-line summary"

# ... announced on the bus within 2 s of the kill.
sleep 0.5
kill "$monitor" 2>/dev/null || true
wait "$monitor" 2>/dev/null || true
signal=$(grep -F "$id" "$BOX_DIR/added.json" | head -n1)
assert_json "$signal" 'd["payload"]["data"][:4] == ["'"$id"'", "'"$hog"'", "oom-kill", "critical"]' \
        "FindingAdded was sent"
latency=$(python3 -c 'import json,sys; print(int(sys.argv[1]) - int(sys.argv[2]))' \
        "$(json_get "$signal" 'd["timestamp-realtime"]')" "$(json_get "$f" 'd["Evidence"]["killed_at"]')")
echo "  FindingAdded $((latency / 1000)) ms after the kernel's kill"
assert_status 0 test "$latency" -lt 2000000

# ... and in the journal once, under the unit (OBJECT_SYSTEMD_UNIT=), with GOGUARD_ fields.
# One entry per line; wrapped into a list so one entry and several look alike.
entries=$(box_journal -q -u "$hog" GOGUARD_FINDING_ID="$id" -o json | python3 -c \
        'import json,sys; print(json.dumps([json.loads(l) for l in sys.stdin if l.strip()]))')
assert_json "$entries" 'len(d) == 1 and d[0]["GOGUARD_CLASS"] == "oom-kill" and d[0]["MESSAGE_ID"] == "7f5a04130449b86595aa520b9a11e84d"' \
        "one journal entry, shown by journalctl -u"
assert_json "$entries" 'd[0]["OBJECT_SYSTEMD_INVOCATION_ID"] == "'"$(box_unit_prop "$hog" InvocationID)"'" and d[0]["PRIORITY"] == "2"' \
        "with the invocation and priority crit"
assert_json "$entries" '"GOMEMLIMIT=36MiB" in d[0]["GOGUARD_DROPIN"]' "with the drop-in"
# Restart=no: the service stays down after the kill.
gap=$(gg_finding_of "$hog" oom-restart-gap)
assert_match '[0-9a-f]{32}' "$gap" "Restart=no is reported as a restart gap"

# 2. A crash loop is one finding whose count rises.
box_exec systemd-run --quiet --unit="$loop" -p MemoryMax=40M -p MemorySwapMax=0 -p Restart=on-failure \
        -p RestartSec=200ms -p StartLimitBurst=1000 "$GO_SERVICES_DIR/memhog" -chunk 8
wait_until 40 eval '[ "$(box_unit_prop "$loop" NRestarts)" -ge 3 ]'
wait_until 5 eval 'json_get "$(gg_finding "$(gg_finding_of "$loop" oom-kill)")" "d[\"Count\"]" | grep -qE "^([3-9]|[1-9][0-9]+)$"'
loop_id=$(gg_finding_of "$loop" oom-kill)
assert_match '[0-9a-f]{32}' "$loop_id" "exactly one oom-kill finding for the crash loop"
assert_json "$(gg_finding "$loop_id")" 'd["Count"] >= 3' "its count is at least 3"
assert_eq "" "$(gg_finding_of "$loop" oom-restart-gap)" "Restart=on-failure has no restart gap"

# 3. Kills while goguardd is down are found when it comes back, and none is counted twice.
box_exec systemctl stop goguardd.service
before=$(box_unit_prop "$loop" NRestarts)
wait_until 40 eval '[ "$(box_unit_prop "$loop" NRestarts)" -ge $((before + 2)) ]'
box_exec systemctl stop "$loop"
gg_start
# Every kill: PID 1's "Main process exited, code=killed, status=9/KILL" (the kernel rate-limits its
# oom-kill: summary lines, so they undercount a fast loop).
kills=$(box_journal -q MESSAGE_ID=98e322203f7a4ed290d09fe03c09fe15 UNIT="$loop" EXIT_STATUS=9 -o cat | wc -l)
wait_until 10 eval '[ "$(json_get "$(gg_finding "$loop_id")" "d[\"Count\"]")" = "$kills" ]' ||
        box_journal -q -o short-monotonic -g "Killed process|oom-kill:|Main process exited|Started|Stopped|Finding" |
        grep -F -e memhog -e "$loop" -e goguardd | tail -n 80 | sed 's/^/  | /'
assert_eq "$kills" "$(json_get "$(gg_finding "$loop_id")" 'd["Count"]')" \
        "the count equals the kills of the unit, including those while goguardd was down"

# 4. Silence: a Go program with a sane GOMEMLIMIT under a limit it would outgrow without it, and
#    a healthy one. GOGC=400 puts the heap goal at five times the 24 MiB live set, far over
#    MemoryMax=64M; GOMEMLIMIT=40MiB makes the collector keep the heap under it. The limit is
#    soft: with a 40 MiB live set, GOMEMLIMIT=52MiB was still killed on a busy 2-core host
#    (the collector's CPU cap lets the heap overshoot), so the live set leaves headroom.
box_exec systemd-run --quiet --unit="$churn" -p MemoryMax=64M -p MemorySwapMax=0 -E GOGC=400 \
        "$GO_SERVICES_DIR/churn" -live 24
box_exec systemd-run --quiet --unit="$sane" -p MemoryMax=64M -p MemorySwapMax=0 -E GOGC=400 \
        -E GOMEMLIMIT=40MiB "$GO_SERVICES_DIR/churn" -live 24
box_exec systemd-run --quiet --unit="$ok" -p DynamicUser=yes -E HEALTHY_ADDR=127.0.0.1:0 "$GO_SERVICES_DIR/healthy"
# The same program without GOMEMLIMIT is killed: the check below is not vacuous.
wait_until 60 eval '[ -n "$(gg_finding_of "$churn" oom-kill)" ]' ||
        echo "  churn: $(box_unit_prop "$churn" ActiveState)/$(box_unit_prop "$churn" Result), $(box_journal -q -u "$churn" -o cat | tail -n 2 | tr '\n' ' ')"
assert_match '[0-9a-f]{32}' "$(gg_finding_of "$churn" oom-kill)" "churn without GOMEMLIMIT is OOM-killed"
assert_json "$(gg_finding "$(gg_finding_of "$churn" oom-kill)")" \
        'd["Evidence"]["GOGC"] == "400" and d["Advice"][0][2] == "[Service]\nEnvironment=GOMEMLIMIT=57MiB\n"' \
        "its advice: GOMEMLIMIT at 90% of 64M, GOGC in the evidence"
sleep 8
assert_eq active "$(box_unit_prop "$sane" ActiveState)" "churn with GOMEMLIMIT=40MiB still runs"
assert_json "$(gg_call ListFindings 'a{sv}uu' 1 unit s "$sane" 0 0)" 'd["data"][1] == 0' \
        "no finding for the unit with a sane GOMEMLIMIT"
assert_json "$(gg_call ListFindings 'a{sv}uu' 1 unit s "$ok" 0 0)" 'd["data"][1] == 0' "no finding for a healthy unit"

# 5. By design, a non-Go unit's OOM kill is not a goguard finding (goguard speaks about Go).
box_exec systemd-run --quiet --unit="$nongo" -p MemoryMax=40M -p MemorySwapMax=0 tail /dev/zero
wait_until 20 eval '[ "$(box_unit_prop "$nongo" ActiveState)" = failed ]'
wait_until 5 eval 'box_journal -q _TRANSPORT=kernel -o cat -g "task_memcg=/system.slice/$nongo," | grep -q .'
sleep 1
assert_json "$(gg_call ListFindings 'a{sv}uu' 1 unit s "$nongo" 0 0)" 'd["data"][1] == 0' \
        "the non-Go unit's kill is not reported"

# 6. Findings survive a restart and a kill -9 of goguardd.
count=$(json_get "$(gg_finding "$loop_id")" 'd["Count"]')
box_exec systemctl restart goguardd.service
assert_eq "$count" "$(json_get "$(gg_finding "$loop_id")" 'd["Count"]')" "the finding survives a restart"
box_exec systemctl kill -s KILL goguardd.service
wait_until 10 eval '[ "$(box_unit_prop goguardd.service NRestarts)" -ge 1 ] && box_exec systemctl is-active --quiet goguardd.service'
wait_until 5 eval 'gg_finding "$loop_id" >/dev/null'
assert_eq "$count" "$(json_get "$(gg_finding "$loop_id")" 'd["Count"]')" "and a kill -9"

# 7. Acknowledging needs polkit's yes; root has it.
out=$(box_exec runuser -u nobody -- dbus-send --system --print-reply --dest="$GG_DEST" "$GG_PATH" \
        "$GG_MANAGER.AcknowledgeFinding" string:"$id" 2>&1 || true)
assert_match 'Error org\.goguard\.goguard1\.Error\.AccessDenied:.*' "$(head -n1 <<<"$out")" \
        "an unprivileged AcknowledgeFinding is refused"
assert_json "$(gg_finding "$id")" 'd["State"] == "open"' "and changed nothing"
assert_eq none "$(gg_error_name AcknowledgeFinding string:"$id")" "root may acknowledge"
assert_json "$(gg_finding "$id")" 'd["State"] == "acknowledged"' "the finding is acknowledged"
assert_eq org.goguard.goguard1.Error.NoSuchFinding "$(gg_error_name GetFinding string:0123456789abcdef0123456789abcdef)" \
        "an unknown id"
assert_eq org.goguard.goguard1.Error.InvalidArgument "$(gg_error_name GetFinding string:xyz)" "a malformed id"
out=$(gg_call ListFindings 'a{sv}uu' 1 bogus s x 0 0 2>&1 || true)
assert_match '.*Unknown filter key.*' "$out" "an unknown filter key is refused"
out=$(gg_call ListFindings 'a{sv}uu' 0 0 5000 2>&1 || true)
assert_match '.*At most 1000 findings per call.*' "$out" "a page larger than 1000 is refused"

# 8. A corrupt state file is moved aside, goguardd starts anyway and rebuilds from the journal.
box_exec systemctl stop goguardd.service
box_sh 'printf "goguard-findings 1\nfinding nonsense\n" >/var/lib/goguard/findings.state'
gg_start
assert_match '.*cannot be read \(line 2: .*\), moved it to .*; rebuilding the findings from the journal\.' \
        "$(box_journal -q -u goguardd.service -o cat -g 'cannot be read' | tail -n1)" "the corrupt file was reported"
wait_until 10 eval '[ "$(json_get "$(gg_finding "$loop_id")" "d[\"Count\"]" 2>/dev/null)" = "$kills" ]' || true
assert_eq "$kills" "$(json_get "$(gg_finding "$loop_id")" 'd["Count"]')" "the crash loop's finding is rebuilt, same id, same count"
assert_status 0 box_sh 'ls /var/lib/goguard/findings.state.corrupt-* >/dev/null'
assert_eq active "$(box_unit_prop goguardd.service ActiveState)" "goguardd runs"
