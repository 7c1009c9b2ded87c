#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# goguardd's journal selection over every fixture of tests/fixtures/journal, made into journal
# files with systemd-journal-remote: the records its matches and the reader's own selection give
# are those of the match tree they replaced (test-journal-select.c).
#   test-journal-select.sh TEST-PROGRAM FIXTURE_DIR WORK_DIR
# Exits 77 (skipped) without systemd-journal-remote, unless CI=true: then that is a failure.
set -euo pipefail
program=$1 fixtures=$2 work=$3
remote=
for p in /usr/lib/systemd/systemd-journal-remote /lib/systemd/systemd-journal-remote; do
        [[ -x $p ]] && remote=$p && break
done
if [[ -z $remote ]]; then
        [[ ${CI:-} == true ]] && { echo "FAIL: systemd-journal-remote not found (CI=true)"; exit 1; }
        echo "SKIP: systemd-journal-remote not found"
        exit 77
fi
mkdir -p "$work"
tmp=$(mktemp -d "$(cd "$work" && pwd)/journal-select.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
failures=0
for f in "$fixtures"/*.export; do
        name=$(basename "$f" .export)
        "$remote" -o "$tmp/$name.journal" - <"$f" 2>/dev/null
        if out=$("$program" "$tmp/$name.journal" 2>&1); then
                echo "ok $name: $out"
        else
                echo "FAIL $name: $out"
                failures=$((failures + 1))
        fi
done
exit $((failures > 0))
