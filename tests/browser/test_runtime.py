"""The worker runtime: instant navigation, one worker per tab, a clear timeout, no-JS fallback."""
from __future__ import annotations

import io
import re
import zipfile

import pytest
from playwright.sync_api import Page, expect

from browser_support import BOOT_TIMEOUT_MS, SMS_ONLY, TOOL, answer_quick, boot_config, open_tool, wait_ready_state

pytestmark = pytest.mark.browser


def checklist_workers(page: Page) -> int:
    return sum("checklist-worker.js" in w.url for w in page.workers)


def test_instant_navigation_boots_once_and_keeps_one_worker(page: Page, site_server):
    page.goto(site_server.url)
    page.evaluate("() => { window.__esrokSamePage = true; }")
    page.get_by_role("navigation").get_by_role("link", name="Tools", exact=True).first.click()
    page.locator("article").get_by_role("link", name="Recovery checklist").first.click()
    expect(page).to_have_url(site_server.url + TOOL)
    wait_ready_state(page)
    assert page.evaluate("() => window.__esrokSamePage") is True  # Material's instant navigation, no reload
    # Styled: Material merges the new page's <head> into the current one, which adds the tool's stylesheets.
    expect(page.locator(".esrok-private")).to_have_css("border-left-style", "solid")
    expect(page.locator(".esrok-bar")).to_have_css("position", "sticky")
    answer_quick(page, SMS_ONLY)
    expect(page.locator("#esrok-summary")).to_contain_text("to fix first", timeout=BOOT_TIMEOUT_MS)
    assert checklist_workers(page) == 1

    # Away and back again: the same worker answers at once, no second boot.
    page.get_by_role("navigation").get_by_role("link", name="Home", exact=True).first.click()
    expect(page.locator("#esrok-checker")).to_have_count(0)
    page.go_back()
    expect(page.locator("#esrok-checker")).to_have_count(1)
    assert page.evaluate("() => window.__esrokSamePage") is True
    expect(page.get_by_role("status").filter(has_text="The checker is ready")).to_be_visible()
    answer_quick(page, SMS_ONLY)
    expect(page.locator("#esrok-summary")).to_contain_text("to fix first", timeout=BOOT_TIMEOUT_MS)
    assert checklist_workers(page) == 1


MARKS = """() => Object.fromEntries(performance.getEntriesByType('mark').filter(m => m.name.startsWith('esrok:'))
    .map(m => [m.name, m.startTime]))"""


def test_worker_starts_after_the_form_for_a_newcomer_and_at_once_for_a_saved_plan(page: Page, site_server):
    """A newcomer answers questions first, so the worker (and Pyodide's downloads) waits until the
    quick check is usable; a person with a saved plan waits for its result, so their engine boots
    from <head>, before the page's script has run."""
    open_tool(page, site_server.url)
    marks = page.evaluate(MARKS)
    assert marks["esrok:form-interactive"] <= marks["esrok:worker-created"] <= marks["esrok:worker-booted"], marks

    page.evaluate("() => localStorage.setItem('esrok.recovery-plan', JSON.stringify({version: 1, accounts: []}))")
    page.reload()
    wait_ready_state(page)
    marks = page.evaluate(MARKS)
    assert marks["esrok:worker-created"] <= marks["esrok:worker-booted"] < marks["esrok:app-run"], marks
    assert marks["esrok:app-run"] < marks["esrok:form-interactive"], marks


def test_engine_is_warmed_once_after_ready_unless_a_request_came_first(page: Page, site_server):
    """The engine's first call is slow (its code not yet optimised), so the worker makes it once
    after ready, in the background; a person whose request was queued before ready already paid it."""
    warmed = "() => window.__esrokChecklist && window.__esrokChecklist.warmed"
    open_tool(page, site_server.url, wait_ready=False)
    answer_quick(page, SMS_ONLY)   # a first visit boots for seconds: this request is queued and answered first
    expect(page.locator("#esrok-summary")).to_contain_text("out of 100", timeout=BOOT_TIMEOUT_MS)
    page.wait_for_function(f"() => ({warmed})() !== undefined")
    assert page.evaluate(warmed) is None

    page.reload()   # nobody asks anything this time: the engine is warmed once it is ready
    wait_ready_state(page)
    page.wait_for_function(f"() => ({warmed})() !== undefined")
    assert page.evaluate(warmed) > 0


