// Record which stdlib zip entries Pyodide start-up + engine import + engine calls
// (+ an error traceback round trip) actually import. Writes a JSON manifest.
// usage: node record_imports.mjs [--wheel W --module M --fn F --inputs I.json] [--stdlib zip] --out out/imports.json
import { writeFileSync } from "node:fs";
import { loadPyodide } from "/work/main/node_modules/pyodide/pyodide.mjs";
import { args, INDEX_URL, warmupCode, installWheel } from "./common.mjs";

const a = args({ extra: { type: "string" } });
const out = a.out ?? "/tmp/perf/out/imports.json";
let sitePackages;
const py = await loadPyodide({ indexURL: INDEX_URL, ...(a.stdlib ? { stdLibURL: a.stdlib } : {}),
  fsInit: async (_FS, info) => { sitePackages = info.sitePackages; } });

const SNAP = `
import sys, json
def _snap():
    res = {}
    for name, m in list(sys.modules.items()):
        spec = getattr(m, "__spec__", None)
        origin = getattr(spec, "origin", None) if spec else getattr(m, "__file__", None)
        res[name] = origin if isinstance(origin, str) else repr(origin)
    return res
json.dumps(_snap())`;
const phase = (label) => ({ label, modules: JSON.parse(py.runPython(SNAP)) });
const phases = [phase("after loadPyodide")];
installWheel(py, a.wheel, sitePackages);
phases.push(phase("after unpackArchive(wheel)"));
py.runPython(`import ${a.module}`);
phases.push(phase(`after import ${a.module}`));
py.runPython(warmupCode(a));
phases.push(phase(`after ${a.fn} on every input`));
// Error round trip: a Python exception crossing into JS formats a traceback.
try { py.runPython("raise ValueError('probe')"); } catch (e) { /* expected */ }
try { await py.runPythonAsync("import asyncio\nawait asyncio.sleep(0)"); } catch (e) { console.error("async failed", e.message); }
phases.push(phase("after error traceback + runPythonAsync"));
if (a.extra) { py.runPython(a.extra); phases.push(phase("after --extra")); }

const ZIP = py.runPython("import sys; [p for p in sys.path if p.endswith('.zip')][0]");
const final = phases.at(-1).modules;
const fromZip = Object.entries(final).filter(([, o]) => o.startsWith(ZIP + "/")).map(([n, o]) => [n, o.slice(ZIP.length + 1)]);
const other = Object.entries(final).filter(([, o]) => !o.startsWith(ZIP + "/"));
const kinds = {};
for (const [, o] of other) { const k = o.startsWith("/") ? o.split("/").slice(0, 4).join("/") : o; kinds[k] = (kinds[k] ?? 0) + 1; }
let prev = new Set();
const perPhase = phases.map((p) => { const ks = Object.keys(p.modules); const added = ks.filter((k) => !prev.has(k)); prev = new Set(ks); return { label: p.label, total: ks.length, added: added.sort() }; });
writeFileSync(out, JSON.stringify({ zip: ZIP, entries: [...new Set(fromZip.map(([, e]) => e))].sort(), non_zip_origins: kinds, phases: perPhase }, null, 1));
console.log(JSON.stringify({ out, zip: ZIP, total_modules: Object.keys(final).length, zip_entries: new Set(fromZip.map(([, e]) => e)).size, non_zip_origins: kinds, phases: perPhase.map((p) => [p.label, p.total, p.added.length]) }, null, 1));
