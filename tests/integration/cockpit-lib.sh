# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
# Cockpit and headless Chromium in the box, for the "Go services" page's test and benchmark.
# Needs box.sh. Chromium runs in the box as a transient unit, driven over the DevTools protocol
# by cdp.py from the host (the box shares the host's network).

COCKPIT_WS=/usr/lib/cockpit/cockpit-ws
CDP=$(dirname "${BASH_SOURCE[0]}")/cdp.py
COCKPIT_URL=https://127.0.0.1:9090

# cockpit_missing: prints the first tool that is missing ("" when all are there).
cockpit_missing() {
        local t
        for t in "$COCKPIT_WS" /usr/bin/cockpit-bridge /usr/share/cockpit/shell/manifest.json \
                /usr/bin/chromium /usr/bin/sudo /usr/bin/python3; do
                [[ -e $t ]] || { echo "$t"; return 0; }
        done
        /usr/bin/python3 -c 'import websocket' 2>/dev/null || echo "python3-websocket"
}

# cockpit_start USER PASSWORD [GROUP...]: a login user (home under /var/tmp: the box's /etc and
# /var vanish with it), logins allowed, and the packaged cockpit.socket (TLS on *:9090, which the
# host keeps disabled).
cockpit_start() {
        local user=$1 password=$2 groups
        groups=$(IFS=,; echo "${*:3}")
        box_exec useradd -m -d "/var/tmp/$user-home" -s /bin/bash ${groups:+-G "$groups"} "$user"
        box_sh 'echo "$1:$2" | chpasswd' "$user" "$password"
        box_exec systemctl start systemd-user-sessions.service cockpit.socket
}

# cockpit_chromium UNIT: headless Chromium in the box as UNIT; sets CDP_PORT.
cockpit_chromium() {
        local unit=$1 dir=/tmp/$1-profile
        box_exec systemd-run --quiet --unit="$unit" -p KillMode=control-group -E HOME=/tmp \
                /usr/bin/chromium --headless --no-sandbox --disable-gpu --ignore-certificate-errors \
                --no-first-run --remote-debugging-port=0 --user-data-dir="$dir" \
                --window-size=1280,1400 about:blank
        wait_until 20 box_exec test -s "$dir/DevToolsActivePort"
        CDP_PORT=$(box_exec head -n1 "$dir/DevToolsActivePort")
        wait_until 10 /usr/bin/python3 "$CDP" "$CDP_PORT" eval 1 >/dev/null
}

# cdp COMMAND ARG...: cdp.py against the box's Chromium.
cdp() {
        /usr/bin/python3 "$CDP" "$CDP_PORT" "$@"
}
