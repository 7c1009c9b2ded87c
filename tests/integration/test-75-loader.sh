# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
# The loader family end to end, with real Go binaries under real unit settings: patched copies of
# healthy-cgo (a needed library that does not exist, a glibc version this host cannot meet, an
# interpreter that does not exist), healthy cross-built for arm64, healthy on a noexec mount,
# without its execute bits, and with them for root only under User=nobody. goguardd finds each before the unit ever started (the units are
# loaded, not started), the failure confirms it, and a new binary resolves it. A healthy cgo unit
# and a GOAMD64=v3 build on this CPU (whose /proc/cpuinfo may lack flags the runtime does not
# need) get nothing. (cpu-level cannot fail for real on a CPU that runs v4; the Check tests
# cover it.)
source "$SRC_DIR/tests/integration/goguard-lib.sh"
require_go_services

bin=$BUILD_DIR/${UNIT_PREFIX}loader
noexec=/run/${UNIT_PREFIX}noexec
names=(missing glibc interp arch noexec mode nep perm ok v3)
units=()
for n in "${names[@]}"; do
        units+=("${UNIT_PREFIX}$n.service")
done
cleanup() {
        box_exec systemctl stop "${units[@]}" >/dev/null 2>&1 || true
        for u in "${units[@]}"; do
                box_exec rm -f "/run/systemd/system/$u" "/run/systemd/system/multi-user.target.wants/$u"
        done
        box_exec systemctl daemon-reload || true
        box_exec umount "$noexec" 2>/dev/null || true
        rm -rf "$bin"
}
trap cleanup EXIT
mkdir -p "$bin"

# patch SRC DST OLD NEW: a copy of SRC with every OLD (bytes, same length as NEW) replaced.
patch_binary() {
        python3 - "$@" <<'EOF'
import sys
src, dst, old, new = sys.argv[1], sys.argv[2], sys.argv[3].encode(), sys.argv[4].encode()
assert len(old) == len(new)
b = open(src, "rb").read()
assert old in b, old
open(dst, "wb").write(b.replace(old, new))
EOF
        chmod 0755 "$2"
}
cgo=$GO_SERVICES_DIR/healthy-cgo
patch_binary "$cgo" "$bin/missing" $'libc.so.6\x00' $'libq.so.6\x00'
patch_binary "$cgo" "$bin/glibc" $'GLIBC_2.34\x00' $'GLIBC_2.99\x00'
patch_binary "$cgo" "$bin/interp" $'/lib64/ld-linux-x86-64.so.2\x00' $'/lib64/ld-linux-x86-64.so.9\x00'
install -m 0755 "$GO_SERVICES_DIR/healthy-arm64" "$bin/arch"
install -m 0644 "$GO_SERVICES_DIR/healthy" "$bin/mode"
install -m 0755 "$GO_SERVICES_DIR/healthy" "$bin/nep"
install -m 0700 "$GO_SERVICES_DIR/healthy" "$bin/perm"
install -m 0755 "$cgo" "$bin/ok"
install -m 0755 "$GO_SERVICES_DIR/healthy-v3" "$bin/v3"
box_exec mkdir -p "$noexec"
box_exec mount -t tmpfs -o noexec,mode=0755 tmpfs "$noexec"
box_exec install -m 0755 "$GO_SERVICES_DIR/healthy" "$noexec/healthy"
# goguardd (PrivateMounts=) sees mounts made after it started only where / is shared, as PID 1
# makes it on a host; in the box (a container to systemd) it is not: (re)start it after the mount.
box_exec systemctl restart goguardd.service
wait_until 5 box_exec systemctl is-active --quiet goguardd.service

# The units, loaded (wanted by multi-user.target) but not started; nep's own NoExecPaths= covers
# its program.
for n in "${names[@]}"; do
        exe=$bin/$n extra=
        [[ $n == noexec ]] && exe=$noexec/healthy
        [[ $n == nep ]] && extra="NoExecPaths=$bin"
        [[ $n == perm ]] && extra="User=nobody"
        # The controls run as a user of their own: a root network service is a finding of its own.
        [[ $n == ok || $n == v3 ]] && extra="DynamicUser=yes"
        box_sh 'printf "[Service]\nExecStart=%s -addr=127.0.0.1:0\nRestart=no\n%s\n" "$2" "$3" >"/run/systemd/system/$1"' \
                "${UNIT_PREFIX}$n.service" "$exe" "$extra"
