#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Compares a live object's introspection with the contract in dbus/org.goguard.goguard1.xml:
for every interface of the contract, the same methods (argument names, types, directions), the
same signals, the same properties (type, access, EmitsChangedSignal, with D-Bus's default of
"true"), nothing more and nothing less.

    check-introspection.py CONTRACT.xml LIVE.xml INTERFACE...
Prints one line per difference; exits 1 if there is any."""
import sys
import xml.etree.ElementTree as ET

EMITS = "org.freedesktop.DBus.Property.EmitsChangedSignal"


def members(iface):
    out = {}
    for m in iface.findall("method"):
        args = tuple((a.get("name"), a.get("type"), a.get("direction", "in")) for a in m.findall("arg"))
        out[("method", m.get("name"))] = args
    for s in iface.findall("signal"):
        args = tuple((a.get("name"), a.get("type")) for a in s.findall("arg"))
        out[("signal", s.get("name"))] = args
    default_emits = "true"
    for a in iface.findall("annotation"):
        if a.get("name") == EMITS:
            default_emits = a.get("value")
    for p in iface.findall("property"):
        emits = default_emits
        for a in p.findall("annotation"):
            if a.get("name") == EMITS:
                emits = a.get("value")
        out[("property", p.get("name"))] = (p.get("type"), p.get("access"), emits)
    return out


def interfaces(path):
    return {i.get("name"): members(i) for i in ET.parse(path).getroot().findall("interface")}


contract, live = interfaces(sys.argv[1]), interfaces(sys.argv[2])
problems = []
for name in sys.argv[3:]:
    if name not in contract:
        problems.append(f"{name}: not in the contract")
        continue
    if name not in live:
        problems.append(f"{name}: not served by the daemon")
        continue
    c, l = contract[name], live[name]
    for key in sorted(set(c) | set(l)):
        if key not in l:
            problems.append(f"{name}: {key[0]} {key[1]} is in the contract but not served")
        elif key not in c:
            problems.append(f"{name}: {key[0]} {key[1]} is served but not in the contract")
        elif c[key] != l[key]:
            problems.append(f"{name}: {key[0]} {key[1]}: contract {c[key]} != served {l[key]}")
for p in problems:
    print(p)
print(f"introspection: {len(problems)} difference(s) over {len(sys.argv) - 3} interface(s)")
sys.exit(1 if problems else 0)