def test_worker_gives_up_with_a_clear_message_when_wasm_is_served_wrong(page: Page, site_server):
    def wrong_mime(route):
        response = route.fetch()
        route.fulfill(response=response, headers={**response.headers, "content-type": "text/plain"})

    def short_timeout(route):
        # A 6 s timeout in the boot configuration; changing the inline boot script invalidates its
        # CSP hash, so this also exercises the fallback where checklist/worker-client.js starts the worker itself.
        response = route.fetch()
        body = response.text()
        assert body.count('"bootMs": 120000') == 1 and "b.build = config.build;" in body
        route.fulfill(response=response, body=body.replace('"bootMs": 120000', '"bootMs": 6000')
                      .replace("b.build = config.build;", "b.build = config.build; "))

    page.route("**/pyodide.asm.wasm", wrong_mime)
    page.route(site_server.url + TOOL, short_timeout)
    page.goto(site_server.url + TOOL)
    expect(page.get_by_role("status").filter(has_text="Preparing the checker")).to_be_visible()
    answer_quick(page, SMS_ONLY)  # queued, then answered with the failure
    message = ("The checker could not start within 6 seconds. Your browser may be blocking WebAssembly, "
               "or the site's files are served incorrectly. Reload the page to try again.")
    expect(page.locator("#esrok-status")).to_have_text(message, timeout=BOOT_TIMEOUT_MS)
    expect(page.locator("#esrok-summary")).to_have_text(message)


PRECOMPILED_STDLIB = re.compile(r".*/assets/pyodide/[0-9a-f]{12}/python_stdlib\.[0-9a-f]{12}\.zip$")


def test_worker_boots_from_the_precompiled_stdlib(page: Page, site_server):
    fetched = []
    page.context.on("request", lambda r: fetched.append(r.url))
    open_tool(page, site_server.url)
    assert page.evaluate("() => [window.__esrokChecklist.stdlib, window.__esrokChecklist.stdlibError]") == [
        "precompiled", None]
    boot = boot_config(page)
    trimmed, full = boot["stdlib"], boot["stdlibFull"]
    assert [u for u in fetched if u.endswith("/" + trimmed)]  # the worker's (and the SW's precache)
    assert not [u for u in fetched if u.endswith("/" + full)]  # only on a missed import
    assert not [u for u in fetched if u.endswith("/python_stdlib.zip")]  # stock: fallback only
    answer_quick(page, SMS_ONLY)
    expect(page.locator("#esrok-summary")).to_contain_text("to fix first", timeout=BOOT_TIMEOUT_MS)


@pytest.mark.parametrize("failure", ["missing", "corrupt"])
def test_worker_falls_back_to_the_stock_stdlib_when_the_precompiled_one_fails(page: Page, site_server, failure):
    def broken(route):
        if failure == "missing":
            route.fulfill(status=404, body="not found")
        else:  # the first 64 KiB only: a truncated zip
            route.fulfill(status=200, body=route.fetch().body()[:65536], content_type="application/zip")

    page.route(PRECOMPILED_STDLIB, broken)
    open_tool(page, site_server.url)
    stdlib, error = page.evaluate("() => [window.__esrokChecklist.stdlib, window.__esrokChecklist.stdlibError]")
    assert stdlib == "stock" and error
    answer_quick(page, SMS_ONLY)
    expect(page.locator("#esrok-summary")).to_contain_text("to fix first", timeout=BOOT_TIMEOUT_MS)


