// Run the engine wheel inside real Pyodide under Node, offline, from node_modules.
//
// usage: node run_engine.mjs <pyodide dir> <wheel file> <requests.json> [stdlib zip]
//   stdlib zip: passed as stdLibURL (the precompiled one from hooks/pyodide_stdlib.py);
//   without it, Pyodide's stock python_stdlib.zip is used.
//   requests.json: [{"kind": "evaluate" | "quick" | "questions", "input": "<JSON string>"}, ...]
// prints one JSON object: {python, stdlib: json.__file__, enginePyc, outputs: [the engine's
// output strings, in order]}, then exits 0. enginePyc: the engine's modules that have a valid
// precompiled __pycache__ entry (magic of this Python, unchecked hash-based).
// Installs the wheel exactly as the browser worker does: unpackArchive into site-packages,
// no micropip, no lock-file package names (so nothing is fetched from any CDN).
import { readFile } from "node:fs/promises";
import path from "node:path";

const [pyodideDir, wheelPath, requestsPath, stdlibPath] = process.argv.slice(2);
const { loadPyodide } = await import(path.resolve(pyodideDir, "pyodide.mjs"));
const pyodide = await loadPyodide({ indexURL: path.resolve(pyodideDir) + "/", packages: [],
  ...(stdlibPath ? { stdLibURL: path.resolve(stdlibPath) } : {}),
  stdout: () => {}, stderr: (s) => process.stderr.write(s + "\n") });
const bytes = new Uint8Array(await readFile(wheelPath)); // a Node Buffer must be wrapped
const sitePackages = pyodide.runPython("import sys\nnext(p for p in sys.path if p.endswith('site-packages'))");
pyodide.unpackArchive(bytes, "wheel", { extractDir: sitePackages });
const engine = pyodide.pyimport("esrok_recovery");
const where = engine.__file__;
if (!String(where).startsWith(sitePackages)) throw new Error(`engine imported from ${where}, not the wheel`);
const requests = JSON.parse(await readFile(requestsPath, "utf8"));
const outputs = requests.map(({ kind, input }) =>
  kind === "quick" ? engine.quick_json(input) : kind === "questions" ? engine.questions_json() : engine.evaluate_json(input));
const enginePyc = JSON.parse(pyodide.runPython(`
import importlib.util, json, os, sys
ok = []
for name, mod in sorted(sys.modules.items()):
    if name.split(".")[0] == "esrok_recovery" and getattr(mod, "__file__", "").endswith(".py"):
        cached = importlib.util.cache_from_source(mod.__file__)
        if os.path.exists(cached):
            with open(cached, "rb") as f:
                head = f.read(8)
            if head[:4] == importlib.util.MAGIC_NUMBER and head[4:8] == (1).to_bytes(4, "little"):
                ok.append(name)
json.dumps(ok)`));
process.stdout.write(JSON.stringify({ python: pyodide.runPython("import sys; sys.version.split()[0]"),
  stdlib: pyodide.runPython("import json; json.__file__"), enginePyc, outputs }));
