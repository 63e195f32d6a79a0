"""Step 6, service worker: ``/sw.js`` and ``_headers``, from the ToolBuild and the built pages.

Consumes the :class:`~.pipeline.ToolBuild` and the built tool and offline pages (to list the
scripts, styles and icon they load). Produces ``sw.js`` (hooks/templates/sw.js.j2 with the
:class:`SwConfig` rendered into it) and ``_headers``. The service worker keeps one cache per
**group**, each named by a hash of its files' URLs and bytes, so a deploy replaces exactly the
groups it changed and the new worker deletes every other ``esrok-`` cache:

* ``offline``: the offline page and what it loads; precached on install (small);
* ``tool``: the tool page, its scripts, modules and styles;
* ``runtime``: Pyodide and the trimmed precompiled stdlib (the full one when it is fetched);
* ``engine``: the wheel, its bytecode and the page's data assets (the trimmed service catalogue,
  ``boot["data"]["services"]``: the picker works offline wherever the checker does);
* ``snapshot``: the memory snapshot, cached only once the checker has run, never under Save-Data;
* ``esrok-pages``: pages the reader has visited, least recently used out (``PAGES_MAX`` pages,
  ``PAGES_MAX_BYTES``), kept across deploys.

``tool``, ``runtime`` and ``engine`` are cached on a sign of intent or use (never for a reader who
shows none); files in ``gzip`` are stored compressed with ``CompressionStream`` and decompressed
when served. A data asset added to ``ToolBuild.page.data_assets`` (issue 10: ``plan-ui.json``)
is listed in ``engine`` by :func:`sw_config`; its name must carry its content hash.
"""
from __future__ import annotations

import json
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from .cache import bytes_digest, key

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
CACHE_PREFIX = "esrok-"
PAGES_CACHE = "esrok-pages"
PAGES_MAX = 50
PAGES_MAX_BYTES = 5 * 1024 * 1024
GZIP_MIN_BYTES = 256 * 1024
GZIP_SUFFIXES = (".wasm", ".mjs", ".bin", ".json")
EXTRA_SHELL = ("assets/javascripts/sw-register.js",)

_REF_RE = re.compile(r"""<(?:script|link)\b[^>]*?\b(?:src|href)\s*=\s*["']([^"']+)["'][^>]*>""", re.I)
_LINK_REL_RE = re.compile(r"""\brel\s*=\s*["']([^"']+)["']""", re.I)


class PrecacheError(Exception):
    """A file the service worker must precache is not in the built site."""


@dataclass(frozen=True)
class Group:
    name: str               # "offline", "tool", ...
    cache: str              # "esrok-<name>-<hash>"
    urls: tuple[str, ...]   # site-root-relative


# --- pure helpers -------------------------------------------------------------

def page_assets(html: str, page_url: str) -> list[str]:
    """Site-root-relative URLs of the scripts, stylesheets and icon a built page loads."""
    out: list[str] = []
    base = "/" + page_url
    for m in _REF_RE.finditer(html):
        tag, ref = m.group(0), m.group(1)
        if tag.lower().startswith("<link"):
            rel = _LINK_REL_RE.search(tag)
            if not rel or not ({"stylesheet", "icon", "modulepreload"} & set(rel.group(1).lower().split())):
                continue
        parts = urlsplit(ref)
        if parts.scheme or parts.netloc or ref.startswith("#"):
            continue
        path = parts.path if parts.path.startswith("/") else posixpath.join(posixpath.dirname(base), parts.path)
        norm = posixpath.normpath(path).lstrip("/")
        if path.endswith("/") and norm:
            norm += "/"
        url = norm + (f"?{parts.query}" if parts.query else "")
        if url not in out:
            out.append(url)
    return out


def site_path(url: str) -> str:
    """The built file behind a root-relative URL ('a/' -> 'a/index.html'; query dropped)."""
    path = url.split("?", 1)[0]
    return path + "index.html" if path == "" or path.endswith("/") else path


