/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "elf-builder.h"
#include "go-exe-json.h"
#include "test-util.h"

static char *to_json_shown(ElfBuilder *b, bool pretty, bool show_secrets) {
        int fd = eb_memfd(b);
        ck_assert_int_ge(fd, 0);
        GoExe *x = NULL;
        ck_assert_int_eq(go_exe_inspect_fd(fd, GO_EXE_ALL_FACTS, NULL, &x), 0);
        close(fd);
        eb_free(b);
        StrBuf out = {};
        JsonWriter w = { .out = &out, .pretty = pretty };
        json_begin_object(&w);
        go_exe_to_json(x, show_secrets, &w);
        json_end_object(&w);
        go_exe_free(x);
        ck_assert_uint_eq(w.depth, 0);
        char *s;
        ck_assert_int_eq(strbuf_steal(&out, &s, NULL), 0);
        return s;
}

static char *to_json(ElfBuilder *b, bool pretty) {
        return to_json_shown(b, pretty, true);
}

static const char modtext[] = "path\texample.com/svc/cmd/svcd\n"
                              "mod\texample.com/svc\tv1.4.0\th1:Zm9vYmFy=\n"
                              "dep\tgolang.org/x/sys\tv0.1.0\n"
                              "=>\t../sys\t\t\n"
                              "build\t-buildmode=pie\n"
                              "build\tCGO_ENABLED=1\n"
                              "build\tGOARCH=amd64\n"
                              "build\tGOOS=linux\n"
                              "build\tGOAMD64=v3\n"
                              "build\tvcs=git\n"
                              "build\tvcs.revision=0123abc\n"
                              "build\tvcs.time=2024-01-02T03:04:05Z\n"
                              "build\tvcs.modified=true\n";

