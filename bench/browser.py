"""Browser benchmark for the recovery checklist (Playwright + Debian Chromium).

    .venv/bin/python bench/browser.py [--runs 5] [--site DIR] [--compressed] [--both] [--prefetch]

Builds the site (or uses --site, which must have been built with SITE_URL matching the
port given by --port), serves it on 127.0.0.1 with the MIME types a real host sends, and
measures, as medians of --runs runs:

* form interactive  ms from navigation start until checklist/app.js has bound the form
* engine ready      ms from navigation start until the worker reports the engine ready
* submit-to-result  ms from a quick-check submit (once ready) to the rendered result (awaited
                    without polling the page: see ARM_RESULT)
* edit-to-result    ms from an inventory edit (the account's importance changed in its select,
                    once the engine is ready) to the updated result on screen (issue 10)
* picker            the service picker of the quick check on the real tool page, a fresh profile:
                    ms from navigation start to its first results on screen when a person clicks
                    it as soon as it is there (the catalogue is fetched on that first use), ms from
                    that click, and per keystroke of "paypal", "git hub", "outlok" the ms from the
                    input event to the listbox updated (issue 9; target <= 16 ms per keystroke)
* bytes             bytes the server sent for one visit (including the service worker's
                    precache revalidation, and everything the worker fetched)

The tool boots from the precompiled stdlib (hooks/toolbuild/stdlib.py) and reports which one it
used ("precompiled", or "stock" if it fell back); the bare page always uses Pyodide's stock
python_stdlib.zip, since the comparison is against Pyodide's own bare start.

cold = a fresh browser profile each run; warm = a profile that has visited the tool once
(HTTP disk cache + the service worker), relaunched for each run. In the same run it
measures a bare page (served by this script next to the site, at /__bench/bare.html) that
only calls loadPyodide() from the same files in a module worker, and prints the ratio.
Targets (issues 4, 10, 11): form interactive <= 200 ms; submit-to-result <= 50 ms; engine/bare <= 0.7
(cold and warm); edit-to-result <= 100 ms.

Also, in the same run (issue 11):

* reader          a fresh phone-sized (390x844) profile opens a post and stays 15 s: every byte
                  the server sent, and those of the checker (Pyodide, the engine); targets <= 1 MB
                  and 0 bytes of Pyodide
* returning user  a profile that used the checker and saved a plan reopens the tool: ms from
                  navigation to the saved plan's first result, with the memory snapshot in Cache
                  Storage and with it removed (same profile state otherwise), interleaved
* cache           Cache Storage bytes after one use of the checker (target <= 16 MB), per cache

--compressed: the server also honours Accept-Encoding with the build's precompressed siblings
(hooks/toolbuild/precompress.py: <file>.br, else <file>.gz), as nginx brotli_static/gzip_static would;
bytes are then bytes on the wire. --both runs the whole comparison twice in one invocation,
uncompressed then compressed, and prints both tables (same build, same load conditions).
--prefetch adds a "tool-prefetched" row: a fresh profile opens the home page, whose tool card in
view is a sign of intent (sw-register.js), waits until the checker is cached, then the tool is
opened and measured; its bytes are what the tool page itself still downloads.
"""
from __future__ import annotations

import argparse
import email.utils
import functools
import http.server
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
TOOL = "tools/recovery-checklist/"
TIMEOUT_MS = 120_000
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}

BARE_HTML = b"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>bare</title></head>
<body><p id="state">booting</p><script>
const w = new Worker("/__bench/bare-worker.js", {type: "module"});
w.onmessage = (e) => { performance.mark("bare:ready"); window.__phases = e.data.phases;
  document.getElementById("state").textContent = e.data.state; };
