#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# The `analyze` suite: `goguardctl analyze` over real journal files, built at test time from the
# export-format fixtures in tests/fixtures/journal/ with systemd-journal-remote, and checked for
# exact findings. Then damaged journal files: analyze must say so, exit as documented (0 read,
# 1 could not be opened or read at all, 2 usage), and never crash.
#
#   test-analyze.sh GOGUARDCTL FIXTURE_DIR WORK_DIR
#
# Exits 77 (skipped) without systemd-journal-remote or python3, unless CI=true: then that is a
# failure.

set -euo pipefail

if [[ $# -ne 3 ]]; then
        echo "usage: $0 GOGUARDCTL FIXTURE_DIR WORK_DIR" >&2
        exit 2
fi
goguardctl=$1
fixtures=$2
work=$3
export LC_ALL=C TZ=UTC PYTHONDONTWRITEBYTECODE=1 SYSTEMD_COLORS=0

missing() {
        if [[ ${CI:-} == true ]]; then
                echo "FAIL: $1 (CI=true, so a missing tool is a failure)"
                exit 1
        fi
        echo "SKIP: $1"
        exit 77
}

remote=
for p in /usr/lib/systemd/systemd-journal-remote /lib/systemd/systemd-journal-remote; do
        if [[ -x $p ]]; then
                remote=$p
                break
        fi
done
[[ -n $remote ]] || missing "systemd-journal-remote not found (Debian: apt install systemd-journal-remote)"
command -v python3 >/dev/null || missing "python3 not found"

mkdir -p "$work"
tmp=$(mktemp -d "$(cd "$work" && pwd)/analyze.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

failures=0
checks=0
fail() {
        echo "FAIL: $*"
        failures=$((failures + 1))
}

# journal NAME: $tmp/NAME.journal from $fixtures/NAME.export
journal() {
        "$remote" -o "$tmp/$1.journal" - <"$fixtures/$1.export" 2>"$tmp/$1.remote.log" ||
                { cat "$tmp/$1.remote.log"; echo "FAIL: systemd-journal-remote on $1.export"; exit 1; }
}

# run NAME ARGS...: runs goguardctl, stdout in $tmp/NAME.out, stderr in $tmp/NAME.err, status in $rc
run() {
        local name=$1
        shift
        rc=0
        "$goguardctl" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" || rc=$?
        if ((rc >= 128)); then
                fail "$name: goguardctl $* died with signal $((rc - 128))"
                cat "$tmp/$name.err"
        fi
}

expect_rc() {
        checks=$((checks + 1))
        if [[ $rc != "$1" ]]; then
                fail "$2: exit status $rc, expected $1"
                sed 's/^/    stderr: /' "$tmp/$3.err" | head -20
        fi
}

# check NAME DESCRIPTION PYTHON...: every line a Python assertion over d, the JSON on stdout of
# NAME; fx(NAME, FIELD, MESSAGE-SUBSTRING) is the value of FIELD of the fixture entry whose
# MESSAGE contains the substring.
check() {
        local name=$1 desc=$2
        shift 2
        checks=$((checks + 1))
        if ! python3 - "$tmp/$name.out" "$fixtures" "$desc" "$@" <<'EOF'; then
import json, os, sys
out, fixtures, desc, *asserts = sys.argv[1:]
def entries(name):
    # A value of several lines is binary (its length, then the bytes): what it cuts is skipped.
    with open(os.path.join(fixtures, name + ".export"), encoding="utf-8", errors="surrogateescape") as f:
        for block in f.read().split("\n\n"):
            if block.strip():
                yield dict(l.split("=", 1) for l in block.splitlines() if "=" in l)
def fx(name, field, message):
    hits = [e[field] for e in entries(name) if message in e.get("MESSAGE", "")]
    assert len(hits) == 1, f"{len(hits)} fixture entries with {message!r}"
    return hits[0]
def kernel_time(name, message):
    # A kernel line's own time: the journal's receive time less how long after the kernel
    # logged it journald read it (_SOURCE_MONOTONIC_TIMESTAMP).
    e = [e for e in entries(name) if message in e.get("MESSAGE", "")]
    assert len(e) == 1, f"{len(e)} fixture entries with {message!r}"
    e = e[0]
    rt, mono = int(e["__REALTIME_TIMESTAMP"]), int(e["__MONOTONIC_TIMESTAMP"])
    return rt - (mono - int(e.get("_SOURCE_MONOTONIC_TIMESTAMP", mono)))
def one(cls, unit=None):
    hits = [f for f in d if f["class"] == cls and unit in (None, f["unit"])]
    assert len(hits) == 1, f"{len(hits)} findings of class {cls}" + (f" for {unit}" if unit else "")
    return hits[0]
def on(host, cls, unit=None):
    hits = [f for f in d if f.get("host") == host and f["class"] == cls and unit in (None, f["unit"])]
    assert len(hits) == 1, f"{len(hits)} findings of class {cls} on {host}"
    return hits[0]
def logged(name, field, cls):
    # The values of field in goguardd's entries of class cls in the fixture.
    return [e[field] for e in entries(name) if e.get("GOGUARD_CLASS") == cls]
def of_unit(unit):
    hits = [f for f in d if f["unit"] == unit]
    assert len(hits) == 1, f"{len(hits)} findings of unit {unit}"
    return hits[0]
try:
    d = json.load(open(out, encoding="utf-8"))
except Exception as e:
    print(f"FAIL: {desc}: stdout is not JSON: {e}")
    sys.exit(1)
ok = True
for a in asserts:
    try:
        r = eval(a)
        if r is not True:
            print(f"FAIL: {desc}: {a} is {r!r}")
            ok = False
    except Exception as e:
        print(f"FAIL: {desc}: {a}: {type(e).__name__}: {e}")
        ok = False
if not ok:
    print(json.dumps(d, indent=2)[:4000])
sys.exit(0 if ok else 1)
EOF
                failures=$((failures + 1))
        fi
}

expect_stderr() {
        checks=$((checks + 1))
        if ! grep -qF -- "$2" "$tmp/$1.err"; then
                fail "$1: stderr does not say '$2'"
                sed 's/^/    stderr: /' "$tmp/$1.err" | head -20
        fi
}

for f in oom-cgroup-v1 oom-cgroup-v2 oomd noise crash-loop go-runtime-oom rate-limited fd threads network oom-storm lifecycle dns fleet-web fleet-db fleet-cache denials loader; do
        journal "$f"
done

# cgroup v1: the kernel's lines and PID 1's SIGKILL make one oom-kill, with what the kernel said.
run v1 analyze --json --file="$tmp/oom-cgroup-v1.journal"
expect_rc 0 "cgroup v1" v1
check v1 "cgroup v1 kill" \
        'len(d) == 1' \
        'd[0]["class"] == "oom-kill" and d[0]["unit"] == "gomem.service"' \
        'd[0]["severity"] == "critical" and d[0]["state"] == "open" and d[0]["count"] == 1' \
        'd[0]["message_id"] == "7f5a04130449b86595aa520b9a11e84d"' \
        'd[0]["invocation_id"] == "c0a80001d2e34f5a8b6c7d8e9f001122"' \
        'd[0]["evidence"]["comm"] == "gofix-cgo"' \
        'd[0]["evidence"]["kernel_pid"] == 10323' \
        'd[0]["evidence"]["anon_rss_kb"] == 40448' \
        'd[0]["evidence"]["total_vm_kb"] == 1009160' \
        'd[0]["evidence"]["kernel_limit_kb"] == 40960' \
        'd[0]["evidence"]["memory_limit_bytes"] == 40960 * 1024' \
        'd[0]["evidence"]["task_memcg"] == "/system.slice/gomem.service"' \
        'd[0]["evidence"]["constraint"] == "CONSTRAINT_MEMCG"' \
        'd[0]["evidence"]["unit_settings_known"] is False' \
        'd[0]["evidence"]["UnitResult"] == "signal"' \
        '"systemd_reported_oom" not in d[0]["evidence"]' \
        'd[0]["evidence"]["GOMEMLIMIT"] == ""' \
        'd[0]["evidence"]["boot_id"] == "5b0c1f3e9d2a4c6b8e7f0a1b2c3d4e5f"' \
        'd[0]["first_seen"] == d[0]["last_seen"] == kernel_time("oom-cgroup-v1", "oom-kill:constraint")' \
        'd[0]["evidence"]["killed_at"] == d[0]["first_seen"]' \
        '[a["kind"] for a in d[0]["advice"]] == ["dropin"]' \
        'd[0]["advice"][0]["snippet"] == "[Service]\nEnvironment=GOMEMLIMIT=36MiB\n"' \
        'd[0]["summary"] == "gomem.service was killed by the kernel OOM killer at its memory limit: limit 40M, no GOMEMLIMIT"'

# The same file as text: the table, the explanation, the drop-in with its systemctl command.
run v1-text analyze --file="$tmp/oom-cgroup-v1.journal"
expect_rc 0 "cgroup v1, text" v1-text
checks=$((checks + 1))
python3 - "$tmp/v1-text.out" <<'EOF' || failures=$((failures + 1))
import sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
want = [
    (0, "1 finding in 56 journal entries."),
]
ok = True
for i, s in want:
    if lines[i] != s:
        print(f"FAIL: text line {i}: {lines[i]!r}, expected {s!r}"); ok = False
header = lines[2].split()
if header != ["ID", "UNIT", "CLASS", "SEVERITY", "STATE", "COUNT", "LAST", "SEEN", "SUMMARY"]:
    print(f"FAIL: table header {lines[2]!r}"); ok = False
row = lines[3].split()
if row[:6] != ["f9d4ce216ea1", "gomem.service", "oom-kill", "critical", "open", "1"]:
    print(f"FAIL: table row {lines[3]!r}"); ok = False
for s in ["  Class:               oom-kill (was killed by the kernel OOM killer at its memory limit)",
          "  comm:                gofix-cgo",
          "  anon_rss_kb:         39.5M",
          "  kernel_limit_kb:     40M",
          "  killed_at:           Sat 2025-11-22 02:20:04 UTC (",
          "  unit_settings_known: no",
          "  GOMEMLIMIT:          (not set)",
          "    systemctl edit gomem.service   (or /etc/systemd/system/gomem.service.d/goguard-oom-kill.conf)",
          "      [Service]",
          "      Environment=GOMEMLIMIT=36MiB"]:
    if not any(l.startswith(s) for l in lines):
        print(f"FAIL: no text line starting {s!r}"); ok = False
if not ok:
    print("\n".join(lines))
sys.exit(0 if ok else 1)
EOF

# cgroup v2: the kernel and PID 1 each report the kill; one finding, not two.
run v2 analyze --json --file="$tmp/oom-cgroup-v2.journal"
expect_rc 0 "cgroup v2" v2
check v2 "cgroup v2 kill" \
        'len(d) == 1' \
        'd[0]["class"] == "oom-kill" and d[0]["unit"] == "memhog.service" and d[0]["count"] == 1' \
        'd[0]["invocation_id"] == "d1b2c3d4e5f60718293a4b5c6d7e8f90"' \
        'd[0]["evidence"]["systemd_reported_oom"] is True' \
        'd[0]["evidence"]["UnitResult"] == "oom-kill"' \
        'd[0]["evidence"]["comm"] == "memhog" and d[0]["evidence"]["kernel_pid"] == 2345' \
        'd[0]["evidence"]["anon_rss_kb"] == 40400' \
        'd[0]["evidence"]["kernel_limit_kb"] == 40960' \
        'd[0]["evidence"]["unit_settings_known"] is False' \
        'd[0]["first_seen"] == kernel_time("oom-cgroup-v2", "oom-kill:constraint")'

# systemd-oomd: one oomd-kill, and its Result=oom-kill is not a second (kernel) OOM kill.
run oomd analyze --json --file="$tmp/oomd.journal"
expect_rc 0 "oomd" oomd
check oomd "oomd kill" \
        'len(d) == 1' \
        'd[0]["class"] == "oomd-kill" and d[0]["unit"] == "worker.service" and d[0]["count"] == 1' \
        'd[0]["message_id"] == "dc52fe1d6043b1e46f99eea02b3f0468"' \
        'd[0]["invocation_id"] == "e2c3d4e5f60718293a4b5c6d7e8f9001"' \
        'd[0]["evidence"]["systemd_message"] == "worker.service: systemd-oomd killed 3 process(es) in this unit."' \
        'd[0]["evidence"]["unit_settings_known"] is False' \
        'd[0]["first_seen"] == int(fx("oomd", "__REALTIME_TIMESTAMP", "systemd-oomd killed 3"))'

# Noise only: no findings, and that is a success.
run noise analyze --json --file="$tmp/noise.journal"
expect_rc 0 "noise" noise
check noise "noise" 'd == []'
run noise-text analyze --file="$tmp/noise.journal"
expect_rc 0 "noise, text" noise-text
checks=$((checks + 1))
[[ $(cat "$tmp/noise-text.out") == "No findings in 31 journal entries." ]] ||
        fail "noise, text: $(cat "$tmp/noise-text.out")"

# A crash loop: three kills in three invocations are one finding counted three times.
run loop analyze --json --file="$tmp/crash-loop.journal"
expect_rc 0 "crash loop" loop
check loop "crash loop" \
        'len(d) == 2' \
        'one("oom-kill")["unit"] == "leaky.service"' \
        'one("oom-kill")["count"] == 3' \
        'one("oom-kill")["invocation_id"] == "8f900112f3d4e5f60718293a4b5c6d7e"' \
        'one("oom-kill")["first_seen"] == kernel_time("crash-loop", "task=leaky,pid=5001,")' \
        'one("oom-kill")["last_seen"] == kernel_time("crash-loop", "task=leaky,pid=5035,")' \
        'one("oom-kill")["summary"].endswith("(3 times)")' \
        'one("crash-loop")["unit"] == "leaky.service" and one("crash-loop")["count"] == 1' \
        'one("crash-loop")["evidence"]["cause_finding_id"] == one("oom-kill")["id"]' \
        'one("crash-loop")["evidence"]["cause_class"] == "oom-kill" and one("crash-loop")["evidence"]["restart_counter"] == 2' \
        'one("crash-loop")["evidence"]["discriminator"] == "oom-kill" and list(one("crash-loop")["evidence"])[0] == "discriminator"' \
        'one("crash-loop")["invocation_id"] == "0718293a4b5c6d7e8f900112f3d4e5f6"' \
        'one("crash-loop")["first_seen"] == int(fx("crash-loop", "__REALTIME_TIMESTAMP", "restart counter is at 2."))' \
        'one("crash-loop")["summary"] == "leaky.service restarts again and again: restart counter at 2, after it was killed by the kernel OOM killer at its memory limit: limit 40M, no GOMEMLIMIT"'

# The Go runtime's own out-of-memory on a unit's stderr, among noise.
run gooom analyze --json --file="$tmp/go-runtime-oom.journal"
expect_rc 0 "go runtime oom" gooom
check gooom "go runtime oom" \
        'len(d) == 1' \
        'd[0]["class"] == "go-runtime-oom" and d[0]["unit"] == "ingest.service" and d[0]["count"] == 1' \
        'd[0]["invocation_id"] == "9a4b5c6d7e8f900112f3d4e5f6071829"' \
        'd[0]["evidence"]["go_message"] == "fatal error: runtime: out of memory"'

# Kills whose oom-kill: summary the kernel rate-limited away: offline nothing knows the units'
# executables, so a kill is tied by time to the one unit PID 1 saw die of SIGKILL right after it,
# and to none when two did. alpha: one kill by its cgroup, one by time (the third had two
# candidates); beta: one by time.
run rl analyze --json --file="$tmp/rate-limited.journal"
expect_rc 0 "rate-limited summaries" rl
check rl "rate-limited summaries" \
        'len(d) == 2' \
        '[(f["unit"], f["class"], f["count"]) for f in sorted(d, key=lambda f: f["unit"])] == [("alpha.service", "oom-kill", 2), ("beta.service", "oom-kill", 1)]' \
        'all(f["evidence"]["attributed_by"] == "time" for f in d)' \
        '[f["evidence"]["kernel_pid"] for f in sorted(d, key=lambda f: f["unit"])] == [6002, 7001]' \
        '[f["invocation_id"] for f in sorted(d, key=lambda f: f["unit"])] == ["a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2", "b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1"]'

# The storm of issue #8: 40 Go services OOM-killed 0.4 s apart on a cgroup v1 and a cgroup v2 host
# (one journal of both), 13 kills with only "Killed process PID (COMM)". Each unit's SIGKILL exit
# comes a second after its kill, so several units' exits fit every such kill: on v1 a kill is tied
# by the comm of the unit's own earlier output (own-comm); cron-report.service logged nothing and
# died alone (time); on v2 PID 1 names the unit (systemd). queue-worker@1 and @2 are two instances
# of one program killed 0.4 s apart: both fit each of the two kills, which are neither's. 38 of 40.
# A kill with only its "Killed process" line has no limit of its own: not the one before it.
run storm analyze --json --file="$tmp/oom-storm.journal"
expect_rc 0 "the storm" storm
check storm "the storm" \
        'len(d) == 38 and all(f["class"] == "oom-kill" and f["count"] == 1 for f in d)' \
        'not {f["unit"] for f in d} & {"queue-worker@1.service", "queue-worker@2.service"}' \
        'sorted(f["unit"] for f in d if f["evidence"]["attributed_by"] == "own-comm") == ["billing.service", "ingest@a.service", "inventory-synchronizer.service", "search.service"]' \
        '[f["unit"] for f in d if f["evidence"]["attributed_by"] == "time"] == ["cron-report.service"]' \
        'sorted(f["unit"] for f in d if f["evidence"]["attributed_by"] == "systemd") == ["cache@1.service", "cache@2.service", "recommendations.service", "sessions.service", "stock.service", "users.service"]' \
        'len([f for f in d if f["evidence"]["attributed_by"] == "cgroup"]) == 27' \
        'all(f["evidence"]["boot_id"] == ("1f0e1d2c3b4a59687766554433221101" if f["invocation_id"][0] == "1" else "2f0e1d2c3b4a59687766554433221102") for f in d)' \
        'all(f["evidence"]["systemd_reported_oom"] is True for f in d if f["evidence"]["boot_id"].startswith("2"))' \
        '[(f["evidence"]["kernel_pid"], f["evidence"]["comm"], f["invocation_id"]) for f in d if f["unit"] == "inventory-synchronizer.service"] == [(11011, "inventory-synch", "100b" + "5709" * 7)]' \
        '[(f["evidence"]["kernel_pid"], f["invocation_id"], f["evidence"]["main_process_exit"], f["evidence"]["UnitResult"]) for f in d if f["unit"] == "ingest@a.service"] == [(11007, "1007" + "5709" * 7, "ingest@a.service: Main process exited, code=killed, status=9/KILL", "signal")]' \
        '[(f["first_seen"], f["evidence"]["anon_rss_kb"]) for f in d if f["unit"] == "billing.service"] == [(kernel_time("oom-storm", "Killed process 11012 "), 40012)]' \
        '{f["unit"]: f["evidence"].get("kernel_limit_kb") for f in d if f["unit"] in ("billing.service", "search.service", "api.service")} == {"billing.service": None, "search.service": None, "api.service": 40960}' \
        '[(f["evidence"]["kernel_pid"], f["first_seen"]) for f in d if f["unit"] == "cron-report.service"] == [(11019, kernel_time("oom-storm", "Killed process 11019 "))]' \
        '[f["evidence"]["kernel_pid"] for f in d if f["unit"] == "ingest@b.service"] == [11008]'

# File descriptors: net/http's accept retries are one fd-exhaustion; ENFILE is its own class and
# keeps Go's text, not the secret in the same JSON record; the netpoller's println and throw are one
# netpoll-init. Offline the limit in force is not known: the advice says so.
run fd analyze --json --file="$tmp/fd.journal"
expect_rc 0 "file descriptors" fd
check fd "file descriptors" \
        'len(d) == 3' \
        'sorted(f["class"] for f in d) == ["fd-exhaustion", "fd-exhaustion-system", "netpoll-init"]' \
        'one("fd-exhaustion")["unit"] == "api-fd.service" and one("fd-exhaustion")["count"] == 1' \
        'one("fd-exhaustion")["message_id"] == "b6f0a8205f2e54bb9e6fb857295a1831"' \
        'one("fd-exhaustion")["invocation_id"] == "4c5d6e7f8091a2b3c4d5e6f708192a3b"' \
        'one("fd-exhaustion")["summary"] == "api-fd.service ran out of file descriptors: accept4"' \
        'one("fd-exhaustion")["evidence"]["go_message"] == "http: Accept error: accept tcp [::]:8080: accept4: too many open files; retrying in 5ms"' \
        'one("fd-exhaustion")["evidence"]["fd_operation"] == "accept4"' \
        'one("fd-exhaustion")["first_seen"] == one("fd-exhaustion")["evidence"]["logged_at"] == int(fx("fd", "__REALTIME_TIMESTAMP", "retrying in 5ms"))' \
        '";t=%x;" % one("fd-exhaustion")["first_seen"] in one("fd-exhaustion")["evidence"]["journal_cursor"]' \
        'one("fd-exhaustion")["evidence"]["unit_settings_known"] is False and "LimitNOFILE" not in one("fd-exhaustion")["evidence"]' \
        '[(a["kind"], a["snippet"]) for a in one("fd-exhaustion")["advice"]][0] == ("dropin", "[Service]\nLimitNOFILE=65536\n")' \
        '"raising the limit only delays the failure" in one("fd-exhaustion")["advice"][0]["text"]' \
        'one("fd-exhaustion-system")["unit"] == "files.service"' \
        'one("fd-exhaustion-system")["message_id"] == "63ef0217a7e6be947638fd3f7541af1f"' \
        'one("fd-exhaustion-system")["summary"] == "files.service hit the system-wide limit on open files: open"' \
        'one("fd-exhaustion-system")["evidence"]["go_message"] == "open /var/lib/files/seg-0042: too many open files in system"' \
        '"hunter2" not in json.dumps(d)' \
        '[a["kind"] for a in one("fd-exhaustion-system")["advice"]] == ["command", "command"]' \
        'one("netpoll-init")["unit"] == "tiny.service" and one("netpoll-init")["count"] == 1' \
        'one("netpoll-init")["message_id"] == "d9a64eb1bf0f35a1b49f702520474b6f"' \
        'one("netpoll-init")["summary"] == "tiny.service could not start the Go network poller: epollcreate failed with EMFILE"' \
        'one("netpoll-init")["evidence"]["go_message"] == "runtime: epollcreate failed with 24"' \
        'one("netpoll-init")["evidence"]["go_message_detail"] == "fatal error: runtime: netpollinit failed"' \
        'one("netpoll-init")["evidence"]["go_errno"] == 24' \
        'one("netpoll-init")["first_seen"] == int(fx("fd", "__REALTIME_TIMESTAMP", "epollcreate failed"))' \
        '[(a["kind"], a["snippet"]) for a in one("netpoll-init")["advice"]] == [("dropin", "[Service]\nLimitNOFILE=1024\n")]'

# The loader: offline there is no check before the start, the failures' own words are the
# findings: the library, the glibc version, the GOAMD64 level they name; a 203/EXEC no check
# explained is an exec-failed of its own.
run loader analyze --json --file="$tmp/loader.journal"
expect_rc 0 "loader" loader
check loader "loader" \
        'len(d) == 4' \
        'sorted(f["class"] for f in d) == ["cpu-level", "exec-failed", "glibc-too-old", "missing-library"]' \
        'all(f["count"] == 1 and f["state"] == "open" and "checked_at" not in f["evidence"] for f in d)' \
        'one("missing-library")["unit"] == "libs.service" and one("missing-library")["message_id"] == "8385be41732ca7d9434040a843893e49"' \
        'one("missing-library")["summary"] == "libs.service needs a shared library the host does not have: libfoo.so.1"' \
        'one("missing-library")["evidence"]["loader_libraries_missing"] == "libfoo.so.1"' \
        'one("missing-library")["evidence"]["loader_confirmed_by"] == fx("loader", "MESSAGE", "error while loading")' \
        'one("missing-library")["first_seen"] == int(fx("loader", "__REALTIME_TIMESTAMP", "error while loading"))' \
        '[(a["kind"], a["snippet"]) for a in one("missing-library")["advice"]] == [("command", "apt-file search '"'libfoo.so.1'"'  # or: dnf provides '"'*/libfoo.so.1'"'")]' \
        'one("glibc-too-old")["unit"] == "old.service" and one("glibc-too-old")["summary"] == "old.service needs a newer glibc than the host has: GLIBC_2.39"' \
        'one("glibc-too-old")["evidence"]["loader_glibc_required"] == "GLIBC_2.39"' \
        '[a["snippet"] for a in one("glibc-too-old")["advice"]] == ["CGO_ENABLED=0 go build"]' \
        'one("cpu-level")["unit"] == "v3.service" and one("cpu-level")["summary"] == "v3.service needs CPU features this host lacks: GOAMD64=v3"' \
        'one("cpu-level")["evidence"]["loader_cpu_level"] == "GOAMD64=v3"' \
        '[a["snippet"] for a in one("cpu-level")["advice"]] == ["GOAMD64=v1 go build"]' \
        'one("exec-failed")["unit"] == "musl.service" and one("exec-failed")["summary"] == "musl.service could not be executed: status=203/EXEC"' \
        'one("exec-failed")["evidence"]["loader_exit_status"] == "203/EXEC"' \
        'one("exec-failed")["invocation_id"] == "a3b2c3d4e5f60718293a4b5c6d7e8f93"'

# Threads: newosproc's message, hint and throw are one thread-exhaustion; cgo's pthread_create
# failure another; a program past its own debug.SetMaxThreads a third, where raising TasksMax=
# does not help. Offline the limits in force are not known: the advice says so.
run threads analyze --json --file="$tmp/threads.journal"
expect_rc 0 "threads" threads
check threads "threads" \
        'len(d) == 3 and all(f["class"] == "thread-exhaustion" for f in d)' \
        'all(f["message_id"] == "0b1c887e2a034bdf8b62417a1c971004" and f["count"] == 1 for f in d)' \
        'of_unit("workers.service")["invocation_id"] == "7f8091a2b3c4d5e6f708192a3b4c5d6e"' \
        'of_unit("workers.service")["summary"] == "workers.service could not create threads: clone failed with EAGAIN at 39 threads"' \
        'of_unit("workers.service")["evidence"]["go_message"] == "runtime: failed to create new OS thread (have 39 already; errno=11)"' \
        'of_unit("workers.service")["evidence"]["go_message_detail"] == "fatal error: newosproc"' \
        'of_unit("workers.service")["evidence"]["go_thread_count"] == 39 and of_unit("workers.service")["evidence"]["go_errno"] == 11' \
        'of_unit("workers.service")["first_seen"] == of_unit("workers.service")["evidence"]["logged_at"] == int(fx("threads", "__REALTIME_TIMESTAMP", "have 39 already"))' \
        '";t=%x;" % of_unit("workers.service")["first_seen"] in of_unit("workers.service")["evidence"]["journal_cursor"]' \
        'of_unit("workers.service")["evidence"]["unit_settings_known"] is False and "TasksMax" not in of_unit("workers.service")["evidence"]' \
        '"limit_reached" not in of_unit("workers.service")["evidence"]' \
        '[(a["kind"], a["snippet"]) for a in of_unit("workers.service")["advice"]] == [("dropin", "[Service]\nTasksMax=4096\n")]' \
        '"The limits in force are not known here" in of_unit("workers.service")["advice"][0]["text"]' \
        'of_unit("cgo.service")["summary"] == "cgo.service could not create threads: pthread_create failed with EAGAIN"' \
        'of_unit("cgo.service")["evidence"]["go_message"] == "runtime/cgo: pthread_create failed: Resource temporarily unavailable"' \
        '"go_message_detail" not in of_unit("cgo.service")["evidence"]' \
        'of_unit("capped.service")["summary"] == "capped.service could not create threads: past its own limit (debug.SetMaxThreads) of 20 threads"' \
        'of_unit("capped.service")["evidence"]["go_thread_limit"] == 20 and of_unit("capped.service")["evidence"]["limit_reached"] == "debug.SetMaxThreads"' \
        'of_unit("capped.service")["evidence"]["go_message_detail"] == "fatal error: thread exhaustion"' \
        '[a["kind"] for a in of_unit("capped.service")["advice"]] == ["text"]' \
        '"raising TasksMax= or LimitNPROC= will not help" in of_unit("capped.service")["advice"][0]["text"]'
# The network: a privileged port, a port in use, local ports run out (three retries: one
# occurrence); a bind() that cannot assign an address is none of them. Offline nothing is asked of
# the network stack: the sysctl is the kernel's default, and the holder of the port is not known.
run network analyze --json --file="$tmp/network.journal"
expect_rc 0 "network" network
check network "network" \
        'len(d) == 3' \
        'sorted(f["class"] for f in d) == ["ephemeral-ports", "port-in-use", "privileged-port"]' \
        'one("privileged-port")["unit"] == "web80.service" and one("privileged-port")["count"] == 1' \
        'one("privileged-port")["message_id"] == "d5e056205a250ddb72ec813baccd426c"' \
        'one("privileged-port")["invocation_id"] == "7f8091a2b3c4d5e6f708192a3b4c5d6e"' \
        'one("privileged-port")["summary"] == "web80.service is not allowed to bind a privileged port: listen tcp :80, below 1024"' \
        'one("privileged-port")["evidence"]["go_message"] == "listen tcp :80: bind: permission denied"' \
        'one("privileged-port")["evidence"]["net_port"] == 80 and one("privileged-port")["evidence"]["net_address"] == ":80"' \
        'one("privileged-port")["evidence"]["ip_unprivileged_port_start"] == 1024' \
        'one("privileged-port")["evidence"]["ip_unprivileged_port_start_source"] == "not read: the kernel'"'"'s default"' \
        'one("privileged-port")["first_seen"] == one("privileged-port")["evidence"]["logged_at"] == int(fx("network", "__REALTIME_TIMESTAMP", "permission denied"))' \
        '";t=%x;" % one("privileged-port")["first_seen"] in one("privileged-port")["evidence"]["journal_cursor"]' \
        'one("privileged-port")["evidence"]["unit_settings_known"] is False and "User" not in one("privileged-port")["evidence"]' \
        '[(a["kind"], a["snippet"]) for a in one("privileged-port")["advice"]] == [("dropin", "[Service]\nAmbientCapabilities=CAP_NET_BIND_SERVICE\n"), ("text", None)]' \
        'one("privileged-port")["advice"][1]["text"].startswith("Or let systemd listen: a socket unit of the same name (web80.socket with ListenStream=80)")' \
        'one("port-in-use")["unit"] == "api-port.service" and one("port-in-use")["count"] == 1' \
        'one("port-in-use")["message_id"] == "3cc47f1a7c9c4ed901c79652de688405"' \
        'one("port-in-use")["summary"] == "api-port.service found its port already in use: listen tcp 127.0.0.1:8080"' \
        'one("port-in-use")["evidence"]["go_message"] == "listen tcp 127.0.0.1:8080: bind: address already in use"' \
        'one("port-in-use")["evidence"]["port_holder"] == "not known: the network stack was not asked (offline, or the message is old)"' \
        '"hunter2" not in json.dumps(d)' \
        '[(a["kind"], a["snippet"]) for a in one("port-in-use")["advice"]] == [("text", None), ("command", "ss -Hltnp '"'"'sport = :8080'"'"'")]' \
        'one("port-in-use")["advice"][0]["text"].startswith("Another process held the port when the service started. Offline,")' \
        'one("ephemeral-ports")["unit"] == "client.service" and one("ephemeral-ports")["count"] == 1' \
        'one("ephemeral-ports")["message_id"] == "f7a0640082153169a19e22c29a5fca0f"' \
        'one("ephemeral-ports")["summary"] == "client.service ran out of local ports for outgoing connections: dial tcp 10.0.0.1:5432"' \
        'one("ephemeral-ports")["evidence"]["go_message"] == "dial tcp 10.0.0.1:5432: connect: cannot assign requested address"' \
        'one("ephemeral-ports")["first_seen"] == one("ephemeral-ports")["evidence"]["logged_at"] == int(fx("network", "__REALTIME_TIMESTAMP", "02:25:00 fetch"))' \
        '"ip_local_port_range" not in one("ephemeral-ports")["evidence"] and "time_wait_sockets" not in one("ephemeral-ports")["evidence"]' \
        '[a["kind"] for a in one("ephemeral-ports")["advice"]] == ["text", "command", "command"]'
# Go crashes: a panic in a dependency three times with restarts in between, then the start limit
# (systemd 252: no MESSAGE_ID; one panic finding, one crash loop naming it), concurrent map writes stored as one entry of several lines, a fault
# whose frames journald's rate limit took. Offline the build info is not known: the function, not
# the module, says where.
run life analyze --json --file="$tmp/lifecycle.journal"
expect_rc 0 "go crashes" life
check life "go crashes" \
        'len(d) == 4' \
        'sorted((f["unit"], f["class"], f["count"]) for f in d) == [("cache.service", "fatal-runtime", 1), ("edge.service", "fatal-runtime", 1), ("orders.service", "crash-loop", 3), ("orders.service", "panic", 3)]' \
        'one("panic")["summary"] == "orders.service panicked: crashlib: empty configuration, in example.com/crashlib/config.Parse, config/config.go:13 (3 times)"' \
        'one("panic")["message_id"] == "bcf2bb38418b6aba00b3f80d861173a4"' \
        'one("panic")["evidence"]["panic_value"] == "crashlib: empty configuration"' \
        'one("panic")["evidence"]["crash_file"] == "/build/services/crashlib/config/config.go:13"' \
        'one("panic")["evidence"]["same_crash_count"] == 3 and one("panic")["evidence"]["crash_trace_complete"] is True' \
        'one("panic")["evidence"]["crash_trace"] == "panic: crashlib: empty configuration\n\ngoroutine 1 [running]:\nexample.com/crashlib/config.Parse({0x0?, 0xe?})\n\t/build/services/crashlib/config/config.go:13 +0x138\nmain.main()\n\t/build/services/crasher/main.go:65 +0x27e\n"' \
        'one("panic")["evidence"]["main_process_exit"] == "code=exited, status=2"' \
        'one("panic")["invocation_id"] == "9c0d1e2f30415263748596a7b8c9d0e1"' \
        'one("crash-loop")["evidence"]["cause_finding_id"] == one("panic")["id"] and one("crash-loop")["evidence"]["restart_counter"] == 3' \
        'one("crash-loop")["evidence"]["discriminator"] == "panic"' \
        'one("crash-loop")["evidence"]["start_limit_hit"] is True and one("crash-loop")["evidence"]["systemd_message"] == "orders.service: Start request repeated too quickly."' \
        'one("crash-loop")["summary"] == "orders.service restarts again and again: start limit hit, after it panicked: crashlib: empty configuration, in example.com/crashlib/config.Parse, config/config.go:13 (3 times)"' \
        '[f for f in d if f["unit"] == "cache.service"][0]["summary"] == "cache.service was stopped by a fatal Go runtime error: concurrent map writes, in main.mapWrites.func1, crasher/main.go:42"' \
        '[f for f in d if f["unit"] == "cache.service"][0]["evidence"]["goroutine"] == 8' \
        '[f for f in d if f["unit"] == "edge.service"][0]["summary"] == "edge.service was stopped by a fatal Go runtime error: fault (SIGSEGV at 0xdeadbeef)"' \
        '[f for f in d if f["unit"] == "edge.service"][0]["evidence"]["crash_trace_complete"] is False' \
        '[f for f in d if f["unit"] == "edge.service"][0]["evidence"]["crash_trace"] == "fatal error: fault\n[signal SIGSEGV: segmentation violation code=0x1 addr=0xdeadbeef pc=0x4904ff]\n\ngoroutine 1 [running]:\n"' \
        '[f for f in d if f["unit"] == "edge.service"][0]["evidence"]["signal_pc"] == "0x4904ff"'
# explain shows the trace as its lines, under the evidence.
run lifex analyze --file="$tmp/lifecycle.journal"
expect_rc 0 "go crashes, text" lifex
checks=$((checks + 1))
if ! sed -n '/^cache.service was stopped/,/^Advice/p' "$tmp/lifex.out" | sed -n '/^Trace$/,/^Unit settings/p' | head -4 |
        diff -u <(printf '%s\n' Trace '    fatal error: concurrent map writes' '' '    goroutine 8 [running]:') -; then
        fail "go crashes, text: the trace under the evidence"
fi
# Name resolution: three retries of one invocation are one occurrence, a restart one more; libc's
# lookup names no server; the token beside it stays out; "cache lookup miss" is not one.
run dns analyze --json --file="$tmp/dns.journal"
expect_rc 0 "name resolution" dns
check dns "name resolution" \
        'sorted((f["unit"], f["class"], f["count"]) for f in d) == [("billing.service", "dns-resolution", 1), ("orders.service", "dns-resolution", 2)]' \
        'one("dns-resolution", "orders.service")["message_id"] == "bfe1af72b26e4563b8ca1d689cd1c76e"' \
        'one("dns-resolution", "orders.service")["invocation_id"] == "8091a2b3c4d5e6f708192a3b4c5d6e7f"' \
        'one("dns-resolution", "orders.service")["summary"] == "orders.service cannot resolve host names: db.example.internal on 127.0.0.53:53, i/o timeout (2 times)"' \
        'one("dns-resolution", "orders.service")["evidence"]["go_message"] == "dial tcp: lookup db.example.internal on 127.0.0.53:53: read udp 127.0.0.1:41234->127.0.0.53:53: i/o timeout"' \
        'one("dns-resolution", "orders.service")["first_seen"] == int(fx("dns", "__REALTIME_TIMESTAMP", "02:21:41 dial tcp"))' \
        'one("dns-resolution", "orders.service")["evidence"]["logged_at"] == int(fx("dns", "__REALTIME_TIMESTAMP", "i/o timeout"))' \
        '[one("dns-resolution", "orders.service")["evidence"][k] for k in ("dns_name", "dns_server", "dns_failure")] == ["db.example.internal", "127.0.0.53:53", "timeout"]' \
        'one("dns-resolution", "orders.service")["evidence"]["unit_settings_known"] is False and "dns_resolver" not in one("dns-resolution", "orders.service")["evidence"]' \
        '[a["kind"] for a in one("dns-resolution", "orders.service")["advice"]] == ["command"]' \
        'one("dns-resolution", "billing.service")["summary"] == "billing.service cannot resolve host names: payments.internal, Temporary failure in name resolution"' \
        'one("dns-resolution", "billing.service")["evidence"]["go_message"] == "dial tcp: lookup payments.internal: Temporary failure in name resolution"' \
        'one("dns-resolution", "billing.service")["evidence"]["dns_server"] == "" and one("dns-resolution", "billing.service")["evidence"]["dns_failure"] == "temporary"' \
        '"s3cr3t-t0ken" not in json.dumps(d)'

# Several files at once, and a directory (with a machine-ID subdirectory, like /var/log/journal).
run multi analyze --json --file="$tmp/oomd.journal" --file="$tmp/crash-loop.journal" --file="$tmp/noise.journal"
expect_rc 0 "several files" multi
check multi "several files" \
        'sorted((f["unit"], f["class"], f["count"]) for f in d) == [("leaky.service", "crash-loop", 1), ("leaky.service", "oom-kill", 3), ("worker.service", "oomd-kill", 1)]' \
        '[f["last_seen"] for f in d] == sorted((f["last_seen"] for f in d), reverse=True)'
mkdir -p "$tmp/dir/0f1e2d3c4b5a69788796a5b4c3d2e1f0" "$tmp/empty"
cp "$tmp/oom-cgroup-v1.journal" "$tmp/dir/"
cp "$tmp/oom-cgroup-v2.journal" "$tmp/dir/0f1e2d3c4b5a69788796a5b4c3d2e1f0/"
run dir analyze --json --directory="$tmp/dir"
expect_rc 0 "directory" dir
check dir "directory" \
        'sorted(f["unit"] for f in d) == ["gomem.service", "memhog.service"]'
run empty analyze --json --directory="$tmp/empty"
expect_rc 1 "an empty directory" empty
expect_stderr empty "No journal files in"

# A fleet: two hosts' journals in one directory. The same unit killed on both is a finding on
# each (each host's findings from its own entries), and goguardd's own entries are merged in:
# its kill on web-1 (same id) and on db-1 (another id, the same occurrence key) count nothing
# more; its tasks-near-limit, which only it saw and logged twice, is there once as it logged it.
mkdir -p "$tmp/fleet"
cp "$tmp/fleet-web.journal" "$tmp/fleet-db.journal" "$tmp/fleet/"
fleet_checks=(
        'len(d) == 3'
        'sorted((f["host"], f["unit"], f["class"], f["count"]) for f in d) == [("db-1", "api.service", "oom-kill", 1), ("web-1", "api.service", "oom-kill", 1), ("web-1", "pool.service", "tasks-near-limit", 2)]'
        'sum(f["count"] for f in d) == 4'
        'on("web-1", "oom-kill")["evidence"]["kernel_pid"] == 20001 and on("db-1", "oom-kill")["evidence"]["kernel_pid"] == 30002'
        'on("web-1", "oom-kill")["evidence"]["boot_id"] == "a1000000000000000000000000000001" and on("db-1", "oom-kill")["evidence"]["boot_id"] == "d1000000000000000000000000000001"'
        '[on("web-1", "oom-kill")["id"]] == [on("web-1", "oom-kill")["evidence"]["goguardd_finding_id"]] == logged("fleet-web", "GOGUARD_FINDING_ID", "oom-kill")'
        '[on("db-1", "oom-kill")["evidence"]["goguardd_finding_id"]] == logged("fleet-db", "GOGUARD_FINDING_ID", "oom-kill") != [on("db-1", "oom-kill")["id"]]'
        '"reported_by" not in on("web-1", "oom-kill")["evidence"] and "reported_by" not in on("db-1", "oom-kill")["evidence"]'
        'on("db-1", "oom-kill")["evidence"]["systemd_reported_oom"] is True and "systemd_reported_oom" not in on("web-1", "oom-kill")["evidence"]'
        'on("web-1", "oom-kill")["first_seen"] == kernel_time("fleet-web", "task=api,pid=20001,")'
        'on("web-1", "tasks-near-limit")["evidence"] == {"reported_by": "goguardd", "journal_cursor": logged("fleet-web", "GOGUARD_EVIDENCE_CURSOR", "tasks-near-limit")[0], "hostname": "web-1", "machine_id": "a1000000000000000000000000000000"}'
        'all(f["evidence"]["hostname"] == f["host"] for f in d)'
        'on("web-1", "oom-kill")["evidence"]["machine_id"] == "a1000000000000000000000000000000" and on("db-1", "oom-kill")["evidence"]["machine_id"] == "d1000000000000000000000000000000"'
        'logged("fleet-web", "GOGUARD_FINDING_ID", "tasks-near-limit") == [on("web-1", "tasks-near-limit")["id"]] * 2'
        'on("web-1", "tasks-near-limit")["severity"] == "warning" and on("web-1", "tasks-near-limit")["state"] == "open"'
        'on("web-1", "tasks-near-limit")["summary"] == "pool.service runs 950 of its TasksMax=1000 tasks"'
        'on("web-1", "tasks-near-limit")["invocation_id"] == "a1b2c3d4e5f60718293a4b5c6d7e8f02"'
        '[on("web-1", "tasks-near-limit")[k] for k in ("first_seen", "last_seen")] == [int(t) for t in logged("fleet-web", "__REALTIME_TIMESTAMP", "tasks-near-limit")]'
        '[(a["kind"], a["snippet"]) for a in on("web-1", "tasks-near-limit")["advice"]] == [("dropin", "[Service]\nTasksMax=4000\n")]'
)
run fleet analyze --json --directory="$tmp/fleet"
expect_rc 0 "fleet" fleet
check fleet "fleet" "${fleet_checks[@]}"
run fleet-files analyze --json --file="$tmp/fleet-db.journal" --file="$tmp/fleet-web.journal"
expect_rc 0 "fleet, as files" fleet-files
check fleet-files "fleet, as files" "${fleet_checks[@]}"
run fleet-db analyze --json --directory="$tmp/fleet" --host=db-1
expect_rc 0 "fleet, --host=db-1" fleet-db
check fleet-db "fleet, --host=db-1" \
        'len(d) == 1 and d[0]["host"] == "db-1" and d[0]["unit"] == "api.service" and d[0]["count"] == 1'
run fleet-both analyze --json --directory="$tmp/fleet" --host=web-1 --host=db-1
expect_rc 0 "fleet, both hosts chosen" fleet-both
check fleet-both "fleet, both hosts chosen" \
        'sorted((f["host"], f["class"]) for f in d) == [("db-1", "oom-kill"), ("web-1", "oom-kill"), ("web-1", "tasks-near-limit")]'
# Three hosts, the third without goguardd: its kill is computed from its own records alone.
mkdir -p "$tmp/fleet3"
cp "$tmp/fleet-web.journal" "$tmp/fleet-db.journal" "$tmp/fleet-cache.journal" "$tmp/fleet3/"
run fleet3 analyze --json --directory="$tmp/fleet3"
expect_rc 0 "fleet of three" fleet3
check fleet3 "fleet of three" \
        'sorted((f["host"], f["unit"], f["class"], f["count"]) for f in d) == [("cache-1", "cache.service", "oom-kill", 1), ("db-1", "api.service", "oom-kill", 1), ("web-1", "api.service", "oom-kill", 1), ("web-1", "pool.service", "tasks-near-limit", 2)]' \
        'sum(f["count"] for f in d) == 5' \
        'on("cache-1", "oom-kill")["evidence"]["kernel_pid"] == 40003 and on("cache-1", "oom-kill")["evidence"]["machine_id"] == "c1000000000000000000000000000000"' \
        '"goguardd_finding_id" not in on("cache-1", "oom-kill")["evidence"] and "reported_by" not in on("cache-1", "oom-kill")["evidence"]'
run fleet3-cache analyze --json --directory="$tmp/fleet3" --host=cache-1
expect_rc 0 "fleet of three, --host=cache-1" fleet3-cache
check fleet3-cache "fleet of three, --host=cache-1" \
        'len(d) == 1 and d[0]["host"] == "cache-1" and d[0]["unit"] == "cache.service" and d[0]["evidence"]["hostname"] == "cache-1"'
# Read per host, every entry is accounted for: no warning.
for name in fleet fleet-files fleet-db fleet-both fleet3 fleet3-cache; do
        checks=$((checks + 1))
        [[ ! -s $tmp/$name.err ]] || fail "$name: stderr: $(head -c 300 "$tmp/$name.err")"
done
run fleet-none analyze --json --directory="$tmp/fleet" --host=mail-1
expect_rc 1 "fleet, a host not there" fleet-none
expect_stderr fleet-none "No entries of host mail-1 in $tmp/fleet."
# One host's journal with --host: the host is named.
run v1-host analyze --json --file="$tmp/oom-cgroup-v1.journal" --host=box
expect_rc 0 "one host, --host" v1-host
check v1-host "one host, --host" 'len(d) == 1 and d[0]["host"] == "box" and d[0]["unit"] == "gomem.service"'
run fleet-text analyze --directory="$tmp/fleet"
expect_rc 0 "fleet, text" fleet-text
checks=$((checks + 1))
python3 - "$tmp/fleet-text.out" <<'EOF' || failures=$((failures + 1))
import sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
ok = True
def want(cond, what):
    global ok
    if not cond:
        print(f"FAIL: fleet text: {what}")
        ok = False
want(lines[0] == "3 findings in 73 journal entries of 2 hosts.", f"first line {lines[0]!r}")
want(lines[2].split() == ["ID", "HOST", "UNIT", "CLASS", "SEVERITY", "STATE", "COUNT", "LAST", "SEEN", "SUMMARY"],
     f"header {lines[2]!r}")
rows = sorted(tuple(l.split()[1:7]) for l in lines[3:6])
want(rows == [("db-1", "api.service", "oom-kill", "critical", "open", "1"),
              ("web-1", "api.service", "oom-kill", "critical", "open", "1"),
              ("web-1", "pool.service", "tasks-near-limit", "warning", "open", "2")], f"rows {rows!r}")
hosts = sorted(l.split()[1] for l in lines if l.startswith("  Host:"))
want(hosts == ["db-1", "web-1", "web-1"], f"Host: lines {hosts!r}")
if not ok:
    print("\n".join(lines))
sys.exit(0 if ok else 1)
EOF

# Damaged files.
cp "$tmp/oom-cgroup-v1.journal" "$tmp/truncated.journal"
truncate -s 100000 "$tmp/truncated.journal"
run truncated analyze --json --file="$tmp/truncated.journal"
expect_rc 1 "a truncated journal file" truncated
expect_stderr truncated "Failed to open journal file $tmp/truncated.journal"
checks=$((checks + 1))
[[ ! -s $tmp/truncated.out ]] || fail "a truncated journal file: something on stdout"

printf 'MESSAGE=not a journal\n' >"$tmp/text.journal"
run text analyze --json --file="$tmp/text.journal"
expect_rc 1 "a text file" text
expect_stderr text "not a journal file"

# Garbage over the root entry array: sd-journal finds no entry; analyze says so and fails.
python3 - "$tmp/oom-cgroup-v1.journal" "$tmp/noarray.journal" "$tmp/garbled.journal" <<'EOF'
import shutil, struct, sys
src, noarray, garbled = sys.argv[1:]
with open(src, "rb") as f:
    h = f.read(264)
entry_array, tail = struct.unpack_from("<Q", h, 176)[0], struct.unpack_from("<Q", h, 136)[0]
for dst, off, n in ((noarray, entry_array, 64), (garbled, (entry_array + tail) // 2, 4096)):
    shutil.copy(src, dst)
    with open(dst, "r+b") as f:
        f.seek(off)
        f.write(b"\xa5" * n)
EOF
run noarray analyze --json --file="$tmp/noarray.journal"
expect_rc 1 "a journal file without its entry array" noarray
expect_stderr noarray "56 of 56 entries cannot be read"
expect_stderr noarray "Failed to read any entry of $tmp/noarray.journal"

# Garbage over objects in the middle: what is readable is read, the rest counted and reported.
run garbled analyze --json --file="$tmp/garbled.journal"
checks=$((checks + 1))
if [[ $rc == 0 ]]; then
        check garbled "a garbled journal file" 'isinstance(d, list)'
        expect_stderr garbled "entries cannot be read (the file is corrupt), skipped."
elif [[ $rc == 1 ]]; then
        expect_stderr garbled "cannot be read"
else
        fail "a garbled journal file: exit status $rc"
fi

# Security denials in the journal: F01's event through the audit transport and its AVC again as the
# kernel printed it are one denial, tied to mail.service by the comm of its own output; the
# pre-exec child "(ents-api)" of payments.service (226/NAMESPACE) by that comm; PID 1's USER_AVC on
# a unit file by the file; AppArmor's STATUS is none, its ALLOWED is what enforce mode would deny.
run denials analyze --json --file="$tmp/denials.journal"
expect_rc 0 "security denials in the journal" denials
# Without libauparse (goguardctl --version: -audit) each record is its own event: the AVC names
# only "maildrop", without the SYSCALL's exe.
if "$goguardctl" --version | grep -q '^+audit'; then
        maildrop=/var/spool/postfix/maildrop
        check denials "security denials in the journal: the event's other records" \
                'one("selinux-denial", "mail.service")["evidence"]["denial_exe"] == "/usr/libexec/postfix/pickup"'
else
        maildrop=maildrop
        check denials "security denials in the journal: the AVC alone" \
                '"denial_exe" not in one("selinux-denial", "mail.service")["evidence"]'
fi
check denials "security denials in the journal" \
        'sorted((f["class"], f["unit"], f["count"], f["evidence"].get("attributed_by")) for f in d) == [("apparmor-denial", "", 1, "none"), ("exec-failed", "ledger.service", 1, None), ("selinux-denial", "ledger.service", 1, "pre-exec-comm"), ("selinux-denial", "mail.service", 1, "comm"), ("selinux-denial", "payments.service", 1, "pre-exec-comm"), ("selinux-denial", "poweroff.target", 1, "unit-file")]' \
        'one("selinux-denial", "mail.service")["summary"] == "mail.service was denied by SELinux: postfix_pickup_t { read write } on '"$maildrop"' (dir)"' \
        'one("selinux-denial", "mail.service")["evidence"]["discriminator"] == "selinux|postfix_pickup_t|postfix_spool_maildrop_t|dir|read write|'"$maildrop"'"' \
        'one("selinux-denial", "mail.service")["first_seen"] == 1763778110977000' \
        'one("selinux-denial", "mail.service")["evidence"]["denial_record"].startswith("type=AVC msg=audit(1763778110.977:293): avc:  denied  { read write } for  pid=13010")' \
        '[(a["kind"], a["snippet"]) for a in one("selinux-denial", "mail.service")["advice"]] == [("policy", "allow postfix_pickup_t postfix_spool_maildrop_t:dir { read write };")]' \
        'one("selinux-denial", "payments.service")["evidence"]["discriminator"] == "selinux|init_t|user_home_t|file|read|/etc/payments/env"' \
        '[(a["kind"], a["snippet"]) for a in one("selinux-denial", "payments.service")["advice"]] == [("command", "restorecon -v '"'"'/etc/payments/env'"'"'")]' \
        'one("selinux-denial", "poweroff.target")["evidence"]["denial_unit_file"] == "/usr/lib/systemd/system/poweroff.target"' \
        'one("apparmor-denial")["severity"] == "info" and one("apparmor-denial")["evidence"]["denial_mode"] == "complain"' \
        '[(a["kind"], a["snippet"]) for a in one("apparmor-denial")["advice"]] == [("policy", "/home/bane/foo r,")]'
# ledger.service's 203/EXEC and the entrypoint AVC of its exec are one failure: each names the
# other, and the 203/EXEC says SELinux, with no advice about the file or its mode bits.
check denials "an exec SELinux refused, and its 203/EXEC" \
        'one("exec-failed", "ledger.service")["evidence"]["exec_denied_by"] == "selinux"' \
        'one("exec-failed", "ledger.service")["evidence"]["exec_denial_finding"] == one("selinux-denial", "ledger.service")["id"]' \
        'one("selinux-denial", "ledger.service")["evidence"]["exec_failed_finding"] == one("exec-failed", "ledger.service")["id"]' \
        'one("exec-failed", "ledger.service")["summary"] == "ledger.service could not start: SELinux denied executing /srv/ledger/ledgerd (status=203/EXEC; not a missing file or mode bits)"' \
        '[(a["kind"], a["snippet"]) for a in one("exec-failed", "ledger.service")["advice"]] == [("command", "goguardctl explain " + one("selinux-denial", "ledger.service")["id"])]' \
        'one("selinux-denial", "ledger.service")["advice"][-1] == {"kind": "command", "text": "This denial is why ledger.service failed with status=203/EXEC:", "snippet": "goguardctl explain " + one("exec-failed", "ledger.service")["id"]}'

# The shared denial fixtures as logs (raw audit.log, node= prefixes, dmesg, syslog, audisp,
# journal short format, journald's MESSAGE, a record wrapped across two lines): one finding per
# denial, none for F10 (a policy load notice), F11's STATUS or F15's AUDIT.
denials_dir=$fixtures/../denials
audit_logs=()
for f in "$denials_dir"/F*.log; do
        audit_logs+=("--audit-log=$f")
done
# F03's path is in its AVC_PATH record: without libauparse the AVC names only "index.html", and
# restorecon needs a path.
if "$goguardctl" --version | grep -q '^+audit'; then
        index_html=/var/www/html/index.html
        index_html_advice='[("command", "restorecon -v '"'"'/var/www/html/index.html'"'"'")]'
else
        index_html=index.html
        index_html_advice='[("policy", "allow httpd_t var_t:file { execute_no_trans };")]'
fi
run denial-logs analyze --json "${audit_logs[@]}"
expect_rc 0 "the denial fixtures as audit logs" denial-logs
check denial-logs "the denial fixtures as audit logs" \
        'len(d) == 14' \
        'sorted(f["evidence"]["discriminator"] for f in d) == sorted(["selinux|postfix_pickup_t|postfix_spool_maildrop_t|dir|read write|'"$maildrop"'", "selinux|httpd_t|reserved_port_t|tcp_socket|name_bind|81", "selinux|httpd_t|var_t|file|execute_no_trans|'"$index_html"'", "selinux|kernel_t|console_device_t|chr_file|watch_reads|/dev/console", "selinux|httpd_sys_script_t|gnome_atspi_t|dir|search|13419", "selinux|dnsmasq_t|NetworkManager_t|dbus|send_msg|org.freedesktop.NetworkManager.dnsmasq.Up", "selinux|auditd_t|power_unit_t|service|start|/usr/lib/systemd/system/poweroff.target", "apparmor|ping||file|r|/proc/<pid>/cmdline", "apparmor|/home/ubuntu/bzr/apparmor/tests/regression/apparmor/syscall_setpriority||capable|capable|sys_nice", "apparmor|/home/ubuntu/bzr/apparmor/tests/regression/apparmor/mkdir||mkdir|c|/tmp/sdtest.7283-14445-r31VAP/tmpdir/", "apparmor|/usr/sbin/vsftpd||open|r|/home/bane/foo", "apparmor|/usr/bin/userns_child_exec||namespace|userns_create|", "apparmor|/tmp/apparmor-2.8.0/tests/regression/apparmor/dbus_service|unconfined|dbus_method_call|send|org.freedesktop.systemd1.Manager.LookupDynamicUserByName", "apparmor|docker-default|/usr/bin/docker|signal|receive|"])' \
        'all(f["count"] == 1 for f in d)' \
        'sorted(f["evidence"]["discriminator"].split("|")[1] for f in d if f["severity"] == "info") == ["/tmp/apparmor-2.8.0/tests/regression/apparmor/dbus_service", "/usr/sbin/vsftpd", "httpd_sys_script_t"]' \
        '[f["unit"] for f in d if f["unit"]] == ["poweroff.target"]' \
        'one("selinux-denial", "poweroff.target")["evidence"]["denial_node"] == "localhost"' \
        '[(a["kind"], a["snippet"]) for f in d for a in f["advice"] if "name_bind" in f["evidence"]["discriminator"]] == [("command", "semanage port -a -t http_port_t -p tcp 81")]' \
        '[(a["kind"], a["snippet"]) for f in d for a in f["advice"] if "index.html" in f["evidence"]["discriminator"]] == '"$index_html_advice" \
        '[(a["kind"], a["snippet"]) for f in d for a in f["advice"] if "docker-default" in f["evidence"]["discriminator"]] == [("policy", "signal (receive) set=(kill) peer=/usr/bin/docker,")]' \
        '[(a["kind"], a["snippet"]) for f in d for a in f["advice"] if "sys_nice" in f["evidence"]["discriminator"]] == [("policy", "capability sys_nice,")]' \
        '[(a["kind"], a["snippet"]) for f in d for a in f["advice"] if "userns" in f["evidence"]["discriminator"]] == [("policy", "userns,")]'

# The same record in a log and in the journal is one denial; a rotated log (.1) reads as any
# other, and a compressed one (.gz) with zlib.
cp "$denials_dir/F11.log" "$tmp/audit.log.1"
run denial-rotated analyze --json --audit-log="$tmp/audit.log.1" --audit-log="$denials_dir/F11.log"
expect_rc 0 "a rotated audit log, and the same records again" denial-rotated
check denial-rotated "a rotated audit log, and the same records again" \
        'len(d) == 1 and d[0]["count"] == 1 and d[0]["class"] == "apparmor-denial"'
gzip -c "$denials_dir/F02.log" >"$tmp/audit.log.2.gz"
run denial-gz analyze --json --audit-log="$tmp/audit.log.2.gz"
if "$goguardctl" analyze --help | grep -q 'gz not in this build'; then
        expect_rc 1 "a compressed audit log without zlib" denial-gz
        expect_stderr denial-gz "compressed files are not supported by this build"
else
        expect_rc 0 "a compressed audit log" denial-gz
        check denial-gz "a compressed audit log" \
                'len(d) == 1 and d[0]["evidence"]["discriminator"] == "selinux|httpd_t|reserved_port_t|tcp_socket|name_bind|81"'
fi
run denial-both analyze --json --file="$tmp/denials.journal" --audit-log="$denials_dir/F14.log"
expect_rc 0 "F14 in the journal and in a log" denial-both
check denial-both "F14 in the journal and in a log" \
        'one("apparmor-denial")["count"] == 1 and one("apparmor-denial")["first_seen"] == 1437850920403000'
run denial-text analyze --audit-log="$denials_dir/F10.log" --audit-log="$denials_dir/F15.log"
expect_rc 0 "no denial" denial-text
[[ $(cat "$tmp/denial-text.out") == "No findings in 2 audit log lines." ]] ||
        fail "no denial, text: $(cat "$tmp/denial-text.out")"
run denial-missing analyze --audit-log="$tmp/no-such.log"
expect_rc 1 "a missing audit log" denial-missing
expect_stderr denial-missing "Failed to read audit log $tmp/no-such.log: No such file or directory"

# More findings than the caps hold (a long-lived host's goguardd logged thousands over time): the
# newest are kept, the oldest left out and counted. 4,200 units with a logged finding each, then
# many.service with 70 of its own, then a kill of last.service and its logged condition.
PYTHONPATH="$fixtures" python3 - "$tmp/caps.export" <<'PY' || fail "caps.export not made"
import sys
from journal_export import Journal, finding_id, goguardd_logged, kernel_v1, memcg_kill, memcg_kill_pid1_v1
j = Journal()
room = ("runs-as-root", "b5a1cfdd9df57f3b8c8056a0ada696c6", "info")
inv = "c0ffee00c0ffee00c0ffee00c0ffee00"
for u in range(4200):
    j.at(1 + u)
    unit = f"u{u}.service"
    goguardd_logged(j, *room[:2], room[2], unit, inv, finding_id(room[0], unit, ""), "", 1, f"{unit} runs as root")
for k in range(70):
    j.at(5000 + k)
    fid = finding_id(room[0], "many.service", str(k))
    goguardd_logged(j, *room[:2], room[2], "many.service", inv, fid, str(k), 1, f"many.service finding {k}")
j.at(6000)
goguardd_logged(j, "gomemlimit-vs-limit", "ff52d9c04ba59863323decd847c4dd3e", "warning", "last.service", inv,
                finding_id("gomemlimit-vs-limit", "last.service", ""), "", 1, "last.service has no GOMEMLIMIT")
j.started("last.service", "last", inv)
memcg_kill(j, kernel_v1, memcg_kill_pid1_v1, "last.service", "last", 31337, 40000, inv)
j.write(sys.argv[1], "more findings than the caps hold")
PY
"$remote" -o "$tmp/caps.journal" - <"$tmp/caps.export" 2>/dev/null || fail "journal-remote on caps.export"
run caps analyze --json --file="$tmp/caps.journal"
expect_rc 0 "more findings than the caps hold" caps
check caps "more findings than the caps hold: the newest kept" \
        'len(d) == 4096' \
        'sorted(f["class"] for f in d if f["unit"] == "last.service") == ["gomemlimit-vs-limit", "oom-kill"]' \
        'sorted(int(f["unit"][1:-8]) for f in d if f["unit"].startswith("u")) == list(range(170, 4200))' \
        'sorted(int(f["summary"].split()[-1]) for f in d if f["unit"] == "many.service") == list(range(6, 70))'
expect_stderr caps "Warning: the 176 oldest findings were left out: the newest 64 per unit and 4096 in all are kept."

# Progress on a terminal only: 70,000 entries show the first step (65,536) on stderr when it is a
# terminal (script(1) gives it one), nothing when it is not; the results are the same.
if command -v script >/dev/null; then
        python3 "$(dirname "$0")/../bench/gen-export.py" 70000 "$tmp/long.export" >/dev/null
        "$remote" -o "$tmp/long.journal" - <"$tmp/long.export" 2>/dev/null || fail "journal-remote on long.export"
        run long analyze --file="$tmp/long.journal"
        expect_rc 0 "a long journal" long
        checks=$((checks + 1))
        [[ ! -s $tmp/long.err ]] || fail "a long journal, stderr not a terminal: $(head -c 300 "$tmp/long.err")"
        # stderr is script's terminal, whose output script copies to its stdout
        script -qec "'$goguardctl' analyze --file='$tmp/long.journal' >'$tmp/long-tty.out'" /dev/null >"$tmp/long-tty.err" </dev/null
        checks=$((checks + 1))
        grep -q $'\rReading the journal: 65536 of 70[0-9]* entries (9[0-9]%)' "$tmp/long-tty.err" ||
                fail "a long journal on a terminal: no progress: $(head -c 300 "$tmp/long-tty.err" | od -c | head -5)"
        checks=$((checks + 1))
        cmp -s "$tmp/long.out" "$tmp/long-tty.out" || fail "a long journal on a terminal: other results"
else
        fail "script(1) not found (Debian: util-linux)"
fi

# Usage.
run usage1 analyze
expect_rc 2 "analyze without files" usage1
run usage2 analyze --file="$tmp/oomd.journal" --directory="$tmp/dir"
expect_rc 2 "analyze with --file and --directory" usage2
run usage3 analyze "$tmp/oomd.journal"
expect_rc 2 "analyze with a bare path" usage3
run missing analyze --file="$tmp/no-such.journal"
expect_rc 1 "a missing file" missing
expect_stderr missing "No such file or directory"

echo "$checks checks, $failures failed"
((failures == 0))
