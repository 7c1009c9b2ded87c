#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
#   run.sh BUILD_DIR [PATTERN]
#
# The integration suite: builds the Go test services (build-go.sh) into BUILD_DIR/integration-go,
# boots ONE box (box.sh: a real systemd as PID 1 of a private namespace), installs BUILD_DIR into
# it with `meson install`, then runs every tests/integration/test-*.sh in sorted order, or those
# whose name (e.g. test-00-box) matches the extended regex PATTERN, and powers the box off.
#
# BUILD_DIR must be configured with --prefix=/usr --sysconfdir=/etc --localstatedir=/var and live
# outside /run, /tmp, /var, /usr and /etc (the box replaces those).
#
# Each test is a bash file sourced by a fresh bash (run-one.sh: set -eEuo pipefail, box.sh
# loaded, skip and require_go_services defined, cwd BUILD_DIR) with:
#   TEST_NAME         its file name without .sh
#   UNIT_PREFIX       a prefix unique to this test in this run, for unit names, journal tags...
#                     (gg-RUNID-NN-): never reuse unit names across runs (see box.sh)
#   BOX_PID, BOX_DIR  the box (box_exec, box_journal... work)
#   BUILD_DIR         the build directory (absolute; the same path inside the box)
#   SRC_DIR           the source directory
#   GO_SERVICES_DIR   the Go test services (BUILD_DIR/integration-go), same path in the box;
#                     empty if they could not be built (no Go): call require_go_services
#   BOX_HOST_MARKER   a file in the host's /tmp created before the box booted
# A test passes by exiting 0 (falling off its end), fails otherwise, and is skipped by exit 77
# (`skip REASON`), which counts as a failure under CI=true. It is killed after TEST_TIMEOUT
# seconds (default 300).
#
# Exits 77 (skipped) if it cannot run here (not root, no namespaces, no systemd), unless
# CI=true: then 1. Prints "PASS name" / "FAIL name" / "SKIP name" per test and finally
# "integration: N passed, M failed"; exits 1 on any failure.

set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
src_dir=$(cd "$here/../.." && pwd)

cannot_run() {
        if [[ ${CI:-} == true ]]; then
                echo "integration: FAIL: $1 (CI=true: a skipped integration suite is a failure)"
                exit 1
        fi
        echo "integration: SKIP: $1"
        exit 77
}

