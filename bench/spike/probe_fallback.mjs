// Node check of stdlib_fallback.py with a trimmed zip: missing stdlib modules load from the full zip.
import { readFileSync } from "node:fs";
import { loadPyodide } from "/work/main/node_modules/pyodide/pyodide.mjs";
const py = await loadPyodide({ indexURL: "/work/main/node_modules/pyodide/", stdLibURL: process.argv[2] });
py.FS.writeFile("/tmp/stdlib_fallback.py", readFileSync("/tmp/perf/stdlib_fallback.py"));
let fetches = 0;
py.globals.set("_fetch_full", () => { fetches++; const b = readFileSync("/work/main/node_modules/pyodide/python_stdlib.zip"); return new Uint8Array(b.buffer, b.byteOffset, b.byteLength); });
py.runPython("import sys; sys.path.insert(0, '/tmp'); import stdlib_fallback; stdlib_fallback.install(_fetch_full); del sys.path[0]");
for (const code of ["import statistics; str(statistics.mean([1, 2, 4]))", "import json.tool; json.tool.__file__", "import xml.dom.minidom as m; m.__file__", "import datetime; datetime.__file__", "import nosuchmodule"]) {
  try { console.log("OK ", code, "->", String(py.runPython(code))); } catch (e) { console.log("ERR", code, "->", e.message.trim().split("\n").slice(-1)[0]); }
}
console.log("fetches:", fetches);
