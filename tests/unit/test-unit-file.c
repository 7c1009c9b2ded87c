/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "go-env.h"
#include "strv.h"
#include "test-util.h"
#include "unit-file.h"
#include "unit-load.h"

static const UnitFileContext ctx = {
        .unit = "web@eu\\x2dwest-1.service",
        .path = "/etc/systemd/system/web@.service",
        .hostname = "box.example.com",
        .machine_id = "0123456789abcdef0123456789abcdef",
        .physical_memory = 8ull << 30,
        .tasks_max_base = 10000,
};

static void parse(UnitSettings *s, const char *text, char ***warnings) {
        ck_assert_int_eq(unit_file_parse(s, &ctx, text, strlen(text), warnings, NULL), 0);
}

static void settings_new(UnitSettings *s) {
        ck_assert_int_eq(unit_file_settings_init(s, ctx.tasks_max_base), 0);
}

START_TEST(test_defaults) {
        _cleanup_(unit_settings_done) UnitSettings s;
        settings_new(&s);
        parse(&s, "[Service]\nExecStart=/usr/bin/web\n", NULL);
        ck_assert_str_eq(s.exec_start_path, "/usr/bin/web");
        ck_assert_str_eq(s.type, "simple");
        ck_assert_str_eq(s.restart, "no");
        ck_assert_uint_eq(s.limit_nofile, 524288);
        ck_assert_uint_eq(s.limit_nofile_soft, 1024);
        ck_assert_uint_eq(s.tasks_max, 1500);
        ck_assert_uint_eq(s.memory_max, UINT64_MAX);
        ck_assert_uint_eq(s.cpu_quota_per_sec_usec, UINT64_MAX);
        ck_assert_uint_eq(s.timeout_start_usec, 90000000);
        ck_assert_int_eq(s.kill_signal, 15);
        ck_assert_uint_eq(s.capability_bounding_set, UINT64_MAX);
        ck_assert_uint_eq(strv_length(s.exec_start_argv), 1);
}
END_TEST

START_TEST(test_values) {
        _cleanup_(unit_settings_done) UnitSettings s;
        _cleanup_(strv_freep) char **w = NULL;
        settings_new(&s);
        parse(&s,
              "[Unit]\n"
              "StartLimitBurst=3\n"
              "StartLimitIntervalSec=1min\n"
              "[Service]\n"
              "Type=notify\n"
              "Restart=on-failure\n"
              "User=svc-%i\n"
              "DynamicUser=yes\n"
              "LimitNOFILE=512:4096\n"
              "LimitNPROC=infinity\n"
              "TasksMax=20%\n"
              "MemoryMax=1.5G\n"
              "MemoryHigh=25%\n"
              "CPUQuota=150%\n"
              "RestartSec=2s 500ms\n"
              "TimeoutStopSec=0\n"
              "KillSignal=SIGINT\n"
              "AmbientCapabilities=CAP_NET_BIND_SERVICE cap_kill\n"
              "CapabilityBoundingSet=~CAP_SYS_ADMIN\n"
              "NoExecPaths=-/tmp /var/tmp\n"
              "PrivateNetwork=on\n"
              "RootDirectory=/srv/%p\n"
              "BindReadOnlyPaths=/etc/ssl -/opt/x:/x:rbind\n"
              "Type=bogus\n"
              "MemoryMax=lots\n",
              &w);
        ck_assert_uint_eq(s.start_limit_burst, 3);
        ck_assert_uint_eq(s.start_limit_interval_usec, 60000000);
        ck_assert_str_eq(s.type, "notify");
        ck_assert_str_eq(s.restart, "on-failure");
        ck_assert_str_eq(s.user, "svc-eu\\x2dwest-1");
        ck_assert(s.dynamic_user);
        ck_assert_uint_eq(s.limit_nofile_soft, 512);
        ck_assert_uint_eq(s.limit_nofile, 4096);
        ck_assert_uint_eq(s.limit_nproc, UINT64_MAX);
        ck_assert_uint_eq(s.tasks_max, 2000);
        ck_assert_uint_eq(s.memory_max, 3ull << 29);
        ck_assert_uint_eq(s.memory_high, 2ull << 30);
        ck_assert_uint_eq(s.cpu_quota_per_sec_usec, 1500000);
        ck_assert_uint_eq(s.restart_usec, 2500000);
        ck_assert_uint_eq(s.timeout_stop_usec, UINT64_MAX);
        ck_assert_int_eq(s.kill_signal, 2);
        ck_assert_uint_eq(s.ambient_capabilities, (1ull << 10) | (1ull << 5));
        ck_assert_uint_eq(s.capability_bounding_set, ~(1ull << 21));
        ck_assert_uint_eq(strv_length(s.no_exec_paths), 2);
        ck_assert_str_eq(s.no_exec_paths[0], "-/tmp");
        ck_assert(s.private_network);
        ck_assert_str_eq(s.root_directory, "/srv/web");
        ck_assert_uint_eq(strv_length(s.bind_read_only_paths), 4);
        ck_assert_str_eq(s.bind_read_only_paths[0], "/etc/ssl");
        ck_assert_str_eq(s.bind_read_only_paths[1], "/etc/ssl");
        ck_assert_str_eq(s.bind_read_only_paths[2], "-/opt/x");
        ck_assert_str_eq(s.bind_read_only_paths[3], "/x");
        /* The invalid values are skipped with a warning each; what was set stays. */
        ck_assert_uint_eq(strv_length(w), 2);
        ck_assert_str_eq(w[0], "line 24: Unknown Type= value 'bogus', ignoring");
        ck_assert_str_eq(w[1], "line 25: Invalid MemoryMax= value 'lots', ignoring");
}
END_TEST

