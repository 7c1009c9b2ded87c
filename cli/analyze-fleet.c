/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* goguardctl analyze over several hosts: which files (and which entries of them) are whose, and
 * the findings goguardd itself wrote to those hosts' journals. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze.h"
#include "finding-merge.h"
#include "journal-record.h"
#include "parse-util.h"
#include "strv.h"

void journal_files_done(JournalFiles *f) {
        for (size_t i = 0; i < f->n; i++)
                free(f->paths[i]);
        free(f->paths);
        *f = (JournalFiles){};
}

int journal_files_add(JournalFiles *f, char *path) {
        if (f->n >= FILES_MAX) {
                free(path);
                return -E2BIG;
        }
        char **p = reallocarray(f->paths, f->n + 2, sizeof *p);
        if (!p) {
                free(path);
                return -ENOMEM;
        }
        f->paths = p;
        f->paths[f->n++] = path;
        f->paths[f->n] = NULL;
        return 0;
}

void host_groups_done(HostGroups *h) {
        for (size_t i = 0; i < h->n; i++) {
                free(h->groups[i].name);
                journal_files_done(&h->groups[i].files);
        }
        free(h->groups);
        *h = (HostGroups){};
}

/* journal-remote names its files after the sender: remote-HOST.journal, rotated into
 * remote-HOST@SEQNUM-....journal(~). HOST is the sender's address or host name. */
static char *remote_file_host(const char *path) {
        const char *base = strrchr(path, '/');
        base = base ? base + 1 : path;
        if (strncmp(base, "remote-", 7) != 0)
                return NULL;
        base += 7;
        size_t n = strcspn(base, "@");
        const char *dot = strstr(base, ".journal");
        if (dot && (size_t) (dot - base) < n)
                n = dot - base;
        return n > 0 ? strndup(base, n) : NULL;
}

/* The values of field in the file's entries, at most max + 1 of them (more: "many"). */
static int unique_values(sd_journal *j, const char *field, size_t max, char ***ret) {
        _cleanup_(strv_freep) char **l = NULL;
        const void *data;
        size_t len, n = 0, flen = strlen(field);
        int r = sd_journal_query_unique(j, field);
        if (r < 0)
                return r;
        SD_JOURNAL_FOREACH_UNIQUE(j, data, len) {
                if (len <= flen + 1 || len - flen - 1 > 255)
                        continue; /* no host name is longer than 64 bytes */
                char *v = strndup((const char *) data + flen + 1, len - flen - 1);
                if (!v || memchr(v, 0, len - flen - 1))
                        r = v ? (free(v), 0) : -ENOMEM;
                else
                        r = strv_consume(&l, v);
                if (r < 0)
                        return r;
                if (++n > max)
                        break;
        }
        *ret = l ? TAKE_PTR(l) : calloc(1, sizeof(char *));
        return *ret ? 0 : -ENOMEM;
}

static HostGroup *group_get(HostGroups *h, const char *name, bool by_hostname) {
        for (size_t i = 0; i < h->n; i++)
                if (h->groups[i].by_hostname == by_hostname &&
                    ((!name && !h->groups[i].name) ||
                     (name && h->groups[i].name && strcmp(name, h->groups[i].name) == 0)))
                        return &h->groups[i];
        return NULL;
}

static HostGroup *group_add(HostGroups *h, const char *name, bool by_hostname) {
        HostGroup *g = group_get(h, name, by_hostname);
        if (g)
                return g;
        if (h->n >= HOSTS_MAX) {
                errno = E2BIG;
                return NULL;
        }
        g = reallocarray(h->groups, h->n + 1, sizeof *g);
        if (!g)
                return NULL;
        h->groups = g;
        g = &h->groups[h->n];
        *g = (HostGroup){ .by_hostname = by_hostname };
        if (name && !(g->name = strdup(name)))
                return NULL;
        h->n++;
        return g;
}

static int group_add_file(HostGroup *g, const char *path, uint64_t expected) {
        for (size_t i = 0; i < g->files.n; i++)
                if (strcmp(g->files.paths[i], path) == 0)
                        return 0;
        char *p = strdup(path);
        if (!p)
                return -ENOMEM;
        g->expected += expected;
        return journal_files_add(&g->files, p);
}

static int compare_groups(const void *a, const void *b) {
        const HostGroup *x = a, *y = b;
        if (!x->name || !y->name)
                return !x->name - !y->name; /* the nameless last */
        return strcmp(x->name, y->name);
}

