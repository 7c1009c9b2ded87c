#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# N Go units appearing at once (default 5000), in the real systemd box, with goguardd running:
#   - ListGoUnits latency (p50/p95/p99/max; target: max <= 100 ms) of a client calling it over
#     and over from before the burst until all N units are listed, next to the same for PID 1's
#     ListUnits over the same burst (the reference);
#   - goguardd's memory before and after, divided by N: what one Go unit costs (VmRSS and its
#     anonymous part), next to PID 1's and dbus-daemon's growth over the same units.
# The units are instances of one template started by one target (one transaction): a small Go
# program each (tests/go/services/sleeper, 3 threads: 5000 of them take 15000 pids of the
# shared kernel's pid space).
#   usage: tests/bench/burst.sh BUILD_DIR [N]
# BUILD_DIR must be configured with --prefix=/usr --sysconfdir=/etc --localstatedir=/var.
set -euo pipefail
build=$(cd "${1:?usage: $0 BUILD_DIR [N]}" && pwd)
n=${2:-5000}
src=$(cd "$(dirname "$0")/../.." && pwd)
source "$src/tests/integration/box.sh"

pid_max=$(cat /proc/sys/kernel/pid_max)
tasks=$(ls /proc | grep -c '^[0-9]')
if ((n * 3 + tasks + 2000 > pid_max)); then
        echo "burst: $n units of 3 threads do not fit in kernel.pid_max=$pid_max next to $tasks processes" >&2
        exit 77
fi

"$src/tests/integration/build-go.sh" "$build/integration-go" >/dev/null
# The clients, in C on sd-bus like goguardctl.
${CC:-cc} -std=gnu11 -O2 -o "$build/bench-bus-latency" "$src/tests/bench/bus-latency.c" \
        $(pkg-config --cflags --libs libsystemd)
export BOX_DIR=$(mktemp -d "$build/bench-box.XXXXXX")
cleanup() {
        # Stop the burst before powering off: PID 1 stops 5000 units faster than its shutdown
        # timeout would allow.
        box_exec timeout 300 systemctl stop bench-burst.target >/dev/null 2>&1 || true
        box_shutdown
        rm -rf "$BOX_DIR"
}
trap cleanup EXIT
box_boot >/dev/null
box_install "$build" >/dev/null

prefix=bench-burst@
box_sh 'cat >/run/systemd/system/bench-burst@.service' <<UNIT
[Unit]
PartOf=bench-burst.target
[Service]
ExecStart=$build/integration-go/sleeper
Environment=GOMAXPROCS=1
UNIT
box_sh 'cat >/run/systemd/system/bench-burst.target; mkdir -p /run/systemd/system/bench-burst.target.wants' <<UNIT
[Unit]
Description=goguard burst benchmark
UNIT
box_sh 'cd /run/systemd/system/bench-burst.target.wants && for i in $(seq 1 "$1"); do
        ln -s ../bench-burst@.service "bench-burst@$i.service"; done' "$n"
box_exec systemctl daemon-reload
box_exec systemctl start goguardd.service
wait_until 30 box_exec busctl status org.goguard.goguard1 >/dev/null 2>&1
sleep 2

pid=$(box_unit_prop goguardd.service MainPID)
dbus_pid=$(box_unit_prop dbus.service MainPID)
# mem PID: VmRSS VmHWM Anonymous (kB)
mem() {
        box_sh 'awk "/^(VmRSS|VmHWM):/ { printf \"%s \", \$2 }" /proc/$1/status
                awk "/^Anonymous:/ { print \$2 }" /proc/$1/smaps_rollup' "$1"
}
cpu() { box_exec awk '{ print $14 + $15 }' "/proc/$1/stat"; }
g_cpu0=$(cpu "$pid") s_cpu0=$(cpu 1) d_cpu0=$(cpu "$dbus_pid")
read -r g_rss0 g_hwm0 g_anon0 < <(mem "$pid")
read -r s_rss0 _ s_anon0 < <(mem 1)
read -r d_rss0 _ d_anon0 < <(mem "$dbus_pid")

start=$(box_exec date +%s.%N)
box_exec "$build/bench-bus-latency" goguard "$n" "$prefix" "$start" \
        >"$BOX_DIR/goguard.json" &
