/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "bus-print.h"
#include "macro.h"

#define BUS_ENTRIES_MAX    65536u
#define BUS_JSON_DEPTH_MAX (JSON_DEPTH_MAX - 4)

int bus_connect_system(sd_bus **ret) {
        sd_bus *bus = NULL;
        int r = sd_bus_open_system(&bus);
        if (r < 0) {
                const char *address = getenv("DBUS_SYSTEM_BUS_ADDRESS");
                fprintf(stderr,
                        "Failed to connect to the system bus (%s): %s\n"
                        "goguardd serves its data on the D-Bus system bus; is D-Bus running on this "
                        "host?\n",
                        address ?: "unix:path=/run/dbus/system_bus_socket", strerror(-r));
                return r;
        }
        *ret = bus;
        return 0;
}

int bus_call_goguard(sd_bus *bus, const char *path, const char *interface, const char *member,
                     bool auto_start, sd_bus_error *error, sd_bus_message **ret_reply, const char *types,
                     ...) {
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL;
        int r;

        r = sd_bus_message_new_method_call(bus, &m, GOGUARD_BUS_NAME, path, interface, member);
        if (r >= 0)
                r = sd_bus_message_set_auto_start(m, auto_start);
        if (r >= 0 && types) {
                va_list ap;
                va_start(ap, types);
                r = sd_bus_message_appendv(m, types, ap);
                va_end(ap);
        }
        if (r < 0)
                return sd_bus_error_set_errno(error, r);
        return sd_bus_call(bus, m, 0, error, ret_reply);
}

static bool startswith(const char *s, const char *prefix) {
        return strncmp(s, prefix, strlen(prefix)) == 0;
}

bool bus_error_is_not_running(const sd_bus_error *error) {
        if (!sd_bus_error_is_set(error))
                return false;
        /* No owner; or D-Bus activation was tried and failed (dbus-daemon reports the failed
         * systemd job or spawn with these names, dbus-broker with NameHasNoOwner). */
        return sd_bus_error_has_name(error, SD_BUS_ERROR_SERVICE_UNKNOWN) ||
               sd_bus_error_has_name(error, SD_BUS_ERROR_NAME_HAS_NO_OWNER) ||
               startswith(error->name, "org.freedesktop.DBus.Error.Spawn.") ||
               startswith(error->name, "org.freedesktop.systemd1.");
}

bool bus_error_is_goguard(const sd_bus_error *error, const char *name) {
        return sd_bus_error_is_set(error) && startswith(error->name, GOGUARD_ERROR_PREFIX) &&
               strcmp(error->name + strlen(GOGUARD_ERROR_PREFIX), name) == 0;
}

/* ---- property dictionaries into structs ---- */

static const char *field_signature(BusFieldType t) {
        switch (t) {
        case BUS_FIELD_STRING: return "s";
        case BUS_FIELD_U32: return "u";
        case BUS_FIELD_U64: return "t";
        case BUS_FIELD_BOOL: return "b";
        case BUS_FIELD_STRV: return "as";
        case BUS_FIELD_PAIR: return "(ss)";
        case BUS_FIELD_PAIRS: return "a(ss)";
        case BUS_FIELD_TRIPLES: return "a(ssb)";
        case BUS_FIELD_FLAGGED: return "a(sb)";
        case BUS_FIELD_DICT_STR_U: return "a{su}";
        }
        return NULL;
}

static bool field_is_array(BusFieldType t) {
        return t == BUS_FIELD_STRV || t == BUS_FIELD_PAIRS || t == BUS_FIELD_TRIPLES ||
               t == BUS_FIELD_FLAGGED || t == BUS_FIELD_DICT_STR_U;
}

static int read_entry(sd_bus_message *m, BusFieldType t, BusEntry *e) {
        int flag = 0, r;

        *e = (BusEntry){};
        switch (t) {
        case BUS_FIELD_STRV: return sd_bus_message_read(m, "s", &e->first);
        case BUS_FIELD_PAIRS: return sd_bus_message_read(m, "(ss)", &e->first, &e->second);
        case BUS_FIELD_TRIPLES: r = sd_bus_message_read(m, "(ssb)", &e->first, &e->second, &flag); break;
        case BUS_FIELD_FLAGGED: r = sd_bus_message_read(m, "(sb)", &e->first, &flag); break;
        case BUS_FIELD_DICT_STR_U: return sd_bus_message_read(m, "{su}", &e->first, &e->number);
        default: return -EINVAL;
        }
        e->flag = flag;
        return r;
}

