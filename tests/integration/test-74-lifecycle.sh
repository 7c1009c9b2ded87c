# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
# Go crashes end to end: a real Go program (crasher) panics in a dependency module, writes a map
# from two goroutines, reads an unmapped address; goguardd assembles each trace from the journal's
# lines, names the module and version of the function it died in (from the binary's build info),
# announces the finding on the bus and writes it to the journal with its catalog text. A unit
# that panics again and again under Restart=always is one crash-loop finding whose cause is the
# panic finding, until systemd refuses the next start. A program that ignores SIGTERM is a stop-timeout, one that never pings its
# watchdog a watchdog finding, one whose main() returns at once or that never sends READY=1 under
# Type=notify exits-at-start. A healthy unit gets none.
source "$SRC_DIR/tests/integration/goguard-lib.sh"
require_go_services
gg_start

pan=${UNIT_PREFIX}panic.service
maps=${UNIT_PREFIX}mapwrites.service
flt=${UNIT_PREFIX}fault.service
loop=${UNIT_PREFIX}loop.service
ok=${UNIT_PREFIX}healthy.service
hang=${UNIT_PREFIX}hang.service
wd=${UNIT_PREFIX}watchdog.service
ex=${UNIT_PREFIX}exit.service
nfy=${UNIT_PREFIX}notify.service
all=("$pan" "$maps" "$flt" "$loop" "$ok" "$hang" "$wd" "$ex" "$nfy")
trap 'box_exec systemctl stop "${all[@]}" >/dev/null 2>&1 || true
      box_exec systemctl reset-failed "${all[@]}" >/dev/null 2>&1 || true' EXIT

box_exec timeout 120 busctl monitor --json=short \
        --match "type=signal,sender=$GG_DEST,member=FindingAdded" >"$BOX_DIR/life-added.json" 2>/dev/null </dev/null &
monitor=$!
sleep 0.5

# trace UNIT: the unit's output from the first line of its trace on, as the finding keeps it.
trace() {
        box_journal -q _SYSTEMD_UNIT="$1" _TRANSPORT=stdout -o cat |
                sed -n '/^\(panic\|fatal error\|unexpected fault\)/,$p'
}

# 1. A panic in example.com/crashlib v1.4.2, a module of its own replaced by a local directory.
box_exec systemd-run --quiet --unit="$pan" "$GO_SERVICES_DIR/crasher" -mode=panic -delay=1s
wait_until 20 eval '[ -n "$(gg_finding_of "$pan" panic)" ]'
id=$(gg_finding_of "$pan" panic)
assert_match '[0-9a-f]{32}' "$id" "one panic finding for $pan"
f=$(gg_finding "$id")
assert_json "$f" 'd["Class"] == "panic" and d["Severity"] == "critical" and d["State"] == "open" and d["Count"] == 1' \
        "class, severity, state, count"
assert_json "$f" 'd["MessageID"] == "bcf2bb38418b6aba00b3f80d861173a4"' "the class's MESSAGE_ID"
assert_json "$f" 'd["Summary"] == "'"$pan"' panicked: crashlib: empty configuration, in example.com/crashlib v1.4.2, config/config.go:13"' \
        "the summary: the value, the module and version, the file under the module"
assert_eq "$(box_unit_prop "$pan" InvocationID)" "$(json_get "$f" 'd["InvocationID"]')" "the invocation"
assert_json "$f" 'd["Evidence"]["panic_value"] == "crashlib: empty configuration" and d["Evidence"]["crash_kind"] == "panic"' \
        "the panic value"
assert_json "$f" 'd["Evidence"]["crash_function"] == "example.com/crashlib/config.Parse"' "the first frame outside the runtime"
assert_match '/.*/tests/go/services/crashlib/config/config\.go:13' "$(json_get "$f" 'd["Evidence"]["crash_file"]')" \
        "its file and line"
assert_json "$f" 'd["Evidence"]["go_module"] == "example.com/crashlib" and d["Evidence"]["go_module_version"] == "v1.4.2"' \
        "the module and version from the build info"
assert_json "$f" 'd["Evidence"]["go_module_replaced_by"] == "./crashlib (devel)"' "its replacement"
assert_json "$f" 'd["Evidence"]["goroutine"] == 1 and d["Evidence"]["goroutine_state"] == "running" and d["Evidence"]["crash_frames"] == 2' \
        "the panicking goroutine and its frames"
