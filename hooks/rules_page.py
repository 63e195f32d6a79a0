"""MkDocs hook: render the two engine pages from the engine's own tables.

* docs/tools/how-the-checklist-decides.md holds the prose and the marker line
  ``<!-- esrok:rules -->``, replaced by every rule of ``esrok_recovery.rules.RULES`` (id, tier,
  the measure it raises, effort, action, why, source, predicate name, what its fix changes), the
  loss scenarios, the routes with their rank and typical wait, the named constants and the
  Protection ladder.
* docs/tools/plan-format.md holds ``<!-- esrok:plan-fields -->`` (the field tables, generated from
  ``esrok_recovery.fields.SHAPES``), ``<!-- esrok:example-plan -->`` (the packaged example plan) and
  ``<!-- esrok:result-example -->`` (the engine's version 2 output for a small plan).

So neither page can drift from the code. Markup lives in hooks/templates/*.md.j2; nothing is
written into docs/.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from types import SimpleNamespace

import jinja2

_ROOT = Path(__file__).resolve().parent.parent
if str(_ROOT) not in sys.path:  # hooks load as standalone files; the shared helper is hooks/engine_import.py
    sys.path.insert(0, str(_ROOT))
from hooks.engine_import import import_engine  # noqa: E402

PAGE = "tools/how-the-checklist-decides.md"
MARKER = "<!-- esrok:rules -->"
FORMAT_PAGE = "tools/plan-format.md"
FORMAT_MARKERS = ("<!-- esrok:plan-fields -->", "<!-- esrok:example-plan -->", "<!-- esrok:result-example -->")
TEMPLATES = Path(__file__).resolve().parent / "templates"
TEMPLATE = TEMPLATES / "rules_page.md.j2"
FORMAT_TEMPLATE = TEMPLATES / "plan_format.md.j2"
TIERS = (
    ("blocker", "Blockers", "Things that can lock you out, or let a stranger in, the first time something goes "
                            "wrong. Fix these first."),
    ("durability", "Durability", "Changes that let your access survive a lost phone, number or key, and a second "
                                 "step a stranger cannot pass."),
    ("readiness", "Readiness", "Habits and records that make the day you need recovery go smoothly."),
)
#: The small plan whose full output the plan-format page shows (the quick check's SMS-only answers).
RESULT_EXAMPLE_ANSWERS = {"version": 1, "as_of": "2026-11-29", "answers": {
    "main_account": "email", "password": "memorised", "second_step": "sms", "extra_method": "none",
    "backup_codes": "none", "recovery_email": "none", "recovery_phone": "own"}}


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
                     "uses": sorted(str(getattr(u, "value", u)) for u in getattr(r, "uses", ())),
                     "measure": r.measure.value if getattr(r, "measure", None) else None,
                     "effort": getattr(r, "effort", None), "tip": getattr(r, "tip", ""),
                     "fix": getattr(getattr(r, "fix", None), "__name__", None),
                     "links": list(getattr(r, "links", ())), "lacks": bool(getattr(r, "lacks", False))})
    return rows


def md_text(value: str) -> str:
    """Rule text as inline Markdown: no raw HTML, no accidental table cells or emphasis."""
    return (str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace("|", "\\|").replace("*", "\\*").replace("_", "\\_"))


def _env() -> jinja2.Environment:
    env = jinja2.Environment(undefined=jinja2.StrictUndefined, keep_trailing_newline=True,
                             trim_blocks=True, lstrip_blocks=True, autoescape=False)
    env.filters["md"] = md_text
    return env


def render_rules(rows: list[dict], scenarios, routes, template_text: str, facts: dict | None = None) -> str:
    """``scenarios``: (id, title) pairs; ``routes``: dicts with id, rank, wait and words; ``facts``:
    the named constants and the Protection ladder."""
    tiers = [{"id": t, "heading": h, "intro": i, "rules": [r for r in rows if r["tier"] == t]}
             for t, h, i in TIERS]
    unknown = sorted({r["tier"] for r in rows} - {t for t, _, _ in TIERS})
    if unknown:
        raise RulesPageError(f"rule tier(s) {', '.join(unknown)} have no section on the page")
    return _env().from_string(template_text).render(rows=rows, tiers=tiers, scenarios=list(scenarios),
                                                    routes=list(routes), facts=facts or {})


def field_rows(shapes, enum_labels, enum_names) -> list[dict]:
    """Every shape of the plan format, with its fields, for the plan-format template."""
    def field(f) -> dict:
        values = [e.value for e in f.enum] if f.enum is not None else []
        refs = [r.value for r in f.refs]
        return {"name": f.name, "kind": f.kind.value, "required": f.required, "help": f.help,
                "absent": f.absent, "choices": values, "refs": refs, "since": f.since,
                "when": f"{f.when[0]} is {' or '.join(f.when[1])}" if f.when else "",
                "required_when": f"{f.required_when[0]} is {' or '.join(f.required_when[1])}" if f.required_when
                else ""}
    out = []
    for name, s in shapes.items():
        out.append({"name": name, "label": s.label, "help": s.help, "tag": s.tag,
                    "fields": [field(f) for f in s.fields],
                    "variants": [{"value": v.value.value, "label": enum_labels[type(v.value)][v.value.value],
                                  "fields": [field(f) for f in v.fields],
                                  "one_of": [list(g) for g in v.one_of]} for v in s.variants]})
    return out


def render_format(shapes: list[dict], example_plan: str, result_example: str, template_text: str) -> dict:
    """The three generated parts of the plan-format page, keyed by marker."""
    env = _env()
    tpl = env.from_string(template_text)
    return {FORMAT_MARKERS[0]: tpl.module.fields(shapes),
            FORMAT_MARKERS[1]: "```json\n" + example_plan.strip() + "\n```\n",
            FORMAT_MARKERS[2]: tpl.module.result(result_example)}


def insert_rules(markdown: str, rendered: str, page: str = PAGE, marker: str = MARKER) -> str:
    if markdown.count(marker) != 1:
        raise RulesPageError(f"docs/{page}: expected the marker line {marker} exactly once "
                             f"(found {markdown.count(marker)}); put it where the rules should appear")
    return markdown.replace(marker, rendered)


# --- thin I/O -----------------------------------------------------------------

def load_engine(root: Path):
    """The engine's tables, imported from tool/ the one way the build imports it
    (hooks/engine_import.py: the same module objects as the tool build's, re-imported under
    ``mkdocs serve`` only when the engine's sources changed)."""
    def mod(name):
        return import_engine(root, name, RulesPageError)
    return SimpleNamespace(rules=mod("esrok_recovery.rules"), scenarios=mod("esrok_recovery.scenarios"),
                           model=mod("esrok_recovery.model"), fields=mod("esrok_recovery.fields"),
                           measures=mod("esrok_recovery.measures"), engine=mod("esrok_recovery"),
                           example=(root / "tool" / "esrok_recovery" / "example_plan.json"))


def engine_facts(e) -> dict:
    m, ms = e.model, e.measures
    return {"lockout_days": m.LOCKOUT_DAYS, "tested_months": m.TESTED_RECENTLY_MONTHS,
            "format_version": m.FORMAT_VERSION,
            "ladder": [("A passkey", ms.PASSKEY), ("The password and a security key", ms.SECOND_BASE[m.SignInType.SECURITY_KEY]),
                       ("The password and an authenticator-app code, or a prompt with number matching",
                        ms.SECOND_BASE[m.SignInType.TOTP]),
                       ("The password and a plain push prompt", ms.SECOND_BASE[m.SignInType.PUSH]),
                       ("The password and a text-message, voice or email code", ms.SECOND_BASE[m.SignInType.SMS]),
                       ("A recovery contact", ms.CONTACT),
                       ("The password alone (from a password manager / remembered / reused)",
                        f"{ms.PASSWORD_ONLY['manager']} / {ms.PASSWORD_ONLY['memorised']} / "
                        f"{ms.PASSWORD_ONLY['reused']}"),
                       ("Security questions", ms.QUESTIONS)],
            "password_bonus": dict(ms.PASSWORD_BONUS), "port_lock_bonus": ms.PORT_LOCK_BONUS}


def route_rows(e) -> list[dict]:
    return [{"id": r.id, "rank": r.rank, "wait": r.wait, "text": r.text} for r in e.model.Route]


def result_example(e) -> str:
    out = json.loads(e.engine.quick_json(json.dumps(RESULT_EXAMPLE_ANSWERS)))
    out.pop("plan", None)
    return json.dumps(out, indent=2, ensure_ascii=False)


# --- MkDocs events ------------------------------------------------------------

_state: dict = {}


def on_config(config):
    from mkdocs.exceptions import PluginError

    root = Path(config.config_file_path).resolve().parent
    try:
        e = load_engine(root)
        _state["rendered"] = render_rules(rule_rows(e.rules.RULES), [(s.id, s.title) for s in e.scenarios.SCENARIOS],
                                          route_rows(e), TEMPLATE.read_text(encoding="utf-8"), engine_facts(e))
        shapes = field_rows(e.fields.SHAPES, e.fields.ENUM_LABELS, e.fields.ENUM_NAMES)
        _state["format"] = render_format(shapes, e.example.read_text(encoding="utf-8"), result_example(e),
                                         FORMAT_TEMPLATE.read_text(encoding="utf-8"))
    except (RulesPageError, OSError, jinja2.TemplateError) as err:
        raise PluginError(f"rules page: {err}") from None
    return config


def on_page_markdown(markdown, page, config, files):
    if page.file.src_uri not in (PAGE, FORMAT_PAGE):
        return markdown
    from mkdocs.exceptions import PluginError

    try:
        if page.file.src_uri == PAGE:
            return insert_rules(markdown, _state["rendered"])
        for marker, text in _state["format"].items():
            markdown = insert_rules(markdown, text, FORMAT_PAGE, marker)
        return markdown
    except RulesPageError as err:
        raise PluginError(f"rules page: {err}") from None
