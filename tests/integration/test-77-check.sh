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
box_exec cp "$GO_SERVICES_DIR/healthy-cgo" "$root/usr/bin/healthy-cgo"
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

# ---- findings: the classes of the loader and environment families (condition checks) ----
# go1.19.8 binaries (build-go.sh): Go before 1.25 does not size GOMAXPROCS from the CPU quota.
cpus=$(box_exec getconf _NPROCESSORS_ONLN)
put "$root/units/clean.service" $'[Service]\nExecStart=/usr/bin/healthy\nUser=nobody\n'
check --root="$root" "$root/units/clean.service"
assert_eq 0 "$rc" "a Go unit with nothing to find"
assert_eq "" "$out"
assert_eq "" "$err"

# The environment family: an unsafe PATH, a CPU quota and a memory limit the Go runtime does
# not know of, set partly in a drop-in beside the file and with a specifier.
put "$root/units/env.service" $'[Service]\nExecStart=/usr/bin/healthy -addr 127.0.0.1:0\nUser=nobody\nCPUQuota=50%\n'
put "$root/units/env.service.d/10-limits.conf" $'[Service]\nMemoryMax=64M\nEnvironment="PATH=/usr/bin:.:%t/bin"\n'
# The loader family: a cgo binary whose ELF interpreter the root lacks.
put "$root/units/cgo.service" $'[Service]\nExecStart=healthy-cgo\nUser=nobody\n'
check --root="$root" "$root/units/env.service" "$root/units/cgo.service"
assert_eq 1 "$rc" "findings: exit status 1"
assert_eq "" "$err"
quota=""
if (( cpus > 1 )); then
        quota="env.service: info: gomaxprocs-vs-quota: env.service runs more Go threads than its CPU quota allows: CPUQuota=50%, GOMAXPROCS unset ($cpus CPUs)
  advice: CPUQuota=50% gives the unit 1 CPU's worth of time, and the Go scheduler runs as many threads at once as the host has CPUs (Go before 1.25 does not size GOMAXPROCS from the CPU quota): the program spends its quota early in each period and is throttled for the rest, which shows as latency. Set GOMAXPROCS to the quota, rounded up:
  drop-in: /etc/systemd/system/env.service.d/goguard-gomaxprocs-vs-quota.conf
    [Service]
    Environment=GOMAXPROCS=1
"
fi
assert_eq "env.service: warning: path-unsafe: env.service has unsafe entries in PATH: . (relative)
  advice: PATH lets others plant the commands the program runs by name (os/exec looks them up there): . (relative). Keep only absolute directories that only root can write:
  drop-in: /etc/systemd/system/env.service.d/goguard-path-unsafe.conf
    [Service]
    Environment=PATH=/usr/bin:/run/bin
${quota}env.service: info: gomemlimit-vs-limit: env.service has a GOMEMLIMIT that does not fit its memory limit: MemoryMax=64M, no GOMEMLIMIT
  advice: The Go runtime never reads MemoryMax=64M: without GOMEMLIMIT its garbage collector does not work harder near the limit, and the kernel OOM-kills the process instead. Set GOMEMLIMIT to about 90% of the limit:
  drop-in: /etc/systemd/system/env.service.d/goguard-gomemlimit-vs-limit.conf
    [Service]
    Environment=GOMEMLIMIT=57MiB
cgo.service: critical: interpreter-missing: cgo.service needs an ELF interpreter this host does not have: /lib64/ld-linux-x86-64.so.2 (glibc for x86-64)
  advice: The program's ELF interpreter /lib64/ld-linux-x86-64.so.2 (glibc for x86-64) does not exist on this host: execve() fails with \"No such file or directory\" although the program exists (status=203/EXEC). Build a static binary, which needs no interpreter:
  command:
    CGO_ENABLED=0 go build" "$out" "the text: a line per finding, its advice and drop-in"

# The same in JSON: the fields of every finding goguard reports.
check --json --root="$root" "$root/units/env.service" "$root/units/cgo.service"
assert_eq 1 "$rc" "--json: exit status 1 as well"
n_env=$(( cpus > 1 ? 3 : 2 ))
assert_json "$out" "len(d) == $n_env + 1" "one object per finding"
assert_json "$out" 'all(set(f) == {"id", "unit", "invocation_id", "class", "message_id", "severity", "state", "summary", "first_seen", "last_seen", "count", "evidence", "advice"} for f in d)' \
        "each with the fields of a finding"
