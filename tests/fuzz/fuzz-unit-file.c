/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <string.h>

#include "fuzz-util.h"
#include "strv.h"
#include "unit-file.h"

static const UnitFileContext ctx = {
        .unit = "fuzz@a\\x2db-c.service",
        .path = "/etc/systemd/system/fuzz@.service",
        .hostname = "fuzz.example",
        .machine_id = "0123456789abcdef0123456789abcdef",
        .physical_memory = 1ull << 33,
        .tasks_max_base = 4194303,
};

/* Any bytes as a unit file, applied twice (a drop-in on top of the main file): a clean error or
 * settings within the caps, whatever the text. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        UnitSettings s;
        char **w = NULL;
        unsigned line = 0;

        if (unit_file_settings_init(&s, ctx.tasks_max_base) < 0)
                return 0;
        for (int pass = 0; pass < 2; pass++) {
                int r = unit_file_parse(&s, &ctx, (const char *) data, size, &w, &line);
                FUZZ_CHECK(r == 0 || r == -EBADMSG || r == -E2BIG || r == -ENOMEM);
                if (r == -EBADMSG)
                        FUZZ_CHECK(line >= 1);
        }
        FUZZ_CHECK(strv_length(w) <= UNIT_FILE_WARNINGS_MAX);
        FUZZ_CHECK(strv_length(s.environment) <= UNIT_FILE_LIST_MAX);
        FUZZ_CHECK(s.n_environment_files <= UNIT_FILE_LIST_MAX);
        for (char **e = s.environment; e && *e; e++)
                FUZZ_CHECK(strchr(*e, '=') && **e != '=');
        for (size_t i = 0; i < s.n_environment_files; i++)
                FUZZ_CHECK(s.environment_files[i].path[0] == '/');
        if (s.exec_start_path)
                FUZZ_CHECK(s.exec_start_path[0] == '/' || !strchr(s.exec_start_path, '/'));
        FUZZ_CHECK(strv_length(s.bind_paths) % 2 == 0);
        FUZZ_CHECK(s.type && s.restart && s.kill_mode && s.oom_policy);
        strv_free(w);
        unit_settings_done(&s);

        /* The same bytes as one value: words and specifiers. */
        char *text = strndup((const char *) data, size);
        if (!text)
                return 0;
        const char *p = text;
        char *word = NULL;
        for (int n = 0; n < 1024 && unit_file_next_word(&p, true, &word) > 0; n++)
                word = mfree(word);
        if (unit_file_specifiers(&ctx, text, &word) == 0)
                free(word);
        char *path = NULL, **argv = NULL;
        if (unit_file_exec_command(text, &path, &argv) == 0) {
                FUZZ_CHECK(path && argv && argv[0]);
                FUZZ_CHECK(strv_length(argv) <= UNIT_FILE_LIST_MAX);
                free(path);
                strv_free(argv);
        }
        free(text);
        return 0;
}
