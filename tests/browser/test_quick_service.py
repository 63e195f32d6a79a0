"""The quick check with a named service, in real Chromium: a person picks GitHub with the service
picker (by keyboard), answers "a code sent by text message" for the second step, and gets
"Switch GitHub to a passkey", naming GitHub's stronger methods and linking GitHub's own page;
offline too, once the checker has run. The catalogue is fetched on first use of the picker only,
the engine gets only the entry the answers name, and the provider's pages are links, never
requests."""
from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from browser_support import BOOT_TIMEOUT_MS, TOOL, open_tool, persistent_context, wait_ready_state
from esrok_recovery import quick_json
from esrok_recovery.catalogue import browser_asset
from esrok_recovery.catalogue_file import load_catalogue

pytestmark = pytest.mark.browser

QUESTION = "Which account would hurt most to lose?"
SECOND = "What do you use as the second step when you sign in?"
SMS = "A code sent by text message"
CATALOGUE = re.compile(r"/assets/esrok/services\.[0-9a-f]{10,12}\.json$")
# What the worker is sent: recorded before any page script runs (init scripts are not page scripts).
RECORD = """(() => {
  window.__esrokSent = [];
  const post = Worker.prototype.postMessage;
  Worker.prototype.postMessage = function (msg, ...rest) {
    if (msg && (msg.type === 'quick' || msg.type === 'evaluate')) window.__esrokSent.push(msg.answers || msg.plan);
    return post.call(this, msg, ...rest);
  };
})();"""


@pytest.fixture(scope="module")
def expected():
    """The CPython engine's answer for the same envelope: the GitHub entry of the browser asset."""
    asset = json.loads(browser_asset(load_catalogue(env={})))
    github = next(s for s in asset["services"] if s["domain"] == "github.com")
    envelope = {"answers": {"version": 1, "answers": {"main_account": {"service": "github.com", "kind": "other",
                                                                       "name": "GitHub"}, "second_step": "sms"}},
                "services": {"format": asset["format"], "sources": asset["sources"], "services": [github]}}
    out = json.loads(quick_json(json.dumps(envelope)))
    action = next(a for a in out["actions"] if a["title"] == "Switch GitHub to a passkey")
    return {"out": out, "action": action, "github": github}


def pick_github_by_keyboard(page: Page) -> None:
    group = page.get_by_role("group", name=QUESTION)
    box = group.get_by_role("combobox", name="Or find the service by name")
    expect(box).to_be_hidden()           # behind a one-line button, so the answers fit on a phone
    opener = group.get_by_role("button", name="Another service? Find it by name")
    expect(opener).to_have_attribute("aria-expanded", "false")
    opener.focus()
    page.keyboard.press("Enter")         # shows the field and moves focus into it
    expect(box).to_be_focused()
    page.keyboard.press("ArrowDown")     # opens the common choices, the first one active
    listbox = page.get_by_role("listbox", name="Or find the service by name")
    expect(listbox).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    expect(listbox.get_by_role("option").first).to_have_attribute("aria-selected", "true")
    expect(listbox.get_by_role("option", name="GitHub github.com", exact=True)).to_be_attached()   # a common choice
    page.keyboard.press("Escape")        # closes the list, focus stays
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(box).to_be_focused()
    page.keyboard.type("git hub")        # search, typo-tolerant
    option = listbox.get_by_role("option", name="GitHub github.com", exact=True)
    expect(option).to_be_visible()
    for _ in range(8):                   # arrows move to it; focus never leaves the field
        page.keyboard.press("ArrowDown")
        if option.get_attribute("aria-selected") == "true":
            break
    expect(option).to_have_attribute("aria-selected", "true")
    expect(box).to_be_focused()
    page.keyboard.press("Enter")         # picks it; the form is not submitted
    expect(box).to_have_value("GitHub")
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(page.locator("#esrok-summary")).to_have_text(re.compile("^No results yet"))
    expect(group.get_by_role("radio", checked=True)).to_have_count(0)
    expect(page.locator("#esrok-progress")).to_contain_text("· 1 answered")