assert_json "$out" 'all(len(f["id"]) == 32 and f["state"] == "open" and f["count"] == 1 and f["invocation_id"] is None and f["first_seen"] == f["evidence"]["checked_at"] for f in d)' \
        "open, counted once, stamped with the time of the check"
assert_json "$out" '[(f["unit"], f["class"], f["severity"]) for f in d] == [("env.service", "path-unsafe", "warning")] + ([("env.service", "gomaxprocs-vs-quota", "info")] if '"$cpus"' > 1 else []) + [("env.service", "gomemlimit-vs-limit", "info"), ("cgo.service", "interpreter-missing", "critical")]' \
        "the same findings in the same order"
assert_json "$out" '[f for f in d if f["class"] == "gomemlimit-vs-limit"][0]["evidence"]["MemoryMax"] == 67108864' \
        "evidence as goguardd gives it"
assert_json "$out" '[f for f in d if f["class"] == "gomemlimit-vs-limit"][0]["advice"] == [{"kind": "dropin", "text": "The Go runtime never reads MemoryMax=64M: without GOMEMLIMIT its garbage collector does not work harder near the limit, and the kernel OOM-kills the process instead. Set GOMEMLIMIT to about 90% of the limit:", "snippet": "[Service]\nEnvironment=GOMEMLIMIT=57MiB\n"}]' \
        "advice with its drop-in"
assert_json "$out" '[f for f in d if f["class"] == "interpreter-missing"][0]["evidence"]["loader_exe_path"] == "/usr/bin/healthy-cgo"' \
        "a relative ExecStart= found in systemd's search path under the root"

