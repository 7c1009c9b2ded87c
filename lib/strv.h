/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "macro.h"

/* NULL-terminated string arrays. */
char **strv_free(char **l);
DEFINE_TRIVIAL_CLEANUP_FUNC(char **, strv_free);
size_t strv_length(char *const *l);
bool strv_equal(char *const *a, char *const *b);
/* Takes ownership of s. */
int strv_consume(char ***l, char *s);
int strv_extend(char ***l, const char *s);
/* A copy of l (NULL for NULL). */
int strv_copy(char *const *l, char ***ret);
