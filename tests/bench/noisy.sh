#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# A noisy Go unit in the sandboxed systemd: RATE lines per second for SECONDS seconds (default
# 50,000/s for 30 s, journald's rate limit lifted so it keeps them). Reports goguardd's CPU
# time and RSS over the flood, how far behind the journal it is at the end (its saved cursor
# against the journal's tail) and the worst D-Bus call latency while it reads (target 100 ms),
# next to `journalctl -f` reading the same unit's output in the same run (CPU ratio).
# The bus latency is the call itself, timed by a client in C on sd-bus (bus-latency.c) that
# calls ListGoUnits every 20 ms on one connection; the figure with busctl's start-up under
# nsenter (a new process and a bus connection per call, tens of ms on a loaded machine) is
# printed apart.
#   usage: tests/bench/noisy.sh BUILD_DIR [RATE] [SECONDS]
# NOISY_PERF=FILE records goguardd's profile over the flood (perf record -g, from the host);
# NOISY_KEEP=DIR keeps a copy of the box's journal files there (to replay its reading).
set -euo pipefail
build=$(cd "${1:?usage: $0 BUILD_DIR [RATE] [SECONDS]}" && pwd)
rate=${2:-50000}
seconds=${3:-30}
src=$(cd "$(dirname "$0")/../.." && pwd)
source "$src/tests/integration/box.sh"
"$src/tests/integration/build-go.sh" "$build/integration-go" >/dev/null
${CC:-cc} -std=gnu11 -O2 -o "$build/bench-bus-latency" "$src/tests/bench/bus-latency.c" \
        $(pkg-config --cflags --libs libsystemd)
export BOX_DIR=$(mktemp -d "$build/bench-box.XXXXXX")
trap 'box_shutdown; rm -rf "$BOX_DIR"' EXIT
box_boot >/dev/null
box_install "$build" >/dev/null
# journald's own rate limit (10,000 lines per 30 s, scaled up with free space: 35,000 here) would
# drop most of the flood, and the unit's LogRateLimitIntervalSec=0 is not honoured in the box
# (exactly 35,000 lines arrived with it), so lift the limit for the whole box's journald.
box_exec sh -c 'mkdir -p /run/systemd/journald.conf.d &&
        printf "[Journal]\nRateLimitIntervalSec=0\n" >/run/systemd/journald.conf.d/bench.conf'
box_exec systemctl restart systemd-journald.service
box_exec systemctl start goguardd.service
unit=bench-chatty.service

cpu() { box_exec awk '{ print $14 + $15 }' "/proc/$1/stat"; }
rss() { box_exec awk '/^VmRSS/ { print $2 }' "/proc/$1/status"; }
gpid=$(box_unit_prop goguardd.service MainPID)
# goguardd's pid on the host, for perf: the process of the box's pid namespace whose innermost
# pid is gpid.
host_pid() {
        local p
        for p in /proc/[0-9]*; do
                [[ $(readlink "$p/ns/pid" 2>/dev/null) == "$BOX_PIDNS" ]] || continue
                awk -v want="$1" '/^NSpid:/ { found = $NF == want } END { exit !found }' \
                        "$p/status" 2>/dev/null && echo "${p#/proc/}" && return 0
        done
        return 1
}
box_exec systemd-run --quiet --unit=bench-journalctl journalctl -f -n 0 -o cat "_SYSTEMD_UNIT=$unit"
sleep 0.5
jpid=$(box_unit_prop bench-journalctl.service MainPID)
g0=$(cpu "$gpid") j0=$(cpu "$jpid") r0=$(rss "$gpid")
box_exec systemd-run --quiet --unit="$unit" -p LogRateLimitIntervalSec=0 "$build/integration-go/chatty" \
        -rate "$rate" -seconds "$seconds"

if [[ -n ${NOISY_PERF:-} ]]; then
        perf record -q -g -o "$NOISY_PERF" -p "$(host_pid "$gpid")" -- sleep "$seconds" \
                >/dev/null 2>&1 &
        perf_pid=$!
fi
# The bus while goguardd reads: the call itself, every 20 ms on one connection (want 0 units:
# the client keeps calling for SECONDS seconds).
box_exec "$build/bench-bus-latency" goguard 0 bench- "$(box_exec date +%s.%N)" "$seconds" \
        $((seconds + 30)) >"$BOX_DIR/bus.json" &