</script></body></html>"""
BARE_WORKER = """const phases = {};
const stamp = (n) => { phases[n] = performance.timeOrigin + performance.now(); };
stamp("worker-start");
const { loadPyodide } = await import("/INDEX_URLpyodide.mjs");
stamp("pyodide-imported");
await loadPyodide({ indexURL: "/INDEX_URL" });
stamp("python-started");
self.postMessage({ state: "ready", phases });
"""
POST = "blog/2fa-backup-codes-and-recovery-planning/"
READER_IDLE_S = 15
CHECKER_PATH = ("/assets/pyodide/", "/assets/engine/")
CACHE_SIZES = """async () => { const out = {}; for (const k of await caches.keys()) { let n = 0; const c = await caches.open(k);
  for (const r of await c.keys()) n += (await (await c.match(r)).arrayBuffer()).byteLength; out[k] = n; } return out; }"""


class Counter:
    def __init__(self):
        self.lock = threading.Lock()
        self.bytes = 0
        self.checker = 0  # of which Pyodide and the engine (/assets/pyodide/, /assets/engine/)

    def add(self, n, path=""):
        with self.lock:
            self.bytes += n
            if path.startswith(CHECKER_PATH):
                self.checker += n

    def take(self):
        with self.lock:
            n, self.bytes, self.checker = self.bytes, 0, 0
            return n

    def take_both(self):
        with self.lock:
            out = (self.bytes, self.checker)
            self.bytes = self.checker = 0
            return out


class Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".wasm": "application/wasm", ".mjs": "text/javascript", ".js": "text/javascript",
                      ".json": "application/json", ".whl": "application/octet-stream", ".zip": "application/zip"}
    counter: Counter
    compressed = False  # serve <file>.br / <file>.gz with Content-Encoding when accepted
    bare_worker = b""

    def log_message(self, *args):
        pass

    def end_headers(self):
        # What a sensible static host sends: revalidate HTML and the service worker; let assets be cached.
        path = self.path.split("?", 1)[0]
        if path.endswith((".html", "/", "sw.js")):
            self.send_header("Cache-Control", "no-cache")
        else:
            self.send_header("Cache-Control", "public, max-age=3600")
        super().end_headers()

    def do_GET(self):
        if self.path.startswith("/__bench/"):
            body = {"/__bench/bare.html": (BARE_HTML, "text/html"),
                    "/__bench/bare-worker.js": (self.bare_worker, "text/javascript")}.get(self.path)
            if body is None:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", body[1])
            self.send_header("Content-Length", str(len(body[0])))
            self.end_headers()
            self.wfile.write(body[0])
            self.counter.add(len(body[0]))
            return
        super().do_GET()

    def send_head(self):
        path = self.translate_path(self.path)
        if not (self.compressed and os.path.isfile(path)):
            return super().send_head()
        accept = self.headers.get("Accept-Encoding", "")
        for enc, ext in (("br", ".br"), ("gzip", ".gz")):
            if enc in accept and os.path.isfile(path + ext):
                f = open(path + ext, "rb")
                fs = os.fstat(f.fileno())
                since = self.headers.get("If-Modified-Since")
                if since:
                    try:
                        unchanged = email.utils.parsedate_to_datetime(since).timestamp() >= int(fs.st_mtime)
                    except (TypeError, ValueError):
                        unchanged = False
                    if unchanged:
                        f.close()
                        self.send_response(304)
                        self.send_header("Vary", "Accept-Encoding")
                        self.end_headers()
                        return None
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
        n = 0
        while chunk := source.read(1 << 16):
            outputfile.write(chunk)
            n += len(chunk)
        self.counter.add(n, self.path)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build(site_dir: Path, url: str) -> None:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", SITE_URL=url)
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--clean", "-q",
                           "--site-dir", str(site_dir)], cwd=ROOT, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"mkdocs build failed:\n{proc.stderr[-3000:]}")


def marks(page, *names):
    return page.evaluate("(names) => names.map(n => { const e = performance.getEntriesByName(n); "
                         "return e.length ? e[e.length - 1].startTime : null; })", list(names))


# A result is awaited by a PerformanceObserver in the page, not by polling it with expect(): the
# polling runs Playwright's injected script on the page's main thread (computed styles, layouts),
# and the worker's answer then waited behind it. With the same build, 3 x 5 submits each, the
# message from the worker was handled 100-300 ms after it was sent on most first and second submits
# while expect() polled, and within 1 ms without it (submit to result medians 51 and 131 ms against
# 25 ms, 2026-12-02). A person's browser runs no such script.
ARM_RESULT = """() => { window.__esrokBenchResult = new Promise((resolve, reject) => {
  const observer = new PerformanceObserver((list) => {
    if (list.getEntries().some((e) => e.name === "esrok:result")) { observer.disconnect(); resolve(true); }
  });
  observer.observe({ type: "mark" });
  setTimeout(() => { observer.disconnect(); reject(new Error("no result within TIMEOUT ms")); }, TIMEOUT);
}); }""".replace("TIMEOUT", str(TIMEOUT_MS))


def arm_result(page) -> None:
    """Before a submit or an edit: start watching for its esrok:result mark."""
    page.evaluate(ARM_RESULT)


def await_result(page) -> None:
    """Wait, without touching the page meanwhile, for the result armed by arm_result()."""
    page.evaluate("() => window.__esrokBenchResult")


def measure_tool(page, url, counter):
    from playwright.sync_api import expect

    counter.take()
    page.goto(url + TOOL)
    expect(page.locator("#esrok-status")).to_have_attribute("data-state", "ready", timeout=TIMEOUT_MS)
    form, ready = marks(page, "esrok:form-interactive", "esrok:engine-ready")
    phases = page.evaluate("() => Object.fromEntries(Object.entries(window.__esrokChecklist.phases)"
                           ".map(([k, v]) => [k, v - performance.timeOrigin]))")
    stdlib = page.evaluate("() => window.__esrokChecklist.stdlib")  # "stock" = the fallback was taken
    snapshot = page.evaluate("() => window.__esrokChecklist.snapshot")  # "used" | "not cached" | "failed"
    submits = []
    for _ in range(5):
        page.evaluate("() => { performance.clearMarks('esrok:submit'); performance.clearMarks('esrok:result');"
                      " document.getElementById('esrok-summary').textContent = ''; }")
        arm_result(page)
        page.get_by_role("button", name="Check my recovery").click()
        await_result(page)
        expect(page.locator("#esrok-summary")).to_contain_text("out of 100", timeout=TIMEOUT_MS)
        s, r = marks(page, "esrok:submit", "esrok:result")  # set in the same task as the summary
        submits.append(r - s)
    edits = measure_edits(page)
    # Let the service worker finish caching the checker (and the snapshot, after this use) so its bytes
    # count towards this visit and a warm profile is what a returning reader has.
    expect(page.locator("#esrok-status")).to_contain_text("works offline", timeout=TIMEOUT_MS)
    snap = page.evaluate("() => window.__esrokChecklist.boot.snapshot && window.__esrokChecklist.boot.snapshot.url")
    if snap:
        page.evaluate("""async (u) => { for (let i = 0; i < 1200; i++) { if (await caches.match(u)) return;
            await new Promise((r) => setTimeout(r, 100)); } }""", url + snap)
    return {"form": form, "ready": ready, "submit": statistics.median(submits), "edit": statistics.median(edits),
            "bytes": counter.take(),
            "phases": phases, "stdlib": stdlib, "snapshot": snapshot}


def add_account(page) -> None:
    """One finished account in the inventory (name, kind, importance, a password), as a person adds it."""
    page.get_by_role("button", name="Add an account").click()
    account = page.locator("fieldset[data-account]").last
    account.get_by_label("Account name", exact=True).fill("Mail")
    account.get_by_label("Kind of account", exact=True).select_option("email")
    account.get_by_label("Importance", exact=True).select_option("important")
    page.evaluate("() => { document.getElementById('esrok-summary').textContent = ''; }")
    account.get_by_label("Add a sign-in method", exact=True).select_option("password")
    account.locator('[id$="-add-sign_in-button"]').click()


def measure_edits(page) -> list[float]:
    """One account in the inventory, then its importance changed 5 times: ms from each edit
    (performance mark esrok:edit, set by the change handler) to its result (esrok:result, set in
    the same task as the updated summary)."""
    from playwright.sync_api import expect

    add_account(page)
    expect(page.locator("#esrok-summary")).to_contain_text("out of 100", timeout=TIMEOUT_MS)
    edits = []
    for level in ("critical", "important", "critical", "important", "critical"):
        page.evaluate("() => { performance.clearMarks('esrok:edit'); performance.clearMarks('esrok:result');"
                      " document.getElementById('esrok-summary').textContent = ''; }")
        arm_result(page)
        page.locator("fieldset[data-account]").last.get_by_label("Importance", exact=True).select_option(level)
        await_result(page)
        expect(page.locator("#esrok-summary")).to_contain_text("out of 100", timeout=TIMEOUT_MS)
        e, r = marks(page, "esrok:edit", "esrok:result")
        edits.append(r - e)
    return edits


# Recorded in the page before any of its scripts (an init script): when the quick check's picker
# was first clicked, when its first options were on screen, and per input event the time until
# the listbox changed (the picker renders in the same task, after its search).
PICKER_PROBE = """(() => {
  const t = window.__esrokPicker = { click: null, first: null, keys: [] };
  let pending = null;
  const inQuick = (el) => el && el.closest && el.closest('.esrok-quick-service');
  document.addEventListener('mousedown', (e) => { if (inQuick(e.target) && t.click === null) t.click = performance.now(); }, true);
  document.addEventListener('input', (e) => { if (inQuick(e.target)) pending = performance.now(); }, true);
  const isList = (r) => r.target.getAttribute && r.target.getAttribute('role') === 'listbox' && inQuick(r.target);
  new MutationObserver((records) => {
    if (t.shown === undefined && document.querySelector('.esrok-quick-service [role=combobox]')) t.shown = performance.now();
    if (!records.some(isList)) return;   // the progress line also changes on input: only the list counts
    const now = performance.now();
    if (t.first === null) t.first = now;
    if (pending !== null) { t.keys.push(now - pending); pending = null; }
  }).observe(document, { childList: true, subtree: true });
})();"""
PICKER_QUERIES = ("paypal", "git hub", "outlok")


def measure_picker(page, url, counter):
    """A fresh profile opens the tool and uses the quick check's picker at once: first results, then typing."""
    from playwright.sync_api import expect

    counter.take()
    page.add_init_script(PICKER_PROBE)
    page.goto(url + TOOL, wait_until="commit")   # click as soon as the picker is there, not after "load"
    page.get_by_role("button", name="Another service? Find it by name").click()   # shows the field
    box = page.get_by_role("combobox", name="Or find the service by name")
    box.click()
    expect(page.get_by_role("listbox", name="Or find the service by name").get_by_role("option").first).to_be_visible(
        timeout=TIMEOUT_MS)
    first = page.evaluate("() => window.__esrokPicker")
    keys = []
    for q in PICKER_QUERIES:
        box.fill("")
        page.evaluate("() => { window.__esrokPicker.keys = []; }")
        box.press_sequentially(q, delay=50)   # a person typing (the listbox settles between keys)
        expect(page.get_by_role("listbox", name="Or find the service by name").get_by_role("option").first).to_be_visible()
        keys += page.evaluate("() => window.__esrokPicker.keys")
    return {"first": first["first"], "from_click": first["first"] - first["click"], "keys": keys,
            "shown": first.get("shown"), "click": first["click"],
            "bytes": counter.take()}


