"""The sitemap's `<lastmod>` for each page: its own date, never the build time.

MkDocs writes every page's `update_date` (the build date) into sitemap.xml. This hook
sets it per page before the sitemap is rendered:

- a post: `date.updated`, else `date.created`, from its front matter;
- a blog listing (index, archive, category page): its newest post's date;
- any other page: the date of the last commit that touched its file (one `git log`
  over docs/ per build; a local command, no network), else the file's modification
  time (an untracked file, or a copy of the site outside git).

The pure helpers are unit-tested in tests/hooks/test_page_dates.py.
"""
from __future__ import annotations

import os
import subprocess
from collections.abc import Iterable
from datetime import date, datetime, timezone

POST_DIR = "blog/posts/"


def as_date(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return None


def post_date(meta_date) -> date | None:
    """`date.updated`, else `date.created` (the plain `date: 2026-01-10` form too)."""
    if isinstance(meta_date, dict):
        return as_date(meta_date.get("updated")) or as_date(meta_date.get("created"))
    return as_date(meta_date)


def newest(dates: Iterable[date | None]) -> date | None:
    return max((d for d in dates if d is not None), default=None)


def parse_git_log(output: str) -> dict[str, date]:
    """`git log --format=%x00%cs --name-only` output -> {path: date of its last commit}."""
    dates: dict[str, date] = {}
    current = None
    for line in output.splitlines():
        if line.startswith("\x00"):
            current = date.fromisoformat(line[1:].strip())
        elif line.strip() and current is not None:
            dates.setdefault(line.strip(), current)  # newest commit first
    return dates


def git_dates(directory: str) -> dict[str, date]:
    """{path relative to `directory`: last commit date}; empty outside a git checkout."""
    try:
        proc = subprocess.run(
            ["git", "log", "--format=%x00%cs", "--name-only", "--relative", "--", "."],
            cwd=directory, capture_output=True, text=True, timeout=60,
        )
    except (OSError, subprocess.SubprocessError):
        return {}
    return parse_git_log(proc.stdout) if proc.returncode == 0 else {}


def file_date(path: str) -> date:
    return datetime.fromtimestamp(os.path.getmtime(path), tz=timezone.utc).date()


# ---------------------------------------------------------------------- MkDocs hook

from mkdocs.plugins import event_priority  # noqa: E402

_git: dict[str, date] = {}


def on_files(files, config):
    global _git
    _git = git_dates(config.docs_dir)
    return files


def lastmod(page) -> date | None:
    posts = getattr(page, "posts", None)
    if posts is not None:  # a blog listing (Material's View)
        return newest(post_date(p.meta.get("date")) for p in posts)
    if page.file.src_uri.startswith(POST_DIR):
        return post_date(page.meta.get("date"))
    if page.file.abs_src_path and os.path.isfile(page.file.abs_src_path):
        return _git.get(page.file.src_uri) or file_date(page.file.abs_src_path)
    return None


@event_priority(-100)  # after Material's blog plugin gave listings their posts
def on_page_content(html, page, config, files):
    day = lastmod(page)
    if day is not None:
        page.update_date = day.isoformat()
    return html
