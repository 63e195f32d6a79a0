"""Inventory mode in real Chromium: several accounts -> the full plan, re-evaluated as it changes;
an unfinished item is a draft, never an engine error; names stay inert text."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from browser_support import BOOT_TIMEOUT_MS, add_account, add_item, add_method, open_tool

pytestmark = pytest.mark.browser
XSS = "<img src=x onerror=alert(1)>"


def loss(page: Page, scenario: str):
    """The result's line for one loss, e.g. "phone-lost"."""
    return page.locator(f'#esrok-result-body li[data-scenario="{scenario}"]')


def test_three_accounts_the_loss_lines_name_the_account_a_lost_phone_locks_out(page: Page, site_server):
    open_tool(page, site_server.url)
    add_item(page, "Phone", "Pixel")
    add_item(page, "Authenticator app", "Authy", **{"Runs on": "Pixel"})
    add_item(page, "Place where backup codes are kept", "Printed codes", **{"Kind of place": "On paper"})
    add_account(page, "Mail", "Email", [("Authenticator app code", "Authy")], codes_in="Printed codes")
    add_account(page, "Bank", "Bank", [("Authenticator app code", "Authy")])
    add_account(page, "Forum", "Social media", [])
    lost = loss(page, "phone-lost")
    expect(lost).to_contain_text("If you lose your phone (lost or stolen) — ", timeout=BOOT_TIMEOUT_MS)
    expect(lost).to_contain_text("Bank: locked out with no way back")
    expect(lost).to_contain_text("Mail: back the same day by a backup code (Printed codes)")
    # Re-evaluates as the plan changes: give the bank backup codes too, and nobody is locked out.
    bank = page.get_by_role("group", name="Bank", exact=True)
    bank.get_by_role("group", name="Backup codes generated").get_by_label("Yes", exact=True).check()
    bank.get_by_role("group", name="Codes kept in").get_by_label("Printed codes", exact=True).check()
    expect(lost).not_to_contain_text("locked out", timeout=BOOT_TIMEOUT_MS)
    expect(lost).to_contain_text("Bank: back the same day by a backup code (Printed codes)")
    # The printable kit follows the plan.
    kit = page.locator("#esrok-kit-body")
    expect(kit.get_by_role("heading", name="Bank (Bank, important)")).to_be_visible()
    # An unfinished method is a draft: listed under "To finish" in plain words; the results stay.
    forum = page.get_by_role("group", name="Forum", exact=True)
    add_method(forum, "Authenticator app code")
    todo = page.get_by_role("list", name="To finish")
    expect(todo.get_by_role("listitem")).to_have_text(
        ["Forum, Authenticator app code — App: choose an authenticator app"])
    expect(page.locator("#esrok-errors")).to_be_hidden()
    expect(lost).to_contain_text("Bank: back the same day")
    expect(page.locator("#esrok-summary")).to_contain_text("1 unfinished item is not counted yet.")
    # Its button leads to the control to finish it, which offers the app in place.
    todo.get_by_role("button", name="Forum, Authenticator app code").click()
    method = forum.get_by_role("group", name="Authenticator app code", exact=True)
    expect(method.get_by_label("App", exact=True)).to_be_focused()
    method.get_by_label("App", exact=True).select_option(label="Authy")
    expect(page.locator("#esrok-todo")).to_be_hidden(timeout=BOOT_TIMEOUT_MS)
    expect(page.locator("#esrok-summary")).not_to_contain_text("unfinished")


def test_xss_payload_in_names_stays_inert(page: Page, site_server):
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    open_tool(page, site_server.url)
    add_item(page, "Phone", XSS)
    add_item(page, "Authenticator app", XSS + " app", **{"Runs on": XSS})
    add_account(page, XSS, "Email", [("Authenticator app code", XSS + " app")])
    expect(loss(page, "phone-lost")).to_contain_text(f"{XSS}: locked out with no way back", timeout=BOOT_TIMEOUT_MS)
    expect(page.locator("#esrok-kit-body").get_by_role("heading", name=f"{XSS} (Email, important)")).to_be_visible()
    expect(page.locator("#esrok-result-body")).to_contain_text(XSS)
    # Rendered as text: no element was created from the payload, and nothing ran.
    assert page.locator("#esrok-checker img").count() == 0
    assert dialogs == []


def test_a_method_that_needs_a_number_offers_it_in_place(page: Page, site_server):
    """ "Sent to: [choose a phone number] or + Add a phone number" creates the number and its phone."""
    open_tool(page, site_server.url)
    acc = add_account(page, "Mail", "Email", [("Password", None)], importance="Critical")
    method = add_method(acc, "Text message code")
    sent_to = method.get_by_label("Sent to", exact=True)
    expect(sent_to).to_be_focused()
    expect(sent_to.locator("option:checked")).to_have_text("(choose a phone number)")
    method.get_by_role("button", name="+ Add a phone number").click()
    expect(sent_to).to_be_focused()
    expect(sent_to.locator("option:checked")).to_have_text("Phone number")
    number = page.get_by_role("group", name="Phone number: Phone number", exact=True)
    expect(number.get_by_label("In the phone", exact=True).locator("option:checked")).to_have_text("Phone")
    expect(page.get_by_role("group", name="Phone: Phone", exact=True)).to_be_visible()
    expect(page.locator("#esrok-todo")).to_be_hidden()
    expect(loss(page, "number-lost")).to_contain_text(re.compile(r"Mail: (locked out|back)"), timeout=BOOT_TIMEOUT_MS)


