/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "evidence-key.h"
#include "finding-print.h"
#include "format.h"
#include "parse-util.h"

#define LABEL_WIDTH_MIN 21
#define WRAP_COLUMNS    100

static const char *str_or_dash(const char *s) {
        return s && *s ? s : "-";
}

/* ---- from the bus ---- */

typedef struct ViewMember {
        const char *name;
        char type; /* 's' or 't' */
        size_t offset;
} ViewMember;

#define V(field) offsetof(FindingView, field)

static const ViewMember view_members[] = {
        { "Id", 's', V(row.id) },
        { "Unit", 's', V(row.unit) },
        { "InvocationID", 's', V(invocation_id) },
        { "Class", 's', V(row.class) },
        { "MessageID", 's', V(message_id) },
        { "Severity", 's', V(row.severity) },
        { "State", 's', V(row.state) },
        { "Summary", 's', V(row.summary) },
        { "FirstSeen", 't', V(row.first_seen) },
        { "LastSeen", 't', V(row.last_seen) },
        { "Count", 't', V(row.count) },
};

/* A key's kind, from the table of declared keys; a key this goguardctl does not know (a newer
 * goguardd's) is shown as a plain value of its type. */
static EvidenceKind key_kind(const char *key) {
        const EvidenceKey *k = evidence_key_lookup(key);
        return k ? k->kind : _EVIDENCE_KIND_INVALID;
}

static bool key_is_timestamp(const char *key) {
        return key_kind(key) == EVIDENCE_KIND_TIMESTAMP;
}

static int read_evidence(sd_bus_message *m, FindingView *v) {
        int r;

        r = sd_bus_message_enter_container(m, 'a', "{sv}");
        if (r < 0)
                return r;
        while ((r = sd_bus_message_enter_container(m, 'e', "sv")) > 0) {
                const char *key, *contents;
                EvidenceView e = {};
                r = sd_bus_message_read(m, "s", &key);
                if (r < 0)
                        return r;
                r = sd_bus_message_peek_type(m, NULL, &contents);
                if (r < 0)
                        return r;
                if (strlen(contents) != 1 || !strchr("stxb", contents[0]))
                        r = sd_bus_message_skip(m, "v");
                else {
                        int b = 0;
                        e = (EvidenceView){ .key = key, .type = contents[0] };
                        switch (e.type) {
                        case 's': r = sd_bus_message_read(m, "v", "s", &e.s); break;
                        case 't':
                                r = sd_bus_message_read(m, "v", "t", &e.u);
                                e.timestamp = key_is_timestamp(key);
                                break;
                        case 'x': r = sd_bus_message_read(m, "v", "x", &e.i); break;
                        default: r = sd_bus_message_read(m, "v", "b", &b); e.u = b != 0;
                        }
                        if (r >= 0) {
                                if (v->n_evidence >= FINDING_EVIDENCE_MAX_VIEW)
                                        return -E2BIG;
                                EvidenceView *p = reallocarray(v->evidence, v->n_evidence + 1, sizeof *p);
                                if (!p)
                                        return -ENOMEM;
                                v->evidence = p;
                                v->evidence[v->n_evidence++] = e;
                        }
                }
                if (r < 0)
                        return r;
                r = sd_bus_message_exit_container(m);
                if (r < 0)
                        return r;
        }
        if (r < 0)
                return r;
        return sd_bus_message_exit_container(m);
}

static int read_advice(sd_bus_message *m, FindingView *v) {
        AdviceView a;
        int r;

        r = sd_bus_message_enter_container(m, 'a', "(sss)");
        if (r < 0)
                return r;
        while ((r = sd_bus_message_read(m, "(sss)", &a.kind, &a.text, &a.snippet)) > 0) {
                if (v->n_advice >= FINDING_EVIDENCE_MAX_VIEW)
                        return -E2BIG;
                AdviceView *p = reallocarray(v->advice, v->n_advice + 1, sizeof *p);
                if (!p)
                        return -ENOMEM;
                v->advice = p;
                v->advice[v->n_advice++] = a;
        }
        if (r < 0)
                return r;
        return sd_bus_message_exit_container(m);
}

