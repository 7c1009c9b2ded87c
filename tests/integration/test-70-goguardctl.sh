# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
# goguardctl against the real goguardd: status and show, their JSON, their exit codes (0 ok,
# 2 usage, 3 goguardd not running, 4 not a watched Go unit), as root and as an unprivileged user.
source "$SRC_DIR/tests/integration/goguard-lib.sh"
require_go_services

unit=${UNIT_PREFIX}healthy.service
cgo=${UNIT_PREFIX}cgo.service
other=${UNIT_PREFIX}sleep.service
trap 'box_exec systemctl stop "$unit" "$cgo" "$other" >/dev/null 2>&1 || true' EXIT

# Not running: status says so, how to start it, exit 3, and does not start it.
box_exec systemctl stop goguardd.service
out=$(box_exec goguardctl status 2>&1) && rc=0 || rc=$?
assert_eq 3 "$rc" "status exits 3 when goguardd is not running"
assert_match '(.|\n)*goguardd is not running(.|\n)*systemctl (enable --now|start) goguardd(.|\n)*' "$out" \
        "and says how to start it"
assert_eq inactive "$(box_unit_prop goguardd.service ActiveState)" "status did not start goguardd"
assert_json "$(box_exec goguardctl status --json || true)" 'd == {"running": False}' "status --json when not running"

gg_start
box_exec systemd-run --quiet --unit="$unit" -p MemoryMax=64M -p LimitNOFILE=2048 -E GOMEMLIMIT=50MiB \
        -E API_TOKEN=t0ps3cr3t -E HEALTHY_ADDR=127.0.0.1:0 "$GO_SERVICES_DIR/healthy"
box_exec systemd-run --quiet --unit="$cgo" -E HEALTHY_ADDR=127.0.0.1:0 "$GO_SERVICES_DIR/healthy-cgo"
box_exec systemd-run --quiet --unit="$other" sleep 1000
wait_until 2 gg_has_unit "$unit"
wait_until 2 gg_has_unit "$cgo"

# status: the daemon's state and the table of Go units.
out=$(box_exec goguardctl status)
assert_match '(.|\n)*goguardd [0-9.]+ is running since(.|\n)*' "$out" "status says goguardd runs, and since when"
assert_match "(.|\n)*$unit +go1\\.19\\.8 +no +static +active +0(.|\n)*" "$out" "the static Go unit's row"
assert_match "(.|\n)*$cgo +go1\\.19\\.8 +yes +dynamic +active +0(.|\n)*" "$out" "the cgo unit's row"
assert_status 1 grep -q "$other" <<<"$out"
json=$(box_exec goguardctl status --json)
assert_json "$json" 'd["running"] and "systemd" in d["sources"] and d["cgroup_version"] == "hybrid"' "status --json"
assert_json "$json" '[u for u in d["units"] if u["unit"] == "'"$cgo"'"][0]["cgo"] == "yes"' "status --json rows"
# Colour only on a terminal: this is not one.
assert_status 1 grep -q $'\e\[' <<<"$out"

# show: everything about one unit; secrets redacted.
out=$(box_exec goguardctl show "$unit")
assert_match '(.|\n)*go1\.19\.8(.|\n)*' "$out" "show prints the Go version"
assert_match '(.|\n)*GOMEMLIMIT=50MiB(.|\n)*' "$out" "show prints GOMEMLIMIT"
assert_match '(.|\n)*API_TOKEN=\(redacted\)(.|\n)*' "$out" "and redacts the other values"
assert_status 1 grep -q t0ps3cr3t <<<"$out"
assert_match '(.|\n)*64M(.|\n)*' "$out" "show prints MemoryMax= readably"
json=$(box_exec goguardctl show --json "$unit")
assert_json "$json" 'd["Name"] == "'"$unit"'" and d["LimitNOFILE"] == 2048 and d["MemoryMax"] == 67108864' \
        "show --json carries the settings"
assert_json "$json" '{"name": "API_TOKEN", "value": "", "redacted": True} in d["Environment"]' \
        "show --json redacts the same way"
assert_json "$json" 'd["CPUQuotaPerSecUSec"] is None' "infinity is null in JSON"
# A name without suffix means .service, as with systemctl.
assert_status 0 box_exec goguardctl show "${unit%.service}"

# Exit codes.
assert_status 4 box_exec goguardctl show "$other"
assert_status 4 box_exec goguardctl show no-such-unit.service
assert_status 2 box_exec goguardctl show 'bad/name'
assert_status 2 box_exec goguardctl no-such-command
assert_status 2 box_exec goguardctl show

# Unprivileged users read the same.
assert_status 0 box_exec runuser -u nobody -- goguardctl status
assert_status 0 box_exec runuser -u nobody -- goguardctl show "$unit"