def measure_prefetched(page, url, counter):
    """Home page first (its tool card in view caches the checker), then the tool."""
    from playwright.sync_api import expect

    page.goto(url)
    expect(page.locator("html")).to_have_attribute("data-esrok-prefetch", "cached", timeout=TIMEOUT_MS)
    prefetched = counter.take()
    out = measure_tool(page, url, counter)
    out["prefetched"] = prefetched
    return out


def measure_reader(page, url, counter):
    """A fresh phone-sized profile opens a post and stays READER_IDLE_S seconds."""
    counter.take()
    page.goto(url + POST)
    page.wait_for_timeout(READER_IDLE_S * 1000)  # a benchmark of idle time, not a test wait
    total, checker = counter.take_both()
    return {"bytes": total, "checker": checker,
            "prefetch": page.evaluate("() => document.documentElement.getAttribute('data-esrok-prefetch')")}


def save_plan(page, url):
    """Use the checker once with a saved plan (the returning user's profile); returns cache bytes."""
    from playwright.sync_api import expect

    page.goto(url + TOOL)
    expect(page.locator("#esrok-status")).to_have_attribute("data-state", "ready", timeout=TIMEOUT_MS)
    add_account(page)
    page.get_by_label("Save this plan in this browser").check()
    expect(page.locator("#esrok-summary")).to_contain_text("out of 100", timeout=TIMEOUT_MS)
    expect(page.locator("#esrok-status")).to_contain_text("works offline", timeout=TIMEOUT_MS)
    snap = page.evaluate("() => window.__esrokChecklist.boot.snapshot && window.__esrokChecklist.boot.snapshot.url")
    page.evaluate("""async (u) => { for (let i = 0; i < 1200; i++) { if (await caches.match(u)) return;
        await new Promise((r) => setTimeout(r, 100)); } }""", url + snap)
    return page.evaluate(CACHE_SIZES)


