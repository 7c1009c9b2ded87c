# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
# TemporaryFileSystem= in the unit's view, with real units: the zone database it hides is missing
# for the unit before it starts (the program then says so itself), and is there again once a
# BindReadOnlyPaths= drop-in puts it back (resolved by the configuration); the unit's own program
# under it cannot be executed (found before start, confirmed by status=203/EXEC).
source "$SRC_DIR/tests/integration/goguard-lib.sh"
require_go_services
gg_start

tz=${UNIT_PREFIX}tz.service
exe=${UNIT_PREFIX}exe.service
dir=$BUILD_DIR/${UNIT_PREFIX}tmpfs
units=("$tz" "$exe")
cleanup() {
        box_exec systemctl stop "${units[@]}" >/dev/null 2>&1 || true
        for u in "${units[@]}"; do
                box_exec rm -rf "/run/systemd/system/$u" "/run/systemd/system/$u.d" \
                        "/run/systemd/system/multi-user.target.wants/$u"
        done
        box_exec systemctl daemon-reload || true
        rm -rf "$dir"
}
trap cleanup EXIT
box_exec test -f /usr/share/zoneinfo/Europe/Berlin || skip "no zone database in the box"
mkdir -p "$dir"
install -m 0755 "$GO_SERVICES_DIR/healthy" "$dir/healthy"

# finding UNIT CLASS: waits for the unit's one open finding of the class and prints its id.
finding() {
        local tmpfs_unit=$1 tmpfs_class=$2
        wait_until 30 eval '[ -n "$(gg_finding_of "$tmpfs_unit" "$tmpfs_class")" ]' || return 1
        gg_finding_of "$1" "$2"
}

box_sh 'printf "%s\n" "[Service]" "ExecStart=$2 -mode=tz -zone=Europe/Berlin -stay" "Environment=TZ=Europe/Berlin" \
        "TemporaryFileSystem=/usr/share:ro" >"/run/systemd/system/$1"' "$tz" "$GO_SERVICES_DIR/envprobe"
box_sh 'printf "%s\n" "[Service]" "ExecStart=$2/healthy -addr=127.0.0.1:0" "TemporaryFileSystem=$2" "Restart=no" \
        >"/run/systemd/system/$1"' "$exe" "$dir"
# Loaded (wanted by multi-user.target, add-wants reloads), not started.
box_exec systemctl add-wants multi-user.target "${units[@]}" >/dev/null 2>&1

# 1. Before either started.
id_tz=$(finding "$tz" timezone-missing)
id_exe=$(finding "$exe" exec-failed)
for u in "${units[@]}"; do
        assert_eq 0 "$(box_unit_prop "$u" ExecMainStartTimestampMonotonic)" "$u never ran"
done
f=$(gg_finding "$id_tz")
assert_json "$f" 'd["Summary"] == "'"$tz"' cannot find time zone data: Europe/Berlin not in /"' "tz: the summary"
assert_json "$f" 'd["Evidence"]["unit_temporary_filesystem"] == "/usr/share:ro" and d["Evidence"]["zone"] == "Europe/Berlin" and d["Evidence"]["checked_at"] > 0' \
        "tz: the TemporaryFileSystem= that hides the zone database"
assert_json "$f" 'd["Advice"] == [["dropin", "The unit'"'"'s TemporaryFileSystem=/usr/share:ro hides the zone database (/usr/share/zoneinfo/) from it, so zone Europe/Berlin cannot be loaded. With TZ naming a zone it cannot load, a Go program silently runs in UTC. Bind it back in:", "[Service]\nBindReadOnlyPaths=/usr/share/zoneinfo\n"]]' \
        "tz: advice a drop-in that binds it back"
f=$(gg_finding "$id_exe")
assert_json "$f" 'd["Summary"] == "'"$exe"' could not be executed: '"$dir"'/healthy is under TemporaryFileSystem='"$dir"'"' \
        "exe: the summary"
assert_json "$f" 'd["Evidence"]["loader_exec_cause"] == "TemporaryFileSystem" and d["Evidence"]["loader_temporary_filesystem"] == "'"$dir"'"' \
        "exe: the cause"
assert_json "$f" 'd["Advice"][0] == ["dropin", "The unit'"'"'s TemporaryFileSystem='"$dir"' mounts an empty file system over its own program: systemd finds no file to execute (\"No such file or directory\", status=203/EXEC). Bind the program'"'"'s directory back in:", "[Service]\nBindReadOnlyPaths='"$dir"'\n"]' \
        "exe: advice a drop-in that binds it back"

# 2. Started: the program says it cannot load the zone; the exec fails as found.
box_exec systemctl start "$tz"
box_exec systemctl start "$exe" >/dev/null 2>&1 || true
wait_until 30 eval '[ "$(json_get "$(gg_finding "$id_tz")" "d[\"Evidence\"].get(\"go_message\", \"\")")" = "unknown time zone Europe/Berlin" ]'
wait_until 30 eval '[ "$(gg_finding "$id_exe" | json_get - "d[\"Count\"]")" = 2 ]'
assert_match '.*: Main process exited, code=exited, status=203/EXEC' \
        "$(json_get "$(gg_finding "$id_exe")" 'd["Evidence"]["loader_confirmed_by"]')" "exe: confirmed by PID 1's 203/EXEC"
assert_eq "$id_tz" "$(gg_finding_of "$tz" timezone-missing)" "tz: still the one finding"

# 3. Bound back in: both resolve by the configuration, before they run again.
box_exec systemctl stop "$tz"
for u in "${units[@]}"; do
        box_exec mkdir -p "/run/systemd/system/$u.d"
done
box_sh 'printf "[Service]\nBindReadOnlyPaths=/usr/share/zoneinfo\n" >"/run/systemd/system/$1.d/bind.conf"' "$tz"
box_sh 'printf "[Service]\nBindReadOnlyPaths=%s\n" "$2" >"/run/systemd/system/$1.d/bind.conf"' "$exe" "$dir"
box_exec systemctl daemon-reload
for id in "$id_tz" "$id_exe"; do
        wait_until 30 eval '[ "$(json_get "$(gg_finding "'"$id"'")" "d[\"State\"]")" = resolved ]'
        assert_json "$(gg_finding "$id")" 'd["Evidence"]["resolved_by"] == "configuration-fixed"' "resolved: bound back in"
done
