#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Fills @CLASSES@ in a completion template with the finding class names of lib/finding.c.

Usage: gen-completion.py TEMPLATE FINDING_C OUTPUT
"""
import re
import sys


def classes(finding_c):
    text = open(finding_c, encoding="utf-8").read()
    table = text[text.index("class_table["):]
    table = table[: table.index("};")]
    names = re.findall(r'\[FINDING_[A-Z0-9_]+\]\s*=\s*\{\s*"([a-z0-9-]+)"', table)
    if not names:
        sys.exit(f"{finding_c}: no finding classes found")
    return names


def main():
    template, finding_c, output = sys.argv[1:4]
    text = open(template, encoding="utf-8").read()
    text = text.replace("@CLASSES@", " ".join(classes(finding_c)))
    with open(output, "w", encoding="utf-8") as f:
        f.write(text)


if __name__ == "__main__":
    main()
