/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The loader's host facts under a root made here (cache, ld.so.conf with includes, libc with its
 * version names, binfmt_misc), and the loader's search in it: RPATH with $ORIGIN,
 * LD_LIBRARY_PATH, RUNPATH, the cache, the default directories, libraries of another class
 * skipped, absolute symlinks resolved inside the root. */
#include <elf.h>
#include <sys/stat.h>
#include <unistd.h>

#include "host-loader.h"
#include "loader-fixture.h"
#include "loader-search.h"
#include "strv.h"

static char root[64], proc[64];

static void write_elf(const char *path, uint8_t elf_class, uint16_t machine, const void *tail, size_t n) {
        fixture_write_elf(root, path, elf_class, machine, tail, n);
}

static void write_text(const char *base, const char *path, const char *text) {
        fixture_write(base, path, text, strlen(text));
}

static const char libc_tail[] = "GLIBC_2.2.5\0GLIBC_2.34\0GLIBC_2.36\0GLIBC_2.4\0GLIBC_PRIVATE\0"
                                "GNU C Library (Debian GLIBC 2.36-9+deb12u4) stable release version 2.36.\n";

static const Lib cache_libs[] = {
        { 0x0303, "libc.so.6", "/lib/x86_64-linux-gnu/libc.so.6", 0 },
        { 0x0303, "libcached.so.1", "/usr/lib/x86_64-linux-gnu/libcached.so.1", 0 },
        { 0x0303, "libstale.so.1", "/gone/libstale.so.1", 0 },
        { 0x0003, "lib32only.so.1", "/lib/i386-linux-gnu/lib32only.so.1", 0 },
};

static void setup(void) {
        /* New ones for each test, also when Check does not fork (CK_FORK=no). */
        snprintf(root, sizeof root, "/tmp/test-host-loader-XXXXXX");
        snprintf(proc, sizeof proc, "/tmp/test-host-loader-proc-XXXXXX");
        ck_assert_ptr_nonnull(mkdtemp(root));
        ck_assert_ptr_nonnull(mkdtemp(proc));
        Image m = {};
        char p[1024];
        ld_cache_image_new(&m, 0, cache_libs, ELEMENTSOF(cache_libs));
        fixture_mkdirs(root, "etc/ld.so.conf.d");
        snprintf(p, sizeof p, "%s/etc/ld.so.cache", root);
        ld_cache_image_write(&m, p);
        write_text(root, "etc/ld.so.conf", "include ld.so.conf.d/*.conf\n  /opt/conf  # a comment\n\n");
        write_text(root, "etc/ld.so.conf.d/b.conf", "/usr/local/lib\n");
        write_text(root, "etc/ld.so.conf.d/a.conf", "# Multiarch\n/usr/local/lib/x86_64-linux-gnu\n");
        write_text(root, "etc/ld.so.conf.d/skip.txt", "/not/a/conf\n");
        write_elf("lib/x86_64-linux-gnu/libc.so.6", 64, EM_X86_64, libc_tail, sizeof libc_tail);
        write_elf("lib/x86_64-linux-gnu/libdefault.so.2", 64, EM_X86_64, "", 0);
        write_elf("lib/x86_64-linux-gnu/lib32only.so.1", 32, EM_386, "", 0);
        write_elf("lib/x86_64-linux-gnu/ld-test-target.so", 64, EM_X86_64, "", 0);
        write_elf("usr/lib/x86_64-linux-gnu/libcached.so.1", 64, EM_X86_64, "", 0);
        write_elf("usr/local/lib/libuncached.so.3", 64, EM_X86_64, "", 0);
        write_elf("opt/app/bin/app", 64, EM_X86_64, "", 0);
        write_elf("opt/app/lib/librpath.so.1", 64, EM_X86_64, "", 0);
        write_elf("srv/ldpath/libenv.so.1", 64, EM_X86_64, "", 0);
        fixture_mkdirs(root, "lib64");
        snprintf(p, sizeof p, "%s/lib64/ld-test.so", root);
        ck_assert_int_eq(symlink("/lib/x86_64-linux-gnu/ld-test-target.so", p), 0);
        write_text(proc, "sys/fs/binfmt_misc/status", "enabled\n");
        write_text(proc, "sys/fs/binfmt_misc/register", "");
        write_text(proc, "sys/fs/binfmt_misc/qemu-aarch64",
                   "enabled\ninterpreter /usr/libexec/qemu-binfmt/aarch64-binfmt-P\nflags: POCF\noffset 0\n"
                   "magic 7f454c460201010000000000000000000200b700\n"
                   "mask ffffffffffffff00fffffffffffffffffeffffff\n");
        /* Under a root, its systemd-binfmt files: /etc's masks /usr/lib's of the same name. */
        write_text(
                root, "usr/lib/binfmt.d/qemu-aarch64-static.conf",
                "# qemu-user-static\n:qemu-aarch64:M::\\x7fELF\\x02\\x01\\x01\\x00\\x00\\x00\\x00\\x00\\x00"
                "\\x00\\x00\\x00\\x02\\x00\\xb7\\x00:\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\x00\\xff"
                "\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xfe\\xff\\xff\\xff:/usr/libexec/qemu-binfmt/"
                "aarch64-binfmt-P:POCF\n");
        write_text(root, "usr/lib/binfmt.d/qemu-riscv64.conf",
                   ":qemu-riscv64:M::\\x7fELF\\x02::/usr/bin/qemu-riscv64:\n");
        write_text(root, "etc/binfmt.d/qemu-riscv64.conf", "# disabled here\n");
        write_text(root, "usr/lib/binfmt.d/wine.conf", ":wine:E::exe::/usr/bin/wine:\n");
        write_text(proc, "sys/fs/binfmt_misc/qemu-riscv64",
                   "disabled\ninterpreter /usr/bin/qemu-riscv64\nflags: \noffset 0\n"
                   "magic 7f454c460201010000000000000000000200f300\n"
                   "mask ffffffffffffff00fffffffffffffffffeffffff\n");
}

