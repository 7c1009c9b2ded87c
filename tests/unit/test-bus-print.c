/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "bus-print.h"
#include "test-util.h"

/* Messages are built on a bus that is never connected: sd_bus_start() on one end of a socket
 * pair only begins the handshake, which is enough to create, seal and read messages. */
static sd_bus *test_bus(void) {
        int fds[2];
        sd_bus *bus;
        ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), 0);
        ck_assert_int_ge(sd_bus_new(&bus), 0);
        ck_assert_int_ge(sd_bus_set_fd(bus, fds[0], fds[0]), 0);
        ck_assert_int_ge(sd_bus_start(bus), 0);
        close(fds[1]);
        return bus;
}

static sd_bus_message *new_message(sd_bus *bus) {
        sd_bus_message *m;
        ck_assert_int_ge(sd_bus_message_new_method_call(bus, &m, "org.example", "/", "org.example", "M"), 0);
        return m;
}

static void seal(sd_bus_message *m) {
        ck_assert_int_ge(sd_bus_message_seal(m, 1, 0), 0);
        ck_assert_int_ge(sd_bus_message_rewind(m, true), 0);
}

static char *properties_json(sd_bus_message *m, const BusJsonMembers *members, size_t n, int *ret) {
        StrBuf b = {};
        JsonWriter w = { .out = &b };
        char *s;
        *ret = bus_properties_to_json(m, &w, members, n);
        ck_assert_int_eq(strbuf_steal(&b, &s, NULL), 0);
        return s;
}

static const char *const pair_names[] = { "path", "version", NULL };
static const char *const triple_names[] = { "name", "value", "redacted", NULL };
static const BusJsonMembers members[] = {
        { "Pair", pair_names },
        { "Env", triple_names },
        { "WrongCount", pair_names },
        { "Nested", pair_names },
};

START_TEST(test_json_every_type) {
        sd_bus *bus = test_bus();
        sd_bus_message *m = new_message(bus);
        int r;

        ck_assert_int_ge(sd_bus_message_open_container(m, 'a', "{sv}"), 0);
        ck_assert_int_ge(sd_bus_message_append(m, "{sv}", "S", "s", "a\"b\n"), 0);
        ck_assert_int_ge(sd_bus_message_append(m, "{sv}", "O", "o", "/org/x"), 0);
        ck_assert_int_ge(sd_bus_message_append(m, "{sv}", "G", "g", "a{sv}"), 0);
        ck_assert_int_ge(sd_bus_message_append(m, "{sv}", "Y", "y", 255), 0);
        ck_assert_int_ge(sd_bus_message_append(m, "{sv}", "B", "b", 1), 0);
        ck_assert_int_ge(sd_bus_message_append(m, "{sv}", "N", "n", -3), 0);
        ck_assert_int_ge(sd_bus_message_append(m, "{sv}", "Q", "q", 65535), 0);
        ck_assert_int_ge(sd_bus_message_append(m, "{sv}", "I", "i", INT32_MIN), 0);
        ck_assert_int_ge(sd_bus_message_append(m, "{sv}", "U", "u", UINT32_MAX), 0);
        ck_assert_int_ge(sd_bus_message_append(m, "{sv}", "X", "x", INT64_MIN), 0);
        ck_assert_int_ge(sd_bus_message_append(m, "{sv}", "T", "t", UINT64_MAX - 1), 0);
        ck_assert_int_ge(sd_bus_message_append(m, "{sv}", "Infinity", "t", UINT64_MAX), 0);
        ck_assert_int_ge(sd_bus_message_append(m, "{sv}", "D", "d", 1.5), 0);
        ck_assert_int_ge(sd_bus_message_append(m, "{sv}", "NaN", "d", NAN), 0);
        ck_assert_int_ge(sd_bus_message_append(m, "{sv}", "Pair", "(ss)", "example.com/x", "v1.2.3"), 0);
        ck_assert_int_ge(
                sd_bus_message_append(m, "{sv}", "Env", "a(ssb)", 2, "GOGC", "50", 0, "TOKEN", "", 1), 0);
        ck_assert_int_ge(sd_bus_message_append(m, "{sv}", "WrongCount", "(ssb)", "a", "b", 0), 0);
        ck_assert_int_ge(sd_bus_message_append(m, "{sv}", "Unnamed", "a(ss)", 1, "k", "v"), 0);
        ck_assert_int_ge(sd_bus_message_append(m, "{sv}", "EmptyArray", "a(ss)", 0), 0);
        ck_assert_int_ge(sd_bus_message_append(m, "{sv}", "Dict", "a{su}", 2, "critical", 1, "info", 0), 0);
        ck_assert_int_ge(sd_bus_message_append(m, "{sv}", "IntKeys", "a{ib}", 2, -1, 1, 7, 0), 0);
        ck_assert_int_ge(sd_bus_message_append(m, "{sv}", "Strv", "aas", 2, 1, "x", 0), 0);
        ck_assert_int_ge(sd_bus_message_append(m, "{sv}", "Bytes", "ay", 2, 0, 255), 0);
        ck_assert_int_ge(sd_bus_message_append(m, "{sv}", "Variant", "v", "v", "i", 42), 0);
        /* Names apply to the outer struct only; the struct inside it stays an array. */
        ck_assert_int_ge(sd_bus_message_append(m, "{sv}", "Nested", "((ss)s)", "a", "b", "c"), 0);
        ck_assert_int_ge(sd_bus_message_close_container(m), 0);
        seal(m);

        char *json = properties_json(m, members, ELEMENTSOF(members), &r);
        ck_assert_int_eq(r, 0);
        ck_assert_str_eq(json, "{\"S\":\"a\\\"b\\n\",\"O\":\"/org/x\",\"G\":\"a{sv}\",\"Y\":255,\"B\":true,"
                               "\"N\":-3,\"Q\":65535,\"I\":-2147483648,\"U\":4294967295,"
                               "\"X\":-9223372036854775808,\"T\":18446744073709551614,\"Infinity\":null,"
                               "\"D\":1.5,\"NaN\":null,"
                               "\"Pair\":{\"path\":\"example.com/x\",\"version\":\"v1.2.3\"},"
                               "\"Env\":[{\"name\":\"GOGC\",\"value\":\"50\",\"redacted\":false},"
                               "{\"name\":\"TOKEN\",\"value\":\"\",\"redacted\":true}],"
                               "\"WrongCount\":[\"a\",\"b\",false],\"Unnamed\":[[\"k\",\"v\"]],"
                               "\"EmptyArray\":[],\"Dict\":{\"critical\":1,\"info\":0},"
                               "\"IntKeys\":{\"-1\":true,\"7\":false},\"Strv\":[[\"x\"],[]],"
                               "\"Bytes\":[0,255],\"Variant\":42,"
                               "\"Nested\":{\"path\":[\"a\",\"b\"],\"version\":\"c\"}}");
        free(json);
        sd_bus_message_unref(m);
        sd_bus_flush_close_unref(bus);
}
END_TEST

