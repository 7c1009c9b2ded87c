/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

/* Fuzz targets check their invariants with this, not assert(): it must fire in every build. */
#define FUZZ_CHECK(cond)                                                                                    \
        do {                                                                                                \
                if (!(cond)) {                                                                              \
                        fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);            \
                        abort();                                                                            \
                }                                                                                           \
        } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The input as a regular file (the ELF readers take an fd), or -1. */
static inline int fuzz_memfd(const uint8_t *data, size_t size) {
        int fd = memfd_create("fuzz-input", MFD_CLOEXEC);
        if (fd < 0)
                return -1;
        size_t done = 0;
        while (done < size) {
                ssize_t k = write(fd, data + done, size - done);
                if (k <= 0) {
                        close(fd);
                        return -1;
                }
                done += (size_t) k;
        }
        return fd;
}
