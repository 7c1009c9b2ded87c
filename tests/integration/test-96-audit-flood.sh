# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
# A flood of denials live: 3,000 USER_AVC records in 3 s from a Go unit's cgroup reach goguardd
# twice, through the audit multicast and through the journal (journald reads the same multicast).
# Each is counted once and every one for the unit: the multicast's copy, tied to the unit by its
# pid, is read before the journal's (without that, a flood lost ~0.5% of its records to the
# journal's copy, which has no unit). goguardd runs in the initial pid namespace, as on a host
# (test-85 says why). Records the kernel itself lost would make an exact count impossible: the
# test says so and fails.
source "$SRC_DIR/tests/integration/goguard-lib.sh"
require_go_services
[[ -r /usr/include/libaudit.h ]] || skip "libaudit-dev is not installed"
cc -std=gnu11 -O2 -o "$BUILD_DIR/test-audit-send" "$SRC_DIR/tests/integration/audit-send.c" -laudit
send="$BUILD_DIR/test-audit-send"
n=3000
unit=${UNIT_PREFIX}flood.service
marker=${UNIT_PREFIX//-/_}flood_t
trap 'gg_stop_initns; box_exec systemctl stop "$unit" >/dev/null 2>&1 || true; box_exec systemctl start goguardd.service' EXIT
gg_start_initns

# The kernel's count of records lost (audit_status.lost of AUDIT_GET, what `auditctl -s` says).
kernel_lost() {
        /usr/bin/python3 -c 'import socket, struct
s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 9)
s.send(struct.pack("=LHHLL", 16, 1000, 1, 1, 0))
d = s.recv(8192)
print(struct.unpack("=7L", d[16:44])[6])'
}
lost0=$(kernel_lost)
text="avc:  denied  { write } for  path=\"/srv/$marker/data\" ino=%n scontext=system_u:system_r:$marker:s0 tcontext=system_u:object_r:var_t:s0 tclass=file permissive=0"
box_exec systemd-run --quiet --unit="$unit" -p "ExecReload=$send $n '$text' 1000 2" "$GO_SERVICES_DIR/healthy"
wait_until 10 gg_has_unit "$unit"
box_exec systemctl reload --no-block "$unit"
# flood_counts: "COUNT_FOR_THE_UNIT OTHERS" over the findings of the flood's source type
flood_counts() {
        gg_call ListFindings 'a{sv}uu' 1 class s selinux-denial 0 0 | json_get - \
                '" ".join(str(sum(r[8] for r in d["data"][0] if "'"$marker"'" in r[5] and (r[1] == "'"$unit"'") == mine)) for mine in (True, False))'
}
done_counting() { [[ $(flood_counts) == "$n 0" ]]; }
wait_until 30 done_counting || true
counts=$(flood_counts)
assert_eq 0 $(($(kernel_lost) - lost0)) "the kernel lost no audit record during the flood"
assert_eq "$n 0" "$counts" "all $n records counted once, each for the unit (counts: for the unit, for no unit or another)"
id=$(gg_finding_of "$unit" selinux-denial)
assert_match '[0-9a-f]{32}' "$id" "one finding for the unit: all records are one group"
assert_json "$(gg_finding "$id")" 'd["Evidence"]["attributed_by"] == "pid"' "tied by the pid at receipt"
