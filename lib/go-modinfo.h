/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "macro.h"
#include "strbuf.h"

/* The module information a Go linker embeds (runtime/debug.BuildInfo without the Go version). */

#define GO_MODINFO_SIZE_MAX     (64u * 1024u * 1024u)
#define GO_MODINFO_DEPS_MAX     100000u
#define GO_MODINFO_SETTINGS_MAX 10000u

typedef struct GoModule {
        char *path;
        char *version;
        char *sum;
        struct GoModule *replace;
} GoModule;

typedef struct GoBuildSetting {
        char *key;
        char *value;
} GoBuildSetting;

typedef struct GoModInfo {
        char *path; /* main package path; NULL if there was no path line */
        GoModule main;
        GoModule *deps;
        size_t n_deps;
        GoBuildSetting *settings;
        size_t n_settings;
} GoModInfo;

/* Where and why parsing failed, in the words of runtime/debug.ParseBuildInfo. */
typedef struct GoModInfoError {
        size_t line;
        const char *reason;
} GoModInfoError;

/* Parses modinfo text (sentinels already stripped). On -EBADMSG, *error (if non-NULL) says which
 * line and why. -E2BIG for text or lists beyond the caps above. */
int go_modinfo_parse(const char *text, size_t size, GoModInfo **ret, GoModInfoError *error);
GoModInfo *go_modinfo_free(GoModInfo *mi);
DEFINE_TRIVIAL_CLEANUP_FUNC(GoModInfo *, go_modinfo_free);

bool go_module_is_set(const GoModule *m);
/* BuildInfo.String() without the "go" line: exactly what `go version -m` indents. */
void go_modinfo_format(const GoModInfo *mi, StrBuf *out);
/* The value of a build setting, or NULL. */
const char *go_modinfo_setting(const GoModInfo *mi, const char *key);

/* Build settings whose values can carry a secret: flags passed to the compiler, assembler, linker
 * and C toolchain (`-ldflags "-X main.token=..."` ends up here verbatim). Their values are shown
 * only to callers who could read the executable; everyone else sees GO_SETTING_REDACTED. */
#define GO_SETTING_REDACTED "(redacted)"
bool go_setting_is_secret(const char *key) _pure_;
/* The value to show for a setting: its own, or GO_SETTING_REDACTED. */
const char *go_setting_value_shown(const GoBuildSetting *s, bool show_secrets) _pure_;
