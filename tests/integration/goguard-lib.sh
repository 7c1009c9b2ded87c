# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
# Helpers for the goguardd tests: calls into the daemon in the box, as busctl JSON.

GG_DEST=org.goguard.goguard1
GG_PATH=/org/goguard/goguard1
GG_MANAGER=org.goguard.goguard1.Manager
GG_UNIT=org.goguard.goguard1.Unit

# gg_call METHOD [SIGNATURE ARGS...]: a Manager method, JSON reply on stdout.
gg_call() {
        box_exec busctl --json=short call "$GG_DEST" "$GG_PATH" "$GG_MANAGER" "$@"
}

# gg_unit_path UNIT: the object path of a watched Go unit (fails if there is none).
gg_unit_path() {
        box_exec busctl --json=short call "$GG_DEST" "$GG_PATH" "$GG_MANAGER" GetUnit s "$1" |
                json_get - 'd["data"][0]'
}

# gg_has_unit UNIT: succeeds when goguardd exports the unit.
gg_has_unit() {
        box_exec busctl call "$GG_DEST" "$GG_PATH" "$GG_MANAGER" GetUnit s "$1" >/dev/null 2>&1
}

# gg_unit_props UNIT: GetAll of the unit's object, as {"Name": value, ...}.
gg_unit_props() {
        local path
        path=$(gg_unit_path "$1") || return 1
        box_exec busctl --json=short call "$GG_DEST" "$path" org.freedesktop.DBus.Properties GetAll s "$GG_UNIT" |
                json_get - '{k: v["data"] for k, v in d["data"][0].items()}'
}

# gg_sampled UNIT [SINCE_US]: succeeds once goguardd has sampled the unit's running process (its
# descriptors, tasks and, for a root unit, listening sockets) after SINCE_US (µs since the epoch,
# default 0). The sampler passes every unit once per interval (10 s by default).
gg_sampled() {
        local props
        props=$(gg_unit_props "$1") || return 1
        json_get "$props" 'd["SampleTimestamp"] > '"${2:-0}" | grep -qx true
}

# gg_manager_prop PROP: one Manager property's value (JSON).
gg_manager_prop() {
        box_exec busctl --json=short get-property "$GG_DEST" "$GG_PATH" "$GG_MANAGER" "$1" | json_get - 'd["data"]'
}

# gg_go_units: the unit names ListGoUnits returns, one per line.
gg_go_units() {
        gg_call ListGoUnits | json_get - '"\n".join(u[0] for u in d["data"][0])'
}

# gg_finding_of UNIT CLASS: the ids of that class's findings for the unit, comma-separated ("" if
# none).
gg_finding_of() {
        gg_call ListFindings 'a{sv}uu' 2 unit s "$1" class s "$2" 0 0 | json_get - \
                '",".join(r[0] for r in d["data"][0])'
}

# gg_finding ID: one finding (GetFinding) as {"Count": ..., "Evidence": {"name": value}, ...}.
gg_finding() {
        box_exec busctl --json=short call "$GG_DEST" "$GG_PATH" "$GG_MANAGER" GetFinding s "$1" |
                json_get - '{k: ({e: x["data"] for e, x in v["data"].items()} if k == "Evidence" else v["data"])
                             for k, v in d["data"][0].items()}'
}

# gg_evidence_line UNIT REGEX: the unit's first journal entry matching REGEX, as JSON.
gg_evidence_line() {
        box_journal -q -u "$1" -o json -g "$2" | head -n1
}

# gg_journal_entries UNIT ID: the journal entries goguardd wrote for finding ID, under the unit,
# as one JSON list (one entry and several look alike).
gg_journal_entries() {
        box_journal -q -u "$1" GOGUARD_FINDING_ID="$2" -o json |
                python3 -c 'import json,sys; print(json.dumps([json.loads(l) for l in sys.stdin if l.strip()]))'
}

