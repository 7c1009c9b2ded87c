#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The Cockpit page "Go services" at scale, in the real systemd box: 1000 service units, 100 of
# them Go (as tests/bench/daemon.sh), 20 of those OOM-killed for findings. A
# non-root user logged in to the packaged cockpit.socket opens the page in headless Chromium,
# ROUNDS times; each time the page records how long after the start of navigation it had its
# data (units and findings on screen; target <= 1000 ms), next to a reference: the same
# calls made with busctl in the box.
#   usage: tests/bench/cockpit.sh BUILD_DIR [ROUNDS]
# BUILD_DIR must be configured with --prefix=/usr --sysconfdir=/etc --localstatedir=/var.
set -euo pipefail
build=$(cd "${1:?usage: $0 BUILD_DIR [ROUNDS]}" && pwd)
rounds=${2:-10}
src=$(cd "$(dirname "$0")/../.." && pwd)
source "$src/tests/integration/box.sh"
source "$src/tests/integration/cockpit-lib.sh"
source "$src/tests/bench/bench-box.sh"
missing=$(cockpit_missing)
[[ -z $missing ]] || { echo "$missing is not installed (tools/install-deps installs it)"; exit 77; }

bench_box_start "systemctl stop bench-chromium.service"
bench_unit_templates
box_sh 'cat >/run/systemd/system/bench-hog@.service' <<UNIT
[Service]
ExecStart=$build/integration-go/memhog -chunk 8
MemoryMax=40M
MemorySwapMax=0
UNIT
box_exec systemctl daemon-reload
box_exec systemctl start goguardd.service
box_exec systemctl start $(printf 'bench-sleep@%d.service ' $(seq 1 900)) $(printf 'bench-go@%d.service ' $(seq 1 80))
box_exec systemctl start $(printf 'bench-hog@%d.service ' $(seq 1 20)) || true
gg() { box_exec busctl --json=short call org.goguard.goguard1 /org/goguard/goguard1 org.goguard.goguard1.Manager "$@"; }
for _ in $(seq 1 300); do
        n=$(gg ListFindings 'a{sv}uu' 1 class s oom-kill 0 1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"][1])')
        [[ $n -ge 20 ]] && break
        sleep 0.1
done
go_units=$(gg ListGoUnits | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["data"][0]))')
findings=$(gg ListFindings 'a{sv}uu' 0 0 1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"][1])')
echo "service units in the box: $(box_exec systemctl list-units --type=service --all --no-legend | wc -l)" \
        "($(box_exec systemctl list-units --type=service --state=running --no-legend | wc -l) running)"
echo "goguardd: $go_units Go units, $findings findings"

cockpit_start ggbench 'gg-Secret-42'
cockpit_chromium bench-chromium
page=$COCKPIT_URL/cockpit/@localhost/goguard/index.html
cdp navigate "$page"
cdp login ggbench 'gg-Secret-42' 20
cdp wait 'document.body.dataset.ready === "1"' 30 >/dev/null

# Reference: what the page asks for, asked by busctl (a process start each, so an upper bound).
t=$(_box_now_us)
box_exec busctl --json=short call org.goguard.goguard1 /org/goguard/goguard1 \
        org.freedesktop.DBus.ObjectManager GetManagedObjects >/dev/null
gg ListFindings 'a{sv}uu' 0 0 1000 >/dev/null
ref_us=$(($(_box_now_us) - t))

results=()
for i in $(seq 1 "$rounds"); do
        cdp navigate about:blank
        cdp navigate "$page"
        r=$(cdp wait 'document.body.dataset.ready === "1" && [document.body.dataset.readyMs, document.body.dataset.units, document.body.dataset.findings].join(" ")' 30)
        results+=("$(json_get "$r" 'd["value"]')")
done
cdp screenshot "$build/bench-cockpit.png"

python3 - "$ref_us" "$go_units" "$findings" "${results[@]}" <<'PY'
import statistics, sys
ref, go_units, findings = map(int, sys.argv[1:4])
rows = [list(map(int, r.split())) for r in sys.argv[4:]]
ms = sorted(r[0] for r in rows)
bad = [r for r in rows if r[1] != go_units or r[2] != findings]
print(f"page has its data {statistics.median(ms)} ms after navigation (median of {len(ms)}; "
      f"min {ms[0]}, max {ms[-1]}; target <= 1000 ms); reference, the same two calls with busctl: "
      f"{ref/1000:.0f} ms")
print(f"every round showed {go_units} Go units and {findings} findings" if not bad
      else f"WARNING: rounds with other counts: {bad}")
PY
