"""Front-matter validation for every page and the blog post schema.

The MkDocs hook (`on_files`, run before Material's blog plugin) reads each
Markdown page once, parses its front matter with the pure helpers below and,
when anything is wrong, fails the build once with one line per violation:

    <docs-relative file>: <field>: <what is wrong>; <how to fix>

Everything above the "MkDocs hook" section is pure (no I/O) and unit-tested in
tests/hooks/test_frontmatter.py. CONTRIBUTING.md lists every rule.
"""
from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum

import yaml

POST_DIR = "blog/posts/"
TOOLS_DIR = "tools/"
PLACEHOLDER = "TODO:"
DESCRIPTION_MIN = 50
DESCRIPTION_MAX = 160

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


REQUIRED = (Key.TITLE, Key.DESCRIPTION, Key.DATE, Key.CATEGORIES, Key.AUTHORS)
ALLOWED_KEYS = tuple(sorted(k.value for k in Key))
SOURCE_KEYS = ("title", "url", "section")

# How to fix a missing required field.
REQUIRED_FIX = {
    Key.TITLE: 'add title: "Your post title"',
    Key.DESCRIPTION: f"add description: with a {DESCRIPTION_MIN}-{DESCRIPTION_MAX} character summary",
    Key.DATE: "add date: {created: YYYY-MM-DD}",
    Key.CATEGORIES: "add categories: [<one of the allowed categories>]",
    Key.AUTHORS: "add authors: [<author id from blog/.authors.yml>]",
}


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
        return Document(path, None, body, body_line, Violation(
            path, "front matter", f"invalid YAML at line {line}: {problem}",
            "fix the YAML syntax (quote values that contain ': ' or start with a special character)"))
    except yaml.YAMLError as e:  # pragma: no cover - non-marked errors are rare
        return Document(path, None, body, body_line, Violation(
            path, "front matter", f"invalid YAML: {e}", "fix the YAML syntax"))
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        return Document(path, None, body, body_line, Violation(
            path, "front matter", f"expected key: value pairs, found {_type(meta)}",
            "write the front matter as 'key: value' lines between the --- markers"))
    return Document(path, meta, body, body_line)


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


def check_dates(doc: Document, value, today: date) -> list[Violation]:
    p = doc.path
    fix_format = "write it as YYYY-MM-DD, e.g. date: {created: %s}" % today.isoformat()
    if isinstance(value, dict):
        out = []
        if "created" not in value:
            out.append(Violation(p, "date.created", "missing", "add created: YYYY-MM-DD under date:"))
        for key in value:
            if key not in ("created", "updated"):
                out.append(Violation(p, f"date.{key}", "unknown key", "use only created: and updated:"))
        for key in ("created", "updated"):
            if key in value:
                out += _check_one_date(doc, f"date.{key}", value[key], today, fix_format)
        created, updated = _as_date(value.get("created")), _as_date(value.get("updated"))
        if created and updated and updated < created:
            out.append(Violation(p, "date.updated", f"{updated} is before date.created {created}",
                                 "set updated: to the day of the last substantive change"))
        return out
    return _check_one_date(doc, "date", value, today, fix_format)


def _check_one_date(doc: Document, name: str, value, today: date, fix_format: str) -> list[Violation]:
    day = _as_date(value)
    if day is None:
        shown = f"'{value}'" if isinstance(value, str) else _type(value)
        return [Violation(doc.path, name, f"{shown} is not a valid date", fix_format)]
    if day > today and not doc.is_draft:
        return [Violation(doc.path, name, f"{day} is in the future (today is {today})",
                          "use a date no later than today, or add draft: true until it is published")]
    return []


