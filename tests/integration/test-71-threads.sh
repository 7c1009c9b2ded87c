# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
# Threads end to end: a real Go program (threadhog) whose goroutines each hold a thread dies
# when the kernel refuses one under a real TasksMax=, and under LimitNPROC= of a user another
# running unit shares; with debug.SetMaxThreads it dies of its own limit. goguardd finds each,
# with the limit that stopped it, announces it on the bus and writes it to the journal with its
# catalog text. Live, a unit that holds 92% of its TasksMax= at two samples in a row is near its
# limit. A healthy unit gets nothing of this family.
source "$SRC_DIR/tests/integration/goguard-lib.sh"
require_go_services
gg_start

grow=${UNIT_PREFIX}grow.service
limit=${UNIT_PREFIX}limit.service
nproc=${UNIT_PREFIX}nproc.service
mate=${UNIT_PREFIX}mate.service
hold=${UNIT_PREFIX}hold.service
ok=${UNIT_PREFIX}healthy.service
# A dynamic user of these two units alone: nothing else on the host counts against its LimitNPROC=.
user=${UNIT_PREFIX%%-71-*}-thr
trap 'box_exec systemctl stop "$grow" "$limit" "$nproc" "$mate" "$hold" "$ok" >/dev/null 2>&1 || true' EXIT

THREAD_USE="Every goroutine blocked in a system call or a cgo call, or locked to its thread with runtime.LockOSThread, holds an OS thread of its own: if their number grows with the load without bound, a higher limit only delays the failure."
MSGID_THREADS=0b1c887e2a034bdf8b62417a1c971004
MSGID_TASKS=25c60f74684b42ada8467ea47e094ce7

box_exec timeout 120 busctl monitor --json=short \
        --match "type=signal,sender=$GG_DEST,member=FindingAdded" >"$BOX_DIR/threads-added.json" 2>/dev/null </dev/null &
monitor=$!
sleep 0.5

# The healthy unit and the one near its limit run while the others fail.
box_exec systemd-run --quiet --unit="$ok" -p DynamicUser=yes -p TasksMax=40 -E HEALTHY_ADDR=127.0.0.1:0 "$GO_SERVICES_DIR/healthy"
box_exec systemd-run --quiet --unit="$hold" -p TasksMax=50 "$GO_SERVICES_DIR/threadhog" -mode=hold -threads=46

# 1. The kernel refuses a thread under TasksMax=40: clone() fails with EAGAIN, the runtime dies.
box_exec systemd-run --quiet --unit="$grow" -p TasksMax=40 "$GO_SERVICES_DIR/threadhog" -interval=20ms
wait_until 20 eval '[ -n "$(gg_finding_of "$grow" thread-exhaustion)" ]'
id=$(gg_finding_of "$grow" thread-exhaustion)
assert_match '[0-9a-f]{32}' "$id" "one thread-exhaustion finding for $grow"
line=$(gg_evidence_line "$grow" 'failed to create new OS thread')
msg=$(json_get "$line" 'd["MESSAGE"]')
assert_match 'runtime: failed to create new OS thread \(have [0-9]+ already; errno=11\)' "$msg" "the runtime's message"
n=$(sed -n 's/.*(have \([0-9]*\) already.*/\1/p' <<<"$msg")
wait_until 5 eval 'json_get "$(gg_finding "$id")" "d[\"Evidence\"].get(\"go_message_detail\", \"\")" | grep -q .'
f=$(gg_finding "$id")
assert_json "$f" 'd["Class"] == "thread-exhaustion" and d["Severity"] == "critical" and d["State"] == "open" and d["Count"] == 1' \
        "class, severity, state, count"
assert_json "$f" 'd["Unit"] == "'"$grow"'" and d["MessageID"] == "'$MSGID_THREADS'"' "unit and MESSAGE_ID"
assert_eq "$(box_unit_prop "$grow" InvocationID)" "$(json_get "$f" 'd["InvocationID"]')" "the invocation"
assert_json "$f" 'd["Summary"] == "'"$grow"' could not create threads: clone failed with EAGAIN at '"$n"' threads, TasksMax=40"' \
        "the summary"
