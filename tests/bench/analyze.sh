#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# goguardctl analyze over a journal of ENTRIES entries (default one million: unit output and
# kernel noise, with a real OOM kill sequence - PID 1 and kernel lines - every 10,000 entries),
# timed (wall and CPU time) next to `journalctl -D DIR -o cat > /dev/null` on the same files in the same run
# (target ratio <= 0.52, the detector issue's), and run twice to check the findings are the same every time.
#   usage: tests/bench/analyze.sh BUILD_DIR [ENTRIES]
set -euo pipefail
build=$(cd "${1:?usage: $0 BUILD_DIR [ENTRIES]}" && pwd)
entries=${2:-1000000}
tmp=$(mktemp -d "$build/bench-analyze.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

python3 - "$entries" "$tmp/noise.export" <<'PY'
import random, sys
n, out = int(sys.argv[1]), sys.argv[2]
random.seed(7)
boot = "9b63a5d875bd43e09cbddf4752cee040"
t0, mono = 1795300000000000, 1000000000
kill_lines = [
    "memhog invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0",
    "memory: usage 40960kB, limit 40960kB, failcnt 63",
    "oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=/system.slice/{u},task_memcg=/system.slice/{u},task=memhog,pid={pid},uid=0",
    "Memory cgroup out of memory: Killed process {pid} (memhog) total-vm:1009160kB, anon-rss:40448kB, file-rss:2752kB, shmem-rss:0kB, UID:0 pgtables:212kB oom_score_adj:0",
]
with open(out, "w") as f:
    i = 0
    def entry(fields):
        global i
        t = t0 + i * 1000
        f.write(f"__REALTIME_TIMESTAMP={t}\n__MONOTONIC_TIMESTAMP={mono + i * 1000}\n_BOOT_ID={boot}\n")
        for k, v in fields:
            f.write(f"{k}={v}\n")
        f.write("\n")
        i += 1
    k = 0
    while i < n:
        if i % 10000 == 0:
            k += 1
            u, inv, pid = f"oom-{k % 7}.service", f"{k:032x}", 100000 + k
            entry([("_PID", "1"), ("_TRANSPORT", "journal"), ("MESSAGE_ID", "39f53479d3a045ac8e11786248231fbf"),
                   ("UNIT", u), ("INVOCATION_ID", inv), ("MESSAGE", f"Started {u}.")])
            for l in kill_lines:
                entry([("_TRANSPORT", "kernel"), ("MESSAGE", l.format(u=u, pid=pid))])
            entry([("_PID", "1"), ("_TRANSPORT", "journal"), ("MESSAGE_ID", "98e322203f7a4ed290d09fe03c09fe15"),
                   ("UNIT", u), ("INVOCATION_ID", inv), ("EXIT_CODE", "killed"), ("EXIT_STATUS", "9"),
                   ("MESSAGE", f"{u}: Main process exited, code=killed, status=9/KILL")])
            continue
        if random.random() < 0.05:
            entry([("_TRANSPORT", "kernel"), ("MESSAGE", f"audit: type=1400 audit({i}.123:{i}): noise line {i}")])
        else:
            u = f"app-{random.randrange(50)}.service"
            entry([("_TRANSPORT", "stdout"), ("_SYSTEMD_UNIT", u), ("_PID", str(2000 + random.randrange(50))),
                   ("_SYSTEMD_INVOCATION_ID", f"{random.randrange(50):032x}"),
                   ("MESSAGE", f"2026/11/22 10:00:00 handled request {i} in {random.randrange(1000)}us status=200")])
PY
# journal-remote rotates its output into several files: both tools read the whole directory.
mkdir "$tmp/journal"
/lib/systemd/systemd-journal-remote -o "$tmp/journal/system.journal" - <"$tmp/noise.export" 2>/dev/null
rm "$tmp/noise.export"
journal=$tmp/journal
echo "journal: $(journalctl -D "$journal" -o cat | wc -l) entries in $(ls "$journal" | wc -l) files, $(du -sh "$journal" | cut -f1)"

python3 - "$build/cli/goguardctl" "$journal" <<'PY'
import hashlib, json, resource, statistics, subprocess, sys, time
gg, journal = sys.argv[1], sys.argv[2]
def cpu():
    u = resource.getrusage(resource.RUSAGE_CHILDREN)
    return u.ru_utime + u.ru_stime
def wall(cmd, runs=3):
    out, samples, cpus = None, [], []
    for _ in range(runs):
        t, c = time.monotonic(), cpu()
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        samples.append(time.monotonic() - t)
        cpus.append(cpu() - c)
        out = p.stdout
    return statistics.median(samples), statistics.median(cpus), out
# Warm the page cache for both.
subprocess.run(["journalctl", "-D", journal, "-o", "cat"], stdout=subprocess.DEVNULL)
ref, ref_cpu, _ = wall(["journalctl", "-D", journal, "-o", "cat"])
ours, ours_cpu, out1 = wall([gg, "analyze", "--json", f"--directory={journal}"])
_, _, out2 = wall([gg, "analyze", "--json", f"--directory={journal}"], runs=1)
findings = json.loads(out1)
# CPU time (user + system) next to the wall time: on a busy machine the wall time says more
# about the other processes than about these two.
print(f"journalctl -D DIR -o cat > /dev/null: {ref*1000:.0f} ms ({ref_cpu*1000:.0f} ms CPU)")
print(f"goguardctl analyze --directory=DIR:   {ours*1000:.0f} ms ({ours_cpu*1000:.0f} ms CPU)   "
      f"ratio {ours/ref:.2f} (CPU {ours_cpu/ref_cpu:.2f}) (target <= 0.52)")
counts = {f'{f["class"]} {f["unit"]}': f["count"] for f in findings}
print(f"findings: {len(findings)}: " + ", ".join(f"{k} x{v}" for k, v in sorted(counts.items())))
same = hashlib.sha256(out1).digest() == hashlib.sha256(out2).digest()
print(f"same findings every run: {'yes' if same else 'NO'}")
sys.exit(0 if same else 1)
PY
