// Run the engine wheel inside real Pyodide under Node, offline, from node_modules.
//
// usage: node run_engine.mjs <pyodide dir> <wheel file> <requests.json> [stdlib zip] [fallback zip] [snapshot] [bytecode zip]
//   stdlib zip: passed as stdLibURL (the trimmed precompiled one from the tool build, step 3);
//   without it (or with ""), Pyodide's stock python_stdlib.zip is used.
//   fallback zip: installs the worker's last-resort import hook (esrok_boot.install_stdlib_fallback,
//   from the wheel, as checklist-worker.js does) with this file as the full stdlib ("-": none).
//   snapshot: restore this memory snapshot (hooks/node/snapshot.mjs, made with that stdlib zip)
//   instead of a normal boot, as the worker does when the snapshot is cached ("-": none).
//   bytecode zip: the engine's __pycache__ entries (step 3), unpacked over the wheel.
//   requests.json: [{"kind": "evaluate" | "quick" | "questions" | "python", "input": "<text>"}, ...]
//   ("python": runs the input as Python and returns str() of its last expression, or
//   "<ExceptionName>: <message>" if it raises.)
// prints one JSON object: {python, stdlib: json.__file__, enginePyc, stdlibEntries, fallbackLoads, restored, fingerprint,
// outputs: [the engine's output strings, in order]}, then exits 0. enginePyc: the engine's modules
// that were loaded from a precompiled __pycache__ entry (magic of this Python, checked hash-based).
// stdlibEntries: the stdlib zip entries (as .py source names) of every module in sys.modules at
// the end (start-up + wheel install + engine import + every request + an error round trip).
// Installs the wheel exactly as the browser worker does: unpackArchive into site-packages,
// no micropip, no lock-file package names (so nothing is fetched from any CDN).
import { readFile } from "node:fs/promises";
import { readFileSync } from "node:fs";
import path from "node:path";

const [pyodideDir, wheelPath, requestsPath, stdlibPath, fallbackPath, snapshotPath, bytecodePath] = process.argv.slice(2);
const given = (p) => p && p !== "-";
const { loadPyodide } = await import(path.resolve(pyodideDir, "pyodide.mjs"));
const pyodide = await loadPyodide({ indexURL: path.resolve(pyodideDir) + "/", packages: [],
  ...(stdlibPath ? { stdLibURL: path.resolve(stdlibPath) } : {}),
  ...(given(snapshotPath) ? { _loadSnapshot: new Uint8Array(readFileSync(path.resolve(snapshotPath))) } : {}),
  stdout: () => {}, stderr: (s) => process.stderr.write(s + "\n") });
// With a snapshot the engine is already imported (MEMFS is not in the snapshot: reinstalled below).
const restored = pyodide.runPython("import sys\n'esrok_recovery' in sys.modules");
// Installs the wheel exactly as the worker does (then its bytecode), and runs the worker's own
// start-up calls into esrok_boot, so their imports are recorded too.
const bytes = new Uint8Array(await readFile(wheelPath)); // a Node Buffer must be wrapped
const sitePackages = pyodide.runPython("import sys\nnext(p for p in sys.path if p.endswith('site-packages'))");
pyodide.unpackArchive(bytes, "wheel", { extractDir: sitePackages });
if (given(bytecodePath)) pyodide.unpackArchive(new Uint8Array(await readFile(bytecodePath)), "zip", { extractDir: sitePackages });
const boot = pyodide.pyimport("esrok_boot");
if (restored && boot.snapshot_ok() !== true) throw new Error("esrok_boot.snapshot_ok() is not true after a restore");
if (restored) boot.reseed();
boot.precompiled_stdlib();
let fallbackLoads = 0;
if (given(fallbackPath)) {
  boot.install_stdlib_fallback(() => {
    fallbackLoads += 1;
    return new Uint8Array(readFileSync(path.resolve(fallbackPath)));
  });
}
const fingerprint = boot.fingerprint();
const engine = pyodide.pyimport("esrok_recovery");
const where = engine.__file__;
if (!String(where).startsWith(sitePackages)) throw new Error(`engine imported from ${where}, not the wheel`);
const requests = JSON.parse(await readFile(requestsPath, "utf8"));
function python(src) {
  try { return String(pyodide.runPython(src)); } catch (e) {
    const last = String(e.message).trim().split("\n").at(-1);
    return last;
  }
}
const outputs = requests.map(({ kind, input }) =>
  kind === "quick" ? engine.quick_json(input) : kind === "questions" ? engine.questions_json()
    : kind === "python" ? python(input) : engine.evaluate_json(input));
// An exception crossing into JS formats a traceback (the worker's error path).
try { pyodide.runPython("raise ValueError('probe')"); } catch (e) { /* expected */ }
const enginePyc = JSON.parse(pyodide.runPython(`
import importlib.util, json, os, sys
ok = []
for name, mod in sorted(sys.modules.items()):
    if name.split(".")[0] == "esrok_recovery" and getattr(mod, "__file__", "").endswith(".py"):
        cached = importlib.util.cache_from_source(mod.__file__)
        if os.path.exists(cached):
            with open(cached, "rb") as f:
                head = f.read(16)
            with open(mod.__file__, "rb") as f:
                source_hash = importlib.util.source_hash(f.read())
            # checked hash-based .pyc whose hash is the source's: the one Python loaded
            if head[:4] == importlib.util.MAGIC_NUMBER and head[4:8] == (3).to_bytes(4, "little") and head[8:16] == source_hash:
                ok.append(name)
json.dumps(ok)`));
const stdlibEntries = JSON.parse(pyodide.runPython(`
import json, sys
_zip = "/lib/python%d%d.zip/" % sys.version_info[:2]
_found = set()
for _m in list(sys.modules.values()):
    _spec = getattr(_m, "__spec__", None)
    _o = getattr(_spec, "origin", None) if _spec is not None else None
    if not isinstance(_o, str):
        _o = getattr(_m, "__file__", None)
    if isinstance(_o, str) and _o.startswith(_zip):
        _found.add(_o[len(_zip):].removesuffix("c"))
json.dumps(sorted(_found))`));
process.stdout.write(JSON.stringify({ python: pyodide.runPython("import sys; sys.version.split()[0]"),
  stdlib: pyodide.runPython("import json; json.__file__"), enginePyc, stdlibEntries, fallbackLoads, restored,
  fingerprint, outputs }));
