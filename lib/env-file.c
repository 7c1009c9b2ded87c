/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>

#include "env-file.h"
#include "strbuf.h"
#include "strv.h"

static bool valid_key(const char *s, size_t n) {
        if (n == 0 || (s[0] >= '0' && s[0] <= '9'))
                return false;
        for (size_t i = 0; i < n; i++)
                if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
                      (s[i] >= '0' && s[i] <= '9') || s[i] == '_' || s[i] == '.'))
                        return false;
        return true;
}

int env_file_parse(const char *text, size_t size, char ***ret) {
        _cleanup_(strv_freep) char **l = NULL;
        size_t i = 0, count = 0;
        int r;

        if (size > ENV_FILE_SIZE_MAX)
                return -E2BIG;
        while (i < size) {
                /* Leading blanks, comments and empty lines. */
                while (i < size && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r'))
                        i++;
                if (i >= size)
                        break;
                if (text[i] == '\n') {
                        i++;
                        continue;
                }
                if (text[i] == '#' || text[i] == ';') {
                        while (i < size && text[i] != '\n')
                                i++;
                        continue;
                }
                if (size - i > 7 && memcmp(text + i, "export ", 7) == 0)
                        i += 7;
                size_t key_start = i;
                while (i < size && text[i] != '=' && text[i] != '\n')
                        i++;
                size_t key_end = i;
                while (key_end > key_start && (text[key_end - 1] == ' ' || text[key_end - 1] == '\t'))
                        key_end--;
                if (i >= size || text[i] != '=' || !valid_key(text + key_start, key_end - key_start)) {
                        while (i < size && text[i] != '\n')
                                i++;
                        continue; /* not an assignment */
                }
                i++; /* '=' */
                while (i < size && (text[i] == ' ' || text[i] == '\t'))
                        i++;

                StrBuf v = {};
                strbuf_append_n(&v, text + key_start, key_end - key_start);
                strbuf_append_char(&v, '=');
                size_t trailing = 0; /* unquoted trailing blanks, dropped at the end of the line */
                while (i < size && text[i] != '\n') {
                        char c = text[i];
                        if (c == '\'' || c == '"') {
                                char q = c;
                                i++;
                                for (;;) {
                                        if (i >= size) {
                                                strbuf_done(&v);
                                                return -EBADMSG;
                                        }
                                        if (text[i] == q)
                                                break;
                                        if (q == '"' && text[i] == '\\' && i + 1 < size) {
                                                i++;
                                                if (text[i] != '\n')
                                                        strbuf_append_char(&v, text[i]);
                                        } else
                                                strbuf_append_char(&v, text[i]);
                                        i++;
                                }
                                i++;
                                trailing = 0;
                        } else if (c == '\\' && i + 1 < size) {
                                /* A backslash-newline continues the line; otherwise it quotes. */
                                if (text[i + 1] != '\n')
                                        strbuf_append_char(&v, text[i + 1]);
                                i += 2;
                                trailing = 0;
                        } else {
                                strbuf_append_char(&v, c);
                                trailing = (c == ' ' || c == '\t' || c == '\r') ? trailing + 1 : 0;
                                i++;
                        }
                }
                v.len -= MIN(trailing, v.len);
                if (v.data)
                        v.data[v.len] = 0;
                char *entry;
                r = strbuf_steal(&v, &entry, NULL);
                if (r < 0)
                        return r;
                if (++count > ENV_FILE_VARS_MAX) {
                        free(entry);
                        return -E2BIG;
                }
                r = strv_consume(&l, entry);
                if (r < 0)
                        return r;
        }
        if (!l) {
                l = calloc(1, sizeof(char *));
                if (!l)
                        return -ENOMEM;
        }
        *ret = TAKE_PTR(l);
        return 0;
}