def check_sources(doc: Document, value) -> list[Violation]:
    p = doc.path
    fix = "write sources: as a list of {title: ..., url: https://..., section: ...} entries"
    if not isinstance(value, list) or not value:
        return [Violation(p, "sources", f"expected a non-empty list, got {_type(value)}", fix)]
    out = []
    for i, src in enumerate(value):
        name = f"sources[{i}]"
        if not isinstance(src, dict):
            out.append(Violation(p, name, f"expected a mapping, got {_type(src)}", fix))
            continue
        for key in src:
            if key not in SOURCE_KEYS:
                out.append(Violation(p, f"{name}.{key}", "unknown key", "use only title, url and section"))
        for key in ("title", "url"):
            if key not in src:
                out.append(Violation(p, f"{name}.{key}", "missing", f"add {key}: to this source"))
            elif not isinstance(src[key], str) or not src[key].strip():
                out.append(Violation(p, f"{name}.{key}", f"expected text, got {_type(src[key])}",
                                     f"write {key}: as text"))
        url = src.get("url")
        if isinstance(url, str) and url.strip() and not url.startswith(("https://", "http://")):
            out.append(Violation(p, f"{name}.url", f"'{url}' is not an absolute http(s) URL",
                                 "link the primary source with its full https:// address"))
        if "section" in src and not (isinstance(src["section"], str) and src["section"].strip()):
            out.append(Violation(p, f"{name}.section", f"expected text, got {_type(src['section'])}",
                                 "write section: as text, e.g. section: 5.1.1"))
    return out


