#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
# One bus client of tests/bench/burst.sh: calls a list method over and over on one connection,
# timing each call (and when it was made), until the list holds all N burst units, and SETTLE seconds more. Prints
# JSON: the calls' latencies (ms) and when (s after START) the list was first complete.
#   usage: bus-latency.py goguard|systemd N PREFIX START_EPOCH [SETTLE] [TIMEOUT]
import json
import sys
import time

import dbus

mode, n, prefix, start = sys.argv[1], int(sys.argv[2]), sys.argv[3], float(sys.argv[4])
settle = float(sys.argv[5]) if len(sys.argv) > 5 else 2.0
timeout = float(sys.argv[6]) if len(sys.argv) > 6 else 600.0

bus = dbus.SystemBus()
if mode == "goguard":
    obj = bus.get_object("org.goguard.goguard1", "/org/goguard/goguard1", introspect=False)
    method = obj.get_dbus_method("ListGoUnits", "org.goguard.goguard1.Manager")
    # (name, path, go version, active state, cgo, linking, open findings)
    count = lambda reply: sum(1 for u in reply if u[0].startswith(prefix) and u[3] == "active")
else:
    obj = bus.get_object("org.freedesktop.systemd1", "/org/freedesktop/systemd1", introspect=False)
    method = obj.get_dbus_method("ListUnits", "org.freedesktop.systemd1.Manager")
    # (name, description, load, active, sub, ...)
    count = lambda reply: sum(1 for u in reply if u[0].startswith(prefix) and u[3] == "active")

lat, at, complete_at, last = [], [], None, 0
while True:
    at.append(time.time() - start)
    t0 = time.monotonic()
    try:
        last = count(method(timeout=120))
    except dbus.DBusException as e:
        print(f"{mode}: call failed: {e}", file=sys.stderr)
    lat.append((time.monotonic() - t0) * 1000)
    now = time.time() - start
    if complete_at is None and last >= n:
        complete_at = now
    if (complete_at is not None and now - complete_at >= settle) or now > timeout:
        break
    time.sleep(0.02)
json.dump({"latencies_ms": lat, "at_s": at, "complete_s": complete_at, "last_count": last}, sys.stdout)
