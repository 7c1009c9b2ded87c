# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
# nss-user-lookup from a real lookup: envprobe built without cgo looks up its own uid with os/user
# under DynamicUser=, whose user only NSS (nss-systemd) knows, and logs Go's "user: unknown userid
# N". goguardd names the cause exactly (the user, the binary, nsswitch.conf) with its advice. The
# same lookup succeeds, and nothing is found, for the same program built with cgo (it asks NSS)
# and for the pure Go one running as a user of /etc/passwd.
source "$SRC_DIR/tests/integration/goguard-lib.sh"
require_go_services
box_exec test -x "$GO_SERVICES_DIR/envprobe-cgo" || skip "envprobe-cgo was not built"
box_sh 'grep -qE "^passwd:.*systemd" /etc/nsswitch.conf' || skip "no nss-systemd in nsswitch.conf"
gg_start

P=$UNIT_PREFIX
nss=${P}nss.service
cgo=${P}cgo.service
static=${P}static.service
units=("$nss" "$cgo" "$static")
cleanup() {
        for u in "${units[@]}"; do
                box_exec systemctl stop "$u" >/dev/null 2>&1 || true
        done
}
trap cleanup EXIT

# logged UNIT TEXT: waits for a line of the unit's output to end in TEXT (log's time before it).
logged() {
        wait_until 10 box_sh 'journalctl -q -u "$1" -o cat | grep -q " $2\$"' "$1" "$2"
}
n_findings() {
        gg_call ListFindings 'a{sv}uu' 1 unit s "$1" 0 0 | json_get - 'len(d["data"][0])'
}

# 1. Pure Go, DynamicUser=: /etc/passwd lacks the user.
box_exec systemd-run --quiet --unit="$nss" -p DynamicUser=yes "$GO_SERVICES_DIR/envprobe" -mode=user -stay
pid=$(box_unit_prop "$nss" MainPID)
uid=$(box_sh 'awk "/^Uid:/ {print \$2}" "/proc/$1/status"' "$pid")
assert_match '[1-9][0-9]*' "$uid" "the dynamic user's uid"
box_sh '! grep -q "^[^:]*:[^:]*:$1:" /etc/passwd' "$uid"
logged "$nss" "envprobe: user: unknown userid $uid"
wait_until 20 eval '[ -n "$(gg_finding_of "$nss" nss-user-lookup)" ]'
f=$(gg_finding "$(gg_finding_of "$nss" nss-user-lookup)")
name=${nss%.service}
# systemd-run names the dynamic user after the unit, or "_du" and a hash when that is too long.
user=$(box_unit_prop "$nss" User)
assert_match '[a-z_][a-z0-9_-]*' "$user" "the dynamic user's name"
passwd=$(box_sh 'sed -n "s/^passwd:[[:space:]]*//p" /etc/nsswitch.conf | sed "s/[[:space:]]*$//"')
assert_json "$f" 'd["Summary"] == "'"$nss"' cannot look up users without cgo: a DynamicUser= user, built without cgo"' \
        "the summary"
assert_json "$f" 'd["Count"] == 1 and d["State"] == "open"' "once, open"
assert_json "$f" '{k: d["Evidence"][k] for k in ("go_message", "cgo", "user_in_passwd", "DynamicUser", "User", "nss_passwd", "unit_root")} == {"go_message": "user: unknown userid '"$uid"'", "cgo": False, "user_in_passwd": False, "DynamicUser": True, "User": "'"$user"'", "nss_passwd": "'"$passwd"'", "unit_root": "/"}' \
        "the evidence: Go's message, the binary, the user, nsswitch.conf"
assert_json "$f" 'd["Evidence"]["checked_at"] > 0' "the check saw the cause"
assert_json "$f" 'len(d["Advice"]) == 1 and d["Advice"][0][0] == "dropin"' "one drop-in"
assert_json "$f" 'd["Advice"][0][1] == "The program was built without cgo, so os/user reads only /etc/passwd and /etc/group, and the unit runs as a DynamicUser= user, which is not there (nsswitch.conf: passwd: '"$passwd"'). Build it with cgo (CGO_ENABLED=1, and without -tags osusergo) so lookups go through NSS, or give it the USER and HOME that user.Current() falls back to:"' \
        "the advice's text"
assert_json "$f" 'd["Advice"][0][2] == "[Service]\nStateDirectory='"$name"'\nEnvironment=USER='"$user"' HOME=/var/lib/'"$name"'\n"' \
        "the advice's drop-in"

# 2. The same lookup with cgo: NSS (nss-systemd) knows the dynamic user.
box_exec systemd-run --quiet --unit="$cgo" -p DynamicUser=yes "$GO_SERVICES_DIR/envprobe-cgo" -mode=user -stay
logged "$cgo" "envprobe: running as $(box_unit_prop "$cgo" User)"
# 3. Pure Go as a user of /etc/passwd.
box_exec systemd-run --quiet --unit="$static" -p User=nobody "$GO_SERVICES_DIR/envprobe" -mode=user -stay
logged "$static" "envprobe: running as nobody"
wait_until 10 gg_has_unit "$cgo"
wait_until 10 gg_has_unit "$static"
# A line after theirs, from a unit goguardd reads: once it is found, theirs were read too.
box_exec systemctl restart "$nss"
wait_until 20 eval '[ "$(json_get "$(gg_finding "$(gg_finding_of "$nss" nss-user-lookup)")" "d[\"Count\"]")" = 2 ]'
assert_eq 0 "$(n_findings "$cgo")" "the cgo build finds its dynamic user: no finding"
assert_eq 0 "$(n_findings "$static")" "a user of /etc/passwd: no finding"
