# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
# goguardctl check: units written as files into a temporary root with real Go binaries from
# tests/go/services, checked without goguardd; exit status 0/1/2 exactly, the text and --json
# output of the condition classes this build has, unreadable input. It needs no systemd; it runs
# in the box for the unit names, looked up in the box's /etc/systemd/system (an overlay that
# vanishes with the box) as on a host, with no root given.
source "$SRC_DIR/tests/integration/goguard-lib.sh"
require_go_services

root=/tmp/${UNIT_PREFIX}root
named=${UNIT_PREFIX}named.service
trap 'box_exec rm -rf "$root" "/etc/systemd/system/$named" "/etc/systemd/system/$named.d" >/dev/null 2>&1 || true' EXIT

# put PATH TEXT: a file in the box, under the root.
put() {
        box_sh 'mkdir -p "$(dirname "$1")" && printf "%s" "$2" >"$1"' "$1" "$2"
}
# check ARG...: goguardctl check's exit status, standard output and error, in $rc, $out, $err.
check() {
        local o e
        o=$(mktemp) e=$(mktemp)
        box_exec goguardctl check "$@" >"$o" 2>"$e" && rc=0 || rc=$?
        out=$(cat "$o") err=$(cat "$e")
        rm -f "$o" "$e"
}

box_exec mkdir -p "$root/usr/bin" "$root/etc" "$root/units"
box_exec cp "$GO_SERVICES_DIR/healthy" "$root/usr/bin/healthy"
box_exec cp /bin/true "$root/usr/bin/not-go"
put "$root/etc/hostname" "target.example"

# ---- unreadable input: exit 2, with a clear message, and the other units still checked ----
check --root="$root" "$root/units/missing.service"
assert_eq 2 "$rc" "a unit file that does not exist"
assert_eq "goguardctl check: failed to read $root/units/missing.service: $root/units/missing.service: No such file or directory" "$err"
assert_eq "" "$out"

put "$root/units/bad-header.service" $'[Service]\nExecStart=/usr/bin/healthy\n[Service\n'
check --root="$root" "$root/units/bad-header.service"
assert_eq 2 "$rc" "a malformed section header"
assert_eq "goguardctl check: failed to read $root/units/bad-header.service: $root/units/bad-header.service:3: malformed section header" "$err"

put "$root/units/no-exe.service" $'[Service]\nExecStart=/usr/bin/not-there --flag\n'
check --root="$root" "$root/units/no-exe.service"
assert_eq 2 "$rc" "an executable that is not under the root"
assert_eq "goguardctl check: no-exe.service: cannot open its executable /usr/bin/not-there under $root: No such file or directory" "$err"

check --root="$root" no-such-unit-${UNIT_PREFIX}x.service
assert_eq 2 "$rc" "a unit name that is not in the search path"
assert_eq "goguardctl check: unit no-such-unit-${UNIT_PREFIX}x.service not found in the unit search path under $root" "$err"

check "not a name"
assert_eq 2 "$rc" "an argument that is neither a file nor a unit name"
assert_eq "goguardctl check: 'not a name' is not a unit name (a unit file needs a '/': ./not a name)" "$err"

check
assert_eq 2 "$rc" "no argument"
assert_eq "goguardctl check: give one or more unit files or names; see --help" "$err"
check --root=/nonexistent-root x.service
assert_eq 2 "$rc" "a root that does not exist"
assert_eq "goguardctl check: cannot open the root /nonexistent-root: No such file or directory" "$err"
check --root=relative x.service
assert_eq 2 "$rc" "a relative root"
check --bogus x.service
assert_eq 2 "$rc" "an unknown option"

# Hostile executables are read within the budget goguardd has (128 MiB, 5 s), a FIFO is not
# waited on, a unit file that is not a regular file is refused.
helper=$SRC_DIR/tests/integration/hostile-exe.py
for kind in sparse512g truncated garbage; do
        box_exec /usr/bin/python3 "$helper" make "$kind" "$root/usr/bin/$kind"
        put "$root/units/$kind.service" "[Service]
ExecStart=/usr/bin/$kind
"
done
box_exec mkfifo "$root/usr/bin/fifo" "$root/units/fifo.service"
put "$root/units/exe-fifo.service" $'[Service]\nExecStart=/usr/bin/fifo\n'
t0=$(_box_now_us)
check --root="$root" "$root/units/sparse512g.service" "$root/units/truncated.service" \
        "$root/units/garbage.service" "$root/units/exe-fifo.service" "$root/units/fifo.service"
t1=$(_box_now_us)
assert_eq 2 "$rc" "hostile executables and FIFOs are unreadable input"
assert_eq "goguardctl check: sparse512g.service: cannot read its executable /usr/bin/sparse512g: could not determine: read budget of 128 MiB exhausted
goguardctl check: truncated.service: cannot read its executable /usr/bin/truncated: not a valid ELF file
goguardctl check: garbage.service: cannot read its executable /usr/bin/garbage: not a valid ELF file
goguardctl check: exe-fifo.service: cannot open its executable /usr/bin/fifo under $root: not a regular file
goguardctl check: failed to read $root/units/fifo.service: $root/units/fifo.service: not a regular file" "$err"
assert_eq "" "$out"
(( t1 - t0 < 5000000 )) || { echo "check of the hostile units took $(( (t1 - t0) / 1000 )) ms"; false; }

# ---- nothing to check: exit 0, a note on standard error ----
put "$root/units/not-go.service" $'[Service]\nExecStart=/usr/bin/not-go\n'
put "$root/units/web.socket" $'[Socket]\nListenStream=80\n'
box_exec ln -s /dev/null "$root/units/masked.service"
check --root="$root" "$root/units/not-go.service" "$root/units/web.socket" "$root/units/masked.service"
assert_eq 0 "$rc" "a non-Go executable, a socket, a masked unit"
assert_eq "" "$out"
assert_eq "not-go.service: /usr/bin/not-go is not a Go executable (no Go build information, build ID note or pclntab), not checked
web.socket: not a service unit, nothing to check
masked.service: masked ($root/units/masked.service links to /dev/null), not checked" "$err"
check --json --root="$root" "$root/units/not-go.service"
assert_eq 0 "$rc"
assert_json "$out" 'd == []' "--json prints an empty array when nothing is found"

# Warnings for what systemd would skip, with file and line; the rest is read.
put "$root/units/warn.service" $'[Service]\nExecStart=/usr/bin/not-go\nMemoryMax=lots\nUser=%a\n'
check --root="$root" "$root/units/warn.service"
assert_eq 0 "$rc"
assert_eq "$root/units/warn.service:3: Invalid MemoryMax= value 'lots', ignoring
$root/units/warn.service:4: User= with a specifier not known offline, ignoring
warn.service: /usr/bin/not-go is not a Go executable (no Go build information, build ID note or pclntab), not checked" "$err"

# A unit name without --root: the box's own search path, with its drop-ins.
box_exec mkdir -p "/etc/systemd/system/$named.d"
put "/etc/systemd/system/$named" $'[Service]\nExecStart=/bin/false\n'
put "/etc/systemd/system/$named.d/10-exec.conf" $'[Service]\nExecStart=\nExecStart=/bin/true\n'
check "$named"
assert_eq 0 "$rc" "a unit name looked up on this host"
assert_eq "$named: /bin/true is not a Go executable (no Go build information, build ID note or pclntab), not checked" "$err"
