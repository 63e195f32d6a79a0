"""Unit tests for the pure front-matter helpers in hooks/frontmatter.py (no build)."""
from __future__ import annotations

from datetime import date

import pytest
from pymdownx.slugs import slugify

from dataclasses import replace

from site_support import ROOT
from hooks.frontmatter import (
    ALLOWED_KEYS, FIELDS, TABLE_BEGIN, TABLE_END, Document, Key, M, SiteRules, Violation, check_site,
    link_targets, message_table, parse_document, post_slug, report, stale_sources, with_table,
)

TODAY = date(2026, 11, 29)
RULES = SiteRules(
    categories=("Security", "Authentication", "Account recovery"),
    authors=frozenset({"alice", "bob"}),
    authors_file="blog/.authors.yml",
    tools=frozenset({"recovery-checklist"}),
    today=TODAY,
    slugify=lambda t: slugify(case="lower")(t, "-"),
)
P = "blog/posts/new.md"
DESC = "A description that is long enough to pass the fifty character minimum."

VALID = f"""---
title: A valid post
description: {DESC}
date:
  created: 2026-11-01
categories: [Security]
authors: [alice]
---

# A valid post

Intro.

<!-- more -->

Body.
"""


def post(path: str = P, **fields) -> str:
    """A post whose front matter is VALID's with `fields` replaced (None removes a key)."""
    base = {
        "title": "A valid post", "description": DESC, "date": "{created: 2026-11-01}",
        "categories": "[Security]", "authors": "[alice]",
    }
    base.update(fields)
    lines = [f"{k}: {v}" for k, v in base.items() if v is not None]
    return "---\n" + "\n".join(lines) + "\n---\n\n# Title\n\nIntro.\n\n<!-- more -->\n\nBody.\n"


def check(*docs: tuple[str, str]) -> list[str]:
    return [str(v) for v in check_site([parse_document(p, t) for p, t in docs], RULES)]


def test_valid_post_has_no_violations():
    assert check((P, VALID)) == []


def test_violation_line_format():
    v = Violation("blog/posts/a.md", "title", "missing required field", 'add title: "Your post title"')
    assert str(v) == 'blog/posts/a.md: title: missing required field; add title: "Your post title"'


def test_report_counts_problems():
    v = Violation("a.md", "f", "bad", "fix")
    assert report([v, v]) == ("Front matter check failed: 2 problems (see CONTRIBUTING.md)\n"
                              "a.md: f: bad; fix\na.md: f: bad; fix")


# -- parsing -----------------------------------------------------------------


def test_parse_splits_front_matter_and_body_line():
    doc = parse_document(P, VALID)
    assert doc.meta["title"] == "A valid post"
    assert doc.body.startswith("\n# A valid post")
    assert doc.body_line == 9


def test_malformed_yaml_names_line():
    text = "---\ntitle: ok\ndescription: bad: colon: here\n---\n\nbody\n"
    assert check(("about.md", text)) == [
        "about.md: front matter: invalid YAML at line 3: mapping values are not allowed in this context; "
        "fix the YAML syntax (quote values that contain ': ' or start with a special character)"
    ]


def test_front_matter_must_be_a_mapping():
    assert check(("index.md", "---\n- a\n- b\n---\nbody\n")) == [
        "index.md: front matter: expected key: value pairs, found a list; "
        "write the front matter as 'key: value' lines between the --- markers"
    ]


def test_normal_page_without_front_matter_is_fine():
    assert check(("about.md", "# About\n")) == []


def test_post_without_front_matter():
    assert check((P, "# Just a heading\n")) == [
        f"{P}: front matter: missing; start the post with a --- block holding title, description, "
        "date, categories and authors (see CONTRIBUTING.md)"
    ]


# -- required fields and types ---------------------------------------------


@pytest.mark.parametrize("key, fix", [
    ("title", 'add title: "Your post title"'),
    ("description", "add description: with a 50-160 character summary"),
    ("date", "add date: {created: YYYY-MM-DD}"),
    ("categories", "add categories: [<one of the allowed categories>]"),
    ("authors", "add authors: [<author id from blog/.authors.yml>]"),
])
def test_missing_required_field(key, fix):
    assert check((P, post(**{key: None}))) == [f"{P}: {key}: missing required field; {fix}"]


def test_unknown_key():
    assert check((P, post(colour="blue"))) == [
        f"{P}: colour: unknown front-matter key; remove it or use one of: " + ", ".join(ALLOWED_KEYS)
    ]


@pytest.mark.parametrize("desc, problem, fix", [
    ("Too short.", "too short (10 characters, minimum 50)",
     "write a one-sentence summary of 50-160 characters"),
    ("x" * 161, "too long (161 characters, maximum 160)", "shorten it to 160 characters or fewer"),
])
def test_description_length(desc, problem, fix):
    assert check((P, post(description=desc))) == [f"{P}: description: {problem}; {fix}"]


