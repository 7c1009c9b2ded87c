#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Latency from the kernel's OOM kill to goguardd's D-Bus signal, over KILLS kills of a real Go
# program crash-looping under MemoryMax=40M in the sandboxed systemd; p50/p95 (target p95 <=
# 250 ms), next to `journalctl -f` seeing the same kernel lines in the same run (the journal's
# own delivery latency, which bounds any journal reader), as a ratio.
#   usage: tests/bench/oom-latency.sh BUILD_DIR [KILLS]
set -euo pipefail
build=$(cd "${1:?usage: $0 BUILD_DIR [KILLS]}" && pwd)
kills=${2:-20}
src=$(cd "$(dirname "$0")/../.." && pwd)
source "$src/tests/integration/box.sh"
"$src/tests/integration/build-go.sh" "$build/integration-go" >/dev/null
export BOX_DIR=$(mktemp -d "$build/bench-box.XXXXXX")
trap 'box_shutdown; rm -rf "$BOX_DIR"' EXIT
box_boot >/dev/null
box_install "$build" >/dev/null
box_exec systemctl start goguardd.service
unit=bench-oom-$RANDOM.service

# Both observers stamp what they see with the time they see it.
stamp='import sys, time
for line in sys.stdin:
    print(time.time_ns() // 1000, line, end="", flush=True)'
box_exec busctl monitor --json=short --match "type=signal,sender=org.goguard.goguard1,interface=org.goguard.goguard1.Manager" \
        </dev/null 2>/dev/null | python3 -c "$stamp" >"$BOX_DIR/signals" &
mon=$!
box_exec journalctl -f -n 0 -o json _TRANSPORT=kernel </dev/null 2>/dev/null | python3 -c "$stamp" >"$BOX_DIR/kernel" &
jf=$!
sleep 1
box_exec systemd-run --quiet --unit="$unit" -p MemoryMax=40M -p MemorySwapMax=0 -p Restart=on-failure \
        -p RestartSec=300ms -p StartLimitBurst=1000 "$build/integration-go/memhog" -chunk 8
for _ in $(seq 1 600); do
        n=$(box_exec systemctl show -P NRestarts "$unit")
        ((n >= kills)) && break
        sleep 0.1
done
box_exec systemctl stop "$unit"
sleep 1
# $! of a pipeline is its last command: stop the observers themselves, in the box.
box_exec pkill -f 'busctl monitor' || true
box_exec pkill -f 'journalctl -f' || true
wait "$mon" "$jf" 2>/dev/null || true

python3 - "$BOX_DIR/kernel" "$BOX_DIR/signals" "$unit" "$kills" <<'PY'
import json, statistics, sys
kernel_file, signal_file, unit, kills = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])

def stamped(path):
    for line in open(path):
        t, _, rest = line.partition(" ")
        try:
            yield int(t), json.loads(rest)
        except ValueError:
            pass

# Each kill: the kernel's own time of its "Killed process" line (every kill has one; the
# oom-kill: summary is rate-limited), from its monotonic stamp converted with the entry's
# realtime/monotonic pair, and when journalctl -f saw it. Only this box's program is killed.
events = []
for seen, e in stamped(kernel_file):
    msg = e.get("MESSAGE", "")
    if not (isinstance(msg, str) and "Killed process" in msg and "(memhog)" in msg):
        continue
    rt, mono = int(e["__REALTIME_TIMESTAMP"]), int(e["__MONOTONIC_TIMESTAMP"])
    src = int(e.get("_SOURCE_MONOTONIC_TIMESTAMP", mono))
    events.append((rt - (mono - src), seen))
events.sort()
# goguardd: FindingAdded (count 1) then FindingUpdated with the count; the n-th count is the
# n-th kill.
# Only the oom-kill finding's signals: the unit may have others (a Go runtime OOM when an
# allocation fails before the kernel kills).
signal_at, fid = {}, None
for seen, s in stamped(signal_file):
    member, data = s.get("member"), s.get("payload", {}).get("data", [])
    if member == "FindingAdded" and len(data) > 2 and data[1] == unit and data[2] == "oom-kill":
        fid = data[0]
        signal_at.setdefault(1, seen)
    elif member == "FindingUpdated" and len(data) > 3 and data[0] == fid:
        signal_at.setdefault(int(data[3]), seen)
ours, ref = [], []
for i, (killed, journal_seen) in enumerate(events[:kills], start=1):
    ref.append((journal_seen - killed) / 1000)
    if i in signal_at:
        ours.append((signal_at[i] - killed) / 1000)

def pct(v, p):
    v = sorted(v)
    return v[min(len(v) - 1, max(0, int(round(p / 100 * len(v) + 0.5)) - 1))]

if not ours:
    print("no kills observed"); sys.exit(1)
print(f"kills: {len(events[:kills])}, signalled: {len(ours)}")
print(f"goguardd kill -> D-Bus signal: p50 {pct(ours, 50):.0f} ms, p95 {pct(ours, 95):.0f} ms, "
      f"max {max(ours):.0f} ms (target p95 <= 250 ms)")
print(f"journalctl -f kill -> line:    p50 {pct(ref, 50):.0f} ms, p95 {pct(ref, 95):.0f} ms")
print(f"ratio (p95): {pct(ours, 95) / max(pct(ref, 95), 0.001):.2f}")
print("goguardd, each kill in order (ms):", " ".join(f"{v:.0f}" for v in ours))
PY
