// Interleaved fresh-process runs of load_snapshot.mjs; prints medians.
// usage: node bench_node.mjs N 'label=--mode bare' 'label2=--mode snapshot --snapshot out/s.bin' ...
import { execFileSync } from "node:child_process";
const n = Number(process.argv[2]);
const variants = process.argv.slice(3).map((s) => { const i = s.indexOf("="); return [s.slice(0, i), s.slice(i + 1).split(" ").filter(Boolean)]; });
const res = Object.fromEntries(variants.map(([l]) => [l, []]));
for (let i = 0; i < n; i++) for (const [l, argv] of variants) {
  const out = execFileSync("node", ["/tmp/perf/load_snapshot.mjs", ...argv], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  res[l].push(JSON.parse(out.trim().split("\n").pop()));
}
const med = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
for (const [l] of variants) {
  const rs = res[l]; const keys = ["boot_ms", "install_ms", "first_result_ms", "ready_from_script_ms", "ready_from_process_ms", "cpu_ms"];
  const o = { variant: l, n: rs.length, out_sha: [...new Set(rs.map((r) => r.out_sha))].join(",") };
  for (const k of keys) { o[k] = med(rs.map((r) => r[k])); o[k + "_range"] = [Math.min(...rs.map((r) => r[k])), Math.max(...rs.map((r) => r[k]))]; }
  console.log(JSON.stringify(o));
}