def test_description_bounds_are_inclusive():
    assert check((P, post(description="x" * 50))) == []
    assert check((P, post(description="x" * 160))) == []


# -- dates ---------------------------------------------------------------------


@pytest.mark.parametrize("value, field, shown", [
    ("{created: 2026-02-30}", "date.created", "'2026-02-30'"),
    ("{created: yesterday}", "date.created", "'yesterday'"),
    ("2026-13-01", "date", "'2026-13-01'"),
    ("{created: 12}", "date.created", "a number"),
])
def test_ill_formed_date(value, field, shown):
    assert check((P, post(date=value))) == [
        f"{P}: {field}: {shown} is not a valid date; write it as YYYY-MM-DD, e.g. date: {{created: 2026-11-29}}"
    ]


def test_plain_date_and_datetime_are_accepted():
    assert check((P, post(date="2026-11-01"))) == []
    assert check((P, post(date="{created: 2026-11-01 10:00:00, updated: 2026-11-29}"))) == []


def test_date_mapping_needs_created_and_known_keys():
    assert check((P, post(date="{updated: 2026-11-01, published: 2026-11-02}"))) == [
        f"{P}: date.created: missing; add created: YYYY-MM-DD under date:",
        f"{P}: date.published: unknown key; use only created: and updated:",
    ]


def test_updated_before_created():
    assert check((P, post(date="{created: 2026-11-10, updated: 2026-11-01}"))) == [
        f"{P}: date.updated: 2026-11-01 is before date.created 2026-11-10; "
        "set updated: to the day of the last substantive change"
    ]


def test_future_date_without_draft():
    assert check((P, post(date="{created: 2026-11-30}"))) == [
        f"{P}: date.created: 2026-11-30 is in the future (today is 2026-11-29); "
        "use a date no later than today, or add draft: true until it is published"
    ]


def test_future_date_with_draft_is_fine_and_today_is_not_future():
    assert check((P, post(date="{created: 2026-11-30}", draft="true"))) == []
    assert check((P, post(date="2026-11-29"))) == []


# -- categories, authors, tags -------------------------------------------------


def test_unknown_category():
    assert check((P, post(categories="[Security, Gardening]"))) == [
        f"{P}: categories: 'Gardening' is not an allowed category; use one of: Security, "
        "Authentication, Account recovery (blog categories_allowed in mkdocs.yml)"
    ]


def test_categories_must_be_a_list():
    assert check((P, post(categories="Security"))) == [
        f"{P}: categories: expected a list of names, got text; write categories: [Security]"
    ]


def test_unknown_author():
    assert check((P, post(authors="[carol]"))) == [
        f"{P}: authors: 'carol' is not defined in blog/.authors.yml; use one of: alice, bob; "
        "or add 'carol' to blog/.authors.yml"
    ]


def test_tags_must_be_list_of_text():
    assert check((P, post(tags="[2fa, passkeys]"))) == []
    assert check((P, post(tags="2fa"))) == [
        f"{P}: tags: expected a list of tags, got text; write tags: [2FA, passkeys]"
    ]


# -- related, tool, sources ----------------------------------------------------


OTHER = "blog/posts/other.md"


def test_related_resolves_to_existing_post():
    assert check((P, post(related=f"[{OTHER}]")), (OTHER, post(OTHER, title="Other"))) == []


def test_related_missing_post():
    assert check((P, post(related="[blog/posts/nope.md]"))) == [
        f"{P}: related: 'blog/posts/nope.md' is not an existing post; use a docs-relative path of a "
        "file in docs/blog/posts/, e.g. blog/posts/<file>.md"
    ]


def test_related_to_itself():
    assert check((P, post(related=f"[{P}]"))) == [f"{P}: related: lists the post itself; remove it"]


def test_related_to_draft():
    assert check((P, post(related=f"[{OTHER}]")), (OTHER, post(OTHER, title="Other", draft="true"))) == [
        f"{P}: related: '{OTHER}' is a draft; remove it, or publish that post first (remove its draft: true)"
    ]


def test_tool_page_missing():
    assert check((P, post(tool="password-meter"))) == [
        f"{P}: tool: no tool page docs/tools/password-meter.md; use the slug of an existing tool page "
        "(recovery-checklist)"
    ]
    assert check((P, post(tool="recovery-checklist"))) == []


