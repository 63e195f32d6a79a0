"""Pure helpers of hooks/feeds.py (the built feeds are parsed in tests/site/test_built_feeds.py)."""
from __future__ import annotations

from hooks.contact import Contact
from hooks.feeds import clean_json_feed, rss_authors

CONTACT = Contact("Esrok editors", "editors@esrok.org")


def test_rss_authors_use_email_and_name():
    assert rss_authors(["Esrok editors", "Jo Reviewer"], CONTACT) == [
        "editors@esrok.org (Esrok editors)", "editors@esrok.org (Jo Reviewer)"]
    assert rss_authors(None, CONTACT) == ["editors@esrok.org (Esrok editors)"]


def test_json_feed_has_no_nulls_and_mailto_authors():
    raw = {
        "version": "https://jsonfeed.org/version/1.1", "title": "Esrok blog", "icon": None,
        "authors": [{"name": "editors@esrok.org (Esrok editors)"}],
        "items": [{"id": "u", "url": "u", "title": "T", "image": None,
                   "authors": [{"name": "editors@esrok.org (Esrok editors)"}], "tags": ["2fa"]}],
    }
    assert clean_json_feed(raw, CONTACT, "https://esrok.org/icon.png") == {
        "version": "https://jsonfeed.org/version/1.1", "title": "Esrok blog", "icon": "https://esrok.org/icon.png",
        "authors": [{"name": "Esrok editors", "url": "mailto:editors@esrok.org"}],
        "items": [{"id": "u", "url": "u", "title": "T",
                   "authors": [{"name": "Esrok editors", "url": "mailto:editors@esrok.org"}], "tags": ["2fa"]}],
    }


def test_json_feed_without_authors_gets_the_contact():
    out = clean_json_feed({"items": []}, CONTACT, "i")
    assert out["authors"] == [{"name": "Esrok editors", "url": "mailto:editors@esrok.org"}]
