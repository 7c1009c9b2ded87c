/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define _cleanup_(f)         __attribute__((__cleanup__(f)))
#define _unused_             __attribute__((__unused__))
#define _pure_               __attribute__((__pure__))
#define _printf_(a, b)       __attribute__((__format__(printf, a, b)))
#define _warn_unused_result_ __attribute__((__warn_unused_result__))

#define ELEMENTSOF(x) (sizeof(x) / sizeof((x)[0]))
/* The length of a string literal, at compile time. */
#define STRLEN(x)     (sizeof("" x "") - 1)

/* Two strings that are both there and equal. */
static inline bool streq(const char *a, const char *b) {
        return a && b && strcmp(a, b) == 0;
}

/* Hand ownership of a pointer out of a _cleanup_ scope. */
#define TAKE_PTR(p)                                                                                         \
        ({                                                                                                  \
                __typeof__(p) _taken = (p);                                                                 \
                (p) = NULL;                                                                                 \
                _taken;                                                                                     \
        })

#define TAKE_FD(fd)                                                                                         \
        ({                                                                                                  \
                int _taken_fd = (fd);                                                                       \
                (fd) = -EBADF;                                                                              \
                _taken_fd;                                                                                  \
        })

#define SWAP(a, b)                                                                                          \
        do {                                                                                                \
                __typeof__(a) _t = (a);                                                                     \
                (a) = (b);                                                                                  \
                (b) = _t;                                                                                   \
        } while (0)

#define MIN(a, b)                                                                                           \
        ({                                                                                                  \
                __typeof__(a) _a = (a);                                                                     \
                __typeof__(b) _b = (b);                                                                     \
                _a < _b ? _a : _b;                                                                          \
        })

#define MAX(a, b)                                                                                           \
        ({                                                                                                  \
                __typeof__(a) _a = (a);                                                                     \
                __typeof__(b) _b = (b);                                                                     \
                _a > _b ? _a : _b;                                                                          \
        })

/* Define foo_freep() for use with _cleanup_, given foo_free(). */
#define DEFINE_TRIVIAL_CLEANUP_FUNC(type, func)                                                             \
        static inline void func##p(type *p) {                                                               \
                if (*p)                                                                                     \
                        *p = func(*p);                                                                      \
        }

static inline void freep(void *p) {
        free(*(void **) p);
}

static inline void closep(int *fd) {
        if (*fd >= 0) {
                int saved = errno;
                close(*fd);
                errno = saved;
        }
        *fd = -EBADF;
}

static inline void *mfree(void *p) {
        free(p);
        return NULL;
}

#define _cleanup_free_  _cleanup_(freep)
#define _cleanup_close_ _cleanup_(closep)

static inline int negative_errno(void) {
        return errno > 0 ? -errno : -EIO;
}

/* Move a struct out of a _cleanup_ scope, leaving a zeroed one behind. */
#define TAKE_PTR_STRUCT(s)                                                                                  \
        ({                                                                                                  \
                __typeof__(s) _taken_s = (s);                                                               \
                (s) = (__typeof__(s)){};                                                                    \
                _taken_s;                                                                                   \
        })
