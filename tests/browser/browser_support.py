"""Helpers for the browser tests (imported by name; the fixture override is in conftest.py).

Waits use expect() with generous timeouts, because Pyodide takes 4-7 s to boot on these
machines and more under load.
"""
from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
BOOT_TIMEOUT_MS = 90_000
TOOL = "tools/recovery-checklist/"


def persistent_context(playwright, user_data_dir: Path, **kwargs):
    """A context with an on-disk profile (HTTP cache, service worker, localStorage survive)."""
    return playwright.chromium.launch_persistent_context(
        str(user_data_dir), executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True, **kwargs)


def open_tool(page: Page, site_url: str, wait_ready: bool = True) -> Page:
    page.goto(site_url + TOOL)
    if wait_ready:
        wait_ready_state(page)
    return page


def wait_ready_state(page: Page) -> None:
    """Wait until the checker has started (or failed, which fails the test with its message)."""
    status = page.locator("#esrok-status")
    expect(status).to_have_attribute("data-state", re.compile("^(ready|failed)$"), timeout=BOOT_TIMEOUT_MS)
    assert status.get_attribute("data-state") == "ready", status.inner_text()
    expect(page.get_by_role("status").filter(has_text="The checker is ready")).to_be_visible()


def boot_config(page: Page) -> dict:
    """The boot configuration the tool build emitted into the tool page (#esrok-boot)."""
    import json

    return json.loads(page.locator("#esrok-boot").text_content())


CACHED_PATHS = """async () => {  // every path kept in any of the site's caches
    await navigator.serviceWorker.ready;
    const out = [];
    for (const k of await caches.keys()) {
        if (!k.startsWith('esrok-')) continue;
        for (const r of await (await caches.open(k)).keys()) out.push(new URL(r.url).pathname);
    }
    return out;
}"""
CACHE_SIZES = """async () => {  // bytes stored per cache (as kept: compressed entries count compressed)
    const out = {};
    for (const k of await caches.keys()) {
        let n = 0;
        const c = await caches.open(k);
        for (const r of await c.keys()) n += (await (await c.match(r)).arrayBuffer()).byteLength;
        out[k] = n;
    }
    return out;
}"""


def answer_quick(page: Page, answers: dict[str, str]) -> None:
    """Answer the quick check as a person would: find each question by its text, the option by its label."""
    for question, option in answers.items():
        page.get_by_role("group", name=question).get_by_label(option, exact=True).check()
    page.get_by_role("button", name="Check my recovery").click()


def results(page: Page):
    return page.locator("#esrok-results")


def engine_quick(answers_by_label: dict[str, str]) -> dict:
    """The CPython engine's own output for the same answers (question text -> option label)."""
    import json
    import sys

    root = Path(__file__).resolve().parents[2]
    sys.path.insert(0, str(root / "tool"))
    try:
        import esrok_recovery as engine
    finally:
        sys.path.pop(0)
    questions = json.loads(engine.questions_json())["questions"]
    by_text = {q["text"]: q for q in questions}
    answers = {}
    for text, option in answers_by_label.items():
        q = by_text[text]
        answers[q["id"]] = next(o["value"] for o in q["options"] if o["label"] == option)
    from datetime import date
    return json.loads(engine.quick_json(json.dumps({"version": 1, "as_of": date.today().isoformat(), "answers": answers})))


SMS_ONLY = {
    "What do you use as the second step when you sign in?": "A code sent by text message",
    "Is a second sign-in method set up as well?": "No",
    "Where are this account's backup codes?": "I never saved any",
    "Does the account have a recovery email address?": "No",
    "Does it have a recovery phone number?": "Yes, my mobile number",
}
WELL_PREPARED = {
    "Where is its password kept?": "In a password manager",
    "What do you use as the second step when you sign in?": "A security key (USB or NFC)",
    "Is a second sign-in method set up as well?": "A second security key, kept at home",
    "Where are this account's backup codes?": "Printed or written down, at home",
    "Does the account have a recovery email address?": "No",
    "Does it have a recovery phone number?": "No",
    "Does your mobile account have a PIN or number-transfer (port-out) lock?": "Yes",
    "Have you set up a recovery contact for it?": "Yes",
    "Do you know the provider's official recovery page and how long it takes?": "Yes, I saved the official link and know the wait",
    "When did you last check that your backup way in still works?": "Within the last 6 months",
    "If your phone disappeared today, do you have written steps for what to do?": "Yes",
}


# The field a sign-in method's "on"/"via" select has (its label in plan-ui.json).
METHOD_FIELD = {"Text message code": "Sent to", "Voice call code": "Sent to", "Authenticator app code": "App",
                "Security key": "Key", "Push approval": "On", "Passkey": "Stored on",
                "Emailed code": "Sent to the account", "Password": "Stored in"}


def add_item(page: Page, kind: str, name: str, **selects: str):
    """Add an inventory thing of `kind` (its label) named `name`; `selects` maps field label -> option."""
    page.get_by_label("Add a device, number, key or other thing", exact=True).select_option(label=kind)
    page.locator("#esrok-add-thing").click()
    item = page.locator("fieldset[data-thing]").last
    expect(item.get_by_label("Name", exact=True)).to_be_focused()  # keyboard users land on the new item
    item.get_by_label("Name", exact=True).fill(name)
    expect(item.locator("legend").first).to_have_text(f"{kind}: {name}")
    for field, option in selects.items():
        item.get_by_label(field, exact=True).select_option(label=option)
    return item


def add_method(acc, method: str, on: str | None = None, create: bool = False):
    """Add a sign-in method to an account; choose `on` (an option label) or create it in place."""
    acc.get_by_label("Add a sign-in method", exact=True).select_option(label=method)
    acc.locator('[id$="-add-sign_in-button"]').click()
    m = acc.get_by_role("group", name=method, exact=True).last
    if create:
        m.get_by_role("button", name=re.compile(r"^\+ Add ")).click()
    elif on:
        m.get_by_label(METHOD_FIELD[method], exact=True).select_option(label=on)
    return m


def add_account(page: Page, name: str, kind: str, methods: list[tuple[str, str | None]],
                codes_in: str | None = None, importance: str = "Important", service: str | None = None):
    """Add an account; methods are (method label, option of its "on"/"via" select or None).
    ``service``: what to type in the service picker; the option "<name> <domain>" starting with
    ``name`` is picked, and the account's name must then be filled in from it."""
    page.get_by_role("button", name="Add an account").click()
    acc = page.locator("fieldset[data-account]").last
    expect(acc.get_by_role("combobox", name="Service")).to_be_focused()   # a new account starts at its service
    if service:
        page.keyboard.type(service)
        page.get_by_role("option", name=re.compile(rf"^{re.escape(name)} ")).first.click()
        acc = page.get_by_role("group", name=name, exact=True)
        expect(acc.get_by_label("Account name", exact=True)).to_have_value(name)
    else:
        acc.get_by_label("Account name", exact=True).fill(name)
    acc = page.get_by_role("group", name=name, exact=True)
    acc.get_by_label("Kind of account", exact=True).select_option(label=kind)
    acc.get_by_label("Importance", exact=True).select_option(label=importance)
    for method, on in methods or [("Password", None)]:
        add_method(acc, method, on)
    if codes_in:
        acc.get_by_role("group", name="Backup codes generated").get_by_label("Yes", exact=True).check()
        acc.get_by_role("group", name="Codes kept in").get_by_label(codes_in, exact=True).check()
    return acc
