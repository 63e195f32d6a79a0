"""Offline and bytes: readers download the checker only on a sign of intent, never under Save-Data;
the checker's cache stays bounded; visited pages stay readable offline; other pages get the
offline page; the checker keeps working offline."""
from __future__ import annotations

import os
import re
import shutil

import pytest
from playwright.sync_api import expect

from browser_support import (
    BOOT_TIMEOUT_MS, CACHE_SIZES, CACHED_PATHS, SMS_ONLY, TOOL, answer_quick, persistent_context, wait_ready_state)

pytestmark = pytest.mark.browser

CHECKER_FILE = re.compile(r"/assets/(pyodide|engine)/|/assets/esrok/services\.|checklist")
CATALOGUE = re.compile(r"/assets/esrok/services\.[0-9a-f]{12}\.json$")   # the service picker's data
POST = "blog/2fa-backup-codes-and-recovery-planning/"
OFFLINE_PROBE = "() => fetch('never-visited.html').then(r => 'network ' + r.status, () => 'offline')"
SW_READY = """async () => {  // the service worker is installed (offline page precached) and controls the page
    const reg = await navigator.serviceWorker.ready;
    for (let i = 0; i < 600 && !navigator.serviceWorker.controller; i++) await new Promise(r => setTimeout(r, 50));
    return [reg.active.state, !!navigator.serviceWorker.controller];
}"""


# How the service worker's static route served the page's own request (Chromium's resource timing).
ROUTED = "() => { const n = performance.getEntriesByType('navigation')[0]; return [n.workerMatchedSourceType, n.workerFinalSourceType]; }"
KEPT = """async (path) => {  // wait until the service worker has kept this page for offline reading
    const c = await caches.open('esrok-pages');
    for (let i = 0; i < 600; i++) {
        if (await c.match(new URL(path, location.href).href)) return true;
        await new Promise(r => setTimeout(r, 50));
    }
    return false;
}"""


def test_tool_works_offline_after_one_visit_and_its_cache_is_bounded(playwright, site_server, tmp_path):
    context = persistent_context(playwright, tmp_path / "profile")
    try:
        page = context.pages[0] if context.pages else context.new_page()
        page.goto(site_server.url + TOOL)
        wait_ready_state(page)
        # Once the checker has run, the root service worker keeps Pyodide and the engine.
        expect(page.get_by_role("status").filter(has_text="It now also works offline on this device.")
               ).to_be_visible(timeout=BOOT_TIMEOUT_MS)
        cached = page.evaluate(CACHED_PATHS)
        assert any(p.endswith("/pyodide.asm.wasm") for p in cached) and "/tools/recovery-checklist/" in cached
        assert any(p.endswith(".whl") for p in cached) and any(p.endswith(".bin") for p in cached)
        assert [p for p in cached if CATALOGUE.search(p)]   # the picker's catalogue, cached with the engine
        assert page.evaluate("() => navigator.serviceWorker.ready.then(r => r.scope)") == site_server.url
        # Bounded: after one use everything the site keeps is at most 16 MB (the snapshot and the
        # wasm are stored gzip-compressed).
        sizes = page.evaluate(CACHE_SIZES)
        assert sum(sizes.values()) <= 16 * 1024 * 1024, sizes
        assert sorted(re.sub(r"-[0-9a-f]{12}$", "", k) for k in sizes) == [
            "esrok-engine", "esrok-offline", "esrok-runtime", "esrok-snapshot", "esrok-tool"]

        context.set_offline(True)
        assert page.evaluate(OFFLINE_PROBE) == "offline"  # the network really is gone
        page.reload()
        wait_ready_state(page)
        answer_quick(page, SMS_ONLY)
        expect(page.locator("#esrok-summary")).to_contain_text("to fix first", timeout=BOOT_TIMEOUT_MS)
    finally:
        context.close()


