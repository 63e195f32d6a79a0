"""Front-matter validation for every page and the blog post schema.

The MkDocs hook (`on_files`, run before Material's blog plugin) reads each
Markdown page once, parses its front matter with the pure helpers below and,
when anything is wrong, fails the build once with one line per violation:

    <docs-relative file>: <field>: <what is wrong>; <how to fix>

Everything above the "MkDocs hook" section is pure (no I/O) and unit-tested in
tests/hooks/test_frontmatter.py. CONTRIBUTING.md lists every rule.
"""
from __future__ import annotations

import logging
import posixpath
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import SimpleNamespace
from datetime import date, datetime
from enum import Enum

import yaml

POST_DIR = "blog/posts/"
TOOLS_DIR = "tools/"
PLACEHOLDER = "TODO:"
DESCRIPTION_MIN = 50
DESCRIPTION_MAX = 160
STALE_MONTHS = 12  # the build lists sources last checked longer ago than this

# Same pattern MkDocs uses (mkdocs.utils.meta.YAML_RE), so we see exactly the
# front matter MkDocs and Material see.
YAML_RE = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.UNICODE | re.DOTALL)
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Markdown links: inline `[text](target)` / `![alt](target)` and reference definitions.
INLINE_LINK_RE = re.compile(r"\]\(\s*<?([^)\s>]+)")
REF_LINK_RE = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?([^\s>]+)")


class Key(str, Enum):
    """Every front-matter key a post may use."""

    TITLE = "title"
    DESCRIPTION = "description"
    DATE = "date"
    CATEGORIES = "categories"
    AUTHORS = "authors"
    TAGS = "tags"
    RELATED = "related"
    TOOL = "tool"
    SOURCES = "sources"
    SLUG = "slug"
    DRAFT = "draft"
    # Material blog keys we allow: pin a post to the top of listings,
    # override the computed reading time, hide parts of the layout.
    PIN = "pin"
    READTIME = "readtime"
    HIDE = "hide"


ALLOWED_KEYS = tuple(sorted(k.value for k in Key))
SOURCE_KEYS = ("title", "url", "section", "checked")


# --------------------------------------------------------------------------- data


@dataclass(frozen=True)
class Violation:
    file: str  # docs-relative path, e.g. blog/posts/my-post.md
    field: str  # front-matter key (or dotted path), "front matter" or "links"
    problem: str
    fix: str

    def __str__(self) -> str:
        return f"{self.file}: {self.field}: {self.problem}; {self.fix}"


@dataclass(frozen=True)
class Document:
    """One Markdown page split into front matter and body."""

    path: str  # docs-relative, POSIX separators
    meta: Mapping | None  # None: no front matter, or it could not be parsed
    body: str
    body_line: int  # 1-based line of the file where `body` starts
    error: Violation | None = None

    @property
    def is_post(self) -> bool:
        return self.path.startswith(POST_DIR)

    @property
    def is_draft(self) -> bool:
        return bool(self.meta) and self.meta.get(Key.DRAFT.value) is True


@dataclass(frozen=True)
class SiteRules:
    """What a post may refer to, taken from mkdocs.yml and the docs folder."""

    categories: tuple[str, ...]
    authors: frozenset[str]
    authors_file: str  # docs-relative, for messages
    tools: frozenset[str]  # tool slugs that have a page docs/tools/<slug>.md
    today: date
    slugify: Callable[[str], str] = field(compare=False)
    # The authors file's entries ({id: {name, role, bio, avatar}}) and every file in docs/,
    # for the authors-file check; empty: not checked.
    profiles: Mapping[str, Mapping] = field(default_factory=dict, compare=False)
    site_files: frozenset[str] = frozenset()


# ------------------------------------------------------------------------ parsing


class _Loader(yaml.CSafeLoader if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader):
    """Safe loader that keeps an impossible date (2026-02-30) as its text instead of raising."""


def _timestamp(loader: yaml.SafeLoader, node: yaml.Node):
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)


