"""Scaffold a blog post: `python -m hooks.scaffold "Post title"` (or `make new-post TITLE="..."`).

Writes docs/blog/posts/<slug>.md with valid front matter (today's date, the
first allowed category from mkdocs.yml, the first author in
docs/blog/.authors.yml) and the section skeleton. The post starts as
`draft: true`: drafts show in `make serve` but are never built into site/, and
the front-matter check refuses to publish a post that still contains a
"TODO:" placeholder, so an unfinished skeleton cannot ship.
"""
from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml
from pymdownx.slugs import slugify

from hooks.frontmatter import PLACEHOLDER, POST_DIR

ROOT = Path(__file__).resolve().parent.parent
_slugify = slugify(case="lower")  # Material's default post_slugify


@dataclass(frozen=True)
class Skeleton:
    title: str
    created: date
    category: str
    author: str


def post_slug(title: str) -> str:
    return _slugify(title, "-")


def render(s: Skeleton) -> str:
    """The text of a new post: valid front matter, draft, and the section skeleton."""
    t = PLACEHOLDER
    return f"""---
title: {json.dumps(s.title)}
description: "{t} summarise this post in one sentence of 50 to 160 characters for search results."
date:
  created: {s.created.isoformat()}
categories:
  - {s.category}
authors:
  - {s.author}
tags: []
# related: [blog/posts/<file>.md]   optional: posts shown under "Related reads"
# tool: recovery-checklist          optional: adds an "Open related tool" button
# sources:                          optional: primary references, by section, with the day you checked them
#   - title: NIST SP 800-63B-4
#     section: "4.2.1"
#     url: https://pages.nist.gov/800-63-4/sp800-63b.html
#     checked: {s.created.isoformat()}
draft: true   # remove once every {t} below is replaced; drafts show in `make serve` only
---

# {s.title}

{t} write the excerpt: two or three sentences on who this is for and what they can do after reading.

<!-- more -->

## Why this matters

{t} the problem, who it affects, and what goes wrong without it.

## Steps

### Step 1

{t} the first concrete step.

## Common mistakes to avoid

{t} each mistake, why it hurts, and what to do instead.

## Action checklist

- [ ] {t} a task a reader can tick off
"""


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml while ignoring its !ENV and !!python tags."""


_ConfigLoader.add_multi_constructor("", lambda loader, suffix, node: None)
_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def site_defaults(root: Path) -> tuple[str, str]:
    """(first allowed category, first author id) from mkdocs.yml and the authors file."""
    config = yaml.load((root / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_ConfigLoader) or {}
    if "plugins" not in config and config.get("INHERIT"):  # e.g. the test fixture sites
        parent = yaml.load((root / config["INHERIT"]).read_text(encoding="utf-8"), Loader=_ConfigLoader) or {}
        config = {**parent, **config}
    blog = {}
    for plugin in config.get("plugins") or []:
        if isinstance(plugin, dict) and "blog" in plugin:
            blog = plugin["blog"] or {}
    categories = blog.get("categories_allowed") or []
    blog_dir = blog.get("blog_dir", "blog")
    authors_file = root / config.get("docs_dir", "docs") / blog.get(
        "authors_file", "{blog}/.authors.yml").format(blog=blog_dir)
    authors = {}
    if authors_file.is_file():
        authors = (yaml.safe_load(authors_file.read_text(encoding="utf-8")) or {}).get("authors") or {}
    if not categories:
        raise SystemExit("error: mkdocs.yml: blog categories_allowed is empty; add the allowed categories")
    if not authors:
        raise SystemExit(f"error: {authors_file.relative_to(root)}: no authors defined; add one under authors:")
    return categories[0], next(iter(authors))


def scaffold(title: str, root: Path = ROOT, today: date | None = None) -> Path:
    title = " ".join(title.split())
    if not title:
        raise SystemExit('error: TITLE is empty; usage: make new-post TITLE="Your post title"')
    category, author = site_defaults(root)
    path = root / "docs" / POST_DIR / f"{post_slug(title)}.md"
    if path.exists():
        raise SystemExit(f"error: {path.relative_to(root)} already exists; choose another title")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(Skeleton(title, today or date.today(), category, author)), encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m hooks.scaffold", description=__doc__.split("\n")[0])
    parser.add_argument("title", help="the post title")
    parser.add_argument("--root", type=Path, default=ROOT, help="site folder holding mkdocs.yml and docs/")
    args = parser.parse_args(argv)
    path = scaffold(args.title, args.root.resolve())
    print(f"Created {path.relative_to(args.root.resolve())} (draft: true). Preview with `make serve`; "
          f"replace every {PLACEHOLDER} and remove draft: true to publish.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
