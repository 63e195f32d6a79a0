"""RSS and JSON feeds that validators accept (on top of mkdocs-rss-plugin 1.19.0).

- RSS `managingEditor` and every item's `author` use the RSS 2.0 "email (Name)" form,
  from `extra.contact` (hooks/contact.py) and the post's author names;
- the channel image (RSS `<image>`, JSON Feed `icon`) is a same-origin PNG under
  `site_url` (a fixed `image:` in mkdocs.yml cannot follow SITE_URL, and `image: null`
  wrote `<url>None</url>`);
- JSON Feed authors become `{name, url: mailto:...}`, and any `null` field is left out
  (the spec wants a string or no field).

The pure helpers are unit-tested in tests/hooks/test_feeds.py; tests/site/test_built_feeds.py
parses the built feeds with feedparser.
"""
from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urljoin

FEED_ICON = "assets/images/esrok-icon-144.png"  # RSS 2.0: at most 144 px wide
JSON_ICON = "assets/images/esrok-icon-512.png"  # JSON Feed: 512x512


def rss_authors(names, contact) -> list[str]:
    """Item authors as RSS 2.0 wants them: `email (Name)` (the editors' address)."""
    return [f"{contact.email} ({name})" for name in (names or [contact.name])]


def clean_json_feed(data: dict, contact, icon_url: str) -> dict:
    """A JSON Feed 1.1 document without nulls, with mailto authors and the square icon."""
    def person(name: str) -> dict:
        name = name.rsplit(" (", 1)[1].rstrip(")") if name.endswith(")") and " (" in name else name
        return {"name": name, "url": f"mailto:{contact.email}"}

    def drop_nulls(obj: dict) -> dict:
        return {k: v for k, v in obj.items() if v is not None}

    out = drop_nulls({**data, "icon": icon_url})
    out["authors"] = [person(a["name"]) for a in data.get("authors") or []] or [person(contact.name)]
    out["items"] = [
        drop_nulls({**item, "authors": [person(a["name"]) for a in item.get("authors") or []]})
        for item in data.get("items") or []
    ]
    return out


# ---------------------------------------------------------------------- MkDocs hook

from mkdocs.plugins import event_priority  # noqa: E402


def _rss(config):
    return config.plugins.get("rss")


@event_priority(-100)  # after the rss plugin built its base feeds, and after hooks/contact.py
def on_config(config):
    rss, contact = _rss(config), config.extra["contact"]
    if rss is None:
        return config
    for feed in (rss.feed_created, rss.feed_updated):
        feed.author = contact.rss_person
        feed.logo_url = urljoin(config.site_url or "", FEED_ICON)
    return config


@event_priority(-100)  # after the rss plugin (-75) recorded this page for the feeds
def on_page_content(html, page, config, files):
    rss, contact = _rss(config), config.extra["contact"]
    if rss is not None and rss.pages_to_filter:
        info = rss.pages_to_filter[-1]
        if page.file.abs_src_path and str(info.abs_path) == str(Path(page.file.abs_src_path)):
            info.authors = rss_authors(info.authors, contact)
    return html


@event_priority(-100)  # after the rss plugin (priority 0) wrote the feeds
def on_post_build(config):
    rss, contact = _rss(config), config.extra["contact"]
    if rss is None or not rss.config.json_feed_enabled:
        return
    names = rss.config.feeds_filenames
    for name in (names.json_created, names.json_updated):
        path = Path(config.site_dir) / name
        data = json.loads(path.read_text(encoding="utf-8"))
        cleaned = clean_json_feed(data, contact, urljoin(config.site_url or "", JSON_ICON))
        path.write_text(json.dumps(cleaned, ensure_ascii=False), encoding="utf-8")
