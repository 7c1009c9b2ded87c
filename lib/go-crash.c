/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The Go crash assembler (go-crash.h). The line shapes are the runtime's own (src/runtime/panic.go
 * printpanics and dopanic_m, traceback.go goroutineheader and traceback1, signal_unix.go
 * sighandler); see ../shared/reference/go-facts.md, "Crashes". */
#include <stdio.h>
#include <string.h>

#include "go-crash.h"
#include "parse-util.h"

typedef enum LineKind {
        LINE_OTHER,
        LINE_PANIC,     /* panic: V, or "\tpanic: V" in a chain */
        LINE_FATAL,     /* fatal error: M */
        LINE_SIGHEAD,   /* SIGSEGV: segmentation violation */
        LINE_SIGNAL,    /* [signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x48f0b6] */
        LINE_PC,        /* PC=0x46d8a1 m=0 sigcode=1 */
        LINE_GOROUTINE, /* goroutine 1 [running]: */
        LINE_FUNCTION,  /* main.main() */
        LINE_FILE,      /* \t/src/main.go:12 +0x1d */
        LINE_CREATED,   /* created by main.main in goroutine 1 */
        LINE_ELIDED,    /* ...additional frames elided... */
        LINE_BLANK,
        LINE_RUNTIME, /* the runtime's other lines: "runtime: ...", "runtime stack:", registers */
} LineKind;

static bool has_prefix(const char *s, size_t len, const char *p) {
        size_t n = strlen(p);
        return len >= n && memcmp(s, p, n) == 0;
}

static bool is_upper(char c) {
        return c >= 'A' && c <= 'Z';
}

static bool is_digit(char c) {
        return c >= '0' && c <= '9';
}

static bool is_lower_alnum(char c) {
        return (c >= 'a' && c <= 'z') || is_digit(c);
}

/* "goroutine N [STATE]:" with optional tokens between N and '[' (gp=... m=... at
 * GOTRACEBACK=system in newer releases); ret_bracket is where '[' stands. */
static bool goroutine_header(const char *s, size_t len, size_t *ret_bracket) {
        if (!has_prefix(s, len, "goroutine ") || len < STRLEN("goroutine 1 [x]:"))
                return false;
        size_t i = STRLEN("goroutine ");
        if (!is_digit(s[i]))
                return false;
        while (i < len && is_digit(s[i]))
                i++;
        if (i >= len || s[i] != ' ')
                return false;
        const char *b = memchr(s + i, '[', len - i);
        if (!b || s[len - 1] != ':' || s[len - 2] != ']')
                return false;
        *ret_bracket = (size_t) (b - s);
        return true;
}

/* "main.main()", "example.com/lib.(*T).Do(0xc000010000, {0x4b0d3f?, 0x3})", "panic({...})":
 * a name without spaces and with a dot (or the builtin panic), then its arguments to the end. */
static bool function_line(const char *s, size_t len, size_t *ret_name_len) {
        if (len < 3 || s[len - 1] != ')' || s[0] == ' ' || s[0] == '\t')
                return false;
        /* The name ends at the '(' that opens the arguments: the one matching the last ')'. */
        size_t depth = 0, i = len;
        while (i > 0) {
                i--;
                if (s[i] == ')')
                        depth++;
                else if (s[i] == '(' && --depth == 0)
                        break;
        }
        if (depth != 0 || i == 0)
                return false;
        bool dot = false;
        for (size_t k = 0; k < i; k++) {
                if (s[k] == ' ' || s[k] == '\t')
                        return false;
                dot = dot || s[k] == '.';
        }
        if (!dot && !(i == STRLEN("panic") && memcmp(s, "panic", i) == 0))
                return false;
        *ret_name_len = i;
        return true;
}

/* A register of the dump GOTRACEBACK=crash/system prints: "rax    0x0", "eflags 0x246". */
static bool register_line(const char *s, size_t len) {
        size_t i = 0;
        while (i < len && i < 8 && is_lower_alnum(s[i]))
                i++;
        if (i == 0 || i >= len || s[i] != ' ')
                return false;
        while (i < len && s[i] == ' ')
                i++;
        return has_prefix(s + i, len - i, "0x");
}

