# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
# goguardd as a service: started by systemctl (Type=notify, READY after the first scan), by
# D-Bus activation, its hardening, the API contract, and what it says about itself.
source "$SRC_DIR/tests/integration/goguard-lib.sh"

# Through systemctl: `start` returns once goguardd sent READY=1, i.e. after its first scan.
gg_start
assert_eq active "$(box_unit_prop goguardd.service ActiveState)" "goguardd.service is active"
assert_eq notify "$(box_unit_prop goguardd.service Type)" "it is Type=notify"
assert_match 'Watching [0-9]+ service units, [0-9]+ of them Go\.' \
        "$(box_journal -q -u goguardd.service -o cat -g 'Watching' | tail -n1)" \
        "it logged the result of its first scan to the journal"
assert_match '[1-9][0-9]*' "$(gg_manager_prop WatchedUnits)" "it watches the box's service units"
assert_json "$(gg_manager_prop Sources)" '"systemd" in d and "proc" in d' "systemd and /proc are live sources"
assert_eq hybrid "$(gg_manager_prop CGroupVersion)" "it sees this host's hybrid cgroup layout"
assert_eq "$(box_exec /usr/libexec/goguardd --version | awk '{print $2}')" "$(gg_manager_prop Version)" \
        "Version matches goguardd --version"

# The hardening target: systemd-analyze security of the installed unit, offline.
exposure=$(box_exec systemd-analyze security --offline=true /usr/lib/systemd/system/goguardd.service 2>&1 |
        sed -n 's/.*Overall exposure level for goguardd.service: \([0-9.]*\).*/\1/p')
echo "  systemd-analyze security --offline=true: exposure $exposure"
assert_status 0 awk -v e="$exposure" 'BEGIN { exit !(e != "" && e <= 2.5) }'

# The contract: live introspection against dbus/org.goguard.goguard1.xml.
box_exec busctl introspect --xml-interface "$GG_DEST" "$GG_PATH" >"$BOX_DIR/manager.xml"
assert_status 0 python3 "$SRC_DIR/tests/integration/check-introspection.py" \
        "$SRC_DIR/dbus/org.goguard.goguard1.xml" "$BOX_DIR/manager.xml" org.goguard.goguard1.Manager
assert_status 0 grep -q 'interface name="org.freedesktop.DBus.ObjectManager"' "$BOX_DIR/manager.xml"
# The installed copy is the contract.
assert_status 0 box_exec cmp /usr/share/dbus-1/interfaces/org.goguard.goguard1.xml \
        "$SRC_DIR/dbus/org.goguard.goguard1.xml"

# D-Bus activation: with goguardd stopped, the first call starts it.
box_exec systemctl stop goguardd.service
assert_eq inactive "$(box_unit_prop goguardd.service ActiveState)" "goguardd stopped"
assert_status 0 box_exec busctl call "$GG_DEST" "$GG_PATH" "$GG_MANAGER" ListGoUnits
# The reply comes once the name is owned, right before READY=1 reaches systemd.
wait_until 2 eval '[ "$(box_unit_prop goguardd.service ActiveState)" = active ]'
assert_eq active "$(box_unit_prop goguardd.service ActiveState)" "a bus call activated goguardd.service"

# Clean exit on SIGTERM (systemctl stop): no failure recorded.
box_exec systemctl stop goguardd.service
assert_eq success "$(box_unit_prop goguardd.service Result)" "SIGTERM ends goguardd cleanly"
gg_start

# Usage errors.
assert_status 2 box_exec /usr/libexec/goguardd --no-such-option
assert_status 2 box_exec /usr/libexec/goguardd --sample-interval=0
assert_status 0 box_exec /usr/libexec/goguardd --help
