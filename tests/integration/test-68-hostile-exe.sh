# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
# Hostile executables replace a running Go unit's binary (and are a failing unit's ExecStart=):
# sparse segments of 256 MiB, 48 GiB and 512 GiB, a FIFO, a truncated and a garbage ELF.
# goguardd stays up (same PID, no restart) with bounded memory, InspectUnitExecutable gives a
# named error or a clear answer from the inspector thread while another client's ListGoUnits
# calls are each answered within 100 ms, and a file that failed is not read again.
source "$SRC_DIR/tests/integration/goguard-lib.sh"
require_go_services
box_exec /usr/bin/python3 -c 'import dbus' 2>/dev/null || skip "python3-dbus is not installed"
gg_start

helper=$SRC_DIR/tests/integration/hostile-exe.py
# On the build directory's file system (ext4 here), not the box's tmpfs: reading a hole there
# fills the page cache, so an inspection takes as long as the old code took per byte.
dir=$BUILD_DIR/${UNIT_PREFIX}hostile
unit=${UNIT_PREFIX}svc.service
failing=${UNIT_PREFIX}failing.service
wrapped=${UNIT_PREFIX}wrapped.service
trap 'box_exec systemctl stop "$unit" "$failing" "$wrapped" >/dev/null 2>&1 || true; rm -rf "$dir"' EXIT
rm -rf "$dir"
mkdir -p "$dir"

cp "$GO_SERVICES_DIR/healthy" "$dir/svc"
box_exec systemd-run --quiet --unit="$unit" -E HEALTHY_ADDR=127.0.0.1:0 "$dir/svc"
wait_until 5 gg_has_unit "$unit"
assert_status 0 gg_has_unit "$unit"
# Past goguardd's looks at a new main process (50 ms, 250 ms, 1 s after it starts): from then on
# the unit's executable stays the ExecStart= path, whatever is put there.
sleep 1.5
pid=$(box_unit_prop goguardd.service MainPID)
restarts=$(box_unit_prop goguardd.service NRestarts)
# What goguardd's memory peaked at so far: the hostile files must not add much to it.
hwm() {
        box_sh 'sed -n "s/^VmHWM:[[:space:]]*\([0-9]*\) kB$/\1/p" /proc/$1/status' "$pid"
}
hwm0=$(hwm)

for kind in sparse256m sparse48g sparse512g plain512g truncated garbage; do
        box_exec /usr/bin/python3 "$helper" make "$kind" "$dir/$kind"
done
mkfifo "$dir/fifo"

# probe FILE: FILE replaces the unit's binary (the running process keeps the old one), then
# InspectUnitExecutable runs while ListGoUnits is called 30 times from another client; the
# probe's JSON goes to $dir/probe-FILE.json.
probe() {
        mv -f "$dir/$1" "$dir/svc"
        box_exec /usr/bin/python3 "$helper" probe "$unit" 30 >"$dir/probe-$1.json"
        cat "$dir/probe-$1.json" >&2
}
budget="The executable of $unit cannot be inspected: could not determine: read budget of 128 MiB exhausted."
corrupt="The executable of $unit cannot be inspected: corrupt ELF headers."
unavailable=org.goguard.goguard1.Error.ExecutableUnavailable

for f in sparse256m sparse48g sparse512g plain512g truncated garbage fifo; do
        case $f in
        sparse*) want="d.get('error') == '$unavailable' and d['message'] == '$budget'" ;;
        plain512g) want="d['doc'] == {'go': False, 'error': None, 'not_go_reason': 'no Go build information header'}" ;;
        truncated | garbage) want="d.get('error') == '$unavailable' and d['message'] == '$corrupt'" ;;
        # Not a regular file: the running main process's executable is inspected instead.
        fifo) want="d['doc'] == {'go': True, 'error': None, 'not_go_reason': None}" ;;
        esac
        probe "$f"
        doc=$(cat "$dir/probe-$f.json")
        assert_json "$doc" "$want" "InspectUnitExecutable of the $f file"
        assert_json "$doc" 'max(c["ms"] for c in d["list"]) < 100' \
                "with the $f file, every ListGoUnits call is answered within 100 ms"
        assert_eq "$pid" "$(box_unit_prop goguardd.service MainPID)" "goguardd runs on after the $f file"