START_TEST(test_exec_prefixes) {
        static const struct {
                const char *line, *path;
        } ok[] = {
                { "/usr/bin/web -a", "/usr/bin/web" },
                { "-/usr/bin/web", "/usr/bin/web" },
                { "@/usr/bin/web web-argv0 -x", "/usr/bin/web" },
                { "-@+/usr/bin/web argv0", "/usr/bin/web" },
                { "!!/usr/bin/web", "/usr/bin/web" },
                { ":/usr/bin/web", "/usr/bin/web" },
                { "\"/opt/my app/web\" --flag", "/opt/my app/web" },
                { "/opt/a\\x20b", "/opt/a b" },
                { "web --port 80", "web" },
        };
        static const char *const bad[] = {
                "--/usr/bin/web", "@/usr/bin/web",  "-",         "/usr/bin/../web",
                "bin/web",        "\"/usr/bin/web", "/usr//web",
        };
        for (size_t i = 0; i < ELEMENTSOF(ok); i++) {
                _cleanup_free_ char *p = NULL;
                ck_assert_int_eq(unit_file_exec_command(ok[i].line, &p, NULL), 0);
                ck_assert_str_eq(p, ok[i].path);
        }
        for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
                char *p = NULL;
                ck_assert_int_eq(unit_file_exec_command(bad[i], &p, NULL), -EINVAL);
                ck_assert_ptr_null(p);
        }
        static const struct {
                const char *line, *argv;
        } argvs[] = {
                { "-/usr/bin/go run ./cmd/web", "/usr/bin/go|run|./cmd/web" },
                { "@/usr/bin/web my-web \"a b\" $PORT ${X}", "my-web|a b|$PORT|${X}" },
                { "go build ; /bin/true", "go|build" },
                { "/bin/x \\;", "/bin/x|;" },
        };
        for (size_t i = 0; i < ELEMENTSOF(argvs); i++) {
                _cleanup_free_ char *p = NULL;
                _cleanup_(strv_freep) char **argv = NULL;
                ck_assert_int_eq(unit_file_exec_command(argvs[i].line, &p, &argv), 0);
                char joined[256] = "";
                for (char **a = argv; *a; a++)
                        snprintf(joined + strlen(joined), sizeof joined - strlen(joined), "%s%s",
                                 a == argv ? "" : "|", *a);
                ck_assert_str_eq(joined, argvs[i].argv);
        }
}
END_TEST

