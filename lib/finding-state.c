/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "finding-state.h"
#include "hex.h"
#include "parse-util.h"

#define HEADER    "goguard-findings 2"
#define HEADER_V1 "goguard-findings 1" /* read still: the same without the closing sum */
#define SUM_LEN   (STRLEN("sum ") + 16 + 1)

/* FNV-1a, 64 bits: not against an attacker (only root writes the file) but against a flipped
 * byte or a torn block that still parses, e.g. a digit of a count. */
static uint64_t state_sum(const char *p, size_t n) {
        uint64_t h = 0xcbf29ce484222325ull;
        for (size_t i = 0; i < n; i++)
                h = (h ^ (uint8_t) p[i]) * 0x100000001b3ull;
        return h;
}

/* Tokens are separated by one space; inside a token, '\' escapes: \\ \s (space) \n \t \xHH,
 * and "\e" alone is the empty string. */
static void put_token(StrBuf *b, const char *s) {
        static const char hex[] = "0123456789abcdef";
        strbuf_append_char(b, ' ');
        if (!*s) {
                strbuf_append(b, "\\e");
                return;
        }
        for (const unsigned char *p = (const unsigned char *) s; *p; p++) {
                if (*p == '\\')
                        strbuf_append(b, "\\\\");
                else if (*p == ' ')
                        strbuf_append(b, "\\s");
                else if (*p == '\n')
                        strbuf_append(b, "\\n");
                else if (*p == '\t')
                        strbuf_append(b, "\\t");
                else if (*p < 0x20 || *p == 0x7f) {
                        char e[4] = { '\\', 'x', hex[*p >> 4], hex[*p & 15] };
                        strbuf_append_n(b, e, 4);
                } else
                        strbuf_append_char(b, (char) *p);
        }
}

static void put_u64(StrBuf *b, uint64_t v) {
        strbuf_appendf(b, " %" PRIu64, v);
}

static int finding_cmp_id(const void *a, const void *b) {
        return strcmp((*(const Finding *const *) a)->id, (*(const Finding *const *) b)->id);
}

void finding_state_write(const FindingStore *store, StrBuf *b) {
        static const char *const evidence_types[_EVIDENCE_TYPE_MAX] = { "s", "u", "i", "b", "t" };
        static const char *const advice_kinds[_ADVICE_KIND_MAX] = { "text", "dropin", "command", "policy" };
        size_t i = 0, n = hashmap_size(store->by_id), j = 0, start = b->len;
        void *v;

        /* In id order: the same findings make the same file however they lie in the hash table,
         * so a file read back and written again is byte-identical. */
        const Finding **sorted = calloc(n ?: 1, sizeof *sorted);
        if (!sorted) {
                b->failed = true;
                return;
        }
        while (hashmap_iterate(store->by_id, &i, &v, NULL) && j < n)
                sorted[j++] = v;
        qsort(sorted, j, sizeof *sorted, finding_cmp_id);

        strbuf_append(b, HEADER "\n");
        for (size_t x = 0; x < j; x++) {
                const Finding *f = sorted[x];
                strbuf_appendf(b, "finding %s %s %s %s", f->id, finding_class_info(f->class)->name,
                               finding_severity_to_string(f->severity), finding_state_to_string(f->state));
                put_token(b, f->unit);
                put_token(b, f->invocation_id);
                put_u64(b, f->first_seen);
                put_u64(b, f->last_seen);
                put_u64(b, f->count);
                put_u64(b, f->state_changed);
                strbuf_append(b, "\nsummary");
                put_token(b, f->summary ?: "");
                strbuf_append_char(b, '\n');
                if (f->discriminator) {
                        strbuf_append(b, "discriminator");
                        put_token(b, f->discriminator);
                        strbuf_append_char(b, '\n');
                }
                for (size_t k = 0; k < f->n_evidence; k++) {
                        const Evidence *e = &f->evidence[k];
                        strbuf_appendf(b, "evidence %s", evidence_types[e->type]);
                        put_token(b, e->key);
                        if (e->type == EVIDENCE_STRING)
                                put_token(b, e->s ?: "");
                        else if (e->type == EVIDENCE_I64)
                                strbuf_appendf(b, " %" PRIi64, e->i);
                        else
                                put_u64(b, e->u);
                        strbuf_append_char(b, '\n');
                }
                for (size_t k = 0; k < f->n_advice; k++) {
                        const Advice *a = &f->advice[k];
                        strbuf_appendf(b, "advice %s", advice_kinds[a->kind]);
                        put_token(b, a->text);
                        if (a->snippet)
                                put_token(b, a->snippet);
                        strbuf_append_char(b, '\n');
                }
                for (size_t k = 0; k < f->n_seen_keys; k++) {
                        strbuf_append(b, "seen");
                        put_token(b, f->seen_keys[(f->seen_next + k) % f->n_seen_keys]);
                        strbuf_append_char(b, '\n');
                }
                if (f->counted_until.monotonic || f->counted_until.realtime) {
                        strbuf_append(b, "counted");
                        put_token(b, f->counted_until.boot_id);
                        put_u64(b, f->counted_until.monotonic);
                        put_u64(b, f->counted_until.realtime);
                        strbuf_append_char(b, '\n');
                }
                strbuf_append(b, "end\n");
        }
        free(sorted);
        if (!b->failed)
                strbuf_appendf(b, "sum %016" PRIx64 "\n", state_sum(b->data + start, b->len - start));
}

