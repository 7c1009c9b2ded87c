# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
# A finding resolves by itself once a new invocation of its unit has run clean for a while
# (--resolve-after=, 2 s here), and says so on the bus; its unit's open findings count drops.
source "$SRC_DIR/tests/integration/goguard-lib.sh"
require_go_services

unit=${UNIT_PREFIX}svc.service
dropin=/run/systemd/system/goguardd.service.d/resolve.conf
trap 'box_exec systemctl stop "$unit" >/dev/null 2>&1 || true; box_exec rm -f "$dropin"; box_exec systemctl daemon-reload' EXIT

box_exec mkdir -p "${dropin%/*}"
box_sh 'printf "[Service]\nExecStart=\nExecStart=/usr/libexec/goguardd --resolve-after=2\n" >"$1"' "$dropin"
box_exec systemctl daemon-reload
box_exec systemctl restart goguardd.service

# One OOM kill, Restart=no.
box_exec systemd-run --quiet --unit="$unit" -p MemoryMax=40M -p MemorySwapMax=0 "$GO_SERVICES_DIR/memhog"
find_id() {
        gg_call ListFindings 'a{sv}uu' 2 unit s "$unit" class s oom-kill 0 0 | json_get - \
                '",".join(r[0] for r in d["data"][0])'
}
wait_until 20 eval '[ -n "$(find_id)" ]'
id=$(find_id)
assert_match '[0-9a-f]{32}' "$id" "the OOM kill is a finding"
state() {
        box_exec busctl --json=short call "$GG_DEST" "$GG_PATH" "$GG_MANAGER" GetFinding s "$id" |
                json_get - 'd["data"][0]["State"]["data"]'
}
sleep 3
assert_eq open "$(state)" "it stays open while the unit is down"

# The same unit runs again, fixed, and stays up: the finding resolves.
box_exec timeout 15 busctl monitor --json=short \
        --match "type=signal,sender=$GG_DEST,member=FindingResolved" >"$BOX_DIR/resolved.json" 2>/dev/null </dev/null &
monitor=$!
sleep 0.3
box_exec systemctl reset-failed "$unit"
box_exec systemd-run --quiet --unit="$unit" -p DynamicUser=yes -p MemoryMax=40M -E GOMEMLIMIT=36MiB -E HEALTHY_ADDR=127.0.0.1:0 \
        "$GO_SERVICES_DIR/healthy"
sleep 1
assert_eq open "$(state)" "not yet: the new invocation has run for less than 2 s"
wait_until 10 eval '[ "$(state)" = resolved ]'
assert_eq resolved "$(state)" "resolved after the new invocation ran clean for 2 s"
kill "$monitor" 2>/dev/null || true
wait "$monitor" 2>/dev/null || true
assert_status 0 grep -q "\"$id\"" "$BOX_DIR/resolved.json"
assert_json "$(box_exec busctl --json=short call "$GG_DEST" "$GG_PATH" "$GG_MANAGER" GetFinding s "$id")" \
        'd["data"][0]["Evidence"]["data"]["resolved_by"]["data"] == "clean-invocation"' "it says why"
assert_eq 0 "$(json_get "$(gg_unit_props "$unit")" 'd["OpenFindings"]')" "the unit has no open finding left"