def measure_returning(page, url, counter, snapshot: bool):
    """Reopen the tool with a saved plan: ms from navigation to its first result."""
    from playwright.sync_api import expect

    if not snapshot:  # the same profile without the memory snapshot in Cache Storage
        page.goto(url + "offline/")
        page.evaluate("async () => { for (const k of await caches.keys()) if (k.startsWith('esrok-snapshot-')) await caches.delete(k); }")
    counter.take()
    page.goto(url + TOOL)
    expect(page.locator("#esrok-summary")).to_contain_text("out of 100", timeout=TIMEOUT_MS)
    (result, ready) = marks(page, "esrok:result", "esrok:engine-ready")
    used = page.evaluate("() => window.__esrokChecklist.snapshot")
    # let the service worker put the snapshot back (the next "with" run needs it)
    expect(page.locator("#esrok-status")).to_contain_text("works offline", timeout=TIMEOUT_MS)
    if not snapshot:
        snap = page.evaluate("() => window.__esrokChecklist.boot.snapshot.url")
        page.evaluate("""async (u) => { for (let i = 0; i < 1200; i++) { if (await caches.match(u)) return;
            await new Promise((r) => setTimeout(r, 100)); } }""", url + snap)
    return {"result": result, "ready": ready, "snapshot": used, "bytes": counter.take()}


