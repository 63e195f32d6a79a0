// Esrok recovery checklist: the page's entry module. DOM only; Python runs in checklist-worker.js.
//
// One app per tab (window.__esrokChecklist): Material's instant navigation keeps the tab, so the
// first run subscribes to document$ and every emission calls setup(), which binds the tool page
// once (a module runs once per URL; a newer deploy's entry module defers to the running app,
// which reloads rather than mix versions). Everything a person typed is rendered as text.

import { focusIn, mark, parsed } from "./dom.js";
import { finish, itemPath } from "./drafts.js";
import { renderEditor, renderTodo } from "./editor.js";
import { renderKit } from "./kit.js";
import { bindAccountServices } from "./account-service.js";
import { bindPlanControls } from "./plan-controls.js";
import { bindQuick } from "./quick.js";
import { creditLine, renderErrors, renderResult, renderWaiting } from "./result-view.js";
import { answerDomains, catalogueLoader, kindOf, planDomains, servicesFor, servicesNow } from "./services.js";
import { emptyPlan, readPlan, readSaved, today, writeSaved } from "./store.js";
import { loadVocab } from "./vocab.js";
import { evaluatePlan, newVersion, quickCheck, readBoot, startWorker } from "./worker-client.js";

const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;

// The bundle's own <script> (hooks/toolbuild/page.py builds it as a classic script, run in place).
const SCRIPT = document.currentScript;

function siteRoot() {
  const here = (SCRIPT && SCRIPT.src) || "";
  const at = here.indexOf("assets/esrok/ui/");
  if (at > 0) return new URL(here.slice(0, at));
  const script = document.querySelector("script[data-esrok-app]");
  return new URL(script ? script.dataset.root : "/", location.href);
}

function createApp() {
  const app = {
    boot: readBoot(), root: siteRoot(), worker: null, engine: "idle", status: "", nextId: 1, pending: new Map(),
    versions: [],  // every (page build, engine fingerprint) pair this tab has run (tests: never mixed)
    ui: null, vocab: null, plan: null, split: null, saving: false, forced: new Map(),
    lastResult: null, lastKind: null, latestEval: 0, quickPlan: null,
    changed: () => { if (app.ui) app.ui.engineChanged(); },
  };
  // The vocabulary is fetched once the quick check is bound (setup() calls app.loadVocab()): a
  // page's first fetch() costs a fresh profile 10-15 ms of this thread, which the form need not wait for.
  let loadNow = null;
  app.vocabReady = app.boot
    ? new Promise((resolve) => { loadNow = resolve; })
      .then(() => loadVocab(new URL(app.boot.data["plan-ui"], app.root))).then((v) => { app.vocab = v; return v; })
    : Promise.reject(new Error("the page has no boot configuration"));
  app.vocabReady.catch(() => {});
  app.loadVocab = () => { if (loadNow) loadNow(); };
  // The service catalogue: fetched on first use only (services.js); the picker's modules on first need.
  app.services = app.boot && app.boot.data.services ? catalogueLoader(new URL(app.boot.data.services, app.root)) : null;
  let picker = null;
  app.picker = () => (picker = picker || import("../service-picker.js").then((m) => (app.createPicker = m.createServicePicker)));
  return app;
}

// The quick check, bound as soon as the parser has passed it: answering, the progress line, the
// status and submit. A submit before the rest is bound (a few ms later at most) waits for it.
function createUI(app, root) {
  const ui = { root, $: (id) => root.querySelector(`#${id}`) };
  const status = ui.$("esrok-status");
  let completed;
  ui.complete = new Promise((resolve) => { completed = resolve; });

  ui.engineChanged = () => {
    status.textContent = app.status + (app.offline && app.engine === "ready" ? " It now also works offline on this device." : "");
    status.dataset.state = app.engine;
    const summary = ui.$("esrok-summary");
    if (app.engine === "failed" && summary) summary.textContent = app.status;
  };

  // The catalogue's credit under a result and in the kit, linking this site's licence pages.
  const licences = (app.boot && app.boot.licences) || {};
  const credit = (out) => creditLine(out && out.catalogue, (id) => (licences[id] ? new URL(licences[id], app.root).href : null));

  const quick = bindQuick(ui, (answers, counts) => ui.complete.then(() => {
    app.latestEval++;
    if (app.engine !== "ready") ui.$("esrok-summary").textContent = "Checking your answers as soon as the checker is ready...";
    return servicesFor(app.services, answerDomains(answers)).then((catalogue) =>
      quickCheck(app, { version: 1, as_of: today(), answers }, catalogue)).then((out) => {
      if (!out.ok) {
        renderErrors(ui.$("esrok-errors"), out.errors, "The checker could not read these answers:");
        return;
      }
      Object.assign(app, { lastResult: out, lastKind: "quick", quickPlan: out.plan || null, quickCounts: counts });
      renderResult(ui, out, { ...counts, credit });
      ui.$("esrok-to-inventory-row").hidden = !out.plan;
      ui.kit();
    }, (err) => { ui.$("esrok-summary").textContent = err.message; throw err; });
  }));
  ui.engineChanged();
  ui.finish = () => {
    completeUI(app, ui, credit);
    // The quick check's service picker, behind its button: the radios answer without it.
    if (app.services) quick.bindServices({ picker: app.picker, load: () => app.services.load(), kindOf });
    ui.engineChanged();
    completed();
  };
  return ui;
}