assert_json "$f" 'd["Evidence"]["go_message"] == "'"$msg"'"' "the runtime's message"
assert_json "$f" 'd["Evidence"]["go_message_detail"] == "fatal error: newosproc"' "and its throw"
assert_json "$f" 'd["Evidence"]["go_thread_count"] == '"$n"' and d["Evidence"]["go_errno"] == 11' "the runtime's figures"
assert_json "$f" 'd["Evidence"]["go_create_attempts"] == 1' "Go 1.19 calls clone once"
assert_eq "$(json_get "$line" 'd["__CURSOR"]')" "$(json_get "$f" 'd["Evidence"]["journal_cursor"]')" \
        "the journal cursor of the line"
assert_eq "$(json_get "$line" 'd["__REALTIME_TIMESTAMP"]')" "$(json_get "$f" 'd["Evidence"]["logged_at"]')" \
        "the time of the line"
assert_eq "$(json_get "$line" 'd["__REALTIME_TIMESTAMP"]')" "$(json_get "$f" 'd["FirstSeen"]')" "first seen"
assert_json "$f" 'd["Evidence"]["TasksMax"] == 40 and d["Evidence"]["User"] == "root"' "TasksMax= and the user"
# infinity_u64 VALUE: systemctl's "infinity" as the bus's number.
infinity_u64() {
        if [[ $1 == infinity ]]; then echo 18446744073709551615; else echo "$1"; fi
}
assert_json "$f" 'd["Evidence"]["LimitNPROC"] == '"$(infinity_u64 "$(box_unit_prop "$grow" LimitNPROC)")"' and d["Evidence"]["LimitNPROCSoft"] == '"$(infinity_u64 "$(box_unit_prop "$grow" LimitNPROCSoft)")" \
        "LimitNPROC= as PID 1 has it"
assert_json "$f" 'd["Evidence"]["kernel_threads_max"] == '"$(box_exec cat /proc/sys/kernel/threads-max)" \
        "the host's kernel.threads-max"
assert_json "$f" '"nproc_shared_units" not in d["Evidence"]' "root: LimitNPROC= does not bind it"
assert_json "$f" 'd["Evidence"]["limit_reached"] == "TasksMax"' "TasksMax= was reached"
assert_json "$f" 'd["Evidence"]["go_version"] == "go1.19.8" and d["Evidence"]["unit_settings_known"] == True' \
        "the Go version, settings known"
assert_json "$f" 'd["Advice"] == [["dropin", "The unit'"'"'s cgroup reached TasksMax=40 (its pids.max: processes and threads together), and the kernel refused the Go runtime a new thread when it had '"$n"' threads. Raise TasksMax=; the drop-in allows 256. '"$THREAD_USE"'", "[Service]\nTasksMax=256\n"]]' \
        "advice: a drop-in with TasksMax=256"
assert_eq failed "$(box_unit_prop "$grow" ActiveState)" "threadhog died"
# ... announced on the bus, and in the journal once with its MESSAGE_ID and catalog text.
wait_until 5 grep -qF "$id" "$BOX_DIR/threads-added.json"
signal=$(grep -F "$id" "$BOX_DIR/threads-added.json" | head -n1)
assert_json "$signal" 'd["payload"]["data"][:4] == ["'"$id"'", "'"$grow"'", "thread-exhaustion", "critical"]' "FindingAdded was sent"
entries=$(gg_journal_entries "$grow" "$id")
assert_json "$entries" 'len(d) == 1 and d[0]["MESSAGE_ID"] == "'$MSGID_THREADS'" and d[0]["GOGUARD_CLASS"] == "thread-exhaustion"' \
        "one journal entry with the class's MESSAGE_ID"
assert_json "$entries" 'd[0]["MESSAGE"] == "'"$grow"' could not create threads: clone failed with EAGAIN at '"$n"' threads, TasksMax=40" and d[0]["PRIORITY"] == "2"' \
        "the summary, priority crit"
assert_json "$entries" 'd[0]["GOGUARD_DROPIN"] == "[Service]\nTasksMax=256" and d[0]["GOGUARD_EVIDENCE_CURSOR"] == "'"$(json_get "$line" 'd["__CURSOR"]')"'"' \
        "the drop-in and the evidence's cursor"
