# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
# The environment family and runs-as-root end to end: real Go programs under real unit settings.
# goguardd finds the conditions from the unit's settings, environment, binary and root before
# the program says anything (a CPU quota, a memory limit, an unsafe PATH, TZ, SSL_CERT_FILE, the
# go tool), confirms them from Go's own messages ($HOME, x509, time zones, os/user), and resolves
# them when the configuration is fixed (EnvironmentFile= contents changed and the unit started
# again): resolved_by=configuration-fixed. A healthy unit gets none; no finding holds a secret.
source "$SRC_DIR/tests/integration/goguard-lib.sh"
require_go_services
gg_start

P=$UNIT_PREFIX
quota=${P}quota.service
mem=${P}memlimit.service
path=${P}path.service
home=${P}nohome.service
tz=${P}tz.service
tls=${P}tls.service
nss=${P}nss.service
gotool=${P}gotool.service
root=${P}root.service
ok=${P}healthy.service
units=("$quota" "$mem" "$path" "$home" "$tz" "$tls" "$nss" "$gotool" "$root" "$ok")
secret=gg-env-secret-0c55e1a9
trap 'box_exec systemctl stop "${units[@]}" >/dev/null 2>&1 || true' EXIT

# finding UNIT CLASS: waits for the unit's one open finding of the class and prints it.
finding() {
        local env_unit=$1 env_class=$2
        wait_until 20 eval '[ -n "$(gg_finding_of "$env_unit" "$env_class")" ]' || return 1
        gg_finding "$(gg_finding_of "$1" "$2")"
}
# evidence_is UNIT CLASS KEY VALUE: waits for the finding's evidence KEY to be VALUE.
evidence_is() {
        local env_unit=$1 env_class=$2 env_key=$3 env_value=$4
        wait_until 10 eval '[ "$(json_get "$(gg_finding "$(gg_finding_of "$env_unit" "$env_class")")" \
                "d[\"Evidence\"].get(\"$env_key\", \"\")")" = "$env_value" ]'
}
# fixed ID WHAT: the finding resolved because the configuration was fixed.
fixed() {
        local env_id=$1
        wait_until 15 eval '[ "$(json_get "$(gg_finding "$env_id")" "d[\"State\"]")" = resolved ]'
        assert_json "$(gg_finding "$1")" 'd["Evidence"]["resolved_by"] == "configuration-fixed"' \
                "$2 resolved: the configuration was fixed"
}
# A unit file of ours, loaded.
unit_file() {
        box_sh 'cat >"/run/systemd/system/$1"; systemctl daemon-reload' "$1"
}
ncpu=$(box_exec nproc)

# 1. CPUQuota=50% and a Go 1.19 binary: its scheduler runs $ncpu threads. Found from the settings,
#    before the program says anything.
[ "$ncpu" -ge 2 ] || skip "needs 2 CPUs for a quota below them"
box_exec systemd-run --quiet --unit="$quota" -p CPUQuota=50% -E DB_PASSWORD="$secret" \
        "$GO_SERVICES_DIR/healthy" -addr 127.0.0.1:0
f=$(finding "$quota" gomaxprocs-vs-quota)
assert_json "$f" 'd["Summary"] == "'"$quota"' runs more Go threads than its CPU quota allows: CPUQuota=50%, GOMAXPROCS unset ('"$ncpu"' CPUs)"' \
        "gomaxprocs-vs-quota: the summary"
assert_json "$f" 'd["Evidence"]["CPUQuotaPerSecUSec"] == 500000 and d["Evidence"]["gomaxprocs_suggested"] == 1 and d["Evidence"]["go_version"] == "go1.19.8"' \
        "the quota, the suggestion, the Go version"
assert_json "$f" '"go_message" not in d["Evidence"] and d["Evidence"]["checked_at"] > 0' "a condition, before any message"
assert_json "$f" 'd["Advice"][0][0] == "dropin" and d["Advice"][0][2] == "[Service]\nEnvironment=GOMAXPROCS=1\n"' \
        "advice: GOMAXPROCS=1 in a drop-in"

