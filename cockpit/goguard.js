/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The "Go services" page: goguardd's Go units and findings over its D-Bus API
 * (org.goguard.goguard1(5)). Units come from the ObjectManager, findings are listed once and
 * then kept current by the FindingAdded/Updated/Resolved signals: nothing polls.
 *
 * For tests, <body> carries data-ready ("1" once the first replies are in, "error" when goguardd
 * cannot be reached), data-ready-ms (milliseconds from navigation to data), data-state ("ok",
 * "not-running", "not-installed"), data-units and data-findings (counts on the page).
 */
"use strict";

(function () {
    const _ = cockpit.gettext;
    const BUS_NAME = "org.goguard.goguard1";
    const MANAGER_PATH = "/org/goguard/goguard1";
    const MANAGER = "org.goguard.goguard1.Manager";
    const UNIT = "org.goguard.goguard1.Unit";
    const PAGE = 1000; /* the most ListFindings gives per call */
    const UINT64_MAX = 18446744073709551615; /* as a double: 2^64 */
    const EVIDENCE_KEYS = window.GOGUARD_EVIDENCE_KEYS || {};
    const SEVERITY_ORDER = { critical: 0, warning: 1, info: 2 };

    const client = cockpit.dbus(BUS_NAME, { bus: "system" });
    /* Acknowledge and dismiss go through the session's administrative access (sudo), so
     * goguardd's polkit check sees root; the client opens only when first used. */
    let adminClient = null;
    const permission = cockpit.permission({ admin: true });

    const findings = new Map(); /* id -> row */
    let units = null;
    let loaded = false;
    let pending = []; /* signals received while the first list is in flight */
    let selected = null;
    let selectedDetail = null;
    let renderQueued = false;

    const $ = id => document.getElementById(id);

    function el(tag, attrs, ...children) {
        const e = document.createElement(tag);
        for (const [k, v] of Object.entries(attrs || {})) {
            if (k === "class")
                e.className = v;
            else if (k.startsWith("data-"))
                e.setAttribute(k, v);
            else
                e[k] = v;
        }
        for (const c of children)
            e.append(c instanceof Node ? c : String(c));
        return e;
    }

    /* ---- formatting ---- */

    function formatTime(usec) {
        if (!usec)
            return "—";
        return new Date(usec / 1000).toLocaleString();
    }

    function formatBytes(n) {
        if (n >= UINT64_MAX)
            return "infinity";
        const units = ["", "K", "M", "G", "T"];
        let i = 0;
        while (n >= 1024 && n % 1024 === 0 && i < units.length - 1) {
            n /= 1024;
            i++;
        }
        return String(n) + units[i];
    }

    function formatValue(key, variant) {
        let v = variant && variant.v !== undefined ? variant.v : variant;
        const kind = (EVIDENCE_KEYS[key] || [])[0];
        if (typeof v === "boolean" || kind === "flag")
            return v ? _("yes") : _("no");
        if (v === "")
            return _("(unset)");
        if (typeof v !== "number")
            return String(v);
        /* The bridge hands a 't' over 2^63 on as negative: UINT64_MAX arrives as -1. */
        if (v < 0 && variant && variant.t === "t")
            v += 2 ** 64;
        switch (kind) {
        case "bytes":
            return formatBytes(v);
        case "kib":
            return v >= UINT64_MAX ? "infinity" : formatBytes(v * 1024);
        case "timestamp":
            return formatTime(v);
        case "timespan":
            return (v / 1000).toFixed(0) + " ms";
        case "count":
            return v >= UINT64_MAX ? "infinity" : String(v);
        default:
            return String(v);
        }
    }

    /* ---- status ---- */

    function setState(state, title, text) {
        document.body.dataset.state = state;
        const box = $("status");
        box.hidden = state === "ok";
        $("status-title").textContent = title || "";
        $("status-text").textContent = text || "";
    }

    function explainError(err) {
        const name = (err && err.name) || "";
        /* A name that is neither owned nor activatable: the bridge closes the channel with
         * "not-found" (or a call fails with ServiceUnknown "... not provided by any ..."). */
        if ((err && err.problem === "not-found") ||
            (name === "org.freedesktop.DBus.Error.ServiceUnknown" && /not provided by any/.test(err.message || "")))
            return ["not-installed", _("goguard is not installed"),
                _("goguardd's D-Bus service org.goguard.goguard1 is not known on this machine. Install goguard to see its Go services here.")];
        return ["not-running", _("goguardd is not running"),
            cockpit.format(_("goguardd could not be reached ($0). Start it with: systemctl start goguardd.service"),
                           (err && (err.message || err.problem)) || String(err))];
    }

    function fail(err) {
        const [state, title, text] = explainError(err);
        setState(state, title, text);
        if (document.body.dataset.ready !== "1")
            document.body.dataset.ready = "error";
    }

    /* ---- units ---- */

    function renderUnits() {
        const tbody = $("units").tBodies[0];
        const rows = [];
        if (units) {
            for (const path of Object.keys(units)) {
                const u = units[path];
                if (u && u.valid !== false && u.Name)
                    rows.push(u);
            }
        }
        rows.sort((a, b) => a.Name.localeCompare(b.Name));
        tbody.replaceChildren(...rows.map(u => el("tr", { "data-unit": u.Name },
            el("td", {}, u.Name),
            el("td", { class: "gg-state-" + u.ActiveState }, u.SubState && u.SubState !== u.ActiveState ? `${u.ActiveState} (${u.SubState})` : u.ActiveState),
            el("td", {}, u.GoVersion || "—"),
            el("td", {}, u.Cgo),
            el("td", {}, u.Linking),
            el("td", { class: "gg-num" }, u.OpenFindings))));
        $("units-empty").hidden = rows.length > 0;
        $("units-count").textContent = cockpit.format(cockpit.ngettext("$0 unit", "$0 units", rows.length), rows.length);
        document.body.dataset.units = String(rows.length);
    }

    /* ---- findings ---- */

    function rowFromList(r) {
        const [id, unit, cls, severity, state, summary, first, last, count] = r;
        return { id, unit, class: cls, severity, state, summary, first, last, count };
    }

    function rowFromFinding(f) {
        const v = k => (f[k] ? f[k].v : undefined);
        return {
            id: v("Id"), unit: v("Unit"), class: v("Class"), severity: v("Severity"), state: v("State"),
            summary: v("Summary"), first: v("FirstSeen"), last: v("LastSeen"), count: v("Count")
        };
    }

    function fillSelect(select, values) {
        const current = select.value;
        const options = [el("option", { value: "" }, _("All"))];
        for (const v of values)
            options.push(el("option", { value: v }, v));
        select.replaceChildren(...options);
        select.value = values.includes(current) ? current : "";
    }

    function renderFindings() {
        const all = Array.from(findings.values());
        fillSelect($("filter-unit"), [...new Set(all.map(f => f.unit))].sort());
        fillSelect($("filter-class"), [...new Set(all.map(f => f.class))].sort());
        fillSelect($("filter-severity"), [...new Set(Object.keys(SEVERITY_ORDER).concat(all.map(f => f.severity)))]
            .sort((a, b) => (SEVERITY_ORDER[a] ?? 9) - (SEVERITY_ORDER[b] ?? 9)));

        const fu = $("filter-unit").value;
        const fc = $("filter-class").value;
        const fs = $("filter-severity").value;
        const shown = all.filter(f => (!fu || f.unit === fu) && (!fc || f.class === fc) && (!fs || f.severity === fs));
        /* Newest first, as ListFindings orders them. */
        shown.sort((a, b) => (b.last || 0) - (a.last || 0) || a.id.localeCompare(b.id));

        const tbody = $("findings").tBodies[0];
        tbody.replaceChildren(...shown.map(f => {
            const tr = el("tr", { "data-id": f.id, "data-unit": f.unit, "data-class": f.class, "data-state": f.state },
                el("td", {}, f.unit),
                el("td", {}, f.class),
                el("td", {}, el("span", { class: "gg-label gg-sev-" + f.severity }, f.severity)),
                el("td", { class: "gg-finding-state" }, f.state),
                el("td", { class: "gg-num" }, f.count ?? "—"),
                el("td", {}, formatTime(f.last)),
                el("td", { class: "gg-summary" }, f.summary));
            if (f.id === selected)
                tr.classList.add("gg-selected");
            tr.addEventListener("click", () => select(f.id));
            return tr;
        }));
        $("findings-empty").hidden = shown.length > 0;
        $("findings-count").textContent = shown.length === all.length
            ? cockpit.format(cockpit.ngettext("$0 finding", "$0 findings", all.length), all.length)
            : cockpit.format(_("$0 of $1 findings"), shown.length, all.length);
        document.body.dataset.findings = String(all.length);
        document.body.dataset.shown = String(shown.length);
    }

    function render() {
        if (renderQueued)
            return;
        renderQueued = true;
        window.setTimeout(() => {
            renderQueued = false;
            renderUnits();
            renderFindings();
        }, 0);
    }

    async function listAllFindings() {
        const rows = [];
        for (let offset = 0; ;) {
            const [page, total] = await client.call(MANAGER_PATH, MANAGER, "ListFindings", [{}, offset, PAGE]);
            rows.push(...page);
            offset += page.length;
            if (page.length === 0 || offset >= total)
                return rows;
        }
    }

    async function fetchFinding(id) {
        const [f] = await client.call(MANAGER_PATH, MANAGER, "GetFinding", [id]);
        return f;
    }

    function refreshFromDaemon(id) {
        fetchFinding(id)
            .then(f => {
                findings.set(id, rowFromFinding(f));
                if (id === selected)
                    showDetail(f);
                render();
            })
            .catch(err => console.warn("GetFinding", id, err.message));
    }

    function applySignal(member, args) {
        const id = args[0];
        const row = findings.get(id);
        switch (member) {
        case "FindingAdded": {
            const [, unit, cls, severity, summary] = args;
            /* On screen at once; GetFinding fills in the times and the count. */
            if (!row)
                findings.set(id, { id, unit, class: cls, severity, state: "open", summary, first: 0, last: Date.now() * 1000, count: 1 });
            refreshFromDaemon(id);
            break;
        }
        case "FindingUpdated": {
            const [, , state, count, last] = args;
            if (row) {
                Object.assign(row, { state, count, last });
                if (id === selected)
                    refreshFromDaemon(id);
            } else {
                refreshFromDaemon(id);
            }
            break;
        }
        case "FindingResolved":
            if (row)
                row.state = "resolved";
            if (id === selected || !row)
                refreshFromDaemon(id);
            break;
        default:
            return;
        }
        render();
    }

    function onSignal(path, iface, member, args) {
        if (!loaded)
            pending.push([member, args]);
        else
            applySignal(member, args);
    }

    /* ---- detail ---- */

    function factList(dl, pairs) {
        dl.replaceChildren(...pairs.flatMap(([k, v]) => [el("dt", {}, k), el("dd", { "data-key": k }, v)]));
    }

    function copyText(text, button) {
        const done = ok => {
            button.textContent = ok ? _("Copied") : _("Copy failed");
            button.dataset.copied = ok ? "1" : "0";
            window.setTimeout(() => { button.textContent = _("Copy") }, 2000);
        };
        const fallback = () => {
            /* The clipboard API may be refused inside Cockpit's frame: copy a selection. */
            const area = el("textarea", { value: text, readOnly: true, class: "gg-offscreen" });
            document.body.append(area);
            area.select();
            let ok = false;
            try {
                ok = document.execCommand("copy");
            } catch (e) {
                ok = false;
            }
            area.remove();
            done(ok);
        };
        if (navigator.clipboard && navigator.clipboard.writeText)
            navigator.clipboard.writeText(text).then(() => done(true), fallback);
        else
            fallback();
    }

    function showDetail(f) {
        selectedDetail = f;
        const v = k => (f[k] ? f[k].v : "");
        const card = $("detail");
        card.hidden = false;
        card.dataset.id = v("Id");
        card.dataset.state = v("State");
        $("detail-title").textContent = v("Summary");
        factList($("detail-facts"), [
            [_("Unit"), v("Unit")],
            [_("Class"), v("Class")],
            [_("Severity"), v("Severity")],
            [_("State"), v("State")],
            [_("Count"), v("Count")],
            [_("First seen"), formatTime(v("FirstSeen"))],
            [_("Last seen"), formatTime(v("LastSeen"))],
            [_("Invocation"), v("InvocationID") || "—"],
            [_("Finding ID"), v("Id")],
        ]);

        const evidence = (f.Evidence && f.Evidence.v) || {};
        const happened = [];
        const settings = [];
        for (const key of Object.keys(evidence).sort()) {
            const pair = [key, formatValue(key, evidence[key])];
            ((EVIDENCE_KEYS[key] || [])[1] ? settings : happened).push(pair);
        }
        factList($("detail-evidence"), happened);
        factList($("detail-settings"), settings);

        const advice = (f.Advice && f.Advice.v) || [];
        $("detail-advice").replaceChildren(...advice.map(([kind, text, snippet]) => {
            const li = el("li", { "data-kind": kind }, el("p", {}, text));
            if (snippet) {
                const pre = el("pre", { class: kind === "dropin" ? "gg-dropin" : "gg-command" }, snippet);
                const copy = el("button", { type: "button", class: "gg-btn gg-btn-secondary gg-copy" }, _("Copy"));
                copy.addEventListener("click", () => copyText(snippet, copy));
                li.append(el("div", { class: "gg-snippet" }, pre, copy));
            }
            return li;
        }));
        updateActions();
    }

    function select(id) {
        selected = id;
        $("action-error").hidden = true;
        fetchFinding(id)
            .then(f => { if (selected === id) showDetail(f) })
            .catch(err => {
                $("action-error").hidden = false;
                $("action-error").textContent = err.message;
            });
        render();
    }

    function updateActions() {
        const allowed = permission.allowed === true;
        const state = selectedDetail && selectedDetail.State ? selectedDetail.State.v : "";
        const ack = $("acknowledge");
        const dismiss = $("dismiss");
        ack.disabled = !allowed || state !== "open";
        dismiss.disabled = !allowed || state === "resolved";
        const note = $("admin-note");
        note.hidden = allowed;
        note.textContent = permission.allowed === null
            ? _("Checking for administrative access…")
            : _("Acknowledging and dismissing findings needs administrative access: turn it on in Cockpit's top bar.");
        const why = allowed ? "" : note.textContent;
        ack.title = why;
        dismiss.title = why;
        document.body.dataset.admin = allowed ? "1" : permission.allowed === null ? "unknown" : "0";
    }

    function act(method) {
        if (!selected)
            return;
        if (!adminClient)
            adminClient = cockpit.dbus(BUS_NAME, { bus: "system", superuser: "require" });
        const id = selected;
        $("action-error").hidden = true;
        adminClient.call(MANAGER_PATH, MANAGER, method, [id])
            .catch(err => {
                $("action-error").hidden = false;
                $("action-error").textContent = cockpit.format(_("$0 failed: $1"), method, err.message || err.problem);
            });
        /* The FindingUpdated/Resolved signal brings the new state. */
    }

    /* ---- start ---- */

    function start() {
        const t0 = performance.now();
        client.subscribe({ interface: MANAGER, path: MANAGER_PATH }, onSignal);
        units = client.proxies(UNIT, MANAGER_PATH);
        units.addEventListener("added", render);
        units.addEventListener("changed", render);
        units.addEventListener("removed", render);

        Promise.all([units.wait(), listAllFindings()])
            .then(([, rows]) => {
                findings.clear();
                for (const r of rows)
                    findings.set(r[0], rowFromList(r));
                loaded = true;
                const queued = pending;
                pending = [];
                for (const [member, args] of queued)
                    applySignal(member, args);
                setState("ok");
                renderUnits();
                renderFindings();
                document.body.dataset.readyMs = String(Math.round(performance.now()));
                document.body.dataset.loadMs = String(Math.round(performance.now() - t0));
                document.body.dataset.ready = "1";
            })
            .catch(fail);
    }

    /* goguardd going away and coming back: the page says so, then lists everything again. */
    let hadOwner = null;
    client.addEventListener("owner", (event, owner) => {
        if (owner === null) {
            /* A name nobody can own, because goguard is not installed, says so already. */
            if (hadOwner !== false && document.body.dataset.state !== "not-installed")
                setState("not-running", _("goguardd is not running"),
                         _("goguardd has left the system bus. Start it with: systemctl start goguardd.service"));
            hadOwner = false;
        } else {
            if (hadOwner === false && loaded) {
                loaded = false;
                listAllFindings()
                    .then(rows => {
                        findings.clear();
                        for (const r of rows)
                            findings.set(r[0], rowFromList(r));
                        loaded = true;
                        pending.splice(0).forEach(([m, a]) => applySignal(m, a));
                        setState("ok");
                        render();
                    })
                    .catch(fail);
            }
            hadOwner = true;
        }
    });
    client.addEventListener("close", (event, options) => {
        fail({ message: cockpit.message(options), problem: options.problem });
    });

    permission.addEventListener("changed", updateActions);

    document.addEventListener("DOMContentLoaded", () => {
        for (const id of ["filter-unit", "filter-class", "filter-severity"])
            $(id).addEventListener("change", renderFindings);
        $("acknowledge").addEventListener("click", () => act("AcknowledgeFinding"));
        $("dismiss").addEventListener("click", () => act("DismissFinding"));
        $("detail-close").addEventListener("click", () => {
            selected = null;
            selectedDetail = null;
            $("detail").hidden = true;
            render();
        });
        updateActions();
        start();
    });
}());
