/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <elf.h>

#include "host-loader.h"
#include "loader-exec.h"
#include "loader-search.h"
#include "parse-util.h"
#include "strv.h"

static void add_group(ExecCreds *c, uint32_t gid) {
        if (c->have_gid && gid == c->gid)
                return;
        for (size_t i = 0; i < c->n_groups; i++)
                if (c->groups[i] == gid)
                        return;
        if (c->n_groups < EXEC_CREDS_GROUPS_MAX)
                c->groups[c->n_groups++] = gid;
}

static int group_gid(const HostEnvironment *users, const char *name, uint32_t *ret) {
        const HostGroup *g = host_environment_group(users, name);
        uint64_t v;
        if (g) {
                *ret = g->gid;
                return 0;
        }
        /* A number names the gid itself, in /etc/group or not (systemd takes it as it is). */
        if (parse_u64(name, &v) >= 0 && v < UINT32_MAX) {
                *ret = (uint32_t) v;
                return 0;
        }
        return -ENOENT;
}

int exec_creds_resolve(const UnitSettings *s, const HostEnvironment *users, ExecCreds *ret) {
        ExecCreds c = {};
        const char *user = s->user && s->user[0] ? s->user : NULL;
        const HostUser *u = NULL;
        int r;

        if (!users || !users->users_read || users->users_truncated)
                return -ENODATA;
        if (user)
                u = host_environment_user(users, user);
        if (!user && !s->dynamic_user) {
                c.root = true;
                snprintf(c.who, sizeof c.who, "root");
        } else if (u) {
                /* A static user, also under DynamicUser= (systemd uses it then). */
                c.uid = u->uid, c.gid = u->gid, c.root = u->uid == 0;
                /* initgroups(): the groups that list the user. */
                for (size_t i = 0; i < users->n_groups; i++)
                        for (char **m = users->groups[i].members; m && *m; m++)
                                if (streq(*m, u->name))
                                        add_group(&c, users->groups[i].gid);
                snprintf(c.who, sizeof c.who, "User=%s (uid %u, gid %u)", user, u->uid, u->gid);
        } else if (s->dynamic_user) {
                c.dynamic = true;
                snprintf(c.who, sizeof c.who, "DynamicUser=yes%s%s (a uid of its own)", user ? " User=" : "",
                         user ?: "");
        } else
                return -ENOENT;

        c.have_gid = !c.dynamic;
        if (s->group && s->group[0] && !c.root) {
                uint32_t gid;
                /* Under DynamicUser= a group /etc/group lacks is made for the unit too. */
                r = group_gid(users, s->group, &gid);
                if (r < 0 && !c.dynamic)
                        return r;
                if (r >= 0)
                        c.gid = gid, c.have_gid = true;
        }
        for (char **g = s->supplementary_groups; g && *g && !c.root; g++) {
                uint32_t gid;
                r = group_gid(users, *g, &gid);
                if (r < 0)
                        return -ENOENT;
                add_group(&c, gid);
        }
        *ret = c;
        return 0;
}

bool exec_creds_in_group(const ExecCreds *c, uint32_t gid) {
        bool member = c->have_gid && gid == c->gid;
        for (size_t i = 0; i < c->n_groups && !member; i++)
                member = c->groups[i] == gid;
        return member;
}

bool exec_creds_may_exec(const ExecCreds *c, mode_t mode, uint32_t uid, uint32_t gid) {
        if (c->root)
                return mode & (S_IXUSR | S_IXGRP | S_IXOTH);
        /* The kernel takes one class, the first that applies, and only its bits. */
        if (!c->dynamic && uid == c->uid)
                return mode & S_IXUSR;
        if (exec_creds_in_group(c, gid))
                return mode & S_IXGRP;
        return mode & S_IXOTH;
}

void exec_owner_string(const HostEnvironment *users, uint32_t uid, uint32_t gid, char *buf, size_t size) {
        char u[32], g[32];
        const HostUser *hu = NULL;
        const HostGroup *hg = NULL;
        snprintf(u, sizeof u, "%u", uid);
        snprintf(g, sizeof g, "%u", gid);
        for (size_t i = 0; users && i < users->n_users && !hu; i++)
                if (users->users[i].uid == uid)
                        hu = &users->users[i];
        for (size_t i = 0; users && i < users->n_groups && !hg; i++)
                if (users->groups[i].gid == gid)
                        hg = &users->groups[i];
        snprintf(buf, size, "%s:%s", hu ? hu->name : u, hg ? hg->name : g);
}

/* The NoExecPaths= entry that makes path not executable, or NULL: the more specific of
 * ExecPaths= and NoExecPaths= wins (systemd.exec(5)). */