static int read_entries(sd_bus_message *m, BusFieldType t, BusEntries *ret) {
        _cleanup_free_ BusEntry *entries = NULL;
        size_t n = 0;
        BusEntry e;
        int r;

        r = sd_bus_message_enter_container(m, 'a', field_signature(t) + 1);
        if (r < 0)
                return r;
        while ((r = read_entry(m, t, &e)) > 0) {
                if (n >= BUS_ENTRIES_MAX)
                        return -E2BIG;
                BusEntry *p = reallocarray(entries, n + 1, sizeof *entries);
                if (!p)
                        return -ENOMEM;
                entries = p;
                entries[n++] = e;
        }
        if (r < 0)
                return r;
        r = sd_bus_message_exit_container(m);
        if (r < 0)
                return r;
        free(ret->entries);
        *ret = (BusEntries){ .entries = TAKE_PTR(entries), .n = n };
        return 0;
}

static int read_field(sd_bus_message *m, const BusField *f, void *base) {
        void *slot = (char *) base + f->offset;
        int flag, r;

        switch (f->type) {
        case BUS_FIELD_STRING: return sd_bus_message_read(m, "s", (const char **) slot);
        case BUS_FIELD_U32: return sd_bus_message_read(m, "u", (uint32_t *) slot);
        case BUS_FIELD_U64: return sd_bus_message_read(m, "t", (uint64_t *) slot);
        case BUS_FIELD_BOOL:
                r = sd_bus_message_read(m, "b", &flag);
                if (r >= 0)
                        *(bool *) slot = flag;
                return r;
        case BUS_FIELD_PAIR: {
                BusEntry *e = slot;
                return sd_bus_message_read(m, "(ss)", &e->first, &e->second);
        }
        default: return read_entries(m, f->type, slot);
        }
}

int bus_read_properties(sd_bus_message *m, const BusField *map, size_t n_map, void *base) {
        int r;

        r = sd_bus_message_enter_container(m, 'a', "{sv}");
        if (r < 0)
                return r;
        while ((r = sd_bus_message_enter_container(m, 'e', "sv")) > 0) {
                const BusField *f = NULL;
                const char *name, *contents = NULL;

                r = sd_bus_message_read(m, "s", &name);
                if (r < 0)
                        return r;
                for (size_t i = 0; i < n_map && !f; i++)
                        if (strcmp(map[i].name, name) == 0)
                                f = &map[i];
                if (f) {
                        r = sd_bus_message_peek_type(m, NULL, &contents);
                        if (r < 0)
                                return r;
                }
                if (!f || !contents || strcmp(contents, field_signature(f->type)) != 0)
                        r = sd_bus_message_skip(m, "v");
                else {
                        r = sd_bus_message_enter_container(m, 'v', contents);
                        if (r >= 0)
                                r = read_field(m, f, base);
                        if (r >= 0)
                                r = sd_bus_message_exit_container(m);
                }
                if (r < 0)
                        return r;
                r = sd_bus_message_exit_container(m);
                if (r < 0)
                        return r;
        }
        if (r < 0)
                return r;
        r = sd_bus_message_exit_container(m);
        return r < 0 ? r : 0;
}

void bus_free_properties(const BusField *map, size_t n_map, void *base) {
        for (size_t i = 0; i < n_map; i++)
                if (field_is_array(map[i].type)) {
                        BusEntries *e = (BusEntries *) ((char *) base + map[i].offset);
                        e->entries = mfree(e->entries);
                        e->n = 0;
                }
}

/* ---- D-Bus values as JSON ---- */

