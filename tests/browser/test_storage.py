"""Saving (opt-in localStorage, versioned), export, import with errors, reset, .ics reminder."""
from __future__ import annotations

import json
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from browser_support import BOOT_TIMEOUT_MS, add_account, open_tool, wait_ready_state

pytestmark = pytest.mark.browser
STORE_KEY = "esrok.recovery-plan"


def first_account_name(page: Page):
    return page.get_by_role("group", name="Account 1", exact=True).get_by_label("Account name", exact=True)


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
    stored = json.loads(page.evaluate(f"() => localStorage.getItem('{STORE_KEY}')"))
    assert stored["store_version"] == 1 and stored["plan"]["accounts"][0]["name"] == "Mail"

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


def test_older_saved_format_is_migrated(page: Page, site_server):
    """A bare plan saved by an earlier page version (store v0) loads instead of being lost."""
    open_tool(page, site_server.url, wait_ready=False)
    old = {"version": 1, "things": [], "accounts": [
        {"id": "m", "name": "Old mail", "kind": "email", "importance": "critical",
         "sign_in": [{"type": "password"}], "recovery": []}]}
    page.evaluate("([k, v]) => localStorage.setItem(k, v)", [STORE_KEY, json.dumps(old)])
    page.reload()
    wait_ready_state(page)
    expect(first_account_name(page)).to_have_value("Old mail")
    expect(page.locator("#esrok-summary")).to_contain_text("Protection ", timeout=BOOT_TIMEOUT_MS)


def test_export_reset_import_roundtrip_and_calendar_reminder(page: Page, site_server):
    open_tool(page, site_server.url)
    add_account(page, "Mail", "Email", [])
    expect(page.locator("#esrok-summary")).to_contain_text("Protection ", timeout=BOOT_TIMEOUT_MS)
    with page.expect_download() as dl:
        page.get_by_role("button", name="Export plan (JSON)").click()
    assert dl.value.suggested_filename == f"esrok-recovery-plan-{date.today().isoformat()}.json"
    exported = json.loads(open(dl.value.path()).read())
    assert exported["as_of"] == date.today().isoformat()
    assert [a["name"] for a in exported["accounts"]] == ["Mail"]

    page.get_by_role("button", name="Reset plan").click()
    expect(page.get_by_role("button", name="Cancel")).to_be_focused()
    page.get_by_role("button", name="Cancel").click()
    expect(first_account_name(page)).to_have_value("Mail")
    page.get_by_role("button", name="Reset plan").click()
    page.get_by_role("button", name="Yes, reset the plan").click()
    expect(page.locator("fieldset[data-account]")).to_have_count(0)

    import_file(page, "mine.json", json.dumps(exported))
    expect(first_account_name(page)).to_have_value("Mail", timeout=BOOT_TIMEOUT_MS)
    expect(page.locator("#esrok-storage-status")).to_have_text("Imported mine.json.")

    with page.expect_download() as dl:
        page.get_by_role("button", name="Download a 6-monthly reminder (.ics)").click()
    ics = open(dl.value.path(), newline="").read()
    assert dl.value.suggested_filename == "esrok-recovery-recheck.ics"
    assert ics.startswith("BEGIN:VCALENDAR\r\n") and "RRULE:FREQ=MONTHLY;INTERVAL=6\r\n" in ics
    start = next(line for line in ics.split("\r\n") if line.startswith("DTSTART;VALUE=DATE:"))[-8:]
    today = date.today()
    months = (int(start[:4]) - today.year) * 12 + int(start[4:6]) - today.month
    assert months in (6, 7)  # six months on (7 if the day rolls over, e.g. 31 Aug -> 1 Mar)
