"""The 404 page as a lost reader uses it: its search box opens the site search with the words
typed, and its links lead to the checklist, the Security page and the latest posts."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def test_404_search_opens_the_site_search_with_results(page: Page, site_server):
    page.goto(site_server.url + "404.html")
    expect(page.get_by_role("heading", name="Page not found", level=1)).to_be_visible()
    page.get_by_label("Search the site").fill("backup codes")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page).to_have_url(re.compile(r"\?q=backup\+codes$"))
    # Material opens its search with the query from ?q= and lists matching pages.
    expect(page.get_by_role("search").get_by_role("textbox").first).to_have_value("backup codes")
    expect(page.locator(".md-search-result__item").first).to_be_visible()
    expect(page.locator(".md-search-result__list")).to_contain_text("Backup Codes")


def test_404_links_lead_to_the_tool_and_security(page: Page, site_server):
    page.goto(site_server.url + "404.html")
    page.get_by_role("main").get_by_role("link", name="Security", exact=True).click()
    expect(page).to_have_url(site_server.url + "security/")
    page.goto(site_server.url + "404.html")
    page.get_by_role("main").get_by_role("link", name="Recovery checklist").click()
    expect(page).to_have_url(site_server.url + "tools/recovery-checklist/")
