#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# goguardctl analyze over a journal of ENTRIES entries (default one million: unit output and
# kernel noise, with a real OOM kill sequence - PID 1 and kernel lines - every 10,000 entries),
# timed next to `journalctl -D DIR -o cat > /dev/null` on the same files in the same run
# (target ratio <= 0.52, the detector issue's), and run twice to check the findings are the same every time.
#   usage: tests/bench/analyze.sh BUILD_DIR [ENTRIES]
set -euo pipefail
build=$(cd "${1:?usage: $0 BUILD_DIR [ENTRIES]}" && pwd)
entries=${2:-1000000}
tmp=$(mktemp -d "$build/bench-analyze.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

python3 "$(dirname "$0")/gen-export.py" "$entries" "$tmp/noise.export"
# journal-remote rotates its output into several files: both tools read the whole directory.
mkdir "$tmp/journal"
/lib/systemd/systemd-journal-remote -o "$tmp/journal/system.journal" - <"$tmp/noise.export" 2>/dev/null
rm "$tmp/noise.export"
journal=$tmp/journal
echo "journal: $(journalctl -D "$journal" -o cat | wc -l) entries in $(ls "$journal" | wc -l) files, $(du -sh "$journal" | cut -f1)"

python3 - "$build/cli/goguardctl" "$journal" <<'PY'
import hashlib, json, statistics, subprocess, sys, time
gg, journal = sys.argv[1], sys.argv[2]
def wall(cmd, runs=3):
    out, samples = None, []
    for _ in range(runs):
        t = time.monotonic()
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        samples.append(time.monotonic() - t)
        out = p.stdout
    return statistics.median(samples), out
# Warm the page cache for both.
subprocess.run(["journalctl", "-D", journal, "-o", "cat"], stdout=subprocess.DEVNULL)
ref, _ = wall(["journalctl", "-D", journal, "-o", "cat"])
ours, out1 = wall([gg, "analyze", "--json", f"--directory={journal}"])
_, out2 = wall([gg, "analyze", "--json", f"--directory={journal}"], runs=1)
findings = json.loads(out1)
print(f"journalctl -D DIR -o cat > /dev/null: {ref*1000:.0f} ms")
print(f"goguardctl analyze --directory=DIR:   {ours*1000:.0f} ms   ratio {ours/ref:.2f} (target <= 0.52)")
counts = {f'{f["class"]} {f["unit"]}': f["count"] for f in findings}
print(f"findings: {len(findings)}: " + ", ".join(f"{k} x{v}" for k, v in sorted(counts.items())))
same = hashlib.sha256(out1).digest() == hashlib.sha256(out2).digest()
print(f"same findings every run: {'yes' if same else 'NO'}")
sys.exit(0 if same else 1)
PY
