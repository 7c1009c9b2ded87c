#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Checks `goguardctl inspect` against the corpus inspect-test.sh built.

1. modinfo: `goguardctl inspect --modinfo F` prints exactly what `go version -m F` prints.
2. ELF facts: `goguardctl inspect --json F` against expectations per build, against the build
   information `go version -m` shows, against `go tool buildid` and against readelf.
3. Non-Go files and exit statuses: 0 all Go, 1 some not Go, 2 a path missing; valid JSON always.
4. Directory scan: `goguardctl inspect --modinfo DIR` finds what `go version [-m] DIR` finds.

Prints one PASS/FAIL line per check and exits 1 if any failed."""

import argparse
import difflib
import json
import os
import re
import shutil
import subprocess
import sys

AMD64_LD = "/lib64/ld-linux-x86-64.so.2"

# What the ELF header must say per GOARCH; machine is lib/'s elf_machine_to_string() name.
ARCHES = {
    "amd64": dict(elf_class=64, byte_order="little", e_machine=62, machine="x86-64"),
    "386": dict(elf_class=32, byte_order="little", e_machine=3, machine="i386"),
    "arm64": dict(elf_class=64, byte_order="little", e_machine=183, machine="aarch64"),
    "s390x": dict(elf_class=64, byte_order="big", e_machine=22, machine="s390"),
    "riscv64": dict(elf_class=64, byte_order="little", e_machine=243, machine="riscv"),
}

# readelf -h "Machine:" text -> e_machine.
READELF_MACHINES = {
    "Advanced Micro Devices X86-64": 62,
    "Intel 80386": 3,
    "AArch64": 183,
    "IBM S/390": 22,
    "RISC-V": 243,
}


def build(**kw):
    """Expectations for one corpus binary: a statically linked linux/amd64 executable without
    cgo unless said otherwise."""
    e = dict(
        goos="linux",
        goarch="amd64",
        cgo=False,
        type="exec",
        linking="static",
        interpreter=None,
        buildmode="exe",  # checked only if the toolchain records -buildmode (Go 1.20+)
        main_package="example.com/hello",
        settings={},  # build settings that must be present with this value
        absent=[],  # build settings that must not be present
        arch_level=None,  # (key, value) that must be reported
        vcs=None,
        section_headers=True,
        go_can_read=True,  # go version -m of this very file works
        signals="none",  # hello uses no os/signal
    )
    e.update(kw)
    return e


CGO_AMD64 = dict(cgo=True, linking="dynamic", interpreter=AMD64_LD)

BUILDS = {
    "hello-static": build(settings={"CGO_ENABLED": "0"}),
    "hello-cgo": build(
        **CGO_AMD64, settings={"CGO_ENABLED": "1", "CGO_CFLAGS": "-g -O2 -DGOGUARD_TEST=1"}
    ),
    # Internally linked PIE: dynamic (it needs the loader to relocate) but no DT_NEEDED.
    "hello-pie": build(type="pie", linking="dynamic", interpreter=AMD64_LD, buildmode="pie"),
    "hello-trimpath": build(
        **CGO_AMD64,
        settings={"-trimpath": "true", "CGO_ENABLED": "1"},
        absent=["-ldflags", "CGO_CFLAGS", "CGO_LDFLAGS"],
    ),
    "hello-sw": build(settings={"-ldflags": "-s -w"}),
    "hello-quoted": build(settings={"-ldflags": "-X 'main.v=a b\"c'"}),
    "hello-tags": build(settings={"-tags": "a,b"}),
    "hello-v3": build(settings={"GOAMD64": "v3"}, arch_level=("GOAMD64", "v3")),
    "hello-extld": build(**CGO_AMD64, settings={"-ldflags": "-linkmode=external"}),
    "hello-386": build(goarch="386"),
    "hello-arm64": build(goarch="arm64"),
    "hello-s390x": build(goarch="s390x"),
    "hello-riscv64": build(goarch="riscv64"),
    "hello-freebsd-amd64": build(goos="freebsd"),
    "libhello.so": build(
        cgo=True,
        type="shared",
        linking="dynamic",
        buildmode="c-shared",
        main_package="example.com/hello/cshared",
        # The external linker merges .data.rel.ro.gopclntab into .data.rel.ro: no table to read.
        signals=None,
    ),
    "hello-vcs": build(vcs=True),
}
PRIMARY = list(BUILDS)
STRIPPED = ["hello-static", "hello-cgo", "hello-pie", "hello-extld", "hello-386", "libhello.so"]
NOSHDR = [
    "hello-static",
    "hello-cgo",
    "hello-pie",
    "hello-extld",
    "hello-386",
    "hello-s390x",
    "libhello.so",
    "stripped-hello-pie",
    "stripped-hello-cgo",
]
ORIGIN = {name: name for name in PRIMARY}
for f in STRIPPED:
    ORIGIN["stripped-" + f] = f
    BUILDS["stripped-" + f] = BUILDS[f]
for f in NOSHDR:
    ORIGIN["noshdr-" + f] = ORIGIN[f]
    BUILDS["noshdr-" + f] = dict(BUILDS[f], section_headers=False)
ALL = list(BUILDS)

NON_GO = ["/usr/bin/ls", "/bin/true", "/usr/lib/x86_64-linux-gnu/libc.so.6"]


class Checker:
    def __init__(self, args):
        self.ctl = args.goguardctl
        self.go = args.go
        self.corpus = args.corpus
        self.tmp = args.tmp
        self.vcs_revision = args.vcs_revision
        self.failures = 0
        self.passes = 0
        self.go_output = {}  # name -> stdout of go version -m NAME (exec copy if needed), or None
        self.go_note = {}  # name -> what go said when it could not read NAME
        self.go_nonexec = set()  # names go refused as "not executable file"

    def result(self, ok, what, fail="", note=""):
        """One PASS/FAIL line; fail explains a failure (indented below it), note a pass."""
        if ok:
            self.passes += 1
            print(f"PASS: {what}" + (f" ({note})" if note else ""))
        else:
            self.failures += 1
            print(f"FAIL: {what}" + (f" ({note})" if note else ""))
            for line in fail.splitlines():
                print("    " + line)
        return ok

    def run(self, argv, cwd=None):
        p = subprocess.run(argv, cwd=cwd or self.corpus, capture_output=True, env=os.environ)
        return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")

    def path(self, name):
        return os.path.join(self.corpus, name)

    # ---- go version -m ------------------------------------------------------------------

    def go_version_m(self, name):
        """stdout of `go version -m NAME` run in the corpus, or None with a note of what go
        said. go 1.19 only reads files with an execute bit, even when named explicitly, so a
        non-executable file is read through an executable copy of the same name."""
        if name in self.go_output:
            return self.go_output[name]
        rc, out, err = self.run([self.go, "version", "-m", name])
        note = ""
        if not out and "not executable file" in err:
            note = f"go: {err.strip()}; "
            self.go_nonexec.add(name)
            d = os.path.join(self.tmp, "exec-copies")
            os.makedirs(d, exist_ok=True)
            shutil.copyfile(self.path(name), os.path.join(d, name))
            os.chmod(os.path.join(d, name), 0o755)
            rc, out, err = self.run([self.go, "version", "-m", name], cwd=d)
        self.go_output[name] = out if out else None
        if not out:
            self.go_note[name] = note + f"go: {err.strip()} (exit {rc})"
        return self.go_output[name]

    def reference_modinfo(self, name):
        """What `go version -m` says about NAME's origin, under NAME's file name."""
        out = self.go_version_m(ORIGIN[name])
        if out is None:
            return None
        first, rest = out.split("\n", 1)
        assert first.startswith(ORIGIN[name] + ": ")
        return name + first[len(ORIGIN[name]) :] + "\n" + rest

    # ---- check 1 ------------------------------------------------------------------------

    def check_modinfo(self):
        for name in ALL:
            ref = self.reference_modinfo(name)
            if ref is None:
                self.result(False, f"modinfo {name}: go version -m reads {ORIGIN[name]}",
                            self.go_note.get(ORIGIN[name], ""))
                continue
            rc, out, err = self.run([self.ctl, "inspect", "--modinfo", name])
            problems, notes = [], []
            if rc != 0 or err:
                problems.append(f"exit {rc}, stderr {err!r}")
            if out != ref:
                problems.append(unified(ref, out, "go version -m", "goguardctl inspect --modinfo"))
            direct = self.go_version_m(name)
            if name in self.go_nonexec:
                # Named explicitly, goguardctl reads a file without execute permission (go build
                # writes c-shared objects 0644); go 1.19 refuses it with "not executable file",
                # so the reference is go's output for an executable copy.
                notes.append("go refuses it as \"not executable file\": compared with an executable copy")
            if name != ORIGIN[name]:
                notes.append(f"reference: go version -m {ORIGIN[name]}")
                if direct is None:
                    # go 1.19 finds no build information in the PIE and c-shared copies without
                    # section headers: it reads only the first RW PT_LOAD, which there is the
                    # RELRO segment, and .go.buildinfo starts the next one. The inspector must
                    # still print what go prints for the original.
                    notes.append(f"go 1.19 cannot read this copy ({self.go_note[name]}), goguardctl can")
                elif direct != ref:
                    problems.append("go version -m of the copy differs from the original's:\n"
                                    + unified(ref, direct, ORIGIN[name], name))
                else:
                    notes.append("go reads the copy too")
            self.result(not problems, f"modinfo {name}: byte-identical to go version -m",
                        "\n".join(problems), "; ".join(notes))

            rc, out, err = self.run([self.ctl, "inspect", "--deps", name])
            dep = re.search(r"^  deps +example\.com/dep v0\.0\.0 => \./dep \(devel\)$", out, re.M)
            self.result(rc == 0 and out.startswith(f"{name}: ") and err == "" and dep is not None,
                        f"inspect --deps {name}: human-readable output with the replaced dep, exit 0",
                        f"exit {rc}, stderr {err!r}\n{out}")

    # ---- check 2 ------------------------------------------------------------------------

    def inspect_json(self, *paths):
        rc, out, err = self.run([self.ctl, "inspect", "--json", *paths])
        try:
            doc = json.loads(out)
        except ValueError as e:
            return rc, None, f"invalid JSON ({e}): {out[:2000]!r}, stderr {err!r}"
        return rc, doc, err

    def check_facts(self):
        for name in ALL:
            exp = BUILDS[name]
            rc, doc, err = self.inspect_json(name)
            if doc is None or rc != 0 or len(doc) != 1:
                self.result(False, f"facts {name}: inspect --json", f"exit {rc}: {err}")
                continue
            j = doc[0]
            problems = []

            def want(what, got, expected):
                if got != expected:
                    problems.append(f"{what}: got {got!r}, expected {expected!r}")

            gv = self.reference_modinfo(name) or ""
            bi = parse_go_version_m(gv)
            want("path", j["path"], name)
            want("go", j["go"], True)
            want("error", j["error"], None)
            want("go_version", j["go_version"], bi["version"])
            want("main_package", j["main_package"], exp["main_package"])
            want("main_package (go version -m)", j["main_package"], bi["path"])
            want("main_module", strip_sums(j["main_module"]), bi["mod"])
            want("deps (go version -m)", [strip_sums(d) for d in j["deps"]], bi["deps"])
            want("deps", [strip_sums(d) for d in j["deps"]],
                 [{"path": "example.com/dep", "version": "v0.0.0", "replace":
                   {"path": "./dep", "version": "(devel)", "replace": None}}])
            settings = [(s["key"], s["value"]) for s in j["build_settings"]]
            want("build_settings (go version -m)", settings, bi["settings"])
            sd = dict(settings)
            for k, v in exp["settings"].items():
                want(f"build setting {k}", sd.get(k), v)
            for k in exp["absent"]:
                want(f"build setting {k} (absent)", sd.get(k), None)

            want("goos", j["goos"], exp["goos"])
            want("goarch", j["goarch"], exp["goarch"])
            want("goos (GOOS)", j["goos"], sd.get("GOOS"))
            want("goarch (GOARCH)", j["goarch"], sd.get("GOARCH"))
            want("cgo", j["cgo"], exp["cgo"])
            want("cgo (CGO_ENABLED)", j["cgo"], sd.get("CGO_ENABLED") == "1")
            # The arch level setting lib/ looks for per GOARCH; go 1.19 records GOAMD64 and GO386.
            level_key = {"amd64": "GOAMD64", "386": "GO386", "arm64": "GOARM64",
                         "riscv64": "GORISCV64"}.get(exp["goarch"])
            want("arch_level (go version -m)", j["arch_level"],
                 {"key": level_key, "value": sd[level_key]} if level_key in sd else None)
            if exp["arch_level"]:
                want("arch_level (expected)", j["arch_level"],
                     {"key": exp["arch_level"][0], "value": exp["arch_level"][1]})
            # The function names need the section headers to be found.
            want("signal_handling", j["signal_handling"], exp["signals"] if exp["section_headers"] else None)
            # -buildmode is recorded from Go 1.20 on; go 1.19 has none, and then neither may we.
            if "-buildmode" in sd:
                want("build_mode", j["build_mode"], sd["-buildmode"])
                want("build_mode (expected)", j["build_mode"], exp["buildmode"])
            else:
                want("build_mode (not recorded)", j["build_mode"], None)
            if exp["vcs"]:
                want("vcs", j["vcs"], {"system": "git", "revision": self.vcs_revision,
                                       "time": "2024-02-03T04:05:06Z", "modified": False})
                want("vcs settings", (sd.get("vcs"), sd.get("vcs.revision"), sd.get("vcs.time"),
                                      sd.get("vcs.modified")),
                     ("git", self.vcs_revision, "2024-02-03T04:05:06Z", "false"))
            else:
                want("vcs", j["vcs"], None)

            e = j["elf"]
            arch = ARCHES[exp["goarch"]]
            want("elf.class", e["class"], arch["elf_class"])
            want("elf.byte_order", e["byte_order"], arch["byte_order"])
            want("elf.e_machine", e["e_machine"], arch["e_machine"])
            want("elf.machine", e["machine"], arch["machine"])
            want("elf.goarch", e["goarch"], exp["goarch"])
            want("elf.type", e["type"], exp["type"])
            want("elf.linking", e["linking"], exp["linking"])
            want("elf.interpreter", e["interpreter"], exp["interpreter"])
            want("elf.section_headers", e["section_headers"], exp["section_headers"])
            needed = [n["name"] for n in e["needed"]]
            if exp["cgo"]:
                if "libc.so.6" not in needed:
                    problems.append(f"elf.needed: {needed!r} lacks libc.so.6")
                libc = [n for n in e["needed"] if n["name"] == "libc.so.6"]
                if libc and not (libc[0]["glibc_version"] or "").startswith("GLIBC_2."):
                    problems.append(f"elf.needed libc.so.6 glibc_version: {libc[0]['glibc_version']!r}")
            else:
                want("elf.needed (no cgo)", needed, [])
                want("elf.glibc_version (no cgo)", e["glibc_version"], None)

            # Against readelf: the file itself for headers, program headers and the dynamic
            # section (all readable from segments); the origin for what needs section headers.
            r = readelf(self.path(name))
            ro = readelf(self.path(ORIGIN[name])) if not exp["section_headers"] else r
            want("elf.class (readelf)", e["class"], r["class"])
            want("elf.byte_order (readelf)", e["byte_order"], r["byte_order"])
            want("elf.e_machine (readelf)", e["e_machine"], r["e_machine"])
            want("elf.type (readelf)", e["type"], r["kind"])
            want("elf.linking (readelf)", e["linking"], "dynamic" if r["dynamic"] else "static")
            want("elf.interpreter (readelf)", e["interpreter"], r["interpreter"])
            want("elf.needed (readelf NEEDED)", needed, r["needed"])
            want("elf.soname (readelf)", e["soname"], r["soname"])
            want("elf.rpath (readelf)", e["rpath"], r["rpath"])
            want("elf.runpath (readelf)", e["runpath"], r["runpath"])
            want("elf.section_headers (readelf)", e["section_headers"], r["shnum"] > 0)
            for n in e["needed"]:
                want(f"elf.needed {n['name']} glibc_version (readelf -V)", n["glibc_version"],
                     ro["glibc_by_file"].get(n["name"]))
            want("elf.glibc_version (readelf -V)", e["glibc_version"], ro["glibc"])
            want("elf.gnu_build_id (readelf -n)", e["gnu_build_id"], ro["gnu_build_id"])
            want("elf.go_build_id (readelf -n)", e["go_build_id"], ro["go_build_id"])
            rc2, bid, berr = self.run([self.go, "tool", "buildid", name])
            if rc2 != 0:
                rc2, bid, berr = self.run([self.go, "tool", "buildid", ORIGIN[name]])
            want("elf.go_build_id (go tool buildid)", e["go_build_id"], bid.strip() if rc2 == 0 else berr)

            summary = (f"{e['class']}-bit {e['byte_order']} {e['machine']} {e['type']} {e['linking']}"
                       f"{' ' + e['interpreter'] if e['interpreter'] else ''}"
                       f"{' needs ' + ','.join(needed) if needed else ''}"
                       f"{' ' + e['glibc_version'] if e['glibc_version'] else ''}"
                       f", {j['goos']}/{j['goarch']}, cgo={j['cgo']}"
                       f"{', ' + j['arch_level']['key'] + '=' + j['arch_level']['value'] if j['arch_level'] else ''}"
                       f"{', vcs ' + j['vcs']['revision'][:12] if j['vcs'] else ''}")
            self.result(not problems, f"facts {name}", "\n".join(problems), summary)

    # ---- check 3 ------------------------------------------------------------------------

    def check_non_go_and_exit_codes(self):
        non_go = [p for p in NON_GO if os.path.exists(p)]
        for p in NON_GO:
            if p not in non_go:
                print(f"NOTE: {p} does not exist on this host, not checked")
        for p in non_go:
            rc, out, err = self.run([self.ctl, "inspect", p])
            self.result(rc == 1 and out == "" and err != "", f"non-Go {p}: inspect exits 1",
                        f"exit {rc}, stdout {out!r}, stderr {err!r}")
            rc, doc, err = self.inspect_json(p)
            ok = rc == 1 and doc is not None and len(doc) == 1 and doc[0]["go"] is False \
                and doc[0]["path"] == p and doc[0]["error"] is None
            self.result(ok, f"non-Go {p}: --json exits 1, valid, \"go\": false",
                        f"exit {rc}: {err}" if doc is None else f"exit {rc}: {json.dumps(doc)[:600]}")
            rc, out, err = self.run([self.ctl, "inspect", "--modinfo", p])
            grc, gout, gerr = self.run([self.go, "version", "-m", p])
            self.result(rc == 1 and out == gout == "" and err == gerr,
                        f"non-Go {p}: --modinfo stderr is go version -m's",
                        f"exit {rc}, stdout {out!r}\n    goguardctl stderr {err!r}\ngo stderr         {gerr!r}")

        go_files = ["hello-static", "hello-s390x", "libhello.so", "noshdr-hello-pie"]
        missing = "does-not-exist"
        cases = [
            (go_files, 0),
            (go_files + non_go, 1),
            (non_go, 1 if non_go else 0),
            ([missing], 2),
            (go_files + [missing], 2),
            (go_files + non_go + [missing], 2),
            ([missing] + non_go, 2),
        ]
        for paths, code in cases:
            label = " ".join(os.path.basename(p) for p in paths)
            rc, out, err = self.run([self.ctl, "inspect", *paths])
            self.result(rc == code, f"exit {code} for inspect {label}", f"exit {rc}, stderr {err!r}")
            rc, doc, err = self.inspect_json(*paths)
            ok = rc == code and doc is not None and [d["path"] for d in doc] == paths
            if ok:
                for d in doc:
                    name = os.path.basename(d["path"])
                    if d["path"] == missing:
                        ok = ok and d["go"] is False and isinstance(d["error"], str) and d["error"]
                    else:
                        ok = ok and d["error"] is None and d["go"] is (d["path"] in go_files)
            self.result(ok, f"exit {code} and valid JSON for inspect --json {label}",
                        f"exit {rc}: {err if doc is None else json.dumps(doc)[:800]}")

        # The modes that cannot be combined, and no path at all: usage errors.
        for argv in (["--json", "--modinfo", "hello-static"], []):
            rc, out, err = self.run([self.ctl, "inspect", *argv])
            self.result(rc == 2 and out == "", f"exit 2 for inspect {' '.join(argv)}", f"exit {rc}")

    # ---- check 4 ------------------------------------------------------------------------

    def check_scan(self):
        parent, base = os.path.split(self.corpus.rstrip("/"))
        _, gout, _ = self.run([self.go, "version", base], cwd=parent)
        _, gmout, _ = self.run([self.go, "version", "-m", base], cwd=parent)
        crc, cout, cerr = self.run([self.ctl, "inspect", "--modinfo", base], cwd=parent)
        go_lines = gout.splitlines()
        go_blocks, ctl_blocks = blocks(gmout), blocks(cout)
        ctl_lines = [b.split("\n", 1)[0] for b in ctl_blocks]

        # Like go 1.19, goguardctl scans only files with an execute bit, follows symlinks to
        # files and not to directories, and says nothing about files that are not Go. Unlike it,
        # goguardctl finds the build information in the PIE copies without section headers
        # (see check 1): those it must report as go reports the original.
        extra = {f"{base}/{n}" for n in ALL if n in self.go_note and n not in self.go_nonexec}
        extra_lines = {f"{x}: {self.version_of(os.path.basename(x))}" for x in extra}
        expected = set(go_lines) | extra_lines
        got = set(ctl_lines)
        self.result(got == expected and len(ctl_lines) == len(got) and crc == 0 and cerr == "",
                    f"scan {base}: same files and versions as go version {base}",
                    f"exit {crc}, stderr {cerr!r}\nmissing: {sorted(expected - got)!r}\n"
                    f"unexpected: {sorted(got - expected)!r}",
                    f"{len(go_lines)} files as go, and {len(extra)} go 1.19 cannot read: "
                    + ", ".join(sorted(extra)))

        # With -m: every block go prints, goguardctl prints byte for byte; the extra files'
        # blocks equal their originals'.
        ours = [b for b in ctl_blocks if b.split(":", 1)[0] not in extra]
        missing = [b for b in go_blocks if b not in ours]
        unexpected = [b for b in ours if b not in go_blocks]
        for x in sorted(extra):
            want_block = self.reference_modinfo(os.path.basename(x)).replace(os.path.basename(x), x, 1)
            if want_block not in ctl_blocks:
                missing.append(want_block)
        self.result(not missing and not unexpected, f"scan {base}: --modinfo DIR blocks equal go version -m {base}'s",
                    "missing or different:\n" + "".join(missing) + "unexpected:\n" + "".join(unexpected),
                    "in go's order" if ours == go_blocks else "in another order than go's")

        for n in ("extras/not-go", "extras/script", "extras/empty", "extras/go-not-executable",
                  "extras/link-to-dir", "libhello.so", "noshdr-libhello.so"):
            self.result(f"{base}/{n}:" not in cout and f"{base}/{n}:" not in gout,
                        f"scan {base}: {n} skipped by both")
        self.result(f"{base}/extras/link-to-go: " in cout and f"{base}/extras/link-to-go: " in gout,
                    f"scan {base}: symlink extras/link-to-go followed by both")

    def version_of(self, name):
        return parse_go_version_m(self.reference_modinfo(name))["version"]


def blocks(text):
    """Splits `go version -m` output into one string per file."""
    out, cur = [], []
    for line in text.splitlines(keepends=True):
        if not line.startswith("\t") and cur:
            out.append("".join(cur))
            cur = []
        cur.append(line)
    if cur:
        out.append("".join(cur))
    return out


def unified(a, b, an, bn):
    return "".join(difflib.unified_diff(
        a.splitlines(keepends=True), b.splitlines(keepends=True), an, bn))


def go_unquote(s):
    if s.startswith("`") and s.endswith("`") and len(s) >= 2:
        return s[1:-1]
    if s.startswith('"'):
        # Go's strconv.Quote output; JSON string syntax covers what our corpus needs (\" \\ \t
        # \n \uXXXX); \x escapes are translated first.
        return json.loads(re.sub(r"\\x([0-9a-fA-F]{2})", lambda m: "\\u00" + m.group(1), s))
    return s


def parse_go_version_m(text):
    """The build information `go version -m` prints, in the inspector's JSON shape."""
    bi = dict(version=None, path=None, mod=None, deps=[], settings=[])
    lines = text.split("\n")
    if lines and ": " in lines[0]:
        bi["version"] = lines[0].split(": ", 1)[1]
    last = None
    for line in lines[1:]:
        f = line[1:].split("\t") if line.startswith("\t") else []
        if not f:
            continue
        if f[0] == "path":
            bi["path"] = f[1]
        elif f[0] in ("mod", "dep"):
            last = {"path": f[1], "version": f[2], "replace": None}
            if f[0] == "mod":
                bi["mod"] = last
            else:
                bi["deps"].append(last)
        elif f[0] == "=>":
            last["replace"] = {"path": f[1], "version": f[2], "replace": None}
        elif f[0] == "build":
            kv = f[1]
            if kv.startswith('"') or kv.startswith("`"):
                # A quoted key: find its end, then '='.
                m = re.match(r'("(?:[^"\\]|\\.)*"|`[^`]*`)=(.*)$', kv)
                k, v = go_unquote(m.group(1)), m.group(2)
            else:
                k, v = kv.split("=", 1)
            bi["settings"].append((k, go_unquote(v)))
    return bi


