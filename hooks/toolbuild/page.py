"""Step 5, page data: everything the tool page's templates and scripts read, made once.

Consumes the engine sources (for ``questions_json()``), the tool's own scripts and styles under
``overrides/assets/``, and the outputs of steps 1-4. Produces :class:`PageData`:

* ``questions``: the quick-check questions, validated, rendered as plain HTML by the template;
* ``assets``: the tool's worker script with a ``?v=<content hash>``;
* ``styles``: the tool's stylesheets (:data:`TOOL_STYLES`), one text inlined in the page's
  ``<head>`` as a ``<style>`` element allowed by its hash in the CSP: no request of their own on
  the form's way to the screen, and applied at once when Material's instant navigation merges
  the tool page's ``<head>`` (a linked stylesheet arrived there up to 27 frames after the content);
* ``boot``: the **boot configuration** (asset URLs and hashes, versions, timeouts, the engine
  fingerprint, a ``build`` id over all of it). It is emitted once, as JSON in the tool page
  (``<script type="application/json" id="esrok-boot">``), read by the page scripts, passed as is
  to the worker, and rendered into ``sw.js`` by step 6: no constant is restated in JavaScript;
* ``csp``: the Content-Security-Policy template (script hashes are filled from the rendered page);
* ``data_assets``: build-time JSON the page loads, content-hashed under ``assets/esrok/`` and named
  in ``boot["data"]`` by their stem: ``plan-ui`` is the page's vocabulary, the engine's
  ``plan_ui_json()`` (labels, allowed references, defaults, the plan format version);
  ``services`` is the service catalogue (step 4b, :mod:`.catalogue`,
  ``assets/esrok/services.<hash>.json``); its sources' licence pages are ``boot["licences"]``
  (``{"2fa-directory": "licences/2fa-directory/", "passkeys": "licences/passkeys/"}``) and the
  templates get the credits as ``esrok_tool.credits``;
* ``modules``: the page's ES modules (:data:`UI_MODULES`), checked (relative imports among
  themselves only) and bundled by esbuild (pinned in package.json) into one classic script at the
  entry's URL, ``assets/esrok/ui/<hash of all of them>/checklist/app.js`` (a change to any module is
  a new directory): one request, not a dozen queued behind the worker's downloads;
* ``steps``: the check's steps, the tool's section headings and the page's table of contents.
"""
from __future__ import annotations

import base64
import hashlib
import json
import posixpath
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from .cache import bytes_digest, key
from .catalogue import ServiceData
from .runtime import Runtime
from .stdlib import Blob, Stdlib, find_node
from .wheel import Wheel
from ..engine_import import import_engine as _import_engine

TOOL_TEMPLATE = "tool.html"
TOOL_ASSETS = (
    "assets/javascripts/checklist-worker.js",
)
#: The tool page's own stylesheets, under overrides/, inlined in this order (PageData.styles).
TOOL_STYLES = (
    "assets/stylesheets/tool.css",
    "assets/stylesheets/service-picker.css",
)
#: The page's ES modules, under overrides/assets/javascripts/ (the entry first). Every relative
#: import of one of them must name another (a test parses them).
UI_MODULES = (
    "checklist/app.js",
    "checklist/worker-client.js",
    "checklist/vocab.js",
    "checklist/store.js",
    "checklist/plan-edit.js",
    "checklist/drafts.js",
    "checklist/dom.js",
    "checklist/quick.js",
    "checklist/result-view.js",
    "checklist/kit.js",
    "checklist/editor.js",
    "checklist/editor-fields.js",
    "checklist/services.js",
    "checklist/account-service.js",
    "checklist/plan-controls.js",
    "service-search.js",
    "service-picker.js",
)
UI_DIR = "assets/esrok/ui/"
DATA_DIR = "assets/esrok/"
#: The check's steps: (heading id, title). The tool's partials render these headings, and the
#: hook makes them the page's table of contents (the tool's markup is not Markdown).
STEPS = (
    ("esrok-quick-heading", "Quick check"),
    ("esrok-results-heading", "Your results"),
    ("esrok-inventory-heading", "Full inventory"),
    ("esrok-kit-heading", "Your recovery kit"),
)
BOOT_TIMEOUT_MS = 120_000      # the worker gives up (with a clear message) after this
SNAPSHOT_TIMEOUT_MS = 20_000   # a snapshot restore that takes longer falls back to a normal boot
PLAN_STORAGE_KEY = "esrok.recovery-plan"   # localStorage key of a saved plan (checklist/store.js STORE_KEY)
HASH_TOKEN = "__ESROK_INLINE_SCRIPT_HASHES__"
STYLE_HASH_TOKEN = "__ESROK_INLINE_STYLE_HASHES__"
CSP_TEMPLATE = (
    "default-src 'self'; "
    f"script-src 'self' 'wasm-unsafe-eval' {HASH_TOKEN}; "
    f"style-src 'self' {STYLE_HASH_TOKEN}; "
    "img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; worker-src 'self'; manifest-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'"
)


