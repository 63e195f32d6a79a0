"""Headless Debian Chromium probe: Pyodide start-up variants in a module Web Worker.

usage: /work/main/.venv/bin/python browser_probe.py [-n 5] [--variants bare,snapshot,...]
           [--rate-kbps 0] [--rtt-ms 0] [--precompressed] [--out out/browser.jsonl] [--no-warm]

Serves /tmp/perf/site with a small http.server subclass:
  * application/wasm, text/javascript for .mjs; Cache-Control immutable for assets, no-cache for html
  * --precompressed: serve <file>.br (or .gz) with Content-Encoding when the browser accepts it
  * --rate-kbps/--rtt-ms: one shared token bucket for all connections + per-request latency (slow link)
  * counts body bytes sent per navigation (server-side transfer size)
Cold = fresh persistent profile dir; warm = second navigation in the same profile (disk cache).
"""
from __future__ import annotations
import argparse, hashlib, contextlib, functools, http.server, json, os, statistics, tempfile, threading, time, urllib.parse
from pathlib import Path

from playwright.sync_api import sync_playwright

SITE = Path("/tmp/perf/site")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
A = "/assets/"
STOCK = "pyodide/python_stdlib.zip"
BASE = {"wheel": A + "esrok_toy-0.1.0-py3-none-any.whl", "inputs": A + "inputs.json",
        "module": "esrok_toy", "fn": "evaluate_json", "timeout": 60000}
VARIANTS = {
    "bare": {},
    "bare-trim": {"stdlib": A + "python_stdlib.trim.store.zip"},
    "bare-trim-pyc": {"stdlib": A + "python_stdlib.trim.pyc.store.zip"},
    "bare-full-pyc": {"stdlib": A + "python_stdlib.full.pyc.store.zip"},
    "snapshot": {"snapshot": A + "snapshot.bin", "fallbackStdlib": None},
    "snapshot-trim": {"snapshot": A + "snapshot.trim.bin", "stdlib": A + "python_stdlib.trim.store.zip",
                      "fallbackStdlib": A + "python_stdlib.trim.store.zip"},
    "snapshot-trim-pyc": {"snapshot": A + "snapshot.trimpyc.bin", "stdlib": A + "python_stdlib.trim.pyc.store.zip",
                          "fallbackStdlib": A + "python_stdlib.trim.pyc.store.zip"},
    "trim-pyc-safety-net": {"stdlib": A + "python_stdlib.trim.pyc.store.zip", "fullStdlib": "/pyodide/python_stdlib.zip",
                            "probe": "import statistics, json.tool; f'{statistics.mean([1, 2, 4]):.3f} ' + json.tool.__file__"},
    "snapshot-trim-pyc-safety-net": {"snapshot": A + "snapshot.trimpyc.bin", "stdlib": A + "python_stdlib.trim.pyc.store.zip",
                            "fallbackStdlib": A + "python_stdlib.trim.pyc.store.zip", "fullStdlib": "/pyodide/python_stdlib.zip",
                            "probe": "import statistics, json.tool; f'{statistics.mean([1, 2, 4]):.3f} ' + json.tool.__file__"},
    # hybrid: first visit boots from the trimmed pyc stdlib; on idle the SW prefetches the snapshot;
    # the next visit uses it only if caches.match() hits
    "hybrid": {"sw": True, "stdlib": A + "python_stdlib.trim.pyc.store.zip",
               "snapshotIfCached": A + "snapshot.trimpyc.bin", "snapshotStdlib": A + "python_stdlib.trim.pyc.store.zip",
               "fallbackStdlib": A + "python_stdlib.trim.pyc.store.zip",
               "prefetch": ["/pyodide/pyodide.mjs", "/pyodide/pyodide.asm.mjs", "/pyodide/pyodide.asm.wasm",
                            "/pyodide/pyodide-lock.json", "/worker.mjs", A + "python_stdlib.trim.pyc.store.zip",
                            A + "snapshot.trimpyc.bin", A + "esrok_toy-0.1.0-py3-none-any.whl", A + "inputs.json"]},
    # failure modes (fallback expected)
    "fail-404": {"snapshot": A + "missing.bin"},
    "fail-magic": {"snapshot": A + "snapshot.badmagic.bin"},
    "fail-buildid": {"snapshot": A + "snapshot.badbuildid.bin"},
    "fail-truncated": {"snapshot": A + "snapshot.truncated.bin"},
    "fail-zip-mismatch": {"snapshot": A + "snapshot.bin", "stdlib": A + "python_stdlib.trim.store.zip",
                          "fallbackStdlib": A + "python_stdlib.trim.store.zip"},
    "fail-no-engine": {"snapshot": A + "snapshot.bare.bin"},
}