def test_a_newcomer_builds_three_accounts_and_never_sees_an_error(page: Page, site_server):
    """Gmail (picked) on text messages, a bank (typed: not every bank is in the catalogue) on push
    approval, Bitwarden (picked) on a security key: each thing a method needs is created in place,
    no engine error ever shows, and a result comes."""
    open_tool(page, site_server.url)
    errors, todo = page.locator("#esrok-errors"), page.locator("#esrok-todo")
    gmail = add_account(page, "Google Account (Gmail)", "Google account", [("Password", None)], importance="Critical",
                        service="gmail")                      # from the picker
    add_method(gmail, "Text message code", create=True)     # creates the number and its phone
    expect(errors).to_be_hidden()
    bank = add_account(page, "Bank", "Bank", [("Password", None)])
    add_method(bank, "Push approval", on="Phone")            # the phone made for Gmail's number
    expect(errors).to_be_hidden()
    vault = add_account(page, "Bitwarden", "Password manager", [("Password", None)], importance="Critical",
                        service="bitwarden")                  # from the picker
    add_method(vault, "Security key", create=True)
    expect(todo).to_be_hidden()
    expect(page.locator("#esrok-summary")).to_contain_text("out of 100", timeout=BOOT_TIMEOUT_MS)
    expect(page.locator("#esrok-summary")).not_to_contain_text("unfinished")
    expect(errors).to_be_hidden()
    for name in ("Google Account (Gmail)", "Bank", "Bitwarden"):
        expect(page.locator("#esrok-kit-body").get_by_role("heading", name=re.compile(rf"^{re.escape(name)} \("))
               ).to_be_visible()


def test_picking_a_service_prefills_the_account_and_offers_its_methods_first(page: Page, site_server):
    """GitHub picked for a new account: name and kind filled in, GitHub's own ways in first in
    "Add a sign-in method" (the rest behind "Other ways in"), and the advice and kit use it."""
    open_tool(page, site_server.url)
    page.get_by_role("button", name="Add an account").click()
    acc = page.locator("fieldset[data-account]").last
    box = acc.get_by_role("combobox", name="Service")
    expect(box).to_be_focused()
    page.keyboard.type("github")
    page.get_by_role("option", name="GitHub github.com", exact=True).click()
    acc = page.get_by_role("group", name="GitHub", exact=True)
    expect(acc.get_by_label("Account name", exact=True)).to_have_value("GitHub")
    expect(acc.get_by_label("Kind of account", exact=True).locator("option:checked")).to_have_text("Other")
    expect(acc.get_by_role("combobox", name="Service")).to_have_value("GitHub")
    expect(acc.get_by_role("combobox", name="Service")).to_be_focused()   # focus stays where the person was
    add = acc.get_by_label("Add a sign-in method", exact=True)
    expect(add.locator(":scope > option")).to_have_text(["Password", "Passkey", "Security key", "Authenticator app code",
                                                         "Push approval", "Text message code"])
    expect(add.locator("optgroup")).to_have_attribute("label", "Other ways in, not listed for GitHub")
    expect(add.locator("optgroup > option")).to_have_text(["Voice call code", "Emailed code"])
    acc.get_by_label("Importance", exact=True).select_option(label="Critical")
    add_method(acc, "Password")
    add_method(acc, "Text message code", create=True)
    action = page.locator("#esrok-result-body li.esrok-action").filter(has_text="Switch GitHub to a passkey")
    expect(action).to_have_count(1, timeout=BOOT_TIMEOUT_MS)
    expect(action.get_by_role("link", name=re.compile("^GitHub: set up a passkey"))).to_have_attribute(
        "href", re.compile(r"^https://docs\.github\.com/"))
    expect(page.locator("#esrok-result-body .esrok-credit")).to_contain_text("Checked against 2FA Directory")
    kit = page.locator("#esrok-kit-body")
    expect(kit.get_by_role("link", name=re.compile(r"^GitHub: recover your account: https:\/\/docs\.github\.com\/"))).to_be_visible()
    # The kit points at the page it prints instead of asking the person to go and find it.
    expect(kit.get_by_text("Only use the provider's official recovery page, linked below; never follow links from "
                           "messages.", exact=True)).to_be_visible()
    expect(kit.get_by_text("Find the provider's official recovery page now", exact=False)).to_have_count(0)
    expect(kit.locator(".esrok-credit")).to_contain_text("Checked against 2FA Directory")