bus_client=$!
# And one busctl every 200 ms, start-up included, the slowest kept, with the RSS sampled.
worst=0 peak_rss=$r0 jpeak=$(rss "$jpid")
end=$(($(date +%s) + seconds))
while (($(date +%s) < end)); do
        t=$(date +%s%N)
        box_exec busctl call org.goguard.goguard1 /org/goguard/goguard1 org.goguard.goguard1.Manager \
                ListGoUnits >/dev/null
        d=$((($(date +%s%N) - t) / 1000000))
        ((d > worst)) && worst=$d
        r=$(rss "$gpid")
        ((r > peak_rss)) && peak_rss=$r
        r=$(rss "$jpid")
        ((r > jpeak)) && jpeak=$r
        sleep 0.2
done
wait "$bus_client"
[[ -z ${NOISY_PERF:-} ]] || wait "$perf_pid"
sleep 0.5
g1=$(cpu "$gpid") j1=$(cpu "$jpid") r1=$(rss "$gpid")
# How far behind: the saved cursor's entry against the journal's last entry of the unit.
tail_us=$(box_exec journalctl -q -n 1 -o json "_SYSTEMD_UNIT=$unit" | python3 -c 'import json,sys; print(json.load(sys.stdin)["__REALTIME_TIMESTAMP"])')
cursor=$(box_exec cat /var/lib/goguard/journal.cursor)
saved_us=$(box_exec journalctl -q -n 1 -o json --cursor="$cursor" | python3 -c 'import json,sys; print(json.load(sys.stdin)["__REALTIME_TIMESTAMP"])')
lines=$(box_exec journalctl -q -o cat "_SYSTEMD_UNIT=$unit" | grep -c '^request ' || true)
box_exec grep -E '^(RssAnon|RssFile|RssShmem)' "/proc/$gpid/status" | tr -s ' \t' ' ' | paste -sd, - |
        sed 's/^/goguardd RSS by kind at the end: /'
written=$(box_exec journalctl -q -o cat "_SYSTEMD_UNIT=$unit" -g 'chatty: wrote' | tail -n1 || true)
echo "the program: ${written:-still writing}"
if [[ -n ${NOISY_KEEP:-} ]]; then
        mkdir -p "$NOISY_KEEP"
        box_exec sh -c 'cp /var/log/journal/*/*.journal* "$1"' sh "$NOISY_KEEP"
fi
hz=$(getconf CLK_TCK)
python3 - "$rate" "$seconds" "$lines" "$g0" "$g1" "$j0" "$j1" "$hz" "$r0" "$r1" "$peak_rss" "$jpeak" "$worst" "$tail_us" "$saved_us" "$BOX_DIR/bus.json" <<'PY'
import json, statistics, sys
rate, secs, lines, g0, g1, j0, j1, hz, r0, r1, peak, jpeak, worst, tail, saved = map(int, sys.argv[1:16])
lat = sorted(json.load(open(sys.argv[16]))["latencies_ms"])
g, j = (g1 - g0) * 1000 / hz, (j1 - j0) * 1000 / hz
print(f"flood: {rate} lines/s for {secs} s; the journal kept {lines} lines ({lines/secs:.0f}/s)")
print(f"goguardd CPU: {g:.0f} ms ({g/secs/10:.1f}% of a core); journalctl -f on the same lines: "
      f"{j:.0f} ms; ratio {g/max(j,1):.2f}")
print(f"goguardd RSS: {r0/1024:.1f} MiB before, {r1/1024:.1f} MiB after, peak {peak/1024:.1f} MiB; "
      f"journalctl -f peak {jpeak/1024:.1f} MiB")
print(f"lag at the end (saved cursor behind the journal's tail): {max(0, tail - saved)/1000:.0f} ms")
print(f"ListGoUnits during the flood, the call itself: {len(lat)} calls, median {statistics.median(lat):.1f} ms, "
      f"99th percentile {lat[int(len(lat) * 0.99)]:.1f} ms, slowest {lat[-1]:.1f} ms (target <= 100 ms)")
print(f"  with busctl's start-up under nsenter, every 200 ms: slowest {worst} ms")
PY
