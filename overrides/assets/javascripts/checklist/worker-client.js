// The page's side of the engine: one module Web Worker per tab (checklist-worker.js), started here
// once the quick check is bound, or, for a person with a saved plan, by the tool page's inline boot
// script (partials/tool-boot.html) and adopted here. Strings cross the boundary: plan and
// answers JSON in, the engine's JSON out. Every URL and timeout is the boot configuration's.
//
// `app` is the tab's one state object (window.__esrokChecklist): engine state and status, the
// boot figures the tests and bench/browser.py read (phases, stdlib, snapshot, versions).

import { mark } from "./dom.js";

export function readBoot(doc = document) {
  const el = doc.getElementById("esrok-boot");
  try { return el ? JSON.parse(el.textContent) : null; } catch (e) { return null; }
}

export function startWorker(app) {
  const BOOT = app.boot;
  if (app.worker || !BOOT) return;
  const timeoutMs = BOOT.timeouts.bootMs;
  app.engine = "booting";
  app.status = "Preparing the checker...";
  const failedToLoad = (msg) => engineFailed(app, "The checker could not start: its script failed to load" +
    (msg ? ` (${msg})` : "") + ". Reload the page to try again.");
  const early = window.__esrokBoot;  // partials/tool-boot.html: a worker only for a saved plan
  if (early && early.worker && !early.adopted && early.build === BOOT.build) {
    early.adopted = true;
    app.worker = early.worker;   // already booting for a saved plan
  } else {
    mark("esrok:worker-created");
    try {
      app.worker = new Worker(new URL(BOOT.worker, app.root), { type: "module", name: "esrok-checklist" });
    } catch (e) {
      engineFailed(app, `The checker could not start: this browser cannot run it (${e.message}).`);
      return;
    }
    app.worker.postMessage({ type: "boot", config: BOOT, root: app.root.href });
    mark("esrok:worker-booted");
  }
  app.worker.onmessage = (ev) => onMessage(app, ev.data || {});
  app.worker.onerror = (ev) => failedToLoad(ev.message);
  app.watchdog = setTimeout(() => {   // backstop if the worker itself never answers
    if (app.engine === "booting") {
      engineFailed(app, `The checker could not start within ${Math.round(timeoutMs / 1000)} seconds. Reload the page to try again.`);
    }
  }, timeoutMs + 5000);
  if (early && app.worker === early.worker) {  // replay what arrived before this module ran
    for (const msg of early.messages.splice(0)) onMessage(app, msg || {});
    if (early.error) failedToLoad(early.error);
  }
}

function engineFailed(app, message) {
  if (app.engine === "failed") return;
  app.engine = "failed";
  app.status = message;
  clearTimeout(app.watchdog);
  for (const { reject } of app.pending.values()) reject(new Error(message));
  app.pending.clear();
  if (app.worker) app.worker.terminate();
  app.changed();
  window.dispatchEvent(new Event("esrok:engine-settled"));
}

// Once the checker has run here, ask the service worker (sw-register.js) to keep Pyodide and the
// engine for offline use. Readers who never open the tool never download them.
function requestOffline(app) {
  if (!("serviceWorker" in navigator) || !window.isSecureContext || app.offlineAsked) return;
  app.offlineAsked = true;
  navigator.serviceWorker.addEventListener("message", (ev) => {
    if (ev.data && ev.data.type === "esrok:checker-cached") {
      app.offline = true;
      app.changed();
    }
  });
  // To every worker of the registration, now and as a new deploy's worker installs: only the one
  // built with this page caches for it (never an older deploy's worker for a newer page).
  const tell = (w) => { if (w) w.postMessage({ type: "esrok:used", build: app.boot.build }); };
  navigator.serviceWorker.ready.then((reg) => {
    [reg.installing, reg.waiting, reg.active].forEach(tell);
    reg.addEventListener("updatefound", () => {
      const w = reg.installing;
      if (w) w.addEventListener("statechange", () => { if (w.state === "installed" || w.state === "activated") tell(w); });
    });
  }, () => {});
}

function onMessage(app, msg) {
  if (msg.type === "progress") {
    app.status = msg.message;
  } else if (msg.type === "ready") {
    clearTimeout(app.watchdog);
    app.versions.push({ page: app.boot.build, engine: msg.fingerprint, expected: app.boot.engine.fingerprint });
    if (msg.fingerprint !== app.boot.engine.fingerprint) {
      // Never run this page with another deploy's engine: reload once to get one version.
      if (newVersion(app)) return;
      engineFailed(app, "The checker's files are from two versions of this site. Reload the page to try again.");
      return;
    }
    Object.assign(app, {
      engine: "ready", readyMs: msg.ms, phases: msg.phases || {},
      stdlib: msg.stdlib || null,                 // "precompiled", or "stock" after a fallback
      stdlibError: msg.stdlibError || null,
      snapshot: msg.snapshot || null,             // "used" | "not cached" | "failed" | "none"
      snapshotError: msg.snapshotError || null,
      status: "The checker is ready; nothing you enter leaves this page.",
    });
    mark("esrok:engine-ready");
    window.dispatchEvent(new Event("esrok:engine-settled"));
    requestOffline(app);
  } else if (msg.type === "warmed") {
    app.warmed = msg.ms;   // ms of the engine's warm-up call after ready, or null if a request came first
    return;
  } else if (msg.type === "failed") {
    engineFailed(app, msg.message);
    return;
  } else if (msg.type === "result") {
    const p = app.pending.get(msg.id);
    app.pending.delete(msg.id);
    if (p) {
      try { p.resolve(JSON.parse(msg.output)); } catch (e) { p.reject(new Error("the engine returned invalid JSON")); }
    }
    return;
  }
  app.changed();
}

/** Ask the engine; resolves with its parsed JSON output (requests before "ready" are queued). */
export function request(app, type, payload) {
  if (app.engine === "failed") return Promise.reject(new Error(app.status));
  const id = app.nextId++;
  return new Promise((resolve, reject) => {
    app.pending.set(id, { resolve, reject });
    app.worker.postMessage(Object.assign({ type, id }, payload));
  });
}

// With `services` (services.js: the catalogue entries the plan names), the engine gets the
// envelope {"plan" | "answers", "services"} (esrok_recovery/boundary.py).
export const evaluatePlan = (app, plan, services = null) =>
  request(app, "evaluate", { plan: JSON.stringify(services ? { plan, services } : plan) });
export const quickCheck = (app, answers, services = null) =>
  request(app, "quick", { answers: JSON.stringify(services ? { answers, services } : answers) });

/** A page from another deploy than the running engine: load it afresh, once, rather than mix. */
export function newVersion(app) {
  let reloaded = null;
  try { reloaded = sessionStorage.getItem("esrok.reloaded-for"); } catch (e) { /* no session storage */ }
  const now = (readBoot() || {}).build || "";
  if (reloaded === now) return false;
  try { sessionStorage.setItem("esrok.reloaded-for", now); } catch (e) { /* no session storage */ }
  if (app.worker) app.worker.terminate();
  app.engine = "reloading";
  location.reload();
  return true;
}