def test_form_is_readable_without_javascript(browser, site_server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(site_server.url + TOOL)
        expect(page.get_by_role("status").filter(has_text="The checker needs JavaScript")).to_be_visible()
        group = page.get_by_role("group", name="What do you use as the second step when you sign in?")
        expect(group.get_by_label("A code sent by text message")).to_be_visible()
        expect(page.get_by_role("button", name="Check my recovery")).to_be_visible()
        # Styled without scripts too: Material's stylesheet, the site's (extra.css) and the tool's.
        expect(page.locator("header.md-header")).to_have_css("position", "sticky")
        expect(page.get_by_role("button", name="Check my recovery")).to_have_css("border-radius", "6px")
        expect(page.locator(".esrok-private")).to_have_css("border-left-style", "solid")
    finally:
        context.close()


def test_a_module_missing_from_the_trimmed_stdlib_is_fetched_from_the_full_one(page: Page, site_server):
    """The worker's last-resort import hook (sync XHR in the worker): with difflib taken out
    of the trimmed stdlib, the engine still imports, from the full precompiled stdlib."""
    fetched = []
    # Requests the page and its worker make; when the service worker already controls the page it
    # forwards the worker's request, and Playwright reports that second request too (one download).
    page.context.on("request", lambda r: r.service_worker is None and fetched.append(r.url))

    def without_difflib(route):
        body = route.fetch().body()
        with zipfile.ZipFile(io.BytesIO(body)) as z:
            if "statistics.pyc" in z.namelist():  # the full stdlib: serve it as is
                return route.fulfill(status=200, body=body, content_type="application/zip")
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w") as w:
                for info in z.infolist():
                    if info.filename != "difflib.pyc":
                        w.writestr(info, z.read(info))
        route.fulfill(status=200, body=out.getvalue(), content_type="application/zip")

    page.route(PRECOMPILED_STDLIB, without_difflib)
    open_tool(page, site_server.url)
    assert page.evaluate("() => [window.__esrokChecklist.stdlib, window.__esrokChecklist.stdlibError]") == [
        "precompiled", None]  # no whole-boot fallback
    full = boot_config(page)["stdlibFull"]
    assert len([u for u in fetched if u.endswith("/" + full)]) == 1
    answer_quick(page, SMS_ONLY)
    expect(page.locator("#esrok-summary")).to_contain_text("to fix first", timeout=BOOT_TIMEOUT_MS)


SNAPSHOT_CACHED = """async (u) => {  // the service worker caches the checker (with the snapshot) once it has run
  for (let i = 0; i < 1200; i++) {
    if (await caches.match(u)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}"""
CORRUPT_CACHED = """async ([u, how, other]) => {  // replace u wherever the service worker cached it
  const r = await (other ? fetch(other) : caches.match(u));
  const gz = r.headers.get("x-esrok-stored") === "gzip";  // kept compressed by the service worker
  let b = new Uint8Array(await (gz ? new Response(r.body.pipeThrough(new DecompressionStream("gzip"))) : r).arrayBuffer());
  if (how === "magic") b[0] ^= 0xff;
  else if (how === "build-id") b[20] ^= 0xff;
  else if (how === "truncated") b = b.slice(0, b.length >> 1);
  for (const k of await caches.keys()) {
    const c = await caches.open(k);
    if (await c.match(u)) await c.put(u, new Response(b, { headers: { "Content-Type": "application/octet-stream" } }));
  }
}"""


def _cache_snapshot(page: Page, site_url: str) -> str:
    open_tool(page, site_url)
    assert page.evaluate("() => window.__esrokChecklist.snapshot") == "not cached"  # never on the first visit
    snap = site_url + boot_config(page)["snapshot"]["url"]
    assert page.evaluate(SNAPSHOT_CACHED, snap) is True
    # kept gzip-compressed (CompressionStream): about 5 MB in Cache Storage instead of 31 MB
    stored = page.evaluate("async (u) => { const r = await caches.match(u); "
                           "return [r.headers.get('x-esrok-stored'), (await r.arrayBuffer()).byteLength]; }", snap)
    assert stored[0] == "gzip" and stored[1] < 8_000_000
    return snap


def test_worker_boots_from_the_memory_snapshot_once_it_is_cached(page: Page, site_server):
    _cache_snapshot(page, site_server.url)
    open_tool(page, site_server.url)
    assert page.evaluate("() => [window.__esrokChecklist.snapshot, window.__esrokChecklist.stdlib]") == [
        "used", "precompiled"]
    answer_quick(page, SMS_ONLY)
    expect(page.locator("#esrok-summary")).to_contain_text("to fix first", timeout=BOOT_TIMEOUT_MS)


@pytest.mark.parametrize("how, error", [
    ("magic", "Snapshot has invalid magic number"),
    ("build-id", "Snapshot build id mismatch"),
    ("truncated", None),
    ("other-zip", None),
])
def test_a_bad_snapshot_falls_back_to_a_normal_boot(page: Page, site_server, how, error):
    snap = _cache_snapshot(page, site_server.url)
    if how == "other-zip":  # the snapshot restored next to a stdlib it was not made with
        boot = boot_config(page)
        full, trimmed = boot["stdlibFull"], boot["stdlib"]
        page.evaluate(CORRUPT_CACHED, [site_server.url + trimmed, how, site_server.url + full])
    else:
        page.evaluate(CORRUPT_CACHED, [snap, how, None])
    open_tool(page, site_server.url)
    state, message = page.evaluate("() => [window.__esrokChecklist.snapshot, window.__esrokChecklist.snapshotError]")
    assert state == "failed" and message
    if error:
        assert message.startswith(error)
    answer_quick(page, SMS_ONLY)
    expect(page.locator("#esrok-summary")).to_contain_text("to fix first", timeout=BOOT_TIMEOUT_MS)
