"""Accessibility (axe-core from node_modules) and the printable kit."""
from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from browser_support import BOOT_TIMEOUT_MS, SMS_ONLY, TOOL, answer_quick, wait_ready_state

pytestmark = pytest.mark.browser
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


def a_post_url(site) -> str:
    posts = sorted(p for p in (site.dir / "blog").rglob("index.html")
                   if 'property="og:type" content="article"' in p.read_text())
    assert posts, "no blog post in the built site"
    return site.url + posts[0].relative_to(site.dir).parent.as_posix() + "/"


def serious_violations(page: Page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:5]}"
            for v in result["violations"] if v["impact"] in ("serious", "critical")]


@pytest.fixture
def axe_page(browser):
    # axe is injected as an inline script, which the tool page's CSP (correctly) forbids.
    context = browser.new_context(bypass_csp=True)
    yield context.new_page()
    context.close()


def test_axe_home_post_and_tool_page(axe_page: Page, site_server):
    problems = {}
    for url in (site_server.url, a_post_url(site_server)):
        axe_page.goto(url)
        problems[url] = serious_violations(axe_page)
    axe_page.goto(site_server.url + TOOL)
    wait_ready_state(axe_page)
    answer_quick(axe_page, SMS_ONLY)  # check the page with results, inventory and kit rendered
    expect(axe_page.locator("#esrok-summary")).to_contain_text("to fix first", timeout=BOOT_TIMEOUT_MS)
    axe_page.get_by_role("button", name="Refine this as a full inventory").click()
    expect(axe_page.locator("fieldset[data-account]").first).to_be_visible()
    problems["tool"] = serious_violations(axe_page)
    assert problems == {k: [] for k in problems}


def test_print_shows_the_recovery_kit_only(page: Page, site_server):
    page.goto(site_server.url + TOOL)
    wait_ready_state(page)
    answer_quick(page, SMS_ONLY)
    expect(page.locator("#esrok-summary")).to_contain_text("to fix first", timeout=BOOT_TIMEOUT_MS)
    page.get_by_role("button", name="Refine this as a full inventory").click()
    kit = page.locator("#esrok-kit")
    expect(kit.get_by_role("heading", name="Main email (Email, critical)")).to_be_visible(timeout=BOOT_TIMEOUT_MS)
    page.emulate_media(media="print")
    expect(kit.get_by_role("heading", name="Your recovery kit")).to_be_visible()
    expect(kit.get_by_role("heading", name="Main email (Email, critical)")).to_be_visible()
    expect(kit).to_contain_text("Backup codes")
    expect(kit).to_contain_text("If a device is lost, first")
    expect(page.locator("#esrok-quick")).to_be_hidden()
    expect(page.locator("#esrok-results")).to_be_hidden()
    expect(page.get_by_role("button", name="Print kit")).to_be_hidden()
    page.emulate_media(media="screen")
    expect(page.locator("#esrok-quick")).to_be_visible()