x=$(box_journal -x -q -u "$grow" GOGUARD_FINDING_ID="$id")
assert_match '.*Subject: '"$grow"' could not create threads.*' "$(tr '\n' ' ' <<<"$x")" "journalctl -x: the catalog's subject"
assert_match '.*program exceeds N-thread limit" is the Go runtime.s own limit.*' "$(tr '\n' ' ' <<<"$x")" \
        "journalctl -x: the catalog's text"

# 2. The program's own limit: debug.SetMaxThreads(20) under TasksMax=40.
box_exec systemd-run --quiet --unit="$limit" -p TasksMax=40 "$GO_SERVICES_DIR/threadhog" -mode=limit -max=20
wait_until 20 eval '[ -n "$(gg_finding_of "$limit" thread-exhaustion)" ]'
id=$(gg_finding_of "$limit" thread-exhaustion)
wait_until 5 eval 'json_get "$(gg_finding "$id")" "d[\"Evidence\"].get(\"go_message_detail\", \"\")" | grep -q .'
f=$(gg_finding "$id")
assert_json "$f" 'd["Summary"] == "'"$limit"' could not create threads: past its own limit (debug.SetMaxThreads) of 20 threads"' \
        "the summary"
assert_json "$f" 'd["Evidence"]["go_message"] == "runtime: program exceeds 20-thread limit" and d["Evidence"]["go_message_detail"] == "fatal error: thread exhaustion"' \
        "the runtime's message and its throw"
assert_json "$f" 'd["Evidence"]["go_thread_limit"] == 20 and d["Evidence"]["limit_reached"] == "debug.SetMaxThreads" and d["Evidence"]["TasksMax"] == 40' \
        "the program's limit, not TasksMax="
assert_json "$f" 'd["Advice"] == [["text", "The Go runtime stopped the program itself: it went past 20 threads, the limit the program set with debug.SetMaxThreads. The system refused nothing: raising TasksMax= or LimitNPROC= will not help. Raise the program'"'"'s limit (debug.SetMaxThreads), or find out why it needs so many threads. '"$THREAD_USE"'", ""]]' \
        "advice: raising TasksMax= will not help"

# 3. LimitNPROC=30 of a user whose other unit runs now: RLIMIT_NPROC counts both.
box_exec systemd-run --quiet --unit="$mate" -p DynamicUser=yes -p User="$user" "$GO_SERVICES_DIR/sleeper"
wait_until 10 gg_has_unit "$mate"
box_exec systemd-run --quiet --unit="$nproc" -p DynamicUser=yes -p User="$user" -p LimitNPROC=30 \
        "$GO_SERVICES_DIR/threadhog" -interval=20ms
wait_until 20 eval '[ -n "$(gg_finding_of "$nproc" thread-exhaustion)" ]'
f=$(gg_finding "$(gg_finding_of "$nproc" thread-exhaustion)")
msg=$(json_get "$(gg_evidence_line "$nproc" 'failed to create new OS thread')" 'd["MESSAGE"]')
n=$(sed -n 's/.*(have \([0-9]*\) already.*/\1/p' <<<"$msg")
assert_match '[0-9]+' "$n" "the runtime's count"
assert_json "$f" 'd["Summary"] == "'"$nproc"' could not create threads: clone failed with EAGAIN at '"$n"' threads, LimitNPROC=30 of '"$user"'"' \
        "the summary names LimitNPROC= and the user"
assert_json "$f" 'd["Evidence"]["User"] == "'"$user"'" and d["Evidence"]["limit_reached"] == "LimitNPROC" and d["Evidence"]["LimitNPROCSoft"] == 30' \
        "the user and its limit"
assert_json "$f" 'd["Evidence"]["nproc_shared_units"] == 1 and d["Evidence"]["nproc_shared_with"] == "'"$mate"'"' \
        "the other unit of the same user"
