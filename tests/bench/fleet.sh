#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# goguardctl analyze over a fleet's directory: three hosts' journals of ENTRIES entries each
# (default one million: tests/bench/gen-export.py, an OOM kill every 10,000 entries, and
# goguardd's own entry for each finding), written by systemd-journal-remote as remote-HOST.journal
# files, timed next to `journalctl -D DIR -o cat > /dev/null` over the same directory in the same
# run; the ratio is printed. Checks that every host's kills are counted once, on that host.
#   usage: tests/bench/fleet.sh BUILD_DIR [ENTRIES]
set -euo pipefail
build=$(cd "${1:?usage: $0 BUILD_DIR [ENTRIES]}" && pwd)
entries=${2:-1000000}
here=$(cd "$(dirname "$0")" && pwd)
remote=/lib/systemd/systemd-journal-remote
[[ -x $remote ]] || { echo "SKIP: systemd-journal-remote is not installed (tools/install-deps)"; exit 77; }
tmp=$(mktemp -d "$build/bench-fleet.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

hosts=(web-1 web-2 db-1)
mkdir "$tmp/remote"
seed=7
for h in "${hosts[@]}"; do
        python3 "$here/gen-export.py" "$entries" "$tmp/$h.export" --host="$h" --seed="$seed" --goguardd
        "$remote" -o "$tmp/remote/remote-$h.journal" - <"$tmp/$h.export" 2>/dev/null
        rm "$tmp/$h.export"
        seed=$((seed + 1))
done
dir=$tmp/remote
echo "directory: $(journalctl -D "$dir" -o cat | wc -l) entries of ${#hosts[@]} hosts in $(ls "$dir" | wc -l) files, $(du -sh "$dir" | cut -f1)"

python3 - "$build/cli/goguardctl" "$dir" "$entries" "${hosts[@]}" <<'PY'
import collections, json, statistics, subprocess, sys, time
gg, d, entries, hosts = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4:]
def wall(cmd, runs=3):
    out, samples = None, []
    for _ in range(runs):
        t = time.monotonic()
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, check=True)
        samples.append(time.monotonic() - t)
        out = p.stdout
    return statistics.median(samples), samples, out
# Warm the page cache for both.
subprocess.run(["journalctl", "-D", d, "-o", "cat"], stdout=subprocess.DEVNULL)
ref, ref_s, _ = wall(["journalctl", "-D", d, "-o", "cat"])
ours, ours_s, out = wall([gg, "analyze", "--json", f"--directory={d}"])
one, one_s, out1 = wall([gg, "analyze", "--json", f"--directory={d}", f"--host={hosts[0]}"])
ms = lambda l: "/".join(f"{x*1000:.0f}" for x in l)
print(f"journalctl -D DIR -o cat > /dev/null:        {ref*1000:.0f} ms (runs {ms(ref_s)})")
print(f"goguardctl analyze --directory=DIR:          {ours*1000:.0f} ms (runs {ms(ours_s)})   ratio {ours/ref:.2f}")
print(f"goguardctl analyze --directory=DIR --host=:  {one*1000:.0f} ms (runs {ms(one_s)})   one host of {len(hosts)}")
findings = json.loads(out)
kills = -(-entries // 10000)
ok = True
by_host = collections.defaultdict(list)
for f in findings:
    by_host[f["host"]].append(f)
for h in hosts:
    fs = by_host.get(h, [])
    count = sum(f["count"] for f in fs)
    merged = sum(1 for f in fs if "goguardd_finding_id" in f["evidence"])
    logged_only = sum(1 for f in fs if f["evidence"].get("reported_by") == "goguardd")
    print(f"  {h}: {len(fs)} findings, {count} kills counted (of {kills}), goguardd's entries merged into {merged}, shown as logged {logged_only}")
    units = min(7, kills)  # oom-0 … oom-6
    ok = ok and len(fs) == units and count == kills and merged == units and logged_only == 0
ok = ok and set(by_host) == set(hosts) and [f["host"] for f in json.loads(out1)] == [hosts[0]] * min(7, kills)
print(f"every kill counted once, on its own host: {'yes' if ok else 'NO'}")
sys.exit(0 if ok else 1)
PY