/* "SIGSEGV: segmentation violation" (src/runtime/sigtab_linux_generic.go). */
static bool signal_header(const char *s, size_t len) {
        if (!has_prefix(s, len, "SIG"))
                return false;
        size_t i = 3;
        while (i < len && (is_upper(s[i]) || is_digit(s[i])))
                i++;
        return i > 3 && i + 2 < len && s[i] == ':' && s[i + 1] == ' ';
}

static LineKind classify(const char *s, size_t len) {
        size_t k;
        if (len == 0)
                return LINE_BLANK;
        switch (s[0]) {
        case 'p':
                return has_prefix(s, len, "panic: ") ? LINE_PANIC
                       : function_line(s, len, &k)   ? LINE_FUNCTION
                                                     : LINE_OTHER;
        case '\t': return has_prefix(s, len, "\tpanic: ") ? LINE_PANIC : LINE_FILE;
        case 'f':
                if (has_prefix(s, len, "fatal error: "))
                        return LINE_FATAL;
                break;
        case 'S':
                if (signal_header(s, len))
                        return LINE_SIGHEAD;
                break;
        case '[':
                if (has_prefix(s, len, "[signal "))
                        return LINE_SIGNAL;
                break;
        case 'P':
                if (has_prefix(s, len, "PC=0x"))
                        return LINE_PC;
                break;
        case 'g':
                if (goroutine_header(s, len, &k))
                        return LINE_GOROUTINE;
                if (has_prefix(s, len, "goroutine running on other thread"))
                        return LINE_RUNTIME;
                break;
        case 'c':
                if (has_prefix(s, len, "created by "))
                        return LINE_CREATED;
                break;
        case '.':
                if (has_prefix(s, len, "...additional frames elided..."))
                        return LINE_ELIDED;
                break;
        case 'r':
                if (has_prefix(s, len, "runtime: ") || has_prefix(s, len, "runtime stack:") ||
                    has_prefix(s, len, "runtime/cgo: "))
                        return LINE_RUNTIME;
                break;
        case 'u':
                if (has_prefix(s, len, "unexpected fault address ") ||
                    has_prefix(s, len, "unexpected return pc "))
                        return LINE_RUNTIME;
                break;
        case 's':
                if (has_prefix(s, len, "signal arrived during cgo execution"))
                        return LINE_RUNTIME;
                break;
        case 'e':
                /* A Go parent's word on its child (os/exec ProcessState.String()). */
                if (has_prefix(s, len, "exit status "))
                        return LINE_RUNTIME;
                break;
        }
        if (function_line(s, len, &k))
                return LINE_FUNCTION;
        if (register_line(s, len))
                return LINE_RUNTIME;
        return LINE_OTHER;
}

static size_t first_line_len(const char *msg, size_t len) {
        const char *nl = memchr(msg, '\n', len);
        size_t n = nl ? (size_t) (nl - msg) : len;
        return n > 0 && msg[n - 1] == '\r' ? n - 1 : n;
}

bool go_crash_line_wanted(const char *msg, size_t len) {
        if (!msg)
                return false;
        return classify(msg, first_line_len(msg, len)) != LINE_OTHER;
}

/* ---- names ---- */

bool go_function_is_runtime(const char *f) {
        if (!f)
                return false;
        return strncmp(f, "runtime.", STRLEN("runtime.")) == 0 ||
               strncmp(f, "internal/runtime/", STRLEN("internal/runtime/")) == 0 ||
               strncmp(f, "runtime/internal/", STRLEN("runtime/internal/")) == 0 || streq(f, "panic");
}

int go_function_package(const char *f, char **ret) {
        if (!f)
                return -EINVAL;
        const char *slash = strrchr(f, '/');
        const char *dot = strchr(slash ? slash + 1 : f, '.');
        if (!dot || dot == f || (slash && dot == slash + 1))
                return -EINVAL;
        size_t n = (size_t) (dot - f);
        char *p = malloc(n + 1);
        if (!p)
                return -ENOMEM;
        /* The linker writes a '.' of the last path element as %2e, so that the first '.' after
         * the last '/' ends the package. */
        size_t o = 0;
        for (size_t i = 0; i < n; i++) {
                if (f[i] == '%' && i + 2 < n && f[i + 1] == '2' && (f[i + 2] == 'e' || f[i + 2] == 'E')) {
                        p[o++] = '.';
                        i += 2;
                } else
                        p[o++] = f[i];
        }
        p[o] = 0;
        *ret = p;
        return 0;
}