static void teardown(void) {
        char cmd[256];
        snprintf(cmd, sizeof cmd, "rm -rf '%s' '%s'", root, proc);
        ck_assert_int_eq(system(cmd), 0);
}

static bool x86_64_host(const HostFacts *h) {
        return h->machine == EM_X86_64 && h->elf_class == 64;
}

START_TEST(test_read) {
        HostFacts h;
        ck_assert_int_eq(host_facts_init(&h, root), 0);
        ck_assert_int_eq(host_facts_read_loader(&h, proc), 0);
        ck_assert(h.loader_read);
        ck_assert_int_eq(h.ld_cache_error, 0);
        ck_assert_int_eq(h.ld_cache.format, LD_SO_CACHE_NEW);
        ck_assert_uint_eq(h.ld_cache.n_entries, 4);
        /* ld.so.conf: its includes in glob order where the include stands, then its own lines. */
        ck_assert_uint_eq(strv_length(h.ld_conf_dirs), 3);
        ck_assert_str_eq(h.ld_conf_dirs[0], "/usr/local/lib/x86_64-linux-gnu");
        ck_assert_str_eq(h.ld_conf_dirs[1], "/usr/local/lib");
        ck_assert_str_eq(h.ld_conf_dirs[2], "/opt/conf");
        ck_assert_uint_eq(h.n_binfmt, 1);
        ck_assert_str_eq(h.binfmt[0].name, "qemu-aarch64");
        ck_assert_str_eq(h.binfmt[0].interpreter, "/usr/libexec/qemu-binfmt/aarch64-binfmt-P");
        ck_assert_uint_eq(h.binfmt[0].magic_len, 20);
        ck_assert_ptr_nonnull(binfmt_match(h.binfmt, h.n_binfmt, 64, false, ET_DYN, EM_AARCH64));
        ck_assert_ptr_null(binfmt_match(h.binfmt, h.n_binfmt, 64, false, ET_DYN, EM_RISCV));
        ck_assert_str_eq(h.proc_root, proc);
        if (!x86_64_host(&h)) {
                host_facts_done(&h);
                return; /* the root is an x86-64 one */
        }
        ck_assert_str_eq(h.multiarch, "x86_64-linux-gnu");
        ck_assert_uint_eq(strv_length(h.default_dirs), 4);
        ck_assert_str_eq(h.default_dirs[0], "/lib/x86_64-linux-gnu");
        ck_assert_str_eq(h.default_dirs[3], "/usr/lib");
        ck_assert_str_eq(h.libc_path, "/lib/x86_64-linux-gnu/libc.so.6");
        ck_assert_str_eq(h.glibc_version, "GLIBC_2.36");
        ck_assert_str_eq(h.glibc_release, "2.36");
        host_facts_done(&h);
        ck_assert_ptr_null(h.glibc_version);
}
END_TEST