if [[ $# -lt 1 || $# -gt 2 ]]; then
        echo "usage: $0 BUILD_DIR [PATTERN]" >&2
        exit 2
fi
[[ -d $1 ]] || cannot_run "build directory '$1' not found"
build_dir=$(cd "$1" && pwd -P)
pattern=${2:-}

[[ $(id -u) -eq 0 ]] || cannot_run "needs root (namespaces, mounts, a system manager)"
for tool in unshare nsenter flock python3 meson timeout findmnt; do
        command -v "$tool" >/dev/null || cannot_run "$tool not found"
done
# shellcheck source=box.sh
source "$here/box.sh"
[[ -x $BOX_SYSTEMD ]] || cannot_run "$BOX_SYSTEMD not found (Debian package systemd)"
command -v busctl >/dev/null || cannot_run "busctl not found"
[[ -e /usr/share/dbus-1/system.conf ]] || cannot_run "no system bus configuration (Debian package dbus)"
unshare --fork --pid --mount --mount-proc --uts --ipc true 2>/dev/null ||
        cannot_run "cannot create pid/mount/uts/ipc namespaces here (unshare failed)"

# Misconfiguration is a failure, not a skip.
_box_check_path "$build_dir" || exit 1
box_check_build "$build_dir" || exit 1

mapfile -t tests < <(find "$here" -maxdepth 1 -name 'test-*.sh' -printf '%f\n' | LC_ALL=C sort)
if [[ -n $pattern ]]; then
        mapfile -t tests < <(printf '%s\n' "${tests[@]}" | grep -E -- "$pattern" || true)
fi
if [[ ${#tests[@]} -eq 0 || -z ${tests[0]} ]]; then
        echo "integration: no test matches '${pattern}'"
        exit 1
fi

# The Go test services, built on the host before the box boots (same path inside it).
go_services_dir=$build_dir/integration-go
rc=0
"$here/build-go.sh" "$go_services_dir" || rc=$?
if ((rc == 77)); then
        [[ ${CI:-} == true ]] && { echo "integration: FAIL: no Go toolchain (CI=true)"; exit 1; }
        echo "integration: no Go toolchain; tests that need the Go services are skipped"
        go_services_dir=
elif ((rc != 0)); then
        echo "integration: FAIL: building the Go test services failed"
        exit 1
fi

run_id=$(printf '%04x%04x' $RANDOM $RANDOM)
marker=$(mktemp /tmp/goguard-integration-marker.XXXXXX)
test_pgid=

cleanup() {
        local rc=$?
        trap - EXIT INT TERM HUP
        if [[ -n $test_pgid ]]; then
                { kill -s KILL -- "-$test_pgid" && wait "$test_pgid"; } 2>/dev/null || true
        fi
        box_shutdown || rc=1
        rm -f "$marker"
        exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

export BOX_DIR=$build_dir/integration-box
# Extra unit files for the box's /run/systemd/system (none yet).
BOX_EXTRA_UNITS=()
box_boot "${BOX_EXTRA_UNITS[@]}" || { echo "integration: FAIL: the box did not boot"; exit 1; }
if ! box_install "$build_dir"; then
        echo "integration: FAIL: installing $build_dir into the box failed"
        exit 1
fi

export BUILD_DIR=$build_dir SRC_DIR=$src_dir GO_SERVICES_DIR=$go_services_dir \
        BOX_HOST_MARKER=$marker BOX_RUN_ID=$run_id

passed=0
failed=0
skipped=0
failed_names=()
for t in "${tests[@]}"; do
        name=${t%.sh}
        short=${name#test-}
        short=${short//[^A-Za-z0-9]/-}
        export TEST_NAME=$name UNIT_PREFIX=gg-$run_id-$short-
        echo "--- $name (unit prefix $UNIT_PREFIX)"
        since=$EPOCHREALTIME
        tstart=$(_box_now_us)
        # A fresh bash per test (run-one.sh); `timeout` puts it in a process group of its
        # own, which cleanup() kills if this runner is interrupted.
        timeout -k 10 "${TEST_TIMEOUT:-300}" "$here/run-one.sh" "$here/$t" {BOX_LOCK_FD}>&- &
        test_pgid=$!
        rc=0
        wait "$test_pgid" || rc=$?
        test_pgid=
        t=$(($(_box_now_us) - tstart))
        others=$(_box_foreign_boxes | grep -vx "$BOX_PID" | xargs || true)
        if [[ -n $others ]]; then
                echo "integration: WARNING: another systemd box (pid $others) runs on this machine;" \
                        "boxes share the host's cgroup hierarchies, so $name may have been disturbed"
        fi
        took=$(printf '%d.%02d' $((t / 1000000)) $((t % 1000000 / 10000)))
        alive=1
        _box_alive "$BOX_PID" || alive=
        if ((rc == 0)) && [[ -n $alive ]]; then
                echo "PASS $name (${took} s)"
                passed=$((passed + 1))
                continue
        fi
        if ((rc == 77)) && [[ -n $alive && ${CI:-} != true ]]; then
                echo "SKIP $name"
                skipped=$((skipped + 1))
                continue
        fi
        if [[ -z $alive ]]; then
                why="the box died during the test"
        elif ((rc == 77)); then
                why="skipped, which is a failure under CI=true"
        elif ((t >= ${TEST_TIMEOUT:-300} * 1000000)); then
                why="timed out after ${TEST_TIMEOUT:-300} s"
        else
                why="exit status $rc"
        fi
        echo "FAIL $name ($why, ${took} s)"
        failed=$((failed + 1))
        failed_names+=("$name")
        if [[ -z $alive ]]; then
                echo "integration: the box is gone; not running the remaining tests"
                break
        fi
        echo "--- $name: failed units and the box's journal since the test started:"
        box_exec systemctl --failed --no-legend --plain 2>&1 | sed 's/^/  | /' || true
        box_journal --since "@$since" -n 150 -o short-precise 2>&1 | sed 's/^/  | /' || true
done

trap - EXIT INT TERM HUP
if ! box_shutdown; then
        echo "integration: FAIL: shutting the box down went wrong (see above)"
        failed=$((failed + 1))
        failed_names+=(box-shutdown)
fi
rm -f "$marker"
((skipped == 0)) || echo "integration: $skipped skipped"
((failed == 0)) || echo "integration: failed: ${failed_names[*]}"
echo "integration: $passed passed, $failed failed"
((failed == 0))
