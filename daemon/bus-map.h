/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stddef.h>
#include <systemd/sd-bus.h>

/* Table-driven reading of a{sv} property dictionaries from the service manager into a struct.
 * Unknown properties and properties of unexpected type are skipped, so a newer or older systemd
 * never breaks the watcher. */

typedef enum BusMapType {
        BUS_MAP_STRING,        /* s → char* */
        BUS_MAP_U32,           /* u → uint32_t */
        BUS_MAP_I32,           /* i → int32_t */
        BUS_MAP_U64,           /* t → uint64_t */
        BUS_MAP_BOOL,          /* b → bool */
        BUS_MAP_STRV,          /* as → char** */
        BUS_MAP_EXEC_PATH,     /* a(sasbttttuii) → the first command's path and argv (UnitSettings) */
        BUS_MAP_ENV_FILES,     /* a(sb) → UnitEnvFile array (offset of environment_files) */
        BUS_MAP_ID128,         /* ay of 16 bytes → char[33] hex, "" if empty */
        BUS_MAP_BIND_PATHS,    /* a(ssbt) → char**: source, destination, source, ... ("-" before a
                                * source whose absence is ignored) */
        BUS_MAP_IGNORE_STRING, /* (bs) of ignore-errors and value → char*: the value, NULL when "" */
        BUS_MAP_PATH_OPTIONS,  /* a(ss) of path and options → char**: "PATH[:OPTIONS]" each */
} BusMapType;

typedef struct BusPropMap {
        const char *name;
        BusMapType type;
        size_t offset;
        unsigned group; /* returned ORed when this property's value changed */
} BusPropMap;

/* m is positioned at an a{sv}. Returns the ORed groups of changed properties, or -errno. */
int bus_map_properties(sd_bus_message *m, const BusPropMap *map, size_t n_map, void *base);
/* m is positioned at the variant of one property (a Get reply): read as p says. Returns p's group
 * when the value changed, 0 when not, -EMEDIUMTYPE for a value of another type (not read), or
 * -errno. */
int bus_map_variant(sd_bus_message *m, const BusPropMap *p, void *base);
