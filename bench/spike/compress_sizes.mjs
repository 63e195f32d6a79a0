// Raw / gzip -9 / brotli q11 sizes (node zlib) for the given files; optional --write to emit .gz/.br siblings.
// usage: node compress_sizes.mjs [--write] file...
import { readFileSync, writeFileSync } from "node:fs";
import { gzipSync, brotliCompressSync, constants as C } from "node:zlib";
import { performance } from "node:perf_hooks";
const write = process.argv.includes("--write");
const files = process.argv.slice(2).filter((f) => f !== "--write");
for (const f of files) {
  const b = readFileSync(f);
  let t = performance.now();
  const gz = gzipSync(b, { level: 9 });
  const gzMs = performance.now() - t; t = performance.now();
  const br = brotliCompressSync(b, { params: {
    [C.BROTLI_PARAM_QUALITY]: 11, [C.BROTLI_PARAM_SIZE_HINT]: b.length,
    [C.BROTLI_PARAM_LGWIN]: 24 } });
  const brMs = performance.now() - t;
  if (write) { writeFileSync(f + ".gz", gz); writeFileSync(f + ".br", br); }
  console.log(JSON.stringify({ file: f, raw: b.length, gzip9: gz.length, brotli11: br.length,
    gzip_ms: Math.round(gzMs), brotli_ms: Math.round(brMs) }));
}
