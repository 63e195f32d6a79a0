"""One real `mkdocs build --strict` per front-matter rule on a small copy of the site.

Each case adds one broken post (or page) to the fixture site (tests/site/sitecopy.py)
and asserts the build fails with the exact message line naming file and field,
and without a Python traceback.
"""
from __future__ import annotations

from datetime import date

import pytest

from site_support import make_site, mkdocs_build

DESC = "A broken fixture post; everything but the one field under test is valid."
B = "blog/posts/broken.md"
DRAFT_FIX = "remove the link, or publish that post first (remove its draft: true)"


def post(*, title="Broken post", description=DESC, date="{created: 2026-01-15}", categories="[Security]",
         authors="[fixture-editor]", extra="", body="Body.") -> str:
    fields = [("title", title), ("description", description), ("date", date),
              ("categories", categories), ("authors", authors)]
    head = "\n".join(f"{k}: {v}" for k, v in fields if v is not None)
    return f"---\n{head}\n{extra}---\n\n# Heading\n\nExcerpt.\n\n<!-- more -->\n\n{body}\n"


def build(tmp_path, posts=None, pages=None):
    config = make_site(tmp_path / "src", posts, pages=pages)
    proc = mkdocs_build(config, tmp_path / "out")
    output = proc.stdout + proc.stderr
    return proc.returncode, [line.strip() for line in output.splitlines()], output


#: Stands for the build's own "today" in expected lines; filled in after the build with the
#: date before or after it, so a build that crosses midnight still matches.
TODAY = "<today>"

CASES = {
    "malformed-yaml": (
        {"broken.md": post(description='"unclosed quote')},
        f"{B}: front matter: invalid YAML at line 3: found unexpected end of stream (while scanning a quoted scalar); fix the YAML syntax "
        "(quote values that contain ': ' or start with a special character)",
    ),
    "missing-date": (
        {"broken.md": post(date=None)},
        f"{B}: date: missing required field; add date: {{created: YYYY-MM-DD}}",
    ),
    "ill-formed-date": (
        {"broken.md": post(date="{created: 2026-02-30}")},
        f"{B}: date.created: '2026-02-30' is not a valid date; write it as YYYY-MM-DD, "
        f"e.g. date: {{created: {TODAY}}}",
    ),
    "unknown-category": (
        {"broken.md": post(categories="[Gardening]")},
        f"{B}: categories: 'Gardening' is not an allowed category; use one of: Security, Authentication, "
        "Account recovery (blog categories_allowed in mkdocs.yml)",
    ),
    "unknown-author": (
        {"broken.md": post(authors="[nobody]")},
        f"{B}: authors: 'nobody' is not defined in blog/.authors.yml; use one of: fixture-editor, "
        "fixture-reviewer; or add 'nobody' to blog/.authors.yml",
    ),
    "unknown-key": (
        {"broken.md": post(extra="colour: blue\n")},
        f"{B}: colour: unknown front-matter key; remove it or use one of: authors, categories, date, "
        "description, draft, hide, pin, readtime, related, slug, sources, tags, title, tool",
    ),
    "description-too-short": (
        {"broken.md": post(description="Too short to summarise anything.")},
        f"{B}: description: too short (32 characters, minimum 50); "
        "write a one-sentence summary of 50-160 characters",
    ),
    "description-too-long": (
        {"broken.md": post(description="x" * 200)},
        f"{B}: description: too long (200 characters, maximum 160); shorten it to 160 characters or fewer",
    ),
    "related-post-missing": (
        {"broken.md": post(extra="related: [blog/posts/no-such-post.md]\n")},
        f"{B}: related: 'blog/posts/no-such-post.md' is not an existing post; use a docs-relative path of "
        "a file in docs/blog/posts/, e.g. blog/posts/<file>.md",
    ),
    "tool-page-missing": (
        {"broken.md": post(extra="tool: password-meter\n")},
        f"{B}: tool: no tool page docs/tools/password-meter.md; use the slug of an existing tool page "
        "(recovery-checklist)",
    ),
    "duplicate-slug": (
        {"broken.md": post(title="First Valid Post")},
        f"{B}: slug: URL slug 'first-valid-post' is also used by blog/posts/first-valid-post.md; "
        "set a unique slug: or change the title",
    ),
    "future-date-without-draft": (
        {"broken.md": post(date="{created: 2999-01-01}")},
        f"{B}: date.created: 2999-01-01 is in the future (today is {TODAY}); "
        "use a date no later than today, or add draft: true until it is published",
    ),
    "link-to-draft": (
        {"broken.md": post(body="Read [the upcoming post](upcoming.md) next."),
         "upcoming.md": post(title="Upcoming", extra="draft: true\n")},
        f"{B}: links: line 15 links to the draft post blog/posts/upcoming.md; {DRAFT_FIX}",
    ),
    "related-is-draft": (
        {"broken.md": post(extra="related: [blog/posts/upcoming.md]\n"),
         "upcoming.md": post(title="Upcoming", extra="draft: true\n")},
        f"{B}: related: 'blog/posts/upcoming.md' is a draft; remove it, or publish that post first "
        "(remove its draft: true)",
    ),
    "source-without-checked-date": (
        {"broken.md": post(extra="sources: [{title: NIST, url: 'https://pages.nist.gov/800-63-4/sp800-63b.html'}]\n")},
        f"{B}: sources[0].checked: missing; add checked: to this source, e.g. checked: {TODAY}",
    ),
    "tag-repeats-category": (
        {"broken.md": post(extra="tags: [security]\n")},
        f"{B}: tags: 'security' repeats the category 'Security'; remove the tag; the category already files "
        "the post there",
    ),
    "placeholder-left-in": (
        {"broken.md": post(body="TODO: write the steps.")},
        f"{B}: body: line 15 contains the scaffold placeholder 'TODO:'; "
        "replace it with the real text before removing draft: true",
    ),
}