// Everything after the quick check: results, the inventory and its controls, the kit.
function completeUI(app, ui, credit) {
  const root = ui.root;
  const storeStatus = ui.$("esrok-storage-status");
  const storage = () => window.localStorage;

  // ---- inventory ----
  bindAccountServices(ui, app);
  let timer = null;
  ui.edit = (fn, structural, focus) => {
    fn(app.plan);
    changed(structural, focus);
  };
  ui.relabel = (id, text) => {
    for (const el of root.querySelectorAll(`#esrok-editor option[value="${CSS.escape(id)}"], [data-name-of="${CSS.escape(id)}"]`)) {
      el.textContent = text;
    }
  };
  function changed(structural, focus) {
    mark("esrok:edit");   // bench/browser.py: inventory edit -> result
    if (app.saving && !writeSaved(storage(), app.plan)) storeStatus.textContent = "This browser refused to save (storage is full or disabled).";
    app.forced = new Map();
    app.split = finish(app.plan, app.vocab);
    clearTimeout(timer);
    if (structural) {
      evaluateInventory();   // the worker checks the plan while this thread rebuilds the editor
      rebuild(focus);
    } else {
      renderTodo(ui, app.split.drafts);
      timer = setTimeout(evaluateInventory, 50);   // typing: one check per pause, not per key
    }
  }
  function rebuild(focus) {
    const editorEl = ui.$("esrok-editor");
    const active = document.activeElement && editorEl.contains(document.activeElement) ? document.activeElement.id : null;
    renderEditor(ui, app.plan, app.vocab, app.split.drafts);
    const selector = typeof focus === "function" ? focus() : focus;
    if (!(selector && focusIn(root, selector)) && active) focusIn(root, `#${CSS.escape(active)}`);
  }
  function kit() {
    const inventory = app.plan && app.plan.accounts.length;
    const plan = inventory ? app.plan : app.quickPlan;
    const out = app.lastResult && app.lastResult.ok && (inventory ? app.lastKind === "inventory" : app.lastKind === "quick")
      ? app.lastResult : null;
    // The provider's own pages for each account whose service the catalogue knows (links, not requests).
    const known = new Map(((out && out.accounts) || []).filter((a) => a.service && a.service.known).map((a) => [a.id, a.service.links || []]));
    if (app.vocab) renderKit(ui.$("esrok-kit-body"), plan, out, app.vocab, { links: (id) => known.get(id) || [], credit: credit(out) });
  }
  ui.kit = kit;
  function evaluateInventory() {
    const id = ++app.latestEval;
    const split = app.split;
    if (!split.plan) {
      if (app.lastKind !== "quick") {
        renderWaiting(ui, app.plan.accounts.length
          ? `No results yet: ${plural(split.drafts.length, "item is", "items are")} unfinished (see “To finish” below).`
          : "No results yet: answer the quick check or add an account to the inventory.");
      }
      kit();
      return Promise.resolve();
    }
    mark("esrok:submit");
    // Posted in this task when the catalogue is not needed or already here: the worker then checks
    // the plan while this thread rebuilds the editor (changed() above).
    const domains = planDomains(split.plan);
    const send = (catalogue) => evaluatePlan(app, { ...split.plan, as_of: today() }, catalogue);
    const now = servicesNow(app.services, domains);
    return (now === undefined ? servicesFor(app.services, domains).then(send) : send(now)).then((out) => {
      if (id !== app.latestEval) return null;
      if (!out.ok) {
        // Not a draft the page could see: leave the items the engine names out, in plain view
        // under "To finish", and check the rest (once); the engine's raw error never replaces results.
        const forced = new Map(out.errors.map((e) => [itemPath(split.toOriginal(e.path)), e.message]).filter(([p]) => p));
        if (!forced.size || app.forced.size) return null;
        app.forced = forced;
        app.split = finish(app.plan, app.vocab, forced);
        renderTodo(ui, app.split.drafts);
        return evaluateInventory();
      }
      Object.assign(app, { lastResult: out, lastKind: "inventory" });
      renderResult(ui, out, { unfinished: split.drafts.length, credit });
      ui.$("esrok-to-inventory-row").hidden = true;
      kit();
      mark("esrok:result");
      return out;
    }, () => null);
  }

  ui.$("esrok-to-inventory").addEventListener("click", () => {
    if (!app.quickPlan || !app.vocab) return;
    if (app.plan.accounts.length && !window.confirm("Replace the plan in the inventory with the one from your quick-check answers?")) return;
    app.plan = readPlan(JSON.stringify(app.quickPlan), app.vocab).plan;
    changed(true, "#esrok-editor input, #esrok-editor select");
    ui.$("esrok-inventory-heading").scrollIntoView();
  });

  // ---- save, export, import, reset, print, reminder ----
  const save = bindPlanControls(ui, app, changed);

  // ---- the plan: the saved copy (opt-in) or an empty one, once the vocabulary is here ----
  app.vocabReady.then((vocab) => {
    if (app.ui !== ui) return;
    if (!app.plan) {
      const stored = readSaved(storage(), vocab);
      if (stored && stored.plan) {
        Object.assign(app, { plan: stored.plan, saving: true });
        save.checked = true;
        storeStatus.textContent = `Loaded the plan saved in this browser${stored.writtenOn ? ` on ${stored.writtenOn}` : ""}.`;
      } else {
        app.plan = emptyPlan(vocab);
        if (stored && stored.error) storeStatus.textContent = "The plan saved in this browser could not be read, so it was left as it is: "
          + stored.errors.map((e) => e.message).join("; ") + ".";
      }
    }
    app.split = finish(app.plan, vocab, app.forced);
    renderEditor(ui, app.plan, vocab, app.split.drafts);
    // A plan that names services: once the catalogue is here, offer each service's own sign-in methods first.
    if (app.services && planDomains(app.plan).length) app.services.load().then(() => { if (app.ui === ui) rebuild(); }, () => {});
    if (app.plan.accounts.length) evaluateInventory();
    else if (app.lastResult && app.lastKind === "quick") renderResult(ui, app.lastResult, { ...app.quickCounts, credit });
    kit();
  }, (err) => {
    ui.$("esrok-editor").textContent = `The inventory could not start: ${err.message}. Reload the page to try again.`;
  });
}