assert_json "$f" 'd["Evidence"]["main_process_exit"] == "code=exited, status=2"' "PID 1's word on the exit"
assert_json "$f" 'd["Evidence"]["GOTRACEBACK"] == "single" and d["Evidence"]["GOTRACEBACK_source"] == "Go'"'"'s default"' \
        "GOTRACEBACK in force"
# journald keeps no empty line of a stream: the six others.
assert_json "$f" 'd["Evidence"]["crash_trace_complete"] == True and d["Evidence"]["crash_trace_lines"] == 6' "the whole trace"
assert_eq "$(trace "$pan")" "$(json_get "$f" 'd["Evidence"]["crash_trace"].rstrip("\n")')" "the trace, line by line as journald has it"
first=$(box_journal -q -u "$pan" -o json -g '^panic: ' | head -n1)
assert_eq "$(json_get "$first" 'd["__CURSOR"]')" "$(json_get "$f" 'd["Evidence"]["journal_cursor"]')" "the cursor of its first line"
assert_eq "$(json_get "$first" 'd["__REALTIME_TIMESTAMP"]')" "$(json_get "$f" 'd["FirstSeen"]')" "first seen: its first line"
assert_json "$f" 'd["Advice"][2] == ["dropin", "GOTRACEBACK is Go'"'"'s default, single: a panic prints only the panicking goroutine, and no goroutine'"'"'s runtime frames. Set it to all to see every goroutine at the next crash.", "[Service]\nEnvironment=GOTRACEBACK=all\n"]' \
        "advice: what GOTRACEBACK hides"
wait_until 5 grep -qF "$id" "$BOX_DIR/life-added.json"
assert_json "$(grep -F "$id" "$BOX_DIR/life-added.json" | head -n1)" \
        'd["payload"]["data"][:4] == ["'"$id"'", "'"$pan"'", "panic", "critical"]' "FindingAdded was sent"
entries=$(box_journal -q -u "$pan" GOGUARD_FINDING_ID="$id" -o json | python3 -c \
        'import json,sys; print(json.dumps([json.loads(l) for l in sys.stdin if l.strip()]))')
assert_json "$entries" 'len(d) == 1 and d[0]["MESSAGE_ID"] == "bcf2bb38418b6aba00b3f80d861173a4" and d[0]["GOGUARD_CLASS"] == "panic"' \
        "one journal entry with the class's MESSAGE_ID"
assert_json "$entries" 'd[0]["MESSAGE"] == "'"$pan"' panicked: crashlib: empty configuration, in example.com/crashlib v1.4.2, config/config.go:13"' \
        "its message: the summary"
x=$(box_journal -x -q -u "$pan" GOGUARD_FINDING_ID="$id")
assert_match '.*Subject: '"$pan"' panicked.*' "$(tr '\n' ' ' <<<"$x")" "journalctl -x: the catalog's subject"
assert_match '.*the module and version it belongs to.*' "$(tr '\n' ' ' <<<"$x")" "journalctl -x: the catalog's text"

# line_of REGEX: the line of crasher's source that holds it.
line_of() {
        grep -n -e "$1" "$SRC_DIR/tests/go/services/crasher/main.go" | head -n1 | cut -d: -f1
}

# 2. Concurrent map writes: fatal-runtime, in the main module.
box_exec systemd-run --quiet --unit="$maps" "$GO_SERVICES_DIR/crasher" -mode=mapwrites -delay=1s
wait_until 20 eval '[ -n "$(gg_finding_of "$maps" fatal-runtime)" ]'
f=$(gg_finding "$(gg_finding_of "$maps" fatal-runtime)")
assert_json "$f" 'd["Summary"] == "'"$maps"' was stopped by a fatal Go runtime error: concurrent map writes, in goguard.test/services (devel), crasher/main.go:'"$(line_of 'm\[n%1000\] = i')"'"' \
        "the summary"
assert_json "$f" 'd["MessageID"] == "6ae11a57cc9b283bd5cd526524f671f9" and d["Evidence"]["fatal_message"] == "concurrent map writes"' \
        "MESSAGE_ID and the fatal message"
assert_json "$f" 'd["Evidence"]["crash_function"] == "main.mapWrites.func1" and d["Evidence"]["goroutine_created_by"] == "main.mapWrites"' \
        "the writing goroutine and who started it"
assert_json "$f" 'd["Advice"][0][1].startswith("Goroutines used one map at the same time without a lock")' "advice: the lock"
assert_eq "" "$(gg_finding_of "$maps" panic)" "not a panic"

