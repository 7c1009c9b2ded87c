/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <string.h>

#include "go-modinfo.h"
#include "test-util.h"

static GoModInfo *parse_ok(const char *text, size_t n) {
        GoModInfo *mi = NULL;
        GoModInfoError e = { 777, "unset" };
        int r = go_modinfo_parse(text, n, &mi, &e);
        ck_assert_msg(r == 0, "parse failed: %d, line %zu: %s", r, e.line, e.reason);
        ck_assert_ptr_nonnull(mi);
        return mi;
}
#define PARSE_OK(text) parse_ok(text, strlen(text))

static void check_error(const char *text, size_t n, size_t line, const char *reason) {
        GoModInfo *mi = NULL;
        GoModInfoError e = {};
        ck_assert_int_eq(go_modinfo_parse(text, n, &mi, &e), -EBADMSG);
        ck_assert_ptr_null(mi);
        ck_assert_uint_eq(e.line, line);
        ck_assert_str_eq(e.reason, reason);
        /* The error argument is optional. */
        ck_assert_int_eq(go_modinfo_parse(text, n, &mi, NULL), -EBADMSG);
}
#define CHECK_ERROR(text, line, reason) check_error(text, sizeof(text) - 1, line, reason)

static char *format(const GoModInfo *mi) {
        StrBuf b = {};
        char *s;
        go_modinfo_format(mi, &b);
        ck_assert_int_eq(strbuf_steal(&b, &s, NULL), 0);
        return s;
}

static void check_module(const GoModule *m, const char *path, const char *version, const char *sum) {
        ck_assert_str_eq(m->path, path);
        ck_assert_str_eq(m->version, version);
        ck_assert_str_eq(m->sum, sum);
}

START_TEST(test_parse_lines) {
        GoModInfo *mi = PARSE_OK("path\texample.com/hello/cmd\n"
                                 "mod\texample.com/hello\t(devel)\t\n"
                                 "dep\tgolang.org/x/sys\tv0.1.0\th1:sys=\n"
                                 "dep\tgolang.org/x/text\tv0.3.7\n"
                                 "dep\texample.com/old\tv1.0.0\th1:old=\n"
                                 "=>\texample.com/new\tv1.1.0\th1:new=\n"
                                 "dep\texample.com/local\tv0.0.0\n"
                                 "=>\t../local\t\t\n"
                                 "build\t-compiler=gc\n"
                                 "build\tCGO_ENABLED=0\n"
                                 "build\tGOARCH=amd64\n");
        ck_assert_str_eq(mi->path, "example.com/hello/cmd");
        check_module(&mi->main, "example.com/hello", "(devel)", "");
        ck_assert_ptr_null(mi->main.replace);
        ck_assert_uint_eq(mi->n_deps, 4);
        check_module(&mi->deps[0], "golang.org/x/sys", "v0.1.0", "h1:sys=");
        ck_assert_ptr_null(mi->deps[0].replace);
        check_module(&mi->deps[1], "golang.org/x/text", "v0.3.7", ""); /* two columns */
        check_module(&mi->deps[2], "example.com/old", "v1.0.0", "h1:old=");
        ck_assert_ptr_nonnull(mi->deps[2].replace);
        check_module(mi->deps[2].replace, "example.com/new", "v1.1.0", "h1:new=");
        ck_assert_ptr_null(mi->deps[2].replace->replace);
        check_module(mi->deps[3].replace, "../local", "", "");
        ck_assert_uint_eq(mi->n_settings, 3);
        ck_assert_str_eq(mi->settings[0].key, "-compiler");
        ck_assert_str_eq(mi->settings[0].value, "gc");
        ck_assert_str_eq(mi->settings[1].key, "CGO_ENABLED");
        ck_assert_str_eq(mi->settings[1].value, "0");
        ck_assert_str_eq(go_modinfo_setting(mi, "GOARCH"), "amd64");
        ck_assert_ptr_null(go_modinfo_setting(mi, "GOOS"));
        ck_assert(go_module_is_set(&mi->main));
        go_modinfo_free(mi);
}
END_TEST

