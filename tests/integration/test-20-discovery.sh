# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
# Unit discovery: real Go programs as transient units appear with their Go facts and settings
# within a second, non-Go units never do, a shell wrapper that execs a Go program counts, secrets
# in the environment stay in the daemon, and stopped units go away.
source "$SRC_DIR/tests/integration/goguard-lib.sh"
require_go_services
gg_start

go_unit=${UNIT_PREFIX}healthy.service
cgo_unit=${UNIT_PREFIX}healthy-cgo.service
sh_unit=${UNIT_PREFIX}sleep.service
wrap_unit=${UNIT_PREFIX}wrapper.service
late_unit=${UNIT_PREFIX}late-exec.service
trap 'box_exec systemctl stop "$go_unit" "$cgo_unit" "$sh_unit" "$wrap_unit" "$late_unit" >/dev/null 2>&1 || true' EXIT

# A static Go program with the settings goguard checks.
t0=$(_box_now_us)
box_exec systemd-run --quiet --unit="$go_unit" -p DynamicUser=yes -p MemoryMax=64M -p LimitNOFILE=4096:8192 -p TasksMax=50 \
        -p Restart=on-failure -E GOMEMLIMIT=50MiB -E API_TOKEN=s3cr3t-value -E HEALTHY_ADDR=127.0.0.1:0 \
        "$GO_SERVICES_DIR/healthy"
wait_until 1 gg_has_unit "$go_unit"
t1=$(_box_now_us)
echo "  $go_unit exported $(((t1 - t0) / 1000)) ms after systemd-run returned"
assert_status 0 test $((t1 - t0)) -le 1000000

props=$(gg_unit_props "$go_unit")
assert_json "$props" 'd["GoVersion"] == "go1.19.8" and d["Cgo"] == "no" and d["Linking"] == "static"' \
        "Go facts of the static build: go1.19.8, no cgo, static"
assert_json "$props" 'd["GOOS"] == "linux" and d["GOARCH"] == "amd64" and d["ArchLevel"] == "GOAMD64=v1"' \
        "platform and architecture level"
assert_json "$props" 'd["ExecStartPath"] == d["Executable"] and d["Executable"].endswith("/healthy")' \
        "the ExecStart= file is what was inspected"
assert_json "$props" '["CGO_ENABLED", "0"] in d["BuildSettings"]' "build settings are exported"
assert_json "$props" 'd["MemoryMax"] == 64 * 1024 * 1024 and d["TasksMax"] == 50' "MemoryMax= and TasksMax="
assert_json "$props" 'd["LimitNOFILE"] == 8192 and d["LimitNOFILESoft"] == 4096' "LimitNOFILE= hard and soft"
assert_json "$props" 'd["Restart"] == "on-failure" and d["Type"] == "simple" and d["OOMPolicy"] == "stop"' \
        "Restart=, Type=, OOMPolicy="
assert_json "$props" 'd["ActiveState"] == "active" and d["SubState"] == "running" and d["MainPID"] > 0' \
        "state and main PID"
assert_json "$props" 're.fullmatch("[0-9a-f]{32}", d["InvocationID"])' "the invocation ID"
assert_eq "$(box_unit_prop "$go_unit" InvocationID)" "$(json_get "$props" 'd["InvocationID"]')" \
        "the same invocation ID as systemd's"
assert_eq "$(box_unit_prop "$go_unit" ControlGroup)" "$(json_get "$props" 'd["ControlGroup"]')" \
        "the same control group as systemd's"
assert_json "$props" '["GOMEMLIMIT", "50MiB", False] in d["Environment"]' "GOMEMLIMIT= shown with its value"
assert_json "$props" '["API_TOKEN", "", True] in d["Environment"]' "other values are redacted"
assert_json "$props" '["GOMEMLIMIT", "50MiB", False] in d["ProcessEnvironment"]' \
        "the live process environment is read"
assert_json "$props" '["API_TOKEN", "", True] in d["ProcessEnvironment"]' "and redacted the same way"
all=$(box_exec busctl --json=short call "$GG_DEST" "$(gg_unit_path "$go_unit")" \
        org.freedesktop.DBus.Properties GetAll s "$GG_UNIT")
assert_status 1 grep -q s3cr3t-value <<<"$all"
assert_json "$props" 'd["FDCount"] > 0 and d["TasksCurrent"] > 0 and d["SampleTimestamp"] > 0' \
        "fd and task counts sampled while it runs"