static int read_view_entry(sd_bus_message *m, FindingView *v) {
        const char *name, *contents;
        int r;

        r = sd_bus_message_read(m, "s", &name);
        if (r < 0)
                return r;
        r = sd_bus_message_peek_type(m, NULL, &contents);
        if (r < 0)
                return r;
        bool evidence = streq(name, "Evidence") && streq(contents, "a{sv}");
        bool advice = streq(name, "Advice") && streq(contents, "a(sss)");
        if (evidence || advice) {
                r = sd_bus_message_enter_container(m, 'v', contents);
                if (r < 0)
                        return r;
                r = evidence ? read_evidence(m, v) : read_advice(m, v);
                if (r < 0)
                        return r;
                return sd_bus_message_exit_container(m);
        }
        for (size_t i = 0; i < ELEMENTSOF(view_members); i++) {
                const ViewMember *vm = &view_members[i];
                char sig[2] = { vm->type, 0 };
                if (!streq(name, vm->name) || !streq(contents, sig))
                        continue;
                void *slot = (char *) v + vm->offset;
                return vm->type == 's' ? sd_bus_message_read(m, "v", "s", (const char **) slot)
                                       : sd_bus_message_read(m, "v", "t", (uint64_t *) slot);
        }
        return sd_bus_message_skip(m, "v");
}

int finding_view_from_bus(sd_bus_message *m, FindingView *ret) {
        FindingView v = {};
        int r;

        r = sd_bus_message_enter_container(m, 'a', "{sv}");
        if (r < 0)
                return r;
        while ((r = sd_bus_message_enter_container(m, 'e', "sv")) > 0) {
                r = read_view_entry(m, &v);
                if (r >= 0)
                        r = sd_bus_message_exit_container(m);
                if (r < 0)
                        break;
        }
        if (r >= 0)
                r = sd_bus_message_exit_container(m);
        if (r < 0) {
                finding_view_done(&v);
                return r;
        }
        *ret = v;
        return 0;
}

/* ---- from a Finding ---- */

void finding_row_from_finding(const Finding *f, FindingRow *ret) {
        *ret = (FindingRow){
                .id = f->id,
                .unit = f->unit,
                .class = finding_class_info(f->class)->name,
                .severity = finding_severity_to_string(f->severity),
                .state = finding_state_to_string(f->state),
                .summary = f->summary ?: "",
                .first_seen = f->first_seen,
                .last_seen = f->last_seen,
                .count = f->count,
        };
}

int finding_view_from_finding(const Finding *f, FindingView *ret) {
        static const char *const advice_kinds[_ADVICE_KIND_MAX] = { "text", "dropin", "command", "policy" };
        FindingView v = {
                .invocation_id = f->invocation_id,
                .message_id = finding_class_info(f->class)->message_id,
        };

        finding_row_from_finding(f, &v.row);
        if (f->n_evidence > 0) {
                v.evidence = calloc(f->n_evidence, sizeof *v.evidence);
                if (!v.evidence)
                        return -ENOMEM;
        }
        if (f->n_advice > 0) {
                v.advice = calloc(f->n_advice, sizeof *v.advice);
                if (!v.advice) {
                        free(v.evidence);
                        return -ENOMEM;
                }
        }
        for (size_t i = 0; i < f->n_evidence; i++) {
                const Evidence *e = &f->evidence[i];
                EvidenceView *ev = &v.evidence[v.n_evidence++];
                *ev = (EvidenceView){ .key = e->key };
                switch (e->type) {
                case EVIDENCE_STRING:
                        ev->type = 's';
                        ev->s = e->s ?: "";
                        break;
                case EVIDENCE_I64:
                        ev->type = 'x';
                        ev->i = e->i;
                        break;
                case EVIDENCE_BOOL:
                        ev->type = 'b';
                        ev->u = e->u != 0;
                        break;
                case EVIDENCE_USEC:
                        ev->type = 't';
                        ev->u = e->u;
                        ev->timestamp = true;
                        break;
                case EVIDENCE_U64:
                default:
                        ev->type = 't';
                        ev->u = e->u;
                        ev->timestamp = key_is_timestamp(e->key);
                }
        }
        for (size_t i = 0; i < f->n_advice; i++)
                v.advice[v.n_advice++] = (AdviceView){
                        .kind = advice_kinds[f->advice[i].kind],
                        .text = f->advice[i].text,
                        .snippet = f->advice[i].snippet ?: "",
                };
        *ret = v;
        return 0;
}