const char *exec_no_exec_rule(const UnitSettings *s, const char *path) {
        size_t best = 0;
        const char *rule = NULL;
        for (char **p = s->no_exec_paths; p && *p; p++) {
                size_t n = loader_path_prefix_len(*p, path);
                if (n > best)
                        best = n, rule = *p;
        }
        for (char **p = s->exec_paths; rule && p && *p; p++)
                if (loader_path_prefix_len(*p, path) >= best)
                        return NULL;
        return rule;
}

void exec_cause_explain(Finding *f, const ExecCause *c, char *detail_buf, size_t detail_size) {
        char text[768], cmd[1024], mode[16];
        const char *unit = f->unit;
        (void) finding_set_string(f, "loader_exec_cause", c->id);
        if (streq(c->id, "directory")) {
                snprintf(detail_buf, detail_size, "%s is a directory", c->path);
                snprintf(text, sizeof text,
                         "ExecStart= names a directory, not a program. Point it at the executable:");
                snprintf(cmd, sizeof cmd,
                         "systemctl edit %s  # [Service] ExecStart= then ExecStart=%s/PROGRAM", unit,
                         c->path);
                (void) finding_add_advice(f, ADVICE_COMMAND, text, cmd);
        } else if (streq(c->id, "mode")) {
                snprintf(mode, sizeof mode, "%04o", (unsigned) (c->mode & 07777));
                (void) finding_set_string(f, "loader_exe_mode", mode);
                snprintf(detail_buf, detail_size, "%s is not executable (mode %s)", c->path, mode);
                snprintf(
                        text, sizeof text,
                        "The file has no execute permission; systemd says \"Failed to locate executable %s: "
                        "Permission denied\" and the unit fails with status=203/EXEC. Make it executable:",
                        c->path);
                snprintf(cmd, sizeof cmd, "chmod 0755 '%s'", c->path);
                (void) finding_add_advice(f, ADVICE_COMMAND, text, cmd);
        } else if (streq(c->id, "permission")) {
                /* The one class of bits the kernel looks at for this user. */
                const char *cls = c->creds->root                                       ? "any"
                                  : !c->creds->dynamic && c->creds->uid == c->file_uid ? "the owner's"
                                  : exec_creds_in_group(c->creds, c->file_gid)         ? "the group's"
                                                                                       : "the others'";
                snprintf(mode, sizeof mode, "%04o", (unsigned) (c->mode & 07777));
                (void) finding_set_string(f, "loader_exe_mode", mode);
                (void) finding_set_string(f, "loader_exe_owner", c->owner);
                (void) finding_set_string(f, "loader_exec_user", c->creds->who);
                snprintf(detail_buf, detail_size, "%s is not executable by %s (mode %s, owner %s)", c->path,
                         c->creds->who, mode, c->owner);
                snprintf(text, sizeof text,
                         "The unit runs as %s, and for it the kernel looks at %s execute bit of the file, "
                         "which "
                         "mode %s does not set: execve() fails with \"Permission denied\" "
                         "(status=203/EXEC). Let others execute it:",
                         c->creds->who, cls, mode);
                snprintf(cmd, sizeof cmd, "chmod 0755 '%s'", c->path);
                (void) finding_add_advice(f, ADVICE_COMMAND, text, cmd);
        } else if (streq(c->id, "TemporaryFileSystem")) {
                char dropin[1024];
                const char *slash = strrchr(c->path, '/');
                (void) finding_set_string(f, "loader_exec_rule", c->rule);
                snprintf(detail_buf, detail_size, "%s is under TemporaryFileSystem=%s", c->path, c->rule);
                snprintf(text, sizeof text,
                         "The unit's TemporaryFileSystem=%s mounts an empty file system over its own "
                         "program: "
                         "systemd finds no file to execute (\"No such file or directory\", "
                         "status=203/EXEC). Bind the program's directory back in:",
                         c->rule);
                snprintf(dropin, sizeof dropin, "[Service]\nBindReadOnlyPaths=%.*s\n",
                         slash && slash != c->path ? (int) (slash - c->path) : 1, c->path);
                (void) finding_add_advice(f, ADVICE_DROPIN, text, dropin);
        } else if (streq(c->id, "NoExecPaths")) {
                char dropin[1024], dir[512];
                const char *slash = strrchr(c->path, '/');
                snprintf(dir, sizeof dir, "%.*s", slash && slash != c->path ? (int) (slash - c->path) : 1,
                         c->path);
                (void) finding_set_string(f, "loader_exec_rule", c->rule);
                snprintf(detail_buf, detail_size, "%s is under NoExecPaths=%s", c->path, c->rule);
                snprintf(text, sizeof text,
                         "The unit's NoExecPaths=%s covers its own program: systemd mounts it noexec in the "
                         "unit's namespace, execve() fails (\"Permission denied\", status=203/EXEC). "
                         "Allow the program's directory:",
                         c->rule);
                snprintf(dropin, sizeof dropin, "[Service]\nExecPaths=%s\n", dir);
                (void) finding_add_advice(f, ADVICE_DROPIN, text, dropin);
        } else if (streq(c->id, "script-interpreter")) {
                (void) finding_set_string(f, "loader_script_interpreter", c->interpreter);
                snprintf(detail_buf, detail_size, "%s is a script whose interpreter %s does not exist",
                         c->path, c->interpreter);
                snprintf(
                        text, sizeof text,
                        "ExecStart= names a script whose first line (#!%s) names an interpreter that is not "
                        "there: execve() fails with \"No such file or directory\" although the script "
                        "exists (status=203/EXEC). Install the interpreter, or make the script's first line "
                        "name one that exists; find the package that ships it:",
                        c->interpreter);
                snprintf(cmd, sizeof cmd, "apt-file search '%s'  # or: dnf provides '%s'", c->interpreter,
                         c->interpreter);
                (void) finding_add_advice(f, ADVICE_COMMAND, text, cmd);
        } else {
                snprintf(detail_buf, detail_size, "%s is on a file system mounted noexec", c->path);
                snprintf(
                        text, sizeof text,
                        "The file system holding the program is mounted noexec; systemd says \"Failed to "
                        "locate executable %s: Permission denied\" and the unit fails with status=203/EXEC. "
                        "Install the program where programs may run, and point ExecStart= there:",
                        c->path);
                const char *base = strrchr(c->path, '/');
                snprintf(cmd, sizeof cmd, "install -m 0755 '%s' /usr/local/bin/%s && systemctl edit %s",
                         c->path, base ? base + 1 : c->path, unit);
                (void) finding_add_advice(f, ADVICE_COMMAND, text, cmd);
        }
}

