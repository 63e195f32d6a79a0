// Writes precompressed siblings for hooks/precompress.py (Node's built-in zlib; Python's
// stdlib has no brotli). Reads a JSON list of jobs on stdin:
//   [{"src": "/abs/file", "out": "/abs/cache/name.br", "kind": "br", "quality": 9}, ...]
// and compresses them concurrently on libuv's thread pool. Each output is written to
// "<out>.tmp" and renamed, so an interrupted run never leaves a truncated cache entry.
import { readFileSync, writeFileSync, renameSync } from "node:fs";
import { promisify } from "node:util";
import zlib from "node:zlib";

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);
const jobs = JSON.parse(readFileSync(0, "utf8"));

await Promise.all(jobs.map(async (job) => {
  const data = readFileSync(job.src);
  const out = job.kind === "br"
    ? await brotli(data, { params: {
        [zlib.constants.BROTLI_PARAM_QUALITY]: job.quality,
        [zlib.constants.BROTLI_PARAM_LGWIN]: 24,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length } })
    : await gzip(data, { level: job.quality });
  writeFileSync(job.out + ".tmp", out);
  renameSync(job.out + ".tmp", job.out);
}));
