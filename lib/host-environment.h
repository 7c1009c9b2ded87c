/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "macro.h"
#include "unit-view.h"

/* What a root file system offers a Go program's environment (the environment family): the TLS
 * roots crypto/x509 finds, the zone database package time finds, how names of users are looked
 * up (nsswitch.conf) and the users the pure Go os/user sees (/etc/passwd). Read under a root
 * path: the host's ("/", or goguardctl check --root=DIR) once into HostFacts, a unit's
 * RootDirectory= when it has one. */

/* Caps: a passwd file larger than this is read in part (users_truncated). */
#define HOST_USERS_MAX         65536u
#define HOST_PASSWD_SIZE_MAX   (16u * 1024u * 1024u)
/* /etc/group: as many groups, at most this many members named per group. */
#define HOST_GROUP_MEMBERS_MAX 4096u

typedef struct HostUser {
        char *name;
        uint32_t uid, gid;
        char *home;
} HostUser;

typedef struct HostGroup {
        char *name;
        uint32_t gid;
        char **members; /* the users it lists, beyond those whose primary group it is */
} HostGroup;

typedef struct HostEnvironment {
        char *root;
        /* The first of Go's CA bundle files that is readable there, or the first of its
         * certificate directories holding a file; NULL when none (src/crypto/x509/root_linux.go). */
        char *tls_roots;
        /* The first of Go's zone database directories that exists there, or NULL. */
        char *zoneinfo_dir;
        /* The sources of the passwd line of /etc/nsswitch.conf ("files systemd"); NULL without
         * one (glibc then uses "files"). */
        char *nss_passwd;
        HostUser *users; /* /etc/passwd, as the pure Go os/user reads it */
        size_t n_users;
        bool users_read, users_truncated;
        HostGroup *groups; /* /etc/group: whom a file's group bits admit */
        size_t n_groups;
        bool groups_read, groups_truncated;
        /* The unit's view over root (TemporaryFileSystem=, binds from host_root), or none; its
         * lists are not owned. */
        UnitView view;
        char *host_root;
} HostEnvironment;

/* Reads everything above under root ("/" when NULL). Returns 0 or -ENOMEM: what cannot be
 * read is simply absent. */
int host_environment_read(const char *root, HostEnvironment **ret);
/* The same as a unit sees root: view's TemporaryFileSystem= hides what is under it, its binds
 * come from host_root ("/" when NULL). view's lists must outlive *ret. */
int host_environment_read_view(const char *root, const char *host_root, const UnitView *view,
                               HostEnvironment **ret);
/* /etc/passwd's and /etc/group's lines appended to e (pure, for the tests and the fuzz target);
 * malformed lines are skipped as glibc skips them. 0 or -ENOMEM. */
int host_passwd_parse(HostEnvironment *e, const char *text);
int host_group_parse(HostEnvironment *e, const char *text);
HostEnvironment *host_environment_free(HostEnvironment *e);
DEFINE_TRIVIAL_CLEANUP_FUNC(HostEnvironment *, host_environment_free);

/* The user by name or by decimal uid, or NULL. */
const HostUser *host_environment_user(const HostEnvironment *e, const char *name_or_uid);
/* The group by name or by decimal gid, or NULL. */
const HostGroup *host_environment_group(const HostEnvironment *e, const char *name_or_gid);
/* Whether path (absolute, as the unit sees it) is under root a readable regular file, or a
 * directory holding at least one entry when dir is true. */
bool host_environment_has(const HostEnvironment *e, const char *path, bool dir);
/* The TLS roots crypto/x509 finds with these SSL_CERT_FILE / SSL_CERT_DIR values (NULL: unset),
 * as an allocated path, or NULL when there are none (or -ENOMEM). */
int host_environment_tls_roots(const HostEnvironment *e, const char *cert_file, const char *cert_dirs,
                               char **ret);
/* Whether the zone name is in the zone database there (ZONEINFO, a directory, first when set). */
bool host_environment_has_zone(const HostEnvironment *e, const char *zone, const char *zoneinfo);

/* /proc/sys/kernel/cap_last_cap under proc_root: the highest capability this kernel knows. */
int host_read_cap_last_cap(const char *proc_root, uint64_t *ret);