REAL = {"wheel": A + "esrok_recovery-1.0.0-py3-none-any.whl", "inputs": A + "real_inputs.json",
        "module": "esrok_recovery"}


def realize_path(v: str) -> str:
    if v == A + "esrok_toy-0.1.0-py3-none-any.whl":
        return REAL["wheel"]
    if v == A + "inputs.json":
        return REAL["inputs"]
    if v.startswith(A) and (v.endswith(".zip") or v.startswith(A + "snapshot")):
        return A + "real." + v[len(A):]
    return v


def realize(cfg: dict) -> dict:
    """Same variant, real engine: its wheel/inputs and the real.* stdlib zips + snapshots."""
    out = {**cfg, **REAL}
    if "prefetch" in out:
        out["prefetch"] = [realize_path(x) for x in out["prefetch"]]
    for k in ("snapshotIfCached", "snapshotStdlib"):
        if k in out:
            out[k] = realize_path(out[k])
    for k in ("snapshot", "stdlib", "fallbackStdlib"):
        v = out.get(k)
        if isinstance(v, str) and v.startswith(A) and (v.endswith(".zip") or v.startswith(A + "snapshot")):
            name = v[len(A):]
            name = {"snapshot.bin": "snapshot.stock.bin", "snapshot.trim.bin": "snapshot.trim.bin",
                    "snapshot.trimpyc.bin": "snapshot.trimpyc.bin"}.get(name, name)
            out[k] = A + "real." + name
    return out


def make_broken_snapshots() -> None:
    good = (SITE / "assets/snapshot.bin").read_bytes()
    b = bytearray(good); b[0:4] = b"\0\0\0\0"
    (SITE / "assets/snapshot.badmagic.bin").write_bytes(b)
    b = bytearray(good); b[16] ^= 0xFF
    (SITE / "assets/snapshot.badbuildid.bin").write_bytes(b)
    (SITE / "assets/snapshot.truncated.bin").write_bytes(good[: 1 << 20])


class Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".wasm": "application/wasm", ".mjs": "text/javascript", ".js": "text/javascript",
                      ".zip": "application/zip", ".bin": "application/octet-stream",
                      ".whl": "application/zip", ".json": "application/json"}
    precompressed = False
    rate = 0.0          # bytes per second, 0 = unlimited
    rtt = 0.0           # seconds per request
    lock = threading.Lock()
    next_free = 0.0
    sent = 0
    log: list = []

    def log_message(self, *a):  # quiet
        pass

    def end_headers(self):
        path = urllib.parse.urlsplit(self.path).path
        self.send_header("Cache-Control", "no-cache" if path.endswith((".html", "/")) else "public, max-age=31536000, immutable")
        super().end_headers()

    def send_head(self):
        if self.rtt:
            time.sleep(self.rtt)
        path = self.translate_path(self.path)
        if self.precompressed and os.path.isfile(path):
            ae = self.headers.get("Accept-Encoding", "")
            for enc, ext in (("br", ".br"), ("gzip", ".gz")):
                if enc in ae and os.path.isfile(path + ext):
                    f = open(path + ext, "rb")
                    fs = os.fstat(f.fileno())
                    self.send_response(200)
                    self.send_header("Content-Type", self.guess_type(path))
                    self.send_header("Content-Encoding", enc)
                    self.send_header("Vary", "Accept-Encoding")
                    self.send_header("Content-Length", str(fs.st_size))
                    self.send_header("Last-Modified", self.date_time_string(fs.st_mtime))
                    self.end_headers()
                    return f
        return super().send_head()

    def copyfile(self, source, outputfile):
        while chunk := source.read(16384):
            if self.rate:
                cls = type(self)
                with cls.lock:
                    start = max(time.monotonic(), cls.next_free)
                    cls.next_free = start + len(chunk) / self.rate
                    wake = cls.next_free
                time.sleep(max(0.0, wake - time.monotonic()))
            outputfile.write(chunk)
            with type(self).lock:
                type(self).sent += len(chunk)
                type(self).log.append((urllib.parse.urlsplit(self.path).path, len(chunk)))


