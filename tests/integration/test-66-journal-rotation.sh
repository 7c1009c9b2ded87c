# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
# The journal is rotated and vacuumed under goguardd: while it reads a Go unit's flood of output
# it keeps reading (JournalEntriesRead grows by at least the lines written after the vacuum),
# finds a real OOM kill that happens afterwards through the journal, and does not count an
# earlier kill again. Restarted with a saved cursor whose file was vacuumed away, it starts,
# continues with the first entry after the cursor (not the second), and still finds kills.
source "$SRC_DIR/tests/integration/goguard-lib.sh"
require_go_services
gg_start

early=${UNIT_PREFIX}early.service
chatty=${UNIT_PREFIX}chatty.service
late=${UNIT_PREFIX}late.service
after=${UNIT_PREFIX}after.service
v1=${UNIT_PREFIX}v1.service
v2=${UNIT_PREFIX}v2.service
machine=$(box_exec cat /etc/machine-id)
# Persistent if journald found /var/log/journal (the box mounts a tmpfs there), else volatile.
dir=/var/log/journal/$machine
box_exec test -d "$dir" || dir=/run/log/journal/$machine
fixture=$dir/system@${UNIT_PREFIX}fixture.journal
trap 'box_exec systemctl stop "$early" "$chatty" "$late" "$after" >/dev/null 2>&1 || true; box_exec rm -f "$fixture"' EXIT
echo "  the box's journal is in $dir"

# has_finding UNIT CLASS: succeeds once there is one.
has_finding() {
        [[ $(gg_finding_of "$1" "$2") =~ ^[0-9a-f]{32}$ ]]
}
count_of() {
        json_get "$(gg_finding "$1")" 'd["Count"]'
}
# archived: the number of files journald archived (and would vacuum) in the journal directory.
archived() {
        box_sh 'ls "$1" | grep -cE "@[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{16}\.journal$" || true' "$dir"
}
# files: the number of journal files there; --vacuum-files= counts them all.
files() {
        box_sh 'ls "$1" | grep -c "\.journal$" || true' "$dir"
}
read_entries() {
        gg_manager_prop JournalEntriesRead
}
# oom UNIT: a Go program killed by the kernel at MemoryMax=40M; waits for its finding.
oom() {
        box_exec systemd-run --quiet --unit="$1" -p MemoryMax=40M -p MemorySwapMax=0 "$GO_SERVICES_DIR/memhog"
        wait_until 20 has_finding "$1" oom-kill
}

# 1. A kill before any rotation: one finding, counted once.
oom "$early"
early_id=$(gg_finding_of "$early" oom-kill)
assert_match '[0-9a-f]{32}' "$early_id" "the early kill is a finding"
assert_eq 1 "$(count_of "$early_id")" "counted once"
assert_match '[1-9][0-9]*' "$(read_entries)" "JournalEntriesRead counts the entries read so far"
assert_eq 0 "$(gg_manager_prop JournalEntriesSkipped)" "none skipped"

# 2. A Go unit floods the journal (1000 lines/s for 12 s: long enough that, however slow the
#    machine, well over 1000 lines come after the vacuum) while the journal is rotated twice and
#    the older archived file, the one with the early kill and goguardd's position before the
#    rotations, is vacuumed.
box_exec systemd-run --quiet --unit="$chatty" "$GO_SERVICES_DIR/chatty" -rate 1000 -seconds 12
wait_until 5 gg_has_unit "$chatty"
sleep 1
before=$(archived)
box_exec journalctl --rotate
sleep 0.5
box_exec journalctl --rotate
assert_eq $((before + 2)) "$(archived)" "two rotations archived two files"
box_exec journalctl --vacuum-files=$(($(files) - 1)) 2>&1 | sed 's/^/  | /'
assert_eq $((before + 1)) "$(archived)" "the vacuum deleted the older one"
n_vacuum=$(read_entries)
since=$(box_exec date +%s.%N)
# The flood goes on; once it is over, every line written after the vacuum was read.
wait_until 25 eval 'box_journal -q -u "$chatty" -o cat -g "^chatty: wrote" | grep -q .'
lines=$(box_journal -q _SYSTEMD_UNIT="$chatty" _TRANSPORT=stdout --since "@$since" -o cat | grep -c '^request ' || true)
echo "  $lines lines of $chatty after the vacuum; JournalEntriesRead was $n_vacuum"
assert_status 0 test "$lines" -ge 1000
wait_until 10 eval '[ $(($(read_entries) - n_vacuum)) -ge "$lines" ]' || true
grown=$(($(read_entries) - n_vacuum))
echo "  JournalEntriesRead grew by $grown since the vacuum"
assert_status 0 test "$grown" -ge "$lines"
assert_eq 0 "$(gg_manager_prop JournalEntriesSkipped)" "no entry skipped across the rotations"
box_exec systemctl stop "$chatty"

