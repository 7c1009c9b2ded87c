# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
# A fleet in one box, as docs/fleet.md sets it up: Debian's systemd-journal-upload sends the box's
# journal over plain http to its packaged systemd-journal-remote (switched to http by two
# drop-ins), a real OOM kill of a Go service is found by goguardd, and `goguardctl analyze` over
# journal-remote's directory shows it with its HOST exactly once: computed from the kernel's and
# PID 1's records, merged with goguardd's own entry, plus what only goguardd could know (the
# unit's Restart=no) as goguardd logged it. Then the same directory with a second host's journal
# (the fleet-db fixture): per host, and --host=. Last, the production recipe: https with
# certificates on both sides.
source "$SRC_DIR/tests/integration/goguard-lib.sh"
remote_bin=/lib/systemd/systemd-journal-remote
[[ -x $remote_bin && -x /lib/systemd/systemd-journal-upload ]] ||
        skip "systemd-journal-remote is not installed (tools/install-deps)"
require_go_services
gg_start

hog=${UNIT_PREFIX}memhog.service
rdir=/var/log/journal/remote
fleet=/run/${UNIT_PREFIX}fleet
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cleanup() {
        box_exec systemctl stop "$hog" systemd-journal-upload.service systemd-journal-remote.socket \
                systemd-journal-remote.service >/dev/null 2>&1 || true
        box_exec rm -rf /etc/systemd/system/systemd-journal-remote.socket.d \
                /etc/systemd/system/systemd-journal-remote.service.d /etc/systemd/journal-upload.conf \
                /etc/systemd/system/systemd-journal-upload.service.d "$fleet" "/run/${UNIT_PREFIX}tls" \
                /etc/ssl/private/journal-remote.pem /etc/ssl/certs/journal-remote.pem /etc/ssl/ca \
                /etc/ssl/private/journal-upload.pem /etc/ssl/certs/journal-upload.pem >/dev/null 2>&1 || true
        box_exec gpasswd -d systemd-journal-remote ssl-cert >/dev/null 2>&1 || true
        box_exec systemctl daemon-reload >/dev/null 2>&1 || true
}
trap cleanup EXIT

# The receiver: the packaged units, plain http on 127.0.0.1 (the packaged service is https-only).
box_exec mkdir -p /etc/systemd/system/systemd-journal-remote.socket.d \
        /etc/systemd/system/systemd-journal-remote.service.d
box_sh 'printf "[Socket]\nListenStream=\nListenStream=127.0.0.1:%s\n" "$1" \
        >/etc/systemd/system/systemd-journal-remote.socket.d/http.conf' "$port"
box_sh 'printf "[Service]\nExecStart=\nExecStart=%s --listen-http=-3 --output=%s/\n" "$1" "$2" \
        >/etc/systemd/system/systemd-journal-remote.service.d/http.conf' "$remote_bin" "$rdir"
# The sender.
box_sh 'printf "[Upload]\nURL=http://127.0.0.1:%s\n" "$1" >/etc/systemd/journal-upload.conf' "$port"
box_exec systemctl daemon-reload

# A real OOM kill of a Go program, as in test-60 (Restart=no: goguardd adds oom-restart-gap).
box_exec systemd-run --quiet --unit="$hog" -p MemoryMax=40M -p MemorySwapMax=0 "$GO_SERVICES_DIR/memhog"
wait_until 20 eval '[ -n "$(gg_finding_of "$hog" oom-kill)" ]'
wait_until 10 eval '[ -n "$(gg_finding_of "$hog" oom-restart-gap)" ]'
# ... and the condition its settings are (MemoryMax= without GOMEMLIMIT), found when it was loaded.
# The check runs on goguardd's inspector thread behind the other units' checks: in a long run it
# may come late (not this test's subject). The receiver must have exactly what goguardd had.
wait_until 20 eval '[ -n "$(gg_finding_of "$hog" gomemlimit-vs-limit)" ]' ||
        echo "  (no gomemlimit-vs-limit finding for $hog after 20 s)"