START_TEST(test_exec_start_first_and_reset) {
        _cleanup_(unit_settings_done) UnitSettings s;
        settings_new(&s);
        parse(&s, "[Service]\nExecStart=/bin/one\nExecStart=/bin/two\n", NULL);
        ck_assert_str_eq(s.exec_start_path, "/bin/one");
        ck_assert_str_eq(s.exec_start_argv[0], "/bin/one");
        parse(&s, "[Service]\nExecStart=\nExecStart=/bin/three %n\n", NULL);
        ck_assert_str_eq(s.exec_start_path, "/bin/three");
        ck_assert_uint_eq(strv_length(s.exec_start_argv), 2);
        /* As systemd: specifiers first, then the words unescaped, so %n's \x2d becomes "-". */
        ck_assert_str_eq(s.exec_start_argv[1], "web@eu-west-1.service");
        /* The bounding set: the first assignment replaces "all", later ones add, "~" removes. */
        parse(&s, "[Service]\nCapabilityBoundingSet=CAP_KILL\nCapabilityBoundingSet=CAP_CHOWN\n", NULL);
        ck_assert_uint_eq(s.capability_bounding_set, (1ull << 5) | 1ull);
        parse(&s, "[Service]\nCapabilityBoundingSet=~CAP_KILL\n", NULL);
        ck_assert_uint_eq(s.capability_bounding_set, 1ull);
        parse(&s, "[Service]\nCapabilityBoundingSet=\n", NULL);
        ck_assert_uint_eq(s.capability_bounding_set, 0);
        parse(&s, "[Service]\nExecStart=\n", NULL);
        ck_assert_ptr_null(s.exec_start_path);
        ck_assert_ptr_null(s.exec_start_argv);
}
END_TEST

START_TEST(test_quoting_and_environment) {
        _cleanup_(unit_settings_done) UnitSettings s;
        _cleanup_(strv_freep) char **w = NULL;
        settings_new(&s);
        parse(&s,
              "[Service]\n"
              "Environment=\"A=one two\" 'B=it''s' C=tab\\tx D=%H\n"
              "Environment=A=replaced E=\\x41\\u00e9\n"
              "Environment=9BAD=x NOEQUALS\n"
              "Environment=\"OPEN=x\n",
              &w);
        ck_assert_uint_eq(strv_length(s.environment), 5);
        ck_assert_str_eq(s.environment[0], "A=replaced");
        ck_assert_str_eq(s.environment[1], "B=its");
        ck_assert_str_eq(s.environment[2], "C=tab\tx");
        ck_assert_str_eq(s.environment[3], "D=box.example.com");
        ck_assert_str_eq(s.environment[4], "E=A\xc3\xa9");
        ck_assert_uint_eq(strv_length(w), 3);
        ck_assert_str_eq(w[0], "line 4: Invalid environment assignment in Environment=, ignoring");
        ck_assert_str_eq(w[2], "line 5: Invalid quoting or escape in Environment=, ignoring the rest");
}
END_TEST

START_TEST(test_empty_resets_lists) {
        _cleanup_(unit_settings_done) UnitSettings s;
        settings_new(&s);
        parse(&s,
              "[Service]\nEnvironment=A=1\nEnvironmentFile=-/etc/default/web\nEnvironmentFile=/etc/web.env\n"
              "BindPaths=/a\nAmbientCapabilities=CAP_KILL\nLimitNOFILE=10\nUser=web\n",
              NULL);
        ck_assert_uint_eq(s.n_environment_files, 2);
        ck_assert(s.environment_files[0].optional);
        ck_assert_str_eq(s.environment_files[0].path, "/etc/default/web");
        ck_assert(!s.environment_files[1].optional);
        parse(&s,
              "[Service]\nEnvironment=\nEnvironment=B=2\nEnvironmentFile=\nBindPaths=\nAmbientCapabilities="
              "\n"
              "LimitNOFILE=\nUser=\n",
              NULL);
        ck_assert_uint_eq(strv_length(s.environment), 1);
        ck_assert_str_eq(s.environment[0], "B=2");
        ck_assert_uint_eq(s.n_environment_files, 0);
        ck_assert_ptr_null(s.bind_paths);
        ck_assert_uint_eq(s.ambient_capabilities, 0);
        ck_assert_uint_eq(s.limit_nofile, 524288);
        ck_assert_ptr_null(s.user);
}
END_TEST