def check_post(doc: Document, rules: SiteRules, posts: Mapping[str, Document]) -> list[Violation]:
    """Schema rules for one post that need no other post's slug."""
    p = doc.path
    if doc.error:
        return [doc.error]
    if doc.meta is None:
        return [Violation(p, "front matter", "missing",
                          "start the post with a --- block holding title, description, date, "
                          "categories and authors (see CONTRIBUTING.md)")]
    meta = doc.meta
    out: list[Violation] = []
    for key in meta:
        if key not in ALLOWED_KEYS:
            out.append(Violation(p, str(key), "unknown front-matter key",
                                 "remove it or use one of: " + ", ".join(ALLOWED_KEYS)))
    for key in REQUIRED:
        if key.value not in meta or meta[key.value] in (None, "", []):
            out.append(Violation(p, key.value, "missing required field", REQUIRED_FIX[key]))

    title = meta.get(Key.TITLE.value)
    if title not in (None, "") and not isinstance(title, str):
        out.append(Violation(p, "title", f"expected text, got {_type(title)}", 'quote it: title: "..."'))

    desc = meta.get(Key.DESCRIPTION.value)
    if desc not in (None, ""):
        if not isinstance(desc, str):
            out.append(Violation(p, "description", f"expected text, got {_type(desc)}",
                                 'quote it: description: "..."'))
        else:
            n = len(desc.strip())
            if n < DESCRIPTION_MIN:
                out.append(Violation(p, "description", f"too short ({n} characters, minimum {DESCRIPTION_MIN})",
                                     f"write a one-sentence summary of {DESCRIPTION_MIN}-{DESCRIPTION_MAX} characters"))
            elif n > DESCRIPTION_MAX:
                out.append(Violation(p, "description", f"too long ({n} characters, maximum {DESCRIPTION_MAX})",
                                     f"shorten it to {DESCRIPTION_MAX} characters or fewer"))

    if meta.get(Key.DATE.value) not in (None, ""):
        out += check_dates(doc, meta[Key.DATE.value], rules.today)

    cats = meta.get(Key.CATEGORIES.value)
    if cats not in (None, "", []):
        if not _str_list(cats):
            out.append(Violation(p, "categories", f"expected a list of names, got {_type(cats)}",
                                 "write categories: [Security]"))
        else:
            for c in cats:
                if c not in rules.categories:
                    out.append(Violation(p, "categories", f"'{c}' is not an allowed category",
                                         "use one of: " + ", ".join(rules.categories)
                                         + " (blog categories_allowed in mkdocs.yml)"))

    authors = meta.get(Key.AUTHORS.value)
    if authors not in (None, "", []):
        if not _str_list(authors):
            out.append(Violation(p, "authors", f"expected a list of author ids, got {_type(authors)}",
                                 "write authors: [<id>]"))
        else:
            for a in authors:
                if a not in rules.authors:
                    known = ", ".join(sorted(rules.authors)) or "none defined"
                    out.append(Violation(p, "authors", f"'{a}' is not defined in {rules.authors_file}",
                                         f"use one of: {known}; or add '{a}' to {rules.authors_file}"))

    if Key.TAGS.value in meta and not _str_list(meta[Key.TAGS.value]):
        out.append(Violation(p, "tags", f"expected a list of tags, got {_type(meta[Key.TAGS.value])}",
                             "write tags: [2FA, passkeys]"))

    related = meta.get(Key.RELATED.value)
    if Key.RELATED.value in meta:
        if not _str_list(related):
            out.append(Violation(p, "related", f"expected a list of post paths, got {_type(related)}",
                                 "write related: [blog/posts/<file>.md]"))
        else:
            for r in related:
                target = posts.get(r)
                if r == p:
                    out.append(Violation(p, "related", "lists the post itself", "remove it"))
                elif target is None:
                    out.append(Violation(p, "related", f"'{r}' is not an existing post",
                                         "use a docs-relative path of a file in docs/blog/posts/, "
                                         "e.g. blog/posts/<file>.md"))
                elif target.is_draft and not doc.is_draft:
                    out.append(Violation(p, "related", f"'{r}' is a draft",
                                         "remove it, or publish that post first (remove its draft: true)"))

    if Key.TOOL.value in meta:
        tool = meta[Key.TOOL.value]
        if not isinstance(tool, str) or not tool.strip():
            out.append(Violation(p, "tool", f"expected a tool slug, got {_type(tool)}",
                                 "write tool: recovery-checklist"))
        elif tool not in rules.tools:
            known = ", ".join(sorted(rules.tools)) or "none yet"
            out.append(Violation(p, "tool", f"no tool page docs/{TOOLS_DIR}{tool}.md",
                                 f"use the slug of an existing tool page ({known})"))

    if Key.SOURCES.value in meta:
        out += check_sources(doc, meta[Key.SOURCES.value])

    slug = meta.get(Key.SLUG.value)
    if Key.SLUG.value in meta and not (isinstance(slug, str) and SLUG_RE.match(slug)):
        out.append(Violation(p, "slug", f"'{slug}' is not a URL slug",
                             "use lowercase letters, digits and single hyphens, e.g. slug: backup-codes"))

    for key in (Key.DRAFT, Key.PIN):
        if key.value in meta and not isinstance(meta[key.value], bool):
            out.append(Violation(p, key.value, f"expected true or false, got {_type(meta[key.value])}",
                                 f"write {key.value}: true or {key.value}: false"))
    readtime = meta.get(Key.READTIME.value)
    if Key.READTIME.value in meta and not (type(readtime) is int and readtime > 0):
        out.append(Violation(p, "readtime", f"expected a whole number of minutes, got {_type(readtime)}",
                             "write readtime: 7, or remove it to let the blog compute it"))
    hide = meta.get(Key.HIDE.value)
    if Key.HIDE.value in meta and not _str_list(hide):
        out.append(Violation(p, "hide", f"expected a list, got {_type(hide)}", "write hide: [toc]"))

    if not doc.is_draft:
        if isinstance(desc, str) and PLACEHOLDER in desc:
            out.append(Violation(p, "description", f"contains the scaffold placeholder '{PLACEHOLDER}'",
                                 "write the real summary before publishing"))
        for offset, line in enumerate(doc.body.split("\n")):
            if PLACEHOLDER in line:
                out.append(Violation(p, "body", f"line {doc.body_line + offset} contains the scaffold "
                                     f"placeholder '{PLACEHOLDER}'",
                                     "replace it with the real text before removing draft: true"))
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
                out.append(Violation(doc.path, "slug", f"URL slug '{slug}' is also used by {', '.join(others)}",
                                     "set a unique slug: or change the title"))
        elif doc.error:
            out.append(doc.error)
        if drafts and not doc.is_draft:
            for line, target in link_targets(doc):
                if target in drafts:
                    out.append(Violation(doc.path, "links", f"line {line} links to the draft post {target}",
                                         "remove the link, or publish that post first (remove its draft: true)"))
    return out


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
    )


def _read(path: str) -> str:
    with open(path, encoding="utf-8-sig") as f:
        return f.read()


@event_priority(100)  # before Material's blog plugin (-50), which tracebacks on some of these
def on_files(files, config):
    rules = site_rules(config, files)
    documents = [parse_document(f.src_uri, _read(f.abs_src_path)) for f in files.documentation_pages()]
    violations = check_site(documents, rules)
    if violations:
        raise PluginError(report(violations))
    return files