sent=$(gg_call ListFindings 'a{sv}uu' 1 unit s "$hog" 0 0 | json_get - 'sorted(r[2] for r in d["data"][0])')
echo "  goguardd's findings of $hog: $sent"
id=$(gg_finding_of "$hog" oom-kill)
gap=$(gg_finding_of "$hog" oom-restart-gap)
assert_match '[0-9a-f]{32}' "$id" "one oom-kill finding for $hog"
assert_match '[0-9a-f]{32}' "$gap" "one oom-restart-gap finding for $hog"
key=$(gg_journal_entries "$hog" "$id" | json_get - 'd[0]["GOGUARD_OCCURRENCE_KEY"]')
assert_match '[0-9a-f]{32}/kpid/[0-9]+' "$key" "goguardd logs the kill's occurrence key"

# Upload: the whole journal from its start (no saved cursor yet), the kill's entries among it.
t0=$(date +%s%N)
box_exec systemctl start systemd-journal-remote.socket systemd-journal-upload.service
assert_eq active "$(box_unit_prop systemd-journal-remote.socket ActiveState)" "journal-remote listens"
wait_until 20 eval '[ -n "$(box_journal -D "$rdir" -q -o cat GOGUARD_FINDING_ID="$gap")" ]'
wait_until 10 eval '[ -n "$(box_journal -D "$rdir" -q -o cat UNIT="$hog" \
        MESSAGE_ID=d9b373ed55a64feb8242e02dbe79a49c)" ]'
echo "  goguardd's entries and PID 1's on the receiver $(( ($(date +%s%N) - t0) / 1000000 )) ms after the upload started"
files=$(box_exec ls "$rdir")
assert_eq "remote-127.0.0.1.journal" "$files" "journal-remote's file, named after the sender"
host=$(box_journal -D "$rdir" -q -n 1 -o json GOGUARD_FINDING_ID="$id" | json_get --lines - 'd[0]["_HOSTNAME"]')
assert_eq "$(box_exec cat /proc/sys/kernel/hostname)" "$host" "the sender's host name came along"

t0=$(date +%s%N)
out=$(box_exec goguardctl analyze --json --directory="$rdir")
echo "  goguardctl analyze over $rdir: $(( ($(date +%s%N) - t0) / 1000000 )) ms"
assert_json "$sent" '"oom-kill" in d and "oom-restart-gap" in d' "goguardd has the kill and the restart gap"
# The memhog's findings on the receiver are exactly goguardd's: computed from the records (the
# kill) or merged from goguardd's entries (the restart gap, the condition). The box's journal holds
# test-69's 4,000 logged findings and more: analyze keeps the newest within its caps.
got=$(json_get "$out" 'sorted(f["class"] for f in d if f["unit"] == "'"$hog"'")')
if [[ $got != "$sent" ]]; then
        # Where the difference arises: goguardd's entries of the unit in the box's journal and on the
        # receiver, and what analyze makes of the box's own journal.
        summary='print(*(" ".join([e.get("__REALTIME_TIMESTAMP", "?"), e.get("GOGUARD_CLASS", "?"),
                e.get("GOGUARD_FINDING_ID", "?"), e.get("__CURSOR", "?")[:60]]) for e in
                (json.loads(l) for l in sys.stdin if l.strip())), sep="\n")'
        echo "  the box's journal, GOGUARD_UNIT=$hog:"
        box_journal -q -o json GOGUARD_UNIT="$hog" | python3 -c "import json, sys; $summary" | sed 's/^/    /'
        echo "  the receiver's, GOGUARD_UNIT=$hog:"
        box_journal -D "$rdir" -q -o json GOGUARD_UNIT="$hog" | python3 -c "import json, sys; $summary" | sed 's/^/    /'
        echo "  analyze over the box's own journal: $(box_exec goguardctl analyze --json --directory=/var/log/journal |
                json_get - 'sorted(f["class"] for f in d if f["unit"] == "'"$hog"'")')"
        box_sh 'ls -l /var/log/journal/*/ "$1"' "$rdir" | sed 's/^/    /'
        box_sh 'cp "$1"/*.journal "$2"/' "$rdir" "$BUILD_DIR/meson-logs" &&
                echo "  the receiver's journal, copied to $BUILD_DIR/meson-logs"