def measure_bare(page, url, counter):
    from playwright.sync_api import expect

    counter.take()
    page.goto(url + "__bench/bare.html")
    expect(page.locator("#state")).to_have_text("ready", timeout=TIMEOUT_MS)
    (ready,) = marks(page, "bare:ready")
    phases = page.evaluate("() => Object.fromEntries(Object.entries(window.__phases)"
                           ".map(([k, v]) => [k, v - performance.timeOrigin]))")
    return {"ready": ready, "bytes": counter.take(), "phases": phases}


def run(args) -> None:
    from playwright.sync_api import sync_playwright

    port = args.port or free_port()
    url = f"http://127.0.0.1:{port}/"
    tmp = Path(tempfile.mkdtemp(prefix="esrok-bench-"))
    modes = [False, True] if args.both else [args.compressed]
    try:
        site = Path(args.site) if args.site else tmp / "site"
        if not args.site:
            print(f"building the site for {url} ...", flush=True)
            build(site, url)
        counter = Counter()
        boot = json.loads(re.search(r'id="esrok-boot">(.*?)</script>',
                                    (site / TOOL / "index.html").read_text(encoding="utf-8")).group(1))
        worker = BARE_WORKER.replace("INDEX_URL", boot["pyodide"]["indexURL"]).encode()
        cls = type("H", (Handler,), {"counter": counter, "bare_worker": worker})
        handler = functools.partial(cls, directory=str(site))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        with sync_playwright() as p:
            def ctx(profile, **options):
                return p.chromium.launch_persistent_context(str(profile), executable_path=CHROMIUM,
                                                            args=ARGS, headless=True, **options)
            for compressed in modes:
                cls.compressed = compressed
                tag = "compressed" if compressed else "plain"
                names = ["tool-cold", "tool-warm", "bare-cold", "bare-warm", "reader", "returning-snapshot",
                         "returning-no-snapshot", "picker"] + (["tool-prefetched"] if args.prefetch else [])
                results = {k: [] for k in names}
                if args.picker_only:
                    for i in range(args.runs):
                        c = ctx(tmp / f"picker-{tag}-{i}")
                        results["picker"].append(measure_picker(c.new_page(), url, counter))
                        c.close()
                    report_picker(results["picker"], args.runs)
                    continue
                warm_tool, warm_bare = tmp / f"warm-tool-{tag}", tmp / f"warm-bare-{tag}"
                returning = tmp / f"returning-{tag}"
                for profile, fn in ((warm_tool, measure_tool), (warm_bare, measure_bare)):  # prime the warm profiles
                    c = ctx(profile)
                    fn(c.new_page(), url, counter)
                    c.close()
                c = ctx(returning)
                results["cache"] = save_plan(c.new_page(), url)  # Cache Storage after one use
                c.close()
                for i in range(args.runs):
                    # Interleave tool and bare so background load affects both alike.
                    plan = [("tool-cold", measure_tool, tmp / f"cold-tool-{tag}-{i}", {}),
                            ("bare-cold", measure_bare, tmp / f"cold-bare-{tag}-{i}", {}),
                            ("tool-warm", measure_tool, warm_tool, {}),
                            ("bare-warm", measure_bare, warm_bare, {}),
                            ("returning-snapshot", functools.partial(measure_returning, snapshot=True), returning, {}),
                            ("returning-no-snapshot", functools.partial(measure_returning, snapshot=False), returning, {}),
                            ("reader", measure_reader, tmp / f"reader-{tag}-{i}", PHONE),
                            ("picker", measure_picker, tmp / f"picker-{tag}-{i}", {})]
                    if args.prefetch:
                        plan.append(("tool-prefetched", measure_prefetched, tmp / f"prefetch-{tag}-{i}", {}))
                    for name, fn, profile, options in plan:
                        c = ctx(profile, **options)
                        results[name].append(fn(c.new_page(), url, counter))
                        c.close()
                    print(f"[{tag}] run {i + 1}/{args.runs} done", flush=True)
                print(f"\n=== server: {'precompressed .br/.gz siblings honoured (Accept-Encoding)' if compressed else 'uncompressed'} ===")
                report(results, args.runs)
        server.shutdown()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def report_picker(rows, runs) -> None:
    keys = [k for r in rows for k in r["keys"]]
    print(f"service picker (quick check, fresh profile, medians of {runs} runs): first results {med(rows, 'first'):.0f} ms "
          f"after navigation start (the picker is made at {med(rows, 'shown'):.0f} ms, its field clicked at {med(rows, 'click'):.0f} ms; "
          f"{med(rows, 'from_click'):.0f} ms from the first click, which fetches the catalogue); "
          f"per keystroke ({len(keys)} keys of {', '.join(repr(q) for q in PICKER_QUERIES)}): median "
          f"{statistics.median(keys):.1f} ms, 90th percentile {statistics.quantiles(keys, n=10)[-1]:.1f} ms, "
          f"max {max(keys):.1f} ms (target <= 16 ms)")