static bool module_holds(const GoModule *m, const char *package, size_t *best) {
        if (!go_module_is_set(m) || !m->path)
                return false;
        size_t n = strlen(m->path);
        if (n <= *best || strncmp(package, m->path, n) != 0 || (package[n] != 0 && package[n] != '/'))
                return false;
        *best = n;
        return true;
}

const GoModule *go_modinfo_module_of(const GoModInfo *mi, const char *package) {
        if (!mi || !package)
                return NULL;
        if (streq(package, "main"))
                return go_module_is_set(&mi->main) ? &mi->main : NULL;
        const GoModule *m = NULL;
        size_t best = 0;
        if (module_holds(&mi->main, package, &best))
                m = &mi->main;
        for (size_t i = 0; i < mi->n_deps; i++)
                if (module_holds(&mi->deps[i], package, &best))
                        m = &mi->deps[i];
        return m;
}

/* ---- records ---- */

GoCrash *go_crash_free(GoCrash *c) {
        if (!c)
                return NULL;
        free(c->message);
        free(c->first_value);
        free(c->detail);
        free(c->signal);
        free(c->signal_code);
        free(c->signal_addr);
        free(c->signal_pc);
        free(c->goroutine_state);
        for (size_t i = 0; i < c->n_frames; i++) {
                free(c->frames[i].function);
                free(c->frames[i].file);
        }
        free(c->created_by);
        strbuf_done(&c->text);
        return mfree(c);
}

const char *go_crash_kind_to_string(GoCrashKind k) {
        static const char *const names[_GO_CRASH_KIND_MAX] = {
                [GO_CRASH_PANIC] = "panic",
                [GO_CRASH_FATAL_ERROR] = "fatal error",
                [GO_CRASH_FATAL_SIGNAL] = "fatal signal",
        };
        return k >= 0 && k < _GO_CRASH_KIND_MAX ? names[k] : NULL;
}

const char *go_crash_end_to_string(GoCrashEnd e) {
        static const char *const names[_GO_CRASH_END_MAX] = {
                [GO_CRASH_END_LINE] = "a line that is not part of the trace",
                [GO_CRASH_END_NEXT] = "the next trace",
                [GO_CRASH_END_EXIT] = "the process's exit",
                [GO_CRASH_END_INVOCATION] = "a new invocation",
                [GO_CRASH_END_QUIET] = "no more output",
                [GO_CRASH_END_EVICTED] = "too many traces at once",
                [GO_CRASH_END_INPUT] = "the end of the input",
        };
        return e >= 0 && e < _GO_CRASH_END_MAX ? names[e] : NULL;
}

bool go_crash_is_complete(const GoCrash *c) {
        return c && c->have_goroutine && c->n_frames > 0 && c->frames[0].file &&
               c->end != GO_CRASH_END_INVOCATION && c->end != GO_CRASH_END_EVICTED;
}

const GoCrashFrame *go_crash_first_user_frame(const GoCrash *c) {
        for (size_t i = 0; c && i < c->n_frames; i++)
                if (!go_function_is_runtime(c->frames[i].function))
                        return &c->frames[i];
        return NULL;
}

/* A copy of at most max bytes of s; NUL bytes stay (the finding escapes them). */
static int dup_capped(const char *s, size_t n, size_t max, char **ret) {
        char *p = malloc(MIN(n, max) + 1);
        if (!p)
                return -ENOMEM;
        memcpy(p, s, MIN(n, max));
        p[MIN(n, max)] = 0;
        free(*ret);
        *ret = p;
        return 0;
}

static void add_text(GoCrash *c, const char *s, size_t len) {
        c->lines++;
        if (c->text.len + len + 1 > GO_CRASH_TEXT_MAX) {
                c->lines_dropped++;
                return;
        }
        strbuf_append_n(&c->text, s, len);
        strbuf_append_char(&c->text, '\n');
}

/* "[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x48f0b6]" and
 * "PC=0x46d8a1 m=0 sigcode=1 addr=0x0": the fields by name. */