assert_json "$f" 'd["Advice"][0] == ["dropin", "The kernel refused the Go runtime a new thread. LimitNPROC=30 (RLIMIT_NPROC) counts every process and thread of user '"$user"' on the host, not only this unit'"'"'s; other units that run as '"$user"' now: '"$mate"'. Raise it; the drop-in allows 256. '"$THREAD_USE"'", "[Service]\nLimitNPROC=256\n"]' \
        "advice: LimitNPROC=256, naming the other unit"

# 4. Live: threadhog holds 46 threads under TasksMax=50 (92%); two samples (every 10 s) later
#    the unit is near its limit.
wait_until 10 eval 'box_journal -q -u "$hold" -o cat -g "holding" | grep -q holding'
wait_until 35 eval '[ -n "$(gg_finding_of "$hold" tasks-near-limit)" ]'
id=$(gg_finding_of "$hold" tasks-near-limit)
f=$(gg_finding "$id")
tasks=$(json_get "$f" 'd["Evidence"]["TasksCurrent"]')
assert_match '4[6-9]' "$tasks" "46 threads or a few more"
pct=$((tasks * 100 / 50))
assert_json "$f" 'd["Class"] == "tasks-near-limit" and d["Severity"] == "warning" and d["Count"] == 1 and d["MessageID"] == "'$MSGID_TASKS'"' \
        "class, severity, count, MESSAGE_ID"
assert_json "$f" 'd["Summary"] == "'"$hold"' is close to its task limit: '"$tasks"' of 50 tasks ('"$pct"'%)"' "the summary"
near=$(json_get "$f" 'd["Evidence"]["tasks_near_samples"]')
assert_json "$f" 'd["Evidence"]["TasksMax"] == 50 and d["Evidence"]["tasks_near_samples"] >= 2' "TasksMax=, two samples or more"
assert_json "$f" '"journal_cursor" not in d["Evidence"] and d["Evidence"]["tasks_sampled_at"] >= d["FirstSeen"]' \
        "seen live, at the sample's time"
assert_json "$f" 'd["Advice"] == [["dropin", "The unit'"'"'s cgroup holds '"$tasks"' tasks (processes and threads), '"$pct"'% of TasksMax=50, at '"$near"' samples in a row. When it reaches the limit the kernel refuses the Go runtime a new thread and the program dies (\"fatal error: newosproc\"). Raise TasksMax= before it does; the drop-in allows 256. '"$THREAD_USE"'", "[Service]\nTasksMax=256\n"]]' \
        "advice: TasksMax=256"
wait_until 5 grep -qF "$id" "$BOX_DIR/threads-added.json"
assert_json "$(grep -F "$id" "$BOX_DIR/threads-added.json" | head -n1)" \
        'd["payload"]["data"][:4] == ["'"$id"'", "'"$hold"'", "tasks-near-limit", "warning"]' "FindingAdded was sent"
entries=$(gg_journal_entries "$hold" "$id")
assert_json "$entries" 'len(d) == 1 and d[0]["MESSAGE_ID"] == "'$MSGID_TASKS'" and d[0]["PRIORITY"] == "4"' \
        "one journal entry with the class's MESSAGE_ID, priority warning"
x=$(box_journal -x -q -u "$hold" GOGUARD_FINDING_ID="$id")
assert_match '.*Subject: '"$hold"' is close to its task limit.*' "$(tr '\n' ' ' <<<"$x")" "journalctl -x: the catalog's subject"
assert_eq active "$(box_unit_prop "$hold" ActiveState)" "threadhog keeps running"

# 5. The healthy unit under TasksMax=40, sampled all along: nothing of this family.
assert_json "$(gg_unit_props "$ok")" 'd["TasksCurrent"] > 0 and d["TasksMax"] == 40' "sampled, TasksMax= known"
for class in thread-exhaustion tasks-near-limit; do
        assert_eq "" "$(gg_finding_of "$ok" "$class")" "no $class finding for a healthy unit"
        assert_eq "" "$(gg_finding_of "$mate" "$class")" "none for the sleeper either"
done
assert_json "$(gg_call ListFindings 'a{sv}uu' 1 unit s "$ok" 0 0)" 'd["data"][1] == 0' "no finding at all for it"
kill "$monitor" 2>/dev/null || true
wait "$monitor" 2>/dev/null || true