def med(rows, key):
    return statistics.median(r[key] for r in rows)


def report(results, runs) -> None:
    load = os.getloadavg()[0]
    print(f"\nRecovery checklist, Debian Chromium, medians of {runs} runs (load average {load:.1f} on "
          f"{os.cpu_count()} cores; other processes share the CPU)")
    print(f"{'':6} {'form interactive':>17} {'engine ready':>13} {'bare loadPyodide':>17} {'ratio':>6} "
          f"{'submit->result':>15} {'edit->result':>13} {'bytes (tool)':>13} {'bytes (bare)':>13}")
    for mode in ("cold", "warm"):
        t, b = results[f"tool-{mode}"], results[f"bare-{mode}"]
        ratio = med(t, "ready") / med(b, "ready")
        print(f"{mode:6} {med(t, 'form'):>14.0f} ms {med(t, 'ready'):>10.0f} ms {med(b, 'ready'):>14.0f} ms "
              f"{ratio:>6.2f} {med(t, 'submit'):>12.1f} ms {med(t, 'edit'):>10.1f} ms {med(t, 'bytes'):>13,.0f} "
              f"{med(b, 'bytes'):>13,.0f}")
    print("targets: form interactive <= 200 ms; submit->result <= 50 ms; engine ready / bare <= 0.7; "
          "edit->result <= 100 ms")
    used = [r.get("stdlib") for mode in ("cold", "warm") for r in results[f"tool-{mode}"]]
    print("tool stdlib: " + ", ".join(f"{k} x{used.count(k)}" for k in sorted(set(map(str, used))))
          + " (bare: Pyodide's stock python_stdlib.zip)")
    for mode in ("cold", "warm"):
        snaps = [r.get("snapshot") for r in results[f"tool-{mode}"]]
        print(f"tool {mode} snapshot: " + ", ".join(f"{k} x{snaps.count(k)}" for k in sorted(set(map(str, snaps)))))
    if "tool-prefetched" in results:
        t = results["tool-prefetched"]
        print(f"prefetched (home page, tool card in view, first; then the tool): form {med(t, 'form'):.0f} ms, engine "
              f"ready {med(t, 'ready'):.0f} ms (ratio to bare cold {med(t, 'ready') / med(results['bare-cold'], 'ready'):.2f}, "
              f"to bare warm {med(t, 'ready') / med(results['bare-warm'], 'ready'):.2f}), "
              f"bytes cached on the home page {med(t, 'prefetched'):,.0f}, bytes for the tool visit "
              f"{med(t, 'bytes'):,.0f}")
    r = results["reader"]
    print(f"reader (fresh 390x844 profile, a post, {READER_IDLE_S} s idle): {med(r, 'bytes'):,.0f} bytes in all "
          f"(max {max(x['bytes'] for x in r):,}), {med(r, 'checker'):,.0f} bytes of Pyodide and the engine "
          f"(max {max(x['checker'] for x in r):,}); targets <= 1,000,000 and 0")
    w, wo = results["returning-snapshot"], results["returning-no-snapshot"]
    print(f"returning user (saved plan, reopen the tool; ms from navigation to the first result): with the snapshot "
          f"{med(w, 'result'):.0f} ms (engine ready {med(w, 'ready'):.0f}), without {med(wo, 'result'):.0f} ms "
          f"(engine ready {med(wo, 'ready'):.0f}); with/without {med(w, 'result') / med(wo, 'result'):.2f}; "
          f"snapshot used: {sorted(set(x['snapshot'] for x in w))}, not: {sorted(set(x['snapshot'] for x in wo))}")
    report_picker(results["picker"], runs)
    cache = results["cache"]
    print(f"Cache Storage after one use of the checker: {sum(cache.values()):,} bytes (target <= 16,777,216): "
          + ", ".join(f"{k.rsplit('-', 1)[0] if k != 'esrok-pages' else k} {v:,}" for k, v in sorted(cache.items())))
    print("\nboot phases, ms from navigation start (medians):")
    for name, rows in results.items():
        if not isinstance(rows, list) or "phases" not in rows[0]:
            continue
        keys = list(rows[0]["phases"])
        print(f"  {name:10} " + ", ".join(f"{k} {statistics.median(r['phases'][k] for r in rows):.0f}" for k in keys))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--site", help="use an existing build (built with SITE_URL=http://127.0.0.1:PORT/)")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--compressed", action="store_true",
                    help="serve the precompressed .br/.gz siblings when the browser accepts them")
    ap.add_argument("--both", action="store_true", help="run uncompressed, then --compressed, in one invocation")
    ap.add_argument("--picker-only", action="store_true",
                    help="measure only the service picker on the tool page (first results, per keystroke)")
    ap.add_argument("--prefetch", action="store_true",
                    help="also measure the tool after the home page cached the checker (fresh profile)")
    args = ap.parse_args()
    if args.runs < 5:
        sys.exit("--runs must be at least 5 (medians of at least 5 runs)")
    if args.site and not args.port:
        sys.exit("--site needs --port (the port the site was built for)")
    t0 = time.time()
    run(args)
    print(f"(benchmark took {time.time() - t0:.0f} s)")


if __name__ == "__main__":
    main()