START_TEST(test_go_pretty) {
        static const EbVerneed v[] = { { "libc.so.6", { "GLIBC_2.2.5", "GLIBC_2.34", NULL } } };
        ElfBuilder *b = eb_build_go(&(EbGo){ .bits = 64,
                                             .layout = EB_GO_INLINE,
                                             .version = "go1.21.5",
                                             .modinfo = modtext,
                                             .sections = true,
                                             .build_id = "Abc/Def",
                                             .pie = true });
        eb_add_interp(b, "/lib64/ld-linux-x86-64.so.2");
        eb_add_dynamic(b, &(EbDynamic){ .needed = { "libc.so.6", "libfoo.so" },
                                        .verneed = v,
                                        .n_verneed = 1,
                                        .runpath = "$ORIGIN" });
        eb_add_note(b, ".note.gnu.build-id", "GNU", NT_GNU_BUILD_ID, "\x01\x02\xab", 3);
        char *s = to_json(b, true);
        ck_assert_str_eq(s, "{\n"
                            "  \"go\": true,\n"
                            "  \"not_go_reason\": null,\n"
                            "  \"evidence\": [\n"
                            "    \"buildinfo\",\n"
                            "    \"buildid-note\",\n"
                            "    \"go-sections\"\n"
                            "  ],\n"
                            "  \"go_version\": \"go1.21.5\",\n"
                            "  \"buildinfo_layout\": \"inline\",\n"
                            "  \"modinfo_error\": null,\n"
                            "  \"main_package\": \"example.com/svc/cmd/svcd\",\n"
                            "  \"main_module\": {\n"
                            "    \"path\": \"example.com/svc\",\n"
                            "    \"version\": \"v1.4.0\",\n"
                            "    \"sum\": \"h1:Zm9vYmFy=\",\n"
                            "    \"replace\": null\n"
                            "  },\n"
                            "  \"deps\": [\n"
                            "    {\n"
                            "      \"path\": \"golang.org/x/sys\",\n"
                            "      \"version\": \"v0.1.0\",\n"
                            "      \"sum\": null,\n"
                            "      \"replace\": {\n"
                            "        \"path\": \"../sys\",\n"
                            "        \"version\": \"\",\n"
                            "        \"sum\": null,\n"
                            "        \"replace\": null\n"
                            "      }\n"
                            "    }\n"
                            "  ],\n"
                            "  \"build_settings\": [\n"
                            "    {\n"
                            "      \"key\": \"-buildmode\",\n"
                            "      \"value\": \"pie\"\n"
                            "    },\n"
                            "    {\n"
                            "      \"key\": \"CGO_ENABLED\",\n"
                            "      \"value\": \"1\"\n"
                            "    },\n"
                            "    {\n"
                            "      \"key\": \"GOARCH\",\n"
                            "      \"value\": \"amd64\"\n"
                            "    },\n"
                            "    {\n"
                            "      \"key\": \"GOOS\",\n"
                            "      \"value\": \"linux\"\n"
                            "    },\n"
                            "    {\n"
                            "      \"key\": \"GOAMD64\",\n"
                            "      \"value\": \"v3\"\n"
                            "    },\n"
                            "    {\n"
                            "      \"key\": \"vcs\",\n"
                            "      \"value\": \"git\"\n"
                            "    },\n"
                            "    {\n"
                            "      \"key\": \"vcs.revision\",\n"
                            "      \"value\": \"0123abc\"\n"
                            "    },\n"
                            "    {\n"
                            "      \"key\": \"vcs.time\",\n"
                            "      \"value\": \"2024-01-02T03:04:05Z\"\n"
                            "    },\n"
                            "    {\n"
                            "      \"key\": \"vcs.modified\",\n"
                            "      \"value\": \"true\"\n"
                            "    }\n"
                            "  ],\n"
                            "  \"cgo\": true,\n"
                            "  \"signal_handling\": null,\n"
                            "  \"goos\": \"linux\",\n"
                            "  \"goarch\": \"amd64\",\n"
                            "  \"arch_level\": {\n"
                            "    \"key\": \"GOAMD64\",\n"
                            "    \"value\": \"v3\"\n"
                            "  },\n"
                            "  \"build_mode\": \"pie\",\n"
                            "  \"vcs\": {\n"
                            "    \"system\": \"git\",\n"
                            "    \"revision\": \"0123abc\",\n"
                            "    \"time\": \"2024-01-02T03:04:05Z\",\n"
                            "    \"modified\": true\n"
                            "  },\n"
                            "  \"elf\": {\n"
                            "    \"class\": 64,\n"
                            "    \"byte_order\": \"little\",\n"
                            "    \"machine\": \"x86-64\",\n"
                            "    \"e_machine\": 62,\n"
                            "    \"goarch\": \"amd64\",\n"
                            "    \"type\": \"pie\",\n"
                            "    \"linking\": \"dynamic\",\n"
                            "    \"interpreter\": \"/lib64/ld-linux-x86-64.so.2\",\n"
                            "    \"needed\": [\n"
                            "      {\n"
                            "        \"name\": \"libc.so.6\",\n"
                            "        \"glibc_version\": \"GLIBC_2.34\"\n"
                            "      },\n"
                            "      {\n"
                            "        \"name\": \"libfoo.so\",\n"
                            "        \"glibc_version\": null\n"
                            "      }\n"
                            "    ],\n"
                            "    \"glibc_version\": \"GLIBC_2.34\",\n"
                            "    \"rpath\": null,\n"
                            "    \"runpath\": \"$ORIGIN\",\n"
                            "    \"soname\": null,\n"
                            "    \"go_build_id\": \"Abc/Def\",\n"
                            "    \"gnu_build_id\": \"0102ab\",\n"
                            "    \"section_headers\": true\n"
                            "  }\n"
                            "}");
        free(s);
}
END_TEST