START_TEST(test_parse_replace_main_module) {
        GoModInfo *mi = PARSE_OK("mod\texample.com/m\tv1.0.0\n=>\t./m\t\t\n");
        check_module(&mi->main, "example.com/m", "v1.0.0", "");
        check_module(mi->main.replace, "./m", "", "");
        ck_assert_ptr_null(mi->path);
        ck_assert_uint_eq(mi->n_deps, 0);
        go_modinfo_free(mi);
}
END_TEST

START_TEST(test_parse_empty_and_ignored) {
        GoModInfo *mi = PARSE_OK("");
        ck_assert_ptr_null(mi->path);
        ck_assert(!go_module_is_set(&mi->main));
        ck_assert_uint_eq(mi->n_deps, 0);
        ck_assert_uint_eq(mi->n_settings, 0);
        go_modinfo_free(mi);

        /* Unknown prefixes, the go line and blank lines are skipped; so is "path" without a tab. */
        mi = PARSE_OK("go\tgo1.21.0\n\nunknown\tx\ny\npath\nmodule\tz\ndeps\tq\n");
        ck_assert_ptr_null(mi->path);
        ck_assert(!go_module_is_set(&mi->main));
        ck_assert_uint_eq(mi->n_deps, 0);
        go_modinfo_free(mi);

        /* A later path or mod line wins. */
        mi = PARSE_OK("path\ta\npath\tb\nmod\tm1\tv1\nmod\tm2\tv2\th2\n");
        ck_assert_str_eq(mi->path, "b");
        check_module(&mi->main, "m2", "v2", "h2");
        go_modinfo_free(mi);

        /* An empty path line sets an empty path. */
        mi = PARSE_OK("path\t\n");
        ck_assert_str_eq(mi->path, "");
        go_modinfo_free(mi);
}
END_TEST

START_TEST(test_parse_final_line_without_newline) {
        GoModInfo *mi = PARSE_OK("path\tp\nmod\tm\tv1");
        ck_assert_str_eq(mi->path, "p");
        ck_assert(!go_module_is_set(&mi->main));
        go_modinfo_free(mi);

        /* Even a malformed last line is ignored when it has no newline. */
        mi = PARSE_OK("path\tp\nbuild\tno equals sign");
        ck_assert_uint_eq(mi->n_settings, 0);
        go_modinfo_free(mi);
        mi = PARSE_OK("mod\tonly-one-column");
        ck_assert(!go_module_is_set(&mi->main));
        go_modinfo_free(mi);
}
END_TEST

START_TEST(test_parse_build_quoting) {
        GoModInfo *mi = PARSE_OK("build\t-ldflags=\"-s -w -X main.version=1.2.3\"\n"
                                 "build\t\"key with space\"=value\n"
                                 "build\t\"a=b\"=\"x\\ty\"\n"
                                 "build\t`raw key`=`raw\rvalue`\n"
                                 "build\tempty=\n"
                                 "build\t\"\"=v\n"
                                 "build\tq=\"\\\"`\\u00a0\\x01\"\n"
                                 "build\tCGO_CFLAGS=\n"
                                 "build\tk=a=b\n"
                                 "build\tk2=\"\"\n"
                                 "build\t-tags=netgo,osusergo\n");
        ck_assert_uint_eq(mi->n_settings, 11);
        ck_assert_str_eq(mi->settings[0].key, "-ldflags");
        ck_assert_str_eq(mi->settings[0].value, "-s -w -X main.version=1.2.3");
        ck_assert_str_eq(mi->settings[1].key, "key with space");
        ck_assert_str_eq(mi->settings[1].value, "value");
        ck_assert_str_eq(mi->settings[2].key, "a=b");
        ck_assert_str_eq(mi->settings[2].value, "x\ty");
        ck_assert_str_eq(mi->settings[3].key, "raw key");
        ck_assert_str_eq(mi->settings[3].value, "rawvalue");
        ck_assert_str_eq(mi->settings[4].key, "empty");
        ck_assert_str_eq(mi->settings[4].value, "");
        ck_assert_str_eq(mi->settings[5].key, "");
        ck_assert_str_eq(mi->settings[5].value, "v");
        ck_assert_str_eq(mi->settings[6].key, "q");
        ck_assert_str_eq(mi->settings[6].value, "\"`\u00a0\x01");
        ck_assert_str_eq(mi->settings[7].value, "");
        ck_assert_str_eq(mi->settings[8].key, "k"); /* the first '=' splits */
        ck_assert_str_eq(mi->settings[8].value, "a=b");
        ck_assert_str_eq(mi->settings[9].value, "");
        ck_assert_str_eq(mi->settings[10].value, "netgo,osusergo");
        go_modinfo_free(mi);
}
END_TEST

