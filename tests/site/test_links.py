"""Internal link check over the built HTML (session fixture `built_site`).

Every href/src that points inside the site must resolve to a built file, and
every #fragment on a link to another page must name an element id there.
External links (another host, mailto:, tel:, data:) are out of scope.
"""
from __future__ import annotations

from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

LINK_ATTRS = {"href", "src", "poster", "data"}
SKIP_SCHEMES = ("mailto:", "tel:", "data:", "javascript:", "blob:")


class Refs(HTMLParser):
    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.refs: list[tuple[str, str]] = []  # (tag, url)
        self.ids: set[str] = set()
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        for key, value in attrs:
            if key == "id" and value:
                self.ids.add(value)
            if key == "name" and tag == "a" and value:
                self.ids.add(value)
            if key in LINK_ATTRS and value and not (tag == "meta"):
                self.refs.append((tag, value.strip()))


@cache
def _parse(path: Path) -> Refs:
    return Refs(path.read_text(encoding="utf-8"))


def page_url(site, path: Path) -> str:
    rel = path.relative_to(site.dir).as_posix()
    return site.url + rel


def target_file(site, absolute: str) -> Path:
    path = unquote(urlsplit(absolute).path)[len(urlsplit(site.url).path):]
    target = site.dir / path
    if path == "" or path.endswith("/"):
        target = target / "index.html"
    return target


def check(site) -> tuple[int, list[str]]:
    broken, checked = [], 0
    for html in sorted(site.dir.rglob("*.html")):
        base = page_url(site, html)
        for tag, ref in _parse(html).refs:
            if ref.startswith(SKIP_SCHEMES):
                continue
            absolute = urljoin(base, ref)
            if not absolute.startswith(site.url):
                continue  # another host
            checked += 1
            where = f"{html.relative_to(site.dir)}: <{tag}> {ref}"
            target = target_file(site, absolute)
            if not target.is_file():
                broken.append(f"{where}: no file {target.relative_to(site.dir)}")
                continue
            fragment = urlsplit(absolute).fragment
            if fragment and target.suffix == ".html" and target != html and unquote(fragment) not in _parse(target).ids:
                broken.append(f"{where}: no id '{fragment}' in {target.relative_to(site.dir)}")
    return checked, broken


def test_every_internal_link_resolves(built_site):
    checked, broken = check(built_site)
    assert checked > 200  # the check really ran over the site's links
    assert broken == []


def test_link_checker_catches_a_broken_link(tmp_path):
    """The checker itself: a missing file and a missing anchor are reported."""
    from site_support import Site

    (tmp_path / "a").mkdir()
    (tmp_path / "index.html").write_text(
        '<a href="a/">ok</a><a href="missing/">x</a><a href="a/#nope">y</a><a href="https://e.example/">z</a>'
        '<img src="img.svg"><a href="mailto:x@e.example">m</a>')
    (tmp_path / "a" / "index.html").write_text('<h2 id="here">h</h2><a href="../index.html#top">t</a>')
    checked, broken = check(Site(dir=tmp_path, url="http://127.0.0.1:1/"))
    assert checked == 5
    assert broken == [
        "a/index.html: <a> ../index.html#top: no id 'top' in index.html",
        "index.html: <a> missing/: no file missing/index.html",
        "index.html: <a> a/#nope: no id 'nope' in a/index.html",
        "index.html: <img> img.svg: no file img.svg",
    ]
