# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
# Secrets stay with those who may read them: a unit's Environment= and EnvironmentFile= values and
# the -ldflags -X value in its 0700 root-owned binary appear nowhere nobody can read (the bus,
# goguardctl --json, the state files); root's InspectUnitExecutable shows the -X value, and so
# does a caller whose group may read the file.
source "$SRC_DIR/tests/integration/goguard-lib.sh"
require_go_services
gg_start

probe=$SRC_DIR/tests/integration/bus-probe.py
box_exec /usr/bin/python3 -c 'import dbus' 2>/dev/null || skip "python3-dbus is not installed (tools/install-deps)"
build_secret=$(sed -n 's/^GG_BUILD_SECRET=//p' "$SRC_DIR/tests/integration/build-go.sh")
env_secret=gg-env-secret-9d3a61f0
file_secret=gg-envfile-secret-2c84be17
line_secret=gg-line-secret-5e1b77a0
# ... and one the service prints on the very line the correlator matches.
secrets=("$build_secret" "$env_secret" "$file_secret" "$line_secret")

dir=/var/tmp/${UNIT_PREFIX}secret
unit=${UNIT_PREFIX}secret.service
hog=${UNIT_PREFIX}memhog.service
chatty=${UNIT_PREFIX}cfgline.service
trap 'box_exec systemctl stop "$unit" "$hog" "$chatty" >/dev/null 2>&1 || true' EXIT
box_sh 'set -e; umask 077; mkdir -p "$1"; chmod 755 "$1"
        cp "$2/healthy-secret" "$1/svc"; chown root:root "$1/svc"; chmod 700 "$1/svc"
        printf "API_TOKEN=%s\nGOMAXPROCS=2\n" "$3" >"$1/env"' "$dir" "$GO_SERVICES_DIR" "$file_secret"
box_exec systemd-run --quiet --unit="$unit" -E HEALTHY_ADDR=127.0.0.1:0 -E DB_PASSWORD="$env_secret" \
        -p EnvironmentFile="$dir/env" "$dir/svc"
wait_until 5 gg_has_unit "$unit"
wait_until 5 eval '[ "$(json_get "$(gg_unit_props "$unit")" "len(d[\"ProcessEnvironment\"])")" != 0 ]'

# The secrets are there to be found: the unit has them, and the names are on the bus.
props=$(gg_unit_props "$unit")
assert_json "$props" '["DB_PASSWORD", "", True] in d["Environment"]' "Environment= name, value redacted"
assert_json "$props" '["API_TOKEN", "", True] in d["ProcessEnvironment"] and ["GOMAXPROCS", "2", False] in d["ProcessEnvironment"]' \
        "EnvironmentFile= values redacted in the process environment, Go knobs shown"
assert_json "$props" '["-ldflags", "(redacted)"] in d["BuildSettings"] and ["GOOS", "linux"] in d["BuildSettings"]' \
        "BuildSettings: -ldflags redacted, the rest shown"
assert_status 0 box_sh 'grep -qF "$1" /proc/$2/environ' "$env_secret" "$(box_unit_prop "$unit" MainPID)"

# root may read the file: InspectUnitExecutable shows the -X value to root only.
root_inspect=$(box_exec /usr/bin/python3 "$probe" inspect "$unit")
assert_json "$root_inspect" '{"key": "-ldflags", "value": "-X main.buildSecret='"$build_secret"'"} in d["build_settings"]' \
        "root sees -ldflags in full"
nobody_inspect=$(box_exec runuser -u nobody -- /usr/bin/python3 "$probe" inspect "$unit")
assert_json "$nobody_inspect" '{"key": "-ldflags", "value": "(redacted)"} in d["build_settings"]' \
        "nobody sees it redacted"
# The owner may read it (owner bit), and anyone may when the other bit is set. A group member is
# not trusted to be one: the bus does not vouch for a caller's groups (org.goguard.goguard1(5)).
box_exec chown nobody "$dir/svc"
box_exec chmod 500 "$dir/svc"
as_owner=$(box_exec runuser -u nobody -- /usr/bin/python3 "$probe" inspect "$unit")
assert_json "$as_owner" '{"key": "-ldflags", "value": "-X main.buildSecret='"$build_secret"'"} in d["build_settings"]' \
        "the file's owner sees it"
box_exec chmod 050 "$dir/svc"
as_owner=$(box_exec runuser -u nobody -- /usr/bin/python3 "$probe" inspect "$unit")
assert_json "$as_owner" '{"key": "-ldflags", "value": "(redacted)"} in d["build_settings"]' \
        "the owner without the owner read bit does not"
