"""Browser tests: real Debian Chromium through Playwright against the real built site.

One browser per session (pytest-playwright's `browser`, launched with the system
chromium; never `playwright install`). Waits use expect() with generous timeouts,
because Pyodide takes 4-7 s to boot on these machines and more under load.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
BOOT_TIMEOUT_MS = 90_000
TOOL = "tools/recovery-checklist/"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


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
    expect(page.get_by_role("status").filter(has_text="The checker is ready")).to_be_visible(timeout=BOOT_TIMEOUT_MS)


def answer_quick(page: Page, answers: dict[str, str]) -> None:
    """Answer the quick check as a person would: find each question by its text, the option by its label."""
    for question, option in answers.items():
        page.get_by_role("group", name=question).get_by_label(option, exact=True).check()
    page.get_by_role("button", name="Check my recovery").click()


def results(page: Page):
    return page.locator("#esrok-results")