/* The end of the complete type at s, or NULL if the signature is malformed. */
static const char *signature_skip(const char *s) {
        switch (*s) {
        case 0: return NULL;
        case 'a': return signature_skip(s + 1);
        case '(':
        case '{': {
                char close = *s == '(' ? ')' : '}';
                s++;
                while (*s && *s != close) {
                        s = signature_skip(s);
                        if (!s)
                                return NULL;
                }
                return *s ? s + 1 : NULL;
        }
        default: return s + 1;
        }
}

static size_t signature_count(const char *s) {
        size_t n = 0;
        while (s && *s) {
                s = signature_skip(s);
                n++;
        }
        return s ? n : SIZE_MAX;
}

typedef union BasicValue {
        uint8_t y;
        int b;
        int16_t n;
        uint16_t q;
        int32_t i;
        uint32_t u;
        int64_t x;
        uint64_t t;
        double d;
        const char *s;
        int h;
} BasicValue;

static void json_double(JsonWriter *w, double d) {
        if (!isfinite(d)) {
                json_null(w);
                return;
        }
        /* The writer has no doubles: let it place the separator with a one-digit number, then put
         * the double in that digit's place. */
        json_uint(w, 0);
        if (!w->out->failed && w->out->len > 0) {
                w->out->data[--w->out->len] = 0;
                strbuf_appendf(w->out, "%.17g", d);
        }
}

static int basic_to_json(sd_bus_message *m, JsonWriter *w, char type) {
        BasicValue v;
        int r = sd_bus_message_read_basic(m, type, &v);
        if (r <= 0)
                return r < 0 ? r : -EBADMSG;
        switch (type) {
        case 'y': json_uint(w, v.y); break;
        case 'b': json_bool(w, v.b); break;
        case 'n': json_int(w, v.n); break;
        case 'q': json_uint(w, v.q); break;
        case 'i': json_int(w, v.i); break;
        case 'u': json_uint(w, v.u); break;
        case 'x': json_int(w, v.x); break;
        case 't':
                if (v.t == UINT64_MAX)
                        json_null(w);
                else
                        json_uint(w, v.t);
                break;
        case 'd': json_double(w, v.d); break;
        case 's':
        case 'o':
        case 'g': json_string(w, v.s); break;
        case 'h': json_null(w); break; /* a descriptor means nothing in a document */
        default: return -EBADMSG;
        }
        return 0;
}

static int key_to_json(sd_bus_message *m, JsonWriter *w) {
        char type, buf[64];
        BasicValue v;
        int r;

        r = sd_bus_message_peek_type(m, &type, NULL);
        if (r <= 0)
                return r < 0 ? r : -EBADMSG;
        r = sd_bus_message_read_basic(m, type, &v);
        if (r <= 0)
                return r < 0 ? r : -EBADMSG;
        switch (type) {
        case 's':
        case 'o':
        case 'g': json_key(w, v.s); return 0;
        case 'y': snprintf(buf, sizeof buf, "%u", v.y); break;
        case 'b': snprintf(buf, sizeof buf, "%s", v.b ? "true" : "false"); break;
        case 'n': snprintf(buf, sizeof buf, "%d", v.n); break;
        case 'q': snprintf(buf, sizeof buf, "%u", v.q); break;
        case 'i': snprintf(buf, sizeof buf, "%" PRIi32, v.i); break;
        case 'u': snprintf(buf, sizeof buf, "%" PRIu32, v.u); break;
        case 'x': snprintf(buf, sizeof buf, "%" PRIi64, v.x); break;
        case 't': snprintf(buf, sizeof buf, "%" PRIu64, v.t); break;
        case 'd': snprintf(buf, sizeof buf, "%.17g", v.d); break;
        case 'h': snprintf(buf, sizeof buf, "fd"); break;
        default: return -EBADMSG;
        }
        json_key(w, buf);
        return 0;
}

static int value_to_json(sd_bus_message *m, JsonWriter *w, const char *const *members, unsigned depth);

