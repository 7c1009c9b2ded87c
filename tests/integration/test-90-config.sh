# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
# goguardd.conf(5): the main file, drop-ins in name order over it, the command line over both;
# unknown keys are warned about and ignored; a bad value stops goguardd at start with the file,
# the line and the reason.
source "$SRC_DIR/tests/integration/goguard-lib.sh"

dropin=/etc/systemd/system/goguardd.service.d/${UNIT_PREFIX}args.conf
cleanup() {
        box_exec rm -rf /etc/goguard "$dropin" >/dev/null 2>&1 || true
        box_exec systemctl daemon-reload >/dev/null 2>&1 || true
        box_exec systemctl reset-failed goguardd.service >/dev/null 2>&1 || true
        box_exec systemctl restart goguardd.service >/dev/null 2>&1 || true
}
trap cleanup EXIT

# What the last goguardd process started logged (its _PID: ExecMainPID stays after it exited).
logged() {
        local pid
        pid=$(box_unit_prop goguardd.service ExecMainPID)
        [ "$pid" != 0 ] && box_journal -q -o cat _PID="$pid" "$@"
}
settings() {
        logged | sed -n 's/^Settings: //p'
}

box_exec mkdir -p /etc/goguard/goguardd.conf.d
box_sh 'printf "%s\n" "# goguardd.conf" "[Daemon]" "SampleIntervalSec=30" "ResolveAfterSec=2h" "Colour=blue" \
        "[Prometheus]" "IntervalSec=3" >/etc/goguard/goguardd.conf'
box_sh 'printf "%s\n" "[Daemon]" "SampleIntervalSec=20" "[Future]" "Key=1" >/etc/goguard/goguardd.conf.d/50-a.conf'
box_sh 'printf "%s\n" "[Daemon]" "SampleIntervalSec=15" >/etc/goguard/goguardd.conf.d/60-b.conf'
box_sh 'printf "%s\n" "[Daemon]" "SampleIntervalSec=1" >/etc/goguard/goguardd.conf.d/70-c.conf.disabled'
box_exec ln -s /dev/null /etc/goguard/goguardd.conf.d/65-masked.conf

box_exec systemctl restart goguardd.service
wait_until 5 box_exec systemctl is-active --quiet goguardd.service
wait_until 5 eval '[ -n "$(settings)" ]'
assert_eq "SampleIntervalSec=15 ResolveAfterSec=7200 Debug=no Prometheus TextfileDirectory=(none) IntervalSec=3 MaxSeries=1000" \
        "$(settings)" "60-b.conf over 50-a.conf over goguardd.conf; *.conf only; a link to /dev/null skipped"
warnings=$(logged -p warning | grep -F ': line ' || true)
assert_eq "/etc/goguard/goguardd.conf: line 5: unknown key Colour= in [Daemon], ignoring it
/etc/goguard/goguardd.conf.d/50-a.conf: line 3: unknown section [Future], ignoring it" "$warnings" \
        "unknown keys and sections: one warning each, with file and line"

# The command line wins over the files.
box_exec mkdir -p "$(dirname "$dropin")"
box_sh 'printf "%s\n" "[Service]" "ExecStart=" "ExecStart=/usr/libexec/goguardd --sample-interval=7 --debug" >"$1"' \
        "$dropin"
box_exec systemctl daemon-reload
box_exec systemctl restart goguardd.service
wait_until 5 box_exec systemctl is-active --quiet goguardd.service
wait_until 5 eval '[ -n "$(settings)" ]'
assert_eq "SampleIntervalSec=7 ResolveAfterSec=7200 Debug=yes Prometheus TextfileDirectory=(none) IntervalSec=3 MaxSeries=1000" \
        "$(settings)" "--sample-interval and --debug over the files"
box_exec rm -f "$dropin"
box_exec systemctl daemon-reload

# A bad value: goguardd does not start, and says where and why (stderr, with the journal's
# priority prefixes), before it touches the bus.
box_sh 'printf "%s\n" "[Prometheus]" "TextfileDirectory=var/lib/x" >/etc/goguard/goguardd.conf.d/80-bad.conf'
assert_status 2 box_sh '/usr/libexec/goguardd 2>/tmp/gg-bad-config.err'
assert_eq "<3>/etc/goguard/goguardd.conf.d/80-bad.conf: line 2: TextfileDirectory=var/lib/x: not a normalized absolute path
<3>Failed to parse configuration file /etc/goguard/goguardd.conf.d/80-bad.conf: Invalid argument" \
        "$(box_exec grep -v '^<4>' /tmp/gg-bad-config.err)" "the file, the line, the key, the reason; exit status 2"
assert_status 1 box_exec systemctl restart goguardd.service
assert_eq 2 "$(box_unit_prop goguardd.service ExecMainStatus)" "the service failed with status 2"
