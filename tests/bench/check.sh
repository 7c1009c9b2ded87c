#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Times `goguardctl check` against `systemd-analyze security --offline=true` over the same unit
# files (every service unit file of a directory, all of /lib/systemd/system by default), in the
# same run, both with a warm page cache. check also reads every executable those units name
# (only the ELF parts it needs) and the host's facts; the target is at most 1.0x.
#   usage: tests/bench/check.sh [BUILD_DIR] [UNIT_DIR] [RUNS]
set -euo pipefail
build=${1:-build}
dir=${2:-/lib/systemd/system}
runs=${3:-5}
goguardctl=$build/cli/goguardctl
command -v systemd-analyze >/dev/null || { echo "systemd-analyze is not installed" >&2; exit 77; }

# The files both take: service units, not the directories (.wants, .d) beside them.
mapfile -t files < <(find "$dir" -maxdepth 1 -name '*.service' \( -type f -o -type l \) | sort)
[ "${#files[@]}" -gt 0 ] || { echo "no service unit files in $dir" >&2; exit 77; }

python3 - "$goguardctl" "$runs" "${files[@]}" <<'PY'
import statistics, subprocess, sys, time
gg, runs, files = sys.argv[1], int(sys.argv[2]), sys.argv[3:]

def wall(cmd):
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # warm the cache
    samples = []
    for _ in range(runs):
        t = time.monotonic()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        samples.append(time.monotonic() - t)
    return statistics.median(samples)

ref = wall(["systemd-analyze", "security", "--offline=true", "--no-pager", *files])
ours = wall([gg, "check", *files])
print(f"{len(files)} service unit files, median of {runs} warm runs each")
print(f"  systemd-analyze security --offline=true {ref*1000:9.1f} ms")
print(f"  goguardctl check                        {ours*1000:9.1f} ms   ratio {ours/ref:.3f} (target <= 1.0)")
PY
