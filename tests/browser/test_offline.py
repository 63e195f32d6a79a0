"""Offline: after one online visit, the service worker serves the tool and the engine computes."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from conftest import BOOT_TIMEOUT_MS, SMS_ONLY, TOOL, answer_quick, persistent_context, wait_ready_state

pytestmark = pytest.mark.browser


def test_tool_works_offline_after_one_visit(playwright, site_server, tmp_path):
    context = persistent_context(playwright, tmp_path / "profile")
    try:
        page = context.pages[0] if context.pages else context.new_page()
        page.goto(site_server.url + TOOL)
        wait_ready_state(page)
        # The root service worker is installed (precache complete) and controls the page.
        scope = page.evaluate("""async () => {
            const reg = await navigator.serviceWorker.ready;
            if (!navigator.serviceWorker.controller) {
              await new Promise(r => navigator.serviceWorker.addEventListener('controllerchange', r, {once: true}));
            }
            return reg.scope;
        }""")
        assert scope == site_server.url
        cached = page.evaluate("""async () => {
            const keys = await caches.keys();
            const c = await caches.open(keys.find(k => k.startsWith('esrok-')));
            return (await c.keys()).map(r => new URL(r.url).pathname);
        }""")
        assert "/assets/pyodide/pyodide.asm.wasm" in cached and "/tools/recovery-checklist/" in cached

        context.set_offline(True)
        probe = "() => fetch('never-visited.html').then(r => 'network ' + r.status, () => 'offline')"
        assert page.evaluate(probe) == "offline"  # the network really is gone
        page.reload()
        wait_ready_state(page)
        answer_quick(page, SMS_ONLY)
        expect(page.locator("#esrok-summary")).to_contain_text("blockers to fix first", timeout=BOOT_TIMEOUT_MS)
    finally:
        context.close()