START_TEST(test_read_proc_binfmt) {
        /* This host ("/"): the kernel's handlers, the enabled ones. */
        HostFacts h;
        ck_assert_int_eq(host_facts_init(&h, "/"), 0);
        ck_assert_int_eq(host_facts_read_loader(&h, proc), 0);
        ck_assert_uint_eq(h.n_binfmt, 1);
        ck_assert_str_eq(h.binfmt[0].name, "qemu-aarch64");
        ck_assert_str_eq(h.binfmt[0].interpreter, "/usr/libexec/qemu-binfmt/aarch64-binfmt-P");
        ck_assert_ptr_nonnull(binfmt_match(h.binfmt, h.n_binfmt, 64, false, ET_EXEC, EM_AARCH64));
        host_facts_done(&h);
}
END_TEST

START_TEST(test_read_ld_cache_again) {
        /* ldconfig ran: the cache and ld.so.conf are read again, the rest stays. */
        HostFacts h;
        char p[1024];
        Image m = {};
        ck_assert_int_eq(host_facts_init(&h, root), 0);
        ck_assert_int_eq(host_facts_read_loader(&h, proc), 0);
        ck_assert_uint_eq(h.ld_cache.n_entries, 4);
        ld_cache_image_new(&m, 0, cache_libs, 1);
        snprintf(p, sizeof p, "%s/etc/ld.so.cache", root);
        ld_cache_image_write(&m, p);
        write_text(root, "etc/ld.so.conf", "/opt/only\n");
        ck_assert_int_eq(host_facts_read_ld_cache(&h), 0);
        ck_assert_uint_eq(h.ld_cache.n_entries, 1);
        ck_assert_uint_eq(strv_length(h.ld_conf_dirs), 1);
        ck_assert_str_eq(h.ld_conf_dirs[0], "/opt/only");
        ck_assert_uint_eq(h.n_binfmt, 1);
        ck_assert(h.loader_read);
        ck_assert_int_eq(unlink(p), 0);
        ck_assert_int_eq(host_facts_read_ld_cache(&h), -ENOENT);
        ck_assert_uint_eq(h.ld_cache.n_entries, 0);
        host_facts_done(&h);
}
END_TEST

START_TEST(test_no_cache) {
        HostFacts h;
        char p[1024];
        snprintf(p, sizeof p, "%s/etc/ld.so.cache", root);
        ck_assert_int_eq(unlink(p), 0);
        ck_assert_int_eq(host_facts_init(&h, root), 0);
        ck_assert_int_eq(host_facts_read_loader(&h, "/nonexistent"), 0);
        ck_assert_int_eq(h.ld_cache_error, -ENOENT);
        ck_assert_uint_eq(h.n_binfmt, 1); /* the root's binfmt.d, whatever the kernel has */
        /* libc from the default directories then. */
        if (x86_64_host(&h))
                ck_assert_str_eq(h.libc_path, "/lib/x86_64-linux-gnu/libc.so.6");
        host_facts_done(&h);
}
END_TEST

