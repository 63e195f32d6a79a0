// Esrok recovery checklist: module Web Worker. Pyodide only, no DOM.
//
// Protocol (strings only cross the boundary; no Pyodide proxies leave this file):
//   page -> worker  {type: "boot", options: {pyodideURL, stdlibURL, wheelURL, wheelSha256, timeoutMs}}
//                   {type: "evaluate", id, plan: <JSON string>}
//                   {type: "quick", id, answers: <JSON string>}
//   worker -> page  {type: "progress", message}
//                   {type: "ready", ms, phases, stdlib: "precompiled" | "stock", stdlibError?}
//                   {type: "result", id, kind, output: <JSON string>, ms}
//                   {type: "failed", message}
// Requests that arrive before the engine is ready are queued and answered in order.

let engine = null;          // {evaluate, quick}: JS functions taking and returning strings
let failed = null;          // message once booting has failed
let booting = false;
const queue = [];

function post(msg) { self.postMessage(msg); }
function progress(message) { post({ type: "progress", message }); }

async function sha256Hex(bytes) {
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

async function fetchWheel(url, expected) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`could not download the engine (${response.status} for ${url})`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (expected) {
    const got = await sha256Hex(bytes);
    if (got !== expected) throw new Error(`the engine download is corrupt (sha256 ${got.slice(0, 12)}..., expected ${expected.slice(0, 12)}...)`);
  }
  return bytes;
}

// One boot function with options, so later start-up strategies (memory snapshot,
// trimmed stdlib) are options here rather than a second code path.
const phases = {};  // absolute times (ms since the epoch) of each boot step, for bench/browser.py
const stamp = (name) => { phases[name] = performance.timeOrigin + performance.now(); };
const bootInfo = { stdlib: null, stdlibError: undefined };  // which standard library Python started from

export async function boot(options) {
  const started = performance.now();
  stamp("worker-start");
  progress("Preparing the checker...");
  const wheelPromise = fetchWheel(options.wheelURL, options.wheelSha256);
  wheelPromise.catch(() => {}); // reported below, after Pyodide
  const { loadPyodide } = await import(options.pyodideURL + "pyodide.mjs");
  stamp("pyodide-imported");
  progress("Preparing the checker... starting Python");
  const loadOptions = { indexURL: options.pyodideURL, packages: [], stdout: () => {}, stderr: () => {} };
  Object.assign(loadOptions, options.loadPyodide || {});
  let pyodide = null;
  if (options.stdlibURL) {
    // The stdlib precompiled to .pyc at build time (hooks/pyodide_stdlib.py): Python starts
    // without compiling its bootstrap modules. If it fails to load for any reason, start again
    // from Pyodide's stock python_stdlib.zip (always shipped) in this same worker.
    try {
      pyodide = await loadPyodide({ ...loadOptions, stdLibURL: options.stdlibURL });
      if (pyodide.runPython("import json\njson.__file__.endswith('.pyc')") !== true) {
        throw new Error("the precompiled standard library was not used");
      }
      bootInfo.stdlib = "precompiled";
    } catch (err) {
      pyodide = null;
      bootInfo.stdlibError = String((err && err.message) || err).split("\n")[0] || "failed to load";
      stamp("stdlib-fallback");
    }
  }
  if (!pyodide) {
    pyodide = await loadPyodide(loadOptions);
    bootInfo.stdlib = "stock";
  }
  stamp("python-started");
  progress("Preparing the checker... installing the engine");
  const bytes = await wheelPromise;
  stamp("wheel-fetched");
  const sitePackages = pyodide.runPython(
    "import sys\nnext(p for p in sys.path if p.endswith('site-packages'))");
  pyodide.unpackArchive(bytes, "wheel", { extractDir: sitePackages });
  stamp("wheel-unpacked");
  const mod = pyodide.pyimport("esrok_recovery");
  stamp("engine-imported");
  const evaluateJson = mod.evaluate_json;
  const quickJson = mod.quick_json;
  engine = {
    evaluate: (text) => evaluateJson(text),
    quick: (text) => quickJson(text),
  };
  return performance.now() - started;
}

function answer(req) {
  const t0 = performance.now();
  let output;
  try {
    output = req.type === "quick" ? engine.quick(req.answers) : engine.evaluate(req.plan);
  } catch (err) {
    // The engine never raises by contract; if it does, report it as an error result.
    output = JSON.stringify({ version: 1, ok: false,
      errors: [{ path: "", message: `the engine failed unexpectedly: ${String(err && err.message || err).split("\n").slice(-2).join(" ")}` }] });
  }
  post({ type: "result", id: req.id, kind: req.type, output: String(output), ms: performance.now() - t0 });
}

function fail(message) {
  if (engine || failed) return;
  failed = message;
  queue.length = 0;
  post({ type: "failed", message });
}

async function start(options) {
  if (booting) return;
  booting = true;
  const seconds = Math.round(options.timeoutMs / 1000);
  const timer = setTimeout(() => fail(
    `The checker could not start within ${seconds} seconds. Your browser may be blocking WebAssembly, ` +
    "or the site's files are served incorrectly. Reload the page to try again."), options.timeoutMs);
  try {
    const ms = await boot(options);
    clearTimeout(timer);
    if (failed) return;
    post({ type: "ready", ms, phases, stdlib: bootInfo.stdlib, stdlibError: bootInfo.stdlibError });
    while (queue.length) answer(queue.shift());
  } catch (err) {
    clearTimeout(timer);
    fail(`The checker could not start: ${String(err && err.message || err).split("\n")[0]}. Reload the page to try again.`);
  }
}

self.onmessage = (event) => {
  const msg = event.data || {};
  if (msg.type === "boot") {
    start(msg.options);
  } else if (msg.type === "evaluate" || msg.type === "quick") {
    if (engine) answer(msg);
    else if (failed) post({ type: "failed", message: failed });
    else queue.push(msg);
  }
};