box_exec chown root:adm "$dir/svc"
box_exec chmod 750 "$dir/svc"
gid=$(box_exec getent group adm | cut -d: -f3)
as_adm=$(box_exec setpriv --reuid=nobody --regid=nogroup --groups="$gid" -- /usr/bin/python3 "$probe" inspect "$unit")
assert_json "$as_adm" '{"key": "-ldflags", "value": "(redacted)"} in d["build_settings"]' \
        "a caller in the file's group does not: groups are not trusted"
box_exec chmod 755 "$dir/svc"
as_other=$(box_exec runuser -u nobody -- /usr/bin/python3 "$probe" inspect "$unit")
assert_json "$as_other" '{"key": "-ldflags", "value": "-X main.buildSecret='"$build_secret"'"} in d["build_settings"]' \
        "anyone may read a world-readable file, and sees it"
box_exec chmod 700 "$dir/svc"

# A finding about a unit with the same secrets in its environment, so findings and the state
# file have something to hold.
box_exec systemd-run --quiet --unit="$hog" -p MemoryMax=40M -p MemorySwapMax=0 -E DB_PASSWORD="$env_secret" \
        -p EnvironmentFile="$dir/env" "$GO_SERVICES_DIR/memhog"
wait_until 30 eval '[ -n "$(gg_finding_of "$hog" oom-kill)" ]'
wait_until 5 box_exec test -s /var/lib/goguard/findings.state

# A service that prints its configuration on the line with the Go runtime's message: the finding
# keeps the runtime's message alone.
box_sh 'set -e; printf "#!/bin/sh\n(sleep 2; echo \"cfg db_password=%s api_token=tok-%s fatal error: runtime: out of memory after=%s\") &\nexec %s/healthy \"\$@\"\n" \
        "$1" "$1" "$1" "$3" >"$2/cfgline.sh"; chmod 755 "$2/cfgline.sh"' "$line_secret" "$dir" "$GO_SERVICES_DIR"
box_exec systemd-run --quiet --unit="$chatty" -E HEALTHY_ADDR=127.0.0.1:0 "$dir/cfgline.sh"
wait_until 15 eval '[ -n "$(gg_finding_of "$chatty" go-runtime-oom)" ]'
assert_status 0 box_sh 'journalctl -q -u "$1" -o cat | grep -qF "db_password=$2"' "$chatty" "$line_secret"
assert_json "$(gg_finding "$(gg_finding_of "$chatty" go-runtime-oom)")" \
        'd["Evidence"]["go_message"] == "fatal error: runtime: out of memory"' "the finding keeps the runtime's message alone"

# Everything nobody can read: every property of every object, every method reply.
everything=$(box_exec runuser -u nobody -- /usr/bin/python3 "$probe" collect)
assert_json "$everything" '"'"$unit"'" in d["units"] and d["units"]["'"$unit"'"]["GetAll"]["Executable"] == "'"$dir/svc"'"' \
        "the collection covers the unit"
box_exec runuser -u nobody -- goguardctl status --json >"$BOX_DIR/secrets-ctl.json"
box_exec runuser -u nobody -- goguardctl show --json "$unit" >>"$BOX_DIR/secrets-ctl.json"
box_exec runuser -u nobody -- goguardctl show "$unit" >>"$BOX_DIR/secrets-ctl.json"
box_exec runuser -u nobody -- goguardctl findings --json >>"$BOX_DIR/secrets-ctl.json"
for id in $(json_get "$everything" '" ".join(d["GetFinding"])'); do
        box_exec runuser -u nobody -- goguardctl explain --json "$id" >>"$BOX_DIR/secrets-ctl.json"
done
# The state files: nobody cannot read them (or, if it could, they hold no secret).
box_sh 'for f in /var/lib/goguard/*; do [ -f "$f" ] || continue
                runuser -u nobody -- cat "$f" 2>/dev/null || true; done' >"$BOX_DIR/secrets-state.txt"
assert_eq "" "$(cat "$BOX_DIR/secrets-state.txt")" "nobody reads no state file"
assert_eq "root 600" "$(box_exec stat -c '%U %a' /var/lib/goguard/findings.state)" "findings.state is root's, 0600"
for s in "${secrets[@]}"; do
        assert_status 1 grep -qF "$s" <<<"$everything"
        assert_status 1 grep -qF "$s" "$BOX_DIR/secrets-ctl.json"
        assert_status 1 grep -qF "$s" "$BOX_DIR/secrets-state.txt"
done
# ... while root's view of the state files holds no environment value either.
for s in "$env_secret" "$file_secret"; do
        assert_status 1 box_sh 'grep -rqF "$1" /var/lib/goguard/' "$s"
done