void finding_view_done(FindingView *v) {
        free(v->evidence);
        free(v->advice);
        *v = (FindingView){};
}

static int compare_rows(const void *a, const void *b) {
        const FindingRow *x = a, *y = b;
        return finding_compare_newest(x->last_seen, x->id, y->last_seen, y->id);
}

void finding_rows_sort(FindingRow *rows, size_t n) {
        if (n > 1)
                qsort(rows, n, sizeof *rows, compare_rows);
}

/* ---- the table ---- */

static const char *severity_color(const char *severity, bool color) {
        if (!color)
                return NULL;
        if (streq(severity, "critical"))
                return ANSI_RED;
        if (streq(severity, "warning"))
                return ANSI_YELLOW;
        return NULL;
}

enum {
        COL_ID,
        COL_HOST,
        COL_UNIT,
        COL_CLASS,
        COL_SEVERITY,
        COL_STATE,
        COL_COUNT,
        COL_LAST,
        COL_SUMMARY,
        N_COLUMNS
};

int findings_table(const FindingRow *rows, size_t n, uint64_t now, bool color, StrBuf *out) {
        static const char *const all_headers[N_COLUMNS] = { "ID",    "HOST",      "UNIT",
                                                            "CLASS", "SEVERITY",  "STATE",
                                                            "COUNT", "LAST SEEN", "SUMMARY" };
        int r = 0;

        /* The HOST column only when a row names a host (goguardctl analyze over several). */
        bool host = false;
        for (size_t i = 0; i < n && !host; i++)
                host = rows[i].host;
        const char *headers[N_COLUMNS];
        size_t pos[N_COLUMNS], n_cols = 0;
        for (size_t c = 0; c < N_COLUMNS; c++)
                if (c != COL_HOST || host) {
                        pos[c] = n_cols;
                        headers[n_cols++] = all_headers[c];
                }
        char **cells = n > 0 ? calloc(n * n_cols, sizeof *cells) : NULL;
        if (!cells && n > 0)
                return -ENOMEM;
        for (size_t i = 0; i < n && r >= 0; i++) {
                char id[FINDING_ID_SHORT + 1], rel[FORMAT_TIMESTAMP_RELATIVE_MAX];
                snprintf(id, sizeof id, "%s", str_or_dash(rows[i].id));
                const char *v[N_COLUMNS] = {
                        [COL_ID] = id,
                        [COL_HOST] = str_or_dash(rows[i].host),
                        [COL_UNIT] = str_or_dash(rows[i].unit),
                        [COL_CLASS] = str_or_dash(rows[i].class),
                        [COL_SEVERITY] = str_or_dash(rows[i].severity),
                        [COL_STATE] = str_or_dash(rows[i].state),
                        [COL_LAST] = format_timestamp_relative(rel, sizeof rel, rows[i].last_seen, now),
                        [COL_SUMMARY] = str_or_dash(rows[i].summary),
                };
                for (size_t c = 0; c < N_COLUMNS && r >= 0; c++) {
                        if (c == COL_HOST && !host)
                                continue;
                        char **cell = &cells[i * n_cols + pos[c]];
                        if (c == COL_COUNT) {
                                if (asprintf(cell, "%" PRIu64, rows[i].count) < 0) {
                                        *cell = NULL;
                                        r = -ENOMEM;
                                }
                        } else
                                r = format_printable(v[c], cell);
                }
        }

        _cleanup_free_ const char **colors = r >= 0 ? calloc(n + 1, sizeof(char *)) : NULL;
        if (r >= 0 && !colors)
                r = -ENOMEM;
        if (r >= 0) {
                for (size_t i = 0; i < n; i++)
                        colors[i] = severity_color(rows[i].severity, color);
                format_table(out, headers, n_cols, cells, n, pos[COL_COUNT], pos[COL_SEVERITY], colors);
        }
        for (size_t i = 0; i < n * n_cols; i++)
                free(cells[i]);
        free(cells);
        return r;
}