START_TEST(test_not_go_compact) {
        ElfBuilder *b = eb_new(32, true, ET_EXEC, EM_MIPS);
        eb_add_load(b, PF_R | PF_X, 0, eb_append(b, "x", 1, 1) + 1);
        char *s = to_json(b, false);
        ck_assert_str_eq(
                s, "{\"go\":false,\"not_go_reason\":\"no .go.buildinfo section and no writable segment\","
                   "\"evidence\":[],\"go_version\":null,\"buildinfo_layout\":null,\"modinfo_error\":null,"
                   "\"main_package\":null,\"main_module\":null,\"deps\":[],\"build_settings\":[],"
                   "\"cgo\":null,\"signal_handling\":null,"
                   "\"goos\":null,\"goarch\":null,\"arch_level\":null,\"build_mode\":null,"
                   "\"vcs\":null,\"elf\":{\"class\":32,\"byte_order\":\"big\",\"machine\":\"mips\","
                   "\"e_machine\":8,\"goarch\":\"mips\",\"type\":\"exec\",\"linking\":\"static\","
                   "\"interpreter\":null,\"needed\":[],\"glibc_version\":null,\"rpath\":null,"
                   "\"runpath\":null,\"soname\":null,\"go_build_id\":null,\"gnu_build_id\":null,"
                   "\"section_headers\":false}}");
        free(s);
}
END_TEST

START_TEST(test_hostile_strings) {
        /* Pre-1.18 layout, 32-bit little-endian; strings with invalid UTF-8 and controls, a
         * modinfo error; the output stays valid JSON. */
        ElfBuilder *b = eb_build_go(&(EbGo){
                .bits = 32,
                .layout = EB_GO_POINTER,
                .version = "go1.16\xff\x01",
                .modinfo = "path\tp\xc3\nmod\tm\tv\t\nbuild\tk=\"\\xff\\u2028\\x7f\"\nbuild\tvcs=git\n",
        });
        char *s = to_json(b, false);
        ck_assert_str_eq(
                s, "{\"go\":true,\"not_go_reason\":null,\"evidence\":[\"buildinfo\"],"
                   "\"go_version\":\"go1.16\\\\xff\\u0001\",\"buildinfo_layout\":\"pointer\","
                   "\"modinfo_error\":null,\"main_package\":\"p\\\\xc3\","
                   "\"main_module\":{\"path\":\"m\",\"version\":\"v\",\"sum\":null,\"replace\":null},"
                   "\"deps\":[],\"build_settings\":[{\"key\":\"k\",\"value\":\"\\\\xff\u2028\\u007f\"},"
                   "{\"key\":\"vcs\",\"value\":\"git\"}],\"cgo\":null,\"signal_handling\":null,"
                   "\"goos\":null,\"goarch\":null,"
                   "\"arch_level\":null,\"build_mode\":null,"
                   "\"vcs\":{\"system\":\"git\",\"revision\":null,\"time\":null,\"modified\":null},"
                   "\"elf\":{\"class\":32,\"byte_order\":\"little\",\"machine\":\"i386\",\"e_machine\":3,"
                   "\"goarch\":\"386\",\"type\":\"exec\",\"linking\":\"static\",\"interpreter\":null,"
                   "\"needed\":[],\"glibc_version\":null,\"rpath\":null,\"runpath\":null,\"soname\":null,"
                   "\"go_build_id\":null,\"gnu_build_id\":null,\"section_headers\":false}}");
        free(s);

        b = eb_build_go(&(EbGo){
                .bits = 64, .layout = EB_GO_INLINE, .version = "go1.21.0", .modinfo = "mod\tbad\n" });
        s = to_json(b, false);
        ck_assert_str_eq(
                s, "{\"go\":true,\"not_go_reason\":null,\"evidence\":[\"buildinfo\"],"
                   "\"go_version\":\"go1.21.0\",\"buildinfo_layout\":\"inline\","
                   "\"modinfo_error\":\"could not parse Go build info: line 1: expected 2 or 3 columns\","
                   "\"main_package\":null,\"main_module\":null,\"deps\":[],\"build_settings\":[],"
                   "\"cgo\":null,\"signal_handling\":null,"
                   "\"goos\":null,\"goarch\":null,\"arch_level\":null,\"build_mode\":null,"
                   "\"vcs\":null,\"elf\":{\"class\":64,\"byte_order\":\"little\",\"machine\":\"x86-64\","
                   "\"e_machine\":62,\"goarch\":\"amd64\",\"type\":\"exec\",\"linking\":\"static\","
                   "\"interpreter\":null,\"needed\":[],\"glibc_version\":null,\"rpath\":null,"
                   "\"runpath\":null,\"soname\":null,\"go_build_id\":null,\"gnu_build_id\":null,"
                   "\"section_headers\":false}}");
        free(s);
}
END_TEST