static int resolve(LoaderView *v, const ElfFacts *e, const char *ldpath, const char *name, char **ret_path,
                   char **ret_tried) {
        StrBuf tried = {};
        int r = loader_resolve(v, e, "/opt/app/bin/app", ldpath, name, ret_path, &tried);
        ck_assert_int_eq(strbuf_steal(&tried, ret_tried, NULL), 0);
        return r;
}

START_TEST(test_resolve) {
        HostFacts h;
        LoaderView v;
        ElfFacts e = { .elf_class = 64, .machine = EM_X86_64, .rpath = (char *) "$ORIGIN/../lib" };
        char *path = NULL, *tried = NULL;
        ck_assert_int_eq(host_facts_init(&h, root), 0);
        ck_assert_int_eq(host_facts_read_loader(&h, proc), 0);
        ck_assert_int_eq(loader_view_init(&v, &h, NULL), 0);

        ck_assert_int_eq(resolve(&v, &e, NULL, "librpath.so.1", &path, &tried), 1);
        ck_assert_str_eq(path, "/opt/app/bin/../lib/librpath.so.1");
        ck_assert_str_eq(tried, "RPATH $ORIGIN/../lib");
        free(path), free(tried);
        ck_assert_int_eq(resolve(&v, &e, "/nonexistent:/srv/ldpath", "libenv.so.1", &path, &tried), 1);
        ck_assert_str_eq(path, "/srv/ldpath/libenv.so.1");
        free(path), free(tried);
        ck_assert_int_eq(resolve(&v, &e, NULL, "libcached.so.1", &path, &tried), 1);
        ck_assert_str_eq(path, "/usr/lib/x86_64-linux-gnu/libcached.so.1");
        free(path), free(tried);
        ck_assert_int_eq(resolve(&v, &e, NULL, "/srv/ldpath/libenv.so.1", &path, &tried), 1);
        free(path), free(tried);
        if (x86_64_host(&h)) {
                ck_assert_int_eq(resolve(&v, &e, NULL, "libdefault.so.2", &path, &tried), 1);
                ck_assert_str_eq(path, "/lib/x86_64-linux-gnu/libdefault.so.2");
                free(path), free(tried);
        }
        /* A library of another class is skipped, as the loader skips it. */
        ck_assert_int_eq(resolve(&v, &e, "/nonexistent:/srv/ldpath", "lib32only.so.1", &path, &tried), 0);
        ck_assert_str_eq(tried,
                         "RPATH $ORIGIN/../lib, LD_LIBRARY_PATH /nonexistent, LD_LIBRARY_PATH /srv/ldpath, "
                         "ld.so.cache, /lib/x86_64-linux-gnu, /usr/lib/x86_64-linux-gnu, /lib, /usr/lib");
        free(tried);
        /* The cache names a file that is gone. */
        ck_assert_int_eq(resolve(&v, &e, NULL, "libstale.so.1", &path, &tried), 0);
        free(tried);
        /* In a directory of ld.so.conf, not in the cache: ldconfig was not run. */
        ck_assert_int_eq(resolve(&v, &e, NULL, "libuncached.so.3", &path, &tried), 0);
        free(tried);
        path = loader_find_uncached(&v, &e, "libuncached.so.3");
        ck_assert_str_eq(path, "/usr/local/lib/libuncached.so.3");
        free(path);
        ck_assert_ptr_null(loader_find_uncached(&v, &e, "libnowhere.so.1"));
        /* With a RUNPATH the loader ignores the RPATH. */
        e.runpath = (char *) "/srv/ldpath";
        ck_assert_int_eq(resolve(&v, &e, NULL, "librpath.so.1", &path, &tried), 0);
        ck_assert_str_eq(
                tried, "RUNPATH /srv/ldpath, ld.so.cache, /lib/x86_64-linux-gnu, /usr/lib/x86_64-linux-gnu, "
                       "/lib, /usr/lib");
        free(tried);
        /* BindReadOnlyPaths=-/srv/ldpath:/usr/lib/extra: the unit sees the source there. */
        char *binds[] = { (char *) "-/srv/ldpath", (char *) "/usr/lib/extra", NULL };
        e.runpath = (char *) "/usr/lib/extra";
        ck_assert_int_eq(resolve(&v, &e, NULL, "libenv.so.1", &path, &tried), 0);
        free(tried);
        ck_assert_int_eq(loader_view_set_binds(&v, NULL, binds), 0);
        ck_assert_int_eq(resolve(&v, &e, NULL, "libenv.so.1", &path, &tried), 1);
        ck_assert_str_eq(path, "/usr/lib/extra/libenv.so.1");
        free(path), free(tried);
        ck_assert_int_eq(loader_view_set_binds(&v, NULL, NULL), 0);
        ck_assert_uint_eq(loader_path_prefix_len("/usr/lib/", "/usr/lib/x"), 8);
        ck_assert_uint_eq(loader_path_prefix_len("-/usr/lib", "/usr/lib"), 8);
        ck_assert_uint_eq(loader_path_prefix_len("/usr/li", "/usr/lib"), 0);
        ck_assert_uint_eq(loader_path_prefix_len("/", "/usr"), 1);
        /* An absolute symlink resolves inside the root. */
        struct stat st;
        ck_assert_int_eq(loader_view_stat(&v, "/lib64/ld-test.so", &st), 0);
        ck_assert(S_ISREG(st.st_mode));
        ck_assert_int_eq(loader_view_stat(&v, "/lib64/ld-none.so", &st), -ENOENT);
        loader_view_done(&v);

        /* RootDirectory=: the unit's own root, with no cache of its own. */
        ck_assert_int_eq(loader_view_init(&v, &h, "/nonexistent-root"), -ENOENT);
        ck_assert_int_eq(loader_view_init(&v, &h, "/opt/app"), 0);
        ck_assert_ptr_null(loader_view_cache(&v));
        e.runpath = NULL;
        ck_assert_int_eq(resolve(&v, &e, NULL, "libcached.so.1", &path, &tried), 0);
        ck_assert_str_eq(tried, "RPATH $ORIGIN/../lib, no ld.so.cache, /lib64, /usr/lib64");
        free(tried);
        loader_view_done(&v);
        host_facts_done(&h);
}
END_TEST