# 3. A kill after the rotation and vacuum is found, through the journal: PID 1's "Failed with
#    result" and the kernel line's cursor are evidence only the journal gives (the kernel's own
#    lines may come from /dev/kmsg as well).
oom "$late"
late_id=$(gg_finding_of "$late" oom-kill)
assert_match '[0-9a-f]{32}' "$late_id" "the kill after the rotation is a finding"
f=$(gg_finding "$late_id")
assert_json "$f" 'd["Count"] == 1 and d["Evidence"]["comm"] == "memhog"' "counted once, the kernel's record"
wait_until 5 eval 'json_get "$(gg_finding "$late_id")" "d[\"Evidence\"].get(\"UnitResult\", \"\")" | grep -qx signal' || true
f=$(gg_finding "$late_id")
assert_json "$f" 'd["Evidence"].get("UnitResult") == "signal" and d["Evidence"].get("journal_cursor", "").startswith("s=")' \
        "with PID 1's account and a journal cursor"
assert_eq 1 "$(count_of "$early_id")" "the early kill is still counted once"
box_exec goguardctl status | sed 's/^/  | /'
assert_json "$(box_exec goguardctl status --json)" \
        'd["journal_entries_read"] >= '"$n_vacuum"' and d["journal_entries_skipped"] == 0' \
        "goguardctl status --json shows the counters"

# 4. A restart whose saved cursor points into a vacuumed file. No Go unit of this run may stay
#    loaded: a new Go unit makes goguardd re-read the last 10 s, which would hide a skipped entry.
box_exec systemctl reset-failed "gg-$BOX_RUN_ID-*"
box_exec systemctl stop goguardd.service
cursor=$(box_exec cat /var/lib/goguard/journal.cursor)
assert_match 's=[0-9a-f]{32};i=[0-9a-f]+;b=[0-9a-f]{32};m=[0-9a-f]+;t=[0-9a-f]+;x=[0-9a-f]+' "$cursor" \
        "goguardd saved its cursor"
box_exec journalctl --rotate
sleep 1.2
box_exec journalctl --vacuum-time=1s 2>&1 | sed 's/^/  | /'
assert_eq 0 "$(archived)" "every archived file is gone"
first=$(box_sh 'journalctl -q --system --cursor="$1" -o json | head -n1' "$cursor" | json_get - 'd["__CURSOR"]')
assert_ne "$cursor" "$first" "the entry of the saved cursor is gone"

# The first two entries after the cursor: PID 1's cgroup v2 OOM reports of two units (what this
# host cannot produce; a journal file made by systemd-journal-remote, as in test-64), a
# microsecond after the cursor's entry, so before anything in the journal that remains.
boot=${cursor#*;b=} boot=${boot%%;*}
mono=${cursor#*;m=} mono=$((16#${mono%%;*}))
real=${cursor#*;t=} real=$((16#${real%%;*}))
entry() {
        printf '__REALTIME_TIMESTAMP=%s\n__MONOTONIC_TIMESTAMP=%s\n_BOOT_ID=%s\n_MACHINE_ID=%s\n_PID=1\n' \
                $((real + $1)) $((mono + $1)) "$boot" "$machine"
        printf '%s\n' "MESSAGE_ID=fe6faa94e7774663a0da52717891d8ef" \
                "MESSAGE=$2: A process of this unit has been killed by the OOM killer." "UNIT=$2" \
                "INVOCATION_ID=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')" \
                _HOSTNAME=goguard-box SYSLOG_IDENTIFIER=systemd _TRANSPORT=journal
        printf '\n'
}
{
        entry 1 "$v1"
        entry 2 "$v2"
} >"$BOX_DIR/rotation.export"
box_exec /lib/systemd/systemd-journal-remote -o "$fixture" - <"$BOX_DIR/rotation.export"
# Otherwise a skipped first entry could go unnoticed: stepping back would find an earlier one.
assert_eq "$v1" "$(box_sh 'journalctl -q --system -o json | head -n1' | json_get - 'd.get("UNIT", "")')" \
        "nothing left in the journal precedes the first entry after the cursor"

gg_start
inv=$(box_unit_prop goguardd.service InvocationID)
assert_match '(Continuing the journal after the saved cursor\.|Failed to seek to the saved journal cursor.*)' \
        "$(box_journal -q _SYSTEMD_INVOCATION_ID="$inv" -o cat -g 'saved journal cursor|saved cursor' | tail -n1)" \
        "goguardd says where it continues"
assert_eq 0 "$(gg_manager_prop GoUnits)" "no Go unit is loaded"
wait_until 10 has_finding "$v2" oom-kill
assert_match '[0-9a-f]{32}' "$(gg_finding_of "$v2" oom-kill)" "the second entry after the cursor was read"
assert_match '[0-9a-f]{32}' "$(gg_finding_of "$v1" oom-kill)" "and the first, which nothing precedes, too"
assert_match '[1-9][0-9]*' "$(read_entries)" "JournalEntriesRead counts again from the restart"
assert_eq 0 "$(gg_manager_prop JournalEntriesSkipped)" "none skipped"

# ... and goguardd still works: a new kill is found, and no earlier one is counted again.
oom "$after"
after_id=$(gg_finding_of "$after" oom-kill)
assert_match '[0-9a-f]{32}' "$after_id" "a kill after the restart is a finding"
assert_eq 1 "$(count_of "$after_id")" "counted once"
assert_eq 1 "$(count_of "$early_id")" "the early kill is still counted once"
assert_eq 1 "$(count_of "$late_id")" "the kill after the rotation is still counted once"
assert_eq active "$(box_unit_prop goguardd.service ActiveState)" "goguardd runs"
