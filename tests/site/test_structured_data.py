"""JSON-LD on the built pages, read with extruct as a search engine would."""
from __future__ import annotations

from datetime import date, datetime

import extruct
import pytest

from test_build import POSTS, Post

CARD = "assets/images/esrok-card.png"


def json_ld(site, url: str) -> list[dict]:
    html = (site.dir / url / "index.html").read_text(encoding="utf-8")
    return extruct.extract(html, base_url=site.url + url, syntaxes=["json-ld"], uniform=True)["json-ld"]


def _day(value) -> date:
    return value.date() if isinstance(value, datetime) else value


def test_home_has_website_and_organization(built_site):
    data = json_ld(built_site, "")
    assert len(data) == 1
    graph = {node["@type"]: node for node in data[0]["@graph"]}
    assert set(graph) == {"WebSite", "Organization"}
    site, org = graph["WebSite"], graph["Organization"]
    assert site["name"] == org["name"] == "Esrok"
    assert site["url"] == org["url"] == built_site.url
    assert site["publisher"] == {"@id": org["@id"]}
    assert org["logo"]["url"] == built_site.url + "assets/images/esrok-icon-512.png"
    assert "@" in org["email"] and org["contactPoint"]["email"] == org["email"]


@pytest.mark.parametrize("post", POSTS, ids=lambda p: p.src)
def test_post_has_breadcrumbs_and_blogposting_with_image_and_modified_date(built_site, post: Post):
    data = {d["@type"]: d for d in json_ld(built_site, post.url)}
    assert set(data) == {"BlogPosting", "BreadcrumbList"}
    crumbs = data["BreadcrumbList"]["itemListElement"]
    assert [(c["position"], c["name"], c["item"]) for c in crumbs] == [
        (1, "Home", built_site.url), (2, "Blog", built_site.url + "blog/"),
        (3, post.meta["title"], built_site.url + post.url)]

    posting = data["BlogPosting"]
    assert posting["image"]["url"] == built_site.url + CARD
    assert (posting["image"]["width"], posting["image"]["height"]) == (1200, 630)
    assert (built_site.dir / CARD).is_file()
    dates = post.meta["date"] if isinstance(post.meta["date"], dict) else {"created": post.meta["date"]}
    assert posting["datePublished"] == _day(dates["created"]).isoformat()
    assert posting["dateModified"] == _day(dates.get("updated") or dates["created"]).isoformat()
    assert posting["publisher"]["name"] == "Esrok"
    assert posting["publisher"]["logo"]["url"].startswith(built_site.url)


@pytest.mark.parametrize("url", ["security/", "about/", "tools/", "blog/"])
def test_other_pages_have_no_structured_data(built_site, url):
    assert json_ld(built_site, url) == []
