# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
# Sourced by tools/test and tools/demo. The sandboxed systemd (tests/integration/box.sh) gives
# itself its own /tmp, /run, /var, /usr and /etc, so a checkout there (a clone in /tmp, say) and
# a build beside it are invisible inside it. Such a checkout is copied, as git sees it (tracked
# and untracked files, nothing ignored), to a directory the sandbox shares, and the command runs
# again from there (/srv/goguard/HASH/src, which every user can read). Elsewhere this does nothing.
#   run_outside_box SCRIPT_RELATIVE_PATH "$@"
run_outside_box() {
        local script=$1 src
        shift
        src=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
        case $src/ in
        /tmp/* | /run/* | /var/* | /usr/* | /etc/*) ;;
        *) return 0 ;;
        esac
        # Not under a home directory: unprivileged users in the tests must read it (test-81, 82).
        local base=${GOGUARD_OUTSIDE_DIR:-/srv/goguard}
        local copy
        copy=$base/$(printf '%s' "$src" | sha256sum | cut -c1-16)
        echo "$src is where the sandboxed systemd has its own files: running from a copy in $copy"
        rm -rf "$copy/src"
        mkdir -p -m 0755 "$base" "$copy" "$copy/src"
        if git -C "$src" rev-parse --git-dir >/dev/null 2>&1; then
                git -C "$src" ls-files -z --cached --others --exclude-standard |
                        (cd "$src" && tar --null -T - -cf -) | tar -C "$copy/src" -xf -
                cp -a "$src/.git" "$copy/src/.git"
        else
                tar -C "$src" --exclude='./build*' -cf - . | tar -C "$copy/src" -xf -
        fi
        exec "$copy/src/$script" "$@"
}
