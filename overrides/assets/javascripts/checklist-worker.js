// Esrok recovery checklist: module Web Worker. Pyodide only, no DOM.
//
// Protocol (strings only cross the boundary; no Pyodide proxies leave this file):
//   page -> worker  {type: "boot", config: <the boot configuration, #esrok-boot>, root: <site root URL>}
//                   {type: "evaluate", id, plan: <JSON string>}
//                   {type: "quick", id, answers: <JSON string>}
//   worker -> page  {type: "progress", message}
//                   {type: "ready", ms, phases, stdlib: "precompiled" | "stock", stdlibError?, stdlibFallback?,
//                    snapshot: "used" | "not cached" | "failed" | "none", snapshotError?,
//                    build: config.build, fingerprint: <esrok_boot.fingerprint() of the engine it runs>}
//                   {type: "result", id, kind, output: <JSON string>, ms}
//                   {type: "warmed", ms: <ms of the warm-up call> | null (a request came first)}
//                   {type: "failed", message}
// Requests that arrive before the engine is ready are queued and answered in order.

let engine = null;          // {evaluate, quick}: JS functions taking and returning strings
let failed = null;          // message once booting has failed
let booting = false;
let helpers = null;         // esrok_boot, kept until the engine has been warmed once (warmSoon)
let answered = false;       // a request has been answered since the engine was ready
const queue = [];

function post(msg) { self.postMessage(msg); }
function progress(message) { post({ type: "progress", message }); }

async function sha256Hex(bytes) {
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

async function fetchChecked(url, expected, what) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`could not download ${what} (${response.status} for ${url})`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  const got = await sha256Hex(bytes);
  if (got !== expected) throw new Error(`the download of ${what} is corrupt (sha256 ${got.slice(0, 12)}..., expected ${expected.slice(0, 12)}...)`);
  return bytes;
}