START_TEST(test_expand) {
        char *s;
        ck_assert_int_eq(loader_expand("$ORIGIN/../lib", "/opt/app/bin", "lib64", "x86_64", &s), 0);
        ck_assert_str_eq(s, "/opt/app/bin/../lib");
        free(s);
        ck_assert_int_eq(loader_expand("${ORIGIN}/x:y", "/o", "lib64", "x86_64", &s), 0);
        ck_assert_str_eq(s, "/o/x:y");
        free(s);
        ck_assert_int_eq(
                loader_expand("/usr/$LIB/$PLATFORM/${LIB}", "/o", "lib/x86_64-linux-gnu", "x86_64", &s), 0);
        ck_assert_str_eq(s, "/usr/lib/x86_64-linux-gnu/x86_64/lib/x86_64-linux-gnu");
        free(s);
        ck_assert_int_eq(loader_expand("$ORIGINAL/lib", "/o", "lib", "x", &s), -EINVAL);
        ck_assert_int_eq(loader_expand("$FOO/lib", "/o", "lib", "x", &s), -EINVAL);
        ck_assert_int_eq(loader_expand("${ORIGIN/lib", "/o", "lib", "x", &s), -EINVAL);
        ck_assert_int_eq(loader_expand("lib", "/o", "lib", "x", &s), -EINVAL);
        ck_assert_int_eq(loader_expand("$ORIGIN/lib", NULL, "lib", "x", &s), -EINVAL);
        ck_assert_int_eq(loader_expand("$PLATFORM", "/o", "lib", NULL, &s), -EINVAL);
}
END_TEST