START_TEST(test_json_deep_nesting_refused) {
        sd_bus *bus = test_bus();
        sd_bus_message *m = new_message(bus);
        int r;

        /* 40 nested variants: deeper than a JSON document goguardctl writes. */
        ck_assert_int_ge(sd_bus_message_open_container(m, 'a', "{sv}"), 0);
        ck_assert_int_ge(sd_bus_message_open_container(m, 'e', "sv"), 0);
        ck_assert_int_ge(sd_bus_message_append(m, "s", "Deep"), 0);
        for (int i = 0; i < 40; i++)
                ck_assert_int_ge(sd_bus_message_open_container(m, 'v', "v"), 0);
        ck_assert_int_ge(sd_bus_message_append(m, "v", "i", 1), 0);
        for (int i = 0; i < 40; i++)
                ck_assert_int_ge(sd_bus_message_close_container(m), 0);
        ck_assert_int_ge(sd_bus_message_close_container(m), 0);
        ck_assert_int_ge(sd_bus_message_close_container(m), 0);
        seal(m);

        free(properties_json(m, NULL, 0, &r));
        ck_assert_int_eq(r, -E2BIG);
        sd_bus_message_unref(m);
        sd_bus_flush_close_unref(bus);
}
END_TEST

typedef struct Info {
        const char *version;
        uint64_t start;
        uint32_t count;
        bool flag;
        BusEntry module;
        BusEntries sources;
        BusEntries libraries;
        BusEntries env;
        BusEntries files;
        BusEntries severities;
} Info;

static const BusField info_fields[] = {
        { "Version", BUS_FIELD_STRING, offsetof(Info, version) },
        { "Start", BUS_FIELD_U64, offsetof(Info, start) },
        { "Count", BUS_FIELD_U32, offsetof(Info, count) },
        { "Flag", BUS_FIELD_BOOL, offsetof(Info, flag) },
        { "Module", BUS_FIELD_PAIR, offsetof(Info, module) },
        { "Sources", BUS_FIELD_STRV, offsetof(Info, sources) },
        { "Libraries", BUS_FIELD_PAIRS, offsetof(Info, libraries) },
        { "Env", BUS_FIELD_TRIPLES, offsetof(Info, env) },
        { "Files", BUS_FIELD_FLAGGED, offsetof(Info, files) },
        { "Severities", BUS_FIELD_DICT_STR_U, offsetof(Info, severities) },
};

