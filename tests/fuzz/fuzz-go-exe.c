/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>

#include "fuzz-util.h"
#include "go-exe-json.h"

/* Bytes -> file -> go_exe_inspect_fd(), the top of the inspector, and both of its outputs. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        _cleanup_close_ int fd = fuzz_memfd(data, size);
        _cleanup_(go_exe_freep) GoExe *x = NULL;

        if (fd < 0 || go_exe_inspect_fd(fd, GO_EXE_ALL_FACTS, &x) < 0)
                return 0;
        FUZZ_CHECK(x->is_go || x->not_go_reason);
        FUZZ_CHECK(!x->modinfo || !x->modinfo_error);

        StrBuf out = {};
        JsonWriter w = { .out = &out };
        json_begin_object(&w);
        go_exe_to_json(x, true, &w);
        json_end_object(&w);
        FUZZ_CHECK(strbuf_error(&out) == 0);
        FUZZ_CHECK(w.depth == 0);
        FUZZ_CHECK(out.len == strlen(out.data)); /* no raw NUL can reach the JSON */
        strbuf_done(&out);

        go_exe_format_modinfo(x, &out);
        FUZZ_CHECK(strbuf_error(&out) == 0);
        strbuf_done(&out);
        return 0;
}