START_TEST(test_continuations_and_comments) {
        _cleanup_(unit_settings_done) UnitSettings s;
        _cleanup_(strv_freep) char **w = NULL;
        settings_new(&s);
        parse(&s,
              "\xef\xbb\xbf# a comment\n"
              "; another\n"
              "[Service]\n"
              "Environment=A=1 \\\n"
              "# skipped inside a continuation\n"
              "  ; and this\n"
              "  B=2\\\n"
              "C=3\n"
              "Environment=D=a\\\\\n"
              "Environment=E=5\n"
              "  LimitNOFILE = 77  \n"
              "stray line\n"
              "[X-Custom]\n"
              "LimitNOFILE=1\n"
              "[Service]\n"
              "=x\n"
              "Environment=F=end \\",
              &w);
        ck_assert_uint_eq(strv_length(s.environment), 6);
        ck_assert_str_eq(s.environment[0], "A=1");
        ck_assert_str_eq(s.environment[1], "B=2");
        ck_assert_str_eq(s.environment[2], "C=3");
        ck_assert_str_eq(s.environment[3], "D=a\\");
        ck_assert_str_eq(s.environment[4], "E=5");
        /* A continuation at the end of the file ends there. */
        ck_assert_str_eq(s.environment[5], "F=end");
        ck_assert_uint_eq(s.limit_nofile, 77);
        ck_assert_uint_eq(strv_length(w), 2);
        ck_assert_str_eq(w[0], "line 12: Missing '=', ignoring the line");
        ck_assert_str_eq(w[1], "line 16: Missing key name before '=', ignoring the line");
}
END_TEST

START_TEST(test_errors) {
        _cleanup_(unit_settings_done) UnitSettings s;
        unsigned line = 0;
        settings_new(&s);
        const char *t = "[Service]\nUser=a\n[Service\nUser=b\n";
        ck_assert_int_eq(unit_file_parse(&s, &ctx, t, strlen(t), NULL, &line), -EBADMSG);
        ck_assert_uint_eq(line, 3);
        ck_assert_str_eq(s.user, "a");
        char *huge = calloc(1, UNIT_FILE_SIZE_MAX + 1);
        ck_assert_int_eq(unit_file_parse(&s, &ctx, huge, UNIT_FILE_SIZE_MAX + 1, NULL, NULL), -E2BIG);
        free(huge);
        _cleanup_(strv_freep) char **w = NULL;
        parse(&s, "Type=oneshot\n", &w);
        ck_assert_str_eq(w[0], "line 1: Assignment outside of a section, ignoring");
}
END_TEST

START_TEST(test_specifiers) {
        static const struct {
                const char *in, *out;
        } t[] = {
                { "%n", "web@eu\\x2dwest-1.service" },
                { "%N", "web@eu\\x2dwest-1" },
                { "%p", "web" },
                { "%i", "eu\\x2dwest-1" },
                { "%I", "eu-west/1" },
                { "%f", "/eu-west/1" },
                { "%j", "web" },
                { "%h %u %U %t %S %E", "/root root 0 /run /var/lib /etc" },
                { "%H %l %m", "box.example.com box 0123456789abcdef0123456789abcdef" },
                { "%y %Y", "/etc/systemd/system/web@.service /etc/systemd/system" },
                { "100%%", "100%" },
        };
        for (size_t i = 0; i < ELEMENTSOF(t); i++) {
                _cleanup_free_ char *o = NULL;
                ck_assert_int_eq(unit_file_specifiers(&ctx, t[i].in, &o), 0);
                ck_assert_str_eq(o, t[i].out);
        }
        char *o = NULL;
        ck_assert_int_eq(unit_file_specifiers(&ctx, "%z", &o), -EBADMSG);
        ck_assert_int_eq(unit_file_specifiers(&ctx, "50%", &o), -EBADMSG);
        ck_assert_int_eq(unit_file_specifiers(&ctx, "%b", &o), -ENOENT);
        ck_assert_int_eq(unit_file_specifiers(&ctx, "%a", &o), -ENOENT);
        ck_assert_ptr_null(o);
        UnitFileContext dashed = { .unit = "a-b-c.service" };
        ck_assert_int_eq(unit_file_specifiers(&dashed, "%j %J %P %f", &o), 0);
        ck_assert_str_eq(o, "c c a/b/c /a/b/c");
        free(o);
}
END_TEST

