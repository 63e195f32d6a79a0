"""Tests for hooks/rules_page.py: rows from the rule table, Markdown rendering, the markers, the
plan-format tables generated from the field table, and both pages in the real built site."""
from __future__ import annotations

import html
import json
import re
from pathlib import Path
from types import SimpleNamespace

import pytest

from esrok_recovery.fields import ENUM_LABELS, ENUM_NAMES, SHAPES
from esrok_recovery.model import LOCKOUT_DAYS, TESTED_RECENTLY_MONTHS, Route
from esrok_recovery.rules import RULES
from esrok_recovery.scenarios import SCENARIOS
from hooks.rules_page import (FORMAT_MARKERS, FORMAT_PAGE, FORMAT_TEMPLATE, MARKER, PAGE, TEMPLATE, RulesPageError,
                              engine_facts, field_rows, insert_rules, md_text, on_page_markdown,
                              render_format, render_rules, result_example, route_rows, rule_rows)

ROOT = Path(__file__).resolve().parents[2]
# The engine as already imported (load_engine re-imports it, which would swap module objects under
# every other test in this process; it is exercised by the built-site tests below).
import esrok_recovery  # noqa: E402
from esrok_recovery import fields as _fields, measures as _measures, model as _model  # noqa: E402
from esrok_recovery import rules as _rules, scenarios as _scenarios  # noqa: E402

ENGINE = SimpleNamespace(rules=_rules, scenarios=_scenarios, model=_model, fields=_fields, measures=_measures,
                         engine=esrok_recovery, example=ROOT / "tool" / "esrok_recovery" / "example_plan.json")
ROWS = rule_rows(RULES)
RENDERED = render_rules(ROWS, [(s.id, s.title) for s in SCENARIOS], route_rows(ENGINE),
                        TEMPLATE.read_text(encoding="utf-8"), engine_facts(ENGINE))
FORMAT = render_format(field_rows(SHAPES, ENUM_LABELS, ENUM_NAMES),
                       (ROOT / "tool" / "esrok_recovery" / "example_plan.json").read_text(encoding="utf-8"),
                       result_example(ENGINE), FORMAT_TEMPLATE.read_text(encoding="utf-8"))


def test_rule_rows_carry_everything_the_page_shows():
    assert len(ROWS) == len(RULES)
    first = ROWS[0]
    r = RULES[0]
    assert first == {"id": r.id, "tier": r.tier.value, "scope": r.scope.value, "title": r.title, "action": r.action,
                     "why": r.why, "source": r.source, "predicate": r.predicate.__name__, "closes": list(r.closes),
                     "uses": [], "measure": None, "effort": r.effort, "tip": "", "fix": None, "links": [],
                     "lacks": True}
    sms = next(x for x in ROWS if x["id"] == "sms-on-critical")
    assert sms["uses"] == ["sms", "voice"] and sms["measure"] == "protection" and sms["fix"] == "_fix_upgrade"
    assert sms["lacks"] is False


def test_a_rule_that_says_what_a_sign_in_lacks_says_it_waits_on_an_account_not_fully_listed():
    assert RENDERED.count("**Says what a sign-in lacks:**") == sum(r.lacks for r in RULES) == 10


def test_md_text_escapes_markup():
    assert md_text("a | b <i>*x*</i> & c_d") == "a \\| b &lt;i&gt;\\*x\\*&lt;/i&gt; &amp; c\\_d"


def test_every_rule_has_a_section_with_its_id_action_source_and_predicate():
    for r in RULES:
        assert f"{{ #{r.id} }}" in RENDERED
        assert f"`{r.id}` · {r.tier.value} · applies to " in RENDERED
        assert f"**What to do:** {md_text(r.action)}" in RENDERED
        assert f"**Why:** {md_text(r.why)}" in RENDERED
        assert f"**Source:** {md_text(r.source)}" in RENDERED
        assert f"**Decided by:** `{r.predicate.__name__}`" in RENDERED
    assert "**Decided by:** `sms_on_critical` (only for accounts that use `sms`, `voice`)" in RENDERED


