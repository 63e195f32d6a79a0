"""Tests for hooks/rules_page.py: rows from the rule table, Markdown rendering, the marker,
and the rules page in the real built site."""
from __future__ import annotations

import html
import re
from types import SimpleNamespace

import pytest

from esrok_recovery.rules import RULES
from esrok_recovery.scenarios import ROUTE_WAIT, SCENARIOS
from hooks.rules_page import (MARKER, PAGE, TEMPLATE, RulesPageError, insert_rules, md_text, on_page_markdown,
                              render_rules, rule_rows)

ROWS = rule_rows(RULES)
RENDERED = render_rules(ROWS, SCENARIOS, ROUTE_WAIT, TEMPLATE.read_text(encoding="utf-8"))


def test_rule_rows_carry_everything_the_page_shows():
    assert len(ROWS) == len(RULES)
    first = ROWS[0]
    assert first == {"id": RULES[0].id, "tier": RULES[0].tier.value, "scope": RULES[0].scope.value,
                     "title": RULES[0].title, "action": RULES[0].action, "why": RULES[0].why,
                     "source": RULES[0].source, "predicate": RULES[0].predicate.__name__,
                     "closes": list(RULES[0].closes), "uses": []}
    sms = next(r for r in ROWS if r["id"] == "sms-on-critical")
    assert sms["uses"] == ["sms", "voice"]


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


def test_summary_scenarios_and_waits_come_from_the_engine():
    assert RENDERED.startswith(f"The checklist applies **{len(RULES)} rules**.")
    for sid, title in SCENARIOS:
        assert f"| `{sid}` | {md_text(title)} |" in RENDERED
    assert "| recovery email | 1 day |" in RENDERED and "| recovery phone | same day |" in RENDERED
    assert RENDERED.index("## Blockers") < RENDERED.index("## Durability") < RENDERED.index("## Readiness")


def test_unknown_tier_is_refused():
    row = dict(ROWS[0], tier="someday")
    with pytest.raises(RulesPageError, match="^rule tier\\(s\\) someday have no section on the page$"):
        render_rules([row], SCENARIOS, ROUTE_WAIT, TEMPLATE.read_text(encoding="utf-8"))


def test_marker_is_replaced_once():
    assert insert_rules(f"# T\n\n{MARKER}\n", "RULES") == "# T\n\nRULES\n"
    with pytest.raises(RulesPageError) as e:
        insert_rules("# T\n", "RULES")
    assert str(e.value) == (f"docs/{PAGE}: expected the marker line {MARKER} exactly once (found 0); "
                            "put it where the rules should appear")


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
