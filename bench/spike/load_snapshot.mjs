// Time-to-first-result: bare boot vs boot from a memory snapshot (Node 20).
// usage: node load_snapshot.mjs --mode bare|snapshot [--snapshot out/snapshot.bin]
//        [--stdlib zip] [--no-reinstall] [--wheel ...] [--module ...] [--fn ...] [--inputs ...]
// Prints one JSON line: timings in ms measured from process start (performance.now()).
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { args, INDEX_URL, warmupCode, installWheel, ms } from "./common.mjs";

const a = args({ mode: { type: "string", default: "snapshot" }, probe: { type: "string" } });
const tStart = performance.now();
const { loadPyodide } = await import("/work/main/node_modules/pyodide/pyodide.mjs");
let sitePackages;
const opts = {
  indexURL: INDEX_URL,
  ...(a.stdlib ? { stdLibURL: a.stdlib } : {}),
  fsInit: async (_FS, info) => { sitePackages = info.sitePackages; },
};
let snapBytes = 0;
if (a.mode === "snapshot") {
  const buf = readFileSync(a.snapshot ?? "/tmp/perf/out/snapshot.bin");
  snapBytes = buf.length;
  opts._loadSnapshot = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}
const tRead = performance.now();
const py = await loadPyodide(opts);
const tBoot = performance.now();
// MEMFS lives in JS, not in the wasm heap: the snapshot restores the heap
// (sys.modules etc.) but site-packages is empty again. Re-unpack the wheel so
// lazy imports / package data reads keep working (cheap: a few ms).
if (a.mode === "bare" || !a["no-reinstall"]) installWheel(py, a.wheel, sitePackages);
const tInst = performance.now();
const out = py.runPython(warmupCode(a));
const tReady = performance.now();
const cpu = process.cpuUsage();  // user+system of the whole process (all threads) up to ready: less sensitive to other load
let probe;
if (a.probe) { try { const r = py.runPython(a.probe); probe = String(r); r?.destroy?.(); } catch (e) { probe = "ERR " + String(e.message ?? e).split("\n").slice(-2).join(" | "); } }
console.log(JSON.stringify({
  mode: a.mode, stdlib: a.stdlib ?? "stock", snapBytes,
  node_start_to_script_ms: ms(performance.timeOrigin ? tStart : 0),
  read_ms: ms(tRead - tStart), boot_ms: ms(tBoot - tRead), install_ms: ms(tInst - tBoot),
  first_result_ms: ms(tReady - tInst), ready_from_script_ms: ms(tReady - tStart),
  ready_from_process_ms: ms(tReady), cpu_ms: ms((cpu.user + cpu.system) / 1000), out_sha: (await import("node:crypto")).createHash("sha256").update(out).digest("hex").slice(0, 12),
  probe,
}));
