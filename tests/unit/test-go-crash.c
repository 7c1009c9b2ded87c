/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The Go crash assembler over the runtime's real output (go1.19.8, tests/go/services/crasher),
 * line by line as journald stores a stream, and all at once as one entry. */
#include <stdio.h>
#include <string.h>

#include "go-crash.h"
#include "test-util.h"

#define PANIC_TRACE                                                                                         \
        "panic: crashlib: empty configuration\n"                                                            \
        "\n"                                                                                                \
        "goroutine 1 [running]:\n"                                                                          \
        "example.com/crashlib/config.Parse({0x0?, 0xe?})\n"                                                 \
        "\t/build/services/crashlib/config/config.go:13 +0x138\n"                                           \
        "main.main()\n"                                                                                     \
        "\t/build/services/crasher/main.go:65 +0x27e\n"

#define MAPWRITES_TRACE                                                                                     \
        "fatal error: concurrent map writes\n"                                                              \
        "\n"                                                                                                \
        "goroutine 8 [running]:\n"                                                                          \
        "main.mapWrites.func1(0x3)\n"                                                                       \
        "\t/build/services/crasher/main.go:42 +0x5d\n"                                                      \
        "created by main.mapWrites\n"                                                                       \
        "\t/build/services/crasher/main.go:40 +0x34\n"                                                      \
        "\n"                                                                                                \
        "goroutine 1 [select (no cases)]:\n"                                                                \
        "main.mapWrites()\n"                                                                                \
        "\t/build/services/crasher/main.go:46 +0xd2\n"                                                      \
        "main.main()\n"                                                                                     \
        "\t/build/services/crasher/main.go:67 +0x385\n"

#define FAULT_TRACE                                                                                         \
        "unexpected fault address 0xdeadbeef\n"                                                             \
        "fatal error: fault\n"                                                                              \
        "[signal SIGSEGV: segmentation violation code=0x1 addr=0xdeadbeef pc=0x4904ff]\n"                   \
        "\n"                                                                                                \
        "goroutine 1 [running]:\n"                                                                          \
        "runtime.throw({0x4aab19?, 0xc000094050?})\n"                                                       \
        "\t/usr/lib/go-1.19/src/runtime/panic.go:1047 +0x5d fp=0xc00009ce28 sp=0xc00009cdf8 pc=0x432a5d\n"  \
        "runtime.sigpanic()\n"                                                                              \
        "\t/usr/lib/go-1.19/src/runtime/signal_unix.go:842 +0x2c5 fp=0xc00009ce78 sp=0xc00009ce28 "         \
        "pc=0x448645\n"                                                                                     \
        "main.fault()\n"                                                                                    \
        "\t/build/services/crasher/main.go:51 +0x1f fp=0xc00009cec0 sp=0xc00009ce78 pc=0x4904ff\n"

#define NIL_TRACE                                                                                           \
        "panic: runtime error: invalid memory address or nil pointer dereference\n"                         \
        "[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x490748]\n"                          \
        "\n"                                                                                                \
        "goroutine 1 [running]:\n"                                                                          \
        "main.(*server).Name(...)\n"                                                                        \
        "\t/build/services/crasher/main.go:34\n"                                                            \
        "main.main()\n"                                                                                     \
        "\t/build/services/crasher/main.go:72 +0x1e8\n"

typedef struct Got {
        GoCrash *c[8];
        size_t n;
} Got;

static int take(void *userdata, GoCrash *c) {
        Got *g = userdata;
        ck_assert_uint_lt(g->n, ELEMENTSOF(g->c));
        g->c[g->n++] = c;
        return 0;
}

static void got_done(Got *g) {
        for (size_t i = 0; i < g->n; i++)
                go_crash_free(g->c[i]);
        *g = (Got){};
}

/* text, one entry per line (split) or as one entry, then a line of the program's own. */
static void feed_text(GoCrashStream *s, Got *g, const char *text, bool split, uint64_t when) {
        if (!split) {
                go_crash_stream_feed(s, text, strlen(text), when, take, g);
                return;
        }
        for (const char *p = text; *p;) {
                size_t n = strcspn(p, "\n");
                ck_assert_int_ge(go_crash_stream_feed(s, p, n, when, take, g), 0);
                p += n + (p[n] == '\n');
        }
}