START_TEST(test_setting_last_wins) {
        GoModInfo *mi = PARSE_OK("build\tGOOS=linux\nbuild\tGOOS=freebsd\nbuild\tGOARCH=arm64\n");
        ck_assert_str_eq(go_modinfo_setting(mi, "GOOS"), "freebsd");
        ck_assert_str_eq(go_modinfo_setting(mi, "GOARCH"), "arm64");
        ck_assert_ptr_null(go_modinfo_setting(mi, "goos"));
        go_modinfo_free(mi);
}
END_TEST

START_TEST(test_parse_errors) {
        CHECK_ERROR("mod\ta\n", 1, "expected 2 or 3 columns");
        CHECK_ERROR("mod\ta\tb\tc\td\n", 1, "expected 2 or 3 columns");
        CHECK_ERROR("path\tp\ndep\ta\tb\tc\td\n", 2, "expected 2 or 3 columns");
        CHECK_ERROR("path\tp\n\n\ndep\t\n", 4, "expected 2 or 3 columns");
        CHECK_ERROR("=>\ta\tb\tc\n", 1, "replacement with no module on previous line");
        CHECK_ERROR("mod\ta\tv\n=>\tb\tv\n", 2, "expected 3 columns for replacement");
        CHECK_ERROR("mod\ta\tv\n=>\tb\tv\tc\td\n", 2, "expected 3 columns for replacement");
        CHECK_ERROR("dep\ta\tv\n=>\tb\tv\t\n=>\tc\tv\t\n", 3, "replacement with no module on previous line");
        CHECK_ERROR("path\tp\n=>\tb\tv\t\n", 2, "replacement with no module on previous line");
        CHECK_ERROR("build\t\n", 1, "build line missing '='");
        CHECK_ERROR("x\nbuild\t=x\n", 2, "build line with missing key");
        CHECK_ERROR("build\t\"abc\n", 1, "invalid quoted key in build line");
        CHECK_ERROR("build\t\"a\\qc\"=1\n", 1, "invalid quoted key in build line");
        CHECK_ERROR("build\t`abc\n", 1, "invalid quoted key in build line");
        CHECK_ERROR("build\t\"abc\"\n", 1, "build line missing '=' after quoted key");
        CHECK_ERROR("build\t\"abc\"x=1\n", 1, "unexpected character after quoted key");
        CHECK_ERROR("build\tabc\n", 1, "build line missing '=' after key");
        CHECK_ERROR("build\ta b=1\n", 1, "unquoted key must be quoted");
        CHECK_ERROR("build\ta\"b=1\n", 1, "unquoted key must be quoted");
        CHECK_ERROR("build\ta\rb=1\n", 1, "unquoted key must be quoted");
        CHECK_ERROR("build\ta\tb=1\n", 1, "unquoted key must be quoted");
        CHECK_ERROR("build\tk=\"abc\n", 1, "invalid quoted value in build line");
        CHECK_ERROR("build\tk=\"a\"b\n", 1, "invalid quoted value in build line");
        CHECK_ERROR("build\tk=`a`b\n", 1, "invalid quoted value in build line");
        CHECK_ERROR("build\tk=\"\\z\"\n", 1, "invalid quoted value in build line");
        CHECK_ERROR("build\tk=a b\n", 1, "unquoted value must be quoted");
        CHECK_ERROR("build\tk=a\tb\n", 1, "unquoted value must be quoted");
        CHECK_ERROR("build\tk=a`b\n", 1, "unquoted value must be quoted");
        CHECK_ERROR("build\tk=a\"\n", 1, "unquoted value must be quoted");
        /* NUL bytes cannot be represented in the C strings the result holds. */
        CHECK_ERROR("path\tp\nmod\ta\0\tb\n", 2, "NUL byte in build info");
        CHECK_ERROR("path\tp\n\n\0", 3, "NUL byte in build info");
        CHECK_ERROR("build\t\"a\\x00\"=1\n", 1, "NUL byte in build setting");
        CHECK_ERROR("build\tk=\"a\\000\"\n", 1, "invalid quoted value in build line");
        /* Errors after good lines are still errors; the line number counts every line. */
        CHECK_ERROR("path\tp\nmod\tm\tv\t\ndep\td\tv\t\nbuild\tGOOS=linux\nignored\n\nbuild\tbad\n", 7,
                    "build line missing '=' after key");
}
END_TEST