# The object manager lists it too (Cockpit-style clients).
assert_status 0 grep -q "$(gg_unit_path "$go_unit")" <<<"$(box_exec busctl --json=short call "$GG_DEST" \
        "$GG_PATH" org.freedesktop.DBus.ObjectManager GetManagedObjects)"

# A cgo build: dynamic, with libc and its GLIBC version.
box_exec systemd-run --quiet --unit="$cgo_unit" -p DynamicUser=yes -E HEALTHY_ADDR=127.0.0.1:0 "$GO_SERVICES_DIR/healthy-cgo"
wait_until 1 gg_has_unit "$cgo_unit"
props=$(gg_unit_props "$cgo_unit")
assert_json "$props" 'd["Cgo"] == "yes" and d["Linking"] == "dynamic" and d["Interpreter"] == "/lib64/ld-linux-x86-64.so.2"' \
        "Go facts of the cgo build"
assert_json "$props" 'any(l == "libc.so.6" and re.fullmatch("GLIBC_2[.][0-9]+", v) for l, v in d["NeededLibraries"])' \
        "libc.so.6 with the highest GLIBC version it needs"

# A non-Go unit is watched but never exported.
box_exec systemd-run --quiet --unit="$sh_unit" sleep 1000
wait_until 2 box_exec systemctl is-active --quiet "$sh_unit"
sleep 1.5 # longer than the re-checks of a new main process
assert_eq org.goguard.goguard1.Error.NoSuchUnit "$(gg_error_name GetUnit string:"$sh_unit")" \
        "the non-Go unit is not exported"
assert_status 1 grep -qx "$sh_unit" <<<"$(gg_go_units)"

# A shell script that execs a Go program: ExecStart= is not Go, the main process is.
wrapper=$BUILD_DIR/integration-go/${UNIT_PREFIX}wrapper.sh
printf '#!/bin/sh\nexec "%s" "$@"\n' "$GO_SERVICES_DIR/healthy" >"$wrapper"
chmod +x "$wrapper"
box_exec systemd-run --quiet --unit="$wrap_unit" -p DynamicUser=yes -E HEALTHY_ADDR=127.0.0.1:0 "$wrapper"
wait_until 1 gg_has_unit "$wrap_unit"
props=$(gg_unit_props "$wrap_unit")
assert_json "$props" 'd["ExecStartPath"].endswith("wrapper.sh") and d["Executable"].endswith("/healthy")' \
        "a wrapper script's unit is Go through /proc/PID/exe"
# ... also when the exec comes a moment after the start.
box_exec systemd-run --quiet --unit="$late_unit" -p DynamicUser=yes -E HEALTHY_ADDR=127.0.0.1:0 /bin/sh -c \
        "sleep 0.4; exec $GO_SERVICES_DIR/healthy"
wait_until 2 gg_has_unit "$late_unit"
assert_json "$(gg_unit_props "$late_unit")" 'd["Executable"].endswith("/healthy") and d["GoVersion"] == "go1.19.8"' \
        "a main process that execs a Go program later is found"

assert_json "$(gg_call ListGoUnits)" \
        'sorted(u[0] for u in d["data"][0] if u[0].startswith("'"$UNIT_PREFIX"'")) == sorted(["'"$go_unit"'", "'"$cgo_unit"'", "'"$wrap_unit"'", "'"$late_unit"'"])' \
        "ListGoUnits lists exactly the Go units"
assert_json "$(gg_call ListGoUnits)" \
        '[u for u in d["data"][0] if u[0] == "'"$cgo_unit"'"][0][2:] == ["go1.19.8", "active", "yes", "dynamic", 0]' \
        "a ListGoUnits row: Go version, state, cgo, linking, findings"

# Stopped transient units are collected by systemd and go away.
before=$(gg_manager_prop GoUnits)
box_exec systemctl stop "$go_unit" "$late_unit"
wait_until 2 eval '! gg_has_unit "$go_unit"'
assert_eq org.goguard.goguard1.Error.NoSuchUnit "$(gg_error_name GetUnit string:"$go_unit")" \
        "a stopped transient unit goes away"
wait_until 2 eval '[ "$(gg_manager_prop GoUnits)" = $((before - 2)) ]'
assert_eq $((before - 2)) "$(gg_manager_prop GoUnits)" "GoUnits counts down"