def test_scenarios_routes_constants_and_ladder_come_from_the_engine():
    assert RENDERED.startswith(f"The checklist applies **{len(RULES)} rules**.")
    for s in SCENARIOS:
        assert f"| `{s.id}` | {md_text(s.title)} |" in RENDERED
    for r in Route:
        assert f"| `{r.id}` | {r.rank} |" in RENDERED
    assert "| `recovery_email` | 3 | 1 day | the recovery email address |" in RENDERED
    assert "| `support` | 5 | as recorded | the provider's support process |" in RENDERED
    assert f"A wait of **{LOCKOUT_DAYS} days or more is a lockout**" in RENDERED
    assert f"in the last **{TESTED_RECENTLY_MONTHS} months**" in RENDERED
    assert "| A passkey | 100 |" in RENDERED
    assert RENDERED.index("## Blockers") < RENDERED.index("## Durability") < RENDERED.index("## Readiness")


def test_unknown_tier_is_refused():
    row = dict(ROWS[0], tier="someday")
    with pytest.raises(RulesPageError, match="^rule tier\\(s\\) someday have no section on the page$"):
        render_rules([row], [], [], TEMPLATE.read_text(encoding="utf-8"))


def test_marker_is_replaced_once():
    assert insert_rules(f"# T\n\n{MARKER}\n", "RULES") == "# T\n\nRULES\n"
    with pytest.raises(RulesPageError) as e:
        insert_rules("# T\n", "RULES")
    assert str(e.value) == (f"docs/{PAGE}: expected the marker line {MARKER} exactly once (found 0); "
                            "put it where the rules should appear")


def test_plan_format_tables_have_every_field_of_the_table():
    tables = FORMAT[FORMAT_MARKERS[0]]
    for name, shape in SHAPES.items():
        assert f"(`{name}`)" in tables
        for f in shape.fields + tuple(f for v in shape.variants for f in v.fields):
            assert f"| `{f.name}` |" in tables
        for v in shape.variants:
            assert f"#### `{shape.tag}: {v.value.value}`" in tables
    assert ("| `kind` | no | Whose number it is and how long it will keep working. One of: `mine`, `prepaid`, "
            "`travel`, `work`, `someone_else`. Left out: not recorded (read as your own). New in version 2. |") in tables


def test_plan_format_example_and_result_are_the_engines():
    example = FORMAT[FORMAT_MARKERS[1]]
    assert json.loads(example.strip().removeprefix("```json").removesuffix("```"))["version"] == 2
    result = FORMAT[FORMAT_MARKERS[2]]
    assert result.startswith('??? example "The full result')
    body = "\n".join(line[4:] for line in result.splitlines()[3:-1])
    out = json.loads(body)
    assert out["version"] == 2 and out["ok"] is True and out["actions"][0]["title"] == "Print backup codes for Main email"


def test_other_pages_are_untouched():
    page = SimpleNamespace(file=SimpleNamespace(src_uri="index.md"))
    assert on_page_markdown(f"x {MARKER}", page, None, None) == f"x {MARKER}"


def test_built_rules_page_lists_every_rule(built_site):
    page = (built_site.dir / "tools" / "how-the-checklist-decides" / "index.html").read_text(encoding="utf-8")
    text = html.unescape(re.sub(r"<[^>]+>", "", page))
    assert MARKER not in page
    for r in RULES:
        assert f'id="{r.id}"' in page
        assert r.source in text and r.action in text and r.predicate.__name__ in text


def test_built_plan_format_page_has_the_generated_tables(built_site):
    page = (built_site.dir / "tools" / "plan-format" / "index.html").read_text(encoding="utf-8")
    for marker in FORMAT_MARKERS:
        assert marker not in page
    text = html.unescape(re.sub(r"<[^>]+>", "", page))
    assert "voicemail_pin" in text and "someone_else" in text and "migrated_from" in text
    assert FORMAT_PAGE == "tools/plan-format.md"