void finding_row_to_json(const FindingRow *r, JsonWriter *w) {
        json_begin_object(w);
        json_key(w, "id");
        json_string(w, r->id);
        json_key(w, "unit");
        json_string(w, r->unit);
        json_key(w, "class");
        json_string(w, r->class);
        json_key(w, "severity");
        json_string(w, r->severity);
        json_key(w, "state");
        json_string(w, r->state);
        json_key(w, "summary");
        json_string(w, r->summary);
        json_key(w, "first_seen");
        json_uint(w, r->first_seen);
        json_key(w, "last_seen");
        json_uint(w, r->last_seen);
        json_key(w, "count");
        json_uint(w, r->count);
        json_end_object(w);
}

/* ---- evidence ---- */

bool evidence_is_setting(const char *key) {
        const EvidenceKey *k = evidence_key_lookup(key);
        return k && k->setting;
}

int evidence_format(const EvidenceView *e, uint64_t now, char **ret) {
        char buf[FORMAT_TIMESTAMP_MAX + FORMAT_TIMESTAMP_RELATIVE_MAX + 8];
        switch (e->type) {
        case 's':
                if (!e->s || !*e->s) {
                        *ret = strdup(evidence_is_setting(e->key) ? "(not set)" : "(empty)");
                        return *ret ? 0 : -ENOMEM;
                }
                return format_printable(e->s, ret);
        case 'b': snprintf(buf, sizeof buf, "%s", e->u ? "yes" : "no"); break;
        case 'x': snprintf(buf, sizeof buf, "%" PRIi64, e->i); break;
        default:
                if (e->u == UINT64_MAX)
                        snprintf(buf, sizeof buf, "infinity");
                else if (e->timestamp) {
                        char ts[FORMAT_TIMESTAMP_MAX], rel[FORMAT_TIMESTAMP_RELATIVE_MAX];
                        snprintf(buf, sizeof buf, "%s (%s)", format_timestamp(ts, sizeof ts, e->u),
                                 format_timestamp_relative(rel, sizeof rel, e->u, now));
                } else if (key_kind(e->key) == EVIDENCE_KIND_BYTES)
                        format_bytes(buf, sizeof buf, e->u);
                else if (key_kind(e->key) == EVIDENCE_KIND_KIB)
                        format_bytes(buf, sizeof buf,
                                     e->u > (UINT64_MAX - 1) >> 10 ? UINT64_MAX - 1 : e->u << 10);
                else if (key_kind(e->key) == EVIDENCE_KIND_TIMESPAN)
                        format_timespan(buf, sizeof buf, e->u);
                else
                        snprintf(buf, sizeof buf, "%" PRIu64, e->u);
        }
        *ret = strdup(buf);
        return *ret ? 0 : -ENOMEM;
}

/* ---- the explanation ---- */

static void label(StrBuf *o, const char *l, size_t width) {
        strbuf_appendf(o, "  %-*s", (int) width, l ?: "");
}

static void field(StrBuf *o, const char *l, size_t width, const char *value) {
        label(o, l, width);
        format_append_printable(o, str_or_dash(value));
        strbuf_append_char(o, '\n');
}

/* Prose, wrapped at WRAP_COLUMNS, every line indented. */
static void append_wrapped(StrBuf *o, const char *text, size_t indent) {
        size_t col = 0;
        const char *p = text;

        while (*p) {
                while (*p == ' ')
                        p++;
                if (*p == '\n') { /* an explicit line break */
                        strbuf_append_char(o, '\n');
                        col = 0;
                        p++;
                        continue;
                }
                if (!*p)
                        break;
                size_t n = strcspn(p, " \n");
                _cleanup_free_ char *word = strndup(p, n);
                _cleanup_free_ char *shown = NULL;
                if (!word || format_printable(word, &shown) < 0) {
                        strbuf_append(o, "(out of memory)");
                        return;
                }
                size_t w = format_width(shown);
                if (col > 0 && col + 1 + w > WRAP_COLUMNS) {
                        strbuf_append_char(o, '\n');
                        col = 0;
                }
                if (col == 0) {
                        strbuf_appendf(o, "%*s", (int) indent, "");
                        col = indent;
                } else {
                        strbuf_append_char(o, ' ');
                        col++;
                }
                strbuf_append(o, shown);
                col += w;
                p += n;
        }
        if (col > 0)
                strbuf_append_char(o, '\n');
}