function fetchSync(url) {
  const xhr = new XMLHttpRequest();
  xhr.open("GET", url, false);
  xhr.responseType = "arraybuffer";
  xhr.send();
  if (xhr.status !== 200) throw new Error(`HTTP ${xhr.status} for ${url}`);
  return new Uint8Array(xhr.response);
}

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([promise, new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms / 1000} s`)), ms);
  })]).finally(() => clearTimeout(timer));
}

const firstLine = (err) => String((err && err.message) || err).split("\n")[0] || "failed to load";

// The memory snapshot, read straight from Cache Storage (the service worker keeps it there
// gzip-compressed, marked "x-esrok-stored: gzip"); null when it is not cached. Never downloaded
// on the critical path.
async function cachedSnapshot(url) {
  if (typeof caches === "undefined") return null;
  let hit = null;
  try { hit = await caches.match(url); } catch (err) { hit = null; }
  if (!hit) return null;
  if (hit.headers.get("x-esrok-stored") === "gzip") {
    return new Response(hit.body.pipeThrough(new DecompressionStream("gzip"))).arrayBuffer();
  }
  return hit.arrayBuffer();
}

// One boot function: every URL, hash and timeout comes from the boot configuration the tool build
// emitted (hooks/toolbuild/page.py); the Python it runs is tool/esrok_boot, shipped in the wheel.
const phases = {};  // absolute times (ms since the epoch) of each boot step, for bench/browser.py
const stamp = (name) => { phases[name] = performance.timeOrigin + performance.now(); };
const bootInfo = { stdlib: null, stdlibError: undefined, stdlibFallback: undefined, snapshot: "none",
  snapshotError: undefined, fingerprint: null };

export async function boot(config, root, loadOverrides) {
  const url = (u) => new URL(u, root).href;
  const started = performance.now();
  stamp("worker-start");
  progress("Preparing the checker...");
  const wheelPromise = fetchChecked(url(config.wheel.url), config.wheel.sha256, "the engine");
  const bytecodePromise = fetchChecked(url(config.bytecode.url), config.bytecode.sha256, "the engine's bytecode");
  wheelPromise.catch(() => {}); bytecodePromise.catch(() => {}); // reported below, after Pyodide
  const indexURL = url(config.pyodide.indexURL);
  const { loadPyodide } = await import(indexURL + "pyodide.mjs");
  stamp("pyodide-imported");
  progress("Preparing the checker... starting Python");
  const loadOptions = { indexURL, packages: [], stdout: () => {}, stderr: () => {}, ...(loadOverrides || {}) };
  let sitePackages = null;
  loadOptions.fsInit = async (_FS, info) => { sitePackages = info.sitePackages; };
  // Unpack the wheel and its bytecode into site-packages; returns the esrok_boot module.
  const install = async (py) => {
    const [wheel, bytecode] = await Promise.all([wheelPromise, bytecodePromise]);
    stamp("wheel-fetched");
    py.unpackArchive(wheel, "wheel", { extractDir: sitePackages });
    py.unpackArchive(bytecode, "zip", { extractDir: sitePackages });
    stamp("wheel-unpacked");
    return py.pyimport("esrok_boot");
  };

  let pyodide = null;
  if (config.snapshot && config.stdlib) {
    const snap = await cachedSnapshot(url(config.snapshot.url)).catch(() => null);
    bootInfo.snapshot = snap ? "failed" : "not cached";
    if (snap) {
      try {
        pyodide = await withTimeout(loadPyodide({ ...loadOptions, stdLibURL: url(config.stdlib), _loadSnapshot: snap }),
          config.timeouts.snapshotMs, "the snapshot boot");
        helpers = await install(pyodide);
        if (helpers.snapshot_ok() !== true) {
          throw new Error("the snapshot does not hold the engine or was made with another standard library");
        }
        helpers.reseed();  // the snapshot's random state is everyone's
        bootInfo.snapshot = "used";
        bootInfo.stdlib = "precompiled";
      } catch (err) {
        pyodide = null; helpers = null;
        bootInfo.snapshotError = firstLine(err);
        stamp("snapshot-fallback");
      }
    }
  }
  if (!pyodide && config.stdlib) {
    // The stdlib precompiled to .pyc at build time; if it fails to load for any reason, start
    // again from Pyodide's stock python_stdlib.zip (always shipped) in this same worker.
    try {
      pyodide = await loadPyodide({ ...loadOptions, stdLibURL: url(config.stdlib) });
      helpers = await install(pyodide);
      if (helpers.precompiled_stdlib() !== true) throw new Error("the precompiled standard library was not used");
      bootInfo.stdlib = "precompiled";
    } catch (err) {
      pyodide = null; helpers = null;
      bootInfo.stdlibError = firstLine(err);
      stamp("stdlib-fallback");
    }
  }
  if (!pyodide) {
    pyodide = await loadPyodide(loadOptions);
    helpers = await install(pyodide);
    bootInfo.stdlib = "stock";
  }
  if (bootInfo.stdlib === "precompiled" && config.stdlibFull) {
    // The trimmed stdlib booted: a module it lacks is fetched from the full one on first use.
    helpers.install_stdlib_fallback(() => {
      bootInfo.stdlibFallback = config.stdlibFull;
      return fetchSync(url(config.stdlibFull));
    });
  }
  stamp("python-started");
  progress("Preparing the checker... installing the engine");
  bootInfo.fingerprint = helpers.fingerprint();
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
  answered = true;
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

// The engine's first call after boot took 40-90 ms and later ones 4-20 ms (bench: engine times of
// the same quick check, 2026-12-02; the interpreter's hot code not yet optimised by the browser,
// whether or not the snapshot was used). So once ready, in a task of its own, the engine is called
// once (esrok_boot.warm()), unless a person's request came first and paid for it. A request that
// arrives meanwhile waits at most that one call, as it would have anyway.
function warmSoon() {
  setTimeout(() => {
    let ms = null;
    try {
      if (!answered) {
        const t0 = performance.now();
        helpers.warm();
        ms = performance.now() - t0;
      }
    } catch (err) { /* only a warm-up */ }
    helpers.destroy();
    helpers = null;
    post({ type: "warmed", ms });
  }, 0);
}

function fail(message) {
  if (engine || failed) return;
  failed = message;
  queue.length = 0;
  post({ type: "failed", message });
}

async function start(config, root) {
  if (booting) return;
  booting = true;
  const timeoutMs = config.timeouts.bootMs;
  const seconds = Math.round(timeoutMs / 1000);
  const timer = setTimeout(() => fail(
    `The checker could not start within ${seconds} seconds. Your browser may be blocking WebAssembly, ` +
    "or the site's files are served incorrectly. Reload the page to try again."), timeoutMs);
  try {
    const ms = await boot(config, root);
    clearTimeout(timer);
    if (failed) return;
    post({ type: "ready", ms, phases, stdlib: bootInfo.stdlib, stdlibError: bootInfo.stdlibError,
      stdlibFallback: bootInfo.stdlibFallback, snapshot: bootInfo.snapshot, snapshotError: bootInfo.snapshotError,
      build: config.build, fingerprint: bootInfo.fingerprint });
    while (queue.length) answer(queue.shift());
    warmSoon();
  } catch (err) {
    clearTimeout(timer);
    fail(`The checker could not start: ${String(err && err.message || err).split("\n")[0]}. Reload the page to try again.`);
  }
}

self.onmessage = (event) => {
  const msg = event.data || {};
  if (msg.type === "boot") {
    start(msg.config, msg.root);
  } else if (msg.type === "evaluate" || msg.type === "quick") {
    if (engine) answer(msg);
    else if (failed) post({ type: "failed", message: failed });
    else queue.push(msg);
  }
};
