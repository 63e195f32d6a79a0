"""robots.txt points at the sitemap; the sitemap's lastmod is each page's own date."""
from __future__ import annotations

import subprocess
import xml.etree.ElementTree as ET
from datetime import date, datetime, timezone

from site_support import ROOT
from test_build import POSTS

NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def lastmods(site) -> dict[str, str]:
    root = ET.parse(site.dir / "sitemap.xml").getroot()
    return {u.findtext(f"{NS}loc")[len(site.url):]: u.findtext(f"{NS}lastmod") for u in root}


def test_robots_txt_points_at_the_sitemap(built_site):
    text = (built_site.dir / "robots.txt").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    assert lines == ["User-agent: *", "Allow: /", f"Sitemap: {built_site.url}sitemap.xml"]
    assert (built_site.dir / "sitemap.xml").is_file()


def _day(value) -> date:
    return value.date() if isinstance(value, datetime) else value


def test_post_lastmod_is_its_updated_or_created_date(built_site):
    mods = lastmods(built_site)
    for post in POSTS:
        d = post.meta["date"] if isinstance(post.meta["date"], dict) else {"created": post.meta["date"]}
        assert mods[post.url] == _day(d.get("updated") or d["created"]).isoformat(), post.src


def _expected(src: str) -> str:
    out = subprocess.run(["git", "log", "-1", "--format=%cs", "--", src], cwd=ROOT / "docs",
                         capture_output=True, text=True).stdout.strip()
    if out:
        return out
    return datetime.fromtimestamp((ROOT / "docs" / src).stat().st_mtime, tz=timezone.utc).date().isoformat()


def test_page_lastmod_is_its_last_commit_or_file_date(built_site):
    mods = lastmods(built_site)
    for url, src in [("", "index.md"), ("about/", "about.md"), ("security/", "security.md"),
                     ("tools/plan-format/", "tools/plan-format.md")]:
        assert mods[url] == _expected(src), url


def test_listing_lastmod_is_its_newest_post(built_site):
    mods = lastmods(built_site)
    newest = max(mods[p.url] for p in POSTS)
    assert mods["blog/"] == newest
    assert mods["blog/archive/2026/"] == newest


def test_lastmod_is_not_the_build_date_everywhere(built_site):
    assert len(set(lastmods(built_site).values())) > 2