static void check_panic(const GoCrash *c) {
        ck_assert_int_eq(c->kind, GO_CRASH_PANIC);
        ck_assert_str_eq(c->message, "crashlib: empty configuration");
        ck_assert_uint_eq(c->n_panics, 1);
        ck_assert(!c->recovered);
        ck_assert(c->have_goroutine);
        ck_assert_uint_eq(c->goroutine, 1);
        ck_assert_str_eq(c->goroutine_state, "running");
        ck_assert_uint_eq(c->n_frames, 2);
        ck_assert_uint_eq(c->frames_total, 2);
        ck_assert_str_eq(c->frames[0].function, "example.com/crashlib/config.Parse");
        ck_assert_str_eq(c->frames[0].file, "/build/services/crashlib/config/config.go");
        ck_assert_uint_eq(c->frames[0].line, 13);
        ck_assert_str_eq(c->frames[1].function, "main.main");
        ck_assert_uint_eq(c->frames[1].line, 65);
        ck_assert_ptr_eq(go_crash_first_user_frame(c), &c->frames[0]);
        ck_assert_str_eq(c->text.data, PANIC_TRACE);
        ck_assert_uint_eq(c->lines, 7);
        ck_assert_uint_eq(c->lines_dropped, 0);
        ck_assert(go_crash_is_complete(c));
}

START_TEST(test_panic_lines_and_entry) {
        for (int split = 0; split <= 1; split++) {
                GoCrashStream s = {};
                Got g = {};
                feed_text(&s, &g, PANIC_TRACE, split, 100);
                ck_assert_uint_eq(g.n, 0);
                /* The next line of the program's own closes it. */
                ck_assert_int_eq(go_crash_stream_feed(&s, "crasher: mode panic", 19, 200, take, &g), 1);
                ck_assert_uint_eq(g.n, 1);
                check_panic(g.c[0]);
                ck_assert_int_eq(g.c[0]->end, GO_CRASH_END_LINE);
                ck_assert_uint_eq(g.c[0]->first_at, 100);
                ck_assert_uint_eq(g.c[0]->last_at, 100);
                ck_assert_int_eq(go_crash_stream_flush(&s, GO_CRASH_END_EXIT, take, &g), 0);
                got_done(&g);
                go_crash_stream_done(&s);
        }
}
END_TEST

START_TEST(test_fatal_and_signals) {
        GoCrashStream s = {};
        Got g = {};
        feed_text(&s, &g, MAPWRITES_TRACE, true, 1);
        ck_assert_int_eq(go_crash_stream_flush(&s, GO_CRASH_END_EXIT, take, &g), 1);
        GoCrash *c = g.c[0];
        ck_assert_int_eq(c->kind, GO_CRASH_FATAL_ERROR);
        ck_assert_str_eq(c->message, "concurrent map writes");
        ck_assert_uint_eq(c->goroutine, 8);
        ck_assert_uint_eq(c->n_goroutines, 2);
        ck_assert_uint_eq(c->n_frames, 1); /* the panicking goroutine's only */
        ck_assert_str_eq(c->frames[0].function, "main.mapWrites.func1");
        ck_assert_uint_eq(c->frames[0].line, 42);
        ck_assert_str_eq(c->created_by, "main.mapWrites");
        ck_assert_int_eq(c->end, GO_CRASH_END_EXIT);
        ck_assert(go_crash_is_complete(c));

        /* The runtime's line before the fatal error is its detail; the signal's fields. */
        feed_text(&s, &g, FAULT_TRACE, true, 2);
        ck_assert_int_eq(go_crash_stream_flush(&s, GO_CRASH_END_EXIT, take, &g), 1);
        c = g.c[1];
        ck_assert_int_eq(c->kind, GO_CRASH_FATAL_ERROR);
        ck_assert_str_eq(c->message, "fault");
        ck_assert_str_eq(c->detail, "unexpected fault address 0xdeadbeef");
        ck_assert_str_eq(c->signal, "SIGSEGV");
        ck_assert_str_eq(c->signal_code, "0x1");
        ck_assert_str_eq(c->signal_addr, "0xdeadbeef");
        ck_assert_str_eq(c->signal_pc, "0x4904ff");
        ck_assert_uint_eq(c->n_frames, 3);
        ck_assert_str_eq(c->frames[1].file, "/usr/lib/go-1.19/src/runtime/signal_unix.go");
        ck_assert_str_eq(go_crash_first_user_frame(c)->function, "main.fault");
        ck_assert_uint_eq(go_crash_first_user_frame(c)->line, 51);

        /* A nil dereference is a panic with a signal; an inlined frame has no offset. */
        feed_text(&s, &g, NIL_TRACE, false, 3);
        ck_assert_int_eq(go_crash_stream_flush(&s, GO_CRASH_END_QUIET, take, &g), 1);
        c = g.c[2];
        ck_assert_int_eq(c->kind, GO_CRASH_PANIC);
        ck_assert_str_eq(c->message, "runtime error: invalid memory address or nil pointer dereference");
        ck_assert_str_eq(c->signal, "SIGSEGV");
        ck_assert_str_eq(c->signal_addr, "0x0");
        ck_assert_str_eq(c->frames[0].function, "main.(*server).Name");
        ck_assert_str_eq(c->frames[0].file, "/build/services/crasher/main.go");
        ck_assert_uint_eq(c->frames[0].line, 34);

        /* A fatal signal outside Go code. */
        feed_text(&s, &g,
                  "SIGSEGV: segmentation violation\n"
                  "PC=0x7f3a1c2b4d5e m=0 sigcode=1 addr=0x10\n"
                  "signal arrived during cgo execution\n"
                  "\n"
                  "goroutine 1 [syscall]:\n"
                  "runtime.cgocall(0x4a1b20, 0xc000057f30)\n"
                  "\t/usr/lib/go-1.19/src/runtime/cgocall.go:158 +0x5c fp=0xc000057f08\n"
                  "main._Cfunc_crash()\n"
                  "\t_cgo_gotypes.go:39 +0x49\n",
                  true, 4);
        ck_assert_int_eq(go_crash_stream_flush(&s, GO_CRASH_END_EXIT, take, &g), 1);
        c = g.c[3];
        ck_assert_int_eq(c->kind, GO_CRASH_FATAL_SIGNAL);
        ck_assert_str_eq(c->message, "SIGSEGV: segmentation violation");
        ck_assert_str_eq(c->signal, "SIGSEGV");
        ck_assert_str_eq(c->signal_pc, "0x7f3a1c2b4d5e");
        ck_assert_str_eq(c->signal_addr, "0x10");
        ck_assert_str_eq(go_crash_first_user_frame(c)->function, "main._Cfunc_crash");
        ck_assert_str_eq(go_crash_first_user_frame(c)->file, "_cgo_gotypes.go");
        got_done(&g);
        go_crash_stream_done(&s);
}
END_TEST

