/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>

#include "kernel-oom.h"
#include "parse-util.h"
#include "unit-name.h"

void kernel_oom_record_done(KernelOomRecord *r) {
        free(r->constraint);
        free(r->oom_memcg);
        free(r->task_memcg);
        *r = (KernelOomRecord){};
}

static bool starts_with(const char *s, size_t n, const char *p) {
        size_t k = strlen(p);
        return n >= k && memcmp(s, p, k) == 0;
}

static const char *find(const char *s, size_t n, const char *needle) {
        return memmem(s, n, needle, strlen(needle));
}

/* Decimal digits after optional spaces (the kernel once padded pid=%5d). */
static bool parse_number(const char *s, size_t n, size_t *pos, uint64_t *ret) {
        size_t i = *pos;
        while (i < n && s[i] == ' ')
                i++;
        int k = i < n ? parse_u64_prefix(s + i, n - i, ret) : 0;
        if (k <= 0)
                return false;
        *pos = i + (size_t) k;
        return true;
}

static bool parse_i32(const char *s, size_t n, size_t *pos, int32_t *ret) {
        bool neg = *pos < n && s[*pos] == '-';
        size_t i = *pos + neg;
        uint64_t v;
        if (!parse_number(s, n, &i, &v) || v > INT32_MAX)
                return false;
        *pos = i;
        *ret = neg ? -(int32_t) v : (int32_t) v;
        return true;
}

static int dup_field(const char *s, size_t n, char **ret) {
        char *c = strndup(s, n);
        if (!c)
                return -ENOMEM;
        free(*ret);
        *ret = c;
        return 0;
}

static void set_comm(KernelOomRecord *r, const char *s, size_t n) {
        n = MIN(n, (size_t) KERNEL_OOM_COMM_MAX - 1);
        memcpy(r->comm, s, n);
        r->comm[n] = 0;
}

static int set_summary_field(KernelOomRecord *r, const char *key, size_t key_len, const char *val,
                             size_t val_len) {
#define KEY(k) (key_len == strlen(k) && memcmp(key, k, key_len) == 0)
        if (KEY("constraint"))
                return dup_field(val, val_len, &r->constraint);
        if (KEY("oom_memcg")) {
                r->scope = KERNEL_OOM_SCOPE_MEMCG;
                return dup_field(val, val_len, &r->oom_memcg);
        }
        if (KEY("task_memcg"))
                return dup_field(val, val_len, &r->task_memcg);
        if (KEY("task"))
                set_comm(r, val, val_len);
        else if (KEY("pid") || KEY("uid")) {
                size_t p = 0;
                uint64_t x;
                if (parse_number(val, val_len, &p, &x) && p == val_len && x <= UINT32_MAX) {
                        if (KEY("pid"))
                                r->pid = (uint32_t) x, r->has_pid = true;
                        else
                                r->uid = (uint32_t) x, r->has_uid = true;
                }
        }
#undef KEY
        return 0;
}

/* "oom-kill:" and comma-separated key=value tokens. A token without '=' is the flag
 * "global_oom" or the rest of the previous value: bitmap lists such as "nodemask=0,2" hold
 * commas. Each field is stored when the next key starts, so continuations are included. */
static int parse_summary(const char *s, size_t n, KernelOomRecord *r) {
        const char *key = NULL, *val = NULL;
        size_t key_len = 0, val_end = 0;
        size_t i = strlen("oom-kill:");
        int rr;

        r->kind = KERNEL_OOM_SUMMARY;
        while (i <= n) {
                const char *comma = memchr(s + i, ',', n - i);
                size_t end = comma ? (size_t) (comma - s) : n;
                const char *eq = memchr(s + i, '=', end - i);
                if (eq) {
                        if (key &&
                            (rr = set_summary_field(r, key, key_len, val, val_end - (size_t) (val - s))) < 0)
                                return rr;
                        key = s + i, key_len = (size_t) (eq - key);
                        val = eq + 1, val_end = end;
                } else if (end - i == 10 && memcmp(s + i, "global_oom", 10) == 0)
                        r->scope = KERNEL_OOM_SCOPE_GLOBAL;
                else if (key)
                        val_end = end;
                if (!comma)
                        break;
                i = end + 1;
        }
        if (key && (rr = set_summary_field(r, key, key_len, val, val_end - (size_t) (val - s))) < 0)
                return rr;
        if (r->scope == KERNEL_OOM_SCOPE_UNKNOWN && r->constraint &&
            strcmp(r->constraint, "CONSTRAINT_MEMCG") == 0)
                r->scope = KERNEL_OOM_SCOPE_MEMCG;
        return 0;
}