@pytest.mark.slow
@pytest.mark.parametrize("case", sorted(CASES))
def test_broken_post_fails_build_with_exact_line(tmp_path, case):
    posts, expected = CASES[case]
    before = date.today().isoformat()
    code, lines, output = build(tmp_path, posts)
    after = date.today().isoformat()
    assert code != 0, output
    assert any(expected.replace(TODAY, day) in lines for day in {before, after}), output
    count = 2 if case == "duplicate-slug" else 1  # both files sharing the slug are named
    assert f"Front matter check failed: {count} problem{'s' if count > 1 else ''} (see CONTRIBUTING.md)" in output
    assert "Traceback" not in output


@pytest.mark.slow
def test_malformed_yaml_on_a_normal_page(tmp_path):
    page = "---\ntitle: About\nsearch:\n  exclude: true\n boost: 2\n---\n\n# About\n"
    code, lines, output = build(tmp_path, pages={"about.md": page})
    assert code != 0
    assert ("about.md: front matter: invalid YAML at line 5: did not find expected key (while parsing a block mapping); "
            "fix the YAML syntax (quote values that contain ': ' or start with a special character)") in lines, output


@pytest.mark.slow
def test_every_violation_in_one_run(tmp_path):
    posts = {
        "a.md": post(title="Post A", authors="[nobody]", extra="colour: blue\n"),
        "b.md": post(title="Post B", description="Too short.", categories="[Gardening]"),
        "c.md": post(title="Post C", date="{created: 2999-01-01}", extra="tool: nope\n"),
        "d.md": "---\ntitle: [unclosed\n---\n\n# D\n",
    }
    code, lines, output = build(tmp_path, posts)
    assert code != 0
    failures = [line for line in lines if line.startswith("blog/posts/")]
    assert [tuple(line.split(": ")[:2]) for line in failures] == [
        ("blog/posts/a.md", "colour"), ("blog/posts/a.md", "authors"),
        ("blog/posts/b.md", "description"), ("blog/posts/b.md", "categories"),
        ("blog/posts/c.md", "date.created"), ("blog/posts/c.md", "tool"),
        ("blog/posts/d.md", "front matter"),
    ], output
    assert "Front matter check failed: 7 problems (see CONTRIBUTING.md)" in output
    assert "Traceback" not in output


@pytest.mark.slow
def test_fixture_site_builds_clean(tmp_path):
    """The baseline: without a broken post the fixture site passes the strict build."""
    code, lines, output = build(tmp_path)
    assert code == 0, output
    assert (tmp_path / "out" / "blog" / "second-valid-post" / "index.html").is_file()
    # second-valid-post uses the plain `date: 2026-01-12` form: RSS still dates it from
    # the front matter (hooks/blog_context.py normalises it), not from the build time.
    feed = (tmp_path / "out" / "feed_rss_created.xml").read_text(encoding="utf-8")
    item = feed[feed.index("<title>Second valid post</title>"):]
    assert "<pubDate>Mon, 12 Jan 2026 00:00:00 +0000</pubDate>" in item[:item.index("</item>")]


@pytest.mark.slow
def test_old_sources_are_a_warning_not_a_failure(tmp_path):
    """A source last checked more than 12 months ago is listed, and the strict build still passes."""
    old = post(title="Old sources", extra="sources: [{title: Old guide, url: 'https://e.example/a', "
                                          "checked: 2020-01-01}]\n")
    code, lines, output = build(tmp_path, {"old.md": old})
    assert code == 0, output
    assert ("WARNING -  Sources last checked more than 12 months ago (re-check them and update checked:; "
            "this does not fail the build):") in lines
    assert "blog/posts/old.md: sources[0] 'Old guide' last checked 2020-01-01" in lines


def _contact_build(tmp_path, contact: str, site_url: str | None = None):
    config = make_site(tmp_path / "src")
    base = config.parent / "base.yml"
    text = base.read_text(encoding="utf-8")
    start = text.index("  contact:\n")
    end = text.index("  # Authors", start)
    base.write_text(text[:start] + contact + text[end:], encoding="utf-8")
    proc = mkdocs_build(config, tmp_path / "out", site_url=site_url)
    return proc.returncode, proc.stdout + proc.stderr


@pytest.mark.slow
def test_unset_contact_fails_the_build_with_a_clear_message(tmp_path):
    code, output = _contact_build(tmp_path, "")
    assert code != 0
    assert ("mkdocs.yml: extra.contact: missing; readers need a way to reach the editors: add contact: "
            "{name: Esrok editors, email: editors@your-domain}") in output
    assert "Traceback" not in output


@pytest.mark.slow
def test_placeholder_contact_is_refused_for_a_public_site(tmp_path):
    contact = "  contact:\n    name: Esrok editors\n    email: editors@esrok.example\n"
    code, output = _contact_build(tmp_path, contact, site_url="https://esrok.org/")
    assert code != 0
    assert ("mkdocs.yml: extra.contact.email: 'editors@esrok.example' is a placeholder address, and this build "
            "is for https://esrok.org/; set the real address readers can write to "
            "(or ESROK_CONTACT_EMAIL when building)") in output
