# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
# goguardctl's findings commands against the real goguardd: findings, explain, watch, ack,
# dismiss on a real OOM kill, their exit statuses, watch across a goguardd restart, and analyze
# on the box's own journal files.
source "$SRC_DIR/tests/integration/goguard-lib.sh"
require_go_services
gg_start

hog=${UNIT_PREFIX}hog.service
trap 'box_exec systemctl stop "$hog" >/dev/null 2>&1 || true
      box_sh "for p in /run/gg-watch.pid /run/gg-watcht.pid; do [ -s \$p ] && kill \$(cat \$p); done" >/dev/null 2>&1 || true' EXIT

# ctl NAME ARG...: goguardctl in the box; stdout in $BOX_DIR/NAME.out, stderr in NAME.err,
# status in $rc.
ctl() {
        local name=$1
        shift
        rc=0
        box_exec goguardctl "$@" >"$BOX_DIR/$name.out" 2>"$BOX_DIR/$name.err" || rc=$?
}
out() { cat "$BOX_DIR/$1.out"; }
err() { cat "$BOX_DIR/$1.err"; }

# watch, from before the kill to the end, as JSON Lines; its pid and exit status in /run.
box_sh 'goguardctl watch --json >/run/gg-watch.jsonl 2>/run/gg-watch.err & echo $! >/run/gg-watch.pid
        wait $!; echo $? >/run/gg-watch.rc' &
box_sh 'SYSTEMD_COLORS=0 goguardctl watch >/run/gg-watcht.out 2>&1 & echo $! >/run/gg-watcht.pid' &
wait_until 5 box_sh '[ -s /run/gg-watch.pid ] && [ -s /run/gg-watcht.pid ]'
sleep 0.5

box_exec systemd-run --quiet --unit="$hog" -p MemoryMax=40M -p MemorySwapMax=0 "$GO_SERVICES_DIR/memhog"
wait_until 20 eval 'box_exec goguardctl findings --json "$hog" | json_get - "len(d)" | grep -qx 3'

# findings --json: the oom-kill and (Restart=no) the restart gap, newest first, and the condition a
# check found before the unit ran (MemoryMax= without GOMEMLIMIT).
ctl list findings --json "$hog"
assert_eq 0 "$rc" "findings --json UNIT"
assert_json "$(out list)" 'sorted(f["class"] for f in d) == ["gomemlimit-vs-limit", "oom-kill", "oom-restart-gap"]' \
        "the three findings"
assert_json "$(out list)" 'all(f["unit"] == "'"$hog"'" and f["state"] == "open" and f["count"] == 1 for f in d)' \
        "open, counted once"
assert_json "$(out list)" '[f["last_seen"] for f in d] == sorted((f["last_seen"] for f in d), reverse=True)' \
        "newest first"
id=$(json_get "$(out list)" '[f["id"] for f in d if f["class"] == "oom-kill"][0]')
gap=$(json_get "$(out list)" '[f["id"] for f in d if f["class"] == "oom-restart-gap"][0]')
assert_match '[0-9a-f]{32}' "$id" "the oom-kill id"

# ... the same as text: a header and one row per finding.
ctl table findings "${hog%.service}"
assert_eq 0 "$rc" "findings UNIT (without .service)"
assert_match 'ID +UNIT +CLASS +SEVERITY +STATE +COUNT +LAST SEEN +SUMMARY' "$(out table | head -n1)" "the header"
assert_match "${id:0:12}  $hog  oom-kill +critical +open +1 +.* ago +$hog was killed by the kernel OOM killer.*" \
        "$(grep -F "${id:0:12}" "$BOX_DIR/table.out")" "the oom-kill row"

# Filters.
ctl cls findings --json --class=oom-kill "$hog"
assert_json "$(out cls)" 'len(d) == 1 and d[0]["id"] == "'"$id"'"' "--class"
ctl sev findings --json --severity=warning "$hog"
assert_json "$(out sev)" '[f["id"] for f in d] == ["'"$gap"'"]' "--severity"
ctl since findings --json --since=-1h "$hog"
assert_json "$(out since)" 'len(d) == 3' "--since=-1h"
ctl future findings --json --since=@4102444800 "$hog"
assert_json "$(out future)" 'd == []' "--since in the future"
ctl resolved findings --state=resolved "$hog"
assert_eq "0:No findings." "$rc:$(out resolved)" "--state=resolved: none yet"
ctl badsev findings --severity=bogus
assert_eq 2 "$rc" "an unknown severity is a usage error"
ctl badstate findings --state=bogus
assert_eq 2 "$rc" "an unknown state is a usage error"
ctl badsince findings --since=whenever
assert_eq 2 "$rc" "an unreadable --since is a usage error"
ctl badunit findings 'a/b'
assert_eq 2 "$rc" "an invalid unit name is a usage error"

