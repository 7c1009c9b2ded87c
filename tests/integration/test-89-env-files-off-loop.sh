# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
# goguardd reads a unit's EnvironmentFile= files on its inspector thread, with the condition
# checks, never on the loop that answers the bus: an EnvironmentFile= that became a FIFO nobody
# writes to leaves goguardd answering (goguardctl status), and once a file again, what it says is
# judged (GOMEMLIMIT fixes gomemlimit-vs-limit). strace shows every call naming the file made by
# another thread than goguardd's main one.
source "$SRC_DIR/tests/integration/goguard-lib.sh"
require_go_services
box_exec test -x /usr/bin/strace || skip "strace is not installed"
gg_start

P=$UNIT_PREFIX
unit=${P}envfile.service
envf=/run/${P}envfile.env
log=/run/${P}strace.log
trace_pid=
cleanup() {
        [[ -z $trace_pid ]] || box_exec kill "$trace_pid" >/dev/null 2>&1 || true
        box_exec systemctl stop "$unit" >/dev/null 2>&1 || true
        box_exec rm -f "$envf" "$log" "/run/systemd/system/$unit" >/dev/null 2>&1 || true
        box_exec systemctl daemon-reload >/dev/null 2>&1 || true
}
trap cleanup EXIT

traced() {
        box_sh 'sed -n "s/^TracerPid:[[:space:]]*//p" "/proc/$1/status"' "$main"
}
main=$(box_unit_prop goguardd.service MainPID)
assert_match '[1-9][0-9]*' "$main" "goguardd runs"

# Every file call of goguardd's threads, each line led by the thread's id.
trace_pid=$(box_sh 'strace -f -qq -e trace=%file -o "$2" -p "$1" >/dev/null 2>&1 & echo $!' "$main" "$log")
wait_until 5 eval '[ "$(traced)" != 0 ]'

# MemoryMax= and no GOMEMLIMIT: a condition, found by the check that read the file.
box_sh 'echo LANG=C.UTF-8 >"$1"' "$envf"
box_sh 'cat >"/run/systemd/system/$1"; systemctl daemon-reload' "$unit" <<EOF_UNIT
[Service]
ExecStart=$GO_SERVICES_DIR/healthy -addr 127.0.0.1:0
MemoryMax=100M
EnvironmentFile=$envf
EOF_UNIT
box_exec systemctl start "$unit"
wait_until 20 eval '[ -n "$(gg_finding_of "$unit" gomemlimit-vs-limit)" ]'
id=$(gg_finding_of "$unit" gomemlimit-vs-limit)
assert_json "$(gg_finding "$id")" \
        'd["Summary"] == "'"$unit"' has a GOMEMLIMIT that does not fit its memory limit: MemoryMax=100M, no GOMEMLIMIT"' \
        "gomemlimit-vs-limit: the summary"

# The file becomes a FIFO nobody writes to; a reload makes goguardd read it again. It answers.
box_exec rm -f "$envf"
box_exec mkfifo -m 0600 "$envf"
box_exec systemctl daemon-reload
status=$(box_exec timeout 5 goguardctl status --json)
assert_json "$status" 'd["running"] == True' "goguardctl status answers while the EnvironmentFile= is a FIFO"
gg_manager_prop Version >/dev/null
assert_json "$(gg_finding "$id")" 'd["State"] == "open"' "still open: the FIFO says nothing"

# A file again, now with GOMEMLIMIT: the check reads it and the condition is fixed, without a
# restart (what the next start runs with).
box_exec rm -f "$envf"
box_sh 'printf "LANG=C.UTF-8\nGOMEMLIMIT=90MiB\n" >"$1"' "$envf"
box_exec systemctl daemon-reload
wait_until 20 eval '[ "$(json_get "$(gg_finding "$id")" "d[\"State\"]")" = resolved ]'
assert_json "$(gg_finding "$id")" 'd["Evidence"]["resolved_by"] == "configuration-fixed"' \
        "resolved by the file's GOMEMLIMIT"

box_exec kill "$trace_pid"
wait_until 5 eval '[ "$(traced)" = 0 ]'
trace_pid=
# The calls naming the file: "TID syscall(...)".
calls=$(box_sh 'grep -F "\"$2\"" "$1" || true' "$log" "$envf")
assert_ne "" "$calls" "strace saw goguardd open the EnvironmentFile="
tids=$(awk '{print $1}' <<<"$calls" | sort -u | tr '\n' ' ')
on_loop=$(awk -v main="$main" '$1 == main' <<<"$calls")
assert_eq "" "$on_loop" "no call naming the EnvironmentFile= on goguardd's main thread $main (threads: $tids)"
assert_eq active "$(box_unit_prop goguardd.service ActiveState)" "goguardd runs on"
