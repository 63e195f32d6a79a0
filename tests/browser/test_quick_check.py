"""Quick check in real Chromium: answered by label, as a person would, and by keyboard alone."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from browser_support import BOOT_TIMEOUT_MS, SMS_ONLY, WELL_PREPARED, answer_quick, engine_quick, open_tool

pytestmark = pytest.mark.browser


def actions(page: Page):
    return page.get_by_role("list", name="What to do first").get_by_role("listitem")


def test_sms_only_profile_shows_the_expected_result_on_one_screen(page: Page, site_server):
    expected = engine_quick(SMS_ONLY)
    top = expected["actions"][0]
    assert top["tier"] == "blocker"
    page.set_viewport_size({"width": 1280, "height": 900})   # wide enough for the table of contents
    open_tool(page, site_server.url, wait_ready=False)
    # Submitted straight away: the worker queues it until the engine is ready.
    answer_quick(page, SMS_ONLY)
    summary = page.locator("#esrok-summary")
    m = expected["measures"]
    expect(summary).to_have_text(f"Protection {m['protection']['value']}, Recoverability {m['recoverability']['value']} "
                                 f"out of 100. 1 thing to fix first: {top['title']}. Based on 5 of 17 answers.",
                                 timeout=BOOT_TIMEOUT_MS)
    expect(page.get_by_role("heading", name="Your results")).to_be_focused()   # focus follows the result
    # ... and so does the table of contents, without another scroll.
    expect(page.get_by_role("navigation", name="Table of contents").get_by_role("link", name="Your results")) \
        .to_have_class(re.compile(r"\bmd-nav__link--active\b"))
    # The two measures, each with its one-line explanation.
    for key in ("protection", "recoverability"):
        expect(page.locator(f"[data-measure={key}]")).to_have_text(
            f"{m[key]['label']}: {m[key]['value']} out of 100 {m[key]['explanation']}", use_inner_text=False)
    # At most three actions on the screen, each with its effort and measured gain; the rest folded.
    shown = min(3, len(expected["actions"]))
    expect(actions(page)).to_have_count(shown)
    first = actions(page).first
    expect(first).to_contain_text(top["title"])
    expect(first).to_contain_text(f"About {top['effort_minutes']} minutes · {top['gain_text']}")
    expect(first.get_by_text("Fix first", exact=True)).to_be_visible()
    expect(first.get_by_text("Why: ")).to_have_count(0)
    expect(first.get_by_text(top["do"])).to_be_hidden()   # the how is folded: the result fits one screen
    first.get_by_text("How to do it, and why").click()
    expect(first.get_by_text(top["do"])).to_be_visible()
    expect(first).to_contain_text(top["why"])
    expect(first).to_contain_text("Source: " + top["source"])
    # A step that lowers a measure says so in sight, next to its gain, not under the fold.
    costly = next(i for i, a in enumerate(expected["actions"][:shown]) if a["trade_off"])
    expect(actions(page).nth(costly).get_by_text(expected["actions"][costly]["trade_off"], exact=True)).to_be_visible()
    # What each loss would do, in words, and the questions left unanswered.
    number = next(s for s in expected["scenarios"] if s["id"] == "number-lost")
    expect(page.locator('li[data-scenario="number-lost"]')).to_have_text(
        f"If {number['title'][0].lower()}{number['title'][1:]} — Main email: {number['outcomes'][0]['text'][0].lower()}"
        f"{number['outcomes'][0]['text'][1:]}.")
    # "Nothing changes if ..." names only the losses that reach something Sam has: no key, vault or home.
    fine = [s["title"] for s in expected["scenarios"] if s["applies"] and not s["outcomes"]]
    assert fine == ["Your phone is reset or the authenticator app is wiped"]
    expect(page.locator("#esrok-result-body").get_by_text("Nothing changes if ", exact=False)).to_have_text(
        "Nothing changes if your phone is reset or the authenticator app is wiped.")
    expect(page.get_by_role("heading", name="Questions you skipped")).to_be_visible()
    expect(page.get_by_text(f"{len(expected['skipped'])} of 17: the result leaves these facts out")).to_be_visible()


def test_well_prepared_profile_has_nothing_to_fix_first(page: Page, site_server):
    expected = engine_quick(WELL_PREPARED)
    assert not [a for a in expected["actions"] if a["tier"] == "blocker"]
    open_tool(page, site_server.url)
    answer_quick(page, WELL_PREPARED)
    m = expected["measures"]
    expect(page.locator("#esrok-summary")).to_contain_text(
        f"Protection {m['protection']['value']}, Recoverability {m['recoverability']['value']} out of 100. "
        + ("Nothing urgent" if expected["actions"] else
           "No action from the answers given" if expected["skipped"] else "Nothing to fix"), timeout=BOOT_TIMEOUT_MS)
    expect(page.locator("#esrok-result-body").get_by_text("Fix first", exact=True)).to_have_count(0)


def test_one_answer_never_reads_as_nothing_to_fix(page: Page, site_server):
    # Only the first question answered: no action comes from what was given, and the result says
    # that, pointing at the skipped questions, rather than "Nothing to fix" under Protection 25.
    one = {"Which account would hurt most to lose?": "My main email"}
    expected = engine_quick(one)
    assert expected["actions"] == []
    open_tool(page, site_server.url)
    answer_quick(page, one)
    m = expected["measures"]
    expect(page.locator("#esrok-summary")).to_have_text(
        f"Protection {m['protection']['value']}, Recoverability {m['recoverability']['value']} out of 100. "
        "No action from the answers given. Based on 1 of 17 answers.", timeout=BOOT_TIMEOUT_MS)
    body = page.locator("#esrok-result-body")
    expect(body.get_by_text("No action from the answers you gave. The questions you skipped (below) may hide some: "
                            "answer them for a closer look.", exact=True)).to_be_visible()
    expect(body.get_by_text("Nothing to fix", exact=False)).to_have_count(0)
    expect(body.get_by_text("The second-step question was skipped, so this counts the password as the only step.",
                            exact=False)).to_be_visible()


def test_no_answer_is_pre_selected_and_not_sure_is_offered(page: Page, site_server):
    open_tool(page, site_server.url, wait_ready=False)
    form = page.locator("#esrok-quick")
    expect(form.locator("input[type=radio]:checked")).to_have_count(0)
    for question in ("Does your SIM card ask for a PIN when the phone restarts?",
                     "Does your mobile account have a PIN or number-transfer (port-out) lock?"):
        expect(page.get_by_role("group", name=question).get_by_label("Not sure", exact=True)).to_be_visible()


def test_a_newcomer_does_the_quick_check_by_keyboard_alone(page: Page, site_server):
    """Skip to content, then one Tab per question (two for the service question, whose "find it by name"
    button is a stop of its own), arrows to answer, Enter: no mouse at all."""
    open_tool(page, site_server.url)
    progress = page.locator("#esrok-progress")
    questions = page.locator("#esrok-quick fieldset")
    total = questions.count()
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Recovery checklist", level=1)).to_be_focused()
    page.keyboard.press("Tab")            # the first question's first answer: three key presses in
    first = questions.first.get_by_role("radio").first
    expect(first).to_be_focused()
    expect(progress).to_have_text(f"Question 1 of {total} · 0 answered")
    wanted = {"What do you use as the second step when you sign in?": "A code sent by text message",
              "Where are this account's backup codes?": "I never saved any",
              "Does it have a recovery phone number?": "Yes, my mobile number"}
    for i in range(total):
        fieldset = questions.nth(i)
        legend = fieldset.locator("legend").inner_text()
        expect(progress).to_contain_text(f"Question {i + 1} of {total}")
        if legend in wanted:
            target = fieldset.get_by_label(wanted[legend], exact=True)
            for _ in range(10):
                if target.evaluate("el => el === document.activeElement"):
                    break
                page.keyboard.press("ArrowDown")   # arrows move through a group and choose
            page.keyboard.press("Space")           # (the first answer is only focused, not chosen)
            expect(target).to_be_checked()
        page.keyboard.press("Tab")
        opener = fieldset.get_by_role("button", name="Another service? Find it by name")
        if opener.count():   # the service question's "find it by name" button: one more stop
            expect(opener).to_be_focused()
            expect(progress).to_contain_text(f"Question {i + 1} of {total}")
            page.keyboard.press("Tab")
    expect(progress).to_have_text(f"Question {total} of {total} · 3 answered")
    expect(page.get_by_role("button", name="Check my recovery")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#esrok-summary")).to_contain_text("to fix first", timeout=BOOT_TIMEOUT_MS)
    expect(page.get_by_role("heading", name="Your results")).to_be_focused()
    # Focus is visible: the focused control has an outline.
    page.keyboard.press("Tab")
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"


def test_a_recovery_address_not_asked_about_is_checked_not_scored_and_the_inventory_says_so(page: Page, site_server):
    # A passkey, printed codes and "another account I can get into on its own": the quick check does
    # not ask how that account signs in, so it is neither scored as password-only (that gave Protection
    # 25 and nothing to do) nor praised; the one step is to protect it. In the inventory the account is
    # marked as not fully listed, and unticking that judges what is listed.
    answers = {
        "Which account would hurt most to lose?": "My main email",
        "Where is its password kept?": "In a password manager",
        "What do you use as the second step when you sign in?": "A passkey on my phone",
        "Is a second sign-in method set up as well?": "No",
        "Where are this account's backup codes?": "Printed or written down, at home",
        "Does the account have a recovery email address?": "Yes, another account I can get into on its own",
        "Does it have a recovery phone number?": "No",
    }
    expected = engine_quick(answers)
    assert [a["rule"] for a in expected["actions"]] == ["recovery-address-strength-unknown"]
    open_tool(page, site_server.url)
    answer_quick(page, answers)
    summary = page.locator("#esrok-summary")
    expect(summary).to_contain_text("Protection 100, Recoverability 75 out of 100. Nothing urgent; first of 1 step: "
                                    "Protect the recovery address of Main email and Password manager.",
                                    timeout=BOOT_TIMEOUT_MS)
    expect(page.locator("[data-measure=protection]")).to_contain_text(
        "Not counted: Recovery email, since not every way it signs in is recorded.")
    page.get_by_role("button", name="Refine this as a full inventory").click()
    box = page.get_by_role("group", name="Recovery email", exact=True) \
        .get_by_label("Not every sign-in method is listed here")
    expect(box).to_be_checked()
    box.uncheck()   # "it has a password and nothing else"
    expect(summary).to_contain_text("Protection 25, Recoverability 75 out of 100. 1 thing to fix first: "
                                    "Turn on a second sign-in step for Recovery email.")