done
# One reload for all (add-wants reloads).
box_exec systemctl add-wants multi-user.target "${units[@]}" >/dev/null 2>&1

# finding_of NAME CLASS: the id of the unit's one open finding of that class.
finding_of() {
        gg_finding_of "${UNIT_PREFIX}$1.service" "$2"
}
declare -A class=([missing]=missing-library [glibc]=glibc-too-old [interp]=interpreter-missing
        [arch]=arch-mismatch [noexec]=exec-failed [mode]=exec-failed [nep]=exec-failed [perm]=exec-failed)
declare -A id
for n in missing glibc interp arch noexec mode nep perm; do
        wait_until 30 eval '[ -n "$(finding_of '"$n"' '"${class[$n]}"')" ]'
        id[$n]=$(finding_of "$n" "${class[$n]}")
        assert_match '[0-9a-f]{32}' "${id[$n]}" "one ${class[$n]} finding for $n"
        u=${UNIT_PREFIX}$n.service
        # Before the unit ever ran.
        assert_eq inactive "$(box_unit_prop "$u" ActiveState)" "$u is not started"
        assert_eq 0 "$(box_unit_prop "$u" ExecMainStartTimestampMonotonic)" "$u never ran"
        f=$(gg_finding "${id[$n]}")
        assert_json "$f" 'd["Class"] == "'"${class[$n]}"'" and d["Severity"] == "critical" and d["State"] == "open" and d["Count"] == 1' \
                "$n: class, severity, open, one occurrence"
        assert_json "$f" 'd["Evidence"]["checked_at"] > 0 and d["Evidence"]["go_version"] == "go1.19.8"' "$n: a condition"
done

glibc=$(box_exec bash -c 'ldd --version | head -n1' | sed 's/.* //')
f=$(gg_finding "${id[missing]}")
assert_json "$f" 'd["Summary"] == "'"${UNIT_PREFIX}"'missing.service needs a shared library the host does not have: libq.so.6"' \
        "missing: the summary names the library"
assert_json "$f" 'd["Evidence"]["loader_libraries_missing"] == "libq.so.6" and d["Evidence"]["loader_exe_path"] == "'"$bin/missing"'"' \
        "missing: the library and the executable"
assert_json "$f" 'd["Evidence"]["loader_library_search"] == "libq.so.6: ld.so.cache, /lib/x86_64-linux-gnu, /usr/lib/x86_64-linux-gnu, /lib, /usr/lib"' \
        "missing: where the loader looks"
assert_json "$f" 'd["Advice"][0][0] == "command" and d["Advice"][0][2] == "apt-file search '"'libq.so.6'"'  # or: dnf provides '"'*/libq.so.6'"'"' \
        "missing: advice names the library"
assert_json "$f" 'd["Advice"][1] == ["command", "Or, if the program does not need C code, build it without cgo: a static Go binary needs no shared library.", "CGO_ENABLED=0 go build"]' \
        "missing: advice CGO_ENABLED=0"

f=$(gg_finding "${id[glibc]}")
assert_json "$f" 'd["Summary"] == "'"${UNIT_PREFIX}"'glibc.service needs a newer glibc than the host has: GLIBC_2.99 from libc.so.6, the host has glibc '"$glibc"'"' \
        "glibc: the version needed and the host's"
assert_json "$f" 'd["Evidence"]["loader_glibc_required"] == "libc.so.6: GLIBC_2.99" and d["Evidence"]["loader_glibc_host"] == "GLIBC_'"$glibc"'"' \
        "glibc: evidence"
assert_json "$f" 'd["Advice"][0][2] == "CGO_ENABLED=0 go build" and d["Advice"][1][2].startswith("docker run --rm -v \"$PWD\":/src -w /src golang:1.19.8-")' \
        "glibc: advice"

