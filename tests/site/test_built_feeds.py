"""The built RSS and JSON feeds.

The RSS feeds are parsed with feedparser (no bozo). feedparser 6.0 (the current release)
does not read JSON Feed, so the JSON feeds are validated against the JSON Feed 1.1 spec
as a JSON Schema (tests/site/data/jsonfeed-1.1.schema.json). Then field by field.
"""
from __future__ import annotations

import json
import re

from pathlib import Path

import feedparser
import jsonschema
import pytest
import yaml

from site_support import ROOT, site_config

CONFIG = site_config()
CONTACT = CONFIG["extra"]["contact"]
PERSON = f"{CONTACT['email']} ({CONTACT['name']})"  # RSS 2.0: "email (Name)"
FEEDS = ["feed_rss_created.xml", "feed_rss_updated.xml", "feed_json_created.json", "feed_json_updated.json"]
SCHEMA = json.loads((Path(__file__).parent / "data" / "jsonfeed-1.1.schema.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", FEEDS[:2])
def test_rss_feed_parses_without_bozo(built_site, name):
    feed = feedparser.parse((built_site.dir / name).read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "rss20"
    assert feed.feed.title == "Esrok blog"
    assert len(feed.entries) >= 4
    assert "None" not in (built_site.dir / name).read_text(encoding="utf-8")


@pytest.mark.parametrize("name", FEEDS[2:])
def test_json_feed_matches_the_spec(built_site, name):
    data = json.loads((built_site.dir / name).read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker())
    assert [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(data)] == []
    assert data["title"] == "Esrok blog" and len(data["items"]) >= 4


def test_json_feed_schema_rejects_nulls():
    validator = jsonschema.Draft202012Validator(SCHEMA)
    bad = {"version": "https://jsonfeed.org/version/1.1", "title": "t", "icon": None,
           "items": [{"id": "1", "content_html": "x", "image": None}]}
    assert sorted(e.message for e in validator.iter_errors(bad)) == ["None is not of type 'string'"] * 2


@pytest.mark.parametrize("name", FEEDS[:2])
def test_rss_editor_author_and_image(built_site, name):
    text = (built_site.dir / name).read_text(encoding="utf-8")
    feed = feedparser.parse(text)
    assert re.search(r"<managingEditor>([^<]*)</managingEditor>", text).group(1) == PERSON
    authors = re.findall(r"<author>([^<]*)</author>", text)
    assert authors and set(authors) == {PERSON}
    assert feed.feed.image.href == built_site.url + "assets/images/esrok-icon-144.png"
    assert feed.feed.image.link == built_site.url
    assert (built_site.dir / "assets/images/esrok-icon-144.png").is_file()
    categories = [c.strip() for c in re.findall(r"<category>([^<]*)</category>", text)]
    for entry in feed.entries:  # no category repeated with another case within a post
        terms = [t.term for t in entry.tags]
        assert len({t.casefold() for t in terms}) == len(terms), (entry.title, terms)
    assert categories


def _nulls(value, path="$"):
    if value is None:
        yield path
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _nulls(v, f"{path}.{k}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _nulls(v, f"{path}[{i}]")


@pytest.mark.parametrize("name", FEEDS[2:])
def test_json_feed_has_strings_or_no_field(built_site, name):
    data = json.loads((built_site.dir / name).read_text(encoding="utf-8"))
    assert list(_nulls(data)) == []
    assert data["version"] == "https://jsonfeed.org/version/1.1"
    assert data["icon"] == built_site.url + "assets/images/esrok-icon-512.png"
    assert data["authors"] == [{"name": CONTACT["name"], "url": f"mailto:{CONTACT['email']}"}]
    for item in data["items"]:
        assert item["authors"] == [{"name": CONTACT["name"], "url": f"mailto:{CONTACT['email']}"}]
        assert item["url"].startswith(built_site.url)


def test_site_author_is_the_one_team_name():
    """The audit found "Esrok editorial team" and "Esrok editors": one name everywhere."""
    authors = yaml.safe_load((ROOT / "docs/blog/.authors.yml").read_text(encoding="utf-8"))["authors"]
    assert CONFIG["site_author"] == CONTACT["name"] == authors["esrok-editors"]["name"] == "Esrok editors"
    assert CONFIG["extra"]["organization_authors"] == ["Esrok editors"]
