"""Pure helpers of hooks/contact.py: the contact check's exact lines and the RSS person form."""
from __future__ import annotations

import pytest

from hooks.contact import Contact, check_contact, is_local, link_definitions, parse_contact

W = "mkdocs.yml: extra.contact"
GOOD = {"name": "Esrok editors", "email": "editors@esrok.org", "repository": "https://github.com/esrok/site"}


def test_a_complete_contact_passes_and_parses():
    assert check_contact(GOOD, "https://esrok.org/") == []
    assert parse_contact({**GOOD, "repository": "https://github.com/esrok/site/"}) == Contact(
        "Esrok editors", "editors@esrok.org", "https://github.com/esrok/site")
    assert parse_contact({"name": "E", "email": "e@x.org"}).repository is None


def test_unset_contact_is_refused_with_a_clear_line():
    assert check_contact(None) == [
        f"{W}: missing; readers need a way to reach the editors: add contact: "
        "{name: Esrok editors, email: editors@your-domain}"]
    assert check_contact("editors@esrok.org") == [
        f"{W}: expected a mapping, got str; write contact: {{name: Esrok editors, email: editors@your-domain}}"]


def test_every_problem_is_listed():
    assert check_contact({"email": "not-an-address", "repository": "github.com/x", "phone": 1}) == [
        f"{W}.phone: unknown key; use only name, email and repository",
        f"{W}.name: missing; add name: (who answers, e.g. Esrok editors)",
        f"{W}.email: 'not-an-address' is not an email address; write it as name@domain",
        f"{W}.repository: 'github.com/x' is not an https:// URL; link the public source repository, or remove the key",
    ]
    assert check_contact({"name": "E", "email": ""}) == [
        f"{W}.email: missing; add email: with the address that answers readers"]


@pytest.mark.parametrize("site_url, ok", [
    ("http://127.0.0.1:8000/", True), ("http://localhost:8000/", True), (None, True), ("", True),
    ("https://esrok.org/", False), ("https://owner.github.io/esrok/", False),
])
def test_placeholder_address_only_for_local_builds(site_url, ok):
    problems = check_contact({"name": "E", "email": "editors@esrok.example"}, site_url)
    assert problems == ([] if ok else [
        f"{W}.email: 'editors@esrok.example' is a placeholder address, and this build is for {site_url}; "
        "set the real address readers can write to (or ESROK_CONTACT_EMAIL when building)"])


def test_is_local():
    assert is_local("http://127.0.0.1:1/") and not is_local("https://example.org/")


def test_rss_person_and_link_definitions():
    contact = parse_contact(GOOD)
    assert contact.rss_person == "editors@esrok.org (Esrok editors)"
    assert link_definitions(contact) == ("[contact-email]: mailto:editors@esrok.org\n"
                                         "[contact-repository]: https://github.com/esrok/site")
    assert link_definitions(Contact("E", "e@x.org")) == "[contact-email]: mailto:e@x.org"