def test_a_reader_of_a_post_downloads_no_checker_until_a_sign_of_intent(playwright, site_server, tmp_path):
    """Phone-sized, fresh profile: reading a post fetches nothing of the checker; pointing at the
    post's tool button is a sign of intent, and then the checker is cached for a warm, offline start."""
    context = persistent_context(playwright, tmp_path / "profile", viewport={"width": 390, "height": 844},
                                 has_touch=True, is_mobile=True)
    fetched = []
    context.on("request", lambda r: fetched.append(r.url))
    try:
        page = context.pages[0] if context.pages else context.new_page()
        page.goto(site_server.url + POST)
        assert page.evaluate(SW_READY) == ["activated", True]
        cached = page.evaluate(CACHED_PATHS)
        assert "/offline/" in cached  # installed for every reader: a few hundred KB
        assert not [p for p in cached if CHECKER_FILE.search(p)]
        assert not [u for u in fetched if CHECKER_FILE.search(u)]
        assert page.locator("html").get_attribute("data-esrok-prefetch") is None

        page.get_by_role("link", name="Open related tool: Recovery checklist").hover()
        expect(page.locator("html")).to_have_attribute("data-esrok-prefetch", "cached", timeout=BOOT_TIMEOUT_MS)
        cached = page.evaluate(CACHED_PATHS)
        assert any(p.endswith("/pyodide.asm.wasm") for p in cached) and any(p.endswith(".whl") for p in cached)
        assert "/tools/recovery-checklist/" in cached
        assert [p for p in cached if CATALOGUE.search(p)]   # the picker then works offline too
        assert not [p for p in cached if p.endswith(".bin")]  # the snapshot only after a use

        context.set_offline(True)
        page.goto(site_server.url + TOOL)
        wait_ready_state(page)
        answer_quick(page, SMS_ONLY)
        expect(page.locator("#esrok-summary")).to_contain_text("thing to fix first: Print backup codes", timeout=BOOT_TIMEOUT_MS)
    finally:
        context.close()


def test_reduced_data_readers_never_download_the_checker(playwright, site_server, tmp_path):
    """With Save-Data on, even the tool's card in view on the home page downloads nothing of it."""
    context = persistent_context(playwright, tmp_path / "profile")
    # What Chromium reports when the reader has turned on a data saver.
    context.add_init_script("Object.defineProperty(Navigator.prototype, 'connection', "
                            "{get: () => ({saveData: true, effectiveType: '4g'})});")
    fetched = []
    context.on("request", lambda r: fetched.append(r.url))
    try:
        page = context.pages[0] if context.pages else context.new_page()
        page.goto(site_server.url)
        expect(page.get_by_role("link", name="Run the recovery checklist")).to_be_in_viewport()
        expect(page.locator("html")).to_have_attribute("data-esrok-prefetch", "skipped", timeout=BOOT_TIMEOUT_MS)
        page.get_by_role("link", name="Run the recovery checklist").hover()
        cached = page.evaluate(CACHED_PATHS)
        assert not [p for p in cached if CHECKER_FILE.search(p)]
        assert not [u for u in fetched if CHECKER_FILE.search(u)]
    finally:
        context.close()


def test_the_tool_card_in_view_on_the_home_page_caches_the_checker(playwright, site_server, tmp_path):
    """Without reduced data, the home page's tool card scrolling into view is a sign of intent: the
    checker (not the snapshot) is cached, and the tool then boots with no network at all."""
    context = persistent_context(playwright, tmp_path / "profile")
    try:
        page = context.pages[0] if context.pages else context.new_page()
        page.goto(site_server.url)
        expect(page.locator("html")).to_have_attribute("data-esrok-prefetch", "cached", timeout=BOOT_TIMEOUT_MS)
        cached = page.evaluate(CACHED_PATHS)
        assert any(re.search(r"/python_stdlib\.[0-9a-f]{12}\.zip$", p) for p in cached)
        assert any(p.endswith("/pyodide.asm.mjs") for p in cached)
        # The 31 MB memory snapshot is for people who use the tool, never an intent prefetch.
        assert not [p for p in cached if re.search(r"/snapshot\.[0-9a-f]+\.bin$", p)]

        context.set_offline(True)
        assert page.evaluate(OFFLINE_PROBE) == "offline"
        page.goto(site_server.url + TOOL)
        wait_ready_state(page)
        answer_quick(page, SMS_ONLY)
        expect(page.locator("#esrok-summary")).to_contain_text("to fix first", timeout=BOOT_TIMEOUT_MS)
    finally:
        context.close()


