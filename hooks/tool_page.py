"""MkDocs hook: give the recovery-checklist page what its template renders at build time.

* the engine's quick-check questions (``esrok_recovery.questions_json()``), so the form
  is plain HTML, readable before Python loads and without JavaScript;
* versioned URLs of the tool's own scripts/styles, the engine wheel and the Pyodide
  directory (from ``config.extra`` set by engine_wheel.py / pyodide_runtime.py);
* a Content-Security-Policy whose script hashes are those of the page's actual inline
  scripts (computed from the rendered HTML in ``on_post_page``), instead of
  'unsafe-inline'.
Markup lives in overrides/tool.html and overrides/partials/tool-*.html.
"""
from __future__ import annotations

import base64
import hashlib
import importlib
import json
import re
import sys
from pathlib import Path

TOOL_TEMPLATE = "tool.html"
TOOL_ASSETS = (
    "assets/javascripts/checklist.js",
    "assets/javascripts/checklist-worker.js",
    "assets/stylesheets/tool.css",
)
BOOT_TIMEOUT_S = 120
HASH_TOKEN = "__ESROK_INLINE_SCRIPT_HASHES__"
CSP_TEMPLATE = (
    "default-src 'self'; "
    f"script-src 'self' 'wasm-unsafe-eval' {HASH_TOKEN}; "
    "style-src 'self'; "
    "img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; worker-src 'self'; manifest-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'"
)


class ToolPageError(Exception):
    """The engine's question data cannot be rendered."""


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
        for key in ("id", "text"):
            if not isinstance(q.get(key), str) or not q[key]:
                raise ToolPageError(f"questions_json(): {where}.{key} must be a non-empty string")
        if q["id"] in seen:
            raise ToolPageError(f'questions_json(): {where}.id "{q["id"]}" is used twice')
        seen.add(q["id"])
        options = q.get("options")
        if not isinstance(options, list) or len(options) < 2:
            raise ToolPageError(f"questions_json(): {where}.options must list at least two options")
        values = []
        for j, opt in enumerate(options):
            if not (isinstance(opt, dict) and isinstance(opt.get("value"), str)
                    and isinstance(opt.get("label"), str)):
                raise ToolPageError(
                    f"questions_json(): {where}.options[{j}] needs string value and label")
            values.append(opt["value"])
        default = q.get("default")
        if default is not None and default not in values:
            raise ToolPageError(
                f'questions_json(): {where}.default "{default}" is not one of its option values')
    return questions


def asset_version(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:10]


_SCRIPT_RE = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.S | re.I)
_TYPE_RE = re.compile(r"""\btype\s*=\s*["']?([^"'\s>]+)""", re.I)
_SRC_RE = re.compile(r"\bsrc\s*=", re.I)
_JS_TYPES = {"", "text/javascript", "application/javascript", "module"}


def inline_script_hashes(html: str) -> list[str]:
    """CSP source expressions ('sha256-...') for every executable inline script, in order."""
    out: list[str] = []
    for m in _SCRIPT_RE.finditer(html):
        attrs = m.group("attrs")
        if _SRC_RE.search(attrs):
            continue
        t = _TYPE_RE.search(attrs)
        if (t.group(1).lower() if t else "") not in _JS_TYPES:
            continue
        digest = base64.b64encode(hashlib.sha256(m.group("body").encode("utf-8")).digest()).decode()
        source = f"'sha256-{digest}'"
        if source not in out:
            out.append(source)
    return out


def apply_csp_hashes(html: str) -> str:
    """Replace the hash token in the page's CSP with the hashes of its inline scripts."""
    if HASH_TOKEN not in html:
        return html
    return html.replace(HASH_TOKEN, " ".join(inline_script_hashes(html)))


def csp_for(html: str) -> str:
    """The effective policy for a rendered page (used for the deployable _headers file)."""
    return CSP_TEMPLATE.replace(HASH_TOKEN, " ".join(inline_script_hashes(html)))


# --- thin I/O -----------------------------------------------------------------

_loaded_stamp: list = []


def _sources_stamp(pkg: Path) -> tuple:
    return tuple((p.as_posix(), p.stat().st_mtime_ns, p.stat().st_size) for p in sorted(pkg.rglob("*.py")))


def load_questions(root: Path) -> list[dict]:
    """Import the engine from tool/ and read its questions. Under `mkdocs serve` the engine is
    re-imported when its sources changed since this hook last imported it (never otherwise, so
    engine objects held elsewhere in the same process stay consistent)."""
    tool_dir = str(root / "tool")
    if tool_dir not in sys.path:
        sys.path.insert(0, tool_dir)
    pkg = root / "tool" / "esrok_recovery"
    stamp = _sources_stamp(pkg) if pkg.is_dir() else ()
    if _loaded_stamp and _loaded_stamp[0] != stamp:
        for name in [m for m in sys.modules if m == "esrok_recovery" or m.startswith("esrok_recovery.")]:
            del sys.modules[name]
    try:
        engine = importlib.import_module("esrok_recovery")
        text = engine.questions_json()
    except Exception as e:  # report, never a traceback
        raise ToolPageError(f"cannot import the engine from tool/esrok_recovery ({type(e).__name__}: {e})") from None
    _loaded_stamp[:] = [stamp]
    return parse_questions(text)


# --- MkDocs events ------------------------------------------------------------

_state: dict = {}


def on_config(config):
    from mkdocs.exceptions import PluginError

    root = Path(config.config_file_path).resolve().parent
    try:
        questions = load_questions(root)
    except ToolPageError as e:
        raise PluginError(f"tool page: {e}") from None
    overrides = root / "overrides"
    assets = {}
    for path in TOOL_ASSETS:
        f = overrides / path
        if not f.is_file():
            raise PluginError(f"tool page: overrides/{path} is missing; restore it from git")
        assets[path] = f"{path}?v={asset_version(f.read_bytes())}"
    _state.update(questions=questions, assets=assets)
    config.extra["esrok_tool"] = {"assets": list(assets.values())}
    return config


def is_tool_page(page) -> bool:
    return (page.meta or {}).get("template") == TOOL_TEMPLATE


def on_page_context(context, page, config, nav):
    if is_tool_page(page):
        engine = config.extra.get("esrok_engine", {})
        pyodide = config.extra.get("esrok_pyodide", {})
        context["esrok_tool"] = {
            "questions": _state["questions"],
            "assets": _state["assets"],
            "wheel_path": engine.get("path", ""),
            "wheel_sha256": engine.get("sha256", ""),
            "pyodide_path": pyodide.get("path", ""),
            "stdlib_path": pyodide.get("stdlib", ""),
            "stdlib_full_path": pyodide.get("stdlib_full", ""),
            "snapshot_path": pyodide.get("snapshot", ""),
            "boot_timeout_s": BOOT_TIMEOUT_S,
            "csp": CSP_TEMPLATE,
        }
        config.extra["esrok_tool"]["page"] = page.url
    return context


def on_post_page(output, page, config):
    if is_tool_page(page):
        config.extra["esrok_tool"]["csp"] = csp_for(output)  # for the deployable _headers file
        return apply_csp_hashes(output)
    return output