def test_sources_schema():
    good = ("[{title: NIST SP 800-63B-4, url: 'https://pages.nist.gov/800-63-4/sp800-63b.html', section: '4.2', "
            "checked: 2026-11-20}]")
    assert check((P, post(sources=good))) == []
    bad = ("[{title: NIST, url: pages.nist.gov, page: 3, checked: 2026-11-20}, {url: 'https://x.example', "
           "checked: 2026-11-20}, text]")
    assert check((P, post(sources=bad))) == [
        f"{P}: sources[0].page: unknown key; use only title, url, section and checked",
        f"{P}: sources[0].url: 'pages.nist.gov' is not an absolute http(s) URL; "
        "link the primary source with its full https:// address",
        f"{P}: sources[1].title: missing; add title: to this source",
        f"{P}: sources[2]: expected a mapping, got text; "
        "write sources: as a list of {title: ..., url: https://..., section: ...} entries",
    ]


@pytest.mark.parametrize("checked, message", [
    (None, "sources[0].checked: missing; add checked: to this source, e.g. checked: 2026-11-29"),
    ("2026-02-30", "sources[0].checked: '2026-02-30' is not a valid date; write it as YYYY-MM-DD, "
                   "e.g. checked: 2026-11-29"),
    ("soon", "sources[0].checked: 'soon' is not a valid date; write it as YYYY-MM-DD, e.g. checked: 2026-11-29"),
    ("2026-12-01", "sources[0].checked: 2026-12-01 is in the future (today is 2026-11-29); "
                   "use the day you last read the source"),
])
def test_source_checked_date_is_required(checked, message):
    extra = "" if checked is None else f", checked: {checked}"
    src = f"[{{title: NIST, url: 'https://pages.nist.gov/800-63-4/sp800-63b.html'{extra}}}]"
    assert check((P, post(sources=src))) == [f"{P}: {message}"]


def test_source_section_must_be_text():
    src = "[{title: NIST, url: 'https://e.example', section: 4, checked: 2026-11-01}]"
    assert check((P, post(sources=src))) == [
        f"{P}: sources[0].section: expected text, got a number; write section: as text, e.g. section: 5.1.1"]


def test_stale_sources_are_listed_not_failed():
    src = ("[{title: Old, url: 'https://e.example/a', checked: 2025-11-28}, "
           "{title: Fresh, url: 'https://e.example/b', checked: 2025-11-29}]")
    docs = [parse_document(P, post(sources=src))]
    assert check_site(docs, RULES) == []
    assert stale_sources(docs, TODAY) == [f"{P}: sources[0] 'Old' last checked 2025-11-28"]
    draft = [parse_document(P, post(sources=src, draft="true"))]
    assert stale_sources(draft, TODAY) == []


def test_tag_must_not_repeat_a_category():
    assert check((P, post(categories="[Account recovery]", tags="[backup codes, account recovery]"))) == [
        f"{P}: tags: 'account recovery' repeats the category 'Account recovery'; "
        "remove the tag; the category already files the post there"]


def test_authors_file_needs_name_role_bio_and_a_local_avatar():
    rules = replace(RULES, profiles={
        "alice": {"name": "Alice", "description": "Editor", "bio": "Checks sources.", "avatar": "assets/a.svg"},
        "bob": {"name": "Bob", "avatar": "https://cdn.example/bob.png"},
        "carol": {"name": "Carol", "description": "Reviewer", "bio": "Reviews.", "avatar": "assets/missing.svg"},
        "dan": {"name": "Dan", "description": "Reviewer", "bio": "Reviews."},
    }, site_files=frozenset({"assets/a.svg"}))
    out = [str(v) for v in check_site([parse_document(P, VALID)], rules)]
    assert out == [
        "blog/.authors.yml: authors.bob.description: missing; add description: as text (the role), "
        "e.g. description: Editorial team",
        "blog/.authors.yml: authors.bob.bio: missing; add bio: as text, one or two sentences on who they "
        "are and what they check",
        "blog/.authors.yml: authors.bob.avatar: 'https://cdn.example/bob.png' is not an image of this site; "
        "use a docs-relative path of an image in docs/, e.g. avatar: assets/images/<file>.svg",
        "blog/.authors.yml: authors.carol.avatar: 'assets/missing.svg' is not a file in docs/; "
        "use a docs-relative path of an image in docs/, e.g. avatar: assets/images/<file>.svg",
    ]


# -- the rule table --------------------------------------------------------------


def test_every_field_is_a_row_and_every_key_has_one():
    assert {row.key for row in FIELDS} == set(Key)
    assert [row.key.value for row in FIELDS if row.required] == [
        "title", "description", "date", "categories", "authors"]


def test_contributing_message_table_is_generated_from_the_rows():
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert TABLE_BEGIN in text and TABLE_END in text
    assert with_table(text, message_table()) == text, (
        "CONTRIBUTING.md's message table is out of date: run `.venv/bin/python -m hooks.frontmatter --contributing`")


def test_table_patterns_match_real_messages():
    """A real violation fits its table row once the varying parts are filled in."""
    line = check((P, post(description="Too short.")))[0]
    assert line == M.too_short.pattern(n="10").replace("<file>", P)


