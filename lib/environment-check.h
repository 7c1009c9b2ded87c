/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The environment family's classes, inside the detector (detect-environment.c): each says
 * whether its cause holds for a unit (its settings, environment, binary and the root it sees)
 * and explains a finding with evidence and advice. The detector reports a cause that holds
 * through the condition checks, and confirms it from the unit's output. */

#include "detector.h"
#include "host-environment.h"

typedef struct EnvCtx {
        const char *unit;
        const UnitKnowledge *k;
        const HostFacts *h; /* NULL offline (goguardctl analyze): nothing is known of the host */
        /* What the root the unit sees offers; NULL when not known (RootImage=, not read). */
        const HostEnvironment *root;
        const char *root_path; /* as the unit names it: "/" or its RootDirectory= */
        /* The class's open finding, if any: the unit's output that showed the program needs
         * what is missing (classes whose cause alone does not show that). */
        const Finding *active;
        char name[256]; /* the unit's name without ".service": directories in advice */
        char view[128]; /* how a RootImage= was looked into (a running process's root), or "" */
} EnvCtx;

typedef struct Cause {
        bool holds;
        char key[512];    /* what exactly holds: a new key is a new condition */
        char detail[256]; /* the summary's detail */
} Cause;

typedef struct EnvClass {
        FindingClass cls;
        void (*cause)(const EnvCtx *x, Cause *ret);
        /* Evidence and advice (replacing the advice) for a cause that holds, or for the
         * unit's output alone when c is NULL. */
        void (*explain)(Finding *f, const EnvCtx *x, const Cause *c);
} EnvClass;

extern const EnvClass env_class_home, env_class_path, env_class_ld_library_path, env_class_go_toolchain,
        env_class_gomaxprocs, env_class_gomemlimit, env_class_tls, env_class_timezone, env_class_nss,
        env_class_runs_as_root;

/* ---- shared helpers ---- */

/* The variable as the process sees it (unit_knowledge_env()); NULL when unset. */
const char *env_var(const EnvCtx *x, const char *name, const char **ret_source);
/* Whether the unit's executable is the go tool itself. */
bool env_is_go_tool(const UnitKnowledge *k);
/* The go tool's verb when ExecStart= runs one that compiles ("run", "build", ...), "" when its
 * command line is not known, NULL otherwise. */
const char *env_go_tool_verb(const UnitKnowledge *k);
/* The Go minor version (1.N), or -1 when not known. */
int env_go_minor(const UnitKnowledge *k);
/* The first dependency of the binary whose module path starts with one of prefixes, or NULL. */
const char *env_go_dep(const UnitKnowledge *k, const char *const *prefixes);
/* Whether a comma-separated list (-tags, GODEBUG's "a=1,b=0") holds item. */
bool env_list_has(const char *list, const char *item);
/* Whether the build's -tags hold tag. */
bool env_go_tag(const UnitKnowledge *k, const char *tag);
void env_set_user_evidence(Finding *f, const UnitKnowledge *k);
void cause_set(Cause *c, const char *key, const char *detail);