/* Text in exactly the form Go's BuildInfo.String() writes (checked against Go 1.19). */
static const char canonical[] = "path\texample.com/cmd/tool\n"
                                "mod\texample.com/cmd\tv1.2.3\th1:abc=\n"
                                "dep\tgolang.org/x/sys\tv0.1.0\th1:def=\n"
                                "dep\texample.com/old\tv1.0.0\n"
                                "=>\texample.com/new\tv1.1.0\th1:ghi=\n"
                                "\n"
                                "dep\texample.com/local\tv0.0.0\n"
                                "=>\t../local\t\t\n"
                                "\n"
                                "dep\texample.com/nosum\tv0.2.0\t\n"
                                "build\t-compiler=gc\n"
                                "build\t-ldflags=\"-s -w -X main.version=1.2.3\"\n"
                                "build\tCGO_ENABLED=1\n"
                                "build\t\"key with space\"=value\n"
                                "build\t\"a=b\"=\"x\\ty\"\n"
                                "build\tempty=\n"
                                "build\t\"\"=v\n"
                                "build\tq=\"\\\"`\\u00a0\\x01\"\n"
                                "build\tr=\"\\r\\n\\xff\"\n"
                                "build\tvcs.time=2024-01-02T03:04:05Z\n";

START_TEST(test_format_round_trip) {
        GoModInfo *mi = parse_ok(canonical, sizeof canonical - 1);
        char *s = format(mi);
        ck_assert_str_eq(s, canonical);
        free(s);
        ck_assert_uint_eq(mi->n_deps, 4);
        ck_assert_uint_eq(mi->n_settings, 10);
        ck_assert_str_eq(mi->settings[8].value, "\r\n\xff");
        go_modinfo_free(mi);

        static const char *const more[] = {
                "",
                "path\tcommand-line-arguments\n",
                "path\tp\nmod\tm\t(devel)\t\n",
                "mod\tm\tv1\n=>\tr\tv2\th\n\n",
                "build\tGOOS=linux\n",
        };
        for (size_t i = 0; i < sizeof more / sizeof more[0]; i++) {
                mi = PARSE_OK(more[i]);
                s = format(mi);
                ck_assert_str_eq(s, more[i]);
                free(s);
                go_modinfo_free(mi);
        }
}
END_TEST

START_TEST(test_format_canonicalizes) {
        /* Non-canonical input: a two-column dep gains its tab, raw strings are requoted, ignored
         * lines vanish, an empty path is not written. */
        GoModInfo *mi = PARSE_OK("path\t\nfoo\tbar\ndep\ta\tv1\nbuild\t`k k`=`v\rv`\nbuild\tx=\"plain\"\n");
        char *s = format(mi);
        ck_assert_str_eq(s, "dep\ta\tv1\t\nbuild\t\"k k\"=vv\nbuild\tx=plain\n");
        free(s);
        go_modinfo_free(mi);
}
END_TEST

