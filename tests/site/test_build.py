"""The real site, built once with `mkdocs build --strict` (session fixture `built_site`).

Pages exist; every post renders its related reads, tool button, back link and
sources; RSS and sitemap list every post; meta tags and JSON-LD are present and
correct; no built file points a reader's browser at a third-party host.
"""
from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import date, datetime
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

import pytest
import yaml
from pymdownx.slugs import slugify

from site_support import ROOT, site_config
from hooks.frontmatter import parse_document

CONFIG = site_config()

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Element:
    tag: str
    attrs: dict
    ancestors: tuple[str, ...]  # "#id" and ".class" of every enclosing element
    text: str = ""


class Page(HTMLParser):
    """Minimal DOM summary: every element with its ancestors' ids/classes and text."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self._stack: list[tuple[str, list[str], list[Element]]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = {k: (v or "") for k, v in attrs}
        ancestors = tuple(m for _, marks, _ in self._stack for m in marks)
        el = Element(tag, attrs, ancestors)
        self.elements.append(el)
        if tag in VOID:
            return
        marks = [f"#{attrs['id']}"] if attrs.get("id") else []
        marks += [f".{c}" for c in attrs.get("class", "").split()]
        self._stack.append((tag, marks, [el]))

    def handle_endtag(self, tag):
        for i in range(len(self._stack) - 1, -1, -1):
            if self._stack[i][0] == tag:
                del self._stack[i:]
                return

    def handle_data(self, data):
        for _, _, els in self._stack:
            for el in els:
                el.text += data

    def find(self, tag: str, inside: str | None = None, **attrs) -> list[Element]:
        return [e for e in self.elements if e.tag == tag
                and (inside is None or inside in e.ancestors)
                and all(e.attrs.get(k.rstrip("_")) == v for k, v in attrs.items())]

    def meta(self, key: str) -> str | None:
        for e in self.find("meta"):
            if e.attrs.get("name") == key or e.attrs.get("property") == key:
                return e.attrs.get("content")
        return None


@dataclass(frozen=True)
class Post:
    src: str  # docs-relative
    meta: dict = field(hash=False)
    url: str = ""  # site-relative, e.g. blog/complete-guide-to-2fa/

    @property
    def created(self) -> date:
        d = self.meta["date"]
        d = d["created"] if isinstance(d, dict) else d
        return d.date() if isinstance(d, datetime) else d


def _posts() -> list[Post]:
    slug = slugify(case="lower")
    out = []
    for path in sorted((ROOT / "docs" / "blog" / "posts").glob("*.md")):
        src = path.relative_to(ROOT / "docs").as_posix()
        meta = parse_document(src, path.read_text(encoding="utf-8")).meta
        if meta.get("draft") is True:
            continue
        out.append(Post(src, meta, f"blog/{meta.get('slug') or slug(meta['title'], '-')}/"))
    return out


POSTS = _posts()
BY_SRC = {p.src: p for p in POSTS}
PAGES = ["", "security/", "blog/", "blog/tags/", "tools/", "tools/recovery-checklist/", "about/"]


def load(site, url: str) -> Page:
    return Page((site.dir / url / "index.html").read_text(encoding="utf-8"))


def resolves_to(site, page_url: str, href: str) -> str:
    """Site-relative URL an href on `page_url` points to."""
    absolute = urljoin(site.url + page_url, href)
    assert absolute.startswith(site.url), f"{href!r} on /{page_url} leaves the site"
    return absolute[len(site.url):].split("#")[0]


def test_there_are_posts():
    assert len(POSTS) >= 4, [p.src for p in POSTS]


@pytest.mark.parametrize("url", PAGES + [p.url for p in POSTS])
def test_page_exists(built_site, url):
    assert (built_site.dir / url / "index.html").is_file()


@pytest.mark.parametrize("post", POSTS, ids=lambda p: p.src)
def test_post_renders_related_tool_back_and_sources(built_site, post):
    page = load(built_site, post.url)
    related = page.find("a", inside=".esrok-related")
    expected = [(BY_SRC[r].meta["title"], BY_SRC[r].url) for r in post.meta.get("related", [])]
    assert [(a.text.strip(), resolves_to(built_site, post.url, a.attrs["href"])) for a in related] == expected
    assert page.find("h2", id="esrok-related") or not expected

    buttons = page.find("a", inside=".esrok-tool-cta")
    if post.meta.get("tool"):
        assert len(buttons) == 1
        assert buttons[0].text.startswith("Open related tool")
        assert resolves_to(built_site, post.url, buttons[0].attrs["href"]) == f"tools/{post.meta['tool']}/"
    else:
        assert buttons == []

    back = page.find("a", inside=".esrok-back")
    assert [a.text.strip() for a in back] == ["← Back to blog"]
    assert resolves_to(built_site, post.url, back[0].attrs["href"]) == "blog/"

    sources = post.meta.get("sources", [])
    items = page.find("li", inside=".esrok-sources")
    assert len(items) == len(sources)
    links = page.find("a", inside=".esrok-sources")
    assert [a.attrs["href"] for a in links] == [s["url"] for s in sources]
    for item, source in zip(items, sources):
        assert source["title"] in item.text
        assert source.get("section", "") in item.text


def test_every_post_has_sources_and_related_reads():
    """Issue 2: each post cites sources and links its related reads."""
    for post in POSTS:
        assert post.meta.get("sources"), post.src
        assert post.meta.get("related"), post.src


def test_homepage_lists_latest_posts_newest_first(built_site):
    page = load(built_site, "")
    titles = [a.text.strip() for a in page.find("a", inside=".esrok-latest__item")]
    newest = sorted(POSTS, key=lambda p: (-p.created.toordinal(), p.meta["title"]))[:5]
    assert titles == [p.meta["title"] for p in newest]


def test_security_pillar_links_every_post(built_site):
    page = load(built_site, "security/")
    targets = {resolves_to(built_site, "security/", a.attrs["href"])
               for a in page.find("a", inside=".md-content") if a.attrs.get("href")}
    missing = [p.url for p in POSTS if p.url not in targets]
    assert missing == []


def test_rss_feeds_list_every_post(built_site):
    for feed in ("feed_rss_created.xml", "feed_rss_updated.xml"):
        root = ET.parse(built_site.dir / feed).getroot()
        links = {item.findtext("link") for item in root.iter("item")}
        assert links == {built_site.url + p.url for p in POSTS}, feed
    created = ET.parse(built_site.dir / "feed_rss_created.xml").getroot()
    for item in created.iter("item"):
        post = next(p for p in POSTS if built_site.url + p.url == item.findtext("link"))
        # the date comes from date.created, not from the build time
        assert post.created.strftime("%d %b %Y") in item.findtext("pubDate")


def test_sitemap_lists_every_page_and_post(built_site):
    root = ET.parse(built_site.dir / "sitemap.xml").getroot()
    locs = {e.text for e in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
    for url in PAGES + [p.url for p in POSTS]:
        assert built_site.url + url in locs


@pytest.mark.parametrize("post", POSTS, ids=lambda p: p.src)
def test_post_meta_and_json_ld(built_site, post):
    page = load(built_site, post.url)
    canonical = built_site.url + post.url
    assert page.meta("description") == post.meta["description"]
    assert [e.attrs["href"] for e in page.find("link", rel="canonical")] == [canonical]
    assert page.meta("og:type") == "article"
    assert page.meta("og:title") == page.meta("twitter:title") == post.meta["title"]
    assert page.meta("og:description") == page.meta("twitter:description") == post.meta["description"]
    assert page.meta("og:url") == canonical
    assert page.meta("twitter:card") == "summary_large_image"
    assert page.meta("og:image") == page.meta("twitter:image") == built_site.url + "assets/images/esrok-card.png"
    assert page.meta("article:published_time").startswith(post.created.isoformat())

    scripts = [json.loads(s.text) for s in page.find("script", type="application/ld+json")]
    assert [d["@type"] for d in scripts] == ["BlogPosting", "BreadcrumbList"]
    data = scripts[0]
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "BlogPosting"
    assert data["headline"] == post.meta["title"]
    assert data["description"] == post.meta["description"]
    assert data["datePublished"] == post.created.isoformat()
    assert data["url"] == data["mainEntityOfPage"]["@id"] == canonical
    assert data["author"] and all(a["name"] for a in data["author"])
    teams = set(CONFIG.get("extra", {}).get("organization_authors") or [])
    assert [a["@type"] for a in data["author"]] == [
        "Organization" if a["name"] in teams else "Person" for a in data["author"]]


@pytest.mark.parametrize("url", PAGES)
def test_page_meta_without_blogposting(built_site, url):
    page = load(built_site, url)
    assert page.meta("description")
    assert [e.attrs["href"] for e in page.find("link", rel="canonical")] == [built_site.url + url]
    assert page.meta("og:type") == "website"
    assert page.meta("og:url") == built_site.url + url
    assert page.meta("og:title") and page.meta("twitter:card") == "summary_large_image"
    scripts = [json.loads(s.text) for s in page.find("script", type="application/ld+json")]
    # Only the home page describes the site (WebSite + Organization); no page but a post is a BlogPosting.
    assert [d.get("@type") for d in scripts] == ([None] if url == "" else [])
    if url == "":
        assert [d["@type"] for d in scripts[0]["@graph"]] == ["WebSite", "Organization"]


# -- no third-party requests ------------------------------------------------------

FORBIDDEN = re.compile(r"fonts\.googleapis\.com|fonts\.gstatic\.com|api\.github\.com|unpkg\.com"
                       r"|jsdelivr|cdnjs|//cdn\.|\.cdn\.|googletagmanager|google-analytics")
# Vendored files carry URLs on code paths this site never takes. Material's bundle:
# api.github.com (only with repo_url), mermaid from unpkg (only when a page has a
# mermaid diagram) and a ResizeObserver polyfill (only in browsers without it);
# test_dormant_material_urls_stay_dormant checks those conditions. pyodide.mjs: its
# default CDN indexURL, used only when no indexURL is given (the tool passes a
# same-origin one; the browser tests watch the network).
DORMANT = {
    "bundle.": {
        "https://api.github.com/repos/", "https://api.github.com/users/",
        "https://unpkg.com/mermaid@11/dist/mermaid.min.js", "https://unpkg.com/resize-observer-polyfill",
    },
    "pyodide.mjs": {"https://cdn.jsdelivr.net/pyodide/v"},
}
URL_AT = re.compile(r"(?:https?:)?//[^\s\"'`)<>$]+")


def _built_text_files(site) -> list[Path]:
    return [p for p in site.dir.rglob("*") if p.suffix in {".html", ".css", ".js", ".mjs", ".json", ".xml"}
            and p.is_file()]


def test_no_third_party_hosts_in_built_files(built_site):
    offenders, files = [], _built_text_files(built_site)
    assert any(p.name.startswith("bundle.") for p in files) and len(files) > 20  # the scan really ran
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        if not FORBIDDEN.search(text):
            continue
        urls = {u for u in URL_AT.findall(text) if FORBIDDEN.search(u)}
        allowed = next((v for k, v in DORMANT.items() if path.name.startswith(k)), set())
        bad = (urls - allowed) if urls else {"(non-URL reference)"}
        if bad:
            offenders.append(f"{path.relative_to(built_site.dir)}: {sorted(bad)}")
    assert offenders == []


def test_dormant_material_urls_stay_dormant(built_site):
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert not re.search(r"^\s*repo_url\s*:", config, re.M)
    assert re.search(r"^\s*font:\s*false", config, re.M)
    for html in built_site.dir.rglob("*.html"):
        assert 'class="mermaid"' not in html.read_text(encoding="utf-8"), html


# -- trust and reach ------------------------------------------------------------------

CONTACT = CONFIG["extra"]["contact"]


def test_nav_puts_maintainer_pages_under_for_contributors_last():
    sections = [next(iter(item)) for item in CONFIG["nav"]]
    assert sections == ["Home", "Security", "Blog", "Tools", "About", "For contributors"]
    tools = CONFIG["nav"][3]["Tools"]
    assert "tools/plan-format.md" in tools and "tools/how-the-checklist-decides.md" in tools
    assert CONFIG["nav"][5]["For contributors"] == ["tools/how-the-checker-is-built.md"]


@pytest.mark.parametrize("url", PAGES + [p.url for p in POSTS])
def test_footer_links_the_editorial_policy_and_the_contact(built_site, url):
    page = load(built_site, url)
    links = {a.text.strip(): a.attrs["href"] for a in page.find("a", inside=".esrok-footer__links")}
    assert resolves_to(built_site, url, links["Editorial policy"]) == "about/"
    assert links[f"Contact: {CONTACT['email']}"] == f"mailto:{CONTACT['email']}"
    assert resolves_to(built_site, url, links["RSS feed"]) == "feed_rss_created.xml"
    assert "Made with" not in "".join(e.text for e in page.find("div", class_="md-copyright"))


def test_tools_page_previous_link_is_the_blog_not_an_archive_year(built_site):
    page = load(built_site, "tools/")
    prev = page.find("a", class_="md-footer__link md-footer__link--prev")
    assert [a.attrs["aria-label"] for a in prev] == ["Previous: Blog"]
    assert resolves_to(built_site, "tools/", prev[0].attrs["href"]) == "blog/"


def test_about_page_correction_process_links_the_contact(built_site):
    page = load(built_site, "about/")
    corrections = [a for a in page.find("a", inside=".md-content") if a.text.strip() == "Email the editors"]
    assert [a.attrs["href"] for a in corrections] == [f"mailto:{CONTACT['email']}"]


def test_404_page_offers_search_posts_tool_and_security(built_site):
    page = Page((built_site.dir / "404.html").read_text(encoding="utf-8"))
    assert page.find("title")[0].text.strip() == "Page not found - Esrok"
    assert page.find("h1")[0].text.strip() == "Page not found"
    form = page.find("form", role="search")
    assert [f.attrs["action"] for f in form] == [built_site.url]
    assert [i.attrs["name"] for i in page.find("input", id="esrok-404-q")] == ["q"]
    hrefs = {a.text.strip(): a.attrs["href"] for a in page.find("a", inside=".md-content")}
    assert hrefs["Recovery checklist"].endswith("/tools/recovery-checklist/")
    assert hrefs["Security"].endswith("/security/")
    latest = [a.text.strip() for a in page.find("a", inside=".esrok-404__latest")]
    newest = sorted(POSTS, key=lambda p: (-p.created.toordinal(), p.meta["title"]))[:3]
    assert latest == [p.meta["title"] for p in newest] + ["All posts"]
    assert hrefs[CONTACT["email"]].startswith(f"mailto:{CONTACT['email']}")


@pytest.mark.parametrize("post", POSTS, ids=lambda p: p.src)
def test_post_shows_its_authors_with_role_bio_and_sized_avatar(built_site, post):
    authors = yaml.safe_load((ROOT / "docs/blog/.authors.yml").read_text(encoding="utf-8"))["authors"]
    page = load(built_site, post.url)
    names = [e.text.strip() for e in page.find("p", class_="esrok-author__name")]
    expected = [authors[a] for a in post.meta["authors"]]
    assert names == [f"{a['name']}, {a['description']}" for a in expected]
    assert [e.text.strip() for e in page.find("p", class_="esrok-author__bio")] == [
        " ".join(a["bio"].split()) for a in expected]
    for img in page.find("img", class_="esrok-author__avatar"):
        assert (img.attrs["width"], img.attrs["height"]) == ("48", "48")
        assert resolves_to(built_site, post.url, img.attrs["src"]) in {a["avatar"] for a in expected}


@pytest.mark.parametrize("post", POSTS, ids=lambda p: p.src)
def test_post_sources_show_the_day_they_were_checked(built_site, post):
    page = load(built_site, post.url)
    days = [t.attrs["datetime"] for t in page.find("time", inside=".esrok-source-checked")]
    assert days == [str(s["checked"]) for s in post.meta["sources"]]
