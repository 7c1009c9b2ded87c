/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <string.h>

#include "fuzz-util.h"
#include "kernel-oom.h"
#include "unit-name.h"

static bool ends_with(const char *s, const char *suffix) {
        size_t n = strlen(s), k = strlen(suffix);
        return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* Whether name is one whole component of path. */
static bool has_component(const char *path, const char *name) {
        size_t n = strlen(name);
        for (const char *p = strstr(path, name); p; p = strstr(p + 1, name))
                if (p > path && p[-1] == '/' && (p[n] == '/' || p[n] == 0))
                        return true;
        return false;
}

/* cgroup_path_to_unit() finds units that are path components of a path in systemd's tree. */
static void check_path(const char *path) {
        char *unit = NULL, *inner = NULL;
        int r = cgroup_path_to_unit(path, &unit, &inner);
        FUZZ_CHECK(r == 0 || r == -ENOENT || r == -ENOMEM);
        if (r < 0) {
                FUZZ_CHECK(!unit && !inner);
                return;
        }
        FUZZ_CHECK(path[0] == '/');
        FUZZ_CHECK(unit && inner);
        FUZZ_CHECK(unit_name_is_valid(unit) && unit_name_is_valid(inner));
        FUZZ_CHECK(ends_with(unit, ".service") || ends_with(unit, ".scope"));
        FUZZ_CHECK(ends_with(inner, ".service") || ends_with(inner, ".scope"));
        FUZZ_CHECK(has_component(path, unit) && has_component(path, inner));
        free(unit);
        free(inner);

        /* The inner unit is optional. */
        char *again = NULL;
        FUZZ_CHECK(cgroup_path_to_unit(path, &again, NULL) == 0);
        free(again);
}

/* Bytes -> kernel_oom_parse(), and the same bytes, NUL-terminated, as a cgroup path. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        KernelOomRecord rec;
        int r = kernel_oom_parse((const char *) data, size, &rec);
        FUZZ_CHECK(r == 0 || r == -EBADMSG || r == -E2BIG || r == -ENOMEM);
        FUZZ_CHECK((r == -E2BIG) == (size > KERNEL_OOM_LINE_MAX));
        if (r == 0) {
                FUZZ_CHECK(rec.kind >= KERNEL_OOM_NONE && rec.kind <= KERNEL_OOM_TASK_IN);
                FUZZ_CHECK(rec.scope >= KERNEL_OOM_SCOPE_UNKNOWN && rec.scope <= KERNEL_OOM_SCOPE_GLOBAL);
                FUZZ_CHECK(memchr(rec.comm, 0, sizeof rec.comm));
                switch (rec.kind) {
                case KERNEL_OOM_NONE:
                        FUZZ_CHECK(!rec.constraint && !rec.oom_memcg && !rec.task_memcg && !rec.has_pid &&
                                   !rec.comm[0] && rec.scope == KERNEL_OOM_SCOPE_UNKNOWN);
                        break;
                case KERNEL_OOM_KILLED: FUZZ_CHECK(rec.has_pid); break;
                case KERNEL_OOM_TASK_IN:
                        FUZZ_CHECK(rec.task_memcg && rec.oom_memcg && rec.scope == KERNEL_OOM_SCOPE_MEMCG);
                        break;
                case KERNEL_OOM_SUMMARY: FUZZ_CHECK(size >= strlen("oom-kill:")); break;
                default: break;
                }
                if (rec.kind != KERNEL_OOM_KILLED)
                        FUZZ_CHECK(!rec.has_rss && !rec.has_oom_score_adj);
                if (rec.task_memcg)
                        check_path(rec.task_memcg);
                if (rec.oom_memcg)
                        check_path(rec.oom_memcg);
                kernel_oom_record_done(&rec);
        }

        char *s = malloc(size + 1);
        FUZZ_CHECK(s);
        memcpy(s, data, size);
        s[size] = 0;
        check_path(s);
        free(s);
        return 0;
}