def parse_document(path: str, text: str) -> Document:
    """Split `text` into front matter and body; never raises on bad YAML."""
    text = text.lstrip("\ufeff")
    match = YAML_RE.match(text)
    if not match:
        return Document(path, None, text, 1)
    body = text[match.end():]
    body_line = text.count("\n", 0, match.end()) + 1
    try:
        meta = yaml.load(match.group(1), Loader=_Loader)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        yaml_lines = match.group(1).count("\n")
        if e.context_mark and (mark is None or mark.line >= yaml_lines):  # hit the end: blame where it began
            mark = e.context_mark
        line = mark.line + 2 if mark else 2  # +1 for 0-based, +1 for the opening ---
        problem = (e.problem or "syntax error").strip()
        if e.context:
            problem += f" ({e.context.strip()})"
        return Document(path, None, body, body_line, M.invalid_yaml.at(path, line=line, error=problem))
    except yaml.YAMLError as e:  # pragma: no cover - non-marked errors are rare
        return Document(path, None, body, body_line, Violation(
            path, "front matter", f"invalid YAML: {e}", "fix the YAML syntax"))
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        return Document(path, None, body, body_line, M.not_mapping.at(path, type=_type(meta)))
    return Document(path, meta, body, body_line)


# ------------------------------------------------------------------ the messages
#
# Every line the check can print is one row here: the rule in words (for the table in
# CONTRIBUTING.md, generated from these rows by `python -m hooks.frontmatter --contributing`),
# the field, the problem and the fix. `{name}` marks a part that varies; constants
# (DESCRIPTION_MIN, the allowed keys) are filled in for the table too.


@dataclass(frozen=True)
class Message:
    rule: str  # the rule in words, Markdown
    field: str  # the field it names, a template
    problem: str  # what is wrong, a template
    fix: str  # how to fix it, a template
    # Rows for the CONTRIBUTING table: each maps placeholders to what the table shows
    # (and may override "rule"); empty: one row with every varying part as <name>.
    table: tuple[Mapping[str, str], ...] = ()

    def at(self, file: str, /, **values) -> Violation:
        values = {**CONSTANTS, **values}
        return Violation(file, self.field.format(**values), self.problem.format(**values),
                         self.fix.format(**values))

    def pattern(self, **values) -> str:
        """The line as CONTRIBUTING.md shows it: `<...>` marks the parts that vary."""
        shown = _Placeholders({**CONSTANTS, **values})
        return str(Violation("<file>", self.field.format_map(shown), self.problem.format_map(shown),
                             self.fix.format_map(shown)))


class _Placeholders(dict):
    def __missing__(self, key: str) -> str:
        return f"<{key}>"


CONSTANTS = {
    "min": DESCRIPTION_MIN, "max": DESCRIPTION_MAX, "allowed_keys": ", ".join(ALLOWED_KEYS),
    "placeholder": PLACEHOLDER, "source_keys": "title, url, section and checked",
    "source_fix": "write sources: as a list of {title: ..., url: https://..., section: ...} entries",
}

