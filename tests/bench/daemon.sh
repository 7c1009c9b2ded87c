#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# goguardd at scale, in the real systemd box: 1000 service units running, 100 of them Go.
#   - from `systemctl start goguardd` to READY=1, and to a complete status (all 100 Go units in
#     ListGoUnits, as `goguardctl status` lists them, read by a client on one bus connection;
#     target <= 1 s), next to `systemctl show` reading the same units' properties (the
#     reference: what the daemon has to ask PID 1 for), with the condition checks on: every Go unit is
#     checked as it appears (its MemoryMax= without GOMEMLIMIT is one such condition), and the
#     findings by then (all of them the checks': the units run healthy) are counted by class;
#   - goguardd's RSS (target <= 10 MiB), next to dbus-daemon's in the same box;
#   - goguardd's CPU time over 60 s with nothing changing, and its wake-ups (context switches);
#   - what one Go unit costs goguardd in memory: its RSS and the anonymous part of it before and
#     after 500 more Go units (tests/go/services/sleeper) start at once, divided by 500
#     (tests/bench/burst.sh measures the same at 5000).
#   usage: tests/bench/daemon.sh BUILD_DIR [IDLE_SECONDS]
# BUILD_DIR must be configured with --prefix=/usr --sysconfdir=/etc --localstatedir=/var.
set -euo pipefail
build=$(cd "${1:?usage: $0 BUILD_DIR [IDLE_SECONDS]}" && pwd)
idle=${2:-60}
src=$(cd "$(dirname "$0")/../.." && pwd)
source "$src/tests/integration/box.sh"
source "$src/tests/bench/bench-box.sh"
bench_box_start

# Templates: 900 sleepers and 100 Go HTTP servers on free loopback ports.
bench_unit_templates
box_exec systemctl daemon-reload
t=$(_box_now_us)
box_exec systemctl start $(printf 'bench-sleep@%d.service ' $(seq 1 900)) $(printf 'bench-go@%d.service ' $(seq 1 100))
echo "started 1000 units in $((($(_box_now_us) - t) / 1000)) ms"
units=$(box_exec systemctl list-units --type=service --state=running --no-legend | wc -l)
echo "running service units in the box: $units"

# Reference: PID 1's own view of the same properties, read over the bus by systemctl.
t=$(_box_now_us)
box_exec systemctl show --type=service --all -p ExecStart,MainPID,LimitNOFILE,MemoryMax,Environment >/dev/null
ref_us=$(($(_box_now_us) - t))

# goguardd's start: `systemctl start` returns at READY=1 (the first scan done; the bus name is
# requested then). A client in C on one sd-bus connection (bus-latency.c), started before and
# without auto-start, calls ListGoUnits (what `goguardctl status` lists) every 20 ms until all 100
# Go units are there: the time from the start is goguardd's, not that of starting a client under
# nsenter (about 0.5 s here). One `goguardctl status` confirms it after.
${CC:-cc} -std=gnu11 -O2 -o "$build/bench-bus-latency" "$src/tests/bench/bus-latency.c" \
        $(pkg-config --cflags --libs libsystemd)
t0=$(_box_now_us)
box_exec "$build/bench-bus-latency" --no-auto-start goguard 100 bench-go@ "$(python3 -c "print($t0 / 1e6)")" 0 60 \
        >"$BOX_DIR/bus-latency.json" &
