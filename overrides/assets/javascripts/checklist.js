// Esrok recovery checklist: page script. DOM only; Python runs in checklist-worker.js.
//
// Safe to run twice: Material's instant navigation re-executes scripts in the content
// area, so the first run installs one global app (one worker per tab) and subscribes to
// document$; every emission calls setup(), which binds the page once.
// Everything the user typed is rendered with textContent, never as HTML.
(function () {
  "use strict";
  // Re-executed by Material after each instant navigation to the tool: just bind the page.
  if (window.__esrokChecklist) { window.__esrokChecklist.setup(); return; }

  const SCRIPT = document.currentScript;
  const ROOT = new URL("../../", SCRIPT ? SCRIPT.src : location.href);
  // The boot configuration the tool build emitted into this page (hooks/toolbuild/page.py).
  const readBoot = () => {
    const el = document.getElementById("esrok-boot");
    try { return el ? JSON.parse(el.textContent) : null; } catch (e) { return null; }
  };
  const BOOT = readBoot();
  const STORE_KEY = "esrok.recovery-plan";
  const STORE_VERSION = 1;
  const TIERS = [
    ["blocker", "Fix first: blockers"],
    ["durability", "Then: make recovery durable"],
    ["readiness", "Finally: be ready"],
  ];

  // ---- labels for the plan format (docs/tools/plan-format.md) ----
  const THING_TYPES = [
    ["phone", "Phone"], ["device", "Computer or tablet"], ["phone_number", "Phone number"],
    ["security_key", "Security key"], ["authenticator_app", "Authenticator app"],
    ["code_store", "Place where backup codes are kept"], ["recovery_contact", "Recovery contact (a person)"],
  ];
  const LOCATIONS = [["carried", "Carried with me"], ["home", "At home"], ["elsewhere", "Somewhere else"]];
  const APP_BACKUP = [["none", "Not backed up"], ["cloud", "Cloud backup"], ["export", "Exported copy"]];
  const CODE_KINDS = [["paper", "On paper"], ["safe", "In a safe"], ["trusted_person", "With a trusted person"],
    ["password_manager", "In a password manager"], ["device_file", "In a file on a device"]];
  const ACCOUNT_KINDS = [["email", "Email"], ["password_manager", "Password manager"], ["apple", "Apple Account"],
    ["google", "Google account"], ["microsoft", "Microsoft account"], ["carrier", "Mobile carrier"],
    ["bank", "Bank"], ["work", "Work"], ["social", "Social"], ["other", "Other"]];
  const IMPORTANCE = [["critical", "Critical"], ["important", "Important"], ["normal", "Normal"]];
  const SIGN_IN = [["password", "Password"], ["passkey", "Passkey"], ["security_key", "Security key"],
    ["totp", "Authenticator app code"], ["push", "Push approval"], ["sms", "Text message code"],
    ["voice", "Voice call code"], ["email_code", "Emailed code"]];
  const RECOVERY = [["recovery_email", "Recovery email"], ["recovery_phone", "Recovery phone"],
    ["recovery_contact", "Recovery contact"], ["support", "Account support process"],
    ["security_questions", "Security questions"]];
  const HABITS = [
    ["lost_device_playbook", "I know what to do first if a device is lost"],
    ["escalation_plan", "I know how to reach each provider's official recovery if everything else fails"],
    ["enrolls_before_retiring", "I add a new phone or key before retiring the old one"],
    ["watches_alerts", "I read sign-in and security alerts"],
  ];
  const label = (pairs, v) => (pairs.find((p) => p[0] === v) || [v, v])[1];

  // ---- small DOM helpers (text only) ----
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "text") el.textContent = String(v);
      else if (k === "class") el.className = v;
      else if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
      else if (v === true) el.setAttribute(k, "");
      else el.setAttribute(k, String(v));
    }
    for (const c of children.flat()) {
      if (c === null || c === undefined || c === false) continue;
      el.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return el;
  }
  function today() {
    const d = new Date();
    const p = (n) => String(n).padStart(2, "0");
    return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
  }
  function download(name, type, text) {
    const url = URL.createObjectURL(new Blob([text], { type }));
    const a = h("a", { href: url, download: name, hidden: true });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }
  function mark(name) { try { performance.mark(name); } catch (e) { /* ignore */ } }

  // ---- storage: opt-in, versioned, with a migration path ----
  // Stored shape v1: {"store_version": 1, "saved_on": "YYYY-MM-DD", "plan": <plan v1>}.
  // Older shape (v0, a bare plan object) is migrated on read; a newer store_version is
  // left untouched and reported rather than overwritten.
  function migrateStore(data) {
    if (data && typeof data === "object" && !("store_version" in data) && Array.isArray(data.accounts)) {
      data = { store_version: 1, saved_on: null, plan: data };
    }
    if (!data || typeof data !== "object" || typeof data.store_version !== "number") {
      return { error: "The saved plan in this browser is not in a format this page knows." };
    }
    if (data.store_version > STORE_VERSION) {
      return { error: "The saved plan was written by a newer version of this page; it was left as it is." };
    }
    return { store: data };
  }
  function readStore() {
    let raw;
    try { raw = localStorage.getItem(STORE_KEY); } catch (e) { return null; }
    if (raw === null) return null;
    try { return migrateStore(JSON.parse(raw)); } catch (e) {
      return { error: "The saved plan in this browser is damaged (not JSON)." };
    }
  }
  function writeStore(plan) {
    try {
      localStorage.setItem(STORE_KEY, JSON.stringify({ store_version: STORE_VERSION, saved_on: today(), plan }));
      return true;
    } catch (e) { return false; }
  }
  function clearStore() { try { localStorage.removeItem(STORE_KEY); } catch (e) { /* ignore */ } }

  function emptyPlan() {
    return { version: 2, habits: Object.fromEntries(HABITS.map(([k]) => [k, false])), things: [], accounts: [] };
  }

  // ---- the app: one per tab, survives instant navigation ----
  const app = {
    worker: null, engine: "idle", status: "", nextId: 1, pending: new Map(), ui: null, boot: BOOT,
    versions: [],  // every (page build, engine fingerprint) pair this tab has run (tests: never mixed)
    plan: null, lastResult: null, lastKind: null, latestEval: 0, saving: false,
  };
  window.__esrokChecklist = app;

  function startWorker() {
    if (app.worker || !BOOT) return;
    const timeoutMs = BOOT.timeouts.bootMs;
    app.engine = "booting";
    app.status = "Preparing the checker...";
    const failedToLoad = (msg) => engineFailed("The checker could not start: its script failed to load" +
      (msg ? ` (${msg})` : "") + ". Reload the page to try again.");
    const early = window.__esrokBoot;  // started by the inline script in partials/tool-boot.html
    if (early && early.worker && !early.adopted && early.build === BOOT.build) {
      early.adopted = true;
      app.worker = early.worker;
    } else {
      mark("esrok:worker-created");
      try {
        app.worker = new Worker(new URL(BOOT.worker, ROOT), { type: "module", name: "esrok-checklist" });
      } catch (e) {
        engineFailed("The checker could not start: this browser cannot run it (" + e.message + ").");
        return;
      }
      app.worker.postMessage({ type: "boot", config: BOOT, root: ROOT.href });
    }
    app.worker.onmessage = (ev) => onWorkerMessage(ev.data || {});
    app.worker.onerror = (ev) => failedToLoad(ev.message);
    // Backstop if the worker itself never answers.
    app.watchdog = setTimeout(() => {
      if (app.engine === "booting") {
        engineFailed(`The checker could not start within ${Math.round(timeoutMs / 1000)} seconds. Reload the page to try again.`);
      }
    }, timeoutMs + 5000);
    if (early && app.worker === early.worker) {  // replay what arrived before this script ran
      for (const msg of early.messages.splice(0)) onWorkerMessage(msg || {});
      if (early.error) failedToLoad(early.error);
    }
  }

  function engineFailed(message) {
    if (app.engine === "failed") return;
    app.engine = "failed";
    app.status = message;
    clearTimeout(app.watchdog);
    for (const { reject } of app.pending.values()) reject(new Error(message));
    app.pending.clear();
    if (app.worker) { app.worker.terminate(); }
    if (app.ui) app.ui.engineChanged();
    window.dispatchEvent(new Event("esrok:engine-settled"));
  }

  // Once the checker has run here, ask the service worker (sw-register.js) to keep Pyodide and
  // the engine for offline use. Readers who never open the tool never download them.
  function requestOffline() {
    if (!("serviceWorker" in navigator) || !window.isSecureContext || app.offlineAsked) return;
    app.offlineAsked = true;
    navigator.serviceWorker.addEventListener("message", (ev) => {
      if (ev.data && ev.data.type === "esrok:checker-cached") {
        app.offline = true;
        if (app.ui) app.ui.engineChanged();
      }
    });
    // To every worker of the registration, now and as a new deploy's worker installs: only the one
    // built with this page caches for it (never an older deploy's worker for a newer page).
    const tell = (w) => { if (w) w.postMessage({ type: "esrok:used", build: BOOT.build }); };
    navigator.serviceWorker.ready.then((reg) => {
      [reg.installing, reg.waiting, reg.active].forEach(tell);
      reg.addEventListener("updatefound", () => {
        const w = reg.installing;
        if (w) w.addEventListener("statechange", () => { if (w.state === "installed" || w.state === "activated") tell(w); });
      });
    }, () => {});
  }

  function onWorkerMessage(msg) {
    if (msg.type === "progress") {
      app.status = msg.message;
    } else if (msg.type === "ready") {
      clearTimeout(app.watchdog);
      app.versions.push({ page: BOOT.build, engine: msg.fingerprint, expected: BOOT.engine.fingerprint });
      if (msg.fingerprint !== BOOT.engine.fingerprint) {
        // Never run this page with another deploy's engine: reload once to get one version.
        if (newVersion("engine")) return;
        engineFailed("The checker's files are from two versions of this site. Reload the page to try again.");
        return;
      }
      app.engine = "ready";
      app.readyMs = msg.ms;
      app.phases = msg.phases || {};
      app.stdlib = msg.stdlib || null;  // "precompiled", or "stock" after a fallback (tests, bench)
      app.stdlibError = msg.stdlibError || null;
      app.snapshot = msg.snapshot || null;  // "used" | "not cached" | "failed" | "none" (tests, bench)
      app.snapshotError = msg.snapshotError || null;
      app.status = "The checker is ready. It runs in this page; nothing you enter is sent anywhere.";
      mark("esrok:engine-ready");
      window.dispatchEvent(new Event("esrok:engine-settled"));
      requestOffline();
    } else if (msg.type === "failed") {
      engineFailed(msg.message);
      return;
    } else if (msg.type === "result") {
      const p = app.pending.get(msg.id);
      app.pending.delete(msg.id);
      if (p) {
        try { p.resolve(JSON.parse(msg.output)); } catch (e) { p.reject(new Error("the engine returned invalid JSON")); }
      }
      return;
    }
    if (app.ui) app.ui.engineChanged();
  }

  function request(type, payload) {
    if (app.engine === "failed") return Promise.reject(new Error(app.status));
    const id = app.nextId++;
    return new Promise((resolve, reject) => {
      app.pending.set(id, { resolve, reject });
      app.worker.postMessage(Object.assign({ type, id }, payload));
    });
  }
  const evaluatePlan = (plan) => request("evaluate", { plan: JSON.stringify(plan) });

  // ---- rendering results (engine output format 2) ----
  function nameOf(out, id) { return (out.names && out.names[id]) || id; }
  function names(out, ids) { return (ids || []).map((id) => nameOf(out, id)); }
  function listText(items) { return items.length ? items.join(", ") : "nothing"; }
  function scenarioLead(title) {
    // "You lose your phone" -> "If you lose your phone"
    return /^you /i.test(title) ? "If " + title.charAt(0).toLowerCase() + title.slice(1) : title;
  }
  const LOCKED = new Set(["locked_out", "no_way_back"]);
  function lockedText(out, o) {
    return o.state === "no_way_back" ? `${nameOf(out, o.account)}, with no way back`
      : `${nameOf(out, o.account)}, for about ${o.days} days`;
  }
  function backText(out, o) {
    const t = o.text.charAt(0).toLowerCase() + o.text.slice(1);
    return `${nameOf(out, o.account)}: ${t}`;
  }

  // "accounts[1].sign_in[0].on" -> "Account 2 (Bank), sign-in method 1" for the inventory editor.
  function describePath(plan, path) {
    const m = /^(accounts|things)\[(\d+)\](?:\.(sign_in|recovery)\[(\d+)\])?/.exec(path || "");
    if (!m || !plan) return "";
    const i = Number(m[2]);
    const row = (plan[m[1]] || [])[i];
    let where = m[1] === "accounts" ? `Account ${i + 1}` : `Item ${i + 1}`;
    const name = row && (row.name || row.label);
    if (name) where += ` (${name})`;
    if (m[3]) where += `, ${m[3] === "sign_in" ? "sign-in method" : "recovery route"} ${Number(m[4]) + 1}`;
    return where;
  }

  function renderErrors(box, errors, intro, plan) {
    box.replaceChildren(h("p", { text: intro }),
      h("ul", {}, (errors || []).map((e) => {
        const where = describePath(plan, e.path);
        return h("li", {}, where ? where + " — " : "", e.path ? h("code", { text: e.path }) : null,
          e.path ? ": " : "", e.message);
      })));
    box.hidden = false;
  }

  function actionItem(out, a) {
    const facts = [`${a.effort_minutes} minutes`].concat(a.gain_text ? [a.gain_text] : []);
    return h("li", { class: "esrok-action", "data-rule": a.rule },
      h("p", { class: "esrok-action-title" }, h("strong", { text: a.title })),
      h("p", { class: "esrok-facts", text: facts.join(" · ") }),
      a.gain_note ? h("p", { class: "esrok-gain-note", text: a.gain_note }) : null,
      h("p", { text: a.do }),
      a.detail ? h("p", {}, h("span", { class: "esrok-k", text: "Found: " }), a.detail) : null,
      a.trade_off ? h("p", { class: "esrok-trade-off" }, h("span", { class: "esrok-k", text: "Trade-off: " }), a.trade_off) : null,
      h("p", { class: "esrok-why" }, h("span", { class: "esrok-k", text: "Why: " }), a.why),
      h("p", { class: "esrok-source" }, h("span", { class: "esrok-k", text: "Source: " }), a.source));
  }

  function tierSections(out, actions) {
    const parts = [];
    for (const [tier, title] of TIERS) {
      const these = actions.filter((a) => a.tier === tier);
      if (!these.length) continue;
      parts.push(h("section", { class: `esrok-tier esrok-tier-${tier}`, "aria-label": title },
        h("h4", { text: title }), h("ol", { class: "esrok-action-list" }, these.map((a) => actionItem(out, a)))));
    }
    return parts;
  }

  function renderResult(ui, out) {
    const body = ui.$("esrok-result-body");
    const errors = ui.$("esrok-errors");
    if (!out.ok) {
      body.replaceChildren();
      renderErrors(errors, out.errors, "The plan has problems; fix these and the results will update:",
        app.lastKind === "inventory" ? app.plan : null);
      ui.$("esrok-summary").textContent = `The plan has ${out.errors.length} problem${out.errors.length === 1 ? "" : "s"} to fix.`;
      return;
    }
    errors.hidden = true;
    errors.replaceChildren();
    const parts = [];
    const m = out.measures;
    parts.push(h("div", { class: "esrok-score" },
      h("ul", { class: "esrok-measures" }, [m.protection, m.recoverability].map((x) =>
        h("li", { class: "esrok-measure", "data-measure": x.measure },
          h("strong", { text: `${x.label}: ${x.value} out of 100` }), " \u2014 ", x.explanation))),
      h("p", { class: "esrok-headline", text: m.headline.text })));

    parts.push(h("h3", { text: "What to do, in order" }));
    const actions = out.actions || [];
    const fold = out.fold_after || 5;
    if (!actions.length) parts.push(h("p", { text: "Nothing to fix: no actions left for this plan." }));
    parts.push(...tierSections(out, actions.slice(0, fold)));
    if (actions.length > fold) {
      parts.push(h("details", { class: "esrok-more" }, h("summary", { text: `Show all ${actions.length} actions` }),
        ...tierSections(out, actions.slice(fold))));
    }

    parts.push(h("h3", { text: "If something is lost" }));
    const table = h("table", {},
      h("caption", { text: "What each loss would do to your accounts" }),
      h("thead", {}, h("tr", {}, h("th", { scope: "col", text: "Scenario" }),
        h("th", { scope: "col", text: "Locked out of" }), h("th", { scope: "col", text: "Back in" }))),
      h("tbody", {}, (out.scenarios || []).map((s) => h("tr", { "data-scenario": s.id },
        h("th", { scope: "row", text: scenarioLead(s.title) }),
        h("td", { text: listText((s.outcomes || []).filter((o) => LOCKED.has(o.state)).map((o) => lockedText(out, o))) }),
        h("td", { text: (s.outcomes || []).filter((o) => o.state === "back").map((o) => backText(out, o)).join("; ") || "\u2014" })))));
    parts.push(h("div", { class: "md-typeset__scrollwrap" }, h("div", { class: "md-typeset__table" }, table)));

    parts.push(h("h3", { text: "Single points of failure" }));
    const spofs = out.single_points_of_failure || [];
    parts.push(spofs.length
      ? h("ul", { class: "esrok-chains" }, spofs.flatMap((s) => s.accounts.map((acct) => h("li", {},
          h("span", { class: "esrok-chain", text: names(out, s.chains[acct]).join(" \u2192 ") }),
          ` \u2014 losing ${nameOf(out, s.thing)} alone locks you out of ${nameOf(out, acct)}`))))
      : h("p", { text: "None found: no single thing you could lose cuts you off from a critical account." }));
    parts.push(h("h3", { text: "Recovery cycles" }));
    const cycles = out.cycles || [];
    parts.push(cycles.length
      ? h("ul", { class: "esrok-chains" }, cycles.map((c) => h("li", {},
          h("span", { class: "esrok-chain", text: names(out, c.chain).join(" \u2192 ") }),
          " \u2014 these accounts only recover through each other")))
      : h("p", { text: "None found: no accounts recover only through each other." }));
    const notes = [["Tips (your plan does not say, so these are not actions)", (out.tips || []).map((t) => t.text)],
      ["What the checker assumed", (out.assumptions || []).map((x) => x.text)],
      ["Questions you skipped", (out.skipped || []).map((q) => `${q.text} (${q.answer})`)]];
    for (const [title, items] of notes) {
      if (items.length) parts.push(h("h3", { text: title }), h("ul", {}, items.map((t) => h("li", { text: t }))));
    }
    body.replaceChildren(...parts);

    const blockers = actions.filter((a) => a.tier === "blocker");
    ui.$("esrok-summary").textContent = `Protection ${m.protection.value}, Recoverability ${m.recoverability.value} out of 100. ` + (blockers.length
      ? `${blockers.length} blocker${blockers.length === 1 ? "" : "s"} to fix first; top: ${blockers[0].title}.`
      : `No blockers. ${actions.length} further action${actions.length === 1 ? "" : "s"}.`);
  }

  // ---- the recovery kit ----
  function thingName(plan, id) { const t = plan.things.find((x) => x.id === id); return t ? t.label || id : id; }
  function accountName(plan, id) { const a = plan.accounts.find((x) => x.id === id); return a ? a.name || id : id; }
  function signInText(plan, m) {
    const base = label(SIGN_IN, m.type);
    if (m.type === "password") return m.via ? `${base}, stored in ${accountName(plan, m.via)}` : `${base}, memorised`;
    if (m.on) return `${base} on ${thingName(plan, m.on)}${m.number_matching ? " (number matching)" : ""}`;
    if (m.via) return `${base} through ${accountName(plan, m.via)}`;
    return base;
  }
  function recoveryText(plan, r) {
    const base = label(RECOVERY, r.type);
    if (r.type === "recovery_email") return r.dead ? `${base}: an address that no longer works` : `${base}: ${accountName(plan, r.via)}`;
    if (r.type === "recovery_phone" || r.type === "recovery_contact") return `${base}: ${thingName(plan, r.on)}`;
    if (r.type === "support") return `${base}: wait about ${r.wait_days} days` + (r.official_url_recorded ? " (official address recorded)" : " (official address not recorded yet)");
    return base;
  }
  function renderKit(ui) {
    const plan = app.plan;
    const box = ui.$("esrok-kit-body");
    if (!plan || !plan.accounts.length) { box.replaceChildren(h("p", { text: "The kit appears once you have a plan." })); return; }
    const out = app.lastKind === "inventory" && app.lastResult && app.lastResult.ok ? app.lastResult : null;
    const lost = out && (out.scenarios || []).find((s) => s.id === "phone-lost");
    const backs = lost ? (lost.outcomes || []).filter((o) => o.state === "back") : [];
    const locks = lost ? (lost.outcomes || []).filter((o) => LOCKED.has(o.state)) : [];
    const order = { critical: 0, important: 1, normal: 2 };
    const accounts = plan.accounts.slice().sort((a, b) => (order[a.importance] ?? 3) - (order[b.importance] ?? 3));
    const parts = [h("p", { class: "esrok-kit-date", text: `Recovery kit, made on ${today()}. Re-check it every 6 months.` })];
    if (lost) {
      parts.push(h("section", { class: "esrok-kit-account" }, h("h3", { text: "If your phone is lost: the first hour" }),
        h("ol", {},
          h("li", { text: "From a device you still have, change the passwords of accounts that were signed in on the phone, and remove the phone from each account's trusted devices." }),
          h("li", { text: "Ask your mobile carrier to block the SIM and keep your number; ask for a replacement SIM." }),
          (lost.still_in || []).length ? h("li", { text: `Still open to you: ${names(out, lost.still_in).join(", ")}.` }) : null,
          backs.length ? h("li", { text: `Recover: ${backs.map((o) => backText(out, o)).join("; ")}.` }) : null,
          locks.length ? h("li", { text: `Locked out: ${locks.map((o) => lockedText(out, o)).join("; ")}. Use the provider's official recovery page.` }) : null)));
    }
    for (const acc of accounts) {
      const bc = acc.backup_codes;
      const codes = bc && bc.generated
        ? `${(bc.stored_in || []).map((id) => thingName(plan, id)).join(", ") || "not stored anywhere yet"}` +
          (typeof bc.remaining === "number" ? `; ${bc.remaining} left` : "") + (bc.generated_on ? ` (made ${bc.generated_on})` : "")
        : "none generated";
      const support = (acc.recovery || []).find((r) => r.type === "support");
      let first = "Sign in from a device you still have and remove the lost one from this account.";
      if (lost) {
        const o = (lost.outcomes || []).find((x) => x.account === acc.id);
        if (o && LOCKED.has(o.state)) first = "You would be locked out if your phone were lost: fix the blockers listed on the checker first.";
        else if (o) first = `${o.text}, then remove the lost phone from this account.`;
      }
      parts.push(h("section", { class: "esrok-kit-account" },
        h("h3", { text: `${acc.name || acc.id} (${label(ACCOUNT_KINDS, acc.kind)}, ${label(IMPORTANCE, acc.importance).toLowerCase()})` }),
        h("dl", {},
          h("dt", { text: "Sign in with" }), h("dd", {}, h("ul", {}, (acc.sign_in || []).map((m) => h("li", { text: signInText(plan, m) })))),
          h("dt", { text: "Backup codes" }), h("dd", { text: codes }),
          h("dt", { text: "Recovery routes" }), h("dd", {}, (acc.recovery || []).length
            ? h("ul", {}, acc.recovery.map((r) => h("li", { text: recoveryText(plan, r) }))) : "none set up"),
          h("dt", { text: "Official support route" }), h("dd", { text: support
            ? `Only use the provider's official recovery page${support.official_url_recorded ? " (you recorded its address)" : ""}; expect about ${support.wait_days} days.`
            : "Find the provider's official recovery page now and record its address; never follow links from messages." }),
          h("dt", { text: "If a device is lost, first" }), h("dd", { text: first }))));
    }
    box.replaceChildren(...parts);
  }

  function icsReminder() {
    const d = new Date();
    d.setMonth(d.getMonth() + 6);
    const p = (n) => String(n).padStart(2, "0");
    const day = `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}`;
    const now = new Date();
    const stamp = `${now.getUTCFullYear()}${p(now.getUTCMonth() + 1)}${p(now.getUTCDate())}T${p(now.getUTCHours())}${p(now.getUTCMinutes())}${p(now.getUTCSeconds())}Z`;
    const next = new Date(d); next.setDate(next.getDate() + 1);
    const end = `${next.getFullYear()}${p(next.getMonth() + 1)}${p(next.getDate())}`;
    return ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Esrok//Recovery checklist//EN", "CALSCALE:GREGORIAN",
      "BEGIN:VEVENT", `UID:esrok-recovery-recheck-${day}@esrok.local`, `DTSTAMP:${stamp}`,
      `DTSTART;VALUE=DATE:${day}`, `DTEND;VALUE=DATE:${end}`, "RRULE:FREQ=MONTHLY;INTERVAL=6",
      "SUMMARY:Re-check your account recovery (Esrok checklist)",
      "DESCRIPTION:Open the Esrok recovery checklist\\, import or load your plan\\, update it and print a fresh recovery kit.",
      "BEGIN:VALARM", "ACTION:DISPLAY", "DESCRIPTION:Re-check your account recovery", "TRIGGER:-PT0M", "END:VALARM",
      "END:VEVENT", "END:VCALENDAR", ""].join("\r\n");
  }

  // ---- inventory editor ----
  function uniqueId(plan, base) {
    const taken = new Set([...plan.things.map((t) => t.id), ...plan.accounts.map((a) => a.id)]);
    const stem = String(base).toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "item";
    let id = stem;
    for (let n = 2; taken.has(id); n++) id = `${stem}-${n}`;
    return id;
  }
  const THING_DEFAULTS = {
    phone: { location: "carried" }, device: { location: "home" }, phone_number: { port_out_lock: false },
    security_key: { location: "carried" }, authenticator_app: { backup: "none" },
    code_store: { kind: "paper", location: "home" }, recovery_contact: {},
  };
  const THING_FIELDS = ["location", "on", "carrier", "port_out_lock", "backup", "kind", "via"];
  function setThingType(t, type) {
    for (const f of THING_FIELDS) delete t[f];
    t.type = type;
    Object.assign(t, THING_DEFAULTS[type] || {});
  }
  function thingOptions(plan, types) {
    return plan.things.filter((t) => types.includes(t.type)).map((t) => [t.id, t.label || t.id]);
  }
  function accountOptions(plan, kinds, exceptId) {
    return plan.accounts.filter((a) => (!kinds || kinds.includes(a.kind)) && a.id !== exceptId).map((a) => [a.id, a.name || a.id]);
  }

  function editor(ui) {
    const plan = app.plan;
    let uid = 0;
    const changed = (structural, focusId) => ui.planChanged(structural, focusId);
    function field(text, control) {
      const id = `esrok-f-${++uid}`;
      control.id = id;
      return h("p", { class: "esrok-field" }, h("label", { for: id, text }), control);
    }
    function check(text, checked, onchange) {
      const id = `esrok-f-${++uid}`;
      return h("p", { class: "esrok-field esrok-check" },
        h("input", { type: "checkbox", id, checked: !!checked, onchange: (e) => onchange(e.target.checked) }),
        h("label", { for: id, text }));
    }
    function select(pairs, value, onchange, empty) {
      const s = h("select", { onchange: (e) => onchange(e.target.value) },
        empty !== undefined ? h("option", { value: "", text: empty }) : null,
        pairs.map(([v, t]) => h("option", { value: v, text: t })));
      s.value = value === undefined || value === null ? "" : value;
      if (s.value !== (value ?? "") && value) {
        s.append(h("option", { value, text: `${value} (missing)` }));
        s.value = value;
      }
      return s;
    }
    function text(value, oninput, type) {
      return h("input", { type: type || "text", value: value ?? "", oninput: (e) => oninput(e.target.value), onchange: () => changed(false) });
    }
    function removeBtn(what, fn) { return h("button", { type: "button", class: "md-button esrok-small", text: `Remove ${what}`, onclick: fn }); }
    const setOrDelete = (obj, key, v) => { if (v === "" || v === null || v === undefined) delete obj[key]; else obj[key] = v; };

    // Things
    const thingRows = plan.things.map((t, i) => {
      const n = `Item ${i + 1}`;
      const rows = [
        field("Kind of item", select(THING_TYPES, t.type, (v) => { setThingType(t, v); changed(true); })),
        field("Name", text(t.label, (v) => { t.label = v; ui.relabel(t.id, v || t.id); changed(false); })),
      ];
      const needsLocation = ["phone", "device", "security_key"].includes(t.type) ||
        (t.type === "code_store" && ["paper", "safe", "trusted_person"].includes(t.kind));
      if (t.type === "code_store") rows.push(field("How the codes are kept", select(CODE_KINDS, t.kind, (v) => {
        t.kind = v; delete t.on; delete t.via;
        if (["paper", "safe", "trusted_person"].includes(v)) t.location = t.location || "home"; else delete t.location;
        changed(true);
      })));
      if (needsLocation) rows.push(field("Where it is kept", select(LOCATIONS, t.location, (v) => { t.location = v; changed(true); })));
      if (t.type === "phone_number") {
        rows.push(field("In which phone", select(thingOptions(plan, ["phone"]), t.on, (v) => { setOrDelete(t, "on", v); changed(true); }, "(choose a phone)")));
        rows.push(field("Carrier account", select(accountOptions(plan, null), t.carrier, (v) => { setOrDelete(t, "carrier", v); changed(true); }, "(not listed)")));
        rows.push(check("Port-out / SIM-swap lock is on", t.port_out_lock, (v) => { t.port_out_lock = v; changed(true); }));
      }
      if (t.type === "authenticator_app") {
        rows.push(field("On which device", select(thingOptions(plan, ["phone", "device"]), t.on, (v) => { setOrDelete(t, "on", v); changed(true); }, "(choose a device)")));
        rows.push(field("Backup of the codes", select(APP_BACKUP, t.backup, (v) => { t.backup = v; changed(true); })));
      }
      if (t.type === "code_store" && t.kind === "device_file") {
        rows.push(field("On which device", select(thingOptions(plan, ["phone", "device"]), t.on, (v) => { setOrDelete(t, "on", v); changed(true); }, "(choose a device)")));
      }
      if (t.type === "code_store" && t.kind === "password_manager") {
        rows.push(field("Which password manager account", select(accountOptions(plan, null), t.via, (v) => { setOrDelete(t, "via", v); changed(true); }, "(choose an account)")));
      }
      rows.push(removeBtn(n.toLowerCase(), () => { plan.things.splice(i, 1); changed(true, "#esrok-add-thing"); }));
      return h("fieldset", { class: "esrok-row", "data-thing": t.id }, h("legend", { text: n }), rows);
    });
    const addThingType = select(THING_TYPES, "phone", () => {});
    addThingType.id = `esrok-f-${++uid}`;
    const things = h("section", { class: "esrok-group", "aria-labelledby": "esrok-things-heading" },
      h("h3", { id: "esrok-things-heading", text: "Devices, numbers, keys, code locations and contacts" }),
      thingRows.length ? thingRows : h("p", { text: "No items yet." }),
      h("p", { class: "esrok-add" },
        h("label", { for: addThingType.id, text: "New item" }), addThingType,
        h("button", { type: "button", class: "md-button", id: "esrok-add-thing", text: "Add item", onclick: () => {
          const type = addThingType.value;
          const t = { id: uniqueId(plan, type.replace("_", "-")), type, label: label(THING_TYPES, type) };
          setThingType(t, type);
          plan.things.push(t);
          changed(true, `fieldset[data-thing="${CSS.escape(t.id)}"] input[type=text]`);
        } })));

    // Accounts
    const accountRows = plan.accounts.map((a, i) => {
      const n = `Account ${i + 1}`;
      const rows = [
        field("Account name", text(a.name, (v) => { a.name = v; ui.relabel(a.id, v || a.id); changed(false); })),
        field("Kind of account", select(ACCOUNT_KINDS, a.kind, (v) => { a.kind = v; changed(true); })),
        field("Importance", select(IMPORTANCE, a.importance, (v) => { a.importance = v; changed(true); })),
      ];
      const signins = (a.sign_in = a.sign_in || []).map((m, j) => {
        const r = [field("Method", select(SIGN_IN, m.type, (v) => {
          for (const k of Object.keys(m)) delete m[k];
          m.type = v;
          if (v === "push") m.number_matching = false;
          changed(true);
        }))];
        if (m.type === "password") r.push(field("Stored in", select(accountOptions(plan, ["password_manager"], a.id), m.via, (v) => { setOrDelete(m, "via", v); changed(true); }, "(memorised)")));
        if (m.type === "passkey") {
          const opts = thingOptions(plan, ["phone", "device", "security_key"]).map(([v, t]) => ["on:" + v, t])
            .concat(accountOptions(plan, ["apple", "google", "microsoft", "password_manager"], a.id).map(([v, t]) => ["via:" + v, `synced through ${t}`]));
          const cur = m.on ? "on:" + m.on : m.via ? "via:" + m.via : "";
          r.push(field("Stored on", select(opts, cur, (v) => {
            delete m.on; delete m.via;
            if (v) { const [k, id] = [v.slice(0, v.indexOf(":")), v.slice(v.indexOf(":") + 1)]; m[k] = id; }
            changed(true);
          }, "(choose)")));
        }
        const onTypes = { security_key: ["security_key"], totp: ["authenticator_app"], push: ["phone", "device"], sms: ["phone_number"], voice: ["phone_number"] }[m.type];
        if (onTypes) r.push(field(m.type === "sms" || m.type === "voice" ? "Sent to" : "On", select(thingOptions(plan, onTypes), m.on, (v) => { setOrDelete(m, "on", v); changed(true); }, "(choose)")));
        if (m.type === "push") r.push(check("Number matching", m.number_matching, (v) => { m.number_matching = v; changed(true); }));
        if (m.type === "email_code") r.push(field("Sent to the account", select(accountOptions(plan, null, a.id), m.via, (v) => { setOrDelete(m, "via", v); changed(true); }, "(choose)")));
        r.push(removeBtn("method", () => { a.sign_in.splice(j, 1); changed(true); }));
        return h("fieldset", { class: "esrok-sub" }, h("legend", { text: `Sign-in method ${j + 1}` }), r);
      });
      const bc = a.backup_codes;
      const codeRows = [check("Backup codes generated", bc && bc.generated, (v) => {
        if (v) a.backup_codes = { generated: true, stored_in: [] }; else delete a.backup_codes;
        changed(true);
      })];
      if (bc && bc.generated) {
        const stores = thingOptions(plan, ["code_store"]);
        codeRows.push(stores.length
          ? h("fieldset", { class: "esrok-sub" }, h("legend", { text: "Codes kept in" }),
            stores.map(([id, t]) => check(t, (bc.stored_in || []).includes(id), (v) => {
              bc.stored_in = (bc.stored_in || []).filter((x) => x !== id);
              if (v) bc.stored_in.push(id);
              changed(true);
            })))
          : h("p", { class: "esrok-help", text: "Add a place where backup codes are kept (above) to record where these are." }));
        codeRows.push(field("Codes left", text(bc.remaining, (v) => { setOrDelete(bc, "remaining", v === "" ? "" : Number(v)); changed(false); }, "number")));
        codeRows.push(field("Generated on", text(bc.generated_on, (v) => { setOrDelete(bc, "generated_on", v); changed(false); }, "date")));
      }
      const recs = (a.recovery = a.recovery || []).map((r, j) => {
        const rr = [field("Route", select(RECOVERY, r.type, (v) => {
          for (const k of Object.keys(r)) delete r[k];
          r.type = v;
          if (v === "support") { r.wait_days = 7; r.official_url_recorded = false; }
          changed(true);
        }))];
        if (r.type === "recovery_email") {
          rr.push(field("Recovery address (account)", select(accountOptions(plan, null, a.id), r.via, (v) => { setOrDelete(r, "via", v); changed(true); }, "(choose)")));
          rr.push(check("This address no longer works", r.dead, (v) => { if (v) { r.dead = true; delete r.via; } else delete r.dead; changed(true); }));
        }
        if (r.type === "recovery_phone") rr.push(field("Number", select(thingOptions(plan, ["phone_number"]), r.on, (v) => { setOrDelete(r, "on", v); changed(true); }, "(choose)")));
        if (r.type === "recovery_contact") rr.push(field("Person", select(thingOptions(plan, ["recovery_contact"]), r.on, (v) => { setOrDelete(r, "on", v); changed(true); }, "(choose)")));
        if (r.type === "support") {
          rr.push(field("Waiting time (days)", text(r.wait_days, (v) => { r.wait_days = v === "" ? 0 : Number(v); changed(false); }, "number")));
          rr.push(check("Official recovery address recorded", r.official_url_recorded, (v) => { r.official_url_recorded = v; changed(true); }));
        }
        rr.push(removeBtn("route", () => { a.recovery.splice(j, 1); changed(true); }));
        return h("fieldset", { class: "esrok-sub" }, h("legend", { text: `Recovery route ${j + 1}` }), rr);
      });
      rows.push(h("div", { class: "esrok-subgroup" }, signins,
        h("button", { type: "button", class: "md-button esrok-small", text: "Add sign-in method", onclick: () => { a.sign_in.push({ type: "password" }); changed(true); } })));
      rows.push(h("fieldset", { class: "esrok-sub" }, h("legend", { text: "Backup codes" }), codeRows));
      rows.push(h("div", { class: "esrok-subgroup" }, recs,
        h("button", { type: "button", class: "md-button esrok-small", text: "Add recovery route", onclick: () => { a.recovery.push({ type: "recovery_email" }); changed(true); } })));
      rows.push(check("Security alerts are on", a.alerts, (v) => { a.alerts = v; changed(true); }));
      rows.push(field("Recovery last tested on", text(a.recovery_tested_on, (v) => { setOrDelete(a, "recovery_tested_on", v); changed(false); }, "date")));
      rows.push(removeBtn("account", () => { plan.accounts.splice(i, 1); changed(true, "#esrok-add-account"); }));
      return h("fieldset", { class: "esrok-row esrok-account", "data-account": a.id }, h("legend", { text: n }), rows);
    });
    const accounts = h("section", { class: "esrok-group", "aria-labelledby": "esrok-accounts-heading" },
      h("h3", { id: "esrok-accounts-heading", text: "Accounts" }),
      accountRows.length ? accountRows : h("p", { text: "No accounts yet." }),
      h("p", { class: "esrok-add" }, h("button", { type: "button", class: "md-button", id: "esrok-add-account", text: "Add account", onclick: () => {
        const a = { id: uniqueId(plan, "account"), name: `Account ${plan.accounts.length + 1}`, kind: "email", importance: "important",
          sign_in: [{ type: "password" }], recovery: [], alerts: false };
        plan.accounts.push(a);
        changed(true, `fieldset[data-account="${CSS.escape(a.id)}"] input[type=text]`);
      } })));

    plan.habits = plan.habits || {};
    const habits = h("fieldset", { class: "esrok-group esrok-habits" }, h("legend", { text: "Habits" }),
      HABITS.map(([k, t]) => check(t, plan.habits[k], (v) => { plan.habits[k] = v; changed(true); })));
    return [things, accounts, habits];
  }

  // ---- per-page UI ----
  function createUI(root) {
    const $ = (id) => root.querySelector("#" + id);
    const ui = { root, $ };
    const status = $("esrok-status");
    const form = $("esrok-quick");

    ui.engineChanged = () => {
      status.textContent = app.status + (app.offline && app.engine === "ready"
        ? " It now also works offline on this device." : "");
      status.dataset.state = app.engine;
    };

    // `focus`: a selector for the control to focus after rebuilding; by default the control that
    // had focus (same position, same id) keeps it.
    ui.renderEditor = (focus) => {
      const ed = $("esrok-editor");
      const activeId = document.activeElement && ed.contains(document.activeElement) ? document.activeElement.id : null;
      ed.replaceChildren(...editor(ui));
      const el = focus ? root.querySelector(focus) : activeId ? root.querySelector("#" + CSS.escape(activeId)) : null;
      if (el) el.focus();
    };
    ui.relabel = (id, text) => {
      for (const opt of root.querySelectorAll(`#esrok-editor option[value="${CSS.escape(id)}"]`)) opt.textContent = text;
    };

    let timer = null;
    ui.planChanged = (structural, focusId) => {
      if (structural) ui.renderEditor(focusId);
      if (app.saving) writeStore(app.plan);
      clearTimeout(timer);
      timer = setTimeout(ui.evaluate, structural ? 0 : 200);
    };
    ui.evaluate = () => {
      if (!app.plan) return;
      app.plan.as_of = today();
      const id = ++app.latestEval;
      const snapshot = JSON.parse(JSON.stringify(app.plan));
      mark("esrok:submit");
      evaluatePlan(snapshot).then((out) => {
        if (id !== app.latestEval) return;
        app.lastResult = out; app.lastKind = "inventory";
        renderResult(ui, out);
        $("esrok-to-inventory-row").hidden = true;
        renderKit(ui);
        mark("esrok:result");
      }, () => {});
    };

    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      const answers = {};
      for (const fs of form.querySelectorAll("fieldset.esrok-question")) {
        const checked = fs.querySelector("input[type=radio]:checked");
        if (checked) answers[checked.name] = checked.value;
      }
      app.latestEval++;
      mark("esrok:submit");
      if (app.engine !== "ready") $("esrok-summary").textContent = "Checking your answers as soon as the checker is ready...";
      request("quick", { answers: JSON.stringify({ version: 1, as_of: today(), answers }) }).then((out) => {
        app.lastResult = out; app.lastKind = "quick"; app.quickPlan = out.plan || null;
        renderResult(ui, out);
        $("esrok-to-inventory-row").hidden = !out.ok || !out.plan;
        mark("esrok:result");
      }, (err) => { $("esrok-summary").textContent = err.message; });
    });

    $("esrok-to-inventory").addEventListener("click", () => {
      if (!app.quickPlan) return;
      if (app.plan && app.plan.accounts.length &&
          !window.confirm("Replace the plan in the inventory with the one from your quick-check answers?")) return;
      app.plan = JSON.parse(JSON.stringify(app.quickPlan));
      ui.planChanged(true);
      $("esrok-inventory-heading").scrollIntoView();
      const first = $("esrok-editor").querySelector("select, input, button");
      if (first) first.focus();
    });

    // storage controls
    const save = $("esrok-save");
    const storeStatus = $("esrok-storage-status");
    const importErrors = $("esrok-import-errors");
    save.checked = app.saving;
    save.addEventListener("change", () => {
      app.saving = save.checked;
      if (app.saving) {
        storeStatus.textContent = writeStore(app.plan) ? "Saving is on: this plan is kept in this browser on this device." : "This browser refused to save (storage is full or disabled).";
      } else {
        clearStore();
        storeStatus.textContent = "Saving is off and the saved copy was deleted.";
      }
    });
    $("esrok-export").addEventListener("click", () => {
      const plan = Object.assign({}, app.plan, { as_of: today() });
      download(`esrok-recovery-plan-${today()}.json`, "application/json", JSON.stringify(plan, null, 2) + "\n");
      storeStatus.textContent = "Plan exported as a JSON file.";
    });
    $("esrok-import").addEventListener("change", async (ev) => {
      const input = ev.target;
      const file = input.files && input.files[0];
      if (!file) return;
      importErrors.hidden = true;
      const keep = " Your current plan was not changed.";
      let data;
      try {
        data = JSON.parse(await file.text());
      } catch (e) {
        renderErrors(importErrors, [{ path: "", message: e.message }], `Import failed: ${file.name} is not valid JSON.${keep}`);
        input.value = "";
        return;
      }
      if (data && typeof data === "object" && "store_version" in data) {
        const m = migrateStore(data);
        if (m.error) { renderErrors(importErrors, [{ path: "", message: m.error }], `Import failed: ${file.name}.${keep}`); input.value = ""; return; }
        data = m.store.plan;
      }
      const candidate = data && typeof data === "object" && !Array.isArray(data) && !data.as_of ? Object.assign({}, data, { as_of: today() }) : data;
      storeStatus.textContent = app.engine === "ready" ? "Checking the file..." : "Checking the file as soon as the checker is ready...";
      try {
        const out = await evaluatePlan(candidate);
        if (!out.ok) {
          renderErrors(importErrors, out.errors, `Import failed: ${file.name} is not a valid plan (${out.errors.length} problem${out.errors.length === 1 ? "" : "s"}).${keep}`);
          storeStatus.textContent = "";
        } else {
          app.plan = candidate;
          ui.planChanged(true);
          storeStatus.textContent = `Imported ${file.name}.` + (app.saving ? " It is saved in this browser." : "");
        }
      } catch (e) {
        renderErrors(importErrors, [{ path: "", message: e.message }], `Import failed.${keep}`);
      }
      input.value = "";
    });
    const confirmBox = $("esrok-reset-confirm");
    $("esrok-reset").addEventListener("click", () => { confirmBox.hidden = false; $("esrok-reset-no").focus(); });
    $("esrok-reset-no").addEventListener("click", () => { confirmBox.hidden = true; $("esrok-reset").focus(); });
    $("esrok-reset-yes").addEventListener("click", () => {
      confirmBox.hidden = true;
      clearStore();
      app.saving = false; save.checked = false;
      app.plan = emptyPlan();
      app.lastResult = null;
      $("esrok-result-body").replaceChildren();
      $("esrok-errors").hidden = true;
      $("esrok-summary").textContent = "The plan was reset.";
      ui.renderEditor();
      renderKit(ui);
      storeStatus.textContent = "The plan was reset and the saved copy deleted.";
      $("esrok-reset").focus();
    });
    $("esrok-print").addEventListener("click", () => window.print());
    $("esrok-ics").addEventListener("click", () => download("esrok-recovery-recheck.ics", "text/calendar", icsReminder()));

    // initial plan: saved copy (opt-in) or an empty one
    if (!app.plan) {
      const stored = readStore();
      if (stored && stored.store) {
        app.plan = stored.store.plan; app.saving = true; save.checked = true;
        storeStatus.textContent = `Loaded the plan saved in this browser${stored.store.saved_on ? " on " + stored.store.saved_on : ""}.`;
      } else {
        app.plan = emptyPlan();
        if (stored && stored.error) storeStatus.textContent = stored.error;
      }
    }
    ui.engineChanged();
    ui.renderEditor();
    if (app.plan.accounts.length) ui.evaluate();
    if (app.lastResult && app.lastKind === "quick") renderResult(ui, app.lastResult);
    renderKit(ui);
    return ui;
  }

  // A page from another deploy than the running engine (Material's instant navigation keeps this
  // tab's worker): load it afresh, once, rather than mix two versions.
  function newVersion(why) {
    let reloaded = null;
    try { reloaded = sessionStorage.getItem("esrok.reloaded-for"); } catch (e) { /* ignore */ }
    const now = (readBoot() || {}).build || "";
    if (reloaded === now) return false;
    try { sessionStorage.setItem("esrok.reloaded-for", now); } catch (e) { /* ignore */ }
    if (app.worker) app.worker.terminate();
    app.engine = "reloading";
    location.reload();
    return true;
  }

  function setup() {
    const root = document.getElementById("esrok-checker");
    if (!root) { app.ui = null; return; }
    const boot = readBoot();
    if (boot && app.boot && boot.build !== app.boot.build && newVersion("page")) return;
    if (root.dataset.bound === "1") return;
    root.dataset.bound = "1";
    startWorker();
    app.ui = createUI(root);
    mark("esrok:form-interactive");
  }

  app.setup = setup;
  startWorker();
  setup();
  const subscribe = () => {
    if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(setup);
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", subscribe, { once: true });
  else subscribe();
})();