// The parser has passed the quick check once the results section has begun (tool.html blocks
// rendering until then: <link rel="expect" href="#esrok-results">), and the whole checker
// once it reaches the app's script tag at the end of the content (partials/tool-checker.html).
const QUICK_PARSED = "#esrok-results";
const CHECKER_PARSED = "#esrok-checker ~ script[data-esrok-app]";

function setup() {
  const app = window.__esrokChecklist;
  const root = document.getElementById("esrok-checker");
  if (!root) { app.ui = null; return; }
  const boot = readBoot();
  if (boot && app.boot && boot.build !== app.boot.build && newVersion(app)) return;
  if (root.dataset.bound === "1") return;
  root.dataset.bound = "1";
  const ui = app.ui = createUI(app, root);
  mark("esrok:form-interactive");   // the quick check answers, counts and submits from here on
  // Then, in this same task (before any answer can reach the worker), what the form need not wait
  // for: creating and booting the worker, or adopting the one a saved plan's inline script already
  // booted (partials/tool-boot.html) and replaying what it sent meanwhile; the vocabulary's fetch.
  startWorker(app);
  app.changed();
  app.loadVocab();
  // The rest in a task of its own once it is parsed, so the first question can be used meanwhile.
  parsed(CHECKER_PARSED).then(() => setTimeout(() => { if (app.ui === ui) ui.finish(); }, 0));
}

if (window.__esrokChecklist) {
  window.__esrokChecklist.setup();   // a newer deploy's module after instant navigation: the tab's app decides
} else {
  mark("esrok:app-run");   // bench/browser.py: when the entry module first ran
  const app = createApp();
  app.setup = setup;
  window.__esrokChecklist = app;
  // Run from <head> (tool.html): bind the quick check as soon as the parser has passed it, not
  // once the whole page (Material's bundle included) is in.
  parsed(QUICK_PARSED).then(setup);
  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(setup);
  else document.addEventListener("DOMContentLoaded", () => window.document$ && window.document$.subscribe(setup), { once: true });
}
