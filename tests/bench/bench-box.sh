# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
# For the benchmarks that run many units in the real systemd box: source after box.sh, with
# $build (the build directory) and $src (the checkout) set.

# bench_box_start [ON_EXIT]: build the Go test services, boot the box, install the build into
# it; ON_EXIT runs in the box before it is shut down at exit.
bench_box_start() {
        "$src/tests/integration/build-go.sh" "$build/integration-go" >/dev/null
        export BOX_DIR
        BOX_DIR=$(mktemp -d "$build/bench-box.XXXXXX")
        # shellcheck disable=SC2064 # expanded now: ON_EXIT is given now
        trap "${1:+box_exec $1 >/dev/null 2>&1;} box_shutdown; rm -rf \"\$BOX_DIR\"" EXIT
        box_boot
        box_install "$build"
}

# bench_unit_templates: bench-sleep@.service (a sleeper) and bench-go@.service (a Go HTTP server
# on a free loopback port, MemoryMax=64M) in the box's /run/systemd/system.
bench_unit_templates() {
        box_sh 'cat >/run/systemd/system/bench-sleep@.service' <<'UNIT'
[Service]
ExecStart=/bin/sleep infinity
UNIT
        box_sh 'cat >/run/systemd/system/bench-go@.service' <<UNIT
[Service]
ExecStart=$build/integration-go/healthy
Environment=HEALTHY_ADDR=127.0.0.1:0 GOMAXPROCS=1
MemoryMax=64M
UNIT
}
