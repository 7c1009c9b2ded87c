# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
# What this host cannot produce - PID 1's cgroup v2 OOM report and systemd-oomd kills - reaches
# goguardd through its own journal path: recorded entries (the strings of
# ../shared/fixtures/oom/systemd-v2.txt) become a real journal file via systemd-journal-remote,
# placed in the box's runtime journal directory, where goguardd's sd-journal finds it.
source "$SRC_DIR/tests/integration/goguard-lib.sh"
gg_start

v2=${UNIT_PREFIX}v2.service
oomd=${UNIT_PREFIX}oomd.service
boot=$(box_exec cat /proc/sys/kernel/random/boot_id | tr -d -)
machine=$(box_exec cat /etc/machine-id)
now=$(box_exec date +%s%6N)
mono=$(box_exec awk '{ printf "%.0f", $1 * 1000000 }' /proc/uptime)
inv1=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
inv2=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')

# entry OFFSET_MS FIELD=VALUE...: one export-format entry, OFFSET_MS after now.
entry() {
        local off=$1
        shift
        printf '__REALTIME_TIMESTAMP=%s\n__MONOTONIC_TIMESTAMP=%s\n_BOOT_ID=%s\n_MACHINE_ID=%s\n_PID=1\n' \
                $((now + off * 1000)) $((mono + off * 1000)) "$boot" "$machine"
        printf '%s\n' "$@" _HOSTNAME=goguard-box SYSLOG_IDENTIFIER=systemd _TRANSPORT=journal
        printf '\n'
}
{
        entry 100 "MESSAGE_ID=39f53479d3a045ac8e11786248231fbf" "MESSAGE=Started $v2." "UNIT=$v2" "INVOCATION_ID=$inv1"
        entry 200 "MESSAGE_ID=fe6faa94e7774663a0da52717891d8ef" \
                "MESSAGE=$v2: A process of this unit has been killed by the OOM killer." "UNIT=$v2" "INVOCATION_ID=$inv1"
        entry 210 "MESSAGE_ID=98e322203f7a4ed290d09fe03c09fe15" \
                "MESSAGE=$v2: Main process exited, code=killed, status=9/KILL" "UNIT=$v2" "INVOCATION_ID=$inv1" \
                EXIT_CODE=killed EXIT_STATUS=9
        entry 220 "MESSAGE_ID=d9b373ed55a64feb8242e02dbe79a49c" "MESSAGE=$v2: Failed with result 'oom-kill'." \
                "UNIT=$v2" "INVOCATION_ID=$inv1" UNIT_RESULT=oom-kill
        entry 300 "MESSAGE_ID=39f53479d3a045ac8e11786248231fbf" "MESSAGE=Started $oomd." "UNIT=$oomd" "INVOCATION_ID=$inv2"
        entry 400 "MESSAGE_ID=d989611b15e44c9dbf31e3c81256e4ed" \
                "MESSAGE=$oomd: systemd-oomd killed 3 process(es) in this unit." "UNIT=$oomd" "INVOCATION_ID=$inv2" \
                N_PROCESSES=3
} >"$BOX_DIR/fixture.export"

# Into the directory journald writes to (and goguardd watches), named as a system journal file
# so that SD_JOURNAL_SYSTEM readers take it.
dir=/var/log/journal/$machine
box_exec test -d "$dir" || dir=/run/log/journal/$machine
# Removed afterwards: its entries, older than what later tests write, would stay in their way.
trap 'box_exec rm -f "$dir/system@goguard-fixture.journal"' EXIT
box_exec /lib/systemd/systemd-journal-remote -o "$dir/system@goguard-fixture.journal" - <"$BOX_DIR/fixture.export"

find_id() {
        gg_call ListFindings 'a{sv}uu' 2 unit s "$1" class s "$2" 0 0 | json_get - '",".join(r[0] for r in d["data"][0])'
}
wait_until 10 eval '[ -n "$(find_id "$v2" oom-kill)" ] && [ -n "$(find_id "$oomd" oomd-kill)" ]'
id=$(find_id "$v2" oom-kill)
assert_match '[0-9a-f]{32}' "$id" "cgroup v2: PID 1's OOM report is a finding"
f=$(box_exec busctl --json=short call "$GG_DEST" "$GG_PATH" "$GG_MANAGER" GetFinding s "$id" |
        json_get - '{k: ({e: x["data"] for e, x in v["data"].items()} if k == "Evidence" else v["data"]) for k, v in d["data"][0].items()}')
assert_json "$f" 'd["Count"] == 1 and d["InvocationID"] == "'"$inv1"'"' "one occurrence, of that invocation"
assert_json "$f" 'd["Evidence"]["systemd_reported_oom"] and d["Evidence"]["UnitResult"] == "oom-kill"' \
        "with systemd's own account: Result=oom-kill"
assert_json "$f" 'd["Evidence"]["unit_settings_known"] == False' "and says the unit's settings are unknown"
id2=$(find_id "$oomd" oomd-kill)
assert_match '[0-9a-f]{32}' "$id2" "systemd-oomd's kill is a finding"
assert_json "$(box_exec busctl --json=short call "$GG_DEST" "$GG_PATH" "$GG_MANAGER" GetFinding s "$id2")" \
        '"systemd-oomd killed 3 process(es)" in d["data"][0]["Evidence"]["data"]["systemd_message"]["data"]' \
        "with PID 1's message"
