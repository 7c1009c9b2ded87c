#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# A flood of security denials in the sandboxed systemd: COUNT USER_AVC records (default 10,000)
# sent through libaudit within SECONDS seconds (default 10) from one Go unit's cgroup (its
# ExecReload=). goguardd runs as the host would run it, in the initial pid namespace on the
# box's bus and journal (tests/integration/test-85 says why), reading the audit multicast and
# the journal. Reports whether it keeps up (how long after the last record its finding has the
# full count), its CPU time and RSS over the flood, the one finding's count next to the number
# sent and how many went to no unit, and journald's CPU for the same records in the same run; and
# what no reader could have: the records the kernel lost (audit_status.lost, as `auditctl -s`
# says) and those dropped at goguardd's multicast socket (/proc/net/netlink).
#   usage: tests/bench/audit-flood.sh BUILD_DIR [COUNT] [SECONDS]
set -euo pipefail
build=$(cd "${1:?usage: $0 BUILD_DIR [COUNT] [SECONDS]}" && pwd)
count=${2:-10000}
seconds=${3:-10}
src=$(cd "$(dirname "$0")/../.." && pwd)
trap 'echo "audit-flood: failed at line $LINENO: $BASH_COMMAND" >&2' ERR
source "$src/tests/integration/box.sh"
"$src/tests/integration/build-go.sh" "$build/integration-go" >/dev/null
cc -std=gnu11 -O2 -o "$build/bench-audit-send" "$src/tests/integration/audit-send.c" -laudit
export BOX_DIR=$(mktemp -d "$build/bench-box.XXXXXX")
gg_pid=
trap '[[ -n $gg_pid ]] && kill "$gg_pid" 2>/dev/null; box_shutdown; rm -rf "$BOX_DIR"' EXIT
box_boot >/dev/null
box_install "$build" >/dev/null
box_exec systemctl stop goguardd.service
# goguardd's own process, in the initial pid namespace with a /proc of it.
nsenter -t "$BOX_PID" -m -- env -i "${BOX_ENV[@]}" unshare -m --propagation private \
        sh -c 'mount -t proc proc /proc && exec /usr/libexec/goguardd' >"$BOX_DIR/goguardd.log" 2>&1 &
gg_pid=$!
for _ in $(seq 100); do
        box_exec busctl status org.goguard.goguard1 >/dev/null 2>&1 && break
        sleep 0.1
done