/* "<reason>: Killed process <pid> (<comm>) total-vm:<N>kB, anon-rss:<N>kB, ..." */
static int parse_killed(const char *s, size_t n, const char *at, KernelOomRecord *r) {
        size_t reason_len = (size_t) (at - s);
        if (reason_len >= 2 && s[reason_len - 2] == ':')
                reason_len -= 2;
        if (starts_with(s, reason_len, "Memory cgroup out of memory"))
                r->scope = KERNEL_OOM_SCOPE_MEMCG;
        else if (starts_with(s, reason_len, "Out of memory"))
                r->scope = KERNEL_OOM_SCOPE_GLOBAL;

        size_t i = (size_t) (at - s) + strlen("Killed process ");
        uint64_t pid;
        if (!parse_number(s, n, &i, &pid) || pid > UINT32_MAX)
                return -EBADMSG;
        r->pid = (uint32_t) pid, r->has_pid = true;
        if (i + 2 > n || s[i] != ' ' || s[i + 1] != '(')
                return -EBADMSG;
        i += 2;
        /* comm may itself contain ") ": take the last ") " before "total-vm:" if present. */
        const char *tail = find(s + i, n - i, ") total-vm:");
        const char *close = tail ? tail : memchr(s + i, ')', n - i);
        if (!close)
                return -EBADMSG;
        set_comm(r, s + i, (size_t) (close - (s + i)));
        r->kind = KERNEL_OOM_KILLED;

        static const struct {
                const char *key;
                size_t off;
        } fields[] = {
                { "total-vm:", offsetof(KernelOomRecord, total_vm_kb) },
                { "anon-rss:", offsetof(KernelOomRecord, anon_rss_kb) },
                { "file-rss:", offsetof(KernelOomRecord, file_rss_kb) },
                { "shmem-rss:", offsetof(KernelOomRecord, shmem_rss_kb) },
        };
        size_t rest = (size_t) (close - s);
        for (size_t k = 0; k < ELEMENTSOF(fields); k++) {
                const char *f = find(s + rest, n - rest, fields[k].key);
                if (!f)
                        continue;
                size_t p = (size_t) (f - s) + strlen(fields[k].key);
                uint64_t v;
                if (parse_number(s, n, &p, &v)) {
                        *(uint64_t *) ((uint8_t *) r + fields[k].off) = v;
                        r->has_rss = true;
                }
        }
        const char *u = find(s + rest, n - rest, "UID:");
        if (u) {
                size_t p = (size_t) (u - s) + 4;
                uint64_t v;
                if (parse_number(s, n, &p, &v) && v <= UINT32_MAX)
                        r->uid = (uint32_t) v, r->has_uid = true;
        }
        const char *adj = find(s + rest, n - rest, "oom_score_adj:");
        if (adj) {
                size_t p = (size_t) (adj - s) + strlen("oom_score_adj:");
                if (parse_i32(s, n, &p, &r->oom_score_adj))
                        r->has_oom_score_adj = true;
        }
        return 0;
}

int kernel_oom_parse(const char *s, size_t n, KernelOomRecord *ret) {
        KernelOomRecord r = {};
        const char *p;
        int rr = 0;

        if (n > KERNEL_OOM_LINE_MAX)
                return -E2BIG;
        /* Lines may end with a newline when they come from /dev/kmsg or a text file. */
        while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r'))
                n--;

        if (starts_with(s, n, "oom-kill:"))
                rr = parse_summary(s, n, &r);
        else if ((p = find(s, n, "Killed process ")))
                rr = parse_killed(s, n, p, &r);
        else if ((p = find(s, n, " invoked oom-killer: "))) {
                r.kind = KERNEL_OOM_INVOKED;
                set_comm(&r, s, (size_t) (p - s));
        } else if (starts_with(s, n, "memory: usage ")) {
                size_t i = strlen("memory: usage ");
                const char *l = find(s, n, "limit ");
                size_t j = l ? (size_t) (l - s) + 6 : n;
                if (!parse_number(s, n, &i, &r.usage_kb) || !l || !parse_number(s, n, &j, &r.limit_kb))
                        rr = -EBADMSG;
                else
                        r.kind = KERNEL_OOM_LIMIT;
        } else if (starts_with(s, n, "Task in ") && (p = find(s + strlen("Task in "), n - strlen("Task in "),
                                                              " killed as a result of limit of "))) {
                /* (searched after the prefix: "Task in killed ..." shares its space) */
                r.kind = KERNEL_OOM_TASK_IN;
                r.scope = KERNEL_OOM_SCOPE_MEMCG;
                size_t a = strlen("Task in ");
                rr = dup_field(s + a, (size_t) (p - s) - a, &r.task_memcg);
                size_t b = (size_t) (p - s) + strlen(" killed as a result of limit of ");
                if (rr >= 0)
                        rr = dup_field(s + b, n - b, &r.oom_memcg);
        }
        if (rr < 0) {
                kernel_oom_record_done(&r);
                return rr;
        }
        *ret = r;
        return 0;
}

int cgroup_path_to_unit(const char *path, char **ret_unit, char **ret_inner) {
        _cleanup_free_ char *outer = NULL, *inner = NULL;
        const char *p = path;

        if (!path || path[0] != '/')
                return -ENOENT;
        while (*p) {
                while (*p == '/')
                        p++;
                const char *e = strchrnul(p, '/');
                size_t len = (size_t) (e - p);
                if (len > UNIT_NAME_MAX && !outer)
                        return -ENOENT; /* too long for a slice: outside systemd's tree */
                if (len > 0 && len <= UNIT_NAME_MAX) {
                        char name[UNIT_NAME_MAX + 1];
                        memcpy(name, p, len);
                        name[len] = 0;
                        size_t nl = strlen(name);
                        bool is_slice = nl > 6 && strcmp(name + nl - 6, ".slice") == 0;
                        bool is_unit = unit_name_is_valid(name) &&
                                       ((nl > 8 && strcmp(name + nl - 8, ".service") == 0) ||
                                        (nl > 6 && strcmp(name + nl - 6, ".scope") == 0));
                        if (is_unit) {
                                if (!outer && !(outer = strdup(name)))
                                        return -ENOMEM;
                                free(inner);
                                if (!(inner = strdup(name)))
                                        return -ENOMEM;
                        } else if (!is_slice && !outer)
                                return -ENOENT; /* a cgroup outside systemd's tree */
                }
                p = e;
        }
        if (!outer)
                return -ENOENT;
        *ret_unit = TAKE_PTR(outer);
        if (ret_inner)
                *ret_inner = TAKE_PTR(inner);
        return 0;
}
