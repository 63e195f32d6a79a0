// Run the engine wheel inside real Pyodide under Node, offline, from node_modules.
//
// usage: node run_engine.mjs <pyodide dir> <wheel file> <requests.json>
//   requests.json: [{"kind": "evaluate" | "quick" | "questions", "input": "<JSON string>"}, ...]
// prints one JSON array: the engine's output strings, in order, then exits 0.
// Installs the wheel exactly as the browser worker does: unpackArchive into site-packages,
// no micropip, no lock-file package names (so nothing is fetched from any CDN).
import { readFile } from "node:fs/promises";
import path from "node:path";

const [pyodideDir, wheelPath, requestsPath] = process.argv.slice(2);
const { loadPyodide } = await import(path.resolve(pyodideDir, "pyodide.mjs"));
const pyodide = await loadPyodide({ indexURL: path.resolve(pyodideDir) + "/", packages: [],
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
process.stdout.write(JSON.stringify({ python: pyodide.runPython("import sys; sys.version.split()[0]"), outputs }));
