# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
# goguardd's condition checks read files on its inspector thread, never on the loop that answers
# the bus: strace on goguardd shows every file call of a unit's check (its RootDirectory= read
# for what the root offers, the PATH entries looked at in it) made by another thread than the
# main one, while the finding the check leads to arrives. A unit changed again and again, then
# removed, leaves no check behind: goguardd answers all along and forgets the unit.
source "$SRC_DIR/tests/integration/goguard-lib.sh"
require_go_services
box_exec test -x /usr/bin/strace || skip "strace is not installed"
gg_start

P=$UNIT_PREFIX
unit=${P}probe.service
root=/run/${P}probe-root
log=/run/${P}strace.log
cleanup() {
        gg_trace_stop
        box_exec systemctl stop "$unit" >/dev/null 2>&1 || true
        box_exec rm -rf "$root" "$log" "/run/systemd/system/$unit" "/run/systemd/system/$unit.d" \
                >/dev/null 2>&1 || true
        box_exec systemctl daemon-reload >/dev/null 2>&1 || true
}
trap cleanup EXIT

# The unit's root (the Go program copied in), with a directory everyone may write on its PATH:
# path-unsafe, found by a check that stats it under the root.
box_exec mkdir -p "$root/etc" "$root/usr/bin" "$root/opt/probe"
box_exec chmod 0777 "$root/opt/probe"
box_exec cp "$GO_SERVICES_DIR/healthy" "$root/usr/bin/healthy"
box_sh 'echo "root:x:0:0::/root:/bin/sh" >"$1/etc/passwd"' "$root"

gg_trace_start "$log"

# goguardd knows it as Go from its main process's executable, then checks it.
box_sh 'cat >"/run/systemd/system/$1"; systemctl daemon-reload' "$unit" <<EOF_UNIT
[Service]
ExecStart=/usr/bin/healthy -addr 127.0.0.1:0
Environment=PATH=/usr/bin:/opt/probe
RootDirectory=$root
EOF_UNIT
box_exec systemctl start "$unit"
wait_until 20 eval '[ -n "$(gg_finding_of "$unit" path-unsafe)" ]'
f=$(gg_finding "$(gg_finding_of "$unit" path-unsafe)")
assert_json "$f" 'd["Evidence"]["unsafe_entries"] == "/opt/probe (writable by everyone)"' \
        "the check found the directory everyone may write, in the unit's root"

gg_trace_stop
assert_off_loop "$log" "\"$root/" "the unit's root (the check's file calls)"
assert_match "/proc/$gg_main/task/[0-9]+" "$(box_sh 'ls -d /proc/$1/task/* | grep -v "/$1\$" | head -n1' "$gg_main")" \
        "goguardd has a thread besides its main one"

# Changed again and again while checks run, then stopped and removed: goguardd answers at once
# all along, and forgets the unit.
for i in 1 2 3 4 5; do
        box_sh 'mkdir -p "/run/systemd/system/$1.d" &&
                printf "[Service]\nEnvironment=PATH=/usr/bin:/opt/probe:/opt/%s\n" "$2" \
                        >"/run/systemd/system/$1.d/path.conf" && systemctl daemon-reload' "$unit" "$i"
        gg_manager_prop Version >/dev/null
done
wait_until 20 eval '[ "$(json_get "$(gg_finding "$(gg_finding_of "$unit" path-unsafe)")" \
        "d[\"Evidence\"][\"unsafe_entries\"]")" = "/opt/probe (writable by everyone)" ]'
box_exec systemctl stop "$unit"
box_exec rm -rf "/run/systemd/system/$unit" "/run/systemd/system/$unit.d"
box_exec systemctl daemon-reload
wait_until 20 eval '! gg_has_unit "$unit"'
assert_eq active "$(box_unit_prop goguardd.service ActiveState)" "goguardd runs on"
