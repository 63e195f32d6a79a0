"""Step 4b, service catalogue: validate ``data/services/`` once per build and cut the browser asset.

Consumes ``data/services/catalogue.json``, the licence files next to it and the engine's catalogue
model (``tool/esrok_recovery/catalogue.py``: ``loads_services`` validates, ``browser_asset`` trims).
Produces :class:`ServiceData`:

* ``asset``: the trimmed catalogue as a content-hashed :class:`~.stdlib.Blob`,
  ``assets/esrok/services.<hash>.json``. Step 5 adds it to ``PageData.data_assets``, names its URL
  in the boot configuration as ``boot["data"]["services"]``, and step 6 puts it in the service
  worker's ``engine`` group (cached with the checker, never for an article page). Step 7 writes its
  ``.br``/``.gz`` siblings. The page loads it on first use of the picker or the quick check;
* ``licences``: one page per source, ``licences/<source id>.md`` (rendered from
  ``hooks/templates/licence.md.j2``: the credit line and the licence text as shipped with the data),
  and the licence text as it is, ``licences/<source id>.txt``. Wherever the data is credited (the
  tool, the kit, "How the checklist decides", About) links them;
* ``credits``: per source its name, home page, date, licence, credit line and licence page. A page
  with the marker line ``<!-- esrok:data-credits -->`` (About, "How the checklist decides") gets
  them as a list (:func:`credits_markdown`, ``hooks/templates/credits.md.j2``), so no page
  restates a source, a date or a licence by hand.

This is the only place a build validates the catalogue (there is no separate site hook): a
malformed entry, a file out of canonical form, a missing licence file or a picker choice that is
not in the catalogue fails the build with one line per problem,
``data/services/catalogue.json: <field path>: <problem>; <fix>`` (:func:`check_catalogue`, pure).
The result is cached in ``.cache/esrok/catalogue/`` by the file's bytes, the licence files, the
engine sources that read it, the licence template and this module's own code, so an unchanged tree (a `mkdocs serve` rebuild) skips the work.
Never touches the network, never writes into ``docs/``.
"""
from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .cache import StepCache, bytes_digest, key
from .stdlib import Blob

CATALOGUE = "data/services/catalogue.json"
REFORMAT = ".venv/bin/python -m services.update --reformat"
ASSET_DIR = "assets/esrok/"
ASSET_NAME = "services"           # boot["data"]["services"]
LICENCE_DIR = "licences/"
CREDITS_MARKER = "<!-- esrok:data-credits -->"
TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
#: The engine modules whose code decides what the step produces (part of the cache key).
ENGINE_SOURCES = ("catalogue.py", "parse.py", "model.py")


class CatalogueCheckError(Exception):
    """The catalogue is invalid; the message is :func:`report` of lines ``<file>: <field path>: <problem>; <fix>``."""


@dataclass(frozen=True)
class ServiceData:
    asset: Blob                                      # assets/esrok/services.<hash>.json
    licences: tuple[tuple[str, str], ...] = ()       # (docs path "licences/<id>.md", page Markdown)
    files: tuple[Blob, ...] = ()                     # licences/<id>.txt: the texts as they are
    credits: tuple[dict, ...] = field(default=(), hash=False)

    def licence_page(self, source_id: str) -> str | None:
        """The site URL of a source's licence page ("licences/2fa-directory/")."""
        return next((c["licence_page"] for c in self.credits if c["id"] == source_id), None)


# --- pure helpers ---------------------------------------------------------------

def check_catalogue(cat, data: bytes, file: str = CATALOGUE, exists: Callable[[str], bool] = lambda name: True,
                    common=None) -> tuple[object | None, list[str]]:
    """Validate the catalogue file's bytes with the engine's catalogue module ``cat``; returns
    ``(catalogue, [])`` or ``(None, problem lines)``. ``exists(name)`` tells whether a file next to the
    catalogue exists (licence files); ``common``: the picker's first choices (default: the engine's)."""
    common = cat.COMMON_SERVICES if common is None else common
    catalogue, problems = cat.loads_services(data)
    if problems:
        return None, [f"{file}: {p}" for p in problems]
    lines: list[str] = []
    text = data.decode("utf-8")
    canonical = cat.dump_catalogue(catalogue)
    if text != canonical:
        got, want = text.splitlines(), canonical.splitlines()
        n = next((i for i, (a, b) in enumerate(zip(got, want)) if a != b), min(len(got), len(want)))
        lines.append(f"{file}: line {n + 1}: not in canonical form (services sorted by domain, one per line, "
                     f"keys in the documented order); run {REFORMAT}")
    for i, s in enumerate(catalogue.sources):
        if s.licence_file and not exists(s.licence_file):
            lines.append(f"{file}: sources[{i}].licence_file: {s.licence_file} is missing next to the catalogue; "
                         f"restore it from git (the {s.licence} licence text must ship with the data)")
    for c in common:
        found = catalogue.get(c.domain)
        if found is None or found.domain != c.domain:
            lines.append(f"{file}: services: no service \"{c.domain}\", which the picker offers first "
                         f"(COMMON_SERVICES in tool/esrok_recovery/catalogue.py); add the service back, "
                         f"or change that list")
    return (None, lines) if lines else (catalogue, [])


