"""Quick check in real Chromium: answered by label, as a person would, and by keyboard alone."""
from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from browser_support import (BOOT_TIMEOUT_MS, SMS_ONLY, WELL_PREPARED, answer_quick, engine_quick, open_tool,
                      wait_ready_state)

pytestmark = pytest.mark.browser


def blockers_region(page: Page):
    return page.get_by_role("region", name="Fix first: blockers")


def test_sms_only_profile_shows_the_expected_top_blocker(page: Page, site_server):
    expected = engine_quick(SMS_ONLY)
    top = next(a for a in expected["actions"] if a["tier"] == "blocker")
    open_tool(page, site_server.url, wait_ready=False)
    # Submitted straight away: the worker queues it until the engine is ready.
    answer_quick(page, SMS_ONLY)
    summary = page.locator("#esrok-summary")
    n = sum(a["tier"] == "blocker" for a in expected["actions"])
    m = expected["measures"]
    expect(summary).to_have_text(f"Protection {m['protection']['value']}, Recoverability {m['recoverability']['value']} "
                                 f"out of 100. {n} blocker{'' if n == 1 else 's'} to fix first; top: {top['title']}.",
                                 timeout=BOOT_TIMEOUT_MS)
    first = blockers_region(page).get_by_role("listitem").first
    expect(first).to_contain_text(top["title"])
    expect(first).to_contain_text("Why: " + top["why"])
    expect(first).to_contain_text("Source: " + top["source"])
    # Both measures with their explanation, and the questions left unanswered.
    for key in ("protection", "recoverability"):
        expect(page.locator(f"[data-measure={key}]")).to_contain_text(m[key]["explanation"])
    expect(page.get_by_role("heading", name="Questions you skipped")).to_be_visible()
    # The loss table and chains are there too.
    expect(page.get_by_role("table", name="What each loss would do to your accounts")).to_be_visible()
    expect(page.get_by_role("rowheader", name="If you lose your phone (lost or stolen)")).to_be_visible()


def test_well_prepared_profile_has_no_blocker(page: Page, site_server):
    expected = engine_quick(WELL_PREPARED)
    assert not [a for a in expected["actions"] if a["tier"] == "blocker"]
    open_tool(page, site_server.url)
    answer_quick(page, WELL_PREPARED)
    m = expected["measures"]
    expect(page.locator("#esrok-summary")).to_contain_text(
        f"Protection {m['protection']['value']}, Recoverability {m['recoverability']['value']} out of 100. No blockers.",
        timeout=BOOT_TIMEOUT_MS)
    expect(blockers_region(page)).to_have_count(0)


def test_no_answer_is_pre_selected_and_not_sure_is_offered(page: Page, site_server):
    open_tool(page, site_server.url, wait_ready=False)
    form = page.locator("#esrok-quick")
    expect(form.locator("input[type=radio]:checked")).to_have_count(0)
    for question in ("Does your SIM card ask for a PIN when the phone restarts?",
                     "Does your mobile account have a PIN or number-transfer (port-out) lock?"):
        expect(page.get_by_role("group", name=question).get_by_label("Not sure", exact=True)).to_be_visible()


def test_keyboard_only_quick_check(page: Page, site_server):
    """Tab into each question, Space/arrows to choose, Enter on the button: no mouse at all."""
    open_tool(page, site_server.url)
    form = page.locator("#esrok-quick")
    # From the top of the page, Tab until focus reaches the first radio of the form.
    for _ in range(250):
        page.keyboard.press("Tab")
        if page.evaluate("() => !!document.activeElement.closest('#esrok-quick')"):
            break
    else:
        pytest.fail("Tab never reached the quick-check form")
    wanted = {"What do you use as the second step when you sign in?": "A code sent by text message",
              "Where are this account's backup codes?": "I never saved any"}
    for fieldset in form.locator("fieldset").all():
        legend = fieldset.locator("legend").inner_text()
        if legend in wanted:
            target = fieldset.get_by_label(wanted[legend], exact=True)
            for _ in range(10):
                if target.evaluate("el => el === document.activeElement"):
                    break
                page.keyboard.press("ArrowDown")
            page.keyboard.press("Space")
            expect(target).to_be_checked()
        page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Check my recovery")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#esrok-summary")).to_contain_text("blocker", timeout=BOOT_TIMEOUT_MS)
    # Focus is visible: the focused control has an outline.
    outline = page.get_by_role("button", name="Check my recovery").evaluate(
        "el => getComputedStyle(el).outlineStyle")
    assert outline != "none"
