# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
# The Debian package: debian/ builds goguard's .deb with dpkg-buildpackage (on the host, cached in
# the build directory by the source's content), lintian finds no error in it, and dpkg installs it
# in the box (dpkg's database in the box's private /var): the maintainer scripts enable and start
# goguardd.service, goguardd finds a Go unit, the bus policy, activation, polkit actions, catalog,
# man pages and completions are in place; dpkg -r stops goguardd and removes it.
source "$SRC_DIR/tests/integration/goguard-lib.sh"
for t in dpkg-buildpackage dh lintian fakeroot; do
        command -v "$t" >/dev/null || skip "$t is not installed (tools/install-deps)"
done
require_go_services

# The source files: git's list where there is one (tracked and new files, not ignored ones).
cd "$SRC_DIR"
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
        mapfile -d '' files < <(git ls-files -z --cached --others --exclude-standard)
else
        mapfile -d '' files < <(find . -path ./.git -prune -o -path "./${BUILD_DIR#"$SRC_DIR"/}" -prune -o \
                -type f -printf '%P\0')
fi
existing=()
for f in "${files[@]}"; do [ -f "$f" ] && existing+=("$f"); done
# The key leaves out the integration tests themselves: they are not in the package.
key=$(printf '%s\0' "${existing[@]}" | grep -zv '^tests/integration/test-' | sort -z | xargs -0 sha256sum |
        sha256sum | cut -c1-16)
cache=$BUILD_DIR/deb-cache
deb=$cache/$key/goguard_0.1.0_amd64.deb
if [ ! -f "$deb" ] || [ ! -f "$cache/$key/lintian.txt" ]; then
        rm -rf "$cache"
        mkdir -p "$cache/$key/src"
        printf '%s\0' "${existing[@]}" | tar -c --null -T - | tar -x -C "$cache/$key/src"
        start=$(date +%s)
        # The suites of the package build (unit, fuzz, mutation, inspect, analyze) run in
        # tools/test already: nocheck keeps this test fast. A build with them:
        # dpkg-buildpackage -b -us -uc (debian/rules leaves out only the integration suite).
        if ! (cd "$cache/$key/src" && DEB_BUILD_OPTIONS="nocheck parallel=2" DEB_BUILD_PROFILES=nocheck \
                dpkg-buildpackage -b -us -uc >"$cache/$key/build.log" 2>&1); then
                tail -n 30 "$cache/$key/build.log"
                false
        fi
        echo "  dpkg-buildpackage -b: $(($(date +%s) - start)) s"
        lintian --tag-display-limit 0 "$deb" >"$cache/$key/lintian.txt" 2>&1 || true
        rm -rf "$cache/$key/src"
fi
cd "$BUILD_DIR"
echo "  lintian: $(grep -c '^W:' "$cache/$key/lintian.txt" || true) warnings"
sed -n 's/^\(W: .*\)/    \1/p' "$cache/$key/lintian.txt"
assert_eq "" "$(grep '^E:' "$cache/$key/lintian.txt" || true)" "lintian: no errors"
assert_match 'libapparmor1 [^,]*, libauparse0 [^,]*, libc6 [^,]*, libelf1 [^,]*, libselinux1 [^,]*, libsystemd0 [^,]*, zlib1g [^,]*, dbus' \
        "$(dpkg-deb -f "$deb" Depends)" "shlibs (the security family's libraries among them) and dbus in Depends"
for s in postinst prerm postrm; do
        assert_status 0 sh -c 'dpkg-deb -I "$1" "$2" | grep -q goguardd.service' sh "$deb" "$s"
done

# The box: goguard as meson installed it is removed first, so what runs comes from the package.
go=${UNIT_PREFIX}healthy.service
cleanup() {
        box_exec systemctl stop "$go" >/dev/null 2>&1 || true
        box_exec dpkg --log=/run/dpkg.log --purge goguard >/dev/null 2>&1 || true
        box_exec meson install -C "$BUILD_DIR" --no-rebuild --quiet >/dev/null 2>&1 || true
        box_exec systemctl daemon-reload >/dev/null 2>&1 || true
        box_exec busctl call org.freedesktop.DBus /org/freedesktop/DBus org.freedesktop.DBus ReloadConfig \
                >/dev/null 2>&1 || true
        box_exec systemctl restart goguardd.service >/dev/null 2>&1 || true
}
trap cleanup EXIT
box_exec systemctl stop goguardd.service
meson introspect --installed "$BUILD_DIR" |
        python3 -c 'import json, sys; print("\n".join(sorted(json.load(sys.stdin).values())))' >"$BOX_DIR/meson-files"
box_sh 'xargs rm -f <"$1"' "$BOX_DIR/meson-files"
box_exec systemctl daemon-reload
assert_status 1 box_exec test -e /usr/libexec/goguardd
box_exec rm -f /usr/sbin/policy-rc.d # a container image's leftover: it would block the start

start=$(date +%s%N)
box_exec dpkg --log=/run/dpkg.log -i "$deb" >"$BOX_DIR/dpkg-i.log" 2>&1 || { cat "$BOX_DIR/dpkg-i.log"; false; }
echo "  dpkg -i: $((($(date +%s%N) - start) / 1000000)) ms"
assert_eq enabled "$(box_exec systemctl is-enabled goguardd.service)" "postinst enabled goguardd.service"
wait_until 5 box_exec systemctl is-active --quiet goguardd.service
listed=$(box_exec dpkg -L goguard)
for f in /usr/libexec/goguardd /usr/bin/goguardctl /lib/systemd/system/goguardd.service \
        /usr/share/dbus-1/system.d/org.goguard.goguard1.conf \
        /usr/share/dbus-1/system-services/org.goguard.goguard1.service \
        /usr/share/dbus-1/interfaces/org.goguard.goguard1.xml \
        /usr/share/polkit-1/actions/org.goguard.goguard1.policy /usr/lib/systemd/catalog/goguard.catalog \
        /usr/share/man/man8/goguardd.8.gz /usr/share/man/man5/goguardd.conf.5.gz \
        /usr/share/man/man1/goguardctl.1.gz /usr/share/man/man5/org.goguard.goguard1.5.gz \
        /usr/share/bash-completion/completions/goguardctl /usr/share/zsh/vendor-completions/_goguardctl; do
        assert_status 0 grep -qxF "$f" <<<"$listed"
done
# systemd's trigger updated the catalog database with goguard's entries.
assert_match '.*was killed by the kernel OOM killer.*' \
        "$(box_exec journalctl --list-catalog 7f5a04130449b86595aa520b9a11e84d | tr '\n' ' ')" "the catalog"

# goguardd from the package finds a Go unit, and answers an unprivileged client (bus policy).
box_exec systemd-run --quiet --unit="$go" "$GO_SERVICES_DIR/healthy"
wait_until 10 gg_has_unit "$go"
assert_status 0 box_sh 'runuser -u nobody -- goguardctl show "$1" >/dev/null' "$go"

# dpkg -r: prerm stops it, the files go.
box_exec dpkg --log=/run/dpkg.log -r goguard >"$BOX_DIR/dpkg-r.log" 2>&1 || { cat "$BOX_DIR/dpkg-r.log"; false; }
assert_eq inactive "$(box_exec systemctl is-active goguardd.service || true)" "dpkg -r stopped goguardd"
assert_status 1 box_exec test -e /usr/libexec/goguardd
