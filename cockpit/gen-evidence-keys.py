#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
# Writes evidence-keys.js from the table in lib/evidence-key.c, so the page formats and groups
# evidence (what happened / settings in force) exactly as goguardctl does, with no second list.
#   usage: gen-evidence-keys.py lib/evidence-key.c OUT.js
import json
import re
import sys

src, out = sys.argv[1], sys.argv[2]
text = open(src, encoding="utf-8").read()
entries = re.findall(r'\{\s*"([^"]+)",\s*EVIDENCE_KIND_([A-Z]+),\s*(true|false)\s*\}', text)
if not entries:
        sys.exit(f"{src}: no evidence keys found")
keys = {k: [kind.lower(), setting == "true"] for k, kind, setting in entries}
with open(out, "w", encoding="utf-8") as f:
        f.write("// Generated from lib/evidence-key.c by cockpit/gen-evidence-keys.py: key -> [kind, setting].\n")
        f.write("window.GOGUARD_EVIDENCE_KEYS = " + json.dumps(keys, indent=1, sort_keys=True) + ";\n")