client=$!
sleep 2 # the client connected and polling
t=$(_box_now_us)
box_exec systemctl start goguardd.service
ready_us=$(($(_box_now_us) - t))
wait "$client"
start_us=$(python3 -c 'import json, sys
c = json.load(open(sys.argv[1]))["complete_s"]
print(-1 if c is None else round(int(sys.argv[2]) + c * 1e6 - int(sys.argv[3])))' "$BOX_DIR/bus-latency.json" "$t0" "$t")
# goguardctl's own time, inside the box: starting it under nsenter and parsing its output are not
# goguardd's.
status_ms=$(box_sh 'a=$(date +%s%N); goguardctl status --json >"$1"; echo $((($(date +%s%N) - a) / 1000000))' \
        "$BOX_DIR/status.json")
n=$(python3 -c 'import json, sys
print(sum(1 for u in json.load(open(sys.argv[1])).get("units", []) if u["unit"].startswith("bench-go@")))' \
        "$BOX_DIR/status.json" || echo 0)
echo "start -> READY=1 (systemctl start returned): $((ready_us / 1000)) ms; one goguardctl status then: $status_ms ms"
[[ $n == 100 ]] || echo "WARNING: goguardctl status listed $n of 100 Go units"
# What the condition checks had found by then (they run as each Go unit appears).
box_exec goguardctl --json findings 2>/dev/null | python3 -c '
import collections, json, sys
c = collections.Counter(f["class"] for f in json.load(sys.stdin))
print("findings when status was complete (the units run healthy: the condition checks): " +
      (", ".join(f"{k} {v}" for k, v in sorted(c.items())) or "none"))' ||
        echo "condition findings: could not be listed"

pid=$(box_unit_prop goguardd.service MainPID)
rss_kb=$(box_exec awk '/^VmRSS/ { print $2 }' "/proc/$pid/status")
hwm_kb=$(box_exec awk '/^VmHWM/ { print $2 }' "/proc/$pid/status")
box_exec grep -E '^(RssAnon|RssFile|RssShmem)' "/proc/$pid/status" | tr -s ' \t' ' ' | paste -sd, - |
        sed 's/^/goguardd RSS by kind: /'
box_exec awk '/journal/ && $2 ~ /r/ { f = $6 } /^Rss:/ && f { s += $2; f = "" } END { printf "of which mapped journal files: %d kB\n", s }' \
        "/proc/$pid/smaps"
dbus_pid=$(box_unit_prop dbus.service MainPID)
dbus_rss_kb=$(box_exec awk '/^VmRSS/ { print $2 }' "/proc/$dbus_pid/status")

cpu() { box_exec awk '{ print $14 + $15 }' "/proc/$pid/stat"; }
ctx() { box_exec awk '/ctxt_switches/ { s += $2 } END { print s }' "/proc/$pid/status"; }
c0=$(cpu) x0=$(ctx)
sleep "$idle"
c1=$(cpu) x1=$(ctx)
hz=$(getconf CLK_TCK)

# What a Go unit costs: 500 more, started by one target.
extra=500
box_sh 'cat >/run/systemd/system/bench-more@.service' <<UNIT
[Unit]
PartOf=bench-more.target
[Service]
ExecStart=$build/integration-go/sleeper
Environment=GOMAXPROCS=1
UNIT
box_sh 'printf "[Unit]\nDescription=goguard daemon benchmark, more Go units\n" >/run/systemd/system/bench-more.target
        mkdir -p /run/systemd/system/bench-more.target.wants && cd /run/systemd/system/bench-more.target.wants &&
        for i in $(seq 1 "$1"); do ln -s ../bench-more@.service "bench-more@$i.service"; done' "$extra"
box_exec systemctl daemon-reload
mem() { box_exec awk '/^Rss:/ { r = $2 } /^Anonymous:/ { a = $2 } END { print r, a }' "/proc/$pid/smaps_rollup"; }
read -r m_rss0 m_anon0 < <(mem)
box_exec systemctl start bench-more.target
for _ in $(seq 1 600); do
        n=$(box_exec busctl --json=short call org.goguard.goguard1 /org/goguard/goguard1 \
                org.goguard.goguard1.Manager ListGoUnits | python3 -c \
                'import json,sys; print(sum(1 for u in json.load(sys.stdin)["data"][0] if u[0].startswith("bench-more@") and u[3] == "active"))')
        [[ $n == "$extra" ]] && break
        sleep 0.2
done
[[ $n == "$extra" ]] || echo "WARNING: goguardd listed $n of $extra more Go units"
sleep 2
read -r m_rss1 m_anon1 < <(mem)
box_exec timeout 300 systemctl stop bench-more.target

python3 - "$start_us" "$ref_us" "$rss_kb" "$hwm_kb" "$dbus_rss_kb" "$c0" "$c1" "$hz" "$x0" "$x1" "$idle" \
        "$extra" "$m_rss0" "$m_rss1" "$m_anon0" "$m_anon1" <<'PY'
import sys
start, ref, rss, hwm, dbus_rss, c0, c1, hz, x0, x1, idle, extra, m_rss0, m_rss1, m_anon0, m_anon1 = \
        map(int, sys.argv[1:])
print(f"start -> complete status (all 100 Go units in ListGoUnits): {start/1000:.0f} ms (target <= 1000 ms); "
      f"reference systemctl show of the same units: {ref/1000:.0f} ms; ratio {start/ref:.2f}")
print(f"goguardd RSS: {rss/1024:.1f} MiB (peak {hwm/1024:.1f} MiB; target <= 10 MiB); "
      f"dbus-daemon in the same box: {dbus_rss/1024:.1f} MiB; ratio {rss/dbus_rss:.2f}")
print(f"goguardd CPU over {idle} s idle: {(c1-c0)*1000/hz:.0f} ms, {x1-x0} wake-ups (context switches) "
      f"= {(x1-x0)/idle:.2f}/s")
print(f"one Go unit costs goguardd {(m_rss1-m_rss0)*1024/extra:.0f} bytes of RSS, "
      f"{(m_anon1-m_anon0)*1024/extra:.0f} of them anonymous ({extra} more Go units started at once)")
PY
