# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
# The Cockpit page "Go services" in real headless Chromium, logged in to the packaged
# cockpit.socket as a non-root user without administrative access: the box's Go units, an OOM
# kill that happens while the page is open (on screen within 2 s, no reload), its detail with
# the drop-in, the filters, acknowledge shown as unavailable, goguardd stopping and starting;
# then a user with administrative access (sudo) acknowledges and dismisses; goguard not installed.
source "$SRC_DIR/tests/integration/goguard-lib.sh"
source "$SRC_DIR/tests/integration/cockpit-lib.sh"
missing=$(cockpit_missing)
[[ -z $missing ]] || skip "$missing is not installed (tools/install-deps installs it)"
require_go_services
gg_start

ok=${UNIT_PREFIX}healthy.service
hog=${UNIT_PREFIX}memhog.service
browser=${UNIT_PREFIX}chromium
user=ggview
admin=ggadmin
shot=$BUILD_DIR/test-94-cockpit.png
trap 'box_exec systemctl stop "$ok" "$hog" "$browser.service" >/dev/null 2>&1 || true' EXIT

# As a user of its own: a root network service would rightly have a runs-as-root finding.
box_exec systemd-run --quiet --unit="$ok" -p DynamicUser=yes -E HEALTHY_ADDR=127.0.0.1:0 "$GO_SERVICES_DIR/healthy"
wait_until 10 gg_has_unit "$ok"
cockpit_start "$user" 'gg-Secret-42'
box_exec useradd -m -d "/var/tmp/$admin-home" -s /bin/bash -G sudo "$admin"
box_sh 'echo "$1:gg-Secret-43" | chpasswd' "$admin"
cockpit_chromium "$browser"

# 1. Log in through Cockpit's login page and open the page from the shell's navigation.
cdp navigate "$COCKPIT_URL/goguard"
cdp login "$user" 'gg-Secret-42' 20
ready=$(cdp wait 'gg().body.dataset.ready !== "0" && gg().body.dataset.ready' 30)
assert_json "$ready" 'd["value"] == "1"' "the page has its data"
assert_eq '"Go services"' "$(cdp eval '[...document.querySelectorAll("a")].map(a => a.textContent.trim()).find(t => t === "Go services") || ""')" \
        "the page is in the shell's navigation"
assert_eq '"ok"' "$(cdp eval 'gg().body.dataset.state')" "no error shown"

# 2. The Go units are the box's, with goguardd's facts.
page_units=$(cdp eval '[...gg().querySelectorAll("#units tbody tr")].map(r => r.dataset.unit).join("\n")')
assert_eq "$(gg_go_units | python3 -c 'import json,sys; print(json.dumps(sys.stdin.read().strip()))')" "$page_units" \
        "the page lists exactly the Go units ListGoUnits lists"
row=$(cdp eval '[...gg().querySelector("#units tr[data-unit=\"'"$ok"'\"]").cells].map(c => c.textContent)')
assert_json "$row" 'd == ["'"$ok"'", "active (running)", "go1.19.8", "no", "static", "0"]' \
        "name, state, Go version, cgo, linking, open findings"

# 3. An OOM kill while the page is open: the row appears without a reload, within 2 s.
cdp eval 'ggw().ggMarker = 42' >/dev/null
sel='gg().querySelector("#findings tr[data-unit=\"'"$hog"'\"][data-class=\"oom-kill\"]")'
cdp wait "$sel && $sel.dataset.id" 30 >"$BOX_DIR/seen.json" &
waiter=$!
box_exec systemd-run --quiet --unit="$hog" -p MemoryMax=40M -p MemorySwapMax=0 "$GO_SERVICES_DIR/memhog"
wait "$waiter"
seen=$(cat "$BOX_DIR/seen.json")
id=$(gg_finding_of "$hog" oom-kill)
assert_match '[0-9a-f]{32}' "$id" "goguardd has the kill"
assert_json "$seen" 'd["value"] == "'"$id"'"' "the page shows the same finding"
f=$(gg_finding "$id")
delay_ms=$(python3 -c 'import json,sys; print(round(json.loads(sys.argv[1])["at"] * 1000 - int(sys.argv[2]) / 1000))' \
        "$seen" "$(json_get "$f" 'd["Evidence"]["killed_at"]')")
echo "  on the page ${delay_ms} ms after the kernel's kill"
assert_status 0 test "$delay_ms" -lt 2000
assert_eq 42 "$(cdp eval 'ggw().ggMarker')" "the page was not reloaded"
# The count and the unit's open findings follow without a reload too.
cdp wait 'gg().querySelector("#units tr[data-unit=\"'"$hog"'\"]")' 10 >/dev/null
wait_until 5 eval '[ "$(cdp eval "gg().querySelector(\"#units tr[data-unit=\\\"$hog\\\"]\").cells[5].textContent")" = "\"$(json_get "$(gg_unit_props "$hog")" "d[\"OpenFindings\"]")\"" ]'

# 4. The detail: evidence, settings in force, advice with the drop-in and a copy button.
cdp eval "$sel.click() || true" >/dev/null
cdp wait 'gg().querySelector("#detail[data-id=\"'"$id"'\"] pre.gg-dropin")' 10 >/dev/null
assert_eq '"[Service]\nEnvironment=GOMEMLIMIT=36MiB\n"' "$(cdp eval 'gg().querySelector("#detail pre.gg-dropin").textContent')" \
        "the drop-in"