/* ---- what the kernel runs, and notes on what is not judged ---- */

const char *loader_machine_name(uint16_t machine, uint8_t elf_class, bool big_endian, char *buf,
                                size_t size) {
        const char *m = elf_machine_to_string(machine);
        char unknown[16];
        if (!m) {
                snprintf(unknown, sizeof unknown, "machine %u", machine);
                m = unknown;
        }
        snprintf(buf, size, "%s %u-bit %s-endian", m, elf_class, big_endian ? "big" : "little");
        return buf;
}

/* Whether the kernel of a host with machine hm runs the binary's code natively (32-bit code on
 * the 64-bit kernels of the same family too). */
bool loader_runs_natively(const HostFacts *h, const ElfFacts *e) {
        if (e->machine == h->machine && e->elf_class == h->elf_class && e->big_endian == h->big_endian)
                return true;
        if (h->machine == EM_X86_64 && !e->big_endian &&
            (e->machine == EM_386 || (e->machine == EM_X86_64 && e->elf_class == 32)))
                return true;
        return h->machine == EM_AARCH64 && e->machine == EM_ARM && !e->big_endian;
}

int loader_notes(const UnitSettings *s, const GoExe *x, const HostFacts *h, char ***ret) {
        _cleanup_(strv_freep) char **notes = NULL;
        char text[512];
        int r;
        if (s && s->root_image && s->root_image[0]) {
                if (s->main_pid > 0)
                        snprintf(text, sizeof text,
                                 "RootImage=%s: the files inside it are judged in the running process's "
                                 "view, "
                                 "%s/%u/root",
                                 s->root_image, h && h->proc_root ? h->proc_root : "/proc", s->main_pid);
                else
                        snprintf(text, sizeof text,
                                 "RootImage=%s not looked into before start: its executable, libraries, TLS "
                                 "roots, zone database and users are not judged",
                                 s->root_image);
                if ((r = strv_extend(&notes, "RootImage")) < 0 || (r = strv_extend(&notes, text)) < 0)
                        return r;
        }
        const ElfFacts *e = x && x->have_elf_facts ? &x->elf : NULL;
        if (e && h && h->loader_read && h->machine != 0 && !loader_runs_natively(h, e)) {
                uint16_t type = e->kind == ELF_KIND_EXEC ? ET_EXEC : ET_DYN;
                const HostBinfmt *b =
                        binfmt_match(h->binfmt, h->n_binfmt, e->elf_class, e->big_endian, type, e->machine);
                char m[96];
                if (b) {
                        /* Not a failure: it runs, emulated. Said, so that it is not a surprise. */
                        snprintf(text, sizeof text,
                                 "built for %s: runs emulated through the binfmt_misc handler %s (%s)",
                                 loader_machine_name(e->machine, e->elf_class, e->big_endian, m, sizeof m),
                                 b->name, b->interpreter);
                        if ((r = strv_extend(&notes, "binfmt_misc")) < 0 ||
                            (r = strv_extend(&notes, text)) < 0)
                                return r;
                }
        }
        *ret = TAKE_PTR(notes);
        return 0;
}