static int array_to_json(sd_bus_message *m, JsonWriter *w, const char *contents, const char *const *members,
                         unsigned depth) {
        bool dict = contents[0] == '{';
        int r;

        r = sd_bus_message_enter_container(m, 'a', contents);
        if (r < 0)
                return r;
        if (dict)
                json_begin_object(w);
        else
                json_begin_array(w);
        for (;;) {
                r = sd_bus_message_at_end(m, false);
                if (r < 0)
                        return r;
                if (r > 0)
                        break;
                if (!dict) {
                        r = value_to_json(m, w, members, depth + 1);
                        if (r < 0)
                                return r;
                        continue;
                }
                const char *entry;
                r = sd_bus_message_peek_type(m, NULL, &entry);
                if (r <= 0)
                        return r < 0 ? r : -EBADMSG;
                r = sd_bus_message_enter_container(m, 'e', entry);
                if (r <= 0)
                        return r < 0 ? r : -EBADMSG;
                r = key_to_json(m, w);
                if (r >= 0)
                        r = value_to_json(m, w, members, depth + 1);
                if (r >= 0)
                        r = sd_bus_message_exit_container(m);
                if (r < 0)
                        return r;
        }
        if (dict)
                json_end_object(w);
        else
                json_end_array(w);
        return sd_bus_message_exit_container(m);
}

static int struct_to_json(sd_bus_message *m, JsonWriter *w, const char *contents, const char *const *members,
                          unsigned depth) {
        size_t n_members = 0, n = signature_count(contents), i = 0;
        int r;

        while (members && members[n_members])
                n_members++;
        bool named = members && n_members == n;

        r = sd_bus_message_enter_container(m, 'r', contents);
        if (r <= 0)
                return r < 0 ? r : -EBADMSG;
        if (named)
                json_begin_object(w);
        else
                json_begin_array(w);
        for (;; i++) {
                r = sd_bus_message_at_end(m, false);
                if (r < 0)
                        return r;
                if (r > 0)
                        break;
                if (named) {
                        if (i >= n)
                                return -EBADMSG;
                        json_key(w, members[i]);
                }
                /* Names apply to one struct level only. */
                r = value_to_json(m, w, NULL, depth + 1);
                if (r < 0)
                        return r;
        }
        if (named)
                json_end_object(w);
        else
                json_end_array(w);
        return sd_bus_message_exit_container(m);
}

static int value_to_json(sd_bus_message *m, JsonWriter *w, const char *const *members, unsigned depth) {
        const char *contents;
        char type;
        int r;

        if (depth >= BUS_JSON_DEPTH_MAX)
                return -E2BIG;
        r = sd_bus_message_peek_type(m, &type, &contents);
        if (r <= 0)
                return r < 0 ? r : -EBADMSG;
        switch (type) {
        case 'a': return array_to_json(m, w, contents, members, depth);
        case 'r': return struct_to_json(m, w, contents, members, depth);
        case 'v':
                r = sd_bus_message_enter_container(m, 'v', contents);
                if (r >= 0)
                        r = value_to_json(m, w, members, depth + 1);
                if (r >= 0)
                        r = sd_bus_message_exit_container(m);
                return r;
        case 'e': return -EBADMSG; /* only inside arrays */
        default: return basic_to_json(m, w, type);
        }
}

int bus_value_to_json(sd_bus_message *m, JsonWriter *w, const char *const *members) {
        int r = value_to_json(m, w, members, 0);
        return r < 0 ? r : 0;
}

int bus_properties_to_json(sd_bus_message *m, JsonWriter *w, const BusJsonMembers *members,
                           size_t n_members) {
        int r;

        r = sd_bus_message_enter_container(m, 'a', "{sv}");
        if (r < 0)
                return r;
        json_begin_object(w);
        while ((r = sd_bus_message_enter_container(m, 'e', "sv")) > 0) {
                const char *const *names = NULL;
                const char *name;

                r = sd_bus_message_read(m, "s", &name);
                if (r < 0)
                        return r;
                for (size_t i = 0; i < n_members && !names; i++)
                        if (strcmp(members[i].property, name) == 0)
                                names = members[i].members;
                json_key(w, name);
                r = value_to_json(m, w, names, 1);
                if (r < 0)
                        return r;
                r = sd_bus_message_exit_container(m);
                if (r < 0)
                        return r;
        }
        if (r < 0)
                return r;
        json_end_object(w);
        r = sd_bus_message_exit_container(m);
        return r < 0 ? r : 0;
}
