"""MkDocs hook: write the site-root service worker ``sw.js`` after the build.

It precaches the tool page, every script and stylesheet that page references, the
tool's own assets, the Pyodide runtime and the engine wheel. The cache name is keyed
by a sha256 over the precached URLs and their built bytes, so any change produces a new
cache and the old one is deleted on activation. The worker's code is the Jinja
template hooks/templates/sw.js.j2; registration is overrides/assets/javascripts/sw-register.js.
Also writes ``_headers`` (Netlify/Cloudflare Pages syntax) with the tool page's CSP.
"""
from __future__ import annotations

import hashlib
import posixpath
import re
from pathlib import Path
from urllib.parse import urlsplit

TEMPLATES = Path(__file__).parent / "templates"
CACHE_PREFIX = "esrok-"
EXTRA_PRECACHE = ("assets/javascripts/sw-register.js",)

_REF_RE = re.compile(
    r"""<(?:script|link)\b[^>]*?\b(?:src|href)\s*=\s*["']([^"']+)["'][^>]*>""", re.I)
_LINK_REL_RE = re.compile(r"""\brel\s*=\s*["']([^"']+)["']""", re.I)
# Content-hashed start-up files another hook may add to assets/pyodide/ (a memory snapshot);
# discovered in the built site, so the service worker prefetches whatever the build shipped.
_SNAPSHOT_RE = re.compile(r"snapshot\.[0-9a-f]{8,64}\.bin")


class PrecacheError(Exception):
    """A file the service worker must precache is not in the built site."""


# --- pure helpers -------------------------------------------------------------

def page_assets(html: str, page_url: str) -> list[str]:
    """Site-root-relative URLs of the scripts, stylesheets and icon a built page loads.

    ``page_url`` is the page's own root-relative URL (e.g. "tools/recovery-checklist/").
    Absolute (other-origin) references are ignored; they are also forbidden elsewhere.
    """
    out: list[str] = []
    base = "/" + page_url
    for m in _REF_RE.finditer(html):
        tag = m.group(0)
        ref = m.group(1)
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
    if path == "" or path.endswith("/"):
        return path + "index.html"
    return path


def runtime_urls(pyodide: dict) -> list[str]:
    """The Pyodide files the worker fetches, wasm first. The worker boots from the precompiled
    stdlib (hooks/pyodide_stdlib.py) when there is one; the stock zip, needed only if that
    fails, is then not precached (it is cached like any other file if it is ever fetched)."""
    stdlib = pyodide.get("stdlib") or pyodide["path"] + "python_stdlib.zip"
    return [pyodide["path"] + n for n in ("pyodide.asm.wasm", "pyodide.asm.mjs", "pyodide.mjs")] + [
        stdlib, pyodide["path"] + "pyodide-lock.json"]


def snapshot_urls(names: list[str], prefix: str) -> list[str]:
    """URLs of the content-hashed memory snapshot(s) among the file ``names`` in ``prefix``."""
    return [prefix + n for n in sorted(names) if _SNAPSHOT_RE.fullmatch(n)]


def cache_name(entries: list[tuple[str, bytes]]) -> str:
    h = hashlib.sha256()
    for url, data in sorted(entries):
        h.update(url.encode() + b"\0" + hashlib.sha256(data).digest())
    return CACHE_PREFIX + h.hexdigest()[:16]


def render_sw(cache: str, core: list[str], runtime: list[str]) -> str:
    """sw.js: ``core`` is precached on install; ``runtime`` (Pyodide, the wheel, any snapshot)
    when a page asks: the tool page once it has run, other pages when idle and the reader has
    not asked for reduced data (or on update, if the old cache held it)."""
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)),
                             autoescape=False, keep_trailing_newline=True)
    return env.get_template("sw.js.j2").render(cache_name=cache, core=core, runtime=runtime)


def render_headers(page_url: str, csp: str) -> str:
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)),
                             autoescape=False, keep_trailing_newline=True)
    return env.get_template("_headers.j2").render(page_url=page_url, csp=csp)


# --- thin I/O -----------------------------------------------------------------

def precache_entries(site_dir: Path, urls: list[str]) -> list[tuple[str, bytes]]:
    entries = []
    for url in urls:
        f = site_dir / site_path(url)
        if not f.is_file():
            raise PrecacheError(f"service worker: {site_path(url)} is not in the built site; "
                                "check the hooks that add it (pyodide_runtime, engine_wheel, tool_page)")
        entries.append((url, f.read_bytes()))
    return entries


# --- MkDocs events ------------------------------------------------------------

_build: dict[str, bool] = {}


def on_startup(command, dirty):
    _build["dirty"] = dirty


def on_post_build(config):
    from mkdocs.exceptions import PluginError

    site_dir = Path(config.site_dir)
    tool = config.extra.get("esrok_tool", {})
    page_url = tool.get("page")
    if not page_url and _build.get("dirty"):
        # `serve --dirty` re-renders only edited pages, so the tool page may not have been seen;
        # the sw.js of the previous full build stays in place.
        return
    if not page_url:
        raise PluginError("service worker: no page uses template tool.html "
                          "(docs/tools/recovery-checklist.md needs `template: tool.html`)")
    html = (site_dir / site_path(page_url)).read_text(encoding="utf-8")
    core = list(dict.fromkeys([page_url] + page_assets(html, page_url) + list(tool.get("assets", []))
                              + list(EXTRA_PRECACHE)))
    # The wasm first: the worker checks it to know whether an old cache held the runtime.
    pyodide = config.extra["esrok_pyodide"]
    runtime = runtime_urls(pyodide)
    runtime.append(config.extra["esrok_engine"]["path"])
    shipped = site_dir / pyodide["path"]
    runtime += snapshot_urls([p.name for p in shipped.iterdir()] if shipped.is_dir() else [], pyodide["path"])
    try:
        entries = precache_entries(site_dir, core + runtime)
    except PrecacheError as e:
        raise PluginError(str(e)) from None
    (site_dir / "sw.js").write_text(render_sw(cache_name(entries), core, runtime), encoding="utf-8")
    if tool.get("csp"):
        (site_dir / "_headers").write_text(render_headers("/" + page_url, tool["csp"]), encoding="utf-8")