START_TEST(test_value_parsers) {
        uint64_t v, soft, hard;
        ck_assert_int_eq(unit_file_parse_size("1K", 0, &v), 0);
        ck_assert_uint_eq(v, 1024);
        ck_assert_int_eq(unit_file_parse_size("512", 0, &v), 0);
        ck_assert_uint_eq(v, 512);
        ck_assert_int_eq(unit_file_parse_size("0.5M", 0, &v), 0);
        ck_assert_uint_eq(v, 512 * 1024);
        ck_assert_int_eq(unit_file_parse_size("1.5", 0, &v), -EINVAL);
        ck_assert_int_eq(unit_file_parse_size("16E", 0, &v), -ERANGE);
        ck_assert_int_eq(unit_file_parse_size("10%", 0, &v), -ENOENT);
        ck_assert_int_eq(unit_file_parse_size("101%", 1000, &v), -ERANGE);
        ck_assert_int_eq(unit_file_parse_size("1X", 0, &v), -EINVAL);
        ck_assert_int_eq(unit_file_parse_rlimit("5:3", &soft, &hard), -EINVAL);
        ck_assert_int_eq(unit_file_parse_rlimit("3:infinity", &soft, &hard), 0);
        ck_assert_uint_eq(soft, 3);
        ck_assert_uint_eq(hard, UINT64_MAX);
        int32_t sig;
        ck_assert_int_eq(unit_file_parse_signal("TERM", &sig), 0);
        ck_assert_int_eq(sig, 15);
        ck_assert_int_eq(unit_file_parse_signal("9", &sig), 0);
        ck_assert_int_eq(sig, 9);
        ck_assert_int_eq(unit_file_parse_signal("SIGNOPE", &sig), -EINVAL);
        ck_assert_int_eq(unit_file_capability_from_name("CAP_CHECKPOINT_RESTORE"), 40);
        ck_assert_int_eq(unit_file_capability_from_name("NET_ADMIN"), -EINVAL);
}
END_TEST

/* ---- the reader under a root ---- */

static void put(const char *root, const char *path, const char *text) {
        char p[4096], cmd[8192];
        snprintf(p, sizeof p, "%s%s", root, path);
        snprintf(cmd, sizeof cmd, "mkdir -p \"$(dirname '%s')\"", p);
        ck_assert_int_eq(system(cmd), 0);
        FILE *f = fopen(p, "we");
        ck_assert_ptr_nonnull(f);
        fputs(text, f);
        ck_assert_int_eq(fclose(f), 0);
}

static char *make_root(void) {
        char *t = strdup("/tmp/test-unit-file-XXXXXX");
        ck_assert_ptr_nonnull(mkdtemp(t));
        return t;
}

static void remove_root(char *root) {
        char cmd[4200];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
        ck_assert_int_eq(system(cmd), 0);
        free(root);
}