START_TEST(test_chains) {
        GoCrashStream s = {};
        Got g = {};
        feed_text(&s, &g,
                  "panic: first [recovered]\n"
                  "\tpanic: second\n"
                  "\n"
                  "goroutine 7 [running]:\n"
                  "main.handler.func1()\n"
                  "\t/src/main.go:20 +0x44\n",
                  true, 1);
        ck_assert_int_eq(go_crash_stream_flush(&s, GO_CRASH_END_EXIT, take, &g), 1);
        ck_assert_str_eq(g.c[0]->message, "second");
        ck_assert_str_eq(g.c[0]->first_value, "first");
        ck_assert_uint_eq(g.c[0]->n_panics, 2);
        ck_assert(g.c[0]->recovered);
        ck_assert_uint_eq(g.c[0]->goroutine, 7);

        /* Go 1.25's re-panic; and "panic: ... goroutine N [running]:" in one line. */
        feed_text(&s, &g,
                  "panic: boom [recovered, repanicked] goroutine 1 [running]:\n"
                  "main.main()\n"
                  "\t/src/main.go:9 +0x1d\n",
                  false, 2);
        ck_assert_int_eq(go_crash_stream_flush(&s, GO_CRASH_END_EXIT, take, &g), 1);
        ck_assert_str_eq(g.c[1]->message, "boom");
        ck_assert(g.c[1]->recovered);
        ck_assert_uint_eq(g.c[1]->n_panics, 1);
        ck_assert_uint_eq(g.c[1]->goroutine, 1);
        ck_assert_str_eq(g.c[1]->frames[0].function, "main.main");
        ck_assert_uint_eq(g.c[1]->frames[0].line, 9);

        /* GOTRACEBACK=system's extra header tokens; a panic while panicking is fatal. */
        feed_text(&s, &g,
                  "panic: inner\n"
                  "fatal error: panic while printing panic value\n"
                  "goroutine 1 gp=0xc000002380 m=0 mp=0x55a880 [running]:\n"
                  "main.main()\n"
                  "\t/src/main.go:9 +0x1d\n",
                  true, 3);
        ck_assert_int_eq(go_crash_stream_flush(&s, GO_CRASH_END_EXIT, take, &g), 1);
        ck_assert_int_eq(g.c[2]->kind, GO_CRASH_FATAL_ERROR);
        ck_assert_str_eq(g.c[2]->message, "panic while printing panic value");
        ck_assert_str_eq(g.c[2]->detail, "inner");
        ck_assert_str_eq(g.c[2]->goroutine_state, "running");
        got_done(&g);
        go_crash_stream_done(&s);
}
END_TEST

