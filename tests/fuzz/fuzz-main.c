/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz-util.h"

/* Without libFuzzer: runs the target once over every file given, and over every regular file in
 * every directory given (sorted by name), so the seed corpus and crash reproducers stay
 * regression tests. */

static int run_file(const char *path) {
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
                fprintf(stderr, "%s: %s\n", path, strerror(errno));
                return -1;
        }
        struct stat st;
        if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
                close(fd);
                return 0;
        }
        size_t size = (size_t) st.st_size, done = 0;
        uint8_t *buf = malloc(size ? size : 1);
        if (!buf) {
                close(fd);
                return -1;
        }
        while (done < size) {
                ssize_t k = read(fd, buf + done, size - done);
                if (k <= 0)
                        break;
                done += (size_t) k;
        }
        close(fd);
        if (done != size) {
                fprintf(stderr, "%s: short read\n", path);
                free(buf);
                return -1;
        }
        fprintf(stderr, "running %s (%zu bytes)\n", path, size);
        /* A copy of exactly the input's size, so reads past it are caught by ASan. */
        LLVMFuzzerTestOneInput(buf, size);
        free(buf);
        return 1;
}

static int filter(const struct dirent *de) {
        return de->d_name[0] != '.';
}

int main(int argc, char **argv) {
        size_t ran = 0;
        int failed = 0;

        if (argc < 2) {
                fprintf(stderr, "usage: %s DIR|FILE...\n", argv[0]);
                return 2;
        }
        for (int i = 1; i < argc; i++) {
                struct stat st;
                if (stat(argv[i], &st) < 0) {
                        fprintf(stderr, "%s: %s\n", argv[i], strerror(errno));
                        failed = 1;
                        continue;
                }
                if (!S_ISDIR(st.st_mode)) {
                        int r = run_file(argv[i]);
                        failed |= r < 0;
                        ran += r > 0;
                        continue;
                }
                struct dirent **names;
                int n = scandir(argv[i], &names, filter, alphasort);
                if (n < 0) {
                        fprintf(stderr, "%s: %s\n", argv[i], strerror(errno));
                        failed = 1;
                        continue;
                }
                for (int k = 0; k < n; k++) {
                        size_t len = strlen(argv[i]) + strlen(names[k]->d_name) + 2;
                        char *path = malloc(len);
                        if (path) {
                                snprintf(path, len, "%s/%s", argv[i], names[k]->d_name);
                                int r = run_file(path);
                                failed |= r < 0;
                                ran += r > 0;
                        } else
                                failed = 1;
                        free(path);
                        free(names[k]);
                }
                free(names);
        }
        fprintf(stderr, "%zu inputs ran\n", ran);
        if (ran == 0) {
                fprintf(stderr, "no inputs found\n");
                return 1;
        }
        return failed;
}