# explain, by an 8-digit prefix.
ctl explain explain "${id:0:8}"
assert_eq 0 "$rc" "explain PREFIX"
assert_eq "$hog was killed by the kernel OOM killer at its memory limit: limit 40M, no GOMEMLIMIT" \
        "$(out explain | head -n1)" "the summary first"
for line in "  Finding:             $id" \
        "  Class:               oom-kill (was killed by the kernel OOM killer at its memory limit)" \
        "  Unit:                $hog" \
        "  Invocation:          $(box_unit_prop "$hog" InvocationID)" \
        "  comm:                memhog" \
        "  kernel_limit_kb:     40M" \
        "  MemoryMax:           40M" \
        "  GOMEMLIMIT:          (not set)" \
        "  go_version:          go1.19.8" \
        "  unit_settings_known: yes" \
        "    systemctl edit $hog   (or /etc/systemd/system/$hog.d/goguard-oom-kill.conf)" \
        "      Environment=GOMEMLIMIT=36MiB" \
        "  journalctl -x MESSAGE_ID=7f5a04130449b86595aa520b9a11e84d GOGUARD_FINDING_ID=$id"; do
        assert_status 0 grep -qxF -- "$line" "$BOX_DIR/explain.out"
done
# ... and the journalctl command it prints finds goguardd's entry, explained by the catalog.
assert_match '.*Subject: .* was killed by the kernel OOM killer at its memory limit.*' \
        "$(box_journal -x MESSAGE_ID=7f5a04130449b86595aa520b9a11e84d GOGUARD_FINDING_ID="$id" | tr '\n' ' ')" \
        "journalctl -x explains the finding's entry"
ctl explainj explain --json "$id"
assert_json "$(out explainj)" 'd["Id"] == "'"$id"'" and d["Class"] == "oom-kill" and d["Count"] == 1' "explain --json"
assert_json "$(out explainj)" 'd["Evidence"]["comm"] == "memhog" and d["Evidence"]["MemoryMax"] == 41943040' \
        "explain --json: evidence"
assert_json "$(out explainj)" 'd["Advice"][0]["kind"] == "dropin" and "GOMEMLIMIT=36MiB" in d["Advice"][0]["snippet"]' \
        "explain --json: advice with named members"
ctl nosuch explain 00000000
assert_eq 4 "$rc" "no finding starts with 00000000"
ctl nosuchfull explain 0123456789abcdef0123456789abcdef
assert_eq 4 "$rc" "no such finding"
ctl short explain 1234
assert_eq 2 "$rc" "a prefix of 4 digits is a usage error"

# Reads are open to every user.
assert_status 0 box_exec runuser -u nobody -- goguardctl findings --json "$hog"
assert_status 0 box_exec runuser -u nobody -- goguardctl explain "$id"

# ack: refused to nobody (polkit says no without an agent), allowed to root.
rc=0
box_exec runuser -u nobody -- goguardctl ack "$id" >"$BOX_DIR/ack-nobody.out" 2>"$BOX_DIR/ack-nobody.err" || rc=$?
assert_eq 1 "$rc" "ack as nobody fails"
assert_match '.*access denied.*' "$(err ack-nobody | head -n1)" "and says access denied"
ctl ack ack "${id:0:10}"
assert_eq "0:" "$rc:$(out ack)" "ack as root succeeds silently"
ctl acked findings --json "$hog"
assert_json "$(out acked)" '[f["state"] for f in d if f["id"] == "'"$id"'"] == ["acknowledged"]' "acknowledged"

# dismiss: resolved, and off the default list.
ctl dismiss dismiss --json "$id"
assert_eq 0 "$rc" "dismiss"
assert_json "$(out dismiss)" 'd == {"id": "'"$id"'", "state": "resolved"}' "dismiss --json"
ctl after findings --json "$hog"
assert_json "$(out after)" '[f["id"] for f in d if f["class"] != "gomemlimit-vs-limit"] == ["'"$gap"'"]' \
        "a dismissed finding is not listed by default"
