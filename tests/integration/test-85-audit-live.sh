# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
# Security denials live: USER_AVC records sent through libaudit (as dbus-daemon and systemd send
# theirs) from inside a real Go unit's cgroup, by its ExecReload=, reach goguardd through the
# kernel's audit multicast and through the journal, are counted once, and are tied to that unit by
# the pid the kernel wrote (attribution rule 1). Audit pids are the initial pid namespace's, which
# the box's own goguardd.service cannot resolve (the box is a pid namespace): for rule 1 the same
# installed goguardd runs on the box's bus and journal from the initial pid namespace, with a /proc
# of that namespace. A healthy Go unit gets no denial finding.
source "$SRC_DIR/tests/integration/goguard-lib.sh"
require_go_services
[[ -r /usr/include/libaudit.h ]] || skip "libaudit-dev is not installed"
cc -std=gnu11 -O2 -o "$BUILD_DIR/test-audit-send" "$SRC_DIR/tests/integration/audit-send.c" -laudit
send="$BUILD_DIR/test-audit-send"

# The installed service: CAP_AUDIT_READ, AF_NETLINK and the host's network, so the multicast.
gg_start
assert_json "$(gg_manager_prop Sources)" '"audit" in d and "journal" in d' "audit is a live source"
assert_json "$(gg_manager_prop SourceDetails)" 'd == [["audit", "netlink multicast (CAP_AUDIT_READ)"]]' \
        "read from the netlink multicast"
assert_eq "audit: netlink multicast (CAP_AUDIT_READ)" \
        "$(box_exec goguardctl status --no-pager | sed -n 's/^ *\(audit: .*\)$/\1/p')" "goguardctl status says so"

# Without CAP_AUDIT_READ (a drop-in takes it away) it says why, and reads the journal's entries.
box_exec mkdir -p /run/systemd/system/goguardd.service.d
box_exec sh -c 'printf "[Service]\nCapabilityBoundingSet=\nCapabilityBoundingSet=CAP_DAC_READ_SEARCH CAP_SYS_PTRACE CAP_SYSLOG\n" \
        >/run/systemd/system/goguardd.service.d/50-no-audit-read.conf'
box_exec systemctl daemon-reload
box_exec systemctl restart goguardd.service
assert_json "$(gg_manager_prop Sources)" '"audit" not in d and "journal" in d' "audit is not live without CAP_AUDIT_READ"
assert_json "$(gg_manager_prop SourceDetails)" \
        'd == [["audit", "no CAP_AUDIT_READ, reading the journal'"'"'s audit entries"]]' "and it says why"
box_exec rm /run/systemd/system/goguardd.service.d/50-no-audit-read.conf
box_exec systemctl daemon-reload

# goguardd in the initial pid namespace, on the box's bus, journal and state: what a host runs.
box_exec systemctl stop goguardd.service
unit=${UNIT_PREFIX}denied.service
ok=${UNIT_PREFIX}healthy.service
trap 'gg_stop_initns; box_exec systemctl stop "$unit" "$ok" >/dev/null 2>&1 || true; box_exec systemctl start goguardd.service' EXIT
gg_start_initns
assert_json "$(gg_manager_prop Sources)" '"audit" in d' "audit is live for it too"

marker="${UNIT_PREFIX}avc"
text="avc:  denied  { read } for  path=\"/srv/$marker/data\" scontext=system_u:system_r:${marker//-/_}_t:s0 tcontext=system_u:object_r:var_t:s0 tclass=file permissive=0"
# The sender is the unit's own process (ExecReload= runs in its cgroup) and lingers, as a
# denied service goes on running.
box_exec systemd-run --quiet --unit="$ok" "$GO_SERVICES_DIR/healthy"
wait_until 10 gg_has_unit "$ok"
box_exec systemd-run --quiet --unit="$unit" -p "ExecReload=$send 1 '$text' 0 3" "$GO_SERVICES_DIR/healthy"
# Sent once goguardd knows the unit is Go (a denial at the very start, before that, waits for
# it: test-88), by ExecReload=, which runs in the unit's cgroup.
wait_until 10 gg_has_unit "$unit"
box_exec systemctl reload "$unit"
wait_until 15 eval '[ -n "$(gg_finding_of "$unit" selinux-denial)" ]'
id=$(gg_finding_of "$unit" selinux-denial)
assert_match '[0-9a-f]{32}' "$id" "one selinux-denial finding for $unit"
# The journal's copy of the record (audit transport), the kernel's pid in it.
rec=$(box_journal -q -o json _TRANSPORT=audit _AUDIT_TYPE=1107 -g "$marker" | head -n1)
assert_match '[0-9]+' "$(json_get "$rec" 'd["_PID"]')" "the journal has the record too"
f=$(gg_finding "$id")
assert_json "$f" 'd["Count"] == 1 and d["Unit"] == "'"$unit"'"' "one record, for the unit"
assert_json "$f" 'd["Evidence"]["attributed_by"] == "pid"' "tied to the unit by its pid at receipt (rule 1)"
assert_eq "$(json_get "$rec" 'd["_PID"]')" "$(json_get "$f" 'd["Evidence"]["denial_pid"]')" \
        "the pid the kernel wrote, of the initial pid namespace"
assert_json "$f" 'd["Evidence"]["denial_record_type"] == "USER_AVC" and d["Evidence"]["denial_permissions"] == "read"' \
        "the record read"
# The journal brings the same record (audit transport, and the kernel's "audit:" line): once
# goguardd has read past it, still one.
rec_us=$(json_get "$rec" 'd["__REALTIME_TIMESTAMP"]')
read_past() {
        local cursor
        cursor=$(box_exec cat /var/lib/goguard/journal.cursor 2>/dev/null) || return 1
        (($(box_journal -q -n 1 -o json --cursor="$cursor" | json_get - 'd["__REALTIME_TIMESTAMP"]') > rec_us))
}
wait_until 10 read_past
assert_json "$(gg_finding "$id")" 'd["Count"] == 1' "counted once, from the multicast and the journal"
assert_eq "" "$(gg_finding_of "$ok" selinux-denial)" "the healthy unit has no denial finding"