class ToolPageError(Exception):
    """The engine's question data or the tool's assets cannot be used."""


@dataclass(frozen=True)
class PageData:
    page_url: str                          # the tool page, e.g. "tools/recovery-checklist/"
    questions: tuple[dict, ...]
    assets: tuple[tuple[str, str], ...]    # (asset path, versioned URL)
    boot: dict = field(hash=False)         # the boot configuration (JSON-ready)
    csp: str = CSP_TEMPLATE
    data_assets: tuple[Blob, ...] = ()     # build-time JSON the page loads (plan-ui, services), in boot["data"]
    modules: tuple[Blob, ...] = ()         # the page's ES modules (UI_MODULES order: the entry first)
    credits: tuple[dict, ...] = field(default=(), hash=False)   # the catalogue's sources (catalogue.ServiceData)
    styles: str = ""                       # TOOL_STYLES' text, inlined in a <style> element

    def asset(self, path: str) -> str:
        return dict(self.assets)[path]

    def context(self) -> dict:
        """What overrides/tool.html and its partials read as ``esrok_tool``; ``credits``: per source of
        the service catalogue {"id", "name", "url", "date", "licence", "licence_url", "attribution",
        "licence_page"} (a site-root-relative URL such as "licences/2fa-directory/")."""
        return {"questions": list(self.questions), "assets": dict(self.assets), "boot": self.boot,
                "csp": self.csp, "app": self.modules[0].url if self.modules else None,
                "steps": {hid: title for hid, title in STEPS}, "credits": [dict(c) for c in self.credits],
                "styles": self.styles}


# --- pure helpers -------------------------------------------------------------

def parse_questions(text: str) -> list[dict]:
    """Validate questions_json() output; errors name the JSON field path."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise ToolPageError(f"questions_json() did not return JSON ({e})") from None
    if not isinstance(data, dict) or data.get("version") != 1:
        raise ToolPageError('questions_json(): expected an object with "version": 1')
    questions = data.get("questions")
    if not isinstance(questions, list) or not questions:
        raise ToolPageError("questions_json(): questions must be a non-empty list")
    seen: set[str] = set()
    for i, q in enumerate(questions):
        where = f"questions[{i}]"
        if not isinstance(q, dict):
            raise ToolPageError(f"questions_json(): {where} must be an object")
        for k in ("id", "text"):
            if not isinstance(q.get(k), str) or not q[k]:
                raise ToolPageError(f"questions_json(): {where}.{k} must be a non-empty string")
        if q["id"] in seen:
            raise ToolPageError(f'questions_json(): {where}.id "{q["id"]}" is used twice')
        seen.add(q["id"])
        options = q.get("options")
        if not isinstance(options, list) or len(options) < 2:
            raise ToolPageError(f"questions_json(): {where}.options must list at least two options")
        values = []
        for j, opt in enumerate(options):
            if not (isinstance(opt, dict) and isinstance(opt.get("value"), str) and isinstance(opt.get("label"), str)):
                raise ToolPageError(f"questions_json(): {where}.options[{j}] needs string value and label")
            values.append(opt["value"])
        default = q.get("default")
        if default is not None and default not in values:
            raise ToolPageError(f'questions_json(): {where}.default "{default}" is not one of its option values')
    return questions


def asset_version(data: bytes) -> str:
    return bytes_digest(data)[:10]


def data_asset(name: str, text: str) -> Blob:
    """A build-time JSON file the page loads: ``assets/esrok/<name>.<content hash>.json``."""
    data = text.encode("utf-8")
    return Blob(f"{DATA_DIR}{name}.{asset_version(data)}.json", data)


def data_urls(blobs) -> dict[str, str]:
    """``boot["data"]``: each data asset's URL by the stem of its file name."""
    return {b.url.rsplit("/", 1)[-1].split(".", 1)[0]: b.url for b in blobs}


_IMPORT_RE = re.compile(r"""^\s*(?:import|export)\b[^"';]*?\bfrom\s*["']([^"']+)["']|^\s*import\s*["']([^"']+)["']""", re.M)


def module_imports(text: str) -> list[str]:
    """The specifiers of a module's static imports and re-exports."""
    return [a or b for a, b in _IMPORT_RE.findall(text)]