static int parse_field(const char *s, size_t len, const char *name, char **ret) {
        size_t n = strlen(name);
        for (size_t i = 0; i + n <= len; i++)
                if ((i == 0 || s[i - 1] == ' ' || s[i - 1] == '[') && memcmp(s + i, name, n) == 0) {
                        size_t e = i + n;
                        while (e < len && s[e] != ' ' && s[e] != ']')
                                e++;
                        return dup_capped(s + i + n, e - i - n, GO_CRASH_FIELD_MAX, ret);
                }
        return 0;
}

static int parse_signal(GoCrash *c, const char *s, size_t len) {
        size_t o = has_prefix(s, len, "[signal ") ? STRLEN("[signal ") : 0;
        size_t e = o;
        while (e < len && s[e] != ':' && s[e] != ' ' && s[e] != ']')
                e++;
        int r = 0;
        if (e > o && !c->signal)
                r = dup_capped(s + o, e - o, GO_CRASH_FIELD_MAX, &c->signal);
        if (r >= 0)
                r = parse_field(s, len, "code=", &c->signal_code);
        if (r >= 0)
                r = parse_field(s, len, "addr=", &c->signal_addr);
        if (r >= 0)
                r = parse_field(s, len, "pc=", &c->signal_pc);
        if (r >= 0 && !c->signal_pc)
                r = parse_field(s, len, "PC=", &c->signal_pc);
        return r;
}

/* " [recovered]" and Go 1.25's " [recovered, repanicked]" at the end of a panic value. */
static size_t strip_recovered(const char *v, size_t n, bool *recovered) {
        static const char *const marks[] = { " [recovered]", " [recovered, repanicked]" };
        for (size_t i = 0; i < ELEMENTSOF(marks); i++) {
                size_t m = strlen(marks[i]);
                if (n >= m && memcmp(v + n - m, marks[i], m) == 0) {
                        *recovered = true;
                        return n - m;
                }
        }
        return n;
}

static int start_trace(GoCrashStream *s, LineKind kind, const char *line, size_t len, uint64_t when) {
        GoCrash *c = calloc(1, sizeof *c);
        if (!c)
                return -ENOMEM;
        c->first_at = when;
        s->open = c;
        s->state = GO_CRASH_STATE_HEADER;
        s->file_for_frame = false;
        int r = 0;
        if (kind == LINE_PANIC) {
                c->kind = GO_CRASH_PANIC;
                c->n_panics = 1;
                size_t n = strip_recovered(line + STRLEN("panic: "), len - STRLEN("panic: "), &c->recovered);
                r = dup_capped(line + STRLEN("panic: "), n, GO_CRASH_VALUE_MAX, &c->message);
        } else if (kind == LINE_FATAL) {
                c->kind = GO_CRASH_FATAL_ERROR;
                r = dup_capped(line + STRLEN("fatal error: "), len - STRLEN("fatal error: "),
                               GO_CRASH_VALUE_MAX, &c->message);
        } else {
                c->kind = GO_CRASH_FATAL_SIGNAL;
                r = dup_capped(line, len, GO_CRASH_VALUE_MAX, &c->message);
                if (r >= 0)
                        r = parse_signal(c, line, len);
        }
        /* The runtime's word just before a fatal error says more ("unexpected fault address 0x1",
         * "runtime: goroutine stack exceeds 1000000000-byte limit"). */
        if (r >= 0 && kind != LINE_PANIC && s->preamble && when - s->preamble_at <= GO_CRASH_PREAMBLE_USEC)
                c->detail = TAKE_PTR(s->preamble);
        s->preamble = mfree(s->preamble);
        return r;
}

/* A further panic: line before the first goroutine: a chain (printpanics prints the oldest
 * first, the one in force last, each but the first after a tab). */
static int chain_panic(GoCrash *c, const char *line, size_t len) {
        size_t o = line[0] == '\t' ? STRLEN("\tpanic: ") : STRLEN("panic: ");
        bool rec = false;
        size_t n = strip_recovered(line + o, len - o, &rec);
        c->recovered = c->recovered || rec;
        if (c->n_panics == 1 && c->kind == GO_CRASH_PANIC && !c->first_value) {
                c->first_value = TAKE_PTR(c->message);
        }
        c->n_panics++;
        c->kind = GO_CRASH_PANIC;
        return dup_capped(line + o, n, GO_CRASH_VALUE_MAX, &c->message);
}