START_TEST(test_glibc_scan) {
        char *v, *rel;
        ck_assert_int_eq(glibc_scan(libc_tail, sizeof libc_tail - 1, &v, &rel), 0);
        ck_assert_str_eq(v, "GLIBC_2.36");
        ck_assert_str_eq(rel, "2.36");
        free(v), free(rel);
        /* At the very end, without a NUL; names that are not versions. */
        static const char t[] = "GLIBC_2.3.4\0GLIBC_2.\0GLIBC_PRIVATE\0GLIBC_2.17x\0xGLIBC_2.40\0GLIBC_2.28";
        ck_assert_int_eq(glibc_scan(t, sizeof t - 1, &v, &rel), 0);
        ck_assert_str_eq(v, "GLIBC_2.28");
        ck_assert_ptr_null(rel);
        free(v);
        ck_assert_int_eq(glibc_scan("", 0, &v, &rel), 0);
        ck_assert_ptr_null(v);
        ck_assert_ptr_null(rel);
}
END_TEST

START_TEST(test_binfmt) {
        HostBinfmt b;
        ck_assert_int_eq(binfmt_parse("qemu-aarch64",
                                      "enabled\ninterpreter /usr/bin/qemu-aarch64\nflags: F\noffset 0\n"
                                      "magic 7f454c460201010000000000000000000200b700\n"
                                      "mask ffffffffffffff00fffffffffffffffffeffffff\n",
                                      &b),
                         0);
        ck_assert_uint_eq(b.magic_len, 20);
        /* It matches aarch64 executables and PIEs (the mask leaves e_type's low bit out). */
        ck_assert_ptr_nonnull(binfmt_match(&b, 1, 64, false, ET_EXEC, EM_AARCH64));
        ck_assert_ptr_nonnull(binfmt_match(&b, 1, 64, false, ET_DYN, EM_AARCH64));
        ck_assert_ptr_null(binfmt_match(&b, 1, 64, false, ET_EXEC, EM_RISCV));
        ck_assert_ptr_null(binfmt_match(&b, 1, 32, false, ET_EXEC, EM_AARCH64));
        ck_assert_ptr_null(binfmt_match(&b, 1, 64, true, ET_EXEC, EM_AARCH64));
        binfmt_done(&b);
        ck_assert_int_eq(binfmt_parse("x", "disabled\ninterpreter /x\nmagic 7f45\n", &b), -ENOENT);
        ck_assert_int_eq(binfmt_parse("x", "enabled\ninterpreter /x\nextension .exe\n", &b), -EBADMSG);
        ck_assert_int_eq(binfmt_parse("x", "enabled\ninterpreter /x\nmagic 7f4\n", &b), -EBADMSG);
        ck_assert_int_eq(binfmt_parse("x", "enabled\ninterpreter /x\nmagic 7f45\nmask ff\n", &b), -EBADMSG);
        ck_assert_int_eq(binfmt_parse("x", "enabled\ninterpreter /x\nmagic zz\n", &b), -EBADMSG);
        ck_assert_int_eq(binfmt_parse("x", "enabled\ninterpreter /x\noffset 99999\nmagic 7f\n", &b),
                         -EBADMSG);
        /* No mask: every bit counts; at an offset. */
        ck_assert_int_eq(binfmt_parse("x", "enabled\ninterpreter /x\noffset 18\nmagic b700\n", &b), 0);
        ck_assert_ptr_nonnull(binfmt_match(&b, 1, 64, false, ET_EXEC, EM_AARCH64));
        ck_assert_ptr_null(binfmt_match(&b, 1, 64, false, ET_EXEC, EM_X86_64));
        binfmt_done(&b);
}
END_TEST

