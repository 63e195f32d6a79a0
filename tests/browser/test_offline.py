"""Offline: after one online visit, the service worker serves the tool and the engine computes."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from browser_support import BOOT_TIMEOUT_MS, SMS_ONLY, TOOL, answer_quick, persistent_context, wait_ready_state

pytestmark = pytest.mark.browser


def test_tool_works_offline_after_one_visit(playwright, site_server, tmp_path):
    context = persistent_context(playwright, tmp_path / "profile")
    try:
        page = context.pages[0] if context.pages else context.new_page()
        page.goto(site_server.url + TOOL)
        wait_ready_state(page)
        # Once the checker has run, the root service worker keeps Pyodide and the engine.
        expect(page.get_by_role("status").filter(has_text="It now also works offline on this device.")
               ).to_be_visible(timeout=BOOT_TIMEOUT_MS)
        cached = page.evaluate("""async () => {
            const keys = await caches.keys();
            const c = await caches.open(keys.find(k => k.startsWith('esrok-')));
            return (await c.keys()).map(r => new URL(r.url).pathname);
        }""")
        assert "/assets/pyodide/pyodide.asm.wasm" in cached and "/tools/recovery-checklist/" in cached
        assert any(p.startswith("/assets/engine/") for p in cached)
        assert page.evaluate("() => navigator.serviceWorker.ready.then(r => r.scope)") == site_server.url

        context.set_offline(True)
        probe = "() => fetch('never-visited.html').then(r => 'network ' + r.status, () => 'offline')"
        assert page.evaluate(probe) == "offline"  # the network really is gone
        page.reload()
        wait_ready_state(page)
        answer_quick(page, SMS_ONLY)
        expect(page.locator("#esrok-summary")).to_contain_text("to fix first", timeout=BOOT_TIMEOUT_MS)
    finally:
        context.close()


RUNTIME_FILE = re.compile(r"/assets/pyodide/|\.whl$")
CACHED_PATHS = """async () => {
    await navigator.serviceWorker.ready;
    const keys = await caches.keys();
    const c = await caches.open(keys.find(k => k.startsWith('esrok-')));
    return (await c.keys()).map(r => new URL(r.url).pathname);
}"""


def test_reduced_data_readers_never_download_the_runtime(playwright, site_server, tmp_path):
    """With Save-Data on, a reader of the home page gets the service worker, but not Pyodide."""
    context = persistent_context(playwright, tmp_path / "profile")
    # What Chromium reports when the reader has turned on a data saver.
    context.add_init_script("Object.defineProperty(Navigator.prototype, 'connection', "
                            "{get: () => ({saveData: true, effectiveType: '4g'})});")
    fetched = []
    context.on("request", lambda r: fetched.append(r.url))
    try:
        page = context.pages[0] if context.pages else context.new_page()
        page.goto(site_server.url)
        expect(page.locator("html")).to_have_attribute("data-esrok-prefetch", "skipped", timeout=BOOT_TIMEOUT_MS)
        cached = page.evaluate(CACHED_PATHS)
        assert "/tools/recovery-checklist/" in cached  # the tool page itself is precached (small)
        assert not [p for p in cached if RUNTIME_FILE.search(p)]
        assert not [u for u in fetched if RUNTIME_FILE.search(u)]
    finally:
        context.close()


def test_idle_home_page_prefetches_the_runtime_so_the_tool_starts_from_cache(playwright, site_server, tmp_path):
    """Without reduced data, the home page prefetches the runtime (not the snapshot) when idle; the tool then boots
    with no network at all (so zero network bytes for Pyodide, the stdlib and the wheel)."""
    context = persistent_context(playwright, tmp_path / "profile")
    try:
        page = context.pages[0] if context.pages else context.new_page()
        page.goto(site_server.url)
        expect(page.locator("html")).to_have_attribute("data-esrok-prefetch", "cached", timeout=BOOT_TIMEOUT_MS)
        cached = page.evaluate(CACHED_PATHS)
        runtime = [p for p in cached if RUNTIME_FILE.search(p)]
        assert "/assets/pyodide/pyodide.asm.wasm" in runtime and "/assets/pyodide/pyodide.asm.mjs" in runtime
        assert any(re.search(r"/python_stdlib\.[0-9a-f]{12}\.zip$", p) for p in runtime)
        assert any(p.endswith(".whl") for p in runtime)
        # The 31 MB memory snapshot is for people who use the tool, never an article reader's prefetch.
        assert not [p for p in cached if re.search(r"/snapshot\.[0-9a-f]+\.bin$", p)]

        context.set_offline(True)
        probe = "() => fetch('never-visited.html').then(r => 'network ' + r.status, () => 'offline')"
        assert page.evaluate(probe) == "offline"
        page.goto(site_server.url + TOOL)
        wait_ready_state(page)
        answer_quick(page, SMS_ONLY)
        expect(page.locator("#esrok-summary")).to_contain_text("to fix first", timeout=BOOT_TIMEOUT_MS)
    finally:
        context.close()