# gg_start: start goguardd through systemctl and wait for it to be active.
gg_start() {
        box_exec systemctl start goguardd.service
        wait_until 5 box_exec systemctl is-active --quiet goguardd.service
}

# gg_error_name METHOD [ARG...]: call a Manager method with dbus-send (which, unlike busctl,
# prints the error's name) and print the D-Bus error name, or "none" if the call succeeded.
# ARGs are dbus-send typed arguments, e.g. string:foo.service.
gg_error_name() {
        local out
        if out=$(box_exec dbus-send --system --print-reply --dest="$GG_DEST" "$GG_PATH" \
                "$GG_MANAGER.$1" "${@:2}" 2>&1); then
                echo none
        else
                sed -n 's/^Error \([^:]*\):.*/\1/p' <<<"$out" | head -n1
        fi
}

# gg_start_initns [GOGUARDD]: goguardd (the installed one by default) as a host runs it, in the
# initial pid namespace with a /proc of that namespace, on the box's bus, journal and state: the
# pids in audit records are of that namespace (test-85). Sets gg_initns_pid; gg_stop_initns ends it.
# goguardd.service is stopped and masked meanwhile: a bus call would activate it, and of two
# goguardd the one that loses the race for the name exits.
gg_initns_pid=
gg_start_initns() {
        box_exec systemctl stop goguardd.service
        box_exec systemctl mask --runtime --quiet goguardd.service
        nsenter -t "$BOX_PID" -m -- env -i "${BOX_ENV[@]}" unshare -m --propagation private \
                sh -c 'mount -t proc proc /proc && exec "$0"' "${1:-/usr/libexec/goguardd}" \
                >>"$BOX_DIR/goguardd-initns.log" 2>&1 &
        gg_initns_pid=$!
        wait_until 10 eval "gg_manager_prop Version >/dev/null 2>&1"
}
gg_stop_initns() {
        if [[ -n $gg_initns_pid ]]; then
                kill "$gg_initns_pid" 2>/dev/null || true
                wait "$gg_initns_pid" 2>/dev/null || true
                gg_initns_pid=
        fi
        box_exec systemctl unmask --runtime --quiet goguardd.service
}

# What goguardd's threads do with files (test-79, test-89): gg_trace_start LOG straces every file
# call of goguardd's threads into LOG in the box, each line led by the thread's id, and sets
# gg_main (goguardd's main pid, its event loop's thread); gg_trace_stop ends it (cleanup may call
# it again). assert_off_loop LOG NEEDLE WHAT: some call names NEEDLE, none on the main thread.
gg_trace_pid=
gg_traced() {
        box_sh 'sed -n "s/^TracerPid:[[:space:]]*//p" "/proc/$1/status"' "$gg_main"
}
gg_trace_start() {
        gg_main=$(box_unit_prop goguardd.service MainPID)
        assert_match '[1-9][0-9]*' "$gg_main" "goguardd runs"
        gg_trace_pid=$(box_sh 'strace -f -qq -e trace=%file -o "$2" -p "$1" >/dev/null 2>&1 & echo $!' \
                "$gg_main" "$1")
        wait_until 5 eval '[ "$(gg_traced)" != 0 ]'
}
gg_trace_stop() {
        [[ -n $gg_trace_pid ]] || return 0
        box_exec kill "$gg_trace_pid" >/dev/null 2>&1 || true
        gg_trace_pid=
        wait_until 5 eval '[ "$(gg_traced)" = 0 ]'
}
assert_off_loop() {
        local calls tids
        calls=$(box_sh 'grep -F -- "$2" "$1" || true' "$1" "$2")
        assert_ne "" "$calls" "strace saw goguardd's calls naming $3"
        tids=$(awk '{print $1}' <<<"$calls" | sort -u | tr '\n' ' ')
        assert_eq "" "$(awk -v main="$gg_main" '$1 == main' <<<"$calls")" \
                "no call naming $3 on goguardd's main thread $gg_main (threads: $tids)"
}
