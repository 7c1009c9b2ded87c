#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Helpers of test-68-hostile-exe.sh, run in the box.

  hostile-exe.py make KIND PATH
      writes a hostile executable: sparseSIZE (one RW PT_LOAD of SIZE = 256m, 48g or 512g from
      offset 0 of a sparse file, no section headers, and at 0x1000 a build info header with
      ptr_size 8 whose two pointers resolve nowhere), plainSIZE (the same without the header),
      truncated (an ELF header cut short), garbage (ELF magic, then noise).

  hostile-exe.py probe UNIT N [FILE]
      on one connection calls InspectUnitExecutable(UNIT) while another connection calls
      ListGoUnits N times in a row; prints JSON: the inspection's outcome and times, each
      ListGoUnits latency and start time (ms, monotonic), and with FILE how many times the
      file was read meanwhile ("reads", inotify's IN_ACCESS events: they come whoever reads,
      also through the read-only view of the file system goguardd has, where no access time
      is kept).
"""
import json
import os
import struct
import sys
import threading
import time

SIZES = {"256m": 256 << 20, "48g": 48 << 30, "512g": 512 << 30}


def make(kind, path):
    if kind in ("truncated", "garbage"):
        data = (b"\x7fELF" + bytes([2, 1, 1]) + bytes(33)) if kind == "truncated" else \
            (b"\x7fELF" + bytes([2, 1, 1]) + bytes(range(256)) * 64)
        with open(path, "wb") as f:
            f.write(data)
    else:
        header = kind.startswith("sparse")
        seg = SIZES[kind[6:] if header else kind[5:]]
        ehdr = b"\x7fELF" + bytes([2, 1, 1, 0]) + bytes(8) + struct.pack(
            "<HHIQQQIHHHHHH", 2, 62, 1, 0x401000, 64, 0, 0, 64, 56, 1, 64, 0, 0)
        phdr = struct.pack("<IIQQQQQQ", 1, 6, 0, 0x400000, seg, seg, seg, 0x1000)
        with open(path, "wb") as f:
            f.write(ehdr + phdr)
            if header:
                f.seek(0x1000)
                f.write(b"\xff Go buildinf:" + bytes([8, 0]) +
                        struct.pack("<QQ", 0x7f0000000000, 0x7f0000001000))
            f.truncate(seg)
    os.chmod(path, 0o755)


def now_ms():
    return time.monotonic_ns() / 1e6


def watch_reads(path):
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    fd = libc.inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC)
    if fd < 0 or libc.inotify_add_watch(fd, path.encode(), 0x1) < 0:  # IN_ACCESS
        sys.exit(f"inotify on {path}: {os.strerror(ctypes.get_errno())}")
    return fd


def count_reads(fd):
    n = 0
    while True:
        try:
            buf = os.read(fd, 65536)
        except BlockingIOError:
            return n
        off = 0
        while off < len(buf):
            _, mask, _, name_len = struct.unpack_from("iIII", buf, off)
            n += 1 if mask & 0x1 else 0
            off += 16 + name_len


def probe(unit, n, watched=None):
    import dbus

    reads = watch_reads(watched) if watched else None

    dest, path, iface = "org.goguard.goguard1", "/org/goguard/goguard1", "org.goguard.goguard1.Manager"
    inspector = dbus.SystemBus(private=True)
    lister = dbus.SystemBus(private=True)
    result = {}

    def inspect():
        t0 = now_ms()
        try:
            fd = inspector.call_blocking(dest, path, iface, "InspectUnitExecutable", "s", (unit,),
                                         timeout=25)
            doc = json.loads(os.fdopen(fd.take(), "rb").read())
            result.update(doc={k: doc.get(k) for k in ("go", "error", "not_go_reason")})
        except dbus.DBusException as e:
            result.update(error=e.get_dbus_name(), message=e.get_dbus_message())
        result.update(start=t0, end=now_ms())

    t = threading.Thread(target=inspect)
    t.start()
    calls = []
    for _ in range(n):
        t0 = now_ms()
        lister.call_blocking(dest, path, iface, "ListGoUnits", "", (), timeout=25)
        calls.append({"start": t0, "ms": now_ms() - t0})
    t.join()
    result["list"] = calls
    if reads is not None:
        result["reads"] = count_reads(reads)
    print(json.dumps(result))


if __name__ == "__main__":
    if sys.argv[1] == "make":
        make(sys.argv[2], sys.argv[3])
    elif sys.argv[1] == "probe":
        probe(sys.argv[2], int(sys.argv[3]), sys.argv[4] if len(sys.argv) > 4 else None)
    else:
        sys.exit("usage: hostile-exe.py make KIND PATH | probe UNIT N [FILE]")
