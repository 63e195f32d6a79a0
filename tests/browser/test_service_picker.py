"""The service picker (service-picker.js + partials/service-picker.html) in real Chromium.

A small harness page (fixtures/service_picker/) is rendered with the real partial and served
with the real modules and the real trimmed catalogue (esrok_recovery.catalogue.browser_asset of
the project's data). Elements are found by role and name; waits are expect() only.
"""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from esrok_recovery.catalogue import COMMON_SERVICES, browser_asset
from esrok_recovery.catalogue_file import load_catalogue
from picker_support import build_harness, serve
from site_support import SiteHandler

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
QUESTION = "Which account would hurt most to lose?"


@pytest.fixture(scope="module")
def harness(tmp_path_factory):
    root = tmp_path_factory.mktemp("picker")
    build_harness(root, browser_asset(load_catalogue(env={})))
    with serve(root, SiteHandler) as url:
        yield url


@pytest.fixture
def picker(browser, harness):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    requests: list[str] = []
    context.on("request", lambda r: requests.append(r.url))
    page = context.new_page()
    page.goto(harness)
    expect(page.locator("body")).to_have_attribute("data-ready", "yes")
    page.requests = requests
    yield page
    context.close()


def combobox(page: Page):
    return page.get_by_role("combobox", name=QUESTION)


def listbox(page: Page):
    return page.get_by_role("listbox", name=QUESTION)


def active_option(page: Page):
    return page.locator(f"#{combobox(page).get_attribute('aria-activedescendant')}")


def expect_active(page: Page, name: str) -> None:
    box = combobox(page)
    expect(box).to_have_attribute("aria-activedescendant", re.compile(r"^esrok-service-\d+-option-\d+$"))
    option = page.get_by_role("option", name=name, exact=True)
    expect(option).to_have_attribute("aria-selected", "true")
    assert option.get_attribute("id") == box.get_attribute("aria-activedescendant")
    expect(listbox(page).locator('[aria-selected="true"]')).to_have_count(1)


def name(service_label: str, domain: str) -> str:
    return f"{service_label} {domain}"


FIRST = name(COMMON_SERVICES[0].label, COMMON_SERVICES[0].domain)
SECOND = name(COMMON_SERVICES[1].label, COMMON_SERVICES[1].domain)
LAST = name(COMMON_SERVICES[-1].label, COMMON_SERVICES[-1].domain)


def test_markup_follows_the_aria_combobox_pattern(picker: Page):
    box = combobox(picker)
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(box).to_have_attribute("aria-autocomplete", "list")
    controls = box.get_attribute("aria-controls")
    assert picker.locator(f"#{controls}").get_attribute("role") == "listbox"
    expect(box).to_have_accessible_description(re.compile("^Type a name or web address"))
    expect(picker.get_by_role("combobox", name="Account 2: service")).to_be_visible()   # a second instance
    assert len({e.get_attribute("id") for e in picker.locator("[id^=esrok-service-]").all()}) == \
        picker.locator("[id^=esrok-service-]").count()                                    # ids are unique


def test_the_catalogue_loads_on_first_use_only_and_stays_on_this_origin(picker: Page, harness):
    assert not [u for u in picker.requests if u.endswith("services.json")]
    combobox(picker).focus()
    combobox(picker).press("ArrowDown")
    expect(listbox(picker)).to_be_visible()
    combobox(picker).press("Escape")
    picker.get_by_role("combobox", name="Account 2: service").click()
    expect(picker.get_by_role("listbox", name="Account 2: service")).to_be_visible()
    expect(picker.locator("body")).to_have_attribute("data-loads", "1")
    assert len([u for u in picker.requests if u.endswith("services.json")]) == 1
    origin = urlsplit(harness)[:2]
    assert [u for u in picker.requests if urlsplit(u)[:2] != origin] == []


def test_empty_field_offers_common_choices_and_arrows_move_through_them(picker: Page):
    box = combobox(picker)
    box.focus()
    box.press("ArrowDown")
    expect(box).to_have_attribute("aria-expanded", "true")
    expect(listbox(picker).get_by_role("option")).to_have_count(len(COMMON_SERVICES))
    expect(listbox(picker).get_by_role("option").first).to_have_accessible_name(FIRST)
    expect_active(picker, FIRST)
    box.press("ArrowDown")
    expect_active(picker, SECOND)
    box.press("ArrowUp")
    expect_active(picker, FIRST)
    box.press("ArrowUp")                       # wraps to the last
    expect_active(picker, LAST)
    box.press("Home")
    expect_active(picker, FIRST)
    box.press("End")
    expect_active(picker, LAST)
    box.press("ArrowDown")                     # wraps to the first
    expect_active(picker, FIRST)
    expect(box).to_be_focused()                # DOM focus never leaves the input