#define TOKENS_MAX 12

typedef struct Line {
        char *tok[TOKENS_MAX];
        size_t n;
} Line;

static void line_done(Line *l) {
        for (size_t i = 0; i < l->n; i++)
                free(l->tok[i]);
        l->n = 0;
}

static int unhex(char c) {
        if (c >= '0' && c <= '9')
                return c - '0';
        if (c >= 'a' && c <= 'f')
                return c - 'a' + 10;
        return -1;
}

/* Splits and unescapes one line. */
static int split_line(const char *s, size_t n, Line *l) {
        size_t i = 0;
        *l = (Line){};
        while (i < n) {
                if (l->n >= TOKENS_MAX) {
                        line_done(l); /* the tokens so far */
                        return -EBADMSG;
                }
                StrBuf b = {};
                size_t start = i;
                while (i < n && s[i] != ' ') {
                        if (s[i] != '\\') {
                                if ((unsigned char) s[i] < 0x20)
                                        goto bad;
                                strbuf_append_char(&b, s[i++]);
                                continue;
                        }
                        if (i + 1 >= n)
                                goto bad;
                        char e = s[i + 1];
                        if (e == '\\')
                                strbuf_append_char(&b, '\\');
                        else if (e == 's')
                                strbuf_append_char(&b, ' ');
                        else if (e == 'n')
                                strbuf_append_char(&b, '\n');
                        else if (e == 't')
                                strbuf_append_char(&b, '\t');
                        else if (e == 'e' && i == start && (i + 2 == n || s[i + 2] == ' ')) {
                                /* the empty string */
                        } else if (e == 'x' && i + 3 < n && unhex(s[i + 2]) >= 0 && unhex(s[i + 3]) >= 0) {
                                char c = (char) (unhex(s[i + 2]) << 4 | unhex(s[i + 3]));
                                if (c == 0)
                                        goto bad;
                                strbuf_append_char(&b, c);
                                i += 2;
                        } else
                                goto bad;
                        i += 2;
                }
                if (i == start)
                        goto bad; /* an empty token: two spaces, or a trailing one */
                char *t;
                if (strbuf_steal(&b, &t, NULL) < 0) {
                        line_done(l);
                        return -ENOMEM;
                }
                l->tok[l->n++] = t;
                if (i < n) {
                        i++; /* the separator */
                        if (i == n) {
                                line_done(l);
                                return -EBADMSG;
                        }
                }
                continue;
        bad:
                strbuf_done(&b);
                line_done(l);
                return -EBADMSG;
        }
        return 0;
}

/* At most 20 characters: what the writer writes for any 64-bit value, no padding. */
static int parse_number(const char *s, uint64_t *ret) {
        return strlen(s) > 20 || parse_u64(s, ret) < 0 ? -EBADMSG : 0;
}