M = SimpleNamespace(
    invalid_yaml=Message(
        "Front matter of **any page** is valid YAML", "front matter", "invalid YAML at line {line}: {error}",
        "fix the YAML syntax (quote values that contain ': ' or start with a special character)"),
    not_mapping=Message(
        "Front matter of any page is a mapping", "front matter", "expected key: value pairs, found {type}",
        "write the front matter as 'key: value' lines between the --- markers"),
    no_front_matter=Message(
        "A post has front matter", "front matter", "missing",
        "start the post with a --- block holding title, description, date, categories and authors "
        "(see CONTRIBUTING.md)"),
    unknown_key=Message(
        "No unknown keys", "{key}", "unknown front-matter key", "remove it or use one of: {allowed_keys}"),
    missing=Message("Required `{key}`", "{key}", "missing required field", "{fix}", table=(
        {"key": "title", "fix": 'add title: "Your post title"'},
        {"key": "description", "fix": f"add description: with a {DESCRIPTION_MIN}-{DESCRIPTION_MAX} "
                                      "character summary"},
        {"key": "date", "fix": "add date: {created: YYYY-MM-DD}"},
        {"key": "categories", "fix": "add categories: [<one of the allowed categories>]"},
        {"key": "authors", "fix": "add authors: [<author id from blog/.authors.yml>]"},
    )),
    not_text=Message("`{key}` is text", "{key}", "expected text, got {type}",
                     'quote it: {key}: "..."', table=({"key": "title"}, {"key": "description"})),
    too_short=Message(
        "Description at least {min} characters", "description", "too short ({n} characters, minimum {min})",
        "write a one-sentence summary of {min}-{max} characters"),
    too_long=Message(
        "Description at most {max} characters", "description", "too long ({n} characters, maximum {max})",
        "shorten it to {max} characters or fewer"),
    bad_date=Message(
        "Dates are real dates (field `date` for the plain form, `date.updated` for updates)",
        "{key}", "{shown} is not a valid date", "write it as YYYY-MM-DD, e.g. date: {{created: {today}}}",
        table=({"key": "date.created", "shown": "'<value>'"},)),
    date_no_created=Message("`date:` mapping has `created`", "date.created", "missing",
                            "add created: YYYY-MM-DD under date:"),
    date_unknown_key=Message("`date:` mapping has no other keys", "date.{key}", "unknown key",
                             "use only created: and updated:"),
    updated_before_created=Message(
        "`updated` not before `created`", "date.updated", "{updated} is before date.created {created}",
        "set updated: to the day of the last substantive change"),
    future_date=Message(
        "No future date unless `draft: true`", "{key}", "{day} is in the future (today is {today})",
        "use a date no later than today, or add draft: true until it is published",
        table=({"key": "date.created", "day": "<date>"},)),
    not_list_of_categories=Message(
        "Categories is a list", "categories", "expected a list of names, got {type}",
        "write categories: [Security]"),
    unknown_category=Message(
        "Categories from the allow list (`blog.categories_allowed` in mkdocs.yml)", "categories",
        "'{name}' is not an allowed category", "use one of: {allowed} (blog categories_allowed in mkdocs.yml)"),
    not_list_of_authors=Message(
        "Authors is a list", "authors", "expected a list of author ids, got {type}", "write authors: [<id>]"),
    unknown_author=Message(
        "Authors exist in `docs/blog/.authors.yml`", "authors", "'{id}' is not defined in {authors_file}",
        "use one of: {ids}; or add '{id}' to {authors_file}"),
    not_list_of_tags=Message("Tags is a list of text", "tags", "expected a list of tags, got {type}",
                             "write tags: [2FA, passkeys]"),
    tag_repeats_category=Message(
        "A tag does not repeat a category (feeds list both, so `account recovery` beside "
        "`Account recovery` shows twice)", "tags", "'{tag}' repeats the category '{category}'",
        "remove the tag; the category already files the post there"),
    not_list_of_related=Message(
        "`related` is a list of paths", "related", "expected a list of post paths, got {type}",
        "write related: [blog/posts/<file>.md]"),
    related_missing=Message(
        "Each related post exists", "related", "'{path}' is not an existing post",
        "use a docs-relative path of a file in docs/blog/posts/, e.g. blog/posts/<file>.md"),
    related_self=Message("A post does not relate to itself", "related", "lists the post itself", "remove it"),
    related_draft=Message(
        "A published post does not relate to a draft", "related", "'{path}' is a draft",
        "remove it, or publish that post first (remove its draft: true)"),
    tool_missing=Message(
        "`tool` names a page `docs/tools/<slug>.md`", "tool", "no tool page docs/tools/{slug}.md",
        "use the slug of an existing tool page ({slugs})"),
    tool_not_slug=Message("`tool` is a slug", "tool", "expected a tool slug, got {type}",
                          "write tool: recovery-checklist"),
    sources_not_list=Message("`sources` is a non-empty list", "sources", "expected a non-empty list, got {type}",
                             "{source_fix}"),
    source_not_mapping=Message("Each source is a mapping", "sources[{i}]", "expected a mapping, got {type}",
                               "{source_fix}"),
    source_missing=Message(
        "Each source has `title`, `url` and `checked` (the day an editor last confirmed the source "
        "says what the post claims)", "sources[{i}].{key}", "missing", "add {key}: to this source{example}",
        table=({"example": ""}, {"rule": "Each source has `checked`", "key": "checked",
                                 "example": ", e.g. checked: <today>"})),
    source_not_text=Message(
        "Source fields are text", "sources[{i}].{key}", "expected text, got {type}",
        "write {key}: as text{example}",
        table=({"example": ""}, {"rule": "A source's `section` is text", "key": "section",
                                 "example": ", e.g. section: 5.1.1"})),
    source_url=Message(
        "Source URLs are absolute", "sources[{i}].url", "'{url}' is not an absolute http(s) URL",
        "link the primary source with its full https:// address"),
    source_unknown_key=Message("Sources have no other keys", "sources[{i}].{key}", "unknown key",
                               "use only {source_keys}"),
    source_checked_date=Message(
        "`checked` is a real date", "sources[{i}].checked", "{shown} is not a valid date",
        "write it as YYYY-MM-DD, e.g. checked: {today}"),
    source_checked_future=Message(
        "`checked` is not in the future", "sources[{i}].checked", "{day} is in the future (today is {today})",
        "use the day you last read the source"),
    bad_slug=Message(
        "`slug` is a URL slug", "slug", "'{slug}' is not a URL slug",
        "use lowercase letters, digits and single hyphens, e.g. slug: backup-codes"),
    duplicate_slug=Message(
        "No two posts share a URL slug (from `slug:` or the slugified title; reported for each file "
        "involved)", "slug", "URL slug '{slug}' is also used by {others}", "set a unique slug: or change the title"),
    not_bool=Message("`{key}` is true/false", "{key}", "expected true or false, got {type}",
                     "write {key}: true or {key}: false", table=({"key": "draft"}, {"key": "pin"})),
    bad_readtime=Message(
        "`readtime` is a positive whole number", "readtime", "expected a whole number of minutes, got {type}",
        "write readtime: 7, or remove it to let the blog compute it"),
    bad_hide=Message("`hide` is a list", "hide", "expected a list, got {type}", "write hide: [toc]"),
    link_to_draft=Message(
        "No published page links to a draft post", "links", "line {line} links to the draft post {path}",
        "remove the link, or publish that post first (remove its draft: true)"),
    placeholder_description=Message(
        "A published post keeps no scaffold placeholder (description)", "description",
        "contains the scaffold placeholder '{placeholder}'", "write the real summary before publishing"),
    placeholder_body=Message(
        "A published post keeps no scaffold placeholder (body)", "body",
        "line {line} contains the scaffold placeholder '{placeholder}'",
        "replace it with the real text before removing draft: true"),
    author_field=Message(
        "Each author in `docs/blog/.authors.yml` has a `name`, a role in `description` and a short `bio` "
        "(post pages show them)", "authors.{id}.{key}", "missing", "add {key}: as text{example}",
        table=({"example": ""},)),
    author_avatar=Message(
        "An author's `avatar` is an image of this site (no other host)",
        "authors.{id}.avatar", "'{avatar}' {problem}",
        "use a docs-relative path of an image in docs/, e.g. avatar: assets/images/<file>.svg"),
)