ctl all findings --json --state=all "$hog"
assert_json "$(out all)" 'len(d) == 3' "--state=all lists it"
ctl ackres ack "$id"
assert_eq 1 "$rc" "acknowledging a resolved finding fails"

# watch saw it all, and keeps watching across a restart of goguardd.
box_exec systemctl restart goguardd.service
wait_until 5 box_exec systemctl is-active --quiet goguardd.service
ctl ackgap ack "$gap"
assert_eq 0 "$rc" "ack after the restart"
wait_until 5 box_sh 'grep -q "\"event\":\"updated\",\"id\":\"$1\"" /run/gg-watch.jsonl' "$gap"
box_sh 'kill -TERM "$(cat /run/gg-watch.pid)"'
wait_until 5 box_sh '[ -s /run/gg-watch.rc ]'
assert_eq 0 "$(box_exec cat /run/gg-watch.rc)" "watch exits 0 on SIGTERM"
events=$(box_exec cat /run/gg-watch.jsonl | grep -F -e "$id" -e "$gap" |
        python3 -c 'import json,sys; print(json.dumps([json.loads(l) for l in sys.stdin]))')
# In order, with the evidence updates of the kill in between.
assert_json "$events" '(lambda want, got: all(w in got for w in want) and
        [got.index(w) for w in want] == sorted(got.index(w) for w in want))(
        [("added", "'"$id"'", "open"), ("updated", "'"$id"'", "acknowledged"), ("resolved", "'"$id"'", "resolved"),
         ("updated", "'"$gap"'", "acknowledged")], [(e["event"], e["id"], e["state"]) for e in d])' \
        "watch: added, acknowledged, resolved, and an acknowledgement after the restart"
assert_json "$events" '[(e["class"], e["severity"]) for e in d if e["event"] == "added" and e["id"] == "'"$id"'"] == [("oom-kill", "critical")]' \
        "watch: the added event carries class and severity"
assert_json "$events" 'all(e["class"] == "oom-kill" and e["count"] == 1 for e in d if e["event"] == "updated" and e["id"] == "'"$id"'")' \
        "watch: updates carry the class (asked of goguardd) and the count"
assert_match '.*goguardd (stopped|restarted|started).*' "$(box_exec cat /run/gg-watch.err | tr '\n' ' ')" \
        "watch noted the restart on stderr"
box_sh 'kill -TERM "$(cat /run/gg-watcht.pid)"'
assert_match "[0-9-]{10} [0-9:]{8}  added     ${id:0:12}  $hog  oom-kill  critical  open  $hog was killed by the kernel OOM killer.*" \
        "$(box_exec grep -F "added     ${id:0:12}" /run/gg-watcht.out)" "watch as text: the added line"
assert_match "[0-9-]{10} [0-9:]{8}  resolved  ${id:0:12}  $hog  oom-kill  critical  resolved  $hog was killed by .*" \
        "$(box_exec grep -F "resolved  ${id:0:12}" /run/gg-watcht.out)" "watch as text: the resolved line"

# Not running and not startable: exit status 3.
box_exec systemctl stop goguardd.service
box_exec systemctl mask --runtime --quiet goguardd.service
ctl down findings
assert_eq 3 "$rc" "findings: goguardd masked"
ctl downw watch
assert_eq 3 "$rc" "watch: goguardd masked"
box_exec systemctl unmask --runtime --quiet goguardd.service
gg_start

# analyze, offline, on the box's own journal: the same oom-kill, with the settings unknown.
jdir=$(box_sh 'for d in /var/log/journal /run/log/journal; do [ -n "$(ls "$d" 2>/dev/null)" ] && { echo "$d"; break; }; done')
ctl analyze analyze --json --directory="$jdir"
assert_eq 0 "$rc" "analyze --directory=$jdir"
assert_json "$(out analyze)" '[f["id"] for f in d if f["unit"] == "'"$hog"'" and f["class"] == "oom-kill"] == ["'"$id"'"]' \
        "analyze finds the same oom-kill, with the same id"
assert_json "$(out analyze)" '[f["evidence"]["unit_settings_known"] for f in d if f["id"] == "'"$id"'"] == [False]' \
        "offline, the unit's settings are unknown"