/* Every line of a snippet, indented; control characters escaped. */
static void append_lines(StrBuf *o, const char *text, size_t indent) {
        const char *p = text;
        while (*p) {
                size_t n = strcspn(p, "\n");
                _cleanup_free_ char *line = strndup(p, n);
                strbuf_appendf(o, "%*s", (int) indent, "");
                format_append_printable(o, line ?: "");
                strbuf_append_char(o, '\n');
                p += n;
                if (*p == '\n')
                        p++;
        }
}

/* A Go crash's trace (evidence crash_trace) is shown as its lines, under the evidence. */
#define TRACE_KEY       "crash_trace"
#define TRACE_LINES_MAX 40u

static void append_trace(StrBuf *o, const FindingView *v) {
        for (size_t i = 0; i < v->n_evidence; i++) {
                const EvidenceView *e = &v->evidence[i];
                if (!streq(e->key, TRACE_KEY) || e->type != 's' || !e->s)
                        continue;
                strbuf_append(o, "\nTrace\n");
                const char *p = e->s;
                size_t n = 0;
                for (; *p && n < TRACE_LINES_MAX; n++) {
                        size_t k = strcspn(p, "\n");
                        _cleanup_free_ char *line = strndup(p, k);
                        /* Go indents a frame's file by a tab: as spaces, not escaped. */
                        for (char *t = line; t && (t = strchr(t, '\t')); t++)
                                *t = ' ';
                        strbuf_append(o, k > 0 ? "    " : "");
                        format_append_printable(o, line ?: "");
                        strbuf_append_char(o, '\n');
                        p += k + (p[k] == '\n');
                }
                size_t more = 0;
                for (; *p; more++)
                        p += strcspn(p, "\n") + (p[strcspn(p, "\n")] == '\n');
                if (more > 0)
                        strbuf_appendf(o,
                                       "    ... %zu more lines (the advice's journalctl shows them all)\n",
                                       more);
        }
}

static void append_evidence_section(StrBuf *o, const FindingView *v, bool settings, size_t width,
                                    uint64_t now) {
        bool any = false;
        for (size_t i = 0; i < v->n_evidence; i++) {
                const EvidenceView *e = &v->evidence[i];
                if (evidence_is_setting(e->key) != settings || streq(e->key, TRACE_KEY))
                        continue;
                if (!any)
                        strbuf_appendf(o, "\n%s\n", settings ? "Unit settings in force" : "Evidence");
                any = true;
                _cleanup_free_ char *key = NULL, *value = NULL;
                if (format_printable(e->key, &key) < 0 || evidence_format(e, now, &value) < 0) {
                        strbuf_append(o, "  (out of memory)\n");
                        continue;
                }
                strbuf_appendf(o, "  %s:%*s%s\n", key,
                               (int) (width > strlen(key) + 1 ? width - strlen(key) - 1 : 1), "", value);
        }
        if (settings && !any)
                strbuf_append(o, "\nUnit settings in force\n  (none recorded)\n");
}

