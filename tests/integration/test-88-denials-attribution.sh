# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
# Security denials tied to their unit where the unit is not the sender, or not yet known as Go:
# - rule 5: PID 1's denial binding a real .socket unit's port (a replayed kernel AVC, which this
#   host cannot make) goes to the Go service the socket starts, whose Listen goguardd read when
#   the socket started; and, for another socket loaded later, PID 1's denial of its very first
#   bind, read before goguardd knows the socket's Listen: it waits for them;
# - rule 1 for a system bus daemon's USER_AVC: its spid= is a pid of the bus daemon's own pid
#   namespace (the box's here), resolved there by the box's goguardd and by one running in the
#   initial pid namespace (as on a host, with the bus daemon in a container);
# - a denial a unit sends at its start, before goguardd knows it runs Go, is tied to it once it
#   does (rule 1, the pid at receipt).
source "$SRC_DIR/tests/integration/goguard-lib.sh"
require_go_services
[[ -r /usr/include/libaudit.h ]] || skip "libaudit-dev is not installed"
cc -std=gnu11 -O2 -o "$BUILD_DIR/test-audit-send" "$SRC_DIR/tests/integration/audit-send.c" -laudit
send="$BUILD_DIR/test-audit-send"
tag=${UNIT_PREFIX%-}
# A sender whose executable is named as the system bus daemon's (exe= is what says so).
fakebus="$BUILD_DIR/$tag-bus/dbus-daemon"
mkdir -p "${fakebus%/*}"
cp "$send" "$fakebus"
sock=${UNIT_PREFIX}listen.socket
svc=${UNIT_PREFIX}listen.service
sock2=${UNIT_PREFIX}first.socket
svc2=${UNIT_PREFIX}first.service
peer=${UNIT_PREFIX}peer.service
early=${UNIT_PREFIX}early.service
app="$BUILD_DIR/$tag-app"
dir=/var/log/journal/$(box_exec cat /etc/machine-id)
box_exec test -d "$dir" || dir=/run/log/journal/${dir##*/}
trap 'gg_stop_initns; box_exec systemctl stop "$sock" "$svc" "$sock2" "$svc2" "$peer" "$early" >/dev/null 2>&1 || true
      box_exec rm -f "/run/systemd/system/$sock" "/run/systemd/system/$svc" "/run/systemd/system/$sock2" \
              "/run/systemd/system/$svc2" "$dir/system@$tag.journal" "$dir/system@$tag-2.journal"
      box_exec systemctl daemon-reload; box_exec systemctl start goguardd.service
      rm -rf "${fakebus%/*}" "$app"' EXIT
gg_start

# --- rule 5: a .socket unit and its Go service, loaded after goguardd started; the socket starts.
port=$((20000 + RANDOM % 20000))
box_exec sh -c "printf '[Socket]\nListenStream=127.0.0.1:%s\n' $port >/run/systemd/system/$sock"
box_exec sh -c "printf '[Service]\nExecStart=%s\n' '$GO_SERVICES_DIR/healthy' >/run/systemd/system/$svc"
box_exec systemctl daemon-reload
box_exec systemctl start "$sock"
# The socket's start makes goguardd read the service it starts: Go, not running.
wait_until 10 gg_has_unit "$svc"
assert_eq inactive "$(box_unit_prop "$svc" ActiveState)" "the service waits for its socket"
sleep 1 # its unit properties and the socket's Listen follow the service's
# PID 1 refused to bind the port (as a policy without the port's type would): the kernel AVC as
# journald stores it, and its printk copy, after what goguardd has read.
boot=$(box_exec cat /proc/sys/kernel/random/boot_id | tr -d -)
machine=$(box_exec cat /etc/machine-id)
# pid1_bind_denied PORT FILE: the kernel AVC of PID 1 refused to bind PORT, and its printk copy,
# written as journald would into the journal file FILE.
pid1_bind_denied() {
        local now mono serial sec ms body
        now=$(box_exec date +%s%6N)
        mono=$(box_exec awk '{ printf "%.0f", $1 * 1000000 }' /proc/uptime)
        serial=$((700000 + RANDOM))
        sec=$((now / 1000000)) ms=$(((now / 1000) % 1000))
        body="avc:  denied  { name_bind } for  pid=1 comm=\"systemd\" src=$1 scontext=system_u:system_r:init_t:s0 tcontext=system_u:object_r:unreserved_port_t:s0 tclass=tcp_socket permissive=0"
        {
                printf '__REALTIME_TIMESTAMP=%s\n__MONOTONIC_TIMESTAMP=%s\n_BOOT_ID=%s\n_MACHINE_ID=%s\n' \
                        $((now + 100000)) $((mono + 100000)) "$boot" "$machine"
                printf '%s\n' _TRANSPORT=audit SYSLOG_FACILITY=4 SYSLOG_IDENTIFIER=audit _AUDIT_TYPE=1400 \
                        _AUDIT_TYPE_NAME=AVC "_AUDIT_ID=$serial" "_SOURCE_REALTIME_TIMESTAMP=$((sec * 1000000 + ms * 1000))" \
                        "MESSAGE=AVC $body" _PID=1 _COMM=systemd _HOSTNAME=goguard-box ''
                printf '__REALTIME_TIMESTAMP=%s\n__MONOTONIC_TIMESTAMP=%s\n_BOOT_ID=%s\n_MACHINE_ID=%s\n' \
                        $((now + 100100)) $((mono + 100100)) "$boot" "$machine"
                printf '%s\n' _TRANSPORT=kernel SYSLOG_FACILITY=0 SYSLOG_IDENTIFIER=kernel PRIORITY=5 \
                        "MESSAGE=audit: type=1400 audit($sec.$(printf %03d $ms):$serial): $body" \
                        "_SOURCE_MONOTONIC_TIMESTAMP=$mono" _HOSTNAME=goguard-box ''
        } >"$BOX_DIR/$tag.export"
        box_exec /lib/systemd/systemd-journal-remote -o "$2" - <"$BOX_DIR/$tag.export"
}
pid1_bind_denied "$port" "$dir/system@$tag.journal"
wait_until 15 eval '[ -n "$(gg_finding_of "$svc" selinux-denial)" ]'
f=$(gg_finding "$(gg_finding_of "$svc" selinux-denial)")
assert_json "$f" 'd["Unit"] == "'"$svc"'" and d["Count"] == 1' "PID 1's denial is the Go service's, counted once"
assert_json "$f" 'd["Evidence"]["attributed_by"] == "socket"' "tied by the socket's port (rule 5)"
assert_json "$f" 'd["Evidence"]["denial_target"] == "'"$port"'" and d["Evidence"]["denial_permissions"] == "name_bind"' \
        "the port PID 1 could not bind"

# --- rule 5, the first bind of a socket loaded later: PID 1's denial comes before goguardd has
# read the socket's Listen (here before the socket unit exists at all). It waits for a unit whose
# settings name the port (at most 30 s), instead of being counted with no unit.
port2=$((port + 1))
pid1_bind_denied "$port2" "$dir/system@$tag-2.journal"
names_port2() { gg_call ListFindings 'a{sv}uu' 1 class s selinux-denial 0 0 | grep -qF "{ name_bind } on $port2 (tcp_socket)"; }
# read and waiting (libauparse hands a kernel AVC on 2-3 s after its last record, decided 1 s
# behind the journal): no finding yet, none with no unit
sleep 5
assert_status 1 names_port2
box_exec sh -c "printf '[Socket]\nListenStream=127.0.0.1:%s\n' $port2 >/run/systemd/system/$sock2"
box_exec sh -c "printf '[Service]\nExecStart=%s\n' '$GO_SERVICES_DIR/healthy' >/run/systemd/system/$svc2"
box_exec systemctl daemon-reload
box_exec systemctl start "$sock2"
wait_until 10 eval '[ -n "$(gg_finding_of "$svc2" selinux-denial)" ]'
f=$(gg_finding "$(gg_finding_of "$svc2" selinux-denial)")
assert_json "$f" 'd["Unit"] == "'"$svc2"'" and d["Count"] == 1 and d["Evidence"]["attributed_by"] == "socket"' \
        "the first bind's denial waited for the socket's Listen and is the Go service's"
assert_json "$f" 'd["Evidence"]["denial_target"] == "'"$port2"'"' "the port of the later socket"
assert_eq "$svc2" "$(gg_call ListFindings 'a{sv}uu' 1 class s selinux-denial 0 0 |
        json_get - '",".join(r[1] for r in d["data"][0] if "{ name_bind } on '"$port2"' (" in r[5])')" \
        "counted once, for the service alone"