f=$(gg_finding "${id[interp]}")
assert_json "$f" 'd["Summary"] == "'"${UNIT_PREFIX}"'interp.service needs an ELF interpreter this host does not have: /lib64/ld-linux-x86-64.so.9 (glibc)"' \
        "interp: the summary names the interpreter"
assert_json "$f" 'd["Advice"][0][2] == "CGO_ENABLED=0 go build"' "interp: advice a static build"

f=$(gg_finding "${id[arch]}")
assert_json "$f" 'd["Summary"] == "'"${UNIT_PREFIX}"'arch.service was built for another architecture: aarch64 64-bit little-endian (GOARCH=arm64), this host is x86-64 64-bit little-endian"' \
        "arch: the summary"
assert_json "$f" 'd["Advice"][0][2] == "GOOS=linux GOARCH=amd64 go build"' "arch: advice a build for this host"

f=$(gg_finding "${id[noexec]}")
assert_json "$f" 'd["Summary"] == "'"${UNIT_PREFIX}"'noexec.service could not be executed: '"$noexec"'/healthy is on a file system mounted noexec"' \
        "noexec: the summary"
assert_json "$f" 'd["Evidence"]["loader_exec_cause"] == "noexec"' "noexec: the cause"
f=$(gg_finding "${id[mode]}")
assert_json "$f" 'd["Summary"] == "'"${UNIT_PREFIX}"'mode.service could not be executed: '"$bin"'/mode is not executable (mode 0644)"' \
        "mode: the summary"
assert_json "$f" 'd["Advice"][0][2] == "chmod 0755 '"'$bin/mode'"'"' "mode: advice chmod"
f=$(gg_finding "${id[nep]}")
assert_json "$f" 'd["Summary"] == "'"${UNIT_PREFIX}"'nep.service could not be executed: '"$bin"'/nep is under NoExecPaths='"$bin"'"' \
        "nep: the summary names the unit's own rule"
assert_json "$f" 'd["Advice"][0][0] == "dropin" and d["Advice"][0][2] == "[Service]\nExecPaths='"$bin"'\n"' \
        "nep: advice a drop-in with ExecPaths="
f=$(gg_finding "${id[perm]}")
nobody="User=nobody (uid $(box_exec id -u nobody), gid $(box_exec id -g nobody))"
assert_json "$f" 'd["Summary"] == "'"${UNIT_PREFIX}"'perm.service could not be executed: '"$bin"'/perm is not executable by '"$nobody"' (mode 0700, owner root:root)"' \
        "perm: the summary names the mode, the owner and the user"
assert_json "$f" 'd["Evidence"]["loader_exec_cause"] == "permission" and d["Evidence"]["loader_exe_mode"] == "0700" and d["Evidence"]["loader_exe_owner"] == "root:root" and d["Evidence"]["loader_exec_user"] == "'"$nobody"'"' \
        "perm: evidence"

# The controls: nothing for a healthy cgo unit, nor for the v3 build on this CPU.
for n in ok v3; do
        assert_eq 1 "$(gg_call ListFindings 'a{sv}uu' 1 unit s "${UNIT_PREFIX}$n.service" 0 0 |
                json_get - 'int(len(d["data"][0]) == 0)')" "no finding for $n before it starts"
done

# 2. They start and fail as found: the failure's own words confirm each finding.
for n in "${names[@]}"; do
        box_exec systemctl start "${UNIT_PREFIX}$n.service" >/dev/null 2>&1 || true
done
declare -A confirmed=(
        [missing]='.*error while loading shared libraries: libq\.so\.6: cannot open shared object file: No such file or directory'
        [glibc]=".*: /lib/x86_64-linux-gnu/libc\.so\.6: version \`GLIBC_2\.99' not found \(required by $bin/glibc\)"
        [interp]='.*: Main process exited, code=exited, status=203/EXEC'
        [arch]='.*: Main process exited, code=exited, status=203/EXEC'
        [noexec]='.*: Main process exited, code=exited, status=203/EXEC'
        [mode]='.*: Main process exited, code=exited, status=203/EXEC'
        [nep]='.*: Main process exited, code=exited, status=203/EXEC'
        [perm]='.*: Main process exited, code=exited, status=203/EXEC')