cpu() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
# The kernel's count of audit records lost (backlog full, rate limit): AUDIT_GET's audit_status.
kernel_lost() {
        /usr/bin/python3 -c 'import socket, struct
s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 9)
s.send(struct.pack("=LHHLL", 16, 1000, 1, 1, 0))
d = s.recv(8192)
print(struct.unpack("=7L", d[16:44])[6] if struct.unpack("=H", d[4:6])[0] == 1000 else 0)'
}
# Drops at goguardd's audit netlink sockets (the Drops column of /proc/net/netlink, by inode).
socket_drops() {
        local inodes
        inodes=$(find "/proc/$1/fd" -lname 'socket:*' -printf '%l\n' 2>/dev/null | tr -dc '0-9\n')
        awk -v inodes="$inodes" 'BEGIN { n = split(inodes, a, "\n"); for (i = 1; i <= n; i++) want[a[i]] = 1 }
                $2 == 9 && ($10 in want) { d += $9 } END { print d + 0 }' /proc/net/netlink
}
rss() { awk '/^VmRSS/ { print $2 }' "/proc/$1/status"; }
# journald's pid as the host sees it (the box's is of its own namespace).
jbox=$(box_exec systemctl show -P MainPID systemd-journald.service)
# (grep fails on the processes that end while it reads, and other namespaces have a process of
# that pid too: neither status says anything here.)
jpid=$({ grep -l "^NSpid:.*[[:space:]]$jbox\$" /proc/[0-9]*/status 2>/dev/null || true; } |
        while read -r s; do p=${s#/proc/}; p=${p%/status}; if [[ $(cat "/proc/$p/comm" 2>/dev/null) == systemd-journal ]]; then echo "$p"; fi; done | head -n1)
[[ -n $jpid ]] || { echo "journald's pid not found" >&2; exit 1; }
g0=$(cpu "$gg_pid") j0=$(cpu "$jpid") r0=$(rss "$gg_pid") k0=$(kernel_lost)
unit=bench-denied-$$.service
# The source type is this run's own: the kernel's log keeps the rate-limited printk copies of an
# earlier run's records (about 20 a flood), which the box's journald reads at boot and goguardd
# counts with no unit (their process is gone): other records, not this flood's.
stype=bench_$$_t
text="avc:  denied  { write } for  path=\"/srv/bench/data\" ino=%n scontext=system_u:system_r:$stype:s0 tcontext=system_u:object_r:var_t:s0 tclass=file permissive=0"
rate=$((count / seconds))
box_exec systemd-run --quiet --unit="$unit" \
        -p "ExecReload=$build/bench-audit-send $count '$text' $rate 2" "$build/integration-go/healthy"
# Sent by ExecReload= (in the unit's cgroup) once goguardd knows the unit is Go.
for _ in $(seq 100); do
        box_exec busctl call org.goguard.goguard1 /org/goguard/goguard1 org.goguard.goguard1.Manager \
                GetUnit s "$unit" >/dev/null 2>&1 && break
        sleep 0.1
done
t0=$(date +%s%N)
box_exec systemctl reload --no-block "$unit"
sleep 0.2

finding() {
        box_exec busctl --json=short call org.goguard.goguard1 /org/goguard/goguard1 \
                org.goguard.goguard1.Manager ListFindings 'a{sv}uu' 2 unit s "$unit" class s selinux-denial 0 0 |
                python3 -c 'import json,sys; r=json.load(sys.stdin)["data"][0]; print(r[0][0] if r else "")'
}
count_of() {
        box_exec busctl --json=short call org.goguard.goguard1 /org/goguard/goguard1 \
                org.goguard.goguard1.Manager GetFinding s "$1" |
                python3 -c 'import json,sys; print(json.load(sys.stdin)["data"][0]["Count"]["data"])'
}
peak=$r0 id= n=0 sent_end=0 done_at=0
deadline=$(($(date +%s) + seconds + 60))
while (($(date +%s) < deadline)); do
        r=$(rss "$gg_pid")
        ((r > peak)) && peak=$r
        [[ -z $id ]] && id=$(finding)
        [[ -n $id ]] && n=$(count_of "$id")
        if ((sent_end == 0)) && [[ $(box_exec systemctl show -P ActiveState "$unit") == active ]]; then
                sent_end=$(date +%s%N) # ExecReload= done: the last record went out (2 s linger)
                sent_end=$((sent_end - 2000000000))
        fi
        # The count may be full before ExecReload= ends (its sender lingers 2 s): the lag needs both.
        if ((n >= count && done_at == 0)); then
                done_at=$(date +%s%N)
        fi
        ((done_at != 0 && sent_end != 0)) && break
        sleep 0.1
done
sleep 1
g1=$(cpu "$gg_pid") j1=$(cpu "$jpid") r1=$(rss "$gg_pid")
[[ -n $id ]] && n=$(count_of "$id")
findings=$(box_exec busctl --json=short call org.goguard.goguard1 /org/goguard/goguard1 \
        org.goguard.goguard1.Manager ListFindings 'a{sv}uu' 1 unit s "$unit" 0 0 |
        python3 -c 'import json,sys; print(len(json.load(sys.stdin)["data"][0]))')
# The flood's records counted without the unit (no unit at receipt: $stype is only the flood's).
unattributed=$(box_exec busctl --json=short call org.goguard.goguard1 /org/goguard/goguard1 \
        org.goguard.goguard1.Manager ListFindings 'a{sv}uu' 1 class s selinux-denial 0 1000 |
        python3 -c 'import json,sys,os; u=sys.argv[1]; print(sum(r[8] for r in json.load(sys.stdin)["data"][0] if r[1] != u and sys.argv[2] in r[5]))' "$unit" "$stype")
lost=$(grep -c 'lost from the multicast' "$BOX_DIR/goguardd.log" || true)
klost=$(($(kernel_lost) - k0)) drops=$(socket_drops "$gg_pid")
box_exec systemctl stop "$unit" >/dev/null 2>&1 || true
hz=$(getconf CLK_TCK)
python3 - "$count" "$seconds" "$n" "$findings" "$t0" "$sent_end" "$done_at" "$g0" "$g1" "$j0" "$j1" "$hz" \
        "$r0" "$r1" "$peak" "$lost" "$unattributed" "$klost" "$drops" <<'PY'
import sys
count, secs, n, findings, t0, sent, done, g0, g1, j0, j1, hz, r0, r1, peak, lost, unattributed, klost, drops = map(int, sys.argv[1:])
g, j = (g1 - g0) * 1000 / hz, (j1 - j0) * 1000 / hz
print(f"flood: {count} USER_AVC records from one unit, paced over {secs} s"
      + (f" (sent in {(sent - t0)/1e9:.1f} s)" if sent else ""))
print(f"findings for the unit: {findings}; the selinux-denial finding's count: {n} of {count} sent; "
      f"counted for no unit or another: {unattributed}")
if done and sent:
    print(f"lag at the end: the count reached {count} {max(0, done - sent)/1e6:.0f} ms after the last record was sent"
          + (" (it was full when the bench saw the sender done: polled every 0.1 s)" if done < sent else ""))
else:
    print("lag at the end: the count did not reach the number sent within 60 s after the flood")
print(f"goguardd CPU: {g:.0f} ms ({g/count*1000:.0f} us a record); journald for the same records: {j:.0f} ms; "
      f"ratio {g/max(j,1):.2f}")
print(f"goguardd RSS: {r0/1024:.1f} MiB before, {r1/1024:.1f} MiB after, peak {peak/1024:.1f} MiB")
print(f"multicast buffer overflows logged: {lost}; dropped at goguardd's socket: {drops}; "
      f"lost by the kernel during the flood: {klost}")
PY
