#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Times `goguardctl inspect` against `go version` over the same tree, in the same run, both with
# a warm page cache, and checks that both find the same Go binaries with the same versions and
# module information.
#   usage: tests/bench/inspect.sh [BUILD_DIR] [TREE] [RUNS]
set -euo pipefail
build=${1:-build}
tree=${2:-/usr}
runs=${3:-5}
goguardctl=$build/cli/goguardctl
go=${GO:-go}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Warm the cache for both, and keep the outputs for the comparison.
"$go" version -m "$tree" >"$tmp/go-m.out" 2>/dev/null || true
"$goguardctl" inspect --modinfo "$tree" >"$tmp/gg-m.out" 2>/dev/null || true

python3 - "$go" "$goguardctl" "$tree" "$runs" "$tmp" <<'PY'
import statistics, subprocess, sys, time
go, gg, tree, runs, tmp = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]

def wall(cmd):
    samples = []
    for _ in range(runs):
        t = time.monotonic()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        samples.append(time.monotonic() - t)
    return statistics.median(samples)

def versions(path):
    return {l.split(": ", 1)[0]: l.split(": ", 1)[1] for l in open(path, errors="replace")
            if not l.startswith("\t") and ": " in l}

cases = [
    ("go version DIR", [go, "version", tree], "goguardctl inspect DIR", [gg, "inspect", tree]),
    ("go version -m DIR", [go, "version", "-m", tree],
     "goguardctl inspect --modinfo DIR", [gg, "inspect", "--modinfo", tree]),
]
print(f"tree: {tree}, median of {runs} warm runs each")
for ref_name, ref, our_name, ours in cases:
    r, o = wall(ref), wall(ours)
    print(f"  {ref_name:<22} {r*1000:9.1f} ms")
    print(f"  {our_name:<32} {o*1000:9.1f} ms   ratio {o/r:.3f} (target <= 0.5)")

a, b = versions(f"{tmp}/go-m.out"), versions(f"{tmp}/gg-m.out")
same_set = a == b
same_bytes = open(f"{tmp}/go-m.out", "rb").read() == open(f"{tmp}/gg-m.out", "rb").read()
print(f"Go binaries found: go version {len(a)}, goguardctl {len(b)}; "
      f"same files and versions: {'yes' if same_set else 'NO'}; "
      f"--modinfo output byte-identical to go version -m: {'yes' if same_bytes else 'NO'}")
for k in sorted(set(a) ^ set(b)):
    print(f"  only in {'go version' if k in a else 'goguardctl'}: {k}")
for k in sorted(set(a) & set(b)):
    if a[k] != b[k]:
        print(f"  version differs for {k}: {a[k]} vs {b[k]}")
sys.exit(0 if same_set else 1)
PY
