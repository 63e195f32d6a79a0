"""render.py: the result in plain words, as text and Markdown, for every persona and golden plan."""
from __future__ import annotations

import json
import re

import pytest

from esrok_recovery import evaluate_json, quick_json
from esrok_recovery.render import errors_text, to_markdown, to_text

from engine_support import EXAMPLE, golden_files, load_golden, persona_files, plain_words_problems

SAMPLES = persona_files() + golden_files()


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_text_and_markdown_use_plain_words_only(path):
    out = json.loads(evaluate_json(json.dumps(load_golden(path)["plan"])))
    for text in (to_text(out), to_markdown(out)):
        assert plain_words_problems(text, out) == []
    for a in out["actions"]:
        assert len(a["title"]) <= 70
        assert plain_words_problems(" ".join([a["title"], a["do"], a["detail"], a["why"], a["gain_text"] or "",
                                              a["trade_off"] or ""]), out) == []


def test_the_quick_check_result_folds_after_five_actions():
    answers = {"main_account": "email", "password": "reused", "second_step": "sms", "backup_codes": "none",
               "recovery_email": "dead", "recovery_phone": "someone_else", "port_lock": "no", "sim_pin": "no",
               "voicemail_pin": "no", "screen_lock": "no", "recovery_contact": "no", "support": "no",
               "tested": "never", "playbook": "no"}
    out = json.loads(quick_json(json.dumps({"version": 1, "as_of": "2026-11-29", "answers": answers})))
    assert len(out["actions"]) > 5
    text = to_text(out)
    before, after = text.split(f"More actions ({len(out['actions']) - 5})")
    assert before.count("       Do: ") == 5
    assert "Questions skipped" in text and plain_words_problems(text, out) == []


def test_text_report_head_for_the_documented_example():
    out = json.loads(evaluate_json(EXAMPLE.read_text()))
    lines = to_text(out).splitlines()
    assert lines[0] == "Esrok recovery check (as of 2026-11-29)"
    p, r = out["measures"]["protection"], out["measures"]["recoverability"]
    assert lines[2] == f"{'Protection':<15}{p['value']:>3}/100  {p['explanation']}"
    assert lines[3] == f"{'Recoverability':<15}{r['value']:>3}/100  {r['explanation']}"
    assert lines[4] == out["measures"]["headline"]["text"]


def test_errors_text():
    assert errors_text([{"path": "a", "message": "b"}], "plan.json") == "plan.json: a: b"
    assert to_markdown({"ok": False, "errors": [{"path": "x|y", "message": "m"}]}) == \
        "# Plan has errors\n\n- `x|y`: m\n"


def test_losses_that_reach_nothing_in_the_plan_are_said_once_not_listed_as_still_in():
    """Sam has no security key, no password manager and nothing at home: the report does not list
    those losses with "Still in: Email", as if it had checked something he has (the page leaves them out)."""
    from engine_support import PERSONA_DIR
    plan = load_golden(PERSONA_DIR / "sms-only-sam.json")["plan"]
    out = json.loads(evaluate_json(json.dumps(plan)))
    said = ("Nothing in the plan is affected if you lose the security key you carry; or if your password manager "
            "is unavailable; or if you lose everything kept at home (fire or flood); or if you are travelling with "
            "only what you carry.")
    text = to_text(out)
    losses = text[text.index("If something is lost"):text.index("Single points of failure")].splitlines()
    assert [line for line in losses if line.startswith("  ") and not line.startswith("    ")] == [
        "  Today, with nothing lost",
        "  You lose your phone (lost or stolen)",
        "  Your phone is reset or the authenticator app is wiped",
        "  You lose your phone number (SIM swap, number change, abroad without roaming)",
        "  " + said,
    ]
    markdown = to_markdown(out)
    assert "| You lose the security key you carry |" not in markdown and f"\n{said}\n" in markdown