def ui_modules(sources: list[tuple[str, bytes]]) -> tuple[Blob, ...]:
    """The page's modules in one directory named by a hash of them all; every relative import
    must name another of them, so a deploy never mixes module versions."""
    names = {n for n, _ in sources}
    for name, data in sources:
        for spec in module_imports(data.decode("utf-8")):
            if not spec.startswith("."):
                raise ToolPageError(f"overrides/assets/javascripts/{name} imports \"{spec}\": the page's modules "
                                    "import each other by relative path only")
            target = posixpath.normpath(posixpath.join(posixpath.dirname(name), spec))
            if target not in names:
                raise ToolPageError(f"overrides/assets/javascripts/{name} imports \"{spec}\", which is not in "
                                    "UI_MODULES (hooks/toolbuild/page.py); add it there")
    digest = key(*(f"{n}={bytes_digest(d)}" for n, d in sources))[:12]
    return tuple(Blob(f"{UI_DIR}{digest}/{n}", d) for n, d in sources)


_SCRIPT_RE = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.S | re.I)
_TYPE_RE = re.compile(r"""\btype\s*=\s*["']?([^"'\s>]+)""", re.I)
_SRC_RE = re.compile(r"\bsrc\s*=", re.I)
_JS_TYPES = frozenset({"", "text/javascript", "application/javascript", "module"})


def _hash_sources(bodies) -> list[str]:
    """CSP source expressions ('sha256-...') for inline element bodies, in order, each once."""
    out: list[str] = []
    for body in bodies:
        digest = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode()
        if (source := f"'sha256-{digest}'") not in out:
            out.append(source)
    return out


def inline_script_hashes(html: str) -> list[str]:
    """CSP source expressions ('sha256-...') for every executable inline script, in order."""
    def executable(m: re.Match) -> bool:
        attrs = m.group("attrs")
        t = _TYPE_RE.search(attrs)
        return not _SRC_RE.search(attrs) and (t.group(1).lower() if t else "") in _JS_TYPES
    return _hash_sources(m.group("body") for m in _SCRIPT_RE.finditer(html) if executable(m))


_STYLE_RE = re.compile(r"<style(?P<attrs>[^>]*)>(?P<body>.*?)</style>", re.S | re.I)


def inline_style_hashes(html: str) -> list[str]:
    """CSP source expressions ('sha256-...') for every inline <style> element, in order."""
    return _hash_sources(m.group("body") for m in _STYLE_RE.finditer(html))


def _fill_hashes(text: str, html: str) -> str:
    return (text.replace(HASH_TOKEN, " ".join(inline_script_hashes(html)))
            .replace(STYLE_HASH_TOKEN, " ".join(inline_style_hashes(html))))


def apply_csp_hashes(html: str) -> str:
    """Replace the hash tokens in the page's CSP with the hashes of its inline scripts and styles."""
    if HASH_TOKEN not in html and STYLE_HASH_TOKEN not in html:
        return html
    return _fill_hashes(html, html)


def csp_for(html: str) -> str:
    """The effective policy for a rendered page (for the deployable _headers file)."""
    return _fill_hashes(CSP_TEMPLATE, html)


def read_styles(root: Path) -> str:
    """TOOL_STYLES' text, in order, for the tool page's inline <style> element."""
    parts = []
    for path in TOOL_STYLES:
        f = root / "overrides" / path
        if not f.is_file():
            raise ToolPageError(f"overrides/{path} is missing; restore it from git")
        text = f.read_text(encoding="utf-8")
        if "</style" in text.lower():
            raise ToolPageError(f"overrides/{path} contains '</style', which would end the page's inline "
                                "<style> element; write it as '<\\/style' in a string or remove it")
        parts.append(text.rstrip("\n") + "\n")
    return "".join(parts)


def boot_config(runtime: Runtime, wheel: Wheel, stdlib: Stdlib, snapshot: Blob | None,
                assets: dict[str, str], page_url: str, data: dict[str, str] | None = None,
                licences: dict[str, str] | None = None) -> dict:
    """The boot configuration: every URL, hash, version and timeout the page, the worker and the
    service worker need, plus ``build``, a hash of all of it (a new deploy of any part = a new id)."""
    boot = {
        "page": page_url,
        "worker": assets["assets/javascripts/checklist-worker.js"],
        "pyodide": {"version": runtime.version, "indexURL": runtime.dir},
        "stdlib": stdlib.trimmed.url,
        "stdlibFull": stdlib.full.url,
        "wheel": {"url": wheel.url, "sha256": wheel.sha256},
        "bytecode": {"url": stdlib.bytecode.url, "sha256": stdlib.bytecode.sha256},
        "snapshot": {"url": snapshot.url, "sha256": snapshot.sha256} if snapshot else None,
        "engine": {"fingerprint": wheel.fingerprint},
        "timeouts": {"bootMs": BOOT_TIMEOUT_MS, "snapshotMs": SNAPSHOT_TIMEOUT_MS},
        "storage": {"plan": PLAN_STORAGE_KEY},
        "data": dict(data or {}),
        "licences": dict(licences or {}),
    }
    boot["build"] = key(json.dumps(boot, sort_keys=True))[:16]
    return boot