fi
assert_eq "$sent" "$got" "the findings of $hog on the receiver are goguardd's"
assert_json "$out" 'all(f["evidence"]["reported_by"] == "goguardd" and f["count"] == 1 for f in d if f["unit"] == "'"$hog"'" and f["class"] == "gomemlimit-vs-limit")' \
        "a condition, as goguardd logged it, once"
assert_json "$out" '[(f["host"], f["count"]) for f in d if f["unit"] == "'"$hog"'" and f["class"] == "oom-kill"] == [("'"$host"'", 1)]' \
        "the kill once, with its host"
kill=$(json_get "$out" '[f for f in d if f["unit"] == "'"$hog"'" and f["class"] == "oom-kill"][0]')
assert_json "$kill" 'd["evidence"]["goguardd_finding_id"] == "'"$id"'" and "reported_by" not in d["evidence"]' \
        "computed from the records, goguardd's entry merged into it"
assert_json "$kill" 'd["id"] == "'"$id"'"' "the same id as goguardd's: the same first occurrence"
assert_json "$kill" 'd["evidence"]["comm"] == "memhog" and d["evidence"]["task_memcg"] == "/system.slice/'"$hog"'"' \
        "the kernel's record, read from the remote journal"
assert_json "$kill" 'd["evidence"]["UnitResult"] == "signal"' "PID 1's word, read from the remote journal"
assert_json "$out" '[(f["id"], f["host"], f["count"], f["evidence"]["reported_by"]) for f in d if f["unit"] == "'"$hog"'" and f["class"] == "oom-restart-gap"] == [("'"$gap"'", "'"$host"'", 1, "goguardd")]' \
        "Restart=no, which only goguardd knew, as it logged it"
assert_json "$out" 'all(f["host"] == "'"$host"'" for f in d)' "every finding is the box's"

text=$(box_exec goguardctl analyze --directory="$rdir")
assert_match '[0-9]+ findings? in [0-9]+ journal entries of 1 host\.' "$(head -n1 <<<"$text")" "the first line"
assert_eq "ID HOST UNIT CLASS SEVERITY STATE COUNT LAST SEEN SUMMARY" "$(sed -n 3p <<<"$text" | tr -s ' ')" \
        "the table has a HOST column"
assert_eq "${id:0:12} $host $hog oom-kill critical open 1" \
        "$(grep -E "^${id:0:12} " <<<"$text" | tr -s ' ' | cut -d' ' -f1-7)" "the kill's row"

# Two hosts: journal-remote's file and the fleet-db fixture's journal in one directory.
box_exec mkdir -p "$fleet"
box_exec cp "$rdir/remote-127.0.0.1.journal" "$fleet/"
box_sh '"$1" -o "$2/remote-db-1.journal" - <"$3" 2>/dev/null' "$remote_bin" "$fleet" \
        "$SRC_DIR/tests/fixtures/journal/fleet-db.export"
out=$(box_exec goguardctl analyze --json --directory="$fleet")
assert_json "$out" 'sorted(set(f["host"] for f in d)) == sorted(["db-1", "'"$host"'"])' "two hosts"
assert_json "$out" '[(f["unit"], f["class"], f["count"]) for f in d if f["host"] == "db-1"] == [("api.service", "oom-kill", 1)]' \
        "db-1's finding from its own entries"
assert_json "$out" '[(f["host"], f["count"]) for f in d if f["unit"] == "'"$hog"'" and f["class"] == "oom-kill"] == [("'"$host"'", 1)]' \
        "the box's kill, still once"
db=$(box_exec goguardctl analyze --json --directory="$fleet" --host=db-1)
assert_json "$db" '[(f["host"], f["unit"], f["class"]) for f in d] == [("db-1", "api.service", "oom-kill")]' \
        "--host=db-1: only db-1"
mine=$(box_exec goguardctl analyze --json --directory="$fleet" --host="$host")
assert_json "$mine" 'sorted(f["class"] for f in d if f["unit"] == "'"$hog"'") == '"$got"' and all(f["host"] == "'"$host"'" for f in d)' \
        "--host=$host: only the box"
