/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdint.h>
#include <string.h>

#include "bus-map.h"
#include "strv.h"
#include "unit-settings.h"

#define ENV_FILES_MAX  1024u
/* Bind mounts kept per list: a unit with more is not one that needs them all read. */
#define BIND_PATHS_MAX 256u

static bool streq_ptr(const char *a, const char *b) {
        return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static int set_string(char **slot, const char *v) {
        if (streq_ptr(*slot, v))
                return 0;
        char *c = strdup(v);
        if (!c)
                return -ENOMEM;
        free(*slot);
        *slot = c;
        return 1;
}

/* The first command's path, and its argv (the environment family: what the go tool is asked to
 * do). Both into UnitSettings. */
static int read_exec_path(sd_bus_message *m, UnitSettings *s) {
        const char *path = NULL;
        _cleanup_(strv_freep) char **argv = NULL;
        int r = sd_bus_message_enter_container(m, 'a', "(sasbttttuii)");
        if (r < 0)
                return r;
        r = sd_bus_message_enter_container(m, 'r', "sasbttttuii");
        if (r < 0)
                return r;
        if (r > 0) {
                r = sd_bus_message_read(m, "s", &path);
                if (r >= 0)
                        r = sd_bus_message_read_strv(m, &argv);
                if (r >= 0)
                        r = sd_bus_message_skip(m, "bttttuii");
                if (r < 0)
                        return r;
                r = sd_bus_message_exit_container(m);
                if (r < 0)
                        return r;
                while ((r = sd_bus_message_skip(m, "(sasbttttuii)")) > 0)
                        ;
                if (r < 0)
                        return r;
        }
        /* Read the path before leaving: the string lives in the message, which stays alive. */
        int changed = set_string(&s->exec_start_path, path ?: "");
        if (changed < 0)
                return changed;
        if (!strv_equal(argv, s->exec_start_argv)) {
                strv_free(s->exec_start_argv);
                s->exec_start_argv = TAKE_PTR(argv);
                changed = 1;
        }
        r = sd_bus_message_exit_container(m);
        return r < 0 ? r : changed;
}

static int read_env_files(sd_bus_message *m, UnitSettings *s) {
        _cleanup_free_ UnitEnvFile *files = NULL;
        size_t n = 0;
        const char *path;
        int optional, r;

        r = sd_bus_message_enter_container(m, 'a', "(sb)");
        if (r < 0)
                return r;
        while ((r = sd_bus_message_read(m, "(sb)", &path, &optional)) > 0) {
                if (n >= ENV_FILES_MAX)
                        continue;
                UnitEnvFile *p = reallocarray(files, n + 1, sizeof *files);
                if (!p)
                        goto oom;
                files = p;
                files[n].path = strdup(path);
                if (!files[n].path)
                        goto oom;
                files[n++].optional = optional;
        }
        if (r < 0)
                goto fail;
        r = sd_bus_message_exit_container(m);
        if (r < 0)
                goto fail;

        bool same = n == s->n_environment_files;
        for (size_t i = 0; same && i < n; i++)
                same = strcmp(files[i].path, s->environment_files[i].path) == 0 &&
                       files[i].optional == s->environment_files[i].optional;
        if (same) {
                for (size_t i = 0; i < n; i++)
                        free(files[i].path);
                return 0;
        }
        unit_settings_set_env_files(s, TAKE_PTR(files), n);
        return 1;
oom:
        r = -ENOMEM;
fail:
        for (size_t i = 0; i < n; i++)
                free(files[i].path);
        return r;
}

/* BindPaths=, BindReadOnlyPaths=: a(ssbt) of source, destination, ignore-missing, flags. */
/* The end of an array read into *v (r: the last read's result): *slot takes it when it differs.
 * Returns 1 when it changed, 0 when not, or -errno. */
static int strv_container_done(sd_bus_message *m, int r, char ***v, char ***slot) {
        if (r < 0)
                return r;
        r = sd_bus_message_exit_container(m);
        if (r < 0)
                return r;
        if (strv_equal(*v, *slot))
                return 0;
        strv_free(*slot);
        *slot = TAKE_PTR(*v);
        return 1;
}

static int read_bind_paths(sd_bus_message *m, char ***slot) {
        _cleanup_(strv_freep) char **v = NULL;
        const char *source, *dest;
        int ignore, r;
        uint64_t flags;
        size_t n = 0;

        r = sd_bus_message_enter_container(m, 'a', "(ssbt)");
        if (r < 0)
                return r;
        while ((r = sd_bus_message_read(m, "(ssbt)", &source, &dest, &ignore, &flags)) > 0) {
                if (n++ >= BIND_PATHS_MAX)
                        continue;
                _cleanup_free_ char *s = NULL;
                if (asprintf(&s, "%s%s", ignore ? "-" : "", source) < 0)
                        return -ENOMEM;
                if (strv_consume(&v, TAKE_PTR(s)) < 0 || strv_extend(&v, dest) < 0)
                        return -ENOMEM;
        }
        return strv_container_done(m, r, &v, slot);
}

/* TemporaryFileSystem=: a(ss) of path and mount options. */
static int read_path_options(sd_bus_message *m, char ***slot) {
        _cleanup_(strv_freep) char **v = NULL;
        const char *path, *options;
        size_t n = 0;
        int r = sd_bus_message_enter_container(m, 'a', "(ss)");
        if (r < 0)
                return r;
        while ((r = sd_bus_message_read(m, "(ss)", &path, &options)) > 0) {
                if (n++ >= BIND_PATHS_MAX)
                        continue;
                _cleanup_free_ char *s = NULL;
                if (asprintf(&s, "%s%s%s", path, *options ? ":" : "", options) < 0)
                        return -ENOMEM;
                if (strv_consume(&v, TAKE_PTR(s)) < 0)
                        return -ENOMEM;
        }
        return strv_container_done(m, r, &v, slot);
}

static int read_one(sd_bus_message *m, const BusPropMap *p, void *base) {
        void *slot = (uint8_t *) base + p->offset;
        int r;

        switch (p->type) {
        case BUS_MAP_STRING: {
                const char *v;
                r = sd_bus_message_read(m, "s", &v);
                return r < 0 ? r : set_string(slot, v);
        }
        case BUS_MAP_U32: {
                uint32_t v;
                r = sd_bus_message_read(m, "u", &v);
                if (r < 0)
                        return r;
                if (*(uint32_t *) slot == v)
                        return 0;
                *(uint32_t *) slot = v;
                return 1;
        }
        case BUS_MAP_I32: {
                int32_t v;
                r = sd_bus_message_read(m, "i", &v);
                if (r < 0)
                        return r;
                if (*(int32_t *) slot == v)
                        return 0;
                *(int32_t *) slot = v;
                return 1;
        }
        case BUS_MAP_U64: {
                uint64_t v;
                r = sd_bus_message_read(m, "t", &v);
                if (r < 0)
                        return r;
                if (*(uint64_t *) slot == v)
                        return 0;
                *(uint64_t *) slot = v;
                return 1;
        }
        case BUS_MAP_BOOL: {
                int v;
                r = sd_bus_message_read(m, "b", &v);
                if (r < 0)
                        return r;
                if (*(bool *) slot == !!v)
                        return 0;
                *(bool *) slot = v;
                return 1;
        }
        case BUS_MAP_STRV: {
                char **v = NULL;
                r = sd_bus_message_read_strv(m, &v);
                if (r < 0)
                        return r;
                if (strv_equal(v, *(char ***) slot)) {
                        strv_free(v);
                        return 0;
                }
                strv_free(*(char ***) slot);
                *(char ***) slot = v;
                return 1;
        }
        case BUS_MAP_EXEC_PATH: return read_exec_path(m, base);
        case BUS_MAP_ENV_FILES: return read_env_files(m, base);
        case BUS_MAP_BIND_PATHS: return read_bind_paths(m, slot);
        case BUS_MAP_PATH_OPTIONS: return read_path_options(m, slot);
        case BUS_MAP_IGNORE_STRING: {
                /* SELinuxContext=, AppArmorProfile=: the "-" prefix (ignore errors) is dropped. */
                int ignore;
                const char *v;
                r = sd_bus_message_read(m, "(bs)", &ignore, &v);
                if (r < 0)
                        return r;
                if (!v[0]) {
                        if (!*(char **) slot)
                                return 0;
                        *(char **) slot = mfree(*(char **) slot);
                        return 1;
                }
                return set_string(slot, v);
        }
        case BUS_MAP_ID128: {
                const void *data;
                size_t n;
                char hex[33] = "";
                r = sd_bus_message_read_array(m, 'y', &data, &n);
                if (r < 0)
                        return r;
                if (n == 16)
                        for (size_t i = 0; i < 16; i++)
                                snprintf(hex + 2 * i, 3, "%02x", ((const uint8_t *) data)[i]);
                if (strcmp(slot, hex) == 0)
                        return 0;
                memcpy(slot, hex, sizeof hex);
                return 1;
        }
        }
        return -EINVAL;
}

static const char *signature_of(BusMapType t) {
        switch (t) {
        case BUS_MAP_STRING: return "s";
        case BUS_MAP_U32: return "u";
        case BUS_MAP_I32: return "i";
        case BUS_MAP_U64: return "t";
        case BUS_MAP_BOOL: return "b";
        case BUS_MAP_STRV: return "as";
        case BUS_MAP_EXEC_PATH: return "a(sasbttttuii)";
        case BUS_MAP_ENV_FILES: return "a(sb)";
        case BUS_MAP_ID128: return "ay";
        case BUS_MAP_BIND_PATHS: return "a(ssbt)";
        case BUS_MAP_IGNORE_STRING: return "(bs)";
        case BUS_MAP_PATH_OPTIONS: return "a(ss)";
        }
        return NULL;
}

int bus_map_properties(sd_bus_message *m, const BusPropMap *map, size_t n_map, void *base) {
        unsigned changed = 0;
        int r;

        r = sd_bus_message_enter_container(m, 'a', "{sv}");
        if (r < 0)
                return r;
        while ((r = sd_bus_message_enter_container(m, 'e', "sv")) > 0) {
                const char *name;
                const BusPropMap *p = NULL;

                r = sd_bus_message_read(m, "s", &name);
                if (r < 0)
                        return r;
                for (size_t i = 0; i < n_map; i++)
                        if (strcmp(map[i].name, name) == 0) {
                                p = &map[i];
                                break;
                        }
                r = p ? bus_map_variant(m, p, base) : -EMEDIUMTYPE;
                if (r >= 0)
                        changed |= (unsigned) r;
                else if (r == -EMEDIUMTYPE) /* unknown, or of a type this goguardd does not read */
                        r = sd_bus_message_skip(m, "v");
                if (r < 0)
                        return r;
                r = sd_bus_message_exit_container(m);
                if (r < 0)
                        return r;
        }
        if (r < 0)
                return r;
        r = sd_bus_message_exit_container(m);
        if (r < 0)
                return r;
        return (int) changed;
}

int bus_map_variant(sd_bus_message *m, const BusPropMap *p, void *base) {
        const char *contents;
        int r = sd_bus_message_peek_type(m, NULL, &contents);
        if (r < 0)
                return r;
        if (r == 0 || strcmp(contents, signature_of(p->type)) != 0)
                return -EMEDIUMTYPE;
        r = sd_bus_message_enter_container(m, 'v', contents);
        if (r < 0)
                return r;
        r = read_one(m, p, base);
        if (r < 0)
                return r;
        int changed = r > 0 ? (int) p->group : 0;
        r = sd_bus_message_exit_container(m);
        return r < 0 ? r : changed;
}