START_TEST(test_caps) {
        GoModInfo *mi = NULL;
        GoModInfoError e = { 0, NULL };

        /* Exactly at the dependency cap parses. */
        size_t n = GO_MODINFO_DEPS_MAX;
        char *text = malloc(n * 8 + 16);
        ck_assert_ptr_nonnull(text);
        for (size_t i = 0; i < n; i++)
                memcpy(text + 8 * i, "dep\ta\tv\n", 8);
        ck_assert_int_eq(go_modinfo_parse(text, 8 * n, &mi, &e), 0);
        ck_assert_uint_eq(mi->n_deps, GO_MODINFO_DEPS_MAX);
        mi = go_modinfo_free(mi);
        /* One more is too many. */
        memcpy(text + 8 * n, "dep\ta\tv\n", 8);
        ck_assert_int_eq(go_modinfo_parse(text, 8 * (n + 1), &mi, &e), -E2BIG);
        ck_assert_ptr_null(mi);
        free(text);

        n = GO_MODINFO_SETTINGS_MAX;
        text = malloc((n + 1) * 10);
        ck_assert_ptr_nonnull(text);
        for (size_t i = 0; i <= n; i++)
                memcpy(text + 10 * i, "build\tk=v\n", 10);
        ck_assert_int_eq(go_modinfo_parse(text, 10 * n, &mi, &e), 0);
        ck_assert_uint_eq(mi->n_settings, GO_MODINFO_SETTINGS_MAX);
        mi = go_modinfo_free(mi);
        ck_assert_int_eq(go_modinfo_parse(text, 10 * (n + 1), &mi, &e), -E2BIG);
        ck_assert_ptr_null(mi);
        free(text);

        /* Text over the size cap is refused before it is read. */
        size_t big = GO_MODINFO_SIZE_MAX + 1;
        text = malloc(big);
        ck_assert_ptr_nonnull(text);
        memset(text, '\n', big);
        ck_assert_int_eq(go_modinfo_parse(text, big, &mi, &e), -E2BIG);
        ck_assert_ptr_null(mi);
        /* ... and at the cap it is fine. */
        ck_assert_int_eq(go_modinfo_parse(text, big - 1, &mi, &e), 0);
        mi = go_modinfo_free(mi);
        free(text);
}
END_TEST

START_TEST(test_free_null) {
        ck_assert_ptr_null(go_modinfo_free(NULL));
        GoModule m = {};
        ck_assert(!go_module_is_set(&m));
        m.sum = (char *) "";
        ck_assert(!go_module_is_set(&m));
        m.version = (char *) "v1";
        ck_assert(go_module_is_set(&m));
}
END_TEST

static Suite *go_modinfo_suite(void) {
        Suite *s = suite_create("go-modinfo");
        TCase *tc = tcase_create("parse");
        tcase_add_test(tc, test_parse_lines);
        tcase_add_test(tc, test_parse_replace_main_module);
        tcase_add_test(tc, test_parse_empty_and_ignored);
        tcase_add_test(tc, test_parse_final_line_without_newline);
        tcase_add_test(tc, test_parse_build_quoting);
        tcase_add_test(tc, test_setting_last_wins);
        tcase_add_test(tc, test_parse_errors);
        tcase_add_test(tc, test_free_null);
        suite_add_tcase(s, tc);
        tc = tcase_create("format");
        tcase_add_test(tc, test_format_round_trip);
        tcase_add_test(tc, test_format_canonicalizes);
        suite_add_tcase(s, tc);
        tc = tcase_create("caps");
        tcase_add_test(tc, test_caps);
        tcase_set_timeout(tc, 120);
        suite_add_tcase(s, tc);
        return s;
}

DEFINE_TEST_MAIN(go_modinfo_suite)
