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
trace_pid=
cleanup() {
        [[ -z $trace_pid ]] || box_exec kill "$trace_pid" >/dev/null 2>&1 || true
        box_exec systemctl stop "$unit" >/dev/null 2>&1 || true
        box_exec rm -rf "$root" "$log" "/run/systemd/system/$unit" "/run/systemd/system/$unit.d" \
                >/dev/null 2>&1 || true
        box_exec systemctl daemon-reload >/dev/null 2>&1 || true
}
trap cleanup EXIT

# traced: whether goguardd's main thread has a tracer.
traced() {
        box_sh 'sed -n "s/^TracerPid:[[:space:]]*//p" "/proc/$1/status"' "$main"
}

main=$(box_unit_prop goguardd.service MainPID)
assert_match '[1-9][0-9]*' "$main" "goguardd runs"
# The unit's root (the Go program copied in), with a directory everyone may write on its PATH:
# path-unsafe, found by a check that stats it under the root.
box_exec mkdir -p "$root/etc" "$root/usr/bin" "$root/opt/probe"
box_exec chmod 0777 "$root/opt/probe"
box_exec cp "$GO_SERVICES_DIR/healthy" "$root/usr/bin/healthy"
box_sh 'echo "root:x:0:0::/root:/bin/sh" >"$1/etc/passwd"' "$root"

# Every file call of goguardd's threads, each line led by the thread's id.
trace_pid=$(box_sh 'strace -f -qq -e trace=%file -o "$2" -p "$1" >/dev/null 2>&1 & echo $!' "$main" "$log")
wait_until 5 eval '[ "$(traced)" != 0 ]'

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

box_exec kill "$trace_pid"
wait_until 5 eval '[ "$(traced)" = 0 ]'
trace_pid=
# The calls naming the unit's root: "TID syscall(...)".
calls=$(box_sh 'grep -F "\"$2/" "$1" || true' "$log" "$root")
assert_ne "" "$calls" "strace saw the check's file calls under the unit's root"
tids=$(awk '{print $1}' <<<"$calls" | sort -u | tr '\n' ' ')
on_loop=$(awk -v main="$main" '$1 == main' <<<"$calls")
assert_eq "" "$on_loop" "no file call of the check on goguardd's main thread $main (threads: $tids)"
assert_match "/proc/$main/task/[0-9]+" "$(box_sh 'ls -d /proc/$1/task/* | grep -v "/$1\$" | head -n1' "$main")" \
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