def report(lines: list[str]) -> str:
    n = len(lines)
    return "\n".join([f"Service catalogue check failed: {n} problem{'s' if n != 1 else ''} "
                      f"(see data/services/README.md)", *lines])


def asset_blob(text: str) -> Blob:
    data = text.encode("utf-8")
    return Blob(f"{ASSET_DIR}{ASSET_NAME}.{bytes_digest(data)[:12]}.json", data)


def demote_headings(markdown: str) -> str:
    """Headings nested under the page's own title: the first level becomes ``##`` and no level is
    skipped (upstream licence files jump from ``#`` to ``###``); everything else as it is."""
    out, fenced, stack = [], False, []   # stack: (level in the text, level on the page)
    for line in markdown.splitlines():
        if line.lstrip().startswith("```"):
            fenced = not fenced
        m = None if fenced else re.match(r"(#{1,6}) ", line)
        if m:
            level = len(m.group(1))
            while stack and stack[-1][0] >= level:
                stack.pop()
            page_level = min(stack[-1][1] + 1 if stack else 2, 6)
            stack.append((level, page_level))
            line = "#" * page_level + line[level:]
        out.append(line)
    return "\n".join(out) + "\n"


def licence_markdown(source: dict, text: str, txt_name: str, template_text: str) -> str:
    """A source's licence page (hooks/templates/licence.md.j2)."""
    import jinja2

    env = jinja2.Environment(undefined=jinja2.StrictUndefined, keep_trailing_newline=True, autoescape=False)
    return env.from_string(template_text).render(source=source, text=demote_headings(text), txt_name=txt_name)


def credits_of(catalogue) -> tuple[dict, ...]:
    return tuple({"id": s.id, "name": s.name, "url": s.url, "date": s.date, "licence": s.licence,
                  "licence_url": s.licence_url, "attribution": s.attribution,
                  "licence_page": f"{LICENCE_DIR}{s.id}/"} for s in catalogue.sources)


def credits_markdown(credits, page_src_uri: str, template_text: str) -> str:
    """The sources' credits as Markdown for the page ``page_src_uri`` (its licence links relative to
    that page, so MkDocs checks them like any other link)."""
    import jinja2

    here = posixpath.dirname(page_src_uri)
    rows = [dict(c, licence_link=posixpath.relpath(c["licence_page"].rstrip("/") + ".md", here or "."))
            for c in credits]
    env = jinja2.Environment(undefined=jinja2.StrictUndefined, keep_trailing_newline=True, autoescape=False,
                             trim_blocks=True, lstrip_blocks=True)
    return env.from_string(template_text).render(credits=rows)


def insert_credits(markdown: str, page_src_uri: str, credits, template_text: str) -> str:
    """``markdown`` with every credits marker line replaced (unchanged when it has none)."""
    if CREDITS_MARKER not in markdown:
        return markdown
    return markdown.replace(CREDITS_MARKER, credits_markdown(credits, page_src_uri, template_text).rstrip("\n"))


# --- thin I/O -----------------------------------------------------------------

def service_catalogue(root: Path, cache: StepCache, cat) -> ServiceData:
    """Read, validate (once, cached by content) and cut the catalogue; ``cat`` is the engine's
    ``esrok_recovery.catalogue`` module. Raises :class:`CatalogueCheckError`."""
    path = root / CATALOGUE
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise CatalogueCheckError(report([f"{CATALOGUE}: missing; restore it from git, or run "
                                          f"make update-services"])) from None
    licences = {p.name: p.read_bytes() for p in sorted(path.parent.glob("LICENSE*"))}
    engine = Path(cat.__file__).parent
    template = (TEMPLATES / "licence.md.j2").read_text(encoding="utf-8")
    digest = key("catalogue", data, *(f"{n}={bytes_digest(b)}" for n, b in licences.items()),
                 *((engine / name).read_bytes() for name in ENGINE_SOURCES), template, repr(cat.COMMON_SERVICES),
                 Path(__file__).read_bytes())   # this step's own code (licence pages, checks)

    def make(tmp: Path) -> None:
        catalogue, lines = check_catalogue(cat, data, CATALOGUE, lambda name: name in licences)
        if lines:
            raise CatalogueCheckError(report(lines))
        (tmp / "asset.json").write_text(cat.browser_asset(catalogue), encoding="utf-8")
        credits = credits_of(catalogue)
        pages = []
        for source, c in zip(catalogue.sources, credits):
            if not source.licence_file:
                continue
            text = licences[source.licence_file].decode("utf-8")
            pages.append({"id": source.id, "page": f"{LICENCE_DIR}{source.id}.md",
                          "markdown": licence_markdown(c, text, f"{source.id}.txt", template),
                          "txt": f"{LICENCE_DIR}{source.id}.txt", "text": text})
        (tmp / "meta.json").write_text(json.dumps({"credits": credits, "pages": pages}, ensure_ascii=False),
                                       encoding="utf-8")

    where = cache.entry("catalogue", digest, make)
    meta = json.loads((where / "meta.json").read_text(encoding="utf-8"))
    asset = asset_blob((where / "asset.json").read_text(encoding="utf-8"))
    return ServiceData(asset=asset,
                       licences=tuple((p["page"], p["markdown"]) for p in meta["pages"]),
                       files=tuple(Blob(p["txt"], p["text"].encode("utf-8")) for p in meta["pages"]),
                       credits=tuple(meta["credits"]))
