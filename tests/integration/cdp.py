#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
# A small DevTools-protocol client for the Cockpit page's tests: one command per call against
# a running headless Chromium (its first page target). Run with /usr/bin/python3: it needs
# Debian's python3-websocket.
#
#   cdp.py PORT navigate URL
#   cdp.py PORT login USER PASSWORD TIMEOUT [admin]
#                                               fill in and submit Cockpit's login form; with
#                                               "admin", ask for administrative access as a
#                                               browser does that remembers the user chose it
#   cdp.py PORT logout                          forget every cookie (Cockpit's session)
#   cdp.py PORT wait JS TIMEOUT                 poll JS every 50 ms until it is truthy; prints
#                                               {"value": ..., "at": epoch seconds when it was}
#   cdp.py PORT eval JS                         prints the value as JSON
#   cdp.py PORT screenshot FILE.png
#
# JS is an expression. gg() is the page's document: inside Cockpit's shell the goguard frame's,
# else the top document; ggw() is its window.
import base64
import itertools
import json
import sys
import time
import urllib.request

import websocket

PRELUDE = """
const ggframe = () => document.querySelector('iframe[name="cockpit1:localhost/goguard"]');
const gg = () => { const f = ggframe(); return f && f.contentDocument ? f.contentDocument : document; };
const ggw = () => { const f = ggframe(); return f && f.contentWindow ? f.contentWindow : window; };
"""


class Page:
    def __init__(self, port):
        targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json", timeout=10))
        page = next(t for t in targets if t["type"] == "page")
        self.ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=30,
                                              suppress_origin=True)
        self.ids = itertools.count(1)

    def call(self, method, **params):
        mid = next(self.ids)
        self.ws.send(json.dumps({"id": mid, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") != mid:
                continue  # events
            if "error" in msg:
                raise RuntimeError(f"{method}: {msg['error']}")
            return msg["result"]

    def eval(self, expr):
        r = self.call("Runtime.evaluate", expression="(() => {" + PRELUDE + "return (" + expr + ");})()",
                      returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in r:
            return None  # e.g. the frame is not there yet: not truthy
        return r["result"].get("value")

    def wait(self, expr, timeout):
        end = time.time() + timeout
        value = None
        # Truthy as JavaScript sees it: an element is true, not the {} it serializes to.
        expr = f"(v => v && typeof v === 'object' ? true : v)({expr})"
        while True:
            value = self.eval(expr)
            now = time.time()
            if value:
                return value, now
            if now > end:
                raise TimeoutError(f"not true after {timeout} s: {expr} (last value {value!r})")
            time.sleep(0.05)


def main(argv):
    port, cmd, args = argv[1], argv[2], argv[3:]
    p = Page(port)
    if cmd == "navigate":
        p.call("Page.navigate", url=args[0])
    elif cmd == "login":
        user, password, timeout = args[0], args[1], float(args[2])
        p.wait("(b => b && b.offsetParent !== null)(document.getElementById('login-button'))", timeout)
        if args[3:] == ["admin"]:
            # Cockpit's login page sends the choice it keeps in localStorage (default "none").
            p.eval(f"localStorage.setItem({json.dumps('superuser:' + user)}, 'any') || true")
        p.eval("(() => {"
               f"document.getElementById('login-user-input').value = {json.dumps(user)};"
               f"document.getElementById('login-password-input').value = {json.dumps(password)};"
               "document.getElementById('login-button').click(); return true; })()")
    elif cmd == "logout":
        p.call("Network.clearBrowserCookies")
    elif cmd == "wait":
        try:
            value, at = p.wait(args[0], float(args[1]))
        except TimeoutError as e:
            print(e, file=sys.stderr)
            return 1
        print(json.dumps({"value": value, "at": at}))
    elif cmd == "eval":
        print(json.dumps(p.eval(args[0])))
    elif cmd == "screenshot":
        shot = p.call("Page.captureScreenshot", format="png")
        with open(args[0], "wb") as f:
            f.write(base64.b64decode(shot["data"]))
    else:
        print(f"unknown command {cmd}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