static int parse_i64(const char *s, int64_t *ret) {
        bool neg = *s == '-';
        uint64_t v;
        /* INT64_MIN's magnitude is one more than INT64_MAX: the writer prints it, so read it. */
        if (parse_number(s + neg, &v) < 0 || v > (uint64_t) INT64_MAX + neg)
                return -EBADMSG;
        *ret = !neg ? (int64_t) v : v == 0 ? 0 : -(int64_t) (v - 1) - 1;
        return 0;
}

static bool is_hex_id(const char *s, bool allow_empty) {
        return allow_empty && !*s ? true : id128_is_valid(s);
}

static int read_finding_header(const Line *l, Finding **ret) {
        /* finding ID CLASS SEVERITY STATE UNIT INVOCATION FIRST LAST COUNT CHANGED */
        if (l->n != 11 || strcmp(l->tok[0], "finding") != 0 || !is_hex_id(l->tok[1], false) ||
            !is_hex_id(l->tok[6], true))
                return -EBADMSG;
        FindingClass c = finding_class_from_string(l->tok[2]);
        FindingSeverity sev = finding_severity_from_string(l->tok[3]);
        FindingState st = finding_state_from_string(l->tok[4]);
        if (c < 0 || sev < 0 || st < 0)
                return -EBADMSG;
        Finding *f;
        int r = finding_new(c, l->tok[5], "", &f);
        if (r < 0)
                return r == -EINVAL ? -EBADMSG : r;
        memcpy(f->id, l->tok[1], 33);
        memcpy(f->invocation_id, l->tok[6], strlen(l->tok[6]) + 1);
        f->severity = sev;
        f->state = st;
        if (parse_number(l->tok[7], &f->first_seen) < 0 || parse_number(l->tok[8], &f->last_seen) < 0 ||
            parse_number(l->tok[9], &f->count) < 0 || parse_number(l->tok[10], &f->state_changed) < 0) {
                finding_free(f);
                return -EBADMSG;
        }
        *ret = f;
        return 0;
}

static int read_finding_line(const Line *l, Finding *f) {
        const char *kw = l->tok[0];
        uint64_t u;
        int64_t i;

        if (strcmp(kw, "summary") == 0 && l->n == 2)
                return finding_set_summary(f, l->tok[1]) < 0 ? -EBADMSG : 0;
        if (strcmp(kw, "discriminator") == 0 && l->n == 2 && !f->discriminator) {
                f->discriminator = strdup(l->tok[1]);
                return f->discriminator ? 0 : -ENOMEM;
        }
        if (strcmp(kw, "evidence") == 0 && l->n == 4) {
                const char *t = l->tok[1], *key = l->tok[2], *v = l->tok[3];
                int r;
                if (strcmp(t, "s") == 0)
                        r = finding_set_string(f, key, v);
                else if (strcmp(t, "u") == 0)
                        r = parse_number(v, &u) < 0 ? -EBADMSG : finding_set_u64(f, key, u);
                else if (strcmp(t, "i") == 0)
                        r = parse_i64(v, &i) < 0 ? -EBADMSG : finding_set_i64(f, key, i);
                else if (strcmp(t, "b") == 0)
                        r = parse_number(v, &u) < 0 || u > 1 ? -EBADMSG : finding_set_bool(f, key, u);
                else if (strcmp(t, "t") == 0)
                        r = parse_number(v, &u) < 0 ? -EBADMSG : finding_set_usec(f, key, u);
                else
                        r = -EBADMSG;
                return r == -ENOMEM ? r : (r < 0 ? -EBADMSG : 0);
        }
        if (strcmp(kw, "advice") == 0 && (l->n == 3 || l->n == 4)) {
                AdviceKind k = strcmp(l->tok[1], "text") == 0      ? ADVICE_TEXT
                               : strcmp(l->tok[1], "dropin") == 0  ? ADVICE_DROPIN
                               : strcmp(l->tok[1], "command") == 0 ? ADVICE_COMMAND
                               : strcmp(l->tok[1], "policy") == 0  ? ADVICE_POLICY
                                                                   : _ADVICE_KIND_MAX;
                if (k == _ADVICE_KIND_MAX)
                        return -EBADMSG;
                int r = finding_add_advice(f, k, l->tok[2], l->n == 4 ? l->tok[3] : NULL);
                return r == -ENOMEM ? r : (r < 0 ? -EBADMSG : 0);
        }
        if (strcmp(kw, "counted") == 0 && l->n == 4) {
                JournalPosition pos = {};
                if (!is_hex_id(l->tok[1], true) || parse_number(l->tok[2], &pos.monotonic) < 0 ||
                    parse_number(l->tok[3], &pos.realtime) < 0)
                        return -EBADMSG;
                memcpy(pos.boot_id, l->tok[1], strlen(l->tok[1]) + 1);
                f->counted_until = pos;
                return 0;
        }
        if (strcmp(kw, "seen") == 0 && l->n == 2) {
                /* Restore the ring without counting again. */
                uint64_t count = f->count, first = f->first_seen, last = f->last_seen;
                char inv[33];
                memcpy(inv, f->invocation_id, sizeof inv);
                int r = finding_record(f, l->tok[1], NULL, 0);
                f->count = count, f->first_seen = first, f->last_seen = last;
                memcpy(f->invocation_id, inv, sizeof inv);
                return r == -ENOMEM ? r : (r < 0 ? -EBADMSG : 0);
        }
        return -EBADMSG;
}