static int add_frame(GoCrashStream *s, const char *line, size_t len) {
        GoCrash *c = s->open;
        size_t name_len = 0;
        (void) function_line(line, len, &name_len);
        c->frames_total++;
        s->file_for_frame = false;
        if (c->n_frames >= GO_CRASH_FRAMES_MAX)
                return 0;
        GoCrashFrame *f = &c->frames[c->n_frames];
        *f = (GoCrashFrame){};
        int r = dup_capped(line, name_len, GO_CRASH_FIELD_MAX, &f->function);
        if (r < 0)
                return r;
        c->n_frames++;
        s->file_for_frame = true;
        return 0;
}

/* "\t/src/x.go:42 +0x1d", "\t/src/x.go:42" (an inlined frame): its file and line. */
static int add_file(GoCrashStream *s, const char *line, size_t len) {
        GoCrash *c = s->open;
        s->file_for_frame = false;
        GoCrashFrame *f = &c->frames[c->n_frames - 1];
        const char *p = line + 1;
        size_t n = len - 1;
        const char *sp = memchr(p, ' ', n);
        if (sp)
                n = (size_t) (sp - p);
        size_t colon = n;
        while (colon > 0 && p[colon - 1] != ':')
                colon--;
        uint64_t no;
        if (colon < 2 || parse_u64_prefix(p + colon, n - colon, &no) < 0 || no > UINT32_MAX)
                return 0; /* not a file line after all */
        f->line = (unsigned) no;
        return dup_capped(p, colon - 1, GO_CRASH_FIELD_MAX, &f->file);
}

static int close_trace(GoCrashStream *s, GoCrashEnd end, GoCrashDone done, void *userdata) {
        GoCrash *c = TAKE_PTR(s->open);
        if (!c)
                return 0;
        c->end = end;
        if (strbuf_error(&c->text) < 0) {
                go_crash_free(c);
                return -ENOMEM;
        }
        int r = done(userdata, c);
        return r < 0 ? r : 1;
}

int go_crash_stream_flush(GoCrashStream *s, GoCrashEnd end, GoCrashDone done, void *userdata) {
        return close_trace(s, end, done, userdata);
}