START_TEST(test_secrets_redacted) {
        /* Flags can carry secrets (-X main.buildSecret=...): their values are redacted unless
         * the caller could read the file; the keys and the other settings stay. */
        static const char text[] = "path\tp\n"
                                   "build\t-asmflags=-D=SECRET1\n"
                                   "build\t-gcflags=-d=SECRET2\n"
                                   "build\t-ldflags=\"-X main.buildSecret=SECRET3\"\n"
                                   "build\t-tags=netgo\n"
                                   "build\tCGO_CFLAGS=-DSECRET4\n"
                                   "build\tCGO_CPPFLAGS=-DSECRET5\n"
                                   "build\tCGO_CXXFLAGS=-DSECRET6\n"
                                   "build\tCGO_LDFLAGS=-LSECRET7\n"
                                   "build\tCGO_FFLAGS=-DSECRET8\n"
                                   "build\tGOOS=linux\n";
        for (int show = 0; show <= 1; show++) {
                char *s = to_json_shown(eb_build_go(&(EbGo){ .bits = 64,
                                                             .layout = EB_GO_INLINE,
                                                             .version = "go1.22.1",
                                                             .modinfo = text }),
                                        false, show);
                const char *from = strstr(s, "\"build_settings\":"), *to = strstr(s, ",\"cgo\":");
                ck_assert(from && to && from < to);
                char *settings = strndup(from, (size_t) (to - from));
#define R(v) (show ? v : "\"(redacted)\"")
                char want[1024];
                snprintf(want, sizeof want,
                         "\"build_settings\":[{\"key\":\"-asmflags\",\"value\":%s},"
                         "{\"key\":\"-gcflags\",\"value\":%s},{\"key\":\"-ldflags\",\"value\":%s},"
                         "{\"key\":\"-tags\",\"value\":\"netgo\"},{\"key\":\"CGO_CFLAGS\",\"value\":%s},"
                         "{\"key\":\"CGO_CPPFLAGS\",\"value\":%s},{\"key\":\"CGO_CXXFLAGS\",\"value\":%s},"
                         "{\"key\":\"CGO_LDFLAGS\",\"value\":%s},{\"key\":\"CGO_FFLAGS\",\"value\":%s},"
                         "{\"key\":\"GOOS\",\"value\":\"linux\"}]",
                         R("\"-D=SECRET1\""), R("\"-d=SECRET2\""), R("\"-X main.buildSecret=SECRET3\""),
                         R("\"-DSECRET4\""), R("\"-DSECRET5\""), R("\"-DSECRET6\""), R("\"-LSECRET7\""),
                         R("\"-DSECRET8\""));
#undef R
                ck_assert_str_eq(settings, want);
                ck_assert(show == (strstr(s, "SECRET") != NULL));
                free(settings);
                free(s);
        }
        ck_assert(go_setting_is_secret("-ldflags"));
        ck_assert(!go_setting_is_secret("-tags"));
        ck_assert(!go_setting_is_secret("ldflags"));
        ck_assert(!go_setting_is_secret("-LDFLAGS"));
}
END_TEST

static Suite *go_exe_json_suite(void) {
        Suite *s = suite_create("go-exe-json");
        TCase *tc = tcase_create("core");
        tcase_add_test(tc, test_go_pretty);
        tcase_add_test(tc, test_not_go_compact);
        tcase_add_test(tc, test_hostile_strings);
        tcase_add_test(tc, test_secrets_redacted);
        suite_add_tcase(s, tc);
        return s;
}

DEFINE_TEST_MAIN(go_exe_json_suite)