int host_groups_build(char *const *paths, const uint64_t *expected, size_t n, HostGroups *ret) {
        _cleanup_(host_groups_done) HostGroups h = {};
        /* How many host names each file holds: a file of one host is read whole, a file of
         * several through a match per host. */
        _cleanup_free_ size_t *n_names = calloc(n + 1, sizeof *n_names);
        if (!n_names)
                return -ENOMEM;

        for (size_t i = 0; i < n; i++) {
                const char *one[] = { paths[i], NULL };
                _cleanup_(strv_freep) char **names = NULL;
                sd_journal *j = NULL;
                int r = sd_journal_open_files(&j, one, 0);
                if (r < 0)
                        return r;
                r = unique_values(j, "_HOSTNAME", HOSTS_MAX, &names);
                if (r >= 0 && !names[0]) {
                        /* No host names: journal-remote's file name, else the machine ID. */
                        _cleanup_free_ char *remote = remote_file_host(paths[i]);
                        _cleanup_(strv_freep) char **ids = NULL;
                        const char *label = remote;
                        if (!label && unique_values(j, "_MACHINE_ID", 1, &ids) >= 0 && strv_length(ids) == 1)
                                label = ids[0];
                        HostGroup *g = group_add(&h, label, false);
                        r = g ? group_add_file(g, paths[i], expected[i]) : -errno;
                }
                sd_journal_close(j);
                if (r < 0)
                        return r;
                n_names[i] = strv_length(names);
                if (n_names[i] > HOSTS_MAX)
                        return -E2BIG;
                for (size_t k = 0; names[k]; k++) {
                        HostGroup *g = group_add(&h, names[k], true);
                        r = g ? group_add_file(g, paths[i], expected[i]) : -errno;
                        if (r < 0)
                                return r;
                }
                _cleanup_free_ char *remote = remote_file_host(paths[i]);
                if (remote)
                        h.remote = true;
        }
        /* A group needs its match only if one of its files holds other hosts too. */
        for (size_t k = 0; k < h.n; k++) {
                HostGroup *g = &h.groups[k];
                if (!g->by_hostname)
                        continue;
                for (size_t f = 0; f < g->files.n; f++)
                        for (size_t i = 0; i < n; i++)
                                if (n_names[i] > 1 && strcmp(paths[i], g->files.paths[f]) == 0)
                                        g->match = true;
        }
        qsort(h.groups, h.n, sizeof *h.groups, compare_groups);
        *ret = h;
        h = (HostGroups){};
        return 0;
}

/* ---- goguardd's own entries ---- */

/* A field's value as a new string; NULL when absent (or on ENOMEM: the entry is then read as
 * one without it). */
static char *field_dup(sd_journal *j, const char *name) {
        const void *data;
        size_t len, n = strlen(name);
        if (sd_journal_get_data(j, name, &data, &len) < 0 || len <= n)
                return NULL;
        return strndup((const char *) data + n + 1, len - n - 1);
}

int analyze_merge_logged(sd_journal *j, const char *host, FindingStore *s) {
        char buf[512];
        int r, added = 0;

        /* Each class's MESSAGE_ID (ORed), and the host: a few entries, found by the journal's
         * own indexes rather than by reading every entry again. */
        sd_journal_flush_matches(j);
        for (FindingClass c = 0; c < _FINDING_CLASS_MAX; c++) {
                snprintf(buf, sizeof buf, "MESSAGE_ID=%s", finding_class_info(c)->message_id);
                r = sd_journal_add_match(j, buf, 0);
                if (r < 0)
                        goto finish;
        }
        if (host) {
                snprintf(buf, sizeof buf, "_HOSTNAME=%s", host);
                r = sd_journal_add_match(j, buf, 0);
                if (r < 0)
                        goto finish;
        }
        r = sd_journal_seek_head(j);
        while (r >= 0 && (r = sd_journal_next(j)) > 0) {
                _cleanup_free_ char *id = field_dup(j, "GOGUARD_FINDING_ID");
                if (!id)
                        continue; /* the same MESSAGE_ID from something else */
                _cleanup_free_ char *cls = field_dup(j, "GOGUARD_CLASS"),
                                    *sev = field_dup(j, "GOGUARD_SEVERITY"),
                                    *unit = field_dup(j, "GOGUARD_UNIT"),
                                    *count = field_dup(j, "GOGUARD_COUNT"),
                                    *key = field_dup(j, "GOGUARD_OCCURRENCE_KEY"),
                                    *cursor = field_dup(j, "GOGUARD_EVIDENCE_CURSOR"),
                                    *dropin = field_dup(j, "GOGUARD_DROPIN"),
                                    *message = field_dup(j, "MESSAGE"),
                                    *inv = field_dup(j, "OBJECT_SYSTEMD_INVOCATION_ID");
                LoggedFinding l = {
                        .id = id,
                        .class = cls,
                        .severity = sev,
                        .unit = unit,
                        .occurrence_key = key,
                        .evidence_cursor = cursor,
                        .dropin = dropin,
                        .summary = message,
                        .invocation_id = inv,
                };
                if (!count || parse_u64(count, &l.count) < 0)
                        l.count = 1;
                if (sd_journal_get_realtime_usec(j, &l.realtime) < 0)
                        continue;
                r = finding_store_merge_logged(s, &l, NULL);
                if (r >= 0 && finding_store_trim(s, false) < 0)
                        r = -ENOMEM;
                if (r == -ENOMEM)
                        goto finish;
                if (r > 0)
                        added++;
                r = 0;
        }
        if (r < 0 && r != -ENOMEM)
                r = 0; /* what cannot be read of these few entries is not worth failing for */
finish:
        sd_journal_flush_matches(j);
        return r < 0 ? r : added;
}

int analyze_host_evidence(sd_journal *j, const char *host, FindingStore *s) {
        _cleanup_(strv_freep) char **ids = NULL;
        size_t i = 0;
        void *v;
        /* The journal's unique values ignore its matches: a file of several hosts has several
         * machine IDs, and then none is named. */
        int r = unique_values(j, "_MACHINE_ID", 1, &ids);
        if (r == -ENOMEM)
                return r;
        const char *machine_id = r >= 0 && strv_length(ids) == 1 ? ids[0] : NULL;
        while (hashmap_iterate(s->by_id, &i, &v, NULL)) {
                Finding *f = v;
                if (finding_set_string(f, "hostname", host) == -ENOMEM ||
                    (machine_id && finding_set_string(f, "machine_id", machine_id) == -ENOMEM))
                        return -ENOMEM;
        }
        return 0;
}
