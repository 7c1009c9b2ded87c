/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <string.h>

#include "correlate.h"
#include "evidence-key.h"
#include "finding-state.h"
#include "fuzz-util.h"

/* Bytes -> lines -> journal records -> the correlator, with a lookup that knows one unit. It must
 * not crash or leak, must stay within the store's caps, and what it finds must survive the state
 * file. Every selector byte counts from '0' (a missing byte reads as '0'), modulo its choices, so
 * seeds are readable text.
 *
 * The first line configures the known unit: byte 0 bit 0 not Go, bit 1 include_non_go, bit 2 no
 * MemoryMax=; byte 1 picks Restart=, byte 2 GOMEMLIMIT, byte 3 the Go version, byte 4 LimitNOFILE=
 * (soft:hard), byte 5 TasksMax=, LimitNPROC= and User=. Every other line
 * is one record: byte 0 the source (0 kernel, 1 PID 1, 2 the unit's output, 3 the kernel read
 * live from /dev/kmsg, 4 the unit's live state: main process killed, byte 2 the unit, byte 3
 * the invocation), byte 1 the time
 * since the previous record in 100 ms steps ('~' goes 10 s back). A kernel record's MESSAGE is
 * the rest. PID 1: byte 2 picks MESSAGE_ID, byte 3 UNIT= (3: the MESSAGE's first word), byte 4
 * INVOCATION_ID=, byte 5 bit 0 EXIT_CODE=killed EXIT_STATUS=9, bit 1 UNIT_RESULT=oom-kill, bit 2
 * UNIT_RESULT=exit-code, bit 3 timeout, bit 4 watchdog, bit 5 start-limit-hit, bit 6 byte 2 picks
 * "Deactivated successfully." or "Stopping" instead; MESSAGE is the rest. Unit output: byte 2
 * _SYSTEMD_UNIT=, byte 3 the invocation (modulo 4) and, divided by 4, _COMM=; MESSAGE is the rest,
 * none when empty (a line no detector reads comes with only its unit and comm). */

#define KNOWN_UNIT "gomem.service"

static const char *const message_ids[] = {
        MESSAGE_ID_UNIT_STARTED,
        MESSAGE_ID_UNIT_OOM,
        MESSAGE_ID_UNIT_OOMD_KILL,
        MESSAGE_ID_UNIT_PROCESS_EXIT,
        MESSAGE_ID_UNIT_FAILURE_RESULT,
        MESSAGE_ID_UNIT_RESTART_SCHEDULED,
        NULL,
        "00000000000000000000000000000000",
};
/* Chosen with byte 5 bit 6, so that the seeds written before them keep their meaning. */
static const char *const more_message_ids[] = {
        MESSAGE_ID_UNIT_SUCCESS,
        MESSAGE_ID_UNIT_STOPPING,
};
static const char *const units[] = { KNOWN_UNIT, "other.service", "user@1000.service" };
static const char *const invocations[] = {
        "11111111111111111111111111111111",
        "22222222222222222222222222222222",
        "33333333333333333333333333333333",
        NULL,
};
static const char *const comms[] = { NULL, "worker", "gofix-cgo", "a-name-longer-than-15-bytes" };
static const char *const restarts[] = { "on-failure", "no", "on-abort", "always", NULL };
static const char *const gomemlimits[] = { NULL, "GOMEMLIMIT=30MiB", "GOMEMLIMIT=40MiB", "GOMEMLIMIT=lots",
                                           "GOMEMLIMIT=off" };
static const char *const versions[] = { "go1.21.3", "go1.18.10", "devel", NULL };
static const struct {
        uint64_t tasks_max, nproc;
        const char *user;
} threads[] = { { UINT64_MAX, UINT64_MAX, NULL },
                { 40, UINT64_MAX, NULL },
                { UINT64_MAX, 64, "app" },
                { 40, 100, "app" } };
static const uint64_t nofile[][2] = {
        { UINT64_MAX, UINT64_MAX }, { 64, 64 }, { 1024, 524288 }, { 3, 3 }, { 1024, UINT64_MAX }
};

typedef struct Fuzz {
        UnitSettings settings;
        GoExe exe;
        char *env[2];
        bool is_go;
        size_t notified;
} Fuzz;

static int lookup(void *userdata, const char *unit, UnitKnowledge *ret) {
        Fuzz *z = userdata;
        if (strcmp(unit, KNOWN_UNIT) != 0)
                return -ENOENT;
        *ret = (UnitKnowledge){
                .known = true,
                .is_go = z->is_go,
                .settings = &z->settings,
                .exe = z->exe.have_buildinfo ? &z->exe : NULL,
                .process_environment = z->env,
                .exe_comm = "gofix-cgo",
        };
        return 0;
}