gc=$!
box_exec "$build/bench-bus-latency" systemd "$n" "$prefix" "$start" \
        >"$BOX_DIR/systemd.json" &
sc=$!
sleep 0.5
box_exec systemctl start --no-block bench-burst.target
wait "$gc" "$sc"

# Settled: the first scan's and the burst's transient allocations are gone.
g_cpu1=$(cpu "$pid") s_cpu1=$(cpu 1) d_cpu1=$(cpu "$dbus_pid")
read -r g_rss1 g_hwm1 g_anon1 < <(mem "$pid")
read -r s_rss1 _ s_anon1 < <(mem 1)
read -r d_rss1 _ d_anon1 < <(mem "$dbus_pid")
running=$(box_exec systemctl list-units --no-legend --state=running "$prefix*" | wc -l)
echo "burst: $running of $n units running"

python3 - "$BOX_DIR/goguard.json" "$BOX_DIR/systemd.json" "$n" \
        "$g_rss0" "$g_rss1" "$g_hwm0" "$g_hwm1" "$g_anon0" "$g_anon1" \
        "$s_rss0" "$s_rss1" "$s_anon0" "$s_anon1" "$d_rss0" "$d_rss1" "$d_anon0" "$d_anon1" \
        $((g_cpu1 - g_cpu0)) $((s_cpu1 - s_cpu0)) $((d_cpu1 - d_cpu0)) "$(getconf CLK_TCK)" <<'PY'
import json, sys
g, s = (json.load(open(p)) for p in sys.argv[1:3])
n = int(sys.argv[3])
(g_rss0, g_rss1, g_hwm0, g_hwm1, g_anon0, g_anon1,
 s_rss0, s_rss1, s_anon0, s_anon1, d_rss0, d_rss1, d_anon0, d_anon1,
 g_cpu, s_cpu, d_cpu, hz) = map(int, sys.argv[4:])

def stats(d):
    l = sorted(d["latencies_ms"])
    q = lambda p: l[min(len(l) - 1, int(p * len(l)))]
    return len(l), q(0.5), q(0.95), q(0.99), l[-1]

for name, d in (("goguardd ListGoUnits", g), ("PID 1 ListUnits (reference)", s)):
    k, p50, p95, p99, mx = stats(d)
    done = f"{d['complete_s']:.1f} s" if d["complete_s"] is not None else f"never ({d['last_count']} of {n})"
    print(f"{name}: {k} calls during the burst, p50 {p50:.1f} ms, p95 {p95:.1f} ms, p99 {p99:.1f} ms, "
          f"max {mx:.1f} ms; all {n} listed after {done}")
    slow = sorted(zip(d["latencies_ms"], d["at_s"]), reverse=True)[:5]
    print("  slowest: " + ", ".join(f"{l:.0f} ms at {t:.1f} s" for l, t in slow))
_, _, gp95, _, gmax = stats(g)
_, _, sp95, _, smax = stats(s)
print(f"ListGoUnits vs ListUnits: max {gmax:.1f} / {smax:.1f} ms = {gmax/smax:.2f}, "
      f"p95 {gp95:.1f} / {sp95:.1f} ms = {gp95/sp95:.2f}; target max <= 100 ms")
per = lambda a, b: (b - a) * 1024 / n
print(f"goguardd memory: RSS {g_rss0/1024:.1f} -> {g_rss1/1024:.1f} MiB (peak {g_hwm1/1024:.1f} MiB), "
      f"anonymous {g_anon0/1024:.1f} -> {g_anon1/1024:.1f} MiB")
print(f"per Go unit: goguardd {per(g_rss0, g_rss1):.0f} bytes RSS ({per(g_anon0, g_anon1):.0f} anonymous); "
      f"PID 1 {per(s_rss0, s_rss1):.0f} ({per(s_anon0, s_anon1):.0f}); "
      f"dbus-daemon {per(d_rss0, d_rss1):.0f} ({per(d_anon0, d_anon1):.0f})")
print(f"CPU time over the burst: goguardd {g_cpu*1000/hz:.0f} ms, PID 1 {s_cpu*1000/hz:.0f} ms, "
      f"dbus-daemon {d_cpu*1000/hz:.0f} ms")
PY
