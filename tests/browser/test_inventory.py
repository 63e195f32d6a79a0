"""Inventory mode in real Chromium: several accounts -> the full plan, re-evaluated as it changes."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from browser_support import BOOT_TIMEOUT_MS, add_account, add_item, open_tool

pytestmark = pytest.mark.browser
XSS = "<img src=x onerror=alert(1)>"


def phone_lost_row(page: Page):
    return page.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name=re.compile(r"^If you lose your phone \(")))


def test_three_accounts_scenario_table_names_the_account_locked_out_by_a_lost_phone(page: Page, site_server):
    open_tool(page, site_server.url)
    add_item(page, "Phone", "Pixel")
    add_item(page, "Authenticator app", "Authy", **{"On which device": "Pixel"})
    add_item(page, "Place where backup codes are kept", "Printed codes")
    add_account(page, "Mail", "Email", [("Authenticator app code", "Authy")], codes_in="Printed codes")
    add_account(page, "Bank", "Bank", [("Authenticator app code", "Authy")])
    add_account(page, "Forum", "Social", [])
    row = phone_lost_row(page)
    cells = row.get_by_role("cell")
    expect(cells.nth(0)).to_have_text("Bank, with no way back", timeout=BOOT_TIMEOUT_MS)  # locked out of
    expect(cells.nth(1)).to_have_text("Mail: back the same day by a backup code (Printed codes)")
    # Re-evaluates as the plan changes: give the bank backup codes too, and nobody is locked out.
    bank = page.get_by_role("group", name="Account 2", exact=True)
    bank.get_by_label("Backup codes generated", exact=True).check()
    bank.get_by_role("group", name="Codes kept in").get_by_label("Printed codes", exact=True).check()
    expect(cells.nth(0)).to_have_text("nothing", timeout=BOOT_TIMEOUT_MS)
    expect(cells.nth(1)).to_contain_text("Bank: back the same day by a backup code (Printed codes)")
    # The printable kit follows the plan.
    kit = page.locator("#esrok-kit-body")
    expect(kit.get_by_role("heading", name="Bank (Bank, important)")).to_be_visible()
    # An incomplete entry is reported against the control's place in the editor, with the engine's path.
    forum = page.get_by_role("group", name="Account 3", exact=True)
    forum.get_by_role("button", name="Add sign-in method").click()
    forum.get_by_role("group", name="Sign-in method 2", exact=True).get_by_label("Method").select_option(
        label="Authenticator app code")
    errors = page.locator("#esrok-errors")
    expect(errors.get_by_role("listitem").first).to_contain_text(
        "Account 3 (Forum), sign-in method 2 \u2014 accounts[2].sign_in[1]", timeout=BOOT_TIMEOUT_MS)


def test_xss_payload_in_names_stays_inert(page: Page, site_server):
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    open_tool(page, site_server.url)
    add_item(page, "Phone", XSS)
    add_item(page, "Authenticator app", XSS + " app", **{"On which device": XSS})
    add_account(page, XSS, "Email", [("Authenticator app code", XSS + " app")])
    row = phone_lost_row(page)
    expect(row.get_by_role("cell").nth(0)).to_have_text(f"{XSS}, with no way back", timeout=BOOT_TIMEOUT_MS)
    expect(page.locator("#esrok-kit-body").get_by_role("heading", name=f"{XSS} (Email, important)")).to_be_visible()
    expect(page.locator("#esrok-result-body")).to_contain_text(XSS)
    # Rendered as text: no element was created from the payload, and nothing ran.
    assert page.locator("#esrok-checker img").count() == 0
    assert dialogs == []