# ----------------------------------------------------------------------- checking


def _type(value) -> str:
    return {
        str: "text", int: "a number", float: "a number", bool: "true/false", list: "a list",
        dict: "a mapping", type(None): "nothing", date: "a date", datetime: "a date and time",
    }.get(type(value), type(value).__name__)


def _as_date(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return None


def _str_list(value) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)


def _text(value) -> bool:
    return isinstance(value, str) and bool(value.strip())


def post_slug(doc: Document, slugify: Callable[[str], str]) -> str | None:
    """The URL slug Material's blog derives: `slug:` if given, else slugify(title)."""
    meta = doc.meta or {}
    slug = meta.get(Key.SLUG.value)
    if isinstance(slug, str) and slug:
        return slug
    title = meta.get(Key.TITLE.value)
    if isinstance(title, str) and title.strip():
        return slugify(title)
    return None


def link_targets(doc: Document) -> Iterable[tuple[int, str]]:
    """(file line, docs-relative target path) for every relative link in the body."""
    base = posixpath.dirname(doc.path)
    fenced = False
    for offset, line in enumerate(doc.body.split("\n")):
        stripped = line.lstrip()
        if stripped.startswith(("```", "~~~")):
            fenced = not fenced
            continue
        if fenced:
            continue
        targets = INLINE_LINK_RE.findall(line)
        ref = REF_LINK_RE.match(line)
        if ref:
            targets.append(ref.group(1))
        for target in targets:
            if "://" in target or target.startswith(("mailto:", "tel:", "#", "data:")):
                continue
            target = target.split("#", 1)[0].split("?", 1)[0]
            if not target:
                continue
            if target.startswith("/"):
                resolved = posixpath.normpath(target.lstrip("/"))
            else:
                resolved = posixpath.normpath(posixpath.join(base, target))
            yield doc.body_line + offset, resolved