for n in missing glibc interp arch noexec mode nep perm; do
        wait_until 30 eval '[ "$(gg_finding "${id['"$n"']}" | json_get - "d[\"Count\"]")" = 2 ]'
        f=$(gg_finding "${id[$n]}")
        assert_json "$f" 'd["Count"] == 2 and d["State"] == "open"' "$n: the failure counted on the same finding"
        assert_match "${confirmed[$n]}" "$(json_get "$f" 'd["Evidence"]["loader_confirmed_by"]')" "$n: confirmed by its words"
        assert_eq "$(box_unit_prop "${UNIT_PREFIX}$n.service" InvocationID)" "$(json_get "$f" 'd["InvocationID"]')" \
                "$n: the failed invocation"
        assert_eq "${id[$n]}" "$(finding_of "$n" "${class[$n]}")" "$n: still the one finding"
done
assert_eq 1 "$(gg_call ListFindings 'a{sv}uu' 1 unit s "${UNIT_PREFIX}mode.service" 0 0 | json_get - 'len(d["data"][0])')" \
        "mode: one finding, nothing else of this family"
for n in ok v3; do
        wait_until 10 eval '[ "$(box_unit_prop '"${UNIT_PREFIX}$n.service"' ActiveState)" = active ]'
        assert_eq 1 "$(gg_call ListFindings 'a{sv}uu' 1 unit s "${UNIT_PREFIX}$n.service" 0 0 |
                json_get - 'int(len(d["data"][0]) == 0)')" "no finding for $n, running"
done

# 3. The missing library installed and ldconfig run: goguardd reads the new /etc/ld.so.cache and
#    resolves the finding by the configuration (the unit stays as it was).
box_exec systemctl stop "${UNIT_PREFIX}missing.service" >/dev/null 2>&1 || true
printf 'int gg_loader_test_symbol;\n' >"$bin/libq.c"
cc -shared -fPIC -Wl,-soname,libq.so.6 -o "$bin/libq.so.6" "$bin/libq.c"
libdir=/usr/local/lib/${UNIT_PREFIX}libq
box_exec mkdir -p "$libdir" /etc/ld.so.conf.d
box_exec install -m 0644 "$bin/libq.so.6" "$libdir/libq.so.6"
box_sh 'echo "$1" >"/etc/ld.so.conf.d/$2.conf" && ldconfig' "$libdir" "${UNIT_PREFIX}libq"
trap 'box_exec rm -rf "$libdir" "/etc/ld.so.conf.d/${UNIT_PREFIX}libq.conf"; box_exec ldconfig; cleanup' EXIT
wait_until 30 eval '[ "$(gg_finding "${id[missing]}" | json_get - "d[\"State\"]")" = resolved ]'
f=$(gg_finding "${id[missing]}")
assert_json "$f" 'd["State"] == "resolved" and d["Evidence"]["resolved_by"] == "configuration-fixed"' \
        "missing: resolved when ldconfig put the library in the cache"
assert_eq 0 "$(gg_call ListFindings 'a{sv}uu' 2 unit s "${UNIT_PREFIX}missing.service" state s open 0 0 |
        json_get - 'len(d["data"][0])')" "missing: no open finding"

# 4. A new binary built against this host's glibc: resolved too, before it runs again.
box_exec systemctl stop "${UNIT_PREFIX}glibc.service" >/dev/null 2>&1 || true
install -m 0755 "$cgo" "$bin/glibc.new"
mv -f "$bin/glibc.new" "$bin/glibc"
box_exec systemctl daemon-reload
wait_until 30 eval '[ "$(gg_finding "${id[glibc]}" | json_get - "d[\"State\"]")" = resolved ]'
f=$(gg_finding "${id[glibc]}")
assert_json "$f" 'd["State"] == "resolved" and d["Evidence"]["resolved_by"] == "configuration-fixed"' \
        "glibc: resolved when the binary was rebuilt"