def test_up_opens_on_the_last_option_and_alt_down_opens_without_choosing(picker: Page):
    box = combobox(picker)
    box.focus()
    box.press("ArrowUp")
    expect_active(picker, LAST)
    box.press("Escape")
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(box).not_to_have_attribute("aria-activedescendant", re.compile("."))
    box.press("Alt+ArrowDown")
    expect(listbox(picker)).to_be_visible()
    expect(listbox(picker).locator('[aria-selected="true"]')).to_have_count(0)


@pytest.mark.parametrize("query, first", [
    ("gmail", name("Google Account (Gmail)", "mail.google.com")),
    ("git", name("GitHub", "github.com")),
    ("pay pal", name("PayPal", "paypal.com")),
    ("outlook", name("Microsoft account (Outlook.com, Hotmail)", "outlook.com")),
    ("githbu", name("GitHub", "github.com")),
])
def test_typing_searches_and_enter_picks(picker: Page, query, first):
    box = combobox(picker)
    box.press_sequentially(query)
    expect(listbox(picker)).to_be_visible()
    expect(listbox(picker).get_by_role("option").first).to_have_accessible_name(first)
    expect(box).not_to_have_attribute("aria-activedescendant", re.compile("."))   # manual selection
    box.press("ArrowDown")
    expect_active(picker, first)
    box.press("Enter")
    label, domain = first.rsplit(" ", 1)
    expect(box).to_have_value(label)
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(listbox(picker)).to_be_hidden()
    expect(picker.locator("#chosen")).to_have_text(f"{label} ({domain})")
    assert picker.locator("body").get_attribute("data-submits") is None   # Enter picked; it did not submit


def test_home_and_end_move_the_caret_while_no_option_is_active(picker: Page):
    box = combobox(picker)
    box.press_sequentially("bank")
    expect(listbox(picker)).to_be_visible()
    box.press("Home")
    expect(box).not_to_have_attribute("aria-activedescendant", re.compile("."))
    box.press_sequentially("x")
    expect(box).to_have_value("xbank")


def test_escape_closes_then_clears(picker: Page):
    box = combobox(picker)
    box.press_sequentially("paypal")
    expect(listbox(picker)).to_be_visible()
    box.press("Escape")
    expect(listbox(picker)).to_be_hidden()
    expect(box).to_have_value("paypal")
    box.press("Escape")
    expect(box).to_have_value("")


def test_tab_picks_the_active_option_and_moves_on(picker: Page):
    box = combobox(picker)
    box.press_sequentially("dropbox")
    expect(listbox(picker)).to_be_visible()
    box.press("ArrowDown")
    expect_active(picker, name("Dropbox", "dropbox.com"))
    box.press("Tab")
    expect(box).to_have_value("Dropbox")
    expect(picker.get_by_role("button", name="Check my recovery")).to_be_focused()
    expect(picker.locator("#chosen")).to_have_text("Dropbox (dropbox.com)")


def test_free_text_is_kept_when_nothing_matches(picker: Page):
    box = combobox(picker)
    box.press_sequentially("My local council")
    expect(picker.get_by_role("status").filter(has_text="No listed service matches")).to_have_text(
        "No listed service matches “My local council”. You can keep it as the account's name.")
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(picker.locator("#chosen")).to_have_text("typed: My local council")
    box.press("Enter")                                 # no active option: the form's own Enter
    expect(picker.locator("body")).to_have_attribute("data-submits", "1")


def test_typing_after_a_pick_returns_to_free_text(picker: Page):
    box = combobox(picker)
    box.press_sequentially("github")
    expect(listbox(picker)).to_be_visible()
    box.press("ArrowDown")
    box.press("Enter")
    expect(picker.locator("#chosen")).to_have_text("GitHub (github.com)")
    box.press("End")
    box.press_sequentially(" work")
    expect(picker.locator("#chosen")).to_have_text("typed: GitHub work")
    events = picker.locator("body").get_attribute("data-events").split("|")
    assert "github.com" in events and events[-1] == "text:GitHub work"


def test_a_click_picks_an_option(picker: Page):
    box = combobox(picker)
    box.click()
    expect(listbox(picker)).to_be_visible()
    picker.get_by_role("option", name=name("PayPal", "paypal.com")).click()
    expect(box).to_have_value("PayPal")
    expect(box).to_be_focused()
    expect(listbox(picker)).to_be_hidden()


def test_phone_width_and_axe(browser, harness):
    context = browser.new_context(viewport={"width": 390, "height": 844}, bypass_csp=True)
    page = context.new_page()
    try:
        page.goto(harness)
        expect(page.locator("body")).to_have_attribute("data-ready", "yes")
        box = combobox(page)
        box.press_sequentially("goog")
        expect(listbox(page)).to_be_visible()
        box.press("ArrowDown")
        expect_active(page, name("Google Account (Gmail)", "mail.google.com"))
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 390, width                                    # nothing overflows sideways
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
        assert [f"{v['id']}: {[n['target'] for n in v['nodes']]}" for v in result["violations"]
                if v["impact"] in ("serious", "critical")] == []
    finally:
        context.close()