# --- thin I/O -----------------------------------------------------------------

def import_engine(root: Path, module: str = "esrok_recovery"):
    """Import the engine (or one of its modules) from tool/ (hooks/engine_import.py)."""
    return _import_engine(root, module, ToolPageError)


def _call(engine, name: str) -> str:
    try:
        return getattr(engine, name)()
    except Exception as e:  # report, never a traceback
        raise ToolPageError(f"the engine's {name}() failed ({type(e).__name__}: {e})") from None


def load_questions(root: Path) -> list[dict]:
    """The engine's quick-check questions, validated."""
    return parse_questions(_call(import_engine(root), "questions_json"))


def parse_plan_ui(text: str) -> str:
    """Validate plan_ui_json() output (the page reads these keys); returns the text."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise ToolPageError(f"plan_ui_json() did not return JSON ({e})") from None
    for k, t in (("version", int), ("enums", dict), ("shapes", dict), ("never", str)):
        if not isinstance(data, dict) or not isinstance(data.get(k), t):
            raise ToolPageError(f"plan_ui_json(): {k} is missing or not a {t.__name__}")
    for shape in ("plan", "habits", "thing", "account", "sign_in", "backup_codes", "recovery"):
        if shape not in data["shapes"]:
            raise ToolPageError(f"plan_ui_json(): shapes.{shape} is missing")
    return text


def load_plan_ui(root: Path) -> str:
    return parse_plan_ui(_call(import_engine(root), "plan_ui_json"))


ESBUILD = ("node_modules", "esbuild", "bin", "esbuild")
ESBUILD_MISSING = ("node_modules/esbuild is missing: run `npm ci --ignore-scripts` (`make setup` does); the "
                   "tool page's modules are bundled with it")


def bundle_modules(root: Path, modules: tuple[Blob, ...]) -> Blob:
    """The entry module with everything it imports (statically or not) in one file, at the entry's
    own URL: one request instead of one per module, so the form does not wait for a dozen small
    files queued behind the worker's downloads (bench/browser.py, form interactive). A classic
    script (IIFE), whitespace and syntax minified (names kept, so stack traces stay readable): the
    page runs it in place in <head>, where an async module's run was put off until the page was
    parsed. esbuild (pinned in package.json) is deterministic; the sources were checked by
    :func:`ui_modules`."""
    tool = root.joinpath(*ESBUILD)
    if not tool.is_file():
        raise ToolPageError(ESBUILD_MISSING)
    entry = root / "overrides" / "assets" / "javascripts" / modules[0].url.split("/", 4)[-1]
    try:
        proc = subprocess.run([find_node(), str(tool), str(entry), "--bundle", "--format=iife", "--charset=utf8",
                               "--minify-whitespace", "--minify-syntax", "--log-level=warning",
                               "--legal-comments=none"],
                              capture_output=True, timeout=120, cwd=root)
    except subprocess.TimeoutExpired:
        raise ToolPageError("esbuild did not bundle the tool page's modules within 120 s") from None
    if proc.returncode != 0:
        raise ToolPageError("esbuild could not bundle the tool page's modules:\n"
                            + proc.stderr.decode("utf-8", "replace")[-2000:])
    return Blob(modules[0].url, proc.stdout)


def read_modules(root: Path) -> tuple[Blob, ...]:
    sources = []
    for name in UI_MODULES:
        f = root / "overrides" / "assets" / "javascripts" / name
        if not f.is_file():
            raise ToolPageError(f"overrides/assets/javascripts/{name} is missing; restore it from git")
        sources.append((name, f.read_bytes()))
    return ui_modules(sources)


def page_data(root: Path, page_url: str, runtime: Runtime, wheel: Wheel, stdlib: Stdlib,
              snapshot: Blob | None, services: ServiceData | None = None) -> PageData:
    questions = load_questions(root)
    assets = {}
    for path in TOOL_ASSETS:
        f = root / "overrides" / path
        if not f.is_file():
            raise ToolPageError(f"overrides/{path} is missing; restore it from git")
        assets[path] = f"{path}?v={asset_version(f.read_bytes())}"
    modules = (bundle_modules(root, read_modules(root)),)
    # build-time data: the page's vocabulary, and the service catalogue (step 4b)
    data_assets: tuple[Blob, ...] = (data_asset("plan-ui", load_plan_ui(root)),)
    data_assets += (services.asset,) if services is not None else ()
    credits = services.credits if services is not None else ()
    boot = boot_config(runtime, wheel, stdlib, snapshot, assets, page_url, data_urls(data_assets),
                       {c["id"]: c["licence_page"] for c in credits})
    return PageData(page_url, tuple(questions), tuple(assets.items()), boot, CSP_TEMPLATE, data_assets, modules,
                    credits, read_styles(root))