int finding_explain(const FindingView *v, uint64_t now, const ExplainOptions *o, StrBuf *out) {
        char ts[FORMAT_TIMESTAMP_MAX], rel[FORMAT_TIMESTAMP_RELATIVE_MAX];
        const FindingRow *r = &v->row;
        const char *color = severity_color(r->severity, o->color);
        size_t width = LABEL_WIDTH_MIN;

        for (size_t i = 0; i < v->n_evidence; i++)
                width = MAX(width, strlen(v->evidence[i].key) + 2);

        strbuf_append(out, color ?: "");
        format_append_printable(out, r->summary && *r->summary ? r->summary : "(no summary)");
        strbuf_appendf(out, "%s\n\n", color ? ANSI_NORMAL : "");

        field(out, "Finding:", width, r->id);
        label(out, "Class:", width);
        format_append_printable(out, str_or_dash(r->class));
        const FindingClassInfo *info = finding_class_info(finding_class_from_string(r->class));
        if (info)
                strbuf_appendf(out, " (%s)", info->title);
        strbuf_append_char(out, '\n');
        label(out, "Severity:", width);
        strbuf_append(out, color ?: "");
        format_append_printable(out, str_or_dash(r->severity));
        strbuf_appendf(out, "%s\n", color ? ANSI_NORMAL : "");
        field(out, "State:", width, r->state);
        if (r->host)
                field(out, "Host:", width, r->host);
        field(out, "Unit:", width, r->unit);
        field(out, "Invocation:", width, v->invocation_id);
        label(out, "First seen:", width);
        strbuf_appendf(out, "%s (%s)\n", format_timestamp(ts, sizeof ts, r->first_seen),
                       format_timestamp_relative(rel, sizeof rel, r->first_seen, now));
        label(out, "Last seen:", width);
        strbuf_appendf(out, "%s (%s)\n", format_timestamp(ts, sizeof ts, r->last_seen),
                       format_timestamp_relative(rel, sizeof rel, r->last_seen, now));
        label(out, "Count:", width);
        strbuf_appendf(out, "%" PRIu64 "\n", r->count);

        append_evidence_section(out, v, false, width, now);
        append_trace(out, v);
        append_evidence_section(out, v, true, width, now);

        strbuf_append(out, "\nAdvice\n");
        if (v->n_advice == 0)
                strbuf_append(out, "  (none)\n");
        for (size_t i = 0; i < v->n_advice; i++) {
                const AdviceView *a = &v->advice[i];
                if (i > 0)
                        strbuf_append_char(out, '\n');
                append_wrapped(out, a->text ?: "", 2);
                if (!a->snippet || !*a->snippet)
                        continue;
                if (streq(a->kind, "dropin")) {
                        _cleanup_free_ char *unit = NULL, *cls = NULL;
                        if (format_printable(str_or_dash(r->unit), &unit) < 0 ||
                            format_printable(str_or_dash(r->class), &cls) < 0)
                                return -ENOMEM;
                        /* "systemctl edit UNIT" works with every systemd; --drop-in= needs 253. */
                        strbuf_appendf(out,
                                       "\n    systemctl edit %s   (or "
                                       "/etc/systemd/system/%s.d/goguard-%s.conf)\n\n",
                                       unit, unit, cls);
                        append_lines(out, a->snippet, 6);
                } else if (streq(a->kind, "command")) {
                        strbuf_append_char(out, '\n');
                        append_lines(out, a->snippet, 4);
                } else {
                        strbuf_append_char(out, '\n');
                        append_lines(out, a->snippet, 4);
                }
        }

        if (o->journal_hint && finding_id_is_valid(r->id) && v->message_id && *v->message_id) {
                _cleanup_free_ char *mid = NULL;
                if (format_printable(v->message_id, &mid) < 0)
                        return -ENOMEM;
                strbuf_appendf(out, "\nJournal\n  journalctl -x MESSAGE_ID=%s GOGUARD_FINDING_ID=%s\n", mid,
                               r->id);
        }
        return strbuf_error(out);
}

/* ---- ids ---- */

static bool is_hex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

bool finding_id_is_valid(const char *s) {
        if (!s || strlen(s) != FINDING_ID_LEN)
                return false;
        for (const char *p = s; *p; p++)
                if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
                        return false;
        return true;
}

int finding_id_prefix_parse(const char *s, char **ret) {
        size_t n = strlen(s);
        if (n < FINDING_PREFIX_MIN || n > FINDING_ID_LEN)
                return -EINVAL;
        for (size_t i = 0; i < n; i++)
                if (!is_hex(s[i]))
                        return -EINVAL;
        char *copy = strdup(s);
        if (!copy)
                return -ENOMEM;
        for (char *p = copy; *p; p++)
                if (*p >= 'A' && *p <= 'F')
                        *p = (char) (*p - 'A' + 'a');
        *ret = copy;
        return 0;
}

/* ---- --since= ---- */