@dataclass(frozen=True)
class Context:
    """What a per-key check may look at besides the value."""

    doc: Document
    rules: SiteRules
    posts: Mapping[str, Document]


def _date_value(ctx: Context, name: str, value) -> list[Violation]:
    day = _as_date(value)
    today = ctx.rules.today.isoformat()
    if day is None:
        shown = f"'{value}'" if isinstance(value, str) else _type(value)
        return [M.bad_date.at(ctx.doc.path, key=name, shown=shown, today=today)]
    if day > ctx.rules.today and not ctx.doc.is_draft:
        return [M.future_date.at(ctx.doc.path, key=name, day=day, today=today)]
    return []


def check_date(ctx: Context, value) -> list[Violation]:
    p = ctx.doc.path
    if not isinstance(value, dict):
        return _date_value(ctx, "date", value)
    out = []
    if "created" not in value:
        out.append(M.date_no_created.at(p))
    out += [M.date_unknown_key.at(p, key=k) for k in value if k not in ("created", "updated")]
    for key in ("created", "updated"):
        if key in value:
            out += _date_value(ctx, f"date.{key}", value[key])
    created, updated = _as_date(value.get("created")), _as_date(value.get("updated"))
    if created and updated and updated < created:
        out.append(M.updated_before_created.at(p, updated=updated, created=created))
    return out


def check_description(ctx: Context, value: str) -> list[Violation]:
    n = len(value.strip())
    if n < DESCRIPTION_MIN:
        return [M.too_short.at(ctx.doc.path, n=n)]
    if n > DESCRIPTION_MAX:
        return [M.too_long.at(ctx.doc.path, n=n)]
    return []


def check_categories(ctx: Context, value: list) -> list[Violation]:
    allowed = ", ".join(ctx.rules.categories)
    return [M.unknown_category.at(ctx.doc.path, name=c, allowed=allowed)
            for c in value if c not in ctx.rules.categories]


def check_authors(ctx: Context, value: list) -> list[Violation]:
    ids = ", ".join(sorted(ctx.rules.authors)) or "none defined"
    return [M.unknown_author.at(ctx.doc.path, id=a, ids=ids, authors_file=ctx.rules.authors_file)
            for a in value if a not in ctx.rules.authors]


def check_tags(ctx: Context, value: list) -> list[Violation]:
    categories = ctx.doc.meta.get(Key.CATEGORIES.value)
    by_fold = {c.casefold(): c for c in categories} if _str_list(categories) else {}
    return [M.tag_repeats_category.at(ctx.doc.path, tag=t, category=by_fold[t.casefold()])
            for t in value if t.casefold() in by_fold]


def check_related(ctx: Context, value: list) -> list[Violation]:
    out = []
    for r in value:
        target = ctx.posts.get(r)
        if r == ctx.doc.path:
            out.append(M.related_self.at(ctx.doc.path))
        elif target is None:
            out.append(M.related_missing.at(ctx.doc.path, path=r))
        elif target.is_draft and not ctx.doc.is_draft:
            out.append(M.related_draft.at(ctx.doc.path, path=r))
    return out


def check_tool(ctx: Context, value: str) -> list[Violation]:
    if value in ctx.rules.tools:
        return []
    return [M.tool_missing.at(ctx.doc.path, slug=value, slugs=", ".join(sorted(ctx.rules.tools)) or "none yet")]


def check_sources(ctx: Context, value: list) -> list[Violation]:
    p, out = ctx.doc.path, []
    for i, src in enumerate(value):
        if not isinstance(src, dict):
            out.append(M.source_not_mapping.at(p, i=i, type=_type(src)))
            continue
        out += [M.source_unknown_key.at(p, i=i, key=k) for k in src if k not in SOURCE_KEYS]
        for key in ("title", "url"):
            if key not in src:
                out.append(M.source_missing.at(p, i=i, key=key, example=""))
            elif not _text(src[key]):
                out.append(M.source_not_text.at(p, i=i, key=key, type=_type(src[key]), example=""))
        url = src.get("url")
        if _text(url) and not url.startswith(("https://", "http://")):
            out.append(M.source_url.at(p, i=i, url=url))
        if "section" in src and not _text(src["section"]):
            out.append(M.source_not_text.at(p, i=i, key="section", type=_type(src["section"]),
                                            example=", e.g. section: 5.1.1"))
        out += _check_checked(ctx, i, src)
    return out


