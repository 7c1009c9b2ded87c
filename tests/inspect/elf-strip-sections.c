/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* elf-strip-sections IN OUT: copy an ELF file without its section headers, as sstrip and
 * packers leave them. e_shoff, e_shnum and e_shstrndx are zeroed; when the section header table
 * is the last thing in the file (as after every linker and strip), the copy is truncated at the
 * old e_shoff. Everything else, program headers and segments included, is copied unchanged.
 * A test helper: it trusts its input only as far as the bounds checks below. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static uint64_t get(const uint8_t *p, size_t n, int big_endian) {
        uint64_t v = 0;
        for (size_t i = 0; i < n; i++)
                v = v << 8 | p[big_endian ? i : n - 1 - i];
        return v;
}

static int read_file(const char *path, uint8_t **ret, size_t *ret_size, mode_t *ret_mode) {
        struct stat st;
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        if (fstat(fd, &st) < 0) {
                int r = -errno;
                close(fd);
                return r;
        }
        if (!S_ISREG(st.st_mode)) {
                close(fd);
                return -EINVAL;
        }
        size_t size = (size_t) st.st_size, done = 0;
        uint8_t *buf = malloc(size ? size : 1);
        if (!buf) {
                close(fd);
                return -ENOMEM;
        }
        while (done < size) {
                ssize_t k = read(fd, buf + done, size - done);
                if (k < 0 && errno == EINTR)
                        continue;
                if (k <= 0) {
                        int r = k < 0 ? -errno : -EIO;
                        free(buf);
                        close(fd);
                        return r;
                }
                done += (size_t) k;
        }
        close(fd);
        *ret = buf;
        *ret_size = size;
        *ret_mode = st.st_mode & 07777;
        return 0;
}

static int write_file(const char *path, const uint8_t *buf, size_t size, mode_t mode) {
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
        if (fd < 0)
                return -errno;
        size_t done = 0;
        while (done < size) {
                ssize_t k = write(fd, buf + done, size - done);
                if (k < 0 && errno == EINTR)
                        continue;
                if (k < 0) {
                        int r = -errno;
                        close(fd);
                        return r;
                }
                done += (size_t) k;
        }
        if (fchmod(fd, mode) < 0 || close(fd) < 0)
                return -errno;
        return 0;
}

int main(int argc, char *argv[]) {
        uint8_t *buf = NULL;
        size_t size = 0;
        mode_t mode = 0;
        int r;

        if (argc != 3) {
                fprintf(stderr, "usage: %s IN OUT\n", argv[0]);
                return 2;
        }
        r = read_file(argv[1], &buf, &size, &mode);
        if (r < 0) {
                fprintf(stderr, "%s: %s\n", argv[1], strerror(-r));
                return 1;
        }
        if (size < 52 || memcmp(buf, "\177ELF", 4) != 0 || (buf[4] != 1 && buf[4] != 2) ||
            (buf[5] != 1 && buf[5] != 2) || (buf[4] == 2 && size < 64)) {
                fprintf(stderr, "%s: not an ELF file\n", argv[1]);
                free(buf);
                return 1;
        }

        int is64 = buf[4] == 2, be = buf[5] == 2;
        size_t off_shoff = is64 ? 40 : 32, len_shoff = is64 ? 8 : 4;
        size_t off_shentsize = is64 ? 58 : 46, off_shnum = is64 ? 60 : 48, off_shstrndx = is64 ? 62 : 50;
        uint64_t shoff = get(buf + off_shoff, len_shoff, be);
        uint64_t shentsize = get(buf + off_shentsize, 2, be);
        uint64_t shnum = get(buf + off_shnum, 2, be);

        if (shoff != 0 && shoff < size && shnum == 0 && shentsize >= (is64 ? 40u : 24u) &&
            shentsize <= size - shoff)
                /* More than SHN_LORESERVE sections: the count is in section 0's sh_size. */
                shnum = get(buf + shoff + (is64 ? 32 : 20), is64 ? 8 : 4, be);

        size_t new_size = size;
        if (shoff != 0 && shoff <= size && shentsize > 0 && shnum <= (size - shoff) / shentsize &&
            shoff + shnum * shentsize == size)
                new_size = (size_t) shoff; /* else the Go linker's layout: the table is not last */

        memset(buf + off_shoff, 0, len_shoff);
        memset(buf + off_shnum, 0, 2);
        memset(buf + off_shstrndx, 0, 2);

        r = write_file(argv[2], buf, new_size, mode);
        free(buf);
        if (r < 0) {
                fprintf(stderr, "%s: %s\n", argv[2], strerror(-r));
                return 1;
        }
        return 0;
}
