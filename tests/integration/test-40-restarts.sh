# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
# goguardd keeps working when PID 1 re-executes (daemon-reexec: the subscription is lost and
# renewed) and when the bus restarts (goguardd exits non-zero on losing its connection, and
# systemd's Restart=on-failure brings it back).
source "$SRC_DIR/tests/integration/goguard-lib.sh"
require_go_services
gg_start

before=${UNIT_PREFIX}before.service
after=${UNIT_PREFIX}after-reexec.service
after_bus=${UNIT_PREFIX}after-bus.service
trap 'box_exec systemctl stop "$before" "$after" "$after_bus" >/dev/null 2>&1 || true' EXIT

box_exec systemd-run --quiet --unit="$before" -E HEALTHY_ADDR=127.0.0.1:0 "$GO_SERVICES_DIR/healthy"
wait_until 1 gg_has_unit "$before"
pid=$(box_unit_prop goguardd.service MainPID)
# Re-execute with no job in flight: once (1 run in ~15) a unit started 50 ms before the re-exec
# was stopped after it, its transient file gone ("Failed to open /run/systemd/transient/...").
wait_until 5 eval '[ -z "$(box_exec systemctl list-jobs --no-legend)" ]'

box_exec systemctl daemon-reexec
wait_until 5 box_exec systemctl is-system-running --quiet 2>/dev/null || true
assert_eq "$pid" "$(box_unit_prop goguardd.service MainPID)" "goguardd survived daemon-reexec"
assert_status 0 gg_has_unit "$before"
box_exec systemd-run --quiet --unit="$after" -E HEALTHY_ADDR=127.0.0.1:0 "$GO_SERVICES_DIR/healthy"
wait_until 2 gg_has_unit "$after"
assert_status 0 gg_has_unit "$after"
assert_json "$(gg_unit_props "$after")" 'd["ActiveState"] == "active" and d["MainPID"] > 0' \
        "units started after the re-exec are followed"

# The bus goes away and comes back.
restarts=$(box_unit_prop goguardd.service NRestarts)
box_exec systemctl restart dbus.service
wait_until 10 eval '[ "$(box_unit_prop goguardd.service NRestarts)" -gt '"$restarts"' ]'
assert_status 0 test "$(box_unit_prop goguardd.service NRestarts)" -gt "$restarts"
wait_until 10 box_exec systemctl is-active --quiet goguardd.service
wait_until 5 gg_has_unit "$before"
assert_status 0 gg_has_unit "$before"
assert_match '.*Lost the bus connection.*' "$(box_journal -q -u goguardd.service -o cat -g 'Lost the bus' | tail -n1)" \
        "goguardd said why it exited"
box_exec systemd-run --quiet --unit="$after_bus" -E HEALTHY_ADDR=127.0.0.1:0 "$GO_SERVICES_DIR/healthy"
wait_until 2 gg_has_unit "$after_bus"
assert_status 0 gg_has_unit "$after_bus"