def serve(port: int = 0):
    h = functools.partial(Handler, directory=str(SITE))
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", port), h)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv


def one(page, url: str, timeout_ms: int = 120000) -> dict:
    Handler.sent = 0; Handler.log = []
    page.goto(url)
    page.wait_for_selector("#result:not(:empty)", timeout=timeout_ms)
    r = json.loads(page.text_content("#result"))
    r["server_bytes"] = Handler.sent
    by: dict = {}
    for p, n in Handler.log:
        by[p] = by.get(p, 0) + n
    r["server_by_path"] = by
    return r


def summarize(rows: list[dict]) -> dict:
    def med(key):
        vals = [r["rel"].get(key) for r in rows if r.get("rel") and r["rel"].get(key) is not None]
        return (statistics.median(vals), min(vals), max(vals)) if vals else None
    return {"n": len(rows), "prefetched": sorted({str(r.get("prefetched")) for r in rows}), "controlled": sorted({str(r.get("controlled")) for r in rows}), "probe": sorted({str(r.get("probe")) for r in rows}), "modes": sorted({r.get("mode", "?") for r in rows}),
            "failures": sorted({r.get("failure") or "" for r in rows} - {""}),
            "errors": sorted({r.get("error") or "" for r in rows} - {""}),
            "boot": med("boot"), "ready": med("ready"),
            "server_bytes": statistics.median([r["server_bytes"] for r in rows]),
            "out_sha": sorted({hashlib.sha256((r.get("out") or "").encode()).hexdigest()[:12] for r in rows})}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", type=int, default=5)
    ap.add_argument("--variants", default="bare,snapshot")
    ap.add_argument("--rate-kbps", type=float, default=0, help="shared link rate in kilobits/s")
    ap.add_argument("--rtt-ms", type=float, default=0)
    ap.add_argument("--precompressed", action="store_true")
    ap.add_argument("--no-warm", action="store_true")
    ap.add_argument("--engine", choices=["toy", "real"], default="toy")
    ap.add_argument("--out", default="/tmp/perf/out/browser.jsonl")
    a = ap.parse_args()
    make_broken_snapshots()  # toy ones; real.* copies are made the same way (see FINDINGS)
    Handler.precompressed = a.precompressed
    Handler.rate = a.rate_kbps * 1000 / 8
    Handler.rtt = a.rtt_ms / 1000
    srv = serve()
    origin = f"http://127.0.0.1:{srv.server_address[1]}"
    names = a.variants.split(",")
    res: dict = {(v, k): [] for v in names for k in ("cold", "warm")}
    with sync_playwright() as p:
        for i in range(a.n):
            for v in names:
                cfg = {**BASE, **VARIANTS[v]}
                if a.engine == "real":
                    cfg = realize(cfg)
                if cfg.get("fallbackStdlib", "x") is None:
                    cfg.pop("fallbackStdlib")
                url = f"{origin}/page.html#" + urllib.parse.quote(json.dumps(cfg))
                with tempfile.TemporaryDirectory(prefix="perfprof") as prof:
                    ctx = p.chromium.launch_persistent_context(prof, executable_path="/usr/bin/chromium", args=ARGS, headless=True)
                    page = ctx.new_page()
                    res[(v, "cold")].append(one(page, url))
                    if cfg.get("prefetch"):
                        page.wait_for_selector("#prefetched:not(:empty)", timeout=120000)
                        res[(v, "cold")][-1]["prefetched"] = page.text_content("#prefetched")
                    if not a.no_warm:
                        page.goto("about:blank")
                        res[(v, "warm")].append(one(page, url))
                    ctx.close()
    srv.shutdown()
    cond = {"engine": a.engine, "rate_kbps": a.rate_kbps, "rtt_ms": a.rtt_ms, "precompressed": a.precompressed}
    with open(a.out, "a") as f:
        for (v, k), rows in res.items():
            if not rows:
                continue
            s = {"variant": v, "cache": k, **cond, **summarize(rows)}
            print(json.dumps(s))
            f.write(json.dumps({**s, "sample": {kk: rows[0].get(kk) for kk in ("rel", "server_by_path", "failure", "mode")}}) + "\n")


if __name__ == "__main__":
    main()