int finding_state_read(const char *text, size_t size, FindingStore *store, size_t *ret_line) {
        Finding *f = NULL;
        size_t line = 0;
        int r = 0;

        if (size > FINDING_STATE_SIZE_MAX)
                return -E2BIG;
        if (memchr(text, 0, size)) {
                *ret_line = 0;
                return -EBADMSG;
        }
        if (size > strlen(HEADER) && memcmp(text, HEADER "\n", strlen(HEADER) + 1) == 0) {
                /* The last line sums up everything before it. */
                char want[SUM_LEN + 1];
                if (size < SUM_LEN) {
                        *ret_line = 1;
                        return -EBADMSG;
                }
                size -= SUM_LEN;
                snprintf(want, sizeof want, "sum %016" PRIx64 "\n", state_sum(text, size));
                if (memcmp(text + size, want, SUM_LEN) != 0) {
                        *ret_line = 1;
                        for (size_t k = 0; k < size; k++)
                                *ret_line += text[k] == '\n';
                        return -EBADMSG;
                }
        }
        for (const char *p = text, *end = text + size; p < end;) {
                const char *nl = memchr(p, '\n', (size_t) (end - p));
                line++;
                if (!nl || (size_t) (nl - p) > FINDING_STATE_LINE_MAX) {
                        r = -EBADMSG; /* every line ends with a newline: a cut file is corrupt */
                        goto fail;
                }
                size_t n = (size_t) (nl - p);
                if (line == 1) {
                        if ((n != strlen(HEADER) || memcmp(p, HEADER, n) != 0) &&
                            (n != strlen(HEADER_V1) || memcmp(p, HEADER_V1, n) != 0)) {
                                r = -EBADMSG;
                                goto fail;
                        }
                        p = nl + 1;
                        continue;
                }
                Line l;
                r = split_line(p, n, &l);
                if (r < 0)
                        goto fail;
                if (l.n == 0)
                        r = -EBADMSG;
                else if (!f)
                        r = read_finding_header(&l, &f);
                else if (strcmp(l.tok[0], "end") == 0 && l.n == 1) {
                        if (finding_store_get(store, f->id))
                                r = -EBADMSG;
                        else {
                                r = finding_store_add(store, f);
                                f = NULL;
                                if (r == -ENOSPC)
                                        r = -EBADMSG; /* more than a writer ever wrote */
                        }
                } else
                        r = read_finding_line(&l, f);
                line_done(&l);
                if (r < 0)
                        goto fail;
                p = nl + 1;
        }
        if (line == 0 || f) {
                r = -EBADMSG;
                goto fail;
        }
        return 0;
fail:
        finding_free(f);
        finding_store_done(store);
        (void) finding_store_init(store);
        *ret_line = line;
        return r;
}
