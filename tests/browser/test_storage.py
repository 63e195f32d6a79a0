"""Saving (opt-in localStorage), export and import (one format, drafts included), import errors,
reset, the .ics reminder."""
from __future__ import annotations

import json
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from browser_support import BOOT_TIMEOUT_MS, add_account, add_method, open_tool, wait_ready_state

pytestmark = pytest.mark.browser
STORE_KEY = "esrok.recovery-plan"
OLD_ACCOUNT = {"id": "m", "name": "Old mail", "kind": "email", "importance": "critical",
               "sign_in": [{"type": "password"}], "recovery": []}


def first_account_name(page: Page):
    return page.locator("fieldset[data-account]").first.get_by_label("Account name", exact=True)


def export(page: Page) -> str:
    with page.expect_download() as dl:
        page.get_by_role("button", name="Export plan (JSON)").click()
    assert dl.value.suggested_filename == f"esrok-recovery-plan-{date.today().isoformat()}.json"
    return open(dl.value.path(), encoding="utf-8").read()


def import_file(page: Page, name: str, text: str) -> None:
    page.get_by_label("Import a plan (JSON file)").set_input_files(
        files=[{"name": name, "mimeType": "application/json", "buffer": text.encode()}])


def test_saved_plan_survives_reload_and_bad_imports_leave_it_untouched(page: Page, site_server):
    open_tool(page, site_server.url)
    save = page.get_by_label("Save this plan in this browser")
    expect(save).not_to_be_checked()  # opt-in
    add_account(page, "Mail", "Email", [])
    expect(page.locator("#esrok-summary")).to_contain_text("Protection ", timeout=BOOT_TIMEOUT_MS)
    assert page.evaluate(f"() => localStorage.getItem('{STORE_KEY}')") is None  # nothing saved yet
    save.check()
    stored = page.evaluate(f"() => localStorage.getItem('{STORE_KEY}')")
    assert json.loads(stored)["accounts"][0]["name"] == "Mail"
    assert stored == export(page)  # the saved copy and the exported file: one format

    page.reload()
    wait_ready_state(page)
    expect(first_account_name(page)).to_have_value("Mail")
    expect(page.get_by_label("Save this plan in this browser")).to_be_checked()
    expect(page.locator("#esrok-storage-status")).to_contain_text("Loaded the plan saved in this browser")

    import_file(page, "bad.json", "{not json")
    alert = page.locator("#esrok-import-errors")
    expect(alert).to_contain_text("Import failed: bad.json is not valid JSON. Your current plan was not changed.")
    expect(first_account_name(page)).to_have_value("Mail")

    plan = {"version": 1, "things": [], "accounts": [
        {"id": "a", "name": "Other", "kind": "emial", "importance": "critical", "sign_in": [{"type": "password"}],
         "recovery": []}]}
    import_file(page, "typo.json", json.dumps(plan))
    expect(alert).to_contain_text("Import failed: typo.json is not a valid plan (1 problem). "
                                  "Your current plan was not changed.", timeout=BOOT_TIMEOUT_MS)
    expect(alert.get_by_role("listitem")).to_have_text('accounts[0].kind: unknown kind "emial"; did you mean "email"?')
    expect(first_account_name(page)).to_have_value("Mail")

    page.reload()
    wait_ready_state(page)
    expect(first_account_name(page)).to_have_value("Mail")  # the saved plan was kept


@pytest.mark.parametrize("stored", [
    {"version": 1, "things": [], "accounts": [OLD_ACCOUNT]},                       # a bare version 1 plan
    {"store_version": 1, "saved_on": "2026-01-02", "plan": {"version": 1, "things": [], "accounts": [OLD_ACCOUNT]}},
], ids=["plan-v1", "store-v1"])
def test_older_saved_formats_are_read(page: Page, site_server, stored):
    """What earlier versions of the page saved loads instead of being lost."""
    open_tool(page, site_server.url, wait_ready=False)
    page.evaluate("([k, v]) => localStorage.setItem(k, v)", [STORE_KEY, json.dumps(stored)])
    page.reload()
    wait_ready_state(page)
    expect(first_account_name(page)).to_have_value("Old mail")
    expect(page.locator("#esrok-summary")).to_contain_text("Protection ", timeout=BOOT_TIMEOUT_MS)


