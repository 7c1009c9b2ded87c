/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "macro.h"
#include "read-file.h"
#include "state-file.h"
#include "time-util.h"

int state_file_write(const char *dir, const char *name, const void *data, size_t size) {
        _cleanup_free_ char *tmp = NULL, *path = NULL;
        _cleanup_close_ int dfd = -EBADF, fd = -EBADF;
        int r;

        if (asprintf(&tmp, "%s/.#%s.tmp", dir, name) < 0 || asprintf(&path, "%s/%s", dir, name) < 0)
                return -ENOMEM;
        dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd < 0)
                return -errno;
        fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
        if (fd < 0)
                return -errno;
        for (size_t done = 0; done < size;) {
                ssize_t k = write(fd, (const char *) data + done, size - done);
                if (k < 0) {
                        if (errno == EINTR)
                                continue;
                        r = -errno;
                        goto fail;
                }
                done += (size_t) k;
        }
        if (fsync(fd) < 0 || rename(tmp, path) < 0) {
                r = -errno;
                goto fail;
        }
        if (fsync(dfd) < 0)
                return -errno;
        return 0;
fail:
        (void) unlink(tmp);
        return r;
}

int read_file_capped(const char *path, int open_flags, size_t max, char **ret, size_t *ret_size) {
        _cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK | open_flags);
        if (fd < 0)
                return -errno;
        int r = read_fd_capped(fd, max, ret, ret_size);
        return r == -EISDIR ? -EBADFD : r; /* as before: anything but a regular file */
}

int read_virtual_file(const char *path, size_t max, char **ret, size_t *ret_len) {
        _cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
        if (fd < 0)
                return -errno;
        size_t size = 16384, n = 0;
        _cleanup_free_ char *buf = malloc(size);
        if (!buf)
                return -ENOMEM;
        for (;;) {
                if (n == size) {
                        if (size >= max)
                                break; /* the rest is not read: a bounded view */
                        size = MIN(size * 2, max);
                        char *b = realloc(buf, size);
                        if (!b)
                                return -ENOMEM;
                        buf = b;
                }
                ssize_t k = read(fd, buf + n, size - n);
                if (k < 0)
                        return -errno;
                if (k == 0)
                        break;
                n += (size_t) k;
        }
        *ret_len = n;
        *ret = TAKE_PTR(buf);
        return 0;
}

int state_file_read(const char *dir, const char *name, size_t max, char **ret, size_t *ret_size) {
        _cleanup_free_ char *path = NULL;
        if (asprintf(&path, "%s/%s", dir, name) < 0)
                return -ENOMEM;
        int r = read_file_capped(path, O_NOFOLLOW, max, ret, ret_size);
        /* State files are ours: anything but a regular file there is not one. */
        return r == -EBADFD ? -EBADMSG : r;
}

int state_file_move_aside(const char *dir, const char *name, char **ret_new_name) {
        _cleanup_free_ char *from = NULL, *to = NULL;
        if (asprintf(&from, "%s/%s", dir, name) < 0 ||
            asprintf(&to, "%s/%s.corrupt-%llu", dir, name, (unsigned long long) now_usec(CLOCK_REALTIME)) <
                    0)
                return -ENOMEM;
        if (rename(from, to) < 0)
                return -errno;
        if (ret_new_name)
                *ret_new_name = TAKE_PTR(to);
        return 0;
}

int state_file_remove(const char *dir, const char *name) {
        _cleanup_free_ char *path = NULL;
        if (asprintf(&path, "%s/%s", dir, name) < 0)
                return -ENOMEM;
        return unlink(path) < 0 && errno != ENOENT ? -errno : 0;
}
