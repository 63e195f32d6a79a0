// Make a Pyodide memory snapshot (experimental 314 API: loadPyodide({_makeSnapshot}) +
// makeMemorySnapshot()) with the engine wheel and its bytecode installed and the engine imported
// and warmed by esrok_boot.warm(), booted from the given stdlib zip: the worker may restore it
// only together with that exact zip (a snapshot holds zipimport's directory of it; checked by
// esrok_boot.snapshot_ok()). Offline: the runtime comes from <pyodide dir>.
//
// usage: node snapshot.mjs <pyodide dir> <stdlib zip> <wheel> <bytecode zip> <out>
// Prints one JSON line: {bytes, modules}. No JS object may stay referenced from Python (the
// snapshot could not be restored elsewhere), so only strings cross.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

const [pyodideDir, stdlibZip, wheel, bytecode, out] = process.argv.slice(2);
if (!out) {
  process.stderr.write("usage: node snapshot.mjs <pyodide dir> <stdlib zip> <wheel> <bytecode zip> <out>\n");
  process.exit(2);
}
const { loadPyodide } = await import(path.resolve(pyodideDir, "pyodide.mjs"));
let sitePackages;
const py = await loadPyodide({ indexURL: path.resolve(pyodideDir) + "/", packages: [],
  stdLibURL: path.resolve(stdlibZip), _makeSnapshot: true,
  fsInit: async (_FS, info) => { sitePackages = info.sitePackages; },
  stdout: () => {}, stderr: (s) => process.stderr.write(s + "\n") });
const bytes = (f) => { const b = readFileSync(f); return new Uint8Array(b.buffer, b.byteOffset, b.byteLength); };
py.unpackArchive(bytes(wheel), "wheel", { extractDir: sitePackages });
py.unpackArchive(bytes(bytecode), "zip", { extractDir: sitePackages });
const modules = py.runPython("import esrok_boot\nstr(esrok_boot.warm())");
const snap = py.makeMemorySnapshot();
writeFileSync(out, snap);
process.stdout.write(JSON.stringify({ bytes: snap.length, modules: Number(modules) }) + "\n");
