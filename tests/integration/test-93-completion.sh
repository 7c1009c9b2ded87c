# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
# goguardctl's installed bash completion against a running goguardd: unit names are the Go units
# goguardd watches (not other services), finding ids are goguardd's; with goguardd stopped, unit
# names fall back to systemctl's list. (Verbs, options and classes: tests/completion.)
source "$SRC_DIR/tests/integration/goguard-lib.sh"
require_go_services
[ -r /usr/share/bash-completion/bash_completion ] || skip "bash-completion is not installed (tools/install-deps)"
gg_start

go=${UNIT_PREFIX}healthy.service
hog=${UNIT_PREFIX}memhog.service
other=${UNIT_PREFIX}sleep.service
trap 'box_exec systemctl stop "$go" "$hog" "$other" >/dev/null 2>&1 || true; gg_start' EXIT

# complete WORD...: what the installed completion offers for the last word, one per line, sorted.
complete_words() {
        box_exec bash --norc --noprofile -c '
                source /usr/share/bash-completion/bash_completion
                source /usr/share/bash-completion/completions/goguardctl
                COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
                _goguardctl goguardctl "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
                printf "%s\n" "${COMPREPLY[@]}" | sort' bash "$@"
}

box_exec systemd-run --quiet --unit="$go" "$GO_SERVICES_DIR/healthy"
box_exec systemd-run --quiet --unit="$other" sleep 600
wait_until 10 gg_has_unit "$go"
assert_eq "$go" "$(complete_words goguardctl show "$UNIT_PREFIX")" "show: the Go unit only"
assert_eq "$go" "$(complete_words goguardctl --no-pager findings "$UNIT_PREFIX")" "findings UNIT: the Go unit"

box_exec systemd-run --quiet --unit="$hog" -p MemoryMax=40M -p MemorySwapMax=0 "$GO_SERVICES_DIR/memhog"
wait_until 20 eval '[ -n "$(gg_finding_of "$hog" oom-kill)" ]'
id=$(gg_finding_of "$hog" oom-kill)
assert_status 0 grep -qxF "$id" <<<"$(complete_words goguardctl explain '')"
assert_eq "$id" "$(complete_words goguardctl ack "${id:0:12}")" "ack: the id from its prefix"

box_exec systemctl stop goguardd.service
assert_eq "$(printf '%s\n' "$go" "$hog" "$other" | sort)" "$(complete_words goguardctl show "$UNIT_PREFIX")" \
        "goguardd stopped: systemctl's service units, the failed memhog and the non-Go one too"