START_TEST(test_read_properties) {
        sd_bus *bus = test_bus();
        sd_bus_message *m = new_message(bus);
        Info info = { .count = 99 };

        ck_assert_int_ge(sd_bus_message_open_container(m, 'a', "{sv}"), 0);
        ck_assert_int_ge(sd_bus_message_append(m, "{sv}", "Version", "s", "0.1.0"), 0);
        ck_assert_int_ge(sd_bus_message_append(m, "{sv}", "Unknown", "a(ss)", 1, "x", "y"), 0);
        ck_assert_int_ge(sd_bus_message_append(m, "{sv}", "Start", "t", UINT64_C(1700000000000000)), 0);
        ck_assert_int_ge(sd_bus_message_append(m, "{sv}", "Count", "s", "not a number"), 0); /* skipped */
        ck_assert_int_ge(sd_bus_message_append(m, "{sv}", "Flag", "b", 1), 0);
        ck_assert_int_ge(sd_bus_message_append(m, "{sv}", "Module", "(ss)", "example.com/x", "v1"), 0);
        ck_assert_int_ge(sd_bus_message_append(m, "{sv}", "Sources", "as", 2, "systemd", "proc"), 0);
        ck_assert_int_ge(sd_bus_message_append(m, "{sv}", "Libraries", "a(ss)", 2, "libc.so.6", "GLIBC_2.34",
                                               "libm.so.6", ""),
                         0);
        ck_assert_int_ge(sd_bus_message_append(m, "{sv}", "Env", "a(ssb)", 1, "TOKEN", "", 1), 0);
        ck_assert_int_ge(sd_bus_message_append(m, "{sv}", "Files", "a(sb)", 1, "/etc/x.env", 1), 0);
        ck_assert_int_ge(sd_bus_message_append(m, "{sv}", "Severities", "a{su}", 1, "warning", 3), 0);
        ck_assert_int_ge(sd_bus_message_close_container(m), 0);
        seal(m);

        ck_assert_int_eq(bus_read_properties(m, info_fields, ELEMENTSOF(info_fields), &info), 0);
        ck_assert_str_eq(info.version, "0.1.0");
        ck_assert_uint_eq(info.start, UINT64_C(1700000000000000));
        ck_assert_uint_eq(info.count, 99);
        ck_assert(info.flag);
        ck_assert_str_eq(info.module.first, "example.com/x");
        ck_assert_str_eq(info.module.second, "v1");
        ck_assert_uint_eq(info.sources.n, 2);
        ck_assert_str_eq(info.sources.entries[0].first, "systemd");
        ck_assert_str_eq(info.sources.entries[1].first, "proc");
        ck_assert_uint_eq(info.libraries.n, 2);
        ck_assert_str_eq(info.libraries.entries[0].first, "libc.so.6");
        ck_assert_str_eq(info.libraries.entries[0].second, "GLIBC_2.34");
        ck_assert_str_eq(info.libraries.entries[1].second, "");
        ck_assert_uint_eq(info.env.n, 1);
        ck_assert_str_eq(info.env.entries[0].first, "TOKEN");
        ck_assert(info.env.entries[0].flag);
        ck_assert_uint_eq(info.files.n, 1);
        ck_assert_str_eq(info.files.entries[0].first, "/etc/x.env");
        ck_assert(info.files.entries[0].flag);
        ck_assert_uint_eq(info.severities.n, 1);
        ck_assert_str_eq(info.severities.entries[0].first, "warning");
        ck_assert_uint_eq(info.severities.entries[0].number, 3);

        bus_free_properties(info_fields, ELEMENTSOF(info_fields), &info);
        ck_assert_ptr_null(info.sources.entries);
        ck_assert_uint_eq(info.sources.n, 0);
        sd_bus_message_unref(m);
        sd_bus_flush_close_unref(bus);
}
END_TEST

START_TEST(test_errors) {
        sd_bus_error e = SD_BUS_ERROR_NULL;
        ck_assert(!bus_error_is_not_running(&e));
        ck_assert(!bus_error_is_goguard(&e, "NoSuchUnit"));

        sd_bus_error_set_const(&e, SD_BUS_ERROR_NAME_HAS_NO_OWNER, "x");
        ck_assert(bus_error_is_not_running(&e));
        sd_bus_error_free(&e);
        sd_bus_error_set_const(&e, SD_BUS_ERROR_SERVICE_UNKNOWN, "x");
        ck_assert(bus_error_is_not_running(&e));
        sd_bus_error_free(&e);
        sd_bus_error_set_const(&e, "org.freedesktop.DBus.Error.Spawn.ChildExited", "x");
        ck_assert(bus_error_is_not_running(&e));
        sd_bus_error_free(&e);
        sd_bus_error_set_const(&e, SD_BUS_ERROR_ACCESS_DENIED, "x");
        ck_assert(!bus_error_is_not_running(&e));
        sd_bus_error_free(&e);

        sd_bus_error_set_const(&e, "org.goguard.goguard1.Error.NoSuchUnit", "x");
        ck_assert(bus_error_is_goguard(&e, "NoSuchUnit"));
        ck_assert(!bus_error_is_goguard(&e, "NoSuchUnitX"));
        ck_assert(!bus_error_is_goguard(&e, "InvalidUnitName"));
        ck_assert(!bus_error_is_not_running(&e));
        sd_bus_error_free(&e);
}
END_TEST

static Suite *bus_print_suite(void) {
        Suite *s = suite_create("bus-print");
        TCase *tc = tcase_create("core");
        tcase_add_test(tc, test_json_every_type);
        tcase_add_test(tc, test_json_deep_nesting_refused);
        tcase_add_test(tc, test_read_properties);
        tcase_add_test(tc, test_errors);
        suite_add_tcase(s, tc);
        return s;
}

DEFINE_TEST_MAIN(bus_print_suite)