# --- rule 1 for the bus daemon's pids: its spid= is the box's pid of a Go unit's process.
box_exec systemd-run --quiet --unit="$peer" "$GO_SERVICES_DIR/healthy"
wait_until 10 gg_has_unit "$peer"
mainpid=$(box_unit_prop "$peer" MainPID)
busavc() { # MARKER: the bus daemon's refusal of a message from the peer's main process to PID 1
        printf '%s' "avc:  denied  { send_msg } for msgtype=method_call interface=org.example.$1 member=Get dest=:1.1 spid=$mainpid tpid=1 scontext=system_u:system_r:${1//-/_}_t:s0 tcontext=system_u:system_r:init_t:s0 tclass=dbus"
}
box_exec "$fakebus" 1 "$(busavc "${tag}a")" 0 2
wait_until 15 eval '[ -n "$(gg_finding_of "$peer" selinux-denial)" ]'
f=$(gg_finding "$(gg_finding_of "$peer" selinux-denial)")
assert_json "$f" 'd["Evidence"]["attributed_by"] == "dbus-peer" and d["Evidence"]["denial_target"] == "org.example.'"${tag}a"'.Get"' \
        "the box's goguardd ties the bus daemon's spid= (a box pid) to the sender's unit"

# goguardd in the initial pid namespace (as on a host), the bus daemon in the box's: its spid= is
# read through the bus daemon's own /proc.
box_exec systemctl stop goguardd.service
gg_start_initns
box_exec "$fakebus" 1 "$(busavc "${tag}b")" 0 2
got_b() { gg_call ListFindings 'a{sv}uu' 1 unit s "$peer" 0 0 | grep -qF "org.example.${tag}b"; }
wait_until 15 got_b
id=$(gg_call ListFindings 'a{sv}uu' 1 unit s "$peer" 0 0 |
        json_get - '[r[0] for r in d["data"][0] if "'"${tag}b"'" in r[5]][0]')
