#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# goguardctl's bash completion, called as bash calls it (COMP_WORDS, COMP_CWORD), with and without
# bash-completion's helpers loaded; zsh parses its completion. Unit names and finding ids come
# from a running goguardd: tests/integration/test-71-completion.sh.
# Usage: test-completion.sh BASH_COMPLETION ZSH_COMPLETION FINDING_H FIXTURE_DIR
set -euo pipefail
bash_file=$1 zsh_file=$2 finding_h=$3 fixtures=$4
failed=0

# Two hosts' journals (tests/fixtures/journal) for analyze --host=, when journal-remote is there.
remote=
for p in /usr/lib/systemd/systemd-journal-remote /lib/systemd/systemd-journal-remote; do
        [[ -x $p ]] && remote=$p && break
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [[ -n $remote ]]; then
        mkdir "$tmp/fleet"
        for h in web db; do
                "$remote" -o "$tmp/fleet/fleet-$h.journal" - <"$fixtures/fleet-$h.export" 2>/dev/null
        done
fi

# complete WITH_BASH_COMPLETION WORD...: the candidates for the last word, one per line.
complete_words() {
        local with=$1
        shift
        bash --norc --noprofile -c '
                with=$1; shift
                if [[ $with == yes ]]; then source /usr/share/bash-completion/bash_completion; fi
                source "$0"
                COMP_WORDS=("$@")
                COMP_CWORD=$(($# - 1))
                COMP_LINE="$*"
                COMP_POINT=${#COMP_LINE}
                _goguardctl goguardctl "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
                printf "%s\n" "${COMPREPLY[@]}" | sort' "$bash_file" "$with" "$@"
}

check() {
        local desc=$1 expected=$2 actual=$3
        if [[ $expected == "$actual" ]]; then
                echo "PASS: $desc"
        else
                echo "FAIL: $desc"
                echo "  expected: $(tr '\n' ' ' <<<"$expected")"
                echo "  actual:   $(tr '\n' ' ' <<<"$actual")"
                failed=1
        fi
}

n_classes=$(sed -n '/^typedef enum FindingClass {/,/_FINDING_CLASS_MAX/p' "$finding_h" | grep -c '^        FINDING_')

modes=(no)
[ -r /usr/share/bash-completion/bash_completion ] && modes+=(yes)
for m in "${modes[@]}"; do
        check "[$m] verbs" "$(printf '%s\n' ack analyze dismiss explain findings inspect show status watch)" \
                "$(complete_words "$m" goguardctl '')"
        check "[$m] a verb's prefix" "findings" "$(complete_words "$m" goguardctl fi)"
        check "[$m] global options" "$(printf '%s\n' --help --json --no-pager --version)" \
                "$(complete_words "$m" goguardctl -)"
        check "[$m] options of findings" "--class=" "$(complete_words "$m" goguardctl findings --cl)"
        check "[$m] options of inspect" "$(printf '%s\n' --deps --json)" \
                "$(complete_words "$m" goguardctl --no-pager inspect --d; complete_words "$m" goguardctl inspect --j)"
        check "[$m] options of analyze" "$(printf '%s\n' --audit-log= --directory= --file= --help --host= --json --no-pager --version)" \
                "$(complete_words "$m" goguardctl analyze -)"
        if [[ $m == yes ]]; then
                eq=(--class=oom-k) state=(--state=) sev=(--severity=c) cls=(--class=)
                dir=(--directory="$tmp/fleet") file=(--file="$tmp/fleet/fleet-db.journal") host=(--host=)
        else
                # bash alone splits at "=": "--class" "=" "oom-k".
                eq=(--class = oom-k) state=(--state =) sev=(--severity = c) cls=(--class =)
                dir=(--directory = "$tmp/fleet") file=(--file = "$tmp/fleet/fleet-db.journal") host=(--host =)
        fi
        if [[ -n $remote ]]; then
                check "[$m] --host= values of a --directory=" "$(printf '%s\n' db-1 web-1)" \
                        "$(complete_words "$m" goguardctl analyze "${dir[@]}" "${host[@]}")"
                check "[$m] --host= values of -D" "$(printf '%s\n' db-1 web-1)" \
                        "$(complete_words "$m" goguardctl analyze -D "$tmp/fleet" "${host[@]}")"
                check "[$m] --host= values of a --file=" "db-1" \
                        "$(complete_words "$m" goguardctl analyze "${file[@]}" "${host[@]}")"
        fi
        check "[$m] --host= without journal files" "" "$(complete_words "$m" goguardctl analyze "${host[@]}")"
        check "[$m] --class= values" "oom-kill" "$(complete_words "$m" goguardctl findings "${eq[@]}")"
        check "[$m] --state= values" "$(printf '%s\n' acknowledged all open resolved)" \
                "$(complete_words "$m" goguardctl findings "${state[@]}")"
        check "[$m] --severity= values" "critical" "$(complete_words "$m" goguardctl findings "${sev[@]}")"
        check "[$m] every finding class of lib/finding.h" "$n_classes" \
                "$(complete_words "$m" goguardctl findings "${cls[@]}" | grep -c .)"
done

if command -v zsh >/dev/null; then
        if zsh -n "$zsh_file"; then echo "PASS: zsh parses _goguardctl"; else echo "FAIL: zsh -n"; failed=1; fi
        check "zsh: every finding class" "$n_classes" \
                "$(sed -n 's/^ *classes=(\(.*\))$/\1/p' "$zsh_file" | wc -w)"
        check "zsh: analyze takes --host=" "1" "$(grep -c "'\*--host=\[Only the entries of this host\]:host:_goguardctl_hosts'" "$zsh_file")"
else
        echo "SKIP: zsh is not installed"
fi
[[ -n $remote ]] || echo "SKIP: --host= values: systemd-journal-remote is not installed"
exit $failed