START_TEST(test_binfmt_register) {
        HostBinfmt b;
        ck_assert_int_eq(binfmt_parse_register("|x|M|18|\\xb7\\x00||/usr/bin/qemu-x|F", &b), 0);
        ck_assert_str_eq(b.name, "x");
        ck_assert_str_eq(b.interpreter, "/usr/bin/qemu-x");
        ck_assert_uint_eq(b.offset, 18);
        ck_assert_uint_eq(b.magic_len, 2);
        ck_assert_uint_eq(b.magic[0], 0xb7);
        ck_assert_uint_eq(b.mask[1], 0xff);
        ck_assert_ptr_nonnull(binfmt_match(&b, 1, 64, false, ET_EXEC, EM_AARCH64));
        binfmt_done(&b);
        ck_assert_int_eq(binfmt_parse_register(":y:M::a\\\\b::/i:", &b), 0);
        ck_assert_uint_eq(b.magic_len, 3);
        ck_assert_uint_eq(b.magic[1], '\\');
        binfmt_done(&b);
        ck_assert_int_eq(binfmt_parse_register("  # comment", &b), -ENOENT);
        ck_assert_int_eq(binfmt_parse_register("", &b), -ENOENT);
        ck_assert_int_eq(binfmt_parse_register(":w:E::exe::/usr/bin/wine:", &b), -EBADMSG);
        ck_assert_int_eq(binfmt_parse_register(":w:M::\\x7f:\\xff\\xff:/i:", &b), -EBADMSG);
        ck_assert_int_eq(binfmt_parse_register(":w:M::\\xzz::/i:", &b), -EBADMSG);
        ck_assert_int_eq(binfmt_parse_register(":w:M:x:\\x7f::/i:", &b), -EBADMSG);
        ck_assert_int_eq(binfmt_parse_register(":w:M::::/i:", &b), -EBADMSG);
        ck_assert_int_eq(binfmt_parse_register(":w:M::\\x7f:::", &b), -EBADMSG);
        ck_assert_int_eq(binfmt_parse_register(":w:M::\\x7f", &b), -EBADMSG);
}
END_TEST

START_TEST(test_conf_and_machines) {
        char **lines = NULL;
        ck_assert_int_eq(
                ld_so_conf_parse("# c\n\t/a/b \r\ninclude\t/etc/x/*.conf\nhwcap 0 nosegneg\n/c=libc6\n"
                                 "include  rel/*.conf # tail\n",
                                 &lines),
                0);
        ck_assert_uint_eq(strv_length(lines), 4);
        ck_assert_str_eq(lines[0], "/a/b");
        ck_assert_str_eq(lines[1], "include /etc/x/*.conf");
        ck_assert_str_eq(lines[2], "/c");
        ck_assert_str_eq(lines[3], "include rel/*.conf");
        strv_free(lines);

        uint8_t cls;
        bool be;
        ck_assert_uint_eq(machine_from_uname("x86_64", &cls, &be), EM_X86_64);
        ck_assert_uint_eq(cls, 64);
        ck_assert_uint_eq(machine_from_uname("s390x", &cls, &be), EM_S390);
        ck_assert(be);
        ck_assert_uint_eq(machine_from_uname("armv7l", &cls, &be), EM_ARM);
        ck_assert_uint_eq(cls, 32);
        ck_assert_uint_eq(machine_from_uname("pdp11", &cls, &be), 0);
        ck_assert_str_eq(multiarch_triplet(EM_AARCH64, 64, false), "aarch64-linux-gnu");
        ck_assert_str_eq(multiarch_triplet(EM_386, 32, false), "i386-linux-gnu");
        ck_assert_ptr_null(multiarch_triplet(EM_MIPS, 32, true));
}
END_TEST

static Suite *suite(void) {
        Suite *s = suite_create("host-loader");
        TCase *tc = tcase_create("root");
        tcase_add_checked_fixture(tc, setup, teardown);
        tcase_add_test(tc, test_read);
        tcase_add_test(tc, test_read_proc_binfmt);
        tcase_add_test(tc, test_read_ld_cache_again);
        tcase_add_test(tc, test_no_cache);
        tcase_add_test(tc, test_resolve);
        suite_add_tcase(s, tc);
        tc = tcase_create("pure");
        tcase_add_test(tc, test_expand);
        tcase_add_test(tc, test_glibc_scan);
        tcase_add_test(tc, test_binfmt);
        tcase_add_test(tc, test_binfmt_register);
        tcase_add_test(tc, test_conf_and_machines);
        suite_add_tcase(s, tc);
        return s;
}

DEFINE_TEST_MAIN(suite)
