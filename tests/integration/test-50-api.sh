# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
# The API's rules: reads open to every local user, bad input gets named errors and changes
# nothing, Rescan needs polkit authorization, unit objects match the contract.
source "$SRC_DIR/tests/integration/goguard-lib.sh"
require_go_services
gg_start

unit=${UNIT_PREFIX}api.service
trap 'box_exec systemctl stop "$unit" >/dev/null 2>&1 || true' EXIT
box_exec systemd-run --quiet --unit="$unit" -E HEALTHY_ADDR=127.0.0.1:0 "$GO_SERVICES_DIR/healthy"
wait_until 1 gg_has_unit "$unit"
path=$(gg_unit_path "$unit")
assert_eq "/org/goguard/goguard1/unit/$(sed 's/-/_2d/g; s/\./_2e/g' <<<"$unit")" "$path" \
        "the object path is the sd_bus_path_encode()d unit name"

# Unit objects match the contract.
box_exec busctl introspect --xml-interface "$GG_DEST" "$path" >"$BOX_DIR/unit.xml"
assert_status 0 python3 "$SRC_DIR/tests/integration/check-introspection.py" \
        "$SRC_DIR/dbus/org.goguard.goguard1.xml" "$BOX_DIR/unit.xml" org.goguard.goguard1.Unit

# Bad input: named errors.
units_before=$(gg_call ListGoUnits)
assert_eq org.goguard.goguard1.Error.InvalidUnitName "$(gg_error_name GetUnit string:)" "empty name"
assert_eq org.goguard.goguard1.Error.InvalidUnitName "$(gg_error_name GetUnit string:foo)" "no unit type"
assert_eq org.goguard.goguard1.Error.InvalidUnitName "$(gg_error_name GetUnit string:a/b.service)" "a slash"
assert_eq org.goguard.goguard1.Error.InvalidUnitName "$(gg_error_name GetUnit string:"$(printf 'x%.0s' {1..300}).service")" \
        "300 characters"
assert_eq org.goguard.goguard1.Error.InvalidUnitName \
        "$(gg_error_name GetUnit string:"$(head -c 100000 /dev/zero | tr '\0' 'y').service")" "100 kB"
assert_eq org.goguard.goguard1.Error.InvalidUnitName "$(gg_error_name InspectUnitExecutable string:../x.service)" \
        "InspectUnitExecutable validates too"
assert_eq org.goguard.goguard1.Error.NoSuchUnit "$(gg_error_name GetUnit string:no-such-unit-here.service)" \
        "a valid name that is not watched"
assert_eq org.goguard.goguard1.Error.NoSuchUnit "$(gg_error_name GetUnit string:dbus.service)" \
        "a watched unit that is not Go"
assert_eq org.freedesktop.DBus.Error.InvalidArgs "$(gg_error_name GetUnit int32:5)" "a wrong signature"
assert_eq org.freedesktop.DBus.Error.UnknownMethod "$(gg_error_name NoSuchMethod)" "an unknown method"
assert_eq "$units_before" "$(gg_call ListGoUnits)" "bad calls changed nothing"
assert_eq active "$(box_unit_prop goguardd.service ActiveState)" "goguardd is still running"

# Reads are open to an unprivileged user.
assert_status 0 box_exec runuser -u nobody -- busctl call "$GG_DEST" "$GG_PATH" "$GG_MANAGER" ListGoUnits
assert_status 0 box_exec runuser -u nobody -- busctl get-property "$GG_DEST" "$path" "$GG_UNIT" GoVersion
# ... but Rescan needs polkit's yes, which nobody does not get.
out=$(box_exec runuser -u nobody -- dbus-send --system --print-reply --dest="$GG_DEST" "$GG_PATH" \
        "$GG_MANAGER.Rescan" 2>&1 || true)
assert_match 'Error org\.goguard\.goguard1\.Error\.AccessDenied:.*' "$(head -n1 <<<"$out")" \
        "an unprivileged Rescan is refused"
assert_eq none "$(gg_error_name Rescan)" "root may Rescan"
wait_until 2 gg_has_unit "$unit"
assert_status 0 gg_has_unit "$unit"

# Nobody but root may own the name.
out=$(box_exec runuser -u nobody -- busctl call org.freedesktop.DBus /org/freedesktop/DBus \
        org.freedesktop.DBus RequestName su org.goguard.goguard1 4 2>&1 || true)
assert_match '.*(not allowed|Access denied|AccessDenied).*' "$out" "an unprivileged user cannot own the name"