def _check_checked(ctx: Context, i: int, src: dict) -> list[Violation]:
    p, today = ctx.doc.path, ctx.rules.today
    if "checked" not in src:
        return [M.source_missing.at(p, i=i, key="checked", example=f", e.g. checked: {today.isoformat()}")]
    day = _as_date(src["checked"])
    if day is None:
        shown = f"'{src['checked']}'" if isinstance(src["checked"], str) else _type(src["checked"])
        return [M.source_checked_date.at(p, i=i, shown=shown, today=today.isoformat())]
    if day > today:
        return [M.source_checked_future.at(p, i=i, day=day, today=today.isoformat())]
    return []


def check_slug(ctx: Context, value) -> list[Violation]:
    if isinstance(value, str) and SLUG_RE.match(value):
        return []
    return [M.bad_slug.at(ctx.doc.path, slug=value)]


@dataclass(frozen=True)
class Field:
    """One row of the front-matter schema: how one key is checked."""

    key: Key
    required: bool
    is_type: Callable[[object], bool]  # the value has the right shape
    type_error: Message  # printed when it has not (with {type}: what it is)
    check: Callable[[Context, object], list[Violation]] | None = None  # then the value itself
    fix_missing: str = ""  # for a missing required key


def _positive_int(value) -> bool:
    return type(value) is int and value > 0


def _non_empty_list(value) -> bool:
    return isinstance(value, list) and bool(value)


FIELDS: tuple[Field, ...] = (
    Field(Key.TITLE, True, _text, M.not_text, fix_missing='add title: "Your post title"'),
    Field(Key.DESCRIPTION, True, _text, M.not_text, check_description,
          fix_missing=f"add description: with a {DESCRIPTION_MIN}-{DESCRIPTION_MAX} character summary"),
    Field(Key.DATE, True, lambda v: True, M.bad_date, check_date,
          fix_missing="add date: {created: YYYY-MM-DD}"),
    Field(Key.CATEGORIES, True, _str_list, M.not_list_of_categories, check_categories,
          fix_missing="add categories: [<one of the allowed categories>]"),
    Field(Key.AUTHORS, True, _str_list, M.not_list_of_authors, check_authors,
          fix_missing="add authors: [<author id from blog/.authors.yml>]"),
    Field(Key.TAGS, False, _str_list, M.not_list_of_tags, check_tags),
    Field(Key.RELATED, False, _str_list, M.not_list_of_related, check_related),
    Field(Key.TOOL, False, _text, M.tool_not_slug, check_tool),
    Field(Key.SOURCES, False, _non_empty_list, M.sources_not_list, check_sources),
    Field(Key.SLUG, False, lambda v: True, M.bad_slug, check_slug),
    Field(Key.DRAFT, False, lambda v: isinstance(v, bool), M.not_bool),
    Field(Key.PIN, False, lambda v: isinstance(v, bool), M.not_bool),
    Field(Key.READTIME, False, _positive_int, M.bad_readtime),
    Field(Key.HIDE, False, _str_list, M.bad_hide),
)
REQUIRED = tuple(f.key for f in FIELDS if f.required)
REQUIRED_FIX = {f.key: f.fix_missing for f in FIELDS if f.required}
EMPTY = (None, "", [])


def _missing(row: Field, meta: Mapping) -> bool:
    return row.required and meta.get(row.key.value) in EMPTY


def check_field(row: Field, ctx: Context) -> list[Violation]:
    """One row applied to a key that is present: its shape, then its value."""
    key = row.key.value
    value = ctx.doc.meta[key]
    if not row.is_type(value):
        return [row.type_error.at(ctx.doc.path, key=key, type=_type(value))]
    return row.check(ctx, value) if row.check else []


