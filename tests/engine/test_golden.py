"""Golden plans: JSON in, expected ranked rule ids, findings, lockouts per scenario, cycles out.

To change an expectation on purpose, run ``.venv/bin/python tests/engine/make_golden.py``
(it prints the differences; ``--write`` stores them) and review the diff.
"""
from __future__ import annotations

import pytest

from esrok_recovery.rules import RULES

from engine_support import golden_files, load_golden
from make_golden import expected_for

REQUIRED = {"well-prepared", "sms-only", "single-phone-everything", "password-manager-protects-itself",
            "email-cycle", "family-recovery-contacts", "traveller"}


def test_there_are_at_least_15_golden_plans_covering_the_named_cases():
    names = {p.stem for p in golden_files()}
    assert len(names) >= 15
    assert REQUIRED <= names


@pytest.mark.parametrize("path", golden_files(), ids=lambda p: p.stem)
def test_golden(path):
    doc = load_golden(path)
    assert doc["description"]
    assert expected_for(doc["plan"]) == doc["expected"]


def test_every_rule_fires_in_one_golden_plan_and_stays_silent_in_another():
    fired = [set(load_golden(p)["expected"]["fired"]) for p in golden_files()]
    never = [r.id for r in RULES if not any(r.id in f for f in fired)]
    always = [r.id for r in RULES if all(r.id in f for f in fired)]
    assert never == []
    assert always == []


def test_golden_highlights():
    g = {p.stem: load_golden(p)["expected"] for p in golden_files()}
    assert g["well-prepared"]["actions"] == [] and g["well-prepared"]["score"] >= 95
    assert g["sms-only"]["actions"][:2] == ["single-factor-no-codes", "sms-only-factor-and-recovery"]
    assert g["sms-only"]["locked_out"]["number-lost"] == ["gmail", "shop"]
    assert g["single-phone-everything"]["single_points_of_failure"] == {"phone": ["bank"]}
    assert g["password-manager-protects-itself"]["cycles"] == [["vault", "vault"]]
    assert g["email-cycle"]["cycles"] == [["gmail", "outlook", "gmail"]]
    assert g["family-recovery-contacts"]["locked_out"] == {s: [] for s in g["family-recovery-contacts"]["locked_out"]}
    assert "support-only-fallback" in g["traveller"]["actions"]
