#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# The `inspect` suite: builds a corpus of real Go binaries from tests/go/ with the Go toolchain
# under test, then checks `goguardctl inspect` against `go version -m`, `go tool buildid` and
# readelf (check-inspect.py).
#
#   inspect-test.sh GOGUARDCTL GO ELF_STRIP_SECTIONS GO_SRC_DIR WORK_DIR
#
# Exits 77 (skipped) when GO or a needed host tool is missing, unless CI=true: then that is a
# failure. Everything it writes stays in WORK_DIR (corpus, GOCACHE, GOPATH), so reruns are fast
# and $HOME is not touched. No network: GOPROXY=off.

set -euo pipefail

if [[ $# -ne 5 ]]; then
        echo "usage: $0 GOGUARDCTL GO ELF_STRIP_SECTIONS GO_SRC_DIR WORK_DIR" >&2
        exit 2
fi
goguardctl=$1
go=$2
strip_sections=$3
go_src=$4
work=$5
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
start=$SECONDS

missing() {
        if [[ ${CI:-} == true ]]; then
                echo "FAIL: $1 (CI=true, so a missing tool is a failure)"
                exit 1
        fi
        echo "SKIP: $1"
        exit 77
}

if [[ $go != */* ]]; then
        go=$(command -v "$go" || true)
fi
[[ -n $go && -x $go ]] || missing "Go toolchain '${2}' not found"
for tool in readelf strip git python3; do
        command -v "$tool" >/dev/null || missing "$tool not found"
done

# A predictable Go environment: no user configuration, no network, nothing from the caller's
# GOOS/GOARCH/CGO_* settings.
unset GOOS GOARCH GOAMD64 GO386 GOARM GOARM64 GOMIPS GOMIPS64 GOPPC64 GORISCV64 GOWASM \
        GOEXPERIMENT CGO_ENABLED CGO_CFLAGS CGO_CPPFLAGS CGO_CXXFLAGS CGO_LDFLAGS CC CXX \
        GOROOT GOBIN GOMODCACHE GOFLAGS GCCGO GOGCCFLAGS GOINSECURE GOPRIVATE GONOPROXY GONOSUMDB
mkdir -p "$work"
work=$(cd "$work" && pwd)
export GOCACHE=$work/go-cache GOPATH=$work/go-path GOENV=off GOWORK=off GOPROXY=off \
        GOSUMDB=off GOTOOLCHAIN=local GOTELEMETRY=off GOFLAGS=-buildvcs=false
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null LC_ALL=C PYTHONDONTWRITEBYTECODE=1

corpus=$work/corpus
src=$work/src
gitsrc=$work/gitsrc
rm -rf "$corpus" "$src" "$gitsrc" "$work/tmp"
mkdir -p "$corpus" "$work/tmp"
cp -R "$go_src/hello" "$src"
chmod -R u+w "$src"

echo "# $("$go" version), corpus in $corpus"
cgo_cc=$("$go" env CC)
command -v "${cgo_cc%% *}" >/dev/null || missing "C compiler '$cgo_cc' for cgo not found"

# build NAME [VAR=VALUE...] -- GO-BUILD-ARGS...: one binary of the corpus, from $src.
build() {
        local name=$1
        shift
        local -a envs=()
        while [[ $1 != -- ]]; do
                envs+=("$1")
                shift
        done
        shift
        local t=$SECONDS
        if ! (cd "${BUILD_DIR:-$src}" && env "${envs[@]}" "$go" build -o "$corpus/$name" "$@") \
                >"$work/tmp/build-$name.log" 2>&1; then
                echo "FAIL: building $name: (cd ${BUILD_DIR:-$src} && ${envs[*]@Q} go build -o $name ${*@Q})"
                sed 's/^/    /' "$work/tmp/build-$name.log"
                exit 1
        fi
        echo "# built $name ($((SECONDS - t))s): ${envs[*]@Q} go build ${*@Q}"
}

build hello-static CGO_ENABLED=0 -- .
# cgo.go makes CGO_ENABLED=1 builds call C: dynamic, libc.so.6, GLIBC_ symbol versions. The
# CGO_CFLAGS value needs quoting in the build settings.
build hello-cgo CGO_ENABLED=1 'CGO_CFLAGS=-g -O2 -DGOGUARD_TEST=1' -- .
build hello-pie CGO_ENABLED=0 -- -buildmode=pie .
# -trimpath drops -ldflags and the CGO_*FLAGS settings from the build information.
build hello-trimpath CGO_ENABLED=1 -- -trimpath -ldflags=-X=main.v=trimmed .
build hello-sw CGO_ENABLED=0 -- '-ldflags=-s -w' .
build hello-quoted CGO_ENABLED=0 -- "-ldflags=-X 'main.v=a b\"c'" .
build hello-tags CGO_ENABLED=0 -- -tags a,b .
build hello-v3 CGO_ENABLED=0 GOAMD64=v3 -- .
build hello-extld CGO_ENABLED=1 -- -ldflags=-linkmode=external .
build hello-386 CGO_ENABLED=0 GOARCH=386 -- .
build hello-arm64 CGO_ENABLED=0 GOARCH=arm64 -- .
build hello-s390x CGO_ENABLED=0 GOARCH=s390x -- .
build hello-riscv64 CGO_ENABLED=0 GOARCH=riscv64 -- .
build hello-freebsd-amd64 CGO_ENABLED=0 GOOS=freebsd GOARCH=amd64 -- .
# go build writes a c-shared object without execute permission (0644 after umask).
build libhello.so CGO_ENABLED=1 -- -buildmode=c-shared ./cshared
rm -f "$corpus/libhello.h"

# The one build with VCS information: a throwaway repository with a fixed commit time.
cp -R "$src" "$gitsrc"
(
        cd "$gitsrc"
        git init -q .
        git add -A
        GIT_AUTHOR_DATE=2024-02-03T04:05:06Z GIT_COMMITTER_DATE=2024-02-03T04:05:06Z \
                git -c user.name=goguard-test -c user.email=goguard-test@example.invalid \
                commit -q -m "goguard inspect test corpus"
)
BUILD_DIR=$gitsrc build hello-vcs CGO_ENABLED=0 -- -buildvcs=true .
git -C "$gitsrc" rev-parse HEAD >"$work/tmp/vcs-revision"

# Post-processed copies: binutils strip (x86 only: Debian's strip knows no other machines), and
# the section header table removed.
for f in hello-static hello-cgo hello-pie hello-extld hello-386 libhello.so; do
        strip -o "$corpus/stripped-$f" "$corpus/$f"
done
for f in hello-static hello-cgo hello-pie hello-extld hello-386 hello-s390x libhello.so \
        stripped-hello-pie stripped-hello-cgo; do
        "$strip_sections" "$corpus/$f" "$corpus/noshdr-$f"
done
echo "# corpus ready ($((SECONDS - start))s)"

# Things a directory scan must pass over quietly: a non-Go executable, an executable script,
# an empty executable, a Go binary without execute permission, a symlink to a directory. And
# one it must follow: a symlink to a Go binary, in a subdirectory.
mkdir -p "$corpus/extras"
cp /bin/true "$corpus/extras/not-go"
printf '#!/bin/sh\nexit 0\n' >"$corpus/extras/script"
: >"$corpus/extras/empty"
chmod 755 "$corpus/extras/not-go" "$corpus/extras/script" "$corpus/extras/empty"
cp "$corpus/hello-static" "$corpus/extras/go-not-executable"
chmod 644 "$corpus/extras/go-not-executable"
ln -s ../hello-cgo "$corpus/extras/link-to-go"
ln -s .. "$corpus/extras/link-to-dir"

# Signal handling, from the function-name table, in the test services (build-go.sh): crasher
# calls signal.Notify and signal.Ignore (inlined: no symbol of its own), healthy signal.Notify,
# fdleak neither. go tool nm says whether os/signal.Notify is a function of its own.
services=$work/services
GO=$go "$go_src/../integration/build-go.sh" "$services" >/dev/null
strip -o "$services/stripped-healthy" "$services/healthy"
"$strip_sections" "$services/healthy" "$services/noshdr-healthy"
signals_rc=0
for want in crasher=notify+ignore healthy=notify fdleak=none stripped-healthy=notify noshdr-healthy=None; do
        name=${want%%=*}
        got=$("$goguardctl" inspect --json "$services/$name" |
                python3 -c 'import json, sys; print(json.load(sys.stdin)[0]["signal_handling"])')
        # Notify as a function of its own (go tool nm; not for the stripped copies) and as found.
        got_notify=$([[ $got == notify* ]] && echo yes || echo no)
        nm_notify=$got_notify
        if [[ $name != *-* ]]; then
                nm_notify=no
                symbols=$("$go" tool nm "$services/$name")
                if grep -q ' T os/signal\.Notify$' <<<"$symbols"; then
                        nm_notify=yes
                fi
        fi
        if [[ $got != "${want#*=}" || $nm_notify != "$got_notify" ]]; then
                echo "FAIL: signal_handling of $name: $got, expected ${want#*=} (go tool nm: Notify $nm_notify)"
                signals_rc=1
        else
                echo "PASS: signal_handling of $name: $got"
        fi
done

rc=0
python3 "$here/check-inspect.py" --goguardctl "$goguardctl" --go "$go" --corpus "$corpus" \
        --tmp "$work/tmp" --vcs-revision "$(cat "$work/tmp/vcs-revision")" || rc=$?
echo "# total $((SECONDS - start))s"
[[ $rc -ne 0 ]] || rc=$signals_rc
exit $rc