# 3. A fault: fatal error with the signal, its address and pc.
box_exec systemd-run --quiet --unit="$flt" "$GO_SERVICES_DIR/crasher" -mode=fault -delay=1s
wait_until 20 eval '[ -n "$(gg_finding_of "$flt" fatal-runtime)" ]'
f=$(gg_finding "$(gg_finding_of "$flt" fatal-runtime)")
assert_json "$f" 'd["Summary"] == "'"$flt"' was stopped by a fatal Go runtime error: fault (SIGSEGV at 0xdeadbeef), in goguard.test/services (devel), crasher/main.go:'"$(line_of 'fmt.Println(\*p)')"'"' \
        "the summary"
assert_json "$f" 'd["Evidence"]["signal"] == "SIGSEGV" and d["Evidence"]["signal_addr"] == "0xdeadbeef" and d["Evidence"]["signal_code"] == "0x1"' \
        "the signal and its address"
assert_match '0x[0-9a-f]+' "$(json_get "$f" 'd["Evidence"]["signal_pc"]')" "its pc"
assert_json "$f" 'd["Evidence"]["crash_detail"] == "unexpected fault address 0xdeadbeef" and d["Evidence"]["crash_function"] == "main.fault"' \
        "the runtime's line before it, the function"

# 4. A crash loop: Restart=always, four starts allowed in a minute. Each run panics; the restarts
#    from the second on are one crash-loop finding for the cause panic, tied to the panic finding.
#    systemd schedules a restart after each of the four runs and refuses the fifth start: systemd
#    252 says so without a MESSAGE_ID and keeps the cause's Result (exit-code).
box_exec systemd-run --quiet --unit="$loop" -p Restart=always -p RestartSec=200ms -p StartLimitBurst=4 \
        -p StartLimitIntervalSec=60 "$GO_SERVICES_DIR/crasher" -mode=panic -delay=1500ms
wait_until 40 eval '[ "$(box_unit_prop "$loop" ActiveState)" = failed ]'
restarts=$(box_unit_prop "$loop" NRestarts)
# Each run crashed and had a restart scheduled, the last one refused: panics = restarts.
assert_eq 4 "$restarts" "systemd restarted it four times, then refused the next start"
assert_eq "$(box_unit_prop "$loop" Result)" exit-code "the Result stays the cause's"
limit=$(box_journal -q _PID=1 UNIT="$loop" CODE_FUNC=unit_test_start_limit -o json)
assert_json "$limit" '"MESSAGE_ID" not in d and d["MESSAGE"] == "'"$loop"': Start request repeated too quickly."' \
        "PID 1's word on the start limit has no MESSAGE_ID"
wait_until 10 eval '[ "$(json_get "$(gg_finding "$(gg_finding_of "$loop" crash-loop)")" "d[\"Evidence\"].get(\"start_limit_hit\", False)")" = true ]'
pid=$(gg_finding_of "$loop" panic)
lid=$(gg_finding_of "$loop" crash-loop)
assert_match '[0-9a-f]{32}' "$lid" "one crash-loop finding: one cause"
p=$(gg_finding "$pid")
f=$(gg_finding "$lid")
assert_json "$p" 'd["Count"] == 4 and d["Evidence"]["same_crash_count"] == 4' "the same panic at every run"
assert_json "$f" 'd["Evidence"]["discriminator"] == "panic" and list(d["Evidence"])[0] == "discriminator"' \
        "the crash loop's cause class tells it apart, first in its evidence"
assert_json "$f" 'd["Evidence"]["cause_finding_id"] == "'"$pid"'" and d["Evidence"]["cause_class"] == "panic"' \
        "the cause: the panic finding, by its id"
assert_json "$f" 'd["Count"] == 4 and d["Evidence"]["restart_counter"] == 4 and d["Evidence"]["same_cause_restarts"] == 3' \
        "counted at the restarts from the second on and at the start limit"
assert_json "$f" 'd["Evidence"]["start_limit_hit"] == True and d["Evidence"]["systemd_message"] == "'"$loop"': Start request repeated too quickly."' \
        "the start limit, from PID 1's message"
assert_json "$f" 'd["Summary"] == "'"$loop"' restarts again and again: start limit hit, after it panicked: crashlib: empty configuration, in example.com/crashlib v1.4.2, config/config.go:13 (4 times)"' \
        "the summary names the start limit and the cause"
