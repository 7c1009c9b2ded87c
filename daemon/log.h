/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <errno.h>
#include <stdio.h>
#include <systemd/sd-daemon.h>

/* goguardd logs to stderr with sd-daemon priority prefixes; under systemd that is the journal
 * with the right priority. Every error message carries the errno. Returns -abs(error). */
#define log_full_errno(prefix, error, fmt, ...)                                                             \
        ({                                                                                                  \
                int _e = (error) < 0 ? -(error) : (error);                                                  \
                errno = _e;                                                                                 \
                fprintf(stderr, prefix fmt "\n", ##__VA_ARGS__);                                            \
                -_e;                                                                                        \
        })

#define log_error_errno(error, fmt, ...)   log_full_errno(SD_ERR, error, fmt, ##__VA_ARGS__)
#define log_warning_errno(error, fmt, ...) log_full_errno(SD_WARNING, error, fmt, ##__VA_ARGS__)
#define log_info_errno(error, fmt, ...)    log_full_errno(SD_INFO, error, fmt, ##__VA_ARGS__)
#define log_error(fmt, ...)                ((void) fprintf(stderr, SD_ERR fmt "\n", ##__VA_ARGS__))
#define log_info(fmt, ...)                 ((void) fprintf(stderr, SD_INFO fmt "\n", ##__VA_ARGS__))
#define log_debug(fmt, ...)                                                                                 \
        do {                                                                                                \
                if (log_debug_enabled)                                                                      \
                        fprintf(stderr, SD_DEBUG fmt "\n", ##__VA_ARGS__);                                  \
        } while (0)

extern int log_debug_enabled;
