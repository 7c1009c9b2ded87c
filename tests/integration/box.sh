# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
#
# box.sh: a real systemd booted as PID 1 of a private pid + mount (+ uts, ipc) namespace, "the
# box", for the integration tests (see /work/shared/testing/real-systemd.md). Source it from bash.
#
# What the box shares with the host and what it does not:
#   - private: /run, /tmp, /var/tmp, /var/log/journal (fresh tmpfs); /usr, /etc and /var
#     (overlayfs, the upper layers on the box's /run tmpfs, so `meson install` and everything
#     else written there vanish with the box); pids, mounts, hostname ("goguard-box"), SysV IPC;
#     a fresh machine ID.
#   - shared: everything else: the kernel and its log, cgroup hierarchies, the network, /dev,
#     /home, /root, /work... The build directory is visible at the same path inside the box.
#   - units that would change host-global kernel state (sysctl, binfmt, module loading, device
#     nodes, remount of /, the clock, pstore) are masked, timers.target is masked (no fstrim,
#     apt, e2scrub...), and systemd-tmpfiles only touches /run, /tmp, /var and /etc.
#
# Functions (all return non-zero on failure; none calls exit, except the assertions, which end
# the test on failure):
#   box_boot [UNIT...]      boot the box; UNIT files (or *.d drop-in directories) are copied into
#                           the box's /run/systemd/system before systemd starts. Needs BOX_DIR.
#                           Sets and exports BOX_PID (host pid of the box's systemd).
#   box_exec CMD...         run CMD in the box (clean environment, cwd /); stdin, stdout, stderr
#                           and the exit status pass through.
#   box_sh SCRIPT [ARG...]  box_exec bash -c SCRIPT bash ARG...
#   box_install BUILD_DIR   meson install of BUILD_DIR into the box (prefix must be /usr, ...),
#                           then sysusers/tmpfiles/catalog for what it installed, daemon-reload and
#                           the bus's ReloadConfig.
#   box_shutdown            power off (SIGRTMIN+4, SIGKILL after 10 s) and verify that no process
#                           or mount of the box is left. Only the process that booted the box can.
#   box_journal ARG...      journalctl --no-pager ARG... in the box.
#   box_unit_prop UNIT PROP print one property of a unit (systemctl show -P).
#   wait_until SECS CMD...  run CMD every 50 ms until it succeeds (0) or SECS pass (1).
#   assert_eq / assert_ne / assert_match / assert_status / assert_json, json_get: see below.

BOX_SYSTEMD=${BOX_SYSTEMD:-/lib/systemd/systemd}
BOX_BOOT_TIMEOUT=${BOX_BOOT_TIMEOUT:-30}
BOX_SHUTDOWN_TIMEOUT=${BOX_SHUTDOWN_TIMEOUT:-10}
BOX_LOCK=${BOX_LOCK:-/run/lock/goguard-box.lock}
BOX_CONTAINER=goguard-test
BOX_HOSTNAME=goguard-box
BOX_PID=${BOX_PID:-}
BOX_DIR=${BOX_DIR:-}
# The environment of every command run by box_exec.
BOX_ENV=(PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 HOME=/root
        TERM=dumb SYSTEMD_PAGER= PAGER=cat SYSTEMD_COLORS=0)
# Units that act on host-global state (the kernel, /dev, the clock) although the box is a
# container to them; masked in the box's /etc/systemd/system.
BOX_MASKED_UNITS=(
        systemd-sysctl.service
        systemd-binfmt.service proc-sys-fs-binfmt_misc.automount proc-sys-fs-binfmt_misc.mount
        systemd-modules-load.service modprobe@.service kmod-static-nodes.service
        systemd-tmpfiles-setup-dev.service systemd-remount-fs.service
        systemd-timesyncd.service systemd-pstore.service systemd-hwdb-update.service
        timers.target
)
# Paths the box replaces: the build directory (and anything the box must see as on the host)
# must not live under them.
BOX_PRIVATE_PATHS=(/run /tmp /var /usr /etc)

_box_msg() {
        echo "box: $*" >&2
}

