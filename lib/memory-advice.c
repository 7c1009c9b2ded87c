/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What a memory finding advises: the limit in force, GOMEMLIMIT and GOGC as the process sees
 * them, and the drop-in with numbers; the summary's detail. Apart from the detection
 * (detect-memory.c), as the texts are the product. */
#include <stdio.h>
#include <string.h>

#include "detector.h"
#include "format-number.h"
#include "go-env.h"
#include "memory-advice.h"

/* The memory limit in force: MemoryMax=, else MemoryLimit= (cgroup v1), else what the kernel
 * printed for this kill. */
static uint64_t memory_limit(const UnitKnowledge *k, uint64_t kernel_limit_kb, const char **ret_setting) {
        if (k->known && k->settings) {
                if (k->settings->memory_max != UINT64_MAX) {
                        *ret_setting = "MemoryMax";
                        return k->settings->memory_max;
                }
                if (k->settings->memory_limit != UINT64_MAX) {
                        *ret_setting = "MemoryLimit";
                        return k->settings->memory_limit;
                }
        }
        if (kernel_limit_kb > 0 && kernel_limit_kb < (UINT64_MAX >> 10)) {
                *ret_setting = "kernel";
                return kernel_limit_kb << 10;
        }
        *ret_setting = NULL;
        return UINT64_MAX;
}