START_TEST(test_dropin_order_and_override) {
        char *root = make_root();
        UnitRoot r;
        ck_assert_int_eq(unit_root_open(root, &r), 0);
        put(root, "/usr/lib/systemd/system/web@.service",
            "[Service]\nExecStart=/usr/bin/web\nEnvironment=A=template\nLimitNOFILE=100\n");
        /* The instance's own file elsewhere would win; here only the template has one. */
        put(root, "/usr/lib/systemd/system/web@.service.d/10-base.conf",
            "[Service]\nEnvironment=B=lib\nUser=lib\n");
        put(root, "/etc/systemd/system/web@.service.d/10-base.conf", "[Service]\nEnvironment=B=etc\n");
        put(root, "/etc/systemd/system/web@x.service.d/20-inst.conf",
            "[Service]\nLimitNOFILE=200\nUser=%i\n");
        put(root, "/run/systemd/system/web@x.service.d/05-early.conf", "[Service]\nLimitNOFILE=50\n");
        put(root, "/usr/lib/systemd/system/service.d/99-all.conf",
            "[Service]\nEnvironment=\nEnvironment=Z=all\n");
        put(root, "/usr/lib/systemd/system/web-.service.d/00-not-mine.conf", "[Service]\nUser=dash\n");
        put(root, "/etc/systemd/system/web@x.service.d/README", "not a drop-in");
        char masked[4096];
        snprintf(masked, sizeof masked, "%s/etc/systemd/system/service.d", root);
        ck_assert_int_eq(mkdir(masked, 0755), 0);
        strcat(masked, "/30-masked.conf");
        put(root, "/usr/lib/systemd/system/service.d/30-masked.conf", "[Service]\nUser=masked\n");
        ck_assert_int_eq(symlink("/dev/null", masked), 0);

        _cleanup_(unit_load_done) UnitLoad u = {};
        _cleanup_free_ char *error = NULL;
        ck_assert_int_eq(unit_load_name(&r, "web@x.service", &ctx, &u, &error), 0);
        ck_assert_str_eq(u.name, "web@x.service");
        ck_assert_str_eq(u.path, "/usr/lib/systemd/system/web@.service");
        ck_assert_uint_eq(strv_length(u.dropins), 4);
        ck_assert_str_eq(u.dropins[0], "/run/systemd/system/web@x.service.d/05-early.conf");
        ck_assert_str_eq(u.dropins[1], "/etc/systemd/system/web@.service.d/10-base.conf");
        ck_assert_str_eq(u.dropins[2], "/etc/systemd/system/web@x.service.d/20-inst.conf");
        ck_assert_str_eq(u.dropins[3], "/usr/lib/systemd/system/service.d/99-all.conf");
        ck_assert_uint_eq(u.settings.limit_nofile, 200);
        ck_assert_str_eq(u.settings.user, "x");
        ck_assert_uint_eq(strv_length(u.settings.environment), 1);
        ck_assert_str_eq(u.settings.environment[0], "Z=all");

        /* A unit file of its own beats the template's anywhere in the path; a masked one is
         * masked. */
        put(root, "/usr/lib/systemd/system/web@y.service", "[Service]\nExecStart=/usr/bin/y\n");
        _cleanup_(unit_load_done) UnitLoad y = {};
        ck_assert_int_eq(unit_load_name(&r, "web@y.service", &ctx, &y, &error), 0);
        ck_assert_str_eq(y.settings.exec_start_path, "/usr/bin/y");
        char link[4096];
        snprintf(link, sizeof link, "%s/etc/systemd/system/web@y.service", root);
        ck_assert_int_eq(symlink("/dev/null", link), 0);
        _cleanup_(unit_load_done) UnitLoad m = {};
        ck_assert_int_eq(unit_load_name(&r, "web@y.service", &ctx, &m, &error), 0);
        ck_assert(m.masked);
        UnitLoad none = {};
        ck_assert_int_eq(unit_load_name(&r, "nope.service", &ctx, &none, &error), -ENOENT);
        ck_assert_int_eq(unit_load_name(&r, "../x.service", &ctx, &none, &error), -EINVAL);
        unit_root_done(&r);
        remove_root(root);
}
END_TEST