assert_eq '"Copy"' "$(cdp eval 'gg().querySelector("#detail .gg-snippet button").textContent')" "its copy button"
assert_eq '"40M"' "$(cdp eval 'gg().querySelector("#detail-settings dd[data-key=MemoryMax]").textContent')" \
        "MemoryMax= among the settings in force"
assert_eq '"memhog"' "$(cdp eval 'gg().querySelector("#detail-evidence dd[data-key=comm]").textContent')" \
        "the kernel's record among the evidence"

# 5. Without administrative access acknowledging is shown as unavailable.
assert_eq '"0"' "$(cdp eval 'gg().body.dataset.admin')" "the session has no administrative access"
assert_eq 'true' "$(cdp eval 'gg().getElementById("acknowledge").disabled && gg().getElementById("dismiss").disabled')" \
        "acknowledge and dismiss are disabled"
assert_eq 'false' "$(cdp eval 'gg().getElementById("admin-note").hidden')" "and the page says why"

# 6. Filters: by unit, by class, by severity.
filter() { cdp eval "(s => { s.value = '$2'; s.dispatchEvent(new Event('change')); return gg().body.dataset.shown; })(gg().getElementById('filter-$1'))"; }
total=$(gg_call ListFindings 'a{sv}uu' 1 unit s "$hog" 0 0 | json_get - 'd["data"][1]')
assert_eq "\"$total\"" "$(filter unit "$hog")" "filtered by unit: the unit's findings"
assert_eq '"1"' "$(filter class oom-kill)" "and by class"
assert_eq '"0"' "$(filter severity info)" "and by severity"
filter severity '' >/dev/null
filter class '' >/dev/null
cdp screenshot "$shot"
echo "  screenshot: $shot"
filter unit '' >/dev/null

# 7. goguardd stopping is said on the page; its coming back lists everything again.
box_exec systemctl stop goguardd.service
cdp wait 'gg().body.dataset.state === "not-running"' 10 >/dev/null
assert_eq '"goguardd is not running"' "$(cdp eval 'gg().getElementById("status-title").textContent')" "the message"
gg_start
cdp wait 'gg().body.dataset.state === "ok" && gg().querySelector("#findings tr[data-id=\"'"$id"'\"]")' 10 >/dev/null
assert_eq 42 "$(cdp eval 'ggw().ggMarker')" "still without a reload"

# 8. With administrative access (a sudoer's login): acknowledge, then dismiss, through polkit.
gap=$(gg_finding_of "$hog" oom-restart-gap)
assert_match '[0-9a-f]{32}' "$gap" "the restart gap finding"
cdp logout
cdp navigate "$COCKPIT_URL/goguard"
cdp login "$admin" 'gg-Secret-43' 20 admin
cdp wait 'gg().body.dataset.ready === "1" && gg().body.dataset.admin === "1"' 30 >/dev/null
cdp eval 'gg().querySelector("#findings tr[data-id=\"'"$id"'\"]").click() || true' >/dev/null
cdp wait 'gg().querySelector("#detail[data-id=\"'"$id"'\"]") && !gg().getElementById("acknowledge").disabled' 10 >/dev/null
assert_eq 'true' "$(cdp eval 'gg().getElementById("admin-note").hidden')" "no note about access"
cdp eval 'gg().getElementById("acknowledge").click() || true' >/dev/null
cdp wait 'gg().querySelector("#findings tr[data-id=\"'"$id"'\"]").dataset.state === "acknowledged"' 10 >/dev/null
assert_json "$(gg_finding "$id")" 'd["State"] == "acknowledged"' "goguardd has it acknowledged"
assert_eq '"acknowledged"' "$(cdp eval 'gg().getElementById("detail").dataset.state')" "the detail follows"
cdp eval 'gg().querySelector("#findings tr[data-id=\"'"$gap"'\"]").click() || true' >/dev/null
cdp wait 'gg().querySelector("#detail[data-id=\"'"$gap"'\"]") && !gg().getElementById("dismiss").disabled' 10 >/dev/null
cdp eval 'gg().getElementById("dismiss").click() || true' >/dev/null
cdp wait 'gg().querySelector("#findings tr[data-id=\"'"$gap"'\"]").dataset.state === "resolved"' 10 >/dev/null
assert_json "$(gg_finding "$gap")" 'd["State"] == "resolved"' "goguardd has it resolved"
assert_eq '""' "$(cdp eval 'gg().getElementById("action-error").textContent')" "no error on the page"

# 9. goguard not installed (its bus name cannot be activated): the page says so.
box_exec systemctl stop goguardd.service
box_exec rm /usr/share/dbus-1/system-services/org.goguard.goguard1.service
box_exec busctl call org.freedesktop.DBus /org/freedesktop/DBus org.freedesktop.DBus ReloadConfig
cdp navigate "$COCKPIT_URL/goguard"
cdp wait 'gg().body.dataset.ready === "error"' 30 >/dev/null
echo "  the page says: $(cdp eval 'gg().getElementById("status-text").textContent')"
assert_eq '"not-installed"' "$(cdp eval 'gg().body.dataset.state')" "the page knows goguard is not installed"
assert_eq '"goguard is not installed"' "$(cdp eval 'gg().getElementById("status-title").textContent')" "and says so"
