/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "exe-cache.h"
#include "hashmap.h"

struct ExeCache {
        Hashmap *entries; /* key → ExeEntry */
};

int exe_cache_new(ExeCache **ret) {
        _cleanup_free_ ExeCache *c = calloc(1, sizeof *c);
        if (!c)
                return -ENOMEM;
        int r = hashmap_new(&c->entries);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(c);
        return 0;
}

ExeEntry *exe_entry_ref(ExeEntry *e) {
        if (e)
                e->n_ref++;
        return e;
}

ExeEntry *exe_entry_unref(ExeEntry *e) {
        if (!e || --e->n_ref > 0)
                return NULL;
        go_exe_free(e->exe);
        return mfree(e);
}

ExeCache *exe_cache_free(ExeCache *c) {
        if (!c)
                return NULL;
        size_t i = 0;
        void *v;
        while (hashmap_iterate(c->entries, &i, &v, NULL))
                exe_entry_unref(v);
        hashmap_free(c->entries);
        return mfree(c);
}

size_t exe_cache_size(const ExeCache *c) {
        return hashmap_size(c->entries);
}

/* Drops entries nobody but the cache uses until there is room for one more. */
static void make_room(ExeCache *c) {
        while (hashmap_size(c->entries) >= EXE_CACHE_MAX) {
                size_t i = 0;
                void *v;
                ExeEntry *victim = NULL;
                while (hashmap_iterate(c->entries, &i, &v, NULL))
                        if (((ExeEntry *) v)->n_ref == 1) {
                                victim = v;
                                break;
                        }
                if (!victim)
                        return; /* everything is in use: grow past the cap rather than lose data */
                hashmap_remove(c->entries, victim->key);
                exe_entry_unref(victim);
        }
}

int exe_cache_key_fd(int fd, char key[static 96]) {
        struct stat st;
        if (fstat(fd, &st) < 0)
                return -errno;
        if (!S_ISREG(st.st_mode))
                return -EBADFD;
        snprintf(key, 96, "%llx:%llx:%llx:%lld.%09ld", (unsigned long long) st.st_dev,
                 (unsigned long long) st.st_ino, (unsigned long long) st.st_size,
                 (long long) st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
        return 0;
}

ExeEntry *exe_cache_find(ExeCache *c, const char *key) {
        return exe_entry_ref(hashmap_get(c->entries, key));
}

void exe_cache_forget(ExeCache *c, const char *key) {
        ExeEntry *e = hashmap_remove(c->entries, key);
        exe_entry_unref(e);
}

int exe_cache_insert(ExeCache *c, const char *key, GoExe *exe, int error, ExeEntry **ret) {
        exe_cache_forget(c, key);
        ExeEntry *e = calloc(1, sizeof *e);
        if (!e) {
                go_exe_free(exe);
                return -ENOMEM;
        }
        e->n_ref = 1;
        snprintf(e->key, sizeof e->key, "%s", key);
        e->exe = exe;
        /* Negative results are cached too: a non-ELF ExecStart (a shell script) stays one. */
        e->error = error;
        make_room(c);
        int r = hashmap_put(c->entries, e->key, e);
        if (r < 0) {
                exe_entry_unref(e);
                return r;
        }
        if (ret)
                *ret = exe_entry_ref(e);
        return 0;
}
