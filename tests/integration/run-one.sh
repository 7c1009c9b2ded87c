#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
#   run-one.sh TEST_FILE
#
# Runs one integration test for run.sh: a fresh bash with set -eEuo pipefail, box.sh loaded, the
# working directory BUILD_DIR, then sources TEST_FILE. The environment (BOX_PID, TEST_NAME,
# UNIT_PREFIX, ...) comes from run.sh. Exit status: 0 pass, 77 skip, anything else fail.

set -eEuo pipefail
TEST_FILE=$1
# shellcheck source=box.sh
source "$(dirname "${BASH_SOURCE[0]}")/box.sh"

# skip REASON: end the test as skipped (a failure under CI=true).
skip() {
        echo "  SKIP [$TEST_NAME] $*"
        exit 77
}

# require_go_services: skip unless the Go test services were built.
require_go_services() {
        [[ -n $GO_SERVICES_DIR ]] || skip "the Go test services were not built (no Go toolchain)"
}

# A command that fails outside a condition ends the test; say which, by its line in the test
# file even when it failed inside a function.
_test_err() {
        local i line=
        for ((i = 1; i < ${#BASH_SOURCE[@]}; i++)); do
                if [[ ${BASH_SOURCE[i]} == "$TEST_FILE" ]]; then
                        line=${BASH_LINENO[i - 1]}
                        break
                fi
        done
        echo "  FAIL [$TEST_NAME] command failed with status $1 at ${TEST_FILE##*/}:${line:-?}:" \
                "$(sed -n "${line:-0}p" "$TEST_FILE" | sed 's/^[[:space:]]*//')"
        if [[ ${BASH_SOURCE[1]} != "$TEST_FILE" ]]; then
                echo "       (in ${FUNCNAME[1]:-?}: $2)"
        fi
}
trap '_test_err $? "$BASH_COMMAND"' ERR

cd "$BUILD_DIR"
# shellcheck disable=SC1090
source "$TEST_FILE"
