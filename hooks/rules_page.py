"""MkDocs hook: render "How the checklist decides" from the engine's rule table.

The page docs/tools/how-the-checklist-decides.md holds the prose and one marker line,
``<!-- esrok:rules -->``. At build time (``on_page_markdown``) the marker is replaced by
every rule of ``esrok_recovery.rules.RULES`` (id, tier, action, why, source, predicate
name), the loss scenarios and the route waits, so the page cannot drift from the code.
Markup lives in hooks/templates/rules_page.md.j2; nothing is written into docs/.
"""
from __future__ import annotations

import importlib
import sys
from pathlib import Path

import jinja2

PAGE = "tools/how-the-checklist-decides.md"
MARKER = "<!-- esrok:rules -->"
TEMPLATE = Path(__file__).resolve().parent / "templates" / "rules_page.md.j2"
TIERS = (
    ("blocker", "Blockers", "Things that can lock you out the first time something goes wrong. Fix these first."),
    ("durability", "Durability", "Changes that let your access survive a lost phone, number or key."),
    ("readiness", "Readiness", "Habits and records that make the day you need recovery go smoothly."),
)


class RulesPageError(Exception):
    """The rule table or the page cannot be rendered."""


# --- pure helpers -------------------------------------------------------------

def rule_rows(rules) -> list[dict]:
    """Plain dicts for the template, one per rule, in table order."""
    rows = []
    for r in rules:
        rows.append({"id": r.id, "tier": r.tier.value, "scope": r.scope.value, "title": r.title,
                     "action": r.action, "why": r.why, "source": r.source,
                     "predicate": r.predicate.__name__, "closes": list(r.closes),
                     "uses": sorted(str(getattr(u, "value", u)) for u in getattr(r, "uses", ()))})
    return rows


def md_text(value: str) -> str:
    """Rule text as inline Markdown: no raw HTML, no accidental table cells or emphasis."""
    return (str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace("|", "\\|").replace("*", "\\*").replace("_", "\\_"))


def render_rules(rows: list[dict], scenarios, waits: dict, template_text: str) -> str:
    env = jinja2.Environment(undefined=jinja2.StrictUndefined, keep_trailing_newline=True,
                             trim_blocks=True, lstrip_blocks=True, autoescape=False)
    env.filters["md"] = md_text
    tiers = [{"id": t, "heading": h, "intro": i, "rules": [r for r in rows if r["tier"] == t]}
             for t, h, i in TIERS]
    unknown = sorted({r["tier"] for r in rows} - {t for t, _, _ in TIERS})
    if unknown:
        raise RulesPageError(f"rule tier(s) {', '.join(unknown)} have no section on the page")
    return env.from_string(template_text).render(rows=rows, tiers=tiers, scenarios=list(scenarios),
                                                 waits=waits)


def insert_rules(markdown: str, rendered: str, page: str = PAGE) -> str:
    if markdown.count(MARKER) != 1:
        raise RulesPageError(f"docs/{page}: expected the marker line {MARKER} exactly once "
                             f"(found {markdown.count(MARKER)}); put it where the rules should appear")
    return markdown.replace(MARKER, rendered)


# --- thin I/O -----------------------------------------------------------------

def load_engine(root: Path):
    """Import the engine from tool/ (fresh on every build); returns (rules, scenarios, waits)."""
    tool_dir = str(root / "tool")
    if tool_dir not in sys.path:
        sys.path.insert(0, tool_dir)
    for name in [m for m in sys.modules if m == "esrok_recovery" or m.startswith("esrok_recovery.")]:
        del sys.modules[name]
    try:
        rules = importlib.import_module("esrok_recovery.rules")
        scen = importlib.import_module("esrok_recovery.scenarios")
    except Exception as e:  # report, never a traceback
        raise RulesPageError(f"cannot import the engine from tool/esrok_recovery ({type(e).__name__}: {e})") from None
    return rules.RULES, scen.SCENARIOS, dict(scen.ROUTE_WAIT)


# --- MkDocs events ------------------------------------------------------------

_state: dict = {}


def on_config(config):
    from mkdocs.exceptions import PluginError

    root = Path(config.config_file_path).resolve().parent
    try:
        rules, scenarios, waits = load_engine(root)
        _state["rendered"] = render_rules(rule_rows(rules), scenarios, waits, TEMPLATE.read_text(encoding="utf-8"))
    except (RulesPageError, OSError, jinja2.TemplateError) as e:
        raise PluginError(f"rules page: {e}") from None
    return config


def on_page_markdown(markdown, page, config, files):
    if page.file.src_uri != PAGE:
        return markdown
    from mkdocs.exceptions import PluginError

    try:
        return insert_rules(markdown, _state["rendered"])
    except RulesPageError as e:
        raise PluginError(f"rules page: {e}") from None
