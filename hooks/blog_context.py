"""Template data for posts and the homepage (markup stays in the Jinja templates).

- posts: `related_reads` (title + URL of each `related:` post), `tool_page`
  (title + URL of the page named by `tool:`), `is_post`;
- homepage: rendered with `overrides/home.html` and given `latest_posts`,
  newest first;
- the 404 page (`overrides/404.html`): `latest_posts` too;
- the footer's previous/next links of a page outside the blog skip the blog's generated
  listings (archive and category pages): the Tools page said "Previous: 2026" (the
  archive page's title) and now says "Previous: Blog".

The pure helpers are unit-tested in tests/hooks/test_blog_context.py.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

POST_DIR = "blog/posts/"
HOME_TEMPLATE = "home.html"
LATEST_LIMIT = 5


@dataclass(frozen=True)
class Link:
    title: str
    url: str  # site-relative (File.url); templates pass it through `| url`


@dataclass(frozen=True)
class PostSummary:
    title: str
    url: str
    description: str
    created: datetime


def resolve_links(paths: Iterable[str], lookup: Callable[[str], Link | None]) -> list[Link]:
    """Links for the docs-relative `paths` that resolve (the front-matter hook rejects the others)."""
    return [link for link in map(lookup, paths) if link is not None]


def date_mapping(value) -> dict:
    """Front matter `date:` in the mapping form RSS reads (`date.created` / `date.updated`).

    A plain `date: 2026-01-10` becomes `{created: 2026-01-10, updated: 2026-01-10}`;
    a missing `updated` defaults to `created`, so the "updated" feed never shows build time.
    """
    mapping = dict(value) if isinstance(value, dict) else {"created": value}
    mapping.setdefault("updated", mapping.get("created"))
    return mapping


def latest(posts: Iterable[PostSummary], limit: int = LATEST_LIMIT) -> list[PostSummary]:
    """Newest first; ties broken by title so the order is stable."""
    return sorted(posts, key=lambda p: (-p.created.timestamp(), p.title))[:limit]


def reader_neighbour(page, step: str, in_blog: Callable[[object], bool], blog_index):
    """The page's previous/next page (`step`), with the blog's listings seen as one page.

    From outside the blog, any neighbour inside it becomes the blog's index page (a
    reader on Tools is sent to "Blog", not to the archive page "2026"); inside the blog,
    Material's own order is kept.
    """
    neighbour = getattr(page, step)
    if neighbour is None or in_blog(page) or not in_blog(neighbour):
        return neighbour
    return blog_index


def summaries(posts) -> list[PostSummary]:
    return latest(
        PostSummary(title=str(p.meta.get("title") or p.title), url=p.url,
                    description=str(p.meta.get("description") or ""), created=p.config.date.created)
        for p in posts
    )


# ---------------------------------------------------------------------- MkDocs hook

_files = None  # the build's Files, captured in on_files (URLs are final after the blog plugin)


def on_files(files, config):
    global _files
    _files = files
    return files


def _blog(config):
    return config.plugins.get("material/blog")


def _in_blog(config):
    blog = _blog(config)
    prefix = (blog.config.blog_dir.strip("/") + "/") if blog is not None else None
    return lambda page: prefix is not None and page.file.src_uri.startswith(prefix)


def _link(path: str) -> Link | None:
    file = _files.get_file_from_path(path) if _files is not None else None
    if file is None or file.page is None:
        return None
    return Link(title=str(file.page.meta.get("title") or file.page.title), url=file.url)


def on_page_markdown(markdown, page, config, files):
    if page.file.src_uri.startswith(POST_DIR) and "date" in page.meta:
        page.meta["date"] = date_mapping(page.meta["date"])
    if page.is_homepage and "template" not in page.meta:
        page.meta["template"] = HOME_TEMPLATE
    return markdown


def on_page_context(context, page, config, nav):
    if page.file.src_uri.startswith(POST_DIR):
        context["is_post"] = True
        context["related_reads"] = resolve_links(page.meta.get("related") or [], _link)
        tool = page.meta.get("tool")
        context["tool_page"] = _link(f"tools/{tool}.md") if tool else None
    elif page.is_homepage:
        blog = _blog(config)
        context["latest_posts"] = summaries(blog.blog.posts if blog is not None else [])
    blog = _blog(config)
    if blog is not None and getattr(blog, "blog", None) is not None:
        in_blog = _in_blog(config)
        page.previous_page = reader_neighbour(page, "previous_page", in_blog, blog.blog)
        page.next_page = reader_neighbour(page, "next_page", in_blog, blog.blog)
    return context


def on_template_context(context, template_name, config):
    if template_name == "404.html":
        blog = _blog(config)
        context["latest_posts"] = summaries(blog.blog.posts if blog is not None else [])[:3]
    return context
