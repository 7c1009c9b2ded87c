# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
# Security denials as this machine really records them, read offline: a unit sends a USER_AVC
# with libaudit (kernel AVC and AppArmor records cannot be made here: ../shared/testing/denials.md;
# tests/analyze replays those); the box's journald stores it through its audit transport and the
# kernel prints it again. `goguardctl analyze` over the box's journal finds one denial, not two,
# tied to the unit by the comm of its own output, and the kernel's line given again as an audit
# log is still the same record.
command -v gcc >/dev/null || skip "gcc not found (tools/install-deps)"
[ -r /usr/include/libaudit.h ] || skip "libaudit-dev is not installed (tools/install-deps)"

tag=${UNIT_PREFIX#gg-}
tag=den-${tag:0:8} # 12 bytes: the comm is the whole name
unit=${UNIT_PREFIX}denial.service
marker=/run/${UNIT_PREFIX}secret
bin=$BUILD_DIR/$tag
trap 'box_exec systemctl stop "$unit" >/dev/null 2>&1 || true; box_exec rm -f "$marker.go"; rm -f "$bin" "$BUILD_DIR/$tag.log"' EXIT

# The sender: says a line of its own (its comm in the journal), then, once told to (ARGV[2]
# exists), an SELinux USER_AVC denial. journald reads its output stream and the audit socket in
# no set order: the test lets the line reach the journal first, which is what it is about.
gcc -x c -o "$bin" - -laudit <<'C'
#include <libaudit.h>
#include <stdio.h>
#include <unistd.h>
int main(int argc, char **argv) {
        char msg[512];
        printf("sending a denial for %s\n", argv[1]);
        fflush(stdout);
        for (int i = 0; i < 1000 && access(argv[2], F_OK) != 0; i++)
                usleep(10000);
        snprintf(msg, sizeof msg, "avc:  denied  { read } for  pid=%d path=\"%s\" "
                 "scontext=system_u:system_r:gotest_t:s0:c1,c2 tcontext=system_u:object_r:var_run_t:s0 "
                 "tclass=file permissive=0", (int) getpid(), argv[1]);
        int fd = audit_open();
        if (fd < 0 || audit_log_user_avc_message(fd, AUDIT_USER_AVC, msg, NULL, NULL, NULL, getuid()) <= 0) {
                perror("audit_log_user_avc_message");
                return 1;
        }
        return 0;
}
C
box_exec systemd-run --quiet --unit="$unit" "$bin" "$marker" "$marker.go"
wait_until 10 eval 'box_journal -q -u "$unit" -o cat -g "sending a denial" | grep -q .'
box_exec touch "$marker.go"
wait_until 10 box_sh 'journalctl -q _TRANSPORT=audit -o cat | grep -qF -- "$1"' "$marker"

jdir=/var/log/journal
box_exec test -d "$jdir/$(box_exec cat /etc/machine-id)" || jdir=/run/log/journal
box_exec journalctl --flush >/dev/null 2>&1 || true

# analyze over the box's journal: the record's finding is found by its path.
out=$(box_exec goguardctl analyze --json -D "$jdir")
denial() {
        json_get "$1" '[f for f in d if f["evidence"].get("denial_target") == "'"$marker"'"]'
}
found=$(denial "$out")
assert_json "$found" 'len(d) == 1' "one finding for the record"
assert_json "$found" 'd[0]["class"] == "selinux-denial" and d[0]["count"] == 1' \
        "one denial, counted once though journald stored it and the kernel printed it"
assert_json "$found" 'd[0]["unit"] == "'"$unit"'" and d[0]["evidence"]["attributed_by"] == "comm"' \
        "tied to the unit by the comm of its own output"
assert_json "$found" 'd[0]["evidence"]["denial_record_type"] == "USER_AVC"' "a USER_AVC"
assert_json "$found" 'd[0]["evidence"]["denial_exe"] == "'"$bin"'"' "the sender's executable (libaudit's exe=)"
assert_json "$found" 'd[0]["evidence"]["denial_source_type"] == "gotest_t" and d[0]["evidence"]["denial_source_context"] == "system_u:system_r:gotest_t:s0:c1,c2"' \
        "the source type without its MCS categories, the context with them"
assert_json "$found" 'd[0]["evidence"]["discriminator"] == "selinux|gotest_t|var_run_t|file|read|'"$marker"'"' "its group"

# The kernel's copy of the record (no auditd here: it printks every record), as an audit log next
# to the journal: the same record again.
box_sh 'journalctl -q -k -o cat | grep -F -- "$1"' "$marker" >"$BUILD_DIR/$tag.log" ||
        skip "the kernel printed no copy of the record (auditd runs?)"
assert_match 'audit: type=1107 audit\([0-9]+\.[0-9]{3}:[0-9]+\): .*' "$(head -1 "$BUILD_DIR/$tag.log")" \
        "the kernel's form of the record"
out=$(box_exec goguardctl analyze --json -D "$jdir" --audit-log="$BUILD_DIR/$tag.log")
assert_json "$(denial "$out")" 'len(d) == 1 and d[0]["count"] == 1' "the same record in a log is not a second denial"
out=$(box_exec goguardctl analyze --json --audit-log="$BUILD_DIR/$tag.log")
assert_json "$(denial "$out")" 'len(d) == 1 and d[0]["unit"] == "" and d[0]["evidence"]["attributed_by"] == "none"' \
        "from the log alone, with no journal to say whose comm it is: no unit"