# -- slugs, Material keys, drafts ----------------------------------------------


def test_duplicate_slug_from_title_and_explicit_slug():
    a, b, c = "blog/posts/a.md", "blog/posts/b.md", "blog/posts/c.md"
    assert check((a, post(a, title="Backup codes")), (b, post(b, title="Backup Codes")),
                 (c, post(c, title="Other", slug="backup-codes"))) == [
        f"{a}: slug: URL slug 'backup-codes' is also used by {b}, {c}; set a unique slug: or change the title",
        f"{b}: slug: URL slug 'backup-codes' is also used by {a}, {c}; set a unique slug: or change the title",
        f"{c}: slug: URL slug 'backup-codes' is also used by {a}, {b}; set a unique slug: or change the title",
    ]


def test_post_slug_matches_material():
    doc = parse_document(P, post(title="2FA Backup Codes & Recovery Planning"))
    assert post_slug(doc, RULES.slugify) == "2fa-backup-codes--recovery-planning"


def test_bad_slug_and_material_keys():
    assert check((P, post(slug="Backup Codes", pin="\"yes\"", readtime="0", hide="toc"))) == [
        f"{P}: slug: 'Backup Codes' is not a URL slug; use lowercase letters, digits and single "
        "hyphens, e.g. slug: backup-codes",
        f"{P}: pin: expected true or false, got text; write pin: true or pin: false",
        f"{P}: readtime: expected a whole number of minutes, got a number; "
        "write readtime: 7, or remove it to let the blog compute it",
        f"{P}: hide: expected a list, got text; write hide: [toc]",
    ]
    assert check((P, post(pin="true", readtime="7", hide="[toc]", draft="false"))) == []


def test_placeholder_blocks_publishing_but_not_drafts():
    text = post(description='"TODO: summarise this post in one sentence for search results, please."')
    text = text.replace("Body.", "TODO: write the steps.")
    assert check((P, text)) == [
        f"{P}: description: contains the scaffold placeholder 'TODO:'; write the real summary before publishing",
        f"{P}: body: line 15 contains the scaffold placeholder 'TODO:'; "
        "replace it with the real text before removing draft: true",
    ]
    assert check((P, text.replace("---\n\n#", "draft: true\n---\n\n#"))) == []


# -- links to drafts -------------------------------------------------------------


def test_link_targets_resolve_relative_and_skip_external_and_code():
    doc = parse_document("blog/posts/a.md", "---\ntitle: x\n---\n[a](b.md#x) [c](https://e.x/b.md)\n"
                         "```\n[d](d.md)\n```\n[ref]: ../../about.md\n![img](/assets/i.svg)\n")
    assert list(link_targets(doc)) == [(4, "blog/posts/b.md"), (8, "about.md"), (9, "assets/i.svg")]


def test_link_to_draft_from_post_and_page():
    draft = "blog/posts/draft.md"
    page = "---\ntitle: Security\n---\n# Security\n\nRead [the draft](blog/posts/draft.md).\n"
    linking = post().replace("Body.", "See [draft](draft.md).")
    assert check((P, linking), (draft, post(draft, title="Draft", draft="true")), ("security.md", page)) == [
        f"{P}: links: line 15 links to the draft post {draft}; "
        "remove the link, or publish that post first (remove its draft: true)",
        "security.md: links: line 6 links to the draft post blog/posts/draft.md; "
        "remove the link, or publish that post first (remove its draft: true)",
    ]


def test_draft_may_link_to_draft():
    d1, d2 = "blog/posts/d1.md", "blog/posts/d2.md"
    assert check((d1, post(d1, title="D1", draft="true", related=f"[{d2}]").replace("Body.", "[x](d2.md)")),
                 (d2, post(d2, title="D2", draft="true"))) == []


def test_all_violations_reported_across_posts():
    a, b = "blog/posts/a.md", "blog/posts/b.md"
    out = check((a, post(a, title="A", authors="[zed]", colour="x")), (b, post(b, title="B", description="short")))
    assert [line.split(": ")[:2] for line in out] == [
        [a, "colour"], [a, "authors"], [b, "description"]]


def test_document_is_draft_only_when_true():
    assert parse_document(P, post(draft="true")).is_draft
    assert not parse_document(P, post(draft='"yes"')).is_draft
    assert not Document("x.md", None, "", 1).is_draft


def test_malformed_yaml_at_end_of_stream_blames_where_it_began():
    text = '---\ntitle: x\ndescription: "unclosed\ndate: 2026-01-01\n---\nbody\n'
    assert str(parse_document(P, text).error) == (
        f"{P}: front matter: invalid YAML at line 3: found unexpected end of stream (while scanning a "
        "quoted scalar); fix the YAML syntax (quote values that contain ': ' or start with a special character)"
    )
