# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
# Names and output that are not UTF-8: a Go program exec'd under the name mem\377\376hog and OOM
# killed, another under heal\377\376thy printing a Go OOM line with bytes that are not UTF-8. Every
# call about them and about the other units works for root and nobody and shows the documented
# \xNN form; their findings read back the same after a restart (the state file).
source "$SRC_DIR/tests/integration/goguard-lib.sh"
require_go_services
gg_start

dir=/var/tmp/${UNIT_PREFIX}bin
hog=${UNIT_PREFIX}memhog.service
svc=${UNIT_PREFIX}healthy.service
other=${UNIT_PREFIX}plain.service
trap 'box_exec systemctl stop "$hog" "$svc" "$other" >/dev/null 2>&1 || true' EXIT

# The binaries under names with the bytes 0xff 0xfe; wrappers exec them by a glob (systemd keeps
# unit settings UTF-8, so the odd name appears only at exec).
box_sh 'set -e; mkdir -p "$1"; cp "$2/memhog" "$1/$(printf "mem\377\376hog")"
        cp "$2/healthy" "$1/$(printf "heal\377\376thy")"
        printf "#!/bin/sh\nexec %s/mem*hog \"\$@\"\n" "$1" >"$1/hog.sh"
        printf "#!/bin/sh\n(sleep 3; printf \"fatal error: runtime: out of memory \\\\377\\\\376\\\\000tail\\\\n\") &\nexec %s/heal*thy \"\$@\"\n" "$1" >"$1/healthy.sh"
        chmod 755 "$1/hog.sh" "$1/healthy.sh"' "$dir" "$GO_SERVICES_DIR"

box_exec systemd-run --quiet --unit="$other" -E HEALTHY_ADDR=127.0.0.1:0 "$GO_SERVICES_DIR/healthy"
box_exec systemd-run --quiet --unit="$svc" -E HEALTHY_ADDR=127.0.0.1:0 "$dir/healthy.sh"
box_exec systemd-run --quiet --unit="$hog" -p MemoryMax=40M -p MemorySwapMax=0 "$dir/hog.sh"
wait_until 5 gg_has_unit "$svc"
wait_until 5 gg_has_unit "$other"

# 1. The unit's properties, through every way of reading them, as root and as nobody.
exe="$dir/heal\\xff\\xfethy"
path=$(gg_unit_path "$svc")
wait_until 5 eval '[ "$(json_get "$(gg_unit_props "$svc")" "d[\"Executable\"]")" = "$exe" ]'
for who in root nobody; do
        run=(runuser -u "$who" --)
        objs=$(box_exec "${run[@]}" busctl --json=short call "$GG_DEST" "$GG_PATH" \
                org.freedesktop.DBus.ObjectManager GetManagedObjects)
        assert_json "$objs" 'd["data"][0]["'"$path"'"]["'"$GG_UNIT"'"]["Executable"]["data"] == r"'"$exe"'"' \
                "$who: GetManagedObjects shows the executable in the \\xNN form"
        other_path=$(gg_unit_path "$other")
        assert_json "$objs" 'd["data"][0]["'"$other_path"'"]["'"$GG_UNIT"'"]["Executable"]["data"] == "'"$GO_SERVICES_DIR/healthy"'"' \
                "$who: and the other units as they are"
        all=$(box_exec "${run[@]}" busctl --json=short call "$GG_DEST" "$path" org.freedesktop.DBus.Properties GetAll s "$GG_UNIT")
        assert_json "$all" 'd["data"][0]["Executable"]["data"] == r"'"$exe"'" and d["data"][0]["GoVersion"]["data"].startswith("go")' \
                "$who: GetAll"
        assert_status 0 box_exec "${run[@]}" busctl introspect "$GG_DEST" "$path"
        show=$(box_exec "${run[@]}" goguardctl show "$svc")
        assert_match ' *Executable: +'"$(sed 's/[][\\.*^$]/\\&/g' <<<"$exe")" "$(grep -F 'Executable:' <<<"$show")" \
                "$who: goguardctl show"
        status=$(box_exec "${run[@]}" goguardctl status --json)
        assert_json "$status" '"'"$svc"'" in json.dumps(d) and "'"$other"'" in json.dumps(d)' "$who: goguardctl status --json"
done

# 2. The OOM kill of mem\377\376hog: its comm is evidence; the finding reads for everyone.
wait_until 30 eval '[ -n "$(gg_finding_of "$hog" oom-kill)" ]'
oom=$(gg_finding_of "$hog" oom-kill)
assert_match '[0-9a-f]{32}' "$oom" "one oom-kill finding for $hog"
wait_until 5 eval 'json_get "$(gg_finding "$oom")" "d[\"Evidence\"].get(\"comm\", \"\")" | grep -q hog'
assert_json "$(gg_finding "$oom")" 'd["Evidence"]["comm"] == r"mem\xff\xfehog"' "comm in the \\xNN form"

# 3. The output line with bytes that are not UTF-8 (journald ends the line at the NUL): the finding
#    keeps the runtime's message, not the rest of the line, and reads for everyone.
wait_until 15 eval '[ -n "$(gg_finding_of "$svc" go-runtime-oom)" ]'
line=$(gg_finding_of "$svc" go-runtime-oom)
assert_json "$(gg_finding "$line")" 'd["Evidence"]["go_message"] == "fatal error: runtime: out of memory"' \
        "the runtime's message, without the line's other bytes"

for id in "$oom" "$line"; do
        for who in root nobody; do
                assert_status 0 box_exec runuser -u "$who" -- busctl call "$GG_DEST" "$GG_PATH" "$GG_MANAGER" GetFinding s "$id"
                assert_status 0 box_exec runuser -u "$who" -- goguardctl explain "$id"
                assert_status 0 box_exec runuser -u "$who" -- goguardctl findings --json
        done
done
assert_match '.*mem\\xff\\xfehog.*' "$(box_exec goguardctl explain "$oom" | grep -F comm)" "goguardctl explain shows the comm"
dump=$(box_exec busctl --json=short call "$GG_DEST" "$GG_PATH" "$GG_MANAGER" DumpFindings)
assert_status 0 test -n "$dump"

# 4. The state file round trip: the same findings after a restart.
before_oom=$(gg_finding "$oom")
before_line=$(gg_finding "$line")
box_exec systemctl restart goguardd.service
wait_until 5 eval 'gg_finding "$oom" >/dev/null'
assert_eq "$before_oom" "$(gg_finding "$oom")" "the OOM finding survives a restart unchanged"
assert_eq "$before_line" "$(gg_finding "$line")" "the output-line finding too"
assert_status 0 box_sh 'grep -qF "evidence s comm mem\\\\xff\\\\xfehog" /var/lib/goguard/findings.state'
assert_status 1 box_sh 'journalctl -q -u goguardd.service _SYSTEMD_INVOCATION_ID="$1" -o cat | grep -q "rebuilding the findings"' \
        "$(box_unit_prop goguardd.service InvocationID)"