def test_export_reset_import_roundtrip_and_calendar_reminder(page: Page, site_server):
    open_tool(page, site_server.url)
    add_account(page, "Mail", "Email", [])
    expect(page.locator("#esrok-summary")).to_contain_text("Protection ", timeout=BOOT_TIMEOUT_MS)
    text = export(page)
    exported = json.loads(text)
    assert exported["as_of"] == date.today().isoformat()
    assert [a["name"] for a in exported["accounts"]] == ["Mail"]

    page.get_by_role("button", name="Reset plan").click()
    expect(page.get_by_role("button", name="Cancel")).to_be_focused()
    page.get_by_role("button", name="Cancel").click()
    expect(first_account_name(page)).to_have_value("Mail")
    page.get_by_role("button", name="Reset plan").click()
    page.get_by_role("button", name="Yes, reset the plan").click()
    expect(page.locator("fieldset[data-account]")).to_have_count(0)

    import_file(page, "mine.json", text)
    expect(first_account_name(page)).to_have_value("Mail", timeout=BOOT_TIMEOUT_MS)
    expect(page.locator("#esrok-storage-status")).to_have_text("Imported mine.json.")
    assert export(page) == text  # import(export(x)) == x

    with page.expect_download() as dl:
        page.get_by_role("button", name="Download a 6-monthly reminder (.ics)").click()
    ics = open(dl.value.path(), newline="").read()
    assert dl.value.suggested_filename == "esrok-recovery-recheck.ics"
    assert ics.startswith("BEGIN:VCALENDAR\r\n") and "RRULE:FREQ=MONTHLY;INTERVAL=6\r\n" in ics
    start = next(line for line in ics.split("\r\n") if line.startswith("DTSTART;VALUE=DATE:"))[-8:]
    today = date.today()
    months = (int(start[:4]) - today.year) * 12 + int(start[4:6]) - today.month
    assert months in (6, 7)  # six months on (7 if the day rolls over, e.g. 31 Aug -> 1 Mar)


def test_draft_path_pick_sms_stop_export_import_finish(page: Page, site_server):
    """A plan with an unfinished item is exported, imported back exactly, and finished later."""
    open_tool(page, site_server.url)
    acc = add_account(page, "Mail", "Email", [("Password", None)], importance="Critical")
    add_method(acc, "Text message code")     # and stop there: no number chosen
    todo = page.get_by_role("list", name="To finish")
    expect(todo.get_by_role("listitem")).to_have_text(["Mail, Text message code — Sent to: choose a phone number"])
    expect(page.locator("#esrok-summary")).to_contain_text("1 unfinished item is not counted yet.", timeout=BOOT_TIMEOUT_MS)
    text = export(page)
    assert json.loads(text)["accounts"][0]["sign_in"] == [{"type": "password"}, {"type": "sms"}]

    page.get_by_role("button", name="Reset plan").click()
    page.get_by_role("button", name="Yes, reset the plan").click()
    expect(page.locator("fieldset[data-account]")).to_have_count(0)
    import_file(page, "draft.json", text)
    expect(page.locator("#esrok-storage-status")).to_have_text("Imported draft.json. 1 item to finish.", timeout=BOOT_TIMEOUT_MS)
    expect(page.locator("#esrok-import-errors")).to_be_hidden()
    expect(todo.get_by_role("listitem")).to_have_text(["Mail, Text message code — Sent to: choose a phone number"])
    assert export(page) == text  # exact round trip, draft included

    todo.get_by_role("button", name="Mail, Text message code").click()
    method = page.get_by_role("group", name="Mail", exact=True).get_by_role("group", name="Text message code", exact=True)
    expect(method.get_by_label("Sent to", exact=True)).to_be_focused()
    method.get_by_role("button", name="+ Add a phone number").click()
    expect(page.locator("#esrok-todo")).to_be_hidden()
    expect(page.locator("#esrok-summary")).not_to_contain_text("unfinished", timeout=BOOT_TIMEOUT_MS)
    expect(page.locator('#esrok-result-body li[data-scenario="number-lost"]')).to_contain_text("Mail: ")
