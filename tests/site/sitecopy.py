"""Build small copies of the site for the front-matter and scaffold tests.

A fixture site = the real mkdocs.yml (inherited), overrides/, hooks/ and
docs/assets/, with the tiny docs tree in tests/site/fixture_docs/ (two valid
posts, an authors file with `fixture-editor` and `fixture-reviewer`, a tool page
`tools/recovery-checklist.md`) plus whatever posts a test adds. Only this
project's own site hooks run (not the Pyodide/wheel hooks), so a build takes a
second or two.
"""
from __future__ import annotations

import shutil
from collections.abc import Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIXTURE_DOCS = Path(__file__).resolve().parent / "fixture_docs"
SITE_HOOKS = ("hooks/frontmatter.py", "hooks/theme_loader.py", "hooks/blog_context.py")
IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc")

FIXTURE_CONFIG = """\
INHERIT: base.yml
hooks:
{hooks}
nav:
  - Home: index.md
  - Blog:
      - blog/index.md
  - Tools:
      - tools/recovery-checklist.md
"""


def make_site(dest: Path, posts: Mapping[str, str] | None = None, *, pages: Mapping[str, str] | None = None,
              drop_valid: bool = False) -> Path:
    """Write a fixture site into `dest`; `posts` maps file names in blog/posts/ to their text,
    `pages` maps other docs-relative paths to their text.

    Returns the path of its mkdocs.yml.
    """
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copytree(ROOT / "overrides", dest / "overrides", ignore=IGNORE)
    shutil.copytree(ROOT / "hooks", dest / "hooks", ignore=IGNORE)
    shutil.copy(ROOT / "mkdocs.yml", dest / "base.yml")
    if (ROOT / "docs" / "assets").is_dir():
        shutil.copytree(ROOT / "docs" / "assets", dest / "docs" / "assets", ignore=IGNORE)
    shutil.copytree(FIXTURE_DOCS, dest / "docs", dirs_exist_ok=True)
    post_dir = dest / "docs" / "blog" / "posts"
    if drop_valid:
        for p in post_dir.glob("*.md"):
            p.unlink()
    for name, text in (posts or {}).items():
        (post_dir / name).write_text(text, encoding="utf-8")
    for name, text in (pages or {}).items():
        (dest / "docs" / name).parent.mkdir(parents=True, exist_ok=True)
        (dest / "docs" / name).write_text(text, encoding="utf-8")
    config = dest / "mkdocs.yml"
    config.write_text(FIXTURE_CONFIG.format(hooks="\n".join(f"  - {h}" for h in SITE_HOOKS)),
                      encoding="utf-8")
    return config