def test_visited_pages_stay_readable_offline_and_others_get_the_offline_page(playwright, site_server, tmp_path):
    context = persistent_context(playwright, tmp_path / "profile", viewport={"width": 390, "height": 844})
    try:
        page = context.pages[0] if context.pages else context.new_page()
        page.goto(site_server.url + "security/")
        assert page.evaluate(SW_READY) == ["activated", True]
        assert page.evaluate(KEPT, "/security/") is True  # read before the service worker was installed
        page.goto(site_server.url + POST)
        expect(page.get_by_role("heading", level=1)).to_contain_text("2FA Backup Codes and Recovery Planning")
        # A controlled navigation races the network against the worker, so it never waits for the
        # worker to start; online the network answers.
        assert page.evaluate(ROUTED) == ["race-network-and-fetch-handler", "network"]
        page.goto(site_server.url + "about/")
        assert page.evaluate(KEPT, "/about/") is True
        context.set_offline(True)
        assert page.evaluate(OFFLINE_PROBE) == "offline"

        page.goto(site_server.url + POST)  # visited: read from the cache, styled as online
        expect(page.get_by_role("heading", level=1)).to_contain_text("2FA Backup Codes and Recovery Planning")
        expect(page.locator(".md-header")).to_be_visible()

        failed = []
        page.on("requestfailed", lambda r: failed.append(r.url))
        page.goto(site_server.url + "blog/")  # never visited: the offline page says so
        expect(page).to_have_url(re.compile(r"/offline/\?from=%2Fblog%2F$"))
        expect(page.get_by_role("heading", level=1)).to_contain_text("You are offline")
        expect(page.locator(".md-content p").first).to_have_text(
            "The page you asked for (/blog/) is not saved on this device, and there is no connection to fetch it. "
            "It will open again once you are back online.")
        saved = page.locator("#esrok-offline-pages")
        expect(saved).to_contain_text("These pages are saved on this device, most recently read first:")
        links = saved.get_by_role("link")
        # most recently read first (the post was just read again offline); the first page, read
        # before the service worker was installed, is kept too
        expect(links).to_have_text(["2FA Backup Codes and Recovery Planning", "About Esrok and our editorial policy",
                                    "Security"])
        expect(page.locator(".md-content").get_by_role("link", name="recovery checklist", exact=True)).to_have_attribute(
            "href", re.compile(r"tools/recovery-checklist/$"))
        for width, height in ((390, 844), (1280, 900)):
            page.set_viewport_size({"width": width, "height": height})
            page.screenshot(path=str(tmp_path / f"offline-{width}.png"), full_page=True)
        shots = os.environ.get("ESROK_SCREENSHOTS")
        if shots:
            for f in tmp_path.glob("offline-*.png"):
                shutil.copy(f, shots)
        # the page's own styles and scripts came from the cache (search's worker and index, and
        # Material's sitemap for instant navigation, are not kept)
        assert [u for u in failed if u.endswith((".css", ".js")) and "search" not in u] == []
        links.first.click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("2FA Backup Codes and Recovery Planning")
    finally:
        context.close()


def test_visited_pages_are_kept_least_recently_used_first_out(playwright, site_server, tmp_path):
    """The same service worker with room for 3 pages (the real bound is 50 pages or 5 MB)."""
    small = tmp_path / "site"
    shutil.copytree(site_server.dir, small, copy_function=os.link)
    sw = small / "sw.js"
    text = sw.read_text()
    assert '"max": 50,' in text
    sw.unlink()
    sw.write_text(text.replace('"max": 50,', '"max": 3,'))
    from site_support import serve

    with serve(small) as url:
        context = persistent_context(playwright, tmp_path / "profile")
        try:
            page = context.pages[0] if context.pages else context.new_page()
            page.goto(url + "index.html")
            assert page.evaluate(SW_READY) == ["activated", True]
            for path in ("security/", POST, "tools/", "about/", "blog/"):
                page.goto(url + path)
            pages = """async () => {  // the kept pages, oldest first, once the last visit is stored
                const c = await caches.open('esrok-pages');
                for (let i = 0; i < 600; i++) {
                    const out = [];
                    for (const k of await c.keys()) if ((await c.match(k)).headers.get('x-esrok-kind') === 'page')
                        out.push(new URL(k.url).pathname);
                    if (out[out.length - 1] === '/blog/') return out;
                    await new Promise(r => setTimeout(r, 50));
                }
                return null;
            }"""
            assert page.evaluate(pages) == ["/tools/", "/about/", "/blog/"]
        finally:
            context.close()
