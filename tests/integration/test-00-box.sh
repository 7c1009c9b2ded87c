# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
# The harness itself: the box runs a real systemd with journald and the system bus, transient
# units work, the build is installed in the box (and only there), and the host's /tmp is safe.

# systemd is PID 1 of the box and finished booting.
assert_eq systemd "$(box_exec cat /proc/1/comm)" "PID 1 of the box is systemd"
assert_match 'running|degraded' "$(box_exec systemctl is-system-running || true)" \
        "the box's systemd finished booting"
assert_eq goguard-box "$(box_exec cat /proc/sys/kernel/hostname)" "the box has its own host name"
assert_eq "$(box_exec readlink /proc/self/ns/pid)" "$(readlink "/proc/$BOX_PID/ns/pid")" \
        "box_exec runs in the box's pid namespace"
assert_ne "$(readlink /proc/self/ns/mnt)" "$(readlink "/proc/$BOX_PID/ns/mnt")" \
        "the box has its own mount namespace"

# journald: a line in, the same line out.
tag=${UNIT_PREFIX}cat
line="hello from $TEST_NAME $BOX_RUN_ID"
echo "$line" | box_exec systemd-cat -t "$tag" -p notice
# shellcheck disable=SC2016
wait_until 5 box_sh '[ -n "$(journalctl --no-pager -q -t "$1" -o cat)" ]' "$tag"
assert_eq "$line" "$(box_journal -q -t "$tag" -o cat)" "journald stores a line from systemd-cat"
assert_json --lines "$(box_journal -q -t "$tag" -o json)" \
        'len(d) == 1 and d[0]["PRIORITY"] == "5" and d[0]["SYSLOG_IDENTIFIER"] == "'"$tag"'"' \
        "journalctl -o json has the entry's fields"

# The system bus answers.
bus_id=$(box_exec busctl --json=short call org.freedesktop.DBus /org/freedesktop/DBus \
        org.freedesktop.DBus GetId)
assert_json "$bus_id" 'd["type"] == "s" and re.fullmatch("[0-9a-f]{32}", d["data"][0])' \
        "the system bus answers GetId"
assert_eq active "$(box_exec systemctl is-active dbus.service)" "dbus.service is active"

# A transient service.
unit=${UNIT_PREFIX}sleep.service
trap 'box_exec systemctl stop "$unit" >/dev/null 2>&1 || true' EXIT
box_exec systemd-run --quiet --unit="$unit" sleep 1000
wait_until 5 box_exec systemctl is-active --quiet "$unit"
assert_eq active "$(box_unit_prop "$unit" ActiveState)" "$unit is active"
assert_eq running "$(box_unit_prop "$unit" SubState)" "$unit is running"
main_pid=$(box_unit_prop "$unit" MainPID)
assert_eq sleep "$(box_exec cat "/proc/$main_pid/comm")" "its MainPID is the sleep in the box"
box_exec systemctl stop "$unit"
assert_eq inactive "$(box_unit_prop "$unit" ActiveState)" "$unit is stopped"

# The build is installed in the box, and only there.
assert_status 0 box_exec test -x /usr/bin/goguardctl
assert_status 1 test -e /usr/bin/goguardctl
assert_status 1 box_exec /usr/bin/goguardctl inspect /usr/bin/goguardctl
assert_status 0 box_exec /usr/bin/goguardctl --version

# The host's /tmp is not the box's, and the box's boot left it alone.
assert_status 0 test -f "$BOX_HOST_MARKER"
assert_status 1 box_exec test -e "$BOX_HOST_MARKER"
box_exec touch "/tmp/$UNIT_PREFIX-box-only"
assert_status 1 test -e "/tmp/$UNIT_PREFIX-box-only"
assert_eq "" "$(findmnt -rn -o TARGET,SOURCE | awk '$2 ~ /^gg-box/')" "no mount of the box is visible on the host"

# The Go test services are there, at the same path in the box.
if [[ -n $GO_SERVICES_DIR ]]; then
        for p in healthy healthy-cgo fdleak memhog nohome; do
                assert_status 0 box_exec test -x "$GO_SERVICES_DIR/$p"
        done
fi
