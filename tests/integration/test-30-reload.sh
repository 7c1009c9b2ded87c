# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
# A Go service from a unit file: settings changed by daemon-reload are picked up without a
# restart of the service, and a removed unit goes away.
source "$SRC_DIR/tests/integration/goguard-lib.sh"
require_go_services
gg_start

unit=${UNIT_PREFIX}file.service
file=/run/systemd/system/$unit
trap 'box_exec systemctl stop "$unit" >/dev/null 2>&1 || true; box_exec rm -f "$file"' EXIT

write_unit() {
        box_sh 'cat >"$1"' "$file" <<UNIT
[Service]
ExecStart=$GO_SERVICES_DIR/healthy
Environment=HEALTHY_ADDR=127.0.0.1:0 GOGC=$1
LimitNOFILE=$2
UNIT
}

write_unit 50 1024
box_exec systemctl daemon-reload
box_exec systemctl start "$unit"
wait_until 1 gg_has_unit "$unit"
props=$(gg_unit_props "$unit")
assert_json "$props" 'd["LimitNOFILE"] == 1024 and ["GOGC", "50", False] in d["Environment"]' \
        "a unit file's settings"
pid=$(json_get "$props" 'd["MainPID"]')

# Edit and reload, without restarting: the manager's view changes, and so does ours.
write_unit 75 2048
box_exec systemctl daemon-reload
wait_until 2 eval 'json_get "$(gg_unit_props "$unit")" "d[\"LimitNOFILE\"]" | grep -qx 2048'
props=$(gg_unit_props "$unit")
assert_json "$props" 'd["LimitNOFILE"] == 2048 and ["GOGC", "75", False] in d["Environment"]' \
        "settings changed by daemon-reload are picked up"
assert_json "$props" 'd["MainPID"] == '"$pid" "the service itself kept running"
# The process still has the environment it was started with; goguard shows both.
assert_json "$props" '["GOGC", "50", False] in d["ProcessEnvironment"]' \
        "the live process environment is the one it started with"

# Stop it and remove the file: the unit is unloaded and leaves goguard's list.
box_exec systemctl stop "$unit"
box_exec rm -f "$file"
box_exec systemctl daemon-reload
wait_until 2 eval '! gg_has_unit "$unit"'
assert_eq org.goguard.goguard1.Error.NoSuchUnit "$(gg_error_name GetUnit string:"$unit")" \
        "a removed unit goes away"