# With the interpreter there and no libc.so.6: missing-library.
box_exec mkdir -p "$root/lib64"
box_exec cp -L /lib64/ld-linux-x86-64.so.2 "$root/lib64/"
check --root="$root" "$root/units/cgo.service"
assert_eq 1 "$rc"
assert_eq "cgo.service: critical: missing-library: cgo.service needs a shared library the host does not have: libc.so.6
  advice: The loader stops the program before it starts (\"error while loading shared libraries: libc.so.6: cannot open shared object file\", exit status 127). Install the package that provides it:
  command:
    apt-file search 'libc.so.6'  # or: dnf provides '*/libc.so.6'
  advice: Or, if the program does not need C code, build it without cgo: a static Go binary needs no shared library.
  command:
    CGO_ENABLED=0 go build" "$out" "missing-library"

# A unit name under the root: a template's instance, its drop-ins in /etc and /usr/lib, the
# instance in a specifier; a mix of a unit with findings and unreadable input gives 2.
put "$root/usr/lib/systemd/system/web@.service" $'[Service]\nExecStart=/usr/bin/healthy\nUser=nobody\nMemoryMax=128M\n'
put "$root/usr/lib/systemd/system/web@.service.d/10-gomemlimit.conf" $'[Service]\nEnvironment=GOMEMLIMIT=100MiB\n'
put "$root/etc/systemd/system/web@big.service.d/20-tmp.conf" $'[Service]\nEnvironment=GOMEMLIMIT=%iMiB\n'
check --root="$root" web@small.service web@big.service
assert_eq 1 "$rc" "unit names under the root"
assert_eq "web@big.service: info: gomemlimit-vs-limit: web@big.service has a GOMEMLIMIT that does not fit its memory limit: GOMEMLIMIT=bigMiB is malformed
  advice: GOMEMLIMIT=bigMiB is not a value the Go runtime accepts: it stops at start with \"malformed GOMEMLIMIT\". Use a number with a B, KiB, MiB, GiB or TiB suffix, about 90% of MemoryMax=128M:
  drop-in: /etc/systemd/system/web@big.service.d/goguard-gomemlimit-vs-limit.conf
    [Service]
    Environment=GOMEMLIMIT=115MiB" "$out"
check --root="$root" web@big.service "$root/units/missing.service"
assert_eq 2 "$rc" "findings and unreadable input: 2"
assert_match "web@big.service: info: gomemlimit-vs-limit: .*" "$(head -1 <<<"$out")" "the findings still printed"


# ---- the rest of the loader and environment classes, from files alone ----
# patch SRC DST OLD NEW [OLD NEW]...: a copy in the box with each OLD (bytes, Python escapes, as
# long as its NEW) replaced everywhere.
patch() {
        box_exec /usr/bin/python3 -c '
import sys
src, dst, pairs = sys.argv[1], sys.argv[2], sys.argv[3:]
b = open(src, "rb").read()
for o, n in zip(pairs[::2], pairs[1::2]):
    o, n = o.encode().decode("unicode_escape").encode("latin-1"), n.encode().decode("unicode_escape").encode("latin-1")
    assert len(o) == len(n) and o in b, o
    b = b.replace(o, n)
open(dst, "wb").write(b)
' "$@"
        box_exec chmod 0755 "$2"
}
glibc=$(box_exec bash -c 'ldd --version | head -n1' | sed 's/.* //')
gotool=$(box_exec bash -c 'readlink -f "$(command -v go)"')
[[ -x $gotool ]] || skip "no go tool to copy into the root"
box_exec mkdir -p "$root/lib/x86_64-linux-gnu" "$root/usr/lib/x86_64-linux-gnu" "$root/usr/share/zoneinfo/Europe" \
        "$root/srv/old/usr/bin" "$root/srv/old/lib64" "$root/srv/old/lib/x86_64-linux-gnu" \
        "$root/srv/old/usr/lib/x86_64-linux-gnu" "$root/etc/binfmt.d"
box_exec cp -L /lib/x86_64-linux-gnu/libc.so.6 "$root/lib/x86_64-linux-gnu/"
box_exec cp -L /lib64/ld-linux-x86-64.so.2 "$root/srv/old/lib64/"
box_exec cp "$GO_SERVICES_DIR/healthy-cgo" "$root/srv/old/usr/bin/"
box_exec cp /usr/share/zoneinfo/Europe/Berlin "$root/usr/share/zoneinfo/Europe/"
box_exec cp "$GO_SERVICES_DIR/healthy-arm64" "$gotool" "$root/usr/bin/"
# A glibc 2.99 symbol version; GOAMD64=v4 in the build info; a server module (go-chi) in it; the
# RootDirectory='s libc.so.6 of an older glibc (its version names 2.3x made 2.1x, its release 2.29).
patch "$GO_SERVICES_DIR/healthy-cgo" "$root/usr/bin/glibc" 'GLIBC_2.34\x00' 'GLIBC_2.99\x00'
patch "$GO_SERVICES_DIR/healthy-v3" "$root/usr/bin/v4" 'GOAMD64=v3' 'GOAMD64=v4'
patch "$GO_SERVICES_DIR/crasher" "$root/usr/bin/server" 'example.com/crashlib\tv1.4.2\n=>\t./crashlib' \
        'github.com/go-chi/chi\tv1.4.2\n=>\t./crashli'
patch /lib/x86_64-linux-gnu/libc.so.6 "$root/srv/old/lib/x86_64-linux-gnu/libc.so.6" 'GLIBC_2.3' 'GLIBC_2.1' \
        "release version $glibc" 'release version 2.29'
# Only root may execute it.
box_exec install -m 0700 "$GO_SERVICES_DIR/healthy" "$root/usr/bin/private"
put "$root/etc/passwd" $'root:x:0:0:root:/root:/bin/bash\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n'
put "$root/etc/group" $'root:x:0:\nnogroup:x:65534:\n'

# With libc.so.6 there, the cgo unit has nothing left.
check --root="$root" "$root/units/cgo.service"
assert_eq 0 "$rc" "a cgo unit whose loader and libraries the root has"
assert_eq "" "$out"
assert_eq "" "$err"

unit() {
        put "$root/units/$1.service" "[Service]
ExecStart=$2
$3
"
}
unit glibc /usr/bin/glibc User=nobody
unit old /usr/bin/healthy-cgo $'RootDirectory=/srv/old\nUser=nobody'
unit arch /usr/bin/healthy-arm64 User=nobody
unit perm /usr/bin/private User=nobody
unit home "/usr/bin/go run ./cmd/app" DynamicUser=yes
unit tls /usr/bin/healthy $'User=nobody\nEnvironment=SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt'
unit tz /usr/bin/healthy $'User=nobody\nEnvironment=TZ=Europe/Nowhere'
unit root /usr/bin/server ""
for u in glibc old arch perm home tls tz root; do
        check --root="$root" "$root/units/$u.service"
        assert_eq 1 "$rc" "$u: a finding"
        assert_eq "" "$err" "$u: nothing on standard error"
        declare "out_$u=$out"
done
assert_eq "glibc.service: critical: glibc-too-old: glibc.service needs a newer glibc than the host has: GLIBC_2.99 from libc.so.6, the host has glibc $glibc
  advice: The program was linked against a glibc newer than this host's $glibc: the loader stops it (\"version \`GLIBC_2.99' not found\", exit status 127). Build it without cgo, so it needs no glibc at all:
  command:
    CGO_ENABLED=0 go build
  advice: Or build it against the oldest glibc you deploy to (glibc $glibc here), in a container of that age, e.g. Debian bookworm (glibc 2.36):
  command:
    docker run --rm -v \"\$PWD\":/src -w /src golang:1.19.8-bookworm go build" "$out_glibc" "glibc-too-old against the root's libc.so.6"
assert_eq "old.service: critical: glibc-too-old: old.service needs a newer glibc than the host has: GLIBC_2.34 from libc.so.6, RootDirectory=/srv/old has glibc 2.29
  advice: The program was linked against a glibc newer than RootDirectory=/srv/old's 2.29: the loader stops it (\"version \`GLIBC_2.34' not found\", exit status 127). Build it without cgo, so it needs no glibc at all:
  command:
    CGO_ENABLED=0 go build
  advice: Or build it against the oldest glibc you deploy to (glibc 2.29 here), in a container of that age, e.g. Debian buster (glibc 2.28):
  command:
    docker run --rm -v \"\$PWD\":/src -w /src golang:1.19.8-buster go build" "$out_old" "glibc-too-old against the RootDirectory='s own libc.so.6"
assert_eq "arch.service: critical: arch-mismatch: arch.service was built for another architecture: aarch64 64-bit little-endian (GOARCH=arm64), this host is x86-64 64-bit little-endian
  advice: The kernel refuses the file (\"Exec format error\", status=203/EXEC). Build it for this host:
  command:
    GOOS=linux GOARCH=amd64 go build
  advice: Or let the kernel run it emulated: a binfmt_misc handler for its machine (qemu-user-static with binfmt-support) makes it start, slowly." "$out_arch" "arch-mismatch"
assert_eq "perm.service: critical: exec-failed: perm.service could not be executed: /usr/bin/private is not executable by User=nobody (uid 65534, gid 65534) (mode 0700, owner root:root)
  advice: The unit runs as User=nobody (uid 65534, gid 65534), and for it the kernel looks at the others' execute bit of the file, which mode 0700 does not set: execve() fails with \"Permission denied\" (status=203/EXEC). Let others execute it:
  command:
    chmod 0755 '/usr/bin/private'" "$out_perm" "exec-failed: the execute bits for the unit's user"
assert_eq "home.service: warning: go-toolchain-at-start: home.service runs the go tool at every start: go run
  advice: ExecStart= runs \"go run\": every start compiles the program, needs a build cache (HOME or GOCACHE) and module downloads over the network, and fails when either is missing. Build the binary once (go build -o /usr/local/bin/home) and run that:
  drop-in: /etc/systemd/system/home.service.d/goguard-go-toolchain-at-start.conf
    [Service]
    ExecStart=
    ExecStart=/usr/local/bin/home
home.service: warning: home-unset: home.service needs \$HOME, which the unit does not set: the go tool's build cache
  advice: The go tool needs a build cache and finds none: it has neither GOCACHE nor XDG_CACHE_HOME nor HOME. Give it one in a directory of the unit's own:
  drop-in: /etc/systemd/system/home.service.d/goguard-home-unset.conf
    [Service]
    CacheDirectory=home
    Environment=GOCACHE=/var/cache/home/go-build" "$out_home" "home-unset: the go tool under DynamicUser="
assert_eq "tls.service: warning: tls-roots-missing: tls.service cannot find TLS root certificates: SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt not found in /
  advice: The root has none of the CA certificate files Go looks for. Install them (Debian, Ubuntu):
  command:
    apt-get install ca-certificates" "$out_tls" "tls-roots-missing"
assert_eq "tz.service: warning: timezone-missing: tz.service cannot find time zone data: Europe/Nowhere not in /
  advice: The zone database in / (/usr/share/zoneinfo/) has no zone Europe/Nowhere. With TZ naming a zone it cannot load, a Go program silently runs in UTC. Check the name (timedatectl list-timezones) and update tzdata." \
        "$out_tz" "timezone-missing"
assert_eq "root.service: info: runs-as-root: root.service is a network service running as root with full capabilities: github.com/go-chi/chi in its build, all capabilities
  advice: The service is on the network (github.com/go-chi/chi in its build info: a hint, it does not run now) and runs as root with every capability: a flaw in it hands over the host. Run it as a user of its own with no capabilities (DynamicUser=yes; add StateDirectory= for files it keeps):
  drop-in: /etc/systemd/system/root.service.d/goguard-runs-as-root.conf
    [Service]
    DynamicUser=yes
    CapabilityBoundingSet=" "$out_root" "runs-as-root: a server module in the build info"
check --json --root="$root" "$root/units/perm.service" "$root/units/old.service"
assert_json "$out" '[d[0]["evidence"][k] for k in ("loader_exe_mode", "loader_exe_owner", "loader_exec_user")] == ["0700", "root:root", "User=nobody (uid 65534, gid 65534)"]' \
        "exec-failed: the mode, the owner and the user in evidence"
assert_json "$out" 'd[1]["evidence"]["loader_glibc_host"] == "GLIBC_2.29" and d[1]["evidence"]["loader_root_directory"] == "/srv/old"' \
        "glibc-too-old: the RootDirectory='s glibc in evidence"

# exec-failed: ExecStart= a wrapper script whose "#!" names an interpreter the root lacks; only
# whether it can be executed is judged (the program it runs is not known). Its twin, whose
# interpreter is there, has nothing.
put "$root/usr/bin/wrapper" $'#!/usr/bin/python9 -u\nimport os\n'
put "$root/usr/bin/wrapper-ok" $'#! /bin/sh\nexec /usr/bin/healthy\n'
box_exec chmod 0755 "$root/usr/bin/wrapper" "$root/usr/bin/wrapper-ok"
box_exec mkdir -p "$root/bin"
box_exec cp /bin/sh "$root/bin/sh"
unit script /usr/bin/wrapper User=nobody
unit script-ok /usr/bin/wrapper-ok User=nobody
check --root="$root" "$root/units/script.service"
assert_eq 1 "$rc" "a script whose interpreter is missing: a finding"
assert_eq "script.service: /usr/bin/wrapper is a script: only whether it can be executed is checked" "$err"
assert_eq "script.service: critical: exec-failed: script.service could not be executed: /usr/bin/wrapper is a script whose interpreter /usr/bin/python9 does not exist
  advice: ExecStart= names a script whose first line (#!/usr/bin/python9) names an interpreter that is not there: execve() fails with \"No such file or directory\" although the script exists (status=203/EXEC). Install the interpreter, or make the script's first line name one that exists; find the package that ships it:
  command:
    apt-file search '/usr/bin/python9'  # or: dnf provides '/usr/bin/python9'" "$out" "exec-failed: the script and its interpreter"
check --json --root="$root" "$root/units/script.service"
assert_json "$out" 'len(d) == 1 and {k: d[0]["evidence"][k] for k in ("loader_exec_cause", "loader_script_interpreter", "loader_exe_path")} == {"loader_exec_cause": "script-interpreter", "loader_script_interpreter": "/usr/bin/python9", "loader_exe_path": "/usr/bin/wrapper"}' \
        "exec-failed: the cause, the interpreter and the script in evidence"
check --root="$root" "$root/units/script-ok.service"
assert_eq 0 "$rc" "a script whose interpreter is there: nothing"
assert_eq "" "$out"
assert_eq "script-ok.service: /usr/bin/wrapper-ok is a script: only whether it can be executed is checked" "$err"

# cpu-level is judged against this CPU, as goguardd judges it: a GOAMD64=v4 build needs AVX-512.
# (nss-user-lookup needs the program's own lookup failure in its output: not from files.)
unit cpu /usr/bin/v4 User=nobody
check --root="$root" "$root/units/cpu.service"
if box_exec grep -qw avx512vl /proc/cpuinfo && box_exec grep -qw avx512bw /proc/cpuinfo && box_exec grep -qw avx512dq /proc/cpuinfo; then
        assert_eq 0 "$rc" "cpu-level: this CPU runs v4"
        assert_eq "" "$out"
else
        assert_eq 1 "$rc" "cpu-level: this CPU lacks v4's features"
        assert_match 'cpu\.service: critical: cpu-level: cpu\.service needs CPU features this host lacks: GOAMD64=v4 \(missing [A-Z0-9, ()]*AVX512[A-Z0-9, ()]*\)' \
                "$(head -n1 <<<"$out")" "cpu-level names the missing features"
fi

# TemporaryFileSystem=: the zone database it hides, unless bound back; the program under it.
unit tmpfs-tz /usr/bin/healthy $'User=nobody\nEnvironment=TZ=Europe/Berlin\nTemporaryFileSystem=/usr/share:ro'
unit tmpfs-bound /usr/bin/healthy $'User=nobody\nEnvironment=TZ=Europe/Berlin\nTemporaryFileSystem=/usr/share:ro\nBindReadOnlyPaths=/usr/share/zoneinfo'
unit tmpfs-exe /usr/bin/healthy $'User=nobody\nTemporaryFileSystem=/usr/bin'
check --root="$root" "$root/units/tmpfs-tz.service" "$root/units/tmpfs-bound.service" "$root/units/tmpfs-exe.service"
assert_eq 1 "$rc"
assert_eq "" "$err"
assert_eq "tmpfs-tz.service: warning: timezone-missing: tmpfs-tz.service cannot find time zone data: Europe/Berlin not in /
  advice: The unit's TemporaryFileSystem=/usr/share:ro hides the zone database (/usr/share/zoneinfo/) from it, so zone Europe/Berlin cannot be loaded. With TZ naming a zone it cannot load, a Go program silently runs in UTC. Bind it back in:
  drop-in: /etc/systemd/system/tmpfs-tz.service.d/goguard-timezone-missing.conf
    [Service]
    BindReadOnlyPaths=/usr/share/zoneinfo
tmpfs-exe.service: critical: exec-failed: tmpfs-exe.service could not be executed: /usr/bin/healthy is under TemporaryFileSystem=/usr/bin
  advice: The unit's TemporaryFileSystem=/usr/bin mounts an empty file system over its own program: systemd finds no file to execute (\"No such file or directory\", status=203/EXEC). Bind the program's directory back in:
  drop-in: /etc/systemd/system/tmpfs-exe.service.d/goguard-exec-failed.conf
    [Service]
    BindReadOnlyPaths=/usr/bin" "$out" "TemporaryFileSystem=: what it hides, what a bind puts back"

# RootImage=: not looked into before start, and said so; no finding.
unit image /usr/bin/private $'User=nobody\nRootImage=/srv/app.raw'
check --root="$root" "$root/units/image.service"
assert_eq 0 "$rc" "RootImage=: nothing judged"
assert_eq "" "$out"
assert_eq "image.service: note: RootImage=/srv/app.raw not looked into before start: its executable, libraries, TLS roots, zone database and users are not judged" "$err"

# A binfmt_misc handler the root registers (systemd-binfmt's binfmt.d) runs the arm64 binary:
# no arch-mismatch, a note naming the handler.
put "$root/etc/binfmt.d/qemu-aarch64.conf" '# qemu-user-static
:qemu-aarch64:M::\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\xb7\x00:\xff\xff\xff\xff\xff\xff\xff\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff:/usr/libexec/qemu-binfmt/aarch64-binfmt-P:POCF
'
check --root="$root" "$root/units/arch.service"
assert_eq 0 "$rc" "a foreign binary a handler runs"
assert_eq "" "$out"
assert_eq "arch.service: note: built for aarch64 64-bit little-endian: runs emulated through the binfmt_misc handler qemu-aarch64 (/usr/libexec/qemu-binfmt/aarch64-binfmt-P)" "$err"
