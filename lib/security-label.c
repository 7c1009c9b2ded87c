/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* security-label.h with libselinux: the policy's file contexts through selabel, the file's label
 * through getfilecon. Neither needs SELinux to be enabled: a host about to turn it on (the config
 * written, the kernel not yet booted with it) is judged the same way. */
#include <errno.h>
#include <fcntl.h>
#include <selinux/label.h>
#include <selinux/selinux.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "macro.h"
#include "security-label.h"

#define CONFIG_MAX      (64u * 1024u)
#define POLICY_NAME_MAX 64u
#define TYPE_MAX        256u

struct SecurityLabels {
        char *root;
        char policy[POLICY_NAME_MAX];
        SelinuxMode mode;
        struct selabel_handle *handle;
};

static char *path_under(const char *root, const char *path) {
        char *p = NULL;
        bool slash = root[0] && root[strlen(root) - 1] == '/';
        if (asprintf(&p, "%s%s", root, slash && path[0] == '/' ? path + 1 : path) < 0)
                return NULL;
        return p;
}

/* root/etc/selinux/config: SELINUX= and SELINUXTYPE=. -ENOENT without one. */
static int read_config(const char *root, char *ret_mode, size_t mode_size, char *ret_policy) {
        _cleanup_free_ char *path = path_under(root, "/etc/selinux/config");
        if (!path)
                return -ENOMEM;
        FILE *f = fopen(path, "re");
        if (!f)
                return -errno;
        char line[512];
        size_t total = 0;
        ret_mode[0] = ret_policy[0] = 0;
        while (fgets(line, sizeof line, f)) {
                total += strlen(line);
                if (total > CONFIG_MAX)
                        break;
                line[strcspn(line, "\r\n")] = 0;
                const char *s = line + strspn(line, " \t");
                if (strncmp(s, "SELINUX=", 8) == 0)
                        snprintf(ret_mode, mode_size, "%s", s + 8);
                else if (strncmp(s, "SELINUXTYPE=", 12) == 0)
                        snprintf(ret_policy, POLICY_NAME_MAX, "%s", s + 12);
        }
        fclose(f);
        /* The name becomes a path component. */
        if (strchr(ret_policy, '/') || strcmp(ret_policy, "..") == 0 || strcmp(ret_policy, ".") == 0)
                ret_policy[0] = 0;
        return 0;
}

static SelinuxMode live_mode(const char *root) {
        _cleanup_free_ char *path = path_under(root, "/sys/fs/selinux/enforce");
        char c = 0;
        if (!path)
                return SELINUX_MODE_NOT_ENABLED;
        _cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
        if (fd < 0 || read(fd, &c, 1) != 1)
                return SELINUX_MODE_NOT_ENABLED;
        return c == '1' ? SELINUX_MODE_ENFORCING : SELINUX_MODE_PERMISSIVE;
}

int security_labels_open(const char *root, SecurityLabels **ret) {
        char mode[32], policy[POLICY_NAME_MAX];
        root = root ?: "/";
        int r = read_config(root, mode, sizeof mode, policy);
        if (r == -ENOENT || (r >= 0 && (strcmp(mode, "disabled") == 0 || !policy[0]))) {
                *ret = NULL;
                return 0;
        }
        if (r < 0)
                return r;

        _cleanup_free_ char *fc = NULL;
        if (asprintf(&fc, "%s%setc/selinux/%s/contexts/files/file_contexts", root,
                     root[strlen(root) - 1] == '/' ? "" : "/", policy) < 0)
                return -ENOMEM;
        SecurityLabels *l = calloc(1, sizeof *l);
        if (!l)
                return -ENOMEM;
        l->root = strdup(root);
        snprintf(l->policy, sizeof l->policy, "%s", policy);
        l->mode = live_mode(root);
        struct selinux_opt opts[] = { { SELABEL_OPT_PATH, fc } };
        l->handle = l->root ? selabel_open(SELABEL_CTX_FILE, opts, ELEMENTSOF(opts)) : NULL;
        if (!l->handle) {
                r = l->root ? -(errno ?: EIO) : -ENOMEM;
                security_labels_free(l);
                return r;
        }
        *ret = l;
        return 0;
}

SecurityLabels *security_labels_free(SecurityLabels *l) {
        if (!l)
                return NULL;
        if (l->handle)
                selabel_close(l->handle);
        free(l->root);
        free(l);
        return NULL;
}

SelinuxMode security_labels_mode(const SecurityLabels *l) {
        return l ? l->mode : SELINUX_MODE_NONE;
}

const char *security_labels_policy(const SecurityLabels *l) {
        return l ? l->policy : NULL;
}

/* The context the policy's file contexts give path (of mode: 0 for any), into *ret; 0 with *ret
 * NULL when there is no rule for the path or it is "<<none>>" (not to be labeled). */
static int expected_context(const SecurityLabels *l, const char *path, mode_t mode, char **ret) {
        char *expected = NULL;
        *ret = NULL;
        if (selabel_lookup(l->handle, &expected, path, mode) < 0)
                return errno == ENOENT ? 0 : -errno;
        char *want = strcmp(expected, "<<none>>") == 0 ? NULL : strdup(expected);
        bool none = !want && strcmp(expected, "<<none>>") == 0;
        freecon(expected);
        if (!want && !none)
                return -ENOMEM;
        *ret = want;
        return 0;
}

int security_labels_expected_type(const SecurityLabels *l, const char *path, char **ret_type) {
        char buf[TYPE_MAX];
        _cleanup_free_ char *want = NULL;
        if (!l)
                return -EOPNOTSUPP;
        if (!path || path[0] != '/')
                return -EINVAL;
        int r = expected_context(l, path, 0, &want);
        if (r < 0)
                return r;
        const char *t = want ? security_context_type(want, buf, sizeof buf) : NULL;
        if (!t)
                return -ENOENT;
        char *type = strdup(t);
        if (!type)
                return -ENOMEM;
        *ret_type = type;
        return 0;
}

int security_labels_check_exec(const SecurityLabels *l, const char *path, ExecLabelVerdict *ret) {
        if (!l || !path || path[0] != '/')
                return 0;
        _cleanup_free_ char *full = path_under(l->root, path);
        if (!full)
                return -ENOMEM;
        struct stat st;
        if (stat(full, &st) < 0)
                return -errno;

        _cleanup_free_ char *want = NULL;
        /* No rule for the path, or "<<none>>": nothing to compare with. */
        int r = expected_context(l, path, st.st_mode, &want);
        if (r < 0 || !want)
                return r;

        char *con = NULL;
        _cleanup_free_ char *have = NULL;
        if (getfilecon(full, &con) < 0) {
                if (errno != ENODATA && errno != ENOTSUP)
                        return -errno;
                /* Unlabeled: an issue once SELinux runs (unlabeled_t); before, the relabel at its
                 * first boot gives the file the policy's label. */
                if (l->mode == SELINUX_MODE_NOT_ENABLED)
                        return 0;
        } else {
                have = strdup(con);
                freecon(con);
                if (!have)
                        return -ENOMEM;
        }

        char a[TYPE_MAX], b[TYPE_MAX];
        const char *ta = security_context_type(have, a, sizeof a);
        const char *tb = security_context_type(want, b, sizeof b);
        if (have && ta && tb && strcmp(ta, tb) == 0)
                return 0;
        *ret = (ExecLabelVerdict){
                .actual = TAKE_PTR(have),
                .expected = TAKE_PTR(want),
                .type_differs = true,
        };
        return 1;
}
