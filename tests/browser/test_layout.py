"""The tool page's layout in real Chromium, at a phone's 390x844 and a desktop's 1280x900: the first
question, all of it, above the fold (and above the sticky progress bar) under the intro and the
privacy note; no horizontal scrolling on the phone, on the first screen, the result or the inventory."""
from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from browser_support import BOOT_TIMEOUT_MS, SMS_ONLY, TOOL, answer_quick, wait_ready_state

pytestmark = pytest.mark.browser
NO_SIDEWAYS = "() => document.documentElement.scrollWidth <= window.innerWidth"


@pytest.mark.parametrize("width, height", [(390, 844), (1280, 900)], ids=["phone", "desktop"])
def test_the_first_question_is_above_the_fold(browser: Browser, site_server, width, height):
    context = browser.new_context(viewport={"width": width, "height": height})
    try:
        page = context.new_page()
        page.goto(site_server.url + TOOL)
        first = page.get_by_role("group", name="Which account would hurt most to lose?")
        expect(first).to_be_in_viewport()
        expect(page.locator(".esrok-private")).to_be_in_viewport()
        box, bar = first.bounding_box(), page.locator(".esrok-bar").bounding_box()
        assert page.evaluate("() => window.scrollY") == 0
        assert box["y"] + box["height"] <= bar["y"] <= height, (box, bar)   # every answer in view, none under the bar
        expect(page.locator("#esrok-progress")).to_be_in_viewport()
        expect(page.get_by_role("button", name="Check my recovery")).to_be_in_viewport()
        assert page.evaluate(NO_SIDEWAYS)
        if width == 390:
            wait_ready_state(page)
            answer_quick(page, SMS_ONLY)
            expect(page.get_by_role("heading", name="Your results")).to_be_focused(timeout=BOOT_TIMEOUT_MS)
            assert page.evaluate(NO_SIDEWAYS)
            page.get_by_role("button", name="Refine this as a full inventory").click()
            expect(page.locator("fieldset[data-account]").first).to_be_visible()
            assert page.evaluate(NO_SIDEWAYS)
    finally:
        context.close()