done

# The inspections ran while the other client was being answered: of the 512 GiB file (128 MiB
# read from holes on ext4) some ListGoUnits calls started before its answer came.
assert_json "$(cat "$dir/probe-sparse512g.json")" \
        'sum(1 for c in d["list"] if d["start"] < c["start"] < d["end"]) >= 1' \
        "ListGoUnits calls overlapped the inspection of the 512 GiB file"

# The same failed file again: answered from the cache, without reading it (inotify counts the
# reads of the file while each call runs).
box_exec /usr/bin/python3 "$helper" make sparse512g "$dir/again"
mv -f "$dir/again" "$dir/svc"
box_exec /usr/bin/python3 "$helper" probe "$unit" 1 "$dir/svc" >"$dir/first.json"
assert_json "$(cat "$dir/first.json")" "d['message'] == '$budget' and d['reads'] > 0" \
        "a new failing file is read"
box_exec /usr/bin/python3 "$helper" probe "$unit" 1 "$dir/svc" >"$dir/second.json"
assert_json "$(cat "$dir/second.json")" "d['message'] == '$budget' and d['reads'] == 0" \
        "the second InspectUnitExecutable of it gives the same answer without reading it"

# Item 1 of the report: the 256 MiB file as ExecStart= of a unit that fails and restarts, each
# start making goguardd look at its executable again (it was killed at MemoryMax= each time).
box_exec /usr/bin/python3 "$helper" make sparse256m "$dir/bad"
box_exec systemd-run --quiet --unit="$failing" -p Restart=always -p RestartSec=200ms \
        -p StartLimitBurst=100 "$dir/bad"
wait_until 10 eval '[ "$(box_unit_prop "$failing" NRestarts)" -ge 5 ]'
assert_status 0 test "$(box_unit_prop "$failing" NRestarts)" -ge 5
box_exec systemctl stop "$failing"
assert_eq "$pid" "$(box_unit_prop goguardd.service MainPID)" "goguardd runs on after the failing unit"

# Item 3 of the report (a wrapper that execs a binary whose name is not UTF-8): whatever goguardd
# makes of its path on the bus, it stays up and keeps answering others. The assertions on what it
# shows for that unit belong to the bus strings' own test.
cp "$GO_SERVICES_DIR/healthy" "$dir/mem"$'\377\376'"hog"
printf '#!/bin/sh\nexec "$(dirname "$0")/mem\377\376hog"\n' >"$dir/wrapper"
chmod 755 "$dir/wrapper"
box_exec systemd-run --quiet --unit="$wrapped" -E HEALTHY_ADDR=127.0.0.1:0 "$dir/wrapper"
wait_until 5 eval '[ "$(box_unit_prop "$wrapped" ActiveState)" = active ]'
sleep 1.5 # past goguardd's looks at its new main process
box_exec /usr/bin/python3 "$helper" probe "$wrapped" 30 >"$dir/wrapped.json" || true
box_exec /usr/bin/python3 "$helper" probe "$unit" 30 >"$dir/after.json"
assert_json "$(cat "$dir/after.json")" 'max(c["ms"] for c in d["list"]) < 100' \
        "after the non-UTF-8 path, ListGoUnits calls are answered within 100 ms"

assert_eq "$pid" "$(box_unit_prop goguardd.service MainPID)" "goguardd was not restarted"
assert_eq "$restarts" "$(box_unit_prop goguardd.service NRestarts)" "goguardd's restart count did not move"
assert_eq active "$(box_unit_prop goguardd.service ActiveState)" "goguardd is active"
hwm1=$(hwm)
echo "goguardd VmHWM: ${hwm0} kB before the hostile files, ${hwm1} kB after" >&2
# The old sentinel search alone took 256 MiB for the first file; what is left is one 1 MiB chunk
# and libelf's tables, so 64 MiB over the peak before is a wide margin.
assert_status 0 test "$hwm1" -lt $((hwm0 + 64 * 1024))
