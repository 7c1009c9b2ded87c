#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
#   build-go.sh DEST_DIR
#
# Builds the Go test services of tests/go/services/ into DEST_DIR with the Go toolchain $GO
# (default: go from PATH; Debian's golang-go, 1.19, on the CI machines):
#
#   healthy       HTTP server on 127.0.0.1 (-addr, $HEALTHY_ADDR, $PORT; default a free port)
#   healthy-cgo   the same, built with cgo (dynamically linked, CGO_ENABLED=1 in its build info)
#   fdleak        runs out of descriptors, logs Go's "too many open files" error, keeps running
#   memhog        allocates and touches memory until killed
#   nohome        os.UserHomeDir(); logs "$HOME is not defined" and exits 1 without $HOME
#   churn         a steady live set plus constant garbage: OOM-killed under a tight MemoryMax=
#                 unless GOMEMLIMIT is set
#   chatty        writes -rate lines per second for -seconds seconds (tests/bench/noisy.sh)
#   healthy-secret  healthy built with -ldflags "-X main.buildSecret=$GG_BUILD_SECRET": its build
#                 info carries a secret (the secrets test)
#   sleeper       sleeps, as cheaply as a Go program can (tests/bench/burst.sh)
#   threadhog     goroutines locked to their threads, blocked in read(2): grows its threads until
#                 the runtime cannot create one (-mode=grow, -mode=limit with debug.SetMaxThreads),
#                 or holds -threads of them (-mode=hold)
#   netfail       fails to listen (-mode=listen -addr=ADDR: a privileged port, a port in use), or
#                 runs out of local ports in a network namespace of its own (-mode=ephemeral)
#   crasher       dies after -delay: a panic in the module example.com/crashlib v1.4.2 (replaced
#                 by crashlib/ in go.mod), concurrent map writes, a fault, a nil dereference
#                 (-mode=panic|mapwrites|fault|nil), or runs (-mode=healthy)
#   envprobe      needs something of its environment (-mode=tz: a zone, -mode=tls: TLS roots,
#                 -mode=user: its user in /etc/passwd) and logs Go's error; -mode=serve listens;
#                 envprobe-cgo the same with cgo (-mode=user asks NSS: DynamicUser= users too)
#   dnsfail       net.Dial to a name that does not resolve, logging Go's error every -interval;
#                 with -serve ADDR a DNS server answering NXDOMAIN; dnsfail-cgo the same with cgo
#   healthy-arm64 healthy cross-built for GOARCH=arm64 (the loader test's foreign binary)
#   healthy-v3    healthy built with GOAMD64=v3 (the loader test: runs on a v3 CPU, no finding)
#
# All but healthy-cgo, dnsfail-cgo and envprobe-cgo with CGO_ENABLED=0. GOCACHE and GOPATH live
# in DEST_DIR/.cache, no network (GOPROXY=off), -buildvcs=false. Exits 77 if there is no Go
# toolchain (or no C compiler for cgo).

set -euo pipefail

if [[ $# -ne 1 ]]; then
        echo "usage: $0 DEST_DIR" >&2
        exit 2
fi
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
src=$here/../go/services
go=${GO:-go}
if [[ $go != */* ]]; then
        go=$(command -v "$go" || true)
fi
if [[ -z $go || ! -x $go ]]; then
        echo "build-go: no Go toolchain (${GO:-go})" >&2
        exit 77
fi

mkdir -p "$1"
dest=$(cd "$1" && pwd)

unset GOOS GOARCH GOAMD64 GOEXPERIMENT CGO_CFLAGS CGO_CPPFLAGS CGO_LDFLAGS CGO_ENABLED \
        GOROOT GOBIN GOMODCACHE GOFLAGS GOINSECURE GOPRIVATE GONOPROXY GONOSUMDB
export GOCACHE=$dest/.cache/go-build GOPATH=$dest/.cache/go-path GOENV=off GOWORK=off \
        GOPROXY=off GOSUMDB=off GOTOOLCHAIN=local GOTELEMETRY=off
export LC_ALL=C

cc=$(cd "$src" && "$go" env CC)
if ! command -v "${cc%% *}" >/dev/null; then
        echo "build-go: no C compiler ('$cc') for the cgo build" >&2
        exit 77
fi

# The -X value of healthy-secret; the secrets test looks for it.
GG_BUILD_SECRET=gg-build-secret-5b7e0c1d

# build CGO_ENABLED NAME PACKAGE [NAME PACKAGE...]: one go build for several programs, with
# the extra go build flags in build_flags.
build_flags=()
build() {
        local cgo=$1 tmp=$dest/.tmp.$$ i
        shift
        local -a names=() pkgs=()
        while [[ $# -gt 0 ]]; do
                names+=("$1")
                pkgs+=("$2")
                shift 2
        done
        # A directory of our own: two runs may share DEST_DIR.
        rm -rf "$tmp"
        mkdir -p "$tmp"
        if ! (cd "$src" && CGO_ENABLED=$cgo "$go" build -buildvcs=false "${build_flags[@]}" -o "$tmp/" "${pkgs[@]}") \
                >"$tmp/build.log" 2>&1; then
                echo "build-go: building ${names[*]} (CGO_ENABLED=$cgo) failed:" >&2
                cat "$tmp/build.log" >&2
                rm -rf "$tmp"
                exit 1
        fi
        # go build -o DIR/ names each program after its package's directory.
        for i in "${!names[@]}"; do
                mv -f "$tmp/$(basename "${pkgs[i]}")" "$dest/${names[i]}"
        done
        rm -rf "$tmp"
}

programs=(healthy healthy-cgo fdleak memhog nohome churn chatty healthy-secret sleeper threadhog netfail crasher dnsfail dnsfail-cgo
        healthy-arm64 healthy-v3 envprobe envprobe-cgo)

# Up to date: every program newer than every source file and than the go tool.
up_to_date() {
        local p
        for p in "${programs[@]}"; do
                [[ -x $dest/$p && $dest/$p -nt $go ]] || return 1
                [[ -z $(find "$src" -newer "$dest/$p" -print -quit) ]] || return 1
        done
}

if up_to_date; then
        echo "build-go: ${programs[*]} in $dest are up to date"
        exit 0
fi
start=$SECONDS
build 0 healthy ./healthy fdleak ./fdleak memhog ./memhog nohome ./nohome churn ./churn chatty ./chatty \
        sleeper ./sleeper threadhog ./threadhog netfail ./netfail crasher ./crasher envprobe ./envprobe
build 1 healthy-cgo ./healthy
build 0 dnsfail ./dnsfail
build 1 dnsfail-cgo ./dnsfail
build 1 envprobe-cgo ./envprobe
build_flags=(-ldflags "-X main.buildSecret=$GG_BUILD_SECRET")
build 0 healthy-secret ./healthy
build_flags=()
GOARCH=arm64 build 0 healthy-arm64 ./healthy
GOAMD64=v3 build 0 healthy-v3 ./healthy
echo "build-go: $("$go" version | cut -d' ' -f3): ${programs[*]} in $dest ($((SECONDS - start)) s)"