/* Evidence about the unit's memory settings and GOMEMLIMIT, and advice with numbers. */
void memory_advice(Finding *f, const UnitKnowledge *k, uint64_t kernel_limit_kb) {
        const char *setting, *src_limit, *src_gc;
        char size[32], buf[768];
        uint64_t limit = memory_limit(k, kernel_limit_kb, &setting);
        const char *gomemlimit = unit_knowledge_env(k, "GOMEMLIMIT", &src_limit);
        const char *gogc = unit_knowledge_env(k, "GOGC", &src_gc);
        unsigned major = 0, minor = 0;
        bool go_known = k->exe && k->exe->have_buildinfo &&
                        go_version_parse(k->exe->buildinfo.version, &major, &minor) >= 0;
        bool has_gomemlimit = go_known && minor >= 19;

        if (k->known && k->settings) {
                (void) finding_set_u64(f, "MemoryMax", k->settings->memory_max);
                (void) finding_set_u64(f, "MemoryHigh", k->settings->memory_high);
                (void) finding_set_u64(f, "MemoryLimit", k->settings->memory_limit);
                (void) finding_set_u64(f, "MemorySwapMax", k->settings->memory_swap_max);
        }
        if (limit != UINT64_MAX)
                (void) finding_set_u64(f, "memory_limit_bytes", limit);
        (void) finding_set_string(f, "GOMEMLIMIT", gomemlimit ?: "");
        if (gomemlimit)
                (void) finding_set_string(f, "GOMEMLIMIT_source", src_limit);
        if (gogc)
                (void) finding_set_string(f, "GOGC", gogc);

        finding_clear_advice(f);
        if (limit == UINT64_MAX) {
                (void) finding_add_advice(
                        f, ADVICE_TEXT,
                        "The memory limit that was hit is not known (unit settings unknown). "
                        "Set GOMEMLIMIT to about 90% of it so the Go garbage collector works "
                        "harder before the kernel kills the process.",
                        NULL);
                return;
        }
        format_bytes(size, sizeof size, limit);
        /* "MemoryMax=40M", or, when the unit's settings are unknown, the kernel's figure. */
        char limit_name[64];
        if (strcmp(setting, "kernel") == 0)
                snprintf(limit_name, sizeof limit_name, "its memory limit of %s", size);
        else
                snprintf(limit_name, sizeof limit_name, "%s=%s", setting, size);
        uint64_t target = limit / 10 * 9;
        _cleanup_free_ char *target_s = NULL;
        if (gomemlimit_format(target, &target_s) < 0)
                return;

        uint64_t current;
        bool current_ok = gomemlimit && gomemlimit_parse(gomemlimit, &current) >= 0;
        if (go_known && !has_gomemlimit) {
                snprintf(buf, sizeof buf,
                         "%s predates GOMEMLIMIT (Go 1.19). Lower GOGC so the heap stays well below %s, "
                         "raise the limit, or rebuild with Go 1.19 or newer and set GOMEMLIMIT=%s.",
                         k->exe->buildinfo.version, limit_name, target_s);
                (void) finding_add_advice(f, ADVICE_TEXT, buf, NULL);
        } else if (!gomemlimit || (current_ok && current == UINT64_MAX)) {
                snprintf(buf, sizeof buf,
                         "The Go runtime does not know about %s: it never reads the cgroup limit, so "
                         "the kernel kills the process before the garbage collector tries harder. Set "
                         "GOMEMLIMIT to about 90%% of the limit. It is a soft limit: if the live heap "
                         "itself comes near it, the collector runs almost constantly and the process "
                         "can still outgrow the limit; then raise the limit too.",
                         limit_name);
                _cleanup_free_ char *dropin = NULL;
                if (asprintf(&dropin, "[Service]\nEnvironment=GOMEMLIMIT=%s\n", target_s) >= 0)
                        (void) finding_add_advice(f, ADVICE_DROPIN, buf, dropin);
        } else if (!current_ok) {
                snprintf(buf, sizeof buf,
                         "GOMEMLIMIT=%s is not a value the Go runtime accepts; use a number with a B, "
                         "KiB, MiB, GiB or TiB suffix, about 90%% of %s.",
                         gomemlimit, limit_name);
                _cleanup_free_ char *dropin = NULL;
                if (asprintf(&dropin, "[Service]\nEnvironment=GOMEMLIMIT=%s\n", target_s) >= 0)
                        (void) finding_add_advice(f, ADVICE_DROPIN, buf, dropin);
        } else if (current >= limit / 100 * 95) {
                snprintf(buf, sizeof buf,
                         "GOMEMLIMIT=%s leaves no room below %s for memory the Go runtime does not "
                         "manage (cgo, stacks of C threads, the binary itself). Lower it to about 90%%.",
                         gomemlimit, limit_name);
                _cleanup_free_ char *dropin = NULL;
                if (asprintf(&dropin, "[Service]\nEnvironment=GOMEMLIMIT=%s\n", target_s) >= 0)
                        (void) finding_add_advice(f, ADVICE_DROPIN, buf, dropin);
        } else {
                snprintf(buf, sizeof buf,
                         "GOMEMLIMIT=%s is below %s, and the process still outgrew the limit: its live "
                         "heap needs more memory than the limit allows (GOMEMLIMIT is a soft limit). Raise "
                         "the limit, or find what holds the memory.",
                         gomemlimit, limit_name);
                (void) finding_add_advice(f, ADVICE_TEXT, buf, NULL);
        }
        if (k->known && k->settings && k->settings->memory_max != UINT64_MAX) {
                char bigger[32];
                format_bytes(bigger, sizeof bigger, k->settings->memory_max / 2 * 3);
                snprintf(buf, sizeof buf, "Or raise the limit if the service needs more memory.");
                _cleanup_free_ char *dropin = NULL;
                if (asprintf(&dropin, "[Service]\nMemoryMax=%s\n", bigger) >= 0)
                        (void) finding_add_advice(f, ADVICE_DROPIN, buf, dropin);
        }
}

void memory_summary(Finding *f) {
        const Evidence *limit = finding_get(f, "memory_limit_bytes");
        const Evidence *gml = finding_get(f, "GOMEMLIMIT");
        char size[32], detail[256];
        if (limit && limit->type == EVIDENCE_U64) {
                format_bytes(size, sizeof size, limit->u);
                snprintf(detail, sizeof detail, "limit %s, %s", size,
                         gml && gml->s && *gml->s ? "GOMEMLIMIT set" : "no GOMEMLIMIT");
                finding_update_summary(f, detail);
        } else
                finding_update_summary(f, NULL);
}
