# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
# A crash loop's count equals the kernel's number of kills whatever happens to goguardd and its
# state: killed with SIGKILL during the loop, its journal cursor lost or garbage, its findings
# state corrupted by one flipped byte or removed, the journal rotated. A re-read never counts a
# kill twice, and a lost state is rebuilt from the journal, said once in the log.
source "$SRC_DIR/tests/integration/goguard-lib.sh"
require_go_services
gg_start

loop=${UNIT_PREFIX}loop.service
ok=${UNIT_PREFIX}ok.service
state=/var/lib/goguard
trap 'box_exec systemctl stop "$loop" "$ok" >/dev/null 2>&1 || true' EXIT

# PID 1's "Main process exited, code=killed, status=9/KILL" for the unit: one per kill.
kills_of_loop() {
        box_journal -q MESSAGE_ID=98e322203f7a4ed290d09fe03c09fe15 UNIT="$loop" EXIT_STATUS=9 -o cat | wc -l
}
loop_count() {
        local id
        id=$(gg_finding_of "$loop" oom-kill)
        [ -n "$id" ] || { echo none; return; }
        json_get "$(gg_finding "$id")" 'd["Count"]'
}
# expect_count DESC: the finding's count settles at the number of kills.
expect_count() {
        wait_until 10 eval '[ "$(loop_count)" = "$kills" ]' || true
        assert_eq "$kills" "$(loop_count)" "$1"
        assert_match '^[0-9a-f]{32}$' "$(gg_finding_of "$loop" oom-kill)" "still one oom-kill finding ($1)"
}
restart_goguardd() {
        box_exec systemctl stop goguardd.service
        "$@"
        gg_start
        wait_until 10 eval '[ "$(gg_manager_prop JournalEntriesRead)" -gt 0 ]'
}
goguardd_log() {
        box_journal -q -u goguardd.service _SYSTEMD_INVOCATION_ID="$(box_unit_prop goguardd.service InvocationID)" -o cat
}

# 1. A fast crash loop; goguardd is killed with SIGKILL twice while it runs.
box_exec systemd-run --quiet --unit="$loop" -p MemoryMax=40M -p MemorySwapMax=0 -p Restart=on-failure \
        -p RestartSec=100ms -p StartLimitIntervalSec=600 -p StartLimitBurst=30 \
        "$GO_SERVICES_DIR/memhog" -chunk 8
box_exec systemd-run --quiet --unit="$ok" -p DynamicUser=yes -E HEALTHY_ADDR=127.0.0.1:0 "$GO_SERVICES_DIR/healthy"
for at in 8 16; do
        wait_until 60 eval '[ "$(box_unit_prop "$loop" NRestarts)" -ge '"$at"' ]'
        restarts=$(box_unit_prop goguardd.service NRestarts)
        box_exec systemctl kill -s KILL goguardd.service
        wait_until 10 eval '[ "$(box_unit_prop goguardd.service NRestarts)" -gt '"$restarts"' ] &&
                box_exec systemctl is-active --quiet goguardd.service'
done
wait_until 120 eval '[ "$(box_unit_prop "$loop" ActiveState)" = failed ]'
kills=$(kills_of_loop)
summaries=$(box_journal -q _TRANSPORT=kernel -o cat -g "oom-kill:.*task_memcg=/system.slice/$loop," | wc -l)
echo "  $kills kills, $summaries of them with the kernel's oom-kill: summary"
assert_status 0 test "$kills" -ge 25
expect_count "counted once each through two kill -9 of goguardd"
id=$(gg_finding_of "$loop" oom-kill)

# 2. The cursor is lost: the whole boot is read again.
restart_goguardd box_exec rm -f "$state/journal.cursor"
expect_count "after the cursor was lost"

# 3. The cursor is garbage.
restart_goguardd box_sh "printf 's=garbage;i=1;b=nonsense\n' >$state/journal.cursor"
expect_count "after the cursor was garbage"

# 4. One byte of the findings state flipped: a digit of the count, where the text still parses.
restart_goguardd box_sh "
        python3 - $state/findings.state <<'PY'
import re, sys
p = sys.argv[1]
t = open(p, 'rb').read()
m = re.search(rb'^finding $id oom-kill \S+ \S+ \S+ \S+ \d+ \d+ (\d+) ', t, re.M)
i = m.start(1)
t = t[:i] + bytes([t[i] ^ 1]) + t[i + 1:]
open(p, 'wb').write(t)
PY"
wait_until 10 eval '[ "$(loop_count)" = "$kills" ]' || true
assert_eq 1 "$(goguardd_log | grep -c 'cannot be read.*rebuilding the findings from the journal')" \
        "the rebuild is said once"
assert_status 0 box_sh "ls $state/findings.state.corrupt-* >/dev/null"
expect_count "rebuilt from the journal after one flipped byte"
assert_eq "$id" "$(gg_finding_of "$loop" oom-kill)" "the rebuilt finding has the same id"
assert_json "$(gg_finding "$id")" 'd["Evidence"]["comm"] == "memhog"' "with the kernel's record of the last kill"

# 5. The findings state removed, the cursor kept.
restart_goguardd box_exec rm -f "$state/findings.state"
assert_eq 1 "$(goguardd_log | grep -c 'is missing; rebuilding the findings from the journal')" \
        "a missing state with a saved cursor is rebuilt, said once"
expect_count "rebuilt after the state was removed"

# 6. The journal rotated, then the cursor lost again: the archived files are read too.
box_exec journalctl --rotate
restart_goguardd box_exec rm -f "$state/journal.cursor"
expect_count "after a rotation and a lost cursor"
restart_goguardd true
expect_count "after a plain restart"

assert_eq 0 "$(gg_manager_prop JournalEntriesSkipped)" "no entry was skipped"
assert_eq 0 "$(gg_manager_prop FindingsRefused)" "no finding was refused"
# The healthy unit beside it got nothing through all of this.
assert_json "$(gg_call ListFindings 'a{sv}uu' 1 unit s "$ok" 0 0)" 'd["data"][1] == 0' "no finding for a healthy unit"
