# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
# goguardd's first scan of units that already run. A listed unit is asked only what it runs
# (ExecStart=, and MainPID while it is live); one found Go is read whole before READY=1, every
# other one after it, in the background. At READY a Go unit and a shell wrapper whose main
# process is Go are there with their settings; a non-Go unit is not; and the non-Go unit's
# settings are read all the same: its User= counts against a Go unit's LimitNPROC=.
source "$SRC_DIR/tests/integration/goguard-lib.sh"
require_go_services
gg_start

direct=${UNIT_PREFIX}direct.service
wrap=${UNIT_PREFIX}wrapper.service
plain=${UNIT_PREFIX}sleep.service
mate=${UNIT_PREFIX}mate.service
nproc=${UNIT_PREFIX}nproc.service
# A dynamic user of the mate and nproc units alone.
user=${UNIT_PREFIX%%-97-*}-scan
trap 'box_exec systemctl stop "$direct" "$wrap" "$plain" "$mate" "$nproc" >/dev/null 2>&1 || true' EXIT

box_exec systemd-run --quiet --unit="$direct" -p DynamicUser=yes -p MemoryMax=64M -E HEALTHY_ADDR=127.0.0.1:0 \
        "$GO_SERVICES_DIR/healthy"
box_exec systemd-run --quiet --unit="$wrap" -p DynamicUser=yes -p MemoryMax=96M -E HEALTHY_ADDR=127.0.0.1:0 \
        /bin/sh -c "exec $GO_SERVICES_DIR/healthy"
box_exec systemd-run --quiet --unit="$plain" /bin/sleep infinity
box_exec systemd-run --quiet --unit="$mate" -p DynamicUser=yes -p User="$user" /bin/sleep infinity
wait_until 10 gg_has_unit "$direct"
wait_until 10 gg_has_unit "$wrap" # its shell has exec'd the Go program

# `systemctl restart` returns at READY=1; the bus name is requested at the same moment.
box_exec systemctl restart goguardd.service
wait_until 2 eval 'gg_manager_prop Version >/dev/null'
props=$(gg_unit_props "$direct")
assert_json "$props" 'd["MemoryMax"] == 67108864 and d["DynamicUser"] == True and d["GoVersion"].startswith("go1.")' \
        "at READY: a Go unit, with its settings"
props=$(gg_unit_props "$wrap")
assert_json "$props" 'd["ExecStartPath"] == "/bin/sh" and d["Executable"].endswith("/healthy") and d["MemoryMax"] == 100663296' \
        "at READY: a wrapper's Go main process (MainPID), with its settings"
assert_eq "" "$(gg_go_units | grep -F -e "$plain" -e "$mate" || true)" "non-Go units are not Go units"
line=$(box_journal -q -u goguardd.service -o cat -g '^Watching [0-9]+ service units' | tail -n1)
assert_match 'Watching [0-9]+ service units, [0-9]+ of them Go\.' "$line" "the first scan's count"

# The non-Go mate was listed and read in the background: its User= is known.
box_exec systemd-run --quiet --unit="$nproc" -p DynamicUser=yes -p User="$user" -p LimitNPROC=30 \
        "$GO_SERVICES_DIR/threadhog" -interval=20ms
wait_until 20 eval '[ -n "$(gg_finding_of "$nproc" thread-exhaustion)" ]'
f=$(gg_finding "$(gg_finding_of "$nproc" thread-exhaustion)")
assert_json "$f" 'd["Evidence"]["nproc_shared_units"] == 1 and d["Evidence"]["nproc_shared_with"] == "'"$mate"'"' \
        "a non-Go unit of the first scan, read after READY: it shares the user's LimitNPROC="