def group(name: str, entries: list[tuple[str, bytes]]) -> Group:
    digest = key(name, *(f"{u}={bytes_digest(d)}" for u, d in sorted(entries)))
    return Group(name, f"{CACHE_PREFIX}{name}-{digest[:12]}", tuple(u for u, _ in entries))


def gzip_stored(url: str, size: int) -> bool:
    """Whether the service worker keeps this file gzip-compressed in Cache Storage."""
    return size >= GZIP_MIN_BYTES and url.split("?", 1)[0].endswith(GZIP_SUFFIXES)


def render(template: str, **values) -> str:
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=False,
                             keep_trailing_newline=True)
    return env.get_template(template).render(**values)


def render_sw(config: dict) -> str:
    return render("sw.js.j2", config=json.dumps(config, indent=1, sort_keys=True))


def render_headers(page_url: str, csp: str) -> str:
    return render("_headers.j2", page_url=page_url, csp=csp)


# --- thin I/O -----------------------------------------------------------------

def read(site_dir: Path, urls: list[str]) -> list[tuple[str, bytes]]:
    out = []
    for url in urls:
        f = site_dir / site_path(url)
        if not f.is_file():
            raise PrecacheError(f"service worker: {site_path(url)} is not in the built site; "
                                "check hooks/toolbuild (the step that adds it)")
        out.append((url, f.read_bytes()))
    return out


def sw_config(build, site_dir: Path, offline_url: str) -> dict:
    """Everything sw.js needs, from the ToolBuild and the built site."""
    page = build.page
    boot = page.boot
    tool_html = (site_dir / site_path(page.page_url)).read_text(encoding="utf-8")
    offline_html = (site_dir / site_path(offline_url)).read_text(encoding="utf-8")
    offline = [offline_url] + page_assets(offline_html, offline_url) + list(EXTRA_SHELL)
    tool = ([page.page_url] + page_assets(tool_html, page.page_url) + [u for _, u in page.assets]
            + [m.url for m in page.modules])
    runtime = [boot["pyodide"]["indexURL"] + n for n in ("pyodide.asm.wasm", "pyodide.asm.mjs", "pyodide.mjs",
                                                         "pyodide-lock.json")] + [boot["stdlib"]]
    engine = [boot["wheel"]["url"], boot["bytecode"]["url"]] + [b.url for b in page.data_assets]
    groups = {"offline": list(dict.fromkeys(offline)), "tool": list(dict.fromkeys(tool)),
              "runtime": runtime, "engine": engine}
    if boot["snapshot"]:
        groups["snapshot"] = [boot["snapshot"]["url"]]
    out_groups, gz = {}, []
    for name, urls in groups.items():
        entries = read(site_dir, urls)
        g = group(name, entries)
        out_groups[name] = {"cache": g.cache, "urls": list(g.urls)}
        gz += [u for u, d in entries if gzip_stored(u, len(d))]
    return {
        "build": boot["build"],
        "groups": out_groups,
        "gzip": gz,
        # Files fetched on demand that belong to a group's cache (the full stdlib, the stock zip).
        "prefixes": {"runtime": boot["pyodide"]["indexURL"], "engine": boot["wheel"]["url"].rsplit("/", 1)[0] + "/"},
        "pages": {"cache": PAGES_CACHE, "max": PAGES_MAX, "maxBytes": PAGES_MAX_BYTES},
        "offline": offline_url,
        "tool": page.page_url,
        # Pages where the tool's card scrolling into view is a sign of intent (home, Tools).
        "intentPages": ["", page.page_url.rstrip("/").rsplit("/", 1)[0] + "/" if "/" in page.page_url.rstrip("/") else ""],
    }


def service_worker(build, site_dir: Path, offline_url: str) -> dict[str, str]:
    """{"sw.js": text, "_headers": text} for the built site."""
    from .page import csp_for

    config = sw_config(build, site_dir, offline_url)
    tool_html = (site_dir / site_path(build.page.page_url)).read_text(encoding="utf-8")
    return {"sw.js": render_sw(config), "_headers": render_headers("/" + build.page.page_url, csp_for(tool_html))}
