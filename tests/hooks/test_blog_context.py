"""Pure helpers of hooks/blog_context.py."""
from __future__ import annotations

from datetime import date, datetime, timezone

from hooks.blog_context import Link, PostSummary, date_mapping, latest, resolve_links


def _dt(day: int) -> datetime:
    return datetime(2026, 11, day, tzinfo=timezone.utc)


def test_latest_is_newest_first_with_stable_ties_and_limit():
    posts = [PostSummary("B", "b/", "", _dt(1)), PostSummary("A", "a/", "", _dt(3)),
             PostSummary("C", "c/", "", _dt(3)), PostSummary("D", "d/", "", _dt(2))]
    assert [p.title for p in latest(posts)] == ["A", "C", "D", "B"]
    assert [p.title for p in latest(posts, limit=2)] == ["A", "C"]


def test_resolve_links_keeps_order_and_drops_unknown():
    known = {"blog/posts/a.md": Link("A", "blog/a/"), "blog/posts/b.md": Link("B", "blog/b/")}
    assert resolve_links(["blog/posts/b.md", "nope.md", "blog/posts/a.md"], known.get) == [
        Link("B", "blog/b/"), Link("A", "blog/a/")]


def test_date_mapping_normalises_for_rss():
    assert date_mapping(date(2026, 1, 2)) == {"created": date(2026, 1, 2), "updated": date(2026, 1, 2)}
    assert date_mapping({"created": date(2026, 1, 2), "updated": date(2026, 2, 3)}) == {
        "created": date(2026, 1, 2), "updated": date(2026, 2, 3)}


class _Page:
    def __init__(self, src: str):
        self.file = type("F", (), {"src_uri": src})()
        self.previous_page = self.next_page = None


def test_reader_neighbour_sends_outside_pages_to_the_blog_index_not_its_archive():
    from hooks.blog_context import reader_neighbour

    blog, archive, tools, post = (_Page("blog/index.md"), _Page("blog/archive/2026.md"),
                                  _Page("tools/index.md"), _Page("blog/posts/a.md"))
    in_blog = lambda p: p.file.src_uri.startswith("blog/")  # noqa: E731
    tools.previous_page, archive.next_page, post.previous_page = archive, tools, archive
    assert reader_neighbour(tools, "previous_page", in_blog, blog) is blog
    assert reader_neighbour(archive, "next_page", in_blog, blog) is tools  # inside the blog: unchanged
    assert reader_neighbour(post, "previous_page", in_blog, blog) is archive
    assert reader_neighbour(tools, "next_page", in_blog, blog) is None
