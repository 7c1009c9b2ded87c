#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# goguardctl analyze --audit-log over an audit.log of RECORDS records (default one million: exec
# events of SYSCALL, EXECVE, CWD, PATH, PROCTITLE; PAM USER_ACCT; every 50th event a kernel AVC
# event of AVC, SYSCALL, CWD, PATH, PROCTITLE; every 50th a USER_AVC of PID 1), timed next to
# `ausearch -if FILE -m AVC,USER_AVC` over the same file in the same run (target ratio <= 0.5,
# the denials issue's), with the same number of denials counted (the sum of the findings' counts
# against ausearch's events). Wall-clock and CPU (user+sys) times are both printed: the machine
# may be shared.
#   usage: tests/bench/audit-log.sh BUILD_DIR [RECORDS]
set -euo pipefail
build=$(cd "${1:?usage: $0 BUILD_DIR [RECORDS]}" && pwd)
records=${2:-1000000}
command -v ausearch >/dev/null || { echo "SKIP: ausearch not found (tools/install-deps installs it)"; exit 77; }
[[ -x /usr/bin/time ]] && command -v bc >/dev/null || { echo "SKIP: /usr/bin/time or bc not found"; exit 77; }
tmp=$(mktemp -d "$build/bench-audit-log.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

python3 - "$records" "$tmp/audit.log" <<'PY'
import sys
n, out = int(sys.argv[1]), sys.argv[2]
t, serial, recs = 1795300000.0, 1000, 0
with open(out, "w") as f:
    while recs < n:
        serial += 1
        t += 0.0007
        h = "audit(%d.%03d:%d)" % (int(t), int((t % 1) * 1000), serial)
        k, pid = serial % 50, 2000 + serial % 300
        if k == 0:
            f.write(f'type=AVC msg={h}: avc:  denied  {{ read }} for  pid={pid} comm="api" name="config.yaml" dev="sda1" ino=1234 scontext=system_u:system_r:httpd_t:s0 tcontext=system_u:object_r:var_t:s0 tclass=file permissive=0\n')
            f.write(f'type=SYSCALL msg={h}: arch=c000003e syscall=257 success=no exit=-13 a0=ffffff9c a1=7ffc a2=0 a3=0 items=1 ppid=1 pid={pid} auid=4294967295 uid=998 gid=998 euid=998 suid=998 fsuid=998 egid=998 sgid=998 fsgid=998 tty=(none) ses=4294967295 comm="api" exe="/usr/local/bin/api" subj=system_u:system_r:httpd_t:s0 key=(null)\n')
            f.write(f'type=CWD msg={h}: cwd="/srv/api"\n')
            f.write(f'type=PATH msg={h}: item=0 name="config.yaml" inode=1234 dev=08:01 mode=0100644 ouid=0 ogid=0 rdev=00:00 obj=system_u:object_r:var_t:s0 nametype=NORMAL cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0\n')
            f.write(f'type=PROCTITLE msg={h}: proctitle=2F7573722F6C6F63616C2F62696E2F617069\n')
            recs += 5
        elif k == 25:
            f.write(f"type=USER_AVC msg={h}: pid=1 uid=0 auid=4294967295 ses=4294967295 subj=system_u:system_r:init_t:s0 msg='avc:  denied  {{ status }} for auid=n/a uid=0 gid=0 path=\"/etc/systemd/system/api.service\" cmdline=\"systemctl status api\" scontext=system_u:system_r:unconfined_t:s0 tcontext=system_u:object_r:systemd_unit_file_t:s0 tclass=service permissive=0 exe=\"/usr/lib/systemd/systemd\" sauid=0 hostname=? addr=? terminal=?'\n")
            recs += 1
        elif k % 3 == 0:
            f.write(f"type=USER_ACCT msg={h}: pid={pid} uid=0 auid=4294967295 ses=4294967295 subj=system_u:system_r:crond_t:s0-s0:c0.c1023 msg='op=PAM:accounting grantors=pam_access,pam_unix,pam_localuser acct=\"root\" exe=\"/usr/sbin/crond\" hostname=? addr=? terminal=cron res=success'\n")
            recs += 1
        else:
            f.write(f'type=SYSCALL msg={h}: arch=c000003e syscall=59 success=yes exit=0 a0=55d a1=55e a2=55f a3=0 items=2 ppid=1 pid={pid} auid=0 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=(none) ses=1 comm="ls" exe="/usr/bin/ls" subj=unconfined_u:unconfined_r:unconfined_t:s0 key="exec"\n')
            f.write(f'type=EXECVE msg={h}: argc=2 a0="ls" a1="-l"\n')
            f.write(f'type=CWD msg={h}: cwd="/root"\n')
            f.write(f'type=PATH msg={h}: item=0 name="/usr/bin/ls" inode=2 dev=08:01 mode=0100755 ouid=0 ogid=0 rdev=00:00 obj=system_u:object_r:bin_t:s0 nametype=NORMAL cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0\n')
            f.write(f'type=PROCTITLE msg={h}: proctitle=6C73002D6C\n')
            recs += 5
PY
echo "audit.log: $(wc -l <"$tmp/audit.log") records, $(du -h "$tmp/audit.log" | cut -f1)"

# timed CMD...: runs it with stdout to $tmp/out; prints wall and CPU seconds
timed() {
        local t0 t1
        t0=$(date +%s.%N)
        /usr/bin/time -o "$tmp/time" -f '%U %S' "$@" >"$tmp/out" 2>/dev/null
        t1=$(date +%s.%N)
        echo "$(echo "$t1 - $t0" | bc) $(awk '{ print $1 + $2 }' "$tmp/time")"
}

cat "$tmp/audit.log" >/dev/null # both read it from the page cache
read -r ausearch_wall ausearch_cpu < <(timed ausearch -if "$tmp/audit.log" -m AVC,USER_AVC)
ausearch_events=$(grep -c '^----' "$tmp/out" || true)
read -r analyze_wall analyze_cpu < <(timed "$build/cli/goguardctl" analyze --json --audit-log="$tmp/audit.log")
analyze_denials=$(python3 -c 'import json, sys; print(sum(f["count"] for f in json.load(open(sys.argv[1]))))' "$tmp/out")

printf 'ausearch -m AVC,USER_AVC:    %6.2f s wall, %6.2f s CPU, %d events\n' "$ausearch_wall" "$ausearch_cpu" "$ausearch_events"
printf 'goguardctl analyze --audit-log: %6.2f s wall, %6.2f s CPU, %d denials\n' "$analyze_wall" "$analyze_cpu" "$analyze_denials"
ratio_wall=$(echo "scale=3; $analyze_wall / $ausearch_wall" | bc)
ratio_cpu=$(echo "scale=3; $analyze_cpu / $ausearch_cpu" | bc)
echo "ratio: $ratio_wall (wall), $ratio_cpu (CPU); target <= 0.5"
status=0
[[ $analyze_denials == "$ausearch_events" ]] || { echo "FAIL: $analyze_denials denials, ausearch found $ausearch_events"; status=1; }
(($(echo "$ratio_cpu <= 0.5" | bc))) || { echo "FAIL: CPU ratio $ratio_cpu above 0.5"; status=1; }
exit $status
