#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Writes a journal in export format for the analyze benchmarks: ENTRIES entries of unit output
and kernel noise, with a real OOM kill sequence (PID 1 and kernel lines) every 10,000 entries.

usage: gen-export.py ENTRIES OUT [--host=NAME] [--seed=N] [--goguardd]

--host gives the entries a _HOSTNAME, a _MACHINE_ID and a boot of their own (tests/bench/fleet.sh);
--goguardd adds, after each unit's first kill, the entry goguardd writes for that finding
(daemon/manager-findings.c log_finding), under the id analyze computes for it.
"""
import hashlib
import os
import random
import sys

KILL_LINES = [
    "memhog invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0",
    "memory: usage 40960kB, limit 40960kB, failcnt 63",
    "oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=/system.slice/{u},task_memcg=/system.slice/{u},task=memhog,pid={pid},uid=0",
    "Memory cgroup out of memory: Killed process {pid} (memhog) total-vm:1009160kB, anon-rss:40448kB, file-rss:2752kB, shmem-rss:0kB, UID:0 pgtables:212kB oom_score_adj:0",
]


# make_id() of lib/finding.c, as the analyze fixtures compute it.
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "journal"))
from journal_export import finding_id  # noqa: E402


def main():
    n, out = int(sys.argv[1]), sys.argv[2]
    opts = dict(a[2:].split("=", 1) if "=" in a else (a[2:], "") for a in sys.argv[3:])
    host = opts.get("host")
    random.seed(int(opts.get("seed", 7)))
    boot = "9b63a5d875bd43e09cbddf4752cee040"
    trusted = ""
    if host:
        boot = hashlib.md5(("boot " + host).encode()).hexdigest()
        machine = hashlib.md5(("machine " + host).encode()).hexdigest()
        trusted = f"_MACHINE_ID={machine}\n_HOSTNAME={host}\n"
    t0, mono = 1795300000000000, 1000000000
    logged = set()
    with open(out, "w") as f:
        i = 0

        def entry(fields):
            nonlocal i
            t = t0 + i * 1000
            f.write(f"__REALTIME_TIMESTAMP={t}\n__MONOTONIC_TIMESTAMP={mono + i * 1000}\n_BOOT_ID={boot}\n{trusted}")
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
                for line in KILL_LINES:
                    entry([("_TRANSPORT", "kernel"), ("MESSAGE", line.format(u=u, pid=pid))])
                entry([("_PID", "1"), ("_TRANSPORT", "journal"), ("MESSAGE_ID", "98e322203f7a4ed290d09fe03c09fe15"),
                       ("UNIT", u), ("INVOCATION_ID", inv), ("EXIT_CODE", "killed"), ("EXIT_STATUS", "9"),
                       ("MESSAGE", f"{u}: Main process exited, code=killed, status=9/KILL")])
                if "goguardd" in opts and u not in logged:
                    logged.add(u)
                    key = f"{boot}/kpid/{pid}"
                    entry([("_PID", "412"), ("_TRANSPORT", "journal"), ("_SYSTEMD_UNIT", "goguardd.service"),
                           ("MESSAGE_ID", "7f5a04130449b86595aa520b9a11e84d"), ("OBJECT_SYSTEMD_UNIT", u),
                           ("OBJECT_SYSTEMD_INVOCATION_ID", inv), ("GOGUARD_FINDING_ID", finding_id("oom-kill", u, key)),
                           ("GOGUARD_CLASS", "oom-kill"), ("GOGUARD_SEVERITY", "critical"), ("GOGUARD_UNIT", u),
                           ("GOGUARD_COUNT", "1"), ("GOGUARD_OCCURRENCE_KEY", key),
                           ("MESSAGE", f"{u} was killed by the kernel OOM killer at its memory limit")])
                continue
            if random.random() < 0.05:
                entry([("_TRANSPORT", "kernel"), ("MESSAGE", f"audit: type=1400 audit({i}.123:{i}): noise line {i}")])
            else:
                u = f"app-{random.randrange(50)}.service"
                entry([("_TRANSPORT", "stdout"), ("_SYSTEMD_UNIT", u), ("_PID", str(2000 + random.randrange(50))),
                       ("_SYSTEMD_INVOCATION_ID", f"{random.randrange(50):032x}"),
                       ("MESSAGE", f"2026/11/22 10:00:00 handled request {i} in {random.randrange(1000)}us status=200")])


if __name__ == "__main__":
    main()
