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
cleanup() {
        gg_trace_stop
        box_exec systemctl stop "$unit" >/dev/null 2>&1 || true
        box_exec rm -f "$envf" "$log" "/run/systemd/system/$unit" >/dev/null 2>&1 || true
        box_exec systemctl daemon-reload >/dev/null 2>&1 || true
}
trap cleanup EXIT

gg_trace_start "$log"

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

gg_trace_stop
assert_off_loop "$log" "\"$envf\"" "the EnvironmentFile="
assert_eq active "$(box_unit_prop goguardd.service ActiveState)" "goguardd runs on"