assert_status 1 box_exec goguardctl analyze --directory="$fleet" --host=no-such-host

# The production recipe of docs/fleet.md: the packaged https-only journal-remote.service (no
# service drop-in), certificates signed by one CA on both sides at the compiled-in default paths,
# readable through group ssl-cert. The upload is sent again from the start (its state removed).
box_exec systemctl stop systemd-journal-upload.service systemd-journal-remote.service \
        systemd-journal-remote.socket
box_sh 'rm -f "$1"/* /var/lib/private/systemd/journal-upload/state' "$rdir"
box_exec rm -r /etc/systemd/system/systemd-journal-remote.service.d
tls=/run/${UNIT_PREFIX}tls
box_exec mkdir -p "$tls"
box_sh 'cd "$1" && openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=goguard-test-ca \
        -keyout ca.key -out ca.pem 2>/dev/null' "$tls"
for name in localhost "$host"; do
        box_sh 'cd "$1" && printf "subjectAltName=DNS:%s\n" "$2" >"$2.ext" &&
                openssl req -newkey rsa:2048 -nodes -subj "/CN=$2" -keyout "$2.key" -out "$2.csr" 2>/dev/null &&
                openssl x509 -req -in "$2.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 \
                        -extfile "$2.ext" -out "$2.pem" 2>/dev/null' "$tls" "$name"
done
box_sh 'cd "$1" &&
        install -D -m 0640 -g ssl-cert localhost.key /etc/ssl/private/journal-remote.pem &&
        install -D -m 0644 localhost.pem /etc/ssl/certs/journal-remote.pem &&
        install -D -m 0644 ca.pem /etc/ssl/ca/trusted.pem &&
        install -D -m 0640 -g ssl-cert "$2.key" /etc/ssl/private/journal-upload.pem &&
        install -D -m 0644 "$2.pem" /etc/ssl/certs/journal-upload.pem' "$tls" "$host"
box_exec usermod -a -G ssl-cert systemd-journal-remote
box_exec mkdir -p /etc/systemd/system/systemd-journal-upload.service.d
box_sh 'printf "[Service]\nSupplementaryGroups=ssl-cert\n" \
        >/etc/systemd/system/systemd-journal-upload.service.d/ssl-cert.conf'
box_sh 'printf "[Upload]\nURL=https://localhost:%s\n" "$1" >/etc/systemd/journal-upload.conf' "$port"
box_exec systemctl daemon-reload
t0=$(date +%s%N)
box_exec systemctl start systemd-journal-remote.socket systemd-journal-upload.service
wait_until 20 eval '[ -n "$(box_journal -D "$rdir" -q -o cat GOGUARD_FINDING_ID="$gap")" ]'
wait_until 10 eval '[ -n "$(box_journal -D "$rdir" -q -o cat UNIT="$hog" \
        MESSAGE_ID=d9b373ed55a64feb8242e02dbe79a49c)" ]'
echo "  over https: goguardd's entries and PID 1's on the receiver $(( ($(date +%s%N) - t0) / 1000000 )) ms after the upload started"
assert_match '.*--listen-https=-3 .*' "$(box_unit_prop systemd-journal-remote.service ExecStart)" \
        "the packaged journal-remote.service, https only"
assert_eq "remote-127.0.0.1.journal" "$(box_exec ls "$rdir")" "over https too, the file is named after the address"
out=$(box_exec goguardctl analyze --json --directory="$rdir")
assert_json "$out" '[(f["host"], f["count"], f["evidence"]["goguardd_finding_id"]) for f in d if f["unit"] == "'"$hog"'" and f["class"] == "oom-kill"] == [("'"$host"'", 1, "'"$id"'")]' \
        "over https: the kill once, with its host, goguardd's entry merged"
assert_json "$out" '[(f["id"], f["evidence"]["reported_by"]) for f in d if f["unit"] == "'"$hog"'" and f["class"] == "oom-restart-gap"] == [("'"$gap"'", "goguardd")]' \
        "over https: the oom-restart-gap as goguardd logged it"
