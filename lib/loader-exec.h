/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "finding.h"
#include "go-exe.h"
#include "host-environment.h"
#include "host-facts.h"
#include "unit-settings.h"

/* Who a unit's process is when systemd executes its program, and whether the kernel lets it
 * execute a file (exec-failed): the owner, group or other execute bit as generic_permission()
 * picks it, any execute bit for root. ACLs are not read. */

#define EXEC_CREDS_GROUPS_MAX 64u

typedef struct ExecCreds {
        bool root;    /* uid 0: any execute bit will do */
        bool dynamic; /* DynamicUser=: a uid of its own, not in passwd: no owner's bits */
        bool have_gid;
        uint32_t uid, gid;
        uint32_t groups[EXEC_CREDS_GROUPS_MAX]; /* supplementary, beyond gid */
        size_t n_groups;
        char who[256]; /* "User=nobody (uid 65534, gid 65534)" */
} ExecCreds;

/* The unit's credentials from User=, Group=, SupplementaryGroups= and DynamicUser=, resolved in
 * users (the root's /etc/passwd and /etc/group, as systemd resolves them through NSS files).
 * -ENOENT when a name is not there (NSS may know it: not judged), -ENODATA when users is not
 * known. */
int exec_creds_resolve(const UnitSettings *s, const HostEnvironment *users, ExecCreds *ret);
/* Whether gid is c's group or one of its supplementary groups. */
bool exec_creds_in_group(const ExecCreds *c, uint32_t gid);
/* Whether the kernel lets c execute a file of mode, owner uid and group gid. */
bool exec_creds_may_exec(const ExecCreds *c, mode_t mode, uint32_t uid, uint32_t gid);
/* "root:root" or "1000:50" for a file's owner and group, by name where users has them. */
void exec_owner_string(const HostEnvironment *users, uint32_t uid, uint32_t gid, char *buf, size_t size);

/* What stops execve() of the unit's program before the loader runs. */
typedef struct ExecCause {
        const char *id; /* "directory", "mode", "permission", "NoExecPaths", "noexec",
                         * "script-interpreter" */
        const char *path;
        mode_t mode;
        const char *rule; /* the NoExecPaths= entry that covers it */
        /* "permission": who the unit runs as, the file's owner and group */
        const ExecCreds *creds;
        uint32_t file_uid, file_gid;
        char owner[96];
        /* "script-interpreter": the interpreter the script's "#!" line names, which is missing */
        const char *interpreter;
} ExecCause;

/* The NoExecPaths= entry that makes path not executable, or NULL: the more specific of
 * ExecPaths= and NoExecPaths= wins (systemd.exec(5)). */
const char *exec_no_exec_rule(const UnitSettings *s, const char *path);
/* The finding's evidence and advice for c, and its summary's detail into detail_buf. */
void exec_cause_explain(Finding *f, const ExecCause *c, char *detail_buf, size_t detail_size);

/* "aarch64 64-bit little-endian" into buf. */
const char *loader_machine_name(uint16_t machine, uint8_t elf_class, bool big_endian, char *buf,
                                size_t size);
/* Whether the host's kernel runs the binary's code natively (32-bit code on the 64-bit kernels of
 * the same family too). */
bool loader_runs_natively(const HostFacts *h, const ElfFacts *e);
/* What the preflight checks say of a unit besides findings, as pairs (topic, text, ...): a
 * RootImage= not looked into before start (or judged in the running process's view), a foreign
 * binary a binfmt_misc handler runs emulated. goguardd's PreflightNotes, goguardctl check's notes. */
int loader_notes(const UnitSettings *s, const GoExe *x, const HostFacts *h, char ***ret);
