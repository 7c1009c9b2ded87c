/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <string.h>

#include "fuzz-util.h"
#include "go-exe-json.h"

/* Running out of budget is reported as that and nothing else: a shorter budget gives the same
 * answer, or -EDQUOT, never another error or another verdict. */
static void check_budgets(int fd, int full, const GoExe *x) {
        static const uint64_t budgets[] = { 64, 1024, 16384 };
        for (size_t i = 0; i < sizeof budgets / sizeof budgets[0]; i++) {
                ElfBudget b = { .bytes = budgets[i] };
                GoExe *y = NULL;
                int r = go_exe_inspect_fd(fd, GO_EXE_ALL_FACTS, &b, &y);
                FUZZ_CHECK(r == full || r == -EDQUOT);
                if (r == 0)
                        FUZZ_CHECK(y->is_go == x->is_go && y->evidence == x->evidence &&
                                   y->signal_notify == x->signal_notify &&
                                   y->signal_ignore == x->signal_ignore);
                go_exe_free(y);
        }
}

/* Bytes -> file -> go_exe_inspect_fd(), the top of the inspector, and both of its outputs. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        _cleanup_close_ int fd = fuzz_memfd(data, size);
        _cleanup_(go_exe_freep) GoExe *x = NULL;

        if (fd < 0)
                return 0;
        int r = go_exe_inspect_fd(fd, GO_EXE_ALL_FACTS, NULL, &x);
        FUZZ_CHECK(r != -EDQUOT && r != -ETIME); /* a small file is within the default budget */
        check_budgets(fd, r, x);
        if (r < 0)
                return 0;
        FUZZ_CHECK(x->is_go || x->not_go_reason);
        FUZZ_CHECK(!x->modinfo || !x->modinfo_error);
        FUZZ_CHECK(x->signal_notify >= -1 && x->signal_notify <= 1 && x->signal_ignore >= -1 &&
                   x->signal_ignore <= 1);
        FUZZ_CHECK(x->is_go || x->signal_notify == -1);

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
