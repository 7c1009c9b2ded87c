/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <string.h>

#include "fuzz-util.h"
#include "go-modinfo.h"

static char *format(const GoModInfo *mi, size_t *ret_len) {
        StrBuf b = {};
        char *s;
        go_modinfo_format(mi, &b);
        FUZZ_CHECK(strbuf_steal(&b, &s, ret_len) == 0);
        return s;
}

/* Bytes -> go_modinfo_parse(); what parses must format to text that parses back to the same
 * text: format(parse(format(parse(x)))) == format(parse(x)). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        _cleanup_(go_modinfo_freep) GoModInfo *mi = NULL, *again = NULL;
        GoModInfoError e = {};
        size_t len1, len2;

        int r = go_modinfo_parse((const char *) data, size, &mi, &e);
        if (r == -EBADMSG) {
                size_t lines = 1;
                for (size_t i = 0; i < size; i++)
                        lines += data[i] == '\n';
                FUZZ_CHECK(e.reason && *e.reason);
                FUZZ_CHECK(e.line >= 1 && e.line <= lines);
                FUZZ_CHECK(!mi);
                return 0;
        }
        if (r < 0)
                return 0;
        FUZZ_CHECK(mi);

        _cleanup_free_ char *text = format(mi, &len1);
        FUZZ_CHECK(strlen(text) == len1);
        r = go_modinfo_parse(text, len1, &again, &e);
        if (r != 0)
                fprintf(stderr, "formatted text does not parse (%d, line %zu: %s):\n%s\n", r, e.line,
                        e.reason ?: "", text);
        FUZZ_CHECK(r == 0);
        _cleanup_free_ char *text2 = format(again, &len2);
        if (len1 != len2 || memcmp(text, text2, len1) != 0)
                fprintf(stderr, "format is not stable:\n--- first\n%s--- second\n%s", text, text2);
        FUZZ_CHECK(len1 == len2 && memcmp(text, text2, len1) == 0);
        FUZZ_CHECK(mi->n_deps == again->n_deps && mi->n_settings == again->n_settings);
        for (size_t i = 0; i < mi->n_settings; i++) {
                FUZZ_CHECK(strcmp(mi->settings[i].key, again->settings[i].key) == 0);
                FUZZ_CHECK(strcmp(mi->settings[i].value, again->settings[i].value) == 0);
                FUZZ_CHECK(go_modinfo_setting(mi, mi->settings[i].key));
        }
        return 0;
}
