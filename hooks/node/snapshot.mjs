// Make a Pyodide memory snapshot (experimental 314 API: loadPyodide({_makeSnapshot}) +
// makeMemorySnapshot()) with the engine wheel installed, imported and warmed, booted from the
// given stdlib zip: the worker may restore it only together with that exact zip (a snapshot
// holds zipimport's directory of it). Offline: the runtime comes from <pyodide dir>.
//
// usage: node snapshot.mjs <pyodide dir> <stdlib zip> <wheel> <out>
// Prints one JSON line: {bytes, modules}. No JS object may stay referenced from Python (the
// snapshot could not be restored elsewhere), so everything crosses as Python source and strings.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

const [pyodideDir, stdlibZip, wheel, out] = process.argv.slice(2);
if (!out) {
  process.stderr.write("usage: node snapshot.mjs <pyodide dir> <stdlib zip> <wheel> <out>\n");
  process.exit(2);
}
const { loadPyodide } = await import(path.resolve(pyodideDir, "pyodide.mjs"));
let sitePackages;
const py = await loadPyodide({ indexURL: path.resolve(pyodideDir) + "/", packages: [],
  stdLibURL: path.resolve(stdlibZip), _makeSnapshot: true,
  fsInit: async (_FS, info) => { sitePackages = info.sitePackages; },
  stdout: () => {}, stderr: (s) => process.stderr.write(s + "\n") });
const buf = readFileSync(wheel);
py.unpackArchive(new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength), "wheel", { extractDir: sitePackages });
const modules = py.runPython(`
import json, sys
import esrok_recovery as _e
_e.questions_json()
_e.quick_json('{"version": 1, "as_of": "2026-11-29", "answers": {}}')
_e.evaluate_json('{not json')
del _e
str(len(sys.modules))`);
const snap = py.makeMemorySnapshot();
writeFileSync(out, snap);
process.stdout.write(JSON.stringify({ bytes: snap.length, modules: Number(modules) }) + "\n");
