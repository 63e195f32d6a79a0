"""The post scaffolder: its output passes the validator and builds cleanly as a draft,
and cannot be published while its TODO: placeholders remain."""
from __future__ import annotations

import subprocess
import sys
from datetime import date

from pymdownx.slugs import slugify

from site_support import make_site, mkdocs_build
from hooks.frontmatter import SiteRules, check_site, parse_document
from hooks.scaffold import Skeleton, post_slug, render

TODAY = date(2026, 11, 29)
RULES = SiteRules(
    categories=("Security", "Authentication", "Account recovery"),
    authors=frozenset({"fixture-editor"}),
    authors_file="blog/.authors.yml",
    tools=frozenset({"recovery-checklist"}),
    today=TODAY,
    slugify=lambda t: slugify(case="lower")(t, "-"),
)
SKELETON = Skeleton('Passkeys: "sync" vs device-bound', TODAY, "Security", "fixture-editor")
PATH = f"blog/posts/{post_slug(SKELETON.title)}.md"


def test_slug_is_materials():
    assert post_slug(SKELETON.title) == "passkeys-sync-vs-device-bound"


def test_rendered_front_matter_is_valid_draft():
    doc = parse_document(PATH, render(SKELETON))
    assert check_site([doc], RULES) == []
    assert doc.meta["title"] == SKELETON.title
    assert doc.meta["draft"] is True
    assert doc.meta["date"] == {"created": TODAY}
    assert doc.meta["categories"] == ["Security"] and doc.meta["authors"] == ["fixture-editor"]


def test_rendered_skeleton_has_sections_in_order():
    text = render(SKELETON)
    marks = ["<!-- more -->", "## Why this matters", "## Steps", "## Common mistakes to avoid", "## Action checklist"]
    positions = [text.index(m) for m in marks]
    assert positions == sorted(positions)


def test_publishing_the_skeleton_unchanged_is_refused():
    doc = parse_document(PATH, render(SKELETON).replace("draft: true", "draft: false"))
    fields = [v.field for v in check_site([doc], RULES)]
    assert fields == ["description"] + ["body"] * 5


def test_scaffolded_post_builds_cleanly(tmp_path):
    """`python -m hooks.scaffold` in a copy of the site, then a real strict build."""
    config = make_site(tmp_path / "src")
    proc = subprocess.run([sys.executable, "-m", "hooks.scaffold", "Backup codes for shared accounts"],
                          cwd=config.parent, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    created = config.parent / "docs/blog/posts/backup-codes-for-shared-accounts.md"
    assert proc.stdout.startswith("Created docs/blog/posts/backup-codes-for-shared-accounts.md (draft: true)")
    text = created.read_text()
    assert f"created: {date.today().isoformat()}" in text
    assert "  - Security\n" in text and "  - fixture-editor\n" in text  # first category, first author

    build = mkdocs_build(config, tmp_path / "out")
    assert build.returncode == 0, build.stderr
    assert "Traceback" not in build.stderr
    # a draft is not published by `mkdocs build`
    assert not (tmp_path / "out/blog/backup-codes-for-shared-accounts").exists()
    assert (tmp_path / "out/blog/first-valid-post/index.html").is_file()

    again = subprocess.run([sys.executable, "-m", "hooks.scaffold", "Backup codes for shared accounts"],
                           cwd=config.parent, capture_output=True, text=True, timeout=60)
    assert again.returncode == 1
    assert again.stderr.strip() == ("error: docs/blog/posts/backup-codes-for-shared-accounts.md already exists; "
                                    "choose another title")

    # Publishing it unfinished fails the build with the placeholder lines.
    created.write_text(text.replace("draft: true", "draft: false"))
    published = mkdocs_build(config, tmp_path / "out2")
    assert published.returncode != 0
    assert ("blog/posts/backup-codes-for-shared-accounts.md: description: contains the scaffold placeholder "
            "'TODO:'; write the real summary before publishing") in published.stderr