START_TEST(test_cut_and_interleaved) {
        GoCrashStream s = {};
        Got g = {};
        /* Cut short by a restart: the header and the goroutine line only. */
        feed_text(&s, &g, "panic: boom\n\ngoroutine 1 [running]:\n", true, 1);
        ck_assert_int_eq(go_crash_stream_flush(&s, GO_CRASH_END_INVOCATION, take, &g), 1);
        ck_assert_str_eq(g.c[0]->message, "boom");
        ck_assert_uint_eq(g.c[0]->n_frames, 0);
        ck_assert(!go_crash_is_complete(g.c[0]));
        ck_assert_str_eq(go_crash_end_to_string(g.c[0]->end), "a new invocation");

        /* Another goroutine's log line in the middle: what came before it, as it is. */
        feed_text(&s, &g,
                  "panic: boom\n\ngoroutine 1 [running]:\nmain.main()\n"
                  "2026/12/05 06:00:00 worker: still going\n"
                  "\t/src/main.go:9 +0x1d\n",
                  true, 2);
        ck_assert_uint_eq(g.n, 2);
        ck_assert_int_eq(g.c[1]->end, GO_CRASH_END_LINE);
        ck_assert_uint_eq(g.c[1]->n_frames, 1);
        ck_assert_ptr_null(g.c[1]->frames[0].file);
        ck_assert(!go_crash_is_complete(g.c[1]));
        /* The frame's file line after the break starts nothing. */
        ck_assert_int_eq(go_crash_stream_flush(&s, GO_CRASH_END_EXIT, take, &g), 0);

        /* A second panic right after the first's goroutine: two records. */
        feed_text(&s, &g, PANIC_TRACE PANIC_TRACE, true, 3);
        ck_assert_int_eq(go_crash_stream_flush(&s, GO_CRASH_END_EXIT, take, &g), 1);
        ck_assert_uint_eq(g.n, 4);
        check_panic(g.c[2]);
        ck_assert_int_eq(g.c[2]->end, GO_CRASH_END_NEXT);
        check_panic(g.c[3]);
        got_done(&g);
        go_crash_stream_done(&s);
}
END_TEST

START_TEST(test_caps) {
        GoCrashStream s = {};
        Got g = {};
        feed_text(&s, &g, "panic: deep\n\ngoroutine 1 [running]:", true, 1);
        char line[128];
        for (int i = 0; i < 500; i++) {
                snprintf(line, sizeof line, "main.recurse(0x%x)", i);
                ck_assert_int_eq(go_crash_stream_feed(&s, line, strlen(line), 1, take, &g), 0);
                snprintf(line, sizeof line, "\t/src/main.go:%d +0x1d", i + 1);
                ck_assert_int_eq(go_crash_stream_feed(&s, line, strlen(line), 1, take, &g), 0);
        }
        ck_assert_int_eq(go_crash_stream_feed(&s, "...additional frames elided...", 30, 1, take, &g), 0);
        ck_assert_int_eq(go_crash_stream_flush(&s, GO_CRASH_END_EXIT, take, &g), 1);
        GoCrash *c = g.c[0];
        ck_assert_uint_eq(c->n_frames, GO_CRASH_FRAMES_MAX);
        ck_assert_uint_eq(c->frames_total, 500);
        ck_assert(c->frames_elided);
        ck_assert_uint_eq(c->frames[GO_CRASH_FRAMES_MAX - 1].line, GO_CRASH_FRAMES_MAX);
        ck_assert_uint_le(c->text.len, GO_CRASH_TEXT_MAX);
        ck_assert_uint_eq(c->lines, 1004);
        ck_assert_uint_gt(c->lines_dropped, 800);
        /* Whole lines only: every line kept ends in its newline. */
        size_t newlines = 0;
        for (size_t i = 0; i < c->text.len; i++)
                newlines += c->text.data[i] == '\n';
        ck_assert_uint_eq(newlines, c->lines - c->lines_dropped);
        ck_assert_int_eq(c->text.data[c->text.len - 1], '\n');
        got_done(&g);
        go_crash_stream_done(&s);
}
END_TEST