/* Digits at *p: advances past them. -EINVAL when there are none or they overflow. */
static int parse_digits(const char **p, uint64_t *ret) {
        uint64_t v = 0;
        const char *s = *p;
        if (*s < '0' || *s > '9')
                return -EINVAL;
        for (; *s >= '0' && *s <= '9'; s++) {
                uint64_t d = (uint64_t) (*s - '0');
                if (v > (UINT64_MAX - d) / 10)
                        return -EINVAL;
                v = v * 10 + d;
        }
        *p = s;
        *ret = v;
        return 0;
}

static int local_to_usec(struct tm *tm, uint64_t *ret) {
        tm->tm_isdst = -1;
        time_t t = mktime(tm);
        if (t == (time_t) -1 || t < 0)
                return -EINVAL;
        *ret = (uint64_t) t * USEC_PER_SEC;
        return 0;
}

/* "YYYY-MM-DD", "YYYY-MM-DD HH:MM[:SS]", "YYYY-MM-DDTHH:MM[:SS]", "HH:MM[:SS]" */
static int parse_absolute(const char *s, uint64_t now, uint64_t *ret) {
        unsigned year = 0, mon = 0, day = 0, hour = 0, min = 0, sec = 0;
        int n = 0;
        struct tm tm = {};
        time_t t = (time_t) (now / USEC_PER_SEC);

        if (sscanf(s, "%4u-%2u-%2u%n", &year, &mon, &day, &n) == 3 && n == 10) {
                s += n;
                if (*s == ' ' || *s == 'T')
                        s++;
                else if (*s)
                        return -EINVAL;
        } else {
                if (!localtime_r(&t, &tm))
                        return -EINVAL;
                year = (unsigned) tm.tm_year + 1900;
                mon = (unsigned) tm.tm_mon + 1;
                day = (unsigned) tm.tm_mday;
                if (!*s)
                        return -EINVAL;
        }
        if (*s) {
                n = 0;
                if (sscanf(s, "%2u:%2u%n", &hour, &min, &n) != 2 || n != 5)
                        return -EINVAL;
                s += n;
                if (*s == ':') {
                        int m = 0;
                        if (sscanf(s + 1, "%2u%n", &sec, &m) != 1 || m != 2)
                                return -EINVAL;
                        s += 1 + m;
                }
                if (*s)
                        return -EINVAL;
        }
        if (mon < 1 || mon > 12 || day < 1 || day > 31 || hour > 23 || min > 59 || sec > 60 || year < 1970)
                return -EINVAL;
        tm = (struct tm){
                .tm_year = (int) year - 1900,
                .tm_mon = (int) mon - 1,
                .tm_mday = (int) day,
                .tm_hour = (int) hour,
                .tm_min = (int) min,
                .tm_sec = (int) sec,
        };
        int wanted_day = tm.tm_mday;
        int r = local_to_usec(&tm, ret);
        if (r < 0)
                return r;
        if (tm.tm_mday != wanted_day) /* 2025-02-30 */
                return -EINVAL;
        return 0;
}

int parse_since(const char *s, uint64_t now, uint64_t *ret) {
        uint64_t v;
        size_t n = strlen(s);

        if (strcmp(s, "now") == 0) {
                *ret = now;
                return 0;
        }
        if (strcmp(s, "today") == 0 || strcmp(s, "yesterday") == 0) {
                time_t t = (time_t) (now / USEC_PER_SEC);
                struct tm tm;
                if (!localtime_r(&t, &tm))
                        return -EINVAL;
                tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
                if (s[0] == 'y')
                        tm.tm_mday--;
                return local_to_usec(&tm, ret);
        }
        if (s[0] == '@') {
                const char *p = s + 1;
                if (parse_digits(&p, &v) < 0 || *p || v > UINT64_MAX / USEC_PER_SEC)
                        return -EINVAL;
                *ret = v * USEC_PER_SEC;
                return 0;
        }
        bool minus = s[0] == '-';
        bool ago = n > 4 && strcmp(s + n - 4, " ago") == 0;
        if (minus || ago) {
                _cleanup_free_ char *span = strndup(s + minus, n - minus - (ago ? 4 : 0));
                if (!span)
                        return -ENOMEM;
                if ((minus && ago) || parse_timespan(span, &v) < 0)
                        return -EINVAL;
                *ret = v > now ? 0 : now - v;
                return 0;
        }
        return parse_absolute(s, now, ret);
}
