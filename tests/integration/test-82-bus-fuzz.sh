# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
# The bus under hostile callers: every method and property of the interface XML, as root and as
# nobody, several clients at once, with wrong signatures, huge and odd strings, bad unit names and
# finding ids, paging bounds. Afterwards goguardd has not restarted, every error was a named one,
# and nothing changed for the unprivileged caller.
source "$SRC_DIR/tests/integration/goguard-lib.sh"
require_go_services
gg_start

probe=$SRC_DIR/tests/integration/bus-probe.py
box_exec /usr/bin/python3 -c 'import dbus' 2>/dev/null || skip "python3-dbus is not installed (tools/install-deps)"
unit=${UNIT_PREFIX}healthy.service
hog=${UNIT_PREFIX}memhog.service
trap 'box_exec systemctl stop "$unit" "$hog" >/dev/null 2>&1 || true' EXIT
box_exec systemd-run --quiet --unit="$unit" -p DynamicUser=yes -E HEALTHY_ADDR=127.0.0.1:0 "$GO_SERVICES_DIR/healthy"
# A finding to aim at (its id is a valid argument).
box_exec systemd-run --quiet --unit="$hog" -p MemoryMax=40M -p MemorySwapMax=0 "$GO_SERVICES_DIR/memhog"
wait_until 5 gg_has_unit "$unit"
wait_until 30 eval '[ -n "$(gg_finding_of "$hog" oom-kill)" ]'
wait_until 10 eval '[ "$(box_unit_prop "$hog" ActiveState)" != active ]'
sleep 1

pid=$(box_unit_prop goguardd.service MainPID)
restarts=$(box_unit_prop goguardd.service NRestarts)
units_before=$(box_exec runuser -u nobody -- busctl --json=short call "$GG_DEST" "$GG_PATH" "$GG_MANAGER" ListGoUnits)
findings_before=$(box_exec runuser -u nobody -- busctl --json=short call "$GG_DEST" "$GG_PATH" "$GG_MANAGER" \
        ListFindings 'a{sv}uu' 0 0 1000)

# Six clients at once: three as root, three as nobody.
pids=()
for i in 1 2 3; do
        box_exec /usr/bin/python3 "$probe" fuzz "$SRC_DIR/dbus/org.goguard.goguard1.xml" "$i" \
                >"$BOX_DIR/fuzz-root-$i.json" 2>"$BOX_DIR/fuzz-root-$i.err" &
        pids+=($!)
        box_exec runuser -u nobody -- /usr/bin/python3 "$probe" fuzz "$SRC_DIR/dbus/org.goguard.goguard1.xml" "$i" \
                >"$BOX_DIR/fuzz-nobody-$i.json" 2>"$BOX_DIR/fuzz-nobody-$i.err" &
        pids+=($!)
done
failed=0
for p in "${pids[@]}"; do
        wait "$p" || failed=$((failed + 1))
done
for f in "$BOX_DIR"/fuzz-*.json; do
        echo "  $(basename "$f"): $(cat "$f")"
done
cat "$BOX_DIR"/fuzz-*.err >&2
assert_eq 0 "$failed" "every client finished and every error was a named one"
for who in root nobody; do
        assert_json "$(cat "$BOX_DIR/fuzz-$who-1.json")" 'd["calls"] > 800 and d["unnamed"] == []' \
                "$who: the sweep ran"
done
assert_json "$(cat "$BOX_DIR/fuzz-nobody-1.json")" 'd["errors"].get("org.goguard.goguard1.Error.AccessDenied", 0) > 0' \
        "nobody's mutating calls were refused"

assert_eq "$pid" "$(box_unit_prop goguardd.service MainPID)" "goguardd is the same process"
assert_eq "$restarts" "$(box_unit_prop goguardd.service NRestarts)" "and did not restart"
assert_eq active "$(box_unit_prop goguardd.service ActiveState)" "and is active"
assert_eq "$units_before" "$(box_exec runuser -u nobody -- busctl --json=short call "$GG_DEST" "$GG_PATH" \
        "$GG_MANAGER" ListGoUnits)" "ListGoUnits is unchanged for nobody"
assert_eq "$findings_before" "$(box_exec runuser -u nobody -- busctl --json=short call "$GG_DEST" "$GG_PATH" \
        "$GG_MANAGER" ListFindings 'a{sv}uu' 0 0 1000)" "ListFindings is unchanged for nobody"