START_TEST(test_file_exec_and_env_under_root) {
        char *root = make_root();
        UnitRoot r;
        ck_assert_int_eq(unit_root_open(root, &r), 0);
        char file[4096], dropin[4096];
        snprintf(file, sizeof file, "%s/work/app.service", root);
        snprintf(dropin, sizeof dropin, "%s/work/app.service.d/override.conf", root);
        put(root, "/work/app.service",
            "[Service]\nExecStart=app "
            "--serve\nEnvironmentFile=/etc/app.env\nEnvironmentFile=-/etc/gone.env\n"
            "EnvironmentFile=/etc/missing.env\n");
        put(root, "/work/app.service.d/override.conf", "[Service]\nEnvironment=GOGC=50\n");
        put(root, "/etc/app.env", "GOMEMLIMIT=100MiB\n");
        put(root, "/usr/bin/app", "#!/bin/sh\n");
        char exe[4096];
        snprintf(exe, sizeof exe, "%s/usr/bin/app", root);
        ck_assert_int_eq(chmod(exe, 0755), 0);
        /* An absolute link inside the root resolves inside it, not on this host. */
        char link[4096];
        snprintf(link, sizeof link, "%s/usr/sbin", root);
        ck_assert_int_eq(mkdir(link, 0755), 0);
        strcat(link, "/etc-link");
        ck_assert_int_eq(symlink("/etc", link), 0);

        _cleanup_(unit_load_done) UnitLoad u = {};
        _cleanup_free_ char *error = NULL, *path = NULL;
        ck_assert_int_eq(unit_load_file(file, &ctx, &u, &error), 0);
        ck_assert_str_eq(u.name, "app.service");
        ck_assert_uint_eq(strv_length(u.dropins), 1);
        ck_assert_str_eq(u.dropins[0], dropin);
        ck_assert_str_eq(u.settings.environment[0], "GOGC=50");
        char masked[4096];
        snprintf(masked, sizeof masked, "%s/work/masked.service", root);
        ck_assert_int_eq(symlink("/dev/null", masked), 0);
        _cleanup_(unit_load_done) UnitLoad m = {};
        ck_assert_int_eq(unit_load_file(masked, &ctx, &m, &error), 0);
        ck_assert(m.masked);
        ck_assert_ptr_null(m.settings.exec_start_path);
        int fd = unit_load_open_exec(&r, &u.settings, &path);
        ck_assert_int_ge(fd, 0);
        close(fd);
        ck_assert_str_eq(path, "/usr/bin/app");
        _cleanup_(strv_freep) char **env = NULL, **missing = NULL;
        ck_assert_int_eq(unit_load_env_files(&r, &u.settings, &env, &missing), 0);
        ck_assert_uint_eq(strv_length(env), 1);
        ck_assert_str_eq(env[0], "GOMEMLIMIT=100MiB");
        ck_assert_uint_eq(strv_length(missing), 1);
        ck_assert_str_eq(missing[0], "/etc/missing.env: No such file or directory");
        _cleanup_free_ char *text = NULL;
        size_t n;
        ck_assert_int_eq(unit_root_read_file(&r, "/usr/sbin/etc-link/app.env", 1024, &text, &n), 0);
        ck_assert_str_eq(text, "GOMEMLIMIT=100MiB\n");
        _cleanup_free_ char *text2 = NULL;
        ck_assert_int_eq(unit_root_read_file(&r, "/../../etc/app.env", 1024, &text2, &n), 0);
        ck_assert_str_eq(text2, "GOMEMLIMIT=100MiB\n");
        ck_assert_int_eq(unit_root_read_file(&r, "/etc/app.env", 4, &text2, &n), -E2BIG);

        /* Not executable: passed over in the search path, refused by its absolute path, as
         * systemd does. */
        ck_assert_int_eq(chmod(exe, 0644), 0);
        char *p2 = NULL;
        ck_assert_int_eq(unit_load_open_exec(&r, &u.settings, &p2), -ENOENT);
        free(u.settings.exec_start_path);
        u.settings.exec_start_path = strdup("/usr/bin/app");
        ck_assert_int_eq(unit_load_open_exec(&r, &u.settings, &p2), -EACCES);
        ck_assert_ptr_null(p2);
        /* RootDirectory= moves the program's root inside ours. */
        free(u.settings.root_directory);
        u.settings.root_directory = strdup("/srv/chroot");
        put(root, "/srv/chroot/usr/bin/app", "");
        snprintf(exe, sizeof exe, "%s/srv/chroot/usr/bin/app", root);
        ck_assert_int_eq(chmod(exe, 0755), 0);
        fd = unit_load_open_exec(&r, &u.settings, &p2);
        ck_assert_int_ge(fd, 0);
        close(fd);
        free(p2);
        unit_root_done(&r);
        remove_root(root);
}
END_TEST

