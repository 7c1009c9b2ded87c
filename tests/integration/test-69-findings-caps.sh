# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
# More findings than the caps hold: the occurrences refused for want of room are counted as
# refused (FindingsRefused, goguardctl status), not as unreadable journal entries, and no open
# finding is dropped for them. 4,200 units' OOM reports (cgroup v2: PID 1's own record) reach
# goguardd through its journal path as a real journal file, as in test-64.
source "$SRC_DIR/tests/integration/goguard-lib.sh"
gg_start

n=4200
boot=$(box_exec cat /proc/sys/kernel/random/boot_id | tr -d -)
machine=$(box_exec cat /etc/machine-id)
now=$(box_exec date +%s%6N)
mono=$(box_exec awk '{ printf "%.0f", $1 * 1000000 }' /proc/uptime)
dir=/var/log/journal/$machine
box_exec test -d "$dir" || dir=/run/log/journal/$machine
state=/var/lib/goguard

# Put goguardd back as it was: its store full of these findings would refuse later tests' ones.
cleanup() {
        box_exec rm -f "$dir/system@goguard-caps.journal"
        box_exec systemctl stop goguardd.service
        box_exec rm -f "$state/findings.state" "$state/journal.cursor"
        gg_start
}
trap cleanup EXIT

active() {
        local total=0 s
        for s in open acknowledged; do
                total=$((total + $(gg_call ListFindings 'a{sv}uu' 1 state s "$s" 0 0 | json_get - 'd["data"][1]')))
        done
        echo "$total"
}
active_before=$(active)
skipped_before=$(gg_manager_prop JournalEntriesSkipped)
refused_before=$(gg_manager_prop FindingsRefused)

/usr/bin/python3 - "$n" "$UNIT_PREFIX" "$boot" "$machine" "$now" "$mono" >"$BOX_DIR/caps.export" <<'PY'
import sys
n, prefix, boot, machine, now, mono = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]), int(sys.argv[6])
out = sys.stdout
t = 100_000
for i in range(n):
    unit = f"{prefix}u{i}.service"
    inv = f"{i + 1:032x}"
    for msgid, msg, extra in (
        ("39f53479d3a045ac8e11786248231fbf", f"Started {unit}.", []),
        ("fe6faa94e7774663a0da52717891d8ef", f"{unit}: A process of this unit has been killed by the OOM killer.", []),
        ("98e322203f7a4ed290d09fe03c09fe15", f"{unit}: Main process exited, code=killed, status=9/KILL",
         ["EXIT_CODE=killed", "EXIT_STATUS=9"]),
    ):
        t += 100
        fields = [f"__REALTIME_TIMESTAMP={now + t}", f"__MONOTONIC_TIMESTAMP={mono + t}", f"_BOOT_ID={boot}",
                  f"_MACHINE_ID={machine}", "_PID=1", f"MESSAGE_ID={msgid}", f"MESSAGE={msg}", f"UNIT={unit}",
                  f"INVOCATION_ID={inv}", *extra, "_HOSTNAME=goguard-box", "SYSLOG_IDENTIFIER=systemd",
                  "_TRANSPORT=journal"]
        out.write("\n".join(fields) + "\n\n")
PY
box_exec /lib/systemd/systemd-journal-remote -o "$dir/system@goguard-caps.journal" - <"$BOX_DIR/caps.export"

# Every unit's report is read: the last one's unit is either a finding or refused.
expected=$((active_before + n - 4096))
wait_until 30 eval '[ "$(gg_manager_prop FindingsRefused)" -ge $((refused_before + expected)) ]' || true
assert_eq "$((refused_before + expected))" "$(gg_manager_prop FindingsRefused)" \
        "each report beyond the 4096 findings is counted as refused"
assert_eq "$skipped_before" "$(gg_manager_prop JournalEntriesSkipped)" "none counts as an unreadable entry"
assert_eq 4096 "$(active)" "the store holds 4096 open findings, none dropped for the refused"
assert_match 'Refused: '"$((refused_before + expected))"' occurrences, the findings caps being full of open findings' \
        "$(box_exec goguardctl status | grep Refused: | sed 's/^ *//')" \
        "goguardctl status says so"
assert_json "$(box_exec goguardctl status --json)" 'd["findings_refused"] == '"$((refused_before + expected))" \
        "and so does its JSON"