def check_post(doc: Document, rules: SiteRules, posts: Mapping[str, Document]) -> list[Violation]:
    """Schema rules for one post that need no other post's slug: one pass over FIELDS."""
    p = doc.path
    if doc.error:
        return [doc.error]
    if doc.meta is None:
        return [M.no_front_matter.at(p)]
    meta, ctx = doc.meta, Context(doc, rules, posts)
    out = [M.unknown_key.at(p, key=str(k)) for k in meta if k not in ALLOWED_KEYS]
    out += [M.missing.at(p, key=row.key.value, fix=row.fix_missing) for row in FIELDS if _missing(row, meta)]
    out += [v for row in FIELDS if row.key.value in meta and not _missing(row, meta)
            for v in check_field(row, ctx)]
    if not doc.is_draft:
        desc = meta.get(Key.DESCRIPTION.value)
        if isinstance(desc, str) and PLACEHOLDER in desc:
            out.append(M.placeholder_description.at(p))
        out += [M.placeholder_body.at(p, line=doc.body_line + offset)
                for offset, line in enumerate(doc.body.split("\n")) if PLACEHOLDER in line]
    return out


def check_authors_file(profiles: Mapping[str, Mapping], authors_file: str,
                       site_files: frozenset[str]) -> list[Violation]:
    """Each author has a name, a role (Material's `description`) and a bio; the avatar is an image of this site."""
    out = []
    examples = {"name": ", e.g. name: Esrok editors", "description": " (the role), e.g. description: Editorial team",
                "bio": ", one or two sentences on who they are and what they check"}
    for author_id, profile in profiles.items():
        for key in ("name", "description", "bio"):
            if not _text(profile.get(key)):
                out.append(M.author_field.at(authors_file, authors_file=authors_file, id=author_id, key=key,
                                             example=examples[key]))
        avatar = profile.get("avatar")
        if avatar is None:
            continue
        problem = None
        if not _text(avatar) or "://" in avatar or avatar.startswith("//"):
            problem = "is not an image of this site"
        elif posixpath.normpath(avatar.lstrip("/")) not in site_files:
            problem = "is not a file in docs/"
        if problem:
            out.append(M.author_avatar.at(authors_file, authors_file=authors_file, id=author_id,
                                          avatar=avatar, problem=problem))
    return out


def check_site(documents: Iterable[Document], rules: SiteRules) -> list[Violation]:
    """Every violation across all pages, in file order (posts sorted by path)."""
    docs = sorted(documents, key=lambda d: d.path)
    posts = {d.path: d for d in docs if d.is_post}
    drafts = {d.path for d in posts.values() if d.is_draft}
    by_slug: dict[str, list[str]] = {}
    for doc in posts.values():
        if doc.meta is not None and (slug := post_slug(doc, rules.slugify)) is not None:
            by_slug.setdefault(slug, []).append(doc.path)
    out: list[Violation] = []
    for doc in docs:
        if doc.is_post:
            out += check_post(doc, rules, posts)
            slug = post_slug(doc, rules.slugify) if doc.meta is not None else None
            others = [p for p in by_slug.get(slug, ()) if p != doc.path]
            if others:
                out.append(M.duplicate_slug.at(doc.path, slug=slug, others=", ".join(others)))
        elif doc.error:
            out.append(doc.error)
        if drafts and not doc.is_draft:
            for line, target in link_targets(doc):
                if target in drafts:
                    out.append(M.link_to_draft.at(doc.path, line=line, path=target))
    return out + check_authors_file(rules.profiles, rules.authors_file, rules.site_files)


def stale_sources(documents: Iterable[Document], today: date, months: int = STALE_MONTHS) -> list[str]:
    """`<file>: sources[<i>] '<title>' last checked <date>` for sources checked before the cut-off.

    Printed by the build as a warning (never a failure, so an old post cannot block a deploy).
    """
    cutoff = _months_before(today, months)
    out = []
    for doc in sorted(documents, key=lambda d: d.path):
        sources = (doc.meta or {}).get(Key.SOURCES.value) if doc.is_post and not doc.is_draft else None
        for i, src in enumerate(sources if isinstance(sources, list) else []):
            day = _as_date(src.get("checked")) if isinstance(src, dict) else None
            if day is not None and day < cutoff:
                out.append(f"{doc.path}: sources[{i}] '{src.get('title')}' last checked {day}")
    return out


