"""Helpers for the engine tests: small plan builders and the golden plans (imported by name, not via conftest)."""
from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest

from esrok_recovery.boundary import evaluate_data
from esrok_recovery.model import Route
from esrok_recovery.parse import parse_plan
from esrok_recovery.rules import RULES

GOLDEN_DIR = Path(__file__).parent / "golden"
EXAMPLE = Path(__file__).resolve().parents[2] / "tool" / "esrok_recovery" / "example_plan.json"


def golden_files() -> list[Path]:
    return sorted(GOLDEN_DIR.glob("*.json"))


def load_golden(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def base_plan() -> dict:
    """A small valid plan: one phone with a number and an authenticator, printed codes, a contact."""
    return {
        "version": 2,
        "as_of": "2026-11-29",
        "habits": {"lost_device_playbook": True, "escalation_plan": True, "enrolls_before_retiring": True,
                   "watches_alerts": True},
        "things": [
            {"id": "phone", "type": "phone", "label": "Phone", "screen_lock": True},
            {"id": "mobile", "type": "phone_number", "label": "Mobile", "on": "phone", "port_out_lock": True,
             "sim_pin": True, "voicemail_pin": True},
            {"id": "app", "type": "authenticator_app", "label": "Authenticator", "on": "phone", "backup": "none"},
            {"id": "paper", "type": "code_store", "kind": "paper", "label": "Printed codes"},
            {"id": "mum", "type": "recovery_contact", "label": "Mum"},
        ],
        "accounts": [
            {"id": "mail", "name": "Mail", "kind": "email", "importance": "critical", "alerts": True,
             "sign_in": [{"type": "password", "reused": False}, {"type": "totp", "on": "app"}],
             "backup_codes": {"generated": True, "stored_in": ["paper"], "remaining": 10},
             "recovery": [{"type": "recovery_phone", "on": "mobile"}, {"type": "recovery_contact", "on": "mum"}],
             "recovery_tested_on": "2026-10-01"},
        ],
    }


def parsed(data: dict):
    plan, problems = parse_plan(data)
    assert problems == (), [str(p) for p in problems]
    return plan


def evaluate(data: dict) -> dict:
    out = evaluate_data(data)
    assert out["ok"], out.get("errors")
    return out


def with_account(data: dict, **account) -> dict:
    d = copy.deepcopy(data)
    d["accounts"].append(account)
    return d




PERSONA_DIR = Path(__file__).parent / "personas"
CATALOGUE = Path(__file__).resolve().parents[2] / "data" / "services" / "catalogue.json"
_CATALOGUE: list = []


def catalogue_doc(*domains: str) -> dict:
    """The project catalogue's entries for these domains, as a catalogue document (what the page passes)."""
    from esrok_recovery.catalogue import loads_services, subset
    if not _CATALOGUE:
        catalogue, problems = loads_services(CATALOGUE.read_bytes())
        assert problems == ()
        _CATALOGUE.append(catalogue)
    return subset(_CATALOGUE[0], domains).as_dict()


def persona_files() -> list[Path]:
    return sorted(PERSONA_DIR.glob("*.json"))


def plain_words_problems(text: str, out: dict) -> list[str]:
    """What in a result text is not plain language: "(s)" plurals, percentages of the score, rule
    ids, internal route names, raw ids of the plan (also used by tests/browser/test_result_words.py)."""
    bad = []
    if "(s)" in text:
        bad.append("a (s) plural")
    if re.search(r"% of the (score|best case)", text):
        bad.append("a percentage of the score")
    for r in RULES:
        if re.search(rf"(?<![\w-]){re.escape(r.id)}(?![\w-])", text):
            bad.append(f"the rule id {r.id}")
    for route in Route:
        if "_" in route.id and route.id in text:
            bad.append(f"the route id {route.id}")
    for ident, name in out["names"].items():
        if ident != name and re.search(r"[-_\d]", ident) and re.search(rf"(?<![\w-]){re.escape(ident)}(?![\w-])",
                                                                         text):
            bad.append(f"the raw id {ident}")
    return bad