def check_github_result(page: Page, expected: dict) -> None:
    action = expected["action"]
    item = page.get_by_role("list", name="What to do first").get_by_role("listitem").filter(
        has=page.get_by_text(action["title"], exact=True))
    expect(item).to_have_count(1, timeout=BOOT_TIMEOUT_MS)
    link = item.get_by_role("link", name=re.compile(r"^GitHub: set up a passkey"))
    expect(link).to_have_attribute("href", re.compile(r"^https://docs\.github\.com/"))
    expect(link).to_have_attribute("href", action["links"][-1]["url"])
    expect(link).to_have_attribute("rel", "noopener noreferrer")
    item.get_by_text("How to do it, and why").click()
    # GitHub's stronger methods, named from the catalogue (the engine's own words).
    expect(item).to_contain_text("GitHub also offers passkeys, security keys, authenticator app codes (TOTP)")
    expect(item).to_contain_text(action["detail"])
    # The credit: what it was checked against, each source's attribution and its licence page here.
    credit = page.locator("#esrok-result-body .esrok-credit")
    expect(credit).to_contain_text("Checked against 2FA Directory and the Passkeys Directory, data of ")
    for source in expected["out"]["catalogue"]["sources"]:
        expect(credit).to_contain_text(source["attribution"])
    expect(credit.get_by_role("link", name="MIT licence text")).to_have_attribute(
        "href", re.compile(r"/licences/2fa-directory/$"))
    expect(credit.get_by_role("link", name="CC BY 4.0 licence text")).to_have_attribute(
        "href", re.compile(r"/licences/passkeys/$"))
    # The kit prints GitHub's own pages, with their addresses.
    kit = page.locator("#esrok-kit-body")
    expect(kit.get_by_text(f"GitHub: recover your account: {expected['github']['recovery']}")).to_be_visible()
    # The engine got the envelope with GitHub's entry and nothing else.
    sent = [json.loads(s) for s in page.evaluate("() => window.__esrokSent")]
    assert sent and sent[-1]["answers"]["answers"] == {
        "main_account": {"service": "github.com", "kind": "other", "name": "GitHub"}, "second_step": "sms"}
    assert sent[-1]["services"]["services"] == [expected["github"]]


def test_a_person_picks_github_and_sms_and_is_told_to_switch_to_a_passkey(page: Page, site_server, expected):
    seen: list[str] = []
    page.on("request", lambda r: seen.append(r.url))
    page.add_init_script(RECORD)
    open_tool(page, site_server.url)
    page.wait_for_load_state("networkidle")
    assert not [u for u in seen if CATALOGUE.search(u)]   # not before the picker is used
    pick_github_by_keyboard(page)
    assert len([u for u in seen if CATALOGUE.search(u)]) == 1
    page.get_by_role("group", name=SECOND).get_by_label(SMS, exact=True).check()
    page.get_by_role("button", name="Check my recovery").click()
    expect(page.get_by_role("heading", name="Your results")).to_be_focused(timeout=BOOT_TIMEOUT_MS)
    check_github_result(page, expected)
    # Choosing a radio instead clears the pick (one answer per question).
    group = page.get_by_role("group", name=QUESTION)
    group.get_by_label("My main email", exact=True).check()
    expect(group.get_by_role("combobox")).to_have_value("")
    expect(page.locator("#esrok-progress")).to_contain_text("· 2 answered")
    # The provider's pages are links to follow, never requests the page makes.
    origin = urlsplit(site_server.url)[:2]
    assert [u for u in seen if not u.startswith(("data:", "blob:")) and urlsplit(u)[:2] != origin] == []
    assert len([u for u in seen if CATALOGUE.search(u)]) == 1


def test_the_same_works_offline_once_the_checker_has_run(playwright, site_server, expected, tmp_path):
    context = persistent_context(playwright, tmp_path / "profile")
    context.add_init_script(RECORD)
    try:
        page = context.pages[0] if context.pages else context.new_page()
        page.goto(site_server.url + TOOL)
        wait_ready_state(page)
        expect(page.get_by_role("status").filter(has_text="It now also works offline on this device.")
               ).to_be_visible(timeout=BOOT_TIMEOUT_MS)
        context.set_offline(True)
        assert page.evaluate("() => fetch('never-visited.html').then(r => 'network', () => 'offline')") == "offline"
        page.reload()
        wait_ready_state(page)
        pick_github_by_keyboard(page)
        page.get_by_role("group", name=SECOND).get_by_label(SMS, exact=True).check()
        page.get_by_role("button", name="Check my recovery").click()
        check_github_result(page, expected)
    finally:
        context.close()
