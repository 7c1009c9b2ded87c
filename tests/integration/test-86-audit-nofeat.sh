# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
# A build without the security libraries (meson -Daudit=disabled -Dapparmor=disabled
# -Dselinux=disabled) builds, runs and says so in SourceDetails; it still reads the audit
# multicast, and a denial from a Go unit's cgroup is counted once and tied to the unit by its pid
# (each record its own event without libauparse). Run as test-85 runs goguardd: in the initial
# pid namespace on the box's bus and journal.
source "$SRC_DIR/tests/integration/goguard-lib.sh"
require_go_services
[[ -r /usr/include/libaudit.h ]] || skip "libaudit-dev is not installed"
nofeat="$BUILD_DIR/nofeat"
if [[ ! -f $nofeat/build.ninja ]]; then
        meson setup "$nofeat" "$SRC_DIR" -Daudit=disabled -Dapparmor=disabled -Dselinux=disabled \
                -Dtests=disabled --prefix=/usr --sysconfdir=/etc --localstatedir=/var >"$BOX_DIR/nofeat-setup.log"
fi
ninja -C "$nofeat" -j2 daemon/goguardd >"$BOX_DIR/nofeat-build.log"
cc -std=gnu11 -O2 -o "$BUILD_DIR/test-audit-send" "$SRC_DIR/tests/integration/audit-send.c" -laudit

box_exec systemctl stop goguardd.service
unit=${UNIT_PREFIX}denied.service
# The other build's state stays its own: the installed goguardd gets its own back.
box_exec cp -a /var/lib/goguard /var/lib/goguard.before-86
trap 'gg_stop_initns; box_exec systemctl stop "$unit" >/dev/null 2>&1 || true
      box_exec sh -c "rm -rf /var/lib/goguard && mv /var/lib/goguard.before-86 /var/lib/goguard"
      box_exec systemctl start goguardd.service' EXIT
gg_start_initns "$nofeat/daemon/goguardd"
assert_json "$(gg_manager_prop Sources)" '"audit" in d' "audit is live without the libraries"
assert_json "$(gg_manager_prop SourceDetails)" \
        'd == [["audit", "netlink multicast (CAP_AUDIT_READ); built without libauparse (each record its own event) libapparmor libselinux"]]' \
        "and it says what the build lacks"

marker="${UNIT_PREFIX}avc"
text="avc:  denied  { write } for  path=\"/srv/$marker\" scontext=system_u:system_r:${marker//-/_}_t:s0 tcontext=system_u:object_r:var_t:s0 tclass=file permissive=0"
box_exec systemd-run --quiet --unit="$unit" -p "ExecReload=$BUILD_DIR/test-audit-send 1 '$text' 0 3" \
        "$GO_SERVICES_DIR/healthy"
wait_until 10 gg_has_unit "$unit"
box_exec systemctl reload "$unit"
wait_until 15 eval '[ -n "$(gg_finding_of "$unit" selinux-denial)" ]'
f=$(gg_finding "$(gg_finding_of "$unit" selinux-denial)")
assert_json "$f" 'd["Count"] == 1 and d["Evidence"]["attributed_by"] == "pid"' "one denial, tied by its pid"
assert_json "$f" 'd["Evidence"]["denial_permissions"] == "write" and d["Evidence"]["denial_target_type"] == "var_t"' \
        "read without libauparse"