static void notify(void *userdata, Finding *f, bool added) {
        Fuzz *z = userdata;
        FUZZ_CHECK(f && f->unit && f->summary);
        const char *bad;
        FUZZ_CHECK(finding_check_evidence(f, &bad) == 0); /* every key declared, with its type */
        z->notified++;
}

static uint8_t byte(const uint8_t *p, size_t n, size_t i) {
        return (uint8_t) ((i < n ? p[i] : '0') - '0');
}

static void check_store(const FindingStore *s) {
        size_t i = 0;
        void *v;
        FUZZ_CHECK(finding_store_count(s, NULL, _FINDING_STATE_INVALID) <= FINDING_STORE_TOTAL_MAX);
        while (hashmap_iterate(s->by_id, &i, &v, NULL)) {
                const Finding *f = v;
                FUZZ_CHECK(finding_class_info(f->class));
                FUZZ_CHECK(f->state == FINDING_OPEN);
                FUZZ_CHECK(f->count >= 1 && f->first_seen <= f->last_seen);
                FUZZ_CHECK(f->n_seen_keys >= 1 && f->n_seen_keys <= FINDING_SEEN_KEYS_MAX);
                FUZZ_CHECK(f->n_evidence <= FINDING_EVIDENCE_MAX && f->n_advice <= FINDING_ADVICE_MAX);
                FUZZ_CHECK(f->summary && strncmp(f->summary, f->unit, strlen(f->unit)) == 0);
                FUZZ_CHECK(finding_store_count(s, f->unit, _FINDING_STATE_INVALID) <=
                           FINDING_STORE_PER_UNIT_MAX);
                FUZZ_CHECK(finding_store_find_active_d(s, f->class, f->unit, f->discriminator) == f);
        }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        Fuzz z = {};
        FindingStore store;
        Correlator *c = NULL;
        const uint8_t *p = data, *end = data + size;

        /* The configuration line. */
        const uint8_t *nl = memchr(p, '\n', size);
        size_t n = nl ? (size_t) (nl - p) : size;
        uint8_t cfg = byte(p, n, 0);
        unit_settings_init(&z.settings);
        z.is_go = !(cfg & 1);
        if (!(cfg & 4))
                z.settings.memory_max = 40ull << 20;
        const char *restart = restarts[byte(p, n, 1) % ELEMENTSOF(restarts)];
        z.settings.restart = restart ? strdup(restart) : NULL;
        z.settings.oom_policy = strdup("stop");
        z.env[0] = (char *) gomemlimits[byte(p, n, 2) % ELEMENTSOF(gomemlimits)];
        const char *version = versions[byte(p, n, 3) % ELEMENTSOF(versions)];
        z.exe.have_buildinfo = version != NULL;
        z.exe.buildinfo.version = (char *) version;
        const uint64_t *limits = nofile[byte(p, n, 4) % ELEMENTSOF(nofile)];
        z.settings.limit_nofile_soft = limits[0];
        z.settings.limit_nofile = limits[1];
        uint8_t t = byte(p, n, 5) % ELEMENTSOF(threads);
        z.settings.tasks_max = threads[t].tasks_max;
        z.settings.limit_nproc = z.settings.limit_nproc_soft = threads[t].nproc;
        z.settings.user = threads[t].user ? strdup(threads[t].user) : NULL;
        p = nl ? nl + 1 : end;

        FUZZ_CHECK(finding_store_init(&store) == 0);
        FUZZ_CHECK(correlator_new(&store,
                                  &(CorrelatorOptions){ .lookup = lookup,
                                                        .notify = notify,
                                                        .userdata = &z,
                                                        .include_non_go = cfg & 2 },
                                  &c) == 0);

        uint64_t now = 1700000000ull * 1000000ull;
        char unit_buf[512];
        while (p < end) {
                nl = memchr(p, '\n', (size_t) (end - p));
                n = nl ? (size_t) (nl - p) : (size_t) (end - p);
                uint8_t b1 = byte(p, n, 1);
                if (b1 == (uint8_t) ('~' - '0'))
                        now -= 10 * 1000000ull;
                else
                        now += (uint64_t) (b1 & 63) * 100000ull;

                JournalRecord r = { .realtime = now, .boot_id = "b007b007b007b007b007b007b007b007" };
                size_t skip;
                uint8_t source = byte(p, n, 0) % 5;
                if (source == 4) {
                        /* The unit's live state: its main process died of SIGKILL. */
                        int k = correlator_main_process_killed(
                                c, units[byte(p, n, 2) % ELEMENTSOF(units)],
                                invocations[byte(p, n, 3) % ELEMENTSOF(invocations)], r.boot_id, now);
                        FUZZ_CHECK(k >= 0 || k == -ENOSPC || k == -ENOMEM);
                        p = nl ? nl + 1 : end;
                        continue;
                }
                switch (source) {
                case 0:
                        r.source = JOURNAL_SOURCE_KERNEL;
                        skip = 2;
                        break;
                case 3:
                        r.source = JOURNAL_SOURCE_KMSG;
                        skip = 2;
                        break;
                case 1: {
                        r.source = JOURNAL_SOURCE_PID1;
                        r.message_id = message_ids[byte(p, n, 2) % ELEMENTSOF(message_ids)];
                        uint8_t u = byte(p, n, 3) % 4;
                        r.invocation_id = invocations[byte(p, n, 4) % ELEMENTSOF(invocations)];
                        uint8_t flags = byte(p, n, 5);
                        if (flags & 1)
                                r.exit_code = "killed", r.exit_status = "9";
                        if (flags & 2)
                                r.unit_result = "oom-kill";
                        else if (flags & 4)
                                r.unit_result = "exit-code";
                        else if (flags & 8)
                                r.unit_result = "timeout";
                        else if (flags & 16)
                                r.unit_result = "watchdog";
                        else if (flags & 32)
                                r.unit_result = "start-limit-hit";
                        if (flags & 64)
                                r.message_id =
                                        more_message_ids[byte(p, n, 2) % ELEMENTSOF(more_message_ids)];
                        skip = 6;
                        if (u < ELEMENTSOF(units))
                                r.unit = units[u];
                        else {
                                /* The message's first word. */
                                size_t start = MIN(skip, n), k = 0;
                                while (start + k < n && k < sizeof unit_buf - 1 && p[start + k] != ' ')
                                        k++;
                                memcpy(unit_buf, p + start, k);
                                unit_buf[k] = 0;
                                r.unit = unit_buf;
                        }
                        break;
                }
                default:
                        r.source = JOURNAL_SOURCE_UNIT;
                        r.unit = units[byte(p, n, 2) % ELEMENTSOF(units)];
                        r.invocation_id = invocations[byte(p, n, 3) % ELEMENTSOF(invocations)];
                        r.comm = comms[byte(p, n, 3) / ELEMENTSOF(invocations) % ELEMENTSOF(comms)];
                        /* A second output stream of the invocation (a child process's). */
                        r.stream_id = byte(p, n, 2) & 0x80 ? "cccccccccccccccccccccccccccccccc" : NULL;
                        skip = 4;
                        break;
                }
                /* MESSAGE as its own allocation of exactly its size, so ASan sees reads past it. */
                size_t mlen = n > skip ? n - skip : 0;
                char *msg = malloc(mlen ? mlen : 1);
                FUZZ_CHECK(msg);
                memcpy(msg, p + MIN(skip, n), mlen);
                r.message = r.source == JOURNAL_SOURCE_UNIT && mlen == 0 ? NULL : msg;
                r.message_len = mlen;

                int k = correlator_feed(c, &r);
                FUZZ_CHECK(k >= 0 || k == -ENOSPC || k == -ENOMEM);
                free(msg);
                FUZZ_CHECK(finding_store_count(&store, NULL, _FINDING_STATE_INVALID) <=
                           FINDING_STORE_TOTAL_MAX);
                p = nl ? nl + 1 : end;
        }
        check_store(&store);
        FUZZ_CHECK(z.notified >= finding_store_count(&store, NULL, _FINDING_STATE_INVALID));

        /* What was found survives the state file. */
        StrBuf b = {};
        char *text;
        size_t len, line = 0;
        finding_state_write(&store, &b);
        FUZZ_CHECK(strbuf_steal(&b, &text, &len) == 0);
        FindingStore again;
        FUZZ_CHECK(finding_store_init(&again) == 0);
        int r = finding_state_read(text, len, &again, &line);
        if (r != 0)
                fprintf(stderr, "state does not read back (%d, line %zu):\n%s\n", r, line, text);
        FUZZ_CHECK(r == 0);
        FUZZ_CHECK(finding_store_count(&again, NULL, _FINDING_STATE_INVALID) ==
                   finding_store_count(&store, NULL, _FINDING_STATE_INVALID));
        free(text);
        finding_store_done(&again);

        correlator_free(c);
        finding_store_done(&store);
        unit_settings_done(&z.settings);
        return 0;
}