assert_json "$f" 'd["Evidence"]["StartLimitBurst"] == 4 and d["Evidence"]["StartLimitIntervalUSec"] == 60000000 and d["Evidence"]["RestartUSec"] == 200000' \
        "the restart settings in force"
assert_json "$f" 'd["Evidence"]["Restart"] == "always" and d["MessageID"] == "3e130fd885d716af45d93dbadfad74ed"' \
        "Restart= and the MESSAGE_ID"
assert_json "$f" 'd["Advice"][0] == ["text", "Every restart ends the same way: fix the cause, finding '"$pid"' (panic); restarting only repeats it. systemd gives up once the unit starts too often (StartLimitBurst=4 starts within StartLimitIntervalSec=60s), as it did now: reset it with systemctl reset-failed.", ""]' \
        "advice: the cause, the start limit in force"
assert_json "$f" 'd["Advice"][2] == ["dropin", "Once the cause is fixed, space the restarts out: with RestartSec=16s or more, 4 starts never fall within StartLimitIntervalSec=60s.", "[Service]\nRestartSec=16s\n"]' \
        "advice: the drop-in that spaces the restarts out"
assert_json "$f" 'd["Advice"][3][:2] == ["command", "Start it again after the fix:"]' "advice: start it again"
assert_eq "systemctl reset-failed '$loop' && systemctl start '$loop'" "$(json_get "$f" 'd["Advice"][3][2]')" \
        "advice: the command"
assert_match ' +discriminator: +panic' "$(box_exec goguardctl explain "$lid" | grep -F discriminator:)" \
        "goguardctl explain shows the discriminator"
wait_until 5 grep -qF "$lid" "$BOX_DIR/life-added.json"
entries=$(box_journal -q -u "$loop" GOGUARD_FINDING_ID="$lid" -o json | python3 -c \
        'import json,sys; print(json.dumps([json.loads(l) for l in sys.stdin if l.strip()]))')
assert_json "$entries" 'len(d) == 1 and d[0]["MESSAGE_ID"] == "3e130fd885d716af45d93dbadfad74ed"' \
        "one journal entry for the crash loop"

# 5. How invocations end. A program that ignores SIGTERM: killed after TimeoutStopSec=1s.
box_exec systemd-run --quiet --unit="$hang" -p TimeoutStopSec=1s "$GO_SERVICES_DIR/crasher" -mode=hang -delay=0s
wait_until 10 gg_has_unit "$hang"
# crasher calls signal.Notify and (with -mode=hang) signal.Ignore: its function names say so.
wait_until 10 eval '[ "$(json_get "$(gg_unit_props "$hang")" "d[\"SignalHandling\"]")" != unknown ]'
assert_json "$(gg_unit_props "$hang")" 'd["SignalHandling"] == "notify+ignore"' "the unit's SignalHandling on the bus"
assert_eq "$(printf '  %-21s%s' Signals: notify+ignore)" "$(box_exec goguardctl show "$hang" | grep -F Signals:)" \
        "goguardctl show: the signal handling"
box_exec systemctl stop "$hang"
wait_until 10 eval '[ -n "$(gg_finding_of "$hang" stop-timeout)" ]' || {
        box_journal -q -u "$hang" -o verbose --output-fields=MESSAGE,MESSAGE_ID,INVOCATION_ID,EXIT_CODE,EXIT_STATUS,UNIT_RESULT |
                sed 's/^/  | /'
        gg_call ListFindings 'a{sv}uu' 1 unit s "$hang" 0 0
        false
}
f=$(gg_finding "$(gg_finding_of "$hang" stop-timeout)")
assert_json "$f" 'd["Summary"] == "'"$hang"' does not stop on SIGTERM: killed after TimeoutStopSec=1s"' "stop-timeout: the summary"
assert_json "$f" 'd["MessageID"] == "ec116a4a422b0e2ce6190b77d25fbd5d" and d["Evidence"]["TimeoutStopUSec"] == 1000000' \
        "stop-timeout: MESSAGE_ID, TimeoutStopSec="
assert_json "$f" 'd["Evidence"]["KillSignal"] == "SIGTERM" and d["Evidence"]["KillMode"] == "control-group" and d["Evidence"]["main_process_exit"] == "signal=9"' \
        "stop-timeout: KillSignal=, KillMode=, the SIGKILL"