static int feed_line(GoCrashStream *s, const char *line, size_t len, uint64_t when, GoCrashDone done,
                     void *userdata) {
        LineKind kind = classify(line, len);
        GoCrash *c = s->open;
        int handed = 0, r;
        size_t bracket;

        if (c && kind == LINE_OTHER)
                return close_trace(s, GO_CRASH_END_LINE, done, userdata);

        /* A header line after the first goroutine begins the next trace, except the SIGABRT that
         * GOTRACEBACK=crash raises at the end of the same one. */
        if (c && s->state != GO_CRASH_STATE_HEADER &&
            (kind == LINE_FATAL || (kind == LINE_PANIC && line[0] != '\t') ||
             (kind == LINE_SIGHEAD && !has_prefix(line, len, "SIGABRT: ")))) {
                handed = close_trace(s, GO_CRASH_END_NEXT, done, userdata);
                if (handed < 0)
                        return handed;
                c = NULL;
        }

        if (!c) {
                if (kind == LINE_RUNTIME &&
                    (has_prefix(line, len, "runtime: ") || has_prefix(line, len, "runtime/cgo: ") ||
                     has_prefix(line, len, "unexpected fault address "))) {
                        r = dup_capped(line, len, GO_CRASH_FIELD_MAX, &s->preamble);
                        s->preamble_at = when;
                        return r < 0 ? r : handed;
                }
                if (kind != LINE_PANIC && kind != LINE_FATAL && kind != LINE_SIGHEAD)
                        return handed; /* a frame without its header, or noise: not a trace */
                if (line[0] == '\t')
                        return handed;
                /* "panic: boom goroutine 1 [running]:" in one line: two. */
                const char *g =
                        kind == LINE_PANIC ? memmem(line, len, " goroutine ", STRLEN(" goroutine ")) : NULL;
                size_t head = len;
                if (g && goroutine_header(g + 1, len - (size_t) (g + 1 - line), &bracket))
                        head = (size_t) (g - line);
                r = start_trace(s, kind, line, head, when);
                if (r < 0)
                        return r;
                add_text(s->open, line, head);
                s->open->last_at = when;
                if (head < len) {
                        r = feed_line(s, line + head + 1, len - head - 1, when, done, userdata);
                        return r < 0 ? r : handed + r;
                }
                return handed;
        }

        c->last_at = when;
        add_text(c, line, len);
        r = 0;
        switch (kind) {
        case LINE_PANIC:
                if (s->state == GO_CRASH_STATE_HEADER)
                        r = chain_panic(c, line, len);
                break;
        case LINE_FATAL:
                /* A fatal error while panicking ("fatal error: panic while printing panic value"):
                 * the runtime's verdict, the panic value its detail. */
                if (c->kind == GO_CRASH_PANIC && !c->detail) {
                        c->detail = TAKE_PTR(c->message);
                        c->kind = GO_CRASH_FATAL_ERROR;
                        r = dup_capped(line + STRLEN("fatal error: "), len - STRLEN("fatal error: "),
                                       GO_CRASH_VALUE_MAX, &c->message);
                }
                break;
        case LINE_SIGHEAD:
        case LINE_SIGNAL:
        case LINE_PC: r = parse_signal(c, line, len); break;
        case LINE_GOROUTINE:
                c->n_goroutines++;
                s->file_for_frame = false;
                if (c->have_goroutine) {
                        s->state = GO_CRASH_STATE_OTHERS;
                        break;
                }
                (void) goroutine_header(line, len, &bracket);
                c->have_goroutine = true;
                (void) parse_u64_prefix(line + STRLEN("goroutine "), len - STRLEN("goroutine "),
                                        &c->goroutine);
                r = dup_capped(line + bracket + 1, len - bracket - 3, GO_CRASH_FIELD_MAX,
                               &c->goroutine_state);
                s->state = GO_CRASH_STATE_PANICKING;
                break;
        case LINE_FUNCTION:
                if (s->state == GO_CRASH_STATE_PANICKING)
                        r = add_frame(s, line, len);
                break;
        case LINE_FILE:
                if (s->state == GO_CRASH_STATE_PANICKING && s->file_for_frame)
                        r = add_file(s, line, len);
                else if (s->state == GO_CRASH_STATE_HEADER && c->kind == GO_CRASH_PANIC && c->message &&
                         c->n_panics == 1 && strlen(c->message) < GO_CRASH_VALUE_MAX) {
                        /* A value of several lines: newer Go indents the rest by a tab. */
                        _cleanup_free_ char *v = NULL;
                        if (asprintf(&v, "%s\n%.*s", c->message,
                                     (int) MIN(len - 1, (size_t) GO_CRASH_VALUE_MAX), line + 1) < 0)
                                return -ENOMEM;
                        r = dup_capped(v, strlen(v), GO_CRASH_VALUE_MAX, &c->message);
                }
                break;
        case LINE_CREATED:
                if (s->state == GO_CRASH_STATE_PANICKING && !c->created_by)
                        r = dup_capped(line + STRLEN("created by "), len - STRLEN("created by "),
                                       GO_CRASH_FIELD_MAX, &c->created_by);
                s->file_for_frame = false;
                break;
        case LINE_ELIDED:
                if (s->state == GO_CRASH_STATE_PANICKING)
                        c->frames_elided = true;
                break;
        case LINE_BLANK:
                /* Ends the panicking goroutine's block. */
                if (s->state == GO_CRASH_STATE_PANICKING)
                        s->state = GO_CRASH_STATE_OTHERS;
                break;
        default: break;
        }
        return r < 0 ? r : handed;
}

int go_crash_stream_feed(GoCrashStream *s, const char *msg, size_t len, uint64_t when, GoCrashDone done,
                         void *userdata) {
        int n = 0;
        if (!msg)
                return 0;
        for (size_t at = 0; at <= len;) {
                const char *nl = memchr(msg + at, '\n', len - at);
                size_t e = nl ? (size_t) (nl - msg) : len;
                size_t l = e - at;
                if (l > 0 && msg[at + l - 1] == '\r')
                        l--;
                /* A trailing newline ends the message, not one more (blank) line. */
                if (!(at == len && at > 0)) {
                        int r = feed_line(s, msg + at, l, when, done, userdata);
                        if (r < 0)
                                return r;
                        n += r;
                }
                if (!nl)
                        break;
                at = e + 1;
        }
        return n;
}

void go_crash_stream_done(GoCrashStream *s) {
        s->open = go_crash_free(s->open);
        s->preamble = mfree(s->preamble);
}
