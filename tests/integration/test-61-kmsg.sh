# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
# The kernel's log read live from /dev/kmsg, next to the journal: a fast crash loop whose kills
# the kernel partly reports without their cgroup (it rate-limits the oom-kill: summary) is counted
# exactly, though every kernel line arrives twice (live, then through the journal); and without
# /dev/kmsg goguardd still finds kills from the journal alone.
source "$SRC_DIR/tests/integration/goguard-lib.sh"
require_go_services
gg_start

loop=${UNIT_PREFIX}loop.service
hog=${UNIT_PREFIX}memhog.service
dropin=/run/systemd/system/goguardd.service.d/no-kmsg.conf
trap 'box_exec systemctl stop "$loop" "$hog" >/dev/null 2>&1 || true; box_exec rm -f "$dropin" || true' EXIT

assert_json "$(gg_manager_prop Sources)" '"kmsg" in d and "journal" in d' "/dev/kmsg and the journal are live sources"

# 1. Twelve starts 100 ms apart, each killed: more than the kernel prints summaries for.
box_exec systemd-run --quiet --unit="$loop" -p MemoryMax=40M -p MemorySwapMax=0 -p Restart=on-failure \
        -p RestartSec=100ms -p StartLimitIntervalSec=120 -p StartLimitBurst=12 \
        "$GO_SERVICES_DIR/memhog" -chunk 8
# The thirteenth start is refused ("Start request repeated too quickly"): the unit fails.
wait_until 60 eval '[ "$(box_unit_prop "$loop" ActiveState)" = failed ]'
# Every kill: PID 1's "Main process exited, code=killed, status=9/KILL" for the unit.
kills=$(box_journal -q MESSAGE_ID=98e322203f7a4ed290d09fe03c09fe15 UNIT="$loop" EXIT_STATUS=9 -o cat | wc -l)
summaries=$(box_journal -q _TRANSPORT=kernel -o cat -g "oom-kill:.*task_memcg=/system.slice/$loop," | wc -l)
echo "  $kills kills, $summaries of them with the kernel's oom-kill: summary"
assert_status 0 test "$kills" -ge 10
id=$(gg_finding_of "$loop" oom-kill)
assert_match '^[0-9a-f]{32}$' "$id" "one oom-kill finding for the crash loop"
wait_until 5 eval '[ "$(json_get "$(gg_finding "$id")" "d[\"Count\"]")" = "$kills" ]' ||
        box_journal -q -o short-precise -g "Killed process|oom-kill:|Main process exited" | grep -F -e memhog -e "$loop" |
        tail -n 40 | sed 's/^/  | /'
assert_eq "$kills" "$(json_get "$(gg_finding "$id")" 'd["Count"]')" \
        "its count equals PID 1's SIGKILL exits: each kill once, with or without its summary"
assert_json "$(gg_finding "$id")" 'd["Evidence"]["comm"] == "memhog" and d["Evidence"]["kernel_pid"] > 0' \
        "with the kernel's record of the last kill"

# 2. Without /dev/kmsg (an administrator's drop-in, or a container without it): the journal alone.
box_exec mkdir -p "$(dirname "$dropin")"
box_sh "printf '[Service]\nBindReadOnlyPaths=\n' >$dropin"
box_exec systemctl daemon-reload
box_exec systemctl restart goguardd.service
wait_until 5 box_exec systemctl is-active --quiet goguardd.service
assert_json "$(gg_manager_prop Sources)" '"kmsg" not in d and "journal" in d' "without /dev/kmsg, not a source"
box_exec systemd-run --quiet --unit="$hog" -p MemoryMax=40M -p MemorySwapMax=0 "$GO_SERVICES_DIR/memhog"
wait_until 20 eval '[ "$(box_unit_prop "$hog" ActiveState)" = failed ]'
assert_eq "signal 9" "$(box_unit_prop "$hog" Result) $(box_unit_prop "$hog" ExecMainStatus)" "the kernel killed it"
wait_until 10 eval '[ -n "$(gg_finding_of "$hog" oom-kill)" ]' || {
        echo "  no finding; the kernel's lines and goguardd's log:"
        box_journal -q _TRANSPORT=kernel -o cat -g "Killed process|oom-kill:" | tail -n 4 | sed 's/^/  | /'
        box_journal -q -u goguardd.service -o cat | tail -n 8 | sed 's/^/  | /'
}
hog_id=$(gg_finding_of "$hog" oom-kill)
assert_match '^[0-9a-f]{32}$' "$hog_id" "an OOM kill is still found, from the journal"
wait_until 5 eval 'json_get "$(gg_finding "$hog_id")" "d[\"Evidence\"].get(\"UnitResult\", \"\")" | grep -q signal'
assert_json "$(gg_finding "$hog_id")" 'd["Count"] == 1 and d["Evidence"]["journal_cursor"] != ""' \
        "counted once, with its journal cursor"
assert_eq "$kills" "$(json_get "$(gg_finding "$id")" 'd["Count"]')" "the crash loop's count is unchanged"

box_exec rm -f "$dropin"
box_exec systemctl daemon-reload
box_exec systemctl restart goguardd.service
wait_until 5 eval 'gg_manager_prop Sources | grep -q kmsg'