# 2. MemoryMax= without GOMEMLIMIT, fixed by the unit's EnvironmentFile= and a restart.
box_exec sh -c "echo DB_PASSWORD=$secret >/run/${P}mem.env"
unit_file "$mem" <<EOF
[Service]
ExecStart=$GO_SERVICES_DIR/healthy -addr 127.0.0.1:0
MemoryMax=100M
EnvironmentFile=/run/${P}mem.env
EOF
box_exec systemctl start "$mem"
f=$(finding "$mem" gomemlimit-vs-limit)
mem_id=$(json_get "$f" 'd["Id"]')
assert_json "$f" 'd["Summary"] == "'"$mem"' has a GOMEMLIMIT that does not fit its memory limit: MemoryMax=100M, no GOMEMLIMIT"' \
        "gomemlimit-vs-limit: the summary"
assert_json "$f" 'd["Advice"][0][2] == "[Service]\nEnvironment=GOMEMLIMIT=90MiB\n"' "advice: GOMEMLIMIT at 90%"
box_exec sh -c "printf 'DB_PASSWORD=%s\nGOMEMLIMIT=90MiB\n' $secret >/run/${P}mem.env"
box_exec systemctl restart "$mem"
fixed "$mem_id" gomemlimit-vs-limit

# 3. A PATH with a directory everyone can write to.
box_exec mkdir -p "/run/${P}bin"
box_exec chmod 1777 "/run/${P}bin"
box_exec systemd-run --quiet --unit="$path" -E PATH="/run/${P}bin:/usr/bin" -E DB_PASSWORD="$secret" \
        "$GO_SERVICES_DIR/healthy" -addr 127.0.0.1:0
f=$(finding "$path" path-unsafe)
assert_json "$f" 'd["Summary"] == "'"$path"' has unsafe entries in PATH: /run/'"${P}"'bin (writable by everyone)"' \
        "path-unsafe: the summary"
assert_json "$f" 'd["Evidence"]["PATH_source"] in ("Environment=", "process environment")' "where PATH came from"
assert_json "$f" 'd["Advice"][0][2] == "[Service]\nEnvironment=PATH=/usr/bin\n"' "advice: the safe entries"

# 4. No User=, no HOME: nohome fails with Go's "$HOME is not defined"; HOME from the
#    EnvironmentFile= and a new start fix it.
unit_file "$home" <<EOF
[Service]
ExecStart=$GO_SERVICES_DIR/nohome
EnvironmentFile=-/run/${P}home.env
EOF
box_exec systemctl start "$home" || true
f=$(finding "$home" home-unset)
home_id=$(json_get "$f" 'd["Id"]')
assert_json "$f" 'd["Summary"] == "'"$home"' needs $HOME, which the unit does not set: no User=: systemd sets HOME only for a User="' \
        "home-unset: the summary"
assert_json "$f" 'd["Evidence"]["go_message"] == "$HOME is not defined" and d["Evidence"]["checked_at"] > 0' \
        "Go's message, and a condition the check saw"
name=${home%.service}
assert_json "$f" 'd["Advice"][0][2] == "[Service]\nStateDirectory='"$name"'\nEnvironment=HOME=/var/lib/'"$name"'\n"' \
        "advice: a state directory as HOME"
box_exec sh -c "echo HOME=/var/lib/$name >/run/${P}home.env"
box_exec systemctl start "$home"
fixed "$home_id" home-unset
assert_eq active "$(box_unit_prop "$home" ActiveState)" "nohome runs with HOME"

# 5. TZ naming a zone the root lacks: found before start, confirmed by "unknown time zone".
box_exec systemd-run --quiet --unit="$tz" -E TZ=Mars/Olympus_Mons "$GO_SERVICES_DIR/envprobe" \
        -mode=tz -zone=Mars/Olympus_Mons -stay
f=$(finding "$tz" timezone-missing)
assert_json "$f" 'd["Summary"].startswith("'"$tz"' cannot find time zone data: Mars/Olympus_Mons not in /")' \
        "timezone-missing: the summary"
assert_json "$f" 'd["Evidence"]["zone"] == "Mars/Olympus_Mons" and d["Evidence"]["zone_source"] == "TZ"' "the zone, from TZ"
evidence_is "$tz" timezone-missing go_message "unknown time zone Mars/Olympus_Mons"

# 6. SSL_CERT_FILE and SSL_CERT_DIR pointing nowhere: no roots; confirmed by x509's error.
box_exec systemd-run --quiet --unit="$tls" -E SSL_CERT_FILE=/nowhere.pem -E SSL_CERT_DIR=/nowhere \
        "$GO_SERVICES_DIR/envprobe" -mode=tls -stay
