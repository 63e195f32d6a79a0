"""Offline: after one online visit, the service worker serves the tool and the engine computes."""
from __future__ import annotations

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
        expect(page.locator("#esrok-summary")).to_contain_text("blockers to fix first", timeout=BOOT_TIMEOUT_MS)
    finally:
        context.close()


def test_other_pages_never_download_the_runtime(playwright, site_server, tmp_path):
    """A reader of the home page gets the service worker, but not Pyodide's 14 MB."""
    context = persistent_context(playwright, tmp_path / "profile")
    fetched = []
    context.on("request", lambda r: fetched.append(r.url))
    try:
        page = context.pages[0] if context.pages else context.new_page()
        page.goto(site_server.url)
        cached = page.evaluate("""async () => {
            const reg = await navigator.serviceWorker.ready;
            const keys = await caches.keys();
            const c = await caches.open(keys.find(k => k.startsWith('esrok-')));
            return (await c.keys()).map(r => new URL(r.url).pathname);
        }""")
        assert "/tools/recovery-checklist/" in cached  # the tool page itself is precached (small)
        assert not [p for p in cached if "/assets/pyodide/" in p or p.endswith(".whl")]
        assert not [u for u in fetched if "/assets/pyodide/" in u or u.endswith(".whl")]
    finally:
        context.close()
