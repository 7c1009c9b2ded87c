#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Calls goguardd as whoever runs it (root, or nobody through runuser).

  bus-probe.py collect           everything this caller can read, as one JSON document: every
                                 property of every object, every method reply, the documents
                                 behind DumpFindings and InspectUnitExecutable
  bus-probe.py inspect UNIT      the JSON of InspectUnitExecutable(UNIT)
  bus-probe.py fuzz XML SEED     every method and property of the interface XML with good, wrong,
                                 huge and odd arguments; prints one JSON summary and exits 1 if
                                 any error was not a named one (org.goguard.goguard1.Error.* or
                                 org.freedesktop.DBus.Error.*)
"""
import json
import os
import random
import sys
import xml.etree.ElementTree as ET

import dbus

DEST = "org.goguard.goguard1"
PATH = "/org/goguard/goguard1"
MANAGER = "org.goguard.goguard1.Manager"
UNIT = "org.goguard.goguard1.Unit"
PROPS = "org.freedesktop.DBus.Properties"
NAMED = ("org.goguard.goguard1.Error.", "org.freedesktop.DBus.Error.")

bus = dbus.SystemBus()


def plain(v):
    """dbus-python values as JSON-able Python values."""
    if isinstance(v, (dbus.Array, list, dbus.Struct, tuple)):
        return [plain(x) for x in v]
    if isinstance(v, (dbus.Dictionary, dict)):
        return {str(k): plain(x) for k, x in v.items()}
    if isinstance(v, dbus.Boolean):
        return bool(v)
    if isinstance(v, (dbus.String, dbus.ObjectPath, dbus.Signature)):
        return str(v)
    if isinstance(v, dbus.types.UnixFd):
        fd = v.take()
        with os.fdopen(fd, "rb") as f:
            return f.read().decode("utf-8")
    if isinstance(v, (int, float)):
        return int(v) if not isinstance(v, float) else v
    return v


def call(path, iface, method, sig="", args=(), timeout=10):
    obj = bus.get_object(DEST, path, introspect=False)
    return obj.get_dbus_method(method, iface)(*args, signature=sig, timeout=timeout)


def manager(method, sig="", *args):
    return call(PATH, MANAGER, method, sig, args)


def collect():
    out = {}
    objects = plain(call(PATH, "org.freedesktop.DBus.ObjectManager", "GetManagedObjects"))
    out["GetManagedObjects"] = objects
    out["Manager"] = plain(call(PATH, PROPS, "GetAll", "s", (MANAGER,)))
    units = plain(manager("ListGoUnits"))
    out["ListGoUnits"] = units
    out["units"] = {}
    for name, path, *_ in units:
        out["units"][name] = {
            "GetAll": plain(call(path, PROPS, "GetAll", "s", (UNIT,))),
            "Introspect": plain(call(path, "org.freedesktop.DBus.Introspectable", "Introspect")),
        }
        try:
            out["units"][name]["InspectUnitExecutable"] = plain(manager("InspectUnitExecutable", "s", name))
        except dbus.DBusException as e:
            out["units"][name]["InspectUnitExecutable"] = e.get_dbus_name()
    findings, offset = [], 0
    while True:
        page, total = manager("ListFindings", "a{sv}uu", {}, offset, 1000)
        findings += plain(page)
        offset += len(page)
        if not page or offset >= total:
            break
    out["ListFindings"] = findings
    out["GetFinding"] = {f[0]: plain(manager("GetFinding", "s", f[0])) for f in findings}
    out["DumpFindings"] = plain(manager("DumpFindings"))
    return out


# ---- fuzz ----

class Stats:
    def __init__(self):
        self.calls = 0
        self.errors = {}
        self.unnamed = []

    def run(self, what, f):
        self.calls += 1
        try:
            r = f()
            if isinstance(r, dbus.types.UnixFd):
                os.close(r.take())
            elif isinstance(r, tuple):
                for x in r:
                    if isinstance(x, dbus.types.UnixFd):
                        os.close(x.take())
        except dbus.DBusException as e:
            name = e.get_dbus_name() or "(none)"
            self.errors[name] = self.errors.get(name, 0) + 1
            if not name.startswith(NAMED):
                self.unnamed.append(f"{what}: {name}: {e.get_dbus_message()}")


def interfaces(xml):
    root = ET.parse(xml).getroot()
    res = {}
    for i in root.findall("interface"):
        res[i.get("name")] = {
            "methods": {m.get("name"): [a.get("type") for a in m.findall("arg")
                                        if a.get("direction", "in") == "in"]
                        for m in i.findall("method")},
            "properties": {p.get("name"): p.get("type") for p in i.findall("property")},
        }
    return res


def strings(rng, units, ids):
    fixed = ["", "x", "a.service", "../x.service", "a/b.service", "dbus.service",
             "no-such-unit-here.service", "x" * 300 + ".service", "y" * 200000 + ".service",
             "0" * 32, "F" * 32, "g" * 32, "0" * 31, "0" * 33, "\u00e9\u4e16.service",
             "\U0001F600" * 1000, "\\xff\\xfe", "%s%n%x", "-" * 255 + ".service",
             "unit@.service", "a\u2028b.service"]
    return fixed + list(units) + list(ids) + ["".join(chr(rng.randrange(32, 0x3000)) for _ in range(rng.randrange(1, 400)))
                                              for _ in range(8)]


def filters(rng, units):
    v = dbus.types
    yield dbus.Dictionary({}, signature="sv")
    for k, x in [("unit", v.String("a.service")), ("unit", v.String("../x")), ("unit", v.String("z" * 100000)),
                 ("class", v.String("oom-kill")), ("class", v.String("nope")), ("class", v.Int32(1)),
                 ("severity", v.String("critical")), ("severity", v.String("")),
                 ("state", v.String("open")), ("state", v.String("closed")),
                 ("since", v.UInt64(0)), ("since", v.UInt64(2**64 - 1)), ("since", v.String("yesterday")),
                 ("bogus", v.String("x")), ("", v.String("")), ("unit", v.Array([], signature="s"))]:
        yield dbus.Dictionary({k: x}, signature="sv")
    for u in units:
        yield dbus.Dictionary({"unit": v.String(u)}, signature="sv")
    yield dbus.Dictionary({f"k{i}": v.String("x") for i in range(2000)}, signature="sv")


def fuzz(xml, seed):
    rng = random.Random(seed)
    st = Stats()
    ifaces = interfaces(xml)
    root = os.geteuid() == 0
    units = [str(u[0]) for u in manager("ListGoUnits")]
    paths = [str(u[1]) for u in manager("ListGoUnits")]
    ids = [str(f[0]) for f in manager("ListFindings", "a{sv}uu", {}, 0, 1000)[0]]
    mutating = {"AcknowledgeFinding", "DismissFinding", "Rescan"}
    bounds = [0, 1, 2, 999, 1000, 1001, 2**31, 2**32 - 1]

    # Methods with arguments of the right types.
    for name, sig in ifaces[MANAGER]["methods"].items():
        s = "".join(sig)
        if s == "":
            if root and name in mutating:
                continue  # root is authorized: it would change state
            st.run(name, lambda: manager(name))
        elif s == "s":
            for x in strings(rng, units, ids):
                if root and name in mutating and x in ids:
                    continue
                st.run(f"{name}({x[:40]!r})", lambda: manager(name, "s", x))
        elif s == "a{sv}uu":
            for flt in filters(rng, units):
                for off, lim in [(0, 0)] + [(rng.choice(bounds), rng.choice(bounds)) for _ in range(4)]:
                    st.run(f"{name}(filter, {off}, {lim})", lambda: manager(name, s, flt, off, lim))
        else:
            raise SystemExit(f"bus-probe: no arguments for {name}({s}): extend the fuzzer")
        # Wrong signatures: nothing, one too many, an int for each string, a variant.
        if not (root and name in mutating):
            st.run(f"{name}()", lambda: manager(name))
            st.run(f"{name}(+1)", lambda: call(PATH, MANAGER, name, s + "s",
                                                [dbus.String("a.service") if c == "s" else
                                                 dbus.Dictionary({}, signature="sv") if c == "a{sv}" else
                                                 dbus.UInt32(0) for c in sig] + ["extra"]))
            st.run(f"{name}(i)", lambda: call(PATH, MANAGER, name, "i", (5,)))
            st.run(f"{name}(v)", lambda: call(PATH, MANAGER, name, "v", (dbus.String("x", variant_level=1),)))
    st.run("NoSuchMethod", lambda: manager("NoSuchMethod"))
    st.run("wrong interface", lambda: call(PATH, "org.goguard.goguard1.Nope", "ListGoUnits"))

    # Properties: Get each, Set each, unknown ones, on the manager, every unit and paths that are
    # not units.
    targets = [(PATH, MANAGER)] + [(p, UNIT) for p in paths]
    bogus = [PATH + "/unit/nope_2eservice", PATH + "/unit/" + "a" * 200, PATH + "/unit", PATH + "/x"]
    for path, iface in targets + [(b, UNIT) for b in bogus]:
        st.run(f"GetAll {path}", lambda: call(path, PROPS, "GetAll", "s", (iface,)))
        st.run(f"GetAll '' {path}", lambda: call(path, PROPS, "GetAll", "s", ("",)))
        st.run(f"GetAll bogus {path}", lambda: call(path, PROPS, "GetAll", "s", ("org.goguard.goguard1.Nope",)))
        st.run(f"Introspect {path}", lambda: call(path, "org.freedesktop.DBus.Introspectable", "Introspect"))
        for prop, t in ifaces[iface]["properties"].items():
            st.run(f"Get {prop}", lambda: call(path, PROPS, "Get", "ss", (iface, prop)))
            st.run(f"Set {prop}", lambda: call(path, PROPS, "Set", "ssv", (iface, prop, dbus.String("x", variant_level=1))))
        st.run("Get unknown", lambda: call(path, PROPS, "Get", "ss", (iface, "NoSuchProperty")))
        st.run("Get huge", lambda: call(path, PROPS, "Get", "ss", (iface, "P" * 100000)))
        st.run("Get wrong sig", lambda: call(path, PROPS, "Get", "s", (iface,)))
    st.run("GetManagedObjects", lambda: call(PATH, "org.freedesktop.DBus.ObjectManager", "GetManagedObjects"))
    return st


def main():
    if len(sys.argv) >= 2 and sys.argv[1] == "collect":
        print(json.dumps(collect(), sort_keys=True, ensure_ascii=False))
    elif len(sys.argv) == 3 and sys.argv[1] == "inspect":
        print(plain(manager("InspectUnitExecutable", "s", sys.argv[2])), end="")
    elif len(sys.argv) == 4 and sys.argv[1] == "fuzz":
        st = fuzz(sys.argv[2], int(sys.argv[3]))
        print(json.dumps({"uid": os.geteuid(), "calls": st.calls, "errors": st.errors, "unnamed": st.unnamed},
                         sort_keys=True))
        sys.exit(1 if st.unnamed else 0)
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