f=$(finding "$tls" tls-roots-missing)
assert_json "$f" 'd["Summary"].startswith("'"$tls"' cannot find TLS root certificates: SSL_CERT_FILE=/nowhere.pem, SSL_CERT_DIR=/nowhere not found in /")' \
        "tls-roots-missing: the summary"
assert_json "$f" 'd["Evidence"]["tls_roots_found"] == False' "no roots"
evidence_is "$tls" tls-roots-missing go_message "x509: certificate signed by unknown authority"
f=$(gg_finding "$(gg_finding_of "$tls" tls-roots-missing)")
assert_json "$f" 'd["Advice"][0][0] == "dropin" and d["Advice"][0][2].startswith("[Service]\nEnvironment=SSL_CERT_")' \
        "advice: the host's CA certificates"

# 7. DynamicUser= and a binary built without cgo: os/user reads /etc/passwd only.
box_exec systemd-run --quiet --unit="$nss" -p DynamicUser=yes "$GO_SERVICES_DIR/envprobe" -mode=user -stay
f=$(finding "$nss" nss-user-lookup)
assert_json "$f" 'd["Summary"] == "'"$nss"' cannot look up users without cgo: a DynamicUser= user, built without cgo"' \
        "nss-user-lookup: the summary"
assert_match 'user: unknown userid [0-9]+' "$(json_get "$f" 'd["Evidence"]["go_message"]')" "Go's message"
assert_json "$f" 'd["Evidence"]["cgo"] == False and d["Evidence"]["user_in_passwd"] == False and d["Evidence"]["DynamicUser"] == True' \
        "the binary, the user"

# 8. ExecStart= runs "go run": the go tool at every start, and its build cache needs HOME.
box_exec systemd-run --quiet --unit="$gotool" -p WorkingDirectory="$SRC_DIR/tests/go/services" \
        /usr/bin/go run ./healthy || true
f=$(finding "$gotool" go-toolchain-at-start)
assert_json "$f" 'd["Summary"] == "'"$gotool"' runs the go tool at every start: go run" and d["Evidence"]["go_tool_command"] == "go run"' \
        "go-toolchain-at-start: the summary, the command without its arguments"
f=$(finding "$gotool" home-unset)
assert_json "$f" 'd["Summary"].startswith("'"$gotool"' needs $HOME, which the unit does not set: the go tool")' "home-unset for the go tool"
evidence_is "$gotool" home-unset go_message 'GOCACHE is not defined and neither $XDG_CACHE_HOME nor $HOME are defined'

# 9. A root service listening on the network with every capability.
box_exec systemd-run --quiet --unit="$root" "$GO_SERVICES_DIR/envprobe" -mode=serve
f=$(finding "$root" runs-as-root)
port=$(box_journal -q -u "$root" -o cat -g 'listening on' | sed -n 's/.*listening on 127\.0\.0\.1:\([0-9]*\)$/\1/p')
assert_json "$f" 'd["Summary"] == "'"$root"' is a network service running as root with full capabilities: listens on port '"$port"', all capabilities"' \
        "runs-as-root: the summary"
assert_json "$f" 'd["Evidence"]["network_evidence"] == "listening sockets of its main process" and d["Evidence"]["listen_sockets"] == 1' \
        "it rests on the listening socket"
assert_json "$f" 'd["Evidence"]["cap_last_cap"] == '"$(box_exec cat /proc/sys/kernel/cap_last_cap)" "the host's full set"
assert_json "$f" 'd["Advice"][0][2] == "[Service]\nDynamicUser=yes\nCapabilityBoundingSet=\n"' "advice: a user of its own"

# 10. A healthy unit: none of it.
box_exec systemd-run --quiet --unit="$ok" -p DynamicUser=yes "$GO_SERVICES_DIR/healthy" -addr 127.0.0.1:0
wait_until 10 gg_has_unit "$ok"
sleep 11 # a sampling round
ids=$(gg_call ListFindings 'a{sv}uu' 1 unit s "$ok" 0 0 | json_get - 'len(d["data"][0])')
assert_eq 0 "$ids" "the healthy unit has no finding"

# No finding holds an environment value that is not the finding.
all=$(gg_call ListFindings 'a{sv}uu' 0 0 0)
for id in $(json_get "$all" '" ".join(r[0] for r in d["data"][0])'); do
        gg_finding "$id"
done >"$BOX_DIR/env-findings.json"
assert_status 1 grep -qF "$secret" "$BOX_DIR/env-findings.json"
