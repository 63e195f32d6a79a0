// Esrok recovery checklist: module Web Worker. Pyodide only, no DOM.
//
// Protocol (strings only cross the boundary; no Pyodide proxies leave this file):
//   page -> worker  {type: "boot", options: {pyodideURL, stdlibURL, stdlibFullURL, snapshotURL, wheelURL, wheelSha256, timeoutMs}}
//                   {type: "evaluate", id, plan: <JSON string>}
//                   {type: "quick", id, answers: <JSON string>}
//   worker -> page  {type: "progress", message}
//                   {type: "ready", ms, phases, stdlib: "precompiled" | "stock", stdlibError?, stdlibFallback?,
//                    snapshot: "used" | "not cached" | "failed" | "none", snapshotError?}
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

// Last-resort import hook for the trimmed stdlib (hooks/pyodide_stdlib.py ships only the
// modules that start-up and the engine were recorded importing). It is the last finder on
// sys.meta_path: on the first import of a standard-library module the trimmed zip lacks, it
// fetches the full precompiled stdlib ONCE, synchronously (a sync XMLHttpRequest is allowed in
// a worker), writes it to /lib/python314-full.zip and imports from it, including submodules
// of packages already imported from the trimmed zip. Non-stdlib names are never looked up.
// tests/pyodide/run_engine.mjs runs this exact source under Node (keep the name and form).
const STDLIB_FALLBACK = String.raw`
import importlib, importlib.machinery, sys

class _EsrokFullStdlibFinder:
    full = "/lib/python%d%d-full.zip" % sys.version_info[:2]

    def __init__(self, fetch):
        self.fetch = fetch      # JS function returning the full zip's bytes (Uint8Array)
        self.state = "unused"   # -> "loaded" | "failed: <reason>"

    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] not in sys.stdlib_module_names or self.state.startswith("failed"):
            return None
        if self.state == "unused":
            try:
                data = self.fetch()
                with open(self.full, "wb") as f:
                    f.write(data.to_bytes() if hasattr(data, "to_bytes") else bytes(data))
            except Exception as e:
                self.state = "failed: " + (str(e).strip().splitlines() or [type(e).__name__])[-1]
                return None
            self.state = "loaded"
            sys.path.append(self.full)
            importlib.invalidate_caches()
        parent = name.rpartition(".")[0]
        where = self.full + ("/" + parent.replace(".", "/") if parent else "")
        return importlib.machinery.PathFinder.find_spec(name, [where])

def _esrok_install_stdlib_fallback(fetch):
    sys.meta_path.append(_EsrokFullStdlibFinder(fetch))
`;

function fetchSync(url) {
  const xhr = new XMLHttpRequest();
  xhr.open("GET", url, false);
  xhr.responseType = "arraybuffer";
  xhr.send();
  if (xhr.status !== 200) throw new Error(`HTTP ${xhr.status} for ${url}`);
  return new Uint8Array(xhr.response);
}

// Memory snapshot (experimental Pyodide API, made at build time by hooks/node/snapshot.mjs
// with the engine imported, from exactly options.stdlibURL). Used only when it is already in
// Cache Storage (the service worker prefetches it when idle): never downloaded on the critical
// path. Any failure (not a snapshot, other Pyodide build, truncated, engine missing, paired with
// another zip, hang) falls back to a normal boot in this same worker.
const SNAPSHOT_TIMEOUT_MS = 20000;
const SNAPSHOT_CHECK = `
import sys, zipimport
_z = [p for p in sys.path if p.endswith(".zip")][0]
_ok = "esrok_recovery" in sys.modules and zipimport._read_directory(_z) == zipimport._zip_directory_cache.get(_z)
del _z
_ok`;

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([promise, new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms / 1000} s`)), ms);
  })]).finally(() => clearTimeout(timer));
}

async function bootFromSnapshot(loadPyodide, loadOptions, options) {
  if (!options.snapshotURL || !options.stdlibURL) return null;
  if (typeof caches === "undefined") { bootInfo.snapshot = "not cached"; return null; }
  let hit = null;
  try { hit = await caches.match(options.snapshotURL); } catch (err) { hit = null; }
  if (!hit) { bootInfo.snapshot = "not cached"; return null; }
  try {
    const py = await withTimeout(loadPyodide({ ...loadOptions, stdLibURL: options.stdlibURL,
      _loadSnapshot: hit.arrayBuffer() }), SNAPSHOT_TIMEOUT_MS, "the snapshot boot");
    if (py.runPython(SNAPSHOT_CHECK) !== true) {
      throw new Error("the snapshot does not hold the engine or was made with another standard library");
    }
    py.runPython("import random\nrandom.seed()");  // the snapshot's random state is everyone's
    bootInfo.snapshot = "used";
    bootInfo.stdlib = "precompiled";
    return py;
  } catch (err) {
    bootInfo.snapshot = "failed";
    bootInfo.snapshotError = String((err && err.message) || err).split("\n")[0] || "failed to load";
    stamp("snapshot-fallback");
    return null;
  }
}

// One boot function with options, so later start-up strategies (memory snapshot,
// trimmed stdlib) are options here rather than a second code path.
const phases = {};  // absolute times (ms since the epoch) of each boot step, for bench/browser.py
const stamp = (name) => { phases[name] = performance.timeOrigin + performance.now(); };
const bootInfo = { stdlib: null, stdlibError: undefined, stdlibFallback: undefined, snapshot: "none", snapshotError: undefined };  // which standard library Python started from

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
  let pyodide = await bootFromSnapshot(loadPyodide, loadOptions, options);
  if (!pyodide && options.stdlibURL) {
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
  if (bootInfo.stdlib === "precompiled" && options.stdlibFullURL) {
    // The trimmed stdlib booted: a module it lacks is fetched from the full one on first use.
    const install = pyodide.runPython(STDLIB_FALLBACK + "\n_esrok_install_stdlib_fallback");
    install((() => {
      bootInfo.stdlibFallback = options.stdlibFullURL;
      return fetchSync(options.stdlibFullURL);
    }));
    install.destroy();
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
    post({ type: "ready", ms, phases, stdlib: bootInfo.stdlib, stdlibError: bootInfo.stdlibError,
      stdlibFallback: bootInfo.stdlibFallback, snapshot: bootInfo.snapshot, snapshotError: bootInfo.snapshotError });
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
