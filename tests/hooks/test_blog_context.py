"""Pure helpers of hooks/blog_context.py and hooks/theme_loader.py."""
from __future__ import annotations

from datetime import date, datetime, timezone

import jinja2

from hooks.blog_context import Link, PostSummary, date_mapping, latest, resolve_links
from hooks.theme_loader import MATERIAL_TEMPLATES, with_material_prefix


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


def test_material_prefix_loads_materials_template_while_overrides_win(tmp_path):
    (tmp_path / "blog-post.html").write_text('{% extends "material/blog-post.html" %}')
    env = jinja2.Environment(loader=with_material_prefix(jinja2.FileSystemLoader(str(tmp_path))))
    source, filename, _ = env.loader.get_source(env, "material/blog-post.html")
    assert filename == str(MATERIAL_TEMPLATES / "blog-post.html")
    assert "md-content--post" in source
    assert env.loader.get_source(env, "blog-post.html")[1] == str(tmp_path / "blog-post.html")


def test_bytecode_cache_lives_in_dot_cache_and_can_be_turned_off(tmp_path):
    from hooks.theme_loader import bytecode_cache

    cache = bytecode_cache(tmp_path, environ={})
    assert isinstance(cache, jinja2.FileSystemBytecodeCache)
    assert (tmp_path / ".cache" / "jinja").is_dir()
    env = jinja2.Environment(loader=jinja2.DictLoader({"t.html": "{{ 1 + 1 }}"}), bytecode_cache=cache)
    assert env.get_template("t.html").render() == "2"
    assert list((tmp_path / ".cache" / "jinja").iterdir())  # compiled once, stored
    assert bytecode_cache(tmp_path, environ={"ESROK_JINJA_CACHE": "0"}) is None
