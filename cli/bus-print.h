/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <systemd/sd-bus.h>

#include "json-writer.h"

/* The client side of org.goguard.goguard1 (dbus/org.goguard.goguard1.xml): connecting, calling
 * goguardd, reading property dictionaries into structs, and turning any D-Bus value into JSON. */

#define GOGUARD_BUS_NAME      "org.goguard.goguard1"
#define GOGUARD_MANAGER_PATH  "/org/goguard/goguard1"
#define GOGUARD_MANAGER_IFACE "org.goguard.goguard1.Manager"
#define GOGUARD_UNIT_IFACE    "org.goguard.goguard1.Unit"
#define GOGUARD_ERROR_PREFIX  "org.goguard.goguard1.Error."
#define GOGUARD_SERVICE_UNIT  "goguardd.service"

/* Connects to the system bus. On failure says on stderr which bus could not be reached and
 * returns -errno. */
int bus_connect_system(sd_bus **ret);

/* Calls member on goguardd. Without auto_start the call never starts goguardd by D-Bus
 * activation, so a goguardd that is not running stays so (and the call fails with
 * NameHasNoOwner or ServiceUnknown). types/... are the arguments, as for sd_bus_message_append();
 * types may be NULL. Returns 0, or -errno with error set. */
int bus_call_goguard(sd_bus *bus, const char *path, const char *interface, const char *member,
                     bool auto_start, sd_bus_error *error, sd_bus_message **ret_reply, const char *types,
                     ...);

/* Whether a call failed because nobody owns org.goguard.goguard1 (and, with activation, it could
 * not be started). */
bool bus_error_is_not_running(const sd_bus_error *error);
/* Whether the error is org.goguard.goguard1.Error.<name>. */
bool bus_error_is_goguard(const sd_bus_error *error, const char *name);

/* ---- property dictionaries into structs ----
 * Strings point into the reply message, which must outlive the struct. Properties that are
 * missing keep their zero value, properties of another type than expected are skipped: an older
 * or newer goguardd never breaks the client. */

typedef enum BusFieldType {
        BUS_FIELD_STRING,     /* s → const char * */
        BUS_FIELD_U32,        /* u → uint32_t */
        BUS_FIELD_U64,        /* t → uint64_t */
        BUS_FIELD_BOOL,       /* b → bool */
        BUS_FIELD_STRV,       /* as → BusEntries, .first */
        BUS_FIELD_PAIR,       /* (ss) → BusEntry, .first .second */
        BUS_FIELD_PAIRS,      /* a(ss) → BusEntries, .first .second */
        BUS_FIELD_TRIPLES,    /* a(ssb) → BusEntries, .first .second .flag */
        BUS_FIELD_FLAGGED,    /* a(sb) → BusEntries, .first .flag */
        BUS_FIELD_DICT_STR_U, /* a{su} → BusEntries, .first .number */
} BusFieldType;

typedef struct BusEntry {
        const char *first;
        const char *second;
        bool flag;
        uint32_t number;
} BusEntry;

typedef struct BusEntries {
        BusEntry *entries;
        size_t n;
} BusEntries;

typedef struct BusField {
        const char *name;
        BusFieldType type;
        size_t offset;
} BusField;

/* m is positioned at an a{sv}; reads it whole. Returns 0 or -errno (-E2BIG over 65536 entries in
 * one array). */
int bus_read_properties(sd_bus_message *m, const BusField *map, size_t n_map, void *base);
/* Frees the BusEntries arrays a bus_read_properties() call allocated in base. */
void bus_free_properties(const BusField *map, size_t n_map, void *base);

/* ---- D-Bus values as JSON ----
 * Basic types map to JSON scalars (t: UINT64_MAX, systemd's "infinity", becomes null; h: null;
 * d: a number, null when not finite), arrays to arrays, dictionaries to objects (non-string keys
 * written as strings), variants to their content, and structs to arrays, or to objects when
 * member names are given for them. */

/* Member names for the structs in one property's value: "MainModule" → { "path", "version" }. */
typedef struct BusJsonMembers {
        const char *property;
        const char *const *members; /* NULL-terminated */
} BusJsonMembers;

/* Writes the complete value at the read position of m. members name the members of the first
 * struct level reached through arrays and variants, when their number matches. */
int bus_value_to_json(sd_bus_message *m, JsonWriter *w, const char *const *members);
/* m is positioned at an a{sv}: writes one object, property name → value. */
int bus_properties_to_json(sd_bus_message *m, JsonWriter *w, const BusJsonMembers *members,
                           size_t n_members);
