"""Privacy: no page of the site ever contacts another origin; the tool page enforces its CSP."""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from browser_support import BOOT_TIMEOUT_MS, SMS_ONLY, TOOL, answer_quick, wait_ready_state

pytestmark = pytest.mark.browser


def site_pages(site) -> list[str]:
    urls = []
    for f in sorted(site.dir.rglob("*.html")):
        rel = f.relative_to(site.dir).as_posix()
        urls.append(site.url + (rel[: -len("index.html")] if rel.endswith("index.html") else rel))
    return urls


def test_every_page_makes_zero_cross_origin_requests(browser, site_server):
    context = browser.new_context()
    seen: list[str] = []
    context.on("request", lambda r: seen.append(r.url))
    page = context.new_page()
    origin = urlsplit(site_server.url)[:2]
    pages = site_pages(site_server)
    assert len(pages) > 10 and site_server.url + TOOL in pages
    try:
        for url in pages:
            page.goto(url, wait_until="load")
            if url.endswith(TOOL):
                wait_ready_state(page)  # include everything the worker fetches
        page.wait_for_load_state("networkidle")
    finally:
        context.close()
    foreign = sorted({u for u in seen if not u.startswith(("data:", "blob:")) and urlsplit(u)[:2] != origin})
    assert foreign == []
    assert len(seen) > len(pages)  # requests really were recorded


def test_tool_page_enforces_its_content_security_policy(page: Page, site_server):
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(site_server.url + TOOL)
    wait_ready_state(page)  # Pyodide runs under the policy ('wasm-unsafe-eval', same-origin worker)
    answer_quick(page, SMS_ONLY)
    expect(page.locator("#esrok-summary")).to_contain_text("to fix first", timeout=BOOT_TIMEOUT_MS)
    assert violations == []  # Material's inline scripts are allowed by hash, nothing else is blocked
    csp = page.locator('meta[http-equiv="Content-Security-Policy"]').get_attribute("content")
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp and "connect-src 'self'" in csp
    try:  # an injected inline script must not run
        page.add_script_tag(content="window.__esrokInjected = true")
    except Exception:
        pass
    assert page.evaluate("() => window.__esrokInjected === true") is False
    assert any("Content Security Policy" in v for v in violations)
