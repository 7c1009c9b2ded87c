#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Checks units/goguard.catalog against the finding classes of lib/finding.c.

    check-catalog.py CATALOG FINDING_C MANAGER_FINDINGS_C

- every class MESSAGE_ID of lib/finding.c's class table has exactly one entry, and the catalog
  has no other;
- the file follows the rules of `journalctl --update-catalog` (systemd's catalog.c), strictly:
  "#" lines are comments, an entry starts with "-- <32 lowercase hex digits>" after an empty
  line (or at the top), nothing but comments and empty lines before the first entry;
- every entry has the headers Subject (naming @OBJECT_SYSTEMD_UNIT@), Defined-By: goguard,
  Support and Documentation (with man:goguardctl(1)), an empty line, then a body;
- every @FIELD@ it uses is a field goguardd writes into the finding's journal entry
  (daemon/manager-findings.c);
- where journalctl exists, `journalctl --root=TMP --update-catalog` accepts the file and
  `--list-catalog` lists every id once.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile

HEADERS = ("Subject", "Defined-By", "Support", "Documentation")


def fail(msg):
    print(f"FAIL: {msg}")
    return False


def classes(finding_c):
    text = open(finding_c, encoding="utf-8").read()
    table = text[text.index("class_table[_FINDING_CLASS_MAX]"):]
    table = table[:table.index("};")]
    found = re.findall(r'\[(FINDING_[A-Z0-9_]+)\]\s*=\s*\{\s*"([a-z0-9-]+)",\s*"([0-9a-f]{32})"', table)
    if len(found) != table.count("[FINDING_"):
        raise SystemExit(f"FAIL: could not read every entry of the class table in {finding_c}")
    return {mid: name for _, name, mid in found}


def journal_fields(manager_findings_c):
    text = open(manager_findings_c, encoding="utf-8").read()
    return set(re.findall(r'"([A-Z][A-Z0-9_]*)=%', text))


def parse(path):
    """Returns ({id: entry}, ok); entry = {"headers": {...}, "body": [...], "line": n}."""
    ok = True
    entries = {}
    cur = None
    empty_before = True
    in_headers = False
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    else:
        ok = fail(f"{path}: does not end with a newline")
    for n, line in enumerate(lines, 1):
        if line != line.rstrip():
            ok = fail(f"{path}:{n}: trailing whitespace")
        if line.startswith("#"):
            # journalctl drops "#" lines anywhere; one amid the text of an entry was meant as text.
            prev = lines[n - 2] if n >= 2 else ""
            nxt = lines[n] if n < len(lines) else ""
            if cur and prev and nxt and not prev.startswith("#") and not nxt.startswith(("#", "--")):
                ok = fail(f"{path}:{n}: a '#' line amid an entry's text is dropped by journalctl")
            continue
        m = re.fullmatch(r"-- ([0-9a-fA-F]{32})(?: ([A-Za-z_@.-]+))?", line)
        if line.startswith("--") and not m:
            ok = fail(f"{path}:{n}: malformed entry header {line!r}")
            continue
        if m:
            mid = m.group(1)
            if not empty_before:
                ok = fail(f"{path}:{n}: an entry header needs an empty line before it")
            if mid != mid.lower():
                ok = fail(f"{path}:{n}: write the id in lowercase")
            if m.group(2):
                ok = fail(f"{path}:{n}: goguard's catalog is not translated: no language")
            if mid.lower() in entries:
                ok = fail(f"{path}:{n}: id {mid} appears again (line {entries[mid.lower()]['line']})")
            cur = {"headers": {}, "body": [], "line": n}
            entries[mid.lower()] = cur
            in_headers = True
            empty_before = False
            continue
        if line == "":
            if cur and in_headers:
                in_headers = False
            empty_before = True
            continue
        empty_before = False
        if not cur:
            ok = fail(f"{path}:{n}: text before the first entry (journalctl: 'Got payload before ID')")
            continue
        if in_headers:
            hm = re.fullmatch(r"([A-Za-z-]+): (.+)", line)
            if not hm:
                ok = fail(f"{path}:{n}: not a 'Key: value' header: {line!r}")
                continue
            if hm.group(1) in cur["headers"]:
                ok = fail(f"{path}:{n}: header {hm.group(1)} twice")
            cur["headers"][hm.group(1)] = hm.group(2)
        else:
            cur["body"].append(line)
    return entries, ok


def check_entries(path, entries, want, fields):
    ok = True
    for mid, name in sorted(want.items(), key=lambda x: x[1]):
        if mid not in entries:
            ok = fail(f"{path}: no entry for class {name} (MESSAGE_ID {mid})")
    for mid, e in entries.items():
        where = f"{path}:{e['line']}"
        if mid not in want:
            ok = fail(f"{where}: {mid} is not the MESSAGE_ID of any class in lib/finding.c")
        h = e["headers"]
        for k in HEADERS:
            if k not in h:
                ok = fail(f"{where}: no {k}: header")
        for k in h:
            if k not in HEADERS:
                ok = fail(f"{where}: unexpected header {k}:")
        if "@OBJECT_SYSTEMD_UNIT@" not in h.get("Subject", ""):
            ok = fail(f"{where}: the Subject does not name @OBJECT_SYSTEMD_UNIT@")
        if h.get("Defined-By") != "goguard":
            ok = fail(f"{where}: Defined-By is not goguard")
        if "man:goguardctl(1)" not in h.get("Documentation", "").split():
            ok = fail(f"{where}: Documentation does not list man:goguardctl(1)")
        body = [l for l in e["body"] if l.strip()]
        if len(body) < 2:
            ok = fail(f"{where}: the body is too short to explain anything")
        for part in ["Subject: " + h.get("Subject", "")] + e["body"]:
            for field in re.findall(r"@([A-Za-z0-9_]+)@", part):
                if field not in fields:
                    ok = fail(f"{where}: @{field}@ is not a field of goguardd's finding entries")
    return ok


def check_journalctl(path, want):
    journalctl = shutil.which("journalctl")
    if not journalctl:
        print("note: no journalctl here; only the strict parser checked the format")
        return True
    ok = True
    with tempfile.TemporaryDirectory() as root:
        d = os.path.join(root, "usr", "lib", "systemd", "catalog")
        os.makedirs(d)
        shutil.copy(path, os.path.join(d, "goguard.catalog"))
        env = dict(os.environ, SYSTEMD_LOG_LEVEL="warning", LC_ALL="C")
        p = subprocess.run([journalctl, "--root=" + root, "--update-catalog"], capture_output=True,
                           text=True, env=env)
        if p.returncode != 0 or p.stderr.strip():
            return fail(f"journalctl --update-catalog: status {p.returncode}: {p.stderr.strip()}")
        p = subprocess.run([journalctl, "--root=" + root, "--list-catalog"], capture_output=True, text=True,
                           env=env)
        if p.returncode != 0:
            return fail(f"journalctl --list-catalog: status {p.returncode}: {p.stderr.strip()}")
        listed = [l.split(" ", 1)[0] for l in p.stdout.splitlines() if l.strip()]
        for mid, name in want.items():
            if listed.count(mid) != 1:
                ok = fail(f"journalctl --list-catalog lists {mid} ({name}) {listed.count(mid)} times")
        if len(listed) != len(want):
            ok = fail(f"journalctl --list-catalog lists {len(listed)} entries, expected {len(want)}")
    return ok


def main():
    if len(sys.argv) != 4:
        print(__doc__)
        return 2
    catalog, finding_c, manager_findings_c = sys.argv[1:]
    want = classes(finding_c)
    fields = journal_fields(manager_findings_c)
    if "OBJECT_SYSTEMD_UNIT" not in fields or "GOGUARD_FINDING_ID" not in fields:
        return 0 if fail(f"could not read the journal fields of {manager_findings_c}") else 1
    entries, ok = parse(catalog)
    ok = check_entries(catalog, entries, want, fields) and ok
    ok = check_journalctl(catalog, want) and ok
    print(f"{len(entries)} catalog entries, {len(want)} classes: {'ok' if ok else 'FAILED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