START_TEST(test_line_shapes) {
        ck_assert(go_crash_line_wanted("panic: x", 8));
        ck_assert(go_crash_line_wanted("fatal error: concurrent map writes", 34));
        ck_assert(go_crash_line_wanted("goroutine 1 [running]:", 22));
        ck_assert(go_crash_line_wanted("\t/src/main.go:9 +0x1d", 21));
        ck_assert(go_crash_line_wanted("main.main()", 11));
        ck_assert(go_crash_line_wanted("", 0));
        ck_assert(go_crash_line_wanted("SIGBUS: bus error", 17));
        ck_assert(go_crash_line_wanted("rax    0x0", 10));
        ck_assert(go_crash_line_wanted("panic: x\nmore", 13));
        ck_assert(!go_crash_line_wanted("2026/12/05 06:00:00 worker (id 3)", 33));
        ck_assert(!go_crash_line_wanted("listening on 127.0.0.1:8080", 27));
        ck_assert(!go_crash_line_wanted("goroutine leak suspected", 24));
        ck_assert(!go_crash_line_wanted("SIGTERM received", 16));
        ck_assert(!go_crash_line_wanted("hello(world)", 12));
}
END_TEST

START_TEST(test_packages_and_modules) {
        static const struct {
                const char *function, *package;
        } cases[] = {
                { "example.com/crashlib/config.Parse", "example.com/crashlib/config" },
                { "example.com/lib.(*T).Do", "example.com/lib" },
                { "main.main.func1", "main" },
                { "gopkg.in/yaml%2ev3.Unmarshal", "gopkg.in/yaml.v3" },
                { "runtime.throw", "runtime" },
        };
        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                _cleanup_free_ char *p = NULL;
                ck_assert_int_eq(go_function_package(cases[i].function, &p), 0);
                ck_assert_str_eq(p, cases[i].package);
        }
        char *p = NULL;
        ck_assert_int_eq(go_function_package("panic", &p), -EINVAL);
        ck_assert_int_eq(go_function_package("example.com/.x", &p), -EINVAL);
        ck_assert(go_function_is_runtime("runtime.mapassign_faststr"));
        ck_assert(go_function_is_runtime("internal/runtime/maps.fatal"));
        ck_assert(go_function_is_runtime("panic"));
        ck_assert(!go_function_is_runtime("runtimex.F"));
        ck_assert(!go_function_is_runtime("main.main"));

        const char *text = "path\tgoguard.test/services/crasher\n"
                           "mod\tgoguard.test/services\t(devel)\t\n"
                           "dep\texample.com/crashlib\tv1.4.2\n"
                           "=>\t./crashlib\t(devel)\t\n"
                           "dep\texample.com/crashlib/config\tv0.1.0\th1:x=\n"
                           "dep\texample.com/crash\tv9.9.9\th1:y=\n";
        _cleanup_(go_modinfo_freep) GoModInfo *mi = NULL;
        ck_assert_int_eq(go_modinfo_parse(text, strlen(text), &mi, NULL), 0);
        ck_assert_str_eq(go_modinfo_module_of(mi, "main")->path, "goguard.test/services");
        ck_assert_str_eq(go_modinfo_module_of(mi, "example.com/crashlib")->version, "v1.4.2");
        ck_assert_str_eq(go_modinfo_module_of(mi, "example.com/crashlib/config")->version, "v0.1.0");
        ck_assert_str_eq(go_modinfo_module_of(mi, "example.com/crashlib/other")->version, "v1.4.2");
        ck_assert_str_eq(go_modinfo_module_of(mi, "goguard.test/services/util")->path,
                         "goguard.test/services");
        ck_assert_ptr_null(go_modinfo_module_of(mi, "example.com/crashlibx"));
        ck_assert_ptr_null(go_modinfo_module_of(mi, "fmt"));
        ck_assert_ptr_null(go_modinfo_module_of(NULL, "main"));
}
END_TEST

static Suite *go_crash_suite(void) {
        Suite *s = suite_create("go-crash");
        TCase *tc = tcase_create("core");
        tcase_add_test(tc, test_panic_lines_and_entry);
        tcase_add_test(tc, test_fatal_and_signals);
        tcase_add_test(tc, test_chains);
        tcase_add_test(tc, test_cut_and_interleaved);
        tcase_add_test(tc, test_caps);
        tcase_add_test(tc, test_line_shapes);
        tcase_add_test(tc, test_packages_and_modules);
        suite_add_tcase(s, tc);
        return s;
}

DEFINE_TEST_MAIN(go_crash_suite)