_box_now_us() {
        local t=${EPOCHREALTIME/./}
        echo $((10#$t))
}

# _box_alive PID: the process exists and is not a zombie.
_box_alive() {
        local stat
        [[ -n $1 ]] && stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
        stat=${stat##*) }
        [[ ${stat%% *} != Z ]]
}

# _box_ns_procs NS...: host pids of the processes in any of the given namespaces
# (as read from /proc/PID/ns/{pid,mnt}, e.g. "pid:[4026532301]").
_box_ns_procs() {
        local p ns want
        for p in /proc/[0-9]*; do
                for ns in "$p/ns/pid" "$p/ns/mnt"; do
                        want=$(readlink "$ns" 2>/dev/null) || continue
                        if [[ " $* " == *" $want "* ]]; then
                                echo "${p#/proc/}"
                                break
                        fi
                done
        done
}

# _box_host_mounts: the box's own mounts (all named gg-box*) that the host can see; must be none.
_box_host_mounts() {
        awk '$0 ~ / - [^ ]+ gg-box/ { print $5 }' /proc/self/mountinfo
}

# _box_foreign_boxes: pids of systemd instances running as PID 1 of a child pid namespace.
_box_foreign_boxes() {
        local p nspid
        for p in /proc/[0-9]*; do
                [[ $(cat "$p/comm" 2>/dev/null) == systemd ]] || continue
                nspid=$(awk '/^NSpid:/ { print $NF, NF }' "$p/status" 2>/dev/null) || continue
                [[ $nspid == "1 "* && ${nspid#1 } -gt 2 ]] && echo "${p#/proc/}"
        done
}

# _box_check_path DIR: DIR is visible in the box as on the host.
_box_check_path() {
        local p
        for p in "${BOX_PRIVATE_PATHS[@]}"; do
                if [[ $1 == "$p" || $1 == "$p"/* ]]; then
                        _box_msg "'$1' is under $p, which the box replaces; use a directory elsewhere"
                        return 1
                fi
        done
}

_box_write_init() {
        local init=$1
        {
                echo '#!/bin/bash'
                echo '# Generated by tests/integration/box.sh: PID 1 of the box until it execs systemd.'
                echo 'set -euo pipefail'
                printf 'box_dir=%q\nsystemd=%q\ncontainer=%q\nhostname=%q\n' \
                        "$BOX_DIR" "$BOX_SYSTEMD" "$BOX_CONTAINER" "$BOX_HOSTNAME"
                printf 'masked=(%s)\n' "${BOX_MASKED_UNITS[*]}"
                cat <<'EOF'
# Isolation first: nothing below may propagate to the host.
mount --make-rprivate /
mount -t tmpfs -o mode=0755,nosuid,nodev gg-box-run /run
mkdir /run/gg-box
for d in usr etc var; do
        mkdir "/run/gg-box/$d.up" "/run/gg-box/$d.wk"
        mount -t overlay "gg-box-$d" \
                -o "lowerdir=/$d,upperdir=/run/gg-box/$d.up,workdir=/run/gg-box/$d.wk" "/$d"
done
mount -t tmpfs -o mode=1777,nosuid,nodev gg-box-tmp /tmp
mount -t tmpfs -o mode=1777,nosuid,nodev gg-box-vartmp /var/tmp
mkdir -p /var/log/journal
mount -t tmpfs -o mode=2755,nosuid,nodev gg-box-journal /var/log/journal
# The box's console (systemd's status output) is a file in the box directory, not the host's.
mount --bind "$box_dir/console.log" /dev/console

# The box's own identity, in the overlays.
echo "$hostname" >/etc/hostname
echo "$hostname" >/proc/sys/kernel/hostname
tr -d '-' </proc/sys/kernel/random/uuid >/etc/machine-id

mkdir -p /etc/systemd/system /run/systemd/system
for u in "${masked[@]}"; do
        ln -sfn /dev/null "/etc/systemd/system/$u"
done
mkdir -p /etc/systemd/system/systemd-tmpfiles-setup.service.d
cat >/etc/systemd/system/systemd-tmpfiles-setup.service.d/box.conf <<'CONF'
[Service]
ExecStart=
ExecStart=systemd-tmpfiles --create --remove --boot --exclude-prefix=/dev --prefix=/run --prefix=/tmp --prefix=/var --prefix=/etc
CONF
cp -R "$box_dir/units/." /run/systemd/system/

exec env -i container="$container" LANG=C.UTF-8 \
        PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        "$systemd" --system --unit=basic.target
EOF
        } >"$init"
        chmod 0755 "$init"
}

# box_boot [UNIT...]: boot the box. Needs BOX_DIR (a directory for the init script, the console
# log and the staged units; outside /run, /tmp, /var, /usr, /etc). Waits until
# `systemctl is-system-running` says running or degraded (BOX_BOOT_TIMEOUT seconds). Holds
# BOX_LOCK so that boxes of concurrent runs take turns, and waits for any other namespaced
# systemd on the machine to go away (boxes share the host's cgroup hierarchies).
box_boot() {
        local start t pid state u waited=0

        if [[ -n $BOX_PID ]]; then
                _box_msg "a box is already running (pid $BOX_PID)"
                return 1
        fi
        if [[ -z $BOX_DIR || $BOX_DIR != /* ]]; then
                _box_msg "BOX_DIR must be set to an absolute path"
                return 1
        fi
        _box_check_path "$BOX_DIR" || return 1
        if [[ ! -x $BOX_SYSTEMD ]]; then
                _box_msg "$BOX_SYSTEMD not found"
                return 1
        fi

        mkdir -p "$(dirname "$BOX_LOCK")"
        exec {BOX_LOCK_FD}>>"$BOX_LOCK"
        if ! flock -n "$BOX_LOCK_FD"; then
                _box_msg "waiting for another box to finish (lock $BOX_LOCK)"
                if ! flock -w 900 "$BOX_LOCK_FD"; then
                        _box_msg "gave up waiting for $BOX_LOCK"
                        exec {BOX_LOCK_FD}>&-
                        return 1
                fi
        fi
        while [[ -n $(_box_foreign_boxes) ]]; do
                if ((waited == 0)); then
                        _box_msg "waiting for another systemd box to exit: pid(s) $(_box_foreign_boxes | xargs)"
                fi
                if ((waited >= 300)); then
                        _box_msg "another systemd box is still running after 300 s; not booting a second one"
                        exec {BOX_LOCK_FD}>&-
                        return 1
                fi
                sleep 1
                waited=$((waited + 1))
        done

        rm -rf "$BOX_DIR/units"
        mkdir -p "$BOX_DIR/units"
        for u in "$@"; do
                cp -R "$u" "$BOX_DIR/units/"
        done
        : >"$BOX_DIR/console.log"
        _box_write_init "$BOX_DIR/init"

        start=$(_box_now_us)
        # --kill-child: if this shell (and so unshare) dies without box_shutdown, the kernel
        # SIGKILLs the box's PID 1, which tears down the whole namespace.
        unshare --fork --pid --mount --mount-proc --uts --ipc --propagation private \
                --kill-child=SIGKILL "$BOX_DIR/init" \
                </dev/null >>"$BOX_DIR/console.log" 2>&1 {BOX_LOCK_FD}>&- &
        BOX_UNSHARE_PID=$!
        BOX_OWNER=$BASHPID

        # The box's PID 1 is unshare's only child; wait for it to exec systemd.
        pid=
        while :; do
                if ! _box_alive "$BOX_UNSHARE_PID"; then
                        _box_msg "the box exited during boot; console log:"
                        sed 's/^/  | /' "$BOX_DIR/console.log" >&2
                        box_shutdown
                        return 1
                fi
                [[ -n $pid ]] || pid=$(awk '{ print $1 }' \
                        "/proc/$BOX_UNSHARE_PID/task/$BOX_UNSHARE_PID/children" 2>/dev/null)
                if [[ -n $pid && $(cat "/proc/$pid/comm" 2>/dev/null) == systemd ]]; then
                        break
                fi
                if (($(_box_now_us) - start > BOX_BOOT_TIMEOUT * 1000000)); then
                        _box_msg "systemd did not start within $BOX_BOOT_TIMEOUT s"
                        box_shutdown
                        return 1
                fi
                sleep 0.01
        done
        BOX_PID=$pid
        BOX_PIDNS=$(readlink "/proc/$BOX_PID/ns/pid")
        BOX_MNTNS=$(readlink "/proc/$BOX_PID/ns/mnt")
        export BOX_PID BOX_DIR

        state=
        while :; do
                state=$(box_exec systemctl is-system-running 2>/dev/null) || true
                [[ $state == running || $state == degraded ]] && break
                if ! _box_alive "$BOX_PID" ||
                        (($(_box_now_us) - start > BOX_BOOT_TIMEOUT * 1000000)); then
                        _box_msg "the box did not finish booting within $BOX_BOOT_TIMEOUT s (state: ${state:-none})"
                        box_exec systemctl list-jobs --no-legend >&2 || true
                        box_exec systemctl --failed --no-legend >&2 || true
                        _box_msg "console log:"
                        tail -n 50 "$BOX_DIR/console.log" | sed 's/^/  | /' >&2
                        box_shutdown
                        return 1
                fi
                sleep 0.05
        done
        t=$(($(_box_now_us) - start))
        BOX_BOOT_TIME=$(printf '%d.%03d' $((t / 1000000)) $((t % 1000000 / 1000)))
        _box_msg "booted in ${BOX_BOOT_TIME} s: systemd pid $BOX_PID, state $state"
        if [[ $state == degraded ]]; then
                box_exec systemctl --failed --no-legend >&2 || true
        fi
        if [[ -n $(_box_host_mounts) ]]; then
                _box_msg "the box's mounts are visible on the host: $(_box_host_mounts | xargs)"
                box_shutdown
                return 1
        fi
}

# box_exec CMD...: run CMD inside the box (its mount, pid, uts and ipc namespaces) with a clean
# environment (BOX_ENV) and / as working directory. Exit status as CMD's (128+N if killed).
box_exec() {
        if [[ -z $BOX_PID ]]; then
                _box_msg "box_exec: no box is running"
                return 125
        fi
        nsenter -t "$BOX_PID" -m -p -u -i -- env -i "${BOX_ENV[@]}" "$@"
}

# box_sh SCRIPT [ARG...]: a bash script inside the box.
box_sh() {
        local script=$1
        shift
        box_exec bash -c "$script" bash "$@"
}

# box_journal ARG...: the box's journal.
box_journal() {
        box_exec journalctl --no-pager "$@"
}

# box_unit_prop UNIT PROPERTY: the value of one property (systemctl show -P).
box_unit_prop() {
        box_exec systemctl show -P "$2" -- "$1"
}

# _box_buildopt BUILD_DIR: prefix, sysconfdir, localstatedir of a build, resolved, one per line.
_box_buildopts() {
        meson introspect --buildoptions "$1" | python3 -c '
import json, os, sys
o = {x["name"]: x["value"] for x in json.load(sys.stdin)}
p = o["prefix"]
for k in ("prefix", "sysconfdir", "localstatedir"):
    print(os.path.normpath(os.path.join(p, o[k])))'
}

# box_check_build BUILD_DIR: the build installs where a distribution package would.
box_check_build() {
        local -a got
        mapfile -t got < <(_box_buildopts "$1") || true
        if [[ ${got[*]} != "/usr /etc /var" ]]; then
                _box_msg "'$1' is configured with prefix=${got[0]:-?} sysconfdir=${got[1]:-?} localstatedir=${got[2]:-?};"
                _box_msg "the integration tests install it as a distribution would. Reconfigure it:"
                _box_msg "  meson setup --reconfigure $1 --prefix=/usr --sysconfdir=/etc --localstatedir=/var"
                return 1
        fi
}

# box_install BUILD_DIR: install a (built) meson build into the box, then do what a package's
# maintainer scripts would: systemd-sysusers / systemd-tmpfiles --create for the sysusers.d and
# tmpfiles.d files it installed, journalctl --update-catalog if it installed a catalog,
# systemctl daemon-reload and the bus's ReloadConfig.
box_install() {
        local build f start t
        local -a installed
        start=$(_box_now_us)
        build=$(cd "$1" && pwd -P) || return 1
        _box_check_path "$build" || return 1
        box_check_build "$build" || return 1
        box_exec meson install -C "$build" --no-rebuild --quiet || return 1
        mapfile -t installed < <(meson introspect --installed "$build" |
                python3 -c 'import json, sys; print("\n".join(sorted(json.load(sys.stdin).values())))')
        for f in "${installed[@]}"; do
                case $f in
                /usr/lib/sysusers.d/*.conf) box_exec systemd-sysusers "$f" || return 1 ;;
                esac
        done
        for f in "${installed[@]}"; do
                case $f in
                /usr/lib/tmpfiles.d/*.conf) box_exec systemd-tmpfiles --create "$f" || return 1 ;;
                esac
        done
        for f in "${installed[@]}"; do
                if [[ $f == /usr/lib/systemd/catalog/* ]]; then
                        box_exec journalctl --update-catalog || return 1
                        break
                fi
        done
        box_exec systemctl daemon-reload || return 1
        box_exec busctl call org.freedesktop.DBus /org/freedesktop/DBus org.freedesktop.DBus \
                ReloadConfig || return 1
        t=$(($(_box_now_us) - start))
        _box_msg "installed $build in $(printf '%d.%03d' $((t / 1000000)) $((t % 1000000 / 1000))) s"
}

# box_shutdown: power the box off: SIGRTMIN+4 to its systemd, SIGKILL after
# BOX_SHUTDOWN_TIMEOUT seconds; then check that no process is left in its namespaces and none of
# its mounts is visible on the host. Safe to call more than once (from an EXIT trap). Returns 1
# if anything is left behind.
box_shutdown() {
        local start t deadline left rc status=0
        if [[ -z ${BOX_UNSHARE_PID:-} ]]; then
                if [[ -n $BOX_PID ]]; then
                        _box_msg "box_shutdown: only the process that booted the box can shut it down"
                        return 1
                fi
                return 0
        fi
        if [[ ${BOX_OWNER:-} != "$BASHPID" ]]; then
                _box_msg "box_shutdown: only the process that booted the box can shut it down"
                return 1
        fi
        start=$(_box_now_us)
        local died=
        if ! _box_alive "$BOX_PID"; then
                died=1
                status=1
        else
                kill -s SIGRTMIN+4 "$BOX_PID" 2>/dev/null || true
                deadline=$((start + BOX_SHUTDOWN_TIMEOUT * 1000000))
                while _box_alive "$BOX_PID" && (($(_box_now_us) < deadline)); do
                        sleep 0.05
                done
                if _box_alive "$BOX_PID"; then
                        _box_msg "systemd did not power off within $BOX_SHUTDOWN_TIMEOUT s; SIGKILL"
                        kill -s KILL "$BOX_PID" 2>/dev/null || true
                        status=1
                fi
        fi
        deadline=$(($(_box_now_us) + 5000000))
        while _box_alive "$BOX_UNSHARE_PID" && (($(_box_now_us) < deadline)); do
                sleep 0.05
        done
        if _box_alive "$BOX_UNSHARE_PID"; then
                kill -s KILL "$BOX_UNSHARE_PID" 2>/dev/null || true
        fi
        rc=0
        wait "$BOX_UNSHARE_PID" 2>/dev/null || rc=$?
        if [[ -n $died ]]; then
                # unshare ends as its child did. In a pid namespace, reboot(2) kills PID 1 with
                # SIGINT for power off (130), SIGHUP for reboot (129).
                _box_msg "the box's systemd (pid $BOX_PID) had died before box_shutdown (unshare status $rc)"
        fi

        # Everything in the box's pid namespace dies with its PID 1; its mount namespace goes when
        # the last process in it does.
        if [[ -n ${BOX_PIDNS:-} ]]; then
                deadline=$(($(_box_now_us) + 5000000))
                while left=$(_box_ns_procs "$BOX_PIDNS" "$BOX_MNTNS") && [[ -n $left ]] &&
                        (($(_box_now_us) < deadline)); do
                        sleep 0.05
                done
                if [[ -n $left ]]; then
                        _box_msg "processes of the box are still running:"
                        # shellcheck disable=SC2086
                        ps -o pid,args -p "$(echo $left | tr ' ' ,)" >&2 || true
                        status=1
                fi
        fi
        if [[ -n $(_box_host_mounts) ]]; then
                _box_msg "mounts of the box are left on the host: $(_box_host_mounts | xargs)"
                status=1
        fi
        t=$(($(_box_now_us) - start))
        _box_msg "powered off in $(printf '%d.%03d' $((t / 1000000)) $((t % 1000000 / 1000))) s"
        BOX_PID='' BOX_UNSHARE_PID='' BOX_OWNER='' BOX_PIDNS='' BOX_MNTNS=''
        if [[ -n ${BOX_LOCK_FD:-} ]]; then
                exec {BOX_LOCK_FD}>&-
                BOX_LOCK_FD=
        fi
        return $status
}

# wait_until SECONDS CMD...: run CMD (output discarded) every 50 ms until it exits 0; return 0
# then, or 1 after SECONDS (may be fractional), when CMD is run once more with its output on
# stderr for the log.
wait_until() {
        local secs=$1 deadline
        shift
        deadline=$(($(_box_now_us) + $(awk -v s="$secs" 'BEGIN { printf "%d", s * 1000000 }')))
        while :; do
                "$@" >/dev/null 2>&1 && return 0
                (($(_box_now_us) < deadline)) || break
                sleep 0.05
        done
        "$@" >&2 && return 0
        echo "wait_until: timed out after $secs s waiting for: $*" >&2
        return 1
}

# Assertions. Each prints one line, "  PASS [TEST] DESCRIPTION" or "  FAIL [TEST] DESCRIPTION"
# (TEST is $TEST_NAME, set by run.sh), and a failed one ends the test (exit 1) after saying what
# was expected and what was found.
_assert_pass() {
        echo "  PASS [${TEST_NAME:-test}] $1"
}

_assert_fail() {
        local desc=$1
        shift
        echo "  FAIL [${TEST_NAME:-test}] $desc"
        local l
        for l in "$@"; do
                echo "       $l"
        done
        exit 1
}

# assert_eq EXPECTED ACTUAL [DESCRIPTION]
assert_eq() {
        local desc=${3:-"'$2' = '$1'"}
        if [[ $2 == "$1" ]]; then
                _assert_pass "$desc"
        else
                _assert_fail "$desc" "expected: '$1'" "actual:   '$2'"
        fi
}

# assert_ne UNEXPECTED ACTUAL [DESCRIPTION]
assert_ne() {
        local desc=${3:-"'$2' != '$1'"}
        if [[ $2 != "$1" ]]; then
                _assert_pass "$desc"
        else
                _assert_fail "$desc" "expected anything but: '$1'"
        fi
}

# assert_match REGEX ACTUAL [DESCRIPTION]: bash ERE, matched against the whole of ACTUAL (the
# regex is anchored with ^...$ for you).
assert_match() {
        local desc=${3:-"'$2' matches /$1/"}
        if [[ $2 =~ ^($1)$ ]]; then
                _assert_pass "$desc"
        else
                _assert_fail "$desc" "expected to match: /^($1)\$/" "actual: '$2'"
        fi
}

# assert_status EXPECTED CMD...: run CMD (its output passes through) and compare its exit status.
assert_status() {
        local want=$1 rc=0
        shift
        "$@" || rc=$?
        if ((rc == want)); then
                _assert_pass "exit status $want: $*"
        else
                _assert_fail "exit status $want: $*" "expected: $want" "actual:   $rc"
        fi
}

_box_json_py='
import json, re, sys
mode, expr = sys.argv[1], sys.argv[2]
text = sys.stdin.read()
try:
    if mode.endswith("-lines"):
        d = [json.loads(l) for l in text.splitlines() if l.strip()]
    else:
        d = json.loads(text)
except ValueError as e:
    print(f"not JSON: {e}: {text[:500]!r}")
    sys.exit(2)
try:
    r = eval(expr, {"json": json, "re": re, "d": d})
except Exception as e:
    print(f"{type(e).__name__}: {e}; document: {json.dumps(d)[:2000]}")
    sys.exit(2)
if mode.startswith("get"):
    print(r if isinstance(r, str) else json.dumps(r))
    sys.exit(0)
if r:
    sys.exit(0)
print(f"false; document: {json.dumps(d)[:2000]}")
sys.exit(1)
'

# assert_json [--lines] DOC EXPR [DESCRIPTION]: EXPR is a Python expression over the parsed JSON
# document `d` (modules json and re available) that must be true. DOC "-" reads the document
# from stdin. With --lines, DOC is JSON Lines (one value per line, as from journalctl -o json or
# busctl --json=short monitor) and `d` is the list of them, [] for empty input.
assert_json() {
        local mode=check doc expr desc out rc=0
        if [[ $1 == --lines ]]; then
                mode=check-lines
                shift
        fi
        doc=$1 expr=$2 desc=${3:-"$2"}
        if [[ $doc == - ]]; then
                out=$(python3 -c "$_box_json_py" "$mode" "$expr") || rc=$?
        else
                out=$(python3 -c "$_box_json_py" "$mode" "$expr" <<<"$doc") || rc=$?
        fi
        if ((rc == 0)); then
                _assert_pass "$desc"
        else
                _assert_fail "$desc" "expression: $expr" "$out"
        fi
}

# json_get [--lines] DOC EXPR: print the value of EXPR over the JSON document (strings bare,
# anything else as JSON); DOC "-" is stdin. Fails (status 2, message on stdout) if EXPR cannot be
# evaluated.
json_get() {
        local mode=get
        if [[ $1 == --lines ]]; then
                mode=get-lines
                shift
        fi
        if [[ $1 == - ]]; then
                python3 -c "$_box_json_py" "$mode" "$2"
        else
                python3 -c "$_box_json_py" "$mode" "$2" <<<"$1"
        fi
}