assert_json "$(gg_finding "$id")" 'd["Evidence"]["attributed_by"] == "dbus-peer" and d["Unit"] == "'"$peer"'"' \
        "goguardd of the initial pid namespace ties it to the same unit"

# --- a denial at a unit's start, before goguardd knows it runs Go. Its ExecStart= is at first not
# Go (goguardd reads it so while ExecStartPre= waits), then the denial is sent from the unit's
# cgroup, then the Go program takes the executable's place and starts.
cp /bin/sleep "$app"
text="avc:  denied  { read } for  path=\"/srv/$tag/early\" scontext=system_u:system_r:${tag//-/_}_t:s0 tcontext=system_u:object_r:var_t:s0 tclass=file permissive=0"
box_exec systemd-run --quiet --no-block --unit="$early" -p "ExecStartPre=/bin/sleep 2" \
        -p "ExecStartPre=$send 1 '$text' 0 1" \
        -p "ExecStartPre=/bin/sh -c 'cp $GO_SERVICES_DIR/healthy $app.new && mv -f $app.new $app'" "$app"
sleep 1
assert_status 1 gg_has_unit "$early" # while the first ExecStartPre= runs: not Go to goguardd
wait_until 15 gg_has_unit "$early"
wait_until 10 eval '[ -n "$(gg_finding_of "$early" selinux-denial)" ]'
f=$(gg_finding "$(gg_finding_of "$early" selinux-denial)")
assert_json "$f" 'd["Unit"] == "'"$early"'" and d["Count"] == 1 and d["Evidence"]["attributed_by"] == "pid"' \
        "the denial sent before the unit was known as Go is tied to it by its pid at receipt"
assert_json "$f" 'd["Evidence"]["denial_target"] == "/srv/'"$tag"'/early" and d["Evidence"]["denial_exe"] == "'"$send"'"' \
        "the record its ExecStartPre= sent"