assert_json "$f" 'd["Evidence"]["signal_handling"] == "notify+ignore"' "stop-timeout: the binary's signal handling"
assert_json "$f" 'd["Advice"][0] == ["text", "systemd asked the program to stop with SIGTERM and killed it with SIGKILL when it had not exited after TimeoutStopSec=1s: whatever it had not written or flushed was lost. The binary links os/signal.Ignore and os/signal.Notify: a program that ignores SIGTERM is ended only by SIGKILL. Catch it instead (signal.Notify) and shut down within TimeoutStopSec=1s.", ""]' \
        "stop-timeout: the advice for a program that ignores SIGTERM"

# ... one that never sends WATCHDOG=1 under WatchdogSec=1s: SIGABRT, and the Go runtime's dump.
box_exec systemd-run --quiet --unit="$wd" -p WatchdogSec=1s "$GO_SERVICES_DIR/crasher" -mode=healthy -delay=0s
wait_until 15 eval '[ -n "$(gg_finding_of "$wd" watchdog)" ]'
f=$(gg_finding "$(gg_finding_of "$wd" watchdog)")
assert_json "$f" 'd["Summary"] == "'"$wd"' missed its watchdog deadline: no WATCHDOG=1 within WatchdogSec=1s"' "watchdog: the summary"
assert_json "$f" 'd["MessageID"] == "ac2737a453c314e8fb4f14624fb2d6a9" and d["Evidence"]["WatchdogUSec"] == 1000000' \
        "watchdog: MESSAGE_ID, WatchdogSec="
assert_json "$f" 'd["Evidence"]["sd_notify_module"] == "none in the build info"' "watchdog: no sd_notify package"
wait_until 10 eval '[ -n "$(gg_finding_of "$wd" fatal-runtime)" ]'
assert_json "$(gg_finding "$(gg_finding_of "$wd" fatal-runtime)")" 'd["Evidence"]["crash_kind"] == "fatal signal" and d["Evidence"]["signal"] == "SIGABRT"' \
        "the Go runtime's SIGABRT dump is a fatal signal"

# ... main() returns at once under Type=simple.
box_exec systemd-run --quiet --unit="$ex" "$GO_SERVICES_DIR/crasher" -mode=exit -delay=1s
wait_until 10 eval '[ -n "$(gg_finding_of "$ex" exits-at-start)" ]'
f=$(gg_finding "$(gg_finding_of "$ex" exits-at-start)")
assert_match "$ex exits right after it starts: its main process exited with status 0 after [0-9]+ms" \
        "$(json_get "$f" 'd["Summary"]')" "exits-at-start: the summary"
# systemd collects the transient unit once it is over: goguardd may no longer know its Type=.
assert_json "$f" 'd["Evidence"].get("Type", "simple") == "simple" and 1000000 <= d["Evidence"]["ran_for_usec"] < 5000000' \
        "exits-at-start: Type= where still known, how long it ran"

# ... Type=notify, and the program never sends READY=1: the start times out.
box_exec systemd-run --quiet --no-block --unit="$nfy" -p Type=notify -p TimeoutStartSec=2s \
        "$GO_SERVICES_DIR/crasher" -mode=healthy -delay=0s
wait_until 15 eval '[ -n "$(gg_finding_of "$nfy" exits-at-start)" ]'
f=$(gg_finding "$(gg_finding_of "$nfy" exits-at-start)")
assert_json "$f" 'd["Summary"] == "'"$nfy"' exits right after it starts: no READY=1 within TimeoutStartSec=2s"' \
        "start timeout: the summary"
assert_json "$f" 'd["Evidence"]["Type"] == "notify" and d["Evidence"]["TimeoutStartUSec"] == 2000000 and d["Evidence"]["sd_notify_module"] == "none in the build info"' \
        "start timeout: Type=, TimeoutStartSec=, no sd_notify package"
assert_eq "" "$(gg_finding_of "$nfy" stop-timeout)" "not a stop timeout"

# 6. A healthy unit: nothing of this family.
box_exec systemd-run --quiet --unit="$ok" "$GO_SERVICES_DIR/crasher" -mode=healthy
wait_until 10 gg_has_unit "$ok"
sleep 3
box_exec systemctl stop "$ok"
sleep 1
for class in panic fatal-runtime crash-loop stop-timeout exits-at-start watchdog; do
        assert_eq "" "$(gg_finding_of "$ok" "$class")" "no $class finding for a healthy unit"
done
assert_json "$(gg_call ListFindings 'a{sv}uu' 1 unit s "$ok" 0 0)" 'd["data"][1] == 0' "no finding at all for it"
kill "$monitor" 2>/dev/null || true
wait "$monitor" 2>/dev/null || true