def _months_before(day: date, months: int) -> date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def message_table() -> str:
    """The Markdown table of every rule and its exact message, for CONTRIBUTING.md."""
    rows = ["| Rule | Message |", "|---|---|"]
    for message in vars(M).values():
        for values in message.table or ({},):
            shown = {k: v for k, v in values.items() if k != "rule"}
            rule = values.get("rule") or message.rule.format_map(_Placeholders({**CONSTANTS, **shown}))
            rows.append(f"| {rule} | `{message.pattern(**shown)}` |".replace("|`", "| `"))
    return "\n".join(rows)


TABLE_BEGIN = "<!-- BEGIN front-matter messages: generated by `python -m hooks.frontmatter --contributing` -->"
TABLE_END = "<!-- END front-matter messages -->"


def with_table(text: str, table: str) -> str:
    """`text` (CONTRIBUTING.md) with the block between the markers replaced by `table`."""
    begin, end = text.index(TABLE_BEGIN) + len(TABLE_BEGIN), text.index(TABLE_END)
    return text[:begin] + "\n" + table + "\n" + text[end:]


def report(violations: list[Violation]) -> str:
    n = len(violations)
    head = f"Front matter check failed: {n} problem{'s' if n != 1 else ''} (see CONTRIBUTING.md)"
    return "\n".join([head, *map(str, violations)])


# ---------------------------------------------------------------------- MkDocs hook

from mkdocs.exceptions import PluginError  # noqa: E402
from mkdocs.plugins import event_priority  # noqa: E402


def site_rules(config, files, today: date | None = None) -> SiteRules:
    """Read the allow lists from the blog plugin (its on_config already loaded .authors.yml)."""
    blog = config.plugins.get("material/blog")
    if blog is None:
        raise PluginError("hooks/frontmatter.py needs Material's blog plugin in mkdocs.yml plugins:")
    authors_file = blog.config.authors_file.format(blog=blog.config.blog_dir)
    tools = frozenset(
        f.src_uri[len(TOOLS_DIR):-3] for f in files.documentation_pages()
        if f.src_uri.startswith(TOOLS_DIR) and f.src_uri.count("/") == 1 and f.src_uri != "tools/index.md"
    )
    separator = blog.config.post_slugify_separator
    return SiteRules(
        categories=tuple(blog.config.categories_allowed),
        authors=frozenset(getattr(blog, "authors", None) or {}),
        authors_file=posixpath.normpath(authors_file),
        tools=tools,
        today=today or date.today(),
        slugify=lambda title: blog.config.post_slugify(title, separator),
        profiles={k: dict(v) for k, v in (getattr(blog, "authors", None) or {}).items()},
        site_files=frozenset(f.src_uri for f in files),
    )


@event_priority(100)  # before Material's blog plugin (-50), which tracebacks on some of these
def on_files(files, config):
    rules = site_rules(config, files)
    # content_string: a page another hook generated (the offline page) has no file on disk
    documents = [parse_document(f.src_uri, f.content_string) for f in files.documentation_pages()]
    violations = check_site(documents, rules)
    if violations:
        raise PluginError(report(violations))
    stale = stale_sources(documents, rules.today)
    if stale:
        _notice.warning("Sources last checked more than %d months ago (re-check them and update "
                        "checked:; this does not fail the build):\n%s", STALE_MONTHS, "\n".join(stale))
    return files


# Not under the "mkdocs" logger on purpose: strict mode counts that logger's warnings
# as failures, and an old source must never block a deploy.
_notice = logging.getLogger("esrok.sources")
if not _notice.handlers:
    _handler = logging.StreamHandler()
    _handler.setFormatter(logging.Formatter("WARNING -  %(message)s"))
    _notice.addHandler(_handler)
    _notice.propagate = False


def main(argv: list[str] | None = None) -> int:
    """`python -m hooks.frontmatter --contributing`: rewrite the message table in CONTRIBUTING.md."""
    import argparse
    from pathlib import Path

    parser = argparse.ArgumentParser(prog="python -m hooks.frontmatter")
    parser.add_argument("--contributing", action="store_true",
                        help="write the rule/message table into CONTRIBUTING.md")
    args = parser.parse_args(argv)
    if not args.contributing:
        print(message_table())
        return 0
    path = Path(__file__).resolve().parent.parent / "CONTRIBUTING.md"
    path.write_text(with_table(path.read_text(encoding="utf-8"), message_table()), encoding="utf-8")
    print(f"Updated the message table in {path.name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