def strip_sums(m):
    """A JSON module without its sum (the corpus has local modules only), for comparison."""
    if m is None:
        return None
    return {"path": m["path"], "version": m["version"], "replace": strip_sums(m["replace"])}


def glibc_key(v):
    return tuple(int(x) if x.isdigit() else -1 for x in v[len("GLIBC_"):].split("."))


def readelf(path):
    p = subprocess.run(["readelf", "-hlVdnW", path], capture_output=True, text=True,
                       env=dict(os.environ, LC_ALL="C"))
    t = p.stdout
    r = {}

    def field(name):
        m = re.search(r"^\s*" + re.escape(name) + r":\s*(.*?)\s*$", t, re.M)
        return m.group(1) if m else None

    r["class"] = {"ELF64": 64, "ELF32": 32}.get(field("Class"))
    data = field("Data") or ""
    r["byte_order"] = "big" if "big endian" in data else "little" if "little endian" in data else None
    r["e_machine"] = READELF_MACHINES.get(field("Machine"), field("Machine"))
    r["shnum"] = int(field("Number of section headers") or 0)
    m = re.search(r"\[Requesting program interpreter: (.*)\]", t)
    r["interpreter"] = m.group(1) if m else None
    r["dynamic"] = re.search(r"^\s+DYNAMIC\s", t, re.M) is not None
    etype = (field("Type") or "").split()[0] if field("Type") else None
    if etype == "EXEC":
        r["kind"] = "exec"
    elif etype == "DYN":
        if r["interpreter"]:
            r["kind"] = "pie"
        elif re.search(r"\(FLAGS_1\)\s+Flags:.*\bPIE\b", t):
            r["kind"] = "static-pie"
        else:
            r["kind"] = "shared"
    else:
        r["kind"] = etype
    r["needed"] = re.findall(r"\(NEEDED\)\s+Shared library: \[(.*)\]", t)
    m = re.search(r"\(SONAME\)\s+Library soname: \[(.*)\]", t)
    r["soname"] = m.group(1) if m else None
    m = re.search(r"\(RPATH\)\s+Library rpath: \[(.*)\]", t)
    r["rpath"] = m.group(1) if m else None
    m = re.search(r"\(RUNPATH\)\s+Library runpath: \[(.*)\]", t)
    r["runpath"] = m.group(1) if m else None

    # readelf -V: "File: libc.so.6  Cnt: N" followed by "Name: GLIBC_2.34 ..." lines.
    by_file, cur = {}, None
    vn = t.split("Version needs section", 1)
    for line in (vn[1].splitlines() if len(vn) > 1 else []):
        m = re.search(r"File: (\S+)\s+Cnt:", line)
        if m:
            cur = m.group(1)
            continue
        m = re.search(r"Name: (GLIBC_[0-9.]+)\s", line)
        if m and cur:
            if cur not in by_file or glibc_key(m.group(1)) > glibc_key(by_file[cur]):
                by_file[cur] = m.group(1)
        elif not line.startswith(" "):
            break
    r["glibc_by_file"] = by_file
    r["glibc"] = max(by_file.values(), key=glibc_key) if by_file else None

    m = re.search(r"Build ID: ([0-9a-f]+)", t)
    r["gnu_build_id"] = m.group(1) if m else None
    m = re.search(r"GO BUILDID\s+description data: ([0-9a-f ]+)", t)
    r["go_build_id"] = bytes.fromhex(m.group(1)).rstrip(b"\0").decode() if m else None
    return r


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--goguardctl", required=True)
    ap.add_argument("--go", required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--tmp", required=True)
    ap.add_argument("--vcs-revision", required=True)
    args = ap.parse_args()
    args.goguardctl = os.path.abspath(args.goguardctl)

    c = Checker(args)
    missing = [n for n in ALL if not os.path.exists(c.path(n))]
    if missing:
        print(f"FAIL: corpus incomplete, missing {missing}")
        return 1
    for title, fn in (("1. modinfo", c.check_modinfo), ("2. ELF facts", c.check_facts),
                      ("3. non-Go files and exit statuses", c.check_non_go_and_exit_codes),
                      ("4. directory scan", c.check_scan)):
        print(f"# {title}")
        fn()
    print(f"# {c.passes} passed, {c.failures} failed")
    return 1 if c.failures else 0


if __name__ == "__main__":
    sys.exit(main())