START_TEST(test_manager_defaults) {
        char *root = make_root();
        UnitRoot r;
        ck_assert_int_eq(unit_root_open(root, &r), 0);
        put(root, "/etc/systemd/system.conf",
            "[Manager]\nDefaultLimitNOFILE=2048:8192\nDefaultTasksMax=50%\nDefaultOOMPolicy=bogus\n"
            "[Service]\nLimitNOFILE=1\n");
        put(root, "/usr/lib/systemd/system.conf.d/10-oom.conf", "[Manager]\nDefaultOOMPolicy=kill\n");
        put(root, "/etc/systemd/system.conf.d/20-start.conf", "[Manager]\nDefaultTimeoutStartSec=5s\n");
        _cleanup_(unit_load_done) UnitLoad m = {};
        _cleanup_free_ char *error = NULL;
        ck_assert_int_eq(unit_load_manager(&r, &ctx, &m, &error), 0);
        ck_assert_uint_eq(strv_length(m.warnings), 1);
        ck_assert_str_eq(m.warnings[0],
                         "/etc/systemd/system.conf:4: Unknown DefaultOOMPolicy= value 'bogus', ignoring");
        ck_assert_uint_eq(strv_length(m.dropins), 2);
        ck_assert_uint_eq(m.settings.limit_nofile, 8192);
        ck_assert_uint_eq(m.settings.tasks_max, 5000);

        UnitFileContext c = ctx;
        c.defaults = &m.settings;
        _cleanup_(unit_settings_done) UnitSettings s;
        ck_assert_int_eq(unit_file_settings_init_ctx(&s, &c), 0);
        ck_assert_uint_eq(s.limit_nofile_soft, 2048);
        ck_assert_str_eq(s.oom_policy, "kill");
        ck_assert_uint_eq(s.timeout_start_usec, 5000000);
        /* A unit's empty assignment puts the manager's default back; [Manager] in a unit is not
         * the manager's. */
        const char *t = "[Service]\nLimitNOFILE=10\nLimitNOFILE=\n[Manager]\nDefaultTasksMax=1\n";
        ck_assert_int_eq(unit_file_parse(&s, &c, t, strlen(t), NULL, NULL), 0);
        ck_assert_uint_eq(s.limit_nofile, 8192);
        ck_assert_uint_eq(s.tasks_max, 5000);
        unit_root_done(&r);
        remove_root(root);
}
END_TEST

static Suite *unit_file_suite(void) {
        Suite *s = suite_create("unit-file");
        TCase *tc = tcase_create("core");
        tcase_add_test(tc, test_defaults);
        tcase_add_test(tc, test_values);
        tcase_add_test(tc, test_exec_prefixes);
        tcase_add_test(tc, test_exec_start_first_and_reset);
        tcase_add_test(tc, test_quoting_and_environment);
        tcase_add_test(tc, test_empty_resets_lists);
        tcase_add_test(tc, test_continuations_and_comments);
        tcase_add_test(tc, test_errors);
        tcase_add_test(tc, test_specifiers);
        tcase_add_test(tc, test_value_parsers);
        tcase_add_test(tc, test_dropin_order_and_override);
        tcase_add_test(tc, test_file_exec_and_env_under_root);
        tcase_add_test(tc, test_manager_defaults);
        suite_add_tcase(s, tc);
        return s;
}

DEFINE_TEST_MAIN(unit_file_suite)
