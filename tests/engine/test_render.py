"""render.py: text and Markdown views of the result."""
from __future__ import annotations

import json

from esrok_recovery import evaluate_json
from esrok_recovery.render import errors_text, to_markdown, to_text

from engine_support import EXAMPLE

RESULT = json.loads(evaluate_json(EXAMPLE.read_text()))


def test_text_view():
    text = to_text(RESULT)
    assert text.startswith("Esrok recovery check (as of 2026-11-29)\nReadiness score: ")
    assert "  1. [blocker] Only one second step and no backup codes - Mobile carrier, Outlook\n" in text
    assert "       Also closes: codes-not-saved\n" in text
    assert "  You lose your phone (lost or stolen) [phone-lost]\n    lost: Pixel 8, Mobile number, Authenticator\n" \
           .replace("Pixel 8, Mobile number, Authenticator", "Authenticator, Mobile number, Pixel 8") in text
    assert "    recovered: Bank by backup codes (Vault note), same day; " in text


def test_markdown_view():
    md = to_markdown(RESULT)
    assert md.startswith("# Esrok recovery check (2026-11-29)\n\n**Readiness score: ")
    assert "| Scenario | Locked out | Recovered (route, wait) |\n|---|---|---|\n" in md
    assert "## Single points of failure\n\nNone found.\n" in md


def test_errors_view():
    errs = [{"path": "accounts[0].kind", "message": "unknown kind"}]
    assert errors_text(errs, "plan.json") == "plan.json: accounts[0].kind: unknown kind"
    assert to_markdown({"ok": False, "errors": errs}) == "# Plan has errors\n\n- `accounts[0].kind`: unknown kind\n"
