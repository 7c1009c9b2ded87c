# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
# The Prometheus textfile: with [Prometheus] TextfileDirectory= set, goguardd writes goguard.prom
# (mode 0644 under its UMask=0077), Debian's real node-exporter, running as its own user from its
# packaged unit, serves the goguard series after a real OOM kill, promtool accepts the file, and
# a stopped goguardd leaves goguard_up 0 behind.
source "$SRC_DIR/tests/integration/goguard-lib.sh"
command -v prometheus-node-exporter >/dev/null || skip "prometheus-node-exporter is not installed (tools/install-deps)"
command -v promtool >/dev/null || skip "promtool is not installed (tools/install-deps)"
require_go_services

dir=/var/lib/prometheus/node-exporter
prom=$dir/goguard.prom
hog=${UNIT_PREFIX}memhog.service
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cleanup() {
        box_exec systemctl stop "$hog" prometheus-node-exporter.service >/dev/null 2>&1 || true
        box_exec rm -rf /etc/goguard "$prom" >/dev/null 2>&1 || true
        box_exec systemctl restart goguardd.service >/dev/null 2>&1 || true
}
trap cleanup EXIT

box_exec mkdir -p /etc/goguard
box_sh 'printf "%s\n" "[Prometheus]" "TextfileDirectory=$1" "IntervalSec=1" >/etc/goguard/goguardd.conf' "$dir"
box_exec systemctl restart goguardd.service
wait_until 5 box_exec systemctl is-active --quiet goguardd.service
wait_until 5 box_exec test -f "$prom"
assert_eq "644 root" "$(box_exec stat -c '%a %U' "$prom")" "0644 despite UMask=0077"
assert_eq "goguard_up 1" "$(box_exec grep '^goguard_up ' "$prom")" "goguard_up 1"

# A real OOM kill of a Go program, as in test-60.
box_exec systemd-run --quiet --unit="$hog" -p MemoryMax=40M -p MemorySwapMax=0 "$GO_SERVICES_DIR/memhog"
wait_until 20 eval '[ -n "$(gg_finding_of "$hog" oom-kill)" ]'
open_line="goguard_findings_open{class=\"oom-kill\",severity=\"critical\",unit=\"$hog\"} 1"
wait_until 5 box_exec grep -qxF "$open_line" "$prom"
count=$(json_get "$(gg_finding "$(gg_finding_of "$hog" oom-kill)")" 'd["Count"]')
assert_eq "goguard_findings_occurrences_total{class=\"oom-kill\",unit=\"$hog\"} $count" \
        "$(box_exec grep -F "unit=\"$hog\"" "$prom" | grep '^goguard_findings_occurrences_total{class="oom-kill"')" \
        "occurrences = the finding's Count"
assert_match 'goguard_go_units\{go_version="go1\.19\.8"\} [1-9][0-9]*' \
        "$(box_exec grep '^goguard_go_units{go_version="go1.19.8"}' "$prom")" "memhog's Go version"
assert_match 'goguard_journal_entries_read_total [1-9][0-9]*' \
        "$(box_exec grep '^goguard_journal_entries_read_total ' "$prom")" "journal entries read"
assert_match 'goguard_journal_lag_seconds [0-9]+\.[0-9]{6}' \
        "$(box_exec grep '^goguard_journal_lag_seconds ' "$prom")" "journal lag"
for m in goguard_findings_open goguard_findings_occurrences_total goguard_go_units goguard_up \
        goguard_journal_entries_read_total goguard_journal_entries_skipped_total \
        goguard_findings_refused_total goguard_journal_lag_seconds; do
        assert_status 0 box_exec grep -q "^# HELP $m " "$prom"
        assert_status 0 box_exec grep -q "^# TYPE $m " "$prom"
done
box_exec cat "$prom" >"$BOX_DIR/goguard.prom"
assert_status 0 promtool check metrics <"$BOX_DIR/goguard.prom"

# Debian's node-exporter from its packaged unit (User=prometheus), textfile collector only.
box_sh 'echo "ARGS=\"--web.listen-address=127.0.0.1:$1 --collector.disable-defaults --collector.textfile\"" \
        >/etc/default/prometheus-node-exporter' "$port"
box_exec systemctl start prometheus-node-exporter.service
scrape() { box_exec curl -sf "http://127.0.0.1:$port/metrics"; }
wait_until 10 eval 'scrape >/dev/null'
wait_until 5 eval 'scrape | grep -qxF "$open_line"'
scraped=$(scrape)
assert_eq "node_textfile_scrape_error 0" "$(grep '^node_textfile_scrape_error' <<<"$scraped")" \
        "node-exporter read the file"
assert_eq "$(grep -c '^goguard_' "$BOX_DIR/goguard.prom")" "$(grep -c '^goguard_' <<<"$scraped")" \
        "every goguard series of the file is served"
assert_eq "# TYPE goguard_findings_occurrences_total counter" \
        "$(grep '^# TYPE goguard_findings_occurrences_total' <<<"$scraped")" "served with its TYPE"

# goguardd stopped: the file it leaves says so.
box_exec systemctl stop goguardd.service
assert_eq "goguard_up 0" "$(box_exec grep '^goguard_up ' "$prom")" "goguard_up 0 after a stop"
