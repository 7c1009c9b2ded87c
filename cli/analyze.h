/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <systemd/sd-journal.h>

#include "finding.h"

/* goguardctl analyze over the journals of several hosts (analyze-fleet.c): a directory of
 * systemd-journal-remote's remote-HOST.journal files, or of journals copied from hosts. Each
 * host's findings come from its own entries only. */

#define FILES_MAX 1024u
#define HOSTS_MAX 256u

typedef struct JournalFiles {
        char **paths; /* NULL-terminated */
        size_t n;
} JournalFiles;

void journal_files_done(JournalFiles *f);
/* Takes path. -E2BIG beyond FILES_MAX. */
int journal_files_add(JournalFiles *f, char *path);

/* The entries of one host, and the files that hold them. */
typedef struct HostGroup {
        char *name; /* its _HOSTNAME, else what the file's name or _MACHINE_ID say; NULL: none */
        JournalFiles files;
        bool by_hostname; /* name is the entries' _HOSTNAME */
        /* Read through a _HOSTNAME= match: one of the files holds other hosts' entries too. */
        bool match;
        uint64_t expected; /* the entries the files' headers promise (not used with match) */
} HostGroup;

typedef struct HostGroups {
        HostGroup *groups;
        size_t n;
        /* Some file is journal-remote's (remote-*.journal): the output names hosts even for one. */
        bool remote;
} HostGroups;

void host_groups_done(HostGroups *h);
/* Groups the files by the hosts their entries name. expected[i]: the header count of paths[i].
 * -E2BIG beyond HOSTS_MAX hosts; -errno when a file cannot be opened. */
int host_groups_build(char *const *paths, const uint64_t *expected, size_t n, HostGroups *ret);

/* Reads goguardd's own finding entries (GOGUARD_*) of host (NULL: of every host) from j, and
 * merges them into s (finding-merge.h). Leaves j's matches flushed. Returns how many were added
 * as only goguardd saw them, or -ENOMEM; entries that are not findings are skipped. */
int analyze_merge_logged(sd_journal *j, const char *host, FindingStore *s);
