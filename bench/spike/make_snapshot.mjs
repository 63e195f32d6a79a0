// Make a Pyodide 314 memory snapshot after installing + importing + warming a wheel.
// usage: node make_snapshot.mjs [--wheel W] [--module M] [--fn F] [--inputs I.json]
//                               [--stdlib zip] --out snapshot.bin
import { writeFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { loadPyodide } from "/work/main/node_modules/pyodide/pyodide.mjs";
import { args, INDEX_URL, warmupCode, installWheel, ms } from "./common.mjs";

const a = args({ bare: { type: "boolean", default: false } });  // --bare: snapshot without the engine (for tests)
const out = a.out ?? "/tmp/perf/out/snapshot.bin";
const t0 = performance.now();
let sitePackages;
const py = await loadPyodide({
  indexURL: INDEX_URL,
  ...(a.stdlib ? { stdLibURL: a.stdlib } : {}),
  _makeSnapshot: true,
  // fsInit gets the site-packages path before Python starts; no extra import needed.
  fsInit: async (_FS, info) => { sitePackages = info.sitePackages; },
});
const t1 = performance.now();
let result = "[]";
if (!a.bare) { installWheel(py, a.wheel, sitePackages); result = py.runPython(warmupCode(a)); }
const t2 = performance.now();
const snap = py.makeMemorySnapshot();
const t3 = performance.now();
writeFileSync(out, snap);
console.log(JSON.stringify({
  out, bytes: snap.length, sitePackages,
  boot_ms: ms(t1 - t0), install_import_warm_ms: ms(t2 - t1), snapshot_ms: ms(t3 - t2),
  result: JSON.parse(result),
}, null, 1));
